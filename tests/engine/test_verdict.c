/*
 * ABI001's verdict as `backports` shows it, against what `audit` reports.
 * For every backport of every stream of every scenario history, the
 * verdict names the finding audit reports about the commit (the same
 * object: rule, severity, message, file, line, fingerprint), or audit has
 * no ABI001 finding about it and the verdict says why. Then each reason,
 * on a backport that must show it and a near miss that must not.
 */
#include <check.h>
#include <glob.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "testutil.h"
#include "util/error.h"
#include "util/strbuf.h"

struct agreement {
	size_t backports, findings, reasons, strong_silent;
};

static json_t *run_json(const char *const *args, int *status)
{
	struct run_result r;
	json_t *root;

	run_mtcheck(&r, NULL, args);
	*status = r.status;
	root = r.status <= 1 ? json_loads(r.out, 0, NULL) : NULL;
	ck_assert_msg(r.status > 1 || root, "mtcheck %s: exit %d, no JSON: %s", args[2], r.status,
		      r.out);
	run_result_release(&r);
	return root;
}

/* audit's ABI001 findings about `commit` in `stream`. */
static size_t audit_findings(json_t *audit, const char *stream, const char *commit, json_t **one)
{
	json_t *f;
	size_t i, n = 0;

	*one = NULL;
	json_array_foreach(json_object_get(audit, "findings"), i, f) {
		const char *c = json_string_value(json_object_get(f, "commit"));
		const char *s = json_string_value(json_object_get(f, "stream"));

		if (!strcmp(json_string_value(json_object_get(f, "rule")), "ABI001") && c && s &&
		    !strcmp(c, commit) && !strcmp(s, stream)) {
			*one = f;
			n++;
		}
	}
	return n;
}

static bool has_strong_evidence(json_t *bp)
{
	json_t *ev;
	size_t i;

	json_array_foreach(json_object_get(bp, "evidence"), i, ev) {
		const char *k = json_string_value(json_object_get(ev, "strength"));

		if (strcmp(k, "review"))
			return true;
	}
	return false;
}

static void agree_on_backport(struct agreement *a, const char *file, const char *stream,
			      json_t *bp, json_t *audit)
{
	const char *commit = json_string_value(json_object_get(bp, "commit"));
	json_t *v = json_object_get(bp, "verdict"), *finding, *reason, *found;
	size_t n = audit_findings(audit, stream, commit, &found);
	char *want, *got;

	ck_assert_msg(json_is_object(v), "%s %s %s: no verdict", file, stream, commit);
	ck_assert_str_eq(json_string_value(json_object_get(v, "rule")), "ABI001");
	finding = json_object_get(v, "finding");
	reason = json_object_get(v, "reason");
	ck_assert_msg(json_is_null(finding) != json_is_null(reason),
		      "%s %s %s: a verdict has a finding or a reason, not both nor neither", file,
		      stream, commit);
	if (json_is_object(finding)) {
		ck_assert_msg(n == 1, "%s %s %s: backports names a finding, audit has %zu", file,
			      stream, commit, n);
		want = json_dumps(found, JSON_SORT_KEYS);
		got = json_dumps(finding, JSON_SORT_KEYS);
		ck_assert_msg(!strcmp(want, got), "%s %s %s:\naudit:     %s\nbackports: %s", file,
			      stream, commit, want, got);
		free(want);
		free(got);
		a->findings++;
	} else {
		ck_assert_msg(n == 0, "%s %s %s: audit reports %s, backports says no finding: %s",
			      file, stream, commit,
			      json_string_value(json_object_get(found, "message")),
			      json_string_value(reason));
		ck_assert_msg(json_is_string(reason) && *json_string_value(reason),
			      "%s %s %s: no finding and no reason", file, stream, commit);
		a->reasons++;
		a->strong_silent += has_strong_evidence(bp);
	}
	a->backports++;
}

