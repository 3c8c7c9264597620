/* Unit tests for the j2w-dns-check rules over made-up answers (no server involved). */
#include <stdlib.h>
#include <string.h>

#include "dns/dnschecks.h"
#include "unit.h"
#include "util/jsonl.h"

#define TABLE_MAX 64

/* The answers one fake resolver gave. */
struct table {
	struct dns_query q[TABLE_MAX];
	size_t n;
	char names[TABLE_MAX][128];	/* qnames made up by rest_nxdomain */
	size_t nnames;
};

static const struct dns_query *
table_find(void *arg, size_t resolver, const char *qname, int qtype)
{
	struct table *t = arg;

	for (size_t i = 0; i < t->n; i++) {
		if (t->q[i].resolver == resolver && t->q[i].qtype == qtype &&
		    strcmp(t->q[i].qname, qname) == 0)
			return &t->q[i];
	}
	return NULL;
}

static struct dns_query *
answer(struct table *t, const char *qname, int qtype, enum dns_status st)
{
	struct dns_query *q = &t->q[t->n++];

	dns_query_init(q, 0, qname, qtype);
	q->status = st;
	return q;
}

static void
add_srv(struct dns_query *q, unsigned prio, unsigned port, const char *target)
{
	q->ans.srv = realloc(q->ans.srv, (q->ans.nsrv + 1) * sizeof(*q->ans.srv));
	q->ans.srv[q->ans.nsrv].priority = (uint16_t)prio;
	q->ans.srv[q->ans.nsrv].weight = 10;
	q->ans.srv[q->ans.nsrv].port = (uint16_t)port;
	q->ans.srv[q->ans.nsrv].target = strdup(target);
	q->ans.nsrv++;
}

static void
add_addr(struct dns_query *q, const char *addr)
{
	q->ans.addrs = realloc(q->ans.addrs, (q->ans.naddrs + 1) * sizeof(char *));
	q->ans.addrs[q->ans.naddrs++] = strdup(addr);
}

/* A target that resolves: A answer, AAAA NODATA. */
static void
host(struct table *t, const char *name, const char *addr)
{
	add_addr(answer(t, name, DNS_T_A, DNS_ANSWER), addr);
	answer(t, name, DNS_T_AAAA, DNS_NODATA);
}

/* The prefixes j2w-dns-check asks, all NXDOMAIN unless the test set them before. */
static void
rest_nxdomain(struct table *t, const char *domain)
{
	for (size_t i = 0; dnschecks_srv_prefixes[i] != NULL; i++) {
		char *n = t->names[t->nnames++];

		snprintf(n, 128, "%s.%s", dnschecks_srv_prefixes[i], domain);
		if (table_find(t, 0, n, DNS_T_SRV) == NULL)
			answer(t, n, DNS_T_SRV, DNS_NXDOMAIN);
	}
}

static void
table_release(struct table *t)
{
	for (size_t i = 0; i < t->n; i++)
		dns_query_release(&t->q[i]);
	t->n = 0;
	t->nnames = 0;
}

/* The severity of the first finding with check (and subject, if given), or "none". */
static const char *
sev_of(json_t *findings, const char *check, const char *subject)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		if (strcmp(json_get_str(f, "check"), check) == 0 &&
		    (subject == NULL || strcmp(json_get_str(f, "subject"), subject) == 0))
			return json_get_str(f, "severity");
	}
	return "none";
}

static const char *
message_of(json_t *findings, const char *check)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		if (strcmp(json_get_str(f, "check"), check) == 0)
			return json_get_str(f, "message");
	}
	return "";
}

static json_t *
run_view(struct table *t, const char *view, const char *domain)
{
	struct dnschecks_env env = { view, "127.0.0.1:53", 0, table_find, t };
	json_t *f = json_array();

	CHECK_INT(dnschecks_domain(&env, domain, f), 0);
	return f;
}

