/* Unit tests for user records: NULL handling, GUIDs, JSON both ways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/user.h"
#include "unit.h"
#include "util/jsonl.h"

static void
test_absent_values_are_absent(void)
{
	struct user u;
	json_t *obj;
	char *s;

	user_init(&u);
	CHECK_INT(user_set(&u.userid, "alice"), 0);
	CHECK_INT(user_set(&u.mailid, "NULL"), 0);
	CHECK_INT(user_set(&u.title, ""), 0);
	CHECK(u.mailid == NULL && u.title == NULL);
	obj = user_to_json(&u);
	s = json_dumps(obj, JSON_COMPACT);
	CHECK_STR(s, "{\"userid\":\"alice\"}");
	free(s);
	json_decref(obj);
	user_release(&u);
}

static void
test_booleans(void)
{
	CHECK_INT(user_parse_bool("t"), 1);
	CHECK_INT(user_parse_bool("TRUE"), 1);
	CHECK_INT(user_parse_bool("1"), 1);
	CHECK_INT(user_parse_bool("f"), 0);
	CHECK_INT(user_parse_bool("false"), 0);
	CHECK_INT(user_parse_bool("0"), 0);
	CHECK_INT(user_parse_bool("yes"), -1);
	CHECK_INT(user_parse_bool(""), -1);
	CHECK_INT(user_parse_bool(NULL), -1);
}

static void
test_uuid_forms(void)
{
	char *s = user_uuid_normalise("f5653a7d-1d91-f407-631f-01b29dc25eaa");

	CHECK_STR(s, "{F5653A7D-1D91-F407-631F-01B29DC25EAA}");
	free(s);
	s = user_uuid_normalise("{f5653a7d-1d91-f407-631f-01b29dc25eaa}");
	CHECK_STR(s, "{F5653A7D-1D91-F407-631F-01B29DC25EAA}");
	free(s);
	CHECK(user_uuid_normalise("f5653a7d1d91f407631f01b29dc25eaa") == NULL);
	CHECK(user_uuid_normalise("g5653a7d-1d91-f407-631f-01b29dc25eaa") == NULL);
	CHECK(user_uuid_normalise("{f5653a7d-1d91-f407-631f-01b29dc25eaa") == NULL);
	CHECK(user_uuid_normalise("") == NULL);
}

/* CUCM's E.164 patterns carry an escaped plus; records carry the number as dialled. */
static void
test_numbers_as_dialled(void)
{
	struct j2w_err err;
	struct user u;
	json_t *obj;
	char *n = NULL;

	CHECK_INT(user_set_number(&n, "\\+14922010003"), 0);
	CHECK_STR(n, "+14922010003");
	CHECK_INT(user_set_number(&n, "1001"), 0);
	CHECK_STR(n, "1001");
	CHECK_INT(user_set_number(&n, "+1 408 555 0100"), 0);
	CHECK_STR(n, "+1 408 555 0100");
	CHECK_INT(user_set_number(&n, "\\"), 0);
	CHECK_STR(n, "\\");
	CHECK_INT(user_set_number(&n, "NULL"), 0);
	CHECK(n == NULL);
	CHECK_INT(user_set_number(&n, "\\+"), 0);
	CHECK_STR(n, "+");
	free(n);
	/* records written by the first release still carry the escape */
	obj = json_loads("{\"userid\":\"a\",\"telephone_number\":\"\\\\+14922010003\","
	    "\"primary_extension\":\"\\\\+14922010004\"}", 0, NULL);
	CHECK_INT(user_from_json(&u, obj, &err), 0);
	CHECK_STR(u.telephone_number, "+14922010003");
	CHECK_STR(u.primary_extension, "+14922010004");
	user_release(&u);
	json_decref(obj);
}

static void
test_json_round_trip_keeps_order(void)
{
	static const char line[] =
	    "{\"userid\":\"alice\",\"first_name\":\"Alice\",\"mailid\":\"a@x\",\"home_cluster\":true,"
	    "\"devices\":[{\"name\":\"CSFALICE\",\"type\":\"CSF\"},{\"name\":\"SEP1\"}],"
	    "\"source\":\"axl:cucm\"}";
	struct j2w_err err;
	struct user u;
	json_t *in = json_loads(line, 0, NULL), *out;
	char *s;

	CHECK_INT(user_from_json(&u, in, &err), 0);
	CHECK_INT(u.ndevices, 2);
	CHECK(u.devices[1].type == NULL);
	CHECK_INT(u.im_presence_enabled, -1);
	out = user_to_json(&u);
	s = json_dumps(out, JSON_COMPACT);
	CHECK_STR(s, line);
	free(s);
	json_decref(out);
	json_decref(in);
	user_release(&u);
}

static void
test_json_wrong_types_are_bad_data(void)
{
	const char *bad[] = {
		"{\"first_name\":\"no id\"}",
		"{\"userid\":42}",
		"{\"userid\":\"a\",\"home_cluster\":\"yes\"}",
		"{\"userid\":\"a\",\"devices\":{}}",
		"{\"userid\":\"a\",\"devices\":[{\"type\":\"CSF\"}]}",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct j2w_err err;
		struct user u;
		json_t *in = json_loads(bad[i], 0, NULL);

		CHECK_INT(user_from_json(&u, in, &err), -1);
		CHECK_INT(err.status, J2W_EDATA);
		json_decref(in);
	}
}

