/* The command line as a user meets it: help, version, unknown commands and options. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util/mtcheck_version.h"

START_TEST(help_lists_usage_and_exits_0)
{
	struct run_result r;
	const char *args[] = { "--help", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "usage: mtcheck"));
	ck_assert_ptr_nonnull(strstr(r.out, "Exit status"));
	ck_assert_str_eq(r.err, "");
	run_result_release(&r);
}
END_TEST

START_TEST(version_prints_version)
{
	struct run_result r;
	const char *args[] = { "--version", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "mtcheck " MTCHECK_VERSION "\n");
	run_result_release(&r);
}
END_TEST

START_TEST(no_command_is_a_usage_error)
{
	struct run_result r;
	const char *args[] = { NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "usage: mtcheck"));
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
}
END_TEST

START_TEST(unknown_command_is_one_line_exit_2)
{
	struct run_result r;
	const char *args[] = { "frobnicate", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: unknown command 'frobnicate' (see 'mtcheck --help')\n");
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
}
END_TEST

START_TEST(unknown_option_is_one_line_exit_2)
{
	struct run_result r;
	const char *args[] = { "--frobnicate", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: unknown option '--frobnicate' (see 'mtcheck --help')\n");
	run_result_release(&r);
}
END_TEST

START_TEST(bad_option_values_are_rejected)
{
	struct run_result r;
	const char *format[] = { "--format", "xml", "--version", NULL };
	const char *color[] = { "--color=sometimes", "--version", NULL };
	const char *missing[] = { "--repo", NULL };

	run_mtcheck(&r, NULL, format);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: --format: unknown format 'xml' "
				"(use text, json, sarif, codequality, markdown or html)\n");
	run_result_release(&r);

	run_mtcheck(&r, NULL, color);
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(count_lines(r.err), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "--color: unknown value 'sometimes'"));
	run_result_release(&r);

	run_mtcheck(&r, NULL, missing);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: --repo needs a value\n");
	run_result_release(&r);
}
END_TEST

START_TEST(help_for_unknown_command_fails)
{
	struct run_result r;
	const char *args[] = { "help", "nosuch", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: help: unknown command 'nosuch' (see 'mtcheck --help')\n");
	run_result_release(&r);
}
END_TEST

Suite *suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, help_lists_usage_and_exits_0);
	tcase_add_test(tc, version_prints_version);
	tcase_add_test(tc, no_command_is_a_usage_error);
	tcase_add_test(tc, unknown_command_is_one_line_exit_2);
	tcase_add_test(tc, unknown_option_is_one_line_exit_2);
	tcase_add_test(tc, bad_option_values_are_rejected);
	tcase_add_test(tc, help_for_unknown_command_fails);
	suite_add_tcase(s, tc);
	return s;
}
