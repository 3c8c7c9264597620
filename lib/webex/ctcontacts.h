/*
 * The personal-contact migration files for Control Hub: contact records made
 * into rows (the Webex addresses for migration, the JIDs for the archive),
 * grouped by owner, at most per_user contacts per owner (the rest reported),
 * packed into files of at most per_file rows without splitting an owner.
 *
 * Written as the records come, so memory does not grow with the contacts: the
 * archive (contacts-bat.csv) and the rows over an owner's limit
 * (contacts-over-limit.csv) go straight to their files; the rows kept for
 * migration go to a temporary spool, each chained to its owner's previous one,
 * and are copied into contacts-NNN.csv owner by owner at the end. In memory
 * is 32 bytes per owner (a digest of the owner, two counts and the spool
 * offset of its last row) and, per owner over the limit, its address.
 */
#ifndef J2W_CTCONTACTS_H
#define J2W_CTCONTACTS_H

#include <stdio.h>
#include <jansson.h>

#include "util/digestmap.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"
#include "webex/ctcsv.h"
#include "webex/ctparts.h"

/* Webex's limits: contacts per user, rows per import file. */
#define CTCONTACTS_PER_USER 500
#define CTCONTACTS_PER_FILE 10000

struct ctcontacts_over;

struct ctcontacts {
	/* told each record left out, "FILE:LINE: why: left out"; may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;

	unsigned long read;	/* records read */
	unsigned long skipped;	/* left out (reported) */
	unsigned long kept;	/* rows for the migration files */
	unsigned long over;	/* rows past their owner's limit (contacts-over-limit.csv) */
	size_t files;		/* contacts-NNN.csv written (after ctcontacts_finish) */
	size_t over_owners;	/* owners with rows past the limit */

	/* the module's */
	size_t per_user;
	size_t per_file;
	char *dir;
	struct digestmap owners;	/* lower-cased owner -> counts, last spooled row */
	struct ctcontacts_over *overs;	/* over_owners of them, first over first */
	size_t overs_cap;
	FILE *spool;
	struct ctparts migrate;		/* contacts-NNN.csv */
	struct ctparts over_file;	/* contacts-over-limit.csv, once a row is over */
	struct ctparts bat;		/* contacts-bat.csv */
	struct strbuf key;
	struct j2w_err err;
};

/*
 * Sets up the files of t in dir (which must exist): contacts-bat.csv is
 * started now under a temporary name. Returns 0, or -1 with err (J2W_EUSAGE
 * when per_user is 0 or over per_file, J2W_ESYS); release c either way.
 */
int ctcontacts_open(struct ctcontacts *c, const struct ctcsv_template *t, const char *dir,
    size_t per_user, size_t per_file, struct j2w_err *err);

/*
 * Reads the contact records of fp (JSON Lines or CSV; name for sources): the
 * owner is owner_email, else owner (the JID); the contact likewise. A record
 * without both is left out. Owners are compared without case. Returns 0, or
 * -1 with err (J2W_EDATA for input that cannot be read, J2W_ESYS).
 */
int ctcontacts_read(struct ctcontacts *c, FILE *fp, const char *name, struct j2w_err *err);

/*
 * Writes contacts-001.csv ...: owners in the order first seen, each owner's
 * first per_user rows in input order, whole owners packed into files of at
 * most per_file rows (a file is closed when the next owner would not fit, as
 * ctcsv_pack). Then renames every file into place, and removes a
 * contacts-over-limit.csv of an earlier run when no row is over. Returns 0 or
 * -1 with err.
 */
int ctcontacts_finish(struct ctcontacts *c, struct j2w_err *err);

/*
 * Owner i (0 <= i < over_owners) with rows past the limit, in the order of its
 * first such row: the owner as compared (lower case, valid while c), its
 * contacts and how many of them are over.
 */
void ctcontacts_over_owner(const struct ctcontacts *c, size_t i, const char **owner,
    unsigned long *contacts, unsigned long *over);

/* Removes the temporary files not renamed into place, and frees c. */
void ctcontacts_release(struct ctcontacts *c);

#endif
