/* j2w-reconcile's checks over user records, the all-users index, and contact rewriting. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"
#include "identity/reconcile.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* How many user IDs a duplicate finding names in its evidence. */
#define DUP_USERS_SHOWN 10

/* One key of the index: a Directory URI, a Webex email, a JID or a domain. */
struct rm_entry {
	char *key;
	unsigned long count;	/* users with this key */
	unsigned long contacts;	/* contacts owned (JID map) */
	char *email;		/* the Webex email of the first user (JID map) */
	char **users;		/* the first DUP_USERS_SHOWN user IDs */
	unsigned char nusers;
	unsigned char users_cap;
	char *first_user[1];	/* users points here until a second user comes */
};

struct rmap {
	struct rm_entry *e;
	size_t cap;	/* a power of two */
	size_t n;
};

struct reconcile_index {
	struct rmap uri, email, jid, domain;
};

/* The i-th user ID of e. */
static char *
rm_user(const struct rm_entry *e, unsigned i)
{
	return e->users_cap > 1 ? e->users[i] : (char *)e->first_user[i];
}

static uint64_t
rm_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int
rm_grow(struct rmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct rm_entry *e = calloc(cap, sizeof(*e));

	if (e == NULL)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (m->e[i].key == NULL)
			continue;
		for (j = rm_hash(m->e[i].key) & (cap - 1); e[j].key != NULL; j = (j + 1) & (cap - 1))
			;
		e[j] = m->e[i];
	}
	free(m->e);
	m->e = e;
	m->cap = cap;
	return 0;
}

/* The entry for key, created when create is set; NULL when absent or on ENOMEM. */
static struct rm_entry *
rm_get(struct rmap *m, const char *key, int create)
{
	size_t j;

	if (m->cap == 0 && (!create || rm_grow(m) < 0))
		return NULL;
	for (j = rm_hash(key) & (m->cap - 1); m->e[j].key != NULL; j = (j + 1) & (m->cap - 1))
		if (strcmp(m->e[j].key, key) == 0)
			return &m->e[j];
	if (!create)
		return NULL;
	/* linear probing stays short up to three quarters full */
	if ((m->n + 1) * 4 > m->cap * 3) {
		if (rm_grow(m) < 0)
			return NULL;
		return rm_get(m, key, create);
	}
	m->e[j].key = strdup(key);
	if (m->e[j].key == NULL)
		return NULL;
	m->n++;
	return &m->e[j];
}

/*
 * The user IDs of an entry: one lives in the entry itself (most keys have one
 * user), a heap array is made only for a second. Memory is what grows with
 * the users, so this matters at 200,000 of them.
 */
static void
rm_users_free(struct rm_entry *e)
{
	for (unsigned i = 0; i < e->nusers; i++)
		free(rm_user(e, i));
	if (e->users_cap > 1)
		free(e->users);
}

static int
rm_add_user(struct rm_entry *e, const char *userid)
{
	char *dup = strdup(userid);

	if (dup == NULL)
		return -1;
	if (e->nusers == 0) {
		e->first_user[0] = dup;
		e->users_cap = 1;
		e->nusers = 1;
		return 0;
	}
	if (e->nusers == e->users_cap) {
		unsigned cap = DUP_USERS_SHOWN;
		char **u = malloc(cap * sizeof(*u));

		if (u == NULL) {
			free(dup);
			return -1;
		}
		for (unsigned i = 0; i < e->nusers; i++)
			u[i] = rm_user(e, i);
		e->users = u;
		e->users_cap = (unsigned char)cap;
	}
	e->users[e->nusers++] = dup;
	return 0;
}

/* The user IDs as a new JSON array (NULL on ENOMEM). */
static json_t *
rm_users_json(const struct rm_entry *e)
{
	json_t *a = json_array();

	for (unsigned i = 0; a != NULL && i < e->nusers; i++)
		json_array_append_new(a, json_string(rm_user(e, i)));
	return a;
}

static void
rm_free(struct rmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->e[i].key);
		free(m->e[i].email);
		rm_users_free(&m->e[i]);
	}
	free(m->e);
}

struct reconcile_index *
reconcile_index_new(void)
{
	return calloc(1, sizeof(struct reconcile_index));
}

