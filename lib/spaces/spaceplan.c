/* A room's space: title, members, marker, history cut into files, the message text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <openssl/evp.h>

#include "spaces/spaceplan.h"
#include "util/utf8.h"

/* The length of the UTF-8 character at s (1 to 4), or 0 when it is not valid UTF-8. */
static size_t
char_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
	    (s[0] & 0xf8) == 0xf0 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n > 1 && utf8_invalid_at((const char *)s, n) != n)
		return 0;
	return n;
}

/* Whether the character at s (of n bytes) is a control character (C0, DEL, C1). */
static int
is_control(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	return n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

void
spaces_title(const char *name, const char *room_jid, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *)(name != NULL ? name : "");
	size_t o = 0, chars = 0;
	int space = 0, cut = 0;

	if (len < 8) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	while (*p) {
		size_t n = char_len(p);
		size_t need = (space ? 1 : 0) + (n ? n : 1);

		if (n != 0 && (is_control(p, n) || *p == ' ')) {
			space = o > 0;	/* blanks inside the name become one space */
			p += n;
			continue;
		}
		if (chars + (space ? 1 : 0) + 1 > SPACES_TITLE_MAX || o + need + 4 > len) {
			cut = 1;
			break;
		}
		if (space) {
			out[o++] = ' ';
			chars++;
			space = 0;
		}
		if (n == 0) {
			out[o++] = '?';
			p++;
		} else {
			memcpy(out + o, p, n);
			o += n;
			p += n;
		}
		chars++;
	}
	if (cut) {
		/* room for the "..." within the limit: give back three characters */
		for (int i = 0; i < 3 && o > 0; i++) {
			o--;
			while (o > 0 && ((unsigned char)out[o] & 0xc0) == 0x80)
				o--;
		}
		while (o > 0 && out[o - 1] == ' ')
			o--;
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	if (o > 0)
		return;
	/* no name: the room JID's local part, as the room's address showed it */
	{
		size_t n = room_jid != NULL ? strcspn(room_jid, "@/") : 0;
		char local[256];

		if (n == 0) {
			snprintf(out, len, "%s", "Chat room");
			return;
		}
		snprintf(local, sizeof(local), "%.*s", (int)(n < 255 ? n : 255), room_jid);
		spaces_title(local, NULL, out, len);
		if (out[0] == '\0')
			snprintf(out, len, "%s", "Chat room");
	}
}

int
spaces_bare_jid(const char *jid, struct strbuf *out)
{
	size_t n = strcspn(jid, "/");

	while (n > 0 && (jid[n - 1] == ' ' || jid[n - 1] == '\t'))
		n--;
	while (n > 0 && (*jid == ' ' || *jid == '\t')) {
		jid++;
		n--;
	}
	return utf8_lower(out, jid, n);
}

int
spaces_is_moderator(const char *affiliation)
{
	return affiliation != NULL && (strcasecmp(affiliation, "owner") == 0 ||
	    strcasecmp(affiliation, "admin") == 0);
}

void
spaces_marker(const char *room_jid, char out[SPACES_MARKER_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t o;

	EVP_Digest(room_jid, strlen(room_jid), md, &mdlen, EVP_sha256(), NULL);
	memcpy(out, "j2w-space-", 10);
	o = 10;
	for (int i = 0; i < 8; i++) {
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 15];
	}
	out[o] = '\0';
}

/* Where the next part starts when m[i..j) fit and m[j] does not: a month, a day, a new time. */
static size_t
best_cut(const struct spaces_msg *m, size_t i, size_t j)
{
	static const size_t widths[] = { 7, 10, sizeof(m->t) };

	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
		for (size_t k = j; k > i; k--)
			if (strncmp(m[k].t, m[k - 1].t, widths[w]) != 0)
				return k;
	return i;
}

int
spaces_split(const struct spaces_msg *m, size_t n, uint64_t limit, size_t **starts,
    size_t *nparts, struct j2w_err *err)
{
	size_t cap = 8, np = 0, i = 0;
	size_t *v;

	*starts = NULL;
	*nparts = 0;
	if (n == 0)
		return 0;
	if ((v = malloc(cap * sizeof(*v))) == NULL)
		return err_set(err, J2W_ESYS, "out of memory");
	while (i < n) {
		uint64_t sum = 0;
		size_t j = i, k;

		if (np == cap) {
			size_t *nv = realloc(v, cap * 2 * sizeof(*v));

			if (nv == NULL) {
				free(v);
				return err_set(err, J2W_ESYS, "out of memory");
			}
			v = nv;
			cap *= 2;
		}
		v[np++] = i;
		while (j < n && m[j].bytes <= limit - sum) {
			sum += m[j].bytes;
			j++;
		}
		if (j == n)
			break;
		if (j == i) {
			free(v);
			return err_set(err, J2W_EDATA, "the message of %s takes %llu bytes in the page, "
			    "more than the %llu a file may hold", m[i].t, (unsigned long long)m[i].bytes,
			    (unsigned long long)limit);
		}
		k = best_cut(m, i, j);
		if (k == i) {
			free(v);
			return err_set(err, J2W_EDATA, "the messages sent at %s take more than the %llu "
			    "bytes a file may hold", m[i].t, (unsigned long long)limit);
		}
		i = k;
	}
	*starts = v;
	*nparts = np;
	return 0;
}

/* Appends s with control characters as spaces and ASCII punctuation escaped (md). */
static int
add_text(struct strbuf *sb, const char *s, int md)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	int rc = 0;

	while (*p && rc == 0) {
		size_t n = char_len(p);

		if (n == 0) {
			rc = strbuf_addch(sb, '?');
			p++;
			continue;
		}
		if (is_control(p, n))
			rc = strbuf_addch(sb, ' ');
		else if (md && n == 1 && strchr("\\`*_{}[]()#+-.!<>&|~=\"':;@$%^?,/", *p) != NULL)
			rc = strbuf_addf(sb, "\\%c", *p);
		else
			rc = strbuf_add(sb, p, n);
		p += n;
	}
	return rc;
}

