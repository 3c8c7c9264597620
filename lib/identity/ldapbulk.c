/* The directory read once into an index by user ID: filter templates made bulk, and the index. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "identity/identity.h"
#include "identity/ldapbulk.h"
#include "record/records.h"
#include "util/digestmap.h"
#include "util/jsonl.h"
#include "util/strbuf.h"

/* What a piece of a template is, for reading it in bulk. */
enum piece {
	PIECE_PLAIN,	/* no %u: copied as it is */
	PIECE_USER,	/* (ATTR=%u), or an OR of such */
	PIECE_AND,	/* an AND of plain pieces and one that is USER or AND */
	PIECE_BAD	/* %u anywhere else */
};

struct parser {
	const char *p;
	const char *end;
	struct strbuf out;
	struct ldapbulk_plan *plan;
	const char *why;
};

static int
attr_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (!first && ((c >= '0' && c <= '9') || c == '-' || c == ';'));
}

static int
add_attr(struct ldapbulk_plan *p, const char *a, size_t len)
{
	char **n;

	for (size_t i = 0; i < p->nattrs; i++)
		if (strlen(p->attrs[i]) == len && strncasecmp(p->attrs[i], a, len) == 0)
			return 0;
	n = realloc(p->attrs, (p->nattrs + 1) * sizeof(*n));
	if (n == NULL)
		return -1;
	p->attrs = n;
	p->attrs[p->nattrs] = strndup(a, len);
	if (p->attrs[p->nattrs] == NULL)
		return -1;
	p->nattrs++;
	return 0;
}

/* An item (the text between its parentheses, [s, e)): plain, or (ATTR=%u). */
static enum piece
item(struct parser *ps, const char *s, const char *e)
{
	const char *u = NULL;
	size_t alen = 0;

	for (const char *q = s; q + 1 < e; q++) {
		if (q[0] == '%' && q[1] == 'u') {
			u = q;
			break;
		}
		if (q[0] == '%')
			q++;	/* %% */
	}
	if (u == NULL) {
		for (const char *q = s; q < e; q++) {
			if (strbuf_addch(&ps->out, *q) < 0)
				return PIECE_BAD;
			if (q[0] == '%')
				q++;
		}
		return PIECE_PLAIN;
	}
	while (s + alen < e && attr_char(s[alen], alen == 0))
		alen++;
	if (alen == 0 || s + alen + 3 != e || memcmp(s + alen, "=%u", 3) != 0) {
		ps->why = "%u must be the whole value of an equality assertion such as (uid=%u)";
		return PIECE_BAD;
	}
	if (add_attr(ps->plan, s, alen) < 0 || strbuf_add(&ps->out, s, alen) < 0 ||
	    strbuf_addstr(&ps->out, "=*") < 0) {
		ps->why = "out of memory";
		return PIECE_BAD;
	}
	return PIECE_USER;
}

/* One parenthesised filter at ps->p, copied in its bulk form. */
static enum piece
filter(struct parser *ps, int depth)
{
	enum piece kind;
	char op;

	if (depth > 32 || ps->p >= ps->end || *ps->p != '(') {
		ps->why = "it is not a filter the bulk reader can follow";
		return PIECE_BAD;
	}
	ps->p++;
	if (strbuf_addch(&ps->out, '(') < 0)
		return PIECE_BAD;
	op = ps->p < ps->end ? *ps->p : '\0';
	if (op == '&' || op == '|' || op == '!') {
		size_t plain = 0, user = 0, and = 0, n = 0;

		ps->p++;
		if (strbuf_addch(&ps->out, op) < 0)
			return PIECE_BAD;
		while (ps->p < ps->end && *ps->p == '(') {
			enum piece k = filter(ps, depth + 1);

			if (k == PIECE_BAD)
				return PIECE_BAD;
			plain += k == PIECE_PLAIN;
			user += k == PIECE_USER;
			and += k == PIECE_AND;
			n++;
		}
		if (plain == n)
			kind = PIECE_PLAIN;
		else if (op == '|' && user == n)
			kind = PIECE_USER;
		else if (op == '&' && user + and == 1)
			kind = PIECE_AND;
		else {
			ps->why = op == '!' ? "%u is under a NOT" : op == '|' ?
			    "%u is ORed with a condition that has no %u" :
			    "%u appears in more than one part of an AND";
			return PIECE_BAD;
		}
	} else {
		const char *s = ps->p;

		while (ps->p < ps->end && *ps->p != ')' && *ps->p != '(')
			ps->p++;
		kind = item(ps, s, ps->p);
		if (kind == PIECE_BAD)
			return PIECE_BAD;
	}
	if (ps->p >= ps->end || *ps->p != ')') {
		ps->why = "unbalanced parentheses";
		return PIECE_BAD;
	}
	ps->p++;
	return strbuf_addch(&ps->out, ')') < 0 ? PIECE_BAD : kind;
}

