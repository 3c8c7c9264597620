/* The TLS and UDS checks of a run: probe every server its answers lead to, then judge each probe. */
#ifndef J2W_PROBECHECK_H
#define J2W_PROBECHECK_H

#include <time.h>
#include <jansson.h>

#include "dns/dnsrun.h"
#include "util/http.h"
#include "util/j2w_err.h"

/*
 * Shakes hands with every discovery target of every resolver (probepool) and
 * hands the TLS-* findings of dnschecks_tls for each to sink, in probe order.
 * cacert (may be NULL) is trusted as well; timeout_ms bounds connect and
 * reads; expiry is judged at now with warn_days of warning. Returns 0, or -1
 * with err when a probe could not be set up, memory ran out or emit failed.
 */
int probecheck_tls(struct dnsrun *run, const char *cacert, long timeout_ms, time_t now,
    long warn_days, const struct dnsrun_sink *sink, struct j2w_err *err);

/*
 * Asks every _cisco-uds target of the internal resolvers for user's home
 * cluster, by user name and by email (probepool), and hands one
 * UDS-HOMECLUSTER finding per probe to sink. hopts says how to reach them (TLS,
 * timeouts); http_global_init must have run. Returns 0, or -1 with err.
 */
int probecheck_uds(struct dnsrun *run, const char *user, const struct http_opts *hopts,
    const struct dnsrun_sink *sink, struct j2w_err *err);

#endif
