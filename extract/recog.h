/*
 * recog.h: the recognizers' parts shared between recog_*.c files: the
 * compiled rule set (word lists and PCRE2 patterns), number parsing, and
 * the interpreters that turn a pattern match into an entity.
 */
#ifndef DW_EXTRACT_RECOG_H
#define DW_EXTRACT_RECOG_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "extract/internal.h"

/* Longest rule line and the most rules a set may hold. */
#define RECOG_MAX_LINE 4096
#define RECOG_MAX_PATTERN ((size_t)1 << 20)

enum recog_kind {
	RK_MONEY = 1,
	RK_PERCENT,
	RK_DATE,
	RK_NOTDATE, /* a match that only blocks dates (times, phone numbers) */
	RK_CUE,     /* not scanned: a test the interpreters run on a sentence */
};

/* One word-list entry: the normalized alias and its value text. */
struct recog_entry {
	char *key;   /* normalized alias (see recog_norm) */
	char *value; /* the text after "=>", trimmed */
	/* The value read as strtod and strtol read it, once at open. */
	double num;
	long inum;
};

/* A named word list, such as "currency" or "month". */
struct recog_list {
	char *name;
	int cased;             /* 1: aliases match case-sensitively */
	struct recog_entry *v; /* sorted by key for bsearch */
	size_t n;
	char *regex; /* the aliases as one alternation */
};

/*
 * Token classes for the start and core sets of a pattern: bit i is list i
 * (a word that begins one of its aliases); these two are not lists.
 */
#define RECOG_T_PERCENT ((uint64_t)1 << 56) /* % (also a #symbol) */
#define RECOG_T_DAY ((uint64_t)1 << 57)     /* one or two digits */
#define RECOG_T_YEAR ((uint64_t)1 << 58)    /* 1800 to 2199, or '87 */
#define RECOG_T_DSEP                                                           \
	((uint64_t)1 << 59) /* digits, then - / . : or space, digit */
#define RECOG_T_ORD ((uint64_t)1 << 60)   /* digits with st, nd, rd or th */
#define RECOG_T_PUNCT ((uint64_t)1 << 61) /* . , - ' % = ( + */
#define RECOG_T_DIGIT ((uint64_t)1 << 62)
#define RECOG_T_SYMBOL ((uint64_t)1 << 63) /* $ and any non-ASCII */
#define RECOG_T_ANY (~(uint64_t)0)
#define RECOG_MAX_LISTS 56

/* The group names the interpreters read, cached per pattern at open; keep
 * in the order of group_names in recog.c. */
enum recog_gname {
	G_A_CUR,
	G_A_NUM,
	G_A_SC,
	G_A_SUB,
	G_ADIR,
	G_B_CUR,
	G_B_NUM,
	G_B_SC,
	G_D,
	G_DIR,
	G_DMOD,
	G_HI,
	G_HOL,
	G_LO,
	G_MN,
	G_MOD,
	G_MON,
	G_N,
	G_N2,
	G_N3,
	G_NTH,
	G_NUM,
	G_Q,
	G_QN,
	G_QS,
	G_REL,
	G_RNG,
	G_SAME,
	G_UNIT,
	G_UNIT2,
	G_UNIT3,
	G_WD,
	G_WMOD,
	G_Y,
	G_YREL,
	RECOG_NGROUP_NAMES
};
#define RECOG_GROUP_DUPS 32

/* The lists the interpreters look words up in, resolved once at open so a
 * lookup does not hash and compare the list's name; keep in the order of
 * list_names in recog.c. */
enum recog_lname {
	L_CHANGE_WORD,
	L_COUNT,
	L_CURGLUED,
	L_CURPRE,
	L_CURRENCY,
	L_DATEMOD,
	L_DIRECTION,
	L_FX_AFTER,
	L_FX_BEFORE,
	L_HOLIDAY,
	L_MONTH,
	L_NUMGLUE,
	L_NUMWORD,
	L_ORDWORD,
	L_PAST_CUE,
	L_PERIOD,
	L_PERIODS,
	L_QUALIFIER,
	L_QUALIFIER_SUFFIX,
	L_QUARTER,
	L_RELDAY,
	L_SCALE,
	L_SCALE_GLUED,
	L_SEASON,
	L_WEEKDAY,
	L_WEIGHT_AFTER,
	L_WEIGHT_BEFORE,
	L_YEARREL,
	RECOG_NLIST_NAMES
};

/*
 * A gate: where a pattern is worth trying. A match may begin with a token
 * of start and needs one of core within the window (and, when a second
 * core= is given, one of core2 within its window too). A pattern has one
 * gate per start= in its rule line and is tried where any gate opens.
 */
