/*
 * Paged GETs: a walk follows Link rel="next" from page to page as requests of
 * the client's own, so that several lists (the profiles and the org's people,
 * say) are read at once, each page a round trip, instead of one after another.
 */
#include <stdlib.h>
#include <string.h>

#include "webex/webex.h"

/* More pages than any list can have: a server that links a page to itself. */
#define WALK_MAX_PAGES 100000

static void walk_page_done(struct webex_req *req, void *ctx);

static void
walk_end(struct webex_walk *w, int rc)
{
	w->rc = rc;
	w->done = 1;
}

/* Queues the GET of url (taken over) for the walk; 0, or -1 with the walk ended. */
static int
walk_ask(struct webex_walk *w, char *url)
{
	struct webex_req *req;

	if (url == NULL) {
		walk_end(w, err_set(&w->err, J2W_ESYS, "out of memory"));
		return -1;
	}
	req = webex_req_new("GET", url, NULL, walk_page_done, w);
	free(url);
	if (req == NULL) {
		walk_end(w, err_set(&w->err, J2W_ESYS, "out of memory"));
		return -1;
	}
	webex_submit(w->client, req);
	return 0;
}

static void
walk_page_done(struct webex_req *req, void *ctx)
{
	struct webex_walk *w = ctx;
	json_t *arr;
	int rc;

	w->status = req->status;
	if (req->status != 200) {
		/* a --cacert that is no CA file is the caller's mistake (exit 2) */
		walk_end(w, err_set(&w->err, req->resp.curl_code == CURLE_SSL_CACERT_BADFILE ?
		    J2W_EUSAGE : J2W_ESYS, "GET '%s': %s", req->url, req->error));
		return;
	}
	arr = json_object_get(req->json, w->key);
	if (!json_is_array(arr)) {
		walk_end(w, err_set(&w->err, J2W_ESYS, "GET '%s': the answer has no '%s' list",
		    req->url, w->key));
		return;
	}
	rc = w->page(arr, w->ctx, &w->err);
	/* an empty page ends the list even when a next link is offered */
	if (rc != 0 || req->link_next == NULL || json_array_size(arr) == 0) {
		walk_end(w, rc < 0 ? -1 : 0);
		return;
	}
	if (!webex_same_origin(w->client, req->link_next)) {
		walk_end(w, err_set(&w->err, J2W_ESYS, "refusing a next-page link to another "
		    "host: '%s'", req->link_next));
		return;
	}
	if (++w->pages > WALK_MAX_PAGES) {
		walk_end(w, err_set(&w->err, J2W_ESYS, "more than %d pages from '%s'",
		    WALK_MAX_PAGES, req->url));
		return;
	}
	walk_ask(w, webex_url_next(w->client, req->link_next));
}

int
webex_walk_start(struct webex_client *c, struct webex_walk *w, const char *url,
    const char *key, webex_page_fn *page, void *ctx)
{
	memset(w, 0, sizeof(*w));
	err_clear(&w->err);
	w->client = c;
	w->key = key;
	w->page = page;
	w->ctx = ctx;
	return walk_ask(w, strdup(url));
}

int
webex_walk_wait(struct webex_client *c, struct webex_walk *const *walks, size_t n,
    struct j2w_err *err)
{
	for (;;) {
		size_t left = 0;

		for (size_t i = 0; i < n; i++)
			left += !walks[i]->done;
		if (left == 0)
			return 0;
		if (webex_step(c, 1000, err) < 0)
			return -1;
	}
}

int
webex_get_pages(struct webex_client *c, const char *url, const char *key,
    webex_page_fn *page, void *ctx, long *status, struct j2w_err *err)
{
	struct webex_walk w, *walks[1] = { &w };

	webex_walk_start(c, &w, url, key, page, ctx);
	if (webex_walk_wait(c, walks, 1, err) < 0)
		return -1;
	*status = w.status;
	if (w.rc < 0)
		*err = w.err;
	return w.rc;
}

int
webex_page_append(json_t *items, void *ctx, struct j2w_err *err)
{
	if (json_array_extend((json_t *)ctx, items) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	return 0;
}

int
webex_get_all(struct webex_client *c, const char *url, const char *key, json_t *items,
    long *status, struct j2w_err *err)
{
	return webex_get_pages(c, url, key, webex_page_append, items, status, err);
}
