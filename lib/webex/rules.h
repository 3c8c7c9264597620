/*
 * Wave rules: which calling behaviour and UC Manager profile a user record gets.
 * One rule per line, "field=glob[, field=glob...] -> behaviour [profile=NAME]",
 * first match wins; the format is described in docs/formats.md.
 */
#ifndef J2W_RULES_H
#define J2W_RULES_H

#include <stddef.h>
#include <jansson.h>

#include "util/j2w_err.h"
#include "webex/behavior.h"

#define RULES_MAX 10000			/* rules in one file */
#define RULES_FILE_MAX ((size_t)1 << 20)	/* bytes in one file */

struct rule_cond {
	char *field;	/* a record key, or "email" (the address j2w-apply uses) */
	char *glob;	/* fnmatch(3) pattern, compared without regard to case */
};

struct rule {
	struct rule_cond *conds;	/* all must match; none: matches every record */
	size_t nconds;
	int ignore;			/* "-> ignore": the record is not in this wave */
	enum behavior behavior;
	char *profile;			/* UC Manager profile name, or NULL */
	unsigned long line;
};

struct rules {
	struct rule *v;
	size_t n;
};

void rules_init(struct rules *rs);
void rules_release(struct rules *rs);

/*
 * Parses rules from text[0..len) (need not be NUL-terminated); name is used in
 * messages "NAME:LINE: why" (J2W_EDATA). On error rs is left empty.
 */
int rules_parse(struct rules *rs, const char *text, size_t len, const char *name,
    struct j2w_err *err);

/* Reads and parses the file path. Returns 0 or -1 with err. */
int rules_load(struct rules *rs, const char *path, struct j2w_err *err);

/*
 * The first rule matching rec, or NULL. Field "email" compares email (when not
 * NULL) instead of a record key; string, number and boolean values compare as
 * text; a missing field never matches.
 */
const struct rule *rules_match(const struct rules *rs, const json_t *rec, const char *email);

#endif
