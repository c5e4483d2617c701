/*
 * store.h: the deal database behind one interface, so that another backend
 * can be added later. SQLite with WAL, bound parameters only, each
 * article all or nothing: its own transaction, or a savepoint of a batch.
 */
#ifndef DW_STORE_H
#define DW_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "base/base.h"
#include "extract/extract.h"

struct store;

/*
 * Open (creating and migrating as needed) the database at path.
 * DW_ECREATE when it cannot be created or written, DW_EIO otherwise; the
 * message names the path. Close with store_close(), which accepts NULL.
 */
int store_open(struct store **out, const char *path, struct buf *err);
void store_close(struct store *s);

/*
 * Batches: one transaction around many units of work. Between
 * store_batch_begin (BEGIN IMMEDIATE) and store_batch_commit (COMMIT),
 * store_article_put, store_feed_update and every other writer keep their
 * all-or-nothing promise through a savepoint each: one that fails rolls
 * back only itself and the batch goes on. Nothing of the batch is
 * visible to other readers, or durable, before store_batch_commit; killed
 * before it, the database is as it was at store_batch_begin. A failed
 * commit rolls the whole batch back. A crawl wraps one feed (its new
 * articles and its new ETag) in one batch: storing then costs one commit
 * per feed instead of one per article. Counts returned inside a batch
 * (new deals) only hold once it is committed.
 * DW_EUSAGE when a batch is already open (begin) or none is (commit);
 * DW_ELOCKED when another process holds the database past the busy
 * timeout; DW_EIO when a database error rolled the batch back already.
 */
int store_batch_begin(struct store *s, struct buf *err);
int store_batch_commit(struct store *s, struct buf *err);
/* Drop everything written since store_batch_begin; no-op without one. */
void store_batch_rollback(struct store *s);

/*
 * Groups: consecutive batches in one transaction. Between
 * store_group_begin and store_group_commit, each article of a batch is
 * still all or nothing (one that fails rolls back alone), but the
 * batches become durable, and visible to other readers, only with the
 * group's commit; killed before it, the database is as it was at
 * store_group_begin. store_batch_rollback inside a group rolls the whole
 * group back (store_group_commit then fails with DW_EIO). A crawl's
 * writer keeps a group open while more feeds wait to be stored, so that
 * the pages every feed touches (index pages, the ends of the tables) are
 * written once a group instead of once a feed. Writes outside a batch
 * join the group too. DW_EUSAGE when a group or batch is open already
 * (begin) or no group is (commit); DW_ELOCKED and DW_EIO as for
 * batches. store_close rolls back a group left open.
 */
int store_group_begin(struct store *s, struct buf *err);
int store_group_commit(struct store *s, struct buf *err);

/*
 * Read transactions, for a connection that only looks things up: between
 * store_read_begin and store_read_end, look-ups (store_article_known) see
 * one snapshot and take the database's locks once instead of once each.
 * Keep them short: a checkpoint cannot pass a snapshot still read.
 * DW_EUSAGE when a transaction or batch is open already.
 */
int store_read_begin(struct store *s);
void store_read_end(struct store *s);

/*
 * Feeds.
 */
struct feed_state {
	int64_t id;
	const char *url;   /* as added, or updated by a 301/308 */
	const char *title; /* NULL until first fetched */
	const char *etag;  /* conditional GET; NULL when none */
	const char *last_modified;
	int64_t last_fetch;     /* Unix seconds; 0 never */
	long last_status;       /* HTTP status or 0 */
	const char *last_error; /* NULL when the last fetch went well */
	int failures;           /* consecutive failures */
	int64_t next_fetch;     /* Unix seconds; back-off after failures */
};

/* DW_EEXISTS when the URL is already a feed. */
int store_feed_add(struct store *s, const char *url, struct buf *err);
/* url_or_id: the URL or the numeric id. DW_ENOTFOUND when no such feed. */
int store_feed_remove(struct store *s, const char *url_or_id, struct buf *err);
/* All feeds, by id; strings live in a. */
int store_feed_list(struct store *s, struct feed_state **out, size_t *n,
    struct arena *a, struct buf *err);
/* Write back everything but id. */
int store_feed_update(struct store *s, const struct feed_state *f,
    struct buf *err);

/*
 * Articles.
 */
struct store_sketch;
struct article_rec {
	int64_t feed_id;       /* 0 for `parse --store` */
	const char *url;       /* URL or file path; NULL for stdin */
	const char *guid;      /* feed GUID, may be NULL */
	const char *title;     /* may be NULL */
	const char *published; /* "YYYY-MM-DD..." or NULL */
	struct span text;      /* the text deals were extracted from */
	/* store_sketch(text), when the caller made it already (a crawl
	 * does, on its extraction threads); NULL: the store makes it. */
	const struct store_sketch *sketch;
};

/* 1 when an article with this URL or GUID is stored, 0 when not. */
int store_article_known(struct store *s, const char *url, const char *guid);
/*
 * store_article_known for n articles at once, into known[0..n-1] (urls[i]
 * and guids[i] may be NULL): a statement for STORE_KNOWN_CHUNK of them
 * instead of one each. DW_OK, or DW_EIO when the statement cannot be
 * made (known[] is then all 0).
 */
#define STORE_KNOWN_CHUNK 25
int store_articles_known(struct store *s, size_t n, const char *const *urls,
    const char *const *guids, unsigned char *known);

