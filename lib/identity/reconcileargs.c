/* j2w-reconcile's option rules, its status counts and its summary line. */
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"
#include "identity/ldapbulk.h"
#include "identity/reconcileargs.h"
#include "util/jsonl.h"

/* Whether path names standard output (-o - or no -o at all). */
static int
is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

int
reconcile_args_check(const struct reconcile_args *a, struct reconcile_opts *o,
    struct ldapdir_opts *lo, struct j2w_err *err)
{
	const char *email_from = a->email_from != NULL ? a->email_from : "directory-uri";
	const char *tmpl = lo->filter ? lo->filter : LDAPDIR_DEFAULT_FILTER;

	if (a->scheme == NULL)
		return err_set(err, J2W_EUSAGE, "give the IM address scheme: --scheme userid or "
		    "--scheme directory-uri");
	if (strcmp(a->scheme, "userid") == 0)
		o->scheme = SCHEME_USERID;
	else if (strcmp(a->scheme, "directory-uri") == 0)
		o->scheme = SCHEME_DIRECTORY_URI;
	else
		return err_set(err, J2W_EUSAGE, "--scheme wants userid or directory-uri, not '%s'",
		    a->scheme);
	if (o->scheme == SCHEME_USERID && o->default_domain == NULL)
		return err_set(err, J2W_EUSAGE, "--scheme userid needs --default-domain (the IM&P "
		    "default domain)");
	if (o->default_domain != NULL) {
		const char *why;

		if (identity_domain_check(o->default_domain, strlen(o->default_domain), 0, &why) < 0)
			return err_set(err, J2W_EUSAGE, "--default-domain '%s': %s",
			    o->default_domain, why);
	}
	if (strcmp(email_from, "directory-uri") == 0) {
		o->email_from = EMAIL_FROM_URI;
	} else if (strcmp(email_from, "mailid") == 0) {
		o->email_from = EMAIL_FROM_MAILID;
	} else if (strncmp(email_from, "ldap:", 5) == 0 && ldapdir_attr_valid(email_from + 5)) {
		o->email_from = EMAIL_FROM_LDAP;
		o->email_attr = email_from + 5;
		lo->extra_attr = o->email_attr;
		if (lo->uri == NULL)
			return err_set(err, J2W_EUSAGE, "--webex-email-from %s needs --ldap",
			    email_from);
	} else {
		return err_set(err, J2W_EUSAGE, "--webex-email-from wants directory-uri, mailid or "
		    "ldap:ATTR, not '%s'", email_from);
	}
	if (lo->uri == NULL && (lo->base || lo->filter || lo->bind_dn || a->password_file ||
	    lo->window || lo->timeout || lo->plain || lo->cacert || lo->insecure || a->bulk ||
	    a->per_user))
		return err_set(err, J2W_EUSAGE, "the --ldap-* options, --concurrency, --timeout, "
		    "--cacert and --insecure need --ldap URI");
	if (a->bulk && a->per_user)
		return err_set(err, J2W_EUSAGE, "--ldap-bulk and --ldap-per-user exclude each other");
	if (a->bulk) {
		struct ldapbulk_plan plan;
		struct j2w_err perr;
		int bad;

		bad = ldapbulk_plan(&plan, tmpl, &perr) < 0 && perr.status == J2W_EUSAGE;
		ldapbulk_plan_release(&plan);
		if (bad)
			return err_set(err, J2W_EUSAGE, "--ldap-bulk: %s", perr.msg);
	}
	if (lo->uri != NULL && lo->base == NULL)
		return err_set(err, J2W_EUSAGE, "--ldap needs --ldap-base DN");
	if ((lo->bind_dn == NULL) != (a->password_file == NULL))
		return err_set(err, J2W_EUSAGE, "--ldap-bind-dn and --ldap-password-file go together");
	if (a->contacts != NULL && a->contacts_output == NULL)
		return err_set(err, J2W_EUSAGE, "--contacts needs --contacts-output FILE");
	if (a->contacts == NULL && a->contacts_output != NULL)
		return err_set(err, J2W_EUSAGE, "--contacts-output needs --contacts FILE");
	if (a->contacts_output != NULL && is_stdout(a->contacts_output) && is_stdout(a->output))
		return err_set(err, J2W_EUSAGE, "--contacts-output - and the users would share "
		    "standard output: give one of them -o FILE");
	if (lo->uri != NULL) {
		struct strbuf probe;
		struct j2w_err ferr;
		int bad;

		strbuf_init(&probe, 0);
		bad = ldapdir_filter(&probe, tmpl, "x", &ferr) < 0;
		strbuf_release(&probe);
		if (bad)
			return err_set(err, J2W_EUSAGE, "--ldap-filter: %s", ferr.msg);
	}
	err_clear(err);
	return 0;
}

