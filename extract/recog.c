/*
 * recog.c: the recognizers' driver. Runs every compiled pattern over the
 * text under PCRE2 match limits, interprets the matches, keeps the longest
 * of overlapping ones, and resolves what depends on order (a sentence's
 * named dollar, "the same day"). The grammar is in the rule files.
 */
#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/recog.h"

/* PCRE2 limits: enough for any sane sentence, fatal to runaway inputs. */
#define RECOG_MATCH_LIMIT 200000
#define RECOG_DEPTH_LIMIT 2000
#define RECOG_HEAP_LIMIT 20000 /* KiB */

struct cand {
	struct recog_out o;
	const struct recog_match *m; /* dates: interpreted after selection */
	int prio;
	int block; /* a notdate match: wins its span, then is dropped */
};

struct kept_match;

struct candv {
	struct cand *v;
	size_t n, cap;
	struct arena *a;
	/* room for dates' matches, taken a few at a time */
	struct kept_match *km;
	size_t nkm;
};

static void cache_groups(struct recog_pattern *p);
static void byte_classes(unsigned char cls[256]);

/* The names behind enum recog_lname, in its order. */
static const char *const list_names[RECOG_NLIST_NAMES] = { "change_word",
	"count", "curglued", "curpre", "currency", "datemod", "direction",
	"fx_after", "fx_before", "holiday", "month", "numglue", "numword",
	"ordword", "past_cue", "period", "periods", "qualifier",
	"qualifier_suffix", "quarter", "relday", "scale", "scale_glued",
	"season", "weekday", "weight_after", "weight_before", "yearrel" };

int
recog_open(struct recog **out, const struct rule_files *rf, struct buf *err)
{
	struct recog *r = xcalloc(1, sizeof(*r));
	int rc;

	rc = recog__compile(r, rf, err);
	if (rc == DW_OK && r->npats > 64) {
		buf_setf(err, "%s: more than 64 recognizer patterns",
		    rf->origin ? rf->origin : "rules");
		rc = DW_ECONFIG;
	}
	if (rc != DW_OK) {
		recog_free(r);
		*out = NULL;
		return rc;
	}
	for (size_t i = 0; i < r->npats; i++) {
		uint32_t n = 0;

		r->pats[i].wk_name = strcmp(r->pats[i].name, "shift") == 0 ? 1
		    : strcmp(r->pats[i].name, "weekday") == 0              ? 2
		                                                           : 0;
		if (r->pats[i].kind == RK_CUE &&
		    strcmp(r->pats[i].name, "future") == 0) {
			r->future = &r->pats[i];
			if (r->future->start != RECOG_T_ANY)
				r->start_lists |= r->future->start;
		}
		/* A pattern without start= may begin at any word. */
		if (r->pats[i].kind != RK_CUE &&
		    r->pats[i].start == RECOG_T_ANY)
			r->all_words = 1;
		if (r->pats[i].kind == RK_CUE)
			continue;
		r->start_lists |= r->pats[i].start;
		for (int g = 0; g < r->pats[i].ngates; g++) {
			const struct recog_gate *gt = &r->pats[i].gate[g];
			uint64_t bit;

			if (r->ngates == 64) {
				buf_setf(err, "%s: more than 64 start= gates",
				    rf->origin ? rf->origin : "rules");
				recog_free(r);
				*out = NULL;
				return DW_ECONFIG;
			}
			bit = (uint64_t)1 << r->ngates;
			r->gates[r->ngates].g = *gt;
			r->gates[r->ngates++].pat = i;
			if (gt->start == RECOG_T_ANY)
				r->any_start |= bit;
			else
				for (int b = 0; b < 64; b++)
					if (gt->start & ((uint64_t)1 << b)) {
						r->by_class[b] |= bit;
						r->opens |= (uint64_t)1 << b;
						if (gt->core == RECOG_T_ANY)
							r->class_any |=
							    (uint64_t)1 << b;
						else
							r->class_core
							    [b][gt->near] |=
							    gt->core;
					}
		}
		cache_groups(&r->pats[i]);
		for (size_t g = 0; g < RECOG_NGROUP_NAMES; g++)
			for (size_t k = 0; r->pats[i].gnum[g][k]; k++)
				n = MAX(n, r->pats[i].gnum[g][k]);
		r->pats[i].md = pcre2_match_data_create(n + 1, NULL);
		r->pats[i].ov = pcre2_get_ovector_pointer(r->pats[i].md);
		r->pats[i].nov = pcre2_get_ovector_count(r->pats[i].md);
	}
	r->tok_mask = r->opens;
	if (r->future && r->future->start != RECOG_T_ANY)
		r->tok_mask |= r->future->start;
	for (size_t g = 0; g < r->ngates; g++) {
		if (r->gates[g].g.core != RECOG_T_ANY)
			r->tok_core |= r->gates[g].g.core;
		if (r->gates[g].g.core2 != RECOG_T_ANY)
			r->tok_core |= r->gates[g].g.core2;
	}
	for (size_t i = 0; i < RECOG_NLIST_NAMES; i++) {
		const struct recog_list *l = recog_list_get(r, list_names[i]);

		r->lid[i] = l ? (int)(l - r->lists) : -1;
	}
	/* Which words must be checked against the text to start a list. */
	for (size_t i = 0; i < r->nwords; i++)
		r->words[i].need =
		    r->words[i].mask & ~r->words[i].full & r->start_lists;
	byte_classes(r->cls);
	for (int c = 0; c < 256; c++) {
		int alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z');

		r->wcls[c] = (unsigned char)((alnum ? 1 : 0) |
		    (alnum || c == '.' || c == '-' ? 2 : 0));
	}
	r->jit_done = xcalloc(r->npats + 1, 1);
	r->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->mctx, RECOG_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RECOG_DEPTH_LIMIT);
	pcre2_set_heap_limit(r->mctx, RECOG_HEAP_LIMIT);
	r->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	/* The match data, one a pattern and one for the future cue, are
	 * made once, not per text (the recognizer is one thread's, see
	 * jit). */
	r->cue_md = pcre2_match_data_create(4, NULL);
	pcre2_jit_stack_assign(r->mctx, NULL, r->jit);
	*out = r;
	return DW_OK;
}

