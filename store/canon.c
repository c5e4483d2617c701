/*
 * canon.c: the canonical forms dedup and merging compare: article URLs,
 * party names, group keys, dates as day ranges, and the SimHash of a
 * text. Pure functions; no SQLite here.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "store/internal.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Sorted for bsearch: keep sorted (strcmp order). */
static const char *const tracking_params[] = {
	"_ga",
	"_gl",
	"cmpid",
	"dclid",
	"fbclid",
	"gclid",
	"gclsrc",
	"igshid",
	"mc_cid",
	"mc_eid",
	"mkt_tok",
	"msclkid",
	"ocid",
	"ref_src",
	"ref_url",
	"smid",
	"soc_src",
	"soc_trk",
	"yclid",
};

static int
cmp_param(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

static int
is_tracking(const char *p, size_t n)
{
	char key[32];

	if (n >= 4 && strncmp(p, "utm_", 4) == 0)
		return 1;
	if (n == 0 || n >= sizeof(key))
		return 0;
	for (size_t i = 0; i < n; i++)
		key[i] = (char)lower((unsigned char)p[i]);
	key[n] = '\0';
	return bsearch(key, tracking_params, countof(tracking_params),
	           sizeof(tracking_params[0]), cmp_param) != NULL;
}

/* n bytes of s, ASCII capitals lowered, appended to b at once. */
static void
add_lower(struct buf *b, const char *s, size_t n)
{
	if (buf_grow(b, n) != DW_OK)
		return;
	for (size_t i = 0; i < n; i++)
		b->data[b->len + i] = (char)lower((unsigned char)s[i]);
	b->len += n;
	b->data[b->len] = '\0';
}

int
store_url_canon(struct buf *out, const char *url)
{
	const char *p = url, *scheme_end, *auth, *auth_end, *path, *q, *frag;
	const char *host_end, *port = NULL;
	size_t scheme_len, path_len;
	int first = 1;

	buf_reset(out);
	scheme_end = strstr(url, "://");
	if (!scheme_end || scheme_end == url) {
		buf_adds(out, url);
		return DW_EPARSE;
	}
	for (const char *c = url; c < scheme_end; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		        (*c >= '0' && *c <= '9') || *c == '+' || *c == '-' ||
		        *c == '.')) {
			buf_adds(out, url);
			return DW_EPARSE;
		}
	}
	scheme_len = (size_t)(scheme_end - url);
	add_lower(out, p, scheme_len);
	buf_add(out, "://", 3);
	auth = scheme_end + 3;
	auth_end = auth + strcspn(auth, "/?#");
	/* Keep any user info as it is; lowercase the host; drop default port. */
	{
		const char *at = NULL;

		for (const char *c = auth; c < auth_end; c++)
			if (*c == '@')
				at = c;
		if (at) {
			buf_add(out, auth, (size_t)(at + 1 - auth));
			auth = at + 1;
		}
	}
	host_end = auth_end;
	if (*auth == '[') {
		const char *rb = memchr(auth, ']', (size_t)(auth_end - auth));

		if (rb)
			host_end = rb + 1;
	} else {
		const char *colon =
		    memchr(auth, ':', (size_t)(auth_end - auth));

		if (colon)
			host_end = colon;
	}
	if (host_end < auth_end && *host_end == ':')
		port = host_end + 1;
	add_lower(out, auth, (size_t)(host_end - auth));
	/* A trailing dot on the host names the same host. */
	while (out->len && out->data[out->len - 1] == '.')
		out->data[--out->len] = '\0';
	if (port && port < auth_end) {
		size_t plen = (size_t)(auth_end - port);
		int dflt = (plen == 2 && memcmp(port, "80", 2) == 0 &&
		               scheme_len == 4 &&
		               strncmp(out->data, "http", 4) == 0) ||
		    (plen == 3 && memcmp(port, "443", 3) == 0 &&
		        scheme_len == 5 && strncmp(out->data, "https", 5) == 0);

		if (plen && !dflt) {
			buf_addch(out, ':');
			buf_add(out, port, plen);
		}
	}
	path = auth_end;
	q = path + strcspn(path, "?#");
	frag = q + strcspn(q, "#");
	path_len = (size_t)(q - path);
	while (path_len > 0 && path[path_len - 1] == '/')
		path_len--;
	buf_add(out, path, path_len);
	if (*q == '?') {
		const char *c = q + 1;

		while (c < frag) {
			const char *amp = c + strcspn(c, "&#");
			const char *eq;
			size_t klen;

			if (amp > frag)
				amp = frag;
			eq = memchr(c, '=', (size_t)(amp - c));
			klen = (size_t)((eq ? eq : amp) - c);
			if (amp > c && !is_tracking(c, klen)) {
				buf_addch(out, first ? '?' : '&');
				buf_add(out, c, (size_t)(amp - c));
				first = 0;
			}
			c = amp < frag ? amp + 1 : frag;
		}
	}
	return buf_error(out) ? DW_ETOOBIG : DW_OK;
}

