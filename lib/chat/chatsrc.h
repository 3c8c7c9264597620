/*
 * The IM&P persistent-chat external database as a stream of records (TC_ROOMS,
 * TC_USERS, TC_MSGARCHIVE, AFT_LOG), whatever it is read from, and the rules
 * that turn a raw message row into its archived form (body choice, UTC time,
 * content digest). Readers: chatsrc_pg.c (libpq) and chatsrc_csv.c (CSV dumps).
 */
#ifndef J2W_CHATSRC_H
#define J2W_CHATSRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/j2w_err.h"

/*
 * Raw rows as the source holds them. Every string is NULL when the column is
 * absent or NULL; pointers are valid only during the callback.
 */
struct chat_room {
	const char *room_jid, *creator_jid, *subject, *type, *config, *spacket;
	const char *where;	/* "TC_ROOMS.csv:3" or "tc_rooms row 3" */
};

struct chat_member {
	const char *room_jid, *real_jid, *role, *affiliation, *nick_jid;
	const char *where;
};

struct chat_msg {
	const char *room_jid;	/* TO_JID */
	const char *msg_id;	/* MSG_ID as text */
	const char *sent;	/* SENT_DATE as text */
	const char *from_jid, *nick_jid, *msg_type, *subject;
	const char *body_string, *body_text, *message_string, *message_text;
	const char *where;
	const char *body_len;	/* BODY_LEN as text */
	const char *damaged;	/* why the source row is not whole (cut short), or NULL */
};

struct chat_file {
	const char *aft_index, *jid, *to_jid, *method, *filename, *real_filename;
	const char *file_server, *file_path, *bytes, *timestamp;
	const char *where;
};

/* The four tables a persistent chat source has. */
enum chatsrc_table { CHATSRC_ROOMS, CHATSRC_USERS, CHATSRC_MSGS, CHATSRC_FILES };

/*
 * What a reader calls for each row, table by table: rooms, members, messages,
 * files. A NULL callback means that table is not read at all. A callback
 * returns 0, or -1 with err to stop the read (the reader then returns -1).
 * total, when not NULL, is told the number of messages before they come (when
 * the reader knows it cheaply). reject, when not NULL, is told each source row
 * of a table being read that is not whole (a dump cut short, a field over the
 * size limit or with a NUL byte), instead of the row: why is "FILE:LINE: ...".
 * Without it, such a message row reaches msg with damaged set (and
 * chatsrc_normalize refuses it), and such a row of another table stops the read.
 */
struct chat_sink {
	int (*room)(void *ctx, const struct chat_room *r, struct j2w_err *err);
	int (*member)(void *ctx, const struct chat_member *m, struct j2w_err *err);
	int (*msg)(void *ctx, const struct chat_msg *m, struct j2w_err *err);
	int (*file)(void *ctx, const struct chat_file *f, struct j2w_err *err);
	void (*total)(void *ctx, uint64_t messages);
	void *ctx;
	int (*reject)(void *ctx, enum chatsrc_table t, const char *why, struct j2w_err *err);
};

/*
 * Hands one row of table t to sink: v holds its columns in the order every
 * source reads them (struct chat_room, chat_member, chat_msg, chat_file, field
 * by field), where names the row for messages. Returns what the sink returns.
 */
int chatsrc_row(const struct chat_sink *sink, enum chatsrc_table t, const char *const *v,
    const char *where, struct j2w_err *err);

/* A message as archived. Strings point into buf or into the raw row. */
struct chat_norm {
	const char *room_jid;
	int has_msg_id;
	long long msg_id;
	char sent_utc[32];	/* 2024-01-02T03:04:05.123Z */
	const char *from_jid, *nick, *msg_type, *body, *stanza, *subject;
	int has_file;		/* the stanza carries an advanced-file-transfer */
	char digest[65];	/* SHA-256 hex of the archived fields */
	char *fixed[8];		/* repaired copies of invalid UTF-8, owned */
	int nfixed;
	void *md;		/* the digest context, kept from row to row */
	void *sha256;		/* the SHA-256 implementation, fetched once (OpenSSL 3 looks it
				   up again on every init given EVP_sha256()) */
};

void chatsrc_norm_init(struct chat_norm *n);
void chatsrc_norm_release(struct chat_norm *n);

/*
 * Turns raw row m into its archived form: body is BODY_STRING unless empty,
 * else BODY_TEXT; stanza is MESSAGE_STRING unless empty, else MESSAGE_TEXT;
 * nick is the resource of NICK_JID; the time is UTC (a time without an offset is
 * read in zone tz, NULL or "UTC" for UTC). Invalid UTF-8 is replaced by U+FFFD
 * and *repaired set. Returns 0, or -1 with err (J2W_EDATA: a damaged row, no
 * room, a bad MSG_ID or time, a body with fewer bytes than BODY_LEN says,
 * naming m->where) when the row cannot be archived whole.
 */
int chatsrc_normalize(const struct chat_msg *m, const char *tz, struct chat_norm *n,
    int *repaired, struct j2w_err *err);

/*
 * Checks s as UTF-8: returns 0 when it is valid (or NULL), 1 with *out a copy
 * (the caller frees) in which each invalid byte is U+FFFD, -1 when out of memory.
 */
int chatsrc_utf8_repair(const char *s, char **out);

/*
 * Parses a database timestamp ("2024-01-02 03:04:05.123456", with 'T', an
 * offset "+00", "+05:30", "Z", or Unix seconds / milliseconds as digits) into
 * out (at least 32 bytes) as "YYYY-MM-DDTHH:MM:SS.mmmZ" (fractions past the
 * millisecond are truncated). tz as for chatsrc_normalize. Returns 0, or -1 (EINVAL).
 */
