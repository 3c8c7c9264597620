/* The apply journal on SQLite: schema, write-ahead intents, results, resume queries. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/sqlfile.h"
#include "webex/journal.h"

static const char schema[] =
"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
"CREATE TABLE runs (\n"
"  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started TEXT NOT NULL,\n"
"  finished TEXT, exit_status INTEGER, summary TEXT);\n"
"CREATE TABLE users (\n"
"  seq INTEGER PRIMARY KEY,\n"
"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,\n"
"  source TEXT,\n"
"  desired_behavior TEXT NOT NULL,\n"
"  desired_profile TEXT,\n"
"  desired_profile_id TEXT,\n"
"  person_id TEXT,\n"
"  before_known INTEGER NOT NULL DEFAULT 0,\n"
"  before_behavior TEXT,\n"
"  before_profile_id TEXT,\n"
"  before_effective TEXT,\n"
"  after_behavior TEXT,\n"
"  after_profile_id TEXT,\n"
"  state TEXT NOT NULL DEFAULT 'pending',\n"
"  http_status INTEGER,\n"
"  tracking_id TEXT,\n"
"  attempts INTEGER NOT NULL DEFAULT 0,\n"
"  error TEXT,\n"
"  started TEXT,\n"
"  finished TEXT,\n"
"  run_id INTEGER,\n"
"  rb_state TEXT,\n"
"  rb_http_status INTEGER,\n"
"  rb_tracking_id TEXT,\n"
"  rb_attempts INTEGER NOT NULL DEFAULT 0,\n"
"  rb_error TEXT,\n"
"  rb_finished TEXT);\n"
"CREATE INDEX users_state ON users(state);\n";

void
journal_row_release(struct journal_row *r)
{
	free(r->email);
	free(r->source);
	free(r->desired_behavior);
	free(r->desired_profile);
	free(r->desired_profile_id);
	free(r->person_id);
	free(r->before_behavior);
	free(r->before_profile_id);
	free(r->state);
	free(r->rb_state);
	memset(r, 0, sizeof(*r));
}

static int
db_fail(struct journal *j, struct j2w_err *err, const char *what)
{
	return sqlfile_fail(j->db, j->path, err, what);
}

/* Runs sql with text parameters (NULL binds SQL NULL); returns 0 or -1 with err. */
static int
db_exec(struct journal *j, struct j2w_err *err, const char *sql, int n, const char **args)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot prepare a statement");
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_TRANSIENT);
	return sqlfile_step(j->db, j->path, st, err);
}

/*
 * WAL with synchronous=FULL: a committed result survives kill -9 and power loss,
 * which is what lets --resume trust it (db_sync lowers it where that is safe).
 */
static int
db_setup(struct journal *j, struct j2w_err *err)
{
	return sqlfile_setup(j->db, j->path, 1, err);
}

