/* Unit tests for the personal-contact files: rows, the 500-per-user and 10,000-per-file limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "util/jsonl.h"
#include "webex/ctcontacts.h"

/* Every column a test looks at, the private ones too. */
static const char template_text[] =
    "Owner\towner_user\nOwner Domain\towner_domain\nContact\tcontact_user\n"
    "Contact Domain\tcontact_domain\nNickname\tnickname\nKey\t_owner_key\nSource\t_source\n";

static char *warned;

static void
collect(void *ctx, const char *msg)
{
	unsigned long *n = ctx;

	(*n)++;
	free(warned);
	warned = strdup(msg);
}

/* The content of dir/name, or NULL (caller frees). */
static char *
slurp(const char *dir, const char *name)
{
	char path[1024], *buf = NULL;
	size_t len = 0;
	FILE *fp, *mem;
	int c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	mem = open_memstream(&buf, &len);
	while ((c = getc(fp)) != EOF)
		putc(c, mem);
	fclose(mem);
	fclose(fp);
	return buf;
}

/* Data rows of a CSV text (lines after the header). */
static long
rows_in(const char *text)
{
	long n = -1;

	if (text == NULL)
		return -1;
	for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n;
}

/* Data row k (0-based) of a CSV text, without its CRLF, in a static buffer. */
static const char *
row_of(const char *text, long k)
{
	static char line[1024];
	const char *p = text, *e;

	for (long i = -1; p != NULL && i < k; i++) {
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (p == NULL || (e = strstr(p, "\r\n")) == NULL)
		return "";
	snprintf(line, sizeof(line), "%.*s", (int)(e - p), p);
	return line;
}

/* Reads text into c; returns what ctcontacts_read returns. */
static int
read_text(struct ctcontacts *c, const char *text, size_t len, struct j2w_err *err)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	int rc;

	if (fp == NULL)
		return -1;
	rc = ctcontacts_read(c, fp, "in", err);
	fclose(fp);
	return rc;
}

/* Appends n contacts of owner (a JID) to fp, contact k of owner being cK@example.com. */
static void
contacts_of(FILE *fp, const char *owner, size_t n)
{
	for (size_t k = 0; k < n; k++)
		fprintf(fp, "{\"owner\":\"%s\",\"contact\":\"c%zu@example.com\"}\n", owner, k);
}

/* Writes the files of the records gen(fp) makes into dir, with the given limits. */
static void
run(struct ctcontacts *c, const struct ctcsv_template *t, const char *dir,
    void (*gen)(FILE *), size_t per_user, size_t per_file)
{
	struct j2w_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	gen(fp);
	fclose(fp);
	CHECK_INT(ctcontacts_open(c, t, dir, per_user, per_file, &err), 0);
	CHECK_INT(read_text(c, buf, len, &err), 0);
	CHECK_INT(ctcontacts_finish(c, &err), 0);
	free(buf);
}

static void
load(struct ctcsv_template *t)
{
	struct j2w_err err;

	CHECK_INT(ctcsv_template_parse(t, template_text, strlen(template_text), "t.tsv", &err), 0);
}

static void
test_rows(void)
{
	static const char in[] =
	    "{\"owner\":\"bjones@usa@example.com\",\"owner_email\":\"bob.jones@example.com\","
	    "\"contact\":\"alice@example.com\",\"nickname\":\"Al\"}\n"
	    "{\"owner\":\"carol@example.com\"}\n"
	    "{\"owner\":\"dave\",\"contact\":\"erin\"}\n";
	const char *dir = unit_scratch_dir("rows");
	struct ctcsv_template t;
	struct ctcontacts c;
	struct j2w_err err;
	unsigned long nwarn = 0;
	char *f, *bat;

	load(&t);
	CHECK_INT(ctcontacts_open(&c, &t, dir, 500, 10000, &err), 0);
	c.warn = collect;
	c.warn_ctx = &nwarn;
	CHECK_INT(read_text(&c, in, strlen(in), &err), 0);
	CHECK_INT(c.read, 3);
	CHECK_INT(c.skipped, 1);
	CHECK_INT(nwarn, 1);
	CHECK_STR(warned, "in:2: a contact record needs owner and contact: left out");
	CHECK_INT(c.kept, 2);
	CHECK_INT(ctcontacts_finish(&c, &err), 0);
	CHECK_INT(c.files, 1);
	CHECK_STR(unit_listing(dir), "contacts-001.csv contacts-bat.csv");
	f = slurp(dir, "contacts-001.csv");
	bat = slurp(dir, "contacts-bat.csv");
	CHECK(f != NULL && strncmp(f, "Owner,Owner Domain,Contact,", 27) == 0);
	/* the migration files carry the Webex address, the archive the JID (last '@') */
	CHECK_STR(row_of(f, 0), "bob.jones,example.com,alice,example.com,Al,bob.jones@example.com,in:1");
	CHECK_STR(row_of(bat, 0), "bjones@usa,example.com,alice,example.com,Al,bob.jones@example.com,"
	    "in:1");
	/* an address without '@' has no domain half */
	CHECK_STR(row_of(f, 1), "dave,,erin,,,dave,in:3");
	CHECK_INT(rows_in(f), 2);
	CHECK_INT(rows_in(bat), 2);
	free(f);
	free(bat);
	ctcontacts_release(&c);
	ctcsv_template_release(&t);
	free(warned);
	warned = NULL;
}

