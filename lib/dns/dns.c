/* DNS queries over c-ares 1.18: one channel per resolver, a bounded window of questions each. */
#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "util/num.h"

#define DNS_CLASS_IN 1
#define DNS_POLL_MAX (DNS_RESOLVERS_MAX * ARES_GETSOCK_MAXNUM)

struct dns_resolver {
	ares_channel ch;
	char server[80];
	int inflight;
	unsigned long answered;	/* answers of any kind so far */
	unsigned long silent;	/* questions that got none: timeout, unreachable */
	size_t *todo;		/* indexes of this resolver's questions */
	size_t ntodo;
	size_t next;
};

struct dns_client {
	struct dns_resolver *res;
	size_t nres;
	int max_inflight;
};

struct dns_pending {
	struct dns_resolver *r;
	struct dns_query *q;
};

static const char *const status_names[] = {
	"ANSWER", "NODATA", "NXDOMAIN", "TIMEOUT", "REFUSED", "SERVFAIL", "ERROR"
};

const char *
dns_status_name(enum dns_status s)
{
	return (unsigned)s <= DNS_FAILED ? status_names[s] : "ERROR";
}

int
dns_status_unanswered(enum dns_status s)
{
	return s >= DNS_TIMEOUT;
}

const char *
dns_type_name(int qtype)
{
	static char buf[16];

	switch (qtype) {
	case DNS_T_SRV: return "SRV";
	case DNS_T_A: return "A";
	case DNS_T_AAAA: return "AAAA";
	case DNS_T_CNAME: return "CNAME";
	}
	snprintf(buf, sizeof(buf), "TYPE%d", qtype);
	return buf;
}

void
dns_query_init(struct dns_query *q, size_t resolver, const char *qname, int qtype)
{
	memset(q, 0, sizeof(*q));
	q->resolver = resolver;
	q->qname = qname;
	q->qtype = qtype;
	q->status = DNS_FAILED;
	srv_answer_init(&q->ans);
}

void
dns_query_release(struct dns_query *q)
{
	srv_answer_release(&q->ans);
	free(q->detail);
	q->detail = NULL;
}

/* Sets q's detail; when memory runs out the question simply has none. */
static void set_detail(struct dns_query *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_detail(struct dns_query *q, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(q->detail);
	q->detail = strdup(buf);
}

int
dns_server_parse(const char *s, char *out, size_t outlen, struct j2w_err *err)
{
	char host[64];
	const char *port = NULL;
	unsigned char buf[16];
	long pnum = 53;
	int v6;
	size_t hl;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || (close[1] != '\0' && close[1] != ':'))
			return err_set(err, J2W_EUSAGE, "bad resolver '%s': expected [IPV6]:PORT", s);
		hl = (size_t)(close - s - 1);
		if (hl >= sizeof(host))
			return err_set(err, J2W_EUSAGE, "bad resolver '%s'", s);
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (close[1] == ':')
			port = close + 2;
		v6 = 1;
	} else {
		const char *colon = strchr(s, ':');

		if (colon != NULL && strchr(colon + 1, ':') != NULL) {
			colon = NULL;	/* a bare IPv6 address: no port */
			v6 = 1;
		} else {
			v6 = 0;
		}
		hl = colon != NULL ? (size_t)(colon - s) : strlen(s);
		if (hl >= sizeof(host))
			return err_set(err, J2W_EUSAGE, "bad resolver '%s'", s);
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (colon != NULL)
			port = colon + 1;
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, buf) != 1)
		return err_set(err, J2W_EUSAGE,
		    "bad resolver '%s': give an IP address, not a name (ADDR[:PORT])", s);
	if (port != NULL && num_parse_long(port, 1, 65535, &pnum) < 0)
		return err_set(err, J2W_EUSAGE, "bad resolver '%s': port must be 1-65535", s);
	if (v6)
		snprintf(out, outlen, "[%s]:%ld", host, pnum);
	else
		snprintf(out, outlen, "%s:%ld", host, pnum);
	return 0;
}

