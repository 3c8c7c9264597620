/* The user and calling-behaviour Control Hub CSVs: which records become rows, each person once. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "record/person.h"
#include "record/records.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "webex/ctusers.h"
#include "webex/wave.h"

int
ctusers_init(struct ctusers *u, enum ctusers_kind kind, const struct ctcsv_template *t,
    const struct rules *rules, struct j2w_err *err)
{
	memset(u, 0, sizeof(*u));
	u->kind = kind;
	u->t = t;
	u->rules = rules;
	person_set_init(&u->seen);
	return 0;
}

void
ctusers_release(struct ctusers *u)
{
	person_set_release(&u->seen);
}

__attribute__((format(printf, 2, 3)))
static void
warnf(struct ctusers *u, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	if (u->warn == NULL)
		return;
	strbuf_init(&sb, 0);
	va_start(ap, fmt);
	if (strbuf_vaddf(&sb, fmt, ap) == 0)
		u->warn(u->warn_ctx, sb.buf);
	va_end(ap);
	strbuf_release(&sb);
}

static void
skip(struct ctusers *u, const char *source, const char *why)
{
	warnf(u, "%s: %s: left out", source, why);
	u->skipped++;
}

char *
ctusers_signature(const struct ctcsv_template *t, const json_t *rec)
{
	const char **cells = calloc(t->n ? t->n : 1, sizeof(*cells));
	char *scratch = malloc(t->n ? t->n * 32 : 1);
	const char *userid = json_get_str(rec, "userid");
	struct strbuf sb, folded;
	int bad = 0;

	strbuf_init(&sb, 0);
	strbuf_init(&folded, 0);
	if (cells == NULL || scratch == NULL)
		goto fail;
	if (userid != NULL && (strbuf_addstr(&sb, userid) < 0 || strbuf_addch(&sb, '\x1e') < 0))
		goto fail;
	ctcsv_template_cells(t, rec, cells, scratch);
	for (size_t i = 0; i < t->n && !bad; i++)
		bad = strbuf_addstr(&sb, cells[i]) < 0 ||
		    strbuf_addch(&sb, '\x1f') < 0;
	/* Control Hub takes addresses without regard to case: so does a repeat */
	if (bad || utf8_lower(&folded, sb.buf != NULL ? sb.buf : "", sb.len) < 0)
		goto fail;
	free(cells);
	free(scratch);
	strbuf_release(&sb);
	return strbuf_detach(&folded, NULL);
fail:
	free(cells);
	free(scratch);
	strbuf_release(&sb);
	strbuf_release(&folded);
	return NULL;
}

/*
 * Whether key was seen; remembers it otherwise. The same key again with the
 * same cells (a user homed on two clusters, say) is written once and noted; with
 * other cells it is left out. Returns 1 (seen), 0 (new) or -1 with err.
 */
static int
duplicate(struct ctusers *u, const char *key, const json_t *row, const char *source,
    struct j2w_err *err)
{
	char *sig = ctusers_signature(u->t, row);
	enum person_seen seen;
	const char *first;
	int rc;

	if (sig == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = person_set_check(&u->seen, key, person_is_copy(row) ? NULL : sig, source, &first,
	    &seen, err);
	free(sig);
	if (rc < 0)
		return -1;
	if (seen == PERSON_REPEAT) {
		warnf(u, "%s: '%s' is listed again (first at %s): written once", source, key, first);
		u->repeated++;
	} else if (seen == PERSON_CONFLICT) {
		char why[700];

		snprintf(why, sizeof(why), "'%.200s' is listed twice with different values "
		    "(first at %.300s)", key, first);
		skip(u, source, why);
	}
	return seen != PERSON_NEW;
}

/* Hands row on (it is written now, not kept). */
static int
emit(struct ctusers *u, const json_t *row, struct j2w_err *err)
{
	u->rows++;
	return u->row != NULL ? u->row(u->row_ctx, row, err) : 0;
}

static int
take_user(struct ctusers *u, const json_t *rec, const char *source, struct j2w_err *err)
{
	const char *email = person_webex_email(rec), *status = json_get_str(rec, "status");
	int rc;

	if (email == NULL || !person_valid_email(email)) {
		skip(u, source, "no usable webex_email, directory_uri or mailid");
		return 0;
	}
	if (status != NULL && strcmp(status, "blocked") == 0) {
		char why[300];

		snprintf(why, sizeof(why), "'%.200s' is blocked by j2w-reconcile", email);
		skip(u, source, why);
		return 0;
	}
	rc = duplicate(u, email, rec, source, err);
	if (rc == 0)
		rc = emit(u, rec, err);
	return rc < 0 ? -1 : 0;
}

static int
take_calling(struct ctusers *u, const json_t *rec, const char *source, struct j2w_err *err)
{
	struct wave_entry e;
	json_t *row;
	const char *api;
	int rc;

	wave_take(rec, u->rules, &e);
	switch (e.kind) {
	case WAVE_NO_RULE:
	case WAVE_IGNORED:
		u->not_in_wave++;
		return 0;
	case WAVE_BLOCKED:
		warnf(u, "%s: %s", source, e.why);
		u->skipped++;
		return 0;
	case WAVE_BAD:
		skip(u, source, e.why);
		return 0;
	case WAVE_USER:
		break;
	}
	api = behavior_api_name(e.behavior);
	row = json_object();
	if (row == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	/* a value that is not UTF-8 (none from records_read) stays an empty cell */
	json_set_str(row, "email", e.email);
	/* Control Hub's word for the org default in this CSV */
	json_set_str(row, "calling_behavior", api != NULL ? api : "USE_ORG_SETTINGS");
	json_set_str(row, "uc_manager_profile", e.profile);
	rc = duplicate(u, e.email, row, source, err);
	if (rc == 0)
		rc = emit(u, row, err);
	json_decref(row);
	return rc < 0 ? -1 : 0;
}

static int
take(const json_t *rec, const char *source, void *ctx)
{
	struct ctusers *u = ctx;

	u->read++;
	if (u->kind == CTUSERS_USERS)
		return take_user(u, rec, source, &u->err) < 0;
	return take_calling(u, rec, source, &u->err) < 0;
}

int
ctusers_read(struct ctusers *u, FILE *fp, const char *name, struct j2w_err *err)
{
	int rc;

	err_clear(&u->err);
	rc = records_read(fp, name, take, u, err);
	if (rc > 0) {
		*err = u->err;
		return -1;
	}
	return rc < 0 ? -1 : 0;
}