int
reconcile_add_domains(const char ***list, size_t *n, char *arg, struct j2w_err *err)
{
	char *save = NULL;

	for (char *d = strtok_r(arg, ",", &save); d != NULL; d = strtok_r(NULL, ",", &save)) {
		const char *why;
		const char **l;

		if (identity_domain_check(d, strlen(d), 0, &why) < 0)
			return err_set(err, J2W_EUSAGE, "--webex-domain '%s': %s", d, why);
		l = realloc(*list, (*n + 1) * sizeof(*l));
		if (l == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		l[(*n)++] = d;
		*list = l;
	}
	return 0;
}

void
reconcile_tally_add(struct reconcile_tally *t, const json_t *rec)
{
	const char *status = json_get_str(rec, "status");

	if (status != NULL && strcmp(status, "ok") == 0)
		t->ok++;
	else if (status != NULL && strcmp(status, "review") == 0)
		t->review++;
	else
		t->blocked++;
}

void
reconcile_tally_describe(const struct reconcile_tally *t, int with_contacts, struct strbuf *sb)
{
	strbuf_add_count(sb, t->users, "user", NULL);
	strbuf_addf(sb, ": %lu ok, %lu review, %lu blocked", t->ok, t->review, t->blocked);
	if (with_contacts) {
		strbuf_addstr(sb, "; ");
		strbuf_add_count(sb, t->contacts, "contact", NULL);
		strbuf_addf(sb, ", %lu with findings", t->contacts_unmapped);
	}
}

void
reconcile_bulk_describe(const struct ldapbulk *b, const struct ldapdir_scan *scan,
    struct strbuf *sb)
{
	strbuf_addf(sb, "1 paged LDAP search: %lu entries in ", scan->entries);
	strbuf_add_count(sb, scan->pages, "page", NULL);
	strbuf_addf(sb, ", %lu kept for the ", ldapbulk_entries(b));
	strbuf_add_count(sb, ldapbulk_users(b), "user", NULL);
	strbuf_addf(sb, " of this wave (%.1f MiB)", (double)ldapbulk_bytes(b) / 1048576.0);
}

void
reconcile_searches_describe(unsigned long searches, unsigned long users, struct strbuf *sb)
{
	strbuf_add_count(sb, searches, "LDAP search", "LDAP searches");
	strbuf_addf(sb, " (%.2f per user)", users ? (double)searches / (double)users : 0.0);
}

int
reconcile_domains_describe(const struct reconcile_index *ix, struct strbuf *sb)
{
	json_t *doms = reconcile_presence_domains(ix);
	size_t n = json_object_size(doms);
	char *s;

	if (n <= 1) {
		json_decref(doms);
		return 0;
	}
	s = json_dumps(doms, JSON_COMPACT | JSON_SORT_KEYS);
	strbuf_addf(sb, "%zu presence domains (XMPP federation takes one): %s", n, s ? s : "");
	free(s);
	json_decref(doms);
	return 1;
}
