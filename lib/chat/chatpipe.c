/* The reader pipeline: records cross threads in batches, each a kind byte and length-prefixed fields. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatpipe.h"
#include "util/strbuf.h"

enum { REC_ROOM = 1, REC_MEMBER, REC_MSG, REC_REJECT, REC_FILE, REC_TOTAL };

#define PIPE_BATCH_RECORDS 512
#define PIPE_BATCH_BYTES ((size_t)1 << 20)
#define PIPE_QUEUE_MAX 8
#define PIPE_FIELDS_MAX 16

struct pipe_batch {
	struct strbuf data;
	size_t nrec;
	struct pipe_batch *next;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pipe_batch *head, *tail;
	int queued;
	int done;		/* the reader has finished (rc, err say how) */
	int stop;		/* the writer failed: the reader should give up */
	int rc;
	struct j2w_err err;
	struct pipe_batch *cur;
	const char *tz;
	struct chat_norm norm;
	int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err);
	void *arg;
	const struct chatpipe_ops *ops;
};

static int
pipe_put_field(struct strbuf *sb, const char *s)
{
	uint32_t len;

	if (s == NULL)
		return strbuf_addch(sb, 0);
	len = (uint32_t)strlen(s);
	if (strbuf_addch(sb, 1) < 0 || strbuf_add(sb, &len, sizeof(len)) < 0 ||
	    strbuf_add(sb, s, len + 1) < 0)
		return -1;
	return 0;
}

static const char *
pipe_get_field(const char **p)
{
	uint32_t len;
	const char *s;

	if (*(*p)++ == 0)
		return NULL;
	memcpy(&len, *p, sizeof(len));
	s = *p + sizeof(len);
	*p = s + len + 1;
	return s;
}

/* Hands the current batch to the writer, waiting while the queue is full. */
static int
pipe_flush(struct pipe *pp, struct j2w_err *err)
{
	struct pipe_batch *b = pp->cur;
	int stop;

	if (b == NULL || b->nrec == 0)
		return 0;
	pp->cur = NULL;
	pthread_mutex_lock(&pp->mu);
	while (pp->queued >= PIPE_QUEUE_MAX && !pp->stop)
		pthread_cond_wait(&pp->cv, &pp->mu);
	stop = pp->stop;
	if (!stop) {
		if (pp->tail != NULL)
			pp->tail->next = b;
		else
			pp->head = b;
		pp->tail = b;
		pp->queued++;
		pthread_cond_broadcast(&pp->cv);
	}
	pthread_mutex_unlock(&pp->mu);
	if (stop) {
		strbuf_release(&b->data);
		free(b);
		return err_set(err, J2W_ESYS, "stopped");
	}
	return 0;
}

