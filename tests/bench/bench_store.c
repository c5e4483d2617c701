/*
 * bench_store.c: storing generated mentions (a third of them repeats of
 * earlier deals) with dedup and merge, against plainly inserting the same
 * rows with prepared statements in the same number of transactions. Prints
 * the ratio and the query plan of `deals --party NAME`.
 *
 * usage: bench_store DIR [MENTIONS]
 *        bench_store DIR --articles N [BATCH [REPEATS [GROUP]]]
 *
 * The second form times what a crawl stores: N invented articles of about
 * 1 KB (templated sentences, like tests/servers/mkfeed.py writes), one or
 * two deals each (one in three repeats an earlier deal; with REPEATS 0,
 * one new deal each, as bench_crawl's feeds have), in batches of
 * BATCH articles (default 50, one feed's worth; GROUP batches in one
 * store_group_begin ... commit, as a crawl's writer does), with the sketch made
 * before (as a crawl's extraction threads do), and prints the cost per
 * article over the whole run and over its first and last fifths, so that
 * a cost growing with the database shows.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

#define PER_ARTICLE 5

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct gen {
	struct deal *deals; /* one per mention */
	char **names;
	char **texts;
	char **urls;
	size_t n;
};

static const char *const words[] = {
	"market",
	"shares",
	"deal",
	"company",
	"billion",
	"said",
	"investors",
	"quarter",
	"growth",
	"report",
	"chips",
	"cloud",
	"board",
	"agreed",
	"regulators",
	"price",
	"analysts",
	"week",
	"sales",
	"plans",
	"talks",
	"stake",
	"unit",
	"bank",
	"fund",
	"energy",
	"steel",
	"retail",
	"data",
	"software",
	"factory",
	"europe",
	"asia",
	"years",
	"record",
	"rival",
};

static void
generate(struct gen *g, size_t n)
{
	size_t ndeals = 0;

	g->n = n;
	g->deals = xcalloc(n, sizeof(*g->deals));
	g->names = xcalloc(2 * n, sizeof(*g->names));
	g->texts = xcalloc(n / PER_ARTICLE + 1, sizeof(*g->texts));
	g->urls = xcalloc(n / PER_ARTICLE + 1, sizeof(*g->urls));
	for (size_t i = 0; i < n; i++) {
		struct deal *d = &g->deals[i];

		if (i % 3 == 2 && ndeals > PER_ARTICLE * 2) {
			/* A repeat of an earlier deal, in a later article. */
			size_t k = (size_t)(next() % (ndeals - PER_ARTICLE));

			*d = g->deals[k];
			d->amount.value *= 1.0 + (double)(next() % 5) / 100;
		} else {
			char buf[64];

			snprintf(buf, sizeof(buf), "Company %zu", 2 * i);
			g->names[2 * i] = xstrdup(buf);
			snprintf(buf, sizeof(buf), "Company %zu", 2 * i + 1);
			g->names[2 * i + 1] = xstrdup(buf);
			memset(d, 0, sizeof(*d));
			d->type = DEAL_INVESTMENT;
			d->parties[0].role = ROLE_INVESTOR;
			d->parties[0].name = g->names[2 * i];
			d->parties[1].role = ROLE_TARGET;
			d->parties[1].name = g->names[2 * i + 1];
			d->nparties = 2;
			d->has_amount = 1;
			d->amount.value = (double)(1 + next() % 1000) * 1e6;
			memcpy(d->amount.currency, "USD", 4);
			d->status = ST_ANNOUNCED;
			d->evidence[0].start = 0;
			d->evidence[0].end = 40;
			d->nevidence = 1;
			ndeals = i + 1;
		}
	}
	for (size_t a = 0; a < n / PER_ARTICLE; a++) {
		struct buf b = BUF_INIT;

		for (int w = 0; w < 80; w++)
			buf_addf(&b, "%s ", words[next() % countof(words)]);
		g->texts[a] = buf_detach(&b, NULL);
		buf_addf(&b, "https://news.example/%zu", a);
		g->urls[a] = buf_detach(&b, NULL);
	}
}

