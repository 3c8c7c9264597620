/* Fuzz target for JSON Lines: jsonl_next over any bytes, and jsonl_write's output read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes obj and reads it back: one line, the same object. */
static void
round_trip(const json_t *obj)
{
	struct jsonl_reader r;
	struct j2w_err err;
	json_t *back = NULL;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	if (fp == NULL || jsonl_write(fp, obj) < 0)
		abort();
	fclose(fp);
	if (memchr(out, '\n', len) != out + len - 1)
		abort();
	fp = fmemopen(out, len, "r");
	if (fp == NULL)
		abort();
	jsonl_reader_init(&r, fp, "rt");
	if (jsonl_next(&r, &back, &err) != 1 || !json_equal(obj, back))
		abort();
	json_decref(back);
	if (jsonl_next(&r, &back, &err) != 0)
		abort();
	jsonl_reader_release(&r);
	fclose(fp);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonl_reader r;
	struct j2w_err err;
	unsigned long last = 0;
	json_t *obj;
	FILE *fp;
	int rc;

	if (size == 0)
		return 0;
	fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return 0;
	jsonl_reader_init(&r, fp, "fuzz.jsonl");
	while ((rc = jsonl_next(&r, &obj, &err)) == 1) {
		const char *key;
		json_t *val;

		if (!json_is_object(obj) || r.line <= last)
			abort();
		last = r.line;
		json_object_foreach(obj, key, val)
			(void)json_get_str(obj, key);
		round_trip(obj);
		json_decref(obj);
	}
	if (rc < 0 && (err.status != J2W_EDATA || strncmp(err.msg, "fuzz.jsonl:", 11) != 0))
		abort();
	if (rc < 0 && obj != NULL)
		abort();
	jsonl_reader_release(&r);
	fclose(fp);
	return 0;
}
