/*
 * The readiness rules of j2w-dns-check. Sources: MRA deployment guide X15
 * (split DNS, _collab-edge, EKU), Jabber DNS configuration guide (FQDN
 * targets, _cuplogin precedence), RFC 2782 (".", CNAME targets, order),
 * Webex App with Unified CM calling (same discovery as Jabber, untrusted
 * Tomcat certificate dropped); see docs/checks/dns-check.md.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dns/dnschecks.h"
#include "record/findings.h"
#include "util/jsonl.h"

#define UDS_PREFIX "_cisco-uds._tcp"
#define CUP_PREFIX "_cuplogin._tcp"
#define EDGE_PREFIX "_collab-edge._tls"
#define XMPP_PREFIX "_xmpp-server._tcp"
#define EXPECTED_PORT 8443
#define MSG_MAX 1024

/* A name the clients never ask, and the name that was meant. */
struct misspelling {
	const char *wrong;
	const char *right;
};

static const struct misspelling misspellings[] = {
	{ "_cisco_uds._tcp", UDS_PREFIX },
	{ "_cisco-uds._tls", UDS_PREFIX },
	{ "cisco-uds._tcp", UDS_PREFIX },
	{ "_collab-edge._tcp", EDGE_PREFIX },
	{ "_collab_edge._tls", EDGE_PREFIX },
	{ "collab-edge._tls", EDGE_PREFIX },
	{ "_cuplogin._tls", CUP_PREFIX },
	{ "xmpp-server._tcp", XMPP_PREFIX },
};
#define NMISSPELLINGS (sizeof(misspellings) / sizeof(misspellings[0]))

const char *const dnschecks_srv_prefixes[] = {
	UDS_PREFIX, CUP_PREFIX, EDGE_PREFIX, XMPP_PREFIX,
	"_cisco_uds._tcp", "_cisco-uds._tls", "cisco-uds._tcp",
	"_collab-edge._tcp", "_collab_edge._tls", "collab-edge._tls",
	"_cuplogin._tls", "xmpp-server._tcp",
	NULL
};

/* The rules that differ between the internal and the external discovery record. */
struct discovery {
	const char *prefix;
	const char *srv_check, *port_check, *target_check, *resolve_check;
	const char *who;		/* what the targets are */
	enum severity soft;		/* for an underscore or an alias: "should" inside, "must" outside */
	const char *missing_msg;
	const char *missing_fix;	/* the fix, before and after the domain */
	const char *missing_fix_end;
};

static const struct discovery uds_rules = {
	UDS_PREFIX, "UDS-SRV", "UDS-PORT", "UDS-TARGET", "UDS-RESOLVE",
	"Unified CM nodes", SEV_WARN,
	"clients inside the network cannot find Unified CM (the Webex App and Jabber ask _cisco-uds first)",
	"publish '_cisco-uds._tcp.",
	". SRV 10 10 8443 <ucm-node-fqdn>.' in the internal zone, one per Unified CM node running UDS",
};

static const struct discovery edge_rules = {
	EDGE_PREFIX, "EDGE-SRV", "EDGE-PORT", "EDGE-TARGET", "EDGE-RESOLVE",
	"Expressway-E nodes", SEV_FAIL,
	"clients outside the network cannot find Expressway-E (no Mobile and Remote Access)",
	"publish '_collab-edge._tls.",
	". SRV 10 10 8443 <expressway-e-fqdn>.' in the public zone, one per Expressway-E node",
};

/*
 * snprintf for messages: a message longer than its buffer is cut, which is
 * what we want, so the compiler's truncation analysis is kept out of it.
 */
static void textf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
textf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* Presence of an SRV record set as far as an answer tells. */
enum presence { P_UNASKED, P_UNKNOWN, P_ABSENT, P_PRESENT };

static enum presence
presence(const struct dns_query *q)
{
	if (q == NULL)
		return P_UNASKED;
	if (dns_status_unanswered(q->status))
		return P_UNKNOWN;
	if (q->status == DNS_ANSWER && q->ans.nsrv > 0)
		return P_PRESENT;
	return P_ABSENT;
}

static const struct dns_query *
find(const struct dnschecks_env *env, const char *prefix, const char *domain, int qtype)
{
	char qname[DNS_NAME_TEXT_MAX + 64];

	if (prefix != NULL)
		textf(qname, sizeof(qname), "%s.%s", prefix, domain);
	else
		textf(qname, sizeof(qname), "%s", domain);
	return env->find(env->arg, env->index, qname, qtype);
}

/* "NXDOMAIN", or "TIMEOUT (detail)" */
static const char *
status_text(const struct dns_query *q, char *buf, size_t len)
{
	if (q->detail != NULL)
		textf(buf, len, "%s: %s", dns_status_name(q->status), q->detail);
	else if (q->status == DNS_ANSWER && q->ans.nsrv == 0 && q->qtype == DNS_T_SRV)
		textf(buf, len, "no SRV record in the answer");
	else
		textf(buf, len, "%s", dns_status_name(q->status));
	return buf;
}

