/* The Webex REST client on curl multi: pacing, retries, outages, TrackingID, orgId, paging. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "webex/webex.h"
#include "webex/webexform.h"


struct webex_client {
	struct webex_opts o;
	CURLM *multi;
	CURLSH *share;			/* TLS sessions and DNS answers, for every handle */
	CURL **idle;			/* handles ready for reuse */
	size_t nidle;
	struct webex_req *head, *tail;	/* waiting to start */
	size_t queued;
	size_t inflight;
	struct webex_req **live;	/* in flight, one slot per request the window allows */
	struct pace pace;
	double pause_until;		/* 429s in a row asked everyone to wait */
	double progress_at;		/* the last answer that settled something */
	double longest_wait;		/* the longest Retry-After asked since then */
	enum webex_stop stop;
	char stop_why[512];
	char last_failure[256];		/* the last 5xx, 429 or broken connection */
	double max_window;
	struct webex_stats st;
	char origin[512];		/* scheme://host[:port] of the API base */
	char *org_esc;			/* orgId escaped for a query, or NULL */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "J2W_" and a random (version 4) UUID: Cisco support finds a request by it. */
static void
new_tracking_id(char *buf, size_t len)
{
	unsigned char r[16];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		for (size_t i = 0; i < sizeof(r); i++)
			r[i] = (unsigned char)random();
	}
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(buf, len, "J2W_%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7],
	    r[8], r[9], r[10], r[11], r[12], r[13], r[14], r[15]);
}

struct webex_client *
webex_client_new(const struct webex_opts *opts, struct j2w_err *err)
{
	struct webex_client *c = calloc(1, sizeof(*c));
	const char *p;
	size_t n;

	if (c == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		return NULL;
	}
	c->o = *opts;
	if (c->o.concurrency <= 0)
		c->o.concurrency = WEBEX_MAX_WINDOW;
	if (c->o.start_window <= 0)
		c->o.start_window = WEBEX_START_WINDOW;
	if (c->o.max_attempts <= 0)
		c->o.max_attempts = 6;
	if (c->o.outage_ms <= 0)
		c->o.outage_ms = WEBEX_OUTAGE_MS;
	if (c->o.backoff_base_ms <= 0)
		c->o.backoff_base_ms = 500;
	if (c->o.backoff_cap_ms <= 0)
		c->o.backoff_cap_ms = 30000;
	if (c->o.retry_after_cap_ms <= 0)
		c->o.retry_after_cap_ms = 120000;
	c->progress_at = now_s();
	pace_init(&c->pace, c->o.max_rate, c->o.start_window, c->o.concurrency, c->progress_at);
	p = strstr(c->o.api, "://");
	if (p == NULL || (strncasecmp(c->o.api, "https://", 8) != 0 &&
	    strncasecmp(c->o.api, "http://", 7) != 0)) {
		free(c);
		err_set(err, J2W_EUSAGE, "API base '%s' is not an http(s) URL", opts->api);
		return NULL;
	}
	n = strcspn(p + 3, "/?#") + (size_t)(p + 3 - c->o.api);
	if (n >= sizeof(c->origin)) {
		free(c);
		err_set(err, J2W_EUSAGE, "API base URL is too long");
		return NULL;
	}
	memcpy(c->origin, c->o.api, n);
	c->origin[n] = '\0';
	if (c->o.org_id != NULL && *c->o.org_id != '\0') {
		char *esc = curl_easy_escape(NULL, c->o.org_id, 0);

		c->org_esc = esc != NULL ? strdup(esc) : NULL;
		curl_free(esc);
		if (c->org_esc == NULL) {
			free(c);
			err_set(err, J2W_ESYS, "out of memory");
			return NULL;
		}
	}
	c->idle = calloc((size_t)c->o.concurrency, sizeof(*c->idle));
	c->live = calloc((size_t)c->o.concurrency, sizeof(*c->live));
	c->multi = curl_multi_init();
	c->share = curl_share_init();
	if (c->idle == NULL || c->live == NULL || c->multi == NULL || c->share == NULL) {
		webex_client_free(c);
		err_set(err, J2W_ESYS, "cannot start the HTTP client");
		return NULL;
	}
	/*
	 * One connection per request in flight, kept alive between requests. A
	 * connection opened later (the window grew, the server closed one)
	 * resumes a TLS session of the earlier ones instead of a full handshake.
	 */
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->o.concurrency);
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->o.concurrency);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	return c;
}