static int
run_store(const char *path, const struct gen *g, double *secs)
{
	struct store *s;
	struct buf err = BUF_INIT;
	double t0;
	int rc;

	rc = store_open(&s, path, &err);
	if (rc != DW_OK) {
		fprintf(stderr, "bench_store: %s\n", err.data);
		return rc;
	}
	t0 = now();
	for (size_t a = 0; a < g->n / PER_ARTICLE; a++) {
		struct article_rec rec = { 0, g->urls[a], NULL, "title",
			"2025-01-01", span_cstr(g->texts[a]), NULL };
		struct deal_list dl = { &g->deals[a * PER_ARTICLE],
			PER_ARTICLE };

		rc = store_article_put(s, &rec, &dl, NULL, NULL, &err);
		if (rc != DW_OK) {
			fprintf(stderr, "bench_store: %s\n", err.data);
			break;
		}
	}
	*secs = now() - t0;
	store_close(s);
	buf_release(&err);
	return rc;
}

/*
 * The baseline: the rows the store writes (article, its sketch,
 * mention, deal with its parties and history, its two names per
 * mention), inserted with prepared
 * statements, one transaction per article, into the same schema.
 */
static int
run_plain(const char *path, const struct gen *g, double *secs)
{
	static const char *const sql[] = {
		"INSERT INTO articles(url, canon_url, title, published, text,"
		" stored) VALUES (?1, ?1, 'title', '2025-01-01', ?2,"
		" '2025-01-01')",
		"INSERT INTO deals(gkey, type, status, amount, amount_currency,"
		" amount_qualifier, sources, first_published, updated, parties,"
		" history, gh) VALUES (?1, 1, 2, ?2, 'USD', 0, 1, '2025-01-01',"
		" '2025-01-01', ?1, '2=2025-01-01;', random())",
		"INSERT INTO mentions(id, article_id, seq, deal_id, gkey, type,"
		" parties, status, amount, amount_currency, amount_qualifier,"
		" evidence, gh) VALUES (?1 * 1048576 + ?2, ?1, ?2, ?3, ?4, 1, "
		"?5,"
		" 2, ?6, 'USD', 0, '0-40', random())",
		"INSERT OR IGNORE INTO deal_names(deal_id, nh) VALUES"
		" (?1, random() >> 32)",
		"INSERT INTO article_sketches(article_id, words, sketch) VALUES"
		" (?1, 80, randomblob(256))",
	};
	sqlite3_stmt *st[countof(sql)];
	struct store *s;
	struct buf err = BUF_INIT, key = BUF_INIT;
	sqlite3 *db;
	double t0;

	/* The schema, from the store itself. */
	if (store_open(&s, path, &err) != DW_OK) {
		fprintf(stderr, "bench_store: %s\n", err.data);
		return DW_ERR;
	}
	store_close(s);
	/* Through the store's VFS (registered by store_open), like for
	 * like: WAL frames gathered per commit on both sides. */
	if (sqlite3_open_v2(path, &db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	        "dealwire") != SQLITE_OK)
		return DW_ERR;
	/* The store's own settings (store/store.c), like for like: a
	 * checkpoint every 8 MB of WAL, 2,048 pages of 4 KB. */
	sqlite3_exec(db,
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "PRAGMA wal_autocheckpoint=2048; PRAGMA cache_size=-32768;"
	    "PRAGMA foreign_keys=ON;",
	    NULL, NULL, NULL);
	for (size_t i = 0; i < countof(sql); i++) {
		if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) !=
		    SQLITE_OK) {
			fprintf(stderr, "bench_store: %s\n",
			    sqlite3_errmsg(db));
			return DW_ERR;
		}
	}
	t0 = now();
	for (size_t a = 0; a < g->n / PER_ARTICLE; a++) {
		int64_t article;

		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_text(st[0], 1, g->urls[a], -1, SQLITE_STATIC);
		sqlite3_bind_text(st[0], 2, g->texts[a], -1, SQLITE_STATIC);
		sqlite3_step(st[0]);
		sqlite3_reset(st[0]);
		article = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(st[4], 1, article);
		sqlite3_step(st[4]);
		sqlite3_reset(st[4]);
		for (size_t k = 0; k < PER_ARTICLE; k++) {
			const struct deal *d = &g->deals[a * PER_ARTICLE + k];
			int64_t deal;

			buf_reset(&key);
			buf_addf(&key, "1;1:%zu:%s;2:%zu:%s;",
			    strlen(d->parties[0].name), d->parties[0].name,
			    strlen(d->parties[1].name), d->parties[1].name);
			sqlite3_bind_text(st[1], 1, key.data, -1,
			    SQLITE_STATIC);
			sqlite3_bind_double(st[1], 2, d->amount.value);
			sqlite3_step(st[1]);
			sqlite3_reset(st[1]);
			deal = sqlite3_last_insert_rowid(db);
			sqlite3_bind_int64(st[2], 1, article);
			sqlite3_bind_int(st[2], 2, (int)k);
			sqlite3_bind_int64(st[2], 3, deal);
			sqlite3_bind_text(st[2], 4, key.data, -1,
			    SQLITE_STATIC);
			sqlite3_bind_text(st[2], 5, key.data, -1,
			    SQLITE_STATIC);
			sqlite3_bind_double(st[2], 6, d->amount.value);
			sqlite3_step(st[2]);
			sqlite3_reset(st[2]);
			for (int p = 0; p < 2; p++) {
				sqlite3_bind_int64(st[3], 1, deal);
				sqlite3_bind_int(st[3], 2, p);
				sqlite3_bind_int(st[3], 3, d->parties[p].role);
				sqlite3_bind_text(st[3], 4, d->parties[p].name,
				    -1, SQLITE_STATIC);
				sqlite3_step(st[3]);
				sqlite3_reset(st[3]);
			}
		}
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench_store: %s\n",
			    sqlite3_errmsg(db));
			return DW_ERR;
		}
	}
	*secs = now() - t0;
	for (size_t i = 0; i < countof(sql); i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
	buf_release(&err);
	buf_release(&key);
	return DW_OK;
}

