/*
 * The spaces journal: an SQLite file (WAL) holding the plan of a
 * "j2w-chat-archive spaces --commit" run (rooms, members, history parts) and
 * each step as it happens: the intent to create a space before the request,
 * the space's id after it, each membership, the intent to post each part and
 * the message's id. Intents are synced to the disk before their request goes
 * out, so that --resume after a kill -9 never creates a space or posts a part
 * twice, and --rollback deletes only the spaces this journal created. Nothing
 * secret is written: no token, no request headers.
 */
#ifndef J2W_SPACEJOURNAL_H
#define J2W_SPACEJOURNAL_H

#include <stdint.h>
#include <sqlite3.h>

#include "util/j2w_err.h"

#define SPACEJ_SCHEMA_VERSION 1
#define SPACEJ_APPLICATION_ID 0x4a325753	/* "J2WS" */

struct spacej {
	sqlite3 *db;
	char *path;
	long run_id;
};

/*
 * Creates a new journal at path (mode 0600) recording the API base, the
 * archive's path and its digest (may be NULL). An existing file is refused
 * (J2W_EUSAGE). Returns 0 or -1 with err.
 */
int spacej_create(struct spacej *j, const char *path, const char *api, const char *archive,
    const char *digest, struct j2w_err *err);
/* Opens an existing journal (--resume, --rollback); another file is J2W_EDATA. */
int spacej_open(struct spacej *j, const char *path, struct j2w_err *err);
void spacej_close(struct spacej *j);

/* Reads meta value key into a new string (*out NULL when absent). */
int spacej_meta(struct spacej *j, const char *key, char **out, struct j2w_err *err);

/* Records the start of a run (commit, resume, rollback) and its end. */
int spacej_run_start(struct spacej *j, const char *kind, struct j2w_err *err);
int spacej_run_end(struct spacej *j, int status, const char *summary, struct j2w_err *err);

/* Groups the plan's inserts into one transaction. */
int spacej_begin(struct spacej *j, struct j2w_err *err);
int spacej_commit(struct spacej *j, struct j2w_err *err);
void spacej_abort(struct spacej *j);

/* The plan: a room, its members (state pending or left_out with reason) and parts. */
int spacej_add_room(struct spacej *j, long seq, const char *room_jid, const char *title,
    const char *marker, uint64_t messages, struct j2w_err *err);
int spacej_add_member(struct spacej *j, const char *room_jid, const char *jid,
    const char *email, const char *person_id, int moderator, const char *left_out,
    struct j2w_err *err);
int spacej_add_part(struct spacej *j, const char *room_jid, int part, int parts,
    const char *since, const char *until, const char *first, const char *last,
    uint64_t messages, uint64_t bytes, struct j2w_err *err);

/* Synced before POST /rooms: the room is "creating" since intent_utc (set here). */
int spacej_room_intent(struct spacej *j, const char *room_jid, struct j2w_err *err);
/* The space exists: its id, and whether this journal created it (ours). */
int spacej_room_space(struct spacej *j, const char *room_jid, const char *space_id, int ours,
    long http_status, const char *tracking_id, struct j2w_err *err);
/* The room's state now (done, failed, exists, pending) and why (error may be NULL). */
int spacej_room_state(struct spacej *j, const char *room_jid, const char *state,
    long http_status, const char *tracking_id, const char *error, struct j2w_err *err);
/* Synced before POST /messages: the part is "posting". */
int spacej_part_intent(struct spacej *j, const char *room_jid, int part, struct j2w_err *err);
/* posted (with message_id) or failed (with error); bytes as uploaded when known (>= 0). */
int spacej_part_result(struct spacej *j, const char *room_jid, int part, const char *state,
    const char *message_id, long long bytes, long http_status, const char *tracking_id,
    const char *error, struct j2w_err *err);
/* added, present (already a member), failed or left_out, with the membership id or why. */
int spacej_member_result(struct spacej *j, const char *room_jid, const char *jid,
    const char *state, const char *membership_id, long http_status,
    const char *tracking_id, const char *reason, struct j2w_err *err);
/* After a rollback's DELETE: deleted, gone (already deleted) or failed. */
int spacej_room_rollback(struct spacej *j, const char *room_jid, const char *rb_state,
    long http_status, const char *tracking_id, const char *error, struct j2w_err *err);

/* Rows read back; strings valid during the callback only (NULL for NULL). */
struct spacej_room {
	long seq;
	const char *room_jid, *title, *marker, *state, *space_id, *intent_utc, *rb_state, *error;
	int ours;
	uint64_t messages;
};
struct spacej_member {
	const char *jid, *email, *person_id, *state, *reason, *membership_id;
	int moderator;
};
struct spacej_part {
	int part, parts;
	const char *since, *until, *first, *last, *state, *message_id, *intent_utc, *error;
	uint64_t messages;
	long long bytes;	/* -1 unknown */
};

/* Calls cb for each room in plan order; cb returns 0 to go on. Returns 0, cb's value, or -1. */
int spacej_rooms(struct spacej *j, int (*cb)(void *ctx, const struct spacej_room *r),
    void *ctx, struct j2w_err *err);
int spacej_members(struct spacej *j, const char *room_jid,
    int (*cb)(void *ctx, const struct spacej_member *m), void *ctx, struct j2w_err *err);
int spacej_parts(struct spacej *j, const char *room_jid,
    int (*cb)(void *ctx, const struct spacej_part *p), void *ctx, struct j2w_err *err);

#endif
