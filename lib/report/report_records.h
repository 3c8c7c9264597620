/* The report's reader of JSON Lines: findings, reconcile users and apply results, by shape. */
#ifndef J2W_REPORT_RECORDS_H
#define J2W_REPORT_RECORDS_H

#include <stdio.h>
#include <jansson.h>

#include "report/report.h"
#include "util/j2w_err.h"

/*
 * Reads a stream of JSON Lines into r; name is for messages ("-" is
 * "<stdin>") and names the wave of apply results that do not say theirs. A
 * line or record that cannot be used becomes an INPUT finding and reading goes
 * on (up to 1,000 in one stream). User records that were never reconciled
 * (j2w-users output: a user ID, no status) are counted in r->unreconciled and
 * become one NOT-RECONCILED finding for the stream, not one per record.
 * Returns 0, or -1 with err on a read error (J2W_ESYS) or ENOMEM.
 */
int report_read_stream(struct report *r, FILE *fp, const char *name, struct j2w_err *err);

/*
 * Adds one record, recognised by its shape: a finding (tool, check, severity),
 * a reconcile user (status and a findings array), an apply result (email,
 * action, result); a user record never reconciled is only counted
 * (r->unreconciled). where ("FILE:LINE") names it in the INPUT finding made for a
 * record of no known shape. wave is the wave an apply result belongs to when
 * it does not say (may be NULL). Returns 0, or -1 on ENOMEM.
 */
int report_add_record(struct report *r, json_t *rec, const char *where, const char *wave,
    struct j2w_err *err);

#endif
