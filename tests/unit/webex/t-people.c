/* Unit tests for people in bulk: the email -> person ID index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "webex/people.h"

static json_t *
person(const char *id, const char *email, const char *email2)
{
	json_t *p = json_pack("{s:s, s:[s]}", "id", id, "emails", email);

	if (email2 != NULL)
		json_array_append_new(json_object_get(p, "emails"), json_string(email2));
	return p;
}

static void
test_index_finds_wanted_emails_without_regard_to_case(void)
{
	struct people_index *idx = people_index_new();
	json_t *page = json_array();

	CHECK(idx != NULL);
	CHECK_INT(people_index_want(idx, "Alice@Example.com"), 0);
	CHECK_INT(people_index_want(idx, "bob@example.com"), 0);
	CHECK_INT(people_index_want(idx, "alice@example.com"), 0);	/* the same one */
	CHECK_INT(people_index_wanted(idx), 2);
	json_array_append_new(page, person("P1", "ALICE@example.com", NULL));
	json_array_append_new(page, person("P9", "carol@example.com", NULL));	/* not wanted */
	json_array_append_new(page, json_pack("{s:[s]}", "emails", "bob@example.com"));	/* no id */
	CHECK_INT(people_index_take(idx, page), 1);
	CHECK_STR(people_index_get(idx, "alice@EXAMPLE.com"), "P1");
	CHECK(people_index_get(idx, "bob@example.com") == NULL);
	CHECK(people_index_get(idx, "carol@example.com") == NULL);
	CHECK_INT(people_index_found(idx), 1);
	json_decref(page);
	/* a second email of a person counts too */
	page = json_array();
	json_array_append_new(page, person("P2", "robert@example.com", "bob@example.com"));
	CHECK_INT(people_index_take(idx, page), 1);
	CHECK_STR(people_index_get(idx, "bob@example.com"), "P2");
	CHECK_INT(people_index_found(idx), 2);
	json_decref(page);
	people_index_free(idx);
}

static void
test_two_people_with_one_email_are_looked_up_one_by_one(void)
{
	struct people_index *idx = people_index_new();
	json_t *page = json_array();

	people_index_want(idx, "x@example.com");
	json_array_append_new(page, person("P1", "x@example.com", NULL));
	json_array_append_new(page, person("P1", "x@example.com", NULL));	/* listed again */
	CHECK_INT(people_index_take(idx, page), 1);
	CHECK_STR(people_index_get(idx, "x@example.com"), "P1");
	json_array_append_new(page, person("P2", "X@example.com", NULL));
	people_index_take(idx, page);
	CHECK(people_index_get(idx, "x@example.com") == NULL);
	CHECK_INT(people_index_found(idx), 0);
	json_decref(page);
	people_index_free(idx);
}

static void
test_index_grows(void)
{
	struct people_index *idx = people_index_new();
	json_t *page = json_array();
	char email[64], id[16];
	int ok = 1;

	for (int i = 0; i < 5000; i++) {
		snprintf(email, sizeof(email), "user%06d@example.com", i);
		if (people_index_want(idx, email) < 0)
			ok = 0;
		if (i % 2 == 0) {
			snprintf(id, sizeof(id), "P%d", i);
			json_array_append_new(page, person(id, email, NULL));
		}
	}
	CHECK(ok);
	CHECK_INT(people_index_wanted(idx), 5000);
	CHECK_INT(people_index_take(idx, page), 2500);
	CHECK_STR(people_index_get(idx, "USER004998@example.com"), "P4998");
	CHECK(people_index_get(idx, "user004999@example.com") == NULL);
	json_decref(page);
	people_index_free(idx);
}

UNIT_MAIN(TEST(test_index_finds_wanted_emails_without_regard_to_case),
    TEST(test_two_people_with_one_email_are_looked_up_one_by_one), TEST(test_index_grows))
