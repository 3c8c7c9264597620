/* The unit-test runner behind unit.h. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static int failures_in_test;

int
unit_check(int ok, const char *expr, const char *file, int line)
{
	if (!ok) {
		printf("# %s:%d: check failed: %s\n", file, line, expr);
		failures_in_test++;
	}
	return ok;
}

int
unit_check_str(const char *got, const char *want, const char *expr, const char *file, int line)
{
	int ok = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	if (!ok) {
		printf("# %s:%d: %s\n#   got:  %s%s%s\n#   want: %s%s%s\n", file, line, expr,
		    got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
		    want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
		failures_in_test++;
	}
	return ok;
}

int
unit_check_long(long got, long want, const char *expr, const char *file, int line)
{
	if (got != want) {
		printf("# %s:%d: %s\n#   got:  %ld\n#   want: %ld\n", file, line, expr, got, want);
		failures_in_test++;
	}
	return got == want;
}

int
unit_run(const struct unit_test *tests, size_t n)
{
	int passed = 0, failed = 0;

	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		failures_in_test = 0;
		tests[i].fn();
		if (failures_in_test == 0) {
			printf("ok %zu - %s\n", i + 1, tests[i].name);
			passed++;
		} else {
			printf("not ok %zu - %s\n", i + 1, tests[i].name);
			failed++;
		}
		fflush(stdout);
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

const char *
unit_tmpfile(const char *name)
{
	static char path[4096];
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/j2w-unit-%ld-%s", dir ? dir : "/tmp", (long)getpid(), name);
	return path;
}

int
unit_write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	int rc = 0;

	if (fp == NULL)
		return -1;
	if (fwrite(data, 1, len, fp) != len)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

const char *
unit_written(FILE *fp)
{
	static char buf[16384];
	size_t n;

	fflush(fp);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	return buf;
}

const char *
unit_scratch_dir(const char *name)
{
	static char dir[4096];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", unit_tmpfile(name));
	mkdir(dir, 0700);
	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char path[4096 + 258];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	return dir;
}

const char *
unit_listing(const char *dir)
{
	static char out[4096];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.' && len < sizeof(out))
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", len ? " " : "",
			    names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return out;
}

void
unit_say(void *ctx, const char *msg)
{
	struct unit_said *s = ctx;
	size_t len = strlen(s->buf);

	snprintf(s->buf + len, sizeof(s->buf) - len, "%s|", msg);
	s->n++;
}
