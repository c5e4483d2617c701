/*
 * recog_date.c: turns a date match into an ISO 8601 value at the precision
 * the text gives, resolving relative words against the publication date by
 * CONTRACT.md's rule: a month or weekday without a year is the most recent
 * one, unless the sentence is plainly about the future. The grammar is in
 * dates.rules; this file reads the named groups.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/recog.h"

/* A day date yet to come within this many days reads as upcoming. */
#define RECOG_NEAR_FUTURE_DAYS 75

struct ymd {
	int y, m, d;
	int prec; /* 1 year, 2 month, 3 day */
};

static int
list_int(const struct recog *r, int list, struct span s)
{
	const struct recog_entry *e = recog_lookup_entry(r, list, s.p, s.len);

	return e ? (int)e->inum : INT_MIN;
}

/* The leading digits of a span (not NUL-terminated) as a number. */
static int
span_digits(struct span s)
{
	int v = 0;

	for (size_t i = 0; i < s.len && i < 9 && s.p[i] >= '0' && s.p[i] <= '9';
	     i++)
		v = v * 10 + (s.p[i] - '0');
	return v;
}

static int
has(struct span *out, const struct recog_match *m, struct span text, int name)
{
	return recog_group(out, m, text, name);
}

static int64_t
to_days(int y, int m, int d)
{
	return days_from_civil(y, (unsigned)m, (unsigned)d);
}

static struct ymd
from_days(int64_t z)
{
	struct ymd r;
	unsigned m, d;

	civil_from_days(z, &r.y, &m, &d);
	r.m = (int)m;
	r.d = (int)d;
	r.prec = 3;
	return r;
}

