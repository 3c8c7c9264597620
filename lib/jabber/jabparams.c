/* Loading templates/jabber-params.tsv: the parameter dictionary (values: jabvalue.c). */
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

/* Splits v at '|' into a new array of enum values: 0, -2 for an empty value, -3 for memory. */
static int
parse_enums(struct jabparams_param *p, char *v)
{
	size_t n = 1;

	for (const char *c = v; *c; c++)
		n += *c == '|';
	p->enums = calloc(n, sizeof(char *));
	if (p->enums == NULL)
		return -3;
	p->nenums = split(v, '|', (char **)p->enums, n);
	for (size_t i = 0; i < p->nenums; i++) {
		const char *e = p->enums[i][0] == '~' ? p->enums[i] + 1 : p->enums[i];

		if (*e == '\0')
			return -2;
	}
	return 0;
}

/* "MIN..MAX" with optional ",odd", ",even", ",clamp"; either end may be empty. */
static int
parse_int(struct jabparams_param *p, char *t)
{
	char *mods = strchr(t, ','), *dots;

	if (mods != NULL) {
		*mods++ = '\0';
		while (mods != NULL) {
			char *next = strchr(mods, ',');

			if (next != NULL)
				*next++ = '\0';
			if (strcmp(mods, "odd") == 0 && p->parity == JP_PARITY_ANY)
				p->parity = JP_PARITY_ODD;
			else if (strcmp(mods, "even") == 0 && p->parity == JP_PARITY_ANY)
				p->parity = JP_PARITY_EVEN;
			else if (strcmp(mods, "clamp") == 0 && !p->clamp)
				p->clamp = 1;
			else
				return -1;
			mods = next;
		}
	}
	dots = strstr(t, "..");
	if (dots == NULL)
		return -1;
	*dots = '\0';
	if (*t != '\0' && num_parse_long(t, LONG_MIN, LONG_MAX, &p->min) < 0)
		return -1;
	if (dots[2] != '\0' && num_parse_long(dots + 2, LONG_MIN, LONG_MAX, &p->max) < 0)
		return -1;
	return p->min > p->max ? -1 : 0;
}

static const struct { const char *name; enum jabparams_type type; } plain_types[] = {
	{ "string", JP_STRING }, { "bool", JP_BOOL }, { "bool01", JP_BOOL01 },
	{ "url", JP_URL }, { "urlhost", JP_URLHOST }, { "domain", JP_DOMAIN },
	{ "host", JP_HOST }, { "guid", JP_GUID }, { "xml", JP_XML },
	{ "photourl", JP_PHOTOURL }, { "attr", JP_ATTR }, { "dn", JP_DN },
	{ "ldapfilter", JP_LDAPFILTER }, { "version", JP_VERSION }, { "hotkey", JP_HOTKEY },
};

static int
parse_type(struct jabparams_param *p, char *t, const char *name, unsigned long line,
    struct j2w_err *err)
{
	char orig[256];
	int rc = -1;

	snprintf(orig, sizeof(orig), "%s", t);
	p->min = LONG_MIN;
	p->max = LONG_MAX;
	for (size_t i = 0; i < sizeof(plain_types) / sizeof(plain_types[0]); i++)
		if (strcmp(t, plain_types[i].name) == 0) {
			p->type = plain_types[i].type;
			return 0;
		}
	if (strncmp(t, "list:", 5) == 0) {
		char *s = t + 5;

		p->type = JP_LIST;
		rc = 0;
		if (strncmp(s, "space", 5) == 0 && (s[5] == '\0' || s[5] == ':')) {
			p->sep = ' ';
			s += 5;
		} else if (*s != '\0' && *s != ' ' && *s != '\t' && *s != ':') {
			p->sep = *s++;
		} else {
			rc = -1;
		}
		if (rc == 0 && *s != '\0')
			rc = *s == ':' && s[1] != '\0' ? parse_enums(p, s + 1) : -1;
	} else if (strncmp(t, "int:", 4) == 0) {
		p->type = JP_INT;
		rc = parse_int(p, t + 4);
	} else if (strncmp(t, "enum:", 5) == 0 && t[5] != '\0') {
		p->type = JP_ENUM;
		rc = parse_enums(p, t + 5);
	}
	if (rc == 0)
		return 0;
	if (rc == -3)
		return err_set(err, J2W_ESYS, "out of memory");
	return err_set(err, J2W_EDATA, "%s:%lu: '%s' is not a type (bool, bool01, int:MIN..MAX, "
	    "enum:A|B, list:SEP[:A|B], url, urlhost, photourl, domain, host, guid, attr, dn, "
	    "ldapfilter, version, hotkey, string, xml)", name, line, orig);
}

