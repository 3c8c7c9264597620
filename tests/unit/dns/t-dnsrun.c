/* Unit tests for the questions of a j2w-dns-check run: domains, the two rounds, the index, the checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dnschecks.h"
#include "dns/dnsrun.h"
#include "unit.h"
#include "util/jsonl.h"

/* The question (resolver, qname, qtype) of run, writable, or NULL. */
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

static size_t
nprefixes(void)
{
	size_t n = 0;

	while (dnschecks_srv_prefixes[n] != NULL)
		n++;
	return n;
}

/* A run with one internal and one external resolver. */
static void
two_views(struct dnsrun *run)
{
	struct j2w_err err;

	dnsrun_init(run);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.1:5301", DNSRUN_INTERNAL, &err), 0);
	CHECK_INT(dnsrun_add_resolver(run, "127.0.0.2", DNSRUN_EXTERNAL, &err), 0);
}

static void
test_domains_are_normalised(void)
{
	static const char *const good[][2] = {
		{ "Example.COM.", "example.com" },
		{ "xn--bcher-kva.example", "xn--bcher-kva.example" },
		{ "a", "a" },
		{ "a-b.c0", "a-b.c0" },
		{ "123.example", "123.example" },
	};
	static const char *const bad[] = {
		"", ".", "..", "a..b", ".a", "-a.com", "a-.com", "a.-b", "a_b.com", "ex ample.com",
		"a.com\n", "b\xc3\xbc" "cher.example", "a/b", "a@b.com", "a.com..",
	};
	struct dnsrun run;
	char label64[80], long_name[300];

	dnsrun_init(&run);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK_INT(dnsrun_add_domain(&run, good[i][0]), 0);
		CHECK_STR(run.domains[run.ndomains - 1], good[i][1]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK_INT(dnsrun_add_domain(&run, bad[i]), 1))
			printf("# refused: '%s'\n", bad[i]);
	/* 63 octets to a label and 253 in all, no more */
	memset(label64, 'a', 64);
	memcpy(label64 + 64, ".com", 5);
	CHECK_INT(dnsrun_add_domain(&run, label64), 1);
	CHECK_INT(dnsrun_add_domain(&run, label64 + 1), 0);
	for (size_t i = 0; i < 63; i++)
		memcpy(long_name + 4 * i, "abc.", 4);
	memcpy(long_name + 252, "a", 2);		/* 253 octets */
	CHECK_INT(dnsrun_add_domain(&run, long_name), 0);
	memcpy(long_name + 252, "ab", 3);		/* 254 */
	CHECK_INT(dnsrun_add_domain(&run, long_name), 1);
	CHECK_INT(run.ndomains, sizeof(good) / sizeof(good[0]) + 2);
	dnsrun_release(&run);
}

