/* CSV reading on libcsv with line numbers and limits, and spreadsheet-safe writing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/csvio.h"

/* libcsv grows its field buffer through this hook; refusing is how the cap works. */
static void *
csv_capped_realloc(void *p, size_t n)
{
	if (n > CSV_FIELD_MAX + 64)
		return NULL;
	return realloc(p, n);
}

/* libcsv would otherwise trim spaces and tabs around unquoted fields. */
static int
csv_no_space(unsigned char c)
{
	return 0;
}

static void
csv_row_reset(struct csv_row *row)
{
	strbuf_reset(&row->data);
	row->n = 0;
}

/*
 * Room in row for one more field of len bytes (and its NUL), or r->failed set.
 * Kept out of csv_on_field, which runs for every field, so that the common case
 * there is a few compares and a memcpy.
 */
static __attribute__((noinline)) int
csv_row_make_room(struct csv_reader *r, size_t len)
{
	struct csv_row *row = &r->row;

	if (r->failed)
		return -1;
	if (len > CSV_FIELD_MAX) {
		r->failed = EMSGSIZE;
		return -1;
	}
	if (row->n == row->cap) {
		size_t cap = row->cap ? row->cap * 2 : 64;
		size_t *off, *lens;

		if (cap > CSV_FIELDS_MAX) {
			r->failed = E2BIG;
			return -1;
		}
		off = realloc(row->off, cap * sizeof(*off));
		if (off == NULL) {
			r->failed = ENOMEM;
			return -1;
		}
		row->off = off;
		lens = realloc(row->len, cap * sizeof(*lens));
		if (lens == NULL) {
			r->failed = ENOMEM;
			return -1;
		}
		row->len = lens;
		row->cap = cap;
	}
	/* strbuf_grow doubles the buffer (up to its cap) and keeps room for a NUL */
	if (strbuf_grow(&row->data, len + 1) < 0) {
		r->failed = errno;
		return -1;
	}
	return 0;
}

/*
 * memcpy(dst, src, len) for a field: most are a few bytes long, where a call to
 * memcpy costs more than the copy, so up to 16 bytes are two overlapping
 * fixed-size copies (which compilers turn into plain loads and stores).
 */
static inline void
csv_copy_field(char *dst, const char *src, size_t len)
{
	if (len >= 8 && len <= 16) {
		memcpy(dst, src, 8);
		memcpy(dst + len - 8, src + len - 8, 8);
	} else if (len >= 4 && len < 8) {
		memcpy(dst, src, 4);
		memcpy(dst + len - 4, src + len - 4, 4);
	} else if (len > 16) {
		memcpy(dst, src, len);
	} else if (len > 0) {
		/* 1 to 3 bytes: first, middle and last cover them all (src is NULL when empty) */
		dst[0] = src[0];
		dst[len / 2] = src[len / 2];
		dst[len - 1] = src[len - 1];
	}
}

/*
 * libcsv hands over each field whole: it is copied once, with its NUL, into the
 * row's buffer, which is kept from row to row. NUL bytes in the input were
 * refused before the line was parsed (csv_reader_next).
 */
static void
csv_on_field(void *field, size_t len, void *ctx)
{
	struct csv_reader *r = ctx;
	struct csv_row *row = &r->row;
	struct strbuf *data = &row->data;
	char *p;

	/* the room strbuf_grow(len + 1) would make: the field, its NUL and the final NUL */
	if ((r->failed || len > CSV_FIELD_MAX || row->n == row->cap ||
	    data->alloc < data->len + len + 2) && csv_row_make_room(r, len) < 0)
		return;
	p = data->buf + data->len;
	row->off[row->n] = data->len;
	row->len[row->n++] = len;
	csv_copy_field(p, field, len);
	p[len] = '\0';
	p[len + 1] = '\0';
	data->len += len + 1;
}

static void
csv_on_row_end(int c, void *ctx)
{
	struct csv_reader *r = ctx;

	r->in_row = 0;
	r->row_ready = 1;
}

