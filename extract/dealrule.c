/*
 * dealrule.c: the deal rule language, compiled to PCRE2.
 *
 * Rules run over a sentence normalized to tokens joined by single spaces,
 * each followed by a space: words in lower case, punctuation as tokens,
 * and entities as placeholders: @P3 a party, @N4 a capitalized name that
 * is not on the list, @M1 a money figure, @X2 one that is no deal amount
 * (per-share prices, fees), @C0 a percentage, @D5 a date. A rule file
 * holds lines of these kinds (see the README):
 *
 *   define NAME = TEXT             text that $NAME stands for in patterns
 *   status STATUS = REGEX          a status cue (earlier lines win)
 *   TYPE [STATUS]: PATTERN         a deal rule
 *   valuation: PATTERN             where a valuation is
 *
 * A pattern is whitespace-separated elements: {KIND} or {KIND:role}
 * (PARTY, PARTIES, MONEY, PERCENT, DATE), "..." (up to 8 tokens, no
 * party), "~" (up to 25 tokens), "[" ... "]" (optional), or a word, which
 * is a regular expression for one or more tokens ("invest(s|ed)?",
 * "(agreed to|will) buy").
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/internal.h"

#define MAX_RULE_LINE 4096
#define MAX_DEFINES 256

struct define {
	char *name;
	char *text;
};

struct ruleparse {
	struct define defs[MAX_DEFINES];
	size_t ndefs;
};

static const struct {
	const char *name;
	int kind;
} kinds[] = {
	{ "PARTY", SK_PARTY },
	{ "PARTIES", SK_PARTIES },
	{ "MONEY", SK_MONEY },
	{ "PERCENT", SK_PERCENT },
	{ "DATE", SK_DATE },
	{ "CONTEXT", SK_CONTEXT },
};

static const struct {
	const char *name;
	int role;
} roles[] = {
	{ "investor", ROLE_INVESTOR },
	{ "target", ROLE_TARGET },
	{ "acquirer", ROLE_ACQUIRER },
	{ "party", ROLE_PARTY },
	{ "holder", ROLE_HOLDER },
	{ "customer", ROLE_CUSTOMER },
	{ "supplier", ROLE_SUPPLIER },
	{ "side", SR_SIDE },
	{ "amount", SR_AMOUNT },
	{ "valuation", SR_VALUATION },
	{ "stake", SR_STAKE },
	{ "date", SR_DATE },
};

/* Which party roles each deal type takes. */
static int
role_fits(int type, int role)
{
	switch (type) {
	case DEAL_INVESTMENT:
		return role == ROLE_INVESTOR || role == ROLE_TARGET ||
		    role == SR_SIDE;
	case DEAL_ACQUISITION:
		return role == ROLE_ACQUIRER || role == ROLE_TARGET;
	case DEAL_MERGER:
	case DEAL_PARTNERSHIP:
		return role == ROLE_PARTY;
	case DEAL_STAKE:
		return role == ROLE_HOLDER || role == ROLE_TARGET;
	case DEAL_SUPPLY:
		return role == ROLE_CUSTOMER || role == ROLE_SUPPLIER ||
		    role == SR_SIDE;
	case RULE_VALUATION:
	case RULE_AMOUNT:
		return role == ROLE_TARGET;
	}
	return 0;
}

static int
kind_fits(int kind, int role)
{
	switch (role) {
	case SR_AMOUNT:
	case SR_VALUATION:
		return kind == SK_MONEY;
	case SR_STAKE:
		return kind == SK_PERCENT;
	case SR_DATE:
		return kind == SK_DATE;
	}
	return kind == SK_PARTY || kind == SK_PARTIES || kind == SK_CONTEXT;
}

static size_t skip_ws(struct span s, size_t i);

/* Regex bits for the placeholders. */
#define RX_PARTY "@[PN]\\d+"
/* "A, B and existing backer C": words before a later member of a list */
#define RX_MEMBER_WORDS                                                        \
	"(?:the |(?:existing |new |returning |longtime |long-time |early |"    \
	"previous |prior |current )?(?:backer|backers|investor|investors|"     \
	"shareholder|shareholders) )?"
/* "A, B and the container line C", "A and Toronto-based pension manager
 * C": after "and", what the last member is ("A, the chain B owns" is A
 * told again) */
#define RX_MEMBER_DESC                                                         \
	"(?:(?:the|a|an) (?:(?!(?:to|of|for|from|with|in|on|at|by|and|or) )"   \
	"[a-z][^ @,]* ){1,3}|[a-z][^ @,]*-based (?:(?!(?:to|of|for|from|with|" \
	"in|on|at|by|and|or) )[a-z][^ @,]* ){0,2})?"
static const char rx_gap[] =
    "(?:(?!@[PN]|(?:we|us|our|they|he|she|i) )[^ ]+ ){0,8}?";
static const char rx_short[] =
    "(?:(?!@[PNMC]|(?:stakes?|shares?|interest|chips|assets|units?|"
    "business|control|majority|minority|rights|products?|services|under|"
    "from|with|and|or|by|in|into|onto|of|at|to|we|our|,) )[^ ]+ ){0,5}?";
static const char rx_wide[] = "(?:[^ ]+ ){0,25}?";

/*
 * Expand $NAME references into out. Returns 0 or the 1-based column of an
 * unknown name.
 */
static size_t
expand(struct buf *out, struct span s, const struct ruleparse *rp, size_t depth)
{
	size_t i = 0;

	while (i < s.len) {
		size_t j, k;

		if (s.p[i] != '$') {
			buf_addch(out, s.p[i++]);
			continue;
		}
		j = i + 1;
		while (j < s.len &&
		    ((s.p[j] >= 'A' && s.p[j] <= 'Z') ||
		        (s.p[j] >= '0' && s.p[j] <= '9') || s.p[j] == '_'))
			j++;
		for (k = 0; k < rp->ndefs; k++)
			if (strlen(rp->defs[k].name) == j - i - 1 &&
			    memcmp(rp->defs[k].name, s.p + i + 1, j - i - 1) ==
			        0)
				break;
		if (k == rp->ndefs || depth > 8)
			return i + 1;
		if (expand(out, span_cstr(rp->defs[k].text), rp, depth + 1))
			return i + 1;
		i = j;
	}
	return 0;
}

static inline uint32_t
lower_ch(char ch)
{
	return (uint32_t)(unsigned char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a'
	                                                        : ch);
}

/* The index of the ']' that closes the class opening at w.p[i]. */
static size_t
class_end(struct span w, size_t i)
{
	size_t j = i + 1;

	if (j < w.len && w.p[j] == '^')
		j++;
	if (j < w.len && w.p[j] == ']')
		j++;
	while (j < w.len && w.p[j] != ']') {
		if (w.p[j] == '\\')
			j++;
		j++;
	}
	return j;
}

/*
 * Translate a word element into regex: '(' opens a non-capturing group,
 * a '.' is literal, a space separates tokens. Returns 0 or the offset of
 * a problem inside the element, with the message in msg.
 */
static size_t
word_regex(struct buf *rx, struct span w, const char **msg)
{
	for (size_t i = 0; i < w.len; i++) {
		char c = w.p[i];

		if (c == '\\' && i + 1 < w.len) {
			buf_addch(rx, c);
			buf_addch(rx, w.p[++i]);
			continue;
		}
		if (c == '[') {
			/* a character class, copied as it is */
			size_t j = class_end(w, i);

			if (j >= w.len) {
				*msg = "unterminated character class";
				return i + 1;
			}
			buf_add(rx, w.p + i, j + 1 - i);
			i = j;
			continue;
		}
		if (c == '(' && (i + 1 >= w.len || w.p[i + 1] != '?')) {
			buf_adds(rx, "(?:");
			continue;
		}
		if (c == '(') {
			*msg = "groups with '(?' are not allowed in a word";
			return i + 1;
		}
		if (c == '.' || c == '$' || c == '^' || c == '@') {
			buf_addch(rx, '\\');
			buf_addch(rx, c);
			continue;
		}
		if (c == '{' || c == '}') {
			*msg = "'{' only opens a slot such as {PARTY:target}";
			return i + 1;
		}
		buf_addch(rx, c);
	}
	return 0;
}

