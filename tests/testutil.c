#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "abi/abi.h"
#include "machines/families.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

extern char **environ;

static char *slurp_fd(int fd)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	return strbuf_detach(&sb, NULL);
}

static int temp_fd(void)
{
	char name[] = MT_TEST_TMP "/out-XXXXXX";
	int fd = mkstemp(name);

	ck_assert_msg(fd >= 0, "mkstemp in %s failed", MT_TEST_TMP);
	unlink(name);
	return fd;
}

void run_mtcheck_env(struct run_result *r, const char *cwd, const char *const *env,
		     const char *const *args)
{
	int out_fd = temp_fd(), err_fd = temp_fd(), status;
	size_t n = 0;
	pid_t pid;

	while (args[n])
		n++;
	pid = fork();
	ck_assert_msg(pid >= 0, "fork failed");
	if (pid == 0) {
		const char **argv = xcalloc(n + 2, sizeof(*argv));
		size_t i;

		argv[0] = MT_TEST_BIN;
		for (i = 0; i < n; i++)
			argv[i + 1] = args[i];
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		unsetenv("NO_COLOR");
		unsetenv("MTCHECK_RULES");
		for (i = 0; env && env[i]; i++) {
			const char *eq = strchr(env[i], '=');
			char *name = eq ? xstrndup(env[i], (size_t)(eq - env[i])) : NULL;

			if (name)
				setenv(name, eq + 1, 1);
		}
		execv(MT_TEST_BIN, (char *const *)argv);
		_exit(127);
	}
	ck_assert_msg(waitpid(pid, &status, 0) == pid, "waitpid failed");
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r->out = slurp_fd(out_fd);
	r->err = slurp_fd(err_fd);
	close(out_fd);
	close(err_fd);
}

int test_exec(char **out, const char *cwd, const char *const *argv)
{
	int out_fd = temp_fd(), status, devnull;
	pid_t pid = fork();

	ck_assert_msg(pid >= 0, "fork failed");
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		dup2(out_fd, 1);
		if (devnull >= 0)
			dup2(devnull, 2);
		if (cwd && chdir(cwd) < 0)
			_exit(126);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	ck_assert_msg(waitpid(pid, &status, 0) == pid, "waitpid failed");
	if (out)
		*out = slurp_fd(out_fd);
	close(out_fd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void run_mtcheck(struct run_result *r, const char *cwd, const char *const *args)
{
	run_mtcheck_env(r, cwd, NULL, args);
}

bool test_have_command(const char *name)
{
	struct run_result r;
	const char *args[] = { "help", name, NULL };
	bool ok;

	run_mtcheck(&r, NULL, args);
	ok = r.status == 0;
	run_result_release(&r);
	return ok;
}

void run_result_release(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

size_t count_lines(const char *s)
{
	size_t n = 0;
	char last = '\n';

	for (; *s; s++) {
		if (*s == '\n')
			n++;
		last = *s;
	}
	return n + (last != '\n');
}

char *test_tmppath(const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	char name[] = MT_TEST_TMP "/t-XXXXXX";
	char *dir;

	mkdir(MT_TEST_TMP, 0755);
	dir = mkdtemp(name);
	ck_assert_msg(dir != NULL, "mkdtemp under %s failed", MT_TEST_TMP);
	strbuf_addf(&sb, "%s/%s", dir, label);
	return strbuf_detach(&sb, NULL);
}

char *test_tmpdir(const char *label)
{
	char *path = test_tmppath(label);

	ck_assert_msg(mkdir(path, 0755) == 0, "mkdir %s failed", path);
	return path;
}

char *test_path(const char *relative)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", MT_TEST_DIR, relative);
	return strbuf_detach(&sb, NULL);
}

void test_repack(const char *dir)
{
	const char *argv[] = { "git", "-c", "pack.threads=1", "repack", "-a", "-d", "-f", "-q",
			       "--depth=50", "--window=250", NULL };

	ck_assert_int_eq(test_exec(NULL, dir, argv), 0);
}

void test_repack_deep(const char *dir)
{
	const char *verify[] = { "sh", "-c",
				 "git verify-pack -v \"$(git rev-parse --git-dir)\"/objects/pack/*.idx",
				 NULL };
	char *out = NULL;

	test_repack(dir);
	ck_assert_int_eq(test_exec(&out, dir, verify), 0);
	/* Chains of two links and more, so bases are built from bases. */
	ck_assert_msg(strstr(out, "chain length = 3:") != NULL, "no deep chains:\n%s", out);
	free(out);
}

void test_scenario(struct scenario *out, const char *name)
{
	char *file, *dest;
	struct strbuf rel = STRBUF_INIT;
	int err;

	strbuf_addf(&rel, "scenarios/%s", name);
	file = test_path(rel.buf);
	dest = test_tmppath("repo");
	err = scenario_build(out, file, dest);
	ck_assert_msg(err == 0, "building scenario %s: %s", name, mt_error_last());
	strbuf_release(&rel);
	free(file);
	free(dest);
}

void test_families(struct families *out)
{
	char *dir = test_path("../rules");

	ck_assert_msg(families_load(out, dir) == 0, "%s", mt_error_last());
	free(dir);
}

void test_classifier_open(struct test_classifier *out, const char *scenario)
{
	char *rules = test_path("../rules/abi-signals.json");

	memset(out, 0, sizeof(*out));
	test_scenario(&out->s, scenario);
	ck_assert_int_eq(repo_open(&out->repo, out->s.path), 0);
	ck_assert_msg(abi_config_load(&out->config, rules) == 0, "%s", mt_error_last());
	test_families(&out->fams);
	free(rules);
}

void test_classifier_close(struct test_classifier *c)
{
	abi_config_free(c->config);
	families_release(&c->fams);
	repo_free(c->repo);
	scenario_release(&c->s);
}

json_t *test_run_json(struct scenario *s, int want_status, const char *const *args)
{
	const char *argv[32];
	struct run_result r;
	json_error_t err;
	json_t *root;
	size_t n = 0, i;

	argv[n++] = "--repo";
	argv[n++] = s->path;
	argv[n++] = "--format";
	argv[n++] = "json";
	for (i = 0; args[i]; i++) {
		ck_assert_msg(n < ARRAY_SIZE(argv) - 1, "too many arguments");
		argv[n++] = args[i];
	}
	argv[n] = NULL;
	run_mtcheck(&r, NULL, argv);
	ck_assert_msg(r.status == want_status, "status %d, stderr: %s\n%s", r.status, r.err, r.out);
	root = json_loads(r.out, 0, &err);
	ck_assert_msg(root != NULL, "not JSON: %s\n%s", err.text, r.out);
	run_result_release(&r);
	return root;
}
