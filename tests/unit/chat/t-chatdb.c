/* Unit tests for the chat archive: create, import a small source, summary, recognition, reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sqlite3.h>

#include "chat/chatdb.h"
#include "chat/chatimport.h"
#include "chat/chatread.h"
#include "unit.h"

#define ROOM "ops@conf.example.com"

/* A small source: two rooms, three members, four messages of which one is rejected, one file. */
static int
small_read(void *arg, const struct chat_sink *sink, struct j2w_err *err)
{
	static const struct chat_room rooms[] = {
		{ ROOM, "alice@example.com", "Deploys", "persistent", NULL, NULL, "rooms:2" },
		{ "empty@conf.example.com", "bob@example.com", NULL, "ad-hoc", NULL, NULL, "rooms:3" },
	};
	static const struct chat_member members[] = {
		{ ROOM, "alice@example.com", "moderator", "owner", ROOM "/Alice", "users:2" },
		{ ROOM, "bob@example.com", "participant", "member", ROOM "/Bob", "users:3" },
		{ "empty@conf.example.com", "bob@example.com", "moderator", "owner", NULL, "users:4" },
	};
	static const struct chat_msg msgs[] = {
		{ ROOM, "1", "2024-05-02 09:00:00", "alice@example.com/x", ROOM "/Alice", "groupchat",
		    NULL, "deploy starts", NULL, NULL, NULL, "msgs:2", NULL, NULL },
		{ ROOM, "2", "2024-05-02 09:30:05.5", "bob@example.com/y", ROOM "/Bob", "groupchat",
		    NULL, NULL, "login fails <again>", NULL, NULL, "msgs:3", NULL, NULL },
		{ ROOM, "3", "not a time", "bob@example.com/y", ROOM "/Bob", "groupchat",
		    NULL, "lost", NULL, NULL, NULL, "msgs:4", NULL, NULL },
		{ ROOM, "4", "2024-05-03 10:00:00+02", "alice@example.com/x", ROOM "/Alice", "groupchat",
		    NULL, "here is the file", NULL, "<message><x xmlns='advanced-file-transfer'>"
		    "report.pdf</x></message>", NULL, "msgs:5", NULL, NULL },
	};
	static const struct chat_file file = { "11", "alice@example.com", ROOM, "POST",
		"f1", "report.pdf", "fs1", "/aft/report.pdf", "2048", "2024-05-03 08:00:01", "aft:2" };
	if (sink->total != NULL)
		sink->total(sink->ctx, 4);
	for (size_t i = 0; i < sizeof(rooms) / sizeof(rooms[0]); i++)
		if (sink->room != NULL && sink->room(sink->ctx, &rooms[i], err) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		if (sink->member != NULL && sink->member(sink->ctx, &members[i], err) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (sink->msg(sink->ctx, &msgs[i], err) < 0)
			return -1;
	if (sink->file != NULL && sink->file(sink->ctx, &file, err) < 0)
		return -1;
	return 0;
}

struct warnings {
	int n;
	char last[256];
};

static void
collect_warn(void *ctx, const char *msg)
{
	struct warnings *w = ctx;

	w->n++;
	snprintf(w->last, sizeof(w->last), "%s", msg);
}

/* Imports the small source into the archive at path; returns the import's counts. */
static int
import_small(const char *path, unsigned long batch, struct chatimport_counts *k,
    struct warnings *w)
{
	struct chatdb *db;
	struct chatimport imp = { 0 };
	struct chat_sink sink;
	struct j2w_err err;
	int rc;

	if (chatdb_open(&db, path, 1, &err) < 0)
		return -1;
	if (batch > 0)
		chatdb_set_batch(db, batch);
	imp.db = db;
	imp.warn = collect_warn;
	imp.ctx = w;
	rc = chatimport_begin(&imp, "test:small", &sink, &err);
	if (rc == 0)
		rc = chatimport_run(&imp, small_read, "small", &err);
	if (chatimport_end(&imp, rc == 0, &err) < 0)
		rc = -1;
	*k = imp.counts;
	chatdb_close(db);
	return rc;
}

static void
remove_db(const char *path)
{
	char buf[4200];

	unlink(path);
	snprintf(buf, sizeof(buf), "%s-journal", path);
	unlink(buf);
}

/* Runs sql on a new SQLite file at path. */
static int
make_sqlite(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc;

	remove_db(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(db);
	return rc;
}

static long
query_long(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
test_create_and_import(void)
{
	char path[4096];
	struct chatimport_counts k;
	struct warnings w = { 0 };
	struct stat st;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("archive.db"));
	remove_db(path);
	CHECK_INT(import_small(path, 0, &k, &w), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_INT(query_long(path, "PRAGMA application_id"), CHATDB_APPLICATION_ID);
	CHECK_INT(query_long(path, "PRAGMA user_version"), CHATDB_SCHEMA_VERSION);
	CHECK_INT(k.rooms, 2);
	CHECK_INT(k.members, 3);
	CHECK_INT(k.messages_read, 4);
	CHECK_INT(k.messages_added, 3);
	CHECK_INT(k.messages_rejected, 1);
	CHECK_INT(k.files_read, 1);
	CHECK_INT(k.files_added, 1);
	CHECK_INT(k.files_matched, 1);
	CHECK_INT(k.archive_messages, 3);
	CHECK_INT(strlen(k.archive_digest), 64);
	CHECK_INT(w.n, 1);
	CHECK(strstr(w.last, "msgs:4") != NULL && strstr(w.last, "SENT_DATE") != NULL);

	/* again, in batches of one: nothing new, the same digest */
	{
		struct chatimport_counts k2;

		CHECK_INT(import_small(path, 1, &k2, &w), 0);
		CHECK_INT(k2.messages_added, 0);
		CHECK_INT(k2.messages_known, 3);
		CHECK_INT(k2.messages_changed, 0);
		CHECK_STR(k2.archive_digest, k.archive_digest);
	}
	CHECK_INT(query_long(path, "SELECT count(*) FROM manifest WHERE status = 'complete'"), 2);
	remove_db(path);
}

static void
test_summary(void)
{
	char path[4096];
	struct chatimport_counts k;
	struct warnings w = { 0 };
	struct chatdb_summary s;
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("summary.db"));
	remove_db(path);
	CHECK_INT(import_small(path, 0, &k, &w), 0);
	CHECK_INT(chatdb_summary(path, &s, &err), 0);
	CHECK_INT(s.rooms, 2);
	CHECK_INT(s.members, 3);
	CHECK_INT(s.messages, 3);
	CHECK_INT(s.files, 1);
	CHECK_STR(s.first, "2024-05-02T09:00:00.000Z");
	CHECK_STR(s.last, "2024-05-03T08:00:00.000Z");
	CHECK_STR(s.status, "complete");
	CHECK(s.when != NULL && strlen(s.when) == 24);
	CHECK_INT(s.rejected, 1);
	chatdb_summary_release(&s);

	/* an interrupted last import is what the summary tells */
	{
		sqlite3 *db;

		CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
		CHECK_INT(sqlite3_exec(db, "UPDATE manifest SET status = 'interrupted', "
		    "messages_rejected = NULL", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	CHECK_INT(chatdb_summary(path, &s, &err), 0);
	CHECK_STR(s.status, "interrupted");
	CHECK_INT(s.rejected, -1);
	chatdb_summary_release(&s);
	remove_db(path);
}

static void
test_recognition(void)
{
	char path[4096], other[4096];
	struct chatimport_counts k;
	struct warnings w = { 0 };
	struct chatdb *db;
	struct chatdb_summary s;
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("probe.db"));
	snprintf(other, sizeof(other), "%s", unit_tmpfile("other.db"));
	remove_db(path);
	CHECK_INT(import_small(path, 0, &k, &w), 0);
	CHECK_INT(chatdb_probe(path, &err), 1);

	/* another SQLite file: not an archive, refused by open and summary */
	CHECK_INT(make_sqlite(other, "CREATE TABLE users(email TEXT)"), 0);
	CHECK_INT(chatdb_probe(other, &err), 0);
	CHECK_INT(chatdb_open(&db, other, 0, &err), -1);
	CHECK(db == NULL);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "not a j2w chat archive") != NULL);
	CHECK_INT(chatdb_open(&db, other, 1, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(chatdb_summary(other, &s, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);

	/* another application's id, even with the archive's tables */
	CHECK_INT(make_sqlite(other, "PRAGMA application_id = 42; CREATE TABLE rooms(x);"
	    " CREATE TABLE messages(x); CREATE TABLE manifest(x)"), 0);
	CHECK_INT(chatdb_probe(other, &err), 0);

	/* an archive without an id (copied through an SQL dump) is still read by other tools */
	CHECK_INT(make_sqlite(other, "CREATE TABLE rooms(room_jid TEXT);"
	    " CREATE TABLE messages(sent_utc TEXT); CREATE TABLE manifest(id INTEGER, status TEXT,"
	    " started_utc TEXT, finished_utc TEXT, messages_rejected INTEGER);"
	    " INSERT INTO rooms VALUES ('r@c'); INSERT INTO messages VALUES ('2024-01-01T00:00:00.000Z');"
	    " INSERT INTO manifest VALUES (1, 'failed', '2024-01-02T00:00:00.000Z', NULL, 2)"), 0);
	CHECK_INT(chatdb_probe(other, &err), 1);
	CHECK_INT(chatdb_summary(other, &s, &err), 0);
	CHECK_INT(s.rooms, 1);
	CHECK_INT(s.messages, 1);
	CHECK_INT(s.members, -1);
	CHECK_INT(s.files, -1);
	CHECK_STR(s.status, "failed");
	CHECK_STR(s.when, "2024-01-02T00:00:00.000Z");
	CHECK_INT(s.rejected, 2);
	chatdb_summary_release(&s);
	/* but the archive's own commands keep refusing it, as they always did */
	CHECK_INT(chatdb_open(&db, other, 0, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);

	/* a file that is not SQLite at all, and one that is missing */
	CHECK_INT(unit_write_file(other, "not a database at all, not at all.", 34), 0);
	CHECK_INT(chatdb_probe(other, &err), 0);
	CHECK_INT(chatdb_open(&db, unit_tmpfile("missing.db"), 0, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	remove_db(path);
	remove_db(other);
}

struct rows {
	int n;
	char text[1024];
};

static int
row_cb(void *ctx, const struct chat_row *row)
{
	struct rows *r = ctx;
	size_t len = strlen(r->text);

	r->n++;
	snprintf(r->text + len, sizeof(r->text) - len, "%lld %s %s %zu|", row->msg_id,
	    row->nick ? row->nick : "-", row->body ? row->body : "-", row->nfiles);
	return 0;
}

static int
room_cb(void *ctx, const struct chat_room_info *room)
{
	struct rows *r = ctx;
	size_t len = strlen(r->text);

	r->n++;
	snprintf(r->text + len, sizeof(r->text) - len, "%s %llu|", room->room_jid,
	    (unsigned long long)room->messages);
	return 0;
}

static int
member_cb(void *ctx, const struct chat_member_info *m)
{
	struct rows *r = ctx;
	size_t len = strlen(r->text);

	r->n++;
	snprintf(r->text + len, sizeof(r->text) - len, "%s %s|", m->real_jid, m->nick ? m->nick : "-");
	return 0;
}

static void
test_reads(void)
{
	char path[4096];
	struct chatimport_counts k;
	struct warnings w = { 0 };
	struct chatdb *db;
	struct chat_query q = { 0 };
	struct rows r = { 0 };
	struct j2w_err err;

	snprintf(path, sizeof(path), "%s", unit_tmpfile("reads.db"));
	remove_db(path);
	CHECK_INT(import_small(path, 0, &k, &w), 0);
	CHECK_INT(chatdb_open(&db, path, 0, &err), 0);
	q.match = "login OR file";
	CHECK_INT(chatread_search(db, &q, row_cb, &r, &err), 0);
	CHECK_STR(r.text, "2 Bob login fails <again> 0|4 Alice here is the file 1|");
	memset(&r, 0, sizeof(r));
	q.match = NULL;
	q.room = ROOM;
	q.since = "2024-05-02T09:10:00.000Z";
	CHECK_INT(chatread_search(db, &q, row_cb, &r, &err), 0);
	CHECK_INT(r.n, 2);
	memset(&r, 0, sizeof(r));
	q.match = "\"unterminated";
	CHECK_INT(chatread_search(db, &q, row_cb, &r, &err), -1);
	memset(&r, 0, sizeof(r));
	CHECK_INT(chatread_rooms(db, NULL, room_cb, &r, &err), 2);
	CHECK_STR(r.text, "empty@conf.example.com 0|" ROOM " 3|");
	memset(&r, 0, sizeof(r));
	CHECK_INT(chatread_rooms(db, "nosuch@conf.example.com", room_cb, &r, &err), 0);
	CHECK_INT(chatread_members(db, ROOM, member_cb, &r, &err), 0);
	CHECK_STR(r.text, "alice@example.com Alice|bob@example.com Bob|");
	chatdb_close(db);
	remove_db(path);
}

#define ROOM2 "dev@conf.example.com"
#define FILE_STANZA "<message><x xmlns='advanced-file-transfer'>plan.pdf</x></message>"

/*
 * A source that repeats messages, as a careless dump can: msg 1 and 3 again
 * reading differently, msg 2 again the same, a message without MSG_ID twice.
 * Six distinct messages; four repeats, two of which read differently.
 */
static const struct chat_msg dup_msgs[] = {
	{ ROOM, "1", "2024-05-02 09:00:00", "alice@example.com", ROOM "/Alice", "g", NULL,
	    "alpha release plan", NULL, NULL, NULL, "dup:1", NULL, NULL },
	{ ROOM, "2", "2024-05-02 09:01:00", "bob@example.com", ROOM "/Bob", "g", NULL,
	    "beta rollout tonight", NULL, NULL, NULL, "dup:2", NULL, NULL },
	{ ROOM, "1", "2024-05-02 09:00:00", "alice@example.com", ROOM "/Alice", "g", NULL,
	    "alpha release plan, edited", NULL, NULL, NULL, "dup:3", NULL, NULL },
	{ ROOM2, NULL, "2024-05-02 10:00:00", "carol@example.com", ROOM2 "/Carol", "g", NULL,
	    "gamma notes", NULL, NULL, NULL, "dup:4", NULL, NULL },
	{ ROOM2, NULL, "2024-05-02 10:00:00", "carol@example.com", ROOM2 "/Carol", "g", NULL,
	    "gamma notes", NULL, NULL, NULL, "dup:5", NULL, NULL },
	{ ROOM, "3", "2024-05-02 09:02:00", "bob@example.com", ROOM "/Bob", "g", NULL,
	    "delta is green", NULL, NULL, NULL, "dup:6", NULL, NULL },
	{ ROOM, "2", "2024-05-02 09:01:00", "bob@example.com", ROOM "/Bob", "g", NULL,
	    "beta rollout tonight", NULL, NULL, NULL, "dup:7", NULL, NULL },
	{ ROOM2, NULL, "2024-05-02 10:05:00", "dave@example.com", ROOM2 "/Dave", "g", NULL,
	    "epsilon plan", NULL, NULL, NULL, "dup:8", NULL, NULL },
	{ ROOM, "4", "2024-05-03 08:00:02", "alice@example.com", ROOM "/Alice", "g", NULL,
	    "the plan as a file", NULL, FILE_STANZA, NULL, "dup:9", NULL, NULL },
	{ ROOM, "3", "2024-05-02 09:02:00", "bob@example.com", ROOM "/Bob", "g", NULL,
	    "delta is red", NULL, NULL, NULL, "dup:10", NULL, NULL },
};
#define NDUP (sizeof(dup_msgs) / sizeof(dup_msgs[0]))

/* Reads the first *(size_t *)arg messages of dup_msgs, two rooms and an upload. */
static int
dup_read(void *arg, const struct chat_sink *sink, struct j2w_err *err)
{
	static const struct chat_room rooms[] = {
		{ ROOM, "alice@example.com", "Deploys", "persistent", NULL, NULL, "rooms:2" },
		{ ROOM2, "carol@example.com", "Dev", "persistent", NULL, NULL, "rooms:3" },
	};
	static const struct chat_file file = { "21", "alice@example.com", ROOM, "POST",
		"f21", "plan.pdf", "fs1", "/aft/plan.pdf", "4096", "2024-05-03 08:00:01", "aft:2" };
	size_t n = *(const size_t *)arg;

	for (size_t i = 0; i < sizeof(rooms) / sizeof(rooms[0]); i++)
		if (sink->room != NULL && sink->room(sink->ctx, &rooms[i], err) < 0)
			return -1;
	for (size_t i = 0; i < n && i < NDUP; i++)
		if (sink->msg(sink->ctx, &dup_msgs[i], err) < 0)
			return -1;
	if (sink->file != NULL && sink->file(sink->ctx, &file, err) < 0)
		return -1;
	return 0;
}

/*
 * Imports the first n messages of dup_msgs into path in batches of batch.
 * finish 0 stops after the load, as a process killed before chatimport_end:
 * the open batch is rolled back, the committed ones stay.
 */
static int
import_dups(const char *path, size_t n, unsigned long batch, int finish,
    struct chatimport_counts *k)
{
	struct chatdb *db;
	struct chatimport imp = { 0 };
	struct chat_sink sink;
	struct warnings w = { 0 };
	struct j2w_err err;
	int rc;

	if (chatdb_open(&db, path, 1, &err) < 0)
		return -1;
	chatdb_set_batch(db, batch);
	imp.db = db;
	imp.warn = collect_warn;
	imp.ctx = &w;
	rc = chatimport_begin(&imp, "test:dups", &sink, &err);
	if (rc == 0)
		rc = chatimport_run(&imp, dup_read, &n, &err);
	if (finish && chatimport_end(&imp, rc == 0, &err) < 0)
		rc = -1;
	*k = imp.counts;
	chatdb_close(db);
	return rc;
}

/* What a reader of the archive sees: every message's fields, files, digests, not row ids. */
static const char *
archive_content(const char *path, char *buf, size_t len)
{
	static const char *const sql[] = {
		"SELECT room_jid, msg_id, sent_utc, from_jid, nick, msg_type, subject, body, stanza,"
		" has_file, digest FROM messages ORDER BY room_jid, msg_id, digest",
		"SELECT f.aft_index, m.room_jid, m.msg_id FROM files f LEFT JOIN messages m"
		" ON m.id = f.message ORDER BY f.aft_index",
		"SELECT room_jid, name FROM rooms ORDER BY room_jid",
	};
	sqlite3 *db;
	size_t off = 0;

	buf[0] = '\0';
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return "cannot open";
	for (size_t q = 0; q < sizeof(sql) / sizeof(sql[0]); q++) {
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db, sql[q], -1, &st, NULL) != SQLITE_OK)
			break;
		while (sqlite3_step(st) == SQLITE_ROW && off < len) {
			for (int i = 0; i < sqlite3_column_count(st) && off < len; i++) {
				const char *t = (const char *)sqlite3_column_text(st, i);

				off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? "," : "",
				    t != NULL ? t : "NULL");
			}
			if (off < len)
				off += (size_t)snprintf(buf + off, len - off, "\n");
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return buf;
}

/* The search results for match (messages as row_cb prints them), or "error". */
static const char *
search_text(const char *path, const char *match, struct rows *r)
{
	struct chatdb *db;
	struct chat_query q = { 0 };
	struct j2w_err err;
	int rc;

	memset(r, 0, sizeof(*r));
	if (chatdb_open(&db, path, 0, &err) < 0)
		return "cannot open";
	q.match = match;
	rc = chatread_search(db, &q, row_cb, r, &err);
	chatdb_close(db);
	return rc == 0 ? r->text : "error";
}

/* Whether the archive is whole: mark cleared, the three indexes there, FTS5 consistent. */
static int
archive_indexed(const char *path)
{
	sqlite3 *db;
	int ok;

	if (query_long(path, "SELECT count(*) FROM meta WHERE key = 'deferred_index'") != 0 ||
	    query_long(path, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN"
	    " ('messages_key', 'messages_nokey', 'messages_with_file')") != 3)
		return 0;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return 0;
	ok = sqlite3_exec(db, "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')",
	    NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(db);
	return ok;
}

static const char *const queries[] = { "alpha", "plan", "gamma OR delta", "rollout", "red" };
#define NQUERIES (sizeof(queries) / sizeof(queries[0]))

/*
 * A first import (loaded, then indexed) and the same source imported in two
 * steps (the second row by row, with the unique keys in place) give the same
 * archive: rows, files matched, digest, search results, counts.
 */
static void
test_first_and_incremental_import_agree(void)
{
	char first[4096], steps[4096], a[8192], b[8192];
	struct chatimport_counts k, k1, k2;
	struct rows r1, r2;

	snprintf(first, sizeof(first), "%s", unit_tmpfile("first.db"));
	snprintf(steps, sizeof(steps), "%s", unit_tmpfile("steps.db"));
	remove_db(first);
	remove_db(steps);

	CHECK_INT(import_dups(first, NDUP, 4, 1, &k), 0);
	CHECK_INT(k.messages_read, NDUP);
	CHECK_INT(k.messages_added, 6);
	CHECK_INT(k.messages_known, 4);
	CHECK_INT(k.messages_changed, 2);
	CHECK_INT(k.archive_messages, 6);
	CHECK_INT(k.files_matched, 1);
	CHECK(archive_indexed(first));

	/* five first (a first import too), then all ten: the rest row by row */
	CHECK_INT(import_dups(steps, 5, 4, 1, &k1), 0);
	CHECK_INT(k1.messages_added, 3);
	CHECK_INT(k1.messages_known, 2);
	CHECK_INT(k1.messages_changed, 1);
	CHECK(archive_indexed(steps));
	CHECK_INT(import_dups(steps, NDUP, 4, 1, &k2), 0);
	CHECK_INT(k2.messages_added, 3);
	CHECK_INT(k2.messages_known, 7);
	CHECK_INT(k2.messages_changed, 2);
	CHECK(archive_indexed(steps));

	CHECK_STR(archive_content(steps, b, sizeof(b)), archive_content(first, a, sizeof(a)));
	/* the first of each key is kept, as INSERT OR IGNORE keeps it */
	CHECK(strstr(a, "edited") == NULL && strstr(a, "delta is red") == NULL);
	CHECK_STR(k2.archive_digest, k.archive_digest);
	for (size_t i = 0; i < NQUERIES; i++)
		CHECK_STR(search_text(steps, queries[i], &r2), search_text(first, queries[i], &r1));
	CHECK_STR(search_text(first, "plan", &r1),
	    "1 Alice alpha release plan 0|0 Dave epsilon plan 0|4 Alice the plan as a file 1|");

	/* and again: idempotent, nothing added, same digest */
	CHECK_INT(import_dups(first, NDUP, 4, 1, &k1), 0);
	CHECK_INT(k1.messages_added, 0);
	CHECK_INT(k1.messages_known, NDUP);
	CHECK_STR(k1.archive_digest, k.archive_digest);
	CHECK_STR(archive_content(first, b, sizeof(b)), a);
	remove_db(first);
	remove_db(steps);
}

/*
 * The process dies after loading, before the indexes: the archive keeps the
 * whole batches and the mark. Search refuses, reading works, and the next
 * writable open builds the indexes (dropping repeats as the keys would have);
 * the next import then completes the archive as a clean run would have.
 */
static void
test_killed_between_load_and_index(void)
{
	char clean[4096], killed[4096], a[8192], b[8192];
	struct chatimport_counts k, kc;
	struct chatdb *db;
	struct chat_query q = { 0 };
	struct rows r;
	struct j2w_err err;

	snprintf(clean, sizeof(clean), "%s", unit_tmpfile("clean.db"));
	snprintf(killed, sizeof(killed), "%s", unit_tmpfile("killed.db"));
	remove_db(clean);
	remove_db(killed);
	CHECK_INT(import_dups(clean, NDUP, 3, 1, &kc), 0);

	CHECK_INT(import_dups(killed, NDUP, 3, 0, &k), 0);
	/*
	 * batches of three: nine read and committed, the tenth rolled back; the
	 * repeats of a MSG_ID are there, the repeat without one was skipped by
	 * messages_nokey, which a first import keeps
	 */
	CHECK_INT(query_long(killed, "SELECT count(*) FROM messages"), 8);
	CHECK_INT(query_long(killed, "SELECT count(*) FROM messages WHERE msg_id IN (1, 2)"), 4);
	CHECK_INT(query_long(killed, "SELECT value FROM meta WHERE key = 'deferred_index'"),
	    query_long(killed, "SELECT max(id) FROM manifest"));
	CHECK_INT(query_long(killed, "SELECT count(*) FROM sqlite_schema WHERE name = 'messages_key'"),
	    0);
	CHECK_INT(query_long(killed, "SELECT count(*) FROM manifest WHERE status = 'running'"), 1);

	/* read-only: a search would miss the unindexed bodies, so it refuses */
	CHECK_INT(chatdb_open(&db, killed, 0, &err), 0);
	q.match = "alpha";
	memset(&r, 0, sizeof(r));
	CHECK_INT(chatread_search(db, &q, row_cb, &r, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "run the import again") != NULL);
	q.match = NULL;
	CHECK_INT(chatread_search(db, &q, row_cb, &r, &err), 0);
	CHECK_INT(r.n, 8);
	chatdb_close(db);
	CHECK_INT(query_long(killed, "SELECT count(*) FROM meta WHERE key = 'deferred_index'"), 1);

	/* a writable open finishes the interrupted import's work */
	CHECK_INT(chatdb_open(&db, killed, 1, &err), 0);
	chatdb_close(db);
	CHECK(archive_indexed(killed));
	CHECK_INT(query_long(killed, "SELECT count(*) FROM messages"), 6);
	CHECK_STR(search_text(killed, "alpha", &r), "1 Alice alpha release plan 0|");

	/* the next import carries on row by row and ends where a clean run ends */
	CHECK_INT(import_dups(killed, NDUP, 3, 1, &k), 0);
	CHECK_INT(k.messages_added, 0);
	CHECK_INT(k.messages_known, NDUP);
	CHECK_INT(k.messages_changed, 2);
	CHECK_STR(k.archive_digest, kc.archive_digest);
	CHECK_STR(archive_content(killed, b, sizeof(b)), archive_content(clean, a, sizeof(a)));
	for (size_t i = 0; i < NQUERIES; i++) {
		struct rows r2;

		CHECK_STR(search_text(killed, queries[i], &r2), search_text(clean, queries[i], &r));
	}
	CHECK_INT(query_long(killed, "SELECT count(*) FROM manifest WHERE status = 'interrupted'"), 1);
	remove_db(clean);
	remove_db(killed);
}

UNIT_MAIN(TEST(test_create_and_import), TEST(test_summary), TEST(test_recognition),
    TEST(test_reads), TEST(test_first_and_incremental_import_agree),
    TEST(test_killed_between_load_and_index))
