/* Unit tests for strbuf: growth, the cap, detach. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util/strbuf.h"

static void
test_add_and_format(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	CHECK_STR(sb.buf, "");
	CHECK_INT(strbuf_addstr(&sb, "abc"), 0);
	CHECK_INT(strbuf_addf(&sb, "-%d-%s", 42, "x"), 0);
	CHECK_STR(sb.buf, "abc-42-x");
	CHECK_INT(sb.len, 8);
	strbuf_reset(&sb);
	CHECK_STR(sb.buf, "");
	strbuf_release(&sb);
}

static void
test_cap_refuses_and_keeps_content(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 5);
	CHECK_INT(strbuf_addstr(&sb, "12345"), 0);
	errno = 0;
	CHECK_INT(strbuf_addch(&sb, '6'), -1);
	CHECK_INT(errno, EFBIG);
	CHECK_STR(sb.buf, "12345");
	strbuf_release(&sb);
}

static void
test_detach_hands_over(void)
{
	struct strbuf sb;
	size_t len;
	char *s;

	strbuf_init(&sb, 0);
	s = strbuf_detach(&sb, &len);
	CHECK_STR(s, "");
	free(s);
	strbuf_addstr(&sb, "hello  \r\n");
	strbuf_rtrim(&sb);
	s = strbuf_detach(&sb, &len);
	CHECK_STR(s, "hello");
	CHECK_INT(len, 5);
	CHECK_STR(sb.buf, "");
	free(s);
}

UNIT_MAIN(TEST(test_add_and_format), TEST(test_cap_refuses_and_keeps_content),
    TEST(test_detach_hands_over))
