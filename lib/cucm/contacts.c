/* IM&P contact-list exports: presence rows, and non-presence rows (their vCards: vcard.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cucm/contacts.h"
#include "cucm/contacts_int.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/utf8.h"

/* The presence export's columns, in Cisco's order (State came with 12.5). */
enum { C_USER, C_USER_DOMAIN, C_CONTACT, C_CONTACT_DOMAIN, C_NICKNAME, C_GROUP, C_STATE, C_COUNT };
/* The non-presence export's columns, in Cisco's order; Info, the vCard, is last. */
enum { N_USER, N_CONTACT, N_GROUP, N_TYPE, N_VERSION, N_INFO, N_COUNT };

void
contact_release(struct contact *c)
{
	free(c->owner);
	free(c->contact);
	free(c->contact_id);
	free(c->name);
	free(c->email);
	free(c->phone);
	free(c->nickname);
	free(c->group);
	free(c->source);
	memset(c, 0, sizeof(*c));
}

json_t *
contact_to_json(const struct contact *c)
{
	json_t *obj = json_object();
	int rc = 0;

	if (obj == NULL)
		return NULL;
	rc |= json_set_str(obj, "owner", c->owner);
	if (c->kind == CONTACT_CUSTOM) {
		rc |= json_set_str(obj, "kind", "custom");
		rc |= json_set_str(obj, "contact_id", c->contact_id);
		rc |= json_set_str(obj, "name", c->name);
		rc |= json_set_str(obj, "email", c->email);
		rc |= json_set_str(obj, "phone", c->phone);
	} else {
		rc |= json_set_str(obj, "contact", c->contact);
	}
	rc |= json_set_str(obj, "nickname", c->nickname);
	rc |= json_set_str(obj, "group", c->group);
	rc |= json_set_str(obj, "source", c->source);
	if (rc != 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

int
contacts_is_space(int ch)
{
	return ch == ' ' || ch == '\t';
}

int
contacts_is_blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (contacts_is_space(*s))
		s++;
	return *s == '\0';
}

/* Copies s[0..len) without surrounding blanks (and without the whole of a blank s: NULL). */
static char *
trimmed_n(const char *s, size_t len)
{
	while (len > 0 && contacts_is_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && contacts_is_space(s[len - 1]))
		len--;
	return strndup(s, len);
}

char *
contacts_trimmed(const char *s)
{
	return trimmed_n(s, strlen(s));
}

/* A lower-cased copy of s (NULL when s is blank); *nomem set when out of memory. */
static char *
lowered(const char *s, int *nomem)
{
	struct strbuf lower;
	char *t;

	if (contacts_is_blank(s))
		return NULL;
	t = contacts_trimmed(s);
	strbuf_init(&lower, 0);
	if (t == NULL || utf8_lower(&lower, t, strlen(t)) < 0) {
		free(t);
		strbuf_release(&lower);
		*nomem = 1;
		return NULL;
	}
	free(t);
	return strbuf_detach(&lower, NULL);
}

char *
contacts_jid(const char *user, const char *domain)
{
	struct strbuf joined;
	char *u, *d, *jid;
	int nomem = 0;

	if (contacts_is_blank(user))
		return NULL;
	u = contacts_trimmed(user);
	d = contacts_is_blank(domain) ? NULL : contacts_trimmed(domain);
	if (u == NULL || (!contacts_is_blank(domain) && d == NULL) || (d == NULL && strchr(u, '@') == NULL)) {
		free(u);
		free(d);
		return NULL;
	}
	strbuf_init(&joined, 0);
	if (d != NULL)
		strbuf_addf(&joined, "%s@%s", u, d);
	else
		strbuf_addstr(&joined, u);
	free(u);
	free(d);
	jid = lowered(joined.buf, &nomem);
	strbuf_release(&joined);
	return jid;
}

/* Appends s with control characters, quotes and backslashes escaped (for messages). */
static void
add_visible(struct strbuf *sb, const char *s, size_t max)
{
	size_t n = 0;

	for (; *s && n < max; s++, n++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == '\'')
			strbuf_addf(sb, "\\x%02x", ch);
		else
			strbuf_addch(sb, ch);
	}
	if (*s)
		strbuf_addstr(sb, "...");
}

/* ---------------------------------------------------------------- reading rows */