/*
 * Trigger words: literal words one of which any match of a word element
 * must contain ("(buy|buys|take over)" gives buy, buys, take;
 * "(has )?invested" gives invested). They go into out (at most max);
 * returns how many, 0 when the element promises no word of 3 letters.
 */
static int
is_wordch(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '\'' || ch == '-';
}

/* The end of the group that opens at w.p[i] ('('), or w.len. */
static size_t
group_end(struct span w, size_t i)
{
	int d = 0;

	for (; i < w.len; i++) {
		if (w.p[i] == '\\') {
			i++;
			continue;
		}
		if (w.p[i] == '[') {
			while (i < w.len && w.p[i] != ']')
				i++;
			continue;
		}
		if (w.p[i] == '(')
			d++;
		else if (w.p[i] == ')' && --d == 0)
			return i;
	}
	return w.len;
}

/*
 * Alternatives by their first letter. PCRE2 tries the alternatives of
 * "(?:buy|buys|acquire|...)" one after the other at every place a rule
 * might match, and almost all fail at their first letter. Written as
 * "(?:b(?:uy(?:|s))|acquire|...)" the first letter picks the few that
 * can match, and the match is the same: alternatives that start with
 * different letters never both match at one place, and those with the
 * same first letter keep their order. Only alternatives that all open
 * with a letter or digit (not quantified) are grouped.
 */
#define FACTOR_MAX_ALTS 256

/* The end of the top-level piece of regex s that starts at i: an escape,
 * a class, a group with any quantifier after it, or one character. */
static size_t
rx_atom_end(struct span s, size_t i)
{
	if (s.p[i] == '\\')
		return MIN(i + 2, s.len);
	if (s.p[i] == '[')
		return MIN(class_end(s, i) + 1, s.len);
	if (s.p[i] == '(')
		return MIN(group_end(s, i) + 1, s.len);
	return i + 1;
}

static int
rx_factorable(struct span alt)
{
	char c = alt.len ? alt.p[0] : 0;

	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	           (c >= '0' && c <= '9')) &&
	    !(alt.len > 1 && strchr("?*+{", alt.p[1]));
}

static void rx_factor(struct buf *out, struct span s, int depth);

/* Alternatives alt[0..n), each already factored inside, '|' between. */
static void
rx_factor_alts(struct buf *out, struct span *alt, size_t n, int depth)
{
	int all = n > 1 && depth < 24;

	for (size_t i = 0; i < n && all; i++)
		all = rx_factorable(alt[i]);
	if (!all) {
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_addch(out, '|');
			buf_addspan(out, alt[i]);
		}
		return;
	}
	/* by first letter, in the order the letters first come */
	{
		unsigned char done[FACTOR_MAX_ALTS];
		struct span rest[FACTOR_MAX_ALTS];
		int first = 1;

		memset(done, 0, n);
		for (size_t i = 0; i < n; i++) {
			size_t nr = 0;
			uint32_t c = lower_ch(alt[i].p[0]);

			if (done[i])
				continue;
			for (size_t k = i; k < n; k++)
				if (!done[k] && lower_ch(alt[k].p[0]) == c) {
					done[k] = 1;
					rest[nr++] =
					    (struct span){ alt[k].p + 1,
						    alt[k].len - 1 };
				}
			if (!first)
				buf_addch(out, '|');
			first = 0;
			if (nr == 1) {
				buf_addspan(out, alt[i]);
				continue;
			}
			buf_addch(out, (int)c);
			buf_adds(out, "(?:");
			rx_factor_alts(out, rest, nr, depth + 1);
			buf_addch(out, ')');
		}
	}
}

/* Regex s into out, its alternations factored (each "(?:" group too). */
static void
rx_factor(struct buf *out, struct span s, int depth)
{
	struct buf tmp = BUF_INIT;
	struct span alt[FACTOR_MAX_ALTS];
	size_t start[FACTOR_MAX_ALTS + 1], n = 0, i = 0;

	/* each alternative with its "(?:" groups factored, into tmp */
	start[n++] = 0;
	while (i < s.len) {
		size_t e = rx_atom_end(s, i);

		if (s.p[i] == '|') {
			if (n == FACTOR_MAX_ALTS)
				goto verbatim;
			start[n++] = tmp.len + 1;
			buf_addch(&tmp, '|');
		} else if (e - i >= 4 && memcmp(s.p + i, "(?:", 3) == 0 &&
		    group_end(s, i) < s.len) {
			size_t g = group_end(s, i);

			buf_adds(&tmp, "(?:");
			rx_factor(&tmp, (struct span){ s.p + i + 3, g - i - 3 },
			    depth + 1);
			buf_add(&tmp, s.p + g, e - g);
		} else {
			buf_add(&tmp, s.p + i, e - i);
		}
		i = e;
	}
	if (buf_error(&tmp) || depth > 32)
		goto verbatim;
	start[n] = tmp.len + 1;
	for (size_t k = 0; k < n; k++)
		alt[k] = (struct span){ tmp.data + start[k],
			start[k + 1] - 1 - start[k] };
	rx_factor_alts(out, alt, n, 0);
	buf_release(&tmp);
	return;
verbatim:
	buf_addspan(out, s);
	buf_release(&tmp);
}

static size_t
required_words(struct span w, struct span *out, size_t max, int depth)
{
	size_t i = 0, n = 0;
	int alt = 0;

	if (depth > 8)
		return 0;
	/* an alternation at this level: one word from each branch */
	for (size_t k = 0; k < w.len; k++) {
		if (w.p[k] == '\\') {
			k++;
		} else if (w.p[k] == '(') {
			k = group_end(w, k);
		} else if (w.p[k] == '[') {
			while (k < w.len && w.p[k] != ']')
				k++;
		} else if (w.p[k] == '|') {
			alt = 1;
			break;
		}
	}
	if (alt) {
		size_t start = 0;

		for (size_t k = 0; k <= w.len; k++) {
			size_t got;

			if (k < w.len && w.p[k] == '\\') {
				k++;
				continue;
			}
			if (k < w.len && w.p[k] == '(') {
				k = group_end(w, k);
				continue;
			}
			if (k < w.len && w.p[k] == '[') {
				while (k < w.len && w.p[k] != ']')
					k++;
				continue;
			}
			if (k < w.len && w.p[k] != '|')
				continue;
			got = required_words((struct span){ w.p + start,
			                         k - start },
			    out + n, max - n, depth + 1);
			if (!got)
				return 0;
			n += got;
			start = k + 1;
		}
		return n;
	}
	/* a sequence: the first part that must be there and gives words */
	while (i < w.len) {
		if (w.p[i] == '(') {
			size_t e = group_end(w, i);
			int optional = e + 1 < w.len &&
			    (w.p[e + 1] == '?' || w.p[e + 1] == '*');

			if (e < w.len && !optional) {
				size_t got =
				    required_words((struct span){ w.p + i + 1,
				                       e - i - 1 },
				        out, max, depth + 1);

				if (got)
					return got;
			}
			i = e + 1;
			continue;
		}
		if (is_wordch(w.p[i])) {
			/* a run of literal words: the longest one */
			size_t best = 0, bi = 0, e = i;

			while (
			    e < w.len && (is_wordch(w.p[e]) || w.p[e] == ' ')) {
				size_t ws = e, we;

				while (e < w.len && w.p[e] == ' ')
					e++;
				ws = e;
				while (e < w.len && is_wordch(w.p[e]))
					e++;
				we = e;
				/* a quantifier makes the last letter optional */
				if (we < w.len &&
				    (w.p[we] == '?' || w.p[we] == '*' ||
				        w.p[we] == '(' || w.p[we] == '['))
					we = we > ws ? we - 1 : ws;
				if (we > ws && we - ws > best &&
				    !(ws > 0 && w.p[ws - 1] == '\\')) {
					best = we - ws;
					bi = ws;
				}
				if (e < w.len && !is_wordch(w.p[e]) &&
				    w.p[e] != ' ')
					break;
			}
			if (best >= 3 && max > 0) {
				out[0].p = w.p + bi;
				out[0].len = best;
				return 1;
			}
			i = e + 1;
			continue;
		}
		if (w.p[i] == '\\')
			i++;
		else if (w.p[i] == '[')
			while (i < w.len && w.p[i] != ']')
				i++;
		i++;
	}
	return 0;
}

