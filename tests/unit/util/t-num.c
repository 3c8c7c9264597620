/* Unit tests for num: whole-string parsing, junk, spaces, overflow and range; durations and sizes. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include "unit.h"
#include "util/num.h"

/* num_parse_long's result: the value, or -errno when it refused (out untouched). */
static long
pl(const char *s, long min, long max)
{
	long v = 12345;

	errno = 0;
	if (num_parse_long(s, min, max, &v) < 0)
		return v == 12345 ? -errno : -999;
	return v;
}

static void
test_long_accepts(void)
{
	CHECK_INT(pl("0", 0, 10), 0);
	CHECK_INT(pl("10", 0, 10), 10);
	CHECK_INT(pl("-5", -10, 10), -5);
	CHECK_INT(pl("+7", 0, 10), 7);
	CHECK_INT(pl("007", 0, 10), 7);
	CHECK_INT(pl("9223372036854775807", 0, LONG_MAX), LONG_MAX);
	CHECK_INT(pl("-9223372036854775808", LONG_MIN, 0), LONG_MIN);
}

static void
test_long_refuses_junk(void)
{
	CHECK_INT(pl(NULL, 0, 10), -EINVAL);
	CHECK_INT(pl("", 0, 10), -EINVAL);
	CHECK_INT(pl(" 5", 0, 10), -EINVAL);
	CHECK_INT(pl("5 ", 0, 10), -EINVAL);
	CHECK_INT(pl("5\n", 0, 10), -EINVAL);
	CHECK_INT(pl("\t5", 0, 10), -EINVAL);
	CHECK_INT(pl("5x", 0, 10), -EINVAL);
	CHECK_INT(pl("x5", 0, 10), -EINVAL);
	CHECK_INT(pl("0x10", 0, 100), -EINVAL);
	CHECK_INT(pl("1.5", 0, 10), -EINVAL);
	CHECK_INT(pl("1e3", 0, 10000), -EINVAL);
	CHECK_INT(pl("-", 0, 10), -EINVAL);
	CHECK_INT(pl("+", 0, 10), -EINVAL);
	CHECK_INT(pl("--5", -10, 10), -EINVAL);
	CHECK_INT(pl("5\xc2\xa0", 0, 10), -EINVAL);
}

static void
test_long_range_and_overflow(void)
{
	CHECK_INT(pl("11", 0, 10), -ERANGE);
	CHECK_INT(pl("-1", 0, 10), -ERANGE);
	CHECK_INT(pl("9223372036854775808", 0, LONG_MAX), -ERANGE);
	CHECK_INT(pl("-9223372036854775809", LONG_MIN, 0), -ERANGE);
	CHECK_INT(pl("99999999999999999999999999", 0, 10), -ERANGE);
	CHECK_INT(pl("-99999999999999999999999999", LONG_MIN, LONG_MAX), -ERANGE);
	CHECK_INT(pl("0", 1, 65535), -ERANGE);
	CHECK_INT(pl("65536", 1, 65535), -ERANGE);
}

/* num_parse_double's result times 1000 rounded, or -errno (out untouched). */
static long
pd(const char *s, double min, double max)
{
	double v = -1;

	errno = 0;
	if (num_parse_double(s, min, max, &v) < 0)
		return v == -1 ? -errno : -999;
	return (long)(v * 1000 + (v < 0 ? -0.5 : 0.5));
}

static void
test_double(void)
{
	CHECK_INT(pd("1.5", 0, 10), 1500);
	CHECK_INT(pd("2", 0, 10), 2000);
	CHECK_INT(pd("0.25", 0, 1), 250);
	CHECK_INT(pd(".5", 0, 1), 500);
	CHECK_INT(pd("-0.5", -1, 1), -500);
	CHECK_INT(pd("1e1", 0, 100), 10000);
	CHECK_INT(pd("", 0, 10), -EINVAL);
	CHECK_INT(pd(NULL, 0, 10), -EINVAL);
	CHECK_INT(pd(" 1", 0, 10), -EINVAL);
	CHECK_INT(pd("1 ", 0, 10), -EINVAL);
	CHECK_INT(pd("1,5", 0, 10), -EINVAL);
	CHECK_INT(pd("abc", 0, 10), -EINVAL);
	CHECK_INT(pd("nan", 0, 10), -EINVAL);
	CHECK_INT(pd("NaN", -1e308, 1e308), -EINVAL);
	CHECK_INT(pd("inf", 0, 1e308), -EINVAL);
	CHECK_INT(pd("-infinity", -1e308, 0), -EINVAL);
	CHECK_INT(pd("0x10", 0, 100), -EINVAL);
	CHECK_INT(pd("0x1p3", 0, 100), -EINVAL);
	CHECK_INT(pd(".", 0, 10), -EINVAL);
	CHECK_INT(pd("1e", 0, 10), -EINVAL);
	CHECK_INT(pd("10.5", 0, 10), -ERANGE);
	CHECK_INT(pd("-0.1", 0, 10), -ERANGE);
	CHECK_INT(pd("1e999", 0, 1e308), -ERANGE);
}

