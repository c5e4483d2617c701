/*
 * feed_date.c: feed dates to UTC, handler by handler in feedparser's order
 * (W3CDTF, RFC 822, ISO 8601, asctime, Perforce, Hungarian, Greek, Korean).
 * A string no handler reads is no date: the current time is never used,
 * not even for a missing century or month.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fetch/feed_internal.h"

#define DATE_MAX 128 /* longer strings are no dates */

struct tok {
	const char *p;
	size_t n;
};

struct stamp {
	int64_t y;
	int mo, d, h, mi, s;
	int tzmin; /* offset east of UTC, minutes */
};

static int
is_ws(int c)
{
	/* ' ', or '\t' '\n' '\v' '\f' '\r' (9 to 13) */
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Python's int(): surrounding blanks, a sign, digits with single '_'. */
static int
py_int(const char *p, size_t n, long *out)
{
	long v = 0;
	int neg = 0, digits = 0, under = 0;

	while (n && is_ws((unsigned char)*p))
		p++, n--;
	while (n && is_ws((unsigned char)p[n - 1]))
		n--;
	if (n && (*p == '+' || *p == '-')) {
		neg = *p == '-';
		p++, n--;
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '_' && digits && !under && i + 1 < n) {
			under = 1;
			continue;
		}
		if (p[i] < '0' || p[i] > '9')
			return -1;
		under = 0;
		if (v > 100000000)
			return -1;
		v = v * 10 + (p[i] - '0');
		digits++;
	}
	if (!digits)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* Python's int(float(s)) for the plain decimal forms feeds use. */
static int
py_int_float(const char *p, size_t n, long *out)
{
	size_t i = 0, dot = 0;
	long v;

	while (n && is_ws((unsigned char)*p))
		p++, n--;
	while (n && is_ws((unsigned char)p[n - 1]))
		n--;
	if (n && (p[0] == '+' || p[0] == '-'))
		i = 1;
	for (; i < n; i++) {
		if (p[i] == '.' && !dot) {
			dot = i;
			continue;
		}
		if (p[i] < '0' || p[i] > '9')
			return -1;
	}
	if (dot)
		n = dot;
	if (n == 0 || (n == 1 && (p[0] == '+' || p[0] == '-')))
		return dot ? (*out = 0, 0) : -1;
	if (py_int(p, n, &v) != 0)
		return -1;
	*out = v;
	return 0;
}

/* Split on white space (and, for RFC 822, commas) into at most max. */
static size_t
split_ws(struct tok *t, size_t max, const char *p, size_t n, int commas)
{
	size_t k = 0, i = 0;

	while (i < n) {
		size_t j;

		while (i < n &&
		    (is_ws((unsigned char)p[i]) || (commas && p[i] == ',')))
			i++;
		if (i >= n)
			break;
		j = i;
		while (j < n && !is_ws((unsigned char)p[j]) &&
		    !(commas && p[j] == ','))
			j++;
		if (k == max)
			return max + 1;
		t[k].p = p + i;
		t[k].n = j - i;
		k++;
		i = j;
	}
	return k;
}

static int
tok_is(struct tok t, const char *s)
{
	return t.n == strlen(s) && memcmp(t.p, s, t.n) == 0;
}

static int
tok_prefix(struct tok t, const char *s)
{
	size_t n = strlen(s);

	return t.n >= n && memcmp(t.p, s, n) == 0;
}

/*
 * Datetime checks as Python's datetime() makes them, then the UTC
 * result, which must stay within years 1 to 9999.
 */
/* v as n decimal digits, zero-padded (v < 10^n). */
static void
put_digits(char *out, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

static int
stamp_out(char out[21], const struct stamp *st)
{
	int64_t t;
	int y;
	unsigned m, d;
	int64_t days, secs;

	if (st->y < 1 || st->y > 9999 || st->mo < 1 || st->mo > 12 ||
	    st->d < 1 || st->d > days_in_month((int)st->y, st->mo) ||
	    st->h < 0 || st->h > 23 || st->mi < 0 || st->mi > 59 || st->s < 0 ||
	    st->s > 59)
		return DW_EPARSE;
	if (st->tzmin == 0) {
		/* UTC already (most feeds' dates): a valid date and time
		 * come back from the day count as they went in */
		y = (int)st->y;
		m = (unsigned)st->mo;
		d = (unsigned)st->d;
		secs = st->h * 3600 + st->mi * 60 + st->s;
	} else {
		t = days_from_civil(st->y, (unsigned)st->mo, (unsigned)st->d) *
		        86400 +
		    st->h * 3600 + st->mi * 60 + st->s -
		    (int64_t)st->tzmin * 60;
		days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
		secs = t - days * 86400;
		civil_from_days(days, &y, &m, &d);
		if (y < 1 || y > 9999)
			return DW_EPARSE;
	}
	/* "%04u-%02u-%02uT%02u:%02u:%02uZ" by hand: every item's dates come
	 * through here, and snprintf cost more than the parsing. */
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(secs / 3600) % 24, 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(secs % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
	return DW_OK;
}

/* clang-format off */
static const struct { const char *name; int hours; } tz_names[] = {
	{ "a", -1 }, { "adt", -3 }, { "ast", -4 }, { "at", -4 },
	{ "cdt", -5 }, { "cst", -6 }, { "ct", -6 }, { "edt", -4 },
	{ "est", -5 }, { "et", -5 }, { "gmt", 0 }, { "m", -12 },
	{ "mdt", -6 }, { "mest", 2 }, { "met", 1 }, { "mst", -7 },
	{ "mt", -7 }, { "n", 1 }, { "pdt", -7 }, { "pst", -8 },
	{ "pt", -8 }, { "ut", 0 }, { "y", 12 }, { "z", 0 },
};
static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
/* clang-format on */

/* Named zones; the RFC 822 handler also knows MET and MEST. */
static int
tz_hours(struct tok t, int rfc822)
{
	for (size_t i = 0; i < countof(tz_names); i++)
		if (t.n && tz_names[i].name[0] == t.p[0] &&
		    tok_is(t, tz_names[i].name)) {
			if (!rfc822 && tz_names[i].name[1] == 'e' &&
			    tz_names[i].name[0] == 'm')
				return 0;
			return tz_names[i].hours;
		}
	return 0;
}

static int
month_of(struct tok t)
{
	if (t.n < 3)
		return 0;
	/* three bytes compared in place: every item's date comes here */
	for (int i = 0; i < 12; i++)
		if (t.p[0] == months[3 * i] && t.p[1] == months[3 * i + 1] &&
		    t.p[2] == months[3 * i + 2])
			return i + 1;
	return 0;
}

/* dst holds DATE_MAX + 1 bytes; callers refuse longer strings first. */
static void
lower_copy(char *dst, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	dst[n] = '\0';
}

/* "+hhmm", "-hh:mm" as feedparser slices them: [1:3] and [3:] or [4:]. */
static int
tz_numeric(struct tok t, int colon_at4, int *minutes)
{
	long h, m;
	size_t mstart = colon_at4 ? 4 : 3;

	if (t.n < 3 || py_int(t.p + 1, 2, &h) != 0)
		return -1;
	if (t.n < mstart || py_int(t.p + mstart, t.n - mstart, &m) != 0)
		return -1;
	*minutes = (int)(h * 60 + m);
	if (t.p[0] == '-')
		*minutes = -*minutes;
	return 0;
}

static int
digits_at(const char *s, size_t i, size_t k, int *v)
{
	int r = 0;

	for (size_t j = i; j < i + k; j++) {
		if (s[j] < '0' || s[j] > '9')
			return 0;
		r = r * 10 + (s[j] - '0');
	}
	*v = r;
	return 1;
}

/*
 * The form nearly every feed writes, "Mon, 01 Sep 2025 08:00:00 GMT" (or
 * "+hhmm", "-hhmm" for the zone), read at its fixed places: what the
 * general path below makes of it, without splitting and looking up.
 */
static int
rfc822_plain(const char *s, size_t n, struct stamp *st)
{
	static const char days[] = "montuewedthufrisatsun";
	char low[4];
	int y, tzh, tzm;
	size_t i;

	if ((n != 29 && n != 31) || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
	    s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
	    s[25] != ' ')
		return 0;
	lower_copy(low, s, 3);
	for (i = 0; i < 21; i += 3)
		if (!memcmp(low, days + i, 3))
			break;
	if (i == 21)
		return 0;
	memset(st, 0, sizeof(*st));
	if (!digits_at(s, 5, 2, &st->d) || !digits_at(s, 12, 4, &y) ||
	    !digits_at(s, 17, 2, &st->h) || !digits_at(s, 20, 2, &st->mi) ||
	    !digits_at(s, 23, 2, &st->s))
		return 0;
	st->y = y;
	lower_copy(low, s + 8, 3);
	st->mo = month_of((struct tok){ low, 3 });
	if (!st->mo)
		return 0;
	if (n == 29) {
		lower_copy(low, s + 26, 3);
		return !memcmp(low, "gmt", 3);
	}
	if ((s[26] != '+' && s[26] != '-') || !digits_at(s, 27, 2, &tzh) ||
	    !digits_at(s, 29, 2, &tzm))
		return 0;
	st->tzmin = tzh * 60 + tzm;
	if (s[26] == '-')
		st->tzmin = -st->tzmin;
	return 1;
}

static int
parse_rfc822(char out[21], const char *s, size_t n)
{
	char low[DATE_MAX + 1], zone[DATE_MAX + 1];
	struct tok t[12];
	struct tok tz;
	size_t k, first = 0;
	long day, year, hms[3] = { 0, 0, 0 };
	int month;
	struct stamp st;

	if (n > DATE_MAX)
		return DW_EPARSE;
	if (rfc822_plain(s, n, &st))
		return stamp_out(out, &st);
	lower_copy(low, s, n);
	k = split_ws(t, 10, low, n, 1);
	if (k == 0 || k > 10)
		return DW_EPARSE;
	if (k < 5) {
		t[k++] = (struct tok){ "00:00:00", 8 };
		t[k++] = (struct tok){ "0000", 4 };
	}
	if (t[0].n >= 3) {
		static const char *const days[] = { "mon", "tue", "wed", "thu",
			"fri", "sat", "sun" };
		for (size_t i = 0; i < countof(days); i++)
			if (memcmp(t[0].p, days[i], 3) == 0)
				first = 1;
	}
	if (k - first < 5)
		return DW_EPARSE;
	month = month_of(t[first + 1]);
	if (py_int(t[first].p, t[first].n, &day) != 0) {
		if (!month_of(t[first]) ||
		    py_int(t[first + 1].p, t[first + 1].n, &day) != 0)
			return DW_EPARSE;
		month = month_of(t[first]);
	}
	if (!month)
		return DW_EPARSE;
	if (py_int(t[first + 2].p, t[first + 2].n, &year) != 0)
		return DW_EPARSE;
	if (t[first + 2].n <= 2)
		year += year < 90 ? 2000 : 1900;
	{
		struct tok tm = t[first + 3];
		size_t f = 0, st0 = 0;

		for (size_t i = 0; i <= tm.n; i++) {
			if (i < tm.n && tm.p[i] != ':')
				continue;
			if (f == 3 || py_int(tm.p + st0, i - st0, &hms[f]) != 0)
				return DW_EPARSE;
			f++;
			st0 = i + 1;
		}
	}
	tz = t[first + 4];
	if (tok_prefix(tz, "etc/")) {
		tz.p += 4;
		tz.n -= 4;
	}
	if (tok_prefix(tz, "gmt")) {
		size_t z = 0;

		for (size_t i = 3; i < tz.n; i++)
			if (tz.p[i] != ':')
				zone[z++] = tz.p[i];
		zone[z] = '\0';
		tz = z ? (struct tok){ zone, z } : (struct tok){ "gmt", 3 };
	}
	memset(&st, 0, sizeof(st));
	if (tz.n && (tz.p[0] == '-' || tz.p[0] == '+')) {
		if (tz_numeric(tz, memchr(tz.p, ':', tz.n) != NULL,
		        &st.tzmin) != 0)
			return DW_EPARSE;
	} else {
		st.tzmin = tz_hours(tz, 1) * 60;
	}
	st.y = year;
	st.mo = month;
	st.d = (int)day;
	st.h = (int)hms[0];
	st.mi = (int)hms[1];
	st.s = (int)hms[2];
	return stamp_out(out, &st);
}

static int
parse_w3dtf(char out[21], const char *s, size_t n)
{
	char low[DATE_MAX + 1];
	struct tok parts[4], date[3], tm[3];
	size_t np = 0, nd = 0, ntm = 0;
	struct tok tzt = { "", 0 };
	long v[3], hms[3];
	struct stamp st;
	int have_tz_part = 0;

	/* its year comes first, four characters py_int() reads (the string
	 * starts with no blank): a digit or a '+' (an RFC 822 date is no
	 * W3C-DTF one) */
	if (n > DATE_MAX || !n ||
	    !((s[0] >= '0' && s[0] <= '9') || s[0] == '+'))
		return DW_EPARSE;
	lower_copy(low, s, n);
	{
		const char *t1 = memchr(low, 't', n);

		if (t1) {
			if (memchr(t1 + 1, 't', n - (size_t)(t1 + 1 - low)))
				return DW_EPARSE;
			parts[0] = (struct tok){ low, (size_t)(t1 - low) };
			parts[1] =
			    (struct tok){ t1 + 1, n - (size_t)(t1 + 1 - low) };
			np = 2;
		} else {
			np = split_ws(parts, 3, low, n, 0);
			if (np == 0 || np > 3)
				return DW_EPARSE;
			if (np == 1)
				parts[np++] = (struct tok){ "00:00:00z", 9 };
		}
	}
	if (np == 3) {
		tzt = parts[2];
		have_tz_part = 1;
	}
	/* date = parts[0].split('-', 2) */
	{
		struct tok d = parts[0];
		size_t st0 = 0;

		for (size_t i = 0; i <= d.n; i++) {
			if (i < d.n && (d.p[i] != '-' || nd == 2))
				continue;
			date[nd++] = (struct tok){ d.p + st0, i - st0 };
			st0 = i + 1;
		}
	}
	if (date[0].n != 4)
		return DW_EPARSE;
	while (nd < 3)
		date[nd++] = (struct tok){ "1", 1 };
	for (int i = 0; i < 3; i++)
		if (py_int(date[i].p, date[i].n, &v[i]) != 0)
			return DW_EPARSE;
	if (parts[1].n && parts[1].p[parts[1].n - 1] == 'z') {
		parts[1].n--;
		if (!have_tz_part) {
			tzt = (struct tok){ "z", 1 };
			have_tz_part = 1;
		}
	}
	{
		struct tok t = parts[1];
		const char *m = memchr(t.p, '-', t.n);
		size_t loc;

		if (!m)
			m = memchr(t.p, '+', t.n);
		loc = m ? (size_t)(m - t.p) : t.n;
		if (!have_tz_part)
			tzt = (struct tok){ t.p + loc, t.n - loc };
		parts[1].n = loc;
	}
	{
		struct tok t = parts[1];
		size_t st0 = 0;

		for (size_t i = 0; i <= t.n; i++) {
			if (i < t.n && (t.p[i] != ':' || ntm == 2))
				continue;
			tm[ntm++] = (struct tok){ t.p + st0, i - st0 };
			st0 = i + 1;
		}
		while (ntm < 3)
			tm[ntm++] = (struct tok){ "0", 1 };
	}
	memset(&st, 0, sizeof(st));
	if (tzt.n && (tzt.p[0] == '-' || tzt.p[0] == '+')) {
		if (tz_numeric(tzt, 1, &st.tzmin) != 0)
			return DW_EPARSE;
	} else {
		st.tzmin = tz_hours(tzt, 0) * 60;
	}
	for (int i = 0; i < 3; i++)
		if (py_int_float(tm[i].p, tm[i].n, &hms[i]) != 0)
			return DW_EPARSE;
	st.y = v[0];
	st.mo = (int)v[1];
	st.d = (int)v[2];
	st.h = (int)hms[0];
	st.mi = (int)hms[1];
	st.s = (int)hms[2];
	return stamp_out(out, &st);
}

/*
 * ISO 8601 in the forms feedparser's templates list, but matched as a
 * whole (a template that matches only a prefix reads garbage), with no
 * field taken from the clock and out-of-range fields refused.
 */
struct iso {
	long year, month, day, ordinal, hour, minute, second;
	int have_month, have_day, have_ordinal, century, two_digit;
	int tz_sign;
	long tzh, tzm;
};

static int
digits(const char **p, const char *end, int n, long *v)
{
	long x = 0;

	for (int i = 0; i < n; i++) {
		if (*p + i >= end || (*p)[i] < '0' || (*p)[i] > '9')
			return 0;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return 1;
}

/* The optional time that may follow every template, up to the end. */
static int
iso_time(const char *p, const char *end, struct iso *r)
{
	long frac;

	if (p == end)
		return 1;
	if (*p == 'T') {
		p++;
		/* ISO 8601's basic format: "T140509" */
		if (end - p >= 4 && p[2] != ':') {
			if (!digits(&p, end, 2, &r->hour) ||
			    !digits(&p, end, 2, &r->minute))
				return 0;
			if (p < end && *p >= '0' && *p <= '9' &&
			    !digits(&p, end, 2, &r->second))
				return 0;
			goto frac;
		}
	}
	if (!digits(&p, end, 2, &r->hour) || p >= end || *p++ != ':' ||
	    !digits(&p, end, 2, &r->minute))
		return 0;
	if (p < end && *p == ':') {
		p++;
		if (!digits(&p, end, 2, &r->second))
			return 0;
	}
frac:
	if (p < end && *p == '.') {
		const char *q = ++p;

		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == q)
			return 0;
		(void)frac;
	}
	if (p < end && *p == 'Z') {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		r->tz_sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, end, 2, &r->tzh))
			return 0;
		if (p < end && *p == ':') {
			p++;
			if (!digits(&p, end, 2, &r->tzm))
				return 0;
		}
	}
	return p == end;
}

/*
 * Templates as tokens: Y year of four, y year of two, M month, D day,
 * O ordinal, C century, '-' a hyphen, '?' an optional hyphen, '0' a zero,
 * 'm' an optional month.
 */
static int
iso_match(const char *t, const char *p, const char *end, struct iso r,
    struct iso *out)
{
	for (;; t++) {
		switch (*t) {
		case '\0':
			if (!iso_time(p, end, &r))
				return 0;
			*out = r;
			return 1;
		case 'Y':
			if (!digits(&p, end, 4, &r.year))
				return 0;
			break;
		case 'y':
			if (!digits(&p, end, 2, &r.year))
				return 0;
			r.two_digit = 1;
			break;
		case 'M':
			if (p >= end || (*p != '0' && *p != '1') ||
			    !digits(&p, end, 2, &r.month))
				return 0;
			r.have_month = 1;
			break;
		case 'm':
			if (p < end && (*p == '0' || *p == '1')) {
				struct iso with = r;
				const char *q = p;

				if (digits(&q, end, 2, &with.month)) {
					with.have_month = 1;
					if (iso_match(t + 1, q, end, with, out))
						return 1;
				}
			}
			break;
		case 'D':
			if (p >= end || *p < '0' || *p > '3' ||
			    !digits(&p, end, 2, &r.day))
				return 0;
			r.have_day = 1;
			break;
		case 'O':
			if (p >= end || *p < '0' || *p > '3' ||
			    !digits(&p, end, 3, &r.ordinal))
				return 0;
			r.have_ordinal = 1;
			break;
		case 'C':
			if (!digits(&p, end, 2, &r.year) || p != end)
				return 0;
			r.century = 1;
			break;
		case '-':
		case '0':
			if (p >= end || *p != *t)
				return 0;
			p++;
			break;
		case '?':
			if (p < end && *p == '-' &&
			    iso_match(t + 1, p + 1, end, r, out))
				return 1;
			break;
		}
	}
}

static int
parse_iso8601(char out[21], const char *s, size_t n)
{
	static const char *const tmpl[] = { "Y?M?D", "Y-0m?D", "Y-M", "Y?O",
		"y?M?D", "y?O", "Y", "-y?M", "C" };
	const char *end = s + n;
	struct iso r;
	struct stamp st;
	int64_t days;
	int y;
	unsigned m, d;

	for (size_t i = 0; i < countof(tmpl); i++) {
		memset(&r, 0, sizeof(r));
		if (!iso_match(tmpl[i], s, end, r, &r))
			continue;
		if (r.two_digit)
			r.year += 2000;
		if (r.century)
			r.year = (r.year - 1) * 100 + 1;
		memset(&st, 0, sizeof(st));
		if (r.have_ordinal && !r.have_month) {
			if (r.ordinal < 1 || r.ordinal > 366 || r.year < 1)
				return DW_EPARSE;
			days = days_from_civil(r.year, 1, 1) + r.ordinal - 1;
			civil_from_days(days, &y, &m, &d);
			st.y = y;
			st.mo = (int)m;
			st.d = (int)d;
		} else {
			st.y = r.year;
			st.mo = r.have_month ? (int)r.month : 1;
			st.d = r.have_day ? (int)r.day : 1;
		}
		st.h = (int)r.hour;
		st.mi = (int)r.minute;
		st.s = (int)r.second;
		if (r.tz_sign)
			st.tzmin = r.tz_sign * (int)(r.tzh * 60 + r.tzm);
		return stamp_out(out, &st);
	}
	return DW_EPARSE;
}

static int
parse_asctime(char out[21], const char *s, size_t n)
{
	struct tok t[8];
	char tmp[DATE_MAX * 2];
	size_t k = split_ws(t, 6, s, n, 0);
	int len;

	if (k == 5) {
		t[5] = t[4];
		t[4] = (struct tok){ "+0000", 5 };
		k = 6;
	}
	if (k != 6)
		return DW_EPARSE;
	len = snprintf(tmp, sizeof(tmp), "%.*s %.*s %.*s %.*s %.*s %.*s",
	    (int)t[0].n, t[0].p, (int)t[2].n, t[2].p, (int)t[1].n, t[1].p,
	    (int)t[5].n, t[5].p, (int)t[3].n, t[3].p, (int)t[4].n, t[4].p);
	if (len < 0 || (size_t)len >= sizeof(tmp))
		return DW_EPARSE;
	return parse_rfc822(out, tmp, (size_t)len);
}

static int
is_word(int c)
{
	return isalnum(c) || c == '_';
}

/* "Fri, 2006/09/15 08:19:53 EDT", anywhere in the string. */
static int
parse_perforce(char out[21], const char *s, size_t n)
{
	const char *end = s + n;
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

	for (const char *c = s; c + 1 < end; c++) {
		const char *p = c + 2, *w = c, *z;
		long f[6];
		int wid[6] = { 4, 2, 2, 2, 2, 2 };
		char sep[6] = { '/', '/', ' ', ':', ':', ' ' };
		char tmp[96];
		int len, ok = 1;

		if (c[0] != ',' || c[1] != ' ')
			continue;
		while (w > s && c - w < 3 && is_word((unsigned char)w[-1]))
			w--;
		for (int i = 0; i < 6 && ok; i++) {
			const char *q = p;
			long v = 0;

			while (
			    p < end && p - q < wid[i] && *p >= '0' && *p <= '9')
				v = v * 10 + (*p++ - '0');
			if ((i == 2 || i >= 4) && p - q != 2)
				ok = 0;
			f[i] = v;
			if (p >= end || *p != sep[i])
				ok = 0;
			p++;
		}
		if (!ok || f[1] < 1 || f[1] > 12)
			continue;
		z = p;
		while (p < end && p - z < 3 && is_word((unsigned char)*p))
			p++;
		len = snprintf(tmp, sizeof(tmp),
		    "%.*s, %ld %s %ld %ld:%ld:%ld %.*s", (int)(c - w), w, f[2],
		    mon[f[1] - 1], f[0], f[3], f[4], f[5], (int)(p - z), z);
		if (len < 0 || (size_t)len >= sizeof(tmp))
			return DW_EPARSE;
		return parse_rfc822(out, tmp, (size_t)len);
	}
	return DW_EPARSE;
}

/* clang-format off */
static const struct { const char *name, *std; } hu_months[] = {
	{ "janu\u00e1r", "01" }, { "febru\u00e1ri", "02" },
	{ "m\u00e1rcius", "03" }, { "\u00e1prilis", "04" },
	{ "m\u00e1ujus", "05" }, { "j\u00fanius", "06" },
	{ "j\u00falius", "07" }, { "augusztus", "08" },
	{ "szeptember", "09" }, { "okt\u00f3ber", "10" },
	{ "november", "11" }, { "december", "12" },
};
static const struct { const char *name, *std; } gr_months[] = {
	{ "\u0399\u03b1\u03bd", "Jan" }, { "\u03a6\u03b5\u03b2", "Feb" },
	{ "\u039c\u03ac\u03ce", "Mar" }, { "\u039c\u03b1\u03ce", "Mar" },
	{ "\u0391\u03c0\u03c1", "Apr" }, { "\u039c\u03ac\u03b9", "May" },
	{ "\u039c\u03b1\u03ca", "May" }, { "\u039c\u03b1\u03b9", "May" },
	{ "\u0399\u03bf\u03cd\u03bd", "Jun" }, { "\u0399\u03bf\u03bd", "Jun" },
	{ "\u0399\u03bf\u03cd\u03bb", "Jul" }, { "\u0399\u03bf\u03bb", "Jul" },
	{ "\u0391\u03cd\u03b3", "Aug" }, { "\u0391\u03c5\u03b3", "Aug" },
	{ "\u03a3\u03b5\u03c0", "Sep" }, { "\u039f\u03ba\u03c4", "Oct" },
	{ "\u039d\u03bf\u03ad", "Nov" }, { "\u039d\u03bf\u03b5", "Nov" },
	{ "\u0394\u03b5\u03ba", "Dec" },
};
static const struct { const char *name, *std; } gr_days[] = {
	{ "\u039a\u03c5\u03c1", "Sun" }, { "\u0394\u03b5\u03c5", "Mon" },
	{ "\u03a4\u03c1\u03b9", "Tue" }, { "\u03a4\u03b5\u03c4", "Wed" },
	{ "\u03a0\u03b5\u03bc", "Thu" }, { "\u03a0\u03b1\u03c1", "Fri" },
	{ "\u03a3\u03b1\u03b2", "Sat" },
};
/* clang-format on */

static int
run_digits(const char **p, const char *end, int min, int max)
{
	int k = 0;

	while (*p < end && k < max && **p >= '0' && **p <= '9')
		(*p)++, k++;
	return k >= min;
}

static int
skip_ws1(const char **p, const char *end)
{
	const char *q = *p;

	while (*p < end && is_ws((unsigned char)**p))
		(*p)++;
	return *p > q;
}

/* "2004-július-13T9:15-05:00" */
static int
parse_hungarian(char out[21], const char *s, size_t n)
{
	const char *p = s, *end = s + n, *y, *mo, *moe, *d, *h, *mi, *z, *ze;
	char tmp[96];
	const char *std = NULL;
	int len;

	y = p;
	if (!run_digits(&p, end, 4, 4) || p >= end || *p++ != '-')
		return DW_EPARSE;
	mo = p;
	while (p < end && *p != '-')
		p++;
	moe = p;
	if (moe == mo || p >= end || *p++ != '-')
		return DW_EPARSE;
	d = p;
	run_digits(&p, end, 0, 2);
	if (p >= end || *p != 'T')
		return DW_EPARSE;
	len = (int)(p - d);
	p++;
	h = p;
	run_digits(&p, end, 0, 2);
	if (p >= end || *p++ != ':')
		return DW_EPARSE;
	mi = p;
	if (!run_digits(&p, end, 2, 2) || p >= end || (*p != '+' && *p != '-'))
		return DW_EPARSE;
	z = p++;
	run_digits(&p, end, 0, 2);
	if (p >= end || *p++ != ':' || !run_digits(&p, end, 2, 2))
		return DW_EPARSE;
	ze = p;
	for (size_t i = 0; i < countof(hu_months); i++)
		if (strlen(hu_months[i].name) == (size_t)(moe - mo) &&
		    memcmp(hu_months[i].name, mo, (size_t)(moe - mo)) == 0)
			std = hu_months[i].std;
	if (!std)
		return DW_EPARSE;
	{
		int hl = (int)(mi - 1 - h);

		len =
		    snprintf(tmp, sizeof(tmp), "%.4s-%s-%s%.*sT%s%.*s:%.2s%.*s",
		        y, std, len == 1 ? "0" : "", len, d, hl == 1 ? "0" : "",
		        hl, h, mi, (int)(ze - z), z);
	}
	if (len < 0 || (size_t)len >= sizeof(tmp))
		return DW_EPARSE;
	return parse_w3dtf(out, tmp, (size_t)len);
}

/* "Κυρ, 11 Ιούλ 2004 12:00:00 EST" */
static int
parse_greek(char out[21], const char *s, size_t n)
{
	const char *p = s, *end = s + n, *wd, *day, *mon, *mone, *rest;
	const char *wname = NULL, *mname = NULL;
	char tmp[128];
	int len;

	wd = p;
	while (p < end && *p != ',')
		p++;
	if (p == wd || p >= end)
		return DW_EPARSE;
	for (size_t i = 0; i < countof(gr_days); i++)
		if (strlen(gr_days[i].name) == (size_t)(p - wd) &&
		    memcmp(gr_days[i].name, wd, (size_t)(p - wd)) == 0)
			wname = gr_days[i].std;
	p++;
	if (!wname || !skip_ws1(&p, end))
		return DW_EPARSE;
	day = p;
	if (!run_digits(&p, end, 2, 2) || !skip_ws1(&p, end))
		return DW_EPARSE;
	mon = p;
	while (p < end && !is_ws((unsigned char)*p))
		p++;
	mone = p;
	for (size_t i = 0; i < countof(gr_months); i++)
		if (strlen(gr_months[i].name) == (size_t)(mone - mon) &&
		    memcmp(gr_months[i].name, mon, (size_t)(mone - mon)) == 0)
			mname = gr_months[i].std;
	if (!mname || !skip_ws1(&p, end))
		return DW_EPARSE;
	rest = p;
	len = snprintf(tmp, sizeof(tmp), "%s, %.2s %s %.*s", wname, day, mname,
	    (int)(end - rest), rest);
	if (len < 0 || (size_t)len >= sizeof(tmp))
		return DW_EPARSE;
	return parse_rfc822(out, tmp, (size_t)len);
}

#define KO_YEAR "\ub144"
#define KO_MONTH "\uc6d4"
#define KO_DAY "\uc77c"
#define KO_AM "\uc624\uc804"
#define KO_PM "\uc624\ud6c4"

static int
lit(const char **p, const char *end, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return 0;
	*p += n;
	return 1;
}

/* OnBlog "2004년 05월 28일  01:31:15" and Nate "2004-05-25 오후 11:23:17". */
static int
parse_korean(char out[21], const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	long f[6];
	char tmp[64];
	int len, pm = 0;

	if (!digits(&p, end, 4, &f[0]))
		return DW_EPARSE;
	if (lit(&p, end, KO_YEAR)) {
		if (!skip_ws1(&p, end) || !digits(&p, end, 2, &f[1]) ||
		    !lit(&p, end, KO_MONTH) || !skip_ws1(&p, end) ||
		    !digits(&p, end, 2, &f[2]) || !lit(&p, end, KO_DAY) ||
		    !skip_ws1(&p, end) || !digits(&p, end, 2, &f[3]) ||
		    !lit(&p, end, ":") || !digits(&p, end, 2, &f[4]) ||
		    !lit(&p, end, ":") || !digits(&p, end, 2, &f[5]))
			return DW_EPARSE;
	} else {
		if (!lit(&p, end, "-") || !digits(&p, end, 2, &f[1]) ||
		    !lit(&p, end, "-") || !digits(&p, end, 2, &f[2]) ||
		    !skip_ws1(&p, end))
			return DW_EPARSE;
		if (lit(&p, end, KO_PM))
			pm = 1;
		else if (!lit(&p, end, KO_AM))
			return DW_EPARSE;
		if (!skip_ws1(&p, end))
			return DW_EPARSE;
		for (int i = 3; i < 6; i++) {
			const char *q = p;

			f[i] = 0;
			while (p < end && p - q < 2 && *p >= '0' && *p <= '9')
				f[i] = f[i] * 10 + (*p++ - '0');
			if (i < 5 && !lit(&p, end, ":"))
				return DW_EPARSE;
		}
		if (pm)
			f[3] += 12;
	}
	len = snprintf(tmp, sizeof(tmp),
	    "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld+09:00", f[0], f[1], f[2], f[3],
	    f[4], f[5]);
	if (len < 0 || (size_t)len >= sizeof(tmp))
		return DW_EPARSE;
	return parse_w3dtf(out, tmp, (size_t)len);
}

int
feed__parse_date(char out[21], const char *s, size_t n)
{
	static int (*const handlers[])(char *, const char *, size_t) = {
		parse_w3dtf,
		parse_rfc822,
		parse_iso8601,
		parse_asctime,
		parse_perforce,
		parse_hungarian,
		parse_greek,
		parse_korean,
	};

	while (n && is_ws((unsigned char)*s))
		s++, n--;
	while (n && is_ws((unsigned char)s[n - 1]))
		n--;
	out[0] = '\0';
	if (n == 0 || n > DATE_MAX || memchr(s, '\0', n))
		return DW_EPARSE;
	for (size_t i = 0; i < countof(handlers); i++)
		if (handlers[i](out, s, n) == DW_OK)
			return DW_OK;
	out[0] = '\0';
	return DW_EPARSE;
}