/* The evidence of one question: who was asked, what came back. NULL on ENOMEM. */
static json_t *
query_evidence(const struct dnschecks_env *env, const struct dns_query *q)
{
	json_t *e = json_object(), *list;
	int rc = 0;

	if (e == NULL)
		return NULL;
	rc |= json_set_str(e, "resolver", env->resolver);
	rc |= json_set_str(e, "qname", q->qname);
	rc |= json_set_str(e, "qtype", dns_type_name(q->qtype));
	rc |= json_set_str(e, "status", dns_status_name(q->status));
	rc |= json_set_str(e, "detail", q->detail);
	if (q->ans.nsrv > 0) {
		rc |= json_object_set_new(e, "records", list = json_array());
		for (size_t i = 0; list != NULL && i < q->ans.nsrv; i++) {
			const struct srv_rr *rr = &q->ans.srv[i];

			rc |= json_array_append_new(list, json_pack("{s:i,s:i,s:i,s:s}",
			    "priority", rr->priority, "weight", rr->weight,
			    "port", rr->port, "target", rr->target));
		}
	}
	if (q->ans.naddrs > 0) {
		rc |= json_object_set_new(e, "addresses", list = json_array());
		for (size_t i = 0; list != NULL && i < q->ans.naddrs; i++)
			rc |= json_array_append_new(list, json_string(q->ans.addrs[i]));
	}
	if (q->ans.ncnames > 0) {
		rc |= json_object_set_new(e, "cnames", list = json_array());
		for (size_t i = 0; list != NULL && i < q->ans.ncnames; i++)
			rc |= json_array_append_new(list, json_pack("{s:s,s:s}",
			    "owner", q->ans.cnames[i].owner, "target", q->ans.cnames[i].target));
	}
	if (rc != 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

/*
 * Appends a finding; fix may be NULL (nothing to do); evidence is stolen.
 * The fix goes between message and evidence so that a reader sees it first.
 */
static int
add(json_t *findings, const char *check, enum severity sev, const char *subject,
    const char *view, const char *message, const char *fix, json_t *evidence)
{
	json_t *f = finding_new(DNSCHECK_TOOL, check, sev, subject, view, message, NULL);

	if (f == NULL) {
		json_decref(evidence);
		return -1;
	}
	if ((fix != NULL && json_set_str(f, "fix", fix) != 0) ||
	    (evidence != NULL && json_object_set_new(f, "evidence", evidence) != 0) ||
	    json_array_append_new(findings, f) != 0)
		return -1;
	return 0;
}

/* An ERROR: the resolver gave no answer, so the check could not run. */
static int
add_unanswered(json_t *findings, const struct dnschecks_env *env, const char *check,
    const struct dns_query *q)
{
	char msg[MSG_MAX], st[200];

	textf(msg, sizeof(msg), "no usable answer from the %s resolver %s for %s %s (%s)",
	    env->view, env->resolver, q->qname, dns_type_name(q->qtype),
	    status_text(q, st, sizeof(st)));
	return add(findings, check, SEV_ERROR, q->qname, env->view, msg,
	    "make sure the resolver is reachable and serves this domain, then run again",
	    query_evidence(env, q));
}

static int
is_ipv4_literal(const char *s)
{
	unsigned char buf[4];

	return inet_pton(AF_INET, s, buf) == 1;
}

/*
 * What is wrong with an SRV target as a name (not whether it resolves), with
 * the severity, or NULL when nothing is. a is the A answer for it, if asked.
 */
static const char *
target_problem(const struct discovery *d, const char *target, const struct dns_query *a,
    enum severity *sev, char *buf, size_t len)
{
	*sev = SEV_FAIL;
	if (strcmp(target, ".") == 0)
		return "the target '.' says the service is decidedly not available at this domain (RFC 2782)";
	if (is_ipv4_literal(target) || strstr(target, "\\058") != NULL) {
		textf(buf, len, "the target '%s' is an IP address; clients need a host name (FQDN)%s",
		    target, d == &edge_rules ? " for the Expressway-E cookie" : "");
		return buf;
	}
	if (strchr(target, '.') == NULL) {
		textf(buf, len, "the target '%s' is a single label, not a fully qualified name", target);
		return buf;
	}
	*sev = d->soft;
	if (strchr(target, '_') != NULL) {
		textf(buf, len, "the target '%s' has an underscore, which a host name may not have%s",
		    target, d == &edge_rules ? " (Expressway SSH tunnels fail with it)" : "");
		return buf;
	}
	if (a != NULL && a->ans.ncnames > 0 && strcmp(a->ans.cnames[0].owner, target) == 0) {
		textf(buf, len, "the target '%s' is an alias (CNAME to '%s'); an SRV target must be "
		    "the canonical name (RFC 2782)", target, a->ans.cnames[0].target);
		return buf;
	}
	return NULL;
}

int
dnschecks_target_resolvable(const char *target)
{
	return strcmp(target, ".") != 0 && !is_ipv4_literal(target) &&
	    strstr(target, "\\058") == NULL;
}

const char *
dnschecks_discovery_prefix(const char *view)
{
	return strcmp(view, "external") == 0 ? EDGE_PREFIX : UDS_PREFIX;
}

/* The short list "a:8443, b:8443" of the records, for messages. */
static void
records_text(const struct dns_query *q, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < q->ans.nsrv && off < len; i++) {
		int n = snprintf(buf + off, len - off, "%s%s:%u", i ? ", " : "",
		    q->ans.srv[i].target, q->ans.srv[i].port);

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* UDS-RESOLVE / EDGE-RESOLVE for one target. */
static int
check_resolve(const struct dnschecks_env *env, const struct discovery *d, const char *target,
    json_t *findings)
{
	const struct dns_query *a = find(env, NULL, target, DNS_T_A);
	const struct dns_query *aaaa = find(env, NULL, target, DNS_T_AAAA);
	char msg[MSG_MAX], fix[MSG_MAX], sa[200], s6[200];
	json_t *ev;
	size_t off = 0;
	int naddr = 0;

	if (a == NULL && aaaa == NULL)
		return 0;
	ev = json_pack("{s:s}", "resolver", env->resolver);
	if (ev == NULL)
		return -1;
	if (a != NULL)
		json_object_set_new(ev, "a", query_evidence(env, a));
	if (aaaa != NULL)
		json_object_set_new(ev, "aaaa", query_evidence(env, aaaa));
	msg[0] = '\0';
	for (int k = 0; k < 2; k++) {
		const struct dns_query *q = k == 0 ? a : aaaa;

		for (size_t i = 0; q != NULL && i < q->ans.naddrs; i++) {
			int n = snprintf(msg + off, sizeof(msg) - off, "%s%s",
			    naddr++ ? ", " : "", q->ans.addrs[i]);

			if (n > 0 && (size_t)n < sizeof(msg) - off)
				off += (size_t)n;
		}
	}
	if (naddr > 0) {
		char list[MSG_MAX];

		textf(list, sizeof(list), "%s", msg);
		textf(msg, sizeof(msg), "%s resolves to %s", target, list);
		return add(findings, d->resolve_check, SEV_OK, target, env->view, msg, NULL, ev);
	}
	if (a != NULL)
		status_text(a, sa, sizeof(sa));
	else
		textf(sa, sizeof(sa), "not asked");
	if (aaaa != NULL)
		status_text(aaaa, s6, sizeof(s6));
	else
		textf(s6, sizeof(s6), "not asked");
	if ((a != NULL && dns_status_unanswered(a->status)) ||
	    (aaaa != NULL && dns_status_unanswered(aaaa->status))) {
		textf(msg, sizeof(msg), "no usable answer from the %s resolver %s for %s (A: %s, AAAA: %s)",
		    env->view, env->resolver, target, sa, s6);
		return add(findings, d->resolve_check, SEV_ERROR, target, env->view, msg,
		    "make sure the resolver is reachable and serves this name, then run again", ev);
	}
	textf(msg, sizeof(msg), "%s has no A or AAAA record on the %s resolver (A: %s, AAAA: %s)",
	    target, env->view, sa, s6);
	textf(fix, sizeof(fix), "add an A (and AAAA where used) record for %s to the %s zone, "
	    "or point the SRV record at a name that has one", target, env->view);
	return add(findings, d->resolve_check, SEV_FAIL, target, env->view, msg, fix, ev);
}

/* The discovery record of the view and everything about its targets. */
static int
check_discovery(const struct dnschecks_env *env, const struct discovery *d, const char *domain,
    json_t *findings)
{
	const struct dns_query *q = find(env, d->prefix, domain, DNS_T_SRV);
	char msg[MSG_MAX], fix[MSG_MAX], buf[MSG_MAX], st[200];
	size_t bad, usable = 0;
	const char *first_usable = NULL;

	switch (presence(q)) {
	case P_UNASKED:
		return 0;
	case P_UNKNOWN:
		return add_unanswered(findings, env, d->srv_check, q);
	case P_ABSENT:
		textf(msg, sizeof(msg), "no %s.%s SRV record on the %s resolver (%s): %s",
		    d->prefix, domain, env->view, status_text(q, st, sizeof(st)), d->missing_msg);
		textf(fix, sizeof(fix), "%s%s%s", d->missing_fix, domain, d->missing_fix_end);
		return add(findings, d->srv_check, SEV_FAIL, q->qname, env->view, msg, fix,
		    query_evidence(env, q));
	case P_PRESENT:
		break;
	}
	for (size_t i = 0; i < q->ans.nsrv; i++) {
		if (strcmp(q->ans.srv[i].target, ".") != 0) {
			usable++;
			if (first_usable == NULL)
				first_usable = q->ans.srv[i].target;
		}
	}
	records_text(q, buf, sizeof(buf));
	if (usable == 0) {
		textf(msg, sizeof(msg), "%s.%s says the service is decidedly not available (target "
		    "'.'): %s", d->prefix, domain, d->missing_msg);
		textf(fix, sizeof(fix), "%s%s%s", d->missing_fix, domain, d->missing_fix_end);
		if (add(findings, d->srv_check, SEV_FAIL, q->qname, env->view, msg, fix,
		    query_evidence(env, q)) < 0)
			return -1;
	} else {
		textf(msg, sizeof(msg), "%zu record%s in client order: %s", q->ans.nsrv,
		    q->ans.nsrv == 1 ? "" : "s", buf);
		if (add(findings, d->srv_check, SEV_OK, q->qname, env->view, msg, NULL,
		    query_evidence(env, q)) < 0)
			return -1;
	}

	bad = 0;
	for (size_t i = 0; i < q->ans.nsrv; i++) {
		const struct srv_rr *rr = &q->ans.srv[i];

		if (rr->port == EXPECTED_PORT || strcmp(rr->target, ".") == 0)
			continue;
		bad++;
		textf(msg, sizeof(msg), "the record for %s uses port %u; clients expect %d",
		    rr->target, rr->port, EXPECTED_PORT);
		textf(fix, sizeof(fix), "publish the record with port %d (the %s listen there)",
		    EXPECTED_PORT, d->who);
		if (add(findings, d->port_check, SEV_WARN, q->qname, env->view, msg, fix,
		    query_evidence(env, q)) < 0)
			return -1;
	}
	if (bad == 0 && usable > 0 && add(findings, d->port_check, SEV_OK, q->qname, env->view,
	    "every record uses port 8443", NULL, NULL) < 0)
		return -1;

	bad = 0;
	for (size_t i = 0; i < q->ans.nsrv; i++) {
		const struct srv_rr *rr = &q->ans.srv[i];
		const struct dns_query *a = find(env, NULL, rr->target, DNS_T_A);
		enum severity sev;
		const char *why = target_problem(d, rr->target, a, &sev, buf, sizeof(buf));

		if (why == NULL)
			continue;
		bad++;
		textf(fix, sizeof(fix), "point %s at the fully qualified host name of each of the "
		    "%s, a name with its own A record", q->qname, d->who);
		if (add(findings, d->target_check, sev, q->qname, env->view, why, fix,
		    query_evidence(env, q)) < 0)
			return -1;
	}
	if (bad == 0 && add(findings, d->target_check, SEV_OK, q->qname, env->view,
	    "every target is a fully qualified host name", NULL, NULL) < 0)
		return -1;

	for (size_t i = 0; i < q->ans.nsrv; i++) {
		const char *t = q->ans.srv[i].target;
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			seen |= strcmp(q->ans.srv[j].target, t) == 0;
		if (!seen && dnschecks_target_resolvable(t) && check_resolve(env, d, t, findings) < 0)
			return -1;
	}

	if (usable == 1) {
		textf(msg, sizeof(msg), "%s has a single target (%s): no failover when it is down",
		    d->prefix, first_usable);
		textf(fix, sizeof(fix), "publish one record per node (%s), with priorities for "
		    "the order clients should try", d->who);
		return add(findings, "SRV-REDUNDANCY", SEV_WARN, q->qname, env->view, msg, fix,
		    query_evidence(env, q));
	}
	if (usable > 1) {
		textf(msg, sizeof(msg), "%zu targets", usable);
		return add(findings, "SRV-REDUNDANCY", SEV_OK, q->qname, env->view, msg, NULL, NULL);
	}
	return 0;
}

/* UDS-LEAK and CUP-LEAK: an internal record that the outside can see. */
static int
check_leak(const struct dnschecks_env *env, const char *check, const char *prefix,
    enum severity sev, const char *why, const char *domain, json_t *findings)
{
	const struct dns_query *q = find(env, prefix, domain, DNS_T_SRV);
	char msg[MSG_MAX], fix[MSG_MAX], buf[MSG_MAX], st[200];

	switch (presence(q)) {
	case P_UNASKED:
		return 0;
	case P_UNKNOWN:
		return add_unanswered(findings, env, check, q);
	case P_ABSENT:
		textf(msg, sizeof(msg), "%s is not visible outside (%s)", q->qname,
		    status_text(q, st, sizeof(st)));
		return add(findings, check, SEV_OK, q->qname, env->view, msg, NULL,
		    query_evidence(env, q));
	case P_PRESENT:
		break;
	}
	records_text(q, buf, sizeof(buf));
	textf(msg, sizeof(msg), "internal discovery record answers on the external resolver "
	    "(%s): %s", buf, why);
	textf(fix, sizeof(fix), "remove %s from the public zone; keep it only in the internal "
	    "view of a split DNS", q->qname);
	return add(findings, check, sev, q->qname, env->view, msg, fix, query_evidence(env, q));
}

/* CUPLOGIN-LEGACY: the IM and Presence-era record, inside. */
static int
check_cuplogin(const struct dnschecks_env *env, const char *domain, json_t *findings)
{
	const struct dns_query *q = find(env, CUP_PREFIX, domain, DNS_T_SRV);
	enum presence uds = presence(find(env, UDS_PREFIX, domain, DNS_T_SRV));
	char msg[MSG_MAX], buf[MSG_MAX], st[200];

	switch (presence(q)) {
	case P_UNASKED:
		return 0;
	case P_UNKNOWN:
		return add_unanswered(findings, env, "CUPLOGIN-LEGACY", q);
	case P_ABSENT:
		textf(msg, sizeof(msg), "no legacy %s record (%s)", q->qname,
		    status_text(q, st, sizeof(st)));
		return add(findings, "CUPLOGIN-LEGACY", SEV_OK, q->qname, env->view, msg, NULL,
		    query_evidence(env, q));
	case P_PRESENT:
		break;
	}
	records_text(q, buf, sizeof(buf));
	if (uds == P_PRESENT) {
		textf(msg, sizeof(msg), "legacy _cuplogin record present (%s); _cisco-uds takes "
		    "precedence, so clients ignore it", buf);
		return add(findings, "CUPLOGIN-LEGACY", SEV_INFO, q->qname, env->view, msg,
		    "remove the _cuplogin record when IM and Presence is decommissioned",
		    query_evidence(env, q));
	}
	textf(msg, sizeof(msg), "only the legacy _cuplogin record answers (%s): clients sign in "
	    "against IM and Presence, and the Webex App does not use it", buf);
	return add(findings, "CUPLOGIN-LEGACY", SEV_WARN, q->qname, env->view, msg,
	    "publish _cisco-uds._tcp for the domain pointing at Unified CM, then retire _cuplogin",
	    query_evidence(env, q));
}

/* EDGE-INSIDE: _collab-edge answering inside while _cisco-uds does not. */
static int
check_edge_inside(const struct dnschecks_env *env, const char *domain, json_t *findings)
{
	const struct dns_query *edge = find(env, EDGE_PREFIX, domain, DNS_T_SRV);
	const struct dns_query *uds = find(env, UDS_PREFIX, domain, DNS_T_SRV);
	char msg[MSG_MAX], buf[MSG_MAX];

	switch (presence(edge)) {
	case P_UNASKED:
		return 0;
	case P_UNKNOWN:
		return add_unanswered(findings, env, "EDGE-INSIDE", edge);
	case P_ABSENT:
		return add(findings, "EDGE-INSIDE", SEV_OK, edge->qname, env->view,
		    "_collab-edge is not visible inside", NULL, query_evidence(env, edge));
	case P_PRESENT:
		break;
	}
	records_text(edge, buf, sizeof(buf));
	if (presence(uds) == P_PRESENT) {
		textf(msg, sizeof(msg), "_collab-edge also answers inside (%s); _cisco-uds answers "
		    "too and takes precedence", buf);
		return add(findings, "EDGE-INSIDE", SEV_OK, edge->qname, env->view, msg, NULL,
		    query_evidence(env, edge));
	}
	if (presence(uds) == P_UNKNOWN)
		return 0;	/* UDS-SRV already says the resolver did not answer */
	textf(msg, sizeof(msg), "_collab-edge answers inside (%s) but _cisco-uds does not: "
	    "clients inside will sign in through Expressway (MRA hairpin)", buf);
	return add(findings, "EDGE-INSIDE", SEV_WARN, edge->qname, env->view, msg,
	    "publish _cisco-uds._tcp in the internal zone, or remove _collab-edge from it",
	    query_evidence(env, edge));
}

/* XMPP-FED: where federation points today. */
static int
check_xmpp(const struct dnschecks_env *env, const char *domain, json_t *findings)
{
	const struct dns_query *q = find(env, XMPP_PREFIX, domain, DNS_T_SRV);
	char msg[MSG_MAX], buf[MSG_MAX], st[200];

	switch (presence(q)) {
	case P_UNASKED:
		return 0;
	case P_UNKNOWN:
		return add_unanswered(findings, env, "XMPP-FED", q);
	case P_ABSENT:
		textf(msg, sizeof(msg), "no %s record (%s): XMPP federation is not published "
		    "for %s", q->qname, status_text(q, st, sizeof(st)), domain);
		return add(findings, "XMPP-FED", SEV_INFO, q->qname, env->view, msg, NULL,
		    query_evidence(env, q));
	case P_PRESENT:
		break;
	}
	records_text(q, buf, sizeof(buf));
	textf(msg, sizeof(msg), "XMPP federation points at %s", buf);
	return add(findings, "XMPP-FED", SEV_INFO, q->qname, env->view, msg,
	    "when federation moves to Webex, point _xmpp-server._tcp at the Webex messaging "
	    "service instead of IM and Presence or Expressway", query_evidence(env, q));
}

/* RECORD-NAME: records published under names the clients never ask. */
static int
check_names(const struct dnschecks_env *env, const char *domain, json_t *findings)
{
	char msg[MSG_MAX], fix[MSG_MAX], buf[MSG_MAX];
	int found = 0, asked = 0;
	const struct dns_query *lost = NULL;

	for (size_t i = 0; i < NMISSPELLINGS; i++) {
		const struct misspelling *m = &misspellings[i];
		const struct dns_query *q = find(env, m->wrong, domain, DNS_T_SRV);
		enum presence right = presence(find(env, m->right, domain, DNS_T_SRV));
		enum severity sev;

		switch (presence(q)) {
		case P_UNASKED:
			continue;
		case P_UNKNOWN:
			if (lost == NULL)
				lost = q;
			continue;
		case P_ABSENT:
			asked++;
			continue;
		case P_PRESENT:
			break;
		}
		asked++;
		found++;
		records_text(q, buf, sizeof(buf));
		/* the right name missing too means the record was meant and is lost */
		sev = right == P_PRESENT ? SEV_WARN : SEV_FAIL;
		textf(msg, sizeof(msg), "record under the misspelt name %s (%s); clients only "
		    "ask %s.%s%s", q->qname, buf, m->right, domain,
		    right == P_PRESENT ? ", which exists too" : ", which is missing");
		textf(fix, sizeof(fix), "publish the record as %s.%s and delete %s",
		    m->right, domain, q->qname);
		if (add(findings, "RECORD-NAME", sev, q->qname, env->view, msg, fix,
		    query_evidence(env, q)) < 0)
			return -1;
	}
	if (found > 0)
		return 0;
	if (lost != NULL)
		return add_unanswered(findings, env, "RECORD-NAME", lost);
	if (asked == 0)
		return 0;
	textf(msg, sizeof(msg), "no discovery record under a misspelt name (%d names asked)", asked);
	return add(findings, "RECORD-NAME", SEV_OK, domain, env->view, msg, NULL, NULL);
}

int
dnschecks_domain(const struct dnschecks_env *env, const char *domain, json_t *findings)
{
	if (strcmp(env->view, "external") == 0) {
		if (check_discovery(env, &edge_rules, domain, findings) < 0 ||
		    check_leak(env, "UDS-LEAK", UDS_PREFIX, SEV_FAIL, "clients outside will not "
		    "start Mobile and Remote Access through Expressway-E", domain, findings) < 0 ||
		    check_leak(env, "CUP-LEAK", CUP_PREFIX, SEV_WARN, "clients outside may take "
		    "themselves for inside and try IM and Presence directly", domain, findings) < 0 ||
		    check_xmpp(env, domain, findings) < 0)
			return -1;
	} else {
		if (check_discovery(env, &uds_rules, domain, findings) < 0 ||
		    check_cuplogin(env, domain, findings) < 0 ||
		    check_edge_inside(env, domain, findings) < 0)
			return -1;
	}
	return check_names(env, domain, findings);
}

int
dnschecks_xmpp_domains(const struct dnschecks_env *env, const char *const *domains, size_t n,
    json_t *findings)
{
	char msg[MSG_MAX];
	json_t *ev, *list;
	size_t count = 0, off;
	const char *first = NULL;

	if ((list = json_array()) == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (presence(find(env, XMPP_PREFIX, domains[i], DNS_T_SRV)) == P_PRESENT) {
			if (first == NULL)
				first = domains[i];
			count++;
			json_array_append_new(list, json_string(domains[i]));
		}
	}
	if (count < 2) {
		json_decref(list);
		return 0;
	}
	ev = json_pack("{s:s,s:o}", "resolver", env->resolver, "domains", list);
	if (ev == NULL)
		return -1;
	textf(msg, sizeof(msg), "%zu domains publish _xmpp-server._tcp (", count);
	off = strlen(msg);
	for (size_t i = 0, k = 0; i < n && off < sizeof(msg); i++) {
		if (presence(find(env, XMPP_PREFIX, domains[i], DNS_T_SRV)) != P_PRESENT)
			continue;
		off += (size_t)snprintf(msg + off, sizeof(msg) - off, "%s%s", k++ ? ", " : "",
		    domains[i]);
	}
	if (off < sizeof(msg))
		snprintf(msg + off, sizeof(msg) - off, "); Webex federates XMPP for one domain per "
		    "organisation");
	return add(findings, "XMPP-FED", SEV_WARN, first, env->view, msg,
	    "choose the one domain to federate through Webex and plan the others", ev);
}

/* "host:port" for subjects. */
static void
host_port(char *buf, size_t len, const char *host, unsigned port)
{
	textf(buf, len, "%s:%u", host, port);
}

static json_t *
tls_evidence(const struct tlsprobe_result *r)
{
	json_t *e = json_object(), *names;
	int rc = 0;

	if (e == NULL)
		return NULL;
	rc |= json_set_str(e, "address", r->address);
	if (!r->handshake_ok) {
		rc |= json_set_str(e, "error", r->error);
		if (rc != 0) {
			json_decref(e);
			return NULL;
		}
		return e;
	}
	rc |= json_set_str(e, "protocol", r->protocol);
	rc |= json_set_str(e, "sha256_fingerprint", r->fingerprint);
	rc |= json_set_str(e, "subject", r->subject);
	rc |= json_set_str(e, "issuer", r->issuer);
	rc |= json_set_str(e, "not_before", r->not_before);
	rc |= json_set_str(e, "not_after", r->not_after);
	rc |= json_object_set_new(e, "dns_names", names = json_array());
	for (size_t i = 0; names != NULL && i < r->ndns_names; i++)
		rc |= json_array_append_new(names, json_string(r->dns_names[i]));
	if (r->has_eku) {
		json_t *eku = json_array();

		if (eku != NULL && r->eku_server)
			json_array_append_new(eku, json_string("serverAuth"));
		if (eku != NULL && r->eku_client)
			json_array_append_new(eku, json_string("clientAuth"));
		rc |= json_object_set_new(e, "eku", eku);
	}
	rc |= json_set_str(e, "key_type", r->key_type);
	rc |= json_object_set_new(e, "key_bits", json_integer(r->key_bits));
	rc |= json_set_str(e, "verify_error", r->verify_error);
	if (rc != 0) {
		json_decref(e);
		return NULL;
	}
	return e;
}

/* Whole days between now and t, either way, counting only complete days. */
static long
days_between(time_t t, time_t now)
{
	double d = difftime(t, now) / 86400.0;

	return (long)(d < 0 ? -d : d);
}

int
dnschecks_tls(const struct tlsprobe_result *r, const char *host, unsigned port,
    const char *view, enum dnschecks_role role, time_t now, long warn_days, json_t *findings)
{
	const char *who = role == DNSCHECK_EDGE ? "Expressway-E" : "Unified CM (Tomcat)";
	char subject[DNS_NAME_TEXT_MAX + 16], msg[MSG_MAX], fix[MSG_MAX];
	long days;

	host_port(subject, sizeof(subject), host, port);
	if (!r->handshake_ok) {
		textf(msg, sizeof(msg), "no TLS handshake with %s at %s: %s", subject,
		    r->address, r->error);
		return add(findings, "TLS-CHAIN", SEV_ERROR, subject, view, msg,
		    "make sure the server is up and reachable from here on that port, then run again",
		    tls_evidence(r));
	}

	if (r->chain_ok) {
		textf(msg, sizeof(msg), "the chain verifies (issuer %s)", r->issuer);
		if (add(findings, "TLS-CHAIN", SEV_OK, subject, view, msg, NULL, tls_evidence(r)) < 0)
			return -1;
	} else {
		textf(msg, sizeof(msg), "the certificate chain does not verify: %s; %s",
		    r->verify_error, role == DNSCHECK_UCM ? "the Webex App drops a Unified CM "
		    "whose certificate it does not trust, without asking the user" :
		    "clients outside refuse Expressway-E or prompt the user");
		textf(fix, sizeof(fix), "install on %s a certificate issued by a CA the clients "
		    "trust, with the intermediate certificates in the served chain", who);
		if (add(findings, "TLS-CHAIN", SEV_FAIL, subject, view, msg, fix, tls_evidence(r)) < 0)
			return -1;
	}

	if (r->name_ok) {
		textf(msg, sizeof(msg), "the certificate matches %s", host);
		if (add(findings, "TLS-NAME", SEV_OK, subject, view, msg, NULL, NULL) < 0)
			return -1;
	} else {
		textf(msg, sizeof(msg), "the certificate does not match %s (subject %s)", host,
		    r->subject);
		textf(fix, sizeof(fix), "reissue the %s certificate with %s in its subject "
		    "alternative names", who, host);
		if (add(findings, "TLS-NAME", SEV_FAIL, subject, view, msg, fix, tls_evidence(r)) < 0)
			return -1;
	}

	days = days_between(r->not_after_t, now);
	textf(fix, sizeof(fix), "renew the %s certificate before %s", who, r->not_after);
	if (difftime(r->not_before_t, now) > 0) {
		textf(msg, sizeof(msg), "the certificate is not valid before %s", r->not_before);
		if (add(findings, "TLS-EXPIRY", SEV_FAIL, subject, view, msg,
		    "check the clock of the server that issued it, or wait until it is valid",
		    tls_evidence(r)) < 0)
			return -1;
	} else if (difftime(r->not_after_t, now) <= 0) {
		textf(msg, sizeof(msg), "the certificate expired on %s (%ld days ago)",
		    r->not_after, days);
		if (add(findings, "TLS-EXPIRY", SEV_FAIL, subject, view, msg, fix, tls_evidence(r)) < 0)
			return -1;
	} else {
		textf(msg, sizeof(msg), "the certificate expires on %s, in %ld days", r->not_after, days);
		if (add(findings, "TLS-EXPIRY", days < warn_days ? SEV_WARN : SEV_OK, subject, view,
		    msg, days < warn_days ? fix : NULL, days < warn_days ? tls_evidence(r) : NULL) < 0)
			return -1;
	}

	if (!r->has_eku) {
		if (add(findings, "TLS-EKU", SEV_OK, subject, view,
		    "no extended key usage: the certificate may be used for any purpose", NULL, NULL) < 0)
			return -1;
	} else if (!r->eku_server || (role == DNSCHECK_EDGE && !r->eku_client)) {
		textf(msg, sizeof(msg), "the extended key usage lacks %s%s%s",
		    r->eku_server ? "" : "serverAuth",
		    !r->eku_server && role == DNSCHECK_EDGE && !r->eku_client ? " and " : "",
		    role == DNSCHECK_EDGE && !r->eku_client ? "clientAuth (Expressway needs both)" : "");
		textf(fix, sizeof(fix), "reissue the %s certificate with %s", who,
		    role == DNSCHECK_EDGE ? "both Web Server Authentication (serverAuth) and "
		    "Web Client Authentication (clientAuth)" : "Web Server Authentication (serverAuth)");
		if (add(findings, "TLS-EKU", SEV_FAIL, subject, view, msg, fix, tls_evidence(r)) < 0)
			return -1;
	} else {
		textf(msg, sizeof(msg), "the extended key usage has serverAuth%s",
		    r->eku_client ? " and clientAuth" : "");
		if (add(findings, "TLS-EKU", SEV_OK, subject, view, msg, NULL, NULL) < 0)
			return -1;
	}

	{
		int ec = strcmp(r->key_type, "EC") == 0;
		int weak = ec ? r->key_bits < 256 : (strcmp(r->key_type, "RSA") == 0 ||
		    strcmp(r->key_type, "DSA") == 0) && r->key_bits < 2048;

		textf(msg, sizeof(msg), "%s key of %d bits%s", r->key_type, r->key_bits,
		    weak ? ec ? ", under 256" : ", under 2048" : "");
		textf(fix, sizeof(fix), "reissue the %s certificate with an RSA key of 2048 bits "
		    "or more", who);
		return add(findings, "TLS-KEYSIZE", weak ? SEV_FAIL : SEV_OK, subject, view, msg,
		    weak ? fix : NULL, weak ? tls_evidence(r) : NULL);
	}
}

static json_t *
uds_evidence(const struct dnschecks_uds_lookup *l)
{
	json_t *e = json_pack("{s:s}", "url", l->url);

	if (e == NULL)
		return NULL;
	if (l->done) {
		json_object_set_new(e, "http_status", json_integer(l->status));
		json_object_set_new(e, "found", json_boolean(l->found));
		json_set_str(e, "home_cluster", l->home);
	}
	json_set_str(e, "error", l->error);
	return e;
}

int
dnschecks_uds(const char *target, unsigned port, const char *view, const char *user,
    const struct dnschecks_uds_lookup *by_name, const struct dnschecks_uds_lookup *by_email,
    json_t *findings)
{
	char subject[DNS_NAME_TEXT_MAX + 16], msg[MSG_MAX], fix[MSG_MAX];
	const struct dnschecks_uds_lookup *hit = NULL;
	int answered = 0;
	json_t *ev;

	host_port(subject, sizeof(subject), target, port);
	ev = json_pack("{s:s,s:o,s:o}", "user", user, "username", uds_evidence(by_name),
	    "email", uds_evidence(by_email));
	if (ev == NULL)
		return -1;
	for (int k = 0; k < 2; k++) {
		const struct dnschecks_uds_lookup *l = k == 0 ? by_name : by_email;

		if (l->done && l->error == NULL && l->status == 200)
			answered++;
		if (hit == NULL && l->done && l->found)
			hit = l;
	}
	if (hit != NULL) {
		textf(msg, sizeof(msg), "%s finds %s by %s; home cluster %s", subject, user,
		    hit == by_name ? "username" : "email", hit->home != NULL ? hit->home : "(not named)");
		return add(findings, "UDS-HOMECLUSTER", SEV_OK, subject, view, msg, NULL, ev);
	}
	if (answered == 0) {
		textf(msg, sizeof(msg), "home cluster lookup on %s got no usable answer: %s",
		    subject, by_name->error != NULL ? by_name->error : by_email->error != NULL ?
		    by_email->error : "unexpected HTTP status");
		return add(findings, "UDS-HOMECLUSTER", SEV_ERROR, subject, view, msg,
		    "make sure UDS (Cisco Tomcat) answers on the node and its certificate is trusted "
		    "(see TLS-CHAIN), then run again", ev);
	}
	textf(msg, sizeof(msg), "%s does not find %s by username or by email: home cluster "
	    "discovery fails for this user", subject, user);
	textf(fix, sizeof(fix), "in Unified CM, set Home Cluster for the user on exactly one "
	    "cluster, make their Mail ID the address they sign in with, and check that ILS "
	    "joins the clusters");
	return add(findings, "UDS-HOMECLUSTER", SEV_FAIL, subject, view, msg, fix, ev);
}
