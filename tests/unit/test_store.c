/*
 * test_store.c: the deal database through store.h: schema and feeds,
 * article dedup, merging mentions into deals whatever their order,
 * history, curation, re-extraction, circles and exports.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

struct fx {
	char dir[64];
	char path[96];
	struct store *s;
	struct arena a;
};

static int
setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct buf err = BUF_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/dw-store-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/deals.db", f->dir);
	if (store_open(&f->s, f->path, &err) != DW_OK) {
		fprintf(stderr, "%s\n", err.data);
		return -1;
	}
	arena_init(&f->a, (size_t)64 << 20);
	buf_release(&err);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	store_close(f->s);
	arena_release(&f->a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* A deal between two parties, figures optional (value 0: none). */
static struct deal
mk(int type, int r1, const char *p1, int r2, const char *p2, double value,
    const char *cur, int q, int status, const char *date)
{
	struct deal d;

	memset(&d, 0, sizeof(d));
	d.type = type;
	d.parties[0].role = r1;
	d.parties[0].name = p1;
	d.parties[1].role = r2;
	d.parties[1].name = p2;
	d.nparties = 2;
	if (value > 0) {
		d.has_amount = 1;
		d.amount.value = value;
		memcpy(d.amount.currency, cur, 3);
		d.amount.qualifier = q;
	}
	d.status = status;
	if (date)
		snprintf(d.date.value, sizeof(d.date.value), "%s", date);
	d.evidence[0].start = 0;
	d.evidence[0].end = 10;
	d.nevidence = 1;
	return d;
}

static struct deal
acq(const char *a, const char *t, double value, int q, int status)
{
	return mk(DEAL_ACQUISITION, ROLE_ACQUIRER, a, ROLE_TARGET, t, value,
	    "USD", q, status, NULL);
}

static struct deal
inv(const char *a, const char *t, double value, int status, const char *date)
{
	return mk(DEAL_INVESTMENT, ROLE_INVESTOR, a, ROLE_TARGET, t, value,
	    "USD", Q_EXACT, status, date);
}

static int
put(struct store *s, const char *url, const char *published, const char *text,
    struct deal *d, size_t n)
{
	struct article_rec rec = { 0, url, NULL, "a title", published,
		{ text, strlen(text) }, NULL };
	struct deal_list dl = { d, n };
	struct buf err = BUF_INIT;
	int rc = store_article_put(s, &rec, &dl, NULL, NULL, &err);

	if (rc != DW_OK && rc != DW_EEXISTS)
		fprintf(stderr, "put: %s\n", err.data);
	buf_release(&err);
	return rc;
}

/* Export as JSON and parse it; the caller decrefs. */
static json_t *
export_json(struct store *s, const struct deal_filter *flt)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&mem, &len);
	struct buf err = BUF_INIT;
	json_error_t je;
	json_t *j;

	assert_non_null(out);
	assert_int_equal(store_export(s, out, EXPORT_JSON, flt, &err), DW_OK);
	fclose(out);
	j = json_loadb(mem, len, 0, &je);
	if (!j)
		fprintf(stderr, "bad json: %s\n%s\n", je.text, mem);
	assert_non_null(j);
	free(mem);
	buf_release(&err);
	return j;
}

static char *
capture(struct store *s, int what, int64_t id)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&mem, &len);
	struct buf err = BUF_INIT;
	int rc;

	if (what == 0)
		rc = store_deal_show(s, out, id, &err);
	else
		rc = store_circles(s, out, what, 4, &err);
	assert_int_equal(rc, DW_OK);
	fclose(out);
	buf_release(&err);
	return mem;
}

/* Distinct article texts, long enough for the near-duplicate check. */
static const char *const texts[] = {
	"Quillfeather Foods said on Tuesday it had agreed to buy the snack "
	"maker Brambleworth for thirty six billion dollars in cash, creating "
	"one of the largest packaged food groups in the world by sales.",
	"In a deal announced today, the privately held confectioner will pay "
	"roughly 36 billion for its rival, whose brands include crackers and "
	"cereal bars, people familiar with the matter told reporters here.",
	"Brambleworth shareholders are to receive eighty three dollars a "
	"share under the agreement, a premium of forty percent to the price "
	"before the first reports of the talks leaked in the press last week.",
	"The takeover closed on Thursday after regulators in Brussels "
	"cleared it without conditions, ending a review that lasted well over "
	"a year and drew objections from several consumer groups in Europe.",
	"Orchard Ventures put one billion into Lumen Robotics back in the "
	"spring, its first bet on warehouse automation, the fund said in a "
	"letter to its limited partners that was seen by our newsroom today.",
	"Four years later Orchard Ventures came back with a far larger cheque "
	"of ten billion for Lumen Robotics, now valued among the most richly "
	"priced startups anywhere in the industrial machinery business.",
};

static void
test_store_url_canon(void **state)
{
	static const char *const cases[][2] = {
		{ "HTTPS://News.Example.COM:443/a/b/?utm_source=x&id=3#top",
		    "https://news.example.com/a/b?id=3" },
		{ "http://example.com:80/", "http://example.com" },
		{ "http://example.com:8080/x", "http://example.com:8080/x" },
		{ "https://example.com/p?fbclid=1&utm_medium=m",
		    "https://example.com/p" },
		{ "https://example.com/p?a=1&gclid=z&b=2",
		    "https://example.com/p?a=1&b=2" },
		{ "https://example.com/Case/Path/",
		    "https://example.com/Case/Path" },
	};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < countof(cases); i++) {
		assert_int_equal(store_url_canon(&b, cases[i][0]), DW_OK);
		assert_string_equal(b.data, cases[i][1]);
	}
	assert_int_equal(store_url_canon(&b, "not a url"), DW_EPARSE);
	buf_release(&b);
}

/*
 * The sketch as the schema defines it, written out plainly (the store
 * computes it another way): each word (a run of letters, digits and
 * non-ASCII bytes) lowered, its first 64 bytes hashed with FNV-1a; each
 * 3-shingle mixed into one of 64 bins by its top 6 bits, the bin keeping
 * the least of its low 32 bits shifted right once; an empty bin borrows
 * from the next filled one to its right. Sketches stored by an earlier
 * dealwire must compare with new ones.
 */
static uint64_t
ref_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static int
ref_word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static void
ref_sketch(struct store_sketch *out, const char *t, size_t len)
{
	uint64_t win[3] = { 0, 0, 0 }, filled = 0;
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < STORE_MINHASH; k++)
		out->h[k] = UINT32_MAX;
	for (;;) {
		uint64_t h = 0xcbf29ce484222325ULL, x;
		size_t wl = 0;

		while (i < len && !ref_word_byte((unsigned char)t[i]))
			i++;
		if (i == len)
			break;
		for (; i < len && ref_word_byte((unsigned char)t[i]); i++) {
			unsigned char c = (unsigned char)t[i];

			if (wl++ < 64)
				h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32u : c)) *
				    0x100000001b3ULL;
		}
		win[0] = win[1];
		win[1] = win[2];
		win[2] = h;
		if (++out->words < 3)
			continue;
		x = ref_mix(win[0] ^ ref_mix(win[1] ^ ref_mix(win[2])));
		filled |= (uint64_t)1 << (x >> 58);
		if (((uint32_t)x >> 1) < out->h[x >> 58])
			out->h[x >> 58] = (uint32_t)x >> 1;
	}
	for (int k = 0; filled && ~filled && k < STORE_MINHASH; k++) {
		uint32_t d = 1;

		if (filled >> k & 1)
			continue;
		while (!(filled >> ((k + (int)d) % STORE_MINHASH) & 1))
			d++;
		out->h[k] = 0x80000000U |
		    ((out->h[(k + (int)d) % STORE_MINHASH] + d * 0x9e3779b9U) &
		        0x7fffffffU);
	}
}

static void
test_store_sketch_as_defined(void **state)
{
	char t[16384];
	size_t n = 0;

	(void)state;
	/* The test texts (over again: past 4 KB), then words of every kind:
	 * capitals, digits, UTF-8, words longer than 64 bytes, punctuation
	 * runs. */
	for (size_t i = 0; i < 6 * countof(texts); i++)
		n += (size_t)snprintf(t + n, sizeof(t) - n, "%s ",
		    texts[i % countof(texts)]);
	n += (size_t)snprintf(t + n, sizeof(t) - n,
	    "Caf\xc3\xa9 M\xc3\xbcller GmbH \xe2\x80\x94 %s... 2024-08-14,"
	    " Q3; Supercalifragilisticexpialidocious-and-then-some-more-"
	    "words%s!",
	    "Antidisestablishmentarianismantidisestablishmentarianism"
	    "ANTIDISESTABLISHMENTARIANISM",
	    "Antidisestablishmentarianismantidisestablishmentarianism"
	    "antidisestablishmentarianismX");
	assert_true(n < sizeof(t));
	assert_true(n > 4096);
	for (size_t len = 0; len <= n; len += len < 64 ? 1 : 97) {
		struct store_sketch got, want;

		store_sketch(&got, (struct span){ t, len });
		ref_sketch(&want, t, len);
		assert_int_equal(got.words, want.words);
		assert_memory_equal(got.h, want.h, sizeof(got.h));
	}
	{
		struct store_sketch got, want;

		store_sketch(&got, (struct span){ t + 1, n - 1 });
		ref_sketch(&want, t + 1, n - 1);
		assert_memory_equal(got.h, want.h, sizeof(got.h));
	}
	/* Past 64 bytes, a word's bytes do not count. */
	{
		struct store_sketch a, b;
		const char *x =
		    "one two three "
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaXYZ four";
		const char *y =
		    "ONE two three "
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaa4567 Four";

		store_sketch(&a, span_cstr(x));
		store_sketch(&b, span_cstr(y));
		assert_memory_equal(a.h, b.h, sizeof(a.h));
	}
}

static void
test_store_near_duplicate_threshold(void **state)
{
	struct store_sketch a, b, c, d;
	char edited[1024], other[1024];

	(void)state;
	/* A wire copy with a site's own dateline and sign-off added. */
	snprintf(edited, sizeof(edited),
	    "LONDON (Example Wire) - %s %s Reporting by A. Writer; editing by "
	    "B. Editor.",
	    texts[0], texts[1]);
	snprintf(other, sizeof(other), "%s %s", texts[0], texts[1]);
	store_sketch(&a, span_cstr(other));
	store_sketch(&b, span_cstr(edited));
	assert_true(a.words >= STORE_NEAR_DUP_MIN_WORDS);
	assert_true(
	    store_sketch_similarity(&a, &b) >= STORE_NEAR_DUP_SIMILARITY);
	/* Another report of the same deal, in other words: not a copy. */
	store_sketch(&c, span_cstr(texts[2]));
	assert_true(
	    store_sketch_similarity(&a, &c) < STORE_NEAR_DUP_SIMILARITY);
	/* Half the story rewritten: not a copy either. */
	snprintf(other, sizeof(other), "%s %s", texts[0], texts[3]);
	store_sketch(&d, span_cstr(other));
	assert_true(
	    store_sketch_similarity(&a, &d) < STORE_NEAR_DUP_SIMILARITY);
	/* Identical texts agree in every band. */
	store_sketch(&c, span_cstr(edited));
	for (int i = 0; i < STORE_MINHASH_BANDS; i++)
		assert_true(
		    store_sketch_band(&b, i) == store_sketch_band(&c, i));
}

