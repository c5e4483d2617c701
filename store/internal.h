/*
 * internal.h: what the files of store/ share: the handle, statement
 * helpers, the in-memory mention used by merging, and the canonical forms
 * (URLs, names, SimHash) that dedup and merging compare.
 */
#ifndef DW_STORE_INTERNAL_H
#define DW_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

/* The schema version this dealwire writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 7

struct store {
	sqlite3 *db;
	char *path;
	int in_tx; /* inside one unit of work (store__begin ... commit) */
	int batch; /* store_batch_begin opened a transaction (or is in a
	              group's): units are savepoints inside it */
	int group; /* store_group_begin opened a transaction that batches
	              share */
	struct near_index *near;  /* near.c; NULL until first needed */
	struct group_set *groups; /* groups.c; NULL until first needed */
	int64_t deal_seq;     /* the highest deal id given (store__deal_id) */
	int deal_seq_state;   /* DEAL_SEQ_*, for the open transaction */
	struct arena scratch; /* for one call: arena_mark, arena_rewind */
	struct put_work *put; /* article.c: store_article_put's buffers */
	struct pend *pend;    /* pend.c: rows not written yet */
	struct pend_mark {
		uint64_t gen;
		size_t nsk, nnm;
	} unit_mark; /* pend.c's rows when the unit's savepoint began */
};

/*
 * Statements: prepared on demand, cached by the SQL text's address in a
 * small table, so that callers write SQL where they use it and pay for
 * preparing it once.
 */
sqlite3_stmt *store__stmt(struct store *s, const char *sql, struct buf *err);
void store__stmt_cache_free(struct store *s);
/*
 * Binding without clearing: a statement whose parameters (1 to 63) are
 * all bound through a struct binds, from store__stmt_binds to
 * store__binds_end before it runs, keeps its values between runs
 * instead of having them cleared (clearing two statements of 27
 * parameters cost a crawl 700 instructions an article);
 * store__binds_end binds NULL to what was bound the last time but not
 * this time. A value of NULL (a NULL string) binds nothing: NULL. The
 * texts are bound without a copy, as store__bind_static.
 */
struct binds {
	sqlite3_stmt *st;
	uint64_t *last; /* bound (non-NULL) the last time */
	uint64_t now;   /* bound this time */
};
sqlite3_stmt *store__stmt_binds(struct store *s, const char *sql,
    struct binds *b, struct buf *err);
void store__binds_end(struct binds *b);
void store__b_text(struct binds *b, int i, const char *v, size_t n);
void store__b_cstr(struct binds *b, int i, const char *v);
void store__b_blob(struct binds *b, int i, const void *v, size_t n);
void store__b_int64(struct binds *b, int i, int64_t v);
void store__b_double(struct binds *b, int i, double v);
/* An amount's value, low, high, currency and qualifier from i. */
void store__b_figures(struct binds *b, int i, const struct amount *m);
/* Report the database's current error as "PREFIX: sqlite message". */
int store__fail(struct store *s, struct buf *err, const char *what);
int store__exec(struct store *s, const char *sql, struct buf *err);
/* Run a statement that returns nothing and reset it; "WHAT (database
 * ...): message" on failure. */
int store__step_done(struct store *s, sqlite3_stmt *st, struct buf *err,
    const char *what);
/*
 * One unit of work, all or nothing: its own BEGIN IMMEDIATE ... COMMIT,
 * or, inside a batch, a SAVEPOINT that commit releases and rollback
 * undoes alone (the batch goes on).
 */
int store__begin(struct store *s, struct buf *err);
/* DW_EIO (with a message) when SQLite rolled back the open batch or
 * group after an error: nothing may be written in it any more. */
