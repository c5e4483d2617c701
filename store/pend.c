/*
 * pend.c: rows written later, many a statement. An article's sketch
 * (article_sketches) and a deal's names (deal_names) are read by nothing
 * a crawl runs while it stores (near.c keeps the sketches in memory, the
 * names serve `--party`), so they wait in memory until the transaction
 * commits, or until something is about to read or delete them, and then
 * go in statements of up to PEND_ROWS rows each: a statement of its own
 * for every row cost a crawl's writer about a tenth of what storing an
 * article took (the rows themselves cost the same either way).
 *
 * Pending rows only ever belong to the open transaction: a rollback
 * drops them, a rollback to a unit's savepoint (or undo_own) those queued
 * since it began (store__pend_mark, store__pend_rewind), and a flush with
 * no transaction open (SQLite rolled it back by itself) drops them all.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

struct pend_sketch {
	int64_t article_id;
	int64_t words;
	unsigned char sketch[4 * STORE_MINHASH];
};

struct pend_name {
	int64_t nh;
	int64_t deal_id;
};

struct pend {
	struct pend_sketch *sk;
	size_t nsk, capsk;
	struct pend_name *nm;
	size_t nnm, capnm;
	uint64_t gen; /* flushes so far: marks older than one are void */
};

/* Rows a statement at most (a power of two: a remainder goes in
 * statements of half as many, and so on down to one). */
#define PEND_ROWS 64
/* Rows queued before they are written anyway, to bound the memory. */
#define PEND_MAX 4096

/* clang-format off */
#define SK1 "(?,?,?)"
#define SK2 SK1 "," SK1
#define SK4 SK2 "," SK2
#define SK8 SK4 "," SK4
#define SK16 SK8 "," SK8
#define SK32 SK16 "," SK16
#define SK64 SK32 "," SK32
#define NM1 "(?,?)"
#define NM2 NM1 "," NM1
#define NM4 NM2 "," NM2
#define NM8 NM4 "," NM4
#define NM16 NM8 "," NM8
#define NM32 NM16 "," NM16
#define NM64 NM32 "," NM32
#define INS_SK "INSERT OR REPLACE INTO article_sketches(article_id, words," \
               " sketch) VALUES "
#define INS_NM "INSERT OR IGNORE INTO deal_names(nh, deal_id) VALUES "
/* clang-format on */

/* Index k: a statement of 2^k rows. */
static const char *const q_sk[] = {
	INS_SK SK1,
	INS_SK SK2,
	INS_SK SK4,
	INS_SK SK8,
	INS_SK SK16,
	INS_SK SK32,
	INS_SK SK64,
};
static const char *const q_nm[] = {
	INS_NM NM1,
	INS_NM NM2,
	INS_NM NM4,
	INS_NM NM8,
	INS_NM NM16,
	INS_NM NM32,
	INS_NM NM64,
};

_Static_assert(countof(q_sk) == countof(q_nm), "one size a statement");
_Static_assert(PEND_ROWS == 1 << (countof(q_sk) - 1), "the largest");

static struct pend *
pend_of(struct store *s)
{
	if (!s->pend)
		s->pend = xcalloc(1, sizeof(*s->pend));
	return s->pend;
}

void
store__sketch_encode(unsigned char out[4 * STORE_MINHASH],
    const struct store_sketch *k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* The values as they lie in memory (a loop of shifts cost 400
	 * instructions an article). */
	memcpy(out, k->h, 4 * STORE_MINHASH);
#else
	for (int i = 0; i < STORE_MINHASH; i++) {
		out[4 * i] = (unsigned char)(k->h[i] & 0xff);
		out[4 * i + 1] = (unsigned char)((k->h[i] >> 8) & 0xff);
		out[4 * i + 2] = (unsigned char)((k->h[i] >> 16) & 0xff);
		out[4 * i + 3] = (unsigned char)(k->h[i] >> 24);
	}
#endif
}

int
store__pend_sketch(struct store *s, int64_t article_id,
    const struct store_sketch *k, struct buf *err)
{
	struct pend *p = pend_of(s);
	struct pend_sketch *r;

	if (p->nsk == p->capsk) {
		p->capsk = p->capsk ? 2 * p->capsk : 64;
		p->sk = xreallocarray(p->sk, p->capsk, sizeof(*p->sk));
	}
	r = &p->sk[p->nsk++];
	r->article_id = article_id;
	r->words = (int64_t)k->words;
	store__sketch_encode(r->sketch, k);
	return p->nsk + p->nnm >= PEND_MAX ? store__pend_flush(s, err) : DW_OK;
}

