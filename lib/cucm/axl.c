/* AXL requests and answers. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cucm/axl.h"
#include "cucm/device.h"
#include "util/secret.h"
#include "util/xmlsafe.h"

#define AXL_NS_BASE "http://www.cisco.com/AXL/API/"

static int
axl_envelope_open(struct strbuf *sb, const char *version, const char *op, unsigned long seq)
{
	return strbuf_addf(sb,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
	    "xmlns:ns=\"" AXL_NS_BASE "%s\">"
	    "<soapenv:Header/><soapenv:Body><ns:%s sequence=\"%lu\">", version, op, seq);
}

static int
axl_envelope_close(struct strbuf *sb, const char *op)
{
	return strbuf_addf(sb, "</ns:%s></soapenv:Body></soapenv:Envelope>\n", op);
}

int
axl_build_list_user(struct strbuf *sb, const char *version, unsigned long seq,
    unsigned long skip, unsigned long first)
{
	/* returnedTags in the order of LUser in AXLSoap.xsd: the schema is a sequence */
	static const char tags[] =
	    "<returnedTags><firstName/><lastName/><userid/><mailid/><department/>"
	    "<manager/><primaryExtension><pattern/><routePartitionName/></primaryExtension>"
	    "<homeCluster/><imAndPresenceEnable/><serviceProfile/><directoryUri/>"
	    "<telephoneNumber/><title/></returnedTags>";

	if (axl_envelope_open(sb, version, "listUser", seq) < 0 ||
	    strbuf_addstr(sb, "<searchCriteria><userid>%</userid></searchCriteria>") < 0 ||
	    strbuf_addstr(sb, tags) < 0 ||
	    strbuf_addf(sb, "<skip>%lu</skip><first>%lu</first>", skip, first) < 0)
		return -1;
	return axl_envelope_close(sb, "listUser");
}

