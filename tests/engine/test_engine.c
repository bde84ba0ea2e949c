/*
 * The rule engine through `mtcheck audit` and `mtcheck check` beyond what
 * the scenarios' "expect" lists say (tests/engine/test_expect.c): the demo,
 * scopes, formats, jobs, waivers and baselines.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "testutil.h"

/*
 * How many findings have this rule and, for each of the others that is not
 * NULL, this stream, commit (a scenario id) and machine.
 */
static int count(json_t *root, struct scenario *s, const char *rule, const char *stream,
		 const char *commit, const char *machine)
{
	json_t *findings = json_object_get(root, "findings"), *f;
	size_t i;
	int n = 0;

	json_array_foreach(findings, i, f) {
		const char *fr = json_string_value(json_object_get(f, "rule"));
		const char *fs = json_string_value(json_object_get(f, "stream"));
		const char *fc = json_string_value(json_object_get(f, "commit"));
		const char *fm = json_string_value(json_object_get(f, "machine"));

		if (strcmp(fr, rule))
			continue;
		if (stream && (!fs || strcmp(fs, stream)))
			continue;
		if (commit && (!fc || strcmp(fc, scenario_hex(s, commit))))
			continue;
		if (machine && (!fm || strcmp(fm, machine)))
			continue;
		n++;
	}
	return n;
}

static int total(json_t *root)
{
	return (int)json_array_size(json_object_get(root, "findings"));
}

/* machines and the lifecycle rules share one calculation: no cap before 9.1. */
START_TEST(machines_lifecycle_is_era_aware)
{
	struct scenario s;
	const char *old[] = { "machines", "v3.1.0", NULL };
	const char *capped[] = { "machines", "v12.0.0", NULL };
	json_t *j, *m;
	size_t i;

	test_scenario(&s, "engine/lifecycle.json");
	j = test_run_json(&s, 0, old);
	ck_assert(json_is_null(json_object_get(json_object_get(j, "lifecycle"), "deletion_major")));
	json_array_foreach(json_object_get(j, "machines"), i, m)
		ck_assert(json_is_null(json_object_get(m, "lifecycle")));
	json_decref(j);
	j = test_run_json(&s, 0, capped);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "lifecycle"),
							    "deletion_major")), 6);
	json_array_foreach(json_object_get(j, "machines"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *life = json_string_value(json_object_get(m, "lifecycle"));

		if (!strcmp(name, "pc-q35-6.0") || !strcmp(name, "pc-q35-5.2"))
			ck_assert_str_eq(life, "expired");
		else if (!strcmp(name, "pc-q35-6.1"))
			ck_assert_str_eq(life, "deprecated");
		else
			ck_assert_str_eq(life, "supported");
	}
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* A field ("severity", "message") of the finding of `rule` about scenario commit `commit`. */
static const char *field_of(json_t *root, struct scenario *s, const char *rule,
			    const char *commit, const char *field)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(root, "findings"), i, f) {
		const char *fc = json_string_value(json_object_get(f, "commit"));

		if (!strcmp(json_string_value(json_object_get(f, "rule")), rule) && fc &&
		    !strcmp(fc, scenario_hex(s, commit)))
			return json_string_value(json_object_get(f, field));
	}
	return NULL;
}

