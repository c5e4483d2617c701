/*
 * article.c: storing an article and what it says, one transaction each:
 * dedup by canonical URL, feed GUID and near-duplicate text, mentions,
 * then merging; and re-extraction, which replaces an article's mentions.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* The canonical URL, or the string as given when it is no URL. */
static void
canon_or_self(struct buf *b, const char *url)
{
	if (url)
		store_url_canon(b, url);
}

/*
 * The key a feed GUID is stored under. A GUID with a colon (a URL, urn:,
 * tag:) is taken as global; a bare one ("12345") only means something in
 * its own feed, so it is kept as "feed:ID:GUID" and two feeds' article
 * 12345 stay two articles.
 */
static const char *
guid_key(struct buf *b, int64_t feed_id, const char *guid)
{
	if (!guid || strchr(guid, ':'))
		return guid;
	buf_reset(b);
	buf_addf(b, "feed:%lld:%s", (long long)feed_id, guid);
	return b->data;
}

int
store_article_known(struct store *s, const char *url, const char *guid)
{
	/* One statement for both keys (a new article, most of a crawl's,
	 * misses both): the second is searched only when the first is not
	 * there. A NULL key matches nothing. */
	static const char sql[] =
	    "SELECT 1 FROM articles WHERE canon_url = ?1"
	    " UNION ALL SELECT 1 FROM articles WHERE guid = ?2 LIMIT 1";
	struct buf canon = BUF_INIT, err = BUF_INIT;
	struct binds b;
	int known = 0;

	if (url)
		canon_or_self(&canon, url);
	if (store__stmt_binds(s, sql, &b, &err)) {
		if (url)
			store__b_text(&b, 1, canon.data, canon.len);
		/* A bare GUID needs its feed, which this call does not know. */
		if (guid && strchr(guid, ':'))
			store__b_cstr(&b, 2, guid);
		store__binds_end(&b);
		known = sqlite3_step(b.st) == SQLITE_ROW;
		sqlite3_reset(b.st);
	}
	buf_release(&canon);
	buf_release(&err);
	return known;
}

/* A row of the VALUES of store_articles_known: its number, its URL's
 * parameter and its GUID's. */
#define KV(i, u, g) "(" #i ",?" #u ",?" #g ")"

int
store_articles_known(struct store *s, size_t n, const char *const *urls,
    const char *const *guids, unsigned char *known)
{
	/*
	 * Each row's two keys searched as store_article_known searches them
	 * (a NULL key matches nothing), the rows numbered: one statement's
	 * start and end for 25 articles (a crawl's feed looks up 50). IN,
	 * not a correlated EXISTS: each key is one probe of its UNIQUE
	 * index, without a subquery run per row (1,300 Ir an item fewer).
	 */
	/* clang-format off */
	static const char sql[] =
	    "SELECT v.column1 FROM (VALUES "
	    KV(0, 1, 26) "," KV(1, 2, 27) "," KV(2, 3, 28) ","
	    KV(3, 4, 29) "," KV(4, 5, 30) "," KV(5, 6, 31) ","
	    KV(6, 7, 32) "," KV(7, 8, 33) "," KV(8, 9, 34) ","
	    KV(9, 10, 35) "," KV(10, 11, 36) "," KV(11, 12, 37) ","
	    KV(12, 13, 38) "," KV(13, 14, 39) "," KV(14, 15, 40) ","
	    KV(15, 16, 41) "," KV(16, 17, 42) "," KV(17, 18, 43) ","
	    KV(18, 19, 44) "," KV(19, 20, 45) "," KV(20, 21, 46) ","
	    KV(21, 22, 47) "," KV(22, 23, 48) "," KV(23, 24, 49) ","
	    KV(24, 25, 50)
	    ") AS v"
	    " WHERE v.column2 IN (SELECT canon_url FROM articles)"
	    " OR v.column3 IN (SELECT guid FROM articles)";
	/* clang-format on */
	_Static_assert(STORE_KNOWN_CHUNK == 25, "the statement's rows");
	struct buf canon = BUF_INIT, one = BUF_INIT, err = BUF_INIT;
	size_t off[STORE_KNOWN_CHUNK + 1];
	int rc = DW_OK;

	memset(known, 0, n);
	for (size_t base = 0; base < n && rc == DW_OK;
	     base += STORE_KNOWN_CHUNK) {
		size_t m = MIN(n - base, (size_t)STORE_KNOWN_CHUNK);
		struct binds b;

		/* the canonical URLs side by side, each with its NUL */
		buf_reset(&canon);
		for (size_t k = 0; k < m; k++) {
			off[k] = canon.len;
			if (urls[base + k]) {
				canon_or_self(&one, urls[base + k]);
				buf_add(&canon, one.data, one.len + 1);
			}
		}
		off[m] = canon.len;
		if (!store__stmt_binds(s, sql, &b, &err)) {
			rc = DW_EIO;
			break;
		}
		for (size_t k = 0; k < m; k++) {
			const char *g = guids[base + k];

			if (urls[base + k])
				store__b_text(&b, (int)k + 1,
				    canon.data + off[k],
				    off[k + 1] - off[k] - 1);
			/* A bare GUID needs its feed, which is not known. */
			if (g && strchr(g, ':'))
				store__b_cstr(&b, (int)k + 26, g);
		}
		store__binds_end(&b);
		while (sqlite3_step(b.st) == SQLITE_ROW) {
			int64_t k = sqlite3_column_int64(b.st, 0);

			if (k >= 0 && (size_t)k < m)
				known[base + (size_t)k] = 1;
		}
		sqlite3_reset(b.st);
	}
	buf_release(&canon);
	buf_release(&one);
	buf_release(&err);
	return rc;
}

