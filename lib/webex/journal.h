/*
 * The apply journal: an SQLite file (WAL) holding the plan of a commit run and,
 * per user, the state before, the desired and the after state, HTTP status,
 * trackingId, attempts and times. Every change is its own transaction, written
 * before the next request that depends on it, so a run killed at any point can
 * be resumed without writing anyone twice, and rolled back.
 */
#ifndef J2W_JOURNAL_H
#define J2W_JOURNAL_H

#include <sqlite3.h>

#include "util/j2w_err.h"

#define JOURNAL_SCHEMA_VERSION 1

struct journal {
	sqlite3 *db;
	char *path;
	long run_id;
	int sync_full;		/* synchronous=FULL is in force */
};

/* One user of the journal; strings are owned by the row (journal_row_release). */
struct journal_row {
	long seq;
	char *email;
	char *source;
	char *desired_behavior;		/* API enum or "default" */
	char *desired_profile;		/* name, or NULL */
	char *desired_profile_id;	/* or NULL */
	char *person_id;		/* NULL until looked up */
	int before_known;
	char *before_behavior;		/* API enum or "default" */
	char *before_profile_id;
	char *state;			/* pending writing unchanged applied verified failed */
	char *rb_state;			/* NULL, restored, unchanged, conflict, failed */
	int attempts;
};

void journal_row_release(struct journal_row *r);

/*
 * Creates a new journal at path (mode 0600). An existing file is refused
 * (J2W_EUSAGE): it holds another run's "before" states.
 */
int journal_create(struct journal *j, const char *path, const char *api, struct j2w_err *err);
/* Opens an existing journal for --resume or --rollback; checks its schema version. */
int journal_open(struct journal *j, const char *path, struct j2w_err *err);
void journal_close(struct journal *j);

/* Reads meta value key into a new string (*out NULL when absent). */
int journal_meta_get(struct journal *j, const char *key, char **out, struct j2w_err *err);
/* Sets meta value key (the org a journal was made for: "org_id"). */
int journal_meta_set(struct journal *j, const char *key, const char *value,
    struct j2w_err *err);

/* Groups the plan's inserts (or several intents) into one transaction. */
int journal_begin(struct journal *j, struct j2w_err *err);
/* As journal_begin, for a transaction that is synced to the disk on commit (intents). */
int journal_begin_durable(struct journal *j, struct j2w_err *err);
int journal_commit(struct journal *j, struct j2w_err *err);
/* Abandons the open transaction (after a failed write inside it). */
void journal_abort(struct journal *j);

/* Adds a user to the plan (state pending). A second row for an email is J2W_EDATA. */
int journal_add_user(struct journal *j, long seq, const char *email, const char *source,
    const char *desired_behavior, const char *desired_profile,
    const char *desired_profile_id, struct j2w_err *err);

/* Records the start of a run (kind: commit, resume, rollback) and its end. */
int journal_run_start(struct journal *j, const char *kind, struct j2w_err *err);
int journal_run_end(struct journal *j, int status, const char *summary, struct j2w_err *err);

/*
 * Up to max rows after seq after_seq, in order, for the work of a run:
 * JOURNAL_TODO_APPLY gives users not yet done (pending, writing, failed);
 * JOURNAL_TODO_ROLLBACK gives users whose state may have been changed
 * (writing, applied, verified, failed with a known before) and that are not
 * yet restored. Returns the number filled (0 at the end) or -1 with err.
 */
enum journal_todo { JOURNAL_TODO_APPLY, JOURNAL_TODO_ROLLBACK };
int journal_next_rows(struct journal *j, enum journal_todo todo, long after_seq,
    struct journal_row *rows, int max, struct j2w_err *err);

/* How many users a run of todo has to work on (a progress total), or -1. */
long journal_count_todo(const struct journal *j, enum journal_todo todo);
/* Counts rows by state for the summary: in *n[6] pending writing unchanged applied verified failed. */
int journal_count(struct journal *j, long n[6], struct j2w_err *err);

/*
 * The intent, committed before a PUT: person, state before, state "writing".
 * A before already recorded (a resumed user) is kept: it is the original one.
 */
int journal_intent(struct journal *j, long seq, const char *person_id,
    const char *before_behavior, const char *before_profile_id,
    const char *before_effective, struct j2w_err *err);

/*
 * The result for one user: state, after (NULL behaviour: not read), HTTP
 * status, trackingId, attempts (added to the total), error (may be NULL).
 * person_id and before are stored when given and not yet known.
 */
struct journal_result {
	const char *state;
	const char *person_id;
	const char *before_behavior;
	const char *before_profile_id;
	const char *after_behavior;
	const char *after_profile_id;
	long http_status;
	const char *tracking_id;
	int attempts;
	const char *error;
};
int journal_result(struct journal *j, long seq, const struct journal_result *res,
    struct j2w_err *err);

/* The rollback result for one user (rb_state restored, unchanged, conflict, failed). */
int journal_rollback_result(struct journal *j, long seq, const char *rb_state,
    long http_status, const char *tracking_id, int attempts, const char *error,
    struct j2w_err *err);

/*
 * Reading a journal without writing it, for other tools (the readiness
 * report). Nothing is set up or written: the file may belong to a run in
 * progress.
 */

/*
 * Whether the SQLite file at path is an apply journal (it has a users
 * table). Returns 1, 0, or -1 with err (J2W_ESYS) when it cannot be opened.
 */
int journal_probe(const char *path, struct j2w_err *err);
/*
 * Opens the journal at path read-only; journal_close closes it. The schema
 * version is not checked: what cannot be read is an error of the iteration.
 * Returns 0, or -1 with err (J2W_ESYS).
 */
int journal_open_readonly(struct journal *j, const char *path, struct j2w_err *err);

/*
 * Calls cb for each meta row (key and value as text, NULL for NULL; valid
 * during the call). cb returns 0 to go on; anything else stops the iteration
 * and is returned. Returns 0, cb's value, or -1 with err (J2W_EDATA: no meta
 * table; J2W_ESYS: a read error).
 */
int journal_iter_meta(struct journal *j,
    int (*cb)(void *ctx, const char *key, const char *value), void *ctx, struct j2w_err *err);

/* A user's outcome as the journal holds it; strings NULL when NULL, valid during the callback. */
struct journal_user {
	long seq;
	const char *email;
	const char *state;	/* pending writing unchanged applied verified failed */
	const char *error;
	const char *rb_state;	/* NULL when no rollback ran over the user */
	const char *rb_error;
};

/*
 * Calls cb for each user in plan order, as journal_iter_meta. Returns 0, cb's
 * value, or -1 with err: J2W_EDATA when the users table lacks a column
 * (journal_errmsg tells which), J2W_ESYS on a read error.
 */
int journal_iter_users(struct journal *j,
    int (*cb)(void *ctx, const struct journal_user *u), void *ctx, struct j2w_err *err);

/* SQLite's message for the last failed call on j, for a caller that words its own error. */
const char *journal_errmsg(const struct journal *j);

#endif
