/* Unit tests for jsonl: reading hostile JSON Lines, writing, the string helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/jsonl.h"

/*
 * Reads every record of data[0..len); renders them as "LINE:{compact json}"
 * joined by spaces into out. Returns the last jsonl_next status.
 */
static int
read_all(const char *data, size_t len, struct strbuf *out, struct j2w_err *err)
{
	struct jsonl_reader r;
	FILE *fp = fmemopen((void *)data, len, "r");
	json_t *obj;
	int rc;

	strbuf_reset(out);
	err_clear(err);
	jsonl_reader_init(&r, fp, "in.jsonl");
	while ((rc = jsonl_next(&r, &obj, err)) == 1) {
		char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);

		strbuf_addf(out, "%s%lu:%s", out->len ? " " : "", r.line, s);
		free(s);
		json_decref(obj);
	}
	CHECK(obj == NULL);
	jsonl_reader_release(&r);
	fclose(fp);
	return rc;
}

static struct strbuf got = { NULL, 0, 0, 0 };

/* The records of a NUL-terminated text, or the error message prefixed by "ERR ". */
static const char *
records(const char *data, size_t len, struct j2w_err *err)
{
	if (got.buf == NULL)
		strbuf_init(&got, 0);
	if (read_all(data, len, &got, err) < 0) {
		strbuf_reset(&got);
		strbuf_addf(&got, "ERR %s", err->msg);
	}
	return got.buf;
}

#define RECORDS(s) records((s), sizeof(s) - 1, &err)

static void
test_blank_lines_and_line_ends(void)
{
	struct j2w_err err;

	CHECK_STR(RECORDS(""), "");
	CHECK_STR(RECORDS("\n\n   \n\r\n"), "");
	CHECK_STR(RECORDS("{\"a\":1}\n\n{\"b\":2}\n"), "1:{\"a\":1} 3:{\"b\":2}");
	CHECK_STR(RECORDS("{\"a\":1}\r\n{\"b\":\"x\"}\r\n"), "1:{\"a\":1} 2:{\"b\":\"x\"}");
	CHECK_STR(RECORDS("{\"a\":1}"), "1:{\"a\":1}");
	CHECK_STR(RECORDS("  {\"a\" : [1, 2] }  \t\n"), "1:{\"a\":[1,2]}");
	CHECK_STR(RECORDS("{\"s\":\"caf\xc3\xa9 \\u00e9\"}\n"), "1:{\"s\":\"caf\xc3\xa9 \xc3\xa9\"}");
	/* a byte-order mark starts a file saved by a Windows editor; later it is an error */
	CHECK_STR(RECORDS("\xef\xbb\xbf{\"a\":1}\n{\"b\":2}\n"), "1:{\"a\":1} 2:{\"b\":2}");
	CHECK_STR(RECORDS("\xef\xbb\xbf\n{\"b\":2}\n"), "2:{\"b\":2}");
	CHECK(strncmp(RECORDS("{\"a\":1}\n\xef\xbb\xbf{\"b\":2}\n"), "ERR in.jsonl:2:", 15) == 0);
}

static void
test_bad_lines(void)
{
	struct j2w_err err;

	CHECK_STR(RECORDS("{\"a\":1}\n[1,2]\n"), "ERR in.jsonl:2: expected a JSON object");
	CHECK_INT(err.status, J2W_EDATA);
	/* jansson itself refuses a scalar at the top */
	CHECK_STR(RECORDS("\"str\"\n"),
	    "ERR in.jsonl:1:5: not valid JSON: '[' or '{' expected near '\"str\"'");
	CHECK_STR(RECORDS("42\n"), "ERR in.jsonl:1:2: not valid JSON: '[' or '{' expected near '42'");
	/* CSV where JSON Lines belongs says so (the first record only) */
	CHECK_STR(RECORDS("USER ID,MAIL ID\nann,ann@example.com\n"),
	    "ERR in.jsonl:1: this is CSV, not JSON Lines (one JSON object per line)");
	CHECK_STR(RECORDS("\xef\xbb\xbf" "email\tcalling_behavior\n"),
	    "ERR in.jsonl:1: this is CSV, not JSON Lines (one JSON object per line)");
	CHECK_STR(RECORDS("{}\nann,bob\n"),
	    "ERR in.jsonl:2:3: not valid JSON: '[' or '{' expected near 'ann'");
	CHECK_STR(RECORDS("\n\nnull\n"),
	    "ERR in.jsonl:3:4: not valid JSON: '[' or '{' expected near 'null'");
	CHECK_STR(RECORDS("{\"a\":1}\n\n{\"a\": tru}\n"),
	    "ERR in.jsonl:3:9: not valid JSON: invalid token near 'tru'");
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(RECORDS("{\"a\":1}{\"b\":2}\n"),
	    "ERR in.jsonl:1:8: not valid JSON: end of file expected near '{'");
	CHECK_STR(RECORDS("{\"a\":1,\"a\":2}\n"),
	    "ERR in.jsonl:1:10: not valid JSON: duplicate object key near '\"a\"'");
	CHECK_STR(RECORDS("{\"a\":\"caf\xe9\"}\n"),
	    "ERR in.jsonl:1:9: not valid JSON: unable to decode byte 0xe9 near '\"caf'");
	CHECK_STR(RECORDS("{\"a\":\"\xed\xa0\x80\"}\n"),
	    "ERR in.jsonl:1:6: not valid JSON: unable to decode byte 0xed near '\"'");
	CHECK_STR(RECORDS("{\"a\":\"x\\u0000y\"}\n"),
	    "ERR in.jsonl:1:15: not valid JSON: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"x\\u0000y\"'");
	CHECK_STR(RECORDS("{\"a\":\n1}\n"),
	    "ERR in.jsonl:1:5: not valid JSON: unexpected token near end of file");
}

