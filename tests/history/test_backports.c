/*
 * `mtcheck backports` and `mtcheck streams` as users run them, on the streams
 * scenario and on clones of it in every shape: bare, worktree, remote-tracking
 * only, shallow. The clones are made with the git command line, as users make them.
 */
#include <check.h>
#include <stdbool.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/strbuf.h"
#include "testutil.h"

static void git(const char *fmt, const char *a, const char *b)
{
	struct strbuf cmd = STRBUF_INIT;
	int status;

	strbuf_addf(&cmd, fmt, a, b);
	strbuf_addstr(&cmd, " >/dev/null 2>&1");
	status = system(cmd.buf);
	ck_assert_msg(status == 0, "failed: %s", cmd.buf);
	strbuf_release(&cmd);
}

static void run(struct run_result *r, const char *repo, const char *a1, const char *a2,
		const char *a3, const char *a4)
{
	const char *args[] = { "--repo", repo, a1, a2, a3, a4, NULL };

	run_mtcheck(r, NULL, args);
}

static void line_has(const char *out, const char *sha_hex, const char *needle)
{
	char short_sha[14];
	const char *line, *eol;

	/* at the start of a line, not in another line's [reverts ...] */
	short_sha[0] = '\n';
	memcpy(short_sha + 1, sha_hex, 12);
	short_sha[13] = '\0';
	line = strstr(out, short_sha);
	ck_assert_msg(line, "%s not listed in:\n%s", short_sha + 1, out);
	line++;
	eol = strchr(line, '\n');
	ck_assert_msg(strstr(line, needle) && (!eol || strstr(line, needle) < eol),
		      "line of %s lacks '%s':\n%s", short_sha + 1, needle, out);
}

