/* j2w-chat-archive: archive IM&P persistent chat into SQLite, verify it, search it, export it. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chat/chatargs.h"
#include "chat/chatdb.h"
#include "chat/chatexport.h"
#include "chat/chatimport.h"
#include "chat/chatread.h"
#include "chat/chatsrc.h"
#include "chat/chatverify.h"
#include "cmdutil.h"
#include "util/jsonl.h"
#include "util/secret.h"

int chat_spaces_main(int argc, char **argv);	/* cmd/j2w-chat-archive-spaces.c */
void chat_test_hooks(struct chatdb *db, struct chatimport *imp);	/* cmd/j2w-chat-archive-hooks.c */

static const char usage[] =
"usage: j2w-chat-archive import (--from-pg CONNINFO | --from-csv DIR) --to ARCHIVE.db [options]\n"
"       j2w-chat-archive verify ARCHIVE.db (--from-pg CONNINFO | --from-csv DIR) [options]\n"
"       j2w-chat-archive search ARCHIVE.db QUERY [--room JID] [--from JID]\n"
"                               [--since T] [--until T] [--limit N]\n"
"       j2w-chat-archive export ARCHIVE.db --format html|jsonl|txt [--room JID] -o DIR\n"
"       j2w-chat-archive spaces ARCHIVE.db --map RECONCILED [options] (spaces --help)\n"
"\n"
"Keeps every IM and Presence persistent-chat message (TC_ROOMS, TC_USERS,\n"
"TC_MSGARCHIVE, AFT_LOG) in one SQLite archive with a full-text index, proves it\n"
"complete against the source, writes it out for people, and makes Webex spaces of it.\n"
"\n"
"  import   reads the source read-only and adds what the archive lacks; re-running\n"
"           adds only new messages, and resumes an interrupted import\n"
"  verify   compares counts and per-room digests with the source; prints one JSON\n"
"           line per room; exit 1 on any difference\n"
"  search   an FTS5 query over message bodies, one JSON line per message\n"
"  export   one file per room (HTML escaped and self-contained, JSON Lines, text)\n"
"\n"
"      --from-pg CONNINFO   PostgreSQL, e.g. 'host=db port=5432 dbname=tcmadb user=ro'\n"
"                           (password from PGPASSWORD or ~/.pgpass, never here)\n"
"      --from-csv DIR       CSV dumps TC_ROOMS.csv, TC_USERS.csv, TC_MSGARCHIVE.csv,\n"
"                           AFT_LOG.csv (Oracle or MS SQL sites)\n"
"      --to ARCHIVE.db      the archive to create or add to (import)\n"
"      --source-tz ZONE     zone of source times without an offset (default UTC)\n"
"      --cacert FILE        CA for the database's TLS certificate (else sslrootcert)\n"
"      --insecure           a remote database without verified TLS (warns every run)\n"
"      --room JID           only this room (search, export)\n"
"      --from JID           only messages from this sender (search)\n"
"      --sender JID         the same as --from\n"
"      --since T, --until T time range, UTC unless T has an offset; a date alone\n"
"                           for --until includes that whole day (search)\n"
"      --limit N            at most N results (search)\n"
"  -f, --format F           html, jsonl or txt (export)\n"
"  -o, --output DIR         directory for the export files (created when missing)\n"
"      --progress           show progress even when stderr is not a terminal\n"
"  -q, --quiet              no progress, no per-row notices (the summary stays)\n"
"  -h, --help               this text\n"
"      --version            print the version\n"
"\n"
"Exit status: 0 success (verify: archive and source are equal), 1 some rows could\n"
"not be archived or (verify) the archive differs from the source, 2 usage error,\n"
"3 bad input data, 4 system, network or database error.\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "f:ho:q";

enum { OPT_FROM_PG = 256, OPT_FROM_CSV, OPT_TO, OPT_TZ, OPT_ROOM, OPT_FROM, OPT_SINCE,
	OPT_UNTIL, OPT_LIMIT, OPT_PROGRESS, OPT_VERSION, OPT_CACERT, OPT_INSECURE, OPT_SENDER };

