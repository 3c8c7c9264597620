/* LDAP directory look-ups: connect, TLS, bind, pipelined searches, RFC 4515 escaping. */
#define LDAP_DEPRECATED 0
#include <ldap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "identity/ldapdir.h"
#include "util/utf8.h"

struct ldapdir_slot {
	int msgid;	/* 0: free */
	size_t tag;
};

struct ldapdir {
	LDAP *ld;
	char *uri;
	char *base;
	char *filter;
	char *extra_attr;
	int timeout;
	int window;
	int pending;
	unsigned long searches;
	struct ldapdir_slot *slots;
	struct strbuf fbuf;
};

int
ldapdir_escape(struct strbuf *out, const char *value, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (c == '*' || c == '(' || c == ')' || c == '\\' || c < 0x20 || c == 0x7f) {
			if (strbuf_addf(out, "\\%02x", c) < 0)
				return -1;
		} else if (strbuf_addch(out, c) < 0) {
			return -1;
		}
	}
	return 0;
}

int
ldapdir_filter(struct strbuf *out, const char *tmpl, const char *userid, struct j2w_err *err)
{
	int depth = 0, has_u = 0;

	for (const char *p = tmpl; *p != '\0'; p++) {
		if (*p == '%') {
			if (p[1] == 'u') {
				if (ldapdir_escape(out, userid, strlen(userid)) < 0)
					return err_set(err, J2W_ESYS, "LDAP filter too long");
				has_u = 1;
				p++;
				continue;
			}
			if (p[1] != '%')
				return err_set(err, J2W_EUSAGE,
				    "LDAP filter template '%s': only %%u and %%%% may follow '%%'", tmpl);
			p++;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth < 0) {
			break;
		}
		if (strbuf_addch(out, *p) < 0)
			return err_set(err, J2W_ESYS, "LDAP filter too long");
	}
	if (depth != 0)
		return err_set(err, J2W_EUSAGE, "LDAP filter template '%s': unbalanced parentheses",
		    tmpl);
	if (!has_u)
		return err_set(err, J2W_EUSAGE, "LDAP filter template '%s' has no %%u", tmpl);
	return 0;
}

int
ldapdir_attr_valid(const char *a)
{
	if (*a == '\0')
		return 0;
	for (; *a; a++)
		if (!((*a >= 'a' && *a <= 'z') || (*a >= 'A' && *a <= 'Z') ||
		    (*a >= '0' && *a <= '9') || *a == '-' || *a == ';'))
			return 0;
	return 1;
}

static int
set_opt(LDAP *ld, int opt, const void *val, const char *what, struct j2w_err *err)
{
	int rc = ldap_set_option(ld, opt, val);

	if (rc != LDAP_OPT_SUCCESS)
		return err_set(err, J2W_ESYS, "cannot set LDAP option %s: %s", what,
		    ldap_err2string(rc));
	return 0;
}

/* Sets err to "WHAT 'URI' failed: reason (server diagnostic, or a hint)". Returns -1. */
static int
ld_fail(struct ldapdir *d, int rc, const char *what, struct j2w_err *err)
{
	const char *hint = "";
	char *m = NULL;

	ldap_get_option(d->ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &m);
	/* libldap says "(unknown error code)" when TLS fails; a hint helps more */
	if (m != NULL && strcmp(m, "(unknown error code)") == 0) {
		ldap_memfree(m);
		m = NULL;
	}
	if (rc == LDAP_CONNECT_ERROR && strncmp(what, "StartTLS", 8) == 0)
		hint = "the TLS handshake failed: is the server certificate trusted (--cacert) "
		    "and issued for this host name?";
	else if (rc == LDAP_SERVER_DOWN && strncmp(what, "search", 6) == 0 && d->searches > 0)
		hint = "the server closed the connection; a server that allows fewer requests "
		    "in flight (OpenLDAP: conn_max_pending, 100 when anonymous) does this: "
		    "lower --ldap-window";
	else if (rc == LDAP_SERVER_DOWN && strncasecmp(d->uri, "ldaps:", 6) == 0)
		hint = "server down, or the TLS handshake failed: is the server certificate "
		    "trusted (--cacert) and issued for this host name?";
	if (m != NULL && *m != '\0')
		err_set(err, J2W_ESYS, "%s '%s' failed: %s (%s)", what, d->uri,
		    ldap_err2string(rc), m);
	else if (*hint != '\0')
		err_set(err, J2W_ESYS, "%s '%s' failed: %s (%s)", what, d->uri,
		    ldap_err2string(rc), hint);
	else
		err_set(err, J2W_ESYS, "%s '%s' failed: %s", what, d->uri, ldap_err2string(rc));
	ldap_memfree(m);
	return -1;
}

