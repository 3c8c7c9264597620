/* The pipelined per-user directory stream: a ring of records waiting for their LDAP answers. */
#include <stdlib.h>
#include <string.h>

#include "identity/ldapstream.h"
#include "util/jsonl.h"

static int
dir_submit(void *dir, const char *userid, size_t tag, struct j2w_err *err)
{
	return ldapdir_submit(dir, userid, tag, err);
}

static int
dir_collect(void *dir, size_t *tag, struct ldapdir_entry *e, struct j2w_err *err)
{
	return ldapdir_collect(dir, tag, e, err);
}

int
ldapstream_init_with(struct ldapstream *s, ldapstream_submit_fn *submit,
    ldapstream_collect_fn *collect, void *dir, size_t window, ldapstream_ready_fn *ready,
    void *ctx, struct j2w_err *err)
{
	memset(s, 0, sizeof(*s));
	s->submit = submit;
	s->collect = collect;
	s->dir = dir;
	s->ready = ready;
	s->ready_ctx = ctx;
	if (dir == NULL)
		return 0;
	s->window = window > 0 ? window : LDAPDIR_DEFAULT_WINDOW;
	s->ring = calloc(s->window, sizeof(*s->ring));
	if (s->ring == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	return 0;
}

int
ldapstream_init(struct ldapstream *s, struct ldapdir *d, size_t window,
    ldapstream_ready_fn *ready, void *ctx, struct j2w_err *err)
{
	return ldapstream_init_with(s, dir_submit, dir_collect, d, window, ready, ctx, err);
}

void
ldapstream_release(struct ldapstream *s)
{
	for (; s->ring != NULL && s->head < s->tail; s->head++) {
		struct ldapstream_slot *slot = &s->ring[s->head % s->window];

		json_decref(slot->rec);
		ldapdir_entry_release(&slot->e);
	}
	free(s->ring);
	s->ring = NULL;
}

/* Hands on, in input order, the records whose answer is in. */
static int
flush_ready(struct ldapstream *s, struct j2w_err *err)
{
	while (s->head < s->tail && s->ring[s->head % s->window].done) {
		struct ldapstream_slot *slot = &s->ring[s->head % s->window];
		int rc = s->ready(s->ready_ctx, slot->rec, slot->searched ? &slot->e : NULL, err);

		json_decref(slot->rec);
		ldapdir_entry_release(&slot->e);
		memset(slot, 0, sizeof(*slot));
		s->head++;
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Waits for one answer and files it with its record. */
static int
collect_one(struct ldapstream *s, struct j2w_err *err)
{
	struct ldapdir_entry e;
	size_t tag;
	int rc = s->collect(s->dir, &tag, &e, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(err, J2W_ESYS, "internal: a directory answer is missing");
	if (tag < s->head || tag >= s->tail || s->ring[tag % s->window].done) {
		ldapdir_entry_release(&e);
		return err_set(err, J2W_ESYS, "internal: a directory answer for no waiting user");
	}
	s->ring[tag % s->window].e = e;
	s->ring[tag % s->window].done = 1;
	return 0;
}

int
ldapstream_add(struct ldapstream *s, json_t *rec, struct j2w_err *err)
{
	const char *userid = json_get_str(rec, "userid");
	struct ldapstream_slot *slot;

	if (s->dir == NULL) {
		int rc = s->ready(s->ready_ctx, rec, NULL, err);

		json_decref(rec);
		return rc < 0 ? -1 : 0;
	}
	while (s->tail - s->head >= s->window)
		if (collect_one(s, err) < 0 || flush_ready(s, err) < 0) {
			json_decref(rec);
			return -1;
		}
	slot = &s->ring[s->tail % s->window];
	slot->rec = rec;
	s->tail++;
	if (userid == NULL) {
		slot->done = 1;		/* nothing to look up: the checks say why */
	} else {
		if (s->submit(s->dir, userid, s->tail - 1, err) < 0)
			return -1;
		slot->searched = 1;
	}
	return flush_ready(s, err);
}

int
ldapstream_finish(struct ldapstream *s, struct j2w_err *err)
{
	if (s->dir == NULL)
		return 0;
	if (flush_ready(s, err) < 0)
		return -1;
	while (s->head < s->tail)
		if (collect_one(s, err) < 0 || flush_ready(s, err) < 0)
			return -1;
	return 0;
}
