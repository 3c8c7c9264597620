/* Reading the chat archive back: full-text search, rooms, members. */
#ifndef J2W_CHATREAD_H
#define J2W_CHATREAD_H

#include <stddef.h>
#include <stdint.h>

#include "chat/chatdb.h"
#include "util/j2w_err.h"

/* An attachment of a message (an AFT_LOG upload). */
struct chat_attach {
	long long aft_index;
	const char *real_filename, *filename, *file_server, *file_path, *time_utc;
	long long bytes;	/* -1 unknown */
};

/* A message read back from the archive; pointers valid during the callback. */
struct chat_row {
	const char *room_jid, *room_name;
	int has_msg_id;
	long long msg_id;
	const char *sent_utc, *from_jid, *nick, *msg_type, *body, *stanza;
	const struct chat_attach *files;
	size_t nfiles;
};

/* A room read back from the archive. */
struct chat_room_info {
	const char *room_jid, *name, *creator_jid, *subject, *type;
	uint64_t messages;
	const char *first_utc, *last_utc;
};

struct chat_member_info {
	const char *real_jid, *role, *affiliation, *nick;
};

/* Search filters; NULL fields do not filter. since is inclusive, until exclusive. */
struct chat_query {
	const char *match;	/* an FTS5 query, or NULL for every message */
	const char *room, *from, *since, *until;
	long limit;		/* 0: no limit */
};

/*
 * Calls cb for each message matching q, oldest first (by MSG_ID within one
 * room when there is no match). An FTS5 syntax error is J2W_EUSAGE; a match
 * on an archive whose first import has not built its indexes yet (it is
 * loading, or was killed first: chatdb_int.h) is J2W_EDATA. cb returns 0, or
 * -1 to stop: then -1 is returned with err J2W_OK (cb's own error, such as a
 * write error, is the caller's to tell). Returns 0 or -1.
 */
int chatread_search(struct chatdb *c, const struct chat_query *q,
    int (*cb)(void *ctx, const struct chat_row *row), void *ctx, struct j2w_err *err);

/*
 * Calls cb for each room (or only room when not NULL), by room JID; rooms that
 * only appear as a message's room are listed too. cb returns 0, or -1 to stop.
 * Returns the number of rooms, or -1 (with err unless cb stopped).
 */
long chatread_rooms(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_room_info *r), void *ctx, struct j2w_err *err);

/* Calls cb for each member of room by affiliation rank then JID. Returns 0 or -1 as above. */
int chatread_members(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_member_info *m), void *ctx, struct j2w_err *err);

/*
 * The archive digest of the last complete import (docs/chat-archive.md,
 * "Digests"), a new string the caller frees; NULL with err J2W_OK when no
 * import completed, NULL with err set on a database error.
 */
char *chatread_archive_digest(struct chatdb *c, struct j2w_err *err);

#endif