#define WARN_MAX 50	/* rejected rows shown one by one; the rest are counted */

struct opts {
	struct chatargs a;
	int quiet;
	enum progress_mode pmode;
	struct chatsrc_pg pg;
};

struct run {
	struct progress progress;
	unsigned long warned, unshown;
	unsigned long count;	/* records written (search) */
	FILE *out;
	enum progress_mode pmode;
};

static void
run_warn(void *ctx, const char *msg)
{
	struct run *r = ctx;

	if (r->warned >= WARN_MAX) {
		r->unshown++;
		return;
	}
	r->warned++;
	if (r->progress.enabled && !cmd_quiet)
		fputc('\n', stderr);
	cmd_note("%s", msg);
}

static void
run_warn_end(struct run *r)
{
	if (r->unshown > 0)
		cmd_note("... and %lu more rows like these", r->unshown);
}

static void
run_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct run *r = ctx;

	if (total > 0 && r->progress.total != total)
		progress_set_total(&r->progress, total);
	progress_update(&r->progress, done);
}

/* The operands verb wants and its source, in the order a user meets them. */
static void
check_args(const char *verb, struct opts *o)
{
	struct j2w_err err;
	int import = strcmp(verb, "import") == 0;

	if (!import && chatargs_operands(verb, &o->a, &err) < 0)
		cmd_die_usage(&err);
	if (import || strcmp(verb, "verify") == 0) {
		if (chatargs_source(&o->a, &o->pg, &err) < 0)
			cmd_die_usage(&err);
		/* libpq reads the password itself (PGPASSWORD, ~/.pgpass): no core from here on */
		if (o->a.from_pg != NULL)
			secret_no_core();
		if (o->a.insecure)
			cmd_warn_insecure();
	}
	if (import && chatargs_operands(verb, &o->a, &err) < 0)
		cmd_die_usage(&err);
}

/* The source reader with its argument bound (run in the pipeline's reader thread). */
static int
read_source(void *arg, const struct chat_sink *sink, struct j2w_err *err)
{
	const struct opts *o = arg;

	if (o->a.from_pg != NULL)
		return chatsrc_pg_read(&o->pg, sink, NULL, err);
	return chatsrc_csv_read(o->a.from_csv, sink, NULL, err);
}

/* Counts the CSV dump's messages for the bar's total, with a bar of its own by bytes. */
static void
count_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct run *r = ctx;

	if (done == 0)
		progress_init(&r->progress, stderr, r->pmode, "counting bytes", total);
	else
		progress_update(&r->progress, done);
}

static uint64_t
count_csv_messages(const char *dir, enum progress_mode pmode)
{
	struct run c = { .pmode = pmode };
	uint64_t n = chatargs_csv_messages(dir, count_progress, &c);

	if (c.progress.out != NULL)
		progress_finish(&c.progress);
	return n;
}

static int
cmd_import(struct opts *o)
{
	struct chatdb *db;
	struct chatimport imp = { 0 };
	struct chat_sink sink;
	struct run r = { 0 };
	struct j2w_err err, err2;
	struct chatimport_counts *k = &imp.counts;
	struct strbuf sb;
	char *source = NULL;
	int rc, created;

	check_args("import", o);
	/* the manifest names the source (never a password) from the start */
	if ((source = chatargs_source_describe(&o->a, &err)) == NULL)
		die_err(&err);
	created = access(o->a.to, F_OK) != 0;
	if (chatdb_open(&db, o->a.to, 1, &err) < 0)
		die_err(&err);
	imp.db = db;
	imp.tz = o->a.tz;
	imp.warn = run_warn;
	imp.progress = run_progress;
	imp.ctx = &r;
	if (chatimport_begin(&imp, source, &sink, &err) < 0)
		die_err(&err);
	free(source);
	chat_test_hooks(db, &imp);
	progress_init(&r.progress, stderr, o->pmode, "messages", 0);
	if (r.progress.enabled && o->a.from_csv != NULL) {
		uint64_t total = count_csv_messages(o->a.from_csv, o->pmode);

		progress_init(&r.progress, stderr, o->pmode, "messages", total);
	}
	rc = chatimport_run(&imp, read_source, o, &err);
	progress_update(&r.progress, k->messages_read);
	progress_finish(&r.progress);
	run_warn_end(&r);
	if (chatimport_end(&imp, rc == 0, &err2) < 0) {
		if (rc < 0)
			cmd_warn("%s", err.msg);
		chatdb_close(db);
		die_err(&err2);
	}
	chatdb_close(db);
	if (rc < 0 && created && k->messages_added == 0) {
		/* nothing was archived: do not leave an empty archive behind */
		unlink(o->a.to);
		die_err(&err);
	}
	strbuf_init(&sb, 0);
	if (rc < 0) {
		chatargs_import_stopped(k, &sb);
		cmd_warn_lines(&sb);
		die_err(&err);
	}
	if (chatargs_import_changed(k, &sb))
		cmd_warn_lines(&sb);
	chatargs_import_describe(k, o->a.to, &sb);
	cmd_warn_lines(&sb);
	strbuf_release(&sb);
	return chatargs_import_status(k);
}

