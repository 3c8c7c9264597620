/* Unit tests for j2w-apply's session: input rows, the same user twice, profiles, journals, sources. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "webex/session.h"

static const char rows_jsonl[] =
"{\"email\":\"ann@example.com\",\"calling_behavior\":\"ucm\",\"uc_manager_profile\":\"UC US\"}\n"
"{\"email\":\"ANN@example.com\",\"calling_behavior\":\"ucm\",\"uc_manager_profile\":\"UC US\"}\n"
"{\"email\":\"bob@example.com\",\"calling_behavior\":\"webex\"}\n"
"{\"email\":\"Bob@example.com\",\"calling_behavior\":\"jabber\"}\n"
"{\"email\":\"carol@example.com\",\"calling_behavior\":\"nonsense\"}\n"
"{\"email\":\"dave@example.com\",\"calling_behavior\":\"ucm\",\"uc_manager_profile\":\"Nope\"}\n"
"{\"email\":\"erin@example.com\",\"calling_behavior\":\"ucm\",\"uc_manager_profile\":\"Twice\"}\n";

struct warnings {
	char *v[16];
	size_t n;
};

static void
collect(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	if (w->n < 16)
		w->v[w->n++] = strdup(msg);
}

static void
warnings_free(struct warnings *w)
{
	for (size_t i = 0; i < 16; i++) {
		free(w->v[i]);
		w->v[i] = NULL;
	}
	w->n = 0;
}

static int
read_text(struct session *s, const char *text, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (fp == NULL)
		return -1;
	rc = session_read(s, fp, "in", err);
	fclose(fp);
	return rc;
}

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
set_profiles(struct apply_run *run)
{
	run->profiles = json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "id", "p-us", "name", "UC US",
	    "id", "p-t1", "name", "Twice", "id", "p-t2", "name", "Twice");
}

static void
test_repeated_and_conflicting_user(void)
{
	struct session s;
	struct warnings w = { 0 };
	struct j2w_err err;

	session_init(&s, SESSION_NEW, 0, NULL);
	s.warn = collect;
	s.warn_ctx = &w;
	CHECK_INT(read_text(&s, rows_jsonl, &err), 0);
	/* ann twice with one wish: done once; bob with two wishes: the second is unusable */
	CHECK_INT(s.repeated, 1);
	CHECK_INT(s.n, 6);
	CHECK_INT(s.bad, 2);
	CHECK_STR(s.rows[0].email, "ann@example.com");
	CHECK(s.rows[0].error == NULL);
	CHECK_STR(s.rows[2].email, "Bob@example.com");
	CHECK(s.rows[2].error != NULL && strstr(s.rows[2].error, "listed twice with different "
	    "wishes (first at in:3)") != NULL);
	CHECK(s.rows[3].error != NULL && strstr(s.rows[3].error, "nonsense") != NULL);
	CHECK_INT(w.n, 3);
	for (size_t i = w.n; i < 3; i++)
		w.v[i] = strdup("");
	CHECK_STR(w.v[0], "in:2: 'ANN@example.com' is listed again (first at in:1): done once");
	CHECK(strncmp(w.v[1], "in:4: 'Bob@example.com' is listed twice", 39) == 0);
	CHECK(strncmp(w.v[2], "in:5: unknown calling_behavior 'nonsense'", 41) == 0);
	CHECK_INT(session_total(&s), 6);
	warnings_free(&w);
	session_release(&s);
}

