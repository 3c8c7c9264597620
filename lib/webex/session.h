/*
 * One j2w-apply run's work before the engine sees it: the input rows of a new
 * run (each user once, profile names resolved), or the journal of an earlier run
 * (--resume, --rollback) checked against this run; and the source the engine
 * reads from: the rows themselves for a plan without a journal, else the journal.
 */
#ifndef J2W_SESSION_H
#define J2W_SESSION_H

#include <signal.h>
#include <stdio.h>
#include <jansson.h>

#include "record/person.h"
#include "util/j2w_err.h"
#include "webex/apply.h"
#include "webex/behavior.h"
#include "webex/journal.h"
#include "webex/rules.h"

enum session_kind {
	SESSION_NEW,		/* rows from input; a new journal when one is named */
	SESSION_RESUME,		/* continue the journal's run */
	SESSION_ROLLBACK	/* restore the journal's users to their state before */
};

/* A row of the input; strings are owned by the session. */
struct session_row {
	char *email;
	char *source;		/* FILE:LINE */
	enum behavior want;
	char *profile;		/* UC Manager profile name, or NULL */
	const char *profile_id;	/* resolved; owned by the run's profile list */
	char *error;		/* why the row cannot be used, or NULL */
};

struct session {
	enum session_kind kind;
	int commit;			/* else a plan: nothing is written */
	const struct rules *rules;	/* wave rules for user records, or NULL: rows */
	const char *org_id;		/* a customer org (--org-id), recorded in a new journal */
	/* told each row left out or unusable, "FILE:LINE: why"; may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;
	/* when not NULL and set (^C, SIGTERM), the source ends early */
	const volatile sig_atomic_t *stop;

	struct session_row *rows;
	size_t n, cap;
	unsigned long bad;		/* rows that cannot be used */
	unsigned long not_in_wave;	/* records no rule matched */
	unsigned long ignored;		/* records an "ignore" rule matched */
	unsigned long blocked;		/* records j2w-reconcile marked blocked */
	unsigned long repeated;		/* the same user again with the same wish */

	struct journal journal;		/* journal.db NULL: none (a plan from input) */

	/* the session's */
	struct person_set seen;
	size_t pos;
	struct apply_journal_source jsrc;
	int started;
	struct j2w_err err;
};

/* Sets up an empty session of kind (fields above the rows may be set after). */
void session_init(struct session *s, enum session_kind kind, int commit,
    const struct rules *rules);
/* Frees the rows and closes the journal. */
void session_release(struct session *s);

/*
 * Reads the records of fp (JSON Lines or CSV; name for sources and messages)
 * into rows: with rules, user records go through the wave rules; a user listed
 * again with the same wish is kept once (repeated), with another wish the later
 * row is unusable. Unusable rows are kept with their error (they are reported
 * in a plan) and counted in bad. Returns 0, or -1 with err (J2W_EDATA for
 * input that cannot be read, J2W_ESYS).
 */
int session_read(struct session *s, FILE *fp, const char *name, struct j2w_err *err);

/*
 * For --resume and --rollback: opens the journal at path and checks it was made
 * against api, the API base of this run (its people and profile IDs belong to
 * that org). Returns 0, or -1 with err (J2W_EUSAGE for another API, as
 * journal_open otherwise).
 */
int session_open_journal(struct session *s, const char *path, const char *api,
    struct j2w_err *err);

/*
 * Once run's profiles are loaded: resolves the rows' profile names (an unknown or
 * ambiguous name makes the row unusable); for a commit refuses a run with
 * unusable rows (J2W_EDATA: nothing is changed); creates the new journal at
 * journal_path (when not NULL) with every row as the plan; then sets run's
 * journal and source, and records the start of a committing run in the
 * journal. Returns 0, or -1 with err.
 */
int session_start(struct session *s, struct apply_run *run, const char *journal_path,
    const char *api, struct j2w_err *err);

/* Users the run works on, for a progress total: the input's, or the journal's to do (0: unknown). */
size_t session_total(const struct session *s);

/*
 * Records the end of a committing run in the journal (status, summary).
 * Returns 0 (also without a journal or for a plan), or -1 with err.
 */
int session_end(struct session *s, int status, const char *summary, struct j2w_err *err);

/* The in-memory source of a plan without a journal: the rows in input order. */
apply_next_fn session_memory_next;

#endif
