/*
 * merge.c: mentions into deals. The deals of a group (same type, same
 * parties in the same roles) are a deterministic function of the group's
 * mentions: they are sorted into a canonical order that depends only on
 * what they say, and clustered greedily in that order. Ids then follow the
 * mentions, so a deal keeps its id across re-crawls and re-extraction.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* How far apart two figures or dates may be and still be one deal. */
#define AMOUNT_TOLERANCE 0.15
#define SAME_STAGE_DAYS 366
#define LATER_STAGE_DAYS (3 * 366)

#define MENTION_COLS                                                           \
	"m.id, m.article_id, m.deal_id, m.pin, m.seq, m.gkey, m.parties,"      \
	" a.published, a.canon_url, m.type, m.status, m.date, m.date_text,"    \
	" m.amount, m.amount_low, m.amount_high, m.amount_currency,"           \
	" m.amount_qualifier, m.amount_text, m.stake, m.stake_text,"           \
	" m.valuation, m.valuation_low, m.valuation_high,"                     \
	" m.valuation_currency, m.valuation_qualifier, m.valuation_text"       \
	" FROM mentions m JOIN articles a ON a.id = m.article_id"

static int
stage(int status)
{
	switch (status) {
	case ST_TALKS:
		return 1;
	case ST_ANNOUNCED:
		return 2;
	case ST_COMPLETED:
	case ST_TERMINATED:
		return 3;
	default:
		return 0;
	}
}

static void
read_mention(struct mention *m, sqlite3_stmt *st, struct arena *a)
{

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->article_id = sqlite3_column_int64(st, 1);
	m->deal_id = sqlite3_column_int64(st, 2);
	m->pin = sqlite3_column_int64(st, 3);
	m->seq = sqlite3_column_int(st, 4);
	m->gkey = store__col_text(st, 5, a);
	m->parties = store__col_text(st, 6, a);
	m->published = store__col_text(st, 7, a);
	m->canon_url = store__col_text(st, 8, a);
	m->type = sqlite3_column_int(st, 9);
	m->status = sqlite3_column_int(st, 10);
	m->date = store__col_text(st, 11, a);
	m->date_text = store__col_text(st, 12, a);
	store__col_amount(st, 13, &m->has_amount, &m->amount);
	m->amount_text = store__col_text(st, 18, a);
	m->has_stake = sqlite3_column_type(st, 19) != SQLITE_NULL;
	m->stake = sqlite3_column_double(st, 19);
	m->stake_text = store__col_text(st, 20, a);
	store__col_amount(st, 21, &m->has_valuation, &m->valuation);
	m->valuation_text = store__col_text(st, 26, a);
	/* The date the deal is placed at: its own, else the article's. */
	store__mention_dates(m);
}

/* Load mentions with one statement whose parameter 1 is bound by caller. */
static int
load_mentions(struct mention **out, size_t *n, struct store *s,
    sqlite3_stmt *st, struct arena *a, struct buf *err)
{
	struct mention *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			struct mention *nv;

			cap = cap ? cap * 2 : 8;
			nv = NEW(a, struct mention, cap);
			if (!nv) {
				buf_setf(err, "too many mentions to merge");
				sqlite3_reset(st);
				return DW_ETOOBIG;
			}
			if (len)
				memcpy(nv, v, len * sizeof(*v));
			v = nv;
		}
		read_mention(&v[len++], st, a);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store__fail(s, err, "cannot read mentions");
	*out = v;
	*n = len;
	return DW_OK;
}

/* An amount as the interval of values it allows. */
static void
amount_interval(const struct amount *m, double *lo, double *hi)
{
	switch (m->qualifier) {
	case Q_UP_TO:
		*lo = 0;
		*hi = m->value;
		break;
	case Q_OVER:
		*lo = m->value;
		*hi = INFINITY;
		break;
	case Q_RANGE:
		*lo = m->low;
		*hi = m->high > 0 ? m->high : m->value;
		break;
	default:
		*lo = *hi = m->value;
	}
}

static int
amounts_compatible(const struct amount *a, const struct amount *b)
{
	double alo, ahi, blo, bhi;

	/* Figures in different currencies are never converted: no conflict. */
	if (strcmp(a->currency, b->currency) != 0)
		return 1;
	amount_interval(a, &alo, &ahi);
	amount_interval(b, &blo, &bhi);
	/*
	 * Within 15 % of each other: the larger lower end, less 15 %, is not
	 * above the smaller upper end. For two exact figures that is
	 * |a - b| <= 0.15 * max(a, b); a bound is met when the other figure
	 * is (nearly) inside it.
	 */
	return MAX(alo, blo) * (1 - AMOUNT_TOLERANCE) <= MIN(ahi, bhi);
}

