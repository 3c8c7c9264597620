/* Unit tests for the lint and trim rules (with the shipped dictionary). */
#include <stdlib.h>
#include <string.h>

#include "jabber/jablint.h"
#include "unit.h"
#include "util/xmlsafe.h"

struct got {
	char checks[8192];
	size_t n;
};

static int
collect(json_t *f, enum severity sev, void *ctx)
{
	struct got *g = ctx;
	size_t len = strlen(g->checks);

	snprintf(g->checks + len, sizeof(g->checks) - len, "%s%s:%s@%s", g->n ? " " : "",
	    json_string_value(json_object_get(f, "check")), severity_name(sev),
	    json_string_value(json_object_get(f, "subject")));
	g->n++;
	json_decref(f);
	return 0;
}

static struct jabparams_dict dict;

static const char *
lint(const char *text, const char *profile, const struct jabcfg_setting *want, size_t nwant)
{
	static struct got g;
	struct jablint_opts o = { &dict, profile, want, nwant };
	struct j2w_err err;

	memset(&g, 0, sizeof(g));
	CHECK_INT(jablint_lint(text, strlen(text), "f", &o, collect, &g, &err), 0);
	return g.checks;
}

static void
test_setup(void)
{
	struct j2w_err err;

	xmlsafe_init();
	CHECK_INT(jabparams_dict_load(&dict, "templates/jabber-params.tsv", &err), 0);
}

static void
test_each_check(void)
{
	CHECK_STR(lint("<config version=\"1.0\"><Policies><EnableSIPURIDialling>true"
	    "</EnableSIPURIDialling></Policies></config>", NULL, NULL, 0), "");
	CHECK_STR(lint("<config version=\"1.0\">\n<Policies>&</Policies></config>", NULL, NULL, 0),
	    "JC-XML:FAIL@f:2");
	CHECK_STR(lint("<conf version=\"1.0\"/>", NULL, NULL, 0), "JC-ROOT:FAIL@f:1");
	CHECK_STR(lint("<config/>", NULL, NULL, 0), "JC-ROOT:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Foo/></config>", NULL, NULL, 0), "JC-GROUP:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><enableproximity>false</enableproximity>"
	    "</Options></config>", NULL, NULL, 0), "JC-CASE:WARN@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><EnableProximty>false</EnableProximty>"
	    "</Options></config>", NULL, NULL, 0), "JC-UNKNOWN:WARN@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Client><EnableProximity>false</EnableProximity>"
	    "</Client></config>", NULL, NULL, 0), "JC-PLACE:WARN@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><EnableProximity>no</EnableProximity>"
	    "</Options></config>", NULL, NULL, 0), "JC-VALUE:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><EnableProximity><x/></EnableProximity>"
	    "</Options></config>", NULL, NULL, 0), "JC-VALUE:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Directory><ConnectionPassword>s3cret"
	    "</ConnectionPassword><UseSSL>true</UseSSL></Directory></config>", NULL, NULL, 0),
	    "JC-PASSWORD:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Directory><X><MyPassword>s</MyPassword></X>"
	    "</Directory></config>", NULL, NULL, 0), "JC-UNKNOWN:WARN@f:1 JC-PASSWORD:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Policies>\n<EnableVideo>true</EnableVideo>\n"
	    "<EnableVideo>true</EnableVideo></Policies></config>", NULL, NULL, 0),
	    "JC-DUPLICATE:WARN@f:3");
	CHECK_STR(lint("<config version=\"1.0\"><Policies><VoiceServicesDomain>v.example.com"
	    "</VoiceServicesDomain></Policies></config>", NULL, NULL, 0), "JC-VSD:INFO@f:1");
	/* jabber-plugin-config may nest anything */
	CHECK_STR(lint("<config version=\"1.0\"><Client><jabber-plugin-config><browser-plugin>"
	    "<page refresh=\"true\"><url>u</url></page></browser-plugin></jabber-plugin-config>"
	    "</Client></config>", NULL, NULL, 0), "");
}

#define C(body) "<config version=\"1.0\">" body "</config>"