struct recog_gate {
	uint64_t start; /* tokens a match may begin with */
	uint64_t core;  /* tokens one of which must follow within the window */
	int near;       /* the window: 0, 1, 3 or 6 words (index 0..3) */
	uint64_t core2; /* RECOG_T_ANY when there is no second condition */
	int near2;
	/* At a #digit start, the lists (bits) one of which must begin the
	 * word after the number; 0: no such condition (see then_ok) */
	uint64_t then;
	/* The lists (bits) one of which the word right before the start
	 * must begin; 0: no such condition (see prev_ok) */
	uint64_t prev;
};
#define RECOG_MAX_GATES 4

struct recog_pattern {
	char *name; /* as in the rule file */
	/* Group numbers for each of RECOG_GROUP_NAMES, 0-terminated. */
	uint16_t gnum[RECOG_NGROUP_NAMES][RECOG_GROUP_DUPS];
	int kind;       /* RK_* */
	int prio;       /* higher wins when matches overlap equally */
	uint64_t start; /* all gates' start tokens */
	struct recog_gate gate[RECOG_MAX_GATES];
	int ngates;
	pcre2_code *code; /* compiled anchored */
	/* Room for the groups up to the last one the interpreters read: a
	 * match copies no more (the lists' groups come after them). */
	pcre2_match_data *md;
	PCRE2_SIZE *ov; /* md's ovector and its pairs, asked once at open */
	uint32_t nov;
	unsigned line; /* where it starts in its rule file */
	/* 1: named "shift", 2: "weekday" (see date_kind in recog.c) */
	int wk_name;
};

/* A pattern's gate, numbered across the rule set (at most 64). */
struct recog_gate_ref {
	struct recog_gate g;
	size_t pat; /* index into pats */
};

/* A word that begins some list alias, and the lists it begins. */
struct recog_word {
	char key[24];  /* lowercase letters; "" marks a free slot */
	uint64_t mask; /* the lists with an alias that begins with it */
	uint64_t core; /* the lists with an alias that ends with it */
	/* The lists with an alias whose last word it is but that goes on
	 * ("A$", "q1"): they end here only where the text goes on so too,
	 * see ctail */
	uint64_t core_if;
	uint64_t full;     /* the lists with an alias that is just this word */
	uint64_t need;     /* start lists of mask not in full: check the text */
	uint64_t after[2]; /* ASCII bytes a longer alias goes on with */
	uint64_t nexts[2]; /* the same, without the all-ones for non-ASCII */
	/* The letter pairs a longer alias goes on with: r->pair2[after2]
	 * (0: none), bit c2 - 'a' of [c1 - 'a']; for the first letters of
	 * any2 (bit: letter - 'a') any pair */
	uint32_t after2;
	uint32_t any2;
	uint32_t rest; /* its longer aliases: r->rests[rest .. rest + nrest) */
	uint32_t nrest;
	/* Its rests grouped by next (ASCII ones first, ascending): group g,
	 * the g-th byte of nexts, is rests[rgrp[grp + g] .. rgrp[grp + g +
	 * 1]); those going on with a non-ASCII byte follow the last group. */
	uint32_t grp;
	uint32_t tail; /* the first rest going on with a non-ASCII byte */
	uint32_t len;  /* strlen(key), 0 for a free slot */
	/* recog_word_hash(key): for a key of up to 8 letters it decides
	 * equality alone (see recog_word_find) */
	uint64_t hash;
	uint32_t ctail, nctail; /* its tails: r->tails[ctail .. + nctail) */
};

/* A longer alias a word begins ("up to" for "up"): its recog_norm key. */
struct recog_rest {
	char *key;
	uint64_t bit;       /* its list */
	uint32_t word;      /* the slot of its first word */
	uint32_t seq;       /* order of reading, to keep it when grouping */
	unsigned char next; /* key[len of the word]: what must follow */
};

#define RECOG_LIST_SLOTS 256

/* An entry in the table of every list's entries, by list and key. */
struct recog_kslot {
	uint64_t h;                  /* key_hash() of list and key */
	const struct recog_entry *e; /* NULL: free */
	size_t list;
};
#define RECOG_WORD_SLOTS 8192 /* a power of two, well above the words */

