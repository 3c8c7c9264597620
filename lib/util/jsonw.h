/*
 * A direct JSON writer for records whose shape is fixed (the user record), for
 * the streaming hot path: one buffer, one write per record. It produces the same
 * bytes as jansson's compact dump of the same object.
 */
#ifndef J2W_JSONW_H
#define J2W_JSONW_H

#include "util/strbuf.h"

/* Appends s (valid UTF-8) as a JSON string literal with quotes. Returns 0 or -1. */
int jsonw_string(struct strbuf *sb, const char *s);

/*
 * Appends ,"key":"val" (or {"key":"val" for the first member: *first is cleared)
 * unless val is NULL. key is written as it is: a name with nothing to escape.
 * Returns 0 or -1.
 */
int jsonw_member_str(struct strbuf *sb, int *first, const char *key, const char *val);
/* As jsonw_member_str for a boolean; val < 0 means absent. */
int jsonw_member_bool(struct strbuf *sb, int *first, const char *key, int val);

#endif
