/* Unit tests for AXL: request text, answers, faults, hostile answers. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cucm/axl.h"
#include "unit.h"
#include "util/secret.h"
#include "util/xmlsafe.h"

static void
test_list_user_request(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	CHECK_INT(axl_build_list_user(&sb, "12.5", 7, 1000, 500), 0);
	CHECK(strstr(sb.buf, "xmlns:ns=\"http://www.cisco.com/AXL/API/12.5\"") != NULL);
	CHECK(strstr(sb.buf, "<ns:listUser sequence=\"7\"><searchCriteria><userid>%</userid>"
	    "</searchCriteria><returnedTags><firstName/><lastName/><userid/>") != NULL);
	CHECK(strstr(sb.buf, "<skip>1000</skip><first>500</first></ns:listUser>") != NULL);
	strbuf_release(&sb);
}

static void
test_sql_request_is_escaped_and_checked(void)
{
	const char *good[] = { "f5653a7d-1d91-f407-631f-01b29dc25eaa", "083c72b4-ea4c-d7f5-84dd-751c9ebc1562" };
	const char *evil[] = { "x') OR 1=1 --" };
	const char *upper[] = { "F5653A7D-1D91-F407-631F-01B29DC25EAA" };
	struct strbuf sql, body;

	strbuf_init(&sql, 0);
	strbuf_init(&body, 0);
	CHECK_INT(axl_build_device_sql(&sql, good, 2), 0);
	CHECK(strstr(sql.buf, "WHERE eu.pkid IN ('f5653a7d-1d91-f407-631f-01b29dc25eaa',"
	    "'083c72b4-ea4c-d7f5-84dd-751c9ebc1562') ORDER BY eu.pkid, d.name") != NULL);
	strbuf_reset(&sql);
	CHECK_INT(axl_build_device_sql(&sql, evil, 1), -1);
	strbuf_reset(&sql);
	CHECK_INT(axl_build_device_sql(&sql, upper, 1), -1);
	CHECK_INT(axl_build_sql(&body, "12.5", 1, "SELECT a FROM t WHERE x < 1 & y > 2"), 0);
	CHECK(strstr(body.buf, "<sql>SELECT a FROM t WHERE x &lt; 1 &amp; y &gt; 2</sql>") != NULL);
	strbuf_release(&sql);
	strbuf_release(&body);
}

static const char list_answer[] =
    "<?xml version='1.0' encoding='UTF-8'?>"
    "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body>"
    "<axl:listUserResponse xmlns:axl=\"http://www.cisco.com/AXL/API/12.5\" sequence=\"1\"><return>"
    "<user uuid=\"{F5653A7D-1D91-F407-631F-01B29DC25EAA}\"><firstName>Jos\xc3\xa9</firstName>"
    "<lastName>N&amp;&#250;&#241;ez</lastName><userid>jnunez</userid><mailid/>"
    "<primaryExtension><pattern>4001</pattern><routePartitionName>PT</routePartitionName></primaryExtension>"
    "<homeCluster>true</homeCluster><imAndPresenceEnable>f</imAndPresenceEnable>"
    "<serviceProfile uuid=\"{6A8E9D3C-0000-0000-0000-000000000001}\">SP_Jabber</serviceProfile>"
    "<directoryUri>J.Nunez@Example.com</directoryUri><telephoneNumber/></user>"
    "<user uuid=\"{083C72B4-EA4C-D7F5-84DD-751C9EBC1562}\"><userid></userid></user>"
    "</return></axl:listUserResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>";

static void
test_list_answer_any_prefix(void)
{
	struct axl_fault fault;
	struct j2w_err err;
	xmlDocPtr doc;
	xmlNodePtr ret, n;
	struct user u;

	CHECK_INT(axl_parse_answer(list_answer, sizeof(list_answer) - 1, &doc, &ret, &fault, &err), 0);
	n = xml_child(ret, "user");
	user_init(&u);
	CHECK_INT(axl_user_from_node(n, "axl:cucm-a", &u), 0);
	CHECK_STR(u.userid, "jnunez");
	CHECK_STR(u.first_name, "Jos\xc3\xa9");
	CHECK_STR(u.last_name, "N&\xc3\xba\xc3\xb1" "ez");
	CHECK(u.mailid == NULL);
	CHECK_STR(u.primary_extension, "4001");
	CHECK_INT(u.home_cluster, 1);
	CHECK_INT(u.im_presence_enabled, 0);
	CHECK_STR(u.service_profile, "SP_Jabber");
	CHECK_STR(u.directory_uri, "J.Nunez@Example.com");
	CHECK_STR(u.uuid, "{F5653A7D-1D91-F407-631F-01B29DC25EAA}");
	CHECK_STR(u.source, "axl:cucm-a");
	user_release(&u);
	user_init(&u);
	CHECK_INT(axl_user_from_node(xml_next_named(n), "axl:cucm-a", &u), 1);
	user_release(&u);
	xmlFreeDoc(doc);
}

/*
 * AXL answers an E.164 line with CUCM's escaped plus; a uuid that is not a
 * GUID (or none) makes the user unusable: its devices cannot be asked for.
 */
