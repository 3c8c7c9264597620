/* Keys kept as 128-bit keyed digests: a compact map for per-person and per-owner state. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/digestmap.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

static uint64_t
load64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void
store64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* SipHash-2-4-128 over words k0, k1; the two output words in h. */
static void
siphash128(uint64_t k0, uint64_t k1, const unsigned char *in, size_t len, uint64_t h[2])
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1 ^ 0xee;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	const unsigned char *end = in + (len & ~(size_t)7);

	for (; in != end; in += 8) {
		m = load64(in);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t i = 0; i < (len & 7); i++)
		b |= (uint64_t)in[i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xee;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	h[0] = v0 ^ v1 ^ v2 ^ v3;
	v1 ^= 0xdd;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	h[1] = v0 ^ v1 ^ v2 ^ v3;
}

void
digest_siphash128(const unsigned char k[16], const void *p, size_t len, unsigned char out[16])
{
	uint64_t h[2];

	siphash128(load64(k), load64(k + 8), p, len, h);
	store64(out, h[0]);
	store64(out + 8, h[1]);
}

void
digestmap_init(struct digestmap *m, size_t esize)
{
	memset(m, 0, sizeof(*m));
	m->esize = esize < sizeof(struct digest) ? sizeof(struct digest) : esize;
	if (getrandom(m->key, sizeof(m->key), GRND_NONBLOCK) != (ssize_t)sizeof(m->key)) {
		struct timespec ts;

		/* only chance collisions matter then, and those stay as rare */
		clock_gettime(CLOCK_REALTIME, &ts);
		m->key[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec;
		m->key[1] = (uint64_t)getpid() * 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)(uintptr_t)m;
	}
}

void
digestmap_release(struct digestmap *m)
{
	free(m->entries);
	free(m->slots);
	m->entries = NULL;
	m->slots = NULL;
	m->n = m->cap = m->nslots = 0;
}

void
digestmap_hash(const struct digestmap *m, const void *p, size_t len, struct digest *out)
{
	siphash128(m->key[0], m->key[1], p, len, out->h);
}

void *
digestmap_at(const struct digestmap *m, size_t i)
{
	return m->entries + i * m->esize;
}

size_t
digestmap_index(const struct digestmap *m, const void *entry)
{
	return (size_t)((const unsigned char *)entry - m->entries) / m->esize;
}

/* The slot where d is, or the empty slot where it would go. */
static size_t
probe(const struct digestmap *m, const struct digest *d)
{
	size_t mask = m->nslots - 1, j = (size_t)d->h[0] & mask;

	for (; m->slots[j] != 0; j = (j + 1) & mask) {
		const struct digest *e = digestmap_at(m, m->slots[j] - 1);

		if (e->h[0] == d->h[0] && e->h[1] == d->h[1])
			break;
	}
	return j;
}

void *
digestmap_find(const struct digestmap *m, const struct digest *d)
{
	size_t j;

	if (m->nslots == 0)
		return NULL;
	j = probe(m, d);
	return m->slots[j] != 0 ? digestmap_at(m, m->slots[j] - 1) : NULL;
}

static int
grow_slots(struct digestmap *m)
{
	size_t nslots = m->nslots ? m->nslots * 2 : 1024;
	uint32_t *old = m->slots;

	m->slots = calloc(nslots, sizeof(*m->slots));
	if (m->slots == NULL) {
		m->slots = old;
		return -1;
	}
	free(old);
	m->nslots = nslots;
	for (size_t i = 0; i < m->n; i++)
		m->slots[probe(m, digestmap_at(m, i))] = (uint32_t)(i + 1);
	return 0;
}

void *
digestmap_add(struct digestmap *m, const struct digest *d, int *added)
{
	unsigned char *e;
	size_t j;

	*added = 0;
	if (m->nslots != 0) {
		j = probe(m, d);
		if (m->slots[j] != 0)
			return digestmap_at(m, m->slots[j] - 1);
	}
	if (m->n >= DIGESTMAP_MAX)
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap + m->cap / 2 : 256;
		unsigned char *n = realloc(m->entries, cap * m->esize);

		if (n == NULL)
			return NULL;
		m->entries = n;
		m->cap = cap;
	}
	/* linear probing stays short while at most half the slots are taken */
	if ((m->n + 1) * 2 > m->nslots && grow_slots(m) < 0)
		return NULL;
	j = probe(m, d);
	e = digestmap_at(m, m->n);
	memset(e, 0, m->esize);
	memcpy(e, d, sizeof(*d));
	m->slots[j] = (uint32_t)(m->n + 1);
	m->n++;
	*added = 1;
	return e;
}
