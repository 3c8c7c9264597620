/* Unit tests for the probe pool: which servers a run's answers lead to, and running them all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/probepool.h"
#include "unit.h"

static struct dns_query *
question(struct dnsrun *run, size_t r, const char *qname, int qtype)
{
	for (size_t i = 0; i < run->nq; i++)
		if (run->q[i].resolver == r && run->q[i].qtype == qtype &&
		    strcmp(run->q[i].qname, qname) == 0)
			return &run->q[i];
	return NULL;
}

static void
add_srv(struct dns_query *q, unsigned port, const char *target)
{
	q->status = DNS_ANSWER;
	q->ans.srv = realloc(q->ans.srv, (q->ans.nsrv + 1) * sizeof(*q->ans.srv));
	q->ans.srv[q->ans.nsrv].priority = 1;
	q->ans.srv[q->ans.nsrv].weight = 10;
	q->ans.srv[q->ans.nsrv].port = (uint16_t)port;
	q->ans.srv[q->ans.nsrv].target = strdup(target);
	q->ans.nsrv++;
}

/* Gives target the address on resolver r (asked in round two), or NODATA when addr is NULL. */
static void
add_addr(struct dnsrun *run, size_t r, const char *target, int qtype, const char *addr)
{
	struct dns_query *q = question(run, r, target, qtype);

	if (!CHECK(q != NULL))
		return;
	q->status = addr != NULL ? DNS_ANSWER : DNS_NODATA;
	if (addr == NULL)
		return;
	q->ans.addrs = realloc(q->ans.addrs, (q->ans.naddrs + 1) * sizeof(char *));
	q->ans.addrs[q->ans.naddrs++] = strdup(addr);
}

/*
 * An internal and an external resolver for example.com and emea.example.com,
 * with the answers the tests below expect.
 */
static void
sample_run(struct dnsrun *run)
{
	struct j2w_err err;
	struct dns_query *q;
	size_t first;

	dnsrun_init(run);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.1:5301", DNSRUN_INTERNAL, &err), 0);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.1:5302", DNSRUN_EXTERNAL, &err), 0);
	dnsrun_add_domain(run, "example.com");
	dnsrun_add_domain(run, "emea.example.com");
	CHECK_INT(dnsrun_plan(run, &err), 0);
	q = question(run, 0, "_cisco-uds._tcp.example.com", DNS_T_SRV);
	add_srv(q, 8443, "cucm1.example.com");
	add_srv(q, 8443, "cucm1.example.com");	/* the same server twice */
	add_srv(q, 0, "cucm2.example.com");	/* port 0: nothing to connect to */
	add_srv(q, 8443, "cucm3.example.com");	/* no address */
	add_srv(q, 8443, "cucm4.example.com");	/* IPv6 only */
	add_srv(q, 8443, "10.0.0.9");		/* an IP literal is never resolved */
	q = question(run, 0, "_cisco-uds._tcp.emea.example.com", DNS_T_SRV);
	add_srv(q, 8443, "cucm1.example.com");
	add_srv(q, 9443, "cucm1.example.com");
	/* not the internal discovery record */
	add_srv(question(run, 0, "_collab-edge._tls.example.com", DNS_T_SRV), 8443,
	    "leak.example.com");
	q = question(run, 1, "_collab-edge._tls.example.com", DNS_T_SRV);
	add_srv(q, 8443, "expe1.example.com");
	add_srv(q, 8443, "cucm1.example.com");	/* the same name outside */
	CHECK_INT(dnsrun_plan_targets(run, &first, &err), 0);
	add_addr(run, 0, "cucm1.example.com", DNS_T_A, "10.0.0.1");
	add_addr(run, 0, "cucm1.example.com", DNS_T_A, "10.0.0.11");
	add_addr(run, 0, "cucm2.example.com", DNS_T_A, "10.0.0.2");
	add_addr(run, 0, "cucm3.example.com", DNS_T_A, NULL);
	add_addr(run, 0, "cucm3.example.com", DNS_T_AAAA, NULL);
	add_addr(run, 0, "cucm4.example.com", DNS_T_A, NULL);
	add_addr(run, 0, "cucm4.example.com", DNS_T_AAAA, "2001:db8::4");
	add_addr(run, 1, "expe1.example.com", DNS_T_A, "203.0.113.2");
	add_addr(run, 1, "cucm1.example.com", DNS_T_A, "203.0.113.1");
}

static const char *
describe(const struct probepool_probe *p)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s:%u %s %s %s %s", p->host, p->port, p->address, p->view,
	    p->role == DNSCHECK_EDGE ? "edge" : "ucm", p->email != NULL ? p->email : "-");
	return buf;
}

