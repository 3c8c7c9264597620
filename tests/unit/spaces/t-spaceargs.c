/* Unit tests for spaceargs: the spaces options together, a journal's start, room notes, why a run stopped, the summary. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spaces/spaceargs.h"
#include "unit.h"

/* spaceargs_check's message for a, or "ok". */
static const char *
check(struct spaceargs a)
{
	static struct j2w_err err;

	if (spaceargs_check(&a, &err) == 0)
		return "ok";
	return err.status == J2W_EUSAGE ? err.msg : "(not a usage error)";
}

static void
test_check(void)
{
	CHECK_STR(check((struct spaceargs){ .archive = "c.db", .map = "m" }), "ok");
	CHECK_STR(check((struct spaceargs){ .archive = "c.db", .map = "m", .plan = 1 }), "ok");
	CHECK_STR(check((struct spaceargs){ .archive = "c.db", .map = "m", .commit = 1,
	    .journal = "j" }), "ok");
	CHECK_STR(check((struct spaceargs){ .resume = "j", .commit = 1 }), "ok");
	CHECK_STR(check((struct spaceargs){ .resume = "j", .archive = "c.db", .commit = 1 }), "ok");
	CHECK_STR(check((struct spaceargs){ .rollback = "j" }), "ok");
	CHECK_STR(check((struct spaceargs){ .rollback = "j", .commit = 1 }), "ok");
	CHECK_STR(check((struct spaceargs){ .archive = "c.db", .map = "m", .commit = 1, .plan = 1,
	    .journal = "j" }), "--plan and --commit exclude each other");
	CHECK_STR(check((struct spaceargs){ .resume = "j", .rollback = "j", .commit = 1 }),
	    "give one of --journal, --resume and --rollback");
	CHECK_STR(check((struct spaceargs){ .archive = "c.db" }),
	    "spaces wants the archive and the reconcile output: spaces ARCHIVE.db --map "
	    "RECONCILED.jsonl");
	CHECK_STR(check((struct spaceargs){ .map = "m" }),
	    "spaces wants the archive and the reconcile output: spaces ARCHIVE.db --map "
	    "RECONCILED.jsonl");
	CHECK_STR(check((struct spaceargs){ .resume = "j", .room = "r@c", .commit = 1 }),
	    "--resume and --rollback take their rooms from the journal, not from --map or --room");
	CHECK_STR(check((struct spaceargs){ .rollback = "j", .map = "m" }),
	    "--resume and --rollback take their rooms from the journal, not from --map or --room");
	CHECK_STR(check((struct spaceargs){ .rollback = "j", .archive = "c.db" }),
	    "--rollback needs only the journal, not 'c.db'");
	CHECK_STR(check((struct spaceargs){ .archive = "c.db", .map = "m", .journal = "j" }),
	    "--journal records changes: it goes with --commit");
	CHECK_STR(check((struct spaceargs){ .archive = "c.db", .map = "m", .commit = 1 }),
	    "--commit needs --journal FILE: the record that --resume and --rollback work from");
	CHECK_STR(check((struct spaceargs){ .resume = "j" }),
	    "--resume continues a commit: give --commit as well");
}

