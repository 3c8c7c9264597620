/* A spaces run on the Webex client: what an answer means for the run, waited-for requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "spaces/spacerun_int.h"

/* url with &key=value (escaped) appended; a new string or NULL. */
char *
spaceclient_url_add(char *url, const char *key, const char *value)
{
	char *esc, *out;
	size_t n;

	if (url == NULL || value == NULL)
		return url;
	if ((esc = curl_easy_escape(NULL, value, 0)) == NULL) {
		free(url);
		return NULL;
	}
	n = strlen(url) + strlen(key) + strlen(esc) + 3;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s%c%s=%s", url, strchr(url, '?') ? '&' : '?', key, esc);
	curl_free(esc);
	free(url);
	return out;
}

/*
 * What a failed answer means for the run: a refused token, a 403 about the
 * token's scopes, an API that stopped answering (the client retried already)
 * stop it; other answers fail only their item (returns 0 then).
 */
int
spaceclient_stops(struct spaces_run *run, const struct webex_req *req, const char *what,
    int forbid_now)
{
	enum webex_stop why = webex_stop_reason(run->client);

	if (req->status == 401 || (req->status == 0 && why == WEBEX_STOP_TOKEN)) {
		run->unauthorized = 1;
		snprintf(run->stop_reason, sizeof(run->stop_reason), "the Webex API refused the token "
		    "(HTTP 401): it is wrong or has expired; get a new one (WEBEX_TOKEN or --token-file)");
		return 1;
	}
	if (req->status == 403) {
		if (forbid_now || ++run->consecutive_403 >= 3) {
			run->forbidden = 1;
			snprintf(run->stop_reason, sizeof(run->stop_reason), "%s was refused (%s): the "
			    "token needs the scopes " SPACES_SCOPES ", and its user the right to create "
			    "spaces and add people", what, req->error);
			return 1;
		}
		return 0;
	}
	if (req->status == 0 && why == WEBEX_STOP_OUTAGE) {
		/* the engine saw nothing answer for its outage time: the run stops, resumable */
		run->outage = 1;
		snprintf(run->stop_reason, sizeof(run->stop_reason), "%s", webex_stop_why(run->client));
		return 1;
	}
	if (req->status == 0 || req->status >= 500) {
		run->outage = 1;
		snprintf(run->stop_reason, sizeof(run->stop_reason), "%s failed after %d tries (%s): "
		    "the Webex API is not answering", what, req->attempts, req->error);
		return 1;
	}
	return 0;
}

int
spaceclient_stopping(const struct spaces_run *run)
{
	return run->unauthorized || run->forbidden || run->outage || run->fatal ||
	    (run->stop != NULL && *run->stop);
}

static void
sync_done(struct webex_req *req, void *ctx)
{
	struct spaceclient_sync *sc = ctx;

	sc->done = 1;
	sc->status = req->status;
	sc->attempts = req->attempts;
	sc->json = json_incref(req->json);
	snprintf(sc->error, sizeof(sc->error), "%s", req->error);
	snprintf(sc->tracking_id, sizeof(sc->tracking_id), "%s", req->tracking_id);
}

/* Submits one request and runs the client until it is answered. */
int
spaceclient_sync(struct spaces_run *run, const char *method, char *url, const char *body,
    struct spaceclient_sync *sc, struct j2w_err *err)
{
	struct webex_req *req;

	memset(sc, 0, sizeof(*sc));
	if (url == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	req = webex_req_new(method, url, body, sync_done, sc);
	free(url);
	if (req == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	webex_submit(run->client, req);
	while (!sc->done)
		if (webex_step(run->client, 200, err) < 0)
			return -1;
	return 0;
}

/* GETs a list with every page (webex_get_all) and tells the run what a failure means. */
int
spaceclient_get_list(struct spaces_run *run, char *url, const char *what, json_t *items,
    struct j2w_err *err)
{
	long status = 0;
	int rc;

	if (url == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = webex_get_all(run->client, url, "items", items, &status, err);
	free(url);
	if (rc == 0)
		return 0;
	if (status == 401 || status == 403 || status == 0 || status >= 500) {
		struct webex_req fake = { 0 };

		fake.status = status;
		snprintf(fake.error, sizeof(fake.error), "%.500s", err->msg);
		spaceclient_stops(run, &fake, what, 1);
		if (run->stop_reason[0])
			err_set(err, J2W_ESYS, "%s", run->stop_reason);
	}
	return -1;
}
