/* Unit tests for reading the directory in bulk: which templates can be, their bulk filter, the index. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "identity/ldapbulk.h"

/* The bulk filter of tmpl and its key attributes joined by ',' (static buffer), or the error. */
static const char *
plan_of(const char *tmpl)
{
	static char out[J2W_ERR_MAX + 64];
	struct ldapbulk_plan p;
	struct j2w_err err;
	size_t len;

	if (ldapbulk_plan(&p, tmpl, &err) < 0) {
		ldapbulk_plan_release(&p);
		snprintf(out, sizeof(out), "%s", err.msg);
		return out;
	}
	len = (size_t)snprintf(out, sizeof(out), "%s", p.filter);
	for (size_t i = 0; i < p.nattrs && len < sizeof(out); i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? "," : " ",
		    p.attrs[i]);
	ldapbulk_plan_release(&p);
	return out;
}

static void
test_templates_that_can_be_read_in_bulk(void)
{
	CHECK_STR(plan_of(LDAPDIR_DEFAULT_FILTER), "(|(uid=*)(sAMAccountName=*)) uid,sAMAccountName");
	CHECK_STR(plan_of("(&(objectClass=inetOrgPerson)(uid=%u))"),
	    "(&(objectClass=inetOrgPerson)(uid=*)) uid");
	/* libldap takes a filter without its parentheses */
	CHECK_STR(plan_of("uid=%u"), "(uid=*) uid");
	CHECK_STR(plan_of("(&(!(cn=100%%))(|(uid=%u)(UID=%u)(mail=%u)))"),
	    "(&(!(cn=100%))(|(uid=*)(UID=*)(mail=*))) uid,mail");
	CHECK_STR(plan_of("(&(objectClass=user)(&(department=IT)(sAMAccountName=%u)))"),
	    "(&(objectClass=user)(&(department=IT)(sAMAccountName=*))) sAMAccountName");
}

static void
test_templates_that_cannot(void)
{
	static const char *const bad[][2] = {
		{ "(mail=%u@example.com)", "%u must be the whole value of an equality assertion" },
		{ "(uid=*%u*)", "%u must be the whole value" },
		{ "(uid~=%u)", "%u must be the whole value" },
		{ "(uid:dn:=%u)", "%u must be the whole value" },
		{ "(!(uid=%u))", "%u is under a NOT" },
		{ "(|(uid=%u)(objectClass=admin))", "%u is ORed with a condition that has no %u" },
		{ "(&(uid=%u)(sAMAccountName=%u))", "%u appears in more than one part of an AND" },
		{ "(|(&(ou=a)(uid=%u))(sAMAccountName=%u))", "%u is ORed with" },
		{ "(uid=%u)(cn=x)", "there is text after the filter" },
		{ "(|(a=%u)(b=%u)(c=%u)(d=%u)(e=%u)(f=%u)(g=%u)(h=%u)(i=%u))",
		    "it compares %u with too many attributes" },
	};
	char want[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *got = plan_of(bad[i][0]);

		snprintf(want, sizeof(want), "the filter template '%s' cannot be read in bulk: %s",
		    bad[i][0], bad[i][1]);
		if (!CHECK(strncmp(got, want, strlen(want)) == 0))
			CHECK_STR(got, want);
	}
}

static void
test_index_without_a_read(void)
{
	struct ldapbulk *b = ldapbulk_new();
	struct ldapdir_entry e;
	struct j2w_err err;
	size_t tag;

	CHECK(b != NULL);
	CHECK_INT(ldapbulk_want(b, "alice"), 0);
	/* compared as the directory compares user IDs: case and outer spaces do not count */
	CHECK_INT(ldapbulk_want(b, " ALICE  "), 0);
	CHECK_INT(ldapbulk_want(b, "bob  smith"), 0);
	CHECK_INT(ldapbulk_want(b, "bob smith"), 0);
	CHECK_INT(ldapbulk_want(b, "\xc3\x89lodie"), 0);
	CHECK_INT(ldapbulk_want(b, "\xc3\xa9LODIE"), 0);
	CHECK_INT(ldapbulk_users(b), 3);
	/* answers come back in the order asked: no entry for anyone yet */
	CHECK_INT(ldapbulk_submit(b, "Alice", 7, &err), 0);
	CHECK_INT(ldapbulk_submit(b, "nobody", 8, &err), 0);
	CHECK_INT(ldapbulk_collect(b, &tag, &e, &err), 1);
	CHECK_INT(tag, 7);
	CHECK_INT(e.matches, 0);
	CHECK(e.dn == NULL);
	CHECK_INT(ldapbulk_collect(b, &tag, &e, &err), 1);
	CHECK_INT(tag, 8);
	CHECK_INT(e.matches, 0);
	CHECK_INT(ldapbulk_collect(b, &tag, &e, &err), 0);
	CHECK_INT(ldapbulk_entries(b), 0);
	CHECK(ldapbulk_bytes(b) > 0);
	ldapbulk_free(b);
}

/* The user IDs of a wave's records: only string ones count; bad JSON Lines is an error. */
static void
test_want_records(void)
{
	static const char good[] = "{\"userid\":\"a\"}\n{\"userid\":7}\n{\"mailid\":\"x\"}\n"
	    "{\"userid\":\"B\"}\n{\"userid\":\"a\"}\n";
	struct ldapbulk *b = ldapbulk_new();
	struct j2w_err err;
	unsigned long n = 0;
	FILE *fp = fmemopen((void *)good, sizeof(good) - 1, "rb");

	CHECK(b != NULL && fp != NULL);
	CHECK_INT(ldapbulk_want_records(b, fp, "wave", &n, &err), 0);
	CHECK_INT((long)n, 3);
	CHECK_INT((long)ldapbulk_users(b), 2);
	fclose(fp);
	fp = fmemopen((void *)"{\"userid\":\"c\"}\nnot json\n", 24, "rb");
	CHECK_INT(ldapbulk_want_records(b, fp, "wave", &n, &err), -1);
	CHECK(strstr(err.msg, "wave") != NULL);
	fclose(fp);
	ldapbulk_free(b);
}

UNIT_MAIN(TEST(test_templates_that_can_be_read_in_bulk), TEST(test_templates_that_cannot),
    TEST(test_index_without_a_read), TEST(test_want_records))