int
csv_reader_init(struct csv_reader *r, FILE *fp, off_t limit, int delim,
    const char *name, struct j2w_err *err)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->name = name;
	r->remaining = limit;
	r->at_start = 1;
	strbuf_init(&r->row.data, CSV_ROW_MAX);
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return err_set(err, J2W_ESYS, "%s: cannot start the CSV parser", name);
	csv_set_delim(&r->parser, (unsigned char)delim);
	csv_set_space_func(&r->parser, csv_no_space);
	csv_set_realloc_func(&r->parser, csv_capped_realloc);
	/* libcsv grows its field buffer by this much each time: 128 bytes by default */
	csv_set_blk_size(&r->parser, 64 << 10);
	return 0;
}

void
csv_reader_release(struct csv_reader *r)
{
	csv_free(&r->parser);
	strbuf_release(&r->row.data);
	free(r->row.off);
	free(r->row.len);
	r->row.off = NULL;
	r->row.len = NULL;
	r->row.cap = 0;
}

static int
csv_fill(struct csv_reader *r, struct j2w_err *err)
{
	size_t want = sizeof(r->buf);
	size_t got;

	if (r->remaining >= 0 && (off_t)want > r->remaining)
		want = (size_t)r->remaining;
	got = want ? fread(r->buf, 1, want, r->fp) : 0;
	if (got == 0 && ferror(r->fp))
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", r->name);
	if (r->remaining >= 0)
		r->remaining -= (off_t)got;
	r->consumed += (off_t)got;
	r->buf_len = got;
	r->buf_pos = 0;
	if (got == 0)
		r->eof = 1;
	if (r->at_start && got >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0)
		r->buf_pos = 3;
	r->at_start = 0;
	return 0;
}

/*
 * libcsv's states (csv.c, not in its header), for saying what a strict parse
 * failed on in the words of util/csvscan.c, which every BAT reader uses.
 */
enum { LIBCSV_FIELD_BEGUN = 2, LIBCSV_FIELD_MIGHT_HAVE_ENDED = 3 };

static const char *
csv_parse_why(struct csv_reader *r)
{
	if (csv_error(&r->parser) != CSV_EPARSE)
		return csv_strerror(csv_error(&r->parser));
	if (r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted)
		return "quoted field opened here is never closed";
	if (r->parser.pstate == LIBCSV_FIELD_BEGUN)
		return "quote inside an unquoted field (quote the whole field)";
	if (r->parser.pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED)
		return "text after the closing quote of a field";
	return "malformed CSV";
}

static int
csv_parse_failed(struct csv_reader *r, struct j2w_err *err)
{
	unsigned long line = r->in_row ? r->row.line : r->line + 1;

	if (r->failed == E2BIG)
		return err_set(err, J2W_EDATA, "%s:%lu: more than %d fields in a row",
		    r->name, line, CSV_FIELDS_MAX);
	if (r->failed == EMSGSIZE || (!r->failed && csv_error(&r->parser) == CSV_ENOMEM))
		return err_set(err, J2W_EDATA, "%s:%lu: field longer than %zu bytes",
		    r->name, line, CSV_FIELD_MAX);
	if (r->failed == EFBIG)
		return err_set(err, J2W_EDATA, "%s:%lu: row longer than %zu bytes",
		    r->name, line, r->row.data.max);
	if (r->failed == EILSEQ)
		return err_set(err, J2W_EDATA, "%s:%lu: NUL byte in a field (is the file UTF-16?)",
		    r->name, line);
	if (r->failed)
		return err_set(err, J2W_ESYS, "%s:%lu: %s", r->name, line, strerror(r->failed));
	return err_set(err, J2W_EDATA, "%s:%lu: %s", r->name, line, csv_parse_why(r));
}