static const char *
textref_str(struct arena *a, struct span text, struct textref r)
{
	if (r.end <= r.start || r.end > text.len)
		return NULL;
	return arena_strndup(a, text.p + r.start, r.end - r.start);
}

/* The text r refers to, bound where it lies in text (as textref_str's
 * copy would be: up to a NUL), or NULL. */
static void
bind_ref(struct binds *b, int i, struct span text, struct textref r)
{
	const char *p = text.p + r.start;

	if (r.end > r.start && r.end <= text.len)
		store__b_text(b, i, p, strnlen(p, r.end - r.start));
}

/* A deal worth storing: two parties at least, all named, among the
 * first STORE_MENTION_SPAN of its article (seq, the mention's number). */
static int
storable(const struct deal *d, size_t seq)
{
	if (seq >= (size_t)STORE_MENTION_SPAN || d->nparties < 2 ||
	    d->nparties > DEAL_MAX_PARTIES || !deal_type_name(d->type))
		return 0;
	for (size_t i = 0; i < d->nparties; i++)
		if (!d->parties[i].name || !*d->parties[i].name)
			return 0;
	return 1;
}

struct hint {
	int64_t deal_id;
	int64_t pin;
};

/* gkey and parties: the deal's group key and encoded parties, as the
 * caller computed them. */
static int
insert_mention(struct store *s, int64_t article_id, int seq,
    const struct deal *d, struct span text, const struct hint *h,
    const char *gkey, int64_t gh, const char *parties, struct buf *err)
{
	static const char sql[] =
	    "INSERT INTO mentions(article_id, seq, deal_id, pin, gkey, type,"
	    " parties, status, date, date_text, amount, amount_low,"
	    " amount_high, amount_currency, amount_qualifier, amount_text,"
	    " stake, stake_text, valuation, valuation_low, valuation_high,"
	    " valuation_currency, valuation_qualifier, valuation_text,"
	    " evidence, gh, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,"
	    " ?23, ?24, ?25, ?26, ?27)";
	struct binds b;
	sqlite3_stmt *st = store__stmt_binds(s, sql, &b, err);
	/* "start-end,..." on the stack: two numbers and two bytes each. */
	char ev[DEAL_MAX_EVIDENCE * (2 * STORE_INT_MAX + 2)];
	size_t evn = 0;
	int rc;

	if (!st)
		return DW_EIO;
	for (size_t i = 0; i < d->nevidence && i < DEAL_MAX_EVIDENCE; i++) {
		size_t from = MIN(d->evidence[i].start, text.len);
		size_t e = MIN(d->evidence[i].end, text.len);

		if (e <= from)
			continue;
		if (evn)
			ev[evn++] = ',';
		evn += store__put_int(ev + evn, (int64_t)from);
		ev[evn++] = '-';
		evn += store__put_int(ev + evn, (int64_t)e);
	}
	store__b_int64(&b, 1, article_id);
	store__b_int64(&b, 2, seq);
	if (h && h->deal_id)
		store__b_int64(&b, 3, h->deal_id);
	if (h && h->pin)
		store__b_int64(&b, 4, h->pin);
	store__b_cstr(&b, 5, gkey);
	store__b_int64(&b, 6, d->type);
	store__b_cstr(&b, 7, parties);
	store__b_int64(&b, 8, d->status);
	if (d->date.value[0]) {
		store__b_cstr(&b, 9, d->date.value);
		bind_ref(&b, 10, text, d->date_text);
	}
	if (d->has_amount) {
		store__b_figures(&b, 11, &d->amount);
		bind_ref(&b, 16, text, d->amount_text);
	}
	if (d->has_stake) {
		store__b_double(&b, 17, d->stake);
		bind_ref(&b, 18, text, d->stake_text);
	}
	if (d->has_valuation) {
		store__b_figures(&b, 19, &d->valuation);
		bind_ref(&b, 24, text, d->valuation_text);
	}
	store__b_text(&b, 25, ev, evn);
	store__b_int64(&b, 26, gh);
	store__b_int64(&b, 27, store__mention_id(article_id, seq));
	store__binds_end(&b);
	rc = store__step_done(s, st, err, "cannot store mention");
	if (rc == DW_OK)
		store__group_add(s, gh);
	return rc;
}