static void
test_internal_healthy(void)
{
	struct table t = { .n = 0 };
	struct dns_query *q = answer(&t, "_cisco-uds._tcp.example.com", DNS_T_SRV, DNS_ANSWER);
	json_t *f;

	add_srv(q, 1, 8443, "cucm1.example.com");
	add_srv(q, 2, 8443, "cucm2.example.com");
	host(&t, "cucm1.example.com", "10.0.0.1");
	host(&t, "cucm2.example.com", "10.0.0.2");
	rest_nxdomain(&t, "example.com");
	f = run_view(&t, "internal", "example.com");
	CHECK_STR(sev_of(f, "UDS-SRV", NULL), "OK");
	CHECK_STR(sev_of(f, "UDS-PORT", NULL), "OK");
	CHECK_STR(sev_of(f, "UDS-TARGET", NULL), "OK");
	CHECK_STR(sev_of(f, "UDS-RESOLVE", "cucm2.example.com"), "OK");
	CHECK_STR(sev_of(f, "SRV-REDUNDANCY", NULL), "OK");
	CHECK_STR(sev_of(f, "CUPLOGIN-LEGACY", NULL), "OK");
	CHECK_STR(sev_of(f, "EDGE-INSIDE", NULL), "OK");
	CHECK_STR(sev_of(f, "RECORD-NAME", NULL), "OK");
	/* external-only checks never run on an internal resolver */
	CHECK_STR(sev_of(f, "UDS-LEAK", NULL), "none");
	CHECK_STR(sev_of(f, "EDGE-SRV", NULL), "none");
	json_decref(f);
	table_release(&t);
}

static void
test_internal_broken(void)
{
	struct table t = { .n = 0 };
	struct dns_query *q = answer(&t, "_cuplogin._tcp.example.com", DNS_T_SRV, DNS_ANSWER);
	json_t *f;

	add_srv(q, 1, 8443, "imp1.example.com");
	q = answer(&t, "_collab-edge._tls.example.com", DNS_T_SRV, DNS_ANSWER);
	add_srv(q, 1, 8443, "expe1.example.com");
	answer(&t, "_cisco-uds._tcp.example.com", DNS_T_SRV, DNS_NODATA);
	rest_nxdomain(&t, "example.com");
	f = run_view(&t, "internal", "example.com");
	CHECK_STR(sev_of(f, "UDS-SRV", NULL), "FAIL");
	CHECK(strstr(message_of(f, "UDS-SRV"), "(NODATA)") != NULL);
	CHECK_STR(sev_of(f, "CUPLOGIN-LEGACY", NULL), "WARN");
	CHECK_STR(sev_of(f, "EDGE-INSIDE", NULL), "WARN");
	CHECK_STR(sev_of(f, "UDS-PORT", NULL), "none");
	json_decref(f);
	table_release(&t);
}

static void
test_targets(void)
{
	struct table t = { .n = 0 };
	struct dns_query *q = answer(&t, "_cisco-uds._tcp.example.com", DNS_T_SRV, DNS_ANSWER);
	json_t *f;
	size_t i, fails = 0, warns = 0;
	json_t *x;

	add_srv(q, 1, 8443, "10.1.1.1");
	add_srv(q, 2, 8443, "cucm");
	add_srv(q, 3, 8443, "cucm_1.example.com");
	add_srv(q, 4, 80, "cucm2.example.com");
	answer(&t, "cucm_1.example.com", DNS_T_A, DNS_NXDOMAIN);
	answer(&t, "cucm_1.example.com", DNS_T_AAAA, DNS_NXDOMAIN);
	answer(&t, "cucm2.example.com", DNS_T_A, DNS_TIMEOUT);
	answer(&t, "cucm2.example.com", DNS_T_AAAA, DNS_NODATA);
	rest_nxdomain(&t, "example.com");
	f = run_view(&t, "internal", "example.com");
	json_array_foreach(f, i, x) {
		if (strcmp(json_get_str(x, "check"), "UDS-TARGET") != 0)
			continue;
		fails += strcmp(json_get_str(x, "severity"), "FAIL") == 0;
		warns += strcmp(json_get_str(x, "severity"), "WARN") == 0;
	}
	CHECK_INT(fails, 2);	/* the IP literal and the single label */
	CHECK_INT(warns, 1);	/* the underscore: a "should" inside */
	CHECK_STR(sev_of(f, "UDS-PORT", NULL), "WARN");
	CHECK_STR(sev_of(f, "UDS-RESOLVE", "cucm_1.example.com"), "FAIL");
	CHECK_STR(sev_of(f, "UDS-RESOLVE", "cucm2.example.com"), "ERROR");
	CHECK_STR(sev_of(f, "UDS-RESOLVE", "10.1.1.1"), "none");
	json_decref(f);
	table_release(&t);
}

