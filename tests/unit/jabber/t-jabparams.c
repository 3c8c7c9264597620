/* Unit tests for the parameter dictionary: loading, lookups, value checks, bad files. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "jabber/jabparams.h"
#include "unit.h"

static const char small[] =
"# comment\n"
"group\tname\ttype\tdefault\twebex\tmeaning\tsource\n"
"Policies\tEnableSIPURIDialling\tbool\ttrue\tyes\tSIP URI calls\tguide\n"
"Options|Policies\tEnableJabber2TeamsMigration\tbool\tfalse\tyes\twizard\tguide\r\n"
"Policies\tLocalRecordingToneVolume\tint:0..100\t10\tyes\tvolume\tguide\n"
"Options\tSet_Status_Inactive_Timeout\tint:1..\t15\tno\tminutes\tguide\n"
"Policies\tServicesDomainSsoEmailPrompt\tenum:ON|OFF\tOFF\tno\tprompt\tguide\n"
"Policies\tTelemetryCustomerID\torgid\t\tno\torg\tguide\n"
"Policies\tE911NotificationURL\turl\t\tyes\tnotice\tguide\n"
"Policies\tVoiceServicesDomain\tdomain\t\tno\tvsd\tguide\n"
"Directory\tUdsServer\thost\t\tno\tuds\tguide\n"
"Policies\tLocalPushSSIDList\tlist:;\t\tyes\tssids\tguide\n"
"Client\tjabber-plugin-config\txml\t\tno\ttabs\tguide\n"
"Directory\tUdsPhotoUriWithToken\tphotourl\t\tno\tphoto\tguide\n";

static void
load(struct jabparams_dict *d)
{
	struct j2w_err err;

	CHECK_INT(jabparams_dict_parse(d, small, strlen(small), "small.tsv", &err), 0);
}

static void
test_lookup_exact_and_folded(void)
{
	struct jabparams_dict d;
	const struct jabparams_param *p;

	load(&d);
	CHECK_INT(d.n, 12);
	p = jabparams_find(&d, "EnableSIPURIDialling");
	CHECK(p != NULL && p->webex && p->type == JP_BOOL);
	CHECK(jabparams_find(&d, "enablesipuridialling") == NULL);
	p = jabparams_find_fold(&d, "enablesipuridialling");
	CHECK(p != NULL && strcmp(p->name, "EnableSIPURIDialling") == 0);
	p = jabparams_find(&d, "EnableJabber2TeamsMigration");
	CHECK(p != NULL && p->ngroups == 2);
	CHECK_STR(p->groups[0], "Options");
	CHECK(jabparams_in_group(p, "Policies"));
	CHECK(!jabparams_in_group(p, "Client"));
	CHECK_STR(p->source, "guide");		/* the CR of a CRLF line is gone */
	CHECK(jabparams_find(&d, "Nope") == NULL);
	CHECK_STR(jabparams_group_find("policies", 1), "Policies");
	CHECK(jabparams_group_find("policies", 0) == NULL);
	jabparams_dict_release(&d);
}

