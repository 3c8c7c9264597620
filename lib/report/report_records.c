/* The report's reader of JSON Lines: each record recognised by its shape and added to the model. */
#include <stdlib.h>
#include <string.h>

#include "record/person.h"
#include "report/report_apply.h"
#include "report/report_records.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "webex/wave.h"

/* Unreadable lines in one file after which the rest of it is not read. */
#define REPORT_BAD_LINES_MAX 1000

static int
oom(struct j2w_err *err)
{
	return err_set(err, J2W_ESYS, "out of memory");
}

/*
 * The domain a j2w-dns-check finding is about: evidence.domain when given;
 * the subject of RECORD-NAME; an SRV name without its leading _service._proto
 * labels. Other subjects (SRV targets for *-RESOLVE and TLS-*) belong to the
 * SRV finding read just before them, which is how j2w-dns-check writes them.
 */
static int
dns_domain(struct report *r, const json_t *rec, const char *check, const char *subject,
    const char **out, struct j2w_err *err)
{
	const json_t *ev = json_object_get(rec, "evidence");
	const char *d = json_get_str(ev, "domain");
	char *copy;

	*out = NULL;
	if (d == NULL && subject != NULL && strcmp(check, "RECORD-NAME") == 0)
		d = subject;
	if (d == NULL && subject != NULL && subject[0] == '_') {
		d = subject;
		while (d[0] == '_' && strchr(d, '.') != NULL)
			d = strchr(d, '.') + 1;
		if (d[0] == '_' || d[0] == '\0')
			d = NULL;
	}
	if (d == NULL) {
		*out = r->dns_domain;
		return 0;
	}
	if ((copy = strdup(d)) == NULL)
		return oom(err);
	free(r->dns_domain);
	r->dns_domain = copy;
	*out = copy;
	return 0;
}

/*
 * Adds a finding record (tool, check and severity already known to be strings);
 * person is the reconcile person it is about (REPORT_NONE: none) and repeat
 * whether that person was read before.
 */
static int
add_finding(struct report *r, const json_t *rec, size_t person, int repeat, const char *where,
    struct j2w_err *err)
{
	const char *tool = json_get_str(rec, "tool");
	const char *check = json_get_str(rec, "check");
	const char *subject = json_get_str(rec, "subject");
	const char *domain = NULL;
	enum severity sev;

	if (severity_parse(json_get_str(rec, "severity"), &sev) < 0) {
		struct strbuf sb;
		int rc;

		strbuf_init(&sb, 4096);
		strbuf_addf(&sb, "finding %s %s has an unknown severity", tool, check);
		rc = report_add_unreadable(r, where, sb.buf, err);
		strbuf_release(&sb);
		return rc;
	}
	if (person != REPORT_NONE)
		return report_add_person_item(r, person, repeat, tool, check, sev, subject,
		    json_get_str(rec, "view"), json_get_str(rec, "message"), json_get_str(rec, "fix"),
		    err);
	if (strcmp(tool, "j2w-dns-check") == 0 && dns_domain(r, rec, check, subject, &domain, err) < 0)
		return -1;
	return report_add_item(r, tool, check, sev, subject, json_get_str(rec, "view"),
	    json_get_str(rec, "message"), json_get_str(rec, "fix"), NULL, domain, err);
}

static int
is_finding(const json_t *rec)
{
	return json_get_str(rec, "tool") != NULL && json_get_str(rec, "check") != NULL &&
	    json_get_str(rec, "severity") != NULL;
}

/* "Display Name <email>" for a user record, or whichever part it has. */
static void
user_label(struct strbuf *sb, const json_t *rec)
{
	const char *name = json_get_str(rec, "display_name");
	const char *mail = json_get_str(rec, "webex_email");

	if (mail == NULL)
		mail = json_get_str(rec, "jid");
	if (mail == NULL)
		mail = json_get_str(rec, "mailid");
	if (name == NULL)
		name = json_get_str(rec, "userid");
	if (name != NULL && mail != NULL)
		strbuf_addf(sb, "%s <%s>", name, mail);
	else if (name != NULL || mail != NULL)
		strbuf_addstr(sb, name != NULL ? name : mail);
	else
		strbuf_addstr(sb, "(user without a name)");
}

/*
 * A reconcile user record: one person (the copies two clusters export are
 * one, by lib/record/person.h's rule), counted once, with each finding listed
 * once for the person.
 */
