/* csv_scanner: a byte-at-a-time RFC 4180 state machine that only validates and counts. */
#include "csvscan.h"

enum {
	SCAN_FIELD_START,	/* at the start of a field */
	SCAN_UNQUOTED,		/* inside an unquoted field */
	SCAN_QUOTED,		/* inside quotes */
	SCAN_QUOTE_IN_QUOTED	/* saw a quote inside quotes: end, or the first of "" */
};

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
}

static void
scan_end_record(struct csv_scanner *sc)
{
	if (sc->line_has_data)
		sc->records++;
	sc->line_has_data = 0;
	sc->state = SCAN_FIELD_START;
}

int
csv_scanner_feed(struct csv_scanner *sc, const char *buf, size_t len, struct j2w_err *err)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		switch (sc->state) {
		case SCAN_FIELD_START:
		case SCAN_UNQUOTED:
			if (c == '\n') {
				scan_end_record(sc);
				sc->line++;
			} else if (c == '\r') {
				/* libcsv ends a record on a lone CR too; in CRLF the LF finds it ended */
				scan_end_record(sc);
			} else if (c == '"') {
				if (sc->state == SCAN_UNQUOTED) {
					sc->error_line = sc->line;
					return err_set(err, J2W_EDATA,
					    "quote inside an unquoted field (quote the whole field)");
				}
				sc->state = SCAN_QUOTED;
				sc->quote_line = sc->line;
				sc->line_has_data = 1;
			} else if (c == sc->delim) {
				sc->state = SCAN_FIELD_START;
				sc->line_has_data = 1;
			} else {
				sc->state = SCAN_UNQUOTED;
				sc->line_has_data = 1;
			}
			break;
		case SCAN_QUOTED:
			if (c == '"')
				sc->state = SCAN_QUOTE_IN_QUOTED;
			else if (c == '\n')
				sc->line++;
			break;
		case SCAN_QUOTE_IN_QUOTED:
			if (c == '"') {
				sc->state = SCAN_QUOTED;
			} else if (c == sc->delim) {
				sc->state = SCAN_FIELD_START;
			} else if (c == '\n' || c == '\r') {
				scan_end_record(sc);
				if (c == '\n')
					sc->line++;
			} else {
				sc->error_line = sc->line;
				return err_set(err, J2W_EDATA, "text after the closing quote of a field");
			}
			break;
		}
	}
	return 0;
}

int
csv_scanner_finish(struct csv_scanner *sc, struct j2w_err *err)
{
	if (sc->state == SCAN_QUOTED) {
		sc->error_line = sc->quote_line;
		return err_set(err, J2W_EDATA, "quoted field opened here is never closed");
	}
	scan_end_record(sc);
	return 0;
}
