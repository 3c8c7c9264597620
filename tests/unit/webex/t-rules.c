/* Unit tests for wave rules and behaviour names: parsing, matching, hostile input. */
#include <string.h>

#include "unit.h"
#include "webex/behavior.h"
#include "webex/rules.h"

static int
parse(struct rules *rs, const char *text, struct j2w_err *err)
{
	return rules_parse(rs, text, strlen(text), "w.rules", err);
}

static void
test_behavior_names(void)
{
	enum behavior b;

	CHECK_INT(behavior_parse("ucm", &b), 0);
	CHECK_INT(b, BEHAVIOR_UCM);
	CHECK_INT(behavior_parse("call_with_app_registered_for_ciscotel", &b), 0);
	CHECK_INT(b, BEHAVIOR_CISCOTEL);
	CHECK_INT(behavior_parse("Third-Party", &b), 0);
	CHECK_INT(b, BEHAVIOR_TEL);
	CHECK_INT(behavior_parse("webex-calling", &b), 0);
	CHECK_INT(b, BEHAVIOR_WEBEXCALLTEL);
	CHECK_INT(behavior_parse("USE_ORG_SETTINGS", &b), 0);
	CHECK_INT(b, BEHAVIOR_DEFAULT);
	CHECK_INT(behavior_parse("", &b), -1);
	CHECK_INT(behavior_parse("NATIVE_SIP_CALL_TO_UCMX", &b), -1);
	CHECK(behavior_api_name(BEHAVIOR_DEFAULT) == NULL);
	CHECK_STR(behavior_api_name(BEHAVIOR_WEBEX), "NATIVE_WEBEX_TEAMS_CALLING");
	CHECK_STR(behavior_alias(BEHAVIOR_CISCOTEL), "jabber");
	CHECK(!behavior_uses_profile(BEHAVIOR_CISCOTEL));
	CHECK(behavior_uses_profile(BEHAVIOR_UCM));
}

static void
test_parse_and_match(void)
{
	struct rules rs;
	struct j2w_err err;
	json_t *cc = json_pack("{s:s, s:s}", "department", "contact center", "mailid", "a@x.com");
	json_t *emea = json_pack("{s:s, s:b}", "department", "Sales", "home_cluster", 1);
	json_t *other = json_pack("{s:s}", "department", "Sales, EMEA");
	const struct rule *r;

	CHECK_INT(parse(&rs, "\xef\xbb\xbf# wave 1\r\n\n"
	    "department=Contact Center -> jabber\r\n"
	    "  email = *@emea.example.com , home_cluster=true -> ucm profile=EMEA \n"
	    "department=\"Sales, EMEA\" -> ucm profile=\"UC \\\"Q\\\" Profile\"\n"
	    "department=Finance -> ignore\n"
	    "* -> default\n", &err), 0);
	CHECK_INT(rs.n, 5);
	r = rules_match(&rs, cc, NULL);
	CHECK(r != NULL && r->behavior == BEHAVIOR_CISCOTEL && r->line == 3);
	r = rules_match(&rs, emea, "b@EMEA.example.com");
	CHECK(r != NULL && r->behavior == BEHAVIOR_UCM && r->profile != NULL &&
	    strcmp(r->profile, "EMEA") == 0);
	r = rules_match(&rs, emea, "b@example.com");
	CHECK(r != NULL && r->line == 7);
	r = rules_match(&rs, other, NULL);
	CHECK(r != NULL && r->profile != NULL && strcmp(r->profile, "UC \"Q\" Profile") == 0);
	json_object_set_new(other, "department", json_string("Finance"));
	r = rules_match(&rs, other, NULL);
	CHECK(r != NULL && r->ignore);
	rules_release(&rs);
	json_decref(cc);
	json_decref(emea);
	json_decref(other);
}

static void
test_missing_field_never_matches(void)
{
	struct rules rs;
	struct j2w_err err;
	json_t *rec = json_pack("{s:s}", "mailid", "a@x.com");

	CHECK_INT(parse(&rs, "department=* -> ucm\n", &err), 0);
	CHECK(rules_match(&rs, rec, NULL) == NULL);
	rules_release(&rs);
	json_decref(rec);
}

static void
test_errors_name_the_line(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "department=Sales\n", "w.rules:1: expected ',' or '->' after a condition" },
		{ "   \n", NULL },
		{ "# c\ndepartment=Sales -> teleport\n", "w.rules:2: unknown behaviour" },
		{ "=x -> ucm\n", "w.rules:1: expected a field name" },
		{ "department Sales -> ucm\n", "w.rules:1: expected '='" },
		{ "department= -> ucm\n", "w.rules:1: empty pattern" },
		{ "department=\"Sales -> ucm\n", "w.rules:1: a quoted value is not closed" },
		{ "department=a -> ucm prof=x\n", "w.rules:1: expected 'profile=NAME'" },
		{ "department=a -> ucm profile=\n", "w.rules:1: empty profile name" },
		{ "department=a -> ignore profile=x\n", "w.rules:1: 'ignore' takes nothing" },
		{ "department=a -> ucm profile=\"x\" y\n", "w.rules:1: unexpected text" },
		{ "department=a ->\n", "w.rules:1: no behaviour" },
		{ "a=b, -> ucm\n", "w.rules:1: expected '=' after the field name" },
	};
	struct rules rs;
	struct j2w_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bad[i].msg == NULL) {
			/* blank: no rules, no error */
			CHECK_INT(parse(&rs, bad[i].text, &err), 0);
			CHECK_INT(rs.n, 0);
			continue;
		}
		CHECK_INT(parse(&rs, bad[i].text, &err), -1);
		CHECK_INT(err.status, J2W_EDATA);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			CHECK_STR(err.msg, bad[i].msg);
		CHECK_INT(rs.n, 0);
	}
	CHECK_INT(rules_parse(&rs, "a=b -> ucm\n\0x", 12, "w.rules", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
}

UNIT_MAIN(TEST(test_behavior_names), TEST(test_parse_and_match),
    TEST(test_missing_field_never_matches), TEST(test_errors_name_the_line))