/* Words too common to tell sentences apart as triggers. */
static int
common_words(const struct span *w, size_t n)
{
	static const char *const common[] = { "and", "the", "with", "for",
		"its", "has", "have", "had", "will", "who", "which", "this",
		"their", "that", "after", "other", "first", "made", "make",
		"was", "were", "are", "from", "said", "also", "into", "not",
		"but", "one", "new", "would", "been", "more", "than", "over",
		"about", "year", "company", "there" };

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < countof(common); k++)
			if (span_ieq(w[i], span_cstr(common[k])))
				return 1;
	return 0;
}

static size_t
element_prefixes(struct span w, struct span *out, size_t max)
{
	return required_words(w, out, max, 0);
}

/*
 * The words of the need table, found more carefully than the triggers
 * above: a word counts only where a token must start, since the
 * normalized sentence is matched token by token against the starts of
 * its tokens. Every element starts at a token.
 */
static int
plain_ch(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-';
}

/* The next top-level '|' from i, or w.len. */
static size_t
next_bar(struct span w, size_t i)
{
	for (; i < w.len; i++) {
		if (w.p[i] == '\\')
			i++;
		else if (w.p[i] == '(')
			i = group_end(w, i);
		else if (w.p[i] == '[')
			i = class_end(w, i);
		else if (w.p[i] == '|')
			return i;
	}
	return w.len;
}

/* Does every alternative of w end in a space ("(has |had )")? */
static int
ends_in_space(struct span w)
{
	size_t i = 0;

	for (;;) {
		size_t e = next_bar(w, i);

		if (e == i || w.p[e - 1] != ' ' ||
		    (e >= i + 2 && w.p[e - 2] == '\\'))
			return 0;
		if (e >= w.len)
			return 1;
		i = e + 1;
	}
}

static size_t
sure_words(struct span w, struct span *out, size_t max, int depth)
{
	size_t i = 0, n = 0;
	int at_tok = 1;
	/* a common word ("will" of "will merge"): a later word of the
	 * sequence, which a match needs as much, tells sentences apart
	 * better */
	struct span common = { NULL, 0 };

	if (depth > 8 || max == 0)
		return 0;
	if (next_bar(w, 0) < w.len) {
		/* alternatives: words of each */
		for (;;) {
			size_t e = next_bar(w, i);
			size_t got = sure_words((struct span){ w.p + i, e - i },
			    out + n, max - n, depth + 1);

			if (!got)
				return 0;
			n += got;
			if (e >= w.len)
				return n;
			i = e + 1;
		}
	}
	while (i < w.len) {
		char ch = w.p[i];

		if (ch == ' ') {
			at_tok = 1;
			i++;
		} else if (ch == '(') {
			size_t e = group_end(w, i);
			struct span in;
			int opt;

			if (e >= w.len)
				return 0;
			in = (struct span){ w.p + i + 1, e - i - 1 };
			i = e + 1;
			opt = i < w.len &&
			    (w.p[i] == '?' || w.p[i] == '*' || w.p[i] == '{');
			if (!opt && at_tok) {
				size_t got =
				    sure_words(in, out, max, depth + 1);

				if (got)
					return got;
			}
			at_tok = (opt ? at_tok : 1) && ends_in_space(in);
			/* the quantifier: one of ?*+ or {..}, then ? or + */
			if (i < w.len && w.p[i] == '{')
				while (i < w.len && w.p[i] != '}')
					i++;
			if (i < w.len && strchr("?*+}", w.p[i]))
				i++;
			if (i < w.len && (w.p[i] == '?' || w.p[i] == '+'))
				i++;
		} else if (plain_ch(ch)) {
			size_t j = i, we;

			while (j < w.len && plain_ch(w.p[j]))
				j++;
			we = j;
			/* a quantifier makes the last letter optional */
			if (j < w.len &&
			    (w.p[j] == '?' || w.p[j] == '*' || w.p[j] == '{'))
				we--;
			/* a word the sentence's tokens show as the normalized
			 * ones would: a letter first, in the bytes looked at */
			if (at_tok && we >= i + 3 && we <= i + 60 &&
			    ((ch >= 'a' && ch <= 'z') ||
			        (ch >= 'A' && ch <= 'Z'))) {
				out[0] = (struct span){ w.p + i, we - i };
				if (!common_words(out, 1))
					return 1;
				if (!common.len)
					common = out[0];
			}
			at_tok = 0;
			i = j;
		} else {
			/* an escape, a class, a literal '.', a quantifier */
			at_tok = 0;
			if (ch == '\\')
				i += 2;
			else if (ch == '[')
				i = class_end(w, i) + 1;
			else
				i++;
		}
	}
	if (common.len) {
		out[0] = common;
		return 1;
	}
	return 0;
}

/* The group of words w[0..n) (each 3 bytes or more), shared with an
 * equal group added before; wordtab_build() makes the table once all
 * groups are in. */
static uint32_t
wordtab_group(struct wordtab *t, const struct span *w, size_t n)
{
	struct buf canon = BUF_INIT;
	size_t g;

	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < w[i].len; k++)
			buf_addch(&canon, (int)lower_ch(w[i].p[k]));
		buf_addch(&canon, '|');
	}
	for (g = 0; g < t->ngroups; g++)
		if (strcmp(t->canon[g], canon.data) == 0)
			break;
	if (g < t->ngroups) {
		buf_release(&canon);
		return (uint32_t)g;
	}
	if (t->ngroups == t->capgroups) {
		t->capgroups = t->capgroups ? t->capgroups * 2 : 64;
		t->canon =
		    xreallocarray(t->canon, t->capgroups, sizeof(*t->canon));
	}
	t->canon[t->ngroups++] = buf_detach(&canon, NULL);
	t->nwords = (t->ngroups + 63) / 64;
	/* the words, one entry per word and group for now */
	for (size_t i = 0; i < n; i++) {
		struct wprefix *e;

		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 256;
			t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
		}
		e = &t->v[t->n++];
		e->prefix = xstrndup(w[i].p, w[i].len);
		for (size_t k = 0; k < w[i].len; k++)
			e->prefix[k] = (char)lower_ch(e->prefix[k]);
		e->len = (uint32_t)w[i].len;
		e->key = (uint32_t)wordtab_filt_bit(e->prefix) + 1;
		e->first = (uint32_t)g; /* the group, until built */
		e->n = 1;
	}
	return (uint32_t)g;
}

static int
wprefix_cmp(const void *a, const void *b)
{
	const struct wprefix *x = a, *y = b;
	int c;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	c = strcmp(x->prefix, y->prefix);
	if (c)
		return c;
	return x->first < y->first ? -1 : x->first > y->first;
}

static size_t
bucket_of(uint32_t key, size_t nb)
{
	return (size_t)((key * 2654435761u) >> 7) & (nb - 1);
}

/* Merge the entries of one word into one with its groups, sort them by
 * their first three bytes and index those. */
