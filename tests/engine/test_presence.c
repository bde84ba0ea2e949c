/*
 * Rules that read history rather than today's tips, through `mtcheck audit`
 * and `check` on tests/scenarios/engine/presence.json: a bugfix machine
 * deleted from master alone or with its base (BFM002), one a newer stream
 * lacked when it shipped (BFM003), tagged machines over every release
 * (BFM004), the harm ABI003 names, and --as-of flipping verdicts.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/*
 * The findings of `rule` on `stream` about `machine` (each NULL: any); the
 * last one found in *out (NULL when none).
 */
static int find(json_t **out, json_t *root, const char *rule, const char *stream,
		const char *machine)
{
	json_t *f;
	size_t i;
	int n = 0;

	if (out)
		*out = NULL;
	json_array_foreach(json_object_get(root, "findings"), i, f) {
		const char *fs = json_string_value(json_object_get(f, "stream"));
		const char *fm = json_string_value(json_object_get(f, "machine"));

		if (strcmp(json_string_value(json_object_get(f, "rule")), rule) ||
		    (stream && (!fs || strcmp(fs, stream))) ||
		    (machine && (!fm || strcmp(fm, machine))))
			continue;
		if (out)
			*out = f;
		n++;
	}
	return n;
}

static const char *field(json_t *f, const char *key)
{
	return json_string_value(json_object_get(f, key));
}

/* The message names the commit by its first 12 digits. */
static void assert_names(json_t *f, struct scenario *s, const char *id)
{
	char hex[13];

	snprintf(hex, sizeof(hex), "%.12s", scenario_hex(s, id));
	ck_assert_msg(strstr(field(f, "message"), hex), "%s not named in: %s", id,
		      field(f, "message"));
}