static void
test_store_feeds_crud(void **state)
{
	struct fx *f = *state;
	struct buf err = BUF_INIT;
	struct feed_state *v;
	size_t n;

	assert_int_equal(store_feed_add(f->s, "https://a.example/feed", &err),
	    DW_OK);
	assert_int_equal(store_feed_add(f->s, "https://b.example/rss", &err),
	    DW_OK);
	assert_int_equal(store_feed_add(f->s, "https://a.example/feed", &err),
	    DW_EEXISTS);
	assert_int_equal(store_feed_list(f->s, &v, &n, &f->a, &err), DW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].url, "https://a.example/feed");
	assert_null(v[0].etag);
	v[0].etag = "\"abc\"";
	v[0].failures = 3;
	v[0].next_fetch = 1700000000;
	assert_int_equal(store_feed_update(f->s, &v[0], &err), DW_OK);
	assert_int_equal(store_feed_list(f->s, &v, &n, &f->a, &err), DW_OK);
	assert_string_equal(v[0].etag, "\"abc\"");
	assert_int_equal(v[0].failures, 3);
	assert_int_equal(store_feed_remove(f->s, "1", &err), DW_OK);
	assert_int_equal(store_feed_remove(f->s, "https://b.example/rss", &err),
	    DW_OK);
	assert_int_equal(store_feed_remove(f->s, "9", &err), DW_ENOTFOUND);
	assert_int_equal(store_feed_list(f->s, &v, &n, &f->a, &err), DW_OK);
	assert_int_equal(n, 0);
	buf_release(&err);
}

static int raw_count(const char *path, const char *sql);

static void
test_store_article_dedup(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	char copy[512];
	json_t *j;

	assert_int_equal(put(f->s, "https://news.example/x?utm_source=rss",
	                     "2024-08-14", texts[0], &d, 1),
	    DW_OK);
	assert_true(store_article_known(f->s,
	    "HTTPS://NEWS.example/x/#comments", NULL));
	assert_false(store_article_known(f->s, "https://news.example/y", NULL));
	assert_int_equal(put(f->s, "https://news.example/x/", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_EEXISTS);
	/* Found by its insert: the message names the article, and nothing
	 * of it was written. */
	{
		struct article_rec rec = { 0, "https://news.example/x#top",
			NULL, NULL, NULL, span_cstr(texts[1]), NULL };
		struct deal_list dl = { &d, 1 };
		struct buf err = BUF_INIT;

		assert_int_equal(store_article_put(f->s, &rec, &dl, NULL, NULL,
		                     &err),
		    DW_EEXISTS);
		assert_string_equal(err.data,
		    "article 'https://news.example/x#top' is already stored");
		assert_int_equal(raw_count(f->path,
		                     "SELECT count(*) FROM mentions"),
		    1);
		buf_release(&err);
	}
	/* The same wire story on another site: a syndicated copy. */
	snprintf(copy, sizeof(copy), "%s Copyright Other Paper.", texts[0]);
	assert_int_equal(put(f->s, "https://other.example/story", "2024-08-15",
	                     copy, &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(j, 0), "sources")),
	    2);
	json_decref(j);
}

static void
test_store_three_articles_one_deal(void **state)
{
	struct fx *f = *state;
	struct deal d1 = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal d2 = acq("Quillfeather Foods Inc.", "BRAMBLEWORTH", 36e9,
	    Q_ABOUT, ST_ANNOUNCED);
	struct deal d3 =
	    acq("Quillfeather Foods", "Brambleworth", 0, 0, ST_ANNOUNCED);
	json_t *j, *deal;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d1, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://b.example/2", "2024-08-14",
	                     texts[1], &d2, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://c.example/3", "2024-08-15",
	                     texts[2], &d3, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	deal = json_array_get(j, 0);
	assert_int_equal(json_array_size(json_object_get(deal, "sources")), 3);
	/* One source each for 35.9 and about 36: the exact one wins. */
	assert_true(
	    json_real_value(json_object_get(json_object_get(deal, "amount"),
	        "value")) == 35.9e9 ||
	    json_integer_value(json_object_get(json_object_get(deal, "amount"),
	        "value")) == 35900000000LL);
	json_decref(j);
}

static void
test_store_two_deals_same_parties(void **state)
{
	struct fx *f = *state;
	struct deal d1 = inv("Orchard Ventures", "Lumen Robotics", 1e9,
	    ST_COMPLETED, "2019");
	struct deal d2 = inv("Orchard Ventures", "Lumen Robotics", 10e9,
	    ST_COMPLETED, "2023-01");
	json_t *j;

	/* Parties given target first are stored in CONTRACT.md's order. */
	d1.parties[0] = d2.parties[1];
	d1.parties[1] = d2.parties[0];
	assert_int_equal(put(f->s, "https://a.example/2019", "2019-07-22",
	                     texts[4], &d1, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2023", "2023-01-23",
	                     texts[5], &d2, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 2);
	for (size_t i = 0; i < 2; i++)
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_array_get(json_object_get(json_array_get(j, i),
		                           "parties"),
		            0),
		        "role")),
		    "investor");
	json_decref(j);
}

static void
test_store_status_moves_and_history(void **state)
{
	struct fx *f = *state;
	struct deal d1 = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal d2 =
	    acq("Quillfeather Foods", "Brambleworth", 0, 0, ST_COMPLETED);
	json_t *j, *deal, *h;

	/* Stored in the opposite order to publication: history still right. */
	assert_int_equal(put(f->s, "https://a.example/closed", "2025-12-11",
	                     texts[3], &d2, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/agreed", "2024-08-14",
	                     texts[0], &d1, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	deal = json_array_get(j, 0);
	assert_string_equal(json_string_value(json_object_get(deal, "status")),
	    "completed");
	h = json_object_get(deal, "history");
	assert_int_equal(json_array_size(h), 2);
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(h, 0),
	                            "status")),
	    "announced");
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(h, 0), "date")),
	    "2024-08-14");
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(h, 1),
	                            "status")),
	    "completed");
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(h, 1), "date")),
	    "2025-12-11");
	json_decref(j);
}

static void
test_store_conflicting_amounts_kept(void **state)
{
	struct fx *f = *state;
	struct deal d1 =
	    acq("Kestrel Steel", "Harbor Steel", 14.1e9, Q_EXACT, ST_COMPLETED);
	struct deal d2 =
	    acq("Kestrel Steel", "Harbor Steel", 14.9e9, Q_ABOUT, ST_COMPLETED);
	json_t *j, *src;
	char *show;
	double a, b;

	assert_int_equal(put(f->s, "https://a.example/k1", "2025-06-19",
	                     texts[0], &d1, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://b.example/k2", "2025-06-19",
	                     texts[1], &d2, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	src = json_object_get(json_array_get(j, 0), "sources");
	assert_int_equal(json_array_size(src), 2);
	a = json_number_value(
	    json_object_get(json_object_get(json_array_get(src, 0), "amount"),
	        "value"));
	b = json_number_value(
	    json_object_get(json_object_get(json_array_get(src, 1), "amount"),
	        "value"));
	assert_true(
	    (a == 14.1e9 && b == 14.9e9) || (a == 14.9e9 && b == 14.1e9));
	/* A tie of one source each: the most specific (exact) is shown. */
	assert_true(
	    json_number_value(
	        json_object_get(json_object_get(json_array_get(j, 0), "amount"),
	            "value")) == 14.1e9);
	show = capture(f->s, 0,
	    json_integer_value(json_object_get(json_array_get(j, 0), "id")));
	assert_non_null(strstr(show, "conflicting figures"));
	assert_non_null(strstr(show, "14.9 bn USD"));
	free(show);
	json_decref(j);
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Strip ids so two stores can be compared. */
static char *
export_without_ids(struct store *s)
{
	json_t *j = export_json(s, NULL);
	size_t i;
	json_t *d;
	char **lines;
	struct buf b = BUF_INIT;
	size_t n = json_array_size(j);

	lines = xcalloc(n + 1, sizeof(*lines));
	json_array_foreach(j, i, d)
	{
		json_object_del(d, "id");
		lines[i] = json_dumps(d, JSON_SORT_KEYS | JSON_COMPACT);
	}
	qsort(lines, n, sizeof(*lines), cmp_strp);
	for (i = 0; i < n; i++) {
		buf_adds(&b, lines[i]);
		buf_addch(&b, '\n');
		free(lines[i]);
	}
	free(lines);
	json_decref(j);
	return buf_detach(&b, NULL);
}

static void
test_store_order_independent(void **state)
{
	struct fx *f = *state;
	struct deal d[6];
	struct store *s2;
	struct buf err = BUF_INIT;
	char path[128];
	char *x1, *x2;
	static const char *const pub[6] = { "2024-08-14", "2024-08-14",
		"2024-08-15", "2025-12-11", "2019-07-22", "2023-01-23" };
	static const size_t order[6] = { 5, 3, 1, 4, 0, 2 };

	d[0] = acq("Quillfeather Foods", "Brambleworth", 35.9e9, Q_EXACT,
	    ST_ANNOUNCED);
	d[1] = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_ABOUT,
	    ST_ANNOUNCED);
	d[2] = acq("Quillfeather Foods", "Brambleworth", 0, 0, ST_TALKS);
	d[3] = acq("Quillfeather Foods", "Brambleworth", 41e9, Q_EXACT,
	    ST_COMPLETED);
	d[4] = inv("Orchard Ventures", "Lumen Robotics", 1e9, ST_COMPLETED,
	    "2019");
	d[5] = inv("Orchard Ventures", "Lumen Robotics", 10e9, ST_COMPLETED,
	    "2023-01");
	for (size_t i = 0; i < 6; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://a.example/%zu", i);
		assert_int_equal(put(f->s, url, pub[i], texts[i], &d[i], 1),
		    DW_OK);
	}
	snprintf(path, sizeof(path), "%s/other.db", f->dir);
	assert_int_equal(store_open(&s2, path, &err), DW_OK);
	for (size_t k = 0; k < 6; k++) {
		size_t i = order[k];
		char url[64];

		snprintf(url, sizeof(url), "https://a.example/%zu", i);
		assert_int_equal(put(s2, url, pub[i], texts[i], &d[i], 1),
		    DW_OK);
	}
	x1 = export_without_ids(f->s);
	x2 = export_without_ids(s2);
	assert_string_equal(x1, x2);
	free(x1);
	free(x2);
	store_close(s2);
	buf_release(&err);
}

static void
test_store_reject_stays_rejected(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct buf err = BUF_INIT;
	json_t *j;
	int64_t id;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	id = json_integer_value(json_object_get(json_array_get(j, 0), "id"));
	json_decref(j);
	assert_int_equal(store_deal_reject(f->s, id, &err), DW_OK);
	/* Crawled again, and reported again elsewhere. */
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_EEXISTS);
	assert_int_equal(put(f->s, "https://b.example/2", "2024-08-15",
	                     texts[1], &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	assert_int_equal(store_deal_reject(f->s, 999, &err), DW_ENOTFOUND);
	buf_release(&err);
}

static void
test_store_merge_two_deals(void **state)
{
	struct fx *f = *state;
	struct deal d1 = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal d2 = acq("Quillfeather", "Brambleworth Snacks", 35.9e9,
	    Q_EXACT, ST_COMPLETED);
	struct buf err = BUF_INIT;
	json_t *j;
	int64_t a, b;
	char *show;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d1, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://b.example/2", "2025-12-11",
	                     texts[3], &d2, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 2);
	a = json_integer_value(json_object_get(json_array_get(j, 0), "id"));
	b = json_integer_value(json_object_get(json_array_get(j, 1), "id"));
	json_decref(j);
	assert_int_equal(store_deal_merge(f->s, a, a, &err), DW_EUSAGE);
	assert_int_equal(store_deal_merge(f->s, a, b, &err), DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_array_get(j, 0), "id")),
	    a);
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(j, 0),
	                            "status")),
	    "completed");
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(j, 0), "sources")),
	    2);
	json_decref(j);
	show = capture(f->s, 0, b);
	assert_non_null(strstr(show, "merged into"));
	free(show);
	buf_release(&err);
}