static void
test_resolvers(void)
{
	struct dnsrun run;
	struct j2w_err err;
	char addr[32];

	dnsrun_init(&run);
	CHECK(!dnsrun_has_view(&run, DNSRUN_INTERNAL));
	CHECK_INT(dnsrun_add_resolver(&run, "10.0.0.53", DNSRUN_EXTERNAL, &err), 0);
	CHECK_STR(run.res[0].view, "external");
	CHECK(dnsrun_has_view(&run, DNSRUN_EXTERNAL));
	CHECK(!dnsrun_has_view(&run, DNSRUN_INTERNAL));
	CHECK_INT(dnsrun_add_resolver(&run, "1.2.3", DNSRUN_INTERNAL, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_INT(dnsrun_add_resolver(&run, "", DNSRUN_INTERNAL, &err), -1);
	CHECK_INT(dnsrun_add_resolver(&run, "[::1]:99999", DNSRUN_INTERNAL, &err), -1);
	CHECK_INT(run.nres, 1);
	for (int i = 1; i < DNS_RESOLVERS_MAX; i++) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", 1000 + i);
		CHECK_INT(dnsrun_add_resolver(&run, addr, DNSRUN_INTERNAL, &err), 0);
	}
	CHECK_INT(dnsrun_add_resolver(&run, "127.0.0.1", DNSRUN_INTERNAL, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "at most 64 resolvers");
	CHECK_INT(run.nres, DNS_RESOLVERS_MAX);
	dnsrun_release(&run);
}

/* Two domains (one given twice, in another case) and two views: every prefix on each, once. */
static void
test_plan_two_domains_two_views(void)
{
	struct dnsrun run;
	struct j2w_err err;
	size_t np = nprefixes(), i = 0;

	two_views(&run);
	CHECK_INT(dnsrun_add_domain(&run, "example.com"), 0);
	CHECK_INT(dnsrun_add_domain(&run, "emea.example.com"), 0);
	CHECK_INT(dnsrun_add_domain(&run, "EXAMPLE.com."), 0);
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	CHECK_INT(run.ndomains, 2);
	CHECK_STR(run.domains[0], "emea.example.com");
	CHECK_STR(run.domains[1], "example.com");
	CHECK_INT(run.nq, 2 * 2 * np);
	/* resolver by resolver, domain by domain, in the catalogue's order */
	for (size_t r = 0; r < 2; r++)
		for (size_t d = 0; d < 2; d++)
			for (size_t p = 0; p < np && i < run.nq; p++, i++) {
				char want[256];

				snprintf(want, sizeof(want), "%s.%s", dnschecks_srv_prefixes[p],
				    run.domains[d]);
				CHECK_STR(run.q[i].qname, want);
				CHECK_INT(run.q[i].qtype, DNS_T_SRV);
				CHECK_INT(run.q[i].resolver, r);
			}
	CHECK(dnsrun_find(&run, 1, "_collab-edge._tls.example.com", DNS_T_SRV) ==
	    question(&run, 1, "_collab-edge._tls.example.com", DNS_T_SRV));
	CHECK(dnsrun_find(&run, 0, "_cisco-uds._tcp.emea.example.com", DNS_T_SRV) != NULL);
	CHECK(dnsrun_find(&run, 0, "_cisco-uds._tcp.example.com", DNS_T_A) == NULL);
	CHECK(dnsrun_find(&run, 2, "_cisco-uds._tcp.example.com", DNS_T_SRV) == NULL);
	CHECK(dnsrun_find(&run, 0, "_cisco-uds._tcp.example.org", DNS_T_SRV) == NULL);
	CHECK_INT(dnsrun_answered(&run), 0);
	dnsrun_release(&run);
}

/* Round two: each resolver's own discovery targets, each once, nothing not worth resolving. */
static void
test_targets_once_per_resolver(void)
{
	struct dnsrun run;
	struct j2w_err err;
	struct dns_query *q;
	size_t first, n;
	static const struct {
		size_t r;
		const char *name;
		int qtype;
	} want[] = {
		/* emea.example.com sorts first */
		{ 0, "cucm2.example.com", DNS_T_A }, { 0, "cucm2.example.com", DNS_T_AAAA },
		{ 0, "cucm1.example.com", DNS_T_A }, { 0, "cucm1.example.com", DNS_T_AAAA },
		{ 1, "cucm1.example.com", DNS_T_A }, { 1, "cucm1.example.com", DNS_T_AAAA },
		{ 1, "expe1.example.com", DNS_T_A }, { 1, "expe1.example.com", DNS_T_AAAA },
	};

	two_views(&run);
	dnsrun_add_domain(&run, "example.com");
	dnsrun_add_domain(&run, "emea.example.com");
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	n = run.nq;
	q = question(&run, 0, "_cisco-uds._tcp.emea.example.com", DNS_T_SRV);
	add_srv(q, 8443, "cucm2.example.com");
	add_srv(q, 8443, "cucm1.example.com");
	q = question(&run, 0, "_cisco-uds._tcp.example.com", DNS_T_SRV);
	add_srv(q, 8443, "cucm1.example.com");	/* named again: asked once */
	add_srv(q, 8443, ".");			/* "no service": not asked */
	add_srv(q, 8443, "10.0.0.1");		/* an IP literal: not asked */
	add_srv(q, 8443, "2001\\058db8\\058\\0581");	/* ":" in a name, escaped */
	/* not the internal discovery record: its targets are not asked */
	add_srv(question(&run, 0, "_collab-edge._tls.example.com", DNS_T_SRV), 8443,
	    "leak.example.com");
	add_srv(question(&run, 0, "_cuplogin._tcp.example.com", DNS_T_SRV), 8443,
	    "cup.example.com");
	q = question(&run, 1, "_collab-edge._tls.example.com", DNS_T_SRV);
	add_srv(q, 8443, "cucm1.example.com");	/* the other resolver asks it too */
	add_srv(q, 8443, "expe1.example.com");
	add_srv(q, 8443, "expe1.example.com");
	add_srv(question(&run, 1, "_cisco-uds._tcp.example.com", DNS_T_SRV), 8443,
	    "outside.example.com");
	CHECK_INT(dnsrun_plan_targets(&run, &first, &err), 0);
	CHECK_INT(first, n);
	CHECK_INT(run.nq - first, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]) && first + i < run.nq; i++) {
		CHECK_INT(run.q[first + i].resolver, want[i].r);
		CHECK_STR(run.q[first + i].qname, want[i].name);
		CHECK_INT(run.q[first + i].qtype, want[i].qtype);
	}
	/* the index covers the new questions, and the old ones kept their answers */
	CHECK(dnsrun_find(&run, 1, "expe1.example.com", DNS_T_AAAA) != NULL);
	CHECK(dnsrun_find(&run, 0, "expe1.example.com", DNS_T_A) == NULL);
	q = (struct dns_query *)dnsrun_find(&run, 1, "_collab-edge._tls.example.com", DNS_T_SRV);
	CHECK(q != NULL && q->ans.nsrv == 3);
	dnsrun_release(&run);
}

