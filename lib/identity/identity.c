/* Identity rules: addr-spec, JID, case folding, IDN domains, address comparison. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identity/identity.h"

#include "identity/casefold.inc"

#define LABEL_CP_MAX IDENTITY_LABEL_MAX
#define JID_PART_MAX 1023
#define LOCAL_MAX 64
#define EMAIL_MAX 254

/* Decodes one UTF-8 sequence; returns its length, or 0 when invalid. */
static size_t
u8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
u8_encode(struct strbuf *out, uint32_t cp)
{
	unsigned char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return strbuf_add(out, b, n);
}

static uint32_t
fold_cp(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(casefold_table) / sizeof(casefold_table[0]);

	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (casefold_table[mid][0] == cp)
			return casefold_table[mid][1];
		if (casefold_table[mid][0] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return cp;
}

int
identity_fold(struct strbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = u8_decode(s + i, len - i, &cp);

		if (n == 0) {
			if (strbuf_addch(out, s[i]) < 0)
				return -1;
			i++;
			continue;
		}
		if (u8_encode(out, fold_cp(cp)) < 0)
			return -1;
		i += n;
	}
	return 0;
}

/* RFC 3492 parameters for IDNA. */
enum { PC_BASE = 36, PC_TMIN = 1, PC_TMAX = 26, PC_SKEW = 38, PC_DAMP = 700,
	PC_BIAS = 72, PC_N = 128 };

static uint32_t
pc_adapt(uint32_t delta, uint32_t npoints, int first)
{
	uint32_t k = 0;

	delta = first ? delta / PC_DAMP : delta / 2;
	delta += delta / npoints;
	while (delta > ((PC_BASE - PC_TMIN) * PC_TMAX) / 2) {
		delta /= PC_BASE - PC_TMIN;
		k += PC_BASE;
	}
	return k + (PC_BASE - PC_TMIN + 1) * delta / (delta + PC_SKEW);
}

static int
pc_digit_value(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '0' && c <= '9')
		return c - '0' + 26;
	return PC_BASE;
}

static char
pc_digit(uint32_t d)
{
	return (char)(d < 26 ? 'a' + d : '0' + (d - 26));
}

static uint32_t
pc_threshold(uint32_t k, uint32_t bias)
{
	if (k <= bias)
		return PC_TMIN;
	if (k >= bias + PC_TMAX)
		return PC_TMAX;
	return k - bias;
}

