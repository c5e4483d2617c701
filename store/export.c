/*
 * export.c: stored deals out: the table `deals` prints, CSV (RFC 4180,
 * spreadsheet-safe), JSON and JSONL as CONTRACT.md shapes them, DOT, and
 * `show`. Reads only; curation and merging live elsewhere.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#define DEAL_COLS                                                              \
	"d.id, d.type, d.status, d.date, d.date_text, d.amount,"               \
	" d.amount_low, d.amount_high, d.amount_currency,"                     \
	" d.amount_qualifier, d.amount_text, d.stake, d.stake_text,"           \
	" d.valuation, d.valuation_low, d.valuation_high,"                     \
	" d.valuation_currency, d.valuation_qualifier, d.valuation_text,"      \
	" d.sources, d.first_published, d.rejected, d.merged_into, d.parties"

static void
read_xdeal(struct xdeal *x, sqlite3_stmt *st, struct arena *a)
{
	memset(x, 0, sizeof(*x));
	x->id = sqlite3_column_int64(st, 0);
	x->type = sqlite3_column_int(st, 1);
	x->status = sqlite3_column_int(st, 2);
	x->date = store__col_text(st, 3, a);
	x->date_text = store__col_text(st, 4, a);
	store__col_amount(st, 5, &x->has_amount, &x->amount);
	x->amount_text = store__col_text(st, 10, a);
	x->has_stake = sqlite3_column_type(st, 11) != SQLITE_NULL;
	x->stake = sqlite3_column_double(st, 11);
	x->stake_text = store__col_text(st, 12, a);
	store__col_amount(st, 13, &x->has_valuation, &x->valuation);
	x->valuation_text = store__col_text(st, 18, a);
	x->sources = sqlite3_column_int64(st, 19);
	x->first_published = store__col_text(st, 20, a);
	x->rejected = sqlite3_column_int(st, 21);
	x->merged_into = sqlite3_column_int64(st, 22);
	/* Parties as stored (store__parties_encode); none when malformed. */
	{
		const char *enc = (const char *)sqlite3_column_text(st, 23);
		struct deal d;

		memset(&d, 0, sizeof(d));
		if (enc && store__parties_decode(&d, enc, a) == DW_OK) {
			for (size_t i = 0; i < d.nparties; i++)
				x->parties[i] = d.parties[i];
			x->nparties = d.nparties;
		}
	}
}