void
recog_free(struct recog *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->npats; i++)
		pcre2_match_data_free(r->pats[i].md);
	recog__release(r);
	pcre2_match_context_free(r->mctx);
	pcre2_match_data_free(r->cue_md);
	pcre2_jit_stack_free(r->jit);
	free(r);
}

/* The names behind enum recog_gname, in its order. */
static const char *const group_names[RECOG_NGROUP_NAMES] = { "a_cur", "a_num",
	"a_sc", "a_sub", "adir", "b_cur", "b_num", "b_sc", "d", "dir", "dmod",
	"hi", "hol", "lo", "mn", "mod", "mon", "n", "n2", "n3", "nth", "num",
	"q", "qn", "qs", "rel", "rng", "same", "unit", "unit2", "unit3", "wd",
	"wmod", "y", "yrel" };

/* Fill p->gnum from the pattern's name table. */
static void
cache_groups(struct recog_pattern *p)
{
	memset(p->gnum, 0, sizeof(p->gnum));
	for (size_t i = 0; i < RECOG_NGROUP_NAMES; i++) {
		PCRE2_SPTR first, last;
		int size = pcre2_substring_nametable_scan(p->code,
		    (PCRE2_SPTR)group_names[i], &first, &last);
		size_t k = 0;

		if (size <= 0)
			continue;
		for (PCRE2_SPTR e = first;
		     e <= last && k + 1 < RECOG_GROUP_DUPS; e += size)
			p->gnum[i][k++] =
			    (uint16_t)(((unsigned)e[0] << 8) | e[1]);
	}
}

static struct cand *
cand_add(struct candv *cv)
{
	if (cv->n == cv->cap) {
		size_t cap = cv->cap ? cv->cap * 2 : 16;
		/* filled below and by the caller: not zeroed */
		struct cand *v = NEW_UNINIT(cv->a, struct cand, cap);

		if (!v)
			return NULL;
		if (cv->n)
			memcpy(v, cv->v, cv->n * sizeof(*v));
		cv->v = v;
		cv->cap = cap;
	}
	/* The caller sets every field. */
	return &cv->v[cv->n++];
}

/* A date's match, kept for interpreting after selection. */
struct kept_match {
	struct recog_match m;
	PCRE2_SIZE ov[2 * 24];
};

/* Record one match as candidates; rejected interpretations add nothing. */
static int
take_match(struct candv *cv, const struct recog *r,
    const struct recog_pattern *p, uint32_t npairs, struct span text)
{
	struct recog_match here, *m = &here;
	PCRE2_SIZE *ov = p->ov;
	/* NOTE: only the first n pairs are set; JIT leaves the rest. 0:
	 * the groups went on past the match data's room (see
	 * recog_pattern.md), which is all set. */
	uint32_t n = npairs ? MIN(npairs, p->nov) : p->nov;
	struct recog_out o[2];
	int k = 0;

	/* A date is interpreted after selection: its match is kept. Money
	 * and percentages are read at once, from the match data. */
	here.ov = ov;
	if (p->kind == RK_DATE) {
		/* One allocation for both where the groups fit (always, with
		 * the shipped rules). */
		/* every field set below; only the first n pairs are read */
		struct kept_match *km;

		if (!cv->nkm) {
			cv->km = NEW_UNINIT(cv->a, struct kept_match, 8);
			if (!cv->km)
				return -1;
			cv->nkm = 8;
		}
		km = cv->km++;
		cv->nkm--;
		m = &km->m;
		m->ov = n <= countof(km->ov) / 2
		    ? km->ov
		    : NEW(cv->a, PCRE2_SIZE, 2 * (size_t)n);
		if (!m->ov)
			return -1;
		memcpy(m->ov, ov, 2 * (size_t)n * sizeof(*ov));
	}
	m->novec = n;
	m->pat = p;
	m->start = ov[0];
	m->end = ov[1];
	/* The interpreters fill out[0..k) whole; a date only its span. */
	switch (p->kind) {
	case RK_MONEY:
		k = recog_money(o, r, m, text);
		break;
	case RK_PERCENT:
		k = recog_percent(o, r, m, text);
		break;
	default:
		memset(&o[0], 0, sizeof(o[0]));
		o[0].e.type = ENT_DATE;
		o[0].e.start = m->start;
		o[0].e.end = m->end;
		k = 1;
	}
	for (int i = 0; i < k; i++) {
		struct cand *c = cand_add(cv);

		if (!c)
			return -1;
		c->o = o[i];
		c->prio = p->prio;
		c->block = p->kind == RK_NOTDATE;
		c->m = p->kind == RK_DATE ? m : NULL;
	}
	return 0;
}

