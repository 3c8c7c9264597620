/* Unit tests for chatargs: j2w-chat-archive's option rules, CSV count and summary lines. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chat/chatargs.h"
#include "unit.h"

static void
test_when(void)
{
	struct j2w_err err;
	char out[32];

	CHECK_INT(chatargs_when("--since", "2024-01-31", 0, out, sizeof(out), &err), 0);
	CHECK_STR(out, "2024-01-31T00:00:00.000Z");
	CHECK_INT(chatargs_when("--until", "2024-01-31", 1, out, sizeof(out), &err), 0);
	CHECK_STR(out, "2024-02-01T00:00:00.000Z");
	CHECK_INT(chatargs_when("--until", "yesterday", 1, out, sizeof(out), &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "--until wants a time such as 2024-01-31 or 2024-01-31T12:00:00Z, "
	    "not 'yesterday'");
}

static void
test_tz(void)
{
	struct j2w_err err;

	CHECK_INT(chatargs_tz("UTC", &err), 0);
	CHECK_INT(chatargs_tz("../etc/passwd", &err), -1);
	CHECK_STR(err.msg, "--source-tz wants a zone name such as Europe/Berlin, not '../etc/passwd'");
	CHECK_INT(chatargs_tz("Nowhere/Atlantis", &err), -1);
	CHECK_STR(err.msg, "--source-tz: unknown zone 'Nowhere/Atlantis' (see /usr/share/zoneinfo)");
}

static void
test_source(void)
{
	struct chatargs a = { .format = -1 };
	struct chatsrc_pg pg;
	struct j2w_err err;

	CHECK_INT(chatargs_source(&a, &pg, &err), -1);
	CHECK_STR(err.msg, "give the source with --from-pg CONNINFO or --from-csv DIR (one of them)");
	a.from_csv = "dumps";
	CHECK_INT(chatargs_source(&a, &pg, &err), 0);
	a.insecure = 1;
	CHECK_INT(chatargs_source(&a, &pg, &err), -1);
	CHECK_STR(err.msg, "--insecure and --cacert are for --from-pg");
	a.from_csv = NULL;
	a.from_pg = "host=db password=hunter2";
	CHECK_INT(chatargs_source(&a, &pg, &err), -1);
	CHECK(strstr(err.msg, "a password on the command line is refused") != NULL);
	CHECK(strstr(err.msg, "hunter2") == NULL);
	a.from_pg = "host=db dbname=tcmadb";
	a.cacert = "/nonexistent/ca.pem";
	CHECK_INT(chatargs_source(&a, &pg, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strncmp(err.msg, "--cacert: cannot read '/nonexistent/ca.pem': ", 45) == 0);
	a.cacert = NULL;
	CHECK_INT(chatargs_source(&a, &pg, &err), 0);
	CHECK_STR(pg.conninfo, "host=db dbname=tcmadb");
}

static void
test_operands(void)
{
	struct chatargs a = { .format = -1 };
	struct j2w_err err;

	CHECK_INT(chatargs_operands("import", &a, &err), -1);
	CHECK_STR(err.msg, "import wants the archive with --to ARCHIVE.db");
	a.to = "a.db";
	CHECK_INT(chatargs_operands("import", &a, &err), 0);
	a.pos[a.npos++] = "a.db";
	CHECK_INT(chatargs_operands("import", &a, &err), -1);
	CHECK_STR(err.msg, "unexpected argument 'a.db'");
	CHECK_INT(chatargs_operands("search", &a, &err), -1);
	CHECK_STR(err.msg, "search wants an archive and a query: search ARCHIVE.db QUERY");
	a.pos[a.npos++] = "deploy";
	CHECK_INT(chatargs_operands("search", &a, &err), -1);
	CHECK_STR(err.msg, "search reads only the archive");
	a.to = NULL;
	CHECK_INT(chatargs_operands("search", &a, &err), 0);
	CHECK_INT(chatargs_operands("verify", &a, &err), -1);
	a.npos = 1;
	CHECK_INT(chatargs_operands("verify", &a, &err), 0);
	CHECK_INT(chatargs_operands("export", &a, &err), -1);
	CHECK_STR(err.msg, "export wants --format html, jsonl or txt");
	a.format = 0;
	CHECK_INT(chatargs_operands("export", &a, &err), 0);
	CHECK_INT(chatargs_operands("purge", &a, &err), -1);
}

static void
count_cb(void *ctx, uint64_t done, uint64_t total)
{
	uint64_t *last = ctx;

	last[0]++;
	last[1] = done;
	last[2] = total;
}

static void
test_csv_messages(void)
{
	static const char csv[] = "TO_JID,MSG_ID,BODY_STRING\n"
	    "r@c,1,\"two\nlines\"\n"
	    "r@c,2,plain\n";
	char dir[512], path[600];
	uint64_t seen[3] = { 0 };

	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("csvdir"));
	CHECK_INT(mkdir(dir, 0700), 0);
	CHECK_INT(chatargs_csv_messages(dir, NULL, NULL), 0);
	snprintf(path, sizeof(path), "%s/tc_msgarchive.CSV", dir);
	CHECK_INT(unit_write_file(path, csv, sizeof(csv) - 1), 0);
	CHECK_INT(chatargs_csv_messages(dir, count_cb, seen), 2);
	CHECK(seen[0] >= 2);
	CHECK_INT(seen[1], sizeof(csv) - 1);
	CHECK_INT(seen[2], sizeof(csv) - 1);
	/* a file that ends inside a quoted field: unknown */
	CHECK_INT(unit_write_file(path, "A,B\n1,\"open\n", 12), 0);
	CHECK_INT(chatargs_csv_messages(dir, NULL, NULL), 0);
	unlink(path);
	rmdir(dir);
}