/* Issue #13: names and values Cisco's own documents print are not failures. */
static void
test_cisco_spellings_pass(void)
{
	/* both printed spellings of the same parameter */
	CHECK_STR(lint(C("<Client><PrtLogServerURL>http://p.example.com/u.php</PrtLogServerURL>"
	    "</Client>"), NULL, NULL, 0), "");
	CHECK_STR(lint(C("<Client><PrtLogServerUrl>http://p.example.com/u.php</PrtLogServerUrl>"
	    "</Client>"), NULL, NULL, 0), "");
	CHECK_STR(lint(C("<Directory><UseSIPURIToResolveContacts>true</UseSIPURIToResolveContacts>"
	    "</Directory>"), NULL, NULL, 0), "");
	CHECK_STR(lint(C("<Policies><selfcareURL>https://cucm.example.com</selfcareURL>"
	    "</Policies>"), NULL, NULL, 0), "");
	/* a case no document prints: a warning naming every documented spelling */
	CHECK_STR(lint(C("<Directory><UDSPhotoUriWithToken>http://p.example.com/%%uid%%.jpg"
	    "</UDSPhotoUriWithToken></Directory>"), NULL, NULL, 0), "JC-CASE:WARN@f:1");
	CHECK_STR(lint(C("<Client>\n<prtlogserverurl>http://p.example.com/u</prtlogserverurl>\n"
	    "<PrtLogServerUrl>http://p.example.com/u</PrtLogServerUrl></Client>"), NULL, NULL, 0),
	    "JC-CASE:WARN@f:2 JC-DUPLICATE:WARN@f:3");
	/* the names issue #13 found unknown */
	CHECK_STR(lint(C("<Directory><ConnectionType>1</ConnectionType><UserAccountName>uid"
	    "</UserAccountName><OtherPhone>otherTelephone</OtherPhone></Directory>"
	    "<Client><MakeUsernameReadOnly>true</MakeUsernameReadOnly><Mention_GroupChat>true"
	    "</Mention_GroupChat><DisableAudioDucking>true</DisableAudioDucking></Client>"
	    "<Policies><EnableCiscoChatProtocol>true</EnableCiscoChatProtocol></Policies>"),
	    NULL, NULL, 0), "JC-LEGACY:INFO@f:1");
	/* TelemetryCustomerID as uuidgen writes it */
	CHECK_STR(lint(C("<Policies><TelemetryCustomerID>0f8fad5b-d9cb-469f-a165-70867728950e"
	    "</TelemetryCustomerID></Policies>"), NULL, NULL, 0), "");
	/* TechNote 213803's DirectoryServerType: a note, not a failure */
	CHECK_STR(lint(C("<Directory><DirectoryServerType>AD</DirectoryServerType></Directory>"),
	    NULL, NULL, 0), "JC-LEGACY:INFO@f:1");
	CHECK_STR(lint(C("<Policies><EnableTelProtocolPopupWindow>false</EnableTelProtocolPopupWindow>"
	    "</Policies>"), NULL, NULL, 0), "JC-LEGACY:INFO@f:1");
	CHECK_STR(lint(C("<Policies><EnableTelProtocolHandler>true</EnableTelProtocolHandler>"
	    "</Policies>"), NULL, NULL, 0), "JC-UNKNOWN:WARN@f:1");
	CHECK_STR(lint(C("<Policies><ServicesDomain>example.com</ServicesDomain></Policies>"),
	    NULL, NULL, 0), "JC-ELSEWHERE:WARN@f:1");
	/* the EMM spelling in jabber-config: a case warning towards the file's spelling */
	CHECK_STR(lint(C("<Client><EnablePRTEncryption>true</EnablePRTEncryption></Client>"),
	    NULL, NULL, 0), "JC-CASE:WARN@f:1");
	/* DirectoryURI (10.5 Policies) is also Cisco's spelling of DirectoryUri */
	CHECK_STR(lint(C("<Directory><DirectoryURI>mail</DirectoryURI></Directory>"), NULL, NULL, 0),
	    "");
	CHECK_STR(lint(C("<Policies><DirectoryURI>mail</DirectoryURI></Policies>"), NULL, NULL, 0),
	    "JC-LEGACY:INFO@f:1");
	/* a group-less parameter goes in any group, but not directly under <config> */
	CHECK_STR(lint(C("<Phone><Audio_Start_Port_Range>2068</Audio_Start_Port_Range>"
	    "</Phone>"), NULL, NULL, 0), "");
	CHECK_STR(lint(C("<Audio_Start_Port_Range>2068</Audio_Start_Port_Range>"), NULL, NULL, 0),
	    "JC-GROUP:FAIL@f:1");
}

