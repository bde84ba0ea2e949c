/* The four output formats: required fields, exact text, same bytes every time. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "policy/finding.h"
#include "policy/policy.h"
#include "report/report.h"
#include "util/strbuf.h"
#include "testutil.h"

#define CATALOGUE MT_TEST_DIR "/../rules/rules.json"

struct fixture {
	struct policy policy;
	struct finding_list findings;
	struct suppressed_list suppressed;
	struct report report;
};

static struct mt_oid oid_of(char digit)
{
	char hex[MT_OID_HEXSZ + 1];
	struct mt_oid oid;

	memset(hex, digit, MT_OID_HEXSZ);
	hex[MT_OID_HEXSZ] = '\0';
	ck_assert_int_eq(oid_from_hex(&oid, hex), 0);
	return oid;
}

/*
 * Three findings in an order the sort must fix, one suppressed by a waiver:
 * an ABI001 backport in stable-10.0, a BFM002 machine finding there, and a
 * project-wide BFM005 without a file.
 */
static void fixture_init(struct fixture *fx, bool reversed)
{
	struct finding abi, bfm, year, waived;

	policy_init(&fx->policy);
	ck_assert_msg(policy_load_catalogue(&fx->policy, CATALOGUE) == 0, "%s", mt_error_last());
	finding_list_init(&fx->findings);
	suppressed_list_init(&fx->suppressed);
	memset(&abi, 0, sizeof(abi));
	abi.rule = "ABI001";
	abi.severity = MT_SEVERITY_ERROR;
	abi.stream = "stable-10.0";
	abi.has_commit = true;
	abi.commit = oid_of('a');
	abi.subject = "target/i386: report ARCH_CAPABILITIES on AMD";
	abi.has_upstream = true;
	abi.upstream = oid_of('b');
	abi.machine = "pc-q35-10.0";
	abi.path = "target/i386/cpu.c";
	abi.line = 120;
	abi.message = "backport changes the guest ABI of pc-q35-10.0 and no bugfix machine covers it";
	abi.order = 3;
	bfm = abi;
	bfm.rule = "BFM002";
	bfm.has_commit = bfm.has_upstream = false;
	bfm.subject = NULL;
	bfm.machine = "pc-q35-10.0.4";
	bfm.path = "hw/i386/pc_q35.c";
	bfm.line = 372;
	bfm.message = "bugfix machine pc-q35-10.0.4 of stable-10.0 is missing from master";
	bfm.order = 9;
	year = bfm;
	year.rule = "BFM005";
	year.severity = MT_SEVERITY_WARNING;
	year.stream = NULL;
	year.machine = NULL;
	year.path = NULL;
	year.line = 0;
	year.key = "2026";
	year.message = "3 bugfix machines introduced in 2026, more than 2";
	waived = abi;
	waived.rule = "MIG001";
	waived.severity = MT_SEVERITY_WARNING;
	waived.message = "backport was reverted in the same stream";
	if (reversed) {
		finding_list_add(&fx->findings, &year);
		finding_list_add(&fx->findings, &bfm);
		finding_list_add(&fx->findings, &abi);
	} else {
		finding_list_add(&fx->findings, &abi);
		finding_list_add(&fx->findings, &bfm);
		finding_list_add(&fx->findings, &year);
	}
	finding_list_sort(&fx->findings);
	suppressed_list_add(&fx->suppressed, &waived, SUPPRESSED_BY_WAIVER, "reverted before release");
	memset(&fx->report, 0, sizeof(fx->report));
	fx->report.repository = "/src/qemu";
	fx->report.policy = &fx->policy;
	fx->report.findings = &fx->findings;
	fx->report.suppressed = &fx->suppressed;
}

static void fixture_release(struct fixture *fx)
{
	finding_list_release(&fx->findings);
	suppressed_list_release(&fx->suppressed);
	policy_release(&fx->policy);
}

static json_t *parse(const struct strbuf *sb)
{
	json_error_t err;
	json_t *root = json_loads(sb->buf, 0, &err);

	ck_assert_msg(root != NULL, "output is not JSON: %s (line %d)", err.text, err.line);
	return root;
}

START_TEST(findings_sort_by_stream_order_and_rule)
{
	struct fixture fx;

	fixture_init(&fx, true);
	ck_assert_str_eq(fx.findings.items[0].rule, "ABI001");
	ck_assert_str_eq(fx.findings.items[1].rule, "BFM002");
	ck_assert_str_eq(fx.findings.items[2].rule, "BFM005"); /* project-wide last */
	fixture_release(&fx);
}
END_TEST

