/* Webex calling behaviours: the API enum, the short aliases, and what "the same" means. */
#ifndef J2W_BEHAVIOR_H
#define J2W_BEHAVIOR_H

enum behavior {
	BEHAVIOR_DEFAULT,	/* JSON null: the org default */
	BEHAVIOR_UCM,		/* NATIVE_SIP_CALL_TO_UCM */
	BEHAVIOR_CISCOTEL,	/* CALL_WITH_APP_REGISTERED_FOR_CISCOTEL (Jabber) */
	BEHAVIOR_WEBEX,		/* NATIVE_WEBEX_TEAMS_CALLING */
	BEHAVIOR_TEL,		/* CALL_WITH_APP_REGISTERED_FOR_TEL (third party) */
	BEHAVIOR_WEBEXCALLTEL	/* CALL_WITH_APP_REGISTERED_FOR_WEBEXCALLTEL */
};

/*
 * Parses an API enum name (any case), an alias (ucm, jabber, webex, third-party,
 * webex-calling) or "default" (also "null", "USE_ORG_SETTINGS").
 * Returns 0, or -1 when s names no behaviour.
 */
int behavior_parse(const char *s, enum behavior *out);

/* The API enum name, or NULL for BEHAVIOR_DEFAULT (sent as JSON null). */
const char *behavior_api_name(enum behavior b);

/* The short alias (ucm, jabber, ..., default), for people. */
const char *behavior_alias(enum behavior b);

/*
 * Whether the profile ID takes part in comparing two states with this
 * behaviour: not for CISCOTEL, where the server clears profileId on every PUT.
 */
int behavior_uses_profile(enum behavior b);

#endif