static void
test_value_checks(void)
{
	struct jabparams_dict d;
	struct strbuf why;

	load(&d);
	strbuf_init(&why, 0);
#define V(name, val) jabparams_check_value(jabparams_find(&d, name), val, &why)
	CHECK_INT(V("EnableSIPURIDialling", "true"), JP_VALUE_OK);
	CHECK_INT(V("EnableSIPURIDialling", "FALSE"), JP_VALUE_OK);
	CHECK_INT(V("EnableSIPURIDialling", "yes"), JP_VALUE_BAD);
	CHECK_INT(V("EnableSIPURIDialling", ""), JP_VALUE_OK);
	CHECK_INT(V("LocalRecordingToneVolume", "0"), JP_VALUE_OK);
	CHECK_INT(V("LocalRecordingToneVolume", "100"), JP_VALUE_OK);
	strbuf_reset(&why);
	CHECK_INT(V("LocalRecordingToneVolume", "101"), JP_VALUE_BAD);
	CHECK_STR(why.buf, "expects a number from 0 to 100");
	CHECK_INT(V("LocalRecordingToneVolume", "-1"), JP_VALUE_BAD);
	CHECK_INT(V("LocalRecordingToneVolume", "99999999999999999999"), JP_VALUE_BAD);
	CHECK_INT(V("LocalRecordingToneVolume", "1e2"), JP_VALUE_BAD);
	strbuf_reset(&why);
	CHECK_INT(V("Set_Status_Inactive_Timeout", "0"), JP_VALUE_BAD);
	CHECK_STR(why.buf, "expects a number of at least 1");
	CHECK_INT(V("ServicesDomainSsoEmailPrompt", "ON"), JP_VALUE_OK);
	CHECK_INT(V("ServicesDomainSsoEmailPrompt", "on"), JP_VALUE_WARN);
	CHECK_INT(V("ServicesDomainSsoEmailPrompt", "MAYBE"), JP_VALUE_BAD);
	CHECK_INT(V("TelemetryCustomerID", "0123456789abcdef0123456789ABCDEF"), JP_VALUE_OK);
	CHECK_INT(V("TelemetryCustomerID", "0123456789abcdef0123456789abcde"), JP_VALUE_BAD);
	CHECK_INT(V("TelemetryCustomerID", "0123456789abcdef0123456789abcdefg"), JP_VALUE_BAD);
	CHECK_INT(V("TelemetryCustomerID", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "https://e911.example.com/notice.html"), JP_VALUE_OK);
	CHECK_INT(V("E911NotificationURL", "http://x"), JP_VALUE_OK);
	CHECK_INT(V("E911NotificationURL", "ftp://x"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "https:// x"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "https://"), JP_VALUE_BAD);
	CHECK_INT(V("VoiceServicesDomain", "voice.example.com"), JP_VALUE_OK);
	CHECK_INT(V("VoiceServicesDomain", "example"), JP_VALUE_BAD);
	CHECK_INT(V("VoiceServicesDomain", "a..b"), JP_VALUE_BAD);
	CHECK_INT(V("VoiceServicesDomain", "-a.b"), JP_VALUE_BAD);
	CHECK_INT(V("VoiceServicesDomain", "a_b.com"), JP_VALUE_BAD);
	CHECK_INT(V("UdsServer", "11.22.33.44"), JP_VALUE_OK);
	CHECK_INT(V("UdsServer", "11.22.33.456"), JP_VALUE_BAD);
	CHECK_INT(V("UdsServer", "1.2.3"), JP_VALUE_BAD);
	CHECK_INT(V("UdsServer", "ccm1"), JP_VALUE_OK);
	CHECK_INT(V("UdsServer", "cucm.example.com"), JP_VALUE_OK);
	CHECK_INT(V("UdsServer", "fe80::1"), JP_VALUE_OK);
	CHECK_INT(V("UdsServer", "http://cucm"), JP_VALUE_BAD);
	CHECK_INT(V("LocalPushSSIDList", "corp;guest"), JP_VALUE_OK);
	CHECK_INT(V("LocalPushSSIDList", "corp;;guest"), JP_VALUE_BAD);
	CHECK_INT(V("LocalPushSSIDList", "corp;"), JP_VALUE_BAD);
	CHECK_INT(V("jabber-plugin-config", "<anything>"), JP_VALUE_OK);
	CHECK_INT(V("UdsPhotoUriWithToken", "http://p.example.com/%%uid%%.jpg"), JP_VALUE_OK);
	CHECK_INT(V("UdsPhotoUriWithToken", "https://p/%%a%%/%%b_c%%.png"), JP_VALUE_OK);
	CHECK_INT(V("UdsPhotoUriWithToken", "http://server_name.domain/%%uid%.jpg"), JP_VALUE_BAD);
	CHECK_INT(V("UdsPhotoUriWithToken", "http://p/%%%%.jpg"), JP_VALUE_BAD);
	CHECK_INT(V("UdsPhotoUriWithToken", "http://p/x.jpg"), JP_VALUE_WARN);
	CHECK_INT(V("UdsPhotoUriWithToken", "p/%%uid%%.jpg"), JP_VALUE_BAD);
#undef V
	strbuf_release(&why);
	jabparams_dict_release(&d);
}