START_TEST(text_one_line_per_backport)
{
	struct scenario s;
	struct run_result r;
	char up[13];

	test_scenario(&s, "history/streams.json");
	run(&r, s.path, "backports", "stable-4.0", NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "stable-4.0: base v4.0.0 ("));
	ck_assert_ptr_nonnull(strstr(r.out, ", 16 backports\n"));
	memcpy(up, scenario_hex(&s, "fixA"), 12);
	up[12] = '\0';
	line_has(r.out, scenario_hex(&s, "bp_cherry"), up);
	line_has(r.out, scenario_hex(&s, "bp_cherry"), " v4.0.1 ");
	line_has(r.out, scenario_hex(&s, "bp_cherry"), "[reverted by ");
	line_has(r.out, scenario_hex(&s, "bp_patchid"), " patch-id ");
	line_has(r.out, scenario_hex(&s, "bp_notmaster"), "[upstream not in master]");
	line_has(r.out, scenario_hex(&s, "bp_revert"), "[reverts ");
	line_has(r.out, scenario_hex(&s, "merge"), "[merge]");
	line_has(r.out, scenario_hex(&s, "bump402"), "[version]");
	line_has(r.out, scenario_hex(&s, "unreleased"), "  -  ");
	ck_assert_ptr_nonnull(strstr(r.out, "    note: squash of 2 master commits"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(json_follows_the_contract)
{
	static const char *const keys[] = { "commit", "subject", "upstream", "match",
					    "upstream_in_master", "release", "reverted_by",
					    "evidence" };
	struct scenario s;
	struct run_result r, again;
	json_t *root, *list, *b;
	json_error_t err;
	size_t i, k;

	test_scenario(&s, "history/streams.json");
	run(&r, s.path, "backports", "stable-4.0", "--format", "json");
	ck_assert_msg(r.status == 0, "%s", r.err);
	root = json_loads(r.out, 0, &err);
	ck_assert_msg(root, "not JSON: %s", err.text);
	ck_assert_str_eq(json_string_value(json_object_get(root, "stream")), "stable-4.0");
	ck_assert_str_eq(json_string_value(json_object_get(root, "base")), "v4.0.0");
	ck_assert_str_eq(json_string_value(json_object_get(root, "tip")), scenario_hex(&s, "unreleased"));
	list = json_object_get(root, "backports");
	ck_assert_uint_eq(json_array_size(list), 16);
	json_array_foreach(list, i, b) {
		for (k = 0; k < sizeof(keys) / sizeof(*keys); k++)
			ck_assert_msg(json_object_get(b, keys[k]), "backport %zu lacks %s", i, keys[k]);
		ck_assert(json_is_array(json_object_get(b, "evidence")));
	}
	b = json_array_get(list, 0);
	ck_assert_str_eq(json_string_value(json_object_get(b, "upstream")), scenario_hex(&s, "fixA"));
	ck_assert_str_eq(json_string_value(json_object_get(b, "match")), "trailer");
	ck_assert(json_is_true(json_object_get(b, "upstream_in_master")));
	ck_assert_str_eq(json_string_value(json_object_get(b, "release")), "v4.0.1");
	ck_assert_str_eq(json_string_value(json_object_get(b, "reverted_by")),
			 scenario_hex(&s, "bp_revert"));
	b = json_array_get(list, 15);
	ck_assert(json_is_null(json_object_get(b, "upstream")));
	ck_assert(json_is_null(json_object_get(b, "release")));
	ck_assert_str_eq(json_string_value(json_object_get(b, "match")), "none");
	json_decref(root);
	/* same repository, same options, same bytes */
	run(&again, s.path, "backports", "stable-4.0", "--format", "json");
	ck_assert_str_eq(again.out, r.out);
	run_result_release(&again);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(since_and_merge_base_fallback)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "history/streams.json");
	run(&r, s.path, "backports", "stable-4.0", "--since", "v4.0.2");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "1 of 16 backports since v4.0.2\n"));
	ck_assert_uint_eq(count_lines(r.out), 2);
	line_has(r.out, scenario_hex(&s, "unreleased"), "another stable-only fix");
	run_result_release(&r);

	run(&r, s.path, "backports", "stable-4.1", "--format", "json");
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "\"base_kind\": \"merge-base\""));
	ck_assert_ptr_nonnull(strstr(r.out, scenario_hex(&s, "rel41")));
	run_result_release(&r);
	run(&r, s.path, "backports", "stable-4.1", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "(merge-base with master: no v4.1.0 tag)"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(streams_lists_staging_only_when_asked)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "history/streams.json");
	run(&r, s.path, "streams", NULL, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_uint_eq(count_lines(r.out), 4); /* a header, master and two streams */
	ck_assert_ptr_null(strstr(r.out, "staging"));
	ck_assert_ptr_nonnull(strstr(r.out, "  v4.0.2 (2014-01-06)  "));
	run_result_release(&r);
	run(&r, s.path, "streams", "--include-staging", NULL, NULL);
	ck_assert_uint_eq(count_lines(r.out), 6);
	ck_assert_ptr_nonnull(strstr(r.out, "staging-4.0 "));
	ck_assert_ptr_nonnull(strstr(r.out, "stable-4.0-staging "));
	run_result_release(&r);
	run(&r, s.path, "streams", "--format", "json", NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "\"name\": \"v4.0.1.1\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"rc\": true"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

/* The same answer from a bare clone, a worktree and a clone with remote-tracking branches only. */
START_TEST(repository_shapes)
{
	struct scenario s;
	struct run_result ref, r;
	char *bare = test_tmppath("bare"), *clone = test_tmppath("clone"),
	     *wt = test_tmppath("worktree");
	const char *body;

	test_scenario(&s, "history/streams.json");
	run(&ref, s.path, "backports", "stable-4.0", NULL, NULL);
	body = strchr(ref.out, '\n');

	git("git clone -q --bare --mirror %s %s", s.path, bare);
	run(&r, bare, "backports", "stable-4.0", NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.out, ref.out);
	run_result_release(&r);

	git("git -C %s worktree add -q %s stable-4.0", s.path, wt);
	run(&r, wt, "backports", "stable-4.0", NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.out, ref.out);
	run_result_release(&r);

	/* only origin/stable-4.0 and origin/master: found, same list */
	git("git clone -q --no-local %s %s", s.path, clone);
	/* the other remotes' branches too (bp_notmaster names a stable-4.1 commit) */
	git("git -C %s fetch -q origin 'refs/remotes/*:refs/remotes/mirror/*'%s", clone, "");
	run(&r, clone, "backports", "stable-4.0", NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(strchr(r.out, '\n'), body);
	run_result_release(&r);
	run(&r, clone, "streams", NULL, NULL, NULL);
	ck_assert_ptr_nonnull(strstr(r.out, "[remotes/origin/stable-4.0]"));
	run_result_release(&r);

	run_result_release(&ref);
	free(bare);
	free(clone);
	free(wt);
	scenario_release(&s);
}
END_TEST

START_TEST(shallow_clone_names_the_missing_commit)
{
	struct scenario s;
	struct run_result r;
	char *shallow = test_tmppath("shallow"), *url;
	struct strbuf sb = STRBUF_INIT;

	test_scenario(&s, "history/streams.json");
	strbuf_addf(&sb, "file://%s", s.path);
	url = strbuf_detach(&sb, NULL);
	git("git clone -q --depth 3 --no-single-branch %s %s", url, shallow);
	git("git -C %s fetch -q --depth 1 origin tag v4.0.0 %s", shallow, "");
	run(&r, shallow, "backports", "stable-4.0", NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: stable-4.0: history stops at "));
	ck_assert_ptr_nonnull(strstr(r.err, "in this shallow clone"));
	ck_assert_ptr_nonnull(strstr(r.err, "before reaching base v4.0.0"));
	ck_assert_uint_eq(count_lines(r.err), 1);
	run_result_release(&r);
	/* deep enough: the whole list */
	free(shallow);
	shallow = test_tmppath("deep");
	git("git clone -q --depth 40 --no-single-branch %s %s", url, shallow);
	run(&r, shallow, "backports", "stable-4.0", NULL, NULL);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, ", 16 backports\n"));
	run_result_release(&r);
	free(url);
	free(shallow);
	scenario_release(&s);
}
END_TEST

START_TEST(read_only)
{
	struct scenario s;
	struct run_result r;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	char *listing = test_tmppath("listing");
	FILE *f;
	char buf[4096];
	size_t n;

	test_scenario(&s, "history/streams.json");
	git("cd %s && find . -type f | sort | xargs cksum > %s", s.path, listing);
	f = fopen(listing, "r");
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&before, buf, n);
	fclose(f);
	run(&r, s.path, "backports", "stable-4.0", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	run_result_release(&r);
	run(&r, s.path, "streams", "--include-staging", NULL, NULL);
	run_result_release(&r);
	git("cd %s && find . -type f | sort | xargs cksum > %s", s.path, listing);
	f = fopen(listing, "r");
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&after, buf, n);
	fclose(f);
	ck_assert_str_eq(after.buf, before.buf);
	strbuf_release(&before);
	strbuf_release(&after);
	free(listing);
	scenario_release(&s);
}
END_TEST

START_TEST(bad_input_is_one_line_exit_2)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "history/streams.json");
	run(&r, s.path, "backports", "stable-9.9", NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: stable-9.9: no such branch (looked in refs/heads and "
				"refs/remotes/*)\n");
	run_result_release(&r);
	run(&r, s.path, "backports", "master", NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: master: VERSION says 4.1.50, not a stable release; use "
				"--stream X.Y\n");
	run_result_release(&r);
	run(&r, s.path, "backports", "stable-4.0", "--since", "nope");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: --since: nope: no such ref or commit"));
	run_result_release(&r);
	run(&r, s.path, "backports", "stable-4.0", "--format", "sarif");
	ck_assert_int_eq(r.status, 2);
	ck_assert_uint_eq(count_lines(r.err), 1);
	run_result_release(&r);
	run(&r, s.path, "backports", NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

static json_t *backport_by_commit(json_t *root, const char *hex)
{
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(root, "backports"), i, b) {
		if (!strcmp(json_string_value(json_object_get(b, "commit")), hex))
			return b;
	}
	return NULL;
}

static bool has_evidence(json_t *backport, const char *signal, const char *detail_part)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(backport, "evidence"), i, e) {
		if (!strcmp(json_string_value(json_object_get(e, "signal")), signal) &&
		    strstr(json_string_value(json_object_get(e, "detail")), detail_part))
			return true;
	}
	return false;
}

