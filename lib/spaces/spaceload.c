/* A spaces run's rooms: from the archive (members, history cut into parts) or from a journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat/chatexport.h"
#include "chat/chatread.h"
#include "spaces/spacerun_int.h"

/* ---- the archive: rooms, members, history parts ---------------------------------- */

struct room_list {
	struct spaces_run *run;
	struct spaces_room **v;
	size_t n;
	int oom;
};

static int
collect_room(void *ctx, const struct chat_room_info *ri)
{
	struct room_list *l = ctx;
	struct spaces_room *r, **v;

	if (ri->type == NULL || strcmp(ri->type, "persistent") != 0) {
		if (ri->type != NULL && strcmp(ri->type, "ad-hoc") == 0)
			l->run->n.adhoc++;
		else
			l->run->n.other++;
		return 0;
	}
	r = calloc(1, sizeof(*r));
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (r == NULL || v == NULL) {
		free(r);
		if (v != NULL)
			l->v = v;
		l->oom = 1;
		return -1;
	}
	l->v = v;
	l->v[l->n++] = r;
	r->room_jid = spacerun_xdup(ri->room_jid);
	r->name = spacerun_xdup(ri->name);
	r->type = spacerun_xdup(ri->type);
	r->first = spacerun_xdup(ri->first_utc);
	r->last = spacerun_xdup(ri->last_utc);
	r->messages = ri->messages;
	r->state = "pending";
	r->rb_state = NULL;
	if (r->room_jid == NULL || (ri->name && !r->name) || (ri->first_utc && !r->first) ||
	    (ri->last_utc && !r->last)) {
		l->oom = 1;
		return -1;
	}
	return 0;
}

struct member_ctx {
	struct spaces_room *r;
	const struct spaces_map *map;
	int oom;
};

static int
collect_member(void *ctx, const struct chat_member_info *mi)
{
	struct member_ctx *mc = ctx;
	struct spaces_room *r = mc->r;
	struct spaces_member *v, *m;
	const char *why = NULL, *email;

	if (mi->real_jid == NULL || *mi->real_jid == '\0')
		return 0;
	v = realloc(r->members, (r->nmembers + 1) * sizeof(*v));
	if (v == NULL) {
		mc->oom = 1;
		return -1;
	}
	r->members = v;
	m = &r->members[r->nmembers++];
	memset(m, 0, sizeof(*m));
	m->jid = strdup(mi->real_jid);
	m->moderator = spaces_is_moderator(mi->affiliation);
	email = spaces_map_email(mc->map, mi->real_jid, &why);
	if (email != NULL) {
		m->email = strdup(email);
		m->state = "pending";
	} else {
		m->reason = strdup(why);
		m->state = "left_out";
	}
	if (m->jid == NULL || (email != NULL && m->email == NULL) || (email == NULL && !m->reason)) {
		mc->oom = 1;
		return -1;
	}
	return 0;
}

/* A stream that only counts what is written to it: a page's size without the page. */
static ssize_t
count_write(void *cookie, const char *buf, size_t size)
{
	*(uint64_t *)cookie += size;
	return (ssize_t)size;
}

struct sizing {
	FILE *fp;
	uint64_t *count;
	struct spaces_msg *m;
	size_t n, cap;
};

static int
size_hook(void *ctx, const struct chat_row *row)
{
	struct sizing *s = ctx;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct spaces_msg *v = realloc(s->m, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		s->m = v;
		s->cap = cap;
	}
	fflush(s->fp);
	snprintf(s->m[s->n].t, sizeof(s->m[s->n].t), "%s", row->sent_utc ? row->sent_utc : "");
	s->m[s->n].bytes = *s->count;	/* an offset for now */
	s->n++;
	return 0;
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct spaces_msg *)a)->t, ((const struct spaces_msg *)b)->t);
}

