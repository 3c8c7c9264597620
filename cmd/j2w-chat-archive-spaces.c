/* j2w-chat-archive spaces: persistent chat rooms become Webex spaces, planned, journaled, resumable. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatdb.h"
#include "cmdutil.h"
#include "spaces/spaceargs.h"
#include "spaces/spacerun.h"
#include "util/jsonl.h"
#include "util/num.h"
#include "util/secret.h"
#include "util/strbuf.h"

int chat_spaces_main(int argc, char **argv);

static const char usage[] =
"usage: j2w-chat-archive spaces ARCHIVE.db --map RECONCILED [--plan] [options]\n"
"       j2w-chat-archive spaces ARCHIVE.db --map RECONCILED --commit --journal FILE [options]\n"
"       j2w-chat-archive spaces --resume JOURNAL --commit [ARCHIVE.db] [options]\n"
"       j2w-chat-archive spaces --rollback JOURNAL [--commit] [options]\n"
"\n"
"Makes a Webex space of each persistent chat room in the archive (ad-hoc rooms are\n"
"skipped): titled with the room's name, its members added by the Webex email the\n"
"reconcile output gives their JID (owners and admins as moderators), and one\n"
"message holding the room's history as a self-contained HTML page (several, a\n"
"period each, when it is larger than a file may be). Without --commit nothing is\n"
"changed: one JSON line per room says what would be done.\n"
"\n"
"  -m, --map FILE         j2w-reconcile output (JSON Lines or CSV): jid -> webex_email\n"
"  -p, --plan             print what would be done (the default)\n"
"  -c, --commit           do it (needs --journal, --resume or --rollback)\n"
"  -j, --journal FILE     new SQLite journal of this run (each space, member, message)\n"
"      --resume FILE      continue the run recorded in journal FILE\n"
"      --rollback FILE    delete the spaces journal FILE created\n"
"      --room JID         only this room\n"
"      --max-file-size N  bytes one history file may hold (default 100000000; K, M)\n"
"      --api URL          API base (default $WEBEX_API or " WEBEX_DEFAULT_API ")\n"
"      --token-file FILE  the API token (mode 0600); default $WEBEX_TOKEN; it needs\n"
"                         spark:rooms_write, spark:memberships_write, spark:messages_write\n"
"      --org-id ID        the organization, for partner administrators ($WEBEX_ORG_ID)\n"
"      --cacert FILE      trust this CA as well\n"
"      --insecure         do not verify TLS certificates (warns every run)\n"
"  -n, --concurrency N    requests in flight (default 8)\n"
"      --max-rate R       requests per second (default: learn from the first 429s)\n"
"      --retries N        tries for 5xx answers and broken connections (default 6)\n"
"      --outage-after S   stop when the API answers nothing for S seconds (default 60)\n"
"      --timeout SECONDS  for one request, an upload included (default 300)\n"
"      --progress         draw a progress bar even when stderr is not a terminal\n"
"  -q, --quiet            no progress, no per-member notices (the summary stays)\n"
"  -h, --help             this text\n"
"\n"
"Exit status: 0 success, 1 some members were left out or some steps failed,\n"
"2 usage error, 3 bad input data, 4 system, network or remote-service error (a\n"
"refused token, an API that stopped answering: continue with --resume).\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "m:pcj:n:qh";

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
	signal(sig, SIG_DFL);
}

struct out_ctx {
	struct progress progress;
	unsigned long done;
	int quiet;
};

static void
emit(const struct spaces_run *run, const struct spaces_room *r, void *ctx)
{
	struct out_ctx *o = ctx;
	json_t *rec = spaces_room_json(run, r);

	if (rec == NULL)
		die(J2W_ESYS, "out of memory");
	jsonl_write(stdout, rec);
	fflush(stdout);	/* a result on disk survives a kill */
	json_decref(rec);
	if (!o->quiet)
		spaceargs_room_notes(run, r, cmd_warn_cb, NULL);
	progress_update(&o->progress, ++o->done);
}