static void agree_on_scenario(struct agreement *a, const char *file)
{
	struct scenario s;
	char *dest = test_tmppath("repo");
	const char *audit_args[] = { "--repo", NULL, "audit", "--format", "json", NULL };
	const char *streams_args[] = { "--repo", NULL, "streams", "--format", "json", NULL };
	json_t *audit, *streams, *st;
	int status;
	size_t i;

	if (scenario_build(&s, file, dest) < 0) {
		/* not a history (a policy file beside the scenarios) */
		mt_error_clear();
		free(dest);
		return;
	}
	audit_args[1] = streams_args[1] = s.path;
	audit = run_json(audit_args, &status);
	/* Histories audit refuses (no stream, no machine file) have nothing to agree on. */
	if (!audit) {
		scenario_release(&s);
		free(dest);
		return;
	}
	streams = run_json(streams_args, &status);
	ck_assert_msg(streams, "%s: streams failed", file);
	json_array_foreach(json_object_get(streams, "streams"), i, st) {
		const char *name = json_string_value(json_object_get(st, "name"));
		const char *bp_args[] = { "--repo", s.path, "backports", name, "--format", "json",
					  NULL };
		json_t *bps, *bp;
		size_t j;

		if (strncmp(name, "stable-", 7))
			continue;
		bps = run_json(bp_args, &status);
		ck_assert_msg(bps && status == 0, "%s: backports %s: exit %d", file, name, status);
		json_array_foreach(json_object_get(bps, "backports"), j, bp)
			agree_on_backport(a, file, name, bp, audit);
		json_decref(bps);
	}
	json_decref(streams);
	json_decref(audit);
	scenario_release(&s);
	free(dest);
}

START_TEST(backports_and_audit_agree_on_every_scenario_backport)
{
	struct agreement a = { 0, 0, 0, 0 };
	char *pattern = test_path("scenarios/*/*.json");
	glob_t g;
	size_t i;

	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++)
		agree_on_scenario(&a, g.gl_pathv[i]);
	globfree(&g);
	free(pattern);
	/*
	 * Enough to mean something (95 backports when this was written): findings,
	 * silent backports, and silent ones whose evidence the classifier rated
	 * likely or stronger, each with its reason.
	 */
	ck_assert_uint_ge(a.backports, 80);
	ck_assert_uint_ge(a.findings, 15);
	ck_assert_uint_ge(a.reasons, 50);
	ck_assert_uint_ge(a.strong_silent, 15);
}
END_TEST

/* What backports says of one commit: "ABI001 error: message" or "no finding: reason". */
static char *verdict_text(const char *scenario, const char *stream, const char *id)
{
	struct scenario s;
	const char *args[] = { "backports", stream, NULL };
	const char *commit;
	struct strbuf sb = STRBUF_INIT;
	json_t *root, *bp;
	size_t i;

	test_scenario(&s, scenario);
	commit = scenario_hex(&s, id);
	root = test_run_json(&s, 0, args);
	json_array_foreach(json_object_get(root, "backports"), i, bp) {
		json_t *v = json_object_get(bp, "verdict"), *f = json_object_get(v, "finding");

		if (strcmp(json_string_value(json_object_get(bp, "commit")), commit))
			continue;
		if (json_is_object(f))
			strbuf_addf(&sb, "ABI001 %s: %s",
				    json_string_value(json_object_get(f, "severity")),
				    json_string_value(json_object_get(f, "message")));
		else
			strbuf_addf(&sb, "no finding: %s",
				    json_string_value(json_object_get(v, "reason")));
	}
	ck_assert_msg(sb.len, "%s %s: %s is not a backport", scenario, stream, id);
	json_decref(root);
	scenario_release(&s);
	return strbuf_detach(&sb, NULL);
}

/* One reason: a backport whose verdict must say it, and one whose verdict must not. */
struct reason_case {
	const char *text;
	const char *scenario, *stream, *shows;
	const char *near_scenario, *near_stream, *near_miss, *near_says;
};

