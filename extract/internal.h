/*
 * internal.h: the parts of extract/ and how extract.c composes them.
 * recog.c finds money, percentages and dates; parties.c finds companies;
 * deals.c turns entities and deal rules into deals.
 */
#ifndef DW_EXTRACT_INTERNAL_H
#define DW_EXTRACT_INTERNAL_H

#include "extract/extract.h"

/*
 * Recognizers: money, percentages, dates. Rules come from rule files (see
 * the README); a mistake is DW_ECONFIG with "path:line:col: message".
 */
struct recog;
int recog_open(struct recog **out, const struct rule_files *rf,
    struct buf *err);
void recog_free(struct recog *r);
/* Append ENT_MONEY, ENT_PERCENT and ENT_DATE entities, sorted by start,
 * non-overlapping, into out (allocated in a). */
int recog_scan(struct entity_list *out, const struct recog *r, struct span text,
    const char *published, struct arena *a, struct buf *err);

/*
 * Tokens and sentences (text.c). A token is a word ("Amazon.com",
 * "1,500", "multi-year"), the possessive "'s", or one punctuation mark
 * (a UTF-8 quote or dash counts as one).
 */
enum tok_kind {
	TK_WORD = 1, /* starts with a letter */
	TK_NUM,      /* starts with a digit */
	TK_POSS,     /* 's or ’s */
	TK_PUNCT,
};

struct tok {
	uint32_t start, end;     /* texts are far below 4 GiB */
	unsigned char kind;      /* TK_* */
	unsigned char nl_before; /* a line break separates it from the token
				  * before */
};

struct tok_list {
	struct tok *v; /* in the caller's arena */
	size_t n;
	/* the tokens a sentence may start at, ascending (text_tokens()
	 * notes them as it goes): those after a line break, and those
	 * after a '.', '!', '?', '…' or a closing quote or parenthesis;
	 * NULL: text_sentences() looks at every token */
	uint32_t *cut;
	size_t ncut;
};

/* A sentence: tokens [first, last) and bytes [start, end); paragraphs are
 * lines, numbered from 0. */
struct sentence {
	size_t first, last;
	size_t start, end;
	size_t para;
};

struct sentence_list {
	struct sentence *v;
	size_t n;
};

int text_tokens(struct tok_list *out, struct span text, struct arena *a);
int text_sentences(struct sentence_list *out, struct span text,
    const struct tok_list *toks, struct arena *a);
/* A token of n bytes cannot be word when word is a literal of another
 * length: compilers know that length where tok_is() and tok_ieq() are
 * inlined, and most tokens are told apart so at once. (For a word not
 * known when compiling, nothing: the loops below tell.) */
#define TOK_OTHER_LEN(n, word)                                                 \
	(__builtin_constant_p(__builtin_strlen(word)) &&                       \
	    (n) != __builtin_strlen(word))

/* Token helpers. tok_is is asked millions of times an article set, and
 * the first byte answers almost all of them. */
