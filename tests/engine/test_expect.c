/*
 * The rules on the histories of tests/scenarios/engine/: each scenario's
 * "expect" list says what mtcheck reports there, and this one runner holds
 * every file to it, so a rule's fixtures (the history that triggers it and
 * the near-misses that must not) sit beside the history as data.
 *
 *   "expect": [
 *     { "why": "...", "run": ["audit"], "exit": 1, "total": 11,
 *       "findings": [
 *         { "why": "...", "rule": "BFM001", "stream": "stable-12.0",
 *           "commit": "s_q35b", "machine": "pc-q35-12.0.2", "count": 1,
 *           "severity": "error", "path": "hw/i386/pc_q35.c",
 *           "message_has": ["..."], "message_lacks": ["..."] } ] } ]
 *
 * `run` goes after --repo and --format json; `exit` is the status wanted;
 * `total`, when given, the number of findings. In a matcher, rule, stream,
 * commit (a scenario id) and machine pick findings, `count` (default 1)
 * says how many there are, and severity, path and the message strings hold
 * for each of them. An unknown key is an error, so a typo cannot pass.
 * Every rule of rules/rules.json needs a matcher that finds it and a
 * near-miss (`"count": 0`) somewhere here.
 */
#include <check.h>
#include <glob.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"
#include "testutil.h"
#include "util/strbuf.h"

static glob_t files;

static void check_keys(json_t *obj, const char *const *allowed, const char *where)
{
	const char *key;
	json_t *v;
	size_t i;

	ck_assert_msg(json_is_object(obj), "%s: not an object", where);
	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		ck_assert_msg(allowed[i] != NULL, "%s: unknown key \"%s\"", where, key);
	}
}

static const char *str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static bool picks(json_t *finding, json_t *m, struct scenario *s)
{
	static const char *const keys[] = { "rule", "stream", "machine", NULL };
	const char *commit = str(m, "commit"), *fc = str(finding, "commit");
	size_t i;

	for (i = 0; keys[i]; i++) {
		const char *want = str(m, keys[i]), *got = str(finding, keys[i]);

		if (want && (!got || strcmp(want, got)))
			return false;
	}
	return !commit || (fc && !strcmp(fc, scenario_hex(s, commit)));
}

/* Each of `key`'s strings is (want) or is not in `msg`. */
static void message_strings(json_t *m, const char *key, const char *msg, bool want,
			    const char *where)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(m, key), i, v) {
		const char *needle = json_string_value(v);

		ck_assert_msg(needle, "%s: %s holds strings", where, key);
		ck_assert_msg((strstr(msg, needle) != NULL) == want, "%s: message %s \"%s\": %s",
			      where, want ? "lacks" : "has", needle, msg);
	}
}

static void match(json_t *report, json_t *m, struct scenario *s, const char *where)
{
	static const char *const keys[] = { "why", "rule", "stream", "commit", "machine", "count",
					    "severity", "path", "message_has", "message_lacks",
					    NULL };
	json_t *f, *count = json_object_get(m, "count");
	long long want = count ? json_integer_value(count) : 1, n = 0;
	size_t i;

	check_keys(m, keys, where);
	ck_assert_msg(str(m, "rule"), "%s: a matcher names its rule", where);
	json_array_foreach(json_object_get(report, "findings"), i, f) {
		const char *sev = str(m, "severity"), *path = str(m, "path");
		const char *msg = str(f, "message");

		if (!picks(f, m, s))
			continue;
		n++;
		ck_assert_msg(!sev || !strcmp(sev, str(f, "severity")), "%s: severity %s, want %s",
			      where, str(f, "severity"), sev);
		ck_assert_msg(!path || !strcmp(path, str(f, "path")), "%s: path %s, want %s", where,
			      str(f, "path"), path);
		message_strings(m, "message_has", msg, true, where);
		message_strings(m, "message_lacks", msg, false, where);
	}
	ck_assert_msg(n == want, "%s: %lld findings, want %lld", where, n, want);
}

