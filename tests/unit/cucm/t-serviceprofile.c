/*
 * Unit tests for serviceprofile.csv: the config column, fragments, encodings,
 * names, and the way from a profile to the UC services it names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cucm/serviceprofile.h"
#include "unit.h"

static char *
conf(const char *cell, int *rc)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 20);
	*rc = serviceprofile_config_xml(cell, 0, &sb);
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

/* A UC service's XML: tags as written, values URL-encoded as CUCM Administration stores them. */
static void
test_config_from_service(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 20);
	CHECK_INT(serviceprofile_config_xml("<Options><AdminConfiguredBot>bot%40example.com"
	    "</AdminConfiguredBot></Options>", 1, &sb), 1);
	CHECK_STR(sb.buf, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config version=\"1.0\">\n"
	    "<Options><AdminConfiguredBot>bot@example.com</AdminConfiguredBot></Options>\n"
	    "</config>\n");
	strbuf_reset(&sb);
	/* the same cell from a profile's own column is written as it is */
	CHECK_INT(serviceprofile_config_xml("<Options><A>a%40b</A></Options>", 0, &sb), 1);
	CHECK(strstr(sb.buf, "<A>a%40b</A>") != NULL);
	strbuf_reset(&sb);
	CHECK_INT(serviceprofile_config_xml("NULL", 1, &sb), 0);
	CHECK_INT(serviceprofile_config_xml("  \r\n", 1, &sb), 0);
	strbuf_release(&sb);
}

