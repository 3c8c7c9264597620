/* UTF-8 validation and the Latin-1 fallback for exports saved in the wrong encoding. */
#ifndef J2W_UTF8_H
#define J2W_UTF8_H

#include <stddef.h>

#include "util/strbuf.h"

/*
 * Returns the byte offset of the first invalid UTF-8 sequence in s[0..len),
 * or len when all of it is valid (overlongs, surrogates and > U+10FFFF are invalid).
 */
size_t utf8_invalid_at(const char *s, size_t len);

/* Appends s, read as ISO-8859-1, to out as UTF-8. Returns 0 or -1 (cap, ENOMEM). */
int utf8_from_latin1(struct strbuf *out, const char *s, size_t len);

/*
 * Appends s (UTF-8) to out in lower case: ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic capitals are mapped; other characters, and bytes that are
 * not valid UTF-8, are copied unchanged. Returns 0 or -1 (cap, ENOMEM).
 */
int utf8_lower(struct strbuf *out, const char *s, size_t len);

/*
 * Appends s to out with what a terminal would act on made visible: LF, CR and
 * TAB as \n, \r and \t, other C0 controls, DEL and bytes that are not valid
 * UTF-8 as \xNN, C1 controls (U+0080 to U+009F) as \u0080 to \u009f. Other
 * characters, and backslashes, are copied as they are. Returns 0 or -1 (cap, ENOMEM).
 */
int utf8_escape_controls(struct strbuf *out, const char *s, size_t len);

#endif
