/* jabber-config.xml: safe parse, byte-offset map of every element, byte-faithful edits. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>

#include "jabber/jabcfg.h"
#include "util/utf8.h"
#include "util/xmlsafe.h"

/* Where the scanner is: position and line in the original bytes. */
struct scan {
	const char *b;
	size_t len;
	size_t pos;
	unsigned long line;
};

static void
scan_to(struct scan *s, size_t to)
{
	while (s->pos < to) {
		const char *nl = memchr(s->b + s->pos, '\n', to - s->pos);

		if (nl == NULL) {
			s->pos = to;
			break;
		}
		s->line++;
		s->pos = (size_t)(nl - s->b) + 1;
	}
}

/* Moves past the next occurrence of pat; -1 when it is missing. */
static int
scan_past(struct scan *s, const char *pat)
{
	size_t n = strlen(pat);
	const char *hit = memmem(s->b + s->pos, s->len - s->pos, pat, n);

	if (hit == NULL)
		return -1;
	scan_to(s, (size_t)(hit - s->b) + n);
	return 0;
}

static int
is_name_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

static int
add_elem(struct jabcfg_doc *d, size_t *cap, struct jabcfg_elem *e)
{
	if (d->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct jabcfg_elem *ne;

		if (ncap > JC_ELEMS_MAX)
			return -1;
		ne = realloc(d->el, ncap * sizeof(*ne));
		if (ne == NULL)
			return -1;
		d->el = ne;
		*cap = ncap;
	}
	d->el[d->n++] = *e;
	return 0;
}

/*
 * Maps the elements of a document that libxml2 has already accepted as
 * well-formed, so the scanner can trust the shape of every construct.
 */
static int
scan_elements(struct jabcfg_doc *d, const char *name, struct j2w_err *err)
{
	struct scan s = { d->buf, d->len, 0, 1 };
	long stack[JC_DEPTH_MAX];
	int depth = 0;
	size_t cap = 0;

	if (s.len >= 3 && memcmp(s.b, "\xEF\xBB\xBF", 3) == 0)
		s.pos = 3;
	while (s.pos < s.len) {
		const char *lt = memchr(s.b + s.pos, '<', s.len - s.pos);
		size_t at;

		if (lt == NULL)
			break;
		at = (size_t)(lt - s.b);
		scan_to(&s, at);
		if (strncmp(lt, "<?", 2) == 0) {
			if (scan_past(&s, "?>") < 0)
				goto bad;
		} else if (strncmp(lt, "<!--", 4) == 0) {
			scan_to(&s, at + 4);
			if (scan_past(&s, "-->") < 0)
				goto bad;
		} else if (strncmp(lt, "<![CDATA[", 9) == 0) {
			if (scan_past(&s, "]]>") < 0)
				goto bad;
		} else if (lt[1] == '!') {
			goto bad;	/* a DOCTYPE was refused by the parser already */
		} else if (lt[1] == '/') {
			if (depth == 0 || scan_past(&s, ">") < 0)
				goto bad;
			depth--;
			d->el[stack[depth]].etag_start = at;
			d->el[stack[depth]].end = s.pos;
		} else {
			struct jabcfg_elem e = { 0 };
			size_t n = 1;
			char quote = 0;

			while (at + n < s.len && !is_name_end(s.b[at + n]))
				n++;
			e.name = strndup(s.b + at + 1, n - 1);
			if (e.name == NULL)
				return err_set(err, J2W_ESYS, "out of memory");
			e.start = at;
			e.line = s.line;
			e.depth = depth;
			e.parent = depth > 0 ? stack[depth - 1] : -1;
			/* to the '>' that ends the tag, skipping quoted attribute values */
			for (n = at + n; n < s.len; n++) {
				if (quote) {
					if (s.b[n] == quote)
						quote = 0;
				} else if (s.b[n] == '"' || s.b[n] == '\'') {
					quote = s.b[n];
				} else if (s.b[n] == '>') {
					break;
				}
			}
			if (n >= s.len) {
				free(e.name);
				goto bad;
			}
			scan_to(&s, n + 1);
			e.stag_end = s.pos;
			e.empty = s.b[n - 1] == '/';
			if (e.empty) {
				e.etag_start = e.stag_end;
				e.end = e.stag_end;
			}
			if (e.parent >= 0)
				d->el[e.parent].nchildren++;
			if (add_elem(d, &cap, &e) < 0) {
				free(e.name);
				return err_set(err, J2W_EDATA, "%s: more than %d elements", name,
				    JC_ELEMS_MAX);
			}
			if (!e.empty) {
				if (depth == JC_DEPTH_MAX)
					return err_set(err, J2W_EDATA, "%s:%lu: elements nested "
					    "deeper than %d", name, e.line, JC_DEPTH_MAX);
				stack[depth++] = (long)d->n - 1;
			}
		}
	}
	if (depth == 0)
		return 0;
bad:
	return err_set(err, J2W_EDATA, "%s:%lu: cannot map the document", name, s.line);
}

