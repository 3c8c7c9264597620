/* Persistent chat from PostgreSQL over libpq: one read-only snapshot, rows streamed with COPY. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libpq-fe.h>

#include "chat/chatsrc.h"
#include "util/strbuf.h"

#define PG_COLS_MAX 16

struct pg_table {
	const char *name;		/* lower case */
	int optional;
	const char *cols[PG_COLS_MAX];	/* NULL-terminated, lower case */
	int required;			/* the first `required` columns must exist */
};

/* Column order here is the order of the values handed to the row functions. */
static const struct pg_table pg_tables[] = {
	[CHATSRC_ROOMS] = { "tc_rooms", 0, { "room_jid", "creator_jid", "subject", "type", "config",
	    "spacket", NULL }, 1 },
	[CHATSRC_USERS] = { "tc_users", 1, { "room_jid", "real_jid", "role", "affiliation", "nick_jid",
	    NULL }, 2 },
	[CHATSRC_MSGS] = { "tc_msgarchive", 0, { "to_jid", "sent_date", "msg_id", "from_jid", "nick_jid",
	    "msg_type", "subject", "body_string", "body_text", "message_string", "message_text",
	    "body_len", NULL }, 2 },
	[CHATSRC_FILES] = { "aft_log", 1, { "aft_index", "jid", "to_jid", "method", "filename",
	    "real_filename", "file_server", "file_path", "bytes_transferred", "timestampvalue",
	    NULL }, 1 },
};

int
chatsrc_pg_parse_copy_row(char *line, size_t len, char **fields, int max)
{
	char *r = line, *w = line, *end = line + len;
	int n = 0;

	line[len] = '\0';
	for (;;) {
		char *start = w;

		if (n == max)
			return -1;
		if (r + 1 < end && r[0] == '\\' && r[1] == 'N' &&
		    (r + 2 == end || r[2] == '\t')) {
			fields[n++] = NULL;
			r += 2;
		} else {
			while (r < end && *r != '\t') {
				if (*r != '\\') {
					*w++ = *r++;
					continue;
				}
				if (++r == end)
					return -1;
				switch (*r) {
				case 'b': *w++ = '\b'; r++; break;
				case 'f': *w++ = '\f'; r++; break;
				case 'n': *w++ = '\n'; r++; break;
				case 'r': *w++ = '\r'; r++; break;
				case 't': *w++ = '\t'; r++; break;
				case 'v': *w++ = '\v'; r++; break;
				case 'x': {
					int v = 0, d = 0;

					r++;
					for (; d < 2 && r < end; d++, r++) {
						int c = *r;

						if (c >= '0' && c <= '9') v = v * 16 + c - '0';
						else if (c >= 'a' && c <= 'f') v = v * 16 + c - 'a' + 10;
						else if (c >= 'A' && c <= 'F') v = v * 16 + c - 'A' + 10;
						else break;
					}
					if (d == 0 || v == 0)
						return -1;
					*w++ = (char)v;
					break;
				}
				default:
					if (*r >= '0' && *r <= '7') {
						int v = 0, d = 0;

						for (; d < 3 && r < end && *r >= '0' && *r <= '7'; d++, r++)
							v = v * 8 + (*r - '0');
						if (v == 0 || v > 255)
							return -1;
						*w++ = (char)v;
					} else {
						*w++ = *r++;
					}
				}
			}
			fields[n++] = start;
		}
		if (r == end) {
			*w = '\0';
			return n;
		}
		/* *r is the tab: end this field; w <= r, so the NUL never overtakes unread input */
		r++;
		*w++ = '\0';
		if (w > r)
			return -1;
	}
}

int
chatsrc_pg_has_password(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	int found = 0;

	if (opts == NULL)
		return -1;
	for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL && o->val[0] != '\0')
			found = 1;
	PQconninfoFree(opts);
	return found;
}

