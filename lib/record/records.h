/*
 * Input records for commands that take "JSON Lines or CSV": the format is told
 * by the first byte ('{' is JSON Lines), and a CSV row becomes a JSON object
 * keyed by its header names, lower-cased with spaces as '_' ("Calling Behavior"
 * is calling_behavior); empty cells are absent keys, and the cells of a user
 * record that are not strings in JSON get their types back (user_retype).
 */
#ifndef J2W_RECORDS_H
#define J2W_RECORDS_H

#include <stdio.h>
#include <jansson.h>

#include "util/j2w_err.h"

/* Called per record with its source "NAME:LINE"; a non-zero return stops reading. */
typedef int records_fn(const json_t *rec, const char *source, void *ctx);

/*
 * Reads every record of fp (name is used in sources and messages; "-" shows as
 * <stdin>). Returns 0, the callback's non-zero value, or -1 with err
 * (J2W_EDATA for bad JSON, malformed CSV, a CSV whose first row is data rather
 * than a header (a name holding '@') or whose header names no person or contact
 * column (email, webex_email, mailid, directory_uri, userid, jid, owner,
 * contact, owner_email, contact_email), or text that is not UTF-8).
 */
int records_read(FILE *fp, const char *name, records_fn *fn, void *ctx, struct j2w_err *err);

#endif
