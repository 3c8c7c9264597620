/* j2w-apply's session: input rows or an earlier run's journal, and the source the engine reads. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "record/records.h"
#include "util/strbuf.h"
#include "webex/session.h"
#include "webex/wave.h"

void
session_init(struct session *s, enum session_kind kind, int commit, const struct rules *rules)
{
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->commit = commit;
	s->rules = rules;
	person_set_init(&s->seen);
}

void
session_release(struct session *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->rows[i].email);
		free(s->rows[i].source);
		free(s->rows[i].profile);
		free(s->rows[i].error);
	}
	free(s->rows);
	s->rows = NULL;
	s->n = s->cap = 0;
	person_set_release(&s->seen);
	if (s->started)
		apply_journal_source_release(&s->jsrc);
	s->started = 0;
	if (s->journal.db != NULL)
		journal_close(&s->journal);
}

__attribute__((format(printf, 2, 3)))
static void
warnf(struct session *s, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	if (s->warn == NULL)
		return;
	strbuf_init(&sb, 0);
	va_start(ap, fmt);
	if (strbuf_vaddf(&sb, fmt, ap) == 0)
		s->warn(s->warn_ctx, sb.buf);
	va_end(ap);
	strbuf_release(&sb);
}

/* Adds a row (error NULL: usable). Returns 0 or -1 with err (ENOMEM). */
static int
row_add(struct session *s, const char *email, const char *source, enum behavior want,
    const char *profile, const char *error, struct j2w_err *err)
{
	struct session_row *r;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct session_row *v = realloc(s->rows, cap * sizeof(*v));

		if (v == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		s->rows = v;
		s->cap = cap;
	}
	r = &s->rows[s->n++];
	r->email = strdup(email != NULL ? email : "");
	r->source = strdup(source);
	r->want = want;
	r->profile = profile != NULL && *profile ? strdup(profile) : NULL;
	r->profile_id = NULL;
	r->error = error != NULL ? strdup(error) : NULL;
	if (r->email == NULL || r->source == NULL ||
	    (profile != NULL && *profile && r->profile == NULL) ||
	    (error != NULL && r->error == NULL))
		return err_set(err, J2W_ESYS, "out of memory");
	if (error != NULL) {
		s->bad++;
		warnf(s, "%s: %s", source, error);
	}
	return 0;
}

/* One input record (from JSON Lines or a CSV row turned into an object). */
static int
take_record(const json_t *rec, const char *source, void *ctx)
{
	struct session *s = ctx;
	struct wave_entry e;
	enum person_seen seen;
	const char *first;
	char why[600], wish[300];

	wave_take(rec, s->rules, &e);
	switch (e.kind) {
	case WAVE_NO_RULE:
		s->not_in_wave++;
		return 0;
	case WAVE_IGNORED:
		s->ignored++;
		return 0;
	case WAVE_BLOCKED:
		warnf(s, "%s: %s", source, e.why);
		s->blocked++;
		return 0;
	case WAVE_BAD:
		return row_add(s, e.email, source, e.behavior, e.profile, e.why, &s->err) < 0;
	case WAVE_USER:
		break;
	}
	/* the same person twice: the one rule of record/person.h */
	snprintf(wish, sizeof(wish), "%d %s", (int)e.behavior, e.profile != NULL ? e.profile : "");
	if (person_set_check(&s->seen, e.email, person_is_copy(rec) ? NULL : wish, source, &first,
	    &seen, &s->err) < 0)
		return 1;
	if (seen == PERSON_REPEAT) {
		warnf(s, "%s: '%s' is listed again (first at %s): done once", source, e.email, first);
		s->repeated++;
		return 0;
	}
	if (seen == PERSON_CONFLICT) {
		snprintf(why, sizeof(why), "'%.200s' is listed twice with different wishes "
		    "(first at %.300s)", e.email, first);
		return row_add(s, e.email, source, e.behavior, e.profile, why, &s->err) < 0;
	}
	return row_add(s, e.email, source, e.behavior, e.profile, NULL, &s->err) < 0;
}

