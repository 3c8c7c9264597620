/*
 * The personal-contact migration files for Control Hub: contact records made
 * into rows (the Webex addresses for migration, the JIDs for the archive),
 * grouped by owner, at most per_user contacts per owner (the rest reported),
 * packed into files of at most per_file rows without splitting an owner.
 */
#ifndef J2W_CTCONTACTS_H
#define J2W_CTCONTACTS_H

#include <stdio.h>
#include <jansson.h>

#include "util/j2w_err.h"

/* Webex's limits: contacts per user, rows per import file. */
#define CTCONTACTS_PER_USER 500
#define CTCONTACTS_PER_FILE 10000

struct ctcontacts {
	/* told each record left out, "FILE:LINE: why: left out"; may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;

	/*
	 * The rows, in input order: the record with owner_user, owner_domain,
	 * contact_user, contact_domain (Webex addresses, else the JIDs), the same
	 * halves of the JIDs as jid_owner_user ..., "_owner_key" and "_source".
	 */
	json_t *rows;
	unsigned long read;
	unsigned long skipped;

	/* the module's */
	struct j2w_err err;
};

/* Sets up an empty set of rows. Returns 0 or -1 with err. */
int ctcontacts_init(struct ctcontacts *c, struct j2w_err *err);
void ctcontacts_release(struct ctcontacts *c);

/*
 * Reads the contact records of fp (JSON Lines or CSV; name for sources): the
 * owner is owner_email, else owner (the JID); the contact likewise. A record
 * without both is left out. Returns 0, or -1 with err (J2W_EDATA for input
 * that cannot be read, J2W_ESYS).
 */
int ctcontacts_read(struct ctcontacts *c, FILE *fp, const char *name, struct j2w_err *err);

/* The files the rows go to; the arrays hold references to the rows. */
struct ctcontacts_split {
	json_t *files;		/* [[row, ...], ...]: contacts-001.csv ..., owners whole */
	json_t *over;		/* rows past an owner's per_user, in input order */
	json_t *over_owners;	/* [{"owner" (lower case), "contacts", "over"}], first over first */
	json_t *archive;	/* every row with the JID halves as owner_user ... (the BAT list) */
};

/*
 * Splits rows (ctcontacts' rows, in input order): owners are compared without
 * case and keep the order they first appear in; an owner's first per_user rows
 * go to the files, the rest to over; whole owners are packed into files of at
 * most per_file rows. Returns 0 with out filled (ctcontacts_split_release), or
 * -1 with err (J2W_EUSAGE when per_user is 0 or over per_file, J2W_ESYS).
 */
int ctcontacts_split(const json_t *rows, size_t per_user, size_t per_file,
    struct ctcontacts_split *out, struct j2w_err *err);
void ctcontacts_split_release(struct ctcontacts_split *s);

#endif
