/* Unit tests for the report: shapes, counts, verdicts, escaping of hostile input, journals, the caps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>

#include "chat/chatdb.h"
#include "report/report.h"
#include "report/report_apply.h"
#include "report/report_input.h"
#include "report/report_records.h"
#include "unit.h"
#include "util/html.h"

#define HOSTILE "<script>alert(1)</script>"

/* Reads text (JSON Lines) into r through a memory stream. */
static int
feed(struct report *r, const char *text, const char *name)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct j2w_err err;
	int rc;

	if (fp == NULL)
		return -1;
	rc = report_read_stream(r, fp, name, &err);
	fclose(fp);
	return rc;
}

enum fmt { F_HTML, F_MD, F_CSV };

/* The report written as fmt; caller frees. */
static char *
render(const struct report *r, enum fmt f)
{
	struct report_opts o = { NULL, NULL, NULL };
	struct j2w_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return NULL;
	if (f == F_HTML)
		report_write_html(r, fp, &o, &err);
	else if (f == F_MD)
		report_write_md(r, fp, &o, &err);
	else
		report_write_csv(r, fp, &o, &err);
	fclose(fp);
	return buf;
}

static char *
escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	html_escape(fp, s);
	fclose(fp);
	return buf;
}

static void
test_html_escape(void)
{
	char *s;

	s = escaped(HOSTILE " & \"q\" 'a'");
	CHECK_STR(s, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;");
	free(s);
	s = escaped("a\x01\x1b[31mb\x7f\tc\n");
	CHECK_STR(s, "a\xef\xbf\xbd\xef\xbf\xbd[31mb\xef\xbf\xbd\tc\n");
	free(s);
	s = escaped("x\xc3(y\xff");	/* a broken sequence and a byte that is never UTF-8 */
	CHECK_STR(s, "x\xef\xbf\xbd(y\xef\xbf\xbd");
	free(s);
	s = escaped("Z\xc3\xbc" "rich");
	CHECK_STR(s, "Z\xc3\xbc" "rich");
	free(s);
}

static const char sample[] =
"{\"tool\":\"j2w-jabber-config\",\"check\":\"JC-CASE\",\"severity\":\"FAIL\","
"\"subject\":\"a.xml:3\",\"message\":\"bad case\"}\n"
"{\"userid\":\"eve\",\"display_name\":\"" HOSTILE "\",\"webex_email\":\"eve@example.com\","
"\"status\":\"blocked\",\"findings\":[{\"tool\":\"j2w-reconcile\",\"check\":\"URI-MISSING\","
"\"severity\":\"FAIL\",\"subject\":\"" HOSTILE "\",\"message\":\"" HOSTILE "\","
"\"fix\":\"=HYPERLINK(1)\"}]}\n"
"{\"userid\":\"al\",\"status\":\"ok\",\"findings\":[]}\n"
"{\"userid\":\"bo\",\"status\":\"review\",\"findings\":[]}\n"
"\n"
"{\"email\":\"x@example.com\",\"action\":\"update\",\"result\":\"applied\",\"source\":\"w/wave7.csv:2\"}\n";

static void
test_shapes_and_counts(void)
{
	struct report r;
	struct j2w_err err;

	report_init(&r);
	CHECK_INT(feed(&r, sample, "in.jsonl"), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.records, 5);
	CHECK_INT(r.unreadable, 0);
	CHECK_INT(r.users[0], 1);
	CHECK_INT(r.users[1], 1);
	CHECK_INT(r.users[2], 1);
	/* two findings, and the three reconcile users wave7 left out */
	CHECK_INT(r.nitems, 5);
	CHECK_INT(r.sev[SEV_FAIL], 2);
	CHECK_INT(r.sev[SEV_INFO], 3);
	CHECK_INT(r.left_out, 3);
	CHECK_STR(report_verdict(&r), "NOT READY");
	CHECK_INT(r.nareas, 3);
	CHECK_STR(r.areas[0].name, "reconcile");
	CHECK_STR(r.areas[1].name, "jabber-config");
	CHECK_STR(r.areas[2].name, "apply");
	CHECK_INT(r.nwaves, 1);
	CHECK_STR(r.waves[0].name, "wave7");
	CHECK_INT(r.waves[0].n[RA_DONE], 1);
	/* the user a reconcile finding affects is named by display name and email */
	CHECK_STR(r.items[r.order[0]].user, HOSTILE " <eve@example.com>");
	/* a lint finding has no fix of its own: docs/checks gives it */
	CHECK_STR(report_item_fix(&r.items[r.order[1]]), "Write the name exactly as the message spells it.");
	report_release(&r);
}

static void
test_hostile_input_is_escaped_everywhere(void)
{
	struct report r;
	struct j2w_err err;
	char *html, *md, *csv;

	report_init(&r);
	feed(&r, sample, "in.jsonl");
	report_finish(&r, &err);
	html = render(&r, F_HTML);
	md = render(&r, F_MD);
	csv = render(&r, F_CSV);
	CHECK(html != NULL && md != NULL && csv != NULL);
	CHECK(strstr(html, "<script") == NULL);
	CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	CHECK(strstr(html, "Verdict: NOT READY") != NULL);
	CHECK(strstr(md, "<script") == NULL);
	CHECK(strstr(md, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL);
	/* CSV keeps the text but a formula is defused */
	CHECK(strstr(csv, HOSTILE) != NULL);
	CHECK(strstr(csv, ",'=HYPERLINK(1),") != NULL);
	free(html);
	free(md);
	free(csv);
	report_release(&r);
}

static void
verdict_of(const char *text, const char *want)
{
	struct report r;
	struct j2w_err err;

	report_init(&r);
	feed(&r, text, "v.jsonl");
	report_finish(&r, &err);
	CHECK_STR(report_verdict(&r), want);
	report_release(&r);
}

static void
test_verdicts(void)
{
	verdict_of("{\"tool\":\"t\",\"check\":\"A\",\"severity\":\"OK\"}\n"
	    "{\"tool\":\"t\",\"check\":\"B\",\"severity\":\"info\"}\n", "READY");
	verdict_of("{\"tool\":\"t\",\"check\":\"A\",\"severity\":\"WARN\"}\n", "READY WITH WARNINGS");
	verdict_of("{\"tool\":\"t\",\"check\":\"A\",\"severity\":\"ERROR\"}\n", "NOT READY");
	/* nothing read at all shows no readiness */
	verdict_of("", "NOT READY");
	/* a plan only is not a problem; a user left pending is a warning */
	verdict_of("{\"email\":\"a@x\",\"action\":\"update\",\"result\":\"planned\"}\n", "READY");
	verdict_of("{\"email\":\"a@x\",\"action\":\"update\",\"result\":\"stopped\"}\n",
	    "READY WITH WARNINGS");
}

static void
test_bad_lines_are_counted_and_reading_goes_on(void)
{
	struct report r;
	struct j2w_err err;

	report_init(&r);
	CHECK_INT(feed(&r, "not json\n[1,2]\n{\"a\":1}\n"
	    "{\"tool\":\"t\",\"check\":\"A\",\"severity\":\"LOUD\"}\n"
	    "{\"userid\":\"u\",\"status\":\"ok\",\"findings\":[7]}\n"
	    "{\"email\":\"a@x\",\"action\":\"update\",\"result\":\"exploded\"}\n"
	    "{\"tool\":\"t\",\"check\":\"A\",\"severity\":\"OK\"}\n", "bad.jsonl"), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.unreadable, 6);
	CHECK_INT(r.sev[SEV_ERROR], 6);
	CHECK_INT(r.sev[SEV_OK], 1);
	CHECK_STR(r.items[r.order[0]].check, "INPUT");
	CHECK_STR(r.items[r.order[0]].subject, "bad.jsonl:1");
	report_release(&r);
}

static void
test_dns_domains(void)
{
	struct report r;
	struct j2w_err err;

	report_init(&r);
	feed(&r,
	    "{\"tool\":\"j2w-dns-check\",\"check\":\"UDS-SRV\",\"severity\":\"OK\",\"view\":\"internal\","
	    "\"subject\":\"_cisco-uds._tcp.emea.example.com\"}\n"
	    "{\"tool\":\"j2w-dns-check\",\"check\":\"UDS-RESOLVE\",\"severity\":\"FAIL\",\"view\":\"internal\","
	    "\"subject\":\"cucm1.example.com\"}\n"
	    "{\"tool\":\"j2w-dns-check\",\"check\":\"RECORD-NAME\",\"severity\":\"OK\",\"view\":\"internal\","
	    "\"subject\":\"example.net\"}\n"
	    "{\"tool\":\"j2w-dns-check\",\"check\":\"TLS-NAME\",\"severity\":\"OK\","
	    "\"subject\":\"x\",\"evidence\":{\"domain\":\"d.example\"}}\n", "dns.jsonl");
	feed(&r, "{\"userid\":\"a\",\"webex_email\":\"a@EMEA.example.com\",\"status\":\"ok\","
	    "\"findings\":[]}\n{\"userid\":\"b\",\"jid\":\"b@emea.example.com\",\"status\":\"ok\","
	    "\"findings\":[]}\n", "users.jsonl");
	report_finish(&r, &err);
	CHECK_STR(r.items[0].domain, "emea.example.com");
	/* a DNS problem affects the users of its domain; an OK result affects no one */
	CHECK_STR(r.items[1].user, "2 users with @emea.example.com addresses");
	CHECK(r.items[0].user == NULL);
	CHECK_STR(r.items[1].domain, "emea.example.com");
	CHECK_STR(r.items[2].domain, "example.net");
	CHECK_STR(r.items[3].domain, "d.example");
	report_release(&r);
}

static void
test_apply_later_result_wins(void)
{
	struct report r;
	struct j2w_err err;

	report_init(&r);
	feed(&r, "{\"email\":\"A@x\",\"action\":\"update\",\"result\":\"failed\",\"error\":\"boom\","
	    "\"source\":\"wave1.csv:2\"}\n"
	    "{\"email\":\"b@x\",\"action\":\"update\",\"result\":\"failed\",\"error\":\"no such user\","
	    "\"source\":\"wave1.csv:3\"}\n"
	    "{\"email\":\"a@x\",\"action\":\"update\",\"result\":\"verified\",\"source\":\"wave1.csv:2\"}\n",
	    "results.jsonl");
	report_finish(&r, &err);
	CHECK_INT(r.nwaves, 1);
	CHECK_INT(r.waves[0].n[RA_DONE], 1);
	CHECK_INT(r.waves[0].n[RA_FAILED], 1);
	CHECK_INT(r.nitems, 1);
	CHECK_STR(r.items[0].check, "APPLY-FAILED");
	CHECK_STR(r.items[0].subject, "b@x");
	CHECK_STR(r.items[0].message, "wave wave1: failed: no such user");
	report_release(&r);
}

static void
test_cap_rows_counts_exact(void)
{
	struct report r;
	struct j2w_err err;
	char line[256], *html, *md;

	report_init(&r);
	for (int i = 0; i < REPORT_SHOW_MAX + 7; i++) {
		snprintf(line, sizeof(line), "{\"userid\":\"u%d\",\"status\":\"review\",\"findings\":"
		    "[{\"tool\":\"j2w-reconcile\",\"check\":\"CASE-ONLY\",\"severity\":\"WARN\","
		    "\"subject\":\"u%d\"}]}\n", i, i);
		feed(&r, line, "many.jsonl");
	}
	report_finish(&r, &err);
	CHECK_INT(r.users[1], REPORT_SHOW_MAX + 7);
	html = render(&r, F_HTML);
	md = render(&r, F_MD);
	CHECK(strstr(html, "CASE-ONLY \xe2\x80\x94 57 findings, 57 users affected") != NULL);
	CHECK(strstr(html, "and 7 more") != NULL);
	CHECK(strstr(html, ">u49<") != NULL);
	CHECK(strstr(html, ">u50<") == NULL);
	CHECK(strstr(md, "- and 7 more") != NULL);
	free(html);
	free(md);
	report_release(&r);
}

/* The copies of a user that two clusters export are one person, with each finding once. */
static void
test_people_counted_once(void)
{
	struct report r;
	struct j2w_err err;
	char *md;

	report_init(&r);
	CHECK_INT(feed(&r,
	    "{\"userid\":\"jsmith\",\"display_name\":\"John\",\"webex_email\":\"J@x.com\","
	    "\"home_cluster\":true,\"status\":\"review\",\"findings\":["
	    "{\"tool\":\"j2w-reconcile\",\"check\":\"URI-MISSING\",\"severity\":\"WARN\","
	    "\"subject\":\"jsmith\",\"message\":\"home\"},"
	    "{\"tool\":\"j2w-reconcile\",\"check\":\"CASE-ONLY\",\"severity\":\"WARN\","
	    "\"subject\":\"jsmith\"}]}\n"
	    "{\"userid\":\"rkumar\",\"webex_email\":\"raj@x.com\",\"status\":\"ok\","
	    "\"findings\":[]}\n"
	    "{\"userid\":\"rkumar2\",\"webex_email\":\"raj@x.com\",\"status\":\"ok\","
	    "\"findings\":[]}\n"
	    "{\"userid\":\"JSmith\",\"display_name\":\"John\",\"webex_email\":\"j@x.com\","
	    "\"home_cluster\":false,\"status\":\"blocked\",\"findings\":["
	    "{\"tool\":\"j2w-reconcile\",\"check\":\"URI-MISSING\",\"severity\":\"FAIL\","
	    "\"subject\":\"JSmith\",\"message\":\"copy\"},"
	    "{\"tool\":\"j2w-reconcile\",\"check\":\"CASE-ONLY\",\"severity\":\"WARN\","
	    "\"subject\":\"JSmith\"}]}\n", "two.jsonl"), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.user_records, 4);
	CHECK_INT(r.npersons, 3);
	/* the worse status of the two copies counts; two accounts sharing an address are two */
	CHECK_INT(r.users[RS_BLOCKED], 1);
	CHECK_INT(r.users[RS_OK], 2);
	CHECK_INT(r.users[RS_REVIEW], 0);
	/* each check once for the person, at the worse severity */
	CHECK_INT(r.nitems, 2);
	CHECK_STR(r.items[r.order[0]].check, "URI-MISSING");
	CHECK_INT(r.items[r.order[0]].sev, SEV_FAIL);
	CHECK_STR(r.items[r.order[0]].message, "copy");
	md = render(&r, F_MD);
	CHECK(md != NULL && strstr(md, "3 users: 1 blocked, 0 review, 2 ok (4 user records: 1 is "
	    "another cluster's copy of a user, counted once)") != NULL);
	CHECK(md != NULL && strstr(md, "URI-MISSING \xe2\x80\x94 1 finding, 1 user affected") != NULL);
	free(md);
	report_release(&r);
}

/* With a wave's rules the report tells whom the wave left out, and lists who is in no wave. */
static void
test_left_out(void)
{
	const char *path = unit_tmpfile("w.rules");
	char spec[4200];
	struct report r;
	struct j2w_err err;
	FILE *fp = fopen(path, "w");

	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	fputs("department=Finance -> ignore\ndepartment=Sales -> ucm\n", fp);
	fclose(fp);
	report_init(&r);
	snprintf(spec, sizeof(spec), "w=%s", path);
	CHECK_INT(report_add_rules(&r, spec, &err), 0);
	CHECK_STR(r.rules[0].wave, "w");
	CHECK_INT(feed(&r,
	    "{\"userid\":\"a\",\"webex_email\":\"a@x.com\",\"department\":\"Sales\","
	    "\"status\":\"ok\",\"findings\":[]}\n"
	    "{\"userid\":\"b\",\"webex_email\":\"b@x.com\",\"department\":\"Sales\","
	    "\"status\":\"blocked\",\"findings\":[]}\n"
	    "{\"userid\":\"c\",\"webex_email\":\"c@x.com\",\"department\":\"Finance\","
	    "\"status\":\"ok\",\"findings\":[]}\n"
	    "{\"userid\":\"d\",\"webex_email\":\"d@x.com\",\"department\":\"Legal\","
	    "\"status\":\"ok\",\"findings\":[]}\n"
	    "{\"email\":\"A@x.com\",\"action\":\"update\",\"result\":\"applied\","
	    "\"source\":\"w.csv:2\"}\n", "in.jsonl"), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.nwaves, 1);
	CHECK(r.waves[0].has_rules);
	CHECK(r.rules[0].used);
	CHECK_INT(r.waves[0].left[RL_BLOCKED], 1);
	CHECK_INT(r.waves[0].left[RL_IGNORED], 1);
	CHECK_INT(r.waves[0].left[RL_NO_RULE], 1);
	CHECK_INT(r.left_out, 3);
	CHECK_INT(r.sev[SEV_INFO], 3);
	CHECK_STR(r.items[r.order[0]].check, "APPLY-LEFT-OUT");
	report_release(&r);
	unlink(path);
}

static void
test_journal(void)
{
	const char *path = unit_tmpfile("wave9.db");
	struct report r;
	struct j2w_err err;
	sqlite3 *db;

	unlink(path);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db,
	    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	    "CREATE TABLE users (seq INTEGER PRIMARY KEY, email TEXT NOT NULL, state TEXT NOT NULL,"
	    " error TEXT, rb_state TEXT, rb_error TEXT);"
	    "INSERT INTO users VALUES (1, 'a@x', 'verified', NULL, NULL, NULL);"
	    "INSERT INTO users VALUES (2, 'b@x', 'failed', 'HTTP 400: <b>no</b>', NULL, NULL);"
	    "INSERT INTO users VALUES (3, 'c@x', 'pending', NULL, NULL, NULL);"
	    "INSERT INTO users VALUES (4, 'd@x', 'applied', NULL, 'restored', NULL);",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	report_init(&r);
	CHECK_INT(report_read_path(&r, path, &err), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.journals, 1);
	CHECK(strstr(r.waves[0].name, "wave9") != NULL);
	CHECK_INT(r.waves[0].n[RA_DONE], 2);
	CHECK_INT(r.waves[0].n[RA_FAILED], 1);
	CHECK_INT(r.waves[0].n[RA_PENDING], 1);
	CHECK_STR(report_verdict(&r), "NOT READY");
	report_release(&r);

	/* an SQLite file that is not a journal is bad data, not a crash */
	unlink(path);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TABLE t (x);", NULL, NULL, NULL);
	sqlite3_close(db);
	report_init(&r);
	CHECK_INT(report_read_path(&r, path, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	report_release(&r);
	unlink(path);
}

static void
test_archive(void)
{
	const char *path = unit_tmpfile("chat.db");
	struct report r;
	struct j2w_err err;
	sqlite3 *db;

	unlink(path);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db,
	    "CREATE TABLE manifest (id INTEGER PRIMARY KEY, started_utc TEXT, finished_utc TEXT,"
	    " status TEXT, messages_rejected INTEGER);"
	    "CREATE TABLE rooms (room_jid TEXT); CREATE TABLE members (room_jid TEXT);"
	    "CREATE TABLE files (aft_index INTEGER);"
	    "CREATE TABLE messages (id INTEGER PRIMARY KEY, sent_utc TEXT);"
	    "INSERT INTO manifest VALUES (1, 't0', 't1', 'complete', 0);"
	    "INSERT INTO manifest VALUES (2, 't2', NULL, 'interrupted', 3);"
	    "INSERT INTO rooms VALUES ('<b>r</b>@conf');"
	    "INSERT INTO messages VALUES (1, '2024-01-01T00:00:00Z');"
	    "INSERT INTO messages VALUES (2, '2024-02-01T00:00:00Z');", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	report_init(&r);
	CHECK_INT(report_read_path(&r, path, &err), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.narchives, 1);
	CHECK_INT(r.archives[0].rooms, 1);
	CHECK_INT(r.archives[0].messages, 2);
	CHECK_INT(r.archives[0].files, 0);
	CHECK_STR(r.archives[0].first, "2024-01-01T00:00:00Z");
	CHECK_STR(r.archives[0].last, "2024-02-01T00:00:00Z");
	CHECK_STR(r.archives[0].status, "interrupted");
	CHECK_INT(r.archives[0].rejected, 3);
	CHECK_INT(r.sev[SEV_WARN], 2);
	CHECK_STR(report_verdict(&r), "READY WITH WARNINGS");
	report_release(&r);
	unlink(path);
}

/* An archive j2w-chat-archive created is known by its application_id, even before any import. */
static void
test_archive_by_id(void)
{
	const char *path = unit_tmpfile("new-chat.db");
	struct chatdb *db;
	struct report r;
	struct j2w_err err;

	unlink(path);
	CHECK_INT(chatdb_open(&db, path, 1, &err), 0);
	chatdb_close(db);
	report_init(&r);
	CHECK_INT(report_read_path(&r, path, &err), 0);
	CHECK_INT(report_finish(&r, &err), 0);
	CHECK_INT(r.narchives, 1);
	CHECK_INT(r.archives[0].rooms, 0);
	CHECK_INT(r.archives[0].members, 0);
	CHECK_INT(r.archives[0].files, 0);
	CHECK(r.archives[0].first == NULL && r.archives[0].status == NULL);
	CHECK_INT(r.archives[0].rejected, -1);
	CHECK_INT(r.nitems, 1);
	CHECK_STR(r.items[0].check, "ARCHIVE-IMPORT");
	CHECK_STR(r.items[0].message, "the last import into the archive ended '(no import recorded)'");
	report_release(&r);
	unlink(path);
}

/* Each input is listed with its size and SHA-256 as read. */
static void
test_sources(void)
{
	const char *path = unit_tmpfile("abc.jsonl");
	struct report r;
	struct j2w_err err;
	FILE *fp;

	fp = fopen(path, "w");
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	fputs("abc", fp);
	fclose(fp);
	report_init(&r);
	CHECK_INT(report_read_path(&r, path, &err), 0);
	CHECK_INT(r.nsources, 1);
	CHECK_STR(r.sources[0].name, path);
	CHECK_STR(r.sources[0].kind, "JSON Lines");
	CHECK_INT(r.sources[0].size, 3);
	CHECK_INT(r.sources[0].records, 0);
	CHECK_STR(r.sources[0].sha256,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	report_release(&r);
	unlink(path);
}

static void
test_doc_fixes(void)
{
	CHECK(report_doc_fix("j2w-dns-check", "UDS-LEAK") != NULL);
	CHECK(report_doc_fix("j2w-jabber-config", "JC-PASSWORD") != NULL);
	CHECK(report_doc_fix("j2w-jabber-config", "NOPE") == NULL);
	CHECK(report_doc_fix(NULL, "JC-CASE") == NULL);
}

static void
test_unknown_database_is_listed(void)
{
	char path[1024], jsonl[1024];
	struct report r;
	struct j2w_err err;
	sqlite3 *db;

	/* unit_tmpfile's buffer is static: a copy for each name */
	snprintf(path, sizeof(path), "%s", unit_tmpfile("report-other.db"));
	snprintf(jsonl, sizeof(jsonl), "%s", unit_tmpfile("report-users.jsonl"));
	unlink(path);
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	CHECK_INT(sqlite3_exec(db, "CREATE TABLE other(a)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(unit_write_file(jsonl, "{\"userid\":\"ann\"}\n", 17), 0);
	report_init(&r);
	CHECK_INT(report_read_or_list(&r, jsonl, &err), 0);
	CHECK_INT(r.unreadable, 0);
	/* an SQLite file that is no journal or archive: listed, counted, and the reason kept */
	CHECK_INT(report_read_or_list(&r, path, &err), 1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(err.msg[0] != '\0');
	CHECK_INT(r.unreadable, 1);
	CHECK(r.nitems >= 1);
	CHECK_STR(r.items[r.nitems - 1].check, "INPUT");
	CHECK_STR(r.items[r.nitems - 1].subject, path);
	CHECK_STR(r.items[r.nitems - 1].message, err.msg);
	CHECK_INT(r.items[r.nitems - 1].sev, SEV_ERROR);
	CHECK(strstr(r.items[r.nitems - 1].fix, "the journal j2w-apply wrote") != NULL);
	/* a file that cannot be opened is not listed: the command stops */
	CHECK_INT(report_read_or_list(&r, unit_tmpfile("report-missing"), &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	report_release(&r);
	unlink(path);
	unlink(jsonl);
}

static void
test_generated_at(void)
{
	struct j2w_err err;
	char buf[64];

	CHECK_INT(report_generated_at(NULL, 0, buf, sizeof(buf), &err), 0);
	CHECK_STR(buf, "1970-01-01 00:00:00 UTC");
	CHECK_INT(report_generated_at("", 86400, buf, sizeof(buf), &err), 0);
	CHECK_STR(buf, "1970-01-02 00:00:00 UTC");
	CHECK_INT(report_generated_at("1700000000", 0, buf, sizeof(buf), &err), 0);
	CHECK_STR(buf, "2023-11-14 22:13:20 UTC");
	CHECK_INT(report_generated_at("yesterday", 0, buf, sizeof(buf), &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "SOURCE_DATE_EPOCH wants seconds since 1970-01-01 UTC, not 'yesterday'");
	CHECK_INT(report_generated_at("-1", 0, buf, sizeof(buf), &err), -1);
	/* a long value is cut in the message */
	CHECK_INT(report_generated_at("1234567890123456789012345678901234567890123456789", 0, buf,
	    sizeof(buf), &err), -1);
	CHECK_STR(err.msg, "SOURCE_DATE_EPOCH wants seconds since 1970-01-01 UTC, not "
	    "'1234567890123456789012345678901234567890'");
	/* a buffer too small for the time: nothing shown rather than half of it */
	CHECK_INT(report_generated_at(NULL, 0, buf, 8, &err), 0);
	CHECK_STR(buf, "");
}

UNIT_MAIN(
	TEST(test_unknown_database_is_listed),
	TEST(test_generated_at),
	TEST(test_html_escape),
	TEST(test_shapes_and_counts),
	TEST(test_hostile_input_is_escaped_everywhere),
	TEST(test_verdicts),
	TEST(test_bad_lines_are_counted_and_reading_goes_on),
	TEST(test_dns_domains),
	TEST(test_apply_later_result_wins),
	TEST(test_cap_rows_counts_exact),
	TEST(test_people_counted_once),
	TEST(test_left_out),
	TEST(test_journal),
	TEST(test_archive),
	TEST(test_archive_by_id),
	TEST(test_sources),
	TEST(test_doc_fixes),
)
