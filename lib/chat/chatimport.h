/*
 * Importing into the chat archive: batched and idempotent. Imports commit in
 * batches, so a killed import leaves the previous state plus whole batches,
 * and the next run carries on; a message archived before is kept as it was.
 */
#ifndef J2W_CHATIMPORT_H
#define J2W_CHATIMPORT_H

#include <stdint.h>

#include "chat/chatdb.h"
#include "chat/chatsrc.h"
#include "util/j2w_err.h"

struct chatimport_counts {
	uint64_t rooms, members;
	uint64_t messages_read, messages_added, messages_known, messages_changed;
	uint64_t messages_rejected, messages_repaired;
	uint64_t other_rejected;	/* rows of TC_ROOMS, TC_USERS and AFT_LOG not whole */
	uint64_t files_read, files_added, files_rejected, files_matched;
	uint64_t archive_messages;
	char archive_digest[65];
};

/*
 * An import in progress: fill db (opened writable), tz (zone for times without
 * offset, NULL: UTC), and optionally warn (told each row that was rejected or
 * repaired, with the reason), progress (messages read so far, and the total
 * when known), stored (after each message is stored; tests) and indexing
 * (when a first import has committed its messages and is about to build their
 * indexes; tests). counts is filled as the import goes.
 */
struct chatimport {
	struct chatdb *db;
	const char *tz;
	void (*warn)(void *ctx, const char *msg);
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void (*stored)(void *ctx, uint64_t n);
	void (*indexing)(void *ctx);
	void *ctx;
	struct chatimport_counts counts;
	struct chat_norm norm;
	uint64_t total;
};

/*
 * Starts an import from source (a description without secrets): records it in
 * the manifest as running, marks older running imports interrupted, and opens
 * the first batch. Fills sink with the callbacks that archive each row in this
 * thread (chatimport_run archives through a reader thread instead).
 * Returns 0 or -1 with err.
 */
int chatimport_begin(struct chatimport *imp, const char *source, struct chat_sink *sink,
    struct j2w_err *err);
/*
 * Runs read(arg, sink, err) (chatsrc_pg_read or chatsrc_csv_read with the
 * caller's arguments bound) in a second thread and archives what it reads in
 * this one (chatpipe.h). The callbacks of imp are called in this thread only.
 * Returns 0, or -1 with err (the reader's or the archive's error; the other
 * side stops).
 */
int chatimport_run(struct chatimport *imp,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err);
/*
 * Ends an import: for a first import (into an archive without messages),
 * commits the messages and builds their unique and full-text indexes, ok or
 * not (chatdb_int.h); attaches AFT_LOG uploads to their messages, computes the
 * archive digest and records counts and status in the manifest (complete, or
 * failed when ok is 0), and commits. Returns 0 or -1 with err.
 */
int chatimport_end(struct chatimport *imp, int ok, struct j2w_err *err);

#endif
