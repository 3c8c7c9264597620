/* j2w-users: pull CUCM users from BAT exports or AXL as JSON Lines (or CSV/TSV). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdutil.h"
#include "cucm/axl.h"
#include "cucm/bat.h"

static const char usage[] =
"usage: j2w-users (--bat FILE | --axl URL)... [options]\n"
"\n"
"Reads every end user of a CUCM cluster and prints one user record per line.\n"
"\n"
"  -b, --bat FILE            a BAT export: enduser.csv or the export tar ('-': stdin)\n"
"  -a, --axl URL             AXL, e.g. https://cucm.example.com:8443/axl/\n"
"      --axl-version V       AXL schema version (default 12.5)\n"
"      --axl-credentials F   'user:password' on one line (else AXL_USER, AXL_PASSWORD)\n"
"      --page-size N         users per listUser page (default 1000)\n"
"      --timeout SECONDS     per AXL request (default 120; 0.5, 2s, 500ms)\n"
"      --cacert FILE         trust this CA bundle as well\n"
"      --insecure            do not verify TLS certificates (warns on every run)\n"
"      --encoding E          utf-8 (default) or latin1 for exports saved as ISO-8859-1\n"
"  -f, --format F            jsonl (default), csv or tsv\n"
"  -o, --output FILE         write to FILE (complete or not at all) instead of stdout\n"
"      --progress            show progress even when stderr is not a terminal\n"
"  -q, --quiet               no progress, no per-row notices (the summary stays)\n"
"  -h, --help                this text\n"
"      --version             print the version\n"
"\n"
"Exit status: 0 success, 1 some rows could not be used (reported on stderr),\n"
"2 usage error, 3 bad input data, 4 system, network or AXL error.\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "a:b:f:ho:q";

enum { OPT_AXL_VERSION = 256, OPT_AXL_CREDS, OPT_PAGE, OPT_TIMEOUT, OPT_CACERT,
	OPT_INSECURE, OPT_ENCODING, OPT_PROGRESS, OPT_VERSION };

struct users_run {
	struct user_out out;
	unsigned long users;
	unsigned long skipped;
	unsigned long axl_requests;	/* for the summary: how hard the cluster was asked */
	unsigned long axl_throttled;
	struct progress progress;
	struct j2w_err err;
};

static int
write_user(const struct user *u, void *ctx)
{
	struct users_run *run = ctx;

	if (user_out_put(&run->out, u, &run->err) < 0)
		return -1;
	run->users++;
	return 0;
}

static void
axl_problem(const char *why, void *ctx)
{
	struct users_run *run = ctx;

	cmd_warn("%s: user skipped", why);
	run->skipped++;
}

static void
axl_progress(unsigned long done, void *ctx)
{
	struct users_run *run = ctx;

	progress_update(&run->progress, done);
}

static void
read_bat(struct users_run *run, const char *path, int latin1, enum progress_mode pmode)
{
	struct bat_export bx;
	struct strbuf problem;
	struct j2w_err err;
	struct user u;
	int rc;

	/* the check of a small BAT export before its first record: bytes of the CSV's size */
	progress_init(&run->progress, stderr, pmode, "checking bytes", 0);
	if (bat_export_open_watched(&bx, path, latin1, progress_report, &run->progress, &err) < 0)
		die_err(&err);
	progress_finish(&run->progress);
	/* the export is read once (a small one checked first): the bar counts its bytes */
	progress_init(&run->progress, stderr, pmode, "bytes", bx.size > 0 ? (uint64_t)bx.size : 0);
	strbuf_init(&problem, 0);
	while ((rc = bat_export_next(&bx, &u, &problem, &err)) > 0) {
		if (rc == 2) {
			cmd_note("%s: row skipped", problem.buf);
			run->skipped++;
			continue;
		}
		rc = write_user(&u, run);
		user_release(&u);
		if (rc != 0)
			die_err(&run->err);
		progress_update(&run->progress, (uint64_t)bat_export_offset(&bx));
	}
	progress_finish(&run->progress);
	strbuf_release(&problem);
	bat_export_close(&bx);
	if (rc < 0)
		die_err(&err);
}

