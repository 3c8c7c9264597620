/* j2w-reconcile: each user's JID against Directory URI, mail, LDAP and the Webex email. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "cucm/contacts.h"
#include "identity/reconcilerun.h"
#include "util/secret.h"

static const char usage[] =
"usage: j2w-reconcile --scheme userid|directory-uri [options] [FILE...]\n"
"\n"
"Reads user records (j2w-users output) and prints each one with its JID, its\n"
"Webex email, a status (ok, review, blocked) and the findings that explain it.\n"
"With no FILE, or FILE '-', reads stdin.\n"
"\n"
"Identity:\n"
"  -s, --scheme S              IM address scheme: userid (UserID@Default_Domain)\n"
"                              or directory-uri\n"
"  -d, --default-domain D      the IM&P default domain (required with userid)\n"
"  -w, --webex-domain D        a verified Webex domain (repeatable, or D1,D2);\n"
"                              without it domains are not checked\n"
"      --webex-email-from F    directory-uri (default), mailid or ldap:ATTR\n"
"      --xmpp-federation       Webex XMPP federation is planned: one presence domain\n"
"Directory (LDAP):\n"
"      --ldap URI              ldap://host (StartTLS), ldaps://host or ldapi://\n"
"      --ldap-base DN          search base (required with --ldap)\n"
"      --ldap-filter T         filter template, %u is the user ID (escaped);\n"
"                              default " LDAPDIR_DEFAULT_FILTER "\n"
"      --ldap-bind-dn DN       simple bind as DN (default: anonymous)\n"
"      --ldap-password-file F  the bind password (a file only its owner can read)\n"
"  -n, --concurrency N         searches in flight at once (1-1024, default 64)\n"
"      --ldap-bulk             read the directory in one paged search, whatever\n"
"                              the size of the wave\n"
"      --ldap-per-user         one search per user, whatever the size of the wave\n"
"                              (default: bulk from 1000 users while the directory\n"
"                              has at most 8 entries per user)\n"
"      --timeout SECONDS       to wait for the server (default 30; whole seconds\n"
"                              for LDAP, rounded up)\n"
"      --ldap-plain            ldap:// without StartTLS: everything in clear text\n"
"      --cacert FILE           trust this CA for the LDAP server's certificate\n"
"      --insecure              do not verify the LDAP server's certificate\n"
"Contacts:\n"
"      --contacts FILE         contact records (j2w-contacts) or an IM&P export\n"
"      --contacts-output FILE  where the rewritten contacts go (required with\n"
"                              --contacts)\n"
"Output:\n"
"  -o, --output FILE           write to FILE (complete or not at all)\n"
"      --fail-on SEV           exit 1 on a finding at SEV or worse: INFO, WARN,\n"
"                              FAIL (default), ERROR\n"
"      --progress              show progress even when stderr is not a terminal\n"
"  -q, --quiet                 no progress, no per-row notices (the summary stays)\n"
"  -h, --help                  this text\n"
"      --version               print the version\n"
"\n"
"Exit status: 0 no finding at or above --fail-on, 1 findings at or above it\n"
"(a user is blocked), 2 usage error, 3 bad input data, 4 system, network or\n"
"directory error.\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "d:hn:o:qs:w:";

/* An input: opened when first read; a wave read in bulk is read twice. */
struct input {
	const char *path;
	FILE *fp;
};

static void
read_users(struct reconcile_run *run, struct input *in)
{
	struct j2w_err err;

	if (in->fp == NULL)
		in->fp = cmd_open_input(in->path);
	if (reconcile_run_read(run, in->fp, in->path, &err) < 0)
		die_err(&err);
	cmd_close_input(in->fp);
	in->fp = NULL;
}

static void
count_progress(void *ctx, unsigned long done)
{
	progress_update(ctx, done);
}

/*
 * Reads the directory in bulk when the wave is large enough (or forced), else
 * leaves one search per user (reconcilerun.h says when): a bulk read the
 * server refuses, or that finds the directory too large for the wave, gives
 * way to searches per user, unless forced.
 */
static void
choose_directory(struct reconcile_run *run, struct input *inputs, size_t ninputs,
    const char *tmpl, int forced, enum progress_mode pmode, int quiet)
{
	struct progress progress;
	struct j2w_err err;
	int rc = reconcile_run_bulk_start(run, tmpl, forced, &err);

	if (rc < 0)
		die_err(&err);
	/* each input is read now for its user IDs, and again in the first pass */
	for (size_t i = 0; rc > 0 && i < ninputs; i++) {
		inputs[i].fp = cmd_open_input(inputs[i].path);
		if (reconcile_run_want(run, &inputs[i].fp, inputs[i].path, &err) < 0)
			die_err(&err);
	}
	if (rc == 0 || !reconcile_run_bulk_wanted(run))
		return;
	progress_init(&progress, stderr, pmode, "directory entries", 0);
	rc = reconcile_run_bulk_read(run, count_progress, &progress, &err);
	progress_finish(&progress);
	if (rc < 0)
		die_err(&err);
	if (rc > 0)
		cmd_warn("%s: one search per user instead", err.msg);
}