void
webex_req_free(struct webex_req *req)
{
	if (req == NULL)
		return;
	free(req->url);
	free(req->body);
	free(req->link_next);
	json_decref(req->json);
	curl_slist_free_all(req->headers);
	http_response_release(&req->resp);
	webexform_free(req->form);
	curl_mime_free(req->mime);
	free(req);
}

void
webex_client_free(struct webex_client *c)
{
	struct webex_req *r, *next;

	if (c == NULL)
		return;
	for (r = c->head; r != NULL; r = next) {
		next = r->next;
		webex_req_free(r);
	}
	for (int i = 0; c->live != NULL && i < c->o.concurrency; i++) {
		if (c->live[i] == NULL)
			continue;
		curl_multi_remove_handle(c->multi, c->live[i]->h);
		curl_easy_cleanup(c->live[i]->h);
		webex_req_free(c->live[i]);
	}
	if (c->multi != NULL)
		curl_multi_cleanup(c->multi);
	free(c->live);
	for (size_t i = 0; i < c->nidle; i++)
		curl_easy_cleanup(c->idle[i]);
	free(c->idle);
	/* after every handle that used it */
	if (c->share != NULL)
		curl_share_cleanup(c->share);
	free(c->org_esc);
	free(c);
}

struct webex_req *
webex_req_new(const char *method, const char *url, const char *body, webex_done_fn *done,
    void *ctx)
{
	struct webex_req *req = calloc(1, sizeof(*req));

	if (req == NULL)
		return NULL;
	snprintf(req->method, sizeof(req->method), "%s", method);
	req->url = strdup(url);
	req->body = body != NULL ? strdup(body) : NULL;
	req->done = done;
	req->ctx = ctx;
	http_response_init(&req->resp);
	if (req->url == NULL || (body != NULL && req->body == NULL)) {
		webex_req_free(req);
		return NULL;
	}
	return req;
}

static void
enqueue(struct webex_client *c, struct webex_req *req)
{
	req->next = NULL;
	if (c->tail != NULL)
		c->tail->next = req;
	else
		c->head = req;
	c->tail = req;
	c->queued++;
}

void
webex_submit(struct webex_client *c, struct webex_req *req)
{
	/* time spent idle is no outage: the clock starts with the work */
	if (c->queued == 0 && c->inflight == 0) {
		c->progress_at = now_s();
		c->longest_wait = 0;
	}
	req->failing_since = 0;
	enqueue(c, req);
}

size_t
webex_pending(const struct webex_client *c)
{
	return c->queued + c->inflight;
}

void
webex_expect(struct webex_client *c, size_t n)
{
	pace_expect(&c->pace, (double)n);
}

enum webex_stop
webex_stop_reason(const struct webex_client *c)
{
	return c->stop;
}

const char *
webex_stop_why(const struct webex_client *c)
{
	return c->stop_why;
}

void
webex_stop(struct webex_client *c, const char *why)
{
	if (c->stop != WEBEX_RUNNING)
		return;
	c->stop = WEBEX_STOP_ASKED;
	snprintf(c->stop_why, sizeof(c->stop_why), "%s", why);
}

void
webex_get_stats(const struct webex_client *c, struct webex_stats *st)
{
	*st = c->st;
	st->rate = c->pace.rate;
	st->window = c->pace.window;
	st->max_window = c->max_window;
	st->srtt = c->pace.srtt;
	st->cuts = c->pace.cuts;
}

/* The first queued request whose wait is over (left in the queue), or NULL. */
static struct webex_req *
peek_ready(struct webex_client *c, double now, struct webex_req **before, double *next_ready)
{
	struct webex_req *prev = NULL;

	for (struct webex_req *r = c->head; r != NULL; prev = r, r = r->next) {
		if (r->not_before > now) {
			if (*next_ready == 0 || r->not_before < *next_ready)
				*next_ready = r->not_before;
			continue;
		}
		*before = prev;
		return r;
	}
	return NULL;
}

static void
unlink_req(struct webex_client *c, struct webex_req *r, struct webex_req *prev)
{
	if (prev != NULL)
		prev->next = r->next;
	else
		c->head = r->next;
	if (c->tail == r)
		c->tail = prev;
	r->next = NULL;
	c->queued--;
}

