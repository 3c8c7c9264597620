/* The report's inputs: which reader each input file needs, and when the report says it was made. */
#ifndef J2W_REPORT_INPUT_H
#define J2W_REPORT_INPUT_H

#include <stddef.h>
#include <time.h>

#include "report/report.h"
#include "util/j2w_err.h"

/*
 * Reads one input into r: path "-" is stdin. An SQLite file is read as a
 * j2w-chat-archive database when the archive module recognises it, else as a
 * j2w-apply journal when the journal module does; another SQLite file is
 * J2W_EDATA. Anything else is JSON Lines (report_records.h). Each input is
 * added to r->sources with its size and SHA-256 as read (a database with its
 * write-ahead log, when SQLite left one). Returns 0, or -1 with err:
 * J2W_EUSAGE when the file cannot be opened (SPEC §2: exit 2 in every
 * command), J2W_ESYS when it cannot be read or on ENOMEM, J2W_EDATA for an
 * SQLite file the report cannot read.
 */
int report_read_path(struct report *r, const char *path, struct j2w_err *err);

/*
 * As report_read_path, but an SQLite file the report cannot read (J2W_EDATA:
 * not a journal or archive it knows) is listed in the report as a j2w-report
 * INPUT finding (ERROR) that says what to give instead, and counted in
 * r->unreadable. Returns 0; 1 when path was listed so, err saying why (for
 * the command to tell); -1 with err (report_read_path's other errors, ENOMEM).
 */
int report_read_or_list(struct report *r, const char *path, struct j2w_err *err);

/*
 * When the report says it was made, "YYYY-MM-DD HH:MM:SS UTC" into buf (""
 * when it cannot be shown): sde, the value of SOURCE_DATE_EPOCH (seconds since
 * 1970, the reproducible-builds convention, for a report that is the same byte
 * for byte), when not NULL or empty; else now. Returns 0, or -1 with err
 * (J2W_EUSAGE) when sde is not such a number.
 */
int report_generated_at(const char *sde, time_t now, char *buf, size_t size,
    struct j2w_err *err);

/*
 * Reads the whole file at path (at most max bytes) into *data (NUL-terminated,
 * length *len; the caller frees it) and adds it to r->sources as kind (a
 * static string) with its size and SHA-256. Returns 0, or -1 with err:
 * J2W_EUSAGE when it cannot be opened, J2W_EDATA when it is larger than max,
 * J2W_ESYS on a read error or ENOMEM.
 */
int report_read_source(struct report *r, const char *path, const char *kind, size_t max,
    char **data, size_t *len, struct j2w_err *err);

#endif
