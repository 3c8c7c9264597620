/* j2w-csv: Control Hub CSV files (users, calling behaviour, personal contacts) from j2w records. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdutil.h"
#include "util/atomicfile.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/templates.h"
#include "webex/ctcontacts.h"
#include "webex/ctcsv.h"
#include "webex/ctparts.h"
#include "webex/ctusers.h"
#include "webex/rules.h"

static const char usage[] =
"usage: j2w-csv users [options] [FILE...]\n"
"       j2w-csv calling-behavior [--rules RULES] [options] [FILE...]\n"
"       j2w-csv contacts -o DIR [options] [FILE...]\n"
"\n"
"Writes the CSV files Control Hub imports. Input is JSON Lines or CSV records\n"
"(stdin when no FILE or FILE '-'):\n"
"  users             user records (j2w-users, j2w-reconcile) -> the user CSV\n"
"  calling-behavior  rows (email, calling_behavior, uc_manager_profile), or user\n"
"                    records with --rules -> the calling-behaviour bulk CSV\n"
"  contacts          contact records (j2w-contacts, j2w-reconcile --contacts) ->\n"
"                    personal-contact migration files and the full BAT-format list\n"
"\n"
"  -o, --output PATH      FILE (users, calling-behavior; default stdout) or DIR\n"
"                         (contacts); split files are FILE-001.csv, FILE-002.csv, ...\n"
"      --template FILE    the column set (default templates/controlhub-*.tsv)\n"
"  -r, --rules FILE       calling-behavior: wave rules for user records\n"
"      --max-rows N       rows per file (users, calling-behavior: 20000)\n"
"      --per-user N       contacts per user (500); the rest are reported\n"
"      --per-file N       contact rows per file (10000)\n"
"  -q, --quiet            no per-row notices (the summary stays)\n"
"  -h, --help             this text\n"
"      --version          print the version\n"
"\n"
"Exit status: 0 success, 1 some records were left out (reported on stderr),\n"
"2 usage error, 3 bad input data, 4 system error.\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "o:t:r:qh";

enum mode { MODE_USERS, MODE_CALLING, MODE_CONTACTS };

/*
 * calling-behavior without --rules over records that carry no behaviour is a
 * step left out (user records want the wave's rules), not a fault of each
 * record: the notes are held while no record has been usable, and when none
 * was, one hint replaces them.
 */
#define HOLD_MAX 1000
static struct {
	int active;
	const struct ctusers *users;
	char *msg[HOLD_MAX];
	size_t n;
	unsigned long more;	/* past HOLD_MAX */
	unsigned long no_behavior;
} hold;

static void
hold_flush(void)
{
	for (size_t i = 0; i < hold.n; i++) {
		cmd_note("%s", hold.msg[i]);
		free(hold.msg[i]);
	}
	if (hold.more > 0)
		cmd_note("... and %s", cmd_n(hold.more, "more record left out", "more records left out"));
	hold.n = 0;
	hold.more = 0;
	hold.active = 0;
}

static void
warn_line(void *ctx, const char *msg)
{
	if (hold.active && hold.users->rows == 0) {
		/* wave.c's words for a record without the key */
		if (strstr(msg, ": no calling_behavior") != NULL)
			hold.no_behavior++;
		if (hold.n < HOLD_MAX && (hold.msg[hold.n] = strdup(msg)) != NULL)
			hold.n++;
		else
			hold.more++;
		return;
	}
	if (hold.active)
		hold_flush();
	cmd_note("%s", msg);
}

/* After the input: the hint when no record had a behaviour, else the held notes. */
static void
hold_end(void)
{
	if (!hold.active)
		return;
	if (hold.users->rows == 0 && hold.no_behavior > 0 &&
	    hold.no_behavior == hold.n + hold.more) {
		cmd_warn("none of the %s has a calling_behavior: are they user records (j2w-users, "
		    "j2w-reconcile)? give --rules FILE, the wave's rules, to choose each user's "
		    "behaviour and UC Manager profile", cmd_n(hold.no_behavior, "record", NULL));
		for (size_t i = 0; i < hold.n; i++)
			free(hold.msg[i]);
		hold.n = 0;
		hold.more = 0;
		hold.active = 0;
		return;
	}
	hold_flush();
}

/* What a die() must not leave behind: the files being written (see cleanup). */
static struct ctparts *active_parts;
static struct ctcontacts *active_contacts;
static const char *created_dir;		/* removed again when empty */

static void
cleanup(void)
{
	if (active_parts != NULL)
		ctparts_release(active_parts);
	if (active_contacts != NULL)
		ctcontacts_release(active_contacts);
	active_parts = NULL;
	active_contacts = NULL;
	if (created_dir != NULL)
		rmdir(created_dir);
	created_dir = NULL;
}