static void
test_numbers_and_bad_uuids(void)
{
	static const char answer[] =
	    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
	    "<ns:listUserResponse xmlns:ns=\"http://www.cisco.com/AXL/API/12.5\"><return>"
	    "<user uuid=\"{6B0D2C1E-3F4A-4B5C-9D6E-7F8091A2B3C4}\"><userid>pmeyer</userid>"
	    "<primaryExtension><pattern>\\+14922010003</pattern><routePartitionName>PT_E164"
	    "</routePartitionName></primaryExtension><telephoneNumber>\\+14922010003</telephoneNumber></user>"
	    "<user uuid=\"{NOT-A-GUID}\"><userid>bad</userid></user>"
	    "<user><userid>nouuid</userid></user>"
	    "<user uuid=\"{6b0d2c1e-3f4a-4b5c-9d6e-7f8091a2b3c4}\"><userid>lower</userid></user>"
	    "</return></ns:listUserResponse></soapenv:Body></soapenv:Envelope>";
	struct axl_fault fault;
	struct j2w_err err;
	xmlDocPtr doc;
	xmlNodePtr ret, n;
	struct user u;

	CHECK_INT(axl_parse_answer(answer, sizeof(answer) - 1, &doc, &ret, &fault, &err), 0);
	n = xml_child(ret, "user");
	user_init(&u);
	CHECK_INT(axl_user_from_node(n, "axl:cucm", &u), 0);
	CHECK_STR(u.primary_extension, "+14922010003");
	CHECK_STR(u.telephone_number, "+14922010003");
	user_release(&u);
	n = xml_next_named(n);
	CHECK_INT(axl_user_from_node(n, "axl:cucm", &u), 2);
	CHECK_STR(u.userid, "bad");
	CHECK_STR(u.uuid, "{NOT-A-GUID}");
	user_release(&u);
	n = xml_next_named(n);
	CHECK_INT(axl_user_from_node(n, "axl:cucm", &u), 2);
	CHECK(u.uuid == NULL);
	user_release(&u);
	n = xml_next_named(n);
	CHECK_INT(axl_user_from_node(n, "axl:cucm", &u), 0);
	CHECK_STR(u.uuid, "{6B0D2C1E-3F4A-4B5C-9D6E-7F8091A2B3C4}");
	user_release(&u);
	xmlFreeDoc(doc);
}

