/* j2w-apply: calling behaviour and UC Manager profiles through the Webex API, planned, journaled, resumable. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/num.h"
#include "util/progress.h"
#include "util/secret.h"
#include "util/strbuf.h"
#include "webex/apply.h"
#include "webex/rules.h"
#include "webex/session.h"

static const char usage[] =
"usage: j2w-apply [--plan | --commit] [options] [FILE...]\n"
"       j2w-apply --rules RULES [--plan | --commit] [options] [USERS...]\n"
"       j2w-apply --resume JOURNAL [--commit] [options]\n"
"       j2w-apply --rollback JOURNAL [--commit] [options]\n"
"\n"
"Sets each user's Webex calling behaviour and UC Manager profile. Input rows\n"
"(JSON Lines or CSV) give email (or webex_email), calling_behavior and\n"
"uc_manager_profile; with --rules, user records are matched against wave rules.\n"
"Without --commit nothing is changed: the plan is printed (current, desired, action).\n"
"\n"
"  -p, --plan             print what would change (the default)\n"
"  -c, --commit           apply the changes (needs --journal, --resume or --rollback)\n"
"      --verify           read each change back after writing it\n"
"  -r, --rules FILE       wave rules: 'field=glob -> behaviour [profile=NAME]'\n"
"  -j, --journal FILE     new SQLite journal of this run (before, desired, after)\n"
"      --resume FILE      continue the run recorded in journal FILE\n"
"      --rollback FILE    restore every user of journal FILE to its state before\n"
"      --force            with --rollback: restore users changed since by others too\n"
"      --api URL          API base (default $WEBEX_API or " WEBEX_DEFAULT_API ")\n"
"      --org-id ID        work in this customer org (a partner administrator);\n"
"                         default $WEBEX_ORG_ID\n"
"      --token-file FILE  the API token (mode 0600); default $WEBEX_TOKEN\n"
"      --cacert FILE      trust this CA as well\n"
"      --insecure         do not verify TLS certificates (warns every run)\n"
"  -n, --concurrency N    requests in flight at most, 1 to 256 (default: start at\n"
"                         8, then follow rate x round trip, up to 128)\n"
"      --max-rate R       requests per second at most (default: learnt from 429s)\n"
"      --retries N        tries for 5xx answers and broken connections while\n"
"                         other requests succeed (default 6)\n"
"      --outage-after S   stop when the API answers nothing for S seconds (default 60)\n"
"  -f, --format F         jsonl (default), csv or tsv\n"
"      --progress         draw a progress bar even when stderr is not a terminal\n"
"  -q, --quiet            no progress bar, no per-row notices (the summary stays)\n"
"  -h, --help             this text\n"
"      --version          print the version\n"
"\n"
"Exit status: 0 success, 1 some users failed or conflict, 2 usage error,\n"
"3 bad input data (nothing was changed), 4 system, network or remote-service\n"
"error (a refused token, an outage, access refused for everyone: continue\n"
"with --resume once it is fixed).\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "pcr:j:n:f:qh";

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
	signal(sig, SIG_DFL);	/* a second ^C ends it at once */
}

static void
warn_line(void *ctx, const char *msg)
{
	cmd_note("%s", msg);
}

static void
read_input(struct session *ses, const char *path)
{
	FILE *fp = cmd_open_input(path);
	struct j2w_err err;

	if (session_read(ses, fp, path, &err) < 0)
		die_err(&err);
	cmd_close_input(fp);
}

struct out_ctx {
	FILE *out;
	enum out_format format;
	int header_done;
	struct progress *progress;
	unsigned long done;
	const struct apply_run *run;
};

static const char *
cell_behavior(const json_t *state)
{
	const json_t *b = json_object_get(state, "behavior");

	if (state == NULL)
		return "";
	return json_is_string(b) ? json_string_value(b) : "default";
}

