/* Unit tests for chatexport: HTML escaping and file names for room JIDs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatexport.h"
#include "unit.h"
#include "util/html.h"

static const char *
escaped(const char *in)
{
	static char out[512];
	FILE *fp;

	memset(out, 0, sizeof(out));
	fp = fmemopen(out, sizeof(out) - 1, "w");

	html_escape(fp, in);
	fclose(fp);
	return out;
}

static void
test_html_escape(void)
{
	CHECK_STR(escaped("<script>alert('x')</script>"),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	CHECK_STR(escaped("a & b \"c\""), "a &amp; b &quot;c&quot;");
	CHECK_STR(escaped("&lt;"), "&amp;lt;");
	CHECK_STR(escaped("line\nnext\ttab"), "line\nnext\ttab");
	CHECK_STR(escaped("bell\a esc\x1b[31m"), "bell\xef\xbf\xbd esc\xef\xbf\xbd[31m");
	CHECK_STR(escaped("café ☕"), "café ☕");
	CHECK_STR(escaped(""), "");
}

static void
test_file_names(void)
{
	char a[128], b[128];

	chatexport_file_name("dev-team@conference.example.com", a, sizeof(a));
	CHECK_STR(a, "dev-team@conference.example.com");
	/* unsafe characters are replaced and a hash keeps names apart */
	chatexport_file_name("../etc/passwd", a, sizeof(a));
	CHECK(strchr(a, '/') == NULL);
	CHECK(a[0] != '.');
	chatexport_file_name("a b@x", a, sizeof(a));
	chatexport_file_name("a_b@x", b, sizeof(b));
	CHECK_STR(b, "a_b@x");
	CHECK(strncmp(a, "a_b@x-", 6) == 0);
	CHECK(strcmp(a, b) != 0);
	chatexport_file_name("", a, sizeof(a));
	CHECK(a[0] == '_' && strlen(a) == 14);
	{
		char longjid[600];

		memset(longjid, 'r', sizeof(longjid) - 1);
		longjid[sizeof(longjid) - 1] = '\0';
		chatexport_file_name(longjid, a, sizeof(a));
		CHECK(strlen(a) < sizeof(a));
		longjid[300] = 's';
		chatexport_file_name(longjid, b, sizeof(b));
		CHECK(strcmp(a, b) != 0);
	}
}

static void
test_formats(void)
{
	CHECK_INT(chatexport_parse_format("html"), CHATEXPORT_HTML);
	CHECK_INT(chatexport_parse_format("jsonl"), CHATEXPORT_JSONL);
	CHECK_INT(chatexport_parse_format("txt"), CHATEXPORT_TXT);
	CHECK_INT(chatexport_parse_format("pdf"), -1);
	CHECK_STR(chatexport_ext(CHATEXPORT_TXT), "txt");
}

UNIT_MAIN(TEST(test_html_escape), TEST(test_file_names), TEST(test_formats))
