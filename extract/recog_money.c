/*
 * recog_money.c: turns a money or percent match into an entity: number,
 * scale word, currency and qualifier from the match's named groups, and a
 * range's two ends. The grammar itself lives in money.rules and
 * numbers.rules; this file only reads what the groups captured.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/recog.h"

struct amt {
	int set;
	double value; /* in whole units */
	double raw;   /* the number as written, before scale and factor */
	double scale; /* the scale word's factor, 1 when none */
	double curf;  /* the currency's factor: 0.01 for cents */
	int has_scale, has_cur, generic;
	char cur[4];
	size_t start, end; /* byte span of this amount's groups */
	struct recog_num num;
};

static void
widen(struct amt *a, struct span g, struct span text)
{
	size_t s = (size_t)(g.p - text.p), e = s + g.len;

	if (!a->set || s < a->start)
		a->start = s;
	if (!a->set || e > a->end)
		a->end = e;
	a->set = 1;
}

/* "USD", "USD 0.01", "USD ?", "GBP 0.01 ?". */
static void
currency_value(struct amt *a, const char *v)
{
	size_t k = 0;

	while (v[k] && !isspace((unsigned char)v[k]) && k < 3) {
		a->cur[k] = v[k];
		k++;
	}
	a->cur[k] = '\0';
	a->has_cur = 1;
	v += k;
	while (*v) {
		while (isspace((unsigned char)*v))
			v++;
		if (*v == '?') {
			a->generic = 1;
			v++;
		} else if (*v) {
			char *end;
			double f = strtod(v, &end);

			if (end == v)
				break;
			a->curf *= f;
			v = end;
		}
	}
}

static double scale_value(const struct recog *r, struct span s);

/* The n words before pos into w[0..n) (w[0] the nearest); an empty span
 * for each past the start of the text. */
static void
words_before(const struct recog *r, struct span text, size_t pos,
    struct span *w, int n)
{
	const unsigned char *p = (const unsigned char *)text.p;
	size_t i = pos, end = pos;

	for (int k = 0; k < n; k++) {
		/* r->wcls: 1 ASCII letters and digits, 2 those, '.', '-' */
		while (i > 0 && !(r->wcls[p[i - 1]] & 1))
			i--;
		end = i;
		while (i > 0 && (r->wcls[p[i - 1]] & 2))
			i--;
		w[k] = (struct span){ text.p + i, end - i };
	}
}

/* Does one of the list's phrases start right after pos? */
static int
phrase_after(const struct recog *r, int list, struct span text, size_t pos)
{
	size_t i = pos, ends[4], w;
	int n = 0;
	uint64_t core, bit = recog_list_bit(r, list);

	/* Most amounts are followed by no such phrase: test the first word. */
	while (i < text.len && text.p[i] == ' ')
		i++;
	w = i;
	while (w < text.len && isalpha((unsigned char)text.p[w]))
		w++;
	if (!(recog_word_mask(r, text.p + i, w - i, &core) & bit))
		return 0;
	i = pos;
	while (n < 4) {
		while (i < text.len && text.p[i] == ' ')
			i++;
		while (i < text.len &&
		    (isalnum((unsigned char)text.p[i]) || text.p[i] == '.'))
			i++;
		ends[n++] = i;
		if (i >= text.len || text.p[i] != ' ')
			break;
	}
	for (int k = n - 1; k >= 0; k--) {
		size_t s = pos;

		while (s < ends[k] && text.p[s] == ' ')
			s++;
		if (ends[k] > s &&
		    recog_lookup(r, list, text.p + s, ends[k] - s))
			return 1;
	}
	return 0;
}

/* "870,000 pounds", "375 pounds each", "bales of 375 pounds". */
static int
weight_context(const struct recog *r, struct span text, size_t start,
    size_t end)
{
	struct span w[4];

	if (phrase_after(r, L_WEIGHT_AFTER, text, end))
		return 1;
	words_before(r, text, start, w, 4);
	for (int k = 0; k < 4; k++)
		if (w[k].len &&
		    recog_lookup(r, L_WEIGHT_BEFORE, w[k].p, w[k].len))
			return 1;
	return 0;
}

