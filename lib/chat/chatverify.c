/* Verifying the chat archive against its source, in temporary tables beside the archive. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chat/chatdb_int.h"
#include "chat/chatdigest.h"
#include "chat/chatpipe.h"
#include "chat/chatverify.h"
#include "util/jsonl.h"
#include "util/num.h"
#include "util/strbuf.h"

struct verify_run {
	struct chatdb *c;
	sqlite3_stmt *ins_msg, *ins_room, *ins_file;
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
	uint64_t rejected;
};

static int
verify_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	struct verify_run *v = ctx;

	if (chatsrc_empty(r->room_jid))
		return 0;
	chatdb_bind_text(v->ins_room, 1, r->room_jid);
	return chatdb_step_done(v->c, v->ins_room, "cannot compare rooms", err);
}

static int
verify_norm(void *ctx, const struct chat_norm *n, const char *where, int repaired,
    struct j2w_err *err)
{
	struct verify_run *v = ctx;

	chatdb_bind_text(v->ins_msg, 1, n->room_jid);
	if (n->has_msg_id)
		sqlite3_bind_int64(v->ins_msg, 2, n->msg_id);
	chatdb_bind_text(v->ins_msg, 3, n->digest);
	return chatdb_step_done(v->c, v->ins_msg, "cannot compare messages", err);
}

static void
verify_reject(void *ctx, int message, const char *why)
{
	struct verify_run *v = ctx;

	v->rejected++;
	if (v->warn != NULL)
		v->warn(v->ctx, why);
}

static int
verify_file(void *ctx, const struct chat_file *f, struct j2w_err *err)
{
	struct verify_run *v = ctx;
	long idx;

	if (chatsrc_empty(f->aft_index) || num_parse_long(f->aft_index, 0, INT64_MAX, &idx) < 0)
		return 0;
	sqlite3_bind_int64(v->ins_file, 1, idx);
	return chatdb_step_done(v->c, v->ins_file, "cannot compare files", err);
}

/* Collects the source and archive per-room digests into temp.cmp_digest. */
static int
verify_store_digest(void *ctx, const char *room, const char *digest, uint64_t n)
{
	sqlite3_stmt *st = ctx;

	chatdb_bind_text(st, 1, room);
	chatdb_bind_text(st, 2, digest);
	sqlite3_step(st);
	sqlite3_reset(st);
	return 0;
}

static const char verify_setup_sql[] =
"CREATE TEMP TABLE src_msg(room TEXT NOT NULL, msg_id INTEGER, digest TEXT NOT NULL);\n"
"CREATE TEMP TABLE src_room(room TEXT PRIMARY KEY) WITHOUT ROWID;\n"
"CREATE TEMP TABLE src_file(aft_index INTEGER PRIMARY KEY);\n"
"CREATE TEMP TABLE src_digest(room TEXT PRIMARY KEY, digest TEXT) WITHOUT ROWID;\n"
"CREATE TEMP TABLE arc_digest(room TEXT PRIMARY KEY, digest TEXT) WITHOUT ROWID;\n";

static const char verify_index_sql[] =
"CREATE INDEX temp.src_msg_key ON src_msg(room, msg_id, digest);\n"
"CREATE INDEX temp.src_msg_digest ON src_msg(room, digest);\n";

/*
 * One row per room in either side: presence, counts, missing (source rows with
 * no archived row of the same key), extra (archived rows the source lacks) and
 * changed (same MSG_ID, other digest). A message without MSG_ID is keyed by its digest.
 */
static const char verify_report_sql[] =
"WITH rooms_all(room) AS (\n"
"  SELECT room FROM src_room UNION SELECT room FROM src_msg\n"
"  UNION SELECT room_jid FROM main.rooms UNION SELECT room_jid FROM main.messages),\n"
"s AS (SELECT room, count(*) n FROM src_msg GROUP BY room),\n"
"a AS (SELECT room_jid room, count(*) n FROM main.messages GROUP BY room_jid),\n"
"miss AS (SELECT s.room, count(*) n FROM src_msg s WHERE\n"
"  (s.msg_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.messages m\n"
"     WHERE m.room_jid = s.room AND m.msg_id = s.msg_id))\n"
"  OR (s.msg_id IS NULL AND NOT EXISTS (SELECT 1 FROM main.messages m\n"
"     WHERE m.room_jid = s.room AND m.msg_id IS NULL AND m.digest = s.digest))\n"
"  GROUP BY s.room),\n"
"chg AS (SELECT s.room, count(*) n FROM src_msg s JOIN main.messages m\n"
"  ON m.room_jid = s.room AND m.msg_id = s.msg_id WHERE m.digest <> s.digest GROUP BY s.room),\n"
"xtra AS (SELECT m.room_jid room, count(*) n FROM main.messages m WHERE\n"
"  (m.msg_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM src_msg s\n"
"     WHERE s.room = m.room_jid AND s.msg_id = m.msg_id))\n"
"  OR (m.msg_id IS NULL AND NOT EXISTS (SELECT 1 FROM src_msg s\n"
"     WHERE s.room = m.room_jid AND s.msg_id IS NULL AND s.digest = m.digest))\n"
"  GROUP BY m.room_jid)\n"
"SELECT r.room,\n"
"  EXISTS (SELECT 1 FROM src_room x WHERE x.room = r.room),\n"
"  EXISTS (SELECT 1 FROM main.rooms x WHERE x.room_jid = r.room),\n"
"  coalesce(s.n, 0), coalesce(a.n, 0), coalesce(miss.n, 0), coalesce(xtra.n, 0),\n"
"  coalesce(chg.n, 0), sd.digest, ad.digest\n"
"FROM rooms_all r LEFT JOIN s ON s.room = r.room LEFT JOIN a ON a.room = r.room\n"
"  LEFT JOIN miss ON miss.room = r.room LEFT JOIN xtra ON xtra.room = r.room\n"
"  LEFT JOIN chg ON chg.room = r.room\n"
"  LEFT JOIN src_digest sd ON sd.room = r.room LEFT JOIN arc_digest ad ON ad.room = r.room\n"
"ORDER BY r.room";

