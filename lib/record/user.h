/* The user record of docs/formats.md: fields, JSON and table forms. */
#ifndef J2W_USER_H
#define J2W_USER_H

#include <stdio.h>
#include <jansson.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

struct user_device {
	char *name;
	char *type;	/* CSF, BOT, TCT, TAB, a phone model, or NULL when unknown */
};

struct user {
	char *userid;
	char *first_name;
	char *last_name;
	char *display_name;
	char *mailid;
	char *directory_uri;
	char *telephone_number;
	char *primary_extension;
	char *department;
	char *title;
	char *manager;
	int home_cluster;		/* -1 unknown, 0 false, 1 true */
	int im_presence_enabled;	/* -1 unknown, 0 false, 1 true */
	char *service_profile;
	char *uuid;
	struct user_device *devices;
	size_t ndevices;
	size_t devices_cap;
	char *source;			/* bat:FILE:LINE or axl:HOST */
};

void user_init(struct user *u);
/* Frees every field and leaves an empty record. */
void user_release(struct user *u);

/*
 * Replaces *field with a copy of val, or with NULL when val is NULL, empty or
 * the literal "NULL" (absent values are absent keys). Returns 0 or -1 (ENOMEM).
 */
int user_set(char **field, const char *val);
/*
 * As user_set, for a number: the record carries it as dialled. CUCM keeps an
 * E.164 directory number as a pattern with an escaped plus ("\+14085550100",
 * in BAT exports and in AXL answers alike); the record gets "+14085550100".
 * Returns 0 or -1 (ENOMEM).
 */
int user_set_number(char **field, const char *val);
/* Appends a device; type may be NULL. Returns 0 or -1 (ENOMEM). */
int user_add_device(struct user *u, const char *name, const char *type);

/* Parses an AXL/BAT boolean: t f true false 1 0 (any case). Returns 0/1, or -1. */
int user_parse_bool(const char *s);

/*
 * Gives a user record read from CSV (every cell a string, as user_to_cells
 * wrote it) the types of the JSON record: home_cluster and im_presence_enabled
 * become booleans (t/f, true/false, 1/0; anything else stays as it is), devices
 * an array of {name, type} from "NAME:TYPE;NAME;...". Returns 0, or -1 on ENOMEM.
 */
int user_retype(json_t *rec);

/*
 * Normalises a GUID to the AXL form "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
 * (BAT and SQL give it lower case without braces). Returns a new string, or NULL
 * when s is not a GUID.
 */
char *user_uuid_normalise(const char *s);

/* The record as a JSON object, keys in the documented order (caller json_decref()s), or NULL. */
json_t *user_to_json(const struct user *u);

/*
 * Appends the record as one compact JSON line (newline included) to sb: the
 * same bytes as user_to_json dumped compactly, without building a tree.
 * Returns 0 or -1 (the buffer's cap, ENOMEM).
 */
int user_write_json(const struct user *u, struct strbuf *sb);

/*
 * Reads a user record back from JSON (for commands that take user records).
 * Unknown keys are ignored. Returns 0, or -1 with err (J2W_EDATA) when userid
 * is missing or a field has the wrong type.
 */
int user_from_json(struct user *u, const json_t *obj, struct j2w_err *err);

/* Column names of the table form (--format csv|tsv), NULL-terminated. */
extern const char *const user_columns[];
#define USER_NCOLUMNS 17

/*
 * Fills cells[USER_NCOLUMNS] with the table form; devices become
 * "NAME:TYPE;NAME:TYPE". Strings point into u or into scratch, which the
 * caller frees with free(). Returns 0 or -1 (ENOMEM).
 */
int user_to_cells(const struct user *u, const char **cells, char **scratch);

/*
 * User records written one after the other to fp: as JSON Lines (delim 0), or
 * as a table (delim ',' for CSV, '\t' for TSV) under a header row written
 * before the first record, where telephone_number and primary_extension keep
 * an E.164 number's '+'. Set up with user_out_init, freed with user_out_release.
 */
struct user_out {
	FILE *fp;
	int delim;
	int header_done;
	struct strbuf line;	/* one encoded record */
};

void user_out_init(struct user_out *o, FILE *fp, int delim);
void user_out_release(struct user_out *o);
/*
 * Writes u. Returns 0, or -1 with err (J2W_ESYS): "cannot encode user 'ID'",
 * out of memory, or "cannot write output: why" when fp has an error.
 */
int user_out_put(struct user_out *o, const struct user *u, struct j2w_err *err);

#endif
