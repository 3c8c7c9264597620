/* Unit tests for the pipelined directory stream: input order, the window, errors, with a fake directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/ldapstream.h"
#include "unit.h"
#include "util/jsonl.h"

/* A directory that answers the most recent search first, and can be told to fail. */
struct fake_dir {
	size_t tags[64];
	char *uids[64];
	size_t n;		/* searches in flight */
	size_t max_in_flight;
	unsigned long searches;
	int fail_submit_at;	/* the Nth search fails (1-based); 0: never */
	int fail_collect;
};

static int
fake_submit(void *dir, const char *userid, size_t tag, struct j2w_err *err)
{
	struct fake_dir *d = dir;

	if (d->fail_submit_at > 0 && d->searches + 1 == (unsigned long)d->fail_submit_at)
		return err_set(err, J2W_ESYS, "search on 'ldap://fake' failed: Can't contact LDAP "
		    "server");
	if (d->n == 64)
		return err_set(err, J2W_ESYS, "fake: too many in flight");
	d->tags[d->n] = tag;
	d->uids[d->n] = strdup(userid);
	d->n++;
	d->searches++;
	if (d->n > d->max_in_flight)
		d->max_in_flight = d->n;
	return 0;
}

static int
fake_collect(void *dir, size_t *tag, struct ldapdir_entry *e, struct j2w_err *err)
{
	struct fake_dir *d = dir;
	char mail[128];

	memset(e, 0, sizeof(*e));
	if (d->fail_collect)
		return err_set(err, J2W_ESYS, "LDAP server 'ldap://fake' did not answer within 1 s");
	if (d->n == 0)
		return 0;
	d->n--;
	*tag = d->tags[d->n];
	snprintf(mail, sizeof(mail), "%s@example.com", d->uids[d->n]);
	free(d->uids[d->n]);
	e->matches = 1;
	e->mail = strdup(mail);
	return 1;
}

static void
fake_release(struct fake_dir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->uids[i]);
	d->n = 0;
}

/* What came out: userids in order, and whether each had a directory answer. */
struct seen {
	char order[512];
	int mismatched;		/* an answer handed on with another user's record */
	int fail_at;		/* ready fails on the Nth record (1-based); 0: never */
	int count;
};

static int
ready(void *ctx, json_t *rec, const struct ldapdir_entry *e, struct j2w_err *err)
{
	struct seen *s = ctx;
	const char *uid = json_get_str(rec, "userid");
	size_t len = strlen(s->order);

	s->count++;
	if (s->fail_at == s->count)
		return err_set(err, J2W_ESYS, "cannot write the output");
	snprintf(s->order + len, sizeof(s->order) - len, "%s%s%s", len ? " " : "",
	    uid != NULL ? uid : "-", e != NULL ? "" : "!");
	if (e != NULL && (uid == NULL || e->mail == NULL || strncmp(e->mail, uid, strlen(uid)) != 0 ||
	    e->mail[strlen(uid)] != '@'))
		s->mismatched = 1;
	return 0;
}

static json_t *
user(const char *uid)
{
	return uid != NULL ? json_pack("{s:s}", "userid", uid) : json_pack("{s:s}", "mailid", "x@y");
}

static void
test_input_order_with_answers_out_of_order(void)
{
	static const char *const uids[] = { "u1", "u2", NULL, "u4", "u5", "u6", "u7", "u8", "u9" };
	struct fake_dir d = { 0 };
	struct seen s = { 0 };
	struct ldapstream st;
	struct j2w_err err;

	CHECK_INT(ldapstream_init_with(&st, fake_submit, fake_collect, &d, 3, ready, &s, &err), 0);
	for (size_t i = 0; i < sizeof(uids) / sizeof(uids[0]); i++)
		CHECK_INT(ldapstream_add(&st, user(uids[i]), &err), 0);
	CHECK_INT(ldapstream_finish(&st, &err), 0);
	/* the directory answers newest first; records still come out in input order */
	CHECK_STR(s.order, "u1 u2 -! u4 u5 u6 u7 u8 u9");
	CHECK_INT(s.mismatched, 0);
	/* never more than the window in flight; a record without userid is not looked up */
	CHECK_INT(d.max_in_flight, 3);
	CHECK_INT(d.searches, 8);
	CHECK_INT(d.n, 0);
	ldapstream_release(&st);
}

