/* csv_scanner: a byte-at-a-time RFC 4180 state machine that only validates and counts. */
#include "util/csvio.h"
#include "util/csvscan.h"

/*
 * The scanner accepts exactly what csv_reader (libcsv in strict mode, with the
 * reader's limits) accepts, so that a file it passes cannot fail half-way
 * through the real read: the fuzz target fuzz-csv checks that.
 */
enum {
	SCAN_FIELD_START,	/* at the start of a field */
	SCAN_UNQUOTED,		/* inside an unquoted field */
	SCAN_QUOTED,		/* inside quotes */
	SCAN_QUOTE_IN_QUOTED	/* saw a quote inside quotes: end, or the first of "" */
};

static const unsigned char scan_bom[3] = { 0xef, 0xbb, 0xbf };

void
csv_scanner_init(struct csv_scanner *sc, int delim)
{
	sc->state = SCAN_FIELD_START;
	sc->delim = delim;
	sc->line_has_data = 0;
	sc->line = 1;
	sc->quote_line = 0;
	sc->records = 0;
	sc->error_line = 0;
	sc->bom = 0;
	sc->prev_cr = 0;
	sc->fields = 0;
	sc->field_len = 0;
	sc->row_bytes = 0;
}

static int
scan_fail(struct csv_scanner *sc, struct j2w_err *err, const char *msg)
{
	sc->error_line = sc->line;
	return err_set(err, J2W_EDATA, "%s", msg);
}

/* One more byte of field content. */
static int
scan_add(struct csv_scanner *sc, struct j2w_err *err)
{
	if (++sc->field_len > CSV_FIELD_MAX) {
		sc->error_line = sc->line;
		return err_set(err, J2W_EDATA, "field longer than %zu bytes", CSV_FIELD_MAX);
	}
	return 0;
}

/* The end of a field: the reader stores it with a NUL and counts it. */
static int
scan_end_field(struct csv_scanner *sc, struct j2w_err *err)
{
	sc->row_bytes += sc->field_len + 1;
	sc->field_len = 0;
	if (++sc->fields > CSV_FIELDS_MAX) {
		sc->error_line = sc->line;
		return err_set(err, J2W_EDATA, "more than %d fields in a row", CSV_FIELDS_MAX);
	}
	if (sc->row_bytes > CSV_ROW_MAX) {
		sc->error_line = sc->line;
		return err_set(err, J2W_EDATA, "row longer than %zu bytes", CSV_ROW_MAX);
	}
	return 0;
}

static int
scan_end_record(struct csv_scanner *sc, struct j2w_err *err)
{
	int rc = 0;

	if (sc->line_has_data) {
		rc = scan_end_field(sc, err);
		sc->records++;
	}
	sc->line_has_data = 0;
	sc->state = SCAN_FIELD_START;
	sc->fields = 0;
	sc->field_len = 0;
	sc->row_bytes = 0;
	return rc;
}

/* The start of the input was not a whole BOM: the bytes seen so far are data. */
static int
scan_bom_is_data(struct csv_scanner *sc, struct j2w_err *err)
{
	int n = sc->bom;

	sc->bom = -1;
	for (int k = 0; k < n; k++) {
		sc->state = SCAN_UNQUOTED;
		sc->line_has_data = 1;
		if (scan_add(sc, err) < 0)
			return -1;
	}
	return 0;
}

static int
scan_byte(struct csv_scanner *sc, unsigned char c, struct j2w_err *err)
{
	int delim = (unsigned char)sc->delim;

	if (c == '\0')
		return scan_fail(sc, err, "NUL byte in a field (is the file UTF-16?)");
	switch (sc->state) {
	case SCAN_FIELD_START:
	case SCAN_UNQUOTED:
		if (c == '\n' || c == '\r') {
			/* libcsv ends a record on a lone CR too; in CRLF the LF finds it ended */
			return scan_end_record(sc, err);
		} else if (c == '"') {
			if (sc->state == SCAN_UNQUOTED)
				return scan_fail(sc, err,
				    "quote inside an unquoted field (quote the whole field)");
			sc->state = SCAN_QUOTED;
			sc->quote_line = sc->line;
			sc->line_has_data = 1;
		} else if (c == delim) {
			sc->state = SCAN_FIELD_START;
			sc->line_has_data = 1;
			return scan_end_field(sc, err);
		} else {
			sc->state = SCAN_UNQUOTED;
			sc->line_has_data = 1;
			return scan_add(sc, err);
		}
		break;
	case SCAN_QUOTED:
		if (c == '"')
			sc->state = SCAN_QUOTE_IN_QUOTED;
		else
			return scan_add(sc, err);
		break;
	case SCAN_QUOTE_IN_QUOTED:
		if (c == '"') {
			sc->state = SCAN_QUOTED;
			return scan_add(sc, err);
		} else if (c == delim) {
			sc->state = SCAN_FIELD_START;
			return scan_end_field(sc, err);
		} else if (c == '\n' || c == '\r') {
			return scan_end_record(sc, err);
		}
		return scan_fail(sc, err, "text after the closing quote of a field");
	}
	return 0;
}

/*
 * A byte that only lengthens the field it is in, whatever the state: not NUL,
 * CR, LF, a quote or the delimiter. All of those are at or below '"' except a
 * comma delimiter, so one comparison settles almost every byte.
 */
static int
scan_plain(unsigned char c, unsigned char delim)
{
	return (c > '"' || c == ' ' || c == '!') && c != delim;
}

int
csv_scanner_feed(struct csv_scanner *sc, const char *buf, size_t len, struct j2w_err *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	unsigned char delim = (unsigned char)sc->delim;

	for (size_t i = 0; i < len; i++) {
		unsigned char c;

		/* fast path: a run of plain bytes inside a field is only a length */
		if (sc->bom < 0 && (sc->state == SCAN_UNQUOTED || sc->state == SCAN_QUOTED)) {
			size_t j = i;

			while (j < len && scan_plain(u[j], delim))
				j++;
			if (j > i) {
				if (sc->field_len + (j - i) > CSV_FIELD_MAX) {
					sc->error_line = sc->line;
					return err_set(err, J2W_EDATA, "field longer than %zu bytes",
					    CSV_FIELD_MAX);
				}
				sc->field_len += j - i;
				sc->prev_cr = 0;
				i = j;
				if (i == len)
					break;
			}
		}
		c = u[i];
		if (sc->bom >= 0) {
			/* the reader skips a UTF-8 BOM at the start; so does the scan */
			if (c == scan_bom[sc->bom]) {
				if (++sc->bom == 3)
					sc->bom = -1;
				continue;
			}
			if (scan_bom_is_data(sc, err) < 0)
				return -1;
		}
		if (scan_byte(sc, c, err) < 0)
			return -1;
		/* lines end at LF, CRLF or a lone CR, inside quotes too, as the reader counts */
		if (c == '\r' || (c == '\n' && !sc->prev_cr))
			sc->line++;
		sc->prev_cr = c == '\r';
	}
	return 0;
}

int
csv_scanner_finish(struct csv_scanner *sc, struct j2w_err *err)
{
	if (sc->bom > 0 && scan_bom_is_data(sc, err) < 0)
		return -1;
	if (sc->state == SCAN_QUOTED) {
		sc->error_line = sc->quote_line;
		return err_set(err, J2W_EDATA, "quoted field opened here is never closed");
	}
	return scan_end_record(sc, err);
}