char *
chatsrc_pg_describe(const char *conninfo)
{
	static const char *const keys[] = { "host", "hostaddr", "port", "dbname", "user" };
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL), *defs = PQconndefaults();
	struct strbuf sb;

	strbuf_init(&sb, 4096);
	strbuf_addstr(&sb, "pg:");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *val = NULL;

		for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
			if (strcmp(o->keyword, keys[i]) == 0 && o->val != NULL && o->val[0] != '\0')
				val = o->val;
		for (PQconninfoOption *o = defs; val == NULL && o != NULL && o->keyword != NULL; o++)
			if (strcmp(o->keyword, keys[i]) == 0 && o->val != NULL && o->val[0] != '\0')
				val = o->val;
		if (val != NULL)
			strbuf_addf(&sb, "%s%s=%s", sb.len > 3 ? " " : "", keys[i], val);
	}
	PQconninfoFree(opts);
	PQconninfoFree(defs);
	return strbuf_detach(&sb, NULL);
}

/* libpq messages end with a newline; a one-line message reads better. */
static int
pg_fail(PGconn *conn, struct j2w_err *err, const char *what)
{
	char msg[512];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", conn ? PQerrorMessage(conn) : "out of memory");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	/* one line: newlines and tabs become single spaces */
	{
		char *w = msg;

		for (char *p = msg; *p; p++) {
			char ch = *p == '\n' || *p == '\t' ? ' ' : *p;

			if (ch == ' ' && w > msg && w[-1] == ' ')
				continue;
			*w++ = ch;
		}
		*w = '\0';
	}
	return err_set(err, J2W_ESYS, "%s: %s", what, msg);
}

static int
pg_exec(PGconn *conn, const char *sql, struct j2w_err *err)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	PQclear(res);
	return ok ? 0 : pg_fail(conn, err, "PostgreSQL");
}

/*
 * Builds "COPY (SELECT cols FROM schema.table) TO STDOUT" for a table found
 * case-insensitively on the search path; absent optional columns select NULL.
 * Returns 1 with the SQL, 0 when an optional table is missing, -1 with err.
 */
static int
pg_build_copy(PGconn *conn, const struct pg_table *t, struct strbuf *sql, struct strbuf *count,
    struct j2w_err *err)
{
	const char *params[1] = { t->name };
	PGresult *res, *cres;
	char *schema = NULL, *rel = NULL, *oid;
	int ret = -1;

	res = PQexecParams(conn,
	    "SELECT n.nspname, c.relname, c.oid::text FROM pg_catalog.pg_class c"
	    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	    " WHERE lower(c.relname) = $1 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')"
	    " AND n.nspname = ANY (current_schemas(false))"
	    " ORDER BY array_position(current_schemas(false), n.nspname), c.relname COLLATE \"C\""
	    " LIMIT 1", 1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return pg_fail(conn, err, "cannot look up the chat tables");
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		if (t->optional)
			return 0;
		return err_set(err, J2W_EDATA, "PostgreSQL: no table '%s' on the search path", t->name);
	}
	schema = PQescapeIdentifier(conn, PQgetvalue(res, 0, 0), strlen(PQgetvalue(res, 0, 0)));
	rel = PQescapeIdentifier(conn, PQgetvalue(res, 0, 1), strlen(PQgetvalue(res, 0, 1)));
	oid = PQgetvalue(res, 0, 2);
	params[0] = oid;
	cres = PQexecParams(conn, "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = $1::oid"
	    " AND attnum > 0 AND NOT attisdropped ORDER BY attnum", 1, NULL, params, NULL, NULL, 0);
	if (schema == NULL || rel == NULL || PQresultStatus(cres) != PGRES_TUPLES_OK) {
		pg_fail(conn, err, "cannot look up the chat columns");
		goto out;
	}
	strbuf_reset(sql);
	strbuf_addstr(sql, "COPY (SELECT ");
	for (int i = 0; t->cols[i] != NULL; i++) {
		const char *found = NULL;

		for (int r = 0; r < PQntuples(cres) && found == NULL; r++)
			if (strcasecmp(PQgetvalue(cres, r, 0), t->cols[i]) == 0)
				found = PQgetvalue(cres, r, 0);
		if (i > 0)
			strbuf_addstr(sql, ", ");
		if (found == NULL) {
			if (i < t->required) {
				err_set(err, J2W_EDATA, "PostgreSQL: table '%s' has no column '%s'",
				    PQgetvalue(res, 0, 1), t->cols[i]);
				goto out;
			}
			strbuf_addstr(sql, "NULL");
		} else {
			char *id = PQescapeIdentifier(conn, found, strlen(found));

			if (id == NULL) {
				pg_fail(conn, err, "cannot quote a column name");
				goto out;
			}
			strbuf_addstr(sql, id);
			PQfreemem(id);
		}
	}
	if (strbuf_addf(sql, " FROM %s.%s) TO STDOUT", schema, rel) < 0) {
		err_set(err, J2W_ESYS, "out of memory");
		goto out;
	}
	if (count != NULL) {
		strbuf_reset(count);
		strbuf_addf(count, "SELECT count(*) FROM %s.%s", schema, rel);
	}
	ret = 1;
out:
	PQclear(cres);
	PQclear(res);
	PQfreemem(schema);
	PQfreemem(rel);
	return ret;
}

