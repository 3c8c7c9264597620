/* Unit tests for Control Hub CSV templates, part names and packing. */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "webex/ctcsv.h"

static void
test_template_cells(void)
{
	static const char text[] = "# comment\n\nEmail\twebex_email|mailid\nPhone\tphone\tphone\r\n"
	    "Kind\t'user'\nEmpty\t\nOn\tflag\nN\tcount\n";
	struct ctcsv_template t;
	struct j2w_err err;
	const char *cells[6];
	char scratch[6 * 32];
	json_t *rec = json_pack("{s:s, s:s, s:b, s:i, s:s}", "mailid", "a@x.com", "phone", "+1",
	    "flag", 1, "count", 42, "webex_email", "");

	CHECK_INT(ctcsv_template_parse(&t, text, strlen(text), "t.tsv", &err), 0);
	CHECK_INT(t.n, 6);
	CHECK_INT(t.phone[1], 1);
	CHECK_INT(t.phone[0], 0);
	ctcsv_template_cells(&t, rec, cells, scratch);
	CHECK_STR(cells[0], "a@x.com");
	CHECK_STR(cells[1], "+1");
	CHECK_STR(cells[2], "user");
	CHECK_STR(cells[3], "");
	CHECK_STR(cells[4], "TRUE");
	CHECK_STR(cells[5], "42");
	ctcsv_template_headers(&t, cells);
	CHECK_STR(cells[0], "Email");
	ctcsv_template_release(&t);
	json_decref(rec);
}

/* Records carry numbers as dialled; older ones may still hold CUCM's "\+". */
static void
test_phone_cells_drop_cucm_escape(void)
{
	static const char text[] = "Phone Number\ttelephone_number\tphone\nNote\tnote\n";
	struct ctcsv_template t;
	struct j2w_err err;
	const char *cells[2];
	char scratch[2 * 32];
	json_t *rec = json_pack("{s:s, s:s}", "telephone_number", "\\+14922010003", "note", "\\+1");

	CHECK_INT(ctcsv_template_parse(&t, text, strlen(text), "t.tsv", &err), 0);
	ctcsv_template_cells(&t, rec, cells, scratch);
	CHECK_STR(cells[0], "+14922010003");
	CHECK_STR(cells[1], "\\+1");
	json_decref(rec);
	rec = json_pack("{s:s}", "telephone_number", "+14922010003");
	ctcsv_template_cells(&t, rec, cells, scratch);
	CHECK_STR(cells[0], "+14922010003");
	json_decref(rec);
	ctcsv_template_release(&t);
}

static void
test_template_errors(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "Email\n", "t.tsv:1: expected HEADER<TAB>SOURCE" },
		{ "\tmailid\n", "t.tsv:1: empty column header" },
		{ "A\tmail id\n", "t.tsv:1: a source is record keys" },
		{ "A\ta||b\n", "t.tsv:1: a source is record keys" },
		{ "A\t'x\n", "t.tsv:1: a literal must be 'quoted'" },
		{ "A\tx\tmobile\n", "t.tsv:1: the third field may only be 'phone'" },
		{ "# only comments\n", "t.tsv: no columns" },
	};
	struct ctcsv_template t;
	struct j2w_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(ctcsv_template_parse(&t, bad[i].text, strlen(bad[i].text), "t.tsv", &err), -1);
		if (strncmp(err.msg, bad[i].msg, strlen(bad[i].msg)) != 0)
			CHECK_STR(err.msg, bad[i].msg);
		CHECK_INT(err.status, J2W_EDATA);
	}
}

static void
test_part_names(void)
{
	char *s;

	s = ctcsv_part_name("users.csv", 1);
	CHECK_STR(s, "users-001.csv");
	free(s);
	s = ctcsv_part_name("out/dir.d/users", 12);
	CHECK_STR(s, "out/dir.d/users-012");
	free(s);
	s = ctcsv_part_name(".hidden", 2);
	CHECK_STR(s, ".hidden-002");
	free(s);
}

static void
test_pack_keeps_groups_whole(void)
{
	size_t rows[] = { 2, 1, 2, 1, 3, 3 }, file[6];

	CHECK_INT(ctcsv_pack(rows, 6, 3, file), 4);
	CHECK_INT(file[0], 0);
	CHECK_INT(file[1], 0);
	CHECK_INT(file[2], 1);
	CHECK_INT(file[3], 1);
	CHECK_INT(file[4], 2);
	CHECK_INT(file[5], 3);
	CHECK_INT(ctcsv_pack(rows, 0, 3, file), 0);
}

UNIT_MAIN(TEST(test_template_cells), TEST(test_phone_cells_drop_cucm_escape),
    TEST(test_template_errors), TEST(test_part_names),
    TEST(test_pack_keeps_groups_whole))
