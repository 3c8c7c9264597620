/* Importing rows into the chat archive: rooms, members, messages with their index, files. */
#include <stdlib.h>
#include <string.h>

#include "chat/chatdb_int.h"
#include "chat/chatdigest.h"
#include "chat/chatimport.h"
#include "chat/chatpipe.h"
#include "chat/roomcfg.h"
#include "util/num.h"
#include "util/version.h"

/* The statements an import keeps prepared in c->stmt. */
enum { ST_ROOM, ST_MEMBER, ST_MSG, ST_FTS, ST_DIGEST, ST_FILE, ST_COUNT };
_Static_assert(ST_COUNT <= CHATDB_STMT_MAX, "struct chatdb holds the statements");

static const char *const chatimport_sql[ST_COUNT] = {
	[ST_ROOM] = "INSERT INTO rooms(room_jid, name, creator_jid, subject, type, config, spacket,"
	    " import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(room_jid) DO UPDATE SET"
	    " name = excluded.name, creator_jid = excluded.creator_jid, subject = excluded.subject,"
	    " type = excluded.type, config = excluded.config, spacket = excluded.spacket,"
	    " import_id = excluded.import_id WHERE rooms.config IS NOT excluded.config OR"
	    " rooms.subject IS NOT excluded.subject OR rooms.type IS NOT excluded.type OR"
	    " rooms.spacket IS NOT excluded.spacket OR rooms.creator_jid IS NOT excluded.creator_jid",
	[ST_MEMBER] = "INSERT INTO members(room_jid, real_jid, role, affiliation, nick_jid, import_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(room_jid, real_jid) DO UPDATE SET"
	    " role = excluded.role, affiliation = excluded.affiliation, nick_jid = excluded.nick_jid,"
	    " import_id = excluded.import_id WHERE members.role IS NOT excluded.role OR"
	    " members.affiliation IS NOT excluded.affiliation OR members.nick_jid IS NOT excluded.nick_jid",
	[ST_MSG] = "INSERT OR IGNORE INTO messages(room_jid, msg_id, sent_utc, from_jid, nick, msg_type,"
	    " subject, body, stanza, has_file, digest, import_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[ST_FTS] = "INSERT INTO messages_fts(rowid, body) VALUES (?1, ?2)",
	[ST_DIGEST] = "SELECT digest FROM messages WHERE room_jid = ?1 AND msg_id = ?2",
	[ST_FILE] = "INSERT OR IGNORE INTO files(aft_index, jid, to_jid, method, filename, real_filename,"
	    " file_server, file_path, bytes, time_utc, import_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
};

static void
import_warn(struct chatimport *imp, const struct j2w_err *e)
{
	if (imp->warn != NULL)
		imp->warn(imp->ctx, e->msg);
}

/* Repaired copies of a row's fields that were not valid UTF-8. */
struct fixup {
	char *s[12];
	int n;
	int repaired;
	int failed;
};

/* s, or its repaired copy (kept in f until fixup_done). */
static const char *
fixup(struct fixup *f, const char *s)
{
	char *copy;
	int rc;

	if (f->n == 12)
		return s;
	rc = chatsrc_utf8_repair(s, &copy);
	if (rc < 0)
		f->failed = 1;
	if (rc <= 0)
		return s;
	f->s[f->n++] = copy;
	f->repaired = 1;
	return copy;
}

/* Frees the copies; warns when a field was repaired. Returns -1 when out of memory. */
static int
fixup_done(struct fixup *f, struct chatimport *imp, const char *where, struct j2w_err *err)
{
	for (int i = 0; i < f->n; i++)
		free(f->s[i]);
	if (f->failed)
		return err_set(err, J2W_ESYS, "%s: out of memory", where);
	if (f->repaired) {
		struct j2w_err cerr;

		err_set(&cerr, J2W_EDATA, "%s: invalid UTF-8 replaced by U+FFFD", where);
		import_warn(imp, &cerr);
	}
	return 0;
}

