/*
 * A map from byte strings to small fixed-size entries that keeps only a 128-bit
 * digest of each key, not the key: memory per key is the entry and a few bytes
 * of index, whatever the key's length. The digest is SipHash-2-4-128 under a
 * key drawn at random per map, so nobody can craft two keys that collide; two
 * different keys collide by chance with odds of about n^2 / 2^129 (10^-28 for a
 * million keys), far below the odds of the disk returning a wrong byte.
 */
#ifndef J2W_DIGESTMAP_H
#define J2W_DIGESTMAP_H

#include <stddef.h>
#include <stdint.h>

/* The most entries a map holds (indices fit 32 bits). */
#define DIGESTMAP_MAX ((size_t)1 << 30)

struct digest {
	uint64_t h[2];
};

struct digestmap {
	unsigned char *entries;	/* n entries of esize bytes, in the order added */
	size_t esize;
	size_t n;
	size_t cap;
	uint32_t *slots;	/* open addressing: 0 is empty, else entry index + 1 */
	size_t nslots;		/* a power of two, at least twice n */
	uint64_t key[2];	/* the SipHash key */
};

/*
 * Sets up an empty map of entries of esize bytes (at least sizeof(struct
 * digest)): each entry starts with its key's digest, the rest is the caller's.
 * Allocates nothing until the first add. The SipHash key is random
 * (getrandom; the clock and process ID if that fails).
 */
void digestmap_init(struct digestmap *m, size_t esize);
void digestmap_release(struct digestmap *m);

/* The digest of p[0..len) under m's key. */
void digestmap_hash(const struct digestmap *m, const void *p, size_t len, struct digest *out);

/* The entry with digest d, or NULL. Valid until the next add. */
void *digestmap_find(const struct digestmap *m, const struct digest *d);

/*
 * The entry with digest d, added (zeroed after the digest) when absent, with
 * *added set to 1 then and to 0 when it was there. Valid until the next add.
 * NULL on ENOMEM or past DIGESTMAP_MAX entries (the map is unchanged).
 */
void *digestmap_add(struct digestmap *m, const struct digest *d, int *added);

/* Entry i (0 <= i < n): entries keep the order they were added in. */
void *digestmap_at(const struct digestmap *m, size_t i);
/* The index of an entry of m. */
size_t digestmap_index(const struct digestmap *m, const void *entry);

/*
 * SipHash-2-4 with 128-bit output (Aumasson and Bernstein) of p[0..len) under
 * the 16-byte key k, as the reference implementation computes it.
 */
void digest_siphash128(const unsigned char k[16], const void *p, size_t len,
    unsigned char out[16]);

#endif
