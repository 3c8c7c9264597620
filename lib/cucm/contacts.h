/*
 * IM and Presence contact-list exports to contact records (docs/formats.md):
 * the presence export (Bulk Administration > Contact List > Export: no header,
 * User ID, User Domain, Contact ID, Contact Domain, Nickname, Group Name,
 * State), hand-made lists in that shape with or without a header, and the
 * non-presence export (User JID, Contact JID, Group Name, Content Type,
 * Version, Info), whose Info is a vCard that runs over several lines.
 */
#ifndef J2W_CONTACTS_H
#define J2W_CONTACTS_H

#include <stdio.h>
#include <jansson.h>

#include "util/j2w_err.h"
#include "util/strbuf.h"

#define CONTACTS_RECORD_MAX ((size_t)1 << 20)	/* one row, vCard included; longer is reported */
#define CONTACTS_FIELDS_MAX 64			/* fields of one row; more is reported */

enum contact_kind { CONTACT_PRESENCE, CONTACT_CUSTOM };

struct contact {
	enum contact_kind kind;
	char *owner;		/* lower-cased JID */
	char *contact;		/* presence: lower-cased JID */
	char *contact_id;	/* custom: the Contact JID column, lower-cased (a UUID or a JID) */
	char *name;		/* custom: the vCard's FN, else its N as "given family" */
	char *email;		/* custom: the vCard's first EMAIL */
	char *phone;		/* custom: the vCard's first TEL */
	char *nickname;
	char *group;
	char *source;		/* imp:FILE:LINE */
};

void contact_release(struct contact *c);
/*
 * The record as JSON (caller json_decref()s), or NULL: a presence contact has
 * owner, contact, nickname, group, source; a custom one has owner, "kind":
 * "custom", contact_id, name, email, phone, nickname, group, source.
 */
json_t *contact_to_json(const struct contact *c);

/* Column names of the table form (--format csv|tsv), NULL-terminated. */
extern const char *const contact_columns[];
#define CONTACT_NCOLUMNS 10

/*
 * Contact records written one after the other to fp: as JSON Lines (delim 0),
 * or as a table (delim ',' for CSV, '\t' for TSV) under a header row written
 * before the first record, where a vCard's phone number keeps an E.164 '+'.
 */
struct contact_out {
	FILE *fp;
	int delim;
	int header_done;
};

/*
 * Writes c. Returns 0, or -1 with err (J2W_ESYS "cannot encode a contact of
 * 'OWNER'"); a write error is left in fp (check ferror).
 */
int contact_out_put(struct contact_out *o, const struct contact *c, struct j2w_err *err);

/*
 * Joins an IM&P user part and domain into a lower-cased JID: "bjones@usa" +
 * "example.com" -> "bjones@usa@example.com" (Cisco splits an IM address at its
 * last '@'); an empty domain keeps a part that already holds "@". Spaces around
 * either part are dropped. Returns a new string, or NULL when there is no full JID.
 */
char *contacts_jid(const char *user, const char *domain);

/*
 * Fills c->name, c->email, c->phone and c->nickname, those still NULL (c must be
 * initialised), from the vCard text (vCard 3.0 or 4.0: folded lines, LF or
 * CRLF, backslash escapes, any property group or parameters): the first FN
 * (else N as "given family"), EMAIL, TEL (a tel: URI loses its scheme) and
 * NICKNAME. Returns 0, or -1 on ENOMEM.
 */
int contacts_vcard(const char *text, size_t len, struct contact *c);

enum contacts_format { CONTACTS_NONE, CONTACTS_PRESENCE, CONTACTS_CUSTOM };

struct contacts_reader {
	FILE *fp;
	char *label;
	enum contacts_format format;
	long col[7];		/* presence: user, user domain, contact, contact domain, nickname, group, state */
	size_t ncols;		/* fields a row may have: the header's, or 7 */
	size_t max_record;	/* CONTACTS_RECORD_MAX unless a test lowers it */
	unsigned long line;	/* physical lines read so far */
	int has_header;
	unsigned long rec_line;	/* the line the current row starts on */
	struct strbuf rec;	/* the current row as read (lines joined with LF) */
	int rec_long;		/* it went past max_record (the rest was dropped) */
	int rec_nul;		/* it holds a NUL byte */
	int rec_cut_off;	/* the file ends in it, without a line end */
	int vcard_open;		/* its vCard has no END:VCARD */
	struct strbuf ahead;	/* a row read ahead, or put back: read it next */
	int have_ahead;
	unsigned long ahead_line;
	int ahead_cut, ahead_nul, ahead_cut_off;
	int line_cut_off;	/* the last line read had no line end */
	int at_start;		/* a BOM may come */
	struct strbuf fields;	/* the fields of the current row, each NUL-terminated */
	size_t off[CONTACTS_FIELDS_MAX];
	size_t nfields;
	int too_many;		/* the row had more than CONTACTS_FIELDS_MAX fields */
	int last_quoted;	/* its last field was in quotes */
	struct strbuf scratch;
};

/*
 * Starts reading an export from fp (name is for messages, "-" is <stdin>).
 * The format is told from the first row: a header (spelling matched loosely:
 * case, spaces and punctuation do not matter) or, without one, six or seven
 * fields for presence, a text/directory Content Type or a BEGIN:VCARD Info for
 * non-presence. An empty file is an empty export. Returns 0, or -1 with err
 * (J2W_EDATA "FILE:LINE: why" for a file that is not an export, or is UTF-16;
 * J2W_ESYS for a read error) and nothing left to close.
 */
int contacts_open(struct contacts_reader *r, FILE *fp, const char *name, struct j2w_err *err);
/*
 * The next contact: 1 with c filled (caller contact_release()s), 2 when a row
 * cannot be used (problem says "FILE:LINE: why"; input text in it has control
 * characters escaped), 0 at the end, -1 with err (J2W_EDATA for a quoted field
 * the file ends in, J2W_ESYS for a read error).
 */
int contacts_next(struct contacts_reader *r, struct contact *c, struct strbuf *problem,
    struct j2w_err *err);
void contacts_close(struct contacts_reader *r);

/*
 * Told each contact of a file: rec (the callee may change it; freed after the
 * call), or rec NULL and problem ("FILE:LINE: why") for an export row that
 * cannot be used. A non-zero return stops reading.
 */
typedef int contacts_fn(void *ctx, json_t *rec, const char *problem);

/*
 * Reads a contacts file that is either contact records (JSON Lines, told by a
 * '{' after a byte-order mark and white space) or an IM&P export (contacts_open), and calls fn for
 * each contact in file order. Returns 0, fn's non-zero value, or -1 with err
 * (J2W_EDATA for bad JSON or an export that cannot be read, J2W_ESYS).
 */
int contacts_read(FILE *fp, const char *name, contacts_fn *fn, void *ctx, struct j2w_err *err);

#endif