START_TEST(streams_sort_by_version_then_master)
{
	struct finding_list list;
	struct finding f;
	static const char *const streams[] = { "master", "stable-10.0", "stable-9.2", "stable-2.12" };
	size_t i;

	finding_list_init(&list);
	memset(&f, 0, sizeof(f));
	f.rule = "ABI001";
	f.severity = MT_SEVERITY_ERROR;
	for (i = 0; i < 4; i++) {
		f.stream = (char *)streams[i];
		finding_list_add(&list, &f);
	}
	finding_list_sort(&list);
	ck_assert_str_eq(list.items[0].stream, "stable-2.12");
	ck_assert_str_eq(list.items[1].stream, "stable-9.2");
	ck_assert_str_eq(list.items[2].stream, "stable-10.0");
	ck_assert_str_eq(list.items[3].stream, "master");
	finding_list_release(&list);
}
END_TEST

START_TEST(text_is_compiler_shaped_with_evidence_and_summary)
{
	struct fixture fx;
	struct strbuf out = STRBUF_INIT;

	fixture_init(&fx, false);
	report_text(&out, &fx.report);
	ck_assert_str_eq(out.buf,
		"target/i386/cpu.c:120: error: backport changes the guest ABI of pc-q35-10.0 and no "
		"bugfix machine covers it [ABI001]\n"
		"    stream: stable-10.0\n"
		"    commit: aaaaaaaaaaaa target/i386: report ARCH_CAPABILITIES on AMD\n"
		"    upstream: bbbbbbbbbbbb\n"
		"    machine: pc-q35-10.0\n"
		"hw/i386/pc_q35.c:372: error: bugfix machine pc-q35-10.0.4 of stable-10.0 is missing "
		"from master [BFM002]\n"
		"    stream: stable-10.0\n"
		"    machine: pc-q35-10.0.4\n"
		"mtcheck: warning: 3 bugfix machines introduced in 2026, more than 2 [BFM005]\n"
		"3 findings (2 errors, 1 warning, 0 info), 1 suppressed (1 by waiver, 0 by baseline; "
		"--show-suppressed lists them)\n");
	ck_assert_ptr_null(strchr(out.buf, '\033'));
	strbuf_reset(&out);
	fx.report.show_suppressed = true;
	fx.report.color = true;
	report_text(&out, &fx.report);
	ck_assert_ptr_nonnull(strstr(out.buf, "\033[1;31merror:\033[0m"));
	ck_assert_ptr_nonnull(strstr(out.buf, "[MIG001]\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "    suppressed: by waiver: reverted before release\n"));
	strbuf_release(&out);
	fixture_release(&fx);
}
END_TEST

START_TEST(text_summary_without_findings)
{
	struct finding_list none;
	struct report r;
	struct strbuf out = STRBUF_INIT;

	finding_list_init(&none);
	memset(&r, 0, sizeof(r));
	r.findings = &none;
	report_text(&out, &r);
	ck_assert_str_eq(out.buf, "0 findings, 0 suppressed\n");
	strbuf_release(&out);
}
END_TEST

static void assert_keys(json_t *obj, const char *const *keys)
{
	size_t i;

	for (i = 0; keys[i]; i++)
		ck_assert_msg(json_object_get(obj, keys[i]) != NULL, "key \"%s\" missing", keys[i]);
	ck_assert_uint_eq(json_object_size(obj), i);
}

START_TEST(json_follows_the_contract)
{
	static const char *const top[] = { "schema", "tool", "repository", "refs", "findings", "suppressed",
					   "summary", NULL };
	static const char *const finding[] = { "rule", "severity", "stream", "commit", "subject",
					       "upstream", "machine", "path", "line", "message",
					       "fingerprint", NULL };
	struct fixture fx;
	struct strbuf out = STRBUF_INIT;
	json_t *root, *f, *s, *sum;

	fixture_init(&fx, false);
	report_json(&out, &fx.report);
	root = parse(&out);
	assert_keys(root, top);
	ck_assert_int_eq(json_integer_value(json_object_get(root, "schema")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(root, "tool"), "name")),
			 "mtcheck");
	ck_assert_str_eq(json_string_value(json_object_get(root, "repository")), "/src/qemu");
	ck_assert_uint_eq(json_array_size(json_object_get(root, "findings")), 3);
	f = json_array_get(json_object_get(root, "findings"), 0);
	assert_keys(f, finding);
	ck_assert_str_eq(json_string_value(json_object_get(f, "commit")),
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	ck_assert_int_eq(json_integer_value(json_object_get(f, "line")), 120);
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(f, "fingerprint"))), 16);
	f = json_array_get(json_object_get(root, "findings"), 2);
	assert_keys(f, finding);
	ck_assert(json_is_null(json_object_get(f, "stream")));
	ck_assert(json_is_null(json_object_get(f, "commit")));
	ck_assert(json_is_null(json_object_get(f, "path")));
	ck_assert(json_is_null(json_object_get(f, "line")));
	s = json_array_get(json_object_get(root, "suppressed"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(s, "by")), "waiver");
	ck_assert_str_eq(json_string_value(json_object_get(s, "reason")), "reverted before release");
	assert_keys(json_object_get(s, "finding"), finding);
	sum = json_object_get(root, "summary");
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "error")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "warning")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "info")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "suppressed")), 1);
	json_decref(root);
	strbuf_release(&out);
	fixture_release(&fx);
}
END_TEST

