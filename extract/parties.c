/*
 * parties.c: companies in text. The entity list (companies.tsv, generated
 * from the listings, then private.tsv, kept by hand and winning every name
 * it lists) gives canonical names, aliases, sectors and tickers;
 * descriptors.tsv gives phrases such as "the ChatGPT maker". Matching
 * walks the tokens once: at each token that can start a name, a hash of
 * first words says whether to try, then the longest alias wins. Tickers
 * count only inside "(NASDAQ: AMD)". Capitalized names ending in a
 * corporate suffix ("Green River Collieries, LLC") are found too.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

#define MAX_NAME_TOKENS 8
#define MAX_KEY 256
#define MAX_SECTORS 32
#define FIRST_MASK 0x1ffff /* bits of firstbits */

struct company {
	char *name;
	unsigned sectors;
};

/* An open-addressing hash from normalized key to a value. */
struct slot {
	char *key; /* NULL when empty; in the table's keys */
	uint64_t hash;
	uint32_t len; /* keys longer than this can hold are not put */
	int val;
};

struct table {
	struct slot *v;
	/* beside each slot, 0 when it is empty, else a tag from its key's
	 * hash (never 0): probing reads these 4 bytes a slot, a quarter of
	 * a megabyte for the company tables, which stays in the cache, where
	 * the 32-byte slots missed it at every word the scan asked about */
	uint32_t *tag;
	size_t cap, n;
	/* the keys' bytes: one allocation a block, not one a key, which
	 * made building and freeing the tables a good part of start-up */
	struct arena keys;
};

struct parties {
	struct company *co;
	size_t nco, capco;
	struct table alias; /* exact-case key -> company */
	/* a Bloom filter of the first tokens (three bits each, from their
	 * hash): small enough to stay in the cache, as the scan asks it
	 * about every capitalized word */
	uint64_t firstbits[FIRST_MASK / 64 + 1];
	struct table ticker; /* ticker -> company */
	struct table desc;   /* lowercase key -> company, or -1 - sector bit */
	char *sector_names[MAX_SECTORS];
	size_t nsectors;
	size_t desc_max; /* most tokens in a descriptor */
	/* per first two letters of the aliases that start in lower case
	 * ("xAI"), a bit per length of their first word (63: longer): a
	 * token starts one only when it is that word */
	uint64_t lower2[26][26];
	/* the same with "the" in it (its bit 3 for "th" and for "tH"): the
	 * scan's first test, which lets "the" on to the descriptors */
	uint64_t lower2s[26][26];
	/* per digit, a bit per second byte (0: none) of the aliases that
	 * start with it ("3M", "7-Eleven"): most numbers start none */
	uint64_t digit2[10][4];
	struct table desc2; /* first two tokens of each descriptor, and
			     * the lengths of those that start so */
	/* the first bytes of each desc2 key after "the" (desc2_bit): most
	 * "the" in a text start no descriptor, and this tells without a
	 * key or a table */
	uint64_t desc2bits[DESC2_BITS / 64];
	struct table notname, suffix; /* not_name[], corp_suffix[] below */
	/* their words' first bytes and lengths (wordset_bit), as sets:
	 * most capitalized words are in neither, and these tell */
	uint64_t notname_f[256 * 32 / 64], suffix_f[256 * 32 / 64];
	struct table product; /* names of products, not companies */
	/* their first bytes and lengths (up to 63), as a set: most names
	 * are no product's */
	uint64_t prodfirst[256];
	/* for the scan: per key, the company + 1 (SCAN_CO bits, 0: no
	 * alias), SCAN_PREFIX when it begins a longer alias, and the most
	 * tokens of an alias it is the first word of (above SCAN_MAX_SHIFT);
	 * filled by alias_add */
	struct table scan;
};

static size_t
desc2_bit_key(const char *k, size_t n)
{
	int spaced = n > 3 && k[3] == ' ';
	size_t o = 3 + (size_t)spaced;

	return desc2_bit(spaced, o < n ? (unsigned char)k[o] : 0,
	    o + 1 < n ? (unsigned char)k[o + 1] : 0, n > o ? n - o : 0);
}

static int
desc2_maybe(const struct parties *p, struct span text, const struct tok *t,
    size_t i)
{
	size_t b = desc2_bit_toks(text, t, i);

	return (p->desc2bits[b >> 6] >> (b & 63)) & 1;
}

/* A hash of n bytes that reads them eight at a time (and never past
 * them), its bits mixed at the end: the low ones place a key, the high
 * ones tag it, and maybe_first() takes three groups of them. */
static inline uint64_t
hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static inline uint64_t
hash_bytes(const char *s, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = (uint64_t)n * k, a;

	if (n >= 8) {
		size_t i = 0;

		for (; i + 8 < n; i += 8) {
			memcpy(&a, s + i, 8);
			h = (h ^ a) * k;
			h ^= h >> 29;
		}
		/* the last eight bytes, which may overlap those before */
		memcpy(&a, s + n - 8, 8);
		h ^= a;
	} else if (n >= 4) {
		uint32_t x, y;

		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		h ^= (uint64_t)x << 32 | y;
	} else if (n > 0) {
		h ^= (uint64_t)(unsigned char)s[0] << 16 |
		    (uint64_t)(unsigned char)s[n / 2] << 8 |
		    (unsigned char)s[n - 1];
	}
	return hash_mix(h);
}

static inline uint32_t
hash_tag(uint64_t h)
{
	return (uint32_t)(h >> 32) | 1;
}