static void
test_collect_tls(void)
{
	static const char *const want[] = {
		"cucm1.example.com:8443 10.0.0.1 internal ucm -",
		"cucm1.example.com:8443 203.0.113.1 external edge -",
		"cucm1.example.com:9443 10.0.0.1 internal ucm -",
		"cucm4.example.com:8443 2001:db8::4 internal ucm -",
		"expe1.example.com:8443 203.0.113.2 external edge -",
	};
	struct dnsrun run;
	struct probepool p;
	struct j2w_err err;

	sample_run(&run);
	probepool_init(&p);
	CHECK_INT(probepool_collect(&p, &run, NULL, &err), 0);
	CHECK_INT(p.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < p.n && i < sizeof(want) / sizeof(want[0]); i++)
		CHECK_STR(describe(&p.v[i]), want[i]);
	probepool_release(&p);
	dnsrun_release(&run);
}

/* UDS: internal targets only, one probe per email domain unless a whole address is given. */
static void
test_collect_uds(void)
{
	static const char *const by_user[] = {
		"cucm1.example.com:8443 10.0.0.1 internal ucm alice@emea.example.com",
		"cucm1.example.com:8443 10.0.0.1 internal ucm alice@example.com",
		"cucm1.example.com:9443 10.0.0.1 internal ucm alice@emea.example.com",
		"cucm4.example.com:8443 2001:db8::4 internal ucm alice@example.com",
	};
	static const char *const by_address[] = {
		"cucm1.example.com:8443 10.0.0.1 internal ucm alice@corp.example",
		"cucm1.example.com:9443 10.0.0.1 internal ucm alice@corp.example",
		"cucm4.example.com:8443 2001:db8::4 internal ucm alice@corp.example",
	};
	struct dnsrun run;
	struct probepool p;
	struct j2w_err err;

	sample_run(&run);
	probepool_init(&p);
	CHECK_INT(probepool_collect(&p, &run, "alice", &err), 0);
	CHECK_INT(p.n, 4);
	for (size_t i = 0; i < p.n && i < 4; i++)
		CHECK_STR(describe(&p.v[i]), by_user[i]);
	probepool_release(&p);
	probepool_init(&p);
	CHECK_INT(probepool_collect(&p, &run, "alice@corp.example", &err), 0);
	CHECK_INT(p.n, 3);
	for (size_t i = 0; i < p.n && i < 3; i++)
		CHECK_STR(describe(&p.v[i]), by_address[i]);
	probepool_release(&p);
	dnsrun_release(&run);
}

/* A run whose internal discovery record names n targets, all on 127.0.0.1 port 1. */
static void
closed_run(struct dnsrun *run, size_t n)
{
	struct j2w_err err;
	struct dns_query *q;
	size_t first;

	dnsrun_init(run);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.1:5301", DNSRUN_INTERNAL, &err), 0);
	dnsrun_add_domain(run, "example.com");
	CHECK_INT(dnsrun_plan(run, &err), 0);
	q = question(run, 0, "_cisco-uds._tcp.example.com", DNS_T_SRV);
	for (size_t i = 0; i < n; i++) {
		char name[64];

		snprintf(name, sizeof(name), "node%02zu.example.com", i);
		add_srv(q, 1, name);
	}
	CHECK_INT(dnsrun_plan_targets(run, &first, &err), 0);
	for (size_t i = 0; i < n; i++) {
		char name[64];

		snprintf(name, sizeof(name), "node%02zu.example.com", i);
		add_addr(run, 0, name, DNS_T_A, "127.0.0.1");
	}
}

/* More probes than workers: every one runs, and a refused connection is a result. */
static void
test_run_every_probe(void)
{
	struct dnsrun run;
	struct probepool p;
	struct j2w_err err;

	closed_run(&run, PROBEPOOL_WORKERS + 5);
	probepool_init(&p);
	p.timeout_ms = 2000;
	CHECK_INT(probepool_collect(&p, &run, NULL, &err), 0);
	CHECK_INT(p.n, PROBEPOOL_WORKERS + 5);
	CHECK_INT(probepool_run(&p, &err), 0);
	for (size_t i = 0; i < p.n; i++) {
		CHECK(!p.v[i].failed);
		CHECK(!p.v[i].r.handshake_ok);
		CHECK(p.v[i].r.error[0] != '\0');
	}
	probepool_release(&p);
	dnsrun_release(&run);

	/* nothing to probe is nothing to do */
	probepool_init(&p);
	CHECK_INT(probepool_run(&p, &err), 0);
	probepool_release(&p);
}

/* A probe that cannot be set up stops the run with its error. */
static void
test_run_setup_failure(void)
{
	struct dnsrun run;
	struct probepool p;
	struct j2w_err err;

	closed_run(&run, 3);
	probepool_init(&p);
	p.cacert = "/nonexistent/ca.pem";
	p.timeout_ms = 2000;
	CHECK_INT(probepool_collect(&p, &run, NULL, &err), 0);
	err_clear(&err);
	CHECK_INT(probepool_run(&p, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "/nonexistent/ca.pem") != NULL);
	probepool_release(&p);
	dnsrun_release(&run);
}

UNIT_MAIN(
	TEST(test_collect_tls),
	TEST(test_collect_uds),
	TEST(test_run_every_probe),
	TEST(test_run_setup_failure)
)