static void
read_axl(struct users_run *run, const char *url, const char *version, const char *creds_file,
    const struct http_opts *hopts, unsigned long page, enum progress_mode pmode)
{
	struct axl_client client;
	struct j2w_err err;
	char *user = NULL, *password = NULL;
	int rc;

	if (axl_credentials(creds_file, &user, &password, &err) < 0 ||
	    axl_client_init(&client, url, version, user, password, hopts, &err) < 0)
		die_err(&err);
	progress_init(&run->progress, stderr, pmode, "users", 0);
	rc = axl_list_users(&client, page, write_user, axl_problem, axl_progress, run, &err);
	progress_finish(&run->progress);
	run->axl_requests += client.requests;
	run->axl_throttled += client.throttled;
	axl_client_release(&client);
	if (rc < 0)
		die_err(&err);
	if (rc > 0)
		die_err(&run->err);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "bat", required_argument, NULL, 'b' },
		{ "axl", required_argument, NULL, 'a' },
		{ "axl-version", required_argument, NULL, OPT_AXL_VERSION },
		{ "axl-credentials", required_argument, NULL, OPT_AXL_CREDS },
		{ "page-size", required_argument, NULL, OPT_PAGE },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "encoding", required_argument, NULL, OPT_ENCODING },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct users_run run = { 0 };
	struct http_opts hopts = { 0 };
	enum out_format format = FORMAT_JSONL;
	struct atomic_out out;
	struct j2w_err err;
	const char **bats = calloc((size_t)argc, sizeof(char *));
	const char **axls = calloc((size_t)argc, sizeof(char *));
	const char *version = "12.5", *creds = NULL, *output = NULL;
	enum progress_mode pmode = PROGRESS_AUTO;
	unsigned long page = 1000;
	size_t nbat = 0, naxl = 0;
	int latin1 = 0, ch, status;

	cmd_init("j2w-users");
	if (bats == NULL || axls == NULL)
		die(J2W_ESYS, "out of memory");
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'b': bats[nbat++] = optarg; break;
		case 'a':
			cmd_check_url("--axl", optarg, "give them with --axl-credentials FILE, or "
			    "AXL_USER and AXL_PASSWORD");
			axls[naxl++] = optarg;
			break;
		case OPT_AXL_VERSION:
			if (strspn(optarg, "0123456789.") != strlen(optarg) || optarg[0] == '\0')
				cmd_usage_error("--axl-version wants a version such as 12.5, not '%s'", optarg);
			version = optarg;
			break;
		case OPT_AXL_CREDS: creds = optarg; break;
		case OPT_PAGE: page = (unsigned long)cmd_number("--page-size", optarg, 1, 100000); break;
		case OPT_TIMEOUT:
			hopts.timeout_ms = cmd_duration_ms("--timeout", optarg, 1, 86400000);
			break;
		case OPT_CACERT: hopts.cacert = optarg; break;
		case OPT_INSECURE: hopts.insecure = 1; break;
		case OPT_ENCODING:
			if (strcasecmp(optarg, "latin1") == 0 || strcasecmp(optarg, "iso-8859-1") == 0)
				latin1 = 1;
			else if (strcasecmp(optarg, "utf-8") != 0 && strcasecmp(optarg, "utf8") != 0)
				cmd_usage_error("--encoding wants utf-8 or latin1, not '%s'", optarg);
			break;
		case 'f': format = cmd_format(optarg); break;
		case 'o': output = optarg; break;
		case OPT_PROGRESS: pmode = PROGRESS_ALWAYS; break;
		case 'q': cmd_quiet = 1; pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	if (optind < argc)
		cmd_usage_error("unexpected argument '%s' (inputs are given with --bat or --axl)", argv[optind]);
	if (nbat == 0 && naxl == 0)
		cmd_usage_error("give a BAT export with --bat FILE or a cluster with --axl URL");
	if (hopts.insecure)
		cmd_warn_insecure();
	if (naxl > 0 && http_global_init(&err) < 0)
		die_err(&err);

	/*
	 * AXL pages may fail half-way, and a BAT export is checked as it is read,
	 * so records are spooled and shown only when complete.
	 */
	cmd_output_open(&out, output, 1);
	user_out_init(&run.out, out.fp, format == FORMAT_JSONL ? 0 : format == FORMAT_CSV ? ',' : '\t');
	for (size_t i = 0; i < nbat; i++)
		read_bat(&run, bats[i], latin1, pmode);
	for (size_t i = 0; i < naxl; i++)
		read_axl(&run, axls[i], version, creds, &hopts, page, pmode);
	cmd_output_commit(&out);
	if (naxl > 0)
		cmd_warn("%s, %s skipped; %s, %lu answered 503 (throttled)",
		    cmd_n(run.users, "user", NULL), cmd_n(run.skipped, "row", NULL),
		    cmd_n(run.axl_requests, "AXL request", NULL), run.axl_throttled);
	else
		cmd_warn("%s, %s skipped", cmd_n(run.users, "user", NULL),
		    cmd_n(run.skipped, "row", NULL));
	free(bats);
	free(axls);
	user_out_release(&run.out);
	status = run.skipped > 0 ? J2W_FINDINGS : 0;
	return cmd_finish(status);
}
