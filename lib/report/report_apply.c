/*
 * The report's view of j2w-apply: its per-user result records and its journal
 * (read through lib/webex/journal.h), both reduced to waves of the model.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report_apply.h"
#include "report/report_input.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "webex/journal.h"

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

/* The wave of an apply result: its "wave", else the file of its "source", else dflt. */
static void
result_wave(struct strbuf *sb, const json_t *rec, const char *dflt)
{
	const char *w = json_get_str(rec, "wave");
	const char *src = json_get_str(rec, "source");

	if (w != NULL) {
		strbuf_addstr(sb, w);
		return;
	}
	if (src != NULL && strchr(src, ':') != NULL) {
		const char *end = strrchr(src, ':'), *slash, *dot;

		for (slash = end; slash > src && slash[-1] != '/'; slash--)
			;
		for (dot = end; dot > slash && *dot != '.'; dot--)
			;
		if (dot == slash)
			dot = end;
		if (dot > slash) {
			strbuf_add(sb, slash, (size_t)(dot - slash));
			return;
		}
	}
	strbuf_addstr(sb, dflt != NULL ? dflt : "apply");
}

int
report_apply_record(struct report *r, const json_t *rec, const char *where, const char *wave,
    struct j2w_err *err)
{
	const char *result = json_get_str(rec, "result");
	int state = report_apply_state(result);
	struct strbuf w;
	int rc;

	if (state < 0) {
		struct strbuf sb;

		strbuf_init(&sb, 4096);
		strbuf_addf(&sb, "apply result '%s' is not one j2w-apply writes", result);
		rc = report_add_unreadable(r, where, sb.buf, err);
		strbuf_release(&sb);
		return rc;
	}
	strbuf_init(&w, 4096);
	result_wave(&w, rec, wave);
	rc = report_apply_note(r, w.buf, json_get_str(rec, "email"),
	    (enum report_apply_state)state, result, json_get_str(rec, "error"), err);
	strbuf_release(&w);
	return rc;
}

int
report_add_rules(struct report *r, const char *spec, struct j2w_err *err)
{
	const char *eq = strchr(spec, '='), *path = spec, *base, *dot;
	struct report_rules *v, *rs;
	struct strbuf wave;
	char *text = NULL;
	size_t len;
	int rc = -1;

	strbuf_init(&wave, 4096);
	if (eq != NULL && eq > spec && memchr(spec, '/', (size_t)(eq - spec)) == NULL) {
		strbuf_add(&wave, spec, (size_t)(eq - spec));
		path = eq + 1;
	} else {
		/* the wave named after the file, as a journal is */
		base = strrchr(path, '/');
		base = base != NULL ? base + 1 : path;
		dot = strrchr(base, '.');
		strbuf_add(&wave, base, dot != NULL && dot > base ? (size_t)(dot - base) :
		    strlen(base));
	}
	if ((v = realloc(r->rules, (r->nrules + 1) * sizeof(*v))) == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		goto out;
	}
	r->rules = v;
	rs = &v[r->nrules];
	memset(rs, 0, sizeof(*rs));
	rules_init(&rs->rules);
	if (report_read_source(r, path, "wave rules", RULES_FILE_MAX, &text, &len, err) < 0 ||
	    rules_parse(&rs->rules, text, len, path, err) < 0)
		goto out;
	rs->wave = strbuf_detach(&wave, NULL);
	if ((rs->path = strdup(path)) == NULL) {
		free(rs->wave);
		rules_release(&rs->rules);
		err_set(err, J2W_ESYS, "out of memory");
		goto out;
	}
	r->nrules++;
	rc = 0;
out:
	free(text);
	strbuf_release(&wave);
	return rc;
}

/* The journal being read into the model. */
struct journal_read {
	struct report *r;
	const char *path;
	struct strbuf wave;
	struct j2w_err *err;
	int failed;		/* a row the report cannot read, or ENOMEM: err says */
};

/* The wave a journal holds: meta "wave" when set (the first such row decides). */
static int
journal_wave(void *ctx, const char *key, const char *value)
{
	struct journal_read *jr = ctx;

	if (key == NULL || strcmp(key, "wave") != 0)
		return 0;
	if (value != NULL && value[0] != '\0')
		strbuf_addstr(&jr->wave, value);
	return 1;
}

static int
journal_user(void *ctx, const struct journal_user *u)
{
	struct journal_read *jr = ctx;
	const char *state = u->state, *error = u->error;
	int s;

	if (u->rb_state != NULL) {
		/* a rollback ran over this user: its result is the one that counts */
		state = u->rb_state;
		error = u->rb_error;
	}
	s = report_apply_state(state);
	if (s < 0 || u->email == NULL ||
	    utf8_invalid_at(u->email, strlen(u->email)) != strlen(u->email) ||
	    (error != NULL && utf8_invalid_at(error, strlen(error)) != strlen(error))) {
		jr->failed = 1;
		return err_set(jr->err, J2W_EDATA, "journal '%s': a user row the report cannot read "
		    "(state '%s')", jr->path, state != NULL && utf8_invalid_at(state,
		    strlen(state)) == strlen(state) ? state : "?");
	}
	if (report_apply_note(jr->r, jr->wave.buf, u->email, (enum report_apply_state)s, state,
	    error, jr->err) < 0) {
		jr->failed = 1;
		return -1;
	}
	return 0;
}

int
report_read_journal(struct report *r, const char *path, struct j2w_err *err)
{
	struct journal_read jr = { r, path, { 0 }, err, 0 };
	struct journal j;
	struct j2w_err ignored;
	int ret = -1;

	strbuf_init(&jr.wave, 4096);
	if (journal_open_readonly(&j, path, err) < 0)
		goto out;
	/* a journal without a wave in its meta (or without meta) is named after its file */
	journal_iter_meta(&j, journal_wave, &jr, &ignored);
	if (jr.wave.len == 0) {
		const char *base = strrchr(path, '/'), *dot;

		base = base != NULL ? base + 1 : path;
		dot = strrchr(base, '.');
		if (dot != NULL && dot > base)
			strbuf_add(&jr.wave, base, (size_t)(dot - base));
		else
			strbuf_addstr(&jr.wave, base);
	}
	if (journal_iter_users(&j, journal_user, &jr, err) != 0) {
		if (!jr.failed && err->status == J2W_EDATA)
			err_set(err, J2W_EDATA, "'%s' is not a j2w-apply journal this report knows: %s",
			    path, journal_errmsg(&j));
		goto out;
	}
	if (report_wave_journal(r, jr.wave.buf, path, err) < 0)
		goto out;
	r->journals++;
	ret = 0;
out:
	journal_close(&j);
	strbuf_release(&jr.wave);
	return ret;
}