/* Appends one record: kind, then n fields. */
static int
pipe_record(struct pipe *pp, int kind, const char *const *f, int n, struct j2w_err *err)
{
	struct pipe_batch *b = pp->cur;

	if (b == NULL) {
		b = calloc(1, sizeof(*b));
		if (b == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		strbuf_init(&b->data, 0);
		pp->cur = b;
	}
	if (strbuf_addch(&b->data, kind) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	for (int i = 0; i < n; i++)
		if (pipe_put_field(&b->data, f[i]) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
	b->nrec++;
	if (b->nrec >= PIPE_BATCH_RECORDS || b->data.len >= PIPE_BATCH_BYTES)
		return pipe_flush(pp, err);
	return 0;
}

static int
pipe_room(void *ctx, const struct chat_room *r, struct j2w_err *err)
{
	const char *f[] = { r->room_jid, r->creator_jid, r->subject, r->type, r->config, r->spacket,
		r->where };

	return pipe_record(ctx, REC_ROOM, f, 7, err);
}

static int
pipe_member(void *ctx, const struct chat_member *m, struct j2w_err *err)
{
	const char *f[] = { m->room_jid, m->real_jid, m->role, m->affiliation, m->nick_jid, m->where };

	return pipe_record(ctx, REC_MEMBER, f, 6, err);
}

static int
pipe_file(void *ctx, const struct chat_file *x, struct j2w_err *err)
{
	const char *f[] = { x->aft_index, x->jid, x->to_jid, x->method, x->filename,
		x->real_filename, x->file_server, x->file_path, x->bytes, x->timestamp, x->where };

	return pipe_record(ctx, REC_FILE, f, 11, err);
}

static void
pipe_total(void *ctx, uint64_t total)
{
	struct pipe *pp = ctx;
	char buf[32];
	const char *f[] = { buf };
	struct j2w_err err;

	chatsrc_where(buf, sizeof(buf), "", (unsigned long)total);
	pipe_record(pp, REC_TOTAL, f, 1, &err);
}

static int
pipe_msg(void *ctx, const struct chat_msg *m, struct j2w_err *err)
{
	struct pipe *pp = ctx;
	struct chat_norm *n = &pp->norm;
	struct j2w_err cerr;
	char id[24], flags[3];
	int repaired;

	if (chatsrc_normalize(m, pp->tz, n, &repaired, &cerr) < 0) {
		const char *f[] = { cerr.msg, "m" };

		if (cerr.status != J2W_EDATA) {
			*err = cerr;
			return -1;
		}
		return pipe_record(pp, REC_REJECT, f, 2, err);
	}
	if (n->has_msg_id) {
		if (n->msg_id >= 0)
			chatsrc_where(id, sizeof(id), "", (unsigned long)n->msg_id);
		else
			snprintf(id, sizeof(id), "%lld", n->msg_id);
	}
	flags[0] = n->has_file ? 'f' : '-';
	flags[1] = repaired ? 'r' : '-';
	flags[2] = '\0';
	{
		const char *f[] = { m->where, n->room_jid, n->has_msg_id ? id : NULL, n->sent_utc,
			n->from_jid, n->nick, n->msg_type, n->subject, n->body, n->stanza, n->digest,
			flags };

		return pipe_record(pp, REC_MSG, f, 12, err);
	}
}

/* A source row that is not whole (a dump cut short): handed over as a rejected row. */
static int
pipe_reject(void *ctx, enum chatsrc_table t, const char *why, struct j2w_err *err)
{
	const char *f[] = { why, t == CHATSRC_MSGS ? "m" : "o" };

	return pipe_record(ctx, REC_REJECT, f, 2, err);
}

static void *
pipe_reader(void *arg)
{
	struct pipe *pp = arg;
	struct chat_sink sink = {
		.room = pp->ops->room ? pipe_room : NULL,
		.member = pp->ops->member ? pipe_member : NULL,
		.msg = pipe_msg,
		.file = pp->ops->file ? pipe_file : NULL,
		.total = pp->ops->total ? pipe_total : NULL,
		.ctx = pp,
		.reject = pipe_reject,
	};
	struct j2w_err err;
	int rc;

	err_clear(&err);
	rc = pp->read(pp->arg, &sink, &err);
	if (rc == 0 && pipe_flush(pp, &err) < 0)
		rc = -1;
	if (pp->cur != NULL) {
		strbuf_release(&pp->cur->data);
		free(pp->cur);
		pp->cur = NULL;
	}
	pthread_mutex_lock(&pp->mu);
	pp->done = 1;
	pp->rc = rc;
	pp->err = err;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* Applies one batch in the writer thread. */
static int
pipe_apply(const struct chatpipe_ops *ops, void *ctx, struct pipe_batch *b, struct j2w_err *err)
{
	const char *p = b->data.buf, *end = b->data.buf + b->data.len;
	const char *f[PIPE_FIELDS_MAX];
	static const int nfields[] = { [REC_ROOM] = 7, [REC_MEMBER] = 6, [REC_MSG] = 12,
		[REC_REJECT] = 2, [REC_FILE] = 11, [REC_TOTAL] = 1 };

	while (p < end) {
		int kind = *p++;
		int rc = 0;

		for (int i = 0; i < nfields[kind]; i++)
			f[i] = pipe_get_field(&p);
		switch (kind) {
		case REC_ROOM: {
			struct chat_room r = { f[0], f[1], f[2], f[3], f[4], f[5], f[6] };

			rc = ops->room(ctx, &r, err);
			break;
		}
		case REC_MEMBER: {
			struct chat_member m = { f[0], f[1], f[2], f[3], f[4], f[5] };

			rc = ops->member(ctx, &m, err);
			break;
		}
		case REC_FILE: {
			struct chat_file x = { f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9],
				f[10] };

			rc = ops->file(ctx, &x, err);
			break;
		}
		case REC_TOTAL:
			ops->total(ctx, strtoull(f[0], NULL, 10));
			break;
		case REC_REJECT:
			ops->reject(ctx, f[1][0] == 'm', f[0]);
			break;
		case REC_MSG: {
			struct chat_norm n;

			memset(&n, 0, sizeof(n));
			n.room_jid = f[1];
			n.has_msg_id = f[2] != NULL;
			n.msg_id = f[2] != NULL ? strtoll(f[2], NULL, 10) : 0;
			{
				size_t tl = strnlen(f[3], sizeof(n.sent_utc) - 1);

				memcpy(n.sent_utc, f[3], tl);
				n.sent_utc[tl] = '\0';
			}
			n.from_jid = f[4];
			n.nick = f[5];
			n.msg_type = f[6];
			n.subject = f[7];
			n.body = f[8];
			n.stanza = f[9];
			memcpy(n.digest, f[10], 65);
			n.has_file = f[11][0] == 'f';
			rc = ops->msg(ctx, &n, f[0], f[11][1] == 'r', err);
			break;
		}
		default:
			return err_set(err, J2W_ESYS, "internal error: bad pipeline record");
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

int
chatpipe_run(const struct chatpipe_ops *ops, void *ctx, const char *tz,
    int (*read)(void *arg, const struct chat_sink *sink, struct j2w_err *err), void *arg,
    struct j2w_err *err)
{
	struct pipe pp;
	pthread_t th;
	int ret = 0;

	memset(&pp, 0, sizeof(pp));
	if (chatsrc_tz_use(tz) < 0)
		return err_set_errno(err, J2W_ESYS, "cannot set the zone '%s'", tz);
	pp.tz = tz;
	pp.read = read;
	pp.arg = arg;
	pp.ops = ops;
	chatsrc_norm_init(&pp.norm);
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.cv, NULL);
	if (pthread_create(&th, NULL, pipe_reader, &pp) != 0) {
		pthread_mutex_destroy(&pp.mu);
		pthread_cond_destroy(&pp.cv);
		return err_set(err, J2W_ESYS, "cannot start a thread");
	}
	for (;;) {
		struct pipe_batch *b;

		pthread_mutex_lock(&pp.mu);
		while (pp.head == NULL && !pp.done)
			pthread_cond_wait(&pp.cv, &pp.mu);
		b = pp.head;
		if (b != NULL) {
			pp.head = b->next;
			if (pp.head == NULL)
				pp.tail = NULL;
			pp.queued--;
			pthread_cond_broadcast(&pp.cv);
		}
		pthread_mutex_unlock(&pp.mu);
		if (b == NULL)
			break;	/* done, and everything applied */
		if (ret == 0 && pipe_apply(ops, ctx, b, err) < 0) {
			ret = -1;
			pthread_mutex_lock(&pp.mu);
			pp.stop = 1;
			pthread_cond_broadcast(&pp.cv);
			pthread_mutex_unlock(&pp.mu);
		}
		strbuf_release(&b->data);
		free(b);
	}
	pthread_join(th, NULL);
	if (ret == 0 && pp.rc < 0) {
		*err = pp.err;
		ret = -1;
	}
	chatsrc_norm_release(&pp.norm);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.cv);
	return ret;
}
