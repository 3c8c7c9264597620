/* Unit tests for csv_scanner: each error with its line, and agreement with csv_reader. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/csvio.h"
#include "util/csvscan.h"

struct scan_result {
	int rc;
	unsigned long records;
	unsigned long error_line;
	struct j2w_err err;
};

/* Scans data[0..len), fed in pieces of step bytes (0: all at once). */
static struct scan_result
scan(const char *data, size_t len, size_t step)
{
	struct scan_result res;
	struct csv_scanner sc;
	size_t off = 0;

	err_clear(&res.err);
	csv_scanner_init(&sc, ',');
	res.rc = 0;
	if (step == 0)
		step = len ? len : 1;
	while (off < len && res.rc == 0) {
		size_t n = len - off < step ? len - off : step;

		res.rc = csv_scanner_feed(&sc, data + off, n, &res.err);
		off += n;
	}
	if (res.rc == 0)
		res.rc = csv_scanner_finish(&sc, &res.err);
	res.records = sc.records;
	res.error_line = sc.error_line;
	return res;
}

/* Reads data with csv_reader: the row count, or -1 on error. */
static long
reader_rows(const char *data, size_t len)
{
	struct csv_reader r;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)data, len, "r");
	long rows = 0;
	int rc;

	csv_reader_init(&r, fp, -1, ',', "x.csv", &err);
	while ((rc = csv_reader_next(&r, &err)) == 1)
		rows++;
	csv_reader_release(&r);
	fclose(fp);
	return rc < 0 ? -1 : rows;
}

/* Scans s whole and byte by byte; both must agree with each other and the reader. */
static void
check_scan(const char *s, size_t len, int want_rc, unsigned long want_records,
    unsigned long want_line, const char *want_msg, int line)
{
	/* byte by byte finds state kept across feeds; big inputs go in odd-sized pieces */
	struct scan_result whole = scan(s, len, 0), bytes = scan(s, len, len < 65536 ? 1 : 4093);
	long rows = reader_rows(s, len);

	if (!unit_check_long(whole.rc, want_rc, "scan rc", __FILE__, line))
		printf("#   message: %s\n", whole.err.msg);
	unit_check_long(bytes.rc, want_rc, "scan rc byte by byte", __FILE__, line);
	if (want_rc == 0) {
		unit_check_long((long)whole.records, (long)want_records, "records", __FILE__, line);
		unit_check_long((long)bytes.records, (long)want_records, "records byte by byte",
		    __FILE__, line);
		unit_check_long(rows, (long)want_records, "reader rows", __FILE__, line);
	} else {
		unit_check_long((long)whole.error_line, (long)want_line, "error_line", __FILE__, line);
		unit_check_long((long)bytes.error_line, (long)want_line, "error_line byte by byte",
		    __FILE__, line);
		unit_check_str(whole.err.msg, want_msg, "message", __FILE__, line);
		unit_check_long(whole.err.status, J2W_EDATA, "status", __FILE__, line);
		unit_check_long(rows, -1, "reader fails too", __FILE__, line);
	}
}

#define OK(s, records) check_scan((s), sizeof(s) - 1, 0, (records), 0, NULL, __LINE__)
#define BAD(s, line, msg) check_scan((s), sizeof(s) - 1, -1, 0, (line), (msg), __LINE__)

static void
test_valid_inputs_count_records(void)
{
	OK("", 0);
	OK("\n\n\r\n", 0);
	OK("a,b\nc,d\n", 2);
	OK("a,b\r\nc,d", 2);
	OK("a\rb\rc", 3);
	OK("\"x\ny\",z\n\nlast\n", 2);
	OK("\"say \"\"hi\"\"\",\"\"\n", 1);
	OK(",\n", 1);
	OK("\"\"\n", 1);
	OK("\xef\xbb\xbf\"User ID\",x\n", 1);
	OK("\xef\xbb\xbf", 0);
	OK("\xef\xbb", 1);
	OK("\xef\xbb\xbf\xef\xbb\xbf" "a\n", 1);
	OK("caf\xe9,\xff\xfe\n", 1);
	OK("\"a\"\r\n\"b\"\r", 2);
}