static int
ldapdir_tls(struct ldapdir *d, const struct ldapdir_opts *o, struct j2w_err *err)
{
	int req = o->insecure ? LDAP_OPT_X_TLS_NEVER : LDAP_OPT_X_TLS_DEMAND;
	int zero = 0;

	if (set_opt(d->ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &req, "TLS_REQCERT", err) < 0)
		return -1;
	if (o->cacert != NULL &&
	    set_opt(d->ld, LDAP_OPT_X_TLS_CACERTFILE, o->cacert, "TLS_CACERT", err) < 0)
		return -1;
	/* the options above only apply to a new TLS context */
	return set_opt(d->ld, LDAP_OPT_X_TLS_NEWCTX, &zero, "TLS context", err);
}

int
ldapdir_open(struct ldapdir **out, const struct ldapdir_opts *o, struct j2w_err *err)
{
	struct ldapdir *d;
	struct berval cred = { 0, NULL };
	struct timeval tv;
	int version = LDAP_VERSION3, rc;
	int is_ldaps = strncasecmp(o->uri, "ldaps://", 8) == 0;
	int is_ldapi = strncasecmp(o->uri, "ldapi://", 8) == 0;

	*out = NULL;
	if (!is_ldaps && !is_ldapi && strncasecmp(o->uri, "ldap://", 7) != 0)
		return err_set(err, J2W_EUSAGE, "LDAP URI '%s' is not ldap://, ldaps:// or ldapi://",
		    o->uri);
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	strbuf_init(&d->fbuf, 65536);
	d->timeout = o->timeout > 0 ? o->timeout : 30;
	d->window = o->window > 0 ? o->window : LDAPDIR_DEFAULT_WINDOW;
	if (d->window > LDAPDIR_MAX_WINDOW)
		d->window = LDAPDIR_MAX_WINDOW;
	d->uri = strdup(o->uri);
	d->base = strdup(o->base);
	d->filter = strdup(o->filter != NULL ? o->filter : LDAPDIR_DEFAULT_FILTER);
	d->extra_attr = o->extra_attr != NULL ? strdup(o->extra_attr) : NULL;
	d->slots = calloc((size_t)d->window, sizeof(*d->slots));
	if (d->uri == NULL || d->base == NULL || d->filter == NULL || d->slots == NULL ||
	    (o->extra_attr != NULL && d->extra_attr == NULL)) {
		ldapdir_close(d);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	/* the template is checked once here, so a bad one is a usage error up front */
	if (ldapdir_filter(&d->fbuf, d->filter, "x", err) < 0) {
		ldapdir_close(d);
		return -1;
	}
	rc = ldap_initialize(&d->ld, o->uri);
	if (rc != LDAP_SUCCESS) {
		err_set(err, J2W_EUSAGE, "bad LDAP URI '%s': %s", o->uri, ldap_err2string(rc));
		ldapdir_close(d);
		return -1;
	}
	tv.tv_sec = d->timeout;
	tv.tv_usec = 0;
	if (set_opt(d->ld, LDAP_OPT_PROTOCOL_VERSION, &version, "version", err) < 0 ||
	    set_opt(d->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF, "referrals", err) < 0 ||
	    set_opt(d->ld, LDAP_OPT_NETWORK_TIMEOUT, &tv, "network timeout", err) < 0 ||
	    set_opt(d->ld, LDAP_OPT_TIMEOUT, &tv, "timeout", err) < 0 ||
	    (!is_ldapi && ldapdir_tls(d, o, err) < 0)) {
		ldapdir_close(d);
		return -1;
	}
	if (!is_ldaps && !is_ldapi && !o->plain) {
		rc = ldap_start_tls_s(d->ld, NULL, NULL);
		if (rc != LDAP_SUCCESS) {
			ld_fail(d, rc, "StartTLS with", err);
			ldapdir_close(d);
			return -1;
		}
	}
	if (o->bind_dn != NULL && o->password != NULL) {
		cred.bv_val = (char *)o->password;
		cred.bv_len = strlen(o->password);
	}
	rc = ldap_sasl_bind_s(d->ld, o->bind_dn != NULL ? o->bind_dn : "", LDAP_SASL_SIMPLE,
	    &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS) {
		if (o->bind_dn != NULL) {
			char what[512];

			snprintf(what, sizeof(what), "bind as '%s' to", o->bind_dn);
			ld_fail(d, rc, what, err);
		} else {
			ld_fail(d, rc, "anonymous bind to", err);
		}
		ldapdir_close(d);
		return -1;
	}
	*out = d;
	return 0;
}

void
ldapdir_close(struct ldapdir *d)
{
	if (d == NULL)
		return;
	if (d->ld != NULL)
		ldap_unbind_ext_s(d->ld, NULL, NULL);
	free(d->uri);
	free(d->base);
	free(d->filter);
	free(d->extra_attr);
	free(d->slots);
	strbuf_release(&d->fbuf);
	free(d);
}

int
ldapdir_pending(const struct ldapdir *d)
{
	return d->pending;
}

unsigned long
ldapdir_searches(const struct ldapdir *d)
{
	return d->searches;
}

int
ldapdir_submit(struct ldapdir *d, const char *userid, size_t tag, struct j2w_err *err)
{
	char *attrs[] = { "mail", "userPrincipalName", "proxyAddresses",
		"msRTCSIP-PrimaryUserAddress", d->extra_attr, NULL };
	struct timeval tv = { d->timeout, 0 };
	int msgid, rc, i;

	if (d->pending >= d->window)
		return err_set(err, J2W_ESYS, "internal: LDAP window full");
	strbuf_reset(&d->fbuf);
	if (ldapdir_filter(&d->fbuf, d->filter, userid, err) < 0)
		return -1;
	/* size limit 2: one entry is the answer, a second one makes it ambiguous */
	rc = ldap_search_ext(d->ld, d->base, LDAP_SCOPE_SUBTREE, d->fbuf.buf, attrs, 0, NULL,
	    NULL, &tv, 2, &msgid);
	if (rc == LDAP_FILTER_ERROR)
		return err_set(err, J2W_EUSAGE, "LDAP refuses the filter '%s'", d->fbuf.buf);
	if (rc != LDAP_SUCCESS)
		return ld_fail(d, rc, "search on", err);
	for (i = 0; i < d->window; i++) {
		if (d->slots[i].msgid == 0) {
			d->slots[i].msgid = msgid;
			d->slots[i].tag = tag;
			break;
		}
	}
	d->pending++;
	d->searches++;
	return 0;
}

/* A copy of an LDAP value as UTF-8 (Latin-1 when it is not), or NULL on ENOMEM. */
static char *
value_dup(const struct berval *bv, size_t skip)
{
	struct strbuf sb;
	const char *s = bv->bv_val + skip;
	size_t len = bv->bv_len - skip;

	strbuf_init(&sb, 0);
	if (memchr(s, '\0', len) != NULL)
		len = strlen(s);
	if (utf8_invalid_at(s, len) == len) {
		if (strbuf_add(&sb, s, len) < 0)
			goto fail;
	} else if (utf8_from_latin1(&sb, s, len) < 0) {
		goto fail;
	}
	return strbuf_detach(&sb, NULL);
fail:
	strbuf_release(&sb);
	return NULL;
}

/*
 * The first value of attr, after prefix (case-insensitive) when prefix is not
 * NULL; with must_prefix, values without it are skipped. Returns 0 or -1 (ENOMEM).
 */
static int
first_value(LDAP *ld, LDAPMessage *entry, const char *attr, const char *prefix,
    int must_prefix, char **out)
{
	struct berval **vals = ldap_get_values_len(ld, entry, attr);
	size_t plen = prefix != NULL ? strlen(prefix) : 0;
	int rc = 0;

	*out = NULL;
	if (vals == NULL)
		return 0;
	for (size_t i = 0; vals[i] != NULL; i++) {
		int has = plen > 0 && vals[i]->bv_len >= plen &&
		    strncasecmp(vals[i]->bv_val, prefix, plen) == 0;

		if (must_prefix && !has)
			continue;
		*out = value_dup(vals[i], has ? plen : 0);
		if (*out == NULL)
			rc = -1;
		break;
	}
	ldap_value_free_len(vals);
	return rc;
}

int
ldapdir_collect(struct ldapdir *d, size_t *tag, struct ldapdir_entry *e,
    struct j2w_err *err)
{
	struct timeval tv = { d->timeout, 0 };
	LDAPMessage *res = NULL, *m;
	int rc, msgid, code = LDAP_SUCCESS, i;
	char *matched = NULL, *text = NULL;

	memset(e, 0, sizeof(*e));
	if (d->pending == 0)
		return 0;
	rc = ldap_result(d->ld, LDAP_RES_ANY, LDAP_MSG_ALL, &tv, &res);
	if (rc == 0) {
		ldap_msgfree(res);
		return err_set(err, J2W_ESYS, "LDAP server '%s' did not answer within %d s",
		    d->uri, d->timeout);
	}
	if (rc < 0) {
		int lerr = LDAP_SERVER_DOWN;

		ldap_get_option(d->ld, LDAP_OPT_RESULT_CODE, &lerr);
		ldap_msgfree(res);
		return ld_fail(d, lerr, "search on", err);
	}
	msgid = ldap_msgid(res);
	for (i = 0; i < d->window; i++)
		if (d->slots[i].msgid == msgid)
			break;
	if (i == d->window) {
		ldap_msgfree(res);
		return err_set(err, J2W_ESYS, "LDAP server '%s' answered a search never sent",
		    d->uri);
	}
	*tag = d->slots[i].tag;
	d->slots[i].msgid = 0;
	d->pending--;
	for (m = ldap_first_message(d->ld, res); m != NULL; m = ldap_next_message(d->ld, m)) {
		int t = ldap_msgtype(m);

		if (t == LDAP_RES_SEARCH_ENTRY) {
			char *dn;

			if (++e->matches > 1) {
				e->matches = 2;
				continue;
			}
			dn = ldap_get_dn(d->ld, m);

			if (dn != NULL) {
				e->dn = strdup(dn);
				ldap_memfree(dn);
			}
			if (first_value(d->ld, m, "mail", NULL, 0, &e->mail) < 0 ||
			    first_value(d->ld, m, "userPrincipalName", NULL, 0, &e->upn) < 0 ||
			    first_value(d->ld, m, "proxyAddresses", "SIP:", 1, &e->proxy_sip) < 0 ||
			    first_value(d->ld, m, "msRTCSIP-PrimaryUserAddress", "sip:", 0,
			    &e->rtc_sip) < 0 ||
			    (d->extra_attr != NULL &&
			    first_value(d->ld, m, d->extra_attr, NULL, 0, &e->extra) < 0)) {
				ldap_msgfree(res);
				ldapdir_entry_release(e);
				return err_set(err, J2W_ESYS, "out of memory");
			}
		} else if (t == LDAP_RES_SEARCH_RESULT) {
			rc = ldap_parse_result(d->ld, m, &code, &matched, &text, NULL, NULL, 0);
			if (rc != LDAP_SUCCESS)
				code = rc;
		}
	}
	ldap_msgfree(res);
	if (code == LDAP_SIZELIMIT_EXCEEDED) {
		e->matches = 2;
		code = LDAP_SUCCESS;
	}
	if (code != LDAP_SUCCESS) {
		err_set(err, J2W_ESYS, "search of '%s' on '%s' failed: %s%s%s%s", d->base, d->uri,
		    ldap_err2string(code), text != NULL && *text ? " (" : "",
		    text != NULL ? text : "", text != NULL && *text ? ")" : "");
		ldap_memfree(matched);
		ldap_memfree(text);
		ldapdir_entry_release(e);
		return -1;
	}
	ldap_memfree(matched);
	ldap_memfree(text);
	return 1;
}

void
ldapdir_entry_release(struct ldapdir_entry *e)
{
	free(e->dn);
	free(e->mail);
	free(e->upn);
	free(e->proxy_sip);
	free(e->rtc_sip);
	free(e->extra);
	memset(e, 0, sizeof(*e));
}

/* Every value of attr, as UTF-8, appended to *vals. Returns 0 or -1 (ENOMEM). */
static int
all_values(LDAP *ld, LDAPMessage *entry, const char *attr, char ***vals, size_t *n,
    size_t *cap)
{
	struct berval **bv = ldap_get_values_len(ld, entry, attr);
	int rc = 0;

	for (size_t i = 0; bv != NULL && bv[i] != NULL && rc == 0; i++) {
		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 8;
			char **v = realloc(*vals, c * sizeof(*v));

			if (v == NULL) {
				rc = -1;
				break;
			}
			*vals = v;
			*cap = c;
		}
		(*vals)[*n] = value_dup(bv[i], 0);
		if ((*vals)[*n] == NULL)
			rc = -1;
		else
			(*n)++;
	}
	ldap_value_free_len(bv);
	return rc;
}

