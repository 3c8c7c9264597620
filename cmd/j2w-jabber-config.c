/* j2w-jabber-config: generate, merge, lint, trim and extract jabber-config.xml files. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "cucm/serviceprofile.h"
#include "cucm/spextract.h"
#include "jabber/jabcfg.h"
#include "jabber/jabfiles.h"
#include "jabber/jablint.h"
#include "jabber/jabparams.h"
#include "jabber/jabsettings.h"
#include "util/templates.h"

static const char usage[] =
"usage: j2w-jabber-config generate [--template NAME]... [--set GROUP/PARAM=VALUE]...\n"
"                                   [--merge FILE] [--group NAME] [-o FILE] [--force]\n"
"       j2w-jabber-config lint [--profile NAME] [--format jsonl|csv|tsv] [--fail-on SEV] [-o FILE] [FILE...]\n"
"       j2w-jabber-config trim [-o FILE] [--force] [FILE]\n"
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
"  extract    each service profile's client configuration from a BAT export tar\n"
"             (or serviceprofile.csv): the Jabber Client Configuration UC services\n"
"             it names (ucservice.csv), else its own column; one file per profile\n"
"\n"
"  -t, --template NAME     templates/jabber-config/NAME.xml (repeatable)\n"
"      --set G/P=VALUE     set parameter P of group G (repeatable; overrides templates)\n"
"  -m, --merge FILE        merge into FILE's content instead of starting afresh\n"
"      --group NAME        name the output jabber-config-NAME.xml (a group file)\n"
"      --allow-unknown     let --set write parameters the dictionary does not know\n"
"      --profile NAME      lint: also require the settings of template NAME\n"
"  -f, --format F          lint: jsonl (default), csv or tsv\n"
"      --fail-on SEV       lint: exit 1 at findings of SEV or worse (default FAIL)\n"
"  -b, --bat FILE          extract: serviceprofile.csv or the BAT export tar ('-': stdin)\n"
"  -o, --output PATH       output file ('-': stdout), or directory for extract\n"
"      --force             replace existing output files\n"
"      --templates DIR     where jabber-params.tsv and jabber-config/ are\n"
"  -q, --quiet             no per-item notes (the summary stays)\n"
"  -h, --help              this text\n"
"      --version           print the version\n"
"\n"
"Exit status: 0 success and no finding at or above --fail-on, 1 findings at or\n"
"above --fail-on, 2 usage error, 3 bad input data, 4 system error.\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "t:s:m:p:f:b:o:qh";

enum { OPT_GROUP = 256, OPT_ALLOW_UNKNOWN, OPT_FAIL_ON, OPT_FORCE, OPT_TEMPLATES, OPT_VERSION,
	OPT_SET, OPT_PROFILE };

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

/* Dies as a library call's result asks: usage (rc > 0) or err's status (rc < 0). */
static void
settle(int rc, const struct j2w_err *err)
{
	if (rc > 0)
		cmd_usage_error("%s", err->msg);
	if (rc < 0)
		die_err(err);
}

/* Finds templates/ and loads its dictionary; returns the directory (caller frees). */
static char *
open_templates(const struct opts *o, struct jabparams_dict *dict)
{
	struct j2w_err err;
	char *dir = templates_dir(o->tdir_opt, "jabber-params.tsv", &err);

	if (dir == NULL || jabfiles_dict(dir, dict, &err) < 0)
		die_err(&err);
	return dir;
}

/* Parses templates/jabber-config/NAME.xml; dies when it is missing or broken. */
static void
load_template(const char *tdir, const char *name, struct jabcfg_doc *doc)
{
	struct j2w_err err;

	if (!jabfiles_template_name_ok(name))
		cmd_usage_error("--template wants a name such as migration, cross-launch or "
		    "telemetry, not '%s'", name);
	settle(jabfiles_template(tdir, name, doc, &err), &err);
}

/* Refuses to replace an existing file unless --force. */
static void
check_overwrite(const char *path, int force)
{
	if (!force && jabfiles_exists(path))
		die(J2W_EUSAGE, "'%s' exists; give --force to replace it", path);
}

static void
write_output(const char *path, const char *buf, size_t len)
{
	struct j2w_err err;

	if (strcmp(path, "-") == 0)
		fwrite(buf, 1, len, stdout);
	else if (jabfiles_write(path, buf, len, &err) < 0)
		die_err(&err);
}

