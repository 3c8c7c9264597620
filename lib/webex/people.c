/* People in bulk: an email -> person ID index filled from the paged /people listing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "webex/people.h"

struct people_entry {
	char *email;		/* lower case; NULL: a free slot */
	char *id;		/* NULL until listed */
	int twice;		/* listed for two people */
};

struct people_index {
	struct people_entry *v;
	size_t cap;		/* a power of two */
	size_t n, found;
};

struct people_index *
people_index_new(void)
{
	struct people_index *idx = calloc(1, sizeof(*idx));

	if (idx == NULL)
		return NULL;
	idx->cap = 64;
	idx->v = calloc(idx->cap, sizeof(*idx->v));
	if (idx->v == NULL) {
		free(idx);
		return NULL;
	}
	return idx;
}

void
people_index_free(struct people_index *idx)
{
	if (idx == NULL)
		return;
	for (size_t i = 0; i < idx->cap; i++) {
		free(idx->v[i].email);
		free(idx->v[i].id);
	}
	free(idx->v);
	free(idx);
}

static char
lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* FNV-1a over the ASCII-folded email. */
static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)lower(*s);
		h *= 1099511628211ULL;
	}
	return h;
}

static int
same(const char *folded, const char *s)
{
	for (; *folded && *s; folded++, s++)
		if (*folded != lower(*s))
			return 0;
	return *folded == *s;
}

/* The slot of email, or the free slot where it would go. */
static struct people_entry *
slot(const struct people_index *idx, const char *email)
{
	size_t i = (size_t)hash(email) & (idx->cap - 1);

	while (idx->v[i].email != NULL && !same(idx->v[i].email, email))
		i = (i + 1) & (idx->cap - 1);
	return &idx->v[i];
}

static int
grow(struct people_index *idx)
{
	struct people_index bigger = { 0 };

	bigger.cap = idx->cap * 2;
	bigger.v = calloc(bigger.cap, sizeof(*bigger.v));
	if (bigger.v == NULL)
		return -1;
	for (size_t i = 0; i < idx->cap; i++)
		if (idx->v[i].email != NULL)
			*slot(&bigger, idx->v[i].email) = idx->v[i];
	free(idx->v);
	idx->v = bigger.v;
	idx->cap = bigger.cap;
	return 0;
}

int
people_index_want(struct people_index *idx, const char *email)
{
	struct people_entry *e;

	if ((idx->n + 1) * 2 > idx->cap && grow(idx) < 0)
		return -1;
	e = slot(idx, email);
	if (e->email != NULL)
		return 0;
	e->email = strdup(email);
	if (e->email == NULL)
		return -1;
	for (char *p = e->email; *p; p++)
		*p = lower(*p);
	idx->n++;
	return 0;
}

size_t
people_index_wanted(const struct people_index *idx)
{
	return idx->n;
}

size_t
people_index_found(const struct people_index *idx)
{
	return idx->found;
}

long
people_index_take(struct people_index *idx, const json_t *items)
{
	long fresh = 0;
	size_t i, k;
	json_t *p, *em;

	json_array_foreach(items, i, p) {
		const char *id = json_string_value(json_object_get(p, "id"));

		if (id == NULL || *id == '\0')
			continue;
		json_array_foreach(json_object_get(p, "emails"), k, em) {
			struct people_entry *e;

			if (!json_is_string(em))
				continue;
			e = slot(idx, json_string_value(em));
			if (e->email == NULL || e->twice)
				continue;	/* not in this run, or already ambiguous */
			if (e->id != NULL) {
				if (strcmp(e->id, id) != 0) {
					e->twice = 1;
					idx->found--;
					fresh--;
				}
				continue;
			}
			e->id = strdup(id);
			if (e->id == NULL)
				return -1;
			idx->found++;
			fresh++;
		}
	}
	return fresh;
}

const char *
people_index_get(const struct people_index *idx, const char *email)
{
	const struct people_entry *e = slot(idx, email);

	return e->email != NULL && !e->twice ? e->id : NULL;
}

static int
take_page(json_t *items, void *ctx, struct j2w_err *err)
{
	struct people_listing *st = ctx;

	if (people_index_take(st->idx, items) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	st->pages++;
	st->listed += json_array_size(items);
	if (st->idx->found == st->idx->n)
		return 1;	/* everyone is found: the rest of the org is not needed */
	/*
	 * A page is a request, as a lookup by email is: once the pages cost more
	 * than they found, the wave is too small a part of the org to list it.
	 */
	if (st->pages >= 2 && st->idx->found < st->pages) {
		st->stopped_early = 1;
		return 1;
	}
	return 0;
}

void
people_list_start(struct webex_client *c, struct people_index *idx, struct people_listing *st)
{
	char path[64], *url;

	memset(st, 0, sizeof(*st));
	st->idx = idx;
	snprintf(path, sizeof(path), "/people?max=%d&excludeStatus=true", PEOPLE_PAGE);
	url = webex_url(c, path, NULL, NULL);
	if (url == NULL) {
		st->walk.done = 1;
		st->walk.rc = err_set(&st->walk.err, J2W_ESYS, "out of memory");
		return;
	}
	webex_walk_start(c, &st->walk, url, "items", take_page, st);
	free(url);
}