static void run_expectation(json_t *e, struct scenario *s, const char *file, size_t k)
{
	static const char *const keys[] = { "why", "run", "exit", "total", "findings", NULL };
	const char *args[28];
	struct strbuf where = STRBUF_INIT;
	json_t *report, *v, *m;
	size_t i, n = 0;

	strbuf_addf(&where, "%s expect[%zu]", file, k);
	check_keys(e, keys, where.buf);
	json_array_foreach(json_object_get(e, "run"), i, v) {
		ck_assert_msg(n < 27 && json_is_string(v), "%s: run", where.buf);
		args[n++] = json_string_value(v);
	}
	args[n] = NULL;
	ck_assert_msg(n > 0 && json_is_integer(json_object_get(e, "exit")),
		      "%s: needs \"run\" and \"exit\"", where.buf);
	report = test_run_json(s, (int)json_integer_value(json_object_get(e, "exit")), args);
	json_array_foreach(json_object_get(e, "findings"), i, m) {
		struct strbuf at = STRBUF_INIT;

		strbuf_addf(&at, "%s findings[%zu] (%s)", where.buf, i,
			    str(m, "why") ? str(m, "why") : "-");
		match(report, m, s, at.buf);
		strbuf_release(&at);
	}
	if ((v = json_object_get(e, "total")) != NULL)
		ck_assert_msg(json_array_size(json_object_get(report, "findings")) ==
				      (size_t)json_integer_value(v),
			      "%s: %zu findings in all, want %lld", where.buf,
			      json_array_size(json_object_get(report, "findings")),
			      (long long)json_integer_value(v));
	json_decref(report);
	strbuf_release(&where);
}

START_TEST(scenario_reports_what_it_expects)
{
	const char *path = files.gl_pathv[_i], *name = strstr(path, "scenarios/");
	struct scenario s;
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *e;
	size_t k;

	ck_assert_msg(root, "%s: %s", path, err.text);
	name += strlen("scenarios/");
	test_scenario(&s, name);
	json_array_foreach(json_object_get(root, "expect"), k, e)
		run_expectation(e, &s, name, k);
	scenario_release(&s);
	json_decref(root);
}
END_TEST

/* Every history of tests/scenarios/engine/ says what it expects. */
START_TEST(every_engine_scenario_has_expectations)
{
	size_t i;

	ck_assert_uint_gt(files.gl_pathc, 0);
	for (i = 0; i < files.gl_pathc; i++) {
		json_t *root = json_load_file(files.gl_pathv[i], 0, NULL);

		ck_assert_msg(json_array_size(json_object_get(root, "expect")) > 0,
			      "%s: no \"expect\"", files.gl_pathv[i]);
		json_decref(root);
	}
}
END_TEST

/* Whether some expect matcher of `rule` wants findings (`found`) or none. */
static bool has_matcher(const char *rule, bool found)
{
	bool has = false;
	size_t i, k, j;

	for (i = 0; i < files.gl_pathc && !has; i++) {
		json_t *root = json_load_file(files.gl_pathv[i], 0, NULL), *e, *m;

		json_array_foreach(json_object_get(root, "expect"), k, e) {
			json_array_foreach(json_object_get(e, "findings"), j, m) {
				json_t *count = json_object_get(m, "count");

				if (str(m, "rule") && !strcmp(str(m, "rule"), rule) &&
				    (count ? json_integer_value(count) > 0 : true) == found)
					has = true;
			}
		}
		json_decref(root);
	}
	return has;
}

/* Each rule of the catalogue has a history that triggers it and a near-miss that must not. */
START_TEST(every_rule_has_a_trigger_and_a_near_miss)
{
	char *path = test_path("../rules/rules.json");
	json_t *root = json_load_file(path, 0, NULL), *rule;
	size_t i;

	ck_assert_msg(json_array_size(json_object_get(root, "rules")) > 0, "%s", path);
	json_array_foreach(json_object_get(root, "rules"), i, rule) {
		const char *id = str(rule, "id");

		ck_assert_msg(has_matcher(id, true), "%s: no engine scenario expects it", id);
		ck_assert_msg(has_matcher(id, false), "%s: no engine scenario has a near-miss", id);
	}
	json_decref(root);
	free(path);
}
END_TEST

Suite *suite_expect(void)
{
	Suite *s = suite_create("expect");
	TCase *tc = tcase_create("expect");
	char *pattern = test_path("scenarios/engine/*.json");

	globfree(&files);
	memset(&files, 0, sizeof(files));
	glob(pattern, 0, NULL, &files);
	free(pattern);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_engine_scenario_has_expectations);
	tcase_add_test(tc, every_rule_has_a_trigger_and_a_near_miss);
	tcase_add_loop_test(tc, scenario_reports_what_it_expects, 0, (int)files.gl_pathc);
	suite_add_tcase(s, tc);
	return s;
}