/* The signals `backports --format json` shows for a commit, joined by spaces. */
static char *backport_signals(json_t *root, struct scenario *s, const char *commit)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *b, *ev;
	size_t i, j;

	json_array_foreach(json_object_get(root, "backports"), i, b) {
		if (strcmp(json_string_value(json_object_get(b, "commit")), scenario_hex(s, commit)))
			continue;
		json_array_foreach(json_object_get(b, "evidence"), j, ev)
			strbuf_addf(&sb, "%s%s", sb.len ? " " : "",
				    json_string_value(json_object_get(ev, "signal")));
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * The rest of engine/followup.json's "expect": the finding names the
 * follow-up commit, and backports shows the evidence audit reports.
 */
START_TEST(followup_fixes_name_the_backport)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *backports[] = { "backports", "stable-10.0", NULL };
	const char *msg;
	char *signals, hex[13];
	json_t *j;

	test_scenario(&s, "engine/followup.json");
	j = test_run_json(&s, 1, audit);
	msg = field_of(j, &s, "ABI001", "bp", "message");
	ck_assert_ptr_nonnull(msg);
	memcpy(hex, scenario_hex(&s, "fix"), 12);
	hex[12] = '\0';
	ck_assert_msg(strstr(msg, hex) != NULL, "%s", msg);
	json_decref(j);
	/* backports shows what audit reports, and nothing for the near-misses. */
	j = test_run_json(&s, 0, backports);
	signals = backport_signals(j, &s, "bp");
	ck_assert_str_eq(signals, "followup-compat");
	free(signals);
	signals = backport_signals(j, &s, "bp_old");
	ck_assert_str_eq(signals, "");
	free(signals);
	signals = backport_signals(j, &s, "bp_both");
	ck_assert_str_eq(signals, "");
	free(signals);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* suggest, like audit (engine/twins.json's "expect"), names arm's and m68k's virt-X.Y apart. */
START_TEST(one_name_in_two_families_is_told_apart)
{
	struct scenario s;
	const char *suggest[] = { "--repo", NULL, "suggest", "stable-12.0", "--all", NULL };
	struct run_result r;

	test_scenario(&s, "engine/twins.json");
	suggest[1] = s.path;
	run_mtcheck(&r, NULL, suggest);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "(applied by 12.0, not by virt-12.0.1 (arm), virt-12.0.1 (m68k))"),
		      "%s", r.out);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(audit_on_the_demo)
{
	struct scenario s;
	const char *audit[] = { "audit", "--include-staging", NULL };
	json_t *j;

	test_scenario(&s, "demo/demo.json");
	j = test_run_json(&s, 1, audit);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-9.2", "s92_xhci", NULL), 1);
	ck_assert_int_eq(count(j, &s, "MIG001", "stable-9.2", "s92_xhci", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-10.0", "s100_archcap", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "staging-10.0", "s100_archcap", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "staging-10.0", "s100_txburst", NULL), 1);
	/* covered by pc-q35-10.0.2, which master and stable-10.1 have too */
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "s100_smbios", NULL), 0);
	/* restores 9.2 machines through their own, older array: a warning, not ABI001 */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-10.1", "s101_poison", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-10.1", "s101_poison", NULL), 0);
	ck_assert_int_eq(total(j), 6);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

static void run_demo(struct run_result *r, struct scenario *s, const char *a1, const char *a2,
		     const char *a3, const char *a4, const char *a5)
{
	const char *args[] = { "--repo", s->path, a1, a2, a3, a4, a5, NULL };

	run_mtcheck(r, NULL, args);
}

/* One process or several: the same bytes, for audit and for check. */
START_TEST(jobs_do_not_change_the_output)
{
	struct scenario s;
	struct run_result one, three;

	test_scenario(&s, "demo/demo.json");
	run_demo(&one, &s, "audit", "--format", "json", "--jobs", "1");
	run_demo(&three, &s, "audit", "--format", "json", "-j", "3");
	ck_assert_int_eq(one.status, 1);
	ck_assert_int_eq(three.status, 1);
	ck_assert_str_eq(one.out, three.out);
	ck_assert_str_eq(three.err, "");
	run_result_release(&one);
	run_result_release(&three);
	run_demo(&one, &s, "check", "staging-10.0", "--all", "-j1", NULL);
	run_demo(&three, &s, "check", "staging-10.0", "--all", "-j3", NULL);
	ck_assert_int_eq(one.status, 1);
	ck_assert_str_eq(one.out, three.out);
	run_result_release(&one);
	run_result_release(&three);
	scenario_release(&s);
}
END_TEST

