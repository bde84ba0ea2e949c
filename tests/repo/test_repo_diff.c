/*
 * repo_diff (with `patch`) reads the blobs itself and diffs them as text with
 * libgit2's buffer diff; what it reports must be what libgit2's own tree
 * diff (git_diff_tree_to_tree, then git_diff_foreach, the way mtcheck
 * diffed before) reports: the same files in the same order, status letters,
 * blob ids, binary flags, and the same lines with the same numbers. Test
 * code, so it calls libgit2 directly for that reference.
 */
#include <check.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/oid.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

static void add_file(struct strbuf *out, char status, const char *old_path, const char *new_path,
		     const char *old_hex, const char *new_hex, bool binary)
{
	strbuf_addf(out, "file %c %s %s %s %s %s\n", status, old_path, new_path, old_hex, new_hex,
		    binary ? "binary" : "text");
}

static void add_line(struct strbuf *out, const char *path, char origin, int old_lineno,
		     int new_lineno, const char *content, size_t len)
{
	strbuf_addf(out, "line %s %c %d %d [", path, origin, old_lineno, new_lineno);
	strbuf_add(out, content, len);
	strbuf_addstr(out, "]\n");
}

static int mine_file(const struct mt_diff_file *file, void *payload)
{
	char a[MT_OID_HEXSZ + 1], b[MT_OID_HEXSZ + 1];

	oid_to_hex(a, &file->old_blob);
	oid_to_hex(b, &file->new_blob);
	add_file(payload, file->status, file->old_path, file->new_path, a, b, file->binary);
	return 0;
}

static int mine_line(const struct mt_diff_file *file, const struct mt_diff_line *line,
		     void *payload)
{
	add_line(payload, file->new_path, line->origin, line->old_lineno, line->new_lineno,
		 line->content, line->len);
	return 0;
}

static char status_letter(git_delta_t status)
{
	switch (status) {
	case GIT_DELTA_ADDED:
		return 'A';
	case GIT_DELTA_DELETED:
		return 'D';
	case GIT_DELTA_MODIFIED:
		return 'M';
	default:
		return '?';
	}
}

static int ref_file(const git_diff_delta *delta, float progress, void *payload)
{
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];

	(void)progress;
	git_oid_tostr(a, sizeof(a), &delta->old_file.id);
	git_oid_tostr(b, sizeof(b), &delta->new_file.id);
	add_file(payload, status_letter(delta->status), delta->old_file.path, delta->new_file.path,
		 a, b, (delta->flags & GIT_DIFF_FLAG_BINARY) != 0);
	return 0;
}

static int ref_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		    const git_diff_line *line, void *payload)
{
	(void)hunk;
	if (line->origin == GIT_DIFF_LINE_ADDITION || line->origin == GIT_DIFF_LINE_DELETION ||
	    line->origin == GIT_DIFF_LINE_CONTEXT)
		add_line(payload, delta->new_file.path, line->origin, line->old_lineno,
			 line->new_lineno, line->content, line->content_len);
	return 0;
}

/* libgit2's whole diff of the commit against its first parent, as mtcheck used to ask for it. */
static void reference_diff(struct strbuf *out, git_repository *git, const git_oid *id,
			   unsigned context, bool lines)
{
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;

	ck_assert_int_eq(git_commit_lookup(&commit, git, id), 0);
	ck_assert_int_eq(git_commit_tree(&tree, commit), 0);
	if (git_commit_parentcount(commit)) {
		ck_assert_int_eq(git_commit_parent(&parent, commit, 0), 0);
		ck_assert_int_eq(git_commit_tree(&parent_tree, parent), 0);
	}
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = context;
	opts.max_size = REPO_MAX_BLOB_SIZE;
	ck_assert_int_eq(git_diff_tree_to_tree(&diff, git, parent_tree, tree, &opts), 0);
	ck_assert_int_eq(git_diff_foreach(diff, ref_file, NULL, NULL, lines ? ref_line : NULL, out),
			 0);
	git_diff_free(diff);
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
}

