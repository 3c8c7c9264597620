/* Unit tests for the jabber-config document model: mapping, edits, hostile input. */
#include <stdlib.h>
#include <string.h>

#include "jabber/jabcfg.h"
#include "unit.h"
#include "util/xmlsafe.h"

static int
parse(struct jabcfg_doc *d, const char *text, struct j2w_err *err)
{
	return jabcfg_parse(d, text, strlen(text), "t.xml", err);
}

static void
test_map_offsets_lines_values(void)
{
	static const char text[] =
	    "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
	    "<!-- a <comment> with > and < -->\n"
	    "<config version='1.0'>\n"
	    "  <Options a=\"x>y\">\n"
	    "    <A>  1 &amp; 2 </A>\n"
	    "    <B/>\n"
	    "    <C><![CDATA[<raw>]]></C>\n"
	    "  </Options>\n"
	    "</config>\n";
	struct jabcfg_doc d;
	struct j2w_err err;
	char *v;

	xmlsafe_init();
	CHECK_INT(parse(&d, text, &err), 0);
	CHECK_INT(d.n, 5);
	CHECK_STR(d.el[0].name, "config");
	CHECK_INT(d.el[0].line, 3);
	CHECK_STR(d.el[1].name, "Options");
	CHECK_INT(d.el[1].depth, 1);
	CHECK_INT(d.el[1].nchildren, 3);
	CHECK_STR(d.el[2].name, "A");
	CHECK_INT(d.el[2].line, 5);
	CHECK_INT(d.el[2].parent, 1);
	CHECK(strncmp(text + d.el[2].start, "<A>", 3) == 0);
	CHECK(strncmp(text + d.el[2].etag_start, "</A>", 4) == 0);
	CHECK(d.el[3].empty);
	CHECK_INT(d.el[3].line, 6);
	v = jabcfg_value(&d, 2);
	CHECK_STR(v, "1 & 2");
	free(v);
	v = jabcfg_value(&d, 4);
	CHECK_STR(v, "<raw>");
	free(v);
	v = jabcfg_attr(&d, 0, "version");
	CHECK_STR(v, "1.0");
	free(v);
	CHECK(jabcfg_attr(&d, 0, "nope") == NULL);
	CHECK_INT(jabcfg_child(&d, 0, "Options"), 1);
	CHECK_INT(jabcfg_child(&d, 1, "C"), 4);
	CHECK_INT(jabcfg_child(&d, 0, "A"), -1);
	CHECK(!d.crlf);
	jabcfg_release(&d);
}

static void
test_hostile_input_refused(void)
{
	static const struct { const char *text; const char *msg; } bad[] = {
		{ "<!DOCTYPE config [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><config>&x;</config>",
		  "t.xml:1: a DOCTYPE or entity declaration is not allowed" },
		{ "<!DOCTYPE config [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><config>&b;</config>",
		  "t.xml:1: a DOCTYPE" },
		{ "<!DOCTYPE config SYSTEM \"http://127.0.0.1:1/x.dtd\"><config/>", "t.xml:1: a DOCTYPE" },
		{ "<config>\n<A>&</A></config>", "t.xml:2: malformed XML" },
		{ "<config><A></B></config>", "t.xml:1: malformed XML" },
		{ "<config>\n\n<A>caf\xe9</A></config>", "t.xml:3: not UTF-8" },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><config/>", "t.xml:1: declares encoding" },
		{ "", "t.xml:1: empty file" },
		{ "   \n", "t.xml:2: malformed XML" },
		{ "<config>&#0;</config>", "t.xml:1: malformed XML" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct jabcfg_doc d;
		struct j2w_err err;

		CHECK_INT(parse(&d, bad[i].text, &err), -1);
		CHECK_INT(err.status, J2W_EDATA);
		if (!CHECK(strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) == 0))
			unit_check(0, err.msg, __FILE__, __LINE__);
	}
	{
		struct jabcfg_doc d;
		struct j2w_err err;

		CHECK_INT(jabcfg_parse(&d, "<config>\0</config>", 18, "t.xml", &err), -1);
	}
	{
		/* deep nesting is refused, not a stack overflow */
		size_t depth = 5000, n = 0;
		char *deep = malloc(depth * 7 + 16);
		struct jabcfg_doc d;
		struct j2w_err err;

		for (size_t i = 0; i < depth; i++)
			n += (size_t)snprintf(deep + n, 8, "<a>");
		for (size_t i = 0; i < depth; i++)
			n += (size_t)snprintf(deep + n, 8, "</a>");
		CHECK_INT(jabcfg_parse(&d, deep, n, "t.xml", &err), -1);
		free(deep);
	}
}

