/* j2w-dns-check: DNS SRV, split-DNS and TLS readiness of the voice services domains, per view. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdutil.h"
#include "dns/dns.h"
#include "dns/dnschecks.h"
#include "dns/tlsprobe.h"
#include "dns/uds.h"
#include "record/findings.h"
#include "record/person.h"
#include "util/csvio.h"
#include "util/http.h"
#include "util/jsonl.h"

static const char usage[] =
"usage: j2w-dns-check [options] --internal-ns ADDR | --external-ns ADDR [DOMAIN...]\n"
"\n"
"Asks each resolver, separately, for the records the Webex App and Jabber use to\n"
"find Unified CM (_cisco-uds._tcp inside) and Expressway-E (_collab-edge._tls\n"
"outside) for every domain, and prints one finding per check as JSON Lines.\n"
"\n"
"  -i, --internal-ns ADDR[:PORT]  an internal resolver (repeatable)\n"
"  -e, --external-ns ADDR[:PORT]  an external (public) resolver (repeatable)\n"
"      --vsd DOMAIN               a voice services domain (UC Manager profile; repeatable)\n"
"      --domains-from FILE        the email domains of the user records in FILE\n"
"      --timeout MS               first wait for a DNS answer, and the TLS connect\n"
"                                 and read limit (default 2000); a question is\n"
"                                 sent twice, the second time waiting twice as long\n"
"      --parallel N               questions in flight per resolver (default 64;\n"
"                                 1 asks one after the other)\n"
"      --tls                      also check the certificate of every SRV target\n"
"      --cacert FILE              trust this CA bundle as well\n"
"      --warn-days N              TLS-EXPIRY warns this many days ahead (default 30)\n"
"      --now TIME                 the clock for expiry: YYYY-MM-DD[THH:MM:SSZ], @EPOCH\n"
"                                 or +DAYS from now\n"
"      --uds-probe USER           ask every _cisco-uds target for USER's home cluster\n"
"      --insecure                 do not verify TLS for --uds-probe (warns on every run)\n"
"  -f, --format F                 jsonl (default) or tsv\n"
"      --fail-on SEVERITY         exit 1 at this severity or above (default FAIL)\n"
"  -q, --quiet                    no summary line\n"
"  -h, --help                     this text\n"
"      --version                  print the version\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
"2 usage error, 3 bad input data, 4 system or network error (no resolver answered).\n";

enum {
	OPT_VSD = 256, OPT_DOMAINS_FROM, OPT_TIMEOUT, OPT_PARALLEL, OPT_TLS, OPT_CACERT,
	OPT_WARN_DAYS, OPT_NOW, OPT_UDS_PROBE, OPT_INSECURE, OPT_FAIL_ON, OPT_VERSION
};

#define TLS_WORKERS 16

struct resolver {
	char server[80];
	const char *view;
};

struct strlist {
	char **v;
	size_t n, cap;
};

struct probe {
	char *host;
	unsigned port;
	char *address;
	const char *view;
	enum dnschecks_role role;
	char *email;			/* --uds-probe: the address to look up */
	struct tlsprobe_result r;
	struct uds_lookup by_name, by_email;
	int failed;			/* the probe could not be set up: err says why */
	struct j2w_err err;
};

struct probes {
	struct probe *v;
	size_t n, cap;
	size_t next;			/* the workers' shared cursor */
	pthread_mutex_t lock;
	const char *cacert;
	long timeout_ms;
	const struct http_opts *hopts;
	const char *uds_user;
};

struct run {
	struct resolver *res;
	size_t nres;
	struct strlist domains;
	struct strlist names;		/* owns every qname */
	struct dns_query *q;
	size_t nq, qcap;
	const struct dns_query **index;	/* q sorted by resolver, type, name */
	json_t *findings;
	unsigned long bad_records;	/* --domains-from records without a usable domain */
};

static void
strlist_add(struct strlist *l, char *s)
{
	if (s == NULL)
		die(J2W_ESYS, "out of memory");
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL)
			die(J2W_ESYS, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

static void
strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A domain as DNS knows it: lower case, no trailing dot, labels of letters,
 * digits and hyphens. Returns a new string, or NULL when s is not one.
 */
static char *
domain_normalise(const char *s)
{
	size_t len = strlen(s), label = 0;
	char *d;

	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > 253 || (d = strndup(s, len)) == NULL)
		return NULL;
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
	return d;
}