int store__lost(struct store *s, struct buf *err);
int store__commit(struct store *s, struct buf *err);
void store__rollback(struct store *s);
/* Bind helpers: NULL strings and absent numbers bind SQL NULL. */
void store__bind_text(sqlite3_stmt *st, int i, const char *v);
void store__bind_textn(sqlite3_stmt *st, int i, const char *v, size_t n);
/* Bound without a copy: v must outlive the statement's next step (a
 * crawl binds a dozen strings an article; copying them cost mallocs). */
void store__bind_static(sqlite3_stmt *st, int i, const char *v, size_t n);
void store__bind_cstr(sqlite3_stmt *st, int i, const char *v);
/* Copy a column into a (NULL stays NULL). */
char *store__col_text(sqlite3_stmt *st, int i, struct arena *a);

/*
 * An amount in five columns from i: value, low, high, currency,
 * qualifier (then its text at i + 5). NULL value: none.
 */
void store__col_amount(sqlite3_stmt *st, int i, int *has, struct amount *m);

/* The name of the VFS that gathers WAL writes (vfs.c), or NULL for
 * SQLite's default when it could not be registered. */
const char *store__vfs(void);
/* SQLite's allocator, per-thread lists of freed blocks by size (mem.c);
 * called once, before SQLite is first used (vfs.c). */
void store__mem_register(void);

/*
 * Rows kept back (pend.c): an article's sketch and a deal's names are
 * queued and written many a statement when the transaction commits
 * (tx_commit), or before anything reads or deletes such rows
 * (store__pend_flush: near_sync, write_names, the `--party` listing).
 * A rollback drops them (store__pend_drop), a rollback to a unit's
 * savepoint or undo_own those queued since a mark (store__pend_rewind).
 * DW_EIO when a flush (including one that a full queue makes) fails.
 */
int store__pend_sketch(struct store *s, int64_t article_id,
    const struct store_sketch *k, struct buf *err);
int store__pend_name(struct store *s, int64_t nh, int64_t deal_id,
    struct buf *err);
int store__pend_flush(struct store *s, struct buf *err);
struct pend_mark store__pend_mark(struct store *s);
void store__pend_rewind(struct store *s, struct pend_mark m);
void store__pend_drop(struct store *s);
void store__pend_free(struct store *s);
/* A sketch as article_sketches keeps it: 32-bit values, little endian. */
void store__sketch_encode(unsigned char out[4 * STORE_MINHASH],
    const struct store_sketch *k);

/* Free store_article_put's buffers (store_close). */
void store__put_free(struct store *s);

/* The migrations, oldest first; run by store_open in one transaction. */
int store__migrate(struct store *s, struct buf *err);
/* Recompute every article's sketch from its text. */
int store__resketch(struct store *s, struct buf *err);

/*
 * Near-duplicate candidates (near.c): the articles of the window whose
 * sketch shares a band with k, each once, in no order, but for those of
 * fewer than min_words words or whose sketch surely agrees with k in
 * less than min_similarity (store_sketch_similarity; 0 and 0: all of
 * them); fn returns nonzero to stop. Call inside the unit of work that stores (the index catches up
 * with the database first). store__near_add the article once its unit
 * is committed; store__near_stale when a new transaction starts (others
 * may have stored since); store__near_free when a batch is rolled back.
 */
struct near_index;
int store__near_each(struct store *s, const struct store_sketch *k,
    size_t min_words, double min_similarity,
    int (*fn)(int64_t id, const struct store_sketch *o, void *arg), void *arg,
    struct buf *err);
void store__near_add(struct store *s, int64_t id, const struct store_sketch *k);
void store__near_stale(struct store *s);
void store__near_free(struct store *s);

/*
 * Group numbers stored (groups.c): *out 0 when no mention or deal of the
 * group numbered gh is stored, 1 when one may be (look it up). Call
 * inside the unit of work; store__group_add each gh written;
 * store__group_stale when a new transaction starts.
 */
struct group_set;
int store__group_maybe(struct store *s, int64_t gh, int *out, struct buf *err);
void store__group_add(struct store *s, int64_t gh);
void store__group_stale(struct store *s);
void store__group_free(struct store *s);

