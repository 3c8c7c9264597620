/*
 * Verifying the chat archive against its source: counts, missing, extra and
 * changed messages, and per-room digests, without writing the archive.
 */
#ifndef J2W_CHATVERIFY_H
#define J2W_CHATVERIFY_H

#include <stdint.h>
#include <jansson.h>

#include "chat/chatdb.h"
#include "chat/chatsrc.h"
#include "util/j2w_err.h"

/* One room's comparison between the source and the archive. */
struct chatverify_room {
	const char *room;
	int in_source, in_archive;	/* listed in TC_ROOMS / the rooms table */
	uint64_t source_messages, archive_messages;
	uint64_t missing;	/* in the source, not in the archive */
	uint64_t extra;		/* in the archive, no longer in the source */
	uint64_t changed;	/* same MSG_ID, different content */
	char source_digest[65], archive_digest[65];
};

struct chatverify_totals {
	uint64_t rooms, rooms_different;
	uint64_t source_messages, archive_messages, missing, extra, changed, rejected;
	uint64_t source_files, archive_files, files_missing, files_extra;
};

/*
 * Compares the archive with a source: read(arg, sink, err) streams the source
 * into the comparison (chatsrc_pg_read or chatsrc_csv_read with the caller's
 * arguments bound), in a second thread as for chatimport_run; the source
 * side lives in temporary tables and the archive is not written. room is called
 * for every room, in room order, and warn for each rejected source row, both in
 * this thread; room returns 0, or -1 to stop (a write error). Returns 0
 * (totals filled; differences are in them) or -1 with err.
 */
int chatverify_run(struct chatdb *c, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    int (*room)(void *ctx, const struct chatverify_room *rc),
    void (*warn)(void *ctx, const char *msg), void *ctx, struct chatverify_totals *totals,
    struct j2w_err *err);

/* Whether the room is the same on both sides (nothing missing, extra or changed; same digest). */
int chatverify_room_same(const struct chatverify_room *k);

/*
 * The room's comparison as the JSON object verify prints (caller
 * json_decref()s): room, status (equal or different), in_source, in_archive,
 * the counts and both digests. NULL when out of memory.
 */
json_t *chatverify_room_json(const struct chatverify_room *k);

/*
 * Tells say one sentence per difference of the room ("room 'R': 2 messages in
 * the source are not in the archive"); nothing for an equal room.
 */
void chatverify_describe_room(const struct chatverify_room *k,
    void (*say)(void *ctx, const char *msg), void *ctx);
/* Tells say one sentence per difference in the files and rejected rows of t. */
void chatverify_describe_totals(const struct chatverify_totals *t,
    void (*say)(void *ctx, const char *msg), void *ctx);
/* Whether the archive differs from the source anywhere (rooms, files, unreadable rows). */
int chatverify_different(const struct chatverify_totals *t);

#endif