static void
wordtab_build(struct wordtab *t)
{
	size_t k = 0, distinct = 0;

	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof(*t->v), wprefix_cmp);
	t->ids = xreallocarray(NULL, t->n, sizeof(*t->ids));
	t->nids = 0;
	for (size_t i = 0; i < t->n;) {
		struct wprefix e = t->v[i];
		size_t j;

		e.first = (uint32_t)t->nids;
		e.n = 0;
		for (j = i; j < t->n && strcmp(t->v[j].prefix, e.prefix) == 0;
		     j++) {
			uint32_t g = t->v[j].first; /* the group, until here */

			if (!e.n || t->ids[t->nids - 1] != g) {
				t->ids[t->nids++] = g;
				e.n++;
			}
			if (j > i)
				free(t->v[j].prefix);
		}
		e.w0 = e.w1 = e.m0 = e.m1 = 0;
		for (size_t q = 0; q < e.len && q < 16; q++) {
			uint64_t byte = (uint64_t)(unsigned char)e.prefix[q];

			if (q < 8) {
				e.w0 |= byte << (8 * q);
				e.m0 |= (uint64_t)0xff << (8 * q);
			} else {
				e.w1 |= byte << (8 * (q - 8));
				e.m1 |= (uint64_t)0xff << (8 * (q - 8));
			}
		}
		distinct += k == 0 || t->v[k - 1].key != e.key;
		t->filt[wordtab_filt_bit(e.prefix) >> 6] |= (uint64_t)1
		    << (wordtab_filt_bit(e.prefix) & 63);
		t->v[k++] = e;
		i = j;
	}
	t->n = k;
	t->nb = 64;
	while (t->nb < distinct * 2)
		t->nb *= 2;
	t->sets = xcalloc(t->n * t->nwords + 1, sizeof(*t->sets));
	{
		/* on cache lines: a slot of 64 bytes (five words of groups)
		 * is then one line to read, not two */
		size_t sz = ((size_t)1 << WORDTAB_CACHE_BITS) *
		    (3 + t->nwords) * sizeof(*t->cache);

		t->cache = aligned_alloc(64, (sz + 63) / 64 * 64);
		if (!t->cache) {
			fprintf(stderr,
			    "dealwire: out of memory allocating %zu bytes\n",
			    sz);
			abort();
		}
		memset(t->cache, 0, sz);
	}
	for (size_t i = 0; i < t->n; i++)
		for (size_t q = t->v[i].first; q < t->v[i].first + t->v[i].n;
		     q++)
			t->sets[i * t->nwords + (t->ids[q] >> 6)] |= (uint64_t)1
			    << (t->ids[q] & 63);
	t->b = xcalloc(t->nb, sizeof(*t->b));
	for (size_t i = 0; i < t->n;) {
		size_t j = i, h = bucket_of(t->v[i].key, t->nb);

		while (j < t->n && t->v[j].key == t->v[i].key)
			j++;
		while (t->b[h].key)
			h = (h + 1) & (t->nb - 1);
		t->b[h].key = t->v[i].key;
		t->b[h].start = (uint32_t)i;
		t->b[h].count = (uint32_t)(j - i);
		i = j;
	}
}

static void
wordtab_release(struct wordtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].prefix);
	for (size_t i = 0; i < t->ngroups; i++)
		free(t->canon[i]);
	free(t->v);
	free(t->ids);
	free(t->sets);
	free(t->cache);
	free(t->b);
	free(t->canon);
}

int
wordtab_hits(const struct wordtab *t, const char *tok, size_t len, size_t avail,
    uint64_t *bits)
{
	uint32_t key;
	size_t h, end, code;
	uint64_t x0 = 0, x1 = 0, *ce = NULL;
	int any = 0;

	if (len < 3 || !t->nb)
		return 0;
	code = wordtab_filt_bit(tok);
	if (!((t->filt[code >> 6] >> (code & 63)) & 1))
		return 0;
	/* the token's first sixteen bytes, lower case, 0 past its end: one
	 * comparison a word then tells most */
	wordtab_bytes(tok, len, avail, &x0, &x1);
	/* a word of sixteen bytes or fewer seen lately: its groups again */
	if (len <= 16) {
		ce = t->cache + wordtab_slot(x0, x1, len) * (3 + t->nwords);
		if (ce[0] == x0 && ce[1] == x1 && (ce[2] & 0xff) == len) {
			for (size_t w = 0; w < t->nwords; w++)
				bits[w] |= ce[3 + w];
			return (int)(ce[2] >> 8);
		}
		ce[0] = x0;
		ce[1] = x1;
		ce[2] = 0; /* until the groups below are in */
		for (size_t w = 0; w < t->nwords; w++)
			ce[3 + w] = 0;
	}
	key = (uint32_t)code + 1;
	h = bucket_of(key, t->nb);
	while (t->b[h].key != key) {
		if (!t->b[h].key)
			goto done;
		h = (h + 1) & (t->nb - 1);
	}
	end = t->b[h].start + t->b[h].count;
	for (size_t i = t->b[h].start; i < end; i++) {
		const struct wprefix *e = &t->v[i];

		if (e->len > len || (x0 & e->m0) != e->w0 ||
		    (x1 & e->m1) != e->w1)
			continue;
		if (e->len > 16) {
			size_t k = 16;

			while (k < e->len &&
			    lower_ch(tok[k]) == (unsigned char)e->prefix[k])
				k++;
			if (k < e->len)
				continue;
		}
		for (size_t w = 0; w < t->nwords; w++)
			bits[w] |= t->sets[i * t->nwords + w];
		if (ce)
			for (size_t w = 0; w < t->nwords; w++)
				ce[3 + w] |= t->sets[i * t->nwords + w];
		any = 1;
	}
done:
	if (ce)
		ce[2] = (uint64_t)len | (uint64_t)any << 8;
	return any;
}

struct compiled {
	struct buf rx;
	size_t map_src[512]; /* source column of element k */
	size_t map_rx[512];  /* regex offset where element k starts */
	size_t nmap;
};

static void
map_add(struct compiled *c, size_t col)
{
	if (c->nmap < countof(c->map_src)) {
		c->map_src[c->nmap] = col;
		c->map_rx[c->nmap] = c->rx.len;
		c->nmap++;
	}
}

static size_t
map_col(const struct compiled *c, size_t rxoff)
{
	size_t col = 1;

	for (size_t k = 0; k < c->nmap; k++)
		if (c->map_rx[k] <= rxoff)
			col = c->map_src[k];
	return col;
}

/*
 * Compile a pattern (already expanded) for a rule of type into r.
 * col0: the column of the pattern's first byte. On error the message is
 * "path:line:col: problem".
 */
/* What every match of a rule needs, collected while it compiles: a word
 * of each group in the need table. */
static void
needs_element(struct dealrules *d, struct dealrule *r, struct span el)
{
	struct span sw[64];
	size_t ns;

	if (r->nneed >= countof(r->need))
		return;
	ns = sure_words(el, sw, countof(sw), 0);
	/* a group with "the" in it is in nearly every sentence: it would
	 * keep the rule from almost none, and finding "the" in each sentence
	 * costs more than the few matches it saves */
	for (size_t i = 0; i < ns; i++)
		if (span_ieq(sw[i], SPAN("the")))
			return;
	if (ns)
		r->need[r->nneed++] = wordtab_group(&d->words, sw, ns);
}

static void
needs_slot(struct dealrule *r, int kind)
{
	static const int ph[] = { [SK_PARTY] = PH_PARTY,
		[SK_PARTIES] = PH_PARTY,
		[SK_MONEY] = PH_MONEY,
		[SK_PERCENT] = PH_PERCENT,
		[SK_DATE] = PH_DATE };

	if (kind == SK_CONTEXT || kind <= 0 || (size_t)kind >= countof(ph))
		return;
	if (r->min[ph[kind]] < 255)
		r->min[ph[kind]]++;
}