static void
test_fault_and_too_large(void)
{
	static const char fault_xml[] =
	    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
	    "<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>Item not valid: The "
	    "specified User was not found</faultstring><detail><axlError><axlcode>5007</axlcode>"
	    "<axlmessage>Item not valid: The specified User was not found</axlmessage>"
	    "<request>getUser</request></axlError></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
	static const char big_xml[] =
	    "<Envelope><Body><Fault><faultcode>Server</faultcode><faultstring>Query request too large. "
	    "Total rows matched: 21000 rows. Suggested row fetch: less than 5000 rows</faultstring>"
	    "</Fault></Body></Envelope>";
	struct axl_fault fault;
	struct j2w_err err;
	xmlDocPtr doc;
	xmlNodePtr ret;
	unsigned long suggested = 0;

	CHECK_INT(axl_parse_answer(fault_xml, sizeof(fault_xml) - 1, &doc, &ret, &fault, &err), 1);
	CHECK(doc == NULL);
	CHECK_INT(fault.axlcode, 5007);
	CHECK_STR(fault.message, "Item not valid: The specified User was not found");
	CHECK_INT(axl_fault_too_large(&fault, &suggested), 0);
	CHECK_INT(axl_parse_answer(big_xml, sizeof(big_xml) - 1, &doc, &ret, &fault, &err), 1);
	CHECK_INT(fault.axlcode, 0);
	CHECK_INT(axl_fault_too_large(&fault, &suggested), 1);
	CHECK_INT(suggested, 5000);
	snprintf(fault.message, sizeof(fault.message), "Query Request Too Large");
	CHECK_INT(axl_fault_too_large(&fault, &suggested), 1);
	CHECK_INT(suggested, 0);
}

static void
test_hostile_answers(void)
{
	const char *bad[] = {
		/* XXE */
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
		"<Envelope><Body><r><return><user><userid>&e;</userid></user></return></r></Body></Envelope>",
		/* entity expansion */
		"<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		"<Envelope><Body><r><return>&b;</return></r></Body></Envelope>",
		/* truncated */
		"<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><r><return><user>",
		/* the HTML page a 401 comes with */
		"<html><head><title>Apache Tomcat - Error report</title></head><body><h1>HTTP Status 401</h1></body></html>",
		/* an envelope with no return */
		"<Envelope><Body><listUserResponse/></Body></Envelope>",
		"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct axl_fault fault;
		struct j2w_err err;
		xmlDocPtr doc = NULL;
		xmlNodePtr ret;

		CHECK_INT(axl_parse_answer(bad[i], strlen(bad[i]), &doc, &ret, &fault, &err), -1);
		CHECK_INT(err.status, J2W_EDATA);
		CHECK(doc == NULL);
	}
}

static void
test_credentials(void)
{
	const char *path = unit_tmpfile("axl-credentials");
	char *user = NULL, *password = NULL;
	struct j2w_err err;

	unsetenv("AXL_USER");
	unsetenv("AXL_PASSWORD");
	CHECK_INT(axl_credentials(NULL, &user, &password, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "no AXL credentials: set AXL_USER and AXL_PASSWORD or give "
	    "--axl-credentials FILE");
	setenv("AXL_USER", "admin", 1);
	setenv("AXL_PASSWORD", "", 1);
	CHECK_INT(axl_credentials(NULL, &user, &password, &err), -1);
	setenv("AXL_PASSWORD", "s3cret:x", 1);
	CHECK_INT(axl_credentials(NULL, &user, &password, &err), 0);
	CHECK_STR(user, "admin");
	CHECK_STR(password, "s3cret:x");
	secret_free(user);
	secret_free(password);

	/* a file wins over the environment */
	CHECK_INT(unit_write_file(path, "axl:pw:with:colons\n", 19), 0);
	chmod(path, 0600);
	CHECK_INT(axl_credentials(path, &user, &password, &err), 0);
	CHECK_STR(user, "axl");
	CHECK_STR(password, "pw:with:colons");
	secret_free(user);
	secret_free(password);
	/* one that others can read is refused, as every secret file is */
	chmod(path, 0644);
	CHECK_INT(axl_credentials(path, &user, &password, &err), -1);
	CHECK(user == NULL && password == NULL);
	chmod(path, 0600);
	CHECK_INT(unit_write_file(path, "no-colon\n", 9), 0);
	CHECK_INT(axl_credentials(path, &user, &password, &err), -1);
	CHECK(user == NULL && password == NULL);
	remove(path);
	unsetenv("AXL_USER");
	unsetenv("AXL_PASSWORD");
}

UNIT_MAIN(TEST(test_list_user_request), TEST(test_sql_request_is_escaped_and_checked),
    TEST(test_list_answer_any_prefix),
    TEST(test_numbers_and_bad_uuids), TEST(test_fault_and_too_large), TEST(test_hostile_answers),
    TEST(test_credentials))