/*
 * Store an article and the deals extracted from it, all or nothing: in
 * its own transaction, or inside an open batch in a savepoint of its own.
 * DW_EEXISTS (nothing written) when it is already stored.
 * new_deals and updated_deals, when not NULL, receive counts.
 */
int store_article_put(struct store *s, const struct article_rec *a,
    const struct deal_list *deals, int *new_deals, int *updated_deals,
    struct buf *err);

/*
 * Deals.
 */
struct deal_filter {
	const char *party;         /* canonical name, case-insensitive */
	int type;                  /* DEAL_* or 0 for any */
	int status;                /* ST_* or 0 for any */
	const char *since, *until; /* deal date bounds "YYYY[-MM[-DD]]" */
	const char *updated_since; /* for incremental exports */
	int64_t after_id;          /* only deals with a larger id; 0 any */
};

/* The largest deal id given so far (ids are never reused), 0 for none:
 * with deal_filter.after_id, the deals first seen since. */
int64_t store_deal_last_id(struct store *s);

enum export_format {
	EXPORT_TABLE = 1, /* for a person */
	EXPORT_CSV,
	EXPORT_JSON,
	EXPORT_JSONL,
	EXPORT_DOT,
};

/* Write the filtered deals in format to out. DW_EIO on a write error. */
int store_export(struct store *s, FILE *out, int format,
    const struct deal_filter *f, struct buf *err);

/* EXPLAIN QUERY PLAN of the query that lists deals for f, one step a line
 * appended to out (for benchmarks and the curious). */
int store_query_plan(struct store *s, const struct deal_filter *f,
    struct buf *out, struct buf *err);

/*
 * Article identity. The canonical URL lowercases scheme and host, drops
 * default ports, the fragment, tracking parameters (utm_*, fbclid, gclid,
 * ...) and a trailing slash. DW_EPARSE when url is not an absolute URL
 * (out then holds url unchanged).
 */
int store_url_canon(struct buf *out, const char *url);

/*
 * Near-duplicate text: a MinHash sketch of the text's word 3-shingles
 * (words case-folded). Two texts of at least STORE_NEAR_DUP_MIN_WORDS
 * words whose sketches agree in at least STORE_NEAR_DUP_SIMILARITY of
 * their STORE_MINHASH values (an estimate of the shingles' Jaccard
 * similarity) are one story: the later is stored as a syndicated copy of
 * the first. Candidates are found through STORE_MINHASH_BANDS indexed
 * bands of STORE_MINHASH_BAND_ROWS values each (locality-sensitive
 * hashing): texts at similarity s share a band with probability
 * 1 - (1 - s^4)^8: 0.89 at 0.7, 0.985 at 0.8, 0.9998 at 0.9 (copies with
 * a dateline and sign-off added score 0.97 and more). The bands are
 * looked up in memory, among the STORE_NEAR_DUP_WINDOW articles stored
 * last (by the order they were stored): an article is a copy of one of
 * those or of none.
 */
#define STORE_MINHASH 64
#define STORE_MINHASH_BANDS 8
#define STORE_MINHASH_BAND_ROWS 4
#define STORE_NEAR_DUP_SIMILARITY 0.7
#define STORE_NEAR_DUP_MIN_WORDS 24
#define STORE_NEAR_DUP_WINDOW 100000

struct store_sketch {
	uint32_t h[STORE_MINHASH]; /* minimum of each hash function */
	size_t words;              /* words in the text */
};

void store_sketch(struct store_sketch *out, struct span text);
/* The fraction of equal values: about the Jaccard similarity. */
double store_sketch_similarity(const struct store_sketch *a,
    const struct store_sketch *b);
/* Band i (0 <= i < STORE_MINHASH_BANDS) as one indexable number. */
int64_t store_sketch_band(const struct store_sketch *s, int i);

/*
 * One deal for a person: every field, every source with its evidence
 * sentence, the status history and the conflicting figures.
 * DW_ENOTFOUND when there is no deal id.
 */
int store_deal_show(struct store *s, FILE *out, int64_t id, struct buf *err);

/*
 * Curation. A rejected deal is kept out of listings, exports and circles,
 * and later mentions of it do not bring it back. Merging moves every
 * mention of `from` to `into` for good; `from` then names `into`.
 * DW_ENOTFOUND when a deal does not exist, DW_EUSAGE for merging a deal
 * with itself.
 */
int store_deal_reject(struct store *s, int64_t id, struct buf *err);
int store_deal_merge(struct store *s, int64_t into, int64_t from,
    struct buf *err);

/*
 * Circular deals (CONTRACT.md): directed cycles of at most max_length
 * parties in the money-flow graph of the stored, not rejected, not
 * terminated deals.
 */
enum { CIRCLES_TEXT = 1, CIRCLES_JSON };
int store_circles(struct store *s, FILE *out, int format, int max_length,
    struct buf *err);

/*
 * Re-extraction: for every stored original article published on or after
 * since (NULL: all), call fn for its deals and replace its mentions, one
 * transaction per article. Deal ids are kept where the deal is still
 * found. fn's results live in a, which is reset between articles.
 */
struct store_extract_fn {
	int (*fn)(struct deal_list *out, struct span text,
	    const char *published, struct arena *a, void *arg, struct buf *err);
	void *arg;
};
struct store_reextract_stats {
	size_t articles; /* articles re-extracted */
	size_t failed;   /* articles whose extraction failed (left as were) */
	size_t mentions; /* mentions written */
};
int store_reextract(struct store *s, const char *since,
    const struct store_extract_fn *x, struct store_reextract_stats *out,
    struct buf *err);

#endif
