/* TLS-* and UDS-HOMECLUSTER findings: the probes of a run turned into the checks' input. */
#include "dns/dnschecks.h"
#include "dns/probecheck.h"
#include "dns/probepool.h"

/* Hands one probe's findings to the sink and empties the array. */
static int
emit(const struct dnsrun_sink *sink, json_t *findings, struct j2w_err *err)
{
	int rc = sink->emit(sink->arg, findings, err);

	json_array_clear(findings);
	return rc;
}

int
probecheck_tls(struct dnsrun *run, const char *cacert, long timeout_ms, time_t now,
    long warn_days, const struct dnsrun_sink *sink, struct j2w_err *err)
{
	struct probepool p;
	json_t *findings = json_array();
	int rc;

	if (findings == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	probepool_init(&p);
	p.cacert = cacert;
	p.timeout_ms = timeout_ms;
	rc = probepool_collect(&p, run, NULL, err);
	if (rc == 0)
		rc = probepool_run(&p, err);
	for (size_t i = 0; i < p.n && rc == 0; i++) {
		struct probepool_probe *pr = &p.v[i];

		if (dnschecks_tls(&pr->r, pr->host, pr->port, pr->view, pr->role, now, warn_days,
		    findings) < 0)
			rc = err_set(err, J2W_ESYS, "out of memory");
		else
			rc = emit(sink, findings, err);
	}
	probepool_release(&p);
	json_decref(findings);
	return rc;
}

/* The rules' view of one lookup (pointers into u). */
static void
uds_view(const struct uds_lookup *u, struct dnschecks_uds_lookup *l)
{
	l->url = u->url != NULL ? u->url : "";
	l->done = u->done;
	l->status = u->status;
	l->found = u->found;
	l->home = u->home;
	l->error = u->error;
}

int
probecheck_uds(struct dnsrun *run, const char *user, const struct http_opts *hopts,
    const struct dnsrun_sink *sink, struct j2w_err *err)
{
	struct probepool p;
	json_t *findings = json_array();
	int rc;

	if (findings == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	probepool_init(&p);
	p.hopts = hopts;
	p.uds_user = user;
	rc = probepool_collect(&p, run, user, err);
	if (rc == 0)
		rc = probepool_run(&p, err);
	for (size_t i = 0; i < p.n && rc == 0; i++) {
		struct probepool_probe *pr = &p.v[i];
		struct dnschecks_uds_lookup by_name, by_email;

		uds_view(&pr->by_name, &by_name);
		uds_view(&pr->by_email, &by_email);
		if (dnschecks_uds(pr->host, pr->port, pr->view, pr->email, &by_name, &by_email,
		    findings) < 0)
			rc = err_set(err, J2W_ESYS, "out of memory");
		else
			rc = emit(sink, findings, err);
	}
	probepool_release(&p);
	json_decref(findings);
	return rc;
}