static int
import_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	struct chatimport *imp = ctx;
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_ROOM];
	struct j2w_err cerr;
	struct fixup fx = { 0 };
	char *name = NULL;
	int rc;

	if (chatsrc_empty(r->room_jid)) {
		err_set(&cerr, J2W_EDATA, "%s: room without ROOM_JID", r->where);
		import_warn(imp, &cerr);
		return 0;
	}
	if (!chatsrc_empty(r->config)) {
		name = roomcfg_name(r->config, strlen(r->config), &cerr);
		if (name == NULL && cerr.status != J2W_OK) {
			err_prefix(&cerr, "%s: room '%s': ", r->where, r->room_jid);
			import_warn(imp, &cerr);
		}
	}
	chatdb_bind_text(st, 1, fixup(&fx, r->room_jid));
	chatdb_bind_text(st, 2, name);
	chatdb_bind_text(st, 3, fixup(&fx, r->creator_jid));
	chatdb_bind_text(st, 4, fixup(&fx, r->subject));
	chatdb_bind_text(st, 5, fixup(&fx, r->type));
	chatdb_bind_text(st, 6, fixup(&fx, r->config));
	chatdb_bind_text(st, 7, fixup(&fx, r->spacket));
	sqlite3_bind_int64(st, 8, c->import_id);
	rc = chatdb_step_done(c, st, "cannot store a room", err);
	if (fixup_done(&fx, imp, r->where, rc < 0 ? NULL : err) < 0)
		rc = -1;
	free(name);
	if (rc == 0)
		imp->counts.rooms++;
	return rc;
}

static int
import_member(void *ctx, const struct chat_member *m, struct j2w_err *err)
{
	struct chatimport *imp = ctx;
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_MEMBER];
	struct fixup fx = { 0 };
	int rc;

	if (chatsrc_empty(m->room_jid) || chatsrc_empty(m->real_jid)) {
		struct j2w_err cerr;

		err_set(&cerr, J2W_EDATA, "%s: member without ROOM_JID or REAL_JID", m->where);
		import_warn(imp, &cerr);
		return 0;
	}
	chatdb_bind_text(st, 1, fixup(&fx, m->room_jid));
	chatdb_bind_text(st, 2, fixup(&fx, m->real_jid));
	chatdb_bind_text(st, 3, fixup(&fx, m->role));
	chatdb_bind_text(st, 4, fixup(&fx, m->affiliation));
	chatdb_bind_text(st, 5, fixup(&fx, m->nick_jid));
	sqlite3_bind_int64(st, 6, c->import_id);
	rc = chatdb_step_done(c, st, "cannot store a member", err);
	if (fixup_done(&fx, imp, m->where, rc < 0 ? NULL : err) < 0 || rc < 0)
		return -1;
	imp->counts.members++;
	return 0;
}

/*
 * At the start of each batch of a deferred import: whether the archive is
 * still marked as this import's. Another import that opened the archive in
 * the meantime has built the indexes (chatdb_open); then this one goes on
 * row by row, with the unique keys and the full-text index. Returns 0 or -1.
 */
static int
import_still_deferred(struct chatdb *c, struct j2w_err *err)
{
	long long by;
	int rc;

	if (!c->deferred)
		return 0;
	if ((rc = chatdb_deferred_by(c, &by, err)) < 0)
		return -1;
	c->deferred = rc == 1 && by == c->import_id;
	return 0;
}

/* Stores one normalised message (and indexes its body when it is new). */
static int
import_store(struct chatimport *imp, const struct chat_norm *n, const char *where, int repaired,
    struct j2w_err *err)
{
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_MSG];

	if (repaired) {
		struct j2w_err cerr;

		imp->counts.messages_repaired++;
		err_set(&cerr, J2W_EDATA, "%s: invalid UTF-8 replaced by U+FFFD", where);
		import_warn(imp, &cerr);
	}
	chatdb_bind_text(st, 1, n->room_jid);
	if (n->has_msg_id)
		sqlite3_bind_int64(st, 2, n->msg_id);
	else
		sqlite3_bind_null(st, 2);
	chatdb_bind_text(st, 3, n->sent_utc);
	chatdb_bind_text(st, 4, n->from_jid);
	chatdb_bind_text(st, 5, n->nick);
	chatdb_bind_text(st, 6, n->msg_type);
	chatdb_bind_text(st, 7, n->subject);
	chatdb_bind_text(st, 8, n->body);
	chatdb_bind_text(st, 9, n->stanza);
	sqlite3_bind_int(st, 10, n->has_file);
	chatdb_bind_text(st, 11, n->digest);
	sqlite3_bind_int64(st, 12, c->import_id);
	if (chatdb_step_done(c, st, "cannot store a message", err) < 0)
		return -1;
	if (sqlite3_changes(c->db) == 1) {
		sqlite3_stmt *fts = c->stmt[ST_FTS];

		imp->counts.messages_added++;
		/* a first import indexes all bodies at the end (chatdb_build_index) */
		if (c->deferred)
			goto stored;
		sqlite3_bind_int64(fts, 1, sqlite3_last_insert_rowid(c->db));
		chatdb_bind_text(fts, 2, n->body);
		if (chatdb_step_done(c, fts, "cannot index a message", err) < 0)
			return -1;
	} else {
		imp->counts.messages_known++;
		if (n->has_msg_id) {
			/* archived before: the archive keeps the first version, verify reports the change */
			sqlite3_stmt *dg = c->stmt[ST_DIGEST];
			int rc;

			chatdb_bind_text(dg, 1, n->room_jid);
			sqlite3_bind_int64(dg, 2, n->msg_id);
			rc = sqlite3_step(dg);
			if (rc == SQLITE_ROW && strcmp(chatdb_col_text(dg, 0), n->digest) != 0)
				imp->counts.messages_changed++;
			sqlite3_reset(dg);
			sqlite3_clear_bindings(dg);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return chatdb_fail(c, err, "cannot read a message");
		}
	}
