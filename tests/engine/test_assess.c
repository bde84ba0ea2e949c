/* `mtcheck assess` on the demo history: what a backport would need, before it is made. */
#include <check.h>
#include <jansson.h>
#include <string.h>

#include "testutil.h"
#include "util/strbuf.h"

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
	/* check's own finding about the pick, with check's message */
	assert_has(r.out, "stable-10.1: cherry-picked onto");
	assert_has(r.out, "hw/net/virtio-net.c:13: error: backport changes what guests of "
			  "pc-q35-10.1, virt-10.1 see (DEFINE_PROP_UINT16 \"x-txburst\" (VirtIONet) "
			  "default 256 -> 512) and no bugfix machine covers it; next: keep the 10.1 "
			  "machines on the old behaviour with a compat entry in master and stable-10.1 "
			  "and add bugfix machine pc-q35-10.1.2, virt-10.1.2 in both, or drop the hunk "
			  "at hw/net/virtio-net.c:13 [ABI001]");
	/* hw_compat_10_1 does not exist there: the hunk did not apply as it is */
	assert_has(r.out, "hw/core/machine.c: did not apply cleanly");
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
	ck_assert(json_is_false(json_object_get(stream, "contains")));
	ck_assert(json_is_null(json_object_get(stream, "stream_commit")));
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_array_get(json_object_get(stream, "findings"), 0), "rule")),
			 "ABI001");
	/* the pick lives in memory only: the finding names the upstream commit, not it */
	ck_assert(json_is_null(json_object_get(json_array_get(json_object_get(stream, "findings"),
							      0), "commit")));
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
	assert_has(r.out, "stable-10.0: cherry-picked onto");
	assert_has(r.out, "check would report 0 findings");
	assert_has(r.out, "no finding: nothing for the policy to ask");
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
	assert_has(r.out, "newer than the stream's own release [ABI003]");
	assert_has(r.out, "do not backport this as it is: a stable branch keeps 10.0 or its bugfix "
			  "machine as the default");
	ck_assert_ptr_null(strstr(r.out, "10.0.4"));
	run_result_release(&r);
}
END_TEST

START_TEST(already_there_and_restoring_older_machines)
{
	struct run_result r;
	struct strbuf want = STRBUF_INIT;

	/* stable-10.1 cherry-picked it: said with the stream's commit and how it was matched */
	assess(&r, "poison", "stable-10.1", NULL);
	ck_assert_int_eq(r.status, 0);
	strbuf_addf(&want, "stable-10.1: already there as %.12s virtio-balloon: keep page poisoning "
			   "off for 9.2 machine types (trailer)", scenario_hex(&demo, "s101_poison"));
	assert_has(r.out, want.buf);
	ck_assert_ptr_null(strstr(r.out, "cherry-picked onto"));
	run_result_release(&r);

	/*
	 * stable-10.0 has not: check's warning for editing an older machine's
	 * array, and the evidence said to restore 9.2's behaviour, not to
	 * change the 10.0 machines.
	 */
	assess(&r, "poison", "stable-10.0", NULL);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "warning: backport edits compat array hw_compat_9_2, which pc-q35-9.2, "
			  "virt-9.2 and older apply (hw_compat_9_2: added { virtio-balloon-device, "
			  "x-demo-page-poison, off }): review that it restores what they had before "
			  "10.0 and that master has the same entry [ABI002]");
	assert_has(r.out, "restores an older machine's behaviour: hw_compat_9_2 holds the 9.2 "
			  "machines and older back; the 10.0 machine types do not change by it");
	ck_assert_ptr_null(strstr(r.out, "ABI001"));
	ck_assert_ptr_null(strstr(r.out, "add "));
	run_result_release(&r);
	strbuf_release(&want);
}
END_TEST

START_TEST(onto_an_older_point_of_the_stream)
{
	struct run_result r;
	struct strbuf onto = STRBUF_INIT;
	const char *args[] = { "--repo", demo.path, "assess", scenario_hex(&demo, "poison"),
			       "--stream", "stable-10.1", "--onto", NULL, NULL };

	/* before stable-10.1 took it, the same commit is a pick again */
	strbuf_addf(&onto, "%s^", scenario_hex(&demo, "s101_poison"));
	args[7] = onto.buf;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "stable-10.1: cherry-picked onto");
	assert_has(r.out, "[ABI002]");
	run_result_release(&r);

	args[4] = "--onto";
	args[5] = onto.buf;
	args[6] = NULL;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: assess: --onto needs --stream (the stream REF is a "
				"point of)\n");
	run_result_release(&r);
	strbuf_release(&onto);
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
	tcase_add_test(tc, already_there_and_restoring_older_machines);
	tcase_add_test(tc, onto_an_older_point_of_the_stream);
	tcase_add_test(tc, bad_input_is_one_line_exit_2);
	suite_add_tcase(s, tc);
	return s;
}
