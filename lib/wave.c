/* A record's place in a wave: rows, or user records through wave rules. */
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "wave.h"

int
wave_valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == ',' || *s == '<' || *s == '>' || *s == '"')
			return 0;
	return 1;
}

static const char *
first_str(const json_t *rec, const char *const *keys)
{
	for (; *keys != NULL; keys++) {
		const char *v = json_get_str(rec, *keys);

		if (v != NULL && *v != '\0')
			return v;
	}
	return NULL;
}

void
wave_take(const json_t *rec, const struct rules *rules, struct wave_entry *e)
{
	static const char *const row_keys[] = { "email", "webex_email", NULL };
	static const char *const user_keys[] = { "webex_email", "email", "directory_uri",
	    "mailid", NULL };

	memset(e, 0, sizeof(*e));
	e->email = first_str(rec, rules != NULL ? user_keys : row_keys);
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
	if (!wave_valid_email(e->email)) {
		e->kind = WAVE_BAD;
		snprintf(e->why, sizeof(e->why), "'%.200s' is not an email address", e->email);
		return;
	}
	e->kind = WAVE_USER;
}