static int
dates_compatible(const struct mention *a, const struct mention *b)
{
	const struct mention *e = a, *l = b;
	int64_t gap;

	if (!a->eff_known || !b->eff_known)
		return 1;
	if (stage(a->status) == stage(b->status) || !stage(a->status) ||
	    !stage(b->status)) {
		gap = MAX(a->eff_lo, b->eff_lo) - MIN(a->eff_hi, b->eff_hi);
		return gap <= SAME_STAGE_DAYS;
	}
	/*
	 * Different stages report different events: an acquisition agreed in
	 * one December may close eighteen months later. The later stage may
	 * follow the earlier by up to three years, and not precede it by more
	 * than a year.
	 */
	if (stage(a->status) > stage(b->status)) {
		e = b;
		l = a;
	}
	if (l->eff_hi < e->eff_lo - SAME_STAGE_DAYS)
		return 0;
	return l->eff_lo - e->eff_hi <= LATER_STAGE_DAYS;
}

int
store__compatible(const struct mention *a, const struct mention *b)
{
	if (a->type != b->type)
		return 0;
	if (a->has_amount && b->has_amount &&
	    !amounts_compatible(&a->amount, &b->amount))
		return 0;
	return dates_compatible(a, b);
}

static int
cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? -1 : b ? 1 : 0;
	return strcmp(a, b);
}

static int
cmp_num(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

/*
 * The canonical order: what a mention says, most specific first, and
 * never when or in which order it was stored.
 */
static int
cmp_canon(const void *x, const void *y)
{
	const struct mention *a = x, *b = y;
	int c;

	if (a->has_amount != b->has_amount)
		return b->has_amount - a->has_amount;
	if ((a->date != NULL) != (b->date != NULL))
		return (b->date != NULL) - (a->date != NULL);
	if (a->eff_known != b->eff_known)
		return b->eff_known - a->eff_known;
	if (a->eff_known && a->eff_lo != b->eff_lo)
		return a->eff_lo < b->eff_lo ? -1 : 1;
	if (a->has_amount) {
		c = strcmp(a->amount.currency, b->amount.currency);
		if (c)
			return c;
		c = cmp_num(a->amount.value, b->amount.value);
		if (c)
			return c;
		if (a->amount.qualifier != b->amount.qualifier)
			return a->amount.qualifier - b->amount.qualifier;
	}
	if (a->status != b->status)
		return a->status - b->status;
	c = cmp_str(a->published, b->published);
	if (c)
		return c;
	c = cmp_str(a->canon_url, b->canon_url);
	if (c)
		return c;
	c = cmp_str(a->gkey, b->gkey);
	if (c)
		return c;
	if (a->seq != b->seq)
		return a->seq - b->seq;
	return a->id < b->id ? -1 : a->id > b->id;
}

struct cluster {
	size_t *members; /* indexes into the sorted mentions */
	size_t n, cap;
	int64_t pin; /* the pinned deal, or 0 */
	int64_t id;  /* assigned deal id */
};

static void
cluster_add(struct cluster *c, size_t i)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4;
		c->members =
		    xreallocarray(c->members, c->cap, sizeof(*c->members));
	}
	c->members[c->n++] = i;
}

static void
touch(struct merge_ctx *ctx, int64_t id)
{
	if (!id)
		return;
	for (size_t i = 0; i < ctx->ntouched; i++)
		if (ctx->touched[i] == id)
			return;
	if (ctx->ntouched == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 16;
		ctx->touched = xreallocarray(ctx->touched, ctx->cap,
		    sizeof(*ctx->touched));
	}
	ctx->touched[ctx->ntouched++] = id;
}

static int
taken(const struct cluster *cl, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (cl[i].id == id)
			return 1;
	return 0;
}