static int
start_one(struct webex_client *c, struct webex_req *req, double now, struct j2w_err *err)
{
	char tid[64], hdr[96];
	CURLMcode mc;

	if (c->nidle > 0) {
		req->h = c->idle[--c->nidle];
	} else {
		req->h = http_handle_new(&c->o.http, err);
		if (req->h == NULL)
			return -1;
		curl_easy_setopt(req->h, CURLOPT_SHARE, c->share);
		if (!c->o.http.insecure) {
			/*
			 * The system trust store is loaded once and kept for the
			 * run: libcurl caches a store built from a CA file only, and
			 * Debian's libcurl also names a CA directory, which made every
			 * new TLS connection parse the whole bundle again (~35 ms on
			 * the one event loop). The bundle holds that directory's
			 * certificates; --cacert still adds its own (http.c).
			 */
			curl_easy_setopt(req->h, CURLOPT_CAPATH, NULL);
#if LIBCURL_VERSION_NUM >= 0x075700
			curl_easy_setopt(req->h, CURLOPT_CA_CACHE_TIMEOUT, 86400L);
#endif
		}
	}
	curl_slist_free_all(req->headers);
	req->headers = NULL;
	new_tracking_id(tid, sizeof(tid));
	snprintf(req->tracking_id, sizeof(req->tracking_id), "%s", tid);
	snprintf(hdr, sizeof(hdr), "TrackingID: %s", tid);
	req->headers = curl_slist_append(req->headers, hdr);
	req->headers = curl_slist_append(req->headers, "Accept: application/json");
	if (req->body != NULL)
		req->headers = curl_slist_append(req->headers, "Content-Type: application/json");
	if (req->headers == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	memset(&req->hreq, 0, sizeof(req->hreq));
	req->hreq.method = req->method;
	req->hreq.url = req->url;
	req->hreq.headers = req->headers;
	req->hreq.body = req->body;
	req->hreq.body_len = req->body != NULL ? strlen(req->body) : 0;
	req->hreq.bearer = c->o.token;
	if (http_prepare(req->h, &req->hreq, &req->resp, err) < 0)
		return -1;
	if (req->form != NULL && webexform_attach(req, err) < 0)
		return -1;
	curl_easy_setopt(req->h, CURLOPT_PRIVATE, (char *)req);
	mc = curl_multi_add_handle(c->multi, req->h);
	if (mc != CURLM_OK)
		return err_set(err, J2W_ESYS, "cannot start a request: %s", curl_multi_strerror(mc));
	for (int i = 0; i < c->o.concurrency; i++)
		if (c->live[i] == NULL) {
			c->live[i] = req;
			break;
		}
	req->attempts++;
	req->sent_at = now;
	c->inflight++;
	c->st.requests++;
	if (c->pace.window > c->max_window)
		c->max_window = c->pace.window;
	return 0;
}

/* Starts what the pace, pauses and the window allow; *wake says when to look again. */
static int
start_ready(struct webex_client *c, double now, double *wake, struct j2w_err *err)
{
	while (c->stop == WEBEX_RUNNING && c->queued > 0) {
		double next_ready = 0, w = 0;
		struct webex_req *req, *prev = NULL;

		if (now < c->pause_until) {
			*wake = c->pause_until;
			return 0;
		}
		req = peek_ready(c, now, &prev, &next_ready);
		if (req == NULL) {
			if (next_ready > 0)
				*wake = next_ready;
			return 0;
		}
		if (c->inflight >= (size_t)c->o.concurrency || !pace_admit(&c->pace, now,
		    c->inflight, &w)) {
			if (w > 0)
				*wake = w;
			return 0;
		}
		unlink_req(c, req, prev);
		if (start_one(c, req, now, err) < 0) {
			webex_req_free(req);
			return -1;
		}
	}
	return 0;
}

static void
requeue(struct webex_client *c, struct webex_req *req, double when)
{
	req->not_before = when;
	c->st.retries++;
	http_response_reset(&req->resp);
	enqueue(c, req);
}

static void
finish(struct webex_client *c, struct webex_req *req, CURLcode rc)
{
	const char *tid = req->resp.tracking_id;

	req->status = rc == CURLE_OK ? req->resp.status : 0;
	if (req->resp.body.len > 0 && (req->resp.body.buf[0] == '{' || req->resp.body.buf[0] == '['))
		req->json = json_loadb(req->resp.body.buf, req->resp.body.len, 0, NULL);
	if ((tid == NULL || *tid == '\0') && req->json != NULL)
		tid = json_string_value(json_object_get(req->json, "trackingId"));
	if (tid != NULL && *tid != '\0')
		snprintf(req->tracking_id, sizeof(req->tracking_id), "%s", tid);
	if (req->resp.link != NULL)
		req->link_next = http_link_next(req->resp.link);
	if (rc != CURLE_OK) {
		struct j2w_err e;

		http_transfer_error(rc, &req->hreq, &req->resp, &e);
		snprintf(req->error, sizeof(req->error), "%.500s", e.msg);
	} else if (req->status < 200 || req->status > 299) {
		webex_describe(req, req->error, sizeof(req->error));
	}
	if (req->done != NULL)
		req->done(req, req->ctx);
	webex_req_free(req);
}

/* Hands back a request that was not sent, or not answered, because the client stopped. */
static void
hand_back(struct webex_client *c, struct webex_req *req, const char *how)
{
	req->status = 0;
	req->stopped = 1;
	snprintf(req->error, sizeof(req->error), "%s: %.400s", how, c->stop_why);
	if (req->done != NULL)
		req->done(req, req->ctx);
	webex_req_free(req);
}

/* What a failed try says, for the outage message: "HTTP 503: ..." or the curl error. */
static void
note_failure(struct webex_client *c, struct webex_req *req, CURLcode rc)
{
	if (rc != CURLE_OK) {
		snprintf(c->last_failure, sizeof(c->last_failure), "%.250s",
		    req->resp.curl_error[0] ? req->resp.curl_error : curl_easy_strerror(rc));
	} else {
		json_t *j = NULL;
		struct webex_req tmp;

		if (req->resp.body.len > 0 && req->resp.body.buf[0] == '{')
			j = json_loadb(req->resp.body.buf, req->resp.body.len, 0, NULL);
		memset(&tmp, 0, sizeof(tmp));
		tmp.status = req->resp.status;
		tmp.json = j;
		webex_describe(&tmp, c->last_failure, sizeof(c->last_failure));
		json_decref(j);
	}
}

/*
 * A 5xx or a broken connection: another try after a backoff. A request gives
 * up after max_attempts only when other requests were answered since it first
 * failed (the fault is about it); while nothing is answered it waits on, and
 * the outage clock decides for everyone. A request made once comes back unsure.
 */
static void
retry_or_finish(struct webex_client *c, struct webex_req *req, double now, CURLcode rc)
{
	int n = req->attempts < 8 ? req->attempts : 8;

	/* once: sent again only when the connection failed before the request could leave */
	if (req->once && rc != CURLE_COULDNT_CONNECT && rc != CURLE_COULDNT_RESOLVE_HOST) {
		req->unsure = 1;
		finish(c, req, rc);
		return;
	}
	if (req->failing_since == 0)
		req->failing_since = now;
	if (c->stop == WEBEX_RUNNING && (req->attempts < c->o.max_attempts ||
	    c->progress_at <= req->failing_since)) {
		requeue(c, req, now + http_backoff_ms(n, c->o.backoff_base_ms,
		    c->o.backoff_cap_ms) / 1000.0);
		return;
	}
	finish(c, req, rc);
}

static void
completed(struct webex_client *c, struct webex_req *req, CURLcode rc)
{
	double now = now_s();
	long status = 0;

	if (rc == CURLE_OK)
		curl_easy_getinfo(req->h, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(c->multi, req->h);
	if (c->nidle < (size_t)c->o.concurrency)
		c->idle[c->nidle++] = req->h;
	else
		curl_easy_cleanup(req->h);
	req->h = NULL;
	for (int i = 0; i < c->o.concurrency; i++)
		if (c->live[i] == req)
			c->live[i] = NULL;
	c->inflight--;
	req->resp.status = status;
	req->resp.curl_code = rc;
	req->done_at = now;

	if (rc == CURLE_WRITE_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_URL_MALFORMAT ||
	    rc == CURLE_UNSUPPORTED_PROTOCOL) {
		finish(c, req, rc);
		return;
	}
	if (rc != CURLE_OK) {
		c->st.broken++;
		pace_answer(&c->pace, req->sent_at, now, PACE_FAILED);
		note_failure(c, req, rc);
		retry_or_finish(c, req, now, rc);
		return;
	}
	if (status == 429 || status == 423) {
		long ms = http_retry_after_ms(req->resp.retry_after, status == 429 ? 5000 : 2000,
		    c->o.retry_after_cap_ms);

		note_failure(c, req, rc);
		if (ms > c->longest_wait)
			c->longest_wait = (double)ms;
		if (status == 429) {
			c->st.r429++;
			/*
			 * The pace takes the news; this request waits its Retry-After.
			 * Only when 429s keep coming with nothing accepted between does
			 * everyone wait (the server refuses all, not just too many).
			 */
			if (pace_answer(&c->pace, req->sent_at, now, PACE_REFUSED) &&
			    now + ms / 1000.0 > c->pause_until) {
				c->pause_until = now + ms / 1000.0;
				pace_hold(&c->pace, c->pause_until);
				c->st.pauses++;
			}
		} else {
			c->st.r423++;
			pace_answer(&c->pace, req->sent_at, now, PACE_FAILED);
		}
		if (c->stop == WEBEX_RUNNING) {
			req->attempts--;	/* a wait the server asked for is not a failed try */
			requeue(c, req, now + ms / 1000.0);
			return;
		}
		finish(c, req, rc);
		return;
	}
	if (status == 500 || status == 502 || status == 503 || status == 504) {
		/* the write sets a state: sending it again is safe */
		c->st.r5xx++;
		pace_answer(&c->pace, req->sent_at, now, PACE_FAILED);
		note_failure(c, req, rc);
		retry_or_finish(c, req, now, rc);
		return;
	}
	pace_answer(&c->pace, req->sent_at, now, PACE_ACCEPTED);
	c->progress_at = now;
	c->longest_wait = 0;
	if (status == 401 && c->stop == WEBEX_RUNNING) {
		c->stop = WEBEX_STOP_TOKEN;
		snprintf(c->stop_why, sizeof(c->stop_why), "the token was refused");
	}
	finish(c, req, rc);
}

/* Hands back every queued request (the client stopped). */
static void
drain_queue(struct webex_client *c)
{
	struct webex_req *r;

	while ((r = c->head) != NULL) {
		unlink_req(c, r, NULL);
		hand_back(c, r, "not sent");
	}
}

/* Nothing settled for too long: stop, and give up on what is in flight. */
static void
outage(struct webex_client *c, double now)
{
	c->stop = WEBEX_STOP_OUTAGE;
	snprintf(c->stop_why, sizeof(c->stop_why), "the Webex API answered nothing for %.0f s "
	    "(last: %s)", now - c->progress_at, c->last_failure[0] ? c->last_failure :
	    "no answer");
	for (int i = 0; i < c->o.concurrency; i++) {
		struct webex_req *r = c->live[i];

		if (r == NULL)
			continue;
		c->live[i] = NULL;
		curl_multi_remove_handle(c->multi, r->h);
		curl_easy_cleanup(r->h);
		r->h = NULL;
		c->inflight--;
		hand_back(c, r, "not answered");
	}
	drain_queue(c);
}

/* Hands every finished transfer to completed(); returns how many finished. */
static int
collect(struct webex_client *c)
{
	CURLMsg *msg;
	int left, n = 0;

	while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
		struct webex_req *req = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
		completed(c, req, msg->data.result);
		n++;
	}
	return n;
}

int
webex_step(struct webex_client *c, long timeout_ms, struct j2w_err *err)
{
	double now = now_s(), wake = 0;
	int running, numfds;
	CURLMcode mc;
	long wait_ms = timeout_ms;

	if (c->stop == WEBEX_RUNNING && c->inflight + c->queued > 0) {
		double limit = c->o.outage_ms / 1000.0 + (c->longest_wait < c->o.retry_after_cap_ms ?
		    c->longest_wait : c->o.retry_after_cap_ms) / 1000.0;

		if (now - c->progress_at > limit)
			outage(c, now);
	}
	if (start_ready(c, now, &wake, err) < 0)
		return -1;
	if (c->inflight == 0 && c->queued == 0)
		return 0;
	if (c->stop != WEBEX_RUNNING && c->inflight == 0) {
		/* nothing new starts once stopped: the queued requests come back unsent */
		drain_queue(c);
		return (int)webex_pending(c);
	}
	if (wake > 0) {
		long w = (long)ceil((wake - now) * 1000.0);

		if (w < wait_ms)
			wait_ms = w;
	}
	if (wait_ms < 0)
		wait_ms = 0;
	if (c->inflight == 0) {
		struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000L };

		nanosleep(&ts, NULL);
		return (int)webex_pending(c);
	}
	/*
	 * What already came is handled before waiting: a transfer that the first
	 * perform finished would otherwise wait out the whole poll.
	 */
	mc = curl_multi_perform(c->multi, &running);
	if (mc == CURLM_OK && collect(c) == 0) {
		mc = curl_multi_poll(c->multi, NULL, 0, (int)wait_ms, &numfds);
		if (mc == CURLM_OK)
			mc = curl_multi_perform(c->multi, &running);
		if (mc == CURLM_OK)
			collect(c);
	}
	if (mc != CURLM_OK)
		return err_set(err, J2W_ESYS, "HTTP client failed: %s", curl_multi_strerror(mc));
	now = now_s();
	if (start_ready(c, now, &wake, err) < 0)
		return -1;
	return (int)webex_pending(c);
}