/*
 * A token the patterns care about: a word in some list, a run of digits or
 * a symbol. Other words are only counted, for the distance to a core.
 */
struct token {
	uint32_t pos;  /* byte offset */
	uint32_t word; /* how many words precede it */
	uint64_t mask; /* RECOG_T_* or the lists the word begins */
	uint64_t core; /* RECOG_T_* or the lists the word ends */
};

/*
 * Every token's ahead masks: for window k (0..3), the core masks of it and
 * the tokens of the next 0, 1, 3 or 6 words, into ah[k][i]. One pass
 * backwards, where wc[w] gathers the core masks of word w's tokens from the
 * current one on (words only grow along the tokens). -1 when the arena is
 * full.
 */
static int
token_aheads(uint64_t *ah[4], const struct token *tok, size_t ntok,
    struct arena *a)
{
	size_t nw = (ntok ? tok[ntok - 1].word : 0) + 8;
	uint64_t *wc = NEW(a, uint64_t, nw);

	/* the four windows in one block, each entry written before read */
	if (!wc || !(ah[0] = NEW_UNINIT(a, uint64_t, 4 * (ntok + 1))))
		return -1;
	for (int k = 1; k < 4; k++)
		ah[k] = ah[k - 1] + ntok + 1;
	for (size_t i = ntok; i-- > 0;) {
		const uint64_t *c = &wc[tok[i].word];

		wc[tok[i].word] |= tok[i].core;
		ah[0][i] = c[0];
		ah[1][i] = ah[0][i] | c[1];
		ah[2][i] = ah[1][i] | c[2] | c[3];
		ah[3][i] = ah[2][i] | c[4] | c[5] | c[6];
	}
	return 0;
}

/* Is a token of core within window near (0..3) of token i? */
static inline int
core_near(uint64_t *const ah[4], size_t i, int near, uint64_t core)
{
	return core == RECOG_T_ANY || (ah[near][i] & core) != 0;
}

/* The tokens of a text, in the arena. */
struct tokv {
	struct token *v;
	size_t n, cap;
	struct arena *a;
};

/* Double the room: -1 when the arena is full. Rare: see tokenize's cap. */
static int
token_grow(struct tokv *tv)
{
	struct token *g = NEW_UNINIT(tv->a, struct token, tv->cap * 2);

	if (!g)
		return -1;
	memcpy(g, tv->v, tv->n * sizeof(*g));
	tv->v = g;
	tv->cap *= 2;
	return 0;
}

static inline int
token_add(struct tokv *tv, size_t pos, uint32_t word, uint64_t mask,
    uint64_t core)
{
	struct token *t;

	if (tv->n == tv->cap && token_grow(tv) != 0)
		return -1;
	t = &tv->v[tv->n++];
	t->pos = (uint32_t)pos;
	t->word = word;
	t->mask = mask;
	t->core = core;
	return 0;
}

static inline int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* What a run of digits [i, j) looks like: a year, a day, a date part, an
 * ordinal. */
static uint64_t
digit_class(struct span text, size_t i, size_t j)
{
	const unsigned char *p = (const unsigned char *)text.p;
	uint64_t m = 0;
	unsigned char c = j < text.len ? p[j] : '\0';
	size_t k = j;

	if (j - i == 4 &&
	    ((p[i] == '1' && p[i + 1] >= '8') ||
	        (p[i] == '2' && p[i + 1] <= '1')))
		m |= RECOG_T_YEAR;
	if (j - i == 2 && i > 0 && p[i - 1] == '\'')
		m |= RECOG_T_YEAR;
	if (j - i <= 2)
		m |= RECOG_T_DAY;
	while (k < text.len && k < j + 2 && p[k] == ' ')
		k++;
	if (k < text.len &&
	    (p[k] == '-' || p[k] == '/' || p[k] == '.' || p[k] == ':'))
		k++;
	while (k < text.len && k < j + 5 && p[k] == ' ')
		k++;
	if (k > j && k < text.len && is_digit(p[k]))
		m |= RECOG_T_DSEP;
	if (j - i == 8)
		m |= RECOG_T_DSEP;
	/* "23rd": s, n, r or t, then t, d, h (or a NUL byte, as strchr had
	 * it), in any case. */
	if (j + 1 < text.len) {
		unsigned char c0 = c | 0x20, c1 = p[j + 1] | 0x20;

		if ((c0 == 's' || c0 == 'n' || c0 == 'r' || c0 == 't') &&
		    (c1 == 't' || c1 == 'd' || c1 == 'h' || !p[j + 1]))
			m |= RECOG_T_ORD;
	}
	return m;
}

