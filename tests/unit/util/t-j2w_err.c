/* Unit tests for err: statuses, errno text, prefixes and truncation of long messages. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "util/j2w_err.h"

static void
test_set_and_clear(void)
{
	struct j2w_err err;

	CHECK_INT(err_set(&err, J2W_EDATA, "%s:%d: bad '%s'", "f.csv", 3, "x"), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "f.csv:3: bad 'x'");
	err_clear(&err);
	CHECK_INT(err.status, J2W_OK);
	CHECK_STR(err.msg, "");
	CHECK_INT(err_set(NULL, J2W_ESYS, "ignored"), -1);
	err_clear(NULL);
	err_prefix(NULL, "x");
}

static void
test_errno_appended_and_kept(void)
{
	struct j2w_err err;

	errno = ENOENT;
	CHECK_INT(err_set_errno(&err, J2W_EUSAGE, "cannot open '%s'", "in.csv"), -1);
	CHECK_STR(err.msg, "cannot open 'in.csv': No such file or directory");
	CHECK_INT(errno, ENOENT);
	CHECK_INT(err.status, J2W_EUSAGE);
}

static void
test_prefix(void)
{
	struct j2w_err err;

	err_set(&err, J2W_EDATA, "not a tar header");
	err_prefix(&err, "%s: at byte %d", "bat.tar", 512);
	CHECK_STR(err.msg, "bat.tar: at byte 512: not a tar header");
	CHECK_INT(err.status, J2W_EDATA);
}

static void
test_long_messages_truncated_safely(void)
{
	struct j2w_err err;
	char big[3 * J2W_ERR_MAX];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&err, J2W_EDATA, "%s", big);
	CHECK_INT(strlen(err.msg), J2W_ERR_MAX - 1);
	errno = EIO;
	err_set_errno(&err, J2W_ESYS, "%s", big);
	CHECK_INT(strlen(err.msg), J2W_ERR_MAX - 1);
	err_prefix(&err, "%s", "p");
	CHECK_INT(strlen(err.msg), J2W_ERR_MAX - 1);
	CHECK(strncmp(err.msg, "p: aaa", 6) == 0);
	err_set(&err, J2W_EDATA, "tail");
	err_prefix(&err, "%s", big);
	CHECK_INT(strlen(err.msg), J2W_ERR_MAX - 1);
	CHECK(err.msg[0] == 'a');
}

UNIT_MAIN(TEST(test_set_and_clear), TEST(test_errno_appended_and_kept), TEST(test_prefix),
    TEST(test_long_messages_truncated_safely))