static int
xml_escape_into(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		int rc;

		switch (*s) {
		case '&': rc = strbuf_addstr(sb, "&amp;"); break;
		case '<': rc = strbuf_addstr(sb, "&lt;"); break;
		case '>': rc = strbuf_addstr(sb, "&gt;"); break;
		default: rc = strbuf_addch(sb, *s);
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
axl_build_sql(struct strbuf *sb, const char *version, unsigned long seq, const char *sql)
{
	if (axl_envelope_open(sb, version, "executeSQLQuery", seq) < 0 ||
	    strbuf_addstr(sb, "<sql>") < 0 || xml_escape_into(sb, sql) < 0 ||
	    strbuf_addstr(sb, "</sql>") < 0)
		return -1;
	return axl_envelope_close(sb, "executeSQLQuery");
}

static int
axl_is_pkid(const char *s)
{
	if (strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

int
axl_build_device_sql(struct strbuf *sql, const char *const *pkids, size_t n)
{
	if (strbuf_addstr(sql,
	    "SELECT eu.pkid, eu.displayname, d.name AS devicename, tm.name AS model "
	    "FROM enduser eu "
	    "LEFT OUTER JOIN enduserdevicemap m ON m.fkenduser = eu.pkid AND m.tkuserassociation = 1 "
	    "LEFT OUTER JOIN device d ON d.pkid = m.fkdevice "
	    "LEFT OUTER JOIN typemodel tm ON tm.enum = d.tkmodel "
	    "WHERE eu.pkid IN (") < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!axl_is_pkid(pkids[i]))
			return -1;
		if (strbuf_addf(sql, "%s'%s'", i ? "," : "", pkids[i]) < 0)
			return -1;
	}
	return strbuf_addstr(sql, ") ORDER BY eu.pkid, d.name");
}

static void
axl_fault_fill(xmlNodePtr fnode, struct axl_fault *fault)
{
	xmlNodePtr detail = xml_child(fnode, "detail");
	xmlNodePtr axlerr = detail != NULL ? xml_find(detail->children, "axlError") : NULL;
	char *code = axlerr != NULL ? xml_child_text(axlerr, "axlcode") : NULL;
	char *msg = axlerr != NULL ? xml_child_text(axlerr, "axlmessage") : NULL;

	fault->axlcode = code != NULL ? strtol(code, NULL, 10) : 0;
	if (msg == NULL)
		msg = xml_child_text(fnode, "faultstring");
	snprintf(fault->message, sizeof(fault->message), "%s", msg != NULL ? msg : "(no message)");
	free(code);
	free(msg);
}

int
axl_parse_answer(const char *buf, size_t len, xmlDocPtr *doc, xmlNodePtr *ret,
    struct axl_fault *fault, struct j2w_err *err)
{
	xmlNodePtr root, body, fnode, op;

	*doc = NULL;
	*ret = NULL;
	memset(fault, 0, sizeof(*fault));
	*doc = xmlsafe_parse(buf, len, "AXL answer", 0, err);
	if (*doc == NULL)
		return -1;
	root = xmlDocGetRootElement(*doc);
	if (root == NULL || strcmp((const char *)root->name, "Envelope") != 0 ||
	    (body = xml_child(root, "Body")) == NULL) {
		err_set(err, J2W_EDATA, "AXL answer is not a SOAP envelope");
		goto fail;
	}
	fnode = xml_child(body, "Fault");
	if (fnode != NULL) {
		axl_fault_fill(fnode, fault);
		xmlFreeDoc(*doc);
		*doc = NULL;
		return 1;
	}
	for (op = body->children; op != NULL && op->type != XML_ELEMENT_NODE; op = op->next)
		;
	if (op == NULL || (*ret = xml_child(op, "return")) == NULL) {
		err_set(err, J2W_EDATA, "AXL answer has no <return> element");
		goto fail;
	}
	return 0;
fail:
	xmlFreeDoc(*doc);
	*doc = NULL;
	return -1;
}

int
axl_user_from_node(xmlNodePtr node, const char *source, struct user *u)
{
	struct { const char *tag; char **field; } strs[] = {
		{ "userid", &u->userid }, { "firstName", &u->first_name },
		{ "lastName", &u->last_name }, { "displayName", &u->display_name },
		{ "mailid", &u->mailid }, { "directoryUri", &u->directory_uri },
		{ "telephoneNumber", &u->telephone_number }, { "department", &u->department },
		{ "title", &u->title }, { "manager", &u->manager },
		{ "serviceProfile", &u->service_profile },
	};
	xmlChar *uuid;
	char *v;
	int rc = 0;

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		v = xml_child_text(node, strs[i].tag);
		if (user_set(strs[i].field, v) < 0) {
			free(v);
			return -1;
		}
		free(v);
	}
	if (u->userid == NULL)
		return 1;
	v = xml_child_text(xml_child(node, "primaryExtension"), "pattern");
	if (user_set_number(&u->primary_extension, v) < 0 ||
	    user_set_number(&u->telephone_number, u->telephone_number) < 0) {
		free(v);
		return -1;
	}
	free(v);
	v = xml_child_text(node, "homeCluster");
	u->home_cluster = user_parse_bool(v);
	free(v);
	v = xml_child_text(node, "imAndPresenceEnable");
	u->im_presence_enabled = user_parse_bool(v);
	free(v);
	uuid = xmlGetProp(node, (const xmlChar *)"uuid");
	if (uuid == NULL) {
		rc = 2;
	} else {
		u->uuid = user_uuid_normalise((const char *)uuid);
		if (u->uuid == NULL) {
			rc = 2;
			u->uuid = strdup((const char *)uuid);
		}
		xmlFree(uuid);
		if (u->uuid == NULL)
			return -1;
	}
	return user_set(&u->source, source) < 0 ? -1 : rc;
}

int
axl_fault_too_large(const struct axl_fault *fault, unsigned long *suggested)
{
	const char *p;
	unsigned long nums[2] = { 0, 0 };
	int found = 0;

	if (strncasecmp(fault->message, "Query request too large", 23) != 0)
		return 0;
	/* the wording varies between releases: take the first two numbers (total, suggested) */
	for (p = fault->message; *p && found < 2; p++) {
		if (isdigit((unsigned char)*p)) {
			nums[found++] = strtoul(p, (char **)&p, 10);
			p--;
		}
	}
	*suggested = found == 2 ? nums[1] : 0;
	return 1;
}

int
axl_credentials(const char *creds_file, char **user, char **password, struct j2w_err *err)
{
	const char *u = getenv("AXL_USER"), *p = getenv("AXL_PASSWORD");

	*user = *password = NULL;
	if (creds_file != NULL) {
		char *line;
		int rc;

		if (secret_from_file(creds_file, &line, err) < 0)
			return -1;
		rc = secret_split_credentials(line, user, password, err);
		secret_free(line);
		return rc < 0 ? -1 : 0;
	}
	if (u == NULL || *u == '\0' || p == NULL || *p == '\0')
		return err_set(err, J2W_EUSAGE, "no AXL credentials: set AXL_USER and AXL_PASSWORD or "
		    "give --axl-credentials FILE");
	secret_no_core();
	*user = strdup(u);
	*password = strdup(p);
	if (*user == NULL || *password == NULL) {
		secret_free(*user);
		secret_free(*password);
		*user = *password = NULL;
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 0;
}

int
axl_client_init(struct axl_client *c, const char *url, const char *version,
    char *user, char *password, const struct http_opts *opts, struct j2w_err *err)
{
	CURLU *u;
	char *host = NULL;

	memset(c, 0, sizeof(*c));
	c->user = user;
	c->password = password;
	if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
		return err_set(err, J2W_EUSAGE, "AXL URL '%s' is not http(s)://HOST:8443/axl/", url);
	u = curl_url();
	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return err_set(err, J2W_EUSAGE, "cannot parse the AXL URL '%s'", url);
	}
	c->host = strdup(host);
	curl_free(host);
	curl_url_cleanup(u);
	c->url = strdup(url);
	c->version = strdup(version);
	if (c->host == NULL || c->url == NULL || c->version == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	c->http = http_handle_new(opts, err);
	if (c->http == NULL)
		return -1;
	c->max_attempts = 8;
	c->retry_base_ms = 1000;
	c->retry_cap_ms = 60000;
	return 0;
}

void
axl_client_release(struct axl_client *c)
{
	if (c->http != NULL)
		curl_easy_cleanup(c->http);
	free(c->url);
	free(c->version);
	free(c->host);
	if (c->user != NULL)
		explicit_bzero(c->user, strlen(c->user));
	if (c->password != NULL)
		explicit_bzero(c->password, strlen(c->password));
	free(c->user);
	free(c->password);
	memset(c, 0, sizeof(*c));
}

static void
axl_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int
axl_call(struct axl_client *c, const char *op, const struct strbuf *body,
    xmlDocPtr *doc, xmlNodePtr *ret, struct axl_fault *fault, struct j2w_err *err)
{
	struct http_response resp;
	struct http_request req = { 0 };
	struct curl_slist *headers = NULL;
	char action[128];
	int rc = -1;

	snprintf(action, sizeof(action), "SOAPAction: \"CUCM:DB ver=%s %s\"", c->version, op);
	headers = curl_slist_append(headers, "Content-Type: text/xml; charset=utf-8");
	headers = curl_slist_append(headers, action);
	if (headers == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	req.method = "POST";
	req.url = c->url;
	req.headers = headers;
	req.body = body->buf;
	req.body_len = body->len;
	req.basic_user = c->user;
	req.basic_password = c->password;
	http_response_init(&resp);
	for (int attempt = 1;; attempt++) {
		int transport;

		c->requests++;
		transport = http_perform(c->http, &req, &resp, err);
		if (transport == 0 && resp.status != 503)
			break;
		if (transport < 0 && !http_transfer_retryable(resp.curl_code))
			goto out;
		/* a lost connection gets fewer tries than throttling, which is expected to pass */
		if (attempt >= (transport == 0 ? c->max_attempts : AXL_TRANSPORT_ATTEMPTS)) {
			if (transport == 0)
				err_set(err, J2W_ESYS, "AXL at '%s' is still throttling (HTTP 503) after %d attempts",
				    c->url, attempt);
			else
				err_prefix(err, "after %d attempts", attempt);
			goto out;
		}
		/* 503 is AXL's throttle; a dropped connection is worth the same patience */
		if (transport == 0)
			c->throttled++;
		axl_sleep_ms(transport == 0 && resp.retry_after != NULL
		    ? http_retry_after_ms(resp.retry_after, c->retry_base_ms, c->retry_cap_ms)
		    : http_backoff_ms(attempt, c->retry_base_ms, c->retry_cap_ms));
	}
	switch (resp.status) {
	case 200:
	case 500:
		rc = axl_parse_answer(resp.body.buf, resp.body.len, doc, ret, fault, err);
		if (rc < 0 && resp.status == 500)
			err_set(err, J2W_ESYS, "AXL at '%s' answered HTTP 500 without a SOAP fault", c->url);
		else if (rc < 0)
			err->status = J2W_ESYS;
		break;
	case 401:
		err_set(err, J2W_ESYS, "AXL at '%s' refused the credentials (HTTP 401): check the AXL "
		    "user and password and that the account has the Standard AXL API Access role", c->url);
		break;
	case 403:
		err_set(err, J2W_ESYS, "AXL at '%s' refused access (HTTP 403): give the account the "
		    "Standard AXL API Access role", c->url);
		break;
	case 599:
		err_set(err, J2W_ESYS, "AXL at '%s' does not support schema version %s (HTTP 599): "
		    "try --axl-version", c->url, c->version);
		break;
	default:
		err_set(err, J2W_ESYS, "AXL at '%s' answered HTTP %ld", c->url, resp.status);
	}
out:
	http_response_release(&resp);
	curl_slist_free_all(headers);
	return rc;
}

/* A page's users with their devices, filled in place. */
struct axl_page {
	struct user *users;
	size_t n;
};

static void
axl_page_release(struct axl_page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		user_release(&pg->users[i]);
	free(pg->users);
	pg->users = NULL;
	pg->n = 0;
}

/* Lower-case GUID without braces, as SQL knows it; "" when the uuid is not a GUID. */
static void
axl_pkid_of(const struct user *u, char out[37])
{
	out[0] = '\0';
	if (u->uuid == NULL || strlen(u->uuid) != 38 || u->uuid[0] != '{')
		return;
	for (int i = 0; i < 36; i++)
		out[i] = (char)tolower((unsigned char)u->uuid[i + 1]);
	out[36] = '\0';
}

static struct user *
axl_page_find(struct axl_page *pg, const char *pkid)
{
	char mine[37];

	for (size_t i = 0; i < pg->n; i++) {
		axl_pkid_of(&pg->users[i], mine);
		if (strcmp(mine, pkid) == 0)
			return &pg->users[i];
	}
	return NULL;
}

static int
axl_apply_device_rows(struct axl_page *pg, xmlNodePtr ret)
{
	for (xmlNodePtr row = xml_child(ret, "row"); row != NULL; row = xml_next_named(row)) {
		char *pkid = xml_child_text(row, "pkid");
		char *dname = xml_child_text(row, "displayname");
		char *dev = xml_child_text(row, "devicename");
		char *model = xml_child_text(row, "model");
		struct user *u = pkid != NULL ? axl_page_find(pg, pkid) : NULL;
		int rc = 0;

		if (u != NULL && dname != NULL && u->display_name == NULL)
			rc = user_set(&u->display_name, dname);
		if (u != NULL && dev != NULL && rc == 0) {
			const char *type = device_type_from_model(model);

			rc = user_add_device(u, dev, type != NULL ? type : device_type_from_name(dev));
		}
		free(pkid);
		free(dname);
		free(dev);
		free(model);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
axl_fault_error(const struct axl_client *c, const char *op, const struct axl_fault *f,
    struct j2w_err *err)
{
	return err_set(err, J2W_ESYS, "AXL %s failed at '%s': axlcode %ld: %s", op, c->url,
	    f->axlcode, f->message);
}

/* Devices and display names for users [from, from+n) of the page, shrinking on "too large". */
static int
axl_fetch_devices(struct axl_client *c, struct axl_page *pg, struct j2w_err *err)
{
	size_t chunk = AXL_SQL_CHUNK, from = 0;
	char (*pkids)[37] = calloc(pg->n ? pg->n : 1, sizeof(*pkids));
	const char **list = calloc(pg->n ? pg->n : 1, sizeof(*list));
	int rc = -1;

	if (pkids == NULL || list == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		goto out;
	}
	while (from < pg->n) {
		struct strbuf sql, body;
		struct axl_fault fault;
		xmlDocPtr doc;
		xmlNodePtr ret;
		size_t n = 0, end = from + chunk < pg->n ? from + chunk : pg->n;
		int call;

		for (size_t i = from; i < end; i++) {
			axl_pkid_of(&pg->users[i], pkids[i]);
			if (pkids[i][0] != '\0')
				list[n++] = pkids[i];
		}
		if (n == 0) {
			from = end;
			continue;
		}
		strbuf_init(&sql, 0);
		strbuf_init(&body, 0);
		if (axl_build_device_sql(&sql, list, n) < 0 ||
		    axl_build_sql(&body, c->version, ++c->seq, sql.buf) < 0) {
			strbuf_release(&sql);
			strbuf_release(&body);
			err_set(err, J2W_ESYS, "out of memory");
			goto out;
		}
		call = axl_call(c, "executeSQLQuery", &body, &doc, &ret, &fault, err);
		strbuf_release(&sql);
		strbuf_release(&body);
		if (call < 0)
			goto out;
		if (call == 1) {
			unsigned long suggested;

			if (axl_fault_too_large(&fault, &suggested) && chunk > 1) {
				chunk /= 2;
				continue;
			}
			axl_fault_error(c, "executeSQLQuery", &fault, err);
			goto out;
		}
		if (axl_apply_device_rows(pg, ret) < 0) {
			xmlFreeDoc(doc);
			err_set(err, J2W_ESYS, "out of memory");
			goto out;
		}
		xmlFreeDoc(doc);
		from = end;
	}
	rc = 0;
out:
	free(pkids);
	free(list);
	return rc;
}

/* The user IDs a pull has seen, to notice a server that serves them twice. */
struct axl_seen {
	char **ids;		/* open addressing; cap is a power of two */
	size_t cap;
	size_t n;
};

static void
axl_seen_release(struct axl_seen *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->ids[i]);
	free(s->ids);
	memset(s, 0, sizeof(*s));
}

static size_t
axl_seen_hash(const char *id)
{
	size_t h = 5381;

	for (; *id; id++)
		h = h * 33 + (unsigned char)*id;
	return h;
}

/* Adds id; returns 1 when it was there already, 0 when added, -1 on ENOMEM. */
static int
axl_seen_add(struct axl_seen *s, const char *id)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **ids = calloc(cap, sizeof(*ids));

		if (ids == NULL)
			return -1;
		for (size_t k = 0; k < s->cap; k++) {
			if (s->ids[k] == NULL)
				continue;
			for (i = axl_seen_hash(s->ids[k]) & (cap - 1); ids[i] != NULL; i = (i + 1) & (cap - 1))
				;
			ids[i] = s->ids[k];
		}
		free(s->ids);
		s->ids = ids;
		s->cap = cap;
	}
	/* exact comparison: two accounts differing only in case are two accounts */
	for (i = axl_seen_hash(id) & (s->cap - 1); s->ids[i] != NULL; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->ids[i], id) == 0)
			return 1;
	s->ids[i] = strdup(id);
	if (s->ids[i] == NULL)
		return -1;
	s->n++;
	return 0;
}

/* Appends s with control characters, quotes and backslashes escaped (for messages). */
static int
axl_add_visible(struct strbuf *sb, const char *s)
{
	int rc = 0;

	for (; *s && rc == 0; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == '\'')
			rc = strbuf_addf(sb, "\\x%02x", ch);
		else
			rc = strbuf_addch(sb, ch);
	}
	return rc;
}

/* What the pull keeps between pages. */
struct axl_pull {
	struct axl_seen seen;
	axl_problem_fn problem;
	void *ctx;
	struct strbuf why;
};

static void
axl_report(struct axl_client *c, struct axl_pull *pull, const struct user *u, xmlNodePtr node)
{
	xmlChar *uuid = NULL;

	if (pull->problem == NULL)
		return;
	strbuf_reset(&pull->why);
	strbuf_addf(&pull->why, "axl:%s: ", c->host);
	if (u->userid == NULL) {
		uuid = xmlGetProp(node, (const xmlChar *)"uuid");
		strbuf_addstr(&pull->why, "a user without a userid (uuid '");
		axl_add_visible(&pull->why, uuid != NULL ? (const char *)uuid : "");
		strbuf_addstr(&pull->why, "')");
		xmlFree(uuid);
	} else {
		strbuf_addstr(&pull->why, "user '");
		axl_add_visible(&pull->why, u->userid);
		if (u->uuid == NULL) {
			strbuf_addstr(&pull->why, "': no uuid, so its devices cannot be read");
		} else {
			strbuf_addstr(&pull->why, "': uuid '");
			axl_add_visible(&pull->why, u->uuid);
			strbuf_addstr(&pull->why, "' is not a GUID, so its devices cannot be read");
		}
	}
	pull->problem(pull->why.buf, pull->ctx);
}

static int
axl_read_page(struct axl_client *c, xmlNodePtr ret, unsigned long skip, unsigned long first,
    struct axl_pull *pull, struct axl_page *pg, struct j2w_err *err)
{
	char source[300];
	size_t cap = 0, count = 0;

	for (xmlNodePtr n = xml_child(ret, "user"); n != NULL; n = xml_next_named(n))
		count++;
	/* a server that ignores first would otherwise be read whole, page after page */
	if (count > first)
		return err_set(err, J2W_ESYS, "AXL at '%s' answered %zu users to a listUser page of %lu "
		    "(skip %lu): it, or a proxy before it, does not page; stopped", c->url, count,
		    first, skip);
	snprintf(source, sizeof(source), "axl:%s", c->host);
	for (xmlNodePtr n = xml_child(ret, "user"); n != NULL; n = xml_next_named(n)) {
		int rc;

		if (pg->n == cap) {
			struct user *more;

			cap = cap ? cap * 2 : 64;
			more = realloc(pg->users, cap * sizeof(*more));
			if (more == NULL)
				return err_set(err, J2W_ESYS, "out of memory");
			pg->users = more;
		}
		user_init(&pg->users[pg->n]);
		rc = axl_user_from_node(n, source, &pg->users[pg->n]);
		if (rc < 0) {
			user_release(&pg->users[pg->n]);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		if (rc == 0 || rc == 2) {
			int seen = axl_seen_add(&pull->seen, pg->users[pg->n].userid);

			if (seen < 0) {
				user_release(&pg->users[pg->n]);
				return err_set(err, J2W_ESYS, "out of memory");
			}
			if (seen > 0) {
				struct strbuf id;

				strbuf_init(&id, 0);
				axl_add_visible(&id, pg->users[pg->n].userid);
				err_set(err, J2W_ESYS, "AXL at '%s' answered user '%s' again at skip %lu: it, "
				    "or a proxy before it, ignores skip; stopped", c->url,
				    id.buf, skip);
				strbuf_release(&id);
				user_release(&pg->users[pg->n]);
				return -1;
			}
		}
		if (rc != 0) {
			axl_report(c, pull, &pg->users[pg->n], n);
			user_release(&pg->users[pg->n]);
			continue;
		}
		pg->n++;
	}
	return 0;
}

static int axl_pull_pages(struct axl_client *c, unsigned long page_size, axl_user_fn fn,
    axl_progress_fn progress, void *ctx, struct axl_pull *pull, struct j2w_err *err);

int
axl_list_users(struct axl_client *c, unsigned long page_size, axl_user_fn fn,
    axl_problem_fn problem, axl_progress_fn progress, void *ctx, struct j2w_err *err)
{
	struct axl_pull pull = { .problem = problem, .ctx = ctx };
	int rc;

	strbuf_init(&pull.why, 0);
	rc = axl_pull_pages(c, page_size, fn, progress, ctx, &pull, err);
	axl_seen_release(&pull.seen);
	strbuf_release(&pull.why);
	return rc;
}

static int
axl_pull_pages(struct axl_client *c, unsigned long page_size, axl_user_fn fn,
    axl_progress_fn progress, void *ctx, struct axl_pull *pull, struct j2w_err *err)
{
	unsigned long skip = 0, first = page_size, done = 0;

	for (;;) {
		struct axl_page pg = { 0 };
		struct axl_fault fault;
		struct strbuf body;
		xmlDocPtr doc;
		xmlNodePtr ret;
		int call, empty, stop = 0;

		strbuf_init(&body, 0);
		if (axl_build_list_user(&body, c->version, ++c->seq, skip, first) < 0) {
			strbuf_release(&body);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		call = axl_call(c, "listUser", &body, &doc, &ret, &fault, err);
		strbuf_release(&body);
		if (call < 0)
			return -1;
		if (call == 1) {
			unsigned long suggested;

			if (axl_fault_too_large(&fault, &suggested) && first > 1) {
				/* peers keep a safety margin below the server's suggestion */
				unsigned long smaller = suggested ? suggested * 7 / 10 : first / 2;

				first = smaller > 0 && smaller < first ? smaller : first / 2;
				continue;
			}
			return axl_fault_error(c, "listUser", &fault, err);
		}
		empty = xml_child(ret, "user") == NULL;
		if (axl_read_page(c, ret, skip, first, pull, &pg, err) < 0) {
			xmlFreeDoc(doc);
			axl_page_release(&pg);
			return -1;
		}
		xmlFreeDoc(doc);
		if (empty) {
			axl_page_release(&pg);
			return 0;
		}
		if (axl_fetch_devices(c, &pg, err) < 0) {
			axl_page_release(&pg);
			return -1;
		}
		for (size_t i = 0; i < pg.n && !stop; i++)
			stop = fn(&pg.users[i], ctx);
		done += pg.n;
		axl_page_release(&pg);
		if (stop)
			return stop;
		if (progress != NULL)
			progress(done, ctx);
		skip += first;
	}
}