/* The index of key (n bytes, hash h) with *found = 1, or of the empty
 * slot it would go in with *found = 0. The table must have slots. */
static size_t
table_find_h(const struct table *t, const char *key, size_t n, uint64_t h,
    int *found)
{
	uint32_t g = hash_tag(h);
	size_t i = (size_t)h & (t->cap - 1);

	for (;;) {
		uint32_t ti = t->tag[i];

		if (ti == 0) {
			*found = 0;
			return i;
		}
		if (ti == g) {
			const struct slot *s = &t->v[i];

			if (s->hash == h && s->len == n &&
			    memcmp(s->key, key, n) == 0) {
				*found = 1;
				return i;
			}
		}
		i = (i + 1) & (t->cap - 1);
	}
}

static int *
table_get_h(const struct table *t, const char *key, size_t n, uint64_t h)
{
	int found;
	size_t i;

	if (!t->cap)
		return NULL;
	i = table_find_h(t, key, n, h, &found);
	return found ? &t->v[i].val : NULL;
}

static int *
table_get(const struct table *t, const char *key, size_t n)
{
	return table_get_h(t, key, n, hash_bytes(key, n));
}

/* Move t into cap slots (a power of two, more than twice t->n). */
static void
table_resize(struct table *t, size_t cap)
{
	struct table nt;

	nt.cap = cap;
	nt.n = t->n;
	nt.keys = t->keys;
	nt.v = xcalloc(nt.cap, sizeof(*nt.v));
	nt.tag = xcalloc(nt.cap, sizeof(*nt.tag));
	for (size_t i = 0; i < t->cap; i++) {
		if (t->v[i].key) {
			int found;
			size_t k = table_find_h(&nt, t->v[i].key, t->v[i].len,
			    t->v[i].hash, &found);

			nt.v[k] = t->v[i];
			nt.tag[k] = hash_tag(t->v[i].hash);
		}
	}
	free(t->v);
	free(t->tag);
	*t = nt;
}

static void
table_grow(struct table *t)
{
	table_resize(t, t->cap ? t->cap * 2 : 1024);
}

/*
 * Room for about n more keys at once: building the company tables by
 * doubling allocated and rehashed each of them about twice over, most of
 * the start-up's page faults. A guess too small only means growing.
 */
static void
table_reserve(struct table *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 1024;

	while ((t->n + n) * 2 > cap && cap < ((size_t)1 << 40))
		cap *= 2;
	if (cap != t->cap)
		table_resize(t, cap);
}

/*
 * The value of key (n bytes, hash h), put with the value val when it is
 * not there yet (*added = 1), or NULL for a key too long to put. One
 * probe of the table either way: building the company tables asked
 * first and put after, and the probes (each a cache miss in tables of a
 * megabyte or two) were a tenth of a one-shot parse.
 */
static int *
table_upsert(struct table *t, const char *key, size_t n, uint64_t h, int val,
    int *added)
{
	struct slot *s;
	int found;
	size_t i;

	*added = 0;
	if (n > UINT32_MAX)
		return NULL;
	if ((t->n + 1) * 2 > t->cap)
		table_grow(t);
	i = table_find_h(t, key, n, h, &found);
	s = &t->v[i];
	if (found)
		return &s->val;
	if (!t->keys.limit)
		arena_init(&t->keys, SIZE_MAX / 4);
	s->key = arena_strndup(&t->keys, key, n);
	if (!s->key)
		abort(); /* past SIZE_MAX / 4 bytes of keys */
	s->len = (uint32_t)n;
	s->hash = h;
	s->val = val;
	t->tag[i] = hash_tag(h);
	t->n++;
	*added = 1;
	return &s->val;
}

/* Set key to val (replace = 1) or only when absent (replace = 0). */
static void
table_put(struct table *t, const char *key, size_t n, int val, int replace)
{
	int added;
	int *v = table_upsert(t, key, n, hash_bytes(key, n), val, &added);

	if (v && !added && replace)
		*v = val;
}

static void
table_release(struct table *t)
{
	arena_release(&t->keys);
	free(t->v);
	free(t->tag);
}

/*
 * The key of tokens [i, j): their bytes, with one space wherever the text
 * had white space between two tokens. lower: ASCII-lowercased. Returns the
 * length, or 0 when it does not fit.
 */
static size_t
make_key(char *key, struct span text, const struct tok *t, size_t i, size_t j,
    int lower)
{
	size_t n = 0;

	for (size_t k = i; k < j; k++) {
		size_t len = t[k].end - t[k].start;

		if (k > i && t[k].start > t[k - 1].end) {
			if (n + 1 >= MAX_KEY)
				return 0;
			key[n++] = ' ';
		}
		if (n + len >= MAX_KEY)
			return 0;
		memcpy(key + n, text.p + t[k].start, len);
		if (lower)
			for (size_t c = n; c < n + len; c++)
				if (key[c] >= 'A' && key[c] <= 'Z')
					key[c] = (char)(key[c] - 'A' + 'a');
		n += len;
	}
	key[n] = 0;
	return n;
}

unsigned
parties_sector_bit(const struct parties *p, const char *sector)
{
	for (size_t i = 0; i < p->nsectors; i++)
		if (strcmp(p->sector_names[i], sector) == 0)
			return 1u << i;
	return 0;
}

