/*
 * arena.c: block arenas with a hard limit. Each article gets one; it is
 * reset once the article is stored, so extraction code never frees.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

struct arena_block {
	struct arena_block *prev;
	size_t cap; /* usable bytes after the header */
	size_t off; /* bytes used */
	max_align_t data[];
};

#define ARENA_BLOCK_MIN ((size_t)64 * 1024)

void
arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->used = 0;
	a->limit = limit ? limit : (size_t)1 << 30;
	a->full = 0;
}

void
arena_release(struct arena *a)
{
	struct arena_block *b, *prev;

	if (!a)
		return;
	for (b = a->head; b; b = prev) {
		prev = b->prev;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
	a->full = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b, *prev;

	/* Keep the newest block for reuse; free the rest. */
	if (!a->head)
		return;
	for (b = a->head->prev; b; b = prev) {
		prev = b->prev;
		free(b);
	}
	a->head->prev = NULL;
	a->head->off = 0;
	a->used = 0;
	a->full = 0;
}

static inline void *alloc(struct arena *a, size_t size, size_t align,
    size_t count, int zero);

void *
arena_alloc(struct arena *a, size_t size, size_t align, size_t count)
{
	return alloc(a, size, align, count, 1);
}

void *
arena_alloc_uninit(struct arena *a, size_t size, size_t align, size_t count)
{
	return alloc(a, size, align, count, 0);
}

/* A new block for total bytes (the current one has no room), or NULL
 * past the limit. Out of line: the common case needs none of its
 * registers. */
static __attribute__((noinline)) void *
alloc_block(struct arena *a, size_t total, size_t align)
{
	struct arena_block *b;
	size_t pad, cap;

	if (a->used + total > a->limit) {
		a->full = 1;
		return NULL;
	}
	cap = MAX(ARENA_BLOCK_MIN, total + align);
	b = xmalloc(sizeof(*b) + cap);
	b->prev = a->head;
	b->cap = cap;
	b->off = 0;
	a->head = b;
	pad = (align - ((uintptr_t)b->data & (align - 1))) & (align - 1);
	b->off = pad + total;
	a->used += pad + total;
	return (char *)b->data + pad;
}

static inline void *
alloc(struct arena *a, size_t size, size_t align, size_t count, int zero)
{
	struct arena_block *b = a->head;
	size_t total, pad;
	char *p;

	/* size * count past SIZE_MAX / 4 is refused (no division) */
	if (__builtin_mul_overflow(size, count, &total) ||
	    total > SIZE_MAX / 4) {
		a->full = 1;
		return NULL;
	}
	if (total == 0)
		total = 1;
	if (b) {
		pad = (align - (b->off & (align - 1))) & (align - 1);
		if (pad + total <= b->cap - b->off) {
			p = (char *)b->data + b->off + pad;
			b->off += pad + total;
			a->used += pad + total;
			if (zero)
				memset(p, 0, total);
			return p;
		}
	}
	p = alloc_block(a, total, align);
	if (p && zero)
		memset(p, 0, total);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = NEW_UNINIT(a, char, n + 1);

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *
arena_sprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = NEW(a, char, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct arena_mark
arena_mark(struct arena *a)
{
	struct arena_mark m = { a->head, a->head ? a->head->off : 0, a->used };

	return m;
}

void
arena_rewind(struct arena *a, struct arena_mark m)
{
	struct arena_block *b, *prev;

	for (b = a->head; b && b != m.head; b = prev) {
		prev = b->prev;
		free(b);
	}
	a->head = b;
	if (b)
		b->off = m.off;
	a->used = m.used;
}