int
store__pend_name(struct store *s, int64_t nh, int64_t deal_id, struct buf *err)
{
	struct pend *p = pend_of(s);

	if (p->nnm == p->capnm) {
		p->capnm = p->capnm ? 2 * p->capnm : 128;
		p->nm = xreallocarray(p->nm, p->capnm, sizeof(*p->nm));
	}
	p->nm[p->nnm].nh = nh;
	p->nm[p->nnm].deal_id = deal_id;
	p->nnm++;
	return p->nsk + p->nnm >= PEND_MAX ? store__pend_flush(s, err) : DW_OK;
}

/* Rows *i on, 2^k of them, in one statement. */
static int
flush_sketches(struct store *s, size_t *i, int k, struct buf *err)
{
	struct pend *p = s->pend;
	sqlite3_stmt *st = store__stmt(s, q_sk[k], err);
	size_t n = (size_t)1 << k;

	if (!st)
		return DW_EIO;
	for (size_t j = 0; j < n; j++) {
		const struct pend_sketch *r = &p->sk[*i + j];
		int b = 3 * (int)j;

		sqlite3_bind_int64(st, b + 1, r->article_id);
		sqlite3_bind_int64(st, b + 2, r->words);
		sqlite3_bind_blob(st, b + 3, r->sketch, sizeof(r->sketch),
		    SQLITE_STATIC);
	}
	*i += n;
	return store__step_done(s, st, err, "cannot store article");
}

static int
flush_names(struct store *s, size_t *i, int k, struct buf *err)
{
	struct pend *p = s->pend;
	sqlite3_stmt *st = store__stmt(s, q_nm[k], err);
	size_t n = (size_t)1 << k;

	if (!st)
		return DW_EIO;
	for (size_t j = 0; j < n; j++) {
		const struct pend_name *r = &p->nm[*i + j];

		sqlite3_bind_int64(st, 2 * (int)j + 1, r->nh);
		sqlite3_bind_int64(st, 2 * (int)j + 2, r->deal_id);
	}
	*i += n;
	return store__step_done(s, st, err, "cannot store deal parties");
}

/* All n rows, in statements of the most rows that the rest fills. */
static int
flush_rows(struct store *s, size_t n,
    int (*fn)(struct store *s, size_t *i, int k, struct buf *err),
    struct buf *err)
{
	int k = (int)countof(q_sk) - 1, rc = DW_OK;

	for (size_t i = 0; i < n && rc == DW_OK;) {
		while (((size_t)1 << k) > n - i)
			k--;
		rc = fn(s, &i, k, err);
	}
	return rc;
}

int
store__pend_flush(struct store *s, struct buf *err)
{
	struct pend *p = s->pend;
	int rc;

	if (!p || (p->nsk == 0 && p->nnm == 0))
		return DW_OK;
	/* No transaction: the one they belonged to is gone. */
	if (sqlite3_get_autocommit(s->db)) {
		store__pend_drop(s);
		return DW_OK;
	}
	rc = flush_rows(s, p->nsk, flush_sketches, err);
	if (rc == DW_OK)
		rc = flush_rows(s, p->nnm, flush_names, err);
	/* Written, or failed (the caller rolls back): gone either way. */
	p->nsk = p->nnm = 0;
	p->gen++;
	return rc;
}

struct pend_mark
store__pend_mark(struct store *s)
{
	struct pend *p = pend_of(s);
	struct pend_mark m = { p->gen, p->nsk, p->nnm };

	return m;
}

void
store__pend_rewind(struct store *s, struct pend_mark m)
{
	struct pend *p = s->pend;

	if (!p)
		return;
	/* Flushed since: all that waits now came after the mark (the rows
	 * written go with the savepoint, or undo_own deletes them). */
	if (m.gen != p->gen) {
		m.nsk = 0;
		m.nnm = 0;
	}
	p->nsk = MIN(p->nsk, m.nsk);
	p->nnm = MIN(p->nnm, m.nnm);
}

void
store__pend_drop(struct store *s)
{
	struct pend *p = s->pend;

	if (!p)
		return;
	if (p->nsk || p->nnm)
		p->gen++;
	p->nsk = p->nnm = 0;
}

void
store__pend_free(struct store *s)
{
	struct pend *p = s->pend;

	if (!p)
		return;
	free(p->sk);
	free(p->nm);
	free(p);
	s->pend = NULL;
}