static int
add_reconcile_user(struct report *r, const json_t *rec, const char *where, struct j2w_err *err)
{
	const char *status = json_get_str(rec, "status");
	const char *mail = json_get_str(rec, "webex_email");
	const json_t *fs = json_object_get(rec, "findings");
	struct strbuf label, key;
	unsigned char *kind = NULL;
	size_t i, person;
	json_t *f;
	int rc = 0, repeat, known;

	/* the domain of the Webex email (or JID) counts for the DNS findings */
	if (mail == NULL)
		mail = json_get_str(rec, "jid");
	strbuf_init(&label, 4096);
	strbuf_init(&key, 8192);
	user_label(&label, rec);
	if (r->nrules > 0 && (kind = malloc(r->nrules)) == NULL) {
		rc = oom(err);
		goto out;
	}
	/* what each wave's rules make of the user, as j2w-apply --rules decides it */
	for (size_t w = 0; w < r->nrules; w++) {
		struct wave_entry e;

		wave_take(rec, &r->rules[w].rules, &e);
		kind[w] = (unsigned char)e.kind;
	}
	if ((known = person_key(rec, &key)) < 0 ||
	    report_person_note(r, known ? key.buf : NULL, status, mail, person_webex_email(rec),
	    label.buf, kind, &person, &repeat, err) < 0) {
		if (known < 0)
			oom(err);
		rc = -1;
		goto out;
	}
	json_array_foreach(fs, i, f) {
		if (!is_finding(f)) {
			rc = report_add_unreadable(r, where, "a finding of this user record has no tool, "
			    "check or severity", err);
		} else {
			rc = add_finding(r, f, person, repeat, where, err);
		}
		if (rc < 0)
			break;
	}
out:
	free(kind);
	strbuf_release(&key);
	strbuf_release(&label);
	return rc;
}

int
report_add_record(struct report *r, json_t *rec, const char *where, const char *wave,
    struct j2w_err *err)
{
	r->records++;
	if (is_finding(rec))
		return add_finding(r, rec, REPORT_NONE, 0, where, err);
	if (json_get_str(rec, "status") != NULL && json_is_array(json_object_get(rec, "findings")))
		return add_reconcile_user(r, rec, where, err);
	if (json_get_str(rec, "email") != NULL && json_get_str(rec, "action") != NULL &&
	    json_get_str(rec, "result") != NULL)
		return report_apply_record(r, rec, where, wave, err);
	if (json_get_str(rec, "userid") != NULL && json_object_get(rec, "status") == NULL &&
	    json_object_get(rec, "findings") == NULL) {
		/* j2w-users output: a step was skipped; the stream says so once */
		r->unreconciled++;
		return 0;
	}
	return report_add_unreadable(r, where, "a record of no shape the report knows (finding, "
	    "reconcile user, apply result)", err);
}

/* The wave a file's apply results belong to by default: its name without directory and extension. */
static void
file_wave(struct strbuf *sb, const char *name)
{
	const char *base = strrchr(name, '/'), *dot;

	base = base != NULL ? base + 1 : name;
	dot = strrchr(base, '.');
	if (strcmp(name, "-") == 0 || base[0] == '\0')
		strbuf_addstr(sb, "apply");
	else if (dot != NULL && dot > base)
		strbuf_add(sb, base, (size_t)(dot - base));
	else
		strbuf_addstr(sb, base);
}

int
report_read_stream(struct report *r, FILE *fp, const char *name, struct j2w_err *err)
{
	struct jsonl_reader jr;
	struct strbuf wave, where;
	unsigned long bad = 0, unreconciled = r->unreconciled;
	int rc = 0;

	/* SRV targets belong to the SRV finding before them in the same input only */
	free(r->dns_domain);
	r->dns_domain = NULL;
	jsonl_reader_init(&jr, fp, name);
	strbuf_init(&wave, 4096);
	strbuf_init(&where, 4096);
	file_wave(&wave, name);
	for (;;) {
		json_t *rec;
		int got = jsonl_next(&jr, &rec, err);

		if (got == 0)
			break;
		strbuf_reset(&where);
		strbuf_addf(&where, "%s:%lu", strcmp(name, "-") == 0 ? "<stdin>" : name, jr.line);
		if (got < 0) {
			if (err->status != J2W_EDATA) {
				rc = -1;
				break;
			}
			if (report_add_unreadable(r, where.buf, err->msg, err) < 0) {
				rc = -1;
				break;
			}
			if (++bad == REPORT_BAD_LINES_MAX) {
				rc = report_add_unreadable(r, where.buf, "too many unreadable lines: the rest "
				    "of this file was not read", err);
				break;
			}
			continue;
		}
		rc = report_add_record(r, rec, where.buf, wave.buf, err);
		json_decref(rec);
		if (rc < 0)
			break;
	}
	if (rc == 0 && r->unreconciled > unreconciled) {
		unsigned long n = r->unreconciled - unreconciled;

		strbuf_reset(&where);
		strbuf_addf(&where, "%lu user record%s that j2w-reconcile has not seen (no status, "
		    "no Jabber ID): the report leaves %s out", n, n == 1 ? "" : "s",
		    n == 1 ? "it" : "them");
		rc = report_add_item(r, "j2w-report", "NOT-RECONCILED", SEV_ERROR,
		    strcmp(name, "-") == 0 ? "<stdin>" : name, NULL, where.buf,
		    "run j2w-reconcile on these user records and give the report its output instead",
		    NULL, NULL, err);
	}
	strbuf_release(&where);
	strbuf_release(&wave);
	jsonl_reader_release(&jr);
	return rc;
}
