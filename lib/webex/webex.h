/*
 * The Webex REST client: many requests in flight on one curl multi handle, paced
 * by a token bucket, with the retry rules of the Webex API (Retry-After on 429
 * and 423, bounded backoff with jitter on 502/503/504 and broken connections, a
 * stop on 401), a TrackingID on every request, and Link rel="next" paging.
 */
#ifndef J2W_WEBEX_H
#define J2W_WEBEX_H

#include <jansson.h>

#include "util/http.h"
#include "util/j2w_err.h"

#define WEBEX_DEFAULT_API "https://webexapis.com/v1"
#define WEBEX_RING 4096		/* recent successes kept for learning the rate */

struct webex_opts {
	const char *api;		/* base URL, e.g. https://webexapis.com/v1 */
	const char *token;		/* bearer token; not owned, never copied into output */
	struct http_opts http;
	int concurrency;		/* transfers in flight; 0: 8 */
	double max_rate;		/* requests per second; 0: unpaced until a 429 */
	int max_attempts;		/* tries for 5xx and broken connections; 0: 6 */
	int max_waits;			/* 429/423 answers one request may wait out; 0: 30 */
	long backoff_base_ms;		/* 0: 500 */
	long backoff_cap_ms;		/* 0: 30000 */
	long retry_after_cap_ms;	/* 0: 120000 */
};

struct webex_client;
struct webex_req;
struct webex_form;

typedef void webex_done_fn(struct webex_req *req, void *ctx);

/* One request; fill it with webex_req_new, read the results in done(). */
struct webex_req {
	char method[8];
	char *url;			/* owned */
	char *body;			/* JSON text or NULL; owned */
	webex_done_fn *done;
	void *ctx;

	/* results, valid in done() */
	long status;			/* HTTP status; 0 when no answer came */
	json_t *json;			/* the body when it was JSON, else NULL; owned */
	char *link_next;		/* rel="next" URL of a list, or NULL; owned */
	char tracking_id[96];		/* the server's trackingId, else the one sent */
	int attempts;			/* requests sent for this one */
	char error[512];		/* why it failed, for people ("" on success) */

	struct webex_form *form;	/* multipart/form-data fields instead of body; owned */

	/* the client's */
	curl_mime *mime;		/* form as sent on this attempt's handle */
	struct http_request hreq;
	struct http_response resp;
	struct curl_slist *headers;
	CURL *h;
	double not_before;
	int waits;
	struct webex_req *next;
};

/*
 * Creates a client. opts (and the strings it points to) must outlive it.
 * Returns NULL with err.
 */
struct webex_client *webex_client_new(const struct webex_opts *opts, struct j2w_err *err);
/* Frees the client; requests still queued or in flight are freed without done(). */
void webex_client_free(struct webex_client *c);

/*
 * A new request for method and url (copied); body (copied, may be NULL) is sent
 * as application/json. NULL on ENOMEM. The client owns it once submitted and
 * frees it after done() returns.
 */
struct webex_req *webex_req_new(const char *method, const char *url, const char *body,
    webex_done_fn *done, void *ctx);
void webex_req_free(struct webex_req *req);

/* Queues a request; it starts when pacing and concurrency allow. */
void webex_submit(struct webex_client *c, struct webex_req *req);

/*
 * Runs transfers for at most timeout_ms (less when something completes) and
 * calls done() for every request that finished. Returns the number of
 * requests still queued or in flight, or -1 with err on a curl failure.
 */
int webex_step(struct webex_client *c, long timeout_ms, struct j2w_err *err);

/* Requests queued or in flight. */
size_t webex_pending(const struct webex_client *c);

/* Whether a 401 stopped the client: no new request starts after one. */
int webex_stopped(const struct webex_client *c);

/*
 * URL of path under the API base with one query parameter (key may be NULL);
 * the value and every path argument given with webex_url_seg are escaped.
 * Returns a new string or NULL (ENOMEM).
 */
char *webex_url(const struct webex_client *c, const char *path, const char *key,
    const char *value);
/* URL of prefix + escaped seg + suffix under the API base (for /people/{id}/...). */
char *webex_url_seg(const struct webex_client *c, const char *prefix, const char *seg,
    const char *suffix);

/* Whether url lies under the API base's origin (a Link to elsewhere is refused). */
int webex_same_origin(const struct webex_client *c, const char *url);

/*
 * GETs url and every rel="next" page after it, appending the elements of each
 * page's array key to items. Runs the client until done (other queued requests
 * progress too). Returns 0, or -1 with err (J2W_ESYS; status 401 says so).
 */
int webex_get_all(struct webex_client *c, const char *url, const char *key, json_t *items,
    long *status, struct j2w_err *err);

/* Counters for the summary and the benchmark. */
struct webex_stats {
	unsigned long requests;		/* sent, retries included */
	unsigned long r429;
	unsigned long r423;
	unsigned long r5xx;
	unsigned long broken;		/* no answer: reset, timeout */
	unsigned long retries;
	double rate;			/* pacing now, requests/s (0: none) */
};
void webex_get_stats(const struct webex_client *c, struct webex_stats *st);

/* Describes a failed answer: "HTTP 404: message (description)". */
void webex_describe(const struct webex_req *req, char *buf, size_t len);

/*
 * multipart/form-data requests (POST /messages with a file). A part is a text
 * field (value) or a file read from path when the request is sent, and again
 * on a retry, so it is never held in memory; filename and type describe it.
 */
struct webex_form_part {
	const char *name;		/* field name, e.g. "roomId", "files" */
	const char *value;		/* a text field, or NULL */
	const char *path;		/* a file to send, or NULL */
	const char *filename;		/* the name the server is told (files only) */
	const char *type;		/* the content type (files only), e.g. "text/html" */
};

/*
 * A new request for method and url whose body is the form of parts[0..n)
 * (strings copied). NULL on ENOMEM or when n is 0. Submitted and answered as
 * any other request; a file that cannot be read fails it with status 0.
 */
struct webex_req *webex_req_new_form(const char *method, const char *url,
    const struct webex_form_part *parts, size_t n, webex_done_fn *done, void *ctx);

#endif