/*
 * MinHash over word 3-shingles.
 */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define WORD_HASHED 64 /* a word's first bytes hashed (FNV-1a) */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/*
 * A byte of a word, lowered (ASCII capitals), or 0 for a byte between
 * words: words are runs of letters, digits and non-ASCII bytes.
 */
/* clang-format off */
static const unsigned char word_lower[256] = {
	  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
	 48, 49, 50, 51, 52, 53, 54, 55, 56, 57,  0,  0,  0,  0,  0,  0,
	  0, 97, 98, 99,100,101,102,103,104,105,106,107,108,109,110,111,
	112,113,114,115,116,117,118,119,120,121,122,  0,  0,  0,  0,  0,
	  0, 97, 98, 99,100,101,102,103,104,105,106,107,108,109,110,111,
	112,113,114,115,116,117,118,119,120,121,122,  0,  0,  0,  0,  0,
	128,129,130,131,132,133,134,135,136,137,138,139,140,141,142,143,
	144,145,146,147,148,149,150,151,152,153,154,155,156,157,158,159,
	160,161,162,163,164,165,166,167,168,169,170,171,172,173,174,175,
	176,177,178,179,180,181,182,183,184,185,186,187,188,189,190,191,
	192,193,194,195,196,197,198,199,200,201,202,203,204,205,206,207,
	208,209,210,211,212,213,214,215,216,217,218,219,220,221,222,223,
	224,225,226,227,228,229,230,231,232,233,234,235,236,237,238,239,
	240,241,242,243,244,245,246,247,248,249,250,251,252,253,254,255,
};
/* clang-format on */

/*
 * One permutation hashing (Li, Owen and Zhang, 2012): each shingle's
 * hash goes to one of STORE_MINHASH bins by its top bits, and each bin
 * keeps the smallest of its low 32 bits. Equal bins estimate the Jaccard
 * similarity of two texts as 64 separate hash functions would, for one
 * hash a shingle instead of 64 (those were a fifth of the instructions
 * storing an article took). A bin no shingle fell into borrows the value
 * of the next filled bin to its right, shifted by its distance
 * (densification by rotation, Shrivastava and Li, 2014), so that two
 * texts agree on it about as often as on the others.
 */
#define BIN_BITS 6
#define EMPTY_BIN UINT32_MAX
#define ROTATION 0x9e3779b9U

_Static_assert(STORE_MINHASH == 1 << BIN_BITS, "one bin a sketch value");

/*
 * The next word of text at *pp into *h, *pp past it; 0 when there is
 * none before end. text ends in "\0a", past its len bytes: the byte ends
 * the last word, the letter the last gap, so that neither loop needs to
 * look for the end. A table look-up a byte and FNV-1a on the fly: the
 * sketch is the same as when each word was copied out, lowered and its
 * first WORD_HASHED bytes hashed, in half the instructions.
 */
static inline int
next_word(const unsigned char **pp, const unsigned char *end, uint64_t *out)
{
	const unsigned char *p = *pp, *w;
	uint64_t h = FNV_OFFSET;
	unsigned c;

	while ((c = word_lower[*p]) == 0)
		p++;
	if (p >= end)
		return 0;
	w = p;
	/* four bytes a turn; each lowered byte in a register of its own,
	 * so the multiply chain is the only dependency */
	for (;;) {
		unsigned c1, c2, c3;

		h ^= c;
		h *= FNV_PRIME;
		c1 = word_lower[p[1]];
		if (!c1) {
			p += 1;
			break;
		}
		h ^= c1;
		h *= FNV_PRIME;
		c2 = word_lower[p[2]];
		if (!c2) {
			p += 2;
			break;
		}
		h ^= c2;
		h *= FNV_PRIME;
		c3 = word_lower[p[3]];
		if (!c3) {
			p += 3;
			break;
		}
		h ^= c3;
		h *= FNV_PRIME;
		c = word_lower[p[4]];
		if (!c) {
			p += 4;
			break;
		}
		p += 4;
	}
	/* A longer word (rare): its first bytes again. */
	if (p - w > WORD_HASHED) {
		h = FNV_OFFSET;
		for (int i = 0; i < WORD_HASHED; i++)
			h = (h ^ word_lower[w[i]]) * FNV_PRIME;
	}
	*pp = p + 1; /* the byte that ended the word is none */
	*out = h;
	return 1;
}

