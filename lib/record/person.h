/*
 * Who a record is: the one rule for "which address is this user's Webex email",
 * and the one rule for "the same person listed twice". Every command that takes
 * user records or wave rows uses these, so j2w-apply, j2w-csv, j2w-dns-check and
 * the report agree on who is who.
 */
#ifndef J2W_PERSON_H
#define J2W_PERSON_H

#include <jansson.h>

#include "util/digestmap.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/*
 * The address a record's user has in Webex: the first non-empty of webex_email
 * (what j2w-reconcile decided), email (a hand-made wave row), directory_uri and
 * mailid (a user record before reconcile). Points into rec, or NULL when none.
 */
const char *person_webex_email(const json_t *rec);

/* Whether s looks like an email address: one '@' with text either side, no blanks. */
int person_valid_email(const char *s);

enum person_seen {
	PERSON_NEW,		/* first time: remembered */
	PERSON_REPEAT,		/* seen before with the same wish: do it once */
	PERSON_CONFLICT		/* seen before with another wish: only one can be right */
};

/*
 * The people seen so far in one run, keyed by Webex email compared without case.
 * A user exported by two clusters is the same person twice; when both copies ask
 * for the same thing it is done once, and when they ask for different things
 * neither copy is trusted past the first.
 *
 * Only what the rule needs is kept, in 40 bytes a person (plus about 8 of index):
 * a 128-bit digest of the lower-cased email and one of the wish (util/digestmap.h
 * says why a digest is as good as the string), and where the person was first
 * seen as a file name shared by all its lines and a line number. 200,000 people
 * take under 10 MB.
 */
struct person_set {
	struct digestmap seen;	/* struct person_seen_at, in the order first seen */
	char **names;		/* source names ("FILE" of "FILE:LINE"), shared */
	size_t nnames;
	size_t names_cap;
	struct strbuf first;	/* the last *first handed out */
	size_t n;		/* people */
};

void person_set_init(struct person_set *s);
void person_set_release(struct person_set *s);

/*
 * Looks up email with wish (a string that is equal when two rows ask for the
 * same thing; the caller decides what counts). On PERSON_NEW remembers email,
 * wish and source. On a repeat or conflict *first (when not NULL) points at the
 * source of the first sighting, valid until the next call or the release.
 * Returns -1 with err (J2W_ESYS) when out of memory.
 */
int person_set_check(struct person_set *s, const char *email, const char *wish,
    const char *source, const char **first, enum person_seen *verdict, struct j2w_err *err);

#endif