static void
add_domain(struct run *run, const char *s, const char *what)
{
	char *d = domain_normalise(s);

	if (d == NULL)
		cmd_usage_error("%s '%s' is not a DNS domain (give internationalised names in "
		    "their xn-- form)", what, s);
	strlist_add(&run->domains, d);
}

/* The distinct email domains of the user records in path. */
static void
read_domains_from(struct run *run, const char *path)
{
	struct jsonl_reader r;
	struct j2w_err err;
	json_t *obj;
	FILE *fp = cmd_open_input(path);
	int rc;

	jsonl_reader_init(&r, fp, path);
	while ((rc = jsonl_next(&r, &obj, &err)) > 0) {
		const char *mail = person_webex_email(obj);
		const char *at;
		char *d = NULL;

		if (mail != NULL && (at = strrchr(mail, '@')) != NULL)
			d = domain_normalise(at + 1);
		if (d == NULL) {
			const char *uid = json_get_str(obj, "userid");

			cmd_warn("%s:%lu: user '%s' has no mail or directory URI with a usable domain; "
			    "not counted", strcmp(path, "-") == 0 ? "<stdin>" : path, r.line,
			    uid != NULL ? uid : "?");
			run->bad_records++;
		} else {
			strlist_add(&run->domains, d);
		}
		json_decref(obj);
	}
	jsonl_reader_release(&r);
	cmd_close_input(fp);
	if (rc < 0)
		die_err(&err);
}

static void
sort_unique(struct strlist *l)
{
	size_t k = 0;

	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof(*l->v), strp_cmp);
	for (size_t i = 0; i < l->n; i++) {
		if (k > 0 && strcmp(l->v[k - 1], l->v[i]) == 0)
			free(l->v[i]);
		else
			l->v[k++] = l->v[i];
	}
	l->n = k;
}

static void
ask(struct run *run, size_t resolver, const char *prefix, const char *name, int qtype)
{
	size_t len = strlen(name) + (prefix != NULL ? strlen(prefix) + 1 : 0) + 1;
	char *qname = malloc(len);

	if (qname == NULL)
		die(J2W_ESYS, "out of memory");
	if (prefix != NULL)
		snprintf(qname, len, "%s.%s", prefix, name);
	else
		snprintf(qname, len, "%s", name);
	strlist_add(&run->names, qname);
	if (run->nq == run->qcap) {
		size_t cap = run->qcap ? run->qcap * 2 : 256;
		struct dns_query *v = realloc(run->q, cap * sizeof(*v));

		if (v == NULL)
			die(J2W_ESYS, "out of memory");
		run->q = v;
		run->qcap = cap;
	}
	dns_query_init(&run->q[run->nq++], resolver, qname, qtype);
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

static void
build_index(struct run *run)
{
	free(run->index);
	run->index = malloc((run->nq ? run->nq : 1) * sizeof(*run->index));
	if (run->index == NULL)
		die(J2W_ESYS, "out of memory");
	for (size_t i = 0; i < run->nq; i++)
		run->index[i] = &run->q[i];
	qsort(run->index, run->nq, sizeof(*run->index), query_cmp);
}

static const struct dns_query *
lookup(void *arg, size_t resolver, const char *qname, int qtype)
{
	struct run *run = arg;
	struct dns_query key;
	const struct dns_query *kp = &key, *const *hit;

	key.resolver = resolver;
	key.qname = qname;
	key.qtype = qtype;
	hit = bsearch(&kp, run->index, run->nq, sizeof(*run->index), query_cmp);
	return hit != NULL ? *hit : NULL;
}

static void
run_queries(struct dns_client *client, struct run *run, size_t from)
{
	struct j2w_err err;

	if (dns_run(client, run->q + from, run->nq - from, &err) < 0)
		die_err(&err);
}

/* Second round: A and AAAA of every discovery target, on the resolver that named it. */
static void
ask_targets(struct run *run)
{
	struct strlist targets = { 0 };
	size_t *owner = NULL, nowner = 0;

	build_index(run);
	/* gathered first: asking grows run->q, which the index points into */
	for (size_t r = 0; r < run->nres; r++) {
		const char *prefix = dnschecks_discovery_prefix(run->res[r].view);
		size_t mine = targets.n;

		for (size_t d = 0; d < run->domains.n; d++) {
			char qname[DNS_NAME_TEXT_MAX + 64];
			const struct dns_query *q;

			snprintf(qname, sizeof(qname), "%s.%s", prefix, run->domains.v[d]);
			q = lookup(run, r, qname, DNS_T_SRV);
			for (size_t i = 0; q != NULL && i < q->ans.nsrv; i++) {
				const char *t = q->ans.srv[i].target;
				int seen = 0;

				if (!dnschecks_target_resolvable(t))
					continue;
				for (size_t k = mine; k < targets.n && !seen; k++)
					seen = strcmp(targets.v[k], t) == 0;
				if (seen)
					continue;
				strlist_add(&targets, strdup(t));
				if ((owner = realloc(owner, targets.n * sizeof(*owner))) == NULL)
					die(J2W_ESYS, "out of memory");
				owner[nowner++] = r;
			}
		}
	}
	for (size_t k = 0; k < targets.n; k++) {
		ask(run, owner[k], NULL, targets.v[k], DNS_T_A);
		ask(run, owner[k], NULL, targets.v[k], DNS_T_AAAA);
	}
	free(owner);
	strlist_free(&targets);
}

static void
check_domains(struct run *run)
{
	build_index(run);
	for (size_t d = 0; d < run->domains.n; d++) {
		for (size_t r = 0; r < run->nres; r++) {
			struct dnschecks_env env = { run->res[r].view, run->res[r].server, r, lookup, run };

			if (dnschecks_domain(&env, run->domains.v[d], run->findings) < 0)
				die(J2W_ESYS, "out of memory");
		}
	}
	for (size_t r = 0; r < run->nres; r++) {
		struct dnschecks_env env = { run->res[r].view, run->res[r].server, r, lookup, run };

		if (strcmp(run->res[r].view, "external") == 0 &&
		    dnschecks_xmpp_domains(&env, (const char *const *)run->domains.v, run->domains.n,
		    run->findings) < 0)
			die(J2W_ESYS, "out of memory");
	}
}

static int
probe_cmp(const void *pa, const void *pb)
{
	const struct probe *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->host, b->host)) != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if ((c = strcmp(a->address, b->address)) != 0)
		return c;
	/* the same server behind both views is judged by each view's rules */
	if ((c = strcmp(a->view, b->view)) != 0)
		return c;
	return strcmp(a->email != NULL ? a->email : "", b->email != NULL ? b->email : "");
}