/* The status column: "-", "old", "old:NAME" or "elsewhere". */
static int
parse_status(struct jabparams_param *p, char *s)
{
	if (strcmp(s, "-") == 0) {
		p->status = JP_CURRENT;
	} else if (strcmp(s, "elsewhere") == 0) {
		p->status = JP_ELSEWHERE;
	} else if (strcmp(s, "old") == 0) {
		p->status = JP_OLD;
	} else if (strncmp(s, "old:", 4) == 0 && s[4] != '\0') {
		p->status = JP_OLD;
		p->replacement = s + 4;
	} else {
		return -1;
	}
	return 0;
}

static int
parse_groups(struct jabparams_param *p, char *g, const char *name, unsigned long line,
    struct j2w_err *err)
{
	size_t bars = 0;

	if (strcmp(g, "*") == 0 || strcmp(g, "-") == 0) {
		p->ngroups = 0;
		return 0;
	}
	for (const char *c = g; *c; c++)
		bars += *c == '|';
	if (bars >= JP_GROUPS_MAX)
		return err_set(err, J2W_EDATA, "%s:%lu: more than %d groups", name, line,
		    JP_GROUPS_MAX);
	p->ngroups = split(g, '|', (char **)p->groups, JP_GROUPS_MAX);
	for (size_t i = 0; i < p->ngroups; i++) {
		const char *known = jabparams_group_find(p->groups[i], 0);

		if (known == NULL)
			return err_set(err, J2W_EDATA, "%s:%lu: '%s' is not one of the seven groups "
			    "(or * for any, - for none)", name, line, p->groups[i]);
		p->groups[i] = known;
	}
	return 0;
}

