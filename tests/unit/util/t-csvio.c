/* Unit tests for csvio: the reader on hostile input, header folding, the safe writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/csvio.h"

/*
 * Reads all of data[0..len) with delim and renders the rows as
 * "LINE:[f1|f2]" joined by spaces (NUL bytes shown as \0); returns the
 * reader's last status (0 at the end, -1 with err).
 */
static int
read_rows(const char *data, size_t len, int delim, struct strbuf *out, struct j2w_err *err)
{
	struct csv_reader r;
	FILE *fp = fmemopen((void *)data, len, "r");
	int rc;

	strbuf_reset(out);
	err_clear(err);
	if (fp == NULL)
		return -2;
	if (csv_reader_init(&r, fp, -1, delim, "in.csv", err) < 0) {
		fclose(fp);
		return -1;
	}
	while ((rc = csv_reader_next(&r, err)) == 1) {
		if (out->len)
			strbuf_addch(out, ' ');
		strbuf_addf(out, "%lu:[", r.row.line);
		for (size_t i = 0; i < r.row.n; i++) {
			size_t flen;
			const char *f = csv_row_field(&r.row, i, &flen);

			if (i)
				strbuf_addch(out, '|');
			for (size_t k = 0; k < flen; k++) {
				if (f[k] == '\0')
					strbuf_addstr(out, "\\0");
				else
					strbuf_addch(out, f[k]);
			}
		}
		strbuf_addch(out, ']');
	}
	csv_reader_release(&r);
	fclose(fp);
	return rc;
}

static struct strbuf rows_buf = { NULL, 0, 0, 0 };

/* The rows of a NUL-terminated CSV text, or NULL when the reader failed. */
static const char *
rows_of(const char *data, struct j2w_err *err)
{
	if (rows_buf.buf == NULL)
		strbuf_init(&rows_buf, 0);
	if (read_rows(data, strlen(data), ',', &rows_buf, err) != 0)
		return NULL;
	return rows_buf.buf;
}

static void
test_line_endings(void)
{
	struct j2w_err err;

	CHECK_STR(rows_of("a,b\nc,d\n", &err), "1:[a|b] 2:[c|d]");
	CHECK_STR(rows_of("a,b\r\nc,d\r\n", &err), "1:[a|b] 2:[c|d]");
	CHECK_STR(rows_of("a,b\rc,d\r", &err), "1:[a|b] 2:[c|d]");
	CHECK_STR(rows_of("a,b\rc,d", &err), "1:[a|b] 2:[c|d]");
	CHECK_STR(rows_of("a\r\rb\r\n\nc", &err), "1:[a] 3:[b] 5:[c]");
	CHECK_STR(rows_of("a,b", &err), "1:[a|b]");
	CHECK_STR(rows_of("", &err), "");
	CHECK_STR(rows_of("\n\r\n\r", &err), "");
}

static void
test_bom_skipped(void)
{
	struct j2w_err err;

	CHECK_STR(rows_of("\xef\xbb\xbf" "User ID,Name\nx,y\n", &err), "1:[User ID|Name] 2:[x|y]");
	CHECK_STR(rows_of("\xef\xbb\xbf\"User ID\",Name\n", &err), "1:[User ID|Name]");
	/* only at the very start */
	CHECK_STR(rows_of("a\n\xef\xbb\xbf" "b\n", &err), "1:[a] 2:[\xef\xbb\xbf" "b]");
	CHECK_STR(rows_of("\xef\xbb\xbf", &err), "");
}

static void
test_quoted_fields(void)
{
	struct j2w_err err;

	CHECK_STR(rows_of("\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\n", &err),
	    "1:[a,b|say \"hi\"|x\ny]");
	CHECK_STR(rows_of("\"\",,\" \"\n", &err), "1:[|| ]");
	CHECK_STR(rows_of(",,\n", &err), "1:[||]");
	CHECK_STR(rows_of(" a , b \n", &err), "1:[ a | b ]");
	CHECK_STR(rows_of("\"a\r\nb\",c\r\n", &err), "1:[a\r\nb|c]");
}

