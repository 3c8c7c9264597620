/*
 * A validating pre-pass over CSV bytes: finds the errors that would stop a parse
 * half-way (an unterminated quote, text after a closing quote, a quote inside an
 * unquoted field, a NUL byte, a field, row or field count over csv_reader's
 * limits) and counts records, before any output is written. It skips a BOM and
 * counts lines (LF, CRLF or a lone CR) exactly as csv_reader does.
 */
#ifndef J2W_CSVSCAN_H
#define J2W_CSVSCAN_H

#include <stddef.h>

#include "util/j2w_err.h"

struct csv_scanner {
	int state;
	int delim;
	int line_has_data;
	unsigned long line;		/* 1-based line being scanned */
	unsigned long quote_line;	/* where the open quote started */
	unsigned long records;		/* non-blank records seen, header included */
	unsigned long error_line;	/* the line an error is on */
	int bom;			/* BOM bytes matched at the start; -1 past it */
	int prev_cr;			/* the last byte was a CR */
	unsigned long fields;		/* fields ended in this record */
	size_t field_len;		/* bytes of the current field */
	size_t row_bytes;		/* bytes the reader would hold for this record */
};

/* Starts a scan of a file whose fields are separated by delim (',' or '\t'). */
void csv_scanner_init(struct csv_scanner *sc, int delim);
/*
 * Feeds the next bytes. Returns 0, or -1 with err (J2W_EDATA, a message without
 * the file name or line) and error_line set; the scan cannot go on after that.
 */
int csv_scanner_feed(struct csv_scanner *sc, const char *buf, size_t len, struct j2w_err *err);
/*
 * Ends the scan (an open quote at the end is an error, error_line where it
 * opened). Returns 0 or -1 with err; records then counts the non-blank records.
 */
int csv_scanner_finish(struct csv_scanner *sc, struct j2w_err *err);

#endif