START_TEST(bugfix_machine_deleted_alone_or_with_its_base)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	json_t *j, *f;

	test_scenario(&s, "engine/presence.json");
	j = test_run_json(&s, 1, audit);
	/* removed alone while pc-i440fx-12.0 stayed: where master added and removed it */
	ck_assert_int_eq(find(&f, j, "BFM002", "stable-12.0", "pc-i440fx-12.0.1"), 1);
	ck_assert_str_eq(field(f, "commit"), scenario_hex(&s, "s_piixfix"));
	assert_names(f, &s, "drop_alone");
	assert_names(f, &s, "piixfix");
	/* retired together with pc-q35-12.0: the lifecycle at work, though master's tip lacks it */
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, "pc-q35-12.0.1"), 0);
	/* added only after master's next release: late, and the message says where */
	ck_assert_int_eq(find(&f, j, "BFM002", "stable-11.2", "pc-i440fx-11.2.1"), 1);
	ck_assert_ptr_nonnull(strstr(field(f, "message"), "next release v12.1.0 does not define it"));
	assert_names(f, &s, "piix112");
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, NULL), 2);
	/* stable-12.0 was maintained when v11.2.1 shipped, and v12.0.1 lacks the machine */
	ck_assert_int_eq(find(&f, j, "BFM003", "stable-12.0", "pc-i440fx-11.2.1"), 1);
	ck_assert_ptr_nonnull(strstr(field(f, "message"), "v12.0.1"));
	/* stable-12.1 branched after both releases: master's business (BFM002) */
	ck_assert_int_eq(find(NULL, j, "BFM003", "stable-12.1", NULL), 0);
	ck_assert_int_eq(find(NULL, j, "BFM003", NULL, NULL), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(grace_in_releases)
{
	struct scenario s;
	const char *two[] = { "audit", "--param", "BFM002.grace_releases=2", NULL };
	json_t *j;

	test_scenario(&s, "engine/presence.json");
	j = test_run_json(&s, 1, two);
	/* master got pc-i440fx-11.2.1 before its second release after v11.2.1 */
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, "pc-i440fx-11.2.1"), 0);
	/* carried at its first release after v12.0.1, so the later release lacking it is no excuse */
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, "pc-q35-12.0.1"), 0);
	ck_assert_int_eq(find(NULL, j, "BFM002", "stable-12.0", "pc-i440fx-12.0.1"), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(tagged_machines_over_every_release)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *strict[] = { "audit", "--severity", "BFM004=error", NULL };
	const char *check[] = { "check", "stable-12.0", "--all", NULL };
	json_t *j, *f;

	test_scenario(&s, "engine/presence.json");
	j = test_run_json(&s, 1, audit);
	/* master removed it before v12.1.0: still reported, once, at the commit that added it */
	ck_assert_int_eq(find(&f, j, "BFM004", NULL, "pseries-11.2-sxxm"), 1);
	ck_assert_str_eq(field(f, "stream"), "master");
	ck_assert_str_eq(field(f, "commit"), scenario_hex(&s, "add_sxxm"));
	ck_assert_str_eq(field(f, "severity"), "warning");
	ck_assert_ptr_nonnull(strstr(field(f, "message"), "2 releases, v12.0.0 (2030-04-20) to "
					       "v12.0.1 (2030-06-01)"));
	/* a backport that adds one: an error on its stream */
	ck_assert_int_eq(find(&f, j, "BFM004", "stable-12.0", "pseries-12.0-hotfix"), 1);
	ck_assert_str_eq(field(f, "commit"), scenario_hex(&s, "s_tag"));
	ck_assert_str_eq(field(f, "severity"), "error");
	ck_assert_int_eq(find(NULL, j, "BFM004", NULL, NULL), 2);
	json_decref(j);
	j = test_run_json(&s, 1, strict);
	ck_assert_int_eq(find(&f, j, "BFM004", "master", "pseries-11.2-sxxm"), 1);
	ck_assert_str_eq(field(f, "severity"), "error");
	json_decref(j);
	/* check looks at what the stream introduced */
	j = test_run_json(&s, 1, check);
	ck_assert_int_eq(find(NULL, j, "BFM004", NULL, NULL), 1);
	ck_assert_int_eq(find(NULL, j, "BFM004", "stable-12.0", "pseries-12.0-hotfix"), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(as_of_flips_the_verdict)
{
	struct scenario s;
	const char *before_drop[] = { "audit", "--as-of", "2030-09-09", NULL };
	const char *after_drop[] = { "audit", "--as-of", "2030-09-10", NULL };
	const char *before_fix[] = { "audit", "--param", "BFM002.grace_releases=2", "--as-of",
				     "2030-10-31", NULL };
	const char *after_fix[] = { "audit", "--param", "BFM002.grace_releases=2", "--as-of",
				    "2030-11-01T12:00:00Z", NULL };
	const char *at_tag[] = { "audit", "--as-of", "v12.0.0", NULL };
	json_t *j;

	test_scenario(&s, "engine/presence.json");
	/* a machine master dropped alone: in order before, a finding after */
	j = test_run_json(&s, 1, before_drop);
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, "pc-i440fx-12.0.1"), 0);
	json_decref(j);
	j = test_run_json(&s, 1, after_drop);
	ck_assert_int_eq(find(NULL, j, "BFM002", "stable-12.0", "pc-i440fx-12.0.1"), 1);
	json_decref(j);
	/* a machine master lacked, then added within the grace: a finding, then fixed */
	j = test_run_json(&s, 1, before_fix);
	ck_assert_int_eq(find(NULL, j, "BFM002", "stable-11.2", "pc-i440fx-11.2.1"), 1);
	json_decref(j);
	j = test_run_json(&s, 1, after_fix);
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, "pc-i440fx-11.2.1"), 0);
	json_decref(j);
	/* at a tag: later tags, branches and commits are not there yet */
	j = test_run_json(&s, 0, at_tag);
	ck_assert_int_eq(find(NULL, j, "BFM004", "master", "pseries-11.2-sxxm"), 1);
	ck_assert_int_eq(find(NULL, j, "BFM004", NULL, "pseries-12.0-hotfix"), 0);
	ck_assert_int_eq(find(NULL, j, "BFM002", NULL, NULL), 0);
	ck_assert_int_eq((int)json_array_size(json_object_get(j, "findings")), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(as_of_errors)
{
	struct scenario s;
	struct run_result r;
	const char *early[] = { "--repo", NULL, "check", "stable-12.1", "--as-of", "2030-08-01",
				NULL };
	const char *bad[] = { "--repo", NULL, "audit", "--as-of", "2030-13-01", NULL };
	const char *ok[] = { "--repo", NULL, "check", "stable-12.0", "--as-of", "2030-05-11", NULL };

	test_scenario(&s, "engine/presence.json");
	early[1] = bad[1] = ok[1] = s.path;
	run_mtcheck(&r, NULL, early);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: stable-12.1: no such stream as of 2030-08-01 (no branch, "
				"or no v12.1.0 tag yet)\n");
	run_result_release(&r);
	run_mtcheck(&r, NULL, bad);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "--as-of"));
	ck_assert_ptr_nonnull(strstr(r.err, "2030-13-01"));
	run_result_release(&r);
	/* stable-12.0 on 2030-05-11: two bugfix machines, nothing released, master has both */
	run_mtcheck(&r, NULL, ok);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "BFM002"), NULL);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(abi003_names_the_harm)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	json_t *j, *f;

	test_scenario(&s, "engine/history.json");
	j = test_run_json(&s, 1, audit);
	ck_assert_int_eq(find(&f, j, "ABI003", "stable-12.0", "pc-q35-12.1"), 1);
	ck_assert_msg(strstr(field(f, "message"), "v12.0.1 made it the default machine and the "
						  "unversioned alias 'q35'"),
		      "%s", field(f, "message"));
	json_decref(j);
	scenario_release(&s);
}
END_TEST