/* A stand-in extractor: the amount a "rule" gives. */
static int
fake_extract(struct deal_list *out, struct span text, const char *published,
    struct arena *a, void *arg, struct buf *err)
{
	struct deal *d = NEW(a, struct deal, 1);

	(void)text;
	(void)published;
	(void)err;
	*d = acq("Quillfeather Foods", "Brambleworth", *(double *)arg, Q_EXACT,
	    ST_ANNOUNCED);
	out->v = d;
	out->n = 1;
	return DW_OK;
}

static void
test_store_reextract_keeps_ids(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 3.59e9,
	    Q_EXACT, ST_ANNOUNCED);
	double fixed = 35.9e9;
	struct store_extract_fn fn = { fake_extract, &fixed };
	struct store_reextract_stats st;
	struct buf err = BUF_INIT;
	json_t *j;
	int64_t id;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	id = json_integer_value(json_object_get(json_array_get(j, 0), "id"));
	json_decref(j);
	assert_int_equal(store_reextract(f->s, NULL, &fn, &st, &err), DW_OK);
	assert_int_equal(st.articles, 1);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_array_get(j, 0), "id")),
	    id);
	assert_true(
	    json_number_value(
	        json_object_get(json_object_get(json_array_get(j, 0), "amount"),
	            "value")) == 35.9e9);
	json_decref(j);
	buf_release(&err);
}

static void
test_store_circles_json(void **state)
{
	struct fx *f = *state;
	struct deal d[6];
	char *out;
	json_t *j, *c;
	json_error_t je;

	d[0] = inv("Amazon", "OpenAI", 10e9, ST_TALKS, NULL);
	d[1] = mk(DEAL_SUPPLY, ROLE_CUSTOMER, "OpenAI", ROLE_SUPPLIER, "Amazon",
	    38e9, "USD", Q_EXACT, ST_COMPLETED, "2025-11");
	d[2] = inv("OpenAI", "CoreWeave", 350e6, ST_COMPLETED, "2025-03");
	d[3] = mk(DEAL_SUPPLY, ROLE_CUSTOMER, "CoreWeave", ROLE_SUPPLIER,
	    "Nvidia", 0, "USD", 0, ST_ANNOUNCED, NULL);
	d[4] = inv("Nvidia", "CoreWeave", 0, ST_ANNOUNCED, NULL);
	/* Terminated deals make no circle. */
	d[5] = mk(DEAL_SUPPLY, ROLE_CUSTOMER, "CoreWeave", ROLE_SUPPLIER,
	    "OpenAI", 0, "USD", 0, ST_TERMINATED, NULL);
	assert_int_equal(put(f->s, "https://seed.example/", "2025-12-17",
	                     texts[0], d, 6),
	    DW_OK);
	out = capture(f->s, CIRCLES_JSON, 0);
	j = json_loads(out, 0, &je);
	assert_non_null(j);
	c = json_object_get(j, "circles");
	assert_int_equal(json_array_size(c), 2);
	assert_string_equal(json_string_value(
	                        json_array_get(json_object_get(json_array_get(c,
	                                                           0),
	                                           "parties"),
	                            0)),
	    "Amazon");
	assert_string_equal(json_string_value(
	                        json_array_get(json_object_get(json_array_get(c,
	                                                           0),
	                                           "parties"),
	                            1)),
	    "OpenAI");
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(c, 0), "deals")),
	    2);
	assert_string_equal(json_string_value(
	                        json_array_get(json_object_get(json_array_get(c,
	                                                           1),
	                                           "parties"),
	                            0)),
	    "CoreWeave");
	assert_string_equal(json_string_value(
	                        json_array_get(json_object_get(json_array_get(c,
	                                                           1),
	                                           "parties"),
	                            1)),
	    "Nvidia");
	json_decref(j);
	free(out);
}

/*
 * SQLite's allocator once a store is open (store/mem.c): every size
 * gets a block 16-byte aligned that holds it, of its class's size (16
 * bytes a step to 256, then four a doubling), reallocating keeps the
 * bytes, and a block freed is the next given of its class.
 */
static void
test_store_allocator_sizes(void **state)
{
	void *kept[64];

	(void)state;
	for (int n = 1; n <= 20000; n += n < 600 ? 1 : 37) {
		char *p = sqlite3_malloc(n);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_true(sqlite3_msize(p) >= (sqlite3_uint64)n);
		memset(p, 'x', (size_t)n);
		p = sqlite3_realloc(p, n + 300);
		assert_non_null(p);
		assert_true(sqlite3_msize(p) >= (sqlite3_uint64)n + 300);
		for (int i = 0; i < n; i++)
			assert_int_equal(p[i], 'x');
		sqlite3_free(p);
	}
	kept[0] = sqlite3_malloc(300);
	assert_int_equal(sqlite3_msize(kept[0]), 320);
	sqlite3_free(kept[0]);
	kept[0] = sqlite3_malloc(1000);
	assert_int_equal(sqlite3_msize(kept[0]), 1024);
	sqlite3_free(kept[0]);
	for (int i = 0; i < 64; i++)
		kept[i] = sqlite3_malloc(100);
	for (int i = 0; i < 64; i++)
		sqlite3_free(kept[i]);
	assert_ptr_equal(sqlite3_malloc(100), kept[63]);
	sqlite3_free(kept[63]);
}

static void
test_store_open_fails_cleanly(void **state)
{
	struct store *s = NULL;
	struct buf err = BUF_INIT;

	(void)state;
	assert_int_equal(store_open(&s, "/nonexistent-dir/x/deals.db", &err),
	    DW_ECREATE);
	assert_null(s);
	assert_non_null(strstr(err.data, "/nonexistent-dir/x/deals.db"));
	assert_null(strchr(err.data, '\n'));
	buf_release(&err);
}

static void
test_store_reopen_keeps_data(void **state)
{
	struct fx *f = *state;
	struct deal d = inv("Orchard Ventures", "Lumen Robotics", 1e9,
	    ST_COMPLETED, "2019");
	struct buf err = BUF_INIT;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2019-07-22",
	                     texts[4], &d, 1),
	    DW_OK);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	buf_release(&err);
}

/*
 * CSV and JSON read back by Python's csv and json modules give the same
 * deals, whatever the party names hold.
 */
static const char readback_py[] =
    "import csv, json, sys\n"
    "deals = json.load(open(sys.argv[2], encoding='utf-8'))\n"
    "want = sorted((d['type'], d['parties'][0]['name'],\n"
    "               d['parties'][1]['name'], d['amount']['value'])\n"
    "              for d in deals)\n"
    "def unq(c):\n"
    "    return c[1:] if c[:1] == \"'\" and c[1:2] in ('=', '+', '-', '@',\n"
    "                                                  '\\t', '\\r') else c\n"
    "rows = list(csv.DictReader(open(sys.argv[1], newline='',\n"
    "                                encoding='utf-8')))\n"
    "for r in rows:\n"
    "    for k in ('from', 'to'):\n"
    "        c = r[k]\n"
    "        if c[:1] in ('=', '+', '-', '@', '\\t', '\\r'):\n"
    "            sys.exit('unescaped cell %r' % c)\n"
    "got = sorted((r['type'], unq(r['from']), unq(r['to']),\n"
    "              int(r['amount'])) for r in rows)\n"
    "names = set(json.loads(sys.argv[3]))\n"
    "seen = set(n for g in got for n in g[1:3])\n"
    "if got != want or not names <= seen:\n"
    "    sys.exit('csv %r\\njson %r' % (got, want))\n";

static void
test_store_csv_json_read_back(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {
		"=HYPERLINK(\"x\")",
		"Comma, Holdings",
		"Quote \"Q\" Works",
		"New\nLine Labs",
		"Ünïcødé Straße",
		"-Minus Capital",
		"+Plus Partners",
		"@At Media",
		"\tTab Systems",
		"\rReturn Co",
	};
	struct deal d[countof(names)];
	char csvp[128], jsonp[128], pyp[128], cmd[1024];
	struct buf err = BUF_INIT, list = BUF_INIT;
	FILE *out;

	if (access("/usr/bin/python3", X_OK) != 0) {
		skip();
		return;
	}
	for (size_t i = 0; i < countof(names); i++)
		d[i] = inv(names[i], names[(i + 1) % countof(names)],
		    (double)(i + 1) * 1e6, ST_ANNOUNCED, NULL);
	assert_int_equal(put(f->s, "https://a.example/odd", "2025-01-02",
	                     texts[0], d, countof(names)),
	    DW_OK);
	snprintf(csvp, sizeof(csvp), "%s/x.csv", f->dir);
	snprintf(jsonp, sizeof(jsonp), "%s/x.json", f->dir);
	snprintf(pyp, sizeof(pyp), "%s/check.py", f->dir);
	out = fopen(csvp, "w");
	assert_int_equal(store_export(f->s, out, EXPORT_CSV, NULL, &err),
	    DW_OK);
	fclose(out);
	out = fopen(jsonp, "w");
	assert_int_equal(store_export(f->s, out, EXPORT_JSON, NULL, &err),
	    DW_OK);
	fclose(out);
	out = fopen(pyp, "w");
	fputs(readback_py, out);
	fclose(out);
	buf_addch(&list, '[');
	for (size_t i = 0; i < countof(names); i++) {
		if (i)
			buf_addch(&list, ',');
		buf_json_str(&list, names[i]);
	}
	buf_addch(&list, ']');
	/* The JSON list goes through a file: it holds quotes and newlines. */
	snprintf(cmd, sizeof(cmd), "%s/names.json", f->dir);
	out = fopen(cmd, "w");
	fputs(list.data, out);
	fclose(out);
	snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 %s %s %s \"$(cat %s/names.json)\"", pyp, csvp,
	    jsonp, f->dir);
	assert_int_equal(system(cmd), 0);
	buf_release(&err);
	buf_release(&list);
}

static size_t
count_deals(struct store *s)
{
	json_t *j = export_json(s, NULL);
	size_t n = json_array_size(j);

	json_decref(j);
	return n;
}

