/* Unit tests for the pure parts of http: Retry-After, backoff bounds, Link rel=next, retryable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "util/http.h"

static void
test_retry_after_seconds(void)
{
	CHECK_INT(http_retry_after_ms("5", 1000, 60000), 5000);
	CHECK_INT(http_retry_after_ms("0", 1000, 60000), 0);
	CHECK_INT(http_retry_after_ms("120", 1000, 60000), 60000);
	CHECK_INT(http_retry_after_ms("99999999999999999999", 1000, 60000), 60000);
	CHECK_INT(http_retry_after_ms("9223372036854775", 1000, 60000), 60000);
	CHECK_INT(http_retry_after_ms("60", 1000, 60000), 60000);
	CHECK_INT(http_retry_after_ms("59", 1000, 60000), 59000);
}

static void
test_retry_after_fallbacks(void)
{
	CHECK_INT(http_retry_after_ms(NULL, 1500, 60000), 1500);
	CHECK_INT(http_retry_after_ms("", 1500, 60000), 1500);
	CHECK_INT(http_retry_after_ms("soon", 1500, 60000), 1500);
	CHECK_INT(http_retry_after_ms("-5", 1500, 60000), 1500);
	CHECK_INT(http_retry_after_ms("1.5", 1500, 60000), 1500);
	CHECK_INT(http_retry_after_ms("120abc", 1500, 60000), 1500);
	CHECK_INT(http_retry_after_ms("5 s", 1500, 60000), 1500);
	/* the fallback is capped too */
	CHECK_INT(http_retry_after_ms(NULL, 90000, 60000), 60000);
}

static void
test_retry_after_dates(void)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;
	long ms;

	CHECK_INT(http_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1500, 60000), 0);
	CHECK_INT(http_retry_after_ms("Thu, 01 Jan 1970 00:00:00 GMT", 1500, 60000), 0);
	CHECK_INT(http_retry_after_ms("Fri, 31 Dec 9999 23:59:59 GMT", 1500, 60000), 60000);
	/* curl_getdate reads this junk as a date in the year 1111111111: no overflow */
	CHECK_INT(http_retry_after_ms("\x1c\xce\xce\xd5" "1111111111Oct8", 1500, 60000), 60000);
	now += 30;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	ms = http_retry_after_ms(date, 1500, 60000);
	CHECK(ms >= 28000 && ms <= 30000);
}

static void
test_backoff_bounds(void)
{
	srandom(42);
	for (int attempt = 1; attempt <= 40; attempt++) {
		long ceiling = 500;

		for (int i = 1; i < attempt && ceiling < 30000; i++)
			ceiling *= 2;
		if (ceiling > 30000)
			ceiling = 30000;
		for (int k = 0; k < 200; k++) {
			long ms = http_backoff_ms(attempt, 500, 30000);

			if (!CHECK(ms >= ceiling / 2 && ms <= ceiling) || !CHECK(ms >= 250))
				return;
		}
	}
	/* the ceiling is reached and held */
	CHECK(http_backoff_ms(1000000, 500, 30000) >= 15000);
	CHECK(http_backoff_ms(1000000, 500, 30000) <= 30000);
	CHECK(http_backoff_ms(1, 500, 30000) <= 500);
	/* a cap below the base wins */
	CHECK(http_backoff_ms(3, 1000, 100) <= 100);
	/* no overflow near LONG_MAX */
	CHECK(http_backoff_ms(200, 1L << 60, (1L << 62) + 1) > 0);
	CHECK(http_backoff_ms(200, 1L << 60, (1L << 62) + 1) <= (1L << 62) + 1);
	/* nothing to wait for, and no endless doubling of zero */
	CHECK_INT(http_backoff_ms(2000000000, 0, 30000), 0);
	CHECK_INT(http_backoff_ms(3, -5, 30000), 0);
	CHECK_INT(http_backoff_ms(3, 500, 0), 0);
}

