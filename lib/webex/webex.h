/*
 * The Webex REST client: many requests in flight on one curl multi handle,
 * paced by what the server accepts (webex/pace.h), with the retry rules of the
 * Webex API: Retry-After on 429 and 423 for as long as the run makes progress,
 * bounded backoff with jitter on 500/502/503/504 and broken connections, a
 * stop on 401, a stop when nothing has been answered for a while (an outage),
 * a TrackingID on every request, orgId on every request for a partner
 * administrator, and Link rel="next" paging.
 */
#ifndef J2W_WEBEX_H
#define J2W_WEBEX_H

#include <jansson.h>

#include "util/http.h"
#include "util/j2w_err.h"
#include "webex/pace.h"

#define WEBEX_DEFAULT_API "https://webexapis.com/v1"
#define WEBEX_START_WINDOW 8		/* requests in flight at the start */
#define WEBEX_MAX_WINDOW 128		/* the window's ceiling when none is given */
#define WEBEX_OUTAGE_MS 60000L		/* nothing answered for this long: an outage */

struct webex_opts {
	const char *api;		/* base URL, e.g. https://webexapis.com/v1 */
	const char *token;		/* bearer token; not owned, never copied into output */
	const char *org_id;		/* orgId for every request (a partner's customer), or NULL */
	struct http_opts http;
	int concurrency;		/* most requests in flight; 0: WEBEX_MAX_WINDOW */
	int start_window;		/* in flight at the start; 0: WEBEX_START_WINDOW */
	double max_rate;		/* requests per second at most; 0: learnt from 429s */
	int max_attempts;		/* tries for 5xx and broken connections while others
					   succeed; 0: 6 */
	long outage_ms;			/* stop when nothing settles for this long; 0: 60 s */
	long backoff_base_ms;		/* 0: 500 */
	long backoff_cap_ms;		/* 0: 30000 */
	long retry_after_cap_ms;	/* 0: 120000 */
};

/* Why the client stopped sending. */
enum webex_stop {
	WEBEX_RUNNING,
	WEBEX_STOP_TOKEN,		/* a 401: the token was refused */
	WEBEX_STOP_OUTAGE,		/* nothing answered for opts.outage_ms */
	WEBEX_STOP_ASKED		/* webex_stop(): the caller saw a reason */
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
	/*
	 * Set by the caller for a request that makes something each time it is
	 * done (POST /rooms, POST /messages): after a 5xx or a connection lost
	 * once it may have left, it is not sent again but comes back unsure.
	 */
	int once;

	/* results, valid in done() */
	long status;			/* HTTP status; 0 when no answer came */
	int stopped;			/* not sent, or not answered, because the client stopped */
	json_t *json;			/* the body when it was JSON, else NULL; owned */
	char *link_next;		/* rel="next" URL of a list, or NULL; owned */
	char tracking_id[96];		/* the server's trackingId, else the one sent */
	int attempts;			/* requests sent for this one (429 and 423 waits not counted) */
	int unsure;			/* once: it failed, and may or may not have been done */
	char error[512];		/* why it failed, for people ("" on success) */

	struct webex_form *form;	/* multipart/form-data fields instead of body; owned */

