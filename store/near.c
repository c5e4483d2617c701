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
#define NEAR_BATCH 32   /* candidates fetched at once */

/*
 * A slot, its first cache line what a look-up reads of every candidate:
 * the text's length and a signature of the sketch, the low four bits of
 * each value (two sketches agree at least wherever their values do, so
 * a candidate whose signature agrees too little is passed over without
 * reading its sketch, five cache lines further on).
 */
struct near_slot {
	_Alignas(64) int64_t id;
	uint32_t seen;  /* the last look-up that gave it, to give it once */
	uint32_t words; /* k.words, at most UINT32_MAX */
	uint8_t sig[STORE_MINHASH / 2];     /* values 2i, 2i + 1: low nibbles */
	uint32_t band[STORE_MINHASH_BANDS]; /* store_sketch_band of k */
	struct store_sketch k; /* with the text's length in words */
};

/*
 * A band entry of the table: the band's value and the slot holding it,
 * plus one (0: an empty place). Open addressing with linear probing: a
 * look-up reads one place (and the few after it in the same cache line)
 * instead of following a chain through three arrays, which cost a crawl
 * a cache miss a link.
 */
struct near_ent {
	uint32_t band;
	uint32_t slot1;
};

struct near_index {
	struct near_slot *slot; /* the ring: cap slots, n used */
	void *slot_mem;         /* slot, before it was aligned */
	size_t cap, n, next;    /* next: the slot the next article takes */
	int64_t max_id;         /* the newest article held, 0 for none */
	struct near_ent *tab;   /* 2^bits places, at most half used */
	unsigned bits;
	uint32_t lookup; /* look-ups so far */
	int synced;      /* caught up within the open unit or batch */
	/* The bands and signature of the sketch last looked up, which the
	 * article stored next most often is: not computed twice. */
	struct store_sketch last;
	uint32_t last_band[STORE_MINHASH_BANDS];
	uint8_t last_sig[STORE_MINHASH / 2];
	int has_last;
};

#define BANDS STORE_MINHASH_BANDS

/* The signature of k (struct near_slot). */
static void
signature(uint8_t sig[STORE_MINHASH / 2], const struct store_sketch *k)
{
	for (int v = 0; v < STORE_MINHASH / 2; v++) {
		/* Both values in one load: u's nibbles at 0 and 32 are the
		 * low ones of values 2v and 2v + 1 (the other way round on
		 * a big-endian machine, the same for every sketch: the
		 * signature never leaves memory). */
		uint64_t u;

		memcpy(&u, &k->h[2 * v], sizeof(u));
		sig[v] = (uint8_t)((u & 0xf) | (u >> 28 & 0xf0));
	}
}

/* k's bands (store_sketch_band) and signature, the last look-up's when
 * k is the sketch it looked up. */
static void
keys_of(const struct near_index *x, const struct store_sketch *k,
    uint32_t band[BANDS], uint8_t sig[STORE_MINHASH / 2])
{
	if (x->has_last && memcmp(k->h, x->last.h, sizeof(k->h)) == 0) {
		memcpy(band, x->last_band, sizeof(x->last_band));
		memcpy(sig, x->last_sig, sizeof(x->last_sig));
		return;
	}
	for (int b = 0; b < BANDS; b++)
		band[b] = (uint32_t)store_sketch_band(k, b);
	signature(sig, k);
}

static size_t
place(const struct near_index *x, uint32_t band)
{
	return (
	    size_t)(((uint64_t)band * 0x9e3779b97f4a7c15ULL) >> (64 - x->bits));
}

static void
ent_add(struct near_index *x, uint32_t band, size_t slot)
{
	size_t mask = ((size_t)1 << x->bits) - 1, i = place(x, band);

	while (x->tab[i].slot1)
		i = (i + 1) & mask;
	x->tab[i].band = band;
	x->tab[i].slot1 = (uint32_t)slot + 1;
}

/* Remove slot's entry of band, moving back the entries after it that
 * would no longer be found (linear probing's deletion). */
