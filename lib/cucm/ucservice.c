/* ucservice.csv from a CUCM BAT export: UC services, and the URL-encoded values of their XML. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/ucservice.h"
#include "util/csvio.h"

void
ucservice_list_release(struct ucservice_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->s[i].name);
		free(l->s[i].type);
		free(l->s[i].xml);
	}
	free(l->s);
	free(l->order);
	free(l->label);
	memset(l, 0, sizeof(*l));
}

static int
by_name(const void *a, const void *b, void *base)
{
	const struct ucservice *x = (const struct ucservice *)base + *(const size_t *)a;
	const struct ucservice *y = (const struct ucservice *)base + *(const size_t *)b;
	int c = strcasecmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
read_rows(struct ucservice_list *l, FILE *fp, off_t limit, struct j2w_err *err)
{
	struct csv_reader r;
	struct csv_header h = { 0 };
	long cname, cxml, ctype, cproduct;
	size_t cap = 0;
	int rc;

	if (csv_reader_init(&r, fp, limit, ',', l->label, err) < 0)
		return -1;
	rc = csv_reader_next(&r, err);
	if (rc <= 0) {
		csv_reader_release(&r);
		return rc < 0 ? -1 : err_set(err, J2W_EDATA, "%s: empty file", l->label);
	}
	if (csv_header_load(&h, &r.row, err) < 0)
		goto fail;
	cname = csv_header_find(&h, "NAME");
	cxml = csv_header_find(&h, "XML");
	ctype = csv_header_find(&h, "SERVICE TYPE");
	cproduct = csv_header_find(&h, "PRODUCT TYPE");
	if (cname < 0 || cxml < 0) {
		err_set(err, J2W_EDATA, "%s:1: no '%s' column", l->label, cname < 0 ? "NAME" : "XML");
		goto fail;
	}
	while ((rc = csv_reader_next(&r, err)) > 0) {
		const char *type = csv_row_field(&r.row, ctype >= 0 ? (size_t)ctype : h.n, NULL);
		struct ucservice *s;
		int oom = 0;

		if (csv_row_whole(&r.row, h.n, l->label, err) < 0)
			goto fail;
		if (csv_cell_absent(type))
			type = csv_row_field(&r.row, cproduct >= 0 ? (size_t)cproduct : h.n, NULL);
		if (l->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct ucservice *ns;

			if (l->n >= UCSERVICE_MAX) {
				err_set(err, J2W_EDATA, "%s: more than %d UC services", l->label,
				    UCSERVICE_MAX);
				goto fail;
			}
			ns = realloc(l->s, ncap * sizeof(*ns));
			if (ns == NULL) {
				err_set(err, J2W_ESYS, "out of memory");
				goto fail;
			}
			l->s = ns;
			cap = ncap;
		}
		s = &l->s[l->n++];
		s->line = r.row.line;
		s->name = strdup(csv_cell_absent(csv_row_field(&r.row, (size_t)cname, NULL)) ? "" :
		    csv_row_field(&r.row, (size_t)cname, NULL));
		s->type = csv_cell_dup(type, &oom);
		s->xml = csv_cell_dup(csv_row_field(&r.row, (size_t)cxml, NULL), &oom);
		if (s->name == NULL || oom) {
			err_set(err, J2W_ESYS, "out of memory");
			goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	l->order = malloc((l->n ? l->n : 1) * sizeof(*l->order));
	if (l->order == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < l->n; i++)
		l->order[i] = i;
	qsort_r(l->order, l->n, sizeof(*l->order), by_name, l->s);
	csv_header_release(&h);
	csv_reader_release(&r);
	return 0;
fail:
	csv_header_release(&h);
	csv_reader_release(&r);
	return -1;
}

int
ucservice_read(struct ucservice_list *l, FILE *fp, off_t limit, const char *label,
    struct j2w_err *err)
{
	memset(l, 0, sizeof(*l));
	l->label = strdup(label);
	if (l->label == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (read_rows(l, fp, limit, err) < 0) {
		ucservice_list_release(l);
		return -1;
	}
	return 0;
}

int
ucservice_is_jabber(const struct ucservice *s)
{
	return s->type != NULL && strcasestr(s->type, "jabber") != NULL;
}

const struct ucservice *
ucservice_find(const struct ucservice_list *l, const char *name)
{
	const struct ucservice *best = NULL;
	size_t lo = 0, hi = l->n;
	int best_rank = -1;

	if (l->order == NULL)
		return NULL;
	/* the first entry whose name is not below name, without case */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(l->s[l->order[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < l->n && strcasecmp(l->s[l->order[i]].name, name) == 0; i++) {
		const struct ucservice *s = &l->s[l->order[i]];
		int rank = (strcmp(s->name, name) == 0) * 2 + ucservice_is_jabber(s);

		if (rank > best_rank) {
			best = s;
			best_rank = rank;
		}
	}
	return best;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Copies s[0..] through the first end (included), or to the end of s; returns the bytes taken. */
static size_t
copy_through(const char *s, const char *end, struct strbuf *out, int *rc)
{
	const char *e = strstr(s, end);
	size_t n = e != NULL ? (size_t)(e - s) + strlen(end) : strlen(s);

	if (strbuf_add(out, s, n) < 0)
		*rc = -1;
	return n;
}

/* A tag: through its '>', which may not stand inside a quoted attribute value. */
static size_t
copy_tag(const char *s, struct strbuf *out, int *rc)
{
	size_t n = 1;
	char quote = 0;

	for (; s[n] != '\0'; n++) {
		if (quote != 0) {
			if (s[n] == quote)
				quote = 0;
		} else if (s[n] == '"' || s[n] == '\'') {
			quote = s[n];
		} else if (s[n] == '>') {
			n++;
			break;
		}
	}
	if (strbuf_add(out, s, n) < 0)
		*rc = -1;
	return n;
}

int
ucservice_decode_values(const char *xml, struct strbuf *out)
{
	const char *s = xml;
	int rc = 0;

	while (*s != '\0' && rc == 0) {
		int hi, lo;

		if (*s == '<') {
			if (strncmp(s, "<!--", 4) == 0)
				s += copy_through(s, "-->", out, &rc);
			else if (strncmp(s, "<![CDATA[", 9) == 0)
				s += copy_through(s, "]]>", out, &rc);
			else if (strncmp(s, "<?", 2) == 0)
				s += copy_through(s, "?>", out, &rc);
			else
				s += copy_tag(s, out, &rc);
		} else if (*s == '%' && (hi = hexval((unsigned char)s[1])) >= 0 &&
		    (lo = hexval((unsigned char)s[2])) >= 0 && hi * 16 + lo != 0) {
			int c = hi * 16 + lo;

			if (c == '&')
				rc = strbuf_addstr(out, "&amp;");
			else if (c == '<')
				rc = strbuf_addstr(out, "&lt;");
			else if (c == '>')
				rc = strbuf_addstr(out, "&gt;");
			else
				rc = strbuf_addch(out, c);
			s += 3;
		} else {
			rc = strbuf_addch(out, *s == '+' ? ' ' : *s);
			s++;
		}
	}
	return rc < 0 ? -1 : 0;
}