static void
test_nul_byte_does_not_join_lines(void)
{
	struct j2w_err err;

	/* a NUL must neither cut the line short nor swallow its newline */
	CHECK_STR(RECORDS("{\"a\":1}\0junk\n{\"b\":2}\n"),
	    "ERR in.jsonl:1:8: not valid JSON: end of file expected near end of file");
	/* nor be trimmed away as if it were a space */
	CHECK_STR(RECORDS("{\"a\":1}\0\n"),
	    "ERR in.jsonl:1:8: not valid JSON: end of file expected near end of file");
	CHECK_STR(RECORDS("{\"a\":\"x\0y\"}\n"),
	    "ERR in.jsonl:1:7: not valid JSON: control character 0x0 near '\"x'");
}

static void
test_long_line(void)
{
	struct j2w_err err;
	size_t n = JSONL_LINE_MAX + 100;
	char *s = malloc(n + 32);

	/* {"a":"xxx..."} longer than the cap */
	memcpy(s, "{\"a\":\"", 6);
	memset(s + 6, 'x', n);
	memcpy(s + 6 + n, "\"}\n", 3);
	CHECK_STR(records(s, n + 9, &err), "ERR in.jsonl:1: line longer than 16777216 bytes");
	CHECK_INT(err.status, J2W_EDATA);
	/* just under the cap is fine */
	n = JSONL_LINE_MAX - 10;
	memcpy(s, "{\"a\":1}\n{\"a\":\"", 14);
	memset(s + 14, 'y', n);
	memcpy(s + 14 + n, "\"}\n", 3);
	CHECK_INT(read_all(s, n + 17, &got, &err), 0);
	CHECK_INT(got.len, strlen("1:{\"a\":1} 2:{\"a\":\"\"}") + n);
	free(s);
}

static void
test_write_and_helpers(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	json_t *obj = json_object();

	CHECK_INT(json_set_str(obj, "name", "M\xc3\xbcller"), 0);
	CHECK_INT(json_set_str(obj, "empty", ""), 0);
	CHECK_INT(json_set_str(obj, "null", "NULL"), 0);
	CHECK_INT(json_set_str(obj, "none", NULL), 0);
	CHECK_INT(json_set_str(obj, "bad", "caf\xe9"), -1);
	CHECK_INT(json_set_str(obj, "nl", "a\nb\"c"), 0);
	CHECK_INT(json_object_size(obj), 2);
	CHECK_STR(json_get_str(obj, "name"), "M\xc3\xbcller");
	CHECK(json_get_str(obj, "empty") == NULL);
	json_object_set_new(obj, "n", json_integer(3));
	CHECK(json_get_str(obj, "n") == NULL);
	CHECK(json_get_str(NULL, "n") == NULL);
	CHECK_INT(jsonl_write(fp, obj), 0);
	fclose(fp);
	CHECK_STR(out, "{\"name\":\"M\xc3\xbcller\",\"nl\":\"a\\nb\\\"c\",\"n\":3}\n");
	free(out);
	json_decref(obj);
}

static void
test_stdin_name_and_cleanup(void)
{
	struct jsonl_reader r;
	struct j2w_err err;
	json_t *obj;
	FILE *fp = fmemopen("x\n", 2, "r");

	jsonl_reader_init(&r, fp, "-");
	CHECK_INT(jsonl_next(&r, &obj, &err), -1);
	CHECK_STR(err.msg, "<stdin>:1:1: not valid JSON: '[' or '{' expected near 'x'");
	jsonl_reader_release(&r);
	fclose(fp);
	strbuf_release(&got);
}

UNIT_MAIN(TEST(test_blank_lines_and_line_ends), TEST(test_bad_lines),
    TEST(test_nul_byte_does_not_join_lines), TEST(test_long_line), TEST(test_write_and_helpers),
    TEST(test_stdin_name_and_cleanup))
