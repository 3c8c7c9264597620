/* Unit tests for the reader pipeline: order and contents across batches, tables not read, errors of either side. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatpipe.h"
#include "unit.h"

#define NMSG 3000	/* several batches of the pipeline */

/* What the fake reader produces, and how it ends. */
struct source {
	int nmsg;
	int fail_after;		/* the reader fails after this many messages; -1: never */
	int saw_room_cb, saw_member_cb, saw_file_cb;
	int stopped;		/* a sink callback failed: the writer asked it to stop */
};

static int
fake_read(void *arg, const struct chat_sink *sink, struct j2w_err *err)
{
	struct source *src = arg;
	char where[32], id[32], sent[40], body[64];

	src->saw_room_cb = sink->room != NULL;
	src->saw_member_cb = sink->member != NULL;
	src->saw_file_cb = sink->file != NULL;
	if (sink->total != NULL)
		sink->total(sink->ctx, (uint64_t)src->nmsg + 1);
	if (sink->room != NULL) {
		struct chat_room r = { "dev@conf.example.com", "alice@example.com", "Sprint", "persistent",
			NULL, NULL, "rooms:1" };

		if (sink->room(sink->ctx, &r, err) < 0)
			return -1;
	}
	if (sink->member != NULL) {
		struct chat_member m = { "dev@conf.example.com", "bob@example.com", "participant",
			"member", "dev@conf.example.com/Bob", "users:1" };

		if (sink->member(sink->ctx, &m, err) < 0)
			return -1;
	}
	for (int i = 0; i < src->nmsg; i++) {
		struct chat_msg m = { 0 };

		if (i == src->fail_after)
			return err_set(err, J2W_EDATA, "msgs:%d: the source broke", i + 1);
		snprintf(where, sizeof(where), "msgs:%d", i + 1);
		snprintf(id, sizeof(id), "%d", i + 1);
		snprintf(sent, sizeof(sent), "2024-05-02 09:%02d:%02d", (i / 60) % 60, i % 60);
		snprintf(body, sizeof(body), "message number %d", i + 1);
		m.room_jid = "dev@conf.example.com";
		m.msg_id = id;
		m.sent = sent;
		m.from_jid = "bob@example.com/laptop";
		m.nick_jid = "dev@conf.example.com/Bob";
		m.msg_type = "groupchat";
		m.body_string = body;
		m.where = where;
		if (sink->msg(sink->ctx, &m, err) < 0) {
			src->stopped = 1;
			return -1;
		}
		if (i == 10) {
			/* a row that cannot be archived: reaches the writer as a rejection */
			struct chat_msg bad = { 0 };

			bad.msg_id = "x";
			bad.room_jid = "dev@conf.example.com";
			bad.sent = "2024-05-02 09:00:00";
			bad.where = "msgs:bad";
			if (sink->msg(sink->ctx, &bad, err) < 0)
				return -1;
		}
	}
	if (sink->file != NULL) {
		struct chat_file f = { "7", "bob@example.com", "dev@conf.example.com", "POST", "a.txt",
			"a.txt", "fs1", "/files/a.txt", "12", "2024-05-02 09:00:01", "aft:1" };

		if (sink->file(sink->ctx, &f, err) < 0)
			return -1;
	}
	return 0;
}

/* What the writer side saw. */
struct seen {
	int rooms, members, files, rejects, msgs;
	uint64_t total;
	int in_order;
	long long last_id;
	int stop_after;		/* msg fails after this many; -1: never */
	char first_where[32], first_sent[32], first_nick[32], reject[256], file_where[32];
	char first_digest[65];
};

static int
on_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	struct seen *s = ctx;

	s->rooms++;
	CHECK_STR(r->room_jid, "dev@conf.example.com");
	CHECK_STR(r->subject, "Sprint");
	CHECK(r->config == NULL);
	CHECK_STR(r->where, "rooms:1");
	return 0;
}

static int
on_member(void *ctx, const struct chat_member *m, struct j2w_err *err)
{
	struct seen *s = ctx;

	s->members++;
	CHECK_STR(m->nick_jid, "dev@conf.example.com/Bob");
	CHECK_STR(m->where, "users:1");
	return 0;
}

static int
on_file(void *ctx, const struct chat_file *f, struct j2w_err *err)
{
	struct seen *s = ctx;

	s->files++;
	CHECK_STR(f->aft_index, "7");
	CHECK_STR(f->timestamp, "2024-05-02 09:00:01");
	snprintf(s->file_where, sizeof(s->file_where), "%s", f->where);
	return 0;
}

static void
on_total(void *ctx, uint64_t n)
{
	((struct seen *)ctx)->total = n;
}

static void
on_reject(void *ctx, int message, const char *why)
{
	struct seen *s = ctx;

	s->rejects++;
	snprintf(s->reject, sizeof(s->reject), "%s", why);
}

static int
on_msg(void *ctx, const struct chat_norm *n, const char *where, int repaired,
    struct j2w_err *err)
{
	struct seen *s = ctx;

