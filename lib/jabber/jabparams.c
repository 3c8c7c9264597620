/* Loading templates/jabber-params.tsv and checking values against it. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jabber/jabparams.h"
#include "util/num.h"

const char *const jabparams_groups[7] = { "Client", "Directory", "Options", "Phone", "Policies",
	"Presence", "Voicemail" };

const char *
jabparams_group_find(const char *name, int fold)
{
	for (size_t i = 0; i < 7; i++)
		if ((fold ? strcasecmp : strcmp)(jabparams_groups[i], name) == 0)
			return jabparams_groups[i];
	return NULL;
}

static int
param_cmp(const void *a, const void *b)
{
	return strcmp(((const struct jabparams_param *)a)->name, ((const struct jabparams_param *)b)->name);
}

/* Splits s at sep in place into at most max fields; returns the count. */
static size_t
split(char *s, char sep, char **out, size_t max)
{
	size_t n = 0;

	while (n < max) {
		char *e = strchr(s, sep);

		out[n++] = s;
		if (e == NULL)
			break;
		*e = '\0';
		s = e + 1;
	}
	return n;
}

static int
parse_type(struct jabparams_param *p, char *t, const char *name, unsigned long line,
    struct j2w_err *err)
{
	char orig[128];

	snprintf(orig, sizeof(orig), "%s", t);
	p->min = LONG_MIN;
	p->max = LONG_MAX;
	if (strcmp(t, "string") == 0) {
		p->type = JP_STRING;
	} else if (strcmp(t, "bool") == 0) {
		p->type = JP_BOOL;
	} else if (strcmp(t, "url") == 0) {
		p->type = JP_URL;
	} else if (strcmp(t, "domain") == 0) {
		p->type = JP_DOMAIN;
	} else if (strcmp(t, "host") == 0) {
		p->type = JP_HOST;
	} else if (strcmp(t, "orgid") == 0) {
		p->type = JP_ORGID;
	} else if (strcmp(t, "xml") == 0) {
		p->type = JP_XML;
	} else if (strcmp(t, "photourl") == 0) {
		p->type = JP_PHOTOURL;
	} else if (strncmp(t, "list:", 5) == 0 && t[5] != '\0' && t[6] == '\0') {
		p->type = JP_LIST;
		p->sep = t[5];
	} else if (strncmp(t, "int:", 4) == 0) {
		char *dots = strstr(t + 4, "..");

		p->type = JP_INT;
		if (dots == NULL)
			goto bad;
		*dots = '\0';
		if (t[4] != '\0' && num_parse_long(t + 4, LONG_MIN, LONG_MAX, &p->min) < 0)
			goto bad;
		if (dots[2] != '\0' && num_parse_long(dots + 2, LONG_MIN, LONG_MAX, &p->max) < 0)
			goto bad;
		if (p->min > p->max)
			goto bad;
	} else if (strncmp(t, "enum:", 5) == 0 && t[5] != '\0') {
		char *v = t + 5;
		size_t n = 1;

		p->type = JP_ENUM;
		for (const char *c = v; *c; c++)
			n += *c == '|';
		p->enums = calloc(n, sizeof(char *));
		if (p->enums == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		p->nenums = split(v, '|', (char **)p->enums, n);
	} else {
		goto bad;
	}
	return 0;
bad:
	return err_set(err, J2W_EDATA, "%s:%lu: '%s' is not a type (bool, int:MIN..MAX, "
	    "enum:A|B, url, photourl, domain, host, orgid, list:SEP, string, xml)", name, line, orig);
}

int
jabparams_dict_parse(struct jabparams_dict *d, const char *buf, size_t len, const char *name,
    struct j2w_err *err)
{
	size_t cap = 0;
	unsigned long line = 0;
	char *s, *next;
	int header = 0;

