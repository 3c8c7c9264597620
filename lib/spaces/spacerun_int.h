/*
 * Inside a spaces run: what the files of the run (spacerun.c, spaceload.c,
 * spaceclient.c, spacelookup.c, spacecommit.c, spacepages.c, spacerollback.c)
 * share. Only lib/spaces includes this header; cmd/ sees spaces/spacerun.h.
 */
#ifndef J2W_SPACERUN_INT_H
#define J2W_SPACERUN_INT_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "chat/chatread.h"
#include "spaces/spacerun.h"
#include "util/j2w_err.h"
#include "webex/webex.h"

/* ---- spacerun.c: the run's rooms -------------------------------------------------- */

/* A copy of s (caller frees), or NULL when s is NULL or memory ran out. */
char *spacerun_xdup(const char *s);
/* Frees a room, what it holds, and removes the page it was uploading. NULL is a no-op. */
void spacerun_room_free(struct spaces_room *r);
/* Appends r to the run's rooms (the run owns it then). Returns 0, or -1 out of memory. */
int spacerun_add_room(struct spaces_run *run, struct spaces_room *r);
/* The bytes a history file may hold: run->file_limit, or SPACES_FILE_LIMIT. */
uint64_t spacerun_file_limit(const struct spaces_run *run);
/* The room as the archive's readers describe it (strings borrowed from r). */
struct chat_room_info spacerun_room_info(const struct spaces_room *r);
/* Stops the run for a journal or memory failure; the first one is kept for spaces_execute. */
void spacerun_fatal(struct spaces_run *run, const struct j2w_err *e);

/* ---- spaceclient.c: the run on the Webex client ------------------------------------ */

/* url with &key=value (escaped) appended: takes url, returns a new string or NULL. */
char *spaceclient_url_add(char *url, const char *key, const char *value);
/*
 * What a failed answer means for the run: a refused token, a 403 about the
 * token's scopes (at once when forbid_now, else the third in a row), an API
 * that stopped answering (the client retried already) stop it, with
 * run->stop_reason saying why (what: the step, for people), and return 1;
 * other answers fail only their item (returns 0 then).
 */
int spaceclient_stops(struct spaces_run *run, const struct webex_req *req, const char *what,
    int forbid_now);
/* Whether the run starts nothing new: stopped by an answer, the journal or a signal. */
int spaceclient_stopping(const struct spaces_run *run);

/* One request's answer, waited for. */
struct spaceclient_sync {
	int done;
	long status;
	int attempts;
	json_t *json;			/* the caller json_decref()s it */
	char error[512];
	char tracking_id[96];
};
/*
 * Submits one request (takes url; body may be NULL) and runs the client until
 * it is answered, into sc. Returns 0 (whatever the status), or -1 with err.
 */
int spaceclient_sync(struct spaces_run *run, const char *method, char *url, const char *body,
    struct spaceclient_sync *sc, struct j2w_err *err);
/*
 * GETs a list with every page into items (takes url) and tells the run what
 * a failure means (what: the step). Returns 0, or -1 with err.
 */
int spaceclient_get_list(struct spaces_run *run, char *url, const char *what, json_t *items,
    struct j2w_err *err);

/* ---- spacepages.c: the history pages being uploaded -------------------------------- */

/*
 * Makes, locks and cleans run->tmpdir, where the pages of a commit are
 * written: the journal's path with "-pages" (mode 0700), without the pages an
 * earlier run killed with kill -9 left in it. Returns 0, or -1 with err (a
 * folder of another user's or in use by another run is J2W_ESYS).
 */
int spacepages_open(struct spaces_run *run, struct j2w_err *err);
/*
 * Writes part p of the room's history into a file of its own (mode 0600) in
 * run->tmpdir, named into path (len bytes), and its size into *bytes. Returns
 * 0, or -1 with err (no file is left then).
 */
int spacepages_write(struct spaces_run *run, struct spaces_room *r, struct spaces_part *p,
    char *path, size_t len, long long *bytes, struct j2w_err *err);
/* Removes run->tmpdir when empty, unlocks and forgets it. */
void spacepages_close(struct spaces_run *run);

/* ---- spacecommit.c, spacerollback.c: the rooms in turn ------------------------------ */

/*
 * Commits the rooms, run->window at once, each through its state machine
 * (create, post the history, add the members, journaling each step). Returns
 * 0 (run->n counts, run->stop_reason when stopped early), or -1 with err.
 */
int spacecommit_rooms(struct spaces_run *run, struct j2w_err *err);
/* Deletes (or, without run->commit, shows) the spaces the journal created. Returns 0 or -1. */
int spacerollback_rooms(struct spaces_run *run, struct j2w_err *err);

#endif