/* Pairs the scanned elements with libxml2's nodes, both in document order. */
static int
attach_nodes(struct jabcfg_doc *d, xmlNodePtr node, size_t *i)
{
	for (; node != NULL; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (*i >= d->n)
			return -1;
		d->el[(*i)++].node = node;
		if (attach_nodes(d, node->children, i) < 0)
			return -1;
	}
	return 0;
}

int
jabcfg_parse(struct jabcfg_doc *d, const char *buf, size_t len, const char *name,
    struct j2w_err *err)
{
	size_t bad, i = 0;

	memset(d, 0, sizeof(*d));
	if (len > JC_DOC_MAX)
		return err_set(err, J2W_EDATA, "%s: larger than %zu bytes", name, JC_DOC_MAX);
	bad = utf8_invalid_at(buf, len);
	if (bad < len) {
		unsigned long line = 1;

		for (size_t k = 0; k < bad; k++)
			line += buf[k] == '\n';
		return err_set(err, J2W_EDATA, "%s:%lu: not UTF-8 (Jabber reads the file "
		    "as UTF-8)", name, line);
	}
	if (memchr(buf, '\0', len) != NULL)
		return err_set(err, J2W_EDATA, "%s: holds a NUL byte", name);
	if (len == 0)
		return err_set(err, J2W_EDATA, "%s:1: empty file", name);
	d->buf = malloc(len + 1);
	if (d->buf == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	memcpy(d->buf, buf, len);
	d->buf[len] = '\0';
	d->len = len;
	d->crlf = memmem(buf, len, "\r\n", 2) != NULL;
	d->xml = xmlsafe_parse(d->buf, len, name, 1, err);
	if (d->xml == NULL)
		goto fail;
	if (d->xml->encoding != NULL && strcasecmp((const char *)d->xml->encoding, "utf-8") != 0 &&
	    strcasecmp((const char *)d->xml->encoding, "utf8") != 0) {
		err_set(err, J2W_EDATA, "%s:1: declares encoding '%s'; write UTF-8", name,
		    (const char *)d->xml->encoding);
		goto fail;
	}
	if (scan_elements(d, name, err) < 0)
		goto fail;
	if (attach_nodes(d, d->xml->children, &i) < 0 || i != d->n) {
		err_set(err, J2W_EDATA, "%s: cannot map the document", name);
		goto fail;
	}
	return 0;
fail:
	jabcfg_release(d);
	return -1;
}

void
jabcfg_release(struct jabcfg_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->el[i].name);
	free(d->el);
	if (d->xml != NULL)
		xmlFreeDoc(d->xml);
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

char *
jabcfg_value(const struct jabcfg_doc *d, size_t i)
{
	char *s = xml_text(d->el[i].node);
	size_t a = 0, n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[a]))
		a++;
	if (a > 0)
		memmove(s, s + a, n - a + 1);
	return s;
}

