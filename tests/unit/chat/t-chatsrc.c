/* Unit tests for chatsrc: UTC times, nick, body choice, digests, COPY text rows. */
#include <stdlib.h>
#include <string.h>

#include "chat/chatsrc.h"
#include "unit.h"

static const char *
utc(const char *in, const char *tz)
{
	static char out[32];

	if (chatsrc_time_utc(in, tz, out, sizeof(out)) < 0)
		return "ERR";
	return out;
}

static void
test_time_forms(void)
{
	CHECK_STR(utc("2024-01-02 03:04:05", NULL), "2024-01-02T03:04:05.000Z");
	CHECK_STR(utc("2024-01-02T03:04:05.1", NULL), "2024-01-02T03:04:05.100Z");
	CHECK_STR(utc("2024-01-02 03:04:05.123456", NULL), "2024-01-02T03:04:05.123Z");
	CHECK_STR(utc("2024-01-02 03:04:05.999999+00", NULL), "2024-01-02T03:04:05.999Z");
	CHECK_STR(utc("2024-01-02 03:04:05+05:30", NULL), "2024-01-01T21:34:05.000Z");
	CHECK_STR(utc("2024-01-02 03:04:05-0800", NULL), "2024-01-02T11:04:05.000Z");
	CHECK_STR(utc("2024-01-02T03:04:05Z", "Europe/Berlin"), "2024-01-02T03:04:05.000Z");
	CHECK_STR(utc("2024-01-02 03:04", NULL), "2024-01-02T03:04:00.000Z");
	CHECK_STR(utc("2024-01-02 03:04:05 UTC", NULL), "2024-01-02T03:04:05.000Z");
	/* Unix seconds and milliseconds */
	CHECK_STR(utc("1700000000", NULL), "2023-11-14T22:13:20.000Z");
	CHECK_STR(utc("1700000000123", NULL), "2023-11-14T22:13:20.123Z");
	/* a named zone, with and without daylight saving time */
	CHECK_STR(utc("2024-01-15 12:00:00", "Europe/Berlin"), "2024-01-15T11:00:00.000Z");
	CHECK_STR(utc("2024-07-15 12:00:00", "Europe/Berlin"), "2024-07-15T10:00:00.000Z");
	CHECK_STR(utc("2024-07-15 12:00:00", "UTC"), "2024-07-15T12:00:00.000Z");
	/* MS SQL datetime2 (seven digits) and Oracle's default NLS format */
	CHECK_STR(utc("2024-03-01 08:52:11.8550000", NULL), "2024-03-01T08:52:11.855Z");
	CHECK_STR(utc("01-MAR-24 08.52.11.855000000 AM", NULL), "2024-03-01T08:52:11.855Z");
	CHECK_STR(utc("01-mar-24 12.00.00.000000 PM", NULL), "2024-03-01T12:00:00.000Z");
	CHECK_STR(utc("01-MAR-24 12.00.00 AM", NULL), "2024-03-01T00:00:00.000Z");
	CHECK_STR(utc("15-JUL-2024 17:30:00", NULL), "2024-07-15T17:30:00.000Z");
	CHECK_STR(utc("01-MAR-99 01.02.03.5 PM +02:00", NULL), "1999-03-01T11:02:03.500Z");
}

static void
test_time_rejects_junk(void)
{
	const char *bad[] = { "", "yesterday", "2024-13-01 00:00:00", "2024-01-32 00:00:00",
		"2024-01-02", "2024-01-02 25:00:00", "2024-01-02 03:04:05.", "2024-01-02 03:04:05+99",
		"2024-01-02 03:04:05 junk", "1969-12-31 23:59:59", "12345", "-1700000000",
		"2024-01-02 03:04:05.12x", "2024/01/02 03:04:05", "01-FOO-24 08.52.11",
		"01-MAR-24 13.00.00 PM", "01-MAR-2 08.52.11", "01-MAR-24", "01-MAR-24 08.52", "01-M", "01-", "01-MA" };
	char out[32];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(chatsrc_time_utc(bad[i], NULL, out, sizeof(out)) < 0);
	CHECK(chatsrc_time_utc("2024-01-02 03:04:05", NULL, out, 10) < 0);
	CHECK(chatsrc_time_utc(NULL, NULL, out, sizeof(out)) < 0);
}

static void
test_nick(void)
{
	CHECK_STR(chatsrc_nick("room@conf.example.com/Alice Ng"), "Alice Ng");
	CHECK_STR(chatsrc_nick("room@conf.example.com/a/b"), "a/b");
	CHECK_STR(chatsrc_nick("plain"), "plain");
	CHECK(chatsrc_nick(NULL) == NULL);
}

