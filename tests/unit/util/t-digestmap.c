/* Unit tests for the digest map: SipHash-2-4-128 against the reference vectors, add and find. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "util/digestmap.h"

static void
hex(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void
test_siphash_vectors(void)
{
	/* vectors_sip128 of the reference implementation: key 00..0f, message 00..len-1 */
	static const struct {
		size_t len;
		const char *want;
	} v[] = {
		{ 0, "a3817f04ba25a8e66df67214c7550293" },
		{ 1, "da87c1d86b99af44347659119b22fc45" },
		{ 2, "8177228da4a45dc7fca38bdef60affe4" },
		{ 63, "5150d1772f50834a503e069a973fbd7c" },
	};
	unsigned char k[16], msg[64], out[16];
	char got[33];

	for (int i = 0; i < 16; i++)
		k[i] = (unsigned char)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		digest_siphash128(k, msg, v[i].len, out);
		hex(out, 16, got);
		CHECK_STR(got, v[i].want);
	}
}

struct item {
	struct digest d;
	unsigned value;
};

static void
test_add_find_order(void)
{
	struct digestmap m;
	struct digest d;
	struct item *it;
	char key[32];
	int added, ok = 1;

	digestmap_init(&m, sizeof(struct item));
	digestmap_hash(&m, "x", 1, &d);
	CHECK(digestmap_find(&m, &d) == NULL);
	/* enough keys to grow the entries and the slots several times */
	for (unsigned i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "user%06u@example.com", i);
		digestmap_hash(&m, key, strlen(key), &d);
		it = digestmap_add(&m, &d, &added);
		if (it == NULL || !added || it->value != 0) {
			ok = 0;
			break;
		}
		it->value = i + 1;
	}
	CHECK(ok);
	CHECK_INT(m.n, 100000);
	/* added again: the entry that is there, untouched */
	digestmap_hash(&m, "user000042@example.com", 22, &d);
	it = digestmap_add(&m, &d, &added);
	CHECK(it != NULL && added == 0 && it->value == 43);
	CHECK_INT(m.n, 100000);
	it = digestmap_find(&m, &d);
	CHECK(it != NULL && it->value == 43);
	CHECK_INT(digestmap_index(&m, it), 42);
	/* the order added */
	it = digestmap_at(&m, 99999);
	CHECK_INT(it->value, 100000);
	/* another key, and one that differs in one byte, are absent */
	digestmap_hash(&m, "user100000@example.com", 22, &d);
	CHECK(digestmap_find(&m, &d) == NULL);
	digestmap_hash(&m, "User000042@example.com", 22, &d);
	CHECK(digestmap_find(&m, &d) == NULL);
	digestmap_release(&m);
	CHECK_INT(m.n, 0);
}

static void
test_keys_differ_per_map(void)
{
	struct digestmap a, b;
	struct digest da, db;

	/* each map draws its own key, so a collision found in one says nothing of another */
	digestmap_init(&a, sizeof(struct digest));
	digestmap_init(&b, sizeof(struct digest));
	digestmap_hash(&a, "alice", 5, &da);
	digestmap_hash(&b, "alice", 5, &db);
	CHECK(da.h[0] != db.h[0] || da.h[1] != db.h[1]);
	digestmap_release(&a);
	digestmap_release(&b);
}

UNIT_MAIN(TEST(test_siphash_vectors), TEST(test_add_find_order), TEST(test_keys_differ_per_map))
