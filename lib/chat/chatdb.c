/* The SQLite persistent-chat archive: schema, batched idempotent import, verify, reads. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "chat/chatdb.h"
#include "chat/roomcfg.h"
#include "util/num.h"
#include "util/strbuf.h"
#include "util/version.h"

enum { ST_ROOM, ST_MEMBER, ST_MSG, ST_FTS, ST_DIGEST, ST_FILE, ST_COUNT };

static const char chatdb_schema[] =
"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
"CREATE TABLE manifest(\n"
"  id INTEGER PRIMARY KEY,\n"
"  source TEXT NOT NULL,\n"
"  tool TEXT NOT NULL,\n"
"  started_utc TEXT NOT NULL,\n"
"  finished_utc TEXT,\n"
"  status TEXT NOT NULL CHECK (status IN ('running','complete','failed','interrupted')),\n"
"  rooms INTEGER, members INTEGER,\n"
"  messages_read INTEGER, messages_added INTEGER, messages_changed INTEGER,\n"
"  messages_rejected INTEGER, files_read INTEGER, files_added INTEGER,\n"
"  archive_messages INTEGER, archive_digest TEXT);\n"
"CREATE TABLE manifest_rooms(\n"
"  import_id INTEGER NOT NULL REFERENCES manifest(id),\n"
"  room_jid TEXT NOT NULL, messages INTEGER NOT NULL, digest TEXT NOT NULL,\n"
"  PRIMARY KEY (import_id, room_jid)) WITHOUT ROWID;\n"
"CREATE TABLE rooms(\n"
"  room_jid TEXT PRIMARY KEY,\n"
"  name TEXT, creator_jid TEXT, subject TEXT, type TEXT, config TEXT, spacket TEXT,\n"
"  import_id INTEGER NOT NULL REFERENCES manifest(id));\n"
"CREATE TABLE members(\n"
"  room_jid TEXT NOT NULL, real_jid TEXT NOT NULL,\n"
"  role TEXT, affiliation TEXT, nick_jid TEXT,\n"
"  import_id INTEGER NOT NULL REFERENCES manifest(id),\n"
"  PRIMARY KEY (room_jid, real_jid)) WITHOUT ROWID;\n"
"CREATE TABLE messages(\n"
"  id INTEGER PRIMARY KEY,\n"
"  room_jid TEXT NOT NULL,\n"
"  msg_id INTEGER,\n"
"  sent_utc TEXT NOT NULL,\n"
"  from_jid TEXT, nick TEXT, msg_type TEXT, subject TEXT,\n"
"  body TEXT, stanza TEXT,\n"
"  has_file INTEGER NOT NULL DEFAULT 0,\n"
"  digest TEXT NOT NULL,\n"
"  import_id INTEGER NOT NULL REFERENCES manifest(id));\n"
"CREATE UNIQUE INDEX messages_key ON messages(room_jid, msg_id) WHERE msg_id IS NOT NULL;\n"
"CREATE UNIQUE INDEX messages_nokey ON messages(room_jid, digest) WHERE msg_id IS NULL;\n"
"CREATE INDEX messages_with_file ON messages(room_jid, sent_utc) WHERE has_file;\n"
"CREATE TABLE files(\n"
"  aft_index INTEGER PRIMARY KEY,\n"
"  jid TEXT, to_jid TEXT, method TEXT, filename TEXT, real_filename TEXT,\n"
"  file_server TEXT, file_path TEXT, bytes INTEGER, time_utc TEXT,\n"
"  message INTEGER REFERENCES messages(id),\n"
"  import_id INTEGER NOT NULL REFERENCES manifest(id));\n"
"CREATE INDEX files_message ON files(message) WHERE message IS NOT NULL;\n"
"CREATE VIRTUAL TABLE messages_fts USING fts5(body, content='messages', content_rowid='id',\n"
"  columnsize=0,\n"
"  tokenize='unicode61 remove_diacritics 2');\n";

static const char *const chatdb_stmt_sql[ST_COUNT] = {
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

static int
db_fail(struct chatdb *c, struct j2w_err *err, const char *what)
{
	int code = sqlite3_errcode(c->db);
	enum j2w_status st = J2W_ESYS;

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		st = J2W_EDATA;
	return err_set(err, st, "%s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

static int
db_exec(struct chatdb *c, const char *sql, struct j2w_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "%s: %s", c->path, msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static void
now_utc(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char head[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(head, sizeof(head), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%.19s.%03dZ", head, (int)(ts.tv_nsec / 1000000) % 1000);
}

/* Binds s as text, or NULL. */
static int
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
chatdb_check_schema(struct chatdb *c, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int appid = 0, version = 0, tables = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT (SELECT application_id FROM pragma_application_id),"
	    " (SELECT user_version FROM pragma_user_version),"
	    " (SELECT count(*) FROM sqlite_schema)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "not a readable SQLite database");
	if (sqlite3_step(st) == SQLITE_ROW) {
		appid = sqlite3_column_int(st, 0);
		version = sqlite3_column_int(st, 1);
		tables = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (tables == 0 && appid == 0)
		return 0;	/* new, empty */
	if (appid != CHATDB_APPLICATION_ID)
		return err_set(err, J2W_EDATA, "%s: not a j2w chat archive", c->path);
	if (version > CHATDB_SCHEMA_VERSION)
		return err_set(err, J2W_EDATA, "%s: archive schema %d is newer than this j2w knows (%d)",
		    c->path, version, CHATDB_SCHEMA_VERSION);
	if (version < 1)
		return err_set(err, J2W_EDATA, "%s: archive schema version %d is unknown", c->path, version);
	return 1;
}

static int
chatdb_create(struct chatdb *c, struct j2w_err *err)
{
	struct strbuf sql;
	int rc;

	strbuf_init(&sql, 0);
	if (strbuf_addstr(&sql, "BEGIN IMMEDIATE;\n") < 0 || strbuf_addstr(&sql, chatdb_schema) < 0 ||
	    strbuf_addf(&sql, "PRAGMA application_id = %d;\nPRAGMA user_version = %d;\n"
	    "INSERT INTO meta(key, value) VALUES ('schema_version', '%d'), ('created_by', 'j2w %s');\n"
	    "COMMIT;\n", CHATDB_APPLICATION_ID, CHATDB_SCHEMA_VERSION, CHATDB_SCHEMA_VERSION,
	    J2W_VERSION) < 0) {
		strbuf_release(&sql);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	rc = db_exec(c, sql.buf, err);
	strbuf_release(&sql);
	if (rc < 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int
chatdb_open(struct chatdb *c, const char *path, int writable, struct j2w_err *err)
{
	int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	int rc;

	memset(c, 0, sizeof(*c));
	c->path = strdup(path);
	c->writable = writable;
	c->batch_size = CHATDB_BATCH;
	if (c->path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (writable && access(path, F_OK) != 0 && errno == ENOENT) {
		/* chat content is private: the archive (and SQLite's journals) are 0600 */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0) {
			err_set_errno(err, J2W_ESYS, "cannot create '%s'", path);
			free(c->path);
			c->path = NULL;
			return -1;
		}
		close(fd);
	}
	if (!writable && access(path, R_OK) != 0) {
		err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
		free(c->path);
		c->path = NULL;
		return -1;
	}
	/* one connection used by one thread: SQLite's mutexes only cost time */
	if (sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		if (c->db == NULL)
			err_set(err, J2W_ESYS, "cannot open '%s': out of memory", path);
		else
			err_set(err, J2W_ESYS, "cannot open '%s': %s", path, sqlite3_errmsg(c->db));
		chatdb_close(c);
		return -1;
	}
	sqlite3_extended_result_codes(c->db, 0);
	sqlite3_busy_timeout(c->db, 10000);
	rc = chatdb_check_schema(c, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		if (!writable) {
			err_set(err, J2W_EDATA, "%s: not a j2w chat archive (empty)", path);
			goto fail;
		}
		if (chatdb_create(c, err) < 0)
			goto fail;
	}
	if (db_exec(c, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;"
	    " PRAGMA temp_store = FILE;", err) < 0)
		goto fail;
	return 0;
fail:
	chatdb_close(c);
	return -1;
}

void
chatdb_close(struct chatdb *c)
{
	for (int i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(c->stmt[i]);
		c->stmt[i] = NULL;
	}
	if (c->db != NULL) {
		if (c->in_tx)
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(c->db);
	}
	c->db = NULL;
	c->in_tx = 0;
	free(c->path);
	c->path = NULL;
}

/* ---- import ---- */

static int
chatdb_tx_begin(struct chatdb *c, struct j2w_err *err)
{
	if (db_exec(c, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	c->in_tx = 1;
	c->batch_left = c->batch_size;
	return 0;
}

static int
chatdb_tx_commit(struct chatdb *c, struct j2w_err *err)
{
	if (!c->in_tx)
		return 0;
	if (db_exec(c, "COMMIT", err) < 0)
		return -1;
	c->in_tx = 0;
	return 0;
}

static int
chatdb_step_done(struct chatdb *c, sqlite3_stmt *st, const char *what, struct j2w_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, what);
	return 0;
}

static void
import_warn(struct chatdb_import *imp, const struct j2w_err *e)
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
	rc = chat_utf8_repair(s, &copy);
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
fixup_done(struct fixup *f, struct chatdb_import *imp, const char *where, struct j2w_err *err)
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
	struct chatdb_import *imp = ctx;
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_ROOM];
	struct j2w_err cerr;
	struct fixup fx = { 0 };
	char *name = NULL;
	int rc;

	if (chat_empty(r->room_jid)) {
		err_set(&cerr, J2W_EDATA, "%s: room without ROOM_JID", r->where);
		import_warn(imp, &cerr);
		return 0;
	}
	if (!chat_empty(r->config)) {
		name = roomcfg_name(r->config, strlen(r->config), &cerr);
		if (name == NULL && cerr.status != J2W_OK) {
			err_prefix(&cerr, "%s: room '%s': ", r->where, r->room_jid);
			import_warn(imp, &cerr);
		}
	}
	bind_text(st, 1, fixup(&fx, r->room_jid));
	bind_text(st, 2, name);
	bind_text(st, 3, fixup(&fx, r->creator_jid));
	bind_text(st, 4, fixup(&fx, r->subject));
	bind_text(st, 5, fixup(&fx, r->type));
	bind_text(st, 6, fixup(&fx, r->config));
	bind_text(st, 7, fixup(&fx, r->spacket));
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
	struct chatdb_import *imp = ctx;
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_MEMBER];
	struct fixup fx = { 0 };
	int rc;

	if (chat_empty(m->room_jid) || chat_empty(m->real_jid)) {
		struct j2w_err cerr;

		err_set(&cerr, J2W_EDATA, "%s: member without ROOM_JID or REAL_JID", m->where);
		import_warn(imp, &cerr);
		return 0;
	}
	bind_text(st, 1, fixup(&fx, m->room_jid));
	bind_text(st, 2, fixup(&fx, m->real_jid));
	bind_text(st, 3, fixup(&fx, m->role));
	bind_text(st, 4, fixup(&fx, m->affiliation));
	bind_text(st, 5, fixup(&fx, m->nick_jid));
	sqlite3_bind_int64(st, 6, c->import_id);
	rc = chatdb_step_done(c, st, "cannot store a member", err);
	if (fixup_done(&fx, imp, m->where, rc < 0 ? NULL : err) < 0 || rc < 0)
		return -1;
	imp->counts.members++;
	return 0;
}

/* Stores one normalised message (and indexes its body when it is new). */
static int
import_store(struct chatdb_import *imp, const struct chat_norm *n, const char *where, int repaired,
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
	bind_text(st, 1, n->room_jid);
	if (n->has_msg_id)
		sqlite3_bind_int64(st, 2, n->msg_id);
	else
		sqlite3_bind_null(st, 2);
	bind_text(st, 3, n->sent_utc);
	bind_text(st, 4, n->from_jid);
	bind_text(st, 5, n->nick);
	bind_text(st, 6, n->msg_type);
	bind_text(st, 7, n->subject);
	bind_text(st, 8, n->body);
	bind_text(st, 9, n->stanza);
	sqlite3_bind_int(st, 10, n->has_file);
	bind_text(st, 11, n->digest);
	sqlite3_bind_int64(st, 12, c->import_id);
	if (chatdb_step_done(c, st, "cannot store a message", err) < 0)
		return -1;
	if (sqlite3_changes(c->db) == 1) {
		sqlite3_stmt *fts = c->stmt[ST_FTS];

		imp->counts.messages_added++;
		sqlite3_bind_int64(fts, 1, sqlite3_last_insert_rowid(c->db));
		bind_text(fts, 2, n->body);
		if (chatdb_step_done(c, fts, "cannot index a message", err) < 0)
			return -1;
	} else {
		imp->counts.messages_known++;
		if (n->has_msg_id) {
			/* archived before: the archive keeps the first version, verify reports the change */
			sqlite3_stmt *dg = c->stmt[ST_DIGEST];
			int rc;

			bind_text(dg, 1, n->room_jid);
			sqlite3_bind_int64(dg, 2, n->msg_id);
			rc = sqlite3_step(dg);
			if (rc == SQLITE_ROW && strcmp(col_text(dg, 0), n->digest) != 0)
				imp->counts.messages_changed++;
			sqlite3_reset(dg);
			sqlite3_clear_bindings(dg);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return db_fail(c, err, "cannot read a message");
		}
	}
	if (imp->progress != NULL && (imp->counts.messages_read & 1023) == 0)
		imp->progress(imp->ctx, imp->counts.messages_read, imp->total);
	if (imp->stored != NULL)
		imp->stored(imp->ctx, imp->counts.messages_added + imp->counts.messages_known);
	if (--c->batch_left == 0) {
		if (chatdb_tx_commit(c, err) < 0 || chatdb_tx_begin(c, err) < 0)
			return -1;
	}
	return 0;
}

/* A message that cannot be archived: counted, reported, skipped. */
static void
import_reject(struct chatdb_import *imp, const struct j2w_err *why)
{
	imp->counts.messages_rejected++;
	import_warn(imp, why);
}

static int
import_msg(void *ctx, const struct chat_msg *m, struct j2w_err *err)
{
	struct chatdb_import *imp = ctx;
	struct j2w_err cerr;
	int repaired;

	imp->counts.messages_read++;
	if (chat_normalize(m, imp->tz, &imp->norm, &repaired, &cerr) < 0) {
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
	struct chatdb_import *imp = ctx;
	struct chatdb *c = imp->db;
	sqlite3_stmt *st = c->stmt[ST_FILE];
	struct j2w_err cerr;
	struct fixup fx = { 0 };
	char when[32];
	long idx, bytes = -1;
	int rc;

	imp->counts.files_read++;
	if (chat_empty(f->aft_index) || num_parse_long(f->aft_index, 0, INT64_MAX, &idx) < 0) {
		err_set(&cerr, J2W_EDATA, "%s: AFT_INDEX '%.40s' is not a number", f->where,
		    f->aft_index ? f->aft_index : "");
		goto reject;
	}
	if (!chat_empty(f->timestamp) && chat_time_utc(f->timestamp, imp->tz, when, sizeof(when)) < 0) {
		err_set(&cerr, J2W_EDATA, "%s: TIMESTAMPVALUE '%.40s' is not a time", f->where,
		    f->timestamp);
		goto reject;
	}
	if (!chat_empty(f->bytes) && num_parse_long(f->bytes, 0, INT64_MAX, &bytes) < 0)
		bytes = -1;
	sqlite3_bind_int64(st, 1, idx);
	bind_text(st, 2, fixup(&fx, f->jid));
	bind_text(st, 3, fixup(&fx, f->to_jid));
	bind_text(st, 4, fixup(&fx, f->method));
	bind_text(st, 5, fixup(&fx, f->filename));
	bind_text(st, 6, fixup(&fx, f->real_filename));
	bind_text(st, 7, fixup(&fx, f->file_server));
	bind_text(st, 8, fixup(&fx, f->file_path));
	if (bytes >= 0)
		sqlite3_bind_int64(st, 9, bytes);
	bind_text(st, 10, chat_empty(f->timestamp) ? NULL : when);
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
	struct chatdb_import *imp = ctx;

	imp->total = total;
	if (imp->progress != NULL)
		imp->progress(imp->ctx, 0, total);
}

int
chatdb_import_begin(struct chatdb_import *imp, const char *source, struct chat_sink *sink,
    struct j2w_err *err)
{
	struct chatdb *c = imp->db;
	sqlite3_stmt *st;
	char now[32];

	memset(&imp->counts, 0, sizeof(imp->counts));
	chat_norm_init(&imp->norm);
	imp->total = 0;
	for (int i = 0; i < ST_COUNT; i++) {
		if (c->stmt[i] == NULL && sqlite3_prepare_v3(c->db, chatdb_stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &c->stmt[i], NULL) != SQLITE_OK)
			return db_fail(c, err, "cannot prepare a statement");
	}
	now_utc(now, sizeof(now));
	if (chatdb_tx_begin(c, err) < 0)
		return -1;
	if (db_exec(c, "UPDATE manifest SET status = 'interrupted' WHERE status = 'running'", err) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO manifest(source, tool, started_utc, status)"
	    " VALUES (?1, ?2, ?3, 'running')", -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "cannot prepare a statement");
	bind_text(st, 1, source);
	bind_text(st, 2, "j2w " J2W_VERSION);
	bind_text(st, 3, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_fail(c, err, "cannot record the import");
	}
	sqlite3_finalize(st);
	c->import_id = sqlite3_last_insert_rowid(c->db);
	/* the manifest row is committed first, so a killed import is seen as interrupted */
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

/*
 * The import pipeline: a reader thread runs the source (COPY parsing, UTC
 * times, UTF-8 checks, SHA-256) and hands records over in batches; the calling
 * thread writes them to SQLite. Two cores do the work of one. Records are
 * copied into a batch as a kind byte and length-prefixed fields.
 */
enum { REC_ROOM = 1, REC_MEMBER, REC_MSG, REC_REJECT, REC_FILE, REC_TOTAL };

#define PIPE_BATCH_RECORDS 512
#define PIPE_BATCH_BYTES ((size_t)1 << 20)
#define PIPE_QUEUE_MAX 8
#define PIPE_FIELDS_MAX 16

/* What the writer side does with each kind of record; NULL: that table is not read. */
struct pipe_ops {
	int (*room)(void *ctx, const struct chat_room *r, struct j2w_err *err);
	int (*member)(void *ctx, const struct chat_member *m, struct j2w_err *err);
	int (*file)(void *ctx, const struct chat_file *f, struct j2w_err *err);
	void (*total)(void *ctx, uint64_t n);
	void (*reject)(void *ctx, const char *why);
	int (*msg)(void *ctx, const struct chat_norm *n, const char *where, int repaired,
	    struct j2w_err *err);
};

struct pipe_batch {
	struct strbuf data;
	size_t nrec;
	struct pipe_batch *next;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pipe_batch *head, *tail;
	int queued;
	int done;		/* the reader has finished (rc, err say how) */
	int stop;		/* the writer failed: the reader should give up */
	int rc;
	struct j2w_err err;
	struct pipe_batch *cur;
	const char *tz;
	struct chat_norm norm;
	int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err);
	void *arg;
	const struct pipe_ops *ops;
};

static int
pipe_put_field(struct strbuf *sb, const char *s)
{
	uint32_t len;

	if (s == NULL)
		return strbuf_addch(sb, 0);
	len = (uint32_t)strlen(s);
	if (strbuf_addch(sb, 1) < 0 || strbuf_add(sb, &len, sizeof(len)) < 0 ||
	    strbuf_add(sb, s, len + 1) < 0)
		return -1;
	return 0;
}

static const char *
pipe_get_field(const char **p)
{
	uint32_t len;
	const char *s;

	if (*(*p)++ == 0)
		return NULL;
	memcpy(&len, *p, sizeof(len));
	s = *p + sizeof(len);
	*p = s + len + 1;
	return s;
}

/* Hands the current batch to the writer, waiting while the queue is full. */
static int
pipe_flush(struct pipe *pp, struct j2w_err *err)
{
	struct pipe_batch *b = pp->cur;
	int stop;

	if (b == NULL || b->nrec == 0)
		return 0;
	pp->cur = NULL;
	pthread_mutex_lock(&pp->mu);
	while (pp->queued >= PIPE_QUEUE_MAX && !pp->stop)
		pthread_cond_wait(&pp->cv, &pp->mu);
	stop = pp->stop;
	if (!stop) {
		if (pp->tail != NULL)
			pp->tail->next = b;
		else
			pp->head = b;
		pp->tail = b;
		pp->queued++;
		pthread_cond_broadcast(&pp->cv);
	}
	pthread_mutex_unlock(&pp->mu);
	if (stop) {
		strbuf_release(&b->data);
		free(b);
		return err_set(err, J2W_ESYS, "stopped");
	}
	return 0;
}

/* Appends one record: kind, then n fields. */
static int
pipe_record(struct pipe *pp, int kind, const char *const *f, int n, struct j2w_err *err)
{
	struct pipe_batch *b = pp->cur;

	if (b == NULL) {
		b = calloc(1, sizeof(*b));
		if (b == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		strbuf_init(&b->data, 0);
		pp->cur = b;
	}
	if (strbuf_addch(&b->data, kind) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	for (int i = 0; i < n; i++)
		if (pipe_put_field(&b->data, f[i]) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
	b->nrec++;
	if (b->nrec >= PIPE_BATCH_RECORDS || b->data.len >= PIPE_BATCH_BYTES)
		return pipe_flush(pp, err);
	return 0;
}

static int
pipe_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	const char *f[] = { r->room_jid, r->creator_jid, r->subject, r->type, r->config, r->spacket,
		r->where };

	return pipe_record(ctx, REC_ROOM, f, 7, err);
}

static int
pipe_member(void *ctx, const struct chat_member *m, struct j2w_err *err)
{
	const char *f[] = { m->room_jid, m->real_jid, m->role, m->affiliation, m->nick_jid, m->where };

	return pipe_record(ctx, REC_MEMBER, f, 6, err);
}

static int
pipe_file(void *ctx, const struct chat_file *x, struct j2w_err *err)
{
	const char *f[] = { x->aft_index, x->jid, x->to_jid, x->method, x->filename,
		x->real_filename, x->file_server, x->file_path, x->bytes, x->timestamp, x->where };

	return pipe_record(ctx, REC_FILE, f, 11, err);
}

static void
pipe_total(void *ctx, uint64_t total)
{
	struct pipe *pp = ctx;
	char buf[32];
	const char *f[] = { buf };
	struct j2w_err err;

	chat_where(buf, sizeof(buf), "", (unsigned long)total);
	pipe_record(pp, REC_TOTAL, f, 1, &err);
}

static int
pipe_msg(void *ctx, const struct chat_msg *m, struct j2w_err *err)
{
	struct pipe *pp = ctx;
	struct chat_norm *n = &pp->norm;
	struct j2w_err cerr;
	char id[24], flags[3];
	int repaired;

	if (chat_normalize(m, pp->tz, n, &repaired, &cerr) < 0) {
		const char *f[] = { cerr.msg };

		if (cerr.status != J2W_EDATA) {
			*err = cerr;
			return -1;
		}
		return pipe_record(pp, REC_REJECT, f, 1, err);
	}
	if (n->has_msg_id) {
		if (n->msg_id >= 0)
			chat_where(id, sizeof(id), "", (unsigned long)n->msg_id);
		else
			snprintf(id, sizeof(id), "%lld", n->msg_id);
	}
	flags[0] = n->has_file ? 'f' : '-';
	flags[1] = repaired ? 'r' : '-';
	flags[2] = '\0';
	{
		const char *f[] = { m->where, n->room_jid, n->has_msg_id ? id : NULL, n->sent_utc,
			n->from_jid, n->nick, n->msg_type, n->subject, n->body, n->stanza, n->digest,
			flags };

		return pipe_record(pp, REC_MSG, f, 12, err);
	}
}

static void *
pipe_reader(void *arg)
{
	struct pipe *pp = arg;
	struct chat_sink sink = {
		pp->ops->room ? pipe_room : NULL, pp->ops->member ? pipe_member : NULL, pipe_msg,
		pp->ops->file ? pipe_file : NULL, pp->ops->total ? pipe_total : NULL, pp
	};
	struct j2w_err err;
	int rc;

	err_clear(&err);
	rc = pp->read(pp->arg, &sink, &err);
	if (rc == 0 && pipe_flush(pp, &err) < 0)
		rc = -1;
	if (pp->cur != NULL) {
		strbuf_release(&pp->cur->data);
		free(pp->cur);
		pp->cur = NULL;
	}
	pthread_mutex_lock(&pp->mu);
	pp->done = 1;
	pp->rc = rc;
	pp->err = err;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* Applies one batch in the writer thread. */
static int
pipe_apply(const struct pipe_ops *ops, void *ctx, struct pipe_batch *b, struct j2w_err *err)
{
	const char *p = b->data.buf, *end = b->data.buf + b->data.len;
	const char *f[PIPE_FIELDS_MAX];
	static const int nfields[] = { [REC_ROOM] = 7, [REC_MEMBER] = 6, [REC_MSG] = 12,
		[REC_REJECT] = 1, [REC_FILE] = 11, [REC_TOTAL] = 1 };

	while (p < end) {
		int kind = *p++;
		int rc = 0;

		for (int i = 0; i < nfields[kind]; i++)
			f[i] = pipe_get_field(&p);
		switch (kind) {
		case REC_ROOM: {
			struct chat_room r = { f[0], f[1], f[2], f[3], f[4], f[5], f[6] };

			rc = ops->room(ctx, &r, err);
			break;
		}
		case REC_MEMBER: {
			struct chat_member m = { f[0], f[1], f[2], f[3], f[4], f[5] };

			rc = ops->member(ctx, &m, err);
			break;
		}
		case REC_FILE: {
			struct chat_file x = { f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
				f[10] };

			rc = ops->file(ctx, &x, err);
			break;
		}
		case REC_TOTAL:
			ops->total(ctx, strtoull(f[0], NULL, 10));
			break;
		case REC_REJECT:
			ops->reject(ctx, f[0]);
			break;
		case REC_MSG: {
			struct chat_norm n;

			memset(&n, 0, sizeof(n));
			n.room_jid = f[1];
			n.has_msg_id = f[2] != NULL;
			n.msg_id = f[2] != NULL ? strtoll(f[2], NULL, 10) : 0;
			{
				size_t tl = strnlen(f[3], sizeof(n.sent_utc) - 1);

				memcpy(n.sent_utc, f[3], tl);
				n.sent_utc[tl] = '\0';
			}
			n.from_jid = f[4];
			n.nick = f[5];
			n.msg_type = f[6];
			n.subject = f[7];
			n.body = f[8];
			n.stanza = f[9];
			memcpy(n.digest, f[10], 65);
			n.has_file = f[11][0] == 'f';
			rc = ops->msg(ctx, &n, f[0], f[11][1] == 'r', err);
			break;
		}
		default:
			return err_set(err, J2W_ESYS, "internal error: bad pipeline record");
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/*
 * Runs read(arg, ...) in a reader thread and ops on ctx in this one. Returns
 * 0, or -1 with err (the first error of either side; the other side stops).
 */
static int
pipe_run(const struct pipe_ops *ops, void *ctx, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err)
{
	struct pipe pp;
	pthread_t th;
	int ret = 0;

	memset(&pp, 0, sizeof(pp));
	if (chat_tz_use(tz) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot set the zone '%s'", tz);
	pp.tz = tz;
	pp.read = read;
	pp.arg = arg;
	pp.ops = ops;
	chat_norm_init(&pp.norm);
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.cv, NULL);
	if (pthread_create(&th, NULL, pipe_reader, &pp) != 0) {
		pthread_mutex_destroy(&pp.mu);
		pthread_cond_destroy(&pp.cv);
		return err_set(err, J2W_ESYS, "cannot start a thread");
	}
	for (;;) {
		struct pipe_batch *b;

		pthread_mutex_lock(&pp.mu);
		while (pp.head == NULL && !pp.done)
			pthread_cond_wait(&pp.cv, &pp.mu);
		b = pp.head;
		if (b != NULL) {
			pp.head = b->next;
			if (pp.head == NULL)
				pp.tail = NULL;
			pp.queued--;
			pthread_cond_broadcast(&pp.cv);
		}
		pthread_mutex_unlock(&pp.mu);
		if (b == NULL)
			break;	/* done, and everything applied */
		if (ret == 0 && pipe_apply(ops, ctx, b, err) < 0) {
			ret = -1;
			pthread_mutex_lock(&pp.mu);
			pp.stop = 1;
			pthread_cond_broadcast(&pp.cv);
			pthread_mutex_unlock(&pp.mu);
		}
		strbuf_release(&b->data);
		free(b);
	}
	pthread_join(th, NULL);
	if (ret == 0 && pp.rc < 0) {
		*err = pp.err;
		ret = -1;
	}
	chat_norm_release(&pp.norm);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.cv);
	return ret;
}

static int
import_norm(void *ctx, const struct chat_norm *n, const char *where, int repaired,
    struct j2w_err *err)
{
	struct chatdb_import *imp = ctx;

	imp->counts.messages_read++;
	return import_store(imp, n, where, repaired, err);
}

static void
import_reject_msg(void *ctx, const char *why)
{
	struct chatdb_import *imp = ctx;
	struct j2w_err e;

	imp->counts.messages_read++;
	err_set(&e, J2W_EDATA, "%s", why);
	import_reject(imp, &e);
}

int
chatdb_import_run(struct chatdb_import *imp,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err)
{
	static const struct pipe_ops ops = {
		import_room, import_member, import_file, import_total, import_reject_msg, import_norm
	};

	return pipe_run(&ops, imp, imp->tz, read, arg, err);
}

/*
 * Per-room digests: SHA-256 over the message digests of a room in (msg_id,
 * digest) order, one hex digest and a newline each. sql yields (room, digest)
 * rows in that order; cb gets each room's digest and count.
 */
static int
chatdb_room_digests(struct chatdb *c, const char *sql,
    int (*cb)(void *ctx, const char *room, const char *digest, uint64_t n), void *ctx,
    struct j2w_err *err)
{
	static const char hex[] = "0123456789abcdef";
	sqlite3_stmt *st;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *room = NULL;
	uint64_t n = 0;
	int rc, ret = 0;

	if (md == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		EVP_MD_CTX_free(md);
		return db_fail(c, err, "cannot read digests");
	}
	for (;;) {
		const char *r = NULL, *d;

		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			r = col_text(st, 0);
		if (room != NULL && (r == NULL || strcmp(r, room) != 0)) {
			unsigned char out[EVP_MAX_MD_SIZE];
			unsigned int len = 0;
			char dig[65];

			EVP_DigestFinal_ex(md, out, &len);
			for (unsigned int i = 0; i < 32 && i < len; i++) {
				dig[2 * i] = hex[out[i] >> 4];
				dig[2 * i + 1] = hex[out[i] & 15];
			}
			dig[64] = '\0';
			ret = cb(ctx, room, dig, n);
			free(room);
			room = NULL;
			if (ret < 0)
				break;
		}
		if (rc != SQLITE_ROW)
			break;
		if (room == NULL) {
			room = strdup(r);
			if (room == NULL) {
				ret = err_set(err, J2W_ESYS, "out of memory");
				break;
			}
			EVP_DigestInit_ex(md, EVP_sha256(), NULL);
			n = 0;
		}
		d = col_text(st, 1);
		EVP_DigestUpdate(md, d, strlen(d));
		EVP_DigestUpdate(md, "\n", 1);
		n++;
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = db_fail(c, err, "cannot read digests");
	free(room);
	sqlite3_finalize(st);
	EVP_MD_CTX_free(md);
	return ret;
}

/* The archive digest: SHA-256 over "room TAB room-digest LF" in room order. */
struct archive_digest {
	EVP_MD_CTX *md;
	uint64_t messages;
	sqlite3_stmt *keep;	/* INSERT INTO manifest_rooms, or NULL */
	int failed;
};

static int
archive_digest_room(void *ctx, const char *room, const char *digest, uint64_t n)
{
	struct archive_digest *ad = ctx;

	EVP_DigestUpdate(ad->md, room, strlen(room));
	EVP_DigestUpdate(ad->md, "\t", 1);
	EVP_DigestUpdate(ad->md, digest, 64);
	EVP_DigestUpdate(ad->md, "\n", 1);
	ad->messages += n;
	if (ad->keep != NULL) {
		bind_text(ad->keep, 1, room);
		sqlite3_bind_int64(ad->keep, 2, (sqlite3_int64)n);
		bind_text(ad->keep, 3, digest);
		if (sqlite3_step(ad->keep) != SQLITE_DONE)
			ad->failed = 1;
		sqlite3_reset(ad->keep);
	}
	return 0;
}

#define ARCHIVE_DIGEST_SQL \
	"SELECT room_jid, digest FROM messages ORDER BY room_jid, msg_id, digest"

static int
chatdb_archive_digest(struct chatdb *c, struct chat_counts *counts, struct j2w_err *err)
{
	static const char hex[] = "0123456789abcdef";
	struct archive_digest ad = { EVP_MD_CTX_new(), 0, NULL, 0 };
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	int rc;

	if (ad.md == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	/* each import keeps the per-room digests it saw, for auditors */
	if (sqlite3_prepare_v2(c->db, "INSERT INTO manifest_rooms(import_id, room_jid, messages, digest)"
	    " VALUES (?4, ?1, ?2, ?3)", -1, &ad.keep, NULL) != SQLITE_OK) {
		EVP_MD_CTX_free(ad.md);
		return db_fail(c, err, "cannot prepare a statement");
	}
	sqlite3_bind_int64(ad.keep, 4, c->import_id);
	EVP_DigestInit_ex(ad.md, EVP_sha256(), NULL);
	rc = chatdb_room_digests(c, ARCHIVE_DIGEST_SQL, archive_digest_room, &ad, err);
	sqlite3_finalize(ad.keep);
	if (rc == 0 && ad.failed)
		rc = db_fail(c, err, "cannot record the room digests");
	if (rc < 0) {
		EVP_MD_CTX_free(ad.md);
		return -1;
	}
	EVP_DigestFinal_ex(ad.md, out, &len);
	EVP_MD_CTX_free(ad.md);
	for (unsigned int i = 0; i < 32; i++) {
		counts->archive_digest[2 * i] = hex[out[i] >> 4];
		counts->archive_digest[2 * i + 1] = hex[out[i] & 15];
	}
	counts->archive_digest[64] = '\0';
	counts->archive_messages = ad.messages;
	return 0;
}

/*
 * Attaches each unmatched upload (METHOD POST) to the message it belongs to:
 * same room, a stanza with an advanced-file-transfer naming the file, sent
 * within three seconds (the rule of the Cisco GVE migration tool); the closest
 * in time wins, and a message takes one upload.
 */
static const char chatdb_match_sql[] =
"SELECT m.id FROM messages m\n"
"WHERE m.has_file AND m.room_jid = ?1\n"
"  AND m.sent_utc BETWEEN strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '-3 seconds')\n"
"                     AND strftime('%Y-%m-%dT%H:%M:%fZ', ?2, '+3 seconds')\n"
"  AND (instr(m.stanza, ?3) > 0 OR instr(m.stanza, ?4) > 0)\n"
"  AND NOT EXISTS (SELECT 1 FROM files g WHERE g.message = m.id)\n"
"ORDER BY abs(julianday(m.sent_utc) - julianday(?2)), m.id LIMIT 1";

static int
chatdb_match_files(struct chatdb *c, uint64_t *matched, struct j2w_err *err)
{
	sqlite3_stmt *files = NULL, *find = NULL, *set = NULL;
	int rc, ret = -1;

	*matched = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT aft_index, to_jid, time_utc, real_filename, filename"
	    " FROM files WHERE message IS NULL AND upper(method) = 'POST' AND time_utc IS NOT NULL"
	    " AND to_jid IS NOT NULL ORDER BY aft_index", -1, &files, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, chatdb_match_sql, -1, &find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "UPDATE files SET message = ?2 WHERE aft_index = ?1", -1, &set,
	    NULL) != SQLITE_OK) {
		db_fail(c, err, "cannot match files to messages");
		goto out;
	}
	while ((rc = sqlite3_step(files)) == SQLITE_ROW) {
		const char *real = col_text(files, 3), *name = col_text(files, 4);

		if (chat_empty(real) && chat_empty(name))
			continue;
		sqlite3_bind_value(find, 1, sqlite3_column_value(files, 1));
		sqlite3_bind_value(find, 2, sqlite3_column_value(files, 2));
		/* an empty name would match every stanza */
		bind_text(find, 3, chat_empty(real) ? "\x01" : real);
		bind_text(find, 4, chat_empty(name) ? "\x01" : name);
		rc = sqlite3_step(find);
		if (rc == SQLITE_ROW) {
			sqlite3_bind_int64(set, 1, sqlite3_column_int64(files, 0));
			sqlite3_bind_int64(set, 2, sqlite3_column_int64(find, 0));
			if (chatdb_step_done(c, set, "cannot match files to messages", err) < 0)
				goto out;
			(*matched)++;
		} else if (rc != SQLITE_DONE) {
			db_fail(c, err, "cannot match files to messages");
			goto out;
		}
		sqlite3_reset(find);
	}
	if (rc != SQLITE_DONE) {
		db_fail(c, err, "cannot match files to messages");
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
chatdb_import_end(struct chatdb_import *imp, int ok, struct j2w_err *err)
{
	struct chatdb *c = imp->db;
	struct chat_counts *k = &imp->counts;
	sqlite3_stmt *st;
	char now[32];
	int rc;

	chat_norm_release(&imp->norm);
	if (!c->in_tx && chatdb_tx_begin(c, err) < 0)
		return -1;
	if (ok) {
		if (chatdb_match_files(c, &k->files_matched, err) < 0)
			return -1;
		if (chatdb_archive_digest(c, k, err) < 0)
			return -1;
	}
	now_utc(now, sizeof(now));
	if (sqlite3_prepare_v2(c->db, "UPDATE manifest SET finished_utc = ?2, status = ?3, rooms = ?4,"
	    " members = ?5, messages_read = ?6, messages_added = ?7, messages_changed = ?8,"
	    " messages_rejected = ?9, files_read = ?10, files_added = ?11, archive_messages = ?12,"
	    " archive_digest = ?13 WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "cannot prepare a statement");
	sqlite3_bind_int64(st, 1, c->import_id);
	bind_text(st, 2, now);
	bind_text(st, 3, ok ? "complete" : "failed");
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
		bind_text(st, 13, k->archive_digest);
	}
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "cannot record the import");
	return chatdb_tx_commit(c, err);
}

/* ---- verify ---- */

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

	if (chat_empty(r->room_jid))
		return 0;
	bind_text(v->ins_room, 1, r->room_jid);
	return chatdb_step_done(v->c, v->ins_room, "cannot compare rooms", err);
}

static int
verify_norm(void *ctx, const struct chat_norm *n, const char *where, int repaired,
    struct j2w_err *err)
{
	struct verify_run *v = ctx;

	bind_text(v->ins_msg, 1, n->room_jid);
	if (n->has_msg_id)
		sqlite3_bind_int64(v->ins_msg, 2, n->msg_id);
	bind_text(v->ins_msg, 3, n->digest);
	return chatdb_step_done(v->c, v->ins_msg, "cannot compare messages", err);
}

static void
verify_reject(void *ctx, const char *why)
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

	if (chat_empty(f->aft_index) || num_parse_long(f->aft_index, 0, INT64_MAX, &idx) < 0)
		return 0;
	sqlite3_bind_int64(v->ins_file, 1, idx);
	return chatdb_step_done(v->c, v->ins_file, "cannot compare files", err);
}

/* Collects the source and archive per-room digests into temp.cmp_digest. */
static int
verify_store_digest(void *ctx, const char *room, const char *digest, uint64_t n)
{
	sqlite3_stmt *st = ctx;

	bind_text(st, 1, room);
	bind_text(st, 2, digest);
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
verify_report(struct chatdb *c, int (*room)(void *ctx, const struct chat_room_check *rc),
    void *ctx, struct chat_verify_totals *t, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(c->db, verify_report_sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "cannot compare");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_room_check k = { 0 };
		const char *sd = col_text(st, 8), *ad = col_text(st, 9);

		k.room = col_text(st, 0);
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
		if (k.missing || k.extra || k.changed || k.in_source != k.in_archive ||
		    strcmp(k.source_digest, k.archive_digest) != 0)
			t->rooms_different++;
		if (room != NULL && room(ctx, &k) < 0) {
			ret = err_set(err, J2W_ESYS, "cannot write the report");
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = db_fail(c, err, "cannot compare");
	sqlite3_finalize(st);
	if (ret < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT (SELECT count(*) FROM src_file),"
	    " (SELECT count(*) FROM main.files),"
	    " (SELECT count(*) FROM src_file s WHERE NOT EXISTS"
	    "   (SELECT 1 FROM main.files f WHERE f.aft_index = s.aft_index)),"
	    " (SELECT count(*) FROM main.files f WHERE NOT EXISTS"
	    "   (SELECT 1 FROM src_file s WHERE s.aft_index = f.aft_index))", -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "cannot compare files");
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
chatdb_verify(struct chatdb *c, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    int (*room)(void *ctx, const struct chat_room_check *rc), void (*warn)(void *ctx, const char *msg),
    void *ctx, struct chat_verify_totals *totals, struct j2w_err *err)
{
	static const struct pipe_ops ops = {
		verify_room, NULL, verify_file, NULL, verify_reject, verify_norm
	};
	struct verify_run v = { .c = c, .warn = warn, .ctx = ctx };
	sqlite3_stmt *st = NULL;
	int ret = -1;

	memset(totals, 0, sizeof(*totals));
	if (db_exec(c, verify_setup_sql, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO src_msg(room, msg_id, digest) VALUES (?1, ?2, ?3)",
	    -1, &v.ins_msg, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO src_room(room) VALUES (?1)",
	    -1, &v.ins_room, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO src_file(aft_index) VALUES (?1)",
	    -1, &v.ins_file, NULL) != SQLITE_OK) {
		db_fail(c, err, "cannot prepare a statement");
		goto out;
	}
	if (db_exec(c, "BEGIN", err) < 0)
		goto out;
	c->in_tx = 1;
	if (pipe_run(&ops, &v, tz, read, arg, err) < 0)
		goto out;
	totals->rejected = v.rejected;
	if (db_exec(c, verify_index_sql, err) < 0)
		goto out;
	if (sqlite3_prepare_v2(c->db, "INSERT INTO src_digest(room, digest) VALUES (?1, ?2)", -1, &st,
	    NULL) != SQLITE_OK) {
		db_fail(c, err, "cannot prepare a statement");
		goto out;
	}
	if (chatdb_room_digests(c, "SELECT room, digest FROM src_msg ORDER BY room, msg_id, digest",
	    verify_store_digest, st, err) < 0)
		goto out;
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(c->db, "INSERT INTO arc_digest(room, digest) VALUES (?1, ?2)", -1, &st,
	    NULL) != SQLITE_OK) {
		db_fail(c, err, "cannot prepare a statement");
		goto out;
	}
	if (chatdb_room_digests(c, ARCHIVE_DIGEST_SQL, verify_store_digest, st, err) < 0)
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

/* ---- reading back ---- */

#define ATTACH_MAX 64

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
chatdb_attachments_free(struct chat_attach *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)a[i].real_filename);
		free((char *)a[i].filename);
		free((char *)a[i].file_server);
		free((char *)a[i].file_path);
		free((char *)a[i].time_utc);
	}
}

/* Reads a message's attachments; the strings are copies (a statement's text dies with its next step). */
static int
chatdb_attachments(struct chatdb *c, sqlite3_stmt *fst, long long id, struct chat_attach *out,
    size_t *n)
{
	int rc;

	*n = 0;
	sqlite3_bind_int64(fst, 1, id);
	while ((rc = sqlite3_step(fst)) == SQLITE_ROW && *n < ATTACH_MAX) {
		struct chat_attach *a = &out[(*n)++];

		a->aft_index = sqlite3_column_int64(fst, 0);
		a->real_filename = dup_or_null(col_text(fst, 1));
		a->filename = dup_or_null(col_text(fst, 2));
		a->file_server = dup_or_null(col_text(fst, 3));
		a->file_path = dup_or_null(col_text(fst, 4));
		a->bytes = sqlite3_column_type(fst, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(fst, 5);
		a->time_utc = dup_or_null(col_text(fst, 6));
	}
	sqlite3_reset(fst);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
chatdb_search(struct chatdb *c, const struct chat_query *q,
    int (*cb)(void *ctx, const struct chat_row *row), void *ctx, struct j2w_err *err)
{
	struct strbuf sql;
	sqlite3_stmt *st = NULL, *fst = NULL;
	struct chat_attach files[ATTACH_MAX];
	int rc, ret = 0;

	err_clear(err);
	strbuf_init(&sql, 0);
	strbuf_addstr(&sql, "SELECT m.id, m.room_jid, r.name, m.msg_id, m.sent_utc, m.from_jid, m.nick,"
	    " m.msg_type, m.body, m.stanza, m.has_file FROM ");
	if (q->match != NULL)
		strbuf_addstr(&sql, "messages_fts f JOIN messages m ON m.id = f.rowid");
	else
		strbuf_addstr(&sql, "messages m");
	strbuf_addstr(&sql, " LEFT JOIN rooms r ON r.room_jid = m.room_jid WHERE 1");
	if (q->match != NULL)
		strbuf_addstr(&sql, " AND messages_fts MATCH ?1");
	if (q->room != NULL)
		strbuf_addstr(&sql, " AND m.room_jid = ?2");
	if (q->from != NULL)
		strbuf_addstr(&sql, " AND (lower(m.from_jid) = lower(?3) OR"
		    " substr(lower(m.from_jid), 1, length(?3) + 1) = lower(?3) || '/')");
	if (q->since != NULL)
		strbuf_addstr(&sql, " AND m.sent_utc >= ?4");
	if (q->until != NULL)
		strbuf_addstr(&sql, " AND m.sent_utc < ?5");
	if (q->room != NULL && q->match == NULL)
		strbuf_addstr(&sql, " ORDER BY m.msg_id, m.sent_utc, m.id");
	else
		strbuf_addstr(&sql, " ORDER BY m.sent_utc, m.room_jid, m.msg_id, m.id");
	if (q->limit > 0)
		strbuf_addstr(&sql, " LIMIT ?6");
	if (sqlite3_prepare_v2(c->db, sql.buf, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "SELECT aft_index, real_filename, filename, file_server,"
	    " file_path, bytes, time_utc FROM files WHERE message = ?1 ORDER BY aft_index", -1, &fst,
	    NULL) != SQLITE_OK) {
		ret = db_fail(c, err, "cannot search");
		goto out;
	}
	bind_text(st, 1, q->match);
	bind_text(st, 2, q->room);
	bind_text(st, 3, q->from);
	bind_text(st, 4, q->since);
	bind_text(st, 5, q->until);
	sqlite3_bind_int64(st, 6, q->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_row row = { 0 };

		row.room_jid = col_text(st, 1);
		row.room_name = col_text(st, 2);
		row.has_msg_id = sqlite3_column_type(st, 3) != SQLITE_NULL;
		row.msg_id = sqlite3_column_int64(st, 3);
		row.sent_utc = col_text(st, 4);
		row.from_jid = col_text(st, 5);
		row.nick = col_text(st, 6);
		row.msg_type = col_text(st, 7);
		row.body = col_text(st, 8);
		row.stanza = col_text(st, 9);
		row.files = files;
		if (sqlite3_column_int(st, 10)) {
			if (chatdb_attachments(c, fst, sqlite3_column_int64(st, 0), files, &row.nfiles) < 0) {
				ret = db_fail(c, err, "cannot read attachments");
				goto out;
			}
		}
		ret = cb(ctx, &row);
		chatdb_attachments_free(files, row.nfiles);
		if (ret < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		const char *msg = sqlite3_errmsg(c->db);

		if (q->match != NULL && (strstr(msg, "fts5") != NULL || strstr(msg, "syntax") != NULL ||
		    strstr(msg, "no such column") != NULL))
			ret = err_set(err, J2W_EUSAGE, "bad search query '%s': %s", q->match, msg);
		else
			ret = db_fail(c, err, "cannot search");
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(fst);
	strbuf_release(&sql);
	return ret;
}

long
chatdb_rooms(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_room_info *r), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	/* rooms that only appear as a message's TO_JID are listed too */
	if (sqlite3_prepare_v2(c->db,
	    "WITH ids(room) AS (SELECT room_jid FROM rooms UNION SELECT DISTINCT room_jid FROM messages)"
	    " SELECT ids.room, r.name, r.creator_jid, r.subject, r.type,"
	    " (SELECT count(*) FROM messages m WHERE m.room_jid = ids.room),"
	    " (SELECT min(sent_utc) FROM messages m WHERE m.room_jid = ids.room),"
	    " (SELECT max(sent_utc) FROM messages m WHERE m.room_jid = ids.room)"
	    " FROM ids LEFT JOIN rooms r ON r.room_jid = ids.room"
	    " WHERE ?1 IS NULL OR ids.room = ?1 ORDER BY ids.room", -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "cannot list rooms");
	bind_text(st, 1, room);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_room_info r = {
			col_text(st, 0), col_text(st, 1), col_text(st, 2), col_text(st, 3),
			col_text(st, 4), (uint64_t)sqlite3_column_int64(st, 5), col_text(st, 6),
			col_text(st, 7)
		};

		n++;
		if (cb(ctx, &r) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "cannot list rooms");
	return n;
}

int
chatdb_members(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_member_info *m), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, "SELECT real_jid, role, affiliation, nick_jid FROM members"
	    " WHERE room_jid = ?1 ORDER BY CASE lower(affiliation) WHEN 'owner' THEN 0"
	    " WHEN 'admin' THEN 1 WHEN 'member' THEN 2 WHEN 'none' THEN 3 ELSE 4 END, real_jid",
	    -1, &st, NULL) != SQLITE_OK)
		return db_fail(c, err, "cannot list members");
	bind_text(st, 1, room);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_member_info m = {
			col_text(st, 0), col_text(st, 1), col_text(st, 2), chat_nick(col_text(st, 3))
		};

		if (cb(ctx, &m) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "cannot list members");
	return 0;
}
