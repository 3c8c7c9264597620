/* Finding records and severities, and findings written as they come. */
#include <strings.h>

#include "record/findings.h"
#include "util/csvio.h"
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

int
findings_out_header(struct findings_out *o, const char *const *names)
{
	return o->delim != 0 ? csv_write_row(o->fp, o->delim, names, o->ncols, NULL) : 0;
}

int
findings_out_put(struct findings_out *o, const json_t *f)
{
	const char *sevname = json_get_str(f, "severity");
	enum severity sev;
	int rc;

	if (o->delim == 0) {
		rc = jsonl_write(o->fp, f);
	} else {
		const char *cells[FINDINGS_OUT_MAX_COLS];
		size_t n = o->ncols < FINDINGS_OUT_MAX_COLS ? o->ncols : FINDINGS_OUT_MAX_COLS;

		for (size_t k = 0; k < n; k++)
			cells[k] = json_get_str(f, o->keys[k]);
		rc = csv_write_row(o->fp, o->delim, cells, n, NULL);
	}
	if (sevname != NULL && severity_parse(sevname, &sev) == 0) {
		o->count[sev]++;
		if (severity_trips(sev, o->fail_on))
			o->tripped = 1;
	}
	return rc < 0 || ferror(o->fp) ? -1 : 0;
}
