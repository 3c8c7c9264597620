/* Unit tests for findings: severities, and findings written as JSON Lines or TSV and counted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/findings.h"
#include "unit.h"

static void
test_severities(void)
{
	enum severity s;

	CHECK_INT(severity_parse("warn", &s), 0);
	CHECK_INT(s, SEV_WARN);
	CHECK_INT(severity_parse("FATAL", &s), -1);
	CHECK_STR(severity_name(SEV_ERROR), "ERROR");
	CHECK(severity_trips(SEV_ERROR, SEV_FAIL));
	CHECK(!severity_trips(SEV_WARN, SEV_FAIL));
}

static void
test_out_jsonl(void)
{
	struct findings_out o = { .fail_on = SEV_FAIL };
	json_t *f = finding_new("t", "X-ONE", SEV_WARN, "a.com", NULL, "one", NULL);
	json_t *g = finding_new("t", "X-TWO", SEV_FAIL, "b.com", "internal", "two", NULL);
	json_t *h = json_pack("{s:s}", "check", "NO-SEVERITY");

	o.fp = tmpfile();
	CHECK_INT(findings_out_header(&o, NULL), 0);
	CHECK_INT(findings_out_put(&o, f), 0);
	CHECK_INT(o.tripped, 0);
	CHECK_INT(findings_out_put(&o, g), 0);
	CHECK_INT(findings_out_put(&o, h), 0);
	CHECK_STR(unit_written(o.fp),
	    "{\"tool\":\"t\",\"check\":\"X-ONE\",\"severity\":\"WARN\",\"subject\":\"a.com\","
	    "\"message\":\"one\"}\n"
	    "{\"tool\":\"t\",\"check\":\"X-TWO\",\"severity\":\"FAIL\",\"subject\":\"b.com\","
	    "\"view\":\"internal\",\"message\":\"two\"}\n"
	    "{\"check\":\"NO-SEVERITY\"}\n");
	CHECK_INT(o.count[SEV_WARN], 1);
	CHECK_INT(o.count[SEV_FAIL], 1);
	CHECK_INT(o.count[SEV_OK] + o.count[SEV_INFO] + o.count[SEV_ERROR], 0);
	CHECK_INT(o.tripped, 1);
	fclose(o.fp);
	json_decref(f);
	json_decref(g);
	json_decref(h);
}

static void
test_out_tsv(void)
{
	static const char *const keys[] = { "subject", "severity", "check", "message" };
	static const char *const names[] = { "location", "severity", "check", "message" };
	struct findings_out o = { .delim = '\t', .keys = keys, .ncols = 4, .fail_on = SEV_ERROR };
	json_t *f = finding_new("t", "X-ONE", SEV_FAIL, "f.xml:3", NULL, "tab\there", NULL);

	o.fp = tmpfile();
	CHECK_INT(findings_out_header(&o, names), 0);
	CHECK_INT(findings_out_put(&o, f), 0);
	/* a missing key is an empty cell; TSV escapes a tab in a cell */
	CHECK_STR(unit_written(o.fp), "location\tseverity\tcheck\tmessage\n"
	    "f.xml:3\tFAIL\tX-ONE\ttab\\there\n");
	CHECK_INT(o.count[SEV_FAIL], 1);
	CHECK_INT(o.tripped, 0);
	fclose(o.fp);
	json_decref(f);
}

static void
test_out_csv(void)
{
	static const char *const keys[] = { "subject", "check", "message" };
	struct findings_out o = { .delim = ',', .keys = keys, .ncols = 3, .fail_on = SEV_FAIL };
	json_t *f = finding_new("t", "X-ONE", SEV_FAIL, "=cmd|' /C calc'!A0", NULL,
	    "a, \"quoted\" message", NULL);

	o.fp = tmpfile();
	CHECK_INT(findings_out_header(&o, keys), 0);
	CHECK_INT(findings_out_put(&o, f), 0);
	/* RFC 4180 quoting, CRLF, and a cell that would be a formula is made text */
	CHECK_STR(unit_written(o.fp), "subject,check,message\r\n"
	    "'=cmd|' /C calc'!A0,X-ONE,\"a, \"\"quoted\"\" message\"\r\n");
	CHECK_INT(o.tripped, 1);
	fclose(o.fp);
	json_decref(f);
}

static void
test_out_write_error(void)
{
	const char *path = unit_tmpfile("findings-ro.txt");
	struct findings_out o = { .fail_on = SEV_FAIL };
	json_t *f = finding_new("t", "X-ONE", SEV_FAIL, "a.com", NULL, "one", NULL);

	CHECK_INT(unit_write_file(path, "", 0), 0);
	o.fp = fopen(path, "r");	/* a stream that cannot be written */
	CHECK(o.fp != NULL);
	CHECK_INT(findings_out_put(&o, f), -1);
	fclose(o.fp);
	remove(path);
	json_decref(f);
}

UNIT_MAIN(TEST(test_severities), TEST(test_out_jsonl), TEST(test_out_tsv), TEST(test_out_csv),
    TEST(test_out_write_error))