/* Without any answer there is no round two. */
static void
test_targets_none(void)
{
	struct dnsrun run;
	struct j2w_err err;
	size_t first;

	two_views(&run);
	dnsrun_add_domain(&run, "example.com");
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	CHECK_INT(dnsrun_plan_targets(&run, &first, &err), 0);
	CHECK_INT(first, run.nq);
	CHECK_INT(run.nq, 2 * nprefixes());
	dnsrun_release(&run);

	/* no domain, no question; the index still answers (nothing) */
	two_views(&run);
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	CHECK_INT(run.nq, 0);
	CHECK(dnsrun_find(&run, 0, "x", DNS_T_SRV) == NULL);
	dnsrun_release(&run);
}

static void
test_answered(void)
{
	struct dnsrun run;
	struct j2w_err err;

	two_views(&run);
	dnsrun_add_domain(&run, "example.com");
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	for (size_t i = 0; i < run.nq; i++)
		run.q[i].status = DNS_TIMEOUT;
	CHECK_INT(dnsrun_answered(&run), 0);
	run.q[0].status = DNS_NXDOMAIN;
	run.q[1].status = DNS_NODATA;
	run.q[2].status = DNS_ANSWER;
	/* a refusal or a failure tells nothing of the zone */
	run.q[3].status = DNS_REFUSED;
	run.q[4].status = DNS_SERVFAIL;
	run.q[5].status = DNS_FAILED;
	CHECK_INT(dnsrun_answered(&run), 3);
	dnsrun_release(&run);
}

/* A dnsrun_sink that keeps every finding in the JSON array arg. */
static int
collect(void *arg, json_t *findings, struct j2w_err *err)
{
	return json_array_extend(arg, findings) == 0 ? 0 : err_set(err, J2W_ESYS, "out of memory");
}

static size_t
count(json_t *findings, const char *check, const char *view)
{
	size_t i, n = 0;
	json_t *f;

	json_array_foreach(findings, i, f) {
		if (strcmp(json_get_str(f, "check"), check) == 0 &&
		    strcmp(json_get_str(f, "view"), view) == 0)
			n++;
	}
	return n;
}

