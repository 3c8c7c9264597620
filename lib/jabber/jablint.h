/*
 * The jabber-config.xml rules: lint findings (check IDs in
 * docs/checks/jabber-config.md) and trimming to what the Webex App reads.
 */
#ifndef J2W_JABLINT_H
#define J2W_JABLINT_H

#include <stddef.h>
#include <jansson.h>

#include "jabber/jabcfg.h"
#include "jabber/jabparams.h"
#include "record/findings.h"
#include "util/j2w_err.h"

#define JL_TOOL "j2w-jabber-config"

struct jablint_opts {
	const struct jabparams_dict *dict;
	const char *profile;			/* e.g. "cross-launch", or NULL */
	const struct jabcfg_setting *want;		/* the profile's settings ("" = any value) */
	size_t nwant;
};

/* Receives each finding (ownership passes); returns 0 to go on, -1 to stop. */
typedef int (*jablint_emit_fn)(json_t *finding, enum severity sev, void *ctx);

/*
 * Lints one file's bytes. file names it in subjects ("FILE:LINE") and evidence.
 * A file that does not parse yields one JC-XML finding, not an error.
 * Returns 0, or -1 with err (memory, or emit stopped).
 */
int jablint_lint(const char *buf, size_t len, const char *file, const struct jablint_opts *o,
    jablint_emit_fn emit, void *ctx, struct j2w_err *err);

/* Called for each removed parameter: group/name, its line, why. */
typedef void (*jablint_removed_fn)(const char *group, const char *name, unsigned long line,
    const char *why, void *ctx);

/*
 * Removes from d every parameter the Webex App does not read (unknown ones
 * too), then every group left without elements. Returns the number removed,
 * or -1 with err.
 */
long jablint_trim(struct jabcfg_doc *d, const struct jabparams_dict *dict, const char *name,
    jablint_removed_fn removed, void *ctx, struct j2w_err *err);

/* Edit distance between a and b, ASCII case folded, capped at cap + 1. */
size_t jablint_distance(const char *a, const char *b, size_t cap);

#endif
