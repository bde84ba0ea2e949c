/*
 * Guest-ABI meaning, not text, driven by tests/scenarios/abi/meaning.json:
 * every commit there changes the base in one way, and its "expect" entry
 * ("expect" "commits") lists the `signal:strength` items that must come out of the classifier,
 * in the list's order (an empty list is a near-miss that must give nothing).
 * Its "expect" "backports" entries say whether a backport (of an upstream
 * commit, when one is named) to a stream gets an item of a signal: what
 * depends on the stream (its era, its upstream) is judged there.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
#include "machines/families.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/jsonfile.h"
#include "util/qversion.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "testutil.h"

/*
 * A stream in order: each commit classified, then the expected ACPI tables
 * attributed across them as audit does; each commit's items must be those
 * listed.
 */
static void series(struct mt_repo *repo, const struct abi_config *config,
		   const struct families *fams, const struct scenario *s, const json_t *spec)
{
	const json_t *order = json_object_get(spec, "order");
	size_t n = json_array_size(order), i, j;

	if (!spec)
		return; /* a scenario without a series */
	struct abi_evidence_list *lists = xcalloc(n + 1, sizeof(*lists));
	struct abi_evidence_list **ptrs = xcalloc(n + 1, sizeof(*ptrs));
	const struct mt_oid **commits = xcalloc(n + 1, sizeof(*commits));

	ck_assert_uint_ge(n, 8);
	for (i = 0; i < n; i++) {
		const char *id = json_string_value(json_array_get(order, i));

		commits[i] = scenario_commit(s, id);
		ptrs[i] = &lists[i];
		abi_evidence_list_init(&lists[i]);
		ck_assert_msg(abi_classify_commit(&lists[i], repo, config, fams, commits[i]) == 0,
			      "%s: %s", id, mt_error_last());
	}
	abi_attribute_acpi(ptrs, commits, n);
	for (i = 0; i < n; i++) {
		const char *id = json_string_value(json_array_get(order, i));
		const json_t *want = json_object_get(json_object_get(spec, "evidence"), id);
		struct strbuf got = STRBUF_INIT, wanted = STRBUF_INIT, all = STRBUF_INIT;

		ck_assert_ptr_nonnull(want);
		for (j = 0; j < lists[i].count; j++) {
			strbuf_addf(&got, "%s%s:%s", j ? "," : "", lists[i].items[j].signal,
				    abi_strength_name(lists[i].items[j].strength));
			strbuf_addf(&all, "\n  %s", lists[i].items[j].detail);
		}
		for (j = 0; j < json_array_size(want); j++)
			strbuf_addf(&wanted, "%s%s", j ? "," : "",
				    json_string_value(json_array_get(want, j)));
		ck_assert_msg(!strcmp(got.buf, wanted.buf), "series %s: got [%s], want [%s]%s", id,
			      got.buf, wanted.buf, all.buf);
		strbuf_release(&got);
		strbuf_release(&wanted);
		strbuf_release(&all);
		abi_evidence_list_release(&lists[i]);
	}
	free(lists);
	free(ptrs);
	free(commits);
}

