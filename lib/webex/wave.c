/* A record's place in a wave: rows, or user records through wave rules. */
#include <stdio.h>
#include <string.h>

#include "record/person.h"
#include "util/jsonl.h"
#include "webex/wave.h"

void
wave_take(const json_t *rec, const struct rules *rules, struct wave_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->email = person_webex_email(rec);
	if (rules != NULL) {
		const struct rule *r = rules_match(rules, rec, e->email);
		const char *status = json_get_str(rec, "status");

		if (r == NULL) {
			e->kind = WAVE_NO_RULE;
			return;
		}
		if (r->ignore) {
			e->kind = WAVE_IGNORED;
			return;
		}
		if (status != NULL && strcmp(status, "blocked") == 0) {
			e->kind = WAVE_BLOCKED;
			snprintf(e->why, sizeof(e->why), "'%.200s' is blocked by j2w-reconcile: left "
			    "out of this wave", e->email != NULL ? e->email : "?");
			return;
		}
		e->behavior = r->behavior;
		e->profile = r->profile;
	} else {
		const char *beh = json_get_str(rec, "calling_behavior");

		e->profile = json_get_str(rec, "uc_manager_profile");
		if (e->profile != NULL && *e->profile == '\0')
			e->profile = NULL;
		if (beh == NULL || *beh == '\0') {
			e->kind = WAVE_BAD;
			snprintf(e->why, sizeof(e->why), "no calling_behavior (write 'default' for "
			    "the org default)");
			return;
		}
		if (behavior_parse(beh, &e->behavior) < 0) {
			e->kind = WAVE_BAD;
			snprintf(e->why, sizeof(e->why), "unknown calling_behavior '%.100s' (ucm, "
			    "jabber, webex, third-party, webex-calling, default, or an API name)", beh);
			return;
		}
	}
	if (e->email == NULL) {
		e->kind = WAVE_BAD;
		snprintf(e->why, sizeof(e->why), "%s", rules != NULL ?
		    "no webex_email, email, directory_uri or mailid" : "no email");
		return;
	}
	if (!person_valid_email(e->email)) {
		e->kind = WAVE_BAD;
		snprintf(e->why, sizeof(e->why), "'%.200s' is not an email address", e->email);
		return;
	}
	e->kind = WAVE_USER;
}