START_TEST(sarif_carries_what_code_scanning_requires)
{
	struct fixture fx;
	struct strbuf out = STRBUF_INIT;
	json_t *root, *run, *driver, *rules, *results, *res, *loc, *rule;
	size_t i;

	fixture_init(&fx, false);
	report_sarif(&out, &fx.report);
	root = parse(&out);
	ck_assert_str_eq(json_string_value(json_object_get(root, "version")), "2.1.0");
	ck_assert_str_eq(json_string_value(json_object_get(root, "$schema")),
			 "https://json.schemastore.org/sarif-2.1.0.json");
	run = json_array_get(json_object_get(root, "runs"), 0);
	driver = json_object_get(json_object_get(run, "tool"), "driver");
	ck_assert_str_eq(json_string_value(json_object_get(driver, "name")), "mtcheck");
	ck_assert_ptr_nonnull(json_string_value(json_object_get(driver, "version")));
	rules = json_object_get(driver, "rules");
	ck_assert_uint_eq(json_array_size(rules), fx.policy.nrules);
	for (i = 0; i < json_array_size(rules); i++) {
		rule = json_array_get(rules, i);
		ck_assert_str_eq(json_string_value(json_object_get(rule, "id")), fx.policy.rules[i].id);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(rule,
				 "shortDescription"), "text")), fx.policy.rules[i].title);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(rule,
				 "fullDescription"), "text")), fx.policy.rules[i].explanation);
		ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(rule,
				 "help"), "text")), fx.policy.rules[i].rationale));
	}
	results = json_object_get(run, "results");
	ck_assert_uint_eq(json_array_size(results), 4); /* 3 findings + 1 suppressed */
	for (i = 0; i < json_array_size(results); i++) {
		const char *id;
		json_int_t index;

		res = json_array_get(results, i);
		id = json_string_value(json_object_get(res, "ruleId"));
		index = json_integer_value(json_object_get(res, "ruleIndex"));
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(rules, (size_t)index),
								   "id")), id);
		ck_assert_ptr_nonnull(json_string_value(json_object_get(json_object_get(res, "message"),
									"text")));
		ck_assert_uint_eq(strlen(json_string_value(json_object_get(json_object_get(res,
				  "partialFingerprints"), "mtcheck/v1"))), 16);
	}
	res = json_array_get(results, 0);
	ck_assert_str_eq(json_string_value(json_object_get(res, "level")), "error");
	loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0), "physicalLocation");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(loc, "artifactLocation"),
							   "uri")), "target/i386/cpu.c");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(loc, "region"),
							    "startLine")), 120);
	res = json_array_get(results, 2);
	ck_assert_str_eq(json_string_value(json_object_get(res, "level")), "warning");
	res = json_array_get(results, 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(res,
			 "suppressions"), 0), "justification")), "reverted before release");
	json_decref(root);
	strbuf_release(&out);
	fixture_release(&fx);
}
END_TEST

