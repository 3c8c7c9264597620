/* The apply engine: a small state machine per user over the webex client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "webex/apply.h"

static void item_get_behavior(struct apply_item *it);
static void item_finish(struct apply_item *it);

struct apply_item *
apply_item_new(long seq, const char *email, const char *source)
{
	struct apply_item *it = calloc(1, sizeof(*it));

	if (it == NULL)
		return NULL;
	it->seq = seq;
	it->email = strdup(email);
	it->source = source != NULL ? strdup(source) : NULL;
	if (it->email == NULL || (source != NULL && it->source == NULL)) {
		apply_item_free(it);
		return NULL;
	}
	return it;
}

static void
state_release(struct apply_state *s)
{
	free(s->profile_id);
	free(s->effective);
	memset(s, 0, sizeof(*s));
}

void
apply_item_free(struct apply_item *it)
{
	if (it == NULL)
		return;
	free(it->email);
	free(it->source);
	free(it->want_profile);
	free(it->want_profile_id);
	free(it->person_id);
	state_release(&it->before);
	state_release(&it->current);
	state_release(&it->after);
	free(it);
}

int
apply_state_equal(const struct apply_state *a, const struct apply_state *b)
{
	if (a->behavior != b->behavior)
		return 0;
	if (!behavior_uses_profile(a->behavior))
		return 1;	/* the server clears profileId for CISCOTEL: it cannot match */
	if (a->profile_id == NULL || b->profile_id == NULL)
		return a->profile_id == b->profile_id;
	return strcmp(a->profile_id, b->profile_id) == 0;
}

static int
state_set(struct apply_state *s, enum behavior b, const char *profile_id)
{
	state_release(s);
	s->known = 1;
	s->behavior = b;
	if (profile_id != NULL && (s->profile_id = strdup(profile_id)) == NULL)
		return -1;
	return 0;
}

/* The state in a callingBehavior answer. Returns 0, or -1 with why. */
static int
state_from_json(struct apply_state *s, const json_t *obj, char *why, size_t len)
{
	const json_t *bt = json_object_get(obj, "behaviorType");
	const json_t *pid = json_object_get(obj, "profileId");
	const char *eff = json_string_value(json_object_get(obj, "effectiveBehaviorType"));
	enum behavior b = BEHAVIOR_DEFAULT;

	if (!json_is_object(obj)) {
		snprintf(why, len, "the calling behaviour answer is not a JSON object");
		return -1;
	}
	if (json_is_string(bt)) {
		if (behavior_parse(json_string_value(bt), &b) < 0 || b == BEHAVIOR_DEFAULT) {
			snprintf(why, len, "unknown behaviorType '%.100s' in the answer",
			    json_string_value(bt));
			return -1;
		}
	} else if (bt != NULL && !json_is_null(bt)) {
		snprintf(why, len, "behaviorType in the answer is neither a string nor null");
		return -1;
	}
	if (pid != NULL && !json_is_null(pid) && !json_is_string(pid)) {
		snprintf(why, len, "profileId in the answer is not a string");
		return -1;
	}
	if (state_set(s, b, json_is_string(pid) && json_string_length(pid) > 0 ?
	    json_string_value(pid) : NULL) < 0) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (eff != NULL)
		s->effective = strdup(eff);
	return 0;
}

static const char *
state_behavior_text(const struct apply_state *s)
{
	const char *api = behavior_api_name(s->behavior);

	return api != NULL ? api : "default";
}

static void
state_describe(const struct apply_run *run, const struct apply_state *s, char *buf, size_t len)
{
	const char *prof = apply_profile_name(run, s->profile_id);

	if (behavior_uses_profile(s->behavior) && prof != NULL)
		snprintf(buf, len, "%s with profile '%.100s'", behavior_alias(s->behavior), prof);
	else
		snprintf(buf, len, "%s", behavior_alias(s->behavior));
}

/*
 * The users still to find: the n emails given, or the journal's users still
 * to do whose person is not known from an earlier run. 0, or -1 with err.
 */
