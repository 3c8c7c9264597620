/*
 * jabber-config.xml as bytes: parsed safely with libxml2 (no DTD, no entities),
 * then mapped element by element to byte offsets in the original text, so that
 * edits splice new bytes in and leave every other byte (comments, spacing,
 * quoting, line endings, order) exactly as it was.
 */
#ifndef J2W_JABCFG_H
#define J2W_JABCFG_H

#include <stddef.h>
#include <libxml/tree.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define JC_DOC_MAX ((size_t)16 << 20)
#define JC_DEPTH_MAX 64
#define JC_ELEMS_MAX 200000

struct jabcfg_elem {
	char *name;		/* as written, prefix included */
	size_t start;		/* the '<' of the start tag */
	size_t stag_end;	/* just past the start tag's '>' */
	size_t etag_start;	/* the '<' of the end tag; stag_end for <x/> */
	size_t end;		/* just past the end tag */
	unsigned long line;	/* of the start tag, 1-based */
	int depth;		/* the root is 0 */
	long parent;		/* index, -1 for the root */
	int empty;		/* written <x/> */
	int nchildren;		/* element children */
	xmlNodePtr node;	/* the same element in the libxml2 tree */
};

struct jabcfg_doc {
	char *buf;		/* the document as read (owned), NUL-terminated */
	size_t len;
	xmlDocPtr xml;
	struct jabcfg_elem *el;	/* document order */
	size_t n;
	int crlf;		/* the file ends its lines with CR LF */
};

/*
 * Parses buf[0..len) (copied). name is used in messages. Returns 0, or -1 with
 * err: J2W_EDATA "NAME: line N: why" for a document that is not well-formed,
 * not UTF-8, has a DOCTYPE or entity declaration, or is too large or deep;
 * J2W_ESYS for memory. Release with jabcfg_release.
 */
int jabcfg_parse(struct jabcfg_doc *d, const char *buf, size_t len, const char *name,
    struct j2w_err *err);
void jabcfg_release(struct jabcfg_doc *d);

/* The text of element i, entities decoded, white space trimmed; caller frees. NULL on ENOMEM. */
char *jabcfg_value(const struct jabcfg_doc *d, size_t i);
/* The value of attribute attr of element i (caller frees), or NULL when absent. */
char *jabcfg_attr(const struct jabcfg_doc *d, size_t i, const char *attr);
/* Index of the first element child of parent (an index, -1 for none) named name, or -1. */
long jabcfg_child(const struct jabcfg_doc *d, long parent, const char *name);

/* Appends s to out with &, < and > escaped. Returns 0 or -1. */
int jabcfg_escape(struct strbuf *out, const char *s);

/*
 * Sets parameter param of group to value in d, changing as few bytes as
 * possible: every element directly under a group whose name equals param
 * ignoring ASCII case (Cisco prints some names in two cases) gets the new text,
 * its own spelling kept (where it already equals value, nothing changes); when
 * there is none the element is added as the last element of the first group
 * element named group, and the group is added before </config> when missing.
 * Indentation (per level) and line endings follow the file. d is re-parsed
 * afterwards. Returns 1 when bytes changed, 0 when the value was already
 * there, -1 with err.
 */
int jabcfg_set(struct jabcfg_doc *d, const char *group, const char *param, const char *value,
    const char *name, struct j2w_err *err);

/*
 * Removes element i with its own line (the indentation before it and the line
 * end after it when nothing else shares the line), and one blank line that set
 * it apart (so that removing a group leaves no gap). d is re-parsed. Returns 0
 * or -1.
 */
int jabcfg_remove(struct jabcfg_doc *d, size_t i, const char *name, struct j2w_err *err);

/* One parameter setting: group/param=value (a template's content, or --set). */
struct jabcfg_setting {
	char *group;
	char *param;
	char *value;
	unsigned long line;	/* in the document it came from; 0 for --set */
};

/*
 * The parameters of d, in document order: every element two levels below the
 * root, with its group and trimmed text. *out is an array the caller frees with
 * jabcfg_settings_free. Returns 0, or -1 with err (J2W_ESYS).
 */
int jabcfg_settings(const struct jabcfg_doc *d, struct jabcfg_setting **out, size_t *n, struct j2w_err *err);
void jabcfg_settings_free(struct jabcfg_setting *s, size_t n);

#endif
