/* The DNS, SRV and TLS readiness rules of j2w-dns-check (j2w-dns-check(1)) over collected answers. */
#ifndef J2W_DNSCHECKS_H
#define J2W_DNSCHECKS_H

#include <stddef.h>
#include <time.h>
#include <jansson.h>

#include "dns/dns.h"
#include "dns/tlsprobe.h"

#define DNSCHECK_TOOL "j2w-dns-check"

/* The SRV owner prefixes asked for every domain on every resolver, NULL-terminated. */
extern const char *const dnschecks_srv_prefixes[];

/* One resolver as the rules see it, and how to find the answers it gave. */
struct dnschecks_env {
	const char *view;	/* "internal" or "external" */
	const char *resolver;	/* ADDR:PORT, for the evidence */
	size_t index;		/* the resolver's index in the queries */
	/* the answer to (resolver, qname, qtype), or NULL when it was never asked */
	const struct dns_query *(*find)(void *arg, size_t resolver, const char *qname, int qtype);
	void *arg;
};

/* "_cisco-uds._tcp" inside, "_collab-edge._tls" outside: the record whose targets matter. */
const char *dnschecks_discovery_prefix(const char *view);

/*
 * Whether an SRV target is a name worth asking A/AAAA for: not ".", not an IP
 * literal. Targets that fail this are reported by the TARGET checks instead.
 */
int dnschecks_target_resolvable(const char *target);

/*
 * Applies every DNS rule for domain on the resolver env describes (UDS-*,
 * EDGE-*, UDS-LEAK, CUP-LEAK, CUPLOGIN-LEGACY, EDGE-INSIDE, SRV-REDUNDANCY,
 * XMPP-FED, RECORD-NAME, as the view calls for) and appends one finding per
 * result to the JSON array findings. Returns 0, or -1 when out of memory.
 */
int dnschecks_domain(const struct dnschecks_env *env, const char *domain, json_t *findings);

/*
 * XMPP federation can be enabled for one domain per Webex organisation: with
 * more than one of domains[0..n) publishing _xmpp-server._tcp on the resolver,
 * appends an XMPP-FED WARN naming them all. Returns 0, or -1 (ENOMEM).
 */
int dnschecks_xmpp_domains(const struct dnschecks_env *env, const char *const *domains, size_t n,
    json_t *findings);

/* Whose certificate a TLS probe looked at: rules differ a little. */
enum dnschecks_role {
	DNSCHECK_UCM,		/* a _cisco-uds target: Unified CM Tomcat */
	DNSCHECK_EDGE		/* a _collab-edge target: Expressway-E */
};

/*
 * Applies TLS-CHAIN, TLS-NAME, TLS-EXPIRY (WARN under warn_days, FAIL when
 * past or not yet valid at now), TLS-EKU and TLS-KEYSIZE to one probe of
 * host:port and appends the findings. A probe that never completed its
 * handshake gives one TLS-CHAIN ERROR. Returns 0, or -1 (ENOMEM).
 */
int dnschecks_tls(const struct tlsprobe_result *r, const char *host, unsigned port,
    const char *view, enum dnschecks_role role, time_t now, long warn_days, json_t *findings);

/* What one home-cluster lookup (GET /cucm-uds/clusterUser) came back with. */
struct dnschecks_uds_lookup {
	const char *url;
	int done;		/* an HTTP answer came; else error says why */
	long status;		/* HTTP status */
	int found;		/* result found="true" */
	const char *home;	/* homeCluster text, or NULL */
	const char *error;	/* transport or parse failure, or NULL */
};

/*
 * UDS-HOMECLUSTER for user on one _cisco-uds target: OK when either lookup
 * (by username or by email) found the user, FAIL when both answered without
 * finding, ERROR when neither answered. Appends one finding. Returns 0 or -1.
 */
int dnschecks_uds(const char *target, unsigned port, const char *view, const char *user,
    const struct dnschecks_uds_lookup *by_name, const struct dnschecks_uds_lookup *by_email,
    json_t *findings);

#endif
