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

#define CSV_COLS_MAX 16

enum { T_ROOMS, T_USERS, T_MSGS, T_FILES };

struct csv_table {
	const char *file;		/* lower case; matched in any case */
	int optional;
	const char *cols[CSV_COLS_MAX];	/* NULL-terminated */
	int required;			/* the first `required` columns must exist */
};

static const struct csv_table csv_tables[] = {
	[T_ROOMS] = { "tc_rooms.csv", 0, { "ROOM_JID", "CREATOR_JID", "SUBJECT", "TYPE", "CONFIG",
	    "SPACKET", NULL }, 1 },
	[T_USERS] = { "tc_users.csv", 1, { "ROOM_JID", "REAL_JID", "ROLE", "AFFILIATION", "NICK_JID",
	    NULL }, 2 },
	[T_MSGS] = { "tc_msgarchive.csv", 0, { "TO_JID", "SENT_DATE", "MSG_ID", "FROM_JID", "NICK_JID",
	    "MSG_TYPE", "SUBJECT", "BODY_STRING", "BODY_TEXT", "MESSAGE_STRING", "MESSAGE_TEXT",
	    NULL }, 2 },
	[T_FILES] = { "aft_log.csv", 1, { "AFT_INDEX", "JID", "TO_JID", "METHOD", "FILENAME",
	    "REAL_FILENAME", "FILE_SERVER", "FILE_PATH", "BYTES_TRANSFERRED", "TIMESTAMPVALUE",
	    NULL }, 1 },
};

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

/* Reads one table: each row's values in the table's column order (NULL for absent or empty). */
static int
csv_read_table(const char *dir, int t, int (*row)(void *ctx, const char **v, const char *where,
    struct j2w_err *err), void *ctx, struct j2w_err *err)
{
	const struct csv_table *tab = &csv_tables[t];
	struct csv_reader r;
	struct csv_header h = { 0 };
	long map[CSV_COLS_MAX];
	const char *vals[CSV_COLS_MAX];
	const char *base;
	char where[PATH_MAX + 32], prefix[PATH_MAX + 8];
	char *path;
	FILE *fp;
	int rc, ret = -1;

	path = csv_find_file(dir, tab->file, err);
	if (path == NULL) {
		if (err->status != J2W_OK)
			return -1;
		if (tab->optional)
			return 0;
		return err_set(err, J2W_EDATA, "%s: no %s dump (%s, any letter case)", dir, tab->file,
		    tab->file);
	}
	base = strrchr(path, '/') + 1;
	snprintf(prefix, sizeof(prefix), "%s:", base);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		err_set_errno(err, J2W_ESYS, "cannot open '%s'", path);
		free(path);
		return -1;
	}
	if (csv_reader_init(&r, fp, -1, ',', base, err) < 0)
		goto out_file;
	rc = csv_reader_next(&r, err);
	if (rc <= 0) {
		if (rc == 0)
			err_set(err, J2W_EDATA, "%s: empty file (no header row)", base);
		goto out;
	}
	if (csv_header_load(&h, &r.row, err) < 0)
		goto out;
	for (int i = 0; tab->cols[i] != NULL; i++) {
		map[i] = csv_header_find(&h, tab->cols[i]);
		if (map[i] < 0 && i < tab->required) {
			err_set(err, J2W_EDATA, "%s:%lu: no '%s' column", base, r.row.line, tab->cols[i]);
			goto out;
		}
	}
	while ((rc = csv_reader_next(&r, err)) > 0) {
		for (int i = 0; tab->cols[i] != NULL; i++) {
			const char *v = map[i] >= 0 ? csv_row_field(&r.row, (size_t)map[i], NULL) : NULL;

			vals[i] = v != NULL && v[0] != '\0' ? v : NULL;
		}
		chatsrc_where(where, sizeof(where), prefix, r.row.line);
		if (row(ctx, vals, where, err) < 0)
			goto out;
	}
	if (rc == 0)
		ret = 0;
out:
	csv_header_release(&h);
	csv_reader_release(&r);
out_file:
	fclose(fp);
	free(path);
	return ret;
}

static int
csv_room_row(void *ctx, const char **v, const char *where, struct j2w_err *err)
{
	const struct chat_sink *s = ctx;
	struct chat_room r = { v[0], v[1], v[2], v[3], v[4], v[5], where };

	return s->room(s->ctx, &r, err);
}

static int
csv_member_row(void *ctx, const char **v, const char *where, struct j2w_err *err)
{
	const struct chat_sink *s = ctx;
	struct chat_member m = { v[0], v[1], v[2], v[3], v[4], where };

	return s->member(s->ctx, &m, err);
}

static int
csv_msg_row(void *ctx, const char **v, const char *where, struct j2w_err *err)
{
	const struct chat_sink *s = ctx;
	struct chat_msg m = {
		.room_jid = v[0], .sent = v[1], .msg_id = v[2], .from_jid = v[3], .nick_jid = v[4],
		.msg_type = v[5], .subject = v[6], .body_string = v[7], .body_text = v[8],
		.message_string = v[9], .message_text = v[10], .where = where
	};

	return s->msg(s->ctx, &m, err);
}

static int
csv_file_row(void *ctx, const char **v, const char *where, struct j2w_err *err)
{
	const struct chat_sink *s = ctx;
	struct chat_file f = { v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], where };

	return s->file(s->ctx, &f, err);
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
	if (sink->room != NULL && csv_read_table(dir, T_ROOMS, csv_room_row, (void *)sink, err) < 0)
		return -1;
	if (sink->member != NULL && csv_read_table(dir, T_USERS, csv_member_row, (void *)sink, err) < 0)
		return -1;
	if (sink->msg != NULL && csv_read_table(dir, T_MSGS, csv_msg_row, (void *)sink, err) < 0)
		return -1;
	if (sink->file != NULL && csv_read_table(dir, T_FILES, csv_file_row, (void *)sink, err) < 0)
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
