/* Finding records and severities. */
#include <strings.h>

#include "record/findings.h"
#include "util/jsonl.h"

static const char *const severity_names[] = { "OK", "INFO", "WARN", "FAIL", "ERROR" };

const char *
severity_name(enum severity s)
{
	return (unsigned)s < 5 ? severity_names[s] : "ERROR";
}

int
severity_parse(const char *s, enum severity *out)
{
	for (int i = 0; i < 5; i++) {
		if (strcasecmp(s, severity_names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}

json_t *
finding_new(const char *tool, const char *check, enum severity sev,
    const char *subject, const char *view, const char *message, json_t *evidence)
{
	json_t *f = json_object();
	int rc = 0;

	if (f == NULL) {
		json_decref(evidence);
		return NULL;
	}
	rc |= json_set_str(f, "tool", tool);
	rc |= json_set_str(f, "check", check);
	rc |= json_set_str(f, "severity", severity_name(sev));
	rc |= json_set_str(f, "subject", subject);
	rc |= json_set_str(f, "view", view);
	rc |= json_set_str(f, "message", message);
	if (evidence != NULL)
		rc |= json_object_set_new(f, "evidence", evidence);
	if (rc != 0) {
		json_decref(f);
		return NULL;
	}
	return f;
}

int
severity_trips(enum severity sev, enum severity fail_on)
{
	/* the enum is ordered so that ERROR trips every threshold FAIL does */
	return sev >= fail_on;
}
