/* j2w-dns-check: DNS SRV, split-DNS and TLS readiness of the voice services domains, per view. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdutil.h"
#include "dns/dnsrun.h"
#include "dns/probecheck.h"
#include "dns/tlsprobe.h"
#include "record/findings.h"
#include "util/http.h"

static const char usage[] =
"usage: j2w-dns-check [options] --internal-ns ADDR | --external-ns ADDR [DOMAIN...]\n"
"\n"
"Asks each resolver, separately, for the records the Webex App and Jabber use to\n"
"find Unified CM (_cisco-uds._tcp inside) and Expressway-E (_collab-edge._tls\n"
"outside) for every domain, and prints one finding per check as JSON Lines.\n"
"\n"
"  -i, --internal-ns ADDR[:PORT]  an internal resolver (repeatable)\n"
"  -e, --external-ns ADDR[:PORT]  an external (public) resolver (repeatable)\n"
"      --vsd DOMAIN               a voice services domain (UC Manager profile; repeatable)\n"
"      --domains-from FILE        the email domains of the user records in FILE\n"
"      --timeout SECONDS          first wait for a DNS answer, and the TLS connect\n"
"                                 and read limit (default 2; 0.5, 2s, 500ms); a\n"
"                                 question is sent twice, the second time waiting\n"
"                                 twice as long\n"
"  -n, --concurrency N            questions in flight per resolver (default 64;\n"
"                                 1 asks one after the other)\n"
"      --tls                      also check the certificate of every SRV target\n"
"      --cacert FILE              trust this CA bundle as well\n"
"      --warn-days N              TLS-EXPIRY warns this many days ahead (default 30)\n"
"      --now TIME                 the clock for expiry: YYYY-MM-DD[THH:MM:SSZ], @EPOCH\n"
"                                 or +DAYS from now\n"
"      --uds-probe USER           ask every _cisco-uds target for USER's home cluster\n"
"      --insecure                 do not verify TLS for --uds-probe (warns on every run)\n"
"  -f, --format F                 jsonl (default), csv or tsv\n"
"  -o, --output FILE              write the findings to FILE ('-': stdout, the default)\n"
"      --fail-on SEVERITY         exit 1 at this severity or above (default FAIL)\n"
"  -q, --quiet                    no per-record notices (the summary stays)\n"
"  -h, --help                     this text\n"
"      --version                  print the version\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,\n"
"2 usage error, 3 bad input data, 4 system or network error (no resolver answered).\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "e:f:hi:n:o:q";

enum {
	OPT_VSD = 256, OPT_DOMAINS_FROM, OPT_TIMEOUT, OPT_PARALLEL, OPT_TLS, OPT_CACERT,
	OPT_WARN_DAYS, OPT_NOW, OPT_UDS_PROBE, OPT_INSECURE, OPT_FAIL_ON, OPT_VERSION
};

static void
add_domain(struct dnsrun *run, const char *s, const char *what)
{
	int rc = dnsrun_add_domain(run, s);

	if (rc < 0)
		die(J2W_ESYS, "out of memory");
	if (rc > 0)
		cmd_usage_error("%s '%s' is not a DNS domain (give internationalised names in "
		    "their xn-- form)", what, s);
}

/* The email domains of the user records in path; counts in *bad the records that had none. */
static void
read_domains_from(struct dnsrun *run, const char *path, unsigned long *bad)
{
	struct j2w_err err;
	FILE *fp = cmd_open_input(path);

	if (dnsrun_read_domains(run, fp, path, cmd_note_cb, NULL, bad, &err) < 0)
		die_err(&err);
	cmd_close_input(fp);
}

static const char *const tsv_columns[] = { "severity", "check", "view", "subject", "message" };

