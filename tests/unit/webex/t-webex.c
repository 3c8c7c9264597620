/* Unit tests for the pure parts of the Webex client and the apply engine. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "webex/apply.h"
#include "webex/wave.h"
#include "webex/webex.h"

static void
test_urls_are_escaped_and_origin_checked(void)
{
	struct webex_opts o = { 0 };
	struct webex_client *c;
	struct j2w_err err;
	char *u;

	o.api = "https://webexapis.com/v1/";
	o.token = "t";
	c = webex_client_new(&o, &err);
	CHECK(c != NULL);
	u = webex_url(c, "/people", "email", "a+b@x.com");
	CHECK_STR(u, "https://webexapis.com/v1/people?email=a%2Bb%40x.com");
	free(u);
	u = webex_url_seg(c, "/people/", "id/../x", "/features/callingBehavior");
	CHECK_STR(u, "https://webexapis.com/v1/people/id%2F..%2Fx/features/callingBehavior");
	free(u);
	CHECK(webex_same_origin(c, "https://webexapis.com/v1/people?cursor=2"));
	CHECK(webex_same_origin(c, "HTTPS://WEBEXAPIS.COM/v1/people"));
	CHECK(!webex_same_origin(c, "https://webexapis.com.evil.example/v1/people"));
	CHECK(!webex_same_origin(c, "https://webexapis.com@evil.example/v1"));
	CHECK(!webex_same_origin(c, "http://webexapis.com/v1/people"));
	webex_client_free(c);
	o.api = "ftp://x";
	CHECK(webex_client_new(&o, &err) == NULL);
	CHECK_INT(err.status, J2W_EUSAGE);
}

static void
test_state_equal_ignores_profile_for_jabber(void)
{
	struct apply_state a = { 1, BEHAVIOR_CISCOTEL, NULL, NULL };
	struct apply_state b = { 1, BEHAVIOR_CISCOTEL, "p1", NULL };
	struct apply_state c = { 1, BEHAVIOR_UCM, "p1", NULL };
	struct apply_state d = { 1, BEHAVIOR_UCM, NULL, NULL };
	struct apply_state e = { 1, BEHAVIOR_UCM, "p1", NULL };

	CHECK(apply_state_equal(&a, &b));
	CHECK(!apply_state_equal(&c, &d));
	CHECK(apply_state_equal(&c, &e));
	CHECK(!apply_state_equal(&a, &d));
}

static void
test_wave_rows(void)
{
	struct wave_entry e;
	json_t *r = json_pack("{s:s, s:s, s:s}", "webex_email", "a@x.com", "calling_behavior",
	    "jabber", "uc_manager_profile", "");

	wave_take(r, NULL, &e);
	CHECK_INT(e.kind, WAVE_USER);
	CHECK_STR(e.email, "a@x.com");
	CHECK_INT(e.behavior, BEHAVIOR_CISCOTEL);
	CHECK(e.profile == NULL);
	/* a row with both: webex_email is the one rule's first choice (record/person.c) */
	json_object_set_new(r, "email", json_string("b@x.com"));
	wave_take(r, NULL, &e);
	CHECK_STR(e.email, "a@x.com");
	json_object_set_new(r, "webex_email", json_string("x@y@z"));
	wave_take(r, NULL, &e);
	CHECK_INT(e.kind, WAVE_BAD);
	json_decref(r);
}

UNIT_MAIN(TEST(test_urls_are_escaped_and_origin_checked),
    TEST(test_state_equal_ignores_profile_for_jabber), TEST(test_wave_rows))