int
ldapbulk_plan(struct ldapbulk_plan *p, const char *tmpl, struct j2w_err *err)
{
	struct parser ps;
	struct strbuf wrapped;
	enum piece kind;

	memset(p, 0, sizeof(*p));
	memset(&ps, 0, sizeof(ps));
	strbuf_init(&wrapped, 0);
	/* libldap takes "uid=%u" for "(uid=%u)": so does the plan */
	if ((tmpl[0] != '(' && (strbuf_addch(&wrapped, '(') < 0 ||
	    strbuf_addstr(&wrapped, tmpl) < 0 || strbuf_addch(&wrapped, ')') < 0)) ||
	    (tmpl[0] == '(' && strbuf_addstr(&wrapped, tmpl) < 0)) {
		strbuf_release(&wrapped);
		return err_set(err, J2W_ESYS, "out of memory");
	}
	strbuf_init(&ps.out, 0);
	ps.p = wrapped.buf;
	ps.end = wrapped.buf + wrapped.len;
	ps.plan = p;
	kind = filter(&ps, 0);
	if (kind != PIECE_BAD && ps.p != ps.end) {
		kind = PIECE_BAD;
		ps.why = "there is text after the filter";
	}
	if (kind == PIECE_PLAIN) {
		kind = PIECE_BAD;
		ps.why = "it has no %u";
	}
	if (kind != PIECE_BAD && p->nattrs > LDAPDIR_SCAN_KEYS_MAX) {
		kind = PIECE_BAD;
		ps.why = "it compares %u with too many attributes";
	}
	strbuf_release(&wrapped);
	if (kind == PIECE_BAD) {
		strbuf_release(&ps.out);
		if (ps.why != NULL && strcmp(ps.why, "out of memory") == 0)
			return err_set(err, J2W_ESYS, "out of memory");
		return err_set(err, J2W_EUSAGE, "the filter template '%s' cannot be read in bulk: "
		    "%s", tmpl, ps.why != NULL ? ps.why : "out of memory");
	}
	p->filter = strbuf_detach(&ps.out, NULL);
	return 0;
}

void
ldapbulk_plan_release(struct ldapbulk_plan *p)
{
	for (size_t i = 0; i < p->nattrs; i++)
		free(p->attrs[i]);
	free(p->attrs);
	free(p->filter);
	memset(p, 0, sizeof(*p));
}

/* A user of the wave. */
struct wave_user {
	struct digest key;	/* of the compared form of the user ID */
	uint32_t entry;		/* the answering entry, 1-based; 0: none kept */
	uint32_t matches;	/* entries that answer it, at most 2 */
};

/*
 * A kept entry: a byte saying which of dn, mail, upn, proxy_sip, rtc_sip and
 * extra are there, then those present, each NUL-terminated.
 */
#define FIELDS 6

struct answer {
	size_t tag;
	uint32_t user;		/* 1-based; 0: not a user of the wave */
};

struct ldapbulk {
	struct digestmap users;
	char **entries;
	size_t nentries;
	size_t cap;
	size_t bytes;		/* in entries */
	struct strbuf key;
	uint32_t *hits;		/* users the entry being read answers first */
	size_t nhits;
	size_t hits_cap;
	void (*progress)(void *ctx, unsigned long entries);
	void *progress_ctx;
	struct answer queue[LDAPDIR_MAX_WINDOW];
	size_t head;
	size_t tail;
};

struct ldapbulk *
ldapbulk_new(void)
{
	struct ldapbulk *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	digestmap_init(&b->users, sizeof(struct wave_user));
	strbuf_init(&b->key, 0);
	return b;
}

void
ldapbulk_free(struct ldapbulk *b)
{
	if (b == NULL)
		return;
	digestmap_release(&b->users);
	for (size_t i = 0; i < b->nentries; i++)
		free(b->entries[i]);
	free(b->entries);
	free(b->hits);
	strbuf_release(&b->key);
	free(b);
}

