/*
 * Where maintainers work: the GitLab job and the pre-push hook of
 * `ci-template`, end to end (ci-e2e.sh: a clone made as GitLab's runner
 * makes it, a real `git push`), `ci-setup`, and the terminal manners
 * (help anywhere, TERM=dumb, the progress line on a terminal and never off
 * one or with -q).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* Runs ci-e2e.sh MODE on the demo history; returns its "key: value" output. */
static char *run_e2e(const char *mode)
{
	struct scenario demo;
	char *script = test_path("cli/ci-e2e.sh"), *work = test_tmppath("e2e"), *out = NULL;
	const char *argv[] = { "sh", script, mode, MT_TEST_BIN, NULL, work, NULL };
	int status;

	test_scenario(&demo, "demo/demo.json");
	argv[4] = demo.path;
	status = test_exec(&out, NULL, argv);
	ck_assert_msg(status == 0, "ci-e2e.sh %s exited %d:\n%s", mode, status, out);
	scenario_release(&demo);
	free(script);
	free(work);
	return out;
}

static void assert_has(const char *out, const char *line)
{
	ck_assert_msg(strstr(out, line) != NULL, "missing \"%s\" in:\n%s", line, out);
}

START_TEST(gitlab_job_works_on_gitlabs_default_clone)
{
	char *out = run_e2e("gitlab");

	/* The clone is what GitLab gives: shallow, no tags; check alone names the fix. */
	assert_has(out, "shallow: true\n");
	assert_has(out, "tags-before: 0\n");
	assert_has(out, "check-before-status: 2\n");
	assert_has(out, "run first: mtcheck ci-setup HEAD --stream 10.0\n");
	/* The job: ci-setup reaches the base, the ABI change fails the job (exit 1). */
	assert_has(out, "ci-setup: reached\n");
	assert_has(out, "tags-after: 9\n");
	assert_has(out, "job-status: 1\n");
	assert_has(out, "job-stdout-last: 1 finding (1 error, 0 warnings, 0 info), 0 suppressed\n");
	assert_has(out, "codequality-abi001: 1\n");
	assert_has(out, "codequality-description: names stream and commit\n");
	assert_has(out, "sarif-results: 1\n");
	assert_has(out, "sarif-success: \"executionSuccessful\": true\n");
	assert_has(out, "markdown-heading: ### mtcheck: check stable-10.0\n");
	/* The near miss: a docs-only merge request passes with an empty widget report. */
	assert_has(out, "job-status: 0\n");
	assert_has(out, "near-miss-codequality: []\n");
	free(out);
}
END_TEST

START_TEST(pre_push_hook_stops_abi_changes_only)
{
	char *out = run_e2e("pre-push");

	assert_has(out, "push-abi-status: 1\n");
	assert_has(out, "server-unchanged: yes\n");
	assert_has(out, "push-abi-shows: ABI001\n");
	assert_has(out, "push-abi-says: stopped\n");
	assert_has(out, "push-docs-status: 0\n");
	assert_has(out, "server-updated: yes\n");
	assert_has(out, "push-other-branch-status: 0\n");
	free(out);
}
END_TEST

START_TEST(ci_template_names_and_errors)
{
	struct run_result r;
	const char *gitlab[] = { "ci-template", "gitlab", NULL };
	const char *unknown[] = { "ci-template", "jenkins", NULL };
	const char *none[] = { "ci-template", NULL };

	run_mtcheck(&r, NULL, gitlab);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "codequality: gl-code-quality-report.json"));
	ck_assert_ptr_nonnull(strstr(r.out, "mtcheck ci-setup HEAD"));
	run_result_release(&r);
	run_mtcheck(&r, NULL, unknown);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: ci-template: unknown template 'jenkins' (use gitlab or "
				"pre-push)\n");
	run_result_release(&r);
	run_mtcheck(&r, NULL, none);
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
}
END_TEST

START_TEST(ci_setup_outside_a_repository_is_one_line)
{
	struct run_result r;
	char *dir = test_tmpdir("norepo");
	const char *args[] = { "ci-setup", "--repo", dir, "--stream", "10.0", NULL };

	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "not a git repository"));
	ck_assert_int_eq(count_lines(r.err), 1);
	run_result_release(&r);
	free(dir);
}
END_TEST

