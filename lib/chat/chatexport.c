/* Room exports: self-contained escaped HTML, JSON Lines and plain text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <openssl/evp.h>

#include "chat/chatexport.h"
#include "util/atomicfile.h"
#include "util/html.h"
#include "util/jsonl.h"
#include "util/version.h"

int
chatexport_parse_format(const char *s)
{
	if (strcmp(s, "html") == 0)
		return CHATEXPORT_HTML;
	if (strcmp(s, "jsonl") == 0)
		return CHATEXPORT_JSONL;
	if (strcmp(s, "txt") == 0)
		return CHATEXPORT_TXT;
	return -1;
}

const char *
chatexport_ext(enum chatexport_format f)
{
	return f == CHATEXPORT_HTML ? "html" : f == CHATEXPORT_JSONL ? "jsonl" : "txt";
}

/* Plain text keeps newlines and tabs; other control characters (terminal escapes) become '?'. */
static void
txt_put(FILE *fp, const char *s, const char *indent)
{
	if (s == NULL)
		return;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n') {
			putc('\n', fp);
			fputs(indent, fp);
		} else if (c == '\r') {
			if (s[1] != '\n')
				putc('?', fp);
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			putc('?', fp);
		} else {
			putc(c, fp);
		}
	}
}

void
chatexport_file_name(const char *room_jid, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, max = len - 1;
	int changed = 0;

	if (len < 128) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	/* room for "-" and 12 hex digits of the hash when the name had to change */
	for (const char *p = room_jid; *p && n < max - 13; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '@' || (c == '.' && n > 0)) {
			out[n++] = (char)c;
		} else {
			out[n++] = '_';
			changed = 1;
		}
	}
	if (strlen(room_jid) > n)
		changed = 1;
	if (n == 0) {
		out[n++] = '_';
		changed = 1;
	}
	/* a room called "index" (in any case) would be written over by the index page */
	if (n == 5 && strncasecmp(out, "index", 5) == 0)
		changed = 1;
	if (changed) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;

		EVP_Digest(room_jid, strlen(room_jid), md, &mdlen, EVP_sha256(), NULL);
		out[n++] = '-';
		for (int i = 0; i < 6; i++) {
			out[n++] = hex[md[i] >> 4];
			out[n++] = hex[md[i] & 15];
		}
	}
	out[n] = '\0';
}

json_t *
chatexport_row_json(const struct chat_row *row, int with_stanza)
{
	json_t *o = json_object(), *files;

	if (o == NULL)
		return NULL;
	json_set_str(o, "room", row->room_jid);
	json_set_str(o, "room_name", row->room_name);
	if (row->has_msg_id)
		json_object_set_new(o, "msg_id", json_integer(row->msg_id));
	json_set_str(o, "time", row->sent_utc);
	json_set_str(o, "from", row->from_jid);
	json_set_str(o, "nick", row->nick);
	json_set_str(o, "type", row->msg_type);
	if (row->body != NULL)
		json_object_set_new(o, "body", json_string(row->body));
	if (row->nfiles > 0) {
		files = json_array();
		for (size_t i = 0; i < row->nfiles; i++) {
			const struct chat_attach *a = &row->files[i];
			json_t *f = json_object();

			json_object_set_new(f, "aft_index", json_integer(a->aft_index));
			json_set_str(f, "name", a->real_filename);
			json_set_str(f, "filename", a->filename);
			if (a->bytes >= 0)
				json_object_set_new(f, "bytes", json_integer(a->bytes));
			json_set_str(f, "file_server", a->file_server);
			json_set_str(f, "file_path", a->file_path);
			json_array_append_new(files, f);
		}
		json_object_set_new(o, "files", files);
	}
	if (with_stanza && row->stanza != NULL)
		json_object_set_new(o, "stanza", json_string(row->stanza));
	return o;
}

struct export_run {
	FILE *fp;
	enum chatexport_format f;
	char day[11];
	uint64_t n;
	const struct chatexport_part *part;	/* or NULL */
};