stored:
	if (imp->progress != NULL && (imp->counts.messages_read & 1023) == 0)
		imp->progress(imp->ctx, imp->counts.messages_read, imp->total);
	if (imp->stored != NULL)
		imp->stored(imp->ctx, imp->counts.messages_added + imp->counts.messages_known);
	if (--c->batch_left == 0) {
		if (chatdb_tx_commit(c, err) < 0 || chatdb_tx_begin(c, err) < 0 ||
		    import_still_deferred(c, err) < 0)
			return -1;
	}
	return 0;
}

/* A message that cannot be archived: counted, reported, skipped. */
static void
import_reject(struct chatimport *imp, const struct j2w_err *why)
{
	imp->counts.messages_rejected++;
	import_warn(imp, why);
}

static int
import_msg(void *ctx, const struct chat_msg *m, struct j2w_err *err)
{
	struct chatimport *imp = ctx;
	struct j2w_err cerr;
	int repaired;

	imp->counts.messages_read++;
	if (chatsrc_normalize(m, imp->tz, &imp->norm, &repaired, &cerr) < 0) {
		if (cerr.status != J2W_EDATA) {
			*err = cerr;
			return -1;
		}
		import_reject(imp, &cerr);
		return 0;
	}
	return import_store(imp, &imp->norm, m->where, repaired, err);
}

static int
import_file(void *ctx, const struct chat_file *f, struct j2w_err *err)
{
	struct chatimport *imp = ctx;
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_FILE];
	struct j2w_err cerr;
	struct fixup fx = { 0 };
	char when[32];
	long idx, bytes = -1;
	int rc;

	imp->counts.files_read++;
	if (chatsrc_empty(f->aft_index) || num_parse_long(f->aft_index, 0, INT64_MAX, &idx) < 0) {
		err_set(&cerr, J2W_EDATA, "%s: AFT_INDEX '%.40s' is not a number", f->where,
		    f->aft_index ? f->aft_index : "");
		goto reject;
	}
	if (!chatsrc_empty(f->timestamp) && chatsrc_time_utc(f->timestamp, imp->tz, when, sizeof(when)) < 0) {
		err_set(&cerr, J2W_EDATA, "%s: TIMESTAMPVALUE '%.40s' is not a time", f->where,
		    f->timestamp);
		goto reject;
	}
	if (!chatsrc_empty(f->bytes) && num_parse_long(f->bytes, 0, INT64_MAX, &bytes) < 0)
		bytes = -1;
	sqlite3_bind_int64(st, 1, idx);
	chatdb_bind_text(st, 2, fixup(&fx, f->jid));
	chatdb_bind_text(st, 3, fixup(&fx, f->to_jid));
	chatdb_bind_text(st, 4, fixup(&fx, f->method));
	chatdb_bind_text(st, 5, fixup(&fx, f->filename));
	chatdb_bind_text(st, 6, fixup(&fx, f->real_filename));
	chatdb_bind_text(st, 7, fixup(&fx, f->file_server));
	chatdb_bind_text(st, 8, fixup(&fx, f->file_path));
	if (bytes >= 0)
		sqlite3_bind_int64(st, 9, bytes);
	chatdb_bind_text(st, 10, chatsrc_empty(f->timestamp) ? NULL : when);
	sqlite3_bind_int64(st, 11, c->import_id);
	rc = chatdb_step_done(c, st, "cannot store a file record", err);
	if (fixup_done(&fx, imp, f->where, rc < 0 ? NULL : err) < 0 || rc < 0)
		return -1;
	imp->counts.files_added += (uint64_t)sqlite3_changes(c->db);
	return 0;