static void
emit(const struct apply_item *it, void *ctx)
{
	struct out_ctx *o = ctx;
	json_t *rec = apply_item_json(o->run, it);

	if (rec == NULL)
		die(J2W_ESYS, "out of memory");
	if (o->format == FORMAT_JSONL) {
		jsonl_write(o->out, rec);
	} else {
		static const char *const cols[] = { "email", "current_behavior", "current_profile",
		    "desired_behavior", "desired_profile", "action", "result", "http_status",
		    "tracking_id", "error" };
		const json_t *cur = json_object_get(rec, "current");
		const json_t *des = json_object_get(rec, "desired");
		char status[16] = "";
		const char *cells[10];
		int delim = o->format == FORMAT_CSV ? ',' : '\t';

		if (it->http_status)
			snprintf(status, sizeof(status), "%ld", it->http_status);
		cells[0] = it->email;
		cells[1] = cell_behavior(cur);
		cells[2] = cur ? json_get_str(cur, "profile") : NULL;
		cells[3] = json_is_object(des) ? cell_behavior(des) : "";
		cells[4] = json_is_object(des) ? json_get_str(des, "profile") : NULL;
		cells[5] = json_get_str(rec, "action");
		cells[6] = json_get_str(rec, "result");
		cells[7] = status;
		cells[8] = json_get_str(rec, "tracking_id");
		cells[9] = json_get_str(rec, "error");
		if (!o->header_done) {
			csv_write_row(o->out, delim, cols, 10, NULL);
			o->header_done = 1;
		}
		csv_write_row(o->out, delim, cells, 10, NULL);
	}
	/* a result on disk survives a kill: flush each one */
	fflush(o->out);
	json_decref(rec);
	progress_update(o->progress, ++o->done);
}

static void
summary(const struct apply_run *run, const struct session *ses, int plan, int rollback,
    struct strbuf *sb)
{
	const struct apply_counts *n = &run->n;
	struct webex_stats st;

	webex_get_stats(run->client, &st);
	strbuf_addf(sb, "%s: ", cmd_n(n->users, "user", NULL));
	if (plan)
		strbuf_addf(sb, "%lu to %s, ", n->planned, rollback ? "restore" : "update");
	else if (rollback)
		strbuf_addf(sb, "%lu restored, ", n->restored);
	else
		strbuf_addf(sb, "%lu updated, ", n->applied + n->verified);
	strbuf_addf(sb, "%lu unchanged, %lu failed", n->unchanged, n->failed);
	if (n->conflict)
		strbuf_addf(sb, ", %lu changed by others", n->conflict);
	if (n->stopped)
		strbuf_addf(sb, ", %lu not done", n->stopped);
	if (ses->not_in_wave)
		strbuf_addf(sb, "; %s matched no rule", cmd_n(ses->not_in_wave, "record", NULL));
	if (ses->ignored)
		strbuf_addf(sb, "; %lu ignored by a rule", ses->ignored);
	if (ses->blocked)
		strbuf_addf(sb, "; %lu blocked", ses->blocked);
	if (ses->repeated)
		strbuf_addf(sb, "; %lu listed again", ses->repeated);
	strbuf_addf(sb, "; %s, %lu answered 429, %lu retried", cmd_n(st.requests, "request", NULL),
	    st.r429, st.retries);
	if (plan)
		strbuf_addstr(sb, " (plan only: nothing was changed; --commit applies)");
}

static const char token_refused[] = "the Webex API refused the token (HTTP 401): it is "
    "wrong or has expired; get a new one (WEBEX_TOKEN or --token-file)";

/* The scopes j2w-apply needs, for messages about access refused. */
#define SCOPES "the scopes spark-admin:people_read, spark-admin:people_write and " \
	"spark-admin:telephony_config_read"

/*
 * Reads the UC Manager profiles and, unless this is a rollback, lists the
 * org's people in bulk when the wave is large enough (apply.h), both at once:
 * the users to find are the input rows of a new run, or the journal's users
 * still to do. A failed profile read ends the run; a failed listing leaves the
 * users to be looked up one by one.
 */