/* SHA-256 of nothing: the digest of a room without messages. */
#define EMPTY_DIGEST "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int
verify_report(struct chatdb *c, int (*room)(void *ctx, const struct chatverify_room *rc),
    void *ctx, struct chatverify_totals *t, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(c->db, verify_report_sql, -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot compare");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chatverify_room k = { 0 };
		const char *sd = chatdb_col_text(st, 8), *ad = chatdb_col_text(st, 9);

		k.room = chatdb_col_text(st, 0);
		k.in_source = sqlite3_column_int(st, 1);
		k.in_archive = sqlite3_column_int(st, 2);
		k.source_messages = (uint64_t)sqlite3_column_int64(st, 3);
		k.archive_messages = (uint64_t)sqlite3_column_int64(st, 4);
		k.missing = (uint64_t)sqlite3_column_int64(st, 5);
		k.extra = (uint64_t)sqlite3_column_int64(st, 6);
		k.changed = (uint64_t)sqlite3_column_int64(st, 7);
		snprintf(k.source_digest, sizeof(k.source_digest), "%s", sd ? sd : EMPTY_DIGEST);
		snprintf(k.archive_digest, sizeof(k.archive_digest), "%s", ad ? ad : EMPTY_DIGEST);
		t->rooms++;
		t->source_messages += k.source_messages;
		t->archive_messages += k.archive_messages;
		t->missing += k.missing;
		t->extra += k.extra;
		t->changed += k.changed;
		if (!chatverify_room_same(&k))
			t->rooms_different++;
		if (room != NULL && room(ctx, &k) < 0) {
			ret = err_set(err, J2W_ESYS, "cannot write the report");
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = chatdb_fail(c, err, "cannot compare");
	sqlite3_finalize(st);
	if (ret < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT (SELECT count(*) FROM src_file),"
	    " (SELECT count(*) FROM main.files),"
	    " (SELECT count(*) FROM src_file s WHERE NOT EXISTS"
	    "   (SELECT 1 FROM main.files f WHERE f.aft_index = s.aft_index)),"
	    " (SELECT count(*) FROM main.files f WHERE NOT EXISTS"
	    "   (SELECT 1 FROM src_file s WHERE s.aft_index = f.aft_index))", -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot compare files");
	if (sqlite3_step(st) == SQLITE_ROW) {
		t->source_files = (uint64_t)sqlite3_column_int64(st, 0);
		t->archive_files = (uint64_t)sqlite3_column_int64(st, 1);
		t->files_missing = (uint64_t)sqlite3_column_int64(st, 2);
		t->files_extra = (uint64_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return 0;
}

int
chatverify_run(struct chatdb *c, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    int (*room)(void *ctx, const struct chatverify_room *rc),
    void (*warn)(void *ctx, const char *msg), void *ctx, struct chatverify_totals *totals,
    struct j2w_err *err)
{
	static const struct chatpipe_ops ops = {
		verify_room, NULL, verify_file, NULL, verify_reject, verify_norm
	};
	struct verify_run v = { .c = c, .warn = warn, .ctx = ctx };
	sqlite3_stmt *st = NULL;
	int ret = -1;

	memset(totals, 0, sizeof(*totals));
	if (chatdb_exec(c, verify_setup_sql, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO src_msg(room, msg_id, digest) VALUES (?1, ?2, ?3)",
	    -1, &v.ins_msg, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO src_room(room) VALUES (?1)",
	    -1, &v.ins_room, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO src_file(aft_index) VALUES (?1)",
	    -1, &v.ins_file, NULL) != SQLITE_OK) {
		chatdb_fail(c, err, "cannot prepare a statement");
		goto out;
	}
	if (chatdb_exec(c, "BEGIN", err) < 0)
		goto out;
	c->in_tx = 1;
	if (chatpipe_run(&ops, &v, tz, read, arg, err) < 0)
		goto out;
	totals->rejected = v.rejected;
	if (chatdb_exec(c, verify_index_sql, err) < 0)
		goto out;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO src_digest(room, digest) VALUES (?1, ?2)", -1, &st,
	    NULL) != SQLITE_OK) {
		chatdb_fail(c, err, "cannot prepare a statement");
		goto out;
	}
	if (chatdigest_rooms(c, "SELECT room, digest FROM src_msg ORDER BY room, msg_id, digest",
	    verify_store_digest, st, err) < 0)
		goto out;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(c->db, "INSERT INTO arc_digest(room, digest) VALUES (?1, ?2)", -1, &st,
	    NULL) != SQLITE_OK) {
		chatdb_fail(c, err, "cannot prepare a statement");
		goto out;
	}
	if (chatdigest_rooms(c, CHATDIGEST_ARCHIVE_SQL, verify_store_digest, st, err) < 0)
		goto out;
	ret = verify_report(c, room, ctx, totals, err);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(v.ins_msg);
	sqlite3_finalize(v.ins_room);
	sqlite3_finalize(v.ins_file);
	if (c->in_tx) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		c->in_tx = 0;
	}
	return ret;
}

int
chatverify_room_same(const struct chatverify_room *k)
{
	return !k->missing && !k->extra && !k->changed && k->in_source == k->in_archive &&
	    strcmp(k->source_digest, k->archive_digest) == 0;
}

json_t *
chatverify_room_json(const struct chatverify_room *k)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	json_set_str(o, "room", k->room);
	json_object_set_new(o, "status", json_string(chatverify_room_same(k) ? "equal" : "different"));
	json_object_set_new(o, "in_source", json_boolean(k->in_source));
	json_object_set_new(o, "in_archive", json_boolean(k->in_archive));
	json_object_set_new(o, "source_messages", json_integer((json_int_t)k->source_messages));
	json_object_set_new(o, "archive_messages", json_integer((json_int_t)k->archive_messages));
	json_object_set_new(o, "missing", json_integer((json_int_t)k->missing));
	json_object_set_new(o, "extra", json_integer((json_int_t)k->extra));
	json_object_set_new(o, "changed", json_integer((json_int_t)k->changed));
	json_object_set_new(o, "source_digest", json_string(k->source_digest));
	json_object_set_new(o, "archive_digest", json_string(k->archive_digest));
	return o;
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Says one sentence, made by printf-style fmt. */
static void
say_f(void (*say)(void *ctx, const char *msg), void *ctx, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;
	int rc;

	strbuf_init(&sb, 0);
	va_start(ap, fmt);
	rc = strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (rc == 0)
		say(ctx, sb.buf);
	strbuf_release(&sb);
}

void
chatverify_describe_room(const struct chatverify_room *k,
    void (*say)(void *ctx, const char *msg), void *ctx)
{
	if (k->missing)
		say_f(say, ctx, "room '%s': %llu %s in the source %s not in the archive", k->room,
		    (unsigned long long)k->missing, plural(k->missing, "message", "messages"),
		    plural(k->missing, "is", "are"));
	if (k->extra)
		say_f(say, ctx, "room '%s': %llu archived %s no longer in the source", k->room,
		    (unsigned long long)k->extra, plural(k->extra, "message is", "messages are"));
	if (k->changed)
		say_f(say, ctx, "room '%s': %llu %s differently in the source", k->room,
		    (unsigned long long)k->changed, plural(k->changed, "message reads", "messages read"));
	if (k->in_source && !k->in_archive)
		say_f(say, ctx, "room '%s': in TC_ROOMS but not in the archive", k->room);
	if (!k->in_source && k->in_archive)
		say_f(say, ctx, "room '%s': archived but no longer in TC_ROOMS", k->room);
}

void
chatverify_describe_totals(const struct chatverify_totals *t,
    void (*say)(void *ctx, const char *msg), void *ctx)
{
	if (t->files_missing)
		say_f(say, ctx, "%llu AFT_LOG %s in the source %s not in the archive",
		    (unsigned long long)t->files_missing, plural(t->files_missing, "record", "records"),
		    plural(t->files_missing, "is", "are"));
	if (t->files_extra)
		say_f(say, ctx, "%llu archived AFT_LOG %s no longer in the source",
		    (unsigned long long)t->files_extra, plural(t->files_extra, "record is", "records are"));
	if (t->rejected)
		say_f(say, ctx, "%llu source %s could not be read, so the archive cannot hold %s",
		    (unsigned long long)t->rejected, plural(t->rejected, "row", "rows"),
		    plural(t->rejected, "it", "them"));
}

int
chatverify_different(const struct chatverify_totals *t)
{
	return t->rooms_different || t->files_missing || t->files_extra || t->rejected;
}
