/*
 * Inside the chat archive: the open handle and the SQLite helpers that the
 * archive's files (chatdb.c, chatimport.c, chatdigest.c, chatverify.c,
 * chatread.c) share. Only lib/chat includes this header; everyone else sees
 * struct chatdb as opaque (chat/chatdb.h).
 */
#ifndef J2W_CHATDB_INT_H
#define J2W_CHATDB_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "chat/chatdb.h"
#include "util/j2w_err.h"

#define CHATDB_STMT_MAX 8	/* statements an import keeps prepared */

struct chatdb {
	sqlite3 *db;
	char *path;
	int writable;
	sqlite3_stmt *stmt[CHATDB_STMT_MAX];	/* chatimport.c's, finalised by chatdb_close */
	int in_tx;
	long long import_id;
	unsigned long batch_left;
	unsigned long batch_size;
	int deferred;		/* messages lack their indexes and FTS entries (chatdb_defer_index) */
};

/* Sets err from the connection's last error (J2W_EDATA for a corrupt file); returns -1. */
int chatdb_fail(struct chatdb *c, struct j2w_err *err, const char *what);
/* Runs sql (several statements); returns 0 or -1 with err. */
int chatdb_exec(struct chatdb *c, const char *sql, struct j2w_err *err);
/* Steps st to its end, then resets it and clears its bindings. Returns 0 or -1 with err. */
int chatdb_step_done(struct chatdb *c, sqlite3_stmt *st, const char *what, struct j2w_err *err);
/* Opens a write transaction and starts a new batch. Returns 0 or -1 with err. */
int chatdb_tx_begin(struct chatdb *c, struct j2w_err *err);
/* Commits the open transaction, if any. Returns 0 or -1 with err. */
int chatdb_tx_commit(struct chatdb *c, struct j2w_err *err);

/*
 * A first import (into an archive without messages) loads them without the
 * unique index on (room, MSG_ID) and without full-text entries, and builds
 * both once at the end: keeping them up to date row by row was most of an
 * import's own time. meta 'deferred_index' (the import's id) marks an archive
 * in that state; it is committed with the DROP and cleared with the build, so
 * an import killed in between leaves the mark, and the next writable
 * chatdb_open builds them before anything else.
 */
/* Drops messages_key and sets the mark, in the open transaction. Returns 0 or -1 with err. */
int chatdb_defer_index(struct chatdb *c, long long import_id, struct j2w_err *err);
/* Whether the mark is set (1, *import_id its import), or not (0); -1 with err. */
int chatdb_deferred_by(struct chatdb *c, long long *import_id, struct j2w_err *err);
/*
 * In the open transaction: drops the messages that repeat a (room, MSG_ID)
 * except the first stored (as INSERT OR IGNORE would have skipped them;
 * *dropped gets how many, *changed how many of those read differently; either
 * may be NULL), builds messages_key, fills the full-text index from the
 * bodies and clears the mark. Returns 0 or -1 with err.
 */
int chatdb_build_index(struct chatdb *c, uint64_t *dropped, uint64_t *changed,
    struct j2w_err *err);

/* Binds s as text (static: it must outlive the step), or NULL. */
int chatdb_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Column i as text (NULL for NULL), valid until the next step. */
const char *chatdb_col_text(sqlite3_stmt *st, int i);
/* The current time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void chatdb_now_utc(char *buf, size_t len);

#endif