/* The deal id most of the cluster's mentions had, not yet taken. */
static int64_t
majority_id(const struct cluster *c, const struct mention *v,
    const struct cluster *cl, size_t ncl)
{
	int64_t best = 0;
	size_t best_n = 0;

	for (size_t i = 0; i < c->n; i++) {
		int64_t id = v[c->members[i]].deal_id;
		size_t cnt = 0;

		if (!id || taken(cl, ncl, id))
			continue;
		for (size_t k = 0; k < c->n; k++)
			cnt += v[c->members[k]].deal_id == id;
		if (cnt > best_n || (cnt == best_n && id < best)) {
			best = id;
			best_n = cnt;
		}
	}
	return best;
}

static int
fits(const struct cluster *c, const struct mention *v, size_t i)
{
	for (size_t k = 0; k < c->n; k++) {
		int ok = store__compatible(&v[c->members[k]], &v[i]);

		/* A cluster `deal merge` made takes what fits any member. */
		if (c->pin && ok)
			return 1;
		if (!c->pin && !ok)
			return 0;
	}
	return !c->pin;
}

int
store__deal_id(struct store *s, int64_t *out, struct buf *err)
{
	static const char sql[] =
	    "SELECT max(coalesce((SELECT value FROM counters"
	    " WHERE name = 'deals'), 0), coalesce((SELECT max(id) FROM deals),"
	    " 0))";
	sqlite3_stmt *st;
	int rc;

	if (s->deal_seq_state == DEAL_SEQ_UNKNOWN) {
		st = store__stmt(s, sql, err);
		if (!st)
			return DW_EIO;
		rc = sqlite3_step(st);
		s->deal_seq = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return store__fail(s, err, "cannot store deal");
	}
	*out = ++s->deal_seq;
	s->deal_seq_state = DEAL_SEQ_CHANGED;
	return DW_OK;
}

int
store__deal_seq_save(struct store *s, struct buf *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO counters(name, value) VALUES ('deals', ?)";
	sqlite3_stmt *st;

	if (s->deal_seq_state != DEAL_SEQ_CHANGED)
		return DW_OK;
	st = store__stmt(s, sql, err);
	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, s->deal_seq);
	if (store__step_done(s, st, err, "cannot store deal") != DW_OK)
		return DW_EIO;
	s->deal_seq_state = DEAL_SEQ_READ;
	return DW_OK;
}

void
store__deal_seq_stale(struct store *s)
{
	s->deal_seq_state = DEAL_SEQ_UNKNOWN;
}

static int
new_deal(struct store *s, const struct mention *m, int64_t *out,
    struct buf *err)
{
	static const char sql[] = "INSERT INTO deals(id, gkey, type, updated,"
	                          " gh) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int64_t gh = store__gkey_hash(m->gkey), id;
	char now[21];
	int rc;

	if (!st)
		return DW_EIO;
	rc = store__deal_id(s, &id, err);
	if (rc != DW_OK)
		return rc;
	store__now(now);
	sqlite3_bind_int64(st, 1, id);
	store__bind_text(st, 2, m->gkey);
	sqlite3_bind_int(st, 3, m->type);
	store__bind_text(st, 4, now);
	sqlite3_bind_int64(st, 5, gh);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store__fail(s, err, "cannot store deal");
	store__group_add(s, gh);
	*out = id;
	return DW_OK;
}

/*
 * A rejected deal of the group that has lost all its mentions (a rule
 * change no longer found it) still stands: a new cluster it fits takes
 * its id, and so stays rejected rather than coming back.
 */
static int
rejected_orphan(struct store *s, const char *gkey, const struct cluster *c,
    const struct mention *v, const struct cluster *cl, size_t ncl, int64_t *out,
    struct arena *a, struct buf *err)
{
	static const char sql[] =
	    "SELECT id, type, status, date, first_published, amount,"
	    " amount_low, amount_high, amount_currency, amount_qualifier"
	    " FROM deals d WHERE gh = ?2 AND gkey = ?1 AND rejected = 1 AND"
	    " NOT EXISTS"
	    " (SELECT 1 FROM mentions m WHERE m.deal_id = d.id) ORDER BY id";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc = SQLITE_DONE;

