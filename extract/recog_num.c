/*
 * recog_num.c: numbers as the recognizers read them, in digits ("1,750",
 * "12,34,567.89", "6-1/2") or in words ("one and a half", "twenty-seven"),
 * kept as exact decimals so "$1.1 billion" is 1100000000 exactly. The words
 * come from the number lists of numbers.rules.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extract/recog.h"

/* isdigit() and isspace() as the C locale has them, without a call. */
static inline int
c_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int
c_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
digits(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && c_digit((unsigned char)p[i]))
		i++;
	return (int)i;
}

/* "12", "12.5", "1,750", ".125", "14,3" (dec_comma): exact decimal. */
static int
parse_decimal(struct recog_num *out, const char *p, size_t n, int dec_comma)
{
	int64_t mant = 0;
	int frac = 0, ndig = 0, in_frac = 0, commas = 0, last_group = 0;
	size_t comma_at = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == ',') {
			commas++;
			comma_at = i;
			last_group = 0;
			if (in_frac)
				return -1;
			continue;
		}
		if (c == '.') {
			if (in_frac)
				return -1;
			in_frac = 1;
			continue;
		}
		if (!c_digit((unsigned char)c))
			return -1;
		if (ndig >= 18)
			return -1;
		mant = mant * 10 + (c - '0');
		ndig++;
		if (in_frac)
			frac++;
		else
			last_group++;
	}
	if (!ndig)
		return -1;
	/*
	 * NOTE: a single comma followed by one or two digits is a decimal
	 * comma ("€14,3bn") only where the caller says the text allows it.
	 */
	if (dec_comma && commas == 1 && !in_frac && last_group < 3 &&
	    n - comma_at - 1 == (size_t)last_group)
		frac = last_group;
	out->mant = mant;
	out->exp10 = -frac;
	out->exact = 1;
	/* 10^0 .. 10^18 are exact doubles, as pow() gives them, without
	 * the call (most amounts have a fraction). */
	{
		static const double ten[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
			1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
			1e17, 1e18 };

		out->value = (double)mant /
		    (frac < (int)countof(ten) ? ten[frac] : pow(10, frac));
	}
	return 0;
}

/* "5/8", "6-1/2", "6 1/2", "33-1/3". */
static int
parse_fraction(struct recog_num *out, const char *p, size_t n)
{
	const char *slash = memchr(p, '/', n);
	size_t i = 0;
	double whole = 0, num, den;
	int k;

	if (!slash)
		return -1;
	k = digits(p, n);
	if (!k)
		return -1;
	if ((size_t)k < n && (p[k] == '-' || p[k] == ' ')) {
		whole = strtod(p, NULL);
		i = (size_t)k + 1;
		while (i < n && p[i] == ' ')
			i++;
	}
	k = digits(p + i, n - i);
	if (!k || p + i + k != slash)
		return -1;
	num = strtod(p + i, NULL);
	i += (size_t)k + 1;
	k = digits(p + i, n - i);
	if (!k || i + (size_t)k != n)
		return -1;
	den = strtod(p + i, NULL);
	if (den == 0 || num >= den * 10)
		return -1;
	out->value = whole + num / den;
	out->exact = 0;
	return 0;
}

/*
 * Number words. List values: a number adds; "x100" multiplies the group;
 * "x1000" and larger close a group; "f0.5" is a fraction; "a", "and" and
 * "neg" are themselves.
 */
