/*
 * The archive's content digests (docs/chat-archive.md): per room, SHA-256 over
 * its message digests in (msg_id, digest) order; for the archive, SHA-256 over
 * "room TAB room-digest LF" in room order. Used by import and verify; only
 * lib/chat includes this header.
 */
#ifndef J2W_CHATDIGEST_H
#define J2W_CHATDIGEST_H

#include <stdint.h>

#include "chat/chatdb.h"
#include "util/j2w_err.h"

/* The rows of the archive's messages that its digest is made of, in order. */
#define CHATDIGEST_ARCHIVE_SQL \
	"SELECT room_jid, digest FROM messages ORDER BY room_jid, msg_id, digest"

/*
 * Runs sql on c, which yields (room, message digest) rows ordered by room,
 * msg_id, digest, and calls cb with each room's hex digest and message count.
 * cb returns 0, or -1 to stop (returned as is). Returns 0 or -1 with err.
 */
int chatdigest_rooms(struct chatdb *c, const char *sql,
    int (*cb)(void *ctx, const char *room, const char *digest, uint64_t n), void *ctx,
    struct j2w_err *err);

/*
 * Computes the archive digest (hex, 65 bytes with the NUL) and its message
 * count, and records every room's digest in manifest_rooms under the import
 * in progress. Call inside that import's transaction. Returns 0 or -1 with err.
 */
int chatdigest_archive(struct chatdb *c, char digest[65], uint64_t *messages,
    struct j2w_err *err);

#endif
