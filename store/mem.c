/*
 * mem.c: SQLite's allocator (SQLITE_CONFIG_MALLOC, set by vfs.c before
 * SQLite is first used). Debian's SQLite is built without lookaside, so
 * every statement a crawl runs allocates and frees a few dozen blocks
 * (cursors, records, registers) through malloc; glibc's per-thread cache
 * holds seven blocks a size, and the rest took its slow path (6 % of
 * what storing an article cost). Here each thread keeps the blocks it
 * freed in lists by size class (16-byte steps to 256 bytes, then four
 * a doubling to 4 KB), up to a bound a class, and takes from them
 * first; bigger blocks (the page cache's pages), and blocks past the
 * bound, go to malloc and free.
 * A block may be freed by another thread than the one that made it: it
 * joins that thread's lists. A thread's lists are freed when it ends.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#define MEM_HEADER 16 /* keeps 16-byte alignment; holds the class */
#define MEM_CLASSES 32
#define MEM_LARGE MEM_CLASSES /* class of a block from malloc alone */
#define MEM_MAX 4096          /* the largest class's size */
#define MEM_KEEP (256 << 10)  /* bytes a thread keeps a class, at most */

struct mem_free {
	struct mem_free *next;
};

struct mem_cache {
	struct mem_free *head[MEM_CLASSES];
	unsigned n[MEM_CLASSES];
};

static _Thread_local struct mem_cache *mem_cache;
static pthread_key_t mem_key;
static int mem_key_ok;

static unsigned
mem_class(size_t n)
{
	unsigned lg;

	if (n <= 256)
		return n ? (unsigned)((n + 15) / 16 - 1) : 0;
	/* n in (2^lg, 2^(lg + 1)]: four classes of 2^(lg - 2) each. */
	lg = 63u - (unsigned)__builtin_clzll((unsigned long long)(n - 1));
	return 16 + (lg - 8) * 4 +
	    (unsigned)((n - 1 - ((size_t)1 << lg)) >> (lg - 2));
}

/* The size of class c: 16-byte steps to 256, then four a doubling. */
#define MEM_SIZE_OF(c)                                                         \
	((c) < 16 ? (size_t)((c) + 1) * 16                                     \
	          : ((size_t)1 << (8 + ((c)-16) / 4)) +                        \
	            (size_t)(((c)-16) % 4 + 1) *                               \
	                ((size_t)1 << (8 + ((c)-16) / 4 - 2)))
#define MEM_SIZES(c)                                                           \
	MEM_SIZE_OF(c), MEM_SIZE_OF(c + 1), MEM_SIZE_OF(c + 2),                \
	    MEM_SIZE_OF(c + 3)

/* Each class's size, and how many blocks of it a thread keeps: looked
 * up, not computed (a division), on every call SQLite makes. */
static const unsigned mem_sizes[MEM_CLASSES] = {
	MEM_SIZES(0),
	MEM_SIZES(4),
	MEM_SIZES(8),
	MEM_SIZES(12),
	MEM_SIZES(16),
	MEM_SIZES(20),
	MEM_SIZES(24),
	MEM_SIZES(28),
};
#define MEM_KEEPS(c)                                                           \
	MEM_KEEP / MEM_SIZE_OF(c), MEM_KEEP / MEM_SIZE_OF(c + 1),              \
	    MEM_KEEP / MEM_SIZE_OF(c + 2), MEM_KEEP / MEM_SIZE_OF(c + 3)
static const unsigned mem_keeps[MEM_CLASSES] = {
	MEM_KEEPS(0),
	MEM_KEEPS(4),
	MEM_KEEPS(8),
	MEM_KEEPS(12),
	MEM_KEEPS(16),
	MEM_KEEPS(20),
	MEM_KEEPS(24),
	MEM_KEEPS(28),
};

static size_t
mem_class_size(unsigned c)
{
	return mem_sizes[c];
}

