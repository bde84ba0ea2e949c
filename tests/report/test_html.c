/*
 * The auditor's HTML page in a real browser: Debian's chromium, headless,
 * loads `mtcheck audit --format html` of the demo history from a file; its
 * script must run without an error (it counts the markers into the DOM),
 * every finding of the JSON report must be in the DOM with a marker that
 * links to its evidence, the page must fetch nothing, and a screenshot is
 * taken. Where chromium is not installed the test says so in one line and
 * checks the page's text only.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "util/strbuf.h"

static const char *const chromium_flags[] = {
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--enable-logging=stderr", "--v=0",
};
#define NFLAGS (sizeof(chromium_flags) / sizeof(*chromium_flags))

static bool have_chromium(void)
{
	const char *argv[] = { "sh", "-c", "command -v chromium", NULL };

	return test_exec(NULL, NULL, argv) == 0;
}

/* Runs chromium with a fresh profile and `action` on `url`; returns stdout and stderr together. */
static char *chromium(const char *action, const char *url, const char *profile)
{
	const char *argv[NFLAGS + 10];
	struct strbuf dir = STRBUF_INIT;
	char *out = NULL;
	size_t n = 0, i;
	int status;

	strbuf_addf(&dir, "--user-data-dir=%s", profile);
	argv[n++] = "sh";
	argv[n++] = "-c";
	argv[n++] = "exec chromium \"$@\" 2>&1";
	argv[n++] = "sh";
	for (i = 0; i < NFLAGS; i++)
		argv[n++] = chromium_flags[i];
	argv[n++] = dir.buf;
	argv[n++] = "--window-size=1200,1000";
	argv[n++] = action;
	argv[n++] = url;
	argv[n] = NULL;
	status = test_exec(&out, NULL, argv);
	ck_assert_msg(status == 0, "chromium %s exited %d:\n%s", action, status, out);
	strbuf_release(&dir);
	return out;
}

/* The page's console messages (chromium logs them as ":CONSOLE" lines): none may be errors. */
static void assert_console_clean(const char *log)
{
	const char *p = log;

	while ((p = strstr(p, ":CONSOLE")) != NULL) {
		const char *eol = strchr(p, '\n');

		ck_abort_msg("the page logged to its console: %.*s", eol ? (int)(eol - p) : 200, p);
	}
	ck_assert_msg(strstr(log, "Uncaught") == NULL, "an uncaught error:\n%s", log);
}