struct tally {
	size_t commits, files, binary, lines;
};

static void count(struct tally *t, const struct strbuf *records)
{
	const char *p = records->buf, *end = records->buf + records->len;

	for (; p < end; p++) {
		if (p != records->buf && p[-1] != '\n')
			continue;
		if (!strncmp(p, "file ", 5)) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));

			t->files++;
			t->binary += eol - p > 7 && !strncmp(eol - 7, " binary", 7);
		} else if (!strncmp(p, "line ", 5)) {
			t->lines++;
		}
	}
}

/* Every commit reachable from any branch: mtcheck's diff against the reference. */
static void compare_all(struct tally *t, const char *dir)
{
	git_repository *git = NULL;
	git_revwalk *walk = NULL;
	struct mt_repo *repo;
	git_oid id;
	static const unsigned contexts[] = { 0, 3 };

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	ck_assert_int_eq(git_repository_open(&git, dir), 0);
	ck_assert_int_eq(repo_open(&repo, dir), 0);
	ck_assert_int_eq(git_revwalk_new(&walk, git), 0);
	ck_assert_int_eq(git_revwalk_push_glob(walk, "refs/heads/*"), 0);
	while (git_revwalk_next(&id, walk) == 0) {
		struct mt_oid oid;
		size_t k;

		memcpy(oid.id, id.id, MT_OID_RAWSZ);
		for (k = 0; k < 3; k++) {
			struct strbuf mine = STRBUF_INIT, theirs = STRBUF_INIT;
			unsigned context = contexts[k % 2];
			bool lines = k < 2;
			char hex[GIT_OID_HEXSZ + 1];

			struct repo_diff_opts opts = { .patch = true, .context = context,
						       .file_cb = mine_file,
						       .line_cb = lines ? mine_line : NULL,
						       .payload = &mine };

			reference_diff(&theirs, git, &id, context, lines);
			ck_assert_msg(repo_diff(repo, &oid, &opts) == 0, "%s", mt_error_last());
			/* Lines may hold NULs (files forced to text): compare every byte. */
			ck_assert_msg(mine.len == theirs.len && !memcmp(mine.buf, theirs.buf, mine.len),
				      "%s %s context %u:\nmtcheck:\n%s\nlibgit2:\n%s", dir,
				      git_oid_tostr(hex, sizeof(hex), &id), context, mine.buf, theirs.buf);
			if (k == 1)
				count(t, &mine);
			strbuf_release(&mine);
			strbuf_release(&theirs);
		}
		t->commits++;
	}
	git_revwalk_free(walk);
	repo_free(repo);
	git_repository_free(git);
	git_libgit2_shutdown();
}

START_TEST(diff_edges_are_what_libgit2_reports)
{
	char *dir = test_tmpdir("diff-edges"), *script = test_path("scenarios/repo/diff-edges.sh");
	const char *argv[] = { "sh", script, NULL };
	struct tally t = { 0, 0, 0, 0 };

	ck_assert_int_eq(test_exec(NULL, dir, argv), 0);
	compare_all(&t, dir);
	ck_assert_uint_ge(t.commits, 30);
	ck_assert_uint_ge(t.binary, 8);
	ck_assert_uint_ge(t.lines, 80);
	free(script);
	free(dir);
}
END_TEST

START_TEST(scenario_diffs_are_what_libgit2_reports)
{
	static const char *const scenarios[] = {
		"demo/demo.json", "abi/signals.json", "history/streams.json",
		"machines/history.json", "engine/history.json",
	};
	struct tally t = { 0, 0, 0, 0 };
	size_t k;

	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		struct scenario s;

		test_scenario(&s, scenarios[k]);
		compare_all(&t, s.path);
		scenario_release(&s);
	}
	ck_assert_uint_gt(t.commits, 50);
	ck_assert_uint_gt(t.lines, 500);
}
END_TEST