/* One entry of a scan: its keys, then (when wanted) its answer. Returns 0 or -1 with err. */
static int
scan_entry(struct ldapdir *d, struct ldapdir_scan *s, LDAPMessage *m, char ***vals,
    size_t *cap, struct j2w_err *err)
{
	struct ldapdir_entry e;
	size_t n = 0;
	int want = 0, rc = 0;
	char *dn;

	for (size_t i = 0; i < s->nkey_attrs && want == 0; i++)
		if (all_values(d->ld, m, s->key_attrs[i], vals, &n, cap) < 0)
			want = -1;
	if (want == 0)
		want = s->keys(s->ctx, *vals, n, err);
	else
		err_set(err, J2W_ESYS, "out of memory");
	for (size_t i = 0; i < n; i++)
		free((*vals)[i]);
	if (want <= 0)
		return want;
	memset(&e, 0, sizeof(e));
	e.matches = 1;
	dn = ldap_get_dn(d->ld, m);
	if (dn != NULL) {
		e.dn = strdup(dn);
		ldap_memfree(dn);
	}
	/* the same values, the same way, as ldapdir_collect takes them */
	if (first_value(d->ld, m, "mail", NULL, 0, &e.mail) < 0 ||
	    first_value(d->ld, m, "userPrincipalName", NULL, 0, &e.upn) < 0 ||
	    first_value(d->ld, m, "proxyAddresses", "SIP:", 1, &e.proxy_sip) < 0 ||
	    first_value(d->ld, m, "msRTCSIP-PrimaryUserAddress", "sip:", 0, &e.rtc_sip) < 0 ||
	    (d->extra_attr != NULL && first_value(d->ld, m, d->extra_attr, NULL, 0, &e.extra) < 0))
		rc = err_set(err, J2W_ESYS, "out of memory");
	else
		rc = s->entry(s->ctx, &e, err);
	ldapdir_entry_release(&e);
	return rc;
}