static int
want_people(struct apply_run *run, struct people_index *idx, const char *const *emails,
    size_t n, struct j2w_err *err)
{
	struct journal_row rows[256];
	long last = 0;
	int got, rc = 0;

	if (emails != NULL) {
		for (size_t i = 0; i < n; i++)
			if (emails[i] != NULL && *emails[i] != '\0' &&
			    people_index_want(idx, emails[i]) < 0)
				return err_set(err, J2W_ESYS, "out of memory");
		return 0;
	}
	if (run->journal == NULL)
		return 0;
	while (rc == 0 && (got = journal_next_rows(run->journal, JOURNAL_TODO_APPLY, last,
	    rows, (int)(sizeof(rows) / sizeof(rows[0])), err)) > 0) {
		for (int i = 0; i < got; i++) {
			if (rc == 0 && rows[i].person_id == NULL &&
			    people_index_want(idx, rows[i].email) < 0)
				rc = err_set(err, J2W_ESYS, "out of memory");
			last = rows[i].seq;
			journal_row_release(&rows[i]);
		}
	}
	return got < 0 ? -1 : rc;
}

int
apply_read_org(struct apply_run *run, int people, const char *const *emails, size_t n,
    struct apply_reads *out, struct j2w_err *err)
{
	struct webex_walk *walks[2];
	struct people_index *idx = NULL;
	size_t nwalks = 0;
	char *url;

	memset(out, 0, sizeof(*out));
	memset(&run->listing, 0, sizeof(run->listing));
	run->listing.walk.done = 1;	/* nobody is listed unless the wave is large enough */
	out->people = &run->listing.walk;
	if (people) {
		if ((idx = people_index_new()) == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		if (want_people(run, idx, emails, n, err) < 0) {
			people_index_free(idx);
			return -1;
		}
	}
	json_decref(run->profiles);
	run->profiles = json_array();
	url = webex_url(run->client, "/telephony/config/callingProfiles", NULL, NULL);
	if (run->profiles == NULL || url == NULL) {
		free(url);
		people_index_free(idx);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	webex_walk_start(run->client, &out->profiles, url, "callingProfiles", webex_page_append,
	    run->profiles);
	free(url);
	walks[nwalks++] = &out->profiles;
	if (idx != NULL && people_index_wanted(idx) >= APPLY_BULK_MIN) {
		people_list_start(run->client, idx, &run->listing);
		walks[nwalks++] = &run->listing.walk;
	}
	if (webex_walk_wait(run->client, walks, nwalks, err) < 0) {
		people_index_free(idx);
		return -1;
	}
	if (out->profiles.rc < 0 && out->profiles.status == 401)
		run->unauthorized = 1;
	if (idx != NULL && people_index_found(idx) > 0) {
		people_index_free(run->people);
		run->people = idx;
	} else {
		people_index_free(idx);
	}
	return 0;
}

int
apply_journal_org(struct journal *j, const char *org_id, char **use, struct j2w_err *err)
{
	char *had = NULL;

	*use = NULL;
	if (org_id != NULL && *org_id == '\0')
		org_id = NULL;
	if (journal_meta_get(j, "org_id", &had, err) < 0)
		return -1;
	if (org_id != NULL && had == NULL)
		return err_set(err, J2W_EUSAGE, "journal '%s' was made for the token's own org, "
		    "not org '%s' (leave out --org-id and WEBEX_ORG_ID)", j->path, org_id);
	if (org_id != NULL && strcmp(org_id, had) != 0) {
		err_set(err, J2W_EUSAGE, "journal '%s' was made for org '%s', not '%s' "
		    "(give --org-id %s)", j->path, had, org_id, had);
		free(had);
		return -1;
	}
	*use = had;
	return 0;
}

const char *
apply_profile_id(const struct apply_run *run, const char *name, int *ambiguous)
{
	const char *found = NULL;
	size_t i, nfold = 0;
	json_t *p;

	*ambiguous = 0;
	json_array_foreach(run->profiles, i, p) {
		const char *n = json_string_value(json_object_get(p, "name"));

		if (n != NULL && strcmp(n, name) == 0) {
			if (found != NULL) {
				*ambiguous = 1;
				return NULL;
			}
			found = json_string_value(json_object_get(p, "id"));
		}
	}
	if (found != NULL)
		return found;
	json_array_foreach(run->profiles, i, p) {
		const char *n = json_string_value(json_object_get(p, "name"));

		if (n != NULL && strcasecmp(n, name) == 0) {
			found = json_string_value(json_object_get(p, "id"));
			nfold++;
		}
	}
	if (nfold > 1) {
		*ambiguous = 1;
		return NULL;
	}
	return found;
}

const char *
apply_profile_name(const struct apply_run *run, const char *id)
{
	size_t i;
	json_t *p;

	if (id == NULL)
		return NULL;
	json_array_foreach(run->profiles, i, p) {
		const char *pid = json_string_value(json_object_get(p, "id"));

		if (pid != NULL && strcmp(pid, id) == 0) {
			const char *n = json_string_value(json_object_get(p, "name"));

			return n != NULL ? n : id;
		}
	}
	return id;
}

/* The state this run wants the user in: desired (apply) or before (rollback). */
static void
item_target(const struct apply_item *it, struct apply_state *t)
{
	memset(t, 0, sizeof(*t));
	t->known = 1;
	if (it->run->rollback) {
		t->behavior = it->before.behavior;
		t->profile_id = it->before.profile_id;
	} else {
		t->behavior = it->want;
		t->profile_id = it->want_profile_id;
	}
}

static void item_hold(struct apply_item *it, const struct webex_req *req);

/* What a request asks for: a person (0) or a calling behaviour (1). */
static int
req_kind(const struct webex_req *req)
{
	return strstr(req->url, "/features/callingBehavior") != NULL;
}

static void
item_fail(struct apply_item *it, const struct webex_req *req, const char *why)
{
	struct apply_run *run = it->run;

	if (req != NULL) {
		it->http_status = req->status;
		snprintf(it->tracking_id, sizeof(it->tracking_id), "%s", req->tracking_id);
	}
	if (it->action == NULL)
		it->action = "error";
	if (req != NULL && req->status == 401) {
		run->unauthorized = 1;
		it->result = "stopped";
		snprintf(it->error, sizeof(it->error), "the token was refused (HTTP 401)");
	} else if (req != NULL && req->stopped) {
		/* not this user's fault: it stays as the journal had it, for --resume */
		it->result = "stopped";
		snprintf(it->error, sizeof(it->error), "%s", req->error);
	} else if (req != NULL && req->status == 403 && why == NULL) {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "%s", req->error);
		if (run->forbidden) {
			it->result = "stopped";
			snprintf(it->error, sizeof(it->error), "not done: %.490s", run->forbidden_what);
		} else {
			item_hold(it, req);
			return;
		}
	} else {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "%s", why != NULL ? why : req->error);
	}
	item_finish(it);
}

