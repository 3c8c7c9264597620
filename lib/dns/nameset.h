/* A hash set of DNS names, equal regardless of ASCII letter case and a trailing dot. */
#ifndef J2W_NAMESET_H
#define J2W_NAMESET_H

#include <stddef.h>

/* The most names one set holds (a run asks a few per domain; 2^24 is far beyond). */
#define NAMESET_MAX ((size_t)1 << 24)

/*
 * The set holds pointers, not copies: every name added must stay valid and
 * unchanged until the set is released. Open addressing, at most half full,
 * so adding and finding cost the same at any size.
 */
struct nameset {
	const char **slot;	/* cap slots, each NULL or a name */
	size_t cap;		/* 0 or a power of two */
	size_t n;
};

/* Call before use and nameset_release after (frees the slots, never the names). */
void nameset_init(struct nameset *s);
void nameset_release(struct nameset *s);

/*
 * Adds name unless an equal name is there already. Returns 1 when added, 0
 * when a name equal to it was there, -1 when out of memory or the set holds
 * NAMESET_MAX names (nothing added).
 */
int nameset_add(struct nameset *s, const char *name);

/* The name held that equals name, or NULL. */
const char *nameset_find(const struct nameset *s, const char *name);

/*
 * Whether a and b are the same DNS name in presentation form: ASCII letters
 * in either case, with or without one trailing dot ("." alone is the root).
 */
int nameset_equal(const char *a, const char *b);

#endif
