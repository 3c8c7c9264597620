/*
 * The CUCM BAT serviceprofile.csv (alone or inside the export tar): each
 * service profile's "Jabber Client Configuration (jabber-config.xml)" XML.
 */
#ifndef J2W_SERVICEPROFILE_H
#define J2W_SERVICEPROFILE_H

#include <stddef.h>

#include "err.h"
#include "strbuf.h"

#define SP_PROFILES_MAX 100000

struct sp_profile {
	char *name;		/* the NAME column */
	char *xml;		/* the raw cell; NULL when NULL or empty */
	unsigned long line;	/* where the row starts */
};

struct sp_list {
	struct sp_profile *p;
	size_t n;
	char *label;		/* "serviceprofile.csv" or "export.tar/serviceprofile.csv" */
};

/*
 * Reads every row of path: a serviceprofile.csv, or a BAT export tar holding
 * one (told apart by the tar header checksum). The whole CSV is read before
 * anything is returned. Returns 0, or -1 with err: J2W_EUSAGE when path cannot
 * be opened, J2W_EDATA ("FILE:LINE: why") for a malformed CSV or one without
 * the NAME or Jabber client configuration XML column, J2W_ESYS for read errors.
 */
int sp_list_load(struct sp_list *l, const char *path, struct j2w_err *err);
void sp_list_release(struct sp_list *l);

/*
 * Turns a cell of the Jabber client configuration XML column into a whole
 * jabber-config.xml in out: a percent-encoded cell is decoded; a fragment
 * (groups without <config>) is wrapped in the XML declaration and
 * <config version="1.0">. Returns 1 with out filled, 0 when the cell holds no
 * configuration (NULL, empty), -1 on memory or the cap.
 */
int sp_config_xml(const char *cell, struct strbuf *out);

/* A file-name-safe form of a profile name (letters, digits, . _ -; others '_'), appended to out. */
int sp_file_name(const char *profile, struct strbuf *out);

#endif