/* Group keys touched in one transaction, each once. */
struct keyset {
	char **v;
	size_t n, cap;
};

static void
keyset_add(struct keyset *k, const char *key)
{
	for (size_t i = 0; i < k->n; i++)
		if (strcmp(k->v[i], key) == 0)
			return;
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		k->v = xreallocarray(k->v, k->cap, sizeof(*k->v));
	}
	k->v[k->n++] = xstrdup(key);
}

static void
keyset_release(struct keyset *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	k->v = NULL;
	k->n = k->cap = 0;
}

/* The mention a deal makes, in memory, as merging would read it back. */
static void
mention_from_deal(struct mention *m, const struct deal *d, struct span text,
    const struct article_rec *art, const char *gkey, const char *parties,
    struct arena *a)
{
	memset(m, 0, sizeof(*m));
	m->gkey = gkey;
	m->parties = parties;
	m->published = art->published;
	m->type = d->type;
	m->status = d->status;
	if (d->date.value[0]) {
		m->date = d->date.value;
		m->date_text = textref_str(a, text, d->date_text);
	}
	m->has_amount = d->has_amount;
	if (d->has_amount) {
		m->amount = d->amount;
		m->amount_text = textref_str(a, text, d->amount_text);
	}
	m->has_stake = d->has_stake;
	if (d->has_stake) {
		m->stake = d->stake;
		m->stake_text = textref_str(a, text, d->stake_text);
	}
	m->has_valuation = d->has_valuation;
	if (d->has_valuation) {
		m->valuation = d->valuation;
		m->valuation_text = textref_str(a, text, d->valuation_text);
	}
	/* No effective dates: a deal of one mention compares it with no
	 * other (deal_write). */
}

static int
group_exists(struct store *s, const char *gkey, int64_t gh, int *out,
    struct buf *err)
{
	/* Mentions of the group, or a rejected deal of it (which may have
	 * none left; no other deal of a group matters without its
	 * mentions: schema_v7). */
	static const char sql[] =
	    "SELECT 1 FROM mentions WHERE gh = ?2 AND gkey = ?1 UNION ALL"
	    " SELECT 1 FROM deals WHERE gh = ?2 AND gkey = ?1 AND rejected = 1"
	    " LIMIT 1";
	sqlite3_stmt *st;
	int rc = store__group_maybe(s, gh, out, err);

	if (rc != DW_OK || !*out)
		return rc;
	st = store__stmt(s, sql, err);
	if (!st)
		return DW_EIO;
	store__bind_cstr(st, 1, gkey);
	sqlite3_bind_int64(st, 2, gh);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store__fail(s, err, "cannot read mentions");
	*out = rc == SQLITE_ROW;
	return DW_OK;
}

/* A deal of the article: its group key and encoded parties, made once. */
struct pending {
	struct buf gkey, parties;
	int64_t gh; /* store__gkey_hash(gkey) */
	int storable;
};

/*
 * One new mention. A group seen for the first time makes its deal from
 * this mention alone, written at once (its id into *created); otherwise
 * the group is reclustered once all the article's mentions are in.
 * known_new: the caller knows the group is not stored.
 */
static int
add_mention(struct store *s, int64_t article_id, int seq,
    const struct article_rec *art, const struct deal *d,
    const struct pending *p, int known_new, struct keyset *keys,
    struct merge_ctx *ctx, int64_t *created, struct buf *err)
{
	struct hint h = { 0, 0 };
	struct mention m;
	struct arena_mark mark = arena_mark(&s->scratch);
	int exists = 0, rc = DW_OK;

