/* Unit tests for the user and calling-behaviour CSV rows: who is written, once, and what is left out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/jsonl.h"
#include "webex/ctusers.h"

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

/* Warning i, or "" when there are fewer (the count is checked on its own). */
static const char *
warning(const struct warnings *w, size_t i)
{
	return i < w->n ? w->v[i] : "";
}

static void
warnings_free(struct warnings *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	w->n = 0;
}

/* The rows a ctusers hands on, kept here (the library keeps none). */
static json_t *got;

static int
keep_row(void *ctx, const json_t *row, struct j2w_err *err)
{
	return json_array_append_new(got, json_deep_copy(row)) < 0 ?
	    err_set(err, J2W_ESYS, "out of memory") : 0;
}

/* Collects the rows of u in got (emptied first). */
static void
collect_rows(struct ctusers *u)
{
	if (got == NULL)
		got = json_array();
	json_array_clear(got);
	u->row = keep_row;
}

static int
read_text(struct ctusers *u, const char *text, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (fp == NULL)
		return -1;
	rc = ctusers_read(u, fp, "in", err);
	fclose(fp);
	return rc;
}

static void
load(struct ctcsv_template *t, const char *text)
{
	struct j2w_err err;

	CHECK_INT(ctcsv_template_parse(t, text, strlen(text), "t.tsv", &err), 0);
}

static void
test_signature(void)
{
	struct ctcsv_template t;
	json_t *a = json_pack("{s:s, s:s}", "userid", "mgarcia", "first_name", "Maria");
	json_t *b = json_pack("{s:s, s:s}", "userid", "mgarcia.adm", "first_name", "Maria");
	json_t *c = json_pack("{s:s, s:s, s:s}", "userid", "mgarcia", "first_name", "Maria",
	    "title", "not a column");
	char *sa, *sb, *sc;

	load(&t, "First Name\tfirst_name\nLast Name\tlast_name\n");
	sa = ctusers_signature(&t, a);
	sb = ctusers_signature(&t, b);
	sc = ctusers_signature(&t, c);
	CHECK(sa != NULL && sb != NULL && sc != NULL);
	/* two accounts with the same cells are two people; keys no column shows do not count */
	CHECK(sa != NULL && sb != NULL && strcmp(sa, sb) != 0);
	CHECK(sa != NULL && sc != NULL && strcmp(sa, sc) == 0);
	free(sa);
	free(sb);
	free(sc);
	json_decref(a);
	json_decref(b);
	json_decref(c);
	ctcsv_template_release(&t);
}

static void
test_users_repeated_and_conflicting(void)
{
	static const char in[] =
	    "{\"userid\":\"ann\",\"mailid\":\"ann@example.com\",\"first_name\":\"Ann\"}\n"
	    "{\"userid\":\"ann\",\"mailid\":\"Ann@Example.com\",\"first_name\":\"Ann\"}\n"
	    "{\"userid\":\"ann\",\"mailid\":\"ann@example.com\",\"first_name\":\"Anne\"}\n"
	    "{\"userid\":\"ann.adm\",\"mailid\":\"ann@example.com\",\"first_name\":\"Ann\"}\n"
	    "{\"userid\":\"kp\",\"mailid\":\"kp@example.com\",\"status\":\"blocked\"}\n"
	    "{\"userid\":\"nomail\"}\n"
	    "{\"userid\":\"bob\",\"webex_email\":\"bob@example.com\",\"mailid\":\"b@x\"}\n";
	struct ctcsv_template t;
	struct ctusers u;
	struct warnings w = { 0 };
	struct j2w_err err;

	load(&t, "First Name\tfirst_name\n");
	CHECK_INT(ctusers_init(&u, CTUSERS_USERS, &t, NULL, &err), 0);
	u.warn = collect;
	u.warn_ctx = &w;
	collect_rows(&u);
	CHECK_INT(read_text(&u, in, &err), 0);
	CHECK_INT(u.read, 7);
	CHECK_INT(json_array_size(got), 2);
	CHECK_INT(u.rows, 2);
	CHECK_STR(json_get_str(json_array_get(got, 0), "mailid"), "ann@example.com");
	CHECK_STR(json_get_str(json_array_get(got, 1), "userid"), "bob");
	CHECK_INT(u.repeated, 1);
	CHECK_INT(u.skipped, 4);
	CHECK_INT(w.n, 5);
	CHECK_STR(warning(&w, 0), "in:2: 'Ann@Example.com' is listed again (first at in:1): "
	    "written once");
	CHECK_STR(warning(&w, 1), "in:3: 'ann@example.com' is listed twice with different values "
	    "(first at in:1): left out");
	/* the same address on another account is another person: never merged */
	CHECK_STR(warning(&w, 2), "in:4: 'ann@example.com' is listed twice with different values "
	    "(first at in:1): left out");
	CHECK_STR(warning(&w, 3), "in:5: 'kp@example.com' is blocked by j2w-reconcile: left out");
	CHECK_STR(warning(&w, 4), "in:6: no usable webex_email, directory_uri or mailid: left out");
	warnings_free(&w);
	ctusers_release(&u);
	ctcsv_template_release(&t);
}

