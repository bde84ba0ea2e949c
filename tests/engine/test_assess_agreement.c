/*
 * `assess` and `check` give one answer about the same commit: for every
 * backport of every scenario history, assessing its upstream commit against
 * the stream as it stood before the backport (--onto BACKPORT^) reports the
 * findings `check --all` reports for the backport itself: same rule,
 * severity, message, file, line and machine.
 */
#include <check.h>
#include <stdbool.h>
#include <glob.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "testutil.h"
#include "util/error.h"
#include "util/strbuf.h"

struct agreement {
	size_t backports, findings, picked_with_conflicts;
};

static json_t *run_json(const char *const *args)
{
	struct run_result r;
	json_error_t err;
	json_t *root;

	run_mtcheck(&r, NULL, args);
	ck_assert_msg(r.status == 0 || r.status == 1, "mtcheck %s %s: exit %d: %s", args[2],
		      args[3], r.status, r.err);
	root = json_loads(r.out, 0, &err);
	ck_assert_msg(root, "mtcheck %s: %s", args[2], err.text);
	run_result_release(&r);
	return root;
}

/* One finding as the comparison sees it: the stream's name replaced. */
static char *finding_key(json_t *f, const char *stream_name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *msg = json_string_value(json_object_get(f, "message"));
	const char *machine = json_string_value(json_object_get(f, "machine"));
	const char *at;
	size_t n = strlen(stream_name);

	strbuf_addf(&sb, "%s %s %s:%lld %s ", json_string_value(json_object_get(f, "rule")),
		    json_string_value(json_object_get(f, "severity")),
		    json_string_value(json_object_get(f, "path")),
		    (long long)json_integer_value(json_object_get(f, "line")),
		    machine ? machine : "-");
	while ((at = strstr(msg, stream_name))) {
		strbuf_add(&sb, msg, (size_t)(at - msg));
		strbuf_addstr(&sb, "{stream}");
		msg = at + n;
	}
	strbuf_addstr(&sb, msg);
	return strbuf_detach(&sb, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of the findings in `arr` (those about `commit` when not NULL), sorted, joined. */
static char *keys(json_t *arr, const char *commit, const char *stream_name)
{
	struct strbuf sb = STRBUF_INIT;
	char **v = calloc(json_array_size(arr) + 1, sizeof(*v));
	size_t i, n = 0;
	json_t *f;

	json_array_foreach(arr, i, f) {
		const char *c = json_string_value(json_object_get(f, "commit"));

		if (commit && (!c || strcmp(c, commit)))
			continue;
		v[n++] = finding_key(f, stream_name);
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s\n", v[i]);
		free(v[i]);
	}
	free(v);
	return strbuf_detach(&sb, NULL);
}

static void agree_on_backport(struct agreement *a, const char *repo, const char *stream,
			      json_t *bp)
{
	const char *commit = json_string_value(json_object_get(bp, "commit"));
	const char *upstream = json_string_value(json_object_get(bp, "upstream"));
	struct strbuf parent = STRBUF_INIT;
	const char *version = stream + strlen("stable-");
	json_t *checked, *assessed, *verdict;
	char *want, *got;

	strbuf_addf(&parent, "%s^", commit);
	{
		const char *check_args[] = { "--repo", repo, "check", commit, "--stream", version,
					     "--all", "--format", "json", NULL };
		const char *assess_args[] = { "--repo", repo, "assess", upstream, "--stream", stream,
					      "--onto", parent.buf, "--format", "json", NULL };

		checked = run_json(check_args);
		assessed = run_json(assess_args);
	}
	verdict = json_array_get(json_object_get(assessed, "streams"), 0);
	ck_assert_msg(verdict && !json_is_true(json_object_get(verdict, "contains")),
		      "%s %s: assess says the stream before the backport has %s already", repo,
		      stream, upstream);
	/* Both name the stream stable-X.Y: check's revision is a commit, not a stream name. */
	want = keys(json_object_get(checked, "findings"), commit, stream);
	got = keys(json_object_get(verdict, "findings"), NULL, stream);
	ck_assert_msg(!strcmp(want, got),
		      "%s %s: backport %s (upstream %s)\ncheck says:\n%sassess says:\n%s", repo,
		      stream, commit, upstream, want, got);
	a->backports++;
	a->findings += json_array_size(json_object_get(verdict, "findings"));
	a->picked_with_conflicts += json_array_size(json_object_get(verdict, "dropped")) > 0;
	free(want);
	free(got);
	json_decref(checked);
	json_decref(assessed);
	strbuf_release(&parent);
}

/* Whether the ref defines a machine type or a compat array. */
static bool has_machine_files(const char *repo, const char *ref)
{
	const char *args[] = { "--repo", repo, "machines", ref, "--format", "json", NULL };
	struct run_result r;
	json_t *root;
	bool has;

	run_mtcheck(&r, NULL, args);
	root = r.status == 0 ? json_loads(r.out, 0, NULL) : NULL;
	has = root && (json_array_size(json_object_get(root, "machines")) ||
		       json_array_size(json_object_get(root, "compat")));
	json_decref(root);
	run_result_release(&r);
	return has;
}

/* Whether master or a stable stream has QEMU machine files (check refuses a history without). */
static bool qemu_shaped(const char *repo, json_t *streams)
{
	json_t *st;
	size_t i;

	json_array_foreach(json_object_get(streams, "streams"), i, st) {
		const char *name = json_string_value(json_object_get(st, "name"));

		if (name && has_machine_files(repo, name))
			return true;
	}
	return has_machine_files(repo, "master");
}

static void agree_on_scenario(struct agreement *a, const char *file)
{
	struct scenario s;
	char *dest = test_tmppath("repo");
	const char *streams_args[] = { "--repo", NULL, "streams", "--format", "json", NULL };
	json_t *streams, *st;
	size_t i;

	if (scenario_build(&s, file, dest) < 0) {
		/* not a history (a policy file beside the scenarios) */
		mt_error_clear();
		free(dest);
		return;
	}
	streams_args[1] = s.path;
	streams = run_json(streams_args);
	if (!qemu_shaped(s.path, streams)) {
		/* a history without machine files: check refuses it (exit 2), assess is moot */
		json_decref(streams);
		scenario_release(&s);
		free(dest);
		return;
	}
	json_array_foreach(json_object_get(streams, "streams"), i, st) {
		const char *name = json_string_value(json_object_get(st, "name"));
		const char *bp_args[] = { "--repo", s.path, "backports", name, "--format", "json",
					  NULL };
		json_t *bps, *bp;
		size_t j;

		if (strncmp(name, "stable-", 7))
			continue;
		bps = run_json(bp_args);
		json_array_foreach(json_object_get(bps, "backports"), j, bp) {
			if (json_is_string(json_object_get(bp, "upstream")))
				agree_on_backport(a, s.path, name, bp);
		}
		json_decref(bps);
	}
	json_decref(streams);
	scenario_release(&s);
	free(dest);
}

START_TEST(assess_agrees_with_check_on_every_scenario_backport)
{
	struct agreement a = { 0, 0, 0 };
	char *pattern = test_path("scenarios/*/*.json");
	glob_t g;
	size_t i;

	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++)
		agree_on_scenario(&a, g.gl_pathv[i]);
	globfree(&g);
	free(pattern);
	/*
	 * Enough to mean something: backports with findings, and picks that
	 * conflicted. (17 backports: the histories without machine files, which
	 * check refuses, gave only vacuous agreements.)
	 */
	ck_assert_uint_ge(a.backports, 15);
	ck_assert_uint_ge(a.findings, 5);
	ck_assert_uint_ge(a.picked_with_conflicts, 1);
}
END_TEST

Suite *suite_assess_agreement(void)
{
	Suite *s = suite_create("assess_agreement");
	TCase *tc = tcase_create("assess_agreement");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, assess_agrees_with_check_on_every_scenario_backport);
	suite_add_tcase(s, tc);
	return s;
}
