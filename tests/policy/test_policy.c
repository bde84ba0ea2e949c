/* The rule catalogue and the layers over it: .mtcheck.json and the command line. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mtlimits.h"
#include "policy/policy.h"
#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"
#include "util/jsonfile.h"

/* policy_catalogue_from_json on text in memory. */
static int policy_parse_catalogue(struct policy *policy, const char *name, const char *text,
				  size_t len)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = policy_catalogue_from_json(policy, &jf);
	json_file_release(&jf);
	return ret;
}

#define CATALOGUE MT_TEST_DIR "/../rules/rules.json"

static void load_builtin(struct policy *p)
{
	policy_init(p);
	ck_assert_msg(policy_load_catalogue(p, CATALOGUE) == 0, "%s", mt_error_last());
}

/* Reads tests/policy/NAME into sb. */
static void read_fixture(struct strbuf *sb, const char *name)
{
	struct strbuf path = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f;

	strbuf_addf(&path, "%s/policy/%s", MT_TEST_DIR, name);
	f = fopen(path.buf, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path.buf);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(sb, buf, n);
	fclose(f);
	strbuf_release(&path);
}

/* Loads a catalogue fixture, expecting failure with exactly `message`. */
static void expect_catalogue_error(const char *name, const char *message)
{
	struct policy p;
	struct strbuf text = STRBUF_INIT, want = STRBUF_INIT;

	policy_init(&p);
	read_fixture(&text, name);
	ck_assert_int_eq(policy_parse_catalogue(&p, name, text.buf, text.len), MT_ERROR);
	strbuf_addf(&want, "%s:%s", name, message);
	ck_assert_str_eq(mt_error_last(), want.buf);
	policy_release(&p);
	strbuf_release(&text);
	strbuf_release(&want);
}

static int apply_fixture(struct policy *p, const char *name)
{
	struct strbuf text = STRBUF_INIT;
	int ret;

	read_fixture(&text, name);
	ret = policy_apply_config(p, name, text.buf, text.len);
	strbuf_release(&text);
	return ret;
}

START_TEST(builtin_catalogue_has_every_rule_of_the_design)
{
	static const char *const ids[] = { "ABI001", "ABI002", "ABI003", "BFM001", "BFM002",
					   "BFM003", "BFM004", "BFM005", "BFM006", "LIFE001",
					   "LIFE002", "MIG001", "MIG002", "POL001", "REG001" };
	struct policy p;
	size_t i;

	load_builtin(&p);
	ck_assert_uint_eq(p.nrules, ARRAY_SIZE(ids));
	for (i = 0; i < p.nrules; i++) {
		const struct rule_def *r = &p.rules[i];

		ck_assert_str_eq(r->id, ids[i]);
		ck_assert(r->enabled);
		ck_assert_int_eq(r->severity, r->default_severity);
		ck_assert_int_eq(r->severity_origin, POLICY_BUILTIN);
		ck_assert(strlen(r->title) > 10 && strlen(r->explanation) > 50 &&
			  strlen(r->rationale) > 50);
	}
	ck_assert_int_eq(policy_rule(&p, "ABI001")->default_severity, MT_SEVERITY_ERROR);
	ck_assert_int_eq(policy_rule(&p, "BFM004")->default_severity, MT_SEVERITY_WARNING);
	ck_assert_int_eq(rule_param(policy_rule(&p, "BFM003"), "maintained_window_months"), 12);
	ck_assert_int_eq(rule_param(policy_rule(&p, "BFM002"), "grace_releases"), 1);
	ck_assert_int_eq(rule_param(policy_rule(&p, "BFM003"), "grace_releases"), 1);
	ck_assert_int_eq(rule_param(policy_rule(&p, "LIFE002"), "margin_releases"), 3);
	/* the deletion cap is the tree's own (its lifecycle constants), not a parameter */
	ck_assert_uint_eq(policy_rule(&p, "LIFE001")->nparams, 0);
	ck_assert_int_eq(rule_param(policy_rule(&p, "BFM005"), "max_per_year"), 2);
	policy_release(&p);
}
END_TEST