static void
test_each_error_with_its_line(void)
{
	BAD("h\nok\na\"b\n", 3, "quote inside an unquoted field (quote the whole field)");
	BAD("h\n\"a\"b\n", 2, "text after the closing quote of a field");
	BAD("h\n\"a\" \n", 2, "text after the closing quote of a field");
	BAD("h\n\"open\n\nnever closed\n", 2, "quoted field opened here is never closed");
	BAD("\"a\nb\nc\"x\n", 3, "text after the closing quote of a field");
	BAD("h\r\"a\"b\r", 2, "text after the closing quote of a field");
	BAD("h\r\n\r\n\"a\"b", 3, "text after the closing quote of a field");
	BAD("h\nab\0c\n", 2, "NUL byte in a field (is the file UTF-16?)");
	BAD("h\n\"a\nb\0\"\n", 3, "NUL byte in a field (is the file UTF-16?)");
	BAD("\xef\xbb\"a\"\n", 1, "quote inside an unquoted field (quote the whole field)");
	BAD(" \"a\"\n", 1, "quote inside an unquoted field (quote the whole field)");
}

static void
test_limits_match_the_reader(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 64 << 20);
	/* CSV_FIELDS_MAX fields pass, one more does not */
	strbuf_addstr(&sb, "h\n");
	for (int i = 1; i < CSV_FIELDS_MAX; i++)
		strbuf_addch(&sb, ',');
	strbuf_addch(&sb, '\n');
	check_scan(sb.buf, sb.len, 0, 2, 0, NULL, __LINE__);
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "h\n");
	for (int i = 0; i < CSV_FIELDS_MAX; i++)
		strbuf_addch(&sb, ',');
	check_scan(sb.buf, sb.len, -1, 0, 2, "more than 4096 fields in a row", __LINE__);

	/* a field of CSV_FIELD_MAX bytes passes, one byte more does not */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "h\n\"");
	for (size_t i = 0; i < CSV_FIELD_MAX; i++)
		strbuf_addch(&sb, i % 100 == 99 ? '\n' : 'x');
	strbuf_addstr(&sb, "\"\n");
	check_scan(sb.buf, sb.len, 0, 2, 0, NULL, __LINE__);
	sb.buf[sb.len - 2] = 'x';
	strbuf_addstr(&sb, "\"\n");
	check_scan(sb.buf, sb.len, -1, 0, 2 + CSV_FIELD_MAX / 100,
	    "field longer than 4194304 bytes", __LINE__);

	/* five fields of CSV_FIELD_MAX - 1 bytes: the row is too long */
	strbuf_reset(&sb);
	for (int f = 0; f < 5; f++) {
		for (size_t i = 0; i + 1 < CSV_FIELD_MAX; i++)
			strbuf_addch(&sb, 'y');
		strbuf_addch(&sb, f < 4 ? ',' : '\n');
	}
	check_scan(sb.buf, sb.len, -1, 0, 1, "row longer than 16777216 bytes", __LINE__);
	strbuf_release(&sb);
}

static void
test_tab_delimiter(void)
{
	struct csv_scanner sc;
	struct j2w_err err;

	csv_scanner_init(&sc, '\t');
	CHECK_INT(csv_scanner_feed(&sc, "a\t\"b\tc\"\n", 8, &err), 0);
	CHECK_INT(csv_scanner_feed(&sc, "d,\"e\"\t", 6, &err), -1);
	CHECK_INT(sc.error_line, 2);
	CHECK_STR(err.msg, "quote inside an unquoted field (quote the whole field)");
}

UNIT_MAIN(TEST(test_valid_inputs_count_records), TEST(test_each_error_with_its_line),
    TEST(test_limits_match_the_reader), TEST(test_tab_delimiter))
