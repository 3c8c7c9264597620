/* Shared command-side helpers (the library never exits or prints; commands do). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdutil.h"
#include "util/http.h"
#include "util/num.h"
#include "util/spool.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/version.h"
#include "util/xmlsafe.h"
#include "webex/webex.h"

const char *progname = "j2w";
int cmd_quiet;

static void cmd_flush_held(void);

/*
 * SIGINT, SIGTERM, SIGHUP: the temporary file of every output in progress is
 * removed (the final name keeps what it held), then the signal ends the process
 * as it would have. SIGPIPE: when stdout is a pipe nobody reads any more, the
 * command ends as cat does, quietly; a SIGPIPE from a socket (a server that went
 * away) is left to the library, which sees EPIPE.
 */
static void
cmd_on_signal(int sig)
{
	int saved = errno;
	struct sigaction dfl;

	if (sig == SIGPIPE) {
		struct pollfd pfd = { .fd = STDOUT_FILENO, .events = 0, .revents = 0 };

		if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLERR)) {
			errno = saved;
			return;
		}
	}
	atomic_unlink_pending();
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	/* blocked while this handler runs: delivered, with the default action, on return */
	raise(sig);
	errno = saved;
}

void
cmd_init(const char *name)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa, old;

	progname = name;
	/* getopt's own messages name argv[0] (a path, or a subcommand): cmd_bad_option speaks */
	opterr = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cmd_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* a signal the caller ignores (nohup, a background job) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN &&
		    sigs[i] != SIGPIPE)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	atexit(atomic_unlink_pending);
	xmlsafe_init();
}

/*
 * Prints "progname: message" and a newline to stderr, with the control
 * characters of the message escaped: names and values in it may come from input
 * data, and an escape sequence there must not reach the terminal.
 */
__attribute__((format(printf, 1, 0)))
static void
cmd_vprint(const char *fmt, va_list ap)
{
	struct strbuf msg, safe;

	strbuf_init(&msg, 0);
	strbuf_init(&safe, 0);
	if (strbuf_vaddf(&msg, fmt, ap) < 0 || utf8_escape_controls(&safe, msg.buf, msg.len) < 0)
		fprintf(stderr, "%s: (a message too long to show)\n", progname);
	else
		fprintf(stderr, "%s: %s\n", progname, safe.buf);
	strbuf_release(&msg);
	strbuf_release(&safe);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	cmd_flush_held();
	va_start(ap, fmt);
	cmd_vprint(fmt, ap);
	va_end(ap);
	exit(status);
}

void
die_err(const struct j2w_err *err)
{
	die(err->status ? (int)err->status : J2W_ESYS, "%s", err->msg[0] ? err->msg : "failed");
}

void
cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_vprint(fmt, ap);
	va_end(ap);
}

void
cmd_warn_cb(void *ctx, const char *msg)
{
	cmd_warn("%s", msg);
}

void
cmd_note_cb(void *ctx, const char *msg)
{
	cmd_note("%s", msg);
}

void
cmd_warn_lines(struct strbuf *sb)
{
	char *line = sb->buf, *nl;

	for (; *line != '\0'; line = nl + 1) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		cmd_warn("%s", line);
		if (nl == NULL)
			break;
	}
	strbuf_reset(sb);
}

#define HELD_MAX 50	/* notes kept under --quiet; the rest are counted */
static char *held[HELD_MAX];
static size_t nheld;
static unsigned long held_more;

void
cmd_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!cmd_quiet) {
		cmd_vprint(fmt, ap);
	} else if (nheld < HELD_MAX) {
		struct strbuf sb;

		strbuf_init(&sb, 0);
		if (strbuf_vaddf(&sb, fmt, ap) == 0)
			held[nheld++] = strbuf_detach(&sb, NULL);
		strbuf_release(&sb);
	} else {
		held_more++;
	}
	va_end(ap);
}

/* The notes --quiet held back, for a command that fails. */
static void
cmd_flush_held(void)
{
	for (size_t i = 0; i < nheld; i++) {
		cmd_warn("%s", held[i]);
		free(held[i]);
	}
	nheld = 0;
	if (held_more > 0)
		cmd_warn("... and %s not shown (--quiet)", cmd_n(held_more, "more note", NULL));
	held_more = 0;
}

const char *
cmd_n(unsigned long long n, const char *one, const char *many)
{
	static char slot[CMD_N_SLOTS][96];
	static unsigned next;
	char *s = slot[next++ % CMD_N_SLOTS];

	if (n == 1)
		snprintf(s, sizeof(slot[0]), "1 %s", one);
	else if (many != NULL)
		snprintf(s, sizeof(slot[0]), "%llu %s", n, many);
	else
		snprintf(s, sizeof(slot[0]), "%llu %ss", n, one);
	return s;
}

void
cmd_help(const char *usage)
{
	fputs(usage, stdout);
	exit(cmd_finish(0));
}

void
cmd_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cmd_vprint(fmt, ap);
	va_end(ap);
	fprintf(stderr, "try '%s --help'\n", progname);
	exit(J2W_EUSAGE);
}

void
cmd_bad_option(const char *optstring, char *const *argv)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (optopt == 0)
		cmd_usage_error("unknown option '%s'", arg);
	if (strncmp(arg, "--", 2) == 0)
		cmd_usage_error("option '%.*s' needs a value", (int)strcspn(arg, "="), arg);
	if (optopt < 256 && strchr(optstring, optopt) != NULL)
		cmd_usage_error("option '-%c' needs a value", optopt);
	cmd_usage_error("unknown option '-%c'", optopt < 256 && optopt > 32 ? optopt : '?');
}