static void
test_user_records_through_rules(void)
{
	static const char rules_text[] =
	    "department=Finance -> ignore\n"
	    "department=Sales -> jabber\n";
	static const char users[] =
	    "{\"userid\":\"a\",\"webex_email\":\"a@example.com\",\"department\":\"Sales\"}\n"
	    "{\"userid\":\"b\",\"webex_email\":\"b@example.com\",\"department\":\"Finance\"}\n"
	    "{\"userid\":\"c\",\"webex_email\":\"c@example.com\",\"department\":\"Legal\"}\n"
	    "{\"userid\":\"d\",\"webex_email\":\"d@example.com\",\"department\":\"Sales\","
	    "\"status\":\"blocked\"}\n";
	struct rules rules;
	struct session s;
	struct warnings w = { 0 };
	struct j2w_err err;

	rules_init(&rules);
	CHECK_INT(rules_parse(&rules, rules_text, strlen(rules_text), "r", &err), 0);
	session_init(&s, SESSION_NEW, 0, &rules);
	s.warn = collect;
	s.warn_ctx = &w;
	CHECK_INT(read_text(&s, users, &err), 0);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.rows[0].want, BEHAVIOR_CISCOTEL);
	CHECK_INT(s.ignored, 1);
	CHECK_INT(s.not_in_wave, 1);
	CHECK_INT(s.blocked, 1);
	CHECK_INT(s.bad, 0);
	CHECK_INT(w.n, 1);
	CHECK(w.n == 1 && strcmp(w.v[0], "in:4: 'd@example.com' is blocked by j2w-reconcile: "
	    "left out of this wave") == 0);
	warnings_free(&w);
	session_release(&s);
	rules_release(&rules);
}

static void
test_plan_reads_rows_in_order(void)
{
	struct session s;
	struct apply_run run = { 0 };
	struct warnings w = { 0 };
	struct apply_item *it;
	struct j2w_err err;
	volatile sig_atomic_t stop = 0;

	session_init(&s, SESSION_NEW, 0, NULL);
	s.warn = collect;
	s.warn_ctx = &w;
	s.stop = &stop;
	set_profiles(&run);
	CHECK_INT(read_text(&s, rows_jsonl, &err), 0);
	warnings_free(&w);
	CHECK_INT(session_start(&s, &run, NULL, "http://api", &err), 0);
	/* unknown and ambiguous profile names make the row unusable, with a warning */
	CHECK_INT(s.bad, 4);
	CHECK_INT(w.n, 2);
	for (size_t i = w.n; i < 2; i++)
		w.v[i] = strdup("");
	CHECK_STR(w.v[0], "in:6: no UC Manager profile is named 'Nope' in Control Hub");
	CHECK_STR(w.v[1], "in:7: UC Manager profile 'Twice' is ambiguous: several profiles "
	    "carry that name");
	CHECK(run.journal == NULL);
	CHECK(run.next == session_memory_next);

	CHECK_INT(run.next(&it, run.next_ctx, &err), 1);
	CHECK_INT(it->seq, 1);
	CHECK_STR(it->email, "ann@example.com");
	CHECK_INT(it->want, BEHAVIOR_UCM);
	CHECK_STR(it->want_profile, "UC US");
	CHECK_STR(it->want_profile_id, "p-us");
	CHECK(it->result == NULL);
	apply_item_free(it);
	CHECK_INT(run.next(&it, run.next_ctx, &err), 1);
	CHECK_STR(it->email, "bob@example.com");
	apply_item_free(it);
	CHECK_INT(run.next(&it, run.next_ctx, &err), 1);
	CHECK_STR(it->result, "failed");
	CHECK(strstr(it->error, "different wishes") != NULL);
	apply_item_free(it);
	/* ^C: the source ends early */
	stop = 1;
	CHECK_INT(run.next(&it, run.next_ctx, &err), 0);
	CHECK_INT(session_end(&s, 0, "x", &err), 0);
	warnings_free(&w);
	json_decref(run.profiles);
	session_release(&s);
}

static void
test_commit_refuses_unusable_rows(void)
{
	char path[4096];
	struct session s;
	struct apply_run run = { 0 };
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("bad.db"));
	cleanup(path);
	session_init(&s, SESSION_NEW, 1, NULL);
	set_profiles(&run);
	CHECK_INT(read_text(&s, rows_jsonl, &err), 0);
	CHECK_INT(session_start(&s, &run, path, "http://api", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "4 input rows cannot be used (see above): nothing was changed");
	/* nothing was changed, and no journal was made */
	CHECK(access(path, F_OK) != 0);
	json_decref(run.profiles);
	session_release(&s);
}

