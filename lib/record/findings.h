/* Finding records (docs/formats.md), shared by every command that checks something. */
#ifndef J2W_FINDINGS_H
#define J2W_FINDINGS_H

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

#endif
