/*
 * Who a room member is in Webex: the reconcile output (j2w-reconcile's user
 * records, JSON Lines or CSV) read into a map from bare JID to Webex email.
 */
#ifndef J2W_SPACEMAP_H
#define J2W_SPACEMAP_H

#include <stdio.h>
#include <jansson.h>

#include "util/j2w_err.h"

struct spaces_map {
	json_t *by_jid;			/* bare JID -> {"email","status"} or {"conflict":true} */
	unsigned long records;		/* records read */
	unsigned long without_jid;	/* records reconcile gave no JID */
};

void spaces_map_init(struct spaces_map *m);
void spaces_map_release(struct spaces_map *m);

/*
 * Adds the records of fp (name for messages) to the map: "jid" (bare, any
 * case) to "webex_email", with reconcile's "status". Two records of one JID
 * with different emails make it ambiguous. Returns 0, or -1 with err
 * (J2W_EDATA: unreadable records, or none with a jid: not reconcile output).
 */
int spaces_map_read(struct spaces_map *m, FILE *fp, const char *name, struct j2w_err *err);

/*
 * The Webex email of jid (any case, a resource is ignored), valid as long as
 * the map; or NULL with *why (a static phrase for people) saying why not.
 */
const char *spaces_map_email(const struct spaces_map *m, const char *jid, const char **why);

#endif
