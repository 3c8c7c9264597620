/* SQLite journals: created 0600 and exclusive, set up alike, stamped and reported alike. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "util/sqlfile.h"

int
sqlfile_create(const char *path, sqlite3 **db, struct j2w_err *err)
{
	/* O_EXCL: an existing journal holds another run's "before" states */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	*db = NULL;
	if (fd < 0) {
		if (errno == EEXIST)
			return err_set(err, J2W_EUSAGE, "journal '%s' already exists: continue it "
			    "with --resume '%s', undo it with --rollback '%s', or name a new file",
			    path, path, path);
		return err_set_errno(err, J2W_EUSAGE, "cannot create journal '%s'", path);
	}
	close(fd);
	if (sqlite3_open_v2(path, db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlfile_fail(*db, path, err, "cannot open");
		sqlite3_close(*db);
		*db = NULL;
		unlink(path);
		return -1;
	}
	return 0;
}

int
sqlfile_setup(sqlite3 *db, const char *path, int full, struct j2w_err *err)
{
	char *msg = NULL;

	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_exec(db, full ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "PRAGMA foreign_keys=ON;", NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "journal '%s': %s", path, msg ? msg : "cannot set up");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
sqlfile_sync(sqlite3 *db, const char *path, int full, struct j2w_err *err)
{
	if (sqlite3_exec(db, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
	    NULL, NULL, NULL) != SQLITE_OK)
		return sqlfile_fail(db, path, err, "cannot set synchronous");
	return 0;
}

int
sqlfile_step(sqlite3 *db, const char *path, sqlite3_stmt *st, struct j2w_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_CONSTRAINT)
		return err_set(err, J2W_EDATA, "journal '%s': %s", path, sqlite3_errmsg(db));
	return sqlfile_fail(db, path, err, "cannot write");
}

int
sqlfile_fail(sqlite3 *db, const char *path, struct j2w_err *err, const char *what)
{
	return err_set(err, J2W_ESYS, "journal '%s': %s: %s", path, what,
	    db != NULL ? sqlite3_errmsg(db) : "cannot open");
}

void
sqlfile_now_utc(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    (int)(ts.tv_nsec / 1000000) % 1000);
}
