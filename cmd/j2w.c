/* j2w: the git-style dispatcher; "j2w VERB ARGS" runs "j2w-VERB ARGS". */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdutil.h"
#include "util/exepath.h"
#include "util/version.h"

static const struct {
	const char *verb;
	const char *what;
} verbs[] = {
	{ "users", "pull users from CUCM BAT exports or AXL" },
	{ "contacts", "pull IM and Presence contact lists" },
	{ "reconcile", "reconcile Jabber IDs against Directory URI, mail, LDAP, Webex email" },
	{ "csv", "write Control Hub CSV files" },
	{ "jabber-config", "generate, merge, lint, trim and extract jabber-config.xml" },
	{ "apply", "apply calling behaviour and UC Manager profiles in Control Hub" },
	{ "chat-archive", "archive IM&P persistent chat into SQLite" },
	{ "dns-check", "check DNS SRV and TLS readiness" },
	{ "report", "write the readiness report" },
};

static void
list_verbs(FILE *out)
{
	fprintf(out, "usage: j2w VERB [ARGS...]    (same as j2w-VERB ARGS...)\n\n"
	    "verbs:\n");
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-15s %s\n", verbs[i].verb, verbs[i].what);
	fprintf(out, "\n'j2w VERB --help' or 'man j2w-VERB' tells more.\n");
}

static int
known_verb(const char *verb)
{
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verbs[i].verb, verb) == 0)
			return 1;
	return 0;
}

/*
 * j2w help VERB: the manual page of j2w-VERB, from the build tree (bin/../docs/man)
 * or an install (bin/../share/man/man1) beside this program, else as man finds
 * it; without man, j2w-VERB --help.
 */
__attribute__((noreturn))
static void
help_verb(const char *verb)
{
	static const char *const where[] = { "../docs/man", "../share/man/man1" };
	char name[64], dir[PATH_MAX], page[PATH_MAX + 100];
	int beside = 0;

	if (!known_verb(verb))
		cmd_usage_error("'%s' is not a j2w verb (see 'j2w help')", verb);
	snprintf(name, sizeof(name), "j2w-%s", verb);
	for (size_t i = 0; !beside && i < sizeof(where) / sizeof(where[0]); i++) {
		if (exepath_dir(dir, sizeof(dir)) < 0)
			break;
		snprintf(page, sizeof(page), "%s/%s/%s.1", dir, where[i], name);
		if (access(page, R_OK) == 0) {
			beside = 1;
			execlp("man", "man", "-l", page, (char *)NULL);
		}
	}
	if (!beside)
		execlp("man", "man", name, (char *)NULL);
	if (errno != ENOENT)
		die(J2W_ESYS, "cannot run man: %s", strerror(errno));
	/* no man here: the usage is the next best thing */
	if (exepath_dir(dir, sizeof(dir)) == 0) {
		snprintf(page, sizeof(page), "%s/%s", dir, name);
		execl(page, name, "--help", (char *)NULL);
	}
	execlp(name, name, "--help", (char *)NULL);
	die(J2W_ESYS, "cannot run '%s': %s", name, strerror(errno));
}

int
main(int argc, char **argv)
{
	char name[64], dir[PATH_MAX], path[PATH_MAX + 80];
	const char *verb;

	cmd_init("j2w");
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc >= 3 && strcmp(argv[1], "help") == 0)
			help_verb(argv[2]);
		list_verbs(argc < 2 ? stderr : stdout);
		return cmd_finish(argc < 2 ? J2W_EUSAGE : 0);
	}
	if (strcmp(argv[1], "--version") == 0)
		cmd_version();
	verb = argv[1];
	if (verb[0] == '-' || strchr(verb, '/') != NULL || strlen(verb) > 40)
		cmd_usage_error("'%s' is not a verb", verb);
	snprintf(name, sizeof(name), "j2w-%s", verb);
	argv[1] = name;
	if (exepath_dir(dir, sizeof(dir)) == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (access(path, X_OK) == 0)
			execv(path, argv + 1);
	}
	execvp(name, argv + 1);
	if (errno == ENOENT)
		cmd_usage_error("'%s' is not a j2w verb (see 'j2w help')", verb);
	die(J2W_ESYS, "cannot run '%s': %s", name, strerror(errno));
}
