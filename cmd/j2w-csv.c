/* j2w-csv: Control Hub CSV files (users, calling behaviour, personal contacts) from j2w records. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdutil.h"
#include "record/person.h"
#include "record/records.h"
#include "util/atomicfile.h"
#include "util/csvio.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "webex/ctcsv.h"
#include "webex/rules.h"
#include "webex/wave.h"

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
"  -t, --template FILE    the column set (default templates/controlhub-*.tsv)\n"
"  -r, --rules FILE       calling-behavior: wave rules for user records\n"
"      --max-rows N       rows per file (users, calling-behavior: 20000)\n"
"      --per-user N       contacts per user (500); the rest are reported\n"
"      --per-file N       contact rows per file (10000)\n"
"  -q, --quiet            no summary line\n"
"  -h, --help             this text\n"
"      --version          print the version\n"
"\n"
"Exit status: 0 success, 1 some records were left out (reported on stderr),\n"
"2 usage error, 3 bad input data, 4 system error.\n";

enum mode { MODE_USERS, MODE_CALLING, MODE_CONTACTS };

struct csv_run {
	enum mode mode;
	const struct rules *rules;
	json_t *recs;		/* the records to write, in input order */
	struct person_set seen;	/* the people written so far */
	unsigned long read;
	unsigned long skipped;
	unsigned long not_in_wave;
	unsigned long repeated;		/* the same row again: written once */
	const struct ctcsv_template *t;
};

static char *
lower(const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb, 0);
	if (utf8_lower(&sb, s, strlen(s)) < 0)
		die(J2W_ESYS, "out of memory");
	return strbuf_detach(&sb, NULL);
}

static void
skip(struct csv_run *run, const char *source, const char *why)
{
	cmd_warn("%s: %s: left out", source, why);
	run->skipped++;
}

/*
 * The user and the cells rec would become, as one string: two records that agree
 * are one row. The userid is part of it even where no column shows it, so that
 * two accounts sharing an address are never taken for one.
 */
static char *
signature(const struct csv_run *run, const json_t *rec)
{
	const char **cells = calloc(run->t->n, sizeof(*cells));
	char *scratch = malloc(run->t->n * 32);
	const char *userid = json_get_str(rec, "userid");
	struct strbuf sb;

	if (cells == NULL || scratch == NULL)
		die(J2W_ESYS, "out of memory");
	strbuf_init(&sb, 0);
	if (userid != NULL && (strbuf_addstr(&sb, userid) < 0 || strbuf_addch(&sb, '\x1e') < 0))
		die(J2W_ESYS, "out of memory");
	ctcsv_template_cells(run->t, rec, cells, scratch);
	for (size_t i = 0; i < run->t->n; i++)
		if (strbuf_addstr(&sb, cells[i]) < 0 || strbuf_addch(&sb, '\0') < 0 ||
		    strbuf_addch(&sb, '\x1f') < 0)
			die(J2W_ESYS, "out of memory");
	free(cells);
	free(scratch);
	return strbuf_detach(&sb, NULL);
}

/*
 * Whether key was seen; remembers it otherwise. The same key again with the
 * same cells (a user homed on two clusters, say) is written once and noted; with
 * other cells it is left out, since only one can be right.
 */
static int
duplicate(struct csv_run *run, const char *key, const json_t *row, const char *source)
{
	char *sig = signature(run, row);
	enum person_seen seen;
	const char *first;
	struct j2w_err err;

	if (person_set_check(&run->seen, key, sig, source, &first, &seen, &err) < 0)
		die_err(&err);
	free(sig);
	if (seen == PERSON_REPEAT) {
		cmd_warn("%s: '%s' is listed again (first at %s): written once", source, key, first);
		run->repeated++;
	} else if (seen == PERSON_CONFLICT) {
		char why[700];

		snprintf(why, sizeof(why), "'%.200s' is listed twice with different values "
		    "(first at %.300s)", key, first);
		skip(run, source, why);
	}
	return seen != PERSON_NEW;
}

static int
take_user(struct csv_run *run, const json_t *rec, const char *source)
{
	const char *email = person_webex_email(rec), *status = json_get_str(rec, "status");

	if (email == NULL || !person_valid_email(email)) {
		skip(run, source, "no usable webex_email, directory_uri or mailid");
		return 0;
	}
	if (status != NULL && strcmp(status, "blocked") == 0) {
		char why[300];

		snprintf(why, sizeof(why), "'%.200s' is blocked by j2w-reconcile", email);
		skip(run, source, why);
		return 0;
	}
	if (!duplicate(run, email, rec, source))
		json_array_append(run->recs, (json_t *)rec);
	return 0;
}