static void
mem_drop(void *arg)
{
	struct mem_cache *mc = arg;

	for (unsigned c = 0; mc && c < MEM_CLASSES; c++) {
		while (mc->head[c]) {
			struct mem_free *f = mc->head[c];

			mc->head[c] = f->next;
			free((char *)f - MEM_HEADER);
		}
	}
	free(mc);
	if (mem_cache == mc)
		mem_cache = NULL;
}

static struct mem_cache *mem_thread_new(void);

/* The thread's lists (NULL when it has none and cannot have them):
 * inline, the rare first call apart. */
static inline struct mem_cache *
mem_thread(void)
{
	struct mem_cache *mc = mem_cache;

	if (mc || !mem_key_ok)
		return mc;
	return mem_thread_new();
}

static __attribute__((noinline)) struct mem_cache *
mem_thread_new(void)
{
	struct mem_cache *mc = calloc(1, sizeof(*mc));

	if (mc && pthread_setspecific(mem_key, mc) != 0) {
		free(mc);
		mc = NULL;
	}
	mem_cache = mc;
	return mc;
}

static void *
mem_malloc(int n)
{
	size_t size = n > 0 ? (size_t)n : 1;
	unsigned c = size <= MEM_MAX ? mem_class(size) : MEM_LARGE;
	struct mem_cache *mc = c < MEM_CLASSES ? mem_thread() : NULL;
	char *p;

	if (mc && mc->head[c]) {
		struct mem_free *f = mc->head[c];

		mc->head[c] = f->next;
		mc->n[c]--;
		return f;
	}
	if (c < MEM_CLASSES)
		size = mem_class_size(c);
	p = malloc(MEM_HEADER + size);
	if (!p)
		return NULL;
	if (c == MEM_LARGE)
		memcpy(p, &size, sizeof(size));
	p[MEM_HEADER - 1] = (char)c;
	return p + MEM_HEADER;
}

static unsigned
mem_class_of(const void *p)
{
	return (unsigned char)((const char *)p)[-1];
}

static int
mem_size(void *p)
{
	unsigned c;
	size_t size;

	if (!p)
		return 0;
	c = mem_class_of(p);
	if (c < MEM_CLASSES)
		return (int)mem_class_size(c);
	memcpy(&size, (char *)p - MEM_HEADER, sizeof(size));
	return (int)size;
}

static void
mem_free(void *p)
{
	unsigned c;
	struct mem_cache *mc;

	if (!p)
		return;
	c = mem_class_of(p);
	mc = c < MEM_CLASSES ? mem_thread() : NULL;
	if (mc && mc->n[c] < mem_keeps[c]) {
		struct mem_free *f = p;

		f->next = mc->head[c];
		mc->head[c] = f;
		mc->n[c]++;
		return;
	}
	free((char *)p - MEM_HEADER);
}

static void *
mem_realloc(void *p, int n)
{
	size_t old = (size_t)mem_size(p), size = n > 0 ? (size_t)n : 1;
	void *q;

	if (p && size <= MEM_MAX && mem_class_of(p) < MEM_CLASSES &&
	    mem_class(size) == mem_class_of(p))
		return p;
	q = mem_malloc(n);
	if (q && p)
		memcpy(q, p, MIN(old, size));
	if (q)
		mem_free(p);
	return q;
}

static int
mem_roundup(int n)
{
	size_t size = n > 0 ? (size_t)n : 1;

	if (size <= MEM_MAX)
		return (int)mem_class_size(mem_class(size));
	return (int)((size + 7) & ~(size_t)7);
}

static int
mem_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
mem_shutdown(void *arg)
{
	(void)arg;
}

void
store__mem_register(void)
{
	static const sqlite3_mem_methods methods = {
		mem_malloc,
		mem_free,
		mem_realloc,
		mem_size,
		mem_roundup,
		mem_init,
		mem_shutdown,
		NULL,
	};

	_Static_assert(MEM_CLASSES == 32 && MEM_MAX == 4096,
	    "classes: 16 of 16 bytes, then 4 a doubling from 256 to 4 KB");
	if (pthread_key_create(&mem_key, mem_drop) != 0)
		return;
	mem_key_ok = 1;
	/* Possible only before SQLite is first used; otherwise malloc. */
	sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
