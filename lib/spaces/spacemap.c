/* The reconcile output as a map from a member's JID to the Webex email reconcile chose. */
#include <string.h>
#include <strings.h>

#include "record/records.h"
#include "spaces/spacemap.h"
#include "spaces/spaceplan.h"
#include "util/jsonl.h"
#include "util/strbuf.h"

void
spaces_map_init(struct spaces_map *m)
{
	memset(m, 0, sizeof(*m));
	m->by_jid = json_object();
}

void
spaces_map_release(struct spaces_map *m)
{
	json_decref(m->by_jid);
	memset(m, 0, sizeof(*m));
}

struct read_ctx {
	struct spaces_map *m;
	struct j2w_err *err;
};

static int
add_record(const json_t *rec, const char *source, void *arg)
{
	struct read_ctx *rc = arg;
	const char *jid = json_get_str(rec, "jid");
	const char *email = json_get_str(rec, "webex_email");
	const char *status = json_get_str(rec, "status");
	struct strbuf key;
	json_t *old, *v;

	rc->m->records++;
	if (jid == NULL || *jid == '\0') {
		rc->m->without_jid++;
		return 0;
	}
	strbuf_init(&key, 4096);
	if (spaces_bare_jid(jid, &key) < 0) {
		strbuf_release(&key);
		err_set(rc->err, J2W_EDATA, "%s: the jid is too long", source);
		return -1;
	}
	old = json_object_get(rc->m->by_jid, key.buf);
	if (old != NULL) {
		const char *oe = json_get_str(old, "email");

		/* the copies two clusters export of one user agree; two users with one JID do not */
		if (!json_is_true(json_object_get(old, "conflict")) &&
		    ((oe == NULL) != (email == NULL) || (oe != NULL && strcasecmp(oe, email) != 0)))
			json_object_set_new(rc->m->by_jid, key.buf, json_pack("{sb}", "conflict", 1));
		strbuf_release(&key);
		return 0;
	}
	v = json_object();
	if (email != NULL && *email != '\0')
		json_object_set_new(v, "email", json_string(email));
	if (status != NULL)
		json_object_set_new(v, "status", json_string(status));
	json_object_set_new(rc->m->by_jid, key.buf, v);
	strbuf_release(&key);
	return 0;
}

int
spaces_map_read(struct spaces_map *m, FILE *fp, const char *name, struct j2w_err *err)
{
	struct read_ctx rc = { m, err };
	unsigned long before = m->records - m->without_jid;
	int r;

	if (m->by_jid == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	err_clear(err);
	r = records_read(fp, name, add_record, &rc, err);
	if (r != 0)
		return -1;
	if (m->records - m->without_jid == before && m->records > 0)
		return err_set(err, J2W_EDATA, "'%s' is not reconcile output: no record has a jid "
		    "(run j2w-reconcile first)", name);
	return 0;
}

const char *
spaces_map_email(const struct spaces_map *m, const char *jid, const char **why)
{
	struct strbuf key;
	const json_t *v;
	const char *email, *status;

	strbuf_init(&key, 4096);
	if (jid == NULL || spaces_bare_jid(jid, &key) < 0) {
		strbuf_release(&key);
		*why = "the JID cannot be read";
		return NULL;
	}
	v = json_object_get(m->by_jid, key.buf);
	strbuf_release(&key);
	if (v == NULL) {
		*why = "not in the reconcile output";
		return NULL;
	}
	if (json_is_true(json_object_get(v, "conflict"))) {
		*why = "the reconcile output gives this JID more than one Webex email";
		return NULL;
	}
	status = json_get_str(v, "status");
	email = json_get_str(v, "webex_email") ? json_get_str(v, "webex_email") : json_get_str(v, "email");
	if (status != NULL && strcmp(status, "blocked") == 0) {
		*why = "reconcile blocked this user (see its findings)";
		return NULL;
	}
	if (email == NULL) {
		*why = "reconcile found no Webex email for this user";
		return NULL;
	}
	return email;
}
