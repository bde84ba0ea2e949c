/* The scenario builder, checked by reading the built repositories back through repo. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "repo/repo.h"
#include "testutil.h"

static const struct mt_ref *find_ref(const struct mt_ref *refs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(refs[i].name, name))
			return &refs[i];
	}
	return NULL;
}

START_TEST(same_scenario_same_shas)
{
	struct scenario a, b;
	size_t i;

	test_scenario(&a, "builder/basic.json");
	test_scenario(&b, "builder/basic.json");
	ck_assert_uint_eq(a.ncommits, 7);
	ck_assert_uint_eq(a.ncommits, b.ncommits);
	for (i = 0; i < a.ncommits; i++)
		ck_assert_msg(oid_equal(&a.oids[i], &b.oids[i]), "commit %s differs", a.ids[i]);
	scenario_release(&a);
	scenario_release(&b);
}
END_TEST

START_TEST(refs_come_out_as_written)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_ref *refs;
	const struct mt_ref *r;
	size_t n;
	int64_t expected = 1556064000; /* 2019-04-24 */

	test_scenario(&s, "builder/basic.json");
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_list_refs(&refs, &n, repo), 0);
	ck_assert_uint_eq(n, 6);

	r = find_ref(refs, n, "refs/heads/stable-4.0");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, REPO_REF_BRANCH);
	ck_assert_str_eq(r->short_name, "stable-4.0");
	ck_assert(oid_equal(&r->commit, scenario_commit(&s, "revert")));

	r = find_ref(refs, n, "refs/remotes/origin/stable-4.0");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->kind, REPO_REF_REMOTE);
	ck_assert(oid_equal(&r->commit, scenario_commit(&s, "backport")));

	r = find_ref(refs, n, "refs/tags/v4.0.0");
	ck_assert_ptr_nonnull(r);
	ck_assert(r->annotated);
	ck_assert_int_eq(r->time, expected);
	ck_assert(oid_equal(&r->commit, scenario_commit(&s, "release")));

	r = find_ref(refs, n, "refs/tags/v4.0.1-rc0");
	ck_assert_ptr_nonnull(r);
	ck_assert(!r->annotated);

	repo_refs_free(refs, n);
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

START_TEST(commits_carry_parents_messages_and_files)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_commit_info info;
	const struct mt_blob *blob;
	char expected[256];

	test_scenario(&s, "builder/basic.json");
	ck_assert_int_eq(repo_open(&repo, s.path), 0);

	ck_assert_int_eq(repo_commit_info(&info, repo, scenario_commit(&s, "merge")), 0);
	ck_assert_uint_eq(info.nparents, 2);
	ck_assert(oid_equal(&info.parents[0], scenario_commit(&s, "dev")));
	ck_assert(oid_equal(&info.parents[1], scenario_commit(&s, "revert")));
	commit_info_release(&info);

	ck_assert_int_eq(repo_commit_info(&info, repo, scenario_commit(&s, "backport")), 0);
	ck_assert_uint_eq(info.nparents, 1);
	ck_assert(oid_equal(&info.parents[0], scenario_commit(&s, "release")));
	snprintf(expected, sizeof(expected), "(cherry picked from commit %s)", scenario_hex(&s, "fix"));
	ck_assert_ptr_nonnull(strstr(info.message, expected));
	snprintf(expected, sizeof(expected), "(Mjt: context, %.12s)", scenario_hex(&s, "fix"));
	ck_assert_ptr_nonnull(strstr(info.message, expected));
	ck_assert_str_eq(info.subject, "q35: fix something");
	commit_info_release(&info);

	ck_assert_int_eq(repo_commit_info(&info, repo, scenario_commit(&s, "release")), 0);
	ck_assert_int_eq(info.time, 1556020800); /* 2019-04-23T12:00:00Z */
	commit_info_release(&info);

	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "backport"),
					"hw/i386/pc_q35.c"), 0);
	ck_assert_ptr_nonnull(strstr(blob->data, "/* fixed */"));
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "revert"),
					"hw/i386/pc_q35.c"), 0);
	ck_assert_ptr_nonnull(strstr(blob->data, "/* fix me */"));
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "merge"), "NOTES"), 0);
	ck_assert_str_eq(blob->data, "merged\n");
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "root"), "NOTES"),
			 MT_ENOTFOUND);
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

static void expect_build_error(const char *name, const char *needle)
{
	struct scenario s;
	char *file = test_path(name), *dest = test_tmppath("repo");

	ck_assert_int_eq(scenario_build(&s, file, dest), -1);
	ck_assert_msg(strstr(mt_error_last(), needle), "%s: got '%s', want '%s'", name,
		      mt_error_last(), needle);
	free(file);
	free(dest);
}

START_TEST(bad_scenarios_say_what_and_where)
{
	expect_build_error("scenarios/builder/unknown-key.json", "commit 1 (a): unknown key \"colour\"");
	expect_build_error("scenarios/builder/bad-replace.json",
			   "commit 2 (b): f: replacement 1: text not found: nope");
	expect_build_error("scenarios/builder/forward-ref.json", "{{later}} names no earlier commit");
	expect_build_error("scenarios/builder/syntax-error.json", "syntax-error.json:2:");
}
END_TEST

START_TEST(demo_history_builds)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_ref *refs;
	size_t n, i, tags = 0, remotes = 0, branches = 0;

	test_scenario(&s, "demo/demo.json");
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_list_refs(&refs, &n, repo), 0);
	for (i = 0; i < n; i++) {
		tags += refs[i].kind == REPO_REF_TAG;
		remotes += refs[i].kind == REPO_REF_REMOTE;
		branches += refs[i].kind == REPO_REF_BRANCH;
	}
	ck_assert_uint_eq(tags, 9);
	ck_assert_uint_eq(remotes, 2);
	ck_assert_uint_eq(branches, 4);
	repo_refs_free(refs, n);
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

Suite *suite_scenario(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("scenario");

	tcase_add_test(tc, same_scenario_same_shas);
	tcase_add_test(tc, refs_come_out_as_written);
	tcase_add_test(tc, commits_carry_parents_messages_and_files);
	tcase_add_test(tc, bad_scenarios_say_what_and_where);
	tcase_add_test(tc, demo_history_builds);
	suite_add_tcase(s, tc);
	return s;
}
