/*
 * CSV on libcsv: a streaming row reader that knows each row's line number, header
 * lookup by name (case- and space-insensitive), and a writer whose cells are safe
 * to open in a spreadsheet.
 */
#ifndef J2W_CSVIO_H
#define J2W_CSVIO_H

#include <stdio.h>
#include <sys/types.h>
#include <csv.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define CSV_FIELD_MAX ((size_t)4 << 20)	/* one field; a longer one is bad data */
#define CSV_FIELDS_MAX 4096		/* fields in one row */
#define CSV_ROW_MAX (4 * CSV_FIELD_MAX)	/* a row's fields, each with a NUL */

struct csv_row {
	struct strbuf data;	/* the fields, each NUL-terminated, back to back */
	size_t *off;
	size_t *len;
	size_t n;
	size_t cap;
	unsigned long line;	/* 1-based line the row starts on */
};

struct csv_reader {
	FILE *fp;
	const char *name;	/* for messages; not owned */
	off_t remaining;	/* bytes left to read, or -1 for "to end of file" */
	off_t consumed;		/* bytes read so far (for progress: whole buffers) */
	struct csv_parser parser;
	struct csv_row row;
	unsigned long line;	/* lines fully read so far */
	int in_row;
	int row_ready;
	int at_start;		/* a BOM may still follow */
	int prev_cr;		/* the last byte fed was a CR (a CRLF is one line) */
	int eof;
	int failed;		/* a callback hit a limit */
	char buf[65536];
	size_t buf_len;
	size_t buf_pos;
};

/*
 * Starts reading fp from its current position, at most limit bytes (-1: to end
 * of file), fields separated by delim. name is used in messages and must outlive r.
 * A UTF-8 BOM at the start is skipped. Returns 0, or -1 with err.
 */
int csv_reader_init(struct csv_reader *r, FILE *fp, off_t limit, int delim,
    const char *name, struct j2w_err *err);
/*
 * Reads the next non-blank row into r->row (valid until the next call). Rows end
 * at LF, CRLF or a lone CR. Returns 1 for a row, 0 at the end, -1 with err
 * ("NAME:LINE: ...", J2W_EDATA for bad data: malformed quoting, a field over
 * CSV_FIELD_MAX, a row over 4 * CSV_FIELD_MAX, more than CSV_FIELDS_MAX fields,
 * a NUL byte; J2W_ESYS for a read error). Invalid UTF-8 is passed on as read.
 */
int csv_reader_next(struct csv_reader *r, struct j2w_err *err);
void csv_reader_release(struct csv_reader *r);

/* Field i of a row as a NUL-terminated string, or NULL past the end. */
const char *csv_row_field(const struct csv_row *row, size_t i, size_t *len);

/* A header row, with each name kept as read and in a folded form for lookup. */
struct csv_header {
	char **names;		/* as read, trimmed */
	char **folded;		/* upper case, spaces removed */
	size_t n;
};

/* Copies the row as the header. Returns 0 or -1 (ENOMEM) with err. */
int csv_header_load(struct csv_header *h, const struct csv_row *row, struct j2w_err *err);
void csv_header_release(struct csv_header *h);
/* The column of name (compared folded), or -1. */
long csv_header_find(const struct csv_header *h, const char *name);
/* Folds a column name: ASCII upper case, spaces and a BOM removed; caller frees. */
char *csv_fold_name(const char *name);
/*
 * For a repeating group such as "DEVICE NAME n": when column col is the group
 * prefix followed by a number, returns that number (1..), else 0.
 */
long csv_header_group_index(const struct csv_header *h, size_t col, const char *prefix);

/*
 * Whether row has the header's ncols fields, as every row of a CUCM export has
 * (NULL when empty). Returns 0, or -1 with err (J2W_EDATA, "LABEL:LINE: N
 * fields, the header has M (is the file cut short? | a comma outside quotes?)").
 */
int csv_row_whole(const struct csv_row *row, size_t ncols, const char *label,
    struct j2w_err *err);

/* An absent value: no cell, an empty one, or the literal NULL that BAT exports write. */
int csv_cell_absent(const char *s);
/* A copy of a cell, NULL when it is absent; *oom is set when the copy fails. */
char *csv_cell_dup(const char *s, int *oom);

/* Cells that a spreadsheet would run as a formula: those starting = + - @ TAB CR. */
int csv_cell_is_formula(const char *s);
/*
 * A cell as it was before csv_write_row guarded it: past the apostrophe put
 * before a would-be formula ("'=x" is "=x"); any other cell as it is.
 */
const char *csv_cell_unguarded(const char *s);
/* A valid E.164 number: '+', then 1 to 15 digits, the first not 0. */
int csv_is_e164(const char *s);

/*
 * Writes one row to fp. With ',' (or another delim such as ';') cells holding
 * delim, a quote, CR or LF, or starting with a BOM, are quoted as RFC 4180 and
 * the row ends with CRLF; '\t' writes TSV (row ending LF) with backslash escapes
 * for tab, newline, CR and backslash, which csv_reader does not undo.
 * phone_cols (may be NULL) marks columns where a valid E.164 number keeps its
 * '+'; every other cell that would be a formula gets a leading apostrophe.
 * Returns 0 or -1 (check ferror).
 */
int csv_write_row(FILE *fp, int delim, const char *const *cells, size_t n,
    const unsigned char *phone_cols);

#endif