static void
test_line_numbers_after_multiline_fields(void)
{
	struct j2w_err err;

	CHECK_STR(rows_of("h1,h2\n\"one\ntwo\nthree\",x\nnext,y\n\nlast,z\n", &err),
	    "1:[h1|h2] 2:[one\ntwo\nthree|x] 5:[next|y] 7:[last|z]");
	CHECK_STR(rows_of("h\r\n\"a\r\nb\"\r\nc\r\n", &err), "1:[h] 2:[a\r\nb] 4:[c]");
	CHECK_STR(rows_of("\"a\rb\",c\rd\r", &err), "1:[a\rb|c] 3:[d]");
	CHECK_STR(rows_of("\"a\n\rb\"\r\n\r\nd", &err), "1:[a\n\rb] 5:[d]");
}

static void
test_crlf_across_buffer_boundary(void)
{
	struct strbuf data, sb;
	struct j2w_err err;
	size_t first;

	/* a first row that ends with CR as the last byte of the reader's 64 KiB buffer */
	strbuf_init(&data, 0);
	strbuf_init(&sb, 0);
	first = sizeof(((struct csv_reader *)0)->buf) - 1;
	for (size_t i = 0; i < first; i++)
		strbuf_addch(&data, 'a');
	strbuf_addstr(&data, "\r\nb\r\n\"q\r\nq\"\r\nc\n");
	CHECK_INT(read_rows(data.buf, data.len, ',', &sb, &err), 0);
	CHECK_STR(sb.buf + first + 3, "] 2:[b] 3:[q\r\nq] 5:[c]");
	/* and a lone CR there, followed by a row */
	data.buf[first + 1] = 'x';
	CHECK_INT(read_rows(data.buf, data.len, ',', &sb, &err), 0);
	CHECK_STR(sb.buf + first + 3, "] 2:[xb] 3:[q\r\nq] 5:[c]");
	strbuf_release(&data);
	strbuf_release(&sb);
}

