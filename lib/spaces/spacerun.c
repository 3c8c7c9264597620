/* Rooms to spaces over the Webex client: the run, its rooms, plan, commit or roll back, output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spaces/spacerun_int.h"
#include "util/strbuf.h"

char *
spacerun_xdup(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

void
spacerun_room_free(struct spaces_room *r)
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
	run->pages_fd = -1;
}

void
spaces_run_release(struct spaces_run *run)
{
	for (size_t i = 0; i < run->nrooms; i++)
		spacerun_room_free(run->rooms[i]);
	free(run->rooms);
	json_decref(run->people);
	json_decref(run->spaces);
	free(run->me);
	spacepages_close(run);
	run->rooms = NULL;
	run->nrooms = 0;
	run->people = run->spaces = NULL;
	run->me = NULL;
}

int
spacerun_add_room(struct spaces_run *run, struct spaces_room *r)
{
	struct spaces_room **v = realloc(run->rooms, (run->nrooms + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	run->rooms = v;
	run->rooms[run->nrooms++] = r;
	r->run = run;
	return 0;
}

uint64_t
spacerun_file_limit(const struct spaces_run *run)
{
	return run->file_limit > 0 ? run->file_limit : SPACES_FILE_LIMIT;
}

struct chat_room_info
spacerun_room_info(const struct spaces_room *r)
{
	struct chat_room_info ri = { r->room_jid, r->name, NULL, NULL, r->type, r->messages,
		r->first, r->last };

	return ri;
}

void
spacerun_fatal(struct spaces_run *run, const struct j2w_err *e)
{
	if (!run->fatal) {
		run->fatal = 1;
		run->fatal_err = *e;
	}
}

/* ---- plan, commit or roll back ---------------------------------------------------------- */

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

int
spaces_execute(struct spaces_run *run, struct j2w_err *err)
{
	err_clear(err);
	if (run->rollback)
		return spacerollback_rooms(run, err);
	count_members(run);
	for (size_t i = 0; i < run->nrooms; i++) {
		struct spaces_room *r = run->rooms[i];

		run->n.files += r->nparts;
		r->action = strcmp(r->state, "exists") == 0 ? "exists" : r->space_id != NULL ||
		    strcmp(r->state, "creating") == 0 ? "resume" : "create";
	}
	if (run->commit)
		return spacecommit_rooms(run, err);
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