static int
take_calling(struct csv_run *run, const json_t *rec, const char *source)
{
	struct wave_entry e;
	json_t *row;
	const char *api;

	wave_take(rec, run->rules, &e);
	switch (e.kind) {
	case WAVE_NO_RULE:
	case WAVE_IGNORED:
		run->not_in_wave++;
		return 0;
	case WAVE_BLOCKED:
		cmd_warn("%s: %s", source, e.why);
		run->skipped++;
		return 0;
	case WAVE_BAD:
		skip(run, source, e.why);
		return 0;
	case WAVE_USER:
		break;
	}
	api = behavior_api_name(e.behavior);
	row = json_object();
	json_set_str(row, "email", e.email);
	/* Control Hub's word for the org default in this CSV */
	json_set_str(row, "calling_behavior", api != NULL ? api : "USE_ORG_SETTINGS");
	json_set_str(row, "uc_manager_profile", e.profile);
	if (!duplicate(run, e.email, row, source))
		json_array_append(run->recs, row);
	json_decref(row);
	return 0;
}

/* Splits an address at its last '@' into KEY_user and KEY_domain of row. */
static void
set_halves(json_t *row, const char *prefix, const char *addr)
{
	const char *at = strrchr(addr, '@');
	char key[32];
	char *user = strndup(addr, at != NULL ? (size_t)(at - addr) : strlen(addr));

	if (user == NULL)
		die(J2W_ESYS, "out of memory");
	snprintf(key, sizeof(key), "%s_user", prefix);
	json_set_str(row, key, user);
	snprintf(key, sizeof(key), "%s_domain", prefix);
	json_set_str(row, key, at != NULL ? at + 1 : NULL);
	free(user);
}

static int
take_contact(struct csv_run *run, const json_t *rec, const char *source)
{
	const char *owner = json_get_str(rec, "owner_email");
	const char *contact = json_get_str(rec, "contact_email");
	const char *owner_jid = json_get_str(rec, "owner");
	const char *contact_jid = json_get_str(rec, "contact");
	json_t *row;

	if (owner == NULL || !*owner)
		owner = owner_jid;
	if (contact == NULL || !*contact)
		contact = contact_jid;
	if (owner == NULL || !*owner || contact == NULL || !*contact) {
		skip(run, source, "a contact record needs owner and contact");
		return 0;
	}
	row = json_deep_copy(rec);
	if (row == NULL)
		die(J2W_ESYS, "out of memory");
	json_set_str(row, "_owner_key", owner);
	/* the migration files carry the Webex addresses; the archive the JIDs */
	set_halves(row, "owner", owner);
	set_halves(row, "contact", contact);
	set_halves(row, "jid_owner", owner_jid != NULL && *owner_jid ? owner_jid : owner);
	set_halves(row, "jid_contact", contact_jid != NULL && *contact_jid ? contact_jid : contact);
	json_set_str(row, "_source", source);
	json_array_append_new(run->recs, row);
	return 0;
}

static int
take(const json_t *rec, const char *source, void *ctx)
{
	struct csv_run *run = ctx;

	run->read++;
	switch (run->mode) {
	case MODE_USERS: return take_user(run, rec, source);
	case MODE_CALLING: return take_calling(run, rec, source);
	case MODE_CONTACTS: return take_contact(run, rec, source);
	}
	return 0;
}

static void
read_input(struct csv_run *run, const char *path)
{
	FILE *fp = cmd_open_input(path);
	struct j2w_err err;

	if (records_read(fp, path, take, run, &err) < 0)
		die_err(&err);
	cmd_close_input(fp);
}

/* The template NAME beside the program (source tree or installed), or $J2W_TEMPLATES. */
static char *
find_template(const char *name)
{
	static const char *const rel[] = { "../templates", "../share/j2w" };
	char exe[PATH_MAX], *slash;
	const char *env = getenv("J2W_TEMPLATES");
	char *path;
	ssize_t n;

	if (env != NULL && *env) {
		if (asprintf(&path, "%s/%s", env, name) < 0)
			die(J2W_ESYS, "out of memory");
		return path;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
				if (asprintf(&path, "%s/%s/%s", exe, rel[i], name) < 0)
					die(J2W_ESYS, "out of memory");
				if (access(path, R_OK) == 0)
					return path;
				free(path);
			}
		}
	}
	die(J2W_EUSAGE, "cannot find template '%s' (give --template FILE or set J2W_TEMPLATES)",
	    name);
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
			cmd_warn("removed '%s', left from an earlier run", part);
		free(part);
	}
}

