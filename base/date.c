/*
 * date.c: civil calendar arithmetic (Howard Hinnant's days_from_civil) and
 * strict YYYY-MM-DD parsing. No time zones, no clock.
 */
#include "base.h"

int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yy + (*m <= 2));
}

int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

int
date_parse_ymd(const char *s, int *y, int *m, int *d)
{
	int v[3] = { 0, 0, 0 };
	const int width[3] = { 4, 2, 2 };

	for (int f = 0; f < 3; f++) {
		for (int i = 0; i < width[f]; i++, s++) {
			if (*s < '0' || *s > '9')
				return DW_EPARSE;
			v[f] = v[f] * 10 + (*s - '0');
		}
		if (f < 2 && *s++ != '-')
			return DW_EPARSE;
	}
	if (*s != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > days_in_month(v[0], v[1]))
		return DW_EPARSE;
	*y = v[0];
	*m = v[1];
	*d = v[2];
	return DW_OK;
}
