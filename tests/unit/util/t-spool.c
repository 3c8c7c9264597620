/* Unit tests for spool: a pipe made readable twice, a file left as it is. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/spool.h"

static void
test_pipe_is_copied(void)
{
	struct j2w_err err;
	char buf[64];
	int fds[2];
	FILE *fp;
	size_t n;

	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "one\ntwo\n", 8) == 8);
	close(fds[1]);
	fp = fdopen(fds[0], "rb");
	CHECK(fp != NULL);
	CHECK_INT(spool_rereadable(&fp, "(pipe)", &err), 0);
	n = fread(buf, 1, sizeof(buf), fp);
	CHECK_INT((long)n, 8);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	CHECK_INT((long)n, 8);
	CHECK(memcmp(buf, "one\ntwo\n", 8) == 0);
	fclose(fp);
}

static void
test_file_is_kept(void)
{
	const char *path = unit_tmpfile("spool");
	struct j2w_err err;
	FILE *fp, *was;
	char buf[8];

	CHECK_INT(unit_write_file(path, "abc", 3), 0);
	fp = fopen(path, "rb");
	CHECK(fp != NULL);
	CHECK_INT(fgetc(fp), 'a');
	was = fp;
	CHECK_INT(spool_rereadable(&fp, path, &err), 0);
	CHECK(fp == was);
	CHECK_INT((long)fread(buf, 1, sizeof(buf), fp), 2);
	fclose(fp);
	unlink(path);
}

UNIT_MAIN(TEST(test_pipe_is_copied), TEST(test_file_is_kept))