/*
 * Mention ids: an article's mentions are numbered from its id times
 * STORE_MENTION_SPAN, by their position in its deal list (seq), so that
 * its mentions are found by their ids (no index by article). An article
 * stores its first STORE_MENTION_SPAN deals at most.
 */
#define STORE_MENTION_SPAN ((int64_t)1 << 20)
static inline int64_t
store__mention_id(int64_t article_id, int64_t seq)
{
	return article_id * STORE_MENTION_SPAN + seq;
}

/*
 * Deal ids (merge.c): store__deal_id gives the next, past every id ever
 * given (counters "deals"), read once a transaction; store__deal_seq_save
 * writes the mark back before the transaction commits (a no-op when no
 * deal was made); store__deal_seq_stale when a transaction starts or
 * ends. A unit rolled back inside a batch leaves its ids unused.
 */
enum { DEAL_SEQ_UNKNOWN, DEAL_SEQ_READ, DEAL_SEQ_CHANGED };
int store__deal_id(struct store *s, int64_t *out, struct buf *err);
int store__deal_seq_save(struct store *s, struct buf *err);
void store__deal_seq_stale(struct store *s);

/*
 * A stored mention, as merging sees it. Strings live in the caller's arena.
 */
struct mention {
	int64_t id;
	int64_t article_id;
	int64_t deal_id;       /* current deal, or 0 */
	int64_t pin;           /* deal chosen by `deal merge`, or 0 */
	int seq;               /* position in the article's deal list */
	const char *gkey;      /* group key: type and folded parties by role */
	int64_t gh;            /* store__gkey_hash(gkey), or 0: not made */
	const char *parties;   /* encoded parties, see store__parties_encode */
	const char *published; /* the article's, or NULL */
	const char *canon_url; /* the article's canonical URL, or NULL */
	int type;
	int status;       /* ST_* */
	const char *date; /* deal date or NULL */
	const char *date_text;
	int64_t eff_lo, eff_hi; /* effective date as days; eff_known */
	int eff_known;
	int has_amount;
	struct amount amount;
	const char *amount_text;
	int has_stake;
	double stake;
	const char *stake_text;
	int has_valuation;
	struct amount valuation;
	const char *valuation_text;
};

/* v in decimal, appended to b (buf_addf costs a crawl a few percent). */
void store__add_int(struct buf *b, int64_t v);
/* v in decimal at d, which has room for STORE_INT_MAX bytes; its length
 * (no NUL). */
#define STORE_INT_MAX 20
size_t store__put_int(char *d, int64_t v);
/* Parties "role:len:name;" (unambiguous whatever the names hold). */
void store__parties_encode(struct buf *b, const struct deal *d);
/* Decode into d->parties (names in a); DW_EPARSE when malformed. */
int store__parties_decode(struct deal *d, const char *enc, struct arena *a);
/* Group key of a deal: type, then "role:len:folded-name;" sorted. */
/* The number a group key is indexed by (mentions.gh, deals.gh): a look-up
 * by group is "gh = HASH AND gkey = KEY". */
int64_t store__gkey_hash(const char *gkey);
/* The folded names of a group key, one a call: p is the key first, then
 * what the last call returned; NULL after the last name. */
const char *store__gkey_next(const char *p, const char **key, size_t *n);
void store__group_key(struct buf *b, const struct deal *d);
/* The same, the folded names made in names (reset first), which the
 * caller keeps from one deal to the next. */
void store__group_key_in(struct buf *b, const struct deal *d,
    struct buf *names);
/* The number a folded party name (store__gkey_next's key, n bytes) is
 * indexed by in deal_names: 32 bits, so a look-up by it checks the
 * deal's group key too. */
int64_t store__name_hash(const char *key, size_t n);
/* Case-folded, suffix-free form of a party name for comparison. */
void store__name_key(struct buf *b, const char *name);