int64_t
store_deal_last_id(struct store *s)
{
	/* The high-water mark (store__deal_id): also counts deals since
	 * removed. */
	static const char sql[] =
	    "SELECT max(coalesce((SELECT value FROM counters"
	    " WHERE name = 'deals'), 0), coalesce((SELECT max(id) FROM deals),"
	    " 0))";
	sqlite3_stmt *st;
	int64_t id = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

/* The listing query for a filter; dates are filtered afterwards. */
static void
listing_sql(struct buf *b, const struct deal_filter *f)
{
	buf_adds(b,
	    "SELECT " DEAL_COLS " FROM deals d"
	    " WHERE d.rejected = 0 AND d.merged_into IS NULL");
	if (f && f->party)
		buf_adds(b,
		    " AND d.id IN (SELECT deal_id FROM deal_names"
		    " WHERE nh = ?1) AND instr(d.gkey, ?6) > 0");
	if (f && f->type)
		buf_adds(b, " AND d.type = ?2");
	if (f && f->status)
		buf_adds(b, " AND d.status = ?3");
	if (f && f->updated_since)
		buf_adds(b, " AND d.updated >= ?4");
	if (f && f->after_id)
		buf_adds(b, " AND d.id > ?5");
	buf_adds(b, " ORDER BY d.id");
}

static int
prepare_listing(struct store *s, sqlite3_stmt **out, const char *prefix,
    const struct deal_filter *f, struct buf *err)
{
	struct buf sql = BUF_INIT, key = BUF_INIT;
	int rc = DW_OK;

	buf_adds(&sql, prefix);
	listing_sql(&sql, f);
	if (sqlite3_prepare_v2(s->db, sql.data, -1, out, NULL) != SQLITE_OK) {
		rc = store__fail(s, err, "cannot query deals");
		goto out;
	}
	if (f && f->party) {
		/* The name's number, then the name itself in the deal's
		 * group key (as store__group_key writes it: ":len:key;"). */
		store__name_key(&key, f->party);
		sqlite3_bind_int64(*out, 1,
		    store__name_hash(key.data, key.len));
		buf_reset(&sql);
		buf_addch(&sql, ':');
		store__add_int(&sql, (int64_t)key.len);
		buf_addch(&sql, ':');
		buf_add(&sql, key.data, key.len);
		buf_addch(&sql, ';');
		store__bind_textn(*out, 6, sql.data, sql.len);
	}
	if (f && f->type)
		sqlite3_bind_int(*out, 2, f->type);
	if (f && f->status)
		sqlite3_bind_int(*out, 3, f->status);
	if (f && f->updated_since)
		store__bind_text(*out, 4, f->updated_since);
	if (f && f->after_id)
		sqlite3_bind_int64(*out, 5, f->after_id);
out:
	buf_release(&sql);
	buf_release(&key);
	return rc;
}

int
store_query_plan(struct store *s, const struct deal_filter *f, struct buf *out,
    struct buf *err)
{
	sqlite3_stmt *st = NULL;
	int rc = prepare_listing(s, &st, "EXPLAIN QUERY PLAN ", f, err);

	if (rc != DW_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		buf_addf(out, "%s\n", (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? DW_OK
	                         : store__fail(s, err, "cannot explain query");
}

/* The date a deal is placed at for --since/--until. */
static int
in_dates(const struct xdeal *x, const struct deal_filter *f)
{
	const char *d = x->date ? x->date : x->first_published;
	int64_t lo, hi, flo, fhi;
	char day[11];

	if (!f || (!f->since && !f->until))
		return 1;
	if (!d)
		return 0;
	memcpy(day, d, MIN(strlen(d), 10u));
	day[MIN(strlen(d), 10u)] = '\0';
	if (store__date_range(day, &lo, &hi) != DW_OK)
		return 0;
	if (f->since && store__date_range(f->since, &flo, &fhi) == DW_OK &&
	    hi < flo)
		return 0;
	if (f->until && store__date_range(f->until, &flo, &fhi) == DW_OK &&
	    lo > fhi)
		return 0;
	return 1;
}

int
store__load_deals(struct store *s, const struct deal_filter *f,
    struct xdeal **out, size_t *n, struct arena *a, struct buf *err)
{
	sqlite3_stmt *st = NULL;
	struct xdeal *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	/* Names still waiting to be written (pend.c) are listed too. */
	rc = store__pend_flush(s, err);
	if (rc == DW_OK)
		rc = prepare_listing(s, &st, "", f, err);
	if (rc != DW_OK)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			struct xdeal *nv;

			cap = cap ? cap * 2 : 64;
			nv = NEW(a, struct xdeal, cap);
			if (!nv) {
				sqlite3_finalize(st);
				buf_setf(err, "too many deals to list");
				return DW_ETOOBIG;
			}
			if (len)
				memcpy(nv, v, len * sizeof(*v));
			v = nv;
		}
		read_xdeal(&v[len], st, a);
		if (in_dates(&v[len], f))
			len++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store__fail(s, err, "cannot list deals");
	*out = v;
	*n = len;
	return DW_OK;
}

int
store__load_deal(struct store *s, int64_t id, struct xdeal *out,
    struct arena *a, struct buf *err)
{
	static const char sql[] = "SELECT " DEAL_COLS " FROM deals d"
	                          " WHERE d.id = ?";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc;

	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_xdeal(out, st, a);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		buf_setf(err, "no deal %lld in the database", (long long)id);
		return DW_ENOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return store__fail(s, err, "cannot read deal");
	return DW_OK;
}

/*
 * Sources: one per article that mentions the deal, and per syndicated
 * copy of such an article, with the evidence read from the original.
 */
int
store__load_sources(struct store *s, int64_t id, struct xsource **out,
    size_t *n, struct arena *a, struct buf *err)
{
	static const char sql[] =
	    "SELECT s.id, s.url, s.published, s.title, o.id, m.evidence,"
	    " m.status, m.amount, m.amount_low, m.amount_high,"
	    " m.amount_currency, m.amount_qualifier, m.amount_text,"
	    " m.stake, m.valuation, m.valuation_low, m.valuation_high,"
	    " m.valuation_currency, m.valuation_qualifier, m.date"
	    " FROM mentions m JOIN articles o ON o.id = m.article_id"
	    " JOIN articles s ON s.id = o.id OR s.copy_of = o.id"
	    " WHERE m.deal_id = ?"
	    " ORDER BY s.published IS NULL, s.published, s.canon_url, s.id,"
	    " m.seq";
	static const char ev_sql[] =
	    "SELECT substr(CAST(text AS BLOB), ?2 + 1, ?3 - ?2) FROM articles"
	    " WHERE id = ?1";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	struct xsource *v = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return DW_EIO;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t sid = sqlite3_column_int64(st, 0);
		const char *ev = (const char *)sqlite3_column_text(st, 5);
		struct xsource *x;

		if (len && v[len - 1].article_id == sid) {
			x = &v[len - 1];
		} else {
			if (len == cap) {
				struct xsource *nv;

				cap = cap ? cap * 2 : 8;
				nv = NEW(a, struct xsource, cap);
				if (!nv) {
					sqlite3_reset(st);
					buf_setf(err, "too many sources");
					return DW_ETOOBIG;
				}
				if (len)
					memcpy(nv, v, len * sizeof(*v));
				v = nv;
			}
			x = &v[len++];
			memset(x, 0, sizeof(*x));
			x->article_id = sid;
			x->url = store__col_text(st, 1, a);
			x->published = store__col_text(st, 2, a);
			x->title = store__col_text(st, 3, a);
			x->original_id = sqlite3_column_int64(st, 4);
			x->status = sqlite3_column_int(st, 6);
			store__col_amount(st, 7, &x->has_amount, &x->amount);
			x->amount_text = store__col_text(st, 12, a);
			x->has_stake =
			    sqlite3_column_type(st, 13) != SQLITE_NULL;
			x->stake = sqlite3_column_double(st, 13);
			store__col_amount(st, 14, &x->has_valuation,
			    &x->valuation);
			x->date = store__col_text(st, 19, a);
		}
		while (ev && *ev && x->nevidence < XSOURCE_MAX_EVIDENCE) {
			char *end;
			size_t b = strtoull(ev, &end, 10), e;

			if (*end != '-')
				break;
			e = strtoull(end + 1, &end, 10);
			x->evidence[x->nevidence].start = b;
			x->evidence[x->nevidence].end = e;
			x->nevidence++;
			ev = *end == ',' ? end + 1 : end;
			if (*end != ',')
				break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store__fail(s, err, "cannot read sources");
	for (size_t i = 0; i < len; i++) {
		for (size_t k = 0; k < v[i].nevidence; k++) {
			sqlite3_stmt *e = store__stmt(s, ev_sql, err);

			if (!e)
				return DW_EIO;
			sqlite3_bind_int64(e, 1, v[i].original_id);
			sqlite3_bind_int64(e, 2,
			    (int64_t)v[i].evidence[k].start);
			sqlite3_bind_int64(e, 3, (int64_t)v[i].evidence[k].end);
			if (sqlite3_step(e) == SQLITE_ROW)
				v[i].evidence_text[k] =
				    arena_strndup(a, sqlite3_column_blob(e, 0),
				        (size_t)sqlite3_column_bytes(e, 0));
			sqlite3_reset(e);
		}
	}
	*out = v;
	*n = len;
	return DW_OK;
}

int
store__load_history(struct store *s, int64_t id, struct xhistory **out,
    size_t *n, struct arena *a, struct buf *err)
{
	static const char sql[] = "SELECT history FROM deals WHERE id = ?";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	struct xhistory *v;
	const char *p;
	size_t len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return DW_EIO;
	v = NEW(a, struct xhistory, 8);
	if (!v) {
		buf_setf(err, "out of memory for history");
		return DW_ETOOBIG;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	/* "status=date;" by status, the date empty when unknown. */
	p = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	while (p && *p && len < 8) {
		const char *eq = strchr(p, '='), *semi = strchr(p, ';');

		if (!eq || !semi || semi < eq)
			break;
		v[len].status = (int)strtol(p, NULL, 10);
		v[len].date = semi > eq + 1
		    ? arena_strndup(a, eq + 1, (size_t)(semi - eq - 1))
		    : NULL;
		len++;
		p = semi + 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store__fail(s, err, "cannot read history");
	*out = v;
	*n = len;
	return DW_OK;
}

/*
 * Writers.
 */
void
store__amount_human(struct buf *b, const struct amount *m)
{
	static const char *const q[] = { "", "up to ", "over ", "about ", "" };
	double v = m->value;

	if (m->qualifier == Q_RANGE) {
		if (m->low >= 1e9)
			buf_addf(b, "%.4g-", m->low / 1e9);
		else if (m->low >= 1e6)
			buf_addf(b, "%.4g-", m->low / 1e6);
		else
			buf_addf(b, "%.0f-", m->low);
	} else if (m->qualifier >= 0 && m->qualifier < (int)countof(q)) {
		buf_adds(b, q[m->qualifier]);
	}
	if (v >= 1e9)
		buf_addf(b, "%.4g bn %s", v / 1e9, m->currency);
	else if (v >= 1e6)
		buf_addf(b, "%.4g m %s", v / 1e6, m->currency);
	else
		buf_addf(b, "%.0f %s", v, m->currency);
}

static void
amount_json(struct buf *b, const struct amount *m, const char *text)
{
	buf_adds(b, "{\"value\": ");
	buf_json_num(b, m->value);
	buf_adds(b, ", \"currency\": ");
	buf_json_str(b, m->currency);
	buf_adds(b, ", \"qualifier\": ");
	buf_json_str(b, qualifier_name(m->qualifier));
	if (m->qualifier == Q_RANGE) {
		buf_adds(b, ", \"low\": ");
		buf_json_num(b, m->low);
		buf_adds(b, ", \"high\": ");
		buf_json_num(b, m->high);
	}
	if (text) {
		buf_adds(b, ", \"text\": ");
		buf_json_str(b, text);
	}
	buf_addch(b, '}');
}

static void
deal_json(struct buf *b, const struct xdeal *x, const struct xsource *src,
    size_t nsrc, const struct xhistory *h, size_t nh)
{
	buf_addf(b, "{\"id\": %lld, \"type\": ", (long long)x->id);
	buf_json_str(b, deal_type_name(x->type));
	buf_adds(b, ", \"parties\": [");
	for (size_t i = 0; i < x->nparties; i++) {
		buf_adds(b, i ? ", {\"role\": " : "{\"role\": ");
		buf_json_str(b, party_role_name(x->parties[i].role));
		buf_adds(b, ", \"name\": ");
		buf_json_str(b, x->parties[i].name);
		buf_addch(b, '}');
	}
	buf_addch(b, ']');
	if (x->has_amount) {
		buf_adds(b, ", \"amount\": ");
		amount_json(b, &x->amount, x->amount_text);
	}
	if (x->has_stake) {
		buf_adds(b, ", \"stake\": {\"percent\": ");
		buf_json_num(b, x->stake);
		if (x->stake_text) {
			buf_adds(b, ", \"text\": ");
			buf_json_str(b, x->stake_text);
		}
		buf_addch(b, '}');
	}
	if (x->has_valuation) {
		buf_adds(b, ", \"valuation\": ");
		amount_json(b, &x->valuation, x->valuation_text);
	}
	if (x->status) {
		buf_adds(b, ", \"status\": ");
		buf_json_str(b, deal_status_name(x->status));
	}
	if (x->date) {
		buf_adds(b, ", \"date\": {\"value\": ");
		buf_json_str(b, x->date);
		if (x->date_text) {
			buf_adds(b, ", \"text\": ");
			buf_json_str(b, x->date_text);
		}
		buf_addch(b, '}');
	}
	buf_adds(b, ", \"sources\": [");
	for (size_t i = 0; i < nsrc; i++) {
		const struct xsource *s = &src[i];

		buf_adds(b, i ? ", {\"url\": " : "{\"url\": ");
		buf_json_str(b, s->url);
		buf_adds(b, ", \"title\": ");
		buf_json_str(b, s->title);
		buf_adds(b, ", \"published\": ");
		buf_json_str(b, s->published);
		if (s->status) {
			buf_adds(b, ", \"status\": ");
			buf_json_str(b, deal_status_name(s->status));
		}
		if (s->has_amount) {
			buf_adds(b, ", \"amount\": ");
			amount_json(b, &s->amount, s->amount_text);
		}
		if (s->has_stake) {
			buf_adds(b, ", \"stake\": {\"percent\": ");
			buf_json_num(b, s->stake);
			buf_addch(b, '}');
		}
		if (s->has_valuation) {
			buf_adds(b, ", \"valuation\": ");
			amount_json(b, &s->valuation, NULL);
		}
		if (s->date) {
			buf_adds(b, ", \"date\": ");
			buf_json_str(b, s->date);
		}
		buf_adds(b, ", \"evidence\": [");
		for (size_t k = 0; k < s->nevidence; k++) {
			buf_addf(b,
			    "%s{\"start\": %zu, \"end\": %zu, \"text\": ",
			    k ? ", " : "", s->evidence[k].start,
			    s->evidence[k].end);
			buf_json_str(b, s->evidence_text[k]);
			buf_addch(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "], \"history\": [");
	for (size_t i = 0; i < nh; i++) {
		buf_adds(b, i ? ", {\"status\": " : "{\"status\": ");
		buf_json_str(b, deal_status_name(h[i].status));
		buf_adds(b, ", \"date\": ");
		buf_json_str(b, h[i].date);
		buf_addch(b, '}');
	}
	buf_adds(b, "]}");
}

/*
 * CSV: RFC 4180 (quoted when needed, "" inside quotes, CRLF), and a text
 * cell that begins with = + - @ tab or CR gets a leading ' so that a
 * spreadsheet shows it instead of evaluating it.
 */
static void
csv_text(struct buf *b, const char *s)
{
	int quote;

	if (!s)
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
	    (s[0] && s[strlen(s) - 1] == ' ');
	if (quote)
		buf_addch(b, '"');
	if (strchr("=+-@\t\r", s[0]) && s[0])
		buf_addch(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_addch(b, '"');
		buf_addch(b, *p);
	}
	if (quote)
		buf_addch(b, '"');
}

static void
csv_num(struct buf *b, int has, double v)
{
	if (has)
		buf_json_num(b, v);
}

static const char csv_header[] =
    "id,type,status,date,from_role,from,to_role,to,other_parties,amount,"
    "currency,amount_qualifier,amount_low,amount_high,stake_pct,valuation,"
    "valuation_currency,valuation_qualifier,sources,first_published,"
    "first_url\r\n";

static void
deal_csv(struct buf *b, const struct xdeal *x, const char *first_url)
{
	struct buf other = BUF_INIT;

	buf_addf(b, "%lld,", (long long)x->id);
	csv_text(b, deal_type_name(x->type));
	buf_addch(b, ',');
	if (x->status)
		csv_text(b, deal_status_name(x->status));
	buf_addch(b, ',');
	csv_text(b, x->date);
	for (size_t i = 0; i < 2; i++) {
		buf_addch(b, ',');
		if (i < x->nparties)
			csv_text(b, party_role_name(x->parties[i].role));
		buf_addch(b, ',');
		if (i < x->nparties)
			csv_text(b, x->parties[i].name);
	}
	for (size_t i = 2; i < x->nparties; i++)
		buf_addf(&other, "%s%s=%s", i > 2 ? "; " : "",
		    party_role_name(x->parties[i].role), x->parties[i].name);
	buf_addch(b, ',');
	csv_text(b, other.len ? other.data : NULL);
	buf_addch(b, ',');
	csv_num(b, x->has_amount, x->amount.value);
	buf_addch(b, ',');
	if (x->has_amount) {
		csv_text(b, x->amount.currency);
		buf_addch(b, ',');
		csv_text(b, qualifier_name(x->amount.qualifier));
	} else {
		buf_addch(b, ',');
	}
	buf_addch(b, ',');
	csv_num(b, x->has_amount && x->amount.qualifier == Q_RANGE,
	    x->amount.low);
	buf_addch(b, ',');
	csv_num(b, x->has_amount && x->amount.qualifier == Q_RANGE,
	    x->amount.high);
	buf_addch(b, ',');
	csv_num(b, x->has_stake, x->stake);
	buf_addch(b, ',');
	csv_num(b, x->has_valuation, x->valuation.value);
	buf_addch(b, ',');
	if (x->has_valuation) {
		csv_text(b, x->valuation.currency);
		buf_addch(b, ',');
		csv_text(b, qualifier_name(x->valuation.qualifier));
	} else {
		buf_addch(b, ',');
	}
	buf_addf(b, ",%lld,", (long long)x->sources);
	csv_text(b, x->first_published);
	buf_addch(b, ',');
	csv_text(b, first_url);
	buf_adds(b, "\r\n");
	buf_release(&other);
}

static void
parties_human(struct buf *b, const struct xdeal *x)
{
	for (size_t k = 0; k < x->nparties; k++) {
		if (k)
			buf_adds(b,
			    x->type == DEAL_MERGER ||
			            x->type == DEAL_PARTNERSHIP
			        ? " + "
			        : " -> ");
		buf_adds(b, x->parties[k].name);
	}
}

static void
deal_row(struct buf *b, const struct xdeal *x)
{
	struct buf p = BUF_INIT, am = BUF_INIT;

	parties_human(&p, x);
	if (x->has_amount)
		store__amount_human(&am, &x->amount);
	else if (x->has_stake)
		buf_addf(&am, "%g%% stake", x->stake);
	buf_addf(b, "%-6lld %-12s %-36s %-22s %-10s %-10s %lld\n",
	    (long long)x->id, deal_type_name(x->type), p.data, am.data,
	    x->status ? deal_status_name(x->status) : "-",
	    x->date ? x->date : "-", (long long)x->sources);
	buf_release(&p);
	buf_release(&am);
}

static int
flush_buf(FILE *out, struct buf *b, struct buf *err)
{
	if (b->len && fwrite(b->data, 1, b->len, out) != b->len) {
		buf_setf(err, "cannot write output");
		return DW_EIO;
	}
	buf_reset(b);
	return DW_OK;
}

int
store_export(struct store *s, FILE *out, int format,
    const struct deal_filter *f, struct buf *err)
{
	struct arena a, per;
	struct xdeal *v = NULL;
	size_t n = 0;
	struct buf b = BUF_INIT;
	int rc;

	arena_init(&a, (size_t)1 << 30);
	arena_init(&per, (size_t)256 << 20);
	rc = store__load_deals(s, f, &v, &n, &a, err);
	if (rc != DW_OK)
		goto out;
	switch (format) {
	case EXPORT_TABLE:
		if (n == 0) {
			buf_adds(&b, "no deals stored\n");
			break;
		}
		buf_addf(&b, "%-6s %-12s %-36s %-22s %-10s %-10s %s\n", "ID",
		    "TYPE", "PARTIES", "AMOUNT", "STATUS", "DATE", "SOURCES");
		for (size_t i = 0; i < n; i++)
			deal_row(&b, &v[i]);
		break;
	case EXPORT_CSV:
		buf_adds(&b, csv_header);
		/* FALLTHROUGH */
	case EXPORT_JSON:
	case EXPORT_JSONL:
		if (format == EXPORT_JSON)
			buf_adds(&b, "[");
		for (size_t i = 0; i < n && rc == DW_OK; i++) {
			struct xsource *src = NULL;
			struct xhistory *h = NULL;
			size_t nsrc = 0, nh = 0;

			arena_reset(&per);
			rc = store__load_sources(s, v[i].id, &src, &nsrc, &per,
			    err);
			if (rc == DW_OK)
				rc = store__load_history(s, v[i].id, &h, &nh,
				    &per, err);
			if (rc != DW_OK)
				break;
			if (format == EXPORT_CSV) {
				deal_csv(&b, &v[i], nsrc ? src[0].url : NULL);
			} else {
				if (format == EXPORT_JSON)
					buf_adds(&b, i ? ",\n " : "\n ");
				deal_json(&b, &v[i], src, nsrc, h, nh);
				if (format == EXPORT_JSONL)
					buf_addch(&b, '\n');
			}
			if (b.len > 65536)
				rc = flush_buf(out, &b, err);
		}
		if (format == EXPORT_JSON)
			buf_adds(&b, n ? "\n]\n" : "]\n");
		break;
	case EXPORT_DOT:
		rc = store__dot(s, &b, v, n, err);
		break;
	default:
		buf_setf(err, "unknown export format %d", format);
		rc = DW_EUSAGE;
	}
	if (rc == DW_OK)
		rc = flush_buf(out, &b, err);
out:
	buf_release(&b);
	arena_release(&per);
	arena_release(&a);
	return rc;
}

/*
 * show.
 */
static void
figure_line(struct buf *b, const char *label, const struct amount *m,
    const char *text)
{
	buf_addf(b, "  %-11s", label);
	store__amount_human(b, m);
	if (text)
		buf_addf(b, " (\"%s\")", text);
	buf_addch(b, '\n');
}

/* One source's figure f (0 amount, 1 valuation, 2 stake, 3 date) as
 * text for a person; empty when it gives none. */
static void
figure_text(struct buf *b, const struct xsource *x, int f)
{
	switch (f) {
	case 0:
		if (x->has_amount)
			store__amount_human(b, &x->amount);
		break;
	case 1:
		if (x->has_valuation)
			store__amount_human(b, &x->valuation);
		break;
	case 2:
		if (x->has_stake)
			buf_addf(b, "%g%%", x->stake);
		break;
	default:
		if (x->date)
			buf_adds(b, x->date);
	}
}

/* Figures the sources disagree on, each value with the sources giving it. */
static void
conflicts(struct buf *b, const struct xsource *src, size_t n)
{
	static const char *const label[] = { "amount", "valuation", "stake",
		"date" };
	struct buf x = BUF_INIT, y = BUF_INIT;
	int any = 0;

	for (int f = 0; f < 4; f++) {
		int differ = 0;

		/* Do two sources give different values? */
		for (size_t i = 0; i < n && !differ; i++) {
			buf_reset(&x);
			figure_text(&x, &src[i], f);
			for (size_t k = i + 1; k < n && x.len && !differ; k++) {
				buf_reset(&y);
				figure_text(&y, &src[k], f);
				differ = y.len && strcmp(x.data, y.data) != 0;
			}
		}
		for (size_t i = 0; i < n && differ; i++) {
			int seen = 0;

			buf_reset(&x);
			figure_text(&x, &src[i], f);
			for (size_t k = 0; k < i && x.len && !seen; k++) {
				buf_reset(&y);
				figure_text(&y, &src[k], f);
				seen = strcmp(x.data, y.data) == 0;
			}
			if (!x.len || seen)
				continue;
			if (!any)
				buf_adds(b, "conflicting figures:\n");
			any = 1;
			buf_addf(b, "  %-11s%s from", label[f], x.data);
			for (size_t k = i; k < n; k++) {
				buf_reset(&y);
				figure_text(&y, &src[k], f);
				if (strcmp(x.data, y.data) == 0)
					buf_addf(b, " %s",
					    src[k].url         ? src[k].url
					        : src[k].title ? src[k].title
					                       : "(no url)");
			}
			buf_addch(b, '\n');
		}
	}
	buf_release(&x);
	buf_release(&y);
}

int
store_deal_show(struct store *s, FILE *out, int64_t id, struct buf *err)
{
	struct arena a;
	struct xdeal x;
	struct xsource *src = NULL;
	struct xhistory *h = NULL;
	size_t nsrc = 0, nh = 0;
	struct buf b = BUF_INIT;
	int rc;

	arena_init(&a, (size_t)256 << 20);
	rc = store__load_deal(s, id, &x, &a, err);
	if (rc != DW_OK)
		goto out;
	while (x.merged_into) {
		buf_addf(&b, "deal %lld was merged into deal %lld\n",
		    (long long)x.id, (long long)x.merged_into);
		rc = store__load_deal(s, x.merged_into, &x, &a, err);
		if (rc != DW_OK)
			goto out;
	}
	rc = store__load_sources(s, x.id, &src, &nsrc, &a, err);
	if (rc == DW_OK)
		rc = store__load_history(s, x.id, &h, &nh, &a, err);
	if (rc != DW_OK)
		goto out;
	buf_addf(&b, "deal %lld: %s%s\n", (long long)x.id,
	    deal_type_name(x.type), x.rejected ? " (rejected)" : "");
	for (size_t i = 0; i < x.nparties; i++)
		buf_addf(&b, "  %-11s%s\n", party_role_name(x.parties[i].role),
		    x.parties[i].name);
	if (x.has_amount)
		figure_line(&b, "amount", &x.amount, x.amount_text);
	if (x.has_stake) {
		buf_addf(&b, "  %-11s%g%%", "stake", x.stake);
		if (x.stake_text)
			buf_addf(&b, " (\"%s\")", x.stake_text);
		buf_addch(&b, '\n');
	}
	if (x.has_valuation)
		figure_line(&b, "valuation", &x.valuation, x.valuation_text);
	buf_addf(&b, "  %-11s%s\n", "status",
	    x.status ? deal_status_name(x.status) : "-");
	if (x.date) {
		buf_addf(&b, "  %-11s%s", "date", x.date);
		if (x.date_text)
			buf_addf(&b, " (\"%s\")", x.date_text);
		buf_addch(&b, '\n');
	}
	buf_addf(&b, "history:\n");
	for (size_t i = 0; i < nh; i++)
		buf_addf(&b, "  %-11s%s\n", deal_status_name(h[i].status),
		    h[i].date ? h[i].date : "(date unknown)");
	buf_addf(&b, "sources (%zu):\n", nsrc);
	for (size_t i = 0; i < nsrc; i++) {
		buf_addf(&b, "  %s  %s",
		    src[i].published ? src[i].published : "(undated)",
		    src[i].url ? src[i].url : "(no url)");
		if (src[i].title)
			buf_addf(&b, "  \"%s\"", src[i].title);
		if (src[i].original_id != src[i].article_id)
			buf_adds(&b, "  (syndicated copy)");
		buf_addch(&b, '\n');
		if (src[i].status || src[i].has_amount) {
			buf_adds(&b, "    says:");
			if (src[i].status)
				buf_addf(&b, " %s",
				    deal_status_name(src[i].status));
			if (src[i].has_amount) {
				buf_addch(&b, ' ');
				store__amount_human(&b, &src[i].amount);
			}
			buf_addch(&b, '\n');
		}
		for (size_t k = 0; k < src[i].nevidence; k++)
			buf_addf(&b, "    [%zu-%zu] %s\n",
			    src[i].evidence[k].start, src[i].evidence[k].end,
			    src[i].evidence_text[k] ? src[i].evidence_text[k]
			                            : "");
	}
	conflicts(&b, src, nsrc);
	rc = flush_buf(out, &b, err);
out:
	buf_release(&b);
	arena_release(&a);
	return rc;
}
