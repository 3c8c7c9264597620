/* Unit tests for bat_export: one pass over a large export, checks at open for a small one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/bat.h"
#include "unit.h"

/*
 * Writes an enduser.csv of rows data rows (CRLF), at least min_bytes long by
 * padding each row, with row bad (1-based, 0: none) replaced by malformed text.
 * Returns the file's size.
 */
static long
write_export(const char *path, unsigned long rows, size_t min_bytes, unsigned long bad,
    const char *bad_text)
{
	struct strbuf sb;
	size_t pad = min_bytes / (rows ? rows : 1);
	long size;

	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "USER ID,FIRST NAME,TITLE,DEVICE NAME 1\r\n");
	for (unsigned long i = 1; i <= rows; i++) {
		if (i == bad) {
			strbuf_addstr(&sb, bad_text);
			continue;
		}
		strbuf_addf(&sb, "u%lu,\"Name, %lu\",", i, i);
		for (size_t k = 0; k < pad; k++)
			strbuf_addch(&sb, 'x');
		strbuf_addf(&sb, ",CSFU%lu\r\n", i);
	}
	unit_write_file(path, sb.buf, sb.len);
	size = (long)sb.len;
	strbuf_release(&sb);
	return size;
}

static void
test_small_export_checked_at_open(void)
{
	const char *path = unit_tmpfile("enduser.csv");
	struct bat_export bx;
	struct j2w_err err;
	long size = write_export(path, 50, 0, 0, NULL);

	CHECK_INT(bat_export_open(&bx, path, 0, &err), 0);
	CHECK_INT(bx.checked, 1);
	CHECK_INT(bx.records, 50);
	CHECK_INT(bx.size, size);
	bat_export_close(&bx);
	/* a malformed last row of a small export stops the open */
	write_export(path, 50, 0, 50, "u50,\"open\r\n");
	CHECK_INT(bat_export_open(&bx, path, 0, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "enduser.csv:51: quoted field opened here is never closed") != NULL);
	remove(path);
}

static void
test_large_export_read_once(void)
{
	const char *path = unit_tmpfile("enduser.csv");
	struct strbuf problem, want;
	struct bat_export bx;
	struct j2w_err err;
	unsigned long n = 0;
	off_t last = 0;
	struct user u;
	long size = write_export(path, 30000, (size_t)2 << 20, 0, NULL);
	int rc;

	strbuf_init(&problem, 0);
	strbuf_init(&want, 0);
	CHECK(size > (long)BAT_CHECK_WHOLE_MAX);
	CHECK_INT(bat_export_open(&bx, path, 0, &err), 0);
	CHECK_INT(bx.checked, 0);
	CHECK_INT(bx.records, 0);
	CHECK_INT(bx.size, size);
	while ((rc = bat_export_next(&bx, &u, &problem, &err)) == 1) {
		n++;
		/* the source's line number is built by hand: check a long one */
		if (n == 29999) {
			strbuf_addf(&want, "bat:%s:30000", path);
			CHECK_STR(u.source, want.buf);
			CHECK_STR(u.first_name, "Name, 29999");
		}
		CHECK(bat_export_offset(&bx) >= last);
		last = bat_export_offset(&bx);
		user_release(&u);
	}
	CHECK_INT(rc, 0);
	CHECK_INT(n, 30000);
	CHECK_INT(bat_export_offset(&bx), size);
	bat_export_close(&bx);
	strbuf_release(&problem);
	strbuf_release(&want);
	remove(path);
}

/* A large export that breaks late: the rows before come out, then the error. */
static void
test_large_export_malformed_late(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "u9000,\"Lee\"x,t,SEP1\r\n", "enduser.csv:9001: text after the closing quote" },
		{ "u9000,Le\"e,t,SEP1\r\n", "enduser.csv:9001: quote inside an unquoted field" },
		{ "u9000,\"Lee,t,SEP1\r\n", NULL },
	};
	const char *path = unit_tmpfile("enduser.csv");

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct strbuf problem;
		struct bat_export bx;
		struct j2w_err err;
		unsigned long n = 0;
		struct user u;
		int rc;

		strbuf_init(&problem, 0);
		write_export(path, 9000, (size_t)2 << 20, 9000, bad[i].text);
		CHECK_INT(bat_export_open(&bx, path, 0, &err), 0);
		while ((rc = bat_export_next(&bx, &u, &problem, &err)) == 1) {
			n++;
			user_release(&u);
		}
		CHECK_INT(rc, -1);
		CHECK_INT(n, 8999);
		CHECK_INT(err.status, J2W_EDATA);
		if (bad[i].msg != NULL)
			CHECK(strstr(err.msg, bad[i].msg) != NULL);
		else
			CHECK(strstr(err.msg, "enduser.csv:9001: quoted field opened here is never "
			    "closed") != NULL);
		bat_export_close(&bx);
		strbuf_release(&problem);
	}
	remove(path);
}

UNIT_MAIN(TEST(test_small_export_checked_at_open), TEST(test_large_export_read_once),
    TEST(test_large_export_malformed_late))
