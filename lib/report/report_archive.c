/*
 * The report's view of a j2w-chat-archive database (tables rooms, members,
 * messages, files, manifest, as lib/chat/chatdb.c of the chat archive writes
 * them), read-only: counts, the time span, and how the last import ended.
 * Everything that knows the archive's shape is in this file.
 */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "report/report.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* The number one query returns, or -1 when it cannot run (an older archive). */
static long
count(sqlite3 *db, const char *sql)
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

/* A copy of column i when it is valid UTF-8 text, else NULL. */
static char *
text_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	if (s == NULL || utf8_invalid_at(s, strlen(s)) != strlen(s))
		return NULL;
	return strdup(s);
}

int
report_sqlite_kind(const char *path, struct j2w_err *err)
{
	sqlite3 *db = NULL;
	int kind;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "cannot open '%s': %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	if (count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	    "name IN ('rooms', 'messages', 'manifest')") == 3)
		kind = REPORT_SQLITE_ARCHIVE;
	else if (count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	    "name = 'users'") == 1)
		kind = REPORT_SQLITE_JOURNAL;
	else
		kind = REPORT_SQLITE_OTHER;
	sqlite3_close(db);
	return kind;
}

int
report_read_archive(struct report *r, const char *path, struct j2w_err *err)
{
	struct report_archive *v, *a;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *base = strrchr(path, '/');

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "cannot open archive '%s': %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	v = realloc(r->archives, (r->narchives + 1) * sizeof(*v));
	if (v == NULL) {
		sqlite3_close(db);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	r->archives = v;
	a = &v[r->narchives];
	memset(a, 0, sizeof(*a));
	a->name = strdup(base != NULL ? base + 1 : path);
	a->rooms = count(db, "SELECT count(*) FROM rooms");
	a->members = count(db, "SELECT count(*) FROM members");
	a->messages = count(db, "SELECT count(*) FROM messages");
	a->files = count(db, "SELECT count(*) FROM files");
	a->rejected = -1;
	if (a->messages < 0 || a->rooms < 0) {
		free(a->name);
		sqlite3_close(db);
		return err_set(err, J2W_EDATA, "'%s' is not a j2w-chat-archive database this "
		    "report knows", path);
	}
	if (sqlite3_prepare_v2(db, "SELECT min(sent_utc), max(sent_utc) FROM messages", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		a->first = text_col(st, 0);
		a->last = text_col(st, 1);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT status, coalesce(finished_utc, started_utc), "
	    "messages_rejected FROM manifest ORDER BY id DESC LIMIT 1", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		a->status = text_col(st, 0);
		a->when = text_col(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			a->rejected = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	r->narchives++;
	if (a->name == NULL)
		return err_set(err, J2W_ESYS, "out of memory");

	/* what needs doing before IM and Presence is switched off */
	if (a->status != NULL && strcmp(a->status, "complete") == 0) {
		if (report_add_item(r, "j2w-chat-archive", "ARCHIVE-IMPORT", SEV_OK, a->name, NULL,
		    "the last import into the archive is complete", NULL, NULL, NULL, err) < 0)
			return -1;
	} else {
		struct strbuf msg;
		int rc;

		strbuf_init(&msg, 4096);
		strbuf_addf(&msg, "the last import into the archive ended '%s'",
		    a->status != NULL ? a->status : "(no import recorded)");
		rc = report_add_item(r, "j2w-chat-archive", "ARCHIVE-IMPORT", SEV_WARN, a->name, NULL,
		    msg.buf, "run j2w-chat-archive import again (it is incremental), then verify",
		    NULL, NULL, err);
		strbuf_release(&msg);
		if (rc < 0)
			return -1;
	}
	if (a->rejected > 0) {
		struct strbuf msg;
		int rc;

		strbuf_init(&msg, 4096);
		strbuf_addf(&msg, "%ld messages of the last import were rejected", a->rejected);
		rc = report_add_item(r, "j2w-chat-archive", "ARCHIVE-REJECTED", SEV_WARN, a->name,
		    NULL, msg.buf, "see the import's messages on standard error; correct the "
		    "source rows and import again", NULL, NULL, err);
		strbuf_release(&msg);
		if (rc < 0)
			return -1;
	}
	return 0;
}