int
punycode_decode(const char *in, size_t len, struct strbuf *out)
{
	uint32_t cps[LABEL_CP_MAX];
	uint32_t n = PC_N, i = 0, bias = PC_BIAS;
	size_t ncp = 0, b = 0, pos, j, keep = out->len;
	int delim = 0;

	for (j = 0; j < len; j++) {
		if (in[j] == '-') {
			b = j;
			delim = 1;
		}
	}
	if (b > LABEL_CP_MAX)
		return -1;
	for (j = 0; j < b; j++) {
		unsigned char c = (unsigned char)in[j];

		if (c >= 0x80 || c < 0x20)
			return -1;
		cps[ncp++] = c;
	}
	pos = delim ? b + 1 : 0;
	while (pos < len) {
		uint32_t oldi = i, w = 1, k;

		for (k = PC_BASE;; k += PC_BASE) {
			uint32_t digit, t;

			if (pos >= len)
				return -1;
			digit = (uint32_t)pc_digit_value((unsigned char)in[pos++]);
			if (digit >= PC_BASE || digit > (UINT32_MAX - i) / w)
				return -1;
			i += digit * w;
			t = pc_threshold(k, bias);
			if (digit < t)
				break;
			if (w > UINT32_MAX / (PC_BASE - t))
				return -1;
			w *= PC_BASE - t;
		}
		if (ncp >= LABEL_CP_MAX)
			return -1;
		bias = pc_adapt(i - oldi, (uint32_t)ncp + 1, oldi == 0);
		if (i / (ncp + 1) > UINT32_MAX - n)
			return -1;
		n += i / (uint32_t)(ncp + 1);
		i %= (uint32_t)(ncp + 1);
		if (n < 0x80 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
			return -1;
		memmove(cps + i + 1, cps + i, (ncp - i) * sizeof(cps[0]));
		cps[i++] = n;
		ncp++;
	}
	for (j = 0; j < ncp; j++) {
		if (u8_encode(out, cps[j]) < 0) {
			out->len = keep;
			out->buf[keep] = '\0';
			return -1;
		}
	}
	return 0;
}

int
punycode_encode(const char *in, size_t len, struct strbuf *out)
{
	uint32_t cps[LABEL_CP_MAX];
	uint32_t n = PC_N, delta = 0, bias = PC_BIAS, h, b = 0;
	size_t ncp = 0, i = 0, j, keep = out->len;

	while (i < len) {
		size_t k;

		if (ncp >= LABEL_CP_MAX)
			return -1;
		k = u8_decode((const unsigned char *)in + i, len - i, &cps[ncp]);
		if (k == 0)
			return -1;
		i += k;
		ncp++;
	}
	for (j = 0; j < ncp; j++) {
		if (cps[j] < 0x80) {
			if (strbuf_addch(out, (int)cps[j]) < 0)
				goto fail;
			b++;
		}
	}
	h = b;
	if (b > 0 && strbuf_addch(out, '-') < 0)
		goto fail;
	while (h < ncp) {
		uint32_t m = UINT32_MAX;

		for (j = 0; j < ncp; j++)
			if (cps[j] >= n && cps[j] < m)
				m = cps[j];
		if (m - n > (UINT32_MAX - delta) / (h + 1))
			goto fail;
		delta += (m - n) * (h + 1);
		n = m;
		for (j = 0; j < ncp; j++) {
			if (cps[j] < n && ++delta == 0)
				goto fail;
			if (cps[j] == n) {
				uint32_t q = delta, k;

				for (k = PC_BASE;; k += PC_BASE) {
					uint32_t t = pc_threshold(k, bias);

					if (q < t)
						break;
					if (strbuf_addch(out, pc_digit(t + (q - t) % (PC_BASE - t))) < 0)
						goto fail;
					q = (q - t) / (PC_BASE - t);
				}
				if (strbuf_addch(out, pc_digit(q)) < 0)
					goto fail;
				bias = pc_adapt(delta, h + 1, h == b);
				delta = 0;
				h++;
			}
		}
		delta++;
		n++;
	}
	return 0;
fail:
	out->len = keep;
	out->buf[keep] = '\0';
	return -1;
}

static int
is_ldh(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-';
}

static int
is_alabel(const char *l, size_t len)
{
	return len >= 4 && (l[0] == 'x' || l[0] == 'X') && (l[1] == 'n' || l[1] == 'N') &&
	    l[2] == '-' && l[3] == '-';
}

/* Checks one label; returns 0 or -1 with *why. */
static int
label_check(const char *l, size_t len, const char **why)
{
	struct strbuf sb;
	int ascii = 1, rc = 0;
	size_t i;

	if (len == 0)
		return *why = "empty label in the domain", -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)l[i];

		if (c >= 0x80)
			ascii = 0;
		else if (!is_ldh(c))
			return *why = "character not allowed in a domain name", -1;
	}
	if (l[0] == '-' || l[len - 1] == '-')
		return *why = "domain label starts or ends with '-'", -1;
	strbuf_init(&sb, 4096);
	if (ascii) {
		if (len > IDENTITY_LABEL_MAX) {
			*why = "domain label longer than 63 octets";
			rc = -1;
		} else if (is_alabel(l, len)) {
			/* an A-label must decode, hold non-ASCII and encode back to itself */
			struct strbuf back;
			size_t k;
			int has_non_ascii = 0;

			strbuf_init(&back, 4096);
			if (punycode_decode(l + 4, len - 4, &sb) < 0 ||
			    punycode_encode(sb.buf, sb.len, &back) < 0 || back.len != len - 4) {
				rc = -1;
			} else {
				for (k = 0; k < back.len; k++)
					if (back.buf[k] != l[4 + k] && back.buf[k] != (l[4 + k] | 0x20))
						rc = -1;
				for (k = 0; k < sb.len; k++)
					if ((unsigned char)sb.buf[k] >= 0x80)
						has_non_ascii = 1;
				if (!has_non_ascii)
					rc = -1;
			}
			if (rc < 0)
				*why = "'xn--' label that is not valid Punycode";
			strbuf_release(&back);
		} else if (len >= 4 && l[2] == '-' && l[3] == '-') {
			*why = "domain label with '--' in the third and fourth places";
			rc = -1;
		}
	} else {
		/* a U-label: valid UTF-8, and its A-label must fit in 63 octets */
		if (punycode_encode(l, len, &sb) < 0) {
			*why = "domain label that is not valid UTF-8 or too long";
			rc = -1;
		} else if (sb.len + 4 > IDENTITY_LABEL_MAX) {
			*why = "domain label longer than 63 octets as an A-label";
			rc = -1;
		}
	}
	strbuf_release(&sb);
	return rc;
}