static void
ent_del(struct near_index *x, uint32_t band, size_t slot)
{
	size_t mask = ((size_t)1 << x->bits) - 1, i = place(x, band), j;

	while (x->tab[i].slot1 &&
	    (x->tab[i].band != band || x->tab[i].slot1 != slot + 1))
		i = (i + 1) & mask;
	if (!x->tab[i].slot1)
		return;
	for (j = (i + 1) & mask; x->tab[j].slot1; j = (j + 1) & mask) {
		size_t home = place(x, x->tab[j].band);

		/* Entry j may fill hole i when its home is not in (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			x->tab[i] = x->tab[j];
			i = j;
		}
	}
	x->tab[i].slot1 = 0;
}

/* Room for cap slots, 64-byte aligned as their first lines must be, the
 * n held copied. */
static void
slots_grow(struct near_index *x, size_t cap)
{
	size_t align = _Alignof(struct near_slot);
	char *mem = xmalloc(cap * sizeof(*x->slot) + align - 1);
	struct near_slot *v = (struct near_slot *)(mem +
	    (align - (uintptr_t)mem % align) % align);

	if (x->n)
		memcpy(v, x->slot, x->n * sizeof(*v));
	free(x->slot_mem);
	x->slot_mem = mem;
	x->slot = v;
}

/* Room for cap slots; the entries of the n slots held are added again. */
static void
near_grow(struct near_index *x, size_t cap)
{
	unsigned bits = 4;

	while (((size_t)1 << bits) < 2 * BANDS * cap)
		bits++;
	slots_grow(x, cap);
	free(x->tab);
	x->tab = xcalloc((size_t)1 << bits, sizeof(*x->tab));
	x->bits = bits;
	x->cap = cap;
	/* The ring was full (next had come round to 0): the next article
	 * takes the first new slot, not the oldest held. */
	x->next = x->n;
	for (size_t i = 0; i < x->n; i++)
		for (int b = 0; b < BANDS; b++)
			ent_add(x, x->slot[i].band[b], i);
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
	sl = &x->slot[i];
	if (x->n == x->cap) {
		for (int b = 0; b < BANDS; b++)
			ent_del(x, sl->band[b], i);
	} else {
		x->n++;
	}
	sl->id = id;
	sl->seen = 0;
	sl->words = (uint32_t)MIN(k->words, (size_t)UINT32_MAX);
	sl->k = *k;
	keys_of(x, k, sl->band, sl->sig);
	for (int b = 0; b < BANDS; b++)
		__builtin_prefetch(&x->tab[place(x, sl->band[b])], 1);
	for (int b = 0; b < BANDS; b++)
		ent_add(x, sl->band[b], i);
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
	free(x->slot_mem);
	free(x->tab);
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
	/* The sketches waiting to be written are read with the rest. */
	rc = store__pend_flush(s, err);
	if (rc != DW_OK)
		return rc;
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

/* Values two sketches agree in at most: their signatures' equal nibbles. */
static int
sig_same(const uint8_t *a, const uint8_t *b)
{
	int same = 0;

	for (size_t i = 0; i < STORE_MINHASH / 2; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		x ^= y;
		x = (x | x >> 1 | x >> 2 | x >> 3) & 0x1111111111111111ULL;
		/* Its bits counted (no popcount instruction in x86-64's
		 * baseline: a call): bytes of 0 to 2, summed. */
		x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
		same += 16 - (int)((x * 0x0101010101010101ULL) >> 56);
	}
	return same;
}

struct near_look {
	uint8_t sig[STORE_MINHASH / 2]; /* the sketch looked up's */
	size_t min_words;
	double min_similarity;
	int (*fn)(int64_t id, const struct store_sketch *o, void *arg);
	void *arg;
};

/* Give the candidates to fn, each once a look-up, unless they cannot
 * pass the look-up's bounds: nonzero when fn said to stop. */
static int
give(struct near_index *x, const size_t *cand, size_t n,
    const struct near_look *l)
{
	for (size_t c = 0; c < n; c++) {
		struct near_slot *sl = &x->slot[cand[c]];

		/* An article sharing several bands comes once. */
		if (sl->seen == x->lookup)
			continue;
		sl->seen = x->lookup;
		if (sl->words < l->min_words ||
		    (l->min_similarity > 0 &&
		        (double)sig_same(sl->sig, l->sig) / STORE_MINHASH <
		            l->min_similarity))
			continue;
		if (l->fn(sl->id, &sl->k, l->arg))
			return 1;
	}
	return 0;
}

int
store__near_each(struct store *s, const struct store_sketch *k,
    size_t min_words, double min_similarity,
    int (*fn)(int64_t id, const struct store_sketch *o, void *arg), void *arg,
    struct buf *err)
{
	struct near_look l = { { 0 }, min_words, min_similarity, fn, arg };
	struct near_index *x;
	uint32_t band[BANDS];
	size_t mask, at[BANDS], cand[NEAR_BATCH], nc = 0;
	int rc = near_sync(s, err);

	if (rc != DW_OK)
		return rc;
	x = s->near;
	if (x->n == 0)
		return DW_OK;
	if (++x->lookup == 0) {
		for (size_t i = 0; i < x->n; i++)
			x->slot[i].seen = 0;
		x->lookup = 1;
	}
	mask = ((size_t)1 << x->bits) - 1;
	/* Each place, and then each candidate's slot, is a cache miss of
	 * its own: they are all asked for at once (waiting for them one
	 * after the other was most of what a look-up cost), a band's places
	 * first, then the first lines of up to NEAR_BATCH candidates' slots. */
	keys_of(x, k, band, l.sig);
	memcpy(x->last.h, k->h, sizeof(k->h));
	memcpy(x->last_band, band, sizeof(band));
	memcpy(x->last_sig, l.sig, sizeof(l.sig));
	x->has_last = 1;
	for (int b = 0; b < BANDS; b++) {
		at[b] = place(x, band[b]);
		__builtin_prefetch(&x->tab[at[b]]);
	}
	for (int b = 0; b < BANDS; b++) {
		for (size_t e = at[b]; x->tab[e].slot1; e = (e + 1) & mask) {
			if (x->tab[e].band != band[b])
				continue;
			if (nc == NEAR_BATCH) {
				if (give(x, cand, nc, &l))
					return DW_OK;
				nc = 0;
			}
			cand[nc] = x->tab[e].slot1 - 1;
			__builtin_prefetch(&x->slot[cand[nc]]);
			nc++;
		}
	}
	give(x, cand, nc, &l);
	return DW_OK;
}
