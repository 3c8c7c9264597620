/* Unit tests for the parameter dictionary: loading, lookups, value checks, bad files. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "jabber/jabparams.h"
#include "unit.h"

static const char small[] =
"# comment\n"
"group\tname\ttype\tdefault\twebex\tstatus\tmeaning\tsource\n"
"Policies\tEnableSIPURIDialling\tbool\ttrue\tyes\t-\tSIP URI calls\tguide\n"
"Options|Policies\tEnableJabber2TeamsMigration\tbool\tfalse\tyes\t-\twizard\tguide\r\n"
"Policies\tLocalRecordingToneVolume\tint:0..100\t10\tyes\t-\tvolume\tguide\n"
"Options\tSet_Status_Inactive_Timeout\tint:1..\t15\tno\t-\tminutes\tguide\n"
"Policies\tServicesDomainSsoEmailPrompt\tenum:ON|OFF\tOFF\tno\t-\tprompt\tguide\n"
"Policies\tTelemetryCustomerID\tguid\t\tno\t-\tuuid\tguide\n"
"Policies\tE911NotificationURL\turl\t\tyes\t-\tnotice\tguide\n"
"Policies\tVoiceServicesDomain\tdomain\t\tno\t-\tvsd\tguide\n"
"Directory\tUdsServer\thost\t\tno\t-\tuds\tguide\n"
"Policies\tLocalPushSSIDList\tlist:;\t\tyes\t-\tssids\tguide\n"
"Client\tjabber-plugin-config\txml\t\tno\t-\ttabs\tguide\n"
"Directory\tUdsPhotoUriWithToken\tphotourl\t\tno\t-\tphoto\tguide\n"
"Client\tPrtLogServerURL\turl\t\tno\t-\tprt\tguide\n"
"Client\tPrtLogServerUrl\turl\t\tno\t-\tprt\tguide\n"
"Directory\tDirectoryServerType\tenum:LDAP|UDS|~EDI|~BDI|~AD\t\tno\t-\tsource\tguide\n"
"Directory\tUseSSL\tbool01\tTrue\tno\t-\tldaps\tguide\n"
"Directory\tBaseFilter\tldapfilter\t\tno\t-\tfilter\tguide\n"
"Directory\tSearchBase1\tdn\t\tno\t-\tbase\tguide\n"
"Directory\tUserAccountName\tattr\t\tno\t-\tattr\tguide\n"
"Directory\tBDIPrimaryServerName\thost\t\tno\told:PrimaryServerName\tbdi\tguide\n"
"Directory\tPrimaryServerName\thost\t\tno\t-\tserver\tguide\n"
"-\tServicesDomain\tdomain\t\tno\telsewhere\tinstaller\tguide\n"
"*\tAudio_Start_Port_Range\tint:2048..65535,even\t\tno\t-\tports\tguide\n"
"Client\tJ2JMaxBandwidthKbps\tint:128..4000,clamp\t4000\tno\t-\tkbps\tguide\n"
"Policies\tServiceDiscoveryExcludedServices\tlist:,:WEBEX|CUCM|CUP\t\tno\t-\texclude\tguide\n"
"Directory\tLdapSupportedMechanisms\tlist:space:GSSAPI|EXTERNAL|PLAIN\t\tno\t-\tsasl\tguide\n"
"Policies\tBlockVersionBelow\tversion\t\tno\t-\tversion\tguide\n"
"Phone\tMakeCallHotKey\thotkey\ttrue\tno\t-\thotkey\tguide\n"
"Phone\tMeeting_Server_Address\turlhost\t\tno\t-\tsite\tguide\n"
"Client\tHideCallControlStrip\tenum:enable|disable\tdisable\tno\t-\tstrip\tguide\n"
"Directory\tConnectionPassword\tstring\t\tno\t-\tpassword\tguide\n"
"Policies\tPromotionWelcomeText\tstring\t\tno\t-\ttext\tguide\n";

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
	CHECK_INT(d.n, 32);
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
test_case_variants_and_status(void)
{
	struct jabparams_dict d;
	const struct jabparams_param *v[8], *p;

	load(&d);
	CHECK_INT(jabparams_find_fold_all(&d, "PRTLOGSERVERURL", v, 8), 2);
	CHECK_STR(v[0]->name, "PrtLogServerURL");
	CHECK_STR(v[1]->name, "PrtLogServerUrl");
	CHECK_INT(v[0]->canon, v[1]->canon);		/* one parameter, two spellings */
	CHECK(jabparams_find(&d, "PrtLogServerUrl")->canon != jabparams_find(&d, "UdsServer")->canon);
	CHECK_INT(jabparams_find_fold_all(&d, "PRTLOGSERVERURL", v, 1), 1);
	CHECK_INT(jabparams_find_fold_all(&d, "nothing", v, 8), 0);
	p = jabparams_find(&d, "BDIPrimaryServerName");
	CHECK(p->status == JP_OLD && strcmp(p->replacement, "PrimaryServerName") == 0);
	p = jabparams_find(&d, "ServicesDomain");
	CHECK(p->status == JP_ELSEWHERE && p->ngroups == 0);
	p = jabparams_find(&d, "Audio_Start_Port_Range");
	CHECK(p->status == JP_CURRENT && p->ngroups == 0);
	CHECK(jabparams_in_group(p, "Phone") && jabparams_in_group(p, "Client"));
	jabparams_dict_release(&d);
}

