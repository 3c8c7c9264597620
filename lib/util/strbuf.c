/* strbuf: growable, capped, NUL-terminated byte strings. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static char strbuf_empty[1];

void
strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max ? max : STRBUF_DEFAULT_MAX;
}

void
strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

char *
strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *s;

	if (len != NULL)
		*len = sb->len;
	if (sb->alloc == 0) {
		s = strdup("");
	} else {
		s = sb->buf;
	}
	sb->buf = strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	return s;
}

int
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want, cap;
	char *p;

	if (extra > sb->max || sb->len > sb->max - extra) {
		errno = EFBIG;
		return -1;
	}
	want = sb->len + extra + 1;
	if (want <= sb->alloc)
		return 0;
	cap = sb->alloc ? sb->alloc : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap > sb->max + 1)
		cap = sb->max + 1;
	p = realloc(sb->alloc ? sb->buf : NULL, cap);
	if (p == NULL) {
		errno = ENOMEM;
		return -1;
	}
	if (sb->alloc == 0)
		p[0] = '\0';
	sb->buf = p;
	sb->alloc = cap;
	return 0;
}

int
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (strbuf_grow(sb, len) < 0)
		return -1;
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int
strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	return strbuf_add(sb, &ch, 1);
}

int
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return -1;
	if (strbuf_grow(sb, (size_t)n) < 0)
		return -1;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return rc;
}

void
strbuf_rtrim(struct strbuf *sb)
{
	/* not strchr: it would find the terminator and take a NUL for a space */
	while (sb->len > 0 && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t' ||
	    sb->buf[sb->len - 1] == '\r' || sb->buf[sb->len - 1] == '\n'))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

int
strbuf_add_count(struct strbuf *sb, unsigned long long n, const char *one, const char *many)
{
	if (n == 1)
		return strbuf_addf(sb, "1 %s", one);
	if (many != NULL)
		return strbuf_addf(sb, "%llu %s", n, many);
	return strbuf_addf(sb, "%llu %ss", n, one);
}
