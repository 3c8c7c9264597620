/* Unit tests for the Webex email rule and the same-person-twice rule. */
#include <string.h>

#include "record/person.h"
#include "unit.h"

static void
test_webex_email_order(void)
{
	json_t *rec = json_pack("{s:s, s:s, s:s}", "mailid", "m@example.com",
	    "directory_uri", "d@example.com", "webex_email", "");

	/* an empty webex_email is no answer: directory_uri comes before mailid */
	CHECK_STR(person_webex_email(rec), "d@example.com");
	json_object_set_new(rec, "email", json_string("row@example.com"));
	CHECK_STR(person_webex_email(rec), "row@example.com");
	json_object_set_new(rec, "webex_email", json_string("w@example.com"));
	CHECK_STR(person_webex_email(rec), "w@example.com");
	json_decref(rec);
	rec = json_pack("{s:s}", "userid", "nobody");
	CHECK(person_webex_email(rec) == NULL);
	json_decref(rec);
}

static void
test_valid_email(void)
{
	CHECK(person_valid_email("a.b+c@example.com"));
	CHECK(!person_valid_email("a b@example.com"));
	CHECK(!person_valid_email("@example.com"));
	CHECK(!person_valid_email("a@"));
	CHECK(!person_valid_email("a@b@example.com"));
	CHECK(!person_valid_email("\"a\"@example.com"));
}

static void
test_same_person_twice(void)
{
	struct person_set s;
	struct j2w_err err;
	enum person_seen v;
	const char *first = "unset";

	person_set_init(&s);
	CHECK_INT(person_set_check(&s, "Ann@Example.com", "ucm", "a:1", &first, &v, &err), 0);
	CHECK_INT(v, PERSON_NEW);
	CHECK(first == NULL);
	/* the home_cluster:false copy from the second cluster, same wish: once */
	CHECK_INT(person_set_check(&s, "ann@example.COM", "ucm", "b:7", &first, &v, &err), 0);
	CHECK_INT(v, PERSON_REPEAT);
	CHECK_STR(first, "a:1");
	CHECK_INT(person_set_check(&s, "ann@example.com", "webex", "c:2", &first, &v, &err), 0);
	CHECK_INT(v, PERSON_CONFLICT);
	CHECK_STR(first, "a:1");
	CHECK_INT(person_set_check(&s, "bob@example.com", "webex", "c:3", NULL, &v, &err), 0);
	CHECK_INT(v, PERSON_NEW);
	CHECK_INT(s.n, 2);
	person_set_release(&s);
}

static void
test_person_key(void)
{
	json_t *home = json_pack("{s:s, s:s, s:b}", "userid", "JSmith", "webex_email",
	    "J.Smith@Example.com", "home_cluster", 1);
	json_t *copy = json_pack("{s:s, s:s, s:b}", "userid", "jsmith", "directory_uri",
	    "j.smith@example.com", "home_cluster", 0);
	json_t *other = json_pack("{s:s, s:s}", "userid", "rkumar2", "webex_email",
	    "j.smith@example.com");
	json_t *nobody = json_pack("{s:s}", "display_name", "?");
	struct strbuf a, b, c;

	strbuf_init(&a, 0);
	strbuf_init(&b, 0);
	strbuf_init(&c, 0);
	/* the second cluster's copy of a user is the same person */
	CHECK_INT(person_key(home, &a), 1);
	CHECK_INT(person_key(copy, &b), 1);
	CHECK_STR(a.buf, b.buf);
	CHECK_STR(a.buf, "j.smith@example.com\x1fjsmith");
	/* another account with the same address is another person */
	CHECK_INT(person_key(other, &c), 1);
	CHECK(strcmp(a.buf, c.buf) != 0);
	strbuf_reset(&c);
	CHECK_INT(person_key(nobody, &c), 0);
	strbuf_release(&a);
	strbuf_release(&b);
	strbuf_release(&c);
	json_decref(home);
	json_decref(copy);
	json_decref(other);
	json_decref(nobody);
}

