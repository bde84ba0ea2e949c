/* `mtcheck explain` and `mtcheck rules` as a user meets them, and the man page they feed. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "testutil.h"

/*
 * A directory outside any git repository (the build's tmp directory is
 * inside the source checkout); the caller removes it and frees the path.
 */
static char *outside_repo(void)
{
	char name[] = "/tmp/mtcheck-norepo-XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(name));
	return strdup(name);
}

#define MAN_PAGE MT_TEST_DIR "/../man/mtcheck.1"
#define MAN_BEGIN ".\\\" BEGIN RULES generated from rules/rules.json by make man\n"
#define MAN_END ".\\\" END RULES\n"

START_TEST(explain_prints_the_rule_text)
{
	struct run_result r;
	const char *args[] = { "explain", "bfm003", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_eq(strstr(r.out, "BFM003: bugfix machine missing from a newer maintained "
				       "stream\ndefault severity: error\n\n"), r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\nWhy: "));
	ck_assert_ptr_nonnull(strstr(r.out, "  maintained_window_months (default 12): "));
	run_result_release(&r);
}
END_TEST

START_TEST(unknown_rule_exits_2_with_the_closest_ids)
{
	struct run_result r;
	const char *typo[] = { "explain", "ABI01", NULL };
	const char *far[] = { "explain", "NOPE", NULL };
	const char *none[] = { "explain", NULL };

	run_mtcheck(&r, NULL, typo);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "mtcheck: explain: unknown rule 'ABI01' (did you mean ABI001, "
				"ABI002, ABI003?)\n");
	run_result_release(&r);
	run_mtcheck(&r, NULL, far);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: explain: unknown rule 'NOPE' (see 'mtcheck rules')\n");
	run_result_release(&r);
	run_mtcheck(&r, NULL, none);
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(count_lines(r.err), 1);
	run_result_release(&r);
}
END_TEST

START_TEST(explain_json_has_every_text)
{
	struct run_result r;
	const char *one[] = { "explain", "--format", "json", "LIFE002", NULL };
	const char *all[] = { "explain", "--all", "--format=json", NULL };
	json_t *root, *p;

	run_mtcheck(&r, NULL, one);
	ck_assert_int_eq(r.status, 0);
	root = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "id")), "LIFE002");
	ck_assert_str_eq(json_string_value(json_object_get(root, "severity")), "warning");
	ck_assert_ptr_nonnull(json_string_value(json_object_get(root, "rationale")));
	p = json_array_get(json_object_get(root, "parameters"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(p, "name")), "margin_releases");
	ck_assert_int_eq(json_integer_value(json_object_get(p, "default")), 3);
	json_decref(root);
	run_result_release(&r);
	run_mtcheck(&r, NULL, all);
	ck_assert_int_eq(r.status, 0);
	root = json_loads(r.out, 0, NULL);
	ck_assert_uint_eq(json_array_size(root), 13);
	json_decref(root);
	run_result_release(&r);
}
END_TEST

/* The man page's RULES section is exactly what `explain --all --man` prints. */
START_TEST(man_page_rules_section_matches_the_catalogue)
{
	struct run_result r;
	const char *args[] = { "--rules", MT_TEST_DIR "/../rules", "explain", "--all", "--man", NULL };
	struct strbuf man = STRBUF_INIT;
	char buf[8192];
	const char *begin, *end;
	size_t n;
	FILE *f = fopen(MAN_PAGE, "rb");

	ck_assert_ptr_nonnull(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&man, buf, n);
	fclose(f);
	begin = strstr(man.buf, MAN_BEGIN);
	ck_assert_msg(begin != NULL, "man/mtcheck.1 lacks the RULES begin marker");
	begin += strlen(MAN_BEGIN);
	end = strstr(begin, MAN_END);
	ck_assert_msg(end != NULL, "man/mtcheck.1 lacks the RULES end marker");
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strlen(r.out) == (size_t)(end - begin) && !strncmp(r.out, begin, strlen(r.out)),
		      "man/mtcheck.1 RULES section differs from rules/rules.json; run 'make man'");
	ck_assert_ptr_nonnull(strstr(r.out, ".It Sy REG001 Pq warning\n"));
	run_result_release(&r);
	strbuf_release(&man);
}
END_TEST