static int
is_blank_segment(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/*
 * The length of the physical line at s (at most avail bytes), its end included:
 * up to LF, CRLF or a lone CR. *eol says whether the line ended in the buffer.
 */
static size_t
csv_line_length(const char *s, size_t avail, int *eol)
{
	const char *lf = memchr(s, '\n', avail);
	size_t n = lf != NULL ? (size_t)(lf - s) : avail;
	const char *cr = memchr(s, '\r', n);

	*eol = 1;
	if (cr != NULL) {
		n = (size_t)(cr - s) + 1;
		/* CRLF: one line, and libcsv ignores the LF after the CR that ended a row */
		if (n < avail && s[n] == '\n')
			n++;
		return n;
	}
	if (lf != NULL)
		return n + 1;
	*eol = 0;
	return avail;
}

int
csv_reader_next(struct csv_reader *r, struct j2w_err *err)
{
	csv_row_reset(&r->row);
	r->row_ready = 0;
	while (!r->row_ready) {
		const char *seg;
		size_t n, avail;
		int eol;

		if (r->buf_pos == r->buf_len) {
			if (r->eof)
				break;
			if (csv_fill(r, err) < 0)
				return -1;
			continue;
		}
		/*
		 * One physical line per call, so a finished row knows its line. A line
		 * ends at LF, CRLF or a lone CR, where libcsv ends a row too; so at most
		 * one row ends per call.
		 */
		seg = r->buf + r->buf_pos;
		avail = r->buf_len - r->buf_pos;
		n = csv_line_length(seg, avail, &eol);
		if (!r->in_row && !is_blank_segment(seg, n)) {
			r->in_row = 1;
			r->row.line = r->line + 1;
		}
		/* a NUL would cut a field short for every caller that reads it as a string */
		if (memchr(seg, '\0', n) != NULL) {
			r->failed = EILSEQ;
			return csv_parse_failed(r, err);
		}
		if (csv_parse(&r->parser, seg, n, csv_on_field, csv_on_row_end, r) != n || r->failed)
			return csv_parse_failed(r, err);
		r->buf_pos += n;
		/* the LF of a CRLF split across two reads was counted at its CR */
		if (eol && !(n == 1 && seg[0] == '\n' && r->prev_cr))
			r->line++;
		r->prev_cr = eol && seg[n - 1] == '\r';
	}
	if (!r->row_ready && r->eof) {
		int rc = csv_fini(&r->parser, csv_on_field, csv_on_row_end, r);

		/* with CSV_STRICT_FINI, libcsv fails here only on an open quote */
		if (rc != 0 && !r->failed && csv_error(&r->parser) == CSV_EPARSE)
			return err_set(err, J2W_EDATA,
			    "%s:%lu: quoted field opened here is never closed",
			    r->name, r->row.line);
		if (rc != 0 || r->failed)
			return csv_parse_failed(r, err);
	}
	return r->row_ready && r->row.n > 0 ? 1 : 0;
}

const char *
csv_row_field(const struct csv_row *row, size_t i, size_t *len)
{
	if (i >= row->n)
		return NULL;
	if (len != NULL)
		*len = row->len[i];
	return row->data.buf + row->off[i];
}

char *
csv_fold_name(const char *name)
{
	size_t n = strlen(name);
	char *out = malloc(n + 1), *o = out;

	if (out == NULL)
		return NULL;
	if (n >= 3 && memcmp(name, "\xef\xbb\xbf", 3) == 0)
		name += 3;
	for (; *name; name++) {
		if (*name == ' ' || *name == '\t')
			continue;
		*o++ = (char)toupper((unsigned char)*name);
	}
	*o = '\0';
	return out;
}

int
csv_header_load(struct csv_header *h, const struct csv_row *row, struct j2w_err *err)
{
	h->n = 0;
	h->names = calloc(row->n ? row->n : 1, sizeof(*h->names));
	h->folded = calloc(row->n ? row->n : 1, sizeof(*h->folded));
	if (h->names == NULL || h->folded == NULL)
		goto nomem;
	for (size_t i = 0; i < row->n; i++) {
		const char *f = csv_row_field(row, i, NULL);
		size_t len;

		while (*f == ' ')
			f++;
		len = strlen(f);
		while (len > 0 && f[len - 1] == ' ')
			len--;
		h->names[i] = strndup(f, len);
		h->folded[i] = h->names[i] ? csv_fold_name(h->names[i]) : NULL;
		h->n = i + 1;
		if (h->folded[i] == NULL)
			goto nomem;
	}
	return 0;
nomem:
	csv_header_release(h);
	return err_set(err, J2W_ESYS, "out of memory reading a CSV header");
}

void
csv_header_release(struct csv_header *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->names[i]);
		free(h->folded[i]);
	}
	free(h->names);
	free(h->folded);
	h->names = NULL;
	h->folded = NULL;
	h->n = 0;
}

