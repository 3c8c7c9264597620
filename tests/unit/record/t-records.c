/* Unit tests for input records: JSON Lines or CSV, told apart by the first byte. */
#include <stdio.h>
#include <string.h>

#include "record/records.h"
#include "unit.h"

struct got {
	int n;
	char first[256];
	char source[64];
};

static int
take(const json_t *rec, const char *source, void *ctx)
{
	struct got *g = ctx;
	char *s;

	if (g->n++ == 0) {
		s = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
		snprintf(g->first, sizeof(g->first), "%s", s != NULL ? s : "");
		free(s);
		snprintf(g->source, sizeof(g->source), "%s", source);
	}
	return 0;
}

/* Reads text as the file "in.csv"; returns records_read's value, with what came in g. */
static int
read_text(const char *text, size_t len, struct got *g, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	int rc;

	memset(g, 0, sizeof(*g));
	rc = records_read(fp, "in.csv", take, g, err);
	fclose(fp);
	return rc;
}

#define READ(text, g, err) read_text(text, sizeof(text) - 1, g, err)

static void
test_csv_with_bom_and_crlf(void)
{
	struct got g;
	struct j2w_err err;

	CHECK_INT(READ("\xef\xbb\xbf" "Email,Calling Behavior\r\na@example.com,ucm\r\n", &g, &err), 0);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.first, "{\"calling_behavior\":\"ucm\",\"email\":\"a@example.com\"}");
	CHECK_STR(g.source, "in.csv:2");
	/* blank lines before the header still count: sources name the file's own lines */
	CHECK_INT(READ("\r\n\nemail\na@example.com\n", &g, &err), 0);
	CHECK_STR(g.source, "in.csv:4");
}

/* j2w-users --format csv read back: the record JSON Lines would have given */
static void
test_user_csv_is_typed(void)
{
	struct got g;
	struct j2w_err err;

	CHECK_INT(READ("userid,mailid,home_cluster,im_presence_enabled,devices\n"
	    "ann,ann@example.com,false,t,CSFANN:CSF;SEP00AA:Cisco 8845;BOTX\n", &g, &err), 0);
	CHECK_STR(g.first, "{\"devices\":[{\"name\":\"CSFANN\",\"type\":\"CSF\"},"
	    "{\"name\":\"SEP00AA\",\"type\":\"Cisco 8845\"},{\"name\":\"BOTX\"}],"
	    "\"home_cluster\":false,\"im_presence_enabled\":true,\"mailid\":\"ann@example.com\","
	    "\"userid\":\"ann\"}");
	/* a cell guarded against spreadsheet formulas reads back as it was */
	CHECK_INT(READ("userid,department\nann,'=HYPERLINK(1)\n", &g, &err), 0);
	CHECK_STR(g.first, "{\"department\":\"=HYPERLINK(1)\",\"userid\":\"ann\"}");
	CHECK_INT(READ("userid,department\nann,'Sales\n", &g, &err), 0);
	CHECK_STR(g.first, "{\"department\":\"'Sales\",\"userid\":\"ann\"}");
	/* a value that is no boolean stays as it was, for the command to report */
	CHECK_INT(READ("userid,home_cluster\nann,maybe\n", &g, &err), 0);
	CHECK_STR(g.first, "{\"home_cluster\":\"maybe\",\"userid\":\"ann\"}");
}

static void
test_jsonl(void)
{
	struct got g;
	struct j2w_err err;

	CHECK_INT(READ("\n{\"userid\":\"a\"}\n{\"userid\":\"b\"}\n", &g, &err), 0);
	CHECK_INT(g.n, 2);
	CHECK_STR(g.source, "in.csv:2");
	CHECK_INT(READ("{\"userid\":\n", &g, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
}

static void
test_empty_input_is_no_error(void)
{
	struct got g;
	struct j2w_err err;

	CHECK_INT(READ("", &g, &err), 0);
	CHECK_INT(READ("\xef\xbb\xbf\r\n\r\n", &g, &err), 0);
	CHECK_INT(g.n, 0);
	/* a header alone: no records, no error */
	CHECK_INT(READ("email,calling_behavior\n", &g, &err), 0);
	CHECK_INT(g.n, 0);
}

static void
test_a_header_that_names_nobody(void)
{
	struct got g;
	struct j2w_err err;

	CHECK_INT(READ("foo,bar\n1,2\n", &g, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:1: the header names no column j2w reads (such as email, "
	    "webex_email, userid or owner): is this the right file? (a CUCM export goes through "
	    "j2w-users first)");
	CHECK_INT(g.n, 0);
	CHECK_INT(READ("foo,bar\n", &g, &err), -1);
	/* one known column is enough, in any case and spelling with spaces */
	CHECK_INT(READ("Directory URI,x\nd@example.com,1\n", &g, &err), 0);
	CHECK_INT(g.n, 1);
}

static void
test_a_first_row_of_data(void)
{
	struct got g;
	struct j2w_err err;

	CHECK_INT(READ("a@example.com,ucm,EMEA\n", &g, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "in.csv:1: the first row is data ('a@example.com')") != NULL);
}

static void
test_hostile_cells(void)
{
	struct got g;
	struct j2w_err err;

	/* not UTF-8, and a NUL byte inside a cell */
	CHECK_INT(READ("email,name\na@example.com,\xff\xfe\n", &g, &err), -1);
	CHECK_STR(err.msg, "in.csv:2: column 'name' is not UTF-8 text");
	CHECK_INT(READ("email,name\na@example.com,x\0y\n", &g, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	/* an open quote at the end of the file */
	CHECK_INT(READ("email,name\na@example.com,\"x\n", &g, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	/* a row shorter than the header keeps the cells it has */
	CHECK_INT(READ("email,name\na@example.com\n", &g, &err), 0);
	CHECK_STR(g.first, "{\"email\":\"a@example.com\"}");
}

UNIT_MAIN(TEST(test_csv_with_bom_and_crlf), TEST(test_user_csv_is_typed), TEST(test_jsonl), TEST(test_empty_input_is_no_error),
    TEST(test_a_header_that_names_nobody), TEST(test_a_first_row_of_data),
    TEST(test_hostile_cells))
