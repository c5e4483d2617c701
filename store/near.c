/*
 * near.c: finding near-duplicate texts in memory. The sketches of the
 * STORE_NEAR_DUP_WINDOW most recent articles (by id, that is by the order
 * they were stored) are read from article_sketches the first time an
 * article is stored, and kept in a ring with a hash table of their
 * bands; each article stored after that is added as it is stored. An
 * article then costs one row of a table that only grows at its end,
 * instead of STORE_MINHASH_BANDS index entries at random places (those
 * were most of the pages a crawl's commits wrote).
 *
 * The index only ever holds what the database holds: it is read within
 * the transaction that stores, catches up with rows other connections
 * added (a query for ids past the newest it has, once a batch or unit),
 * and is dropped, to be read again, when a batch is rolled back.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#define NEAR_FIRST 1024 /* slots allocated first; doubled up to the window */
#define NIL UINT32_MAX

struct near_slot {
	int64_t id;
	struct store_sketch k; /* with the text's length in words */
};

struct near_index {
	struct near_slot *slot; /* the ring: cap slots, n used */
	size_t cap, n, next;    /* next: the slot the next article takes */
	int64_t max_id;         /* the newest article held, 0 for none */
	/* Band entries: entry e is band e % BANDS of slot e / BANDS. */
	uint32_t *band;       /* the band's value */
	uint32_t *fwd, *back; /* chains of a bucket, NIL-ended */
	uint32_t *head;       /* nbuckets bucket heads */
	size_t nbuckets;      /* a power of two, at least 2 a band entry */
	uint32_t *seen;       /* a slot's last look-up, to give it once */
	uint32_t lookup;      /* look-ups so far */
	int synced;           /* caught up within the open unit or batch */
};

#define BANDS STORE_MINHASH_BANDS

static size_t
bucket(const struct near_index *x, uint32_t band)
{
	return (size_t)((band * 0x9e3779b1U) >> 7) & (x->nbuckets - 1);
}

static void
unlink_entry(struct near_index *x, uint32_t e)
{
	if (x->back[e] != NIL)
		x->fwd[x->back[e]] = x->fwd[e];
	else
		x->head[bucket(x, x->band[e])] = x->fwd[e];
	if (x->fwd[e] != NIL)
		x->back[x->fwd[e]] = x->back[e];
}

static void
link_entry(struct near_index *x, uint32_t e)
{
	size_t b = bucket(x, x->band[e]);

	x->back[e] = NIL;
	x->fwd[e] = x->head[b];
	if (x->head[b] != NIL)
		x->back[x->head[b]] = e;
	x->head[b] = e;
}

/* Room for cap slots; the entries of the n slots held are linked again. */
static void
near_grow(struct near_index *x, size_t cap)
{
	size_t nb = 1;

	while (nb < 2 * BANDS * cap)
		nb <<= 1;
	x->slot = xreallocarray(x->slot, cap, sizeof(*x->slot));
	x->band = xreallocarray(x->band, cap * BANDS, sizeof(*x->band));
	x->fwd = xreallocarray(x->fwd, cap * BANDS, sizeof(*x->fwd));
	x->back = xreallocarray(x->back, cap * BANDS, sizeof(*x->back));
	x->seen = xreallocarray(x->seen, cap, sizeof(*x->seen));
	memset(x->seen, 0, cap * sizeof(*x->seen));
	x->lookup = 0;
	free(x->head);
	x->head = xreallocarray(NULL, nb, sizeof(*x->head));
	memset(x->head, 0xff, nb * sizeof(*x->head));
	x->nbuckets = nb;
	x->cap = cap;
	/* The ring was full (next had come round to 0): the next article
	 * takes the first new slot, not the oldest held, whose band entries
	 * are linked (taking it again linked them twice: a cycle). */
	x->next = x->n;
	/* Oldest first, so that chains keep the newest in front. */
	for (size_t i = 0; i < x->n * BANDS; i++)
		link_entry(x, (uint32_t)i);
}

