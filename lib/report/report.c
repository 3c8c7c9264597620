/* The report model: findings, users, waves and archives, counted and ordered for the writers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "webex/wave.h"

struct fix_entry {
	const char *tool, *check, *fix;
};

/* Generated from the docs/checks pages by scripts/gen-report-fixes. */
static const struct fix_entry doc_fixes[] = {
#include "report/report_fixes.inc"
};

static int
oom(struct j2w_err *err)
{
	return err_set(err, J2W_ESYS, "out of memory");
}

void
report_init(struct report *r)
{
	memset(r, 0, sizeof(*r));
}

static void
item_release(struct report_item *it)
{
	free(it->tool);
	free(it->check);
	free(it->subject);
	free(it->view);
	free(it->message);
	free(it->fix);
	free(it->user);
	free(it->domain);
}

void
report_release(struct report *r)
{
	for (size_t i = 0; i < r->nitems; i++)
		item_release(&r->items[i]);
	free(r->items);
	for (size_t i = 0; i < r->nwaves; i++) {
		free(r->waves[i].name);
		free(r->waves[i].journal);
		json_decref(r->waves[i].users);
	}
	free(r->waves);
	for (size_t i = 0; i < r->narchives; i++) {
		struct report_archive *a = &r->archives[i];

		free(a->name);
		free(a->first);
		free(a->last);
		free(a->status);
		free(a->when);
	}
	free(r->archives);
	for (size_t i = 0; i < r->nsources; i++)
		free(r->sources[i].name);
	free(r->sources);
	for (size_t i = 0; i < r->npersons; i++) {
		free(r->persons[i].label);
		free(r->persons[i].address);
		free(r->persons[i].email);
		free(r->persons[i].kind);
	}
	for (size_t i = 0; i < r->nrules; i++) {
		free(r->rules[i].wave);
		free(r->rules[i].path);
		rules_release(&r->rules[i].rules);
	}
	free(r->rules);
	free(r->persons);
	json_decref(r->person_index);
	for (size_t i = 0; i < r->nareas; i++)
		free(r->areas[i].tool);
	free(r->areas);
	free(r->order);
	free(r->dns_domain);
	json_decref(r->user_domains);
	memset(r, 0, sizeof(*r));
}

static enum report_status
status_code(const char *status)
{
	if (strcmp(status, "ok") == 0)
		return RS_OK;
	if (strcmp(status, "review") == 0)
		return RS_REVIEW;
	if (strcmp(status, "blocked") == 0)
		return RS_BLOCKED;
	return RS_OTHER;
}

/* Whether status a is worse than b: blocked, review, ok, then a status not known. */
static int
status_worse(enum report_status a, enum report_status b)
{
	static const int rank[] = { 1, 2, 3, 0 };

	return rank[a] > rank[b];
}