START_TEST(ci_setup_needs_a_stream_it_can_tell)
{
	struct scenario demo;
	struct run_result r;
	const char *bad[] = { "ci-setup", "--repo", NULL, "master", "--stream", "ten", NULL };
	const char *master[] = { "ci-setup", "--repo", NULL, "master", NULL };

	test_scenario(&demo, "demo/demo.json");
	bad[2] = master[2] = demo.path;
	run_mtcheck(&r, NULL, bad);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "mtcheck: --stream: 'ten' is not X.Y\n");
	run_result_release(&r);
	/* master's VERSION is a development one: no stream to deepen for. */
	run_mtcheck(&r, NULL, master);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "not a stable release; use --stream X.Y"));
	run_result_release(&r);
	scenario_release(&demo);
}
END_TEST

/* The man page's CI example is the tested job, byte for byte. */
START_TEST(man_page_ci_section_is_the_tested_template)
{
	struct run_result r;
	const char *args[] = { "ci-template", "gitlab", NULL };
	char *man = test_path("../man/mtcheck.1"), *text = NULL;
	const char *cat[] = { "cat", man, NULL };
	const char *begin, *end;

	ck_assert_int_eq(test_exec(&text, NULL, cat), 0);
	begin = strstr(text, ".\\\" BEGIN GITLAB TEMPLATE");
	ck_assert_ptr_nonnull(begin);
	begin = strstr(begin, ".Bd -literal -offset indent\n");
	ck_assert_ptr_nonnull(begin);
	begin += strlen(".Bd -literal -offset indent\n");
	end = strstr(begin, ".Ed\n.\\\" END GITLAB TEMPLATE");
	ck_assert_ptr_nonnull(end);
	run_mtcheck(&r, NULL, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq((int)strlen(r.out), (int)(end - begin));
	ck_assert_msg(!strncmp(r.out, begin, (size_t)(end - begin)),
		      "man/mtcheck.1's GitLab job differs from 'mtcheck ci-template gitlab'");
	run_result_release(&r);
	free(text);
	free(man);
}
END_TEST

/* Without master the run is partial: it says so, names the fix, and SARIF says it too. */
START_TEST(check_without_master_names_ci_setup)
{
	struct scenario demo;
	struct run_result r;
	const char *del_master[] = { "git", "update-ref", "-d", "refs/heads/master", NULL };
	const char *del_origin[] = { "git", "update-ref", "-d", "refs/remotes/origin/master", NULL };
	const char *text[] = { "--repo", NULL, "check", "stable-10.0", "--all", NULL };
	const char *sarif[] = { "--repo", NULL, "check", "stable-10.0", "--all", "--format", "sarif",
				NULL };

	test_scenario(&demo, "demo/demo.json");
	ck_assert_int_eq(test_exec(NULL, demo.path, del_master), 0);
	ck_assert_int_eq(test_exec(NULL, demo.path, del_origin), 0);
	text[1] = sarif[1] = demo.path;
	run_mtcheck(&r, NULL, text);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "mtcheck: note: no master branch in this repository (neither master "
				"nor origin/master): bugfix machines were not held against master; to "
				"fetch it: mtcheck ci-setup stable-10.0 --stream 10.0\n");
	run_result_release(&r);
	run_mtcheck(&r, NULL, sarif);
	ck_assert_ptr_nonnull(strstr(r.out, "\"executionSuccessful\": false"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"toolExecutionNotifications\": [\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "to fetch it: mtcheck ci-setup stable-10.0"));
	run_result_release(&r);
	scenario_release(&demo);
}
END_TEST

/*
 * Runs mtcheck ARGS with TERM=term and both standard output and standard
 * error on one pseudo-terminal, as a maintainer's shell runs it; returns
 * everything the terminal received (the caller frees it) and the exit status.
 */
static char *run_on_terminal(int *status, const char *term, const char *const *args)
{
	const char *argv[16];
	char buf[4096], *out = NULL;
	size_t len = 0, n = 0;
	int master, st;
	pid_t pid;

	while (args[n] && n + 2 < sizeof(argv) / sizeof(argv[0])) {
		argv[n + 1] = args[n];
		n++;
	}
	argv[0] = MT_TEST_BIN;
	argv[n + 1] = NULL;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_msg(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0,
		      "no pseudo-terminal: %s", strerror(errno));
	pid = fork();
	ck_assert_msg(pid >= 0, "fork failed");
	if (pid == 0) {
		int slave;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0)
			_exit(126);
		close(master);
		dup2(slave, 1);
		dup2(slave, 2);
		unsetenv("NO_COLOR");
		unsetenv("MTCHECK_RULES");
		setenv("TERM", term, 1);
		execv(MT_TEST_BIN, (char *const *)argv);
		_exit(127);
	}
	for (;;) {
		ssize_t got = read(master, buf, sizeof(buf));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) /* EIO once the child's side is closed */
			break;
		out = realloc(out, len + (size_t)got + 1);
		ck_assert_ptr_nonnull(out);
		memcpy(out + len, buf, (size_t)got);
		len += (size_t)got;
	}
	close(master);
	ck_assert_msg(waitpid(pid, &st, 0) == pid, "waitpid failed");
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (!out)
		out = calloc(1, 1);
	else
		out[len] = '\0';
	return out;
}