static void
test_store_merge_rules(void **state)
{
	struct fx *f = *state;
	struct deal d[8];
	json_t *j;

	/* Consistent with an "up to" bound: one deal; past it: another. */
	d[0] =
	    mk(DEAL_INVESTMENT, ROLE_INVESTOR, "Orchard Ventures", ROLE_TARGET,
	        "Lumen Robotics", 10e9, "USD", Q_UP_TO, ST_TALKS, NULL);
	d[1] =
	    inv("Orchard Ventures", "Lumen Robotics", 8e9, ST_ANNOUNCED, NULL);
	d[2] =
	    inv("Orchard Ventures", "Lumen Robotics", 12e9, ST_ANNOUNCED, NULL);
	assert_int_equal(put(f->s, "https://a.example/r0", "2025-01-02",
	                     texts[0], &d[0], 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/r1", "2025-01-09",
	                     texts[1], &d[1], 1),
	    DW_OK);
	assert_int_equal(count_deals(f->s), 1);
	assert_int_equal(put(f->s, "https://a.example/r2", "2025-01-10",
	                     texts[2], &d[2], 1),
	    DW_OK);
	assert_int_equal(count_deals(f->s), 2);
	/* Figures in other currencies are not converted: no conflict. */
	d[3] = mk(DEAL_ACQUISITION, ROLE_ACQUIRER, "Kestrel Steel", ROLE_TARGET,
	    "Harbor Steel", 2e12, "JPY", Q_EXACT, ST_ANNOUNCED, "2023-12");
	/* Agreed in December 2023, closed in June 2025: one deal. */
	d[4] =
	    acq("Kestrel Steel", "Harbor Steel", 14.1e9, Q_EXACT, ST_COMPLETED);
	snprintf(d[4].date.value, sizeof(d[4].date.value), "2025-06-18");
	d[5] =
	    acq("Kestrel Steel", "Harbor Steel", 14.1e9, Q_EXACT, ST_COMPLETED);
	d[6] =
	    acq("Kestrel Steel", "Harbor Steel", 13.5e9, Q_EXACT, ST_COMPLETED);
	assert_int_equal(put(f->s, "https://b.example/k0", "2023-12-19",
	                     texts[3], &d[3], 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://b.example/k1", "2025-06-19",
	                     texts[4], &d[4], 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://b.example/k2", "2025-06-19",
	                     texts[5], &d[5], 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://b.example/k3", "2025-06-20",
	                     texts[0], &d[6], 1),
	    DW_OK);
	assert_int_equal(count_deals(f->s), 3);
	{
		struct deal_filter flt = { .party = "kestrel steel",
			.type = DEAL_ACQUISITION };

		j = export_json(f->s, &flt);
	}
	assert_int_equal(json_array_size(j), 1);
	/* Two articles say 14.1 billion, one 13.5: the majority shows. */
	assert_true(
	    json_number_value(
	        json_object_get(json_object_get(json_array_get(j, 0), "amount"),
	            "value")) == 14.1e9);
	assert_string_equal(json_string_value(
	                        json_object_get(json_array_get(j, 0),
	                            "status")),
	    "completed");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(json_array_get(j, 0), "date"),
	                        "value")),
	    "2025-06-18");
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(j, 0), "history")),
	    2);
	json_decref(j);
	/* Deals a group split into (made empty, then written) are found
	 * by their parties' names too. */
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM deals WHERE id NOT IN"
	                     " (SELECT deal_id FROM deal_names)"),
	    0);
}

static int
put_guid(struct store *s, int64_t feed, const char *url, const char *guid,
    const char *text)
{
	struct article_rec rec = { feed, url, guid, NULL, "2025-01-02",
		{ text, strlen(text) }, NULL };
	struct buf err = BUF_INIT;
	int rc = store_article_put(s, &rec, NULL, NULL, NULL, &err);

	buf_release(&err);
	return rc;
}

/* Many look-ups at once (two statements' worth) say what one at a time
 * says: by canonical URL or global GUID, never by a bare GUID. */
static void
test_store_articles_known_many(void **state)
{
	struct fx *f = *state;
	struct buf err = BUF_INIT;
	const char *urls[30], *guids[30];
	char more[30][40];
	unsigned char known[30];

	assert_int_equal(store_feed_add(f->s, "https://a.example/f", &err),
	    DW_OK);
	assert_int_equal(put_guid(f->s, 1, "https://a.example/1", "urn:x:1",
	                     texts[0]),
	    DW_OK);
	assert_int_equal(put_guid(f->s, 1, "https://a.example/2", "77",
	                     texts[1]),
	    DW_OK);
	assert_int_equal(put_guid(f->s, 1, "https://a.example/3", NULL,
	                     texts[2]),
	    DW_OK);
	for (size_t i = 0; i < 30; i++) {
		snprintf(more[i], sizeof(more[i]), "https://new.example/%zu",
		    i);
		urls[i] = more[i];
		guids[i] = NULL;
	}
	urls[0] = "https://A.example/1/#top"; /* its canonical URL is known */
	urls[1] = NULL;
	guids[1] = "urn:x:1";
	guids[2] = "77"; /* bare: not looked up without its feed */
	urls[3] = NULL;
	urls[26] = "https://a.example/3?utm_source=x";
	guids[29] = "urn:x:1";
	memset(known, 7, sizeof(known));
	assert_int_equal(store_articles_known(f->s, 30, urls, guids, known),
	    DW_OK);
	for (size_t i = 0; i < 30; i++) {
		int want = i == 0 || i == 1 || i == 26 || i == 29;

		assert_int_equal(known[i], want);
		assert_int_equal(store_article_known(f->s, urls[i], guids[i]),
		    want);
	}
	/* fewer than a statement's rows: the others bound to nothing */
	assert_int_equal(store_articles_known(f->s, 2, urls + 2, guids + 2,
	                     known),
	    DW_OK);
	assert_int_equal(known[0], 0);
	assert_int_equal(known[1], 0);
	buf_release(&err);
}

static void
test_store_feed_guids(void **state)
{
	struct fx *f = *state;
	struct buf err = BUF_INIT;

	assert_int_equal(store_feed_add(f->s, "https://a.example/f", &err),
	    DW_OK);
	assert_int_equal(store_feed_add(f->s, "https://b.example/f", &err),
	    DW_OK);
	/* A global GUID identifies the article whatever its URL. */
	assert_int_equal(put_guid(f->s, 1, "https://a.example/1",
	                     "urn:uuid:1234", texts[0]),
	    DW_OK);
	assert_true(store_article_known(f->s, "https://elsewhere.example/",
	    "urn:uuid:1234"));
	assert_int_equal(put_guid(f->s, 2, "https://b.example/9",
	                     "urn:uuid:1234", texts[1]),
	    DW_EEXISTS);
	/* A bare GUID means something only within its feed. */
	assert_int_equal(put_guid(f->s, 1, "https://a.example/2", "77",
	                     texts[2]),
	    DW_OK);
	assert_int_equal(put_guid(f->s, 1, "https://a.example/2b", "77",
	                     texts[3]),
	    DW_EEXISTS);
	assert_int_equal(put_guid(f->s, 2, "https://b.example/2", "77",
	                     texts[4]),
	    DW_OK);
	buf_release(&err);
}

/* A stand-in extractor that finds the deal only when *arg is set. */
static int
maybe_extract(struct deal_list *out, struct span text, const char *published,
    struct arena *a, void *arg, struct buf *err)
{
	out->n = 0;
	out->v = NULL;
	if (!*(int *)arg)
		return DW_OK;
	return fake_extract(out, text, published, a, &(double){ 35.9e9 }, err);
}

static void
test_store_rejected_outlives_its_mentions(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	int finds = 0;
	struct store_extract_fn fn = { maybe_extract, &finds };
	struct store_reextract_stats st;
	struct buf err = BUF_INIT;
	json_t *j;
	int64_t id;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	id = json_integer_value(json_object_get(json_array_get(j, 0), "id"));
	json_decref(j);
	assert_int_equal(store_deal_reject(f->s, id, &err), DW_OK);
	/* A rule change loses the deal, a later one finds it again. */
	assert_int_equal(store_reextract(f->s, NULL, &fn, &st, &err), DW_OK);
	finds = 1;
	assert_int_equal(store_reextract(f->s, NULL, &fn, &st, &err), DW_OK);
	assert_int_equal(count_deals(f->s), 0);
	/* And a new article about it. */
	assert_int_equal(put(f->s, "https://b.example/2", "2024-08-15",
	                     texts[1], &d, 1),
	    DW_OK);
	assert_int_equal(count_deals(f->s), 0);
	buf_release(&err);
}

/*
 * Batches. A mention naming "Poison Pill" makes the database refuse it
 * (a trigger added behind the store's back), after the article row and
 * its bands were written: the failure comes mid-way through a put.
 */
static void
add_poison_trigger(const char *path)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                     "CREATE TRIGGER poison BEFORE INSERT ON mentions"
	                     " WHEN NEW.parties LIKE '%Poison Pill%' BEGIN"
	                     " SELECT RAISE(ABORT, 'poisoned'); END;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

static void
test_store_batch_failing_article_alone(void **state)
{
	struct fx *f = *state;
	struct deal good1 = acq("Quillfeather Foods", "Brambleworth", 36e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal bad[2] = {
		inv("Orchard Ventures", "Lumen Robotics", 1e9, ST_COMPLETED,
		    "2019"),
		inv("Orchard Ventures", "Poison Pill", 2e9, ST_COMPLETED,
		    "2019"),
	};
	struct deal good2 = inv("Orchard Ventures", "Lumen Robotics", 10e9,
	    ST_COMPLETED, "2023-01");
	struct buf err = BUF_INIT;
	json_t *j;

	add_poison_trigger(f->path);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_EUSAGE);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &good1, 1),
	    DW_OK);
	/* Fails after its article row, its bands and a first mention. */
	assert_int_not_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                         texts[4], bad, 2),
	    DW_OK);
	assert_false(store_article_known(f->s, "https://a.example/2", NULL));
	assert_int_equal(put(f->s, "https://a.example/3", "2023-01-23",
	                     texts[5], &good2, 1),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_EUSAGE);
	assert_true(store_article_known(f->s, "https://a.example/1", NULL));
	assert_false(store_article_known(f->s, "https://a.example/2", NULL));
	assert_true(store_article_known(f->s, "https://a.example/3", NULL));
	/* The two good articles' deals, nothing of the failed one (its
	 * 2019 investment in Lumen Robotics is not there). */
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 2);
	json_decref(j);
	/* The failed article is not mistaken for a copy of anything: stored
	 * again later without its poison, it is a new article. */
	assert_int_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                     texts[4], bad, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 3);
	json_decref(j);
	buf_release(&err);
}

/*
 * A failing article of a batch that reported a deal stored before: its
 * mention of that deal goes with it, and the deal is as it was.
 */
static void
test_store_batch_failing_article_on_stored_deal(void **state)
{
	struct fx *f = *state;
	struct deal good = acq("Quillfeather Foods", "Brambleworth", 36e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal bad[2] = {
		acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
		    ST_COMPLETED),
		inv("Orchard Ventures", "Poison Pill", 2e9, ST_COMPLETED,
		    "2019"),
	};
	struct buf err = BUF_INIT;
	json_t *j, *deal;

	add_poison_trigger(f->path);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &good, 1),
	    DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_not_equal(put(f->s, "https://a.example/2", "2024-09-01",
	                         texts[3], bad, 2),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_false(store_article_known(f->s, "https://a.example/2", NULL));
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	deal = json_array_get(j, 0);
	assert_int_equal(json_array_size(json_object_get(deal, "sources")), 1);
	assert_string_equal(json_string_value(json_object_get(deal, "status")),
	    "announced");
	json_decref(j);
	buf_release(&err);
}

