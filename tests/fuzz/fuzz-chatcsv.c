/*
 * libFuzzer target: a persistent-chat CSV dump (the first byte picks the table,
 * the rest is the file) through the damage-tolerant reader, and every message row
 * through chatsrc_normalize (body choice, BODY_LEN, times, UTF-8).
 */
#include <stdint.h>
#include <stdio.h>

#include "chat/chatsrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	return 0;
}

static int
on_member(void *ctx, const struct chat_member *m, struct j2w_err *err)
{
	return 0;
}

static int
on_file(void *ctx, const struct chat_file *f, struct j2w_err *err)
{
	return 0;
}

static int
on_msg(void *ctx, const struct chat_msg *m, struct j2w_err *err)
{
	struct j2w_err cerr;
	int repaired;

	chatsrc_normalize(m, NULL, ctx, &repaired, &cerr);
	return 0;
}

static int
on_reject(void *ctx, enum chatsrc_table t, const char *why, struct j2w_err *err)
{
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chat_norm n;
	struct chat_sink sink = { .room = on_room, .member = on_member, .msg = on_msg,
		.file = on_file, .ctx = &n, .reject = (size > 0 && data[0] & 4) ? on_reject : NULL };
	struct j2w_err err;
	FILE *fp;

	if (size < 2)
		return 0;
	fp = fmemopen((void *)(data + 1), size - 1, "r");
	if (fp == NULL)
		return 0;
	chatsrc_norm_init(&n);
	chatsrc_csv_read_file(fp, "fuzz.csv", (enum chatsrc_table)(data[0] % 4), &sink, &err);
	chatsrc_norm_release(&n);
	fclose(fp);
	return 0;
}