static unsigned
sector_bits(struct parties *p, const char *s, size_t n)
{
	unsigned bits = 0;
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		size_t k;

		while (j < n && s[j] != ',')
			j++;
		for (k = 0; k < p->nsectors; k++)
			if (strlen(p->sector_names[k]) == j - i &&
			    memcmp(p->sector_names[k], s + i, j - i) == 0)
				break;
		if (k == p->nsectors && j > i && p->nsectors < MAX_SECTORS)
			p->sector_names[p->nsectors++] = xstrndup(s + i, j - i);
		if (k < p->nsectors)
			bits |= 1u << k;
		i = j + 1;
	}
	return bits;
}

static int
company_add(struct parties *p, const char *name, size_t n, unsigned sectors)
{
	int *have = table_get(&p->alias, name, n);

	/* The same canonical name again (private.tsv over companies.tsv):
	 * one company, the later sectors win when given. */
	if (have && strlen(p->co[*have].name) == n &&
	    memcmp(p->co[*have].name, name, n) == 0) {
		if (sectors)
			p->co[*have].sectors = sectors;
		return *have;
	}
	if (p->nco == p->capco) {
		p->capco = p->capco ? p->capco * 2 : 1024;
		p->co = xreallocarray(p->co, p->capco, sizeof(*p->co));
	}
	p->co[p->nco].name = xstrndup(name, n);
	p->co[p->nco].sectors = sectors;
	return (int)p->nco++;
}

/*
 * The scan table, which the scan asks about every word that may start a
 * name: for each key, the company of the alias it is plus one (SCAN_CO
 * bits), whether it is a proper prefix of an alias (SCAN_PREFIX), and
 * the most tokens of an alias it is the first word of (from
 * SCAN_MAX_SHIFT up).
 */
#define SCAN_CO 0xffffff
#define SCAN_PREFIX (1 << 24)
#define SCAN_MAX_SHIFT 25

/* scan's value for key (hash h), made 0 when new */
static int *
scan_slot(struct parties *p, const char *key, size_t n, uint64_t h)
{
	int added;

	return table_upsert(&p->scan, key, n, h, 0, &added);
}

/* Register an alias (raw text) for company c. */
static void
alias_add(struct parties *p, struct arena *a, const char *s, size_t n, int c,
    int replace)
{
	struct tok_list toks;
	char key[MAX_KEY], first[MAX_KEY];
	size_t kn, fn;
	uint64_t kh, fh;
	int *v, added;

	if (text_tokens(&toks, (struct span){ s, n }, a) != DW_OK ||
	    toks.n == 0 || toks.n > MAX_NAME_TOKENS)
		goto out;
	kn = make_key(key, (struct span){ s, n }, toks.v, 0, toks.n, 0);
	fn = make_key(first, (struct span){ s, n }, toks.v, 0, 1, 0);
	if (!kn || !fn)
		goto out;
	/* every proper prefix, so that matching stops early */
	for (size_t k = 1; k < toks.n; k++) {
		char pre[MAX_KEY];
		size_t pn =
		    make_key(pre, (struct span){ s, n }, toks.v, 0, k, 0);

		if (pn && (v = scan_slot(p, pre, pn, hash_bytes(pre, pn))))
			*v |= SCAN_PREFIX;
	}
	kh = hash_bytes(key, kn);
	v = table_upsert(&p->alias, key, kn, kh, c, &added);
	if (v && !added && replace)
		*v = c;
	/* the alias's company, as alias has it: the first one given, or
	 * the last when replacing */
	if (v && (replace || added) && c >= 0 && c < SCAN_CO &&
	    (v = scan_slot(p, key, kn, kh)))
		*v = (*v & ~SCAN_CO) | (c + 1);
	if (key[0] >= 'a' && key[0] <= 'z')
		p->lower2[key[0] - 'a']
		         [key[1] >= 'a' && key[1] <= 'z' ? key[1] - 'a' : 0] |=
		    (uint64_t)1 << MIN(fn, 63);
	if (first[0] >= '0' && first[0] <= '9') {
		/* (first has its NUL after its fn bytes) */
		unsigned char c1 = (unsigned char)first[1];

		p->digit2[first[0] - '0'][c1 >> 6] |= (uint64_t)1 << (c1 & 63);
	}
	fh = hash_bytes(first, fn);
	for (int k = 0; k < 3; k++) {
		uint64_t h = fh >> (21 * k) & FIRST_MASK;

		p->firstbits[h >> 6] |= (uint64_t)1 << (h & 63);
	}
	if (toks.n < 64 && (v = scan_slot(p, first, fn, fh)) &&
	    (*v >> SCAN_MAX_SHIFT) < (int)toks.n)
		*v = (*v & ((1 << SCAN_MAX_SHIFT) - 1)) |
		    (int)toks.n << SCAN_MAX_SHIFT;
out:
	arena_reset(a);
}

/* Split a line into tab-separated fields; returns how many (at most max). */
static size_t
split_fields(struct span line, struct span *f, size_t max)
{
	size_t n = 0, i = 0;

	while (n < max) {
		size_t j = i;

		while (j < line.len && line.p[j] != '\t')
			j++;
		f[n++] = (struct span){ line.p + i, j - i };
		if (j >= line.len)
			break;
		i = j + 1;
	}
	return n;
}

static int
load_companies(struct parties *p, const struct rule_file *rf, int replace,
    struct buf *err)
{
	const char *s = rf->data, *end = rf->data + rf->len;
	size_t lineno = 0;
	struct arena a; /* scratch for each alias, reused */
	int rc = DW_OK;

