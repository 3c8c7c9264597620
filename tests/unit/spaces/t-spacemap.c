/* Unit tests for spacemap: reconcile output as JID -> Webex email, and why a member is left out. */
#include <stdio.h>
#include <string.h>

#include "spaces/spacemap.h"
#include "unit.h"

static int
read_text(struct spaces_map *m, const char *text, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc = spaces_map_read(m, fp, "map.jsonl", err);

	fclose(fp);
	return rc;
}

static void
test_map(void)
{
	struct spaces_map m;
	struct j2w_err err;
	const char *why = NULL;

	spaces_map_init(&m);
	CHECK_INT(read_text(&m,
	    "{\"jid\":\"Alice@Example.com\",\"webex_email\":\"alice@example.com\",\"status\":\"ok\"}\n"
	    "{\"jid\":\"alice@example.com\",\"webex_email\":\"ALICE@example.com\",\"status\":\"ok\"}\n"
	    "{\"jid\":\"bob@example.com\",\"webex_email\":\"bob@example.com\",\"status\":\"blocked\"}\n"
	    "{\"jid\":\"carol@example.com\",\"status\":\"review\"}\n"
	    "{\"jid\":\"dup@example.com\",\"webex_email\":\"one@example.com\"}\n"
	    "{\"jid\":\"dup@example.com\",\"webex_email\":\"two@example.com\"}\n"
	    "{\"userid\":\"nojid\"}\n", &err), 0);
	CHECK_INT(m.records, 7);
	CHECK_INT(m.without_jid, 1);
	/* the copies of one user agree; a resource and case do not matter */
	CHECK_STR(spaces_map_email(&m, "ALICE@example.com/laptop", &why), "alice@example.com");
	CHECK(spaces_map_email(&m, "bob@example.com", &why) == NULL);
	CHECK(strstr(why, "blocked") != NULL);
	CHECK(spaces_map_email(&m, "carol@example.com", &why) == NULL);
	CHECK(strstr(why, "no Webex email") != NULL);
	CHECK(spaces_map_email(&m, "dup@example.com", &why) == NULL);
	CHECK(strstr(why, "more than one") != NULL);
	CHECK(spaces_map_email(&m, "zoe@example.com", &why) == NULL);
	CHECK_STR(why, "not in the reconcile output");
	spaces_map_release(&m);
}

static void
test_not_reconcile_output(void)
{
	struct spaces_map m;
	struct j2w_err err;

	spaces_map_init(&m);
	CHECK_INT(read_text(&m, "{\"userid\":\"alice\",\"mailid\":\"alice@example.com\"}\n", &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "j2w-reconcile") != NULL);
	spaces_map_release(&m);
	spaces_map_init(&m);
	CHECK_INT(read_text(&m, "jid,webex_email\nalice@example.com,alice@example.com\n", &err), 0);
	CHECK_STR(spaces_map_email(&m, "alice@example.com", &(const char *){ NULL }),
	    "alice@example.com");
	spaces_map_release(&m);
}

UNIT_MAIN(TEST(test_map), TEST(test_not_reconcile_output))