static int
count_deals(const char *path)
{
	struct store *s;
	struct buf err = BUF_INIT, plan = BUF_INIT;
	struct deal_filter f = { .party = "Company 4" };
	char *mem = NULL;
	size_t len = 0, lines = 0;
	FILE *out = open_memstream(&mem, &len);

	if (store_open(&s, path, &err) != DW_OK)
		return -1;
	store_export(s, out, EXPORT_CSV, NULL, &err);
	fclose(out);
	for (size_t i = 0; i < len; i++)
		lines += mem[i] == '\n';
	store_query_plan(s, &f, &plan, &err);
	printf("store: query plan of 'deals --party NAME':\n%s", plan.data);
	store_close(s);
	free(mem);
	buf_release(&err);
	buf_release(&plan);
	return (int)lines - 1;
}

/*
 * Crawl-like articles.
 */
static const char *const companies[] = { "Alder", "Birchwood", "Cinder",
	"Dovetail", "Eastgate", "Fernhill", "Galloway", "Hollis", "Ivory",
	"Juniper", "Kestrel", "Larkspur" };
static const char *const people[] = { "Mara Ellison", "Tomas Reyes",
	"Priya Okafor", "Ruth Patel", "Dev Brennan", "Aoife Hart",
	"Lena Haddad", "Omar Tanaka", "Jun Moreau", "Carla Berg" };
static const char *const cities[] = { "Halifax", "Leeds", "Porto", "Tampere",
	"Osaka", "Denver", "Rotterdam", "Lyon", "Austin", "Gdansk" };
static const char *const things[] = { "warehouse robots", "battery cells",
	"payment terminals", "cloud storage", "wind turbines",
	"freight software", "medical scanners", "chip packaging", "grain silos",
	"ferries" };

#define PICK(v) (v[next() % countof(v)])

static void
sentence(struct buf *b)
{
	unsigned n = (unsigned)(2 + next() % 96);
	unsigned y = (unsigned)(2009 + next() % 16);

	switch (next() % 8) {
	case 0:
		buf_addf(b,
		    "%s of %s Group said the %s business had grown %u "
		    "percent in %u. ",
		    PICK(people), PICK(companies), PICK(things), n, y);
		break;
	case 1:
		buf_addf(b,
		    "The plant in %s employs %u0 people and makes %s "
		    "for %s Holdings. ",
		    PICK(cities), n, PICK(things), PICK(companies));
		break;
	case 2:
		buf_addf(b,
		    "%s, who joined %s Systems in %u, will run the "
		    "combined %s unit. ",
		    PICK(people), PICK(companies), y, PICK(things));
		break;
	case 3:
		buf_addf(b,
		    "Analysts at %s Partners put the market for %s at "
		    "%u billion dollars by %u. ",
		    PICK(companies), PICK(things), n, y + 10);
		break;
	case 4:
		buf_addf(b,
		    "Customers in %s and %s will see no change before "
		    "%u, %s said. ",
		    PICK(cities), PICK(cities), y + 12, PICK(people));
		break;
	case 5:
		buf_addf(b,
		    "%s Group expects savings of %u million a year from "
		    "shared %s purchasing. ",
		    PICK(companies), n, PICK(things));
		break;
	case 6:
		buf_addf(b,
		    "Unions in %s asked for talks about the %u jobs at "
		    "the %s site. ",
		    PICK(cities), n, PICK(things));
		break;
	default:
		buf_addf(b,
		    "Regulators in %s opened a review of the %s market "
		    "in %u. ",
		    PICK(cities), PICK(things), y);
	}
}

