/*
 * text.c: tokens and sentences. The splitter ends a sentence at a line
 * break, or at '.', '!' or '?' (and any closing quotes) before a capital,
 * a digit or an opening quote, except after an abbreviation such as
 * "Inc." or "U.S." that the next word does not show to be an ending.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <utf8proc.h>

#include "extract/internal.h"

/* Byte classes, as a table (the tokenizer asks about every byte): 1 an
 * ASCII letter or digit, 2 white space, 4 a joiner inside a word ('.',
 * '&', '-', ',', '\'', '_'), 8 a stop or closer after which a sentence
 * may start ('.', '!', '?', '"', '\'', ')'). */
enum { C_ALNUM = 1, C_SPACE = 2, C_JOIN = 4, C_CUT = 8 };

static const unsigned char byte_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 2, 8, 8, 0, 0, 0, 4, 12, 0, 8, 0, 0, 4, 4, 12,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 8, 0, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0,
	4, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 0, 0, 0, 0, 0,
	/* 0x80 and up: 0 */
};

static inline int
is_alnum(unsigned char c)
{
	return byte_class[c] & C_ALNUM;
}

static inline int
is_space(unsigned char c)
{
	return byte_class[c] & C_SPACE;
}

/*
 * A window of 64 bytes of the text, from at, as bits: bit k is set when
 * p[at + k] is an ASCII letter or digit (none past n), so that a token's
 * letters cost one bit search instead of a test each. Near the end of the
 * text the window is its last 64 bytes (win_at). With SSE2, 16 bytes a
 * test.
 */
static inline size_t
win_at(size_t at, size_t n)
{
#ifdef __SSE2__
	if (at + 64 > n && n >= 64 && at < n)
		return n - 64;
#endif
	return at;
}

static uint64_t
win_bits(const unsigned char *p, size_t n, size_t at)
{
	uint64_t m = 0;
	size_t k = 0;

#ifdef __SSE2__
	if (at + 64 <= n) {
		const __m128i a = _mm_set1_epi8('a'), z = _mm_set1_epi8(25);
		const __m128i zero = _mm_set1_epi8('0'),
		              nine = _mm_set1_epi8(9);
		const __m128i up = _mm_set1_epi8(0x20);

		for (; k < 64; k += 16) {
			__m128i v = _mm_loadu_si128(
			    (const __m128i *)(const void *)(p + at + k));
			/* bytes over 0x7f land far above 25 and 9 */
			__m128i l = _mm_sub_epi8(_mm_or_si128(v, up), a);
			__m128i d = _mm_sub_epi8(v, zero);
			__m128i yes =
			    _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(l, z), l),
			        _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d));

			m |= (uint64_t)(unsigned)_mm_movemask_epi8(yes) << k;
		}
		return m;
	}
#endif
	for (; k < 64 && at + k < n; k++)
		if (is_alnum(p[at + k]))
			m |= (uint64_t)1 << k;
	return m;
}

/* Length of a UTF-8 punctuation character at p that is no letter: quotes,
 * dashes, ellipsis, no-break space (as space: returns negative). */
static int
utf8_punct(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return -2; /* no-break space */
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80) {
		if (p[2] >= 0x80 && p[2] <= 0x8b)
			return -3; /* en quad .. zero-width space */
		if ((p[2] >= 0x90 && p[2] <= 0x9f) || p[2] == 0xa6 ||
		    p[2] == 0xa2)
			return 3; /* dashes, quotes, bullet, ellipsis */
	}
	return 0;
}

static int
is_apostrophe(const unsigned char *p, size_t n, size_t *len)
{
	if (n >= 1 && p[0] == '\'') {
		*len = 1;
		return 1;
	}
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99) {
		*len = 3;
		return 1;
	}
	return 0;
}

/* The end of the word or number whose first byte is p[s] (a letter, a
 * digit or a non-ASCII byte that is no punctuation). */