static int
verify_room_out(void *ctx, const struct chatverify_room *k)
{
	struct run *r = ctx;
	json_t *o = chatverify_room_json(k);

	if (o == NULL)
		return -1;
	jsonl_write(r->out, o);
	json_decref(o);
	chatverify_describe_room(k, cmd_note_cb, NULL);	/* every line of a difference is shown */
	return ferror(r->out) ? -1 : 0;
}

static int
cmd_verify(struct opts *o)
{
	struct chatdb *db;
	struct chatverify_totals t;
	struct run r = { 0 };
	struct j2w_err err;
	struct strbuf sb;

	check_args("verify", o);
	if (chatdb_open(&db, o->a.pos[0], 0, &err) < 0)
		die_err(&err);
	r.out = stdout;
	if (chatverify_run(db, o->a.tz, read_source, o, verify_room_out, run_warn, &r, &t, &err) < 0) {
		chatdb_close(db);
		die_err(&err);
	}
	chatdb_close(db);
	run_warn_end(&r);
	chatverify_describe_totals(&t, cmd_note_cb, NULL);
	strbuf_init(&sb, 0);
	chatargs_verify_describe(&t, &sb);
	cmd_warn_lines(&sb);
	strbuf_release(&sb);
	return chatverify_different(&t) ? J2W_FINDINGS : J2W_OK;
}

static int
search_out(void *ctx, const struct chat_row *row)
{
	struct run *r = ctx;
	json_t *o = chatexport_row_json(row, 0);

	if (o == NULL)
		return -1;
	jsonl_write(r->out, o);
	json_decref(o);
	r->count++;
	return ferror(r->out) ? -1 : 0;
}

static int
cmd_search(struct opts *o)
{
	struct chatdb *db;
	struct chat_query q;
	struct run r = { 0 };
	struct j2w_err err;

	check_args("search", o);
	if (chatdb_open(&db, o->a.pos[0], 0, &err) < 0)
		die_err(&err);
	chatargs_query(&o->a, &q);
	r.out = stdout;
	if (chatread_search(db, &q, search_out, &r, &err) < 0) {
		chatdb_close(db);
		if (err.status == J2W_OK)
			die(J2W_ESYS, "cannot write output: %s", strerror(errno));
		die_err(&err);
	}
	chatdb_close(db);
	cmd_warn("%s", cmd_n(r.count, "message", NULL));
	return J2W_OK;
}