static int
pg_copy_table(PGconn *conn, const struct chat_sink *sink, enum chatsrc_table t,
    struct j2w_err *err)
{
	const struct pg_table *tab = &pg_tables[t];
	struct strbuf sql, count;
	PGresult *res;
	char *fields[PG_COLS_MAX];
	char where[64], prefix[32];
	unsigned long row = 0;
	int ncols = 0, rc, ret = -1;

	while (tab->cols[ncols] != NULL)
		ncols++;
	snprintf(prefix, sizeof(prefix), "%s row ", tab->name);
	strbuf_init(&sql, 0);
	strbuf_init(&count, 0);
	rc = pg_build_copy(conn, tab, &sql, t == CHATSRC_MSGS && sink->total ? &count : NULL, err);
	if (rc <= 0) {
		ret = rc;
		goto out;
	}
	if (count.len > 0) {
		res = PQexec(conn, count.buf);
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
			sink->total(sink->ctx, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
		PQclear(res);
	}
	res = PQexec(conn, sql.buf);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		PQclear(res);
		pg_fail(conn, err, "cannot read the chat tables");
		goto out;
	}
	PQclear(res);
	for (;;) {
		char *buf = NULL;
		int n = PQgetCopyData(conn, &buf, 0);

		if (n == -1)
			break;
		if (n < 0) {
			pg_fail(conn, err, "cannot read the chat tables");
			goto out;
		}
		row++;
		chatsrc_where(where, sizeof(where), prefix, row);
		if (n == 0 || buf[n - 1] != '\n' ||
		    chatsrc_pg_parse_copy_row(buf, (size_t)n - 1, fields, PG_COLS_MAX) != ncols) {
			PQfreemem(buf);
			err_set(err, J2W_EDATA, "%s: malformed COPY row", where);
			goto out;
		}
		rc = chatsrc_row(sink, t, (const char *const *)fields, where, err);
		PQfreemem(buf);
		if (rc < 0)
			goto out;	/* the caller closes the connection, which ends the COPY */
	}
	res = PQgetResult(conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		PQclear(res);
		pg_fail(conn, err, "cannot read the chat tables");
		goto out;
	}
	PQclear(res);
	while ((res = PQgetResult(conn)) != NULL)
		PQclear(res);
	ret = 0;
out:
	strbuf_release(&sql);
	strbuf_release(&count);
	return ret;
}

/* The value of keyword in a parsed conninfo, or NULL when unset or empty. */
static const char *
pg_opt(PQconninfoOption *opts, const char *keyword)
{
	for (PQconninfoOption *o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val != NULL && o->val[0] != '\0')
			return o->val;
	return NULL;
}

/* Whether every host in a comma-separated list is this machine. */
static int
pg_hosts_local(const char *hosts)
{
	const char *p = hosts;

	if (hosts == NULL)
		return 1;	/* libpq's default: the Unix socket */
	while (*p != '\0') {
		size_t n = strcspn(p, ",");

		if (!(n == 0 || p[0] == '/' || p[0] == '@' ||
		    (n == 9 && strncmp(p, "localhost", 9) == 0) ||
		    (n == 9 && strncmp(p, "127.0.0.1", 9) == 0) ||
		    (n == 3 && strncmp(p, "::1", 3) == 0)))
			return 0;
		p += n;
		if (*p == ',')
			p++;
	}
	return 1;
}

