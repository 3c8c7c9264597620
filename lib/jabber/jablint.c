/* Lint and trim rules for jabber-config.xml, driven by the parameter dictionary. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jabber/jablint.h"

struct lint {
	const char *file;
	const struct jablint_opts *o;
	jablint_emit_fn emit;
	void *ctx;
	struct j2w_err *err;
	int stopped;
};

/*
 * Emits one finding. evidence gets file and line; extra (may be NULL) is a
 * NULL-terminated list of key, value pairs of strings.
 */
static int
emit(struct lint *l, const char *check, enum severity sev, unsigned long line,
    const char *path, const char *message, ...)
{
	json_t *ev = json_object(), *f;
	char subject[4096];
	va_list ap;
	const char *k;

	if (l->stopped)
		return -1;
	if (ev == NULL)
		return err_set(l->err, J2W_ESYS, "out of memory");
	json_object_set_new(ev, "file", json_string(l->file));
	if (line > 0) {
		json_object_set_new(ev, "line", json_integer((json_int_t)line));
		snprintf(subject, sizeof(subject), "%s:%lu", l->file, line);
	} else {
		snprintf(subject, sizeof(subject), "%s", l->file);
	}
	if (path != NULL)
		json_object_set_new(ev, "path", json_string(path));
	va_start(ap, message);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);

		if (v != NULL)
			json_object_set_new(ev, k, json_string(v));
	}
	va_end(ap);
	f = finding_new(JL_TOOL, check, sev, subject, NULL, message, ev);
	if (f == NULL)
		return err_set(l->err, J2W_ESYS, "cannot encode a finding for '%s'", l->file);
	if (l->emit(f, sev, l->ctx) < 0) {
		l->stopped = 1;
		return err_set(l->err, J2W_ESYS, "cannot write findings");
	}
	return 0;
}

size_t
jablint_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), prev[128], cur[128];

	if (la >= 127 || lb >= 127)
		return cap + 1;
	if (la > lb + cap || lb > la + cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t best;

		cur[0] = i;
		best = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] +
			    (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > cap)
			return cap + 1;
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

/* The dictionary name closest to name (distance at most 2), or NULL. */
static const struct jabparams_param *
nearest(const struct jabparams_dict *d, const char *name)
{
	const struct jabparams_param *best = NULL;
	size_t bestd = 3;

	for (size_t i = 0; i < d->n; i++) {
		size_t dist = jablint_distance(name, d->p[i].name, 2);

		if (dist < bestd) {
			bestd = dist;
			best = &d->p[i];
		}
	}
	return best;
}

static int
ends_with_password(const char *name)
{
	size_t n = strlen(name);

	return n >= 8 && strcasecmp(name + n - 8, "password") == 0;
}

/*
 * Takes "FILE:N: message" or "FILE: message" from the parser: returns N (0 when
 * none) and points *rest at the message.
 */
static unsigned long
error_line(const char *msg, const char *file, const char **rest)
{
	size_t n = strlen(file);
	const char *p = msg + n;
	unsigned long line = 0;

	*rest = msg;
	if (strncmp(msg, file, n) != 0 || *p != ':')
		return 0;
	p++;
	while (isdigit((unsigned char)*p))
		line = line * 10 + (unsigned long)(*p++ - '0');
	if (line > 0 && *p == ':')
		p++;
	while (*p == ' ')
		p++;
	*rest = p;
	return line;
}