/* Makes a committed journal of two users against api at path. */
static void
make_journal(const char *path, const char *api)
{
	static const char two[] =
	    "email,calling_behavior,uc_manager_profile\n"
	    "ann@example.com,ucm,UC US\n"
	    "bob@example.com,default,\n";
	struct session s;
	struct apply_run run = { 0 };
	struct j2w_err err;

	cleanup(path);
	session_init(&s, SESSION_NEW, 1, NULL);
	set_profiles(&run);
	CHECK_INT(read_text(&s, two, &err), 0);
	CHECK_INT(session_start(&s, &run, path, api, &err), 0);
	CHECK(run.journal == &s.journal);
	CHECK_INT(session_total(&s), 2);
	CHECK_INT(session_end(&s, 0, "2 users", &err), 0);
	json_decref(run.profiles);
	session_release(&s);
}

static void
test_new_journal_holds_the_plan(void)
{
	char path[4096];
	struct session s;
	struct apply_run run = { 0 };
	struct apply_item *it;
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("plan.db"));
	make_journal(path, "http://api");
	/* a journal that exists is another run's: never overwritten */
	session_init(&s, SESSION_NEW, 1, NULL);
	CHECK_INT(session_start(&s, &run, path, "http://api", &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "already exists") != NULL);
	session_release(&s);

	session_init(&s, SESSION_RESUME, 1, NULL);
	CHECK_INT(session_open_journal(&s, path, "http://api", &err), 0);
	CHECK_INT(session_start(&s, &run, NULL, "http://api", &err), 0);
	CHECK_INT(session_total(&s), 2);	/* the users the journal has to do */
	CHECK(run.journal == &s.journal);
	CHECK_INT(run.next(&it, run.next_ctx, &err), 1);
	CHECK_INT(it->seq, 1);
	CHECK_STR(it->email, "ann@example.com");
	CHECK_INT(it->want, BEHAVIOR_UCM);
	CHECK_STR(it->want_profile_id, "p-us");
	apply_item_free(it);
	CHECK_INT(run.next(&it, run.next_ctx, &err), 1);
	CHECK_STR(it->email, "bob@example.com");
	CHECK_INT(it->want, BEHAVIOR_DEFAULT);
	apply_item_free(it);
	CHECK_INT(run.next(&it, run.next_ctx, &err), 0);
	CHECK_INT(session_end(&s, 0, "resumed", &err), 0);
	session_release(&s);
	cleanup(path);
}

static void
test_resume_refuses_another_runs_journal(void)
{
	char path[4096];
	struct session s;
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("other.db"));
	make_journal(path, "https://webexapis.com/v1");
	session_init(&s, SESSION_RESUME, 1, NULL);
	CHECK_INT(session_open_journal(&s, path, "http://127.0.0.1:1/v1", &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "was made against 'https://webexapis.com/v1', not "
	    "'http://127.0.0.1:1/v1' (give --api https://webexapis.com/v1)") != NULL);
	CHECK(s.journal.db == NULL);
	session_release(&s);

	session_init(&s, SESSION_ROLLBACK, 0, NULL);
	CHECK_INT(session_open_journal(&s, path, "https://webexapis.com/v1", &err), 0);
	session_release(&s);

	/* not a journal at all */
	CHECK_INT(unit_write_file(path, "not sqlite", 10), 0);
	session_init(&s, SESSION_RESUME, 1, NULL);
	CHECK_INT(session_open_journal(&s, path, "https://webexapis.com/v1", &err), -1);
	CHECK(err.status != J2W_OK);
	session_release(&s);
	cleanup(path);
}

static void
test_bad_input_is_data_error(void)
{
	struct session s;
	struct j2w_err err;

	session_init(&s, SESSION_NEW, 0, NULL);
	CHECK_INT(read_text(&s, "{\"email\": \n", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	session_release(&s);
}

UNIT_MAIN(TEST(test_repeated_and_conflicting_user), TEST(test_user_records_through_rules),
    TEST(test_plan_reads_rows_in_order),
    TEST(test_commit_refuses_unusable_rows), TEST(test_new_journal_holds_the_plan),
    TEST(test_resume_refuses_another_runs_journal), TEST(test_bad_input_is_data_error))