	arena_init(&a, (size_t)1 << 20);
	{
		/* A line (or a '|') makes about two aliases and four scan
		 * keys (its aliases, their prefixes and first words, which
		 * overlap); a line has one ticker at most. */
		size_t lines = 0, bars = 0;

		for (const char *q = s; q < end; q++) {
			lines += *q == '\n';
			bars += *q == '|';
		}
		table_reserve(&p->alias, 2 * (lines + bars));
		table_reserve(&p->scan, 4 * (lines + bars));
		table_reserve(&p->ticker, lines);
	}
	while (s < end && rc == DW_OK) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		struct span line = { s,
			nl ? (size_t)(nl - s) : (size_t)(end - s) };
		struct span f[4];
		size_t nf;
		int c, hidden = 0;
		unsigned sect;

		s = nl ? nl + 1 : end;
		lineno++;
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (line.len == 0 || line.p[0] == '#')
			continue;
		nf = split_fields(line, f, 4);
		if (f[0].len && f[0].p[0] == '!') {
			hidden = 1;
			f[0].p++;
			f[0].len--;
		}
		if (f[0].len == 0) {
			buf_setf(err, "%s:%zu:1: empty company name", rf->path,
			    lineno);
			rc = DW_ECONFIG;
			break;
		}
		sect = nf > 2 ? sector_bits(p, f[2].p, f[2].len) : 0;
		c = company_add(p, f[0].p, f[0].len, sect);
		if (!hidden)
			alias_add(p, &a, f[0].p, f[0].len, c, replace);
		if (nf > 1) {
			size_t i = 0;

			while (i < f[1].len) {
				size_t j = i;

				while (j < f[1].len && f[1].p[j] != '|')
					j++;
				if (j > i)
					alias_add(p, &a, f[1].p + i, j - i, c,
					    replace);
				i = j + 1;
			}
		}
		if (nf > 3) {
			size_t i = 0;

			while (i < f[3].len) {
				size_t j = i;

				while (j < f[3].len && f[3].p[j] != ',')
					j++;
				if (j > i)
					table_put(&p->ticker, f[3].p + i, j - i,
					    c, replace);
				i = j + 1;
			}
		}
	}
	arena_release(&a);
	return rc;
}

/* One descriptor phrase for val. */
static void
desc_add(struct parties *p, struct span phrase, int val)
{
	struct arena a;
	struct tok_list toks;
	char key[MAX_KEY];
	size_t kn = 0;

	arena_init(&a, (size_t)1 << 20);
	if (text_tokens(&toks, phrase, &a) == DW_OK && toks.n > 0 &&
	    toks.n <= MAX_NAME_TOKENS)
		kn = make_key(key, phrase, toks.v, 0, toks.n, 1);
	if (kn) {
		char k2[MAX_KEY];
		size_t n2 = make_key(k2, phrase, toks.v, 0, 2, 1);

		if (n2) {
			size_t b = desc2_bit_key(k2, n2);

			int *lens;

			/* the value: the lengths in tokens of the
			 * descriptors that start so, a bit each */
			table_put(&p->desc2, k2, n2, 0, 0);
			lens = table_get(&p->desc2, k2, n2);
			*lens |= 1 << toks.n;
			p->desc2bits[b >> 6] |= (uint64_t)1 << (b & 63);
		}
		table_put(&p->desc, key, kn, val, 1);
		if (toks.n > p->desc_max)
			p->desc_max = toks.n;
	}
	arena_release(&a);
}

/* Cut b back to n bytes, keeping it NUL-terminated. */
static void
buf_cut(struct buf *b, size_t n)
{
	b->len = n;
	if (b->cap)
		b->data[n] = 0;
}

/*
 * Every phrase that "the (e-commerce|online retail) (company|giant)"
 * stands for: the text before the first group, each of its choices, then
 * the rest, expanded the same way. done is the text expanded so far.
 * Returns the number of phrases still allowed (a line gives at most 512).
 */
static int
desc_expand(struct parties *p, struct buf *done, struct span rest, int val,
    int budget)
{
	const char *open = memchr(rest.p, '(', rest.len);
	const char *close;
	size_t keep = done->len;

	if (budget <= 0)
		return 0;
	close =
	    open ? memchr(open, ')', rest.len - (size_t)(open - rest.p)) : NULL;
	if (!open || !close) {
		buf_add(done, rest.p, rest.len);
		desc_add(p, buf_span(done), val);
		buf_cut(done, keep);
		return budget - 1;
	}
	buf_add(done, rest.p, (size_t)(open - rest.p));
	for (const char *c = open + 1; c <= close && budget > 0;) {
		const char *bar = c;
		size_t mark = done->len;

		while (bar < close && *bar != '|')
			bar++;
		buf_add(done, c, (size_t)(bar - c));
		budget = desc_expand(p, done,
		    (struct span){ close + 1,
		        rest.len - (size_t)(close + 1 - rest.p) },
		    val, budget);
		buf_cut(done, mark);
		c = bar + 1;
	}
	buf_cut(done, keep);
	return budget;
}