static const char html_style[] =
"body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0 auto;"
"max-width:60em;padding:1em 1.5em;color:#1d1d1f;background:#fff}\n"
"h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;border-bottom:1px solid #ddd;"
"padding-bottom:.2em;margin-top:1.5em}h3{font-size:.95em;color:#555;margin:1.2em 0 .4em}\n"
".jid,.from,time,.path{color:#666;font-size:.9em}dl{display:grid;grid-template-columns:"
"max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}\n"
"table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left}\n"
"ol.msgs{list-style:none;padding:0;margin:0}ol.msgs>li{padding:.35em 0;border-bottom:1px solid #f0f0f0}\n"
".nick{font-weight:600}.body{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:.1em}\n"
".files{margin:.2em 0 0;padding-left:1.2em;font-size:.9em}footer{margin-top:2em;color:#888;"
"font-size:.85em}\n"
"nav{font-size:.9em;margin-bottom:.4em}\n"
"@media print{body{max-width:none}ol.msgs>li{break-inside:avoid}nav{display:none}}\n";

static void
html_head(FILE *fp, const struct chat_room_info *r, const char *index_href)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<title>", fp);
	html_escape(fp, r->name ? r->name : r->room_jid);
	fputs(" \xe2\x80\x94 chat archive</title>\n<style>\n", fp);
	fputs(html_style, fp);
	fputs("</style>\n</head>\n<body>\n", fp);
	/* the way back to the list of rooms, from a page opened on its own */
	if (index_href != NULL) {
		fputs("<nav><a href=\"", fp);
		html_escape(fp, index_href);
		fputs("\">\xe2\x86\x90 All rooms</a></nav>\n", fp);
	}
	fputs("<header>\n<h1>", fp);
	html_escape(fp, r->name ? r->name : r->room_jid);
	fputs("</h1>\n<p class=\"jid\">", fp);
	html_escape(fp, r->room_jid);
	fputs("</p>\n<dl>\n", fp);
	if (r->type != NULL) {
		fputs("<dt>Type</dt><dd>", fp);
		html_escape(fp, r->type);
		fputs("</dd>\n", fp);
	}
	if (r->creator_jid != NULL) {
		fputs("<dt>Created by</dt><dd>", fp);
		html_escape(fp, r->creator_jid);
		fputs("</dd>\n", fp);
	}
	if (r->subject != NULL) {
		fputs("<dt>Subject</dt><dd>", fp);
		html_escape(fp, r->subject);
		fputs("</dd>\n", fp);
	}
	fprintf(fp, "<dt>Messages</dt><dd>%llu</dd>\n", (unsigned long long)r->messages);
	if (r->first_utc != NULL) {
		fputs("<dt>Period</dt><dd>", fp);
		html_escape(fp, r->first_utc);
		fputs(" to ", fp);
		html_escape(fp, r->last_utc);
		fputs("</dd>\n", fp);
	}
	fputs("</dl>\n</header>\n", fp);
}

static int
html_member(void *ctx, const struct chat_member_info *m)
{
	struct export_run *run = ctx;

	fputs("<tr><td>", run->fp);
	html_escape(run->fp, m->real_jid);
	fputs("</td><td>", run->fp);
	html_escape(run->fp, m->nick);
	fputs("</td><td>", run->fp);
	html_escape(run->fp, m->affiliation);
	fputs("</td><td>", run->fp);
	html_escape(run->fp, m->role);
	fputs("</td></tr>\n", run->fp);
	run->n++;
	return 0;
}

static int
txt_member(void *ctx, const struct chat_member_info *m)
{
	struct export_run *run = ctx;

	fputs("#   ", run->fp);
	txt_put(run->fp, m->real_jid, "");
	if (m->nick != NULL) {
		fputs(" (", run->fp);
		txt_put(run->fp, m->nick, "");
		putc(')', run->fp);
	}
	if (m->affiliation != NULL) {
		fputs(" ", run->fp);
		txt_put(run->fp, m->affiliation, "");
	}
	putc('\n', run->fp);
	return 0;
}

static void
html_files(FILE *fp, const struct chat_row *row)
{
	if (row->nfiles == 0)
		return;
	fputs("<ul class=\"files\">\n", fp);
	for (size_t i = 0; i < row->nfiles; i++) {
		const struct chat_attach *a = &row->files[i];

		fputs("<li>Attachment: <strong>", fp);
		html_escape(fp, a->real_filename ? a->real_filename : a->filename);
		fputs("</strong>", fp);
		if (a->bytes >= 0)
			fprintf(fp, " (%lld bytes)", a->bytes);
		if (a->file_server != NULL || a->file_path != NULL) {
			fputs(" <span class=\"path\">", fp);
			html_escape(fp, a->file_server);
			fputs(":", fp);
			html_escape(fp, a->file_path);
			fputs("</span>", fp);
		}
		fputs("</li>\n", fp);
	}
	fputs("</ul>\n", fp);
}