	memset(d, 0, sizeof(*d));
	if (len > JP_FILE_MAX)
		return err_set(err, J2W_EDATA, "%s: larger than %zu bytes", name, JP_FILE_MAX);
	if (memchr(buf, '\0', len) != NULL)
		return err_set(err, J2W_EDATA, "%s: holds a NUL byte", name);
	d->text = malloc(len + 1);
	if (d->text == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	memcpy(d->text, buf, len);
	d->text[len] = '\0';
	for (s = d->text; s != NULL && *s != '\0'; s = next) {
		char *f[8], *g;
		struct jabparams_param *p;
		size_t nf;

		line++;
		next = strchr(s, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*s != '\0' && s[strlen(s) - 1] == '\r')
			s[strlen(s) - 1] = '\0';
		if (*s == '#' || *s == '\0')
			continue;
		nf = split(s, '\t', f, 8);
		if (nf != 7) {
			err_set(err, J2W_EDATA, "%s:%lu: %zu fields, want 7 (group, name, type, "
			    "default, webex, meaning, source)", name, line, nf);
			goto fail;
		}
		if (!header) {
			header = 1;
			if (strcmp(f[0], "group") == 0)
				continue;
		}
		if (d->n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct jabparams_param *np = realloc(d->p, ncap * sizeof(*np));

			if (np == NULL) {
				err_set(err, J2W_ESYS, "out of memory");
				goto fail;
			}
			d->p = np;
			cap = ncap;
		}
		p = &d->p[d->n];
		memset(p, 0, sizeof(*p));
		d->n++;
		p->line = line;
		g = f[0];
		p->ngroups = split(g, '|', (char **)p->groups, JP_GROUPS_MAX);
		for (size_t i = 0; i < p->ngroups; i++) {
			const char *known = jabparams_group_find(p->groups[i], 0);

			if (known == NULL) {
				err_set(err, J2W_EDATA, "%s:%lu: '%s' is not one of the seven groups",
				    name, line, p->groups[i]);
				goto fail;
			}
			p->groups[i] = known;
		}
		p->name = f[1];
		if (*p->name == '\0') {
			err_set(err, J2W_EDATA, "%s:%lu: empty parameter name", name, line);
			goto fail;
		}
		if (parse_type(p, f[2], name, line, err) < 0)
			goto fail;
		p->def = f[3];
		if (strcmp(f[4], "yes") != 0 && strcmp(f[4], "no") != 0) {
			err_set(err, J2W_EDATA, "%s:%lu: webex column wants yes or no, not '%s'",
			    name, line, f[4]);
			goto fail;
		}
		p->webex = strcmp(f[4], "yes") == 0;
		p->meaning = f[5];
		p->source = f[6];
	}
	if (d->n == 0) {
		err_set(err, J2W_EDATA, "%s: no parameters", name);
		goto fail;
	}
	qsort(d->p, d->n, sizeof(*d->p), param_cmp);
	for (size_t i = 1; i < d->n; i++)
		if (strcmp(d->p[i - 1].name, d->p[i].name) == 0) {
			err_set(err, J2W_EDATA, "%s:%lu: '%s' is listed twice", name,
			    d->p[i].line > d->p[i - 1].line ? d->p[i].line : d->p[i - 1].line,
			    d->p[i].name);
			goto fail;
		}
	return 0;
fail:
	jabparams_dict_release(d);
	return -1;
}

int
jabparams_dict_load(struct jabparams_dict *d, const char *path, struct j2w_err *err)
{
	struct strbuf sb;
	FILE *fp = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	int rc;

	memset(d, 0, sizeof(*d));
	if (fp == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
	strbuf_init(&sb, JP_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (strbuf_add(&sb, chunk, n) < 0) {
			fclose(fp);
			strbuf_release(&sb);
			return err_set(err, J2W_EDATA, "%s: larger than %zu bytes", path, JP_FILE_MAX);
		}
	if (ferror(fp)) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		fclose(fp);
		strbuf_release(&sb);
		return -1;
	}
	fclose(fp);
	rc = jabparams_dict_parse(d, sb.buf, sb.len, path, err);
	strbuf_release(&sb);
	return rc;
}

void
jabparams_dict_release(struct jabparams_dict *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->p[i].enums);
	free(d->p);
	free(d->text);
	memset(d, 0, sizeof(*d));
}

const struct jabparams_param *
jabparams_find(const struct jabparams_dict *d, const char *name)
{
	struct jabparams_param key;

	key.name = name;
	if (d->n == 0)
		return NULL;
	return bsearch(&key, d->p, d->n, sizeof(*d->p), param_cmp);
}

const struct jabparams_param *
jabparams_find_fold(const struct jabparams_dict *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcasecmp(d->p[i].name, name) == 0)
			return &d->p[i];
	return NULL;
}

int
jabparams_in_group(const struct jabparams_param *p, const char *group)
{
	for (size_t i = 0; i < p->ngroups; i++)
		if (strcmp(p->groups[i], group) == 0)
			return 1;
	return 0;
}

/* A DNS name: labels of letters, digits and hyphens, at least two labels. */
static int
is_domain(const char *s)
{
	size_t label = 0, labels = 1, total = strlen(s);

	if (total == 0 || total > 253 || s[total - 1] == '.' || s[0] == '.')
		return 0;
	for (const char *c = s; *c; c++) {
		if (*c == '.') {
			if (label == 0 || c[-1] == '-')
				return 0;
			labels++;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*c) && *c != '-')
			return 0;
		if (label == 0 && *c == '-')
			return 0;
		if (++label > 63)
			return 0;
	}
	return labels >= 2;
}

