/* j2w-chat-archive spaces: persistent chat rooms become Webex spaces, planned, journaled, resumable. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatdb.h"
#include "chat/chatread.h"
#include "cmdutil.h"
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
"  -q, --quiet            no progress, no per-member notices, no summary line\n"
"  -h, --help             this text\n"
"\n"
"Exit status: 0 success, 1 some members were left out or some steps failed,\n"
"2 usage error, 3 bad input data, 4 system, network or remote-service error (a\n"
"refused token, an API that stopped answering: continue with --resume).\n";

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
	for (size_t k = 0; !o->quiet && !run->rollback && strcmp(r->state, "exists") != 0 &&
	    k < r->nmembers; k++) {
		const struct spaces_member *m = &r->members[k];

		if (strcmp(m->state, "left_out") == 0 || strcmp(m->state, "failed") == 0)
			cmd_warn("room '%s': '%s' %s: %s", r->room_jid, m->jid,
			    strcmp(m->state, "failed") == 0 ? "could not be added" : "left out",
			    m->reason ? m->reason : "no reason recorded");
	}
	if (!o->quiet && r->error[0] != '\0')
		cmd_warn("room '%s': %s", r->room_jid, r->error);
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

static uint64_t
parse_size(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);
	double mult = 1;

	if (end == arg)
		cmd_usage_error("--max-file-size wants bytes (such as 100M), not '%s'", arg);
	if (*end == 'K' || *end == 'k')
		mult = 1000, end++;
	else if (*end == 'M' || *end == 'm')
		mult = 1000000, end++;
	if (*end != '\0' || v * mult < 1024 || v * mult > 1e12)
		cmd_usage_error("--max-file-size wants bytes from 1K to 1000000M, not '%s'", arg);
	return (uint64_t)(v * mult);
}

static long
parse_timeout(const char *arg)
{
	char buf[64];
	size_t n = strlen(arg);
	double v, scale = 1000;

	snprintf(buf, sizeof(buf), "%s", arg);
	if (n > 2 && strcmp(arg + n - 2, "ms") == 0) {
		buf[n - 2] = '\0';
		scale = 1;
	} else if (n > 1 && arg[n - 1] == 's') {
		buf[n - 1] = '\0';
	}
	if (num_parse_double(buf, 0.001, 86400000, &v) < 0 || v * scale < 1)
		cmd_usage_error("--timeout wants seconds (such as 30, 0.5, 500ms), not '%s'", arg);
	return (long)(v * scale);
}

static void
summary(const struct spaces_run *run, struct strbuf *sb)
{
	const struct spaces_counts *n = &run->n;
	struct webex_stats st;

	webex_get_stats(run->client, &st);
	if (run->rollback) {
		unsigned long planned = 0;

		for (size_t i = 0; i < run->nrooms; i++)
			planned += run->rooms[i]->rb_state != NULL &&
			    strcmp(run->rooms[i]->rb_state, "planned") == 0;
		strbuf_addf(sb, "%lu spaces %s, %lu already gone, %lu failed", run->commit ?
		    n->deleted : planned, run->commit ? "deleted" : "to delete", n->gone, n->failed);
		if (n->stopped)
			strbuf_addf(sb, ", %lu not done", n->stopped);
	} else {
		strbuf_addf(sb, "%lu rooms: ", n->rooms);
		if (!run->commit)
			strbuf_addf(sb, "%lu spaces to create, %lu already in Webex", n->rooms - n->exists,
			    n->exists);
		else
			strbuf_addf(sb, "%lu spaces created, %lu done, %lu already in Webex, %lu failed",
			    n->created, n->done, n->exists, n->failed);
		if (n->stopped)
			strbuf_addf(sb, ", %lu not done", n->stopped);
		if (n->adhoc || n->other)
			strbuf_addf(sb, "; %lu ad-hoc rooms skipped", n->adhoc + n->other);
		if (!run->commit)
			strbuf_addf(sb, "; %lu members to add, %lu left out; %lu files",
			    n->members - n->left_out, n->left_out, n->files);
		else
			strbuf_addf(sb, "; %lu members added, %lu already members, %lu left out, %lu "
			    "failed; %lu of %lu files posted", n->added, n->present, n->left_out,
			    n->member_failed, n->posted, n->files);
	}
	strbuf_addf(sb, "; %lu requests, %lu answered 429, %lu retried", st.requests, st.r429,
	    st.retries);
	if (!run->commit)
		strbuf_addf(sb, " (plan only: nothing was changed; --commit %s)", run->rollback ?
		    "deletes them" : "creates the spaces");
}

struct opts {
	const char *map, *journal, *resume, *rollback, *room, *token_file, *org_id;
	int commit, plan, quiet;
	enum progress_mode pmode;
	uint64_t max_file;
};

/* The archive, the plan and the new journal of a --commit (or the plan alone). */
static void
start_new(struct spaces_run *run, struct opts *o, const char *archive, struct spacej *j,
    const char *api, struct chatdb **db)
{
	struct spaces_map map;
	struct j2w_err err;
	FILE *fp;
	char *digest;

	spaces_map_init(&map);
	fp = cmd_open_input(o->map);
	if (spaces_map_read(&map, fp, o->map, &err) < 0)
		die_err(&err);
	cmd_close_input(fp);
	if (chatdb_open(db, archive, 0, &err) < 0)
		die_err(&err);
	digest = chatread_archive_digest(*db, &err);
	if (digest == NULL && err.status != J2W_OK)
		die_err(&err);
	if (spaces_load_archive(run, *db, &map, o->room, &err) < 0)
		die_err(&err);
	spaces_map_release(&map);
	run->digest = digest;
	if (spaces_lookup(run, &err) < 0)
		die_err(&err);
	if (o->journal != NULL) {
		if (spacej_create(j, o->journal, api, archive, digest, &err) < 0)
			die_err(&err);
		run->journal = j;
		if (spacej_run_start(j, "commit", &err) < 0 || spaces_journal_plan(run, &err) < 0)
			die_err(&err);
	}
}

