/* Wave rules: a small line format parsed without regard to the rest of j2w. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "webex/rules.h"

void
rules_init(struct rules *rs)
{
	rs->v = NULL;
	rs->n = 0;
}

static void
rule_release(struct rule *r)
{
	for (size_t i = 0; i < r->nconds; i++) {
		free(r->conds[i].field);
		free(r->conds[i].glob);
	}
	free(r->conds);
	free(r->profile);
}

void
rules_release(struct rules *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rule_release(&rs->v[i]);
	free(rs->v);
	rules_init(rs);
}

/* A cursor over one line. */
struct lex {
	const char *p;
	const char *end;
};

static void
lex_space(struct lex *lx)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
		lx->p++;
}

static int
lex_at(struct lex *lx, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(lx->end - lx->p) >= n && memcmp(lx->p, word, n) == 0;
}

/*
 * A value: "quoted" (with \" and \\), or bare up to one of the stop bytes,
 * trailing blanks dropped. Returns a new string, or NULL with why set.
 */
static char *
lex_value(struct lex *lx, const char *stops, int stop_at_arrow, const char **why)
{
	struct strbuf sb;

	strbuf_init(&sb, RULES_FILE_MAX);
	lex_space(lx);
	if (lx->p < lx->end && *lx->p == '"') {
		lx->p++;
		for (;;) {
			if (lx->p == lx->end) {
				*why = "a quoted value is not closed";
				strbuf_release(&sb);
				return NULL;
			}
			if (*lx->p == '"')
				break;
			if (*lx->p == '\\' && lx->p + 1 < lx->end &&
			    (lx->p[1] == '"' || lx->p[1] == '\\'))
				lx->p++;
			if (strbuf_addch(&sb, *lx->p++) < 0)
				goto nomem;
		}
		lx->p++;
		return strbuf_detach(&sb, NULL);
	}
	while (lx->p < lx->end && strchr(stops, *lx->p) == NULL &&
	    !(stop_at_arrow && lex_at(lx, "->")))
		if (strbuf_addch(&sb, *lx->p++) < 0)
			goto nomem;
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb, NULL);
nomem:
	*why = "out of memory";
	strbuf_release(&sb);
	return NULL;
}

static int
is_field_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

static int
rule_add_cond(struct rule *r, char *field, char *glob)
{
	struct rule_cond *c = realloc(r->conds, (r->nconds + 1) * sizeof(*c));

	if (c == NULL)
		return -1;
	r->conds = c;
	c[r->nconds].field = field;
	c[r->nconds].glob = glob;
	r->nconds++;
	return 0;
}

/* Parses one non-blank, non-comment line into r. Returns NULL, or why it is wrong. */
static const char *
rule_parse_line(struct rule *r, struct lex *lx)
{
	const char *why = NULL;

	lex_space(lx);
	if (lex_at(lx, "*")) {
		const char *save = lx->p;

		lx->p++;
		lex_space(lx);
		if (!lex_at(lx, "->"))
			lx->p = save;
	}
	while (!lex_at(lx, "->")) {
		const char *start;
		char *field, *glob;

		lex_space(lx);
		start = lx->p;
		while (lx->p < lx->end && is_field_char((unsigned char)*lx->p))
			lx->p++;
		if (lx->p == start)
			return lx->p == lx->end ? "no '->' (a rule is 'field=glob -> behaviour')" :
			    "expected a field name (letters, digits, _ - .)";
		field = strndup(start, (size_t)(lx->p - start));
		if (field == NULL)
			return "out of memory";
		lex_space(lx);
		if (lx->p == lx->end || *lx->p != '=') {
			free(field);
			return "expected '=' after the field name";
		}
		lx->p++;
		glob = lex_value(lx, ",", 1, &why);
		if (glob == NULL) {
			free(field);
			return why;
		}
		if (glob[0] == '\0') {
			free(field);
			free(glob);
			return "empty pattern (* matches any value)";
		}
		if (rule_add_cond(r, field, glob) < 0) {
			free(field);
			free(glob);
			return "out of memory";
		}
		lex_space(lx);
		if (lx->p < lx->end && *lx->p == ',')
			lx->p++;
		else if (!lex_at(lx, "->"))
			return "expected ',' or '->' after a condition";
	}
	lx->p += 2;
	lex_space(lx);
	{
		const char *start = lx->p;
		char word[64];
		size_t n;

		while (lx->p < lx->end && *lx->p != ' ' && *lx->p != '\t')
			lx->p++;
		n = (size_t)(lx->p - start);
		if (n == 0)
			return "no behaviour after '->'";
		if (n >= sizeof(word))
			return "unknown behaviour";
		memcpy(word, start, n);
		word[n] = '\0';
		if (strcmp(word, "ignore") == 0)
			r->ignore = 1;
		else if (behavior_parse(word, &r->behavior) < 0)
			return "unknown behaviour (ucm, jabber, webex, third-party, webex-calling, "
			    "default, ignore, or an API name)";
	}
	lex_space(lx);
	if (lx->p == lx->end)
		return NULL;
	if (r->ignore)
		return "'ignore' takes nothing after it";
	if (!lex_at(lx, "profile=") && !lex_at(lx, "profile ="))
		return "expected 'profile=NAME' after the behaviour";
	while (*lx->p != '=')
		lx->p++;
	lx->p++;
	r->profile = lex_value(lx, "", 0, &why);
	if (r->profile == NULL)
		return why;
	lex_space(lx);
	if (lx->p != lx->end)
		return "unexpected text after the profile name";
	if (r->profile[0] == '\0')
		return "empty profile name";
	return NULL;
}