	*out = 0;
	if (!st)
		return DW_EIO;
	store__bind_text(st, 1, gkey);
	sqlite3_bind_int64(st, 2, store__gkey_hash(gkey));
	while (!*out && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct mention d;
		int ok = 1;

		memset(&d, 0, sizeof(d));
		d.id = sqlite3_column_int64(st, 0);
		d.type = sqlite3_column_int(st, 1);
		d.status = sqlite3_column_int(st, 2);
		d.date = store__col_text(st, 3, a);
		d.published = store__col_text(st, 4, a);
		store__col_amount(st, 5, &d.has_amount, &d.amount);
		store__mention_dates(&d);
		for (size_t i = 0; i < c->n && ok; i++)
			ok = store__compatible(&d, &v[c->members[i]]);
		if (ok && !taken(cl, ncl, d.id))
			*out = d.id;
	}
	sqlite3_reset(st);
	/* a failed read is an error, not "no such deal": the caller would
	 * make a new deal of what the user rejected */
	if (!*out && rc != SQLITE_DONE)
		return store__fail(s, err, "cannot read rejected deals");
	return DW_OK;
}

int
store__recluster(struct store *s, const char *gkey, struct merge_ctx *ctx,
    struct buf *err)
{
	static const char q_group[] =
	    "SELECT " MENTION_COLS " WHERE m.gh = ?2 AND m.gkey = ?1";
	static const char q_set[] =
	    "UPDATE mentions SET deal_id = ? WHERE id = ?";
	static const char q_deals[] =
	    "SELECT id FROM deals WHERE gh = ?2 AND gkey = ?1 AND"
	    " rejected = 1 AND merged_into IS NULL";
	struct arena a;
	struct mention *v = NULL;
	struct cluster *cl = NULL;
	size_t n = 0, ncl = 0;
	sqlite3_stmt *st;
	int64_t gh;
	int rc;

	arena_init(&a, (size_t)256 << 20);
	gh = store__gkey_hash(gkey);
	st = store__stmt(s, q_group, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	store__bind_text(st, 1, gkey);
	sqlite3_bind_int64(st, 2, gh);
	rc = load_mentions(&v, &n, s, st, &a, err);
	if (rc != DW_OK)
		goto out;
	/* Deals of the group that may lose their mentions: those of its
	 * mentions (touched below) and its rejected ones, which may have
	 * none (any other deal of the group has some, or is kept without
	 * them and stays as it is: schema_v7). */
	st = store__stmt(s, q_deals, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	store__bind_text(st, 1, gkey);
	sqlite3_bind_int64(st, 2, gh);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		touch(ctx, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = store__fail(s, err, "cannot read deals");
		goto out;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_canon);
	cl = xcalloc(n + 1, sizeof(*cl));
	/* Clusters `deal merge` pinned come first, by deal id. */
	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (!v[i].pin)
			continue;
		for (k = 0; k < ncl && cl[k].pin != v[i].pin; k++)
			;
		if (k == ncl)
			cl[ncl++].pin = v[i].pin;
		cluster_add(&cl[k], i);
	}
	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (v[i].pin)
			continue;
		for (k = 0; k < ncl && !fits(&cl[k], v, i); k++)
			;
		if (k == ncl)
			ncl++;
		cluster_add(&cl[k], i);
	}
	for (size_t k = 0; k < ncl; k++) {
		if (cl[k].pin)
			cl[k].id = cl[k].pin;
		else
			cl[k].id = majority_id(&cl[k], v, cl, k);
	}
	for (size_t k = 0; k < ncl; k++) {
		if (!cl[k].id) {
			rc = rejected_orphan(s, gkey, &cl[k], v, cl, ncl,
			    &cl[k].id, &a, err);
			if (rc != DW_OK)
				goto out;
		}
		if (!cl[k].id) {
			rc = new_deal(s, &v[cl[k].members[0]], &cl[k].id, err);
			if (rc != DW_OK)
				goto out;
			ctx->created++;
		}
		touch(ctx, cl[k].id);
		for (size_t i = 0; i < cl[k].n; i++) {
			struct mention *m = &v[cl[k].members[i]];

			if (m->deal_id == cl[k].id)
				continue;
			touch(ctx, m->deal_id);
			st = store__stmt(s, q_set, err);
			if (!st) {
				rc = DW_EIO;
				goto out;
			}
			sqlite3_bind_int64(st, 1, cl[k].id);
			sqlite3_bind_int64(st, 2, m->id);
			if (sqlite3_step(st) != SQLITE_DONE) {
				rc =
				    store__fail(s, err, "cannot store mention");
				goto out;
			}
		}
	}
	rc = DW_OK;
out:
	for (size_t k = 0; k < ncl; k++)
		free(cl[k].members);
	free(cl);
	arena_release(&a);
	return rc;
}

/*
 * Figures: the value most sources give; ties go to the most specific,
 * then the earliest published.
 */