static void
test_external(void)
{
	struct table t = { .n = 0 };
	struct dns_query *q = answer(&t, "_collab-edge._tls.example.com", DNS_T_SRV, DNS_ANSWER);
	struct dns_query *a;
	json_t *f;

	add_srv(q, 1, 8443, "expe_1.example.com");
	a = answer(&t, "expe_1.example.com", DNS_T_A, DNS_ANSWER);
	add_addr(a, "192.0.2.1");
	answer(&t, "expe_1.example.com", DNS_T_AAAA, DNS_NODATA);
	q = answer(&t, "_cisco-uds._tcp.example.com", DNS_T_SRV, DNS_ANSWER);
	add_srv(q, 1, 8443, "cucm1.example.com");
	answer(&t, "_cuplogin._tcp.example.com", DNS_T_SRV, DNS_TIMEOUT);
	q = answer(&t, "_cisco_uds._tcp.example.com", DNS_T_SRV, DNS_ANSWER);
	add_srv(q, 1, 8443, "cucm1.example.com");
	rest_nxdomain(&t, "example.com");
	f = run_view(&t, "external", "example.com");
	CHECK_STR(sev_of(f, "EDGE-SRV", NULL), "OK");
	CHECK_STR(sev_of(f, "EDGE-TARGET", NULL), "FAIL");	/* underscore: a "must" outside */
	CHECK_STR(sev_of(f, "EDGE-RESOLVE", NULL), "OK");
	CHECK_STR(sev_of(f, "SRV-REDUNDANCY", NULL), "WARN");
	CHECK_STR(sev_of(f, "UDS-LEAK", NULL), "FAIL");
	CHECK_STR(sev_of(f, "CUP-LEAK", NULL), "ERROR");
	CHECK_STR(sev_of(f, "XMPP-FED", NULL), "INFO");
	/* _cisco_uds next to a _cisco-uds that exists: a stray record, WARN */
	CHECK_STR(sev_of(f, "RECORD-NAME", "_cisco_uds._tcp.example.com"), "WARN");
	CHECK_STR(sev_of(f, "UDS-SRV", NULL), "none");
	json_decref(f);
	table_release(&t);
}

static void
test_xmpp_many_domains(void)
{
	struct table t = { .n = 0 };
	struct dnschecks_env env = { "external", "127.0.0.1:53", 0, table_find, &t };
	const char *domains[] = { "a.example", "b.example", "c.example" };
	json_t *f = json_array();

	add_srv(answer(&t, "_xmpp-server._tcp.a.example", DNS_T_SRV, DNS_ANSWER), 1, 5269, "x.a.example");
	CHECK_INT(dnschecks_xmpp_domains(&env, domains, 3, f), 0);
	CHECK_INT(json_array_size(f), 0);
	add_srv(answer(&t, "_xmpp-server._tcp.c.example", DNS_T_SRV, DNS_ANSWER), 1, 5269, "x.c.example");
	answer(&t, "_xmpp-server._tcp.b.example", DNS_T_SRV, DNS_NXDOMAIN);
	CHECK_INT(dnschecks_xmpp_domains(&env, domains, 3, f), 0);
	CHECK_STR(sev_of(f, "XMPP-FED", NULL), "WARN");
	CHECK(strstr(message_of(f, "XMPP-FED"), "(a.example, c.example)") != NULL);
	json_decref(f);
	table_release(&t);
}

