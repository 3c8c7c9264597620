/* Persistent-chat rows to archived messages: body choice, UTC time, digest. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "chat/chatsrc.h"
#include "util/num.h"
#include "util/utf8.h"

#define CHAT_FIXED_MAX 8

void
chatsrc_norm_init(struct chat_norm *n)
{
	memset(n, 0, sizeof(*n));
}

static void
chat_fixed_clear(struct chat_norm *n)
{
	for (int i = 0; i < n->nfixed; i++)
		free(n->fixed[i]);
	n->nfixed = 0;
}

void
chatsrc_norm_release(struct chat_norm *n)
{
	chat_fixed_clear(n);
	EVP_MD_CTX_free(n->md);
	EVP_MD_free(n->sha256);
	n->md = NULL;
	n->sha256 = NULL;
}

void
chatsrc_where(char *buf, size_t len, const char *prefix, unsigned long n)
{
	char digits[24];
	size_t p = strlen(prefix), d = 0;

	if (len == 0)
		return;
	do {
		digits[d++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	if (p > len - 1)
		p = len - 1;
	memcpy(buf, prefix, p);
	while (d > 0 && p < len - 1)
		buf[p++] = digits[--d];
	buf[p] = '\0';
}

/* NULL for an empty string. */
static const char *
chat_nz(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

const char *
chatsrc_nick(const char *nick_jid)
{
	const char *slash;

	if (nick_jid == NULL)
		return NULL;
	slash = strchr(nick_jid, '/');
	return slash != NULL ? slash + 1 : nick_jid;
}

int
chatsrc_utf8_repair(const char *s, char **out)
{
	struct strbuf sb;
	size_t len, at;

	*out = NULL;
	if (s == NULL)
		return 0;
	len = strlen(s);
	at = utf8_invalid_at(s, len);
	if (at == len)
		return 0;
	strbuf_init(&sb, len * 3 + 16);
	while (at < len) {
		if (strbuf_add(&sb, s, at) < 0 || strbuf_add(&sb, "\xef\xbf\xbd", 3) < 0) {
			strbuf_release(&sb);
			return -1;
		}
		s += at + 1;
		len -= at + 1;
		at = utf8_invalid_at(s, len);
	}
	if (strbuf_add(&sb, s, len) < 0) {
		strbuf_release(&sb);
		return -1;
	}
	*out = strbuf_detach(&sb, NULL);
	return 1;
}

/* Returns s, or a copy with each invalid UTF-8 byte replaced by U+FFFD (NULL: out of memory). */
static const char *
chat_valid(struct chat_norm *n, const char *s, int *repaired)
{
	char *fixed;
	int rc;

	if (n->nfixed == CHAT_FIXED_MAX)
		return NULL;
	rc = chatsrc_utf8_repair(s, &fixed);
	if (rc < 0)
		return NULL;
	if (rc == 0)
		return s;
	n->fixed[n->nfixed++] = fixed;
	*repaired = 1;
	return fixed;
}

static int
chat_digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
		(*p)++;
	}
	*out = v;
	return 0;
}

/* Fraction digits after the point: milliseconds, the rest cut. */
static int
chat_fraction(const char **p, int *ms)
{
	int digits = 0;

	*ms = 0;
	if (!isdigit((unsigned char)**p))
		return -1;
	for (; isdigit((unsigned char)**p); (*p)++, digits++)
		if (digits < 3)
			*ms = *ms * 10 + (**p - '0');
	for (; digits < 3; digits++)
		*ms *= 10;
	return 0;
}

/*
 * Oracle's default NLS format, as SQL Developer writes CSV dumps:
 * "01-MAR-24 08.52.11.855000000 AM" (DD-MON-RR HH.MI.SSXFF AM) or with a
 * four-digit year and a 24-hour clock. RR: 00-49 is 20xx, 50-99 is 19xx.
 */
