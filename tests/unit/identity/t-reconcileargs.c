/* Unit tests for reconcileargs: option rules, --webex-domain lists, status counts, summary. */
#include <stdlib.h>
#include <string.h>

#include "identity/reconcileargs.h"
#include "unit.h"

/* The usage message for a, o and lo, or "" when they are accepted. */
static const char *
check(const struct reconcile_args *a, struct reconcile_opts *o, struct ldapdir_opts *lo)
{
	static struct j2w_err err;

	if (reconcile_args_check(a, o, lo, &err) == 0)
		return "";
	CHECK_INT(err.status, J2W_EUSAGE);
	return err.msg;
}

static void
test_scheme_and_email_from(void)
{
	struct reconcile_args a = { 0 };
	struct reconcile_opts o = { 0 };
	struct ldapdir_opts lo = { 0 };

	CHECK(strstr(check(&a, &o, &lo), "give the IM address scheme") != NULL);
	a.scheme = "jid";
	CHECK_STR(check(&a, &o, &lo), "--scheme wants userid or directory-uri, not 'jid'");
	a.scheme = "userid";
	CHECK(strstr(check(&a, &o, &lo), "needs --default-domain") != NULL);
	o.default_domain = "bad..domain";
	CHECK(strncmp(check(&a, &o, &lo), "--default-domain 'bad..domain': ", 32) == 0);
	o.default_domain = "example.com";
	CHECK_STR(check(&a, &o, &lo), "");
	CHECK_INT(o.scheme, SCHEME_USERID);
	CHECK_INT(o.email_from, EMAIL_FROM_URI);
	a.scheme = "directory-uri";
	a.email_from = "mailid";
	CHECK_STR(check(&a, &o, &lo), "");
	CHECK_INT(o.scheme, SCHEME_DIRECTORY_URI);
	CHECK_INT(o.email_from, EMAIL_FROM_MAILID);
	a.email_from = "ldap:mail";
	CHECK_STR(check(&a, &o, &lo), "--webex-email-from ldap:mail needs --ldap");
	lo.uri = "ldap://dir";
	lo.base = "dc=example,dc=com";
	CHECK_STR(check(&a, &o, &lo), "");
	CHECK_INT(o.email_from, EMAIL_FROM_LDAP);
	CHECK_STR(o.email_attr, "mail");
	CHECK_STR(lo.extra_attr, "mail");
	a.email_from = "phone";
	CHECK(strstr(check(&a, &o, &lo), "not 'phone'") != NULL);
}

static void
test_ldap_and_contacts(void)
{
	struct reconcile_args a = { .scheme = "directory-uri" };
	struct reconcile_opts o = { 0 };
	struct ldapdir_opts lo = { 0 };

	a.bulk = 1;
	CHECK(strstr(check(&a, &o, &lo), "need --ldap URI") != NULL);
	lo.uri = "ldap://dir";
	a.per_user = 1;
	CHECK_STR(check(&a, &o, &lo), "--ldap-bulk and --ldap-per-user exclude each other");
	a.per_user = 0;
	CHECK_STR(check(&a, &o, &lo), "--ldap needs --ldap-base DN");
	lo.base = "dc=example,dc=com";
	lo.bind_dn = "cn=reader";
	CHECK_STR(check(&a, &o, &lo), "--ldap-bind-dn and --ldap-password-file go together");
	a.password_file = "pw";
	CHECK_STR(check(&a, &o, &lo), "");
	lo.filter = "(uid=%u";
	CHECK(strncmp(check(&a, &o, &lo), "--ldap-bulk: ", 13) == 0 ||
	    strncmp(check(&a, &o, &lo), "--ldap-filter: ", 15) == 0);
	lo.filter = NULL;
	a.contacts = "c.csv";
	CHECK_STR(check(&a, &o, &lo), "--contacts needs --contacts-output FILE");
	a.contacts_output = "-";
	CHECK(strstr(check(&a, &o, &lo), "would share standard output") != NULL);
	a.output = "users.jsonl";
	CHECK_STR(check(&a, &o, &lo), "");
	a.contacts = NULL;
	CHECK_STR(check(&a, &o, &lo), "--contacts-output needs --contacts FILE");
}

static void
test_domains(void)
{
	const char **list = NULL;
	size_t n = 0;
	struct j2w_err err;
	char one[] = "example.com", two[] = "a.example,b.example", bad[] = "ok.example,-bad";

	CHECK_INT(reconcile_add_domains(&list, &n, one, &err), 0);
	CHECK_INT(reconcile_add_domains(&list, &n, two, &err), 0);
	CHECK_INT((long)n, 3);
	CHECK_STR(list[0], "example.com");
	CHECK_STR(list[2], "b.example");
	CHECK_INT(reconcile_add_domains(&list, &n, bad, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strncmp(err.msg, "--webex-domain '-bad': ", 23) == 0);
	free(list);
}

static void
test_tally(void)
{
	struct reconcile_tally t = { 0 };
	struct strbuf sb;
	json_t *ok = json_pack("{s:s}", "status", "ok");
	json_t *review = json_pack("{s:s}", "status", "review");
	json_t *blocked = json_pack("{s:s}", "status", "blocked");

	reconcile_tally_add(&t, ok);
	reconcile_tally_add(&t, ok);
	reconcile_tally_add(&t, review);
	reconcile_tally_add(&t, blocked);
	t.users = 4;
	strbuf_init(&sb, 0);
	reconcile_tally_describe(&t, 0, &sb);
	CHECK_STR(sb.buf, "4 users: 2 ok, 1 review, 1 blocked");
	strbuf_reset(&sb);
	t.users = 1;
	t.contacts = 1;
	t.contacts_unmapped = 1;
	reconcile_tally_describe(&t, 1, &sb);
	CHECK_STR(sb.buf, "1 user: 2 ok, 1 review, 1 blocked; 1 contact, 1 with findings");
	strbuf_release(&sb);
	json_decref(ok);
	json_decref(review);
	json_decref(blocked);
}

static void
test_describe(void)
{
	struct reconcile_opts o = { .scheme = SCHEME_DIRECTORY_URI };
	struct reconcile_index *ix = reconcile_index_new();
	struct j2w_err err;
	struct strbuf sb;
	json_t *a = json_pack("{s:s,s:s}", "userid", "a", "directory_uri", "a@one.example");
	json_t *b = json_pack("{s:s,s:s}", "userid", "b", "directory_uri", "b@two.example");

	strbuf_init(&sb, 0);
	reconcile_searches_describe(3, 2, &sb);
	CHECK_STR(sb.buf, "3 LDAP searches (1.50 per user)");
	strbuf_reset(&sb);
	reconcile_searches_describe(1, 0, &sb);
	CHECK_STR(sb.buf, "1 LDAP search (0.00 per user)");
	strbuf_reset(&sb);
	CHECK_INT(reconcile_user(&o, a, NULL, ix, &err), 0);
	CHECK_INT(reconcile_domains_describe(ix, &sb), 0);
	CHECK_STR(sb.buf, "");
	CHECK_INT(reconcile_user(&o, b, NULL, ix, &err), 0);
	CHECK_INT(reconcile_domains_describe(ix, &sb), 1);
	CHECK_STR(sb.buf, "2 presence domains (XMPP federation takes one): "
	    "{\"one.example\":1,\"two.example\":1}");
	strbuf_release(&sb);
	json_decref(a);
	json_decref(b);
	reconcile_index_free(ix);
}

UNIT_MAIN(TEST(test_scheme_and_email_from), TEST(test_ldap_and_contacts), TEST(test_domains),
    TEST(test_tally), TEST(test_describe))
