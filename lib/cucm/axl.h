/*
 * CUCM AXL SOAP: requests valid against the AXL schema, responses and faults
 * parsed by local name, and a client that pages listUser with skip/first,
 * fetches devices with executeSQLQuery, shrinks pages on "Query request too
 * large" and waits out HTTP 503 throttling.
 */
#ifndef J2W_AXL_H
#define J2W_AXL_H

#include <stddef.h>
#include <libxml/tree.h>

#include "record/user.h"
#include "util/http.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

#define AXL_SQL_CHUNK 200	/* users per device query: keeps the SQL text short */
#define AXL_TRANSPORT_ATTEMPTS 3	/* per request, for dropped or timed-out connections */

struct axl_fault {
	long axlcode;		/* 0 when the fault carried none */
	char message[512];	/* axlmessage, else faultstring */
};

/* Appends a listUser request (all users, page skip/first) to sb. Returns 0 or -1. */
int axl_build_list_user(struct strbuf *sb, const char *version, unsigned long seq,
    unsigned long skip, unsigned long first);
/* Appends an executeSQLQuery request with sql XML-escaped. Returns 0 or -1. */
int axl_build_sql(struct strbuf *sb, const char *version, unsigned long seq, const char *sql);
/*
 * Appends the device/display-name query for the given lower-case GUIDs (each
 * checked to be a GUID: nothing else reaches the SQL text). Returns 0 or -1.
 */
int axl_build_device_sql(struct strbuf *sql, const char *const *pkids, size_t n);

/*
 * Parses an AXL answer. Returns 0 with *doc (caller xmlFreeDoc()s) and *ret set
 * to the <return> element; 1 when the answer is a SOAP fault (fault filled,
 * *doc NULL); -1 with err (J2W_EDATA) when it is neither.
 */
int axl_parse_answer(const char *buf, size_t len, xmlDocPtr *doc, xmlNodePtr *ret,
    struct axl_fault *fault, struct j2w_err *err);

/*
 * Fills u (initialised) from one listUser <user> element. source is the
 * record's source; numbers lose CUCM's escape ("\+1408..." is "+1408...").
 * Returns 0; 1 when the element has no userid; 2 when its uuid attribute is
 * missing or not a GUID (u->uuid holds what came, or NULL), so that its
 * devices cannot be asked for; -1 on ENOMEM.
 */
int axl_user_from_node(xmlNodePtr node, const char *source, struct user *u);

/*
 * For "Query request too large. Total rows matched: T rows. Suggested row fetch:
 * less than S rows": returns 1 and sets *suggested (0 when no number), else 0.
 */
int axl_fault_too_large(const struct axl_fault *fault, unsigned long *suggested);

struct axl_client {
	CURL *http;
	char *url;
	char *version;		/* "12.5" */
	char *user;		/* owned; wiped on release */
	char *password;
	char *host;		/* for the record source "axl:HOST" */
	unsigned long seq;
	int max_attempts;	/* per request, for HTTP 503 */
	long retry_base_ms;
	long retry_cap_ms;
	unsigned long requests;	/* HTTP requests sent, retries included */
	unsigned long throttled;	/* of those, answered HTTP 503 */
};

/*
 * The AXL user and password, new strings for axl_client_init (which takes
 * them): from creds_file when not NULL ("user:password" on one line, in a file
 * that group and others cannot read: secret_from_file), else from AXL_USER
 * and AXL_PASSWORD. Returns 0, or -1 with err: J2W_EUSAGE "no AXL
 * credentials: ..." when neither is set, secret_from_file's and
 * secret_split_credentials's, J2W_ESYS out of memory.
 */
int axl_credentials(const char *creds_file, char **user, char **password, struct j2w_err *err);

/*
 * Sets up a client for url; takes ownership of user and password. Returns 0, or
 * -1 with err (J2W_EUSAGE for a URL that is not http(s)).
 */
int axl_client_init(struct axl_client *c, const char *url, const char *version,
    char *user, char *password, const struct http_opts *opts, struct j2w_err *err);
void axl_client_release(struct axl_client *c);

/*
 * Sends one request for operation op and waits out throttling. Returns 0 with
 * *doc and *ret (as axl_parse_answer), 1 with fault, or -1 with err: J2W_ESYS for
 * transport errors, HTTP 401/403 (with what to check), retries used up.
 */
int axl_call(struct axl_client *c, const char *op, const struct strbuf *body,
    xmlDocPtr *doc, xmlNodePtr *ret, struct axl_fault *fault, struct j2w_err *err);

/* Called for each user in listUser order; return non-zero to stop with that status. */
typedef int (*axl_user_fn)(const struct user *u, void *ctx);
/*
 * Called for each user the pull leaves out because its answer is unusable:
 * why is "axl:HOST: user 'ID': reason" (input text with control characters
 * escaped).
 */
typedef void (*axl_problem_fn)(const char *why, void *ctx);
/* Called after each page with the number of users seen so far. */
typedef void (*axl_progress_fn)(unsigned long done, void *ctx);

/*
 * Reads every user, page_size at a time, with devices and display names.
 * A user whose answer is unusable (no userid, a malformed uuid) goes to
 * problem (may be NULL) and the pull goes on. A server that does not page
 * (a page larger than first, or user IDs already seen: it, or a proxy before
 * it, ignores skip) stops the pull before that page reaches fn.
 * Returns 0, the callback's non-zero status, or -1 with err (J2W_ESYS for
 * remote faults, with the axlcode and message, and for a server that does not
 * page).
 */
int axl_list_users(struct axl_client *c, unsigned long page_size, axl_user_fn fn,
    axl_problem_fn problem, axl_progress_fn progress, void *ctx, struct j2w_err *err);

#endif
