/* The clusterUser resource of Unified CM UDS, as documented on developer.cisco.com. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/uds.h"
#include "util/strbuf.h"
#include "util/xmlsafe.h"

void
uds_lookup_init(struct uds_lookup *l)
{
	memset(l, 0, sizeof(*l));
}

void
uds_lookup_release(struct uds_lookup *l)
{
	free(l->url);
	free(l->home);
	free(l->error);
	uds_lookup_init(l);
}

int
uds_cluster_user_parse(const char *body, size_t len, int *found, char **home,
    struct j2w_err *err)
{
	xmlDocPtr doc = xmlsafe_parse(body, len, "clusterUser answer", 0, err);
	xmlNodePtr root, result;
	xmlChar *attr;

	*found = 0;
	*home = NULL;
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || strcmp((const char *)root->name, "clusterUser") != 0) {
		xmlFreeDoc(doc);
		return err_set(err, J2W_EDATA, "the answer is not a clusterUser document");
	}
	if ((result = xml_child(root, "result")) != NULL &&
	    (attr = xmlGetProp(result, (const xmlChar *)"found")) != NULL) {
		*found = strcmp((const char *)attr, "true") == 0;
		xmlFree(attr);
	}
	*home = xml_child_text(root, "homeCluster");
	xmlFreeDoc(doc);
	return 0;
}

int
uds_cluster_user(const struct http_opts *opts, const char *host, unsigned port,
    const char *address, const char *param, const char *value, struct uds_lookup *l,
    struct j2w_err *err)
{
	struct http_request req = { .method = "GET" };
	struct http_response resp;
	struct curl_slist *pin = NULL;
	struct strbuf sb;
	struct j2w_err perr;
	CURL *h = http_handle_new(opts, err);
	char *esc;
	int is_v6 = strchr(address, ':') != NULL;

	if (h == NULL)
		return -1;
	esc = curl_easy_escape(h, value, 0);
	strbuf_init(&sb, 0);
	if (esc == NULL || strbuf_addf(&sb, "https://%s:%u/cucm-uds/clusterUser?%s=%s",
	    host, port, param, esc) < 0) {
		curl_free(esc);
		curl_easy_cleanup(h);
		strbuf_release(&sb);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	curl_free(esc);
	l->url = strbuf_detach(&sb, NULL);
	/* ask the node the view's resolver named, not whatever this host resolves */
	strbuf_init(&sb, 0);
	strbuf_addf(&sb, is_v6 ? "%s:%u:[%s]" : "%s:%u:%s", host, port, address);
	pin = curl_slist_append(NULL, sb.buf);
	strbuf_release(&sb);
	curl_easy_setopt(h, CURLOPT_RESOLVE, pin);
	req.url = l->url;
	http_response_init(&resp);
	if (http_perform(h, &req, &resp, &perr) < 0) {
		l->error = strdup(perr.msg);
	} else {
		l->done = 1;
		l->status = resp.status;
		if (resp.status != 200) {
			char st[32];

			snprintf(st, sizeof(st), "HTTP status %ld", resp.status);
			l->error = strdup(st);
		} else if (uds_cluster_user_parse(resp.body.buf, resp.body.len, &l->found, &l->home,
		    &perr) < 0) {
			l->error = strdup(perr.msg);
		}
	}
	http_response_release(&resp);
	curl_easy_cleanup(h);
	curl_slist_free_all(pin);
	return 0;
}