struct contacts_out {
	struct reconcile_run *run;
	FILE *fp;
};

/* One contact: rewritten to Webex emails and written, or an export row reported. */
static int
write_contact(void *ctx, json_t *c, const char *problem)
{
	struct contacts_out *o = ctx;
	struct j2w_err err;
	int rc = reconcile_run_contact(o->run, c, problem, o->fp, &err);

	if (rc < 0)
		die_err(&err);
	if (rc > 0)
		cmd_note("%s: row skipped", problem);
	return 0;
}

static void
rewrite_contacts(struct reconcile_run *run, const char *path, const char *out_path)
{
	struct atomic_out out;
	struct contacts_out o;
	struct j2w_err err;
	FILE *fp = cmd_open_input(path);
	int rc;

	cmd_output_open(&out, out_path, 0);
	o.run = run;
	o.fp = out.fp;
	rc = contacts_read(fp, path, write_contact, &o, &err);
	cmd_close_input(fp);
	if (rc < 0)
		die_err(&err);
	if (fflush(out.fp) != 0 || ferror(out.fp))
		die(J2W_ESYS, "cannot write '%s': %s", out_path, strerror(errno));
	cmd_output_commit(&out);
}

enum {
	OPT_EMAIL_FROM = 256, OPT_XMPP, OPT_LDAP, OPT_LDAP_BASE, OPT_LDAP_FILTER,
	OPT_LDAP_BIND_DN, OPT_LDAP_PASSWORD_FILE, OPT_LDAP_WINDOW, OPT_LDAP_TIMEOUT,
	OPT_LDAP_PLAIN, OPT_LDAP_BULK, OPT_LDAP_PER_USER, OPT_CACERT, OPT_INSECURE, OPT_CONTACTS,
	OPT_CONTACTS_OUTPUT, OPT_TIMEOUT,
	OPT_FAIL_ON, OPT_PROGRESS, OPT_VERSION
};

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "default-domain", required_argument, NULL, 'd' },
		{ "webex-domain", required_argument, NULL, 'w' },
		{ "webex-email-from", required_argument, NULL, OPT_EMAIL_FROM },
		{ "xmpp-federation", no_argument, NULL, OPT_XMPP },
		{ "ldap", required_argument, NULL, OPT_LDAP },
		{ "ldap-base", required_argument, NULL, OPT_LDAP_BASE },
		{ "ldap-filter", required_argument, NULL, OPT_LDAP_FILTER },
		{ "ldap-bind-dn", required_argument, NULL, OPT_LDAP_BIND_DN },
		{ "ldap-password-file", required_argument, NULL, OPT_LDAP_PASSWORD_FILE },
		{ "concurrency", required_argument, NULL, 'n' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "ldap-window", required_argument, NULL, OPT_LDAP_WINDOW },	/* old names */
		{ "ldap-timeout", required_argument, NULL, OPT_LDAP_TIMEOUT },
		{ "ldap-plain", no_argument, NULL, OPT_LDAP_PLAIN },
		{ "ldap-bulk", no_argument, NULL, OPT_LDAP_BULK },
		{ "ldap-per-user", no_argument, NULL, OPT_LDAP_PER_USER },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "contacts", required_argument, NULL, OPT_CONTACTS },
		{ "contacts-output", required_argument, NULL, OPT_CONTACTS_OUTPUT },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct reconcile_run run;
	struct progress progress;
	struct ldapdir_opts lo;
	struct atomic_out out;
	struct strbuf lines;
	struct j2w_err err;
	struct reconcile_args args;
	const char *output = NULL, *contacts = NULL, *contacts_output = NULL;
	const char **domains = NULL;
	char *password = NULL;
	enum progress_mode pmode = PROGRESS_AUTO;
	struct input *inputs;
	size_t ninputs;
	int quiet = 0, ch;

	cmd_init("j2w-reconcile");
	reconcile_run_init(&run);
	memset(&lo, 0, sizeof(lo));
	memset(&args, 0, sizeof(args));
	run.fail_on = SEV_FAIL;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 's': args.scheme = optarg; break;
		case 'd': run.o.default_domain = optarg; break;
		case 'w':
			if (reconcile_add_domains(&domains, &run.o.nwebex_domains, optarg, &err) < 0)
				cmd_die_usage(&err);
			break;
		case OPT_EMAIL_FROM: args.email_from = optarg; break;
		case OPT_XMPP: run.o.xmpp_federation = 1; break;
		case OPT_LDAP:
			cmd_check_url("--ldap", optarg, "bind with --ldap-bind-dn DN and "
			    "--ldap-password-file FILE");
			lo.uri = optarg;
			break;
		case OPT_LDAP_BASE: lo.base = optarg; break;
		case OPT_LDAP_FILTER: lo.filter = optarg; break;
		case OPT_LDAP_BIND_DN: lo.bind_dn = optarg; break;
		case OPT_LDAP_PASSWORD_FILE: args.password_file = optarg; break;
		case OPT_LDAP_WINDOW: cmd_old_name("--ldap-window", "--concurrency");	/* FALLTHROUGH */
		case 'n':
			lo.window = (int)cmd_number("--concurrency", optarg, 1, LDAPDIR_MAX_WINDOW);
			break;
		case OPT_LDAP_TIMEOUT: cmd_old_name("--ldap-timeout", "--timeout");	/* FALLTHROUGH */
		case OPT_TIMEOUT:
			/* LDAP waits whole seconds: a part of one is rounded up */
			lo.timeout = (int)((cmd_duration_ms("--timeout", optarg, 1, 3600000) + 999) / 1000);
			break;
		case OPT_LDAP_PLAIN: lo.plain = 1; break;
		case OPT_LDAP_BULK: args.bulk = 1; break;
		case OPT_LDAP_PER_USER: args.per_user = 1; break;
		case OPT_CACERT: lo.cacert = optarg; break;
		case OPT_INSECURE: lo.insecure = 1; break;
		case OPT_CONTACTS: contacts = optarg; break;
		case OPT_CONTACTS_OUTPUT: contacts_output = optarg; break;
		case 'o': output = optarg; break;
		case OPT_FAIL_ON:
			if (severity_parse(optarg, &run.fail_on) < 0 || run.fail_on == SEV_OK)
				cmd_usage_error("--fail-on wants INFO, WARN, FAIL or ERROR, not '%s'",
				    optarg);
			break;
		case OPT_PROGRESS: pmode = PROGRESS_ALWAYS; break;
		case 'q': quiet = cmd_quiet = 1; pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	run.o.webex_domains = domains;

	/* the options must make sense together before anything is read or contacted */
	args.contacts = contacts;
	args.contacts_output = contacts_output;
	args.output = output;
	if (reconcile_args_check(&args, &run.o, &lo, &err) < 0)
		cmd_usage_error("%s", err.msg);

	if (lo.uri != NULL) {
		if (args.password_file != NULL &&
		    secret_from_file(args.password_file, &password, &err) < 0)
			die_err(&err);
		if (lo.insecure)
			cmd_warn_insecure();
		if (lo.plain)
			cmd_warn("warning: --ldap-plain: the bind and every search cross the network "
			    "in clear text");
		lo.password = password;
		if (ldapdir_open(&run.ldap, &lo, &err) < 0) {
			secret_free(password);
			die_err(&err);
		}
		secret_free(password);
		password = NULL;
		run.o.ldap = 1;
	}
	ninputs = optind == argc ? 1 : (size_t)(argc - optind);
	inputs = calloc(ninputs, sizeof(*inputs));
	if (inputs == NULL)
		die(J2W_ESYS, "out of memory");
	for (size_t i = 0; i < ninputs; i++)
		inputs[i].path = optind == argc ? "-" : argv[optind + (int)i];
	/* a wave that is a large share of the directory reads it once, in bulk */
	if (run.ldap != NULL && !args.per_user)
		choose_directory(&run, inputs, ninputs, lo.filter ? lo.filter :
		    LDAPDIR_DEFAULT_FILTER, args.bulk, pmode, quiet);
	if (reconcile_run_begin(&run, (size_t)lo.window, &err) < 0)
		die_err(&err);

	/* pass 1: per-user checks (and directory look-ups, pipelined), spooled */
	progress_init(&progress, stderr, pmode, "users", 0);
	run.progress = count_progress;
	run.progress_ctx = &progress;
	for (size_t i = 0; i < ninputs; i++)
		read_users(&run, &inputs[i]);
	if (ldapstream_finish(&run.stream, &err) < 0)
		die_err(&err);
	progress_finish(&progress);

	/* contacts need every user; users need the contact counts */
	if (contacts != NULL)
		rewrite_contacts(&run, contacts, contacts_output);

	/* pass 2: findings across users, status, output; as long again as the first */
	cmd_output_open(&out, output, 0);
	progress_init(&progress, stderr, pmode, "across users", run.t.users);
	if (reconcile_run_write(&run, out.fp, &err) < 0)
		die_err(&err);
	progress_finish(&progress);
	if (output != NULL && (fflush(out.fp) != 0 || ferror(out.fp)))
		die(J2W_ESYS, "cannot write '%s': %s", output, strerror(errno));
	cmd_output_commit(&out);

	strbuf_init(&lines, 0);
	reconcile_run_describe(&run, contacts != NULL, &lines);
	cmd_warn_lines(&lines);
	strbuf_release(&lines);
	ldapdir_close(run.ldap);
	reconcile_run_release(&run);
	free(inputs);
	free(domains);
	return cmd_finish(run.tripped ? J2W_FINDINGS : J2W_OK);
}