/* The dnsrun_sink: writes each finding as it comes, so none is held for long. */
static int
write_findings(void *arg, json_t *findings, struct j2w_err *err)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
		findings_out_put(arg, f);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "internal-ns", required_argument, NULL, 'i' },
		{ "external-ns", required_argument, NULL, 'e' },
		{ "vsd", required_argument, NULL, OPT_VSD },
		{ "domains-from", required_argument, NULL, OPT_DOMAINS_FROM },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "concurrency", required_argument, NULL, 'n' },
		{ "parallel", required_argument, NULL, OPT_PARALLEL },	/* the old name */
		{ "tls", no_argument, NULL, OPT_TLS },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "warn-days", required_argument, NULL, OPT_WARN_DAYS },
		{ "now", required_argument, NULL, OPT_NOW },
		{ "uds-probe", required_argument, NULL, OPT_UDS_PROBE },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct dnsrun run;
	struct atomic_out out;
	struct strbuf sb;
	struct findings_out w = { .keys = tsv_columns, .ncols = 5 };
	struct dnsrun_sink sink = { write_findings, &w };
	struct http_opts hopts = { 0 };
	struct j2w_err err;
	const char **from;
	size_t nfrom = 0;
	const char *now_arg = NULL, *uds_user = NULL, *output = NULL;
	long timeout_ms = 2000, parallel = 64, warn_days = 30;
	unsigned long bad_records = 0;
	size_t answered;
	time_t now = time(NULL);
	int tls = 0, ch, status = J2W_OK;

	cmd_init("j2w-dns-check");
	dnsrun_init(&run);
	w.fail_on = SEV_FAIL;
	from = calloc((size_t)argc, sizeof(*from));
	if (from == NULL)
		die(J2W_ESYS, "out of memory");
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'i':
		case 'e':
			if (dnsrun_add_resolver(&run, optarg, ch == 'i' ? DNSRUN_INTERNAL :
			    DNSRUN_EXTERNAL, &err) < 0)
				cmd_usage_error("%s", err.msg);
			break;
		case OPT_VSD: add_domain(&run, optarg, "--vsd"); break;
		case OPT_DOMAINS_FROM: from[nfrom++] = optarg; break;
		case OPT_TIMEOUT: timeout_ms = cmd_duration_ms("--timeout", optarg, 1, 600000); break;
		case OPT_PARALLEL: cmd_old_name("--parallel", "--concurrency");	/* FALLTHROUGH */
		case 'n': parallel = cmd_number("--concurrency", optarg, 1, 4096); break;
		case OPT_TLS: tls = 1; break;
		case OPT_CACERT: hopts.cacert = optarg; break;
		case OPT_WARN_DAYS: warn_days = cmd_number("--warn-days", optarg, 0, 36500); break;
		case OPT_NOW: now_arg = optarg; break;
		case OPT_UDS_PROBE:
			if (optarg[0] == '\0' || optarg[0] == '@')
				cmd_usage_error("--uds-probe wants a user name or email address");
			uds_user = optarg;
			break;
		case OPT_INSECURE: hopts.insecure = 1; break;
		case 'f': w.delim = cmd_format_delim(cmd_format(optarg)); break;
		case 'o': output = cmd_output_file(optarg); break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &w.fail_on) < 0)
				cmd_usage_error("--fail-on wants OK, INFO, WARN, FAIL or ERROR, not '%s'",
				    optarg);
			break;
		case 'q': cmd_quiet = 1; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	if (now_arg != NULL && tlsprobe_parse_time(now_arg, now, &now) < 0)
		cmd_usage_error("--now wants YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, @EPOCH or +DAYS, "
		    "not '%s'", now_arg);
	for (int k = optind; k < argc; k++)
		add_domain(&run, argv[k], "domain");
	if (run.nres == 0)
		cmd_usage_error("give at least one resolver with --internal-ns or --external-ns");
	if (uds_user != NULL && !dnsrun_has_view(&run, DNSRUN_INTERNAL))
		cmd_usage_error("--uds-probe asks the _cisco-uds targets: give --internal-ns");
	if (hopts.cacert != NULL && access(hopts.cacert, R_OK) != 0)
		die(J2W_EUSAGE, "cannot open '%s': %s", hopts.cacert, strerror(errno));
	for (size_t k = 0; k < nfrom; k++)
		read_domains_from(&run, from[k], &bad_records);
	if (run.ndomains == 0 && nfrom > 0 && bad_records == 0) {
		/* user records with no user in them: nothing to check, as with any empty input */
		cmd_warn("0 domains: the user records held no user");
		free(from);
		dnsrun_release(&run);
		return cmd_finish(J2W_OK);
	}
	free(from);
	if (run.ndomains == 0)
		cmd_usage_error("no domain to check: give DOMAIN, --vsd or --domains-from");
	if (hopts.insecure)
		cmd_warn_insecure();

	/*
	 * Findings are written as each domain is checked, not held to the end; the
	 * spool (or -o's temporary file) keeps a run that dies later (a TLS probe
	 * that cannot be set up) from leaving part of them behind.
	 */
	cmd_output_open(&out, output, 1);
	w.fp = out.fp;
	findings_out_header(&w, tsv_columns);
	if (dnsrun_lookup(&run, timeout_ms, (int)parallel, &err) < 0 ||
	    dnsrun_check(&run, &sink, &err) < 0)
		die_err(&err);
	answered = dnsrun_answered(&run);
	if (tls && probecheck_tls(&run, hopts.cacert, timeout_ms, now, warn_days, &sink,
	    &err) < 0)
		die_err(&err);
	if (uds_user != NULL) {
		if (http_global_init(&err) < 0)
			die_err(&err);
		hopts.connect_timeout_ms = timeout_ms;
		hopts.timeout_ms = timeout_ms * 3;
		if (probecheck_uds(&run, uds_user, &hopts, &sink, &err) < 0)
			die_err(&err);
	}
	cmd_output_commit(&out);

	if (w.tripped)
		status = J2W_FINDINGS;
	if (bad_records > 0 && status == J2W_OK)
		status = J2W_FINDINGS;
	if (answered == 0) {
		cmd_warn("no resolver answered any question");
		status = J2W_ESYS;
	}
	strbuf_init(&sb, 0);
	dnsrun_describe(&run, answered, w.count, bad_records, &sb);
	cmd_warn("%s", sb.buf);
	strbuf_release(&sb);

	dnsrun_release(&run);
	return cmd_finish(status);
}
