/* Unit tests for spaceplan: titles, JIDs, moderators, the marker, cutting history by period, the message. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spaces/spaceplan.h"
#include "unit.h"

static char title_buf[4 * SPACES_TITLE_MAX + 16];

static const char *
title(const char *name, const char *jid)
{
	spaces_title(name, jid, title_buf, sizeof(title_buf));
	return title_buf;
}

static void
test_title_from_config_name(void)
{
	CHECK_STR(title("Development Team", "dev@conference.example.com"), "Development Team");
	/* the name as the configuration form gave it: markup stays text, blanks fold */
	CHECK_STR(title("  <Incident> &\tResponse\n\"war room\"  ", "x@c"), "<Incident> & Response \"war room\"");
	CHECK_STR(title("Sales EMEA \xe2\x80\x94 Ventes", "s@c"), "Sales EMEA \xe2\x80\x94 Ventes");
	/* control characters (C0, DEL, C1) are blanks; bytes that are not UTF-8 are '?' */
	CHECK_STR(title("a\x1b[31mb\x7f" "c\xc2\x85" "d", "x@c"), "a [31mb c d");
	CHECK_STR(title("caf\xe9 ok", "x@c"), "caf? ok");
}

static void
test_title_fallback(void)
{
	/* ad-hoc style rooms have no name: the JID's local part */
	CHECK_STR(title(NULL, "adhoc-7f3a@conference.example.com"), "adhoc-7f3a");
	CHECK_STR(title("   ", "ops@conference.example.com"), "ops");
	CHECK_STR(title("\x01\x02", "@conference.example.com"), "Chat room");
	CHECK_STR(title(NULL, NULL), "Chat room");
}

static void
test_title_cut(void)
{
	char name[1024];
	const char *t;

	memset(name, 'a', 400);
	name[400] = '\0';
	t = title(name, "x@c");
	CHECK_INT(strlen(t), SPACES_TITLE_MAX);
	CHECK(strcmp(t + strlen(t) - 3, "...") == 0);
	/* a cut never splits a character: 200 three-byte characters */
	name[0] = '\0';
	for (int i = 0; i < 200; i++)
		strcat(name, "\xe2\x82\xac");
	t = title(name, "x@c");
	CHECK_INT(strlen(t), (SPACES_TITLE_MAX - 3) * 3 + 3);
}

static void
test_jid_and_moderators(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	CHECK_INT(spaces_bare_jid(" Alice@Example.COM/Jabber-Laptop ", &sb), 0);
	CHECK_STR(sb.buf, "alice@example.com");
	strbuf_release(&sb);
	CHECK(spaces_is_moderator("owner"));
	CHECK(spaces_is_moderator("ADMIN"));
	CHECK(!spaces_is_moderator("member"));
	CHECK(!spaces_is_moderator("none"));
	CHECK(!spaces_is_moderator(NULL));
}

static void
test_marker(void)
{
	char a[SPACES_MARKER_LEN], b[SPACES_MARKER_LEN], c[SPACES_MARKER_LEN];

	spaces_marker("dev-team@conference.example.com", a);
	spaces_marker("dev-team@conference.example.com", b);
	spaces_marker("sales@conference.example.com", c);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
	CHECK_INT(strlen(a), 26);
	CHECK(strncmp(a, "j2w-space-", 10) == 0);
}

static struct spaces_msg
msg(const char *t, uint64_t bytes)
{
	struct spaces_msg m = { "", bytes };

	snprintf(m.t, sizeof(m.t), "%s", t);
	return m;
}

static void
test_split_fits(void)
{
	struct spaces_msg m[3] = { msg("2024-01-01T00:00:00.000Z", 10),
		msg("2024-02-01T00:00:00.000Z", 10), msg("2024-03-01T00:00:00.000Z", 10) };
	struct j2w_err err;
	size_t *starts, n;

	CHECK_INT(spaces_split(m, 3, 30, &starts, &n, &err), 0);
	CHECK_INT(n, 1);
	CHECK_INT(starts[0], 0);
	free(starts);
	CHECK_INT(spaces_split(m, 0, 30, &starts, &n, &err), 0);
	CHECK_INT(n, 0);
	CHECK(starts == NULL);
}