static int
load_descriptors(struct parties *p, const struct rule_file *rf, struct buf *err)
{
	const char *s = rf->data, *end = rf->data + rf->len;
	size_t lineno = 0;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		struct span line = { s,
			nl ? (size_t)(nl - s) : (size_t)(end - s) };
		struct span f[2];
		struct buf done = BUF_INIT;
		int val;

		s = nl ? nl + 1 : end;
		lineno++;
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (line.len == 0 || line.p[0] == '#')
			continue;
		if (split_fields(line, f, 2) < 2 || f[0].len == 0 ||
		    f[1].len == 0) {
			buf_setf(err,
			    "%s:%zu:1: expected PHRASE<TAB>NAME or "
			    "PHRASE<TAB>=SECTOR",
			    rf->path, lineno);
			return DW_ECONFIG;
		}
		if (f[1].p[0] == '=') {
			unsigned bit = sector_bits(p, f[1].p + 1, f[1].len - 1);
			int b = 0;

			while (bit > 1) {
				bit >>= 1;
				b++;
			}
			val = -1 - b;
		} else {
			int *c = table_get(&p->alias, f[1].p, f[1].len);

			if (!c) {
				buf_setf(err,
				    "%s:%zu:%zu: unknown company '%.*s'",
				    rf->path, lineno, f[0].len + 2,
				    (int)f[1].len, f[1].p);
				return DW_ECONFIG;
			}
			val = *c;
		}
		desc_expand(p, &done, f[0], val, 512);
		buf_release(&done);
	}
	return DW_OK;
}

/* The bit of a product name (len > 0 bytes) in prodfirst. */
static inline size_t
prod_bit(const char *s, size_t len)
{
	return (size_t)(unsigned char)s[0] << 6 | MIN(len, 63);
}

/* products.txt: a product or brand name a line ("ChatGPT"). */
static void
load_products(struct parties *p, const struct rule_file *rf)
{
	const char *s = rf->data, *end = rf->data + rf->len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (len && s[len - 1] == '\r')
			len--;
		if (len && s[0] != '#') {
			size_t b = prod_bit(s, len);

			table_put(&p->product, s, len, 1, 0);
			p->prodfirst[b >> 6] |= (uint64_t)1 << (b & 63);
		}
		s = nl ? nl + 1 : end;
	}
}

int
parties_is_product(const struct parties *p, struct span name)
{
	size_t b = prod_bit(name.p, name.len);

	/* most names have no product's first byte and length */
	if (name.len && !((p->prodfirst[b >> 6] >> (b & 63)) & 1))
		return 0;
	return table_get(&p->product, name.p, name.len) != NULL;
}

static void word_sets(struct parties *p);

/* May a token with hash h be the first word of an alias? */
static inline int
maybe_first(const struct parties *p, uint64_t h)
{
	for (int k = 0; k < 3; k++) {
		uint64_t b = h >> (21 * k) & FIRST_MASK;

		if (!(p->firstbits[b >> 6] & ((uint64_t)1 << (b & 63))))
			return 0;
	}
	return 1;
}

int
parties_open(struct parties **out, const struct rule_files *rf, struct buf *err)
{
	struct parties *p = xcalloc(1, sizeof(*p));
	const struct rule_file *f;
	int rc = DW_OK;

	*out = NULL;
	word_sets(p);
	f = rule_files_get(rf, "companies.tsv");
	if (f)
		rc = load_companies(p, f, 0, err);
	f = rule_files_get(rf, "private.tsv");
	if (rc == DW_OK && f)
		rc = load_companies(p, f, 1, err);
	f = rule_files_get(rf, "descriptors.tsv");
	if (rc == DW_OK && f)
		rc = load_descriptors(p, f, err);
	f = rule_files_get(rf, "products.txt");
	if (rc == DW_OK && f)
		load_products(p, f);
	if (rc != DW_OK) {
		parties_free(p);
		return rc;
	}
	memcpy(p->lower2s, p->lower2, sizeof(p->lower2s));
	p->lower2s['t' - 'a']['h' - 'a'] |= (uint64_t)1 << 3;
	p->lower2s['t' - 'a'][0] |= (uint64_t)1 << 3;
	*out = p;
	return DW_OK;
}

void
parties_free(struct parties *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nco; i++)
		free(p->co[i].name);
	free(p->co);
	table_release(&p->alias);
	table_release(&p->ticker);
	table_release(&p->desc);
	table_release(&p->desc2);
	table_release(&p->product);
	table_release(&p->notname);
	table_release(&p->suffix);
	table_release(&p->scan);
	for (size_t i = 0; i < p->nsectors; i++)
		free(p->sector_names[i]);
	free(p);
}

unsigned
parties_sectors(const struct parties *p, const char *name)
{
	int *c = table_get(&p->alias, name, strlen(name));

	return c ? p->co[*c].sectors : 0;
}

const char *
parties_lookup(const struct parties *p, struct span name)
{
	int *c = table_get(&p->alias, name.p, name.len);

	return c ? p->co[*c].name : NULL;
}

/* Is t "the" in any case? (tok_ieq(text, t, "the"): only 'T' and 't'
 * have the bits of 't' once 0x20 is set in them, and so for 'h', 'e') */
static inline int
tok_the(struct span text, const struct tok *t)
{
	const char *w = text.p + t->start;

	return t->end - t->start == 3 && (w[0] | 0x20) == 't' &&
	    (w[1] | 0x20) == 'h' && (w[2] | 0x20) == 'e';
}

/* May a descriptor start at token i (of toks[0..n))? 0: desc_at() finds
 * none. (Always inlined: asked of every "the", and most words after it
 * start none.) */
static inline __attribute__((always_inline)) int
desc_maybe(const struct parties *p, struct span text, const struct tok *t,
    size_t n, size_t i)
{
	return p->desc_max && i + 1 < n && tok_the(text, &t[i]) &&
	    desc2_maybe(p, text, t, i);
}

/* The longest descriptor at token i ("the" of "the ChatGPT maker", of
 * toks[0..n)) where desc_maybe(): its value, its length in tokens in
 * *ntok; else NULL. */
