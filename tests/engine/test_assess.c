/* `mtcheck assess` on the demo history: what a backport would need, before it is made. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "testutil.h"

static struct scenario demo;

static void setup(void)
{
	test_scenario(&demo, "demo/demo.json");
}

static void teardown(void)
{
	scenario_release(&demo);
}

static void assess(struct run_result *r, const char *id, const char *stream, const char *format)
{
	const char *args[] = { "--repo", demo.path, "assess", scenario_hex(&demo, id),
			       stream ? "--stream" : NULL, stream, format ? "--format" : NULL,
			       format, NULL };

	if (!stream) {
		args[4] = format ? "--format" : NULL;
		args[5] = format;
		args[6] = NULL;
	}
	run_mtcheck(r, NULL, args);
}

#define assert_has(haystack, needle) \
	ck_assert_msg(strstr((haystack), (needle)), "missing '%s' in:\n%s", (needle), (haystack))

START_TEST(default_change_needs_bugfix_machines_everywhere)
{
	struct run_result r;

	assess(&r, "txburst", "stable-10.1", NULL);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.out, "abi-change compat-array hw/core/machine.c:9: hw_compat_10_1: added "
			  "{ virtio-net-device, x-txburst, 256 }");
	assert_has(r.out, "stable-10.1: the backport changes what guests of pc-q35-10.1, virt-10.1 see");
	assert_has(r.out, "  - stable-10.1: add pc-q35-10.1.2, virt-10.1.2 (first shipped in v10.1.2)");
	assert_has(r.out, "  - master: add pc-q35-10.1.2, virt-10.1.2 too");
	ck_assert_str_eq(r.err, "");
	run_result_release(&r);

	/* Every stream: 9.2 needs it in every newer stream too. */
	assess(&r, "txburst", NULL, NULL);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.out, "  - stable-10.1: add pc-q35-9.2.3, virt-9.2.3 too, or migration from 9.2.3 "
			  "to 10.1.z breaks");
	run_result_release(&r);
}
END_TEST

START_TEST(a_shipped_bugfix_machine_blocks_a_second_one)
{
	struct run_result r;

	assess(&r, "txburst", "stable-10.0", NULL);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.out, "stable-10.0 already shipped the bugfix machine pc-q35-10.0.2");
	/* The family without one still gets its bugfix machine; q35 gets no second one. */
	assert_has(r.out, "stable-10.0: add virt-10.0.4 (first shipped in v10.0.4)");
	ck_assert_ptr_null(strstr(r.out, "pc-q35-10.0.4"));
	run_result_release(&r);
}
END_TEST

START_TEST(json_carries_verdicts_and_requirements)
{
	struct run_result r;
	json_error_t jerr;
	json_t *root, *stream;

	assess(&r, "txburst", "stable-10.1", "json");
	ck_assert_int_eq(r.status, 1);
	root = json_loads(r.out, 0, &jerr);
	ck_assert_msg(root, "%s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(root, "commit")),
			 scenario_hex(&demo, "txburst"));
	stream = json_array_get(json_object_get(root, "streams"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(stream, "verdict")), "abi-change");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(stream, "bugfix"), 0)),
			 "pc-q35-10.1.2");
	ck_assert_uint_eq(json_array_size(json_object_get(stream, "requires")), 2);
	json_decref(root);
	run_result_release(&r);
}
END_TEST

START_TEST(near_misses_need_nothing)
{
	struct run_result r;

	/* A block-layer fix: nothing for the guest. */
	assess(&r, "qcow2", "stable-10.0", NULL);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "no guest-ABI evidence");
	assert_has(r.out, "stable-10.0: no guest-ABI change found");
	run_result_release(&r);

	/* A stream that forked after the fix already has it. */
	assess(&r, "archcap", "stable-10.1", NULL);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "stable-10.1: already contains");
	run_result_release(&r);
}
END_TEST

START_TEST(moving_the_default_machine_is_refused)
{
	struct run_result r;

	assess(&r, "open102", "stable-10.0", NULL);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.out, "do not backport this as it is: it changes which machine is the default");
	ck_assert_ptr_null(strstr(r.out, "10.0.4"));
	run_result_release(&r);
}
END_TEST

START_TEST(bad_input_is_one_line_exit_2)
{
	struct run_result r;
	const char *unknown[] = { "--repo", demo.path, "assess", "no-such-commit", NULL };
	const char *sarif[] = { "--repo", demo.path, "assess", "master", "--format", "sarif", NULL };
	const char *none[] = { "--repo", demo.path, "assess", NULL };

	run_mtcheck(&r, NULL, unknown);
	ck_assert_int_eq(r.status, 2);
	ck_assert_uint_eq(count_lines(r.err), 1);
	assert_has(r.err, "mtcheck: no-such-commit: no such ref or commit");
	run_result_release(&r);

	run_mtcheck(&r, NULL, sarif);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: assess: --format sarif is not available for this command\n");
	run_result_release(&r);

	run_mtcheck(&r, NULL, none);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: assess: expected one COMMIT (see 'mtcheck help assess')\n");
	run_result_release(&r);
}
END_TEST

Suite *suite_assess(void)
{
	Suite *s = suite_create("assess");
	TCase *tc = tcase_create("assess");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, default_change_needs_bugfix_machines_everywhere);
	tcase_add_test(tc, a_shipped_bugfix_machine_blocks_a_second_one);
	tcase_add_test(tc, json_carries_verdicts_and_requirements);
	tcase_add_test(tc, near_misses_need_nothing);
	tcase_add_test(tc, moving_the_default_machine_is_refused);
	tcase_add_test(tc, bad_input_is_one_line_exit_2);
	suite_add_tcase(s, tc);
	return s;
}