/* Byte classes for the tokenizer, in struct recog's cls (ASCII only). */
enum { C_ALPHA = 1, C_DIGIT = 2, C_SYM = 4, C_DOT = 8 };

static void
byte_classes(unsigned char cls[256])
{
	for (int c = 0; c < 256; c++)
		cls[c] = (unsigned char)((c >= 'a' && c <= 'z') ||
		            (c >= 'A' && c <= 'Z')
		        ? C_ALPHA
		        : c >= '0' && c <= '9'              ? C_DIGIT
		        : c >= 0x80 || c == '$' || c == '%' ? C_SYM
		        : c == '.'                          ? C_DOT
		                                            : 0);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define RECOG_SWAR 1
#define BYTES(b) ((uint64_t)0x0101010101010101u * (b))

/* Bit 7 of each byte of x that is an ASCII letter (no carry crosses a
 * byte: each sum stays below 0x100). */
static inline uint64_t
letter_bits(uint64_t x)
{
	uint64_t l = (x | BYTES(0x20)) & BYTES(0x7f);

	return (l + BYTES(0x80 - 'a')) & ~(l + BYTES(0x80 - 'z' - 1)) & ~x &
	    BYTES(0x80);
}
#endif

/*
 * The end of the word of letters starting at p[i], and its
 * recog_word_hash into *hp. Eight bytes at a time where the text has
 * them (on little-endian machines, where byte k of a load is at bits 8k),
 * byte by byte near its end.
 */
static inline size_t
scan_word(uint64_t *hp, const unsigned char *p, size_t i, size_t len,
    const unsigned char *cls)
{
	uint64_t h = RECOG_HASH0, c = 0;
	size_t j = i, k = 0;

#ifdef RECOG_SWAR
	while (j + 8 <= len) {
		uint64_t x, stop;
		unsigned m;

		memcpy(&x, p + j, 8);
		stop = ~letter_bits(x) & BYTES(0x80);
		if (!stop) {
			h = recog_hash_chunk(h, x | BYTES(0x20));
			j += 8;
			continue;
		}
		m = (unsigned)__builtin_ctzll(stop) / 8;
		if (m)
			h = recog_hash_chunk(h,
			    (x | BYTES(0x20)) & (((uint64_t)1 << (8 * m)) - 1));
		*hp = recog_hash_end(h, j + m - i);
		return j + m;
	}
#endif
	while (j < len && cls[p[j]] == C_ALPHA) {
		c |= (uint64_t)(p[j] | 0x20) << (8 * k);
		j++;
		if (++k == 8) {
			h = recog_hash_chunk(h, c);
			c = 0;
			k = 0;
		}
	}
	if (k)
		h = recog_hash_chunk(h, c);
	*hp = recog_hash_end(h, j - i);
	return j;
}

/*
 * The word table as the tokenizer reads it, in locals: the tokens it
 * writes are 64-bit words the compiler must otherwise assume may be the
 * table's fields, and reload them at every word.
 */
struct wview {
	const uint8_t *tag;
	const struct recog_word *w;
	size_t mask; /* slots - 1 */
};

/* Token masks of the word text[i, i + n) whose hash is h. */
static inline void
word_token(uint64_t *mask, uint64_t *core, const struct recog *r,
    const struct wview *v, struct span text, size_t i, size_t n, uint64_t h)
{
	const struct recog_word *w =
	    recog_word_probe(v->tag, v->w, v->mask, text.p + i, n, h);

	*mask = *core = 0;
	if (!w)
		return;
	*core = w->core;
	if (w->core_if)
		*core |= recog_word_ends(r, w, text, i + n);
	/* Only a whole alias starts a list's match. Most words that begin a
	 * longer alias ("the" of "the last") are followed by a space and a
	 * letter or digit no longer alias goes on with: recog_word_starts'
	 * first test, here without its call. */
	if (w->need && i + n + 1 < text.len && text.p[i + n] == ' ') {
		unsigned char c0 = (unsigned char)text.p[i + n + 1],
		              c = c0 | 0x20;

		/* (or a digit: "in 2016"; c is c0 then) */
		if (((c >= 'a' && c <= 'z') || (c0 >= '0' && c0 <= '9')) &&
		    !(w->after[c >> 6] & ((uint64_t)1 << (c & 63)))) {
			*mask = w->full;
			return;
		}
		/* and the letter after that ("the ma" begins no alias,
		 * though "the m" does) */
		if (c >= 'a' && c <= 'z' && i + n + 2 < text.len &&
		    !(w->any2 & ((uint32_t)1 << (c - 'a')))) {
			unsigned char c2 =
			    (unsigned char)text.p[i + n + 2] | 0x20;

			if (c2 >= 'a' && c2 <= 'z' &&
			    !(r->pair2[w->after2][c - 'a'] &
			        ((uint32_t)1 << (c2 - 'a')))) {
				*mask = w->full;
				return;
			}
		}
	}
	*mask = w->need ? recog_word_starts(r, w, text, i) : w->full;
}

static struct token *
tokenize(size_t *ntok, const struct recog *r, struct span text, struct arena *a)
{
	struct tokv tv = { NULL, 0, text.len / 16 + 16, a };
	const unsigned char *cls = r->cls;
	const unsigned char *p = (const unsigned char *)text.p;
	size_t i = 0, len = text.len;
	size_t digits_end = (size_t)-1; /* where the last run of digits ends */
	uint32_t words = 0;
	/* some pattern may start at any word: every word is a token */
	int all = r->all_words;
	/* (a table without slots is read as one free slot) */
	static const uint8_t no_tag[1];
	const struct wview v = { r->nwords ? r->wtag : no_tag, r->words,
		r->nwords ? r->nwords - 1 : 0 };
	const uint64_t tok_mask = r->tok_mask, tok_core = r->tok_core;

	/* token_add writes every field */
	tv.v = NEW_UNINIT(a, struct token, tv.cap);
	if (!tv.v)
		return NULL;
	while (i < len) {
		unsigned char c = p[i], k = cls[c];
		size_t j = i + 1;

		if (k == C_ALPHA) {
			uint64_t mask, core, h;
			/* Letters glued to digits ("23rd", "5bn") are part of
			 * the number's word, for the windows (which the digits
			 * counted: words > 0). */
			int glued = i == digits_end;

			j = scan_word(&h, p, i, len, cls);
			word_token(&mask, &core, r, &v, text, i, j - i, h);
			/* a word no gate looks at is only counted */
			if (((mask & tok_mask) | (core & tok_core) |
			        (uint64_t)all) &&
			    token_add(&tv, i, words - (uint32_t)glued, mask,
			        core) != 0)
				return NULL;
			words += !glued;
			/* The one space after a word, without a turn of the
			 * loop (a longer run is skipped below). */
			if (j < len && p[j] == ' ')
				j++;
		} else if (k == C_DIGIT ||
		    (k == C_DOT && j < len && cls[p[j]] == C_DIGIT &&
		        (i == 0 || cls[p[i - 1]] != C_DIGIT))) {
			/* ".125 dlrs": the number starts at the point. */
			while (j < len && cls[p[j]] == C_DIGIT)
				j++;
			digits_end = j;
			/* "1,750" and "2.5": the digits after the mark go on. */
			if (c == '.' || i < 2 ||
			    (p[i - 1] != ',' && p[i - 1] != '.') ||
			    cls[p[i - 2]] != C_DIGIT) {
				uint64_t m =
				    RECOG_T_DIGIT | digit_class(text, i, j);

				if (token_add(&tv, i, words, m, m) != 0)
					return NULL;
			}
			words++;
		} else if (k == C_SYM) {
			/* '%' is a #symbol too, and alone a #percent */
			uint64_t m = c == '%' ? RECOG_T_SYMBOL | RECOG_T_PERCENT
			                      : RECOG_T_SYMBOL;

			while (j < len && (p[j] & 0xC0) == 0x80)
				j++;
			if (token_add(&tv, i, words, m, m) != 0)
				return NULL;
		} else {
			/* Spaces and punctuation: skip the run. */
			while (j < len && !(cls[p[j]] & ~C_DOT) &&
			    !(p[j] == '.' && j + 1 < len &&
			        cls[p[j + 1]] == C_DIGIT))
				j++;
		}
		i = j;
	}
	*ntok = tv.n;
	return tv.v;
}

/* Try pattern p, anchored, at token t; 1 when it matched. */
static int
try_at(struct candv *cv, const struct recog *r, const struct recog_pattern *p,
    pcre2_match_data *md, struct span text, size_t pos, size_t *next,
    size_t *limit_at, const struct recog_pattern **limit_pat)
{
	int rc;
	PCRE2_SIZE *ov;

	recog_jit(r, p);
	rc = pcre2_jit_match(p->code, (PCRE2_SPTR)text.p, text.len, pos, 0, md,
	    r->mctx);
	if (rc == PCRE2_ERROR_JIT_BADOPTION)
		rc = pcre2_match(p->code, (PCRE2_SPTR)text.p, text.len, pos, 0,
		    md, r->mctx);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		/* Skip this start; the rest of the text still counts. */
		if (*limit_at == (size_t)-1) {
			*limit_at = pos;
			*limit_pat = p;
		}
		return 0;
	}
	if (rc < 0)
		return 0;
	ov = p->ov;
	if (ov[1] <= ov[0])
		return 0;
	if (take_match(cv, r, p, (uint32_t)rc, text) != 0)
		return -1;
	*next = ov[1];
	return 1;
}