int
identity_domain_check(const char *d, size_t len, int need_dot, const char **why)
{
	size_t start = 0, i, labels = 0;

	if (len > 0 && d[len - 1] == '.')
		len--;
	if (len == 0)
		return *why = "empty domain", -1;
	if (len > IDENTITY_DOMAIN_MAX)
		return *why = "domain longer than 253 octets", -1;
	for (i = 0; i <= len; i++) {
		if (i == len || d[i] == '.') {
			if (label_check(d + start, i - start, why) < 0)
				return -1;
			labels++;
			start = i + 1;
		}
	}
	if (need_dot && labels < 2)
		return *why = "domain has no dot", -1;
	return 0;
}

int
identity_domain_key(struct strbuf *out, const char *d, size_t len)
{
	size_t start = 0, i;

	if (len > 0 && d[len - 1] == '.')
		len--;
	for (i = 0; i <= len; i++) {
		if (i == len || d[i] == '.') {
			const char *l = d + start;
			size_t llen = i - start;
			size_t before;

			if (start > 0 && strbuf_addch(out, '.') < 0)
				return -1;
			before = out->len;
			if (is_alabel(l, llen) && punycode_decode(l + 4, llen - 4, out) == 0) {
				/* fold what the A-label spelt, in place */
				struct strbuf tmp;

				strbuf_init(&tmp, 0);
				if (identity_fold(&tmp, out->buf + before, out->len - before) < 0) {
					strbuf_release(&tmp);
					return -1;
				}
				out->len = before;
				out->buf[before] = '\0';
				if (strbuf_add(out, tmp.buf, tmp.len) < 0) {
					strbuf_release(&tmp);
					return -1;
				}
				strbuf_release(&tmp);
			} else if (identity_fold(out, l, llen) < 0) {
				return -1;
			}
			start = i + 1;
		}
	}
	return 0;
}

static int
is_atext(unsigned char c)
{
	if (c >= 0x80)
		return 1;	/* UTF8-non-ascii (RFC 6531), checked for validity apart */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* Whether s[0..len) is valid UTF-8 throughout. */
static int
utf8_ok(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = u8_decode((const unsigned char *)s + i, len - i, &cp);

		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Checks the local part s[0..len) of an addr-spec. */
static int
local_check(const char *s, size_t len, const char **why)
{
	size_t i;

	if (len == 0)
		return *why = "empty local part", -1;
	if (len > LOCAL_MAX)
		return *why = "local part longer than 64 octets", -1;
	if (s[0] == '"') {
		/* quoted-string: qtext, quoted-pair and white space between quotes */
		if (len < 2 || s[len - 1] != '"')
			return *why = "unbalanced quotes in the local part", -1;
		for (i = 1; i < len - 1; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '\\') {
				if (i + 1 >= len - 1)
					return *why = "unbalanced quotes in the local part", -1;
				c = (unsigned char)s[++i];
				if (c < 0x20 && c != '\t')
					return *why = "control character in the local part", -1;
				continue;
			}
			if (c == '"')
				return *why = "unbalanced quotes in the local part", -1;
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return *why = "control character in the local part", -1;
		}
		return 0;
	}
	/* dot-atom-text */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (i == 0 || i == len - 1 || s[i - 1] == '.')
				return *why = "local part with a leading, trailing or double dot", -1;
			continue;
		}
		if (c == ' ' || c == '\t')
			return *why = "white space in the address", -1;
		if (c < 0x20 || c == 0x7f)
			return *why = "control character in the address", -1;
		if (!is_atext(c))
			return *why = "character not allowed in an unquoted local part", -1;
	}
	return 0;
}

