/*
 * Statements of one machine version's function (abi_versions.c), driven by
 * tests/scenarios/abi/versions.json: an old-era compat or init function, a
 * 6.x options function. Every commit there changes the base one way; its
 * "expect" entry lists the signals that must fire, in order.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
#include "util/error.h"
#include "util/jsonfile.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

struct fixture {
	struct scenario s;
	struct mt_repo *repo;
	struct abi_config *config;
	struct families fams;
};

static void fixture_open(struct fixture *f)
{
	char *rules = test_path("../rules/abi-signals.json"), *rules_dir = test_path("../rules");

	test_scenario(&f->s, "abi/versions.json");
	ck_assert_int_eq(repo_open(&f->repo, f->s.path), 0);
	ck_assert_msg(abi_config_load(&f->config, rules) == 0, "%s", mt_error_last());
	ck_assert_msg(families_load(&f->fams, rules_dir) == 0, "%s", mt_error_last());
	free(rules);
	free(rules_dir);
}

static void fixture_close(struct fixture *f)
{
	abi_config_free(f->config);
	families_release(&f->fams);
	repo_free(f->repo);
	scenario_release(&f->s);
}

static void classify(struct abi_evidence_list *out, struct fixture *f, const char *id)
{
	abi_evidence_list_init(out);
	ck_assert_msg(abi_classify_commit(out, f->repo, f->config, &f->fams,
					  scenario_commit(&f->s, id)) == 0,
		      "%s: %s", id, mt_error_last());
}

static char *dump(const struct abi_evidence_list *list)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < list->count; i++)
		strbuf_addf(&sb, "%s %s %s:%d: %s\n", list->items[i].signal,
			    abi_strength_name(list->items[i].strength), list->items[i].path,
			    list->items[i].line, list->items[i].detail);
	return strbuf_detach(&sb, NULL);
}

START_TEST(every_case_fires_exactly_its_signals)
{
	struct fixture f;
	struct json_file spec;
	char *file = test_path("scenarios/abi/versions.json");
	json_t *want;
	const char *id;
	size_t cases = 0, near_misses = 0;

	fixture_open(&f);
	ck_assert_int_eq(json_file_load(&spec, file), 0);
	json_object_foreach(json_object_get(spec.root, "expect"), id, want) {
		struct abi_evidence_list list;
		struct strbuf got = STRBUF_INIT, wanted = STRBUF_INIT;
		json_t *sig;
		char *all;
		size_t i;

		classify(&list, &f, id);
		for (i = 0; i < list.count; i++)
			strbuf_addf(&got, "%s%s", i ? "," : "", list.items[i].signal);
		json_array_foreach(want, i, sig)
			strbuf_addf(&wanted, "%s%s", i ? "," : "", json_string_value(sig));
		all = dump(&list);
		ck_assert_msg(!strcmp(got.buf, wanted.buf), "%s: got [%s], want [%s]\n%s", id,
			      got.buf, wanted.buf, all);
		cases++;
		near_misses += json_array_size(want) == 0 ||
			       strcmp(json_string_value(json_array_get(want, 0)),
				      "machine-version-code");
		free(all);
		strbuf_release(&got);
		strbuf_release(&wanted);
		abi_evidence_list_release(&list);
	}
	ck_assert_uint_ge(cases, 13);
	ck_assert_uint_ge(near_misses, 8);
	json_file_release(&spec);
	free(file);
	fixture_close(&f);
}
END_TEST

static void expect_dump(struct fixture *f, const char *id, const char *expected)
{
	struct abi_evidence_list list;
	char *got;

	classify(&list, f, id);
	got = dump(&list);
	ck_assert_str_eq(got, expected);
	free(got);
	abi_evidence_list_release(&list);
}

START_TEST(details_name_the_function_and_the_statement)
{
	struct fixture f;

	fixture_open(&f);
	expect_dump(&f, "call-added",
		    "machine-version-code likely hw/i386/pc_piix.c:31: pc_compat_1_7: calls "
		    "x86_cpu_compat_set_features(\"Westmere\", FEAT_1_ECX, 0, CPUID_EXT_PCLMULQDQ)\n");
	expect_dump(&f, "global-set",
		    "machine-version-code likely hw/i386/pc_piix.c:37: pc_compat_1_6: runs "
		    "gigabyte_align = true\n");
	/* a removal is placed on the old side's line */
	expect_dump(&f, "call-removed",
		    "machine-version-code likely hw/i386/pc_piix.c:30: pc_compat_1_7: no longer calls "
		    "x86_cpu_compat_disable_kvm_features(FEAT_1_ECX, CPUID_EXT_X2APIC)\n");
	/* one statement over three lines is one item, at its first line */
	expect_dump(&f, "multiline-call",
		    "machine-version-code likely hw/i386/pc_piix.c:48: pc_init_pci_1_6: calls "
		    "pc_set_boot_option(args, \"no-rng-seed\", true)\n");
	fixture_close(&f);
}
END_TEST

START_TEST(items_carry_the_version_their_function_belongs_to)
{
	struct fixture f;
	struct abi_evidence_list list;

	fixture_open(&f);
	classify(&list, &f, "multiline-call");
	ck_assert_uint_eq(list.count, 1);
	ck_assert_str_eq(list.items[0].subject, "pc_init_pci_1_6");
	ck_assert(list.items[0].has_array_version);
	ck_assert_int_eq(list.items[0].array_version.major, 1);
	ck_assert_int_eq(list.items[0].array_version.minor, 6);
	abi_evidence_list_release(&list);
	classify(&list, &f, "compat-applied");
	ck_assert_uint_eq(list.count, 1);
	ck_assert_str_eq(list.items[0].subject, "virt_machine_6_0_options");
	ck_assert_int_eq(list.items[0].array_version.major, 6);
	ck_assert_int_eq(list.items[0].array_version.minor, 0);
	abi_evidence_list_release(&list);
	fixture_close(&f);
}
END_TEST

Suite *suite_abi_versions(void)
{
	Suite *s = suite_create("abi_versions");
	TCase *tc = tcase_create("abi_versions");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_case_fires_exactly_its_signals);
	tcase_add_test(tc, details_name_the_function_and_the_statement);
	tcase_add_test(tc, items_carry_the_version_their_function_belongs_to);
	suite_add_tcase(s, tc);
	return s;
}
