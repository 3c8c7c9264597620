/* JSON string escaping and object members, byte-compatible with jansson's compact dump. */
#include <stdint.h>
#include <string.h>

#include "util/jsonw.h"

#define ONES ((uint64_t)0x0101010101010101)
#define HIGHS ((uint64_t)0x8080808080808080)

/*
 * Whether any of the 8 bytes in w needs an escape: below 0x20, a quote or a
 * backslash (the exact test, per byte, as in "Bit Twiddling Hacks": a byte below
 * n sets its high bit in (w - n) & ~w; a byte equal to c is a zero byte of w ^ c).
 */
static int
jsonw_word_special(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');
	uint64_t lt = (w - ONES * 0x20) & ~w;

	lt |= (q - ONES) & ~q;
	lt |= (b - ONES) & ~b;
	return (lt & HIGHS) != 0;
}

/* How many bytes at the start of s[0..len) need no escape. */
static size_t
jsonw_plain_run(const char *s, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (jsonw_word_special(w))
			break;
	}
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	return i;
}

/* Room for n more bytes (and the NUL) without another strbuf_grow call when there is. */
static int
jsonw_room(struct strbuf *sb, size_t n)
{
	if (sb->alloc > sb->len + n)
		return 0;
	return strbuf_grow(sb, n);
}

/* The rest of a string from its first byte that needs an escape, and the closing quote. */
static int
jsonw_escaped(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	for (;;) {
		size_t run = jsonw_plain_run(s, len);
		unsigned char c;
		char esc[6];
		size_t n = 2;

		if (strbuf_add(sb, s, run) < 0)
			return -1;
		if (run == len)
			break;
		c = (unsigned char)s[run];
		esc[0] = '\\';
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (strbuf_add(sb, esc, n) < 0)
			return -1;
		s += run + 1;
		len -= run + 1;
	}
	return strbuf_addch(sb, '"');
}

/*
 * Appends prefix (plen bytes, written as is) and then s as a JSON string. Room
 * for the common case, nothing to escape, is made once.
 */
static int
jsonw_prefixed_string(struct strbuf *sb, const char *prefix, size_t plen, const char *s)
{
	size_t len = strlen(s), run;
	char *p;

	if (jsonw_room(sb, plen + len + 2) < 0)
		return -1;
	p = sb->buf + sb->len;
	memcpy(p, prefix, plen);
	p += plen;
	*p++ = '"';
	run = jsonw_plain_run(s, len);
	memcpy(p, s, run);
	p += run;
	sb->len = (size_t)(p - sb->buf);
	if (run < len)
		return jsonw_escaped(sb, s + run, len - run);
	*p++ = '"';
	*p = '\0';
	sb->len++;
	return 0;
}

int
jsonw_string(struct strbuf *sb, const char *s)
{
	return jsonw_prefixed_string(sb, "", 0, s);
}

/* {"key": or ,"key": -- keys are the caller's constants, with nothing to escape */
static size_t
jsonw_key(char *out, size_t cap, int *first, const char *key)
{
	size_t klen = strlen(key);

	if (klen + 4 > cap)
		return 0;
	out[0] = *first ? '{' : ',';
	out[1] = '"';
	memcpy(out + 2, key, klen);
	out[klen + 2] = '"';
	out[klen + 3] = ':';
	*first = 0;
	return klen + 4;
}

int
jsonw_member_str(struct strbuf *sb, int *first, const char *key, const char *val)
{
	char prefix[64];
	size_t plen;

	if (val == NULL)
		return 0;
	plen = jsonw_key(prefix, sizeof(prefix), first, key);
	if (plen == 0)
		return -1;
	return jsonw_prefixed_string(sb, prefix, plen, val);
}

int
jsonw_member_bool(struct strbuf *sb, int *first, const char *key, int val)
{
	char prefix[64];
	size_t plen;

	if (val < 0)
		return 0;
	plen = jsonw_key(prefix, sizeof(prefix), first, key);
	if (plen == 0 || strbuf_add(sb, prefix, plen) < 0)
		return -1;
	return strbuf_addstr(sb, val ? "true" : "false");
}