char *
jabcfg_attr(const struct jabcfg_doc *d, size_t i, const char *attr)
{
	xmlChar *v = xmlGetProp(d->el[i].node, (const xmlChar *)attr);
	char *s;

	if (v == NULL)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

long
jabcfg_child(const struct jabcfg_doc *d, long parent, const char *name)
{
	for (size_t i = parent < 0 ? 0 : (size_t)parent + 1; i < d->n; i++) {
		if (d->el[i].parent == parent && strcmp(d->el[i].name, name) == 0)
			return (long)i;
		if (parent >= 0 && d->el[i].start >= d->el[parent].end)
			break;
	}
	return -1;
}

int
jabcfg_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		int rc;

		switch (*s) {
		case '&': rc = strbuf_addstr(out, "&amp;"); break;
		case '<': rc = strbuf_addstr(out, "&lt;"); break;
		case '>': rc = strbuf_addstr(out, "&gt;"); break;
		default: rc = strbuf_addch(out, *s); break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Start of the line holding pos. */
static size_t
line_start(const struct jabcfg_doc *d, size_t pos)
{
	while (pos > 0 && d->buf[pos - 1] != '\n')
		pos--;
	return pos;
}

/* Whether only blanks stand between the start of its line and pos. */
static int
own_line(const struct jabcfg_doc *d, size_t pos)
{
	for (size_t k = line_start(d, pos); k < pos; k++)
		if (d->buf[k] != ' ' && d->buf[k] != '\t')
			return 0;
	return 1;
}

/* The blanks before pos on its line (when the element starts its line), into out. */
static void
indent_of(const struct jabcfg_doc *d, size_t pos, struct strbuf *out)
{
	strbuf_reset(out);
	if (own_line(d, pos))
		strbuf_add(out, d->buf + line_start(d, pos), pos - line_start(d, pos));
}

/*
 * One level of indentation for elements at depth (1 = groups, 2 = parameters)
 * as the file writes it: what the first such element on its own line adds to its
 * parent's indentation; else any level's step; "  " when the file shows none.
 */
static void
indent_unit(const struct jabcfg_doc *d, int depth, struct strbuf *out)
{
	struct strbuf a, b;

	strbuf_init(&a, 0);
	strbuf_init(&b, 0);
	strbuf_reset(out);
	for (int pass = 0; pass < 2 && out->len == 0; pass++)
		for (size_t i = 0; i < d->n; i++) {
			const struct jabcfg_elem *e = &d->el[i];

			if (e->depth < 1 || (pass == 0 && e->depth != depth) ||
			    !own_line(d, e->start) || !own_line(d, d->el[e->parent].start))
				continue;
			indent_of(d, e->start, &a);
			indent_of(d, d->el[e->parent].start, &b);
			if (a.len > b.len && strncmp(a.buf, b.buf, b.len) == 0) {
				strbuf_add(out, a.buf + b.len, a.len - b.len);
				break;
			}
		}
	if (out->len == 0)
		strbuf_addstr(out, "  ");
	strbuf_release(&a);
	strbuf_release(&b);
}

/* Replaces buf[from..to) with rep and parses the result again. */
static int
splice(struct jabcfg_doc *d, size_t from, size_t to, const char *rep, size_t replen,
    const char *name, struct j2w_err *err)
{
	struct strbuf nb;
	struct jabcfg_doc nd;

	strbuf_init(&nb, JC_DOC_MAX);
	if (strbuf_add(&nb, d->buf, from) < 0 || strbuf_add(&nb, rep, replen) < 0 ||
	    strbuf_add(&nb, d->buf + to, d->len - to) < 0) {
		strbuf_release(&nb);
		return err_set(err, J2W_EDATA, "%s: the result would be larger than %zu bytes",
		    name, JC_DOC_MAX);
	}
	if (jabcfg_parse(&nd, nb.buf, nb.len, name, err) < 0) {
		strbuf_release(&nb);
		err_prefix(err, "edit failed");
		return -1;
	}
	strbuf_release(&nb);
	jabcfg_release(d);
	*d = nd;
	return 0;
}

/* The start tag of element i without its "/>", for turning <x/> into <x>...</x>. */
static void
open_tag_of_empty(const struct jabcfg_doc *d, size_t i, struct strbuf *out)
{
	const struct jabcfg_elem *e = &d->el[i];
	size_t n = e->stag_end - 2 - e->start;

	while (n > 0 && isspace((unsigned char)d->buf[e->start + n - 1]))
		n--;
	strbuf_add(out, d->buf + e->start, n);
	strbuf_addch(out, '>');
}

/*
 * Adds elem (the text of one element; a new group spans lines already
 * indented) as the last element child of parent, shaped like its siblings.
 */
static int
add_child(struct jabcfg_doc *d, size_t parent, const char *elem, const char *name,
    struct j2w_err *err)
{
	const struct jabcfg_elem *p = &d->el[parent];
	const char *nl = d->crlf ? "\r\n" : "\n";
	struct strbuf ins, pind, unit;
	size_t at, from;
	int rc;

	strbuf_init(&ins, JC_DOC_MAX);
	strbuf_init(&pind, 0);
	strbuf_init(&unit, 0);
	indent_of(d, p->start, &pind);
	indent_unit(d, p->depth + 1, &unit);
	if (p->nchildren > 0) {
		long last = -1;

		for (size_t i = parent + 1; i < d->n && d->el[i].start < p->end; i++)
			if (d->el[i].parent == (long)parent)
				last = (long)i;
		at = from = d->el[last].end;
		if (own_line(d, d->el[last].start)) {
			struct strbuf ci;

			strbuf_init(&ci, 0);
			indent_of(d, d->el[last].start, &ci);
			strbuf_addf(&ins, "%s%s", nl, ci.buf);
			strbuf_release(&ci);
		}
		strbuf_addstr(&ins, elem);
	} else if (memchr(d->buf, '\n', d->len) == NULL) {
		/* a one-line file stays on one line */
		if (p->empty) {
			from = p->start;
			at = p->end;
			open_tag_of_empty(d, parent, &ins);
			strbuf_addf(&ins, "%s</%s>", elem, p->name);
		} else {
			from = at = p->etag_start;
			strbuf_addstr(&ins, elem);
		}
	} else if (p->empty) {
		from = p->start;
		at = p->end;
		open_tag_of_empty(d, parent, &ins);
		strbuf_addf(&ins, "%s%s%s%s%s%s</%s>", nl, pind.buf, unit.buf, elem, nl, pind.buf,
		    p->name);
	} else if (own_line(d, p->etag_start) && line_start(d, p->etag_start) > p->stag_end) {
		from = at = line_start(d, p->etag_start);
		strbuf_addf(&ins, "%s%s%s%s", pind.buf, unit.buf, elem, nl);
	} else {
		from = at = p->etag_start;
		strbuf_addf(&ins, "%s%s%s%s%s%s", nl, pind.buf, unit.buf, elem, nl, pind.buf);
	}
	rc = splice(d, from, at, ins.buf, ins.len, name, err);
	strbuf_release(&ins);
	strbuf_release(&pind);
	strbuf_release(&unit);
	return rc;
}

int
jabcfg_set(struct jabcfg_doc *d, const char *group, const char *param, const char *value,
    const char *name, struct j2w_err *err)
{
	struct strbuf rep;
	int changed = 0;
	long g;

	if (d->n == 0)
		return err_set(err, J2W_EDATA, "%s: no root element", name);
	strbuf_init(&rep, JC_DOC_MAX);
	/* update in place, last first so that earlier offsets stay valid */
	for (size_t k = d->n; k-- > 0; ) {
		const struct jabcfg_elem *e = &d->el[k];
		char *cur;
		int same;

		if (e->depth != 2 || strcasecmp(e->name, param) != 0)
			continue;
		cur = jabcfg_value(d, k);
		if (cur == NULL)
			goto oom;
		same = strcmp(cur, value) == 0 && e->nchildren == 0;
		free(cur);
		if (same)
			continue;
		strbuf_reset(&rep);
		if (e->empty) {
			open_tag_of_empty(d, k, &rep);
			if (jabcfg_escape(&rep, value) < 0 || strbuf_addf(&rep, "</%s>", e->name) < 0)
				goto oom;
			if (splice(d, e->start, e->end, rep.buf, rep.len, name, err) < 0)
				goto fail;
		} else {
			if (jabcfg_escape(&rep, value) < 0)
				goto oom;
			if (splice(d, e->stag_end, e->etag_start, rep.buf, rep.len, name, err) < 0)
				goto fail;
		}
		changed = 1;
		k = d->n;	/* the tree was rebuilt: look again (values now match) */
	}
	for (size_t k = 0; k < d->n; k++)
		if (d->el[k].depth == 2 && strcasecmp(d->el[k].name, param) == 0) {
			strbuf_release(&rep);
			return changed;
		}
	strbuf_reset(&rep);
	strbuf_addf(&rep, "<%s>", param);
	if (jabcfg_escape(&rep, value) < 0 || strbuf_addf(&rep, "</%s>", param) < 0)
		goto oom;
	g = jabcfg_child(d, 0, group);
	if (g < 0) {
		/* a new group holding the parameter, shaped like the file's groups */
		const char *nl = d->crlf ? "\r\n" : "\n";
		struct strbuf grp, unit, gind;
		int multiline = memchr(d->buf, '\n', d->len) != NULL, have_group = 0;
		int rc;

		strbuf_init(&grp, JC_DOC_MAX);
		strbuf_init(&unit, 0);
		strbuf_init(&gind, 0);
		indent_unit(d, 2, &unit);
		for (size_t k = 1; k < d->n; k++)
			if (d->el[k].depth == 1) {
				indent_of(d, d->el[k].start, &gind);
				if (!own_line(d, d->el[k].start))
					multiline = 0;
				have_group = 1;
				break;
			}
		if (!have_group && multiline) {
			struct strbuf step;

			/* the first group: one step in from <config> */
			strbuf_init(&step, 0);
			indent_of(d, d->el[0].start, &gind);
			indent_unit(d, 1, &step);
			strbuf_addstr(&gind, step.buf);
			strbuf_release(&step);
		}
		if (multiline)
			strbuf_addf(&grp, "<%s>%s%s%s%s%s%s</%s>", group, nl, gind.buf, unit.buf,
			    rep.buf, nl, gind.buf, group);
		else
			strbuf_addf(&grp, "<%s>%s</%s>", group, rep.buf, group);
		rc = add_child(d, 0, grp.buf, name, err);
		strbuf_release(&grp);
		strbuf_release(&unit);
		strbuf_release(&gind);
		if (rc < 0)
			goto fail;
	} else if (add_child(d, (size_t)g, rep.buf, name, err) < 0) {
		goto fail;
	}
	strbuf_release(&rep);
	return 1;
oom:
	err_set(err, J2W_ESYS, "out of memory");
fail:
	strbuf_release(&rep);
	return -1;
}

/* Whether buf[from..to) holds only blanks (a CR included). */
static int
blank(const struct jabcfg_doc *d, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++)
		if (d->buf[k] != ' ' && d->buf[k] != '\t' && d->buf[k] != '\r')
			return 0;
	return 1;
}

/* The end of the line starting at pos: its '\n' included, or the end of the buffer. */
static size_t
line_end(const struct jabcfg_doc *d, size_t pos)
{
	const char *nl = memchr(d->buf + pos, '\n', d->len - pos);

	return nl != NULL ? (size_t)(nl - d->buf) + 1 : d->len;
}

int
jabcfg_remove(struct jabcfg_doc *d, size_t i, const char *name, struct j2w_err *err)
{
	size_t from = d->el[i].start, to = d->el[i].end, k = to;
	long parent = d->el[i].parent;

	while (k < d->len && (d->buf[k] == ' ' || d->buf[k] == '\t' || d->buf[k] == '\r'))
		k++;
	if (own_line(d, from) && (k == d->len || d->buf[k] == '\n')) {
		from = line_start(d, from);
		to = k < d->len ? k + 1 : k;
		/*
		 * Blank lines that set the element apart go with it: one of the two
		 * around it, or the one between it and its parent's start or end tag.
		 */
		if (from > 0 && parent >= 0) {
			size_t pstart = line_start(d, from - 1), nend = line_end(d, to);
			const struct jabcfg_elem *p = &d->el[parent];
			int prev_blank = blank(d, pstart, from - 1);
			int next_blank = to < d->len && blank(d, to, nend > to && d->buf[nend - 1] == '\n' ?
			    nend - 1 : nend);
			int after_open = p->stag_end <= from && p->stag_end > pstart;
			int before_close = !p->empty && p->etag_start >= to && p->etag_start < nend &&
			    blank(d, to, p->etag_start);

			if (next_blank && (prev_blank || after_open))
				to = nend;
			else if (prev_blank && before_close)
				from = pstart;
		}
	}
	return splice(d, from, to, "", 0, name, err);
}

void
jabcfg_settings_free(struct jabcfg_setting *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].group);
		free(s[i].param);
		free(s[i].value);
	}
	free(s);
}

int
jabcfg_settings(const struct jabcfg_doc *d, struct jabcfg_setting **out, size_t *n, struct j2w_err *err)
{
	struct jabcfg_setting *s = NULL;
	size_t cnt = 0;

	for (size_t i = 0; i < d->n; i++)
		cnt += d->el[i].depth == 2;
	*out = NULL;
	*n = 0;
	if (cnt == 0)
		return 0;
	s = calloc(cnt, sizeof(*s));
	if (s == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	cnt = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (d->el[i].depth != 2)
			continue;
		s[cnt].group = strdup(d->el[d->el[i].parent].name);
		s[cnt].param = strdup(d->el[i].name);
		s[cnt].value = jabcfg_value(d, i);
		s[cnt].line = d->el[i].line;
		if (s[cnt].group == NULL || s[cnt].param == NULL || s[cnt].value == NULL) {
			jabcfg_settings_free(s, cnt + 1);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		cnt++;
	}
	*out = s;
	*n = cnt;
	return 0;
}
