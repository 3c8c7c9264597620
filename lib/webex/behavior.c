/* Calling-behaviour names: API enums, aliases, and the CISCOTEL profile rule. */
#include <stddef.h>
#include <strings.h>

#include "webex/behavior.h"

static const struct {
	enum behavior b;
	const char *api;
	const char *alias;
} behaviors[] = {
	{ BEHAVIOR_DEFAULT, NULL, "default" },
	{ BEHAVIOR_UCM, "NATIVE_SIP_CALL_TO_UCM", "ucm" },
	{ BEHAVIOR_CISCOTEL, "CALL_WITH_APP_REGISTERED_FOR_CISCOTEL", "jabber" },
	{ BEHAVIOR_WEBEX, "NATIVE_WEBEX_TEAMS_CALLING", "webex" },
	{ BEHAVIOR_TEL, "CALL_WITH_APP_REGISTERED_FOR_TEL", "third-party" },
	{ BEHAVIOR_WEBEXCALLTEL, "CALL_WITH_APP_REGISTERED_FOR_WEBEXCALLTEL", "webex-calling" },
};
#define NBEHAVIORS (sizeof(behaviors) / sizeof(behaviors[0]))

int
behavior_parse(const char *s, enum behavior *out)
{
	if (s == NULL)
		return -1;
	if (strcasecmp(s, "null") == 0 || strcasecmp(s, "USE_ORG_SETTINGS") == 0) {
		*out = BEHAVIOR_DEFAULT;
		return 0;
	}
	for (size_t i = 0; i < NBEHAVIORS; i++) {
		if ((behaviors[i].api != NULL && strcasecmp(s, behaviors[i].api) == 0) ||
		    strcasecmp(s, behaviors[i].alias) == 0) {
			*out = behaviors[i].b;
			return 0;
		}
	}
	return -1;
}

const char *
behavior_api_name(enum behavior b)
{
	for (size_t i = 0; i < NBEHAVIORS; i++)
		if (behaviors[i].b == b)
			return behaviors[i].api;
	return NULL;
}

const char *
behavior_alias(enum behavior b)
{
	for (size_t i = 0; i < NBEHAVIORS; i++)
		if (behaviors[i].b == b)
			return behaviors[i].alias;
	return "default";
}

int
behavior_uses_profile(enum behavior b)
{
	return b != BEHAVIOR_CISCOTEL;
}