START_TEST(evidence_from_the_backport_and_its_upstream)
{
	struct scenario s;
	struct run_result r;
	json_error_t jerr;
	json_t *root, *b;

	test_scenario(&s, "demo/demo.json");
	run(&r, s.path, "backports", "stable-10.0", "--format", "json");
	ck_assert_int_eq(r.status, 0);
	root = json_loads(r.out, 0, &jerr);
	ck_assert_ptr_nonnull(root);

	/* The upstream fix held 10.0 machines back with a compat entry; the backport has none. */
	b = backport_by_commit(root, scenario_hex(&s, "s100_archcap"));
	ck_assert_ptr_nonnull(b);
	ck_assert(has_evidence(b, "upstream-compat", "pc_compat_10_0: added { TYPE_X86_CPU, "
						     "x-arch-cap-always-on, false }"));
	ck_assert(has_evidence(b, "cpu-model", "EPYC-Demo"));

	/* The bugfix-machine backport changes the base options: class-field evidence. */
	b = backport_by_commit(root, scenario_hex(&s, "s100_smbios"));
	ck_assert(has_evidence(b, "machine-class-field", "default_smbios_ep_type"));

	/* Near-miss: a block-layer fix has no evidence at all. */
	b = backport_by_commit(root, scenario_hex(&s, "s100_qcow"));
	ck_assert_uint_eq(json_array_size(json_object_get(b, "evidence")), 0);
	ck_assert(json_is_null(json_object_get(b, "error")));
	json_decref(root);
	run_result_release(&r);

	run(&r, s.path, "backports", "stable-9.2", NULL, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "    abi-change property-default hw/usb/hcd-xhci.c:6: "
					   "DEFINE_PROP_UINT32 \"intrs\" (XHCIState) default 16 -> 8\n"));
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

Suite *suite_backports(void)
{
	Suite *s = suite_create("backports");
	TCase *tc = tcase_create("backports");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, text_one_line_per_backport);
	tcase_add_test(tc, json_follows_the_contract);
	tcase_add_test(tc, since_and_merge_base_fallback);
	tcase_add_test(tc, streams_lists_staging_only_when_asked);
	tcase_add_test(tc, repository_shapes);
	tcase_add_test(tc, shallow_clone_names_the_missing_commit);
	tcase_add_test(tc, read_only);
	tcase_add_test(tc, bad_input_is_one_line_exit_2);
	tcase_add_test(tc, evidence_from_the_backport_and_its_upstream);
	suite_add_tcase(s, tc);
	return s;
}