START_TEST(check_scopes)
{
	struct scenario s;
	struct run_result r;
	char sha[13];

	test_scenario(&s, "demo/demo.json");
	/* --since: only what the merge request brings */
	run_demo(&r, &s, "check", "staging-10.0", "--since", "stable-10.0", NULL);
	ck_assert_msg(r.status == 1, "%s", r.err);
	memcpy(sha, scenario_hex(&s, "s100_txburst"), 12);
	sha[12] = '\0';
	ck_assert_ptr_nonnull(strstr(r.out, sha));
	memcpy(sha, scenario_hex(&s, "s100_archcap"), 12);
	ck_assert_ptr_null(strstr(r.out, sha));
	ck_assert_ptr_nonnull(strstr(r.out, "1 finding (1 error"));
	run_result_release(&r);
	/* pre-tag: stable-10.0 has nothing since v10.0.3 */
	run_demo(&r, &s, "check", "stable-10.0", NULL, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s\n%s", r.err, r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "backports since v10.0.3"));
	ck_assert_ptr_nonnull(strstr(r.out, "0 findings"));
	run_result_release(&r);
	/* --all: the whole stream */
	run_demo(&r, &s, "check", "stable-10.0", "--all", NULL, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, sha));
	run_result_release(&r);
	/* --since after the old finding's commit: it is not reported again */
	run_demo(&r, &s, "check", "stable-10.0", "--since", "v10.0.1", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(strstr(r.out, sha));
	run_result_release(&r);
	/* the queue named by --stream and a commit */
	run_demo(&r, &s, "check", scenario_hex(&s, "s100_txburst"), "--stream", "10.0", "--all");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, sha));
	run_result_release(&r);
	/* --fail-on none never fails */
	run_demo(&r, &s, "check", "stable-10.0", "--all", "--fail-on", "none");
	ck_assert_int_eq(r.status, 0);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(check_stream_inference_errors)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "demo/demo.json");
	/* HEAD is master: its VERSION is a development version */
	run_demo(&r, &s, "check", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "not a stable release; use --stream X.Y"));
	ck_assert_int_eq((int)count_lines(r.err), 1);
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
	run_demo(&r, &s, "check", "stable-7.7", NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "stable-7.7: no such branch"));
	run_result_release(&r);
	run_demo(&r, &s, "check", "stable-10.0", "--since", "nope", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "--since"));
	run_result_release(&r);
	run_demo(&r, &s, "check", "stable-10.0", "--fail-on", "sometimes", NULL);
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
	run_demo(&r, &s, "audit", "extra", NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(formats_and_determinism)
{
	struct scenario s;
	struct run_result a, b;
	json_error_t err;
	json_t *root, *run, *res, *loc;
	size_t i;

	test_scenario(&s, "demo/demo.json");
	run_demo(&a, &s, "audit", "--format", "sarif", NULL, NULL);
	run_demo(&b, &s, "audit", "--format", "sarif", NULL, NULL);
	ck_assert_int_eq(a.status, 1);
	ck_assert_str_eq(a.out, b.out);
	root = json_loads(a.out, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "version")), "2.1.0");
	ck_assert_ptr_nonnull(json_object_get(root, "$schema"));
	run = json_array_get(json_object_get(root, "runs"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(run, "tool"), "driver"), "name")),
			 "mtcheck");
	ck_assert_int_gt((int)json_array_size(json_object_get(
				 json_object_get(json_object_get(run, "tool"), "driver"), "rules")), 12);
	ck_assert_int_eq((int)json_array_size(json_object_get(run, "results")), 4);
	json_array_foreach(json_object_get(run, "results"), i, res) {
		ck_assert_ptr_nonnull(json_object_get(res, "ruleId"));
		ck_assert_ptr_nonnull(json_object_get(res, "level"));
		ck_assert_ptr_nonnull(json_object_get(json_object_get(res, "message"), "text"));
		ck_assert_ptr_nonnull(json_object_get(res, "partialFingerprints"));
		loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0),
				      "physicalLocation");
		ck_assert_ptr_nonnull(json_string_value(json_object_get(
			json_object_get(loc, "artifactLocation"), "uri")));
		ck_assert_int_gt((int)json_integer_value(json_object_get(
			json_object_get(loc, "region"), "startLine")), 0);
	}
	json_decref(root);
	run_result_release(&a);
	run_result_release(&b);

	run_demo(&a, &s, "audit", "--format", "codequality", NULL, NULL);
	ck_assert_int_eq(a.status, 1);
	root = json_loads(a.out, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq((int)json_array_size(root), 4);
	json_array_foreach(root, i, res) {
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "description")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "check_name")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "fingerprint")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "severity")));
		loc = json_object_get(res, "location");
		ck_assert_ptr_nonnull(json_string_value(json_object_get(loc, "path")));
		ck_assert_int_gt((int)json_integer_value(json_object_get(
			json_object_get(loc, "lines"), "begin")), 0);
	}
	json_decref(root);
	run_result_release(&a);

	run_demo(&a, &s, "audit", NULL, NULL, NULL, NULL);
	run_demo(&b, &s, "audit", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(a.out, b.out);
	ck_assert_ptr_nonnull(strstr(a.out, "== stable-9.2: 2 findings =="));
	ck_assert_ptr_nonnull(strstr(a.out, "\nRULE     ERROR WARNING INFO  TITLE\n"));
	ck_assert_ptr_nonnull(strstr(a.out, "\nABI001       2       0    0  "));
	ck_assert_ptr_nonnull(strstr(a.out, "\nMIG001       0       1    0  "));
	run_result_release(&a);
	run_result_release(&b);
	scenario_release(&s);
}
END_TEST