/*
 * The shingles of text (see next_word), oldest first, into the bins m
 * (EMPTY_BIN when none); its words counted in *words. The first two
 * words make no shingle: they are read before the loop, which then
 * need not count. Returns the filled bins, bin k as bit k (a bin's first
 * shingle always fills it: values are below EMPTY_BIN).
 */
static uint64_t
sketch_bins(uint32_t *m, const unsigned char *p, size_t len, size_t *words)
{
	const unsigned char *end = p + len;
	uint64_t win1, win2, h, x, filled = 0;
	size_t n = 0;

	if (!next_word(&p, end, &win1) || (n = 1, !next_word(&p, end, &win2)))
		goto out;
	for (n = 2; next_word(&p, end, &h); n++) {
		unsigned bin;
		uint32_t v;

		x = mix64(win1 ^ mix64(win2 ^ mix64(h)));
		/* Top bits the bin; 31 bits the value: borrowed values
		 * (store_sketch) have the 32nd. */
		bin = (unsigned)(x >> (64 - BIN_BITS));
		v = (uint32_t)x >> 1;
		if (v < m[bin]) {
			m[bin] = v;
			filled |= (uint64_t)1 << bin;
		}
		win1 = win2;
		win2 = h;
	}
out:
	*words = n;
	return filled;
}

void
store_sketch(struct store_sketch *out, struct span text)
{
	unsigned char stack[4096], *copy = stack;
	size_t words = 0;
	uint32_t *m = out->h;
	uint64_t filled; /* bit k: bin k has a shingle */

	for (int k = 0; k < STORE_MINHASH; k++)
		m[k] = EMPTY_BIN;
	if (text.len + 2 > sizeof(stack))
		copy = xmalloc(text.len + 2);
	if (text.len)
		memcpy(copy, text.p, text.len);
	copy[text.len] = '\0';
	copy[text.len + 1] = 'a';
	filled = sketch_bins(m, copy, text.len, &words);
	if (copy != stack)
		free(copy);
	out->words = words;
	if (filled == 0 || filled == UINT64_MAX)
		return;
	/* Each empty bin k, lowest first: the next filled one is d bins on
	 * (cyclically), the first bit of filled rotated past k. */
	for (uint64_t e = ~filled; e; e &= e - 1) {
		int k = __builtin_ctzll(e), r = (k + 1) % STORE_MINHASH;
		uint64_t rot = r ? filled >> r | filled << (64 - r) : filled;
		uint32_t d = (uint32_t)__builtin_ctzll(rot) + 1;
		int from = (k + (int)d) % STORE_MINHASH;

		/* Borrowed values have the top bit, filled ones never. */
		m[k] = 0x80000000U | ((m[from] + d * ROTATION) & 0x7fffffffU);
	}
}

double
store_sketch_similarity(const struct store_sketch *a,
    const struct store_sketch *b)
{
	int same = 0;

	for (int k = 0; k < STORE_MINHASH; k++)
		same += a->h[k] == b->h[k];
	return (double)same / STORE_MINHASH;
}

_Static_assert(STORE_MINHASH_BAND_ROWS == 4, "a band: two 64-bit words");