static char *
url_join(const struct webex_client *c, const char *a, const char *b, const char *cpart,
    const char *d)
{
	size_t n = strlen(c->o.api) + strlen(a) + strlen(b) + strlen(cpart) + strlen(d) + 1;
	char *s = malloc(n);
	size_t blen = strlen(c->o.api);

	if (s == NULL)
		return NULL;
	/* the base may or may not end in '/': never double it */
	while (blen > 0 && c->o.api[blen - 1] == '/')
		blen--;
	snprintf(s, n, "%.*s%s%s%s%s", (int)blen, c->o.api, a, b, cpart, d);
	return s;
}

/* Whether url's query has parameter name. */
static int
has_param(const char *url, const char *name)
{
	const char *q = strchr(url, '?');
	size_t n = strlen(name);

	while (q != NULL) {
		q++;
		if (strncmp(q, name, n) == 0 && q[n] == '=')
			return 1;
		q = strchr(q, '&');
	}
	return 0;
}

/* url (freed) with orgId appended when the client has one and url lacks it. */
static char *
with_org(const struct webex_client *c, char *url)
{
	size_t n;
	char *s;

	if (url == NULL || c->org_esc == NULL || has_param(url, "orgId"))
		return url;
	n = strlen(url) + strlen(c->org_esc) + 8;
	s = malloc(n);
	if (s != NULL)
		snprintf(s, n, "%s%corgId=%s", url, strchr(url, '?') != NULL ? '&' : '?', c->org_esc);
	free(url);
	return s;
}