static int
specificity(int q)
{
	switch (q) {
	case Q_EXACT:
		return 4;
	case Q_RANGE:
		return 3;
	case Q_ABOUT:
		return 2;
	default:
		return 1;
	}
}

enum figure { FIG_AMOUNT, FIG_VALUATION, FIG_STAKE, FIG_DATE };

static int
has_fig(const struct mention *m, int f)
{
	switch (f) {
	case FIG_AMOUNT:
		return m->has_amount;
	case FIG_VALUATION:
		return m->has_valuation;
	case FIG_STAKE:
		return m->has_stake;
	default:
		return m->date != NULL;
	}
}

static int
fig_specificity(const struct mention *m, int f)
{
	switch (f) {
	case FIG_AMOUNT:
		return specificity(m->amount.qualifier);
	case FIG_VALUATION:
		return specificity(m->valuation.qualifier);
	case FIG_DATE:
		return (int)strlen(m->date);
	default:
		return 0;
	}
}

/* Order of figures, so that equal ones sit together. */
static int
cmp_fig(const struct mention *a, const struct mention *b, int f)
{
	const struct amount *x = NULL, *y = NULL;
	int c;

	switch (f) {
	case FIG_AMOUNT:
		x = &a->amount;
		y = &b->amount;
		break;
	case FIG_VALUATION:
		x = &a->valuation;
		y = &b->valuation;
		break;
	case FIG_STAKE:
		return cmp_num(a->stake, b->stake);
	default:
		return strcmp(a->date, b->date);
	}
	c = strcmp(x->currency, y->currency);
	if (c == 0)
		c = cmp_num(x->value, y->value);
	if (c == 0)
		c = cmp_num(x->low, y->low);
	if (c == 0)
		c = cmp_num(x->high, y->high);
	if (c == 0)
		c = x->qualifier - y->qualifier;
	return c;
}

struct fig_sort {
	const struct mention *v;
	int f;
};

static _Thread_local struct fig_sort fig_sort_ctx; /* qsort has no argument */

static int
cmp_fig_idx(const void *x, const void *y)
{
	const struct mention *a = &fig_sort_ctx.v[*(const size_t *)x];
	const struct mention *b = &fig_sort_ctx.v[*(const size_t *)y];
	int c = cmp_fig(a, b, fig_sort_ctx.f);

	if (c)
		return c;
	if (a->article_id != b->article_id)
		return a->article_id < b->article_id ? -1 : 1;
	return cmp_canon(a, b);
}

/*
 * The mention whose figure the deal shows, or -1: the figure the most
 * articles give, ties to the most specific, then the earliest published.
 * only_status: when not 0, look at mentions of that status first.
 */
static long
pick(const struct mention *v, size_t n, int f, int only_status)
{
	size_t *idx;
	long best = -1;
	size_t best_votes = 0;

	/* One mention (a new deal's): its figure, whatever its status. */
	if (n == 1)
		return has_fig(&v[0], f) ? 0 : -1;
	idx = xcalloc(n + 1, sizeof(*idx));

	for (int pass = 0; pass < 2 && best < 0; pass++) {
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			if (has_fig(&v[i], f) &&
			    (pass || !only_status ||
			        v[i].status == only_status))
				idx[m++] = i;
		fig_sort_ctx.v = v;
		fig_sort_ctx.f = f;
		qsort(idx, m, sizeof(*idx), cmp_fig_idx);
		for (size_t i = 0; i < m;) {
			size_t j = i, votes = 0;
			long rep = (long)idx[i];
			int c;

			/* One run of equal figures; articles counted once. */
			for (; j < m && cmp_fig(&v[idx[j]], &v[idx[i]], f) == 0;
			     j++) {
				if (j == i ||
				    v[idx[j]].article_id !=
				        v[idx[j - 1]].article_id)
					votes++;
				/* Its text: the earliest report's, by content. */
				c = cmp_str(v[idx[j]].published,
				    v[rep].published);
				if (c == 0)
					c = cmp_canon(&v[idx[j]], &v[rep]);
				if (c < 0)
					rep = (long)idx[j];
			}
			if (best < 0 || votes > best_votes) {
				best = rep;
				best_votes = votes;
			} else if (votes == best_votes) {
				c = fig_specificity(&v[rep], f) -
				    fig_specificity(&v[best], f);

				if (c == 0)
					c = -cmp_str(v[rep].published,
					    v[best].published);
				if (c == 0)
					c = -cmp_canon(&v[rep], &v[best]);
				if (c > 0)
					best = rep;
			}
			i = j;
		}
		if (!only_status)
			break;
	}
	free(idx);
	return best;
}

