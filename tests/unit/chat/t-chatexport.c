/* Unit tests for chatexport: HTML escaping, file names for room JIDs, a directory export with its index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "chat/chatexport.h"
#include "chat/chatimport.h"
#include "unit.h"
#include "util/html.h"

static const char *
escaped(const char *in)
{
	static char out[512];
	FILE *fp;

	memset(out, 0, sizeof(out));
	fp = fmemopen(out, sizeof(out) - 1, "w");

	html_escape(fp, in);
	fclose(fp);
	return out;
}

static void
test_html_escape(void)
{
	CHECK_STR(escaped("<script>alert('x')</script>"),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	CHECK_STR(escaped("a & b \"c\""), "a &amp; b &quot;c&quot;");
	CHECK_STR(escaped("&lt;"), "&amp;lt;");
	CHECK_STR(escaped("line\nnext\ttab"), "line\nnext\ttab");
	CHECK_STR(escaped("bell\a esc\x1b[31m"), "bell\xef\xbf\xbd esc\xef\xbf\xbd[31m");
	CHECK_STR(escaped("café ☕"), "café ☕");
	CHECK_STR(escaped(""), "");
}

static void
test_file_names(void)
{
	char a[128], b[128];

	chatexport_file_name("dev-team@conference.example.com", a, sizeof(a));
	CHECK_STR(a, "dev-team@conference.example.com");
	/* unsafe characters are replaced and a hash keeps names apart */
	chatexport_file_name("../etc/passwd", a, sizeof(a));
	CHECK(strchr(a, '/') == NULL);
	CHECK(a[0] != '.');
	chatexport_file_name("a b@x", a, sizeof(a));
	chatexport_file_name("a_b@x", b, sizeof(b));
	CHECK_STR(b, "a_b@x");
	CHECK(strncmp(a, "a_b@x-", 6) == 0);
	CHECK(strcmp(a, b) != 0);
	chatexport_file_name("", a, sizeof(a));
	CHECK(a[0] == '_' && strlen(a) == 14);
	/* a room called index is never the index page (nor, on a file system without case, INDEX) */
	chatexport_file_name("index", a, sizeof(a));
	CHECK(strncmp(a, "index-", 6) == 0 && strlen(a) == 18);
	chatexport_file_name("INDEX", b, sizeof(b));
	CHECK(strncmp(b, "INDEX-", 6) == 0 && strcmp(a + 6, b + 6) != 0);
	chatexport_file_name("index@conference.example.com", a, sizeof(a));
	CHECK_STR(a, "index@conference.example.com");
	chatexport_file_name("indexes", a, sizeof(a));
	CHECK_STR(a, "indexes");
	{
		char longjid[600];

		memset(longjid, 'r', sizeof(longjid) - 1);
		longjid[sizeof(longjid) - 1] = '\0';
		chatexport_file_name(longjid, a, sizeof(a));
		CHECK(strlen(a) < sizeof(a));
		longjid[300] = 's';
		chatexport_file_name(longjid, b, sizeof(b));
		CHECK(strcmp(a, b) != 0);
	}
}

static void
test_formats(void)
{
	CHECK_INT(chatexport_parse_format("html"), CHATEXPORT_HTML);
	CHECK_INT(chatexport_parse_format("jsonl"), CHATEXPORT_JSONL);
	CHECK_INT(chatexport_parse_format("txt"), CHATEXPORT_TXT);
	CHECK_INT(chatexport_parse_format("pdf"), -1);
	CHECK_STR(chatexport_ext(CHATEXPORT_TXT), "txt");
}

#define HOSTILE_ROOM "a<b>&c@conf.example.com"

/* Two rooms, one with a JID that is not safe as a file name or in HTML. */
static int
two_rooms(void *arg, const struct chat_sink *sink, struct j2w_err *err)
{
	static const struct chat_room rooms[] = {
		{ "dev@conf.example.com", "alice@example.com", NULL, "persistent", NULL, NULL, "r:2" },
		{ HOSTILE_ROOM, "bob@example.com", NULL, "<ad-hoc>", NULL, NULL, "r:3" },
	};
	static const struct chat_msg msgs[] = {
		{ "dev@conf.example.com", "1", "2024-05-02 09:00:00", "alice@example.com", NULL,
		    "groupchat", NULL, "hello <script>", NULL, NULL, NULL, "m:2", NULL, NULL },
		{ HOSTILE_ROOM, "2", "2024-05-03 09:00:00", "bob@example.com", NULL, "groupchat",
		    NULL, "hi", NULL, NULL, NULL, "m:3", NULL, NULL },
	};

	for (size_t i = 0; i < 2; i++)
		if (sink->room(sink->ctx, &rooms[i], err) < 0 || sink->msg(sink->ctx, &msgs[i], err) < 0)
			return -1;
	return 0;
}

