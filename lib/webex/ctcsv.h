/*
 * Control Hub CSV column sets: a template file names each column's header and
 * where its value comes from, so that a change of Control Hub's columns is an
 * edit of templates/, not of code. Also the arithmetic of splitting files.
 */
#ifndef J2W_CTCSV_H
#define J2W_CTCSV_H

#include <stddef.h>
#include <jansson.h>

#include "util/j2w_err.h"

#define CT_COLUMNS_MAX 256
#define CT_TEMPLATE_MAX ((size_t)64 << 10)

struct ctcsv_column {
	char *header;		/* as Control Hub spells it */
	char **keys;		/* record keys, first present wins; none: literal */
	size_t nkeys;
	char *literal;		/* 'text' source, or NULL */
	int phone;		/* a phone column: a valid E.164 number keeps its '+' */
};

struct ctcsv_template {
	struct ctcsv_column *cols;
	size_t n;
	unsigned char *phone;	/* per column, for csv_write_row */
};

/*
 * Parses a template: one column per line, "HEADER<TAB>SOURCE[<TAB>phone]",
 * SOURCE being record keys separated by '|' (first present wins), 'text' (a
 * literal) or empty; '#' lines and blank lines are comments. Errors are
 * "NAME:LINE: why" (J2W_EDATA).
 */
int ctcsv_template_parse(struct ctcsv_template *t, const char *text, size_t len, const char *name,
    struct j2w_err *err);
/* Reads and parses a template file. */
int ctcsv_template_load(struct ctcsv_template *t, const char *path, struct j2w_err *err);
void ctcsv_template_release(struct ctcsv_template *t);

/* The headers as a row (pointers into t). cells has t->n slots. */
void ctcsv_template_headers(const struct ctcsv_template *t, const char **cells);

/*
 * The cells of rec: strings are used as they are (in a phone column, without
 * CUCM's escaped plus: "\+1408..." is "+1408..."), true/false become TRUE/FALSE,
 * integers their digits, anything else an empty cell. cells has t->n slots;
 * pointers are into rec, t or scratch (t->n * 32 bytes), valid while they are.
 */
void ctcsv_template_cells(const struct ctcsv_template *t, const json_t *rec, const char **cells,
    char *scratch);

/*
 * The name of part n (1-based) of a split output: "users.csv" -> "users-001.csv",
 * "out" -> "out-001". Returns a new string or NULL (ENOMEM).
 */
char *ctcsv_part_name(const char *path, unsigned n);

/*
 * Packs groups of rows into files of at most per_file rows without splitting a
 * group (each group <= per_file): fills file[i] (0-based) for group i in order,
 * and returns the number of files.
 */
size_t ctcsv_pack(const size_t *group_rows, size_t ngroups, size_t per_file, size_t *file);

#endif
