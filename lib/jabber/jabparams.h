/*
 * The jabber-config.xml parameter dictionary (templates/jabber-params.tsv): which
 * group each parameter belongs to, its exact name, its value type, and whether
 * the Webex App reads it. Value checks live here so that generate and lint agree.
 */
#ifndef J2W_JABPARAMS_H
#define J2W_JABPARAMS_H

#include <stddef.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define JP_FILE_MAX ((size_t)4 << 20)
#define JP_GROUPS_MAX 4

/* The seven group elements allowed under <config>, in the order Cisco lists them. */
extern const char *const jabparams_groups[7];
/* The group named exactly name, or NULL; with fold, compared case-insensitively. */
const char *jabparams_group_find(const char *name, int fold);

enum jabparams_type { JP_STRING, JP_BOOL, JP_INT, JP_ENUM, JP_URL, JP_DOMAIN, JP_HOST,
	JP_ORGID, JP_LIST, JP_XML, JP_PHOTOURL };

struct jabparams_param {
	const char *groups[JP_GROUPS_MAX];	/* groups[0] is where generate puts it */
	size_t ngroups;
	const char *name;
	enum jabparams_type type;
	long min, max;			/* JP_INT; LONG_MIN/LONG_MAX when open */
	const char **enums;		/* JP_ENUM */
	size_t nenums;
	char sep;			/* JP_LIST */
	const char *def;		/* "" when none */
	int webex;			/* the Webex App reads it */
	const char *meaning;
	const char *source;
	unsigned long line;		/* in the dictionary file */
};

struct jabparams_dict {
	struct jabparams_param *p;		/* sorted by name (strcmp) */
	size_t n;
	char *text;			/* the file; every string above points into it */
};

/*
 * Parses a dictionary from buf[0..len) (copied); name is used in messages.
 * Returns 0, or -1 with err (J2W_EDATA "NAME:LINE: why" for a bad line or a
 * duplicate name, J2W_ESYS for memory). Release with jabparams_dict_release.
 */
int jabparams_dict_parse(struct jabparams_dict *d, const char *buf, size_t len, const char *name,
    struct j2w_err *err);
/* Reads and parses the file at path; J2W_ESYS when it cannot be read. */
int jabparams_dict_load(struct jabparams_dict *d, const char *path, struct j2w_err *err);
void jabparams_dict_release(struct jabparams_dict *d);

/* The parameter named exactly name, or NULL. */
const struct jabparams_param *jabparams_find(const struct jabparams_dict *d, const char *name);
/* The parameter whose name equals name ignoring ASCII case, or NULL. */
const struct jabparams_param *jabparams_find_fold(const struct jabparams_dict *d, const char *name);
/* Whether group is one of p's groups (exact case). */
int jabparams_in_group(const struct jabparams_param *p, const char *group);

/* The outcome of a value check. */
enum jabparams_verdict { JP_VALUE_OK, JP_VALUE_WARN, JP_VALUE_BAD };

/*
 * Checks value (the decoded text, surrounding white space already trimmed)
 * against p's type. On WARN or BAD appends a reason such as "expects true or
 * false" to why (may be NULL). An empty value is OK (Jabber takes the default).
 */
enum jabparams_verdict jabparams_check_value(const struct jabparams_param *p, const char *value, struct strbuf *why);

/* The type as written in the dictionary ("int:0..100"), appended to out. */
void jabparams_type_describe(const struct jabparams_param *p, struct strbuf *out);

#endif
