/* Persistent chat from CSV dumps of TC_ROOMS, TC_USERS, TC_MSGARCHIVE, AFT_LOG (Oracle, MS SQL sites). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "chat/chatsrc.h"
#include "util/csvio.h"
#include "util/strbuf.h"

#define CSV_COLS_MAX 16

struct csv_table {
	const char *file;		/* lower case; matched in any case */
	int optional;
	const char *cols[CSV_COLS_MAX];	/* NULL-terminated */
	int required;			/* the first `required` columns must exist */
};

static const struct csv_table csv_tables[] = {
	[CHATSRC_ROOMS] = { "tc_rooms.csv", 0, { "ROOM_JID", "CREATOR_JID", "SUBJECT", "TYPE",
	    "CONFIG", "SPACKET", NULL }, 1 },
	[CHATSRC_USERS] = { "tc_users.csv", 1, { "ROOM_JID", "REAL_JID", "ROLE", "AFFILIATION",
	    "NICK_JID", NULL }, 2 },
	[CHATSRC_MSGS] = { "tc_msgarchive.csv", 0, { "TO_JID", "SENT_DATE", "MSG_ID", "FROM_JID",
	    "NICK_JID", "MSG_TYPE", "SUBJECT", "BODY_STRING", "BODY_TEXT", "MESSAGE_STRING",
	    "MESSAGE_TEXT", "BODY_LEN", NULL }, 2 },
	[CHATSRC_FILES] = { "aft_log.csv", 1, { "AFT_INDEX", "JID", "TO_JID", "METHOD", "FILENAME",
	    "REAL_FILENAME", "FILE_SERVER", "FILE_PATH", "BYTES_TRANSFERRED", "TIMESTAMPVALUE",
	    NULL }, 1 },
};

/*
 * A CSV record reader that survives damage (csv_reader stops at the first bad
 * byte): RFC 4180 quoting, rows ending at LF, CRLF or a lone CR, a UTF-8 BOM
 * skipped, the line each row starts on. A record that is not whole (a field
 * over CSV_FIELD_MAX bytes or with a NUL byte, a quote out of place, more than
 * CSV_FIELDS_MAX fields, the file ending inside quotes) is still read to its
 * end and returned with damage set, so that the next one starts where it should.
 */
struct rec_reader {
	FILE *fp;
	char buf[65536];
	size_t len, pos;
	int eof, at_start, prev_cr;
	int mid_line;			/* the last byte read was not a line end */
	unsigned long line;		/* lines ended so far */
	struct strbuf data;		/* the fields, each NUL-terminated, back to back */
	size_t *off;
	size_t n, cap;			/* fields kept; n counts on past cap (see nfields) */
	size_t nfields;			/* fields in the record */
	size_t field_len;		/* bytes of the field being read */
	int dropping;			/* the field being read is not kept (over a limit) */
	unsigned long row_line;		/* the line the record starts on */
	unsigned long end_line;		/* and the line it ends on */
	const char *damage;		/* why the record is not whole, or NULL */
};

enum { S_START, S_PLAIN, S_QUOTED, S_QUOTE };

static void
rec_init(struct rec_reader *r, FILE *fp)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->at_start = 1;
	strbuf_init(&r->data, CSV_ROW_MAX);
}

static void
rec_release(struct rec_reader *r)
{
	strbuf_release(&r->data);
	free(r->off);
}

static void
rec_damage(struct rec_reader *r, const char *why)
{
	if (r->damage == NULL)
		r->damage = why;
}

/* Appends bytes to the field being read, unless it is being dropped. */
static int
rec_add(struct rec_reader *r, const char *s, size_t n)
{
	if (r->dropping)
		return 0;
	if (r->field_len + n > CSV_FIELD_MAX) {
		rec_damage(r, "a field longer than 4194304 bytes");
		r->dropping = 1;
		return 0;
	}
	if (strbuf_add(&r->data, s, n) < 0) {
		if (errno != EFBIG)
			return -1;
		rec_damage(r, "a row longer than 16777216 bytes");
		r->dropping = 1;
		return 0;
	}
	r->field_len += n;
	return 0;
}

