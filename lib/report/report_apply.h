/* The report's readers of j2w-apply output: per-user result records and the SQLite journal. */
#ifndef J2W_REPORT_APPLY_H
#define J2W_REPORT_APPLY_H

#include <jansson.h>

#include "report/report.h"
#include "util/j2w_err.h"

/* The chart state of a result or journal state name; -1 when unknown. */
int report_apply_state(const char *name);

/*
 * Adds one apply result record (email, action, result) to its wave: the
 * record's "wave", else the file named in its "source", else wave (may be
 * NULL: "apply"). A result j2w-apply does not write is an INPUT finding at
 * where. Returns 0, or -1 on ENOMEM.
 */
int report_apply_record(struct report *r, const json_t *rec, const char *where,
    const char *wave, struct j2w_err *err);

/*
 * Loads the rules of a wave into r->rules, to be given before any input is
 * read. spec is "WAVE=FILE", or FILE for the wave named after the file
 * (wave1.rules: wave1), as journals are. The file is added to r->sources.
 * Returns 0, or -1 with err: J2W_EUSAGE when it cannot be opened, J2W_EDATA
 * when a rule cannot be read (rules.h), J2W_ESYS on a read error or ENOMEM.
 */
int report_add_rules(struct report *r, const char *spec, struct j2w_err *err);

/*
 * Reads a j2w-apply journal read-only into the wave it names (meta "wave"),
 * else the wave named after the file. Returns 0, or -1 with err: J2W_EDATA
 * when it is not a journal this reader knows or a user row cannot be read
 * (rows before it are kept), J2W_ESYS when it cannot be opened or read.
 */
int report_read_journal(struct report *r, const char *path, struct j2w_err *err);

#endif
