/*
 * IM and Presence contact-list exports (BAT: User ID, User Domain, Contact ID,
 * Contact Domain, Nickname, Group Name) to contact records (docs/formats.md).
 */
#ifndef J2W_CONTACTS_H
#define J2W_CONTACTS_H

#include <stdio.h>
#include <jansson.h>

#include "util/csvio.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

struct contact {
	char *owner;	/* lower-cased JID */
	char *contact;	/* lower-cased JID */
	char *nickname;
	char *group;
	char *source;	/* imp:FILE:LINE */
};

void contact_release(struct contact *c);
/* The record as JSON in the documented key order (caller json_decref()s), or NULL. */
json_t *contact_to_json(const struct contact *c);

/*
 * Joins an IM&P user part and domain into a lower-cased JID: "bjones@usa" +
 * "example.com" -> "bjones@usa@example.com"; an empty domain keeps a part that
 * already holds "@". Returns a new string, or NULL when there is no full JID.
 */
char *contacts_jid(const char *user, const char *domain);

struct contacts_reader {
	struct csv_reader csv;
	char *label;
	long col[6];		/* user, user domain, contact, contact domain, nickname, group */
	int replay;		/* the first row was data (no header): return it first */
	struct strbuf source;
};

/*
 * Starts reading an export from fp; the header is matched loosely (case,
 * spaces, underscores), and a file without one is read positionally when its
 * first row has six fields. Returns 0, or -1 with err (J2W_EDATA) and nothing
 * left to close.
 */
int contacts_open(struct contacts_reader *r, FILE *fp, const char *name, struct j2w_err *err);
/*
 * The next contact: 1 with c filled (caller contact_release()s), 2 when a row
 * cannot be used (problem says "FILE:LINE: why"), 0 at the end, -1 with err.
 */
int contacts_next(struct contacts_reader *r, struct contact *c, struct strbuf *problem,
    struct j2w_err *err);
void contacts_close(struct contacts_reader *r);

/*
 * Told each contact of a file: rec (the callee may change it; freed after the
 * call), or rec NULL and problem ("FILE:LINE: why") for an export row that
 * cannot be used. A non-zero return stops reading.
 */
typedef int contacts_fn(void *ctx, json_t *rec, const char *problem);

/*
 * Reads a contacts file that is either contact records (JSON Lines, told by a
 * '{' after a byte-order mark and white space) or an IM&P export (contacts_open), and calls fn for
 * each contact in file order. Returns 0, fn's non-zero value, or -1 with err
 * (J2W_EDATA for bad JSON or an export that cannot be read, J2W_ESYS).
 */
int contacts_read(FILE *fp, const char *name, contacts_fn *fn, void *ctx, struct j2w_err *err);

#endif
