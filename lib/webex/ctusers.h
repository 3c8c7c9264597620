/*
 * The per-user Control Hub CSVs (the user CSV, the calling-behaviour bulk CSV):
 * which records become rows, each person once (the rule of record/person.h),
 * and what is left out and why.
 */
#ifndef J2W_CTUSERS_H
#define J2W_CTUSERS_H

#include <stdio.h>
#include <jansson.h>

#include "record/person.h"
#include "util/j2w_err.h"
#include "webex/ctcsv.h"
#include "webex/rules.h"

enum ctusers_kind {
	CTUSERS_USERS,		/* user records -> the user CSV */
	CTUSERS_CALLING		/* rows, or user records with rules -> calling behaviour */
};

struct ctusers {
	enum ctusers_kind kind;
	const struct ctcsv_template *t;	/* the columns: two rows that agree are one */
	const struct rules *rules;	/* CTUSERS_CALLING: wave rules, or NULL for rows */
	/* told each record left out or listed again, "FILE:LINE: why"; may be NULL */
	void (*warn)(void *ctx, const char *msg);
	void *warn_ctx;

	/*
	 * Told each record that becomes a row, in input order, as it is read: the
	 * user record, or the calling-behaviour row made from it (valid during the
	 * call). Returns 0, or -1 with err to stop reading. NULL: rows are counted.
	 */
	int (*row)(void *ctx, const json_t *row, struct j2w_err *err);
	void *row_ctx;
	unsigned long rows;		/* records that became rows */
	unsigned long read;		/* records read */
	unsigned long skipped;		/* left out (reported) */
	unsigned long not_in_wave;	/* no rule, or an "ignore" rule */
	unsigned long repeated;		/* the same row again: written once */

	/* the module's */
	struct person_set seen;
	struct j2w_err err;
};

/* Sets up a builder of kind over t (and rules); set row before reading. Returns 0 or -1 with err. */
int ctusers_init(struct ctusers *u, enum ctusers_kind kind, const struct ctcsv_template *t,
    const struct rules *rules, struct j2w_err *err);
void ctusers_release(struct ctusers *u);

/*
 * Reads the records of fp (JSON Lines or CSV; name for sources), handing each
 * row on as it comes: nothing of a record is kept but what the same-person
 * rule needs (record/person.h), so memory does not grow with the records.
 * Users: the address is person_webex_email's; a record without a usable one, or
 * one j2w-reconcile blocked, is left out. Calling behaviour: wave_take's
 * verdict, the behaviour as Control Hub spells it (USE_ORG_SETTINGS for the
 * default). A person listed again with the same cells (ctusers_signature) is
 * written once; with other cells the later record is left out, since only one
 * can be right.
 * Returns 0, or -1 with err (J2W_EDATA for input that cannot be read, J2W_ESYS,
 * or row's error).
 */
int ctusers_read(struct ctusers *u, FILE *fp, const char *name, struct j2w_err *err);

/*
 * The user and the cells rec would become under t, as one string: two records
 * with the same signature are one row. The userid is part of it even where no
 * column shows it, so two accounts sharing an address are never taken for one.
 * Cells are separated by U+001F, so every cell counts; case does not.
 * Returns a new string (caller frees) or NULL on ENOMEM.
 */
char *ctusers_signature(const struct ctcsv_template *t, const json_t *rec);

#endif
