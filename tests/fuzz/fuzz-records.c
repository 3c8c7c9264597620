/* libFuzzer target: JSON Lines or CSV input records, and what a wave makes of them. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record/records.h"
#include "webex/wave.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static int
each(const json_t *rec, const char *source, void *ctx)
{
	struct wave_entry e;

	wave_take(rec, NULL, &e);
	wave_take(rec, ctx, &e);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	FILE *fp = fmemopen((void *)d, n, "rb");
	struct rules rs;
	struct j2w_err err;
	static const char rules[] = "department=C* -> jabber\n* -> ucm profile=P\n";

	if (fp == NULL)
		return 0;
	rules_parse(&rs, rules, sizeof(rules) - 1, "r", &err);
	records_read(fp, "fuzz", each, &rs, &err);
	rules_release(&rs);
	fclose(fp);
	return 0;
}