/*
 * Every (target, port, address) the view's discovery record leads to, with the
 * first address its resolver gave. uds_user set: _cisco-uds targets only, one
 * probe per email domain.
 */
static void
collect_probes(struct run *run, struct probes *p, const char *uds_user)
{
	for (size_t r = 0; r < run->nres; r++) {
		const char *view = run->res[r].view;
		const char *prefix = dnschecks_discovery_prefix(view);

		if (uds_user != NULL && strcmp(view, "internal") != 0)
			continue;
		for (size_t d = 0; d < run->domains.n; d++) {
			char qname[DNS_NAME_TEXT_MAX + 64];
			const struct dns_query *q;

			snprintf(qname, sizeof(qname), "%s.%s", prefix, run->domains.v[d]);
			q = lookup(run, r, qname, DNS_T_SRV);
			for (size_t i = 0; q != NULL && i < q->ans.nsrv; i++) {
				const struct srv_rr *rr = &q->ans.srv[i];
				const struct dns_query *a = lookup(run, r, rr->target, DNS_T_A);
				const char *addr = NULL;
				struct probe pr;
				int dup = 0;

				if (a != NULL && a->ans.naddrs > 0)
					addr = a->ans.addrs[0];
				else if ((a = lookup(run, r, rr->target, DNS_T_AAAA)) != NULL &&
				    a->ans.naddrs > 0)
					addr = a->ans.addrs[0];
				if (addr == NULL || rr->port == 0)
					continue;
				memset(&pr, 0, sizeof(pr));
				pr.host = rr->target;
				pr.port = rr->port;
				pr.address = (char *)addr;
				pr.view = view;
				pr.role = strcmp(view, "external") == 0 ? DNSCHECK_EDGE : DNSCHECK_UCM;
				if (uds_user != NULL) {
					size_t l = strlen(uds_user) + strlen(run->domains.v[d]) + 2;

					if (strchr(uds_user, '@') != NULL) {
						pr.email = strdup(uds_user);
					} else if ((pr.email = malloc(l)) != NULL) {
						snprintf(pr.email, l, "%s@%s", uds_user, run->domains.v[d]);
					}
					if (pr.email == NULL)
						die(J2W_ESYS, "out of memory");
				}
				for (size_t k = 0; k < p->n && !dup; k++)
					dup = probe_cmp(&p->v[k], &pr) == 0;
				if (dup) {
					free(pr.email);
					continue;
				}
				if (p->n == p->cap) {
					size_t cap = p->cap ? p->cap * 2 : 16;
					struct probe *v = realloc(p->v, cap * sizeof(*v));

					if (v == NULL)
						die(J2W_ESYS, "out of memory");
					p->v = v;
					p->cap = cap;
				}
				pr.host = strdup(pr.host);
				pr.address = strdup(pr.address);
				if (pr.host == NULL || pr.address == NULL)
					die(J2W_ESYS, "out of memory");
				tlsprobe_result_init(&pr.r);
				uds_lookup_init(&pr.by_name);
				uds_lookup_init(&pr.by_email);
				p->v[p->n++] = pr;
			}
		}
	}
	if (p->n > 1)
		qsort(p->v, p->n, sizeof(*p->v), probe_cmp);
}