static void
bind_amount(struct binds *b, int i, const struct mention *m, int val)
{
	store__b_figures(b, i, val ? &m->valuation : &m->amount);
	store__b_cstr(b, i + 5, val ? m->valuation_text : m->amount_text);
}

struct gkey_info {
	char *gkey;
	int type;
	int named; /* its names are in deal_names (parties written) */
};

static int
deal_row(struct store *s, int64_t id, struct gkey_info *out, int *rejected,
    struct buf *err)
{
	static const char sql[] = "SELECT gkey, type, rejected, parties != '' "
	                          "FROM deals WHERE id = ?";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc;

	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->gkey = xstrdup((const char *)sqlite3_column_text(st, 0));
		out->type = sqlite3_column_int(st, 1);
		*rejected = sqlite3_column_int(st, 2);
		out->named = sqlite3_column_int(st, 3);
		sqlite3_reset(st);
		return DW_OK;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return DW_ENOTFOUND;
	return store__fail(s, err, "cannot read deal");
}

/*
 * The names a deal is found by (deal_names): the numbers of the folded
 * party names of its group key gkey, added or (drop) deleted.
 */
static int
write_names(struct store *s, int64_t id, const char *gkey, int drop,
    struct buf *err)
{
	static const char del[] =
	    "DELETE FROM deal_names WHERE nh = ? AND deal_id = ?";
	const char *key, *p = gkey;
	size_t n;
	/* Added names wait to be written many a statement (pend.c); those
	 * waiting go first when names are deleted. */
	int rc = drop ? store__pend_flush(s, err) : DW_OK;

	while (rc == DW_OK && (p = store__gkey_next(p, &key, &n)) != NULL) {
		sqlite3_stmt *st;

		if (!drop) {
			rc = store__pend_name(s, store__name_hash(key, n), id,
			    err);
			continue;
		}
		st = store__stmt(s, del, err);
		if (!st)
			return DW_EIO;
		sqlite3_bind_int64(st, 1, store__name_hash(key, n));
		sqlite3_bind_int64(st, 2, id);
		rc = store__step_done(s, st, err, "cannot store deal parties");
	}
	return rc;
}

int
store__deal_drop_rows(struct store *s, int64_t id, struct buf *err)
{
	static const char q_key[] = "SELECT gkey FROM deals WHERE id = ?";
	static const char q_clear[] =
	    "UPDATE deals SET parties = '', history = '' WHERE id = ?";
	sqlite3_stmt *st = store__stmt(s, q_key, err);
	char *gkey = NULL;
	int rc;

	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		gkey = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	rc = gkey ? write_names(s, id, gkey, 1, err) : DW_OK;
	free(gkey);
	st = rc == DW_OK ? store__stmt(s, q_clear, err) : NULL;
	if (rc == DW_OK && !st)
		rc = DW_EIO;
	if (rc == DW_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = store__step_done(s, st, err, "cannot remove deal");
	}
	return rc;
}

/* History as "status=date;" (deals.history), at most this long. */
#define HISTORY_MAX ((ST_TERMINATED - ST_TALKS + 1) * (STORE_INT_MAX + 10 + 2))

/* History as "status=date;" into out (HISTORY_MAX bytes); its length. */
static size_t
history_of(char *out, const struct mention *v, size_t n)
{
	size_t o = 0;

	for (int status = ST_TALKS; status <= ST_TERMINATED; status++) {
		const char *first = NULL;
		int seen = 0;

		for (size_t i = 0; i < n; i++) {
			if (v[i].status != status)
				continue;
			seen = 1;
			if (v[i].published &&
			    (!first || strcmp(v[i].published, first) < 0))
				first = v[i].published;
		}
		if (!seen)
			continue;
		o += store__put_int(out + o, status);
		out[o++] = '=';
		if (first) {
			size_t len = strnlen(first, 10);

			memcpy(out + o, first, len);
			o += len;
		}
		out[o++] = ';';
	}
	return o;
}

/* The furthest status reached; a tie of completed and terminated goes to
 * the later report. */
