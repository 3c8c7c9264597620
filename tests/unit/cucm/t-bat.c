/* Unit tests for BAT exports: header mapping, rows, the tar, bad rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cucm/bat.h"
#include "unit.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

/* Reads the first data row of csv into u; returns bat_row_to_user's result. */
static int
row_of(const char *csv, int latin1, struct user *u, struct strbuf *problem)
{
	struct csv_reader r;
	struct csv_header h;
	struct bat_map map;
	struct j2w_err err;
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	int rc = -1;

	user_init(u);
	csv_reader_init(&r, fp, -1, ',', "enduser.csv", &err);
	if (csv_reader_next(&r, &err) == 1 && csv_header_load(&h, &r.row, &err) == 0) {
		if (bat_map_init(&map, &h, &err) == 0) {
			if (csv_reader_next(&r, &err) == 1)
				rc = bat_row_to_user(&map, &h, &r.row, NULL, latin1, "bat:enduser.csv:2",
				    u, problem, &err);
			bat_map_release(&map);
		}
		csv_header_release(&h);
	}
	csv_reader_release(&r);
	fclose(fp);
	return rc;
}

static void
test_columns_found_by_name_in_any_order(void)
{
	struct strbuf problem;
	struct user u;

	strbuf_init(&problem, 0);
	CHECK_INT(row_of("title,Device Name 2,mail id,  User Id ,DIRECTORY URI,device name 1,"
	    "HOME CLUSTER,UC SERVICE PROFILE,PRIMARY EXTENSION 2,PRIMARY EXTENSION 1\n"
	    "AE,BOTX,x@example.com,x,NULL,CSFX,t,SP_Jabber,2002,NULL\n", 0, &u, &problem), 0);
	CHECK_STR(u.userid, "x");
	CHECK_STR(u.title, "AE");
	CHECK_STR(u.mailid, "x@example.com");
	CHECK(u.directory_uri == NULL);
	CHECK_INT(u.home_cluster, 1);
	CHECK_INT(u.im_presence_enabled, -1);
	CHECK_STR(u.service_profile, "SP_Jabber");
	CHECK_STR(u.primary_extension, "2002");
	CHECK_INT(u.ndevices, 2);
	CHECK_STR(u.devices[0].name, "CSFX");
	CHECK_STR(u.devices[0].type, "CSF");
	CHECK_STR(u.devices[1].name, "BOTX");
	CHECK_STR(u.devices[1].type, "BOT");
	CHECK_STR(u.source, "bat:enduser.csv:2");
	user_release(&u);
	strbuf_release(&problem);
}

/*
 * A real CUCM 14 export keeps an E.164 directory number as a pattern with an
 * escaped plus ("\\+14922010003") and lists a user's lines as PRIMARY
 * EXTENSION n with TYPE PATTERN USAGE n (1 primary, 2 IPCC): the primary one is
 * the line marked primary, whatever its place.
 */
static void
test_primary_extension_by_pattern_usage(void)
{
	static const char hdr[] = "USER ID,TELEPHONE NUMBER,PRIMARY EXTENSION 1,TYPE PATTERN USAGE 1,"
	    "PRIMARY EXTENSION 2,TYPE PATTERN USAGE 2\r\n";
	static const struct { const char *row, *want; } cases[] = {
		{ "a,\\+14922010003,\\+14922010003,1,NULL,NULL", "+14922010003" },
		{ "a,NULL,8004,2,\\+14922010004,1", "+14922010004" },
		{ "a,NULL,8004,IPCC,4001,Primary", "4001" },
		{ "a,NULL,8004, ipcc ,4001,primary extension", "4001" },
		{ "a,NULL,8004,2,NULL,NULL", NULL },
		{ "a,NULL,7001,Device Intercom,NULL,NULL", NULL },
		{ "a,NULL,7001,3,4001,NULL", "4001" },
		{ "a,NULL,4001,Device,4002,Device", "4001" },
		{ "a,NULL,NULL,1,4002,2", NULL },
		{ "a,NULL,NULL,NULL,4002,", "4002" },
	};
	struct strbuf csv, problem;
	struct user u;

	strbuf_init(&csv, 0);
	strbuf_init(&problem, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		strbuf_reset(&csv);
		strbuf_addf(&csv, "%s%s\r\n", hdr, cases[i].row);
		CHECK_INT(row_of(csv.buf, 0, &u, &problem), 0);
		if (cases[i].want == NULL)
			CHECK(u.primary_extension == NULL);
		else
			CHECK_STR(u.primary_extension, cases[i].want);
		if (i == 0)
			CHECK_STR(u.telephone_number, "+14922010003");
		user_release(&u);
	}
	/* without TYPE PATTERN USAGE columns, the first line there is */
	CHECK_INT(row_of("USER ID,PRIMARY EXTENSION 1,PRIMARY EXTENSION 2\na,NULL,\\+4930123\n", 0, &u,
	    &problem), 0);
	CHECK_STR(u.primary_extension, "+4930123");
	user_release(&u);
	/* an Update Users file names the primary extension itself */
	CHECK_INT(row_of("USER ID,PRIMARY EXTENSION,PRIMARY EXTENSION 1,TYPE PATTERN USAGE 1\n"
	    "a,\\+4930124,4001,1\n", 0, &u, &problem), 0);
	CHECK_STR(u.primary_extension, "+4930124");
	user_release(&u);
	strbuf_release(&csv);
	strbuf_release(&problem);
}