/*
 * The compared form of a user ID into b->key: case folded, spaces at either
 * end dropped, runs of spaces inside as one. Returns 0 or -1 (ENOMEM).
 */
static int
compared(struct ldapbulk *b, const char *s)
{
	size_t len = strlen(s);
	struct strbuf tmp;

	while (len > 0 && s[0] == ' ') {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	strbuf_init(&tmp, 0);
	for (size_t i = 0; i < len; i++)
		if ((s[i] != ' ' || s[i + 1] != ' ') && strbuf_addch(&tmp, s[i]) < 0) {
			strbuf_release(&tmp);
			return -1;
		}
	strbuf_reset(&b->key);
	if (identity_fold(&b->key, tmp.buf, tmp.len) < 0) {
		strbuf_release(&tmp);
		return -1;
	}
	strbuf_release(&tmp);
	return 0;
}

int
ldapbulk_want(struct ldapbulk *b, const char *userid)
{
	struct digest d;
	int added;

	if (compared(b, userid) < 0)
		return -1;
	digestmap_hash(&b->users, b->key.buf, b->key.len, &d);
	return digestmap_add(&b->users, &d, &added) != NULL ? 0 : -1;
}

struct want_ctx {
	struct ldapbulk *b;
	unsigned long *n;
};

/* A records_fn: the record's user ID is one to find. */
static int
want_record(const json_t *rec, const char *source, void *ctx)
{
	struct want_ctx *w = ctx;
	const char *userid = json_get_str(rec, "userid");

	(void)source;
	if (userid == NULL)
		return 0;
	if (ldapbulk_want(w->b, userid) < 0)
		return -1;
	(*w->n)++;
	return 0;
}

int
ldapbulk_want_records(struct ldapbulk *b, FILE *fp, const char *name, unsigned long *n,
    struct j2w_err *err)
{
	struct want_ctx w = { b, n };
	int rc = records_read(fp, name, want_record, &w, err);

	if (rc > 0)
		return err_set(err, J2W_ESYS, "out of memory");
	return rc < 0 ? -1 : 0;
}

size_t
ldapbulk_users(const struct ldapbulk *b)
{
	return b->users.n;
}

unsigned long
ldapbulk_entries(const struct ldapbulk *b)
{
	return (unsigned long)b->nentries;
}

size_t
ldapbulk_bytes(const struct ldapbulk *b)
{
	return b->bytes + b->cap * sizeof(*b->entries) + b->users.cap * b->users.esize +
	    b->users.nslots * sizeof(*b->users.slots);
}

/* The key values of one entry: which users it answers, and whether it is to be kept. */
static int
scan_keys(void *ctx, char *const *vals, size_t n, struct j2w_err *err)
{
	struct ldapbulk *b = ctx;
	int want = 0;

	b->nhits = 0;
	for (size_t i = 0; i < n; i++) {
		struct wave_user *u;
		struct digest d;
		uint32_t idx;
		size_t j;

		if (compared(b, vals[i]) < 0)
			return err_set(err, J2W_ESYS, "out of memory");
		digestmap_hash(&b->users, b->key.buf, b->key.len, &d);
		u = digestmap_find(&b->users, &d);
		if (u == NULL)
			continue;
		idx = (uint32_t)digestmap_index(&b->users, u);
		/* uid and sAMAccountName both naming the user: still one entry */
		for (j = 0; j < b->nhits && b->hits[j] != idx; j++)
			;
		if (j < b->nhits)
			continue;
		if (b->nhits == b->hits_cap) {
			size_t cap = b->hits_cap ? b->hits_cap * 2 : 8;
			uint32_t *h = realloc(b->hits, cap * sizeof(*h));

			if (h == NULL)
				return err_set(err, J2W_ESYS, "out of memory");
			b->hits = h;
			b->hits_cap = cap;
		}
		b->hits[b->nhits++] = idx;
		if (u->matches < 2)
			u->matches++;
		want |= u->matches == 1;
	}
	return want;
}

/* A wanted entry: kept, and made the answer of the users it is the first for. */
static int
scan_entry(void *ctx, const struct ldapdir_entry *e, struct j2w_err *err)
{
	struct ldapbulk *b = ctx;
	const char *f[FIELDS] = { e->dn, e->mail, e->upn, e->proxy_sip, e->rtc_sip, e->extra };
	size_t len = 1;
	char *blob, *p;

	for (int i = 0; i < FIELDS; i++)
		len += f[i] != NULL ? strlen(f[i]) + 1 : 0;
	if (b->nentries >= UINT32_MAX - 1)
		return err_set(err, J2W_ESYS, "too many directory entries");
	if (b->nentries == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		char **n = realloc(b->entries, cap * sizeof(*n));

		if (n == NULL)
			return err_set(err, J2W_ESYS, "out of memory");
		b->entries = n;
		b->cap = cap;
	}
	blob = malloc(len);
	if (blob == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	blob[0] = 0;
	p = blob + 1;
	for (int i = 0; i < FIELDS; i++) {
		if (f[i] == NULL)
			continue;
		blob[0] = (char)(blob[0] | (1 << i));
		memcpy(p, f[i], strlen(f[i]) + 1);
		p += strlen(f[i]) + 1;
	}
	b->entries[b->nentries++] = blob;
	b->bytes += len;
	for (size_t j = 0; j < b->nhits; j++) {
		struct wave_user *u = digestmap_at(&b->users, b->hits[j]);

		if (u->matches == 1 && u->entry == 0)
			u->entry = (uint32_t)b->nentries;
	}
	return 0;
}

static void
scan_progress(void *ctx, unsigned long entries)
{
	struct ldapbulk *b = ctx;

	if (b->progress != NULL)
		b->progress(b->progress_ctx, entries);
}

int
ldapbulk_read(struct ldapbulk *b, struct ldapdir *d, const struct ldapbulk_plan *p,
    unsigned long budget, void (*progress)(void *ctx, unsigned long entries), void *ctx,
    struct ldapdir_scan *scan, struct j2w_err *err)
{
	memset(scan, 0, sizeof(*scan));
	scan->filter = p->filter;
	scan->key_attrs = (const char *const *)p->attrs;
	scan->nkey_attrs = p->nattrs;
	scan->budget = budget;
	scan->keys = scan_keys;
	scan->entry = scan_entry;
	scan->progress = scan_progress;
	scan->ctx = b;
	b->progress = progress;
	b->progress_ctx = ctx;
	return ldapdir_scan(d, scan, err);
}

int
ldapbulk_submit(void *dir, const char *userid, size_t tag, struct j2w_err *err)
{
	struct ldapbulk *b = dir;
	struct answer *a;
	struct wave_user *u;
	struct digest d;

	if (b->tail - b->head >= LDAPDIR_MAX_WINDOW)
		return err_set(err, J2W_ESYS, "internal: LDAP window full");
	if (compared(b, userid) < 0)
		return err_set(err, J2W_ESYS, "out of memory");
	digestmap_hash(&b->users, b->key.buf, b->key.len, &d);
	u = digestmap_find(&b->users, &d);
	a = &b->queue[b->tail++ % LDAPDIR_MAX_WINDOW];
	a->tag = tag;
	a->user = u != NULL ? (uint32_t)digestmap_index(&b->users, u) + 1 : 0;
	return 0;
}

int
ldapbulk_collect(void *dir, size_t *tag, struct ldapdir_entry *e, struct j2w_err *err)
{
	struct ldapbulk *b = dir;
	const struct answer *a;
	const struct wave_user *u;

	memset(e, 0, sizeof(*e));
	if (b->head == b->tail)
		return 0;
	a = &b->queue[b->head++ % LDAPDIR_MAX_WINDOW];
	*tag = a->tag;
	if (a->user == 0)
		return 1;
	u = digestmap_at(&b->users, a->user - 1);
	e->matches = (int)u->matches;
	/* as a search limited to two entries: more than one is "2", without values */
	if (u->matches == 1 && u->entry != 0) {
		const char *blob = b->entries[u->entry - 1], *p = blob + 1;
		char **f[FIELDS] = { &e->dn, &e->mail, &e->upn, &e->proxy_sip, &e->rtc_sip,
		    &e->extra };

		for (int i = 0; i < FIELDS; i++) {
			if (!(blob[0] & (1 << i)))
				continue;
			*f[i] = strdup(p);
			if (*f[i] == NULL) {
				ldapdir_entry_release(e);
				return err_set(err, J2W_ESYS, "out of memory");
			}
			p += strlen(p) + 1;
		}
	}
	return 1;
}