static int
cmd_export(struct opts *o)
{
	struct chatdb *db;
	struct j2w_err err;
	long n;

	check_args("export", o);
	if (cmd_output_dir(o->a.output, "export") == NULL)
		cmd_usage_error("export wants the directory to write to with -o DIR");
	if (chatdb_open(&db, o->a.pos[0], 0, &err) < 0)
		die_err(&err);
	n = chatexport_to(db, o->a.pos[0], o->a.room, (enum chatexport_format)o->a.format,
	    o->a.output, &err);
	if (n < 0)
		die_err(&err);
	chatdb_close(db);
	cmd_warn("%s written to '%s'", cmd_n((unsigned long long)n, "room", NULL), o->a.output);
	return J2W_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from-pg", required_argument, NULL, OPT_FROM_PG },
		{ "from-csv", required_argument, NULL, OPT_FROM_CSV },
		{ "to", required_argument, NULL, OPT_TO },
		{ "source-tz", required_argument, NULL, OPT_TZ },
		{ "room", required_argument, NULL, OPT_ROOM },
		{ "sender", required_argument, NULL, OPT_SENDER },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct opts o = { 0 };
	struct j2w_err err;
	const char *verb;
	int ch;

	cmd_init("j2w-chat-archive");
	o.a.format = -1;
	o.pmode = PROGRESS_AUTO;
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
		cmd_help(usage);
	if (argc >= 2 && strcmp(argv[1], "--version") == 0)
		cmd_version();
	if (argc < 2 || argv[1][0] == '-')
		cmd_usage_error("give a subcommand: import, verify, search, export or spaces");
	verb = argv[1];
	if (strcmp(verb, "spaces") == 0)	/* its own options: j2w-chat-archive-spaces.c */
		return cmd_finish(chat_spaces_main(argc - 1, argv + 1));
	if (strcmp(verb, "import") != 0 && strcmp(verb, "verify") != 0 &&
	    strcmp(verb, "search") != 0 && strcmp(verb, "export") != 0)
		cmd_usage_error("unknown subcommand '%s' (import, verify, search, export or spaces)", verb);
	argc--;
	argv++;
	/* "+" would stop at the first operand; operands may come anywhere */
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_FROM_PG: o.a.from_pg = optarg; break;
		case OPT_FROM_CSV: o.a.from_csv = optarg; break;
		case OPT_TO: o.a.to = optarg; break;
		case OPT_TZ:
			if (chatargs_tz(optarg, &err) < 0)
				cmd_die_usage(&err);
			o.a.tz = optarg;
			break;
		case OPT_ROOM: o.a.room = optarg; break;
		case OPT_FROM:
			/* beside --from-pg and --from-csv, a bare --from reads as a source */
			if (strcmp(verb, "search") != 0)
				cmd_usage_error("--from is not a source: give --from-pg CONNINFO or "
				    "--from-csv DIR (--from JID is the sender filter of search)");
			/* FALLTHROUGH */
		case OPT_SENDER: o.a.from = optarg; break;
		case OPT_SINCE: case OPT_UNTIL:
			if (chatargs_when(ch == OPT_SINCE ? "--since" : "--until", optarg,
			    ch == OPT_UNTIL, ch == OPT_SINCE ? o.a.since : o.a.until,
			    sizeof(o.a.since), &err) < 0)
				cmd_die_usage(&err);
			break;
		case OPT_LIMIT: o.a.limit = cmd_number("--limit", optarg, 1, 1000000000L); break;
		case OPT_CACERT: o.a.cacert = optarg; break;
		case OPT_INSECURE: o.a.insecure = 1; break;
		case 'f':
			o.a.format = chatexport_parse_format(optarg);
			if (o.a.format < 0)
				cmd_usage_error("--format wants html, jsonl or txt, not '%s'", optarg);
			break;
		case 'o': o.a.output = optarg; break;
		case OPT_PROGRESS: o.pmode = PROGRESS_ALWAYS; break;
		case 'q': o.quiet = cmd_quiet = 1; o.pmode = PROGRESS_NEVER; break;
		case 'h': cmd_help(usage);
		case OPT_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	for (; optind < argc; optind++) {
		if (o.a.npos == 3)
			cmd_usage_error("unexpected argument '%s'", argv[optind]);
		o.a.pos[o.a.npos++] = argv[optind];
	}
	if (strcmp(verb, "import") == 0)
		return cmd_finish(cmd_import(&o));
	if (strcmp(verb, "verify") == 0)
		return cmd_finish(cmd_verify(&o));
	if (strcmp(verb, "search") == 0)
		return cmd_finish(cmd_search(&o));
	return cmd_finish(cmd_export(&o));
}
