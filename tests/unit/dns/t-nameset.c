/* Unit tests for the hash set of DNS names: equality, repeats in any case or with a dot, size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/nameset.h"
#include "unit.h"

static void
test_equal(void)
{
	CHECK(nameset_equal("cucm1.example.com", "cucm1.example.com"));
	CHECK(nameset_equal("CUCM1.Example.COM", "cucm1.example.com"));
	CHECK(nameset_equal("cucm1.example.com.", "cucm1.example.com"));
	CHECK(nameset_equal("Cucm1.Example.Com.", "cUCM1.eXAMPLE.cOM"));
	CHECK(nameset_equal(".", "."));
	CHECK(!nameset_equal(".", ""));
	CHECK(!nameset_equal("cucm1.example.com", "cucm2.example.com"));
	CHECK(!nameset_equal("cucm1.example.com", "cucm1.example.co"));
	CHECK(!nameset_equal("cucm1.example.com..", "cucm1.example.com"));
	/* only ASCII letters fold (RFC 4343): a byte above 127 is itself */
	CHECK(!nameset_equal("\xc3\x89.example", "\xc3\xa9.example"));
}

/* Repeats in another case or with a trailing dot are one name; the first spelling stays. */
static void
test_repeats(void)
{
	struct nameset s;

	nameset_init(&s);
	CHECK(nameset_find(&s, "x.example") == NULL);
	CHECK_INT(nameset_add(&s, "cucm1.example.com"), 1);
	CHECK_INT(nameset_add(&s, "CUCM1.EXAMPLE.COM"), 0);
	CHECK_INT(nameset_add(&s, "cucm1.example.com."), 0);
	CHECK_INT(nameset_add(&s, "Cucm1.Example.Com."), 0);
	CHECK_INT(nameset_add(&s, "cucm2.example.com."), 1);
	CHECK_INT(nameset_add(&s, "CUCM2.example.com"), 0);
	CHECK_INT(nameset_add(&s, "."), 1);
	CHECK_INT(nameset_add(&s, "."), 0);
	CHECK_INT(s.n, 3);
	CHECK_STR(nameset_find(&s, "CUCM1.example.com."), "cucm1.example.com");
	CHECK_STR(nameset_find(&s, "cucm2.example.com"), "cucm2.example.com.");
	CHECK(nameset_find(&s, "cucm3.example.com") == NULL);
	nameset_release(&s);
	CHECK_INT(s.n, 0);
	CHECK(nameset_find(&s, "cucm1.example.com") == NULL);
	nameset_release(&s);
}

/* 100,000 names, each added three times in three spellings: each kept once, all found. */
static void
test_many(void)
{
	enum { N = 100000 };
	struct nameset s;
	char **lower = malloc(N * sizeof(*lower)), **upper = malloc(N * sizeof(*upper));
	char **dotted = malloc(N * sizeof(*dotted));
	size_t added = 0, repeats = 0, found = 0, missing = 0;

	if (!CHECK(lower != NULL && upper != NULL && dotted != NULL))
		return;
	nameset_init(&s);
	for (size_t i = 0; i < N; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "node%zu.d%zu.example.com", i % 7, i);
		lower[i] = strdup(buf);
		snprintf(buf, sizeof(buf), "NODE%zu.D%zu.Example.COM", i % 7, i);
		upper[i] = strdup(buf);
		snprintf(buf, sizeof(buf), "node%zu.d%zu.example.com.", i % 7, i);
		dotted[i] = strdup(buf);
	}
	for (size_t i = 0; i < N; i++)
		added += nameset_add(&s, lower[i]) == 1;
	for (size_t i = 0; i < N; i++) {
		repeats += nameset_add(&s, upper[N - 1 - i]) == 0;
		repeats += nameset_add(&s, dotted[i]) == 0;
	}
	CHECK_INT(added, N);
	CHECK_INT(repeats, 2 * N);
	CHECK_INT(s.n, N);
	/* at most half full, so a miss ends soon */
	CHECK(s.cap >= 2 * s.n);
	for (size_t i = 0; i < N; i++)
		found += nameset_find(&s, dotted[i]) == lower[i];
	CHECK_INT(found, N);
	for (size_t i = 0; i < 1000; i++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "node%zu.d%zu.example.com", (i + 1) % 7, i);
		missing += nameset_find(&s, buf) == NULL;
	}
	CHECK_INT(missing, 1000);
	nameset_release(&s);
	for (size_t i = 0; i < N; i++) {
		free(lower[i]);
		free(upper[i]);
		free(dotted[i]);
	}
	free(lower);
	free(upper);
	free(dotted);
}

UNIT_MAIN(
	TEST(test_equal),
	TEST(test_repeats),
	TEST(test_many),
)
