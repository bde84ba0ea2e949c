#include <check.h>

#include "util/date.h"

START_TEST(parses_dates_and_times)
{
	int64_t t;

	ck_assert_int_eq(date_parse(&t, "1970-01-01"), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(date_parse(&t, "2019-07-30"), 0);
	ck_assert_int_eq(t, 1564444800);
	ck_assert_int_eq(date_parse(&t, "2024-02-29T12:30:05Z"), 0);
	ck_assert_int_eq(t, 1709209805);
}
END_TEST

START_TEST(rejects_impossible_dates)
{
	int64_t t = 42;

	ck_assert_int_eq(date_parse(&t, "2026-02-30"), -1);
	ck_assert_int_eq(date_parse(&t, "2023-02-29"), -1);
	ck_assert_int_eq(date_parse(&t, "2026-13-01"), -1);
	ck_assert_int_eq(date_parse(&t, "2026-1-01"), -1);
	ck_assert_int_eq(date_parse(&t, "next tuesday"), -1);
	ck_assert_int_eq(date_parse(&t, "2026-01-01T25:00:00Z"), -1);
	ck_assert_int_eq(date_parse(&t, "2026-01-01 "), -1);
	/* Found by fuzzing: sscanf's %u took spaces and signs. */
	ck_assert_int_eq(date_parse(&t, "2024- 2-29"), -1);
	ck_assert_int_eq(date_parse(&t, "2024-+2-29"), -1);
	ck_assert_int_eq(date_parse(&t, "2024-02-29T 1:00:00Z"), -1);
	ck_assert_int_eq(date_parse(&t, "2024-02-29X01:00:00Z"), -1);
	ck_assert_int_eq(t, 42);
}
END_TEST

START_TEST(formats_round_trip)
{
	char buf[11];
	int64_t t;

	ck_assert_int_eq(date_parse(&t, "2000-02-29T23:59:59Z"), 0);
	date_format(buf, t);
	ck_assert_str_eq(buf, "2000-02-29");
	date_format(buf, 0);
	ck_assert_str_eq(buf, "1970-01-01");
}
END_TEST

/* The year of the last and first second of a year, and of the second before the epoch. */
START_TEST(years_turn_at_midnight_utc)
{
	int64_t t;

	ck_assert_int_eq(date_parse(&t, "2023-12-31T23:59:59Z"), 0);
	ck_assert_int_eq(date_year(t), 2023);
	ck_assert_int_eq(date_year(t + 1), 2024);
	ck_assert_int_eq(date_year(0), 1970);
	ck_assert_int_eq(date_year(-1), 1969);
}
END_TEST

Suite *suite_date(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("date");

	tcase_add_test(tc, parses_dates_and_times);
	tcase_add_test(tc, rejects_impossible_dates);
	tcase_add_test(tc, formats_round_trip);
	tcase_add_test(tc, years_turn_at_midnight_utc);
	suite_add_tcase(s, tc);
	return s;
}
