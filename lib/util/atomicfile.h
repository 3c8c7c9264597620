/* Output files written under a temporary name and renamed into place when complete. */
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

#endif
