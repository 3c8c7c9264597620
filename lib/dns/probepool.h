/*
 * The servers a run's answers lead to, probed a few at a time: a TLS handshake
 * or two UDS home-cluster lookups each, so that one unreachable node does not
 * hold up the rest.
 */
#ifndef J2W_PROBEPOOL_H
#define J2W_PROBEPOOL_H

#include <pthread.h>
#include <stddef.h>

#include "dns/dnschecks.h"
#include "dns/dnsrun.h"
#include "dns/tlsprobe.h"
#include "dns/uds.h"
#include "util/http.h"
#include "util/j2w_err.h"

/* The most probes running at once. */
#define PROBEPOOL_WORKERS 16

/* One (target, port, address, view[, email]) to probe, and what the probe found. */
struct probepool_probe {
	char *host;			/* the SRV target */
	unsigned port;
	char *address;			/* the first A (else AAAA) answer of the view's resolver */
	const char *view;		/* "internal" or "external" (static) */
	enum dnschecks_role role;
	char *email;			/* UDS: the address looked up, else NULL */
	struct tlsprobe_result r;	/* TLS */
	struct uds_lookup by_name, by_email;	/* UDS */
	int failed;			/* the probe could not be set up: err says why */
	struct j2w_err err;
};

struct probepool {
	struct probepool_probe *v;	/* sorted by host, port, address, view, email */
	size_t n, cap;
	/* TLS probes (uds_user NULL) */
	const char *cacert;		/* a PEM bundle trusted as well, or NULL */
	long timeout_ms;
	/* UDS probes */
	const struct http_opts *hopts;
	const char *uds_user;		/* a user name, or a whole address */
	/* the workers' shared cursor */
	size_t next;
	pthread_mutex_t lock;
};

/* Call before use and probepool_release after. */
void probepool_init(struct probepool *p);
void probepool_release(struct probepool *p);

/*
 * Adds one probe for every distinct (target, port, first address, view) that
 * each resolver's discovery SRV record leads to; a target without an address
 * or with port 0 is left out. With uds_user (not NULL): internal resolvers
 * only, and one probe per email domain, the email being uds_user when it holds
 * an '@', else uds_user@DOMAIN. run's index must be current. Returns 0, or -1
 * with err (J2W_ESYS) when out of memory.
 */
int probepool_collect(struct probepool *p, struct dnsrun *run, const char *uds_user,
    struct j2w_err *err);

/*
 * Runs every probe, up to PROBEPOOL_WORKERS at once (one after the other when
 * no thread can be started): a TLS handshake when p->uds_user is NULL, else the
 * home-cluster lookups by user name (the part before any '@') and by email.
 * A server that does not answer is a result, not an error. Returns 0, or -1
 * with err of the first probe (in order) that could not be set up.
 */
int probepool_run(struct probepool *p, struct j2w_err *err);

#endif
