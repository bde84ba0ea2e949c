/* `mtcheck machines` and `mtcheck diff` as a user runs them, on a scenario history. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static json_t *parse_json(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	ck_assert_msg(j != NULL, "not JSON: %s", err.text);
	return j;
}

static void assert_keys(json_t *obj, const char *const *keys)
{
	size_t i;

	ck_assert(json_is_object(obj));
	for (i = 0; keys[i]; i++)
		ck_assert_msg(json_object_get(obj, keys[i]) != NULL, "missing key %s", keys[i]);
}

START_TEST(machines_text_lists_families_newest_first)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "machines/history.json");
	{
		const char *args[] = { "--repo", s.path, "machines", "v4.0.1", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	/* 4.0 had no lifecycle constants: no cap, no lifecycle */
	ck_assert_ptr_nonnull(strstr(r.out, "VERSION 4.0.1; no cap in this tree (no lifecycle "
					    "constants before 9.1)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\nq35 (3)\n  pc-q35-4.0.1  bugfix, latest as q35  "
					    "hw/i386/pc_q35.c:8\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  pc-q35-4.0    release      "));
	ck_assert(strstr(r.out, "pc-q35-4.0.1") < strstr(r.out, "pc-q35-4.0 ") &&
		  strstr(r.out, "pc-q35-4.0 ") < strstr(r.out, "pc-q35-3.1"));
	ck_assert_ptr_nonnull(strstr(r.out, "  hw_compat_4_0  1 entry  hw/core/machine.c:1\n"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(machines_json_keeps_the_contract)
{
	static const char *const top[] = { "ref", "commit", "version", "machines", "compat", NULL };
	static const char *const machine[] = { "family", "name", "version", "kind", "latest",
					       "path", "line", "lifecycle", NULL };
	static const char *const compat[] = { "array", "version", "path", "line", "entries", NULL };
	static const char *const entry[] = { "driver", "property", "value", NULL };
	struct scenario s;
	struct run_result r;
	json_t *j, *m, *c;

	test_scenario(&s, "machines/history.json");
	{
		const char *args[] = { "--repo", s.path, "machines", "--format", "json", "v4.0.1",
				       NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	j = parse_json(r.out);
	assert_keys(j, top);
	ck_assert_str_eq(json_string_value(json_object_get(j, "ref")), "v4.0.1");
	ck_assert_str_eq(json_string_value(json_object_get(j, "commit")),
			 scenario_hex(&s, "v401"));
	ck_assert_str_eq(json_string_value(json_object_get(j, "version")), "4.0.1");
	m = json_array_get(json_object_get(j, "machines"), 0);
	assert_keys(m, machine);
	ck_assert_str_eq(json_string_value(json_object_get(m, "name")), "pc-q35-4.0.1");
	ck_assert_str_eq(json_string_value(json_object_get(m, "version")), "4.0.1");
	ck_assert_str_eq(json_string_value(json_object_get(m, "kind")), "bugfix");
	ck_assert(json_is_true(json_object_get(m, "latest")));
	ck_assert(json_is_null(json_object_get(m, "lifecycle")));
	ck_assert(json_is_null(json_object_get(json_object_get(j, "lifecycle"), "deletion_major")));
	ck_assert_int_eq(json_integer_value(json_object_get(m, "line")), 8);
	c = json_array_get(json_object_get(j, "compat"), 0);
	assert_keys(c, compat);
	ck_assert_str_eq(json_string_value(json_object_get(c, "array")), "hw_compat_4_0");
	ck_assert_str_eq(json_string_value(json_object_get(c, "version")), "4.0");
	assert_keys(json_array_get(json_object_get(c, "entries"), 0), entry);
	json_decref(j);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(machines_at_head_reads_lifecycle_constants)
{
	struct scenario s;
	struct run_result r;
	json_t *j, *m;
	size_t i;

	test_scenario(&s, "machines/history.json");
	{
		const char *args[] = { "--repo", s.path, "machines", "--format=json", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	j = parse_json(r.out);
	ck_assert_str_eq(json_string_value(json_object_get(j, "ref")), "HEAD");
	ck_assert_str_eq(json_string_value(json_object_get(j, "version")), "10.1.50");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "lifecycle"),
							     "deletion_major")), 5);
	/* 10.1.50 counts as 10.2: with a 5-year cap every 4.x and 3.x machine is gone */
	json_array_foreach(json_object_get(j, "machines"), i, m)
		ck_assert_str_eq(json_string_value(json_object_get(m, "lifecycle")), "expired");
	json_decref(j);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(diff_shows_machines_and_compat_entries)
{
	struct scenario s;
	struct run_result r;
	json_t *j, *mach, *compat;

	test_scenario(&s, "machines/history.json");
	{
		const char *args[] = { "--repo", s.path, "diff", "v4.0.0", "v4.0.1", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "\nmachines\n  + pc-q35-4.0.1  q35 bugfix, latest  "
					    "hw/i386/pc_q35.c:8\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  ~ pc-q35-4.0  q35: latest true -> false; "
					    "alias q35 -> -\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  + hw_compat_4_0  hw/core/machine.c:1 (new array)\n"
					    "      + virtio-gpu-device edid = false  :2\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  ~ hw_compat_3_1  hw/core/machine.c:6\n"
					    "      + tpm-crb ppi = false  :9\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "      - memory-backend-file "
					    "x-use-canonical-path-for-ramblock-id = true  :3\n"));
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "--format", "json", "diff", "v4.0.0",
				       "v4.0.1", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	j = parse_json(r.out);
	mach = json_object_get(j, "machines");
	ck_assert_uint_eq(json_array_size(json_object_get(mach, "added")), 1);
	ck_assert_uint_eq(json_array_size(json_object_get(mach, "removed")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(mach, "changed")), 1);
	compat = json_object_get(j, "compat");
	ck_assert_uint_eq(json_array_size(compat), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(compat, 0), "status")),
			 "changed");
	ck_assert_uint_eq(json_array_size(json_object_get(json_array_get(compat, 0), "changed")),
			  1);
	json_decref(j);
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "diff", "v4.0.1", "stable-4.0", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "no machine or compat changes\n"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(bad_refs_and_arguments_exit_2_with_one_line)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "machines/history.json");
	{
		const char *args[] = { "--repo", s.path, "machines", "v9.9.9", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(count_lines(r.err), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: "));
	ck_assert_ptr_nonnull(strstr(r.err, "v9.9.9"));
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "diff", "v4.0.0", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: diff: needs two refs (usage: mtcheck diff REF1 REF2)\n");
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "diff", "v4.0.0", "nosuch", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(count_lines(r.err), 1);
	ck_assert_ptr_nonnull(strstr(r.err, "nosuch"));
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "machines", "--format", "sarif", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(count_lines(r.err), 1);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(broken_source_is_an_error_naming_the_file)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "machines/broken.json");
	{
		const char *args[] = { "--repo", s.path, "machines", NULL };

		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: HEAD: hw/i386/pc_q35.c:3: unterminated comment\n");
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

Suite *suite_cmd_machines(void)
{
	Suite *s = suite_create("cmd_machines");
	TCase *tc = tcase_create("cmd_machines");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, machines_text_lists_families_newest_first);
	tcase_add_test(tc, machines_json_keeps_the_contract);
	tcase_add_test(tc, machines_at_head_reads_lifecycle_constants);
	tcase_add_test(tc, diff_shows_machines_and_compat_entries);
	tcase_add_test(tc, bad_refs_and_arguments_exit_2_with_one_line);
	tcase_add_test(tc, broken_source_is_an_error_naming_the_file);
	suite_add_tcase(s, tc);
	return s;
}
