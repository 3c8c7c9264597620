/* HTML escaping shared by every HTML j2w writes (the report, the chat export). */
#ifndef J2W_HTML_H
#define J2W_HTML_H

#include <stdio.h>

/*
 * Writes s (NUL-terminated; NULL writes nothing) to fp escaped for HTML text and
 * attribute values: & < > " ' become entities; control characters other than
 * tab and newline, and bytes that are not valid UTF-8, become U+FFFD, so that
 * nothing is dropped silently and nothing reaches the page as markup.
 * Returns 0 or -1 (see ferror).
 */
int html_escape(FILE *fp, const char *s);

#endif
