/*
 * Unit tests for chatsrc: UTC times, nick, body choice, digests, BODY_LEN, COPY
 * text rows, and CSV dumps with damaged rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

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

static void
test_normalize_body_len(void)
{
	struct chat_msg m = { .room_jid = "r@c", .msg_id = "1", .sent = "2024-01-02 03:04:05",
		.body_string = "Deploy at 10", .body_len = "12", .where = "f.csv:3" };
	struct chat_norm n;
	struct j2w_err err;
	int repaired;

	chatsrc_norm_init(&n);
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	/* a body cut short of BODY_LEN is not archived as if whole */
	m.body_string = "Deploy a";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "f.csv:3: the body has 8 bytes where BODY_LEN says 12 (cut short?)");
	/* BODY_LEN in characters: a whole body has as many bytes or more */
	m.body_string = "会议改到下午三点";
	m.body_len = "8";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	/* the long form counts too, and no body at all is cut when BODY_LEN says more */
	m.body_string = NULL;
	m.body_text = "0123456789";
	m.body_len = "10";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	m.body_text = NULL;
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_STR(err.msg, "f.csv:3: the body has 0 bytes where BODY_LEN says 10 (cut short?)");
	m.body_len = "0";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	m.body_len = "ten";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_STR(err.msg, "f.csv:3: BODY_LEN 'ten' is not a number");
	m.body_len = "-1";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	/* a row the reader found damaged */
	m.body_len = NULL;
	m.damaged = "the file ends inside a quoted field (cut short?)";
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), -1);
	CHECK_STR(err.msg, "f.csv:3: the file ends inside a quoted field (cut short?)");
	chatsrc_norm_release(&n);
}

/* A sink that writes down every row it is told, one line each. */
static int
rec_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	return strbuf_addf(ctx, "room %s|%s|%s\n", r->room_jid, r->config ? r->config : "-",
	    r->where);
}

static int
rec_msg(void *ctx, const struct chat_msg *m, struct j2w_err *err)
{
	if (m->damaged != NULL)
		return strbuf_addf(ctx, "damaged %s|%s\n", m->where, m->damaged);
	return strbuf_addf(ctx, "msg %s|%s|%s|%s|%s\n", m->msg_id ? m->msg_id : "-",
	    m->body_string ? m->body_string : "-", m->body_text ? m->body_text : "-",
	    m->body_len ? m->body_len : "-", m->where);
}

static int
rec_reject(void *ctx, enum chatsrc_table t, const char *why, struct j2w_err *err)
{
	return strbuf_addf(ctx, "reject %s\n", why);
}

/* Reads csv as table t into out; returns chatsrc_csv_read_file's result. */
static int
read_csv(const char *csv, size_t len, enum chatsrc_table t, int with_reject, struct strbuf *out,
    struct j2w_err *err)
{
	struct chat_sink sink = { .room = rec_room, .msg = rec_msg, .ctx = out,
		.reject = with_reject ? rec_reject : NULL };
	FILE *fp = fmemopen((void *)csv, len, "r");
	int rc;

	strbuf_reset(out);
	rc = chatsrc_csv_read_file(fp, "T.csv", t, &sink, err);
	fclose(fp);
	return rc;
}

static void
test_csv_whole_rows(void)
{
	static const char csv[] =
	    "\xef\xbb\xbfMSG_ID,TO_JID,SENT_DATE,BODY_STRING,BODY_TEXT,BODY_LEN\r\n"
	    "1,r@c,2024-01-02 03:04:05,hi,,2\r\n"
	    "\r\n"
	    "2,r@c,2024-01-02 03:04:06,,\"two\r\nlines, \"\"quoted\"\"\",21\r\n"
	    "3,r@c,2024-01-02 03:04:07,lone CR,,\r"
	    "4,r@c,2024-01-02 03:04:08,last,,4";
	struct strbuf out;
	struct j2w_err err;

	strbuf_init(&out, 0);
	CHECK_INT(read_csv(csv, sizeof(csv) - 1, CHATSRC_MSGS, 1, &out, &err), 0);
	CHECK_STR(out.buf,
	    "msg 1|hi|-|2|T.csv:2\n"
	    "msg 2|-|two\r\nlines, \"quoted\"|21|T.csv:4\n"
	    "msg 3|lone CR|-|-|T.csv:6\n"
	    "msg 4|last|-|4|T.csv:7\n");
	strbuf_release(&out);
}