static void
test_split_by_month_then_day(void)
{
	/* Jan: 3 x 10; Feb: 2 days of 2 x 10 each; limit 35 */
	struct spaces_msg m[] = {
		msg("2024-01-05T10:00:00.000Z", 10), msg("2024-01-20T10:00:00.000Z", 10),
		msg("2024-01-31T23:59:59.999Z", 10),
		msg("2024-02-01T09:00:00.000Z", 10), msg("2024-02-01T10:00:00.000Z", 10),
		msg("2024-02-02T09:00:00.000Z", 10), msg("2024-02-02T10:00:00.000Z", 10),
	};
	struct j2w_err err;
	size_t *starts, n;

	CHECK_INT(spaces_split(m, 7, 35, &starts, &n, &err), 0);
	/* January alone (a month), then February cut at a day: 01, 02 */
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_INT(starts[0], 0);
		CHECK_INT(starts[1], 3);
		CHECK_INT(starts[2], 5);
	}
	free(starts);
	/* a large limit keeps months whole and together */
	CHECK_INT(spaces_split(m, 7, 70, &starts, &n, &err), 0);
	CHECK_INT(n, 1);
	free(starts);
	CHECK_INT(spaces_split(m, 7, 50, &starts, &n, &err), 0);
	CHECK_INT(n, 2);
	if (n == 2)
		CHECK_INT(starts[1], 3);
	free(starts);
}

static void
test_split_within_a_day(void)
{
	struct spaces_msg m[] = {
		msg("2024-01-05T10:00:00.000Z", 10), msg("2024-01-05T10:00:01.000Z", 10),
		msg("2024-01-05T10:00:02.000Z", 10),
	};
	struct j2w_err err;
	size_t *starts, n;

	CHECK_INT(spaces_split(m, 3, 15, &starts, &n, &err), 0);
	CHECK_INT(n, 3);
	free(starts);
}

static void
test_split_impossible(void)
{
	struct spaces_msg big[] = { msg("2024-01-05T10:00:00.000Z", 10),
		msg("2024-01-06T10:00:00.000Z", 100) };
	struct spaces_msg same[] = { msg("2024-01-05T10:00:00.000Z", 10),
		msg("2024-01-05T10:00:00.000Z", 10) };
	struct j2w_err err;
	size_t *starts, n;

	CHECK_INT(spaces_split(big, 2, 50, &starts, &n, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "2024-01-06T10:00:00.000Z") != NULL);
	CHECK_INT(spaces_split(same, 2, 15, &starts, &n, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
}

static void
test_summary(void)
{
	char marker[SPACES_MARKER_LEN];
	struct spaces_summary s = { "ops@conference.example.com", "Ops & <b>Deploys</b> *now*",
		"2024-05-02T09:00:00.000Z", "2024-05-03T09:40:00.000Z", 4, 10, 1, 2, "abc123", marker };
	struct strbuf md, text;

	spaces_marker(s.room_jid, marker);
	strbuf_init(&md, SPACES_MARKDOWN_MAX);
	strbuf_init(&text, 0);
	CHECK_INT(spaces_summary_md(&md, &s), 0);
	CHECK_INT(spaces_summary_text(&text, &s), 0);
	/* the room's own words show as written: no markup gets through */
	CHECK(strstr(md.buf, "Ops \\& \\<b\\>Deploys\\<\\/b\\> \\*now\\*") != NULL);
	CHECK(strstr(md.buf, "<b>") == NULL);
	CHECK(strstr(md.buf, "2024-05-02 to 2024-05-03") != NULL);
	CHECK(strstr(md.buf, "part 1 of 2 (10 messages in all)") != NULL);
	CHECK(strstr(md.buf, "abc123") != NULL);
	CHECK(strstr(text.buf, "Ops & <b>Deploys</b> *now*") != NULL);
	/* the marker line is last, in both */
	CHECK(strstr(md.buf, "part 1/2") != NULL);
	CHECK_STR(md.buf + md.len - strlen(marker) - 9, text.buf + text.len - strlen(marker) - 9);
	strbuf_release(&md);
	strbuf_release(&text);
}

static void
test_file_name(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	CHECK_INT(spaces_file_name(&sb, "<Incident> & \"war\"/room", 1, 1), 0);
	CHECK_STR(sb.buf, "_Incident_ & _war__room.html");
	strbuf_reset(&sb);
	CHECK_INT(spaces_file_name(&sb, "Ops", 2, 3), 0);
	CHECK_STR(sb.buf, "Ops (2 of 3).html");
	strbuf_release(&sb);
}

UNIT_MAIN(TEST(test_title_from_config_name), TEST(test_title_fallback), TEST(test_title_cut),
    TEST(test_jid_and_moderators), TEST(test_marker), TEST(test_split_fits),
    TEST(test_split_by_month_then_day), TEST(test_split_within_a_day),
    TEST(test_split_impossible), TEST(test_summary), TEST(test_file_name))