static void
test_normalize_body_choice_and_digest(void)
{
	struct chat_msg m = {
		.room_jid = "r@c", .msg_id = "7", .sent = "2024-01-02 03:04:05", .from_jid = "a@x",
		.nick_jid = "r@c/A", .msg_type = "g", .body_string = "", .body_text = "long text",
		.message_string = NULL, .message_text = "<message/>", .where = "t:1"
	};
	struct chat_norm n;
	struct j2w_err err;
	char first[65];
	int repaired;

	chatsrc_norm_init(&n);
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	CHECK_STR(n.body, "long text");
	CHECK_STR(n.stanza, "<message/>");
	CHECK_STR(n.nick, "A");
	CHECK_INT(n.msg_id, 7);
	CHECK_INT(repaired, 0);
	CHECK_INT(strlen(n.digest), 64);
	memcpy(first, n.digest, 65);
	/* BODY_STRING wins when set; the digest follows the content */
	m.body_string = "short";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	CHECK_STR(n.body, "short");
	CHECK(strcmp(first, n.digest) != 0);
	/* an empty FROM_JID is the same as NULL (CSV cannot tell them apart) */
	m.body_string = "";
	m.from_jid = "";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	{
		char empty[65];

		memcpy(empty, n.digest, 65);
		m.from_jid = NULL;
		CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
		CHECK_STR(n.digest, empty);
	}
	/* the same time written another way is the same message */
	m.from_jid = "a@x";
	m.sent = "2024-01-02T03:04:05.000+00:00";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	CHECK_STR(n.digest, first);
	chatsrc_norm_release(&n);
}

static void
test_normalize_rejects_and_repairs(void)
{
	struct chat_msg m = { .room_jid = "r@c", .msg_id = "x1", .sent = "2024-01-02 03:04:05",
		.body_string = "ok", .where = "f.csv:9" };
	struct chat_norm n;
	struct j2w_err err;
	int repaired;

	chatsrc_norm_init(&n);
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "f.csv:9: MSG_ID 'x1' is not a number");
	m.msg_id = NULL;
	m.room_jid = "";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_STR(err.msg, "f.csv:9: no TO_JID (room)");
	m.room_jid = "r@c";
	m.sent = NULL;
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_STR(err.msg, "f.csv:9: no SENT_DATE");
	m.sent = "2024-01-02 03:04:05";
	m.body_string = "a\xff" "b\xc3";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	CHECK_INT(repaired, 1);
	CHECK_STR(n.body, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	CHECK(!n.has_msg_id);
	chatsrc_norm_release(&n);
}

static int
parse(const char *in, char **f, int max, char *buf)
{
	size_t len = strlen(in);

	memcpy(buf, in, len + 1);
	return chatsrc_pg_parse_copy_row(buf, len, f, max);
}

static void
test_pgcopy_rows(void)
{
	char buf[256], *f[8];

	CHECK_INT(parse("a\tb\\tc\t\\N\t", f, 8, buf), 4);
	CHECK_STR(f[0], "a");
	CHECK_STR(f[1], "b\tc");
	CHECK(f[2] == NULL);
	CHECK_STR(f[3], "");
	CHECK_INT(parse("x\\ny\\\\N\\r\\101\\x41\\q", f, 8, buf), 1);
	CHECK_STR(f[0], "x\ny\\N\rAAq");
	CHECK_INT(parse("\\N", f, 8, buf), 1);
	CHECK(f[0] == NULL);
	CHECK_INT(parse("\\Nx", f, 8, buf), 1);
	CHECK_STR(f[0], "Nx");
	CHECK_INT(parse("", f, 8, buf), 1);
	CHECK_STR(f[0], "");
	/* hostile rows */
	CHECK_INT(parse("a\\", f, 8, buf), -1);		/* a lone backslash at the end */
	CHECK_INT(parse("a\\000b", f, 8, buf), -1);	/* NUL bytes */
	CHECK_INT(parse("a\\x00", f, 8, buf), -1);
	CHECK_INT(parse("a\\xZZ", f, 8, buf), -1);
	CHECK_INT(parse("1\t2\t3", f, 2, buf), -1);	/* more fields than wanted */
	CHECK_INT(parse("\t\t", f, 8, buf), 3);
}

UNIT_MAIN(TEST(test_time_forms), TEST(test_time_rejects_junk), TEST(test_nick),
    TEST(test_normalize_body_choice_and_digest), TEST(test_normalize_rejects_and_repairs),
    TEST(test_pgcopy_rows))