/* The placeholder class of a slot element ('P', 'M', 'C', 'D'), else 0
 * (CONTEXT matches no text). */
static int
slot_class(struct span el)
{
	static const struct {
		const char *name;
		int cls;
	} cl[] = { { "PARTY", 'P' }, { "PARTIES", 'P' }, { "MONEY", 'M' },
		{ "PERCENT", 'C' }, { "DATE", 'D' } };
	size_t n = 1;

	if (el.len < 3 || el.p[0] != '{')
		return 0;
	while (n < el.len && el.p[n] != ':' && el.p[n] != '}')
		n++;
	for (size_t k = 0; k < countof(cl); k++)
		if (strlen(cl[k].name) == n - 1 &&
		    memcmp(cl[k].name, el.p + 1, n - 1) == 0)
			return cl[k].cls;
	return 0;
}

/* A word element of a few exact phrases ("and", "(to|into)", "'s",
 * "(rely on|use)"): those phrases ('|' between, one space between the
 * words of each), else an empty span. */
static struct span
exact_words(struct span el)
{
	struct span w = el;

	if (w.len >= 2 && w.p[0] == '(' && w.p[w.len - 1] == ')') {
		w.p++;
		w.len -= 2;
	}
	for (size_t i = 0; i < w.len; i++) {
		int sep = w.p[i] == '|' || w.p[i] == ' ';

		if (strchr("\t()?*+[]\\{}^$", w.p[i]) ||
		    (sep &&
		        (i == 0 || i + 1 == w.len || w.p[i + 1] == '|' ||
		            w.p[i + 1] == ' ')))
			return (struct span){ NULL, 0 };
	}
	return w;
}

/* Into out (cap bytes) the first words (first = 1) or the last words of
 * the phrases w (exact_words()), each once, each its length (a byte)
 * and its bytes in lower case, a length 0 after them, with their
 * adj_bit()s in *bloom. Returns 0 when they do not fit. */
static int
word_list(char *out, size_t cap, uint64_t *bloom, struct span w, int first)
{
	size_t n = 0;

	*bloom = 0;
	for (size_t i = 0; i < w.len;) {
		size_t e = i, ws, we;

		while (e < w.len && w.p[e] != '|')
			e++;
		/* the phrase w.p[i..e): its first or last word */
		ws = i;
		we = e;
		for (size_t k = i; k < e; k++)
			if (w.p[k] == ' ') {
				if (first) {
					we = k;
					break;
				}
				ws = k + 1;
			}
		/* each word once */
		{
			size_t q = 0;
			int dup = 0;

			while (q < n && !dup) {
				size_t l = (unsigned char)out[q];

				dup = l == we - ws &&
				    span_ieq((struct span){ out + q + 1, l },
				        (struct span){ w.p + ws, we - ws });
				q += l + 1;
			}
			if (!dup) {
				if (n + (we - ws) + 2 > cap || we - ws > 255)
					return 0;
				out[n++] = (char)(unsigned char)(we - ws);
				for (size_t k = ws; k < we; k++)
					out[n++] = (char)lower_ch(w.p[k]);
				if (we > ws)
					*bloom |= (uint64_t)1
					    << adj_bit(we - ws,
					           (char)lower_ch(w.p[ws]));
			}
		}
		i = e + 1;
	}
	out[n] = '\0';
	return 1;
}

/* Note that a placeholder of class cls has right after it (after = 1)
 * the first word of one of the phrases w (exact_words()), or right
 * before it the last word of one. */
static void
adj_add(struct dealrule *r, int cls, int after, struct span w)
{
	if (r->nadj >= countof(r->adj) || !cls || !w.len)
		return;
	if (!word_list(r->adj[r->nadj].words, sizeof(r->adj[0].words),
	        &r->adj[r->nadj].bloom, w, after))
		return; /* too many: no note at all */
	r->adj[r->nadj].cls = (char)cls;
	r->adj[r->nadj].after = (char)after;
	r->nadj++;
}

/* Note that the last word of one of the phrases a comes right before
 * the first word of one of the phrases b (both exact_words()). */
static void
ww_add(struct dealrule *r, struct span a, struct span b)
{
	if (r->nww >= countof(r->ww) || !a.len || !b.len)
		return;
	if (!word_list(r->ww[r->nww].a, sizeof(r->ww[0].a),
	        &r->ww[r->nww].abloom, a, 0) ||
	    !word_list(r->ww[r->nww].b, sizeof(r->ww[0].b),
	        &r->ww[r->nww].bbloom, b, 1))
		return;
	r->nww++;
}

/* Note that the last word of one of the phrases a comes before a party
 * with only a short gap ("..", rx_short) between. */
static void
wp_add(struct dealrule *r, struct span a)
{
	if (r->nwp >= countof(r->wp) || !a.len)
		return;
	if (word_list(r->wp[r->nwp].a, sizeof(r->wp[0].a),
	        &r->wp[r->nwp].abloom, a, 0))
		r->nwp++;
}

/* The words rx_short stops at, from its text ("stakes?" is "stake" and
 * "stakes"), into d->gap_stop (as word_list() writes them); 0 when the
 * text is not as this expects (no gap gate then). */
static int
gap_stops(struct dealrules *d)
{
	static const char open[] = "(?!@[PNMC]|(?:";
	const char *p = strstr(rx_short, open), *e;
	char *out = d->gap_stop;
	size_t n = 0, cap = sizeof(d->gap_stop);

	d->gap_bloom = 0;
	if (!p || strncmp(rx_short, "(?:(?!@[PNMC]|(?:", 17) != 0)
		return 0;
	p += sizeof(open) - 1;
	e = strstr(p, ") )");
	if (!e || strcmp(e, ") )[^ ]+ ){0,5}?") != 0)
		return 0;
	while (p < e) {
		const char *q = p;
		size_t len, opt;

		while (q < e && *q != '|')
			q++;
		len = (size_t)(q - p);
		opt = len >= 2 && p[len - 1] == '?';
		for (size_t k = 0; k < len - opt; k++)
			if (strchr("()[]{}?*+.^$\\|", p[k]))
				return 0;
		for (size_t v = 0; v <= opt; v++) {
			/* the word without its optional last byte, then with */
			size_t wl = len - opt - (opt && v == 0);

			if (!wl || n + wl + 2 > cap)
				return 0;
			out[n++] = (char)wl;
			memcpy(out + n, p, wl);
			d->gap_bloom |= (uint64_t)1 << adj_bit(wl, p[0]);
			n += wl;
		}
		p = q < e ? q + 1 : q;
	}
	out[n] = '\0';
	return 1;
}

static int
compile_pattern(struct dealrules *d, struct dealrule *r, struct span pat,
    size_t col0, const char *where, struct span *trig, size_t *ntrig, int *good,
    struct buf *err)
{
	struct compiled c;
	size_t i = 0, group = 0, nparty = 0;
	int depth = 0, rc = DW_ECONFIG, ecode;
	const char *msg = NULL;
	size_t bad = 0;
	PCRE2_SIZE eoff;
	pcre2_code *re;
	/* the element before, for adj_add(): a slot's class, 'W' for exact
	 * words (prev_w), 0 for anything else */
	int prev = 0;
	struct span prev_w = { NULL, 0 };
	/* exact words, then "..": prev_w, for a party slot next (wp_add) */
	struct span gap_w = { NULL, 0 };