static void
test_window_of_one(void)
{
	struct fake_dir d = { 0 };
	struct seen s = { 0 };
	struct ldapstream st;
	struct j2w_err err;

	CHECK_INT(ldapstream_init_with(&st, fake_submit, fake_collect, &d, 1, ready, &s, &err), 0);
	CHECK_INT(ldapstream_add(&st, user("a"), &err), 0);
	CHECK_INT(ldapstream_add(&st, user("b"), &err), 0);
	/* b's search waited for a's answer: a is out, b is not yet */
	CHECK_STR(s.order, "a");
	CHECK_INT(ldapstream_finish(&st, &err), 0);
	CHECK_STR(s.order, "a b");
	CHECK_INT(d.max_in_flight, 1);
	ldapstream_release(&st);
}

static void
test_without_directory(void)
{
	struct seen s = { 0 };
	struct ldapstream st;
	struct j2w_err err;

	CHECK_INT(ldapstream_init(&st, NULL, 0, ready, &s, &err), 0);
	CHECK_INT(ldapstream_add(&st, user("a"), &err), 0);
	CHECK_INT(ldapstream_add(&st, user(NULL), &err), 0);
	/* each record passes straight through, without an answer */
	CHECK_STR(s.order, "a! -!");
	CHECK_INT(ldapstream_finish(&st, &err), 0);
	ldapstream_release(&st);
}

static void
test_errors_stop_and_free(void)
{
	struct fake_dir d = { 0 };
	struct seen s = { 0 };
	struct ldapstream st;
	struct j2w_err err;

	/* a failed search: the error is the directory's; records in the ring are freed */
	d.fail_submit_at = 3;
	CHECK_INT(ldapstream_init_with(&st, fake_submit, fake_collect, &d, 4, ready, &s, &err), 0);
	CHECK_INT(ldapstream_add(&st, user("a"), &err), 0);
	CHECK_INT(ldapstream_add(&st, user("b"), &err), 0);
	CHECK_INT(ldapstream_add(&st, user("c"), &err), -1);
	CHECK(strstr(err.msg, "Can't contact LDAP server") != NULL);
	CHECK_STR(s.order, "");
	ldapstream_release(&st);
	fake_release(&d);

	/* a directory that stops answering */
	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	CHECK_INT(ldapstream_init_with(&st, fake_submit, fake_collect, &d, 2, ready, &s, &err), 0);
	CHECK_INT(ldapstream_add(&st, user("a"), &err), 0);
	d.fail_collect = 1;
	CHECK_INT(ldapstream_finish(&st, &err), -1);
	CHECK(strstr(err.msg, "did not answer") != NULL);
	ldapstream_release(&st);
	fake_release(&d);

	/* the consumer fails: the stream stops there */
	memset(&d, 0, sizeof(d));
	memset(&s, 0, sizeof(s));
	s.fail_at = 2;
	CHECK_INT(ldapstream_init_with(&st, fake_submit, fake_collect, &d, 2, ready, &s, &err), 0);
	CHECK_INT(ldapstream_add(&st, user("a"), &err), 0);
	CHECK_INT(ldapstream_add(&st, user("b"), &err), 0);
	CHECK_INT(ldapstream_add(&st, user("c"), &err), -1);
	CHECK_STR(err.msg, "cannot write the output");
	ldapstream_release(&st);
	fake_release(&d);
}

UNIT_MAIN(TEST(test_input_order_with_answers_out_of_order), TEST(test_window_of_one),
    TEST(test_without_directory), TEST(test_errors_stop_and_free))