/* Ends the field being read. */
static int
rec_end_field(struct rec_reader *r)
{
	size_t start;

	r->nfields++;
	if (r->n == CSV_FIELDS_MAX) {
		rec_damage(r, "more than 4096 fields");
		r->dropping = 1;
	}
	if (r->dropping) {
		/* nothing of a field over a limit is a value */
		r->data.len -= r->field_len;
		r->data.buf[r->data.len] = '\0';
		r->field_len = 0;
	}
	r->dropping = 0;
	if (r->n == CSV_FIELDS_MAX)
		return 0;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		size_t *off = realloc(r->off, cap * sizeof(*off));

		if (off == NULL)
			return -1;
		r->off = off;
		r->cap = cap;
	}
	start = r->data.len - r->field_len;
	r->field_len = 0;
	if (strbuf_addch(&r->data, '\0') < 0) {
		if (errno != EFBIG)
			return -1;
		rec_damage(r, "a row longer than 16777216 bytes");
		r->data.len = start;
		r->data.buf[start] = '\0';
		return 0;
	}
	r->off[r->n++] = start;
	return 0;
}

/* Counts a line end (CRLF is one) and returns whether c ended a line. */
static int
rec_newline(struct rec_reader *r, char c)
{
	if (c == '\n') {
		if (!r->prev_cr)
			r->line++;
		r->prev_cr = 0;
		return 1;
	}
	if (c == '\r') {
		r->line++;
		r->prev_cr = 1;
		return 1;
	}
	r->prev_cr = 0;
	return 0;
}

/* The length of the run of s[0..n) with nothing special in state st. */
static size_t
rec_run(const char *s, size_t n, int st)
{
	size_t i = 0;

	if (st == S_QUOTED) {
		while (i < n && s[i] != '"' && s[i] != '\0' && s[i] != '\r' && s[i] != '\n')
			i++;
	} else {
		while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\0' && s[i] != '\r' &&
		    s[i] != '\n')
			i++;
	}
	return i;
}

/*
 * Reads the next non-blank record. Returns 1 (r->damage says whether it is
 * whole), 0 at the end, -1 with err (J2W_ESYS) when the file cannot be read
 * or memory runs out.
 */
static int
rec_next(struct rec_reader *r, const char *name, struct j2w_err *err)
{
	int st = S_START, started = 0;

	strbuf_reset(&r->data);
	r->n = r->nfields = r->field_len = 0;
	r->dropping = 0;
	r->damage = NULL;
	for (;;) {
		const char *s;
		size_t avail, run;
		char c;

		if (r->pos == r->len) {
			if (r->eof)
				break;
			r->len = fread(r->buf, 1, sizeof(r->buf), r->fp);
			r->pos = 0;
			if (r->len == 0) {
				if (ferror(r->fp))
					return err_set_errno(err, J2W_ESYS, "cannot read '%s'", name);
				r->eof = 1;
			} else if (r->at_start && r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0) {
				r->pos = 3;
			}
			r->at_start = 0;
			continue;
		}
		s = r->buf + r->pos;
		avail = r->len - r->pos;
		if (st == S_PLAIN || st == S_QUOTED) {
			run = rec_run(s, avail, st);
			if (run > 0) {
				if (rec_add(r, s, run) < 0)
					goto oom;
				r->prev_cr = 0;
				r->mid_line = 1;
				r->pos += run;
				continue;
			}
		}
		c = *s;
		r->pos++;
		r->mid_line = c != '\r' && c != '\n';
		if (!started && c != '\r' && c != '\n') {
			started = 1;
			r->row_line = r->line + 1;
		}
		if (c == '\0')
			rec_damage(r, "a NUL byte in a field (is the file UTF-16?)");
		switch (st) {
		case S_START:
		case S_PLAIN:
			if (c == '\r' || c == '\n') {
				rec_newline(r, c);
				if (!started)
					continue;
				if (rec_end_field(r) < 0)
					goto oom;
				r->end_line = r->line;
				return 1;
			}
			r->prev_cr = 0;
			if (c == ',') {
				if (rec_end_field(r) < 0)
					goto oom;
				st = S_START;
			} else if (c == '"' && st == S_START) {
				st = S_QUOTED;
			} else {
				if (c == '"')
					rec_damage(r, "a quote inside a field that does not start with one");
				if (c != '\0' && rec_add(r, &c, 1) < 0)
					goto oom;
				st = S_PLAIN;
			}
			break;
		case S_QUOTED:
			if (c == '"') {
				r->prev_cr = 0;
				st = S_QUOTE;
			} else {
				/* a line end inside quotes is part of the field, and still a line */
				rec_newline(r, c);
				if (c != '\0' && rec_add(r, &c, 1) < 0)
					goto oom;
			}
			break;
		case S_QUOTE:
			if (c == '"') {
				r->prev_cr = 0;
				if (rec_add(r, &c, 1) < 0)
					goto oom;
				st = S_QUOTED;
			} else if (c == ',') {
				r->prev_cr = 0;
				if (rec_end_field(r) < 0)
					goto oom;
				st = S_START;
			} else if (c == '\r' || c == '\n') {
				rec_newline(r, c);
				if (rec_end_field(r) < 0)
					goto oom;
				r->end_line = r->line;
				return 1;
			} else {
				r->prev_cr = 0;
				rec_damage(r, "text after the closing quote of a field");
				if (c != '\0' && rec_add(r, &c, 1) < 0)
					goto oom;
				st = S_PLAIN;
			}
			break;
		}
	}
	if (!started)
		return 0;
	if (st == S_QUOTED)
		rec_damage(r, "the file ends inside a quoted field (cut short?)");
	if (rec_end_field(r) < 0)
		goto oom;
	/* a last line without a line end is counted here */
	r->end_line = r->line + (unsigned long)r->mid_line;
	return 1;
oom:
	return err_set(err, J2W_ESYS, "%s:%lu: out of memory", name, r->row_line);
}