/*
 * Finishes the users held for a 403: failed (it was about them), or stopped
 * (about everyone, or the run stopped before it could tell) and left to do.
 */
static void
release_held(struct apply_run *run, int stopped)
{
	size_t n = run->nheld;

	run->nheld = 0;
	run->probed = 0;
	for (size_t i = 0; i < n; i++) {
		struct apply_item *it = run->held[i];

		run->held[i] = NULL;
		if (stopped) {
			it->result = "stopped";
			snprintf(it->error, sizeof(it->error), "not done: %.490s", run->forbidden_what);
		}
		item_finish(it);
	}
}

/*
 * A request was answered 2xx: if it is of the kind held for a 403 and left
 * after the first of them came (not merely before a restriction did), the 403s
 * were about their users.
 */
static void
note_success(struct apply_item *it, const struct webex_req *req)
{
	struct apply_run *run = it->run;
	char **ok = req_kind(req) ? &run->ok_person : &run->ok_email;
	const char *who = req_kind(req) ? it->person_id : it->email;

	if (*ok == NULL && who != NULL)
		*ok = strdup(who);
	if (run->nheld > 0 && req_kind(req) == run->forbidden_kind &&
	    req->sent_at > run->held_since)
		release_held(run, 0);
}

static void
on_probe(struct webex_req *req, void *ctx)
{
	struct apply_run *run = ctx;
	char what[512];

	webex_describe(req, what, sizeof(what));
	if (req->status >= 200 && req->status <= 299) {
		release_held(run, 0);
	} else if (req->status == 403 && strcmp(what, run->forbidden_what) == 0) {
		/* refused now for someone who was answered before: everyone is */
		run->forbidden = 1;
		run->forbidden_users = run->nheld;
		webex_stop(run->client, run->forbidden_what);
		release_held(run, 1);
	} else {
		release_held(run, req->stopped);
	}
}

/*
 * Users are held for the same 403 (a row of them, or the run's last ones):
 * ask again for someone who was answered earlier in the run (a read).
 * Refused now, the 403 is about everyone and the run stops; answered, it was
 * about those users. With nobody answered yet, a row of them is everyone's.
 */
