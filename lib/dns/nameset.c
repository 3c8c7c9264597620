/* A hash set of DNS names: de-duplicates targets and domains in constant time per name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/nameset.h"

void
nameset_init(struct nameset *s)
{
	memset(s, 0, sizeof(*s));
}

void
nameset_release(struct nameset *s)
{
	free(s->slot);
	nameset_init(s);
}

/* The length of name without one trailing dot (the root "." keeps its dot). */
static size_t
name_len(const char *name)
{
	size_t len = strlen(name);

	return len > 1 && name[len - 1] == '.' ? len - 1 : len;
}

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* FNV-1a over the folded octets. */
static uint64_t
name_hash(const char *name)
{
	size_t len = name_len(name);
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= fold((unsigned char)name[i]);
		h *= 1099511628211ULL;
	}
	return h;
}

int
nameset_equal(const char *a, const char *b)
{
	size_t la = name_len(a), lb = name_len(b);

	if (la != lb)
		return 0;
	for (size_t i = 0; i < la; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return 0;
	return 1;
}

/* The slot holding a name equal to name, or the empty slot where it would go. */
static size_t
probe(const char **slot, size_t cap, const char *name, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slot[i] != NULL && !nameset_equal(slot[i], name))
		i = (i + 1) & (cap - 1);
	return i;
}

static int
grow(struct nameset *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	const char **slot = calloc(cap, sizeof(*slot));

	if (slot == NULL)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i] != NULL)
			slot[probe(slot, cap, s->slot[i], name_hash(s->slot[i]))] = s->slot[i];
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return 0;
}

int
nameset_add(struct nameset *s, const char *name)
{
	uint64_t h = name_hash(name);
	size_t i;

	if (s->cap > 0 && s->slot[probe(s->slot, s->cap, name, h)] != NULL)
		return 0;
	if (s->n >= NAMESET_MAX)
		return -1;
	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -1;
	i = probe(s->slot, s->cap, name, h);
	s->slot[i] = name;
	s->n++;
	return 1;
}

const char *
nameset_find(const struct nameset *s, const char *name)
{
	if (s->cap == 0)
		return NULL;
	return s->slot[probe(s->slot, s->cap, name, name_hash(name))];
}