/* Date "YYYY[-MM[-DD]]" as the first and last day it covers. */
int store__date_range(const char *s, int64_t *lo, int64_t *hi);

/* 1 when the two mentions may describe the same deal. */
int store__compatible(const struct mention *a, const struct mention *b);

/* What one transaction's merging touched. */
struct merge_ctx {
	int64_t *touched; /* deal ids to refresh at the end; malloc'd */
	size_t ntouched, cap;
	int created; /* deals created */
};

/*
 * Recluster the mentions of one group and point them at their deals;
 * records the deals involved in ctx. store__merge_finish then refreshes
 * (or removes, when no mention is left) every deal touched and frees ctx.
 */
int store__recluster(struct store *s, const char *gkey, struct merge_ctx *ctx,
    struct buf *err);
int store__merge_finish(struct store *s, struct merge_ctx *ctx,
    struct buf *err);
/* Insert the deal one new mention makes on its own (the fast path of a
 * group seen for the first time); *id receives its id. */
int store__deal_create(struct store *s, const struct mention *m, int64_t *id,
    struct buf *err);
/* Set m's effective date range from its date or its article's. */
void store__mention_dates(struct mention *m);
/* Clear a deal's parties and history and delete its names (what ON
 * DELETE CASCADE did when foreign keys were enforced), before the deal
 * itself goes or when it is merged into another. */
int store__deal_drop_rows(struct store *s, int64_t id, struct buf *err);
/* Recompute one deal's figures, status and history from its mentions. */
int store__deal_refresh(struct store *s, int64_t id, struct buf *err);

/* Current time as "YYYY-MM-DDTHH:MM:SSZ" for `updated` (never history). */
void store__now(char out[21]);

/*
 * Stored deals as the readers (export, show, circles) see them. Strings
 * live in the caller's arena.
 */
struct xdeal {
	int64_t id;
	int type, status;
	struct party parties[DEAL_MAX_PARTIES];
	size_t nparties;
	int has_amount;
	struct amount amount;
	const char *amount_text;
	int has_stake;
	double stake;
	const char *stake_text;
	int has_valuation;
	struct amount valuation;
	const char *valuation_text;
	const char *date, *date_text;
	int64_t sources; /* articles, syndicated copies included */
	const char *first_published;
	int rejected;
	int64_t merged_into;
};

#define XSOURCE_MAX_EVIDENCE 16

/* One article (or syndicated copy) mentioning a deal. */
struct xsource {
	int64_t article_id;
	int64_t original_id; /* the article holding the mention */
	const char *url, *title, *published;
	int status;
	int has_amount, has_stake, has_valuation;
	struct amount amount, valuation;
	const char *amount_text;
	double stake;
	const char *date;
	struct textref evidence[XSOURCE_MAX_EVIDENCE];
	const char *evidence_text[XSOURCE_MAX_EVIDENCE];
	size_t nevidence;
};

struct xhistory {
	int status;
	const char *date; /* NULL when unknown */
};

/* Listed deals (not rejected, not merged away), by id. */
int store__load_deals(struct store *s, const struct deal_filter *f,
    struct xdeal **out, size_t *n, struct arena *a, struct buf *err);
/* One deal, whatever its state. DW_ENOTFOUND with a message. */
int store__load_deal(struct store *s, int64_t id, struct xdeal *out,
    struct arena *a, struct buf *err);
int store__load_sources(struct store *s, int64_t id, struct xsource **out,
    size_t *n, struct arena *a, struct buf *err);
int store__load_history(struct store *s, int64_t id, struct xhistory **out,
    size_t *n, struct arena *a, struct buf *err);
/* "up to 10 bn USD" */
void store__amount_human(struct buf *b, const struct amount *m);
/* The DOT drawing of deals v, circles highlighted. */
int store__dot(struct store *s, struct buf *b, const struct xdeal *v, size_t n,
    struct buf *err);

#endif