	*created = 0;
	if (!known_new)
		rc = group_exists(s, p->gkey.data, p->gh, &exists, err);
	if (rc == DW_OK && !exists) {
		mention_from_deal(&m, d, art->text, art, p->gkey.data,
		    p->parties.data, &s->scratch);
		m.gh = p->gh;
		rc = store__deal_create(s, &m, &h.deal_id, err);
		if (rc == DW_OK) {
			ctx->created++;
			*created = h.deal_id;
		}
	}
	if (rc == DW_OK)
		rc = insert_mention(s, article_id, seq, d, art->text, &h,
		    p->gkey.data, p->gh, p->parties.data, err);
	if (rc == DW_OK && exists)
		keyset_add(keys, p->gkey.data);
	arena_rewind(&s->scratch, mark);
	return rc;
}

/*
 * Whether an article can be stored without a savepoint of its own: it is
 * no copy and every deal of it makes a new group (none stored, no two
 * alike), so that all it writes is rows of its own (the article, its
 * sketch, its mentions, the deals it creates) that undo_own deletes
 * again. A savepoint journals every page it changes (a tenth of what
 * storing an article costs); most articles of a crawl are such.
 */
static int
all_new(struct store *s, const struct pending *p, size_t n, int *out,
    struct buf *err)
{
	int rc = DW_OK;

	*out = 1;
	for (size_t i = 0; i < n && *out && rc == DW_OK; i++) {
		int exists = 0;

		if (!p[i].storable)
			continue;
		for (size_t j = 0; j < i && *out; j++)
			if (p[j].storable &&
			    strcmp(p[i].gkey.data, p[j].gkey.data) == 0)
				*out = 0;
		if (*out)
			rc = group_exists(s, p[i].gkey.data, p[i].gh, &exists,
			    err);
		if (exists)
			*out = 0;
	}
	return rc;
}

/*
 * Delete what a failed article wrote (all_new's kind): it is then as if
 * it had never been stored. When that fails too, the whole transaction
 * goes (the batch reports it), never half an article.
 */
static void
undo_own(struct store *s, int64_t article_id, const int64_t *deals, size_t n)
{
	static const char q_men[] = "DELETE FROM mentions WHERE id BETWEEN"
	                            " ?1 * 1048576 AND ?1 * 1048576 + 1048575";
	static const char q_art[] = "DELETE FROM articles WHERE id = ?";
	static const char q_sk[] =
	    "DELETE FROM article_sketches WHERE article_id = ?";
	static const char q_deal[] = "DELETE FROM deals WHERE id = ?";
	static const char *const by_article[] = { q_men, q_sk, q_art };
	struct buf err = BUF_INIT;
	int rc = DW_OK;

	for (size_t i = 0; article_id && i < countof(by_article) && rc == DW_OK;
	     i++) {
		sqlite3_stmt *st = store__stmt(s, by_article[i], &err);

		if (!st) {
			rc = DW_EIO;
			break;
		}
		sqlite3_bind_int64(st, 1, article_id);
		rc = store__step_done(s, st, &err, "cannot undo");
	}
	for (size_t d = 0; d < n && rc == DW_OK; d++) {
		sqlite3_stmt *st;

		rc = store__deal_drop_rows(s, deals[d], &err);
		st = rc == DW_OK ? store__stmt(s, q_deal, &err) : NULL;
		if (!st) {
			rc = DW_EIO;
			break;
		}
		sqlite3_bind_int64(st, 1, deals[d]);
		rc = store__step_done(s, st, &err, "cannot undo");
	}
	if (rc != DW_OK && !sqlite3_get_autocommit(s->db))
		store__exec(s, "ROLLBACK", &err);
	buf_release(&err);
}

static int
recluster_all(struct store *s, struct keyset *keys, struct merge_ctx *ctx,
    struct buf *err)
{
	int rc = DW_OK;

	for (size_t i = 0; i < keys->n && rc == DW_OK; i++)
		rc = store__recluster(s, keys->v[i], ctx, err);
	if (rc == DW_OK)
		rc = store__merge_finish(s, ctx, err);
	free(ctx->touched);
	ctx->touched = NULL;
	return rc;
}

struct orig_search {
	const struct store_sketch *k;
	int64_t match;
};

static int
orig_cb(int64_t id, const struct store_sketch *o, void *arg)
{
	struct orig_search *os = arg;

	/* The earliest match (candidates come in no order). */
	if ((os->match && id > os->match) ||
	    o->words < STORE_NEAR_DUP_MIN_WORDS ||
	    store_sketch_similarity(os->k, o) < STORE_NEAR_DUP_SIMILARITY)
		return 0;
	os->match = id;
	return 0;
}

/* The article this text is a syndicated copy of, or 0: the earliest
 * match's original. */