static const char *
rec_field(const struct rec_reader *r, size_t i)
{
	return i < r->n ? r->data.buf + r->off[i] : NULL;
}

/* The file in dir whose name is want in any letter case; caller frees. NULL when none. */
static char *
csv_find_file(const char *dir, const char *want, struct j2w_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *path = NULL;

	if (d == NULL) {
		err_set_errno(err, errno == ENOENT || errno == ENOTDIR ? J2W_EUSAGE : J2W_ESYS,
		    "cannot open '%s'", dir);
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcasecmp(e->d_name, want) == 0) {
			size_t n = strlen(dir) + strlen(e->d_name) + 2;

			path = malloc(n);
			if (path != NULL)
				snprintf(path, n, "%s/%s", dir, e->d_name);
			break;
		}
	}
	closedir(d);
	err_clear(err);
	return path;
}

/* A row that is not whole: told to the sink, never archived as if whole. */
static int
csv_reject_row(const struct chat_sink *s, enum chatsrc_table t, const char *where,
    const char *why, struct j2w_err *err)
{
	char msg[PATH_MAX + 32 + 256 + 32];

	snprintf(msg, sizeof(msg), "%s: %s: row not archived", where, why);
	if (s->reject != NULL)
		return s->reject(s->ctx, t, msg, err);
	if (t == CHATSRC_MSGS) {
		struct chat_msg m = { .where = where, .damaged = why };

		return s->msg(s->ctx, &m, err);
	}
	return err_set(err, J2W_EDATA, "%s", msg);
}

