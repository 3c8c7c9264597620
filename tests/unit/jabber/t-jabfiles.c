/* Unit tests for reading jabber-config files and templates, and the names of the files written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jabber/jabfiles.h"
#include "unit.h"
#include "util/xmlsafe.h"

static char dir[4096];		/* a scratch directory for this run */

static const char *
path_in(const char *name)
{
	static char buf[2][4200];
	static int k;

	k = !k;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void
put(const char *name, const char *text)
{
	CHECK_INT(unit_write_file(path_in(name), text, strlen(text)), 0);
}

static void
test_setup(void)
{
	xmlsafe_init();
	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("jabfiles"));
	CHECK_INT(mkdir(dir, 0700), 0);
}

static void
test_read(void)
{
	struct strbuf sb;
	struct j2w_err err;
	FILE *fp;

	put("a.xml", "<config/>\n");
	CHECK_INT(jabfiles_read(path_in("a.xml"), &sb, &err), 0);
	CHECK_STR(sb.buf, "<config/>\n");
	strbuf_release(&sb);
	CHECK_INT(jabfiles_read(path_in("none.xml"), &sb, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strncmp(err.msg, "cannot open '", 13) == 0);
	strbuf_release(&sb);
	/* a directory cannot be opened as an input, as a missing file cannot (SPEC: exit 2) */
	CHECK_INT(jabfiles_read(dir, &sb, &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "': Is a directory") != NULL);
	strbuf_release(&sb);
	/* past the cap, one byte more than allowed is kept: the parser refuses it */
	fp = fopen(path_in("big.xml"), "wb");
	if (CHECK(fp != NULL)) {
		static char chunk[65536];

		memset(chunk, ' ', sizeof(chunk));
		for (size_t n = 0; n < JC_DOC_MAX + sizeof(chunk); n += sizeof(chunk))
			fwrite(chunk, 1, sizeof(chunk), fp);
		fclose(fp);
		CHECK_INT(jabfiles_read(path_in("big.xml"), &sb, &err), 0);
		CHECK_INT(sb.len, JC_DOC_MAX + 1);
		strbuf_release(&sb);
		unlink(path_in("big.xml"));
	}
}

static void
test_load_config(void)
{
	struct jabcfg_doc doc;
	struct j2w_err err;

	put("ok.xml", "<config version=\"1.0\"><Policies><A>1</A></Policies></config>");
	CHECK_INT(jabfiles_load_config(&doc, path_in("ok.xml"), &err), 0);
	CHECK_INT(doc.n, 3);
	jabcfg_release(&doc);
	put("root.xml", "<?xml version=\"1.0\"?>\n\n<conf/>");
	CHECK_INT(jabfiles_load_config(&doc, path_in("root.xml"), &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "root.xml:3: the root element is <conf>, not <config>") != NULL);
	CHECK(doc.buf == NULL && doc.n == 0);
	put("xxe.xml", "<!DOCTYPE c [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><config>&e;</config>");
	CHECK_INT(jabfiles_load_config(&doc, path_in("xxe.xml"), &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	put("empty.xml", "");
	CHECK_INT(jabfiles_load_config(&doc, path_in("empty.xml"), &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK_INT(jabfiles_load_config(&doc, path_in("none.xml"), &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
}

static void
test_template_names(void)
{
	static const char *const bad[] = {
		"", "../jabber-params", "a/b", "Migration", "a b", "a.xml", "x\n", "\xc3\xa9",
	};

	CHECK(jabfiles_template_name_ok("migration"));
	CHECK(jabfiles_template_name_ok("cross-launch"));
	CHECK(jabfiles_template_name_ok("v2"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK(!jabfiles_template_name_ok(bad[i])))
			printf("# accepted: '%s'\n", bad[i]);
}

static void
test_templates(void)
{
	struct jabcfg_doc doc;
	struct jabparams_dict dict;
	struct j2w_err err;

	CHECK_INT(jabfiles_template("templates", "cross-launch", &doc, &err), 0);
	CHECK(jabcfg_child(&doc, 0, "Directory") >= 0);
	jabcfg_release(&doc);
	CHECK_INT(jabfiles_template("templates", "nosuch", &doc, &err), 1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strncmp(err.msg, "no template 'nosuch' (templates/jabber-config/nosuch.xml: ", 58) == 0);
	/* a name that is a path never leaves the directory */
	CHECK_INT(jabfiles_template("templates", "../jabber-params", &doc, &err), 1);
	CHECK_INT(jabfiles_template("templates", "", &doc, &err), 1);
	/* a broken template is bad data */
	CHECK_INT(mkdir(path_in("jabber-config"), 0700), 0);
	put("jabber-config/broken.xml", "<config><Policies></config>");
	CHECK_INT(jabfiles_template(dir, "broken", &doc, &err), -1);
	CHECK_INT(err.status, J2W_EDATA);
	CHECK(strstr(err.msg, "broken.xml") != NULL);
	unlink(path_in("jabber-config/broken.xml"));
	rmdir(path_in("jabber-config"));

	CHECK_INT(jabfiles_dict("templates", &dict, &err), 0);
	CHECK(jabparams_find(&dict, "EnableCallPark") != NULL);
	jabparams_dict_release(&dict);
	CHECK_INT(jabfiles_dict(dir, &dict, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
}

static void
test_base(void)
{
	struct jabcfg_doc doc;
	struct j2w_err err;

	memset(&doc, 0, sizeof(doc));
	CHECK_STR(jabfiles_base(&doc, NULL, &err), "new file");
	CHECK_STR(doc.el[0].name, "config");
	CHECK_INT(doc.n, 1);
	CHECK(strstr(doc.buf, "<config version=\"1.0\">") != NULL);
	/* a template already there stays the base */
	CHECK_STR(jabfiles_base(&doc, NULL, &err), "template");
	jabcfg_release(&doc);
	put("m.xml", "<config version=\"1.0\"><!-- mine --></config>");
	CHECK_STR(jabfiles_base(&doc, path_in("m.xml"), &err), path_in("m.xml"));
	CHECK(strstr(doc.buf, "<!-- mine -->") != NULL);
	jabcfg_release(&doc);
	put("r.xml", "<Policies/>");
	CHECK(jabfiles_base(&doc, path_in("r.xml"), &err) == NULL);
	CHECK_INT(err.status, J2W_EDATA);
}

static void
test_output_names(void)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	jabfiles_output_name(NULL, NULL, &sb);
	CHECK_STR(sb.buf, "jabber-config.xml");
	strbuf_reset(&sb);
	jabfiles_output_name(NULL, "sales", &sb);
	CHECK_STR(sb.buf, "jabber-config-sales.xml");
	strbuf_reset(&sb);
	jabfiles_output_name("-", "sales", &sb);
	CHECK_STR(sb.buf, "-");
	strbuf_release(&sb);
	CHECK(jabfiles_group_name_ok("sales"));
	CHECK(jabfiles_group_name_ok("EMEA sales.v2"));
	CHECK(!jabfiles_group_name_ok(""));
	CHECK(!jabfiles_group_name_ok("a/b"));
	CHECK(!jabfiles_group_name_ok("../x"));
	CHECK(!jabfiles_group_name_ok("/"));
}

/* Extract's names for a list of (file-name-safe name, line); "" for a profile without one. */
static void
test_extract_paths(void)
{
	static const struct {
		const char *safe;
		unsigned long line;
		const char *path;
		long clash;	/* -1: none */
	} rows[] = {
		{ "A_b", 2, "out/jabber-config-A_b.xml", -1 },
		{ "A_b", 3, "out/jabber-config-A_b-line3.xml", 0 },
		{ NULL, 4, "", -1 },
		{ "x.xml", 5, "out/jabber-config-x.xml.xml", -1 },
		{ "x", 6, "out/jabber-config-x.xml", -1 },
		{ "A_b-line3", 7, "out/jabber-config-A_b-line3-line7.xml", 1 },
		/*
		 * "y.xml" after "y" clashes with "y"'s file although its own would be
		 * y.xml.xml: the check compares before .xml is added (as it always has)
		 */
		{ "y", 8, "out/jabber-config-y.xml", -1 },
		{ "y.xml", 9, "out/jabber-config-y.xml-line9.xml", 6 },
	};
	size_t n = sizeof(rows) / sizeof(rows[0]);
	struct strbuf paths[sizeof(rows) / sizeof(rows[0])];

	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)-1;
		int rc;

		strbuf_init(&paths[i], 0);
		if (rows[i].safe == NULL)
			continue;
		rc = jabfiles_extract_path("out", rows[i].safe, rows[i].line, paths, i, &paths[i], &k);
		CHECK_STR(paths[i].buf, rows[i].path);
		CHECK_INT(rc, rows[i].clash >= 0);
		if (rows[i].clash >= 0)
			CHECK_INT(k, rows[i].clash);
	}
	for (size_t i = 0; i < n; i++)
		strbuf_release(&paths[i]);
}

static void
test_output_files(void)
{
	struct j2w_err err;
	struct strbuf sb;
	struct stat st;

	CHECK(!jabfiles_exists("-"));
	CHECK(!jabfiles_exists(dir));
	CHECK(!jabfiles_exists(path_in("new.xml")));
	CHECK(!jabfiles_exists("/dev/null"));
	CHECK_INT(jabfiles_write(path_in("new.xml"), "<config/>\n", 10, &err), 0);
	CHECK(jabfiles_exists(path_in("new.xml")));
	CHECK_INT(jabfiles_read(path_in("new.xml"), &sb, &err), 0);
	CHECK_STR(sb.buf, "<config/>\n");
	strbuf_release(&sb);
	CHECK_INT(jabfiles_write(path_in("no/such/dir.xml"), "x", 1, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);

	CHECK_INT(jabfiles_output_dir(path_in("out"), &err), 0);
	CHECK(stat(path_in("out"), &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_INT(jabfiles_output_dir(path_in("out"), &err), 0);
	CHECK_INT(jabfiles_output_dir(path_in("new.xml"), &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK(strstr(err.msg, "new.xml' is not a directory") != NULL);
	CHECK_INT(jabfiles_output_dir(path_in("no/such"), &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strncmp(err.msg, "cannot create '", 15) == 0);
	rmdir(path_in("out"));
	unlink(path_in("new.xml"));
}

static int
count_emit(json_t *f, enum severity sev, void *ctx)
{
	(*(int *)ctx)++;
	json_decref(f);
	return 0;
}

static void
test_lint_file(void)
{
	struct jabparams_dict dict;
	struct jablint_opts o = { 0 };
	struct j2w_err err;
	int n = 0;

	CHECK_INT(jabparams_dict_load(&dict, "templates/jabber-params.tsv", &err), 0);
	o.dict = &dict;
	put("lint.xml", "<config version=\"1.0\"><Policies><EnableCallPark>maybe</EnableCallPark>"
	    "</Policies></config>");
	CHECK_INT(jabfiles_lint(path_in("lint.xml"), &o, count_emit, &n, &err), 0);
	CHECK(n >= 1);
	n = 0;
	CHECK_INT(jabfiles_lint(path_in("none.xml"), &o, count_emit, &n, &err), 1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_INT(n, 0);
	jabparams_dict_release(&dict);
}

static void
test_lint_files(void)
{
	struct jabparams_dict dict;
	struct jablint_opts o = { 0 };
	struct findings_out out = { .fail_on = SEV_FAIL };
	struct j2w_err err;
	struct unit_said s = { .n = 0 };
	char *files[3], want[4400];
	unsigned long nread = 0;
	int n = 0;

	CHECK_INT(jabparams_dict_load(&dict, "templates/jabber-params.tsv", &err), 0);
	o.dict = &dict;
	put("lint.xml", "<config version=\"1.0\"><Policies><EnableCallPark>maybe</EnableCallPark>"
	    "</Policies></config>");
	files[0] = strdup(path_in("none.xml"));
	files[1] = strdup(path_in("lint.xml"));
	files[2] = strdup(dir);
	out.fp = tmpfile();
	/* files that cannot be read are told and skipped; the worst of their statuses */
	CHECK_INT(jabfiles_lint_files(files, 3, &o, jabfiles_emit_out, &out, unit_say, &s, &nread,
	    &err), J2W_EUSAGE);
	CHECK_INT(nread, 1);
	snprintf(want, sizeof(want), "cannot open '%s': No such file or directory|", files[0]);
	CHECK(strncmp(s.buf, want, strlen(want)) == 0);
	CHECK(strstr(s.buf + strlen(want), "': Is a directory") != NULL);
	/* the findings went to out, counted */
	CHECK(out.count[SEV_WARN] + out.count[SEV_FAIL] >= 1);
	CHECK(ftell(out.fp) > 0);
	fclose(out.fp);
	/* warn may be NULL */
	nread = 0;
	CHECK_INT(jabfiles_lint_files(files, 2, &o, count_emit, &n, NULL, NULL, &nread, &err),
	    J2W_EUSAGE);
	CHECK(n >= 1);
	CHECK_INT(nread, 1);
	for (int i = 0; i < 3; i++)
		free(files[i]);
	jabparams_dict_release(&dict);
}

static void
test_teardown(void)
{
	static const char *const files[] = { "a.xml", "ok.xml", "root.xml", "xxe.xml", "empty.xml",
		"m.xml", "r.xml", "lint.xml" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(path_in(files[i]));
	CHECK_INT(rmdir(dir), 0);
}

UNIT_MAIN(
	TEST(test_setup),
	TEST(test_read),
	TEST(test_load_config),
	TEST(test_template_names),
	TEST(test_templates),
	TEST(test_base),
	TEST(test_output_names),
	TEST(test_extract_paths),
	TEST(test_output_files),
	TEST(test_lint_file),
	TEST(test_lint_files),
	TEST(test_teardown)
)
