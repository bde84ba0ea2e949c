/*
 * The repository boundary's diffs: the changed paths mtcheck finds by
 * walking only the subtrees that differ are the ones git reports, and a
 * diff limited by a path filter is exactly the accepted part of the whole.
 * The in-memory graph lists what a topological walk lists, in its order.
 * Run over every commit of the scenarios the other suites use.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

static const char *const scenarios[] = {
	"demo/demo.json", "abi/signals.json", "history/streams.json", "machines/history.json",
};

static int add_status_path(const struct mt_diff_file *file, void *payload)
{
	strbuf_addf(payload, "%c\t%s\n", file->status, file->new_path);
	return 0;
}

/* git diff-tree's view of the commit against its first parent (or of the root commit). */
static void git_name_status(struct strbuf *out, const char *dir, const char *hex,
			    bool has_parent)
{
	struct strbuf cmd = STRBUF_INIT;
	char buf[4096];
	FILE *p;
	size_t n;

	strbuf_addf(&cmd, "git -C '%s' diff-tree -r --no-renames --no-commit-id --name-status %s%s %s",
		    dir, has_parent ? hex : "--root", has_parent ? "^" : "", hex);
	p = popen(cmd.buf, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_add(out, buf, n);
	ck_assert_int_eq(pclose(p), 0);
	strbuf_release(&cmd);
}

/* Accepts what lies under hw/i386/ (and the directories on the way); records every question. */
static bool under_hw_i386(const char *path, void *payload)
{
	strbuf_addf(payload, "%s\n", path);
	return !strncmp(path, "hw/i386/", strlen(path) < 8 ? strlen(path) : 8) &&
	       (strlen(path) >= 8 || path[strlen(path) - 1] == '/');
}

/* The lines of a name-status listing whose path lies under hw/i386/. */
static void keep_hw_i386(struct strbuf *out, const char *listing)
{
	const char *line, *eol;

	for (line = listing; *line; line = eol) {
		eol = strchr(line, '\n');
		eol = eol ? eol + 1 : line + strlen(line);
		if (!strncmp(line + 2, "hw/i386/", 8))
			strbuf_add(out, line, (size_t)(eol - line));
	}
}

/*
 * The changed paths are git's; and a walk pruned to hw/i386/ reports the
 * accepted part of them, never asking inside a rejected directory.
 */
START_TEST(changed_paths_are_what_git_reports)
{
	size_t i, k, compared = 0, with_subdirs = 0, with_hw_i386 = 0;

	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		struct scenario s;
		struct mt_repo *repo;

		test_scenario(&s, scenarios[k]);
		ck_assert_int_eq(repo_open(&repo, s.path), 0);
		for (i = 0; i < s.ncommits; i++) {
			struct strbuf mine = STRBUF_INIT, theirs = STRBUF_INIT;
			struct strbuf expect = STRBUF_INIT, pruned = STRBUF_INIT, asked = STRBUF_INIT;
			struct mt_commit_info info;
			struct repo_diff_opts paths = { .file_cb = add_status_path, .payload = &mine };
			struct repo_diff_opts pruned_paths = { .want = under_hw_i386, .want_payload = &asked,
							       .prune = true, .file_cb = add_status_path,
							       .payload = &pruned };
			struct repo_diff_opts any_hw_i386 = { .want = under_hw_i386,
							      .want_payload = &asked, .prune = true };

			ck_assert_int_eq(repo_commit_info(&info, repo, &s.oids[i]), 0);
			ck_assert_msg(repo_diff(repo, &s.oids[i], &paths) == 0, "%s", mt_error_last());
			git_name_status(&theirs, s.path, scenario_hex(&s, s.ids[i]), info.nparents > 0);
			/* Merge commits too: both sides compare against the first parent. */
			ck_assert_msg(!strcmp(mine.buf, theirs.buf), "%s %s:\nmtcheck:\n%sgit:\n%s",
				      scenarios[k], s.ids[i], mine.buf, theirs.buf);
			with_subdirs += strchr(mine.buf, '/') != NULL;
			compared++;
			ck_assert_int_eq(repo_diff(repo, &s.oids[i], &pruned_paths), 0);
			keep_hw_i386(&expect, mine.buf);
			/* The yes/no question, and the same asked between the parent and the commit. */
			ck_assert_int_eq(repo_diff(repo, &s.oids[i], &any_hw_i386), expect.len > 0);
			if (info.nparents > 0) {
				any_hw_i386.from = &info.parents[0];
				ck_assert_int_eq(repo_diff(repo, &s.oids[i], &any_hw_i386),
						 expect.len > 0);
				any_hw_i386.from = NULL;
			}
			ck_assert_msg(!strcmp(expect.buf, pruned.buf), "%s %s pruned:\n%s\nvs\n%s",
				      scenarios[k], s.ids[i], expect.buf, pruned.buf);
			ck_assert_ptr_null(strstr(asked.buf, "tests/data/"));
			ck_assert_ptr_null(strstr(asked.buf, "hw/arm/virt.c"));
			with_hw_i386 += expect.len > 0;
			commit_info_release(&info);
			strbuf_release(&mine);
			strbuf_release(&theirs);
			strbuf_release(&expect);
			strbuf_release(&pruned);
			strbuf_release(&asked);
		}
		repo_free(repo);
		scenario_release(&s);
	}
	ck_assert_uint_gt(compared, 50);
	ck_assert_uint_gt(with_subdirs, 20);
	ck_assert_uint_gt(with_hw_i386, 5);
}
END_TEST