/* The end of one page: the result code and the cookie for the next. Returns 0 or -1 with err. */
static int
scan_page_end(struct ldapdir *d, struct ldapdir_scan *s, LDAPMessage *m, struct berval *cookie,
    struct j2w_err *err)
{
	LDAPControl **ctrls = NULL, *pr;
	char *matched = NULL, *text = NULL;
	int code = LDAP_SUCCESS, rc;
	ber_int_t estimate;

	rc = ldap_parse_result(d->ld, m, &code, &matched, &text, NULL, &ctrls, 0);
	if (rc != LDAP_SUCCESS)
		code = rc;
	ldap_memfree(cookie->bv_val);
	cookie->bv_val = NULL;
	cookie->bv_len = 0;
	if (code == LDAP_SUCCESS) {
		pr = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, ctrls, NULL);
		/* no control back: the server answered everything at once */
		if (pr != NULL && ldap_parse_pageresponse_control(d->ld, pr, &estimate, cookie) !=
		    LDAP_SUCCESS)
			code = LDAP_DECODING_ERROR;
	}
	ldap_controls_free(ctrls);
	if (code != LDAP_SUCCESS) {
		/* limits a bulk read runs into where a search per user would not */
		s->refused = code == LDAP_SIZELIMIT_EXCEEDED || code == LDAP_ADMINLIMIT_EXCEEDED ||
		    code == LDAP_UNAVAILABLE_CRITICAL_EXTENSION || code == LDAP_UNWILLING_TO_PERFORM;
		err_set(err, J2W_ESYS, "paged search of '%s' on '%s' failed: %s%s%s%s", d->base,
		    d->uri, ldap_err2string(code), text != NULL && *text ? " (" : "",
		    text != NULL ? text : "", text != NULL && *text ? ")" : "");
	}
	ldap_memfree(matched);
	ldap_memfree(text);
	s->pages += code == LDAP_SUCCESS;
	return code == LDAP_SUCCESS ? 0 : -1;
}