static void
test_wide_device_groups(void)
{
	struct strbuf hdr, row, problem;
	struct user u;

	strbuf_init(&hdr, 0);
	strbuf_init(&row, 0);
	strbuf_init(&problem, 0);
	strbuf_addstr(&hdr, "USER ID");
	strbuf_addstr(&row, "wide");
	for (int i = 1; i <= 30; i++) {
		strbuf_addf(&hdr, ",DEVICE NAME %d,DESCRIPTION %d", i, i);
		strbuf_addf(&row, ",%s,desc", i % 3 == 0 ? "NULL" : i % 2 ? "CSFW" : "SEPW");
	}
	strbuf_addch(&hdr, '\n');
	strbuf_add(&hdr, row.buf, row.len);
	strbuf_addch(&hdr, '\n');
	CHECK_INT(row_of(hdr.buf, 0, &u, &problem), 0);
	CHECK_INT(u.ndevices, 20);
	user_release(&u);
	strbuf_release(&hdr);
	strbuf_release(&row);
	strbuf_release(&problem);
}

static void
test_unusable_rows_say_why(void)
{
	struct strbuf problem;
	struct user u;

	strbuf_init(&problem, 0);
	CHECK_INT(row_of("USER ID,MAIL ID\nNULL,a@x\n", 0, &u, &problem), 1);
	CHECK_STR(problem.buf, "no USER ID");
	CHECK_INT(row_of("USER ID,MAIL ID\nabc\n", 0, &u, &problem), 1);
	CHECK_STR(problem.buf, "row has 1 field but the header has 2");
	CHECK_INT(row_of("USER ID,LAST NAME\nabc,M\xfcller\n", 0, &u, &problem), 1);
	CHECK(strstr(problem.buf, "invalid UTF-8 in column 'LAST NAME'") != NULL);
	CHECK(strstr(problem.buf, "--encoding latin1") != NULL);
	strbuf_release(&problem);
}

static void
test_latin1_export(void)
{
	struct strbuf problem;
	struct user u;

	strbuf_init(&problem, 0);
	CHECK_INT(row_of("USER ID,LAST NAME\nabc,M\xfcller\n", 1, &u, &problem), 0);
	CHECK_STR(u.last_name, "M\xc3\xbcller");
	user_release(&u);
	strbuf_release(&problem);
}

static void
test_no_userid_column(void)
{
	struct csv_header h = { 0 };
	struct bat_map map;
	struct j2w_err err;
	char *names[] = { "NAME", "MAIL" }, *folded[] = { "NAME", "MAIL" };

	h.names = names;
	h.folded = folded;
	h.n = 2;
	CHECK_INT(bat_map_init(&map, &h, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_STR(err.msg, "no 'USER ID' column: not a BAT user export");
}

static void
test_export_tar_with_phone_csv_first(void)
{
	struct bat_export bx;
	struct strbuf problem;
	struct j2w_err err;
	struct user u;

	strbuf_init(&problem, 0);
	CHECK_INT(bat_export_open(&bx, TEST_DATA "/bat/export-mini.tar", 0, &err), 0);
	CHECK_INT(bx.records, 2);
	CHECK_INT(bat_export_next(&bx, &u, &problem, &err), 1);
	CHECK_STR(u.userid, "ann");
	CHECK_INT(u.ndevices, 3);
	CHECK_STR(u.devices[0].type, "Cisco 8865");
	CHECK_STR(u.devices[1].type, "CSF");
	CHECK_STR(u.devices[2].type, "TCT");
	CHECK_STR(u.source, "bat:" TEST_DATA "/bat/export-mini.tar/enduser.csv:2");
	user_release(&u);
	CHECK_INT(bat_export_next(&bx, &u, &problem, &err), 1);
	CHECK_STR(u.userid, "ben");
	CHECK_INT(u.ndevices, 0);
	user_release(&u);
	CHECK_INT(bat_export_next(&bx, &u, &problem, &err), 0);
	bat_export_close(&bx);
	strbuf_release(&problem);
}

static void
test_export_problems(void)
{
	struct bat_export bx;
	struct j2w_err err;
	const char *path = unit_tmpfile("enduser.csv");

	CHECK_INT(bat_export_open(&bx, "/nonexistent/enduser.csv", 0, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	/* gzip is read, but this is no tar (and cut short) */
	unit_write_file(path, "\x1f\x8b\x08\x00", 4);
	CHECK_INT(bat_export_open(&bx, path, 0, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "compressed, but holds no readable tar archive") != NULL);
	unit_write_file(path, "", 0);
	CHECK_INT(bat_export_open(&bx, path, 0, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	unit_write_file(path, "USER ID\n\"a\"b\n", 13);
	CHECK_INT(bat_export_open(&bx, path, 0, &err), -1);
	CHECK(strstr(err.msg, "enduser.csv:2: text after the closing quote") != NULL);
	remove(path);
}

UNIT_MAIN(TEST(test_columns_found_by_name_in_any_order),
    TEST(test_primary_extension_by_pattern_usage), TEST(test_wide_device_groups),
    TEST(test_unusable_rows_say_why), TEST(test_latin1_export), TEST(test_no_userid_column),
    TEST(test_export_tar_with_phone_csv_first), TEST(test_export_problems))
