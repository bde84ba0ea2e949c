/* `mtcheck suggest`: the plan an ABI001 finding asks for, on scenario histories. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs_snapshot.h"
#include "testutil.h"

#define assert_has(haystack, needle) \
	ck_assert_msg(strstr((haystack), (needle)), "missing '%s' in:\n%s", (needle), (haystack))


/*
 * The branch of each patch `suggest --output-dir` wrote, from its
 * "  wrote DIR/0001-....patch (for BRANCH)" lines: paths[i], branches[i].
 */
static size_t written(char ***paths, char ***branches, const char *out)
{
	const char *p = out;
	size_t n = 0;

	*paths = NULL;
	*branches = NULL;
	while ((p = strstr(p, "  wrote "))) {
		const char *path = p + strlen("  wrote "), *sp = strstr(path, " (for ");
		const char *br = sp ? sp + strlen(" (for ") : NULL, *end = br ? strchr(br, ')') : NULL;

		ck_assert_ptr_nonnull(end);
		*paths = realloc(*paths, (n + 1) * sizeof(**paths));
		*branches = realloc(*branches, (n + 1) * sizeof(**branches));
		(*paths)[n] = strndup(path, (size_t)(sp - path));
		(*branches)[n] = strndup(br, (size_t)(end - br));
		n++;
		p = end;
	}
	return n;
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/*
 * Runs suggest on `stream` of the scenario repository with --output-dir,
 * checks that it wrote `want` patches (for the branches listed, in order)
 * and left the repository as it was, then applies each with `git am` on its
 * branch in a clone. Returns the clone's path (the caller frees it).
 */
static char *apply_series(const char *repo, const char *stream, const char *const *want,
			  struct run_result *plan)
{
	const char *args[] = { "--repo", repo, "suggest", stream, "--output-dir", NULL, NULL };
	char *outdir = test_tmppath("suggest-out"), *clone = test_tmppath("suggest-clone");
	char **paths, **branches;
	struct fs_snapshot before, after;
	struct strbuf diff = STRBUF_INIT;
	size_t n, i;

	ck_assert_int_eq(fs_snapshot_take(&before, repo), 0);
	args[5] = outdir;
	run_mtcheck(plan, NULL, args);
	ck_assert_msg(plan->status == 0, "suggest failed: %s", plan->err);
	ck_assert_int_eq(fs_snapshot_take(&after, repo), 0);
	ck_assert_msg(fs_snapshot_diff(&diff, &before, &after) == 0, "suggest wrote to %s:\n%s",
		      repo, diff.buf);
	n = written(&paths, &branches, plan->out);
	for (i = 0; want[i]; i++) {
		ck_assert_msg(i < n, "no patch for %s in:\n%s", want[i], plan->out);
		ck_assert_str_eq(branches[i], want[i]);
	}
	ck_assert_uint_eq(n, i);
	{
		const char *cl[] = { "git", "clone", "-q", repo, clone, NULL };

		ck_assert_int_eq(test_exec(NULL, NULL, cl), 0);
	}
	for (i = 0; i < n; i++) {
		const char *co[] = { "git", "checkout", "-q", branches[i], NULL };
		const char *am[] = { "git", "-c", "user.name=Stable Maintainer",
				     "-c", "user.email=stable@example.invalid", "am", "-q",
				     paths[i], NULL };

		ck_assert_int_eq(test_exec(NULL, clone, co), 0);
		ck_assert_msg(test_exec(NULL, clone, am) == 0, "git am %s failed on %s", paths[i],
			      branches[i]);
	}
	fs_snapshot_release(&before);
	fs_snapshot_release(&after);
	strbuf_release(&diff);
	free_list(paths, n);
	free_list(branches, n);
	free(outdir);
	return clone;
}

/* `check STREAM --all` in the clone has none of the findings a bugfix machine answers. */
static void assert_answered(const char *clone, const char *stream)
{
	const char *args[] = { "--repo", clone, "check", stream, "--all", NULL };
	struct run_result r;

	run_mtcheck(&r, NULL, args);
	ck_assert_msg(!strstr(r.out, "[ABI001]") && !strstr(r.out, "[BFM002]") &&
		      !strstr(r.out, "[BFM003]"), "%s after the series:\n%s", stream, r.out);
	ck_assert_msg(r.status == 0, "check %s: %d\n%s%s", stream, r.status, r.out, r.err);
	run_result_release(&r);
}

/* `machines REF` lists the names in this order (newest first), `first` as the first of its family. */
static void assert_order(const char *clone, const char *ref, const char *const *names)
{
	const char *args[] = { "--repo", clone, "machines", ref, NULL };
	struct run_result r;
	const char *at;
	size_t i;

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	at = r.out;
	for (i = 0; names[i]; i++) {
		const char *next = strstr(at, names[i]);

		ck_assert_msg(next, "%s: '%s' missing or out of order in:\n%s", ref, names[i], r.out);
		at = next + strlen(names[i]);
	}
	run_result_release(&r);
}

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


/*
 * A change of the 11.2 and older machines' own function: a bugfix machine
 * 12.0.Z would hold nothing back, so suggest plans none, writes no patch,
 * and says what to review, as the finding does.
 */
START_TEST(a_change_of_older_machines_gets_no_bugfix_machine)
{
	struct scenario s;
	struct run_result r;
	char *outdir = test_tmppath("suggest-older");
	const char *args[] = { "--repo", NULL, "suggest", "stable-12.0", "--all", "--output-dir",
			       outdir, NULL };
	const char *call, *next;
	char *patch_dir, *block;

	test_scenario(&s, "engine/versions.json");
	args[1] = s.path;
	run_mtcheck(&r, NULL, args);
	ck_assert_msg(r.status == 0, "%s", r.err);
	call = strstr(r.out, "q35: 11.2 and older machines keep the small ACPI area");
	ck_assert_ptr_nonnull(call);
	next = strstr(call, "\nstable-12.0: ");
	ck_assert_ptr_nonnull(next);
	block = strndup(call, (size_t)(next - call));
	assert_has(block, "  no bugfix machine: the change is the 11.2 and older machines', and a "
			  "12.0.Z machine would not hold it back; review whether it restores");
	assert_has(block, "  note: no bugfix machine: the change is the 11.2 and older machines'");
	ck_assert_msg(!strstr(block, "add pc-q35-12.0.") && !strstr(block, "  wrote "),
		      "a bugfix machine for an older machines' change:\n%s", block);
	free(block);
	/* its directory is not made */
	patch_dir = test_tmppath("suggest-older/b9003ee1d6d1");
	ck_assert_int_ne(access(patch_dir, F_OK), 0);

	free(patch_dir);
	free(outdir);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

/*
 * pc-q35-10.0.2 came into stable-10.0 in 2025 (v10.0.2) and into stable-10.1
 * in 2026 (v10.1.2): BFM005 counts it once, in 2025, so with one bugfix
 * machine a year allowed, 2026 still has room for stable-10.1's. suggest,
 * which reads only stable-10.1 in full, must count it where audit does.
 */
START_TEST(a_year_counts_bugfix_machines_as_bfm005_does)
{
	struct scenario s;
	struct run_result r;
	const char *suggest[] = { "--repo", NULL, "suggest", "stable-10.1", NULL };
	const char *audit[] = { "--repo", NULL, "audit", NULL };

	test_scenario(&s, "suggest/years.json");
	suggest[1] = audit[1] = s.path;
	run_mtcheck(&r, NULL, audit);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.out, "BFM005       0       0    0");
	run_result_release(&r);

	run_mtcheck(&r, NULL, suggest);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "q35: add pc-q35-10.1.3 in stable-10.1: DEFINE_Q35_MACHINE_BUGFIX(10, 1, 3)");
	assert_has(r.out, "arm-virt: add virt-10.1.3 in stable-10.1");
	ck_assert_ptr_null(strstr(r.out, "(BFM005)"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

/*
 * A newer stream's bugfix machine counts too, though check reads no
 * introductions of streams newer than the one it checks: stable-10.1's
 * pc-q35-10.1.2 came in January 2026, so stable-10.0's February backport
 * finds 2026's one bugfix machine taken.
 */
START_TEST(a_newer_streams_bugfix_machine_counts)
{
	struct scenario s;
	struct run_result r;
	const char *suggest[] = { "--repo", NULL, "suggest", "stable-10.0", NULL };

	test_scenario(&s, "suggest/years-newer.json");
	suggest[1] = s.path;
	run_mtcheck(&r, NULL, suggest);
	ck_assert_int_eq(r.status, 0);
	assert_has(r.out, "arm-virt: 1 bugfix machine already came in 2026 and the policy allows 1 "
			  "a year (BFM005): no bugfix machine; revert the guest-visible hunks of ");
	assert_has(r.out, "q35: 1 bugfix machine already came in 2026");
	ck_assert_ptr_null(strstr(r.out, "add pc-q35-10.0.3"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

/*
 * Dating the other streams' bugfix machines reads their history: where a
 * shallow clone cut stable-10.0's, suggest says so (check, which does not
 * need it, still answers).
 */
START_TEST(a_shallow_stream_stops_suggest_with_one_line)
{
	struct scenario s;
	struct run_result r;
	const char *suggest[] = { "--repo", NULL, "suggest", "stable-10.1", NULL };
	const char *check[] = { "--repo", NULL, "check", "stable-10.1", NULL };
	char *shallow;
	FILE *f;

	test_scenario(&s, "suggest/years.json");
	suggest[1] = check[1] = s.path;
	shallow = malloc(strlen(s.path) + sizeof("/.git/shallow"));
	strcpy(shallow, s.path);
	strcat(shallow, "/.git/shallow");
	f = fopen(shallow, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", scenario_hex(&s, "v1001"));
	fclose(f);
	run_mtcheck(&r, NULL, suggest);
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(count_lines(r.err), 1);
	assert_has(r.err, "mtcheck: stable-10.0: history stops at ");
	assert_has(r.err, "shallow clone");
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
	run_mtcheck(&r, NULL, check);
	ck_assert_int_eq(r.status, 1);
	assert_has(r.out, "[ABI001]");
	run_result_release(&r);
	free(shallow);
	scenario_release(&s);
}
END_TEST

START_TEST(series_of_the_9_1_era_applies_and_answers_the_finding)
{
	struct scenario s;
	struct run_result plan, r;
	const char *branches[] = { "stable-10.0", "master", "stable-10.1", NULL };
	const char *check[] = { "--repo", NULL, "check", "stable-10.0", NULL };
	char *clone;

	test_scenario(&s, "suggest/modern.json");
	check[1] = s.path;
	run_mtcheck(&r, NULL, check);
	assert_has(r.out, "[ABI001]");
	run_result_release(&r);
	clone = apply_series(s.path, "stable-10.0", branches, &plan);
	/* q35's own _BUGFIX macro; arm virt and pseries get one defined beside their release macro */
	assert_has(plan.out, "DEFINE_Q35_MACHINE_BUGFIX(10, 0, 2)");
	assert_has(plan.out, "DEFINE_VIRT_MACHINE_BUGFIX(10, 0, 2)");
	assert_has(plan.out, "DEFINE_SPAPR_MACHINE_BUGFIX(10, 0, 2)");
	assert_has(plan.out, "hw_compat_10_0: { TYPE_WIDGET, depth, 4 }");
	assert_answered(clone, "stable-10.0");
	assert_answered(clone, "stable-10.1");
	{
		/* the stream: 10.0 stays the default (the 9.1 macros mark it), 10.0.2 above it */
		const char *stream[] = { "pc-q35-10.0.2 ", "bugfix", "pc-q35-10.0 ", "latest as q35",
					 "virt-10.0.2 ", "virt-10.0 ", "latest as virt",
					 "pseries-10.0.2 ", "pseries-10.0 ", "latest as pseries", NULL };
		/* master and the newer stream: 10.1 stays latest, 10.0.2 between 10.1 and 10.0 */
		const char *newer[] = { "pc-q35-10.1 ", "latest as q35", "pc-q35-10.0.2 ", "bugfix",
					"pc-q35-10.0 ", "virt-10.1 ", "virt-10.0.2 ", "virt-10.0 ",
					"pseries-10.1 ", "pseries-10.0.2 ", "pseries-10.0 ",
					"hw_compat_10_0_2", "hw_compat_10_0 ", "1 entry", NULL };

		assert_order(clone, "stable-10.0", stream);
		assert_order(clone, "master", newer);
		assert_order(clone, "stable-10.1", newer);
	}
	run_result_release(&plan);
	free(clone);
	scenario_release(&s);
}
END_TEST

START_TEST(series_of_the_4_0_1_era_applies_and_answers_the_finding)
{
	struct scenario s;
	struct run_result plan;
	const char *branches[] = { "stable-5.0", "master", "stable-5.1", NULL };
	char *clone;

	test_scenario(&s, "suggest/old.json");
	clone = apply_series(s.path, "stable-5.0", branches, &plan);
	/* names in strings, the options function named in the call or by the suffix */
	assert_has(plan.out, "q35: add pc-q35-5.0.2 in stable-5.0: DEFINE_Q35_MACHINE(v5_0_2, "
			     "\"pc-q35-5.0.2\"");
	/* entries of both kinds, from the upstream commit */
	assert_has(plan.out, "hw_compat_5_0: { TYPE_WIDGET, depth, 4 }");
	assert_has(plan.out, "pc_compat_5_0: { TYPE_X86_CPU, x-hint, false }");
	assert_answered(clone, "stable-5.0");
	assert_answered(clone, "stable-5.1");
	{
		/* the stream: as v4.0.1 did, the bugfix machine becomes the default */
		const char *stream[] = { "pc-q35-5.0.2 ", "bugfix, latest as q35", "pc-q35-5.0 ",
					 "release", "pc-i440fx-5.0.2 ", "bugfix, latest as pc",
					 "pseries-5.0.2 ", "bugfix, latest as pseries", "pseries-5.0 ",
					 "hw_compat_5_0 ", "1 entry", NULL };
		const char *newer[] = { "pc-q35-5.1 ", "latest as q35", "pc-q35-5.0.2 ", "bugfix",
					"pc-q35-5.0 ", "pc-i440fx-5.1 ", "latest as pc",
					"pc-i440fx-5.0.2 ", "pc-i440fx-5.0 ", "pseries-5.1 ",
					"latest as pseries", "pseries-5.0.2 ", "pseries-5.0 ", NULL };

		assert_order(clone, "stable-5.0", stream);
		assert_order(clone, "master", newer);
		assert_order(clone, "stable-5.1", newer);
	}
	run_result_release(&plan);
	free(clone);
	scenario_release(&s);
}
END_TEST

START_TEST(where_the_policy_says_no_the_series_reverts)
{
	struct scenario s;
	struct run_result plan;
	const char *branches[] = { "staging-10.0", NULL };
	const char *show[] = { "git", "show", "staging-10.0:hw/net/virtio-net.c", NULL };
	char *clone, *text = NULL;

	test_scenario(&s, "demo/demo.json");
	clone = apply_series(s.path, "staging-10.0", branches, &plan);
	assert_has(plan.out, "(BFM001): no bugfix machine; revert the guest-visible hunks");
	ck_assert_ptr_null(strstr(plan.out, "DEFINE_VIRT_MACHINE_BUGFIX(10, 0, 4)\n"));
	/* the default is back as the stream had it, and nothing else moved */
	ck_assert_int_eq(test_exec(&text, clone, show), 0);
	assert_has(text, "DEFINE_PROP_UINT16(\"x-txburst\", VirtIONet, net_conf.txburst, 256),");
	free(text);
	{
		const char *args[] = { "git", "diff", "--quiet", "origin/stable-10.0", "staging-10.0",
				       "--", "hw/net/virtio-net.c", NULL };

		ck_assert_int_eq(test_exec(NULL, clone, args), 0);
	}
	run_result_release(&plan);
	free(clone);
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
	tcase_add_test(tc, a_change_of_older_machines_gets_no_bugfix_machine);
	tcase_add_test(tc, a_year_counts_bugfix_machines_as_bfm005_does);
	tcase_add_test(tc, a_newer_streams_bugfix_machine_counts);
	tcase_add_test(tc, a_shallow_stream_stops_suggest_with_one_line);
	tcase_add_test(tc, series_of_the_9_1_era_applies_and_answers_the_finding);
	tcase_add_test(tc, series_of_the_4_0_1_era_applies_and_answers_the_finding);
	tcase_add_test(tc, where_the_policy_says_no_the_series_reverts);
	suite_add_tcase(s, tc);
	return s;
}
