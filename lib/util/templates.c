/* The templates/ lookup shared by the commands that read templates. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/exepath.h"
#include "util/templates.h"

#ifndef J2W_TEMPLATES_DIR
#define J2W_TEMPLATES_DIR "/usr/local/share/j2w"
#endif

char *
templates_path(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

static int
has_probe(const char *dir, const char *probe)
{
	char *p = templates_path(dir, probe);
	int ok = p != NULL && access(p, R_OK) == 0;

	free(p);
	return ok;
}

char *
templates_dir(const char *opt, const char *probe, struct j2w_err *err)
{
	const char *env = getenv("J2W_TEMPLATES");
	char bindir[PATH_MAX];

	if (opt != NULL || (env != NULL && *env != '\0')) {
		const char *dir = opt != NULL ? opt : env;

		if (!has_probe(dir, probe)) {
			err_set(err, J2W_EUSAGE, "no '%s' in the templates directory '%s'%s", probe,
			    dir, opt != NULL ? "" : " (J2W_TEMPLATES)");
			return NULL;
		}
		return strdup(dir);
	}
	if (has_probe(J2W_TEMPLATES_DIR, probe))
		return strdup(J2W_TEMPLATES_DIR);
	if (exepath_dir(bindir, sizeof(bindir)) == 0) {
		char *cand;

		/* a build tree (bin/../templates), then a relocated install (bin/../share/j2w) */
		cand = templates_path(bindir, "../templates");
		if (cand != NULL && has_probe(cand, probe))
			return cand;
		free(cand);
		cand = templates_path(bindir, "../share/j2w");
		if (cand != NULL && has_probe(cand, probe))
			return cand;
		free(cand);
	}
	err_set(err, J2W_ESYS, "cannot find '%s' (looked in %s and beside the binary; "
	    "give --templates DIR or set J2W_TEMPLATES)", probe, J2W_TEMPLATES_DIR);
	return NULL;
}

char *
templates_find(const char *name, struct j2w_err *err)
{
	char *dir = templates_dir(NULL, name, err), *path;

	if (dir == NULL)
		return NULL;
	path = templates_path(dir, name);
	free(dir);
	if (path == NULL)
		err_set(err, J2W_ESYS, "out of memory");
	return path;
}