struct record {
	struct strbuf text;
	size_t files, lines;
};

static int record_file(const struct mt_diff_file *file, void *payload)
{
	struct record *r = payload;

	strbuf_addf(&r->text, "file %c %s %s\n", file->status, file->new_path,
		    file->binary ? "binary" : "text");
	r->files++;
	return 0;
}

static int record_line(const struct mt_diff_file *file, const struct mt_diff_line *line,
		       void *payload)
{
	struct record *r = payload;

	strbuf_addf(&r->text, "line %s %c %d %d ", file->new_path, line->origin,
		    line->old_lineno, line->new_lineno);
	strbuf_add(&r->text, line->content, line->len);
	r->lines++;
	return 0;
}

static bool ends_with_c(const char *path, void *payload)
{
	size_t n = strlen(path);

	(void)payload;
	return n > 2 && !strcmp(path + n - 2, ".c");
}

static bool accept_none(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return false;
}

/* The whole diff's records for files ending in .c, in the same order. */
static void keep_c_files(struct strbuf *out, const char *whole)
{
	const char *line = whole, *eol;

	for (; *line; line = eol) {
		const char *path = line + 5 + (line[0] == 'f' ? 2 : 0), *end;

		eol = strchr(line, '\n');
		eol = eol ? eol + 1 : line + strlen(line);
		end = strchr(path, ' ');
		if (end - path > 2 && !strncmp(end - 2, ".c", 2))
			strbuf_add(out, line, (size_t)(eol - line));
	}
}