static size_t
word_end(const unsigned char *p, size_t s, size_t n, int kind)
{
	size_t i = s;

	while (i < n) {
		while (i < n && is_alnum(p[i]))
			i++;
		if (i >= n)
			break;
		if (p[i] >= 0x80) {
			if (utf8_punct(p + i, n - i) != 0)
				break;
			i++;
			continue;
		}
		/* Joiners inside a word: Amazon.com, AT&T, multi-year,
		 * 1,500, 1.5; not "'s". */
		if ((byte_class[p[i]] & C_JOIN) && i + 1 < n &&
		    is_alnum(p[i + 1])) {
			if (p[i] == ',' &&
			    !(kind == TK_NUM && p[i + 1] >= '0' &&
			        p[i + 1] <= '9'))
				break;
			if (p[i] == '\'' &&
			    (p[i + 1] == 's' || p[i + 1] == 'S') &&
			    (i + 2 >= n || !is_alnum(p[i + 2])))
				break;
			i++;
			continue;
		}
		break;
	}
	/* a curly apostrophe inside a word: "it’ll" */
	while (i + 3 < n && p[i] == 0xe2 && p[i + 1] == 0x80 &&
	    p[i + 2] == 0x99 && is_alnum(p[i + 3]) &&
	    !((p[i + 3] == 's' || p[i + 3] == 'S') &&
	        (i + 4 >= n || !is_alnum(p[i + 4])))) {
		i += 3;
		while (i < n && is_alnum(p[i]))
			i++;
	}
	return i;
}

/* Note token k as one a sentence may start at (tok_list.cut), once. */
static int
cut_add(struct tok_list *l, size_t *cap, size_t k, struct arena *a)
{
	if (l->ncut && l->cut[l->ncut - 1] == k)
		return DW_OK;
	if (l->ncut == *cap) {
		uint32_t *nc = NEW_UNINIT(a, uint32_t, *cap * 2);

		if (!nc)
			return DW_ETOOBIG;
		memcpy(nc, l->cut, l->ncut * sizeof(*nc));
		l->cut = nc;
		*cap *= 2;
	}
	l->cut[l->ncut++] = (uint32_t)k;
	return DW_OK;
}

