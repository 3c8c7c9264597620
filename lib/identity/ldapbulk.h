/*
 * The directory read in bulk for a large wave: one paged subtree search
 * (ldapdir_scan) of every entry the filter template could match, into an
 * index by the value %u stands for, instead of one search per user. The index
 * answers each user as the search of that user would have: no entry, one
 * entry (its DN and values), or more than one.
 *
 * Only entries that answer a user of the wave are kept: the users' IDs are
 * given first (ldapbulk_want), as 128-bit digests (util/digestmap.h). Memory is
 * about 40 bytes per user of the wave plus, per directory entry that answers
 * one, its DN and the values reconcile compares (ldapbulk_bytes says how much).
 *
 * Values are compared as the directory's equality rule for user IDs
 * (caseIgnoreMatch) does: without case (Unicode simple case folding), leading
 * and trailing spaces ignored and inner runs of spaces taken as one.
 */
#ifndef J2W_LDAPBULK_H
#define J2W_LDAPBULK_H

#include <stddef.h>
#include <stdio.h>

#include "identity/ldapdir.h"
#include "util/j2w_err.h"

/*
 * When j2w-reconcile reads the directory in bulk by itself: for a wave of at
 * least LDAPBULK_MIN_USERS users, while the directory has no more than
 * LDAPBULK_ENTRIES_PER_USER entries (that the bulk filter finds) per user.
 * One search per user costs what reading about 8 entries in bulk costs
 * (scripts/bench-reconcile on loopback: 65 us a user against 8 us an entry;
 * an earlier machine measured 21): past that share the searches are cheaper.
 * The directory's size is not known before it is read, so the read gives up
 * once it has seen that many entries, having cost about what the searches per
 * user cost, and those follow: at worst twice the better choice. Below the
 * minimum a wave is quick either way, and searches read only what it needs.
 */
#define LDAPBULK_MIN_USERS 1000
#define LDAPBULK_ENTRIES_PER_USER 8

/*
 * How a filter template is read in bulk: the search filter (each (ATTR=%u)
 * made (ATTR=*), %% made %) and the ATTRs whose values are the index keys.
 */
struct ldapbulk_plan {
	char *filter;
	char **attrs;
	size_t nattrs;
};

/*
 * Makes the plan for template tmpl (already accepted by ldapdir_filter). A
 * template can be read in bulk when %u is only ever the whole value of an
 * equality assertion (ATTR=%u), those assertions are ORed together, and what
 * else the template asks is ANDed with them: "(|(uid=%u)(sAMAccountName=%u))",
 * "(&(objectClass=user)(uid=%u))". Then "entry matches the template for user
 * u" is "entry matches the bulk filter and a key value is u". Returns 0, or -1
 * with err (J2W_EUSAGE naming why it cannot; J2W_ESYS); release p either way.
 */
int ldapbulk_plan(struct ldapbulk_plan *p, const char *tmpl, struct j2w_err *err);
void ldapbulk_plan_release(struct ldapbulk_plan *p);

struct ldapbulk;

/* A new, empty index (NULL on ENOMEM); free with ldapbulk_free. */
struct ldapbulk *ldapbulk_new(void);
void ldapbulk_free(struct ldapbulk *b);

/* Adds userid to the users of the wave. Returns 0 or -1 (ENOMEM). */
int ldapbulk_want(struct ldapbulk *b, const char *userid);
/*
 * Adds the user IDs of the user records read from fp (name for messages) to
 * b: records with a string "userid", as ldapstream_add searches; *n is
 * counted up by one for each. Reads fp to its end. Returns 0, or -1 with err
 * (bad JSON Lines, as the reading that follows would report; J2W_ESYS).
 */
int ldapbulk_want_records(struct ldapbulk *b, FILE *fp, const char *name, unsigned long *n,
    struct j2w_err *err);
/* Distinct users of the wave (as compared). */
size_t ldapbulk_users(const struct ldapbulk *b);

/*
 * Reads the directory d into b with plan p, stopping after budget entries (0:
 * none); progress (may be NULL) is told the entries read after each page. On
 * return scan holds the counts (entries, pages) and refused. Returns as
 * ldapdir_scan: 0 read, 1 stopped by the budget, -1 with err. After anything
 * but 0 the index must not be used.
 */
int ldapbulk_read(struct ldapbulk *b, struct ldapdir *d, const struct ldapbulk_plan *p,
    unsigned long budget, void (*progress)(void *ctx, unsigned long entries), void *ctx,
    struct ldapdir_scan *scan, struct j2w_err *err);

/* Directory entries kept (those that answer a user), and the bytes the index holds. */
unsigned long ldapbulk_entries(const struct ldapbulk *b);
size_t ldapbulk_bytes(const struct ldapbulk *b);

/*
 * The index as a directory for ldapstream_init_with (dir is the struct
 * ldapbulk): submit looks userid up, collect hands the answers back in the
 * order asked. At most LDAPDIR_MAX_WINDOW wait.
 */
int ldapbulk_submit(void *dir, const char *userid, size_t tag, struct j2w_err *err);
int ldapbulk_collect(void *dir, size_t *tag, struct ldapdir_entry *e, struct j2w_err *err);

#endif