	memset(&c, 0, sizeof(c));
	buf_init(&c.rx, 1 << 16);
	/* a match starts at a token: placeholders only ever do, so a rule
	 * that opens with a slot needs no look-behind, and PCRE2 can then
	 * skip to the '@' of a placeholder */
	if (!(pat.len && pat.p[skip_ws(pat, 0)] == '{'))
		buf_adds(&c.rx, "(?<![^ ])");
	while (i < pat.len) {
		size_t j = i;
		int pd = 0;
		struct span el;

		if (pat.p[i] == ' ' || pat.p[i] == '\t') {
			i++;
			continue;
		}
		while (j < pat.len &&
		    (pd > 0 || (pat.p[j] != ' ' && pat.p[j] != '\t'))) {
			if (pat.p[j] == '\\' && j + 1 < pat.len) {
				j += 2;
				continue;
			}
			if (pat.p[j] == '(')
				pd++;
			else if (pat.p[j] == ')')
				pd--;
			j++;
		}
		if (pd != 0) {
			msg = "unbalanced '(' in this element";
			bad = i + 1;
			goto fail;
		}
		el = (struct span){ pat.p + i, j - i };
		map_add(&c, col0 + i);
		if (span_eq(el, SPAN("..."))) {
			buf_adds(&c.rx, rx_gap);
		} else if (span_eq(el, SPAN(".."))) {
			buf_adds(&c.rx, rx_short);
		} else if (span_eq(el, SPAN("~"))) {
			buf_adds(&c.rx, rx_wide);
		} else if (span_eq(el, SPAN("["))) {
			buf_adds(&c.rx, "(?:");
			depth++;
		} else if (span_eq(el, SPAN("]"))) {
			if (depth == 0) {
				msg = "']' without '['";
				bad = i + 1;
				goto fail;
			}
			buf_adds(&c.rx, ")?");
			depth--;
		} else if (el.p[0] == '{') {
			size_t colon = 0, k, kind = 0;
			int role = 0;

			if (el.p[el.len - 1] != '}') {
				msg = "a slot is {KIND} or {KIND:role}";
				bad = i + 1;
				goto fail;
			}
			for (k = 1; k + 1 < el.len; k++)
				if (el.p[k] == ':')
					colon = k;
			for (k = 0; k < countof(kinds); k++) {
				size_t kl = colon ? colon - 1 : el.len - 2;

				if (strlen(kinds[k].name) == kl &&
				    memcmp(kinds[k].name, el.p + 1, kl) == 0)
					kind = (size_t)kinds[k].kind;
			}
			if (!kind) {
				msg =
				    "unknown slot kind (PARTY, PARTIES, MONEY, "
				    "PERCENT, DATE or CONTEXT)";
				bad = i + 2;
				goto fail;
			}
			if (colon) {
				struct span rn = { el.p + colon + 1,
					el.len - colon - 2 };

				for (k = 0; k < countof(roles); k++)
					if (span_eq(rn,
					        span_cstr(roles[k].name)))
						role = roles[k].role;
				if (!role) {
					msg = "unknown role";
					bad = i + colon + 2;
					goto fail;
				}
				if (!kind_fits((int)kind, role) ||
				    (role < SR_AMOUNT &&
				        !role_fits(r->type, role))) {
					msg = "this role does not fit the slot "
					      "or the deal type";
					bad = i + colon + 2;
					goto fail;
				}
				if (r->nslots == RULE_MAX_SLOTS) {
					msg = "too many slots in one rule";
					bad = i + 1;
					goto fail;
				}
				group++;
				r->slots[r->nslots].group = (int)group;
				r->slots[r->nslots].kind = (int)kind;
				r->slots[r->nslots].role = role;
				r->nslots++;
				if (role < SR_AMOUNT)
					nparty += kind == SK_PARTIES ? 2 : 1;
				if (kind == SK_CONTEXT && role >= SR_AMOUNT) {
					msg =
					    "a CONTEXT slot stands for a party";
					bad = i + 1;
					goto fail;
				}
				buf_addch(&c.rx, '(');
			} else {
				buf_adds(&c.rx, "(?:");
			}
			if (depth == 0)
				needs_slot(r, (int)kind);
			if (c.nmap == 1 &&
			    (kind == SK_PARTY || kind == SK_PARTIES))
				r->party_first = 1;
			switch (kind) {
			case SK_PARTY:
				buf_adds(&c.rx, RX_PARTY);
				break;
			case SK_PARTIES:
				/* a later member is no possessive ("X, Y's
				 * parent, bought Z": X alone) */
				buf_adds(&c.rx,
				    RX_PARTY
				    "(?:(?: ,(?: and)?| and) " RX_MEMBER_WORDS
				        RX_PARTY "(?! 's)"
				    "|(?: , and| and) " RX_MEMBER_DESC RX_PARTY
				    "(?! 's))*");
				break;
			case SK_MONEY:
				buf_adds(&c.rx, "@M\\d+");
				break;
			case SK_PERCENT:
				buf_adds(&c.rx, "@C\\d+");
				break;
			case SK_DATE:
				buf_adds(&c.rx, "@D\\d+");
				break;
			case SK_CONTEXT:
				break; /* matches nothing */
			}
			buf_adds(&c.rx, kind == SK_CONTEXT ? ")" : ") ");
		} else {
			size_t off;

			/* the trigger words: of the first element that
			 * promises only uncommon words, else of the first
			 * that promises any */
			if (depth == 0 && !*good) {
				struct span tw[64];
				size_t nt = element_prefixes(el, tw, 64);

				if (nt && (!*ntrig || !common_words(tw, nt))) {
					memcpy(trig, tw, nt * sizeof(*tw));
					*ntrig = nt;
					*good = !common_words(tw, nt);
				}
			}
			if (depth == 0)
				needs_element(d, r, el);
			buf_adds(&c.rx, "(?:");
			{
				struct buf w = BUF_INIT;

				off = word_regex(&w, el, &msg);
				if (!off)
					rx_factor(&c.rx, buf_span(&w), 0);
				buf_release(&w);
			}
			if (off) {
				bad = i + off;
				goto fail;
			}
			buf_adds(&c.rx, ") ");
		}
		/* words right next to a placeholder, when no optional part
		 * or gap comes between */
		{
			int cls = depth == 0 ? slot_class(el) : 0;
			int word = el.p[0] != '{' &&
			    !span_eq(el, SPAN("...")) &&
			    !span_eq(el, SPAN("..")) &&
			    !span_eq(el, SPAN("~")) &&
			    !span_eq(el, SPAN("[")) && !span_eq(el, SPAN("]"));
			struct span ew = depth == 0 && word
			    ? exact_words(el)
			    : (struct span){ NULL, 0 };

			if (cls && prev == 'W')
				adj_add(r, cls, 0, prev_w);
			if (ew.len && prev == 'W')
				ww_add(r, prev_w, ew);
			if (cls == 'P' && gap_w.len)
				wp_add(r, gap_w);
			gap_w = depth == 0 && span_eq(el, SPAN("..")) &&
			        prev == 'W' && d->gap_ok
			    ? prev_w
			    : (struct span){ NULL, 0 };
			if (ew.len && prev && prev != 'W')
				adj_add(r, prev, 1, ew);
			prev = cls ? cls : ew.len ? 'W' : 0;
			prev_w = ew;
		}
		i = j;
	}
	if (depth != 0) {
		msg = "'[' without ']'";
		bad = pat.len;
		goto fail;
	}
	if (r->type != RULE_VALUATION && r->type != RULE_AMOUNT && nparty < 2) {
		msg = "a deal rule needs two party slots";
		bad = 1;
		goto fail;
	}
	if (buf_error(&c.rx)) {
		msg = "pattern too long";
		bad = 1;
		goto fail;
	}
	re = pcre2_compile((PCRE2_SPTR)c.rx.data, c.rx.len, PCRE2_CASELESS,
	    &ecode, &eoff, NULL);
	if (!re) {
		PCRE2_UCHAR m[256];

		pcre2_get_error_message(ecode, m, sizeof(m));
		buf_setf(err, "%s:%zu: %s", where, map_col(&c, eoff),
		    (const char *)m);
		goto out;
	}
	/* JIT-compiled when first tried (dealrules_jit) */
	r->re = re;
	rc = DW_OK;
	goto out;
fail:
	buf_setf(err, "%s:%zu: %s", where, col0 + bad - 1, msg);
out:
	buf_release(&c.rx);
	return rc;
}