/* Prints a note of generate: warnings always, changes when ctx points at a true flag. */
static void
print_note(enum jabsettings_note kind, const char *msg, void *ctx)
{
	const int *changes = ctx;

	if (kind == JABSET_WARNING)
		cmd_warn("warning: %s", msg);
	else if (changes != NULL && *changes)
		cmd_warn("%s", msg);
}

static int
cmd_generate(struct opts *o)
{
	struct jabparams_dict dict;
	struct jabcfg_setting *want = NULL;
	struct jabcfg_doc doc;
	struct j2w_err err;
	struct strbuf outname;
	const char *label;
	char *tdir;
	size_t nwant = 0;
	long changed;
	int show_changes;

	if (o->ntemplates == 0 && o->nsets == 0)
		cmd_usage_error("generate wants --template NAME or --set GROUP/PARAM=VALUE");
	if (o->group != NULL && !jabfiles_group_name_ok(o->group))
		cmd_usage_error("--group wants a name such as sales, not '%s'", o->group);
	tdir = open_templates(o, &dict);
	memset(&doc, 0, sizeof(doc));
	for (size_t t = 0; t < o->ntemplates; t++) {
		struct jabcfg_doc tpl;

		load_template(tdir, o->templates[t], &tpl);
		if (jabsettings_put_doc(&want, &nwant, &tpl, &err) < 0)
			die_err(&err);
		if (t == 0 && o->merge == NULL)
			doc = tpl;	/* the first template is the base: its comments stay */
		else
			jabcfg_release(&tpl);
	}
	for (size_t i = 0; i < o->nsets; i++)
		settle(jabsettings_add_set(&dict, &want, &nwant, o->sets[i], o->allow_unknown,
		    print_note, NULL, &err), &err);
	settle(jabsettings_verify(&dict, want, nwant, print_note, NULL, &err), &err);
	if ((label = jabfiles_base(&doc, o->merge, &err)) == NULL)
		die_err(&err);
	show_changes = !o->quiet && o->merge != NULL;
	changed = jabsettings_apply(&doc, &dict, want, nwant, label, print_note, &show_changes,
	    &err);
	if (changed < 0)
		die_err(&err);
	strbuf_init(&outname, 0);
	jabfiles_output_name(o->output, o->group, &outname);
	check_overwrite(outname.buf, o->force);
	write_output(outname.buf, doc.buf, doc.len);
	cmd_warn("wrote %s: %s, %ld changed", strcmp(outname.buf, "-") == 0 ?
		    "stdout" : outname.buf, cmd_n(nwant, "parameter", NULL), changed);
	strbuf_release(&outname);
	jabcfg_release(&doc);
	jabcfg_settings_free(want, nwant);
	jabparams_dict_release(&dict);
	free(tdir);
	return cmd_finish(0);
}

