/* j2w-jabber-config: generate, merge, lint, trim and extract jabber-config.xml files. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdutil.h"
#include "cucm/serviceprofile.h"
#include "jabber/jabcfg.h"
#include "jabber/jablint.h"
#include "jabber/jabparams.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/templates.h"
#include "util/utf8.h"

static const char usage[] =
"usage: j2w-jabber-config generate [--template NAME]... [--set GROUP/PARAM=VALUE]...\n"
"                                   [--merge FILE] [--group NAME] [-o FILE] [--force]\n"
"       j2w-jabber-config lint [--profile NAME] [--format jsonl|tsv] [--fail-on SEV] [FILE...]\n"
"       j2w-jabber-config trim [-o FILE] [--force] FILE\n"
"       j2w-jabber-config extract --bat FILE -o DIR [--force]\n"
"\n"
"Writes and checks the Jabber client configuration (jabber-config.xml) during the\n"
"move to the Webex App.\n"
"\n"
"  generate   a file from templates (migration, cross-launch, telemetry) and --set\n"
"             values, checked against the parameter dictionary; --merge FILE edits\n"
"             an existing file and keeps every other byte, comment and the order\n"
"  lint       findings (JSON Lines) for each FILE ('-' or none: stdin)\n"
"  trim       keeps only the parameters the Webex App reads; reports the rest\n"
"  extract    each service profile's client configuration from a BAT\n"
"             serviceprofile.csv or export tar, one file per profile\n"
"\n"
"  -t, --template NAME     templates/jabber-config/NAME.xml (repeatable)\n"
"  -s, --set G/P=VALUE     set parameter P of group G (repeatable; overrides templates)\n"
"  -m, --merge FILE        merge into FILE's content instead of starting afresh\n"
"      --group NAME        name the output jabber-config-NAME.xml (a group file)\n"
"      --allow-unknown     let --set write parameters the dictionary does not know\n"
"  -p, --profile NAME      lint: also require the settings of template NAME\n"
"  -f, --format F          lint: jsonl (default) or tsv\n"
"      --fail-on SEV       lint: exit 1 at findings of SEV or worse (default FAIL)\n"
"  -b, --bat FILE          extract: serviceprofile.csv or the BAT export tar\n"
"  -o, --output PATH       output file ('-': stdout), or directory for extract\n"
"      --force             replace existing output files\n"
"      --templates DIR     where jabber-params.tsv and jabber-config/ are\n"
"  -q, --quiet             no summary line\n"
"  -h, --help              this text\n"
"      --version           print the version\n"
"\n"
"Exit status: 0 success and no finding at or above --fail-on, 1 findings at or\n"
"above --fail-on, 2 usage error, 3 bad input data, 4 system error.\n";

enum { OPT_GROUP = 256, OPT_ALLOW_UNKNOWN, OPT_FAIL_ON, OPT_FORCE, OPT_TEMPLATES, OPT_VERSION };

struct opts {
	const char **templates;
	size_t ntemplates;
	const char **sets;
	size_t nsets;
	const char *merge;
	const char *group;
	const char *profile;
	const char *bat;
	const char *output;
	const char *tdir_opt;
	enum out_format format;
	enum severity fail_on;
	int allow_unknown;
	int force;
	int quiet;
};

/*
 * Reads a whole file (or stdin for "-") into out, at most max + 1 bytes so that
 * jabcfg_parse sees a file that is too large. Returns 0 or -1 with err; out is
 * initialised either way.
 */
static int
read_all(const char *path, size_t max, struct strbuf *out, struct j2w_err *err)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;

	strbuf_init(out, max + 1);
	if (fp == NULL)
		return err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (out->len + n > max + 1)
			n = max + 1 - out->len;
		strbuf_add(out, chunk, n);
		if (out->len > max)
			break;
	}
	if (ferror(fp)) {
		err_set_errno(err, J2W_ESYS, "cannot read '%s'", path);
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	return 0;
}