/*
 * A gate's then= at a number (a #digit token at pos): the number goes on
 * ("1,750", "2.5", "5/8"), or after spaces and hyphens, or glued ("5bn"),
 * comes a digit, '$', a non-ASCII character or a word that begins an
 * alias of one of the lists in set. Loose, as a gate must be: the word
 * may begin an alias that the text does not go on with.
 */
static int
then_ok(const struct recog *r, struct span text, size_t pos, uint64_t set)
{
	const unsigned char *p = (const unsigned char *)text.p;
	size_t j = pos, n = text.len, e;
	const struct recog_word *w;

	if (j < n && p[j] == '.')
		j++;
	while (j < n && is_digit(p[j]))
		j++;
	if (j + 1 < n && (p[j] == ',' || p[j] == '.' || p[j] == '/') &&
	    is_digit(p[j + 1]))
		return 1;
	while (j < n &&
	    (p[j] == '-' || p[j] == ' ' || (p[j] >= '\t' && p[j] <= '\r')))
		j++;
	if (j >= n)
		return 0;
	if (is_digit(p[j]) || p[j] == '$' || p[j] >= 0x80)
		return 1;
	if (r->cls[p[j]] != C_ALPHA)
		return 0;
	e = j;
	while (e < n && r->cls[p[e]] == C_ALPHA)
		e++;
	/* no alias begins with a longer word: the table does not know it */
	if (e - j >= sizeof(((struct recog_word *)0)->key))
		return 1;
	w = recog_word_get(r, text.p + j, e - j);
	return w && (w->mask & set);
}