static void
test_new_types_with_hostile_values(void)
{
	struct jabparams_dict d;
	struct strbuf why;

	load(&d);
	strbuf_init(&why, 0);
#define V(name, val) jabparams_check_value(jabparams_find(&d, name), val, &why)
	/* GUIDs as uuidgen and [guid]::NewGuid() write them, and the 32 digits alone */
	CHECK_INT(V("TelemetryCustomerID", "0f8fad5b-d9cb-469f-a165-70867728950e"), JP_VALUE_OK);
	CHECK_INT(V("TelemetryCustomerID", "0F8FAD5B-D9CB-469F-A165-70867728950E"), JP_VALUE_OK);
	CHECK_INT(V("TelemetryCustomerID", "0f8fad5bd9cb469fa16570867728950e"), JP_VALUE_OK);
	strbuf_reset(&why);
	CHECK_INT(V("TelemetryCustomerID", "0f8fad5b-d9cb-469f-a165-70867728950"), JP_VALUE_BAD);
	CHECK(strstr(why.buf, "not 35 characters") != NULL);
	CHECK_INT(V("TelemetryCustomerID", "0f8fad5bd-9cb-469f-a165-70867728950e"), JP_VALUE_BAD);
	CHECK_INT(V("TelemetryCustomerID", "0f8fad5b-d9cb-469f-a165-70867728950g"), JP_VALUE_BAD);
	CHECK_INT(V("TelemetryCustomerID", "{0f8fad5b-d9cb-469f-a165-70867728950e}"), JP_VALUE_BAD);
	CHECK_INT(V("TelemetryCustomerID", "------------------------------------"), JP_VALUE_BAD);
	/* enums: exact is OK, case-only is WARN, an older value is OK with a note */
	strbuf_reset(&why);
	CHECK_INT(V("DirectoryServerType", "LDAP"), JP_VALUE_OK);
	CHECK_INT(why.len, 0);
	CHECK_INT(V("DirectoryServerType", "AD"), JP_VALUE_OK);
	CHECK(strstr(why.buf, "LDAP or UDS") != NULL);
	strbuf_reset(&why);
	CHECK_INT(V("DirectoryServerType", "uds"), JP_VALUE_WARN);
	CHECK_INT(V("DirectoryServerType", "~AD"), JP_VALUE_BAD);
	CHECK_INT(V("DirectoryServerType", "Active Directory"), JP_VALUE_BAD);
	CHECK_INT(V("HideCallControlStrip", "enable"), JP_VALUE_OK);
	CHECK_INT(V("HideCallControlStrip", "true"), JP_VALUE_BAD);
	/* bool01 */
	CHECK_INT(V("UseSSL", "True"), JP_VALUE_OK);
	CHECK_INT(V("UseSSL", "0"), JP_VALUE_OK);
	CHECK_INT(V("UseSSL", "2"), JP_VALUE_BAD);
	CHECK_INT(V("UseSSL", "yes"), JP_VALUE_BAD);
	/* LDAP filters */
	CHECK_INT(V("BaseFilter", "(&(objectCategory=person)(objectClass=user))"), JP_VALUE_OK);
	CHECK_INT(V("BaseFilter", "(cn=a\\29b)"), JP_VALUE_OK);
	strbuf_reset(&why);
	CHECK_INT(V("BaseFilter", "(&(objectClass=inetOrgPerson)"), JP_VALUE_BAD);
	CHECK_STR(why.buf, "has 1 '(' left open (add 1 ')')");
	strbuf_reset(&why);
	CHECK_INT(V("BaseFilter", "(a=b))(c=d"), JP_VALUE_BAD);
	CHECK_STR(why.buf, "has a ')' at character 6 that closes nothing");
	CHECK_INT(V("BaseFilter", "(cn=a\\)"), JP_VALUE_BAD);	/* the escaped ')' closes nothing */
	CHECK_INT(V("BaseFilter", "\\"), JP_VALUE_OK);
	CHECK_INT(jabparams_ldap_filter_check("((((((((((", NULL), -1);
	/* distinguished names and attributes */
	CHECK_INT(V("SearchBase1", "ou=people,dc=example,dc=com"), JP_VALUE_OK);
	CHECK_INT(V("SearchBase1", "OU=Users1"), JP_VALUE_OK);
	CHECK_INT(V("SearchBase1", "cn=Smith\\, John, ou=x"), JP_VALUE_OK);
	CHECK_INT(V("SearchBase1", "people"), JP_VALUE_BAD);
	CHECK_INT(V("SearchBase1", "ou=a,,dc=b"), JP_VALUE_BAD);
	CHECK_INT(V("SearchBase1", "=a"), JP_VALUE_BAD);
	CHECK_INT(V("UserAccountName", "sAMAccountName"), JP_VALUE_OK);
	CHECK_INT(V("UserAccountName", "msRTCSIP-PrimaryUserAddress"), JP_VALUE_OK);
	CHECK_INT(V("UserAccountName", "1.2.840.113556"), JP_VALUE_OK);
	CHECK_INT(V("UserAccountName", "directory attribute"), JP_VALUE_BAD);
	CHECK_INT(V("UserAccountName", "1..2"), JP_VALUE_BAD);
	/* placeholders Cisco's examples leave in */
	strbuf_reset(&why);
	CHECK_INT(V("PrimaryServerName", "x.x.x.x"), JP_VALUE_BAD);
	CHECK(strstr(why.buf, "placeholder") != NULL);
	CHECK_INT(V("PrimaryServerName", "X.X.X.X"), JP_VALUE_BAD);
	CHECK_INT(V("PrimaryServerName", "CallManager IP or FQDN"), JP_VALUE_BAD);
	CHECK_INT(V("PrimaryServerName", "xerxes.example.com"), JP_VALUE_OK);
	CHECK_INT(V("PrimaryServerName", "11.22.33.456"), JP_VALUE_BAD);
	CHECK_INT(V("PrimaryServerName", "sphere"), JP_VALUE_OK);
	CHECK_INT(V("PrimaryServerName", "servernamehere"), JP_VALUE_BAD);
	CHECK_INT(V("Audio_Start_Port_Range", "PortNumberHere"), JP_VALUE_BAD);
	CHECK_INT(V("ConnectionPassword", "passwordhere"), JP_VALUE_OK);	/* JC-PASSWORD's job */
	CHECK_INT(V("UdsServer", "<cucm>"), JP_VALUE_BAD);
	strbuf_reset(&why);
	CHECK_INT(V("VoiceServicesDomain", "<domain_for_voice_services>"), JP_VALUE_BAD);
	CHECK(strstr(why.buf, "placeholder") != NULL);
	CHECK_INT(V("PromotionWelcomeText", "<b>Get Jabber</b> on your phone"), JP_VALUE_OK);
	CHECK_INT(V("PromotionWelcomeText", "Welcome to a sphere"), JP_VALUE_OK);
	CHECK_INT(V("PromotionWelcomeText", "TextHere"), JP_VALUE_BAD);
	/* URLs: a port is a number; [IPv6] hosts */
	CHECK_INT(V("E911NotificationURL", "http://server_name:port/path/prt_script.php"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "http://prt.example.com:8080/prt.php"), JP_VALUE_OK);
	CHECK_INT(V("E911NotificationURL", "http://[fe80::1]:80/x"), JP_VALUE_OK);
	CHECK_INT(V("E911NotificationURL", "http://[]/x"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "http://[fe80::1/x"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "http://a:123456/"), JP_VALUE_BAD);
	CHECK_INT(V("E911NotificationURL", "http://a\177b/"), JP_VALUE_BAD);
	CHECK_INT(V("Meeting_Server_Address", "https://example.webex.com"), JP_VALUE_OK);
	CHECK_INT(V("Meeting_Server_Address", "example.webex.com"), JP_VALUE_OK);
	CHECK_INT(V("Meeting_Server_Address", "Meeting_Site_URL"), JP_VALUE_BAD);
	/* integers: parity and clamping are warnings */
	CHECK_INT(V("Audio_Start_Port_Range", "2068"), JP_VALUE_OK);
	strbuf_reset(&why);
	CHECK_INT(V("Audio_Start_Port_Range", "2069"), JP_VALUE_WARN);
	CHECK_STR(why.buf, "should be an even number");
	CHECK_INT(V("Audio_Start_Port_Range", "2047"), JP_VALUE_BAD);
	strbuf_reset(&why);
	CHECK_INT(V("J2JMaxBandwidthKbps", "5000"), JP_VALUE_WARN);
	CHECK_STR(why.buf, "expects a number from 128 to 4000; Jabber uses 4000 instead");
	CHECK_INT(V("J2JMaxBandwidthKbps", "-9223372036854775808"), JP_VALUE_WARN);
	CHECK_INT(V("J2JMaxBandwidthKbps", "9223372036854775808"), JP_VALUE_BAD);
	/* lists whose items come from a set */
	CHECK_INT(V("ServiceDiscoveryExcludedServices", "WEBEX,CUCM"), JP_VALUE_OK);
	CHECK_INT(V("ServiceDiscoveryExcludedServices", "WEBEX, CUP"), JP_VALUE_OK);
	strbuf_reset(&why);
	CHECK_INT(V("ServiceDiscoveryExcludedServices", "webex,CUCM"), JP_VALUE_WARN);
	CHECK_STR(why.buf, "has an item 'webex' written 'WEBEX' in the reference guide");
	strbuf_reset(&why);
	CHECK_INT(V("ServiceDiscoveryExcludedServices", "webex,JABBER"), JP_VALUE_BAD);
	CHECK_STR(why.buf, "has an item 'JABBER' that is not one of WEBEX, CUCM or CUP");
	CHECK_INT(V("ServiceDiscoveryExcludedServices", "WEBEX,,CUCM"), JP_VALUE_BAD);
	CHECK_INT(V("LdapSupportedMechanisms", "GSSAPI EXTERNAL  PLAIN"), JP_VALUE_OK);
	CHECK_INT(V("LdapSupportedMechanisms", " PLAIN "), JP_VALUE_OK);
	CHECK_INT(V("LdapSupportedMechanisms", "GSSAPI,PLAIN"), JP_VALUE_BAD);
	/* versions and hot keys */
	CHECK_INT(V("BlockVersionBelow", "12.9.1"), JP_VALUE_OK);
	CHECK_INT(V("BlockVersionBelow", "12"), JP_VALUE_OK);
	CHECK_INT(V("BlockVersionBelow", "12.9."), JP_VALUE_BAD);
	CHECK_INT(V("BlockVersionBelow", "12..9"), JP_VALUE_BAD);
	CHECK_INT(V("BlockVersionBelow", "v12.9"), JP_VALUE_BAD);
	CHECK_INT(V("MakeCallHotKey", "TRUE"), JP_VALUE_OK);
	CHECK_INT(V("MakeCallHotKey", "CTRL+SHIFT+J"), JP_VALUE_OK);
	CHECK_INT(V("MakeCallHotKey", "ctrl+alt+7"), JP_VALUE_OK);
	CHECK_INT(V("MakeCallHotKey", "J"), JP_VALUE_BAD);
	CHECK_INT(V("MakeCallHotKey", "CTRL+"), JP_VALUE_BAD);
	CHECK_INT(V("MakeCallHotKey", "CTRL+SHIFT+JK"), JP_VALUE_BAD);
	CHECK_INT(V("MakeCallHotKey", "META+J"), JP_VALUE_BAD);
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
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "DirectoryServerType"), &sb);
	CHECK_STR(sb.buf, "enum:LDAP|UDS|~EDI|~BDI|~AD");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "Audio_Start_Port_Range"), &sb);
	CHECK_STR(sb.buf, "int:2048..65535,even");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "J2JMaxBandwidthKbps"), &sb);
	CHECK_STR(sb.buf, "int:128..4000,clamp");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "ServiceDiscoveryExcludedServices"), &sb);
	CHECK_STR(sb.buf, "list:,:WEBEX|CUCM|CUP");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "LdapSupportedMechanisms"), &sb);
	CHECK_STR(sb.buf, "list:space:GSSAPI|EXTERNAL|PLAIN");
	strbuf_reset(&sb);
	jabparams_type_describe(jabparams_find(&d, "TelemetryCustomerID"), &sb);
	CHECK_STR(sb.buf, "guid");
	strbuf_release(&sb);
	jabparams_dict_release(&d);
}