/* IPv4 dotted quad: 1 when valid, 0 when not digits and dots, -1 when malformed. */
static int
ipv4_shape(const char *s)
{
	int parts = 0;

	if (strspn(s, "0123456789.") != strlen(s))
		return 0;
	for (const char *c = s; ; ) {
		long v;
		char oct[8];
		size_t n = strcspn(c, ".");

		if (n == 0 || n > 3)
			return -1;
		memcpy(oct, c, n);
		oct[n] = '\0';
		if (num_parse_long(oct, 0, 255, &v) < 0)
			return -1;
		parts++;
		c += n;
		if (*c == '\0')
			break;
		c++;
	}
	return parts == 4 ? 1 : -1;
}

static int
is_host(const char *s)
{
	int v4 = ipv4_shape(s);

	if (v4 != 0)
		return v4 == 1;
	if (strchr(s, ':') != NULL)	/* IPv6 literal: letters, digits and colons */
		return strspn(s, "0123456789abcdefABCDEF:.") == strlen(s);
	if (strchr(s, '.') == NULL) {	/* a short host name */
		for (const char *c = s; *c; c++)
			if (!isalnum((unsigned char)*c) && *c != '-')
				return 0;
		return *s != '\0' && *s != '-';
	}
	return is_domain(s);
}