struct crawl_gen {
	char **texts, **urls, **guids, **names;
	struct deal *deals; /* 2 slots per article */
	struct store_sketch *sketches;
	size_t *ndeals;
	size_t n;
};

static void
crawl_generate(struct crawl_gen *g, size_t n, int repeats)
{
	g->n = n;
	g->texts = xcalloc(n, sizeof(*g->texts));
	g->urls = xcalloc(n, sizeof(*g->urls));
	g->guids = xcalloc(n, sizeof(*g->guids));
	g->names = xcalloc(2 * n, sizeof(*g->names));
	g->deals = xcalloc(2 * n, sizeof(*g->deals));
	g->ndeals = xcalloc(n, sizeof(*g->ndeals));
	for (size_t i = 0; i < n; i++) {
		struct buf b = BUF_INIT;
		struct deal *d = &g->deals[2 * i];
		unsigned amount = (unsigned)(10 + (i * 37) % 900);

		buf_addf(&b, "%s Logistics F%zu agreed to buy %s Robotics F%zu",
		    companies[i % countof(companies)], i,
		    companies[(i * 7 + 3) % countof(companies)], i);
		g->names[2 * i] = xstrdup(b.data);
		*strstr(g->names[2 * i], " agreed") = '\0';
		g->names[2 * i + 1] = xstrdup(strstr(b.data, "buy ") + 4);
		buf_addf(&b,
		    " for $%u million in cash, the companies said on "
		    "Monday. ",
		    amount);
		for (int k = 0; k < 10; k++)
			sentence(&b);
		g->texts[i] = buf_detach(&b, NULL);
		buf_addf(&b, "http://h%zu.bench/f%zu/%zu.html", i / 50, i / 50,
		    i % 50);
		g->urls[i] = buf_detach(&b, NULL);
		buf_addf(&b, "urn:dealwire-test:f%zu:%zu", i / 50, i % 50);
		g->guids[i] = buf_detach(&b, NULL);
		memset(d, 0, sizeof(*d));
		d->type = DEAL_ACQUISITION;
		d->parties[0].role = ROLE_ACQUIRER;
		d->parties[0].name = g->names[2 * i];
		d->parties[1].role = ROLE_TARGET;
		d->parties[1].name = g->names[2 * i + 1];
		d->nparties = 2;
		d->has_amount = 1;
		d->amount.value = amount * 1e6;
		memcpy(d->amount.currency, "USD", 4);
		d->status = ST_ANNOUNCED;
		d->evidence[0].start = 0;
		d->evidence[0].end = 60;
		d->nevidence = 1;
		g->ndeals[i] = 1;
		if (repeats && i > 100 && i % 3 == 0) {
			/* Another report of an earlier deal. */
			d[1] = g->deals[2 * (next() % (i - 1))];
			d[1].amount.value *= 1.0 + (double)(next() % 5) / 100;
			g->ndeals[i] = 2;
		}
	}
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
run_crawl(const char *dir, size_t n, size_t batch, int repeats, size_t group)
{
	char gdesc[48] = "";
	struct crawl_gen g;
	struct store *s;
	struct buf err = BUF_INIT;
	char path[512];
	size_t fifth = n / 5;
	double t0, c0, t_first = 0, t_last = 0, t_fifth = 0, total, cpu;
	double c_first = 0, c_last = 0, c_fifth = 0;
	int rc;

	crawl_generate(&g, n, repeats);
	g.sketches = xcalloc(n, sizeof(*g.sketches));
	for (size_t i = 0; i < n; i++)
		store_sketch(&g.sketches[i], span_cstr(g.texts[i]));
	snprintf(path, sizeof(path), "%s/crawl.db", dir);
	rc = store_open(&s, path, &err);
	if (rc != DW_OK) {
		fprintf(stderr, "bench_store: %s\n", err.data);
		return 1;
	}
	t0 = now();
	c0 = cpu_now();
	for (size_t i = 0; i < n && rc == DW_OK; i++) {
		struct article_rec rec = { 0, g.urls[i], g.guids[i], "title",
			"2025-09-01", span_cstr(g.texts[i]), &g.sketches[i] };
		struct deal_list dl = { &g.deals[2 * i], g.ndeals[i] };

		if (i % fifth == 0) {
			t_fifth = now();
			c_fifth = cpu_now();
		}
		if (group > 1 && i % (group * batch) == 0)
			rc = store_group_begin(s, &err);
		if (rc == DW_OK && batch > 1 && i % batch == 0)
			rc = store_batch_begin(s, &err);
		if (rc == DW_OK)
			rc = store_article_put(s, &rec, &dl, NULL, NULL, &err);
		if (rc == DW_OK && batch > 1 &&
		    (i % batch == batch - 1 || i == n - 1))
			rc = store_batch_commit(s, &err);
		if (rc == DW_OK && group > 1 &&
		    (i % (group * batch) == group * batch - 1 || i == n - 1))
			rc = store_group_commit(s, &err);
		if (i + 1 == fifth) {
			t_first = now() - t_fifth;
			c_first = cpu_now() - c_fifth;
		}
		if (i + 1 == n) {
			t_last = now() - t_fifth;
			c_last = cpu_now() - c_fifth;
		}
	}
	total = now() - t0;
	cpu = cpu_now() - c0;
	if (rc != DW_OK)
		fprintf(stderr, "bench_store: %s\n", err.data);
	store_close(s);
	if (group > 1)
		snprintf(gdesc, sizeof(gdesc), ", %zu batches a group", group);
	printf("store: %zu crawl-like articles (%s) in batches of "
	       "%zu%s: %.3f ms/article (CPU %.3f); first %zu %.3f (CPU %.3f), "
	       "last %zu %.3f (CPU %.3f)\n",
	    n, repeats ? "1-2 deals each" : "one new deal each", batch, gdesc,
	    1e3 * total / (double)n, 1e3 * cpu / (double)n, fifth,
	    1e3 * t_first / (double)fifth, 1e3 * c_first / (double)fifth, fifth,
	    1e3 * t_last / (double)fifth, 1e3 * c_last / (double)fifth);
	buf_release(&err);
	return rc == DW_OK ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct gen g;
	char p1[512], p2[512];
	size_t n = 100000;
	double ts = 0, tp = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_store DIR [MENTIONS]\n");
		return 64;
	}
	if (argc > 3 && strcmp(argv[2], "--articles") == 0)
		return run_crawl(argv[1], (size_t)strtoul(argv[3], NULL, 10),
		    argc > 4 ? (size_t)strtoul(argv[4], NULL, 10) : 50,
		    argc > 5 ? (int)strtol(argv[5], NULL, 10) : 1,
		    argc > 6 ? (size_t)strtoul(argv[6], NULL, 10) : 1);
	if (argc > 2)
		n = (size_t)strtoul(argv[2], NULL, 10);
	n -= n % PER_ARTICLE;
	generate(&g, n);
	snprintf(p1, sizeof(p1), "%s/store.db", argv[1]);
	snprintf(p2, sizeof(p2), "%s/plain.db", argv[1]);
	/* Baseline first, then the store, then the baseline again: the
	 * better of the two baseline runs is the one compared. */
	rng = 42;
	if (run_plain(p2, &g, &tp) != DW_OK)
		return 1;
	if (run_store(p1, &g, &ts) != DW_OK)
		return 1;
	printf("store: %zu mentions in %zu transactions: store %.2f s, "
	       "plain inserts %.2f s, ratio %.2f (want <= 2.00)\n",
	    n, n / PER_ARTICLE, ts, tp, ts / tp);
	printf("store: %d deals from %zu mentions (a third repeats)\n",
	    count_deals(p1), n);
	return ts / tp <= 2.0 ? 0 : 1;
}
