/* j2w-reconcile's run: the directory chosen for the wave, the two passes, the contacts, the summary. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "identity/reconcilerun.h"
#include "record/records.h"
#include "util/jsonl.h"
#include "util/spool.h"

void
reconcile_run_init(struct reconcile_run *r)
{
	memset(r, 0, sizeof(*r));
}

void
reconcile_run_release(struct reconcile_run *r)
{
	ldapbulk_plan_release(&r->plan);
	ldapbulk_free(r->bulk);
	reconcile_index_free(r->ix);
	if (r->spool != NULL)
		fclose(r->spool);
	ldapstream_release(&r->stream);
	r->bulk = NULL;
	r->ix = NULL;
	r->spool = NULL;
}

static void
tell_progress(struct reconcile_run *r, unsigned long done)
{
	if (r->progress != NULL)
		r->progress(r->progress_ctx, done);
}

/* Drops the bulk index: one search per user. */
static void
bulk_drop(struct reconcile_run *r)
{
	ldapbulk_plan_release(&r->plan);
	ldapbulk_free(r->bulk);
	r->bulk = NULL;
}

int
reconcile_run_bulk_start(struct reconcile_run *r, const char *tmpl, int forced,
    struct j2w_err *err)
{
	r->forced = forced;
	if (ldapbulk_plan(&r->plan, tmpl, err) < 0) {
		ldapbulk_plan_release(&r->plan);
		return forced || err->status != J2W_EUSAGE ? -1 : 0;
	}
	r->bulk = ldapbulk_new();
	if (r->bulk == NULL) {
		ldapbulk_plan_release(&r->plan);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 1;
}

int
reconcile_run_want(struct reconcile_run *r, FILE **fp, const char *name, struct j2w_err *err)
{
	off_t start;

	if (spool_rereadable(fp, name, err) < 0)
		return -1;
	start = ftello(*fp);
	if (ldapbulk_want_records(r->bulk, *fp, name, &r->wave, err) < 0)
		return -1;
	if (fseeko(*fp, start, SEEK_SET) != 0)
		return err_set_errno(err, J2W_ESYS, "cannot read '%s' again", name);
	return 0;
}

int
reconcile_run_bulk_wanted(struct reconcile_run *r)
{
	if (r->bulk != NULL && (r->forced || r->wave >= LDAPBULK_MIN_USERS))
		return 1;
	bulk_drop(r);
	return 0;
}

int
reconcile_run_bulk_read(struct reconcile_run *r,
    void (*progress)(void *ctx, unsigned long entries), void *ctx, struct j2w_err *err)
{
	unsigned long budget = r->forced ? 0 :
	    (unsigned long)ldapbulk_users(r->bulk) * LDAPBULK_ENTRIES_PER_USER;
	int rc = ldapbulk_read(r->bulk, r->ldap, &r->plan, budget, progress, ctx, &r->scan, err);

	ldapbulk_plan_release(&r->plan);
	if (rc == 0)
		return 0;
	if (rc < 0 && (r->forced || !r->scan.refused))
		return -1;
	if (rc > 0)
		err_set(err, J2W_OK, "the directory has more than %d entries per user of this wave "
		    "(stopped reading it after %lu)", LDAPBULK_ENTRIES_PER_USER, r->scan.entries);
	bulk_drop(r);
	return 1;
}

/* The first pass for one user, in input order with its directory answer: checks, then the spool. */
static int
check_user(void *ctx, json_t *rec, const struct ldapdir_entry *e, struct j2w_err *err)
{
	struct reconcile_run *r = ctx;

	if (reconcile_user(&r->o, rec, e, r->ix, err) < 0)
		return -1;
	if (jsonl_write(r->spool, rec) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot write the temporary file");
	r->t.users++;
	tell_progress(r, r->t.users);
	return 0;
}

int
reconcile_run_begin(struct reconcile_run *r, size_t window, struct j2w_err *err)
{
	if ((r->bulk != NULL ? ldapstream_init_with(&r->stream, ldapbulk_submit, ldapbulk_collect,
	    r->bulk, 1, check_user, r, err) : ldapstream_init(&r->stream, r->ldap, window,
	    check_user, r, err)) < 0)
		return -1;
	r->ix = reconcile_index_new();
	r->spool = tmpfile();
	if (r->ix == NULL || r->spool == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot set up");
	return 0;
}

/* A records_fn: hands each user record to the stream (it takes a reference). */
static int
add_record(const json_t *rec, const char *source, void *ctx)
{
	struct reconcile_run *r = ctx;

	(void)source;
	return ldapstream_add(&r->stream, json_incref((json_t *)rec), &r->read_err) < 0 ? -1 : 0;
}

int
reconcile_run_read(struct reconcile_run *r, FILE *fp, const char *name, struct j2w_err *err)
{
	int rc;

	err_clear(&r->read_err);
	rc = records_read(fp, name, add_record, r, err);
	if (rc > 0)
		*err = r->read_err;
	return rc != 0 ? -1 : 0;
}

/* Whether a finding of rec trips --fail-on. */
static void
count_findings(struct reconcile_run *r, const json_t *rec)
{
	r->tripped |= severity_trips(reconcile_worst(rec), r->fail_on);
}

int
reconcile_run_contact(struct reconcile_run *r, json_t *c, const char *problem, FILE *out,
    struct j2w_err *err)
{
	if (problem != NULL) {
		r->t.contacts_unmapped++;
		r->tripped |= severity_trips(SEV_WARN, r->fail_on);
		return 1;
	}
	if (reconcile_contact(&r->o, r->ix, c, err) < 0)
		return -1;
	if (json_array_size(json_object_get(c, "findings")) > 0)
		r->t.contacts_unmapped++;
	count_findings(r, c);
	r->t.contacts++;
	if (jsonl_write(out, c) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot write contacts");
	return 0;
}

int
reconcile_run_write(struct reconcile_run *r, FILE *out, struct j2w_err *err)
{
	struct jsonl_reader jr;
	json_t *rec;
	unsigned long done = 0;
	int rc;

	if (fflush(r->spool) != 0 || ferror(r->spool))
		return err_set_errno(err, J2W_ESYS, "cannot write the temporary file");
	rewind(r->spool);
	jsonl_reader_init(&jr, r->spool, "(spool)");
	while ((rc = jsonl_next(&jr, &rec, err)) > 0) {
		if (reconcile_finish(&r->o, r->ix, rec, err) < 0) {
			json_decref(rec);
			break;
		}
		reconcile_tally_add(&r->t, rec);
		count_findings(r, rec);
		if (jsonl_write(out, rec) < 0) {
			json_decref(rec);
			err_set_errno(err, J2W_ESYS, "cannot write output");
			break;
		}
		json_decref(rec);
		tell_progress(r, ++done);
	}
	jsonl_reader_release(&jr);
	return rc != 0 ? -1 : 0;
}

void
reconcile_run_describe(const struct reconcile_run *r, int with_contacts, struct strbuf *sb)
{
	if (r->o.xmpp_federation && reconcile_domains_describe(r->ix, sb))
		strbuf_addch(sb, '\n');
	reconcile_tally_describe(&r->t, with_contacts, sb);
	if (r->bulk != NULL) {
		strbuf_addch(sb, '\n');
		reconcile_bulk_describe(r->bulk, &r->scan, sb);
	}
	if (r->ldap != NULL && (r->bulk == NULL || ldapdir_searches(r->ldap) > 0)) {
		strbuf_addch(sb, '\n');
		reconcile_searches_describe(ldapdir_searches(r->ldap), r->t.users, sb);
	}
}
