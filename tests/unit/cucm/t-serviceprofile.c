/* Unit tests for serviceprofile.csv: the config column, fragments, encodings, names. */
#include <stdlib.h>
#include <string.h>

#include "cucm/serviceprofile.h"
#include "unit.h"

static char *
conf(const char *cell, int *rc)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 20);
	*rc = serviceprofile_config_xml(cell, &sb);
	return strbuf_detach(&sb, NULL);
}

static void
test_config_cells(void)
{
	int rc;
	char *s;

	s = conf("NULL", &rc);
	CHECK_INT(rc, 0);
	free(s);
	s = conf("  ", &rc);
	CHECK_INT(rc, 0);
	free(s);
	s = conf(NULL, &rc);
	CHECK_INT(rc, 0);
	free(s);
	s = conf("<Options><A>1</A></Options>", &rc);
	CHECK_INT(rc, 1);
	CHECK_STR(s, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config version=\"1.0\">\n"
	    "<Options><A>1</A></Options>\n</config>\n");
	free(s);
	s = conf("<config version=\"1.0\"/>", &rc);
	CHECK_STR(s, "<config version=\"1.0\"/>\n");
	free(s);
	s = conf("%3COptions%3E%3CA%3E1%3C%2FA%3E%3C%2FOptions%3E", &rc);
	CHECK_STR(s, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config version=\"1.0\">\n"
	    "<Options><A>1</A></Options>\n</config>\n");
	free(s);
	s = conf("%3c%zz%", &rc);	/* junk escapes are kept as they are */
	CHECK_INT(rc, 1);
	CHECK(strstr(s, "<%zz%") != NULL);
	free(s);
}

static void
test_file_names(void)
{
	static const char *const in[] = { "SP_Jabber", "SP/Ops Team", "..", "", "a\nb", "../../etc" };
	static const char *const out[] = { "SP_Jabber", "SP_Ops_Team", "_", "_", "a_b", ".._.._etc" };

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct strbuf sb;

		strbuf_init(&sb, 0);
		CHECK_INT(serviceprofile_file_name(in[i], &sb), 0);
		CHECK_STR(sb.buf, out[i]);
		CHECK(strchr(sb.buf, '/') == NULL);
		strbuf_release(&sb);
	}
}

static void
test_load_csv(void)
{
	static const char csv[] =
	    "\xEF\xBB\xBFNAME,DESCRIPTION,Jabber Client Configuration (jabber-config.xml)_XML\r\n"
	    "SP_A,\"a, b\",\"<Options>\n<A>1</A></Options>\"\r\n"
	    "SP_B,b,NULL\r\n";
	const char *path = unit_tmpfile("serviceprofile.csv");
	struct serviceprofile_list l;
	struct j2w_err err;

	CHECK_INT(unit_write_file(path, csv, strlen(csv)), 0);
	CHECK_INT(serviceprofile_list_load(&l, path, &err), 0);
	CHECK_INT(l.n, 2);
	CHECK_STR(l.p[0].name, "SP_A");
	CHECK_STR(l.p[0].xml, "<Options>\n<A>1</A></Options>");
	CHECK_INT(l.p[1].line, 4);
	CHECK(l.p[1].xml == NULL);
	serviceprofile_list_release(&l);

	CHECK_INT(unit_write_file(path, "NAME\nx\n", 7), 0);
	CHECK_INT(serviceprofile_list_load(&l, path, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(unit_write_file(path, "\x1f\x8b\x08\x00", 4), 0);
	CHECK_INT(serviceprofile_list_load(&l, path, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "compressed, but holds no readable tar archive") != NULL);
	CHECK_INT(serviceprofile_list_load(&l, "/no/such/serviceprofile.csv", &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
}

UNIT_MAIN(TEST(test_config_cells), TEST(test_file_names), TEST(test_load_csv))