static void
test_calling_rows_and_rules(void)
{
	static const char rows[] =
	    "email,calling_behavior,uc_manager_profile\n"
	    "ann@example.com,ucm,UC US\n"
	    "bob@example.com,default,\n"
	    "ann@example.com,ucm,UC US\n"
	    "BOB@example.com,default,\n"
	    "carol@example.com,sometimes,\n"
	    "ann@example.com,jabber,UC US\n";
	static const char rules_text[] =
	    "department=Finance -> ignore\n"
	    "department=Sales -> jabber\n";
	static const char users[] =
	    "{\"userid\":\"a\",\"webex_email\":\"a@example.com\",\"department\":\"Sales\"}\n"
	    "{\"userid\":\"b\",\"webex_email\":\"b@example.com\",\"department\":\"Finance\"}\n"
	    "{\"userid\":\"c\",\"webex_email\":\"c@example.com\",\"department\":\"Legal\"}\n"
	    "{\"userid\":\"d\",\"webex_email\":\"d@example.com\",\"department\":\"Sales\","
	    "\"status\":\"blocked\"}\n";
	struct ctcsv_template t;
	struct rules rules;
	struct ctusers u;
	struct warnings w = { 0 };
	struct j2w_err err;
	json_t *r;

	load(&t, "User ID/Email\temail\nCalling Behavior\tcalling_behavior\n"
	    "UCM Profile\tuc_manager_profile\n");
	CHECK_INT(ctusers_init(&u, CTUSERS_CALLING, &t, NULL, &err), 0);
	u.warn = collect;
	u.warn_ctx = &w;
	collect_rows(&u);
	CHECK_INT(read_text(&u, rows, &err), 0);
	CHECK_INT(json_array_size(got), 2);
	r = json_array_get(got, 0);
	CHECK_STR(json_get_str(r, "calling_behavior"), "NATIVE_SIP_CALL_TO_UCM");
	CHECK_STR(json_get_str(r, "uc_manager_profile"), "UC US");
	/* Control Hub's word for the org default */
	CHECK_STR(json_get_str(json_array_get(got, 1), "calling_behavior"), "USE_ORG_SETTINGS");
	CHECK_INT(u.repeated, 2);
	CHECK_INT(u.skipped, 2);
	CHECK_INT(w.n, 4);
	CHECK_STR(warning(&w, 0), "in:4: 'ann@example.com' is listed again (first at in:2): "
	    "written once");
	/* Control Hub takes an address in any case: another spelling is the same row */
	CHECK_STR(warning(&w, 1), "in:5: 'BOB@example.com' is listed again (first at in:3): "
	    "written once");
	CHECK(strncmp(warning(&w, 2), "in:6: unknown calling_behavior 'sometimes'", 42) == 0);
	/* the same person asking for another behaviour: every cell counts, not the first */
	CHECK_STR(warning(&w, 3), "in:7: 'ann@example.com' is listed twice with different values "
	    "(first at in:2): left out");
	warnings_free(&w);
	ctusers_release(&u);

	rules_init(&rules);
	CHECK_INT(rules_parse(&rules, rules_text, strlen(rules_text), "r", &err), 0);
	CHECK_INT(ctusers_init(&u, CTUSERS_CALLING, &t, &rules, &err), 0);
	u.warn = collect;
	u.warn_ctx = &w;
	collect_rows(&u);
	CHECK_INT(read_text(&u, users, &err), 0);
	CHECK_INT(json_array_size(got), 1);
	CHECK_STR(json_get_str(json_array_get(got, 0), "calling_behavior"),
	    "CALL_WITH_APP_REGISTERED_FOR_CISCOTEL");
	/* no rule and an "ignore" rule: not in this wave; blocked: left out */
	CHECK_INT(u.not_in_wave, 2);
	CHECK_INT(u.skipped, 1);
	CHECK_INT(w.n, 1);
	CHECK_STR(warning(&w, 0), "in:4: 'd@example.com' is blocked by j2w-reconcile: left out "
	    "of this wave");
	warnings_free(&w);
	ctusers_release(&u);
	rules_release(&rules);
	ctcsv_template_release(&t);
}

static void
test_bad_input(void)
{
	struct ctcsv_template t;
	struct ctusers u;
	struct j2w_err err;

	load(&t, "First Name\tfirst_name\n");
	CHECK_INT(ctusers_init(&u, CTUSERS_USERS, &t, NULL, &err), 0);
	CHECK_INT(read_text(&u, "{\"userid\":\n", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	ctusers_release(&u);
	ctcsv_template_release(&t);
}

static int
full_disk(void *ctx, const json_t *row, struct j2w_err *err)
{
	unsigned *n = ctx;

	return ++*n == 2 ? err_set(err, J2W_ESYS, "cannot write 'x.csv': No space left") : 0;
}

static void
test_row_error_stops(void)
{
	static const char in[] =
	    "{\"userid\":\"a\",\"mailid\":\"a@example.com\"}\n"
	    "{\"userid\":\"b\",\"mailid\":\"b@example.com\"}\n"
	    "{\"userid\":\"c\",\"mailid\":\"c@example.com\"}\n";
	struct ctcsv_template t;
	struct ctusers u;
	struct j2w_err err;
	unsigned n = 0;

	load(&t, "First Name\tfirst_name\n");
	CHECK_INT(ctusers_init(&u, CTUSERS_USERS, &t, NULL, &err), 0);
	u.row = full_disk;
	u.row_ctx = &n;
	/* each row is handed on as it is read: a failed write stops the reading */
	CHECK_INT(read_text(&u, in, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK_STR(err.msg, "cannot write 'x.csv': No space left");
	CHECK_INT(u.read, 2);
	ctusers_release(&u);
	ctcsv_template_release(&t);
	json_decref(got);
	got = NULL;
}

UNIT_MAIN(TEST(test_signature), TEST(test_users_repeated_and_conflicting),
    TEST(test_calling_rows_and_rules), TEST(test_bad_input), TEST(test_row_error_stops))