static int
export_msg(void *ctx, const struct chat_row *row)
{
	struct export_run *run = ctx;
	FILE *fp = run->fp;
	const char *t = row->sent_utc;

	if (run->part != NULL && run->part->on_message != NULL &&
	    run->part->on_message(run->part->ctx, row) < 0)
		return -1;
	run->n++;
	if (run->f == CHATEXPORT_JSONL) {
		json_t *o = chatexport_row_json(row, 1);

		if (o == NULL)
			return -1;
		jsonl_write(fp, o);
		json_decref(o);
	} else if (run->f == CHATEXPORT_TXT) {
		fprintf(fp, "[%.10s %.12s UTC] ", t, t + 11);
		txt_put(fp, row->nick ? row->nick : row->from_jid, "");
		if (row->from_jid != NULL) {
			fputs(" <", fp);
			txt_put(fp, row->from_jid, "");
			putc('>', fp);
		}
		fputs(": ", fp);
		txt_put(fp, row->body, "    ");
		for (size_t i = 0; i < row->nfiles; i++) {
			fputs("\n    [attachment: ", fp);
			txt_put(fp, row->files[i].real_filename, "");
			if (row->files[i].bytes >= 0)
				fprintf(fp, ", %lld bytes", row->files[i].bytes);
			putc(']', fp);
		}
		putc('\n', fp);
	} else {
		if (strncmp(run->day, t, 10) != 0) {
			if (run->day[0] != '\0')
				fputs("</ol>\n", fp);
			memcpy(run->day, t, 10);
			run->day[10] = '\0';
			fputs("<h3>", fp);
			html_escape(fp, run->day);
			fputs("</h3>\n<ol class=\"msgs\">\n", fp);
		}
		if (row->has_msg_id)
			fprintf(fp, "<li id=\"m%lld\">", row->msg_id);
		else
			fputs("<li>", fp);
		fputs("<time datetime=\"", fp);
		html_escape(fp, t);
		fprintf(fp, "\">%.8s</time> <span class=\"nick\">", t + 11);
		html_escape(fp, row->nick ? row->nick : row->from_jid);
		fputs("</span>", fp);
		if (row->from_jid != NULL) {
			fputs(" <span class=\"from\">", fp);
			html_escape(fp, row->from_jid);
			fputs("</span>", fp);
		}
		fputs("\n<div class=\"body\" dir=\"auto\">", fp);
		html_escape(fp, row->body);
		fputs("</div>\n", fp);
		html_files(fp, row);
		fputs("</li>\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}

int
chatexport_room(struct chatdb *c, const struct chat_room_info *room,
    enum chatexport_format f, const char *index_href, FILE *fp, struct j2w_err *err)
{
	return chatexport_room_part(c, room, f, index_href, NULL, fp, err);
}

int
chatexport_room_part(struct chatdb *c, const struct chat_room_info *room,
    enum chatexport_format f, const char *index_href, const struct chatexport_part *part,
    FILE *fp, struct j2w_err *err)
{
	struct export_run run = { fp, f, "", 0, part };
	struct chat_query q = { 0 };

	q.room = room->room_jid;
	if (part != NULL) {
		q.since = part->since;
		q.until = part->until;
	}
	if (f == CHATEXPORT_HTML) {
		html_head(fp, room, index_href);
		fputs("<section>\n<h2>Members</h2>\n<table>\n<thead><tr><th>JID</th><th>Nick</th>"
		    "<th>Affiliation</th><th>Role</th></tr></thead>\n<tbody>\n", fp);
		if (chatread_members(c, room->room_jid, html_member, &run, err) < 0)
			return -1;
		fputs("</tbody>\n</table>\n</section>\n<section>\n<h2>Messages</h2>\n", fp);
		run.n = 0;
	} else if (f == CHATEXPORT_TXT) {
		fputs("# Room: ", fp);
		txt_put(fp, room->name ? room->name : room->room_jid, "");
		fputs(" <", fp);
		txt_put(fp, room->room_jid, "");
		fputs(">", fp);
		if (room->type != NULL) {
			fputs(" (", fp);
			txt_put(fp, room->type, "");
			putc(')', fp);
		}
		if (room->subject != NULL) {
			fputs("\n# Subject: ", fp);
			txt_put(fp, room->subject, "#   ");
		}
		fprintf(fp, "\n# Messages: %llu\n# Members:\n", (unsigned long long)room->messages);
		if (chatread_members(c, room->room_jid, txt_member, &run, err) < 0)
			return -1;
		putc('\n', fp);
	}
	if (chatread_search(c, &q, export_msg, &run, err) < 0) {
		if (err->status == J2W_OK || err->msg[0] == '\0')
			err_set(err, J2W_ESYS, "cannot write the export");
		return -1;
	}
	if (f == CHATEXPORT_HTML) {
		if (run.day[0] != '\0')
			fputs("</ol>\n", fp);
		else
			fputs("<p>No messages.</p>\n", fp);
		fprintf(fp, "</section>\n<footer>Exported from the IM and Presence persistent-chat "
		    "archive by j2w %s. Times are UTC.</footer>\n</body>\n</html>\n", J2W_VERSION);
	}
	return 0;
}

/* The index page of an HTML export: a table of the rooms. */
static void
index_head(FILE *fp)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	    "style-src 'unsafe-inline'\">\n<title>Persistent chat archive</title>\n<style>"
	    "body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:0 auto;padding:1em}"
	    "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;"
	    "text-align:left}</style>\n</head>\n<body>\n<h1>Persistent chat archive</h1>\n"
	    "<table>\n<thead><tr><th>Room</th><th>JID</th><th>Type</th><th>Messages</th>"
	    "<th>Last message (UTC)</th></tr></thead>\n<tbody>\n", fp);
}

/* One room of the index; name is its file name without extension (safe in a URL). */
static void
index_room(FILE *fp, const struct chat_room_info *room, const char *name)
{
	fprintf(fp, "<tr><td><a href=\"%s.html\">", name);
	html_escape(fp, room->name ? room->name : room->room_jid);
	fputs("</a></td><td>", fp);
	html_escape(fp, room->room_jid);
	fputs("</td><td>", fp);
	html_escape(fp, room->type);
	fprintf(fp, "</td><td>%llu</td><td>", (unsigned long long)room->messages);
	html_escape(fp, room->last_utc);
	fputs("</td></tr>\n", fp);
}

struct export_dir {
	struct chatdb *c;
	enum chatexport_format f;
	const char *dir;
	FILE *index;		/* the index being written, or NULL */
	const char *index_href;	/* what room pages link back to, or NULL */
	struct j2w_err *err;
};

static int
export_dir_room(void *ctx, const struct chat_room_info *room)
{
	struct export_dir *x = ctx;
	struct atomic_file af;
	char name[256], path[4096];

	chatexport_file_name(room->room_jid, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s.%s", x->dir, name, chatexport_ext(x->f));
	if (atomic_open(&af, path, 1, x->err) < 0)
		return -1;
	if (chatexport_room(x->c, room, x->f, x->index_href, af.fp, x->err) < 0) {
		atomic_abort(&af);
		return -1;
	}
	if (ferror(af.fp)) {
		atomic_abort(&af);
		return err_set(x->err, J2W_ESYS, "cannot write '%s': %s", path, strerror(errno));
	}
	if (atomic_commit(&af, x->err) < 0)
		return -1;
	if (x->index != NULL)
		index_room(x->index, room, name);
	return 0;
}

long
chatexport_dir(struct chatdb *c, const char *room, enum chatexport_format f, const char *dir,
    struct j2w_err *err)
{
	struct export_dir x = { c, f, dir, NULL, NULL, err };
	struct atomic_file index;
	struct stat st;
	char path[4096];
	long n;

	err_clear(err);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	if (f == CHATEXPORT_HTML && room == NULL) {
		if (atomic_open(&index, path, 1, err) < 0)
			return -1;
		x.index = index.fp;
		x.index_href = "index.html";
		index_head(x.index);
	} else if (f == CHATEXPORT_HTML && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		/* one room into a directory that holds an earlier export's index */
		x.index_href = "index.html";
	}
	n = chatread_rooms(c, room, export_dir_room, &x, err);
	if (n < 0) {
		if (x.index != NULL)
			atomic_abort(&index);
		return -1;
	}
	if (x.index != NULL) {
		fputs("</tbody>\n</table>\n</body>\n</html>\n", x.index);
		if (atomic_commit(&index, err) < 0)
			return -1;
	}
	return n;
}

long
chatexport_to(struct chatdb *c, const char *archive, const char *room,
    enum chatexport_format f, const char *dir, struct j2w_err *err)
{
	long n;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set_errno(err, J2W_ESYS, "cannot create '%s'", dir);
	n = chatexport_dir(c, room, f, dir, err);
	if (n == 0 && room != NULL)
		return err_set(err, J2W_EUSAGE, "no room '%s' in '%s'", room, archive);
	return n;
}