static int
furthest(const struct mention *v, size_t n)
{
	long best = -1;

	for (size_t i = 0; i < n; i++) {
		int c;

		if (!v[i].status)
			continue;
		if (best < 0) {
			best = (long)i;
			continue;
		}
		c = stage(v[i].status) - stage(v[best].status);
		if (c == 0)
			c = cmp_str(v[i].published, v[best].published);
		if (c == 0)
			c = v[i].status - v[best].status;
		if (c > 0)
			best = (long)i;
	}
	return best < 0 ? 0 : v[best].status;
}

/*
 * Write a deal from its mentions v (sorted canonically). *id 0 inserts
 * a new deal and sets *id. own_gkey: the deal's group, whose first
 * mention gives type and parties; NULL for the first mention's. named:
 * the stored row's names are in deal_names already.
 */
static int
deal_write(struct store *s, int64_t *id, const char *own_gkey,
    const struct mention *v, size_t n, int64_t sources,
    const char *first_published, int named, struct buf *err)
{
	static const char q_upd[] =
	    "UPDATE deals SET gkey = ?2, type = ?3, status = ?4, date = ?5,"
	    " date_text = ?6, amount = ?7, amount_low = ?8, amount_high = ?9,"
	    " amount_currency = ?10, amount_qualifier = ?11, amount_text = ?12,"
	    " stake = ?13, stake_text = ?14, valuation = ?15,"
	    " valuation_low = ?16, valuation_high = ?17,"
	    " valuation_currency = ?18, valuation_qualifier = ?19,"
	    " valuation_text = ?20, sources = ?21, first_published = ?22,"
	    " updated = ?23, parties = ?24, history = ?25, gh = ?26"
	    " WHERE id = ?1";
	static const char q_ins[] =
	    "INSERT INTO deals(id, gkey, type, status, date, date_text, amount,"
	    " amount_low, amount_high, amount_currency, amount_qualifier,"
	    " amount_text, stake, stake_text, valuation, valuation_low,"
	    " valuation_high, valuation_currency, valuation_qualifier,"
	    " valuation_text, sources, first_published, updated, parties,"
	    " history, gh) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
	    " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
	    " ?24, ?25, ?26)";
	const struct mention *rep = NULL;
	char history[HISTORY_MAX];
	struct binds b;
	int fresh = *id == 0, status, rc;
	sqlite3_stmt *st;
	int64_t gh;
	char now[21];
	long f;

	for (size_t i = 0; own_gkey && i < n && !rep; i++)
		if (strcmp(v[i].gkey, own_gkey) == 0)
			rep = &v[i];
	if (!rep)
		rep = &v[0];
	status = furthest(v, n);
	st = store__stmt_binds(s, fresh ? q_ins : q_upd, &b, err);
	if (!st)
		return DW_EIO;
	if (fresh) {
		rc = store__deal_id(s, id, err);
		if (rc != DW_OK)
			return rc;
	}
	store__b_int64(&b, 1, *id);
	store__b_cstr(&b, 2, rep->gkey);
	store__b_int64(&b, 3, rep->type);
	if (status)
		store__b_int64(&b, 4, status);
	f = pick(v, n, FIG_DATE, status);
	if (f >= 0) {
		store__b_cstr(&b, 5, v[f].date);
		store__b_cstr(&b, 6, v[f].date_text);
	}
	f = pick(v, n, FIG_AMOUNT, 0);
	if (f >= 0)
		bind_amount(&b, 7, &v[f], 0);
	f = pick(v, n, FIG_STAKE, 0);
	if (f >= 0) {
		store__b_double(&b, 13, v[f].stake);
		store__b_cstr(&b, 14, v[f].stake_text);
	}
	f = pick(v, n, FIG_VALUATION, 0);
	if (f >= 0)
		bind_amount(&b, 15, &v[f], 1);
	store__b_int64(&b, 21, sources);
	store__b_cstr(&b, 22, first_published);
	store__now(now);
	store__b_cstr(&b, 23, now);
	store__b_cstr(&b, 24, rep->parties);
	gh = rep->gh ? rep->gh : store__gkey_hash(rep->gkey);
	store__b_int64(&b, 26, gh);
	store__b_text(&b, 25, history, history_of(history, v, n));
	store__binds_end(&b);
	rc = store__step_done(s, st, err, "cannot store deal");
	if (rc != DW_OK) {
		if (fresh)
			*id = 0;
		return rc;
	}
	store__group_add(s, gh);
	if (fresh)
		return write_names(s, *id, rep->gkey, 0, err);
	/* The names follow the group key; unchanged, they stay. A deal
	 * made empty (new_deal) or cleared has none yet. */
	if (named && own_gkey && strcmp(own_gkey, rep->gkey) == 0)
		return DW_OK;
	if (named && own_gkey)
		rc = write_names(s, *id, own_gkey, 1, err);
	if (rc == DW_OK)
		rc = write_names(s, *id, rep->gkey, 0, err);
	return rc;
}

