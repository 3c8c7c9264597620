/* Archived chat rooms written out for people and programs: HTML, JSON Lines, plain text. */
#ifndef J2W_CHATEXPORT_H
#define J2W_CHATEXPORT_H

#include <stdio.h>
#include <jansson.h>

#include "chat/chatdb.h"
#include "chat/chatread.h"
#include "util/j2w_err.h"

enum chatexport_format { CHATEXPORT_HTML, CHATEXPORT_JSONL, CHATEXPORT_TXT };

/* "html", "jsonl" or "txt" to a format; -1 for anything else. */
int chatexport_parse_format(const char *s);
/* The file extension of a format, without the dot. */
const char *chatexport_ext(enum chatexport_format f);

/*
 * A file name for a room (without extension): the JID when it holds only
 * letters, digits and ".-_@", else those characters kept, others as '_', and
 * a hash of the JID appended so that two rooms never share a file. A JID that
 * would be "index" in any case gets the hash too, so that no room is written
 * over by the index page. out must hold at least 128 bytes; the name is cut to fit.
 */
void chatexport_file_name(const char *room_jid, char *out, size_t len);

/*
 * A message as a JSON object (caller json_decref()s): room, room_name, msg_id,
 * time, from, nick, type, body, files, and stanza when with_stanza. NULL when out of memory.
 */
json_t *chatexport_row_json(const struct chat_row *row, int with_stanza);

/*
 * Writes one room with its members and every message, oldest first, to fp in
 * format f. An HTML page links to index_href (the index of its export, relative
 * to the page) when it is not NULL. Returns 0, or -1 with err (a database
 * error; check ferror(fp) for writes).
 */
int chatexport_room(struct chatdb *c, const struct chat_room_info *room,
    enum chatexport_format f, const char *index_href, FILE *fp, struct j2w_err *err);

/*
 * Which messages of a room a page holds, for a room exported in parts (a file
 * per period): those sent in [since, until) (UTC times as the archive holds
 * them; NULL leaves that end open). on_message, when not NULL, is called
 * before each message is written (with fp flushed or not: the caller's
 * stream); it returns 0, or -1 to stop the export.
 */
struct chatexport_part {
	const char *since, *until;
	int (*on_message)(void *ctx, const struct chat_row *row);
	void *ctx;
};

/*
 * As chatexport_room, for the messages part selects (NULL: all). The header
 * shows room as given: a caller exporting a part passes the part's message
 * count and first and last times in it.
 */
int chatexport_room_part(struct chatdb *c, const struct chat_room_info *room,
    enum chatexport_format f, const char *index_href, const struct chatexport_part *part,
    FILE *fp, struct j2w_err *err);

/*
 * Writes every room of c (only room when not NULL) into the directory dir,
 * which must exist: one file per room, named by chatexport_file_name with the
 * format's extension, each written under a temporary name and renamed into
 * place when complete (mode 0600). An HTML export of every room also writes
 * index.html, a table of the rooms linking to their files, and each room's
 * page links back to it (an HTML export of one room does when dir already
 * holds an index.html). Returns the number
 * of rooms written (0 when room is not in the archive), or -1 with err; a file
 * not complete is removed, files already written stay.
 */
long chatexport_dir(struct chatdb *c, const char *room, enum chatexport_format f,
    const char *dir, struct j2w_err *err);

/*
 * As chatexport_dir, into dir created (mode 0700) when missing; archive names
 * c in messages. Returns the number of rooms written, or -1 with err: J2W_ESYS
 * "cannot create 'DIR': why", chatexport_dir's, J2W_EUSAGE "no room 'ROOM' in
 * 'ARCHIVE'" when room is not in the archive.
 */
long chatexport_to(struct chatdb *c, const char *archive, const char *room,
    enum chatexport_format f, const char *dir, struct j2w_err *err);

#endif
