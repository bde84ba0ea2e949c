/*
 * Allocation that cannot fail. Running out of memory is not an input error
 * mtcheck could report usefully, so like git it prints one line and aborts
 * rather than threading ENOMEM through every caller.
 */
#ifndef MT_XALLOC_H
#define MT_XALLOC_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

_Noreturn void xalloc_die(size_t size);
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrdup, or NULL for NULL: copies optional strings ("null when unknown"). */
char *xstrdup_or_null(const char *s);
/* Grows an array of elements of size `elem` to hold at least `want`. */
void *xgrow(void *ptr, size_t *alloc, size_t want, size_t elem);

/* ARRAY_GROW(v, n, alloc): make room for v[n]. */
#define ARRAY_GROW(ptr, nr, alloc) \
	((ptr) = xgrow((ptr), &(alloc), (nr) + 1, sizeof(*(ptr))))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
