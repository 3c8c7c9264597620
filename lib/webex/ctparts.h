/*
 * Control Hub CSV files written as their rows come, so that no row is kept in
 * memory: one file, or parts (FILE-001.csv, FILE-002.csv, ...) started as
 * each fills; every part under a temporary name until all are complete, then
 * all renamed into place. Or one stream, for a command that spools stdout.
 */
#ifndef J2W_CTPARTS_H
#define J2W_CTPARTS_H

#include <stdio.h>
#include <jansson.h>

#include "util/atomicfile.h"
#include "util/j2w_err.h"
#include "webex/ctcsv.h"

struct ctparts {
	const struct ctcsv_template *t;
	char *path;		/* the output; NULL when writing to a stream */
	int numbered;		/* parts are always PATH-NNN; else PATH until a second part */
	size_t max_rows;	/* rows per part (a new part starts past it); 0: no limit */
	FILE *fp;		/* where rows go now; NULL before the first part */
	struct atomic_file **parts;	/* each allocated alone: its address must not move */
	size_t nparts;		/* parts started */
	size_t cap;
	size_t in_part;		/* rows in the current part */
	unsigned long rows;	/* rows written, and on a stream past max_rows counted */
	int overflow;		/* a stream had more than max_rows rows: the rest are not written */
	int header_due;		/* the current part has no header yet (it comes with a row) */
	const char **cells;
	char *scratch;
};

/*
 * Sets up parts of t at path (ctcsv_part_name names them). Unnumbered: the
 * first part, PATH, is started now (an empty file when no row comes) and
 * becomes PATH-001 when a second is needed. Numbered: no part until
 * ctparts_next. Returns 0, or -1 with err (J2W_ESYS, J2W_EUSAGE for a path
 * that is a directory); release p either way.
 */
int ctparts_open(struct ctparts *p, const struct ctcsv_template *t, const char *path,
    int numbered, size_t max_rows, struct j2w_err *err);
/*
 * Sets up one stream fp (not owned) with its header written. Past max_rows
 * rows (0: no limit) sets overflow and counts rows without writing them, so a
 * command can say how many there were. Returns 0 or -1 with err.
 */
int ctparts_open_stream(struct ctparts *p, const struct ctcsv_template *t, FILE *fp,
    size_t max_rows, struct j2w_err *err);

/*
 * Closes the current part (flushed and synced, still under its temporary name)
 * and starts the next with its header. Returns 0, or -1 with err (J2W_ESYS;
 * J2W_EUSAGE when PATH is a device or pipe, which cannot be split).
 */
int ctparts_next(struct ctparts *p, struct j2w_err *err);

/* Writes rec as a row under t, starting a part first when max_rows are in. 0 or -1 with err. */
int ctparts_row(struct ctparts *p, const json_t *rec, struct j2w_err *err);
/* Writes a row already formatted (ctparts_format), as ctparts_row. */
int ctparts_raw(struct ctparts *p, const void *row, size_t len, struct j2w_err *err);
/* Writes rec as a row under p's template to any fp (a spool). Returns 0 or -1 (errno). */
int ctparts_format(struct ctparts *p, FILE *fp, const json_t *rec);

/* Renames every part into place (a stream is flushed). Returns 0 or -1 with err. */
int ctparts_commit(struct ctparts *p, struct j2w_err *err);
/* Removes the temporary files of parts not committed and frees p; safe to call twice. */
void ctparts_release(struct ctparts *p);

#endif