static void
probe_held(struct apply_run *run)
{
	const char *who = run->forbidden_kind ? run->ok_person : run->ok_email;
	struct webex_req *req;
	char *url;

	run->probed = 1;
	if (who == NULL) {
		if (run->nheld >= APPLY_FORBIDDEN_ROW) {
			run->forbidden = 1;
			run->forbidden_users = run->nheld;
			webex_stop(run->client, run->forbidden_what);
		}
		release_held(run, run->forbidden);
		return;
	}
	url = run->forbidden_kind ? webex_url_seg(run->client, "/people/", who,
	    "/features/callingBehavior") : webex_url(run->client, "/people", "email", who);
	req = url != NULL ? webex_req_new("GET", url, NULL, on_probe, run) : NULL;
	free(url);
	if (req == NULL) {
		release_held(run, 0);
		return;
	}
	webex_submit(run->client, req);
}

/*
 * A 403 may be about one user, or about everyone (a full administrator
 * restricted Call Settings API access; the token lacks a scope). Its result
 * waits: a success of the same kind of request, sent after it came, makes it
 * that user's failure. The same 403 for APPLY_FORBIDDEN_ROW users in a row,
 * all but the first sent after it came, is checked with a probe; refused, the
 * run stops and those users stay to do.
 */
static void
item_hold(struct apply_item *it, const struct webex_req *req)
{
	struct apply_run *run = it->run;
	int kind = req_kind(req);

	if (run->nheld > 0 && (kind != run->forbidden_kind ||
	    strcmp(run->forbidden_what, it->error) != 0))
		release_held(run, 0);	/* another answer: a row of its own */
	if (run->nheld == run->held_cap) {
		size_t cap = run->held_cap ? run->held_cap * 2 : 8;
		struct apply_item **v = realloc(run->held, cap * sizeof(*v));

		if (v == NULL) {
			item_finish(it);	/* it stays failed: memory is short */
			return;
		}
		run->held = v;
		run->held_cap = cap;
	}
	if (run->nheld == 0) {
		snprintf(run->forbidden_what, sizeof(run->forbidden_what), "%s", it->error);
		run->forbidden_kind = kind;
		run->held_since = req->done_at;
		run->held_after = 0;
	} else if (req->sent_at > run->held_since) {
		run->held_after++;
	}
	run->held[run->nheld++] = it;
	if (run->held_after + 1 >= APPLY_FORBIDDEN_ROW && !run->probed)
		probe_held(run);
}

static int
item_send(struct apply_item *it, const char *method, char *url, const char *body,
    webex_done_fn *done)
{
	struct webex_req *req;

	if (url == NULL) {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "out of memory");
		item_finish(it);
		return -1;
	}
	req = webex_req_new(method, url, body, done, it);
	free(url);
	if (req == NULL) {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "out of memory");
		item_finish(it);
		return -1;
	}
	webex_submit(it->run->client, req);
	return 0;
}

static void
on_person(struct webex_req *req, void *ctx)
{
	struct apply_item *it = ctx;
	const json_t *items, *id;

	if (req->status != 200) {
		item_fail(it, req, NULL);
		return;
	}
	items = json_object_get(req->json, "items");
	if (!json_is_array(items)) {
		item_fail(it, req, "the people answer has no 'items' list");
		return;
	}
	if (json_array_size(items) == 0) {
		item_fail(it, NULL, "no Webex user has this email");
		return;
	}
	if (json_array_size(items) > 1) {
		item_fail(it, NULL, "more than one Webex user has this email");
		return;
	}
	note_success(it, req);
	id = json_object_get(json_array_get(items, 0), "id");
	if (!json_is_string(id) || json_string_length(id) == 0) {
		item_fail(it, req, "the person in the answer has no id");
		return;
	}
	it->person_id = strdup(json_string_value(id));
	item_get_behavior(it);
}

static void on_current(struct webex_req *req, void *ctx);
static void on_put(struct webex_req *req, void *ctx);
static char *put_body(const struct apply_state *t);
static void on_verify(struct webex_req *req, void *ctx);

static void
item_get_behavior(struct apply_item *it)
{
	item_send(it, "GET", webex_url_seg(it->run->client, "/people/", it->person_id,
	    "/features/callingBehavior"), NULL, on_current);
}