static void
test_start_from_a_journal(void)
{
	char path[1024], none[1024], want[1536];
	struct spaceargs a = { .resume = path, .commit = 1 };
	struct spaces_run run;
	struct chatdb *db = NULL;
	struct spacej j;
	struct j2w_err err;

	/* unit_tmpfile's buffer is static: a copy for each name */
	snprintf(path, sizeof(path), "%s", unit_tmpfile("spaceargs-journal.db"));
	snprintf(none, sizeof(none), "%s", unit_tmpfile("spaceargs-none.db"));
	unlink(path);
	CHECK_INT(spacej_create(&j, path, "http://127.0.0.1:1/v1", NULL, NULL, &err), 0);
	spacej_close(&j);

	/* another API than the journal's: the command line is wrong, not the journal */
	spaces_run_init(&run);
	memset(&j, 0, sizeof(j));
	CHECK_INT(spaceargs_start(&run, &a, NULL, "http://127.0.0.1:2/v1", &j, &db, &err), 1);
	CHECK_INT(err.status, J2W_EUSAGE);
	snprintf(want, sizeof(want), "journal '%s' was written against the API "
	    "'http://127.0.0.1:1/v1', not 'http://127.0.0.1:2/v1': give --api", path);
	CHECK_STR(err.msg, want);
	CHECK(db == NULL);
	spacej_close(&j);
	free((char *)run.digest);
	spaces_run_release(&run);

	/* --resume of a journal that names no archive wants ARCHIVE.db */
	spaces_run_init(&run);
	memset(&j, 0, sizeof(j));
	CHECK_INT(spaceargs_start(&run, &a, NULL, "http://127.0.0.1:1/v1", &j, &db, &err), 1);
	snprintf(want, sizeof(want), "journal '%s' names no archive: give ARCHIVE.db", path);
	CHECK_STR(err.msg, want);
	CHECK(db == NULL);
	spacej_close(&j);
	spaces_run_release(&run);

	/* a file that is no journal */
	a.resume = NULL;
	a.rollback = none;
	unlink(none);
	spaces_run_init(&run);
	memset(&j, 0, sizeof(j));
	CHECK_INT(spaceargs_start(&run, &a, NULL, "http://127.0.0.1:1/v1", &j, &db, &err), -1);
	CHECK(err.status != J2W_OK);
	spaces_run_release(&run);
	unlink(path);
}