char *
webex_url(const struct webex_client *c, const char *path, const char *key, const char *value)
{
	char *esc, *url, *q;

	if (key == NULL)
		return with_org(c, url_join(c, path, "", "", ""));
	esc = curl_easy_escape(NULL, value, 0);
	if (esc == NULL)
		return NULL;
	q = malloc(strlen(key) + 3);
	if (q == NULL) {
		curl_free(esc);
		return NULL;
	}
	snprintf(q, strlen(key) + 3, "%s%s=", strchr(path, '?') ? "&" : "?", key);
	url = url_join(c, path, q, esc, "");
	free(q);
	curl_free(esc);
	return with_org(c, url);
}

char *
webex_url_seg(const struct webex_client *c, const char *prefix, const char *seg,
    const char *suffix)
{
	char *esc = curl_easy_escape(NULL, seg, 0), *url;

	if (esc == NULL)
		return NULL;
	url = url_join(c, prefix, esc, suffix, "");
	curl_free(esc);
	return with_org(c, url);
}

char *
webex_url_next(const struct webex_client *c, const char *url)
{
	char *s = strdup(url);

	return with_org(c, s);
}

int
webex_same_origin(const struct webex_client *c, const char *url)
{
	size_t n = strlen(c->origin);

	return strncasecmp(url, c->origin, n) == 0 &&
	    (url[n] == '/' || url[n] == '?' || url[n] == '\0');
}

void
webex_describe(const struct webex_req *req, char *buf, size_t len)
{
	const char *msg = NULL, *desc = NULL;

	if (req->json != NULL) {
		json_t *errs = json_object_get(req->json, "errors");

		msg = json_string_value(json_object_get(req->json, "message"));
		if (json_is_array(errs) && json_array_size(errs) > 0)
			desc = json_string_value(json_object_get(json_array_get(errs, 0), "description"));
	}
	if (req->status == 0) {
		snprintf(buf, len, "%s", req->error[0] ? req->error : "no answer");
	} else if (msg != NULL && desc != NULL && strcmp(msg, desc) != 0) {
		snprintf(buf, len, "HTTP %ld: %.200s (%.200s)", req->status, msg, desc);
	} else if (msg != NULL || desc != NULL) {
		snprintf(buf, len, "HTTP %ld: %.300s", req->status, msg != NULL ? msg : desc);
	} else {
		snprintf(buf, len, "HTTP %ld", req->status);
	}
}