START_TEST(filtered_diff_is_the_accepted_part_of_the_whole)
{
	size_t i, k, with_c = 0, with_others = 0;

	for (k = 0; k < 2; k++) {
		struct scenario s;
		struct mt_repo *repo;

		test_scenario(&s, scenarios[k]);
		ck_assert_int_eq(repo_open(&repo, s.path), 0);
		for (i = 0; i < s.ncommits; i++) {
			struct record whole = { STRBUF_INIT, 0, 0 }, part = { STRBUF_INIT, 0, 0 };
			struct record none = { STRBUF_INIT, 0, 0 };
			struct strbuf expect = STRBUF_INIT;

			struct repo_diff_opts opts = { .patch = true, .context = 3,
						       .file_cb = record_file, .line_cb = record_line };

			opts.payload = &whole;
			ck_assert_int_eq(repo_diff(repo, &s.oids[i], &opts), 0);
			opts.want = ends_with_c;
			opts.payload = &part;
			ck_assert_int_eq(repo_diff(repo, &s.oids[i], &opts), 0);
			opts.want = accept_none;
			opts.payload = &none;
			ck_assert_int_eq(repo_diff(repo, &s.oids[i], &opts), 0);
			keep_c_files(&expect, whole.text.buf);
			ck_assert_msg(!strcmp(expect.buf, part.text.buf), "%s %s:\nexpected:\n%sgot:\n%s",
				      scenarios[k], s.ids[i], expect.buf, part.text.buf);
			ck_assert_uint_eq(none.files + none.lines, 0);
			with_c += part.files > 0;
			with_others += whole.files > part.files;
			strbuf_release(&whole.text);
			strbuf_release(&part.text);
			strbuf_release(&none.text);
			strbuf_release(&expect);
		}
		repo_free(repo);
		scenario_release(&s);
	}
	ck_assert_uint_gt(with_c, 10);
	ck_assert_uint_gt(with_others, 5);
}
END_TEST

/* The graph's order and parents are a walk's: for every commit as tip, with and without a hide. */
static void check_graph(struct mt_repo *repo, const struct mt_oid *tip, const struct mt_oid *hide)
{
	struct repo_graph g;
	struct mt_oid *list;
	size_t n, i, j, at;

	ck_assert_int_eq(repo_walk(&list, &n, repo, tip, hide, hide ? 1 : 0,
				   REPO_WALK_TOPO | REPO_WALK_REVERSE), 0);
	ck_assert_int_eq(repo_graph_load(&g, repo, tip, hide, NULL, NULL), 0);
	ck_assert_uint_eq(g.count, n);
	for (i = 0; i < n; i++) {
		struct mt_commit_info info;
		size_t np = 0;

		ck_assert(oid_equal(&g.commits[i], &list[i]));
		ck_assert(repo_graph_find(&at, &g, &list[i]) && at == i);
		ck_assert_int_eq(repo_commit_info(&info, repo, &list[i]), 0);
		ck_assert_int_eq(g.times[i], info.time);
		for (j = 0; j < info.nparents; j++) {
			if (!repo_graph_find(&at, &g, &info.parents[j]))
				continue;
			ck_assert_uint_lt(at, i); /* parents before children */
			ck_assert_uint_eq(g.parents[g.parent_at[i] + np], at);
			np++;
		}
		ck_assert_uint_eq(g.parent_at[i + 1] - g.parent_at[i], np);
		commit_info_release(&info);
	}
	ck_assert(!repo_graph_find(&at, &g, hide ? hide : &(struct mt_oid){ { 0 } }));
	repo_graph_release(&g);
	free(list);
}

START_TEST(graph_is_the_walk)
{
	static const char *const with_merges[] = { "builder/basic.json", "history/streams.json",
						   "demo/demo.json" };
	size_t i, j, k, merges = 0;

	for (k = 0; k < sizeof(with_merges) / sizeof(with_merges[0]); k++) {
		struct scenario s;
		struct mt_repo *repo;

		test_scenario(&s, with_merges[k]);
		ck_assert_int_eq(repo_open(&repo, s.path), 0);
		for (i = 0; i < s.ncommits; i++) {
			struct mt_commit_info info;

			ck_assert_int_eq(repo_commit_info(&info, repo, &s.oids[i]), 0);
			merges += info.nparents > 1;
			commit_info_release(&info);
			check_graph(repo, &s.oids[i], NULL);
			for (j = 0; j < s.ncommits; j += 3)
				check_graph(repo, &s.oids[i], &s.oids[j]);
		}
		repo_free(repo);
		scenario_release(&s);
	}
	ck_assert_uint_gt(merges, 1);
}
END_TEST