/* A lower-cased copy of s, or NULL (also for s NULL); sets *bad on ENOMEM. */
static char *
lower_dup(const char *s, int *bad)
{
	struct strbuf sb;

	if (s == NULL)
		return NULL;
	strbuf_init(&sb, 0);
	if (utf8_lower(&sb, s, strlen(s)) < 0) {
		strbuf_release(&sb);
		*bad = 1;
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

int
report_person_note(struct report *r, const char *key, const char *status, const char *address,
    const char *email, const char *label, const unsigned char *kind, size_t *idx, int *repeat,
    struct j2w_err *err)
{
	enum report_status st = status_code(status);
	struct report_person *p;
	int bad = 0;
	json_t *at;

	r->user_records++;
	*repeat = 0;
	if (key != NULL && r->person_index != NULL &&
	    (at = json_object_get(r->person_index, key)) != NULL) {
		*idx = (size_t)json_integer_value(at);
		p = &r->persons[*idx];
		p->copies++;
		if (status_worse(st, p->status))
			p->status = st;
		if (p->address == NULL && address != NULL && (p->address = strdup(address)) == NULL)
			return oom(err);
		/* a wave that takes either copy takes the person (j2w-apply does it once) */
		for (size_t w = 0; kind != NULL && p->kind != NULL && w < r->nrules; w++)
			if (kind[w] == WAVE_USER)
				p->kind[w] = WAVE_USER;
		*repeat = 1;
		return 0;
	}
	if (r->npersons == r->persons_cap) {
		size_t cap = r->persons_cap ? r->persons_cap * 2 : 256;
		struct report_person *v = realloc(r->persons, cap * sizeof(*v));

		if (v == NULL)
			return oom(err);
		r->persons = v;
		r->persons_cap = cap;
	}
	p = &r->persons[r->npersons];
	memset(p, 0, sizeof(*p));
	p->status = st;
	p->copies = 1;
	p->items = REPORT_NONE;
	p->label = strdup(label);
	p->address = address != NULL ? strdup(address) : NULL;
	p->email = lower_dup(email, &bad);
	if (kind != NULL && r->nrules > 0 && (p->kind = malloc(r->nrules)) != NULL)
		memcpy(p->kind, kind, r->nrules);
	if (p->label == NULL || (address != NULL && p->address == NULL) || bad ||
	    (kind != NULL && r->nrules > 0 && p->kind == NULL))
		goto fail;
	if (key != NULL) {
		if (r->person_index == NULL && (r->person_index = json_object()) == NULL)
			goto fail;
		if (json_object_set_new_nocheck(r->person_index, key,
		    json_integer((json_int_t)r->npersons)) < 0)
			goto fail;
	}
	*idx = r->npersons++;
	return 0;
fail:
	free(p->label);
	free(p->address);
	free(p->email);
	free(p->kind);
	return oom(err);
}

/* Counts the people by status, and by the domain of their address for the DNS findings. */
static int
count_people(struct report *r, struct j2w_err *err)
{
	struct strbuf dom;
	int rc = 0;

	memset(r->users, 0, sizeof(r->users));
	r->users_other = 0;
	strbuf_init(&dom, 1024);
	for (size_t i = 0; i < r->npersons && rc == 0; i++) {
		const struct report_person *p = &r->persons[i];
		const char *at;
		json_int_t n;

		if (p->status == RS_OTHER)
			r->users_other++;
		else
			r->users[p->status]++;
		if (p->address == NULL || (at = strrchr(p->address, '@')) == NULL || at[1] == '\0')
			continue;
		if (r->user_domains == NULL && (r->user_domains = json_object()) == NULL) {
			rc = oom(err);
			break;
		}
		strbuf_reset(&dom);
		if (utf8_lower(&dom, at + 1, strlen(at + 1)) < 0)
			continue;	/* a domain longer than any DNS name: no DNS finding is about it */
		n = json_integer_value(json_object_get(r->user_domains, dom.buf));
		if (json_object_set_new_nocheck(r->user_domains, dom.buf, json_integer(n + 1)) < 0)
			rc = oom(err);
	}
	strbuf_release(&dom);
	return rc;
}

/*
 * A DNS finding at WARN or above affects the users whose address is in its
 * domain: says how many, as reconcile counted them.
 */
static int
dns_affects(struct report *r, struct j2w_err *err)
{
	struct strbuf sb;

	if (r->user_domains == NULL)
		return 0;
	strbuf_init(&sb, 1024);
	for (size_t i = 0; i < r->nitems; i++) {
		struct report_item *it = &r->items[i];
		json_int_t n;

		if (it->sev < SEV_WARN || it->user != NULL || it->domain == NULL ||
		    strcmp(it->tool, "j2w-dns-check") != 0)
			continue;
		n = json_integer_value(json_object_get(r->user_domains, it->domain));
		if (n <= 0)
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%lld user%s with @%s addresses", (long long)n, n == 1 ? "" : "s",
		    it->domain);
		if ((it->user = strdup(sb.buf)) == NULL) {
			strbuf_release(&sb);
			return oom(err);
		}
		it->affects_n = (unsigned long)n;
	}
	strbuf_release(&sb);
	return 0;
}

/* strdup that keeps NULL; sets *bad on ENOMEM. */
static char *
dup_or_null(const char *s, int *bad)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*bad = 1;
	return d;
}