int64_t
store_sketch_band(const struct store_sketch *s, int i)
{
	const uint32_t *v = s->h + i * STORE_MINHASH_BAND_ROWS;
	uint64_t a = (uint64_t)v[0] | (uint64_t)v[1] << 32;
	uint64_t b = (uint64_t)v[2] | (uint64_t)v[3] << 32;
	uint64_t h;

	/*
	 * Bands live in memory only (near.c), so any good enough hash will
	 * do: the values are hash minima already. Each step is one to one
	 * in a for a given b and in b for a given a, so two bands of
	 * different values share a number by chance only (2^-32); a band's
	 * number i is mixed in so that equal values in two bands are two
	 * numbers. A fifth of the four mix64 it was.
	 */
	h = (a ^ (uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL) *
	        0xff51afd7ed558ccdULL +
	    b;
	h ^= h >> 32;
	h *= 0xc4ceb9fe1a85ec53ULL;
	/* 32 bits: a stray match among a million articles' bands is rare
	 * and only costs reading one sketch. */
	return (int64_t)(h >> 32);
}

/*
 * Names.
 */
/* Words the scorer drops too, with their lengths: a crawl keys every
 * party of every deal, and most words are no suffix by their length or
 * first letter alone. */
#define SUFFIX(w)                                                              \
	{                                                                      \
		w, sizeof(w) - 1                                               \
	}
static const struct {
	const char *w;
	size_t n;
} name_suffixes[] = {
	SUFFIX("ag"),
	SUFFIX("co"),
	SUFFIX("company"),
	SUFFIX("corp"),
	SUFFIX("corporation"),
	SUFFIX("group"),
	SUFFIX("holding"),
	SUFFIX("holdings"),
	SUFFIX("inc"),
	SUFFIX("incorporated"),
	SUFFIX("limited"),
	SUFFIX("llc"),
	SUFFIX("ltd"),
	SUFFIX("nv"),
	SUFFIX("plc"),
	SUFFIX("sa"),
	SUFFIX("se"),
	SUFFIX("the"),
};
#undef SUFFIX

/* The lengths and first letters of name_suffixes, as bits: most words
 * are no suffix by these alone. */
#define SUFFIX_LENGTHS                                                         \
	((1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 7) |           \
	    (1u << 8) | (1u << 11) | (1u << 12))
#define SUFFIX_FIRSTS                                                          \
	((1u << ('a' - 'a')) | (1u << ('c' - 'a')) | (1u << ('g' - 'a')) |     \
	    (1u << ('h' - 'a')) | (1u << ('i' - 'a')) | (1u << ('l' - 'a')) |  \
	    (1u << ('n' - 'a')) | (1u << ('p' - 'a')) | (1u << ('s' - 'a')) |  \
	    (1u << ('t' - 'a')))

/* Whether the lowered word k of n bytes is one of name_suffixes. */
static int
name_suffix(const char *k, size_t n)
{
	if (n > 12 || !(SUFFIX_LENGTHS & (1u << n)) || k[0] < 'a' ||
	    k[0] > 'z' || !(SUFFIX_FIRSTS & (1u << (k[0] - 'a'))))
		return 0;
	for (size_t i = 0; i < countof(name_suffixes); i++)
		if (name_suffixes[i].n == n && name_suffixes[i].w[0] == k[0] &&
		    memcmp(name_suffixes[i].w, k, n) == 0)
			return 1;
	return 0;
}

static int
all_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* A byte of a name's words is one word_lower keeps (nonzero): an ASCII
 * letter or digit, or any byte of a multibyte character. */

/*
 * The words of src folded at d + o (room for 4 * strlen(src) + 1
 * bytes): runs of anything but ASCII punctuation and space, lowered,
 * name_suffixes dropped, one space between; '&' is "and". The bytes of
 * src ORed into *high. Returns the new end.
 */
static size_t
key_words(char *d, size_t o, const char *src, unsigned *high)
{
	size_t start = o;
	unsigned hi = 0;

	for (const char *p = src; *p;) {
		size_t wl = 0, sp;
		unsigned char c;

		while (!word_lower[(unsigned char)*p] && *p && *p != '&')
			p++;
		if (!*p)
			break;
		if (*p == '&') {
			p++;
			if (o > start)
				d[o++] = ' ';
			memcpy(d + o, "and", 3);
			o += 3;
			continue;
		}
		/* The word lowered as it is scanned: a name's word bytes are
		 * a sketch's (word_lower, nonzero), lowered alike. */
		sp = o > start;
		while ((c = word_lower[(unsigned char)p[wl]]) != 0) {
			hi |= c;
			d[o + sp + wl] = (char)c;
			wl++;
		}
		p += wl;
		if (name_suffix(d + o + sp, wl))
			continue;
		if (sp)
			d[o] = ' ';
		o += sp + wl;
	}
	*high |= hi;
	return o;
}

void
store__name_key(struct buf *b, const char *name)
{
	utf8proc_uint8_t *folded = NULL;
	const char *src = name;
	size_t start = b->len, o, len = strlen(name);
	unsigned high = 0;
	char *d;

	/* Written in place: a word takes its bytes and a space at most, an
	 * '&' its byte and three more. */
	if (buf_grow(b, 4 * len + 1) != DW_OK)
		goto out;
	o = key_words(b->data, start, name, &high);
	/* NFKC, case folding and mark stripping leave ASCII as it is but
	 * for its capitals, which the words lower: most names skip utf8proc
	 * (a crawl keys every party of every mention), and the rest are
	 * keyed again from their folded form (non-ASCII bytes are all word
	 * bytes, so the words saw every one of them). */
	if ((high & 0x80) &&
	    utf8proc_map((const utf8proc_uint8_t *)name, 0, &folded,
	        UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	            UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK) >=
	        0) {
		src = (const char *)folded;
		len = strlen(src);
		if (buf_grow(b, 4 * len + 1) != DW_OK)
			goto out;
		o = key_words(b->data, start, src, &high);
	}
	d = b->data;
	/* No word left (a name of suffixes or punctuation only): the name
	 * itself, folded (as it is when utf8proc could not fold it). */
	if (o == start) {
		int ascii = all_ascii(src);

		for (const char *p = src; *p; p++)
			d[o++] = ascii ? (char)lower((unsigned char)*p) : *p;
	}
	d[o] = '\0';
	b->len = o;
	if (b->len == start)
		buf_adds(b, name);
out:
	free(folded);
}

/* Where a role stands in CONTRACT.md's order: the side money flows from
 * (or any party of a merger or partnership) first. */
static int
role_rank(int role)
{
	return role == ROLE_TARGET || role == ROLE_SUPPLIER;
}

/* v in decimal at d (room for 20 bytes); its length. */
static size_t
put_int(char *d, int64_t v)
{
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char t[21];
	size_t n = 0;

	/* Most are roles and lengths of names. */
	if (v >= 0 && v < 100) {
		if (v < 10) {
			d[0] = (char)('0' + v);
			return 1;
		}
		d[0] = (char)('0' + v / 10);
		d[1] = (char)('0' + v % 10);
		return 2;
	}
	do
		t[sizeof(t) - ++n] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		t[sizeof(t) - ++n] = '-';
	memcpy(d, t + sizeof(t) - n, n);
	return n;
}

size_t
store__put_int(char *d, int64_t v)
{
	_Static_assert(STORE_INT_MAX >= 20, "INT64_MIN has 20 bytes");
	return put_int(d, v);
}

void
store__add_int(struct buf *b, int64_t v)
{
	char d[21];

	buf_add(b, d, put_int(d, v));
}

/* "role:len:name;", written at once. */
static void
add_party(struct buf *b, int role, const char *name, size_t n)
{
	char *d;
	size_t o;

	if (n > SIZE_MAX / 2 || buf_grow(b, n + 44) != DW_OK)
		return;
	d = b->data;
	o = b->len;
	o += put_int(d + o, role);
	d[o++] = ':';
	o += put_int(d + o, (int64_t)n);
	d[o++] = ':';
	memcpy(d + o, name, n);
	o += n;
	d[o++] = ';';
	d[o] = '\0';
	b->len = o;
}

void
store__parties_encode(struct buf *b, const struct deal *d)
{
	/* Stored in role order, whatever order the extractor gave. */
	for (int rank = 0; rank < 2; rank++)
		for (size_t i = 0; i < d->nparties; i++)
			if (role_rank(d->parties[i].role) == rank)
				add_party(b, d->parties[i].role,
				    d->parties[i].name,
				    strlen(d->parties[i].name));
}

int
store__parties_decode(struct deal *d, const char *enc, struct arena *a)
{
	const char *p = enc;

	d->nparties = 0;
	while (*p) {
		char *end;
		long role;
		unsigned long long len;

		role = strtol(p, &end, 10);
		if (*end != ':')
			return DW_EPARSE;
		len = strtoull(end + 1, &end, 10);
		if (*end != ':' || strlen(end + 1) < len + 1 ||
		    end[1 + len] != ';' || d->nparties == DEAL_MAX_PARTIES)
			return DW_EPARSE;
		d->parties[d->nparties].role = (int)role;
		d->parties[d->nparties].name =
		    arena_strndup(a, end + 1, (size_t)len);
		d->nparties++;
		p = end + 1 + len + 1;
	}
	return DW_OK;
}

/* Whether party a's (role, folded name) sorts after party c's. */
static int
keyed_after(const struct deal *d, const struct buf *nb, const size_t *off,
    const size_t *len, size_t a, size_t c)
{
	size_t m = MIN(len[a], len[c]);
	int r;

	if (d->parties[a].role != d->parties[c].role)
		return d->parties[a].role > d->parties[c].role;
	r = memcmp(nb->data + off[a], nb->data + off[c], m);
	return r > 0 || (r == 0 && len[a] > len[c]);
}

void
store__group_key(struct buf *b, const struct deal *d)
{
	struct buf nb = BUF_INIT;

	buf_grow(&nb, 255); /* one allocation for most deals' names */
	store__group_key_in(b, d, &nb);
	buf_release(&nb);
}

void
store__group_key_in(struct buf *b, const struct deal *d, struct buf *names)
{
	/* Each party's folded name in one buffer, at off[i], len[i]. */
	size_t off[DEAL_MAX_PARTIES], len[DEAL_MAX_PARTIES];
	size_t ord[DEAL_MAX_PARTIES];
	struct buf *nb = names;
	size_t n = MIN(d->nparties, (size_t)DEAL_MAX_PARTIES);

	buf_reset(nb);
	for (size_t i = 0; i < n; i++) {
		off[i] = nb->len;
		store__name_key(nb, d->parties[i].name);
		len[i] = nb->len - off[i];
	}
	/*
	 * Roles order the directed deals; parties of a merger or a
	 * partnership all share one role and are sorted by name, so "A and B"
	 * and "B and A" are one group. A handful of parties: insertion sort,
	 * by role and then name as strcmp orders them.
	 */
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 && keyed_after(d, nb, off, len, ord[j - 1], i)) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = i;
	}
	store__add_int(b, d->type);
	buf_addch(b, ';');
	for (size_t i = 0; i < n; i++) {
		size_t k = ord[i];

		add_party(b, d->parties[k].role, nb->data + off[k], len[k]);
	}
}

