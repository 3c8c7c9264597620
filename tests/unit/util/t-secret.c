/* Unit tests for secret: file modes, trimming, refusals, the environment, user:password. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/secret.h"

/* Writes a secret file with mode and returns its path (static buffer). */
static const char *
secret_file(const char *name, const void *data, size_t len, mode_t mode)
{
	const char *path = unit_tmpfile(name);

	unlink(path);
	unit_write_file(path, data, len);
	chmod(path, mode);
	return path;
}

static void
test_private_file_read_and_trimmed(void)
{
	struct j2w_err err;
	char *s = NULL;
	const char *path;

	path = secret_file("s1", "s3cret pass\r\nsecond line\n", 25, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), 0);
	CHECK_STR(s, "s3cret pass");
	secret_free(s);
	path = secret_file("s1", "tok", 3, 0400);
	CHECK_INT(secret_from_file(path, &s, &err), 0);
	CHECK_STR(s, "tok");
	secret_free(s);
	path = secret_file("s1", "  spaced  \n", 11, 0700);
	CHECK_INT(secret_from_file(path, &s, &err), 0);
	CHECK_STR(s, "  spaced  ");
	secret_free(s);
	unlink(path);
}

static void
test_open_to_others_refused(void)
{
	static const mode_t modes[] = { 0644, 0640, 0604, 0660, 0602, 0620, 0601 };
	struct j2w_err err;
	char *s = (char *)"untouched";

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *path = secret_file("s2", "hunter2\n", 8, modes[i]);

		CHECK_INT(secret_from_file(path, &s, &err), -1);
		CHECK(s == NULL);
		CHECK_INT(err.status, J2W_EUSAGE);
		CHECK(strstr(err.msg, "chmod 600") != NULL);
		CHECK(strstr(err.msg, "hunter2") == NULL);
	}
	secret_file("s2", "x", 1, 0644);
	secret_from_file(unit_tmpfile("s2"), &s, &err);
	CHECK(strstr(err.msg, "is readable by group or others (mode 644): run chmod 600 '") != NULL);
	unlink(unit_tmpfile("s2"));
}

static void
test_bad_files_refused(void)
{
	struct j2w_err err;
	char *s;
	const char *path;
	char dir[4096];

	path = secret_file("s3", "", 0, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "is empty") != NULL);
	path = secret_file("s3", "\r\npassword on line two\n", 23, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), -1);
	CHECK(strstr(err.msg, "is empty") != NULL);
	unlink(path);

	CHECK_INT(secret_from_file(unit_tmpfile("missing"), &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "No such file or directory") != NULL);

	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("dir"));
	mkdir(dir, 0700);
	CHECK_INT(secret_from_file(dir, &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "is not a regular file") != NULL);
	rmdir(dir);
}

static void
test_fifo_refused_without_blocking(void)
{
	struct j2w_err err;
	char *s;
	const char *path = unit_tmpfile("fifo");

	unlink(path);
	CHECK_INT(mkfifo(path, 0600), 0);
	/* a FIFO with no writer would block open() for ever: the alarm ends the test */
	alarm(5);
	CHECK_INT(secret_from_file(path, &s, &err), -1);
	alarm(0);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "is not a regular file") != NULL);
	unlink(path);
}

static void
test_nul_and_overlong_refused(void)
{
	struct j2w_err err;
	char *s;
	const char *path;
	char *big = malloc(SECRET_MAX + 10);

	/* a NUL would silently cut the secret short (a UTF-16 file, say) */
	path = secret_file("s4", "p\0a\0s\0s\0\n\0", 10, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "NUL byte") != NULL);

	memset(big, 'k', SECRET_MAX + 10);
	path = secret_file("s4", big, SECRET_MAX, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), 0);
	CHECK_INT(s ? strlen(s) : 0, SECRET_MAX);
	secret_free(s);
	big[SECRET_MAX] = '\n';
	path = secret_file("s4", big, SECRET_MAX + 10, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), 0);
	CHECK_INT(s ? strlen(s) : 0, SECRET_MAX);
	secret_free(s);
	big[SECRET_MAX] = 'k';
	path = secret_file("s4", big, SECRET_MAX + 1, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "longer than 8192 bytes") != NULL);
	unlink(path);
	free(big);
}