/* Writes rows [from, to) of recs with t into af (already open). */
static void
write_rows(FILE *fp, const struct ctcsv_template *t, json_t *recs, size_t from, size_t to)
{
	const char **cells = calloc(t->n, sizeof(*cells));
	char *scratch = malloc(t->n * 32);

	if (cells == NULL || scratch == NULL)
		die(J2W_ESYS, "out of memory");
	ctcsv_template_headers(t, cells);
	csv_write_row(fp, ',', cells, t->n, NULL);
	for (size_t i = from; i < to; i++) {
		ctcsv_template_cells(t, json_array_get(recs, i), cells, scratch);
		csv_write_row(fp, ',', cells, t->n, t->phone);
	}
	free(cells);
	free(scratch);
}

/* users and calling-behavior: one file, or parts of max_rows each. */
static unsigned
write_table(const struct ctcsv_template *t, json_t *recs, const char *output, size_t max_rows)
{
	size_t n = json_array_size(recs);
	unsigned parts = n > max_rows ? (unsigned)((n + max_rows - 1) / max_rows) : 1;
	struct atomic_file *af;
	struct j2w_err err;

	if (parts > 1 && output == NULL)
		die(J2W_EUSAGE, "%zu rows do not fit in one file of %zu: give -o FILE to write "
		    "FILE-001.csv, FILE-002.csv, ...", n, max_rows);
	if (output == NULL) {
		write_rows(stdout, t, recs, 0, n);
		return 1;
	}
	af = calloc(parts, sizeof(*af));
	if (af == NULL)
		die(J2W_ESYS, "out of memory");
	/* every part complete before any is renamed into place */
	for (unsigned p = 0; p < parts; p++) {
		char *name = parts > 1 ? ctcsv_part_name(output, p + 1) : strdup(output);

		if (name == NULL || atomic_open(&af[p], name, 0, &err) < 0) {
			for (unsigned q = 0; q < p; q++)
				atomic_abort(&af[q]);
			if (name == NULL)
				die(J2W_ESYS, "out of memory");
			die_err(&err);
		}
		free(name);
		write_rows(af[p].fp, t, recs, p * max_rows,
		    (p + 1) * max_rows < n ? (p + 1) * max_rows : n);
	}
	for (unsigned p = 0; p < parts; p++)
		if (atomic_commit(&af[p], &err) < 0)
			die_err(&err);
	free(af);
	remove_stale_parts(output, parts > 1 ? parts + 1 : 1);
	return parts;
}

static char *
join(const char *dir, const char *name)
{
	char *s;

	if (asprintf(&s, "%s/%s", dir, name) < 0)
		die(J2W_ESYS, "out of memory");
	return s;
}

/* Keys of the archive copy: the JID halves under the template's names. */
static json_t *
archive_view(const json_t *row)
{
	static const char *const pairs[][2] = { { "owner_user", "jid_owner_user" },
	    { "owner_domain", "jid_owner_domain" }, { "contact_user", "jid_contact_user" },
	    { "contact_domain", "jid_contact_domain" } };
	json_t *v = json_copy((json_t *)row);

	for (size_t i = 0; i < 4; i++) {
		json_t *x = json_object_get(row, pairs[i][1]);

		if (x != NULL)
			json_object_set(v, pairs[i][0], x);
		else
			json_object_del(v, pairs[i][0]);
	}
	return v;
}