struct recog {
	int slot[RECOG_LIST_SLOTS]; /* list index by name hash, -1 free */
	struct recog_word *words;   /* open addressing, nwords slots */
	uint8_t *wtag; /* per slot: word_tag() of its key, 0 when free */
	size_t nwords;
	struct recog_rest *rests; /* grouped by word, see recog_word.rest */
	size_t nrests;
	uint32_t *rgrp;        /* see recog_word.grp */
	uint32_t (*pair2)[26]; /* see recog_word.after2; [0] is unused */
	size_t npair2;
	/* What goes on after an alias's last word (its recog_norm key,
	 * after the word), grouped by word: see recog_word.core_if */
	struct recog_rest *tails;
	size_t ntails;
	uint64_t start_lists; /* the lists some pattern may start with */
	struct recog_list *lists;
	size_t nlists;
	struct recog_kslot *kslots; /* open addressing, a power of two */
	size_t nkslots;
	struct recog_pattern *pats;
	size_t npats;
	const struct recog_pattern *future; /* the "future" cue, or NULL */
	int lid[RECOG_NLIST_NAMES]; /* index into lists by L_*, -1: none */
	unsigned char cls[256];     /* the tokenizer's byte classes */
	/* The money interpreter's: 1 ASCII letters and digits, 2 those and
	 * '.' and '-' (a word before an amount, see words_before). */
	unsigned char wcls[256];
	/* recog_norm as a table, uncased [0] and cased [1]: a byte's
	 * lowercase, or 0x100 where it is dropped. */
	uint16_t norm[2][256];
	int all_words; /* some pattern may start at any word: keep them all */
	struct recog_gate_ref gates[64];
	size_t ngates;
	uint64_t by_class[64]; /* the gates (bit i: gates[i]) a class opens */
	/* Per class, per window: the cores its gates need there (one of
	 * them within the window, or none of its gates can pass); classes
	 * with a gate needing no core are in class_any. */
	uint64_t class_core[64][4];
	uint64_t class_any;
	/* The start lists and cores some gate (or the future cue) looks at:
	 * a word in no other list is no token (see tokenize). */
	uint64_t tok_mask, tok_core;
	uint64_t opens;     /* the classes that open some gate */
	uint64_t any_start; /* the gates open at any token */
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	pcre2_match_data *cue_md; /* for the future cue */
	/* per pattern: JIT-compiled yet? Compiling the patterns a text
	 * needs when it first needs them spares a short run (one "dealwire
	 * parse") the rest; this is also why a recognizer, once used, is
	 * one thread's. */
	unsigned char *jit_done;
};

/* Pattern p JIT-compiled before its first match. */
static inline void
recog_jit(const struct recog *r, const struct recog_pattern *p)
{
	unsigned char *done = &r->jit_done[p - r->pats];

	if (!*done) {
		pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
		*done = 1;
	}
}

/* A candidate match before interpretation. */
struct recog_match {
	const struct recog_pattern *pat;
	size_t start, end;
	PCRE2_SIZE *ov; /* the ovector, copied into scratch */
	uint32_t novec;
};

/* Lowercase (unless cased), drop spaces, dots, hyphens and apostrophes. */
size_t recog_norm(char *out, size_t cap, const char *s, size_t n, int cased);

const struct recog_list *recog_list_get(const struct recog *r,
    const char *name);
/* The entry of list L_* matching text s[0..n), or NULL. */
const struct recog_entry *recog_lookup_entry(const struct recog *r, int list,
    const char *s, size_t n);
/* Its value, or NULL. */
const char *recog_lookup(const struct recog *r, int list, const char *s,
    size_t n);

/* The start-class bit of list L_* (see recog_word_mask), or 0. */
uint64_t recog_list_bit(const struct recog *r, int list);

/* The lists a word begins (letters only, any case), or 0. */
uint64_t recog_word_mask(const struct recog *r, const char *p, size_t n,
    uint64_t *core);
/* The word's entry (letters only, any case), or NULL. */
const struct recog_word *recog_word_get(const struct recog *r, const char *p,
    size_t n);
/*
 * The hash of a word of n ASCII letters, any case: its letters | 0x20 in
 * chunks of 8, byte k of a chunk at bits 8k, the last chunk zero-padded;
 * each chunk mixed in, then n. The tokenizer takes 8 letters at a time.
 */
#define RECOG_HASH0 ((uint64_t)1469598103934665603u)
#define RECOG_HASH_K ((uint64_t)0x9E3779B97F4A7C15u)

static inline uint64_t
recog_hash_chunk(uint64_t h, uint64_t chunk)
{
	return (h ^ chunk) * RECOG_HASH_K;
}

static inline uint64_t
recog_hash_end(uint64_t h, size_t n)
{
	h = (h ^ (uint64_t)n) * RECOG_HASH_K;
	return h ^ (h >> 29);
}

uint64_t recog_word_hash(const char *p, size_t n);
/* A word slot's tag: the hash's top bits, never 0 (0 marks a free slot). */
#define RECOG_WORD_TAG(h) ((uint8_t)(((h) >> 56) | 1))

/* The word of n letters at p whose hash is h, in the table of slots
 * mask + 1 with tags tag (a table that has slots), or NULL. */