static void
near_put(struct near_index *x, int64_t id, const struct store_sketch *k)
{
	struct near_slot *sl;
	size_t i;

	if (x->n == x->cap && x->cap < STORE_NEAR_DUP_WINDOW) {
		/* Not wrapped yet (the ring only wraps once full size), so
		 * slots keep their places. */
		near_grow(x,
		    MIN(x->cap ? 2 * x->cap : (size_t)NEAR_FIRST,
		        (size_t)STORE_NEAR_DUP_WINDOW));
	}
	i = x->next;
	if (x->n == x->cap) {
		for (int b = 0; b < BANDS; b++)
			unlink_entry(x, (uint32_t)(i * BANDS + (size_t)b));
	} else {
		x->n++;
	}
	sl = &x->slot[i];
	sl->id = id;
	sl->k = *k;
	for (int b = 0; b < BANDS; b++) {
		uint32_t e = (uint32_t)(i * BANDS + (size_t)b);

		x->band[e] = (uint32_t)store_sketch_band(k, b);
		link_entry(x, e);
	}
	x->next = (i + 1) % x->cap;
	if (id > x->max_id)
		x->max_id = id;
}

void
store__near_free(struct store *s)
{
	struct near_index *x = s->near;

	if (!x)
		return;
	free(x->slot);
	free(x->band);
	free(x->fwd);
	free(x->back);
	free(x->head);
	free(x->seen);
	free(x);
	s->near = NULL;
}

void
store__near_stale(struct store *s)
{
	if (s->near)
		s->near->synced = 0;
}

static void
sketch_decode(struct store_sketch *k, const unsigned char *p, size_t n)
{
	for (int i = 0; i < STORE_MINHASH; i++)
		k->h[i] = n >= 4 * (size_t)(i + 1)
		    ? (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		        (uint32_t)p[4 * i + 2] << 16 |
		        (uint32_t)p[4 * i + 3] << 24
		    : 0;
}

/*
 * Read the sketches past the newest held: all of the window the first
 * time, then what other connections stored since. The rows come newest
 * first (at most a window's worth) and go into the ring oldest first.
 */
static int
near_sync(struct store *s, struct buf *err)
{
	static const char sql[] =
	    "SELECT article_id, words, sketch FROM article_sketches"
	    " WHERE article_id > ?1 ORDER BY article_id DESC LIMIT ?2";
	struct near_index *x = s->near;
	struct near_slot *v = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	if (!x)
		x = s->near = xcalloc(1, sizeof(*x));
	if (x->synced)
		return DW_OK;
	st = store__stmt(s, sql, err);
	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, x->max_id);
	sqlite3_bind_int64(st, 2, STORE_NEAR_DUP_WINDOW);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].id = sqlite3_column_int64(st, 0);
		sketch_decode(&v[n].k, sqlite3_column_blob(st, 2),
		    (size_t)sqlite3_column_bytes(st, 2));
		v[n].k.words = (size_t)sqlite3_column_int64(st, 1);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return store__fail(s, err, "cannot look for copies");
	}
	for (size_t i = n; i-- > 0;)
		near_put(x, v[i].id, &v[i].k);
	free(v);
	x->synced = 1;
	return DW_OK;
}

/*
 * The article just stored. Not read yet: it will be with the rest. Not
 * caught up yet: catching up reads it too.
 */
void
store__near_add(struct store *s, int64_t id, const struct store_sketch *k)
{
	struct buf err = BUF_INIT;

	if (s->near && s->near->synced)
		near_put(s->near, id, k);
	else if (s->near && near_sync(s, &err) != DW_OK)
		store__near_free(s); /* read again when next needed */
	buf_release(&err);
}

int
store__near_each(struct store *s, const struct store_sketch *k,
    int (*fn)(int64_t id, const struct store_sketch *o, void *arg), void *arg,
    struct buf *err)
{
	struct near_index *x;
	int rc = near_sync(s, err);

	if (rc != DW_OK)
		return rc;
	x = s->near;
	if (x->n == 0)
		return DW_OK;
	if (++x->lookup == 0) {
		memset(x->seen, 0, x->cap * sizeof(*x->seen));
		x->lookup = 1;
	}
	for (int b = 0; b < BANDS; b++) {
		uint32_t band = (uint32_t)store_sketch_band(k, b);

		for (uint32_t e = x->head[bucket(x, band)]; e != NIL;
		     e = x->fwd[e]) {
			size_t i = e / BANDS;

			/* An article sharing several bands comes once. */
			if (x->band[e] != band || x->seen[i] == x->lookup)
				continue;
			x->seen[i] = x->lookup;
			if (fn(x->slot[i].id, &x->slot[i].k, arg))
				return DW_OK;
		}
	}
	return DW_OK;
}