/* The journal of --resume or --rollback, and (resume) the archive it was made from. */
static void
start_journal(struct spaces_run *run, struct opts *o, const char *archive, struct spacej *j,
    const char *api, struct chatdb **db)
{
	const char *path = o->resume != NULL ? o->resume : o->rollback;
	char *japi = NULL, *jarchive = NULL, *digest = NULL;
	struct j2w_err err;

	if (spacej_open(j, path, &err) < 0)
		die_err(&err);
	if (spacej_meta(j, "api", &japi, &err) < 0 || spacej_meta(j, "archive", &jarchive, &err) < 0 ||
	    spacej_meta(j, "archive_digest", &digest, &err) < 0)
		die_err(&err);
	if (japi != NULL && strcmp(japi, api) != 0)
		cmd_usage_error("journal '%s' was written against the API '%s', not '%s': give --api",
		    path, japi, api);
	free(japi);
	if (spaces_load_journal(run, j, &err) < 0)
		die_err(&err);
	run->digest = digest;
	if (o->resume != NULL) {
		if (archive == NULL && jarchive == NULL)
			cmd_usage_error("journal '%s' names no archive: give ARCHIVE.db", path);
		if (chatdb_open(db, archive != NULL ? archive : jarchive, 0, &err) < 0)
			die_err(&err);
		run->db = *db;
	}
	free(jarchive);
	if (o->commit && spacej_run_start(j, o->resume ? "resume" : "rollback", &err) < 0)
		die_err(&err);
	if (spaces_lookup(run, &err) < 0)
		die_err(&err);
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
	struct opts o = { 0 };
	struct webex_opts wo = { 0 };
	struct spaces_run run;
	struct spacej j = { 0 };
	struct chatdb *db = NULL;
	struct out_ctx oc = { 0 };
	struct j2w_err err;
	struct strbuf sb;
	const char *archive = NULL;
	char *token = NULL;
	long concurrency = 8, retries = 6;
	double max_rate = 0;
	int ch, status = J2W_OK, rc;

	o.pmode = PROGRESS_AUTO;
	o.org_id = getenv("WEBEX_ORG_ID") != NULL && *getenv("WEBEX_ORG_ID") ?
	    getenv("WEBEX_ORG_ID") : NULL;
	wo.api = getenv("WEBEX_API") != NULL && *getenv("WEBEX_API") ? getenv("WEBEX_API") :
	    WEBEX_DEFAULT_API;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "m:pcj:n:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'm': o.map = optarg; break;
		case 'p': o.plan = 1; break;
		case 'c': o.commit = 1; break;
		case 'j': o.journal = optarg; break;
		case O_RESUME: o.resume = optarg; break;
		case O_ROLLBACK: o.rollback = optarg; break;
		case O_ROOM: o.room = optarg; break;
		case O_MAXFILE: o.max_file = parse_size(optarg); break;
		case O_API: wo.api = optarg; break;
		case O_TOKEN_FILE: o.token_file = optarg; break;
		case O_ORG_ID: o.org_id = optarg; break;
		case O_CACERT: wo.http.cacert = optarg; break;
		case O_INSECURE: wo.http.insecure = 1; break;
		case 'n': concurrency = cmd_number("--concurrency", optarg, 1, 64); break;
		case O_MAX_RATE:
			if (num_parse_double(optarg, 0.01, 100000, &max_rate) < 0)
				cmd_usage_error("--max-rate wants requests per second (0.01 to 100000), "
				    "not '%s'", optarg);
			break;
		case O_RETRIES: retries = cmd_number("--retries", optarg, 1, 50); break;
		case O_OUTAGE:
			wo.outage_ms = cmd_duration_ms("--outage-after", optarg, 100, 86400000L);
			break;
		case O_TIMEOUT: wo.http.timeout_ms = parse_timeout(optarg); break;
		case O_PROGRESS: o.pmode = PROGRESS_ALWAYS; break;
		case 'q': o.quiet = 1; o.pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_usage_error("unknown option");
		}
	}
	if (optind < argc)
		archive = argv[optind++];
	if (optind < argc)
		cmd_usage_error("unexpected argument '%s'", argv[optind]);
	if (o.commit && o.plan)
		cmd_usage_error("--plan and --commit exclude each other");
	if ((o.resume != NULL) + (o.rollback != NULL) + (o.journal != NULL) > 1)
		cmd_usage_error("give one of --journal, --resume and --rollback");
	if (o.resume == NULL && o.rollback == NULL && (archive == NULL || o.map == NULL))
		cmd_usage_error("spaces wants the archive and the reconcile output: "
		    "spaces ARCHIVE.db --map RECONCILED.jsonl");
	if ((o.resume != NULL || o.rollback != NULL) && (o.map != NULL || o.room != NULL))
		cmd_usage_error("--resume and --rollback take their rooms from the journal, not from "
		    "--map or --room");
	if (o.rollback != NULL && archive != NULL)
		cmd_usage_error("--rollback needs only the journal, not '%s'", archive);
	if (o.journal != NULL && !o.commit)
		cmd_usage_error("--journal records changes: it goes with --commit");
	if (o.commit && o.journal == NULL && o.resume == NULL && o.rollback == NULL)
		cmd_usage_error("--commit needs --journal FILE: the record that --resume and "
		    "--rollback work from");
	if (o.resume != NULL && !o.commit)
		cmd_usage_error("--resume continues a commit: give --commit as well");

	if (wo.http.insecure)
		cmd_warn_insecure();
	if (secret_load(o.token_file, "WEBEX_TOKEN", "Webex API token (WEBEX_TOKEN or --token-file)",
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
	run.org_id = o.org_id;
	run.file_limit = o.max_file;
	run.commit = o.commit;
	run.rollback = o.rollback != NULL;
	run.resume = o.resume != NULL;
	run.window = (size_t)concurrency;
	run.stop = &interrupted;
	if (o.resume != NULL || o.rollback != NULL)
		start_journal(&run, &o, archive, &j, wo.api, &db);
	else
		start_new(&run, &o, archive, &j, wo.api, &db);

	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	signal(SIGHUP, on_interrupt);
	oc.quiet = o.quiet;
	progress_init(&oc.progress, stderr, o.pmode, run.rollback ? "rollback" : "rooms", run.nrooms);
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
	summary(&run, &sb);
	if (!o.quiet)
		cmd_warn("%s", sb.buf);
	if (status == J2W_OK) {
		const char *jpath = o.journal ? o.journal : o.resume ? o.resume : o.rollback;

		const char *again = !o.commit || jpath == NULL ? NULL : run.rollback ? "--rollback" :
		    "--resume";

		if (run.stop_reason[0] != '\0' || interrupted) {
			if (again != NULL)
				cmd_warn("%s: continue with %s %s --commit", run.stop_reason[0] ?
				    run.stop_reason : "interrupted", again, jpath);
			else
				cmd_warn("%s", run.stop_reason[0] ? run.stop_reason : "interrupted");
			status = J2W_ESYS;
		} else if (run.n.unsure > 0) {
			cmd_warn("%s left unsure (Webex may have made a space or message whose answer "
			    "was lost): continue with %s %s --commit, which finds out",
			    cmd_n(run.n.unsure, "room", NULL), again != NULL ? again : "--resume",
			    jpath != NULL ? jpath : "JOURNAL");
			status = J2W_ESYS;
		} else if (run.n.failed || run.n.member_failed || run.n.left_out || run.n.stopped) {
			status = J2W_FINDINGS;
		}
	}
	if (j.db != NULL && o.commit && spacej_run_end(&j, status, sb.buf, &err) < 0)
		cmd_warn("%s", err.msg);
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