/* Sizes the room's page and cuts its history into parts that each fit in a file. */
static int
plan_parts(struct spaces_run *run, struct spaces_room *r, struct j2w_err *err)
{
	cookie_io_functions_t io = { NULL, count_write, NULL, NULL };
	uint64_t count = 0, limit = spacerun_file_limit(run), header, total;
	struct sizing s = { 0 };
	struct chatexport_part part = { NULL, NULL, size_hook, &s };
	struct chat_room_info ri = spacerun_room_info(r);
	size_t *starts = NULL, np = 0;
	int rc;

	s.fp = fopencookie(&count, "w", io);
	s.count = &count;
	if (s.fp == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = chatexport_room_part(run->db, &ri, CHATEXPORT_HTML, NULL, &part, s.fp, err);
	fflush(s.fp);
	fclose(s.fp);
	if (rc < 0) {
		free(s.m);
		return -1;
	}
	total = count;
	header = s.n > 0 ? s.m[0].bytes : total;
	for (size_t k = 0; k < s.n; k++)
		s.m[k].bytes = (k + 1 < s.n ? s.m[k + 1].bytes : total) - s.m[k].bytes;
	if (total <= limit) {
		np = 1;
	} else {
		/* room for the header of each part, whose counts and dates differ a little */
		if (header + 8192 >= limit) {
			free(s.m);
			return err_set(err, J2W_EDATA, "room '%s': its page without messages takes %llu "
			    "bytes, more than a file may hold (%llu)", r->room_jid,
			    (unsigned long long)header, (unsigned long long)limit);
		}
		qsort(s.m, s.n, sizeof(s.m[0]), msg_cmp);
		if (spaces_split(s.m, s.n, limit - header - 8192, &starts, &np, err) < 0) {
			err_prefix(err, "room '%s'", r->room_jid);
			free(s.m);
			return -1;
		}
	}
	r->parts = calloc(np, sizeof(*r->parts));
	if (r->parts == NULL) {
		free(s.m);
		free(starts);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	r->nparts = np;
	for (size_t p = 0; p < np; p++) {
		struct spaces_part *pt = &r->parts[p];

		pt->part = (int)p + 1;
		pt->parts = (int)np;
		pt->state = "pending";
		if (np == 1) {
			pt->first = spacerun_xdup(r->first);
			pt->last = spacerun_xdup(r->last);
			pt->messages = r->messages;
			pt->bytes = (long long)total;
			continue;
		}
		{
			size_t a = starts[p], b = p + 1 < np ? starts[p + 1] : s.n;
			uint64_t sum = header;

			for (size_t k = a; k < b; k++)
				sum += s.m[k].bytes;
			pt->since = p > 0 ? spacerun_xdup(s.m[a].t) : NULL;
			pt->until = p + 1 < np ? spacerun_xdup(s.m[b].t) : NULL;
			pt->first = spacerun_xdup(s.m[a].t);
			pt->last = spacerun_xdup(s.m[b - 1].t);
			pt->messages = b - a;
			pt->bytes = (long long)sum;
		}
	}
	free(starts);
	free(s.m);
	return 0;
}

int
spaces_load_archive(struct spaces_run *run, struct chatdb *db, const struct spaces_map *map,
    const char *room_filter, struct j2w_err *err)
{
	struct room_list l = { run, NULL, 0, 0 };
	long n;
	int rc = 0;

	run->db = db;
	n = chatread_rooms(db, room_filter, collect_room, &l, err);
	if (n < 0 || l.oom) {
		for (size_t i = 0; i < l.n; i++)
			spacerun_room_free(l.v[i]);
		free(l.v);
		return l.oom ? err_set(err, J2W_ESYS, "out of memory") : -1;
	}
	if (n == 0 && room_filter != NULL) {
		free(l.v);
		return err_set(err, J2W_EUSAGE, "no room '%s' in the archive", room_filter);
	}
	for (size_t i = 0; i < l.n; i++) {
		struct spaces_room *r = l.v[i];
		struct member_ctx mc = { r, map, 0 };
		char title[4 * SPACES_TITLE_MAX + 16];

		if (rc == 0) {
			spaces_title(r->name, r->room_jid, title, sizeof(title));
			spaces_marker(r->room_jid, r->marker);
			r->title = strdup(title);
			r->seq = (long)run->nrooms + 1;
			if (r->title == NULL)
				rc = err_set(err, J2W_ESYS, "out of memory");
		}
		if (rc == 0 && chatread_members(db, r->room_jid, collect_member, &mc, err) < 0)
			rc = mc.oom ? err_set(err, J2W_ESYS, "out of memory") : -1;
		if (rc == 0)
			rc = plan_parts(run, r, err);
		if (rc == 0 && spacerun_add_room(run, r) < 0)
			rc = err_set(err, J2W_ESYS, "out of memory");
		if (rc < 0)
			spacerun_room_free(r);
	}
	free(l.v);
	run->n.rooms = run->nrooms;
	return rc;
}

int
spaces_journal_plan(struct spaces_run *run, struct j2w_err *err)
{
	struct spacej *j = run->journal;

	if (spacej_begin(j, err) < 0)
		return -1;
	for (size_t i = 0; i < run->nrooms; i++) {
		struct spaces_room *r = run->rooms[i];

		if (spacej_add_room(j, r->seq, r->room_jid, r->title, r->marker, r->messages, err) < 0)
			goto fail;
		for (size_t k = 0; k < r->nmembers; k++) {
			struct spaces_member *m = &r->members[k];

			if (spacej_add_member(j, r->room_jid, m->jid, m->email, m->person_id,
			    m->moderator, strcmp(m->state, "left_out") == 0 ? m->reason : NULL, err) < 0)
				goto fail;
		}
		for (size_t k = 0; k < r->nparts; k++) {
			struct spaces_part *p = &r->parts[k];

			if (spacej_add_part(j, r->room_jid, p->part, p->parts, p->since, p->until,
			    p->first, p->last, p->messages, (uint64_t)p->bytes, err) < 0)
				goto fail;
		}
		if (r->space_id != NULL && (spacej_room_space(j, r->room_jid, r->space_id, 0, 0, NULL,
		    err) < 0 || spacej_room_state(j, r->room_jid, r->state, 0, NULL, NULL, err) < 0))
			goto fail;
	}
	return spacej_commit(j, err);
fail:
	spacej_abort(j);
	return -1;
}

/* ---- the journal: resume and rollback --------------------------------------------- */

static const char *
static_state(const char *s, const char *const *known, const char *fallback)
{
	for (size_t i = 0; s != NULL && known[i] != NULL; i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return fallback;
}

static const char *const room_states[] = { "pending", "creating", "created", "done", "failed",
	"exists", "stopped", NULL };
static const char *const member_states[] = { "pending", "added", "present", "failed",
	"left_out", NULL };
static const char *const part_states[] = { "pending", "posting", "posted", "failed", NULL };
static const char *const rb_states[] = { "deleted", "gone", "failed", NULL };

static int
load_member(void *ctx, const struct spacej_member *jm)
{
	struct spaces_room *r = ctx;
	struct spaces_member *v = realloc(r->members, (r->nmembers + 1) * sizeof(*v)), *m;

	if (v == NULL)
		return -1;
	r->members = v;
	m = &r->members[r->nmembers++];
	memset(m, 0, sizeof(*m));
	m->jid = spacerun_xdup(jm->jid);
	m->email = spacerun_xdup(jm->email);
	m->person_id = spacerun_xdup(jm->person_id);
	m->moderator = jm->moderator;
	m->reason = spacerun_xdup(jm->reason);
	m->membership_id = spacerun_xdup(jm->membership_id);
	m->state = static_state(jm->state, member_states, "pending");
	return m->jid == NULL ? -1 : 0;
}

static int
load_part(void *ctx, const struct spacej_part *jp)
{
	struct spaces_room *r = ctx;
	struct spaces_part *v = realloc(r->parts, (r->nparts + 1) * sizeof(*v)), *p;

	if (v == NULL)
		return -1;
	r->parts = v;
	p = &r->parts[r->nparts++];
	memset(p, 0, sizeof(*p));
	p->part = jp->part;
	p->parts = jp->parts;
	p->since = spacerun_xdup(jp->since);
	p->until = spacerun_xdup(jp->until);
	p->first = spacerun_xdup(jp->first);
	p->last = spacerun_xdup(jp->last);
	p->messages = jp->messages;
	p->bytes = jp->bytes;
	p->message_id = spacerun_xdup(jp->message_id);
	p->error = spacerun_xdup(jp->error);
	p->state = static_state(jp->state, part_states, "pending");
	return 0;
}

struct load_ctx {
	struct spaces_run *run;
	struct spacej *j;
	struct j2w_err *err;
};

static int
load_room(void *ctx, const struct spacej_room *jr)
{
	struct load_ctx *lc = ctx;
	struct spaces_room *r = calloc(1, sizeof(*r));

	if (r == NULL || spacerun_add_room(lc->run, r) < 0) {
		free(r);
		return err_set(lc->err, J2W_ESYS, "out of memory");
	}
	r->seq = jr->seq;
	r->room_jid = spacerun_xdup(jr->room_jid);
	r->title = spacerun_xdup(jr->title);
	r->name = spacerun_xdup(jr->title);
	r->type = strdup("persistent");
	snprintf(r->marker, sizeof(r->marker), "%s", jr->marker ? jr->marker : "");
	r->messages = jr->messages;
	r->state = static_state(jr->state, room_states, "pending");
	r->space_id = spacerun_xdup(jr->space_id);
	r->ours = jr->ours;
	r->intent_utc = spacerun_xdup(jr->intent_utc);
	r->rb_state = static_state(jr->rb_state, rb_states, NULL);
	if (jr->error != NULL)
		snprintf(r->error, sizeof(r->error), "%s", jr->error);
	if (r->room_jid == NULL || r->title == NULL ||
	    spacej_members(lc->j, jr->room_jid, load_member, r, lc->err) != 0 ||
	    spacej_parts(lc->j, jr->room_jid, load_part, r, lc->err) != 0)
		return lc->err->msg[0] ? -1 : err_set(lc->err, J2W_ESYS, "out of memory");
	if (r->nparts > 0) {
		r->first = spacerun_xdup(r->parts[0].first);
		r->last = spacerun_xdup(r->parts[r->nparts - 1].last);
	}
	return 0;
}

int
spaces_load_journal(struct spaces_run *run, struct spacej *j, struct j2w_err *err)
{
	struct load_ctx lc = { run, j, err };

	err_clear(err);
	run->journal = j;
	if (spacej_rooms(j, load_room, &lc, err) != 0)
		return -1;
	run->n.rooms = run->nrooms;
	return 0;
}
