/* Control Hub personal-contact files: rows from contact records, per-owner limits, packing. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/records.h"
#include "util/jsonl.h"
#include "util/utf8.h"
#include "webex/ctcontacts.h"

/* What is kept of an owner. */
struct owner {
	struct digest key;	/* of the lower-cased owner */
	uint32_t kept;		/* rows spooled for migration (at most per_user) */
	uint32_t over;		/* rows past per_user */
	uint64_t last;		/* spool offset of its last row's link, plus 1; 0: none */
};

struct ctcontacts_over {
	uint32_t owner;		/* index in owners */
	char *name;		/* lower case */
};

/*
 * The spool holds each kept row as its CSV bytes followed by a link: where the
 * row starts, and where the owner's previous link is (plus 1, 0 for none).
 */
struct link {
	uint64_t start;
	uint64_t prev;
};

static char *
join(const char *dir, const char *name)
{
	char *s;

	return asprintf(&s, "%s/%s", dir, name) < 0 ? NULL : s;
}

int
ctcontacts_open(struct ctcontacts *c, const struct ctcsv_template *t, const char *dir,
    size_t per_user, size_t per_file, struct j2w_err *err)
{
	char *path;
	int rc;

	memset(c, 0, sizeof(*c));
	digestmap_init(&c->owners, sizeof(struct owner));
	strbuf_init(&c->key, 0);
	if (per_user == 0 || per_user > per_file || per_user > UINT32_MAX)
		return err_set(err, J2W_EUSAGE, "contacts per user (%zu) must be 1 to the rows per "
		    "file (%zu)", per_user, per_file);
	c->per_user = per_user;
	c->per_file = per_file;
	c->dir = strdup(dir);
	c->spool = tmpfile();
	if (c->dir == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	if (c->spool == NULL)
		return err_set_errno(err, J2W_ESYS, "cannot create a temporary file");
	path = join(dir, "contacts.csv");
	if (path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = ctparts_open(&c->migrate, t, path, 1, 0, err);
	free(path);
	if (rc < 0)
		return -1;
	path = join(dir, "contacts-bat.csv");
	if (path == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	rc = ctparts_open(&c->bat, t, path, 0, 0, err);
	free(path);
	return rc;
}

void
ctcontacts_release(struct ctcontacts *c)
{
	ctparts_release(&c->migrate);
	ctparts_release(&c->over_file);
	ctparts_release(&c->bat);
	if (c->spool != NULL)
		fclose(c->spool);
	c->spool = NULL;
	for (size_t i = 0; i < c->over_owners; i++)
		free(c->overs[i].name);
	free(c->overs);
	c->overs = NULL;
	c->over_owners = 0;
	free(c->dir);
	c->dir = NULL;
	digestmap_release(&c->owners);
	strbuf_release(&c->key);
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

/* The archive's view of row, in place: the JID halves under the template's names. */
static void
archive_view(json_t *row)
{
	static const char *const pairs[][2] = { { "owner_user", "jid_owner_user" },
	    { "owner_domain", "jid_owner_domain" }, { "contact_user", "jid_contact_user" },
	    { "contact_domain", "jid_contact_domain" } };

	for (size_t i = 0; i < 4; i++) {
		json_t *x = json_object_get(row, pairs[i][1]);

		if (x != NULL)
			json_object_set(row, pairs[i][0], x);
		else
			json_object_del(row, pairs[i][0]);
	}
}

/* Spools row for migration, chained to its owner's previous one. */
static int
spool_row(struct ctcontacts *c, struct owner *o, const json_t *row)
{
	struct link l;
	off_t end;

	l.start = (uint64_t)ftello(c->spool);
	l.prev = o->last;
	if ((off_t)l.start < 0 || ctparts_format(&c->migrate, c->spool, row) < 0)
		return -1;
	end = ftello(c->spool);
	if (end < 0 || fwrite(&l, sizeof(l), 1, c->spool) != 1)
		return -1;
	o->last = (uint64_t)end + 1;
	return 0;
}

/* Writes row to contacts-over-limit.csv, started at the first such row. */
static int
over_row(struct ctcontacts *c, struct owner *o, const json_t *row)
{
	if (c->over == 0) {
		char *path = join(c->dir, "contacts-over-limit.csv");
		int rc;

		if (path == NULL)
			return err_set(&c->err, J2W_ESYS, "out of memory");
		rc = ctparts_open(&c->over_file, c->migrate.t, path, 0, 0, &c->err);
		free(path);
		if (rc < 0)
			return -1;
	}
	if (o->over++ == 0) {
		if (c->over_owners == c->overs_cap) {
			size_t cap = c->overs_cap ? c->overs_cap * 2 : 16;
			struct ctcontacts_over *n = realloc(c->overs, cap * sizeof(*n));

			if (n == NULL)
				return err_set(&c->err, J2W_ESYS, "out of memory");
			c->overs = n;
			c->overs_cap = cap;
		}
		c->overs[c->over_owners].owner = (uint32_t)digestmap_index(&c->owners, o);
		c->overs[c->over_owners].name = strdup(c->key.buf);
		if (c->overs[c->over_owners].name == NULL)
			return err_set(&c->err, J2W_ESYS, "out of memory");
		c->over_owners++;
	}
	c->over++;
	return ctparts_row(&c->over_file, row, &c->err);
}

/* Files row: for migration or over the limit, and in the archive. Returns 0 or -1 with c->err. */
static int
file_row(struct ctcontacts *c, json_t *row, const char *owner)
{
	struct digest d;
	struct owner *o;
	int added;

	strbuf_reset(&c->key);
	if (utf8_lower(&c->key, owner, strlen(owner)) < 0)
		return err_set(&c->err, J2W_ESYS, "out of memory");
	digestmap_hash(&c->owners, c->key.buf, c->key.len, &d);
	o = digestmap_add(&c->owners, &d, &added);
	if (o == NULL)
		return err_set(&c->err, J2W_ESYS, "out of memory");
	if (o->kept < c->per_user) {
		if (spool_row(c, o, row) < 0)
			return err_set_errno(&c->err, J2W_ESYS, "cannot write the temporary file");
		o->kept++;
		c->kept++;
	} else if (over_row(c, o, row) < 0) {
		return -1;
	}
	archive_view(row);
	return ctparts_row(&c->bat, row, &c->err);
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
	int rc;

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
	/* a shallow copy: the keys set here are the row's, the values are shared */
	row = json_copy((json_t *)rec);
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
	rc = file_row(c, row, owner);
	json_decref(row);
	return rc < 0 ? 1 : 0;
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

/*
 * Reads the spool through a window: a row's link is read walking back from
 * the owner's last row, its bytes walking forward, and an owner's rows are
 * usually side by side, so most reads are in the window already.
 */
struct spool_reader {
	int fd;
	unsigned char *buf;
	size_t size;
	uint64_t start;		/* the spool offset of buf[0] */
	size_t len;		/* bytes in buf */
};

#define SPOOL_WINDOW ((size_t)256 << 10)

/* Copies len bytes at off into dst; back places a new window before off. 0 or -1 (errno). */
static int
spool_get(struct spool_reader *r, uint64_t off, size_t len, void *dst, int back)
{
	ssize_t n;

	if (off >= r->start && off + len <= r->start + r->len) {
		memcpy(dst, r->buf + (off - r->start), len);
		return 0;
	}
	if (len > r->size) {
		n = pread(r->fd, dst, len, (off_t)off);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	r->start = back && off + len > r->size ? off + len - r->size : back ? 0 : off;
	n = pread(r->fd, r->buf, r->size, (off_t)r->start);
	if (n < 0)
		return -1;
	r->len = (size_t)n;
	if (off + len > r->start + r->len) {
		errno = EIO;
		return -1;
	}
	memcpy(dst, r->buf + (off - r->start), len);
	return 0;
}

/* Where a spooled row is: [start, end). */
struct span {
	uint64_t start;
	uint64_t end;
};

/* Copies owner o's spooled rows, in input order, to the current migration file. */
static int
copy_owner(struct ctcontacts *c, struct spool_reader *r, const struct owner *o,
    struct span *rows, struct strbuf *row, struct j2w_err *err)
{
	size_t n = o->kept;
	uint64_t at = o->last;

	/* the links lead backwards: collect the rows, then copy them forwards */
	while (at != 0 && n > 0) {
		struct link l;

		if (spool_get(r, at - 1, sizeof(l), &l, 1) < 0)
			return err_set_errno(err, J2W_ESYS, "cannot read the temporary file");
		n--;
		rows[n].start = l.start;
		rows[n].end = at - 1;
		at = l.prev;
	}
	if (n != 0 || at != 0)
		return err_set(err, J2W_ESYS, "internal: the contact spool is inconsistent");
	for (size_t i = 0; i < o->kept; i++) {
		size_t len = (size_t)(rows[i].end - rows[i].start);

		strbuf_reset(row);
		if (strbuf_grow(row, len) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
		if (spool_get(r, rows[i].start, len, row->buf, 0) < 0)
			return err_set_errno(err, J2W_ESYS, "cannot read the temporary file");
		if (ctparts_raw(&c->migrate, row->buf, len, err) < 0)
			return -1;
	}
	return 0;
}

int
ctcontacts_finish(struct ctcontacts *c, struct j2w_err *err)
{
	struct spool_reader r = { 0 };
	struct span *rows = NULL;
	struct strbuf row;
	size_t in_file = 0;
	int rc = -1;

	strbuf_init(&row, 0);
	if (fflush(c->spool) != 0 || ferror(c->spool))
		return err_set_errno(err, J2W_ESYS, "cannot write the temporary file");
	r.fd = fileno(c->spool);
	r.size = SPOOL_WINDOW;
	r.buf = malloc(r.size);
	rows = calloc(c->per_user, sizeof(*rows));
	if (r.buf == NULL || rows == NULL) {
		err_set(err, J2W_ESYS, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->owners.n; i++) {
		const struct owner *o = digestmap_at(&c->owners, i);

		/* whole owners, next fit: a file is closed when the next owner would not fit */
		if (c->migrate.nparts == 0 || in_file + o->kept > c->per_file) {
			if (ctparts_next(&c->migrate, err) < 0)
				goto out;
			in_file = 0;
		}
		in_file += o->kept;
		if (copy_owner(c, &r, o, rows, &row, err) < 0)
			goto out;
	}
	c->files = c->migrate.nparts;
	/* a file with nothing to say is not written, and an old one goes */
	for (int k = 0; k < 2; k++) {
		const char *name = k == 0 ? "contacts-over-limit.csv" : "contacts-bat.csv";
		char *path;

		if ((k == 0 ? c->over : c->bat.rows) > 0)
			continue;
		if ((path = join(c->dir, name)) == NULL) {
			err_set(err, J2W_ESYS, "out of memory");
			goto out;
		}
		unlink(path);
		free(path);
	}
	if (ctparts_commit(&c->migrate, err) < 0 ||
	    (c->over > 0 && ctparts_commit(&c->over_file, err) < 0) ||
	    (c->bat.rows > 0 && ctparts_commit(&c->bat, err) < 0))
		goto out;
	rc = 0;
out:
	free(r.buf);
	free(rows);
	strbuf_release(&row);
	return rc;
}

void
ctcontacts_over_owner(const struct ctcontacts *c, size_t i, const char **owner,
    unsigned long *contacts, unsigned long *over)
{
	const struct owner *o = digestmap_at(&c->owners, c->overs[i].owner);

	*owner = c->overs[i].name;
	*contacts = (unsigned long)o->kept + o->over;
	*over = o->over;
}