static inline int
tok_is(struct span text, const struct tok *t, const char *word)
{
	size_t n = t->end - t->start, i;

	if (TOK_OTHER_LEN(n, word) || text.p[t->start] != word[0])
		return 0;
	for (i = 1; i < n; i++)
		if (!word[i] || text.p[t->start + i] != word[i])
			return 0;
	return word[n] == 0;
}
/* ASCII case-insensitive; word is lower case. */
static inline int
tok_ieq(struct span text, const struct tok *t, const char *word)
{
	size_t n = t->end - t->start, i;

	if (TOK_OTHER_LEN(n, word))
		return 0;
	for (i = 0; i < n; i++) {
		char a = text.p[t->start + i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (!word[i] || a != word[i])
			return 0;
	}
	return word[n] == 0;
}
/* Does p (n bytes) start with an upper-case letter beyond ASCII ("Ø",
 * "É")? */
int text_upper_utf8(const char *p, size_t n);
static inline int
tok_capitalized(struct span text, const struct tok *t)
{
	unsigned char c = (unsigned char)text.p[t->start];

	return t->kind == TK_WORD && c >= 'A' && c <= 'Z';
}
/* The same, or a capital beyond ASCII ("Østersø"): where a name may
 * start or go on (most tests want only the ASCII ones, and are hot). */
static inline int
tok_upper(struct span text, const struct tok *t)
{
	unsigned char c = (unsigned char)text.p[t->start];

	return t->kind == TK_WORD &&
	    ((c >= 'A' && c <= 'Z') ||
	        (c >= 0xc3 &&
	            text_upper_utf8(text.p + t->start, t->end - t->start)));
}

/*
 * Parties: the entity list, descriptors ("the ChatGPT maker") and tickers.
 */
struct parties;
int parties_open(struct parties **out, const struct rule_files *rf,
    struct buf *err);
void parties_free(struct parties *p);
/* ENT_PARTY entities in text, sorted by start, into out (in a). */
int parties_scan(struct entity_list *out, const struct parties *p,
    struct span text, struct arena *a, struct buf *err);
/* The same over tokens the caller already has. */
int parties_scan_tokens(struct entity_list *out, const struct parties *p,
    struct span text, const struct tok_list *toks, struct arena *a,
    struct buf *err);
/* The sector bit of a sector name ("chips"), 0 when unknown. */
unsigned parties_sector_bit(const struct parties *p, const char *sector);
/* The sectors of a canonical name, 0 when unknown. */
unsigned parties_sectors(const struct parties *p, const char *name);
/* A descriptor that names a sector ("the chipmaker" = chips) starting at
 * token i: its sector bits and length in tokens, else 0. */
unsigned parties_sector_descriptor(const struct parties *p, struct span text,
    const struct tok_list *toks, size_t i, size_t *ntok);
/* The descriptors' bits (desc2_bit() of their first two tokens), NULL
 * when there are none: most "the" start no descriptor, and these tell
 * without a call (desc2_maybe_toks()). */
const uint64_t *parties_desc2_bits(const struct parties *p);
#define DESC2_BITS ((size_t)1 << 17) /* bits of those */

/* A desc2 key as "the" + [" "] + a word: the bit of the space, the
 * word's first two bytes (0 past its end; five bits of each, which tell
 * letters apart) and its length. */
static inline size_t
desc2_bit(int spaced, unsigned char c1, unsigned char c2, size_t len)
{
	return (size_t)spaced << 16 | (size_t)(c1 & 31) << 11 |
	    (size_t)(c2 & 31) << 6 | (len < 63 ? len : 63);
}

/* The same for tokens i ("the") and i + 1 of a text, as make_key() would
 * write them in lower case. */
static inline size_t
desc2_bit_toks(struct span text, const struct tok *t, size_t i)
{
	const unsigned char *w = (const unsigned char *)text.p + t[i + 1].start;
	size_t len = t[i + 1].end - t[i + 1].start;

	/* (five bits of a letter are the same in either case) */
	return desc2_bit(t[i + 1].start > t[i].end, len > 0 ? w[0] : 0,
	    len > 1 ? w[1] : 0, len);
}

/* May a descriptor start at token i, "the", of toks? 0 when
 * parties_sector_descriptor() would find none there (bits:
 * parties_desc2_bits()). */
static inline int
desc2_maybe_toks(const uint64_t *bits, struct span text,
    const struct tok_list *toks, size_t i)
{
	size_t b;

	if (!bits || i + 1 >= toks->n)
		return 0;
	b = desc2_bit_toks(text, toks->v, i);
	return (bits[b >> 6] >> (b & 63)) & 1;
}

/* Is name a product or brand ("ChatGPT", rules/products.txt), no company? */
int parties_is_product(const struct parties *p, struct span name);
/* The canonical name for a company name or alias, NULL when unknown. */
const char *parties_lookup(const struct parties *p, struct span name);

/*
 * Deal rules (dealrule.c compiles the deals*.rules files, deals.c applies them).
 */
#define RULE_VALUATION 100 /* a rule that finds a valuation, not a deal */
#define RULE_AMOUNT 101 /* one that finds the amount of a deal named before */
#define RULE_MAX_SLOTS 16

enum slot_kind {
	SK_PARTY = 1,
	SK_PARTIES,
	SK_MONEY,
	SK_PERCENT,
	SK_DATE,
	SK_CONTEXT, /* matches no text: the party the context gives */
};

/* Slot roles beyond ROLE_*: the amount, the valuation, the stake, the
 * date, and SR_SIDE, a party whose role the sectors decide. */
enum {
	SR_SIDE = 50,
	SR_AMOUNT,
	SR_VALUATION,
	SR_STAKE,
	SR_DATE,
};

struct rule_slot {
	int group; /* PCRE2 capture group */
	int kind;  /* SK_* */
	int role;  /* ROLE_* or SR_* */
};

struct dealrule {
	int type;   /* DEAL_*, RULE_VALUATION or RULE_AMOUNT */
	int status; /* ST_* when the words give no cue; ST_NONE: announced */
	void *re;   /* pcre2_code */
	struct rule_slot slots[RULE_MAX_SLOTS];
	size_t nslots;
	char *where; /* "path:line", for messages */
	/* What every match needs, so that the rule is tried only where it
	 * can match: a word of its trigger group in the sentence, a word of
	 * each of its need groups in the normalized sentence (groups of
	 * dealrules.words), and min[] placeholders of each kind. */
	int trig; /* -1: none, try it on every sentence */
	/* its pattern opens with a party slot: every match starts at a
	 * party placeholder */
	unsigned char party_first;
	uint32_t need[32];
	size_t nneed;
	unsigned char min[4]; /* PH_* */
	/* Words next to a placeholder ("{PARTY} and {PARTY}"): some
	 * placeholder of class cls ('P' party or name, 'M', 'C', 'D') with
	 * one of the words right after it (after = 1) or right before. */
	struct {
		char cls, after;
		/* lower case, each its length (a byte) and its bytes; a
		 * length 0 ends them */
		char words[254];
		/* a bit per length and first byte of the words (three bits
		 * of each: adj_bit()): most tokens have none of them */
		uint64_t bloom;
	} adj[4];
	size_t nadj;
	/* Two word elements one right after the other ("(value|values)
	 * (it|the company)"): a token of words a (the last words of the
	 * first's phrases, as adj[].words) with one of words b (the first
	 * words of the second's) right after it. */
	struct {
		char a[126], b[126];
		uint64_t abloom, bbloom;
	} ww[2];
	size_t nww;
	/* A word element, the short gap "..", then a party slot ("$BUY ..
	 * {PARTY}"): a token of words a (the last words of its phrases)
	 * with a party in the five tokens after it before any the gap
	 * stops at (dealrules.gap_stop, money, a percentage). */
	struct {
		char a[254];
		uint64_t abloom;
	} wp[2];
	size_t nwp;
};

enum { PH_PARTY, PH_MONEY, PH_PERCENT, PH_DATE };

/* The bit in dealrule.adj[].bloom of a word of len bytes from c. */
static inline unsigned
adj_bit(size_t len, char c)
{
	return (unsigned)(len & 7) << 3 | (unsigned)(c & 7);
}

/*
 * Word groups: sets of words, one of which a rule needs as the start of
 * a token. A token's first three bytes (five bits of each) find the few
 * words that may start it (most tokens: none), and each word that does
 * sets the bits of its groups.
 */
struct wprefix {
	/* its bytes 0 to 7 and 8 to 15, the first in the low byte, and
	 * masks of those it has: a token starts with it when its own
	 * bytes, masked, are these (and the rest of a longer one match) */
	uint64_t w0, w1, m0, m1;
	char *prefix;      /* lower case, 3 bytes or more */
	uint32_t len, key; /* key: wordtab_filt_bit() + 1 */
	uint32_t first, n; /* its groups: ids[first .. first + n) */
};

struct wordtab {
	struct wprefix *v; /* distinct, sorted by key */
	size_t n, cap;
	uint32_t *ids;
	size_t nids, capids;
	uint64_t *sets; /* per prefix, its groups as a bitset (nwords) */
	/* the words of sixteen bytes or fewer looked up lately: per slot,
	 * the word's bytes 0 to 7 and 8 to 15 in lower case, its length
	 * (0: none) with 256 * whether it hit, and its groups (nwords).
	 * Written by wordtab_hits(): like the deal rules' JIT code, a word
	 * table, once used, is one thread's. */
	uint64_t *cache;
	struct {
		uint32_t key;          /* 0: empty */
		uint32_t start, count; /* v[start .. start + count) */
	} * b;
	size_t nb;
	/* a bit per first three bytes, five bits of each (which ASCII
	 * case does not change): most tokens stop here */
	uint64_t filt[512];
	char **canon; /* per group: its words joined, to share groups */
	size_t ngroups, capgroups;
	size_t nwords; /* uint64_t words in a bitset of the groups */
};

#define WORDTAB_CACHE_BITS 12 /* 4096 words */

/* Set in bits (a bitset of t's groups) the groups of the words that
 * start tok (len bytes, avail >= len of them readable; ASCII case does
 * not matter). Returns whether any did. */
int wordtab_hits(const struct wordtab *t, const char *tok, size_t len,
    size_t avail, uint64_t *bits);

/* The filter bit of a token's first three bytes (five bits of each). */
static inline size_t
wordtab_filt_bit(const char *p)
{
	return ((size_t)(p[0] & 31) << 10) | ((size_t)(p[1] & 31) << 5) |
	    (size_t)(p[2] & 31);
}

/* May a token of three bytes or more start some word of t? 0: it starts
 * none, and wordtab_hits() would find nothing. */
static inline int
wordtab_maybe(const struct wordtab *t, const char *tok)
{
	size_t b = wordtab_filt_bit(tok);

	return (t->filt[b >> 6] >> (b & 63)) & 1;
}

/* ASCII capitals in x to lower case, each byte apart (no other byte
 * changes, none carries into the next). */
static inline uint64_t
wordtab_lower8(uint64_t x)
{
	const uint64_t hi = 0x8080808080808080u, ones = hi >> 7;
	uint64_t low = x & ~hi;

	return x |
	    (((low + ones * (0x80 - 'A')) & ~(low + ones * (0x80 - 'Z' - 1)) &
	         ~x & hi) >>
	        2);
}

/* Into *x0 and *x1 the bytes 0 to 7 and 8 to 15 of tok (len bytes, avail
 * >= len of them readable) in lower case, 0 past its end. */
static inline void
wordtab_bytes(const char *tok, size_t len, size_t avail, uint64_t *x0,
    uint64_t *x1)
{
	uint64_t a = 0, b = 0;

	if (avail >= 16) {
		memcpy(&a, tok, 8);
		memcpy(&b, tok + 8, 8);
	} else {
		for (size_t q = 0; q < len && q < 16; q++)
			if (q < 8)
				a |= (uint64_t)(unsigned char)tok[q] << (8 * q);
			else
				b |= (uint64_t)(unsigned char)tok[q]
				    << (8 * (q - 8));
	}
	if (len < 8) {
		/* (most words: nothing in the second eight to lower) */
		*x0 = wordtab_lower8(a & (((uint64_t)1 << (8 * len)) - 1));
		*x1 = 0;
		return;
	}
	if (len < 16)
		b &= ((uint64_t)1 << (8 * (len - 8))) - 1;
	*x0 = wordtab_lower8(a);
	*x1 = wordtab_lower8(b);
}

/* The cache slot of a word of len <= 16 bytes whose bytes 0 to 7 and 8
 * to 15 in lower case, 0 past its end, are x0 and x1. */
static inline size_t
wordtab_slot(uint64_t x0, uint64_t x1, size_t len)
{
	return (size_t)(((x0 ^ (x1 * 0x9e3779b97f4a7c15ULL)) *
	                        0xff51afd7ed558ccdULL ^
	                    len) >>
	    (64 - WORDTAB_CACHE_BITS));
}

/* wordtab_hits() for a token of 3 to 16 bytes with 16 readable (most
 * are), as it would answer from its cache: without the call when the
 * word is there. */
static inline __attribute__((always_inline)) int
wordtab_hits_inline(const struct wordtab *t, const char *tok, size_t len,
    size_t avail, uint64_t *bits)
{
	if (len >= 3 && len <= 16 && avail >= 16 && t->nb) {
		uint64_t x0, x1;
		const uint64_t *ce;

		wordtab_bytes(tok, len, avail, &x0, &x1);
		ce = t->cache + wordtab_slot(x0, x1, len) * (3 + t->nwords);
		if (ce[0] == x0 && ce[1] == x1 && (ce[2] & 0xff) == len) {
			/* (a word of no group has no bits to give) */
			if (!(ce[2] >> 8))
				return 0;
			for (size_t w = 0; w < t->nwords; w++)
				bits[w] |= ce[3 + w];
			return 1;
		}
	}
	return wordtab_hits(t, tok, len, avail, bits);
}

static inline int
bit_is(const uint64_t *bits, uint32_t i)
{
	return (bits[i >> 6] >> (i & 63)) & 1;
}

struct status_cue {
	int status;
	void *re;
	char *where;
	/* a group of dealrules.words one of whose words every match has,
	 * -1 when the cue promises none: a sentence without them is not
	 * matched against it (status_of() runs the cues on every deal) */
	int need;
};
struct dealrules;
int dealrules_open(struct dealrules **out, const struct rule_files *rf,
    struct buf *err);
void dealrules_free(struct dealrules *d);

struct dealrules {
	struct dealrule *v;
	size_t n, cap;
	struct status_cue *cues;
	size_t ncues, capcues;
	void *mctx; /* pcre2_match_context with the limits */
	/* The word groups of the rules, looked for once in the words of each
	 * sentence: per rule, the trigger group (the words of one element it
	 * cannot match without: a sentence with none for any rule is only
	 * skimmed) and the need groups (the words of every element a match
	 * needs, which the normalized sentence has only where the sentence
	 * has them, or normalize() made them: emit() adds those).
	 * trigs: a bitset of the groups that are some rule's trigger. */
	struct wordtab words;
	uint32_t frac_group; /* of "half", "third", ... (rule_may_match()) */
	uint64_t *trigs;
	/* per rule, the groups it needs (need[]) as a bitset of nwords */
	uint64_t *needmask;
	/* bitsets of rules, rwords words each: the rules of each group of
	 * trig, and the rules with none (tried on every sentence) */
	uint64_t *by_trig;
	uint64_t *untrig;
	/* rules that need more than c placeholders of kind k (PH_*):
	 * fewer[k * 4 + c] for c < 4; and the rules that need two
	 * parties (no RULE_VALUATION or RULE_AMOUNT). run_rules() drops
	 * those a sentence cannot give before it looks at any rule. */
	uint64_t *fewer[16];
	uint64_t *two_parties;
	/* the fewest placeholders of each kind that some rule of one party
	 * (RULE_VALUATION, RULE_AMOUNT) needs: a sentence with fewer than
	 * two parties and fewer than these of some kind tries no rule */
	unsigned char one_min[4];
	/* the most placeholders of each kind that some rule needs (fewer[]
	 * drops every rule a count below 4 cannot serve, so a count of 4
	 * or more falls short only of rules that need more than 4) */
	unsigned char max_min[4];
	size_t rwords; /* a multiple of 4 */
	/* the words the short gap ("..") stops at, as dealrule.adj[].words,
	 * with their bloom; gap_ok: they are known (dealrule.wp is used) */
	char gap_stop[256];
	uint64_t gap_bloom;
	int gap_ok;
	/* per rule, then per cue: 0 not JIT-compiled yet, 1 tried and
	 * failed, 2 compiled (dealrules_jit) */
	unsigned char *jit_done;
	/* what each article's rules need and the next one uses again
	 * (like the JIT code, one thread's): match data for rules and for
	 * cues (pcre2_match_data), and the normalized sentence's bytes,
	 * with and without appositions */
	struct dealrules_scratch {
		void *md, *cue_md;
		struct buf s, s2;
	} * scratch;
};

/* Rule k (k < n), or cue k - n, JIT-compiled before its first match:
 * one "dealwire parse" tries few of them. A deal rule set, once used, is
 * therefore one thread's. Returns whether it is JIT code, which
 * pcre2_jit_match() can then run without pcre2_match()'s checks. */
int dealrules_jit(const struct dealrules *d, size_t k);
int dealrules_apply(struct deal_list *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct entity_list *ents,
    const char *published, struct arena *a, struct buf *err);
/* The same over the tokens of text the caller already has, with only
 * the recognizers' entities in ents: companies are looked for only where
 * a rule may need them. */
int dealrules_apply_tokens(struct deal_list *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct tok_list *toks,
    const struct entity_list *ents, const char *published, struct arena *a,
    struct buf *err);
/* The same, writing each normalized sentence and each rule that matched
 * it into out. */
int dealrules_explain(struct buf *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct entity_list *ents,
    const char *published, struct arena *a, struct buf *err);

struct extractor {
	struct recog *recog;
	struct parties *parties;
	struct dealrules *deals;
};

#endif