/*
 * Test hook (tests/t6102): J2W_TEST_SPACES_KILL=STEP:N kills the process
 * (SIGKILL, as a crash would) when Webex has answered the Nth STEP ("created",
 * "posted") and before the journal records it.
 */
static char test_kill_step[16];
static unsigned long test_kill_n;

static void
test_kill(const char *step, unsigned long n)
{
	if (strcmp(step, test_kill_step) == 0 && n >= test_kill_n)
		raise(SIGKILL);
}

static void
test_hooks(struct spaces_run *run)
{
	const char *v = getenv("J2W_TEST_SPACES_KILL"), *colon;

	if (v == NULL || (colon = strchr(v, ':')) == NULL || (size_t)(colon - v) >=
	    sizeof(test_kill_step))
		return;
	snprintf(test_kill_step, sizeof(test_kill_step), "%.*s", (int)(colon - v), v);
	test_kill_n = (unsigned long)cmd_number("J2W_TEST_SPACES_KILL", colon + 1, 1, 1000000);
	run->on_answer = test_kill;
}

/* --max-file-size: what a size looks like when it is none, else its range. */
static uint64_t
parse_size(const char *arg)
{
	uint64_t v;

	if (num_parse_size(arg, 1024, 1000000000000ULL, &v) == 0)
		return v;
	if (errno == EINVAL)
		cmd_usage_error("--max-file-size wants bytes (such as 100M), not '%s'", arg);
	cmd_usage_error("--max-file-size wants bytes from 1K to 1000000M, not '%s'", arg);
}

