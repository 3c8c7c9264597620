/*
 * XML from outside (SOAP answers, jabber-config files) parsed with libxml2 so that
 * no DTD is read, no entity is declared or expanded and nothing is fetched: a
 * document with a DOCTYPE is refused outright (no XXE, no entity blow-up).
 */
#ifndef J2W_XMLSAFE_H
#define J2W_XMLSAFE_H

#include <stddef.h>
#include <libxml/tree.h>

#include "util/j2w_err.h"

#define XML_DOC_MAX ((size_t)256 << 20)

/* Once per process (libxml2's own setup); safe to call twice. */
void xmlsafe_init(void);

/*
 * Parses buf[0..len) into a tree; caller xmlFreeDoc()s. On a malformed or
 * refused document returns NULL with err (J2W_EDATA, "line N: ...") prefixed by name.
 * Whitespace-only text nodes are kept only when keep_blanks is set (for round trips).
 */
xmlDocPtr xmlsafe_parse(const char *buf, size_t len, const char *name, int keep_blanks,
    struct j2w_err *err);

/* The first element child of node whose local name is name (any namespace), or NULL. */
xmlNodePtr xml_child(xmlNodePtr node, const char *name);
/* The first element named name at any depth below node (node itself included), or NULL. */
xmlNodePtr xml_find(xmlNodePtr node, const char *name);
/* The next element sibling after node with the same local name, or NULL. */
xmlNodePtr xml_next_named(xmlNodePtr node);
/* The text content of node as a new string the caller frees, or NULL for no node. */
char *xml_text(xmlNodePtr node);
/* The text of child name of node (a new string), or NULL when absent or empty. */
char *xml_child_text(xmlNodePtr node, const char *name);

#endif
