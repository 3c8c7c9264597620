/*
 * SQLite files that j2w keeps as journals (j2w-apply's, the spaces run's): made
 * new with O_EXCL and mode 0600, WAL, foreign keys on, and the time stamps and
 * error messages both write. What each holds stays with its owner.
 */
#ifndef J2W_SQLFILE_H
#define J2W_SQLFILE_H

#include <stddef.h>
#include <sqlite3.h>

#include "util/j2w_err.h"

/*
 * Creates journal path (it must not exist: it would hold another run, so the
 * message says to --resume or --rollback it) with mode 0600, and opens it for
 * writing into *db. Returns 0, or -1 with err and no file left behind.
 */
int sqlfile_create(const char *path, sqlite3 **db, struct j2w_err *err);

/*
 * Sets an open journal up: a busy timeout, WAL, synchronous FULL (full) or
 * NORMAL, foreign keys. Returns 0 or -1 with err.
 */
int sqlfile_setup(sqlite3 *db, const char *path, int full, struct j2w_err *err);

/* Switches synchronous between FULL (full) and NORMAL. Returns 0 or -1 with err. */
int sqlfile_sync(sqlite3 *db, const char *path, int full, struct j2w_err *err);

/*
 * Runs a prepared write st to its end and finalizes it. Returns 0, or -1 with
 * err: J2W_EDATA when a constraint refused it, J2W_ESYS for anything else.
 */
int sqlfile_step(sqlite3 *db, const char *path, sqlite3_stmt *st, struct j2w_err *err);

/* err: "journal 'PATH': WHAT: SQLite's message" (J2W_ESYS). Returns -1. */
int sqlfile_fail(sqlite3 *db, const char *path, struct j2w_err *err, const char *what);

/* The time now in UTC as YYYY-MM-DDTHH:MM:SS.mmmZ, the journals' time stamps. */
void sqlfile_now_utc(char *buf, size_t len);

#endif
