/* The chat archive file: schema, opening and creating it, recognising it, its summary. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chat/chatdb_int.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/version.h"

/* The unique key of messages: a first import drops it and builds it after loading. */
#define CHATDB_INDEX_KEY \
"CREATE UNIQUE INDEX messages_key ON messages(room_jid, msg_id) WHERE msg_id IS NOT NULL;\n"

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
CHATDB_INDEX_KEY
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

int
chatdb_fail(struct chatdb *c, struct j2w_err *err, const char *what)
{
	int code = sqlite3_errcode(c->db);
	enum j2w_status st = J2W_ESYS;

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		st = J2W_EDATA;
	return err_set(err, st, "%s: %s: %s", c->path, what, sqlite3_errmsg(c->db));
}

int
chatdb_exec(struct chatdb *c, const char *sql, struct j2w_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "%s: %s", c->path, msg ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

void
chatdb_now_utc(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char head[24];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(head, sizeof(head), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%.19s.%03dZ", head, (int)(ts.tv_nsec / 1000000) % 1000);
}

int
chatdb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

const char *
chatdb_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
chatdb_tx_begin(struct chatdb *c, struct j2w_err *err)
{
	if (chatdb_exec(c, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	c->in_tx = 1;
	c->batch_left = c->batch_size;
	return 0;
}

int
chatdb_tx_commit(struct chatdb *c, struct j2w_err *err)
{
	if (!c->in_tx)
		return 0;
	if (chatdb_exec(c, "COMMIT", err) < 0)
		return -1;
	c->in_tx = 0;
	return 0;
}

int
chatdb_step_done(struct chatdb *c, sqlite3_stmt *st, const char *what, struct j2w_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return chatdb_fail(c, err, what);
	return 0;
}

#define CHATDB_DEFERRED "deferred_index"

int
chatdb_deferred_by(struct chatdb *c, long long *import_id, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*import_id = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT value FROM meta WHERE key = '" CHATDB_DEFERRED "'",
	    -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot read the archive's state");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*import_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return chatdb_fail(c, err, "cannot read the archive's state");
	return rc == SQLITE_ROW;
}

int
chatdb_defer_index(struct chatdb *c, long long import_id, struct j2w_err *err)
{
	char sql[512];

	/*
	 * messages_nokey and messages_with_file stay: they are partial, and a
	 * message without MSG_ID or with a file is rare, so they cost little row
	 * by row, and building them would mean two more passes over the table
	 */
	snprintf(sql, sizeof(sql), "DROP INDEX IF EXISTS messages_key;"
	    " INSERT OR REPLACE INTO meta(key, value) VALUES ('" CHATDB_DEFERRED "', '%lld');",
	    import_id);
	if (chatdb_exec(c, sql, err) < 0)
		return -1;
	c->deferred = 1;
	return 0;
}

/*
 * The messages messages_key refuses, but the first of each key (lowest id,
 * the one stored first), with whether it reads differently from that first:
 * what INSERT OR IGNORE would have skipped and counted.
 */
static const char chatdb_repeats_sql[] =
"INSERT INTO temp.chatdb_repeats(id, changed)\n"
"SELECT id, digest IS NOT first FROM (SELECT id, digest,\n"
"  row_number() OVER w AS n, first_value(digest) OVER w AS first\n"
"  FROM messages WHERE msg_id IS NOT NULL\n"
"  WINDOW w AS (PARTITION BY room_jid, msg_id ORDER BY id)) WHERE n > 1";

/*
 * Creates messages_key. When the messages repeat its key (the source held a
 * message twice), deletes the repeats, counts them in *dropped and *changed,
 * and creates it then.
 */
static int
chatdb_make_key(struct chatdb *c, uint64_t *dropped, uint64_t *changed, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_exec(c->db, CHATDB_INDEX_KEY, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return 0;
	if (rc != SQLITE_CONSTRAINT)
		return chatdb_fail(c, err, "cannot build the message indexes");
	if (chatdb_exec(c, "CREATE TEMP TABLE chatdb_repeats(id INTEGER PRIMARY KEY,"
	    " changed INTEGER NOT NULL)", err) < 0 || chatdb_exec(c, chatdb_repeats_sql, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT count(*), coalesce(sum(changed), 0)"
	    " FROM temp.chatdb_repeats", -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot build the message indexes");
	if (sqlite3_step(st) == SQLITE_ROW) {
		*dropped += (uint64_t)sqlite3_column_int64(st, 0);
		*changed += (uint64_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	/* no file is matched to a message before the indexes are built; this is in case */
	if (chatdb_exec(c, "UPDATE files SET message = NULL WHERE message IN"
	    " (SELECT id FROM temp.chatdb_repeats);"
	    " DELETE FROM messages WHERE id IN (SELECT id FROM temp.chatdb_repeats);"
	    " DROP TABLE temp.chatdb_repeats", err) < 0)
		return -1;
	if (chatdb_exec(c, CHATDB_INDEX_KEY, err) < 0)
		return -1;
	return 0;
}

int
chatdb_build_index(struct chatdb *c, uint64_t *dropped, uint64_t *changed, struct j2w_err *err)
{
	uint64_t d = 0, ch = 0;

	if (chatdb_exec(c, "DROP INDEX IF EXISTS messages_key", err) < 0 ||
	    chatdb_make_key(c, &d, &ch, err) < 0 ||
	    /* external content: rebuild reads every body from messages */
	    chatdb_exec(c, "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');"
	    " DELETE FROM meta WHERE key = '" CHATDB_DEFERRED "'", err) < 0)
		return -1;
	c->deferred = 0;
	if (dropped != NULL)
		*dropped = d;
	if (changed != NULL)
		*changed = ch;
	return 0;
}

static int
chatdb_check_schema(struct chatdb *c, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int appid = 0, version = 0, tables = 0;

	if (sqlite3_prepare_v2(c->db, "SELECT (SELECT application_id FROM pragma_application_id),"
	    " (SELECT user_version FROM pragma_user_version),"
	    " (SELECT count(*) FROM sqlite_schema)", -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "not a readable SQLite database");
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
	rc = chatdb_exec(c, sql.buf, err);
	strbuf_release(&sql);
	if (rc < 0)
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int
chatdb_open(struct chatdb **out, const char *path, int writable, struct j2w_err *err)
{
	int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	struct chatdb *c;
	struct stat st;
	int rc;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL || (c->path = strdup(path)) == NULL) {
		free(c);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	c->writable = writable;
	c->batch_size = CHATDB_BATCH;
	if (writable && access(path, F_OK) != 0 && errno == ENOENT) {
		/* chat content is private: the archive (and SQLite's journals) are 0600 */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0) {
			err_set_errno(err, J2W_ESYS, "cannot create '%s'", path);
			chatdb_close(c);
			return -1;
		}
		close(fd);
	}
	if (!writable && access(path, R_OK) != 0) {
		err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
		chatdb_close(c);
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
		chatdb_close(c);
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
	if (chatdb_exec(c, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;"
	    " PRAGMA temp_store = FILE;", err) < 0)
		goto fail;
	if (rc == 1) {
		long long by;
		int deferred = chatdb_deferred_by(c, &by, err);

		if (deferred < 0)
			goto fail;
		/*
		 * A first import stopped (killed, power) between loading its messages
		 * and building their indexes: finish its work before anything else,
		 * as the next import counts on the unique keys. Reading needs no
		 * write; search refuses (its index is not there) until this ran.
		 */
		if (deferred && writable) {
			if (chatdb_tx_begin(c, err) < 0 || chatdb_build_index(c, NULL, NULL, err) < 0 ||
			    chatdb_tx_commit(c, err) < 0)
				goto fail;
		} else {
			c->deferred = deferred;
		}
	}
	*out = c;
	return 0;
fail:
	chatdb_close(c);
	return -1;
}

void
chatdb_close(struct chatdb *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < CHATDB_STMT_MAX; i++)
		sqlite3_finalize(c->stmt[i]);
	if (c->db != NULL) {
		if (c->in_tx)
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(c->db);
	}
	free(c->path);
	free(c);
}

void
chatdb_set_batch(struct chatdb *c, unsigned long messages)
{
	c->batch_size = messages > 0 ? messages : 1;
	c->batch_left = c->batch_size;
}

/*
 * Other tools open whatever file they are given, read-only and following
 * links, as they always have; only this module's own commands refuse links.
 */
static int
chatdb_open_other(const char *path, sqlite3 **db, struct j2w_err *err, const char *what)
{
	*db = NULL;
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "cannot open %s'%s': %s", what, path,
		    *db != NULL ? sqlite3_errmsg(*db) : "out of memory");
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*db, 5000);
	return 0;
}

/* The number one query returns, or -1 when it cannot run (an older archive lacks the table). */
static long
chatdb_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The rule of chatdb_probe on an open database: 1 or 0. */
static int
chatdb_is_archive(sqlite3 *db)
{
	long appid = chatdb_count(db, "SELECT application_id FROM pragma_application_id");

	if (appid == CHATDB_APPLICATION_ID)
		return 1;
	if (appid > 0 || appid < -1)
		return 0;
	return chatdb_count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	    "name IN ('rooms', 'messages', 'manifest')") == 3;
}

int
chatdb_probe(const char *path, struct j2w_err *err)
{
	sqlite3 *db;
	int rc;

	if (chatdb_open_other(path, &db, err, "") < 0)
		return -1;
	rc = chatdb_is_archive(db);
	sqlite3_close(db);
	return rc;
}

/* A copy of column i when it is valid UTF-8 text, else NULL (*bad set on ENOMEM). */
static char *
chatdb_text_copy(sqlite3_stmt *st, int i, int *bad)
{
	const char *s = chatdb_col_text(st, i);
	char *d;

	if (s == NULL || utf8_invalid_at(s, strlen(s)) != strlen(s))
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

int
chatdb_summary(const char *path, struct chatdb_summary *s, struct j2w_err *err)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int bad = 0;

	memset(s, 0, sizeof(*s));
	s->rooms = s->members = s->messages = s->files = s->rejected = -1;
	if (chatdb_open_other(path, &db, err, "archive ") < 0)
		return -1;
	if (chatdb_is_archive(db)) {
		s->rooms = chatdb_count(db, "SELECT count(*) FROM rooms");
		s->members = chatdb_count(db, "SELECT count(*) FROM members");
		s->messages = chatdb_count(db, "SELECT count(*) FROM messages");
		s->files = chatdb_count(db, "SELECT count(*) FROM files");
	}
	if (s->messages < 0 || s->rooms < 0) {
		sqlite3_close(db);
		return err_set(err, J2W_EDATA, "'%s' is not a j2w chat archive", path);
	}
	if (sqlite3_prepare_v2(db, "SELECT min(sent_utc), max(sent_utc) FROM messages", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		s->first = chatdb_text_copy(st, 0, &bad);
		s->last = chatdb_text_copy(st, 1, &bad);
	}
	sqlite3_finalize(st);
	st = NULL;
	/* an archive's manifest may be missing: the summary then has no last import */
	if (sqlite3_prepare_v2(db, "SELECT status, coalesce(finished_utc, started_utc), "
	    "messages_rejected FROM manifest ORDER BY id DESC LIMIT 1", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		s->status = chatdb_text_copy(st, 0, &bad);
		s->when = chatdb_text_copy(st, 1, &bad);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			s->rejected = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (bad) {
		chatdb_summary_release(s);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	return 0;
}

void
chatdb_summary_release(struct chatdb_summary *s)
{
	free(s->first);
	free(s->last);
	free(s->status);
	free(s->when);
	s->first = s->last = s->status = s->when = NULL;
}