/* The checks run per domain and resolver; XMPP-FED across domains only outside. */
static void
test_check_every_domain_and_view(void)
{
	struct dnsrun run;
	struct j2w_err err;
	json_t *findings = json_array();
	struct dnsrun_sink sink = { collect, findings };
	size_t first;

	two_views(&run);
	dnsrun_add_domain(&run, "example.com");
	dnsrun_add_domain(&run, "emea.example.com");
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	for (size_t i = 0; i < run.nq; i++)
		run.q[i].status = DNS_NXDOMAIN;
	add_srv(question(&run, 1, "_xmpp-server._tcp.example.com", DNS_T_SRV), 5269,
	    "xmpp.example.com");
	add_srv(question(&run, 1, "_xmpp-server._tcp.emea.example.com", DNS_T_SRV), 5269,
	    "xmpp.example.com");
	add_srv(question(&run, 0, "_xmpp-server._tcp.example.com", DNS_T_SRV), 5269,
	    "xmpp.example.com");
	add_srv(question(&run, 0, "_xmpp-server._tcp.emea.example.com", DNS_T_SRV), 5269,
	    "xmpp.example.com");
	CHECK_INT(dnsrun_plan_targets(&run, &first, &err), 0);
	CHECK_INT(dnsrun_check(&run, &sink, &err), 0);
	CHECK_INT(count(findings, "UDS-SRV", "internal"), 2);
	CHECK_INT(count(findings, "EDGE-SRV", "external"), 2);
	CHECK_INT(count(findings, "UDS-SRV", "external"), 0);
	/* two domains federating outside is one WARN; inside it is not judged */
	CHECK_INT(count(findings, "XMPP-FED", "internal"), 0);
	CHECK(count(findings, "XMPP-FED", "external") >= 1);
	{
		size_t i;
		json_t *f;
		int warned = 0;

		json_array_foreach(findings, i, f) {
			if (strcmp(json_get_str(f, "check"), "XMPP-FED") == 0 &&
			    strcmp(json_get_str(f, "severity"), "WARN") == 0)
				warned++;
		}
		CHECK_INT(warned, 1);
	}
	json_decref(findings);
	dnsrun_release(&run);
}

/*
 * Thousands of domains, each given again in capitals and with a dot, each
 * naming two targets, some spelt in capitals or with a dot, some shared: each
 * domain once, each target asked once per resolver, in the order first named.
 */
static void
test_many_domains_and_targets(void)
{
	enum { N = 4000 };
	struct dnsrun run;
	struct j2w_err err;
	size_t first, ok = 0, asked_a = 0;
	char name[128], target[128];

	two_views(&run);
	for (size_t d = 0; d < N; d++) {
		snprintf(name, sizeof(name), "d%zu.example.com", d);
		CHECK_INT(dnsrun_add_domain(&run, name), 0);
	}
	for (size_t d = 0; d < N; d++) {
		snprintf(name, sizeof(name), "D%zu.Example.COM.", d);
		CHECK_INT(dnsrun_add_domain(&run, name), 0);
	}
	CHECK_INT(run.ndomains, N);
	CHECK_INT(dnsrun_plan(&run, &err), 0);
	CHECK_INT(run.ndomains, N);
	CHECK_INT(run.nq, 2 * N * nprefixes());
	for (size_t d = 0; d < N; d++) {
		struct dns_query *q;

		snprintf(name, sizeof(name), "_cisco-uds._tcp.d%zu.example.com", d);
		q = question(&run, 0, name, DNS_T_SRV);
		/* its own node, in either spelling, and a node every tenth domain shares */
		snprintf(target, sizeof(target), "ucm.d%zu.example.com", d);
		add_srv(q, 8443, target);
		snprintf(target, sizeof(target), "UCM.D%zu.example.com.", d);
		add_srv(q, 8443, target);
		snprintf(target, sizeof(target), d % 2 ? "shared%zu.example.com" :
		    "Shared%zu.Example.com.", d % 10);
		add_srv(q, 8443, target);
		/* the external resolver names the same shared nodes: asked there too */
		snprintf(name, sizeof(name), "_collab-edge._tls.d%zu.example.com", d);
		snprintf(target, sizeof(target), "SHARED%zu.example.com", d % 10);
		add_srv(question(&run, 1, name, DNS_T_SRV), 8443, target);
	}
	CHECK_INT(dnsrun_plan_targets(&run, &first, &err), 0);
	CHECK_INT(run.nq - first, 2 * (N + 10 + 10));
	for (size_t i = first; i < run.nq; i++)
		asked_a += run.q[i].qtype == DNS_T_A;
	CHECK_INT(asked_a, N + 10 + 10);
	/* domains sort as text: d0, d1, d10, d100, ...; the first spelling is asked */
	CHECK_STR(run.q[first].qname, "ucm.d0.example.com");
	CHECK_STR(run.q[first + 2].qname, "Shared0.Example.com.");
	CHECK_STR(run.q[first + 4].qname, "ucm.d1.example.com");
	CHECK_STR(run.q[first + 6].qname, "shared1.example.com");
	for (size_t d = 0; d < N; d++) {
		snprintf(target, sizeof(target), "ucm.d%zu.example.com", d);
		ok += dnsrun_find(&run, 0, target, DNS_T_A) != NULL &&
		    dnsrun_find(&run, 0, target, DNS_T_AAAA) != NULL &&
		    dnsrun_find(&run, 1, target, DNS_T_A) == NULL;
	}
	CHECK_INT(ok, N);
	CHECK(dnsrun_find(&run, 1, "SHARED3.example.com", DNS_T_A) != NULL);
	CHECK(dnsrun_find(&run, 1, "shared3.example.com", DNS_T_A) == NULL);
	dnsrun_release(&run);
}