/* The same histories repacked: trees and blobs now come from the pack reader's delta chains. */
START_TEST(packed_diffs_are_what_libgit2_reports)
{
	static const char *const scenarios[] = { "abi/signals.json", "engine/history.json" };
	char *dir = test_tmpdir("diff-edges-packed");
	char *script = test_path("scenarios/repo/diff-edges.sh");
	const char *argv[] = { "sh", script, NULL };
	struct tally t = { 0, 0, 0, 0 };
	size_t k;

	ck_assert_int_eq(test_exec(NULL, dir, argv), 0);
	test_repack(dir);
	compare_all(&t, dir);
	ck_assert_uint_ge(t.binary, 8);
	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		struct scenario s;

		test_scenario(&s, scenarios[k]);
		test_repack(s.path);
		compare_all(&t, s.path);
		scenario_release(&s);
	}
	ck_assert_uint_ge(t.commits, 50);
	ck_assert_uint_gt(t.lines, 500);
	free(script);
	free(dir);
}
END_TEST

static int count_file(const struct mt_diff_file *file, void *payload)
{
	(void)file;
	++*(size_t *)payload;
	return 0;
}

/*
 * Walks read a commit's "tree" and first "parent" lines themselves; a commit
 * object without them, or a parent that is not a commit, is an error naming
 * the commit, never a crash or a silent empty diff.
 */
START_TEST(malformed_commits_are_errors)
{
	char *dir = test_tmpdir("malformed-commit");
	git_repository *git = NULL;
	git_odb *odb = NULL;
	git_oid bad, blob, tree, orphan;
	struct mt_oid oid;
	struct mt_repo *repo;
	struct strbuf text = STRBUF_INIT;
	size_t files = 0;
	struct repo_diff_opts count_opts = { .patch = true, .file_cb = count_file,
					     .payload = &files };
	char hex[GIT_OID_HEXSZ + 1];

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	ck_assert_int_eq(git_repository_init(&git, dir, 1), 0);
	ck_assert_int_eq(git_repository_odb(&odb, git), 0);
	ck_assert_int_eq(git_odb_write(&bad, odb, "no tree line\n", 13, GIT_OBJECT_COMMIT), 0);
	ck_assert_int_eq(git_odb_write(&blob, odb, "VERSION\n", 8, GIT_OBJECT_BLOB), 0);
	/* An empty tree, and a commit on it whose "parent" is that blob. */
	ck_assert_int_eq(git_odb_write(&tree, odb, "", 0, GIT_OBJECT_TREE), 0);
	strbuf_addf(&text, "tree %s\n", git_oid_tostr(hex, sizeof(hex), &tree));
	strbuf_addf(&text, "parent %s\n", git_oid_tostr(hex, sizeof(hex), &blob));
	strbuf_addstr(&text, "author A <a@example.org> 1 +0000\n"
			     "committer A <a@example.org> 1 +0000\n\nx\n");
	ck_assert_int_eq(git_odb_write(&orphan, odb, text.buf, text.len, GIT_OBJECT_COMMIT), 0);
	ck_assert_int_eq(repo_open(&repo, dir), 0);

	memcpy(oid.id, bad.id, MT_OID_RAWSZ);
	ck_assert_int_eq(repo_diff(repo, &oid, &count_opts), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "not a well-formed commit"));
	ck_assert_ptr_nonnull(strstr(mt_error_last(), git_oid_tostr(hex, 13, &bad)));
	mt_error_clear();
	memcpy(oid.id, orphan.id, MT_OID_RAWSZ);
	ck_assert_int_eq(repo_diff(repo, &oid, &count_opts), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "cannot read its trees"));
	ck_assert_ptr_nonnull(strstr(mt_error_last(), git_oid_tostr(hex, 13, &orphan)));
	mt_error_clear();
	ck_assert_uint_eq(files, 0);

	repo_free(repo);
	strbuf_release(&text);
	git_odb_free(odb);
	git_repository_free(git);
	git_libgit2_shutdown();
	free(dir);
}
END_TEST

