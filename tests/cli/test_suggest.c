/* `mtcheck suggest`: the plan an ABI001 finding asks for, on scenario histories. */
#include <check.h>
#include <string.h>

#include "testutil.h"

#define assert_has(haystack, needle) \
	ck_assert_msg(strstr((haystack), (needle)), "missing '%s' in:\n%s", (needle), (haystack))

START_TEST(bugfix_machines_in_each_family_syntax_and_branch)
{
	struct scenario demo;
	struct run_result r;
	const char *args[] = { "--repo", NULL, "suggest", "stable-9.2", "--all", NULL, NULL, NULL };

	test_scenario(&demo, "demo/demo.json");
	args[1] = demo.path;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "stable-9.2: ");
	assert_has(r.out, "hw/usb/hcd-xhci: lower the default interrupter count");
	/* the 9.1+ forms: q35's _BUGFIX macro, arm virt's (the one suggest defines); micro: next release */
	assert_has(r.out, "q35: add pc-q35-9.2.3 in stable-9.2: DEFINE_Q35_MACHINE_BUGFIX(9, 2, 3) "
			  "with pc_q35_machine_9_2_3_options");
	assert_has(r.out, "arm-virt: add virt-9.2.3 in stable-9.2: DEFINE_VIRT_MACHINE_BUGFIX(9, 2, 3)");
	assert_has(r.out, "branches: stable-9.2, master (between 9.2 and the next version), "
			  "stable-10.0, stable-10.1");
	/* the compat entry from the upstream commit, for the plain 9.2 machines */
	assert_has(r.out, "hw_compat_9_2: { qemu-xhci, intrs, 16 }");
	ck_assert_str_eq(r.err, "");
	run_result_release(&r);

	/* --micro picks the micro */
	args[5] = "--micro";
	args[6] = "7";
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "DEFINE_Q35_MACHINE_BUGFIX(9, 2, 7)");
	run_result_release(&r);

	/* a finding that is not there: one line, exit 2 */
	args[5] = "--finding";
	args[6] = "0123456789abcdef";
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: suggest: no ABI001 finding of stable-9.2 has the "
				"fingerprint 0123456789abcdef\n");
	run_result_release(&r);

	/* stable-10.0 already shipped pc-q35-10.0.2: revert instead of a second one */
	args[3] = "stable-10.0";
	args[5] = NULL;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "q35: stable-10.0 already has pc-q35-10.0.2 and the policy allows 1 per "
			  "family and stream (BFM001): no bugfix machine; revert the guest-visible "
			  "hunks");
	assert_has(r.out, "guest-visible hunks to revert:\n    target/i386/cpu.c:14:");
	ck_assert_ptr_null(strstr(r.out, "pc-q35-10.0.4"));
	run_result_release(&r);

	/* nothing to suggest on a stream without ABI001 */
	args[3] = "stable-10.1";
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "stable-10.1: no ABI001 finding: nothing to suggest\n");
	run_result_release(&r);
	scenario_release(&demo);
}
END_TEST

START_TEST(a_third_family_and_mixed_answers)
{
	struct scenario s;
	struct run_result r;
	const char *args[] = { "--repo", NULL, "suggest", "stable-12.0", "--all", NULL };

	test_scenario(&s, "engine/bugfix.json");
	args[1] = s.path;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	/* x86 already has its bugfix machines; spapr's would be the year's third */
	assert_has(r.out, "spapr: 3 bugfix machines already came in 2030 and the policy allows 2 a "
			  "year (BFM005): no bugfix machine; revert the guest-visible hunks of ");
	assert_has(r.out, "i440fx: stable-12.0 already has pc-i440fx-12.0.2");
	assert_has(r.out, "guest-visible hunks to revert:\n    hw/misc/widget.c:6: ");

	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

Suite *suite_suggest(void)
{
	Suite *s = suite_create("suggest");
	TCase *tc = tcase_create("suggest");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bugfix_machines_in_each_family_syntax_and_branch);
	tcase_add_test(tc, a_third_family_and_mixed_answers);
	suite_add_tcase(s, tc);
	return s;
}