static int
find_original(struct store *s, const struct store_sketch *k, int64_t *orig,
    struct buf *err)
{
	static const char sql[] = "SELECT copy_of FROM articles WHERE id = ?";
	struct orig_search os = { k, 0 };
	int rc = store__near_each(s, k, STORE_NEAR_DUP_MIN_WORDS,
	    STORE_NEAR_DUP_SIMILARITY, orig_cb, &os, err);
	sqlite3_stmt *st;

	*orig = os.match;
	if (rc != DW_OK || !os.match)
		return rc;
	st = store__stmt(s, sql, err);
	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, os.match);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0))
		*orig = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return DW_OK;
}

struct text_search {
	struct store *s;
	struct span text;
	int found;
};

static int
text_cb(int64_t id, const struct store_sketch *o, void *arg)
{
	static const char sql[] =
	    "SELECT 1 FROM articles WHERE id = ? AND text = ?";
	struct text_search *ts = arg;
	struct buf err = BUF_INIT;
	sqlite3_stmt *st = store__stmt(ts->s, sql, &err);

	(void)o;
	if (st) {
		sqlite3_bind_int64(st, 1, id);
		store__bind_textn(st, 2, ts->text.p, ts->text.len);
		ts->found = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	}
	buf_release(&err);
	return ts->found;
}

/* Same text stored without URL or GUID: the same article again. */
static int
same_text_known(struct store *s, const struct store_sketch *k, struct span text,
    int *known, struct buf *err)
{
	struct text_search ts = { s, text, 0 };
	int rc = store__near_each(s, k, 0, 0, text_cb, &ts, err);

	*known = ts.found;
	return rc;
}

/* An article's sketch, for finding its copies later (near.c). */
static int
insert_sketch(struct store *s, int64_t article_id, const struct store_sketch *k,
    struct buf *err)
{
	static const char q_sketch[] =
	    "INSERT OR REPLACE INTO article_sketches(article_id, words, sketch)"
	    " VALUES (?, ?, ?)";
	unsigned char sk[4 * STORE_MINHASH];
	struct binds b;
	sqlite3_stmt *st = store__stmt_binds(s, q_sketch, &b, err);

	if (!st)
		return DW_EIO;
	store__sketch_encode(sk, k);
	store__b_int64(&b, 1, article_id);
	store__b_int64(&b, 2, (int64_t)k->words);
	store__b_blob(&b, 3, sk, sizeof(sk));
	store__binds_end(&b);
	return store__step_done(s, st, err, "cannot store article");
}

/*
 * Every stored article's sketch computed again from its text
 * (a migration that changed how they are made). Syndicated copies found
 * before stay what they are.
 */
int
store__resketch(struct store *s, struct buf *err)
{
	static const char q_all[] = "SELECT id, text FROM articles ORDER BY id";
	sqlite3_stmt *all;
	int rc = DW_OK, step;

	/* Not cached: run once. */
	if (sqlite3_prepare_v2(s->db, q_all, -1, &all, NULL) != SQLITE_OK)
		return store__fail(s, err, "cannot upgrade database");
	while (rc == DW_OK && (step = sqlite3_step(all)) == SQLITE_ROW) {
		struct span text = {
			(const char *)sqlite3_column_text(all, 1),
			(size_t)sqlite3_column_bytes(all, 1),
		};
		struct store_sketch k;

		store_sketch(&k, text);
		rc = insert_sketch(s, sqlite3_column_int64(all, 0), &k, err);
	}
	if (rc == DW_OK && step != SQLITE_DONE)
		rc = store__fail(s, err, "cannot upgrade database");
	sqlite3_finalize(all);
	return rc;
}

static int
refresh_copies_of(struct store *s, int64_t orig, struct merge_ctx *ctx,
    struct buf *err)
{
	static const char sql[] =
	    "SELECT DISTINCT deal_id FROM mentions WHERE id BETWEEN"
	    " ?1 * 1048576 AND ?1 * 1048576 + 1048575 AND deal_id IS NOT NULL";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc;

	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, orig);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (ctx->ntouched == ctx->cap) {
			ctx->cap = ctx->cap ? ctx->cap * 2 : 16;
			ctx->touched = xreallocarray(ctx->touched, ctx->cap,
			    sizeof(*ctx->touched));
		}
		ctx->touched[ctx->ntouched++] = id;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store__fail(s, err, "cannot read mentions");
	return store__merge_finish(s, ctx, err);
}

static int
already_stored(const struct article_rec *a, struct buf *err)
{
	buf_setf(err, "article '%s' is already stored",
	    a->url        ? a->url
	        : a->guid ? a->guid
	                  : "-");
	return DW_EEXISTS;
}