START_TEST(rules_lists_settings_and_their_origin)
{
	struct run_result r;
	const char *args[] = { "--repo", "/nonexistent", "rules", NULL };
	const char *plain[] = { "rules", "--severity", "mig001=error", "--disable", "REG001",
				"--param", "BFM005.max_per_year=1", NULL };
	char *dir = outside_repo();

	run_mtcheck(&r, dir, plain); /* outside any repository: built-in + command line */
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_eq(strstr(r.out, "RULE     SEVERITY FROM          ENABLED FROM          TITLE\n"),
			 r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "\nABI001   error    built-in      yes     built-in      "
					    "backport changes guest ABI of a released machine type\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\nMIG001   error    command line  yes     built-in"));
	ck_assert_ptr_nonnull(strstr(r.out, "\nREG001   warning  built-in      no      command line"));
	ck_assert_ptr_nonnull(strstr(r.out, "\n         max_per_year = 1 (command line)\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\nrepository configuration: none\n"));
	ck_assert_uint_eq(count_lines(r.out), 1 + 13 + 6 + 2);
	run_result_release(&r);
	run_mtcheck(&r, NULL, args); /* a named repository that is not there is an error */
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(count_lines(r.err), 1);
	run_result_release(&r);
	rmdir(dir);
	free(dir);
}
END_TEST

START_TEST(rules_json_names_every_origin)
{
	struct run_result r;
	const char *args[] = { "rules", "--format", "json", "--enable", "LIFE002", NULL };
	const char *sarif[] = { "rules", "--format", "sarif", NULL };
	char *dir = outside_repo();
	json_t *root, *rule;

	run_mtcheck(&r, dir, args);
	ck_assert_int_eq(r.status, 0);
	root = json_loads(r.out, 0, NULL);
	ck_assert_ptr_nonnull(root);
	ck_assert(json_is_null(json_object_get(root, "configuration")));
	ck_assert_uint_eq(json_array_size(json_object_get(root, "rules")), 13);
	rule = json_array_get(json_object_get(root, "rules"), 10);
	ck_assert_str_eq(json_string_value(json_object_get(rule, "id")), "LIFE002");
	ck_assert(json_is_true(json_object_get(rule, "enabled")));
	ck_assert_str_eq(json_string_value(json_object_get(rule, "enabled_from")), "command line");
	ck_assert_str_eq(json_string_value(json_object_get(rule, "severity_from")), "built-in");
	json_decref(root);
	run_result_release(&r);
	run_mtcheck(&r, dir, sarif);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: rules: --format sarif is not available for this command\n");
	run_result_release(&r);
	rmdir(dir);
	free(dir);
}
END_TEST

START_TEST(a_broken_catalogue_is_one_line_exit_2)
{
	struct run_result r;
	char *dir = test_tmpdir("rules");
	const char *args[] = { "--rules", dir, "explain", "ABI001", NULL };
	const char *by_env[] = { "explain", "ABI001", NULL };
	const char *by_option[] = { "--rules", MT_TEST_DIR "/../rules", "explain", "ABI001", NULL };
	const char *env[] = { NULL, NULL };
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&path, "%s/rules.json", dir);
	f = fopen(path.buf, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"schema\": 1,\n \"rulez\": []}\n", f);
	fclose(f);
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	strbuf_reset(&path);
	strbuf_addf(&path, "mtcheck: %s/rules.json:2:2: unknown key \"rulez\" in the catalogue "
		     "(expected one of: schema, rules)\n", dir);
	ck_assert_str_eq(r.err, path.buf);
	run_result_release(&r);
	/* MTCHECK_RULES names the same directory; --rules wins over it. */
	strbuf_reset(&path);
	strbuf_addf(&path, "MTCHECK_RULES=%s", dir);
	env[0] = path.buf;
	run_mtcheck_env(&r, NULL, env, by_env);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown key \"rulez\""));
	run_result_release(&r);
	run_mtcheck_env(&r, NULL, env, by_option);
	ck_assert_int_eq(r.status, 0);
	run_result_release(&r);
	strbuf_release(&path);
	free(dir);
}
END_TEST

Suite *suite_explain(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");

	tcase_add_test(tc, explain_prints_the_rule_text);
	tcase_add_test(tc, unknown_rule_exits_2_with_the_closest_ids);
	tcase_add_test(tc, explain_json_has_every_text);
	tcase_add_test(tc, man_page_rules_section_matches_the_catalogue);
	tcase_add_test(tc, rules_lists_settings_and_their_origin);
	tcase_add_test(tc, rules_json_names_every_origin);
	tcase_add_test(tc, a_broken_catalogue_is_one_line_exit_2);
	suite_add_tcase(s, tc);
	return s;
}