const char *
identity_last_at(const char *s)
{
	return strrchr(s, '@');
}

int
identity_email_check(const char *s, const char **why)
{
	size_t len = strlen(s);
	const char *at;

	if (len == 0)
		return *why = "empty address", -1;
	if (!utf8_ok(s, len))
		return *why = "not valid UTF-8", -1;
	if (len > EMAIL_MAX)
		return *why = "address longer than 254 octets", -1;
	at = strrchr(s, '@');
	if (at == NULL)
		return *why = "no '@'", -1;
	/* an unquoted local part holds no '@'; a quoted one may */
	if (s[0] != '"' && memchr(s, '@', (size_t)(at - s)) != NULL)
		return *why = "more than one '@'", -1;
	if (local_check(s, (size_t)(at - s), why) < 0)
		return -1;
	at++;
	if (*at == '[')
		return *why = "domain literal (a Webex email needs a domain name)", -1;
	if (strchr(at, ' ') != NULL || strchr(at, '\t') != NULL)
		return *why = "white space in the address", -1;
	if (len > 0 && s[len - 1] == '.')
		return *why = "domain ends with a dot", -1;
	return identity_domain_check(at, strlen(at), 1, why);
}

int
identity_jid_check(const char *s, const char **why)
{
	size_t len = strlen(s), i, llen;
	const char *at;

	if (len == 0)
		return *why = "empty JID", -1;
	if (!utf8_ok(s, len))
		return *why = "not valid UTF-8", -1;
	if (strchr(s, '/') != NULL)
		return *why = "'/' in the JID (a resource, or a character the localpart cannot hold)", -1;
	at = strrchr(s, '@');
	if (at == NULL)
		return *why = "no localpart", -1;
	llen = (size_t)(at - s);
	if (llen == 0)
		return *why = "empty localpart", -1;
	if (llen > JID_PART_MAX || strlen(at + 1) > JID_PART_MAX)
		return *why = "localpart or domainpart longer than 1023 octets", -1;
	for (i = 0; i < llen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c == 0x7f)
			return *why = "space or control character in the localpart", -1;
		if (strchr("\"&':<>", c) != NULL)
			return *why = "character not allowed in a JID localpart (\" & ' : < >)", -1;
	}
	return identity_domain_check(at + 1, strlen(at + 1), 0, why);
}

char *
identity_key(const char *addr)
{
	struct strbuf sb;
	const char *end, *at;

	while (*addr == ' ' || *addr == '\t' || *addr == '\r' || *addr == '\n')
		addr++;
	end = addr + strlen(addr);
	while (end > addr && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
	    end[-1] == '\n'))
		end--;
	at = NULL;
	for (const char *p = addr; p < end; p++)
		if (*p == '@')
			at = p;
	strbuf_init(&sb, 0);
	if (at == NULL) {
		if (identity_fold(&sb, addr, (size_t)(end - addr)) < 0)
			goto fail;
	} else if (identity_fold(&sb, addr, (size_t)(at - addr)) < 0 ||
	    strbuf_addch(&sb, '@') < 0 ||
	    identity_domain_key(&sb, at + 1, (size_t)(end - at - 1)) < 0) {
		goto fail;
	}
	return strbuf_detach(&sb, NULL);
fail:
	strbuf_release(&sb);
	return NULL;
}

enum identity_cmp
identity_compare(const char *a, const char *b)
{
	enum identity_cmp r = IDENTITY_DIFFERENT;
	char *ka, *kb;

	if (strcmp(a, b) == 0)
		return IDENTITY_SAME;
	ka = identity_key(a);
	kb = identity_key(b);
	if (ka != NULL && kb != NULL && strcmp(ka, kb) == 0) {
		struct strbuf fa, fb;

		strbuf_init(&fa, 0);
		strbuf_init(&fb, 0);
		if (identity_fold(&fa, a, strlen(a)) == 0 && identity_fold(&fb, b, strlen(b)) == 0 &&
		    strcmp(fa.buf, fb.buf) == 0)
			r = IDENTITY_CASE_ONLY;
		else
			r = IDENTITY_EQUIVALENT;
		strbuf_release(&fa);
		strbuf_release(&fb);
	}
	free(ka);
	free(kb);
	return r;
}