/*
 * Reads text (len bytes) as user records named name into run; returns
 * dnsrun_read_domains's result, with *bad and the notes.
 */
static int
read_domains(struct dnsrun *run, const char *text, size_t len, const char *name,
    unsigned long *bad, struct unit_said *s, struct j2w_err *err)
{
	FILE *fp = tmpfile();
	int rc;

	fwrite(text, 1, len, fp);
	rewind(fp);
	*bad = 0;
	memset(s, 0, sizeof(*s));
	rc = dnsrun_read_domains(run, fp, name, unit_say, s, bad, err);
	fclose(fp);
	return rc;
}

static void
test_domains_from_user_records(void)
{
	static const char text[] =
	    "{\"userid\":\"ann\",\"mailid\":\"ann@Example.COM\"}\n"
	    "\n"
	    "{\"userid\":\"bob\",\"directory_uri\":\"bob@sales.example.com\","
	    "\"mailid\":\"b@example.com\"}\n"
	    "{\"userid\":\"cy\",\"webex_email\":\"cy@example.com.\"}\n"
	    "{\"userid\":\"dave\"}\n"
	    "{\"userid\":\"eve\",\"mailid\":\"eve@\"}\n"
	    "{\"mailid\":\"no-at-sign\"}\n"
	    "{\"userid\":\"fay\",\"mailid\":\"a@b@c.example\"}\n";
	struct dnsrun run;
	struct unit_said s;
	struct j2w_err err;
	unsigned long bad;

	dnsrun_init(&run);
	CHECK_INT(read_domains(&run, text, sizeof(text) - 1, "users.jsonl", &bad, &s, &err), 0);
	/* repeats are dropped; the part after the last '@' is the domain */
	CHECK_INT(run.ndomains, 3);
	CHECK_STR(run.domains[0], "example.com");
	CHECK_STR(run.domains[1], "sales.example.com");
	CHECK_STR(run.domains[2], "c.example");
	CHECK_INT(bad, 3);
	CHECK_STR(s.buf, "users.jsonl:5: user 'dave' has no mail or directory URI with a usable "
	    "domain; not counted|users.jsonl:6: user 'eve' has no mail or directory URI with a "
	    "usable domain; not counted|users.jsonl:7: user '?' has no mail or directory URI "
	    "with a usable domain; not counted|");
	dnsrun_release(&run);
}