/* "the dollar traded at 152.32 yen", "2.20 to the dollar". */
static int
fx_context(const struct recog *r, struct span text, size_t start, size_t end)
{
	struct span w[6];

	if (phrase_after(r, L_FX_AFTER, text, end))
		return 1;
	words_before(r, text, start, w, 1);
	if (!w[0].len || !recog_lookup(r, L_FX_BEFORE, w[0].p, w[0].len))
		return 0;
	/* the five before it, going on from where it starts */
	words_before(r, text, (size_t)(w[0].p - text.p), w + 1, 5);
	for (int k = 2; k <= 5; k++) {
		struct span c = w[k - 1];
		struct span n = w[k];

		if (!c.len || c.p[0] == '$' || isdigit((unsigned char)c.p[0]) ||
		    !recog_lookup(r, L_CURRENCY, c.p, c.len))
			continue;
		/* "12 cents to close at 9 dlrs": that currency is an amount's
		 * (asked second: few words are currencies, scale_value is
		 * two lookups). */
		if (n.len &&
		    (isdigit((unsigned char)n.p[0]) || scale_value(r, n) > 0))
			continue;
		return 1;
	}
	return 0;
}

static double
scale_value(const struct recog *r, struct span s)
{
	const struct recog_entry *e =
	    recog_lookup_entry(r, L_SCALE, s.p, s.len);

	if (!e)
		e = recog_lookup_entry(r, L_SCALE_GLUED, s.p, s.len);
	return e ? e->num : 0;
}

/* The first byte recog_norm keeps of s, lowercase, or 0. */
static unsigned char
norm_first(struct span s)
{
	for (size_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c == ' ' || c == '\t' || c == '.' || c == '-' ||
		    c == '\'' || c == '\n' || c == '\r')
			continue;
		return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
	}
	return 0;
}

static int
read_amt(struct amt *a, const struct recog *r, const struct recog_match *m,
    struct span text, const char *pre)
{
	int b = pre[0] == 'b';
	struct span g;
	const char *v;

	memset(a, 0, sizeof(*a));
	a->scale = 1;
	a->curf = 1;
	if (!recog_group(&g, m, text, b ? G_B_NUM : G_A_NUM))
		return 0;
	widen(a, g, text);
	if (recog_parse_num(&a->num, r, g, 1) != 0)
		return -1;
	a->raw = a->num.value;
	if (recog_group(&g, m, text, b ? G_B_SC : G_A_SC)) {
		double f = scale_value(r, g);

		if (f <= 0)
			return -1;
		a->scale = f;
		a->has_scale = 1;
		widen(a, g, text);
	}
	if (recog_group(&g, m, text, b ? G_B_CUR : G_A_CUR)) {
		char key[32];
		unsigned char first = norm_first(g);

		/* A currency after the number is never a prefix one. */
		v = (size_t)(g.p - text.p) <= a->start
		    ? recog_lookup(r, L_CURPRE, g.p, g.len)
		    : NULL;
		if (!v)
			v = recog_lookup(r, L_CURRENCY, g.p, g.len);
		if (!v)
			v = recog_lookup(r, L_CURGLUED, g.p, g.len);
		if (!v)
			return -1;
		/* (the words below begin with m, c or p: no other needs its
		 * key) */
		if (first == 'm' || first == 'c' || first == 'p') {
			recog_norm(key, sizeof(key), g.p, g.len, 0);
			/* NOTE: "a 1,850 pound satellite" is a weight, like
			 * "the 1,000 mark" is a level: the singular without a
			 * scale word. */
			if ((strcmp(key, "mark") == 0 ||
			        strcmp(key, "crown") == 0 ||
			        strcmp(key, "pound") == 0) &&
			    !a->has_scale)
				return -1;
			if ((strcmp(key, "pounds") == 0 ||
			        strcmp(key, "pound") == 0) &&
			    weight_context(r, text, a->start,
			        (size_t)(g.p - text.p) + g.len))
				return -1;
		}
		if (fx_context(r, text, a->start,
		        (size_t)(g.p - text.p) + g.len))
			return -1;
		currency_value(a, v);
		widen(a, g, text);
	}
	return 1;
}

static void
amt_finish(struct amt *a)
{
	a->value = recog_scale(&a->num, a->scale * a->curf);
}

static int
qualifier_of(const char *v)
{
	if (!v)
		return Q_EXACT;
	if (strcmp(v, "up_to") == 0)
		return Q_UP_TO;
	if (strcmp(v, "over") == 0)
		return Q_OVER;
	if (strcmp(v, "about") == 0)
		return Q_ABOUT;
	return Q_EXACT;
}

/* Is a change word ("fell", "rose") among the few words before pos? */
static int
change_before(const struct recog *r, struct span text, size_t pos)
{
	size_t i = pos;

	for (int words = 0; words < 4 && i > 0; words++) {
		size_t end;

		while (i > 0 && isspace((unsigned char)text.p[i - 1]))
			i--;
		end = i;
		while (i > 0 && isalpha((unsigned char)text.p[i - 1]))
			i--;
		if (end == i)
			break;
		if (recog_lookup(r, L_CHANGE_WORD, text.p + i, end - i))
			return 1;
	}
	return 0;
}