int
report_add_item(struct report *r, const char *tool, const char *check, enum severity sev,
    const char *subject, const char *view, const char *message, const char *fix,
    const char *user, const char *domain, struct j2w_err *err)
{
	struct report_item *it;
	int bad = 0;

	if (r->nitems == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct report_item *v = realloc(r->items, cap * sizeof(*v));

		if (v == NULL)
			return oom(err);
		r->items = v;
		r->cap = cap;
	}
	it = &r->items[r->nitems];
	memset(it, 0, sizeof(*it));
	it->tool = dup_or_null(tool, &bad);
	it->check = dup_or_null(check, &bad);
	it->subject = dup_or_null(subject, &bad);
	it->view = dup_or_null(view, &bad);
	it->message = dup_or_null(message, &bad);
	it->fix = dup_or_null(fix, &bad);
	it->user = dup_or_null(user, &bad);
	it->domain = dup_or_null(domain, &bad);
	it->sev = sev;
	it->seq = r->nitems;
	it->person = REPORT_NONE;
	it->person_next = REPORT_NONE;
	it->affects_n = 1;
	if (bad) {
		item_release(it);
		return oom(err);
	}
	r->nitems++;
	return 0;
}

int
report_add_unreadable(struct report *r, const char *where, const char *why, struct j2w_err *err)
{
	r->unreadable++;
	return report_add_item(r, "j2w-report", "INPUT", SEV_ERROR, where, NULL, why,
	    "make this file again with the j2w command that writes it and give the report "
	    "that output; the report leaves this line out", NULL, NULL, err);
}

/* Replaces *dst with a copy of src (NULL kept); returns 0, or -1 on ENOMEM with *dst unchanged. */
static int
replace_str(char **dst, const char *src)
{
	char *d = NULL;

	if (src != NULL && (d = strdup(src)) == NULL)
		return -1;
	free(*dst);
	*dst = d;
	return 0;
}

int
report_add_person_item(struct report *r, size_t idx, int repeat, const char *tool,
    const char *check, enum severity sev, const char *subject, const char *view,
    const char *message, const char *fix, struct j2w_err *err)
{
	struct report_person *p = &r->persons[idx];
	struct report_item *it;

	if (repeat) {
		/* another cluster's copy of the person: each check is listed once, at its worst */
		for (size_t k = p->items; k != REPORT_NONE; k = r->items[k].person_next) {
			it = &r->items[k];
			if (strcmp(it->tool, tool) != 0 || strcmp(it->check, check) != 0)
				continue;
			if (sev > it->sev) {
				if (replace_str(&it->subject, subject) < 0 ||
				    replace_str(&it->view, view) < 0 ||
				    replace_str(&it->message, message) < 0 ||
				    replace_str(&it->fix, fix) < 0)
					return oom(err);
				it->sev = sev;
			}
			return 0;
		}
	}
	if (report_add_item(r, tool, check, sev, subject, view, message, fix, p->label, NULL,
	    err) < 0)
		return -1;
	it = &r->items[r->nitems - 1];
	it->person = idx;
	it->person_next = p->items;
	p->items = r->nitems - 1;
	return 0;
}

unsigned long
report_group_people(const struct report *r, size_t from, size_t to)
{
	json_t *seen = json_object();
	struct strbuf key;
	unsigned long n = 0;

	strbuf_init(&key, 0);
	for (size_t k = from; k < to; k++) {
		const struct report_item *it = &r->items[r->order[k]];

		strbuf_reset(&key);
		if (it->person != REPORT_NONE)
			strbuf_addf(&key, "p%zu", it->person);
		else if (it->user != NULL)
			strbuf_addf(&key, "u%s", it->user);
		else
			continue;
		if (seen == NULL || key.len == 0) {
			n += it->affects_n;	/* out of memory: each finding counts */
			continue;
		}
		if (json_object_get(seen, key.buf) != NULL)
			continue;
		if (json_object_set_new_nocheck(seen, key.buf, json_true()) < 0) {
			json_decref(seen);
			seen = NULL;
		}
		n += it->affects_n;
	}
	strbuf_release(&key);
	json_decref(seen);
	return n;
}

static struct report_wave *
wave_get(struct report *r, const char *name, struct j2w_err *err)
{
	struct report_wave *v, *w;

	for (size_t i = 0; i < r->nwaves; i++)
		if (strcmp(r->waves[i].name, name) == 0)
			return &r->waves[i];
	v = realloc(r->waves, (r->nwaves + 1) * sizeof(*v));
	if (v == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		return NULL;
	}
	r->waves = v;
	w = &v[r->nwaves];
	memset(w, 0, sizeof(*w));
	w->name = strdup(name);
	w->users = json_object();
	if (w->name == NULL || w->users == NULL) {
		free(w->name);
		json_decref(w->users);
		err_set(err, J2W_ESYS, "out of memory");
		return NULL;
	}
	r->nwaves++;
	return w;
}

