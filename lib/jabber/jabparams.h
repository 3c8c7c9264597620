/*
 * The jabber-config.xml parameter dictionary (templates/jabber-params.tsv): which
 * group each parameter belongs to, its exact name as Cisco prints it, its value
 * type, whether the Webex App reads it, and whether it is an older name or not a
 * jabber-config.xml parameter at all. Value checks live here so that generate and
 * lint agree.
 */
#ifndef J2W_JABPARAMS_H
#define J2W_JABPARAMS_H

#include <stddef.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define JP_FILE_MAX ((size_t)4 << 20)
#define JP_GROUPS_MAX 4
#define JP_COLUMNS 8

/* The seven group elements allowed under <config>, in the order Cisco lists them. */
extern const char *const jabparams_groups[7];
/* The group named exactly name, or NULL; with fold, compared case-insensitively. */
const char *jabparams_group_find(const char *name, int fold);

enum jabparams_type {
	JP_STRING,	/* any text */
	JP_BOOL,	/* true or false, any case */
	JP_BOOL01,	/* true, false (any case), 0 or 1 */
	JP_INT,		/* whole number in [min, max], maybe odd or even */
	JP_ENUM,	/* one of enums[] exactly; a value starting with '~' is older */
	JP_URL,		/* http:// or https:// URL */
	JP_URLHOST,	/* a URL, or a bare host name */
	JP_DOMAIN,	/* DNS domain, at least two labels */
	JP_HOST,	/* host name, FQDN, IPv4 or IPv6 address */
	JP_GUID,	/* 8-4-4-4-12 hex digits, or 32 hex digits */
	JP_LIST,	/* items separated by sep; from enums[] when nenums > 0 */
	JP_XML,		/* nested elements, not checked */
	JP_PHOTOURL,	/* URL with %%attribute%% tokens */
	JP_ATTR,	/* a directory attribute name (sAMAccountName) or OID */
	JP_DN,		/* a distinguished name (ou=people,dc=example,dc=com) */
	JP_LDAPFILTER,	/* an LDAP search filter: parentheses must balance */
	JP_VERSION,	/* dotted release number (12.9.1) */
	JP_HOTKEY	/* true, false, or a key combination such as CTRL+SHIFT+J */
};

/* What the dictionary says about a name besides its type. */
enum jabparams_status {
	JP_CURRENT,	/* documented and read today */
	JP_OLD,		/* an older name or integration; replacement names the current one */
	JP_ELSEWHERE	/* not read from jabber-config.xml (installer, URL, EMM keys) */
};

/* int modifiers */
enum { JP_PARITY_ANY, JP_PARITY_ODD, JP_PARITY_EVEN };

struct jabparams_param {
	const char *groups[JP_GROUPS_MAX];	/* groups[0] is where generate puts it */
	size_t ngroups;			/* 0: any group ('*') or none ('-') */
	const char *name;
	enum jabparams_type type;
	long min, max;			/* JP_INT; LONG_MIN/LONG_MAX when open */
	int parity;			/* JP_INT: JP_PARITY_* (a mismatch is WARN) */
	int clamp;			/* JP_INT: out of range is WARN (Jabber clamps) */
	const char **enums;		/* JP_ENUM, JP_LIST items */
	size_t nenums;
	char sep;			/* JP_LIST; ' ' splits at runs of blanks */
	const char *def;		/* "" when none */
	int webex;			/* the Webex App reads it (exactly this spelling) */
	enum jabparams_status status;
	const char *replacement;	/* JP_OLD: the current name, or NULL */
	const char *meaning;
	const char *source;
	unsigned long line;		/* in the dictionary file */
	size_t canon;			/* index of the first entry spelt the same ignoring case */
};

struct jabparams_dict {
	struct jabparams_param *p;		/* sorted by name (strcmp) */
	size_t n;
	char *text;			/* the file; every string above points into it */
};

/*
 * Parses a dictionary from buf[0..len) (copied); name is used in messages.
 * Lines are tab-separated: group, name, type, default, webex, status, meaning,
 * source (the header comment of templates/jabber-params.tsv explains each).
 * Returns 0, or -1 with err (J2W_EDATA "NAME:LINE: why" for a bad line, a
 * duplicate name or a replacement that is not in the dictionary, J2W_ESYS for
 * memory). Release with jabparams_dict_release.
 */
int jabparams_dict_parse(struct jabparams_dict *d, const char *buf, size_t len, const char *name,
    struct j2w_err *err);
/* Reads and parses the file at path; J2W_ESYS when it cannot be read. */
int jabparams_dict_load(struct jabparams_dict *d, const char *path, struct j2w_err *err);
void jabparams_dict_release(struct jabparams_dict *d);

/* The parameter named exactly name, or NULL. */
const struct jabparams_param *jabparams_find(const struct jabparams_dict *d, const char *name);
/* The first parameter whose name equals name ignoring ASCII case, or NULL. */
const struct jabparams_param *jabparams_find_fold(const struct jabparams_dict *d, const char *name);
/*
 * Every parameter whose name equals name ignoring ASCII case (Cisco prints some
 * names in two cases), at most max of them into out. Returns how many matched.
 */
size_t jabparams_find_fold_all(const struct jabparams_dict *d, const char *name,
    const struct jabparams_param **out, size_t max);
/* Whether p may stand in group (exact case); always true for a group-less entry. */
int jabparams_in_group(const struct jabparams_param *p, const char *group);

/* The outcome of a value check. */
enum jabparams_verdict { JP_VALUE_OK, JP_VALUE_WARN, JP_VALUE_BAD };

/*
 * Checks value (the decoded text, surrounding white space already trimmed)
 * against p's type. On WARN or BAD appends a reason such as "expects true or
 * false" to why (may be NULL). An OK value may still append a note to why: a
 * value Cisco printed only in an older or secondary document (lint reports it
 * as INFO). An empty value is OK (Jabber takes the default). A placeholder left
 * from a Cisco example (x.x.x.x, PortNumberHere) is BAD.
 */
enum jabparams_verdict jabparams_check_value(const struct jabparams_param *p, const char *value, struct strbuf *why);

/*
 * Checks an LDAP filter's parentheses. Returns 0 when they balance, or -1 with
 * a reason appended to why ("has 1 '(' left open").
 */
int jabparams_ldap_filter_check(const char *filter, struct strbuf *why);

/* The type as written in the dictionary ("int:0..100"), appended to out. */
void jabparams_type_describe(const struct jabparams_param *p, struct strbuf *out);

#endif
