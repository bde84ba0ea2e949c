/*
 * The accuracy harness's own arithmetic and parsing: a six-case list whose
 * scores were worked out by hand (tests/accuracy/fixture/cases.txt), bad list
 * lines and bad JSON refused with the line named, and `make accuracy`'s
 * runner refusing a missing or wrong QEMU directory with one line.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy/accuracy.h"
#include "testutil.h"

#define FIXTURE MT_TEST_DIR "/accuracy/fixture/"

static void load_fixture(struct acc_list *l, bool with_backports)
{
	char err[ACC_ERRSZ] = "", *text;

	ck_assert_msg(acc_list_load(l, FIXTURE "cases.txt", err) == 0, "%s", err);
	ck_assert_int_eq(acc_read_file(&text, FIXTURE "findings.json", err), 0);
	ck_assert_msg(acc_apply_findings(l, "findings.json", text, err) == 0, "%s", err);
	free(text);
	if (with_backports) {
		ck_assert_int_eq(acc_read_file(&text, FIXTURE "backports-2.0.json", err), 0);
		ck_assert_msg(acc_apply_backports(l, "backports-2.0.json", text, err) == 0, "%s", err);
		free(text);
	}
}

static void assert_score(struct acc_score s, unsigned tp, unsigned fp, unsigned fn, unsigned tn)
{
	ck_assert_uint_eq(s.tp, tp);
	ck_assert_uint_eq(s.fp, fp);
	ck_assert_uint_eq(s.fn, fn);
	ck_assert_uint_eq(s.tn, tn);
}

START_TEST(list_parses_fields)
{
	struct acc_list l;

	load_fixture(&l, false);
	ck_assert_uint_eq(l.n, 6);
	ck_assert_uint_eq(l.n_rules, 2);
	ck_assert_str_eq(l.rules[0], "ABI001");
	ck_assert_str_eq(l.rules[1], "ABI002");
	/* An indented line is a case; blank lines and comments are not. */
	ck_assert_str_eq(l.cases[2].stream, "stable-1.0");
	ck_assert_uint_eq(l.cases[2].line, 4);
	ck_assert_str_eq(l.cases[1].commit, "bbbbbbbbbbbb");
	ck_assert_ptr_null(l.cases[1].upstream);
	ck_assert_str_eq(l.cases[1].reason, "model changed, missed");
	/* Verdict lists are kept sorted by rule. */
	ck_assert_uint_eq(l.cases[4].expected.n, 2);
	ck_assert_str_eq(l.cases[4].expected.v[0].rule, "ABI001");
	ck_assert_str_eq(l.cases[4].expected.v[0].severity, "warning");
	ck_assert_str_eq(l.cases[4].expected.v[1].rule, "ABI002");
	ck_assert_uint_eq(l.cases[3].expected.n, 0);
	acc_list_release(&l);
}
END_TEST

START_TEST(findings_scored_by_hand)
{
	struct acc_list l;
	unsigned exact;

	load_fixture(&l, false);
	/* Case 3 has two findings of one rule: counted once. Case 4's MIG001 is not a scored rule. */
	ck_assert_uint_eq(l.cases[2].got.n, 1);
	ck_assert_uint_eq(l.cases[3].got.n, 0);
	ck_assert_str_eq(l.cases[2].message, "field added");
	/* The stable-3.0 finding on the same commit is not case 2's. */
	ck_assert_uint_eq(l.cases[1].got.n, 0);

	assert_score(acc_score_rule(&l, "ABI001", NULL), 3, 1, 1, 1);
	assert_score(acc_score_rule(&l, "ABI001", "error"), 1, 3, 1, 1);
	assert_score(acc_score_rule(&l, "ABI001", "warning"), 0, 0, 2, 4);
	assert_score(acc_score_rule(&l, "ABI002", "warning"), 1, 0, 0, 5);
	assert_score(acc_score_rule(&l, "ABI002", NULL), 1, 0, 0, 5);

	assert_score(acc_score_signal(&l, "vmstate", &exact), 1, 1, 0, 0);
	ck_assert_uint_eq(exact, 1);
	assert_score(acc_score_signal(&l, "cpu-model", &exact), 0, 0, 1, 0);
	ck_assert_uint_eq(exact, 0);
	assert_score(acc_score_signal(&l, "property-added", &exact), 0, 0, 0, 1);
	ck_assert_uint_eq(exact, 1);
	assert_score(acc_score_signal(&l, "compat-array", &exact), 1, 0, 0, 0);
	ck_assert_uint_eq(exact, 0);
	assert_score(acc_score_signal(&l, "no-such-signal", &exact), 0, 0, 0, 0);
	acc_list_release(&l);
}
END_TEST

