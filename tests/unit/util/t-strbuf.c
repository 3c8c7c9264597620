/* Unit tests for strbuf: growth, the cap, detach, counts with their nouns. */
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

/* Counts in summaries: one, the plural with an s, a plural of its own. */
static void
test_add_count(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	strbuf_add_count(&sb, 1, "room", NULL);
	strbuf_addstr(&sb, ", ");
	strbuf_add_count(&sb, 0, "room", NULL);
	strbuf_addstr(&sb, ", ");
	strbuf_add_count(&sb, 12345678901ULL, "message", NULL);
	strbuf_addstr(&sb, ", ");
	strbuf_add_count(&sb, 2, "LDAP search", "LDAP searches");
	strbuf_addstr(&sb, ", ");
	strbuf_add_count(&sb, 1, "LDAP search", "LDAP searches");
	CHECK_STR(sb.buf, "1 room, 0 rooms, 12345678901 messages, 2 LDAP searches, 1 LDAP search");
	strbuf_release(&sb);
}

UNIT_MAIN(TEST(test_add_and_format), TEST(test_cap_refuses_and_keeps_content),
    TEST(test_detach_hands_over), TEST(test_add_count))
