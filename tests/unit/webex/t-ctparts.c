/* Unit tests for CSV parts written row by row: naming, splitting, streams, nothing left on failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "webex/ctparts.h"

static void
load(struct ctcsv_template *t)
{
	static const char text[] = "Email\temail\nName\tname\n";
	struct j2w_err err;

	CHECK_INT(ctcsv_template_parse(t, text, strlen(text), "t.tsv", &err), 0);
}

static long
lines_of(const char *dir, const char *name)
{
	char path[1024];
	long n = 0;
	int c;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	while ((c = getc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static json_t *
user(int i)
{
	char email[64];

	snprintf(email, sizeof(email), "u%d@example.com", i);
	return json_pack("{s:s, s:s}", "email", email, "name", "=1+1");
}

static void
write_users(struct ctparts *p, int n)
{
	struct j2w_err err;
	int ok = 1;

	for (int i = 0; i < n && ok; i++) {
		json_t *u = user(i);

		ok = ctparts_row(p, u, &err) == 0;
		json_decref(u);
	}
	CHECK(ok);
}

static void
test_one_file_then_parts(void)
{
	const char *dir = unit_scratch_dir("parts");
	char path[600];
	struct ctcsv_template t;
	struct ctparts p;
	struct j2w_err err;

	load(&t);
	snprintf(path, sizeof(path), "%s/users.csv", dir);
	/* up to max_rows: one file under the name given, nothing in place before commit */
	CHECK_INT(ctparts_open(&p, &t, path, 0, 3, &err), 0);
	write_users(&p, 3);
	CHECK(strncmp(unit_listing(dir), "users.csv.tmp.", 14) == 0);
	CHECK_INT(ctparts_commit(&p, &err), 0);
	ctparts_release(&p);
	CHECK_STR(unit_listing(dir), "users.csv");
	CHECK_INT(lines_of(dir, "users.csv"), 4);

	/* one more: users-001.csv, users-002.csv, each with its header */
	dir = unit_scratch_dir("parts");
	CHECK_INT(ctparts_open(&p, &t, path, 0, 3, &err), 0);
	write_users(&p, 7);
	CHECK_INT(p.nparts, 3);
	CHECK_INT(p.rows, 7);
	CHECK_INT(ctparts_commit(&p, &err), 0);
	ctparts_release(&p);
	CHECK_STR(unit_listing(dir), "users-001.csv users-002.csv users-003.csv");
	CHECK_INT(lines_of(dir, "users-001.csv"), 4);
	CHECK_INT(lines_of(dir, "users-003.csv"), 2);

	/* released without commit: every part's temporary file goes */
	dir = unit_scratch_dir("parts");
	CHECK_INT(ctparts_open(&p, &t, path, 0, 2, &err), 0);
	write_users(&p, 5);
	ctparts_release(&p);
	ctparts_release(&p);
	CHECK_STR(unit_listing(dir), "");
	ctcsv_template_release(&t);
}

static void
test_numbered_and_raw(void)
{
	const char *dir = unit_scratch_dir("numbered");
	char path[600];
	struct ctcsv_template t;
	struct ctparts p;
	struct j2w_err err;
	json_t *u = user(1);
	FILE *mem;
	char *buf = NULL;
	size_t len = 0;

	load(&t);
	snprintf(path, sizeof(path), "%s/c.csv", dir);
	CHECK_INT(ctparts_open(&p, &t, path, 1, 0, &err), 0);
	/* numbered: no file until the first part is asked for */
	CHECK_STR(unit_listing(dir), "");
	mem = open_memstream(&buf, &len);
	CHECK_INT(ctparts_format(&p, mem, u), 0);
	fclose(mem);
	/* a formula is neutralised once, when formatted */
	CHECK_STR(buf, "u1@example.com,'=1+1\r\n");
	CHECK_INT(ctparts_next(&p, &err), 0);
	CHECK_INT(ctparts_raw(&p, buf, len, &err), 0);
	CHECK_INT(ctparts_next(&p, &err), 0);
	CHECK_INT(ctparts_raw(&p, buf, len, &err), 0);
	CHECK_INT(ctparts_raw(&p, buf, len, &err), 0);
	CHECK_INT(ctparts_commit(&p, &err), 0);
	ctparts_release(&p);
	CHECK_STR(unit_listing(dir), "c-001.csv c-002.csv");
	CHECK_INT(lines_of(dir, "c-002.csv"), 3);
	free(buf);
	json_decref(u);
	ctcsv_template_release(&t);
}

static void
test_stream_counts_past_the_limit(void)
{
	struct ctcsv_template t;
	struct ctparts p;
	struct j2w_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	load(&t);
	CHECK_INT(ctparts_open_stream(&p, &t, mem, 2, &err), 0);
	write_users(&p, 2);
	CHECK(!p.overflow);
	write_users(&p, 3);
	/* a stream cannot be split: past the limit rows are counted so the command can say so */
	CHECK(p.overflow);
	CHECK_INT(p.rows, 5);
	CHECK_INT(ctparts_commit(&p, &err), 0);
	ctparts_release(&p);
	fclose(mem);
	CHECK_STR(buf, "Email,Name\r\nu0@example.com,'=1+1\r\nu1@example.com,'=1+1\r\n");
	free(buf);
	ctcsv_template_release(&t);
}

static void
test_device_is_not_split(void)
{
	struct ctcsv_template t;
	struct ctparts p;
	struct j2w_err err;
	json_t *u = user(1);

	load(&t);
	/* /dev/null is written in place: fine as one file, refused as parts */
	CHECK_INT(ctparts_open(&p, &t, "/dev/null", 0, 1, &err), 0);
	CHECK_INT(ctparts_row(&p, u, &err), 0);
	CHECK_INT(ctparts_row(&p, u, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "'/dev/null' is not a regular file: it cannot be split into parts");
	ctparts_release(&p);
	CHECK_INT(ctparts_open(&p, &t, "/dev/null", 0, 1, &err), 0);
	CHECK_INT(ctparts_row(&p, u, &err), 0);
	CHECK_INT(ctparts_commit(&p, &err), 0);
	ctparts_release(&p);
	json_decref(u);
	ctcsv_template_release(&t);
}

UNIT_MAIN(TEST(test_one_file_then_parts), TEST(test_numbered_and_raw),
    TEST(test_stream_counts_past_the_limit), TEST(test_device_is_not_split))
