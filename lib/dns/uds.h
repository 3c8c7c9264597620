/* Unified CM User Data Services: the home-cluster lookup (GET /cucm-uds/clusterUser) clients make. */
#ifndef J2W_UDS_H
#define J2W_UDS_H

#include <stddef.h>

#include "util/http.h"
#include "util/j2w_err.h"

struct uds_lookup {
	char *url;
	int done;		/* an HTTP answer came */
	long status;
	int found;		/* <result found="true"/> */
	char *home;		/* <homeCluster> text, or NULL */
	char *error;		/* what went wrong (transport, status, body), or NULL */
};

void uds_lookup_init(struct uds_lookup *l);
void uds_lookup_release(struct uds_lookup *l);

/*
 * Reads a clusterUser answer body[0..len) (no DTD, no entities): *found from
 * result/@found, *home a new string with the homeCluster text or NULL.
 * Returns 0, or -1 with err (J2W_EDATA) for a body that is not a clusterUser.
 */
int uds_cluster_user_parse(const char *body, size_t len, int *found, char **home,
    struct j2w_err *err);

/*
 * GET https://HOST:PORT/cucm-uds/clusterUser?PARAM=VALUE (value escaped) with
 * HOST pinned to address (the view's answer), TLS as opts says, and fills l.
 * A failed transfer or a bad answer is recorded in l, not returned. Returns 0,
 * or -1 with err when no handle could be made at all.
 */
int uds_cluster_user(const struct http_opts *opts, const char *host, unsigned port,
    const char *address, const char *param, const char *value, struct uds_lookup *l,
    struct j2w_err *err);

#endif