static int
is_url(const char *s)
{
	const char *host;
	size_t n;

	if (strncasecmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	for (const char *c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '"' || *c == '<' || *c == '>')
			return 0;
	n = strcspn(host, ":/?#");
	return n > 0;
}

enum jabparams_verdict
jabparams_check_value(const struct jabparams_param *p, const char *v, struct strbuf *why)
{
	struct strbuf dummy;
	enum jabparams_verdict res = JP_VALUE_BAD;

	if (why == NULL) {
		strbuf_init(&dummy, 1024);
		why = &dummy;
	}
	if (*v == '\0')
		{ res = JP_VALUE_OK; goto out; }
	switch (p->type) {
	case JP_STRING:
	case JP_XML:
		{ res = JP_VALUE_OK; goto out; }
	case JP_BOOL:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0)
			{ res = JP_VALUE_OK; goto out; }
		strbuf_addstr(why, "expects true or false");
		break;
	case JP_INT: {
		long n;

		if (num_parse_long(v, LONG_MIN, LONG_MAX, &n) < 0) {
			strbuf_addstr(why, "expects a whole number");
			break;
		}
		if (n < p->min || n > p->max) {
			strbuf_addstr(why, "expects a number ");
			if (p->min != LONG_MIN && p->max != LONG_MAX)
				strbuf_addf(why, "from %ld to %ld", p->min, p->max);
			else if (p->min != LONG_MIN)
				strbuf_addf(why, "of at least %ld", p->min);
			else
				strbuf_addf(why, "of at most %ld", p->max);
			break;
		}
		{ res = JP_VALUE_OK; goto out; }
	}
	case JP_ENUM:
		for (size_t i = 0; i < p->nenums; i++)
			if (strcmp(v, p->enums[i]) == 0)
				{ res = JP_VALUE_OK; goto out; }
		for (size_t i = 0; i < p->nenums; i++)
			if (strcasecmp(v, p->enums[i]) == 0) {
				strbuf_addf(why, "is written '%s' in the reference guide", p->enums[i]);
				res = JP_VALUE_WARN;
				goto out;
			}
		strbuf_addstr(why, "expects one of ");
		for (size_t i = 0; i < p->nenums; i++)
			strbuf_addf(why, "%s%s", i ? ", " : "", p->enums[i]);
		break;
	case JP_URL:
		if (is_url(v))
			{ res = JP_VALUE_OK; goto out; }
		strbuf_addstr(why, "expects an http:// or https:// URL");
		break;
	case JP_DOMAIN:
		if (is_domain(v))
			{ res = JP_VALUE_OK; goto out; }
		strbuf_addstr(why, "expects a DNS domain such as example.com");
		break;
	case JP_HOST:
		if (is_host(v))
			{ res = JP_VALUE_OK; goto out; }
		strbuf_addstr(why, "expects a host name, FQDN or IP address");
		break;
	case JP_PHOTOURL: {
		/* http(s) URL with %%attribute%% tokens: %% always comes in pairs around a name */
		const char *c = v;
		int tokens = 0;

		if (!is_url(v)) {
			strbuf_addstr(why, "expects an http:// or https:// URL with a %%attribute%% token");
			break;
		}
		while ((c = strstr(c, "%%")) != NULL) {
			const char *end = strstr(c + 2, "%%");
			size_t n = end != NULL ? (size_t)(end - c - 2) : 0;

			if (end == NULL || n == 0 || strspn(c + 2, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != n) {
				strbuf_addstr(why, "has an unbalanced token: write %%attribute%% "
				    "(e.g. %%uid%%)");
				goto out;
			}
			tokens++;
			c = end + 2;
		}
		if (tokens == 0) {
			strbuf_addstr(why, "has no %%attribute%% token (e.g. %%uid%%): every "
			    "contact gets the same photo");
			res = JP_VALUE_WARN;
			goto out;
		}
		{ res = JP_VALUE_OK; goto out; }
	}
	case JP_ORGID: {
		size_t n = strlen(v);

		if (n == 32 && strspn(v, "0123456789abcdefABCDEF-") == n)
			{ res = JP_VALUE_OK; goto out; }
		strbuf_addf(why, "expects the 32-character Webex organization ID (Control Hub > "
		    "Account), not %zu characters", n);
		break;
	}
	case JP_LIST: {
		const char *c = v;

		for (;;) {
			size_t n = strcspn(c, (char[]){ p->sep, '\0' });
			size_t lead = 0;

			while (lead < n && isspace((unsigned char)c[lead]))
				lead++;
			if (lead == n) {
				strbuf_addf(why, "has an empty item in a '%c'-separated list", p->sep);
				goto out;
			}
			c += n;
			if (*c == '\0')
				break;
			c++;
		}
		{ res = JP_VALUE_OK; goto out; }
	}
	}
out:
	if (why == &dummy)
		strbuf_release(&dummy);
	return res;
}

void
jabparams_type_describe(const struct jabparams_param *p, struct strbuf *out)
{
	switch (p->type) {
	case JP_STRING: strbuf_addstr(out, "string"); break;
	case JP_BOOL: strbuf_addstr(out, "bool"); break;
	case JP_URL: strbuf_addstr(out, "url"); break;
	case JP_DOMAIN: strbuf_addstr(out, "domain"); break;
	case JP_HOST: strbuf_addstr(out, "host"); break;
	case JP_ORGID: strbuf_addstr(out, "orgid"); break;
	case JP_XML: strbuf_addstr(out, "xml"); break;
	case JP_PHOTOURL: strbuf_addstr(out, "photourl"); break;
	case JP_LIST: strbuf_addf(out, "list:%c", p->sep); break;
	case JP_INT:
		strbuf_addstr(out, "int:");
		if (p->min != LONG_MIN)
			strbuf_addf(out, "%ld", p->min);
		strbuf_addstr(out, "..");
		if (p->max != LONG_MAX)
			strbuf_addf(out, "%ld", p->max);
		break;
	case JP_ENUM:
		strbuf_addstr(out, "enum:");
		for (size_t i = 0; i < p->nenums; i++)
			strbuf_addf(out, "%s%s", i ? "|" : "", p->enums[i]);
		break;
	}
}