static void
test_start_new_reads_the_map_first(void)
{
	char map[1024], archive[1024];
	struct spaceargs a = { .archive = archive, .map = map };
	struct spaces_run run;
	struct chatdb *db = NULL;
	struct spacej j = { 0 };
	struct j2w_err err;
	FILE *fp;

	snprintf(map, sizeof(map), "%s", unit_tmpfile("spaceargs-map.jsonl"));
	snprintf(archive, sizeof(archive), "%s", unit_tmpfile("spaceargs-no-archive.db"));
	unlink(archive);
	/* not reconcile output: the map says so before the archive is looked for */
	CHECK_INT(unit_write_file(map, "{\"userid\":\"ann\"}\n", 17), 0);
	fp = fopen(map, "rb");
	spaces_run_init(&run);
	CHECK_INT(spaceargs_start(&run, &a, fp, "http://127.0.0.1:1/v1", &j, &db, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(db == NULL);
	CHECK(access(archive, F_OK) != 0);	/* no archive was made either */
	fclose(fp);
	spaces_run_release(&run);
	unlink(map);
}

static void
test_room_notes(void)
{
	struct spaces_member m[4] = {
		{ .jid = "ann@c", .state = "added" },
		{ .jid = "bob@c", .state = "left_out", .reason = "no Webex email" },
		{ .jid = "cy@c", .state = "failed", .reason = "HTTP 400: bad" },
		{ .jid = "di@c", .state = "left_out" },
	};
	struct spaces_room r = { .room_jid = "dev@c", .state = "done", .members = m,
		.nmembers = 4 };
	struct spaces_run run;
	struct unit_said s = { .n = 0 };

	spaces_run_init(&run);
	spaceargs_room_notes(&run, &r, unit_say, &s);
	CHECK_STR(s.buf, "room 'dev@c': 'bob@c' left out: no Webex email|"
	    "room 'dev@c': 'cy@c' could not be added: HTTP 400: bad|"
	    "room 'dev@c': 'di@c' left out: no reason recorded|");

	/* a space already in Webex was left as it is: only the room's error */
	s.buf[0] = '\0';
	r.state = "exists";
	snprintf(r.error, sizeof(r.error), "HTTP 403: not allowed");
	spaceargs_room_notes(&run, &r, unit_say, &s);
	CHECK_STR(s.buf, "room 'dev@c': HTTP 403: not allowed|");

	s.buf[0] = '\0';
	r.state = "done";
	run.rollback = 1;
	spaceargs_room_notes(&run, &r, unit_say, &s);
	CHECK_STR(s.buf, "room 'dev@c': HTTP 403: not allowed|");
}

/* spaceargs_stopped's message, or "-" when the run did not stop. */
static const char *
stopped(const struct spaces_run *run, struct spaceargs a, int interrupted)
{
	static char out[1024];
	struct strbuf sb;

	strbuf_init(&sb, 0);
	if (spaceargs_stopped(run, &a, interrupted, &sb))
		snprintf(out, sizeof(out), "%s", sb.buf);
	else
		snprintf(out, sizeof(out), "-");
	strbuf_release(&sb);
	return out;
}

static void
test_stopped(void)
{
	struct spaces_run run;

	spaces_run_init(&run);
	CHECK_STR(stopped(&run, (struct spaceargs){ .journal = "j.db", .commit = 1 }, 0), "-");
	CHECK_STR(stopped(&run, (struct spaceargs){ .journal = "j.db", .commit = 1 }, 1),
	    "interrupted: continue with --resume j.db --commit");
	CHECK_STR(stopped(&run, (struct spaceargs){ .archive = "c.db", .map = "m" }, 1),
	    "interrupted");
	/* answers lost: the run went on, and a resume finds out what Webex made */
	run.n.unsure = 2;
	CHECK_STR(stopped(&run, (struct spaceargs){ .journal = "j.db", .commit = 1 }, 0),
	    "2 rooms left unsure (Webex may have made a space or message whose answer was lost): "
	    "continue with --resume j.db --commit, which finds out");
	run.n.unsure = 0;
	snprintf(run.stop_reason, sizeof(run.stop_reason), "the API stopped answering");
	CHECK_STR(stopped(&run, (struct spaceargs){ .resume = "j.db", .commit = 1 }, 0),
	    "the API stopped answering: continue with --resume j.db --commit");
	run.rollback = 1;
	CHECK_STR(stopped(&run, (struct spaceargs){ .rollback = "j.db", .commit = 1 }, 0),
	    "the API stopped answering: continue with --rollback j.db --commit");
	CHECK_STR(stopped(&run, (struct spaceargs){ .rollback = "j.db" }, 0),
	    "the API stopped answering");
}

static const char *
describe(const struct spaces_run *run)
{
	static char out[1024];
	struct strbuf sb;

	strbuf_init(&sb, 0);
	spaceargs_describe(run, &sb);
	snprintf(out, sizeof(out), "%s", sb.buf);
	strbuf_release(&sb);
	return out;
}

static void
test_describe(void)
{
	struct spaces_room r1 = { .state = "done", .rb_state = "planned" };
	struct spaces_room r2 = { .state = "done", .rb_state = "gone" };
	struct spaces_room *rooms[2] = { &r1, &r2 };
	struct spaces_run run;

	spaces_run_init(&run);
	run.n = (struct spaces_counts){ .rooms = 3, .exists = 1, .adhoc = 2, .members = 7,
		.left_out = 2, .files = 4 };
	CHECK_STR(describe(&run), "3 rooms: 2 spaces to create, 1 already in Webex; 2 ad-hoc "
	    "rooms skipped; 5 members to add, 2 left out; 4 files; 0 requests, 0 answered 429, "
	    "0 retried (plan only: nothing was changed; --commit creates the spaces)");
	run.commit = 1;
	run.n = (struct spaces_counts){ .rooms = 3, .created = 2, .done = 1, .exists = 1,
		.stopped = 1, .added = 5, .present = 1, .left_out = 2, .member_failed = 1,
		.posted = 3, .files = 4 };
	CHECK_STR(describe(&run), "3 rooms: 2 spaces created, 1 done, 1 already in Webex, 0 "
	    "failed, 1 not done; 5 members added, 1 already members, 2 left out, 1 failed; 3 of "
	    "4 files posted; 0 requests, 0 answered 429, 0 retried");
	run.commit = 0;
	run.rollback = 1;
	run.rooms = rooms;
	run.nrooms = 2;
	run.n = (struct spaces_counts){ .gone = 1 };
	CHECK_STR(describe(&run), "1 spaces to delete, 1 already gone, 0 failed; 0 requests, 0 "
	    "answered 429, 0 retried (plan only: nothing was changed; --commit deletes them)");
	run.commit = 1;
	run.n = (struct spaces_counts){ .deleted = 4, .gone = 1, .failed = 1, .stopped = 2 };
	CHECK_STR(describe(&run), "4 spaces deleted, 1 already gone, 1 failed, 2 not done; 0 "
	    "requests, 0 answered 429, 0 retried");
}

UNIT_MAIN(TEST(test_check), TEST(test_start_from_a_journal), TEST(test_start_new_reads_the_map_first),
    TEST(test_room_notes), TEST(test_stopped), TEST(test_describe))