static void
probe_one(struct probes *p, struct probe *pr)
{
	if (p->uds_user == NULL) {
		if (tlsprobe_run(pr->host, pr->address, pr->port, p->cacert, p->timeout_ms, &pr->r,
		    &pr->err) < 0)
			pr->failed = 1;
		return;
	}
	{
		/* the username is the part before the @ when a whole address was given */
		size_t ul = strcspn(p->uds_user, "@");
		char *name = strndup(p->uds_user, ul);

		if (name == NULL) {
			err_set(&pr->err, J2W_ESYS, "out of memory");
			pr->failed = 1;
			return;
		}
		if (uds_cluster_user(p->hopts, pr->host, pr->port, pr->address, "username", name,
		    &pr->by_name, &pr->err) < 0 ||
		    uds_cluster_user(p->hopts, pr->host, pr->port, pr->address, "email", pr->email,
		    &pr->by_email, &pr->err) < 0)
			pr->failed = 1;
		free(name);
	}
}

static void *
probe_worker(void *arg)
{
	struct probes *p = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->n)
			return NULL;
		probe_one(p, &p->v[i]);
	}
}

/* Runs every probe, a few at a time: one unreachable node must not hold up the rest. */
static void
run_probes(struct probes *p)
{
	pthread_t tid[TLS_WORKERS];
	size_t nthreads = p->n < TLS_WORKERS ? p->n : TLS_WORKERS, started = 0;

	pthread_mutex_init(&p->lock, NULL);
	p->next = 0;
	for (size_t i = 0; i < nthreads; i++) {
		if (pthread_create(&tid[i], NULL, probe_worker, p) != 0)
			break;
		started++;
	}
	if (started == 0)
		probe_worker(p);
	for (size_t i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&p->lock);
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].failed)
			die_err(&p->v[i].err);
	}
}

static void
free_probes(struct probes *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].host);
		free(p->v[i].address);
		free(p->v[i].email);
		tlsprobe_result_release(&p->v[i].r);
		uds_lookup_release(&p->v[i].by_name);
		uds_lookup_release(&p->v[i].by_email);
	}
	free(p->v);
}

static void
check_tls(struct run *run, const char *cacert, long timeout_ms, time_t now, long warn_days)
{
	struct probes p = { 0 };

	p.cacert = cacert;
	p.timeout_ms = timeout_ms;
	collect_probes(run, &p, NULL);
	run_probes(&p);
	for (size_t i = 0; i < p.n; i++) {
		struct probe *pr = &p.v[i];

		if (dnschecks_tls(&pr->r, pr->host, pr->port, pr->view, pr->role, now, warn_days,
		    run->findings) < 0)
			die(J2W_ESYS, "out of memory");
	}
	free_probes(&p);
}

