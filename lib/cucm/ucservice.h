/*
 * The CUCM BAT ucservice.csv (in the export tar beside serviceprofile.csv): each
 * UC service with its type and XML. From Unified CM 12.5 a service of type
 * "Jabber Client Configuration (jabber-config.xml)" holds the jabber-config
 * parameters that a service profile names; CUCM Administration stores each
 * parameter value URL-encoded (bot%40example.com).
 */
#ifndef J2W_UCSERVICE_H
#define J2W_UCSERVICE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define UCSERVICE_MAX 100000

struct ucservice {
	char *name;		/* NAME */
	char *type;		/* SERVICE TYPE, else PRODUCT TYPE; NULL when neither says */
	char *xml;		/* XML; NULL when NULL or empty */
	unsigned long line;	/* where the row starts */
};

struct ucservice_list {
	struct ucservice *s;
	size_t n;
	size_t *order;		/* s by name without case, for ucservice_find */
	char *label;		/* "ucservice.csv" or "export.tar/ucservice.csv"; NULL: none read */
};

/*
 * Reads a ucservice.csv from fp (at most limit bytes, -1: to the end), named
 * label in messages. Columns are found by name (NAME and XML are required;
 * SERVICE TYPE and PRODUCT TYPE are read when present). Returns 0, or -1 with
 * err (J2W_EDATA "LABEL:LINE: why" for a malformed file, J2W_ESYS) and l empty.
 */
int ucservice_read(struct ucservice_list *l, FILE *fp, off_t limit, const char *label,
    struct j2w_err *err);
void ucservice_list_release(struct ucservice_list *l);

/*
 * The service called name: the same name exactly, else the same name in
 * another letter case; among several, a Jabber Client Configuration one first.
 * NULL when there is none. The pointer is valid until l is released.
 */
const struct ucservice *ucservice_find(const struct ucservice_list *l, const char *name);

/* Whether s is a Jabber Client Configuration service (its type names Jabber). */
int ucservice_is_jabber(const struct ucservice *s);

/*
 * Appends xml to out with its text URL-decoded as CUCM Administration encodes a
 * UC service's parameter values (application/x-www-form-urlencoded): between
 * tags %XX is the byte XX and '+' a space; a decoded '&', '<' or '>' is written
 * as its XML entity, and %00 is kept as it is. Tags, comments, CDATA sections
 * and entities already in the text are copied unchanged. Returns 0 or -1
 * (out's cap, or memory).
 */
int ucservice_decode_values(const char *xml, struct strbuf *out);

#endif
