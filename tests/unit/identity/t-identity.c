/* Unit tests for the identity rules: folding, Punycode, domains, addr-spec, JIDs. */
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"
#include "unit.h"

static const char *
fold(const char *s)
{
	static struct strbuf sb;

	strbuf_release(&sb);
	strbuf_init(&sb, 0);
	CHECK_INT(identity_fold(&sb, s, strlen(s)), 0);
	return sb.buf;
}

static void
test_fold_unicode(void)
{
	CHECK_STR(fold("Alice@Example.COM"), "alice@example.com");
	CHECK_STR(fold("ZOË.ÅNGSTRÖM"), "zoë.ångström");
	CHECK_STR(fold("ΣΩΚΡΆΤΗΣ"), "σωκράτησ");	/* final sigma folds to σ */
	CHECK_STR(fold("ПЕТРОВ"), "петров");
	CHECK_STR(fold("ẞ"), "ß");			/* capital sharp s, simple folding */
	CHECK_STR(fold("ß"), "ß");			/* no multi-character folding */
	CHECK_STR(fold("ǅ"), "ǆ");			/* title case digraph */
	CHECK_STR(fold("Ꭰ"), "Ꭰ");			/* Cherokee folds to upper: U+13A0 stays */
	CHECK_STR(fold("ꭰ"), "Ꭰ");			/* U+AB70 folds to U+13A0 */
	CHECK_STR(fold("𐐀"), "𐐨");			/* Deseret, four-byte UTF-8 */
	CHECK_STR(fold("ＡＢＣ"), "ａｂｃ");		/* fullwidth */
	CHECK_STR(fold("王伟"), "王伟");
	CHECK_STR(fold("a\xff" "B"), "a\xff" "b");	/* invalid bytes copied */
}

static const char *
puny(int decode, const char *s, int *rc)
{
	static struct strbuf sb;

	strbuf_release(&sb);
	strbuf_init(&sb, 0);
	*rc = decode ? punycode_decode(s, strlen(s), &sb) : punycode_encode(s, strlen(s), &sb);
	return sb.buf;
}

static void
test_punycode_vectors(void)
{
	static const char *const v[][2] = {
		{ "bücher", "bcher-kva" }, { "münchen", "mnchen-3ya" },
		{ "яндекс", "d1acpjx3f" }, { "中国", "fiqs8s" },
		{ "ドメイン名例", "eckwd4c7cu47r2wf" }, { "ü", "tda" },
	};
	int rc;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		CHECK_STR(puny(0, v[i][0], &rc), v[i][1]);
		CHECK_INT(rc, 0);
		CHECK_STR(puny(1, v[i][1], &rc), v[i][0]);
		CHECK_INT(rc, 0);
	}
	CHECK_STR(puny(1, "BCHER-KVA", &rc), "BüCHER");	/* digits in either case */
	CHECK_STR(puny(1, "bcher-kva", &rc), "bücher");
}

static void
test_punycode_hostile(void)
{
	int rc;

	puny(1, "99999999999999999999999", &rc);	/* overflow */
	CHECK_INT(rc, -1);
	puny(1, "a-!", &rc);				/* not a digit */
	CHECK_INT(rc, -1);
	puny(1, "abc-k", &rc);				/* truncated delta */
	CHECK_INT(rc, -1);
	puny(1, "a\x80-kva", &rc);			/* non-ASCII basic part */
	CHECK_INT(rc, -1);
	puny(1, "-", &rc);				/* empty: valid, nothing */
	CHECK_INT(rc, 0);
	puny(0, "\xc3", &rc);				/* invalid UTF-8 to encode */
	CHECK_INT(rc, -1);
	/* 63 code points is the most either way (a label holds no more) */
	{
		char in[64 * 2 + 1];

		for (int i = 0; i < 64; i++)
			memcpy(in + 2 * i, "\xc3\xbc", 2);	/* ü */
		in[2 * 63] = '\0';
		puny(0, in, &rc);
		CHECK_INT(rc, 0);
		memcpy(in + 2 * 63, "\xc3\xbc", 2);
		in[2 * 64] = '\0';
		puny(0, in, &rc);
		CHECK_INT(rc, -1);
	}
}

static int
domain_ok(const char *d, int need_dot)
{
	const char *why = NULL;

	return identity_domain_check(d, strlen(d), need_dot, &why);
}

static const char *
dkey(const char *d)
{
	static struct strbuf sb;

	strbuf_release(&sb);
	strbuf_init(&sb, 0);
	CHECK_INT(identity_domain_key(&sb, d, strlen(d)), 0);
	return sb.buf;
}