static struct tlsprobe_result
good_cert(void)
{
	struct tlsprobe_result r;

	tlsprobe_result_init(&r);
	r.handshake_ok = 1;
	r.chain_ok = 1;
	r.name_ok = 1;
	r.not_before_t = 1000000000;
	r.not_after_t = 2000000000;
	snprintf(r.not_after, sizeof(r.not_after), "2033-05-18T03:33:20Z");
	r.has_eku = 1;
	r.eku_server = 1;
	r.eku_client = 1;
	snprintf(r.key_type, sizeof(r.key_type), "RSA");
	r.key_bits = 2048;
	return r;
}

static void
test_tls_rules(void)
{
	struct tlsprobe_result r = good_cert();
	time_t now = 2000000000 - 10 * 86400;	/* ten days before notAfter */
	json_t *f = json_array();

	CHECK_INT(dnschecks_tls(&r, "expe1.example.com", 8443, "external", DNSCHECK_EDGE, now, 30, f), 0);
	CHECK_STR(sev_of(f, "TLS-CHAIN", NULL), "OK");
	CHECK_STR(sev_of(f, "TLS-EXPIRY", NULL), "WARN");
	CHECK(strstr(message_of(f, "TLS-EXPIRY"), "in 10 days") != NULL);
	CHECK_STR(sev_of(f, "TLS-EKU", NULL), "OK");
	CHECK_STR(sev_of(f, "TLS-KEYSIZE", NULL), "OK");
	json_decref(f);

	f = json_array();
	r.chain_ok = 0;
	r.name_ok = 0;
	r.eku_client = 0;
	r.key_bits = 1024;
	CHECK_INT(dnschecks_tls(&r, "expe1.example.com", 8443, "external", DNSCHECK_EDGE,
	    2000000000 + 3600, 30, f), 0);
	CHECK_STR(sev_of(f, "TLS-CHAIN", NULL), "FAIL");
	CHECK_STR(sev_of(f, "TLS-NAME", NULL), "FAIL");
	CHECK_STR(sev_of(f, "TLS-EXPIRY", NULL), "FAIL");
	CHECK_STR(sev_of(f, "TLS-EKU", NULL), "FAIL");
	CHECK_STR(sev_of(f, "TLS-KEYSIZE", NULL), "FAIL");
	json_decref(f);

	/* serverAuth alone is enough for Unified CM; EC 256 is not weak, EC 224 is */
	f = json_array();
	r = good_cert();
	r.eku_client = 0;
	snprintf(r.key_type, sizeof(r.key_type), "EC");
	r.key_bits = 256;
	CHECK_INT(dnschecks_tls(&r, "cucm1.example.com", 8443, "internal", DNSCHECK_UCM, 1500000000, 30, f), 0);
	CHECK_STR(sev_of(f, "TLS-EKU", NULL), "OK");
	CHECK_STR(sev_of(f, "TLS-KEYSIZE", NULL), "OK");
	CHECK_STR(sev_of(f, "TLS-EXPIRY", NULL), "OK");
	json_decref(f);
	f = json_array();
	r.key_bits = 224;
	CHECK_INT(dnschecks_tls(&r, "cucm1.example.com", 8443, "internal", DNSCHECK_UCM, 900000000, 30, f), 0);
	CHECK_STR(sev_of(f, "TLS-KEYSIZE", NULL), "FAIL");
	CHECK_STR(sev_of(f, "TLS-EXPIRY", NULL), "FAIL");	/* not yet valid */
	json_decref(f);

	/* no handshake: one ERROR, nothing else claimed */
	f = json_array();
	tlsprobe_result_init(&r);
	snprintf(r.error, sizeof(r.error), "connect: Connection refused");
	CHECK_INT(dnschecks_tls(&r, "expe1.example.com", 8443, "external", DNSCHECK_EDGE, 0, 30, f), 0);
	CHECK_INT(json_array_size(f), 1);
	CHECK_STR(sev_of(f, "TLS-CHAIN", NULL), "ERROR");
	json_decref(f);
}

