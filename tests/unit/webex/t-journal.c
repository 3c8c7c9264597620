/* Unit tests for the apply journal: refusal to overwrite, intents, resume and rollback queries, reading it read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "unit.h"
#include "webex/apply.h"
#include "webex/journal.h"

static void
cleanup(const char *path)
{
	char buf[4200];

	unlink(path);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	unlink(buf);
}

static void
test_create_refuses_existing(void)
{
	const char *path = unit_tmpfile("exists.db");
	struct journal j;
	struct j2w_err err;

	CHECK_INT(unit_write_file(path, "x", 1), 0);
	CHECK_INT(journal_create(&j, path, "http://x", &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "already exists") != NULL);
	CHECK_INT(journal_open(&j, path, &err), -1);
	cleanup(path);
}

static void
test_intent_keeps_first_before(void)
{
	char path[4096];
	struct journal j;
	struct j2w_err err;
	struct journal_row rows[4];
	struct journal_result res = { 0 };
	int n;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("j.db"));
	cleanup(path);
	CHECK_INT(journal_create(&j, path, "http://x", &err), 0);
	CHECK_INT(journal_begin(&j, &err), 0);
	CHECK_INT(journal_add_user(&j, 1, "a@x.com", "in:2", "NATIVE_SIP_CALL_TO_UCM", "P", "pid",
	    &err), 0);
	CHECK_INT(journal_add_user(&j, 2, "b@x.com", "in:3", "default", NULL, NULL, &err), 0);
	CHECK_INT(journal_add_user(&j, 3, "A@X.COM", "in:4", "default", NULL, NULL, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(journal_commit(&j, &err), 0);
	CHECK_INT(journal_run_start(&j, "commit", &err), 0);

	CHECK_INT(journal_intent(&j, 1, "person-a", "default", NULL, "NATIVE_WEBEX_TEAMS_CALLING",
	    &err), 0);
	/* a resumed run writes its intent again: the first before stays */
	CHECK_INT(journal_intent(&j, 1, "person-a", "NATIVE_SIP_CALL_TO_UCM", "pid", NULL, &err), 0);
	n = journal_next_rows(&j, JOURNAL_TODO_APPLY, 0, rows, 4, &err);
	CHECK_INT(n, 2);
	CHECK_STR(rows[0].state, "writing");
	CHECK_INT(rows[0].before_known, 1);
	CHECK_STR(rows[0].before_behavior, "default");
	CHECK(rows[0].before_profile_id == NULL);
	CHECK_STR(rows[1].email, "b@x.com");
	for (int i = 0; i < n; i++)
		journal_row_release(&rows[i]);

	n = journal_next_rows(&j, JOURNAL_TODO_ROLLBACK, 0, rows, 4, &err);
	CHECK_INT(n, 1);
	for (int i = 0; i < n; i++)
		journal_row_release(&rows[i]);

	res.state = "applied";
	res.after_behavior = "NATIVE_SIP_CALL_TO_UCM";
	res.after_profile_id = "pid";
	res.http_status = 204;
	res.tracking_id = "T1";
	res.attempts = 1;
	CHECK_INT(journal_result(&j, 1, &res, &err), 0);
	res.state = "unchanged";
	res.person_id = "person-b";
	res.before_behavior = "default";
	CHECK_INT(journal_result(&j, 2, &res, &err), 0);
	CHECK_INT(journal_next_rows(&j, JOURNAL_TODO_APPLY, 0, rows, 4, &err), 0);
	n = journal_next_rows(&j, JOURNAL_TODO_ROLLBACK, 0, rows, 4, &err);
	CHECK_INT(n, 1);
	CHECK_STR(rows[0].email, "a@x.com");
	journal_row_release(&rows[0]);
	CHECK_INT(journal_rollback_result(&j, 1, "restored", 204, "T2", 1, NULL, &err), 0);
	CHECK_INT(journal_next_rows(&j, JOURNAL_TODO_ROLLBACK, 0, rows, 4, &err), 0);
	CHECK_INT(journal_run_end(&j, 0, "done", &err), 0);
	journal_close(&j);

	CHECK_INT(journal_open(&j, path, &err), 0);
	{
		long counts[6];

		CHECK_INT(journal_count(&j, counts, &err), 0);
		CHECK_INT(counts[2], 1);
		CHECK_INT(counts[3], 1);
	}
	journal_close(&j);
	cleanup(path);
}

static void
test_open_refuses_other_files(void)
{
	const char *path = unit_tmpfile("other.db");
	struct journal j;
	struct j2w_err err;

	CHECK_INT(unit_write_file(path, "not sqlite at all, just text\n", 29), 0);
	CHECK_INT(journal_open(&j, path, &err), -1);
	cleanup(path);
}

struct seen {
	int n, stop_at;
	char text[1024];
};

static int
meta_cb(void *ctx, const char *key, const char *value)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	s->n++;
	if (strcmp(key, "created") != 0)
		snprintf(s->text + len, sizeof(s->text) - len, "%s=%s|", key, value ? value : "NULL");
	return s->n == s->stop_at ? 7 : 0;
}

static int
user_cb(void *ctx, const struct journal_user *u)
{
	struct seen *s = ctx;
	size_t len = strlen(s->text);

	s->n++;
	snprintf(s->text + len, sizeof(s->text) - len, "%ld %s %s %s %s %s|", u->seq, u->email,
	    u->state, u->error ? u->error : "-", u->rb_state ? u->rb_state : "-",
	    u->rb_error ? u->rb_error : "-");
	return s->n == s->stop_at ? 7 : 0;
}

