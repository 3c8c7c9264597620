/* vCards of the IM&P non-presence contact export: the name, email, phone and nickname. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/contacts.h"
#include "cucm/contacts_int.h"

/* Appends a vCard text value with its backslash escapes undone and line breaks as spaces. */
static int
vcard_unescape(struct strbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int ch = (unsigned char)s[i];

		if (ch == '\\' && i + 1 < len) {
			ch = (unsigned char)s[++i];
			if (ch == 'n' || ch == 'N')
				ch = ' ';
		}
		if (ch == '\r' || ch == '\n')
			ch = ' ';
		if (strbuf_addch(out, ch) < 0)
			return -1;
	}
	return 0;
}

/* The n-th ';'-separated component of a structured value (escaped ';' is not a separator). */
static void
vcard_component(const char *s, size_t len, int n, const char **start, size_t *clen)
{
	size_t i = 0, from = 0;
	int k = 0;

	*start = s;
	*clen = 0;
	for (; i <= len; i++) {
		if (i < len && s[i] == '\\') {
			i++;
			continue;
		}
		if (i == len || s[i] == ';') {
			if (k == n) {
				*start = s + from;
				*clen = i - from;
				return;
			}
			k++;
			from = i + 1;
		}
	}
}

/* Sets *field (when unset) to the unescaped, trimmed value; returns 0 or -1 (ENOMEM). */
static int
vcard_take(char **field, const char *v, size_t len, struct strbuf *tmp)
{
	if (*field != NULL)
		return 0;
	strbuf_reset(tmp);
	if (vcard_unescape(tmp, v, len) < 0)
		return -1;
	if (contacts_is_blank(tmp->buf))
		return 0;
	*field = contacts_trimmed(tmp->buf);
	return *field == NULL ? -1 : 0;
}

/* One content line "[group.]NAME[;params]:value". */
static int
vcard_property(const char *line, size_t len, struct contact *c, char **n_name, struct strbuf *tmp)
{
	size_t colon, name_end, name_start = 0;
	int quoted = 0;
	const char *v;
	size_t vlen;

	for (colon = 0; colon < len; colon++) {
		if (line[colon] == '"')
			quoted = !quoted;
		else if (line[colon] == ':' && !quoted)
			break;
	}
	if (colon == len)
		return 0;
	for (name_end = 0; name_end < colon && line[name_end] != ';'; name_end++)
		if (line[name_end] == '.')
			name_start = name_end + 1;	/* "item1.EMAIL" */
	v = line + colon + 1;
	vlen = len - colon - 1;
#define VCARD_IS(p) (name_end - name_start == strlen(p) && \
	strncasecmp(line + name_start, p, strlen(p)) == 0)
	if (VCARD_IS("FN"))
		return vcard_take(&c->name, v, vlen, tmp);
	if (VCARD_IS("N")) {
		const char *family, *given;
		size_t flen, glen;

		if (*n_name != NULL)
			return 0;
		vcard_component(v, vlen, 0, &family, &flen);
		vcard_component(v, vlen, 1, &given, &glen);
		strbuf_reset(tmp);
		if (vcard_unescape(tmp, given, glen) < 0 ||
		    (glen > 0 && flen > 0 && strbuf_addch(tmp, ' ') < 0) ||
		    vcard_unescape(tmp, family, flen) < 0)
			return -1;
		if (!contacts_is_blank(tmp->buf) && (*n_name = contacts_trimmed(tmp->buf)) == NULL)
			return -1;
		return 0;
	}
	if (VCARD_IS("EMAIL"))
		return vcard_take(&c->email, v, vlen, tmp);
	if (VCARD_IS("TEL")) {
		if (vlen >= 4 && strncasecmp(v, "tel:", 4) == 0) {	/* vCard 4.0 URI form */
			v += 4;
			vlen -= 4;
		}
		return vcard_take(&c->phone, v, vlen, tmp);
	}
	if (VCARD_IS("NICKNAME")) {
		size_t first = 0;

		while (first < vlen && !(v[first] == ',' && (first == 0 || v[first - 1] != '\\')))
			first++;
		return vcard_take(&c->nickname, v, first, tmp);
	}
#undef VCARD_IS
	return 0;
}

int
contacts_vcard(const char *text, size_t len, struct contact *c)
{
	struct strbuf line, tmp;
	char *n_name = NULL;
	size_t i = 0;
	int rc = 0;

	strbuf_init(&line, 0);
	strbuf_init(&tmp, 0);
	while (i < len && rc == 0) {
		/* one content line, unfolded: a line break followed by a space or tab goes on */
		strbuf_reset(&line);
		for (; i < len; i++) {
			if (text[i] == '\r' || text[i] == '\n') {
				size_t j = i;

				if (text[j] == '\r' && j + 1 < len && text[j + 1] == '\n')
					j++;
				if (j + 1 < len && contacts_is_space(text[j + 1])) {
					i = j + 1;	/* the space is the fold, not content */
					continue;
				}
				i = j + 1;
				break;
			}
			if (strbuf_addch(&line, text[i]) < 0) {
				rc = -1;
				break;
			}
		}
		if (rc == 0 && line.len > 0)
			rc = vcard_property(line.buf, line.len, c, &n_name, &tmp);
	}
	if (rc == 0 && c->name == NULL) {
		c->name = n_name;
		n_name = NULL;
	}
	free(n_name);
	strbuf_release(&line);
	strbuf_release(&tmp);
	return rc;
}