static void expect_scenario(const char *name, size_t min_cases, size_t min_near_misses)
{
	char *rules = test_path("../rules/abi-signals.json"), *rules_dir = test_path("../rules");
	struct strbuf file = STRBUF_INIT;
	struct abi_config *config;
	struct families fams;
	struct mt_repo *repo;
	struct scenario s;
	struct json_file spec;
	json_t *want;
	const char *id;
	size_t cases = 0, near_misses = 0, k;

	strbuf_addf(&file, "scenarios/%s", name);
	test_scenario(&s, name);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_msg(abi_config_load(&config, rules) == 0, "%s", mt_error_last());
	ck_assert_msg(families_load(&fams, rules_dir) == 0, "%s", mt_error_last());
	free(rules);
	free(rules_dir);
	{
		char *path = test_path(file.buf);

		ck_assert_int_eq(json_file_load(&spec, path), 0);
		free(path);
	}
	json_object_foreach(json_object_get(json_object_get(spec.root, "expect"), "commits"), id, want) {
		struct abi_evidence_list list;
		struct strbuf got = STRBUF_INIT, wanted = STRBUF_INIT, all = STRBUF_INIT;
		json_t *item;
		size_t i;

		abi_evidence_list_init(&list);
		ck_assert_msg(abi_classify_commit(&list, repo, config, &fams,
						  scenario_commit(&s, id)) == 0,
			      "%s: %s", id, mt_error_last());
		for (i = 0; i < list.count; i++) {
			strbuf_addf(&got, "%s%s:%s", i ? "," : "", list.items[i].signal,
				    abi_strength_name(list.items[i].strength));
			strbuf_addf(&all, "\n  %s:%d %s", list.items[i].path, list.items[i].line,
				    list.items[i].detail);
		}
		json_array_foreach(want, i, item)
			strbuf_addf(&wanted, "%s%s", i ? "," : "", json_string_value(item));
		ck_assert_msg(!strcmp(got.buf, wanted.buf), "%s: got [%s], want [%s]%s", id, got.buf,
			      wanted.buf, all.buf);
		cases++;
		near_misses += json_array_size(want) == 0;
		strbuf_release(&got);
		strbuf_release(&wanted);
		strbuf_release(&all);
		abi_evidence_list_release(&list);
	}
	json_array_foreach(json_object_get(json_object_get(spec.root, "expect"), "backports"), k, want) {
		const char *bp = json_string_value(json_object_get(want, "backport"));
		const char *up = json_string_value(json_object_get(want, "upstream"));
		const char *signal = json_string_value(json_object_get(want, "signal"));
		/* with "strength": an item of the signal at that strength, as the stream judges it */
		const char *strength = json_string_value(json_object_get(want, "strength"));
		/* with "detail_has": and whose detail says this */
		const char *says = json_string_value(json_object_get(want, "detail_has"));
		bool fires = json_is_true(json_object_get(want, "fires")), got = false;
		struct abi_evidence_list list;
		struct qversion stream;
		size_t i;

		ck_assert_int_eq(qversion_parse(&stream, json_string_value(json_object_get(want, "stream"))), 0);
		abi_evidence_list_init(&list);
		ck_assert_ptr_nonnull(signal);
		ck_assert_msg(abi_classify_backport(&list, repo, config, &fams, scenario_commit(&s, bp),
						    up ? scenario_commit(&s, up) : NULL, &stream) == 0,
			      "%s: %s", bp, mt_error_last());
		for (i = 0; i < list.count; i++)
			got = got || (!strcmp(list.items[i].signal, signal) &&
				      (!strength ||
				       !strcmp(abi_strength_name(list.items[i].strength), strength)) &&
				      (!says || strstr(list.items[i].detail, says)));
		ck_assert_msg(got == fires, "%s (upstream %s) to %s: %s%s%s %s", bp, up ? up : "none",
			      json_string_value(json_object_get(want, "stream")), signal,
			      strength ? ":" : "", strength ? strength : "",
			      got ? "fired" : "did not fire");
		abi_evidence_list_release(&list);
	}
	series(repo, config, &fams, &s, json_object_get(json_object_get(spec.root, "expect"), "series"));
	/* Both kinds must be there; a truncated file would pass vacuously. */
	ck_assert_uint_ge(cases, min_cases);
	ck_assert_uint_ge(near_misses, min_near_misses);
	json_file_release(&spec);
	abi_config_free(config);
	families_release(&fams);
	repo_free(repo);
	scenario_release(&s);
	strbuf_release(&file);
}

START_TEST(vmstate_cpu_models_and_properties_by_meaning)
{
	expect_scenario("abi/meaning.json", 20, 10);
}
END_TEST

/* What the stream's machine types see: machine class fields by effective value. */
START_TEST(precision_by_what_the_stream_sees)
{
	expect_scenario("abi/precision.json", 7, 0);
}
END_TEST

Suite *suite_abi_meaning(void)
{
	Suite *s = suite_create("abi_meaning");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, vmstate_cpu_models_and_properties_by_meaning);
	tcase_add_test(tc, precision_by_what_the_stream_sees);
	suite_add_tcase(s, tc);
	return s;
}
