/*
 * The HTTP layer on libcurl shared by AXL and the Webex API: TLS verified by
 * default, timeouts, no redirects (credentials never follow one), capped bodies,
 * and the header facts a retry policy needs.
 */
#ifndef J2W_HTTP_H
#define J2W_HTTP_H

#include <curl/curl.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define HTTP_BODY_MAX ((size_t)256 << 20)

struct http_opts {
	const char *cacert;		/* an extra CA bundle file, or NULL */
	int insecure;			/* skip verification; the command warns */
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* whole request; 0: 300 s */
};

struct http_request {
	const char *method;		/* "GET", "POST", "PUT" */
	const char *url;
	struct curl_slist *headers;	/* extra headers, not owned */
	const char *body;		/* may be NULL */
	size_t body_len;
	const char *basic_user;		/* HTTP Basic (AXL), or NULL */
	const char *basic_password;
	const char *bearer;		/* OAuth bearer token (Webex), or NULL */
};

struct http_response {
	long status;			/* 0 when no answer came */
	struct strbuf body;
	char *retry_after;		/* header values, or NULL */
	char *link;
	char *tracking_id;
	char *content_type;
	CURLcode curl_code;		/* CURLE_OK, or why no answer came */
	char curl_error[CURL_ERROR_SIZE];
};

/* Once per process, before any other call. Returns 0 or -1 with err. */
int http_global_init(struct j2w_err *err);

void http_response_init(struct http_response *resp);
void http_response_reset(struct http_response *resp);
void http_response_release(struct http_response *resp);

/* A handle with the TLS, timeout and safety options set; caller curl_easy_cleanup()s. */
CURL *http_handle_new(const struct http_opts *opts, struct j2w_err *err);

/*
 * Sets the per-request options of h so that it fills resp when performed, by
 * curl_easy_perform or a multi handle. req and resp must outlive the transfer.
 */
int http_prepare(CURL *h, const struct http_request *req, struct http_response *resp,
    struct j2w_err *err);

/* Turns a finished transfer's CURLcode into err (J2W_ESYS, with the URL). */
int http_transfer_error(CURLcode rc, const struct http_request *req,
    const struct http_response *resp, struct j2w_err *err);

/*
 * Prepares and performs one request. Returns 0 when an HTTP answer came (any
 * status: look at resp->status), or -1 with err for a transport failure.
 */
int http_perform(CURL *h, const struct http_request *req, struct http_response *resp,
    struct j2w_err *err);

/*
 * The wait a Retry-After value asks for, in milliseconds: delta-seconds or an
 * HTTP-date; fallback_ms when value is NULL or unreadable; capped at cap_ms.
 */
long http_retry_after_ms(const char *value, long fallback_ms, long cap_ms);

/*
 * Exponential backoff with full jitter for attempt 1, 2, ...: a random wait in
 * [base/2, min(cap, base * 2^(attempt-1))] milliseconds; 0 when base_ms or
 * cap_ms is not positive.
 */
long http_backoff_ms(int attempt, long base_ms, long cap_ms);

/*
 * The URL of rel="next" in a Link header value (RFC 8288: several links, quoted
 * parameters, rel="next last"; repeated Link headers reach resp->link joined
 * with ", "), a new string the caller frees, or NULL.
 */
char *http_link_next(const char *link);

/*
 * Whether a transport failure may heal by itself (connection refused, reset or
 * dropped, timed out): worth a few retries. TLS, name resolution and size
 * failures are not.
 */
int http_transfer_retryable(CURLcode rc);

/* Whether a status is worth retrying: 429, 423, 502, 503, 504. */
int http_status_retryable(long status);

/*
 * Whether url carries credentials: a user (and perhaps a password) before '@'
 * in its authority, with or without a scheme ("https://u:p@host/",
 * "u:p@host:8443/axl/" which curl would read so). 1 or 0.
 */
int url_has_credentials(const char *url);

#endif