int64_t
store__gkey_hash(const char *gkey)
{
	uint64_t h = FNV_OFFSET;

	for (const unsigned char *p = (const unsigned char *)gkey; *p; p++)
		h = (h ^ *p) * FNV_PRIME;
	return (int64_t)mix64(h);
}

int64_t
store__name_hash(const char *key, size_t n)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * FNV_PRIME;
	/* 32 bits, signed: SQLite stores it in 4 bytes. */
	return (int64_t)(int32_t)(uint32_t)(mix64(h) >> 32);
}

/* Past the decimal digits at p (none: p). */
static const char *
skip_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

const char *
store__gkey_next(const char *p, const char **key, size_t *n)
{
	const char *end;
	size_t len = 0;

	/* "type;" first, then "role:len:key;" a name. */
	end = skip_digits(p);
	if (end > p && *end == ';')
		p = end + 1;
	end = skip_digits(p);
	if (end == p || *end != ':')
		return NULL;
	p = end + 1;
	end = skip_digits(p);
	if (end == p || *end != ':' || end - p > 9)
		return NULL;
	for (; p < end; p++)
		len = len * 10 + (size_t)(*p - '0');
	if (strnlen(end + 1, len + 1) < len + 1 || end[1 + len] != ';')
		return NULL;
	*key = end + 1;
	*n = len;
	return end + 1 + len + 1;
}