/* What Jabber would really trip on is still caught. */
static void
test_real_trouble_caught(void)
{
	CHECK_STR(lint(C("<Directory><PrimaryServerName>x.x.x.x</PrimaryServerName>"
	    "<ServerPort1>PortNumberHere</ServerPort1><UdsServer>CallManager IP or FQDN</UdsServer>"
	    "</Directory>"), NULL, NULL, 0), "JC-VALUE:FAIL@f:1 JC-VALUE:FAIL@f:1 JC-VALUE:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><BaseFilter>(&amp;(objectClass=inetOrgPerson)</BaseFilter>"
	    "</Directory>"), NULL, NULL, 0), "JC-LDAP-FILTER:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><BDIBaseFilter>(objectClass=person))</BDIBaseFilter>"
	    "</Directory>"), NULL, NULL, 0), "JC-LEGACY:INFO@f:1 JC-LDAP-FILTER:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><UserWindowsCredentials>0</UserWindowsCredentials></Directory>"),
	    NULL, NULL, 0), "JC-UNKNOWN:WARN@f:1");
	CHECK_STR(lint(C("<Client><HideCallControlStrip>true</HideCallControlStrip></Client>"),
	    NULL, NULL, 0), "JC-VALUE:FAIL@f:1");
	CHECK_STR(lint(C("<Policies><TelemetryCustomerID>1234-abcd</TelemetryCustomerID></Policies>"),
	    NULL, NULL, 0), "JC-VALUE:FAIL@f:1");
	CHECK_STR(lint(C("<Policies><ServicesDomain>example.com</ServicesDomain></Policies>"),
	    NULL, NULL, 0), "JC-ELSEWHERE:WARN@f:1");
}

