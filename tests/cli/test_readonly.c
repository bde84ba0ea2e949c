/*
 * mtcheck never writes to the repository it reads. Every command (those this
 * build has; the table lists those to come) and every library read runs
 * against a scenario repository whose every file, directory and link is
 * snapshotted before and after (tests/fs_snapshot.h): content, size, mode
 * and mtime must be unchanged, and no file may appear or vanish, even
 * briefly (directory mtimes). Then the same runs on a read-only copy: chmod
 * a-w, plus, where the kernel allows it, a read-only bind mount in a private
 * mount namespace, because root (as in CI) writes through chmod.
 *
 * A new command adds one row to readonly_commands.
 */
#define _GNU_SOURCE /* unshare(2) */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi/abi.h"
#include "util/error.h"
#include "machines/families.h"
#include "fs_snapshot.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

/* {REPO} is the repository; `command` as in test_badinput.c (NULL: always there). */
static const struct {
	const char *command;
	const char *args[8];
} readonly_commands[] = {
	{ NULL, { "--repo", "{REPO}", "--help" } },
	{ NULL, { "--repo", "{REPO}", "--version" } },
	{ NULL, { "--repo", "{REPO}", "help" } },
	{ NULL, { "--repo", "{REPO}", "nosuch" } },
	{ "machines", { "--repo", "{REPO}", "machines", "master" } },
	{ "machines", { "--repo", "{REPO}", "machines", "v10.0.3", "--format", "json" } },
	{ "backports", { "--repo", "{REPO}", "backports", "stable-10.0" } },
	{ "check", { "--repo", "{REPO}", "check", "stable-10.0" } },
	{ "check", { "--repo", "{REPO}", "check", "--format", "sarif", "stable-10.0" } },
	{ "audit", { "--repo", "{REPO}", "audit" } },
	{ "diff", { "--repo", "{REPO}", "diff", "v10.0.0", "v10.0.3" } },
	{ "rules", { "--repo", "{REPO}", "rules" } },
	/* cherry-picks in memory: merged blobs, trees and a commit that must not reach the disk */
	{ "assess", { "--repo", "{REPO}", "assess", "master" } },
	{ "assess", { "--repo", "{REPO}", "assess", "master", "--stream", "stable-10.0" } },
	{ "suggest", { "--repo", "{REPO}", "suggest", "stable-9.2", "--all" } },
	{ "explain", { "--repo", "{REPO}", "explain", "ABI001" } },
};

/* Runs every command there is; returns how many ran. Exit codes are other tests' business. */
static size_t run_commands(const char *repo)
{
	size_t i, j, ran = 0;

	for (i = 0; i < sizeof(readonly_commands) / sizeof(*readonly_commands); i++) {
		const char *args[8] = { NULL };
		struct run_result r;

		if (readonly_commands[i].command && !test_have_command(readonly_commands[i].command))
			continue;
		for (j = 0; j < 7 && readonly_commands[i].args[j]; j++)
			args[j] = strcmp(readonly_commands[i].args[j], "{REPO}")
					  ? readonly_commands[i].args[j] : repo;
		run_mtcheck(&r, NULL, args);
		ck_assert_msg(r.status < 128, "mtcheck %s crashed: %s", args[2], r.err);
		run_result_release(&r);
		ran++;
	}
	return ran;
}

/*
 * Every read the library offers, over every reference and commit: refs,
 * walks, commit info, files, diffs, patch ids, ABI evidence. Returns the
 * number of commits read (0 on any failure, with the message kept).
 */
static size_t read_everything(const char *path)
{
	struct mt_repo *repo;
	struct mt_ref *refs = NULL;
	struct mt_oid *commits = NULL, tip;
	struct abi_config *config = NULL;
	struct families fams;
	char *rules = test_path("../rules/abi-signals.json");
	size_t nrefs = 0, ncommits = 0, i, done = 0;

	if (repo_open(&repo, path) < 0)
		goto out_free;
	test_families(&fams);
	if (repo_list_refs(&refs, &nrefs, repo) < 0 || !nrefs ||
	    repo_resolve_commit(&tip, repo, "master") < 0 ||
	    repo_walk(&commits, &ncommits, repo, &tip, NULL, 0, REPO_WALK_TOPO) < 0 ||
	    abi_config_load(&config, rules) < 0)
		goto out;
	for (i = 0; i < nrefs; i++) {
		struct mt_oid oid;

		if (repo_resolve_commit(&oid, repo, refs[i].name) < 0)
			goto out;
	}
	for (i = 0; i < ncommits; i++) {
		struct mt_commit_info info;
		struct abi_evidence_list list;
		const struct mt_blob *blob;
		struct mt_oid patch_id;
		int err;

		if (repo_commit_info(&info, repo, &commits[i]) < 0)
			goto out;
		commit_info_release(&info);
		err = repo_read_file(&blob, repo, &commits[i], "VERSION");
		if ((err < 0 && err != MT_ENOTFOUND) || repo_patch_id(&patch_id, repo, &commits[i]) < 0)
			goto out;
		abi_evidence_list_init(&list);
		err = abi_classify_commit(&list, repo, config, &fams, &commits[i]);
		abi_evidence_list_release(&list);
		if (err < 0)
			goto out;
	}
	done = ncommits;
out:
	abi_config_free(config);
	families_release(&fams);
	free(commits);
	repo_refs_free(refs, nrefs);
	repo_free(repo);
out_free:
	free(rules);
	return done;
}

