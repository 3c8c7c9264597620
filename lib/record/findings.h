/* Finding records (docs/formats.md), shared by every command that checks something. */
#ifndef J2W_FINDINGS_H
#define J2W_FINDINGS_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

enum severity { SEV_OK, SEV_INFO, SEV_WARN, SEV_FAIL, SEV_ERROR };

/* "OK", "INFO", "WARN", "FAIL", "ERROR". */
const char *severity_name(enum severity s);
/* Parses a severity name (any case). Returns 0 or -1. */
int severity_parse(const char *s, enum severity *out);

/*
 * A new finding record; evidence (may be NULL) is stolen. view and subject may
 * be NULL. Caller json_decref()s. NULL on ENOMEM or invalid UTF-8.
 */
json_t *finding_new(const char *tool, const char *check, enum severity sev,
    const char *subject, const char *view, const char *message, json_t *evidence);

/*
 * Whether a finding at sev trips --fail-on: ERROR counts as FAIL for the
 * threshold (the check could not run, so readiness is not shown).
 */
int severity_trips(enum severity sev, enum severity fail_on);

/*
 * Findings written as they come, as JSON Lines or as TSV (a column for each
 * of keys), and counted by severity for a summary line and the exit status.
 * The caller sets the fields it needs; the counts start at zero.
 */
#define FINDINGS_OUT_MAX_COLS 16

struct findings_out {
	FILE *fp;
	int delim;			/* a table: ',' (CSV) or '\t' (TSV); 0: JSON Lines */
	const char *const *keys;	/* a table: the keys shown, a column each (at most 16) */
	size_t ncols;
	enum severity fail_on;
	unsigned long count[SEV_ERROR + 1];
	int tripped;			/* a finding at or above fail_on was written */
};

/* Writes the TSV header row, names[ncols] (nothing for JSON Lines). Returns 0 or -1 (check ferror). */
int findings_out_header(struct findings_out *o, const char *const *names);

/*
 * Writes finding f (not taken) and counts it by its "severity"; a finding
 * without one is written, not counted. Returns 0, or -1 when it could not be
 * written (check ferror).
 */
int findings_out_put(struct findings_out *o, const json_t *f);

#endif