static void
test_read_only(void)
{
	char path[4096], other[4096];
	struct journal j;
	struct journal_result res = { 0 };
	struct seen s = { 0 };
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("ro.db"));
	snprintf(other, sizeof(other), "%s", unit_tmpfile("ro-other.db"));
	cleanup(path);
	CHECK_INT(journal_create(&j, path, "http://x", &err), 0);
	CHECK_INT(journal_begin(&j, &err), 0);
	CHECK_INT(journal_add_user(&j, 2, "b@x.com", "in:3", "default", NULL, NULL, &err), 0);
	CHECK_INT(journal_add_user(&j, 1, "a@x.com", "in:2", "default", NULL, NULL, &err), 0);
	CHECK_INT(journal_add_user(&j, 3, "c@x.com", "in:4", "default", NULL, NULL, &err), 0);
	CHECK_INT(journal_commit(&j, &err), 0);
	CHECK_INT(journal_run_start(&j, "commit", &err), 0);
	res.state = "failed";
	res.error = "HTTP 400";
	CHECK_INT(journal_result(&j, 2, &res, &err), 0);
	res.state = "applied";
	res.error = NULL;
	res.before_behavior = "default";
	CHECK_INT(journal_result(&j, 1, &res, &err), 0);
	CHECK_INT(journal_rollback_result(&j, 1, "conflict", 412, NULL, 1, "changed since", &err), 0);
	journal_close(&j);

	CHECK_INT(journal_probe(path, &err), 1);
	CHECK_INT(journal_open_readonly(&j, path, &err), 0);
	CHECK_INT(journal_iter_meta(&j, meta_cb, &s, &err), 0);
	CHECK_INT(s.n, 4);
	CHECK(strstr(s.text, "schema_version=1|") != NULL);
	CHECK(strstr(s.text, "tool=j2w-apply|") != NULL);
	CHECK(strstr(s.text, "api=http://x|") != NULL);
	memset(&s, 0, sizeof(s));
	CHECK_INT(journal_iter_users(&j, user_cb, &s, &err), 0);
	CHECK_STR(s.text, "1 a@x.com applied - conflict changed since|2 b@x.com failed HTTP 400 - -|"
	    "3 c@x.com pending - - -|");
	/* a callback stops the iteration with its own value */
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	CHECK_INT(journal_iter_users(&j, user_cb, &s, &err), 7);
	CHECK_INT(s.n, 2);
	journal_close(&j);
	/* read-only: the journal still opens for --resume, unchanged */
	CHECK_INT(journal_open(&j, path, &err), 0);
	{
		long counts[6];

		CHECK_INT(journal_count(&j, counts, &err), 0);
		CHECK_INT(counts[0], 1);
		CHECK_INT(counts[3], 1);
		CHECK_INT(counts[5], 1);
	}
	journal_close(&j);

	/* a users table of another shape: EDATA, and SQLite says which column */
	cleanup(other);
	{
		sqlite3 *db;

		CHECK_INT(sqlite3_open(other, &db), SQLITE_OK);
		CHECK_INT(sqlite3_exec(db, "CREATE TABLE users(seq INTEGER, name TEXT)", NULL, NULL,
		    NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	CHECK_INT(journal_probe(other, &err), 1);
	CHECK_INT(journal_open_readonly(&j, other, &err), 0);
	CHECK_INT(journal_iter_users(&j, user_cb, &s, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(journal_errmsg(&j), "no such column") != NULL);
	CHECK_INT(journal_iter_meta(&j, meta_cb, &s, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	journal_close(&j);

	/* other files are not journals */
	cleanup(other);
	{
		sqlite3 *db;

		CHECK_INT(sqlite3_open(other, &db), SQLITE_OK);
		CHECK_INT(sqlite3_exec(db, "CREATE TABLE rooms(x)", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	CHECK_INT(journal_probe(other, &err), 0);
	CHECK_INT(unit_write_file(other, "not sqlite at all, just text\n", 29), 0);
	CHECK_INT(journal_probe(other, &err), 0);
	cleanup(other);
}

static void
test_a_journal_keeps_its_org(void)
{
	char path[4096];
	struct journal j;
	struct j2w_err err;
	char *use = NULL;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("org.db"));
	cleanup(path);
	CHECK_INT(journal_create(&j, path, "http://x", &err), 0);
	/* the token's own org: no org is taken, another is refused */
	CHECK_INT(apply_journal_org(&j, NULL, &use, &err), 0);
	CHECK(use == NULL);
	CHECK_INT(apply_journal_org(&j, "", &use, &err), 0);
	CHECK_INT(apply_journal_org(&j, "ORG-A", &use, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "the token's own org, not org 'ORG-A'") != NULL);
	/* a customer's org: taken when none is given, the same is fine, another refused */
	CHECK_INT(journal_meta_set(&j, "org_id", "ORG-A", &err), 0);
	CHECK_INT(apply_journal_org(&j, NULL, &use, &err), 0);
	CHECK_STR(use, "ORG-A");
	free(use);
	CHECK_INT(apply_journal_org(&j, "ORG-A", &use, &err), 0);
	CHECK_STR(use, "ORG-A");
	free(use);
	CHECK_INT(apply_journal_org(&j, "ORG-B", &use, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "made for org 'ORG-A', not 'ORG-B' (give --org-id ORG-A)") != NULL);
	journal_close(&j);
	cleanup(path);
}

UNIT_MAIN(TEST(test_create_refuses_existing), TEST(test_intent_keeps_first_before),
    TEST(test_open_refuses_other_files), TEST(test_read_only),
    TEST(test_a_journal_keeps_its_org))