static char *
set(const char *text, const char *group, const char *param, const char *value, int *rc)
{
	struct jabcfg_doc d;
	struct j2w_err err;
	char *out;

	if (parse(&d, text, &err) < 0)
		return strdup(err.msg);
	*rc = jabcfg_set(&d, group, param, value, "t.xml", &err);
	out = *rc < 0 ? strdup(err.msg) : strndup(d.buf, d.len);
	jabcfg_release(&d);
	return out;
}

static void
test_set_cases(void)
{
	static const struct { const char *in, *g, *p, *v, *out; int rc; } cases[] = {
		/* replace in place, spacing kept */
		{ "<config>\n  <Policies>\n    <X>false</X>\n  </Policies>\n</config>\n",
		  "Policies", "X", "true",
		  "<config>\n  <Policies>\n    <X>true</X>\n  </Policies>\n</config>\n", 1 },
		/* already there: nothing changes, not even odd spacing */
		{ "<config><Policies><X>  true </X></Policies></config>", "Policies", "X", "true",
		  "<config><Policies><X>  true </X></Policies></config>", 0 },
		/* appended after the last child, same indentation, tabs */
		{ "<config>\n\t<Policies>\n\t\t<A>1</A>\n\t</Policies>\n</config>\n", "Policies", "X", "1",
		  "<config>\n\t<Policies>\n\t\t<A>1</A>\n\t\t<X>1</X>\n\t</Policies>\n</config>\n", 1 },
		/* self-closing element filled, attributes kept */
		{ "<config><Policies><X a=\"1\" /></Policies></config>", "Policies", "X", "v",
		  "<config><Policies><X a=\"1\">v</X></Policies></config>", 1 },
		/* new group in an empty root */
		{ "<config version=\"1.0\">\n</config>\n", "Options", "X", "1",
		  "<config version=\"1.0\">\n  <Options>\n    <X>1</X>\n  </Options>\n</config>\n", 1 },
		/* self-closed root */
		{ "<config version=\"1.0\"/>", "Options", "X", "1",
		  "<config version=\"1.0\"><Options><X>1</X></Options></config>", 1 },
		/* escaping */
		{ "<config><Directory/></config>", "Directory", "F", "(&(a<b))",
		  "<config><Directory><F>(&amp;(a&lt;b))</F></Directory></config>", 1 },
		/* found in another group: updated where it is */
		{ "<config><Options><X>0</X></Options></config>", "Policies", "X", "1",
		  "<config><Options><X>1</X></Options></config>", 1 },
		/* every copy of a duplicate is set */
		{ "<config><Policies><X>0</X><X>2</X></Policies></config>", "Policies", "X", "1",
		  "<config><Policies><X>1</X><X>1</X></Policies></config>", 1 },
		/* CRLF file gets CRLF */
		{ "<config>\r\n  <Policies>\r\n  </Policies>\r\n</config>\r\n", "Policies", "X", "1",
		  "<config>\r\n  <Policies>\r\n    <X>1</X>\r\n  </Policies>\r\n</config>\r\n", 1 },
		/* a spelling that differs only in case is the same parameter: set, spelling kept */
		{ "<config><Client><prtlogserverurl>a</prtlogserverurl></Client></config>", "Client",
		  "PrtLogServerURL", "b",
		  "<config><Client><prtlogserverurl>b</prtlogserverurl></Client></config>", 1 },
		{ "<config><Client><PrtLogServerUrl>b</PrtLogServerUrl></Client></config>", "Client",
		  "PrtLogServerURL", "b",
		  "<config><Client><PrtLogServerUrl>b</PrtLogServerUrl></Client></config>", 0 },
		/* an empty group gets the parameters' step, not the groups' (Cisco's 14.1 example) */
		{ "<config>\n <Client>\n    <A>1</A>\n </Client>\n <Policies>\n </Policies>\n</config>\n",
		  "Policies", "X", "1",
		  "<config>\n <Client>\n    <A>1</A>\n </Client>\n <Policies>\n    <X>1</X>\n </Policies>\n"
		  "</config>\n", 1 },
		/* a new group next to groups at column 0, parameters a tab in */
		{ "<config>\n<Client>\n\t<A>1</A>\n</Client>\n</config>\n", "Policies", "X", "1",
		  "<config>\n<Client>\n\t<A>1</A>\n</Client>\n<Policies>\n\t<X>1</X>\n</Policies>\n"
		  "</config>\n", 1 },
		/* groups two spaces in, parameters four more */
		{ "<config>\n  <Client>\n      <A>1</A>\n  </Client>\n</config>\n", "Policies", "X", "1",
		  "<config>\n  <Client>\n      <A>1</A>\n  </Client>\n  <Policies>\n      <X>1</X>\n"
		  "  </Policies>\n</config>\n", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = -9;
		char *out = set(cases[i].in, cases[i].g, cases[i].p, cases[i].v, &rc);

		CHECK_STR(out, cases[i].out);
		CHECK_INT(rc, cases[i].rc);
		free(out);
	}
}

static void
test_remove_and_settings(void)
{
	static const char text[] =
	    "<config>\n  <Options>\n    <A>1</A>\n    <B>2</B> <!-- keep -->\n  </Options>\n</config>\n";
	struct jabcfg_doc d;
	struct j2w_err err;
	struct jabcfg_setting *s;
	size_t n;

	CHECK_INT(parse(&d, text, &err), 0);
	CHECK_INT(jabcfg_settings(&d, &s, &n, &err), 0);
	CHECK_INT(n, 2);
	CHECK_STR(s[1].group, "Options");
	CHECK_STR(s[1].param, "B");
	CHECK_STR(s[1].value, "2");
	CHECK_INT(s[1].line, 4);
	jabcfg_settings_free(s, n);
	CHECK_INT(jabcfg_remove(&d, 2, "t.xml", &err), 0);
	CHECK_STR(d.buf, "<config>\n  <Options>\n    <B>2</B> <!-- keep -->\n  </Options>\n</config>\n");
	CHECK_INT(jabcfg_remove(&d, 2, "t.xml", &err), 0);	/* shares its line: only the element */
	CHECK_STR(d.buf, "<config>\n  <Options>\n     <!-- keep -->\n  </Options>\n</config>\n");
	jabcfg_release(&d);
}

/* Removing what a blank line set apart takes one of the blank lines with it. */
static void
test_remove_blank_lines(void)
{
	static const struct { const char *in; size_t el; const char *out; } cases[] = {
		/* between two groups, blank lines on both sides */
		{ "<config>\n  <A/>\n\n  <B/>\n\n  <C/>\n</config>\n", 2,
		  "<config>\n  <A/>\n\n  <C/>\n</config>\n" },
		/* the first child: the blank line after it goes */
		{ "<config>\n  <A/>\n\n  <B/>\n</config>\n", 1, "<config>\n  <B/>\n</config>\n" },
		/* the last child: the blank line before it goes */
		{ "<config>\n  <A/>\n\n  <B/>\n</config>\n", 2, "<config>\n  <A/>\n</config>\n" },
		/* CRLF and blanks on the blank lines */
		{ "<config>\r\n  <A/>\r\n  \r\n  <B/>\r\n \t\r\n  <C/>\r\n</config>\r\n", 2,
		  "<config>\r\n  <A/>\r\n  \r\n  <C/>\r\n</config>\r\n" },
		/* no blank lines: only the element's line */
		{ "<config>\n  <A/>\n  <B/>\n  <C/>\n</config>\n", 2,
		  "<config>\n  <A/>\n  <C/>\n</config>\n" },
		/* a comment above stays, and so does the blank line that sets it apart */
		{ "<config>\n  <A/>\n\n  <!-- b -->\n  <B/>\n  <C/>\n</config>\n", 2,
		  "<config>\n  <A/>\n\n  <!-- b -->\n  <C/>\n</config>\n" },
		/* a blank line only before, more children after: kept */
		{ "<config>\n  <A/>\n\n  <B/>\n  <C/>\n</config>\n", 2,
		  "<config>\n  <A/>\n\n  <C/>\n</config>\n" },
		/* the last line of a file without a final newline */
		{ "<config><A/>\n\n<B/></config>", 2, "<config><A/>\n\n</config>" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct jabcfg_doc d;
		struct j2w_err err;

		CHECK_INT(parse(&d, cases[i].in, &err), 0);
		CHECK_INT(jabcfg_remove(&d, cases[i].el, "t.xml", &err), 0);
		CHECK_STR(d.buf, cases[i].out);
		jabcfg_release(&d);
	}
}

static void
test_escape(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	CHECK_INT(jabcfg_escape(&sb, "a&b<c>d\"e'"), 0);
	CHECK_STR(sb.buf, "a&amp;b&lt;c&gt;d\"e'");
	strbuf_release(&sb);
}

UNIT_MAIN(TEST(test_map_offsets_lines_values), TEST(test_hostile_input_refused),
    TEST(test_set_cases), TEST(test_remove_and_settings), TEST(test_remove_blank_lines),
    TEST(test_escape))
