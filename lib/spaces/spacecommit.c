/* A spaces commit: a state machine per room (create, post the history, add the members). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spaces/spacerun_int.h"
#include "util/jsonl.h"
#include "util/strbuf.h"

enum { PH_CREATE, PH_PARTS, PH_MEMBERS, PH_END };

static void room_advance(struct spaces_room *r);

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
		spacerun_fatal(run, &e);
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

/*
 * A space or a history message whose answer was lost (a 5xx, a dropped
 * connection): Webex may have made it. It is not asked for again, which
 * could make it twice; the room stops here, and --resume finds out.
 */
static void
room_unsure(struct spaces_room *r, const struct webex_req *req, const char *what)
{
	char why[700];

	snprintf(why, sizeof(why), "%s may or may not have been made (%.400s): it is not asked "
	    "for again, so that nothing is made twice; --resume finds out", what, req->error);
	room_error(r, req, why);
	r->run->n.unsure++;
	room_finish(r, "stopped");
}

static int
submit(struct spaces_room *r, struct webex_req *req)
{
	struct j2w_err e;

	if (req == NULL) {
		err_set(&e, J2W_ESYS, "out of memory");
		spacerun_fatal(r->run, &e);
		return -1;
	}
	r->inflight++;
	webex_submit(r->run->client, req);
	return 0;
}

/* A request that makes something each time: never sent again when its answer is lost. */
static struct webex_req *
made_once(struct webex_req *req)
{
	if (req != NULL)
		req->once = 1;
	return req;
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
		if (r->space_id == NULL || spacej_room_space(run->journal, r->room_jid, r->space_id, 1,
		    req->status, req->tracking_id, &e) < 0) {
			if (r->space_id == NULL)
				err_set(&e, J2W_ESYS, "out of memory");
			spacerun_fatal(run, &e);
			room_finish(r, "stopped");
			return;
		}
		r->phase = PH_PARTS;
		room_advance(r);
		return;
	}
	if (req->unsure) {
		room_unsure(r, req, "the space");
		return;
	}
	if (spaceclient_stops(run, req, "creating a space (POST /rooms)", 1)) {
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
		spacerun_fatal(run, &e);
	} else if (spacej_room_intent(run->journal, r->room_jid, &e) < 0) {
		spacerun_fatal(run, &e);
	} else {
		r->state = "creating";
		submit(r, made_once(webex_req_new("POST", url, body, on_created, r)));
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
			spacerun_fatal(run, &e);
			room_finish(r, "stopped");
			return;
		}
		r->next_part++;
		room_advance(r);
		return;
	}
	if (req->unsure) {
		char what[64];

		snprintf(what, sizeof(what), "part %d of the history", p->part);
		room_unsure(r, req, what);
		return;
	}
	if (spaceclient_stops(run, req, "posting a space's history (POST /messages)", 1)) {
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
			spacerun_fatal(run, &e);
	}
	r->next_part++;
	room_advance(r);
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

	if (spacepages_write(run, r, p, path, sizeof(path), &bytes, &e) < 0) {
		spacerun_fatal(run, &e);
		room_finish(r, "stopped");
		return;
	}
	p->bytes = bytes;
	if ((uint64_t)bytes > spacerun_file_limit(run)) {
		char why[300];

		unlink(path);
		snprintf(why, sizeof(why), "part %d of the history is %lld bytes, over the %llu a "
		    "file may hold", p->part, bytes, (unsigned long long)spacerun_file_limit(run));
		p->state = "failed";
		room_error(r, NULL, why);
		if (spacej_part_result(run->journal, r->room_jid, p->part, "failed", NULL, bytes, 0,
		    NULL, why, &e) < 0)
			spacerun_fatal(run, &e);
		r->next_part++;
		room_advance(r);
		return;
	}
	if (spacej_part_intent(run->journal, r->room_jid, p->part, &e) < 0) {
		unlink(path);
		spacerun_fatal(run, &e);
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
		submit(r, made_once(webex_req_new_form("POST", url, form, 4, on_posted, r)));
	free(url);
	strbuf_release(&md);
	strbuf_release(&text);
	strbuf_release(&name);
	if (r->inflight == 0) {
		err_set(&e, J2W_ESYS, "out of memory");
		spacerun_fatal(run, &e);
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
		m->membership_id = spacerun_xdup(json_get_str(req->json, "id"));
		run->n.added++;
	} else if (req->status == 409) {
		state = "present";	/* "a person may not be added to a room more than once" */
		run->n.present++;
	} else if (!spaceclient_stops(run, req, "adding people to spaces (POST /memberships)", 0)) {
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
			spacerun_fatal(run, &e);
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
	if (r->phase != PH_END && spaceclient_stopping(run)) {
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
		if (spaceclient_stopping(run) && (strcmp(r->state, "created") == 0 ||
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

int
spacecommit_rooms(struct spaces_run *run, struct j2w_err *err)
{
	size_t window = run->window > 0 ? run->window : 8, next = 0;

	if (spacepages_open(run, err) < 0)
		return -1;
	for (;;) {
		while (next < run->nrooms && run->active < window && !spaceclient_stopping(run)) {
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
		if (run->active == 0 && (next == run->nrooms || spaceclient_stopping(run)))
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