/*
 * Reads one physical line into out, without its LF or CRLF. Returns 1, 0 at
 * the end of the file, -1 with err. Bytes past limit are read and dropped,
 * with *cut set; *nul is set when the line holds a NUL byte.
 */
static int
read_line(struct contacts_reader *r, struct strbuf *out, int *cut, int *nul, struct j2w_err *err)
{
	int ch, any = 0;

	strbuf_reset(out);
	*cut = 0;
	while ((ch = getc(r->fp)) != EOF) {
		any = 1;
		if (ch == '\n')
			break;
		if (ch == '\0')
			*nul = 1;
		if (out->len >= r->max_record) {
			*cut = 1;
			continue;
		}
		if (strbuf_addch(out, ch) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
	}
	if (ferror(r->fp))
		return err_set_errno(err, J2W_ESYS, "cannot read '%s'", r->label);
	if (!any)
		return 0;
	r->line++;
	r->line_cut_off = ch == EOF;
	if (out->len > 0 && out->buf[out->len - 1] == '\r')
		out->buf[--out->len] = '\0';
	if (r->at_start) {
		r->at_start = 0;
		const unsigned char *b = (const unsigned char *)out->buf;

		if (out->len >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)))
			return err_set(err, J2W_EDATA, "%s:1: the file is UTF-16: save it as UTF-8 "
			    "(iconv -f UTF-16 -t UTF-8)", r->label);
		if (out->len >= 3 && memcmp(out->buf, "\xef\xbb\xbf", 3) == 0) {
			memmove(out->buf, out->buf + 3, out->len - 2);
			out->len -= 3;
		}
	}
	return 1;
}

/* Ends field n of r->fields (NUL-terminates it). */
static int
field_end(struct contacts_reader *r)
{
	if (strbuf_addch(&r->fields, '\0') < 0)
		return -1;
	r->nfields++;
	return 0;
}

/*
 * Splits s[0..len) into r->fields: comma-separated, spaces around a field
 * dropped; a field in double quotes may hold commas, quotes ("") and line
 * breaks. After max - 1 commas the rest is one field, its commas kept. Returns
 * 0, 1 when a quoted field is still open at the end, -1 on ENOMEM.
 */
static int
split_fields(struct contacts_reader *r, const char *s, size_t len, size_t max)
{
	size_t i = 0;

	strbuf_reset(&r->fields);
	r->nfields = 0;
	r->too_many = 0;
	for (;;) {
		size_t start;

		if (r->nfields == CONTACTS_FIELDS_MAX) {
			r->too_many = 1;
			return 0;
		}
		r->off[r->nfields] = r->fields.len;
		while (i < len && contacts_is_space(s[i]))
			i++;
		r->last_quoted = i < len && s[i] == '"';
		if (r->last_quoted) {
			for (i++;; i++) {
				if (i >= len)
					return 1;
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						i++;
					} else {
						i++;
						break;
					}
				}
				if (strbuf_addch(&r->fields, s[i]) < 0)
					return -1;
			}
			/* text after the closing quote is kept, as spreadsheets do */
			start = i;
			while (i < len && (s[i] != ',' || r->nfields + 1 == max))
				i++;
			while (i > start && contacts_is_space(s[i - 1]))
				i--;
			if (strbuf_add(&r->fields, s + start, i - start) < 0)
				return -1;
			while (i < len && s[i] != ',')
				i++;
		} else {
			size_t end;

			start = i;
			while (i < len && (s[i] != ',' || r->nfields + 1 == max))
				i++;
			for (end = i; end > start && contacts_is_space(s[end - 1]); end--)
				;
			if (strbuf_add(&r->fields, s + start, end - start) < 0)
				return -1;
		}
		if (field_end(r) < 0)
			return -1;
		if (i >= len)
			return 0;
		i++;	/* the comma */
	}
}

static const char *
field(const struct contacts_reader *r, long i)
{
	return i >= 0 && (size_t)i < r->nfields ? r->fields.buf + r->off[i] : NULL;
}

/* Counts the quotes of s: an odd count closes (or opens) a quoted field. */
static int
odd_quotes(const char *s, size_t len)
{
	int odd = 0;

	for (size_t i = 0; i < len; i++)
		odd ^= s[i] == '"';
	return odd;
}

/*
 * Reads the next row that is not blank into r->rec and splits it in at most
 * max fields (a quoted field may go on over the next lines). Returns 1, 0 at
 * the end, -1 with err.
 */