int
report_apply_note(struct report *r, const char *wave, const char *email,
    enum report_apply_state state, const char *result, const char *error, struct j2w_err *err)
{
	struct report_wave *w = wave_get(r, wave, err);
	struct strbuf key;
	json_t *o;
	int rc = 0;

	if (w == NULL)
		return -1;
	if (email == NULL)
		email = "(no email)";
	strbuf_init(&key, 4096);
	if (utf8_lower(&key, email, strlen(email)) < 0) {
		strbuf_release(&key);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	o = json_pack("{s:i, s:s, s:s?, s:s}", "state", (int)state, "result", result,
	    "error", error, "email", email);
	if (o == NULL || json_object_set_new(w->users, key.buf, o) < 0)
		rc = err_set(err, J2W_ESYS, "out of memory");
	strbuf_release(&key);
	return rc;
}

int
report_wave_journal(struct report *r, const char *wave, const char *path, struct j2w_err *err)
{
	struct report_wave *w = wave_get(r, wave, err);

	if (w == NULL)
		return -1;
	if (w->journal != NULL)
		return 0;	/* two journals of one wave: the fix names the first */
	if ((w->journal = strdup(path)) == NULL)
		return oom(err);
	return 0;
}

/*
 * The finding an apply user needs (check set to NULL: none), and its
 * fix in fix: the wave's journal is named when the report read one.
 */
static void
apply_finding(const struct report_wave *w, const char *result, int state, const char **check,
    enum severity *sev, struct strbuf *fix)
{
	char resume[4200];

	if (w->journal != NULL)
		snprintf(resume, sizeof(resume), "j2w-apply --resume %.4096s --commit", w->journal);
	else
		snprintf(resume, sizeof(resume), "j2w-apply --resume with the wave's journal file "
		    "and --commit");
	*check = NULL;
	strbuf_reset(fix);
	if (strcmp(result, "conflict") == 0) {
		*check = "APPLY-CONFLICT";
		*sev = SEV_FAIL;
		strbuf_addstr(fix, "someone changed this user's calling setting in Control Hub "
		    "since the run: look at it there and decide which one is right");
	} else if (state == RA_FAILED) {
		*check = "APPLY-FAILED";
		*sev = SEV_FAIL;
		strbuf_addf(fix, "correct what the error says (in Control Hub, or in the wave's "
		    "input), then run %s", resume);
	} else if (state == RA_PENDING) {
		*check = "APPLY-NOT-DONE";
		*sev = SEV_WARN;
		strbuf_addf(fix, "finish the wave: run %s", resume);
	}
}

static int
wave_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_wave *)a)->name, ((const struct report_wave *)b)->name);
}

/* What a wave's rules made of a person it left out. */
static enum report_left
left_kind(unsigned char kind)
{
	switch (kind) {
	case WAVE_BLOCKED: return RL_BLOCKED;
	case WAVE_NO_RULE: return RL_NO_RULE;
	case WAVE_IGNORED: return RL_IGNORED;
	case WAVE_BAD: return RL_UNUSABLE;
	default: return RL_MISSING;
	}
}

static const char *const left_why[RL_NKINDS] = {
	"blocked by j2w-reconcile", "matched no rule", "left out by an ignore rule",
	"no usable Webex email", "the rules take them, but the wave's journal or results do not"
};

/*
 * The message of an APPLY-LEFT-OUT finding. known holds what the waves with
 * rules made of the person ("; wave1: matched no rule"), unknown the names of
 * the waves without rules ("; wave2"); blocked adds that j2w-reconcile
 * blocked them, for when no wave's rules say so.
 */
static void
left_message(struct strbuf *out, const struct strbuf *known, const struct strbuf *unknown,
    size_t nunknown, int blocked)
{
	if (known->len == 0) {
		strbuf_addf(out, "in none of the waves given (%s)", unknown->buf + 2);
	} else {
		strbuf_addf(out, "in no wave (%s", known->buf + 2);
		if (nunknown > 0)
			strbuf_addf(out, "; %s: not known without %s rules", unknown->buf + 2,
			    nunknown == 1 ? "its" : "their");
		strbuf_addch(out, ')');
	}
	if (blocked)
		strbuf_addstr(out, "; j2w-reconcile blocked them");
}