int
store__date_range(const char *s, int64_t *lo, int64_t *hi)
{
	int y, m = 0, d = 0;
	size_t n;
	char *end;
	long v;

	if (!s)
		return DW_EPARSE;
	n = strlen(s);
	if (n < 4)
		return DW_EPARSE;
	v = strtol(s, &end, 10);
	if (end != s + 4 || v < 1 || v > 9999)
		return DW_EPARSE;
	y = (int)v;
	if (n >= 7 && s[4] == '-') {
		v = strtol(s + 5, &end, 10);
		if (end != s + 7 || v < 1 || v > 12)
			return DW_EPARSE;
		m = (int)v;
		if (n >= 10 && s[7] == '-') {
			v = strtol(s + 8, &end, 10);
			if (end != s + 10 || v < 1 || v > days_in_month(y, m))
				return DW_EPARSE;
			d = (int)v;
		}
	}
	if (!m) {
		*lo = days_from_civil(y, 1, 1);
		*hi = days_from_civil(y, 12, 31);
	} else if (!d) {
		*lo = days_from_civil(y, (unsigned)m, 1);
		*hi = days_from_civil(y, (unsigned)m,
		    (unsigned)days_in_month(y, m));
	} else {
		*lo = *hi = days_from_civil(y, (unsigned)m, (unsigned)d);
	}
	return DW_OK;
}