static char *write_file(const char *label, const char *text)
{
	char *path = test_tmppath(label);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(waivers_and_baselines)
{
	struct scenario s;
	struct run_result r;
	struct strbuf w = STRBUF_INIT;
	char *waivers, *baseline = test_tmppath("baseline.json");

	test_scenario(&s, "demo/demo.json");
	strbuf_addf(&w, "{\"waivers\": [{\"rule\": \"ABI001\", \"commit\": \"%.12s\", "
		    "\"reason\": \"reverted in 10.0.6\"}]}\n", scenario_hex(&s, "s100_archcap"));
	waivers = write_file("waivers.json", w.buf);
	run_demo(&r, &s, "check", "stable-10.0", "--all", "--waivers", waivers);
	ck_assert_msg(r.status == 0, "%s\n%s", r.err, r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "0 findings, 1 suppressed (1 by waiver"));
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "check", "stable-10.0", "--all", "--waivers",
				       waivers, "--show-suppressed", NULL };

		run_mtcheck(&r, NULL, args);
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "suppressed: by waiver: reverted in 10.0.6"));
		run_result_release(&r);
	}
	/* a baseline written now hides everything next time */
	run_demo(&r, &s, "audit", "--write-baseline", baseline, NULL, NULL);
	ck_assert_int_eq(r.status, 1);
	run_result_release(&r);
	run_demo(&r, &s, "audit", "--baseline", baseline, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s\n%s", r.err, r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "0 findings, 4 suppressed (0 by waiver, 4 by baseline"));
	run_result_release(&r);
	strbuf_release(&w);
	free(waivers);
	free(baseline);
	scenario_release(&s);
}
END_TEST

Suite *suite_engine(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, machines_lifecycle_is_era_aware);
	tcase_add_test(tc, audit_on_the_demo);
	tcase_add_test(tc, check_scopes);
	tcase_add_test(tc, jobs_do_not_change_the_output);
	tcase_add_test(tc, check_stream_inference_errors);
	tcase_add_test(tc, formats_and_determinism);
	tcase_add_test(tc, waivers_and_baselines);
	tcase_add_test(tc, followup_fixes_name_the_backport);
	tcase_add_test(tc, one_name_in_two_families_is_told_apart);
	suite_add_tcase(s, tc);
	return s;
}