static int
add_rule(struct dealrules *d, const struct dealrule *r)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n++] = *r;
	return DW_OK;
}

static size_t
skip_ws(struct span s, size_t i)
{
	while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t'))
		i++;
	return i;
}

static size_t
word_end(struct span s, size_t i)
{
	while (i < s.len && s.p[i] != ' ' && s.p[i] != '\t' && s.p[i] != ':' &&
	    s.p[i] != '=')
		i++;
	return i;
}

static int
parse_line(struct dealrules *d, struct ruleparse *rp, struct span line,
    const char *path, size_t lineno, struct buf *err)
{
	size_t i = skip_ws(line, 0), j;
	struct span w;
	char where[512];
	struct dealrule r;
	struct buf ex = BUF_INIT;
	int rc = DW_ECONFIG;

	memset(&r, 0, sizeof(r));
	snprintf(where, sizeof(where), "%s:%zu", path, lineno);
	j = word_end(line, i);
	w = (struct span){ line.p + i, j - i };
	if (span_eq(w, SPAN("define"))) {
		size_t ns = skip_ws(line, j), ne = word_end(line, ns), eq;

		eq = skip_ws(line, ne);
		if (ne == ns || eq >= line.len || line.p[eq] != '=') {
			buf_setf(err, "%s:%zu: expected 'define NAME = TEXT'",
			    where, eq + 1);
			return DW_ECONFIG;
		}
		for (size_t k = ns; k < ne; k++)
			if (!((line.p[k] >= 'A' && line.p[k] <= 'Z') ||
			        (line.p[k] >= '0' && line.p[k] <= '9') ||
			        line.p[k] == '_')) {
				buf_setf(err,
				    "%s:%zu: a define name is "
				    "upper case letters, digits and '_'",
				    where, k + 1);
				return DW_ECONFIG;
			}
		if (rp->ndefs == MAX_DEFINES) {
			buf_setf(err, "%s:%zu: too many defines", where,
			    ns + 1);
			return DW_ECONFIG;
		}
		eq = skip_ws(line, eq + 1);
		buf_init(&ex, MAX_RULE_LINE * 4);
		j = expand(&ex, (struct span){ line.p + eq, line.len - eq }, rp,
		    0);
		if (j) {
			buf_setf(err, "%s:%zu: unknown define", where, eq + j);
			buf_release(&ex);
			return DW_ECONFIG;
		}
		rp->defs[rp->ndefs].name = xstrndup(line.p + ns, ne - ns);
		rp->defs[rp->ndefs].text = buf_detach(&ex, NULL);
		rp->ndefs++;
		return DW_OK;
	}
	if (span_eq(w, SPAN("status"))) {
		size_t ns = skip_ws(line, j), ne = word_end(line, ns), eq;
		char st[32];
		int ecode, need;
		PCRE2_SIZE eoff;
		pcre2_code *re;

		eq = skip_ws(line, ne);
		snprintf(st, sizeof(st), "%.*s", (int)MIN(ne - ns, 31),
		    line.p + ns);
		if (!deal_status_parse(st) && strcmp(st, "none") != 0) {
			buf_setf(err,
			    "%s:%zu: unknown status '%s' (talks, "
			    "announced, completed or terminated)",
			    where, ns + 1, st);
			return DW_ECONFIG;
		}
		if (eq >= line.len || line.p[eq] != '=') {
			buf_setf(err,
			    "%s:%zu: expected 'status STATUS = REGEX'", where,
			    eq + 1);
			return DW_ECONFIG;
		}
		eq = skip_ws(line, eq + 1);
		buf_init(&ex, MAX_RULE_LINE * 4);
		j = expand(&ex, (struct span){ line.p + eq, line.len - eq }, rp,
		    0);
		if (j) {
			buf_setf(err, "%s:%zu: unknown define", where, eq + j);
			buf_release(&ex);
			return DW_ECONFIG;
		}
		/* the words every match needs, for status_of() (as a rule's
		 * need groups: see sure_words()) */
		{
			struct span sw[64];
			size_t nsw =
			    sure_words(buf_span(&ex), sw, countof(sw), 0);

			need =
			    nsw ? (int)wordtab_group(&d->words, sw, nsw) : -1;
		}
		buf_adds(&ex, ")(?= |$)");
		{
			struct buf full = BUF_INIT;

			buf_adds(&full, "(?<![^ ])(?:");
			buf_add(&full, ex.data, ex.len);
			re = pcre2_compile((PCRE2_SPTR)full.data, full.len,
			    PCRE2_CASELESS, &ecode, &eoff, NULL);
			buf_release(&full);
		}
		buf_release(&ex);
		if (!re) {
			PCRE2_UCHAR m[256];

			pcre2_get_error_message(ecode, m, sizeof(m));
			buf_setf(err, "%s:%zu: %s", where, eq + 1,
			    (const char *)m);
			return DW_ECONFIG;
		}
		if (d->ncues == d->capcues) {
			d->capcues = d->capcues ? d->capcues * 2 : 16;
			d->cues = xreallocarray(d->cues, d->capcues,
			    sizeof(*d->cues));
		}
		/* "none" denies: -1 drops the deal */
		d->cues[d->ncues].status =
		    strcmp(st, "none") == 0 ? -1 : deal_status_parse(st);
		d->cues[d->ncues].re = re;
		d->cues[d->ncues].where = xstrdup(where);
		d->cues[d->ncues].need = need;
		d->ncues++;
		return DW_OK;
	}
	/* TYPE [STATUS]: PATTERN */
	{
		char ty[32], st[32];
		size_t ss, se, colon, pat;

		snprintf(ty, sizeof(ty), "%.*s", (int)MIN(j - i, 31),
		    line.p + i);
		if (strcmp(ty, "valuation") == 0)
			r.type = RULE_VALUATION;
		else if (strcmp(ty, "amount") == 0)
			r.type = RULE_AMOUNT;
		else
			r.type = deal_type_parse(ty);
		if (!r.type) {
			buf_setf(err, "%s:%zu: unknown deal type '%s'", where,
			    i + 1, ty);
			return DW_ECONFIG;
		}
		ss = skip_ws(line, j);
		se = word_end(line, ss);
		if (se > ss) {
			snprintf(st, sizeof(st), "%.*s", (int)MIN(se - ss, 31),
			    line.p + ss);
			r.status = deal_status_parse(st);
			if (!r.status) {
				buf_setf(err, "%s:%zu: unknown status '%s'",
				    where, ss + 1, st);
				return DW_ECONFIG;
			}
			colon = skip_ws(line, se);
		} else {
			colon = ss;
		}
		if (colon >= line.len || line.p[colon] != ':') {
			buf_setf(err, "%s:%zu: expected ':' before the pattern",
			    where, colon + 1);
			return DW_ECONFIG;
		}
		pat = skip_ws(line, colon + 1);
		buf_init(&ex, MAX_RULE_LINE * 4);
		j = expand(&ex, (struct span){ line.p + pat, line.len - pat },
		    rp, 0);
		if (j) {
			buf_setf(err, "%s:%zu: unknown define", where, pat + j);
			goto out;
		}
		/* '[' and ']' outside parentheses are elements of their own
		 * ("[$ADJ]" is "[ $ADJ ]"); columns inside expanded defines
		 * point at the pattern. */
		{
			struct buf sp = BUF_INIT;
			struct span trig[64];
			size_t ntrig = 0;
			int pd = 0, good = 0;

			for (size_t k = 0; k < ex.len; k++) {
				char ch = ex.data[k];

				if (ch == '\\' && k + 1 < ex.len) {
					buf_addch(&sp, ch);
					buf_addch(&sp, ex.data[++k]);
					continue;
				}
				if (ch == '(')
					pd++;
				else if (ch == ')')
					pd--;
				if ((ch == '[' || ch == ']') && pd == 0) {
					buf_addch(&sp, ' ');
					buf_addch(&sp, ch);
					buf_addch(&sp, ' ');
					continue;
				}
				buf_addch(&sp, ch);
			}
			rc = compile_pattern(d, &r, buf_span(&sp), pat + 1,
			    where, trig, &ntrig, &good, err);
			r.trig = rc == DW_OK && ntrig
			    ? (int)wordtab_group(&d->words, trig, ntrig)
			    : -1;
			buf_release(&sp);
		}
		if (rc != DW_OK)
			goto out;
		r.where = xstrdup(where);
		rc = add_rule(d, &r);
	}
out:
	buf_release(&ex);
	return rc;
}

