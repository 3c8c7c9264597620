/*
 * The apply engine: per user, look up the person, read the calling behaviour,
 * compare with the desired one, and (when committing) journal the intent, PUT,
 * optionally read back, and journal the result. Many users are in progress at
 * once on one webex client; results come back through a callback, one per user.
 * The same engine undoes a journal (rollback).
 */
#ifndef J2W_APPLY_H
#define J2W_APPLY_H

#include <jansson.h>

#include "util/j2w_err.h"
#include "webex/behavior.h"
#include "webex/journal.h"
#include "webex/people.h"
#include "webex/webex.h"

/* Users without a known person ID from which the people are listed in bulk. */
#define APPLY_BULK_MIN 50
/*
 * The same 403 for this many users in a row, with no success of the same kind
 * of request between: not about one user. Only requests that left after the
 * first of the row came count (for or against): those in flight already may
 * have been answered before the change that refuses them all.
 */
#define APPLY_FORBIDDEN_ROW 3

struct apply_state {
	int known;
	enum behavior behavior;
	char *profile_id;		/* NULL: none (org default) */
	char *effective;		/* effectiveBehaviorType, for the journal */
};

struct apply_run;

struct apply_item {
	long seq;
	char *email;
	char *source;			/* FILE:LINE of the input row */
	enum behavior want;
	char *want_profile;		/* name, or NULL */
	char *want_profile_id;		/* resolved, or NULL */
	char *person_id;
	struct apply_state before;	/* from the journal (resume, rollback) */
	struct apply_state current;	/* read from Webex in this run */
	struct apply_state after;	/* written (applied) or read back (verified) */
	const char *action;		/* skip update restore conflict error */
	const char *result;		/* planned unchanged applied verified restored failed stopped conflict */
	long http_status;
	char tracking_id[96];
	int attempts;			/* tries of the write */
	char error[512];
	int put_sent;

	struct apply_run *run;
};

/* A new item with email copied; NULL on ENOMEM. */
struct apply_item *apply_item_new(long seq, const char *email, const char *source);
void apply_item_free(struct apply_item *it);

/* The source of work: 1 with *out (the engine frees it), 0 at the end, -1 with err. */
typedef int apply_next_fn(struct apply_item **out, void *ctx, struct j2w_err *err);
/* Called once per user with its result; the item is freed after it returns. */
typedef void apply_emit_fn(const struct apply_item *it, void *ctx);

struct apply_counts {
	unsigned long users, unchanged, planned, applied, verified, restored, failed,
	    conflict, stopped;
};

struct apply_run {
	struct webex_client *client;
	struct journal *journal;	/* required for commit and rollback */
	int commit;			/* else plan: nothing is written */
	int verify;			/* read back after each write */
	int rollback;			/* restore the journal's before states */
	int force;			/* rollback over later changes by others */
	json_t *profiles;		/* [{"id","name"}] from callingProfiles */
	apply_next_fn *next;
	void *next_ctx;
	apply_emit_fn *emit;
	void *emit_ctx;
	size_t window;			/* users in progress at once; 0: 16 */
	struct people_index *people;	/* person IDs listed in bulk, or NULL */
	struct people_listing listing;

	/* the engine's */
	struct apply_item **intents;	/* decided to write, intent not yet journaled */
	size_t nintents, intents_cap;
	size_t active;
	int source_done;
	int unauthorized;		/* a 401 stopped the run */
	int forbidden;			/* the same 403 for user after user stopped the run */
	char forbidden_what[512];	/* that answer */
	int forbidden_kind;		/* of a people (0) or a calling behaviour (1) request */
	size_t forbidden_users;		/* users that had it when the run stopped */
	double held_since;		/* when the first of the row came */
	int held_after;			/* of the row, requests that left after it came */
	int probed;			/* a probe for the row was sent */
	char *ok_person;		/* a person whose calling behaviour was answered, for a probe */
	char *ok_email;			/* an email whose lookup was answered, for a probe */
	struct apply_item **held;	/* users with that 403 since the last success of the kind */
	size_t nheld, held_cap;
	int fatal;			/* the journal failed: stop */
	struct j2w_err fatal_err;
	struct apply_counts n;
};

/* How the reads before the first user ended (webex_walk's rc, status, err). */
struct apply_reads {
	struct webex_walk profiles;
	struct webex_walk *people;	/* run->listing.walk; rc 0 when nobody was listed */
};

/*
 * Reads what the run needs before its first user, at once rather than one
 * after the other: the UC Manager profiles (every page) into run->profiles,
 * and, when people is set and at least APPLY_BULK_MIN users have no person ID
 * yet, the org's people in bulk into run->people and run->listing (webex/
 * people.h). The users to find are the n emails given (a new run), or with
 * emails NULL the journal's users still to do that have none (a resume).
 * Returns 0 with how each read ended in out (a failed listing leaves the run
 * to look people up one by one; a 401 for the profiles sets run->unauthorized),
 * or -1 with err when the client itself failed.
 */
int apply_read_org(struct apply_run *run, int people, const char *const *emails, size_t n,
    struct apply_reads *out, struct j2w_err *err);

/*
 * Resolves a profile name to its ID: an exact match, else the only match
 * ignoring case. Returns the ID (owned by run->profiles) or NULL; *ambiguous
 * is set when several profiles carry the name.
 */
const char *apply_profile_id(const struct apply_run *run, const char *name, int *ambiguous);
/* The name of profile id for people, or id itself when unknown, or NULL. */
const char *apply_profile_name(const struct apply_run *run, const char *id);

/*
 * Runs until the source is exhausted and every user has a result. Returns 0
 * (see run->n, run->unauthorized, run->forbidden, and the client's
 * webex_stop_reason for an outage), or -1 with err for a failure that stopped
 * the run (journal, HTTP client).
 */
int apply_execute(struct apply_run *run, struct j2w_err *err);

/* The result record of one user (caller json_decref()s), or NULL on ENOMEM. */
json_t *apply_item_json(const struct apply_run *run, const struct apply_item *it);

/* Journal-backed sources for commit, resume and rollback. */
struct apply_journal_source {
	struct journal *journal;
	enum journal_todo todo;
	long last_seq;
	struct journal_row rows[256];
	int nrows, pos;
};
void apply_journal_source_init(struct apply_journal_source *s, struct journal *j,
    enum journal_todo todo);
void apply_journal_source_release(struct apply_journal_source *s);
apply_next_fn apply_journal_next;

/*
 * Checks that a journal and this run name the same org: a journal's people and
 * profile IDs belong to the org it was made for. org_id is the one given
 * (--org-id or WEBEX_ORG_ID; NULL or "": none). Sets *use to the org to work in
 * (the journal's, when none was given; NULL: the token's own), a new string the
 * caller frees. Returns 0, or -1 with err (J2W_EUSAGE when they differ).
 */
int apply_journal_org(struct journal *j, const char *org_id, char **use, struct j2w_err *err);

/* Whether two states count as the same for behaviour b (CISCOTEL ignores the profile). */
int apply_state_equal(const struct apply_state *a, const struct apply_state *b);

#endif