static int
read_row(struct contacts_reader *r, size_t max, struct j2w_err *err)
{
	int cut = 0, nul = 0, rc;

	r->rec_long = 0;
	r->rec_nul = 0;
	for (;;) {
		if (r->have_ahead) {
			struct strbuf t = r->rec;

			r->rec = r->ahead;
			r->ahead = t;
			r->have_ahead = 0;
			r->rec_line = r->ahead_line;
			cut = r->ahead_cut;
			nul = r->ahead_nul;
			r->rec_cut_off = r->ahead_cut_off;
		} else {
			cut = nul = 0;
			rc = read_line(r, &r->rec, &cut, &nul, err);
			if (rc <= 0)
				return rc;
			r->rec_line = r->line;
			r->rec_cut_off = r->line_cut_off;
		}
		if (!contacts_is_blank(r->rec.buf) || nul)
			break;
	}
	r->rec_long = cut;
	r->rec_nul = nul;
	for (;;) {
		int odd;

		rc = split_fields(r, r->rec.buf, r->rec.len, max);
		if (rc < 0)
			return err_set(err, J2W_ESYS, "out of memory");
		if (rc == 0 || r->rec_long)
			return 1;
		/*
		 * A quoted field goes on: read on until a line with an odd number of
		 * quotes closes it (quotes inside come in pairs), and only then split
		 * again, so that a long field costs one pass, not one per line.
		 */
		odd = 0;
		while (!odd) {
			rc = read_line(r, &r->scratch, &cut, &r->rec_nul, err);
			if (rc < 0)
				return -1;
			if (rc == 0)
				return err_set(err, J2W_EDATA, "%s:%lu: quoted field opened here is never closed "
				    "(the file ends inside it)", r->label, r->rec_line);
			odd = odd_quotes(r->scratch.buf, r->scratch.len);
			if (cut || r->rec.len + 1 + r->scratch.len > r->max_record) {
				/* too long to keep: drop lines until the quote closes */
				r->rec_long = 1;
				continue;
			}
			if (strbuf_addch(&r->rec, '\n') < 0 ||
			    strbuf_add(&r->rec, r->scratch.buf, r->scratch.len) < 0)
				return err_set(err, J2W_ESYS, "out of memory");
			r->rec_cut_off = r->line_cut_off;
		}
		if (r->rec_long)
			return 1;
	}
}

/* Puts r->rec back, to be read again as the next row. */
static void
unread_row(struct contacts_reader *r)
{
	struct strbuf t = r->ahead;

	r->ahead = r->rec;
	r->rec = t;
	strbuf_reset(&r->rec);
	r->have_ahead = 1;
	r->ahead_line = r->rec_line;
	r->ahead_cut = r->rec_long;
	r->ahead_nul = r->rec_nul;
	r->ahead_cut_off = r->rec_cut_off;
}

static int
starts_with_vcard(const char *s)
{
	while (s != NULL && contacts_is_space(*s))
		s++;
	return s != NULL && strncasecmp(s, "BEGIN:VCARD", 11) == 0;
}

/* A line that starts a non-presence row: five commas, then BEGIN:VCARD. */
static int
starts_custom_row(const char *s)
{
	const char *v = strcasestr(s, "BEGIN:VCARD");
	int commas = 0;

	if (v == NULL)
		return 0;
	for (; s < v; s++)
		commas += *s == ',';
	return commas >= N_INFO;
}

/* Whether the (trimmed) text ends with END:VCARD. */
static int
ends_vcard(const char *s, size_t len)
{
	while (len > 0 && (contacts_is_space(s[len - 1]) || s[len - 1] == '\r'))
		len--;
	return len >= 9 && strncasecmp(s + len - 9, "END:VCARD", 9) == 0;
}

/*
 * Reads a non-presence row: five fields, then the vCard, which runs on over the
 * following lines until END:VCARD. A line that starts another row, or the end
 * of the file, before END:VCARD leaves r->vcard_open set.
 */