static void
gen_501(FILE *fp)
{
	contacts_of(fp, "ann@example.com", 300);
	contacts_of(fp, "bob@example.com", 2);
	contacts_of(fp, "ANN@example.com", 201);
}

static void
test_per_user_limit(void)
{
	const char *dir = unit_scratch_dir("per-user");
	struct ctcsv_template t;
	struct ctcontacts c;
	struct j2w_err err;
	const char *owner;
	unsigned long n, over;
	char *f, *o, *bat;

	load(&t);
	run(&c, &t, dir, gen_501, CTCONTACTS_PER_USER, CTCONTACTS_PER_FILE);
	/* owners are compared without case: ann has 501, the 501st is over */
	CHECK_INT(c.files, 1);
	CHECK_INT(c.kept, 502);
	f = slurp(dir, "contacts-001.csv");
	CHECK_INT(rows_in(f), 502);
	/* an owner's rows stay together, owners in the order first seen */
	CHECK(strstr(row_of(f, 499), ",ANN@example.com,in:") != NULL);
	CHECK(strstr(row_of(f, 500), ",bob@example.com,in:301") != NULL);
	CHECK_INT(c.over, 1);
	o = slurp(dir, "contacts-over-limit.csv");
	CHECK_INT(rows_in(o), 1);
	CHECK_STR(row_of(o, 0), "ANN,example.com,c200,example.com,,ANN@example.com,in:503");
	CHECK_INT(c.over_owners, 1);
	ctcontacts_over_owner(&c, 0, &owner, &n, &over);
	CHECK_STR(owner, "ann@example.com");
	CHECK_INT(n, 501);
	CHECK_INT(over, 1);
	/* the archive keeps every row, in input order */
	bat = slurp(dir, "contacts-bat.csv");
	CHECK_INT(rows_in(bat), 503);
	CHECK(strstr(row_of(bat, 300), ",bob@example.com,in:301") != NULL);
	free(f);
	free(o);
	free(bat);
	ctcontacts_release(&c);

	/* exactly at the limit: nothing over, and the over file of the run before goes */
	run(&c, &t, dir, gen_501, 501, CTCONTACTS_PER_FILE);
	CHECK_INT(c.over, 0);
	CHECK_INT(c.over_owners, 0);
	CHECK_STR(unit_listing(dir), "contacts-001.csv contacts-bat.csv");
	ctcontacts_release(&c);

	CHECK_INT(ctcontacts_open(&c, &t, dir, 600, 500, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	ctcontacts_release(&c);
	ctcsv_template_release(&t);
}

static void
gen_20x500(FILE *fp)
{
	char owner[64];

	for (int i = 0; i < 20; i++) {
		snprintf(owner, sizeof(owner), "u%02d@example.com", i);
		contacts_of(fp, owner, 500);
	}
}

static void
gen_21x500(FILE *fp)
{
	gen_20x500(fp);
	contacts_of(fp, "last@example.com", 1);
}

static void
gen_uneven(FILE *fp)
{
	char owner[64];

	/* 9,600 rows, then an owner of 500 that would cross 10,000, then one of 400 */
	for (int i = 0; i < 24; i++) {
		snprintf(owner, sizeof(owner), "u%02d@example.com", i);
		contacts_of(fp, owner, 400);
	}
	contacts_of(fp, "big@example.com", 500);
	contacts_of(fp, "small@example.com", 400);
}

static void
test_per_file_limit(void)
{
	const char *dir = unit_scratch_dir("per-file");
	struct ctcsv_template t;
	struct ctcontacts c;
	char *f;

	load(&t);
	/* 10,000 rows fill one file exactly */
	run(&c, &t, dir, gen_20x500, CTCONTACTS_PER_USER, CTCONTACTS_PER_FILE);
	CHECK_INT(c.files, 1);
	f = slurp(dir, "contacts-001.csv");
	CHECK_INT(rows_in(f), 10000);
	free(f);
	ctcontacts_release(&c);

	/* one more row starts a second file */
	dir = unit_scratch_dir("per-file");
	run(&c, &t, dir, gen_21x500, CTCONTACTS_PER_USER, CTCONTACTS_PER_FILE);
	CHECK_INT(c.files, 2);
	f = slurp(dir, "contacts-001.csv");
	CHECK_INT(rows_in(f), 10000);
	free(f);
	f = slurp(dir, "contacts-002.csv");
	CHECK_INT(rows_in(f), 1);
	free(f);
	ctcontacts_release(&c);

	/* an owner is never split across files: big starts file 2, small follows it */
	dir = unit_scratch_dir("per-file");
	run(&c, &t, dir, gen_uneven, CTCONTACTS_PER_USER, CTCONTACTS_PER_FILE);
	CHECK_INT(c.files, 2);
	f = slurp(dir, "contacts-001.csv");
	CHECK_INT(rows_in(f), 9600);
	free(f);
	f = slurp(dir, "contacts-002.csv");
	CHECK_INT(rows_in(f), 900);
	CHECK(strstr(row_of(f, 0), ",big@example.com,in:9601") != NULL);
	free(f);
	ctcontacts_release(&c);
	ctcsv_template_release(&t);
}

static void
gen_interleaved(FILE *fp)
{
	/* three owners taking turns, as a merged or sorted-by-contact export would have them */
	for (int i = 0; i < 7; i++) {
		fprintf(fp, "{\"owner\":\"a@example.com\",\"contact\":\"a%d@example.com\"}\n", i);
		fprintf(fp, "{\"owner\":\"b@example.com\",\"contact\":\"b%d@example.com\"}\n", i);
		if (i % 2 == 0)
			fprintf(fp, "{\"owner\":\"c@example.com\",\"contact\":\"c%d@example.com\"}\n", i);
	}
}

static void
test_interleaved_owners(void)
{
	const char *dir = unit_scratch_dir("interleaved");
	struct ctcsv_template t;
	struct ctcontacts c;
	char *f1, *f2, *o, *bat;

	load(&t);
	/* 5 per owner (a and b have 7, c has 4), files of at most 10 rows */
	run(&c, &t, dir, gen_interleaved, 5, 10);
	CHECK_INT(c.kept, 14);
	CHECK_INT(c.over, 4);
	CHECK_INT(c.files, 2);
	f1 = slurp(dir, "contacts-001.csv");
	f2 = slurp(dir, "contacts-002.csv");
	o = slurp(dir, "contacts-over-limit.csv");
	bat = slurp(dir, "contacts-bat.csv");
	/* gathered by owner, each owner's rows in input order */
	CHECK_INT(rows_in(f1), 10);
	CHECK_STR(row_of(f1, 0), "a,example.com,a0,example.com,,a@example.com,in:1");
	CHECK_STR(row_of(f1, 4), "a,example.com,a4,example.com,,a@example.com,in:11");
	CHECK_STR(row_of(f1, 5), "b,example.com,b0,example.com,,b@example.com,in:2");
	CHECK_STR(row_of(f1, 9), "b,example.com,b4,example.com,,b@example.com,in:12");
	CHECK_INT(rows_in(f2), 4);
	CHECK_STR(row_of(f2, 0), "c,example.com,c0,example.com,,c@example.com,in:3");
	CHECK_STR(row_of(f2, 3), "c,example.com,c6,example.com,,c@example.com,in:18");
	/* the rows over the limit and the archive keep the input order */
	CHECK_INT(rows_in(o), 4);
	CHECK_STR(row_of(o, 0), "a,example.com,a5,example.com,,a@example.com,in:14");
	CHECK_STR(row_of(o, 1), "b,example.com,b5,example.com,,b@example.com,in:15");
	CHECK_INT(rows_in(bat), 18);
	CHECK_STR(row_of(bat, 2), "c,example.com,c0,example.com,,c@example.com,in:3");
	free(f1);
	free(f2);
	free(o);
	free(bat);
	ctcontacts_release(&c);
	ctcsv_template_release(&t);
}

static void
gen_nothing(FILE *fp)
{
	(void)fp;
}

static void
test_nothing_and_abort(void)
{
	static const char in[] = "{\"owner\":\"a@example.com\",\"contact\":\"b@example.com\"}\n";
	const char *dir = unit_scratch_dir("nothing");
	struct ctcsv_template t;
	struct ctcontacts c;
	struct j2w_err err;
	char *bat;

	load(&t);
	run(&c, &t, dir, gen_nothing, 2, 3);
	CHECK_INT(c.files, 0);
	/* no contact, no archive file: an empty directory says nothing was there */
	bat = slurp(dir, "contacts-bat.csv");
	CHECK(bat == NULL);
	free(bat);
	ctcontacts_release(&c);

	/* released before finish (bad input later on): no file is left, not even a temporary one */
	dir = unit_scratch_dir("abort");
	CHECK_INT(ctcontacts_open(&c, &t, dir, 2, 3, &err), 0);
	CHECK_INT(read_text(&c, in, strlen(in), &err), 0);
	ctcontacts_release(&c);
	CHECK_STR(unit_listing(dir), "");
	ctcsv_template_release(&t);
}

UNIT_MAIN(TEST(test_rows), TEST(test_per_user_limit), TEST(test_per_file_limit),
    TEST(test_interleaved_owners), TEST(test_nothing_and_abort))
