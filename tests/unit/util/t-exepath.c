/* Unit tests for exepath: the running program's directory, and buffers too small for it. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/exepath.h"

static void
test_dir_of_this_program(void)
{
	char dir[PATH_MAX], self[PATH_MAX + 32];
	const char *tail = "/bin/unit/util";
	size_t n;

	CHECK_INT(exepath_dir(dir, sizeof(dir)), 0);
	n = strlen(dir);
	CHECK(dir[0] == '/');
	CHECK(n > strlen(tail) && strcmp(dir + n - strlen(tail), tail) == 0);
	snprintf(self, sizeof(self), "%s/t-exepath", dir);
	CHECK_INT(access(self, X_OK), 0);
}

static void
test_small_buffers(void)
{
	char dir[PATH_MAX], small[8] = "unset";

	CHECK_INT(exepath_dir(dir, sizeof(dir)), 0);
	/* a buffer the path does not fit is refused, not filled with part of it */
	CHECK_INT(exepath_dir(small, sizeof(small)), -1);
	CHECK_INT(exepath_dir(small, 1), -1);
	CHECK_INT(exepath_dir(small, 0), -1);
	CHECK_INT(exepath_dir(dir, strlen(dir) + strlen("/t-exepath") + 1), -1);
	CHECK_INT(exepath_dir(dir, strlen(dir) + strlen("/t-exepath") + 2), 0);
}

UNIT_MAIN(TEST(test_dir_of_this_program), TEST(test_small_buffers))
