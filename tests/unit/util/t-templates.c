/* Unit tests for templates: the directory found by J2W_TEMPLATES or --templates, and a file in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util/templates.h"

static void
test_find(void)
{
	char dir[1024], file[1100], want[1200];
	struct j2w_err err;
	char *path;

	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("templates"));
	mkdir(dir, 0700);
	snprintf(file, sizeof(file), "%s/controlhub-users.tsv", dir);
	CHECK_INT(unit_write_file(file, "a\tb\n", 4), 0);

	setenv("J2W_TEMPLATES", dir, 1);
	path = templates_find("controlhub-users.tsv", &err);
	CHECK_STR(path, file);
	free(path);
	/* J2W_TEMPLATES is taken as given: a file missing there is the caller's mistake */
	CHECK(templates_find("controlhub-contacts.tsv", &err) == NULL);
	CHECK_INT(err.status, J2W_EUSAGE);
	snprintf(want, sizeof(want), "no 'controlhub-contacts.tsv' in the templates directory "
	    "'%s' (J2W_TEMPLATES)", dir);
	CHECK_STR(err.msg, want);

	/* --templates wins over J2W_TEMPLATES */
	setenv("J2W_TEMPLATES", "/nonexistent", 1);
	path = templates_dir(dir, "controlhub-users.tsv", &err);
	CHECK_STR(path, dir);
	free(path);
	unsetenv("J2W_TEMPLATES");
	unlink(file);
	rmdir(dir);
}

static void
test_path(void)
{
	char *p = templates_path("/usr/share/j2w", "jabber-config/migration.xml");

	CHECK_STR(p, "/usr/share/j2w/jabber-config/migration.xml");
	free(p);
}

UNIT_MAIN(TEST(test_find), TEST(test_path))
