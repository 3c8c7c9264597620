/* Unit tests for spextract: extract's files, names, clashes, notes and summary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cucm/spextract.h"
#include "jabber/jabfiles.h"
#include "unit.h"

static const char sp_csv[] =
    "NAME,DESCRIPTION,IS DEFAULT,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_PRIMARY SERVER,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_SECONDARY SERVER,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_TERTIARY SERVER,"
    "JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML\r\n"
    "SP A,a,t,JC_Common,JC_Desk,NULL,NULL\r\n"
    "SP_A,b,f,NULL,NULL,JC_Gone,\"<Options><A>own</A></Options>\"\r\n"
    "SP_C,c,f,NULL,NULL,NULL,NULL\r\n"
    "SP_D,d,f,JC_Gone,NULL,NULL,NULL\r\n";
static const char uc_csv[] =
    "SERVICE TYPE,PRODUCT TYPE,NAME,DESCRIPTION,HOST NAME/IP ADDRESS,PORT,PROTOCOL,"
    "APPLICATION SERVER,XML\r\n"
    "Jabber Client Configuration (jabber-config.xml),Jabber,JC_Common,,NULL,NULL,NULL,NULL,"
    "<Options><AdminConfiguredBot>bot%40example.com</AdminConfiguredBot></Options>\r\n"
    "Jabber Client Configuration (jabber-config.xml),Jabber,JC_Desk,,NULL,NULL,NULL,NULL,"
    "<Client><PrtLogServerUrl>x</PrtLogServerUrl></Client>\r\n";

static void
load(struct serviceprofile_list *l, int with_uc, char *dir, size_t len)
{
	char path[4200];
	struct j2w_err err;

	snprintf(dir, len, "%s", unit_tmpfile(with_uc ? "sp-uc.d" : "sp.d"));
	CHECK(mkdir(dir, 0700) == 0 || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/ucservice.csv", dir);
	if (with_uc)
		CHECK_INT(unit_write_file(path, uc_csv, strlen(uc_csv)), 0);
	snprintf(path, sizeof(path), "%s/serviceprofile.csv", dir);
	CHECK_INT(unit_write_file(path, sp_csv, strlen(sp_csv)), 0);
	CHECK_INT(serviceprofile_list_load(l, path, &err), 0);
}

static void
unload(struct serviceprofile_list *l, const char *dir)
{
	char path[4200];

	serviceprofile_list_release(l);
	snprintf(path, sizeof(path), "%s/ucservice.csv", dir);
	remove(path);
	snprintf(path, sizeof(path), "%s/serviceprofile.csv", dir);
	remove(path);
	rmdir(dir);
}

static void
test_plan(void)
{
	struct serviceprofile_list l;
	struct spextract_plan plan;
	struct j2w_err err;
	struct strbuf sb;
	char dir[4096];

	load(&l, 1, dir, sizeof(dir));
	CHECK_INT(spextract_plan(&plan, &l, "out", jabfiles_extract_path, 1 << 20, &err), 0);
	CHECK_INT(plan.nfiles, 3);
	CHECK_STR(plan.paths[0].buf, "out/jabber-config-SP_A.xml");
	CHECK_STR(plan.paths[1].buf, "out/jabber-config-SP_A-desktop.xml");
	/* the second profile has the first one's file name: its line goes in */
	CHECK_STR(plan.paths[2].buf, "out/jabber-config-SP_A-line3.xml");
	CHECK_INT(plan.files[2].profile, 1);
	CHECK(strstr(plan.files[0].xml.buf, "bot%40example.com") == NULL);
	CHECK(strstr(plan.files[0].xml.buf, "bot@example.com") != NULL);
	CHECK_INT(plan.nnotes, 3);
	if (plan.nnotes < 3)
		return;
	CHECK(strstr(plan.notes[0].msg, ":3: profile 'SP_A' has the same file name as line 2; "
	    "writing it with -line3") != NULL);
	CHECK_INT(plan.notes[0].before, 2);
	/* only the Common client falls back on the profile's own column */
	CHECK(strstr(plan.notes[1].msg, ":3: profile 'SP_A' names UC service 'JC_Gone' for mobile "
	    "clients, which is not in ") != NULL);
	CHECK_INT(plan.notes[1].before, 3);
	CHECK(strstr(plan.notes[2].msg, ":5: profile 'SP_D' names UC service 'JC_Gone' for common "
	    "clients") != NULL);
	CHECK_INT(plan.notes[2].before, 3);
	CHECK_INT(plan.missing, 2);
	CHECK_INT(plan.without, 1);
	strbuf_init(&sb, 0);
	spextract_describe(&plan, &sb);
	CHECK(strstr(sb.buf, "serviceprofile.csv: 4 service profiles, 3 files written, 1 without "
	    "a client configuration, 2 UC services not found") != NULL);
	strbuf_release(&sb);
	spextract_plan_release(&plan);
	unload(&l, dir);
}

static void
test_no_ucservice(void)
{
	struct serviceprofile_list l;
	struct spextract_plan plan;
	struct j2w_err err;
	char dir[4096];

	load(&l, 0, dir, sizeof(dir));
	CHECK_INT(spextract_plan(&plan, &l, "o", jabfiles_extract_path, 1 << 20, &err), 0);
	CHECK_INT(plan.nfiles, 1);
	CHECK_STR(plan.paths[0].buf, "o/jabber-config-SP_A.xml");
	CHECK(strstr(plan.notes[0].msg, "and there is no ucservice.csv to find it in") != NULL);
	CHECK_INT(plan.missing, 4);
	spextract_plan_release(&plan);
	unload(&l, dir);
}

static void
test_too_large(void)
{
	struct serviceprofile_list l;
	struct spextract_plan plan;
	struct j2w_err err;
	char dir[4096];

	load(&l, 1, dir, sizeof(dir));
	CHECK_INT(spextract_plan(&plan, &l, "out", jabfiles_extract_path, 16, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, ":2: the client configuration of 'SP A' is too large") != NULL);
	CHECK_INT(plan.nfiles, 0);
	spextract_plan_release(&plan);
	unload(&l, dir);
}

UNIT_MAIN(TEST(test_plan), TEST(test_no_ucservice), TEST(test_too_large))