/* A copy from another cluster never conflicts; when it comes first, the home record rules. */
static void
test_copy_from_another_cluster(void)
{
	struct person_set s;
	struct j2w_err err;
	enum person_seen v;
	json_t *home = json_pack("{s:s, s:b}", "userid", "ann", "home_cluster", 1);
	json_t *copy = json_pack("{s:s, s:b}", "userid", "ann", "home_cluster", 0);

	CHECK(!person_is_copy(home));
	CHECK(person_is_copy(copy));
	person_set_init(&s);
	CHECK_INT(person_set_check(&s, "ann@example.com", NULL, "b:3", NULL, &v, &err), 0);
	CHECK_INT(v, PERSON_NEW);
	CHECK_INT(person_set_check(&s, "ann@example.com", "ext 1001", "a:1", NULL, &v, &err), 0);
	CHECK_INT(v, PERSON_REPEAT);
	/* from now on the home record's wish is the one held to */
	CHECK_INT(person_set_check(&s, "ann@example.com", "ext 2002", "c:9", NULL, &v, &err), 0);
	CHECK_INT(v, PERSON_CONFLICT);
	CHECK_INT(person_set_check(&s, "ann@example.com", NULL, "d:4", NULL, &v, &err), 0);
	CHECK_INT(v, PERSON_REPEAT);
	person_set_release(&s);
	json_decref(home);
	json_decref(copy);
}

static void
test_first_sources(void)
{
	struct person_set s;
	struct j2w_err err;
	enum person_seen v;
	const char *first;
	char email[64], wish[32];
	int ok = 1;

	person_set_init(&s);
	/* sources of two files, one with no line, one whose "line" is not a number */
	CHECK_INT(person_set_check(&s, "a@example.com", "x", "users.jsonl:1", &first, &v, &err), 0);
	CHECK_INT(person_set_check(&s, "b@example.com", "x", "more.jsonl:12", &first, &v, &err), 0);
	CHECK_INT(person_set_check(&s, "c@example.com", "x", "<stdin>", &first, &v, &err), 0);
	CHECK_INT(person_set_check(&s, "d@example.com", "x", "host:0042", &first, &v, &err), 0);
	CHECK_INT(person_set_check(&s, "e@example.com", "x", "users.jsonl:99999999999", &first,
	    &v, &err), 0);
	CHECK_INT(person_set_check(&s, "A@example.com", "x", "z:1", &first, &v, &err), 0);
	CHECK_STR(first, "users.jsonl:1");
	CHECK_INT(person_set_check(&s, "B@example.com", "y", "z:2", &first, &v, &err), 0);
	CHECK_INT(v, PERSON_CONFLICT);
	CHECK_STR(first, "more.jsonl:12");
	CHECK_INT(person_set_check(&s, "c@example.com", "x", "z:3", &first, &v, &err), 0);
	CHECK_STR(first, "<stdin>");
	CHECK_INT(person_set_check(&s, "d@example.com", "x", "z:4", &first, &v, &err), 0);
	CHECK_STR(first, "host:0042");
	CHECK_INT(person_set_check(&s, "e@example.com", "x", "z:5", &first, &v, &err), 0);
	CHECK_STR(first, "users.jsonl:99999999999");
	/* many people from one file share its name */
	for (int i = 0; i < 50000 && ok; i++) {
		snprintf(email, sizeof(email), "user%d@example.com", i);
		snprintf(wish, sizeof(wish), "w%d", i % 7);
		ok = person_set_check(&s, email, wish, "big.jsonl:7", NULL, &v, &err) == 0 &&
		    v == PERSON_NEW;
	}
	CHECK(ok);
	CHECK_INT(s.n, 50005);
	CHECK(s.nnames <= 6);
	CHECK_INT(person_set_check(&s, "USER49999@example.com", "w5", "z:6", &first, &v, &err), 0);
	CHECK_INT(v, PERSON_REPEAT);
	CHECK_STR(first, "big.jsonl:7");
	person_set_release(&s);
}

UNIT_MAIN(TEST(test_webex_email_order), TEST(test_valid_email), TEST(test_same_person_twice),
    TEST(test_first_sources), TEST(test_person_key), TEST(test_copy_from_another_cluster))