/* Sorts, refuses duplicates and unknown replacements, links case variants. */
static int
finish(struct jabparams_dict *d, const char *name, struct j2w_err *err)
{
	qsort(d->p, d->n, sizeof(*d->p), param_cmp);
	for (size_t i = 1; i < d->n; i++)
		if (strcmp(d->p[i - 1].name, d->p[i].name) == 0)
			return err_set(err, J2W_EDATA, "%s:%lu: '%s' is listed twice", name,
			    d->p[i].line > d->p[i - 1].line ? d->p[i].line : d->p[i - 1].line,
			    d->p[i].name);
	for (size_t i = 0; i < d->n; i++) {
		struct jabparams_param *p = &d->p[i];

		p->canon = i;
		for (size_t k = 0; k < i; k++)
			if (strcasecmp(d->p[k].name, p->name) == 0) {
				p->canon = d->p[k].canon;
				break;
			}
		if (p->replacement != NULL && jabparams_find(d, p->replacement) == NULL)
			return err_set(err, J2W_EDATA, "%s:%lu: '%s' names '%s', which is not in the "
			    "dictionary", name, p->line, p->name, p->replacement);
	}
	return 0;
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
		char *f[JP_COLUMNS + 1];
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
		nf = split(s, '\t', f, JP_COLUMNS + 1);
		if (nf != JP_COLUMNS) {
			err_set(err, J2W_EDATA, "%s:%lu: %zu fields, want %d (group, name, type, "
			    "default, webex, status, meaning, source)", name, line, nf, JP_COLUMNS);
			goto fail;
		}
		if (!header) {
			header = 1;
			if (strcmp(f[0], "group") == 0)
				continue;
		}
		if (d->n == cap) {
			size_t ncap = cap ? cap * 2 : 512;
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
		p->name = f[1];
		if (*p->name == '\0') {
			err_set(err, J2W_EDATA, "%s:%lu: empty parameter name", name, line);
			goto fail;
		}
		if (parse_groups(p, f[0], name, line, err) < 0)
			goto fail;
		if (parse_type(p, f[2], name, line, err) < 0)
			goto fail;
		p->def = f[3];
		if (strcmp(f[4], "yes") != 0 && strcmp(f[4], "no") != 0) {
			err_set(err, J2W_EDATA, "%s:%lu: webex column wants yes or no, not '%s'",
			    name, line, f[4]);
			goto fail;
		}
		p->webex = strcmp(f[4], "yes") == 0;
		if (parse_status(p, f[5]) < 0) {
			err_set(err, J2W_EDATA, "%s:%lu: status column wants -, old, old:NAME or "
			    "elsewhere, not '%s'", name, line, f[5]);
			goto fail;
		}
		if ((strcmp(f[0], "-") == 0) != (p->status == JP_ELSEWHERE)) {
			err_set(err, J2W_EDATA, "%s:%lu: group - goes with status elsewhere, and "
			    "only with it", name, line);
			goto fail;
		}
		p->meaning = f[6];
		p->source = f[7];
	}
	if (d->n == 0) {
		err_set(err, J2W_EDATA, "%s: no parameters", name);
		goto fail;
	}
	if (finish(d, name, err) < 0)
		goto fail;
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
	const struct jabparams_param *p;

	return jabparams_find_fold_all(d, name, &p, 1) > 0 ? p : NULL;
}

size_t
jabparams_find_fold_all(const struct jabparams_dict *d, const char *name,
    const struct jabparams_param **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n && n < max; i++)
		if (strcasecmp(d->p[i].name, name) == 0)
			out[n++] = &d->p[i];
	return n;
}

int
jabparams_in_group(const struct jabparams_param *p, const char *group)
{
	if (p->ngroups == 0)
		return 1;
	for (size_t i = 0; i < p->ngroups; i++)
		if (strcmp(p->groups[i], group) == 0)
			return 1;
	return 0;
}

void
jabparams_type_describe(const struct jabparams_param *p, struct strbuf *out)
{
	for (size_t i = 0; i < sizeof(plain_types) / sizeof(plain_types[0]); i++)
		if (plain_types[i].type == p->type) {
			strbuf_addstr(out, plain_types[i].name);
			return;
		}
	switch (p->type) {
	case JP_LIST:
		if (p->sep == ' ')
			strbuf_addstr(out, "list:space");
		else
			strbuf_addf(out, "list:%c", p->sep);
		if (p->nenums > 0)
			strbuf_addch(out, ':');
		break;
	case JP_INT:
		strbuf_addstr(out, "int:");
		if (p->min != LONG_MIN)
			strbuf_addf(out, "%ld", p->min);
		strbuf_addstr(out, "..");
		if (p->max != LONG_MAX)
			strbuf_addf(out, "%ld", p->max);
		if (p->parity != JP_PARITY_ANY)
			strbuf_addstr(out, p->parity == JP_PARITY_ODD ? ",odd" : ",even");
		if (p->clamp)
			strbuf_addstr(out, ",clamp");
		return;
	case JP_ENUM:
		strbuf_addstr(out, "enum:");
		break;
	default:
		return;
	}
	for (size_t i = 0; i < p->nenums; i++)
		strbuf_addf(out, "%s%s", i ? "|" : "", p->enums[i]);
}