static int
cmd_lint(struct opts *o, int nfiles, char **files)
{
	static char *stdin_only[] = { "-" };
	static const char *const keys[4] = { "subject", "severity", "check", "message" };
	static const char *const header[4] = { "location", "severity", "check", "message" };
	struct findings_out run = { .keys = keys, .ncols = 4 };
	struct atomic_out out;
	struct jabparams_dict dict;
	struct jablint_opts lo = { 0 };
	struct jabcfg_setting *want = NULL;
	size_t nwant = 0;
	struct jabcfg_doc tpl;
	struct j2w_err err;
	char *tdir;
	int status;
	unsigned long nread = 0;

	run.delim = cmd_format_delim(o->format);
	run.fail_on = o->fail_on;
	tdir = open_templates(o, &dict);
	lo.dict = &dict;
	if (o->profile != NULL) {
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
	/* spooled, or through -o's temporary file: a lint that dies leaves nothing half-written */
	cmd_output_open(&out, cmd_output_file(o->output), 1);
	run.fp = out.fp;
	findings_out_header(&run, header);
	/* an unreadable file is told and counted; the others are still linted */
	status = jabfiles_lint_files(files, nfiles, &lo, jabfiles_emit_out, &run, cmd_warn_cb, NULL,
	    &nread, &err);
	if (status < 0)
		die_err(&err);
	cmd_output_commit(&out);
	cmd_warn("%s, %lu FAIL, %lu WARN, %lu INFO", cmd_n(nread, "file", NULL), run.count[SEV_FAIL],
		    run.count[SEV_WARN], run.count[SEV_INFO]);
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
	static char *stdin_only[] = { "-" };
	struct jabparams_dict dict;
	struct jabcfg_doc doc;
	struct j2w_err err;
	const char *out = o->output != NULL ? o->output : "-";
	char *tdir;
	long removed;

	if (nfiles > 1)
		cmd_usage_error("trim wants one FILE");
	if (nfiles == 0)
		files = stdin_only;
	tdir = open_templates(o, &dict);
	if (jabfiles_load_config(&doc, files[0], &err) < 0)
		die_err(&err);
	check_overwrite(out, o->force);
	removed = jablint_trim(&doc, &dict, files[0], o->quiet ? NULL : trim_removed,
	    (void *)files[0], &err);
	if (removed < 0)
		die_err(&err);
	write_output(out, doc.buf, doc.len);
	cmd_warn("%s: kept %s the Webex App reads, removed %s", files[0],
		    cmd_n(jabsettings_count(&doc), "parameter", NULL),
		    cmd_n((unsigned long long)removed, "item", NULL));
	jabcfg_release(&doc);
	jabparams_dict_release(&dict);
	free(tdir);
	return cmd_finish(0);
}

static int
cmd_extract(struct opts *o, int nfiles)
{
	struct serviceprofile_list list;
	struct spextract_plan plan;
	struct j2w_err err;
	struct strbuf sb;
	size_t n = 0;
	int rc;

	if (nfiles != 0)
		cmd_usage_error("extract reads --bat FILE only");
	if (o->bat == NULL || cmd_output_dir(o->output, "extract") == NULL)
		cmd_usage_error("extract wants --bat FILE and -o DIR");
	if (serviceprofile_list_load(&list, o->bat, &err) < 0)
		die_err(&err);
	if (jabfiles_output_dir(o->output, &err) < 0)
		die_err(&err);
	/* every name first, so that a clash or an existing file stops before any write */
	rc = spextract_plan(&plan, &list, o->output, jabfiles_extract_path, JC_DOC_MAX, &err);
	for (size_t i = 0; i <= plan.nfiles; i++) {
		for (; n < plan.nnotes && plan.notes[n].before == i; n++)
			cmd_note("%s", plan.notes[n].msg);
		if (i < plan.nfiles)
			check_overwrite(plan.paths[i].buf, o->force);
	}
	if (rc < 0)
		die_err(&err);
	/* every file is known to be complete and allowed before the first is written */
	for (size_t i = 0; i < plan.nfiles; i++) {
		write_output(plan.paths[i].buf, plan.files[i].xml.buf, plan.files[i].xml.len);
		printf("%s\n", plan.paths[i].buf);
	}
	strbuf_init(&sb, 0);
	spextract_describe(&plan, &sb);
	cmd_warn("%s", sb.buf);
	strbuf_release(&sb);
	rc = plan.missing > 0 ? J2W_FINDINGS : J2W_OK;
	spextract_plan_release(&plan);
	serviceprofile_list_release(&list);
	return cmd_finish(rc);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "set", required_argument, NULL, OPT_SET },
		{ "merge", required_argument, NULL, 'm' },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "allow-unknown", no_argument, NULL, OPT_ALLOW_UNKNOWN },
		{ "profile", required_argument, NULL, OPT_PROFILE },
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
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 't': o.templates[o.ntemplates++] = optarg; break;
		/* -s and -p mean --scheme and --plan in other commands: long names only here */
		case 's': cmd_old_name("-s", "--set");	/* FALLTHROUGH */
		case OPT_SET: o.sets[o.nsets++] = optarg; break;
		case 'm': o.merge = optarg; break;
		case OPT_GROUP: o.group = optarg; break;
		case OPT_ALLOW_UNKNOWN: o.allow_unknown = 1; break;
		case 'p': cmd_old_name("-p", "--profile");	/* FALLTHROUGH */
		case OPT_PROFILE: o.profile = optarg; break;
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
		case 'q': o.quiet = cmd_quiet = 1; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
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