START_TEST(audit_page_in_a_headless_browser)
{
	struct scenario demo;
	struct run_result html, json;
	const char *html_args[] = { "--repo", NULL, "audit", "--format", "html", NULL };
	const char *json_args[] = { "--repo", NULL, "audit", "--format", "json", NULL };
	char *page = test_tmppath("audit.html"), *shot = test_tmppath("audit.png"),
	     *profile = test_tmpdir("chromium"), *dom, *log;
	struct strbuf url = STRBUF_INIT, want = STRBUF_INIT, shot_arg = STRBUF_INIT;
	json_t *root, *findings;
	json_error_t err;
	struct stat st;
	FILE *f;
	size_t i, nfindings;

	test_scenario(&demo, "demo/demo.json");
	html_args[1] = json_args[1] = demo.path;
	run_mtcheck(&html, NULL, html_args);
	ck_assert_int_eq(html.status, 1);
	ck_assert_ptr_eq(strstr(html.out, "<!DOCTYPE html>"), html.out);
	/* Self-contained: nothing to fetch, no script from elsewhere. */
	ck_assert_ptr_null(strstr(html.out, "<script src"));
	ck_assert_ptr_null(strstr(html.out, "<link"));
	ck_assert_ptr_null(strstr(html.out, "http://"));
	ck_assert_ptr_null(strstr(html.out, "https://"));
	run_mtcheck(&json, NULL, json_args);
	root = json_loads(json.out, 0, &err);
	ck_assert_ptr_nonnull(root);
	findings = json_object_get(root, "findings");
	nfindings = json_array_size(findings);
	ck_assert_uint_eq(nfindings, 4);
	f = fopen(page, "w");
	ck_assert_ptr_nonnull(f);
	fputs(html.out, f);
	fclose(f);
	if (getenv("MT_TEST_VALGRIND") || !have_chromium()) {
		fprintf(stderr, "test_html: browser check skipped: %s\n",
			getenv("MT_TEST_VALGRIND") ? "not under valgrind"
						   : "chromium is not installed (apt-get install chromium)");
		goto out;
	}
	strbuf_addf(&url, "file://%s", page);
	dom = chromium("--dump-dom", url.buf, profile);
	assert_console_clean(dom);
	/* The script ran to its end: it counted the markers into the DOM. */
	strbuf_addf(&want, "data-markers=\"%zu\"", nfindings);
	ck_assert_msg(strstr(dom, want.buf) != NULL, "script did not run (no %s)", want.buf);
	for (i = 0; i < nfindings; i++) {
		const char *fp = json_string_value(json_object_get(json_array_get(findings, i),
								   "fingerprint"));

		strbuf_reset(&want);
		strbuf_addf(&want, "<tr id=\"finding-%zu\" class=\"finding", i + 1);
		ck_assert_msg(strstr(dom, want.buf) != NULL, "finding %zu not in the DOM", i + 1);
		strbuf_reset(&want);
		strbuf_addf(&want, "data-fingerprint=\"%s\"", fp);
		ck_assert_msg(strstr(dom, want.buf) != NULL, "fingerprint %s not in the DOM", fp);
		strbuf_reset(&want);
		strbuf_addf(&want, "href=\"#finding-%zu\" data-finding=\"%zu\"", i + 1, i + 1);
		ck_assert_msg(strstr(dom, want.buf) != NULL, "no marker for finding %zu", i + 1);
	}
	free(dom);
	strbuf_addf(&shot_arg, "--screenshot=%s", shot);
	log = chromium(shot_arg.buf, url.buf, profile);
	assert_console_clean(log);
	ck_assert_msg(stat(shot, &st) == 0 && st.st_size > 10000, "no screenshot at %s", shot);
	free(log);
out:
	json_decref(root);
	run_result_release(&html);
	run_result_release(&json);
	scenario_release(&demo);
	strbuf_release(&url);
	strbuf_release(&want);
	strbuf_release(&shot_arg);
	free(page);
	free(shot);
	free(profile);
}
END_TEST

/* The streams page: the same timelines without findings; the demo's lanes and its bugfix machine. */
START_TEST(streams_page_has_lanes_releases_and_machines)
{
	struct scenario demo;
	struct run_result r;
	const char *args[] = { "--repo", NULL, "streams", "--format", "html", NULL };

	test_scenario(&demo, "demo/demo.json");
	args[1] = demo.path;
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "<!DOCTYPE html>"), r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "<h2>Streams and releases</h2>"));
	ck_assert_ptr_nonnull(strstr(r.out, ">stable-9.2</text>"));
	ck_assert_ptr_nonnull(strstr(r.out, ">stable-10.1</text>"));
	ck_assert_ptr_nonnull(strstr(r.out, "<title>v10.0.3, "));
	/* pc-q35-10.0.2 came with v10.0.2 in stable-10.0, in q35's timeline only. */
	ck_assert_ptr_nonnull(strstr(r.out, "<title>bugfix machine pc-q35-10.0.2, "));
	ck_assert_ptr_nonnull(strstr(r.out, "id=\"timeline-q35\""));
	ck_assert_ptr_null(strstr(r.out, "class=\"marker"));
	run_result_release(&r);
	scenario_release(&demo);
}
END_TEST

START_TEST(html_is_only_for_audit_and_streams)
{
	struct run_result r;
	const char *args[] = { "check", "--format", "html", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: check: --format html is not available for this command\n");
	run_result_release(&r);
}
END_TEST

Suite *suite_html(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("html");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, audit_page_in_a_headless_browser);
	tcase_add_test(tc, streams_page_has_lanes_releases_and_machines);
	tcase_add_test(tc, html_is_only_for_audit_and_streams);
	suite_add_tcase(s, tc);
	return s;
}