int
chatsrc_csv_read_file(FILE *fp, const char *name, enum chatsrc_table t,
    const struct chat_sink *sink, struct j2w_err *err)
{
	const struct csv_table *tab = &csv_tables[t];
	struct rec_reader r;
	struct csv_row hrow = { 0 };
	struct csv_header h = { 0 };
	long map[CSV_COLS_MAX];
	const char *vals[CSV_COLS_MAX];
	char where[PATH_MAX + 32], prefix[PATH_MAX + 8], why[256];
	int rc, ret = -1;

	snprintf(prefix, sizeof(prefix), "%s:", name);
	rec_init(&r, fp);
	rc = rec_next(&r, name, err);
	if (rc <= 0) {
		if (rc == 0)
			err_set(err, J2W_EDATA, "%s: empty file (no header row)", name);
		goto out;
	}
	if (r.damage != NULL) {
		err_set(err, J2W_EDATA, "%s:%lu: the header row is not whole: %s", name, r.row_line,
		    r.damage);
		goto out;
	}
	/* the header through csv_header_load, for its folded names */
	hrow.data = r.data;
	hrow.off = r.off;
	hrow.n = r.n;
	if (csv_header_load(&h, &hrow, err) < 0)
		goto out;
	for (int i = 0; tab->cols[i] != NULL; i++) {
		map[i] = csv_header_find(&h, tab->cols[i]);
		if (map[i] < 0 && i < tab->required) {
			err_set(err, J2W_EDATA, "%s:%lu: no '%s' column", name, r.row_line, tab->cols[i]);
			goto out;
		}
	}
	while ((rc = rec_next(&r, name, err)) > 0) {
		chatsrc_where(where, sizeof(where), prefix, r.row_line);
		if (r.damage != NULL || r.nfields != h.n) {
			int n;

			if (r.damage != NULL)
				n = snprintf(why, sizeof(why), "%s", r.damage);
			else
				n = snprintf(why, sizeof(why), "%zu %s where the header has %zu (%s)",
				    r.nfields, r.nfields == 1 ? "field" : "fields", h.n,
				    r.nfields < h.n ? "cut short?" : "a comma outside quotes?");
			/* a record over several lines (a stray quote swallows lines): say which */
			if (r.end_line > r.row_line && n > 0 && (size_t)n < sizeof(why))
				snprintf(why + n, sizeof(why) - (size_t)n, " (lines %lu-%lu)", r.row_line,
				    r.end_line);
			if (csv_reject_row(sink, t, where, why, err) < 0)
				goto out;
			continue;
		}
		for (int i = 0; tab->cols[i] != NULL; i++) {
			const char *v = map[i] >= 0 ? rec_field(&r, (size_t)map[i]) : NULL;

			vals[i] = v != NULL && v[0] != '\0' ? v : NULL;
		}
		if (chatsrc_row(sink, t, vals, where, err) < 0)
			goto out;
	}
	if (rc == 0)
		ret = 0;
out:
	csv_header_release(&h);
	rec_release(&r);
	return ret;
}

/* Reads one table of dir. */
static int
csv_read_table(const char *dir, enum chatsrc_table t, const struct chat_sink *sink,
    struct j2w_err *err)
{
	const struct csv_table *tab = &csv_tables[t];
	char *path;
	FILE *fp;
	int rc;

	path = csv_find_file(dir, tab->file, err);
	if (path == NULL) {
		if (err->status != J2W_OK)
			return -1;
		if (tab->optional)
			return 0;
		return err_set(err, J2W_EDATA, "%s: no %s dump (%s, any letter case)", dir, tab->file,
		    tab->file);
	}
	fp = fopen(path, "rb");
	if (fp == NULL) {
		err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
		free(path);
		return -1;
	}
	rc = chatsrc_csv_read_file(fp, strrchr(path, '/') + 1, t, sink, err);
	fclose(fp);
	free(path);
	return rc;
}

int
chatsrc_csv_read(const char *dir, const struct chat_sink *sink, char **source,
    struct j2w_err *err)
{
	char *abs;

	if (source != NULL) {
		abs = realpath(dir, NULL);
		if (abs == NULL)
			return err_set_errno(err, errno == ENOENT ? J2W_EUSAGE : J2W_ESYS,
			    "cannot open '%s'", dir);
		*source = malloc(strlen(abs) + 5);
		if (*source == NULL) {
			free(abs);
			return err_set(err, J2W_ESYS, "out of memory");
		}
		memcpy(*source, "csv:", 4);
		memcpy(*source + 4, abs, strlen(abs) + 1);
		free(abs);
	}
	if (sink->room != NULL && csv_read_table(dir, CHATSRC_ROOMS, sink, err) < 0)
		return -1;
	if (sink->member != NULL && csv_read_table(dir, CHATSRC_USERS, sink, err) < 0)
		return -1;
	if (sink->msg != NULL && csv_read_table(dir, CHATSRC_MSGS, sink, err) < 0)
		return -1;
	if (sink->file != NULL && csv_read_table(dir, CHATSRC_FILES, sink, err) < 0)
		return -1;
	return 0;
}

char *
chatsrc_csv_describe(const char *dir, struct j2w_err *err)
{
	struct stat st;
	char *abs, *source = NULL;

	if (stat(dir, &st) != 0) {
		err_set_errno(err, J2W_EUSAGE, "cannot open '%s'", dir);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		err_set(err, J2W_EUSAGE, "cannot open '%s': not a directory", dir);
		return NULL;
	}
	abs = realpath(dir, NULL);
	if (abs == NULL || asprintf(&source, "csv:%s", abs) < 0) {
		err_set_errno(err, J2W_ESYS, "cannot resolve '%s'", dir);
		source = NULL;
	}
	free(abs);
	return source;
}