static void
check_uds(struct run *run, const char *user, const struct http_opts *hopts)
{
	struct probes p = { 0 };

	p.hopts = hopts;
	p.uds_user = user;
	collect_probes(run, &p, user);
	run_probes(&p);
	for (size_t i = 0; i < p.n; i++) {
		struct probe *pr = &p.v[i];
		struct dnschecks_uds_lookup l[2];

		for (int k = 0; k < 2; k++) {
			const struct uds_lookup *u = k == 0 ? &pr->by_name : &pr->by_email;

			l[k].url = u->url != NULL ? u->url : "";
			l[k].done = u->done;
			l[k].status = u->status;
			l[k].found = u->found;
			l[k].home = u->home;
			l[k].error = u->error;
		}
		if (dnschecks_uds(pr->host, pr->port, pr->view, pr->email, &l[0], &l[1],
		    run->findings) < 0)
			die(J2W_ESYS, "out of memory");
	}
	free_probes(&p);
}

static void
write_findings(json_t *findings, enum out_format format)
{
	static const char *const columns[] = { "severity", "check", "view", "subject", "message" };
	size_t i;
	json_t *f;

	if (format == FORMAT_TSV)
		csv_write_row(stdout, '\t', columns, 5, NULL);
	json_array_foreach(findings, i, f) {
		if (format == FORMAT_JSONL) {
			jsonl_write(stdout, f);
		} else {
			const char *cells[5];

			for (int k = 0; k < 5; k++)
				cells[k] = json_get_str(f, columns[k]);
			csv_write_row(stdout, '\t', cells, 5, NULL);
		}
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "internal-ns", required_argument, NULL, 'i' },
		{ "external-ns", required_argument, NULL, 'e' },
		{ "vsd", required_argument, NULL, OPT_VSD },
		{ "domains-from", required_argument, NULL, OPT_DOMAINS_FROM },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "parallel", required_argument, NULL, OPT_PARALLEL },
		{ "tls", no_argument, NULL, OPT_TLS },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "warn-days", required_argument, NULL, OPT_WARN_DAYS },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "uds-probe", required_argument, NULL, OPT_UDS_PROBE },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct run run = { 0 };
	struct http_opts hopts = { 0 };
	struct dns_client *client;
	struct j2w_err err;
	struct strlist from = { 0 };
	const char **servers;
	enum out_format format = FORMAT_JSONL;
	enum severity fail_on = SEV_FAIL;
	const char *now_arg = NULL, *uds_user = NULL;
	long timeout_ms = 2000, parallel = 64, warn_days = 30;
	unsigned long count[SEV_ERROR + 1] = { 0 }, answered = 0;
	time_t now = time(NULL);
	int tls = 0, quiet = 0, ch, status = J2W_OK;
	size_t i;
	json_t *f;

	cmd_init("j2w-dns-check");
	run.res = calloc((size_t)argc, sizeof(*run.res));
	if (run.res == NULL)
		die(J2W_ESYS, "out of memory");
	while ((ch = getopt_long(argc, argv, "e:f:hi:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
		case 'e':
			if (run.nres == DNS_RESOLVERS_MAX)
				cmd_usage_error("at most %d resolvers", DNS_RESOLVERS_MAX);
			if (dns_server_parse(optarg, run.res[run.nres].server,
			    sizeof(run.res[run.nres].server), &err) < 0)
				cmd_usage_error("%s", err.msg);
			run.res[run.nres++].view = ch == 'i' ? "internal" : "external";
			break;
		case OPT_VSD: add_domain(&run, optarg, "--vsd"); break;
		case OPT_DOMAINS_FROM: strlist_add(&from, strdup(optarg)); break;
		case OPT_TIMEOUT: timeout_ms = cmd_number("--timeout", optarg, 1, 600000); break;
		case OPT_PARALLEL: parallel = cmd_number("--parallel", optarg, 1, 4096); break;
		case OPT_TLS: tls = 1; break;
		case OPT_CACERT: hopts.cacert = optarg; break;
		case OPT_WARN_DAYS: warn_days = cmd_number("--warn-days", optarg, 0, 36500); break;
		case OPT_NOW: now_arg = optarg; break;
		case OPT_UDS_PROBE:
			if (optarg[0] == '\0' || optarg[0] == '@')
				cmd_usage_error("--uds-probe wants a user name or email address");
			uds_user = optarg;
			break;
		case OPT_INSECURE: hopts.insecure = 1; break;
		case 'f':
			format = cmd_format(optarg);
			if (format == FORMAT_CSV)
				cmd_usage_error("--format wants jsonl or tsv");
			break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &fail_on) < 0)
				cmd_usage_error("--fail-on wants OK, INFO, WARN, FAIL or ERROR, not '%s'",
				    optarg);
			break;
		case 'q': quiet = 1; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_usage_error("unknown option");
		}
	}
	if (now_arg != NULL && tlsprobe_parse_time(now_arg, now, &now) < 0)
		cmd_usage_error("--now wants YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, @EPOCH or +DAYS, "
		    "not '%s'", now_arg);
	for (int k = optind; k < argc; k++)
		add_domain(&run, argv[k], "domain");
	if (run.nres == 0)
		cmd_usage_error("give at least one resolver with --internal-ns or --external-ns");
	if (uds_user != NULL) {
		size_t r = 0;

		while (r < run.nres && strcmp(run.res[r].view, "internal") != 0)
			r++;
		if (r == run.nres)
			cmd_usage_error("--uds-probe asks the _cisco-uds targets: give --internal-ns");
	}
	if (hopts.cacert != NULL && access(hopts.cacert, R_OK) != 0)
		die(J2W_EUSAGE, "cannot open '%s': %s", hopts.cacert, strerror(errno));
	for (size_t k = 0; k < from.n; k++)
		read_domains_from(&run, from.v[k]);
	strlist_free(&from);
	sort_unique(&run.domains);
	if (run.domains.n == 0)
		cmd_usage_error("no domain to check: give DOMAIN, --vsd or --domains-from");
	if (hopts.insecure)
		cmd_warn_insecure();

	servers = calloc(run.nres, sizeof(*servers));
	if (servers == NULL || (run.findings = json_array()) == NULL)
		die(J2W_ESYS, "out of memory");
	for (size_t r = 0; r < run.nres; r++)
		servers[r] = run.res[r].server;
	client = dns_client_new(servers, run.nres, timeout_ms, 2, (int)parallel, &err);
	if (client == NULL)
		die_err(&err);
	for (size_t r = 0; r < run.nres; r++) {
		for (size_t d = 0; d < run.domains.n; d++) {
			for (size_t p = 0; dnschecks_srv_prefixes[p] != NULL; p++)
				ask(&run, r, dnschecks_srv_prefixes[p], run.domains.v[d], DNS_T_SRV);
		}
	}
	run_queries(client, &run, 0);
	{
		size_t first = run.nq;

		ask_targets(&run);
		run_queries(client, &run, first);
	}
	dns_client_free(client);
	free(servers);
	check_domains(&run);
	for (size_t k = 0; k < run.nq; k++)
		answered += !dns_status_unanswered(run.q[k].status);

	if (tls)
		check_tls(&run, hopts.cacert, timeout_ms, now, warn_days);
	if (uds_user != NULL) {
		if (http_global_init(&err) < 0)
			die_err(&err);
		hopts.connect_timeout_ms = timeout_ms;
		hopts.timeout_ms = timeout_ms * 3;
		check_uds(&run, uds_user, &hopts);
	}

	write_findings(run.findings, format);
	json_array_foreach(run.findings, i, f) {
		enum severity s;

		if (severity_parse(json_get_str(f, "severity"), &s) == 0) {
			count[s]++;
			if (severity_trips(s, fail_on))
				status = J2W_FINDINGS;
		}
	}
	if (run.bad_records > 0 && status == J2W_OK)
		status = J2W_FINDINGS;
	if (answered == 0) {
		cmd_warn("no resolver answered any question");
		status = J2W_ESYS;
	}
	if (!quiet)
		cmd_warn("%zu domain%s, %zu resolver%s, %zu questions (%lu answered): %lu ok, %lu info, "
		    "%lu warn, %lu fail, %lu error%s", run.domains.n, run.domains.n == 1 ? "" : "s",
		    run.nres, run.nres == 1 ? "" : "s", run.nq, answered, count[SEV_OK],
		    count[SEV_INFO], count[SEV_WARN], count[SEV_FAIL], count[SEV_ERROR],
		    run.bad_records > 0 ? "; some user records had no domain" : "");

	for (size_t k = 0; k < run.nq; k++)
		dns_query_release(&run.q[k]);
	free(run.q);
	free(run.index);
	strlist_free(&run.names);
	strlist_free(&run.domains);
	free(run.res);
	json_decref(run.findings);
	return cmd_finish(status);
}