static int
read_custom_row(struct contacts_reader *r, struct j2w_err *err)
{
	const char *info;
	int rc, cut, nul = 0;

	r->vcard_open = 0;
	rc = read_row(r, N_COUNT, err);
	if (rc <= 0 || r->nfields != N_COUNT || r->rec_long)
		return rc;
	info = field(r, N_INFO);
	if (!starts_with_vcard(info) || r->last_quoted || ends_vcard(info, strlen(info)))
		return 1;
	r->vcard_open = 1;
	for (;;) {
		rc = read_line(r, &r->scratch, &cut, &nul, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return 1;
		if (starts_custom_row(r->scratch.buf)) {
			struct strbuf t = r->ahead;

			r->ahead = r->scratch;
			r->scratch = t;
			r->have_ahead = 1;
			r->ahead_line = r->line;
			r->ahead_cut = cut;
			r->ahead_nul = nul;
			r->ahead_cut_off = r->line_cut_off;
			return 1;
		}
		r->rec_nul |= nul;
		if (cut || r->fields.len + 1 + r->scratch.len > r->max_record) {
			r->rec_long = 1;
		} else if (!r->rec_long) {
			/* the vCard is the last field: extend it in place */
			r->fields.buf[--r->fields.len] = '\0';
			if (strbuf_addch(&r->fields, '\n') < 0 ||
			    strbuf_add(&r->fields, r->scratch.buf, r->scratch.len) < 0 ||
			    strbuf_addch(&r->fields, '\0') < 0)
				return err_set(err, J2W_ESYS, "out of memory");
		}
		if (ends_vcard(r->scratch.buf, r->scratch.len) && !contacts_is_space(r->scratch.buf[0])) {
			r->vcard_open = 0;
			return 1;
		}
	}
}

/* Header names compared with everything but letters and digits removed. */
static void
fold(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 1 < outlen; in++)
		if (isalnum((unsigned char)*in))
			out[o++] = (char)toupper((unsigned char)*in);
	out[o] = '\0';
}

/* Maps a presence header; returns 1 when the row is one (user and contact columns found). */
static int
map_presence_header(struct contacts_reader *r)
{
	static const char *const names[C_COUNT][8] = {
		[C_USER] = { "USERID", "USER", "USERJID", "USERNAME", "OWNER", "OWNERID", "OWNERJID" },
		[C_USER_DOMAIN] = { "USERDOMAIN", "DOMAIN", "OWNERDOMAIN" },
		[C_CONTACT] = { "CONTACTID", "CONTACT", "CONTACTJID", "BUDDY", "BUDDYID", "BUDDYJID" },
		[C_CONTACT_DOMAIN] = { "CONTACTDOMAIN", "BUDDYDOMAIN" },
		[C_NICKNAME] = { "NICKNAME", "NICK", "CONTACTNICKNAME" },
		[C_GROUP] = { "GROUPNAME", "GROUP", "CONTACTGROUP" },
		[C_STATE] = { "STATE", "SUBSCRIPTIONSTATE", "ROSTERSTATE" },
	};

	for (int k = 0; k < C_COUNT; k++)
		r->col[k] = -1;
	for (size_t i = 0; i < r->nfields; i++) {
		char folded[64];

		fold(field(r, (long)i), folded, sizeof(folded));
		for (int k = 0; k < C_COUNT; k++)
			for (int a = 0; a < 8 && names[k][a] != NULL; a++)
				if (r->col[k] < 0 && strcmp(folded, names[k][a]) == 0)
					r->col[k] = (long)i;
	}
	return r->col[C_USER] >= 0 && r->col[C_CONTACT] >= 0;
}

/* Whether the row is the non-presence header (User JID, ..., Content Type, ..., Info). */
static int
is_custom_header(struct contacts_reader *r)
{
	int type = 0, info = 0;

	for (size_t i = 0; i < r->nfields; i++) {
		char folded[64];

		fold(field(r, (long)i), folded, sizeof(folded));
		type |= strcmp(folded, "CONTENTTYPE") == 0;
		info |= strcmp(folded, "INFO") == 0 || strcmp(folded, "VCARD") == 0;
	}
	return type && info;
}

