/* Control Hub CSV templates: parsing the column sets and filling rows from records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webex/ctcsv.h"

static void
column_release(struct ctcsv_column *c)
{
	free(c->header);
	for (size_t i = 0; i < c->nkeys; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->literal);
}

void
ctcsv_template_release(struct ctcsv_template *t)
{
	for (size_t i = 0; i < t->n; i++)
		column_release(&t->cols[i]);
	free(t->cols);
	free(t->phone);
	memset(t, 0, sizeof(*t));
}

static char *
dup_trim(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return strndup(s, n);
}

/* Fills c from SOURCE text; returns NULL or why it is wrong. */
static const char *
column_source(struct ctcsv_column *c, const char *s, size_t n)
{
	char *src = dup_trim(s, n), *p, *bar;

	if (src == NULL)
		return "out of memory";
	if (src[0] == '\'') {
		size_t len = strlen(src);

		if (len < 2 || src[len - 1] != '\'') {
			free(src);
			return "a literal must be 'quoted'";
		}
		c->literal = strndup(src + 1, len - 2);
		free(src);
		return c->literal == NULL ? "out of memory" : NULL;
	}
	for (p = src; *p != '\0'; p = bar + 1) {
		char **keys, *key;

		bar = strchr(p, '|');
		if (bar == NULL)
			bar = p + strlen(p);
		key = dup_trim(p, (size_t)(bar - p));
		if (key == NULL || key[0] == '\0' || strspn(key, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != strlen(key)) {
			free(key);
			free(src);
			return "a source is record keys separated by '|' (letters, digits, _ . -)";
		}
		keys = realloc(c->keys, (c->nkeys + 1) * sizeof(*keys));
		if (keys == NULL) {
			free(key);
			free(src);
			return "out of memory";
		}
		c->keys = keys;
		c->keys[c->nkeys++] = key;
		if (*bar == '\0')
			break;
	}
	free(src);
	return NULL;
}

int
ctcsv_template_parse(struct ctcsv_template *t, const char *text, size_t len, const char *name,
    struct j2w_err *err)
{
	const char *p = text, *end = text + len;
	unsigned long line = 0;

	memset(t, 0, sizeof(*t));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl != NULL ? nl : end;
		const char *tab1, *tab2, *why = NULL;
		struct ctcsv_column c = { 0 };
		struct ctcsv_column *cols;

		line++;
		if (strnlen(p, (size_t)(eol - p)) != (size_t)(eol - p)) {
			ctcsv_template_release(t);
			return err_set(err, J2W_EDATA, "%s:%lu: NUL byte", name, line);
		}
		if (eol == p || *p == '#' || (eol - p == 1 && *p == '\r')) {
			p = nl != NULL ? nl + 1 : end;
			continue;
		}
		tab1 = memchr(p, '\t', (size_t)(eol - p));
		if (tab1 == NULL) {
			why = "expected HEADER<TAB>SOURCE";
		} else {
			tab2 = memchr(tab1 + 1, '\t', (size_t)(eol - tab1 - 1));
			c.header = dup_trim(p, (size_t)(tab1 - p));
			if (c.header == NULL || c.header[0] == '\0')
				why = "empty column header";
			else
				why = column_source(&c, tab1 + 1, (size_t)((tab2 ? tab2 : eol) - tab1 - 1));
			if (why == NULL && tab2 != NULL) {
				char *flag = dup_trim(tab2 + 1, (size_t)(eol - tab2 - 1));

				if (flag != NULL && strcmp(flag, "phone") == 0)
					c.phone = 1;
				else
					why = "the third field may only be 'phone'";
				free(flag);
			}
		}
		if (why == NULL && t->n == CT_COLUMNS_MAX)
			why = "too many columns";
		if (why == NULL) {
			cols = realloc(t->cols, (t->n + 1) * sizeof(*cols));
			if (cols == NULL) {
				why = "out of memory";
			} else {
				t->cols = cols;
				t->cols[t->n++] = c;
			}
		}
		if (why != NULL) {
			column_release(&c);
			ctcsv_template_release(t);
			return err_set(err, J2W_EDATA, "%s:%lu: %s", name, line, why);
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (t->n == 0)
		return err_set(err, J2W_EDATA, "%s: no columns", name);
	t->phone = calloc(t->n, 1);
	if (t->phone == NULL) {
		ctcsv_template_release(t);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	for (size_t i = 0; i < t->n; i++)
		t->phone[i] = (unsigned char)t->cols[i].phone;
	return 0;
}

int
ctcsv_template_load(struct ctcsv_template *t, const char *path, struct j2w_err *err)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;
	int rc;

	memset(t, 0, sizeof(*t));
	if (fp == NULL)
		return err_set_errno(err, J2W_EUSAGE, "cannot open template '%s'", path);
	buf = malloc(CT_TEMPLATE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	n = fread(buf, 1, CT_TEMPLATE_MAX + 1, fp);
	if (ferror(fp))
		rc = err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
	else if (n > CT_TEMPLATE_MAX)
		rc = err_set(err, J2W_EDATA, "%s: larger than %zu bytes", path, CT_TEMPLATE_MAX);
	else
		rc = ctcsv_template_parse(t, buf, n, path, err);
	free(buf);
	fclose(fp);
	return rc;
}

void
ctcsv_template_headers(const struct ctcsv_template *t, const char **cells)
{
	for (size_t i = 0; i < t->n; i++)
		cells[i] = t->cols[i].header;
}

void
ctcsv_template_cells(const struct ctcsv_template *t, const json_t *rec, const char **cells,
    char *scratch)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ctcsv_column *c = &t->cols[i];
		char *slot = scratch + i * 32;

		cells[i] = c->literal != NULL ? c->literal : "";
		for (size_t k = 0; k < c->nkeys; k++) {
			const json_t *v = json_object_get(rec, c->keys[k]);

			if (json_is_string(v) && json_string_length(v) > 0) {
				cells[i] = json_string_value(v);
			} else if (json_is_boolean(v)) {
				cells[i] = json_is_true(v) ? "TRUE" : "FALSE";
			} else if (json_is_integer(v)) {
				snprintf(slot, 32, "%lld", (long long)json_integer_value(v));
				cells[i] = slot;
			} else {
				continue;
			}
			break;
		}
		/* a number from a first-release record may still carry CUCM's "\+" */
		if (c->phone && strstr(cells[i], "\\+") != NULL && strlen(cells[i]) < 32) {
			const char *from = cells[i];
			char *o = slot;

			for (; *from; from++)
				if (!(from[0] == '\\' && from[1] == '+'))
					*o++ = *from;
			*o = '\0';
			cells[i] = slot;
		}
	}
}

char *
ctcsv_part_name(const char *path, unsigned n)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	size_t stem, len = strlen(path) + 16;
	char *s = malloc(len);

	if (s == NULL)
		return NULL;
	if (dot == NULL || (slash != NULL && dot < slash) || dot == (slash ? slash + 1 : path))
		dot = path + strlen(path);
	stem = (size_t)(dot - path);
	snprintf(s, len, "%.*s-%03u%s", (int)stem, path, n, dot);
	return s;
}

size_t
ctcsv_pack(const size_t *group_rows, size_t ngroups, size_t per_file, size_t *file)
{
	size_t nfiles = 0, in_file = 0;

	for (size_t i = 0; i < ngroups; i++) {
		if (nfiles == 0 || in_file + group_rows[i] > per_file) {
			nfiles++;
			in_file = 0;
		}
		file[i] = nfiles - 1;
		in_file += group_rows[i];
	}
	return nfiles;
}