/* Credentials and plain LDAP, as the 12.8 (UseSSL) and 10.5 (BDIEnableTLS) guides describe. */
static void
test_ldap_cleartext(void)
{
	/* UseSSL false: FAIL (with the plain-text password finding) */
	CHECK_STR(lint(C("<Directory>\n<ConnectionUsername>u</ConnectionUsername>\n"
	    "<ConnectionPassword>p</ConnectionPassword>\n<UseSSL>False</UseSSL></Directory>"),
	    NULL, NULL, 0), "JC-PASSWORD:FAIL@f:3 JC-LDAP-CLEARTEXT:FAIL@f:3");
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword><UseSSL>0</UseSSL>"
	    "</Directory>"), NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1 JC-LDAP-CLEARTEXT:FAIL@f:1");
	/* unset UseSSL with port 389 or 3268 is plain LDAP; 636 and other ports are LDAPS */
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword><ServerPort1>3268"
	    "</ServerPort1></Directory>"), NULL, NULL, 0),
	    "JC-PASSWORD:FAIL@f:1 JC-LDAP-CLEARTEXT:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword><ServerPort1>636"
	    "</ServerPort1></Directory>"), NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword><ServerPort1>50000"
	    "</ServerPort1></Directory>"), NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1");
	/* nothing said at all: a warning */
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword></Directory>"),
	    NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1 JC-LDAP-CLEARTEXT:WARN@f:1");
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword><UseSSL>true</UseSSL>"
	    "<ServerPort1>389</ServerPort1></Directory>"), NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1");
	/* GSS-API (EDI UseSecureConnection 1) does not send the password */
	CHECK_STR(lint(C("<Directory><ConnectionPassword>p</ConnectionPassword><UseSecureConnection>1"
	    "</UseSecureConnection><UseSSL>0</UseSSL></Directory>"), NULL, NULL, 0),
	    "JC-PASSWORD:FAIL@f:1 JC-LEGACY:INFO@f:1");
	/* users' own credentials reused for the directory */
	CHECK_STR(lint(C("<Directory><LDAP_UseCredentialsFrom>CUCM</LDAP_UseCredentialsFrom>"
	    "<UseSSL>false</UseSSL></Directory>"), NULL, NULL, 0), "JC-LDAP-CLEARTEXT:FAIL@f:1");
	/* UDS needs no bind; an empty password is no password */
	CHECK_STR(lint(C("<Directory><DirectoryServerType>UDS</DirectoryServerType><ConnectionPassword>"
	    "p</ConnectionPassword><UseSSL>false</UseSSL></Directory>"), NULL, NULL, 0),
	    "JC-PASSWORD:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><ConnectionPassword></ConnectionPassword><UseSSL>false</UseSSL>"
	    "</Directory>"), NULL, NULL, 0), "");
	/* BDI: TLS is off unless BDIEnableTLS says true (or the port is an LDAPS one) */
	CHECK_STR(lint(C("<Directory><BDIConnectionPassword>p</BDIConnectionPassword></Directory>"),
	    NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1 JC-LEGACY:INFO@f:1 JC-LDAP-CLEARTEXT:FAIL@f:1");
	CHECK_STR(lint(C("<Directory><BDIConnectionPassword>p</BDIConnectionPassword><BDIEnableTLS>True"
	    "</BDIEnableTLS></Directory>"), NULL, NULL, 0),
	    "JC-PASSWORD:FAIL@f:1 JC-LEGACY:INFO@f:1 JC-LEGACY:INFO@f:1");
	/* the last value counts, as it does for Jabber */
	CHECK_STR(lint(C("<Directory>\n<LDAP_UseCredentialsFrom>CUCM</LDAP_UseCredentialsFrom>\n"
	    "<UseSSL>false</UseSSL>\n<UseSSL>true</UseSSL></Directory>"), NULL, NULL, 0),
	    "JC-DUPLICATE:WARN@f:4");
}

/* Hostile input for the new checks: huge filters, long names, many spellings. */
static void
test_hostile_new_checks(void)
{
	struct strbuf text;
	struct jablint_opts o = { &dict, NULL, NULL, 0 };
	struct got g;
	struct j2w_err err;

	strbuf_init(&text, 0);
	/* a 100 000-character filter of '(' : one finding, the count in it */
	strbuf_addstr(&text, "<config version=\"1.0\"><Directory><BaseFilter>");
	for (int i = 0; i < 100000; i++)
		strbuf_addch(&text, '(');
	strbuf_addstr(&text, "</BaseFilter></Directory></config>");
	memset(&g, 0, sizeof(g));
	CHECK_INT(jablint_lint(text.buf, text.len, "f", &o, collect, &g, &err), 0);
	CHECK_STR(g.checks, "JC-LDAP-FILTER:FAIL@f:1");
	/* a long mis-cased name, a long unknown one, a long placeholder-like value */
	strbuf_reset(&text);
	strbuf_addstr(&text, "<config version=\"1.0\"><Policies><ENABLEVIDEO>true</ENABLEVIDEO><");
	for (int i = 0; i < 3000; i++)
		strbuf_addch(&text, 'Q');
	strbuf_addstr(&text, ">1</");
	for (int i = 0; i < 3000; i++)
		strbuf_addch(&text, 'Q');
	strbuf_addstr(&text, "><VoiceServicesDomain>");
	for (int i = 0; i < 5000; i++)
		strbuf_addstr(&text, "x.");
	strbuf_addstr(&text, "x</VoiceServicesDomain></Policies></config>");
	memset(&g, 0, sizeof(g));
	CHECK_INT(jablint_lint(text.buf, text.len, "f", &o, collect, &g, &err), 0);
	CHECK_STR(g.checks, "JC-CASE:WARN@f:1 JC-UNKNOWN:WARN@f:1 JC-VALUE:FAIL@f:1");
	/* every bind setting twice, credentials but nothing else: one warning */
	CHECK_STR(lint(C("<Directory><ConnectionPassword>a</ConnectionPassword><ConnectionPassword>"
	    "</ConnectionPassword><UseSSL></UseSSL></Directory>"), NULL, NULL, 0),
	    "JC-PASSWORD:FAIL@f:1 JC-DUPLICATE:WARN@f:1");
	/* list items from a set, many of them, one bad */
	strbuf_reset(&text);
	strbuf_addstr(&text, "<config version=\"1.0\"><Policies><ServiceDiscoveryExcludedServices>");
	for (int i = 0; i < 20000; i++)
		strbuf_addstr(&text, "WEBEX,");
	strbuf_addstr(&text, "JABBER</ServiceDiscoveryExcludedServices></Policies></config>");
	memset(&g, 0, sizeof(g));
	CHECK_INT(jablint_lint(text.buf, text.len, "f", &o, collect, &g, &err), 0);
	CHECK_STR(g.checks, "JC-VALUE:FAIL@f:1");
	strbuf_release(&text);
}

static void
test_profile(void)
{
	struct jabcfg_setting want[2] = {
		{ "Directory", "PresenceDomain", "", 0 },
		{ "Options", "EnableProximity", "false", 0 },
	};

	CHECK_STR(lint("<config version=\"1.0\"><Directory><PresenceDomain>example.com"
	    "</PresenceDomain></Directory><Options><EnableProximity>FALSE</EnableProximity>"
	    "</Options></config>", "cross-launch", want, 2), "");
	CHECK_STR(lint("<config version=\"1.0\">\n<Directory><PresenceDomain></PresenceDomain>"
	    "</Directory></config>", "cross-launch", want, 2),
	    "JC-PROFILE:FAIL@f:2 JC-PROFILE:FAIL@f");
}

static void
removed(const char *group, const char *name, unsigned long line, const char *why, void *ctx)
{
	struct strbuf *sb = ctx;

	strbuf_addf(sb, "%s/%s:%lu:%s;", group, name ? name : "-", line, why);
}

static void
test_trim(void)
{
	static const char text[] =
	    "<config version=\"1.0\">\n"
	    "  <Client>\n"
	    "    <PrtLogServerUrl>http://x.example.com/p</PrtLogServerUrl>\n"
	    "  </Client>\n"
	    "  <Policies>\n"
	    "    <EnableCallPark>true</EnableCallPark>\n"
	    "    <Meetings_Enabled>false</Meetings_Enabled>\n"
	    "  </Policies>\n"
	    "  <Bogus><EnableCallPark>true</EnableCallPark></Bogus>\n"
	    "</config>\n";
	struct jabcfg_doc d;
	struct j2w_err err;
	struct strbuf log;

	strbuf_init(&log, 0);
	CHECK_INT(jabcfg_parse(&d, text, strlen(text), "t.xml", &err), 0);
	CHECK_INT(jablint_trim(&d, &dict, "t.xml", removed, &log, &err), 5);
	CHECK_STR(d.buf, "<config version=\"1.0\">\n  <Policies>\n"
	    "    <EnableCallPark>true</EnableCallPark>\n  </Policies>\n</config>\n");
	CHECK_STR(log.buf, "Client/-:2:no parameter left;"
	    "Client/PrtLogServerUrl:3:not read by the Webex App;"
	    "Policies/Meetings_Enabled:7:not read by the Webex App;"
	    "Bogus/-:9:not a group;Bogus/EnableCallPark:9:outside the seven groups;");
	jabcfg_release(&d);
	strbuf_release(&log);
}

/* Groups set apart by blank lines leave no gap; spellings the Webex App does not print go. */
static void
test_trim_blank_lines_and_spellings(void)
{
	static const char text[] =
	    "<config version=\"1.0\">\n"
	    "\n"
	    "  <Client>\n"
	    "    <PrtLogServerUrl>http://x.example.com/p</PrtLogServerUrl>\n"
	    "  </Client>\n"
	    "\n"
	    "  <Policies>\n"
	    "    <EnableVideo>false</EnableVideo>\n"
	    "\n"
	    "    <selfcareURL>https://cucm.example.com</selfcareURL>\n"
	    "    <enablevideo>false</enablevideo>\n"
	    "    <ServicesDomain>example.com</ServicesDomain>\n"
	    "  </Policies>\n"
	    "\n"
	    "  <Voicemail>\n"
	    "    <VoicemailPrimaryServer>vm.example.com</VoicemailPrimaryServer>\n"
	    "  </Voicemail>\n"
	    "</config>\n";
	struct jabcfg_doc d;
	struct j2w_err err;
	struct strbuf log;

	strbuf_init(&log, 0);
	CHECK_INT(jabcfg_parse(&d, text, strlen(text), "t.xml", &err), 0);
	CHECK_INT(jablint_trim(&d, &dict, "t.xml", removed, &log, &err), 7);
	CHECK_STR(d.buf, "<config version=\"1.0\">\n\n  <Policies>\n"
	    "    <EnableVideo>false</EnableVideo>\n  </Policies>\n</config>\n");
	CHECK_STR(log.buf, "Client/-:3:no parameter left;"
	    "Client/PrtLogServerUrl:4:not read by the Webex App;"
	    "Policies/selfcareURL:10:the Webex App reads it spelt 'SelfCareURL';"
	    "Policies/enablevideo:11:the Webex App reads it spelt 'EnableVideo';"
	    "Policies/ServicesDomain:12:not read from jabber-config.xml;"
	    "Voicemail/-:15:no parameter left;"
	    "Voicemail/VoicemailPrimaryServer:16:not read by the Webex App;");
	jabcfg_release(&d);
	strbuf_release(&log);
}

static void
test_distance(void)
{
	CHECK_INT(jablint_distance("EnableSIPURIDialing", "EnableSIPURIDialling", 2), 1);
	CHECK_INT(jablint_distance("abc", "ABC", 2), 0);
	CHECK_INT(jablint_distance("abc", "xyzxyz", 2), 3);
}

static void
test_teardown(void)
{
	jabparams_dict_release(&dict);
}

UNIT_MAIN(TEST(test_setup), TEST(test_each_check), TEST(test_cisco_spellings_pass),
    TEST(test_real_trouble_caught), TEST(test_ldap_cleartext), TEST(test_hostile_new_checks), TEST(test_profile), TEST(test_trim),
    TEST(test_trim_blank_lines_and_spellings),
    TEST(test_distance), TEST(test_teardown))