START_TEST(command_help_anywhere)
{
	struct run_result r;
	const char *late[] = { "check", "stable-10.0", "--since", "x", "--help", NULL };
	const char *short_h[] = { "audit", "-h", NULL };
	const char *help_help[] = { "help", "help", NULL };
	const char *after_dashes[] = { "check", "--", "-h", "--repo", "/nonexistent", NULL };

	run_mtcheck(&r, NULL, late);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "usage: mtcheck check"), r.out);
	run_result_release(&r);
	run_mtcheck(&r, NULL, short_h);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "usage: mtcheck audit"), r.out);
	run_result_release(&r);
	run_mtcheck(&r, NULL, help_help);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_eq(strstr(r.out, "usage: mtcheck help [COMMAND]"), r.out);
	run_result_release(&r);
	/* After "--" it is an argument, not a request for help. */
	run_mtcheck(&r, NULL, after_dashes);
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
}
END_TEST

START_TEST(term_dumb_means_no_colour_and_no_progress_off_a_terminal)
{
	struct scenario demo;
	struct run_result r;
	const char *args[] = { "--repo", NULL, "audit", "--color", "auto", NULL };
	const char *always[] = { "--repo", NULL, "audit", "--color", "always", NULL };
	const char *dumb[] = { "TERM=dumb", NULL };

	test_scenario(&demo, "demo/demo.json");
	args[1] = always[1] = demo.path;
	/* stdout is a file here: no colour, and stderr no progress line either. */
	run_mtcheck_env(&r, NULL, dumb, args);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_null(strchr(r.out, '\033'));
	ck_assert_str_eq(r.err, "");
	run_result_release(&r);
	/* --color=always still wins over TERM=dumb (the user asked). */
	run_mtcheck_env(&r, NULL, dumb, always);
	ck_assert_ptr_nonnull(strchr(r.out, '\033'));
	run_result_release(&r);
	scenario_release(&demo);
}
END_TEST

START_TEST(progress_and_colour_on_a_terminal)
{
	struct scenario demo;
	const char *args[] = { "--repo", NULL, "audit", NULL };
	const char *quiet[] = { "-q", "--repo", NULL, "audit", NULL };
	char *out;
	int status;

	test_scenario(&demo, "demo/demo.json");
	args[1] = quiet[2] = demo.path;
	/* A terminal: the progress line (phase, streams done/total, elapsed) and colour. */
	out = run_on_terminal(&status, "xterm", args);
	ck_assert_int_eq(status, 1);
	assert_has(out, "\rmtcheck: reading 1/3 streams, ");
	assert_has(out, "\rmtcheck: running the rules, ");
	assert_has(out, "\033[1;31merror:\033[0m");
	free(out);
	/* TERM=dumb: the same progress line (carriage returns only) and no colour. */
	out = run_on_terminal(&status, "dumb", args);
	ck_assert_int_eq(status, 1);
	assert_has(out, "\rmtcheck: reading 1/3 streams, ");
	ck_assert_msg(!strchr(out, '\033'), "colour under TERM=dumb:\n%s", out);
	free(out);
	/* -q: findings only, no progress line even on a terminal. */
	out = run_on_terminal(&status, "xterm", quiet);
	ck_assert_int_eq(status, 1);
	assert_has(out, "[ABI001]");
	ck_assert_msg(!strstr(out, "mtcheck: reading"), "progress under -q:\n%s", out);
	free(out);
	scenario_release(&demo);
}
END_TEST

Suite *suite_ci(void)
{
	Suite *s = suite_create("ci");
	TCase *tc = tcase_create("ci");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, gitlab_job_works_on_gitlabs_default_clone);
	tcase_add_test(tc, pre_push_hook_stops_abi_changes_only);
	tcase_add_test(tc, ci_template_names_and_errors);
	tcase_add_test(tc, ci_setup_outside_a_repository_is_one_line);
	tcase_add_test(tc, ci_setup_needs_a_stream_it_can_tell);
	tcase_add_test(tc, man_page_ci_section_is_the_tested_template);
	tcase_add_test(tc, check_without_master_names_ci_setup);
	tcase_add_test(tc, command_help_anywhere);
	tcase_add_test(tc, term_dumb_means_no_colour_and_no_progress_off_a_terminal);
	tcase_add_test(tc, progress_and_colour_on_a_terminal);
	suite_add_tcase(s, tc);
	return s;
}
