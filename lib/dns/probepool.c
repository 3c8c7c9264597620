/* Which servers a run's answers lead to, and probing them on a few threads at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/probepool.h"

void
probepool_init(struct probepool *p)
{
	memset(p, 0, sizeof(*p));
}

static void
probe_release(struct probepool_probe *pr)
{
	free(pr->host);
	free(pr->address);
	free(pr->email);
	tlsprobe_result_release(&pr->r);
	uds_lookup_release(&pr->by_name);
	uds_lookup_release(&pr->by_email);
}

void
probepool_release(struct probepool *p)
{
	for (size_t i = 0; i < p->n; i++)
		probe_release(&p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

static int
probe_cmp(const void *pa, const void *pb)
{
	const struct probepool_probe *a = pa, *b = pb;
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

/* The first address the resolver gave for target: A, else AAAA; NULL when none. */
static const char *
first_address(struct dnsrun *run, size_t r, const char *target)
{
	const struct dns_query *a = dnsrun_find(run, r, target, DNS_T_A);

	if (a != NULL && a->ans.naddrs > 0)
		return a->ans.addrs[0];
	a = dnsrun_find(run, r, target, DNS_T_AAAA);
	if (a != NULL && a->ans.naddrs > 0)
		return a->ans.addrs[0];
	return NULL;
}

/* Adds pr (its strings copied; email taken over); repeats go in probepool_collect. */
static int
add_probe(struct probepool *p, struct probepool_probe *pr)
{
	struct probepool_probe *slot;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct probepool_probe *v = realloc(p->v, cap * sizeof(*v));

		if (v == NULL) {
			free(pr->email);
			return -1;
		}
		p->v = v;
		p->cap = cap;
	}
	slot = &p->v[p->n];
	*slot = *pr;
	slot->host = strdup(pr->host);
	slot->address = strdup(pr->address);
	if (slot->host == NULL || slot->address == NULL) {
		free(slot->host);
		free(slot->address);
		free(slot->email);
		return -1;
	}
	tlsprobe_result_init(&slot->r);
	uds_lookup_init(&slot->by_name);
	uds_lookup_init(&slot->by_email);
	p->n++;
	return 0;
}

/* Sorts the probes and keeps one of each: sorting, not a scan per probe, at any size. */
static void
sort_unique(struct probepool *p)
{
	size_t k = 0;

	if (p->n < 2)
		return;
	qsort(p->v, p->n, sizeof(*p->v), probe_cmp);
	for (size_t i = 0; i < p->n; i++) {
		if (k > 0 && probe_cmp(&p->v[k - 1], &p->v[i]) == 0)
			probe_release(&p->v[i]);
		else
			p->v[k++] = p->v[i];
	}
	p->n = k;
}

/* The address --uds-probe looks up in domain: user itself, or user@domain. */
static char *
uds_email(const char *user, const char *domain)
{
	size_t l = strlen(user) + strlen(domain) + 2;
	char *email;

	if (strchr(user, '@') != NULL)
		return strdup(user);
	if ((email = malloc(l)) != NULL)
		snprintf(email, l, "%s@%s", user, domain);
	return email;
}

int
probepool_collect(struct probepool *p, struct dnsrun *run, const char *uds_user,
    struct j2w_err *err)
{
	for (size_t r = 0; r < run->nres; r++) {
		const char *view = run->res[r].view;
		const char *prefix = dnschecks_discovery_prefix(view);

		if (uds_user != NULL && strcmp(view, "internal") != 0)
			continue;
		for (size_t d = 0; d < run->ndomains; d++) {
			char qname[DNS_NAME_TEXT_MAX + 64];
			const struct dns_query *q;

			snprintf(qname, sizeof(qname), "%s.%s", prefix, run->domains[d]);
			q = dnsrun_find(run, r, qname, DNS_T_SRV);
			for (size_t i = 0; q != NULL && i < q->ans.nsrv; i++) {
				const struct srv_rr *rr = &q->ans.srv[i];
				const char *addr = first_address(run, r, rr->target);
				struct probepool_probe pr;

				if (addr == NULL || rr->port == 0)
					continue;
				memset(&pr, 0, sizeof(pr));
				pr.host = rr->target;
				pr.port = rr->port;
				pr.address = (char *)addr;
				pr.view = view;
				pr.role = strcmp(view, "external") == 0 ? DNSCHECK_EDGE : DNSCHECK_UCM;
				if (uds_user != NULL &&
				    (pr.email = uds_email(uds_user, run->domains[d])) == NULL)
					return err_set(err, J2W_ESYS, "out of memory");
				if (add_probe(p, &pr) < 0)
					return err_set(err, J2W_ESYS, "out of memory");
			}
		}
	}
	sort_unique(p);
	return 0;
}

static void
probe_one(struct probepool *p, struct probepool_probe *pr)
{
	char *name;

	if (p->uds_user == NULL) {
		if (tlsprobe_run(pr->host, pr->address, pr->port, p->cacert, p->timeout_ms, &pr->r,
		    &pr->err) < 0)
			pr->failed = 1;
		return;
	}
	/* the username is the part before the @ when a whole address was given */
	name = strndup(p->uds_user, strcspn(p->uds_user, "@"));
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

static void *
probe_worker(void *arg)
{
	struct probepool *p = arg;

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

int
probepool_run(struct probepool *p, struct j2w_err *err)
{
	pthread_t tid[PROBEPOOL_WORKERS];
	size_t nthreads = p->n < PROBEPOOL_WORKERS ? p->n : PROBEPOOL_WORKERS, started = 0;

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
		if (p->v[i].failed) {
			if (err != NULL)
				*err = p->v[i].err;
			return -1;
		}
	}
	return 0;
}