/*
 * A pseudo-random history with merges, equal times and clock skew, every
 * commit as tip against every commit as hide: unrelated ones, ancestors,
 * descendants, the tip itself. With skew, libgit2's walk stops early and
 * lists commits the hide reaches; the graph must list them too.
 */
START_TEST(range_graph_is_the_walk_under_clock_skew)
{
	char *dir = test_tmpdir("skewed-dag"), *script = test_path("scenarios/repo/skewed-dag.sh");
	const char *argv[] = { "sh", script, NULL };
	struct mt_oid *oids = NULL;
	char *out = NULL, *line, *save = NULL;
	size_t n = 0, i, j, leaked = 0;
	struct mt_repo *repo;

	ck_assert_int_eq(test_exec(&out, dir, argv), 0);
	oids = calloc(64, sizeof(*oids));
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ck_assert_uint_lt(n, 64);
		ck_assert_int_eq(oid_from_hex(&oids[n++], line), 0);
	}
	ck_assert_uint_ge(n, 40);
	ck_assert_int_eq(repo_open(&repo, dir), 0);
	for (j = 0; j < n; j++) {
		struct mt_oid *reach;
		size_t nreach;

		ck_assert_int_eq(repo_walk(&reach, &nreach, repo, &oids[j], NULL, 0, 0), 0);
		for (i = 0; i < n; i++) {
			struct mt_oid *list;
			size_t nlist, a, b;

			check_graph(repo, &oids[i], &oids[j]);
			ck_assert_int_eq(repo_walk(&list, &nlist, repo, &oids[i], &oids[j], 1,
						   REPO_WALK_TOPO | REPO_WALK_REVERSE), 0);
			for (a = 0; a < nlist; a++) {
				for (b = 0; b < nreach; b++)
					leaked += oid_equal(&list[a], &reach[b]);
			}
			free(list);
		}
		free(reach);
	}
	/* The shape this test is for: some walk listed a commit its hide reaches. */
	ck_assert_uint_gt(leaked, 0);
	repo_free(repo);
	free(oids);
	free(out);
	free(script);
	free(dir);
}
END_TEST

/* Whether commits a and b have the same patch id. */
static bool same_patch(struct mt_repo *repo, const struct scenario *s, const char *a, const char *b)
{
	struct mt_oid x, y, zero;

	memset(&zero, 0, sizeof(zero));
	ck_assert_msg(repo_patch_id(&x, repo, scenario_commit(s, a)) == 0, "%s", mt_error_last());
	ck_assert_msg(repo_patch_id(&y, repo, scenario_commit(s, b)) == 0, "%s", mt_error_last());
	ck_assert(!oid_equal(&x, &zero));
	return oid_equal(&x, &y);
}

/* Equal patches have equal ids whatever the commit; whitespace does not count; anything else does. */
START_TEST(patch_ids_compare_patches)
{
	struct scenario s;
	struct mt_repo *repo;

	test_scenario(&s, "repo/patchid.json");
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert(same_patch(repo, &s, "change", "change"));
	ck_assert(same_patch(repo, &s, "change", "same"));
	ck_assert(same_patch(repo, &s, "change", "spaces"));
	ck_assert(!same_patch(repo, &s, "change", "other_file"));
	ck_assert(!same_patch(repo, &s, "change", "other_value"));
	ck_assert(!same_patch(repo, &s, "change", "two_files"));
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

Suite *suite_repo(void)
{
	Suite *s = suite_create("repo");
	TCase *tc = tcase_create("diff");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, changed_paths_are_what_git_reports);
	tcase_add_test(tc, filtered_diff_is_the_accepted_part_of_the_whole);
	tcase_add_test(tc, graph_is_the_walk);
	tcase_add_test(tc, range_graph_is_the_walk_under_clock_skew);
	tcase_add_test(tc, patch_ids_compare_patches);
	suite_add_tcase(s, tc);
	return s;
}