/*
 * What storing an article works in, kept from one article to the next
 * (a crawl stores thousands: allocating them each time cost 1.5 % of
 * it): the deals' pending keys and the ids of the deals made, for n
 * deals at least, and the buffers of the canonical URL and the GUID key.
 */
struct put_work {
	struct pending *p;
	int64_t *created;
	size_t cap;
	struct buf canon, gk, names;
};

static struct put_work *
put_work(struct store *s, size_t n)
{
	struct put_work *w = s->put;

	if (!w) {
		w = s->put = xcalloc(1, sizeof(*w));
		w->canon = (struct buf)BUF_INIT;
		w->gk = (struct buf)BUF_INIT;
		w->names = (struct buf)BUF_INIT;
	}
	if (n > w->cap) {
		size_t cap = MAX(n, 2 * w->cap);

		w->p = xreallocarray(w->p, cap, sizeof(*w->p));
		w->created =
		    xreallocarray(w->created, cap, sizeof(*w->created));
		for (size_t i = w->cap; i < cap; i++) {
			w->p[i].gkey = (struct buf)BUF_INIT;
			w->p[i].parties = (struct buf)BUF_INIT;
		}
		w->cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		buf_reset(&w->p[i].gkey);
		buf_reset(&w->p[i].parties);
		w->p[i].gh = 0;
		w->p[i].storable = 0;
		w->created[i] = 0;
	}
	buf_reset(&w->canon);
	buf_reset(&w->gk);
	return w;
}

void
store__put_free(struct store *s)
{
	struct put_work *w = s->put;

	if (!w)
		return;
	for (size_t i = 0; i < w->cap; i++) {
		buf_release(&w->p[i].gkey);
		buf_release(&w->p[i].parties);
	}
	free(w->p);
	free(w->created);
	buf_release(&w->canon);
	buf_release(&w->gk);
	buf_release(&w->names);
	free(w);
	s->put = NULL;
}

int
store_article_put(struct store *s, const struct article_rec *a,
    const struct deal_list *deals, int *new_deals, int *updated_deals,
    struct buf *err)
{
	static const char ins[] =
	    "INSERT INTO articles(feed_id, url, canon_url, guid, title,"
	    " published, text, copy_of, stored) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9)";
	struct keyset keys = { NULL, 0, 0 };
	struct merge_ctx ctx = { NULL, 0, 0, 0 };
	size_t n = deals ? deals->n : 0, ncreated = 0;
	struct put_work *w = put_work(s, n);
	/* What this article queues (pend.c), for undo_own to drop. */
	struct pend_mark pm = store__pend_mark(s);
	struct buf *canon = &w->canon, *gk = &w->gk;
	struct binds b;
	struct pending *p = w->p;
	int64_t *created = w->created;
	sqlite3_stmt *st;
	const char *guid;
	int64_t orig = 0, article_id = 0;
	struct store_sketch k;
	int rc, known = 0, stored = 0, light = 0;
	int nested = s->batch || s->group;
	char now[21];

