/* Unit tests for the TLS and UDS checks of a run, against servers that refuse to connect. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/probecheck.h"
#include "unit.h"
#include "util/jsonl.h"

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

static void
add_a(struct dnsrun *run, size_t r, const char *target, const char *addr)
{
	struct dns_query *q = question(run, r, target, DNS_T_A);

	if (!CHECK(q != NULL))
		return;
	q->status = DNS_ANSWER;
	q->ans.addrs = realloc(q->ans.addrs, (q->ans.naddrs + 1) * sizeof(char *));
	q->ans.addrs[q->ans.naddrs++] = strdup(addr);
}

/* Two Unified CM nodes inside and one Expressway-E outside, all on 127.0.0.1 port 1. */
static void
closed_run(struct dnsrun *run)
{
	struct j2w_err err;
	size_t first;

	dnsrun_init(run);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.1:5301", DNSRUN_INTERNAL, &err), 0);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.1:5302", DNSRUN_EXTERNAL, &err), 0);
	dnsrun_add_domain(run, "example.com");
	CHECK_INT(dnsrun_plan(run, &err), 0);
	add_srv(question(run, 0, "_cisco-uds._tcp.example.com", DNS_T_SRV), 1, "cucm1.example.com");
	add_srv(question(run, 0, "_cisco-uds._tcp.example.com", DNS_T_SRV), 1, "cucm2.example.com");
	add_srv(question(run, 1, "_collab-edge._tls.example.com", DNS_T_SRV), 1,
	    "expe1.example.com");
	CHECK_INT(dnsrun_plan_targets(run, &first, &err), 0);
	add_a(run, 0, "cucm1.example.com", "127.0.0.1");
	add_a(run, 0, "cucm2.example.com", "127.0.0.1");
	add_a(run, 1, "expe1.example.com", "127.0.0.1");
}

/* A dnsrun_sink that keeps every finding in the JSON array arg. */
static int
collect(void *arg, json_t *findings, struct j2w_err *err)
{
	return json_array_extend(arg, findings) == 0 ? 0 : err_set(err, J2W_ESYS, "out of memory");
}

/* "CHECK:SEVERITY@subject/view" of each finding, space-separated. */
static const char *
summary(json_t *findings)
{
	static char buf[1024];
	size_t i, len = 0;
	json_t *f;

	buf[0] = '\0';
	json_array_foreach(findings, i, f) {
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s:%s@%s/%s", i ? " " : "",
		    json_get_str(f, "check"), json_get_str(f, "severity"),
		    json_get_str(f, "subject"), json_get_str(f, "view"));
		if (len >= sizeof(buf))
			break;
	}
	return buf;
}

/* Nothing listening: one TLS-CHAIN ERROR per server, in probe order, each view's own. */
static void
test_tls_unreachable(void)
{
	struct dnsrun run;
	struct j2w_err err;
	json_t *findings = json_array();
	struct dnsrun_sink sink = { collect, findings };

	closed_run(&run);
	CHECK_INT(probecheck_tls(&run, NULL, 2000, 1700000000, 30, &sink, &err), 0);
	CHECK_STR(summary(findings), "TLS-CHAIN:ERROR@cucm1.example.com:1/internal "
	    "TLS-CHAIN:ERROR@cucm2.example.com:1/internal "
	    "TLS-CHAIN:ERROR@expe1.example.com:1/external");
	json_decref(findings);

	sink.arg = findings = json_array();
	CHECK_INT(probecheck_tls(&run, "/nonexistent/ca.pem", 2000, 1700000000, 30, &sink,
	    &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_INT(json_array_size(findings), 0);
	json_decref(findings);
	dnsrun_release(&run);
}

/* Neither lookup answered: UDS-HOMECLUSTER ERROR for each internal node, none outside. */
static void
test_uds_unreachable(void)
{
	struct dnsrun run;
	struct j2w_err err;
	struct http_opts hopts = { 0 };
	json_t *findings = json_array();
	struct dnsrun_sink sink = { collect, findings };

	CHECK_INT(http_global_init(&err), 0);
	hopts.connect_timeout_ms = 2000;
	hopts.timeout_ms = 6000;
	closed_run(&run);
	CHECK_INT(probecheck_uds(&run, "alice", &hopts, &sink, &err), 0);
	CHECK_STR(summary(findings), "UDS-HOMECLUSTER:ERROR@cucm1.example.com:1/internal "
	    "UDS-HOMECLUSTER:ERROR@cucm2.example.com:1/internal");
	json_decref(findings);
	dnsrun_release(&run);
}

/* No discovery answer, nothing to probe, no finding. */
static void
test_nothing_to_probe(void)
{
	struct dnsrun run;
	struct j2w_err err;
	json_t *findings = json_array();
	struct dnsrun_sink sink = { collect, findings };

	dnsrun_init(&run);
	CHECK_INT(dnsrun_add_resolver(&run, "127.0.0.1", DNSRUN_INTERNAL, &err), 0);
	dnsrun_add_domain(&run, "example.com");
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	CHECK_INT(probecheck_tls(&run, NULL, 2000, 1700000000, 30, &sink, &err), 0);
	CHECK_INT(probecheck_uds(&run, "alice", NULL, &sink, &err), 0);
	CHECK_INT(json_array_size(findings), 0);
	json_decref(findings);
	dnsrun_release(&run);
}

UNIT_MAIN(
	TEST(test_tls_unreachable),
	TEST(test_uds_unreachable),
	TEST(test_nothing_to_probe)
)