static void
test_import_summary(void)
{
	struct chatimport_counts k = { .rooms = 1, .members = 2, .messages_read = 5,
		.messages_added = 4, .messages_known = 0, .messages_rejected = 1, .files_read = 1,
		.files_added = 1, .files_matched = 1, .archive_messages = 4 };
	struct strbuf sb;

	strcpy(k.archive_digest, "ab12");
	strbuf_init(&sb, 0);
	chatargs_import_describe(&k, "a.db", &sb);
	CHECK_STR(sb.buf, "1 room, 2 members, 5 messages read: 4 added, 0 already archived, "
	    "1 rejected; 1 file (1 added, 1 matched to messages)\n"
	    "archive 'a.db': 4 messages, digest ab12");
	CHECK_INT(chatargs_import_status(&k), J2W_FINDINGS);
	strbuf_reset(&sb);
	k.other_rejected = 1;
	k.messages_rejected = 0;
	chatargs_import_describe(&k, "a.db", &sb);
	CHECK(strstr(sb.buf, "\n1 row of rooms, members or files rejected\n") != NULL);
	CHECK_INT(chatargs_import_status(&k), J2W_FINDINGS);
	k.other_rejected = 0;
	CHECK_INT(chatargs_import_status(&k), J2W_OK);
	strbuf_reset(&sb);
	CHECK_INT(chatargs_import_changed(&k, &sb), 0);
	CHECK_STR(sb.buf, "");
	k.messages_changed = 3;
	CHECK_INT(chatargs_import_changed(&k, &sb), 1);
	CHECK(strncmp(sb.buf, "3 archived messages differ", 26) == 0);
	strbuf_reset(&sb);
	chatargs_import_stopped(&k, &sb);
	CHECK_STR(sb.buf, "import stopped; 4 messages were added and are kept: run the import "
	    "again to carry on");
	strbuf_release(&sb);
}

static void
test_verify_summary(void)
{
	struct chatverify_totals t = { .rooms = 2, .source_messages = 1, .archive_messages = 1 };
	struct strbuf sb;

	strbuf_init(&sb, 0);
	chatargs_verify_describe(&t, &sb);
	CHECK_STR(sb.buf, "2 rooms, 1 message in the source, 1 in the archive, 0 files: equal");
	strbuf_reset(&sb);
	t.missing = 1;
	t.rooms_different = 1;
	chatargs_verify_describe(&t, &sb);
	CHECK(strstr(sb.buf, ": DIFFERENT") != NULL);
	strbuf_release(&sb);
}

static void
test_source_describe_and_query(void)
{
	struct chatargs a = { .format = -1 };
	struct chat_query q;
	struct j2w_err err;
	char dir[1024], *s;

	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("chatargs-dumps"));
	mkdir(dir, 0700);
	a.from_csv = dir;
	s = chatargs_source_describe(&a, &err);
	CHECK(s != NULL && strncmp(s, "csv:/", 5) == 0);
	free(s);
	rmdir(dir);
	CHECK(chatargs_source_describe(&a, &err) == NULL);
	CHECK_INT(err.status, J2W_EUSAGE);
	a.from_csv = NULL;
	a.from_pg = "host=db.example.com dbname=tcmadb user=ro";
	s = chatargs_source_describe(&a, &err);
	CHECK(s != NULL && strstr(s, "db.example.com") != NULL && strstr(s, "tcmadb") != NULL);
	free(s);

	a.pos[0] = "chat.db";
	a.pos[1] = "hello";
	a.npos = 2;
	a.room = "dev@conf";
	a.from = "ann@example.com";
	snprintf(a.since, sizeof(a.since), "2024-01-31T00:00:00.000Z");
	a.limit = 5;
	chatargs_query(&a, &q);
	CHECK_STR(q.match, "hello");
	CHECK_STR(q.room, "dev@conf");
	CHECK_STR(q.from, "ann@example.com");
	CHECK_STR(q.since, "2024-01-31T00:00:00.000Z");
	CHECK(q.until == NULL);	/* not given */
	CHECK_INT(q.limit, 5);
}

UNIT_MAIN(TEST(test_when), TEST(test_tz), TEST(test_source), TEST(test_operands),
    TEST(test_csv_messages), TEST(test_import_summary), TEST(test_verify_summary),
    TEST(test_source_describe_and_query))
