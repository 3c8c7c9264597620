/* Reading the chat archive back: search with attachments, rooms with their span, members. */
#include <stdlib.h>
#include <string.h>

#include "chat/chatdb_int.h"
#include "chat/chatread.h"
#include "chat/chatsrc.h"
#include "util/strbuf.h"

#define ATTACH_MAX 64

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
read_attachments_free(struct chat_attach *a, size_t n)
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
read_attachments(struct chatdb *c, sqlite3_stmt *fst, long long id, struct chat_attach *out,
    size_t *n)
{
	int rc;

	*n = 0;
	sqlite3_bind_int64(fst, 1, id);
	while ((rc = sqlite3_step(fst)) == SQLITE_ROW && *n < ATTACH_MAX) {
		struct chat_attach *a = &out[(*n)++];

		a->aft_index = sqlite3_column_int64(fst, 0);
		a->real_filename = dup_or_null(chatdb_col_text(fst, 1));
		a->filename = dup_or_null(chatdb_col_text(fst, 2));
		a->file_server = dup_or_null(chatdb_col_text(fst, 3));
		a->file_path = dup_or_null(chatdb_col_text(fst, 4));
		a->bytes = sqlite3_column_type(fst, 5) == SQLITE_NULL ? -1 : sqlite3_column_int64(fst, 5);
		a->time_utc = dup_or_null(chatdb_col_text(fst, 6));
	}
	sqlite3_reset(fst);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
chatread_search(struct chatdb *c, const struct chat_query *q,
    int (*cb)(void *ctx, const struct chat_row *row), void *ctx, struct j2w_err *err)
{
	struct strbuf sql;
	sqlite3_stmt *st = NULL, *fst = NULL;
	struct chat_attach files[ATTACH_MAX];
	int rc, ret = 0;

	err_clear(err);
	if (q->match != NULL && c->deferred)
		return err_set(err, J2W_EDATA, "%s: the full-text index is not built yet: an import "
		    "is loading, or stopped before building it; run the import again to finish it",
		    c->path);
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
		ret = chatdb_fail(c, err, "cannot search");
		goto out;
	}
	chatdb_bind_text(st, 1, q->match);
	chatdb_bind_text(st, 2, q->room);
	chatdb_bind_text(st, 3, q->from);
	chatdb_bind_text(st, 4, q->since);
	chatdb_bind_text(st, 5, q->until);
	sqlite3_bind_int64(st, 6, q->limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_row row = { 0 };

		row.room_jid = chatdb_col_text(st, 1);
		row.room_name = chatdb_col_text(st, 2);
		row.has_msg_id = sqlite3_column_type(st, 3) != SQLITE_NULL;
		row.msg_id = sqlite3_column_int64(st, 3);
		row.sent_utc = chatdb_col_text(st, 4);
		row.from_jid = chatdb_col_text(st, 5);
		row.nick = chatdb_col_text(st, 6);
		row.msg_type = chatdb_col_text(st, 7);
		row.body = chatdb_col_text(st, 8);
		row.stanza = chatdb_col_text(st, 9);
		row.files = files;
		if (sqlite3_column_int(st, 10)) {
			if (read_attachments(c, fst, sqlite3_column_int64(st, 0), files, &row.nfiles) < 0) {
				ret = chatdb_fail(c, err, "cannot read attachments");
				goto out;
			}
		}
		ret = cb(ctx, &row);
		read_attachments_free(files, row.nfiles);
		if (ret < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		const char *msg = sqlite3_errmsg(c->db);

		if (q->match != NULL && (strstr(msg, "fts5") != NULL || strstr(msg, "syntax") != NULL ||
		    strstr(msg, "no such column") != NULL))
			ret = err_set(err, J2W_EUSAGE, "bad search query '%s': %s", q->match, msg);
		else
			ret = chatdb_fail(c, err, "cannot search");
	}
out:
	sqlite3_finalize(st);
	sqlite3_finalize(fst);
	strbuf_release(&sql);
	return ret;
}

long
chatread_rooms(struct chatdb *c, const char *room,
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
		return chatdb_fail(c, err, "cannot list rooms");
	chatdb_bind_text(st, 1, room);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_room_info r = {
			chatdb_col_text(st, 0), chatdb_col_text(st, 1), chatdb_col_text(st, 2), chatdb_col_text(st, 3),
			chatdb_col_text(st, 4), (uint64_t)sqlite3_column_int64(st, 5), chatdb_col_text(st, 6),
			chatdb_col_text(st, 7)
		};

		n++;
		if (cb(ctx, &r) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return chatdb_fail(c, err, "cannot list rooms");
	return n;
}

int
chatread_members(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_member_info *m), void *ctx, struct j2w_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(c->db, "SELECT real_jid, role, affiliation, nick_jid FROM members"
	    " WHERE room_jid = ?1 ORDER BY CASE lower(affiliation) WHEN 'owner' THEN 0"
	    " WHEN 'admin' THEN 1 WHEN 'member' THEN 2 WHEN 'none' THEN 3 ELSE 4 END, real_jid",
	    -1, &st, NULL) != SQLITE_OK)
		return chatdb_fail(c, err, "cannot list members");
	chatdb_bind_text(st, 1, room);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct chat_member_info m = {
			chatdb_col_text(st, 0), chatdb_col_text(st, 1), chatdb_col_text(st, 2), chatsrc_nick(chatdb_col_text(st, 3))
		};

		if (cb(ctx, &m) < 0) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return chatdb_fail(c, err, "cannot list members");
	return 0;
}

char *
chatread_archive_digest(struct chatdb *c, struct j2w_err *err)
{
	sqlite3_stmt *st;
	char *d = NULL;
	int rc;

	err_clear(err);
	if (sqlite3_prepare_v2(c->db, "SELECT archive_digest FROM manifest WHERE status = 'complete'"
	    " AND archive_digest IS NOT NULL ORDER BY id DESC LIMIT 1", -1, &st, NULL) != SQLITE_OK) {
		chatdb_fail(c, err, "cannot read the manifest");
		return NULL;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && chatdb_col_text(st, 0) != NULL &&
	    (d = strdup(chatdb_col_text(st, 0))) == NULL)
		err_set(err, J2W_ESYS, "out of memory");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		chatdb_fail(c, err, "cannot read the manifest");
	return d;
}