static void
test_store_batch_rollback_leaves_nothing(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct feed_state *feeds;
	struct buf err = BUF_INIT;
	size_t n;

	assert_int_equal(store_feed_add(f->s, "https://feeds.example/rss",
	                     &err),
	    DW_OK);
	assert_int_equal(store_feed_list(f->s, &feeds, &n, &f->a, &err), DW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	feeds[0].etag = "\"v2\"";
	assert_int_equal(store_feed_update(f->s, &feeds[0], &err), DW_OK);
	/* Seen inside the batch... */
	assert_true(store_article_known(f->s, "https://a.example/1", NULL));
	store_batch_rollback(f->s);
	/* ...and gone with it: the article, its deal, the feed's ETag. */
	assert_false(store_article_known(f->s, "https://a.example/1", NULL));
	assert_int_equal(count_deals(f->s), 0);
	assert_int_equal(store_feed_list(f->s, &feeds, &n, &f->a, &err), DW_OK);
	assert_null(feeds[0].etag);
	/* A batch never committed (a crawl killed, the store closed) leaves
	 * nothing either. */
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	assert_false(store_article_known(f->s, "https://a.example/1", NULL));
	assert_int_equal(count_deals(f->s), 0);
	/* And without a batch, writes commit one by one as before. */
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	assert_int_equal(count_deals(f->s), 1);
	buf_release(&err);
}

static void
test_store_batch_equals_single_puts(void **state)
{
	struct fx *f = *state;
	struct deal d[7];
	struct store *s2;
	struct buf err = BUF_INIT;
	char path[128], copy[512];
	char *x1, *x2;
	static const char *const pub[7] = { "2024-08-14", "2024-08-14",
		"2024-08-15", "2025-12-11", "2019-07-22", "2023-01-23",
		"2024-08-16" };
	const char *text[7];

	d[0] = acq("Quillfeather Foods", "Brambleworth", 35.9e9, Q_EXACT,
	    ST_ANNOUNCED);
	d[1] = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_ABOUT,
	    ST_ANNOUNCED);
	d[2] = acq("Quillfeather Foods", "Brambleworth", 0, 0, ST_TALKS);
	d[3] = acq("Quillfeather Foods", "Brambleworth", 41e9, Q_EXACT,
	    ST_COMPLETED);
	d[4] = inv("Orchard Ventures", "Lumen Robotics", 1e9, ST_COMPLETED,
	    "2019");
	d[5] = inv("Orchard Ventures", "Lumen Robotics", 10e9, ST_COMPLETED,
	    "2023-01");
	d[6] = d[0];
	for (size_t i = 0; i < 6; i++)
		text[i] = texts[i];
	/* A syndicated copy of the first, in the same batch. */
	snprintf(copy, sizeof(copy), "%s Copyright Other Paper.", texts[0]);
	text[6] = copy;
	for (size_t i = 0; i < 7; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://a.example/%zu", i);
		assert_int_equal(put(f->s, url, pub[i], text[i], &d[i], 1),
		    DW_OK);
	}
	snprintf(path, sizeof(path), "%s/other.db", f->dir);
	assert_int_equal(store_open(&s2, path, &err), DW_OK);
	assert_int_equal(store_batch_begin(s2, &err), DW_OK);
	for (size_t i = 0; i < 7; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://a.example/%zu", i);
		assert_int_equal(put(s2, url, pub[i], text[i], &d[i], 1),
		    DW_OK);
	}
	/* Stored twice in one batch: known, nothing written. */
	assert_int_equal(put(s2, "https://a.example/3", pub[3], text[3], &d[3],
	                     1),
	    DW_EEXISTS);
	assert_int_equal(store_batch_commit(s2, &err), DW_OK);
	x1 = export_without_ids(f->s);
	x2 = export_without_ids(s2);
	assert_string_equal(x1, x2);
	free(x1);
	free(x2);
	store_close(s2);
	buf_release(&err);
}

static int
raw_count(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/*
 * Statements keep their bound values from one article to the next (only
 * what changed is bound again): an article without a figure, date, pin,
 * feed or GUID stores NULL there after one that had them all, and the
 * next full one stores all of them again.
 */
static void
test_store_unset_fields_stay_null(void **state)
{
	static const char full[] =
	    "Orchard Ventures took a 30% stake in Lumen Robotics at a "
	    "valuation of $2 billion for $300 million to $350 million, "
	    "on Tuesday.";
	static const char bare[] = "Quillfeather Foods and Brambleworth "
	                           "talked about a merger.";
	static const char again[] =
	    "Harbor Mills took a 10% stake in Copperline Tools at a "
	    "valuation of $1 billion for $90 million to $110 million, on "
	    "Friday.";
	struct fx *f = *state;
	struct deal d1 = inv("Orchard Ventures", "Lumen Robotics", 300e6,
	                ST_ANNOUNCED, "2024-08-13"),
	            d2 = mk(DEAL_MERGER, ROLE_PARTY, "Quillfeather Foods",
	                ROLE_PARTY, "Brambleworth", 0, NULL, 0, ST_NONE, NULL),
	            d3 = inv("Harbor Mills", "Copperline Tools", 90e6,
	                ST_ANNOUNCED, "2024-08-16");
	struct article_rec rec = { 0, "https://a.example/full", "urn:x:1",
		"a title", "2024-08-14", { full, strlen(full) }, NULL };
	struct deal_list dl = { &d1, 1 };
	struct buf err = BUF_INIT;

	assert_int_equal(store_feed_add(f->s, "https://a.example/feed", &err),
	    DW_OK);
	rec.feed_id = 1;
	d1.amount.qualifier = Q_RANGE;
	d1.amount.low = 300e6;
	d1.amount.high = 350e6;
	d1.amount_text = (struct textref){ 85, 113 };
	d1.has_stake = 1;
	d1.stake = 30;
	d1.stake_text = (struct textref){ 24, 27 };
	d1.has_valuation = 1;
	d1.valuation.value = 2e9;
	memcpy(d1.valuation.currency, "EUR", 3);
	d1.valuation.qualifier = Q_ABOUT;
	d1.valuation_text = (struct textref){ 70, 80 };
	d1.date_text = (struct textref){ 118, 125 };
	assert_int_equal(store_article_put(f->s, &rec, &dl, NULL, NULL, &err),
	    DW_OK);
	d3.amount.qualifier = Q_RANGE;
	d3.amount.low = 90e6;
	d3.amount.high = 110e6;
	d3.amount_text = (struct textref){ 83, 110 };
	d3.has_stake = 1;
	d3.stake = 10;
	d3.stake_text = (struct textref){ 20, 23 };
	d3.has_valuation = 1;
	d3.valuation.value = 1e9;
	memcpy(d3.valuation.currency, "EUR", 3);
	d3.valuation.qualifier = Q_ABOUT;
	d3.valuation_text = (struct textref){ 68, 78 };
	d3.date_text = (struct textref){ 115, 121 };
	assert_int_equal(put(f->s, "https://a.example/bare", NULL, bare, &d2,
	                     1),
	    DW_OK);
	rec.url = "https://a.example/again";
	rec.guid = "urn:x:3";
	rec.text = (struct span){ again, strlen(again) };
	dl.v = &d3;
	assert_int_equal(store_article_put(f->s, &rec, &dl, NULL, NULL, &err),
	    DW_OK);
	/* The bare article and its mention and deal: NULL wherever it
	 * says nothing. */
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM articles WHERE feed_id IS"
	                     " NULL AND guid IS NULL AND published IS NULL"
	                     " AND url = 'https://a.example/bare'"),
	    1);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM mentions WHERE pin IS NULL"
	                     " AND status = 0 AND date IS NULL AND date_text"
	                     " IS NULL AND amount IS NULL AND amount_low IS"
	                     " NULL AND amount_high IS NULL AND"
	                     " amount_currency IS NULL AND amount_qualifier IS"
	                     " NULL AND amount_text IS NULL AND stake IS NULL"
	                     " AND stake_text IS NULL AND valuation IS NULL"
	                     " AND valuation_low IS NULL AND valuation_high IS"
	                     " NULL AND valuation_currency IS NULL AND"
	                     " valuation_qualifier IS NULL AND valuation_text"
	                     " IS NULL AND article_id = 2"),
	    1);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM deals WHERE status IS NULL"
	                     " AND date IS NULL AND date_text IS NULL AND"
	                     " amount IS NULL AND amount_currency IS NULL AND"
	                     " amount_text IS NULL AND stake IS NULL AND"
	                     " stake_text IS NULL AND valuation IS NULL AND"
	                     " valuation_currency IS NULL AND valuation_text"
	                     " IS NULL AND first_published IS NULL AND"
	                     " history = ''"),
	    1);
	/* The two full ones: every field, each its own. */
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM mentions WHERE"
	                     " amount_low IS NOT NULL AND amount_high >"
	                     " amount_low AND amount_text LIKE '$%million'"
	                     " AND stake_text LIKE '%0%' AND valuation_text"
	                     " LIKE '$_ billion' AND valuation_currency ="
	                     " 'EUR' AND date_text LIKE '%day'"),
	    2);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM deals WHERE amount_low IS"
	                     " NOT NULL AND stake IN (10, 30) AND valuation"
	                     " IN (1e9, 2e9) AND date_text IN ('Tuesday',"
	                     " 'Friday') AND status = 2"),
	    2);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM articles WHERE feed_id = 1"
	                     " AND guid LIKE 'urn:x:_'"),
	    2);
	buf_release(&err);
}

/* Back to version 6: every deal indexed by its group number. */
static void
downgrade_to_v6(sqlite3 *db)
{
	assert_int_equal(sqlite3_exec(db,
	                     "DROP INDEX deals_rejected;"
	                     "CREATE INDEX deals_gh ON deals(gh);"
	                     "PRAGMA user_version = 6;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
}

/*
 * A version 6 database (every deal in deals_gh) opens and upgrades in
 * place: deals_gh goes, the rejected deals are indexed, and a rejected
 * deal that lost its mentions is found by its group again (a new report
 * of it joins it and stays rejected, where a deal of a new group would
 * be listed).
 */
static void
test_store_upgrade_from_v6(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal d3 =
	    acq("Harbor Mills", "Copperline", 0, Q_EXACT, ST_ANNOUNCED);
	int finds = 0;
	struct store_extract_fn fn = { maybe_extract, &finds };
	struct store_reextract_stats st;
	struct buf err = BUF_INIT;
	char *before, *after;
	sqlite3 *db;
	json_t *j;
	int64_t id;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	id = json_integer_value(json_object_get(json_array_get(j, 0), "id"));
	json_decref(j);
	assert_int_equal(store_deal_reject(f->s, id, &err), DW_OK);
	/* The rule change that loses it, before the upgrade. */
	assert_int_equal(store_reextract(f->s, NULL, &fn, &st, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/3", "2024-08-16",
	                     texts[2], &d3, 1),
	    DW_OK);
	before = export_without_ids(f->s);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	downgrade_to_v6(db);
	sqlite3_close(db);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM deals WHERE rejected = 1 AND"
	                     " id NOT IN (SELECT deal_id FROM mentions)"),
	    1);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	after = export_without_ids(f->s);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(raw_count(f->path, "PRAGMA user_version"), 7);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE name ="
	                     " 'deals_gh'"),
	    0);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE name ="
	                     " 'deals_rejected'"),
	    1);
	/* A new report of the rejected deal takes its id: not listed. */
	assert_int_equal(put(f->s, "https://b.example/2", "2024-08-15",
	                     texts[1], &d, 1),
	    DW_OK);
	assert_int_equal(count_deals(f->s), 1);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM mentions WHERE deal_id = "
	                     "(SELECT"
	                     " id FROM deals WHERE rejected = 1)"),
	    1);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deals"), 2);
	buf_release(&err);
}

/*
 * Back to version 5: mentions numbered 1, 2, ... in the order they were
 * stored, with their index by article, and deal_names keyed by the
 * folded names (from each deal's group key: "type;role:len:key;...").
 */
