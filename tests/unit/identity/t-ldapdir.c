/* Unit tests for ldapdir's filter building: RFC 4515 escaping and templates. */
#include <string.h>

#include "identity/ldapdir.h"
#include "unit.h"

static const char *
filter(const char *tmpl, const char *userid, int *rc)
{
	static struct strbuf sb;
	static struct j2w_err err;

	strbuf_release(&sb);
	strbuf_init(&sb, 0);
	*rc = ldapdir_filter(&sb, tmpl, userid, &err);
	return *rc == 0 ? sb.buf : err.msg;
}

static void
test_escape_rfc4515(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	CHECK_INT(ldapdir_escape(&sb, "a*b(c)d\\e", 9), 0);
	CHECK_STR(sb.buf, "a\\2ab\\28c\\29d\\5ce");
	strbuf_reset(&sb);
	CHECK_INT(ldapdir_escape(&sb, "x\0y\n", 4), 0);
	CHECK_STR(sb.buf, "x\\00y\\0a");
	strbuf_reset(&sb);
	CHECK_INT(ldapdir_escape(&sb, "王伟 zoë", strlen("王伟 zoë")), 0);
	CHECK_STR(sb.buf, "王伟 zoë");	/* UTF-8 goes as it is (RFC 4515 UTFMB) */
	strbuf_release(&sb);
}

static void
test_filter_templates(void)
{
	int rc;

	CHECK_STR(filter(LDAPDIR_DEFAULT_FILTER, "alice", &rc),
	    "(|(uid=alice)(sAMAccountName=alice))");
	CHECK_STR(filter(LDAPDIR_DEFAULT_FILTER, "*)(uid=*", &rc),
	    "(|(uid=\\2a\\29\\28uid=\\2a)(sAMAccountName=\\2a\\29\\28uid=\\2a))");
	CHECK_STR(filter("(&(objectClass=user)(cn=100%%)(uid=%u))", "bjones@usa", &rc),
	    "(&(objectClass=user)(cn=100%)(uid=bjones@usa))");
	filter("(uid=%s)", "x", &rc);
	CHECK_INT(rc, -1);
	filter("(uid=x)", "x", &rc);
	CHECK_INT(rc, -1);
	filter("(uid=%u", "x", &rc);
	CHECK_INT(rc, -1);
	filter("(uid=%u))(", "x", &rc);
	CHECK_INT(rc, -1);
	filter("(uid=%u)%", "x", &rc);
	CHECK_INT(rc, -1);
}

static void
test_attr_names(void)
{
	CHECK(ldapdir_attr_valid("mail"));
	CHECK(ldapdir_attr_valid("msRTCSIP-PrimaryUserAddress"));
	CHECK(ldapdir_attr_valid("userCertificate;binary"));
	CHECK(!ldapdir_attr_valid(""));
	CHECK(!ldapdir_attr_valid("mail,cn"));
	CHECK(!ldapdir_attr_valid("mail cn"));
	CHECK(!ldapdir_attr_valid("*"));
	CHECK(!ldapdir_attr_valid("m\xc3\xa4il"));
}

UNIT_MAIN(TEST(test_escape_rfc4515), TEST(test_filter_templates), TEST(test_attr_names))