START_TEST(catalogue_errors_name_file_line_and_column)
{
	expect_catalogue_error("catalogue-unknown-key.json",
			       "8:7: unknown key \"rationel\" in a rule (expected one of: id, title, "
			       "severity, message, explanation, rationale, next_step, parameters)");
	expect_catalogue_error("catalogue-bad-severity.json",
			       "7:45: rule AAA002: \"severity\" must be \"error\", \"warning\" or "
			       "\"info\"");
	expect_catalogue_error("catalogue-duplicate-id.json", "6:7: rule AAA001: duplicate id");
	expect_catalogue_error("catalogue-missing-text.json",
			       "6:5: rule AAA002: missing \"rationale\"");
	expect_catalogue_error("catalogue-bad-param.json",
			       "9:23: rule AAA002: parameter window: default 1 is below min 2");
	expect_catalogue_error("catalogue-bad-id.json",
			       "4:7: rule #1: \"id\" must be upper-case letters and three digits, "
			       "like \"ABI001\"");
}
END_TEST

START_TEST(unsorted_catalogue_is_rejected)
{
	struct policy p;
	const char *text = "{\"schema\": 1, \"rules\": [\n"
			   "{\"id\": \"BBB001\", \"title\": \"t\", \"severity\": \"info\", \"message\": \"m\", "
			   "\"explanation\": \"e\", \"rationale\": \"r\"},\n"
			   "{\"id\": \"AAA001\", \"title\": \"t\", \"severity\": \"info\", \"message\": \"m\", "
			   "\"explanation\": \"e\", \"rationale\": \"r\"}]}";

	policy_init(&p);
	ck_assert_int_eq(policy_parse_catalogue(&p, "c.json", text, strlen(text)), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "c.json:3:2: rule AAA001: rules must be sorted by id");
	policy_release(&p);
}
END_TEST

START_TEST(repository_file_overrides_builtin_and_command_line_overrides_both)
{
	struct policy p;
	struct policy_overrides over = { "LIFE001", "MIG001", "ABI002=info,abi001=warning",
					 "BFM003.maintained_window_months=6" };
	const struct rule_def *r;

	load_builtin(&p);
	ck_assert_int_eq(apply_fixture(&p, "config-basic.json"), 0);
	ck_assert_str_eq(p.config_name, "config-basic.json");
	r = policy_rule(&p, "ABI002");
	ck_assert_int_eq(r->severity, MT_SEVERITY_WARNING);
	ck_assert_int_eq(r->severity_origin, POLICY_REPOSITORY);
	ck_assert_int_eq(r->default_severity, MT_SEVERITY_ERROR);
	r = policy_rule(&p, "LIFE001");
	ck_assert(!r->enabled);
	ck_assert_int_eq(r->enabled_origin, POLICY_REPOSITORY);
	r = policy_rule(&p, "BFM003");
	ck_assert_int_eq(rule_param(r, "maintained_window_months"), 18);
	/* params are sorted by name: grace_releases, maintained_window_months */
	ck_assert_str_eq(r->params[1].name, "maintained_window_months");
	ck_assert_int_eq(r->params[1].origin, POLICY_REPOSITORY);
	ck_assert_int_eq(r->params[0].origin, POLICY_BUILTIN);
	ck_assert_int_eq(r->severity_origin, POLICY_BUILTIN);
	ck_assert(policy_stream_listed(&p, "stable-9.2"));
	ck_assert(policy_stream_listed(&p, "stable-10.0"));
	ck_assert(!policy_stream_listed(&p, "stable-10.1"));
	ck_assert_str_eq(p.maintained[0], "stable-10.0"); /* sorted */

	ck_assert_int_eq(policy_apply_overrides(&p, &over), 0);
	r = policy_rule(&p, "ABI002");
	ck_assert_int_eq(r->severity, MT_SEVERITY_INFO);
	ck_assert_int_eq(r->severity_origin, POLICY_COMMAND_LINE);
	ck_assert_int_eq(policy_rule(&p, "ABI001")->severity, MT_SEVERITY_WARNING);
	r = policy_rule(&p, "LIFE001");
	ck_assert(r->enabled);
	ck_assert_int_eq(r->enabled_origin, POLICY_COMMAND_LINE);
	ck_assert(!policy_rule(&p, "MIG001")->enabled);
	r = policy_rule(&p, "BFM003");
	ck_assert_int_eq(rule_param(r, "maintained_window_months"), 6);
	ck_assert_int_eq(r->params[1].origin, POLICY_COMMAND_LINE);
	/* Untouched settings keep their built-in origin. */
	ck_assert_int_eq(policy_rule(&p, "REG001")->severity_origin, POLICY_BUILTIN);
	policy_release(&p);
}
END_TEST