/*
 * Whom each wave left out: the reconcile people not in it, by what its rules
 * (when given) made of them; and an APPLY-LEFT-OUT finding for each person in
 * no wave at all, saying why where the rules tell.
 */
static int
left_out(struct report *r, struct j2w_err *err)
{
	size_t *rules_of = NULL;	/* per wave: its rules in r->rules, or REPORT_NONE */
	struct strbuf msg, fix, parts, unknown;
	int rc = 0;

	r->left_out = 0;
	if (r->nwaves == 0)
		return 0;
	if ((rules_of = malloc(r->nwaves * sizeof(*rules_of))) == NULL)
		return oom(err);
	for (size_t i = 0; i < r->nwaves; i++) {
		rules_of[i] = REPORT_NONE;
		for (size_t k = 0; k < r->nrules; k++) {
			if (strcmp(r->rules[k].wave, r->waves[i].name) == 0) {
				rules_of[i] = k;
				r->rules[k].used = 1;
				r->waves[i].has_rules = 1;
				break;
			}
		}
		memset(r->waves[i].left, 0, sizeof(r->waves[i].left));
	}
	strbuf_init(&msg, 0);
	strbuf_init(&fix, 0);
	strbuf_init(&parts, 0);
	strbuf_init(&unknown, 0);
	for (size_t p = 0; p < r->npersons && rc == 0; p++) {
		const struct report_person *pp = &r->persons[p];
		int in_any = 0, known = 0, blocked = pp->status == RS_BLOCKED;
		enum report_left why = RL_MISSING;
		size_t nunknown = 0;

		strbuf_reset(&parts);
		strbuf_reset(&unknown);
		for (size_t i = 0; i < r->nwaves; i++) {
			struct report_wave *w = &r->waves[i];
			enum report_left k;

			if (pp->email != NULL && json_object_get(w->users, pp->email) != NULL) {
				in_any = 1;
				continue;
			}
			if (rules_of[i] == REPORT_NONE || pp->kind == NULL) {
				strbuf_addf(&unknown, ", %s", w->name);
				nunknown++;
				continue;
			}
			k = left_kind(pp->kind[rules_of[i]]);
			w->left[k]++;
			strbuf_addf(&parts, "; %s: %s", w->name, left_why[k]);
			if (!known)
				why = k;
			known = 1;
		}
		if (in_any)
			continue;
		r->left_out++;
		if (!known)
			why = blocked ? RL_BLOCKED : RL_MISSING;
		strbuf_reset(&msg);
		left_message(&msg, &parts, &unknown, nunknown, blocked && !(known && why == RL_BLOCKED));
		strbuf_reset(&fix);
		if (why == RL_BLOCKED)
			strbuf_addstr(&fix, "correct what j2w-reconcile found for this user (their "
			    "reconcile findings), then put them in a later wave");
		else if (why == RL_NO_RULE)
			strbuf_addstr(&fix, "add a rule that matches this user to the rules of the "
			    "wave meant for them, or record why they stay on Jabber");
		else if (why == RL_IGNORED)
			strbuf_addstr(&fix, "put this user in the wave meant for them: an ignore rule "
			    "kept them out of the waves given");
		else if (why == RL_UNUSABLE)
			strbuf_addstr(&fix, "give this user a valid Webex email (their Directory URI "
			    "in Unified CM), then put them in a later wave");
		else if (known)
			strbuf_addstr(&fix, "run the wave again with the same input and rules "
			    "(j2w-apply --rules), or check that the journal given is the wave's");
		else
			strbuf_addstr(&fix, "put this user in a later wave; give the report each "
			    "wave's rules (--rules FILE) to see why a wave left them out");
		rc = report_add_person_item(r, p, 0, "j2w-apply", "APPLY-LEFT-OUT", SEV_INFO,
		    pp->email != NULL ? pp->email : pp->label, NULL, msg.buf, fix.buf, err);
	}
	strbuf_release(&msg);
	strbuf_release(&fix);
	strbuf_release(&parts);
	strbuf_release(&unknown);
	free(rules_of);
	return rc;
}