int
text_tokens(struct tok_list *out, struct span text, struct arena *a)
{
	const unsigned char *p = (const unsigned char *)text.p;
	/* about a token in five bytes of prose: room for most at once */
	size_t n = text.len, i = 0, cap = n / 5 + 16, k = 0;
	struct tok *v;
	size_t base = win_at(0, n); /* the window of letters and digits */
	size_t capcut = n / 64 + 8;
	uint64_t bits;
	int nl = 1;

	out->v = NULL;
	out->n = 0;
	out->ncut = 0;
	if (n > UINT32_MAX)
		return DW_ETOOBIG;
	/* every token is written before it is read: not zeroed */
	v = NEW_UNINIT(a, struct tok, cap);
	out->cut = NEW_UNINIT(a, uint32_t, capcut);
	if (!v || !out->cut)
		return DW_ETOOBIG;
	bits = win_bits(p, n, base);
	while (i < n) {
		size_t s = i, alen = 0;
		unsigned char c = p[i];
		int kind;

		if (is_alnum(c)) {
			/* The start of most tokens first, and its letters and
			 * digits here, from the window's bits; a word that
			 * goes on past them (a joiner before a letter or a
			 * digit, a non-ASCII byte) is word_end's. */
			kind = c <= '9' ? TK_NUM : TK_WORD;
			for (i++;;) {
				uint64_t stop;

				if (i - base >= 64) {
					base = win_at(i, n);
					bits = win_bits(p, n, base);
				}
				/* the bits shifted in are no stops */
				stop = ~bits >> (i - base);
				if (stop) {
					i += (size_t)__builtin_ctzll(stop);
					break;
				}
				/* letters or digits to the window's end */
				i = base + 64;
				if (i >= n) {
					i = n;
					break;
				}
			}
			/* (a space after it, most often, ends it at once) */
			if (i < n && p[i] != ' ' &&
			    (p[i] >= 0x80 ||
			        ((byte_class[p[i]] & C_JOIN) && i + 1 < n &&
			            is_alnum(p[i + 1]))))
				i = word_end(p, i, n, kind);
		} else if (is_space(c)) {
			/* the next token (k) starts a line */
			if (c == '\n') {
				nl = 1;
				if (k && cut_add(out, &capcut, k, a) != DW_OK)
					return DW_ETOOBIG;
			}
			i++;
			continue;
		} else if (c == '\'' || c >= 0x80) {
			/* only 0xc2 and 0xe2 begin what utf8_punct() knows,
			 * and only '\'' and 0xe2 an apostrophe */
			int u = c == 0xc2 || c == 0xe2
			    ? utf8_punct(p + i, n - i)
			    : 0;

			if (u < 0) {
				i += (size_t)-u;
				continue;
			}
			if ((c == '\'' || c == 0xe2) &&
			    is_apostrophe(p + i, n - i, &alen) &&
			    i + alen < n &&
			    (p[i + alen] == 's' || p[i + alen] == 'S') &&
			    (i + alen + 1 >= n || !is_alnum(p[i + alen + 1])) &&
			    k > 0 && v[k - 1].end == i &&
			    v[k - 1].kind != TK_PUNCT) {
				i += alen + 1;
				kind = TK_POSS;
			} else if (u > 0) {
				/* after '…', '”' or '’' a sentence may start */
				if (p[i + 2] == 0xa6 || p[i + 2] == 0x9d ||
				    p[i + 2] == 0x99) {
					if (cut_add(out, &capcut, k + 1, a) !=
					    DW_OK)
						return DW_ETOOBIG;
				}
				i += (size_t)u;
				kind = TK_PUNCT;
			} else if (c >= 0x80) {
				kind = TK_WORD;
				i = word_end(p, i, n, kind);
			} else {
				/* '\'', a closer */
				if (cut_add(out, &capcut, k + 1, a) != DW_OK)
					return DW_ETOOBIG;
				i++;
				kind = TK_PUNCT;
			}
		} else {
			/* a single byte of punctuation */
			if ((byte_class[c] & C_CUT) &&
			    cut_add(out, &capcut, k + 1, a) != DW_OK)
				return DW_ETOOBIG;
			i++;
			kind = TK_PUNCT;
		}
		if (k == cap) {
			struct tok *nv = NEW_UNINIT(a, struct tok, cap * 2);

			if (!nv)
				return DW_ETOOBIG;
			memcpy(nv, v, k * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[k].start = (uint32_t)s;
		v[k].end = (uint32_t)i;
		v[k].kind = (unsigned char)kind;
		v[k].nl_before = (unsigned char)nl;
		nl = 0;
		k++;
		/* the one space after most tokens, without a turn */
		if (i < n && p[i] == ' ')
			i++;
	}
	out->v = v;
	out->n = k;
	return DW_OK;
}

/* Abbreviations that a full stop follows without ending a sentence
 * (sorted by bytes: word_in searches it). */
static const char *const abbrevs[] = {
	"Aug",
	"Ave",
	"Bros",
	"Co",
	"Col",
	"Corp",
	"Dec",
	"Dept",
	"Dr",
	"Feb",
	"Ft",
	"Gen",
	"Gov",
	"Inc",
	"Jan",
	"Jr",
	"Lt",
	"Ltd",
	"Mio",
	"Mr",
	"Mrd",
	"Mrs",
	"Ms",
	"Mt",
	"No",
	"Nos",
	"Nov",
	"Oct",
	"Prof",
	"Rep",
	"Rev",
	"Sen",
	"Sept",
	"Sr",
	"St",
	"approx",
	"cf",
	"e.g",
	"est",
	"etc",
	"i.e",
	"vs",
};

/* Words that show a new sentence began even after an abbreviation
 * (sorted by bytes). */
static const char *const starters[] = {
	"A",
	"According",
	"After",
	"Also",
	"An",
	"Analysts",
	"And",
	"Before",
	"Both",
	"But",
	"Earlier",
	"He",
	"However",
	"In",
	"It",
	"Its",
	"Last",
	"Meanwhile",
	"Neither",
	"On",
	"Separately",
	"Shares",
	"She",
	"That",
	"The",
	"These",
	"They",
	"This",
	"Those",
	"Under",
	"We",
};

/* Is the token one of list[0..n), sorted by bytes? */
static int
word_in(struct span text, const struct tok *t, const char *const *list,
    size_t n)
{
	const unsigned char *w = (const unsigned char *)text.p + t->start;
	size_t len = t->end - t->start, lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2, i = 0;
		const unsigned char *e = (const unsigned char *)list[mid];
		int c;

		while (i < len && e[i] && e[i] == w[i])
			i++;
		/* the first byte that differs; a prefix sorts first */
		c = i == len ? -(int)e[i] : !e[i] ? 1 : (int)w[i] - (int)e[i];
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int
is_abbrev(struct span text, const struct tok *t)
{
	const char *p = text.p + t->start;
	size_t n = t->end - t->start;

	if (t->kind != TK_WORD)
		return 0;
	/* a single capital ("J." in "J. P. Morgan"), or dotted capitals
	 * ("U.S", "U.K", "L.P") */
	if (n == 1 && p[0] >= 'A' && p[0] <= 'Z')
		return 1;
	if (n >= 3 && p[1] == '.') {
		for (size_t i = 0; i < n; i++)
			if (!((i % 2 == 0 &&
			          ((p[i] >= 'A' && p[i] <= 'Z') ||
			              (p[i] >= 'a' && p[i] <= 'z'))) ||
			        (i % 2 == 1 && p[i] == '.')))
				return 0;
		return 1;
	}
	/* (no abbreviation is longer than "approx": most words are) */
	return n <= 6 && word_in(text, t, abbrevs, countof(abbrevs));
}

static int
is_closer(struct span text, const struct tok *t)
{
	return tok_is(text, t, "\"") || tok_is(text, t, "'") ||
	    tok_is(text, t, ")") || tok_is(text, t, "\xe2\x80\x9d") ||
	    tok_is(text, t, "\xe2\x80\x99");
}

int
text_upper_utf8(const char *p, size_t n)
{
	utf8proc_int32_t cp;

	return utf8proc_iterate((const utf8proc_uint8_t *)p,
	           (utf8proc_ssize_t)MIN(n, 4), &cp) > 1 &&
	    utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

static int
opens_sentence(struct span text, const struct tok *t)
{
	if (t->kind == TK_NUM)
		return 1;
	if (tok_upper(text, t))
		return 1;
	return tok_is(text, t, "\"") || tok_is(text, t, "\xe2\x80\x9c") ||
	    tok_is(text, t, "(") || tok_is(text, t, "$") ||
	    tok_is(text, t, "'") || tok_is(text, t, "\xe2\x80\x98");
}

int
text_sentences(struct sentence_list *out, struct span text,
    const struct tok_list *toks, struct arena *a)
{
	/* the tokens in locals: the stores below into v might otherwise
	 * be the list's own fields, and the compiler reads them again */
	const struct tok *tv = toks->v;
	const uint32_t *cut = toks->cut;
	size_t nt = toks->n, cap = 16, k = 0, first = 0, para = 0;
	size_t ncut = toks->ncut, ci = 0;
	struct sentence *v = NEW(a, struct sentence, cap);

	out->v = NULL;
	out->n = 0;
	if (!v)
		return DW_ETOOBIG;
	for (size_t i = 0; i <= nt; i++) {
		size_t end;
		int brk = 0, newpara = 0;

		/* a sentence ends only at a line break or after punctuation:
		 * the tokens between, at once (where text_tokens() noted
		 * them, only the tokens after a line break or after a stop or
		 * closer, the only ones below that end a sentence) */
		if (i > first && cut) {
			while (ci < ncut && cut[ci] < i)
				ci++;
			i = ci < ncut && cut[ci] < nt ? cut[ci] : nt;
		} else if (i > first) {
			const struct tok *q = tv + i, *qe = tv + nt;

			while (
			    q < qe && !q->nl_before && q[-1].kind != TK_PUNCT)
				q++;
			i = (size_t)(q - tv);
		}
		end = i;
		if (i == nt) {
			brk = 1;
		} else if (i > first && tv[i].nl_before) {
			brk = 1;
			newpara = 1;
		} else if (i > first && tv[i - 1].kind == TK_PUNCT) {
			/* a stop and any closing quotes are punctuation: after
			 * a word no sentence ends */
			const struct tok *t = &tv[i];

			/* t is the first token after a stop (and closers)? */
			size_t j = i;

			while (j > first && is_closer(text, &tv[j - 1]) &&
			    j - 1 > first)
				j--;
			if (j > first &&
			    (tok_is(text, &tv[j - 1], ".") ||
			        tok_is(text, &tv[j - 1], "!") ||
			        tok_is(text, &tv[j - 1], "?") ||
			        tok_is(text, &tv[j - 1], "\xe2\x80\xa6")) &&
			    t->start > tv[i - 1].end &&
			    opens_sentence(text, t)) {
				brk = 1;
				if (tok_is(text, &tv[j - 1], ".") &&
				    j - 1 > first &&
				    tv[j - 2].end == tv[j - 1].start &&
				    is_abbrev(text, &tv[j - 2]) &&
				    !word_in(text, t, starters,
				        countof(starters)))
					brk = 0;
			}
		}
		if (!brk)
			continue;
		if (end > first) {
			if (k == cap) {
				struct sentence *nv =
				    NEW(a, struct sentence, cap * 2);

				if (!nv)
					return DW_ETOOBIG;
				memcpy(nv, v, k * sizeof(*v));
				v = nv;
				cap *= 2;
			}
			v[k].first = first;
			v[k].last = end;
			v[k].start = tv[first].start;
			v[k].end = tv[end - 1].end;
			v[k].para = para;
			k++;
		}
		if (newpara)
			para++;
		first = i;
	}
	out->v = v;
	out->n = k;
	return DW_OK;
}