int
contacts_open(struct contacts_reader *r, FILE *fp, const char *name, struct j2w_err *err)
{
	char folded[64];
	int rc;

	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->at_start = 1;
	r->max_record = CONTACTS_RECORD_MAX;
	strbuf_init(&r->rec, 0);
	strbuf_init(&r->ahead, 0);
	strbuf_init(&r->fields, 0);
	strbuf_init(&r->scratch, 0);
	r->label = strdup(strcmp(name, "-") == 0 ? "<stdin>" : name);
	if (r->label == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		goto fail;
	}
	rc = read_row(r, CONTACTS_FIELDS_MAX, err);
	if (rc < 0)
		goto fail;
	if (rc == 0)
		return 0;	/* an empty export has no contacts; not an error */
	if (r->rec_long) {
		err_set(err, J2W_EDATA, "%s:%lu: the first row is longer than %zu bytes: not a "
		    "contact-list export", r->label, r->rec_line, r->max_record);
		goto fail;
	}
	if (r->rec_nul) {
		err_set(err, J2W_EDATA, "%s:%lu: NUL bytes: the file is not text (UTF-16? save it as "
		    "UTF-8)", r->label, r->rec_line);
		goto fail;
	}
	if (is_custom_header(r)) {
		r->format = CONTACTS_CUSTOM;
		r->has_header = 1;
		return 0;
	}
	if (map_presence_header(r)) {
		r->format = CONTACTS_PRESENCE;
		r->has_header = 1;
		r->ncols = r->nfields;
		return 0;
	}
	fold(r->nfields > N_TYPE ? field(r, N_TYPE) : "", folded, sizeof(folded));
	if (r->nfields >= N_COUNT && (strcmp(folded, "TEXTDIRECTORY") == 0 ||
	    starts_with_vcard(field(r, N_INFO)) || starts_custom_row(r->rec.buf))) {
		r->format = CONTACTS_CUSTOM;
		unread_row(r);
		return 0;
	}
	if (r->nfields == C_COUNT - 1 || r->nfields == C_COUNT) {
		r->format = CONTACTS_PRESENCE;
		for (int k = 0; k < C_COUNT; k++)
			r->col[k] = k;
		r->ncols = C_COUNT;
		unread_row(r);
		return 0;
	}
	err_set(err, J2W_EDATA, "%s:%lu: no 'User ID' and 'Contact ID' columns: not an IM and "
	    "Presence contact-list export (User ID, User Domain, Contact ID, Contact Domain, "
	    "Nickname, Group Name, State) nor a non-presence one (User JID, Contact JID, Group Name, "
	    "Content Type, Version, Info)", r->label, r->rec_line);
fail:
	contacts_close(r);
	return -1;
}

/* Checks every field is UTF-8; says which is not in problem. */
static int
fields_are_utf8(struct contacts_reader *r, struct strbuf *problem)
{
	for (size_t i = 0; i < r->nfields; i++) {
		const char *f = field(r, (long)i);
		size_t len = strlen(f);

		if (utf8_invalid_at(f, len) != len) {
			strbuf_addf(problem, "%s:%lu: invalid UTF-8 in field %zu (if the file is Latin-1, "
			    "convert it: iconv -f LATIN1 -t UTF-8)", r->label, r->rec_line, i + 1);
			return 0;
		}
	}
	return 1;
}

/* Problems every row can have; 1 when the row cannot be used (problem set). */
static int
row_unusable(struct contacts_reader *r, size_t want, struct strbuf *problem)
{
	if (r->rec_long)
		strbuf_addf(problem, "%s:%lu: row longer than %zu bytes", r->label, r->rec_line,
		    r->max_record);
	else if (r->rec_nul)
		strbuf_addf(problem, "%s:%lu: NUL byte in the row", r->label, r->rec_line);
	else if (r->too_many || r->nfields > want)
		strbuf_addf(problem, "%s:%lu: row has %s%zu fields, more than the %zu of %s", r->label,
		    r->rec_line, r->too_many ? "over " : "", r->nfields, want,
		    r->has_header ? "the header"
		    : "an IM and Presence export (a nickname or group name with an unquoted comma?)");
	else if (!fields_are_utf8(r, problem))
		return 1;
	else
		return 0;
	return 1;
}

static int
set_source(struct contacts_reader *r, struct contact *c)
{
	strbuf_reset(&r->scratch);
	if (strbuf_addf(&r->scratch, "imp:%s:%lu", r->label, r->rec_line) < 0)
		return -1;
	c->source = strdup(r->scratch.buf);
	return c->source == NULL ? -1 : 0;
}

/* Copies a trimmed field into *out (NULL when blank); returns 0 or -1 (ENOMEM). */
static int
take(char **out, const char *f)
{
	if (contacts_is_blank(f))
		return 0;
	*out = contacts_trimmed(f);
	return *out == NULL ? -1 : 0;
}