void
reconcile_index_free(struct reconcile_index *ix)
{
	if (ix == NULL)
		return;
	rm_free(&ix->uri);
	rm_free(&ix->email);
	rm_free(&ix->jid);
	rm_free(&ix->domain);
	free(ix);
}

/* What each check tells the engineer to do (docs/checks/reconcile.md has the long form). */
static const struct {
	const char *check;
	const char *fix;
} fixes[] = {
	{ "RECORD-INVALID", "make the user list again with j2w-users (every user needs a user "
	    "ID) and reconcile it again" },
	{ "URI-MISSING", "set the user's Directory URI in Unified CM (or sync it from the "
	    "directory's mail attribute) to their Webex email" },
	{ "URI-MAIL-MISMATCH", "make the user's Mail ID and Directory URI in Unified CM the same "
	    "address: the one of their Webex account" },
	{ "URI-EMAIL-MISMATCH", "set the user's Directory URI in Unified CM to their Webex email, "
	    "or create the Webex account with the Directory URI" },
	{ "EMAIL-MISSING", "fill in the address the user's Webex account is made with (their "
	    "Mail ID, or the directory attribute the Webex email comes from)" },
	{ "JID-URI-MISMATCH", "nothing to change: Hybrid Messaging maps the Jabber ID to the "
	    "Directory URI; check that the Directory URI is the user's Webex email" },
	{ "CASE-ONLY", "spell both addresses in the same case (lower case is safest) where they "
	    "come from: the directory or Unified CM" },
	{ "JID-AT-IN-LOCALPART", "in Unified CM's LDAP directory settings, map the user ID from "
	    "sAMAccountName instead of mail, or move IM and Presence to the Directory URI "
	    "address scheme" },
	{ "URI-DUPLICATE", "give each user their own Directory URI; one Webex account cannot "
	    "serve two users" },
	{ "EMAIL-DUPLICATE", "give each user their own Webex email" },
	{ "JID-DUPLICATE", "give each user a user ID (or Directory URI) of their own across "
	    "every IM and Presence cluster" },
	{ "DOMAIN-UNVERIFIED", "verify the domain in Control Hub, or correct the address" },
	{ "EMAIL-INVALID", "correct the address where it comes from (the directory's mail "
	    "attribute or Unified CM)" },
	{ "JID-INVALID", "correct the user ID or Directory URI in Unified CM so the Jabber ID "
	    "holds no space, quote, &, :, <, > or /" },
	{ "MULTI-PRESENCE-DOMAIN", "move every user to one presence domain before Webex XMPP "
	    "federation" },
	{ "LDAP-MISSING", "create or sync the user in the directory, or give j2w-reconcile a "
	    "search base and filter that find them (--ldap-base, --ldap-filter)" },
	{ "LDAP-AMBIGUOUS", "remove the extra directory entry, or give j2w-reconcile a narrower "
	    "search base or filter (--ldap-base, --ldap-filter) that finds one entry per user" },
	{ "LDAP-MAIL-MISMATCH", "correct the user's mail in the directory, or sync Unified CM "
	    "from the directory again, so both hold the Webex email" },
	{ "LDAP-SIP-MISMATCH", "in Active Directory, make the user's SIP entry in proxyAddresses "
	    "SIP:<their Webex email>, so Outlook shows their presence" },
	{ "LDAP-RTC-MISMATCH", "in Active Directory, set the user's Lync or Skype for Business "
	    "address (msRTCSIP-PrimaryUserAddress) to their Webex email, or map the Directory "
	    "URI from mail in Unified CM" },
	{ "CONTACT-UNMAPPED", "add that person to the migration with a Directory URI, or remove "
	    "the contact from the owner's list" },
	{ "CONTACT-OVER-LIMIT", "ask the user to remove contacts until at most 500 remain: "
	    "Webex imports no more" },
};

static const char *
fix_for(const char *check)
{
	for (size_t i = 0; i < sizeof(fixes) / sizeof(fixes[0]); i++)
		if (strcmp(fixes[i].check, check) == 0)
			return fixes[i].fix;
	return NULL;
}