static void
read_org(struct apply_run *run, struct session *ses, int rollback)
{
	const char **emails = NULL;
	size_t n = 0;
	struct apply_reads rd;
	struct j2w_err err;

	if (ses->kind == SESSION_NEW) {
		emails = calloc(ses->n + 1, sizeof(*emails));
		if (emails == NULL)
			die(J2W_ESYS, "out of memory");
		for (size_t i = 0; i < ses->n; i++)
			if (ses->rows[i].error == NULL)
				emails[n++] = ses->rows[i].email;
	} else {
		run->journal = &ses->journal;
	}
	if (apply_read_org(run, !rollback, emails, n, &rd, &err) < 0)
		die_err(&err);
	free(emails);
	if (rd.profiles.rc < 0) {
		if (run->unauthorized)
			die(J2W_ESYS, "%s", token_refused);
		if (webex_stop_reason(run->client) == WEBEX_STOP_OUTAGE)
			die(J2W_ESYS, "cannot read the UC Manager profiles: %s; this run changed nothing",
			    webex_stop_why(run->client));
		die(rd.profiles.err.status == J2W_EUSAGE ? J2W_EUSAGE : J2W_ESYS,
		    "cannot read the UC Manager profiles: %s%s", rd.profiles.err.msg,
		    strstr(rd.profiles.err.msg, "HTTP 403") != NULL ? " (the token needs " SCOPES ")" :
		    "");
	}
	if (rd.people->rc < 0) {
		if (rd.people->status == 401)
			die(J2W_ESYS, "%s", token_refused);
		if (webex_stop_reason(run->client) == WEBEX_STOP_OUTAGE)
			die(J2W_ESYS, "cannot list the org's people: %s; this run changed nothing",
			    webex_stop_why(run->client));
		/* the lookups one by one still work when the listing does not */
		cmd_warn("cannot list the org's people in bulk (%s): looking each user up by email",
		    rd.people->err.msg);
	}
}