/* Writes DIR/contacts-NNN.csv, contacts-over-limit.csv and contacts-bat.csv. */
static void
write_contacts(struct csv_run *run, const struct ctcsv_template *t, const char *dir,
    size_t per_user, size_t per_file, unsigned *nparts, unsigned long *over_rows,
    unsigned long *over_owners_out)
{
	json_t *owners = json_object();		/* lower-cased owner -> group index */
	json_t *groups = json_array();		/* [[row, ...], ...] in first-seen order */
	json_t *over = json_array(), *kept, *archive = json_array();
	size_t ng, *rows, *file, nfiles, i;
	unsigned long over_owners = 0;
	struct atomic_file *af;
	struct j2w_err err;
	json_t *row;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		die(J2W_ESYS, "cannot create '%s': %s", dir, strerror(errno));
	json_array_foreach(run->recs, i, row) {
		char *k = lower(json_get_str(row, "_owner_key"));
		json_t *gi = json_object_get(owners, k);
		json_t *g;

		if (gi == NULL) {
			gi = json_integer((json_int_t)json_array_size(groups));
			json_object_set_new(owners, k, gi);
			json_array_append_new(groups, json_array());
		}
		free(k);
		g = json_array_get(groups, (size_t)json_integer_value(gi));
		json_array_append_new(archive, archive_view(row));
		if (json_array_size(g) < per_user)
			json_array_append(g, row);
		else
			json_array_append(over, row);
	}
	ng = json_array_size(groups);
	rows = calloc(ng ? ng : 1, sizeof(*rows));
	file = calloc(ng ? ng : 1, sizeof(*file));
	if (rows == NULL || file == NULL)
		die(J2W_ESYS, "out of memory");
	for (i = 0; i < ng; i++)
		rows[i] = json_array_size(json_array_get(groups, i));
	nfiles = ctcsv_pack(rows, ng, per_file, file);
	/* owners over the limit, each named once with the count left out */
	{
		json_t *counted = json_object();

		json_array_foreach(over, i, row) {
			char *k = lower(json_get_str(row, "_owner_key"));
			json_t *c = json_object_get(counted, k);

			json_object_set_new(counted, k, json_integer(c ? json_integer_value(c) + 1 : 1));
			free(k);
		}
		{
			const char *k;
			json_t *c;

			json_object_foreach(counted, k, c) {
				cmd_warn("'%s' has %lld contacts: the %lld over the limit of %zu are in "
				    "'%s/contacts-over-limit.csv'", k,
				    (long long)(json_integer_value(c) + (json_int_t)per_user),
				    (long long)json_integer_value(c), per_user, dir);
				over_owners++;
			}
		}
		json_decref(counted);
	}
	af = calloc(nfiles + 2, sizeof(*af));
	if (af == NULL)
		die(J2W_ESYS, "out of memory");
	for (size_t f = 0; f < nfiles; f++) {
		char *base = join(dir, "contacts.csv");
		char *name = ctcsv_part_name(base, (unsigned)f + 1);

		free(base);
		if (name == NULL || atomic_open(&af[f], name, 0, &err) < 0)
			die_err(&err);
		free(name);
		kept = json_array();
		for (i = 0; i < ng; i++)
			if (file[i] == f)
				json_array_extend(kept, json_array_get(groups, i));
		write_rows(af[f].fp, t, kept, 0, json_array_size(kept));
		json_decref(kept);
	}
	{
		char *name = join(dir, "contacts-over-limit.csv");

		if (json_array_size(over) > 0) {
			if (atomic_open(&af[nfiles], name, 0, &err) < 0)
				die_err(&err);
			write_rows(af[nfiles].fp, t, over, 0, json_array_size(over));
		} else {
			unlink(name);
		}
		free(name);
		name = join(dir, "contacts-bat.csv");
		if (atomic_open(&af[nfiles + 1], name, 0, &err) < 0)
			die_err(&err);
		write_rows(af[nfiles + 1].fp, t, archive, 0, json_array_size(archive));
		free(name);
	}
	for (size_t f = 0; f < nfiles + 2; f++)
		if (af[f].fp != NULL && atomic_commit(&af[f], &err) < 0)
			die_err(&err);
	{
		char *base = join(dir, "contacts.csv");

		remove_stale_parts(base, (unsigned)nfiles + 1);
		free(base);
	}
	*nparts = (unsigned)nfiles;
	free(af);
	free(rows);
	free(file);
	json_decref(owners);
	json_decref(groups);
	json_decref(archive);
	*over_rows = (unsigned long)json_array_size(over);
	*over_owners_out = over_owners;
	json_decref(over);
}