static int
next_presence(struct contacts_reader *r, struct contact *c, struct strbuf *problem,
    struct j2w_err *err)
{
	const char *state;
	int rc = read_row(r, CONTACTS_FIELDS_MAX, err);

	if (rc <= 0)
		return rc;
	if (row_unusable(r, r->ncols, problem))
		return 2;
	/* Cisco writes every field, empty ones too: fewer is a row cut short */
	if ((!r->has_header && r->nfields < C_COUNT - 1) ||
	    (r->rec_cut_off && r->nfields < r->ncols)) {
		strbuf_addf(problem, "%s:%lu: row has %zu fields, not the %zu%s of the %s%s", r->label,
		    r->rec_line, r->nfields, r->has_header ? r->ncols : C_COUNT - 1,
		    r->has_header ? "" : " or 7", r->has_header ? "header" : "export",
		    r->rec_cut_off ? ": the file ends in the middle of it" : "");
		return 2;
	}
	state = field(r, r->col[C_STATE]);
	if (!contacts_is_blank(state) && strspn(state, "0123456789") != strlen(state)) {
		strbuf_addf(problem, "%s:%lu: State '", r->label, r->rec_line);
		add_visible(problem, state, 40);
		strbuf_addstr(problem, "' is not a number (a nickname or group name with an unquoted comma?)");
		return 2;
	}
	c->kind = CONTACT_PRESENCE;
	c->owner = contacts_jid(field(r, r->col[C_USER]), field(r, r->col[C_USER_DOMAIN]));
	c->contact = contacts_jid(field(r, r->col[C_CONTACT]), field(r, r->col[C_CONTACT_DOMAIN]));
	if (c->owner == NULL || c->contact == NULL) {
		strbuf_addf(problem, "%s:%lu: %s", r->label, r->rec_line,
		    c->owner == NULL ? "no owner JID (User ID and User Domain)"
		    : contacts_is_blank(field(r, r->col[C_CONTACT])) ? "no Contact ID"
		    : "no Contact Domain for a contact ID without '@'");
		contact_release(c);
		return 2;
	}
	if (take(&c->nickname, field(r, r->col[C_NICKNAME])) < 0 ||
	    take(&c->group, field(r, r->col[C_GROUP])) < 0 || set_source(r, c) < 0) {
		contact_release(c);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 1;
}

static int
next_custom(struct contacts_reader *r, struct contact *c, struct strbuf *problem,
    struct j2w_err *err)
{
	const char *type, *info;
	char folded[64];
	int rc = read_custom_row(r, err), nomem = 0;

