/* j2w-report: one readiness report for people from the findings, users and apply results of every j2w command. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdutil.h"
#include "report/report.h"
#include "report/report_apply.h"
#include "report/report_input.h"

static const char usage[] =
"usage: j2w-report [options] [FILE...]\n"
"\n"
"Reads findings (j2w-jabber-config lint, j2w-dns-check, any finding record),\n"
"j2w-reconcile output, j2w-apply results and j2w-apply journals (SQLite), in\n"
"any mix and order, recognised by their shape; stdin when no FILE or '-'.\n"
"Writes one self-contained HTML page (no script, no outside address): the\n"
"verdict, counts per area and severity, charts, and every finding with its fix.\n"
"\n"
"  -o, --output FILE      write the report to FILE (complete or not at all)\n"
"  -f, --format F         html (default), md (Markdown) or csv (every finding)\n"
"  -r, --rules [WAVE=]FILE  the wave's j2w-apply rules: whom it left out, and why\n"
"                         (WAVE defaults to FILE's name: wave1.rules is wave1)\n"
"      --title TEXT       the report's title\n"
"      --org TEXT         the organisation's name, shown under the title\n"
"      --fail-on SEVERITY exit 1 at this severity or above (default FAIL)\n"
"  -q, --quiet            no per-record notices (the summary stays)\n"
"  -h, --help             this text\n"
"      --version          print the version\n"
"\n"
"Verdict: NOT READY when any FAIL or ERROR, READY WITH WARNINGS when any WARN,\n"
"else READY.\n"
"\n"
"SOURCE_DATE_EPOCH (seconds since 1970) sets the time the report says it was made.\n"
"\n"
"Exit status: 0 report written, no finding at or above --fail-on; 1 written,\n"
"findings at or above it; 2 usage error, or an input that cannot be opened;\n"
"3 written, but some input could not be used (listed as INPUT or\n"
"NOT-RECONCILED); 4 system error (no report left).\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "f:ho:qr:";

enum { OPT_TITLE = 256, OPT_ORG, OPT_FAIL_ON, OPT_VERSION };
#define RULES_MAX_GIVEN 64
enum report_format { RF_HTML, RF_MD, RF_CSV };

/* One line, even with --quiet: a step of the pipeline was skipped. */
static void
not_reconciled(const char *path, unsigned long n)
{
	cmd_warn("'%s': %lu user record%s never reconciled: run j2w-reconcile first and give the "
	    "report its output", strcmp(path, "-") == 0 ? "<stdin>" : path, n,
	    n == 1 ? " was" : "s were");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'r' },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "org", required_argument, NULL, OPT_ORG },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	enum report_format format = RF_HTML;
	enum severity fail_on = SEV_FAIL;
	struct report_opts ro = { NULL, NULL, NULL };
	const char *output = NULL, *rules[RULES_MAX_GIVEN];
	size_t nrules = 0;
	struct atomic_out out;
	struct report r;
	struct j2w_err err;
	char when[64];
	int ch, status;

	cmd_init("j2w-report");
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': output = optarg; break;
		case 'r':
			if (nrules == RULES_MAX_GIVEN)
				cmd_usage_error("--rules is given more than %d times", RULES_MAX_GIVEN);
			rules[nrules++] = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "html") == 0)
				format = RF_HTML;
			else if (strcmp(optarg, "md") == 0)
				format = RF_MD;
			else if (strcmp(optarg, "csv") == 0)
				format = RF_CSV;
			else
				cmd_usage_error("--format wants html, md or csv, not '%s'", optarg);
			break;
		case OPT_TITLE: ro.title = optarg; break;
		case OPT_ORG: ro.org = optarg; break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &fail_on) < 0 || fail_on == SEV_OK)
				cmd_usage_error("--fail-on wants INFO, WARN, FAIL or ERROR, not '%s'",
				    optarg);
			break;
		case 'q': cmd_quiet = 1; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}

	/* SOURCE_DATE_EPOCH: a report that is the same byte for byte, made again */
	if (report_generated_at(getenv("SOURCE_DATE_EPOCH"), time(NULL), when, sizeof(when),
	    &err) < 0)
		cmd_die_usage(&err);
	if (when[0] != '\0')
		ro.generated = when;
	report_init(&r);
	err_clear(&err);
	/* the rules first: each user record is judged by them as it is read */
	for (size_t i = 0; i < nrules; i++)
		if (report_add_rules(&r, rules[i], &err) < 0)
			die_err(&err);
	if (optind == argc) {
		if (report_read_path(&r, "-", &err) < 0)
			die_err(&err);
	}
	for (int i = optind; i < argc; i++)
		cmd_need_input(argv[i]);
	for (int i = optind; i < argc; i++) {
		unsigned long before = r.unreadable, unreconciled = r.unreconciled;
		int rc = report_read_or_list(&r, argv[i], &err);

		if (rc < 0)
			die_err(&err);
		if (rc > 0)	/* a database that is not a journal this report knows: go on */
			cmd_warn("%s", err.msg);
		if (r.unreadable > before)
			cmd_warn("'%s': %s could not be read (listed in the report as INPUT)",
			    argv[i], cmd_n(r.unreadable - before, "record", NULL));
		if (r.unreconciled > unreconciled)
			not_reconciled(argv[i], r.unreconciled - unreconciled);
	}
	if (optind == argc && r.unreadable > 0)
		cmd_warn("<stdin>: %s could not be read (listed in the report as INPUT)",
		    cmd_n(r.unreadable, "record", NULL));
	if (optind == argc && r.unreconciled > 0)
		not_reconciled("-", r.unreconciled);
	if (r.records == 0 && r.journals == 0 && r.narchives == 0 && r.unreadable == 0) {
		/* empty input is not an error: nothing to report, nothing written */
		cmd_warn("0 records, 0 journals: nothing to report, no report written");
		report_release(&r);
		return cmd_finish(J2W_OK);
	}
	if (report_finish(&r, &err) < 0)
		die_err(&err);
	for (size_t i = 0; i < r.nrules; i++)
		if (!r.rules[i].used)
			cmd_warn("--rules '%s': no journal or results of wave '%s' were given, so "
			    "its rules are not used", r.rules[i].path, r.rules[i].wave);

	cmd_output_open(&out, output, 1);
	if (format == RF_HTML)
		status = report_write_html(&r, out.fp, &ro, &err);
	else if (format == RF_MD)
		status = report_write_md(&r, out.fp, &ro, &err);
	else
		status = report_write_csv(&r, out.fp, &ro, &err);
	if (status < 0 || fflush(out.fp) != 0 || ferror(out.fp))
		die(J2W_ESYS, "cannot write '%s': %s", output != NULL ? output : "<stdout>",
		    strerror(errno));
	cmd_output_commit(&out);

	cmd_warn("%s, %s, %s: %s (%lu fail, %lu error, %lu warn)",
	    cmd_n(r.records, "record", NULL), cmd_n(r.journals, "journal", NULL),
	    cmd_n(r.nitems, "finding", NULL), report_verdict(&r), r.sev[SEV_FAIL],
	    r.sev[SEV_ERROR], r.sev[SEV_WARN]);
	status = J2W_OK;
	if (r.unreadable > 0 || r.unreconciled > 0)
		status = J2W_EDATA;
	else if (severity_trips(report_worst(&r), fail_on))
		status = J2W_FINDINGS;
	report_release(&r);
	return cmd_finish(status);
}