int
main(int argc, char **argv)
{
	enum { O_VERIFY = 256, O_RESUME, O_ROLLBACK, O_FORCE, O_API, O_TOKEN_FILE, O_CACERT,
	    O_INSECURE, O_MAX_RATE, O_RETRIES, O_PROGRESS, O_VERSION, O_ORG_ID, O_OUTAGE };
	static const struct option longopts[] = {
		{ "plan", no_argument, NULL, 'p' },
		{ "commit", no_argument, NULL, 'c' },
		{ "verify", no_argument, NULL, O_VERIFY },
		{ "rules", required_argument, NULL, 'r' },
		{ "journal", required_argument, NULL, 'j' },
		{ "resume", required_argument, NULL, O_RESUME },
		{ "rollback", required_argument, NULL, O_ROLLBACK },
		{ "force", no_argument, NULL, O_FORCE },
		{ "api", required_argument, NULL, O_API },
		{ "token-file", required_argument, NULL, O_TOKEN_FILE },
		{ "cacert", required_argument, NULL, O_CACERT },
		{ "insecure", no_argument, NULL, O_INSECURE },
		{ "concurrency", required_argument, NULL, 'n' },
		{ "max-rate", required_argument, NULL, O_MAX_RATE },
		{ "retries", required_argument, NULL, O_RETRIES },
		{ "org-id", required_argument, NULL, O_ORG_ID },
		{ "outage-after", required_argument, NULL, O_OUTAGE },
		{ "format", required_argument, NULL, 'f' },
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct webex_opts wo = { 0 };
	struct apply_run run = { 0 };
	struct session ses;
	struct rules rules;
	struct out_ctx oc = { 0 };
	struct progress progress;
	enum progress_mode pmode = PROGRESS_AUTO;
	struct j2w_err err;
	struct strbuf sb;
	const char *rules_path = NULL, *journal_path = NULL, *resume = NULL, *rollback = NULL;
	const char *token_file = NULL;
	char *token = NULL;
	int commit = 0, plan_given = 0, verify = 0, force = 0, ch, status = 0;
	long concurrency = 0, retries = 6;
	double max_rate = 0;
	long outage_ms = WEBEX_OUTAGE_MS;
	char *org_use = NULL;

	cmd_init("j2w-apply");
	oc.format = FORMAT_JSONL;
	cmd_webex_env(&wo.api, &wo.org_id);
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': plan_given = 1; break;
		case 'c': commit = 1; break;
		case O_VERIFY: verify = 1; break;
		case 'r': rules_path = optarg; break;
		case 'j': journal_path = optarg; break;
		case O_RESUME: resume = optarg; break;
		case O_ROLLBACK: rollback = optarg; break;
		case O_FORCE: force = 1; break;
		case O_API: wo.api = optarg; break;
		case O_TOKEN_FILE: token_file = optarg; break;
		case O_CACERT: wo.http.cacert = optarg; break;
		case O_INSECURE: wo.http.insecure = 1; break;
		case 'n': concurrency = cmd_number("--concurrency", optarg, 1, 256); break;
		case O_MAX_RATE: max_rate = cmd_max_rate(optarg); break;
		case O_RETRIES: retries = cmd_number("--retries", optarg, 1, 50); break;
		case O_ORG_ID: wo.org_id = cmd_org_id(optarg); break;
		case O_OUTAGE:
			outage_ms = cmd_duration_ms("--outage-after", optarg, 100, 86400000L);
			break;
		case 'f': oc.format = cmd_format(optarg); break;
		case O_PROGRESS: pmode = PROGRESS_ALWAYS; break;
		case 'q': cmd_quiet = 1; pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	cmd_webex_check_api(wo.api);
	if (commit && plan_given)
		cmd_usage_error("--plan and --commit exclude each other");
	if ((resume != NULL) + (rollback != NULL) + (journal_path != NULL) > 1)
		cmd_usage_error("give one of --journal, --resume and --rollback");
	if ((resume != NULL || rollback != NULL) && (optind < argc || rules_path != NULL))
		cmd_usage_error("--resume and --rollback take their work from the journal, "
		    "not from input files or --rules");
	if (journal_path != NULL && !commit)
		cmd_usage_error("--journal records changes: it goes with --commit");
	if (commit && journal_path == NULL && resume == NULL && rollback == NULL)
		cmd_usage_error("--commit needs --journal FILE: the record that --resume and "
		    "--rollback work from");
	if (force && rollback == NULL)
		cmd_usage_error("--force goes with --rollback");
	if (verify && !commit)
		cmd_usage_error("--verify reads changes back: it goes with --commit");

	if (wo.http.insecure)
		cmd_warn_insecure();
	if (secret_load(token_file, "WEBEX_TOKEN", "Webex API token (WEBEX_TOKEN or --token-file)",
	    &token, &err) < 0)
		die_err(&err);

	rules_init(&rules);
	if (rules_path != NULL && rules_load(&rules, rules_path, &err) < 0)
		die_err(&err);
	session_init(&ses, resume != NULL ? SESSION_RESUME : rollback != NULL ? SESSION_ROLLBACK :
	    SESSION_NEW, commit, rules_path != NULL ? &rules : NULL);
	ses.warn = warn_line;
	ses.stop = &interrupted;
	if (resume == NULL && rollback == NULL) {
		if (optind == argc)
			read_input(&ses, "-");
		for (int i = optind; i < argc; i++)
			read_input(&ses, argv[i]);
	} else {
		if (session_open_journal(&ses, resume != NULL ? resume : rollback, wo.api, &err) < 0)
			die_err(&err);
		/* a journal's people and profile IDs belong to the org it was made in */
		if (apply_journal_org(&ses.journal, wo.org_id, &org_use, &err) < 0)
			die_err(&err);
		wo.org_id = org_use;
	}
	ses.org_id = wo.org_id;
	if (resume == NULL && rollback == NULL && ses.n == 0 && ses.bad == 0 &&
	    ses.not_in_wave == 0 && ses.ignored == 0 && ses.blocked == 0) {
		/* nothing to apply: no request, no journal, as with any empty input */
		cmd_warn("0 users: nothing to do");
		secret_free(token);
		session_release(&ses);
		rules_release(&rules);
		return cmd_finish(J2W_OK);
	}
	if (http_global_init(&err) < 0)
		die_err(&err);
	wo.token = token;
	/* -n is a ceiling; without it the window grows as far as the round trip needs */
	wo.concurrency = (int)concurrency;
	wo.max_rate = max_rate;
	wo.max_attempts = (int)retries;
	wo.outage_ms = outage_ms;
	run.client = webex_client_new(&wo, &err);
	if (run.client == NULL)
		die_err(&err);
	run.commit = commit;
	run.verify = verify;
	run.force = force;
	run.rollback = rollback != NULL;
	run.window = (size_t)(concurrency > 0 ? concurrency : WEBEX_MAX_WINDOW) * 2;
	read_org(&run, &ses, rollback != NULL);
	if (session_start(&ses, &run, journal_path, wo.api, &err) < 0)
		die_err(&err);

	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	progress_init(&progress, stderr, pmode, rollback ? "rollback" : "apply",
	    session_total(&ses));
	oc.out = stdout;
	oc.progress = &progress;
	oc.run = &run;
	run.emit = emit;
	run.emit_ctx = &oc;
	if (apply_execute(&run, &err) < 0) {
		progress_finish(&progress);
		cmd_warn("%s", err.msg);
		status = J2W_ESYS;
	}
	progress_finish(&progress);

	strbuf_init(&sb, 0);
	summary(&run, &ses, !commit, rollback != NULL, &sb);
	cmd_warn("%s", sb.buf);
	if (status == 0) {
		if (run.unauthorized) {
			cmd_warn("the Webex API refused the token (HTTP 401): it is wrong or has expired; "
			    "get a new one and continue with --resume%s%s",
			    ses.journal.path ? " " : "", ses.journal.path ? ses.journal.path : "");
			status = J2W_ESYS;
		} else if (webex_stop_reason(run.client) == WEBEX_STOP_OUTAGE) {
			cmd_warn("%s; users not done are left as they were: continue with --resume%s%s "
			    "when the service is back", webex_stop_why(run.client),
			    ses.journal.path && commit ? " " : "", ses.journal.path && commit ? ses.journal.path : "");
			status = J2W_ESYS;
		} else if (run.forbidden) {
			cmd_warn("the Webex API refused %zu users in a row with the same answer (%s): "
			    "that is about the token or the org, not the users; check that the token's "
			    "administrator has " SCOPES " and that Call Settings API access is not "
			    "restricted in Control Hub; users not done are left as they were: continue "
			    "with --resume%s%s once it is fixed", run.forbidden_users, run.forbidden_what,
			    ses.journal.path && commit ? " " : "", ses.journal.path && commit ? ses.journal.path : "");
			status = J2W_ESYS;
		} else if (interrupted) {
			cmd_warn("interrupted%s%s", ses.journal.path && commit ?
			    ": continue with --resume " : "",
			    ses.journal.path && commit ? ses.journal.path : "");
			status = J2W_ESYS;
		} else if (ses.bad > 0) {
			status = J2W_EDATA;
		} else if (run.n.failed > 0 || run.n.conflict > 0) {
			status = J2W_FINDINGS;
		}
	}
	if (session_end(&ses, status, sb.buf, &err) < 0)
		cmd_warn("%s", err.msg);
	strbuf_release(&sb);
	webex_client_free(run.client);
	people_index_free(run.people);
	free(org_use);
	json_decref(run.profiles);
	secret_free(token);
	rules_release(&rules);
	session_release(&ses);
	curl_global_cleanup();
	return cmd_finish(status);
}