/* A process that holds a secret cannot dump core, whichever way the secret came. */
static void
test_loaded_secret_means_no_core(void)
{
	struct j2w_err err;
	const char *path;
	char *s;

	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	CHECK_INT(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	path = secret_file("core", "tok\n", 4, 0600);
	CHECK_INT(secret_from_file(path, &s, &err), 0);
	CHECK_INT(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	secret_free(s);
	unlink(path);

	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	setenv("J2W_T_TOKEN", "from-env", 1);
	CHECK_INT(secret_load(NULL, "J2W_T_TOKEN", "Webex token", &s, &err), 0);
	CHECK_INT(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	secret_free(s);
}

static void
test_env_fallback(void)
{
	struct j2w_err err;
	char *s;
	const char *path;

	unsetenv("J2W_T_TOKEN");
	CHECK_INT(secret_load(NULL, "J2W_T_TOKEN", "Webex token", &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "no Webex token: set J2W_T_TOKEN or give a file");
	CHECK(s == NULL);
	setenv("J2W_T_TOKEN", "", 1);
	CHECK_INT(secret_load(NULL, "J2W_T_TOKEN", "Webex token", &s, &err), -1);
	setenv("J2W_T_TOKEN", "from-env", 1);
	CHECK_INT(secret_load(NULL, "J2W_T_TOKEN", "Webex token", &s, &err), 0);
	CHECK_STR(s, "from-env");
	secret_free(s);
	/* read once, it is gone from the environment */
	CHECK(getenv("J2W_T_TOKEN") == NULL);
	/* pasted from a Windows file */
	setenv("J2W_T_TOKEN", "pasted\r\n", 1);
	CHECK_INT(secret_load(NULL, "J2W_T_TOKEN", "Webex token", &s, &err), 0);
	CHECK_STR(s, "pasted");
	secret_free(s);
	setenv("J2W_T_TOKEN", " \n", 1);
	CHECK_INT(secret_load(NULL, "J2W_T_TOKEN", "Webex token", &s, &err), -1);
	CHECK_STR(err.msg, "no Webex token: set J2W_T_TOKEN or give a file");
	setenv("J2W_T_TOKEN", "from-env", 1);
	/* a file wins over the environment */
	path = secret_file("s5", "from-file\n", 10, 0600);
	CHECK_INT(secret_load(path, "J2W_T_TOKEN", "Webex token", &s, &err), 0);
	CHECK_STR(s, "from-file");
	secret_free(s);
	chmod(path, 0644);
	CHECK_INT(secret_load(path, "J2W_T_TOKEN", "Webex token", &s, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	unlink(path);
	unsetenv("J2W_T_TOKEN");
	CHECK_INT(secret_load(NULL, NULL, "AXL password", &s, &err), -1);
	CHECK_STR(err.msg, "no AXL password: set the variable or give a file");
}

static void
test_split_credentials(void)
{
	struct j2w_err err;
	char *u, *p;

	CHECK_INT(secret_split_credentials("axladmin:pa:ss:word", &u, &p, &err), 0);
	CHECK_STR(u, "axladmin");
	CHECK_STR(p, "pa:ss:word");
	secret_free(u);
	secret_free(p);
	CHECK_INT(secret_split_credentials("a:b", &u, &p, &err), 0);
	CHECK_STR(u, "a");
	CHECK_STR(p, "b");
	secret_free(u);
	secret_free(p);
	CHECK_INT(secret_split_credentials("nocolon", &u, &p, &err), -1);
	CHECK(u == NULL && p == NULL);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "credentials must be 'user:password' on one line");
	CHECK_INT(secret_split_credentials(":hunter2", &u, &p, &err), -1);
	CHECK(strstr(err.msg, "hunter2") == NULL);	/* never the secret itself */
	CHECK_INT(secret_split_credentials("user:", &u, &p, &err), -1);
	CHECK_INT(secret_split_credentials("", &u, &p, &err), -1);
	CHECK(u == NULL && p == NULL);
	secret_free(NULL);
}

UNIT_MAIN(TEST(test_private_file_read_and_trimmed), TEST(test_open_to_others_refused),
    TEST(test_bad_files_refused), TEST(test_fifo_refused_without_blocking),
    TEST(test_nul_and_overlong_refused), TEST(test_env_fallback), TEST(test_split_credentials),
    TEST(test_loaded_secret_means_no_core))
