/*
 * j2w-reconcile's checks: a user's JID and Webex email, the findings on one
 * user record, the index of every user for duplicates and contact mapping,
 * and contact records rewritten to Webex emails. Check IDs are documented in
 * docs/checks/reconcile.md.
 */
#ifndef J2W_RECONCILE_H
#define J2W_RECONCILE_H

#include <jansson.h>

#include "identity/ldapdir.h"
#include "record/findings.h"
#include "util/j2w_err.h"

#define RECONCILE_TOOL "j2w-reconcile"
/* The Webex personal-contact import limit per user. */
#define RECONCILE_CONTACT_LIMIT 500

enum reconcile_scheme { SCHEME_USERID, SCHEME_DIRECTORY_URI };
enum reconcile_email_from { EMAIL_FROM_URI, EMAIL_FROM_MAILID, EMAIL_FROM_LDAP };

struct reconcile_opts {
	enum reconcile_scheme scheme;
	const char *default_domain;		/* required with SCHEME_USERID */
	enum reconcile_email_from email_from;
	const char *email_attr;			/* the ATTR of ldap:ATTR */
	const char *const *webex_domains;	/* verified domains; none: not checked */
	size_t nwebex_domains;
	int xmpp_federation;			/* XMPP federation is planned */
	int ldap;				/* records come with directory entries */
	unsigned contact_limit;			/* 0: RECONCILE_CONTACT_LIMIT */
};

struct reconcile_index;

/* A new, empty index (NULL on ENOMEM); free with reconcile_index_free. */
struct reconcile_index *reconcile_index_new(void);
void reconcile_index_free(struct reconcile_index *ix);

/*
 * First pass over one user record: sets "jid" and "webex_email" (absent when
 * they cannot be formed), "findings" (every check on this record alone), and
 * "ldap" (what the directory holds) when e is not NULL (e: the directory
 * answer, NULL without --ldap), and adds the user to ix. A record without a
 * string "userid" gets a RECORD-INVALID finding. Returns 0, or -1 with err
 * (J2W_ESYS: out of memory).
 */
int reconcile_user(const struct reconcile_opts *o, json_t *rec, const struct ldapdir_entry *e,
    struct reconcile_index *ix, struct j2w_err *err);

/*
 * Rewrites one contact record (owner and contact JIDs) to "owner_email" and
 * "contact_email" through the users in ix, and sets "findings"
 * (CONTACT-UNMAPPED when owner or contact is no user). Counts the owner's
 * contacts for CONTACT-OVER-LIMIT. Returns 0, or -1 with err.
 */
int reconcile_contact(const struct reconcile_opts *o, struct reconcile_index *ix, json_t *c,
    struct j2w_err *err);

/*
 * Second pass over a record that went through reconcile_user: adds the
 * findings only known once every user was seen (duplicates, contacts over the
 * limit, presence domains) and sets "status" (ok, review, blocked). Returns 0,
 * or -1 with err.
 */
int reconcile_finish(const struct reconcile_opts *o, const struct reconcile_index *ix,
    json_t *rec, struct j2w_err *err);

/* The presence (JID) domains seen, with users each, as a JSON object (caller decrefs). */
json_t *reconcile_presence_domains(const struct reconcile_index *ix);

/* The worst severity among rec's "findings" (SEV_OK when none). */
enum severity reconcile_worst(const json_t *rec);

#endif