int chatsrc_time_utc(const char *s, const char *tz, char *out, size_t outlen);

/*
 * Makes tz the process's zone for reading zone-less times (sets TZ). Call it
 * before starting threads: chatsrc_time_utc then never changes the environment.
 * NULL or "UTC" does nothing. Returns 0 or -1.
 */
int chatsrc_tz_use(const char *tz);

/*
 * Checks tz as a zone to read source times in: "UTC", "GMT", or a name such
 * as Europe/Berlin found under /usr/share/zoneinfo. Returns 0, or -1 with
 * errno EINVAL (not a zone name: empty, absolute, "..", other characters) or
 * ENOENT (no such zone).
 */
int chatsrc_tz_check(const char *tz);

/*
 * Reads a time given on the command line into out (as chatsrc_time_utc, UTC
 * unless it has an offset). A date alone ("2024-01-31") is its midnight, or
 * with end_of_day the next day's midnight (for an exclusive upper bound).
 * Returns 0, or -1 with errno EINVAL (not a time) or ERANGE (the next day is
 * out of range).
 */
int chatsrc_time_bound(const char *arg, int end_of_day, char *out, size_t len);

/* The resource part of a NICK_JID ("room@host/nick" gives "nick"), or s itself. */
const char *chatsrc_nick(const char *nick_jid);

/*
 * Writes "PREFIX" followed by n in decimal to buf (cut to len): the "where" of a
 * row, made for every row, so cheaper than snprintf.
 */
void chatsrc_where(char *buf, size_t len, const char *prefix, unsigned long n);

/* Whether s is absent or the empty string. */
static inline int
chatsrc_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/* How to reach a PostgreSQL source. */
struct chatsrc_pg {
	const char *conninfo;		/* a libpq connection string or URI, as given */
	const char *sslmode;		/* NULL: as conninfo, PGSSLMODE or libpq say */
	const char *sslrootcert;	/* NULL: likewise */
	int tls_forced;			/* sslmode was set by chatsrc_pg_tls */
};

/*
 * Applies the TLS rule (verified unless --insecure) to pg: when neither the conninfo nor
 * PGSSLMODE chooses an sslmode and a host is not local (a Unix socket,
 * localhost, 127.0.0.1, ::1), sslmode becomes verify-full, or prefer when
 * insecure. cacert (NULL: none) becomes sslrootcert unless the conninfo names
 * one. Returns 1 when TLS is now required and verified, 0 when left as it was,
 * -1 when the conninfo cannot be parsed.
 */
int chatsrc_pg_tls(struct chatsrc_pg *pg, int insecure, const char *cacert);

/*
 * Reads every table from a PostgreSQL database in one read-only,
 * repeatable-read transaction, streaming rows with COPY. Table names are found
 * case-insensitively on the search path. *source (when not NULL) receives a
 * description without any password (caller frees). Returns 0, or -1 with err
 * (J2W_ESYS for connection and server errors, J2W_EDATA for a missing table or
 * column, or the callback's error).
 */
int chatsrc_pg_read(const struct chatsrc_pg *pg, const struct chat_sink *sink, char **source,
    struct j2w_err *err);
/*
 * A description of the database conninfo names, for the manifest: host,
 * hostaddr, port, dbname and user (from conninfo, else libpq's defaults and
 * PG* variables), never a password. The caller frees it.
 */
char *chatsrc_pg_describe(const char *conninfo);
/* Whether conninfo carries a password (refused: secrets never on argv). 1, 0, or -1 unparsable. */
int chatsrc_pg_has_password(const char *conninfo);

/*
 * Parses one row of COPY text format (tab-separated, backslash escapes, \N for
 * NULL) in place: line[0..len) without the newline. Fills up to max fields into
 * fields[] (NULL for \N) and returns the field count, or -1 on a malformed row
 * or more than max fields. line must have room for a NUL at line[len].
 */
int chatsrc_pg_parse_copy_row(char *line, size_t len, char **fields, int max);

/*
 * Reads the CSV dumps in dir: TC_ROOMS, TC_USERS, TC_MSGARCHIVE and AFT_LOG,
 * each NAME.csv in any letter case (TC_USERS and AFT_LOG may be missing).
 * Columns are found by header name; an empty cell is NULL. A row that is not
 * whole goes to sink->reject (chat_sink) and the read goes on: fewer or more
 * fields than the header, the file ending inside a quoted field, a field over
 * CSV_FIELD_MAX bytes or holding a NUL byte, a stray quote. *source as above.
 * Returns 0, or -1 with err ("FILE:LINE: ..." J2W_EDATA for a file without
 * its header or a required column, or a header that is not whole; J2W_ESYS).
 */
int chatsrc_csv_read(const char *dir, const struct chat_sink *sink, char **source,
    struct j2w_err *err);

/* The tables of a persistent-chat dump, in the order they are read. */
/*
 * Reads one CSV dump of table t from fp, named name in messages, as
 * chatsrc_csv_read reads each file (sink->room, member, msg or file must be
 * set for t). Returns 0, or -1 with err.
 */
int chatsrc_csv_read_file(FILE *fp, const char *name, enum chatsrc_table t,
    const struct chat_sink *sink, struct j2w_err *err);
/*
 * The manifest's description of the CSV source dir: "csv:" and its absolute
 * path (the caller frees). NULL with err when dir is missing or not a
 * directory (J2W_EUSAGE) or cannot be resolved (J2W_ESYS).
 */
char *chatsrc_csv_describe(const char *dir, struct j2w_err *err);

#endif