static int *
desc_at(const struct parties *p, struct span text, const struct tok *t,
    size_t n, size_t i, size_t *ntok)
{
	char key[MAX_KEY];
	size_t len[MAX_NAME_TOKENS + 1], most = MIN(p->desc_max, n - i), kn;
	int *lens;

	kn = make_key(key, text, t, i, i + 2, 1);
	lens = kn ? table_get(&p->desc2, key, kn) : NULL;
	if (!lens)
		return NULL;
	/* the key of the most tokens once: that of k tokens is its first
	 * len[k] bytes (make_key() of those gives them; 0 when too long);
	 * no longer than the longest descriptor that starts so */
	most = MIN(most, MAX_NAME_TOKENS);
	while (most > 2 && !(*lens >> most & 1))
		most--;
	len[0] = len[1] = 0;
	for (size_t k = 2; k <= most; k++) {
		size_t l = t[i + k - 1].end - t[i + k - 1].start;

		if (k == 2) {
			len[k] = kn;
			continue;
		}
		if (!len[k - 1] ||
		    (t[i + k - 1].start > t[i + k - 2].end &&
		        len[k - 1] + 1 >= MAX_KEY)) {
			len[k] = 0;
			continue;
		}
		kn = len[k - 1];
		if (t[i + k - 1].start > t[i + k - 2].end)
			key[kn++] = ' ';
		if (kn + l >= MAX_KEY) {
			len[k] = 0;
			continue;
		}
		for (size_t q = 0; q < l; q++) {
			char ch = text.p[t[i + k - 1].start + q];

			key[kn + q] = ch >= 'A' && ch <= 'Z'
			    ? (char)(ch - 'A' + 'a')
			    : ch;
		}
		len[k] = kn + l;
	}
	for (size_t k = most; k >= 2; k--) {
		int *v = len[k] && (*lens >> k & 1)
		    ? table_get(&p->desc, key, len[k])
		    : NULL;

		if (v) {
			*ntok = k;
			return v;
		}
	}
	return NULL;
}

const uint64_t *
parties_desc2_bits(const struct parties *p)
{
	return p->desc_max ? p->desc2bits : NULL;
}

unsigned
parties_sector_descriptor(const struct parties *p, struct span text,
    const struct tok_list *toks, size_t i, size_t *ntok)
{
	size_t k = 0;
	int *v = desc_maybe(p, text, toks->v, toks->n, i)
	    ? desc_at(p, text, toks->v, toks->n, i, &k)
	    : NULL;

	*ntok = 0;
	if (!v || *v >= 0)
		return 0;
	*ntok = k;
	return 1u << (-1 - *v);
}

/* Words that cannot begin a company name found by its suffix. */
static const char *const not_name[] = {
	"Automaker",
	"Bank",
	"Carmaker",
	"Chipmaker",
	"Conglomerate",
	"Drug",
	"Drugmaker",
	"Insurer",
	"Lender",
	"Miner",
	"Retailer",
	"Rival",
	"Startup",
	"Telecom",
	"Chip",
	"Software",
	"Steelmaker",
	"Airline",
	"A",
	"After",
	"An",
	"And",
	"As",
	"At",
	"But",
	"By",
	"For",
	"From",
	"He",
	"If",
	"In",
	"It",
	"Its",
	"Of",
	"On",
	"Our",
	"She",
	"That",
	"The",
	"Their",
	"These",
	"They",
	"This",
	"Those",
	"To",
	"Under",
	"We",
	"When",
	"While",
	"With",
};

static const char *const corp_suffix[] = {
	"AG",
	"Co",
	"Corp",
	"Corporation",
	"GmbH",
	"Inc",
	"Incorporated",
	"LLC",
	"LP",
	"Limited",
	"Ltd",
	"N.V",
	"NV",
	"PLC",
	"S.A",
	"SA",
	"SE",
	"plc",
	"L.P",
	"LLP",
	"L.L.P",
	"L.L.C",
	"P.C",
	"Pvt",
	"KGaA",
	/* Nordic, Dutch, Italian, Australian, Malaysian forms */
	"AB",
	"B.V",
	"BV",
	"Oyj",
	"ASA",
	"SpA",
	"S.p.A",
	"Pty",
	"Bhd",
	"Sdn",
};

static int
word_in(struct span text, const struct tok *t, const char *const *list,
    size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is(text, t, list[i]))
			return 1;
	return 0;
}

/* Is t a word in capitals of three letters or more ("TORONTO" of a
 * dateline's "TORONTO - Harrowgate Gold Corp.")? */
static int
caps_word(struct span text, const struct tok *t)
{
	size_t n = t->end - t->start;

	if (n < 3 || t->kind != TK_WORD)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (text.p[t->start + k] < 'A' || text.p[t->start + k] > 'Z')
			return 0;
	return 1;
}

/* A name ending in a corporate suffix starting at token i: the number of
 * tokens of the name (without the suffix) in *nname, total in return. */
static size_t
wordset_bit(const char *w, size_t len)
{
	return (size_t)(unsigned char)w[0] * 32 + MIN(len, 31);
}

static void
word_sets(struct parties *p)
{
	for (size_t i = 0; i < countof(not_name); i++) {
		size_t n = strlen(not_name[i]), b = wordset_bit(not_name[i], n);

		table_put(&p->notname, not_name[i], n, 1, 0);
		p->notname_f[b >> 6] |= (uint64_t)1 << (b & 63);
	}
	for (size_t i = 0; i < countof(corp_suffix); i++) {
		size_t n = strlen(corp_suffix[i]);
		size_t b = wordset_bit(corp_suffix[i], n);

		table_put(&p->suffix, corp_suffix[i], n, 1, 0);
		p->suffix_f[b >> 6] |= (uint64_t)1 << (b & 63);
	}
}