static const struct reason_case reasons[] = {
	/* the commit that adds X.Y.Z covers its own change; another release's is not covered */
	{ "no finding: covered by bugfix machine pc-q35-12.0.1",
	  "engine/history.json", "stable-12.0", "s_irq_machine",
	  "engine/history.json", "stable-12.0", "s_irq", "ABI001 error: " },
	/* the same release, and the bugfix commit's hw_compat_12_0 names the property */
	{ "no finding: covered by bugfix machine pc-q35-12.0.1",
	  "engine/verdicts.json", "stable-12.0", "s_burst",
	  "engine/verdicts.json", "stable-12.0", "s_depth", "ABI001 error: " },
	/* code no property gates, beside a bugfix machine that holds something back */
	{ "no finding: covered by bugfix machine pc-q35-12.0.1",
	  "engine/verdicts.json", "stable-12.0", "s_wide",
	  "engine/verdicts.json", "stable-12.0", "s_fast2", "ABI001 error: " },
	{ "a compat entry in hw_compat_12_0 keeps the 12.0 machines as they were",
	  "engine/verdicts.json", "stable-12.0", "s_level",
	  "engine/verdicts.json", "stable-12.0", "s_depth", "ABI001 error: " },
	{ "no finding: reaches only s390x-ccw machines, and the stream has no 12.0 one",
	  "engine/scope.json", "stable-12.0", "bp_s390",
	  "engine/scope.json", "stable-12.0", "bp_ppc", "ABI001 error: " },
	{ "no finding: makes the stream's own machine type pseries-12.0 the default",
	  "engine/verdicts.json", "stable-12.0", "s_default",
	  "engine/verdicts.json", "stable-12.0", "s_future",
	  "no finding: makes pseries-12.1 the default, not a 12.0 machine: ABI003's finding" },
	{ "no finding: evidence is review-only: machine-class-field",
	  "demo/demo.json", "stable-10.0", "s100_smbios",
	  "demo/demo.json", "stable-10.0", "s100_archcap", "ABI001 error: " },
	{ "no finding: edits compat array hw_compat_9_2 of the stream's release: ABI002's business",
	  "demo/demo.json", "stable-10.1", "s101_poison",
	  "engine/verdicts.json", "stable-12.0", "s_level",
	  "no finding: compat array hw_compat_12_0 is new to the stream" },
	{ "no finding: reverts the stream's backport",
	  "demo/demo.json", "stable-9.2", "s92_revert",
	  "demo/demo.json", "stable-9.2", "s92_xhci", "ABI001 error: " },
	/* reverted before a release shipped it; s92_xhci was reverted after v9.2.1 shipped it */
	{ "no finding: withdrawn before release: ",
	  "engine/history.json", "stable-12.0", "s_burst",
	  "demo/demo.json", "stable-9.2", "s92_xhci", "ABI001 error: " },
	{ "no finding: code of the 12.1 machines, newer than the stream's",
	  "engine/verdicts.json", "stable-12.0", "s_newer",
	  "engine/verdicts.json", "stable-12.0", "s_own", "ABI001 warning: " },
	{ "no finding: merge: ",
	  "engine/verdicts.json", "stable-12.0", "s_merge",
	  "engine/verdicts.json", "stable-12.0", "side", "no finding: no guest-ABI evidence" },
	{ "no finding: no guest-ABI evidence",
	  "engine/verdicts.json", "stable-12.0", "side",
	  "engine/verdicts.json", "stable-12.0", "s_wide", "no finding: covered by bugfix" },
};

START_TEST(each_reason_shows_where_it_applies_and_only_there)
{
	const struct reason_case *c = &reasons[_i];
	char *shown = verdict_text(c->scenario, c->stream, c->shows);
	char *near = verdict_text(c->near_scenario, c->near_stream, c->near_miss);

	ck_assert_msg(strstr(shown, c->text), "%s %s: want \"%s\", got \"%s\"", c->scenario,
		      c->shows, c->text, shown);
	ck_assert_msg(!strstr(near, c->text), "%s %s: near miss shows \"%s\": \"%s\"",
		      c->near_scenario, c->near_miss, c->text, near);
	ck_assert_msg(!strncmp(near, c->near_says, strlen(c->near_says)),
		      "%s %s: near miss: want \"%s...\", got \"%s\"", c->near_scenario,
		      c->near_miss, c->near_says, near);
	free(shown);
	free(near);
}
END_TEST

