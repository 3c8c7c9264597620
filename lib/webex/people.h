/*
 * People in bulk: the person IDs of a run's emails, from a paged listing of the
 * org's people (GET /people?max=1000, following Link rel="next") instead of one
 * GET /people?email= per user. The listing stops as soon as every email is
 * found, or when its pages have cost more requests than they resolved users (a
 * wave that is a small part of a large org): the rest are looked up one by one.
 */
#ifndef J2W_PEOPLE_H
#define J2W_PEOPLE_H

#include <jansson.h>
#include <stddef.h>

#include "util/j2w_err.h"
#include "webex/webex.h"

#define PEOPLE_PAGE 1000	/* asked per page; a server may give fewer */

struct people_index;

/* An empty index; NULL on ENOMEM. */
struct people_index *people_index_new(void);
void people_index_free(struct people_index *idx);

/* Adds an email to resolve (compared without regard to ASCII case). 0, or -1 on ENOMEM. */
int people_index_want(struct people_index *idx, const char *email);
/* Emails added, and how many of them the listing resolved so far. */
size_t people_index_wanted(const struct people_index *idx);
size_t people_index_found(const struct people_index *idx);

/*
 * Takes one page of the listing (an array of Person objects) and keeps the id
 * of every wanted email among each person's emails. Returns how many wanted
 * emails it resolved for the first time, or -1 on ENOMEM.
 */
long people_index_take(struct people_index *idx, const json_t *items);

/*
 * The person ID listed for email (owned by the index), or NULL: not listed, or
 * listed for two people (a lookup by email then reports it).
 */
const char *people_index_get(const struct people_index *idx, const char *email);

struct people_listing {
	unsigned long pages;		/* listing pages read */
	unsigned long listed;		/* people on them */
	int stopped_early;		/* stopped because it did not pay */

	struct people_index *idx;	/* the listing's own */
	struct webex_walk walk;		/* its pages; walk.rc, .status, .err tell how it ended */
};

/*
 * Starts listing the org's people through c (orgId comes with the client),
 * alongside whatever else the client runs, until every wanted email is
 * resolved, the list ends, or it stops paying; st must stay put, with idx,
 * until webex_walk_wait says st->walk is done. What was resolved before a
 * failure stays in the index.
 */
void people_list_start(struct webex_client *c, struct people_index *idx,
    struct people_listing *st);

#endif
