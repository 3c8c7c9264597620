/*
 * CUCM Bulk Administration (BAT) user exports: enduser.csv on its own or inside
 * the export tar (header.txt, enduser.csv, phone.csv, ...). Columns are found by
 * header name, repeating groups ("DEVICE NAME n") of any width.
 */
#ifndef J2W_BAT_H
#define J2W_BAT_H

#include <stdint.h>
#include <stdio.h>

#include "cucm/device.h"
#include "record/user.h"
#include "util/csvio.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/* Where each record field lives in one enduser.csv header. */
struct bat_map {
	long userid, first_name, last_name, display_name, mailid, directory_uri;
	long telephone_number, department, title, manager, home_cluster, im_presence;
	long service_profile, uuid, primary_extension;
	long *device_cols;	/* DEVICE NAME 1..n (or CONTROLLED DEVICE n), in order */
	size_t ndevice_cols;
	long *extension_cols;	/* PRIMARY EXTENSION 1..n, in order */
	size_t nextension_cols;
	long *usage_cols;	/* TYPE PATTERN USAGE 1..n: what line n is to the user */
	size_t nusage_cols;
	size_t ncolumns;
};

/* Builds the map; J2W_EDATA when there is no USER ID column. */
int bat_map_init(struct bat_map *map, const struct csv_header *h, struct j2w_err *err);
void bat_map_release(struct bat_map *map);

/*
 * Turns one data row into u (which must be initialised and empty). Device types
 * come from phones (may be NULL), else from the name prefix. latin1 re-reads
 * bytes as ISO-8859-1. source is the record's "bat:FILE:LINE".
 * primary_extension is PRIMARY EXTENSION (an Update Users file), else the
 * PRIMARY EXTENSION n whose TYPE PATTERN USAGE n says Primary, else the first
 * line whose usage is not known to be another (IPCC, intercom); numbers lose
 * CUCM's escape ("\+1408..." is "+1408...").
 * Returns 0 for a user, 1 when the row cannot be used (why in problem), or -1
 * with err (out of memory).
 */
int bat_row_to_user(const struct bat_map *map, const struct csv_header *h,
    const struct csv_row *row, const struct device_map *phones, int latin1,
    const char *source, struct user *u, struct strbuf *problem, struct j2w_err *err);

/* An enduser.csv up to this size is checked whole when it is opened. */
#define BAT_CHECK_WHOLE_MAX ((off_t)1 << 20)

/* A BAT export opened for streaming. */
struct bat_export {
	FILE *fp;		/* the CSV, or the stream of a tar's enduser.csv */
	char *label;		/* "enduser.csv" or "export.tar/enduser.csv", for messages */
	off_t csv_size;		/* -1: to end of file */
	off_t size;		/* bytes of enduser.csv when known (for progress), else -1 */
	int checked;		/* the whole CSV was checked at open */
	unsigned long records;	/* data rows, when checked; else 0 */
	int latin1;
	struct device_map phones;
	int have_phones;
	struct csv_reader reader;
	struct csv_header header;
	struct bat_map map;
	struct strbuf source;	/* "bat:LABEL:" and the line of the last row */
	size_t source_prefix;	/* the length of "bat:LABEL:" */
};

/*
 * Opens path ("-" for stdin) as an enduser.csv or an export tar, loads phone.csv
 * (from the tar, or beside the CSV) for device types, and reads the header row.
 * stdin, and a path that is a pipe, are first spooled to a temporary file (to be
 * sniffed for a tar and sized). The CSV is read in one pass: one of at most
 * BAT_CHECK_WHOLE_MAX bytes is checked whole here (checked, records set), a
 * larger one as it is read, so bat_export_next can fail on a malformed row
 * after earlier rows were returned: a caller that must print nothing for a
 * malformed export holds its output until bat_export_next returns 0.
 * Returns 0, or -1 with err: J2W_EUSAGE/J2W_ESYS when it cannot be read,
 * J2W_EDATA ("FILE:LINE: ...") when it is not a usable export.
 */
int bat_export_open(struct bat_export *bx, const char *path, int latin1, struct j2w_err *err);
/*
 * As bat_export_open, and calls scanned (when not NULL) now and then during the
 * validating pass with the bytes checked so far and the CSV's size (0: unknown),
 * for a command that shows that pass's progress.
 */
int bat_export_open_watched(struct bat_export *bx, const char *path, int latin1,
    void (*scanned)(void *ctx, uint64_t done, uint64_t total), void *ctx, struct j2w_err *err);

/*
 * The next user. Returns 1 with u filled (caller user_release()s), 2 when a row
 * cannot be used (problem says "FILE:LINE: why"), 0 at the end, -1 with err
 * (J2W_EDATA "FILE:LINE: ..." for malformed CSV, J2W_ESYS for a read error).
 */
int bat_export_next(struct bat_export *bx, struct user *u, struct strbuf *problem,
    struct j2w_err *err);
/* Bytes of enduser.csv read so far (whole buffers ahead of the rows returned). */
off_t bat_export_offset(const struct bat_export *bx);
void bat_export_close(struct bat_export *bx);

#endif