static long
ms(const char *s, int *rc)
{
	long v = -1;

	*rc = num_parse_duration_ms(s, 1, 3600000, &v);
	return *rc == 0 ? v : -errno;
}

static void
test_duration(void)
{
	int rc;

	CHECK_INT(ms("2", &rc), 2000);
	CHECK_INT(ms("0.5", &rc), 500);
	CHECK_INT(ms("2s", &rc), 2000);
	CHECK_INT(ms("1.5s", &rc), 1500);
	CHECK_INT(ms("500ms", &rc), 500);
	CHECK_INT(ms("0.001", &rc), 1);
	CHECK_INT(ms("3600", &rc), 3600000);
	CHECK_INT(ms("1e1", &rc), 10000);
	CHECK_INT(ms("0", &rc), -ERANGE);
	CHECK_INT(ms("0.0001", &rc), -ERANGE);
	CHECK_INT(ms("3601", &rc), -ERANGE);
	CHECK_INT(ms("-1", &rc), -EINVAL);
	CHECK_INT(ms("+1", &rc), -EINVAL);
	CHECK_INT(ms("", &rc), -EINVAL);
	CHECK_INT(ms("s", &rc), -EINVAL);
	CHECK_INT(ms("ms", &rc), -EINVAL);
	CHECK_INT(ms("2m", &rc), -EINVAL);
	CHECK_INT(ms("2 s", &rc), -EINVAL);
	CHECK_INT(ms("inf", &rc), -EINVAL);
	CHECK_INT(ms("1h", &rc), -EINVAL);
	CHECK_INT(ms("5mss", &rc), -EINVAL);
}

/* num_parse_size's result in [1024, 1e12], or -errno (out untouched). */
static long long
sz(const char *s)
{
	uint64_t v = 7;

	errno = 0;
	if (num_parse_size(s, 1024, 1000000000000ULL, &v) < 0)
		return v == 7 ? -errno : -999;
	return (long long)v;
}

static void
test_size(void)
{
	CHECK(sz("100000000") == 100000000);
	CHECK(sz("1024") == 1024);
	CHECK(sz("20K") == 20000);
	CHECK(sz("20k") == 20000);
	CHECK(sz("100M") == 100000000);
	CHECK(sz("1.5m") == 1500000);
	CHECK(sz(".5M") == 500000);
	CHECK(sz("+2K") == 2000);
	CHECK(sz("1e6") == 1000000);
	CHECK(sz("1000000M") == 1000000000000LL);
	CHECK(sz("1.0249K") == 1024);	/* a fraction of a byte is dropped */
	/* not a number at all: what a size looks like */
	CHECK(sz(NULL) == -EINVAL);
	CHECK(sz("") == -EINVAL);
	CHECK(sz("K") == -EINVAL);
	CHECK(sz("M") == -EINVAL);
	CHECK(sz("big") == -EINVAL);
	CHECK(sz(".") == -EINVAL);
	CHECK(sz("-") == -EINVAL);
	CHECK(sz(" 5M") == -EINVAL);
	CHECK(sz("nan") == -EINVAL);
	CHECK(sz("inf") == -EINVAL);
	/* a number, but not a size in range with one unit: the range */
	CHECK(sz("12") == -ERANGE);
	CHECK(sz("1023") == -ERANGE);
	CHECK(sz("1K") == -ERANGE);
	CHECK(sz("-5M") == -ERANGE);
	CHECK(sz("1000001M") == -ERANGE);
	CHECK(sz("1e999") == -ERANGE);
	CHECK(sz("5G") == -ERANGE);
	CHECK(sz("5KM") == -ERANGE);
	CHECK(sz("5 M") == -ERANGE);
	CHECK(sz("5M ") == -ERANGE);
	CHECK(sz("0x1000") == -ERANGE);
	CHECK(sz("1e") == -ERANGE);
	CHECK(sz("5\nM") == -ERANGE);
	CHECK(sz("100000000000000000000000000000000000000000000000000000000000000000000") == -ERANGE);
}

UNIT_MAIN(TEST(test_long_accepts), TEST(test_long_refuses_junk),
    TEST(test_long_range_and_overflow), TEST(test_double), TEST(test_duration), TEST(test_size))
