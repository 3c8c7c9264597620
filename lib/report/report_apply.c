/*
 * The report's view of j2w-apply: its per-user result records and its SQLite
 * journal (schema version 1 of lib/webex/journal.c: tables meta and users), read-only.
 * Everything that knows the journal's shape is in this file.
 */
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "report/report.h"
#include "util/strbuf.h"
#include "util/utf8.h"

static const struct {
	const char *name;
	enum report_apply_state state;
} state_names[] = {
	{ "applied", RA_DONE }, { "verified", RA_DONE }, { "restored", RA_DONE },
	{ "unchanged", RA_UNCHANGED },
	{ "failed", RA_FAILED }, { "conflict", RA_FAILED },
	{ "pending", RA_PENDING }, { "writing", RA_PENDING }, { "stopped", RA_PENDING },
	{ "planned", RA_PLANNED },
};

int
report_apply_state(const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(name, state_names[i].name) == 0)
			return (int)state_names[i].state;
	return -1;
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

/* The name of the wave a journal holds: meta "wave" when set, else the file name. */
static void
journal_wave(sqlite3 *db, const char *path, struct strbuf *sb)
{
	sqlite3_stmt *st;
	const char *base, *dot;

	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'wave'", -1, &st,
	    NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL &&
		    sqlite3_column_text(st, 0)[0] != '\0') {
			strbuf_addstr(sb, (const char *)sqlite3_column_text(st, 0));
			sqlite3_finalize(st);
			return;
		}
		sqlite3_finalize(st);
	}
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot != NULL && dot > base)
		strbuf_add(sb, base, (size_t)(dot - base));
	else
		strbuf_addstr(sb, base);
}

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
report_read_journal(struct report *r, const char *path, struct j2w_err *err)
{
	static const char sql[] =
	    "SELECT email, state, rb_state, error, rb_error FROM users ORDER BY seq";
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct strbuf wave;
	int rc, ret = -1;

	strbuf_init(&wave, 4096);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		err_set(err, J2W_ESYS, "cannot open journal '%s': %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		err_set(err, J2W_EDATA, "'%s' is not a j2w-apply journal this report knows: %s",
		    path, sqlite3_errmsg(db));
		goto out;
	}
	journal_wave(db, path, &wave);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *email = col(st, 0), *state = col(st, 1), *rb = col(st, 2);
		const char *error = col(st, 3);
		int s;

		if (rb != NULL) {
			/* a rollback ran over this user: its result is the one that counts */
			state = rb;
			error = col(st, 4);
		}
		s = report_apply_state(state);
		if (s < 0 || email == NULL ||
		    utf8_invalid_at(email, strlen(email)) != strlen(email) ||
		    (error != NULL && utf8_invalid_at(error, strlen(error)) != strlen(error))) {
			err_set(err, J2W_EDATA, "journal '%s': a user row the report cannot read "
			    "(state '%s')", path, state != NULL && utf8_invalid_at(state,
			    strlen(state)) == strlen(state) ? state : "?");
			goto out;
		}
		if (report_apply_note(r, wave.buf, email, (enum report_apply_state)s, state,
		    error, err) < 0)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		err_set(err, J2W_ESYS, "cannot read journal '%s': %s", path, sqlite3_errmsg(db));
		goto out;
	}
	r->journals++;
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	strbuf_release(&wave);
	return ret;
}

/* The finding an apply user gets, or NULL check for one that needs none. */
static void
apply_finding(const char *result, int state, const char **check, enum severity *sev,
    const char **fix)
{
	*check = NULL;
	if (strcmp(result, "conflict") == 0) {
		*check = "APPLY-CONFLICT";
		*sev = SEV_FAIL;
		*fix = "the user was changed by someone else since the run: look at the "
		    "setting in Control Hub and decide which one is right";
	} else if (state == RA_FAILED) {
		*check = "APPLY-FAILED";
		*sev = SEV_FAIL;
		*fix = "correct what the error names, then run j2w-apply --resume JOURNAL --commit";
	} else if (state == RA_PENDING) {
		*check = "APPLY-NOT-DONE";
		*sev = SEV_WARN;
		*fix = "finish the wave: j2w-apply --resume JOURNAL --commit";
	}
}

static int
wave_cmp(const void *a, const void *b)
{
	return strcmp(((const struct report_wave *)a)->name, ((const struct report_wave *)b)->name);
}

int
report_apply_finish(struct report *r, struct j2w_err *err)
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
			const char *check, *fix;
			enum severity sev;
			struct strbuf msg;
			int rc;

			if (state < 0 || state >= RA_NSTATES)
				continue;
			w->n[state]++;
			apply_finding(result, state, &check, &sev, &fix);
			if (check == NULL)
				continue;
			strbuf_init(&msg, 8192);
			strbuf_addf(&msg, "wave %s: %s", w->name, result);
			if (error != NULL)
				strbuf_addf(&msg, ": %s", error);
			rc = report_add_item(r, "j2w-apply", check, sev, email, NULL, msg.buf, fix,
			    email, NULL, err);
			strbuf_release(&msg);
			if (rc < 0)
				return -1;
		}
	}
	return 0;
}
