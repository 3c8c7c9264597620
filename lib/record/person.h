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

/*
 * Who a user record is, as one string appended to sb: its Webex email (as
 * person_webex_email picks it) and its user ID, both lower-cased. The copies
 * of one user that two clusters export give the same key; two accounts that
 * share an address give two (the user ID is part of who they are, as in
 * j2w-csv). Returns 1, 0 when the record has neither (it cannot be told from
 * another), or -1 with errno ENOMEM.
 */
int person_key(const json_t *rec, struct strbuf *sb);

/*
 * Whether rec is the copy of a user that a cluster exports for someone homed on
 * another cluster (home_cluster false): the same person as the home record, with
 * less in it (no lines, devices or service profile).
 */
int person_is_copy(const json_t *rec);

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
 * same thing; the caller decides what counts). wish is NULL for a record that
 * person_is_copy: a copy never conflicts with its person, and when the copy
 * came first the home record's wish is the one later rows are held to. On
 * PERSON_NEW remembers email, wish and source. On a repeat or conflict *first
 * (when not NULL) points at the source of the first sighting, valid until the
 * next call or the release.
 * Returns -1 with err (J2W_ESYS) when out of memory.
 */
int person_set_check(struct person_set *s, const char *email, const char *wish,
    const char *source, const char **first, enum person_seen *verdict, struct j2w_err *err);

#endif