/* users and calling-behavior: each row is written as it is read. */
static int
write_row(void *ctx, const json_t *row, struct j2w_err *err)
{
	return ctparts_row(ctx, row, err);
}

static void
read_input(enum mode mode, struct ctusers *users, struct ctcontacts *contacts, const char *path)
{
	FILE *fp = cmd_open_input(path);
	struct j2w_err err;

	if ((mode == MODE_CONTACTS ? ctcontacts_read(contacts, fp, path, &err) :
	    ctusers_read(users, fp, path, &err)) < 0)
		die_err(&err);
	cmd_close_input(fp);
}

/* Removes parts from an earlier, longer run (FILE-NNN beyond the new count). */
static void
remove_stale_parts(const char *path, unsigned from)
{
	for (unsigned n = from; n < 100000; n++) {
		char *part = ctcsv_part_name(path, n);

		if (part == NULL)
			die(J2W_ESYS, "out of memory");
		if (access(part, F_OK) != 0) {
			free(part);
			return;
		}
		if (unlink(part) == 0)
			cmd_note("removed '%s', left from an earlier run", part);
		free(part);
	}
}

static char *
join(const char *dir, const char *name)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, name) < 0)
		die(J2W_ESYS, "out of memory");
	return s;
}

int
main(int argc, char **argv)
{
	enum { O_MAX_ROWS = 256, O_PER_USER, O_PER_FILE, O_VERSION, O_TEMPLATE };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "template", required_argument, NULL, O_TEMPLATE },
		{ "rules", required_argument, NULL, 'r' },
		{ "max-rows", required_argument, NULL, O_MAX_ROWS },
		{ "per-user", required_argument, NULL, O_PER_USER },
		{ "per-file", required_argument, NULL, O_PER_FILE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	enum mode mode;
	struct ctusers users;
	struct ctcontacts contacts;
	struct ctparts parts;
	struct atomic_out out;
	struct strbuf sb;
	struct ctcsv_template t;
	struct rules rules;
	struct j2w_err err;
	const char *output = NULL, *template = NULL, *rules_path = NULL, *sub;
	char *tpath;
	long max_rows = 20000, per_user = CTCONTACTS_PER_USER, per_file = CTCONTACTS_PER_FILE;
	int ch, status;

	cmd_init("j2w-csv");
	while ((ch = getopt_long(argc, argv, "+o:t:r:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_usage_error("give the file kind first: users, calling-behavior or contacts");
		}
	}
	if (optind == argc)
		cmd_usage_error("give the file kind: users, calling-behavior or contacts");
	sub = argv[optind];
	if (strcmp(sub, "users") == 0)
		mode = MODE_USERS;
	else if (strcmp(sub, "calling-behavior") == 0 || strcmp(sub, "calling-behaviour") == 0)
		mode = MODE_CALLING;
	else if (strcmp(sub, "contacts") == 0)
		mode = MODE_CONTACTS;
	else
		cmd_usage_error("unknown file kind '%s' (users, calling-behavior, contacts)", sub);
	argv += optind;
	argc -= optind;
	optind = 0;	/* 0, not 1: glibc starts afresh, so options may follow operands again */
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': output = optarg; break;
		/* -t names a template (not a file) in j2w-jabber-config: long name only here */
		case 't': cmd_old_name("-t", "--template");	/* FALLTHROUGH */
		case O_TEMPLATE: template = optarg; break;
		case 'r': rules_path = optarg; break;
		case O_MAX_ROWS: max_rows = cmd_number("--max-rows", optarg, 1, 10000000); break;
		case O_PER_USER: per_user = cmd_number("--per-user", optarg, 1, 1000000); break;
		case O_PER_FILE: per_file = cmd_number("--per-file", optarg, 1, 10000000); break;
		case 'q': cmd_quiet = 1; break;
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	if (rules_path != NULL && mode != MODE_CALLING)
		cmd_usage_error("--rules goes with calling-behavior");
	if (mode == MODE_CONTACTS && cmd_output_dir(output, "contacts") == NULL)
		cmd_usage_error("contacts writes several files: give -o DIR");
	if (mode != MODE_CONTACTS)
		output = cmd_output_file(output);
	if (mode == MODE_CONTACTS && per_user > per_file)
		cmd_usage_error("--per-user cannot be more than --per-file");

	/* the Control Hub column set in templates/ (util/templates.h says where) */
	tpath = template != NULL ? strdup(template) : templates_find(mode == MODE_USERS ?
	    "controlhub-users.tsv" : mode == MODE_CALLING ? "controlhub-calling-behavior.tsv" :
	    "controlhub-contacts.tsv", &err);
	if (tpath == NULL || ctcsv_template_load(&t, tpath, &err) < 0)
		die_err(&err);
	free(tpath);
	rules_init(&rules);
	if (rules_path != NULL && rules_load(&rules, rules_path, &err) < 0)
		die_err(&err);
	memset(&parts, 0, sizeof(parts));
	memset(&contacts, 0, sizeof(contacts));
	atexit(cleanup);
	if (mode == MODE_CONTACTS) {
		/* the directory is needed now: files are written while the input is read */
		if (mkdir(output, 0777) == 0)
			created_dir = output;
		else if (errno != EEXIST)
			die(J2W_ESYS, "cannot create '%s': %s", output, strerror(errno));
		active_contacts = &contacts;
		if (ctcontacts_open(&contacts, &t, output, (size_t)per_user, (size_t)per_file,
		    &err) < 0)
			die_err(&err);
		contacts.warn = warn_line;
	} else {
		if (ctusers_init(&users, mode == MODE_USERS ? CTUSERS_USERS : CTUSERS_CALLING, &t,
		    rules_path != NULL ? &rules : NULL, &err) < 0)
			die_err(&err);
		active_parts = &parts;
		/* stdout is spooled: bad input part-way leaves nothing on it */
		if (output == NULL)
			cmd_output_open(&out, NULL, 1);
		if ((output != NULL ? ctparts_open(&parts, &t, output, 0, (size_t)max_rows, &err) :
		    ctparts_open_stream(&parts, &t, out.fp, (size_t)max_rows, &err)) < 0)
			die_err(&err);
		users.warn = warn_line;
		users.row = write_row;
		users.row_ctx = &parts;
	}
	hold.active = mode == MODE_CALLING && rules_path == NULL;
	hold.users = &users;
	if (argc == optind)
		read_input(mode, &users, &contacts, "-");
	for (int i = optind; i < argc; i++)
		read_input(mode, &users, &contacts, argv[i]);
	hold_end();

	if (mode == MODE_CONTACTS) {
		if (ctcontacts_finish(&contacts, &err) < 0)
			die_err(&err);
		created_dir = NULL;
		/* owners over the limit, each named once with the count left out */
		for (size_t i = 0; i < contacts.over_owners; i++) {
			const char *owner;
			unsigned long n, over;

			ctcontacts_over_owner(&contacts, i, &owner, &n, &over);
			cmd_note("'%s' has %lu contacts: the %lu over the limit of %ld are in "
			    "'%s/contacts-over-limit.csv'", owner, n, over, per_user, output);
		}
		{
			char *base = join(output, "contacts.csv");

			remove_stale_parts(base, (unsigned)contacts.files + 1);
			free(base);
		}
		cmd_warn("%s in %s, %lu over the per-user limit (%s), %lu left out%s%s%s",
			    cmd_n(contacts.kept, "contact", NULL), cmd_n(contacts.files, "file", NULL),
			    contacts.over, cmd_n(contacts.over_owners, "user", NULL), contacts.skipped,
			    contacts.bat.rows > 0 ? "; full list in '" : "",
			    contacts.bat.rows > 0 ? output : "",
			    contacts.bat.rows > 0 ? "/contacts-bat.csv'" : "");
		status = contacts.over > 0 || contacts.skipped > 0 ? J2W_FINDINGS : 0;
		active_contacts = NULL;
		ctcontacts_release(&contacts);
	} else {
		size_t nparts;

		if (parts.overflow)
			die(J2W_EUSAGE, "%lu rows do not fit in one file of %ld: give -o FILE to write "
			    "FILE-001.csv, FILE-002.csv, ...", parts.rows, max_rows);
		if (ctparts_commit(&parts, &err) < 0)
			die_err(&err);
		nparts = output != NULL ? parts.nparts : users.rows > 0;
		if (output != NULL)
			remove_stale_parts(output, nparts > 1 ? (unsigned)nparts + 1 : 1);
		else
			cmd_output_commit(&out);
		strbuf_init(&sb, 0);
		strbuf_addf(&sb, "%s in %s, %lu left out", cmd_n(users.rows, "row", NULL),
		    cmd_n(nparts, "file", NULL), users.skipped);
		if (users.not_in_wave > 0)
			strbuf_addf(&sb, ", %lu not in this wave", users.not_in_wave);
		if (users.repeated > 0)
			strbuf_addf(&sb, ", %lu listed again", users.repeated);
		cmd_warn("%s", sb.buf);
		strbuf_release(&sb);
		status = users.skipped > 0 ? J2W_FINDINGS : 0;
		active_parts = NULL;
		ctparts_release(&parts);
		ctusers_release(&users);
	}
	ctcsv_template_release(&t);
	rules_release(&rules);
	return cmd_finish(status);
}