static void assert_unchanged(const struct fs_snapshot *before, const char *dir, const char *what)
{
	struct fs_snapshot after;
	struct strbuf diff = STRBUF_INIT;

	ck_assert_msg(fs_snapshot_take(&after, dir) == 0, "%s", mt_error_last());
	ck_assert_msg(fs_snapshot_diff(&diff, before, &after) == 0, "%s changed %s:\n%s", what,
		      dir, diff.buf);
	fs_snapshot_release(&after);
	strbuf_release(&diff);
}

START_TEST(snapshot_sees_every_kind_of_change)
{
	struct fs_snapshot a, b;
	struct strbuf diff = STRBUF_INIT;
	char *dir = test_tmpdir("snap"), path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/file", dir);
	f = fopen(path, "w");
	fputs("one", f);
	fclose(f);
	ck_assert_int_eq(fs_snapshot_take(&a, dir), 0);
	/* Same size, same second: only the content hash and the mtime's nanoseconds differ. */
	f = fopen(path, "w");
	fputs("two", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/lock", dir);
	f = fopen(path, "w");
	fclose(f);
	unlink(path); /* created and removed: the directory's mtime still tells */
	ck_assert_int_eq(fs_snapshot_take(&b, dir), 0);
	ck_assert_uint_eq(fs_snapshot_diff(&diff, &a, &b), 2);
	ck_assert_ptr_nonnull(strstr(diff.buf, "changed file: content\n"));
	ck_assert_ptr_nonnull(strstr(diff.buf, "changed .: mtime\n"));
	fs_snapshot_release(&b);
	strbuf_reset(&diff);
	snprintf(path, sizeof(path), "%s/new", dir);
	f = fopen(path, "w");
	fclose(f);
	ck_assert_int_eq(fs_snapshot_take(&b, dir), 0);
	ck_assert_uint_eq(fs_snapshot_diff(&diff, &a, &b), 3);
	ck_assert_ptr_nonnull(strstr(diff.buf, "added new\n"));
	fs_snapshot_release(&a);
	fs_snapshot_release(&b);
	strbuf_release(&diff);
	free(dir);
}
END_TEST

START_TEST(commands_and_reads_change_nothing)
{
	struct scenario s;
	struct fs_snapshot before;

	test_scenario(&s, "demo/demo.json");
	ck_assert_msg(fs_snapshot_take(&before, s.path) == 0, "%s", mt_error_last());
	ck_assert_uint_gt(before.count, 20);
	ck_assert_uint_ge(run_commands(s.path), 4);
	assert_unchanged(&before, s.path, "a command");
	ck_assert_msg(read_everything(s.path) > 10, "%s", mt_error_last());
	assert_unchanged(&before, s.path, "a library read");
	fs_snapshot_release(&before);
	scenario_release(&s);
}
END_TEST

/*
 * In a child: a private mount namespace with `dir` bind-mounted read-only
 * over itself, then every read and command. Exit 0 when all worked, 1 when
 * a read failed, 77 when the kernel refused the namespace (no enforcement
 * beyond chmod then; the snapshot still checks).
 */
static int run_on_readonly_mount(const char *dir)
{
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(dir, dir, "none", MS_BIND, NULL) < 0 ||
		    mount("none", dir, "none", MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
			_exit(77);
		if (access(dir, W_OK) == 0 || errno != EROFS)
			_exit(78); /* the mount is not read-only after all */
		if (read_everything(dir) < 10) {
			fprintf(stderr, "read-only mount: %s\n", mt_error_last());
			_exit(1);
		}
		run_commands(dir);
		_exit(0);
	}
	ck_assert(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

START_TEST(reads_work_on_a_read_only_copy)
{
	struct scenario s;
	struct fs_snapshot before;
	char *copy = test_tmppath("ro-copy");
	const char *cp[] = { "cp", "-a", NULL, NULL, NULL };
	const char *chmod_ro[] = { "chmod", "-R", "a-w", NULL, NULL };
	const char *chmod_rw[] = { "chmod", "-R", "u+w", NULL, NULL };
	int status;

	test_scenario(&s, "demo/demo.json");
	cp[2] = s.path;
	cp[3] = copy;
	ck_assert_int_eq(test_exec(NULL, NULL, cp), 0);
	chmod_ro[3] = chmod_rw[3] = copy;
	ck_assert_int_eq(test_exec(NULL, NULL, chmod_ro), 0);
	ck_assert_msg(fs_snapshot_take(&before, copy) == 0, "%s", mt_error_last());

	ck_assert_msg(read_everything(copy) > 10, "%s", mt_error_last());
	run_commands(copy);
	assert_unchanged(&before, copy, "a read on a chmod a-w copy");

	status = run_on_readonly_mount(copy);
	ck_assert_msg(status == 0 || status == 77, "on a read-only mount: exit %d", status);
	if (status == 77)
		fprintf(stderr, "readonly: no mount namespace here; chmod and snapshots only\n");
	assert_unchanged(&before, copy, "a read on a read-only mount");

	ck_assert_int_eq(test_exec(NULL, NULL, chmod_rw), 0);
	fs_snapshot_release(&before);
	scenario_release(&s);
	free(copy);
}
END_TEST

Suite *suite_readonly(void)
{
	Suite *s = suite_create("readonly");
	TCase *tc = tcase_create("readonly");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, snapshot_sees_every_kind_of_change);
	tcase_add_test(tc, commands_and_reads_change_nothing);
	tcase_add_test(tc, reads_work_on_a_read_only_copy);
	suite_add_tcase(s, tc);
	return s;
}