static int
load_file(struct dealrules *d, struct ruleparse *rp, const struct rule_file *f,
    struct buf *err)
{
	const char *s = f->data, *end = f->data + f->len;
	size_t lineno = 0;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		struct span line = { s,
			nl ? (size_t)(nl - s) : (size_t)(end - s) };
		size_t k;
		int rc;

		s = nl ? nl + 1 : end;
		lineno++;
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (line.len > MAX_RULE_LINE) {
			buf_setf(err, "%s:%zu:1: line longer than %d bytes",
			    f->path, lineno, MAX_RULE_LINE);
			return DW_ECONFIG;
		}
		k = skip_ws(line, 0);
		if (k == line.len || line.p[k] == '#')
			continue;
		if (memchr(line.p, 0, line.len)) {
			buf_setf(err, "%s:%zu:1: NUL byte in a rule", f->path,
			    lineno);
			return DW_ECONFIG;
		}
		rc = parse_line(d, rp, line, f->path, lineno, err);
		if (rc != DW_OK)
			return rc;
	}
	return DW_OK;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

int
dealrules_open(struct dealrules **out, const struct rule_files *rf,
    struct buf *err)
{
	struct dealrules *d = xcalloc(1, sizeof(*d));
	struct ruleparse rp;
	pcre2_match_context *mc;
	int rc = DW_OK;

	*out = NULL;
	memset(&rp, 0, sizeof(rp));
	d->gap_ok = gap_stops(d);
	/* deals.rules and any other *.rules that is not the recognizers'. */
	for (size_t i = 0; i < rf->n && rc == DW_OK; i++) {
		const struct rule_file *f = &rf->v[i];

		if (!ends_with(f->name, ".rules") ||
		    !(strncmp(f->name, "deals", 5) == 0))
			continue;
		rc = load_file(d, &rp, f, err);
	}
	for (size_t i = 0; i < rp.ndefs; i++) {
		free(rp.defs[i].name);
		free(rp.defs[i].text);
	}
	if (rc != DW_OK) {
		dealrules_free(d);
		return rc;
	}
	{
		/* the nouns of a stake in words ("a fifth of"), so that a
		 * sentence without them is not read for one */
		static const char *const fr[] = { "half", "third", "quarter",
			"fifth", "tenth", "two-thirds", "three-quarters" };
		struct span w[countof(fr)];

		for (size_t i = 0; i < countof(fr); i++)
			w[i] = span_cstr(fr[i]);
		d->frac_group = wordtab_group(&d->words, w, countof(fr));
	}
	wordtab_build(&d->words);
	/* a bit a rule, in a multiple of four words (at least four), which
	 * run_rules() goes through four at a time */
	d->rwords = ((d->n + 63) / 64 + 3) & ~(size_t)3;
	if (d->rwords == 0)
		d->rwords = 4;
	d->by_trig =
	    xcalloc((d->words.ngroups + 1) * d->rwords, sizeof(uint64_t));
	d->trigs = xcalloc(d->words.nwords + 1, sizeof(uint64_t));
	d->untrig = xcalloc(d->rwords, sizeof(uint64_t));
	for (size_t q = 0; q < countof(d->fewer); q++)
		d->fewer[q] = xcalloc(d->rwords, sizeof(uint64_t));
	d->two_parties = xcalloc(d->rwords, sizeof(uint64_t));
	memset(d->one_min, 255, sizeof(d->one_min));
	for (size_t k = 0; k < d->n; k++) {
		const struct dealrule *r = &d->v[k];
		uint64_t bit = (uint64_t)1 << (k % 64);

		/* (a rule with a CONTEXT slot may need one party only) */
		int one = r->type == RULE_VALUATION || r->type == RULE_AMOUNT ||
		    r->min[PH_PARTY] < 2;

		if (one)
			for (size_t ph = 0; ph < 4; ph++)
				d->one_min[ph] =
				    MIN(d->one_min[ph], r->min[ph]);

		for (size_t ph = 0; ph < 4; ph++) {
			for (size_t cnt = 0; cnt < 4; cnt++)
				if (r->min[ph] > cnt)
					d->fewer[ph * 4 + cnt][k / 64] |= bit;
			d->max_min[ph] = MAX(d->max_min[ph], r->min[ph]);
		}
		if (!one)
			d->two_parties[k / 64] |= bit;
	}
	for (size_t k = 0; k < d->n; k++) {
		uint64_t *set = d->v[k].trig < 0
		    ? d->untrig
		    : d->by_trig + (size_t)d->v[k].trig * d->rwords;

		set[k / 64] |= (uint64_t)1 << (k % 64);
		if (d->v[k].trig >= 0)
			d->trigs[d->v[k].trig / 64] |= (uint64_t)1
			    << (d->v[k].trig % 64);
	}
	/* per rule, its need groups as a bitset (nwords words) */
	d->needmask = xcalloc(d->n * d->words.nwords + 1, sizeof(uint64_t));
	for (size_t k = 0; k < d->n; k++)
		for (size_t i = 0; i < d->v[k].nneed; i++)
			d->needmask[k * d->words.nwords +
			    d->v[k].need[i] / 64] |= (uint64_t)1
			    << (d->v[k].need[i] % 64);
	d->jit_done = xcalloc(d->n + d->ncues + 1, 1);
	d->scratch = xcalloc(1, sizeof(*d->scratch));
	d->scratch->md = pcre2_match_data_create(2 * RULE_MAX_SLOTS + 2, NULL);
	d->scratch->cue_md = pcre2_match_data_create(1, NULL);
	buf_init(&d->scratch->s, (size_t)1 << 20);
	buf_init(&d->scratch->s2, (size_t)1 << 20);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, 200000);
	pcre2_set_depth_limit(mc, 2000);
	d->mctx = mc;
	*out = d;
	return DW_OK;
}

int
dealrules_jit(const struct dealrules *d, size_t k)
{
	if (!d->jit_done[k])
		d->jit_done[k] =
		    pcre2_jit_compile(k < d->n ? d->v[k].re
		                               : d->cues[k - d->n].re,
		        PCRE2_JIT_COMPLETE) == 0
		    ? 2
		    : 1;
	return d->jit_done[k] == 2;
}

void
dealrules_free(struct dealrules *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		pcre2_code_free(d->v[i].re);
		free(d->v[i].where);
	}
	for (size_t i = 0; i < d->ncues; i++) {
		pcre2_code_free(d->cues[i].re);
		free(d->cues[i].where);
	}
	wordtab_release(&d->words);
	free(d->trigs);
	free(d->by_trig);
	free(d->untrig);
	for (size_t q = 0; q < countof(d->fewer); q++)
		free(d->fewer[q]);
	free(d->two_parties);
	free(d->needmask);
	free(d->jit_done);
	if (d->scratch) {
		pcre2_match_data_free(d->scratch->md);
		pcre2_match_data_free(d->scratch->cue_md);
		buf_release(&d->scratch->s);
		buf_release(&d->scratch->s2);
		free(d->scratch);
	}
	free(d->v);
	free(d->cues);
	pcre2_match_context_free(d->mctx);
	free(d);
}