static char *
find_templates(const struct opts *o)
{
	struct j2w_err err;
	char *dir = templates_dir(o->tdir_opt, "jabber-params.tsv", &err);

	if (dir == NULL)
		die_err(&err);
	return dir;
}

static void
load_dict(const char *tdir, struct jabparams_dict *dict)
{
	struct j2w_err err;
	char *path = templates_path(tdir, "jabber-params.tsv");

	if (path == NULL)
		die(J2W_ESYS, "out of memory");
	if (jabparams_dict_load(dict, path, &err) < 0)
		die_err(&err);
	free(path);
}

/* Parses templates/jabber-config/NAME.xml; dies when it is missing or broken. */
static void
load_template(const char *tdir, const char *name, struct jabcfg_doc *doc)
{
	struct strbuf rel, data;
	struct j2w_err err;
	char *path;

	if (*name == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(name))
		cmd_usage_error("--template wants a name such as migration, cross-launch or "
		    "telemetry, not '%s'", name);
	strbuf_init(&rel, 0);
	strbuf_addf(&rel, "jabber-config/%s.xml", name);
	path = templates_path(tdir, rel.buf);
	strbuf_release(&rel);
	if (path == NULL)
		die(J2W_ESYS, "out of memory");
	if (access(path, R_OK) != 0)
		cmd_usage_error("no template '%s' (%s: %s)", name, path, strerror(errno));
	if (read_all(path, JC_DOC_MAX, &data, &err) < 0 ||
	    jabcfg_parse(doc, data.buf, data.len, path, &err) < 0)
		die_err(&err);
	strbuf_release(&data);
	free(path);
}

/* Checks one setting against the dictionary; dies (exit 2) on a bad one. */
static void
check_setting(const struct jabparams_dict *dict, const char *group, const char *param,
    const char *value, const char *what, int allow_unknown)
{
	const struct jabparams_param *p = jabparams_find(dict, param);
	const char *g = jabparams_group_find(group, 0);
	struct strbuf why;

	if (utf8_invalid_at(value, strlen(value)) != strlen(value))
		cmd_usage_error("%s: the value is not UTF-8", what);
	for (const char *c = value; *c; c++)
		if ((unsigned char)*c < 0x20 && *c != '\t')
			cmd_usage_error("%s: the value holds a control character", what);
	for (const char *c = param; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
			cmd_usage_error("%s: '%s' is not an element name", what, param);
	if (*param == '\0' || isdigit((unsigned char)*param) || *param == '-' || *param == '.')
		cmd_usage_error("%s: '%s' is not an element name", what, param);

	if (g == NULL) {
		g = jabparams_group_find(group, 1);
		if (g != NULL)
			cmd_usage_error("%s: the group is spelt '%s'", what, g);
		cmd_usage_error("%s: '%s' is not a group (Client, Directory, Options, Phone, "
		    "Policies, Presence, Voicemail)", what, group);
	}
	if (p == NULL) {
		const struct jabparams_param *f = jabparams_find_fold(dict, param);

		if (f != NULL)
			cmd_usage_error("%s: the parameter is spelt '%s'", what, f->name);
		if (!allow_unknown)
			cmd_usage_error("%s: unknown parameter '%s' (not in jabber-params.tsv; "
			    "--allow-unknown writes it anyway)", what, param);
		return;
	}
	if (p->status == JP_ELSEWHERE)
		cmd_usage_error("%s: '%s' is not read from jabber-config.xml: %s", what, param,
		    p->meaning);
	if (!jabparams_in_group(p, g))
		cmd_usage_error("%s: '%s' belongs in group %s", what, param, p->groups[0]);
	strbuf_init(&why, 0);
	switch (jabparams_check_value(p, value, &why)) {
	case JP_VALUE_OK:
		break;
	case JP_VALUE_WARN:
		cmd_warn("warning: %s: '%s' %s", what, param, why.buf);
		break;
	case JP_VALUE_BAD:
		cmd_usage_error("%s: '%s' %s, not '%s'", what, param, why.buf, value);
	}
	strbuf_release(&why);
}

/* Adds or replaces (same parameter name) a setting in the list. */
static void
put_setting(struct jabcfg_setting **list, size_t *n, const char *group, const char *param,
    const char *value, unsigned long line)
{
	struct jabcfg_setting *s;

	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i].param, param) == 0) {
			s = &(*list)[i];
			free(s->group);
			free(s->value);
			s->group = strdup(group);
			s->value = strdup(value);
			s->line = line;
			if (s->group == NULL || s->value == NULL)
				die(J2W_ESYS, "out of memory");
			return;
		}
	s = realloc(*list, (*n + 1) * sizeof(**list));
	if (s == NULL)
		die(J2W_ESYS, "out of memory");
	*list = s;
	s = &s[(*n)++];
	s->group = strdup(group);
	s->param = strdup(param);
	s->value = strdup(value);
	s->line = line;
	if (s->group == NULL || s->param == NULL || s->value == NULL)
		die(J2W_ESYS, "out of memory");
}

