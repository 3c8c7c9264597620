/* Unit tests for IM&P contact-list exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/contacts.h"
#include "unit.h"

static void
test_jid_joining(void)
{
	char *j;

	j = contacts_jid("Bob", "Example.COM");
	CHECK_STR(j, "bob@example.com");
	free(j);
	j = contacts_jid("bjones@usa", "example.com");
	CHECK_STR(j, "bjones@usa@example.com");
	free(j);
	j = contacts_jid(" alice@example.com ", "");
	CHECK_STR(j, "alice@example.com");
	free(j);
	j = contacts_jid("\xc3\x98rjan", "example.com");
	CHECK_STR(j, "\xc3\xb8rjan@example.com");
	free(j);
	CHECK(contacts_jid("bob", "") == NULL);
	CHECK(contacts_jid("", "example.com") == NULL);
	CHECK(contacts_jid(NULL, "example.com") == NULL);
}

/* Reads all of csv; returns contacts read, counts unusable rows in *bad. */
static int
read_all(const char *csv, int *bad, char *first_owner, char *last_problem)
{
	struct contacts_reader r;
	struct strbuf problem;
	struct contact c;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	int n = 0, rc;

	*bad = 0;
	strbuf_init(&problem, 0);
	if (contacts_open(&r, fp, "contacts.csv", &err) < 0) {
		fclose(fp);
		snprintf(last_problem, 2048, "%s", err.msg);
		return -1;
	}
	while ((rc = contacts_next(&r, &c, &problem, &err)) > 0) {
		if (rc == 2) {
			(*bad)++;
			snprintf(last_problem, 2048, "%s", problem.buf);
			continue;
		}
		if (n == 0)
			snprintf(first_owner, 2048, "%s>%s|%s|%s|%s", c.owner, c.contact,
			    c.nickname ? c.nickname : "-", c.group ? c.group : "-", c.source);
		n++;
		contact_release(&c);
	}
	contacts_close(&r);
	strbuf_release(&problem);
	fclose(fp);
	return rc < 0 ? -1 : n;
}

static void
test_loose_header_and_bom(void)
{
	char first[2048] = "", problem[2048] = "";
	int bad;

	CHECK_INT(read_all("\xef\xbb\xbfuser_id , USER DOMAIN,ContactId,Contact Domain,NickName,Group\r\n"
	    "Alice,Example.com,BOB,example.COM,\"Bob, the builder\",Team\r\n", &bad, first, problem), 1);
	CHECK_STR(first, "alice@example.com>bob@example.com|Bob, the builder|Team|imp:contacts.csv:2");
	CHECK_INT(bad, 0);
}

static void
test_headerless_positional(void)
{
	char first[2048] = "", problem[2048] = "";
	int bad;

	CHECK_INT(read_all("alice,example.com,bob,example.com,,Contacts\n", &bad, first, problem), 1);
	CHECK_STR(first, "alice@example.com>bob@example.com|-|Contacts|imp:contacts.csv:1");
}

static void
test_rows_without_contact_are_reported(void)
{
	char first[2048] = "", problem[2048] = "";
	int bad;

	CHECK_INT(read_all("User ID,User Domain,Contact ID,Contact Domain,Nickname,Group Name\n"
	    "alice,example.com,,example.com,,G\n"
	    "alice,example.com,bob,example.com,,G\n"
	    "alice,example.com,carol,,,G\n", &bad, first, problem), 1);
	CHECK_INT(bad, 2);
	CHECK_STR(problem, "contacts.csv:4: no Contact Domain for a contact ID without '@'");
	CHECK_INT(read_all("User ID,User Domain,Contact ID,Contact Domain\n,example.com,bob,example.com\n",
	    &bad, first, problem), 0);
	CHECK_STR(problem, "contacts.csv:2: no owner JID (User ID and User Domain)");
}

static void
test_not_an_export(void)
{
	char first[2048] = "", problem[2048] = "";
	int bad;

	CHECK_INT(read_all("a,b,c\n1,2,3\n", &bad, first, problem), -1);
	CHECK(strstr(problem, "contacts.csv:1: no 'User ID' and 'Contact ID' columns") != NULL);
	CHECK_INT(read_all("", &bad, first, problem), 0);
}

struct read_log {
	char text[1024];
	int stop_after;		/* stop after this many calls; 0: never */
	int calls;
};

static int
log_contact(void *ctx, json_t *rec, const char *problem)
{
	struct read_log *l = ctx;
	size_t len = strlen(l->text);

	l->calls++;
	if (rec != NULL)
		snprintf(l->text + len, sizeof(l->text) - len, "[%s>%s]",
		    json_string_value(json_object_get(rec, "owner")),
		    json_string_value(json_object_get(rec, "contact")));
	else
		snprintf(l->text + len, sizeof(l->text) - len, "[%s]", problem);
	return l->stop_after > 0 && l->calls == l->stop_after ? 7 : 0;
}

static int
read_any(const char *text, struct read_log *l, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	if (fp == NULL)
		return -1;
	rc = contacts_read(fp, "c", log_contact, l, err);
	fclose(fp);
	return rc;
}

static void
test_read_records_or_export(void)
{
	struct read_log l = { "", 0, 0 };
	struct j2w_err err;

	/* JSON Lines after blank lines: contact records as they are */
	CHECK_INT(read_any("\n  {\"owner\":\"a@x\",\"contact\":\"b@x\"}\n"
	    "{\"owner\":\"c@x\",\"contact\":\"d@x\"}\n", &l, &err), 0);
	CHECK_STR(l.text, "[a@x>b@x][c@x>d@x]");
	/* anything else is an IM&P export, unusable rows reported in order */
	memset(&l, 0, sizeof(l));
	CHECK_INT(read_any("User ID,User Domain,Contact ID,Contact Domain\n"
	    "alice,example.com,bob,example.com\n"
	    ",example.com,bob,example.com\n", &l, &err), 0);
	CHECK_STR(l.text, "[alice@example.com>bob@example.com][c:3: no owner JID (User ID and "
	    "User Domain)]");
	/* the callback stops reading with its own value */
	memset(&l, 0, sizeof(l));
	l.stop_after = 1;
	CHECK_INT(read_any("{\"owner\":\"a@x\",\"contact\":\"b@x\"}\n{\"owner\":\"c@x\"}\n", &l,
	    &err), 7);
	CHECK_INT(l.calls, 1);
	/* bad JSON and a file that is no export are bad data */
	memset(&l, 0, sizeof(l));
	CHECK_INT(read_any("{\"owner\":\n", &l, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(read_any("a,b,c\n1,2,3\n", &l, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
}

UNIT_MAIN(TEST(test_jid_joining), TEST(test_loose_header_and_bom), TEST(test_headerless_positional),
    TEST(test_rows_without_contact_are_reported), TEST(test_not_an_export),
    TEST(test_read_records_or_export))
