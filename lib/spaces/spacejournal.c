/* The spaces journal on SQLite: the plan, synced intents, results, rollback. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spaces/spacejournal.h"
#include "util/sqlfile.h"
#include "util/version.h"

static const char schema[] =
"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
"CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started TEXT NOT NULL,\n"
"  finished TEXT, exit_status INTEGER, summary TEXT);\n"
"CREATE TABLE rooms (seq INTEGER PRIMARY KEY, room_jid TEXT NOT NULL UNIQUE,\n"
"  title TEXT NOT NULL, marker TEXT NOT NULL, messages INTEGER NOT NULL,\n"
"  state TEXT NOT NULL DEFAULT 'pending',\n"	/* pending creating created done failed exists */
"  space_id TEXT, ours INTEGER NOT NULL DEFAULT 0, intent_utc TEXT,\n"
"  http_status INTEGER, tracking_id TEXT, error TEXT, finished TEXT,\n"
"  rb_state TEXT, rb_http_status INTEGER, rb_tracking_id TEXT, rb_error TEXT, rb_finished TEXT);\n"
"CREATE TABLE members (room_jid TEXT NOT NULL REFERENCES rooms(room_jid), jid TEXT NOT NULL,\n"
"  email TEXT, person_id TEXT, moderator INTEGER NOT NULL,\n"
"  state TEXT NOT NULL,\n"			/* pending added present failed left_out */
"  reason TEXT, membership_id TEXT, http_status INTEGER, tracking_id TEXT, finished TEXT,\n"
"  PRIMARY KEY (room_jid, jid)) WITHOUT ROWID;\n"
"CREATE TABLE parts (room_jid TEXT NOT NULL REFERENCES rooms(room_jid), part INTEGER NOT NULL,\n"
"  parts INTEGER NOT NULL, since TEXT, until TEXT, first_utc TEXT, last_utc TEXT,\n"
"  messages INTEGER NOT NULL, bytes INTEGER,\n"
"  state TEXT NOT NULL DEFAULT 'pending',\n"	/* pending posting posted failed */
"  message_id TEXT, intent_utc TEXT, http_status INTEGER, tracking_id TEXT, error TEXT,\n"
"  finished TEXT, PRIMARY KEY (room_jid, part)) WITHOUT ROWID;\n";

static int
db_fail(struct spacej *j, struct j2w_err *err, const char *what)
{
	return sqlfile_fail(j->db, j->path, err, what);
}

/*
 * Runs sql with parameters described by types: 's' a string (NULL binds NULL),
 * 'i' a long long, 'n' a long that binds NULL when 0. Returns 0 or -1 with err.
 */
static int
db_run(struct spacej *j, struct j2w_err *err, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot prepare a statement");
	va_start(ap, types);
	for (int i = 0; types[i]; i++) {
		if (types[i] == 's') {
			sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		} else if (types[i] == 'i') {
			sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
		} else {
			long v = va_arg(ap, long);

			if (v != 0)
				sqlite3_bind_int64(st, i + 1, v);
		}
	}
	va_end(ap);
	return sqlfile_step(j->db, j->path, st, err);
}

/*
 * WAL with synchronous=NORMAL: a commit survives kill -9 (it is in the
 * kernel's hands); intents, which guard requests that must not be sent twice,
 * are synced to the disk as well (durable()).
 */
static int
db_setup(struct spacej *j, struct j2w_err *err)
{
	return sqlfile_setup(j->db, j->path, 0, err);
}

static int
durable(struct spacej *j, int on, struct j2w_err *err)
{
	if (!sqlite3_get_autocommit(j->db))
		return 0;	/* inside the plan's transaction: it is synced as one */
	return sqlfile_sync(j->db, j->path, on, err);
}