void
report_wave_left(const struct report *r, const struct report_wave *w, struct strbuf *sb)
{
	static const char *const what[RL_NKINDS] = {
		"blocked by j2w-reconcile", "matched no rule", "by an ignore rule",
		"without a usable Webex email", "taken by the rules but not in the journal or results"
	};
	int any = 0;

	if (!w->has_rules) {
		strbuf_addstr(sb, r->npersons > 0 ? "not known: give the report this wave's rules "
		    "(--rules FILE)" : "not known: give the report the j2w-reconcile output and this "
		    "wave's rules (--rules FILE)");
		return;
	}
	for (int k = 0; k < RL_NKINDS; k++) {
		if (w->left[k] == 0)
			continue;
		strbuf_addf(sb, "%s%lu %s", any ? ", " : "", w->left[k], what[k]);
		any = 1;
	}
	if (!any)
		strbuf_addstr(sb, r->npersons > 0 ? "nobody" : "not known: give the report the "
		    "j2w-reconcile output");
}

/* Counts each wave and adds the apply findings (failed, conflict, not done). */
static int
apply_finish(struct report *r, struct j2w_err *err)
{
	/* waves by name, so that the order of the inputs does not show */
	if (r->nwaves > 1)
		qsort(r->waves, r->nwaves, sizeof(*r->waves), wave_cmp);
	for (size_t i = 0; i < r->nwaves; i++) {
		struct report_wave *w = &r->waves[i];
		const char *key;
		json_t *u;

		memset(w->n, 0, sizeof(w->n));
		json_object_foreach(w->users, key, u) {
			int state = (int)json_integer_value(json_object_get(u, "state"));
			const char *result = json_string_value(json_object_get(u, "result"));
			const char *error = json_string_value(json_object_get(u, "error"));
			const char *email = json_string_value(json_object_get(u, "email"));
			const char *check;
			enum severity sev;
			struct strbuf msg, fix;
			int rc;

			if (state < 0 || state >= RA_NSTATES)
				continue;
			w->n[state]++;
			strbuf_init(&fix, 8192);
			apply_finding(w, result, state, &check, &sev, &fix);
			if (check == NULL) {
				strbuf_release(&fix);
				continue;
			}
			strbuf_init(&msg, 8192);
			strbuf_addf(&msg, "wave %s: %s", w->name, result);
			if (error != NULL)
				strbuf_addf(&msg, ": %s", error);
			rc = report_add_item(r, "j2w-apply", check, sev, email, NULL, msg.buf, fix.buf,
			    email, NULL, err);
			strbuf_release(&msg);
			strbuf_release(&fix);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}

struct report_archive *
report_add_archive(struct report *r, const char *name, struct j2w_err *err)
{
	struct report_archive *v, *a;

	v = realloc(r->archives, (r->narchives + 1) * sizeof(*v));
	if (v == NULL) {
		oom(err);
		return NULL;
	}
	r->archives = v;
	a = &v[r->narchives];
	memset(a, 0, sizeof(*a));
	if ((a->name = strdup(name)) == NULL) {
		oom(err);
		return NULL;
	}
	a->rooms = a->members = a->messages = a->files = a->rejected = -1;
	r->narchives++;
	return a;
}

int
report_add_source(struct report *r, const char *name, const char *kind, unsigned long records,
    unsigned long long size, const char *sha256, struct j2w_err *err)
{
	struct report_source *v = realloc(r->sources, (r->nsources + 1) * sizeof(*v)), *s;

	if (v == NULL)
		return oom(err);
	r->sources = v;
	s = &v[r->nsources];
	memset(s, 0, sizeof(*s));
	if ((s->name = strdup(name)) == NULL)
		return oom(err);
	s->kind = kind;
	s->records = records;
	s->size = size;
	snprintf(s->sha256, sizeof(s->sha256), "%s", sha256);
	r->nsources++;
	return 0;
}

const char *
report_doc_fix(const char *tool, const char *check)
{
	size_t lo = 0, hi = sizeof(doc_fixes) / sizeof(doc_fixes[0]);

	if (tool == NULL || check == NULL)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(doc_fixes[mid].tool, tool);

		if (c == 0)
			c = strcmp(doc_fixes[mid].check, check);
		if (c == 0)
			return doc_fixes[mid].fix;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
report_item_fix(const struct report_item *it)
{
	if (it->fix != NULL)
		return it->fix;
	/* a check that passed has nothing to fix: the documented fix is for when it fails */
	return it->sev == SEV_OK ? NULL : report_doc_fix(it->tool, it->check);
}

/* Where an area comes in the report: input problems, then the pipeline's order. */
static int
area_rank(const char *tool)
{
	static const char *const order[] = {
		"j2w-report", "j2w-reconcile", "j2w-jabber-config", "j2w-dns-check", "j2w-apply",
		"j2w-chat-archive"
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(tool, order[i]) == 0)
			return (int)i;
	return 99;
}

/* Severities worst first for reading: FAIL, ERROR, WARN, INFO, OK. */
static int
sev_rank(enum severity s)
{
	switch (s) {
	case SEV_FAIL: return 0;
	case SEV_ERROR: return 1;
	case SEV_WARN: return 2;
	case SEV_INFO: return 3;
	default: return 4;
	}
}

static const struct report *sort_model;	/* qsort has no context argument */

static int
order_cmp(const void *a, const void *b)
{
	const struct report_item *x = &sort_model->items[*(const size_t *)a];
	const struct report_item *y = &sort_model->items[*(const size_t *)b];
	int c = area_rank(x->tool) - area_rank(y->tool);

	if (c == 0)
		c = strcmp(x->tool, y->tool);
	if (c == 0)
		c = sev_rank(x->sev) - sev_rank(y->sev);
	if (c == 0)
		c = strcmp(x->check, y->check);
	if (c == 0)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

int
report_finish(struct report *r, struct j2w_err *err)
{
	if (count_people(r, err) < 0 || apply_finish(r, err) < 0 || left_out(r, err) < 0 ||
	    dns_affects(r, err) < 0)
		return -1;
	if (r->records == 0 && r->journals == 0 && r->narchives == 0 &&
	    report_add_item(r, "j2w-report", "NO-INPUT", SEV_ERROR, NULL, NULL,
	    "no records were read: readiness is not shown", "give the report the output of "
	    "j2w-reconcile, j2w-jabber-config lint, j2w-dns-check and j2w-apply", NULL, NULL,
	    err) < 0)
		return -1;
	r->order = malloc((r->nitems ? r->nitems : 1) * sizeof(*r->order));
	if (r->order == NULL)
		return oom(err);
	for (size_t i = 0; i < r->nitems; i++)
		r->order[i] = i;
	sort_model = r;
	qsort(r->order, r->nitems, sizeof(*r->order), order_cmp);
	sort_model = NULL;
	for (size_t k = 0; k < r->nitems; k++) {
		const struct report_item *it = &r->items[r->order[k]];
		struct report_area *a = r->nareas ? &r->areas[r->nareas - 1] : NULL;

		if (a == NULL || strcmp(a->tool, it->tool) != 0) {
			struct report_area *v = realloc(r->areas, (r->nareas + 1) * sizeof(*v));

			if (v == NULL)
				return oom(err);
			r->areas = v;
			a = &r->areas[r->nareas];
			memset(a, 0, sizeof(*a));
			if ((a->tool = strdup(it->tool)) == NULL)
				return oom(err);
			r->nareas++;
			a->name = strncmp(a->tool, "j2w-", 4) == 0 && a->tool[4] ? a->tool + 4 : a->tool;
			a->first = k;
		}
		a->count++;
		a->sev[it->sev]++;
		r->sev[it->sev]++;
	}
	return 0;
}

enum severity
report_worst(const struct report *r)
{
	if (r->sev[SEV_ERROR])
		return SEV_ERROR;
	if (r->sev[SEV_FAIL])
		return SEV_FAIL;
	if (r->sev[SEV_WARN])
		return SEV_WARN;
	if (r->sev[SEV_INFO])
		return SEV_INFO;
	return SEV_OK;
}

const char *
report_verdict(const struct report *r)
{
	if (r->sev[SEV_FAIL] || r->sev[SEV_ERROR])
		return "NOT READY";
	if (r->sev[SEV_WARN])
		return "READY WITH WARNINGS";
	return "READY";
}

size_t
report_group_end(const struct report *r, size_t k, size_t end, int same_severity)
{
	const struct report_item *it = &r->items[r->order[k]];
	size_t g = k + 1;

	while (g < end && strcmp(r->items[r->order[g]].check, it->check) == 0 &&
	    (!same_severity || r->items[r->order[g]].sev == it->sev))
		g++;
	return g;
}