static void
test_domains_and_idn(void)
{
	CHECK_INT(domain_ok("example.com", 1), 0);
	CHECK_INT(domain_ok("example.com.", 1), 0);
	CHECK_INT(domain_ok("xn--bcher-kva.example", 1), 0);
	CHECK_INT(domain_ok("XN--BCHER-KVA.example", 1), 0);
	CHECK_INT(domain_ok("bücher.example", 1), 0);
	CHECK_INT(domain_ok("localhost", 1), -1);
	CHECK_INT(domain_ok("localhost", 0), 0);
	CHECK_INT(domain_ok("-bad.example", 1), -1);
	CHECK_INT(domain_ok("a..example", 1), -1);
	CHECK_INT(domain_ok("a_b.example", 1), -1);
	CHECK_INT(domain_ok("xn--zz.example", 1), -1);		/* not Punycode */
	CHECK_INT(domain_ok("xn--abc-.example", 1), -1);	/* decodes to ASCII only */
	CHECK_INT(domain_ok("ab--cd.example", 1), -1);		/* reserved R-LDH */
	CHECK_INT(domain_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", 1), -1);
	CHECK_STR(dkey("xn--bcher-kva.Example."), "bücher.example");
	CHECK_STR(dkey("BÜCHER.example"), "bücher.example");
	CHECK_STR(dkey("xn--zz.example"), "xn--zz.example");
	CHECK_STR(dkey("XN--D1ACPJX3F.XN--P1AI"), "яндекс.рф");
}

static void
test_email_addr_spec(void)
{
	static const char *const good[] = {
		"alice@example.com", "Carol.White@Example.com", "o'brien+tag@example.com",
		"\"john smith\"@example.com", "\"a@b\"@example.com", "zoë@bücher.example",
		"jose@xn--bcher-kva.example", "a!#$%&'*+/=?^_`{|}~-@example.com",
	};
	static const char *const bad[] = {
		"", "alice", "alice@", "@example.com", "alice@@example.com",
		"bjones@usa@example.com", "alice smith@example.com", ".alice@example.com",
		"alice.@example.com", "al..ice@example.com", "alice@[10.0.0.1]",
		"alice@localhost", "alice@example.com.", "alice@exa mple.com",
		"alice(comment)@example.com", "\"unclosed@example.com", "alice@-x.example.com",
		"a\x01@example.com", "\xff@example.com",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.com",
	};
	const char *why;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		why = NULL;
		if (!CHECK(identity_email_check(good[i], &why) == 0))
			CHECK_STR(good[i], why);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (!CHECK(identity_email_check(bad[i], &why) == -1))
			CHECK_STR(bad[i], "(should be invalid)");
		CHECK(why != NULL);
	}
	identity_email_check("bjones@usa@example.com", &why);
	CHECK_STR(why, "more than one '@'");
	identity_email_check("alice@[10.0.0.1]", &why);
	CHECK_STR(why, "domain literal (a Webex email needs a domain name)");
}

static void
test_jid(void)
{
	const char *why;

	CHECK_INT(identity_jid_check("alice@example.com", &why), 0);
	CHECK_INT(identity_jid_check("bjones@usa@example.com", &why), 0); /* '@' reported apart */
	CHECK_INT(identity_jid_check("王伟@example.com", &why), 0);
	CHECK_INT(identity_jid_check("alice@imp", &why), 0);		/* single-label domain */
	CHECK_INT(identity_jid_check("alice@example.com/jabber", &why), -1);
	CHECK_INT(identity_jid_check("al ice@example.com", &why), -1);
	CHECK_INT(identity_jid_check("o'brien@example.com", &why), -1);
	CHECK_STR(why, "character not allowed in a JID localpart (\" & ' : < >)");
	CHECK_INT(identity_jid_check("a<b@example.com", &why), -1);
	CHECK_INT(identity_jid_check("example.com", &why), -1);
	CHECK_INT(identity_jid_check("@example.com", &why), -1);
	CHECK_INT(identity_jid_check("alice@", &why), -1);
	CHECK_INT(identity_jid_check("alice@exa_mple.com", &why), -1);
	CHECK(identity_last_at("bjones@usa@example.com") != NULL);
	CHECK_STR(identity_last_at("bjones@usa@example.com"), "@example.com");
}

static void
test_compare(void)
{
	char *k;

	CHECK_INT(identity_compare("alice@example.com", "alice@example.com"), IDENTITY_SAME);
	CHECK_INT(identity_compare("Carol.White@Example.com", "carol.white@example.com"),
	    IDENTITY_CASE_ONLY);
	CHECK_INT(identity_compare("ZOË@example.com", "zoë@EXAMPLE.com"), IDENTITY_CASE_ONLY);
	CHECK_INT(identity_compare("jose@xn--bcher-kva.example", "jose@bücher.example"),
	    IDENTITY_EQUIVALENT);
	CHECK_INT(identity_compare(" alice@example.com", "alice@example.com"),
	    IDENTITY_EQUIVALENT);
	CHECK_INT(identity_compare("alice@example.com.", "alice@example.com"),
	    IDENTITY_EQUIVALENT);
	CHECK_INT(identity_compare("john.smith@example.com", "j.smith@emea.example.com"),
	    IDENTITY_DIFFERENT);
	CHECK_INT(identity_compare("strasse@example.com", "straße@example.com"),
	    IDENTITY_DIFFERENT);
	k = identity_key("  BJones@USA@Example.COM ");
	CHECK_STR(k, "bjones@usa@example.com");
	free(k);
	k = identity_key("NoAtSign");
	CHECK_STR(k, "noatsign");
	free(k);
}

UNIT_MAIN(TEST(test_fold_unicode), TEST(test_punycode_vectors), TEST(test_punycode_hostile),
    TEST(test_domains_and_idn), TEST(test_email_addr_spec), TEST(test_jid), TEST(test_compare))
