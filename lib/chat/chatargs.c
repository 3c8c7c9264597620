/* j2w-chat-archive's option rules, its CSV message count and its summary lines. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chat/chatargs.h"
#include "util/csvscan.h"

int
chatargs_when(const char *opt, const char *arg, int end_of_day, char *out, size_t len,
    struct j2w_err *err)
{
	if (chatsrc_time_bound(arg, end_of_day, out, len) == 0)
		return 0;
	if (errno == ERANGE)
		return err_set(err, J2W_EUSAGE, "%s: '%s' is out of range", opt, arg);
	return err_set(err, J2W_EUSAGE,
	    "%s wants a time such as 2024-01-31 or 2024-01-31T12:00:00Z, not '%s'", opt, arg);
}

int
chatargs_tz(const char *tz, struct j2w_err *err)
{
	if (chatsrc_tz_check(tz) == 0)
		return 0;
	if (errno == ENOENT)
		return err_set(err, J2W_EUSAGE, "--source-tz: unknown zone '%s' (see /usr/share/zoneinfo)",
		    tz);
	return err_set(err, J2W_EUSAGE, "--source-tz wants a zone name such as Europe/Berlin, not '%s'",
	    tz);
}

int
chatargs_source(const struct chatargs *a, struct chatsrc_pg *pg, struct j2w_err *err)
{
	int pw;

	if ((a->from_pg == NULL) == (a->from_csv == NULL))
		return err_set(err, J2W_EUSAGE,
		    "give the source with --from-pg CONNINFO or --from-csv DIR (one of them)");
	if (a->from_pg == NULL) {
		if (a->insecure || a->cacert != NULL)
			return err_set(err, J2W_EUSAGE, "--insecure and --cacert are for --from-pg");
		return 0;
	}
	pw = chatsrc_pg_has_password(a->from_pg);
	if (pw < 0)
		return err_set(err, J2W_EUSAGE, "--from-pg: cannot parse the connection string");
	if (pw > 0)
		return err_set(err, J2W_EUSAGE, "--from-pg: a password on the command line is refused "
		    "(other users can read it); use PGPASSWORD or a 0600 ~/.pgpass (PGPASSFILE)");
	if (a->cacert != NULL && access(a->cacert, R_OK) != 0)
		return err_set(err, J2W_EUSAGE, "--cacert: cannot read '%s': %s", a->cacert,
		    strerror(errno));
	memset(pg, 0, sizeof(*pg));
	pg->conninfo = a->from_pg;
	chatsrc_pg_tls(pg, a->insecure, a->cacert);
	return 0;
}

char *
chatargs_source_describe(const struct chatargs *a, struct j2w_err *err)
{
	char *source;

	if (a->from_csv != NULL)
		return chatsrc_csv_describe(a->from_csv, err);
	if ((source = chatsrc_pg_describe(a->from_pg)) == NULL)
		err_set(err, J2W_ESYS, "out of memory");
	return source;
}

void
chatargs_query(const struct chatargs *a, struct chat_query *q)
{
	memset(q, 0, sizeof(*q));
	q->match = a->pos[1];
	q->room = a->room;
	q->from = a->from;
	q->since = a->since[0] != '\0' ? a->since : NULL;
	q->until = a->until[0] != '\0' ? a->until : NULL;
	q->limit = a->limit;
}

int
chatargs_operands(const char *verb, const struct chatargs *a, struct j2w_err *err)
{
	if (strcmp(verb, "import") == 0) {
		if (a->to == NULL)
			return err_set(err, J2W_EUSAGE, "import wants the archive with --to ARCHIVE.db");
		if (a->npos > 0)
			return err_set(err, J2W_EUSAGE, "unexpected argument '%s'", a->pos[0]);
	} else if (strcmp(verb, "verify") == 0) {
		if (a->npos != 1)
			return err_set(err, J2W_EUSAGE,
			    "verify wants one archive: verify ARCHIVE.db --from-pg|--from-csv");
	} else if (strcmp(verb, "search") == 0) {
		if (a->npos != 2)
			return err_set(err, J2W_EUSAGE,
			    "search wants an archive and a query: search ARCHIVE.db QUERY");
		if (a->from_pg != NULL || a->from_csv != NULL || a->to != NULL)
			return err_set(err, J2W_EUSAGE, "search reads only the archive");
	} else if (strcmp(verb, "export") == 0) {
		if (a->npos != 1)
			return err_set(err, J2W_EUSAGE,
			    "export wants one archive: export ARCHIVE.db --format F -o DIR");
		if (a->format < 0)
			return err_set(err, J2W_EUSAGE, "export wants --format html, jsonl or txt");
	} else {
		return err_set(err, J2W_EUSAGE,
		    "unknown subcommand '%s' (import, verify, search, export or spaces)", verb);
	}
	return 0;
}

uint64_t
chatargs_csv_messages(const char *dir,
    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx)
{
	struct csv_scanner sc;
	struct j2w_err err;
	struct dirent *e;
	struct stat st;
	char *path = NULL, buf[65536];
	uint64_t done = 0, size;
	DIR *d = opendir(dir);
	FILE *fp;
	size_t n;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcasecmp(e->d_name, "TC_MSGARCHIVE.csv") == 0 &&
		    asprintf(&path, "%s/%s", dir, e->d_name) < 0)
			path = NULL;
	closedir(d);
	fp = path != NULL ? fopen(path, "rb") : NULL;
	free(path);
	if (fp == NULL)
		return 0;
	size = fstat(fileno(fp), &st) == 0 ? (uint64_t)st.st_size : 0;
	if (progress != NULL)
		progress(ctx, 0, size);
	csv_scanner_init(&sc, ',');
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if (csv_scanner_feed(&sc, buf, n, &err) < 0)
			break;
		done += n;
		if (progress != NULL)
			progress(ctx, done, size);
	}
	if (ferror(fp) || n > 0 || csv_scanner_finish(&sc, &err) < 0)
		sc.records = 0;
	fclose(fp);
	return sc.records > 1 ? sc.records - 1 : 0;
}

void
chatargs_import_describe(const struct chatimport_counts *k, const char *archive,
    struct strbuf *sb)
{
	strbuf_add_count(sb, k->rooms, "room", NULL);
	strbuf_addstr(sb, ", ");
	strbuf_add_count(sb, k->members, "member", NULL);
	strbuf_addstr(sb, ", ");
	strbuf_add_count(sb, k->messages_read, "message", NULL);
	strbuf_addf(sb, " read: %llu added, %llu already archived, %llu rejected; ",
	    (unsigned long long)k->messages_added, (unsigned long long)k->messages_known,
	    (unsigned long long)k->messages_rejected);
	strbuf_add_count(sb, k->files_read, "file", NULL);
	strbuf_addf(sb, " (%llu added, %llu matched to messages)\n",
	    (unsigned long long)k->files_added, (unsigned long long)k->files_matched);
	if (k->other_rejected > 0) {
		strbuf_add_count(sb, k->other_rejected, "row", NULL);
		strbuf_addstr(sb, " of rooms, members or files rejected\n");
	}
	strbuf_addf(sb, "archive '%s': ", archive);
	strbuf_add_count(sb, k->archive_messages, "message", NULL);
	strbuf_addf(sb, ", digest %s", k->archive_digest);
}

int
chatargs_import_changed(const struct chatimport_counts *k, struct strbuf *sb)
{
	if (k->messages_changed == 0)
		return 0;
	strbuf_addf(sb, "%llu archived messages differ from the source now; the archive keeps "
	    "what it archived first ('verify' lists the rooms)",
	    (unsigned long long)k->messages_changed);
	return 1;
}

void
chatargs_import_stopped(const struct chatimport_counts *k, struct strbuf *sb)
{
	strbuf_addf(sb, "import stopped; %llu messages were added and are kept: run the import "
	    "again to carry on", (unsigned long long)k->messages_added);
}

int
chatargs_import_status(const struct chatimport_counts *k)
{
	return k->messages_rejected > 0 || k->files_rejected > 0 || k->other_rejected > 0 ?
	    J2W_FINDINGS : J2W_OK;
}

void
chatargs_verify_describe(const struct chatverify_totals *t, struct strbuf *sb)
{
	strbuf_add_count(sb, t->rooms, "room", NULL);
	strbuf_addstr(sb, ", ");
	strbuf_add_count(sb, t->source_messages, "message", NULL);
	strbuf_addf(sb, " in the source, %llu in the archive, ",
	    (unsigned long long)t->archive_messages);
	strbuf_add_count(sb, t->source_files, "file", NULL);
	strbuf_addf(sb, ": %s", chatverify_different(t) ? "DIFFERENT" : "equal");
}
