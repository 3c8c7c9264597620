/*
 * j2w-reconcile's options as rules: which combinations make sense, the
 * identity scheme and where the Webex email comes from, the verified domains,
 * the status counts of a run and its summary line.
 */
#ifndef J2W_RECONCILEARGS_H
#define J2W_RECONCILEARGS_H

#include <jansson.h>

#include "identity/ldapdir.h"
#include "identity/reconcile.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/* What was given on the command line (NULL or 0 when not given). */
struct reconcile_args {
	const char *scheme;		/* --scheme */
	const char *email_from;		/* --webex-email-from; NULL: directory-uri */
	const char *password_file;	/* --ldap-password-file */
	const char *contacts;		/* --contacts */
	const char *contacts_output;	/* --contacts-output ("-": standard output) */
	const char *output;		/* -o (NULL or "-": standard output) */
	int bulk, per_user;		/* --ldap-bulk, --ldap-per-user */
};

/*
 * Checks a's options together with o->default_domain and lo (the --ldap*
 * options), in the order a user meets them, and fills o->scheme,
 * o->email_from and o->email_attr (and lo->extra_attr for ldap:ATTR).
 * Returns 0, or -1 with err (J2W_EUSAGE, the message to show).
 */
int reconcile_args_check(const struct reconcile_args *a, struct reconcile_opts *o,
    struct ldapdir_opts *lo, struct j2w_err *err);

/*
 * --webex-domain D or D1,D2: checks each and appends it to *list (grown with
 * realloc; the caller frees the list, whose strings point into arg, which is
 * cut at the commas). Returns 0, or -1 with err (J2W_EUSAGE, J2W_ESYS).
 */
int reconcile_add_domains(const char ***list, size_t *n, char *arg, struct j2w_err *err);

/* A run's users by status, and its contacts. */
struct reconcile_tally {
	unsigned long users, ok, review, blocked;
	unsigned long contacts, contacts_unmapped;
};

/* Counts rec (after reconcile_finish) by its "status": ok, review, else blocked. */
void reconcile_tally_add(struct reconcile_tally *t, const json_t *rec);

/*
 * Appends the summary line ("3 users: 2 ok, 1 review, 0 blocked", with the
 * contacts when with_contacts) to sb.
 */
void reconcile_tally_describe(const struct reconcile_tally *t, int with_contacts,
    struct strbuf *sb);

struct ldapbulk;

/*
 * Appends what the bulk read b (scan: what it saw) did: "1 paged LDAP search:
 * N entries in N pages, N kept for the N users of this wave (N MiB)".
 */
void reconcile_bulk_describe(const struct ldapbulk *b, const struct ldapdir_scan *scan,
    struct strbuf *sb);

/* Appends "N LDAP searches (N.NN per user)". */
void reconcile_searches_describe(unsigned long searches, unsigned long users, struct strbuf *sb);

/*
 * When ix saw more than one presence domain, appends "N presence domains
 * (XMPP federation takes one): {...}" and returns 1; else returns 0.
 */
int reconcile_domains_describe(const struct reconcile_index *ix, struct strbuf *sb);

#endif