static void
money_entity(struct recog_out *o, const struct amt *a, size_t start, size_t end,
    int q)
{
	memset(o, 0, sizeof(*o));
	o->e.type = ENT_MONEY;
	o->e.start = start;
	o->e.end = end;
	o->e.money.value = a->value;
	o->e.money.qualifier = q;
	memcpy(o->e.money.currency, a->cur, sizeof(a->cur));
	o->generic = a->generic;
}

int
recog_money(struct recog_out out[2], const struct recog *r,
    const struct recog_match *m, struct span text)
{
	struct amt a, b;
	struct span g;
	int q = Q_EXACT, plain_from;

	if (read_amt(&a, r, m, text, "a") <= 0)
		return 0;
	if (read_amt(&b, r, m, text, "b") < 0)
		return 0;
	if (recog_group(&g, m, text, G_Q))
		q = qualifier_of(recog_lookup(r, L_QUALIFIER, g.p, g.len));
	if (recog_group(&g, m, text, G_QS))
		q = qualifier_of(
		    recog_lookup(r, L_QUALIFIER_SUFFIX, g.p, g.len));
	if (recog_group(&g, m, text, G_A_SUB) && a.has_cur) {
		struct recog_num sub;

		if (recog_parse_num(&sub, r, g, 0) == 0 && sub.value >= 0 &&
		    sub.value < 100) {
			amt_finish(&a);
			if (a.curf >= 1)
				a.value += sub.value / 100;
			money_entity(&out[0], &a, m->start, m->end, q);
			return 1;
		}
	}
	if (!b.set) {
		if (!a.has_cur)
			return 0;
		amt_finish(&a);
		money_entity(&out[0], &a, m->start, m->end, q);
		return 1;
	}
	if (!a.has_cur && !b.has_cur)
		return 0;
	/* A range: each end borrows what the other states once. */
	if (!a.has_cur) {
		memcpy(a.cur, b.cur, sizeof(a.cur));
		a.generic = b.generic;
		a.curf = b.curf;
		a.has_cur = 1;
	}
	if (!b.has_cur) {
		memcpy(b.cur, a.cur, sizeof(b.cur));
		b.generic = a.generic;
		b.curf = a.curf;
		b.has_cur = 1;
	}
	if (!a.has_scale && b.has_scale && a.raw < b.raw)
		a.scale = b.scale;
	amt_finish(&a);
	amt_finish(&b);
	plain_from = recog_group(&g, m, text, G_RNG) &&
	    tolower((unsigned char)g.p[0]) == 'f';
	/* "cut by half to 66.2 billion dlrs": ends this far apart are no
	 * range. */
	if (a.value < b.value && a.value * 20 >= b.value &&
	    !(plain_from && change_before(r, text, m->start))) {
		money_entity(&out[0], &b, m->start, m->end, Q_RANGE);
		out[0].e.money.low = a.value;
		out[0].e.money.high = b.value;
		return 1;
	}
	/* Not a range after all: two amounts, when both name a currency. */
	{
		int n = 0;
		size_t bstart = b.start;

		if (a.has_cur && a.end <= bstart) {
			struct span gq;

			money_entity(&out[n++], &a,
			    recog_group(&gq, m, text, G_Q) ? m->start : a.start,
			    a.end, q);
		}
		money_entity(&out[n++], &b, bstart, m->end, Q_EXACT);
		return n;
	}
}

int
recog_percent(struct recog_out out[2], const struct recog *r,
    const struct recog_match *m, struct span text)
{
	struct recog_num lo, hi, n;
	struct span g;

	memset(out, 0, sizeof(*out));
	out->e.type = ENT_PERCENT;
	out->e.start = m->start;
	out->e.end = m->end;
	if (recog_group(&g, m, text, G_NUM)) {
		if (recog_parse_num(&n, r, g, 0) != 0)
			return 0;
		out->e.percent = n.exact ? recog_scale(&n, 1) : n.value;
		return 1;
	}
	if (!recog_group(&g, m, text, G_LO) || recog_parse_num(&lo, r, g, 0))
		return 0;
	if (!recog_group(&g, m, text, G_HI)) {
		out->e.percent = lo.exact ? recog_scale(&lo, 1) : lo.value;
		return 1;
	}
	if (recog_parse_num(&hi, r, g, 0))
		return 0;
	if (lo.value >= hi.value) {
		out->e.start = (size_t)(g.p - text.p);
		out->e.percent = hi.value;
		return 1;
	}
	out->e.percent = hi.value;
	out->e.pct_low = lo.value;
	out->e.pct_high = hi.value;
	out->e.pct_range = 1;
	return 1;
}
