/*
 * User records through the directory, pipelined: each record's look-up is sent
 * as it arrives, up to a window of records in flight, and records come out in
 * input order with their directory answer as soon as every earlier one has its
 * answer. Memory is bounded by the window, not by the number of users.
 */
#ifndef J2W_LDAPSTREAM_H
#define J2W_LDAPSTREAM_H

#include <stddef.h>
#include <jansson.h>

#include "identity/ldapdir.h"
#include "util/j2w_err.h"

/* Starts the look-up of userid, tagged tag (as ldapdir_submit). Returns 0 or -1 with err. */
typedef int ldapstream_submit_fn(void *dir, const char *userid, size_t tag,
    struct j2w_err *err);
/* Waits for any look-up (as ldapdir_collect): 1 with *tag and e, 0 when none, -1 with err. */
typedef int ldapstream_collect_fn(void *dir, size_t *tag, struct ldapdir_entry *e,
    struct j2w_err *err);
/*
 * Told each record in input order with its answer: e is NULL when the record
 * was not looked up (no directory, or no string "userid"). rec and e are the
 * stream's and freed after the call. Returns 0, or -1 with err to stop.
 */
typedef int ldapstream_ready_fn(void *ctx, json_t *rec, const struct ldapdir_entry *e,
    struct j2w_err *err);

struct ldapstream_slot {
	json_t *rec;
	int done;		/* its answer is in (or none is needed) */
	int searched;		/* e holds an answer */
	struct ldapdir_entry e;
};

struct ldapstream {
	ldapstream_submit_fn *submit;
	ldapstream_collect_fn *collect;
	void *dir;			/* NULL: no directory, records pass straight through */
	ldapstream_ready_fn *ready;
	void *ready_ctx;
	struct ldapstream_slot *ring;
	size_t window;
	size_t head, tail;		/* records out, records in */
};

/*
 * Sets up a stream over d (may be NULL: no look-ups) with window records in
 * flight at most (the window of d: ldapdir_opts.window, LDAPDIR_DEFAULT_WINDOW
 * when 0). Returns 0, or -1 with err (ENOMEM).
 */
int ldapstream_init(struct ldapstream *s, struct ldapdir *d, size_t window,
    ldapstream_ready_fn *ready, void *ctx, struct j2w_err *err);
/* As ldapstream_init over another directory (submit and collect as ldapdir's); for tests. */
int ldapstream_init_with(struct ldapstream *s, ldapstream_submit_fn *submit,
    ldapstream_collect_fn *collect, void *dir, size_t window, ldapstream_ready_fn *ready,
    void *ctx, struct j2w_err *err);
/* Frees records still in the stream (after an error) and the ring. */
void ldapstream_release(struct ldapstream *s);

/*
 * Adds rec (the stream takes the reference): starts its look-up, first waiting
 * for answers while the window is full, and hands on every record that is
 * ready. Returns 0, or -1 with err (from the directory or from ready).
 */
int ldapstream_add(struct ldapstream *s, json_t *rec, struct j2w_err *err);

/* Waits for every answer still out and hands on the remaining records. Returns 0 or -1. */
int ldapstream_finish(struct ldapstream *s, struct j2w_err *err);

#endif