static void
test_domains_from_hostile_records(void)
{
	char big[2000];
	struct dnsrun run;
	struct unit_said s;
	struct j2w_err err;
	unsigned long bad;
	size_t n;

	/* a name that is no DNS domain is not counted, whatever it holds */
	static const char odd[] =
	    "{\"userid\":\"a\",\"mailid\":\"a@b\\u00fccher.example\"}\n"
	    "{\"userid\":\"b\\u001b[2J\",\"mailid\":\"b@ex ample.com\"}\n"
	    "{\"userid\":\"c\",\"mailid\":\"c@-x.example\"}\n"
	    "{\"userid\":\"d\",\"mailid\":\"d@x.example\\n\"}\n"
	    "{\"userid\":7,\"mailid\":[\"e@x.example\"]}\n"
	    "{\"userid\":\"f\",\"mailid\":\"f@..\"}\n";
	dnsrun_init(&run);
	CHECK_INT(read_domains(&run, odd, sizeof(odd) - 1, "-", &bad, &s, &err), 0);
	CHECK_INT(run.ndomains, 0);
	CHECK_INT(bad, 6);
	CHECK(strncmp(s.buf, "<stdin>:1: user 'a' has no mail", 31) == 0);
	/* the note carries the user ID as it came: the command escapes it for the terminal */
	CHECK(strstr(s.buf, "<stdin>:2: user 'b\x1b[2J' has") != NULL);
	CHECK(strstr(s.buf, "<stdin>:5: user '?' has") != NULL);

	/* a domain over 253 octets */
	n = (size_t)snprintf(big, sizeof(big), "{\"userid\":\"g\",\"mailid\":\"g@");
	for (int i = 0; i < 70; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "abc.");
	n += (size_t)snprintf(big + n, sizeof(big) - n, "com\"}\n");
	CHECK_INT(read_domains(&run, big, n, "u", &bad, &s, &err), 0);
	CHECK_INT(bad, 1);
	CHECK_INT(run.ndomains, 0);

	/* a NUL byte, a line that is not JSON, an array: bad data, with the line */
	CHECK_INT(read_domains(&run, "{\"userid\":\"h\",\"mailid\":\"h@x.example\"}\n{\"a\0\":1}\n",
	    39, "u", &bad, &s, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strncmp(err.msg, "u:2:", 4) == 0);
	CHECK_INT(run.ndomains, 1);
	CHECK_INT(read_domains(&run, "{\"userid\":\"h\"}\nnot json\n", 24, "u", &bad, &s,
	    &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strncmp(err.msg, "u:2:", 4) == 0);
	CHECK_INT(read_domains(&run, "[\"x@y.example\"]\n", 17, "u", &bad, &s, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);

	/* user records as CSV (j2w-users --format csv) are read as well */
	CHECK_INT(read_domains(&run, "userid,mailid\nann,ann@y.example\n", 32, "u.csv", &bad, &s,
	    &err), 0);
	CHECK_INT(run.ndomains, 2);
	/* a CUCM export is no user record: a step was left out */
	CHECK_INT(read_domains(&run, "USER ID,MAIL ID\nann,ann@z.example\n", 34, "enduser.csv", &bad,
	    &s, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "enduser.csv:1: the header names no column j2w reads") == err.msg);
	CHECK_INT(run.ndomains, 2);
	dnsrun_release(&run);
}

static void
test_describe(void)
{
	const unsigned long count[5] = { 7, 1, 2, 3, 0 };
	struct dnsrun run;
	struct strbuf sb;

	dnsrun_init(&run);
	strbuf_init(&sb, 0);
	CHECK_INT(dnsrun_add_domain(&run, "example.com"), 0);
	dnsrun_describe(&run, 0, count, 0, &sb);
	CHECK_STR(sb.buf, "1 domain, 0 resolvers, 0 questions (0 answered): 7 ok, 1 info, 2 warn, "
	    "3 fail, 0 error");
	strbuf_reset(&sb);
	CHECK_INT(dnsrun_add_domain(&run, "example.org"), 0);
	dnsrun_describe(&run, 5, count, 1, &sb);
	CHECK_STR(sb.buf, "2 domains, 0 resolvers, 0 questions (5 answered): 7 ok, 1 info, 2 warn, "
	    "3 fail, 0 error; not counted: 1 user record without a domain");
	strbuf_reset(&sb);
	dnsrun_describe(&run, 5, count, 2, &sb);
	CHECK(strstr(sb.buf, "; not counted: 2 user records without a domain") != NULL);
	strbuf_release(&sb);
	dnsrun_release(&run);
}

UNIT_MAIN(
	TEST(test_domains_are_normalised),
	TEST(test_describe),
	TEST(test_domains_from_user_records),
	TEST(test_domains_from_hostile_records),
	TEST(test_resolvers),
	TEST(test_plan_two_domains_two_views),
	TEST(test_targets_once_per_resolver),
	TEST(test_targets_none),
	TEST(test_many_domains_and_targets),
	TEST(test_answered),
	TEST(test_check_every_domain_and_view)
)
