/* What contacts.c and vcard.c share (private to lib/cucm). */
#ifndef J2W_CONTACTS_INT_H
#define J2W_CONTACTS_INT_H

/* A space or a tab. */
int contacts_is_space(int ch);
/* Whether s is NULL, empty or only spaces and tabs. */
int contacts_is_blank(const char *s);
/* A copy of s without surrounding blanks (caller frees; NULL when out of memory). */
char *contacts_trimmed(const char *s);

#endif