static void
test_uds_rule(void)
{
	struct dnschecks_uds_lookup name = { "u1", 1, 200, 0, NULL, NULL };
	struct dnschecks_uds_lookup mail = { "u2", 1, 200, 1, "cucm-pub.example.com", NULL };
	struct dnschecks_uds_lookup down = { "u3", 0, 0, 0, NULL, "cannot reach" };
	json_t *f = json_array();

	CHECK_INT(dnschecks_uds("cucm1.example.com", 8443, "internal", "alice@example.com", &name, &mail, f), 0);
	CHECK_STR(sev_of(f, "UDS-HOMECLUSTER", NULL), "OK");
	CHECK(strstr(message_of(f, "UDS-HOMECLUSTER"), "by email; home cluster cucm-pub.example.com") != NULL);
	json_decref(f);
	f = json_array();
	mail.found = 0;
	CHECK_INT(dnschecks_uds("cucm1.example.com", 8443, "internal", "alice@example.com", &name, &mail, f), 0);
	CHECK_STR(sev_of(f, "UDS-HOMECLUSTER", NULL), "FAIL");
	json_decref(f);
	f = json_array();
	CHECK_INT(dnschecks_uds("cucm1.example.com", 8443, "internal", "alice@example.com", &down, &down, f), 0);
	CHECK_STR(sev_of(f, "UDS-HOMECLUSTER", NULL), "ERROR");
	json_decref(f);
}

static void
test_parse_time(void)
{
	time_t t;

	CHECK_INT(tlsprobe_parse_time("2030-01-02", 0, &t), 0);
	CHECK_INT(t, 1893542400);
	CHECK_INT(tlsprobe_parse_time("2030-01-02T03:04:05Z", 0, &t), 0);
	CHECK_INT(t, 1893553445);
	CHECK_INT(tlsprobe_parse_time("@86400", 0, &t), 0);
	CHECK_INT(t, 86400);
	CHECK_INT(tlsprobe_parse_time("+2d", 100, &t), 0);
	CHECK_INT(t, 100 + 2 * 86400);
	CHECK_INT(tlsprobe_parse_time("+", 0, &t), -1);
	CHECK_INT(tlsprobe_parse_time("2030-13-45", 0, &t), -1);
	CHECK_INT(tlsprobe_parse_time("2030-01-02junk", 0, &t), -1);
	CHECK_INT(tlsprobe_parse_time("tomorrow", 0, &t), -1);
}

static void
test_server_parse(void)
{
	char out[80];
	struct j2w_err err;

	CHECK_INT(dns_server_parse("127.0.0.1", out, sizeof(out), &err), 0);
	CHECK_STR(out, "127.0.0.1:53");
	CHECK_INT(dns_server_parse("127.0.0.1:5354", out, sizeof(out), &err), 0);
	CHECK_STR(out, "127.0.0.1:5354");
	CHECK_INT(dns_server_parse("[::1]:5354", out, sizeof(out), &err), 0);
	CHECK_STR(out, "[::1]:5354");
	CHECK_INT(dns_server_parse("2001:db8::1", out, sizeof(out), &err), 0);
	CHECK_STR(out, "[2001:db8::1]:53");
	CHECK_INT(dns_server_parse("ns1.example.com", out, sizeof(out), &err), -1);
	CHECK_INT(dns_server_parse("127.0.0.1:0", out, sizeof(out), &err), -1);
	CHECK_INT(dns_server_parse("[::1", out, sizeof(out), &err), -1);
	CHECK_INT(dns_server_parse("", out, sizeof(out), &err), -1);
}

UNIT_MAIN(
	TEST(test_internal_healthy),
	TEST(test_internal_broken),
	TEST(test_targets),
	TEST(test_external),
	TEST(test_xmpp_many_domains),
	TEST(test_tls_rules),
	TEST(test_uds_rule),
	TEST(test_parse_time),
	TEST(test_server_parse)
)