START_TEST(codequality_carries_what_gitlab_requires)
{
	struct fixture fx;
	struct strbuf out = STRBUF_INIT;
	json_t *root, *issue, *loc;
	char fp[FINDING_FINGERPRINT_SIZE];

	fixture_init(&fx, false);
	report_codequality(&out, &fx.report);
	root = parse(&out);
	ck_assert(json_is_array(root));
	ck_assert_uint_eq(json_array_size(root), 3); /* suppressed findings are left out */
	issue = json_array_get(root, 0);
	/* The widget shows only this: rule, message, stream, commit and machine are in it. */
	ck_assert_str_eq(json_string_value(json_object_get(issue, "description")),
			 "ABI001: backport changes the guest ABI of pc-q35-10.0 and no bugfix machine "
			 "covers it (stream stable-10.0, commit aaaaaaaaaaaa target/i386: report "
			 "ARCH_CAPABILITIES on AMD, machine pc-q35-10.0)");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(root, 2), "description")),
			 "BFM005: 3 bugfix machines introduced in 2026, more than 2");
	ck_assert_str_eq(json_string_value(json_object_get(issue, "check_name")), "ABI001");
	finding_fingerprint(fp, &fx.findings.items[0]);
	ck_assert_str_eq(json_string_value(json_object_get(issue, "fingerprint")), fp);
	ck_assert_str_eq(json_string_value(json_object_get(issue, "severity")), "critical");
	loc = json_object_get(issue, "location");
	ck_assert_str_eq(json_string_value(json_object_get(loc, "path")), "target/i386/cpu.c");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(loc, "lines"), "begin")),
			 120);
	issue = json_array_get(root, 2);
	ck_assert_str_eq(json_string_value(json_object_get(issue, "severity")), "major");
	loc = json_object_get(issue, "location");
	ck_assert_str_eq(json_string_value(json_object_get(loc, "path")), ".");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(loc, "lines"), "begin")),
			 1);
	json_decref(root);
	strbuf_release(&out);
	fixture_release(&fx);
}
END_TEST

START_TEST(same_findings_same_bytes_in_every_format)
{
	static const enum mt_format formats[] = { MT_FORMAT_TEXT, MT_FORMAT_JSON, MT_FORMAT_SARIF,
						  MT_FORMAT_CODEQUALITY, MT_FORMAT_MARKDOWN };
	struct fixture a, b;
	size_t i;

	fixture_init(&a, false);
	fixture_init(&b, true); /* the engine found them in another order */
	for (i = 0; i < sizeof(formats) / sizeof(*formats); i++) {
		struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;

		report_write(&x, &a.report, formats[i]);
		report_write(&y, &b.report, formats[i]);
		ck_assert(x.len > 0);
		ck_assert_str_eq(x.buf, y.buf);
		strbuf_release(&x);
		strbuf_release(&y);
	}
	fixture_release(&a);
	fixture_release(&b);
}
END_TEST

START_TEST(sarif_says_whether_the_run_was_complete)
{
	struct fixture fx;
	struct strbuf out = STRBUF_INIT;
	char *gaps[] = { "no master branch in this repository" };
	json_t *root, *run, *inv, *vcp;

	fixture_init(&fx, false);
	fx.report.repository_uri = "https://gitlab.com/qemu-project/qemu.git";
	fx.report.revision = "cccccccccccccccccccccccccccccccccccccccc";
	fx.report.branch = "stable-10.0";
	report_sarif(&out, &fx.report);
	root = parse(&out);
	run = json_array_get(json_object_get(root, "runs"), 0);
	inv = json_array_get(json_object_get(run, "invocations"), 0);
	ck_assert(json_is_true(json_object_get(inv, "executionSuccessful")));
	ck_assert_uint_eq(json_array_size(json_object_get(inv, "toolExecutionNotifications")), 0);
	vcp = json_array_get(json_object_get(run, "versionControlProvenance"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(vcp, "repositoryUri")),
			 "https://gitlab.com/qemu-project/qemu.git");
	ck_assert_str_eq(json_string_value(json_object_get(vcp, "revisionId")),
			 "cccccccccccccccccccccccccccccccccccccccc");
	ck_assert_str_eq(json_string_value(json_object_get(vcp, "branch")), "stable-10.0");
	json_decref(root);
	/* A gap: not successful, and the gap is a notification. */
	strbuf_reset(&out);
	fx.report.gaps = gaps;
	fx.report.ngaps = 1;
	report_sarif(&out, &fx.report);
	root = parse(&out);
	run = json_array_get(json_object_get(root, "runs"), 0);
	inv = json_array_get(json_object_get(run, "invocations"), 0);
	ck_assert(json_is_false(json_object_get(inv, "executionSuccessful")));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(
				 json_object_get(inv, "toolExecutionNotifications"), 0), "message"), "text")),
			 "no master branch in this repository");
	json_decref(root);
	strbuf_release(&out);
	fixture_release(&fx);
}
END_TEST

