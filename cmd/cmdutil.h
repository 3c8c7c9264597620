/* What every command shares: its name, dying, warnings, option helpers, a clean exit. */
#ifndef J2W_CMDUTIL_H
#define J2W_CMDUTIL_H

#include <stdio.h>

#include "util/atomicfile.h"
#include "util/j2w_err.h"
#include "util/progress.h"
#include "util/strbuf.h"

extern const char *progname;

/* Records the command's name for messages and sets up libraries that need it. */
void cmd_init(const char *name);

/*
 * Messages: "progname: message" on stderr, with control characters escaped
 * (util/utf8.h utf8_escape_controls), since names and values in a message may
 * come from input data.
 */

/* Prints "progname: message" to stderr and exits with status. */
__attribute__((noreturn, format(printf, 2, 3)))
void die(int status, const char *fmt, ...);
/* Prints the library error and exits with its status. */
__attribute__((noreturn))
void die_err(const struct j2w_err *err);
/* Prints "progname: message" to stderr. */
__attribute__((format(printf, 1, 2)))
void cmd_warn(const char *fmt, ...);
/*
 * For library calls that hand messages to a callback (ctx unused): one prints
 * msg as cmd_warn does, the other as cmd_note does.
 */
void cmd_warn_cb(void *ctx, const char *msg);
void cmd_note_cb(void *ctx, const char *msg);
/*
 * Prints each line of sb (a summary the library wrote, '\n' between lines) as
 * cmd_warn does, and empties sb.
 */
void cmd_warn_lines(struct strbuf *sb);

/*
 * -q, --quiet: set by the command; cmd_note is then silent (the summary line,
 * which counts what the notes would have said, is the command's to leave out).
 */
extern int cmd_quiet;
/*
 * A notice about one input row or record ("FILE:LINE: ...: left out"), printed
 * as cmd_warn does unless cmd_quiet; the summary line counts them either way.
 * Under --quiet the first few are held back, and shown after all when the
 * command fails (die, or cmd_finish with status 2 or more): an error that
 * says "see above" then has something above.
 */
__attribute__((format(printf, 1, 2)))
void cmd_note(const char *fmt, ...);

/*
 * "N thing" for summary lines: one when n is 1, else many (NULL: one with an
 * 's' added), so that no summary says "1 files". The string is one of
 * CMD_N_SLOTS rotating static buffers: a line may hold that many counts.
 */
#define CMD_N_SLOTS 16
const char *cmd_n(unsigned long long n, const char *one, const char *many);

/* Prints the usage text to stdout and exits 0 (--help). */
__attribute__((noreturn))
void cmd_help(const char *usage);
/* Prints "progname: msg" and "try 'progname --help'" to stderr, exits 2. */
__attribute__((noreturn, format(printf, 1, 2)))
void cmd_usage_error(const char *fmt, ...);
/*
 * The usage error for what getopt_long refused (it prints nothing itself:
 * cmd_init clears opterr): an unknown option, or one without its value.
 * optstring is the one given to getopt_long.
 */
__attribute__((noreturn))
void cmd_bad_option(const char *optstring, char *const *argv);
/* A usage error (J2W_EUSAGE) as cmd_usage_error, any other as die_err. */
__attribute__((noreturn))
void cmd_die_usage(const struct j2w_err *err);
/* Prints "j2w X.Y.Z" and exits 0. */
__attribute__((noreturn))
void cmd_version(void);

/* Parses a whole number in [min, max] for option opt, or dies with status 2. */
long cmd_number(const char *opt, const char *arg, long min, long max);

/*
 * Parses a duration for option opt in seconds ("0.5", "2", "2s", "500ms") into
 * milliseconds in [min_ms, max_ms], or dies with status 2.
 */
long cmd_duration_ms(const char *opt, const char *arg, long min_ms, long max_ms);

/*
 * For an old option name that still works (a hidden alias): warns once per run
 * that old is now now_name.
 */
void cmd_old_name(const char *old, const char *now_name);

/* The table formats a command may print. */
enum out_format { FORMAT_JSONL, FORMAT_CSV, FORMAT_TSV };
/* Parses --format, or dies with status 2. */
enum out_format cmd_format(const char *arg);
/* The table delimiter of a format: ',' for CSV, '\t' for TSV, 0 for JSON Lines. */
int cmd_format_delim(enum out_format f);

/*
 * Flushes and closes stdout; a write error other than a closed pipe turns
 * status into 4. Returns the status to exit with.
 */
int cmd_finish(int status);

/*
 * Opens where a command writes its records (util/atomicfile.h atomic_out):
 * FILE through a temporary name (-o; path NULL or "-": stdout), or stdout,
 * directly or spooled to a temporary file first (spool) when a later failure
 * must not leave a partial result on stdout. Dies when it cannot; a later
 * die() removes the unfinished file.
 */
void cmd_output_open(struct atomic_out *o, const char *path, int spool);
/* Puts the complete output in place (rename, or copy of the spool), or dies. */
void cmd_output_commit(struct atomic_out *o);

/* The file an -o argument names: NULL for "-" (stdout), else arg. */
const char *cmd_output_file(const char *arg);
/*
 * The directory an -o argument names for a command that writes several files
 * (what: "contacts", "export"); "-" is a usage error (stdout holds one stream).
 */
const char *cmd_output_dir(const char *arg, const char *what);

/* Opens path for reading ("-" is stdin), or dies with status 2 naming it. */
FILE *cmd_open_input(const char *path);
/*
 * Checks that path ("-" is stdin) can be opened for reading, or dies with
 * status 2 naming it: for inputs a library opens itself.
 */
void cmd_need_input(const char *path);
/* Closes what cmd_open_input opened (stdin is left open). */
void cmd_close_input(FILE *fp);

/*
 * Refuses (usage error, exit 2) a URL given to opt that carries credentials,
 * without echoing it: they would show in ps and the shell history. hint says
 * how to give them instead.
 */
void cmd_check_url(const char *opt, const char *url, const char *hint);

/*
 * The Webex options j2w-apply and j2w-chat-archive spaces share. cmd_webex_env
 * gives the defaults: WEBEX_API (else WEBEX_DEFAULT_API) and WEBEX_ORG_ID (else
 * NULL). cmd_webex_check_api refuses, after the options, an API base that
 * carries credentials, named as it was given (--api or WEBEX_API).
 * cmd_max_rate and cmd_org_id take --max-rate R and --org-id ID, or die.
 */
void cmd_webex_env(const char **api, const char **org_id);
void cmd_webex_check_api(const char *api);
double cmd_max_rate(const char *arg);
const char *cmd_org_id(const char *arg);

/* Warns on every run that --insecure turned TLS verification off. */
void cmd_warn_insecure(void);

#endif