/* "2024-03-01" of a time, or "?". */
static void
day_of(const char *t, char out[11])
{
	if (t != NULL && strlen(t) >= 10)
		snprintf(out, 11, "%.10s", t);
	else
		snprintf(out, 11, "?");
}

int
spaces_marker_line(struct strbuf *sb, const char *marker, size_t part, size_t parts)
{
	return strbuf_addf(sb, "%s part %zu/%zu", marker, part, parts);
}

static int
summary(struct strbuf *sb, const struct spaces_summary *s, int md)
{
	char first[11], last[11];
	int rc = 0;

	day_of(s->first, first);
	day_of(s->last, last);
	rc |= strbuf_addstr(sb, md ? "**Chat history of " : "Chat history of ");
	rc |= add_text(sb, s->title, md);
	rc |= strbuf_addstr(sb, md ? "** (Jabber persistent chat room " : " (Jabber persistent chat room ");
	rc |= add_text(sb, s->room_jid, md);
	rc |= strbuf_addstr(sb, ")\n\n");
	if (s->first != NULL && strcmp(first, last) != 0)
		rc |= strbuf_addf(sb, "Period: %s to %s (UTC)", first, last);
	else if (s->first != NULL)
		rc |= strbuf_addf(sb, "Period: %s (UTC)", first);
	else
		rc |= strbuf_addstr(sb, "No messages");
	rc |= strbuf_addf(sb, md ? " \\- %llu message%s" : " - %llu message%s",
	    (unsigned long long)s->messages, s->messages == 1 ? "" : "s");
	if (s->parts > 1)
		rc |= strbuf_addf(sb, md ? " \\- part %zu of %zu (%llu messages in all)" :
		    " - part %zu of %zu (%llu messages in all)", s->part, s->parts,
		    (unsigned long long)s->room_messages);
	rc |= strbuf_addstr(sb, "\n\nThe attached page holds every message of the period, who "
	    "wrote it and when; it opens in any web browser.");
	if (s->digest != NULL)
		rc |= strbuf_addf(sb, " Archive digest (SHA-256): %s", s->digest);
	rc |= strbuf_addstr(sb, "\n\n");
	rc |= spaces_marker_line(sb, s->marker, s->part, s->parts);
	return rc != 0 ? -1 : 0;
}

int
spaces_summary_md(struct strbuf *sb, const struct spaces_summary *s)
{
	return summary(sb, s, 1);
}

int
spaces_summary_text(struct strbuf *sb, const struct spaces_summary *s)
{
	return summary(sb, s, 0);
}

int
spaces_file_name(struct strbuf *sb, const char *title, size_t part, size_t parts)
{
	const unsigned char *p = (const unsigned char *)title;
	size_t chars = 0;
	int rc = 0;

	/* a name every file system and browser takes: no separators, quotes or controls */
	while (*p && chars < 80 && rc == 0) {
		size_t n = char_len(p);

		if (n == 0 || is_control(p, n) || (n == 1 && strchr("/\\:*?\"<>|", *p) != NULL))
			rc = strbuf_addch(sb, '_');
		else
			rc = strbuf_add(sb, p, n);
		p += n ? n : 1;
		chars++;
	}
	if (parts > 1)
		rc |= strbuf_addf(sb, " (%zu of %zu)", part, parts);
	rc |= strbuf_addstr(sb, ".html");
	return rc != 0 ? -1 : 0;
}