static void
test_malformed_reports_file_and_line(void)
{
	struct j2w_err err;

	/* in the words of the validating pass (util/csvscan.c), never libcsv's own */
	CHECK(rows_of("h\nok\n\"open\nnever closed\n", &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:3: quoted field opened here is never closed");
	CHECK(rows_of("h\na\"b\n", &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: quote inside an unquoted field (quote the whole field)");
	CHECK(rows_of("h\n\"a\"b\n", &err) == NULL);
	CHECK_STR(err.msg, "in.csv:2: text after the closing quote of a field");
}

static void
test_open_quote_at_the_end(void)
{
	struct j2w_err err;

	/* the row's first line is named: the quote may open on a later line of it */
	CHECK(rows_of("h\r\na,\"b\r\nc\r\n", &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: quoted field opened here is never closed");
	CHECK(rows_of("h\n\"x\ny\",\"open\n", &err) == NULL);
	CHECK_STR(err.msg, "in.csv:2: quoted field opened here is never closed");
	CHECK(rows_of("h\n\"x\ny\",\n\"open", &err) == NULL);
	CHECK_STR(err.msg, "in.csv:4: quoted field opened here is never closed");
}

static void
test_consumed_counts_bytes_read(void)
{
	static const char data[] = "\xef\xbb\xbfh\r\na\r\n";
	struct csv_reader r;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)data, sizeof(data) - 1, "r");

	CHECK_INT(csv_reader_init(&r, fp, -1, ',', "in.csv", &err), 0);
	CHECK_INT(r.consumed, 0);
	CHECK_INT(csv_reader_next(&r, &err), 1);
	/* whole buffers, the BOM included */
	CHECK_INT(r.consumed, sizeof(data) - 1);
	CHECK_INT(csv_reader_next(&r, &err), 1);
	CHECK_INT(csv_reader_next(&r, &err), 0);
	CHECK_INT(r.consumed, sizeof(data) - 1);
	csv_reader_release(&r);
	fclose(fp);
}

static void
test_nul_byte_refused(void)
{
	static const char data[] = "h\nab\0cd,e\n";
	struct strbuf sb;
	struct j2w_err err;

	strbuf_init(&sb, 0);
	CHECK_INT(read_rows(data, sizeof(data) - 1, ',', &sb, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: NUL byte in a field (is the file UTF-16?)");
	/* the first row was still returned */
	CHECK_STR(sb.buf, "1:[h]");
	strbuf_release(&sb);
}

static void
test_invalid_utf8_passes_through(void)
{
	struct j2w_err err;

	CHECK_STR(rows_of("caf\xe9,\xc0\xaf,\xed\xa0\x80\n", &err), "1:[caf\xe9|\xc0\xaf|\xed\xa0\x80]");
}

/* A buffer of one row: a field of n bytes of 'x' (quoted when quote is set). */
static char *
long_field(size_t n, int quote, size_t *len)
{
	char *s = malloc(n + 8);
	size_t k = 0;

	s[k++] = 'h';
	s[k++] = '\n';
	if (quote)
		s[k++] = '"';
	memset(s + k, 'x', n);
	k += n;
	if (quote)
		s[k++] = '"';
	s[k++] = '\n';
	*len = k;
	return s;
}

static void
test_field_cap(void)
{
	struct strbuf sb;
	struct j2w_err err;
	size_t len;
	char *s;

	strbuf_init(&sb, 64 << 20);
	s = long_field(CSV_FIELD_MAX, 0, &len);
	CHECK_INT(read_rows(s, len, ',', &sb, &err), 0);
	CHECK_INT(sb.len, strlen("1:[h] 2:[]") + CSV_FIELD_MAX);
	free(s);

	s = long_field(CSV_FIELD_MAX + 1, 0, &len);
	CHECK_INT(read_rows(s, len, ',', &sb, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: field longer than 4194304 bytes");
	free(s);

	s = long_field(CSV_FIELD_MAX + 1, 1, &len);
	CHECK_INT(read_rows(s, len, ',', &sb, &err), -1);
	CHECK_STR(err.msg, "in.csv:2: field longer than 4194304 bytes");
	free(s);

	s = long_field((size_t)10 << 20, 1, &len);
	CHECK_INT(read_rows(s, len, ',', &sb, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: field longer than 4194304 bytes");
	free(s);
	strbuf_release(&sb);
}

static void
test_row_cap(void)
{
	struct strbuf data, sb;
	struct j2w_err err;

	/* five fields of 4 MiB: each allowed, the row (16 MiB) not */
	strbuf_init(&data, 64 << 20);
	strbuf_init(&sb, 64 << 20);
	strbuf_addstr(&data, "h\n");
	for (int i = 0; i < 5; i++) {
		if (i)
			strbuf_addch(&data, ',');
		for (size_t k = 0; k < CSV_FIELD_MAX; k += 4096) {
			char chunk[4096];

			memset(chunk, 'y', sizeof(chunk));
			strbuf_add(&data, chunk, sizeof(chunk));
		}
	}
	strbuf_addch(&data, '\n');
	CHECK_INT(read_rows(data.buf, data.len, ',', &sb, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: row longer than 16777216 bytes");
	strbuf_release(&data);
	strbuf_release(&sb);
}

static void
test_fields_cap(void)
{
	struct strbuf data, sb;
	struct j2w_err err;

	strbuf_init(&data, 0);
	strbuf_init(&sb, 0);
	strbuf_addstr(&data, "h\n");
	for (int i = 1; i < CSV_FIELDS_MAX; i++)
		strbuf_addch(&data, ',');
	strbuf_addch(&data, '\n');
	CHECK_INT(read_rows(data.buf, data.len, ',', &sb, &err), 0);
	CHECK_INT(sb.len, strlen("1:[h] 2:[]") + CSV_FIELDS_MAX - 1);
	strbuf_reset(&data);
	strbuf_addstr(&data, "h\n");
	for (int i = 0; i < CSV_FIELDS_MAX; i++)
		strbuf_addch(&data, ',');
	strbuf_addch(&data, '\n');
	CHECK_INT(read_rows(data.buf, data.len, ',', &sb, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "in.csv:2: more than 4096 fields in a row");
	strbuf_release(&data);
	strbuf_release(&sb);
}

static void
test_limit_and_tsv(void)
{
	static const char data[] = "a\tb\nc\td\nNOT,PART";
	struct csv_reader r;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)data, sizeof(data) - 1, "r");

	CHECK_INT(csv_reader_init(&r, fp, 8, '\t', "in.tsv", &err), 0);
	CHECK_INT(csv_reader_next(&r, &err), 1);
	CHECK_INT(r.row.n, 2);
	CHECK_STR(csv_row_field(&r.row, 1, NULL), "b");
	CHECK(csv_row_field(&r.row, 2, NULL) == NULL);
	CHECK_INT(csv_reader_next(&r, &err), 1);
	CHECK_STR(csv_row_field(&r.row, 0, NULL), "c");
	CHECK_INT(r.row.line, 2);
	CHECK_INT(csv_reader_next(&r, &err), 0);
	CHECK_INT(csv_reader_next(&r, &err), 0);
	csv_reader_release(&r);
	fclose(fp);
}

static void
test_read_error_is_esys(void)
{
	struct csv_reader r;
	struct j2w_err err;
	FILE *fp = fopen(unit_tmpfile("w.csv"), "w");

	/* reading a stream opened for writing fails with EBADF */
	CHECK(fp != NULL);
	CHECK_INT(csv_reader_init(&r, fp, -1, ',', "w.csv", &err), 0);
	CHECK_INT(csv_reader_next(&r, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strncmp(err.msg, "cannot read 'w.csv': ", 21) == 0);
	csv_reader_release(&r);
	fclose(fp);
	remove(unit_tmpfile("w.csv"));
}

/* Loads a header from one CSV line. */
static int
header_of(const char *line, struct csv_header *h)
{
	struct csv_reader r;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)line, strlen(line), "r");
	int rc = -1;

	csv_reader_init(&r, fp, -1, ',', "h.csv", &err);
	if (csv_reader_next(&r, &err) == 1)
		rc = csv_header_load(h, &r.row, &err);
	csv_reader_release(&r);
	fclose(fp);
	return rc;
}

static void
test_header_folding(void)
{
	struct csv_header h;
	char *f;

	CHECK_INT(header_of("\xef\xbb\xbfUser ID, first name ,DEVICE NAME 1,Device Name 12,"
	    "DEVICE NAME,DEVICE NAME 1X,DEVICE NAME 0,DEVICE NAME 12345,\tTab\t\n", &h), 0);
	CHECK_INT(h.n, 9);
	CHECK_STR(h.names[0], "User ID");
	CHECK_STR(h.folded[0], "USERID");
	CHECK_STR(h.names[1], "first name");
	CHECK_INT(csv_header_find(&h, "USERID"), 0);
	CHECK_INT(csv_header_find(&h, " user id "), 0);
	CHECK_INT(csv_header_find(&h, "User ID"), 0);
	CHECK_INT(csv_header_find(&h, "FIRST NAME"), 1);
	CHECK_INT(csv_header_find(&h, "tab"), 8);
	CHECK_INT(csv_header_find(&h, "LAST NAME"), -1);
	CHECK_INT(csv_header_find(&h, ""), -1);
	CHECK_INT(csv_header_group_index(&h, 2, "DEVICE NAME"), 1);
	CHECK_INT(csv_header_group_index(&h, 3, "DEVICE NAME"), 12);
	CHECK_INT(csv_header_group_index(&h, 4, "DEVICE NAME"), 0);
	CHECK_INT(csv_header_group_index(&h, 5, "DEVICE NAME"), 0);
	CHECK_INT(csv_header_group_index(&h, 6, "DEVICE NAME"), 0);
	CHECK_INT(csv_header_group_index(&h, 7, "DEVICE NAME"), 0);
	CHECK_INT(csv_header_group_index(&h, 0, "DEVICE NAME"), 0);
	CHECK_INT(csv_header_group_index(&h, 99, "DEVICE NAME"), 0);
	csv_header_release(&h);
	CHECK_INT(h.n, 0);

	f = csv_fold_name("\xef\xbb\xbf  e-Mail\tId ");
	CHECK_STR(f, "E-MAILID");
	free(f);
}

/* Writes one row to a memory stream and returns it (static buffer). */
static const char *
written(int delim, const char *const *cells, size_t n, const unsigned char *phone)
{
	static char buf[4096];
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	memset(buf, 0, sizeof(buf));
	if (csv_write_row(fp, delim, cells, n, phone) < 0)
		buf[0] = '\0';
	fclose(fp);
	return buf;
}

static void
test_write_quoting(void)
{
	const char *cells[] = { "plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "", NULL };

	CHECK_STR(written(',', cells, 7, NULL),
	    "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,\r\n");
	/* with another delimiter, cells holding it are quoted, commas are not */
	CHECK_STR(written(';', cells, 3, NULL), "plain;a,b;\"say \"\"hi\"\"\"\r\n");
	{
		const char *semi[] = { "a;b", "c" };

		CHECK_STR(written(';', semi, 2, NULL), "\"a;b\";c\r\n");
	}
}

static void
test_write_formula_neutralised(void)
{
	const char *cells[] = { "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "a=b", "'q" };
	const char *tsv[] = { "=cmd|' /c calc'!A0", "\tlead", "back\\slash", "x\ty\nz\r" };

	CHECK_STR(written(',', cells, 8, NULL),
	    "'=1+1,'+1,'-2,'@SUM(A1),'\tx,\"'\rx\",a=b,'q\r\n");
	CHECK_STR(written('\t', tsv, 4, NULL),
	    "'=cmd|' /c calc'!A0\t'\\tlead\tback\\\\slash\tx\\ty\\nz\\r\n");
	CHECK_STR(written(',', (const char *[]){ "=HYPERLINK(\"http://x\",\"a,b\")" }, 1, NULL),
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\"\r\n");
}

static void
test_write_e164_only_in_phone_columns(void)
{
	const char *cells[] = { "+14085551234", "+14085551234", "+1 408", "+0123", "+", "+1234567890123456",
		"+123456789012345", "=1" };
	const unsigned char phone[] = { 1, 0, 1, 1, 1, 1, 1, 1 };

	CHECK_STR(written(',', cells, 8, phone),
	    "+14085551234,'+14085551234,'+1 408,'+0123,'+,'+1234567890123456,+123456789012345,'=1\r\n");
	CHECK(csv_is_e164("+14085551234"));
	CHECK(!csv_is_e164("+1 408"));
	CHECK(!csv_is_e164("14085551234"));
	CHECK(!csv_is_e164("+1408555123x"));
	CHECK(!csv_is_e164(""));
	CHECK(csv_cell_is_formula("-"));
	CHECK(!csv_cell_is_formula(""));
	CHECK(!csv_cell_is_formula("x="));
}

static void
test_write_error_reported(void)
{
	const char *cells[] = { "a" };
	FILE *fp = fopen("/dev/full", "w");

	if (fp == NULL)
		return;
	setvbuf(fp, NULL, _IONBF, 0);
	CHECK_INT(csv_write_row(fp, ',', cells, 1, NULL), -1);
	fclose(fp);
}

static void
test_cleanup(void)
{
	strbuf_release(&rows_buf);
	CHECK_STR(rows_buf.buf, "");
}

/* BAT exports write an absent value as NULL: it reads as no value at all */
static void
test_absent_cells(void)
{
	int oom = 0;
	char *d;

	CHECK(csv_cell_absent(NULL));
	CHECK(csv_cell_absent(""));
	CHECK(csv_cell_absent("NULL"));
	CHECK(!csv_cell_absent("null"));
	CHECK(!csv_cell_absent("NULLS"));
	CHECK(csv_cell_dup("NULL", &oom) == NULL);
	d = csv_cell_dup("x", &oom);
	CHECK_STR(d, "x");
	CHECK_INT(oom, 0);
	free(d);
}

UNIT_MAIN(TEST(test_absent_cells), TEST(test_line_endings), TEST(test_bom_skipped), TEST(test_quoted_fields),
    TEST(test_line_numbers_after_multiline_fields), TEST(test_crlf_across_buffer_boundary),
    TEST(test_malformed_reports_file_and_line), TEST(test_open_quote_at_the_end),
    TEST(test_consumed_counts_bytes_read),
    TEST(test_nul_byte_refused), TEST(test_invalid_utf8_passes_through), TEST(test_field_cap),
    TEST(test_row_cap), TEST(test_fields_cap), TEST(test_limit_and_tsv),
    TEST(test_read_error_is_esys), TEST(test_header_folding), TEST(test_write_quoting),
    TEST(test_write_formula_neutralised), TEST(test_write_e164_only_in_phone_columns),
    TEST(test_write_error_reported), TEST(test_cleanup))