	if (s->msgs == s->stop_after)
		return err_set(err, J2W_ESYS, "the archive is full");
	if (s->msgs == 0) {
		snprintf(s->first_where, sizeof(s->first_where), "%s", where);
		snprintf(s->first_sent, sizeof(s->first_sent), "%s", n->sent_utc);
		snprintf(s->first_nick, sizeof(s->first_nick), "%s", n->nick);
		memcpy(s->first_digest, n->digest, sizeof(s->first_digest));
	}
	if (!n->has_msg_id || n->msg_id != s->last_id + 1)
		s->in_order = 0;
	s->last_id = n->msg_id;
	CHECK(!repaired);
	s->msgs++;
	return 0;
}

static const struct chatpipe_ops all_ops = {
	on_room, on_member, on_file, on_total, on_reject, on_msg
};

static void
seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->in_order = 1;
	s->stop_after = -1;
}

static void
test_everything_arrives_in_order(void)
{
	struct source src = { NMSG, -1, 0, 0, 0, 0 };
	struct seen s;
	struct j2w_err err;
	struct chat_msg m = { 0 };
	struct chat_norm n;
	int repaired;

	seen_init(&s);
	CHECK_INT(chatpipe_run(&all_ops, &s, NULL, fake_read, &src, &err), 0);
	CHECK(src.saw_room_cb && src.saw_member_cb && src.saw_file_cb);
	CHECK_INT(s.rooms, 1);
	CHECK_INT(s.members, 1);
	CHECK_INT(s.files, 1);
	CHECK_INT(s.msgs, NMSG);
	CHECK_INT(s.total, NMSG + 1);
	CHECK(s.in_order);
	CHECK_STR(s.first_where, "msgs:1");
	CHECK_STR(s.first_sent, "2024-05-02T09:00:00.000Z");
	CHECK_STR(s.first_nick, "Bob");
	CHECK_STR(s.file_where, "aft:1");
	CHECK_INT(s.rejects, 1);
	CHECK(strstr(s.reject, "msgs:bad") != NULL && strstr(s.reject, "MSG_ID") != NULL);
	/* the digest crosses the threads unchanged */
	m.room_jid = "dev@conf.example.com";
	m.msg_id = "1";
	m.sent = "2024-05-02 09:00:00";
	m.from_jid = "bob@example.com/laptop";
	m.nick_jid = "dev@conf.example.com/Bob";
	m.msg_type = "groupchat";
	m.body_string = "message number 1";
	chatsrc_norm_init(&n);
	CHECK_INT(chatsrc_normalize(&m, NULL, &n, &repaired, &err), 0);
	CHECK_STR(s.first_digest, n.digest);
	chatsrc_norm_release(&n);
}

static void
test_tables_not_asked_for_are_not_read(void)
{
	static const struct chatpipe_ops msgs_only = { NULL, NULL, NULL, NULL, on_reject, on_msg };
	struct source src = { 10, -1, 0, 0, 0, 0 };
	struct seen s;
	struct j2w_err err;

	seen_init(&s);
	CHECK_INT(chatpipe_run(&msgs_only, &s, NULL, fake_read, &src, &err), 0);
	CHECK(!src.saw_room_cb && !src.saw_member_cb && !src.saw_file_cb);
	CHECK_INT(s.msgs, 10);
	CHECK_INT(s.total, 0);
}

static void
test_writer_error_stops_the_reader(void)
{
	struct source src = { 200000, -1, 0, 0, 0, 0 };
	struct seen s;
	struct j2w_err err;

	seen_init(&s);
	s.stop_after = 700;
	CHECK_INT(chatpipe_run(&all_ops, &s, NULL, fake_read, &src, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK_STR(err.msg, "the archive is full");
	CHECK_INT(s.msgs, 700);
	/* the reader gave up long before the end of its source */
	CHECK(src.stopped);
}

static void
test_reader_error_is_returned(void)
{
	struct source src = { NMSG, 1500, 0, 0, 0, 0 };
	struct seen s;
	struct j2w_err err;

	seen_init(&s);
	CHECK_INT(chatpipe_run(&all_ops, &s, NULL, fake_read, &src, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "msgs:1501: the source broke");
	/* whole batches before the failure were handed over; none after it */
	CHECK(s.msgs <= 1500);
	CHECK(s.in_order);
	CHECK_INT(s.files, 0);
}

static void
test_zone_less_times_in_the_source_zone(void)
{
	struct source src = { 1, -1, 0, 0, 0, 0 };
	struct seen s;
	struct j2w_err err;

	seen_init(&s);
	CHECK_INT(chatpipe_run(&all_ops, &s, "Europe/Berlin", fake_read, &src, &err), 0);
	/* 09:00 in Berlin in May (CEST, UTC+2) */
	CHECK_STR(s.first_sent, "2024-05-02T07:00:00.000Z");
}

UNIT_MAIN(TEST(test_everything_arrives_in_order), TEST(test_tables_not_asked_for_are_not_read),
    TEST(test_writer_error_stops_the_reader), TEST(test_reader_error_is_returned),
    TEST(test_zone_less_times_in_the_source_zone))
