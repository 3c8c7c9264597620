/*
 * Persistent chat rooms to Webex spaces over the one Webex client
 * (webex/webex.h: its pacing, retries and paging): the rooms of an archive
 * with their members and history parts, who each member is in Webex, which
 * spaces already exist, and then, room by room, POST /rooms, POST /messages
 * with the history page, POST /memberships, each step journaled
 * (spaces/spacejournal.h) so that a run can be resumed or rolled back.
 */
#ifndef J2W_SPACERUN_H
#define J2W_SPACERUN_H

#include <signal.h>
#include <stdint.h>
#include <jansson.h>

#include "chat/chatdb.h"
#include "spaces/spacejournal.h"
#include "spaces/spacemap.h"
#include "spaces/spaceplan.h"
#include "util/j2w_err.h"
#include "webex/webex.h"

struct spaces_run;

struct spaces_member {
	char *jid, *email, *person_id;
	int moderator;
	char *reason;			/* why left out or failed, or NULL */
	const char *state;		/* pending added present failed left_out */
	char *membership_id;
	long http_status;
	char tracking_id[96];
};

struct spaces_part {
	int part, parts;
	char *since, *until;		/* the period's bounds as queried; NULL: open */
	char *first, *last;		/* its first and last message */
	uint64_t messages;
	long long bytes;		/* of its page; -1 unknown */
	const char *state;		/* pending posting posted failed */
	char *message_id;
	char *error;
};

struct spaces_room {
	long seq;
	char *room_jid, *name, *title, *type;
	char marker[SPACES_MARKER_LEN];
	uint64_t messages;
	char *first, *last;
	struct spaces_member *members;
	size_t nmembers;
	struct spaces_part *parts;
	size_t nparts;
	const char *state;		/* pending creating created done failed exists stopped */
	char *space_id;			/* the Webex space, when known */
	int ours;			/* this journal created it */
	char *intent_utc;		/* when its creation was journaled */
	const char *rb_state;		/* rollback: planned deleted gone failed */
	const char *action;		/* what the run set out to do: create resume exists */
	char error[512];
	long http_status;
	char tracking_id[96];

	/* the run's */
	struct spaces_run *run;
	int phase, inflight, failed;
	size_t next_part;
	char *part_path;		/* the page being uploaded */
};

struct spaces_counts {
	unsigned long rooms, adhoc, other, exists, created, done, failed, stopped;
	unsigned long unsure;		/* of the stopped: a space or message may have been made */
	unsigned long members, added, present, member_failed, left_out;
	unsigned long files, posted, deleted, gone;
};

typedef void spaces_emit_fn(const struct spaces_run *run, const struct spaces_room *r, void *ctx);

struct spaces_run {
	struct webex_client *client;
	struct chatdb *db;		/* the archive, to write history pages (not for rollback) */
	struct spacej *journal;		/* commit, resume and rollback */
	const char *org_id;		/* orgId for the People API, or NULL */
	uint64_t file_limit;		/* bytes a file may hold; 0: SPACES_FILE_LIMIT */
	const char *digest;		/* the archive digest for the messages, or NULL */
	int commit;			/* else plan: nothing is written */
	int rollback;
	int resume;			/* rooms done or already in Webex are left alone, unshown */
	size_t window;			/* rooms in progress at once; 0: 8 */
	volatile sig_atomic_t *stop;	/* set by a signal: start nothing new */
	spaces_emit_fn *emit;
	void *emit_ctx;
	/*
	 * Called when Webex answered a step and before the journal records it
	 * ("created", "posted"), with the count so far: tests kill the process
	 * there to prove that --resume neither loses nor repeats the step.
	 */
	void (*on_answer)(const char *step, unsigned long n);

	struct spaces_room **rooms;
	size_t nrooms;
	struct spaces_counts n;

	/* the run's */
	json_t *people;			/* lower-cased email -> person id, or null: not in Webex */
	json_t *spaces;			/* GET /rooms items */
	char *me;			/* the token's person id */
	char *tmpdir;			/* pages being uploaded: the journal's name with -pages */
	int pages_fd;			/* tmpdir, locked while the run uses it; -1 */
	int unauthorized;		/* a 401: the token was refused */
	int forbidden;			/* a 403 that is about the token, not one item */
	int outage;			/* the API failed after every retry */
	int fatal;			/* the journal failed */
	int consecutive_403;
	size_t active;			/* rooms in progress */
	struct j2w_err fatal_err;
	char stop_reason[768];		/* why the run stopped, for people */
};

void spaces_run_init(struct spaces_run *run);
/* Frees the rooms and what the run looked up (not the client, archive or journal). */
void spaces_run_release(struct spaces_run *run);

/*
 * The rooms of the archive (only room_filter when not NULL): persistent rooms
 * with their title, members mapped through map (left out: no email, and why)
 * and their history cut into parts of at most run->file_limit bytes; ad-hoc
 * and other rooms are counted, not kept. Returns 0, or -1 with err
 * (J2W_EUSAGE: room_filter is not in the archive).
 */
int spaces_load_archive(struct spaces_run *run, struct chatdb *db, const struct spaces_map *map,
    const char *room_filter, struct j2w_err *err);

/* The rooms of a journal (resume, rollback), as it recorded them. Returns 0 or -1. */
int spaces_load_journal(struct spaces_run *run, struct spacej *j, struct j2w_err *err);

/* Writes the plan (rooms, members, parts) into the new journal, in one transaction. */
int spaces_journal_plan(struct spaces_run *run, struct j2w_err *err);

/*
 * Looks up, read-only: each member's email among Webex people (unknown ones are
 * left out), the token's own person, the spaces it is in, and for every room
 * the space made for it (by the journal, or by title and the marker in its
 * messages; an interrupted creation of this journal is recognised by title,
 * creator and time). Returns 0, or -1 with err; a refused token, a 403 or an
 * API that does not answer set run->stop_reason and return -1 with J2W_ESYS.
 */
int spaces_lookup(struct spaces_run *run, struct j2w_err *err);

/*
 * Plans (emits each room), commits (creates spaces, posts history, adds
 * members, journaling each step) or rolls back (deletes the spaces the journal
 * created). Returns 0 (see run->n, and run->stop_reason when the run stopped
 * early), or -1 with err for a journal or client failure.
 */
int spaces_execute(struct spaces_run *run, struct j2w_err *err);

/* A room's line of output (caller json_decref()s), or NULL on ENOMEM. */
json_t *spaces_room_json(const struct spaces_run *run, const struct spaces_room *r);

/* The scopes a token needs, for messages. */
#define SPACES_SCOPES "spark:rooms_write, spark:memberships_write and spark:messages_write " \
	"(and spark:rooms_read, spark:messages_read, spark:people_read to look up)"

#endif
