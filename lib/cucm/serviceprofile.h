/*
 * The CUCM BAT serviceprofile.csv (alone or inside the export tar): each
 * service profile's "Jabber Client Configuration (jabber-config.xml)" XML.
 */
#ifndef J2W_SERVICEPROFILE_H
#define J2W_SERVICEPROFILE_H

#include <stddef.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define SP_PROFILES_MAX 100000

struct serviceprofile_profile {
	char *name;		/* the NAME column */
	char *xml;		/* the raw cell; NULL when NULL or empty */
	unsigned long line;	/* where the row starts */
};

struct serviceprofile_list {
	struct serviceprofile_profile *p;
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
int serviceprofile_list_load(struct serviceprofile_list *l, const char *path, struct j2w_err *err);
void serviceprofile_list_release(struct serviceprofile_list *l);

/*
 * Turns a cell of the Jabber client configuration XML column into a whole
 * jabber-config.xml in out: a percent-encoded cell is decoded; a fragment
 * (groups without <config>) is wrapped in the XML declaration and
 * <config version="1.0">. Returns 1 with out filled, 0 when the cell holds no
 * configuration (NULL, empty), -1 on memory or the cap.
 */
int serviceprofile_config_xml(const char *cell, struct strbuf *out);

/* A file-name-safe form of a profile name (letters, digits, . _ -; others '_'), appended to out. */
int serviceprofile_file_name(const char *profile, struct strbuf *out);

#endif
