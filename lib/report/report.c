/* The report model: records of any j2w command recognised by shape, counted and ordered. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* Unreadable lines in one file after which the rest of it is not read. */
#define REPORT_BAD_LINES_MAX 1000

struct fix_entry {
	const char *tool, *check, *fix;
};

/* Generated from the docs/checks pages by scripts/gen-report-fixes. */
static const struct fix_entry doc_fixes[] = {
#include "report/report_fixes.inc"
};

static int
oom(struct j2w_err *err)
{
	return err_set(err, J2W_ESYS, "out of memory");
}

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

static void
item_release(struct report_item *it)
{
	free(it->tool);
	free(it->check);
	free(it->subject);
	free(it->view);
	free(it->message);
	free(it->fix);
	free(it->user);
	free(it->domain);
}

void
report_release(struct report *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		item_release(&r->items[i]);
	free(r->items);
	for (size_t i = 0; i < r->nwaves; i++) {
		free(r->waves[i].name);
		json_decref(r->waves[i].users);
	}
	free(r->waves);
	for (size_t i = 0; i < r->narchives; i++) {
		struct report_archive *a = &r->archives[i];

		free(a->name);
		free(a->first);
		free(a->last);
		free(a->status);
		free(a->when);
	}
	free(r->archives);
	for (size_t i = 0; i < r->nareas; i++)
		free(r->areas[i].tool);
	free(r->areas);
	free(r->order);
	free(r->dns_domain);
	json_decref(r->user_domains);
	memset(r, 0, sizeof(*r));
}

/* Counts the user under the domain of their Webex email (or JID), for the DNS findings. */
static int
count_user_domain(struct report *r, const json_t *rec, struct j2w_err *err)
{
	const char *mail = json_get_str(rec, "webex_email");
	const char *at;
	struct strbuf dom;
	json_int_t n;
	int rc = 0;

	if (mail == NULL)
		mail = json_get_str(rec, "jid");
	if (mail == NULL || (at = strrchr(mail, '@')) == NULL || at[1] == '\0')
		return 0;
	if (r->user_domains == NULL && (r->user_domains = json_object()) == NULL)
		return oom(err);
	strbuf_init(&dom, 1024);
	if (utf8_lower(&dom, at + 1, strlen(at + 1)) < 0) {
		strbuf_release(&dom);
		return 0;	/* a domain longer than any DNS name: no DNS finding is about it */
	}
	n = json_integer_value(json_object_get(r->user_domains, dom.buf));
	if (json_object_set_new(r->user_domains, dom.buf, json_integer(n + 1)) < 0)
		rc = oom(err);
	strbuf_release(&dom);
	return rc;
}

/*
 * A DNS finding at WARN or above affects the users whose address is in its
 * domain: says how many, as reconcile counted them.
 */
static int
dns_affects(struct report *r, struct j2w_err *err)
{
	struct strbuf sb;

	if (r->user_domains == NULL)
		return 0;
	strbuf_init(&sb, 1024);
	for (size_t i = 0; i < r->nitems; i++) {
		struct report_item *it = &r->items[i];
		json_int_t n;

		if (it->sev < SEV_WARN || it->user != NULL || it->domain == NULL ||
		    strcmp(it->tool, "j2w-dns-check") != 0)
			continue;
		n = json_integer_value(json_object_get(r->user_domains, it->domain));
		if (n <= 0)
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%lld user%s with @%s addresses", (long long)n, n == 1 ? "" : "s",
		    it->domain);
		if ((it->user = strdup(sb.buf)) == NULL) {
			strbuf_release(&sb);
			return oom(err);
		}
	}
	strbuf_release(&sb);
	return 0;
}

