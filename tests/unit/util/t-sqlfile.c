/* Unit tests for sqlfile: journals made new, private and set up alike. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/sqlfile.h"

static void
test_create_is_new_and_private(void)
{
	const char *path = unit_tmpfile("j.db");
	struct j2w_err err;
	struct stat st;
	sqlite3 *db;

	unlink(path);
	CHECK_INT(sqlfile_create(path, &db, &err), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT((long)(st.st_mode & 0777), 0600);
	CHECK_INT(sqlfile_setup(db, path, 1, &err), 0);
	CHECK_INT(sqlfile_sync(db, path, 0, &err), 0);
	/* a write a constraint refuses is bad data, not a failing disk */
	CHECK_INT(sqlite3_exec(db, "CREATE TABLE t (k TEXT PRIMARY KEY)", NULL, NULL, NULL),
	    SQLITE_OK);
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *ins;

		CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO t VALUES ('a')", -1, &ins, NULL),
		    SQLITE_OK);
		CHECK_INT(sqlfile_step(db, path, ins, &err), i == 0 ? 0 : -1);
	}
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "UNIQUE constraint failed") != NULL);
	sqlite3_close(db);
	/* an existing journal is another run's: never opened as a new one */
	CHECK_INT(sqlfile_create(path, &db, &err), -1);
	CHECK(db == NULL);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "already exists: continue it with --resume") != NULL);
	unlink(path);
	/* a folder that is not there */
	CHECK_INT(sqlfile_create("/nonexistent-j2w/j.db", &db, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "cannot create journal '/nonexistent-j2w/j.db': No such file or directory");
}

static void
test_time_stamp(void)
{
	char buf[64];

	sqlfile_now_utc(buf, sizeof(buf));
	CHECK_INT((long)strlen(buf), 24);
	CHECK(buf[4] == '-' && buf[10] == 'T' && buf[19] == '.' && buf[23] == 'Z');
}

UNIT_MAIN(TEST(test_create_is_new_and_private), TEST(test_time_stamp))
