/* JSON Lines on jansson: one object per line in, one compact object per line out. */
#ifndef J2W_JSONL_H
#define J2W_JSONL_H

#include <stdio.h>
#include <jansson.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define JSONL_LINE_MAX ((size_t)16 << 20)

struct jsonl_reader {
	FILE *fp;
	const char *name;	/* for messages; not owned */
	unsigned long line;	/* line of the record last returned */
	unsigned long records;	/* objects returned so far */
	struct strbuf sb;
};

/* Starts reading fp; name is used in messages ("-" shows as "<stdin>"). */
void jsonl_reader_init(struct jsonl_reader *r, FILE *fp, const char *name);
void jsonl_reader_release(struct jsonl_reader *r);
/*
 * Reads the next non-blank line as a JSON object into *out (caller json_decref()s).
 * Returns 1, 0 at the end, or -1 with err ("NAME:LINE: ...", J2W_EDATA for a line
 * that is not one JSON object or is longer than JSONL_LINE_MAX). When the first
 * record is CSV rather than JSON, the message says so.
 */
int jsonl_next(struct jsonl_reader *r, json_t **out, struct j2w_err *err);

/* Writes obj compactly and a newline. Returns 0 or -1 (see ferror(fp)). */
int jsonl_write(FILE *fp, const json_t *obj);

/* Returns the string value of key in obj, or NULL when absent or not a string. */
const char *json_get_str(const json_t *obj, const char *key);

/*
 * Sets key to a copy of val unless val is NULL, empty or the literal "NULL"
 * (absent values are absent keys). Returns 0, or -1 when val is not valid UTF-8.
 */
int json_set_str(json_t *obj, const char *key, const char *val);

#endif