/*
 * A gate's prev= at the token at pos: the word right before it (across
 * white space) begins an alias of one of the lists in set.
 */
static int
prev_ok(const struct recog *r, struct span text, size_t pos, uint64_t set)
{
	const unsigned char *p = (const unsigned char *)text.p;
	size_t j = pos, b;
	const struct recog_word *w;

	while (j > 0 &&
	    (p[j - 1] == ' ' || (p[j - 1] >= '\t' && p[j - 1] <= '\r')))
		j--;
	b = j;
	while (b > 0 && r->cls[p[b - 1]] == C_ALPHA)
		b--;
	if (b == j)
		return 0;
	if (j - b >= sizeof(((struct recog_word *)0)->key))
		return 1;
	w = recog_word_get(r, text.p + b, j - b);
	return w && (w->mask & set);
}

/*
 * Try each pattern, anchored, at the tokens that may start it and have a
 * core token close behind: most of a text is never looked at by most
 * patterns. Token by token, the patterns come from the start classes of
 * the token (r->by_class), so a plain word costs nothing.
 */
static int
run_patterns(struct candv *cv, const struct recog *r, struct span text,
    const struct token *tok, size_t ntok, size_t *limit_at,
    const struct recog_pattern **limit_pat, struct arena *a)
{
	size_t *next = NEW(a, size_t, r->npats + 1);
	uint64_t *ah[4];

	if (!next || token_aheads(ah, tok, ntok, a) != 0)
		return -1;
	for (size_t i = 0; i < ntok; i++) {
		/* only the classes that open a gate: a word begins many
		 * lists no pattern starts with */
		uint64_t m = tok[i].mask & r->opens;
		uint64_t pats = r->any_start;

		while (m) {
			int b = __builtin_ctzll(m);
			const uint64_t *cc = r->class_core[b];

			/* a gate needs a core near: where none of the class's
			 * gates finds one, none is looked at */
			if (((r->class_any >> b) & 1) || (ah[0][i] & cc[0]) ||
			    (ah[1][i] & cc[1]) || (ah[2][i] & cc[2]) ||
			    (ah[3][i] & cc[3]))
				pats |= r->by_class[b];
			m &= m - 1;
		}

		while (pats) {
			const struct recog_gate_ref *g =
			    &r->gates[__builtin_ctzll(pats)];
			size_t k = g->pat;
			const struct recog_pattern *p = &r->pats[k];

			pats &= pats - 1;
			if (tok[i].pos < next[k] ||
			    !core_near(ah, i, g->g.near, g->g.core) ||
			    !core_near(ah, i, g->g.near2, g->g.core2) ||
			    (g->g.then && (tok[i].mask & RECOG_T_DIGIT) &&
			        !then_ok(r, text, tok[i].pos, g->g.then)) ||
			    (g->g.prev &&
			        !prev_ok(r, text, tok[i].pos, g->g.prev)))
				continue;
			/* Tried here once, whichever gate let it in. */
			next[k] = tok[i].pos + 1;
			if (try_at(cv, r, p, p->md, text, tok[i].pos, &next[k],
			        limit_at, limit_pat) < 0)
				return -1;
		}
	}
	return 0;
}

static int
cand_cmp_score(const struct cand *a, const struct cand *b)
{
	size_t la = a->o.e.end - a->o.e.start, lb = b->o.e.end - b->o.e.start;

	if (a->block != b->block)
		return a->block ? -1 : 1;
	if (la != lb)
		return la > lb ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio > b->prio ? -1 : 1;
	if (a->o.e.start != b->o.e.start)
		return a->o.e.start < b->o.e.start ? -1 : 1;
	return 0;
}