void
cmd_die_usage(const struct j2w_err *err)
{
	if (err->status == J2W_EUSAGE)
		cmd_usage_error("%s", err->msg);
	die_err(err);
}

void
cmd_version(void)
{
	printf("j2w %s\n", J2W_VERSION);
	exit(cmd_finish(0));
}

long
cmd_number(const char *opt, const char *arg, long min, long max)
{
	long v;

	if (num_parse_long(arg, min, max, &v) < 0)
		cmd_usage_error("%s wants a whole number from %ld to %ld, not '%s'", opt, min, max, arg);
	return v;
}

long
cmd_duration_ms(const char *opt, const char *arg, long min_ms, long max_ms)
{
	long v;

	if (num_parse_duration_ms(arg, min_ms, max_ms, &v) < 0)
		cmd_usage_error("%s wants seconds from %g to %g (such as 0.5, 2s or 500ms), not '%s'",
		    opt, (double)min_ms / 1000, (double)max_ms / 1000, arg);
	return v;
}

void
cmd_old_name(const char *old, const char *now_name)
{
	static const char *warned[8];

	for (size_t i = 0; i < sizeof(warned) / sizeof(warned[0]); i++) {
		if (warned[i] != NULL && strcmp(warned[i], old) == 0)
			return;
		if (warned[i] == NULL) {
			warned[i] = old;
			break;
		}
	}
	cmd_warn("warning: %s is now %s; the old name still works but will go away", old,
	    now_name);
}

enum out_format
cmd_format(const char *arg)
{
	if (strcmp(arg, "jsonl") == 0)
		return FORMAT_JSONL;
	if (strcmp(arg, "csv") == 0)
		return FORMAT_CSV;
	if (strcmp(arg, "tsv") == 0)
		return FORMAT_TSV;
	cmd_usage_error("--format wants jsonl, csv or tsv, not '%s'", arg);
}

int
cmd_format_delim(enum out_format f)
{
	return f == FORMAT_CSV ? ',' : f == FORMAT_TSV ? '\t' : 0;
}

int
cmd_finish(int status)
{
	if (status >= J2W_EUSAGE)
		cmd_flush_held();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE) {
			fprintf(stderr, "%s: cannot write output: %s\n", progname, strerror(errno));
			return J2W_ESYS;
		}
	}
	if (fclose(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, "%s: cannot write output: %s\n", progname, strerror(errno));
		return J2W_ESYS;
	}
	return status;
}

void
cmd_check_url(const char *opt, const char *url, const char *hint)
{
	if (url_has_credentials(url))
		cmd_usage_error("%s: a URL that carries credentials is refused (they would show in "
		    "ps and the shell history; the URL is not shown here): %s", opt, hint);
}

/* A set, non-empty environment variable, else NULL. */
static const char *
env_value(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

void
cmd_webex_env(const char **api, const char **org_id)
{
	*api = env_value("WEBEX_API") != NULL ? env_value("WEBEX_API") : WEBEX_DEFAULT_API;
	*org_id = env_value("WEBEX_ORG_ID");
}

void
cmd_webex_check_api(const char *api)
{
	cmd_check_url(api == env_value("WEBEX_API") ? "WEBEX_API" : "--api", api,
	    "give the token with --token-file FILE or WEBEX_TOKEN");
}

double
cmd_max_rate(const char *arg)
{
	double r;

	if (num_parse_double(arg, 0.01, 100000, &r) < 0)
		cmd_usage_error("--max-rate wants requests per second (0.01 to 100000), not '%s'",
		    arg);
	return r;
}

const char *
cmd_org_id(const char *arg)
{
	if (*arg == '\0')
		cmd_usage_error("--org-id wants the customer org's ID");
	return arg;
}

void
cmd_warn_insecure(void)
{
	cmd_warn("warning: --insecure: TLS certificates are NOT verified; anyone on the path can "
	    "read the credentials");
}

/* The output a die() must not leave half-written; see cmd_output_open. */
static struct atomic_out *pending_output;

static void
cmd_output_discard(void)
{
	if (pending_output != NULL)
		atomic_out_abort(pending_output);
	pending_output = NULL;
}

void
cmd_output_open(struct atomic_out *o, const char *path, int spool)
{
	static int registered;
	struct j2w_err err;

	if (!registered) {
		atexit(cmd_output_discard);
		registered = 1;
	}
	pending_output = o;
	if (atomic_out_open(o, cmd_output_file(path), spool, &err) < 0)
		die_err(&err);
}

void
cmd_output_commit(struct atomic_out *o)
{
	struct j2w_err err;

	pending_output = NULL;
	if (atomic_out_commit(o, &err) < 0)
		die_err(&err);
}

const char *
cmd_output_file(const char *arg)
{
	return arg != NULL && strcmp(arg, "-") == 0 ? NULL : arg;
}

const char *
cmd_output_dir(const char *arg, const char *what)
{
	if (arg != NULL && strcmp(arg, "-") == 0)
		cmd_usage_error("%s writes several files: -o - (standard output) cannot hold them; "
		    "give -o DIR", what);
	return arg;
}

FILE *
cmd_open_input(const char *path)
{
	struct j2w_err err;
	FILE *fp = spool_open_input(path, 0, &err);

	if (fp == NULL)
		die_err(&err);
	return fp;
}

void
cmd_need_input(const char *path)
{
	if (strcmp(path, "-") != 0)
		cmd_close_input(cmd_open_input(path));
}

void
cmd_close_input(FILE *fp)
{
	spool_close_input(fp);
}
