/* UTF-8 checks (RFC 3629) without locale dependence. */
#include "util/utf8.h"

/*
 * The length of the valid UTF-8 sequence at s[0..len) with its code point in
 * *cp, or 0 when the bytes there are not one (RFC 3629: no overlongs, no
 * surrogates, nothing over U+10FFFF, no truncated sequence).
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, unsigned long *cp)
{
	unsigned char c = s[0];
	size_t need;
	unsigned long v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1; v = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2; v = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len <= need)
		return 0;
	for (size_t k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return need + 1;
}

size_t
utf8_invalid_at(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n;

		/* most text is ASCII: no call per byte for it */
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq(s + i, len - i, &cp);
		if (n == 0)
			return i;
		i += n;
	}
	return len;
}

int
utf8_from_latin1(struct strbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x80) {
			if (strbuf_addch(out, s[i]) < 0)
				return -1;
		} else {
			char two[2] = { (char)(0xc0 | (s[i] >> 6)), (char)(0x80 | (s[i] & 0x3f)) };

			if (strbuf_add(out, two, 2) < 0)
				return -1;
		}
	}
	return 0;
}

static int
utf8_encode(struct strbuf *out, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp; n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3f)); n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f)); n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); b[3] = (char)(0x80 | (cp & 0x3f)); n = 4;
	}
	return strbuf_add(out, b, n);
}

static unsigned long
utf8_lower_cp(unsigned long cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
		return cp + 32;
	if (cp == 0x130)
		return 'i';	/* capital I with dot above: its one-letter lower case */
	if (cp >= 0x100 && cp <= 0x137 && cp % 2 == 0)
		return cp + 1;
	if (cp >= 0x139 && cp <= 0x148 && cp % 2 == 1)
		return cp + 1;
	if (cp >= 0x14a && cp <= 0x177 && cp % 2 == 0)
		return cp + 1;
	if (cp == 0x178)
		return 0xff;
	if (cp >= 0x179 && cp <= 0x17e && cp % 2 == 1)
		return cp + 1;
	if (cp >= 0x391 && cp <= 0x3ab && cp != 0x3a2)
		return cp + 32;
	/* Greek capitals with tonos */
	if (cp == 0x386)
		return 0x3ac;
	if (cp >= 0x388 && cp <= 0x38a)
		return cp + 37;
	if (cp == 0x38c)
		return 0x3cc;
	if (cp == 0x38e || cp == 0x38f)
		return cp + 63;
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 80;
	return cp;
}

int
utf8_lower(struct strbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n = utf8_seq(s + i, len - i, &cp);

		/* a byte that is not valid UTF-8 is copied as it is, never re-encoded */
		if (n == 0) {
			if (strbuf_addch(out, s[i]) < 0)
				return -1;
			i++;
			continue;
		}
		if (utf8_encode(out, utf8_lower_cp(cp)) < 0)
			return -1;
		i += n;
	}
	return 0;
}
