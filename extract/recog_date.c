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
list_int(const struct recog *r, const char *list, struct span s)
{
	const char *v = recog_lookup(r, list, s.p, s.len);

	return v ? (int)strtol(v, NULL, 10) : INT_MIN;
}

static int
has(struct span *out, const struct recog_match *m, struct span text,
    const char *name)
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

	if (s.len && s.p[0] == '\'') {
		s.p++;
		s.len--;
	}
	while (k < s.len && isdigit((unsigned char)s.p[k]))
		k++;
	if (k == s.len && (k == 2 || k == 4)) {
		int v = (int)strtol(s.p, NULL, 10);

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
	char tmp[64];
	size_t k = 0;

	if (s.len && isdigit((unsigned char)s.p[0]))
		return (int)strtol(s.p, NULL, 10);
	/* "twenty-first": the number words then the ordinal. */
	if (s.len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s.p, s.len);
	tmp[s.len] = '\0';
	k = s.len;
	(void)k;
	if (recog_parse_num(&n, r, s, 0) != 0 || n.value != (int)n.value)
		return -1;
	return (int)n.value;
}

/* Does the sentence around [start, end) speak of the future? */
static int
future_sentence(const struct recog *r, struct span text, size_t start,
    size_t end)
{
	size_t a = start, b = end;
	pcre2_match_data *md;
	int rc;

	if (!r->future)
		return 0;
	while (a > 0) {
		char c = text.p[a - 1];

		if (c == '\n')
			break;
		if ((c == '.' || c == '?' || c == '!' || c == ';') &&
		    a < text.len && text.p[a] == ' ' && a + 1 < text.len &&
		    isupper((unsigned char)text.p[a + 1]))
			break;
		a--;
	}
	while (b < text.len) {
		char c = text.p[b];

		if (c == '\n')
			break;
		if ((c == '.' || c == '?' || c == '!' || c == ';') &&
		    (b + 1 >= text.len || text.p[b + 1] == ' '))
			break;
		b++;
	}
	md = pcre2_match_data_create(4, NULL);
	rc = pcre2_match(r->future->code, (PCRE2_SPTR)text.p + a, b - a, 0, 0,
	    md, r->mctx);
	pcre2_match_data_free(md);
	return rc > 0;
}

enum { MOD_NONE, MOD_PAST, MOD_PREV, MOD_THIS, MOD_NEXT };