/* strdup that keeps NULL; sets *bad on ENOMEM. */
static char *
dup_or_null(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

int
report_add_item(struct report *r, const char *tool, const char *check, enum severity sev,
    const char *subject, const char *view, const char *message, const char *fix,
    const char *user, const char *domain, struct j2w_err *err)
{
	struct report_item *it;
	int bad = 0;

	if (r->nitems == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct report_item *v = realloc(r->items, cap * sizeof(*v));

		if (v == NULL)
			return oom(err);
		r->items = v;
		r->cap = cap;
	}
	it = &r->items[r->nitems];
	memset(it, 0, sizeof(*it));
	it->tool = dup_or_null(tool, &bad);
	it->check = dup_or_null(check, &bad);
	it->subject = dup_or_null(subject, &bad);
	it->view = dup_or_null(view, &bad);
	it->message = dup_or_null(message, &bad);
	it->fix = dup_or_null(fix, &bad);
	it->user = dup_or_null(user, &bad);
	it->domain = dup_or_null(domain, &bad);
	it->sev = sev;
	it->seq = r->nitems;
	if (bad) {
		item_release(it);
		return oom(err);
	}
	r->nitems++;
	return 0;
}

/* A record that cannot be used: an ERROR finding of j2w-report, and counted. */
static int
add_unreadable(struct report *r, const char *where, const char *why, struct j2w_err *err)
{
	r->unreadable++;
	return report_add_item(r, "j2w-report", "INPUT", SEV_ERROR, where, NULL, why,
	    "produce the input again with the j2w command that writes it; the report "
	    "leaves this record out", NULL, NULL, err);
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

/* Adds a finding record (tool, check and severity already known to be strings). */
static int
add_finding(struct report *r, const json_t *rec, const char *user, const char *where,
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
		rc = add_unreadable(r, where, sb.buf, err);
		strbuf_release(&sb);
		return rc;
	}
	if (strcmp(tool, "j2w-dns-check") == 0 && dns_domain(r, rec, check, subject, &domain, err) < 0)
		return -1;
	return report_add_item(r, tool, check, sev, subject, json_get_str(rec, "view"),
	    json_get_str(rec, "message"), json_get_str(rec, "fix"), user, domain, err);
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

static int
add_reconcile_user(struct report *r, const json_t *rec, const char *where, struct j2w_err *err)
{
	const char *status = json_get_str(rec, "status");
	const json_t *fs = json_object_get(rec, "findings");
	struct strbuf label;
	size_t i;
	json_t *f;
	int rc = 0;

	if (strcmp(status, "ok") == 0)
		r->users[0]++;
	else if (strcmp(status, "review") == 0)
		r->users[1]++;
	else if (strcmp(status, "blocked") == 0)
		r->users[2]++;
	else
		r->users_other++;
	if (count_user_domain(r, rec, err) < 0)
		return -1;
	strbuf_init(&label, 4096);
	user_label(&label, rec);
	json_array_foreach(fs, i, f) {
		if (!is_finding(f)) {
			rc = add_unreadable(r, where, "a finding of this user record has no tool, "
			    "check or severity", err);
		} else {
			rc = add_finding(r, f, label.buf, where, err);
		}
		if (rc < 0)
			break;
	}
	strbuf_release(&label);
	return rc;
}

/* The wave of an apply result: its "wave", else the file of its "source", else dflt. */
static void
result_wave(struct strbuf *sb, const json_t *rec, const char *dflt)
{
	const char *w = json_get_str(rec, "wave");
	const char *src = json_get_str(rec, "source");

	if (w != NULL) {
		strbuf_addstr(sb, w);
		return;
	}
	if (src != NULL && strchr(src, ':') != NULL) {
		const char *end = strrchr(src, ':'), *slash, *dot;

		for (slash = end; slash > src && slash[-1] != '/'; slash--)
			;
		for (dot = end; dot > slash && *dot != '.'; dot--)
			;
		if (dot == slash)
			dot = end;
		if (dot > slash) {
			strbuf_add(sb, slash, (size_t)(dot - slash));
			return;
		}
	}
	strbuf_addstr(sb, dflt != NULL ? dflt : "apply");
}

static int
add_apply_result(struct report *r, const json_t *rec, const char *where, const char *wave,
    struct j2w_err *err)
{
	const char *result = json_get_str(rec, "result");
	int state = report_apply_state(result);
	struct strbuf w;
	int rc;

	if (state < 0) {
		struct strbuf sb;

		strbuf_init(&sb, 4096);
		strbuf_addf(&sb, "apply result '%s' is not one j2w-apply writes", result);
		rc = add_unreadable(r, where, sb.buf, err);
		strbuf_release(&sb);
		return rc;
	}
	strbuf_init(&w, 4096);
	result_wave(&w, rec, wave);
	rc = report_apply_note(r, w.buf, json_get_str(rec, "email"),
	    (enum report_apply_state)state, result, json_get_str(rec, "error"), err);
	strbuf_release(&w);
	return rc;
}

int
report_add_record(struct report *r, json_t *rec, const char *where, const char *wave,
    struct j2w_err *err)
{
	r->records++;
	if (is_finding(rec))
		return add_finding(r, rec, NULL, where, err);
	if (json_get_str(rec, "status") != NULL && json_is_array(json_object_get(rec, "findings")))
		return add_reconcile_user(r, rec, where, err);
	if (json_get_str(rec, "email") != NULL && json_get_str(rec, "action") != NULL &&
	    json_get_str(rec, "result") != NULL)
		return add_apply_result(r, rec, where, wave, err);
	return add_unreadable(r, where, "a record of no shape the report knows (finding, "
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
	unsigned long bad = 0;
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
			if (add_unreadable(r, where.buf, err->msg, err) < 0) {
				rc = -1;
				break;
			}
			if (++bad == REPORT_BAD_LINES_MAX) {
				rc = add_unreadable(r, where.buf, "too many unreadable lines: the rest "
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
	strbuf_release(&where);
	strbuf_release(&wave);
	jsonl_reader_release(&jr);
	return rc;
}

int
report_read_path(struct report *r, const char *path, struct j2w_err *err)
{
	static const char sqlite_magic[16] = "SQLite format 3";
	char head[16];
	FILE *fp;
	size_t n;
	int rc;

	if (strcmp(path, "-") == 0)
		return report_read_stream(r, stdin, "-", err);
	if ((fp = fopen(path, "rb")) == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
	n = fread(head, 1, sizeof(head), fp);
	if (ferror(fp)) {
		fclose(fp);
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	}
	if (n == sizeof(head) && memcmp(head, sqlite_magic, sizeof(head)) == 0) {
		fclose(fp);
		switch (report_sqlite_kind(path, err)) {
		case REPORT_SQLITE_JOURNAL:
			return report_read_journal(r, path, err);
		case REPORT_SQLITE_ARCHIVE:
			return report_read_archive(r, path, err);
		case REPORT_SQLITE_OTHER:
			return err_set(err, J2W_EDATA, "'%s' is an SQLite database, but neither a "
			    "j2w-apply journal nor a j2w-chat-archive this report knows", path);
		default:
			return -1;
		}
	}
	rewind(fp);
	rc = report_read_stream(r, fp, path, err);
	fclose(fp);
	return rc;
}

const char *
report_doc_fix(const char *tool, const char *check)
{
	size_t lo = 0, hi = sizeof(doc_fixes) / sizeof(doc_fixes[0]);

	if (tool == NULL || check == NULL)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(doc_fixes[mid].tool, tool);

		if (c == 0)
			c = strcmp(doc_fixes[mid].check, check);
		if (c == 0)
			return doc_fixes[mid].fix;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
report_item_fix(const struct report_item *it)
{
	return it->fix != NULL ? it->fix : report_doc_fix(it->tool, it->check);
}

/* Where an area comes in the report: input problems, then the pipeline's order. */
static int
area_rank(const char *tool)
{
	static const char *const order[] = {
		"j2w-report", "j2w-reconcile", "j2w-jabber-config", "j2w-dns-check", "j2w-apply",
		"j2w-chat-archive"
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(tool, order[i]) == 0)
			return (int)i;
	return 99;
}

/* Severities worst first for reading: FAIL, ERROR, WARN, INFO, OK. */
static int
sev_rank(enum severity s)
{
	switch (s) {
	case SEV_FAIL: return 0;
	case SEV_ERROR: return 1;
	case SEV_WARN: return 2;
	case SEV_INFO: return 3;
	default: return 4;
	}
}

static const struct report *sort_model;	/* qsort has no context argument */

static int
order_cmp(const void *a, const void *b)
{
	const struct report_item *x = &sort_model->items[*(const size_t *)a];
	const struct report_item *y = &sort_model->items[*(const size_t *)b];
	int c = area_rank(x->tool) - area_rank(y->tool);

	if (c == 0)
		c = strcmp(x->tool, y->tool);
	if (c == 0)
		c = sev_rank(x->sev) - sev_rank(y->sev);
	if (c == 0)
		c = strcmp(x->check, y->check);
	if (c == 0)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

int
report_finish(struct report *r, struct j2w_err *err)
{
	if (report_apply_finish(r, err) < 0 || dns_affects(r, err) < 0)
		return -1;
	if (r->records == 0 && r->journals == 0 && r->narchives == 0 &&
	    report_add_item(r, "j2w-report", "NO-INPUT", SEV_ERROR, NULL, NULL,
	    "no records were read: readiness is not shown", "give the report the output of "
	    "j2w-reconcile, j2w-jabber-config lint, j2w-dns-check and j2w-apply", NULL, NULL,
	    err) < 0)
		return -1;
	r->order = malloc((r->nitems ? r->nitems : 1) * sizeof(*r->order));
	if (r->order == NULL)
		return oom(err);
	for (size_t i = 0; i < r->nitems; i++)
		r->order[i] = i;
	sort_model = r;
	qsort(r->order, r->nitems, sizeof(*r->order), order_cmp);
	sort_model = NULL;
	for (size_t k = 0; k < r->nitems; k++) {
		const struct report_item *it = &r->items[r->order[k]];
		struct report_area *a = r->nareas ? &r->areas[r->nareas - 1] : NULL;

		if (a == NULL || strcmp(a->tool, it->tool) != 0) {
			struct report_area *v = realloc(r->areas, (r->nareas + 1) * sizeof(*v));

			if (v == NULL)
				return oom(err);
			r->areas = v;
			a = &r->areas[r->nareas];
			memset(a, 0, sizeof(*a));
			if ((a->tool = strdup(it->tool)) == NULL)
				return oom(err);
			r->nareas++;
			a->name = strncmp(a->tool, "j2w-", 4) == 0 && a->tool[4] ? a->tool + 4 : a->tool;
			a->first = k;
		}
		a->count++;
		a->sev[it->sev]++;
		r->sev[it->sev]++;
	}
	return 0;
}

enum severity
report_worst(const struct report *r)
{
	if (r->sev[SEV_ERROR])
		return SEV_ERROR;
	if (r->sev[SEV_FAIL])
		return SEV_FAIL;
	if (r->sev[SEV_WARN])
		return SEV_WARN;
	if (r->sev[SEV_INFO])
		return SEV_INFO;
	return SEV_OK;
}

const char *
report_verdict(const struct report *r)
{
	if (r->sev[SEV_FAIL] || r->sev[SEV_ERROR])
		return "NOT READY";
	if (r->sev[SEV_WARN])
		return "READY WITH WARNINGS";
	return "READY";
}

size_t
report_group_end(const struct report *r, size_t k, size_t end, int same_severity)
{
	const struct report_item *it = &r->items[r->order[k]];
	size_t g = k + 1;

	while (g < end && strcmp(r->items[r->order[g]].check, it->check) == 0 &&
	    (!same_severity || r->items[r->order[g]].sev == it->sev))
		g++;
	return g;
}
