/* A growable byte string with a hard cap, always NUL-terminated (after git's strbuf). */
#ifndef J2W_STRBUF_H
#define J2W_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;	/* never NULL after strbuf_init; "" when empty */
	size_t len;
	size_t alloc;
	size_t max;	/* the most bytes (without the NUL) it may hold */
};

#define STRBUF_DEFAULT_MAX ((size_t)64 << 20)

/* Starts an empty buffer that refuses to grow past max bytes (0: the default). */
void strbuf_init(struct strbuf *sb, size_t max);
/* Frees the memory and leaves an empty, reusable buffer. */
void strbuf_release(struct strbuf *sb);
/* Empties the buffer and keeps its memory. */
void strbuf_reset(struct strbuf *sb);
/* Hands the string to the caller, who frees it; the buffer is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

/*
 * Each add returns 0, or -1 with errno ENOMEM (allocation) or EFBIG (the cap)
 * and the buffer unchanged.
 */
int strbuf_grow(struct strbuf *sb, size_t extra);
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Drops trailing spaces, tabs, CR and LF. */
void strbuf_rtrim(struct strbuf *sb);
/*
 * Appends a count with its noun, the way the commands' summaries say it: "1 room",
 * "2 rooms", or with many when the plural is not one + "s" ("2 LDAP searches").
 */
int strbuf_add_count(struct strbuf *sb, unsigned long long n, const char *one, const char *many);

#endif