static void
test_type_describe_round_trip(void)
{
	struct jabparams_dict d;
	struct strbuf sb;

	load(&d);
	strbuf_init(&sb, 0);
	jabparams_type_describe(jabparams_find(&d, "LocalRecordingToneVolume"), &sb);
	CHECK_STR(sb.buf, "int:0..100");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "Set_Status_Inactive_Timeout"), &sb);
	CHECK_STR(sb.buf, "int:1..");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "ServicesDomainSsoEmailPrompt"), &sb);
	CHECK_STR(sb.buf, "enum:ON|OFF");
	strbuf_release(&sb);
	jabparams_dict_release(&d);
}

static void
test_bad_dictionaries(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "Policies\tX\tbool\t\tyes\tm\n", "x.tsv:1: 6 fields, want 7" },
		{ "Policy\tX\tbool\t\tyes\tm\ts\n", "x.tsv:1: 'Policy' is not one of the seven groups" },
		{ "Policies\tX\tboolean\t\tyes\tm\ts\n", "x.tsv:1: 'boolean' is not a type" },
		{ "Policies\tX\tint:5..1\t\tyes\tm\ts\n", "x.tsv:1: 'int:5..1' is not a type" },
		{ "Policies\tX\tint:a..\t\tyes\tm\ts\n", "x.tsv:1: 'int:a..' is not a type" },
		{ "Policies\tX\tbool\t\tmaybe\tm\ts\n", "x.tsv:1: webex column wants yes or no" },
		{ "Policies\t\tbool\t\tyes\tm\ts\n", "x.tsv:1: empty parameter name" },
		{ "Policies\tX\tbool\t\tyes\tm\ts\nOptions\tX\tbool\t\tno\tm\ts\n",
		  "x.tsv:2: 'X' is listed twice" },
		{ "# only comments\n", "x.tsv: no parameters" },
		{ "", "x.tsv: no parameters" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jabparams_dict d;
		struct j2w_err err;

		CHECK_INT(jabparams_dict_parse(&d, bad[i].text, strlen(bad[i].text), "x.tsv", &err), -1);
		CHECK_INT(err.status, J2W_EDATA);
		CHECK(strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) == 0);
		CHECK(d.p == NULL && d.text == NULL);
	}
	{
		struct jabparams_dict d;
		struct j2w_err err;

		CHECK_INT(jabparams_dict_parse(&d, "a\0b", 3, "x.tsv", &err), -1);
	}
}

static void
test_shipped_dictionary_loads(void)
{
	struct jabparams_dict d;
	struct j2w_err err;
	static const char *const must[] = { "EnableJabber2TeamsMigration", "WebexTeamsDownloadURL",
		"VoiceServicesDomain", "ServicesDomain", "PresenceDomain", "EnableProximity",
		"CalendarIntegrationType", "MacCalendarIntegrationType", "EnableCalendarIntegration",
		"Meetings_Enabled", "DockedWindowVisible", "Start_Client_On_Start_OS",
		"EnableSIPURIDialling", "TelemetryEnabled", "TelemetryEnabledOverCellularData",
		"TelemetryCustomerID", "Persistent_Chat_Enabled", "DirectoryServerType",
		"BDIPrimaryServerName", "UdsServer", "UdsPhotoUriWithToken", "PrimaryServerName",
		"CucmCallBargeMode", "RecordingToneInterval", "ShowSelectiveCallRecordingButton" };
	size_t webex = 0;

	CHECK_INT(jabparams_dict_load(&d, "templates/jabber-params.tsv", &err), 0);
	CHECK(d.n >= 60);
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		if (!CHECK(jabparams_find(&d, must[i]) != NULL))
			unit_check(0, must[i], __FILE__, __LINE__);
	for (size_t i = 0; i < d.n; i++)
		webex += d.p[i].webex;
	CHECK(webex >= 30);
	CHECK_INT(jabparams_find(&d, "TelemetryCustomerID")->type, JP_ORGID);
	jabparams_dict_release(&d);
	CHECK_INT(jabparams_dict_load(&d, "no/such/file.tsv", &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
}

UNIT_MAIN(TEST(test_lookup_exact_and_folded), TEST(test_value_checks),
    TEST(test_type_describe_round_trip), TEST(test_bad_dictionaries),
    TEST(test_shipped_dictionary_loads))