int
chatsrc_pg_tls(struct chatsrc_pg *pg, int insecure, const char *cacert)
{
	PQconninfoOption *opts = PQconninfoParse(pg->conninfo, NULL);
	const char *host, *env;
	int ret = 0;

	if (opts == NULL)
		return -1;
	if (cacert != NULL && pg_opt(opts, "sslrootcert") == NULL)
		pg->sslrootcert = cacert;
	env = getenv("PGSSLMODE");
	if (pg_opt(opts, "sslmode") == NULL && (env == NULL || env[0] == '\0')) {
		host = pg_opt(opts, "hostaddr");
		if (host == NULL)
			host = pg_opt(opts, "host");
		if (host == NULL)
			host = getenv("PGHOSTADDR");
		if (host == NULL || host[0] == '\0')
			host = getenv("PGHOST");
		if (host != NULL && host[0] == '\0')
			host = NULL;
		if (!pg_hosts_local(host)) {
			pg->sslmode = insecure ? "prefer" : "verify-full";
			pg->tls_forced = 1;
			ret = !insecure;
		}
	}
	PQconninfoFree(opts);
	return ret;
}

int
chatsrc_pg_read(const struct chatsrc_pg *pg, const struct chat_sink *sink, char **source,
    struct j2w_err *err)
{
	const char *keys[4], *vals[4];
	PGconn *conn;
	int n = 0, ret = -1;

	/* later keywords override what the expanded connection string says */
	keys[n] = "dbname";
	vals[n++] = pg->conninfo;
	if (pg->sslmode != NULL) {
		keys[n] = "sslmode";
		vals[n++] = pg->sslmode;
	}
	if (pg->sslrootcert != NULL) {
		keys[n] = "sslrootcert";
		vals[n++] = pg->sslrootcert;
	}
	keys[n] = NULL;
	vals[n] = NULL;
	conn = PQconnectdbParams(keys, vals, 1);
	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		pg_fail(conn, err, "cannot connect to PostgreSQL");
		if (pg->tls_forced && pg->sslmode != NULL && strcmp(pg->sslmode, "verify-full") == 0 &&
		    (strstr(err->msg, "SSL") != NULL || strstr(err->msg, "certificate") != NULL ||
		    strstr(err->msg, "root cert") != NULL)) {
			size_t len = strlen(err->msg);

			snprintf(err->msg + len, sizeof(err->msg) - len, " (TLS is verified for a remote "
			    "server: give its CA with --cacert, choose sslmode= in the connection "
			    "string, or accept the risk with --insecure)");
		}
		goto out;
	}
	if (source != NULL) {
		struct strbuf sb;

		/* no password: it may not be in the conninfo, and is never written down */
		strbuf_init(&sb, 4096);
		strbuf_addf(&sb, "pg:host=%s port=%s dbname=%s user=%s", PQhost(conn), PQport(conn),
		    PQdb(conn), PQuser(conn));
		*source = strbuf_detach(&sb, NULL);
	}
	if (PQsetClientEncoding(conn, "UTF8") != 0) {
		pg_fail(conn, err, "cannot set the client encoding");
		goto out;
	}
	/* one snapshot for all four tables, and a server that refuses any write */
	if (pg_exec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) < 0 ||
	    pg_exec(conn, "SET LOCAL DateStyle = 'ISO, YMD'", err) < 0 ||
	    pg_exec(conn, "SET LOCAL TimeZone = 'UTC'", err) < 0 ||
	    pg_exec(conn, "SET LOCAL IntervalStyle = 'iso_8601'", err) < 0)
		goto out;
	if (sink->room != NULL && pg_copy_table(conn, sink, CHATSRC_ROOMS, err) < 0)
		goto out;
	if (sink->member != NULL && pg_copy_table(conn, sink, CHATSRC_USERS, err) < 0)
		goto out;
	if (sink->msg != NULL && pg_copy_table(conn, sink, CHATSRC_MSGS, err) < 0)
		goto out;
	if (sink->file != NULL && pg_copy_table(conn, sink, CHATSRC_FILES, err) < 0)
		goto out;
	if (pg_exec(conn, "COMMIT", err) < 0)
		goto out;
	ret = 0;
out:
	PQfinish(conn);
	return ret;
}