static int
mod_of(const struct recog *r, struct span s)
{
	const char *v = recog_lookup(r, "datemod", s.p, s.len);

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
resolve_month(struct ymd *v, const struct recog_dctx *dc, int mod,
    int future)
{
	int64_t pub = to_days(dc->py, dc->pm, dc->pd);

	v->y = dc->py;
	if (v->prec == 3) {
		int64_t c;

		if (v->d > days_in_month(v->y, v->m) && v->m == 2)
			v->y = dc->py - (dc->py % 4); /* Feb 29: a leap year */
		c = to_days(v->y, v->m, MIN(v->d, days_in_month(v->y, v->m)));
		if (mod == MOD_NEXT || future) {
			if (c < pub)
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
	} else if (mod == MOD_THIS) {
		z = monday + (wd - 1);
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
unit_of(const struct recog *r, struct span s, const char *list)
{
	const char *v = recog_lookup(r, list, s.p, s.len);

	if (!v)
		return 0;
	return v[0]; /* d(ay), w(eek), m(onth), y(ear), f(ortnight), q, b */
}

static int
shift(struct ymd *v, const struct recog_dctx *dc, int unit, double n)
{
	int64_t pub = to_days(dc->py, dc->pm, dc->pd);
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
		*v = add_months(dc->py, dc->pm, dc->pd, k);
		return 0;
	case 'y':
		*v = add_months(dc->py, dc->pm, dc->pd, 12 * k);
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

static int
interpret(struct ymd *v, const struct recog *r, const struct recog_match *m,
    struct span text, struct recog_dctx *dc)
{
	struct span g, gy, gm, gd, gwd;
	int have_pub = dc->py > 0, mod = MOD_NONE, wmod = MOD_NONE, future;

	memset(v, 0, sizeof(*v));
	future = have_pub && future_sentence(r, text, m->start, m->end);
	if (has(&g, m, text, "mod"))
		mod = mod_of(r, g);
	if (has(&g, m, text, "wmod"))
		wmod = mod_of(r, g);

	if (has(&g, m, text, "same")) {
		struct span u;
		int unit = 0;

		if (!has(&u, m, text, "unit"))
			return -1;
		if (tolower((unsigned char)u.p[0]) == 'n' ||
		    tolower((unsigned char)u.p[0]) == 'f' ||
		    tolower((unsigned char)u.p[0]) == 'p') {
			int step = tolower((unsigned char)u.p[0]) == 'p' ? -1 : 1;

			if (dc->lprec == 3) {
				*v = from_days(to_days(dc->ly, dc->lm, dc->ld) +
				    step);
				return 0;
			}
			return -1;
		}
		unit = unit_of(r, u, "period");
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
	if (has(&g, m, text, "rel")) {
		int off = list_int(r, "relday", g);

		if (!have_pub || off == INT_MIN)
			return -1;
		*v = from_days(to_days(dc->py, dc->pm, dc->pd) + off);
		return 0;
	}
	if (has(&g, m, text, "n")) {
		struct span u, dir;
		double n;
		int sign, unit;
		const char *cv;

		if (!have_pub || !has(&u, m, text, "unit") ||
		    !has(&dir, m, text, "dir"))
			return -1;
		cv = recog_lookup(r, "count", g.p, g.len);
		if (cv) {
			n = strtod(cv, NULL);
		} else {
			struct recog_num num;

			if (recog_parse_num(&num, r, g, 0) != 0)
				return -1;
			n = num.value;
		}
		if (n <= 0 || n > 1000)
			return -1;
		unit = unit_of(r, u, "periods");
		if (span_ieq(dir, SPAN("in")) || span_ieq(dir, SPAN("within"))) {
			/* "the highest in two years" looks back: need a cue. */
			if (!future)
				return -1;
			sign = 1;
		} else {
			sign = list_int(r, "direction", dir);
			if (sign == INT_MIN)
				return -1;
		}
		return shift(v, dc, unit, sign * n);
	}
	if (has(&g, m, text, "unit")) {
		int unit = unit_of(r, g, "period");
		int k = mod == MOD_NEXT ? 1 : mod == MOD_PREV ? -1 : 0;

		if (!have_pub || mod == MOD_NONE || mod == MOD_PAST)
			return -1;
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
	if (has(&gy, m, text, "y")) {
		v->y = parse_year(r, gy);
		if (v->y < 0)
			return -1;
		v->prec = 1;
		if (has(&gm, m, text, "mon") || has(&gm, m, text, "mn")) {
			v->m = isdigit((unsigned char)gm.p[0]) ?
			    (int)strtol(gm.p, NULL, 10) :
			    list_int(r, "month", gm);
			v->prec = 2;
			if (has(&gd, m, text, "d")) {
				v->d = parse_day(r, gd);
				v->prec = 3;
			}
			/* 21/04/2016: a first number over 12 is the day. */
			if (v->prec == 3 && isdigit((unsigned char)gm.p[0]) &&
			    v->m > 12 && v->d <= 12) {
				int t = v->m;

				v->m = v->d;
				v->d = t;
			}
		}
		return valid(v) ? 0 : -1;
	}
	if (has(&gm, m, text, "mon") || has(&gm, m, text, "mn")) {
		struct span yr;

		v->m = isdigit((unsigned char)gm.p[0]) ?
		    (int)strtol(gm.p, NULL, 10) : list_int(r, "month", gm);
		if (v->m < 1 || v->m > 12)
			return -1;
		v->prec = 2;
		if (has(&gd, m, text, "d")) {
			v->d = parse_day(r, gd);
			v->prec = 3;
			if (v->d < 1 || v->d > 31)
				return -1;
		}
		if (!have_pub)
			return -1;
		if (has(&yr, m, text, "yrel")) {
			int k = list_int(r, "yearrel", yr);

			if (k == INT_MIN) {
				k = tolower((unsigned char)yr.p[0]) == 'l' ? -1 :
				    tolower((unsigned char)yr.p[0]) == 'n' ? 1 : 0;
			}
			v->y = dc->py + k;
			return valid(v) ? 0 : -1;
		}
		resolve_month(v, dc, mod, future);
		return valid(v) ? 0 : -1;
	}
	if (has(&gwd, m, text, "wd")) {
		int wd = list_int(r, "weekday", gwd);

		if (!have_pub || wd < 1 || wd > 7)
			return -1;
		return resolve_weekday(v, dc, wd, mod, wmod, future);
	}
	if (has(&gd, m, text, "d")) {
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
	if (v.prec == 1)
		snprintf(e->date.value, sizeof(e->date.value), "%04d", v.y);
	else if (v.prec == 2)
		snprintf(e->date.value, sizeof(e->date.value), "%04d-%02d", v.y,
		    v.m);
	else
		snprintf(e->date.value, sizeof(e->date.value), "%04d-%02d-%02d",
		    v.y, v.m, v.d);
	dc->ly = v.y;
	dc->lm = v.m;
	dc->ld = v.d;
	dc->lprec = v.prec;
	return 1;
}