int
session_read(struct session *s, FILE *fp, const char *name, struct j2w_err *err)
{
	int rc;

	err_clear(&s->err);
	rc = records_read(fp, name, take_record, s, err);
	if (rc > 0) {
		*err = s->err;
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

int
session_open_journal(struct session *s, const char *path, const char *api, struct j2w_err *err)
{
	char *made = NULL;

	if (journal_open(&s->journal, path, err) < 0)
		return -1;
	if (journal_meta_get(&s->journal, "api", &made, err) < 0) {
		journal_close(&s->journal);
		return -1;
	}
	/* a journal's people and profile IDs belong to the org it was made against */
	if (made != NULL && strcmp(made, api) != 0) {
		err_set(err, J2W_EUSAGE, "journal '%s' was made against '%s', not '%s' (give --api %s)",
		    s->journal.path, made, api, made);
		free(made);
		journal_close(&s->journal);
		return -1;
	}
	free(made);
	return 0;
}

/* Turns profile names into IDs; unknown or ambiguous names make the row unusable. */
static int
resolve_profiles(struct session *s, const struct apply_run *run, struct j2w_err *err)
{
	for (size_t i = 0; i < s->n; i++) {
		struct session_row *r = &s->rows[i];
		int ambiguous;
		char why[600];

		if (r->error != NULL || r->profile == NULL)
			continue;
		r->profile_id = apply_profile_id(run, r->profile, &ambiguous);
		if (r->profile_id != NULL)
			continue;
		if (ambiguous)
			snprintf(why, sizeof(why), "UC Manager profile '%.200s' is ambiguous: "
			    "several profiles carry that name", r->profile);
		else
			snprintf(why, sizeof(why), "no UC Manager profile is named '%.200s' in "
			    "Control Hub", r->profile);
		r->error = strdup(why);
		if (r->error == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		s->bad++;
		warnf(s, "%s: %s", r->source, why);
	}
	return 0;
}

/* The plan of a new journal: every row, in input order, in one transaction. */
static int
fill_journal(struct session *s, struct j2w_err *err)
{
	if (journal_begin(&s->journal, err) < 0)
		return -1;
	/* a resume or rollback must go to the same org: its person IDs are that org's */
	if (s->org_id != NULL && journal_meta_set(&s->journal, "org_id", s->org_id, err) < 0) {
		journal_abort(&s->journal);
		return -1;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct session_row *r = &s->rows[i];
		const char *api = behavior_api_name(r->want);

		if (journal_add_user(&s->journal, (long)i + 1, r->email, r->source,
		    api ? api : "default", r->profile, r->profile_id, err) < 0) {
			journal_abort(&s->journal);
			return -1;
		}
	}
	return journal_commit(&s->journal, err);
}

static int
journal_next_stoppable(struct apply_item **out, void *ctx, struct j2w_err *err)
{
	struct session *s = ctx;

	if (s->stop != NULL && *s->stop)
		return 0;
	return apply_journal_next(out, &s->jsrc, err);
}

int
session_memory_next(struct apply_item **out, void *ctx, struct j2w_err *err)
{
	struct session *s = ctx;
	struct session_row *r;
	struct apply_item *it;

	if ((s->stop != NULL && *s->stop) || s->pos == s->n)
		return 0;
	r = &s->rows[s->pos++];
	it = apply_item_new((long)s->pos, r->email, r->source);
	if (it == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	it->want = r->want;
	if ((r->profile != NULL && (it->want_profile = strdup(r->profile)) == NULL) ||
	    (r->profile_id != NULL && (it->want_profile_id = strdup(r->profile_id)) == NULL)) {
		apply_item_free(it);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	if (r->error != NULL) {
		it->result = "failed";
		snprintf(it->error, sizeof(it->error), "%s", r->error);
	}
	*out = it;
	return 1;
}

int
session_start(struct session *s, struct apply_run *run, const char *journal_path,
    const char *api, struct j2w_err *err)
{
	if (resolve_profiles(s, run, err) < 0)
		return -1;
	if (s->bad > 0 && s->commit)
		return err_set(err, J2W_EDATA, "%lu input rows cannot be used (see above): "
		    "nothing was changed", s->bad);
	if (journal_path != NULL) {
		if (s->kind != SESSION_NEW)
			return err_set(err, J2W_EUSAGE, "a new journal goes with a new run, not with "
			    "--resume or --rollback");
		if (journal_create(&s->journal, journal_path, api, err) < 0)
			return -1;
		if (fill_journal(s, err) < 0)
			return -1;
	}
	if (s->journal.db == NULL) {
		if (s->commit)
			return err_set(err, J2W_EUSAGE, "--commit needs --journal FILE: the record "
			    "that --resume and --rollback work from");
		run->next = session_memory_next;
		run->next_ctx = s;
		return 0;
	}
	run->journal = &s->journal;
	apply_journal_source_init(&s->jsrc, &s->journal, s->kind == SESSION_ROLLBACK ?
	    JOURNAL_TODO_ROLLBACK : JOURNAL_TODO_APPLY);
	s->started = 1;
	run->next = journal_next_stoppable;
	run->next_ctx = s;
	if (s->commit && journal_run_start(&s->journal, s->kind == SESSION_ROLLBACK ? "rollback" :
	    s->kind == SESSION_RESUME ? "resume" : "commit", err) < 0)
		return -1;
	return 0;
}

size_t
session_total(const struct session *s)
{
	long n;

	if (s->kind == SESSION_NEW)
		return s->n;
	if (s->journal.db == NULL)
		return 0;
	n = journal_count_todo(&s->journal, s->kind == SESSION_ROLLBACK ? JOURNAL_TODO_ROLLBACK :
	    JOURNAL_TODO_APPLY);
	return n > 0 ? (size_t)n : 0;
}

int
session_end(struct session *s, int status, const char *summary, struct j2w_err *err)
{
	if (s->journal.db == NULL || !s->commit)
		return 0;
	return journal_run_end(&s->journal, status, summary, err);
}
