#include "util/date.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
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

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static unsigned days_in_month(int y, unsigned m)
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + (unsigned)leap : days[m - 1];
}

/*
 * The digits of text[at..at+n) as a number, or -1 when any is not a digit:
 * sscanf would also take spaces and signs ("2024- 2-29").
 */
static int digits(const char *text, size_t at, size_t n)
{
	int v = 0;
	size_t i;

	for (i = at; i < at + n; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	return v;
}

int date_parse(int64_t *out, const char *text)
{
	size_t len = strlen(text);
	int y, m, d, hh = 0, mm = 0, ss = 0;

	if (len != 10 && !(len == 20 && text[10] == 'T' && text[13] == ':' && text[16] == ':' &&
			   text[19] == 'Z'))
		return -1;
	if (text[4] != '-' || text[7] != '-')
		return -1;
	y = digits(text, 0, 4);
	m = digits(text, 5, 2);
	d = digits(text, 8, 2);
	if (len == 20) {
		hh = digits(text, 11, 2);
		mm = digits(text, 14, 2);
		ss = digits(text, 17, 2);
	}
	if (y < 1970 || m < 1 || m > 12 || d < 1 || (unsigned)d > days_in_month(y, (unsigned)m) ||
	    hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59)
		return -1;
	*out = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

/* The day a time falls on, rounded down for times before the epoch too. */
static int64_t day_of(int64_t seconds)
{
	return seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
}

void date_format(char *out, int64_t seconds)
{
	int y;
	unsigned m, d;

	civil_from_days(day_of(seconds), &y, &m, &d);
	/* Clamp so the text always fits the 10 characters callers reserve. */
	if (y < 0)
		y = 0;
	if (y > 9999)
		y = 9999;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 13u, d % 32u);
}

int date_year(int64_t seconds)
{
	int y;
	unsigned m, d;

	civil_from_days(day_of(seconds), &y, &m, &d);
	return y;
}
