/*
 * The corporate directory over LDAP (libldap): one connection, TLS verified by
 * default (StartTLS on ldap://, ldaps://), simple bind, and user look-ups
 * pipelined on that connection so that many searches are in flight at once.
 */
#ifndef J2W_LDAPDIR_H
#define J2W_LDAPDIR_H

#include <stddef.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

/* The filter when none is given: the CUCM userid is uid (OpenLDAP) or sAMAccountName (AD). */
#define LDAPDIR_DEFAULT_FILTER "(|(uid=%u)(sAMAccountName=%u))"
#define LDAPDIR_DEFAULT_WINDOW 64
#define LDAPDIR_MAX_WINDOW 1024

struct ldapdir_opts {
	const char *uri;	/* ldap://, ldaps:// or ldapi:// */
	const char *base;	/* search base DN */
	const char *filter;	/* template with %u; NULL: LDAPDIR_DEFAULT_FILTER */
	const char *bind_dn;	/* NULL: anonymous */
	const char *password;	/* with bind_dn; not kept after ldapdir_open */
	const char *cacert;	/* a CA file to trust, or NULL */
	const char *extra_attr;	/* one more attribute to read (ldap:ATTR), or NULL */
	int insecure;		/* TLS without certificate verification */
	int plain;		/* ldap:// without StartTLS */
	int timeout;		/* seconds for connect and for each answer; 0: 30 */
	int window;		/* searches in flight; 0: LDAPDIR_DEFAULT_WINDOW */
};

/* What the directory says about one user (strings are valid UTF-8, or NULL). */
struct ldapdir_entry {
	int matches;		/* entries found: 0, 1, or 2 meaning "more than one" */
	char *dn;
	char *mail;
	char *upn;		/* userPrincipalName */
	char *proxy_sip;	/* the first proxyAddresses value "SIP:x", as x */
	char *rtc_sip;		/* msRTCSIP-PrimaryUserAddress without "sip:" */
	char *extra;		/* the first value of opts.extra_attr */
};

struct ldapdir;

/*
 * Connects, starts TLS unless told not to, and binds (anonymously when no
 * bind_dn, which also proves the server answers). Returns 0 with *out (free
 * with ldapdir_close), or -1 with err: J2W_ESYS for a server that cannot be
 * reached, TLS that fails or a refused bind; J2W_EUSAGE for a bad URI.
 */
int ldapdir_open(struct ldapdir **out, const struct ldapdir_opts *o, struct j2w_err *err);
void ldapdir_close(struct ldapdir *d);

/* Searches started and not yet collected. */
int ldapdir_pending(const struct ldapdir *d);
/* Searches sent so far (for the summary and the benchmark). */
unsigned long ldapdir_searches(const struct ldapdir *d);

/*
 * Starts the look-up of userid; tag comes back from ldapdir_collect. Returns
 * 0, or -1 with err (J2W_EUSAGE for a filter the library refuses, J2W_ESYS
 * for a lost connection).
 */
int ldapdir_submit(struct ldapdir *d, const char *userid, size_t tag, struct j2w_err *err);

/*
 * Waits for any started search to finish and fills e (release with
 * ldapdir_entry_release) and *tag. Returns 1, 0 when nothing is pending, or
 * -1 with err (J2W_ESYS: timeout, lost connection, an unknown base DN).
 */
int ldapdir_collect(struct ldapdir *d, size_t *tag, struct ldapdir_entry *e,
    struct j2w_err *err);

void ldapdir_entry_release(struct ldapdir_entry *e);

/* Entries per page of a scan: OpenLDAP's default size limit (Active Directory's MaxPageSize is 1000). */
#define LDAPDIR_PAGE_SIZE 500

/*
 * One paged subtree search (RFC 2696 simple paged results, a critical
 * control) of the base with filter, reading only the attributes the answer
 * needs and key_attrs. Per entry: keys is told every value of the key
 * attributes (as UTF-8) and says whether the entry is wanted; entry is told a
 * wanted one (matches 1; valid during the call). Both return -1 with err to
 * stop. The scan stops early, abandoning the search, after budget entries
 * (0: no budget).
 */
#define LDAPDIR_SCAN_KEYS_MAX 8	/* key attributes of a scan */

struct ldapdir_scan {
	const char *filter;
	const char *const *key_attrs;
	size_t nkey_attrs;
	unsigned long budget;
	int (*keys)(void *ctx, char *const *vals, size_t n, struct j2w_err *err);
	int (*entry)(void *ctx, const struct ldapdir_entry *e, struct j2w_err *err);
	void (*progress)(void *ctx, unsigned long entries);	/* per page; may be NULL */
	void *ctx;

	unsigned long entries;	/* entries read */
	unsigned long pages;	/* pages answered */
	int refused;		/* the server refused a bulk read (limits, no paging): see err */
};

/*
 * Runs the scan s on d. Returns 0 when every entry was read, 1 when the budget
 * stopped it, or -1 with err (J2W_ESYS; s->refused when the server would not
 * hand out the whole result: a size or administrative limit, or no paged
 * results, where searching one user at a time still works).
 */
int ldapdir_scan(struct ldapdir *d, struct ldapdir_scan *s, struct j2w_err *err);

/*
 * Appends value[0..len) to out escaped for an LDAP filter (RFC 4515): * ( ) \
 * NUL and control characters become \XX. Returns 0 or -1 (ENOMEM, cap).
 */
int ldapdir_escape(struct strbuf *out, const char *value, size_t len);

/*
 * Expands a filter template: %u becomes the escaped userid, %% a '%'.
 * Returns 0, or -1 with err (J2W_EUSAGE for another % sequence, for
 * unbalanced parentheses or a template without %u).
 */
int ldapdir_filter(struct strbuf *out, const char *tmpl, const char *userid,
    struct j2w_err *err);

/*
 * Whether a is usable as the attribute of --webex-email-from ldap:ATTR: a
 * non-empty name of ASCII letters, digits, '-' and ';' (options such as
 * ";binary"), so nothing else reaches the search's attribute list.
 */
int ldapdir_attr_valid(const char *a);

#endif