long
csv_header_find(const struct csv_header *h, const char *name)
{
	char *folded = csv_fold_name(name);
	long found = -1;

	if (folded == NULL)
		return -1;
	for (size_t i = 0; i < h->n; i++) {
		if (strcmp(h->folded[i], folded) == 0) {
			found = (long)i;
			break;
		}
	}
	free(folded);
	return found;
}

long
csv_header_group_index(const struct csv_header *h, size_t col, const char *prefix)
{
	char *folded = csv_fold_name(prefix);
	const char *rest;
	long idx = 0;

	if (folded == NULL || col >= h->n)
		goto out;
	if (strncmp(h->folded[col], folded, strlen(folded)) != 0)
		goto out;
	rest = h->folded[col] + strlen(folded);
	if (*rest < '1' || *rest > '9' || strlen(rest) > 4)
		goto out;
	for (; *rest; rest++) {
		if (!isdigit((unsigned char)*rest)) {
			idx = 0;
			goto out;
		}
		idx = idx * 10 + (*rest - '0');
	}
out:
	free(folded);
	return idx;
}

int
csv_row_whole(const struct csv_row *row, size_t ncols, const char *label, struct j2w_err *err)
{
	if (row->n == ncols)
		return 0;
	return err_set(err, J2W_EDATA, "%s:%lu: %zu %s, the header has %zu (%s)", label, row->line,
	    row->n, row->n == 1 ? "field" : "fields", ncols,
	    row->n < ncols ? "is the file cut short?" : "a comma outside quotes?");
}

int
csv_cell_absent(const char *s)
{
	return s == NULL || *s == '\0' || strcmp(s, "NULL") == 0;
}

char *
csv_cell_dup(const char *s, int *oom)
{
	char *d;

	if (csv_cell_absent(s))
		return NULL;
	d = strdup(s);
	if (d == NULL)
		*oom = 1;
	return d;
}

int
csv_cell_is_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

const char *
csv_cell_unguarded(const char *s)
{
	return s[0] == '\'' && csv_cell_is_formula(s + 1) ? s + 1 : s;
}

int
csv_is_e164(const char *s)
{
	size_t n;

	if (s[0] != '+' || s[1] < '1' || s[1] > '9')
		return 0;
	n = strlen(s + 1);
	if (n > 15)
		return 0;
	return strspn(s + 1, "0123456789") == n;
}

static void
csv_put_csv_cell(FILE *fp, const char *s, int delim)
{
	/* a leading BOM is quoted, or a reader at the start of the file would drop it */
	if (strpbrk(s, "\"\r\n") == NULL && strchr(s, delim) == NULL &&
	    strncmp(s, "\xef\xbb\xbf", 3) != 0) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}

static void
csv_put_tsv_cell(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\\': fputs("\\\\", fp); break;
		default: putc(*s, fp);
		}
	}
}

int
csv_write_row(FILE *fp, int delim, const char *const *cells, size_t n,
    const unsigned char *phone_cols)
{
	for (size_t i = 0; i < n; i++) {
		const char *cell = cells[i] ? cells[i] : "";
		int keep = phone_cols != NULL && phone_cols[i] && csv_is_e164(cell);

		if (i > 0)
			putc(delim, fp);
		if (!keep && csv_cell_is_formula(cell)) {
			/* The apostrophe makes a spreadsheet show the text instead of running it. */
			if (delim == '\t') {
				putc('\'', fp);
				csv_put_tsv_cell(fp, cell);
			} else {
				size_t len = strlen(cell);
				char *quoted = malloc(len + 2);

				if (quoted == NULL)
					return -1;
				quoted[0] = '\'';
				memcpy(quoted + 1, cell, len + 1);
				csv_put_csv_cell(fp, quoted, delim);
				free(quoted);
			}
			continue;
		}
		if (delim == '\t')
			csv_put_tsv_cell(fp, cell);
		else
			csv_put_csv_cell(fp, cell, delim);
	}
	if (delim == '\t')
		putc('\n', fp);
	else
		fputs("\r\n", fp);
	return ferror(fp) ? -1 : 0;
}