static void
downgrade_to_v5(sqlite3 *db)
{
	sqlite3_stmt *st, *put;

	downgrade_to_v6(db);
	assert_int_equal(sqlite3_exec(db,
	                     "CREATE TABLE m5 AS SELECT * FROM mentions"
	                     " ORDER BY id;"
	                     "UPDATE m5 SET id = NULL;"
	                     "DELETE FROM mentions;"
	                     "INSERT INTO mentions SELECT * FROM m5"
	                     " ORDER BY rowid;"
	                     "DROP TABLE m5;"
	                     "CREATE INDEX mentions_article ON"
	                     " mentions(article_id);"
	                     "CREATE TABLE names5 ("
	                     " name_key TEXT NOT NULL,"
	                     " deal_id INTEGER NOT NULL,"
	                     " PRIMARY KEY (name_key, deal_id)) WITHOUT ROWID;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "SELECT id, gkey FROM deals WHERE id IN"
	                     " (SELECT deal_id FROM deal_names)",
	                     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "INSERT OR IGNORE INTO names5 VALUES (?, ?)", -1,
	                     &put, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *p =
		    strchr((const char *)sqlite3_column_text(st, 1), ';');
		char *end;

		for (p++; *p; p = end + 1) {
			long len = strtol(strchr(p, ':') + 1, &end, 10);

			sqlite3_bind_text(put, 1, end + 1, (int)len,
			    SQLITE_STATIC);
			sqlite3_bind_int64(put, 2, sqlite3_column_int64(st, 0));
			assert_int_equal(sqlite3_step(put), SQLITE_DONE);
			sqlite3_reset(put);
			end += 1 + len;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(put);
	assert_int_equal(sqlite3_exec(db,
	                     "DROP TABLE deal_names;"
	                     "ALTER TABLE names5 RENAME TO deal_names;"
	                     "PRAGMA user_version = 5;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
}

/*
 * Party names are looked up by a 32-bit number: a deal whose number
 * matches but whose group key has not the name (two names of one
 * number) is not listed for it.
 */
static void
test_store_party_checks_the_name(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct deal d3 =
	    acq("Harbor Mills", "Copperline", 0, Q_EXACT, ST_ANNOUNCED);
	struct deal_filter flt = { .party = "Brambleworth" };
	sqlite3 *db;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2", "2024-08-15",
	                     texts[2], &d3, 1),
	    DW_OK);
	/* Harbor Mills's deal gets Brambleworth's number too. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
	                     "INSERT INTO deal_names(nh, deal_id) SELECT nh,"
	                     " (SELECT id FROM deals WHERE gkey LIKE"
	                     " '%copperline%') FROM deal_names WHERE deal_id"
	                     " = (SELECT id FROM deals WHERE gkey LIKE"
	                     " '%brambleworth%')",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deal_names"),
	    6);
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(json_array_get(j,
	                                                           0),
	                                           "parties"),
	                            1),
	                        "name")),
	    "Brambleworth");
	json_decref(j);
}

/*
 * A version 5 database (mentions numbered in the order they came, an
 * index of them by article, deal names as text) opens, upgrades in
 * place, exports what it did, finds deals by party, and extracts an
 * article again (its mentions found by their numbers).
 */
static void
test_store_upgrade_from_v5(void **state)
{
	struct fx *f = *state;
	struct deal two[2] = {
		acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
		    ST_ANNOUNCED),
		inv("Orchard Ventures", "Lumen Robotics", 1e9, ST_COMPLETED,
		    "2019"),
	};
	struct deal d3 =
	    acq("Harbor Mills", "Copperline", 0, Q_EXACT, ST_ANNOUNCED);
	struct deal_filter flt = { .party = "BRAMBLEWORTH INC." };
	struct deal_filter flt2 = { .party = "lumen robotics" };
	struct deal_filter none = { .party = "Lumen" };
	double fixed = 35.9e9;
	struct store_extract_fn fn = { fake_extract, &fixed };
	struct store_reextract_stats st;
	struct buf err = BUF_INIT;
	char *before, *after;
	sqlite3 *db;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d3, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2", "2024-08-15",
	                     texts[1], two, 2),
	    DW_OK);
	before = export_without_ids(f->s);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	downgrade_to_v5(db);
	sqlite3_close(db);
	assert_int_equal(raw_count(f->path, "SELECT max(id) FROM mentions"), 3);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM deal_names WHERE name_key"
	                     " = 'brambleworth'"),
	    1);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	after = export_without_ids(f->s);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(raw_count(f->path, "PRAGMA user_version"), 7);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE name IN"
	                     " ('mentions_article', 'deal_names_v5',"
	                     " 'mentions_v6')"),
	    0);
	/* Numbered from their articles' ids, in the order they had. */
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM mentions WHERE id ="
	                     " article_id * 1048576 + seq"),
	    3);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deal_names"),
	    6);
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	j = export_json(f->s, &flt2);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	j = export_json(f->s, &none);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	/* Extracted again, article 2 says one deal only (the acquisition,
	 * another figure): the investment goes, names and all. */
	assert_int_equal(store_reextract(f->s, NULL, &fn, &st, &err), DW_OK);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM mentions"),
	    2);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM mentions WHERE id ="
	                     " article_id * 1048576"),
	    2);
	j = export_json(f->s, &flt2);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deal_names"),
	    2);
	buf_release(&err);
}

/*
 * A version 4 database back to version 3's tables: deal_parties and
 * history rows from the deals' columns, which go with deal_names, and
 * the group keys indexed as text.
 */
/* Back to version 4: deals with AUTOINCREMENT, the high-water mark in
 * sqlite_sequence. */
static void
downgrade_to_v4(sqlite3 *db)
{
	downgrade_to_v5(db);
	assert_int_equal(sqlite3_exec(db,
	                     "CREATE TABLE deals_v4 ("
	                     " id INTEGER PRIMARY KEY AUTOINCREMENT,"
	                     " gkey TEXT NOT NULL, type INTEGER NOT NULL,"
	                     " status INTEGER, date TEXT, date_text TEXT,"
	                     " amount REAL, amount_low REAL, amount_high REAL,"
	                     " amount_currency TEXT, amount_qualifier INTEGER,"
	                     " amount_text TEXT, stake REAL, stake_text TEXT,"
	                     " valuation REAL, valuation_low REAL,"
	                     " valuation_high REAL, valuation_currency TEXT,"
	                     " valuation_qualifier INTEGER, valuation_text "
	                     "TEXT,"
	                     " sources INTEGER NOT NULL DEFAULT 0,"
	                     " first_published TEXT,"
	                     " rejected INTEGER NOT NULL DEFAULT 0,"
	                     " merged_into INTEGER REFERENCES deals(id),"
	                     " updated TEXT NOT NULL,"
	                     " parties TEXT NOT NULL DEFAULT '',"
	                     " history TEXT NOT NULL DEFAULT '',"
	                     " gh INTEGER NOT NULL DEFAULT 0);"
	                     "INSERT INTO deals_v4 SELECT * FROM deals;"
	                     "UPDATE sqlite_sequence SET seq = (SELECT value"
	                     " FROM counters WHERE name = 'deals')"
	                     " WHERE name = 'deals_v4';"
	                     "DROP TABLE deals;"
	                     "ALTER TABLE deals_v4 RENAME TO deals;"
	                     "CREATE INDEX deals_gh ON deals(gh);"
	                     "DROP TABLE counters;"
	                     "PRAGMA user_version = 4;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
}

/*
 * A version 4 database (deals numbered by AUTOINCREMENT) opens, upgrades
 * in place, exports what it did, and numbers new deals past every id it
 * ever gave, a deal since removed included.
 */
static void
test_store_upgrade_from_v4(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct deal d2 = inv("Orchard Ventures", "Lumen Robotics", 1e9,
	    ST_COMPLETED, "2019");
	struct deal d3 =
	    acq("Harbor Mills", "Copperline", 0, Q_EXACT, ST_ANNOUNCED);
	struct deal_filter flt = { .party = "BRAMBLEWORTH INC." };
	struct buf err = BUF_INIT;
	char *before, *after;
	sqlite3 *db;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                     texts[4], &d2, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/3", "2024-09-02",
	                     texts[2], &d3, 1),
	    DW_OK);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	/* Deal 3 gone (as when its article is extracted again and says
	 * nothing): ids 1 and 2 are left, 3 was given. */
	assert_int_equal(sqlite3_exec(db,
	                     "DELETE FROM mentions WHERE deal_id = 3;"
	                     "DELETE FROM deal_names WHERE deal_id = 3;"
	                     "DELETE FROM deals WHERE id = 3;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	downgrade_to_v4(db);
	sqlite3_close(db);
	assert_int_equal(raw_count(f->path,
	                     "SELECT seq FROM sqlite_sequence"
	                     " WHERE name = 'deals'"),
	    3);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	before = export_without_ids(f->s);
	assert_int_equal(raw_count(f->path, "PRAGMA user_version"), 7);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE sql"
	                     " LIKE '%AUTOINCREMENT%'"),
	    0);
	assert_int_equal(raw_count(f->path,
	                     "SELECT value FROM counters WHERE name = 'deals'"),
	    3);
	assert_int_equal(store_deal_last_id(f->s), 3);
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_array_get(j, 0), "id")),
	    1);
	json_decref(j);
	/* A new deal is 4, not 3 again; a second source merges into 1. */
	d3.status = ST_COMPLETED;
	assert_int_equal(put(f->s, "https://a.example/4", "2024-10-01",
	                     texts[3], &d3, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/5", "2024-08-15",
	                     texts[1], &d, 1),
	    DW_OK);
	assert_int_equal(raw_count(f->path,
	                     "SELECT id FROM deals WHERE gkey LIKE"
	                     " '%copperline%'"),
	    4);
	assert_int_equal(raw_count(f->path,
	                     "SELECT sources FROM deals WHERE id = 1"),
	    2);
	assert_int_equal(store_deal_last_id(f->s), 4);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	assert_int_equal(store_deal_last_id(f->s), 4);
	after = export_without_ids(f->s);
	assert_true(strlen(after) > strlen(before));
	free(before);
	free(after);
	buf_release(&err);
}

