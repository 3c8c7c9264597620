/*
 * j2w-jabber-config extract's plan: which files each service profile gives
 * (one per client whose configuration is found), their contents, their names
 * and clashes, and the notes about UC services that cannot be followed, all as
 * data, so that every name is known before the first file is written.
 */
#ifndef J2W_SPEXTRACT_H
#define J2W_SPEXTRACT_H

#include <stddef.h>

#include "cucm/serviceprofile.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/*
 * How a file is named (jabber/jabfiles.h jabfiles_extract_path, passed in by the
 * command): appends to out the path in dir for safe, the file-name-safe name,
 * with -lineLINE when one of earlier[0..n) is that file (then returns 1 and sets
 * *clash to its index); 0 without a clash, -1 when out cannot grow.
 */
typedef int (*spextract_path_fn)(const char *dir, const char *safe, unsigned long line,
    const struct strbuf *earlier, size_t n, struct strbuf *out, size_t *clash);

/* One file to write: the configuration of one client of one profile. */
struct spextract_file {
	size_t profile;		/* index in the list */
	struct strbuf xml;
};

/* A note for the user ("FILE:LINE: ..."), shown before files[before] is checked. */
struct spextract_note {
	size_t before;
	char *msg;
};

struct spextract_plan {
	struct spextract_file *files;
	struct strbuf *paths;		/* paths[i] is where files[i] goes */
	size_t nfiles;
	struct spextract_note *notes;
	size_t nnotes;
	const char *label;		/* the list's, for the summary */
	size_t profiles;
	size_t without;			/* profiles with no configuration and no missing service */
	size_t missing;			/* clients whose UC service is missing, with nothing to write */
};

/*
 * Plans the files of every profile of l into plan (zeroed here) in dir, each
 * file's XML capped at xml_max bytes. On error, what was planned before it
 * (files and notes) stays in plan for the caller to show. Returns 0, or -1
 * with err (J2W_EDATA: a configuration over the cap, J2W_ESYS: memory).
 * Release plan with spextract_plan_release either way.
 */
int spextract_plan(struct spextract_plan *plan, const struct serviceprofile_list *l,
    const char *dir, spextract_path_fn path, size_t xml_max, struct j2w_err *err);
void spextract_plan_release(struct spextract_plan *plan);

/*
 * Appends the summary of a plan whose files were all written: "LABEL: N service
 * profiles, N files written, N without a client configuration[, N UC services
 * not found]".
 */
void spextract_describe(const struct spextract_plan *plan, struct strbuf *sb);

#endif
