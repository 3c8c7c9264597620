/*
 * j2w-chat-archive's options as rules: the source and its TLS, the time and
 * zone options, what each subcommand wants, the CSV dump's message count for
 * the import's bar, the source the manifest names, the search asked for, and
 * the import and verify summary lines.
 */
#ifndef J2W_CHATARGS_H
#define J2W_CHATARGS_H

#include <stddef.h>
#include <stdint.h>

#include "chat/chatimport.h"
#include "chat/chatread.h"
#include "chat/chatsrc.h"
#include "chat/chatverify.h"
#include "util/j2w_err.h"
#include "util/strbuf.h"

/* What was given on the command line (NULL, 0 or "" when not given). */
struct chatargs {
	const char *from_pg, *from_csv, *to, *tz, *room, *from, *output, *cacert;
	char since[32], until[32];	/* "" when not given */
	long limit;
	int format;			/* enum chatexport_format, -1 when not given */
	int insecure;
	const char *pos[3];		/* the operands after the subcommand */
	int npos;
};

/*
 * --since (end_of_day 0) or --until (1) named opt: reads arg into out as
 * chatsrc_time_bound does. Returns 0, or -1 with err (J2W_EUSAGE, the message).
 */
int chatargs_when(const char *opt, const char *arg, int end_of_day, char *out, size_t len,
    struct j2w_err *err);

/* --source-tz: checks tz (chatsrc_tz_check). Returns 0, or -1 with err (J2W_EUSAGE). */
int chatargs_tz(const char *tz, struct j2w_err *err);

/*
 * The source of import and verify: exactly one of --from-pg and --from-csv,
 * no password in the connection string, a readable --cacert, and --insecure
 * and --cacert only with --from-pg. For --from-pg fills pg (conninfo and TLS,
 * chatsrc_pg_tls). Returns 0, or -1 with err (J2W_EUSAGE).
 */
int chatargs_source(const struct chatargs *a, struct chatsrc_pg *pg, struct j2w_err *err);

/*
 * The source as the archive's manifest names it (never a password):
 * chatsrc_csv_describe of --from-csv, else chatsrc_pg_describe of --from-pg.
 * A new string the caller frees, or NULL with err (chatsrc_csv_describe's,
 * J2W_ESYS out of memory).
 */
char *chatargs_source_describe(const struct chatargs *a, struct j2w_err *err);

/* Fills q with the search a asks for: the query (the second operand) and the filters. */
void chatargs_query(const struct chatargs *a, struct chat_query *q);

/*
 * The operands and options subcommand verb ("import", "verify", "search" or
 * "export") wants besides its source. Returns 0, or -1 with err (J2W_EUSAGE).
 */
int chatargs_operands(const char *verb, const struct chatargs *a, struct j2w_err *err);

/*
 * The messages in a CSV dump's TC_MSGARCHIVE file in dir (any letter case),
 * counted with the validating scanner (quoted newlines and all) so that the
 * import's bar has its total; 0 when unknown or the file is not whole (the
 * import then says what is wrong). progress (NULL: none) is told (0, size)
 * when the file is opened, then the bytes read so far.
 */
uint64_t chatargs_csv_messages(const char *dir,
    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx);

/*
 * Appends the summary of an import into archive, one line per '\n': what was
 * read, added and rejected; the rows of other tables rejected (when any); the
 * archive's message count and digest.
 */
void chatargs_import_describe(const struct chatimport_counts *k, const char *archive,
    struct strbuf *sb);

/* Appends the warning that archived messages differ from the source now; 0 when none do. */
int chatargs_import_changed(const struct chatimport_counts *k, struct strbuf *sb);

/* Appends what an import that stopped kept, and how to carry on. */
void chatargs_import_stopped(const struct chatimport_counts *k, struct strbuf *sb);

/* The exit status of an import that ran: J2W_FINDINGS when rows were rejected. */
int chatargs_import_status(const struct chatimport_counts *k);

/* Appends verify's summary line: rooms, messages and files, "equal" or "DIFFERENT". */
void chatargs_verify_describe(const struct chatverify_totals *t, struct strbuf *sb);

#endif
