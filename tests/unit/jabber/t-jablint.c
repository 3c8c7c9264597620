/* Unit tests for the lint and trim rules (with the shipped dictionary). */
#include <stdlib.h>
#include <string.h>

#include "jabber/jablint.h"
#include "unit.h"
#include "util/xmlsafe.h"

struct got {
	char checks[4096];
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
	    "</Options></config>", NULL, NULL, 0), "JC-CASE:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><EnableProximty>false</EnableProximty>"
	    "</Options></config>", NULL, NULL, 0), "JC-UNKNOWN:WARN@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Client><EnableProximity>false</EnableProximity>"
	    "</Client></config>", NULL, NULL, 0), "JC-PLACE:WARN@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><EnableProximity>no</EnableProximity>"
	    "</Options></config>", NULL, NULL, 0), "JC-VALUE:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Options><EnableProximity><x/></EnableProximity>"
	    "</Options></config>", NULL, NULL, 0), "JC-VALUE:FAIL@f:1");
	CHECK_STR(lint("<config version=\"1.0\"><Directory><ConnectionPassword>s3cret"
	    "</ConnectionPassword></Directory></config>", NULL, NULL, 0), "JC-PASSWORD:FAIL@f:1");
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

UNIT_MAIN(TEST(test_setup), TEST(test_each_check), TEST(test_profile), TEST(test_trim),
    TEST(test_distance), TEST(test_teardown))
