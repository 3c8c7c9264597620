/* libcurl easy handles set up safely, header capture, and retry arithmetic. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "util/http.h"

int
http_global_init(struct j2w_err *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(err, J2W_ESYS, "cannot initialise libcurl");
	return 0;
}

void
http_response_init(struct http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	strbuf_init(&resp->body, HTTP_BODY_MAX);
}

void
http_response_reset(struct http_response *resp)
{
	resp->status = 0;
	strbuf_reset(&resp->body);
	free(resp->retry_after);
	free(resp->link);
	free(resp->tracking_id);
	free(resp->content_type);
	resp->retry_after = resp->link = resp->tracking_id = resp->content_type = NULL;
	resp->curl_error[0] = '\0';
	resp->curl_code = CURLE_OK;
}

void
http_response_release(struct http_response *resp)
{
	http_response_reset(resp);
	strbuf_release(&resp->body);
}

/*
 * --cacert adds to the system store rather than replacing it, as
 * CURLOPT_CAINFO would: the file's certificates are loaded into the store
 * libcurl's OpenSSL context already holds.
 */
static CURLcode
http_add_cacert(CURL *h, void *sslctx, void *path)
{
	X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)sslctx);

	if (store == NULL || X509_STORE_load_file(store, (const char *)path) != 1)
		return CURLE_SSL_CACERT_BADFILE;
	return CURLE_OK;
}

CURL *
http_handle_new(const struct http_opts *opts, struct j2w_err *err)
{
	CURL *h = curl_easy_init();

	if (h == NULL) {
		err_set(err, J2W_ESYS, "cannot create an HTTP handle");
		return NULL;
	}
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "j2w");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
	    opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 10000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, opts->timeout_ms > 0 ? opts->timeout_ms : 300000L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	if (opts->cacert != NULL) {
		curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, http_add_cacert);
		curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, (void *)opts->cacert);
	}
	if (opts->insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	}
	return h;
}

static size_t
http_on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct http_response *resp = ctx;

	if (strbuf_add(&resp->body, data, size * nmemb) < 0)
		return 0;	/* makes libcurl fail the transfer with CURLE_WRITE_ERROR */
	return size * nmemb;
}

/*
 * Copies a header's value when line is "Name: value". With join, a repeated
 * header is added to the earlier value after ", " (RFC 9110 5.3: the same as
 * one header with both), else the last one wins.
 */
static void
http_take_header(char **slot, const char *name, const char *line, size_t len, int join)
{
	size_t nlen = strlen(name);
	const char *v, *end;

	if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
		return;
	v = line + nlen + 1;
	end = line + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	if (join && *slot != NULL) {
		struct strbuf sb;

		strbuf_init(&sb, 0);
		if (strbuf_addf(&sb, "%s, %.*s", *slot, (int)(end - v), v) == 0) {
			free(*slot);
			*slot = strbuf_detach(&sb, NULL);
		}
		strbuf_release(&sb);
		return;
	}
	free(*slot);
	*slot = strndup(v, (size_t)(end - v));
}

static size_t
http_on_header(char *line, size_t size, size_t nmemb, void *ctx)
{
	struct http_response *resp = ctx;
	size_t len = size * nmemb;

	/* a new response (after a 1xx, say) starts its headers afresh */
	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		free(resp->retry_after);
		free(resp->link);
		free(resp->tracking_id);
		free(resp->content_type);
		resp->retry_after = resp->link = resp->tracking_id = resp->content_type = NULL;
		return len;
	}
	http_take_header(&resp->retry_after, "Retry-After", line, len, 0);
	http_take_header(&resp->link, "Link", line, len, 1);
	http_take_header(&resp->tracking_id, "TrackingID", line, len, 0);
	http_take_header(&resp->content_type, "Content-Type", line, len, 0);
	return len;
}

int
http_prepare(CURL *h, const struct http_request *req, struct http_response *resp,
    struct j2w_err *err)
{
	http_response_reset(resp);
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, resp->curl_error);
	/*
	 * A handle is reused: clear the last request's body (its pointer may be
	 * freed by now) before HTTPGET, as setting POSTFIELDS makes it a POST.
	 */
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (req->body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	} else if (strcmp(req->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
	}
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST,
	    strcmp(req->method, "GET") == 0 || strcmp(req->method, "POST") == 0 ? NULL : req->method);
	/* and its credentials, so that they never go with a request that has none */
	curl_easy_setopt(h, CURLOPT_USERNAME, NULL);
	curl_easy_setopt(h, CURLOPT_PASSWORD, NULL);
	curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	if (req->basic_user != NULL) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, req->basic_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, req->basic_password);
	} else if (req->bearer != NULL) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, req->bearer);
	}
	return 0;
}

