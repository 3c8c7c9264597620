/* Where the running program is: the directory its build tree or install is found from. */
#ifndef J2W_EXEPATH_H
#define J2W_EXEPATH_H

#include <stddef.h>

/*
 * Writes the directory of the running program (/proc/self/exe, links
 * resolved) into buf of len bytes. Returns 0, or -1 when it cannot be known
 * or does not fit.
 */
int exepath_dir(char *buf, size_t len);

#endif