/* Is token t a word of set (one of the tables word_sets() fills, with
 * its filter filt)? (always inlined: asked of most capitalized words,
 * and the filter answers most) */
static inline __attribute__((always_inline)) int
tok_in(const struct table *set, const uint64_t *filt, struct span text,
    const struct tok *t)
{
	size_t b = wordset_bit(text.p + t->start, t->end - t->start);

	if (!((filt[b >> 6] >> (b & 63)) & 1))
		return 0;
	return table_get(set, text.p + t->start, t->end - t->start) != NULL;
}

/* *none_to: when it finds none and looked at the tokens up to where the
 * name could go no further (not where six tokens stopped it), that
 * token: no name starting before it, after i, has a suffix either (each
 * would look at the same tokens, and i's own was no suffix). */
static size_t
suffix_name(const struct parties *p, struct span text,
    const struct tok_list *toks, size_t i, size_t *nname, size_t *none_to)
{
	const struct tok *t = toks->v;
	size_t j = i, last_cap = 0;

	*nname = 0;
	if (!tok_capitalized(text, &t[i]) ||
	    tok_in(&p->notname, p->notname_f, text, &t[i]))
		return 0;
	while (j < toks->n) {
		if (j - i >= 6)
			return 0;
		if (j > i && t[j].nl_before)
			break;
		if (tok_capitalized(text, &t[j]) ||
		    (j > i && t[j].kind == TK_NUM)) {
			if (j > i &&
			    tok_in(&p->suffix, p->suffix_f, text, &t[j])) {
				size_t end = j + 1;

				if (end < toks->n &&
				    tok_is(text, &t[end], ".") &&
				    t[end].start == t[j].end)
					end++;
				*nname = last_cap + 1 - i;
				return end - i;
			}
			last_cap = j;
			j++;
			continue;
		}
		if (j > i &&
		    (tok_is(text, &t[j], "&") || tok_is(text, &t[j], "of") ||
		        (tok_is(text, &t[j], "-") && j + 1 < toks->n &&
		            tok_capitalized(text, &t[j + 1]) &&
		            !caps_word(text, &t[j - 1])))) {
			j++;
			continue;
		}
		if (j > i && tok_is(text, &t[j], ",") && j + 1 < toks->n &&
		    tok_in(&p->suffix, p->suffix_f, text, &t[j + 1])) {
			j++;
			continue;
		}
		break;
	}
	*none_to = j;
	return 0;
}

static const char *const exchanges[] = {
	"AMEX",
	"ASX",
	"HKEX",
	"LSE",
	"NASDAQ",
	"NYSE",
	"Nasdaq",
	"OTC",
	"OTCQX",
	"TSE",
	"TSX",
	"Xetra",
};

static int
push(struct entity **v, size_t *n, size_t *cap, struct arena *a, size_t start,
    size_t end, const char *name)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		struct entity *nv = NEW(a, struct entity, nc);

		if (!nv)
			return DW_ETOOBIG;
		if (*n)
			memcpy(nv, *v, *n * sizeof(**v));
		*v = nv;
		*cap = nc;
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].type = ENT_PARTY;
	(*v)[*n].start = start;
	(*v)[*n].end = end;
	(*v)[*n].name = name;
	(*n)++;
	return DW_OK;
}

int
parties_scan_tokens(struct entity_list *out, const struct parties *p,
    struct span text, const struct tok_list *toks, struct arena *a,
    struct buf *err)
{
	const struct tok *t = toks->v;
	struct entity *v = NULL;
	size_t n = 0, cap = 0, i = 0, none_to = 0;
	char key[MAX_KEY];

