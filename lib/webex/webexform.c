/* multipart/form-data uploads for the Webex client: the parts kept, a curl_mime per attempt. */
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>

#include "webex/webex.h"
#include "webex/webexform.h"

/* multipart/form-data: the parts as given, turned into a curl_mime per attempt. */
struct webex_form {
	size_t n;
	struct webex_form_part parts[];	/* strings owned */
};

void
webexform_free(struct webex_form *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free((char *)f->parts[i].name);
		free((char *)f->parts[i].value);
		free((char *)f->parts[i].path);
		free((char *)f->parts[i].filename);
		free((char *)f->parts[i].type);
	}
	free(f);
}

static int
dup_opt(const char **dst, const char *src)
{
	*dst = NULL;
	if (src == NULL)
		return 0;
	*dst = strdup(src);
	return *dst != NULL ? 0 : -1;
}

struct webex_req *
webex_req_new_form(const char *method, const char *url, const struct webex_form_part *parts,
    size_t n, webex_done_fn *done, void *ctx)
{
	struct webex_req *req;
	struct webex_form *f;

	if (n == 0 || (req = webex_req_new(method, url, NULL, done, ctx)) == NULL)
		return NULL;
	f = calloc(1, sizeof(*f) + n * sizeof(f->parts[0]));
	if (f == NULL) {
		webex_req_free(req);
		return NULL;
	}
	req->form = f;
	for (size_t i = 0; i < n; i++) {
		struct webex_form_part *p = &f->parts[i];

		f->n = i + 1;
		if (dup_opt(&p->name, parts[i].name) < 0 || dup_opt(&p->value, parts[i].value) < 0 ||
		    dup_opt(&p->path, parts[i].path) < 0 ||
		    dup_opt(&p->filename, parts[i].filename) < 0 ||
		    dup_opt(&p->type, parts[i].type) < 0) {
			webex_req_free(req);
			return NULL;
		}
	}
	return req;
}

/*
 * Builds the form for this attempt on the request's handle (a mime belongs to
 * the handle it was made with in libcurl before 7.87) and makes it the body.
 */
int
webexform_attach(struct webex_req *req, struct j2w_err *err)
{
	const struct webex_form *f = req->form;
	CURLcode rc = CURLE_OK;

	curl_mime_free(req->mime);
	req->mime = curl_mime_init(req->h);
	if (req->mime == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	for (size_t i = 0; i < f->n && rc == CURLE_OK; i++) {
		const struct webex_form_part *p = &f->parts[i];
		curl_mimepart *mp = curl_mime_addpart(req->mime);

		if (mp == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		rc = curl_mime_name(mp, p->name);
		if (rc == CURLE_OK && p->path != NULL)
			rc = curl_mime_filedata(mp, p->path);
		else if (rc == CURLE_OK)
			rc = curl_mime_data(mp, p->value != NULL ? p->value : "", CURL_ZERO_TERMINATED);
		if (rc == CURLE_OK && p->filename != NULL)
			rc = curl_mime_filename(mp, p->filename);
		if (rc == CURLE_OK && p->type != NULL)
			rc = curl_mime_type(mp, p->type);
	}
	if (rc != CURLE_OK)
		return err_set(err, J2W_ESYS, "cannot build the upload: %s", curl_easy_strerror(rc));
	curl_easy_setopt(req->h, CURLOPT_MIMEPOST, req->mime);
	return 0;
}