START_TEST(markdown_has_table_evidence_next_step_and_fits_a_comment)
{
	struct fixture fx;
	struct strbuf out = STRBUF_INIT;
	struct finding many;
	size_t i;

	struct report_ref refs[2];

	fixture_init(&fx, false);
	fx.report.title = "check stable-10.0";
	report_markdown(&out, &fx.report, REPORT_MARKDOWN_LIMIT);
	ck_assert_ptr_eq(strstr(out.buf, "### mtcheck: check stable-10.0\n"), out.buf);
	/* The repository and every ref read, with its commit. */
	refs[0].role = "master";
	refs[0].name = "master";
	refs[0].commit = oid_of('c');
	refs[1].role = "checked";
	refs[1].name = "HEAD";
	refs[1].commit = oid_of('d');
	fx.report.repository = "/builds/qemu";
	fx.report.refs = refs;
	fx.report.nrefs = 2;
	strbuf_reset(&out);
	report_markdown(&out, &fx.report, REPORT_MARKDOWN_LIMIT);
	ck_assert_ptr_nonnull(strstr(out.buf, "suppressed.\n\nRead from `/builds/qemu`: master "
					      "`master` at `cccccccccccc`, checked `HEAD` at "
					      "`dddddddddddd`.\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "**2 errors, 1 warning, 0 info**, 1 suppressed."));
	ck_assert_ptr_nonnull(strstr(out.buf, "| ABI001 | 1 | 0 | 0 | backport changes guest ABI"));
	ck_assert_ptr_nonnull(strstr(out.buf, "- **commit:** `aaaaaaaaaaaa` target/i386: report "
					      "ARCH_CAPABILITIES on AMD\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "- **where:** `target/i386/cpu.c` line 120\n"));
	ck_assert_ptr_nonnull(strstr(out.buf, "- **next step:** Add a bugfix machine X.Y.Z"));
	ck_assert_ptr_null(strstr(out.buf, "not shown"));
	/* 2,000 findings: cut under the limit, with the count of those left out. */
	memset(&many, 0, sizeof(many));
	many.rule = "ABI001";
	many.severity = MT_SEVERITY_ERROR;
	many.stream = "stable-10.0";
	many.path = "hw/a|b.c";
	many.message = "a message with a | pipe and <b>markup</b> that is long enough to add up";
	for (i = 0; i < 2000; i++) {
		many.line = (int)i + 1;
		finding_list_add(&fx.findings, &many);
	}
	strbuf_reset(&out);
	report_markdown(&out, &fx.report, REPORT_MARKDOWN_LIMIT);
	ck_assert_uint_lt(out.len, REPORT_MARKDOWN_LIMIT);
	ck_assert_ptr_nonnull(strstr(out.buf, " more findings are not shown"));
	ck_assert_ptr_null(strstr(out.buf, "<b>"));
	ck_assert_ptr_nonnull(strstr(out.buf, "a \\| pipe and &lt;b&gt;markup"));
	strbuf_release(&out);
	fixture_release(&fx);
}
END_TEST

START_TEST(fail_on_sets_the_exit_status)
{
	struct fixture fx;
	int level;

	fixture_init(&fx, false);
	ck_assert_int_eq(report_parse_fail_on(&level, "error"), 0);
	ck_assert_int_eq(report_exit_status(&fx.findings, level), MT_EXIT_FINDINGS);
	ck_assert_int_eq(report_parse_fail_on(&level, "none"), 0);
	ck_assert_int_eq(report_exit_status(&fx.findings, level), MT_EXIT_OK);
	ck_assert_int_eq(report_parse_fail_on(&level, "loud"), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--fail-on: unknown level 'loud' (use error, warning, "
					  "info or none)");
	/* Only warnings left: error does not fail, warning and info do. */
	finding_release(&fx.findings.items[0]);
	finding_release(&fx.findings.items[1]);
	fx.findings.items[0] = fx.findings.items[2];
	fx.findings.nr = 1;
	report_parse_fail_on(&level, "error");
	ck_assert_int_eq(report_exit_status(&fx.findings, level), MT_EXIT_OK);
	report_parse_fail_on(&level, "warning");
	ck_assert_int_eq(report_exit_status(&fx.findings, level), MT_EXIT_FINDINGS);
	report_parse_fail_on(&level, "info");
	ck_assert_int_eq(report_exit_status(&fx.findings, level), MT_EXIT_FINDINGS);
	fixture_release(&fx);
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, findings_sort_by_stream_order_and_rule);
	tcase_add_test(tc, streams_sort_by_version_then_master);
	tcase_add_test(tc, text_is_compiler_shaped_with_evidence_and_summary);
	tcase_add_test(tc, text_summary_without_findings);
	tcase_add_test(tc, json_follows_the_contract);
	tcase_add_test(tc, sarif_carries_what_code_scanning_requires);
	tcase_add_test(tc, codequality_carries_what_gitlab_requires);
	tcase_add_test(tc, same_findings_same_bytes_in_every_format);
	tcase_add_test(tc, fail_on_sets_the_exit_status);
	tcase_add_test(tc, sarif_says_whether_the_run_was_complete);
	tcase_add_test(tc, markdown_has_table_evidence_next_step_and_fits_a_comment);
	suite_add_tcase(s, tc);
	return s;
}