	if (new_deals)
		*new_deals = 0;
	if (updated_deals)
		*updated_deals = 0;
	if (a->url)
		canon_or_self(canon, a->url);
	if (a->sketch)
		k = *a->sketch;
	else
		store_sketch(&k, a->text);
	/* In a batch, the look-ups go first and the unit (a savepoint) only
	 * when it is needed (all_new). */
	rc = nested ? store__lost(s, err) : store__begin(s, err);
	if (rc != DW_OK)
		goto out;
	guid = guid_key(gk, a->feed_id, a->guid);
	/* An article known by its URL or GUID is found by inserting it
	 * (their unique indexes), which looks them up anyway. */
	if (!a->url && !a->guid) {
		rc = same_text_known(s, &k, a->text, &known, err);
		if (rc != DW_OK)
			goto out;
	}
	if (known) {
		rc = already_stored(a, err);
		goto out;
	}
	if (k.words >= STORE_NEAR_DUP_MIN_WORDS) {
		rc = find_original(s, &k, &orig, err);
		if (rc != DW_OK)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (orig || !storable(&deals->v[i], i))
			continue;
		p[i].storable = 1;
		store__group_key_in(&p[i].gkey, &deals->v[i], &w->names);
		p[i].gh = store__gkey_hash(p[i].gkey.data);
		store__parties_encode(&p[i].parties, &deals->v[i]);
	}
	if (nested && !orig) {
		rc = all_new(s, p, n, &light, err);
		if (rc != DW_OK)
			goto out;
	}
	if (nested && !light) {
		rc = store__begin(s, err);
		if (rc != DW_OK)
			goto out;
	}
	st = store__stmt_binds(s, ins, &b, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	if (a->feed_id)
		store__b_int64(&b, 1, a->feed_id);
	store__b_cstr(&b, 2, a->url);
	if (a->url)
		store__b_cstr(&b, 3, canon->data);
	store__b_cstr(&b, 4, guid);
	store__b_cstr(&b, 5, a->title);
	store__b_cstr(&b, 6, a->published);
	store__b_text(&b, 7, a->text.p ? a->text.p : "", a->text.len);
	if (orig)
		store__b_int64(&b, 8, orig);
	store__now(now);
	store__b_cstr(&b, 9, now);
	store__binds_end(&b);
	rc = store__step_done(s, st, err, "cannot store article");
	if (rc == DW_EEXISTS &&
	    sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
		rc = already_stored(a, err);
	if (rc != DW_OK)
		goto out;
	article_id = sqlite3_last_insert_rowid(s->db);
	rc = store__pend_sketch(s, article_id, &k, err);
	if (rc != DW_OK)
		goto out;
	if (orig) {
		/*
		 * A syndicated copy is another source of the original's
		 * mentions, not a new article's worth of deals.
		 */
		rc = refresh_copies_of(s, orig, &ctx, err);
		goto commit;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t id;

		if (!p[i].storable)
			continue;
		rc = add_mention(s, article_id, (int)i, a, &deals->v[i], &p[i],
		    light, &keys, &ctx, &id, err);
		if (id)
			created[ncreated++] = id;
		if (rc != DW_OK)
			goto out;
		stored++;
	}
	rc = recluster_all(s, &keys, &ctx, err);
	if (rc != DW_OK)
		goto out;
commit:
	if (!light)
		rc = store__commit(s, err);
	if (rc == DW_OK) {
		store__near_add(s, article_id, &k);
		if (new_deals)
			*new_deals = ctx.created;
		if (updated_deals)
			*updated_deals =
			    stored > ctx.created ? stored - ctx.created : 0;
	}
out:
	if (rc != DW_OK && light) {
		store__pend_rewind(s, pm);
		undo_own(s, article_id, created, ncreated);
	} else if (rc != DW_OK)
		store__rollback(s);
	free(ctx.touched);
	keyset_release(&keys);
	return rc;
}

/*
 * Re-extraction.
 */
struct old_mention {
	int64_t deal_id, pin;
	char *gkey;
	int type;
	size_t ev_start, ev_end;
	int used;
};

static int
load_old(struct store *s, int64_t article_id, struct old_mention **out,
    size_t *n, struct keyset *keys, struct buf *err)
{
	static const char sql[] =
	    "SELECT deal_id, pin, gkey, type, evidence FROM mentions"
	    " WHERE id BETWEEN ?1 * 1048576 AND ?1 * 1048576 + 1048575"
	    " ORDER BY seq, id";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	struct old_mention *v = NULL;
	size_t len = 0;
	int rc;

	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, article_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *ev = (const char *)sqlite3_column_text(st, 4);
		struct old_mention *o;
		char *end;

		v = xreallocarray(v, len + 1, sizeof(*v));
		o = &v[len++];
		memset(o, 0, sizeof(*o));
		o->deal_id = sqlite3_column_int64(st, 0);
		o->pin = sqlite3_column_int64(st, 1);
		o->gkey = xstrdup((const char *)sqlite3_column_text(st, 2));
		o->type = sqlite3_column_int(st, 3);
		if (ev && *ev) {
			o->ev_start = strtoull(ev, &end, 10);
			if (*end == '-')
				o->ev_end = strtoull(end + 1, NULL, 10);
		}
		keyset_add(keys, o->gkey);
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	if (rc != SQLITE_DONE)
		return store__fail(s, err, "cannot read mentions");
	return DW_OK;
}

/*
 * The deal a new mention most likely continues: an old mention of the
 * same group, else of the same type whose evidence overlaps.
 */
static struct hint
find_hint(struct old_mention *old, size_t n, const char *gkey,
    const struct deal *d)
{
	struct hint h = { 0, 0 };

	for (size_t i = 0; i < n; i++) {
		if (!old[i].used && strcmp(old[i].gkey, gkey) == 0) {
			old[i].used = 1;
			h.deal_id = old[i].deal_id;
			h.pin = old[i].pin;
			return h;
		}
	}
	for (size_t i = 0; i < n && d->nevidence; i++) {
		if (!old[i].used && old[i].type == d->type &&
		    old[i].ev_start < d->evidence[0].end &&
		    d->evidence[0].start < old[i].ev_end) {
			old[i].used = 1;
			h.deal_id = old[i].deal_id;
			h.pin = old[i].pin;
			return h;
		}
	}
	return h;
}

static int
reextract_one(struct store *s, int64_t id, const struct store_extract_fn *x,
    struct arena *a, struct store_reextract_stats *stats, struct buf *err)
{
	static const char q_art[] =
	    "SELECT text, published FROM articles WHERE id = ?";
	static const char q_del[] = "DELETE FROM mentions WHERE id BETWEEN"
	                            " ?1 * 1048576 AND ?1 * 1048576 + 1048575";
	struct keyset keys = { NULL, 0, 0 };
	struct merge_ctx ctx = { NULL, 0, 0, 0 };
	struct old_mention *old = NULL;
	struct deal_list deals = { NULL, 0 };
	struct buf gkey = BUF_INIT, parties = BUF_INIT, xerr = BUF_INIT;
	struct span text;
	const char *published;
	size_t nold = 0;
	sqlite3_stmt *st;
	int rc;

	rc = store__begin(s, err);
	if (rc != DW_OK)
		goto out;
	st = store__stmt(s, q_art, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = DW_OK;
		goto out;
	}
	text.p = store__col_text(st, 0, a);
	text.len = (size_t)sqlite3_column_bytes(st, 0);
	published = store__col_text(st, 1, a);
	sqlite3_reset(st);
	if (!text.p) {
		rc = DW_ETOOBIG;
		buf_setf(err, "article %lld is too big to re-extract",
		    (long long)id);
		goto out;
	}
	rc = x->fn(&deals, text, published, a, x->arg, &xerr);
	if (rc != DW_OK) {
		/* One article that fails leaves its mentions as they were. */
		stats->failed++;
		rc = DW_OK;
		goto out;
	}
	rc = load_old(s, id, &old, &nold, &keys, err);
	if (rc != DW_OK)
		goto out;
	st = store__stmt(s, q_del, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = store__step_done(s, st, err, "cannot replace mentions");
	if (rc != DW_OK)
		goto out;
	for (size_t i = 0; i < deals.n; i++) {
		struct hint h;

		if (!storable(&deals.v[i], i))
			continue;
		buf_reset(&gkey);
		store__group_key(&gkey, &deals.v[i]);
		h = find_hint(old, nold, gkey.data, &deals.v[i]);
		buf_reset(&parties);
		store__parties_encode(&parties, &deals.v[i]);
		rc = insert_mention(s, id, (int)i, &deals.v[i], text, &h,
		    gkey.data, store__gkey_hash(gkey.data), parties.data, err);
		if (rc != DW_OK)
			goto out;
		keyset_add(&keys, gkey.data);
		stats->mentions++;
	}
	/* Deals that lost mentions of this article are refreshed too. */
	for (size_t i = 0; i < nold; i++) {
		if (ctx.ntouched == ctx.cap) {
			ctx.cap = ctx.cap ? ctx.cap * 2 : 16;
			ctx.touched = xreallocarray(ctx.touched, ctx.cap,
			    sizeof(*ctx.touched));
		}
		if (old[i].deal_id)
			ctx.touched[ctx.ntouched++] = old[i].deal_id;
	}
	rc = recluster_all(s, &keys, &ctx, err);
	if (rc == DW_OK)
		rc = store__commit(s, err);
	if (rc == DW_OK)
		stats->articles++;
out:
	if (s->in_tx)
		store__rollback(s);
	for (size_t i = 0; i < nold; i++)
		free(old[i].gkey);
	free(old);
	free(ctx.touched);
	keyset_release(&keys);
	buf_release(&gkey);
	buf_release(&parties);
	buf_release(&xerr);
	return rc;
}

int
store_reextract(struct store *s, const char *since,
    const struct store_extract_fn *x, struct store_reextract_stats *out,
    struct buf *err)
{
	static const char sql[] =
	    "SELECT id FROM articles WHERE copy_of IS NULL AND"
	    " (?1 IS NULL OR published >= ?1) ORDER BY id";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int64_t *ids = NULL;
	size_t n = 0;
	struct arena a;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return DW_EIO;
	store__bind_text(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(ids);
		return store__fail(s, err, "cannot list articles");
	}
	arena_init(&a, (size_t)1 << 30);
	rc = DW_OK;
	for (size_t i = 0; i < n && rc == DW_OK; i++) {
		rc = reextract_one(s, ids[i], x, &a, out, err);
		arena_reset(&a);
	}
	arena_release(&a);
	free(ids);
	return rc;
}
