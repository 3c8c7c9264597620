/* Control Hub personal-contact files: rows from contact records, per-owner limits, packing. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "record/records.h"
#include "util/jsonl.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "webex/ctcontacts.h"
#include "webex/ctcsv.h"

int
ctcontacts_init(struct ctcontacts *c, struct j2w_err *err)
{
	memset(c, 0, sizeof(*c));
	c->rows = json_array();
	if (c->rows == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	return 0;
}

void
ctcontacts_release(struct ctcontacts *c)
{
	json_decref(c->rows);
	c->rows = NULL;
}

/* Splits an address at its last '@' into PREFIX_user and PREFIX_domain of row. */
static int
set_halves(json_t *row, const char *prefix, const char *addr)
{
	const char *at = strrchr(addr, '@');
	char key[32];
	char *user = strndup(addr, at != NULL ? (size_t)(at - addr) : strlen(addr));

	if (user == NULL)
		return -1;
	snprintf(key, sizeof(key), "%s_user", prefix);
	json_set_str(row, key, user);
	snprintf(key, sizeof(key), "%s_domain", prefix);
	json_set_str(row, key, at != NULL ? at + 1 : NULL);
	free(user);
	return 0;
}

static int
take(const json_t *rec, const char *source, void *ctx)
{
	struct ctcontacts *c = ctx;
	const char *owner = json_get_str(rec, "owner_email");
	const char *contact = json_get_str(rec, "contact_email");
	const char *owner_jid = json_get_str(rec, "owner");
	const char *contact_jid = json_get_str(rec, "contact");
	json_t *row;

	c->read++;
	if (owner == NULL || !*owner)
		owner = owner_jid;
	if (contact == NULL || !*contact)
		contact = contact_jid;
	if (owner == NULL || !*owner || contact == NULL || !*contact) {
		if (c->warn != NULL) {
			struct strbuf sb;

			strbuf_init(&sb, 0);
			if (strbuf_addf(&sb, "%s: a contact record needs owner and contact: left out",
			    source) == 0)
				c->warn(c->warn_ctx, sb.buf);
			strbuf_release(&sb);
		}
		c->skipped++;
		return 0;
	}
	row = json_deep_copy(rec);
	if (row == NULL)
		goto nomem;
	json_set_str(row, "_owner_key", owner);
	/* the migration files carry the Webex addresses; the archive the JIDs */
	if (set_halves(row, "owner", owner) < 0 || set_halves(row, "contact", contact) < 0 ||
	    set_halves(row, "jid_owner", owner_jid != NULL && *owner_jid ? owner_jid : owner) < 0 ||
	    set_halves(row, "jid_contact", contact_jid != NULL && *contact_jid ? contact_jid :
	    contact) < 0) {
		json_decref(row);
		goto nomem;
	}
	json_set_str(row, "_source", source);
	if (json_array_append_new(c->rows, row) < 0)
		goto nomem;
	return 0;
nomem:
	err_set(&c->err, J2W_ESYS, "out of memory");
	return 1;
}