int
main(int argc, char **argv)
{
	enum { O_MAX_ROWS = 256, O_PER_USER, O_PER_FILE, O_VERSION };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "template", required_argument, NULL, 't' },
		{ "rules", required_argument, NULL, 'r' },
		{ "max-rows", required_argument, NULL, O_MAX_ROWS },
		{ "per-user", required_argument, NULL, O_PER_USER },
		{ "per-file", required_argument, NULL, O_PER_FILE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, O_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct csv_run run = { 0 };
	struct ctcsv_template t;
	struct rules rules;
	struct j2w_err err;
	const char *output = NULL, *template = NULL, *rules_path = NULL, *sub;
	char *tpath;
	long max_rows = 20000, per_user = 500, per_file = 10000;
	int quiet = 0, ch, status;

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
		run.mode = MODE_USERS;
	else if (strcmp(sub, "calling-behavior") == 0 || strcmp(sub, "calling-behaviour") == 0)
		run.mode = MODE_CALLING;
	else if (strcmp(sub, "contacts") == 0)
		run.mode = MODE_CONTACTS;
	else
		cmd_usage_error("unknown file kind '%s' (users, calling-behavior, contacts)", sub);
	argv += optind;
	argc -= optind;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:t:r:qh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o': output = optarg; break;
		case 't': template = optarg; break;
		case 'r': rules_path = optarg; break;
		case O_MAX_ROWS: max_rows = cmd_number("--max-rows", optarg, 1, 10000000); break;
		case O_PER_USER: per_user = cmd_number("--per-user", optarg, 1, 1000000); break;
		case O_PER_FILE: per_file = cmd_number("--per-file", optarg, 1, 10000000); break;
		case 'q': quiet = 1; break;
		case 'h': cmd_help(usage);
		case O_VERSION: cmd_version();
		default: cmd_usage_error("unknown option");
		}
	}
	if (rules_path != NULL && run.mode != MODE_CALLING)
		cmd_usage_error("--rules goes with calling-behavior");
	if (run.mode == MODE_CONTACTS && output == NULL)
		cmd_usage_error("contacts writes several files: give -o DIR");
	if (run.mode == MODE_CONTACTS && per_user > per_file)
		cmd_usage_error("--per-user cannot be more than --per-file");

	tpath = template != NULL ? strdup(template) : find_template(run.mode == MODE_USERS ?
	    "controlhub-users.tsv" : run.mode == MODE_CALLING ? "controlhub-calling-behavior.tsv" :
	    "controlhub-contacts.tsv");
	if (tpath == NULL || ctcsv_template_load(&t, tpath, &err) < 0)
		die_err(&err);
	free(tpath);
	run.t = &t;
	rules_init(&rules);
	if (rules_path != NULL) {
		if (rules_load(&rules, rules_path, &err) < 0)
			die_err(&err);
		run.rules = &rules;
	}
	run.recs = json_array();
	person_set_init(&run.seen);
	if (argc == optind)
		read_input(&run, "-");
	for (int i = optind; i < argc; i++)
		read_input(&run, argv[i]);

	if (run.mode == MODE_CONTACTS) {
		unsigned parts = 0;
		unsigned long over = 0, owners = 0;

		write_contacts(&run, &t, output, (size_t)per_user, (size_t)per_file, &parts, &over,
		    &owners);
		if (!quiet)
			cmd_warn("%lu contacts in %u files, %lu over the per-user limit (%lu users), "
			    "%lu left out; full list in '%s/contacts-bat.csv'",
			    (unsigned long)json_array_size(run.recs) - over, parts, over, owners,
			    run.skipped, output);
		status = over > 0 || run.skipped > 0 ? J2W_FINDINGS : 0;
	} else {
		unsigned parts = write_table(&t, run.recs, output, (size_t)max_rows);

		if (!quiet) {
			struct strbuf sb;

			strbuf_init(&sb, 0);
			strbuf_addf(&sb, "%zu rows in %u file%s, %lu left out", json_array_size(run.recs),
			    parts, parts == 1 ? "" : "s", run.skipped);
			if (run.not_in_wave > 0)
				strbuf_addf(&sb, ", %lu not in this wave", run.not_in_wave);
			if (run.repeated > 0)
				strbuf_addf(&sb, ", %lu listed again", run.repeated);
			cmd_warn("%s", sb.buf);
			strbuf_release(&sb);
		}
		status = run.skipped > 0 ? J2W_FINDINGS : 0;
	}
	json_decref(run.recs);
	person_set_release(&run.seen);
	ctcsv_template_release(&t);
	rules_release(&rules);
	return cmd_finish(status);
}
