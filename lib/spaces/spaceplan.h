/*
 * The pure rules of turning a persistent chat room into a Webex space: its
 * title, who becomes a member or a moderator, the marker that tells a space
 * j2w made for a room, how a room's history is cut into files that fit the
 * Messages API's limit, and the Markdown that goes with each file. Nothing
 * here talks to Webex or opens a file.
 */
#ifndef J2W_SPACEPLAN_H
#define J2W_SPACEPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define SPACES_TITLE_MAX 150		/* characters of a space title we keep */
#define SPACES_FILE_LIMIT 100000000ULL	/* "limited to 100MB each" (Message Attachments) */
#define SPACES_MARKDOWN_MAX 7439	/* "The maximum message length is 7439 bytes" */
#define SPACES_MARKER_LEN 32		/* "j2w-space-" and 16 hex digits, with the NUL */

/*
 * The title of the space for a room into out (at least 4 * SPACES_TITLE_MAX + 8
 * bytes): the room's name (from its configuration form; NULL or blank when it
 * has none) with control characters and runs of blanks made one space, trimmed,
 * at most SPACES_TITLE_MAX characters, cut on a character boundary ("..." ends
 * a cut name); without a name, the room JID's local part. Bytes that are not UTF-8
 * become '?'. Never empty.
 */
void spaces_title(const char *name, const char *room_jid, char *out, size_t len);

/* A bare JID in lower case (the resource dropped), as the reconcile output keys it. */
int spaces_bare_jid(const char *jid, struct strbuf *out);

/* Whether an affiliation (owner, admin, member, none) makes a space moderator. */
int spaces_is_moderator(const char *affiliation);

/*
 * The marker of the space made for room_jid: "j2w-space-" and the first 16 hex
 * digits of SHA-256(room_jid). It is in the text of every message j2w posts
 * there, so that a later run finds the space without the journal.
 */
void spaces_marker(const char *room_jid, char out[SPACES_MARKER_LEN]);

/* One message of a room, for cutting its history: its time and bytes in the page. */
struct spaces_msg {
	char t[32];		/* UTC time as the archive holds it: 2024-03-01T08:52:11.855Z */
	uint64_t bytes;
};

/*
 * Cuts messages m[0..n) (sorted by time) into parts whose bytes add up to at
 * most limit, each part a period: a cut falls at the start of a month when one
 * fits, else of a day, else between two different times. *starts (caller
 * frees) receives the index of each part's first message, *nparts their count
 * (1 when all fit; 0 when n is 0). Returns 0, or -1 with err (J2W_EDATA) when a
 * message alone, or the messages of one instant, are over limit.
 */
int spaces_split(const struct spaces_msg *m, size_t n, uint64_t limit, size_t **starts,
    size_t *nparts, struct j2w_err *err);

/* What the message that carries one file says. */
struct spaces_summary {
	const char *room_jid, *title;
	const char *first, *last;	/* UTC times of the part's first and last message, or NULL */
	uint64_t messages;		/* in this part */
	uint64_t room_messages;		/* in the whole room */
	size_t part, parts;		/* 1-based */
	const char *digest;		/* the archive digest, or NULL */
	const char *marker;
};

/*
 * Appends the Markdown of a part's message to sb: the room, the period, the
 * message count, the part, the archive digest and the marker on its last line.
 * Text from the archive is escaped so that it shows as written. Returns 0 or
 * -1 (ENOMEM, the cap).
 */
int spaces_summary_md(struct strbuf *sb, const struct spaces_summary *s);
/* The same as plain text (the message's text for clients without Markdown). */
int spaces_summary_text(struct strbuf *sb, const struct spaces_summary *s);

/* The marker line a part's message ends with: "MARKER part I/N". */
int spaces_marker_line(struct strbuf *sb, const char *marker, size_t part, size_t parts);

/* The file name of a part: "TITLE.html", or "TITLE (I of N).html"; unsafe bytes become '_'. */
int spaces_file_name(struct strbuf *sb, const char *title, size_t part, size_t parts);

#endif
