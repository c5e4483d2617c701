/*
 * base.h: the few things every module shares: error codes, borrowed spans,
 * growable buffers with a hard limit, arenas, and allocation that never
 * fails visibly. Depends on nothing but libc.
 */
#ifndef DW_BASE_H
#define DW_BASE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
	DW_OK = 0,
	DW_ERR = -1,       /* anything else; the message says what */
	DW_ENOTFOUND = -2, /* no such file, feed, deal */
	DW_EEXISTS = -3,   /* store: already recorded */
	DW_EPARSE = -4,    /* feed, article or rule syntax */
	DW_ETOOBIG = -5,   /* input passed its limit */
	DW_EUSAGE = -6,    /* caller asked for something meaningless */
	DW_ENOHOST = -7,   /* host name does not resolve */
	DW_EAGAIN = -8,    /* temporary failure, retry later */
	DW_ECREATE = -9,   /* cannot create output (database, file) */
	DW_EIO = -10,      /* read or write failed */
	DW_ECONFIG = -11,  /* bad rule file or configuration */
	DW_ELOCKED = -12,  /* another process holds the lock */
};

/*
 * Borrowed bytes, not NUL-terminated, passed by value.
 */
struct span {
	const char *p;
	size_t len;
};

#define SPAN(lit) ((struct span){ (lit), sizeof(lit) - 1 })
struct span span_cstr(const char *s);
int span_eq(struct span a, struct span b);
int span_ieq(struct span a, struct span b); /* ASCII case-insensitive */

#define countof(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/*
 * Allocation that cannot fail: on exhaustion it prints and aborts. We ship
 * a command-line tool; a crawl that runs out of memory has nothing sane to
 * do but stop.
 */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/*
 * struct buf: owned, growable bytes, always NUL-terminated, with data never
 * NULL and a hard maximum. Its error is sticky: once an append would pass
 * max, further appends do nothing and buf_error() says so, so callers chain
 * appends and check once.
 */
struct buf {
	char *data; /* NUL-terminated; never NULL after buf_init */
	size_t len; /* bytes used, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* hard limit on len; 0 means SIZE_MAX / 2 */
	int err;    /* DW_ETOOBIG once an append was refused */
};

#define BUF_INIT                                                               \
	{                                                                      \
		buf__empty, 0, 0, 0, 0                                         \
	}
extern char buf__empty[1]; /* shared empty string; never written */

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addch(struct buf *b, int c);
int buf_addspan(struct buf *b, struct span s);
int buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Replace the contents with the formatted message (for error buffers). */
int buf_setf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the bytes to the caller, who frees them; b is left empty. */
char *buf_detach(struct buf *b, size_t *len);
static inline int
buf_error(const struct buf *b)
{
	return b->err;
}
static inline struct span
buf_span(const struct buf *b)
{
	return (struct span){ b->data, b->len };
}
/* buf_add, inline while the room is there (the hot appends of the feed
 * parser and the HTML converter): the same result. */
static inline int
buf_add_inline(struct buf *b, const void *p, size_t n)
{
	if (n && n < b->cap - b->len && !b->err &&
	    (!b->max || b->len + n <= b->max)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return DW_OK;
	}
	return buf_add(b, p, n);
}

/*
 * JSON output helpers: a string (quoted, escaped; invalid UTF-8 becomes
 * U+FFFD), a NULL string as null, and a number that prints integers
 * without a fraction.
 */
void buf_json_str(struct buf *b, const char *s);
/*
 * Length of the valid UTF-8 sequence at p (n bytes available), or 0 when
 * it is not one (overlong forms, surrogates and code points past U+10FFFF
 * included).
 */
size_t utf8_seq_len(const unsigned char *p, size_t n);
void buf_json_strn(struct buf *b, const char *s, size_t n);
void buf_json_num(struct buf *b, double v);

/*
 * Arenas: a chain of blocks with a hard limit in bytes. Allocations are
 * zeroed and aligned for any type. Past the limit, arena_alloc returns NULL
 * and the arena remembers it (arena_full), so the caller can fail the one
 * article with DW_ETOOBIG and go on with the next.
 */
struct arena_block;
struct arena {
	struct arena_block *head; /* newest block; NULL before first use */
	size_t used;              /* bytes handed out in all blocks */
	size_t limit;             /* bytes; 0 means 1 GiB */
	int full;                 /* set once an allocation was refused */
};

struct arena_mark {
	struct arena_block *head;
	size_t off;
	size_t used;
};

void arena_init(struct arena *a, size_t limit);
void arena_release(struct arena *a);
void arena_reset(struct arena *a);
void *arena_alloc(struct arena *a, size_t size, size_t align, size_t count);
/* The same, not zeroed: for arrays the caller fills before reading. */
void *arena_alloc_uninit(struct arena *a, size_t size, size_t align,
    size_t count);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_sprintf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Scratch work: remember a point, then free everything allocated since. */
struct arena_mark arena_mark(struct arena *a);
void arena_rewind(struct arena *a, struct arena_mark m);

#define NEW(a, type, n)                                                        \
	((type *)arena_alloc((a), sizeof(type), _Alignof(type), (n)))
#define NEW_UNINIT(a, type, n)                                                 \
	((type *)arena_alloc_uninit((a), sizeof(type), _Alignof(type), (n)))

/*
 * Files.
 */
/* Read a whole file (or stdin for "-") into b; DW_ENOTFOUND, DW_EIO or
 * DW_ETOOBIG with a message naming the path. */
int file_read(struct buf *b, const char *path, size_t max, struct buf *err);

/*
 * Rule files: the rule directory as a list of named files. They come from
 * a directory (--rules, $DEALWIRE_RULES, the installed share directory) or,
 * when none is found, from the copy built into the binary.
 */
struct rule_file {
	char *name; /* file name without directory, such as "deals.rules" */
	char *path; /* shown in messages: "rules/deals.rules" */
	char *data; /* NUL-terminated contents */
	size_t len;
};

struct rule_files {
	struct rule_file *v; /* sorted by name */
	size_t n;
	char *origin; /* the directory, or "(built-in)" */
};

/*
 * Load the rule files. dir: an explicit directory, or NULL to search
 * $DEALWIRE_RULES, then DW_SHAREDIR/rules, then the built-in copy.
 * Returns DW_OK, or DW_ENOTFOUND/DW_EIO with a message. Release with
 * rule_files_release().
 */
int rule_files_load(struct rule_files *out, const char *dir, struct buf *err);
void rule_files_release(struct rule_files *rf);
const struct rule_file *rule_files_get(const struct rule_files *rf,
    const char *name);

/*
 * Dates and times.
 */
/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);
int days_in_month(int y, int m);
/* Parse "YYYY-MM-DD" exactly; DW_OK or DW_EPARSE. */
int date_parse_ymd(const char *s, int *y, int *m, int *d);

#endif
