/* The questions of one j2w-dns-check run, asked in two rounds, and the answers found again by key. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dnschecks.h"
#include "dns/dnsrun.h"
#include "record/findings.h"
#include "record/person.h"
#include "record/records.h"
#include "util/jsonl.h"
#include "util/strbuf.h"

#define DNSRUN_TRIES 2

void
dnsrun_init(struct dnsrun *run)
{
	memset(run, 0, sizeof(*run));
}

static void
free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
dnsrun_release(struct dnsrun *run)
{
	for (size_t i = 0; i < run->nq; i++)
		dns_query_release(&run->q[i]);
	free(run->q);
	free(run->index);
	free_strings(run->names, run->nnames);
	free_strings(run->domains, run->ndomains);
	nameset_release(&run->domain_set);
	dnsrun_init(run);
}

/* Appends s (taken over) to v; frees s and returns -1 when out of memory. */
static int
push_string(char ***v, size_t *n, size_t *cap, char *s)
{
	if (s == NULL)
		return -1;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		char **nv = realloc(*v, ncap * sizeof(*nv));

		if (nv == NULL) {
			free(s);
			return -1;
		}
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = s;
	return 0;
}

int
dnsrun_add_resolver(struct dnsrun *run, const char *addr, enum dnsrun_view view,
    struct j2w_err *err)
{
	struct dnsrun_resolver *r;

	if (run->nres == DNS_RESOLVERS_MAX)
		return err_set(err, J2W_EUSAGE, "at most %d resolvers", DNS_RESOLVERS_MAX);
	r = &run->res[run->nres];
	if (dns_server_parse(addr, r->server, sizeof(r->server), err) < 0)
		return -1;
	r->view = view == DNSRUN_INTERNAL ? "internal" : "external";
	run->nres++;
	return 0;
}

int
dnsrun_has_view(const struct dnsrun *run, enum dnsrun_view view)
{
	const char *want = view == DNSRUN_INTERNAL ? "internal" : "external";

	for (size_t r = 0; r < run->nres; r++)
		if (strcmp(run->res[r].view, want) == 0)
			return 1;
	return 0;
}

/*
 * Returns a new string holding s as DNS knows it, or NULL (with *bad set when
 * s is not a domain rather than memory running out).
 */
static char *
domain_normalise(const char *s, int *bad)
{
	size_t len = strlen(s), label = 0;
	char *d;

	*bad = 1;
	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return NULL;
	if ((d = strndup(s, len)) == NULL) {
		*bad = 0;
		return NULL;
	}
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = (unsigned char)d[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || d[i - 1] == '-' || d[i - label] == '-') {
				free(d);
				return NULL;
			}
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-') {
			free(d);
			return NULL;
		}
		d[i] = (char)tolower(c);
		label++;
	}
	*bad = 0;
	return d;
}

int
dnsrun_add_domain(struct dnsrun *run, const char *s)
{
	int bad;
	char *d = domain_normalise(s, &bad);

	if (d == NULL)
		return bad ? 1 : -1;
	/* --domains-from names a domain once per user: keep one copy, not 200,000 */
	if (nameset_find(&run->domain_set, d) != NULL) {
		free(d);
		return 0;
	}
	if (push_string(&run->domains, &run->ndomains, &run->domcap, d) < 0)
		return -1;
	if (nameset_add(&run->domain_set, d) < 0) {
		free(run->domains[--run->ndomains]);
		return -1;
	}
	return 0;
}

struct domains_ctx {
	struct dnsrun *run;
	void (*note)(void *ctx, const char *msg);
	void *ctx;
	unsigned long *bad;
	struct strbuf msg;
};

/* A records_fn: the record's email domain, or a note that it has none. */
static int
add_record_domain(const json_t *rec, const char *source, void *ctx)
{
	struct domains_ctx *d = ctx;
	const char *mail = person_webex_email(rec);
	const char *at = mail != NULL ? strrchr(mail, '@') : NULL;
	int added = at != NULL ? dnsrun_add_domain(d->run, at + 1) : 1;
	const char *uid;

	if (added <= 0)
		return added;
	uid = json_get_str(rec, "userid");
	(*d->bad)++;
	strbuf_reset(&d->msg);
	if (d->note != NULL && strbuf_addf(&d->msg, "%s: user '%s' has no mail or directory URI "
	    "with a usable domain; not counted", source, uid != NULL ? uid : "?") == 0)
		d->note(d->ctx, d->msg.buf);
	return 0;
}

int
dnsrun_read_domains(struct dnsrun *run, FILE *fp, const char *name,
    void (*note)(void *ctx, const char *msg), void *ctx, unsigned long *bad,
    struct j2w_err *err)
{
	struct domains_ctx d = { run, note, ctx, bad, { 0 } };
	int rc;

