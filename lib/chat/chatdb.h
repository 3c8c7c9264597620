/*
 * The persistent-chat archive: one SQLite file holding rooms, members, messages
 * (UTC time, body, original stanza, SHA-256 digest), AFT_LOG file records, an
 * FTS5 index on bodies and a manifest of every import. Schema in
 * docs/chat-archive.md. Imports commit in batches, so a killed import leaves the
 * previous state plus whole batches, and the next run carries on.
 */
#ifndef J2W_CHATDB_H
#define J2W_CHATDB_H

#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>

#include "chat/chatsrc.h"
#include "util/j2w_err.h"

#define CHATDB_SCHEMA_VERSION 1
#define CHATDB_APPLICATION_ID 0x4a325743	/* "J2WC" */
#define CHATDB_BATCH 20000			/* messages per transaction */

struct chatdb {
	sqlite3 *db;
	char *path;
	int writable;
	sqlite3_stmt *stmt[8];
	int in_tx;
	long long import_id;
	unsigned long batch_left;
	unsigned long batch_size;
};

/*
 * Opens the archive at path. writable: creates it (and its schema) when
 * missing; otherwise it must exist and is opened read-only. A file that is not
 * a j2w chat archive, or has a newer schema, is J2W_EDATA. Returns 0 or -1 with err.
 */
int chatdb_open(struct chatdb *c, const char *path, int writable, struct j2w_err *err);
/* Rolls back an unfinished batch (never half a batch is kept), closes, frees. */
void chatdb_close(struct chatdb *c);

struct chat_counts {
	uint64_t rooms, members;
	uint64_t messages_read, messages_added, messages_known, messages_changed;
	uint64_t messages_rejected, messages_repaired;
	uint64_t files_read, files_added, files_rejected, files_matched;
	uint64_t archive_messages;
	char archive_digest[65];
};

/*
 * An import in progress: fill db, tz (zone for times without offset, NULL: UTC),
 * and optionally warn (told each row that was rejected or repaired, with the
 * reason) and progress (messages read so far, and the total when known).
 */
struct chatdb_import {
	struct chatdb *db;
	const char *tz;
	void (*warn)(void *ctx, const char *msg);
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void (*stored)(void *ctx, uint64_t n);	/* after each message is stored (tests) */
	void *ctx;
	struct chat_counts counts;
	struct chat_norm norm;
	uint64_t total;
};

/*
 * Starts an import from source (a description without secrets): records it in
 * the manifest as running, marks older running imports interrupted, and opens
 * the first batch. Fills sink with the callbacks that archive each row.
 */
int chatdb_import_begin(struct chatdb_import *imp, const char *source, struct chat_sink *sink,
    struct j2w_err *err);
/*
 * Runs read(arg, sink, err) (chatsrc_pg_read or chatsrc_csv_read with the
 * caller's arguments bound) in a second thread and archives what it reads in
 * this one. The callbacks of imp are called in this thread only. Returns 0, or
 * -1 with err (the reader's or the archive's error; the other side stops).
 */
int chatdb_import_run(struct chatdb_import *imp,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err);
/*
 * Ends an import: attaches AFT_LOG uploads to their messages, commits, computes
 * the archive digest and records counts and status in the manifest (complete, or
 * failed when ok is 0). Returns 0 or -1 with err.
 */
int chatdb_import_end(struct chatdb_import *imp, int ok, struct j2w_err *err);

/* One room's comparison between the source and the archive. */
struct chat_room_check {
	const char *room;
	int in_source, in_archive;	/* listed in TC_ROOMS / the rooms table */
	uint64_t source_messages, archive_messages;
	uint64_t missing;	/* in the source, not in the archive */
	uint64_t extra;		/* in the archive, no longer in the source */
	uint64_t changed;	/* same MSG_ID, different content */
	char source_digest[65], archive_digest[65];
};

struct chat_verify_totals {
	uint64_t rooms, rooms_different;
	uint64_t source_messages, archive_messages, missing, extra, changed, rejected;
	uint64_t source_files, archive_files, files_missing, files_extra;
};

/*
 * Compares the archive with a source: read(arg, sink, err) streams the source
 * into the comparison (chatsrc_pg_read or chatsrc_csv_read with the caller's
 * arguments bound), in a second thread as for chatdb_import_run; the source
 * side lives in temporary tables and the archive is not written. room is called
 * for every room, in room order, and warn for each rejected source row, both in
 * this thread. Returns 0 (totals filled; differences are in them) or -1 with err.
 */
int chatdb_verify(struct chatdb *c, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    int (*room)(void *ctx, const struct chat_room_check *rc), void (*warn)(void *ctx, const char *msg),
    void *ctx, struct chat_verify_totals *totals, struct j2w_err *err);

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
 * Calls cb for each message matching q, oldest first. An FTS5 syntax error is
 * J2W_EUSAGE. cb returns 0, or -1 to stop (that is then returned). Returns 0 or -1.
 */
int chatdb_search(struct chatdb *c, const struct chat_query *q,
    int (*cb)(void *ctx, const struct chat_row *row), void *ctx, struct j2w_err *err);

/* Calls cb for each room (or only room when not NULL), by room JID. Returns the count or -1. */
long chatdb_rooms(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_room_info *r), void *ctx, struct j2w_err *err);

/* Calls cb for each member of room by affiliation rank then JID. */
int chatdb_members(struct chatdb *c, const char *room,
    int (*cb)(void *ctx, const struct chat_member_info *m), void *ctx, struct j2w_err *err);

#endif