/* Equal scores keep the order of finding (v[] is in that order). */
static int
cand_cmp_stable(const void *x, const void *y)
{
	const struct cand *a = *(const struct cand *const *)x;
	const struct cand *b = *(const struct cand *const *)y;
	int c = cand_cmp_score(a, b);

	return c ? c : a < b ? -1 : a > b;
}

/*
 * Keep the best of overlapping candidates: blockers, then the longer, then
 * the higher priority, then the earlier; equal ones in the order found.
 * kept[] stays sorted by start so each test is a search. order[] (n slots)
 * is scratch for the candidates by score: most texts have a few dozen,
 * sorted by insertion without qsort's calls.
 */
static size_t
select_cands(struct cand *v, size_t n, struct cand **kept, struct cand **order)
{
	size_t nk = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (n <= 32 && j > 0 &&
		    cand_cmp_score(order[j - 1], &v[i]) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = &v[i];
	}
	if (n > 32)
		qsort(order, n, sizeof(*order), cand_cmp_stable);
	for (size_t i = 0; i < n; i++) {
		const struct cand *c = order[i];
		size_t lo = 0, hi = nk;
		int clash = 0;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (kept[mid]->o.e.start < c->o.e.start)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0 && kept[lo - 1]->o.e.end > c->o.e.start)
			clash = 1;
		if (lo < nk && kept[lo]->o.e.start < c->o.e.end)
			clash = 1;
		if (clash)
			continue;
		memmove(&kept[lo + 1], &kept[lo], (nk - lo) * sizeof(*kept));
		kept[lo] = order[i];
		nk++;
	}
	return nk;
}

/* Does a sentence end between a and b? ". X", "? ", "! ", a line break. */
static int
sentence_break(struct span text, size_t a, size_t b)
{
	for (size_t i = a; i < b && i < text.len; i++) {
		char c = text.p[i];

		if (c == '\n')
			return 1;
		if ((c == '.' || c == '?' || c == '!' || c == ';') &&
		    i + 2 < text.len && text.p[i + 1] == ' ' &&
		    (isupper((unsigned char)text.p[i + 2]) ||
		        text.p[i + 2] == '"'))
			return 1;
	}
	return 0;
}

/* Only spaces (and "the") between a date shift and its anchor. */
static int
gap_ok(struct span text, size_t a, size_t b)
{
	size_t i = a;

	while (i < b && isspace((unsigned char)text.p[i]))
		i++;
	if (i + 3 < b && strncasecmp(text.p + i, "the", 3) == 0)
		i += 3;
	while (i < b && isspace((unsigned char)text.p[i]))
		i++;
	return i == b;
}

/* A non-generic dollar ("Canadian dlrs", "HK$") names the sentence's. */
static int
names_dollar(struct span text, const struct entity *e)
{
	char key[128];
	size_t n = recog_norm(key, sizeof(key), text.p + e->start,
	    MIN(e->end - e->start, sizeof(key) - 1), 0);

	return memchr(key, '$', n) || strstr(key, "dlr") ||
	    strstr(key, "dollar");
}

/* What a date entity is, for merge_weekdays. */
enum { WK_OTHER, WK_WEEKDAY, WK_SHIFT };

static int
date_kind(const struct recog_match *m, struct span text)
{
	struct span g;

	if (m->pat->wk_name == 1)
		return WK_SHIFT;
	if (m->pat->wk_name == 2 && !recog_group(&g, m, text, G_MOD) &&
	    !recog_group(&g, m, text, G_WMOD))
		return WK_WEEKDAY;
	return WK_OTHER;
}

/*
 * "Monday two weeks from now", "Thursday, two years from now", "in 3 days
 * on Friday": a bare weekday next to a shifted day is that weekday in the
 * shifted day's week, one entity. Returns the new count.
 */
static size_t
merge_weekdays(struct entity *v, size_t n, const unsigned char *kinds,
    const struct recog *r, struct span text)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		struct entity *a = &v[i], *b = i + 1 < n ? &v[i + 1] : NULL;
		struct span gap;
		const struct entity *wde, *day;
		const char *wv;
		char val[11];

		v[k] = *a;
		k++;
		if (!b || a->type != ENT_DATE || b->type != ENT_DATE ||
		    b->start < a->end)
			continue;
		gap = (struct span){ text.p + a->end, b->start - a->end };
		if (kinds[i] == WK_WEEKDAY && kinds[i + 1] == WK_SHIFT &&
		    (span_ieq(gap, SPAN(" ")) || span_ieq(gap, SPAN(", ")))) {
			wde = a;
			day = b;
		} else if (kinds[i] == WK_SHIFT && kinds[i + 1] == WK_WEEKDAY &&
		    span_ieq(gap, SPAN(" on "))) {
			wde = b;
			day = a;
		} else
			continue;
		wv = recog_lookup(r, L_WEEKDAY, text.p + wde->start,
		    wde->end - wde->start);
		if (!wv ||
		    recog_date_in_week(val, day->date.value,
		        (int)strtol(wv, NULL, 10)) != 0)
			continue;
		v[k - 1].end = b->end;
		memcpy(v[k - 1].date.value, val, sizeof(val));
		i++;
	}
	return k;
}

