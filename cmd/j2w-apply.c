/* j2w-apply: calling behaviour and UC Manager profiles through the Webex API, planned, journaled, resumable. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmdutil.h"
#include "record/person.h"
#include "record/records.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/num.h"
#include "util/progress.h"
#include "util/secret.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "webex/apply.h"
#include "webex/rules.h"
#include "webex/wave.h"

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
"  -n, --concurrency N    requests in flight at most (default: start at 8, then\n"
"                         follow rate x round trip, up to 128)\n"
"      --max-rate R       requests per second at most (default: learnt from 429s)\n"
"      --retries N        tries for 5xx answers and broken connections while\n"
"                         other requests succeed (default 6)\n"
"      --outage-after S   stop when the API answers nothing for S seconds (default 60)\n"
"  -f, --format F         jsonl (default), csv or tsv\n"
"      --progress         draw a progress bar even when stderr is not a terminal\n"
"  -q, --quiet            no progress bar, no summary line\n"
"  -h, --help             this text\n"
"      --version          print the version\n"
"\n"
"Exit status: 0 success, 1 some users failed or conflict, 2 usage error,\n"
"3 bad input data (nothing was changed), 4 system, network or remote-service\n"
"error (a refused token, an outage, access refused for everyone: continue\n"
"with --resume once it is fixed).\n";

static volatile sig_atomic_t interrupted;

static void
on_interrupt(int sig)
{
	interrupted = sig;
	signal(sig, SIG_DFL);	/* a second ^C ends it at once */
}

/* A row of the input, before the engine sees it. */
struct row {
	char *email;
	char *source;
	enum behavior want;
	char *profile;
	const char *profile_id;	/* resolved; owned by the run's profile list */
	char *error;		/* why the row cannot be used, or NULL */
};

struct input {
	struct row *v;
	size_t n, cap;
	size_t pos;		/* the memory source's cursor */
	unsigned long bad;
	unsigned long not_in_wave;
	unsigned long ignored;
	unsigned long blocked;
	unsigned long repeated;	/* the same user again with the same wish */
	struct person_set seen;	/* the people of this wave so far */
	const struct rules *rules;
};

struct out_ctx {
	FILE *out;
	enum out_format format;
	int header_done;
	struct progress *progress;
	unsigned long done;
	const struct apply_run *run;
};

static void
row_add(struct input *in, const char *email, const char *source, enum behavior want,
    const char *profile, const char *error)
{
	struct row *r;

	if (in->n == in->cap) {
		size_t cap = in->cap ? in->cap * 2 : 256;
		struct row *v = realloc(in->v, cap * sizeof(*v));

		if (v == NULL)
			die(J2W_ESYS, "out of memory");
		in->v = v;
		in->cap = cap;
	}
	r = &in->v[in->n++];
	r->email = strdup(email != NULL ? email : "");
	r->source = strdup(source);
	r->want = want;
	r->profile = profile != NULL && *profile ? strdup(profile) : NULL;
	r->profile_id = NULL;
	r->error = error != NULL ? strdup(error) : NULL;
	if (r->email == NULL || r->source == NULL)
		die(J2W_ESYS, "out of memory");
	if (error != NULL) {
		in->bad++;
		cmd_warn("%s: %s", source, error);
	}
}

