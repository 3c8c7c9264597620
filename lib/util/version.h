/* The one place the j2w version lives. */
#ifndef J2W_VERSION_H
#define J2W_VERSION_H
#define J2W_VERSION "0.1.0"
#endif
