/* Unit tests for xmlsafe: XXE and entity bombs refused, damage reported, local-name lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/strbuf.h"
#include "util/xmlsafe.h"

static xmlDocPtr
parse(const char *s, struct j2w_err *err)
{
	err_clear(err);
	return xmlsafe_parse(s, strlen(s), "answer.xml", 0, err);
}

static const char soap[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
    " <soapenv:Body>\n"
    "  <ns:listUserResponse xmlns:ns=\"http://www.cisco.com/AXL/API/14.0\">\n"
    "   <return>\n"
    "    <user uuid=\"{1}\"><userid>jdoe</userid><mailid>jdoe@example.com</mailid>"
    "<firstName></firstName></user>\n"
    "    <user uuid=\"{2}\"><userid>asmith</userid><mailid/></user>\n"
    "    <other/>\n"
    "    <user uuid=\"{3}\"><userid>b&amp;c &lt;x&gt;</userid></user>\n"
    "   </return>\n"
    "  </ns:listUserResponse>\n"
    " </soapenv:Body>\n"
    "</soapenv:Envelope>\n";

static void
test_local_name_navigation(void)
{
	struct j2w_err err;
	xmlDocPtr doc = parse(soap, &err);
	xmlNodePtr root, ret, u;
	char *s;

	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	root = xmlDocGetRootElement(doc);
	CHECK(xml_find(root, "Envelope") == root);
	ret = xml_find(root, "return");
	CHECK(ret != NULL);
	CHECK(xml_child(xml_child(root, "Body"), "listUserResponse") != NULL);
	CHECK(xml_child(root, "listUserResponse") == NULL);	/* a child, not a descendant */
	u = xml_child(ret, "user");
	s = xml_child_text(u, "userid");
	CHECK_STR(s, "jdoe");
	free(s);
	CHECK(xml_child_text(u, "firstName") == NULL);	/* empty is absent */
	CHECK(xml_child_text(u, "lastName") == NULL);
	s = xml_text(xml_child(u, "firstName"));
	CHECK_STR(s, "");
	free(s);
	CHECK(xml_text(NULL) == NULL);
	u = xml_next_named(u);
	s = xml_child_text(u, "userid");
	CHECK_STR(s, "asmith");
	free(s);
	CHECK(xml_child_text(u, "mailid") == NULL);
	u = xml_next_named(u);	/* skips <other/> */
	s = xml_child_text(u, "userid");
	CHECK_STR(s, "b&c <x>");
	free(s);
	CHECK(xml_next_named(u) == NULL);
	CHECK(xml_child(NULL, "x") == NULL);
	CHECK(xml_find(NULL, "x") == NULL);
	xmlFreeDoc(doc);
}

static void
test_any_prefix_is_found(void)
{
	struct j2w_err err;
	xmlDocPtr doc = parse("<S:Envelope xmlns:S=\"urn:a\"><X:Body xmlns:X=\"urn:b\">"
	    "<axl:getUserResponse xmlns:axl=\"urn:c\"><return><user><userid>u1</userid>"
	    "</user></return></axl:getUserResponse></X:Body></S:Envelope>", &err);
	char *s;

	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	s = xml_child_text(xml_find(xmlDocGetRootElement(doc), "user"), "userid");
	CHECK_STR(s, "u1");
	free(s);
	CHECK(xml_find(xmlDocGetRootElement(doc), "getUserResponse") != NULL);
	CHECK(xml_find(xmlDocGetRootElement(doc), "axl:getUserResponse") == NULL);
	xmlFreeDoc(doc);
}

static void
check_refused(const char *xml, int line)
{
	struct j2w_err err;
	xmlDocPtr doc = parse(xml, &err);

	unit_check(doc == NULL, "document refused", __FILE__, line);
	unit_check_long(err.status, J2W_EDATA, "status", __FILE__, line);
	if (!unit_check(strstr(err.msg, "a DOCTYPE or entity declaration is not allowed") != NULL,
	    "message", __FILE__, line))
		printf("#   message: %s\n", err.msg);
	unit_check(strncmp(err.msg, "answer.xml:", sizeof("answer.xml:") - 1) == 0 &&
	    err.msg[sizeof("answer.xml:") - 1] >= '1' && err.msg[sizeof("answer.xml:") - 1] <= '9',
	    "prefix", __FILE__, line);
	unit_check(strstr(err.msg, "root:") == NULL, "no file content", __FILE__, line);
	xmlFreeDoc(doc);
}

static void
test_doctype_and_entities_refused(void)
{
	/* XXE */
	check_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
	    "<x>&e;</x>", __LINE__);
	/* billion laughs */
	check_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n<lolz>&lol9;</lolz>", __LINE__);
	/* external DTD: nothing may be fetched */
	check_refused("<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/evil.dtd\"><x/>", __LINE__);
	check_refused("<!DOCTYPE x PUBLIC \"-//X//Y\" \"file:///etc/passwd\"><x/>", __LINE__);
	/* parameter entities */
	check_refused("<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><x/>", __LINE__);
	/* even a bare DOCTYPE */
	check_refused("<!DOCTYPE x><x/>", __LINE__);
}