/* One input record (from JSONL or a CSV row turned into an object). */
static int
take_record(const json_t *rec, const char *source, void *ctx)
{
	struct input *in = ctx;
	struct wave_entry e;
	struct j2w_err err;
	enum person_seen seen;
	const char *first;
	char why[600], wish[300];

	wave_take(rec, in->rules, &e);
	switch (e.kind) {
	case WAVE_NO_RULE:
		in->not_in_wave++;
		return 0;
	case WAVE_IGNORED:
		in->ignored++;
		return 0;
	case WAVE_BLOCKED:
		cmd_warn("%s: %s", source, e.why);
		in->blocked++;
		return 0;
	case WAVE_BAD:
		row_add(in, e.email, source, e.behavior, e.profile, e.why);
		return 0;
	case WAVE_USER:
		break;
	}
	snprintf(wish, sizeof(wish), "%d %s", (int)e.behavior, e.profile != NULL ? e.profile : "");
	if (person_set_check(&in->seen, e.email, wish, source, &first, &seen, &err) < 0)
		die_err(&err);
	if (seen == PERSON_REPEAT) {
		cmd_warn("%s: '%s' is listed again (first at %s): done once", source, e.email, first);
		in->repeated++;
		return 0;
	}
	if (seen == PERSON_CONFLICT) {
		snprintf(why, sizeof(why), "'%.200s' is listed twice with different wishes "
		    "(first at %.300s)", e.email, first);
		row_add(in, e.email, source, e.behavior, e.profile, why);
		return 0;
	}
	row_add(in, e.email, source, e.behavior, e.profile, NULL);
	return 0;
}

static void
read_input(struct input *in, const char *path)
{
	FILE *fp = cmd_open_input(path);
	struct j2w_err err;

	if (records_read(fp, path, take_record, in, &err) < 0)
		die_err(&err);
	cmd_close_input(fp);
}

/* The in-memory source: the rows of the input, for --plan without a journal. */
static int
memory_next(struct apply_item **out, void *ctx, struct j2w_err *err)
{
	struct input *in = ctx;
	struct row *r;
	struct apply_item *it;

	if (interrupted || in->pos == in->n)
		return 0;
	r = &in->v[in->pos++];
	it = apply_item_new((long)in->pos, r->email, r->source);
	if (it == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	it->want = r->want;
	if ((r->profile != NULL && (it->want_profile = strdup(r->profile)) == NULL) ||
	    (r->profile_id != NULL && (it->want_profile_id = strdup(r->profile_id)) == NULL)) {
		apply_item_free(it);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	if (r->error != NULL) {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "%s", r->error);
	}
	*out = it;
	return 1;
}

/* The journal source, stopping early on ^C or SIGTERM. */
static int
journal_next_interruptible(struct apply_item **out, void *ctx, struct j2w_err *err)
{
	if (interrupted)
		return 0;
	return apply_journal_next(out, ctx, err);
}

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

/* Turns profile names into IDs; unknown or ambiguous names make the row bad. */
static void
resolve_profiles(struct input *in, const struct apply_run *run)
{
	for (size_t i = 0; i < in->n; i++) {
		struct row *r = &in->v[i];
		int ambiguous;
		char why[600];

		if (r->error != NULL || r->profile == NULL)
			continue;
		r->profile_id = apply_profile_id(run, r->profile, &ambiguous);
		if (r->profile_id != NULL)
			continue;
		if (ambiguous)
			snprintf(why, sizeof(why), "UC Manager profile '%.200s' is ambiguous: "
			    "several profiles carry that name", r->profile);
		else
			snprintf(why, sizeof(why), "no UC Manager profile is named '%.200s' in "
			    "Control Hub", r->profile);
		r->error = strdup(why);
		in->bad++;
		cmd_warn("%s: %s", r->source, why);
	}
}

static void
fill_journal(struct journal *j, const struct input *in, const char *org_id)
{
	struct j2w_err err;

	if (journal_begin(j, &err) < 0)
		die_err(&err);
	/* a resume or rollback must go to the same org: its person IDs are that org's */
	if (org_id != NULL && journal_meta_set(j, "org_id", org_id, &err) < 0)
		die_err(&err);
	for (size_t i = 0; i < in->n; i++) {
		const struct row *r = &in->v[i];
		const char *api = behavior_api_name(r->want);

		if (journal_add_user(j, (long)i + 1, r->email, r->source, api ? api : "default",
		    r->profile, r->profile_id, &err) < 0)
			die_err(&err);
	}
	if (journal_commit(j, &err) < 0)
		die_err(&err);
}

static void
summary(const struct apply_run *run, const struct input *in, int plan, int rollback,
    struct strbuf *sb)
{
	const struct apply_counts *n = &run->n;
	struct webex_stats st;

	webex_get_stats(run->client, &st);
	strbuf_addf(sb, "%lu users: ", n->users);
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
	if (in->not_in_wave)
		strbuf_addf(sb, "; %lu records matched no rule", in->not_in_wave);
	if (in->ignored)
		strbuf_addf(sb, "; %lu ignored by a rule", in->ignored);
	if (in->blocked)
		strbuf_addf(sb, "; %lu blocked", in->blocked);
	if (in->repeated)
		strbuf_addf(sb, "; %lu listed again", in->repeated);
	strbuf_addf(sb, "; %lu requests, %lu answered 429, %lu retried", st.requests, st.r429,
	    st.retries);
	if (plan)
		strbuf_addstr(sb, " (plan only: nothing was changed; --commit applies)");
}

/* The scopes j2w-apply needs, for messages about access refused. */
#define SCOPES "the scopes spark-admin:people_read, spark-admin:people_write and " \
	"spark-admin:telephony_config_read"

/* Seconds as SPEC §2 writes durations: "0.5", "2s", "500ms". Returns 0 or -1. */
static int
parse_seconds(const char *arg, double *out)
{
	char num[32];
	size_t n = strlen(arg);
	double scale = 1.0;

	if (n >= 2 && strcmp(arg + n - 2, "ms") == 0) {
		n -= 2;
		scale = 0.001;
	} else if (n >= 1 && arg[n - 1] == 's') {
		n -= 1;
	}
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, arg, n);
	num[n] = '\0';
	if (num_parse_double(num, 0, 86400000, out) < 0)
		return -1;
	*out *= scale;
	return *out >= 0.1 && *out <= 86400 ? 0 : -1;
}

