/*
 * What one input record asks of a wave: email, calling behaviour and UC
 * Manager profile, from a row (calling_behavior, uc_manager_profile) or, with
 * wave rules, from a user record; the email is person_webex_email's. Shared by
 * j2w-apply and j2w-csv.
 */
#ifndef J2W_WAVE_H
#define J2W_WAVE_H

#include <jansson.h>

#include "webex/behavior.h"
#include "webex/rules.h"

enum wave_kind {
	WAVE_USER,		/* in the wave: email, behavior, profile are set */
	WAVE_BAD,		/* cannot be used: why says so */
	WAVE_NO_RULE,		/* no rule matched: not in this wave */
	WAVE_IGNORED,		/* an "ignore" rule matched */
	WAVE_BLOCKED		/* j2w-reconcile marked the user blocked */
};

struct wave_entry {
	enum wave_kind kind;
	const char *email;	/* points into the record, or NULL */
	enum behavior behavior;
	const char *profile;	/* into the record or the rules, or NULL */
	char why[300];
};

/* Classifies rec (rules may be NULL: rows). Pointers live as long as rec and rules. */
void wave_take(const json_t *rec, const struct rules *rules, struct wave_entry *e);

#endif