static void
downgrade_to_v3(sqlite3 *db)
{
	sqlite3_stmt *st, *par, *his;

	downgrade_to_v4(db);

	assert_int_equal(sqlite3_exec(db,
	                     "CREATE TABLE deal_parties ("
	                     " deal_id INTEGER NOT NULL REFERENCES deals(id)"
	                     " ON DELETE CASCADE,"
	                     " pos INTEGER NOT NULL, role INTEGER NOT NULL,"
	                     " name TEXT NOT NULL, name_key TEXT NOT NULL,"
	                     " PRIMARY KEY (deal_id, pos)) WITHOUT ROWID;"
	                     "CREATE INDEX deal_parties_name ON"
	                     " deal_parties(name_key);"
	                     "CREATE TABLE history ("
	                     " deal_id INTEGER NOT NULL REFERENCES deals(id)"
	                     " ON DELETE CASCADE,"
	                     " status INTEGER NOT NULL, date TEXT,"
	                     " PRIMARY KEY (deal_id, status)) WITHOUT ROWID;"
	                     "CREATE INDEX deals_updated ON deals(updated);",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "SELECT id, parties, history FROM deals", -1, &st,
	                     NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "INSERT INTO deal_parties VALUES (?, ?, ?, ?,"
	                     " lower(?4))",
	                     -1, &par, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "INSERT INTO history VALUES (?, ?, nullif(?, ''))",
	                     -1, &his, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 1);
		const char *h = (const char *)sqlite3_column_text(st, 2);
		char *end;

		/* "role:len:name;" */
		for (int pos = 0; *p; pos++) {
			long role = strtol(p, &end, 10);
			long len = strtol(end + 1, &end, 10);

			sqlite3_bind_int64(par, 1, sqlite3_column_int64(st, 0));
			sqlite3_bind_int(par, 2, pos);
			sqlite3_bind_int(par, 3, (int)role);
			sqlite3_bind_text(par, 4, end + 1, (int)len,
			    SQLITE_STATIC);
			assert_int_equal(sqlite3_step(par), SQLITE_DONE);
			sqlite3_reset(par);
			p = end + 1 + len + 1;
		}
		/* "status=date;" */
		while (*h) {
			long status = strtol(h, &end, 10);
			const char *semi = strchr(end, ';');

			sqlite3_bind_int64(his, 1, sqlite3_column_int64(st, 0));
			sqlite3_bind_int(his, 2, (int)status);
			sqlite3_bind_text(his, 3, end + 1,
			    (int)(semi - end - 1), SQLITE_STATIC);
			assert_int_equal(sqlite3_step(his), SQLITE_DONE);
			sqlite3_reset(his);
			h = semi + 1;
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(par);
	sqlite3_finalize(his);
	assert_int_equal(sqlite3_exec(db,
	                     "DROP TABLE deal_names;"
	                     "ALTER TABLE deals DROP COLUMN parties;"
	                     "ALTER TABLE deals DROP COLUMN history;"
	                     "DROP INDEX mentions_gh;"
	                     "DROP INDEX deals_gh;"
	                     "ALTER TABLE mentions DROP COLUMN gh;"
	                     "ALTER TABLE deals DROP COLUMN gh;"
	                     "CREATE INDEX mentions_gkey ON mentions(gkey);"
	                     "CREATE INDEX deals_gkey ON deals(gkey);"
	                     "PRAGMA user_version = 3;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
}

/*
 * A version 3 database (parties and history in tables of their own)
 * opens, upgrades in place, exports what it did, finds deals by party
 * through deal_names and goes on merging into the deals it held.
 */
static void
test_store_upgrade_from_v3(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct deal d2 = inv("Orchard Ventures", "Lumen Robotics", 1e9,
	    ST_COMPLETED, "2019");
	struct deal_filter flt = { .party = "BRAMBLEWORTH INC." };
	struct buf err = BUF_INIT;
	char *before, *after;
	sqlite3 *db;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	d.status = ST_COMPLETED;
	assert_int_equal(put(f->s, "https://a.example/3", "2024-09-02",
	                     texts[1], &d, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                     texts[4], &d2, 1),
	    DW_OK);
	before = export_without_ids(f->s);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	downgrade_to_v3(db);
	sqlite3_close(db);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM history"), 3);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	after = export_without_ids(f->s);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(raw_count(f->path,
	                     "SELECT user_version FROM"
	                     " pragma_user_version"),
	    7);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM sqlite_schema WHERE name IN"
	                     " ('deal_parties', 'history', 'deals_updated',"
	                     " 'mentions_gkey', 'deals_gkey')"),
	    0);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM mentions WHERE gh = 0"),
	    0);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deal_names"),
	    4);
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(j, 0), "history")),
	    2);
	json_decref(j);
	/* A third report of the stored deal joins it. */
	assert_int_equal(put(f->s, "https://a.example/4", "2024-09-03",
	                     texts[2], &d, 1),
	    DW_OK);
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(j, 0), "sources")),
	    3);
	json_decref(j);
	buf_release(&err);
}

/*
 * A version 1 database (sketches in articles, 16 bands with a foreign
 * key) opens, upgrades in place, exports what it did and still finds
 * syndicated copies of what it held.
 */
static void
test_store_upgrade_from_v1(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct buf err = BUF_INIT;
	char copy[512], *before, *after;
	sqlite3 *db;
	sqlite3_stmt *st;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                     texts[4], NULL, 0),
	    DW_OK);
	before = export_without_ids(f->s);
	store_close(f->s);
	f->s = NULL;
	/* Back to version 1's tables, with stale sketches and bands. */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	downgrade_to_v3(db);
	assert_int_equal(sqlite3_exec(db,
	                     "DROP TABLE article_sketches;"
	                     "DROP TABLE IF EXISTS article_bands;"
	                     "ALTER TABLE articles ADD COLUMN sketch BLOB NOT"
	                     " NULL DEFAULT x'00';"
	                     "ALTER TABLE articles ADD COLUMN words INTEGER NOT"
	                     " NULL DEFAULT 80;"
	                     "CREATE TABLE article_bands ("
	                     " band INTEGER NOT NULL,"
	                     " article_id INTEGER NOT NULL REFERENCES"
	                     " articles(id) ON DELETE CASCADE,"
	                     " PRIMARY KEY (band, article_id)) WITHOUT ROWID;"
	                     "INSERT INTO article_bands SELECT 7, id FROM"
	                     " articles;"
	                     "PRAGMA user_version = 1;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	assert_true(store_article_known(f->s, "https://a.example/2", NULL));
	after = export_without_ids(f->s);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* The wire copy of the first article is found through the sketches
	 * the upgrade computed again. */
	snprintf(copy, sizeof(copy), "%s Copyright Other Paper.", texts[0]);
	assert_int_equal(put(f->s, "https://other.example/story", "2024-08-15",
	                     copy, &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 1);
	assert_int_equal(json_array_size(
	                     json_object_get(json_array_get(j, 0), "sources")),
	    2);
	json_decref(j);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                     "SELECT (SELECT user_version FROM"
	                     " pragma_user_version), (SELECT count(*) FROM"
	                     " sqlite_schema WHERE name = 'article_bands'),"
	                     " (SELECT count(*) FROM article_sketches)",
	                     -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 7);
	assert_int_equal(sqlite3_column_int(st, 1), 0);
	assert_int_equal(sqlite3_column_int(st, 2), 3);
	sqlite3_finalize(st);
	sqlite3_close(db);
	buf_release(&err);
}

/*
 * A version 2 database (sketches in article_sketches, their bands in
 * article_bands) opens, upgrades in place (the bands go), exports what
 * it did and still finds syndicated copies of what it held.
 */
static void
test_store_upgrade_from_v2(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct deal d2 = inv("Orchard Ventures", "Lumen Robotics", 1e9,
	    ST_COMPLETED, "2019");
	struct buf err = BUF_INIT;
	char copy[512], *before, *after;
	sqlite3 *db;
	json_t *j;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                     texts[4], &d2, 1),
	    DW_OK);
	before = export_without_ids(f->s);
	store_close(f->s);
	f->s = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	downgrade_to_v3(db);
	assert_int_equal(sqlite3_exec(db,
	                     "CREATE TABLE article_bands ("
	                     " band INTEGER NOT NULL,"
	                     " article_id INTEGER NOT NULL,"
	                     " PRIMARY KEY (band, article_id)) WITHOUT ROWID;"
	                     "INSERT INTO article_bands SELECT 7, article_id"
	                     " FROM article_sketches;"
	                     "PRAGMA user_version = 2;",
	                     NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	after = export_without_ids(f->s);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(raw_count(f->path,
	                     "SELECT user_version FROM"
	                     " pragma_user_version"),
	    7);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM sqlite_schema"
	                     " WHERE name = 'article_bands'"),
	    0);
	/* A copy of the first article, read from the stored sketches. */
	snprintf(copy, sizeof(copy), "LONDON - %s Copyright Other Paper.",
	    texts[0]);
	assert_int_equal(put(f->s, "https://other.example/story", "2024-08-15",
	                     copy, &d, 1),
	    DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 2);
	json_decref(j);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM articles"
	                     " WHERE copy_of = 1"),
	    1);
	buf_release(&err);
}

/*
 * Foreign keys are not enforced: what their ON DELETE clauses did is the
 * store's own work. A deal that loses its last mention goes with the
 * names it is found by; a removed feed's articles stay, without it.
 */
static void
test_store_deletes_leave_no_orphans(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 35.9e9,
	    Q_EXACT, ST_ANNOUNCED);
	int finds = 0;
	struct store_extract_fn fn = { maybe_extract, &finds };
	struct store_reextract_stats st;
	struct buf err = BUF_INIT;

	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	assert_int_equal(raw_count(f->path, "SELECT COUNT(*) FROM deal_names"),
	    2);
	/* A rule change loses the deal. */
	assert_int_equal(store_reextract(f->s, NULL, &fn, &st, &err), DW_OK);
	assert_int_equal(raw_count(f->path, "SELECT COUNT(*) FROM deals"), 0);
	assert_int_equal(raw_count(f->path, "SELECT COUNT(*) FROM deal_names"),
	    0);
	assert_int_equal(store_feed_add(f->s, "https://a.example/f", &err),
	    DW_OK);
	assert_int_equal(put_guid(f->s, 1, "https://a.example/2", "7",
	                     texts[1]),
	    DW_OK);
	assert_int_equal(store_feed_remove(f->s, "https://a.example/f", &err),
	    DW_OK);
	assert_int_equal(raw_count(f->path,
	                     "SELECT COUNT(*) FROM articles WHERE feed_id IS"
	                     " NULL"),
	    2);
	assert_int_equal(store_feed_remove(f->s, "https://a.example/f", &err),
	    DW_ENOTFOUND);
	buf_release(&err);
}

/*
 * The copies looked for are the ones the database holds: not an article
 * of a batch rolled back (whose id the next article takes), and an
 * article another connection stored meanwhile.
 */
static void
test_store_near_index_follows_database(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct deal d2 = inv("Orchard Ventures", "Lumen Robotics", 1e9,
	    ST_COMPLETED, "2019");
	struct buf err = BUF_INIT;
	struct store *s2;
	char copy[512];

	assert_int_equal(put(f->s, "https://a.example/0", "2024-08-13",
	                     texts[2], NULL, 0),
	    DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &d, 1),
	    DW_OK);
	store_batch_rollback(f->s);
	/* Article 2 again, another story. */
	assert_int_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                     texts[4], &d2, 1),
	    DW_OK);
	/* A copy of the story rolled back is a story of its own. */
	snprintf(copy, sizeof(copy), "%s Copyright Other Paper.", texts[0]);
	assert_int_equal(put(f->s, "https://other.example/1", "2024-08-15",
	                     copy, &d, 1),
	    DW_OK);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM articles"
	                     " WHERE copy_of IS NOT NULL"),
	    0);
	assert_int_equal(count_deals(f->s), 2);
	/* Another connection stores a story; a copy of it is a copy. */
	assert_int_equal(store_open(&s2, f->path, &err), DW_OK);
	assert_int_equal(put(s2, "https://b.example/5", "2023-01-23", texts[5],
	                     NULL, 0),
	    DW_OK);
	store_close(s2);
	snprintf(copy, sizeof(copy), "%s Copyright Other Paper.", texts[5]);
	assert_int_equal(put(f->s, "https://other.example/5", "2023-01-24",
	                     copy, NULL, 0),
	    DW_OK);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM articles a"
	                     " JOIN articles o ON o.id ="
	                     " a.copy_of WHERE o.url ="
	                     " 'https://b.example/5'"),
	    1);
	buf_release(&err);
}

/* A text of its own for article i: 40 words no other article has. */
static void
own_text(char *out, size_t n, int i)
{
	size_t len = 0;

	out[0] = '\0';
	for (int w = 0; w < 40 && len + 24 < n; w++)
		len += (size_t)snprintf(out + len, n - len, "%sw%dx%d",
		    w ? " " : "", i, w * 7 + i % 13);
}