	out->v = NULL;
	out->n = 0;
	while (i < toks->n) {
		size_t best = 0, kn, nname = 0, sl;
		const char *name = NULL;
		int *mx, *c;

		/* most tokens: a word in lower case that is not "the" and that
		 * starts no alias ("xAI" does): none of the tests below
		 * would take it (lower2s lets "the" and a few more on) */
		if (t[i].kind == TK_WORD) {
			unsigned char c0 = (unsigned char)text.p[t[i].start];

			if (c0 >= 'a' && c0 <= 'z') {
				unsigned char c1 = t[i].end - t[i].start > 1
				    ? (unsigned char)text.p[t[i].start + 1]
				    : 'a';

				if (!(p->lower2s[c0 -
				          'a'][c1 >= 'a' && c1 <= 'z' ? c1 - 'a'
				                                      : 0] >>
				            MIN(t[i].end - t[i].start, 63) &
				        1)) {
					i++;
					continue;
				}
			}
		}
		/* a number that starts no alias: none of the tests below
		 * takes it (suffix_name() wants a capital) */
		if (t[i].kind == TK_NUM) {
			const unsigned char *w =
			    (const unsigned char *)text.p + t[i].start;
			unsigned char c1 = t[i].end - t[i].start > 1 ? w[1] : 0;

			if (!((p->digit2[w[0] - '0'][c1 >> 6] >> (c1 & 63)) &
			        1)) {
				i++;
				continue;
			}
		}
		/* (NASDAQ: AMD) */
		if (tok_is(text, &t[i], "(") && i + 3 < toks->n &&
		    word_in(text, &t[i + 1], exchanges, countof(exchanges)) &&
		    tok_is(text, &t[i + 2], ":") &&
		    (i + 4 >= toks->n || tok_is(text, &t[i + 4], ")"))) {
			c = table_get(&p->ticker, text.p + t[i + 3].start,
			    t[i + 3].end - t[i + 3].start);
			if (c &&
			    !(n &&
			        strcmp(v[n - 1].name, p->co[*c].name) == 0)) {
				if (n && v[n - 1].end + 2 >= t[i].start &&
				    v[n - 1].name &&
				    !parties_lookup(p,
				        span_cstr(v[n - 1].name))) {
					/* "Foo Corp. (NYSE: FOO)": the
					 * ticker names the unknown company */
					v[n - 1].name = p->co[*c].name;
				} else if (push(&v, &n, &cap, a, t[i + 3].start,
				               t[i + 3].end,
				               p->co[*c].name) != DW_OK) {
					goto full;
				}
			}
			i += 4;
			continue;
		}
		/* "(AMD)" or "(AWS)" right after the company it repeats */
		if (tok_is(text, &t[i], "(") && i + 2 < toks->n &&
		    tok_is(text, &t[i + 2], ")") && n &&
		    v[n - 1].end <= t[i].start &&
		    v[n - 1].end + 2 >= t[i].start) {
			c = table_get(&p->ticker, text.p + t[i + 1].start,
			    t[i + 1].end - t[i + 1].start);
			if (!c)
				c = table_get(&p->alias,
				    text.p + t[i + 1].start,
				    t[i + 1].end - t[i + 1].start);
			if (c && strcmp(p->co[*c].name, v[n - 1].name) == 0) {
				i += 3;
				continue;
			}
		}
		/* descriptors: "the ChatGPT maker" */
		{
			size_t k = 0;

			c = desc_maybe(p, text, t, toks->n, i)
			    ? desc_at(p, text, t, toks->n, i, &k)
			    : NULL;
			if (c && *c >= 0) {
				if (push(&v, &n, &cap, a, t[i].start,
				        t[i + k - 1].end,
				        p->co[*c].name) != DW_OK)
					goto full;
				i += k;
				continue;
			}
		}
		if (t[i].kind == TK_PUNCT || t[i].kind == TK_POSS) {
			i++;
			continue;
		}
		/* the longest alias from here; a word in lower case only
		 * when some alias starts so ("xAI") */
		{
			unsigned char c0 = (unsigned char)text.p[t[i].start];
			unsigned char c1 = t[i].end - t[i].start > 1
			    ? (unsigned char)text.p[t[i].start + 1]
			    : 'a';

			if (c0 >= 'a' && c0 <= 'z' &&
			    !(p->lower2[c0 -
			          'a'][c1 >= 'a' && c1 <= 'z' ? c1 - 'a' : 0] >>
			            MIN(t[i].end - t[i].start, 63) &
			        1)) {
				i++;
				continue;
			}
		}
		/* one word: the bitmap answers most without the table */
		{
			size_t tl = t[i].end - t[i].start;
			uint64_t th = hash_bytes(text.p + t[i].start, tl);
			mx = NULL;
			if (maybe_first(p, th) && tl < MAX_KEY)
				mx = table_get_h(&p->scan, text.p + t[i].start,
				    tl, th);
		}
		if (mx && *mx >> SCAN_MAX_SHIFT) {
			/* grow while the tokens so far begin some alias; the
			 * key grows with them, as make_key() makes it */
			size_t most = (size_t)(*mx >> SCAN_MAX_SHIFT);

			kn = 0;
			for (size_t k = 1; k <= MIN(most, toks->n - i); k++) {
				const struct tok *u = &t[i + k - 1];
				size_t len = u->end - u->start;

				if (k > 1 && u->start > u[-1].end) {
					if (kn + 1 >= MAX_KEY)
						break;
					key[kn++] = ' ';
				}
				if (kn + len >= MAX_KEY)
					break;
				memcpy(key + kn, text.p + u->start, len);
				kn += len;
				c = k == 1 ? mx : table_get(&p->scan, key, kn);
				if (c && (*c & SCAN_CO)) {
					best = k;
					name = p->co[(*c & SCAN_CO) - 1].name;
				}
				if (!c || !(*c & SCAN_PREFIX))
					break;
			}
		}
		/* a capitalized name with a corporate suffix (none from
		 * here when the one before saw there is none up to none_to) */
		sl = i < none_to
		    ? 0
		    : suffix_name(p, text, toks, i, &nname, &none_to);
		if (sl > best) {
			struct span nm;

			kn = make_key(key, text, t, i, i + nname, 0);
			nm = (struct span){ key, kn };
			name = kn ? parties_lookup(p, nm) : NULL;
			if (!name && kn)
				name = arena_strndup(a, key, kn);
			if (!name)
				goto full;
			best = sl;
		}
		if (best) {
			/* a word glued on ("Amazon-backed" is a token of its
			 * own, so only whole tokens got here) */
			if (push(&v, &n, &cap, a, t[i].start,
			        t[i + best - 1].end, name) != DW_OK)
				goto full;
			i += best;
			continue;
		}
		i++;
	}
	out->v = v;
	out->n = n;
	return DW_OK;
full:
	buf_setf(err, "article needs more memory than its limit");
	return DW_ETOOBIG;
}

int
parties_scan(struct entity_list *out, const struct parties *p, struct span text,
    struct arena *a, struct buf *err)
{
	struct tok_list toks;

	if (text_tokens(&toks, text, a) != DW_OK) {
		buf_setf(err, "article needs more memory than its limit");
		return DW_ETOOBIG;
	}
	return parties_scan_tokens(out, p, text, &toks, a, err);
}