struct dns_client *
dns_client_new(const char *const *servers, size_t nservers, long timeout_ms, int tries,
    int max_inflight, struct j2w_err *err)
{
	struct dns_client *c;
	int rc;

	if (nservers > DNS_RESOLVERS_MAX) {
		err_set(err, J2W_EUSAGE, "at most %d resolvers", DNS_RESOLVERS_MAX);
		return NULL;
	}
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		err_set(err, J2W_ESYS, "cannot start c-ares: %s", ares_strerror(rc));
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->res = calloc(nservers ? nservers : 1, sizeof(*c->res))) == NULL) {
		free(c);
		err_set_errno(err, J2W_ESYS, "cannot start the resolver");
		return NULL;
	}
	c->max_inflight = max_inflight > 0 ? max_inflight : 1;
	for (size_t i = 0; i < nservers; i++) {
		struct dns_resolver *r = &c->res[i];
		struct ares_options opts;
		int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;

		if (dns_server_parse(servers[i], r->server, sizeof(r->server), err) < 0)
			goto fail;
		memset(&opts, 0, sizeof(opts));
		/*
		 * NOCHECKRESP: a REFUSED or SERVFAIL answer is handed back as it is
		 * instead of being retried until it looks like a timeout.
		 */
		opts.flags = ARES_FLAG_NOCHECKRESP;
		opts.timeout = (int)timeout_ms;
		opts.tries = tries;
		if ((rc = ares_init_options(&r->ch, &opts, mask)) != ARES_SUCCESS) {
			err_set(err, J2W_ESYS, "cannot start c-ares: %s", ares_strerror(rc));
			goto fail;
		}
		c->nres = i + 1;
		if ((rc = ares_set_servers_ports_csv(r->ch, r->server)) != ARES_SUCCESS) {
			err_set(err, J2W_EUSAGE, "bad resolver '%s': %s", servers[i], ares_strerror(rc));
			goto fail;
		}
	}
	c->nres = nservers;
	return c;
fail:
	dns_client_free(c);
	return NULL;
}

void
dns_client_free(struct dns_client *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nres; i++) {
		if (c->res[i].ch != NULL)
			ares_destroy(c->res[i].ch);
		free(c->res[i].todo);
	}
	free(c->res);
	free(c);
	ares_library_cleanup();
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_pending *p = arg;
	struct dns_query *q = p->q;
	struct j2w_err perr;

	p->r->inflight--;
	free(q->detail);
	q->detail = NULL;
	if (abuf != NULL && alen > 0)
		p->r->answered++;
	else if (status == ARES_ETIMEOUT || status == ARES_ECONNREFUSED)
		p->r->silent++;
	switch (status) {
	case ARES_SUCCESS:	q->status = DNS_ANSWER; break;
	case ARES_ENODATA:	q->status = DNS_NODATA; break;
	case ARES_ENOTFOUND:	q->status = DNS_NXDOMAIN; break;
	case ARES_ETIMEOUT:	q->status = DNS_TIMEOUT; break;
	case ARES_EREFUSED:	q->status = DNS_REFUSED; break;
	case ARES_ESERVFAIL:	q->status = DNS_SERVFAIL; break;
	default:
		q->status = DNS_FAILED;
		set_detail(q, "%s", ares_strerror(status));
		break;
	}
	if (abuf == NULL || alen <= 0)
		return;
	srv_answer_release(&q->ans);
	if (srv_parse(abuf, (size_t)alen, &q->ans, &perr) < 0) {
		srv_answer_release(&q->ans);
		if (q->status == DNS_ANSWER) {
			q->status = DNS_FAILED;
			set_detail(q, "malformed answer: %.120s", perr.msg);
		}
		return;
	}
	/* the order clients try them in, whatever order the server sent */
	srv_sort(q->ans.srv, q->ans.nsrv);
}

/*
 * Starts questions on r until its window is full or its list is done. A
 * resolver that has answered nothing while a whole window went unanswered is
 * taken for dead: the rest of its questions are marked TIMEOUT unsent, so a
 * dead resolver costs one round of timeouts, not one per window.
 */