	if (rc <= 0)
		return rc;
	if (row_unusable(r, N_COUNT, problem))
		return 2;
	if (r->vcard_open) {
		strbuf_addf(problem, "%s:%lu: the vCard that starts here has no END:VCARD (the file "
		    "is cut short, or the next row starts inside it)", r->label, r->rec_line);
		return 2;
	}
	if (r->nfields < N_COUNT) {
		strbuf_addf(problem, "%s:%lu: row has %zu fields, not the 6 of a non-presence export "
		    "(User JID, Contact JID, Group Name, Content Type, Version, Info)", r->label,
		    r->rec_line, r->nfields);
		return 2;
	}
	type = field(r, N_TYPE);
	info = field(r, N_INFO);
	fold(type, folded, sizeof(folded));
	if (!contacts_is_blank(type) && strcmp(folded, "TEXTDIRECTORY") != 0) {
		strbuf_addf(problem, "%s:%lu: Content Type '", r->label, r->rec_line);
		add_visible(problem, type, 40);
		strbuf_addstr(problem, "' is not text/directory (a vCard)");
		return 2;
	}
	if (!starts_with_vcard(info)) {
		strbuf_addf(problem, "%s:%lu: no vCard (BEGIN:VCARD) in the Info field", r->label,
		    r->rec_line);
		return 2;
	}
	c->kind = CONTACT_CUSTOM;
	c->owner = contacts_jid(field(r, N_USER), NULL);
	if (c->owner == NULL) {
		strbuf_addf(problem, "%s:%lu: no User JID", r->label, r->rec_line);
		return 2;
	}
	c->contact_id = lowered(field(r, N_CONTACT), &nomem);
	if (nomem || take(&c->group, field(r, N_GROUP)) < 0 ||
	    contacts_vcard(info, strlen(info), c) < 0 || set_source(r, c) < 0) {
		contact_release(c);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	if (c->name == NULL && c->email == NULL && c->phone == NULL) {
		strbuf_addf(problem, "%s:%lu: the vCard has no name, email or phone", r->label,
		    r->rec_line);
		contact_release(c);
		return 2;
	}
	return 1;
}

int
contacts_next(struct contacts_reader *r, struct contact *c, struct strbuf *problem,
    struct j2w_err *err)
{
	memset(c, 0, sizeof(*c));
	strbuf_reset(problem);
	switch (r->format) {
	case CONTACTS_PRESENCE:
		return next_presence(r, c, problem, err);
	case CONTACTS_CUSTOM:
		return next_custom(r, c, problem, err);
	default:
		return 0;
	}
}

void
contacts_close(struct contacts_reader *r)
{
	strbuf_release(&r->rec);
	strbuf_release(&r->ahead);
	strbuf_release(&r->fields);
	strbuf_release(&r->scratch);
	free(r->label);
	memset(r, 0, sizeof(*r));
}

/*
 * Whether fp starts (after a byte-order mark and white space) with '{': JSON
 * Lines, not CSV.
 */
static int
looks_like_jsonl(FILE *fp)
{
	int c, bom = 0;

	while ((c = getc(fp)) != EOF) {
		if (bom < 3 && c == (unsigned char)"\xef\xbb\xbf"[bom]) {
			bom++;
			continue;
		}
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
	}
	rewind(fp);
	return c == '{';
}

int
contacts_read(FILE *fp, const char *name, contacts_fn *fn, void *ctx, struct j2w_err *err)
{
	struct contacts_reader r;
	struct strbuf problem;
	struct contact c;
	int rc = 0, stop = 0;

	if (looks_like_jsonl(fp)) {
		struct jsonl_reader jr;
		json_t *rec;

		jsonl_reader_init(&jr, fp, name);
		while (stop == 0 && (rc = jsonl_next(&jr, &rec, err)) > 0) {
			stop = fn(ctx, rec, NULL);
			json_decref(rec);
		}
		jsonl_reader_release(&jr);
		return stop != 0 ? stop : rc < 0 ? -1 : 0;
	}
	if (contacts_open(&r, fp, name, err) < 0)
		return -1;
	strbuf_init(&problem, 0);
	while (stop == 0 && (rc = contacts_next(&r, &c, &problem, err)) > 0) {
		json_t *rec;

		if (rc == 2) {
			stop = fn(ctx, NULL, problem.buf);
			strbuf_reset(&problem);
			continue;
		}
		rec = contact_to_json(&c);
		contact_release(&c);
		if (rec == NULL) {
			rc = err_set(err, J2W_ESYS, "out of memory");
			break;
		}
		stop = fn(ctx, rec, NULL);
		json_decref(rec);
	}
	strbuf_release(&problem);
	contacts_close(&r);
	return stop != 0 ? stop : rc < 0 ? -1 : 0;
}

const char *const contact_columns[] = {
	"owner", "contact", "nickname", "group", "kind", "contact_id", "name", "email", "phone",
	"source", NULL
};

int
contact_out_put(struct contact_out *o, const struct contact *c, struct j2w_err *err)
{
	if (o->delim == 0) {
		json_t *obj = contact_to_json(c);

		if (obj == NULL)
			return err_set(err, J2W_ESYS, "cannot encode a contact of '%s'", c->owner);
		jsonl_write(o->fp, obj);
		json_decref(obj);
	} else {
		const char *cells[CONTACT_NCOLUMNS] = {
			c->owner, c->contact, c->nickname, c->group,
			c->kind == CONTACT_CUSTOM ? "custom" : NULL, c->contact_id, c->name, c->email,
			c->phone, c->source
		};
		/* a vCard's phone number keeps its '+' when it is E.164 */
		static const unsigned char phone[CONTACT_NCOLUMNS] = { [8] = 1 };

		if (!o->header_done) {
			csv_write_row(o->fp, o->delim, contact_columns, CONTACT_NCOLUMNS, NULL);
			o->header_done = 1;
		}
		csv_write_row(o->fp, o->delim, cells, CONTACT_NCOLUMNS, phone);
	}
	return 0;
}
