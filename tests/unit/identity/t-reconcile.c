/* Unit tests for reconcile: JIDs, Webex emails, findings per user and across users. */
#include <stdlib.h>
#include <string.h>

#include "identity/reconcile.h"
#include "unit.h"
#include "util/jsonl.h"

/* "CHECK/SEV CHECK/SEV" of rec's findings (static buffer). */
static const char *
checks(const json_t *rec)
{
	static char buf[1024];
	const json_t *f;
	size_t i, n = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s/%s", n ? " " : "",
		    json_string_value(json_object_get(f, "check")),
		    json_string_value(json_object_get(f, "severity")));
	}
	return buf;
}

static json_t *
rec(const char *text)
{
	json_error_t e;

	return json_loads(text, 0, &e);
}

static void
test_userid_scheme(void)
{
	struct reconcile_opts o = { .scheme = SCHEME_USERID, .default_domain = "Example.COM" };
	struct reconcile_index *ix = reconcile_index_new();
	struct j2w_err err;
	json_t *r = rec("{\"userid\":\"BJones@USA\",\"mailid\":\"bjones@example.com\","
	    "\"directory_uri\":\"BJones@example.com\"}");

	CHECK_INT(reconcile_user(&o, r, NULL, ix, &err), 0);
	CHECK_STR(json_get_str(r, "jid"), "bjones@usa@example.com");
	CHECK_STR(json_get_str(r, "webex_email"), "BJones@example.com");
	CHECK_STR(checks(r), "CASE-ONLY/WARN JID-AT-IN-LOCALPART/WARN JID-URI-MISMATCH/INFO");
	CHECK_INT(reconcile_finish(&o, ix, r, &err), 0);
	CHECK_STR(json_get_str(r, "status"), "review");
	CHECK_INT(reconcile_worst(r), SEV_WARN);
	json_decref(r);
	reconcile_index_free(ix);
}

static void
test_ldap_entry(void)
{
	struct reconcile_opts o = { .scheme = SCHEME_DIRECTORY_URI, .ldap = 1 };
	struct reconcile_index *ix = reconcile_index_new();
	struct ldapdir_entry e = { .matches = 1, .dn = "uid=a,dc=x", .mail = "A@example.com",
		.proxy_sip = "a@example.com", .rtc_sip = "other@example.com" };
	struct ldapdir_entry none = { .matches = 0 };
	struct j2w_err err;
	json_t *r = rec("{\"userid\":\"a\",\"directory_uri\":\"a@example.com\"}");
	json_t *m = rec("{\"userid\":\"m\",\"directory_uri\":\"m@example.com\"}");

	CHECK_INT(reconcile_user(&o, r, &e, ix, &err), 0);
	CHECK_STR(checks(r), "CASE-ONLY/WARN LDAP-RTC-MISMATCH/WARN");
	CHECK_STR(json_get_str(json_object_get(r, "ldap"), "dn"), "uid=a,dc=x");
	CHECK_INT(reconcile_user(&o, m, &none, ix, &err), 0);
	CHECK_STR(checks(m), "LDAP-MISSING/FAIL");
	CHECK_INT(reconcile_finish(&o, ix, m, &err), 0);
	CHECK_STR(json_get_str(m, "status"), "blocked");
	json_decref(r);
	json_decref(m);
	reconcile_index_free(ix);
}

static void
test_duplicates_and_contacts(void)
{
	struct reconcile_opts o = { .scheme = SCHEME_DIRECTORY_URI, .contact_limit = 1 };
	struct reconcile_index *ix = reconcile_index_new();
	struct j2w_err err;
	json_t *a = rec("{\"userid\":\"a\",\"directory_uri\":\"x@example.com\"}");
	json_t *b = rec("{\"userid\":\"b\",\"directory_uri\":\"X@Example.com\"}");
	json_t *c1 = rec("{\"owner\":\"x@example.com\",\"contact\":\"nobody@example.com\"}");
	json_t *c2 = rec("{\"owner\":\"x@example.com\",\"contact\":\"x@example.com\"}");

	CHECK_INT(reconcile_user(&o, a, NULL, ix, &err), 0);
	CHECK_INT(reconcile_user(&o, b, NULL, ix, &err), 0);
	CHECK_INT(reconcile_contact(&o, ix, c1, &err), 0);
	CHECK_INT(reconcile_contact(&o, ix, c2, &err), 0);
	CHECK_STR(checks(c1), "CONTACT-UNMAPPED/WARN");
	CHECK_STR(json_get_str(c1, "owner_email"), "x@example.com");
	CHECK_STR(checks(c2), "");
	CHECK_INT(reconcile_finish(&o, ix, a, &err), 0);
	CHECK_STR(checks(a), "URI-DUPLICATE/FAIL CONTACT-OVER-LIMIT/WARN");
	CHECK_INT(reconcile_finish(&o, ix, b, &err), 0);
	CHECK_STR(checks(b), "URI-DUPLICATE/FAIL CONTACT-OVER-LIMIT/WARN");
	json_decref(a);
	json_decref(b);
	json_decref(c1);
	json_decref(c2);
	reconcile_index_free(ix);
}

static void
test_many_keys(void)
{
	struct reconcile_opts o = { .scheme = SCHEME_DIRECTORY_URI };
	struct reconcile_index *ix = reconcile_index_new();
	struct j2w_err err;
	char text[128];
	int ok = 1;

	/* enough users to make the index grow several times */
	for (int i = 0; i < 5000; i++) {
		json_t *r;

		snprintf(text, sizeof(text), "{\"userid\":\"u%d\",\"directory_uri\":\"u%d@example.com\"}",
		    i, i % 4999);
		r = rec(text);
		ok &= reconcile_user(&o, r, NULL, ix, &err) == 0;
		ok &= reconcile_finish(&o, ix, r, &err) == 0;
		json_decref(r);
	}
	CHECK(ok);
	{
		json_t *r = rec("{\"userid\":\"u0\",\"directory_uri\":\"u0@example.com\"}");

		CHECK_INT(reconcile_finish(&o, ix, r, &err), 0);
		CHECK_STR(checks(r), "URI-DUPLICATE/FAIL");
		json_decref(r);
	}
	reconcile_index_free(ix);
}

UNIT_MAIN(TEST(test_userid_scheme), TEST(test_ldap_entry), TEST(test_duplicates_and_contacts),
    TEST(test_many_keys))