/* Appends a finding to rec's "findings"; evidence is stolen. Returns 0 or -1 (ENOMEM). */
__attribute__((format(printf, 5, 6)))
static int
add_finding(json_t *rec, const char *check, enum severity sev, json_t *evidence,
    const char *fmt, ...)
{
	json_t *findings = json_object_get(rec, "findings"), *f;
	const char *subject = json_get_str(rec, "userid");
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a long value may be cut inside a UTF-8 sequence: cut before it instead */
	msg[utf8_invalid_at(msg, strlen(msg))] = '\0';
	if (subject == NULL)
		subject = json_get_str(rec, "owner");
	f = finding_new(RECONCILE_TOOL, check, sev, subject, NULL, msg, evidence);
	if (f == NULL || json_set_str(f, "fix", fix_for(check)) < 0 ||
	    json_array_append_new(findings, f) < 0)
		return -1;
	return 0;
}

/* A copy of s folded (caller frees), or NULL on ENOMEM. */
static char *
folded(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	if (identity_fold(&sb, s, strlen(s)) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

static char *
jid_for(const struct reconcile_opts *o, const char *userid, const char *uri)
{
	struct strbuf sb;

	if (o->scheme == SCHEME_DIRECTORY_URI)
		return uri != NULL ? folded(uri) : NULL;
	/* IM&P writes UserID@Default_Domain in lower case, whatever the user ID holds */
	strbuf_init(&sb, 0);
	if (identity_fold(&sb, userid, strlen(userid)) < 0 || strbuf_addch(&sb, '@') < 0 ||
	    identity_fold(&sb, o->default_domain, strlen(o->default_domain)) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* Whether the record is a copy of a user homed on another cluster. */
static int
not_home(const json_t *rec)
{
	return json_is_false(json_object_get(rec, "home_cluster"));
}

static int
index_add(struct rmap *m, const char *value, const char *userid, const char *email)
{
	char *key = identity_key(value);
	struct rm_entry *e;
	int rc = -1;

	if (key == NULL)
		return -1;
	e = rm_get(m, key, 1);
	if (e != NULL) {
		e->count++;
		rc = 0;
		if (e->nusers < DUP_USERS_SHOWN)
			rc = rm_add_user(e, userid);
		if (rc == 0 && email != NULL && e->email == NULL && (e->email = strdup(email)) == NULL)
			rc = -1;
	}
	free(key);
	return rc;
}

static const struct rm_entry *
index_find(const struct rmap *m, const char *value)
{
	char *key = identity_key(value);
	const struct rm_entry *e;

	if (key == NULL)
		return NULL;
	e = rm_get((struct rmap *)m, key, 0);
	free(key);
	return e;
}

/*
 * Compares two fields; a case-only difference is CASE-ONLY (WARN), another
 * difference is check at sev. Returns 0 or -1 (ENOMEM).
 */
static int
compare_fields(json_t *rec, const char *a_name, const char *a, const char *b_name,
    const char *b, const char *check, enum severity sev, const char *what)
{
	switch (identity_compare(a, b)) {
	case IDENTITY_SAME:
	case IDENTITY_EQUIVALENT:
		return 0;
	case IDENTITY_CASE_ONLY:
		return add_finding(rec, "CASE-ONLY", SEV_WARN,
		    json_pack("{s:s, s:s, s:s, s:s}", "field", a_name, "value", a, "other_field",
		    b_name, "other_value", b),
		    "%s '%s' and %s '%s' differ in case only", a_name, a, b_name, b);
	case IDENTITY_DIFFERENT:
		break;
	}
	return add_finding(rec, check, sev,
	    json_pack("{s:s, s:s, s:s, s:s}", "field", a_name, "value", a, "other_field", b_name,
	    "other_value", b),
	    "%s '%s' differs from %s '%s'%s", a_name, a, b_name, b, what);
}

static int
domain_verified(const struct reconcile_opts *o, const char *email)
{
	const char *at = identity_last_at(email);
	struct strbuf a, b;
	int found = 0;

	if (at == NULL)
		return 0;
	strbuf_init(&a, 0);
	strbuf_init(&b, 0);
	if (identity_domain_key(&a, at + 1, strlen(at + 1)) < 0)
		goto out;
	for (size_t i = 0; i < o->nwebex_domains && !found; i++) {
		strbuf_reset(&b);
		if (identity_domain_key(&b, o->webex_domains[i], strlen(o->webex_domains[i])) == 0 &&
		    strcmp(a.buf, b.buf) == 0)
			found = 1;
	}
out:
	strbuf_release(&a);
	strbuf_release(&b);
	return found;
}

static int
check_ldap(const struct reconcile_opts *o, json_t *rec, const struct ldapdir_entry *e,
    const char *userid, const char *uri, const char *email)
{
	json_t *ldap;

	if (e->matches == 0)
		return add_finding(rec, "LDAP-MISSING", SEV_FAIL, NULL,
		    "no directory entry for user '%s'", userid);
	if (e->matches > 1)
		return add_finding(rec, "LDAP-AMBIGUOUS", SEV_FAIL, NULL,
		    "the LDAP filter finds more than one directory entry for user '%s'", userid);
	ldap = json_object();
	if (ldap == NULL || json_object_set_new(rec, "ldap", ldap) < 0 ||
	    json_set_str(ldap, "dn", e->dn) < 0 || json_set_str(ldap, "mail", e->mail) < 0 ||
	    json_set_str(ldap, "user_principal_name", e->upn) < 0 ||
	    json_set_str(ldap, "proxy_sip", e->proxy_sip) < 0 ||
	    json_set_str(ldap, "msrtcsip_primary_user_address", e->rtc_sip) < 0 ||
	    (o->email_attr != NULL && json_set_str(ldap, o->email_attr, e->extra) < 0))
		return -1;
	if (e->mail == NULL) {
		if (add_finding(rec, "LDAP-MAIL-MISMATCH", SEV_FAIL, NULL,
		    "the directory entry '%s' has no mail", e->dn ? e->dn : "") < 0)
			return -1;
	} else if (uri != NULL && compare_fields(rec, "ldap_mail", e->mail, "directory_uri", uri,
	    "LDAP-MAIL-MISMATCH", SEV_FAIL, " (Directory Connector creates the Webex account "
	    "from mail)") < 0) {
		return -1;
	}
	if (email != NULL) {
		if (e->proxy_sip == NULL) {
			if (add_finding(rec, "LDAP-SIP-MISMATCH", SEV_WARN,
			    json_pack("{s:s}", "webex_email", email),
			    "proxyAddresses has no SIP: value (Outlook presence needs SIP:%s)",
			    email) < 0)
				return -1;
		} else if (identity_compare(e->proxy_sip, email) == IDENTITY_DIFFERENT &&
		    add_finding(rec, "LDAP-SIP-MISMATCH", SEV_WARN,
		    json_pack("{s:s, s:s}", "proxy_sip", e->proxy_sip, "webex_email", email),
		    "proxyAddresses SIP:%s differs from the Webex email '%s'", e->proxy_sip,
		    email) < 0) {
			return -1;
		}
		if (e->rtc_sip != NULL &&
		    identity_compare(e->rtc_sip, email) == IDENTITY_DIFFERENT &&
		    add_finding(rec, "LDAP-RTC-MISMATCH", SEV_WARN,
		    json_pack("{s:s, s:s}", "msrtcsip_primary_user_address", e->rtc_sip,
		    "webex_email", email),
		    "msRTCSIP-PrimaryUserAddress '%s' differs from the Webex email '%s'",
		    e->rtc_sip, email) < 0)
			return -1;
	}
	return 0;
}

int
reconcile_user(const struct reconcile_opts *o, json_t *rec, const struct ldapdir_entry *e,
    struct reconcile_index *ix, struct j2w_err *err)
{
	const json_t *uidv = json_object_get(rec, "userid");
	const char *userid = json_string_value(uidv);
	const char *uri = json_get_str(rec, "directory_uri");
	const char *mail = json_get_str(rec, "mailid");
	const char *email = NULL, *why;
	int imp_off = json_is_false(json_object_get(rec, "im_presence_enabled"));
	char *jid = NULL;
	json_t *findings = json_array();

	/* a record that went through j2w-reconcile before is checked afresh */
	json_object_del(rec, "jid");
	json_object_del(rec, "webex_email");
	json_object_del(rec, "status");
	json_object_del(rec, "findings");
	json_object_del(rec, "ldap");
	if (userid != NULL && *userid != '\0') {
		switch (o->email_from) {
		case EMAIL_FROM_URI: email = uri; break;
		case EMAIL_FROM_MAILID: email = mail; break;
		case EMAIL_FROM_LDAP: email = e != NULL && e->matches == 1 ? e->extra : NULL; break;
		}
		jid = jid_for(o, userid, uri);
		if ((o->scheme == SCHEME_USERID || uri != NULL) && jid == NULL)
			goto nomem;
	}
	/* key order: the input's, then jid, webex_email, status (set in pass 2), findings */
	if (json_set_str(rec, "jid", jid) < 0 || json_set_str(rec, "webex_email", email) < 0 ||
	    json_object_set_new(rec, "status", json_string("ok")) < 0 || findings == NULL ||
	    json_object_set_new(rec, "findings", findings) < 0)
		goto nomem;
	if (userid == NULL || *userid == '\0') {
		if (add_finding(rec, "RECORD-INVALID", SEV_FAIL, NULL,
		    "record has no string 'userid'; it is passed through unchecked") < 0)
			goto nomem;
		return 0;
	}

	/* Directory URI, and how it compares with mail and the Webex email */
	if (uri == NULL) {
		if (add_finding(rec, "URI-MISSING", imp_off ? SEV_WARN : SEV_FAIL, NULL,
		    "user '%s' has no Directory URI%s", userid,
		    imp_off ? " (not enabled for IM and Presence)" : "") < 0)
			goto nomem;
	} else {
		if (mail != NULL && compare_fields(rec, "directory_uri", uri, "mailid", mail,
		    "URI-MAIL-MISMATCH", SEV_WARN, "") < 0)
			goto nomem;
		if (o->email_from != EMAIL_FROM_URI && email != NULL &&
		    compare_fields(rec, "directory_uri", uri, "webex_email", email,
		    "URI-EMAIL-MISMATCH", SEV_FAIL, " (Hybrid Messaging and the Webex App route "
		    "by the Directory URI)") < 0)
			goto nomem;
	}
	if (email == NULL && o->email_from != EMAIL_FROM_URI) {
		if (add_finding(rec, "EMAIL-MISSING", SEV_FAIL, NULL, "user '%s' has no %s", userid,
		    o->email_from == EMAIL_FROM_MAILID ? "Mail ID" : o->email_attr) < 0)
			goto nomem;
	}
	if (email != NULL) {
		if (identity_email_check(email, &why) < 0) {
			if (add_finding(rec, "EMAIL-INVALID", SEV_FAIL,
			    json_pack("{s:s, s:s}", "webex_email", email, "reason", why),
			    "not a valid Webex email (%s): '%s'", why, email) < 0)
				goto nomem;
		} else if (o->nwebex_domains > 0 && !domain_verified(o, email)) {
			if (add_finding(rec, "DOMAIN-UNVERIFIED", SEV_FAIL,
			    json_pack("{s:s, s:s}", "webex_email", email, "domain",
			    identity_last_at(email) + 1),
			    "the domain of '%s' is not among the verified Webex domains", email) < 0)
				goto nomem;
		}
	}

	/* the JID */
	if (jid != NULL) {
		const char *at = identity_last_at(jid);

		if (at != NULL && memchr(jid, '@', (size_t)(at - jid)) != NULL &&
		    add_finding(rec, "JID-AT-IN-LOCALPART", SEV_WARN, json_pack("{s:s}", "jid", jid),
		    "JID '%s' has '@' in its localpart (user ID mapped to an email address)",
		    jid) < 0)
			goto nomem;
		if (identity_jid_check(jid, &why) < 0) {
			if (add_finding(rec, "JID-INVALID", SEV_WARN,
			    json_pack("{s:s, s:s}", "jid", jid, "reason", why),
			    "not a valid JID (%s): '%s'", why, jid) < 0)
				goto nomem;
		}
		if (uri != NULL && identity_compare(jid, uri) == IDENTITY_DIFFERENT &&
		    add_finding(rec, "JID-URI-MISMATCH", SEV_INFO,
		    json_pack("{s:s, s:s}", "jid", jid, "directory_uri", uri),
		    "JID '%s' differs from the Directory URI '%s' (Hybrid Messaging maps them)",
		    jid, uri) < 0)
			goto nomem;
	}

	if (e != NULL && check_ldap(o, rec, e, userid, uri, email) < 0)
		goto nomem;

	/* the index, for duplicates, contacts and presence domains (home records only) */
	if (!not_home(rec)) {
		if ((uri != NULL && index_add(&ix->uri, uri, userid, NULL) < 0) ||
		    (email != NULL && o->email_from != EMAIL_FROM_URI &&
		    index_add(&ix->email, email, userid, NULL) < 0) ||
		    (jid != NULL && index_add(&ix->jid, jid, userid, email) < 0))
			goto nomem;
		if (jid != NULL && identity_last_at(jid) != NULL &&
		    index_add(&ix->domain, identity_last_at(jid) + 1, userid, NULL) < 0)
			goto nomem;
	}
	free(jid);
	return 0;
nomem:
	free(jid);
	return err_set(err, J2W_ESYS, "out of memory");
}

/* CONTACT-UNMAPPED for the owner or the contact side when it has no Webex email. */
static int
unmapped(json_t *c, const char *side, const char *jid, const struct rm_entry *e)
{
	if (e != NULL && e->email != NULL)
		return 0;
	if (e != NULL)
		return add_finding(c, "CONTACT-UNMAPPED", SEV_WARN,
		    json_pack("{s:s, s:o}", side, jid, "user_ids", rm_users_json(e)),
		    "%s '%s' is a user without a Webex email", side, jid);
	return add_finding(c, "CONTACT-UNMAPPED", SEV_WARN, json_pack("{s:s?}", side, jid),
	    "%s '%s' is no migrating user", side, jid != NULL ? jid : "");
}

int
reconcile_contact(const struct reconcile_opts *o, struct reconcile_index *ix, json_t *c,
    struct j2w_err *err)
{
	const char *owner = json_get_str(c, "owner");
	const char *contact = json_get_str(c, "contact");
	struct rm_entry *oe = NULL;
	const struct rm_entry *ce = NULL;
	json_t *findings = json_array();

	json_object_del(c, "owner_email");
	json_object_del(c, "contact_email");
	json_object_del(c, "findings");
	if (findings == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (owner != NULL) {
		char *key = identity_key(owner);

		if (key == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		oe = rm_get(&ix->jid, key, 0);
		free(key);
	}
	if (contact != NULL)
		ce = index_find(&ix->jid, contact);
	if (oe != NULL) {
		oe->contacts++;
		if (json_set_str(c, "owner_email", oe->email) < 0) {
			json_decref(findings);
			return err_set(err, J2W_ESYS, "out of memory");
		}
	}
	if ((ce != NULL && json_set_str(c, "contact_email", ce->email) < 0) ||
	    json_object_set_new(c, "findings", findings) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	if (unmapped(c, "owner", owner, oe) < 0 || unmapped(c, "contact", contact, ce) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	(void)o;
	return 0;
}

static int
dup_finding(json_t *rec, const struct rm_entry *e, const char *check, const char *field,
    const char *value)
{
	json_t *users = rm_users_json(e);

	return add_finding(rec, check, SEV_FAIL,
	    json_pack("{s:s, s:s, s:I, s:o}", "field", field, "value", value, "users",
	    (json_int_t)e->count, "user_ids", users),
	    "%s '%s' is shared by %lu users", field, value, e->count);
}

/* The most common presence domain (ties: the first in key order), or NULL. */
static const struct rm_entry *
main_domain(const struct reconcile_index *ix)
{
	const struct rm_entry *best = NULL;

	for (size_t i = 0; i < ix->domain.cap; i++) {
		const struct rm_entry *e = &ix->domain.e[i];

		if (e->key == NULL)
			continue;
		if (best == NULL || e->count > best->count ||
		    (e->count == best->count && strcmp(e->key, best->key) < 0))
			best = e;
	}
	return best;
}

int
reconcile_finish(const struct reconcile_opts *o, const struct reconcile_index *ix,
    json_t *rec, struct j2w_err *err)
{
	const char *uri = json_get_str(rec, "directory_uri");
	const char *email = json_get_str(rec, "webex_email");
	const char *jid = json_get_str(rec, "jid");
	const struct rm_entry *e;
	unsigned limit = o->contact_limit ? o->contact_limit : RECONCILE_CONTACT_LIMIT;
	enum severity worst;

	if (json_object_get(rec, "findings") == NULL) {
		json_t *f = json_array();

		if (f == NULL || json_object_set_new(rec, "findings", f) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
	}
	/* the same records reconcile_user indexed: a string userid, on its home cluster */
	if (json_string_length(json_object_get(rec, "userid")) > 0 && !not_home(rec)) {
		if (uri != NULL && (e = index_find(&ix->uri, uri)) != NULL && e->count > 1 &&
		    dup_finding(rec, e, "URI-DUPLICATE", "directory_uri", uri) < 0)
			goto nomem;
		/* with the Webex email taken from the Directory URI this would say it twice */
		if (o->email_from != EMAIL_FROM_URI && email != NULL &&
		    (e = index_find(&ix->email, email)) != NULL && e->count > 1 &&
		    dup_finding(rec, e, "EMAIL-DUPLICATE", "webex_email", email) < 0)
			goto nomem;
		/* under the Directory URI scheme the JID is the URI: URI-DUPLICATE says it */
		if (o->scheme == SCHEME_USERID && jid != NULL &&
		    (e = index_find(&ix->jid, jid)) != NULL && e->count > 1 &&
		    dup_finding(rec, e, "JID-DUPLICATE", "jid", jid) < 0)
			goto nomem;
		if (jid != NULL && (e = index_find(&ix->jid, jid)) != NULL && e->contacts > limit &&
		    add_finding(rec, "CONTACT-OVER-LIMIT", SEV_WARN,
		    json_pack("{s:I, s:I}", "contacts", (json_int_t)e->contacts, "limit",
		    (json_int_t)limit),
		    "%lu contacts, more than the %u Webex imports per user", e->contacts,
		    limit) < 0)
			goto nomem;
		if (o->xmpp_federation && jid != NULL && identity_last_at(jid) != NULL &&
		    ix->domain.n > 1) {
			const struct rm_entry *main = main_domain(ix);
			const char *dom = identity_last_at(jid) + 1;
			char *key = identity_key(dom);

			if (key == NULL)
				goto nomem;
			if (main != NULL && strcmp(key, main->key) != 0 &&
			    add_finding(rec, "MULTI-PRESENCE-DOMAIN", SEV_FAIL,
			    json_pack("{s:s, s:s, s:I}", "domain", dom, "main_domain", main->key,
			    "domains", (json_int_t)ix->domain.n),
			    "presence domain '%s' is not the main one '%s' (%lu domains; Webex "
			    "XMPP federation takes one)", dom, main->key,
			    (unsigned long)ix->domain.n) < 0) {
				free(key);
				goto nomem;
			}
			free(key);
		}
	}
	worst = reconcile_worst(rec);
	if (json_set_str(rec, "status", worst >= SEV_FAIL ? "blocked" : worst == SEV_WARN ?
	    "review" : "ok") < 0)
		goto nomem;
	return 0;
nomem:
	return err_set(err, J2W_ESYS, "out of memory");
}

json_t *
reconcile_presence_domains(const struct reconcile_index *ix)
{
	json_t *o = json_object();

	for (size_t i = 0; o != NULL && i < ix->domain.cap; i++) {
		const struct rm_entry *e = &ix->domain.e[i];

		if (e->key != NULL)
			json_object_set_new(o, e->key, json_integer((json_int_t)e->count));
	}
	return o;
}

enum severity
reconcile_worst(const json_t *rec)
{
	const json_t *f;
	enum severity worst = SEV_OK, s;
	size_t i;

	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		const char *name = json_string_value(json_object_get(f, "severity"));

		if (name != NULL && severity_parse(name, &s) == 0 && s > worst)
			worst = s;
	}
	return worst;
}