static void
item_start(struct apply_item *it)
{
	const char *id = it->person_id == NULL && it->run->people != NULL ?
	    people_index_get(it->run->people, it->email) : NULL;

	if (id != NULL && (it->person_id = strdup(id)) == NULL) {
		item_fail(it, NULL, "out of memory");
		return;
	}
	if (it->person_id != NULL) {
		item_get_behavior(it);
		return;
	}
	item_send(it, "GET", webex_url(it->run->client, "/people", "email", it->email), NULL,
	    on_person);
}

static char *
put_body(const struct apply_state *t)
{
	json_t *o = json_object();
	const char *api = behavior_api_name(t->behavior);
	char *s;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "behaviorType", api != NULL ? json_string(api) : json_null());
	json_object_set_new(o, "profileId", t->profile_id != NULL ? json_string(t->profile_id) :
	    json_null());
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static void
item_put(struct apply_item *it)
{
	struct apply_state target;
	char *body;

	item_target(it, &target);
	body = put_body(&target);
	if (body == NULL) {
		item_fail(it, NULL, "out of memory");
		return;
	}
	it->put_sent = 1;
	item_send(it, "PUT", webex_url_seg(it->run->client, "/people/", it->person_id,
	    "/features/callingBehavior"), body, on_put);
	free(body);
}

/* Journals the waiting intents in one synced transaction, then sends their PUTs. */
static void
flush_intents(struct apply_run *run)
{
	size_t n = run->nintents;
	int failed = 0;

	if (n == 0)
		return;
	run->nintents = 0;
	if (journal_begin_durable(run->journal, &run->fatal_err) < 0) {
		failed = 1;
	} else {
		for (size_t i = 0; i < n && !failed; i++) {
			struct apply_item *it = run->intents[i];
			const struct apply_state *b = it->before.known ? &it->before : &it->current;

			if (journal_intent(run->journal, it->seq, it->person_id,
			    state_behavior_text(b), b->profile_id, it->current.effective,
			    &run->fatal_err) < 0)
				failed = 1;
		}
		if (failed)
			journal_abort(run->journal);
		else if (journal_commit(run->journal, &run->fatal_err) < 0)
			failed = 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct apply_item *it = run->intents[i];

		if (failed) {
			/* nothing was sent: the user stays as the journal had it */
			run->fatal = 1;
			it->result = "stopped";
			snprintf(it->error, sizeof(it->error), "the journal failed");
			item_finish(it);
		} else {
			item_put(it);
		}
	}
}

static void
on_current(struct webex_req *req, void *ctx)
{
	struct apply_item *it = ctx;
	struct apply_run *run = it->run;
	struct apply_state target;
	char why[256];

	if (req->status != 200) {
		item_fail(it, req, NULL);
		return;
	}
	note_success(it, req);
	if (state_from_json(&it->current, req->json, why, sizeof(why)) < 0) {
		item_fail(it, req, why);
		return;
	}
	it->http_status = req->status;
	snprintf(it->tracking_id, sizeof(it->tracking_id), "%s", req->tracking_id);
	item_target(it, &target);
	if (apply_state_equal(&it->current, &target)) {
		it->action = "skip";
		it->result = "unchanged";
		item_finish(it);
		return;
	}
	if (run->rollback && !run->force) {
		struct apply_state desired = { 1, it->want, it->want_profile_id, NULL };

		if (!apply_state_equal(&it->current, &desired)) {
			char now[160];

			state_describe(run, &it->current, now, sizeof(now));
			it->action = "conflict";
			it->result = "conflict";
			snprintf(it->error, sizeof(it->error), "changed by someone else since j2w-apply "
			    "wrote it (now %s); not restored (--force restores anyway)", now);
			item_finish(it);
			return;
		}
	}
	it->action = run->rollback ? "restore" : "update";
	if (!run->commit) {
		it->result = "planned";
		item_finish(it);
		return;
	}
	if (!run->rollback) {
		/*
		 * The intent first: a kill after the PUT must still know the state
		 * before. Intents of users decided together share one synced commit.
		 */
		if (run->nintents == run->intents_cap) {
			size_t cap = run->intents_cap ? run->intents_cap * 2 : 32;
			struct apply_item **v = realloc(run->intents, cap * sizeof(*v));

			if (v == NULL) {
				item_fail(it, NULL, "out of memory");
				return;
			}
			run->intents = v;
			run->intents_cap = cap;
		}
		run->intents[run->nintents++] = it;
		return;
	}
	item_put(it);
}