int
spacej_create(struct spacej *j, const char *path, const char *api, const char *archive,
    const char *digest, struct j2w_err *err)
{
	char now[64], ver[16], app[64];
	char *msg = NULL;

	memset(j, 0, sizeof(*j));
	if ((j->path = strdup(path)) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (sqlfile_create(path, &j->db, err) < 0) {
		spacej_close(j);
		return -1;
	}
	if (db_setup(j, err) < 0) {
		spacej_close(j);
		unlink(path);
		return -1;
	}
	snprintf(app, sizeof(app), "PRAGMA application_id=%d; PRAGMA user_version=%d;",
	    SPACEJ_APPLICATION_ID, SPACEJ_SCHEMA_VERSION);
	if (sqlite3_exec(j->db, app, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(j->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "journal '%s': %s", path, msg ? msg : "cannot create");
		sqlite3_free(msg);
		spacej_close(j);
		unlink(path);
		return -1;
	}
	sqlfile_now_utc(now, sizeof(now));
	snprintf(ver, sizeof(ver), "%d", SPACEJ_SCHEMA_VERSION);
	if (db_run(j, err, "INSERT INTO meta VALUES ('schema_version', ?1), ('kind', 'spaces'),"
	    " ('created', ?2), ('tool', ?3), ('api', ?4)", "ssss", ver, now, "j2w " J2W_VERSION,
	    api) < 0 ||
	    db_run(j, err, "INSERT INTO meta SELECT 'archive', ?1 WHERE ?1 IS NOT NULL", "s",
	    archive) < 0 ||
	    db_run(j, err, "INSERT INTO meta SELECT 'archive_digest', ?1 WHERE ?1 IS NOT NULL", "s",
	    digest) < 0) {
		spacej_close(j);
		unlink(path);
		return -1;
	}
	return 0;
}

int
spacej_open(struct spacej *j, const char *path, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int app = 0, ver = 0;

	memset(j, 0, sizeof(*j));
	if ((j->path = strdup(path)) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (access(path, F_OK) != 0) {
		err_set_errno(err, J2W_EUSAGE, "cannot open journal '%s'", path);
		spacej_close(j);
		return -1;
	}
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		db_fail(j, err, "cannot open");
		spacej_close(j);
		return -1;
	}
	if (sqlite3_prepare_v2(j->db, "PRAGMA application_id", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			app = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (sqlite3_prepare_v2(j->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ver = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (app != SPACEJ_APPLICATION_ID) {
		err_set(err, J2W_EDATA, "'%s' is not a spaces journal of j2w-chat-archive", path);
		spacej_close(j);
		return -1;
	}
	if (ver > SPACEJ_SCHEMA_VERSION) {
		err_set(err, J2W_EDATA, "journal '%s' was written by a newer j2w (schema %d)", path,
		    ver);
		spacej_close(j);
		return -1;
	}
	if (db_setup(j, err) < 0) {
		spacej_close(j);
		return -1;
	}
	return 0;
}

void
spacej_close(struct spacej *j)
{
	if (j->db != NULL)
		sqlite3_close(j->db);
	free(j->path);
	memset(j, 0, sizeof(*j));
}

int
spacej_meta(struct spacej *j, const char *key, char **out, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(j->db, "SELECT value FROM meta WHERE key = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(j, err, "cannot read");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		*out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(j, err, "cannot read");
	return 0;
}

int
spacej_run_start(struct spacej *j, const char *kind, struct j2w_err *err)
{
	char now[64];

	sqlfile_now_utc(now, sizeof(now));
	if (db_run(j, err, "INSERT INTO runs (kind, started) VALUES (?1, ?2)", "ss", kind, now) < 0)
		return -1;
	j->run_id = (long)sqlite3_last_insert_rowid(j->db);
	return 0;
}

int
spacej_run_end(struct spacej *j, int status, const char *summary, struct j2w_err *err)
{
	char now[64];

	sqlfile_now_utc(now, sizeof(now));
	return db_run(j, err, "UPDATE runs SET finished = ?1, exit_status = ?2, summary = ?3"
	    " WHERE id = ?4", "sisi", now, (long long)status, summary, (long long)j->run_id);
}

int
spacej_begin(struct spacej *j, struct j2w_err *err)
{
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot begin");
	return 0;
}

int
spacej_commit(struct spacej *j, struct j2w_err *err)
{
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot commit");
	return 0;
}

void
spacej_abort(struct spacej *j)
{
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
}

int
spacej_add_room(struct spacej *j, long seq, const char *room_jid, const char *title,
    const char *marker, uint64_t messages, struct j2w_err *err)
{
	return db_run(j, err, "INSERT INTO rooms (seq, room_jid, title, marker, messages)"
	    " VALUES (?1, ?2, ?3, ?4, ?5)", "isssi", (long long)seq, room_jid, title, marker,
	    (long long)messages);
}

int
spacej_add_member(struct spacej *j, const char *room_jid, const char *jid, const char *email,
    const char *person_id, int moderator, const char *left_out, struct j2w_err *err)
{
	return db_run(j, err, "INSERT INTO members (room_jid, jid, email, person_id, moderator,"
	    " state, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", "ssssiss", room_jid, jid, email,
	    person_id, (long long)moderator, left_out != NULL ? "left_out" : "pending", left_out);
}

int
spacej_add_part(struct spacej *j, const char *room_jid, int part, int parts, const char *since,
    const char *until, const char *first, const char *last, uint64_t messages, uint64_t bytes,
    struct j2w_err *err)
{
	return db_run(j, err, "INSERT INTO parts (room_jid, part, parts, since, until, first_utc,"
	    " last_utc, messages, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", "siissssii",
	    room_jid, (long long)part, (long long)parts, since, until, first, last,
	    (long long)messages, (long long)bytes);
}

int
spacej_room_intent(struct spacej *j, const char *room_jid, struct j2w_err *err)
{
	char now[64];
	int rc;

	sqlfile_now_utc(now, sizeof(now));
	if (durable(j, 1, err) < 0)
		return -1;
	rc = db_run(j, err, "UPDATE rooms SET state = 'creating', intent_utc = ?1 WHERE room_jid = ?2",
	    "ss", now, room_jid);
	if (durable(j, 0, err) < 0)
		return -1;
	return rc;
}

int
spacej_room_space(struct spacej *j, const char *room_jid, const char *space_id, int ours,
    long http_status, const char *tracking_id, struct j2w_err *err)
{
	int rc;

	/* the id is what rollback needs: synced like an intent */
	if (durable(j, 1, err) < 0)
		return -1;
	rc = db_run(j, err, "UPDATE rooms SET state = 'created', space_id = ?1, ours = ?2,"
	    " http_status = ?3, tracking_id = ?4, error = NULL WHERE room_jid = ?5", "sinss",
	    space_id, (long long)ours, http_status, tracking_id, room_jid);
	if (durable(j, 0, err) < 0)
		return -1;
	return rc;
}

int
spacej_room_state(struct spacej *j, const char *room_jid, const char *state, long http_status,
    const char *tracking_id, const char *error, struct j2w_err *err)
{
	char now[64];

	sqlfile_now_utc(now, sizeof(now));
	return db_run(j, err, "UPDATE rooms SET state = ?1, http_status = coalesce(?2, http_status),"
	    " tracking_id = coalesce(?3, tracking_id), error = ?4, finished = ?5 WHERE room_jid = ?6",
	    "snssss", state, http_status, tracking_id, error, now, room_jid);
}

int
spacej_part_intent(struct spacej *j, const char *room_jid, int part, struct j2w_err *err)
{
	char now[64];
	int rc;

	sqlfile_now_utc(now, sizeof(now));
	if (durable(j, 1, err) < 0)
		return -1;
	rc = db_run(j, err, "UPDATE parts SET state = 'posting', intent_utc = ?1"
	    " WHERE room_jid = ?2 AND part = ?3", "ssi", now, room_jid, (long long)part);
	if (durable(j, 0, err) < 0)
		return -1;
	return rc;
}

int
spacej_part_result(struct spacej *j, const char *room_jid, int part, const char *state,
    const char *message_id, long long bytes, long http_status, const char *tracking_id,
    const char *error, struct j2w_err *err)
{
	char now[64];

	sqlfile_now_utc(now, sizeof(now));
	return db_run(j, err, "UPDATE parts SET state = ?1, message_id = ?2,"
	    " bytes = CASE WHEN ?3 >= 0 THEN ?3 ELSE bytes END, http_status = ?4, tracking_id = ?5,"
	    " error = ?6, finished = ?7 WHERE room_jid = ?8 AND part = ?9", "ssinssssi", state,
	    message_id, bytes, http_status, tracking_id, error, now, room_jid, (long long)part);
}

int
spacej_member_result(struct spacej *j, const char *room_jid, const char *jid, const char *state,
    const char *membership_id, long http_status, const char *tracking_id, const char *reason,
    struct j2w_err *err)
{
	char now[64];

	sqlfile_now_utc(now, sizeof(now));
	return db_run(j, err, "UPDATE members SET state = ?1, membership_id = ?2, http_status = ?3,"
	    " tracking_id = ?4, reason = ?5, finished = ?6 WHERE room_jid = ?7 AND jid = ?8",
	    "ssnsssss", state, membership_id, http_status, tracking_id, reason, now, room_jid, jid);
}

int
spacej_room_rollback(struct spacej *j, const char *room_jid, const char *rb_state,
    long http_status, const char *tracking_id, const char *error, struct j2w_err *err)
{
	char now[64];

	sqlfile_now_utc(now, sizeof(now));
	return db_run(j, err, "UPDATE rooms SET rb_state = ?1, rb_http_status = ?2,"
	    " rb_tracking_id = ?3, rb_error = ?4, rb_finished = ?5 WHERE room_jid = ?6", "snssss",
	    rb_state, http_status, tracking_id, error, now, room_jid);
}

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
spacej_rooms(struct spacej *j, int (*cb)(void *ctx, const struct spacej_room *r), void *ctx,
    struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT seq, room_jid, title, marker, state, space_id,"
	    " intent_utc, rb_state, error, ours, messages FROM rooms ORDER BY seq", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot read rooms");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct spacej_room r = {
			sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
			col(st, 5), col(st, 6), col(st, 7), col(st, 8), sqlite3_column_int(st, 9),
			(uint64_t)sqlite3_column_int64(st, 10)
		};

		if ((ret = cb(ctx, &r)) != 0)
			break;
	}
	sqlite3_finalize(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_fail(j, err, "cannot read rooms");
	return ret;
}

int
spacej_members(struct spacej *j, const char *room_jid,
    int (*cb)(void *ctx, const struct spacej_member *m), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT jid, email, person_id, state, reason, membership_id,"
	    " moderator FROM members WHERE room_jid = ?1 ORDER BY moderator DESC, jid", -1, &st,
	    NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot read members");
	sqlite3_bind_text(st, 1, room_jid, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct spacej_member m = {
			col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5),
			sqlite3_column_int(st, 6)
		};

		if ((ret = cb(ctx, &m)) != 0)
			break;
	}
	sqlite3_finalize(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_fail(j, err, "cannot read members");
	return ret;
}

int
spacej_parts(struct spacej *j, const char *room_jid,
    int (*cb)(void *ctx, const struct spacej_part *p), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT part, parts, since, until, first_utc, last_utc, state,"
	    " message_id, intent_utc, error, messages, coalesce(bytes, -1) FROM parts"
	    " WHERE room_jid = ?1 ORDER BY part", -1, &st, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot read parts");
	sqlite3_bind_text(st, 1, room_jid, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct spacej_part p = {
			sqlite3_column_int(st, 0), sqlite3_column_int(st, 1), col(st, 2), col(st, 3),
			col(st, 4), col(st, 5), col(st, 6), col(st, 7), col(st, 8), col(st, 9),
			(uint64_t)sqlite3_column_int64(st, 10), sqlite3_column_int64(st, 11)
		};

		if ((ret = cb(ctx, &p)) != 0)
			break;
	}
	sqlite3_finalize(st);
	if (ret == 0 && rc != SQLITE_DONE)
		return db_fail(j, err, "cannot read parts");
	return ret;
}