static void
test_undeclared_entity_and_xinclude_inert(void)
{
	struct j2w_err err;
	xmlDocPtr doc = parse("<x>&e;</x>", &err);
	char *s;

	CHECK(doc == NULL);
	CHECK(strstr(err.msg, "malformed XML") != NULL);
	doc = parse("<x xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
	    "<xi:include href=\"/etc/passwd\" parse=\"text\"/></x>", &err);
	CHECK(doc != NULL);
	s = xml_text(xmlDocGetRootElement(doc));
	CHECK_STR(s, "");
	free(s);
	xmlFreeDoc(doc);
}

static void
test_malformed_reported_with_line(void)
{
	struct j2w_err err;
	xmlDocPtr doc;

	doc = parse("<a>\n<b>\n<c>text</c>\n", &err);
	CHECK(doc == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strncmp(err.msg, "answer.xml:4: malformed XML: ", sizeof("answer.xml:4: malformed XML: ") - 1) == 0);
	doc = parse("<a>\n</b>", &err);
	CHECK(doc == NULL);
	CHECK(strncmp(err.msg, "answer.xml:2: malformed XML: ", sizeof("answer.xml:2: malformed XML: ") - 1) == 0);
	doc = parse("not xml at all", &err);
	CHECK(doc == NULL);
	CHECK(strncmp(err.msg, "answer.xml:1: malformed XML: ", sizeof("answer.xml:1: malformed XML: ") - 1) == 0);
	doc = parse("<a>caf\xe9</a>", &err);
	CHECK(doc == NULL);
	CHECK(strstr(err.msg, "malformed XML") != NULL);
	doc = parse("<a/><b/>", &err);
	CHECK(doc == NULL);
	doc = xmlsafe_parse("", 0, "answer.xml", 0, &err);
	CHECK(doc == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	doc = xmlsafe_parse("<a>\0</a>", 8, "answer.xml", 0, &err);
	CHECK(doc == NULL);
	CHECK_INT(err.status, J2W_EDATA);
}

static void
test_latin1_declared_is_converted(void)
{
	struct j2w_err err;
	xmlDocPtr doc = parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>", &err);
	char *s;

	CHECK(doc != NULL);
	s = xml_text(xmlDocGetRootElement(doc));
	CHECK_STR(s, "caf\xc3\xa9");
	free(s);
	xmlFreeDoc(doc);
}

static void
test_deep_nesting(void)
{
	struct j2w_err err;
	struct strbuf sb;
	xmlDocPtr doc;

	strbuf_init(&sb, 0);
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&sb, "<a>");
	for (int i = 0; i < 100000; i++)
		strbuf_addstr(&sb, "</a>");
	doc = xmlsafe_parse(sb.buf, sb.len, "deep.xml", 0, &err);
	CHECK(doc == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "deep.xml:1: malformed XML: ") == err.msg);

	/* a reasonable depth is fine, and xml_find walks it */
	strbuf_reset(&sb);
	for (int i = 0; i < 200; i++)
		strbuf_addstr(&sb, "<a>");
	strbuf_addstr(&sb, "<leaf>x</leaf>");
	for (int i = 0; i < 200; i++)
		strbuf_addstr(&sb, "</a>");
	doc = xmlsafe_parse(sb.buf, sb.len, "deep.xml", 0, &err);
	CHECK(doc != NULL);
	CHECK(xml_find(xmlDocGetRootElement(doc), "leaf") != NULL);
	xmlFreeDoc(doc);
	strbuf_release(&sb);
}

static void
test_big_text_node(void)
{
	struct j2w_err err;
	struct strbuf sb;
	xmlDocPtr doc;
	size_t n = (size_t)10 << 20;
	char *s;

	/* a 10 MiB text node is within XML_DOC_MAX: read whole, not cut */
	strbuf_init(&sb, 0);
	strbuf_addstr(&sb, "<a><b>");
	strbuf_grow(&sb, n + 16);
	memset(sb.buf + sb.len, 'k', n);
	sb.len += n;
	strbuf_addstr(&sb, "</b></a>");
	doc = xmlsafe_parse(sb.buf, sb.len, "big.xml", 0, &err);
	CHECK(doc != NULL);
	s = xml_child_text(xmlDocGetRootElement(doc), "b");
	CHECK_INT(s ? strlen(s) : 0, n);
	free(s);
	xmlFreeDoc(doc);

	/* the same cut short is damage */
	sb.len -= 10;
	doc = xmlsafe_parse(sb.buf, sb.len, "big.xml", 0, &err);
	CHECK(doc == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "big.xml:1: malformed XML: ") == err.msg);
	strbuf_release(&sb);
}

static void
test_blanks(void)
{
	struct j2w_err err;
	xmlDocPtr doc = xmlsafe_parse("<a>\n  <b>x</b>\n</a>", 19, "b.xml", 1, &err);

	CHECK(doc != NULL);
	CHECK(xmlDocGetRootElement(doc)->children->type == XML_TEXT_NODE);
	xmlFreeDoc(doc);
	doc = xmlsafe_parse("<a>\n  <b>x</b>\n</a>", 19, "b.xml", 0, &err);
	CHECK(doc != NULL);
	CHECK(xmlDocGetRootElement(doc)->children->type == XML_ELEMENT_NODE);
	xmlFreeDoc(doc);
}

UNIT_MAIN(TEST(test_local_name_navigation), TEST(test_any_prefix_is_found),
    TEST(test_doctype_and_entities_refused), TEST(test_undeclared_entity_and_xinclude_inert),
    TEST(test_malformed_reported_with_line), TEST(test_latin1_declared_is_converted),
    TEST(test_deep_nesting), TEST(test_big_text_node), TEST(test_blanks))