static void
on_put(struct webex_req *req, void *ctx)
{
	struct apply_item *it = ctx;
	struct apply_state target;

	it->attempts += req->attempts;
	if (req->status < 200 || req->status > 299) {
		item_fail(it, req, NULL);
		return;
	}
	note_success(it, req);
	it->http_status = req->status;
	snprintf(it->tracking_id, sizeof(it->tracking_id), "%s", req->tracking_id);
	item_target(it, &target);
	if (it->run->verify) {
		item_send(it, "GET", webex_url_seg(it->run->client, "/people/", it->person_id,
		    "/features/callingBehavior"), NULL, on_verify);
		return;
	}
	state_set(&it->after, target.behavior, target.profile_id);
	it->result = it->run->rollback ? "restored" : "applied";
	item_finish(it);
}

static void
on_verify(struct webex_req *req, void *ctx)
{
	struct apply_item *it = ctx;
	struct apply_state target;
	char why[256];

	if (req->status != 200) {
		item_fail(it, req, NULL);
		return;
	}
	note_success(it, req);
	if (state_from_json(&it->after, req->json, why, sizeof(why)) < 0) {
		item_fail(it, req, why);
		return;
	}
	item_target(it, &target);
	if (!apply_state_equal(&it->after, &target)) {
		char got[160];

		state_describe(it->run, &it->after, got, sizeof(got));
		snprintf(it->error, sizeof(it->error), "written, but reading it back gives %s", got);
		it->result = "failed";
		item_finish(it);
		return;
	}
	it->result = it->run->rollback ? "restored" : "verified";
	item_finish(it);
}

static void
item_journal(struct apply_item *it)
{
	struct apply_run *run = it->run;
	const char *res = it->result;
	int rc = 0;

	if (run->journal == NULL || !run->commit || strcmp(res, "stopped") == 0)
		return;		/* a stopped user stays pending or writing for --resume */
	if (run->rollback) {
		const char *rb = strcmp(res, "restored") == 0 ? "restored" :
		    strcmp(res, "unchanged") == 0 ? "unchanged" :
		    strcmp(res, "conflict") == 0 ? "conflict" : "failed";

		rc = journal_rollback_result(run->journal, it->seq, rb, it->http_status,
		    it->tracking_id[0] ? it->tracking_id : NULL, it->attempts,
		    it->error[0] ? it->error : NULL, &run->fatal_err);
	} else {
		struct journal_result r = { 0 };
		const struct apply_state *after = it->after.known ? &it->after :
		    strcmp(res, "unchanged") == 0 ? &it->current : NULL;

		/*
		 * Unchanged now but not as it was before an earlier, interrupted run
		 * wrote it: that write is ours, and --rollback must undo it.
		 */
		if (strcmp(res, "unchanged") == 0 && it->before.known &&
		    !apply_state_equal(&it->before, &it->current))
			res = "applied";
		r.state = strcmp(res, "unchanged") == 0 ? "unchanged" :
		    strcmp(res, "applied") == 0 ? "applied" :
		    strcmp(res, "verified") == 0 ? "verified" : "failed";
		r.person_id = it->person_id;
		if (it->current.known && !it->before.known) {
			r.before_behavior = state_behavior_text(&it->current);
			r.before_profile_id = it->current.profile_id;
		}
		if (after != NULL) {
			r.after_behavior = state_behavior_text(after);
			r.after_profile_id = after->profile_id;
		}
		r.http_status = it->http_status;
		r.tracking_id = it->tracking_id[0] ? it->tracking_id : NULL;
		r.attempts = it->attempts;
		r.error = it->error[0] ? it->error : NULL;
		rc = journal_result(run->journal, it->seq, &r, &run->fatal_err);
	}
	if (rc < 0)
		run->fatal = 1;
}

static void
item_finish(struct apply_item *it)
{
	struct apply_run *run = it->run;
	const char *r = it->result;

	item_journal(it);
	if (strcmp(r, "unchanged") == 0)
		run->n.unchanged++;
	else if (strcmp(r, "planned") == 0)
		run->n.planned++;
	else if (strcmp(r, "applied") == 0)
		run->n.applied++;
	else if (strcmp(r, "verified") == 0)
		run->n.verified++;
	else if (strcmp(r, "restored") == 0)
		run->n.restored++;
	else if (strcmp(r, "conflict") == 0)
		run->n.conflict++;
	else if (strcmp(r, "stopped") == 0)
		run->n.stopped++;
	else
		run->n.failed++;
	run->n.users++;
	if (run->emit != NULL)
		run->emit(it, run->emit_ctx);
	run->active--;
	apply_item_free(it);
}