int
chat_spaces_main(int argc, char **argv)
{
	enum { O_RESUME = 256, O_ROLLBACK, O_ROOM, O_MAXFILE, O_API, O_TOKEN_FILE, O_ORG_ID,
	    O_CACERT, O_INSECURE, O_MAX_RATE, O_RETRIES, O_TIMEOUT, O_PROGRESS, O_VERSION, O_OUTAGE };
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "plan", no_argument, NULL, 'p' },
		{ "commit", no_argument, NULL, 'c' },
		{ "journal", required_argument, NULL, 'j' },
		{ "resume", required_argument, NULL, O_RESUME },
		{ "rollback", required_argument, NULL, O_ROLLBACK },
		{ "room", required_argument, NULL, O_ROOM },
		{ "max-file-size", required_argument, NULL, O_MAXFILE },
		{ "api", required_argument, NULL, O_API },
		{ "token-file", required_argument, NULL, O_TOKEN_FILE },
		{ "org-id", required_argument, NULL, O_ORG_ID },
		{ "cacert", required_argument, NULL, O_CACERT },
		{ "insecure", no_argument, NULL, O_INSECURE },
		{ "concurrency", required_argument, NULL, 'n' },
		{ "max-rate", required_argument, NULL, O_MAX_RATE },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "outage-after", required_argument, NULL, O_OUTAGE },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct spaceargs a = { 0 };
	struct webex_opts wo = { 0 };
	struct spaces_run run;
	struct spacej j = { 0 };
	struct chatdb *db = NULL;
	struct out_ctx oc = { 0 };
	struct j2w_err err;
	struct strbuf sb, why;
	const char *token_file = NULL, *org_id;
	char *token = NULL;
	FILE *map_fp = NULL;
	enum progress_mode pmode = PROGRESS_AUTO;
	uint64_t max_file = 0;
	long concurrency = 8, retries = 6;
	double max_rate = 0;
	int ch, status = J2W_OK, rc;

	/* orgId goes on the People look-ups only: spaces belong to the token's user */
	cmd_webex_env(&wo.api, &org_id);
	optind = 1;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': a.map = optarg; break;
		case 'p': a.plan = 1; break;
		case 'c': a.commit = 1; break;
		case 'j': a.journal = optarg; break;
		case O_RESUME: a.resume = optarg; break;
		case O_ROLLBACK: a.rollback = optarg; break;
		case O_ROOM: a.room = optarg; break;
		case O_MAXFILE: max_file = parse_size(optarg); break;
		case O_API: wo.api = optarg; break;
		case O_TOKEN_FILE: token_file = optarg; break;
		case O_ORG_ID: org_id = cmd_org_id(optarg); break;
		case O_CACERT: wo.http.cacert = optarg; break;
		case O_INSECURE: wo.http.insecure = 1; break;
		case 'n': concurrency = cmd_number("--concurrency", optarg, 1, 64); break;
		case O_MAX_RATE: max_rate = cmd_max_rate(optarg); break;
		case O_RETRIES: retries = cmd_number("--retries", optarg, 1, 50); break;
		case O_OUTAGE:
			wo.outage_ms = cmd_duration_ms("--outage-after", optarg, 100, 86400000L);
			break;
		case O_TIMEOUT:
			if (num_parse_duration_ms(optarg, 1, 86400000L * 1000, &wo.http.timeout_ms) < 0)
				cmd_usage_error("--timeout wants seconds (such as 30, 0.5, 500ms), not '%s'",
				    optarg);
			break;
		case O_PROGRESS: pmode = PROGRESS_ALWAYS; break;
		case 'q': oc.quiet = 1; pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	if (optind < argc)
		a.archive = argv[optind++];
	if (optind < argc)
		cmd_usage_error("unexpected argument '%s'", argv[optind]);
	if (spaceargs_check(&a, &err) < 0)
		cmd_die_usage(&err);
	cmd_webex_check_api(wo.api);

	if (wo.http.insecure)
		cmd_warn_insecure();
	if (secret_load(token_file, "WEBEX_TOKEN", "Webex API token (WEBEX_TOKEN or --token-file)",
	    &token, &err) < 0)
		die_err(&err);
	if (http_global_init(&err) < 0)
		die_err(&err);
	wo.token = token;
	wo.concurrency = (int)concurrency;
	wo.max_rate = max_rate;
	wo.max_attempts = (int)retries;
	spaces_run_init(&run);
	run.client = webex_client_new(&wo, &err);
	if (run.client == NULL)
		die_err(&err);
	run.org_id = org_id;
	run.file_limit = max_file;
	run.commit = a.commit;
	run.rollback = a.rollback != NULL;
	run.resume = a.resume != NULL;
	run.window = (size_t)concurrency;
	run.stop = &interrupted;
	if (a.resume == NULL && a.rollback == NULL)
		map_fp = cmd_open_input(a.map);
	rc = spaceargs_start(&run, &a, map_fp, wo.api, &j, &db, &err);
	if (rc > 0)
		cmd_usage_error("%s", err.msg);
	if (rc < 0)
		die_err(&err);
	if (map_fp != NULL)
		cmd_close_input(map_fp);

	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	signal(SIGHUP, on_interrupt);
	progress_init(&oc.progress, stderr, pmode, run.rollback ? "rollback" : "rooms", run.nrooms);
	run.emit = emit;
	run.emit_ctx = &oc;
	test_hooks(&run);
	rc = spaces_execute(&run, &err);
	progress_finish(&oc.progress);
	if (rc < 0) {
		cmd_warn("%s", err.msg);
		status = J2W_ESYS;
	}
	strbuf_init(&sb, 0);
	strbuf_init(&why, 0);
	spaceargs_describe(&run, &sb);
	cmd_warn("%s", sb.buf);
	if (status == J2W_OK && spaceargs_stopped(&run, &a, interrupted != 0, &why)) {
		cmd_warn("%s", why.buf);
		status = J2W_ESYS;
	} else if (status == J2W_OK && (run.n.failed || run.n.member_failed || run.n.left_out ||
	    run.n.stopped)) {
		status = J2W_FINDINGS;
	}
	if (j.db != NULL && a.commit && spacej_run_end(&j, status, sb.buf, &err) < 0)
		cmd_warn("%s", err.msg);
	strbuf_release(&why);
	strbuf_release(&sb);
	free((char *)run.digest);
	spaces_run_release(&run);
	webex_client_free(run.client);
	if (j.db != NULL)
		spacej_close(&j);
	chatdb_close(db);
	secret_free(token);
	curl_global_cleanup();
	return status;
}
