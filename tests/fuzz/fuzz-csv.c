/*
 * Fuzz target for CSV: csv_reader and csv_scanner over the same bytes must agree
 * (the scanner passing means the reader reads every row), and rows written by
 * csv_write_row read back as they were.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csvio.h"
#include "util/csvscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes row with csv_write_row and checks that reading it back gives the same fields. */
static void
round_trip(const struct csv_row *row, int delim)
{
	const char **cells = calloc(row->n, sizeof(*cells));
	struct csv_reader r;
	struct j2w_err err;
	char *out = NULL;
	size_t outlen = 0;
	FILE *fp;

	if (cells == NULL)
		return;
	for (size_t i = 0; i < row->n; i++) {
		cells[i] = csv_row_field(row, i, NULL);
		/* neutralised cells change on purpose; blank rows are not rows */
		if (csv_cell_is_formula(cells[i]) || (row->n == 1 && cells[i][0] == '\0')) {
			free(cells);
			return;
		}
	}
	fp = open_memstream(&out, &outlen);
	if (fp == NULL || csv_write_row(fp, delim, cells, row->n, NULL) < 0)
		abort();
	fclose(fp);
	fp = fmemopen(out, outlen, "r");
	if (fp == NULL || csv_reader_init(&r, fp, -1, delim, "rt", &err) < 0)
		abort();
	if (csv_reader_next(&r, &err) != 1 || r.row.n != row->n)
		abort();
	for (size_t i = 0; i < row->n; i++) {
		size_t a, b;
		const char *x = csv_row_field(row, i, &a), *y = csv_row_field(&r.row, i, &b);

		if (a != b || memcmp(x, y, a) != 0)
			abort();
	}
	if (csv_reader_next(&r, &err) != 0)
		abort();
	csv_reader_release(&r);
	fclose(fp);
	free(out);
	free(cells);
}

static void
one_delim(const uint8_t *data, size_t size, int delim)
{
	struct csv_scanner sc;
	struct csv_reader r;
	struct csv_header h;
	struct j2w_err err;
	unsigned long rows = 0;
	int scan_ok, rc;
	FILE *fp;

	csv_scanner_init(&sc, delim);
	/* two feeds, so that state carried across a buffer boundary is exercised */
	scan_ok = csv_scanner_feed(&sc, (const char *)data, size / 2, &err) == 0 &&
	    csv_scanner_feed(&sc, (const char *)data + size / 2, size - size / 2, &err) == 0 &&
	    csv_scanner_finish(&sc, &err) == 0;
	if (!scan_ok && (sc.error_line == 0 || err.status != J2W_EDATA))
		abort();

	fp = fmemopen((void *)data, size, "r");
	if (fp == NULL)
		return;
	if (csv_reader_init(&r, fp, -1, delim, "fuzz.csv", &err) < 0)
		abort();
	while ((rc = csv_reader_next(&r, &err)) == 1) {
		if (r.row.n == 0 || r.row.line == 0)
			abort();
		if (rows == 0 && csv_header_load(&h, &r.row, &err) == 0) {
			for (size_t i = 0; i < h.n; i++) {
				if (csv_header_find(&h, h.names[i]) > (long)i)
					abort();
				(void)csv_header_group_index(&h, i, "DEVICE NAME");
			}
			csv_header_release(&h);
		}
		/* TSV output uses backslash escapes, which the reader does not undo */
		if (rows < 4 && delim == ',')
			round_trip(&r.row, delim);
		rows++;
	}
	if (rc < 0 && (err.status != J2W_EDATA || strncmp(err.msg, "fuzz.csv:", 9) != 0))
		abort();
	/* the differential property: what the scanner passes, the reader reads whole */
	if (scan_ok && (rc != 0 || rows != sc.records))
		abort();
	/* and the reader reads nothing the scanner refuses */
	if (!scan_ok && rc == 0)
		abort();
	csv_reader_release(&r);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	one_delim(data, size, ',');
	one_delim(data, size, '\t');
	return 0;
}