START_TEST(backports_limit_and_annotate)
{
	struct acc_list l;

	load_fixture(&l, true);
	/* stable-2.0 was listed: f... is not one of its backports, so it is not scored. */
	ck_assert(l.cases[5].checked);
	ck_assert(!l.cases[5].found);
	ck_assert(!acc_case_scored(&l.cases[5]));
	/* stable-1.0 was not listed: its cases are scored unchecked. */
	ck_assert(!l.cases[0].checked);
	ck_assert(acc_case_scored(&l.cases[0]));
	ck_assert_str_eq(l.cases[4].evidence, "compat-array,property-default");
	ck_assert_str_eq(l.cases[4].tool_upstream, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ck_assert_ptr_null(l.cases[3].tool_upstream);
	assert_score(acc_score_rule(&l, "ABI001", NULL), 2, 1, 1, 1);
	acc_list_release(&l);
}
END_TEST

START_TEST(report_lists_scores_and_mismatches)
{
	struct acc_list l;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	load_fixture(&l, true);
	acc_report(f, &l);
	fclose(f);
	ck_assert_msg(strstr(out, "accuracy: 6 labelled backports in 2 streams; 5 scored: 3 with a finding "
				  "expected, 2 guest-invisible\n"), "%s", out);
	ck_assert_msg(strstr(out, "\nABI001                    2    1    1    1  66.7% (2/3)       66.7% (2/3)"),
		      "%s", out);
	ck_assert_msg(strstr(out, "\nvmstate                   1    1    0    0  50.0% (1/2)       100.0% (1/1)"
				  "      1/2\n"), "%s", out);
	ck_assert_msg(strstr(out, "not a backport of its stream in this history (not scored): stable-2.0 "
				  "ffffffffffff cpuid\n"), "%s", out);
	ck_assert_msg(strstr(out, "upstream differs: stable-2.0 eeeeeeeeeeee compat-array: labelled 111111111111, "
				  "mtcheck matched aaaaaaaaaaaa\n"), "%s", out);
	ck_assert_msg(strstr(out, "mismatches: 3\n"), "%s", out);
	ck_assert_msg(strstr(out, "  stable-1.0 bbbbbbbbbbbb cpu-model: expected ABI001:error, got none "
				  "[label: model changed, missed]\n"), "%s", out);
	ck_assert_msg(strstr(out, "  stable-2.0 eeeeeeeeeeee compat-array: expected ABI001:warning,ABI002:warning, "
				  "got ABI001:error,ABI002:warning [evidence: compat-array,property-default] "
				  "[mtcheck: compat edited]"), "%s", out);
	ck_assert_ptr_null(strstr(out, "property-added: expected"));
	free(out);
	acc_list_release(&l);
}
END_TEST

static void assert_refused(const char *text, const char *message)
{
	char err[ACC_ERRSZ] = "";
	struct acc_list l;

	ck_assert_int_eq(acc_list_parse(&l, "list", text, err), -1);
	ck_assert_msg(!strcmp(err, message), "got \"%s\", want \"%s\"", err, message);
	ck_assert_uint_eq(l.n, 0);
}

START_TEST(bad_lines_refused_with_their_line)
{
	assert_refused("", "list: no labelled case");
	assert_refused("# only a comment\n\n", "list: no labelled case");
	assert_refused("stable-1.0 abcdef0 - none\n",
		       "list:1: expected STREAM COMMIT UPSTREAM VERDICT SIGNAL REASON");
	assert_refused("\nstable-1.0 abcdef0 - none vmstate\n",
		       "list:2: expected STREAM COMMIT UPSTREAM VERDICT SIGNAL REASON");
	assert_refused("master abcdef0 - none vmstate why\n", "list:1: stream \"master\" is not stable-X.Y");
	assert_refused("stable-1.0 abcdef - none vmstate why\n",
		       "list:1: commit \"abcdef\" is not 7 to 40 lower-case hex digits");
	assert_refused("stable-1.0 ABCDEF0 - none vmstate why\n",
		       "list:1: commit \"ABCDEF0\" is not 7 to 40 lower-case hex digits");
	assert_refused("stable-1.0 abcdef0 xyz none vmstate why\n",
		       "list:1: upstream \"xyz\" is neither hex nor \"-\"");
	assert_refused("stable-1.0 abcdef0 - none VMState why\n",
		       "list:1: signal kind \"VMState\" is not a lower-case word");
	const char *verdict = "list:1: verdict must be \"none\" or RULE:error|warning|info[,RULE:...], each rule once";
	assert_refused("stable-1.0 abcdef0 - ABI001 vmstate why\n", verdict);
	assert_refused("stable-1.0 abcdef0 - ABI001:fatal vmstate why\n", verdict);
	assert_refused("stable-1.0 abcdef0 - ABI001:error,ABI001:warning vmstate why\n", verdict);
	assert_refused("stable-1.0 abcdef0 - abi001:error vmstate why\n", verdict);
	assert_refused("stable-1.0 abcdef0 - ABI001:error, vmstate why\n", verdict);
	assert_refused("stable-1.0 abcdef0123 - none vmstate why\nstable-1.0 abcdef0 - none cpuid again\n",
		       "list:2: stable-1.0 abcdef0 is already labelled on line 1");
}
END_TEST

START_TEST(bad_json_refused)
{
	char err[ACC_ERRSZ] = "";
	struct acc_list l;

	ck_assert_int_eq(acc_list_parse(&l, "list", "stable-1.0 abcdef0 - none vmstate why\n", err), 0);
	ck_assert_int_eq(acc_apply_findings(&l, "f.json", "{\"findings\": [", err), -1);
	ck_assert_msg(!strncmp(err, "f.json:1:", 9), "%s", err);
	ck_assert_int_eq(acc_apply_findings(&l, "f.json", "{\"backports\": []}", err), -1);
	ck_assert_str_eq(err, "f.json: no \"findings\" array (not mtcheck's JSON output?)");
	ck_assert_int_eq(acc_apply_findings(&l, "f.json", "{\"findings\": [{\"rule\": \"ABI001\"}]}", err), -1);
	ck_assert_str_eq(err, "f.json: finding 0 has no rule or severity");
	ck_assert_int_eq(acc_apply_backports(&l, "b.json", "{\"backports\": []}", err), -1);
	ck_assert_str_eq(err, "b.json: no \"stream\"");
	ck_assert_int_eq(acc_read_file(&(char *){ NULL }, FIXTURE "no-such-file", err), -1);
	ck_assert_str_eq(err, FIXTURE "no-such-file: No such file or directory");
	acc_list_release(&l);
}
END_TEST

/* run.sh with QEMU unset, not a directory, or not a repository: exit 2 and one line. */
static void assert_runner_refuses(const char *qemu, const char *needle)
{
	char *tmp = test_tmpdir("accuracy"), *runner = test_path("accuracy/run.sh");
	char *list = test_path("accuracy/fixture/cases.txt"), *log = NULL, *out = NULL;
	char cmd[4096];

	snprintf(cmd, sizeof(cmd), "sh '%s' '%s' /bin/false '%s' '%s' '%s/out' 2>'%s/err' >/dev/null; "
		 "echo $?; cat '%s/err'", runner, MT_TEST_BIN, list, qemu, tmp, tmp, tmp);
	const char *argv[] = { "sh", "-c", cmd, NULL };
	ck_assert_int_eq(test_exec(&out, NULL, argv), 0);
	ck_assert_msg(!strncmp(out, "2\n", 2), "%s", out);
	log = out + 2;
	ck_assert_uint_eq(count_lines(log), 1);
	ck_assert_msg(strstr(log, needle), "%s", log);
	free(out);
	free(list);
	free(runner);
	free(tmp);
}

START_TEST(runner_refuses_missing_qemu)
{
	char *empty = test_tmpdir("accuracy-empty");

	assert_runner_refuses("", "make accuracy: QEMU is not set");
	assert_runner_refuses("/nonexistent/qemu", "make accuracy: QEMU=/nonexistent/qemu: no such directory");
	assert_runner_refuses(empty, "not a git repository");
	free(empty);
}
END_TEST

Suite *suite_accuracy(void)
{
	Suite *s = suite_create("accuracy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, list_parses_fields);
	tcase_add_test(tc, findings_scored_by_hand);
	tcase_add_test(tc, backports_limit_and_annotate);
	tcase_add_test(tc, report_lists_scores_and_mismatches);
	tcase_add_test(tc, bad_lines_refused_with_their_line);
	tcase_add_test(tc, bad_json_refused);
	tcase_add_test(tc, runner_refuses_missing_qemu);
	suite_add_tcase(s, tc);
	return s;
}