static void
submit(struct dns_resolver *r, struct dns_query *q, struct dns_pending *pend, int max_inflight)
{
	unsigned long dead_after = max_inflight < 8 ? 8 : (unsigned long)max_inflight;

	if (r->answered == 0 && r->silent >= dead_after) {
		while (r->next < r->ntodo) {
			struct dns_query *d = &q[r->todo[r->next++]];

			d->status = DNS_TIMEOUT;
			set_detail(d, "not sent: the resolver answered none "
			    "of the first %lu questions", r->silent);
		}
		return;
	}
	while (r->inflight < max_inflight && r->next < r->ntodo) {
		size_t i = r->todo[r->next++];

		pend[i].r = r;
		pend[i].q = &q[i];
		r->inflight++;
		/* the callback may run at once (e.g. a name c-ares refuses to encode) */
		ares_query(r->ch, q[i].qname, DNS_CLASS_IN, q[i].qtype, on_answer, &pend[i]);
	}
}

int
dns_run(struct dns_client *c, struct dns_query *q, size_t n, struct j2w_err *err)
{
	struct dns_pending *pend = calloc(n ? n : 1, sizeof(*pend));
	int rc = -1;

	if (pend == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot queue %zu questions", n);
	for (size_t i = 0; i < c->nres; i++) {
		struct dns_resolver *r = &c->res[i];

		free(r->todo);
		r->todo = malloc((n ? n : 1) * sizeof(*r->todo));
		if (r->todo == NULL) {
			err_set_errno(err, J2W_ESYS, "cannot queue %zu questions", n);
			goto out;
		}
		r->ntodo = r->next = 0;
		r->inflight = 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (q[i].resolver >= c->nres) {
			q[i].status = DNS_FAILED;
			set_detail(&q[i], "no such resolver");
			continue;
		}
		c->res[q[i].resolver].todo[c->res[q[i].resolver].ntodo++] = i;
	}
	for (;;) {
		struct pollfd pfd[DNS_POLL_MAX];
		size_t owner[DNS_POLL_MAX];
		int npfd = 0, busy = 0, wait_ms = 1000;

		for (size_t i = 0; i < c->nres; i++) {
			struct dns_resolver *r = &c->res[i];
			ares_socket_t socks[ARES_GETSOCK_MAXNUM];
			int bits;

			submit(r, q, pend, c->max_inflight);
			if (r->inflight == 0)
				continue;
			busy = 1;
			bits = ares_getsock(r->ch, socks, ARES_GETSOCK_MAXNUM);
			for (int k = 0; k < ARES_GETSOCK_MAXNUM && npfd < DNS_POLL_MAX; k++) {
				short ev = 0;

				/* c-ares's own macros shift a signed 1 into the sign bit */
				if ((unsigned)bits & (1u << k))
					ev |= POLLIN;
				if ((unsigned)bits & (1u << (k + ARES_GETSOCK_MAXNUM)))
					ev |= POLLOUT;
				if (ev == 0)
					continue;
				pfd[npfd].fd = socks[k];
				pfd[npfd].events = ev;
				pfd[npfd].revents = 0;
				owner[npfd++] = i;
			}
			{
				/* each channel's next timeout, separately: ares_timeout may alias its buffers */
				struct timeval maxtv = { 1, 0 }, tv, *t;
				int ms;

				t = ares_timeout(r->ch, &maxtv, &tv);
				ms = (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000);
				if (ms < wait_ms)
					wait_ms = ms;
			}
		}
		if (!busy)
			break;
		if (poll(pfd, (nfds_t)npfd, wait_ms) < 0 && errno != EINTR) {
			err_set_errno(err, J2W_ESYS, "cannot wait for DNS answers");
			goto out;
		}
		for (int k = 0; k < npfd; k++) {
			struct dns_resolver *r = &c->res[owner[k]];
			short re = pfd[k].revents;

			if (re == 0)
				continue;
			ares_process_fd(r->ch,
			    re & (POLLIN | POLLERR | POLLHUP) ? pfd[k].fd : ARES_SOCKET_BAD,
			    re & (POLLOUT | POLLERR) ? pfd[k].fd : ARES_SOCKET_BAD);
		}
		/* timeouts and retries */
		for (size_t i = 0; i < c->nres; i++) {
			if (c->res[i].inflight > 0)
				ares_process_fd(c->res[i].ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
		}
	}
	rc = 0;
out:
	if (rc < 0) {
		for (size_t i = 0; i < c->nres; i++)
			ares_cancel(c->res[i].ch);
	}
	free(pend);
	return rc;
}