START_TEST(config_errors_point_into_the_right_rule)
{
	struct policy p;

	load_builtin(&p);
	ck_assert_int_eq(apply_fixture(&p, "config-unknown-rule.json"), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "config-unknown-rule.json:4:5: unknown rule \"ABI01\" "
					  "(did you mean ABI001, ABI002, ABI003?)");
	ck_assert_ptr_null(p.config_name);
	ck_assert_int_eq(apply_fixture(&p, "config-bad-nested.json"), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "config-bad-nested.json:5:33: rule BFM003: "
					  "maintained_window_months must be at least 0, not -1");
	ck_assert_int_eq(apply_fixture(&p, "config-unknown-key.json"), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "config-unknown-key.json:4:40: unknown key \"enable\" in "
					  "rule settings (expected one of: enabled, severity, "
					  "parameters)");
	policy_release(&p);
}
END_TEST

START_TEST(bad_overrides_are_rejected)
{
	struct policy p;
	struct policy_overrides unknown = { NULL, "LIFE01", NULL, NULL };
	struct policy_overrides level = { NULL, NULL, "ABI001=fatal", NULL };
	struct policy_overrides form = { NULL, NULL, "ABI001", NULL };
	struct policy_overrides param = { NULL, NULL, NULL, "ABI001.window=3" };
	struct policy_overrides value = { NULL, NULL, NULL, "BFM005.max_per_year=two" };

	load_builtin(&p);
	ck_assert_int_eq(policy_apply_overrides(&p, &unknown), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--disable: unknown rule 'LIFE01' (did you mean "
					  "LIFE001, LIFE002?)");
	ck_assert_int_eq(policy_apply_overrides(&p, &level), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--severity: ABI001: unknown level 'fatal' (use error, "
					  "warning or info)");
	ck_assert_int_eq(policy_apply_overrides(&p, &form), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--severity: 'ABI001' needs the form RULE=LEVEL");
	ck_assert_int_eq(policy_apply_overrides(&p, &param), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--param: rule ABI001 has no parameter 'window' "
					  "(it has none)");
	ck_assert_int_eq(policy_apply_overrides(&p, &value), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--param: BFM005.max_per_year: 'two' is not an integer");
	policy_release(&p);
}
END_TEST

/*
 * Tries one value of one parameter, from the command line and from a
 * .mtcheck.json, on a fresh built-in policy: 0 when taken (and in effect),
 * else the error, which must be the one `why` (NULL: none expected) names.
 */
static void try_param(const char *id, const struct rule_param *param, long long value,
		      const char *why)
{
	struct strbuf arg = STRBUF_INIT, cfg = STRBUF_INIT, want = STRBUF_INIT;
	struct policy_overrides over = { NULL, NULL, NULL, NULL };
	struct policy p;
	int ret;

	strbuf_addf(&arg, "%s.%s=%lld", id, param->name, value);
	over.param = arg.buf;
	load_builtin(&p);
	ret = policy_apply_overrides(&p, &over);
	if (!why) {
		ck_assert_msg(ret == 0, "--param %s refused: %s", arg.buf, mt_error_last());
		ck_assert_int_eq(rule_param(policy_rule(&p, id), param->name), value);
	} else {
		ck_assert_msg(ret == MT_ERROR, "--param %s taken", arg.buf);
		strbuf_addf(&want, "--param: %s: %s %s, not %lld", id, param->name, why, value);
		ck_assert_str_eq(mt_error_last(), want.buf);
	}
	policy_release(&p);

	strbuf_addf(&cfg, "{\"schema\": 1, \"rules\": {\"%s\": {\"parameters\": {\"%s\": %lld}}}}",
		    id, param->name, value);
	load_builtin(&p);
	ret = policy_apply_config(&p, ".mtcheck.json", cfg.buf, cfg.len);
	if (!why) {
		ck_assert_msg(ret == 0, "%s refused: %s", cfg.buf, mt_error_last());
		ck_assert_int_eq(rule_param(policy_rule(&p, id), param->name), value);
	} else {
		ck_assert_msg(ret == MT_ERROR, "%s taken", cfg.buf);
		strbuf_reset(&want);
		strbuf_addf(&want, "rule %s: %s %s, not %lld", id, param->name, why, value);
		ck_assert_msg(strstr(mt_error_last(), want.buf), "'%s' lacks '%s'",
			      mt_error_last(), want.buf);
	}
	policy_release(&p);
	strbuf_release(&arg);
	strbuf_release(&cfg);
	strbuf_release(&want);
}

START_TEST(every_parameter_at_its_bounds_and_one_past)
{
	struct policy p;
	struct strbuf why = STRBUF_INIT;
	size_t i, j, n = 0;

	load_builtin(&p);
	for (i = 0; i < p.nrules; i++) {
		const struct rule_def *r = &p.rules[i];

		for (j = 0; j < r->nparams; j++) {
			const struct rule_param *param = &r->params[j];

			ck_assert_msg(param->max == MT_LIMIT_PARAM_VALUE,
				      "%s.%s: max %lld, not the limit", r->id, param->name,
				      param->max);
			try_param(r->id, param, param->min, NULL);
			try_param(r->id, param, param->max, NULL);
			strbuf_reset(&why);
			strbuf_addf(&why, "must be at least %lld", param->min);
			try_param(r->id, param, param->min - 1, why.buf);
			strbuf_reset(&why);
			strbuf_addf(&why, "must be at most %lld", param->max);
			try_param(r->id, param, param->max + 1, why.buf);
			try_param(r->id, param, INT64_MAX, why.buf);
			n++;
		}
	}
	/* BFM001, BFM002, BFM003 (two), BFM005, LIFE002: every one the catalogue has */
	ck_assert_uint_eq(n, 6);
	strbuf_release(&why);
	policy_release(&p);
}
END_TEST

START_TEST(lookup_is_case_insensitive_and_suggestions_are_nearest_first)
{
	struct policy p;
	struct strbuf sb = STRBUF_INIT;

	load_builtin(&p);
	ck_assert_str_eq(policy_rule(&p, "bfm002")->id, "BFM002");
	ck_assert_ptr_null(policy_rule(&p, "BFM02"));
	policy_suggest(&sb, &p, "BFM02");
	ck_assert_str_eq(sb.buf, "BFM002, BFM001, BFM003");
	strbuf_reset(&sb);
	policy_suggest(&sb, &p, "life2");
	ck_assert_str_eq(sb.buf, "LIFE002");
	strbuf_reset(&sb);
	policy_suggest(&sb, &p, "MIGRATION");
	ck_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
	policy_release(&p);
}
END_TEST

START_TEST(message_templates_expand_known_names_only)
{
	struct strbuf sb = STRBUF_INIT;
	const char *vars[] = { "machine", "pc-q35-10.0.4", "stream", "stable-10.1", NULL };

	rule_message_format(&sb, "bugfix machine {machine} is missing from {stream} {other}", vars);
	ck_assert_str_eq(sb.buf, "bugfix machine pc-q35-10.0.4 is missing from stable-10.1 {other}");
	strbuf_release(&sb);
}
END_TEST

START_TEST(repository_file_is_read_at_a_commit)
{
	struct run_result r;
	struct scenario s;
	const char *head[] = { "--repo", NULL, "rules", NULL };
	const char *old[] = { "--repo", NULL, "rules", "--ref", "v1", NULL };
	const char *bad[] = { "--repo", NULL, "rules", "--ref", "broken", NULL };

	test_scenario(&s, "policy/config.json");
	head[1] = old[1] = bad[1] = s.path;
	run_mtcheck(&r, NULL, head);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "ABI002   warning  repository    yes     built-in"));
	ck_assert_ptr_nonnull(strstr(r.out, "repository configuration: HEAD:.mtcheck.json\n"));
	run_result_release(&r);
	run_mtcheck(&r, NULL, old);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "ABI002   error    built-in"));
	ck_assert_ptr_nonnull(strstr(r.out, "repository configuration: none\n"));
	run_result_release(&r);
	run_mtcheck(&r, NULL, bad);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "mtcheck: broken:.mtcheck.json:3:17: rule ABI002: \"severity\" "
				"must be \"error\", \"warning\" or \"info\"\n");
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

Suite *suite_policy(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, builtin_catalogue_has_every_rule_of_the_design);
	tcase_add_test(tc, catalogue_errors_name_file_line_and_column);
	tcase_add_test(tc, unsorted_catalogue_is_rejected);
	tcase_add_test(tc, repository_file_overrides_builtin_and_command_line_overrides_both);
	tcase_add_test(tc, config_errors_point_into_the_right_rule);
	tcase_add_test(tc, bad_overrides_are_rejected);
	tcase_add_test(tc, every_parameter_at_its_bounds_and_one_past);
	tcase_add_test(tc, lookup_is_case_insensitive_and_suggestions_are_nearest_first);
	tcase_add_test(tc, message_templates_expand_known_names_only);
	tcase_add_test(tc, repository_file_is_read_at_a_commit);
	suite_add_tcase(s, tc);
	return s;
}