static void
test_bad_dictionaries(void)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "Policies\tX\tbool\t\tyes\tm\ts\n", "x.tsv:1: 7 fields, want 8" },
		{ "Policies\tX\tbool\t\tyes\t-\tm\ts\textra\n", "x.tsv:1: 9 fields, want 8" },
		{ "Policy\tX\tbool\t\tyes\t-\tm\ts\n", "x.tsv:1: 'Policy' is not one of the seven groups" },
		{ "Client|Options|Phone|Policies|Voicemail\tX\tbool\t\tyes\t-\tm\ts\n",
		  "x.tsv:1: more than 4 groups" },
		{ "Policies\tX\tboolean\t\tyes\t-\tm\ts\n", "x.tsv:1: 'boolean' is not a type" },
		{ "Policies\tX\tint:5..1\t\tyes\t-\tm\ts\n", "x.tsv:1: 'int:5..1' is not a type" },
		{ "Policies\tX\tint:a..\t\tyes\t-\tm\ts\n", "x.tsv:1: 'int:a..' is not a type" },
		{ "Policies\tX\tint:1..2,odd,even\t\tyes\t-\tm\ts\n", "x.tsv:1: 'int:1..2,odd,even' is not a type" },
		{ "Policies\tX\tint:1..2,\t\tyes\t-\tm\ts\n", "x.tsv:1: 'int:1..2,' is not a type" },
		{ "Policies\tX\tenum:A||B\t\tyes\t-\tm\ts\n", "x.tsv:1: 'enum:A||B' is not a type" },
		{ "Policies\tX\tenum:A|~\t\tyes\t-\tm\ts\n", "x.tsv:1: 'enum:A|~' is not a type" },
		{ "Policies\tX\tlist:\t\tyes\t-\tm\ts\n", "x.tsv:1: 'list:' is not a type" },
		{ "Policies\tX\tlist:;;\t\tyes\t-\tm\ts\n", "x.tsv:1: 'list:;;' is not a type" },
		{ "Policies\tX\tlist:;:\t\tyes\t-\tm\ts\n", "x.tsv:1: 'list:;:' is not a type" },
		{ "Policies\tX\tbool\t\tmaybe\t-\tm\ts\n", "x.tsv:1: webex column wants yes or no" },
		{ "Policies\tX\tbool\t\tno\tgone\tm\ts\n", "x.tsv:1: status column wants" },
		{ "Policies\tX\tbool\t\tno\told:\tm\ts\n", "x.tsv:1: status column wants" },
		{ "-\tX\tbool\t\tno\t-\tm\ts\n", "x.tsv:1: group - goes with status elsewhere" },
		{ "Policies\tX\tbool\t\tno\telsewhere\tm\ts\n", "x.tsv:1: group - goes with status elsewhere" },
		{ "Policies\tX\tbool\t\tno\told:Y\tm\ts\n", "x.tsv:1: 'X' names 'Y', which is not in the dictionary" },
		{ "Policies\t\tbool\t\tyes\t-\tm\ts\n", "x.tsv:1: empty parameter name" },
		{ "Policies\tX\tbool\t\tyes\t-\tm\ts\nOptions\tX\tbool\t\tno\t-\tm\ts\n",
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
		"CucmCallBargeMode", "RecordingToneInterval", "ShowSelectiveCallRecordingButton",
		/* the names issue #13 found missing, and both printed spellings */
		"ConnectionType", "UseWindowsCredentials", "UseSecureConnection", "UserAccountName",
		"BDILDAPServerType", "BDIUserAccountName", "BDIDirectoryURI", "BDISipUri",
		"BDIUriPrefix", "OtherPhone", "MakeUsernameReadOnly", "Mention_GroupChat",
		"DisableAudioDucking", "EnableCiscoChatProtocol", "EnableTelProtocolPopupWindow",
		"PrtLogServerURL", "PrtLogServerUrl", "UseSIPURIToResolveContacts",
		"UseSipUriToResolveContacts", "UdsPhotoUriWithToken", "selfcareURL", "SelfCareURL",
		"UpdateURL", "UpdateUrl" };
	size_t webex = 0, any = 0;

	CHECK_INT(jabparams_dict_load(&d, "templates/jabber-params.tsv", &err), 0);
	CHECK(d.n >= 436);
	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++)
		if (!CHECK(jabparams_find(&d, must[i]) != NULL))
			unit_check(0, must[i], __FILE__, __LINE__);
	for (size_t i = 0; i < d.n; i++) {
		webex += d.p[i].webex;
		any += d.p[i].ngroups == 0 && d.p[i].status != JP_ELSEWHERE;
		/* every line names its document by title and URL; nothing outside the project */
		CHECK(strstr(d.p[i].source, "https://") != NULL);
		CHECK(strstr(d.p[i].source, "shared") == NULL && strstr(d.p[i].source, "eed") == NULL);
	}
	CHECK_INT(webex, 36);
	CHECK_INT(any, 6);
	CHECK_INT(jabparams_find(&d, "TelemetryCustomerID")->type, JP_GUID);
	CHECK(jabparams_find(&d, "EnableTelProtocolHandler") == NULL);
	CHECK_INT(jabparams_find(&d, "ServicesDomain")->status, JP_ELSEWHERE);
	CHECK_INT(jabparams_find(&d, "HideCallControlStrip")->type, JP_ENUM);
	CHECK_INT(jabparams_find(&d, "EnableNGEPolicy")->type, JP_ENUM);
	CHECK_INT(jabparams_find(&d, "ShowIconWhenMobile")->type, JP_ENUM);
	CHECK_INT(jabparams_find(&d, "RememberChatList")->type, JP_ENUM);
	jabparams_dict_release(&d);
	CHECK_INT(jabparams_dict_load(&d, "no/such/file.tsv", &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
}

UNIT_MAIN(TEST(test_lookup_exact_and_folded), TEST(test_value_checks),
    TEST(test_case_variants_and_status), TEST(test_new_types_with_hostile_values),
    TEST(test_type_describe_round_trip), TEST(test_bad_dictionaries),
    TEST(test_shipped_dictionary_loads))