/* http_link_next's answer, freed into a static copy ("(null)" for NULL). */
static const char *
next_of(const char *link)
{
	static char buf[1024];
	char *s = http_link_next(link);

	snprintf(buf, sizeof(buf), "%s", s ? s : "(null)");
	free(s);
	return buf;
}

static void
test_link_next(void)
{
	CHECK_STR(next_of("<https://webexapis.com/v1/people?cursor=abc>; rel=\"next\""),
	    "https://webexapis.com/v1/people?cursor=abc");
	CHECK_STR(next_of("<https://a/1>; rel=\"prev\", <https://a/3>; rel=\"next\""), "https://a/3");
	CHECK_STR(next_of("<https://a/3>; rel=next, <https://a/1>; rel=prev"), "https://a/3");
	CHECK_STR(next_of("<https://a/?ids=1,2>; rel=\"next\""), "https://a/?ids=1,2");
	CHECK_STR(next_of("<https://a/x>;rel=\"NEXT\""), "https://a/x");
	CHECK_STR(next_of("<https://a/x> ; rel = \"next\""), "https://a/x");
	CHECK_STR(next_of("<https://a/x>; rel=\"next last\""), "https://a/x");
	CHECK_STR(next_of("<https://a/x>; rel=\"last next\""), "https://a/x");
	CHECK_STR(next_of("<https://a/x>; title=\"a, b\"; rel=\"next\""), "https://a/x");
	CHECK_STR(next_of("<https://a/x>; title=\"rel=next\"; rel=\"prev\""), "(null)");
	CHECK_STR(next_of("<https://a/x>; rel=\"nextpage\""), "(null)");
	CHECK_STR(next_of("<https://a/x>; rel=\"prev\", <https://a/y>; relx=\"next\""), "(null)");
	CHECK_STR(next_of("<https://a/x>; rel=\"prev\""), "(null)");
	CHECK_STR(next_of("<https://a/x>"), "(null)");
	CHECK_STR(next_of("<>; rel=\"next\""), "(null)");
	CHECK_STR(next_of("<https://a/x; rel=\"next\""), "(null)");
	CHECK_STR(next_of("garbage"), "(null)");
	CHECK_STR(next_of(""), "(null)");
	CHECK_STR(next_of(NULL), "(null)");
	CHECK_STR(next_of("<https://a/x>; rel=\"next"), "https://a/x");
	CHECK_STR(next_of("<https://a/x>; rel=\"pr\\\"ev\", <https://a/y>; rel=next"), "https://a/y");
	/* two Link headers, joined with ", " by the header hook */
	CHECK_STR(next_of("<https://a/1>; rel=\"first\", <https://a/2>; rel=\"next\""), "https://a/2");
}

static void
test_status_retryable(void)
{
	static const long yes[] = { 429, 423, 502, 503, 504 };
	static const long no[] = { 0, 200, 201, 204, 301, 400, 401, 403, 404, 409, 500, 501, 505 };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK(http_status_retryable(yes[i]));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK(!http_status_retryable(no[i]));
}

static void
test_url_credentials(void)
{
	CHECK_INT(url_has_credentials("https://u:p@cucm.example.com:8443/axl/"), 1);
	CHECK_INT(url_has_credentials("https://token@webexapis.com/v1"), 1);
	CHECK_INT(url_has_credentials("u:p@cucm.example.com:8443/axl/"), 1);
	CHECK_INT(url_has_credentials("ldaps://cn=admin:pw@dc1.example.com"), 1);
	CHECK_INT(url_has_credentials("https://cucm.example.com:8443/axl/"), 0);
	CHECK_INT(url_has_credentials("https://webexapis.com/v1/people?email=a@example.com"), 0);
	CHECK_INT(url_has_credentials("https://host/path@x"), 0);
	CHECK_INT(url_has_credentials("https://host#frag@x"), 0);
	CHECK_INT(url_has_credentials(""), 0);
}

UNIT_MAIN(TEST(test_retry_after_seconds), TEST(test_retry_after_fallbacks),
    TEST(test_retry_after_dates), TEST(test_backoff_bounds), TEST(test_link_next),
    TEST(test_status_retryable), TEST(test_url_credentials))