/*
 * The patch id of every commit that is not a merge, against what
 * `git show COMMIT | git patch-id --stable` prints, with the user's and the
 * system's git configuration left out. Returns how many were compared.
 */
static size_t compare_patch_ids(const char *dir)
{
	const char *list[] = { "git", "rev-list", "--no-merges", "--branches", NULL };
	struct mt_repo *repo;
	char *commits = NULL, *line, *eol;
	size_t n = 0;

	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("HOME", "/nonexistent", 1);
	ck_assert_int_eq(test_exec(&commits, dir, list), 0);
	ck_assert_int_eq(repo_open(&repo, dir), 0);
	for (line = commits; *line; line = eol + 1) {
		struct strbuf cmd = STRBUF_INIT;
		const char *sh[] = { "sh", "-c", NULL, NULL };
		char *theirs = NULL, hex[MT_OID_HEXSZ + 1];
		struct mt_oid commit, id;

		eol = strchr(line, '\n');
		ck_assert_ptr_nonnull(eol);
		*eol = '\0';
		ck_assert_int_eq(oid_from_hex(&commit, line), 0);
		ck_assert_msg(repo_patch_id(&id, repo, &commit) == 0, "%s", mt_error_last());
		oid_to_hex(hex, &id);
		/* Renames are not detected (repo.h): those commits are held to --no-renames. */
		strbuf_addf(&cmd, "if git show --summary %s | grep -q '^ rename '; then "
			    "git show --no-renames %s; else git show %s; fi | git patch-id --stable",
			    line, line, line);
		sh[2] = cmd.buf;
		ck_assert_int_eq(test_exec(&theirs, dir, sh), 0);
		/* git prints nothing for a commit that changes nothing: that is the empty text's id. */
		ck_assert_msg(!strncmp(*theirs ? theirs : "da39a3ee5e6b4b0d3255bfef95601890afd80709",
				       hex, MT_OID_HEXSZ),
			      "%s %s: mtcheck %s, git %.40s", dir, line, hex, theirs);
		free(theirs);
		strbuf_release(&cmd);
		n++;
	}
	repo_free(repo);
	free(commits);
	return n;
}

/*
 * Patch ids are git's: on commits changing modes, symlinks, submodules,
 * binary and empty files (loose and packed, where the abbreviated ids of
 * binary files come from the pack index), and on the scenario histories.
 */
START_TEST(patch_ids_are_what_git_patch_id_prints)
{
	static const char *const scenarios[] = {
		"demo/demo.json", "history/streams.json", "repo/patchid.json",
	};
	char *dir = test_tmpdir("patch-ids"), *script = test_path("scenarios/repo/diff-edges.sh");
	const char *argv[] = { "sh", script, NULL };
	size_t k, n;

	ck_assert_int_eq(test_exec(NULL, dir, argv), 0);
	n = compare_patch_ids(dir);
	ck_assert_uint_ge(n, 30);
	test_repack(dir);
	ck_assert_uint_eq(compare_patch_ids(dir), n);
	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		struct scenario s;

		test_scenario(&s, scenarios[k]);
		n += compare_patch_ids(s.path);
		scenario_release(&s);
	}
	ck_assert_uint_ge(n, 60);
	free(script);
	free(dir);
}
END_TEST

Suite *suite_repo_diff(void)
{
	Suite *s = suite_create("repo_diff");
	TCase *tc = tcase_create("diff");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, diff_edges_are_what_libgit2_reports);
	tcase_add_test(tc, scenario_diffs_are_what_libgit2_reports);
	tcase_add_test(tc, packed_diffs_are_what_libgit2_reports);
	tcase_add_test(tc, malformed_commits_are_errors);
	tcase_add_test(tc, patch_ids_are_what_git_patch_id_prints);
	suite_add_tcase(s, tc);
	return s;
}