static int
bool_equal(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/*
 * The settings the LDAP bind check needs, as last seen in the file (Jabber
 * uses one value per name). Values are owned.
 */
enum bind_key { BK_SERVERTYPE, BK_PASSWORD, BK_CREDSFROM, BK_USESSL, BK_SECURECONN, BK_PORT1,
	BK_BDIPASSWORD, BK_BDITLS, BK_BDIPORT1, BK_N };
static const char *const bind_names[BK_N] = { "DirectoryServerType", "ConnectionPassword",
	"LDAP_UseCredentialsFrom", "UseSSL", "UseSecureConnection", "ServerPort1",
	"BDIConnectionPassword", "BDIEnableTLS", "BDIServerPort1" };

struct bind {
	char *value[BK_N];
	unsigned long line[BK_N];
	char path[BK_N][1024];
};

static void
bind_note(struct bind *b, const char *name, const char *path, const char *value, unsigned long line)
{
	for (size_t k = 0; k < BK_N; k++)
		if (strcmp(bind_names[k], name) == 0) {
			char *v = strdup(value);

			if (v == NULL)
				return;	/* the check is skipped for this name; nothing else depends on it */
			free(b->value[k]);
			b->value[k] = v;
			b->line[k] = line;
			snprintf(b->path[k], sizeof(b->path[k]), "%s", path);
			return;
		}
}

static void
bind_release(struct bind *b)
{
	for (size_t k = 0; k < BK_N; k++)
		free(b->value[k]);
}

static int
is_true(const char *v)
{
	return v != NULL && (strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

static int
is_false(const char *v)
{
	return v != NULL && (strcasecmp(v, "false") == 0 || strcmp(v, "0") == 0);
}

static int
set(const char *v)
{
	return v != NULL && *v != '\0';
}

static int
port_is(const char *v, const char *a, const char *b)
{
	return v != NULL && (strcmp(v, a) == 0 || strcmp(v, b) == 0);
}

/*
 * Bind credentials and plain LDAP (12.8 UseSSL: plain when false, or when unset
 * with port 389 or 3268; 10.5 BDIEnableTLS: false by default; UseSecureConnection
 * 1 binds with GSS-API, not a password).
 */
static int
check_bind(struct lint *l, const struct bind *b)
{
	char msg[2048];
	int rc = 0;

	if (b->value[BK_SERVERTYPE] != NULL && strcasecmp(b->value[BK_SERVERTYPE], "UDS") == 0)
		return 0;
	if ((set(b->value[BK_PASSWORD]) || set(b->value[BK_CREDSFROM])) &&
	    !is_true(b->value[BK_SECURECONN])) {
		enum bind_key at = set(b->value[BK_PASSWORD]) ? BK_PASSWORD : BK_CREDSFROM;
		const char *ssl = b->value[BK_USESSL], *port = b->value[BK_PORT1];
		char what[512];
		enum severity sev = SEV_FAIL;

		if (at == BK_PASSWORD)
			snprintf(what, sizeof(what), "the directory password");
		else
			snprintf(what, sizeof(what), "each user's %.200s password",
			    b->value[BK_CREDSFROM]);
		msg[0] = '\0';
		if (is_false(ssl))
			snprintf(msg, sizeof(msg), "%s goes to the directory over plain LDAP: UseSSL "
			    "is %s (line %lu)", what, ssl, b->line[BK_USESSL]);
		else if (ssl == NULL && port_is(port, "389", "3268"))
			snprintf(msg, sizeof(msg), "%s goes to the directory over plain LDAP: UseSSL "
			    "is not set and the server port is %s", what, port);
		else if (ssl == NULL && port == NULL) {
			snprintf(msg, sizeof(msg), "nothing turns on LDAPS for %s: without UseSSL "
			    "set to true Jabber binds in plain text on ports 389 and 3268, the ports "
			    "of a discovered domain controller or Global Catalog", what);
			sev = SEV_WARN;
		}
		if (msg[0] != '\0')
			rc |= emit(l, "JC-LDAP-CLEARTEXT", sev, b->line[at], b->path[at], msg, NULL);
	}
	if (set(b->value[BK_BDIPASSWORD]) && !is_true(b->value[BK_BDITLS]) &&
	    !port_is(b->value[BK_BDIPORT1], "636", "3269")) {
		if (b->value[BK_BDITLS] != NULL)
			snprintf(msg, sizeof(msg), "the BDI directory password goes to the directory "
			    "over plain LDAP: BDIEnableTLS is %s (line %lu)", b->value[BK_BDITLS],
			    b->line[BK_BDITLS]);
		else
			snprintf(msg, sizeof(msg), "the BDI directory password goes to the directory "
			    "over plain LDAP: BDIEnableTLS is not set (false by default)");
		rc |= emit(l, "JC-LDAP-CLEARTEXT", SEV_FAIL, b->line[BK_BDIPASSWORD],
		    b->path[BK_BDIPASSWORD], msg, NULL);
	}
	return rc;
}

/* "'A'", "'A' or 'B'", "'A', 'B' or 'C'" into out. */
static void
quote_names(const struct jabparams_param **v, size_t n, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t k = 0; k < n && len < size; k++) {
		int w = snprintf(out + len, size - len, "%s'%s'", k == 0 ? "" : k + 1 == n ? " or " :
		    ", ", v[k]->name);

		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/*
 * Which dictionary entry stands for element name in group: the exact spelling
 * when it may stand there, else a documented spelling that differs only in
 * case. *case_only is set when the element's own spelling is not a
 * jabber-config spelling Cisco prints (JC-CASE); variants receives the
 * documented spellings for the message.
 */
static const struct jabparams_param *
resolve(const struct jabparams_dict *dict, const char *name, const char *group, int *case_only,
    const struct jabparams_param **variants, size_t *nvariants)
{
	const struct jabparams_param *p = jabparams_find(dict, name), *pick = NULL;
	const struct jabparams_param *all[8];
	size_t n = jabparams_find_fold_all(dict, name, all, 8);

	*case_only = 0;
	*nvariants = 0;
	if (p != NULL && p->status != JP_ELSEWHERE && jabparams_in_group(p, group))
		return p;
	/* a documented spelling of the same parameter that belongs here */
	for (size_t k = 0; k < n; k++)
		if (all[k] != p && all[k]->status != JP_ELSEWHERE && jabparams_in_group(all[k], group)) {
			pick = all[k];
			break;
		}
	for (size_t k = 0; pick == NULL && k < n; k++)
		if (all[k] != p && all[k]->status != JP_ELSEWHERE)
			pick = all[k];
	if (p != NULL && (pick == NULL || p->status != JP_ELSEWHERE)) {
		/* Cisco prints this spelling: another group of the same parameter is fine */
		return pick != NULL && jabparams_in_group(pick, group) ? pick : p;
	}
	if (pick == NULL && n > 0)
		pick = all[0];
	if (pick != NULL) {
		*case_only = 1;
		for (size_t k = 0; k < n; k++)
			if (all[k]->status != JP_ELSEWHERE || pick->status == JP_ELSEWHERE)
				variants[(*nvariants)++] = all[k];
	}
	return pick;
}

static int
check_param(struct lint *l, const struct jabcfg_doc *d, size_t i, const char *group,
    const char *written_group, long *seen_first, struct bind *bind)
{
	const struct jabcfg_elem *e = &d->el[i];
	const struct jabparams_dict *dict = l->o->dict;
	const struct jabparams_param *p, *variants[8];
	size_t nvariants;
	char path[1024], msg[4096], names[1024];
	char *value = jabcfg_value(d, i);
	int rc = 0, case_only;

	if (value == NULL)
		return err_set(l->err, J2W_ESYS, "out of memory");
	snprintf(path, sizeof(path), "%s/%s", written_group, e->name);
	if (ends_with_password(e->name) && *value != '\0') {
		snprintf(msg, sizeof(msg), "'%s' holds a password in plain text; a TFTP-served "
		    "file can be read by anyone who reaches port 6970", e->name);
		rc |= emit(l, "JC-PASSWORD", SEV_FAIL, e->line, path, msg, NULL);
	}
	p = resolve(dict, e->name, group, &case_only, variants, &nvariants);
	if (p == NULL) {
		const struct jabparams_param *near = nearest(dict, e->name);

		if (near != NULL)
			snprintf(msg, sizeof(msg), "unknown parameter '%s'; did you mean '%s'?",
			    e->name, near->name);
		else
			snprintf(msg, sizeof(msg), "unknown parameter '%s' (not in the "
			    "dictionary)", e->name);
		rc |= emit(l, "JC-UNKNOWN", SEV_WARN, e->line, path, msg, "suggest",
		    near != NULL ? near->name : NULL, NULL);
		free(value);
		return rc;
	}
	if (case_only) {
		quote_names(variants, nvariants, names, sizeof(names));
		snprintf(msg, sizeof(msg), "'%s' differs only in case from %s, the spelling in "
		    "Cisco's documents; Cisco does not say whether case matters: write it as "
		    "documented", e->name, names);
		rc |= emit(l, "JC-CASE", SEV_WARN, e->line, path, msg, "suggest", p->name, NULL);
	}
	if (p->status == JP_ELSEWHERE) {
		snprintf(msg, sizeof(msg), "'%s' is not read from jabber-config.xml: %s", e->name,
		    p->meaning);
		rc |= emit(l, "JC-ELSEWHERE", SEV_WARN, e->line, path, msg, NULL);
		free(value);
		return rc;
	}
	if (!jabparams_in_group(p, group)) {
		snprintf(msg, sizeof(msg), "'%s' belongs in <%s>, not <%s>", e->name, p->groups[0],
		    group);
		rc |= emit(l, "JC-PLACE", SEV_WARN, e->line, path, msg, "suggest", p->groups[0],
		    NULL);
	}
	if (p->status == JP_OLD) {
		snprintf(msg, sizeof(msg), "'%s' is an older parameter: %s", e->name, p->meaning);
		rc |= emit(l, "JC-LEGACY", SEV_INFO, e->line, path, msg, "suggest", p->replacement,
		    NULL);
	}
	if (seen_first[p->canon] > 0) {
		snprintf(msg, sizeof(msg), "'%s' is set again (first on line %ld); Jabber "
		    "uses one of them", e->name, seen_first[p->canon]);
		rc |= emit(l, "JC-DUPLICATE", SEV_WARN, e->line, path, msg, NULL);
	} else {
		seen_first[p->canon] = (long)e->line;
	}
	if (p->type != JP_XML && e->nchildren > 0) {
		snprintf(msg, sizeof(msg), "'%s' expects text, not nested elements", e->name);
		rc |= emit(l, "JC-VALUE", SEV_FAIL, e->line, path, msg, NULL);
	} else {
		struct strbuf why;
		enum jabparams_verdict v;
		int secret = ends_with_password(e->name);

		strbuf_init(&why, 4096);
		v = jabparams_check_value(p, value, &why);
		if (v != JP_VALUE_OK || why.len > 0) {
			struct strbuf type;
			enum severity sev = v == JP_VALUE_BAD ? SEV_FAIL : v == JP_VALUE_WARN ?
			    SEV_WARN : SEV_INFO;
			const char *check = v == JP_VALUE_BAD && p->type == JP_LDAPFILTER ?
			    "JC-LDAP-FILTER" : v == JP_VALUE_OK ? "JC-LEGACY" : "JC-VALUE";

			strbuf_init(&type, 4096);
			jabparams_type_describe(p, &type);
			if (v == JP_VALUE_OK)
				snprintf(msg, sizeof(msg), "'%s' value %s", e->name, why.buf);
			else if (strcmp(check, "JC-LDAP-FILTER") == 0)
				snprintf(msg, sizeof(msg), "'%s' %s: every directory search fails",
				    e->name, why.buf);
			else
				snprintf(msg, sizeof(msg), "'%s' %s", e->name, why.buf);
			rc |= emit(l, check, sev, e->line, path, msg, "value", secret ? NULL : value,
			    "type", type.buf, NULL);
			strbuf_release(&type);
		} else if (strcmp(p->name, "VoiceServicesDomain") == 0 && *value != '\0') {
			snprintf(msg, sizeof(msg), "check the SRV records of voice services domain "
			    "'%s' (j2w-dns-check --vsd %s)", value, value);
			rc |= emit(l, "JC-VSD", SEV_INFO, e->line, path, msg, "value", value, NULL);
		}
		strbuf_release(&why);
	}
	bind_note(bind, p->name, path, value, e->line);
	free(value);
	return rc;
}

/* The profile's settings against the file: each present, with the wanted value. */
static int
check_profile(struct lint *l, const struct jabcfg_doc *d)
{
	int rc = 0;

	for (size_t w = 0; w < l->o->nwant; w++) {
		const struct jabcfg_setting *s = &l->o->want[w];
		char path[1024], msg[2048];
		long at = -1;
		char *value = NULL;

		for (size_t i = 0; i < d->n; i++)
			if (d->el[i].depth == 2 && strcmp(d->el[i].name, s->param) == 0)
				at = (long)i;	/* the last one wins when repeated */
		snprintf(path, sizeof(path), "%s/%s", s->group, s->param);
		if (at < 0) {
			if (*s->value != '\0')
				snprintf(msg, sizeof(msg), "%s profile: '%s' is missing (want %s)",
				    l->o->profile, path, s->value);
			else
				snprintf(msg, sizeof(msg), "%s profile: '%s' is missing", l->o->profile,
				    path);
			rc |= emit(l, "JC-PROFILE", SEV_FAIL, 0, path, msg, "profile", l->o->profile,
			    "expected", *s->value ? s->value : NULL, NULL);
			continue;
		}
		value = jabcfg_value(d, (size_t)at);
		if (value == NULL)
			return err_set(l->err, J2W_ESYS, "out of memory");
		if (*s->value == '\0' ? *value == '\0' : !bool_equal(value, s->value)) {
			if (*s->value != '\0')
				snprintf(msg, sizeof(msg), "%s profile: '%s' is '%s', want %s",
				    l->o->profile, path, value, s->value);
			else
				snprintf(msg, sizeof(msg), "%s profile: '%s' is empty", l->o->profile,
				    path);
			rc |= emit(l, "JC-PROFILE", SEV_FAIL, d->el[at].line, path, msg, "profile",
			    l->o->profile, "value", value, "expected", *s->value ? s->value : NULL,
			    NULL);
		}
		free(value);
	}
	return rc;
}

int
jablint_lint(const char *buf, size_t len, const char *file, const struct jablint_opts *o,
    jablint_emit_fn emitfn, void *ctx, struct j2w_err *err)
{
	struct lint l = { file, o, emitfn, ctx, err, 0 };
	struct bind bind;
	struct jabcfg_doc d;
	struct j2w_err perr;
	long *seen;
	char msg[2048];
	int rc = 0;

	if (jabcfg_parse(&d, buf, len, file, &perr) < 0) {
		const char *rest;
		unsigned long line;

		if (perr.status == J2W_ESYS) {
			*err = perr;
			return -1;
		}
		line = error_line(perr.msg, file, &rest);
		snprintf(msg, sizeof(msg), "%s%s; Jabber ignores the whole file", rest,
		    strstr(rest, "EntityRef") != NULL || strstr(rest, "xmlParseEntityRef") != NULL ?
		    " (write a literal & as &amp;)" : "");
		return emit(&l, "JC-XML", SEV_FAIL, line, NULL, msg, NULL) < 0 ? -1 : 0;
	}
	memset(&bind, 0, sizeof(bind));
	seen = calloc(o->dict->n ? o->dict->n : 1, sizeof(long));
	if (seen == NULL) {
		jabcfg_release(&d);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	{
		char *version = jabcfg_attr(&d, 0, "version");

		if (strcmp(d.el[0].name, "config") != 0) {
			snprintf(msg, sizeof(msg), "the root element is <%s>; Jabber wants "
			    "<config version=\"1.0\">", d.el[0].name);
			rc |= emit(&l, "JC-ROOT", SEV_FAIL, d.el[0].line, d.el[0].name, msg, NULL);
		} else if (version == NULL || strcmp(version, "1.0") != 0) {
			snprintf(msg, sizeof(msg), "<config> has %s%s%s; Jabber wants version=\"1.0\"",
			    version ? "version=\"" : "no version attribute", version ? version : "",
			    version ? "\"" : "");
			rc |= emit(&l, "JC-ROOT", SEV_FAIL, d.el[0].line, "config", msg, "value",
			    version, NULL);
		}
		free(version);
	}
	for (size_t i = 1; i < d.n && rc == 0; i++) {
		const struct jabcfg_elem *e = &d.el[i];
		const char *group;

		if (e->depth == 1) {
			const struct jabparams_param *p;

			if (jabparams_group_find(e->name, 0) != NULL)
				continue;
			group = jabparams_group_find(e->name, 1);
			p = jabparams_find(o->dict, e->name);
			if (group != NULL)
				snprintf(msg, sizeof(msg), "<%s> is not a group (Jabber ignores it and "
				    "everything in it); did you mean <%s>?", e->name, group);
			else if (p != NULL && p->ngroups > 0)
				snprintf(msg, sizeof(msg), "parameter '%s' directly under <config>; put "
				    "it in <%s>", e->name, p->groups[0]);
			else if (p != NULL)
				snprintf(msg, sizeof(msg), "parameter '%s' directly under <config>; put "
				    "it in a group", e->name);
			else
				snprintf(msg, sizeof(msg), "<%s> is not one of the seven groups (Client, "
				    "Directory, Options, Phone, Policies, Presence, Voicemail)", e->name);
			rc |= emit(&l, "JC-GROUP", SEV_FAIL, e->line, e->name, msg, "suggest",
			    group != NULL ? group : p != NULL && p->ngroups > 0 ? p->groups[0] : NULL,
			    NULL);
			continue;
		}
		if (e->depth == 2) {
			group = jabparams_group_find(d.el[e->parent].name, 1);
			if (group == NULL && jabparams_find(o->dict, d.el[e->parent].name) == NULL)
				continue;	/* inside an unknown element: reported once above */
			if (group == NULL)
				continue;
			rc |= check_param(&l, &d, i, group, d.el[e->parent].name, seen, &bind);
			continue;
		}
		if (e->depth > 2 && ends_with_password(e->name)) {
			char *v = jabcfg_value(&d, i);

			if (v != NULL && *v != '\0') {
				snprintf(msg, sizeof(msg), "'%s' holds a password in plain text; a "
				    "TFTP-served file can be read by anyone who reaches port 6970",
				    e->name);
				rc |= emit(&l, "JC-PASSWORD", SEV_FAIL, e->line, e->name, msg, NULL);
			}
			free(v);
		}
	}
	if (rc == 0)
		rc |= check_bind(&l, &bind);
	if (rc == 0 && o->profile != NULL && strcmp(d.el[0].name, "config") == 0)
		rc |= check_profile(&l, &d);
	bind_release(&bind);
	free(seen);
	jabcfg_release(&d);
	return rc < 0 ? -1 : 0;
}

long
jablint_trim(struct jabcfg_doc *d, const struct jabparams_dict *dict, const char *name,
    jablint_removed_fn removed, void *ctx, struct j2w_err *err)
{
	const char **why = calloc(d->n ? d->n : 1, sizeof(char *));
	char (*spelt)[160] = calloc(d->n ? d->n : 1, sizeof(*spelt));
	long count = 0;
	size_t n = d->n;

	if (why == NULL || spelt == NULL) {
		free(why);
		free(spelt);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	/* decide on the original document, so that reports carry its line numbers */
	for (size_t k = 1; k < n; k++) {
		const struct jabcfg_elem *e = &d->el[k];
		const struct jabparams_param *p;

		if (e->depth != 2)
			continue;
		p = jabparams_find(dict, e->name);
		if (jabparams_group_find(d->el[e->parent].name, 0) == NULL) {
			why[k] = "outside the seven groups";
		} else if (p == NULL || !p->webex) {
			const struct jabparams_param *v[8];
			size_t nv = jabparams_find_fold_all(dict, e->name, v, 8);

			why[k] = p == NULL ? "unknown" : p->status == JP_ELSEWHERE ?
			    "not read from jabber-config.xml" : "not read by the Webex App";
			for (size_t x = 0; x < nv; x++)
				if (v[x]->webex) {
					/* the Webex App's appendix prints one spelling: name it */
					if (snprintf(spelt[k], sizeof(spelt[k]), "the Webex App reads it "
					    "spelt '%s'", v[x]->name) < (int)sizeof(spelt[k]))
						why[k] = spelt[k];
					break;
				}
		}
	}
	for (size_t k = 1; k < n; k++) {
		int keep = 0;

		if (d->el[k].depth != 1)
			continue;
		for (size_t c = k + 1; c < n && d->el[c].depth > 1; c++)
			if (d->el[c].depth == 2 && why[c] == NULL)
				keep = 1;
		if (!keep)
			why[k] = jabparams_group_find(d->el[k].name, 0) ? "no parameter left" :
			    "not a group";
	}
	for (size_t k = 1; k < n; k++)
		if (why[k] != NULL && removed != NULL)
			removed(d->el[k].depth == 1 ? d->el[k].name : d->el[d->el[k].parent].name,
			    d->el[k].depth == 1 ? NULL : d->el[k].name, d->el[k].line, why[k], ctx);
	/* remove from the end: the indexes of earlier elements do not move */
	for (size_t k = n; k-- > 1; ) {
		if (why[k] == NULL)
			continue;
		if (jabcfg_remove(d, k, name, err) < 0) {
			free(why);
			free(spelt);
			return -1;
		}
		count++;
	}
	free(why);
	free(spelt);
	return count;
}
