/* A spaces run's look-ups, read-only: people, the token's person, the spaces made for rooms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spaces/spacerun_int.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"

/* An email as the people look-up keys it: lower case. */
static int
email_key(struct strbuf *sb, const char *email)
{
	return utf8_lower(sb, email, strlen(email));
}

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
	    req->status != 403) || !spaceclient_stops(run, req, "looking up people", 1))
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
			url = webex_url(run->client, "/people", "email", m->email);
			url = spaceclient_url_add(url, "orgId", run->org_id);
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
	if (spaceclient_stopping(run))
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
	url = spaceclient_url_add(webex_url(run->client, "/messages", "roomId", space_id), "max",
	    "100");
	if (items == NULL ||
	    spaceclient_get_list(run, url, "reading a space's messages", items, err) < 0) {
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
	struct spaceclient_sync sc;
	json_t *cache;
	char *url;
	int rc = 0;

	err_clear(err);
	if (!run->rollback && !run->resume && lookup_people(run, err) < 0)
		return -1;
	if (spaceclient_sync(run, "GET", webex_url(run->client, "/people/me", NULL, NULL), NULL,
	    &sc, err) < 0)
		return -1;
	if (sc.status == 200 && json_get_str(sc.json, "id") != NULL)
		run->me = strdup(json_get_str(sc.json, "id"));
	json_decref(sc.json);
	if (sc.status != 200) {
		struct webex_req fake = { 0 };

		fake.status = sc.status;
		fake.attempts = sc.attempts;
		snprintf(fake.error, sizeof(fake.error), "%s", sc.error);
		if (spaceclient_stops(run, &fake, "reading the token's own person (GET /people/me)", 1))
			return err_set(err, J2W_ESYS, "%s", run->stop_reason);
	}
	json_decref(run->spaces);
	if ((run->spaces = json_array()) == NULL || (cache = json_object()) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	url = spaceclient_url_add(spaceclient_url_add(webex_url(run->client, "/rooms", "type",
	    "group"), "sortBy", "created"), "max", "1000");
	if (spaceclient_get_list(run, url, "listing spaces (GET /rooms)", run->spaces, err) < 0) {
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