/* Appends a ustar member (or the end blocks, name NULL) to fp. */
static void
tar_put(FILE *fp, const char *name, const char *data)
{
	unsigned char h[512] = { 0 };
	size_t n = data != NULL ? strlen(data) : 0;
	unsigned sum = 0;

	if (name == NULL) {
		fwrite(h, 1, sizeof(h), fp);
		fwrite(h, 1, sizeof(h), fp);
		return;
	}
	snprintf((char *)h, 100, "%s", name);
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0000000", 8);
	memcpy(h + 116, "0000000", 8);
	snprintf((char *)h + 124, 12, "%011lo", (unsigned long)(n & 077777777777));
	memcpy(h + 136, "14571221322", 12);
	memset(h + 148, ' ', 8);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	for (size_t i = 0; i < sizeof(h); i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
	fwrite(h, 1, sizeof(h), fp);
	fwrite(data, 1, n, fp);
	memset(h, 0, sizeof(h));
	fwrite(h, 1, (512 - n % 512) % 512, fp);
}

/* Writes a BAT export tar holding the members (name, content pairs); returns its path. */
static const char *
make_tar(const char *const *members, size_t n)
{
	static char tar[4096];
	FILE *fp;

	snprintf(tar, sizeof(tar), "%s", unit_tmpfile("export.tar"));
	fp = fopen(tar, "wb");
	if (fp == NULL)
		return NULL;
	for (size_t i = 0; i < n; i += 2)
		tar_put(fp, members[i], members[i + 1]);
	tar_put(fp, NULL, NULL);
	return fclose(fp) == 0 ? tar : NULL;
}

static const char sp_csv[] =
    "NAME,DESCRIPTION,IS DEFAULT,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_PRIMARY SERVER,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_SECONDARY SERVER,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_TERTIARY SERVER,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML\r\n"
    "SP_A,a,t,JC_Common,JC_Desk,NULL,NULL\r\n"
    "SP_B,b,f,jc_common,NULL,JC_Gone,\"<Options><A>own</A></Options>\"\r\n"
    "SP_C,c,f,NULL,NULL,NULL,\"<Options><A>old</A></Options>\"\r\n"
    "SP_D,d,f,JC_Gone,NULL,NULL,NULL\r\n"
    "SP_E,e,f,JC_Empty,NULL,NULL,\"<Options><A>own</A></Options>\"\r\n";
static const char uc_csv[] =
    "SERVICE TYPE,PRODUCT TYPE,NAME,DESCRIPTION,HOST NAME/IP ADDRESS,PORT,PROTOCOL,"
    "APPLICATION SERVER,XML\r\n"
    "Directory,Directory,JC_Common,,ldap.example.com,389,TCP,NULL,NULL\r\n"
    "Jabber Client Configuration (jabber-config.xml),Jabber,JC_Common,,NULL,NULL,NULL,NULL,"
    "<Options><AdminConfiguredBot>bot%40example.com</AdminConfiguredBot></Options>\r\n"
    "Jabber Client Configuration (jabber-config.xml),Jabber,JC_Desk,,NULL,NULL,NULL,NULL,"
    "<Client><PrtLogServerUrl>http%3A%2F%2Fprt.example.com%2Fprt.php</PrtLogServerUrl></Client>\r\n"
    "Jabber Client Configuration (jabber-config.xml),Jabber,JC_Empty,,NULL,NULL,NULL,NULL,NULL\r\n";

static void
test_resolve(void)
{
	const char *const members[] = { "header.txt", "File : serviceprofile.csv\n",
		"serviceprofile.csv", sp_csv, "ucservice.csv", uc_csv };
	const char *tar = make_tar(members, 6);
	struct serviceprofile_list l;
	struct serviceprofile_config cfg;
	struct j2w_err err;

	CHECK(tar != NULL);
	if (tar == NULL)
		return;
	CHECK_INT(serviceprofile_list_load(&l, tar, &err), 0);
	CHECK_INT(l.n, 5);
	CHECK_INT(l.uc.n, 4);
	CHECK(strstr(l.uc.label, "/ucservice.csv") != NULL);
	CHECK_STR(l.p[0].service[SP_COMMON], "JC_Common");
	CHECK_STR(l.p[0].service[SP_DESKTOP], "JC_Desk");
	CHECK(l.p[0].service[SP_MOBILE] == NULL);
	/* the Jabber service of that name, not the Directory one */
	serviceprofile_resolve(&l, &l.p[0], SP_COMMON, &cfg);
	CHECK(cfg.cell != NULL && strstr(cfg.cell, "bot%40example.com") != NULL);
	CHECK_INT(cfg.from_service, 1);
	CHECK_INT(cfg.line, 3);
	CHECK_INT(cfg.missing, 0);
	serviceprofile_resolve(&l, &l.p[0], SP_DESKTOP, &cfg);
	CHECK(cfg.cell != NULL && strstr(cfg.cell, "PrtLogServerUrl") != NULL);
	serviceprofile_resolve(&l, &l.p[0], SP_MOBILE, &cfg);
	CHECK(cfg.cell == NULL);
	CHECK_INT(cfg.missing, 0);
	/* another letter case finds it; a missing mobile service is reported, not invented */
	serviceprofile_resolve(&l, &l.p[1], SP_COMMON, &cfg);
	CHECK_INT(cfg.from_service, 1);
	serviceprofile_resolve(&l, &l.p[1], SP_MOBILE, &cfg);
	CHECK(cfg.cell == NULL);
	CHECK_INT(cfg.missing, 1);
	CHECK_STR(cfg.service, "JC_Gone");
	/* no UC service named: the profile's own column (before 12.5) */
	serviceprofile_resolve(&l, &l.p[2], SP_COMMON, &cfg);
	CHECK_STR(cfg.cell, "<Options><A>old</A></Options>");
	CHECK_INT(cfg.from_service, 0);
	CHECK_INT(cfg.line, 4);
	serviceprofile_resolve(&l, &l.p[3], SP_COMMON, &cfg);
	CHECK(cfg.cell == NULL);
	CHECK_INT(cfg.missing, 1);
	/* a service without XML: the profile's own column again */
	serviceprofile_resolve(&l, &l.p[4], SP_COMMON, &cfg);
	CHECK_STR(cfg.cell, "<Options><A>own</A></Options>");
	CHECK_INT(cfg.missing, 0);
	serviceprofile_list_release(&l);
}

static void
test_sibling_ucservice(void)
{
	char dir[4096], path[4200], uc[4200];
	struct serviceprofile_list l;
	struct serviceprofile_config cfg;
	struct j2w_err err;

	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("export.d"));
	CHECK(mkdir(dir, 0700) == 0 || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/serviceprofile.csv", dir);
	snprintf(uc, sizeof(uc), "%s/UCSERVICE.CSV", dir);
	CHECK_INT(unit_write_file(path, sp_csv, strlen(sp_csv)), 0);
	remove(uc);
	CHECK_INT(serviceprofile_list_load(&l, path, &err), 0);
	CHECK(l.uc.label == NULL);
	serviceprofile_resolve(&l, &l.p[0], SP_COMMON, &cfg);
	CHECK_INT(cfg.missing, 1);
	serviceprofile_list_release(&l);
	CHECK_INT(unit_write_file(uc, uc_csv, strlen(uc_csv)), 0);
	CHECK_INT(serviceprofile_list_load(&l, path, &err), 0);
	CHECK(l.uc.label != NULL);
	serviceprofile_resolve(&l, &l.p[0], SP_COMMON, &cfg);
	CHECK_INT(cfg.from_service, 1);
	serviceprofile_list_release(&l);
	CHECK_INT(unit_write_file(uc, "NAME,DESCRIPTION\r\nx,y\r\n", 21), 0);
	CHECK_INT(serviceprofile_list_load(&l, path, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "UCSERVICE.CSV:1: no 'XML' column") != NULL);
	remove(uc);
	remove(path);
	rmdir(dir);
}

UNIT_MAIN(TEST(test_config_cells), TEST(test_file_names), TEST(test_load_csv),
    TEST(test_config_from_service), TEST(test_resolve), TEST(test_sibling_ucservice))