static int
chat_time_oracle(const char **pp, int *year, int *mon, int *day, int *hh, int *mm, int *ss,
    int *ms)
{
	static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
	const char *p = *pp;
	char m[4];
	int i, ylen;

	if (chat_digits(&p, 2, day) < 0 || *p++ != '-')
		return -1;
	for (i = 0; i < 3; i++) {
		if (*p == '\0')
			return -1;
		m[i] = (char)toupper((unsigned char)*p++);
	}
	m[3] = '\0';
	*mon = 0;
	for (i = 0; i < 12; i++)
		if (memcmp(months + 3 * i, m, 3) == 0)
			*mon = i + 1;
	if (*mon == 0 || *p++ != '-')
		return -1;
	ylen = (int)strspn(p, "0123456789");
	if (ylen != 2 && ylen != 4)
		return -1;
	chat_digits(&p, ylen, year);
	if (ylen == 2)
		*year += *year < 50 ? 2000 : 1900;
	if (*p++ != ' ' || chat_digits(&p, 2, hh) < 0 || (*p != '.' && *p != ':'))
		return -1;
	p++;
	if (chat_digits(&p, 2, mm) < 0 || (*p != '.' && *p != ':'))
		return -1;
	p++;
	if (chat_digits(&p, 2, ss) < 0)
		return -1;
	*ms = 0;
	if ((*p == '.' || *p == ',') && isdigit((unsigned char)p[1])) {
		p++;
		chat_fraction(&p, ms);
	}
	if (p[0] == ' ' && (p[1] == 'A' || p[1] == 'P' || p[1] == 'a' || p[1] == 'p') &&
	    (p[2] == 'M' || p[2] == 'm')) {
		if (*hh < 1 || *hh > 12)
			return -1;
		*hh %= 12;
		if (p[1] == 'P' || p[1] == 'p')
			*hh += 12;
		p += 3;
	}
	*pp = p;
	return 0;
}

static int
chat_is_utc(const char *tz)
{
	return tz == NULL || tz[0] == '\0' || strcmp(tz, "UTC") == 0 || strcmp(tz, "Z") == 0 ||
	    strcmp(tz, "GMT") == 0 || strcmp(tz, "Etc/UTC") == 0;
}

int
chatsrc_tz_use(const char *tz)
{
	const char *cur = getenv("TZ");

	if (chat_is_utc(tz) || (cur != NULL && strcmp(cur, tz) == 0))
		return 0;
	if (setenv("TZ", tz, 1) != 0)
		return -1;
	tzset();
	return 0;
}

