/*
 * One j2w-reconcile run: how the directory is read for the wave (once, in
 * bulk, for a wave that is a large share of it; else one search per user),
 * the first pass (each user record checked with its directory answer as it
 * comes, into a spool), the contacts rewritten once every user is known, and
 * the second pass (the spool written out with the findings across users);
 * the counts, whether --fail-on tripped, and the summary lines.
 */
#ifndef J2W_RECONCILERUN_H
#define J2W_RECONCILERUN_H

#include <stdio.h>
#include <jansson.h>

#include "identity/ldapbulk.h"
#include "identity/ldapdir.h"
#include "identity/ldapstream.h"
#include "identity/reconcile.h"
#include "identity/reconcileargs.h"
#include "record/findings.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

struct reconcile_run {
	/* set by the caller */
	struct reconcile_opts o;
	enum severity fail_on;
	struct ldapdir *ldap;		/* the directory (the caller's), or NULL */
	void (*progress)(void *ctx, unsigned long done);	/* records through a pass; may be NULL */
	void *progress_ctx;

	/* the run's */
	struct ldapbulk *bulk;		/* the directory read in bulk, or NULL */
	struct ldapbulk_plan plan;	/* how it is read */
	int forced;			/* --ldap-bulk */
	unsigned long wave;		/* user records of the wave, for the choice */
	struct ldapdir_scan scan;	/* what the bulk read saw */
	struct reconcile_index *ix;
	struct ldapstream stream;
	FILE *spool;			/* first-pass records */
	struct reconcile_tally t;
	int tripped;			/* a finding at or above fail_on */
	struct j2w_err read_err;	/* why the stream stopped a read */
};

/* Zeroes r; the caller then sets o, fail_on, ldap and progress. */
void reconcile_run_init(struct reconcile_run *r);
/* Frees what the run made (not the caller's ldap). */
void reconcile_run_release(struct reconcile_run *r);

/*
 * Starts the choice of reading the directory in bulk with the filter template
 * tmpl (forced: --ldap-bulk). Returns 1 when the wave may be read in bulk: its
 * inputs go to reconcile_run_want, then reconcile_run_bulk_wanted decides; 0
 * when tmpl cannot be read in bulk and the choice was not forced (one search
 * per user); -1 with err (forced: why tmpl cannot be; J2W_ESYS).
 */
int reconcile_run_bulk_start(struct reconcile_run *r, const char *tmpl, int forced,
    struct j2w_err *err);

/*
 * The first reading of an input of the wave, *fp named name: the user IDs it
 * looks up, for the bulk read. A pipe is copied to a temporary file that
 * replaces *fp (spool_rereadable); *fp is left where the input started, to be
 * read again. Returns 0, or -1 with err.
 */
int reconcile_run_want(struct reconcile_run *r, FILE **fp, const char *name, struct j2w_err *err);

/*
 * Whether the wave given so far is read in bulk: when forced, or from
 * LDAPBULK_MIN_USERS user records; when not, the bulk index is dropped.
 */
int reconcile_run_bulk_wanted(struct reconcile_run *r);

/*
 * Reads the directory into the bulk index (progress, may be NULL, is told the
 * entries read after each page), giving up, unless forced, past
 * LDAPBULK_ENTRIES_PER_USER entries per user of the wave. Returns 0 when the
 * index answers; 1 when one search per user follows instead, err's message
 * saying why (the directory is too large for the wave, or the server refused
 * the bulk read); -1 with err.
 */
int reconcile_run_bulk_read(struct reconcile_run *r,
    void (*progress)(void *ctx, unsigned long entries), void *ctx, struct j2w_err *err);

/*
 * Sets up the first pass: its look-ups (in the bulk index, else window
 * searches in flight in r->ldap, else none), the index of users and the
 * spool. Returns 0, or -1 with err (J2W_ESYS).
 */
int reconcile_run_begin(struct reconcile_run *r, size_t window, struct j2w_err *err);

/*
 * The first pass over the user records of fp (JSON Lines or CSV, as
 * record/records.h reads them), named name: each is checked with its
 * directory answer (reconcile_user) as the answers come, and spooled;
 * ldapstream_finish(&r->stream) ends the pass. Returns 0, or -1 with err.
 */
int reconcile_run_read(struct reconcile_run *r, FILE *fp, const char *name,
    struct j2w_err *err);

/*
 * One contact record, after the first pass (as contacts_read hands it on):
 * rewritten to Webex emails (reconcile_contact), counted and written to out as
 * JSON Lines; or, with problem, an export row that holds no contact, counted
 * as unmapped and a WARN for --fail-on. Returns 0, 1 for a problem row (the
 * caller tells it), or -1 with err (J2W_ESYS "cannot write contacts: why").
 */
int reconcile_run_contact(struct reconcile_run *r, json_t *c, const char *problem, FILE *out,
    struct j2w_err *err);

/*
 * The second pass: each spooled record finished with the findings across
 * users (reconcile_finish), counted by status and written to out as JSON
 * Lines. Returns 0, or -1 with err (J2W_ESYS "cannot write output: why").
 */
int reconcile_run_write(struct reconcile_run *r, FILE *out, struct j2w_err *err);

/*
 * Appends the run's summary to sb, a line each ('\n' between them): the
 * presence domains (XMPP federation planned, more than one), the users by
 * status (and the contacts, with_contacts), what the bulk read did, and the
 * searches per user.
 */
void reconcile_run_describe(const struct reconcile_run *r, int with_contacts, struct strbuf *sb);

#endif
