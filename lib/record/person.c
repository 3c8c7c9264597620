/* Who a record is: the Webex email rule and the same-person-twice rule. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/person.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"

const char *
person_webex_email(const json_t *rec)
{
	static const char *const keys[] = { "webex_email", "email", "directory_uri", "mailid",
	    NULL };

	for (const char *const *k = keys; *k != NULL; k++) {
		const char *v = json_get_str(rec, *k);

		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

int
person_key(const json_t *rec, struct strbuf *sb)
{
	const char *email = person_webex_email(rec), *userid = json_get_str(rec, "userid");

	if (email == NULL && (userid == NULL || *userid == '\0'))
		return 0;
	/* a unit separator cannot be part of an address or a user ID that is used */
	if ((email != NULL && utf8_lower(sb, email, strlen(email)) < 0) ||
	    strbuf_addch(sb, '\x1f') < 0 ||
	    (userid != NULL && utf8_lower(sb, userid, strlen(userid)) < 0))
		return -1;
	return 1;
}

int
person_is_copy(const json_t *rec)
{
	return json_is_false(json_object_get(rec, "home_cluster"));
}

int
person_valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == ',' || *s == '<' || *s == '>' || *s == '"')
			return 0;
	return 1;
}

/* What a person_set keeps of each person. */
struct person_seen_at {
	struct digest email;	/* of the lower-cased email */
	struct digest wish;
	uint32_t name;		/* index into names */
	uint32_t line;		/* 0: the source is the name alone */
};

void
person_set_init(struct person_set *s)
{
	memset(s, 0, sizeof(*s));
	digestmap_init(&s->seen, sizeof(struct person_seen_at));
	strbuf_init(&s->first, 0);
}

void
person_set_release(struct person_set *s)
{
	digestmap_release(&s->seen);
	for (size_t i = 0; i < s->nnames; i++)
		free(s->names[i]);
	free(s->names);
	strbuf_release(&s->first);
	s->names = NULL;
	s->nnames = s->names_cap = 0;
	s->n = 0;
}

/*
 * Splits source "NAME:LINE" into the index of NAME (shared with the previous
 * source when it names the same file, as one input's lines all do) and LINE;
 * a source of another shape is kept whole with line 0. Returns 0 or -1 (ENOMEM).
 */
static int
intern_source(struct person_set *s, const char *source, uint32_t *name, uint32_t *line)
{
	const char *colon = strrchr(source, ':');
	size_t len = strlen(source);
	unsigned long long v = 0;
	char *copy;

	*line = 0;
	if (colon != NULL && colon[1] >= '1' && colon[1] <= '9' && strlen(colon + 1) <= 10 &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
		for (const char *p = colon + 1; *p; p++)
			v = v * 10 + (unsigned long long)(*p - '0');
		if (v <= UINT32_MAX) {
			*line = (uint32_t)v;
			len = (size_t)(colon - source);
		}
	}
	if (s->nnames > 0 && strlen(s->names[s->nnames - 1]) == len &&
	    memcmp(s->names[s->nnames - 1], source, len) == 0) {
		*name = (uint32_t)(s->nnames - 1);
		return 0;
	}
	if (s->nnames >= UINT32_MAX)
		return -1;
	if (s->nnames == s->names_cap) {
		size_t cap = s->names_cap ? s->names_cap * 2 : 4;
		char **n = realloc(s->names, cap * sizeof(*n));

		if (n == NULL)
			return -1;
		s->names = n;
		s->names_cap = cap;
	}
	copy = strndup(source, len);
	if (copy == NULL)
		return -1;
	s->names[s->nnames] = copy;
	*name = (uint32_t)s->nnames++;
	return 0;
}

int
person_set_check(struct person_set *s, const char *email, const char *wish,
    const char *source, const char **first, enum person_seen *verdict, struct j2w_err *err)
{
	struct person_seen_at *at;
	struct strbuf low;
	struct digest key, w;
	uint32_t name, line;
	int added;

	strbuf_init(&low, 0);
	if (utf8_lower(&low, email, strlen(email)) < 0) {
		strbuf_release(&low);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	digestmap_hash(&s->seen, low.buf, low.len, &key);
	strbuf_release(&low);
	/* a copy from another cluster has no wish: all zero, which no digest is in practice */
	memset(&w, 0, sizeof(w));
	if (wish != NULL)
		digestmap_hash(&s->seen, wish, strlen(wish), &w);
	at = digestmap_find(&s->seen, &key);
	if (at != NULL) {
		static const struct digest none;
		int had = memcmp(&at->wish, &none, sizeof(none)) != 0;
		int has = memcmp(&w, &none, sizeof(none)) != 0;

		*verdict = !had || !has || memcmp(&at->wish, &w, sizeof(w)) == 0 ? PERSON_REPEAT :
		    PERSON_CONFLICT;
		/* the copy came first: the home record says what this person wants */
		if (!had && has)
			at->wish = w;
		if (first != NULL) {
			strbuf_reset(&s->first);
			if ((at->line > 0 ? strbuf_addf(&s->first, "%s:%u", s->names[at->name],
			    (unsigned)at->line) : strbuf_addstr(&s->first, s->names[at->name])) < 0)
				return err_set(err, J2W_ESYS, "out of memory");
			*first = s->first.buf;
		}
		return 0;
	}
	if (intern_source(s, source, &name, &line) < 0 ||
	    (at = digestmap_add(&s->seen, &key, &added)) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	at->wish = w;
	at->name = name;
	at->line = line;
	s->n++;
	*verdict = PERSON_NEW;
	if (first != NULL)
		*first = NULL;
	return 0;
}
