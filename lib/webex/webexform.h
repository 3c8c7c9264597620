/* The Webex client's multipart uploads, for webex.c only (webex_req_new_form is public). */
#ifndef J2W_WEBEXFORM_H
#define J2W_WEBEXFORM_H

#include "util/j2w_err.h"
#include "webex/webex.h"

/* Frees a form and its copied strings; NULL is fine. */
void webexform_free(struct webex_form *f);

/* Builds req's form on req's handle for this attempt and makes it the body. */
int webexform_attach(struct webex_req *req, struct j2w_err *err);

#endif