int
http_transfer_error(CURLcode rc, const struct http_request *req,
    const struct http_response *resp, struct j2w_err *err)
{
	const char *detail = resp->curl_error[0] ? resp->curl_error : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_SSL_CACERT_BADFILE:
		return err_set(err, J2W_EUSAGE, "cannot load the CA certificates given with --cacert "
		    "(a PEM file is expected)");
	case CURLE_PEER_FAILED_VERIFICATION:
		return err_set(err, J2W_ESYS,
		    "cannot verify the TLS certificate of '%s': %s (add its CA with --cacert FILE)",
		    req->url, detail);
	case CURLE_WRITE_ERROR:
		return err_set(err, J2W_ESYS, "answer from '%s' is larger than %zu bytes",
		    req->url, (size_t)HTTP_BODY_MAX);
	case CURLE_OPERATION_TIMEDOUT:
		return err_set(err, J2W_ESYS, "'%s' did not answer in time: %s", req->url, detail);
	default:
		return err_set(err, J2W_ESYS, "cannot reach '%s': %s", req->url, detail);
	}
}

int
http_perform(CURL *h, const struct http_request *req, struct http_response *resp,
    struct j2w_err *err)
{
	CURLcode rc;

	if (http_prepare(h, req, resp, err) < 0)
		return -1;
	rc = curl_easy_perform(h);
	resp->curl_code = rc;
	if (rc != CURLE_OK)
		return http_transfer_error(rc, req, resp, err);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	return 0;
}

long
http_retry_after_ms(const char *value, long fallback_ms, long cap_ms)
{
	long ms = fallback_ms;

	if (value != NULL && *value != '\0') {
		char *end;
		long secs;

		secs = strtol(value, &end, 10);
		if (end != value && *end == '\0' && secs >= 0) {
			ms = secs > cap_ms / 1000 ? cap_ms : secs * 1000;
		} else {
			time_t when = curl_getdate(value, NULL);
			time_t now = time(NULL);

			/* in seconds first: a date far ahead would overflow in ms */
			if (when != -1)
				ms = when <= now ? 0 : when - now > cap_ms / 1000 ? cap_ms
				    : (long)(when - now) * 1000;
		}
	}
	return ms > cap_ms ? cap_ms : ms;
}

long
http_backoff_ms(int attempt, long base_ms, long cap_ms)
{
	long ceiling = base_ms;
	long floor;

	if (base_ms <= 0 || cap_ms <= 0)
		return 0;
	for (int i = 1; i < attempt && ceiling < cap_ms; i++)
		ceiling = ceiling > cap_ms / 2 ? cap_ms : ceiling * 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	floor = ceiling / 2;
	/* jitter spreads clients that failed together so they do not retry together */
	return floor + (ceiling > floor ? random() % (ceiling - floor + 1) : 0);
}

/* Skips a quoted-string at p (on its opening quote); returns the byte after it. */
static const char *
http_skip_quoted(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p ? p + 1 : p;
}

/* Whether the rel value at v (quoted or a token) has "next" among its types. */
static int
http_rel_is_next(const char *v)
{
	const char *end;

	if (*v == '"') {
		end = http_skip_quoted(v);
		if (end > v && end[-1] == '"')
			end--;
		v++;
	} else {
		end = v + strcspn(v, ";, \t");
	}
	/* rel may hold several space-separated types: rel="next last" */
	while (v < end) {
		const char *w;

		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		for (w = v; w < end && *w != ' ' && *w != '\t'; w++)
			;
		if (w - v == 4 && strncasecmp(v, "next", 4) == 0)
			return 1;
		v = w;
	}
	return 0;
}

char *
http_link_next(const char *link)
{
	const char *p = link;

	/* Link: <uri>; param=value; rel="next", <uri>; ... (RFC 8288) */
	while (p != NULL && (p = strchr(p, '<')) != NULL) {
		const char *lt = p, *gt = strchr(lt, '>');
		int next = 0;

		if (gt == NULL)
			return NULL;
		/* this link's parameters run to a ',' outside a quoted string */
		for (p = gt + 1; *p && *p != ','; ) {
			if (*p == '"') {
				p = http_skip_quoted(p);
			} else if (*p == ';') {
				const char *name = p + 1;

				while (*name == ' ' || *name == '\t')
					name++;
				p = name;
				if (strncasecmp(name, "rel", 3) == 0) {
					const char *v = name + 3;

					while (*v == ' ' || *v == '\t')
						v++;
					if (*v == '=') {
						v++;
						while (*v == ' ' || *v == '\t')
							v++;
						if (http_rel_is_next(v))
							next = 1;
					}
				}
			} else {
				p++;
			}
		}
		if (next && gt > lt + 1)
			return strndup(lt + 1, (size_t)(gt - lt - 1));
	}
	return NULL;
}

int
http_transfer_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_OPERATION_TIMEDOUT:
		return 1;
	default:
		return 0;
	}
}

int
http_status_retryable(long status)
{
	return status == 429 || status == 423 || status == 502 || status == 503 || status == 504;
}

int
url_has_credentials(const char *url)
{
	const char *auth = strstr(url, "://");
	size_t n;

	auth = auth != NULL ? auth + 3 : url;
	n = strcspn(auth, "/?#");
	return memchr(auth, '@', n) != NULL;
}
