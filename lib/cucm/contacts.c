/* IM&P contact-list export reading. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/contacts.h"
#include "util/jsonl.h"
#include "util/utf8.h"

enum { C_USER, C_USER_DOMAIN, C_CONTACT, C_CONTACT_DOMAIN, C_NICKNAME, C_GROUP };

void
contact_release(struct contact *c)
{
	free(c->owner);
	free(c->contact);
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
	rc |= json_set_str(obj, "contact", c->contact);
	rc |= json_set_str(obj, "nickname", c->nickname);
	rc |= json_set_str(obj, "group", c->group);
	rc |= json_set_str(obj, "source", c->source);
	if (rc != 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static int
is_blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* Copies s without surrounding blanks. */
static char *
trimmed(const char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return strndup(s, len);
}

char *
contacts_jid(const char *user, const char *domain)
{
	struct strbuf joined, lower;
	char *u, *d;

	if (is_blank(user))
		return NULL;
	u = trimmed(user);
	d = is_blank(domain) ? NULL : trimmed(domain);
	if (u == NULL || (!is_blank(domain) && d == NULL) || (d == NULL && strchr(u, '@') == NULL)) {
		free(u);
		free(d);
		return NULL;
	}
	strbuf_init(&joined, 0);
	strbuf_init(&lower, 0);
	if (d != NULL)
		strbuf_addf(&joined, "%s@%s", u, d);
	else
		strbuf_addstr(&joined, u);
	free(u);
	free(d);
	if (utf8_lower(&lower, joined.buf, joined.len) < 0) {
		strbuf_release(&joined);
		strbuf_release(&lower);
		return NULL;
	}
	strbuf_release(&joined);
	return strbuf_detach(&lower, NULL);
}

/* Header names compared with everything but letters and digits removed. */
static void
contacts_fold(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 1 < outlen; in++)
		if (isalnum((unsigned char)*in))
			out[o++] = (char)toupper((unsigned char)*in);
	out[o] = '\0';
}

static int
contacts_map_header(struct contacts_reader *r, const struct csv_row *row)
{
	static const char *const names[6][3] = {
		{ "USERID", "USER", NULL }, { "USERDOMAIN", "DOMAIN", NULL },
		{ "CONTACTID", "CONTACT", NULL }, { "CONTACTDOMAIN", NULL, NULL },
		{ "NICKNAME", "NICK", NULL }, { "GROUPNAME", "GROUP", NULL },
	};
	int found = 0;

	for (int k = 0; k < 6; k++)
		r->col[k] = -1;
	for (size_t i = 0; i < row->n; i++) {
		char folded[64];

		contacts_fold(csv_row_field(row, i, NULL), folded, sizeof(folded));
		for (int k = 0; k < 6; k++)
			for (int a = 0; a < 3 && names[k][a] != NULL; a++)
				if (r->col[k] < 0 && strcmp(folded, names[k][a]) == 0) {
					r->col[k] = (long)i;
					found++;
				}
	}
	return r->col[C_USER] >= 0 && r->col[C_CONTACT] >= 0 ? found : 0;
}

int
contacts_open(struct contacts_reader *r, FILE *fp, const char *name, struct j2w_err *err)
{
	int rc;

	memset(r, 0, sizeof(*r));
	strbuf_init(&r->source, 0);
	r->label = strdup(strcmp(name, "-") == 0 ? "<stdin>" : name);
	if (r->label == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		goto fail;
	}
	if (csv_reader_init(&r->csv, fp, -1, ',', r->label, err) < 0)
		goto fail;
	rc = csv_reader_next(&r->csv, err);
	if (rc < 0)
		goto fail;
	if (rc == 0)
		return 0;	/* an empty export has no contacts; not an error */
	if (contacts_map_header(r, &r->csv.row) > 0)
		return 0;
	if (r->csv.row.n == 6) {
		for (int k = 0; k < 6; k++)
			r->col[k] = k;
		r->replay = 1;
		return 0;
	}
	err_set(err, J2W_EDATA, "%s:%lu: no 'User ID' and 'Contact ID' columns: not an IM and "
	    "Presence contact-list export", r->label, r->csv.row.line);
fail:
	contacts_close(r);
	return -1;
}

static const char *
contacts_cell(const struct csv_row *row, long col)
{
	return col >= 0 ? csv_row_field(row, (size_t)col, NULL) : NULL;
}

int
contacts_next(struct contacts_reader *r, struct contact *c, struct strbuf *problem,
    struct j2w_err *err)
{
	const struct csv_row *row = &r->csv.row;
	const char *nick, *group;
	int rc;

	memset(c, 0, sizeof(*c));
	strbuf_reset(problem);
	if (r->replay) {
		r->replay = 0;
	} else {
		rc = csv_reader_next(&r->csv, err);
		if (rc <= 0)
			return rc;
	}
	for (size_t i = 0; i < row->n; i++) {
		size_t len;
		const char *f = csv_row_field(row, i, &len);

		if (utf8_invalid_at(f, len) != len) {
			strbuf_addf(problem, "%s:%lu: invalid UTF-8 in field %zu", r->label, row->line, i + 1);
			return 2;
		}
	}
	c->owner = contacts_jid(contacts_cell(row, r->col[C_USER]),
	    contacts_cell(row, r->col[C_USER_DOMAIN]));
	c->contact = contacts_jid(contacts_cell(row, r->col[C_CONTACT]),
	    contacts_cell(row, r->col[C_CONTACT_DOMAIN]));
	if (c->owner == NULL || c->contact == NULL) {
		strbuf_addf(problem, "%s:%lu: %s", r->label, row->line,
		    c->owner == NULL ? "no owner JID (User ID and User Domain)"
		    : is_blank(contacts_cell(row, r->col[C_CONTACT])) ? "no Contact ID"
		    : "no Contact Domain for a contact ID without '@'");
		contact_release(c);
		return 2;
	}
	nick = contacts_cell(row, r->col[C_NICKNAME]);
	group = contacts_cell(row, r->col[C_GROUP]);
	c->nickname = is_blank(nick) ? NULL : strdup(nick);
	c->group = is_blank(group) ? NULL : strdup(group);
	strbuf_reset(&r->source);
	strbuf_addf(&r->source, "imp:%s:%lu", r->label, row->line);
	c->source = strdup(r->source.buf);
	if (c->source == NULL || (!is_blank(nick) && c->nickname == NULL) ||
	    (!is_blank(group) && c->group == NULL)) {
		contact_release(c);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 1;
}

void
contacts_close(struct contacts_reader *r)
{
	csv_reader_release(&r->csv);
	strbuf_release(&r->source);
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