int
ldapdir_scan(struct ldapdir *d, struct ldapdir_scan *s, struct j2w_err *err)
{
	const char *attrs[6 + LDAPDIR_SCAN_KEYS_MAX];
	struct berval cookie = { 0, NULL };
	struct timeval tv = { d->timeout, 0 };
	char **vals = NULL;
	size_t na = 0, cap = 0;
	int rc = 0;

	s->entries = s->pages = 0;
	s->refused = 0;
	if (s->nkey_attrs > LDAPDIR_SCAN_KEYS_MAX)
		return err_set(err, J2W_EUSAGE, "more than %d key attributes", LDAPDIR_SCAN_KEYS_MAX);
	attrs[na++] = "mail";
	attrs[na++] = "userPrincipalName";
	attrs[na++] = "proxyAddresses";
	attrs[na++] = "msRTCSIP-PrimaryUserAddress";
	if (d->extra_attr != NULL)
		attrs[na++] = d->extra_attr;
	for (size_t i = 0; i < s->nkey_attrs; i++)
		attrs[na++] = s->key_attrs[i];
	attrs[na] = NULL;
	do {
		LDAPControl *page = NULL, *ctrls[2] = { NULL, NULL };
		int msgid, done = 0;

		rc = ldap_create_page_control(d->ld, LDAPDIR_PAGE_SIZE,
		    cookie.bv_val != NULL ? &cookie : NULL, 1, &page);
		if (rc != LDAP_SUCCESS) {
			rc = err_set(err, J2W_ESYS, "cannot make the paged-results control: %s",
			    ldap_err2string(rc));
			break;
		}
		ctrls[0] = page;
		rc = ldap_search_ext(d->ld, d->base, LDAP_SCOPE_SUBTREE, s->filter,
		    (char **)attrs, 0, ctrls, NULL, &tv, 0, &msgid);
		ldap_control_free(page);
		if (rc == LDAP_FILTER_ERROR) {
			rc = err_set(err, J2W_EUSAGE, "LDAP refuses the filter '%s'", s->filter);
			break;
		}
		if (rc != LDAP_SUCCESS) {
			rc = ld_fail(d, rc, "paged search on", err);
			break;
		}
		while (!done) {
			LDAPMessage *m = NULL;
			int t = ldap_result(d->ld, msgid, LDAP_MSG_ONE, &tv, &m);

			if (t == 0) {
				ldap_msgfree(m);
				rc = err_set(err, J2W_ESYS, "LDAP server '%s' did not answer within %d s",
				    d->uri, d->timeout);
				break;
			}
			if (t < 0) {
				int lerr = LDAP_SERVER_DOWN;

				ldap_get_option(d->ld, LDAP_OPT_RESULT_CODE, &lerr);
				ldap_msgfree(m);
				rc = ld_fail(d, lerr, "paged search on", err);
				break;
			}
			if (t == LDAP_RES_SEARCH_ENTRY) {
				if (s->budget > 0 && s->entries >= s->budget) {
					/* enough: the server forgets the rest with the search */
					ldap_msgfree(m);
					ldap_abandon_ext(d->ld, msgid, NULL, NULL);
					rc = 1;
					break;
				}
				s->entries++;
				rc = scan_entry(d, s, m, &vals, &cap, err);
			} else if (t == LDAP_RES_SEARCH_RESULT) {
				rc = scan_page_end(d, s, m, &cookie, err);
				done = 1;
				if (rc == 0 && s->progress != NULL)
					s->progress(s->ctx, s->entries);
			}
			ldap_msgfree(m);
			if (rc != 0)
				break;
		}
		if (rc != 0)
			break;
	} while (cookie.bv_val != NULL && cookie.bv_len > 0);
	ldap_memfree(cookie.bv_val);
	free(vals);
	return rc;
}