reject:
	imp->counts.files_rejected++;
	import_warn(imp, &cerr);
	return 0;
}

static void
import_total(void *ctx, uint64_t total)
{
	struct chatimport *imp = ctx;

	imp->total = total;
	if (imp->progress != NULL)
		imp->progress(imp->ctx, 0, total);
}

int
chatimport_begin(struct chatimport *imp, const char *source, struct chat_sink *sink,
    struct j2w_err *err)
{
	struct chatdb *c = imp->db;
	sqlite3_stmt *st;
	char now[32];
	int rc, fresh;

	memset(&imp->counts, 0, sizeof(imp->counts));
	chatsrc_norm_init(&imp->norm);
	imp->total = 0;
	for (int i = 0; i < ST_COUNT; i++) {
		if (c->stmt[i] == NULL && sqlite3_prepare_v3(c->db, chatimport_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &c->stmt[i], NULL) != SQLITE_OK)
			return chatdb_fail(c, err, "cannot prepare a statement");
	}
	chatdb_now_utc(now, sizeof(now));
	if (chatdb_tx_begin(c, err) < 0)
		return -1;
	if (chatdb_exec(c, "UPDATE manifest SET status = 'interrupted' WHERE status = 'running'", err) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO manifest(source, tool, started_utc, status)"
	    " VALUES (?1, ?2, ?3, 'running')", -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot prepare a statement");
	chatdb_bind_text(st, 1, source);
	chatdb_bind_text(st, 2, "j2w " J2W_VERSION);
	chatdb_bind_text(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return chatdb_fail(c, err, "cannot record the import");
	}
	sqlite3_finalize(st);
	c->import_id = sqlite3_last_insert_rowid(c->db);
	/* into an archive without messages, load first and build the indexes at the end */
	if (sqlite3_prepare_v2(c->db, "SELECT EXISTS (SELECT 1 FROM messages)", -1, &st,
	    NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot read the archive");
	rc = sqlite3_step(st);
	fresh = rc == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return chatdb_fail(c, err, "cannot read the archive");
	if (fresh && chatdb_defer_index(c, c->import_id, err) < 0)
		return -1;
	/* the manifest row (and the mark) are committed first, so a killed import is seen */
	if (chatdb_tx_commit(c, err) < 0 || chatdb_tx_begin(c, err) < 0)
		return -1;
	memset(sink, 0, sizeof(*sink));
	sink->room = import_room;
	sink->member = import_member;
	sink->msg = import_msg;
	sink->file = import_file;
	sink->total = import_total;
	sink->ctx = imp;
	return 0;
}

static int
import_norm(void *ctx, const struct chat_norm *n, const char *where, int repaired,
    struct j2w_err *err)
{
	struct chatimport *imp = ctx;

	imp->counts.messages_read++;
	return import_store(imp, n, where, repaired, err);
}

static void
import_reject_row(void *ctx, int message, const char *why)
{
	struct chatimport *imp = ctx;
	struct j2w_err e;

	err_set(&e, J2W_EDATA, "%s", why);
	if (!message) {
		imp->counts.other_rejected++;
		import_warn(imp, &e);
		return;
	}
	imp->counts.messages_read++;
	import_reject(imp, &e);
}

int
chatimport_run(struct chatimport *imp,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err)
{
	static const struct chatpipe_ops ops = {
		import_room, import_member, import_file, import_total, import_reject_row, import_norm
	};

	return chatpipe_run(&ops, imp, imp->tz, read, arg, err);
}

/*
 * Attaches each unmatched upload (METHOD POST) to the message it belongs to:
 * same room, a stanza with an advanced-file-transfer naming the file, sent
 * within three seconds (the rule of the Cisco GVE migration tool); the closest
 * in time wins, and a message takes one upload.
 */
static const char import_match_sql[] =
"SELECT m.id FROM messages m\n"
"WHERE m.has_file AND m.room_jid = ?1\n"
"  AND m.sent_utc BETWEEN strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '-3 seconds')\n"
"                     AND strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '+3 seconds')\n"
"  AND (instr(m.stanza, ?3) > 0 OR instr(m.stanza, ?4) > 0)\n"
"  AND NOT EXISTS (SELECT 1 FROM files g WHERE g.message = m.id)\n"
"ORDER BY abs(julianday(m.sent_utc) - julianday(?2)), m.id LIMIT 1";

static int
import_match_files(struct chatdb *c, uint64_t *matched, struct j2w_err *err)
{
	sqlite3_stmt *files = NULL, *find = NULL, *set = NULL;
	int rc, ret = -1;

	*matched = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT aft_index, to_jid, time_utc, real_filename, filename"
	    " FROM files WHERE message IS NULL AND upper(method) = 'POST' AND time_utc IS NOT NULL"
	    " AND to_jid IS NOT NULL ORDER BY aft_index", -1, &files, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, import_match_sql, -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "UPDATE files SET message = ?2 WHERE aft_index = ?1", -1, &set,
	    NULL) != SQLITE_OK) {
		chatdb_fail(c, err, "cannot match files to messages");
		goto out;
	}
	while ((rc = sqlite3_step(files)) == SQLITE_ROW) {
		const char *real = chatdb_col_text(files, 3), *name = chatdb_col_text(files, 4);

		if (chatsrc_empty(real) && chatsrc_empty(name))
			continue;
		sqlite3_bind_value(find, 1, sqlite3_column_value(files, 1));
		sqlite3_bind_value(find, 2, sqlite3_column_value(files, 2));
		/* an empty name would match every stanza */
		chatdb_bind_text(find, 3, chatsrc_empty(real) ? "\x01" : real);
		chatdb_bind_text(find, 4, chatsrc_empty(name) ? "\x01" : name);
		rc = sqlite3_step(find);
		if (rc == SQLITE_ROW) {
			sqlite3_bind_int64(set, 1, sqlite3_column_int64(files, 0));
			sqlite3_bind_int64(set, 2, sqlite3_column_int64(find, 0));
			if (chatdb_step_done(c, set, "cannot match files to messages", err) < 0)
				goto out;
			(*matched)++;
		} else if (rc != SQLITE_DONE) {
			chatdb_fail(c, err, "cannot match files to messages");
			goto out;
		}
		sqlite3_reset(find);
	}
	if (rc != SQLITE_DONE) {
		chatdb_fail(c, err, "cannot match files to messages");
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(files);
	sqlite3_finalize(find);
	sqlite3_finalize(set);
	return ret;
}

int
chatimport_end(struct chatimport *imp, int ok, struct j2w_err *err)
{
	struct chatdb *c = imp->db;
	struct chatimport_counts *k = &imp->counts;
	sqlite3_stmt *st;
	char now[32];
	int rc;

	chatsrc_norm_release(&imp->norm);
	if (import_still_deferred(c, err) < 0)
		return -1;
	/* failed or not, what was loaded gets its indexes, so the archive is whole */
	if (c->deferred) {
		uint64_t dropped, changed;

		/* the load is kept whatever becomes of the build: a later open redoes that */
		if (chatdb_tx_commit(c, err) < 0)
			return -1;
		if (imp->indexing != NULL)
			imp->indexing(imp->ctx);
		if (chatdb_tx_begin(c, err) < 0 || chatdb_build_index(c, &dropped, &changed, err) < 0)
			return -1;
		k->messages_added -= dropped;
		k->messages_known += dropped;
		k->messages_changed += changed;
	}
	if (!c->in_tx && chatdb_tx_begin(c, err) < 0)
		return -1;
	if (ok) {
		if (import_match_files(c, &k->files_matched, err) < 0)
			return -1;
		if (chatdigest_archive(c, k->archive_digest, &k->archive_messages, err) < 0)
			return -1;
	}
	chatdb_now_utc(now, sizeof(now));
	if (sqlite3_prepare_v2(c->db, "UPDATE manifest SET finished_utc = ?2, status = ?3, rooms = ?4,"
	    " members = ?5, messages_read = ?6, messages_added = ?7, messages_changed = ?8,"
	    " messages_rejected = ?9, files_read = ?10, files_added = ?11, archive_messages = ?12,"
	    " archive_digest = ?13 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, c->import_id);
	chatdb_bind_text(st, 2, now);
	chatdb_bind_text(st, 3, ok ? "complete" : "failed");
	sqlite3_bind_int64(st, 4, (sqlite3_int64)k->rooms);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)k->members);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)k->messages_read);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)k->messages_added);
	sqlite3_bind_int64(st, 8, (sqlite3_int64)k->messages_changed);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)k->messages_rejected);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)k->files_read);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)k->files_added);
	if (ok) {
		sqlite3_bind_int64(st, 12, (sqlite3_int64)k->archive_messages);
		chatdb_bind_text(st, 13, k->archive_digest);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return chatdb_fail(c, err, "cannot record the import");
	return chatdb_tx_commit(c, err);
}