/*
 * The group numbers a connection holds in memory (after a few look-ups)
 * follow what another connection stores: a deal it made is found, and
 * the same deal stored here is merged into it, not made again.
 */
static void
test_store_group_numbers_follow_database(void **state)
{
	struct fx *f = *state;
	struct deal d = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct buf err = BUF_INIT;
	struct store *s2;
	char text[1024], url[64], a[32], t[32];
	json_t *j;

	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	for (int i = 0; i < 40; i++) {
		struct deal di;

		snprintf(a, sizeof(a), "Buyer %d", i);
		snprintf(t, sizeof(t), "Seller %d", i);
		di = acq(a, t, 0, Q_EXACT, ST_ANNOUNCED);
		own_text(text, sizeof(text), i);
		snprintf(url, sizeof(url), "https://a.example/%d", i);
		assert_int_equal(put(f->s, url, "2024-08-01", text, &di, 1),
		    DW_OK);
	}
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_int_equal(store_open(&s2, f->path, &err), DW_OK);
	assert_int_equal(put(s2, "https://b.example/1", "2024-08-14", texts[0],
	                     &d, 1),
	    DW_OK);
	store_close(s2);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/q", "2024-08-15",
	                     texts[1], &d, 1),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	j = export_json(f->s, NULL);
	assert_int_equal(json_array_size(j), 41);
	assert_int_equal(raw_count(f->path,
	                     "SELECT sources FROM deals WHERE gkey LIKE"
	                     " '%quillfeather%'"),
	    2);
	json_decref(j);
	buf_release(&err);
}

/*
 * More articles than the in-memory index first holds (it grows by
 * doubling): copies of an article stored before it grew and of one
 * stored after are both found.
 */
static void
test_store_near_index_grows(void **state)
{
	struct fx *f = *state;
	struct buf err = BUF_INIT;
	char text[1024], copy[1200], url[64];

	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	for (int i = 0; i < 2100; i++) {
		own_text(text, sizeof(text), i);
		snprintf(url, sizeof(url), "https://a.example/%d", i);
		assert_int_equal(put(f->s, url, "2024-08-14", text, NULL, 0),
		    DW_OK);
	}
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	for (int i = 0; i < 2100; i += 1049) {
		own_text(text, sizeof(text), i);
		snprintf(copy, sizeof(copy), "%s Copyright Other Paper.", text);
		snprintf(url, sizeof(url), "https://b.example/%d", i);
		assert_int_equal(put(f->s, url, "2024-08-15", copy, NULL, 0),
		    DW_OK);
	}
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM articles a"
	                     " JOIN articles o ON o.id ="
	                     " a.copy_of WHERE substr(a.url,"
	                     " 19) = substr(o.url, 19)"),
	    3);
	buf_release(&err);
}

/*
 * A group: batches in one transaction, each article still all or
 * nothing, none seen by others or durable before the group's commit.
 */
static void
test_store_group_of_batches(void **state)
{
	struct fx *f = *state;
	struct deal good1 = acq("Quillfeather Foods", "Brambleworth", 36e9,
	    Q_EXACT, ST_ANNOUNCED);
	struct deal bad =
	    inv("Orchard Ventures", "Poison Pill", 2e9, ST_COMPLETED, "2019");
	struct deal good2 = inv("Orchard Ventures", "Lumen Robotics", 10e9,
	    ST_COMPLETED, "2023-01");
	struct buf err = BUF_INIT;

	add_poison_trigger(f->path);
	assert_int_equal(store_group_commit(f->s, &err), DW_EUSAGE);
	assert_int_equal(store_group_begin(f->s, &err), DW_OK);
	assert_int_equal(store_group_begin(f->s, &err), DW_EUSAGE);
	/* A batch with a failing article: the rest of it stays. */
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &good1, 1),
	    DW_OK);
	assert_int_not_equal(put(f->s, "https://a.example/2", "2019-07-22",
	                         texts[4], &bad, 1),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/4", "2023-01-23",
	                     texts[5], &good2, 1),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	/* Nothing seen by others yet; everything by the group itself. */
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM articles"),
	    0);
	assert_true(store_article_known(f->s, "https://a.example/1", NULL));
	assert_false(store_article_known(f->s, "https://a.example/2", NULL));
	assert_true(store_article_known(f->s, "https://a.example/4", NULL));
	assert_int_equal(store_group_commit(f->s, &err), DW_OK);
	assert_int_equal(store_group_commit(f->s, &err), DW_EUSAGE);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM articles"),
	    2);
	assert_int_equal(count_deals(f->s), 2);
	/* A batch rolled back in a group takes the group with it. */
	assert_int_equal(store_group_begin(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/3", "2024-08-15",
	                     texts[2], NULL, 0),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	store_batch_rollback(f->s);
	assert_int_equal(store_batch_begin(f->s, &err), DW_EIO);
	assert_int_equal(store_group_commit(f->s, &err), DW_EIO);
	assert_false(store_article_known(f->s, "https://a.example/3", NULL));
	/* A group never committed leaves nothing, its batches neither. */
	assert_int_equal(store_group_begin(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/5", "2024-08-15",
	                     texts[1], &good1, 1),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	store_close(f->s);
	assert_int_equal(store_open(&f->s, f->path, &err), DW_OK);
	assert_false(store_article_known(f->s, "https://a.example/5", NULL));
	assert_int_equal(count_deals(f->s), 2);
	buf_release(&err);
}

/*
 * The store's VFS holds WAL frames back until their commit: another
 * connection (SQLite's own VFS, as the sqlite3 shell or another program
 * would use) sees nothing of a batch before its commit and all of it
 * after, however many pages it wrote.
 */
static void
test_store_batch_seen_by_others_at_commit(void **state)
{
	struct fx *f = *state;
	struct buf err = BUF_INIT;
	char big[4096];

	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	for (int i = 0; i < 60; i++) {
		struct deal d = acq(i % 2 ? "Quillfeather Foods" : "Orchard",
		    i % 3 ? "Brambleworth" : "Lumen Robotics", 1e9 * (i + 1),
		    Q_EXACT, ST_ANNOUNCED);
		char url[64];

		snprintf(url, sizeof(url), "https://a.example/%d", i);
		/* Texts of their own, long enough to fill pages. */
		snprintf(big, sizeof(big), "%d %s %d %s %d %s", i, texts[i % 6],
		    i * 7, texts[(i + 1) % 6], i * 13, texts[(i + 2) % 6]);
		assert_int_equal(put(f->s, url, "2024-08-14", big, &d, 1),
		    DW_OK);
	}
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM articles"),
	    0);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM articles"),
	    60);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM article_sketches"),
	    60);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) = 1 FROM pragma_integrity_check"
	                     " WHERE integrity_check = 'ok'"),
	    1);
	buf_release(&err);
}

/* Rows that name no stored article or deal. */
static const char orphans_sql[] =
    "SELECT (SELECT count(*) FROM article_sketches WHERE article_id NOT IN"
    " (SELECT id FROM articles)) + (SELECT count(*) FROM deal_names"
    " WHERE deal_id NOT IN (SELECT id FROM deals))";

/*
 * Sketches and deal names are written when their transaction commits
 * (or before something reads them), many a statement: inside a group
 * `--party` finds a deal stored in it, articles that fail leave none of
 * theirs, and a group rolled back leaves none in the next one.
 */
static void
test_store_rows_kept_back(void **state)
{
	struct fx *f = *state;
	struct deal a = acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
	    ST_ANNOUNCED);
	struct deal b = inv("Orchard Ventures", "Lumen Robotics", 10e9,
	    ST_COMPLETED, "2023-01");
	/* a new deal, then one that fails: undone without a savepoint */
	struct deal bad[2] = {
		acq("Harbor Mills", "Copperline", 1e9, Q_EXACT, ST_ANNOUNCED),
		inv("Orchard Ventures", "Poison Pill", 2e9, ST_COMPLETED,
		    "2019"),
	};
	/* a stored deal again, then one that fails: in a savepoint */
	struct deal bad2[2] = {
		acq("Quillfeather Foods", "Brambleworth", 36e9, Q_EXACT,
		    ST_COMPLETED),
		inv("Orchard Ventures", "Poison Pill", 3e9, ST_COMPLETED,
		    "2020"),
	};
	struct deal_filter flt = { .party = "Lumen Robotics" };
	struct buf err = BUF_INIT;
	json_t *j;

	add_poison_trigger(f->path);
	assert_int_equal(store_group_begin(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/1", "2024-08-14",
	                     texts[0], &a, 1),
	    DW_OK);
	assert_int_equal(put(f->s, "https://a.example/3", "2023-01-23",
	                     texts[5], &b, 1),
	    DW_OK);
	assert_int_not_equal(put(f->s, "https://a.example/4", "2024-09-01",
	                         texts[3], bad2, 2),
	    DW_OK);
	/* Last: no later article takes its number. */
	assert_int_not_equal(put(f->s, "https://a.example/2", "2024-08-15",
	                         texts[4], bad, 2),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	/* Found by a party's name before the group commits. */
	j = export_json(f->s, &flt);
	assert_int_equal(json_array_size(j), 1);
	json_decref(j);
	assert_int_equal(store_group_commit(f->s, &err), DW_OK);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM articles"),
	    2);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM article_sketches"),
	    2);
	/* Two names for each of the two deals, none of Harbor Mills's. */
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deal_names"),
	    4);
	assert_int_equal(raw_count(f->path, orphans_sql), 0);
	/* A group rolled back: what it kept back goes with it. */
	assert_int_equal(store_group_begin(f->s, &err), DW_OK);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/5", "2024-08-16",
	                     texts[2], bad, 1),
	    DW_OK);
	store_batch_rollback(f->s);
	assert_int_equal(store_group_commit(f->s, &err), DW_EIO);
	assert_int_equal(store_batch_begin(f->s, &err), DW_OK);
	assert_int_equal(put(f->s, "https://a.example/6", "2024-08-17",
	                     texts[1], NULL, 0),
	    DW_OK);
	assert_int_equal(store_batch_commit(f->s, &err), DW_OK);
	assert_int_equal(raw_count(f->path,
	                     "SELECT count(*) FROM article_sketches"),
	    3);
	assert_int_equal(raw_count(f->path, "SELECT count(*) FROM deal_names"),
	    4);
	assert_int_equal(raw_count(f->path, orphans_sql), 0);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_url_canon),
		cmocka_unit_test(test_store_near_duplicate_threshold),
		cmocka_unit_test(test_store_sketch_as_defined),
		cmocka_unit_test(test_store_open_fails_cleanly),
		cmocka_unit_test_setup_teardown(test_store_rows_kept_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_feeds_crud, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_articles_known_many,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_article_dedup, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_three_articles_one_deal, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_two_deals_same_parties, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_status_moves_and_history, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_conflicting_amounts_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_order_independent,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_reject_stays_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_merge_two_deals,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_reextract_keeps_ids,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_circles_json, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_store_reopen_keeps_data,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_csv_json_read_back,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_merge_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_unset_fields_stay_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_feed_guids, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_rejected_outlives_its_mentions, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_batch_failing_article_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_batch_failing_article_on_stored_deal, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_batch_rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_batch_equals_single_puts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_upgrade_from_v1,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_deletes_leave_no_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_allocator_sizes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_party_checks_the_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_upgrade_from_v6,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_upgrade_from_v5,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_upgrade_from_v4,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_upgrade_from_v3,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_upgrade_from_v2,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_near_index_follows_database, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_group_numbers_follow_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_group_of_batches,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_near_index_grows,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_batch_seen_by_others_at_commit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