int
chatsrc_tz_check(const char *tz)
{
	char path[512];

	if (strcmp(tz, "UTC") == 0 || strcmp(tz, "GMT") == 0)
		return 0;
	if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL ||
	    strspn(tz, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(tz)) {
		errno = EINVAL;
		return -1;
	}
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	if (access(path, R_OK) != 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/* Seconds east of UTC for a zone name, at the local time tm (DST-aware). */
static int
chat_local_to_epoch(struct tm *tm, const char *tz, time_t *out)
{
	const char *cur = getenv("TZ");
	time_t t;

	/*
	 * mktime is the only portable way to read a wall-clock time in a named zone;
	 * TZ is set for the process once and left so (commands are single-threaded).
	 */
	if (cur == NULL || strcmp(cur, tz) != 0) {
		if (setenv("TZ", tz, 1) != 0)
			return -1;
		tzset();
	}
	tm->tm_isdst = -1;
	t = mktime(tm);
	if (t == (time_t)-1 && errno == EOVERFLOW)
		return -1;
	*out = t;
	return 0;
}


int
chatsrc_time_utc(const char *s, const char *tz, char *out, size_t outlen)
{
	struct tm tm = { 0 }, utc;
	const char *p = s;
	int year = 0, mon = 0, day = 0, hh = 0, mm = 0, ss = 0, ms = 0, have_off = 0, off = 0;
	time_t t;

	if (s == NULL || outlen < 25)
		goto bad;
	while (*p == ' ')
		p++;
	if (strspn(p, "0123456789") == strlen(p) && strlen(p) >= 9 && strlen(p) <= 15) {
		long long v;
		char *end;

		errno = 0;
		v = strtoll(p, &end, 10);
		if (errno != 0 || *end != '\0')
			goto bad;
		/* Unix time: twelve digits and up are milliseconds (seconds would be past 9999) */
		if (strlen(p) >= 12) {
			ms = (int)(v % 1000);
			v /= 1000;
		}
		t = (time_t)v;
		goto format;
	}
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && p[2] == '-' &&
	    isalpha((unsigned char)p[3])) {
		if (chat_time_oracle(&p, &year, &mon, &day, &hh, &mm, &ss, &ms) < 0)
			goto bad;
		goto zone;
	}
	if (chat_digits(&p, 4, &year) < 0 || *p++ != '-' || chat_digits(&p, 2, &mon) < 0 ||
	    *p++ != '-' || chat_digits(&p, 2, &day) < 0)
		goto bad;
	if (*p != ' ' && *p != 'T')
		goto bad;
	p++;
	if (chat_digits(&p, 2, &hh) < 0 || *p++ != ':' || chat_digits(&p, 2, &mm) < 0)
		goto bad;
	if (*p == ':') {
		p++;
		if (chat_digits(&p, 2, &ss) < 0)
			goto bad;
		if (*p == '.' || *p == ',') {
			p++;
			if (chat_fraction(&p, &ms) < 0)
				goto bad;
		}
	}
zone:
	while (*p == ' ')
		p++;
	if (*p == 'Z' && p[1] == '\0') {
		have_off = 1;
		p++;
	} else if (strcmp(p, "UTC") == 0 || strcmp(p, "GMT") == 0) {
		have_off = 1;
		p += 3;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;

		if (chat_digits(&p, 2, &oh) < 0)
			goto bad;
		if (*p == ':')
			p++;
		if (*p != '\0' && chat_digits(&p, 2, &om) < 0)
			goto bad;
		if (oh > 15 || om > 59)
			goto bad;
		have_off = 1;
		off = sign * (oh * 3600 + om * 60);
	}
	if (*p != '\0')
		goto bad;
	if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || day < 1 || day > 31 ||
	    hh > 23 || mm > 59 || ss > 60)
		goto bad;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	if (have_off || chat_is_utc(tz)) {
		t = timegm(&tm) - off;
	} else if (chat_local_to_epoch(&tm, tz, &t) < 0) {
		goto bad;
	}
format:
	if (gmtime_r(&t, &utc) == NULL || utc.tm_year + 1900 > 9999 || utc.tm_year < 70)
		goto bad;
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
	    utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int
chatsrc_time_bound(const char *arg, int end_of_day, char *out, size_t len)
{
	char buf[64];
	struct tm tm = { 0 };
	time_t t;

	if (strlen(arg) != 10 || arg[4] != '-' || arg[7] != '-')
		return chatsrc_time_utc(arg, NULL, out, len);
	snprintf(buf, sizeof(buf), "%s 00:00:00", arg);
	if (chatsrc_time_utc(buf, NULL, out, len) < 0)
		return -1;
	if (!end_of_day)
		return 0;
	/* the next day's midnight */
	tm.tm_year = (int)strtol(arg, NULL, 10) - 1900;
	tm.tm_mon = (int)strtol(arg + 5, NULL, 10) - 1;
	tm.tm_mday = (int)strtol(arg + 8, NULL, 10) + 1;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d 00:00:00", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
	if (chatsrc_time_utc(buf, NULL, out, len) < 0) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

/* Feeds one field to the digest: a tag (absent or present), its length, its bytes. */
static void
chat_digest_field(EVP_MD_CTX *ctx, const char *s)
{
	unsigned char head[9];
	size_t len;

	if (s == NULL) {
		head[0] = 0;
		EVP_DigestUpdate(ctx, head, 1);
		return;
	}
	len = strlen(s);
	head[0] = 1;
	for (int i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	EVP_DigestUpdate(ctx, head, 9);
	EVP_DigestUpdate(ctx, s, len);
}

static int
chat_digest(struct chat_norm *n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char idbuf[32];
	EVP_MD_CTX *ctx = n->md;
	int ok;

	if (ctx == NULL)
		ctx = n->md = EVP_MD_CTX_new();
	if (n->sha256 == NULL)
		n->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (ctx == NULL || n->sha256 == NULL)
		return -1;
	if (n->has_msg_id) {
		if (n->msg_id < 0)
			snprintf(idbuf, sizeof(idbuf), "%lld", n->msg_id);
		else
			chatsrc_where(idbuf, sizeof(idbuf), "", (unsigned long)n->msg_id);
	}
	ok = EVP_DigestInit_ex(ctx, n->sha256, NULL) == 1;
	if (ok) {
		chat_digest_field(ctx, n->room_jid);
		chat_digest_field(ctx, n->has_msg_id ? idbuf : NULL);
		chat_digest_field(ctx, n->sent_utc);
		chat_digest_field(ctx, n->from_jid);
		chat_digest_field(ctx, n->nick);
		chat_digest_field(ctx, n->msg_type);
		chat_digest_field(ctx, n->body);
		chat_digest_field(ctx, n->stanza);
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
	}
	if (!ok)
		return -1;
	for (unsigned int i = 0; i < 32; i++) {
		n->digest[2 * i] = hex[md[i] >> 4];
		n->digest[2 * i + 1] = hex[md[i] & 15];
	}
	n->digest[64] = '\0';
	return 0;
}

int
chatsrc_normalize(const struct chat_msg *m, const char *tz, struct chat_norm *n,
    int *repaired, struct j2w_err *err)
{
	const char *where = m->where ? m->where : "message";
	const char *body, *stanza;

	*repaired = 0;
	chat_fixed_clear(n);
	if (m->damaged != NULL)
		return err_set(err, J2W_EDATA, "%s: %s", where, m->damaged);
	if (chatsrc_empty(m->room_jid))
		return err_set(err, J2W_EDATA, "%s: no TO_JID (room)", where);
	n->has_msg_id = !chatsrc_empty(m->msg_id);
	if (n->has_msg_id) {
		long v;

		if (num_parse_long(m->msg_id, LONG_MIN, LONG_MAX, &v) < 0)
			return err_set(err, J2W_EDATA, "%s: MSG_ID '%.40s' is not a number", where,
			    m->msg_id);
		n->msg_id = v;
	} else {
		n->msg_id = 0;
	}
	if (chatsrc_empty(m->sent))
		return err_set(err, J2W_EDATA, "%s: no SENT_DATE", where);
	if (chatsrc_time_utc(m->sent, tz, n->sent_utc, sizeof(n->sent_utc)) < 0)
		return err_set(err, J2W_EDATA, "%s: SENT_DATE '%.40s' is not a time", where, m->sent);
	body = chat_nz(!chatsrc_empty(m->body_string) ? m->body_string : m->body_text);
	stanza = chat_nz(!chatsrc_empty(m->message_string) ? m->message_string : m->message_text);
	/*
	 * A body shorter than BODY_LEN was cut on its way out of the database (a dump
	 * cut short, a tool that truncates long text). Cisco does not say whether
	 * BODY_LEN counts bytes or characters; a whole body has at least as many bytes
	 * as either, so only fewer bytes than BODY_LEN marks it cut.
	 */
	if (!chatsrc_empty(m->body_len)) {
		size_t have = body != NULL ? strlen(body) : 0;
		long want;

		if (num_parse_long(m->body_len, 0, LONG_MAX, &want) < 0)
			return err_set(err, J2W_EDATA, "%s: BODY_LEN '%.40s' is not a number", where,
			    m->body_len);
		if ((unsigned long)want > have)
			return err_set(err, J2W_EDATA, "%s: the body has %zu bytes where BODY_LEN says "
			    "%ld (cut short?)", where, have, want);
	}
	/* an empty string and NULL are the same (CSV dumps cannot tell them apart) */
	n->room_jid = chat_valid(n, m->room_jid, repaired);
	n->from_jid = chat_valid(n, chat_nz(m->from_jid), repaired);
	n->nick = chat_valid(n, chat_nz(chatsrc_nick(m->nick_jid)), repaired);
	n->msg_type = chat_valid(n, chat_nz(m->msg_type), repaired);
	n->subject = chat_valid(n, chat_nz(m->subject), repaired);
	n->body = chat_valid(n, body, repaired);
	n->stanza = chat_valid(n, stanza, repaired);
	if (n->room_jid == NULL || (!chatsrc_empty(body) && n->body == NULL) ||
	    (!chatsrc_empty(stanza) && n->stanza == NULL) ||
	    (!chatsrc_empty(m->from_jid) && n->from_jid == NULL))
		return err_set(err, J2W_ESYS, "%s: out of memory", where);
	n->has_file = n->stanza != NULL && strstr(n->stanza, "advanced-file-transfer") != NULL;
	if (chat_digest(n) < 0)
		return err_set(err, J2W_ESYS, "%s: cannot compute SHA-256", where);
	return 0;
}

int
chatsrc_row(const struct chat_sink *sink, enum chatsrc_table t, const char *const *v,
    const char *where, struct j2w_err *err)
{
	switch (t) {
	case CHATSRC_ROOMS: {
		struct chat_room r = { v[0], v[1], v[2], v[3], v[4], v[5], where };

		return sink->room(sink->ctx, &r, err);
	}
	case CHATSRC_USERS: {
		struct chat_member m = { v[0], v[1], v[2], v[3], v[4], where };

		return sink->member(sink->ctx, &m, err);
	}
	case CHATSRC_MSGS: {
		struct chat_msg m = {
			.room_jid = v[0], .sent = v[1], .msg_id = v[2], .from_jid = v[3],
			.nick_jid = v[4], .msg_type = v[5], .subject = v[6], .body_string = v[7],
			.body_text = v[8], .message_string = v[9], .message_text = v[10],
			.body_len = v[11], .where = where
		};

		return sink->msg(sink->ctx, &m, err);
	}
	case CHATSRC_FILES: {
		struct chat_file f = { v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
			where };

		return sink->file(sink->ctx, &f, err);
	}
	}
	return 0;
}