/* Refuses to replace an existing file unless --force. */
static void
check_overwrite(const char *path, int force)
{
	struct stat st;

	if (!force && strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		die(J2W_EUSAGE, "'%s' exists; give --force to replace it", path);
}

static void
write_output(const char *path, const char *buf, size_t len)
{
	struct j2w_err err;
	struct atomic_file af;

	if (strcmp(path, "-") == 0) {
		fwrite(buf, 1, len, stdout);
		return;
	}
	if (atomic_open(&af, path, 0, &err) < 0)
		die_err(&err);
	if (fwrite(buf, 1, len, af.fp) != len) {
		atomic_abort(&af);
		die(J2W_ESYS, "cannot write '%s': %s", path, strerror(errno));
	}
	if (atomic_commit(&af, &err) < 0)
		die_err(&err);
}

static const char empty_config[] =
"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<config version=\"1.0\">\n</config>\n";

static int
cmd_generate(struct opts *o)
{
	struct jabparams_dict dict;
	struct jabcfg_setting *want = NULL, *orig = NULL;
	struct jabcfg_doc doc;
	struct j2w_err err;
	struct strbuf outname;
	size_t norig = 0;
	char *tdir;
	size_t nwant = 0, changed = 0;
	const char *label;

	if (o->ntemplates == 0 && o->nsets == 0)
		cmd_usage_error("generate wants --template NAME or --set GROUP/PARAM=VALUE");
	if (o->group != NULL && (*o->group == '\0' || strchr(o->group, '/') != NULL))
		cmd_usage_error("--group wants a name such as sales, not '%s'", o->group);
	tdir = find_templates(o);
	load_dict(tdir, &dict);
	memset(&doc, 0, sizeof(doc));
	for (size_t t = 0; t < o->ntemplates; t++) {
		struct jabcfg_doc tpl;
		struct jabcfg_setting *s;
		size_t n;

		load_template(tdir, o->templates[t], &tpl);
		if (jabcfg_settings(&tpl, &s, &n, &err) < 0)
			die_err(&err);
		for (size_t i = 0; i < n; i++)
			put_setting(&want, &nwant, s[i].group, s[i].param, s[i].value, s[i].line);
		jabcfg_settings_free(s, n);
		if (t == 0 && o->merge == NULL)
			doc = tpl;	/* the first template is the base: its comments stay */
		else
			jabcfg_release(&tpl);
	}
	for (size_t i = 0; i < o->nsets; i++) {
		char *copy = strdup(o->sets[i]), *slash, *eq;

		if (copy == NULL)
			die(J2W_ESYS, "out of memory");
		slash = strchr(copy, '/');
		eq = strchr(copy, '=');
		if (slash == NULL || eq == NULL || eq < slash || slash == copy || eq == slash + 1) {
			free(copy);	/* LeakSanitizer sees it at exit once the pointer is gone */
			cmd_usage_error("--set wants GROUP/PARAM=VALUE, not '%s'", o->sets[i]);
		}
		*slash = '\0';
		*eq = '\0';
		check_setting(&dict, copy, slash + 1, eq + 1, o->sets[i], o->allow_unknown);
		put_setting(&want, &nwant, copy, slash + 1, eq + 1, 0);
		free(copy);
	}
	for (size_t i = 0; i < nwant; i++) {
		if (want[i].value[0] == '\0')
			cmd_usage_error("the template needs a value: --set %s/%s=VALUE",
			    want[i].group, want[i].param);
		if (want[i].line > 0)
			check_setting(&dict, want[i].group, want[i].param, want[i].value,
			    "template", 1);
	}
	if (o->merge != NULL) {
		struct strbuf data;

		if (read_all(o->merge, JC_DOC_MAX, &data, &err) < 0 ||
		    jabcfg_parse(&doc, data.buf, data.len, o->merge, &err) < 0)
			die_err(&err);
		strbuf_release(&data);
		if (strcmp(doc.el[0].name, "config") != 0)
			die(J2W_EDATA, "%s: line %lu: the root element is <%s>, not <config>",
			    o->merge, doc.el[0].line, doc.el[0].name);
		label = o->merge;
	} else if (doc.buf == NULL) {
		if (jabcfg_parse(&doc, empty_config, strlen(empty_config), "new file", &err) < 0)
			die_err(&err);
		label = "new file";
	} else {
		label = "template";
	}
	/* what the file held before, for reporting changes by its own line numbers */
	if (jabcfg_settings(&doc, &orig, &norig, &err) < 0)
		die_err(&err);
	for (size_t i = 0; i < nwant; i++) {
		const char *before = NULL;
		unsigned long line = 0;
		int rc;

		for (size_t k = 0; k < norig; k++) {
			if (strcasecmp(orig[k].param, want[i].param) != 0)
				continue;
			if (before == NULL) {
				before = orig[k].value;
				line = orig[k].line;
			}
			if (strcmp(orig[k].param, want[i].param) != 0 &&
			    jabparams_find(&dict, orig[k].param) == NULL)
				cmd_warn("warning: %s:%lu: '%s' differs only in case from '%s'; its "
				    "value is set in place and its spelling kept", label, orig[k].line,
				    orig[k].param, want[i].param);
		}
		rc = jabcfg_set(&doc, want[i].group, want[i].param, want[i].value, label, &err);
		if (rc < 0)
			die_err(&err);
		if (rc > 0 && !o->quiet && o->merge != NULL) {
			int secret = strlen(want[i].param) >= 8 &&
			    strcasecmp(want[i].param + strlen(want[i].param) - 8, "password") == 0;

			if (before == NULL)
				cmd_warn("%s: added %s/%s", label, want[i].group, want[i].param);
			else if (secret)
				cmd_warn("%s:%lu: changed %s", label, line, want[i].param);
			else
				cmd_warn("%s:%lu: changed %s from '%s' to '%s'", label, line,
				    want[i].param, before, want[i].value);
		}
		changed += (size_t)rc;
	}
	strbuf_init(&outname, 0);
	if (o->output != NULL)
		strbuf_addstr(&outname, o->output);
	else if (o->group != NULL)
		strbuf_addf(&outname, "jabber-config-%s.xml", o->group);
	else
		strbuf_addstr(&outname, "jabber-config.xml");
	check_overwrite(outname.buf, o->force);
	write_output(outname.buf, doc.buf, doc.len);
	if (!o->quiet)
		cmd_warn("wrote %s: %zu parameters, %zu changed", strcmp(outname.buf, "-") == 0 ?
		    "stdout" : outname.buf, nwant, changed);
	strbuf_release(&outname);
	jabcfg_release(&doc);
	jabcfg_settings_free(want, nwant);
	jabcfg_settings_free(orig, norig);
	jabparams_dict_release(&dict);
	free(tdir);
	return cmd_finish(0);
}

struct lint_run {
	enum out_format format;
	enum severity fail_on;
	unsigned long counts[5];
	int tripped;
};

static int
lint_emit(json_t *f, enum severity sev, void *ctx)
{
	struct lint_run *run = ctx;
	int rc = 0;

	run->counts[sev]++;
	if (severity_trips(sev, run->fail_on))
		run->tripped = 1;
	if (run->format == FORMAT_JSONL) {
		rc = jsonl_write(stdout, f);
	} else {
		const char *cells[4] = { json_get_str(f, "subject"), json_get_str(f, "severity"),
			json_get_str(f, "check"), json_get_str(f, "message") };

		rc = csv_write_row(stdout, '\t', cells, 4, NULL);
	}
	json_decref(f);
	return rc < 0 || ferror(stdout) ? -1 : 0;
}

static int
cmd_lint(struct opts *o, int nfiles, char **files)
{
	static char *stdin_only[] = { "-" };
	struct lint_run run = { 0 };
	struct jabparams_dict dict;
	struct jablint_opts lo = { 0 };
	struct jabcfg_setting *want = NULL;
	size_t nwant = 0;
	struct jabcfg_doc tpl;
	char *tdir;
	int status = 0;
	unsigned long nread = 0;

	run.format = o->format;
	run.fail_on = o->fail_on;
	if (o->format == FORMAT_CSV)
		cmd_usage_error("lint --format wants jsonl or tsv");
	tdir = find_templates(o);
	load_dict(tdir, &dict);
	lo.dict = &dict;
	if (o->profile != NULL) {
		struct j2w_err err;

		load_template(tdir, o->profile, &tpl);
		if (jabcfg_settings(&tpl, &want, &nwant, &err) < 0)
			die_err(&err);
		jabcfg_release(&tpl);
		lo.profile = o->profile;
		lo.want = want;
		lo.nwant = nwant;
	}
	if (nfiles == 0) {
		nfiles = 1;
		files = stdin_only;
	}
	if (run.format == FORMAT_TSV) {
		const char *hdr[4] = { "location", "severity", "check", "message" };

		csv_write_row(stdout, '\t', hdr, 4, NULL);
	}
	for (int i = 0; i < nfiles; i++) {
		struct strbuf data;
		struct j2w_err err;
		const char *label = strcmp(files[i], "-") == 0 ? "stdin" : files[i];

		if (read_all(files[i], JC_DOC_MAX, &data, &err) < 0) {
			cmd_warn("%s", err.msg);
			if ((int)err.status > status)
				status = (int)err.status;
			strbuf_release(&data);
			continue;
		}
		nread++;
		if (jablint_lint(data.buf, data.len, label, &lo, lint_emit, &run, &err) < 0) {
			strbuf_release(&data);
			die_err(&err);
		}
		strbuf_release(&data);
	}
	if (!o->quiet)
		cmd_warn("%lu files, %lu FAIL, %lu WARN, %lu INFO", nread, run.counts[SEV_FAIL],
		    run.counts[SEV_WARN], run.counts[SEV_INFO]);
	jabcfg_settings_free(want, nwant);
	jabparams_dict_release(&dict);
	free(tdir);
	if (status == 0 && run.tripped)
		status = J2W_FINDINGS;
	return cmd_finish(status);
}

static void
trim_removed(const char *group, const char *name, unsigned long line, const char *why,
    void *ctx)
{
	const char *file = ctx;

	if (name != NULL)
		cmd_warn("%s:%lu: removed %s/%s: %s", file, line, group, name, why);
	else
		cmd_warn("%s:%lu: removed <%s>: %s", file, line, group, why);
}

static int
cmd_trim(struct opts *o, int nfiles, char **files)
{
	struct jabparams_dict dict;
	struct jabcfg_doc doc;
	struct strbuf data;
	struct j2w_err err;
	const char *out = o->output != NULL ? o->output : "-";
	char *tdir;
	long removed;
	size_t kept = 0;

	if (nfiles != 1)
		cmd_usage_error("trim wants one FILE");
	tdir = find_templates(o);
	load_dict(tdir, &dict);
	if (read_all(files[0], JC_DOC_MAX, &data, &err) < 0 ||
	    jabcfg_parse(&doc, data.buf, data.len, files[0], &err) < 0)
		die_err(&err);
	strbuf_release(&data);
	if (strcmp(doc.el[0].name, "config") != 0)
		die(J2W_EDATA, "%s: line %lu: the root element is <%s>, not <config>", files[0],
		    doc.el[0].line, doc.el[0].name);
	check_overwrite(out, o->force);
	removed = jablint_trim(&doc, &dict, files[0], o->quiet ? NULL : trim_removed,
	    (void *)files[0], &err);
	if (removed < 0)
		die_err(&err);
	for (size_t i = 0; i < doc.n; i++)
		kept += doc.el[i].depth == 2;
	write_output(out, doc.buf, doc.len);
	if (!o->quiet)
		cmd_warn("%s: kept %zu parameters the Webex App reads, removed %ld items", files[0],
		    kept, removed);
	jabcfg_release(&doc);
	jabparams_dict_release(&dict);
	free(tdir);
	return cmd_finish(0);
}

static int
cmd_extract(struct opts *o, int nfiles)
{
	struct serviceprofile_list list;
	struct j2w_err err;
	struct strbuf *paths;
	struct stat st;
	size_t written = 0, without = 0;

	if (nfiles != 0)
		cmd_usage_error("extract reads --bat FILE only");
	if (o->bat == NULL || o->output == NULL)
		cmd_usage_error("extract wants --bat FILE and -o DIR");
	if (serviceprofile_list_load(&list, o->bat, &err) < 0)
		die_err(&err);
	if (stat(o->output, &st) < 0) {
		if (mkdir(o->output, 0777) < 0)
			die(J2W_ESYS, "cannot create '%s': %s", o->output, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		die(J2W_EUSAGE, "'%s' is not a directory", o->output);
	}
	paths = calloc(list.n ? list.n : 1, sizeof(*paths));
	if (paths == NULL)
		die(J2W_ESYS, "out of memory");
	/* every name first, so that a clash or an existing file stops before any write */
	for (size_t i = 0; i < list.n; i++) {
		strbuf_init(&paths[i], 0);
		if (list.p[i].xml == NULL)
			continue;
		strbuf_addf(&paths[i], "%s/jabber-config-", o->output);
		serviceprofile_file_name(list.p[i].name, &paths[i]);
		for (size_t k = 0; k < i; k++)
			if (strcmp(paths[k].buf, paths[i].buf) == 0 || (paths[k].len > 0 &&
			    strncmp(paths[k].buf, paths[i].buf, paths[i].len) == 0 &&
			    strcmp(paths[k].buf + paths[i].len, ".xml") == 0)) {
				strbuf_addf(&paths[i], "-line%lu", list.p[i].line);
				cmd_warn("%s:%lu: profile '%s' has the same file name as line %lu; "
				    "writing it with -line%lu", list.label, list.p[i].line,
				    list.p[i].name, list.p[k].line, list.p[i].line);
				break;
			}
		strbuf_addstr(&paths[i], ".xml");
		check_overwrite(paths[i].buf, o->force);
	}
	for (size_t i = 0; i < list.n; i++) {
		struct strbuf xml;
		int rc;

		strbuf_init(&xml, JC_DOC_MAX);
		rc = serviceprofile_config_xml(list.p[i].xml, &xml);
		if (rc < 0)
			die(J2W_EDATA, "%s:%lu: the client configuration of '%s' is too large",
			    list.label, list.p[i].line, list.p[i].name);
		if (rc == 0) {
			without++;
		} else {
			write_output(paths[i].buf, xml.buf, xml.len);
			printf("%s\n", paths[i].buf);
			written++;
		}
		strbuf_release(&xml);
	}
	if (!o->quiet)
		cmd_warn("%s: %zu service profiles, %zu files written, %zu without a client "
		    "configuration", list.label, list.n, written, without);
	for (size_t i = 0; i < list.n; i++)
		strbuf_release(&paths[i]);
	free(paths);
	serviceprofile_list_release(&list);
	return cmd_finish(0);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "set", required_argument, NULL, 's' },
		{ "merge", required_argument, NULL, 'm' },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "allow-unknown", no_argument, NULL, OPT_ALLOW_UNKNOWN },
		{ "profile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "bat", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "templates", required_argument, NULL, OPT_TEMPLATES },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0 };
	const char *verb;
	int ch, status;

	cmd_init("j2w-jabber-config");
	o.templates = calloc((size_t)argc, sizeof(char *));
	o.sets = calloc((size_t)argc, sizeof(char *));
	if (o.templates == NULL || o.sets == NULL)
		die(J2W_ESYS, "out of memory");
	o.format = FORMAT_JSONL;
	o.fail_on = SEV_FAIL;
	if (argc >= 2 && strcmp(argv[1], "--help") == 0)
		cmd_help(usage);
	if (argc >= 2 && strcmp(argv[1], "--version") == 0)
		cmd_version();
	if (argc < 2 || argv[1][0] == '-')
		cmd_usage_error("give a verb: generate, lint, trim or extract");
	verb = argv[1];
	argv++;
	argc--;
	while ((ch = getopt_long(argc, argv, "t:s:m:p:f:b:o:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 't': o.templates[o.ntemplates++] = optarg; break;
		case 's': o.sets[o.nsets++] = optarg; break;
		case 'm': o.merge = optarg; break;
		case OPT_GROUP: o.group = optarg; break;
		case OPT_ALLOW_UNKNOWN: o.allow_unknown = 1; break;
		case 'p': o.profile = optarg; break;
		case 'f': o.format = cmd_format(optarg); break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &o.fail_on) < 0)
				cmd_usage_error("--fail-on wants OK, INFO, WARN, FAIL or ERROR, not '%s'",
				    optarg);
			break;
		case 'b': o.bat = optarg; break;
		case 'o': o.output = optarg; break;
		case OPT_FORCE: o.force = 1; break;
		case OPT_TEMPLATES: o.tdir_opt = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_usage_error("unknown option");
		}
	}
	if (strcmp(verb, "generate") == 0) {
		if (optind < argc)
			cmd_usage_error("unexpected argument '%s'", argv[optind]);
		status = cmd_generate(&o);
	} else if (o.ntemplates > 0 || o.nsets > 0 || o.merge != NULL || o.group != NULL) {
		cmd_usage_error("--template, --set, --merge and --group belong to generate");
	} else if (strcmp(verb, "lint") == 0) {
		status = cmd_lint(&o, argc - optind, argv + optind);
	} else if (o.profile != NULL || o.format != FORMAT_JSONL) {
		cmd_usage_error("--profile and --format belong to lint");
	} else if (strcmp(verb, "trim") == 0) {
		status = cmd_trim(&o, argc - optind, argv + optind);
	} else if (strcmp(verb, "extract") == 0) {
		status = cmd_extract(&o, argc - optind);
	} else {
		cmd_usage_error("unknown verb '%s' (generate, lint, trim or extract)", verb);
	}
	free(o.templates);
	free(o.sets);
	return status;
}
