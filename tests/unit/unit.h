/* A tiny unit-test runner: TAP lines per test, "N passed, N failed" at the end. */
#ifndef J2W_UNIT_H
#define J2W_UNIT_H

#include <stddef.h>
#include <stdio.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

/* Records one check; on failure prints where and what to the TAP stream. */
int unit_check(int ok, const char *expr, const char *file, int line);
int unit_check_str(const char *got, const char *want, const char *expr, const char *file, int line);
int unit_check_long(long got, long want, const char *expr, const char *file, int line);

/* Runs the tests in order, prints TAP, returns the exit status (1 when any failed). */
int unit_run(const struct unit_test *tests, size_t n);

/* A scratch file path under $TMPDIR unique to this process (static buffer). */
const char *unit_tmpfile(const char *name);
/* Writes data to path; returns 0 or -1. */
int unit_write_file(const char *path, const void *data, size_t len);
/* What was written to fp (a read-write stream such as tmpfile()) from its start (static buffer). */
const char *unit_written(FILE *fp);
/* An empty scratch directory under $TMPDIR, made or emptied (static buffer). */
const char *unit_scratch_dir(const char *name);
/* The names in dir but . files, sorted and joined by spaces (static buffer). */
const char *unit_listing(const char *dir);

/* Messages a library hands to a callback, each followed by '|', and how many. */
struct unit_said {
	char buf[4096];
	unsigned long n;
};
/* A message callback for the library (ctx: a struct unit_said) that keeps what it is told. */
void unit_say(void *ctx, const char *msg);

#define CHECK(cond) unit_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) unit_check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want) unit_check_long((long)(got), (long)(want), #got, __FILE__, __LINE__)

#define UNIT_MAIN(...)							\
	int main(void)							\
	{								\
		static const struct unit_test tests[] = { __VA_ARGS__ };\
		return unit_run(tests, sizeof(tests) / sizeof(tests[0]));\
	}
#define TEST(fn) { #fn, fn }

#endif
