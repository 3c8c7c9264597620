/* Unit tests for atomic_file and atomic_out: commit renames, abort leaves nothing, no temp file remains. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/atomicfile.h"
#include "util/strbuf.h"

static char dir[4096];

/* A path inside the scratch directory (static buffer). */
static const char *
in_dir(const char *name)
{
	static char path[8192];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* The names in the scratch directory, sorted, joined by spaces (static buffer). */
static const char *
listing(void)
{
	static char out[4096];
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			size_t len = strlen(out);

			snprintf(out + len, sizeof(out) - len, "%s%s", len ? " " : "", names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static const char *
contents(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("atomic"));
	mkdir(dir, 0700);
	umask(022);
}

static void
test_commit_renames(void)
{
	struct atomic_file af;
	struct j2w_err err;
	struct stat st;

	setup();
	CHECK_INT(atomic_open(&af, in_dir("out.csv"), 0, &err), 0);
	CHECK(strncmp(af.tmp, in_dir("out.csv.tmp."), strlen(in_dir("out.csv.tmp."))) == 0);
	fputs("a,b\r\n", af.fp);
	/* nothing at the final name until the commit */
	CHECK(access(in_dir("out.csv"), F_OK) < 0);
	CHECK_INT(atomic_commit(&af, &err), 0);
	CHECK_STR(contents(in_dir("out.csv")), "a,b\r\n");
	CHECK_STR(listing(), "out.csv");
	CHECK_INT(stat(in_dir("out.csv"), &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	CHECK(af.fp == NULL && af.tmp == NULL && af.path == NULL);
	/* an abort after a commit is a no-op */
	atomic_abort(&af);
	CHECK_STR(contents(in_dir("out.csv")), "a,b\r\n");

	/* replacing: the old content stays until the commit */
	CHECK_INT(atomic_open(&af, in_dir("out.csv"), 1, &err), 0);
	fputs("new\n", af.fp);
	fflush(af.fp);
	CHECK_STR(contents(in_dir("out.csv")), "a,b\r\n");
	CHECK_INT(atomic_commit(&af, &err), 0);
	CHECK_STR(contents(in_dir("out.csv")), "new\n");
	CHECK_INT(stat(in_dir("out.csv"), &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_STR(listing(), "out.csv");
	unlink(in_dir("out.csv"));
	rmdir(dir);
}

static void
test_abort_leaves_nothing(void)
{
	struct atomic_file af;
	struct j2w_err err;

	setup();
	CHECK_INT(atomic_open(&af, in_dir("new.jsonl"), 0, &err), 0);
	fputs("{}\n", af.fp);
	CHECK_STR(listing(), af.tmp + strlen(dir) + 1);
	atomic_abort(&af);
	CHECK_STR(listing(), "");
	CHECK(af.fp == NULL && af.tmp == NULL);

	/* an existing file is left as it was */
	unit_write_file(in_dir("keep.csv"), "old\n", 4);
	CHECK_INT(atomic_open(&af, in_dir("keep.csv"), 0, &err), 0);
	fputs("half", af.fp);
	atomic_abort(&af);
	CHECK_STR(contents(in_dir("keep.csv")), "old\n");
	CHECK_STR(listing(), "keep.csv");
	unlink(in_dir("keep.csv"));
	rmdir(dir);
}

static void
test_failures_leave_no_temp_file(void)
{
	struct atomic_file af;
	struct j2w_err err;

	setup();
	CHECK_INT(atomic_open(&af, in_dir("no/such/dir.csv"), 0, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strstr(err.msg, "cannot create '") == err.msg);
	CHECK(strstr(err.msg, "no/such/dir.csv': No such file or directory") != NULL);

	/* a directory is refused at once */
	mkdir(in_dir("target"), 0700);
	CHECK_INT(atomic_open(&af, in_dir("target"), 0, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "target' is a directory") != NULL);
	CHECK(af.fp == NULL && af.tmp == NULL && af.path == NULL);
	CHECK_STR(listing(), "target");
	rmdir(in_dir("target"));

	/* the rename fails when a directory took the final name meanwhile */
	CHECK_INT(atomic_open(&af, in_dir("late"), 0, &err), 0);
	if (af.fp != NULL) {
		mkdir(in_dir("late"), 0700);
		fputs("x", af.fp);
		CHECK_INT(atomic_commit(&af, &err), -1);
		CHECK_INT(err.status, J2W_ESYS);
		CHECK(strstr(err.msg, "cannot rename '") == err.msg);
		CHECK(strstr(err.msg, "Is a directory") != NULL);
	}
	CHECK_STR(listing(), "late");
	rmdir(in_dir("late"));

	/* a write error is found at the commit: /dev/full takes no bytes */
	CHECK_INT(atomic_open(&af, in_dir("full.csv"), 0, &err), 0);
	fclose(af.fp);
	af.fp = fopen("/dev/full", "w");
	if (af.fp != NULL) {
		fputs("x", af.fp);
		CHECK_INT(atomic_commit(&af, &err), -1);
		CHECK(strstr(err.msg, "cannot write '") == err.msg);
		CHECK(strstr(err.msg, "No space left on device") != NULL);
	} else {
		atomic_abort(&af);
	}
	CHECK_STR(listing(), "");
	rmdir(dir);
}

static void
test_device_written_in_place(void)
{
	struct atomic_file af;
	struct j2w_err err;

	/* renaming over /dev/null would replace the device: it is written in place */
	CHECK_INT(atomic_open(&af, "/dev/null", 0, &err), 0);
	CHECK(af.tmp == NULL);
	if (af.fp == NULL)
		return;
	fputs("discarded\n", af.fp);
	CHECK_INT(atomic_commit(&af, &err), 0);
	CHECK(af.fp == NULL && af.path == NULL);
	CHECK_INT(atomic_open(&af, "/dev/null", 0, &err), 0);
	atomic_abort(&af);
	CHECK(access("/dev/null", W_OK) == 0);
}

/* What a signal handler does: every temporary file open now goes, nothing else. */
static void
test_unlink_pending(void)
{
	struct atomic_file a, b, c;
	struct j2w_err err;

	setup();
	unit_write_file(in_dir("a.csv"), "old\n", 4);
	CHECK_INT(atomic_open(&a, in_dir("a.csv"), 0, &err), 0);
	CHECK_INT(atomic_open(&b, in_dir("b.csv"), 0, &err), 0);
	CHECK_INT(atomic_open(&c, in_dir("c.csv"), 0, &err), 0);
	CHECK_INT(atomic_commit(&c, &err), 0);
	fputs("half", a.fp);
	atomic_unlink_pending();
	CHECK_STR(listing(), "a.csv c.csv");
	CHECK_STR(contents(in_dir("a.csv")), "old\n");
	/* the outputs themselves can still be ended: their commits fail, aborts are quiet */
	atomic_abort(&a);
	CHECK_INT(atomic_commit(&b, &err), -1);
	atomic_unlink_pending();
	CHECK_STR(listing(), "a.csv c.csv");
	unlink(in_dir("a.csv"));
	unlink(in_dir("c.csv"));
	rmdir(dir);
}

/* Parts sealed by their writer, then renamed: renamed ones are no longer pending. */
static void
test_rename_sealed(void)
{
	struct atomic_file a;
	struct j2w_err err;

	setup();
	CHECK_INT(atomic_open(&a, in_dir("p.csv"), 0, &err), 0);
	fputs("part\n", a.fp);
	CHECK_INT(fclose(a.fp), 0);
	a.fp = NULL;
	CHECK_INT(atomic_rename(&a, &err), 0);
	CHECK(a.tmp == NULL && a.path == NULL);
	atomic_unlink_pending();
	CHECK_STR(listing(), "p.csv");
	CHECK_STR(contents(in_dir("p.csv")), "part\n");
	atomic_abort(&a);
	CHECK_STR(listing(), "p.csv");
	unlink(in_dir("p.csv"));
	rmdir(dir);
}

static void
test_out_to_a_file(void)
{
	struct atomic_out o;
	struct j2w_err err;

	setup();
	CHECK_INT(atomic_out_open(&o, in_dir("users.jsonl"), 0, &err), 0);
	CHECK(o.to_file && !o.spooled && o.fp != NULL && o.fp != stdout);
	fputs("{}\n", o.fp);
	CHECK(access(in_dir("users.jsonl"), F_OK) < 0);
	CHECK_INT(atomic_out_commit(&o, &err), 0);
	CHECK(o.fp == NULL);
	CHECK_STR(contents(in_dir("users.jsonl")), "{}\n");
	CHECK_STR(listing(), "users.jsonl");
	unlink(in_dir("users.jsonl"));

	/* dropped before the commit: nothing at all */
	CHECK_INT(atomic_out_open(&o, in_dir("late.jsonl"), 0, &err), 0);
	fputs("{}\n", o.fp);
	atomic_out_abort(&o);
	CHECK_STR(listing(), "");
	CHECK_INT(atomic_out_open(&o, in_dir("no/such/dir"), 0, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	atomic_out_abort(&o);
	rmdir(dir);
}

static void
test_out_to_stdout(void)
{
	const char *path = in_dir("stdout");
	struct atomic_out o;
	struct j2w_err err;
	int saved;

	setup();
	CHECK_INT(atomic_out_open(&o, NULL, 0, &err), 0);
	CHECK(o.fp == stdout && !o.to_file && !o.spooled);
	CHECK_INT(atomic_out_commit(&o, &err), 0);

	/* spooled: stdout gets it all at the commit, and nothing before */
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	CHECK(freopen(path, "w", stdout) != NULL);
	CHECK_INT(atomic_out_open(&o, NULL, 1, &err), 0);
	CHECK(o.spooled && o.fp != stdout);
	fputs("a\nb\n", o.fp);
	fflush(stdout);
	CHECK_STR(contents(path), "");
	CHECK_INT(atomic_out_commit(&o, &err), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	CHECK_STR(contents(path), "a\nb\n");
	unlink(path);
	rmdir(dir);
}

UNIT_MAIN(TEST(test_commit_renames), TEST(test_abort_leaves_nothing),
    TEST(test_failures_leave_no_temp_file), TEST(test_device_written_in_place),
    TEST(test_unlink_pending), TEST(test_rename_sealed), TEST(test_out_to_a_file),
    TEST(test_out_to_stdout))
