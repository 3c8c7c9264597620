/* j2w-contacts: IM and Presence contact-list exports to contact records. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "cucm/contacts.h"
#include "util/csvio.h"
#include "util/jsonl.h"

static const char usage[] =
"usage: j2w-contacts [options] [FILE...]\n"
"\n"
"Reads IM and Presence contact-list exports and prints one contact record per\n"
"line: the presence export (User ID, User Domain, Contact ID, Contact Domain,\n"
"Nickname, Group Name, State; with or without a header) and the non-presence\n"
"export of custom contacts (User JID, Contact JID, Group Name, Content Type,\n"
"Version, Info: a vCard), whose records say \"kind\":\"custom\".\n"
"With no FILE, or FILE '-', reads stdin.\n"
"\n"
"  -f, --format F     jsonl (default), csv or tsv\n"
"  -o, --output FILE  write to FILE (complete or not at all) instead of stdout\n"
"  -q, --quiet        no summary line\n"
"  -h, --help         this text\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 success, 1 some rows could not be used (reported on stderr),\n"
"2 usage error, 3 bad input data, 4 system error.\n";

static const char *const contact_columns[] = {
	"owner", "contact", "nickname", "group", "kind", "contact_id", "name", "email", "phone",
	"source"
};
#define CONTACT_NCOLUMNS (sizeof(contact_columns) / sizeof(contact_columns[0]))

struct contacts_run {
	FILE *out;
	enum out_format format;
	int header_done;
	unsigned long contacts;
	unsigned long skipped;
};

static void
write_contact(struct contacts_run *run, const struct contact *c)
{
	if (run->format == FORMAT_JSONL) {
		json_t *obj = contact_to_json(c);

		if (obj == NULL)
			die(J2W_ESYS, "cannot encode a contact of '%s'", c->owner);
		jsonl_write(run->out, obj);
		json_decref(obj);
	} else {
		int delim = run->format == FORMAT_CSV ? ',' : '\t';
		const char *cells[CONTACT_NCOLUMNS] = {
			c->owner, c->contact, c->nickname, c->group,
			c->kind == CONTACT_CUSTOM ? "custom" : NULL, c->contact_id, c->name, c->email,
			c->phone, c->source
		};
		/* a vCard's phone number keeps its '+' when it is E.164 */
		static const unsigned char phone[CONTACT_NCOLUMNS] = { [8] = 1 };

		if (!run->header_done) {
			csv_write_row(run->out, delim, contact_columns, CONTACT_NCOLUMNS, NULL);
			run->header_done = 1;
		}
		csv_write_row(run->out, delim, cells, CONTACT_NCOLUMNS, phone);
	}
	run->contacts++;
}

static void
read_file(struct contacts_run *run, const char *path)
{
	struct contacts_reader r;
	struct strbuf problem;
	struct contact c;
	struct j2w_err err;
	FILE *fp = cmd_open_input(path);
	int rc;

	if (contacts_open(&r, fp, path, &err) < 0)
		die_err(&err);
	strbuf_init(&problem, 0);
	while ((rc = contacts_next(&r, &c, &problem, &err)) > 0) {
		if (rc == 2) {
			cmd_note("%s: row skipped", problem.buf);
			run->skipped++;
			continue;
		}
		write_contact(run, &c);
		contact_release(&c);
	}
	strbuf_release(&problem);
	contacts_close(&r);
	cmd_close_input(fp);
	if (rc < 0)
		die_err(&err);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct contacts_run run = { 0 };
	struct cmd_output out;
	const char *output = NULL;
	int quiet = 0, ch;

	cmd_init("j2w-contacts");
	run.format = FORMAT_JSONL;
	while ((ch = getopt_long(argc, argv, "f:ho:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': run.format = cmd_format(optarg); break;
		case 'o': output = optarg; break;
		case 'q': quiet = cmd_quiet = 1; break;
		case 'h': cmd_help(usage);
		case 'V': cmd_version();
		default: cmd_usage_error("unknown option");
		}
	}
	/* spooled: a broken row late in a file must not leave half the contacts on stdout */
	cmd_output_open(&out, output, 1);
	run.out = out.fp;
	if (optind == argc)
		read_file(&run, "-");
	for (int i = optind; i < argc; i++)
		read_file(&run, argv[i]);
	cmd_output_commit(&out);
	if (!quiet)
		cmd_warn("%s, %s skipped", cmd_n(run.contacts, "contact", NULL),
		    cmd_n(run.skipped, "row", NULL));
	return cmd_finish(run.skipped > 0 ? J2W_FINDINGS : 0);
}