int
rules_parse(struct rules *rs, const char *text, size_t len, const char *name,
    struct j2w_err *err)
{
	const char *p = text, *end = text + len;
	unsigned long line = 0;

	rules_init(rs);
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		struct lex lx = { p, eol };
		struct rule r;
		struct rule *v;
		const char *why;

		line++;
		p = nl != NULL ? nl + 1 : end;
		if (lx.end > lx.p && lx.end[-1] == '\r')
			lx.end--;
		if (strnlen(lx.p, (size_t)(eol - lx.p)) != (size_t)(eol - lx.p)) {
			rules_release(rs);
			return err_set(err, J2W_EDATA, "%s:%lu: NUL byte in a rule", name, line);
		}
		lex_space(&lx);
		if (lx.p == lx.end || *lx.p == '#')
			continue;
		memset(&r, 0, sizeof(r));
		r.line = line;
		why = rule_parse_line(&r, &lx);
		if (why != NULL) {
			rule_release(&r);
			rules_release(rs);
			return err_set(err, J2W_EDATA, "%s:%lu: %s", name, line, why);
		}
		if (rs->n == RULES_MAX) {
			rule_release(&r);
			rules_release(rs);
			return err_set(err, J2W_EDATA, "%s:%lu: more than %d rules", name, line, RULES_MAX);
		}
		v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
		if (v == NULL) {
			rule_release(&r);
			rules_release(rs);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		rs->v = v;
		rs->v[rs->n++] = r;
	}
	return 0;
}

int
rules_load(struct rules *rs, const char *path, struct j2w_err *err)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	rules_init(rs);
	if (fp == NULL)
		return err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
	buf = malloc(RULES_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	n = fread(buf, 1, RULES_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		rc = err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	} else if (n > RULES_FILE_MAX) {
		rc = err_set(err, J2W_EDATA, "%s: larger than %zu bytes", path, RULES_FILE_MAX);
	} else {
		rc = rules_parse(rs, buf, n, path, err);
	}
	free(buf);
	fclose(fp);
	return rc;
}

/* The record's value for field as text in buf, or NULL when it has none. */
static const char *
rule_value(const json_t *rec, const char *field, const char *email, char *buf, size_t len)
{
	const json_t *v;

	if (strcmp(field, "email") == 0 && email != NULL)
		return email;
	v = json_object_get(rec, field);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	return NULL;
}

const struct rule *
rules_match(const struct rules *rs, const json_t *rec, const char *email)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->v[i];
		size_t c;

		for (c = 0; c < r->nconds; c++) {
			char buf[32];
			const char *val = rule_value(rec, r->conds[c].field, email, buf, sizeof(buf));

			if (val == NULL || fnmatch(r->conds[c].glob, val, FNM_CASEFOLD) != 0)
				break;
		}
		if (c == r->nconds)
			return r;
	}
	return NULL;
}