static inline const struct recog_word *
recog_word_probe(const uint8_t *tag, const struct recog_word *words,
    size_t mask, const char *p, size_t n, uint64_t h)
{
	uint8_t t = RECOG_WORD_TAG(h);

	/* Most words are in no list: the one-byte tags say so without
	 * touching the keys. */
	for (size_t i = h & mask; tag[i]; i = (i + 1) & mask) {
		const struct recog_word *w = &words[i];
		size_t j = 0;

		if (tag[i] != t || w->len != n)
			continue;
		/* Up to 8 bytes are one chunk, which the hash maps one to
		 * one (xor and multiplying by an odd number, xorshift): equal
		 * hashes and lengths are equal words. */
		if (n <= 8) {
			if (w->hash == h)
				return w;
			continue;
		}
		while (j < n && w->key[j] == (p[j] | 0x20))
			j++;
		if (j == n)
			return w;
	}
	return NULL;
}

/* recog_word_get for a word whose hash is h. */
static inline const struct recog_word *
recog_word_find(const struct recog *r, const char *p, size_t n, uint64_t h)
{
	if (!r->nwords)
		return NULL;
	return recog_word_probe(r->wtag, r->words, r->nwords - 1, p, n, h);
}
/* The lists of w->core_if with an alias that ends at w, which ends at
 * text[pos]: the text goes on as the alias does, loosely. */
uint64_t recog_word_ends(const struct recog *r, const struct recog_word *w,
    struct span text, size_t pos);
/*
 * The lists of w->mask with an alias that begins, in full, at text[pos]
 * (where w starts). Loose as a filter must be: spaces, dots, hyphens and
 * apostrophes are skipped, case is ignored; never misses what a pattern
 * calling the list could match there.
 */
uint64_t recog_word_starts(const struct recog *r, const struct recog_word *w,
    struct span text, size_t pos);

/* Compile the rule files into r; DW_ECONFIG with "path:line:col: ..." */
int recog__compile(struct recog *r, const struct rule_files *rf,
    struct buf *err);
void recog__release(struct recog *r);

/* A captured group by name (G_*): 1 and its span when set, else 0.
 * Inline: the interpreters ask a dozen times a match. */
static inline int
recog_group(struct span *out, const struct recog_match *m, struct span text,
    int name)
{
	/* With duplicate names, the first group that is set counts. */
	for (const uint16_t *g = m->pat->gnum[name]; *g; g++)
		if (*g < m->novec && m->ov[2 * *g] != PCRE2_UNSET &&
		    m->ov[2 * *g + 1] >= m->ov[2 * *g]) {
			out->p = text.p + m->ov[2 * *g];
			out->len = m->ov[2 * *g + 1] - m->ov[2 * *g];
			return 1;
		}
	return 0;
}

/*
 * Numbers: "1,750", "1.5", ".125", "12,34,567.89", "6-1/2", "5/8",
 * "14,3" (decimal comma, only when dec_comma), "twenty-seven",
 * "one and a half", "a". The value is an exact decimal: mant * 10^exp10.
 */
struct recog_num {
	double value;
	int64_t mant; /* the digits, when the number was written in digits */
	int exp10;    /* value = mant * 10^exp10 when exact is set */
	int exact;
};
int recog_parse_num(struct recog_num *out, const struct recog *r, struct span s,
    int dec_comma);
/* value * scale, exact where the decimal digits allow it. */
double recog_scale(const struct recog_num *n, double scale);

/*
 * An interpreted match. A range that turns out to be two amounts ("fell
 * from 600 mln dlrs to 230 mln dlrs") gives two.
 */
struct recog_out {
	struct entity e;
	int generic; /* money in a generic dollar: the sentence may name it */
};

/* Interpreters: fill out[0..1] from m; return how many (0: rejected). */
int recog_money(struct recog_out out[2], const struct recog *r,
    const struct recog_match *m, struct span text);
int recog_percent(struct recog_out out[2], const struct recog *r,
    const struct recog_match *m, struct span text);

/* Date resolution state for one text. */
struct recog_dctx {
	int py, pm, pd; /* publication date, or py == 0 */
	int ly, lm, ld; /* the last date found, for "the same day" */
	int lprec;      /* its precision: 0 none, 1 year, 2 month, 3 day */
	int ay, am, ad; /* the anchor of "3 days after X": X */
	int aprec;
	pcre2_match_data *md; /* for the future cue; the recognizer's */
	/* Where the future cue may start, ascending; NULL: at any word. */
	const size_t *cue_at;
	size_t ncue;
};
int recog_date(struct recog_out out[2], const struct recog *r,
    const struct recog_match *m, struct span text, struct recog_dctx *dc);
/* Is m a shift that needs the date after it ("3 days after X")? */
int recog_date_anchored(const struct recog_match *m, struct span text);
/* The day of weekday wd (1 Monday .. 7 Sunday) in the Monday-to-Sunday
 * week of day ("YYYY-MM-DD"), into out; -1 when day is no day. */
int recog_date_in_week(char out[11], const char *day, int wd);

#endif
