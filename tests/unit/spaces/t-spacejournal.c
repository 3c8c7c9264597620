/* Unit tests for spacejournal: the plan, synced intents, results, reading back, rollback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spaces/spacejournal.h"
#include "unit.h"

struct seen {
	char buf[2048];
};

static int
room_cb(void *ctx, const struct spacej_room *r)
{
	struct seen *s = ctx;
	size_t n = strlen(s->buf);

	snprintf(s->buf + n, sizeof(s->buf) - n, "%ld %s %s %s ours=%d rb=%s|", r->seq, r->room_jid,
	    r->state, r->space_id ? r->space_id : "-", r->ours, r->rb_state ? r->rb_state : "-");
	return 0;
}

static int
member_cb(void *ctx, const struct spacej_member *m)
{
	struct seen *s = ctx;
	size_t n = strlen(s->buf);

	snprintf(s->buf + n, sizeof(s->buf) - n, "%s %s %s|", m->jid, m->state,
	    m->reason ? m->reason : m->membership_id ? m->membership_id : "-");
	return 0;
}

static int
part_cb(void *ctx, const struct spacej_part *p)
{
	struct seen *s = ctx;
	size_t n = strlen(s->buf);

	snprintf(s->buf + n, sizeof(s->buf) - n, "%d/%d %s %s %s|", p->part, p->parts, p->state,
	    p->message_id ? p->message_id : "-", p->intent_utc ? "intent" : "-");
	return 0;
}

static void
test_plan_steps_and_reading_back(void)
{
	const char *path = unit_tmpfile("spaces-journal.db");
	struct spacej j;
	struct j2w_err err;
	struct seen s = { "" };
	char *v = NULL;

	unlink(path);
	CHECK_INT(spacej_create(&j, path, "http://127.0.0.1:1/v1", "/tmp/chat.db", "abc", &err), 0);
	CHECK_INT(spacej_run_start(&j, "commit", &err), 0);
	CHECK_INT(spacej_begin(&j, &err), 0);
	CHECK_INT(spacej_add_room(&j, 1, "dev@c", "Dev", "j2w-space-1", 3, &err), 0);
	CHECK_INT(spacej_add_member(&j, "dev@c", "alice@x", "alice@x", "P1", 1, NULL, &err), 0);
	CHECK_INT(spacej_add_member(&j, "dev@c", "zoe@x", NULL, NULL, 0, "not in the reconcile output",
	    &err), 0);
	CHECK_INT(spacej_add_part(&j, "dev@c", 1, 2, NULL, "2024-02", "2024-01-01", "2024-01-31", 2,
	    100, &err), 0);
	CHECK_INT(spacej_add_part(&j, "dev@c", 2, 2, "2024-02", NULL, "2024-02-01", "2024-02-01", 1,
	    50, &err), 0);
	CHECK_INT(spacej_add_room(&j, 2, "ops@c", "Ops", "j2w-space-2", 0, &err), 0);
	/* one room per JID */
	CHECK_INT(spacej_add_room(&j, 3, "ops@c", "Ops", "j2w-space-2", 0, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(spacej_commit(&j, &err), 0);

	CHECK_INT(spacej_room_intent(&j, "dev@c", &err), 0);
	CHECK_INT(spacej_room_space(&j, "dev@c", "SPACE1", 1, 200, "T1", &err), 0);
	CHECK_INT(spacej_part_intent(&j, "dev@c", 1, &err), 0);
	CHECK_INT(spacej_part_result(&j, "dev@c", 1, "posted", "MSG1", 99, 200, "T2", NULL, &err), 0);
	CHECK_INT(spacej_part_intent(&j, "dev@c", 2, &err), 0);
	CHECK_INT(spacej_member_result(&j, "dev@c", "alice@x", "added", "M1", 200, "T3", NULL, &err), 0);
	CHECK_INT(spacej_room_state(&j, "dev@c", "failed", 0, NULL, "part 2 was not posted", &err), 0);
	CHECK_INT(spacej_room_state(&j, "ops@c", "exists", 0, NULL, NULL, &err), 0);
	CHECK_INT(spacej_run_end(&j, 1, "summary", &err), 0);
	spacej_close(&j);

	/* an existing journal is never overwritten */
	CHECK_INT(spacej_create(&j, path, "x", NULL, NULL, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "--resume") != NULL);

	CHECK_INT(spacej_open(&j, path, &err), 0);
	CHECK_INT(spacej_meta(&j, "archive_digest", &v, &err), 0);
	CHECK_STR(v, "abc");
	free(v);
	CHECK_INT(spacej_meta(&j, "kind", &v, &err), 0);
	CHECK_STR(v, "spaces");
	free(v);
	CHECK_INT(spacej_rooms(&j, room_cb, &s, &err), 0);
	CHECK_STR(s.buf, "1 dev@c failed SPACE1 ours=1 rb=-|2 ops@c exists - ours=0 rb=-|");
	s.buf[0] = '\0';
	CHECK_INT(spacej_members(&j, "dev@c", member_cb, &s, &err), 0);
	CHECK_STR(s.buf, "alice@x added M1|zoe@x left_out not in the reconcile output|");
	s.buf[0] = '\0';
	CHECK_INT(spacej_parts(&j, "dev@c", part_cb, &s, &err), 0);
	CHECK_STR(s.buf, "1/2 posted MSG1 intent|2/2 posting - intent|");
	CHECK_INT(spacej_room_rollback(&j, "dev@c", "deleted", 204, "T4", NULL, &err), 0);
	s.buf[0] = '\0';
	CHECK_INT(spacej_rooms(&j, room_cb, &s, &err), 0);
	CHECK(strstr(s.buf, "rb=deleted") != NULL);
	spacej_close(&j);
	unlink(path);
}

static void
test_not_a_journal(void)
{
	const char *path = unit_tmpfile("not-a-journal.db");
	struct spacej j;
	struct j2w_err err;

	unlink(path);
	CHECK_INT(spacej_open(&j, path, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_INT(unit_write_file(path, "", 0), 0);
	CHECK_INT(spacej_open(&j, path, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	unlink(path);
}

UNIT_MAIN(TEST(test_plan_steps_and_reading_back), TEST(test_not_a_journal))
