/* j2w-contacts: IM and Presence contact-list exports to contact records. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmdutil.h"
#include "cucm/contacts.h"

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
"  -q, --quiet        no per-row notices (the summary stays)\n"
"  -h, --help         this text\n"
"      --version      print the version\n"
"\n"
"Exit status: 0 success, 1 some rows could not be used (reported on stderr),\n"
"2 usage error, 3 bad input data, 4 system error.\n";

/* getopt_long's short options, for cmd_bad_option too */
static const char shortopts[] = "f:ho:q";

struct contacts_run {
	struct contact_out out;
	unsigned long contacts;
	unsigned long skipped;
};

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
		if (contact_out_put(&run->out, &c, &err) < 0)
			die_err(&err);
		run->contacts++;
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
	struct atomic_out out;
	enum out_format format = FORMAT_JSONL;
	const char *output = NULL;
	int ch;

	cmd_init("j2w-contacts");
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': format = cmd_format(optarg); break;
		case 'o': output = optarg; break;
		case 'q': cmd_quiet = 1; break;
		case 'h': cmd_help(usage);
		case 'V': cmd_version();
		default: cmd_bad_option(shortopts, argv);
		}
	}
	/* spooled: a broken row late in a file must not leave half the contacts on stdout */
	cmd_output_open(&out, output, 1);
	run.out.fp = out.fp;
	run.out.delim = cmd_format_delim(format);
	if (optind == argc)
		read_file(&run, "-");
	for (int i = optind; i < argc; i++)
		read_file(&run, argv[i]);
	cmd_output_commit(&out);
	cmd_warn("%s, %s skipped", cmd_n(run.contacts, "contact", NULL),
		    cmd_n(run.skipped, "row", NULL));
	return cmd_finish(run.skipped > 0 ? J2W_FINDINGS : 0);
}