	/* the client's */
	curl_mime *mime;		/* form as sent on this attempt's handle */
	struct http_request hreq;
	struct http_response resp;
	struct curl_slist *headers;
	CURL *h;
	double not_before;
	double sent_at;			/* when the last try left, and its answer came */
	double done_at;
	double failing_since;		/* first 5xx or broken connection, 0: none */
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

/* Queues a request; it starts when pacing allows. A stopped client hands it back. */
void webex_submit(struct webex_client *c, struct webex_req *req);

/*
 * Runs transfers for at most timeout_ms (less when something completes) and
 * calls done() for every request that finished. Returns the number of
 * requests still queued or in flight, or -1 with err on a curl failure.
 */
int webex_step(struct webex_client *c, long timeout_ms, struct j2w_err *err);

/* Requests queued or in flight. */
size_t webex_pending(const struct webex_client *c);

/*
 * Stops the client for a reason of the caller's (why, copied): nothing more is
 * sent; requests in flight finish, queued ones come back with stopped set.
 */
void webex_stop(struct webex_client *c, const char *why);

/* About n more requests are to come, the caller's last (pace_expect). */
void webex_expect(struct webex_client *c, size_t n);

/* Why the client stopped (WEBEX_RUNNING: it did not), and in words ("" if running). */
enum webex_stop webex_stop_reason(const struct webex_client *c);
const char *webex_stop_why(const struct webex_client *c);

/*
 * URL of path under the API base with one query parameter (key may be NULL),
 * and orgId when the client has one; the value and every path argument given
 * with webex_url_seg are escaped. Returns a new string or NULL (ENOMEM).
 */
char *webex_url(const struct webex_client *c, const char *path, const char *key,
    const char *value);
/* URL of prefix + escaped seg + suffix under the API base (for /people/{id}/...). */
char *webex_url_seg(const struct webex_client *c, const char *prefix, const char *seg,
    const char *suffix);
/*
 * A next-page link to follow: a copy of url, with orgId added when the client
 * has one and the link lost it (a known Webex defect). NULL on ENOMEM.
 */
char *webex_url_next(const struct webex_client *c, const char *url);

/* Whether url lies under the API base's origin (a Link to elsewhere is refused). */
int webex_same_origin(const struct webex_client *c, const char *url);

/*
 * GETs url and every rel="next" page after it (an empty page ends the list),
 * and hands the array key of each page to page(), which returns 0 to go on,
 * 1 to stop there, or -1 with err. Runs the client until done (other queued
 * requests progress too). Returns 0, or -1 with err (J2W_ESYS; *status 401
 * says the token was refused, 0 that no answer came).
 */
typedef int webex_page_fn(json_t *items, void *ctx, struct j2w_err *err);
int webex_get_pages(struct webex_client *c, const char *url, const char *key,
    webex_page_fn *page, void *ctx, long *status, struct j2w_err *err);

/* A page function that appends every page's elements to the array ctx. */
int webex_page_append(json_t *items, void *ctx, struct j2w_err *err);

/* As webex_get_pages, appending every page's elements to items. */
int webex_get_all(struct webex_client *c, const char *url, const char *key, json_t *items,
    long *status, struct j2w_err *err);

/*
 * The same walk of a list's pages, run alongside others: webex_walk_start
 * queues the first page, webex_walk_wait runs the client until every walk
 * given is done. A walk's results: rc 0, or -1 with err; status of the last
 * answer (401: the token was refused; 0: no answer came).
 */
struct webex_walk {
	int done;
	int rc;
	long status;
	struct j2w_err err;

	/* the walk's own */
	struct webex_client *client;
	const char *key;
	webex_page_fn *page;
	void *ctx;
	unsigned long pages;
};

/* Starts a walk of url (copied); w must stay put until it is done. -1: out of memory (done). */
int webex_walk_start(struct webex_client *c, struct webex_walk *w, const char *url,
    const char *key, webex_page_fn *page, void *ctx);
/* Runs the client until every walk is done: 0, or -1 with err when the client failed. */
int webex_walk_wait(struct webex_client *c, struct webex_walk *const *walks, size_t n,
    struct j2w_err *err);

/* Counters for the summary and the benchmark. */
struct webex_stats {
	unsigned long requests;		/* sent, retries included */
	unsigned long r429;
	unsigned long r423;
	unsigned long r5xx;
	unsigned long broken;		/* no answer: reset, timeout */
	unsigned long retries;
	unsigned long pauses;		/* everyone waited out a Retry-After */
	unsigned long cuts;		/* the pace was lowered after a 429 */
	double rate;			/* pacing now, requests/s (0: none) */
	double window;			/* requests in flight allowed now */
	double max_window;		/* ... at most during the run */
	double srtt;			/* smoothed round trip, seconds */
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