/* The contents of path (caller frees), or NULL. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	size_t n;

	if (fp == NULL)
		return NULL;
	buf = calloc(1, 65536);
	n = fread(buf, 1, 65535, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
test_export_dir(void)
{
	char db_path[4096], dir[4096], path[8400], hostile[128];
	struct chatdb *db;
	struct chatimport imp = { 0 };
	struct chat_sink sink;
	struct j2w_err err;
	struct stat st;
	char *index;

	snprintf(db_path, sizeof(db_path), "%s", unit_tmpfile("export.db"));
	snprintf(dir, sizeof(dir), "%s", unit_tmpfile("export"));
	unlink(db_path);
	CHECK_INT(mkdir(dir, 0700), 0);
	CHECK_INT(chatdb_open(&db, db_path, 1, &err), 0);
	imp.db = db;
	CHECK_INT(chatimport_begin(&imp, "test", &sink, &err), 0);
	CHECK_INT(chatimport_run(&imp, two_rooms, NULL, &err), 0);
	CHECK_INT(chatimport_end(&imp, 1, &err), 0);

	CHECK_INT(chatexport_dir(db, NULL, CHATEXPORT_HTML, dir, &err), 2);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	index = slurp(path);
	CHECK(index != NULL);
	if (index != NULL) {
		CHECK(strncmp(index, "<!DOCTYPE html>\n", 16) == 0);
		CHECK(strstr(index, "<tr><td><a href=\"dev@conf.example.com.html\">dev@conf.example.com"
		    "</a></td><td>dev@conf.example.com</td><td>persistent</td><td>1</td>"
		    "<td>2024-05-02T09:00:00.000Z</td></tr>\n") != NULL);
		CHECK(strstr(index, "a&lt;b&gt;&amp;c@conf.example.com</a>") != NULL);
		CHECK(strstr(index, "<td>&lt;ad-hoc&gt;</td>") != NULL);
		CHECK(strstr(index, "<b>") == NULL);
		CHECK(strstr(index, "</tbody>\n</table>\n</body>\n</html>\n") != NULL);
	}
	free(index);
	snprintf(path, sizeof(path), "%s/dev@conf.example.com.html", dir);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	/* each room's page links back to the index */
	index = slurp(path);
	CHECK(index != NULL && strstr(index, "<nav><a href=\"index.html\">") != NULL);
	free(index);
	chatexport_file_name(HOSTILE_ROOM, hostile, sizeof(hostile));
	snprintf(path, sizeof(path), "%s/%s.html", dir, hostile);
	CHECK_INT(stat(path, &st), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dev@conf.example.com.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	unlink(path);

	/* one room, or one that is not there: no index, and no link to one */
	CHECK_INT(chatexport_dir(db, "nosuch@conf.example.com", CHATEXPORT_HTML, dir, &err), 0);
	CHECK_INT(chatexport_dir(db, "dev@conf.example.com", CHATEXPORT_HTML, dir, &err), 1);
	snprintf(path, sizeof(path), "%s/dev@conf.example.com.html", dir);
	index = slurp(path);
	CHECK(index != NULL && strstr(index, "href=") == NULL);
	free(index);
	unlink(path);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	CHECK_INT(chatexport_dir(db, "dev@conf.example.com", CHATEXPORT_TXT, dir, &err), 1);
	CHECK(stat(path, &st) != 0);
	snprintf(path, sizeof(path), "%s/dev@conf.example.com.txt", dir);
	CHECK_INT(stat(path, &st), 0);
	unlink(path);

	/* a directory that is not there: an error, nothing written */
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK_INT(chatexport_dir(db, NULL, CHATEXPORT_HTML, path, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strstr(err.msg, "index.html") != NULL);

	/* chatexport_to makes the directory (0700), and a room not there is the user's mistake */
	CHECK_INT(chatexport_to(db, "chat.db", "nosuch@conf.example.com", CHATEXPORT_TXT, path,
	    &err), -1);
	CHECK_INT(err.status, J2W_EUSAGE);
	CHECK_STR(err.msg, "no room 'nosuch@conf.example.com' in 'chat.db'");
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0700);
	CHECK_INT(chatexport_to(db, "chat.db", NULL, CHATEXPORT_TXT, path, &err), 2);
	snprintf(hostile, sizeof(hostile), "%s", "dev@conf.example.com.txt");
	snprintf(path, sizeof(path), "%s/missing/%s", dir, hostile);
	CHECK_INT(unlink(path), 0);
	chatexport_file_name(HOSTILE_ROOM, hostile, sizeof(hostile));
	snprintf(path, sizeof(path), "%s/missing/%s.txt", dir, hostile);
	CHECK_INT(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK_INT(rmdir(path), 0);
	snprintf(path, sizeof(path), "%s/missing/deeper", dir);
	CHECK_INT(chatexport_to(db, "chat.db", NULL, CHATEXPORT_TXT, path, &err), -1);
	CHECK_INT(err.status, J2W_ESYS);
	CHECK(strncmp(err.msg, "cannot create '", 15) == 0);
	chatdb_close(db);
	CHECK_INT(rmdir(dir), 0);
	unlink(db_path);
}

UNIT_MAIN(TEST(test_html_escape), TEST(test_file_names), TEST(test_formats), TEST(test_export_dir))