/* master's .mtcheck.json turns ABI001 off: audit reports none, and every verdict says why. */
START_TEST(a_disabled_rule_is_a_reason)
{
	struct scenario s;
	const char *args[] = { "backports", "stable-12.0", NULL };
	const char *audit[] = { "audit", NULL };
	const char *add[] = { "git", "add", ".mtcheck.json", NULL };
	const char *commit[] = { "git", "-c", "user.name=T", "-c", "user.email=t@example.org",
				 "commit", "-q", "-m", "policy: no ABI001", NULL };
	struct strbuf path = STRBUF_INIT;
	json_t *root, *bp, *f;
	FILE *out;
	size_t i, n = 0;

	test_scenario(&s, "engine/verdicts.json");
	root = test_run_json(&s, 1, audit);
	json_array_foreach(json_object_get(root, "findings"), i, f)
		n += !strcmp(json_string_value(json_object_get(f, "rule")), "ABI001");
	ck_assert_uint_ge(n, 3);
	json_decref(root);
	strbuf_addf(&path, "%s/.mtcheck.json", s.path);
	out = fopen(path.buf, "w");
	ck_assert_ptr_nonnull(out);
	fputs("{\"schema\": 1, \"rules\": {\"ABI001\": {\"enabled\": false}}}\n", out);
	fclose(out);
	ck_assert_int_eq(test_exec(NULL, s.path, add), 0);
	ck_assert_int_eq(test_exec(NULL, s.path, commit), 0);
	root = test_run_json(&s, 1, audit);
	json_array_foreach(json_object_get(root, "findings"), i, f)
		ck_assert_str_ne(json_string_value(json_object_get(f, "rule")), "ABI001");
	json_decref(root);
	root = test_run_json(&s, 0, args);
	json_array_foreach(json_object_get(root, "backports"), i, bp) {
		json_t *v = json_object_get(bp, "verdict");

		ck_assert(json_is_null(json_object_get(v, "finding")));
		ck_assert_str_eq(json_string_value(json_object_get(v, "reason")),
				 "ABI001 is disabled by the policy");
	}
	json_decref(root);
	strbuf_release(&path);
	scenario_release(&s);
}
END_TEST

/* The text listing: a verdict line under every backport with evidence. */
START_TEST(text_listing_has_a_verdict_line_under_evidence)
{
	struct scenario s;
	const char *args[] = { "--repo", NULL, "backports", "stable-12.0", NULL };
	struct run_result r;
	const char *line;
	bool evidence = false;

	test_scenario(&s, "engine/verdicts.json");
	args[1] = s.path;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "    verdict: ABI001 error: backport changes what guests of "
				    "pc-q35-12.0, pc-i440fx-12.0, pseries-12.0 see (call added: "
				    "virtio_add_feature(&features, VIRTIO_GIZMO_F_FAST2))"),
		      "%s", r.out);
	ck_assert_msg(strstr(r.out, "    verdict: no finding: covered by bugfix machine "
				    "pc-q35-12.0.1\n"), "%s", r.out);
	/* evidence lines, then the verdict before the next commit */
	for (line = r.out; *line; line = strchr(line, '\n') + 1) {
		if (!strncmp(line, "    verdict: ", 13))
			evidence = false;
		else if (!strncmp(line, "    ", 4) && strncmp(line, "    note: ", 10))
			evidence = true;
		else
			ck_assert_msg(!evidence, "evidence without a verdict before: %.60s", line);
		if (!strchr(line, '\n'))
			break;
	}
	ck_assert(!evidence);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

Suite *suite_verdict(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, backports_and_audit_agree_on_every_scenario_backport);
	tcase_add_loop_test(tc, each_reason_shows_where_it_applies_and_only_there, 0,
			    (int)(sizeof(reasons) / sizeof(reasons[0])));
	tcase_add_test(tc, text_listing_has_a_verdict_line_under_evidence);
	tcase_add_test(tc, a_disabled_rule_is_a_reason);
	suite_add_tcase(s, tc);
	return s;
}
