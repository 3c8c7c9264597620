/*
 * The reader pipeline of import and verify: a second thread runs the source
 * reader (COPY parsing, UTC times, UTF-8 checks, SHA-256 through
 * chatsrc_normalize) and hands its records over in batches; the calling thread
 * does the SQLite work. Two cores do the work of one.
 */
#ifndef J2W_CHATPIPE_H
#define J2W_CHATPIPE_H

#include <stdint.h>

#include "chat/chatsrc.h"
#include "util/j2w_err.h"

/*
 * What the calling thread does with each record. room, member, file and
 * total may be NULL: that table is then not read at all. reject (a message
 * chatsrc_normalize refused as J2W_EDATA, or a source row of any table that
 * is not whole, with the reason) and msg (a message
 * in its archived form; where names the source row, repaired says invalid
 * UTF-8 was replaced) are required. A callback that returns -1 with err stops
 * the pipeline.
 */
struct chatpipe_ops {
	int (*room)(void *ctx, const struct chat_room *r, struct j2w_err *err);
	int (*member)(void *ctx, const struct chat_member *m, struct j2w_err *err);
	int (*file)(void *ctx, const struct chat_file *f, struct j2w_err *err);
	void (*total)(void *ctx, uint64_t n);
	void (*reject)(void *ctx, int message, const char *why);
	int (*msg)(void *ctx, const struct chat_norm *n, const char *where, int repaired,
	    struct j2w_err *err);
};

/*
 * Runs read(arg, sink, err) in a reader thread, reading zone-less times in tz
 * (NULL: UTC; chatsrc_tz_use is applied first), and calls ops on ctx in this
 * thread, in the order the reader produced the records. Returns 0, or -1 with
 * err: the first error of either side (the other side stops; a reader told to
 * stop sees an error of its own, which is not reported).
 */
int chatpipe_run(const struct chatpipe_ops *ops, void *ctx, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err);

#endif