static void
test_csv_damaged_rows(void)
{
	static const char head[] = "ROOM_JID,CREATOR_JID,SUBJECT,TYPE,CONFIG,SPACKET\r\n";
	static const struct {
		const char *rows, *want;
	} cases[] = {
		/* a dump cut off inside a quoted field: the rows before it stand */
		{ "a@c,x,s,persistent,<x/>,\r\nb@c,x,s,persistent,\"<x><field var='muc#roomconf",
		  "room a@c|<x/>|T.csv:2\n"
		  "reject T.csv:3: the file ends inside a quoted field (cut short?): row not archived\n" },
		/* cut between fields, and inside an unquoted field */
		{ "a@c,x,s,pers", "reject T.csv:2: 4 fields where the header has 6 (cut short?): "
		  "row not archived\n" },
		{ "a@c,x,s,persistent,<x/>,,extra\r\nb@c,x,s,p,<y/>,\r\n",
		  "reject T.csv:2: 7 fields where the header has 6 (a comma outside quotes?): "
		  "row not archived\nroom b@c|<y/>|T.csv:3\n" },
		/* a NUL byte, a stray quote, text after a closing quote: that row only */
		{ "a@c,x,s\0s,p,<x/>,\r\nb@c,x,\"s\"t,p,<y/>,\r\nc@c,x,s\"t,p,<z/>,\r\nd@c,x,s,p,,\r\n",
		  "reject T.csv:2: a NUL byte in a field (is the file UTF-16?): row not archived\n"
		  "reject T.csv:3: text after the closing quote of a field: row not archived\n"
		  "reject T.csv:4: a quote inside a field that does not start with one: row not "
		  "archived\nroom d@c|-|T.csv:5\n" },
		/* a quote that never closes swallows the lines after it: they are named */
		{ "a@c,x,\"s,p,<x/>,\r\nb@c,x,s,p,<y/>,\r\nc@c\r\n",
		  "reject T.csv:2: the file ends inside a quoted field (cut short?) (lines 2-4): row "
		  "not archived\n" },
	};
	char buf[1024];
	struct strbuf out;
	struct j2w_err err;

	strbuf_init(&out, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(head), rl = strlen(cases[i].rows);

		memcpy(buf, head, n);
		memcpy(buf + n, cases[i].rows, rl);
		/* the NUL case holds a NUL: its length is the rest of the literal */
		if (strstr(cases[i].want, "NUL byte") != NULL)
			rl += 1 + strlen(cases[i].rows + rl + 1);
		memcpy(buf + n, cases[i].rows, rl);
		CHECK_INT(read_csv(buf, n + rl, CHATSRC_ROOMS, 1, &out, &err), 0);
		CHECK_STR(out.buf, cases[i].want);
	}
	strbuf_release(&out);
}

static void
test_csv_huge_field(void)
{
	static const char head[] = "MSG_ID,TO_JID,SENT_DATE,BODY_STRING\r\n1,r@c,t,\"";
	static const char tail[] = "\"\r\n2,r@c,t,after\r\n";
	size_t big = ((size_t)4 << 20) + 10, n = strlen(head);
	char *csv = malloc(n + big + sizeof(tail));
	struct strbuf out;
	struct j2w_err err;

	CHECK(csv != NULL);
	if (csv == NULL)
		return;
	memcpy(csv, head, n);
	memset(csv + n, 'x', big);
	memcpy(csv + n + big, tail, sizeof(tail));
	strbuf_init(&out, 0);
	CHECK_INT(read_csv(csv, n + big + sizeof(tail) - 1, CHATSRC_MSGS, 1, &out, &err), 0);
	CHECK_STR(out.buf, "reject T.csv:2: a field longer than 4194304 bytes: row not archived\n"
	    "msg 2|after|-|-|T.csv:3\n");
	strbuf_release(&out);
	free(csv);
}

static void
test_csv_bad_files(void)
{
	static const char utf16[] = "\xff\xfeR\0O\0O\0M\0_\0J\0I\0D\0\r\0\n\0";
	static const char cut[] = "MSG_ID,TO_JID,SENT_DATE,BODY_STRING\r\n1,r@c,t,\"cut";
	struct strbuf out;
	struct j2w_err err;

	strbuf_init(&out, 0);
	CHECK_INT(read_csv(utf16, sizeof(utf16) - 1, CHATSRC_ROOMS, 1, &out, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "T.csv:1: the header row is not whole: a NUL byte in a field "
	    "(is the file UTF-16?)");
	CHECK_INT(read_csv("", 0, CHATSRC_ROOMS, 1, &out, &err), -1);
	CHECK_STR(err.msg, "T.csv: empty file (no header row)");
	CHECK_INT(read_csv("\"ROOM_JID", 9, CHATSRC_ROOMS, 1, &out, &err), -1);
	CHECK_INT(read_csv("ROOM,X\r\n", 8, CHATSRC_ROOMS, 1, &out, &err), -1);
	CHECK_STR(err.msg, "T.csv:1: no 'ROOM_JID' column");
	/* without a reject callback: a message reaches msg marked, another row stops the read */
	CHECK_INT(read_csv(cut, sizeof(cut) - 1, CHATSRC_MSGS, 0, &out, &err), 0);
	CHECK_STR(out.buf, "damaged T.csv:2|the file ends inside a quoted field (cut short?)\n");
	CHECK_INT(read_csv("ROOM_JID,CONFIG\r\na@c,\"<x", 22, CHATSRC_ROOMS, 0, &out, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "T.csv:2: the file ends inside a quoted field (cut short?): row not "
	    "archived");
	strbuf_release(&out);
}

UNIT_MAIN(TEST(test_time_forms), TEST(test_time_rejects_junk), TEST(test_nick),
    TEST(test_normalize_body_choice_and_digest), TEST(test_normalize_rejects_and_repairs),
    TEST(test_normalize_body_len), TEST(test_pgcopy_rows), TEST(test_csv_whole_rows),
    TEST(test_csv_damaged_rows), TEST(test_csv_huge_field), TEST(test_csv_bad_files))