int
ctcontacts_read(struct ctcontacts *c, FILE *fp, const char *name, struct j2w_err *err)
{
	int rc;

	err_clear(&c->err);
	rc = records_read(fp, name, take, c, err);
	if (rc > 0) {
		*err = c->err;
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

/* The owner of row as compared: lower case. A new string, or NULL on ENOMEM. */
static char *
owner_key(const json_t *row)
{
	const char *k = json_get_str(row, "_owner_key");
	struct strbuf sb;

	if (k == NULL)
		k = "";
	strbuf_init(&sb, 0);
	if (utf8_lower(&sb, k, strlen(k)) < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb, NULL);
}

/* The archive copy of row: the JID halves under the template's names. */
static json_t *
archive_view(const json_t *row)
{
	static const char *const pairs[][2] = { { "owner_user", "jid_owner_user" },
	    { "owner_domain", "jid_owner_domain" }, { "contact_user", "jid_contact_user" },
	    { "contact_domain", "jid_contact_domain" } };
	json_t *v = json_copy((json_t *)row);

	for (size_t i = 0; v != NULL && i < 4; i++) {
		json_t *x = json_object_get(row, pairs[i][1]);

		if (x != NULL)
			json_object_set(v, pairs[i][0], x);
		else
			json_object_del(v, pairs[i][0]);
	}
	return v;
}

void
ctcontacts_split_release(struct ctcontacts_split *s)
{
	json_decref(s->files);
	json_decref(s->over);
	json_decref(s->over_owners);
	json_decref(s->archive);
	memset(s, 0, sizeof(*s));
}

/* Fills s->over_owners: each owner with rows over the limit, once, with the counts. */
static int
count_over(struct ctcontacts_split *s, size_t per_user)
{
	json_t *counted = json_object(), *row, *c;
	const char *k;
	size_t i;

	if (counted == NULL)
		return -1;
	json_array_foreach(s->over, i, row) {
		char *key = owner_key(row);

		if (key == NULL) {
			json_decref(counted);
			return -1;
		}
		c = json_object_get(counted, key);
		json_object_set_new(counted, key, json_integer(c ? json_integer_value(c) + 1 : 1));
		free(key);
	}
	json_object_foreach(counted, k, c) {
		json_t *o = json_pack("{s:s, s:I, s:I}", "owner", k, "contacts",
		    (json_int_t)(json_integer_value(c) + (json_int_t)per_user), "over",
		    json_integer_value(c));

		if (o == NULL || json_array_append_new(s->over_owners, o) < 0) {
			json_decref(counted);
			return -1;
		}
	}
	json_decref(counted);
	return 0;
}

int
ctcontacts_split(const json_t *rows, size_t per_user, size_t per_file,
    struct ctcontacts_split *s, struct j2w_err *err)
{
	json_t *owners = json_object();		/* lower-cased owner -> group index */
	json_t *groups = json_array();		/* [[row, ...], ...] in first-seen order */
	size_t ng, *sizes = NULL, *file = NULL, nfiles, i;
	json_t *row;

	memset(s, 0, sizeof(*s));
	if (per_user == 0 || per_user > per_file) {
		json_decref(owners);
		json_decref(groups);
		return err_set(err, J2W_EUSAGE, "contacts per user (%zu) must be 1 to the rows per "
		    "file (%zu)", per_user, per_file);
	}
	s->files = json_array();
	s->over = json_array();
	s->over_owners = json_array();
	s->archive = json_array();
	if (owners == NULL || groups == NULL || s->files == NULL || s->over == NULL ||
	    s->over_owners == NULL || s->archive == NULL)
		goto nomem;
	json_array_foreach(rows, i, row) {
		char *k = owner_key(row);
		json_t *gi, *g;

		if (k == NULL)
			goto nomem;
		gi = json_object_get(owners, k);
		if (gi == NULL) {
			gi = json_integer((json_int_t)json_array_size(groups));
			if (json_object_set_new(owners, k, gi) < 0 ||
			    json_array_append_new(groups, json_array()) < 0) {
				free(k);
				goto nomem;
			}
		}
		free(k);
		g = json_array_get(groups, (size_t)json_integer_value(gi));
		if (g == NULL || json_array_append_new(s->archive, archive_view(row)) < 0 ||
		    json_array_append(json_array_size(g) < per_user ? g : s->over, row) < 0)
			goto nomem;
	}
	ng = json_array_size(groups);
	sizes = calloc(ng ? ng : 1, sizeof(*sizes));
	file = calloc(ng ? ng : 1, sizeof(*file));
	if (sizes == NULL || file == NULL)
		goto nomem;
	for (i = 0; i < ng; i++)
		sizes[i] = json_array_size(json_array_get(groups, i));
	nfiles = ctcsv_pack(sizes, ng, per_file, file);
	for (size_t f = 0; f < nfiles; f++) {
		json_t *kept = json_array();

		if (kept == NULL || json_array_append_new(s->files, kept) < 0)
			goto nomem;
		for (i = 0; i < ng; i++)
			if (file[i] == f && json_array_extend(kept, json_array_get(groups, i)) < 0)
				goto nomem;
	}
	if (count_over(s, per_user) < 0)
		goto nomem;
	free(sizes);
	free(file);
	json_decref(owners);
	json_decref(groups);
	return 0;
nomem:
	free(sizes);
	free(file);
	json_decref(owners);
	json_decref(groups);
	ctcontacts_split_release(s);
	return err_set(err, J2W_ESYS, "out of memory");
}