/*
 * Lists the org's people in bulk when the wave is large enough (apply.h): for
 * a run without a journal from the input rows, else from the journal.
 */
static void
resolve_people(struct apply_run *run, const struct input *in, int from_journal)
{
	const char **emails = NULL;
	size_t n = 0;
	long status = 0;
	struct j2w_err err;

	if (!from_journal) {
		emails = calloc(in->n + 1, sizeof(*emails));
		if (emails == NULL)
			die(J2W_ESYS, "out of memory");
		for (size_t i = 0; i < in->n; i++)
			if (in->v[i].error == NULL)
				emails[n++] = in->v[i].email;
	}
	if (apply_resolve_people(run, emails, n, &status, &err) < 0) {
		if (status == 401)
			die(J2W_ESYS, "the Webex API refused the token (HTTP 401): it is wrong or has "
			    "expired; get a new one (WEBEX_TOKEN or --token-file)");
		if (webex_stop_reason(run->client) == WEBEX_STOP_OUTAGE)
			die(J2W_ESYS, "cannot list the org's people: %s; this run changed nothing",
			    webex_stop_why(run->client));
		/* the lookups one by one still work when the listing does not */
		cmd_warn("cannot list the org's people in bulk (%s): looking each user up by email",
		    err.msg);
	}
	free(emails);
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
	struct input in = { 0 };
	struct rules rules;
	struct journal journal = { 0 };
	struct apply_journal_source jsrc;
	struct out_ctx oc = { 0 };
	struct progress progress;
	enum progress_mode pmode = PROGRESS_AUTO;
	struct j2w_err err;
	struct strbuf sb;
	const char *rules_path = NULL, *journal_path = NULL, *resume = NULL, *rollback = NULL;
	const char *token_file = NULL;
	char *token = NULL;
	int commit = 0, plan_given = 0, verify = 0, force = 0, quiet = 0, ch, status = 0;
	long concurrency = 0, retries = 6;
	double max_rate = 0, outage_after = WEBEX_OUTAGE_MS / 1000.0;
	char *org_use = NULL;

	cmd_init("j2w-apply");
	oc.format = FORMAT_JSONL;
	wo.api = getenv("WEBEX_API") != NULL && *getenv("WEBEX_API") ? getenv("WEBEX_API") :
	    WEBEX_DEFAULT_API;
	wo.org_id = getenv("WEBEX_ORG_ID") != NULL && *getenv("WEBEX_ORG_ID") ?
	    getenv("WEBEX_ORG_ID") : NULL;
	while ((ch = getopt_long(argc, argv, "pcr:j:n:f:qh", longopts, NULL)) != -1) {
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
		case O_MAX_RATE:
			if (num_parse_double(optarg, 0.01, 100000, &max_rate) < 0)
				cmd_usage_error("--max-rate wants requests per second (0.01 to 100000), "
				    "not '%s'", optarg);
			break;
		case O_RETRIES: retries = cmd_number("--retries", optarg, 1, 50); break;
		case O_ORG_ID:
			if (*optarg == '\0')
				cmd_usage_error("--org-id wants the customer org's ID");
			wo.org_id = optarg;
			break;
		case O_OUTAGE:
			if (parse_seconds(optarg, &outage_after) < 0)
				cmd_usage_error("--outage-after wants seconds (0.1 to 86400; '500ms' and "
				    "'2s' also work), not '%s'", optarg);
			break;
		case 'f': oc.format = cmd_format(optarg); break;
		case O_PROGRESS: pmode = PROGRESS_ALWAYS; break;
		case 'q': quiet = 1; pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_usage_error("unknown option");
		}
	}
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
	in.rules = rules_path != NULL ? &rules : NULL;
	person_set_init(&in.seen);
	if (resume == NULL && rollback == NULL) {
		if (optind == argc)
			read_input(&in, "-");
		for (int i = optind; i < argc; i++)
			read_input(&in, argv[i]);
	}

	if (resume != NULL || rollback != NULL) {
		char *api = NULL;

		if (journal_open(&journal, resume != NULL ? resume : rollback, &err) < 0 ||
		    journal_meta_get(&journal, "api", &api, &err) < 0)
			die_err(&err);
		/* a journal's people and profile IDs belong to the org it was made against */
		if (api != NULL && strcmp(api, wo.api) != 0)
			die(J2W_EUSAGE, "journal '%s' was made against '%s', not '%s' (give --api %s)",
			    journal.path, api, wo.api, api);
		free(api);
		if (apply_journal_org(&journal, wo.org_id, &org_use, &err) < 0)
			die_err(&err);
		wo.org_id = org_use;
	}
	if (http_global_init(&err) < 0)
		die_err(&err);
	wo.token = token;
	/* -n is a ceiling; without it the window grows as far as the round trip needs */
	wo.concurrency = (int)concurrency;
	wo.max_rate = max_rate;
	wo.max_attempts = (int)retries;
	wo.outage_ms = (long)(outage_after * 1000.0);
	run.client = webex_client_new(&wo, &err);
	if (run.client == NULL)
		die_err(&err);
	run.commit = commit;
	run.verify = verify;
	run.force = force;
	run.rollback = rollback != NULL;
	run.window = (size_t)(concurrency > 0 ? concurrency : WEBEX_MAX_WINDOW) * 2;
	if (apply_load_profiles(&run, &err) < 0) {
		if (run.unauthorized)
			die(J2W_ESYS, "the Webex API refused the token (HTTP 401): it is wrong or has "
			    "expired; get a new one (WEBEX_TOKEN or --token-file)");
		if (webex_stop_reason(run.client) == WEBEX_STOP_OUTAGE)
			die(J2W_ESYS, "cannot read the UC Manager profiles: %s; this run changed nothing",
			    webex_stop_why(run.client));
		die(err.status == J2W_EUSAGE ? J2W_EUSAGE : J2W_ESYS,
		    "cannot read the UC Manager profiles: %s%s", err.msg,
		    strstr(err.msg, "HTTP 403") != NULL ? " (the token needs " SCOPES ")" : "");
	}
	resolve_profiles(&in, &run);
	if (in.bad > 0 && commit)
		die(J2W_EDATA, "%lu input rows cannot be used (see above): nothing was changed",
		    in.bad);

	if (journal_path != NULL) {
		if (journal_create(&journal, journal_path, wo.api, &err) < 0)
			die_err(&err);
		fill_journal(&journal, &in, wo.org_id);
	}
	if (journal.db != NULL) {
		run.journal = &journal;
		apply_journal_source_init(&jsrc, &journal, rollback != NULL ?
		    JOURNAL_TODO_ROLLBACK : JOURNAL_TODO_APPLY);
		run.next = journal_next_interruptible;
		run.next_ctx = &jsrc;
		if (commit && journal_run_start(&journal, rollback != NULL ? "rollback" :
		    resume != NULL ? "resume" : "commit", &err) < 0)
			die_err(&err);
	} else {
		run.next = memory_next;
		run.next_ctx = &in;
	}

	if (rollback == NULL)
		resolve_people(&run, &in, journal.db != NULL);

	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);
	progress_init(&progress, stderr, pmode, rollback ? "rollback" : "apply",
	    journal_path != NULL || journal.db == NULL ? in.n : 0);
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
	summary(&run, &in, !commit, rollback != NULL, &sb);
	if (!quiet)
		cmd_warn("%s", sb.buf);
	if (status == 0) {
		if (run.unauthorized) {
			cmd_warn("the Webex API refused the token (HTTP 401): it is wrong or has expired; "
			    "get a new one and continue with --resume%s%s",
			    journal.path ? " " : "", journal.path ? journal.path : "");
			status = J2W_ESYS;
		} else if (webex_stop_reason(run.client) == WEBEX_STOP_OUTAGE) {
			cmd_warn("%s; users not done are left as they were: continue with --resume%s%s "
			    "when the service is back", webex_stop_why(run.client),
			    journal.path && commit ? " " : "", journal.path && commit ? journal.path : "");
			status = J2W_ESYS;
		} else if (run.forbidden) {
			cmd_warn("the Webex API refused %zu users in a row with the same answer (%s): "
			    "that is about the token or the org, not the users; check that the token's "
			    "administrator has " SCOPES " and that Call Settings API access is not "
			    "restricted in Control Hub; users not done are left as they were: continue "
			    "with --resume%s%s once it is fixed", run.forbidden_users, run.forbidden_what,
			    journal.path && commit ? " " : "", journal.path && commit ? journal.path : "");
			status = J2W_ESYS;
		} else if (interrupted) {
			cmd_warn("interrupted%s%s", journal.path && commit ?
			    ": continue with --resume " : "", journal.path && commit ? journal.path : "");
			status = J2W_ESYS;
		} else if (in.bad > 0) {
			status = J2W_EDATA;
		} else if (run.n.failed > 0 || run.n.conflict > 0) {
			status = J2W_FINDINGS;
		}
	}
	if (journal.db != NULL) {
		if (commit && journal_run_end(&journal, status, sb.buf, &err) < 0)
			cmd_warn("%s", err.msg);
		apply_journal_source_release(&jsrc);
		journal_close(&journal);
	}
	strbuf_release(&sb);
	webex_client_free(run.client);
	people_index_free(run.people);
	free(org_use);
	json_decref(run.profiles);
	secret_free(token);
	rules_release(&rules);
	for (size_t i = 0; i < in.n; i++) {
		free(in.v[i].email);
		free(in.v[i].source);
		free(in.v[i].profile);
		free(in.v[i].error);
	}
	free(in.v);
	person_set_release(&in.seen);
	curl_global_cleanup();
	return cmd_finish(status);
}
