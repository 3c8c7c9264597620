/*
 * The persistent-chat archive file: one SQLite file holding rooms, members,
 * messages (UTC time, body, original stanza, SHA-256 digest), AFT_LOG file
 * records, an FTS5 index on bodies and a manifest of every import. Schema in
 * docs/chat-archive.md. This header opens and recognises the file; the work on
 * it is in chatimport.h (import), chatverify.h (verify) and chatread.h (reads).
 */
#ifndef J2W_CHATDB_H
#define J2W_CHATDB_H

#include "util/j2w_err.h"

#define CHATDB_SCHEMA_VERSION 1
#define CHATDB_APPLICATION_ID 0x4a325743	/* "J2WC" */
#define CHATDB_BATCH 20000			/* messages per transaction */

/* An open archive (opaque). */
struct chatdb;

/*
 * Opens the archive at path into *out. writable: creates it (mode 0600, with
 * its schema and application_id) when missing; otherwise it must exist and is
 * opened read-only. A file that is not a j2w chat archive (another
 * application_id, or none on a file that is not empty), or has a newer schema,
 * is J2W_EDATA. Returns 0, or -1 with err (*out is then NULL).
 */
int chatdb_open(struct chatdb **out, const char *path, int writable, struct j2w_err *err);
/* Rolls back an unfinished batch (never half a batch is kept), closes, frees. NULL is a no-op. */
void chatdb_close(struct chatdb *c);
/*
 * Sets how many messages an import commits per transaction (default
 * CHATDB_BATCH; 0 is taken as 1). Takes effect at once, also for the batch
 * in progress.
 */
void chatdb_set_batch(struct chatdb *c, unsigned long messages);

/*
 * Whether the SQLite file at path is a j2w chat archive: its application_id
 * is CHATDB_APPLICATION_ID, or it has none and holds the tables rooms, messages
 * and manifest (archives copied through an SQL dump lose the id). Returns 1, 0
 * (another SQLite file, or one SQLite cannot read), or -1 with err (J2W_ESYS)
 * when it cannot be opened.
 */
int chatdb_probe(const char *path, struct j2w_err *err);

/* What an archive holds, for other tools (the readiness report). */
struct chatdb_summary {
	long rooms, members, messages, files;	/* -1: not known (a table the archive lacks) */
	char *first, *last;	/* UTC times of the first and last message, or NULL */
	char *status;		/* the last import: running, complete, failed, interrupted; or NULL */
	char *when;		/* when it finished (else started), or NULL */
	long rejected;		/* messages the last import rejected; -1: not known */
};

/*
 * Reads the summary of the archive at path, read-only (an archive without an
 * application_id too, as chatdb_probe). Text that is not valid UTF-8 is left
 * NULL. Returns 0 (free with chatdb_summary_release), or -1 with err:
 * J2W_ESYS when it cannot be opened or on ENOMEM, J2W_EDATA when it is not an
 * archive or lacks its rooms or messages.
 */
int chatdb_summary(const char *path, struct chatdb_summary *s, struct j2w_err *err);
void chatdb_summary_release(struct chatdb_summary *s);

#endif
