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

	/* a partner's customer org goes on every URL, and back on a next link that lost it */
	o.org_id = "ORG/1";
	c = webex_client_new(&o, &err);
	CHECK(c != NULL);
	u = webex_url(c, "/people", "email", "a@x.com");
	CHECK_STR(u, "https://webexapis.com/v1/people?email=a%40x.com&orgId=ORG%2F1");
	free(u);
	u = webex_url(c, "/people?max=1000", NULL, NULL);
	CHECK_STR(u, "https://webexapis.com/v1/people?max=1000&orgId=ORG%2F1");
	free(u);
	u = webex_url(c, "/telephony/config/callingProfiles", NULL, NULL);
	CHECK_STR(u, "https://webexapis.com/v1/telephony/config/callingProfiles?orgId=ORG%2F1");
	free(u);
	u = webex_url_seg(c, "/people/", "P1", "/features/callingBehavior");
	CHECK_STR(u, "https://webexapis.com/v1/people/P1/features/callingBehavior?orgId=ORG%2F1");
	free(u);
	u = webex_url_next(c, "https://webexapis.com/v1/people?max=10&cursor=abc");
	CHECK_STR(u, "https://webexapis.com/v1/people?max=10&cursor=abc&orgId=ORG%2F1");
	free(u);
	u = webex_url_next(c, "https://webexapis.com/v1/people?orgId=ORG%2F1&cursor=abc");
	CHECK_STR(u, "https://webexapis.com/v1/people?orgId=ORG%2F1&cursor=abc");
	free(u);
	u = webex_url_next(c, "https://webexapis.com/v1/people?xorgId=1");
	CHECK_STR(u, "https://webexapis.com/v1/people?xorgId=1&orgId=ORG%2F1");
	free(u);
	CHECK_INT(webex_stop_reason(c), WEBEX_RUNNING);
	webex_stop(c, "asked");
	CHECK_INT(webex_stop_reason(c), WEBEX_STOP_ASKED);
	CHECK_STR(webex_stop_why(c), "asked");
	webex_client_free(c);
	o.org_id = NULL;
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