static void
test_cells(void)
{
	const char *cells[USER_NCOLUMNS];
	char *scratch;
	struct user u;

	user_init(&u);
	user_set(&u.userid, "bob");
	u.home_cluster = 0;
	user_add_device(&u, "CSFBOB", "CSF");
	user_add_device(&u, "SEP1", NULL);
	CHECK_INT(user_to_cells(&u, cells, &scratch), 0);
	CHECK_STR(cells[0], "bob");
	CHECK_STR(cells[11], "false");
	CHECK(cells[12] == NULL);
	CHECK_STR(cells[15], "CSFBOB:CSF;SEP1");
	CHECK_STR(user_columns[15], "devices");
	free(scratch);
	user_release(&u);
}

/* The fast writer must give exactly jansson's compact bytes, escapes included. */
static void
test_direct_writer_matches_jansson(void)
{
	static const char *const values[] = {
		"plain", "quote \" and \\ backslash", "tab\tnew\nline\rcr", "\x01\x1f\x7f",
		"Zo\xc3\xab \xe7\x8e\x8b\xe4\xbc\x9f \xf0\x9f\x98\x80", "</script>", "a/b", "",
	};
	size_t nv = sizeof(values) / sizeof(values[0]);

	for (size_t i = 0; i < 64; i++) {
		struct strbuf sb;
		struct user u;
		json_t *obj;
		char *want;

		user_init(&u);
		user_set(&u.userid, values[i % nv][0] ? values[i % nv] : "x");
		if (i & 1)
			user_set(&u.first_name, values[(i / 2) % nv]);
		if (i & 2)
			user_set(&u.directory_uri, values[(i / 3) % nv]);
		if (i & 4)
			u.home_cluster = (int)(i & 8) ? 1 : 0;
		if (i & 16)
			user_add_device(&u, values[i % nv][0] ? values[i % nv] : "SEP1", i & 32 ? "CSF" : NULL);
		if (i & 32)
			user_set(&u.source, "bat:enduser.csv:2");
		obj = user_to_json(&u);
		want = json_dumps(obj, JSON_COMPACT);
		strbuf_init(&sb, 0);
		CHECK_INT(user_write_json(&u, &sb), 0);
		CHECK(sb.len > 0 && sb.buf[sb.len - 1] == '\n');
		sb.buf[--sb.len] = '\0';
		CHECK_STR(sb.buf, want);
		free(want);
		json_decref(obj);
		strbuf_release(&sb);
		user_release(&u);
	}
}

static void
test_out_forms(void)
{
	struct user_out o;
	struct user u;
	struct j2w_err err;
	FILE *fp = tmpfile();

	user_init(&u);
	user_set(&u.userid, "ann");
	user_set(&u.telephone_number, "+14085550100");
	user_set(&u.primary_extension, "+14085550101");
	user_set(&u.title, "+cmd");
	user_out_init(&o, fp, 0);
	CHECK_INT(user_out_put(&o, &u, &err), 0);
	CHECK_INT(user_out_put(&o, &u, &err), 0);
	CHECK_STR(unit_written(fp), "{\"userid\":\"ann\",\"telephone_number\":\"+14085550100\","
	    "\"primary_extension\":\"+14085550101\",\"title\":\"+cmd\"}\n"
	    "{\"userid\":\"ann\",\"telephone_number\":\"+14085550100\","
	    "\"primary_extension\":\"+14085550101\",\"title\":\"+cmd\"}\n");
	user_out_release(&o);
	fclose(fp);

	/* a table: the header once; the numbers keep their '+', a formula does not start */
	fp = tmpfile();
	user_out_init(&o, fp, ',');
	CHECK_INT(user_out_put(&o, &u, &err), 0);
	CHECK_INT(user_out_put(&o, &u, &err), 0);
	CHECK_STR(unit_written(fp), "userid,first_name,last_name,display_name,mailid,directory_uri,"
	    "telephone_number,primary_extension,department,title,manager,home_cluster,"
	    "im_presence_enabled,service_profile,uuid,devices,source\r\n"
	    "ann,,,,,,+14085550100,+14085550101,,'+cmd,,,,,,,\r\n"
	    "ann,,,,,,+14085550100,+14085550101,,'+cmd,,,,,,,\r\n");
	user_out_release(&o);
	fclose(fp);

	fp = tmpfile();
	user_out_init(&o, fp, '\t');
	CHECK_INT(user_out_put(&o, &u, &err), 0);
	CHECK(strncmp(unit_written(fp), "userid\tfirst_name\t", 18) == 0);
	CHECK(strstr(unit_written(fp), "\nann\t\t\t\t\t\t+14085550100\t+14085550101\t") != NULL);
	user_out_release(&o);
	fclose(fp);
	user_release(&u);
}

static void
test_out_write_error(void)
{
	const char *path = unit_tmpfile("user-out-ro.txt");
	struct user_out o;
	struct user u;
	struct j2w_err err;
	FILE *fp;

	CHECK_INT(unit_write_file(path, "", 0), 0);
	fp = fopen(path, "r");	/* a stream that cannot be written */
	user_init(&u);
	user_set(&u.userid, "ann");
	user_out_init(&o, fp, 0);
	CHECK_INT(user_out_put(&o, &u, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strncmp(err.msg, "cannot write output: ", 21) == 0);
	user_out_release(&o);
	user_release(&u);
	fclose(fp);
	remove(path);
}

UNIT_MAIN(TEST(test_direct_writer_matches_jansson), TEST(test_absent_values_are_absent), TEST(test_booleans), TEST(test_uuid_forms),
    TEST(test_numbers_as_dialled),
    TEST(test_json_round_trip_keeps_order), TEST(test_json_wrong_types_are_bad_data),
    TEST(test_cells), TEST(test_out_forms), TEST(test_out_write_error))
