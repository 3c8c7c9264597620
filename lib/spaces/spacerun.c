/* Rooms to spaces over the Webex client: load, look up, then plan, commit or roll back. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chat/chatexport.h"
#include "chat/chatread.h"
#include "spaces/spacerun.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"

enum { PH_CREATE, PH_PARTS, PH_MEMBERS, PH_END };

static char *
xdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
room_free(struct spaces_room *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nmembers; i++) {
		struct spaces_member *m = &r->members[i];

		free(m->jid);
		free(m->email);
		free(m->person_id);
		free(m->reason);
		free(m->membership_id);
	}
	for (size_t i = 0; i < r->nparts; i++) {
		struct spaces_part *p = &r->parts[i];

		free(p->since);
		free(p->until);
		free(p->first);
		free(p->last);
		free(p->message_id);
		free(p->error);
	}
	if (r->part_path != NULL)
		unlink(r->part_path);
	free(r->part_path);
	free(r->members);
	free(r->parts);
	free(r->room_jid);
	free(r->name);
	free(r->title);
	free(r->type);
	free(r->first);
	free(r->last);
	free(r->space_id);
	free(r->intent_utc);
	free(r);
}

void
spaces_run_init(struct spaces_run *run)
{
	memset(run, 0, sizeof(*run));
}

void
spaces_run_release(struct spaces_run *run)
{
	for (size_t i = 0; i < run->nrooms; i++)
		room_free(run->rooms[i]);
	free(run->rooms);
	json_decref(run->people);
	json_decref(run->spaces);
	free(run->me);
	if (run->tmpdir != NULL)
		rmdir(run->tmpdir);
	free(run->tmpdir);
	run->rooms = NULL;
	run->nrooms = 0;
	run->people = run->spaces = NULL;
	run->me = run->tmpdir = NULL;
}

static int
add_room(struct spaces_run *run, struct spaces_room *r)
{
	struct spaces_room **v = realloc(run->rooms, (run->nrooms + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	run->rooms = v;
	run->rooms[run->nrooms++] = r;
	r->run = run;
	return 0;
}

static uint64_t
file_limit(const struct spaces_run *run)
{
	return run->file_limit > 0 ? run->file_limit : SPACES_FILE_LIMIT;
}

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
	r->room_jid = xdup(ri->room_jid);
	r->name = xdup(ri->name);
	r->type = xdup(ri->type);
	r->first = xdup(ri->first_utc);
	r->last = xdup(ri->last_utc);
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

static struct chat_room_info
room_info(const struct spaces_room *r)
{
	struct chat_room_info ri = { r->room_jid, r->name, NULL, NULL, r->type, r->messages,
		r->first, r->last };

	return ri;
}

/* Sizes the room's page and cuts its history into parts that each fit in a file. */
static int
plan_parts(struct spaces_run *run, struct spaces_room *r, struct j2w_err *err)
{
	cookie_io_functions_t io = { NULL, count_write, NULL, NULL };
	uint64_t count = 0, limit = file_limit(run), header, total;
	struct sizing s = { 0 };
	struct chatexport_part part = { NULL, NULL, size_hook, &s };
	struct chat_room_info ri = room_info(r);
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
			pt->first = xdup(r->first);
			pt->last = xdup(r->last);
			pt->messages = r->messages;
			pt->bytes = (long long)total;
			continue;
		}
		{
			size_t a = starts[p], b = p + 1 < np ? starts[p + 1] : s.n;
			uint64_t sum = header;

			for (size_t k = a; k < b; k++)
				sum += s.m[k].bytes;
			pt->since = p > 0 ? xdup(s.m[a].t) : NULL;
			pt->until = p + 1 < np ? xdup(s.m[b].t) : NULL;
			pt->first = xdup(s.m[a].t);
			pt->last = xdup(s.m[b - 1].t);
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
			room_free(l.v[i]);
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
		if (rc == 0 && add_room(run, r) < 0)
			rc = err_set(err, J2W_ESYS, "out of memory");
		if (rc < 0)
			room_free(r);
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
	m->jid = xdup(jm->jid);
	m->email = xdup(jm->email);
	m->person_id = xdup(jm->person_id);
	m->moderator = jm->moderator;
	m->reason = xdup(jm->reason);
	m->membership_id = xdup(jm->membership_id);
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
	p->since = xdup(jp->since);
	p->until = xdup(jp->until);
	p->first = xdup(jp->first);
	p->last = xdup(jp->last);
	p->messages = jp->messages;
	p->bytes = jp->bytes;
	p->message_id = xdup(jp->message_id);
	p->error = xdup(jp->error);
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

	if (r == NULL || add_room(lc->run, r) < 0) {
		free(r);
		return err_set(lc->err, J2W_ESYS, "out of memory");
	}
	r->seq = jr->seq;
	r->room_jid = xdup(jr->room_jid);
	r->title = xdup(jr->title);
	r->name = xdup(jr->title);
	r->type = strdup("persistent");
	snprintf(r->marker, sizeof(r->marker), "%s", jr->marker ? jr->marker : "");
	r->messages = jr->messages;
	r->state = static_state(jr->state, room_states, "pending");
	r->space_id = xdup(jr->space_id);
	r->ours = jr->ours;
	r->intent_utc = xdup(jr->intent_utc);
	r->rb_state = static_state(jr->rb_state, rb_states, NULL);
	if (jr->error != NULL)
		snprintf(r->error, sizeof(r->error), "%s", jr->error);
	if (r->room_jid == NULL || r->title == NULL ||
	    spacej_members(lc->j, jr->room_jid, load_member, r, lc->err) != 0 ||
	    spacej_parts(lc->j, jr->room_jid, load_part, r, lc->err) != 0)
		return lc->err->msg[0] ? -1 : err_set(lc->err, J2W_ESYS, "out of memory");
	if (r->nparts > 0) {
		r->first = xdup(r->parts[0].first);
		r->last = xdup(r->parts[r->nparts - 1].last);
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

/* ---- requests --------------------------------------------------------------------- */

/* An email as the people look-up keys it: lower case. */
static int
email_key(struct strbuf *sb, const char *email)
{
	return utf8_lower(sb, email, strlen(email));
}

/* url with &key=value (escaped) appended; a new string or NULL. */
static char *
url_add(char *url, const char *key, const char *value)
{
	char *esc, *out;
	size_t n;

	if (url == NULL || value == NULL)
		return url;
	if ((esc = curl_easy_escape(NULL, value, 0)) == NULL) {
		free(url);
		return NULL;
	}
	n = strlen(url) + strlen(key) + strlen(esc) + 3;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s%c%s=%s", url, strchr(url, '?') ? '&' : '?', key, esc);
	curl_free(esc);
	free(url);
	return out;
}

/*
 * What a failed answer means for the run: a refused token, a 403 about the
 * token's scopes, an API that stopped answering (the client retried already)
 * stop it; other answers fail only their item (returns 0 then).
 */
static int
run_stops(struct spaces_run *run, const struct webex_req *req, const char *what, int forbid_now)
{
	if (req->status == 401 || (req->status == 0 && webex_stopped(run->client))) {
		run->unauthorized = 1;
		snprintf(run->stop_reason, sizeof(run->stop_reason), "the Webex API refused the token "
		    "(HTTP 401): it is wrong or has expired; get a new one (WEBEX_TOKEN or --token-file)");
		return 1;
	}
	if (req->status == 403) {
		if (forbid_now || ++run->consecutive_403 >= 3) {
			run->forbidden = 1;
			snprintf(run->stop_reason, sizeof(run->stop_reason), "%s was refused (%s): the "
			    "token needs the scopes " SPACES_SCOPES ", and its user the right to create "
			    "spaces and add people", what, req->error);
			return 1;
		}
		return 0;
	}
	if (req->status == 0 || req->status >= 500) {
		run->outage = 1;
		snprintf(run->stop_reason, sizeof(run->stop_reason), "%s failed after %d tries (%s): "
		    "the Webex API is not answering", what, req->attempts, req->error);
		return 1;
	}
	return 0;
}

static int
run_stopping(const struct spaces_run *run)
{
	return run->unauthorized || run->forbidden || run->outage || run->fatal ||
	    (run->stop != NULL && *run->stop);
}

struct sync_call {
	int done;
	long status;
	int attempts;
	json_t *json;
	char error[512];
	char tracking_id[96];
};

static void
sync_done(struct webex_req *req, void *ctx)
{
	struct sync_call *sc = ctx;

	sc->done = 1;
	sc->status = req->status;
	sc->attempts = req->attempts;
	sc->json = json_incref(req->json);
	snprintf(sc->error, sizeof(sc->error), "%s", req->error);
	snprintf(sc->tracking_id, sizeof(sc->tracking_id), "%s", req->tracking_id);
}

/* GETs a list with every page (webex_get_all) and tells the run what a failure means. */
static int
get_list(struct spaces_run *run, char *url, const char *what, json_t *items, struct j2w_err *err)
{
	long status = 0;
	int rc;

	if (url == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = webex_get_all(run->client, url, "items", items, &status, err);
	free(url);
	if (rc == 0)
		return 0;
	if (status == 401 || status == 403 || status == 0 || status >= 500) {
		struct webex_req fake = { 0 };

		fake.status = status;
		snprintf(fake.error, sizeof(fake.error), "%.500s", err->msg);
		run_stops(run, &fake, what, 1);
		if (run->stop_reason[0])
			err_set(err, J2W_ESYS, "%s", run->stop_reason);
	}
	return -1;
}

/* ---- look-ups ------------------------------------------------------------------------ */

struct person_req {
	struct spaces_run *run;
	char *email;
	int *pending;
};

static void
on_person(struct webex_req *req, void *ctx)
{
	struct person_req *pr = ctx;
	struct spaces_run *run = pr->run;
	const json_t *items = json_object_get(req->json, "items");
	const char *id = NULL;

	(*pr->pending)--;
	if (req->status == 200 && json_array_size(items) == 1)
		id = json_string_value(json_object_get(json_array_get(items, 0), "id"));
	if (req->status == 200 || (req->status >= 400 && req->status < 500 && req->status != 401 &&
	    req->status != 403) || !run_stops(run, req, "looking up people", 1))
		json_object_set_new(run->people, pr->email, id != NULL ? json_string(id) : json_null());
	free(pr->email);
	free(pr);
}

static int
lookup_people(struct spaces_run *run, struct j2w_err *err)
{
	int pending = 0;

	if (run->people == NULL && (run->people = json_object()) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	for (size_t i = 0; i < run->nrooms; i++) {
		struct spaces_room *r = run->rooms[i];

		for (size_t k = 0; k < r->nmembers; k++) {
			struct spaces_member *m = &r->members[k];
			struct strbuf key;
			struct person_req *pr;
			struct webex_req *req;
			char *url;

			if (m->email == NULL || m->person_id != NULL || strcmp(m->state, "left_out") == 0)
				continue;
			strbuf_init(&key, 4096);
			if (email_key(&key, m->email) < 0 ||
			    json_object_get(run->people, key.buf) != NULL) {
				strbuf_release(&key);
				continue;
			}
			json_object_set_new(run->people, key.buf, json_false());	/* asked */
			url = url_add(webex_url(run->client, "/people", "email", m->email), "orgId",
			    run->org_id);
			pr = calloc(1, sizeof(*pr));
			req = NULL;
			if (url != NULL && pr != NULL)
				req = webex_req_new("GET", url, NULL, on_person, pr);
			free(url);
			if (req == NULL) {
				free(pr);
				strbuf_release(&key);
				return err_set(err, J2W_ESYS, "out of memory");
			}
			pr->run = run;
			pr->email = strbuf_detach(&key, NULL);
			pr->pending = &pending;
			pending++;
			webex_submit(run->client, req);
		}
	}
	while (pending > 0)
		if (webex_step(run->client, 200, err) < 0)
			return -1;
	if (run_stopping(run))
		return err_set(err, J2W_ESYS, "%s", run->stop_reason);
	/* what Webex did not know is left out, room by room */
	for (size_t i = 0; i < run->nrooms; i++) {
		struct spaces_room *r = run->rooms[i];

		for (size_t k = 0; k < r->nmembers; k++) {
			struct spaces_member *m = &r->members[k];
			struct strbuf key;
			const json_t *v;

			if (m->email == NULL || m->person_id != NULL || strcmp(m->state, "left_out") == 0)
				continue;
			strbuf_init(&key, 4096);
			email_key(&key, m->email);
			v = json_object_get(run->people, key.buf);
			strbuf_release(&key);
			if (json_is_string(v)) {
				m->person_id = strdup(json_string_value(v));
			} else {
				m->state = "left_out";
				free(m->reason);
				m->reason = strdup("no Webex user has this email");
			}
		}
	}
	return 0;
}

/* Submits one request and runs the client until it is answered. */
static int
sync_call(struct spaces_run *run, const char *method, char *url, const char *body,
    struct sync_call *sc, struct j2w_err *err)
{
	struct webex_req *req;

	memset(sc, 0, sizeof(*sc));
	if (url == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	req = webex_req_new(method, url, body, sync_done, sc);
	free(url);
	if (req == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	webex_submit(run->client, req);
	while (!sc->done)
		if (webex_step(run->client, 200, err) < 0)
			return -1;
	return 0;
}

/* Seconds since the epoch of an ISO-8601 UTC time, or -1. */
static time_t
iso_time(const char *s)
{
	struct tm tm = { 0 };
	const char *end;

	if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	return timegm(&tm);
}

/* Whether a message's text or Markdown holds needle. */
static int
message_has(const json_t *msg, const char *needle)
{
	const char *t = json_get_str(msg, "text"), *md = json_get_str(msg, "markdown");

	return (t != NULL && strstr(t, needle) != NULL) || (md != NULL && strstr(md, needle) != NULL);
}

/* The messages of a space (every page), cached by space id in cache. */
static json_t *
space_messages(struct spaces_run *run, json_t *cache, const char *space_id, struct j2w_err *err)
{
	json_t *items = json_object_get(cache, space_id);
	char *url;

	if (items != NULL)
		return items;
	items = json_array();
	url = url_add(webex_url(run->client, "/messages", "roomId", space_id), "max", "100");
	if (items == NULL || get_list(run, url, "reading a space's messages", items, err) < 0) {
		json_decref(items);
		return NULL;
	}
	json_object_set_new(cache, space_id, items);
	return items;
}

/* A space of the token's user with this title: made for the room (marker), or by us just now. */
static int
find_space(struct spaces_run *run, struct spaces_room *r, json_t *cache, struct j2w_err *err)
{
	time_t intent = iso_time(r->intent_utc);
	size_t i;
	json_t *sp;

	json_array_foreach(run->spaces, i, sp) {
		const char *id = json_get_str(sp, "id"), *title = json_get_str(sp, "title");
		const json_t *msgs, *m;
		size_t k;
		int marked = 0, other = 0;

		if (id == NULL || title == NULL || strcmp(title, r->title) != 0)
			continue;
		if ((msgs = space_messages(run, cache, id, err)) == NULL)
			return -1;
		json_array_foreach(msgs, k, m) {
			if (message_has(m, r->marker))
				marked = 1;
			else if (message_has(m, "j2w-space-"))
				other = 1;
		}
		if (marked) {
			r->space_id = strdup(id);
			/* ours when this journal was creating it; else made by another run */
			r->ours = strcmp(r->state, "creating") == 0;
			return 1;
		}
		/* killed between POST /rooms and the journal: ours if made by us after the intent */
		if (!other && strcmp(r->state, "creating") == 0 && intent >= 0 && run->me != NULL &&
		    json_get_str(sp, "creatorId") != NULL &&
		    strcmp(json_get_str(sp, "creatorId"), run->me) == 0 &&
		    iso_time(json_get_str(sp, "created")) >= intent - 120) {
			r->space_id = strdup(id);
			r->ours = 1;
			return 1;
		}
	}
	return 0;
}

/* Parts whose POST may have gone out before a kill: posted when their marker line is there. */
static int
find_parts(struct spaces_run *run, struct spaces_room *r, json_t *cache, struct j2w_err *err)
{
	for (size_t k = 0; k < r->nparts; k++) {
		struct spaces_part *p = &r->parts[k];
		struct strbuf line;
		const json_t *msgs, *m;
		size_t i;

		if (strcmp(p->state, "posting") != 0)
			continue;
		if ((msgs = space_messages(run, cache, r->space_id, err)) == NULL)
			return -1;
		strbuf_init(&line, 0);
		spaces_marker_line(&line, r->marker, (size_t)p->part, (size_t)p->parts);
		json_array_foreach(msgs, i, m) {
			if (message_has(m, line.buf) && json_get_str(m, "id") != NULL) {
				p->state = "posted";
				free(p->message_id);
				p->message_id = strdup(json_get_str(m, "id"));
				if (run->journal != NULL && run->commit &&
				    spacej_part_result(run->journal, r->room_jid, p->part, "posted",
				    p->message_id, -1, 0, NULL, NULL, err) < 0) {
					strbuf_release(&line);
					return -1;
				}
				break;
			}
		}
		strbuf_release(&line);
	}
	return 0;
}

int
spaces_lookup(struct spaces_run *run, struct j2w_err *err)
{
	struct sync_call sc;
	json_t *cache;
	int rc = 0;

	err_clear(err);
	if (!run->rollback && !run->resume && lookup_people(run, err) < 0)
		return -1;
	if (sync_call(run, "GET", webex_url(run->client, "/people/me", NULL, NULL), NULL, &sc,
	    err) < 0)
		return -1;
	if (sc.status == 200 && json_get_str(sc.json, "id") != NULL)
		run->me = strdup(json_get_str(sc.json, "id"));
	json_decref(sc.json);
	if (sc.status != 200) {
		struct webex_req fake = { 0 };

		fake.status = sc.status;
		fake.attempts = sc.attempts;
		snprintf(fake.error, sizeof(fake.error), "%s", sc.error);
		if (run_stops(run, &fake, "reading the token's own person (GET /people/me)", 1))
			return err_set(err, J2W_ESYS, "%s", run->stop_reason);
	}
	json_decref(run->spaces);
	if ((run->spaces = json_array()) == NULL || (cache = json_object()) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (get_list(run, url_add(url_add(webex_url(run->client, "/rooms", "type", "group"),
	    "sortBy", "created"), "max", "1000"), "listing spaces (GET /rooms)", run->spaces,
	    err) < 0) {
		json_decref(cache);
		return -1;
	}
	for (size_t i = 0; i < run->nrooms && rc == 0; i++) {
		struct spaces_room *r = run->rooms[i];
		int found = 0;

		if (r->space_id == NULL && strcmp(r->state, "done") != 0) {
			found = find_space(run, r, cache, err);
			if (found < 0) {
				rc = -1;
				break;
			}
			if (found && r->space_id == NULL)
				rc = err_set(err, J2W_ESYS, "out of memory");
			else if (found && r->ours)
				r->state = "created";
			else if (found)
				r->state = "exists";
			if (found && run->resume && run->journal != NULL && rc == 0 &&
			    (spacej_room_space(run->journal, r->room_jid, r->space_id, r->ours, 0, NULL,
			    err) < 0 || (!r->ours && spacej_room_state(run->journal, r->room_jid, "exists",
			    0, NULL, NULL, err) < 0)))
				rc = -1;
		}
		if (rc == 0 && r->space_id != NULL && r->ours && !run->rollback)
			rc = find_parts(run, r, cache, err);
	}
	json_decref(cache);
	return rc;
}

/* ---- commit: a state machine per room --------------------------------------------- */

static void room_advance(struct spaces_room *r);

static void
room_fatal(struct spaces_run *run, struct j2w_err *e)
{
	if (!run->fatal) {
		run->fatal = 1;
		run->fatal_err = *e;
	}
}

static void
room_finish(struct spaces_room *r, const char *state)
{
	struct spaces_run *run = r->run;
	struct j2w_err e;

	r->phase = PH_END;
	r->state = state;
	if (run->commit && !run->rollback && strcmp(state, "stopped") != 0 &&
	    spacej_room_state(run->journal, r->room_jid, state, r->http_status,
	    r->tracking_id[0] ? r->tracking_id : NULL, r->error[0] ? r->error : NULL, &e) < 0)
		room_fatal(run, &e);
	if (strcmp(state, "done") == 0)
		run->n.done++;
	else if (strcmp(state, "failed") == 0)
		run->n.failed++;
	else if (strcmp(state, "stopped") == 0)
		run->n.stopped++;
	else if (strcmp(state, "exists") == 0)
		run->n.exists++;
	if (run->emit != NULL)
		run->emit(run, r, run->emit_ctx);
	run->active--;
}

static void
room_error(struct spaces_room *r, const struct webex_req *req, const char *why)
{
	if (req != NULL) {
		r->http_status = req->status;
		snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", req->tracking_id);
	}
	if (r->error[0] == '\0')
		snprintf(r->error, sizeof(r->error), "%.500s", why != NULL ? why : req->error);
	r->failed = 1;
}

static int
submit(struct spaces_room *r, struct webex_req *req)
{
	struct j2w_err e;

	if (req == NULL) {
		err_set(&e, J2W_ESYS, "out of memory");
		room_fatal(r->run, &e);
		return -1;
	}
	r->inflight++;
	webex_submit(r->run->client, req);
	return 0;
}

static void
on_created(struct webex_req *req, void *ctx)
{
	struct spaces_room *r = ctx;
	struct spaces_run *run = r->run;
	const char *id = json_get_str(req->json, "id");
	struct j2w_err e;

	r->inflight--;
	if (req->status == 200 && id != NULL) {
		run->consecutive_403 = 0;
		r->space_id = strdup(id);
		r->ours = 1;
		r->state = "created";
		r->http_status = req->status;
		snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", req->tracking_id);
		run->n.created++;
		if (run->on_answer != NULL)
			run->on_answer("created", run->n.created);
		if (req->attempts > 1)
			snprintf(r->error, sizeof(r->error), "the request that created the space was "
			    "sent %d times: if Webex shows two spaces titled like this one, delete the "
			    "empty one", req->attempts);
		if (r->space_id == NULL || spacej_room_space(run->journal, r->room_jid, r->space_id, 1,
		    req->status, req->tracking_id, &e) < 0) {
			if (r->space_id == NULL)
				err_set(&e, J2W_ESYS, "out of memory");
			room_fatal(run, &e);
			room_finish(r, "stopped");
			return;
		}
		r->phase = PH_PARTS;
		room_advance(r);
		return;
	}
	if (run_stops(run, req, "creating a space (POST /rooms)", 1)) {
		room_finish(r, "stopped");
		return;
	}
	room_error(r, req, NULL);
	room_finish(r, "failed");
}

static void
create_space(struct spaces_room *r)
{
	struct spaces_run *run = r->run;
	json_t *o = json_pack("{sssb}", "title", r->title, "isLocked", 1);
	char *body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	char *url = webex_url(run->client, "/rooms", NULL, NULL);
	struct j2w_err e;

	json_decref(o);
	/* the intent first, synced: a kill after the POST must still know a space may exist */
	if (body == NULL || url == NULL) {
		err_set(&e, J2W_ESYS, "out of memory");
		room_fatal(run, &e);
	} else if (spacej_room_intent(run->journal, r->room_jid, &e) < 0) {
		room_fatal(run, &e);
	} else {
		r->state = "creating";
		submit(r, webex_req_new("POST", url, body, on_created, r));
	}
	free(body);
	free(url);
	if (r->inflight == 0)
		room_finish(r, "stopped");
}

static void
on_posted(struct webex_req *req, void *ctx)
{
	struct spaces_room *r = ctx;
	struct spaces_run *run = r->run;
	struct spaces_part *p = &r->parts[r->next_part];
	const char *id = json_get_str(req->json, "id");
	struct j2w_err e;

	r->inflight--;
	if (r->part_path != NULL) {
		unlink(r->part_path);
		free(r->part_path);
		r->part_path = NULL;
	}
	if (req->status == 200 && id != NULL) {
		run->consecutive_403 = 0;
		p->state = "posted";
		p->message_id = strdup(id);
		run->n.posted++;
		if (run->on_answer != NULL)
			run->on_answer("posted", run->n.posted);
		if (spacej_part_result(run->journal, r->room_jid, p->part, "posted", id, p->bytes,
		    req->status, req->tracking_id, NULL, &e) < 0) {
			room_fatal(run, &e);
			room_finish(r, "stopped");
			return;
		}
		r->next_part++;
		room_advance(r);
		return;
	}
	if (run_stops(run, req, "posting a space's history (POST /messages)", 1)) {
		room_finish(r, "stopped");
		return;
	}
	{
		char why[700];

		if (req->status == 413)
			snprintf(why, sizeof(why), "Webex refused the %lld-byte history page (%s): its "
			    "limit is below --max-file-size; roll back and run again with a smaller one",
			    p->bytes, req->error);
		else
			snprintf(why, sizeof(why), "posting part %d of the history: %s", p->part, req->error);
		p->state = "failed";
		free(p->error);
		p->error = strdup(why);
		room_error(r, req, why);
		if (spacej_part_result(run->journal, r->room_jid, p->part, "failed", NULL, -1,
		    req->status, req->tracking_id, why, &e) < 0)
			room_fatal(run, &e);
	}
	r->next_part++;
	room_advance(r);
}

/* Writes part p of the room's history into a file of its own (mode 0600). */
static int
write_part(struct spaces_run *run, struct spaces_room *r, struct spaces_part *p, char *path,
    size_t len, long long *bytes, struct j2w_err *err)
{
	struct chatexport_part sel = { p->since, p->until, NULL, NULL };
	struct chat_room_info ri = room_info(r);
	struct stat st;
	FILE *fp;
	int fd, rc;

	snprintf(path, len, "%s/room-%ld-part-%d.html", run->tmpdir, r->seq, p->part);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return err_set_errno(err, J2W_ESYS, "cannot write '%s'", path);
	}
	ri.messages = p->messages;
	ri.first_utc = p->first;
	ri.last_utc = p->last;
	rc = chatexport_room_part(run->db, &ri, CHATEXPORT_HTML, NULL, &sel, fp, err);
	if (fflush(fp) != 0 || ferror(fp)) {
		if (rc == 0)
			err_set_errno(err, J2W_ESYS, "cannot write '%s'", path);
		rc = -1;
	}
	if (fstat(fileno(fp), &st) == 0)
		*bytes = (long long)st.st_size;
	fclose(fp);
	if (rc < 0)
		unlink(path);
	return rc;
}

static void
post_part(struct spaces_room *r, struct spaces_part *p)
{
	struct spaces_run *run = r->run;
	struct spaces_summary sum = { r->room_jid, r->title, p->first, p->last, p->messages,
		r->messages, (size_t)p->part, (size_t)p->parts, run->digest, r->marker };
	struct strbuf md, text, name;
	struct webex_form_part form[4];
	char path[4096];
	long long bytes = -1;
	struct j2w_err e;
	char *url;

	if (write_part(run, r, p, path, sizeof(path), &bytes, &e) < 0) {
		room_fatal(run, &e);
		room_finish(r, "stopped");
		return;
	}
	p->bytes = bytes;
	if ((uint64_t)bytes > file_limit(run)) {
		char why[300];

		unlink(path);
		snprintf(why, sizeof(why), "part %d of the history is %lld bytes, over the %llu a "
		    "file may hold", p->part, bytes, (unsigned long long)file_limit(run));
		p->state = "failed";
		room_error(r, NULL, why);
		if (spacej_part_result(run->journal, r->room_jid, p->part, "failed", NULL, bytes, 0,
		    NULL, why, &e) < 0)
			room_fatal(run, &e);
		r->next_part++;
		room_advance(r);
		return;
	}
	if (spacej_part_intent(run->journal, r->room_jid, p->part, &e) < 0) {
		unlink(path);
		room_fatal(run, &e);
		room_finish(r, "stopped");
		return;
	}
	p->state = "posting";
	strbuf_init(&md, SPACES_MARKDOWN_MAX);
	strbuf_init(&text, SPACES_MARKDOWN_MAX);
	strbuf_init(&name, 0);
	spaces_summary_md(&md, &sum);
	spaces_summary_text(&text, &sum);
	spaces_file_name(&name, r->title, (size_t)p->part, (size_t)p->parts);
	form[0] = (struct webex_form_part){ "roomId", r->space_id, NULL, NULL, NULL };
	form[1] = (struct webex_form_part){ "markdown", md.buf, NULL, NULL, NULL };
	form[2] = (struct webex_form_part){ "text", text.buf, NULL, NULL, NULL };
	form[3] = (struct webex_form_part){ "files", NULL, path, name.buf, "text/html" };
	url = webex_url(run->client, "/messages", NULL, NULL);
	r->part_path = strdup(path);
	if (url != NULL)
		submit(r, webex_req_new_form("POST", url, form, 4, on_posted, r));
	free(url);
	strbuf_release(&md);
	strbuf_release(&text);
	strbuf_release(&name);
	if (r->inflight == 0) {
		err_set(&e, J2W_ESYS, "out of memory");
		room_fatal(run, &e);
		room_finish(r, "stopped");
	}
}

struct member_req {
	struct spaces_room *r;
	struct spaces_member *m;
};

static void
on_member(struct webex_req *req, void *ctx)
{
	struct member_req *mr = ctx;
	struct spaces_room *r = mr->r;
	struct spaces_member *m = mr->m;
	struct spaces_run *run = r->run;
	const char *state = NULL;
	struct j2w_err e;

	free(mr);
	r->inflight--;
	m->http_status = req->status;
	snprintf(m->tracking_id, sizeof(m->tracking_id), "%s", req->tracking_id);
	if (req->status == 200) {
		run->consecutive_403 = 0;
		state = "added";
		free(m->membership_id);
		m->membership_id = xdup(json_get_str(req->json, "id"));
		run->n.added++;
	} else if (req->status == 409) {
		state = "present";	/* "a person may not be added to a room more than once" */
		run->n.present++;
	} else if (!run_stops(run, req, "adding people to spaces (POST /memberships)", 0)) {
		state = "failed";
		free(m->reason);
		m->reason = strdup(req->error);
		run->n.member_failed++;
		r->failed = 1;
	}
	if (state != NULL) {
		m->state = state;
		if (spacej_member_result(run->journal, r->room_jid, m->jid, state, m->membership_id,
		    req->status, req->tracking_id, strcmp(state, "failed") == 0 ? m->reason : NULL,
		    &e) < 0)
			room_fatal(run, &e);
	}
	if (r->inflight == 0)
		room_advance(r);
}

static void
add_members(struct spaces_room *r)
{
	struct spaces_run *run = r->run;
	char *url = webex_url(run->client, "/memberships", NULL, NULL);

	r->phase = PH_END;
	for (size_t k = 0; k < r->nmembers && url != NULL; k++) {
		struct spaces_member *m = &r->members[k];
		struct member_req *mr;
		json_t *o;
		char *body;

		if (m->person_id == NULL || (strcmp(m->state, "pending") != 0 &&
		    strcmp(m->state, "failed") != 0))
			continue;
		if (run->me != NULL && strcmp(m->person_id, run->me) == 0) {
			m->state = "present";	/* the space's creator is in it already */
			run->n.present++;
			continue;
		}
		o = json_pack("{sssssb}", "roomId", r->space_id, "personId", m->person_id,
		    "isModerator", m->moderator);
		body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		mr = malloc(sizeof(*mr));
		if (body == NULL || mr == NULL) {
			free(body);
			free(mr);
			break;
		}
		mr->r = r;
		mr->m = m;
		if (submit(r, webex_req_new("POST", url, body, on_member, mr)) < 0)
			free(mr);
		free(body);
	}
	free(url);
	if (r->inflight == 0)
		room_advance(r);
}

static void
room_advance(struct spaces_room *r)
{
	struct spaces_run *run = r->run;

	if (r->inflight > 0)
		return;
	if (r->phase != PH_END && run_stopping(run)) {
		room_finish(r, "stopped");
		return;
	}
	switch (r->phase) {
	case PH_CREATE:
		if (r->space_id != NULL) {
			r->phase = PH_PARTS;
			room_advance(r);
		} else {
			create_space(r);
		}
		return;
	case PH_PARTS:
		while (r->next_part < r->nparts && strcmp(r->parts[r->next_part].state, "posted") == 0)
			r->next_part++;
		if (r->next_part < r->nparts) {
			post_part(r, &r->parts[r->next_part]);
			return;
		}
		r->phase = PH_MEMBERS;
		/* FALLTHROUGH */
	case PH_MEMBERS:
		add_members(r);
		return;
	default:
		if (run_stopping(run) && (strcmp(r->state, "created") == 0 ||
		    strcmp(r->state, "creating") == 0)) {
			int open = 0;

			for (size_t k = 0; k < r->nmembers; k++)
				open |= strcmp(r->members[k].state, "pending") == 0 &&
				    r->members[k].person_id != NULL;
			if (open) {
				room_finish(r, "stopped");
				return;
			}
		}
		room_finish(r, r->failed ? "failed" : "done");
	}
}

/* Members of the rooms this run acts on (a space already in Webex is left as it is). */
static void
count_members(struct spaces_run *run)
{
	for (size_t i = 0; i < run->nrooms; i++)
		for (size_t k = 0; strcmp(run->rooms[i]->state, "exists") != 0 &&
		    strcmp(run->rooms[i]->state, "done") != 0 && k < run->rooms[i]->nmembers; k++) {
			run->n.members++;
			if (strcmp(run->rooms[i]->members[k].state, "left_out") == 0)
				run->n.left_out++;
		}
}

static int
commit_rooms(struct spaces_run *run, struct j2w_err *err)
{
	size_t window = run->window > 0 ? run->window : 8, next = 0;
	char tmpl[] = "/tmp/j2w-spaces.XXXXXX";
	const char *tmp = getenv("TMPDIR");
	char path[4096];

	snprintf(path, sizeof(path), "%s/j2w-spaces.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
	if (mkdtemp(strlen(path) < sizeof(path) - 1 ? path : tmpl) == NULL ||
	    (run->tmpdir = strdup(path)) == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot make a temporary directory");
	for (;;) {
		while (next < run->nrooms && run->active < window && !run_stopping(run)) {
			struct spaces_room *r = run->rooms[next++];

			if (strcmp(r->state, "done") == 0 || (strcmp(r->state, "exists") == 0 &&
			    run->resume))
				continue;
			run->active++;
			if (strcmp(r->state, "exists") == 0) {
				room_finish(r, "exists");
				continue;
			}
			r->phase = PH_CREATE;
			r->failed = 0;
			r->error[0] = '\0';
			room_advance(r);
		}
		if (run->active == 0 && (next == run->nrooms || run_stopping(run)))
			break;
		if (webex_step(run->client, 200, err) < 0)
			return -1;
	}
	for (; next < run->nrooms; next++) {
		struct spaces_room *r = run->rooms[next];

		if (strcmp(r->state, "done") != 0 && strcmp(r->state, "exists") != 0)
			run->n.stopped++;
	}
	if (run->fatal) {
		*err = run->fatal_err;
		return -1;
	}
	return 0;
}

/* ---- rollback ---------------------------------------------------------------------------- */

static void
on_deleted(struct webex_req *req, void *ctx)
{
	struct spaces_room *r = ctx;
	struct spaces_run *run = r->run;
	struct j2w_err e;

	r->inflight--;
	r->http_status = req->status;
	snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", req->tracking_id);
	if (req->status == 204 || req->status == 200) {
		r->rb_state = "deleted";
		run->n.deleted++;
	} else if (req->status == 404) {
		r->rb_state = "gone";	/* deleted already, by someone or an earlier rollback */
		run->n.gone++;
	} else if (run_stops(run, req, "deleting a space (DELETE /rooms)", 1)) {
		r->rb_state = NULL;
		run->n.stopped++;
		snprintf(r->error, sizeof(r->error), "not done: %.490s", run->stop_reason);
		if (run->emit != NULL)
			run->emit(run, r, run->emit_ctx);
		run->active--;
		return;
	} else {
		r->rb_state = "failed";
		snprintf(r->error, sizeof(r->error), "%s", req->error);
		run->n.failed++;
	}
	if (spacej_room_rollback(run->journal, r->room_jid, r->rb_state, req->status,
	    req->tracking_id, strcmp(r->rb_state, "failed") == 0 ? r->error : NULL, &e) < 0)
		room_fatal(run, &e);
	if (run->emit != NULL)
		run->emit(run, r, run->emit_ctx);
	run->active--;
}

static int
rollback_rooms(struct spaces_run *run, struct j2w_err *err)
{
	size_t next = 0, window = run->window > 0 ? run->window * 4 : 32;

	for (;;) {
		while (next < run->nrooms && run->active < window && !run_stopping(run)) {
			struct spaces_room *r = run->rooms[next++];
			char *url;
			struct webex_req *req;

			if (!r->ours || r->space_id == NULL || (r->rb_state != NULL &&
			    strcmp(r->rb_state, "failed") != 0))
				continue;
			if (!run->commit) {
				r->rb_state = "planned";
				if (run->emit != NULL)
					run->emit(run, r, run->emit_ctx);
				continue;
			}
			url = webex_url_seg(run->client, "/rooms/", r->space_id, "");
			req = url != NULL ? webex_req_new("DELETE", url, NULL, on_deleted, r) : NULL;
			free(url);
			if (req == NULL)
				return err_set(err, J2W_ESYS, "out of memory");
			run->active++;
			r->inflight++;
			webex_submit(run->client, req);
		}
		if (run->active == 0 && (next == run->nrooms || run_stopping(run)))
			break;
		if (webex_step(run->client, 200, err) < 0)
			return -1;
	}
	if (run->fatal) {
		*err = run->fatal_err;
		return -1;
	}
	return 0;
}

int
spaces_execute(struct spaces_run *run, struct j2w_err *err)
{
	err_clear(err);
	if (run->rollback)
		return rollback_rooms(run, err);
	count_members(run);
	for (size_t i = 0; i < run->nrooms; i++) {
		struct spaces_room *r = run->rooms[i];

		run->n.files += r->nparts;
		r->action = strcmp(r->state, "exists") == 0 ? "exists" : r->space_id != NULL ||
		    strcmp(r->state, "creating") == 0 ? "resume" : "create";
	}
	if (run->commit)
		return commit_rooms(run, err);
	for (size_t i = 0; i < run->nrooms; i++) {
		struct spaces_room *r = run->rooms[i];

		if (strcmp(r->state, "exists") == 0)
			run->n.exists++;
		if (run->emit != NULL)
			run->emit(run, r, run->emit_ctx);
	}
	return 0;
}

/* ---- output ------------------------------------------------------------------------------ */

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, key, json_string(v));
}

json_t *
spaces_room_json(const struct spaces_run *run, const struct spaces_room *r)
{
	json_t *o = json_object(), *members = json_array(), *left = json_array(), *files = json_array();
	uint64_t bytes = 0;

	if (o == NULL || members == NULL || left == NULL || files == NULL) {
		json_decref(o);
		json_decref(members);
		json_decref(left);
		json_decref(files);
		return NULL;
	}
	set_str(o, "room", r->room_jid);
	set_str(o, "title", r->title);
	if (run->rollback) {
		set_str(o, "space_id", r->space_id);
		json_object_set_new(o, "action", json_string("delete"));
		set_str(o, "result", r->rb_state != NULL ? r->rb_state : "stopped");
		if (r->http_status)
			json_object_set_new(o, "http_status", json_integer(r->http_status));
		if (r->tracking_id[0])
			set_str(o, "tracking_id", r->tracking_id);
		if (r->error[0])
			set_str(o, "error", r->error);
		json_decref(members);
		json_decref(left);
		json_decref(files);
		return o;
	}
	set_str(o, "action", r->action != NULL ? r->action : "create");
	if (run->commit)
		set_str(o, "result", r->state);
	set_str(o, "space_id", r->space_id);
	for (size_t k = 0; k < r->nmembers; k++) {
		const struct spaces_member *m = &r->members[k];
		json_t *e = json_object();

		set_str(e, "jid", m->jid);
		if (strcmp(m->state, "left_out") == 0) {
			set_str(e, "email", m->email);
			set_str(e, "reason", m->reason);
			json_array_append_new(left, e);
			continue;
		}
		set_str(e, "email", m->email);
		json_object_set_new(e, "moderator", json_boolean(m->moderator));
		if (run->commit) {
			set_str(e, "state", m->state);
			if (strcmp(m->state, "failed") == 0)
				set_str(e, "error", m->reason);
		}
		json_array_append_new(members, e);
	}
	json_object_set_new(o, "members", members);
	json_object_set_new(o, "left_out", left);
	json_object_set_new(o, "messages", json_integer((json_int_t)r->messages));
	for (size_t k = 0; k < r->nparts; k++) {
		const struct spaces_part *p = &r->parts[k];
		json_t *f = json_object();
		struct strbuf name;
		char period[64];

		strbuf_init(&name, 0);
		spaces_file_name(&name, r->title, (size_t)p->part, (size_t)p->parts);
		set_str(f, "name", name.buf);
		strbuf_release(&name);
		if (p->first != NULL && p->last != NULL && strncmp(p->first, p->last, 10) != 0)
			snprintf(period, sizeof(period), "%.10s to %.10s", p->first, p->last);
		else
			snprintf(period, sizeof(period), "%.10s", p->first != NULL ? p->first : "");
		if (p->first != NULL)
			set_str(f, "period", period);
		json_object_set_new(f, "messages", json_integer((json_int_t)p->messages));
		if (p->bytes >= 0) {
			json_object_set_new(f, "bytes", json_integer(p->bytes));
			bytes += (uint64_t)p->bytes;
		}
		if (run->commit) {
			set_str(f, "state", p->state);
			set_str(f, "message_id", p->message_id);
			set_str(f, "error", p->error);
		}
		json_array_append_new(files, f);
	}
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "bytes", json_integer((json_int_t)bytes));
	if (run->commit) {
		if (r->http_status)
			json_object_set_new(o, "http_status", json_integer(r->http_status));
		if (r->tracking_id[0])
			set_str(o, "tracking_id", r->tracking_id);
		if (r->error[0])
			set_str(o, "error", r->error);
	}
	return o;
}
