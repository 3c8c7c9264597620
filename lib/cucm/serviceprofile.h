/*
 * The CUCM BAT serviceprofile.csv (alone or inside the export tar): the Jabber
 * client configuration of each service profile. From Unified CM 12.5 a profile
 * names a UC service of type "Jabber Client Configuration (jabber-config.xml)"
 * for its Common, Desktop and Mobile clients, and that service's XML (in the
 * export's ucservice.csv) is the configuration; the profile's own column
 * JABBER CLIENT CONFIGURATION (JABBER-CONFIG.XML)_XML is the fallback.
 */
#ifndef J2W_SERVICEPROFILE_H
#define J2W_SERVICEPROFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "cucm/ucservice.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

#define SP_PROFILES_MAX 100000

/*
 * The clients a profile names a Jabber Client Configuration for, in the order
 * of the Service Profile page; the export's columns are ..._PRIMARY SERVER,
 * ..._SECONDARY SERVER and ..._TERTIARY SERVER.
 */
enum serviceprofile_client { SP_COMMON, SP_DESKTOP, SP_MOBILE, SP_CLIENTS };

struct serviceprofile_profile {
	char *name;			/* the NAME column */
	char *xml;			/* the profile's own configuration cell; NULL when NULL or empty */
	char *service[SP_CLIENTS];	/* the UC service named for each client; NULL when none */
	unsigned long line;		/* where the row starts */
};

struct serviceprofile_list {
	struct serviceprofile_profile *p;
	size_t n;
	char *label;		/* "serviceprofile.csv" or "export.tar/serviceprofile.csv" */
	struct ucservice_list uc;	/* the export's ucservice.csv; uc.label NULL when none */
};

/*
 * Reads every row of path: a serviceprofile.csv, or a BAT export tar holding
 * one (told apart by the tar header checksum). The UC services come from the
 * tar's ucservice.csv, or for a CSV from the ucservice.csv beside it (any
 * letter case); without one, l->uc is empty. Returns 0, or -1 with err:
 * J2W_EUSAGE when path cannot be opened, J2W_EDATA ("FILE:LINE: why") for a
 * malformed CSV or one without the NAME column or any Jabber client
 * configuration column, J2W_ESYS for read errors.
 */
int serviceprofile_list_load(struct serviceprofile_list *l, const char *path, struct j2w_err *err);

/*
 * Reads the rows of a serviceprofile.csv from fp (at most limit bytes, -1: to
 * the end), named label in messages, into l (zeroed here; l->uc stays empty).
 * Returns 0, or -1 with err as serviceprofile_list_load and l empty.
 */
int serviceprofile_read(struct serviceprofile_list *l, FILE *fp, off_t limit, const char *label,
    struct j2w_err *err);
void serviceprofile_list_release(struct serviceprofile_list *l);

/* The name of a client in messages and file names: "common", "desktop", "mobile". */
const char *serviceprofile_client_name(enum serviceprofile_client c);

/* Where the configuration of one client of a profile comes from. */
struct serviceprofile_config {
	const char *cell;	/* the XML to write; NULL: nothing to write */
	int from_service;	/* cell is a UC service's XML (its values URL-encoded) */
	const char *service;	/* the UC service the profile names for the client, or NULL */
	int missing;		/* service is not in l->uc (or there is no ucservice.csv) */
	const char *label;	/* the file cell comes from */
	unsigned long line;	/* and its row */
};

/*
 * Follows profile p of l to the configuration of client c: the XML of the UC
 * service it names, when l->uc holds that service with XML; else, for the
 * Common client, the profile's own cell. Strings point into l.
 */
void serviceprofile_resolve(const struct serviceprofile_list *l,
    const struct serviceprofile_profile *p, enum serviceprofile_client c,
    struct serviceprofile_config *out);

/*
 * Turns a configuration cell into a whole jabber-config.xml in out: a cell
 * percent-encoded whole (%3CClient%3E...) is decoded; with values_encoded (a
 * UC service's XML) the text of each element is URL-decoded
 * (ucservice_decode_values); a fragment (groups without <config>) is wrapped in
 * the XML declaration and <config version="1.0">. Returns 1 with out filled, 0
 * when the cell holds no configuration (NULL, empty), -1 on memory or the cap.
 */
int serviceprofile_config_xml(const char *cell, int values_encoded, struct strbuf *out);

/* A file-name-safe form of a profile name (letters, digits, . _ -; others '_'), appended to out. */
int serviceprofile_file_name(const char *profile, struct strbuf *out);

#endif
