/*
 * j2w-chat-archive spaces as rules: which options go together, how a run
 * starts (a new plan from the archive and the reconcile output, or a
 * journal's), what is said about a room's members, why a run stopped, and the
 * summary line.
 */
#ifndef J2W_SPACEARGS_H
#define J2W_SPACEARGS_H

#include <stdio.h>

#include "chat/chatdb.h"
#include "spaces/spacejournal.h"
#include "spaces/spacerun.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/* What was given on the command line (NULL or 0 when not given). */
struct spaceargs {
	const char *archive;		/* the operand ARCHIVE.db */
	const char *map;		/* --map */
	const char *journal, *resume, *rollback;
	const char *room;		/* --room */
	int commit, plan;
};

/*
 * Checks the options together, in the order a user meets them (--plan with
 * --commit, one journal option, what each kind of run needs). Returns 0, or -1
 * with err (J2W_EUSAGE, the message to show).
 */
int spaceargs_check(const struct spaceargs *a, struct j2w_err *err);

/*
 * Sets up run (its client, flags and file limit already set) for what a asks.
 * A new run: the reconcile output map_fp (named a->map) read, the archive
 * opened into *db (the caller closes it), its rooms (a->room only, when
 * given), the look-ups in Webex, and with --journal the new journal j holding
 * the plan. --resume or --rollback: the journal j and its rooms, for --resume
 * the archive it names (a->archive first) opened into *db, the look-ups.
 * map_fp is only read for a new run; api is the API base, which a journal
 * must have been written against. run->digest becomes a new string the caller
 * frees (or NULL). Returns 0; 1 with err (J2W_EUSAGE) when the journal does
 * not fit the command line (another API, no archive named); -1 with err.
 */
int spaceargs_start(struct spaces_run *run, const struct spaceargs *a, FILE *map_fp,
    const char *api, struct spacej *j, struct chatdb **db, struct j2w_err *err);

/*
 * Tells say, a message at a time, what r's line leaves for people to read: the
 * members left out or not added ("room 'R': 'JID' left out: why"), unless the
 * run rolls back or the space was in Webex already, then the room's error.
 */
void spaceargs_room_notes(const struct spaces_run *run, const struct spaces_room *r,
    void (*say)(void *ctx, const char *msg), void *ctx);

/*
 * When the run stopped early (run->stop_reason, else interrupted by a signal),
 * or left rooms unsure (an answer lost after Webex may have made a space or a
 * message), appends why to sb, with how to carry on after a commit with a
 * journal ("...: continue with --resume JOURNAL --commit"), and returns 1; else 0.
 */
int spaceargs_stopped(const struct spaces_run *run, const struct spaceargs *a, int interrupted,
    struct strbuf *sb);

/*
 * Appends the run's summary line to sb: rooms and spaces, members, files,
 * and the requests run->client sent (none counted without a client).
 */
void spaceargs_describe(const struct spaces_run *run, struct strbuf *sb);

#endif