static int
parse_words(struct recog_num *out, const struct recog *r, const char *p,
    size_t n)
{
	double total = 0, cur = 0, sign = 1;
	int have = 0, prev_num = 0, saw_a = 0;
	size_t i = 0;

	while (i < n) {
		size_t j;
		const char *v;

		while (i < n &&
		    (c_space((unsigned char)p[i]) || p[i] == '-' ||
		        p[i] == ','))
			i++;
		j = i;
		while (j < n && !c_space((unsigned char)p[j]) && p[j] != '-' &&
		    p[j] != ',')
			j++;
		if (j == i)
			break;
		v = recog_lookup(r, L_NUMWORD, p + i, j - i);
		if (!v)
			v = recog_lookup(r, L_NUMGLUE, p + i, j - i);
		if (!v)
			v = recog_lookup(r, L_ORDWORD, p + i, j - i);
		if (!v)
			return -1;
		if (strcmp(v, "and") == 0 || strcmp(v, "of") == 0) {
			/* "one and a half", "a quarter of a (billion)" */
			prev_num = 0;
		} else if (strcmp(v, "a") == 0) {
			saw_a = 1;
			prev_num = 0;
		} else if (strcmp(v, "neg") == 0) {
			sign = -1;
		} else if (v[0] == 'x') {
			double m = strtod(v + 1, NULL);

			if (!have && !saw_a && !prev_num)
				cur = 1;
			if (cur == 0)
				cur = 1;
			if (m < 1000) {
				cur *= m;
			} else {
				total += cur * m;
				cur = 0;
			}
			have = 1;
			saw_a = 0;
			prev_num = 1;
		} else if (v[0] == 'f') {
			double f = strtod(v + 1, NULL);

			if (prev_num && cur > 0)
				cur *= f;
			else
				cur += f;
			have = 1;
			saw_a = 0;
			prev_num = 0;
		} else {
			char *end;
			double d;

			errno = 0;
			d = strtod(v, &end);
			if (errno || *end)
				return -1;
			/* "nineteen ninety" is a year-like pair: 1990. */
			if (prev_num && cur >= 10 && cur < 100 && d >= 10 &&
			    fmod(cur, 1) == 0)
				cur = cur * 100 + d;
			else
				cur += d;
			have = 1;
			saw_a = 0;
			prev_num = 1;
		}
		i = j;
	}
	if (saw_a && !have) {
		cur = 1;
		have = 1;
	}
	if (!have)
		return -1;
	out->value = sign * (total + cur);
	out->exact = 0;
	return 0;
}

int
recog_parse_num(struct recog_num *out, const struct recog *r, struct span s,
    int dec_comma)
{
	const char *p = s.p;
	size_t n = s.len;
	int neg = 0;

	memset(out, 0, sizeof(*out));
	while (n && c_space((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && c_space((unsigned char)p[n - 1]))
		n--;
	if (!n)
		return -1;
	if (p[0] == '-' && n > 1 &&
	    (c_digit((unsigned char)p[1]) || p[1] == '.')) {
		neg = 1;
		p++;
		n--;
	}
	if (c_digit((unsigned char)p[0]) || p[0] == '.') {
		/* Digits with spaces in them ("6 . 2") are tokenized text. */
		char tmp[64];
		size_t k = 0;
		int rc, slash = memchr(p, '/', n) != NULL;

		for (size_t i = 0; i < n; i++) {
			if (p[i] == ' ' && !slash)
				continue;
			if (k + 1 >= sizeof(tmp))
				return -1;
			tmp[k++] = p[i];
		}
		tmp[k] = '\0';
		/* (only spaces were left out) */
		if (slash)
			rc = parse_fraction(out, tmp, k);
		else
			rc = parse_decimal(out, tmp, k, dec_comma);
		if (rc == 0 && neg) {
			out->value = -out->value;
			out->mant = -out->mant;
		}
		return rc;
	}
	return parse_words(out, r, p, n);
}

double
recog_scale(const struct recog_num *n, double scale)
{
	long double v;

	if (!n->exact)
		return scale < 1 ? n->value / (1 / scale) : n->value * scale;
	v = (long double)n->mant;
	if (scale >= 1)
		v *= (long double)scale;
	else
		v /= (long double)llround(1 / scale);
	for (int i = 0; i < -n->exp10; i++)
		v /= 10;
	return (double)v;
}