int
store__deal_create(struct store *s, const struct mention *m, int64_t *id,
    struct buf *err)
{
	struct arena_mark mark = arena_mark(&s->scratch);
	int rc;

	*id = 0;
	rc = deal_write(s, id, NULL, m, 1, 1, m->published, 0, err);
	arena_rewind(&s->scratch, mark);
	return rc;
}

void
store__mention_dates(struct mention *m)
{
	const char *eff = m->date ? m->date : m->published;

	m->eff_known = 0;
	if (eff) {
		char d[11];
		size_t n = strlen(eff);

		memcpy(d, eff, MIN(n, 10u));
		d[MIN(n, 10u)] = '\0';
		m->eff_known =
		    store__date_range(d, &m->eff_lo, &m->eff_hi) == DW_OK;
	}
}

int
store__deal_refresh(struct store *s, int64_t id, struct buf *err)
{
	static const char q_deal[] =
	    "SELECT " MENTION_COLS " WHERE m.deal_id = ?";
	static const char q_src[] =
	    "SELECT COUNT(*), MIN(published) FROM articles WHERE id IN"
	    " (SELECT article_id FROM mentions WHERE deal_id = ?1) OR"
	    " copy_of IN (SELECT article_id FROM mentions WHERE deal_id = ?1)";
	/* Nor while a mention is pinned to it (foreign keys are not
	 * enforced: see store_open). */
	static const char q_del[] =
	    "DELETE FROM deals WHERE id = ? AND rejected = 0"
	    " AND merged_into IS NULL AND NOT EXISTS"
	    " (SELECT 1 FROM deals d2 WHERE d2.merged_into = deals.id)"
	    " AND NOT EXISTS (SELECT 1 FROM mentions WHERE pin = deals.id)";
	struct gkey_info gi = { NULL, 0, 0 };
	struct arena a;
	struct mention *v = NULL;
	size_t n = 0;
	sqlite3_stmt *st;
	int rejected = 0, rc;
	int64_t sources = 0;
	char *first = NULL;

	arena_init(&a, (size_t)256 << 20);
	rc = deal_row(s, id, &gi, &rejected, err);
	if (rc == DW_ENOTFOUND) {
		rc = DW_OK;
		goto out;
	}
	if (rc != DW_OK)
		goto out;
	st = store__stmt(s, q_deal, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = load_mentions(&v, &n, s, st, &a, err);
	if (rc != DW_OK)
		goto out;
	if (n == 0) {
		/*
		 * No mention left: the deal is gone, unless it was rejected
		 * (the rejection must outlive it) or others were merged into it.
		 */
		st = store__stmt(s, q_del, err);
		if (!st) {
			rc = DW_EIO;
			goto out;
		}
		sqlite3_bind_int64(st, 1, id);
		rc = store__step_done(s, st, err, "cannot remove deal");
		if (rc == DW_OK && sqlite3_changes(s->db) > 0)
			rc = write_names(s, id, gi.gkey, 1, err);
		goto out;
	}
	qsort(v, n, sizeof(*v), cmp_canon);
	st = store__stmt(s, q_src, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		rc = store__fail(s, err, "cannot count sources");
		goto out;
	}
	sources = sqlite3_column_int64(st, 0);
	first = store__col_text(st, 1, &a);
	sqlite3_reset(st);
	rc = deal_write(s, &id, gi.gkey, v, n, sources, first, gi.named, err);
out:
	free(gi.gkey);
	arena_release(&a);
	return rc;
}

int
store__merge_finish(struct store *s, struct merge_ctx *ctx, struct buf *err)
{
	int rc = DW_OK;

	for (size_t i = 0; i < ctx->ntouched && rc == DW_OK; i++)
		rc = store__deal_refresh(s, ctx->touched[i], err);
	free(ctx->touched);
	ctx->touched = NULL;
	ctx->ntouched = ctx->cap = 0;
	return rc;
}
