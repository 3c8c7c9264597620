/* Output files written under a temporary name and renamed into place when complete; a command's output. */
#ifndef J2W_ATOMICFILE_H
#define J2W_ATOMICFILE_H

#include <stdio.h>

#include "util/j2w_err.h"

struct atomic_file {
	char *path;	/* the final name */
	char *tmp;	/* the temporary name beside it */
	FILE *fp;	/* write here */
	struct atomic_file *next;	/* the list atomic_unlink_pending walks */
};

/*
 * Creates a temporary file beside path (mode 0666 less the umask, or 0600 when
 * private). Returns 0, or -1 with err (J2W_ESYS). Until it is committed or
 * aborted, af is on a list that atomic_unlink_pending walks: it must stay where
 * it is (no copies of the struct).
 */
int atomic_open(struct atomic_file *af, const char *path, int private_mode, struct j2w_err *err);
/* Flushes, syncs and renames the file into place. Returns 0 or -1 with err. */
int atomic_commit(struct atomic_file *af, struct j2w_err *err);
/* Removes the temporary file; a no-op after commit. */
void atomic_abort(struct atomic_file *af);

/*
 * For a file whose stream the caller closed already (several parts sealed
 * before any is renamed): renames the temporary name to the final one, as
 * atomic_commit does, and forgets af (freed names; a signal no longer unlinks
 * it). Returns 0, or -1 with err (the temporary file is left for atomic_abort).
 */
int atomic_rename(struct atomic_file *af, struct j2w_err *err);

/*
 * Unlinks the temporary file of every output open and not yet committed or
 * aborted, and nothing else: for a command's signal handler (SIGINT, SIGTERM,
 * SIGHUP) and exit path, so that an interrupted write leaves no litter and the
 * final name keeps its previous content. Async-signal-safe.
 */
void atomic_unlink_pending(void);

/*
 * A command's output, which a later failure must not leave half-written: the
 * file path through a temporary name (atomic_file), or, path NULL, stdout:
 * directly, or spooled to a temporary file until it is complete (spool).
 */
struct atomic_out {
	FILE *fp;		/* write here */
	struct atomic_file af;
	int to_file;
	int spooled;
};

/* Opens o. Returns 0, or -1 with err (J2W_ESYS, or atomic_open's). */
int atomic_out_open(struct atomic_out *o, const char *path, int spool, struct j2w_err *err);
/*
 * Puts the complete output in place: the file renamed (atomic_commit), or the
 * spool copied to stdout. Returns 0, or -1 with err (J2W_ESYS "cannot write
 * the temporary output: why", or atomic_commit's).
 */
int atomic_out_commit(struct atomic_out *o, struct j2w_err *err);
/* Drops an output that was not committed: the temporary file is removed. */
void atomic_out_abort(struct atomic_out *o);

#endif