int
recog_scan(struct entity_list *out, const struct recog *r, struct span text,
    const char *published, struct arena *a, struct buf *err)
{
	struct candv cv = { NULL, 0, 0, a, NULL, 0 };
	struct cand **kept = NULL;
	struct token *tok;
	size_t ntok = 0;
	struct recog_dctx dc;
	size_t limit_at = (size_t)-1, nk = 0, k = 0, prev_end = 0;
	const struct recog_pattern *limit_pat = NULL;
	char dollar[4] = "";
	unsigned char *kinds = NULL;
	int rc = DW_OK;

	out->v = NULL;
	out->n = 0;
	memset(&dc, 0, sizeof(dc));
	dc.md = r->cue_md;
	if (published &&
	    date_parse_ymd(published, &dc.py, &dc.pm, &dc.pd) != DW_OK)
		dc.py = 0;
	tok = tokenize(&ntok, r, text, a);
	if (!tok) {
		buf_setf(err, "article needs more memory than its limit");
		rc = DW_ETOOBIG;
		goto out;
	}
	if (r->future && r->future->start != RECOG_T_ANY) {
		size_t *at = NEW_UNINIT(a, size_t, ntok + 1);

		if (!at) {
			buf_setf(err,
			    "article needs more memory than its limit");
			rc = DW_ETOOBIG;
			goto out;
		}
		for (size_t i = 0; i < ntok; i++)
			if (tok[i].mask & r->future->start)
				at[dc.ncue++] = tok[i].pos;
		dc.cue_at = at;
	}
	if (run_patterns(&cv, r, text, tok, ntok, &limit_at, &limit_pat, a) !=
	    0) {
		buf_setf(err, "article needs more memory than its limit");
		rc = DW_ETOOBIG;
		goto out;
	}
	if (cv.n) {
		/* written before read: not zeroed */
		struct cand **order = NEW_UNINIT(a, struct cand *, cv.n);

		kept = NEW_UNINIT(a, struct cand *, cv.n);
		out->v = NEW_UNINIT(a, struct entity, cv.n);
		if (!order || !kept || !out->v) {
			buf_setf(err,
			    "article needs more memory than its limit");
			rc = DW_ETOOBIG;
			goto out;
		}
		nk = select_cands(cv.v, cv.n, kept, order);
	}
	if (nk && !(kinds = NEW(a, unsigned char, nk))) {
		buf_setf(err, "article needs more memory than its limit");
		rc = DW_ETOOBIG;
		goto out;
	}
	for (size_t i = 0; i < nk; i++) {
		struct cand *c = kept[i];
		struct entity *e = &c->o.e;

		if (c->block)
			continue;
		/* Only a named dollar needs to know where its sentence ends. */
		if (dollar[0] && sentence_break(text, prev_end, e->start))
			dollar[0] = '\0';
		prev_end = e->end;
		if (c->m && recog_date_anchored(c->m, text)) {
			/* "3 days after January 12th": shift the next date. */
			struct recog_out d[2], x[2];
			struct cand *n = i + 1 < nk ? kept[i + 1] : NULL;

			if (!n || !n->m ||
			    !gap_ok(text, e->end, n->o.e.start) ||
			    recog_date(x, r, n->m, text, &dc) < 1)
				continue;
			i++;
			prev_end = n->o.e.end;
			dc.ay = dc.ly;
			dc.am = dc.lm;
			dc.ad = dc.ld;
			dc.aprec = dc.lprec;
			if (recog_date(d, r, c->m, text, &dc) < 1) {
				out->v[k++] = x[0].e;
				continue;
			}
			d[0].e.end = x[0].e.end;
			kinds[k] = WK_SHIFT;
			out->v[k++] = d[0].e;
			continue;
		}
		if (c->m) {
			struct recog_out d[2];

			/* recog_date fills d[0] whole when it returns 1 */
			if (recog_date(d, r, c->m, text, &dc) < 1)
				continue;
			kinds[k] = date_kind(c->m, text);
			out->v[k++] = d[0].e;
			continue;
		}
		if (e->type == ENT_MONEY) {
			if (c->o.generic && dollar[0])
				memcpy(e->money.currency, dollar, 4);
			else if (!c->o.generic && names_dollar(text, e))
				memcpy(dollar, e->money.currency, 4);
		}
		out->v[k++] = *e;
	}
	out->n = merge_weekdays(out->v, k, kinds, r, text);
	if (limit_at != (size_t)-1) {
		buf_setf(err,
		    "pattern '%s' hit the PCRE2 match limit at byte %zu; "
		    "skipped that spot",
		    limit_pat ? limit_pat->name : "?", limit_at);
		rc = DW_ETOOBIG;
	}
out:
	return rc;
}