static json_t *stream_named(json_t *root, const char *name)
{
	json_t *st;
	size_t i;

	json_array_foreach(json_object_get(root, "streams"), i, st) {
		if (!strcmp(field(st, "name"), name))
			return st;
	}
	ck_abort_msg("no stream %s", name);
	return NULL;
}

START_TEST(streams_for_people)
{
	struct scenario s, dev;
	struct run_result r;
	const char *text[] = { "--repo", NULL, "streams", NULL };
	const char *json[] = { "streams", NULL };
	json_t *j, *st;

	test_scenario(&s, "engine/presence.json");
	text[1] = s.path;
	run_mtcheck(&r, NULL, text);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "STREAM       BASE                  TIP           FIRST RELEASE"),
			 r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "VERSION 12.2.0 [master]\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "stable-12.0  v12.0.0 (2030-04-20)  "));
	ck_assert_ptr_nonnull(strstr(r.out, "  v12.0.1 (2030-06-01)  v12.0.1 (2030-06-01)  yes         "
					    "pc-q35-12.0.1, pc-i440fx-12.0.1\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "  yes         -\n")); /* stable-12.1: none */
	run_result_release(&r);
	j = test_run_json(&s, 0, json);
	ck_assert(json_is_null(json_object_get(json_object_get(j, "master"), "development")));
	st = stream_named(j, "stable-11.2");
	ck_assert_str_eq(field(st, "base_date"), "2029-12-15");
	ck_assert_str_eq(field(st, "first_release"), "v11.2.1");
	ck_assert_str_eq(field(st, "last_release_date"), "2030-05-20");
	ck_assert(json_is_true(json_object_get(st, "maintained")));
	ck_assert_uint_eq(json_array_size(json_object_get(st, "bugfix_machines")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(st, "bugfix_machines"), 0)),
			 "pc-i440fx-11.2.1");
	json_decref(j);
	/* master in development, a stream without its X.Y.0 tag nor any release */
	test_scenario(&dev, "history/streams.json");
	j = test_run_json(&dev, 0, json);
	ck_assert_str_eq(field(json_object_get(j, "master"), "version"), "4.1.50");
	ck_assert_str_eq(field(json_object_get(j, "master"), "development"), "4.2");
	st = stream_named(j, "stable-4.1");
	ck_assert(json_is_null(json_object_get(st, "first_release")));
	ck_assert(json_is_null(json_object_get(st, "base_date")));
	ck_assert(json_is_false(json_object_get(st, "maintained")));
	ck_assert(json_is_true(json_object_get(stream_named(j, "stable-4.0"), "maintained")));
	json_decref(j);
	scenario_release(&dev);
	scenario_release(&s);
}
END_TEST

Suite *suite_presence(void)
{
	Suite *s = suite_create("presence");
	TCase *tc = tcase_create("presence");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, bugfix_machine_deleted_alone_or_with_its_base);
	tcase_add_test(tc, grace_in_releases);
	tcase_add_test(tc, tagged_machines_over_every_release);
	tcase_add_test(tc, as_of_flips_the_verdict);
	tcase_add_test(tc, as_of_errors);
	tcase_add_test(tc, abi003_names_the_harm);
	tcase_add_test(tc, streams_for_people);
	suite_add_tcase(s, tc);
	return s;
}