int
journal_create(struct journal *j, const char *path, const char *api, struct j2w_err *err)
{
	char now[64], ver[16];
	char *msg = NULL;

	memset(j, 0, sizeof(*j));
	j->path = strdup(path);
	j->sync_full = 1;
	if (j->path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (sqlfile_create(path, &j->db, err) < 0) {
		journal_close(j);
		return -1;
	}
	if (db_setup(j, err) < 0)
		goto fail;
	if (sqlite3_exec(j->db, "BEGIN", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(j->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "journal '%s': %s", path, msg ? msg : "cannot create");
		sqlite3_free(msg);
		goto fail;
	}
	sqlfile_now_utc(now, sizeof(now));
	snprintf(ver, sizeof(ver), "%d", JOURNAL_SCHEMA_VERSION);
	{
		const char *a1[] = { "schema_version", ver };
		const char *a2[] = { "created", now };
		const char *a3[] = { "api", api };
		const char *a4[] = { "tool", "j2w-apply" };
		const char *sql = "INSERT INTO meta(key, value) VALUES (?, ?)";

		if (db_exec(j, err, sql, 2, a1) < 0 || db_exec(j, err, sql, 2, a2) < 0 ||
		    db_exec(j, err, sql, 2, a3) < 0 || db_exec(j, err, sql, 2, a4) < 0)
			goto fail;
	}
	if (journal_commit(j, err) < 0)
		goto fail;
	return 0;
fail:
	journal_close(j);
	unlink(path);
	return -1;
}

int
journal_meta_get(struct journal *j, const char *key, char **out, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(j->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
		return db_fail(j, err, "not a j2w-apply journal");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = strdup((const char *)sqlite3_column_text(st, 0));
	} else if (rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return db_fail(j, err, "cannot read");
	}
	sqlite3_finalize(st);
	return 0;
}

int
journal_meta_set(struct journal *j, const char *key, const char *value, struct j2w_err *err)
{
	const char *args[] = { key, value };

	return db_exec(j, err, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", 2, args);
}

int
journal_open(struct journal *j, const char *path, struct j2w_err *err)
{
	char *ver = NULL, *tool = NULL;
	long v;
	struct stat sb;

	memset(j, 0, sizeof(*j));
	if (stat(path, &sb) < 0)
		return err_set_errno(err, J2W_EUSAGE, "cannot open journal '%s'", path);
	j->path = strdup(path);
	j->sync_full = 1;
	if (j->path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		db_fail(j, err, "cannot open");
		journal_close(j);
		return -1;
	}
	if (db_setup(j, err) < 0)
		goto fail;
	if (journal_meta_get(j, "schema_version", &ver, err) < 0 ||
	    journal_meta_get(j, "tool", &tool, err) < 0) {
		err_set(err, J2W_EDATA, "'%s' is not a j2w-apply journal", path);
		goto fail;
	}
	if (ver == NULL || tool == NULL || strcmp(tool, "j2w-apply") != 0) {
		err_set(err, J2W_EDATA, "'%s' is not a j2w-apply journal", path);
		goto fail;
	}
	v = strtol(ver, NULL, 10);
	if (v != JOURNAL_SCHEMA_VERSION) {
		err_set(err, J2W_EDATA, "journal '%s' has schema version %s; this j2w reads %d",
		    path, ver, JOURNAL_SCHEMA_VERSION);
		goto fail;
	}
	free(ver);
	free(tool);
	return 0;
fail:
	free(ver);
	free(tool);
	journal_close(j);
	return -1;
}

void
journal_close(struct journal *j)
{
	if (j->db != NULL)
		sqlite3_close(j->db);
	free(j->path);
	memset(j, 0, sizeof(*j));
}

int
journal_begin(struct journal *j, struct j2w_err *err)
{
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot begin a transaction");
	return 0;
}

static int db_sync(struct journal *j, int full, struct j2w_err *err);

int
journal_begin_durable(struct journal *j, struct j2w_err *err)
{
	if (db_sync(j, 1, err) < 0)
		return -1;
	return journal_begin(j, err);
}

int
journal_commit(struct journal *j, struct j2w_err *err)
{
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot commit");
	return 0;
}

void
journal_abort(struct journal *j)
{
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
}

int
journal_add_user(struct journal *j, long seq, const char *email, const char *source,
    const char *desired_behavior, const char *desired_profile,
    const char *desired_profile_id, struct j2w_err *err)
{
	char s[24];
	const char *args[] = { s, email, source, desired_behavior, desired_profile,
	    desired_profile_id };

	snprintf(s, sizeof(s), "%ld", seq);
	if (db_exec(j, err, "INSERT INTO users(seq, email, source, desired_behavior, "
	    "desired_profile, desired_profile_id) VALUES (?, ?, ?, ?, ?, ?)", 6, args) < 0) {
		if (err != NULL && err->status == J2W_EDATA)
			err_set(err, J2W_EDATA, "%s: '%s' is listed twice", source ? source : "input", email);
		return -1;
	}
	return 0;
}

int
journal_run_start(struct journal *j, const char *kind, struct j2w_err *err)
{
	char now[64];
	const char *args[] = { kind, now };

	sqlfile_now_utc(now, sizeof(now));
	if (db_exec(j, err, "INSERT INTO runs(kind, started) VALUES (?, ?)", 2, args) < 0)
		return -1;
	j->run_id = (long)sqlite3_last_insert_rowid(j->db);
	return 0;
}

int
journal_run_end(struct journal *j, int status, const char *summary, struct j2w_err *err)
{
	char now[64], st[16], id[24];
	const char *args[] = { now, st, summary, id };

	sqlfile_now_utc(now, sizeof(now));
	snprintf(st, sizeof(st), "%d", status);
	snprintf(id, sizeof(id), "%ld", j->run_id);
	return db_exec(j, err, "UPDATE runs SET finished = ?, exit_status = ?, summary = ? "
	    "WHERE id = ?", 4, args);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? strdup((const char *)t) : NULL;
}

/* The users a run of todo works on (journal_next_rows, journal_count_todo). */
static const char *
todo_where(enum journal_todo todo)
{
	return todo == JOURNAL_TODO_APPLY ? "state IN ('pending', 'writing', 'failed')" :
	    "before_known = 1 AND state IN ('writing', 'applied', 'verified', 'failed') "
	    "AND (rb_state IS NULL OR rb_state NOT IN ('restored', 'unchanged'))";
}

long
journal_count_todo(const struct journal *j, enum journal_todo todo)
{
	char sql[512];
	sqlite3_stmt *st;
	long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM users WHERE %s", todo_where(todo));
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int
journal_next_rows(struct journal *j, enum journal_todo todo, long after_seq,
    struct journal_row *rows, int max, struct j2w_err *err)
{
	static const char cols[] = "SELECT seq, email, source, desired_behavior, desired_profile, "
	    "desired_profile_id, person_id, before_known, before_behavior, before_profile_id, "
	    "state, rb_state, attempts FROM users WHERE seq > ? AND ";
	char sql[512];
	sqlite3_stmt *st;
	int n = 0, rc;

	snprintf(sql, sizeof(sql), "%s%s ORDER BY seq LIMIT ?", cols, todo_where(todo));
	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot read");
	sqlite3_bind_int64(st, 1, after_seq);
	sqlite3_bind_int(st, 2, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_row *r = &rows[n++];

		memset(r, 0, sizeof(*r));
		r->seq = (long)sqlite3_column_int64(st, 0);
		r->email = col_dup(st, 1);
		r->source = col_dup(st, 2);
		r->desired_behavior = col_dup(st, 3);
		r->desired_profile = col_dup(st, 4);
		r->desired_profile_id = col_dup(st, 5);
		r->person_id = col_dup(st, 6);
		r->before_known = sqlite3_column_int(st, 7);
		r->before_behavior = col_dup(st, 8);
		r->before_profile_id = col_dup(st, 9);
		r->state = col_dup(st, 10);
		r->rb_state = col_dup(st, 11);
		r->attempts = sqlite3_column_int(st, 12);
		if (r->email == NULL || r->desired_behavior == NULL || r->state == NULL) {
			sqlite3_finalize(st);
			for (int i = 0; i < n; i++)
				journal_row_release(&rows[i]);
			return err_set(err, J2W_EDATA, "journal '%s': user %ld is incomplete",
			    j->path, r->seq);
		}
	}
	sqlite3_finalize(st);
	return n;
}

int
journal_count(struct journal *j, long n[6], struct j2w_err *err)
{
	static const char *const states[6] = { "pending", "writing", "unchanged", "applied",
	    "verified", "failed" };
	sqlite3_stmt *st;

	memset(n, 0, 6 * sizeof(n[0]));
	if (sqlite3_prepare_v2(j->db, "SELECT state, count(*) FROM users GROUP BY state", -1,
	    &st, NULL) != SQLITE_OK)
		return db_fail(j, err, "cannot read");
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		for (int i = 0; i < 6; i++)
			if (s != NULL && strcmp(s, states[i]) == 0)
				n[i] = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * Intents are synced to the disk before the PUT goes out (FULL): after a power
 * loss --resume must still know the state before. A result may be lost with
 * the last moments before a power loss (NORMAL): --resume reads the user again
 * and finds the write, so only the fsync is saved, never a fact.
 */
static int
db_sync(struct journal *j, int full, struct j2w_err *err)
{
	if (j->sync_full == full)
		return 0;
	if (sqlfile_sync(j->db, j->path, full, err) < 0)
		return -1;
	j->sync_full = full;
	return 0;
}

int
journal_intent(struct journal *j, long seq, const char *person_id,
    const char *before_behavior, const char *before_profile_id,
    const char *before_effective, struct j2w_err *err)
{
	char s[24], now[40], run[24];
	const char *args[] = { person_id, before_behavior, before_profile_id, before_effective,
	    now, run, s };

	snprintf(s, sizeof(s), "%ld", seq);
	snprintf(run, sizeof(run), "%ld", j->run_id);
	sqlfile_now_utc(now, sizeof(now));
	if (db_sync(j, 1, err) < 0)
		return -1;
	/* the first before is the one to restore: a resumed user keeps it */
	return db_exec(j, err, "UPDATE users SET person_id = ?1, "
	    "before_behavior = CASE before_known WHEN 1 THEN before_behavior ELSE ?2 END, "
	    "before_profile_id = CASE before_known WHEN 1 THEN before_profile_id ELSE ?3 END, "
	    "before_effective = CASE before_known WHEN 1 THEN before_effective ELSE ?4 END, "
	    "before_known = 1, state = 'writing', started = coalesce(started, ?5), run_id = ?6 "
	    "WHERE seq = ?7", 7, args);
}

int
journal_result(struct journal *j, long seq, const struct journal_result *res,
    struct j2w_err *err)
{
	char s[24], now[40], status[24], att[24], run[24];
	const char *args[] = { res->state, res->person_id, res->before_behavior,
	    res->before_profile_id, res->after_behavior, res->after_profile_id,
	    res->http_status ? status : NULL, res->tracking_id, att, res->error, now, run, s };

	snprintf(s, sizeof(s), "%ld", seq);
	snprintf(status, sizeof(status), "%ld", res->http_status);
	snprintf(att, sizeof(att), "%d", res->attempts);
	snprintf(run, sizeof(run), "%ld", j->run_id);
	sqlfile_now_utc(now, sizeof(now));
	if (db_sync(j, 0, err) < 0)
		return -1;
	return db_exec(j, err, "UPDATE users SET state = ?1, "
	    "person_id = coalesce(person_id, ?2), "
	    "before_behavior = CASE WHEN before_known = 0 AND ?3 IS NOT NULL THEN ?3 "
	    "  ELSE before_behavior END, "
	    "before_profile_id = CASE WHEN before_known = 0 AND ?3 IS NOT NULL THEN ?4 "
	    "  ELSE before_profile_id END, "
	    "before_known = CASE WHEN ?3 IS NOT NULL THEN 1 ELSE before_known END, "
	    "after_behavior = ?5, after_profile_id = ?6, http_status = ?7, tracking_id = ?8, "
	    "attempts = attempts + ?9, error = ?10, started = coalesce(started, ?11), "
	    "finished = ?11, run_id = ?12 WHERE seq = ?13", 13, args);
}

int
journal_rollback_result(struct journal *j, long seq, const char *rb_state,
    long http_status, const char *tracking_id, int attempts, const char *error,
    struct j2w_err *err)
{
	char s[24], now[40], status[24], att[24];
	const char *args[] = { rb_state, http_status ? status : NULL, tracking_id, att, error,
	    now, s };

	snprintf(s, sizeof(s), "%ld", seq);
	snprintf(status, sizeof(status), "%ld", http_status);
	snprintf(att, sizeof(att), "%d", attempts);
	sqlfile_now_utc(now, sizeof(now));
	return db_exec(j, err, "UPDATE users SET rb_state = ?1, rb_http_status = ?2, "
	    "rb_tracking_id = ?3, rb_attempts = rb_attempts + ?4, rb_error = ?5, "
	    "rb_finished = ?6 WHERE seq = ?7", 7, args);
}

int
journal_open_readonly(struct journal *j, const char *path, struct j2w_err *err)
{
	memset(j, 0, sizeof(*j));
	if ((j->path = strdup(path)) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "cannot open journal '%s': %s", path,
		    j->db != NULL ? sqlite3_errmsg(j->db) : "out of memory");
		journal_close(j);
		return -1;
	}
	sqlite3_busy_timeout(j->db, 5000);
	return 0;
}

int
journal_probe(const char *path, struct j2w_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "cannot open '%s': %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	    "name = 'users'", -1, &st, NULL) == SQLITE_OK) {
		found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == 1;
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return found;
}

int
journal_iter_meta(struct journal *j,
    int (*cb)(void *ctx, const char *key, const char *value), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT key, value FROM meta", -1, &st, NULL) != SQLITE_OK)
		return err_set(err, J2W_EDATA, "journal '%s': %s", j->path, sqlite3_errmsg(j->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ret = cb(ctx, (const char *)sqlite3_column_text(st, 0),
		    (const char *)sqlite3_column_text(st, 1));
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = err_set(err, J2W_ESYS, "cannot read journal '%s': %s", j->path,
		    sqlite3_errmsg(j->db));
	sqlite3_finalize(st);
	return ret;
}

int
journal_iter_users(struct journal *j,
    int (*cb)(void *ctx, const struct journal_user *u), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(j->db, "SELECT email, state, rb_state, error, rb_error, seq FROM users"
	    " ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return err_set(err, J2W_EDATA, "'%s' is not a j2w-apply journal: %s", j->path,
		    sqlite3_errmsg(j->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_user u;

		u.email = (const char *)sqlite3_column_text(st, 0);
		u.state = (const char *)sqlite3_column_text(st, 1);
		u.rb_state = (const char *)sqlite3_column_text(st, 2);
		u.error = (const char *)sqlite3_column_text(st, 3);
		u.rb_error = (const char *)sqlite3_column_text(st, 4);
		u.seq = (long)sqlite3_column_int64(st, 5);
		ret = cb(ctx, &u);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = err_set(err, J2W_ESYS, "cannot read journal '%s': %s", j->path,
		    sqlite3_errmsg(j->db));
	sqlite3_finalize(st);
	return ret;
}

const char *
journal_errmsg(const struct journal *j)
{
	return j->db != NULL ? sqlite3_errmsg(j->db) : "not open";
}
