#include <check.h>

#include "util/qversion.h"

static int cmp(const char *a, const char *b)
{
	struct qversion va, vb;

	ck_assert_int_eq(qversion_parse(&va, a), 0);
	ck_assert_int_eq(qversion_parse(&vb, b), 0);
	return qversion_cmp(&va, &vb);
}

START_TEST(parses_every_shape)
{
	struct qversion v;
	char buf[64];

	ck_assert_int_eq(qversion_parse(&v, "10.0"), 0);
	ck_assert_int_eq(v.major, 10);
	ck_assert_int_eq(v.minor, 0);
	ck_assert_int_eq(v.micro, -1);
	ck_assert_int_eq(qversion_parse(&v, "4.0.1"), 0);
	ck_assert_int_eq(v.micro, 1);
	ck_assert_int_eq(qversion_parse(&v, "2.12-sxxm"), 0);
	ck_assert_str_eq(v.tag, "sxxm");
	ck_assert_str_eq(qversion_format(buf, sizeof(buf), &v), "2.12-sxxm");
	ck_assert_int_eq(qversion_parse(&v, "2.8.1.1"), 0);
	ck_assert_int_eq(v.nano, 1);
	ck_assert_str_eq(qversion_format(buf, sizeof(buf), &v), "2.8.1.1");
	ck_assert_int_eq(qversion_parse(&v, "10.1.50"), 0);
	ck_assert(qversion_is_development(&v));
}
END_TEST

START_TEST(rejects_garbage)
{
	struct qversion v;

	ck_assert_int_eq(qversion_parse(&v, "10"), -1);
	ck_assert_int_eq(qversion_parse(&v, "10."), -1);
	ck_assert_int_eq(qversion_parse(&v, "v10.0"), -1);
	ck_assert_int_eq(qversion_parse(&v, "10.0-"), -1);
	ck_assert_int_eq(qversion_parse(&v, "10.0-rc 1"), -1);
	ck_assert_int_eq(qversion_parse(&v, "1.2.3.4.5"), -1);
	ck_assert_int_eq(qversion_parse(&v, "99999.0"), -1);
	ck_assert_int_eq(qversion_parse(&v, ""), -1);
}
END_TEST

START_TEST(orders_bugfix_between_releases)
{
	ck_assert_int_lt(cmp("4.0", "4.0.1"), 0);
	ck_assert_int_lt(cmp("4.0.1", "4.1"), 0);
	ck_assert_int_lt(cmp("2.12", "2.12-sxxm"), 0);
	ck_assert_int_lt(cmp("2.12-sxxm", "3.0"), 0);
	ck_assert_int_lt(cmp("2.9", "2.10"), 0);
	ck_assert_int_eq(cmp("10.0", "10.0"), 0);
	ck_assert_int_gt(cmp("10.0", "9.2"), 0);
}
END_TEST

Suite *suite_qversion(void)
{
	Suite *s = suite_create("qversion");
	TCase *tc = tcase_create("qversion");

	tcase_add_test(tc, parses_every_shape);
	tcase_add_test(tc, rejects_garbage);
	tcase_add_test(tc, orders_bugfix_between_releases);
	suite_add_tcase(s, tc);
	return s;
}