/* Whether the run must not take more users: it stopped, or the client did. */
static int
run_stopping(const struct apply_run *run)
{
	return run->fatal || run->unauthorized || run->forbidden ||
	    webex_stop_reason(run->client) != WEBEX_RUNNING;
}

int
apply_execute(struct apply_run *run, struct j2w_err *err)
{
	/* one request per user at a time: the window is how many can be in flight */
	size_t window = run->window > 0 ? run->window : 16;

	for (;;) {
		while (!run->source_done && !run_stopping(run) && run->active < window) {
			struct apply_item *it = NULL;
			int rc = run->next(&it, run->next_ctx, err);

			if (rc < 0)
				return -1;
			if (rc == 0) {
				run->source_done = 1;
				break;
			}
			it->run = run;
			run->active++;
			if (it->result != NULL) {
				/* refused before any request (bad row, unknown profile) */
				if (it->action == NULL)
					it->action = "error";
				item_finish(it);
				continue;
			}
			item_start(it);
		}
		/* users held for a 403 with nothing left that could tell */
		if (run->nheld > 0 && webex_pending(run->client) == 0 && run->nintents == 0 &&
		    (run->source_done || run_stopping(run))) {
			if (!run_stopping(run) && !run->probed && run->nheld >= APPLY_FORBIDDEN_ROW)
				probe_held(run);
			else
				release_held(run, webex_stop_reason(run->client) != WEBEX_RUNNING);
		}
		if (run->active == 0 && (run->source_done || run_stopping(run)))
			break;
		/* the last users: a read and a write each at most, as people are known */
		if (run->source_done)
			webex_expect(run->client, 2 * run->active);
		if (webex_step(run->client, 200, err) < 0)
			return -1;
		flush_intents(run);
	}
	free(run->intents);
	run->intents = NULL;
	run->intents_cap = 0;
	free(run->held);
	run->held = NULL;
	run->held_cap = 0;
	free(run->ok_person);
	free(run->ok_email);
	run->ok_person = run->ok_email = NULL;
	if (run->fatal) {
		*err = run->fatal_err;
		return -1;
	}
	return 0;
}

json_t *
apply_item_json(const struct apply_run *run, const struct apply_item *it)
{
	json_t *o = json_object(), *cur = NULL, *des;
	struct apply_state target;

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "email", json_string(it->email));
	if (it->person_id != NULL)
		json_object_set_new(o, "person_id", json_string(it->person_id));
	if (it->current.known) {
		const char *api = behavior_api_name(it->current.behavior);
		const char *prof = apply_profile_name(run, it->current.profile_id);

		cur = json_object();
		json_object_set_new(cur, "behavior", api ? json_string(api) : json_null());
		json_object_set_new(cur, "profile", prof ? json_string(prof) : json_null());
		json_object_set_new(o, "current", cur);
	}
	if (run->rollback && !it->before.known) {
		des = json_null();
	} else {
		const char *api, *prof;

		if (run->rollback) {
			item_target(it, &target);
			prof = apply_profile_name(run, target.profile_id);
		} else {
			target.behavior = it->want;
			prof = it->want_profile != NULL ? it->want_profile :
			    apply_profile_name(run, it->want_profile_id);
		}
		api = behavior_api_name(target.behavior);
		des = json_object();
		json_object_set_new(des, "behavior", api ? json_string(api) : json_null());
		json_object_set_new(des, "profile", prof ? json_string(prof) : json_null());
	}
	json_object_set_new(o, "desired", des);
	json_object_set_new(o, "action", json_string(it->action ? it->action : "error"));
	json_object_set_new(o, "result", json_string(it->result ? it->result : "failed"));
	if (it->http_status)
		json_object_set_new(o, "http_status", json_integer(it->http_status));
	if (it->tracking_id[0])
		json_object_set_new(o, "tracking_id", json_string(it->tracking_id));
	if (it->attempts)
		json_object_set_new(o, "attempts", json_integer(it->attempts));
	if (it->error[0])
		json_object_set_new(o, "error", json_string(it->error));
	if (it->source != NULL)
		json_object_set_new(o, "source", json_string(it->source));
	return o;
}