	strbuf_init(&d.msg, 0);
	rc = records_read(fp, name, add_record_domain, &d, err);
	strbuf_release(&d.msg);
	if (rc > 0)
		return err_set(err, J2W_ESYS, "out of memory");
	return rc < 0 ? -1 : 0;
}

void
dnsrun_describe(const struct dnsrun *run, size_t answered, const unsigned long *count,
    unsigned long bad, struct strbuf *sb)
{
	strbuf_add_count(sb, run->ndomains, "domain", NULL);
	strbuf_addstr(sb, ", ");
	strbuf_add_count(sb, run->nres, "resolver", NULL);
	strbuf_addstr(sb, ", ");
	strbuf_add_count(sb, run->nq, "question", NULL);
	strbuf_addf(sb, " (%zu answered): %lu ok, %lu info, %lu warn, %lu fail, %lu error", answered,
	    count[SEV_OK], count[SEV_INFO], count[SEV_WARN], count[SEV_FAIL], count[SEV_ERROR]);
	if (bad > 0) {
		strbuf_addstr(sb, "; not counted: ");
		strbuf_add_count(sb, bad, "user record without a domain",
		    "user records without a domain");
	}
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the question prefix.name (or name alone) of qtype for resolver. */
static int
ask(struct dnsrun *run, size_t resolver, const char *prefix, const char *name, int qtype,
    struct j2w_err *err)
{
	size_t len = strlen(name) + (prefix != NULL ? strlen(prefix) + 1 : 0) + 1;
	char *qname = malloc(len);

	if (qname == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (prefix != NULL)
		snprintf(qname, len, "%s.%s", prefix, name);
	else
		snprintf(qname, len, "%s", name);
	if (push_string(&run->names, &run->nnames, &run->namecap, qname) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	if (run->nq == run->qcap) {
		size_t cap = run->qcap ? run->qcap * 2 : 256;
		struct dns_query *v = realloc(run->q, cap * sizeof(*v));

		if (v == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		run->q = v;
		run->qcap = cap;
	}
	dns_query_init(&run->q[run->nq++], resolver, qname, qtype);
	return 0;
}

static int
query_cmp(const void *pa, const void *pb)
{
	const struct dns_query *a = *(const struct dns_query *const *)pa;
	const struct dns_query *b = *(const struct dns_query *const *)pb;

	if (a->resolver != b->resolver)
		return a->resolver < b->resolver ? -1 : 1;
	if (a->qtype != b->qtype)
		return a->qtype - b->qtype;
	return strcmp(a->qname, b->qname);
}

static int
build_index(struct dnsrun *run, struct j2w_err *err)
{
	free(run->index);
	run->index = malloc((run->nq ? run->nq : 1) * sizeof(*run->index));
	if (run->index == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	for (size_t i = 0; i < run->nq; i++)
		run->index[i] = &run->q[i];
	qsort(run->index, run->nq, sizeof(*run->index), query_cmp);
	return 0;
}

const struct dns_query *
dnsrun_find(void *arg, size_t resolver, const char *qname, int qtype)
{
	struct dnsrun *run = arg;
	struct dns_query key;
	const struct dns_query *kp = &key, *const *hit;

	if (run->index == NULL)
		return NULL;
	key.resolver = resolver;
	key.qname = qname;
	key.qtype = qtype;
	hit = bsearch(&kp, run->index, run->nq, sizeof(*run->index), query_cmp);
	return hit != NULL ? *hit : NULL;
}

int
dnsrun_plan(struct dnsrun *run, struct j2w_err *err)
{
	if (run->ndomains > 1)
		qsort(run->domains, run->ndomains, sizeof(*run->domains), strp_cmp);
	for (size_t r = 0; r < run->nres; r++) {
		for (size_t d = 0; d < run->ndomains; d++) {
			for (size_t p = 0; dnschecks_srv_prefixes[p] != NULL; p++)
				if (ask(run, r, dnschecks_srv_prefixes[p], run->domains[d], DNS_T_SRV,
				    err) < 0)
					return -1;
		}
	}
	return build_index(run, err);
}

/*
 * The targets worth resolving, each with the resolver that named it, in the
 * order first named. The names point into the answers, which outlive this.
 */
struct targets {
	const char **v;
	size_t *owner;
	size_t n, cap;
};

static int
add_target(struct targets *t, size_t r, const char *name)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		const char **v = realloc(t->v, cap * sizeof(*v));
		size_t *owner;

		if (v == NULL)
			return -1;
		t->v = v;
		if ((owner = realloc(t->owner, cap * sizeof(*owner))) == NULL)
			return -1;
		t->owner = owner;
		t->cap = cap;
	}
	t->v[t->n] = name;
	t->owner[t->n++] = r;
	return 0;
}

int
dnsrun_plan_targets(struct dnsrun *run, size_t *first, struct j2w_err *err)
{
	struct targets t = { 0 };
	struct nameset seen;
	int rc = 0;

	*first = run->nq;
	/* gathered first: asking grows run->q, which the index points into */
	for (size_t r = 0; r < run->nres && rc == 0; r++) {
		const char *prefix = dnschecks_discovery_prefix(run->res[r].view);

		/* each resolver asks its own targets, so a name repeats across resolvers */
		nameset_init(&seen);
		for (size_t d = 0; d < run->ndomains && rc == 0; d++) {
			char qname[DNS_NAME_TEXT_MAX + 64];
			const struct dns_query *q;

			snprintf(qname, sizeof(qname), "%s.%s", prefix, run->domains[d]);
			q = dnsrun_find(run, r, qname, DNS_T_SRV);
			for (size_t i = 0; q != NULL && i < q->ans.nsrv && rc == 0; i++) {
				const char *target = q->ans.srv[i].target;
				int added;

				if (!dnschecks_target_resolvable(target))
					continue;
				if ((added = nameset_add(&seen, target)) < 0)
					rc = -1;
				else if (added)
					rc = add_target(&t, r, target);
			}
		}
		nameset_release(&seen);
	}
	if (rc < 0)
		err_set(err, J2W_ESYS, "out of memory");
	for (size_t k = 0; k < t.n && rc == 0; k++) {
		rc = ask(run, t.owner[k], NULL, t.v[k], DNS_T_A, err);
		if (rc == 0)
			rc = ask(run, t.owner[k], NULL, t.v[k], DNS_T_AAAA, err);
	}
	free(t.owner);
	free(t.v);
	if (rc < 0)
		return -1;
	return build_index(run, err);
}

int
dnsrun_lookup(struct dnsrun *run, long timeout_ms, int parallel, struct j2w_err *err)
{
	const char *servers[DNS_RESOLVERS_MAX];
	struct dns_client *client;
	size_t first;
	int rc;

	for (size_t r = 0; r < run->nres; r++)
		servers[r] = run->res[r].server;
	client = dns_client_new(servers, run->nres, timeout_ms, DNSRUN_TRIES, parallel, err);
	if (client == NULL)
		return -1;
	rc = dnsrun_plan(run, err);
	if (rc == 0)
		rc = dns_run(client, run->q, run->nq, err);
	if (rc == 0)
		rc = dnsrun_plan_targets(run, &first, err);
	if (rc == 0)
		rc = dns_run(client, run->q + first, run->nq - first, err);
	dns_client_free(client);
	return rc;
}

size_t
dnsrun_answered(const struct dnsrun *run)
{
	size_t n = 0;

	for (size_t i = 0; i < run->nq; i++)
		n += !dns_status_unanswered(run->q[i].status);
	return n;
}

/* Hands batch to the sink and empties it. */
static int
emit(const struct dnsrun_sink *sink, json_t *batch, struct j2w_err *err)
{
	int rc = 0;

	if (json_array_size(batch) > 0)
		rc = sink->emit(sink->arg, batch, err);
	json_array_clear(batch);
	return rc;
}

int
dnsrun_check(struct dnsrun *run, const struct dnsrun_sink *sink, struct j2w_err *err)
{
	json_t *batch = json_array();
	int rc = 0;

	if (batch == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	for (size_t d = 0; d < run->ndomains && rc == 0; d++) {
		for (size_t r = 0; r < run->nres && rc == 0; r++) {
			struct dnschecks_env env = { run->res[r].view, run->res[r].server, r, dnsrun_find,
				run };

			if (dnschecks_domain(&env, run->domains[d], batch) < 0)
				rc = err_set(err, J2W_ESYS, "out of memory");
		}
		if (rc == 0)
			rc = emit(sink, batch, err);
	}
	for (size_t r = 0; r < run->nres && rc == 0; r++) {
		struct dnschecks_env env = { run->res[r].view, run->res[r].server, r, dnsrun_find, run };

		if (strcmp(run->res[r].view, "external") == 0 &&
		    dnschecks_xmpp_domains(&env, (const char *const *)run->domains, run->ndomains,
		    batch) < 0)
			rc = err_set(err, J2W_ESYS, "out of memory");
	}
	if (rc == 0)
		rc = emit(sink, batch, err);
	json_decref(batch);
	return rc;
}
