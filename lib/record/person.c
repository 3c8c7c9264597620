/* Who a record is: the Webex email rule and the same-person-twice rule. */
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

void
person_set_init(struct person_set *s)
{
	s->seen = json_object();
	s->n = 0;
}

void
person_set_release(struct person_set *s)
{
	json_decref(s->seen);
	s->seen = NULL;
	s->n = 0;
}

int
person_set_check(struct person_set *s, const char *email, const char *wish,
    const char *source, const char **first, enum person_seen *verdict, struct j2w_err *err)
{
	struct strbuf low;
	const json_t *prev;

	strbuf_init(&low, 0);
	if (s->seen == NULL || utf8_lower(&low, email, strlen(email)) < 0) {
		strbuf_release(&low);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	prev = json_object_get(s->seen, low.buf);
	if (prev != NULL) {
		const char *had = json_get_str(prev, "wish");

		if (first != NULL)
			*first = json_get_str(prev, "source");
		*verdict = had == NULL || wish == NULL || strcmp(had, wish) == 0 ? PERSON_REPEAT :
		    PERSON_CONFLICT;
		/* the copy came first: the home record says what this person wants */
		if (had == NULL && wish != NULL &&
		    json_object_set_new((json_t *)prev, "wish", json_string(wish)) < 0) {
			strbuf_release(&low);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		strbuf_release(&low);
		return 0;
	}
	if (json_object_set_new(s->seen, low.buf, json_pack("{s:s, s:s*}", "source", source,
	    "wish", wish)) < 0) {
		strbuf_release(&low);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	strbuf_release(&low);
	s->n++;
	*verdict = PERSON_NEW;
	if (first != NULL)
		*first = NULL;
	return 0;
}