/* Monday = 1 ... Sunday = 7. 1970-01-01 was a Thursday. */
static int
weekday_of(int64_t z)
{
	int64_t w = (z + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

static struct ymd
add_months(int y, int m, int d, int k)
{
	struct ymd r;
	int t = y * 12 + (m - 1) + k;

	r.y = t / 12;
	r.m = t % 12 + 1;
	r.d = MIN(d, days_in_month(r.y, r.m));
	r.prec = 3;
	return r;
}

/* Years: "1987", "'87", "87" (pivot at 30), "nineteen eighty six". */
static int
parse_year(const struct recog *r, struct span s)
{
	struct recog_num n;
	size_t k = 0;
	int v = 0;

	if (s.len && s.p[0] == '\'') {
		s.p++;
		s.len--;
	}
	/* the digits and their value in one pass (k is 2 or 4 where the
	 * value counts) */
	while (k < s.len && s.p[k] >= '0' && s.p[k] <= '9') {
		if (k < 4)
			v = v * 10 + (s.p[k] - '0');
		k++;
	}
	if (k == s.len && (k == 2 || k == 4)) {
		if (k == 2)
			v += v < 30 ? 2000 : 1900;
		return v;
	}
	if (k)
		return -1;
	if (recog_parse_num(&n, r, s, 0) != 0 || n.value < 1000 ||
	    n.value > 2999 || n.value != (int)n.value)
		return -1;
	return (int)n.value;
}

static int
parse_day(const struct recog *r, struct span s)
{
	struct recog_num n;
	size_t b = s.len;
	const char *ord;

	if (s.len && isdigit((unsigned char)s.p[0]))
		return span_digits(s);
	/* "twenty-third": the number words, then an ordinal word, which
	 * counts as one ("third" is also the fraction). */
	while (b > 0 && isalpha((unsigned char)s.p[b - 1]))
		b--;
	ord = recog_lookup(r, L_ORDWORD, s.p + b, s.len - b);
	if (ord) {
		int d = (int)strtol(ord, NULL, 10), tens = 0;

		while (b > 0 && !isalpha((unsigned char)s.p[b - 1]))
			b--;
		if (b > 0) {
			if (recog_parse_num(&n, r, (struct span){ s.p, b },
			        0) != 0 ||
			    n.value != (int)n.value)
				return -1;
			tens = (int)n.value;
		}
		return tens + d;
	}
	if (recog_parse_num(&n, r, s, 0) != 0 || n.value != (int)n.value)
		return -1;
	return (int)n.value;
}

/*
 * Does the sentence around [start, end) speak of the future? Only the words
 * near the date count: "will benefit from its acquisition in late December"
 * is about the past December.
 */
#define CUE_BEFORE 48
#define CUE_AFTER 24

/* Does the future cue match at text[i], within text[0..b)? */
static int
cue_at(const struct recog *r, struct span text, size_t i, size_t b,
    pcre2_match_data *md)
{
	int rc;

	recog_jit(r, r->future);
	rc = pcre2_jit_match(r->future->code, (PCRE2_SPTR)text.p, b, i, 0, md,
	    r->mctx);
	if (rc == PCRE2_ERROR_JIT_BADOPTION)
		rc = pcre2_match(r->future->code, (PCRE2_SPTR)text.p, b, i, 0,
		    md, r->mctx);
	return rc > 0;
}

/* The first of dc->cue_at at or after pos (dc->ncue: none). */
static size_t
cue_from(const struct recog_dctx *dc, size_t pos)
{
	size_t lo = 0, hi = dc->ncue;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (dc->cue_at[mid] < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
future_sentence(const struct recog *r, struct span text, size_t start,
    size_t end, const struct recog_dctx *dc)
{
	size_t a = start, b = end;

	if (!r->future)
		return 0;
	/* No cue may start within CUE_BEFORE bytes before or CUE_AFTER
	 * after: the sentence's ends need no looking for. */
	if (dc->cue_at) {
		size_t lo =
		    cue_from(dc, start > CUE_BEFORE ? start - CUE_BEFORE : 0);

		if (lo == dc->ncue || dc->cue_at[lo] >= end + CUE_AFTER)
			return 0;
	}
	/* Only CUE_BEFORE bytes before and CUE_AFTER after count (see
	 * below): the sentence's ends are looked for no further. */
	while (a > 0 && start - a < CUE_BEFORE) {
		char c = text.p[a - 1];

		if (c == '\n')
			break;
		if ((c == '.' || c == '?' || c == '!' || c == ';') &&
		    a < text.len && text.p[a] == ' ' && a + 1 < text.len &&
		    isupper((unsigned char)text.p[a + 1]))
			break;
		a--;
	}
	while (b < text.len && b - end < CUE_AFTER) {
		char c = text.p[b];

		if (c == '\n')
			break;
		if ((c == '.' || c == '?' || c == '!' || c == ';') &&
		    (b + 1 >= text.len || text.p[b + 1] == ' '))
			break;
		b++;
	}
	if (start - a > CUE_BEFORE)
		a = start - CUE_BEFORE;
	if (b - end > CUE_AFTER)
		b = end + CUE_AFTER;
	/* The cue is anchored: try it where a word of its start= begins
	 * (dc->cue_at, from the tokens), else where any word starts. */
	if (dc->cue_at) {
		size_t lo = cue_from(dc, a);

		for (; lo < dc->ncue && dc->cue_at[lo] < b; lo++)
			if (cue_at(r, text, dc->cue_at[lo], b, dc->md))
				return 1;
		return 0;
	}
	for (size_t i = a; i < b; i++) {
		unsigned char c = (unsigned char)text.p[i];

		if (!(isalpha(c) || c == '\'') ||
		    (i > a && isalnum((unsigned char)text.p[i - 1])))
			continue;
		if (cue_at(r, text, i, b, dc->md))
			return 1;
	}
	return 0;
}

enum {
	MOD_NONE,
	MOD_PAST,
	MOD_PREV,
	MOD_THIS,
	MOD_NEXT,
	MOD_SOON,
	MOD_PREVWEEK
};

static int
mod_of(const struct recog *r, struct span s)
{
	const char *v = recog_lookup(r, L_DATEMOD, s.p, s.len);

	/* "for the day", "partner of the year": the current one. */
	if (!v && s.len == 3 && strncasecmp(s.p, "the", 3) == 0)
		return MOD_THIS;
	if (!v)
		return MOD_NONE;
	if (strcmp(v, "past") == 0)
		return MOD_PAST;
	if (strcmp(v, "prev") == 0)
		return MOD_PREV;
	if (strcmp(v, "this") == 0)
		return MOD_THIS;
	if (strcmp(v, "next") == 0)
		return MOD_NEXT;
	if (strcmp(v, "soon") == 0)
		return MOD_SOON;
	if (strcmp(v, "prevweek") == 0)
		return MOD_PREVWEEK;
	return MOD_NONE;
}

static int
valid(const struct ymd *v)
{
	if (v->y < 1 || v->y > 9999)
		return 0;
	if (v->prec >= 2 && (v->m < 1 || v->m > 12))
		return 0;
	if (v->prec >= 3 && (v->d < 1 || v->d > days_in_month(v->y, v->m)))
		return 0;
	return 1;
}

/* A month (and day) without a year. */
static int
resolve_month(struct ymd *v, const struct recog_dctx *dc, int mod, int future)
{
	int64_t pub = to_days(dc->py, dc->pm, dc->pd);

	v->y = dc->py;
	if (v->prec == 3) {
		int64_t c;

		if (v->d > days_in_month(v->y, v->m) && v->m == 2)
			v->y = dc->py - (dc->py % 4); /* Feb 29: a leap year */
		c = to_days(v->y, v->m, MIN(v->d, days_in_month(v->y, v->m)));
		if (mod == MOD_NEXT) {
			if (c < pub)
				v->y++;
		} else if (future) {
			/* "holders of record February 18" may lie just behind */
			if (c < pub - 31)
				v->y++;
		} else if (mod == MOD_PREV || mod == MOD_PAST) {
			if (c >= pub)
				v->y--;
		} else if (mod != MOD_THIS) {
			if (c > pub + RECOG_NEAR_FUTURE_DAYS)
				v->y--;
		}
		return 0;
	}
	switch (mod) {
	case MOD_PREV:
		if (v->m >= dc->pm)
			v->y--;
		break;
	case MOD_THIS:
		break;
	case MOD_NEXT:
		if (v->m <= dc->pm)
			v->y++;
		break;
	default:
		if (future && mod != MOD_PAST) {
			if (v->m < dc->pm)
				v->y++;
		} else if (v->m > dc->pm) {
			v->y--;
		}
	}
	return 0;
}

static int
resolve_weekday(struct ymd *v, const struct recog_dctx *dc, int wd, int mod,
    int wmod, int future)
{
	int64_t pub = to_days(dc->py, dc->pm, dc->pd);
	int pw = weekday_of(pub);
	int64_t monday = pub - (pw - 1), z;

	if (wmod != MOD_NONE) {
		int off = wmod == MOD_NEXT ? 1 : wmod == MOD_THIS ? 0 : -1;

		z = monday + 7 * off + (wd - 1);
	} else if (mod == MOD_NEXT) {
		z = monday + 7 + (wd - 1);
	} else if (mod == MOD_PREVWEEK) {
		z = monday - 7 + (wd - 1);
	} else if (mod == MOD_THIS) {
		z = monday + (wd - 1);
	} else if (mod == MOD_SOON) {
		z = pub + ((wd - pw + 7) % 7);
		if (z <= pub)
			z += 7;
	} else if (mod == MOD_PREV || mod == MOD_PAST) {
		z = pub - ((pw - wd + 7) % 7);
		if (z >= pub)
			z -= 7;
	} else if (future) {
		z = pub + ((wd - pw + 7) % 7);
		if (z <= pub)
			z += 7;
	} else {
		z = pub - ((pw - wd + 7) % 7);
	}
	*v = from_days(z);
	return 0;
}

static int
unit_of(const struct recog *r, struct span s, int list)
{
	const char *v = recog_lookup(r, list, s.p, s.len);

	if (!v)
		return 0;
	if (strcmp(v, "decade") == 0)
		return 'D'; /* not a d(ay) */
	return v[0]; /* d(ay), w(eek), m(onth), y(ear), f(ortnight), q, b */
}

static int
shift_from(struct ymd *v, struct ymd base, int unit, double n)
{
	int64_t pub = to_days(base.y, base.m, base.d);
	int k = (int)n;

	if (n != k && unit != 'y' && unit != 'm')
		return -1;
	switch (unit) {
	case 'd':
		*v = from_days(pub + k);
		return 0;
	case 'w':
		*v = from_days(pub + 7 * (int64_t)k);
		return 0;
	case 'f':
		*v = from_days(pub + 14 * (int64_t)k);
		return 0;
	case 'm':
		*v = add_months(base.y, base.m, base.d, k);
		return 0;
	case 'y':
		*v = add_months(base.y, base.m, base.d, 12 * k);
		return 0;
	case 'D':
		*v = add_months(base.y, base.m, base.d, 120 * k);
		return 0;
	case 'b': {
		int64_t z = pub;
		int step = k < 0 ? -1 : 1;

		for (int i = 0; i != k; i += step) {
			z += step;
			while (weekday_of(z) > 5)
				z += step;
		}
		*v = from_days(z);
		return 0;
	}
	default:
		return -1;
	}
}

/* Easter Sunday (anonymous Gregorian algorithm), as days since 1970. */
static int64_t
easter(int y)
{
	int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;

	return to_days(y, month, day);
}

/* The nth (n > 0) or last (n == 0) weekday wd of a month. */
static int64_t
nth_weekday(int y, int m, int wd, int n)
{
	int64_t z;

	if (n == 0) {
		z = to_days(y, m, days_in_month(y, m));
		return z - ((weekday_of(z) - wd + 7) % 7);
	}
	z = to_days(y, m, 1);
	z += (wd - weekday_of(z) + 7) % 7;
	return z + 7 * (int64_t)(n - 1);
}

/*
 * Days since 1970 of a date in the tabular Islamic calendar (30-year cycle
 * with leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29), counted from
 * the astronomical epoch, 622-07-15 Julian.
 */
static int64_t
hijri_days(int y, int m, int d)
{
	int64_t days = d + (int64_t)((59 * (m - 1) + 1) / 2) +
	    (int64_t)(y - 1) * 354 + (3 + 11 * (int64_t)y) / 30;

	/* 1948438.5 is the epoch's Julian day; 2440587.5 is 1970-01-01. */
	return days + 1948438 - 2440588;
}

/* The first date of Islamic month m, day d that falls in Gregorian y. */
static int
hijri_in(int64_t *out, int y, int m, int d)
{
	int guess = (int)((y - 622) * 33 / 32);

	for (int iy = guess - 2; iy <= guess + 2; iy++) {
		int64_t z = hijri_days(iy, m, d);
		struct ymd g = from_days(z);

		if (iy > 0 && g.y == y) {
			*out = z;
			return 0;
		}
	}
	return -1;
}

/* A holiday spec from holiday list (see dates.rules) in year y. */
static int
holiday_in(int64_t *out, const char *spec, int y)
{
	int a = 0, b = 0, c = 0, plus = 0;
	const char *p;

	if (sscanf(spec, "hijri:%d:%d", &a, &b) == 2)
		return hijri_in(out, y, a, b);

	if (strncmp(spec, "easter", 6) == 0) {
		*out = easter(y) + strtol(spec + 6, NULL, 10);
		return 0;
	}
	if (sscanf(spec, "nth:%d:%d:%d", &a, &b, &c) == 3) {
		p = strchr(spec + 4, '+');
		plus = p ? (int)strtol(p, NULL, 10) : 0;
		*out = nth_weekday(y, a, b, c) + plus;
		return 0;
	}
	if (sscanf(spec, "last:%d:%d", &a, &b) == 2) {
		*out = nth_weekday(y, a, b, 0);
		return 0;
	}
	if (sscanf(spec, "%d-%d", &a, &b) == 2 && a >= 1 && a <= 12 && b >= 1 &&
	    b <= days_in_month(y, a)) {
		*out = to_days(y, a, b);
		return 0;
	}
	return -1;
}

static int
holiday(struct ymd *v, const struct recog *r, const struct recog_match *m,
    struct span text, struct span g, const struct recog_dctx *dc, int mod,
    int future)
{
	const char *spec = recog_lookup(r, L_HOLIDAY, g.p, g.len);
	struct span gy;
	int64_t z, pub;
	int y;

	if (!spec)
		return -1;
	if (has(&gy, m, text, G_Y)) {
		y = parse_year(r, gy);
		if (y < 0 || holiday_in(&z, spec, y) != 0)
			return -1;
		*v = from_days(z);
		return 0;
	}
	if (!dc->py)
		return -1;
	if (has(&gy, m, text, G_YREL)) {
		int k = list_int(r, L_YEARREL, gy);

		if (k == INT_MIN || holiday_in(&z, spec, dc->py + k) != 0)
			return -1;
		*v = from_days(z);
		return 0;
	}
	pub = to_days(dc->py, dc->pm, dc->pd);
	y = dc->py;
	if (holiday_in(&z, spec, y) != 0)
		return -1;
	if ((mod == MOD_NEXT || mod == MOD_SOON ||
	        (future && mod == MOD_NONE)) &&
	    z <= pub) {
		if (holiday_in(&z, spec, y + 1) != 0)
			return -1;
	} else if ((mod == MOD_PREV || mod == MOD_PAST ||
	               mod == MOD_PREVWEEK) &&
	    z >= pub) {
		if (holiday_in(&z, spec, y - 1) != 0)
			return -1;
	} else if (mod == MOD_NONE && !future && z > pub) {
		if (holiday_in(&z, spec, y - 1) != 0)
			return -1;
	}
	*v = from_days(z);
	return 0;
}

/* "the first Friday of July", "the last Monday of next month". */
static int
nth_of(struct ymd *v, const struct recog *r, const struct recog_match *m,
    struct span text, struct span g, const struct recog_dctx *dc, int mod)
{
	static const char *const nths[] = { "last", "first", "second", "third",
		"fourth", "fifth" };
	struct span gw, gm, gy;
	int n = -1, wd, y, mo;
	int64_t z;

	for (size_t i = 0; i < countof(nths); i++)
		if (span_ieq(g, span_cstr(nths[i])))
			n = (int)i;
	if (n < 0 && isdigit((unsigned char)g.p[0]))
		n = g.p[0] - '0';
	if (n < 0 || !has(&gw, m, text, G_WD))
		return -1;
	wd = list_int(r, L_WEEKDAY, gw);
	if (wd < 1 || wd > 7)
		return -1;
	if (has(&gm, m, text, G_MON)) {
		mo = list_int(r, L_MONTH, gm);
		if (mo < 1 || mo > 12)
			return -1;
		if (has(&gy, m, text, G_Y))
			y = parse_year(r, gy);
		else if (dc->py)
			y = mo > dc->pm ? dc->py - 1 : dc->py;
		else
			return -1;
	} else {
		struct ymd t;

		if (!dc->py)
			return -1;
		t = add_months(dc->py, dc->pm, 1,
		    mod == MOD_NEXT                              ? 1
		        : mod == MOD_PREV || mod == MOD_PREVWEEK ? -1
		                                                 : 0);
		y = t.y;
		mo = t.m;
	}
	if (y < 1)
		return -1;
	z = nth_weekday(y, mo, wd, n);
	*v = from_days(z);
	return v->m == mo ? 0 : -1;
}

static int
shift(struct ymd *v, const struct recog_dctx *dc, int unit, double n)
{
	struct ymd base = { dc->py, dc->pm, dc->pd, 3 };

	return shift_from(v, base, unit, n);
}

static int
count_of(double *out, const struct recog *r, struct span g)
{
	const char *cv = recog_lookup(r, L_COUNT, g.p, g.len);
	struct recog_num num;

	if (cv) {
		*out = strtod(cv, NULL);
		return 0;
	}
	if (recog_parse_num(&num, r, g, 0) != 0 || num.value <= 0 ||
	    num.value > 1000)
		return -1;
	*out = num.value;
	return 0;
}

/* Apply "2 years 1 month 21 days" (groups n/unit, n2/unit2, n3/unit3). */
static int
shift_span(struct ymd *v, const struct recog *r, const struct recog_match *m,
    struct span text, struct ymd base, int sign)
{
	static const int ns[] = { G_N, G_N2, G_N3 };
	static const int us[] = { G_UNIT, G_UNIT2, G_UNIT3 };
	int any = 0;

	*v = base;
	for (size_t i = 0; i < countof(ns); i++) {
		struct span gn, gu;
		double n;
		int unit;

		if (!has(&gn, m, text, ns[i]) || !has(&gu, m, text, us[i]))
			continue;
		if (count_of(&n, r, gn) != 0)
			return -1;
		unit = unit_of(r, gu, L_PERIODS);
		if (shift_from(v, *v, unit, sign * n) != 0)
			return -1;
		any = 1;
	}
	return any ? 0 : -1;
}

/* A weekday and a day of the month: the nearest month where they agree. */
static int
weekday_day(struct ymd *v, const struct recog_dctx *dc, int wd, int d)
{
	for (int back = 0; back < 24; back++) {
		int k = back % 2 ? (back + 1) / 2 : -(back / 2);
		struct ymd t = add_months(dc->py, dc->pm, 1, k);

		if (d > days_in_month(t.y, t.m))
			continue;
		if (weekday_of(to_days(t.y, t.m, d)) == wd) {
			t.d = d;
			*v = t;
			return 0;
		}
	}
	return -1;
}

/* Whether the sentence speaks of the future, asked only when needed. */
/*
 * Does the sentence before start read as past or as a comparison
 * ("rose 5 pct in two days", "the first time in a decade")? Words in the
 * past_cue list, or ending in -ed, say so.
 */
static int
looks_back(const struct recog *r, struct span text, size_t start)
{
	size_t i = start;

	while (i > 0) {
		size_t e, b;

		while (i > 0 && !isalpha((unsigned char)text.p[i - 1])) {
			char c = text.p[i - 1];

			if (c == '\n' || c == '?' || c == '!' || c == ';' ||
			    (c == '.' && i < text.len && text.p[i] == ' '))
				return 0;
			i--;
		}
		e = i;
		while (i > 0 && isalpha((unsigned char)text.p[i - 1]))
			i--;
		b = i;
		if (e == b)
			break;
		if ((e - b >= 4 &&
		        tolower((unsigned char)text.p[e - 2]) == 'e' &&
		        tolower((unsigned char)text.p[e - 1]) == 'd') ||
		    recog_lookup(r, L_PAST_CUE, text.p + b, e - b))
			return 1;
	}
	return 0;
}

#define FUTURE lazy_future(&future_memo, have_pub, r, text, m, dc)

static int
lazy_future(int *memo, int have_pub, const struct recog *r, struct span text,
    const struct recog_match *m, const struct recog_dctx *dc)
{
	if (*memo < 0)
		*memo = have_pub && dc->md &&
		    future_sentence(r, text, m->start, m->end, dc);
	return *memo;
}

static int
interpret(struct ymd *v, const struct recog *r, const struct recog_match *m,
    struct span text, struct recog_dctx *dc)
{
	struct span g, gy, gm, gd, gwd;
	int have_pub = dc->py > 0, mod = MOD_NONE, wmod = MOD_NONE;
	int future_memo = -1;

	memset(v, 0, sizeof(*v));
	if (has(&g, m, text, G_MOD))
		mod = mod_of(r, g);
	if (has(&g, m, text, G_WMOD))
		wmod = mod_of(r, g);

	if (has(&g, m, text, G_SAME)) {
		struct span u;
		int unit = 0;

		if (!has(&u, m, text, G_UNIT))
			return -1;
		if (strchr("nfpba", tolower((unsigned char)u.p[0]))) {
			/* "the next day", "the day before": from the last date,
			 * else from publication. */
			int c = tolower((unsigned char)u.p[0]);
			int step = c == 'p' || c == 'b' ? -1 : 1;

			if (dc->lprec == 3) {
				*v = from_days(
				    to_days(dc->ly, dc->lm, dc->ld) + step);
				return 0;
			}
			if (!have_pub)
				return -1;
			*v = from_days(to_days(dc->py, dc->pm, dc->pd) + step);
			return 0;
		}
		unit = unit_of(r, u, L_PERIOD);
		if (!dc->lprec)
			return -1;
		v->y = dc->ly;
		v->m = dc->lm;
		v->d = dc->ld;
		v->prec = unit == 'y' ? 1 : unit == 'm' ? 2 : 3;
		if (v->prec > dc->lprec)
			return -1;
		return 0;
	}
	if (has(&g, m, text, G_REL)) {
		int off = list_int(r, L_RELDAY, g);

		if (!have_pub || off == INT_MIN)
			return -1;
		*v = from_days(to_days(dc->py, dc->pm, dc->pd) + off);
		return 0;
	}
	if (has(&g, m, text, G_ADIR)) {
		struct ymd base = { dc->ay, dc->am, dc->ad, 3 };
		int sign = tolower((unsigned char)g.p[0]) == 'b' ? -1 : 1;

		if (dc->aprec != 3)
			return -1;
		return shift_span(v, r, m, text, base, sign);
	}
	if (has(&g, m, text, G_N)) {
		struct span dir;
		struct ymd base = { dc->py, dc->pm, dc->pd, 3 };
		int sign;

		if (!have_pub || !has(&dir, m, text, G_DIR))
			return -1;
		if (span_ieq(dir, SPAN("in")) ||
		    span_ieq(dir, SPAN("within"))) {
			/* "the highest in two years" looks back: a future cue
			 * or at least no past or comparison word before. */
			if (!FUTURE && looks_back(r, text, m->start))
				return -1;
			sign = 1;
		} else {
			sign = list_int(r, L_DIRECTION, dir);
			if (sign == INT_MIN)
				return -1;
		}
		return shift_span(v, r, m, text, base, sign);
	}
	if (has(&g, m, text, G_UNIT)) {
		int unit = unit_of(r, g, L_PERIOD);
		int k = mod == MOD_NEXT || mod == MOD_SOON   ? 1
		    : mod == MOD_PREV || mod == MOD_PREVWEEK ? -1
		                                             : 0;
		int season = list_int(r, L_SEASON, g);

		if (!have_pub || mod == MOD_NONE || mod == MOD_PAST)
			return -1;
		/* "last spring", "this autumn", "next summer": the year of
		 * the season (its first month), the last one wholly past, this
		 * year's, the next one not yet begun */
		if (season != INT_MIN) {
			v->y = dc->py +
			    (k < 0          ? -(dc->pm <= season + 2)
			            : k > 0 ? (dc->pm >= season)
			                    : 0);
			v->prec = 1;
			return 0;
		}
		switch (unit) {
		case 'd':
		case 'w':
		case 'f':
			return shift(v, dc, unit, k);
		case 'm':
			*v = add_months(dc->py, dc->pm, 1, k);
			v->prec = 2;
			return 0;
		case 'y':
		case 'q':
			v->y = dc->py + k;
			v->prec = 1;
			if (unit == 'q') {
				*v = add_months(dc->py, dc->pm, 1, 3 * k);
				v->prec = 1;
			}
			return 0;
		default:
			return -1;
		}
	}
	if (has(&g, m, text, G_HOL))
		return holiday(v, r, m, text, g, dc, mod, FUTURE);
	if (has(&g, m, text, G_NTH))
		return nth_of(v, r, m, text, g, dc, mod);
	if (has(&g, m, text, G_QN) && !has(&gy, m, text, G_Y)) {
		/* "the fourth quarter": this year's, or next year's when the
		 * sentence looks ahead to a quarter already past. */
		int q = list_int(r, L_QUARTER, g);
		struct span yr;

		if (!have_pub || q < 1 || q > 4)
			return -1;
		/* "the fourth quarter of next year" */
		if (has(&yr, m, text, G_YREL)) {
			int k = list_int(r, L_YEARREL, yr);

			if (k == INT_MIN)
				return -1;
			v->y = dc->py + k;
			v->prec = 1;
			return valid(v) ? 0 : -1;
		}
		v->y = dc->py + (FUTURE && q < (dc->pm + 2) / 3);
		v->prec = 1;
		return 0;
	}
	if (has(&gy, m, text, G_Y)) {
		v->y = parse_year(r, gy);
		if (v->y < 0)
			return -1;
		v->prec = 1;
		if (has(&gm, m, text, G_MON) || has(&gm, m, text, G_MN)) {
			v->m = isdigit((unsigned char)gm.p[0])
			    ? span_digits(gm)
			    : list_int(r, L_MONTH, gm);
			v->prec = 2;
			if (has(&gd, m, text, G_D)) {
				v->d = parse_day(r, gd);
				v->prec = 3;
			}
			/* 21/04/2016: a first number over 12 is the day. */
			if (v->prec == 3 && isdigit((unsigned char)gm.p[0]) &&
			    v->m > 12 && v->d <= 12 && gy.p > gm.p) {
				int t = v->m;

				v->m = v->d;
				v->d = t;
			}
		}
		return valid(v) ? 0 : -1;
	}
	if (has(&gm, m, text, G_MON) || has(&gm, m, text, G_MN)) {
		struct span yr;

		v->m = isdigit((unsigned char)gm.p[0])
		    ? span_digits(gm)
		    : list_int(r, L_MONTH, gm);
		if (v->m < 1 || v->m > 31)
			return -1;
		v->prec = 2;
		if (has(&gd, m, text, G_D)) {
			v->d = parse_day(r, gd);
			v->prec = 3;
			if (isdigit((unsigned char)gm.p[0]) && v->m > 12 &&
			    v->d <= 12) {
				int t = v->m;

				v->m = v->d;
				v->d = t;
			}
			if (v->d < 1 || v->d > 31)
				return -1;
		}
		if (v->m > 12 || !have_pub)
			return -1;
		if (has(&yr, m, text, G_YREL)) {
			int k = list_int(r, L_YEARREL, yr);

			if (k == INT_MIN) {
				k = tolower((unsigned char)yr.p[0]) == 'l' ? -1
				    : tolower((unsigned char)yr.p[0]) == 'n'
				    ? 1
				    : 0;
			}
			v->y = dc->py + k;
			return valid(v) ? 0 : -1;
		}
		if (has(&gwd, m, text, G_WD))
			mod = MOD_NONE;
		if (mod == MOD_SOON)
			mod = MOD_NEXT;
		if (mod == MOD_PREVWEEK)
			mod = MOD_PREV;
		resolve_month(v, dc, mod, FUTURE);
		return valid(v) ? 0 : -1;
	}
	if (has(&gwd, m, text, G_WD)) {
		int wd = list_int(r, L_WEEKDAY, gwd);

		if (!have_pub || wd < 1 || wd > 7)
			return -1;
		if (has(&gd, m, text, G_D))
			return weekday_day(v, dc, wd, parse_day(r, gd));
		return resolve_weekday(v, dc, wd, mod, wmod, FUTURE);
	}
	if (has(&gd, m, text, G_D) && has(&g, m, text, G_DMOD)) {
		int k = mod_of(r, g);

		if (!have_pub)
			return -1;
		*v = add_months(dc->py, dc->pm, 1,
		    k == MOD_NEXT       ? 1
		        : k == MOD_PREV ? -1
		                        : 0);
		v->d = parse_day(r, gd);
		return valid(v) ? 0 : -1;
	}
	if (has(&gd, m, text, G_D)) {
		if (!have_pub)
			return -1;
		v->d = parse_day(r, gd);
		v->y = dc->py;
		v->m = dc->pm;
		v->prec = 3;
		if (v->d > dc->pd) {
			*v = add_months(dc->py, dc->pm, 1, -1);
			v->d = parse_day(r, gd);
			v->prec = 3;
		}
		return valid(v) ? 0 : -1;
	}
	return -1;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (prec 1, 2, 3) into out[11]; valid()
 * has checked the ranges. */
static void
ymd_format(char out[11], const struct ymd *v, int prec)
{
	/* unsigned: valid() has checked them, and the digits need no
	 * sign fix-ups */
	unsigned y = (unsigned)v->y, mo = (unsigned)v->m, d = (unsigned)v->d;

	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '\0';
	if (prec < 2)
		return;
	out[4] = '-';
	out[5] = (char)('0' + mo / 10 % 10);
	out[6] = (char)('0' + mo % 10);
	out[7] = '\0';
	if (prec < 3)
		return;
	out[7] = '-';
	out[8] = (char)('0' + d / 10 % 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int
recog_date(struct recog_out out[2], const struct recog *r,
    const struct recog_match *m, struct span text, struct recog_dctx *dc)
{
	struct ymd v;
	struct entity *e = &out[0].e;

	if (interpret(&v, r, m, text, dc) != 0 || !valid(&v))
		return 0;
	memset(&out[0], 0, sizeof(out[0]));
	e->type = ENT_DATE;
	e->start = m->start;
	e->end = m->end;
	ymd_format(e->date.value, &v, v.prec);
	dc->ly = v.y;
	dc->lm = v.m;
	dc->ld = v.d;
	dc->lprec = v.prec;
	return 1;
}

int
recog_date_anchored(const struct recog_match *m, struct span text)
{
	struct span g;

	return recog_group(&g, m, text, G_ADIR);
}

int
recog_date_in_week(char out[11], const char *day, int wd)
{
	int y, m, d;
	int64_t z;
	struct ymd v;

	if (wd < 1 || wd > 7 || strlen(day) != 10 ||
	    date_parse_ymd(day, &y, &m, &d) != DW_OK)
		return -1;
	z = to_days(y, m, d);
	/* 1970-01-01 (day 0) was a Thursday: Monday is (z + 3) % 7 == 0. */
	z -= ((z % 7) + 7 + 3) % 7;
	v = from_days(z + wd - 1);
	if (v.y < 1 || v.y > 9999)
		return -1;
	ymd_format(out, &v, 3);
	return 0;
}
