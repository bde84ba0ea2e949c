/*
 * Bad input, at two levels. The library: what repo_open, repo_resolve_commit,
 * repo_read_file, abi_classify_commit, json_file_load and abi_config_load say
 * about broken repositories and files (a message naming what and where).
 * The command line: a table of {arguments, exit code, stderr} rows, each run
 * against the mtcheck binary; an error is exactly one line on stderr,
 * "mtcheck: ...", exit 2, nothing on stdout.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi/abi.h"
#include "util/error.h"
#include "machines/families.h"
#include "util/jsonfile.h"
#include "util/mtlimits.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* Copies a file of the source tree's rules/ into dir. */
static void copy_rule_file(const char *dir, const char *name)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, text = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f;

	strbuf_addf(&from, "%s/../rules/%s", MT_TEST_DIR, name);
	strbuf_addf(&to, "%s/%s", dir, name);
	f = fopen(from.buf, "r");
	ck_assert_msg(f != NULL, "cannot read %s", from.buf);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	write_text(to.buf, text.buf);
	strbuf_release(&from);
	strbuf_release(&to);
	strbuf_release(&text);
}

static void git(const char *dir, const char *a1, const char *a2, const char *a3,
		const char *a4)
{
	const char *argv[] = { "git", "-c", "user.name=T", "-c", "user.email=t@example.org",
			       "-c", "init.defaultBranch=master", a1, a2, a3, a4, NULL };

	ck_assert_msg(test_exec(NULL, dir, argv) == 0, "git %s %s failed in %s", a1,
		      a2 ? a2 : "", dir ? dir : ".");
}

/* .git/objects/xx/yyyy... of an object in a non-bare scenario repository. */
static char *loose_object_path(const char *repo_dir, const struct mt_oid *oid)
{
	struct strbuf sb = STRBUF_INIT;
	char hex[MT_OID_HEXSZ + 1];

	oid_to_hex(hex, oid);
	strbuf_addf(&sb, "%s/.git/objects/%.2s/%s", repo_dir, hex, hex + 2);
	return strbuf_detach(&sb, NULL);
}

/*
 * A fresh directory outside any repository: the build's tmp directory is
 * inside the source checkout, and repo_open searches upward from a directory.
 * remove_outside() deletes it.
 */
static char *outside_tmpdir(void)
{
	char name[] = "/tmp/mtcheck-test-XXXXXX";

	ck_assert_msg(mkdtemp(name) != NULL, "mkdtemp in /tmp failed");
	return strdup(name);
}

static void remove_outside(char *dir)
{
	const char *argv[] = { "rm", "-rf", dir, NULL };

	test_exec(NULL, NULL, argv);
	free(dir);
}

/* ---- repositories ---- */

START_TEST(not_a_repository)
{
	struct mt_repo *repo;
	char *dir = outside_tmpdir();

	ck_assert_int_eq(repo_open(&repo, dir), MT_ERROR);
	ck_assert_ptr_null(repo);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), dir));
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "not a git repository"));
	remove_outside(dir);
}
END_TEST

START_TEST(missing_directory_and_plain_file)
{
	struct mt_repo *repo;
	struct scenario s;
	char *outside = outside_tmpdir(), missing[256], file[256];

	snprintf(missing, sizeof(missing), "%s/nosuch", outside);
	ck_assert_int_eq(repo_open(&repo, missing), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), missing));
	/* A file is not a repository, even one inside a repository's work tree. */
	test_scenario(&s, "builder/basic.json");
	snprintf(file, sizeof(file), "%s/VERSION", s.path);
	ck_assert_int_eq(repo_open(&repo, file), MT_ERROR);
	ck_assert_str_eq(mt_error_last() + strlen(file), ": not a directory");
	/* A directory inside a work tree opens the repository, as git -C does. */
	snprintf(file, sizeof(file), "%s/hw", s.path);
	ck_assert_int_eq(repo_open(&repo, file), 0);
	repo_free(repo);
	scenario_release(&s);
	remove_outside(outside);
}
END_TEST

START_TEST(empty_repository_has_no_commits)
{
	struct mt_repo *repo;
	struct mt_oid oid;
	char *dir = test_tmpdir("empty");

	git(dir, "init", "-q", NULL, NULL);
	ck_assert_int_eq(repo_open(&repo, dir), 0);
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, "HEAD"), 0);
	ck_assert_msg(!strncmp(mt_error_last(), "HEAD: ", 6), "%s", mt_error_last());
	ck_assert_int_eq(repo_resolve_commit(&oid, repo, "master"), MT_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "master: no such ref or commit"));
	repo_free(repo);
	free(dir);
}
END_TEST

START_TEST(bare_repository_reads_like_any_other)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid oid;
	const struct mt_blob *blob;
	char *bare = test_tmppath("bare.git");

	test_scenario(&s, "builder/basic.json");
	{
		const char *argv[] = { "git", "clone", "-q", "--bare", s.path, bare, NULL };

		ck_assert_int_eq(test_exec(NULL, NULL, argv), 0);
	}
	ck_assert_int_eq(repo_open(&repo, bare), 0);
	ck_assert(repo_is_bare(repo));
	ck_assert_int_eq(repo_resolve_commit(&oid, repo, "master"), 0);
	ck_assert(oid_equal(&oid, scenario_commit(&s, "merge")));
	ck_assert_int_eq(repo_read_file(&blob, repo, &oid, "VERSION"), 0);
	ck_assert_str_eq(blob->data, "4.0.50\n");
	repo_free(repo);
	scenario_release(&s);
	free(bare);
}
END_TEST

START_TEST(worktree_reads_the_shared_objects)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid oid;
	const struct mt_blob *blob;
	char *wt = test_tmppath("worktree");

	test_scenario(&s, "builder/basic.json");
	git(s.path, "worktree", "add", wt, "stable-4.0");
	ck_assert_int_eq(repo_open(&repo, wt), 0);
	ck_assert(!repo_is_bare(repo));
	ck_assert_int_eq(repo_resolve_commit(&oid, repo, "HEAD"), 0);
	ck_assert(oid_equal(&oid, scenario_commit(&s, "revert")));
	ck_assert_int_eq(repo_resolve_commit(&oid, repo, "master"), 0);
	ck_assert_int_eq(repo_read_file(&blob, repo, &oid, "VERSION"), 0);
	ck_assert_str_eq(blob->data, "4.0.50\n");
	repo_free(repo);
	scenario_release(&s);
	free(wt);
}
END_TEST

START_TEST(missing_ref_names_the_ref_and_repository)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid oid;

	test_scenario(&s, "builder/basic.json");
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_resolve_commit(&oid, repo, "stable-9.9"), MT_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "stable-9.9: no such ref or commit in "));
	ck_assert_ptr_nonnull(strstr(mt_error_last(), repo_display_path(repo)));
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, ""), 0);
	ck_assert_str_eq(mt_error_last(), "empty revision");
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, "master^^^^^^^^^^"), 0);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "master^^^^^^^^^^"));
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

/*
 * Two objects whose ids share their first four hex digits: blobs "ambiguous
 * N" for N = 0, 1, ... until two collide (a few hundred, by the birthday
 * bound; the same ones every time).
 */
START_TEST(ambiguous_short_sha)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid oid;
	char *dir = test_tmpdir("blobs"), *out = NULL, prefix[5] = "";
	const char *argv[2048 + 5] = { "git", "hash-object", "-w", "--" };
	char **names = calloc(2048, sizeof(*names));
	int n, i;

	test_scenario(&s, "builder/basic.json");
	for (n = 0; n < 2048; n++) {
		struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;

		strbuf_addf(&path, "%s/b%d", dir, n);
		strbuf_addf(&text, "ambiguous %d\n", n);
		write_text(path.buf, text.buf);
		names[n] = strbuf_detach(&path, NULL);
		argv[4 + n] = names[n];
		strbuf_release(&text);
	}
	ck_assert_int_eq(test_exec(&out, s.path, argv), 0);
	/* One id per line; find two lines with the same first four digits. */
	for (i = 0; !*prefix && out[i * 41]; i++) {
		int j;

		for (j = 0; j < i; j++) {
			if (!strncmp(out + i * 41, out + j * 41, 4)) {
				memcpy(prefix, out + i * 41, 4);
				break;
			}
		}
	}
	ck_assert_msg(*prefix, "no colliding prefix among %d blobs", n);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, prefix), 0);
	ck_assert_msg(strstr(mt_error_last(), "ambiguous") && !strncmp(mt_error_last(), prefix, 4),
		      "%s", mt_error_last());
	repo_free(repo);
	for (n = 0; n < 2048; n++)
		free(names[n]);
	free(names);
	free(out);
	free(dir);
	scenario_release(&s);
}
END_TEST

START_TEST(tags_at_a_tree_or_blob_are_not_commits)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid oid;

	test_scenario(&s, "builder/basic.json");
	git(s.path, "tag", "tree-tag", "master^{tree}", NULL);
	git(s.path, "tag", "blob-tag", "master:VERSION", NULL);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, "tree-tag"), 0);
	ck_assert_str_eq(mt_error_last(), "tree-tag: points at a tree, not a commit");
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, "blob-tag"), 0);
	ck_assert_str_eq(mt_error_last(), "blob-tag: points at a blob, not a commit");
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

START_TEST(annotated_tag_at_a_tree)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid oid;
	const char *argv[] = { "git", "-c", "user.name=T", "-c", "user.email=t@example.org",
			       "tag", "-a", "-m", "a tree", "tree-note", "master^{tree}", NULL };
	struct mt_ref *refs;
	size_t n, i;

	test_scenario(&s, "builder/basic.json");
	ck_assert_int_eq(test_exec(NULL, s.path, argv), 0);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_lt(repo_resolve_commit(&oid, repo, "tree-note"), 0);
	ck_assert_str_eq(mt_error_last(), "tree-note: points at a tree, not a commit");
	/* Listing references leaves it out rather than failing. */
	ck_assert_int_eq(repo_list_refs(&refs, &n, repo), 0);
	for (i = 0; i < n; i++)
		ck_assert_str_ne(refs[i].name, "refs/tags/tree-note");
	repo_refs_free(refs, n);
	repo_free(repo);
	scenario_release(&s);
}
END_TEST

/* Overwrites or removes the blob of VERSION at `commit`; returns its path. */
static char *damage_blob(struct scenario *s, const char *commit, const char *file, bool remove)
{
	struct mt_repo *repo;
	struct mt_oid blob;
	char *path;

	ck_assert_int_eq(repo_open(&repo, s->path), 0);
	ck_assert_int_eq(repo_file_oid(&blob, repo, scenario_commit(s, commit), file), 0);
	repo_free(repo);
	path = loose_object_path(s->path, &blob);
	if (remove) {
		ck_assert_msg(unlink(path) == 0, "cannot remove %s", path);
	} else {
		chmod(path, 0644);
		write_text(path, "this is not a zlib stream\n");
	}
	return path;
}

START_TEST(corrupt_loose_object)
{
	struct scenario s;
	struct mt_repo *repo;
	const struct mt_blob *blob;
	char *path, prefix[32];

	test_scenario(&s, "builder/basic.json");
	path = damage_blob(&s, "dev", "VERSION", false);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "dev"), "VERSION"),
			 MT_ERROR);
	snprintf(prefix, sizeof(prefix), "%.12s:VERSION: blob ", scenario_hex(&s, "dev"));
	ck_assert_msg(!strncmp(mt_error_last(), prefix, strlen(prefix)), "%s", mt_error_last());
	ck_assert_ptr_null(strchr(mt_error_last(), '\n'));
	repo_free(repo);
	scenario_release(&s);
	free(path);
}
END_TEST

START_TEST(missing_blob_names_commit_and_path)
{
	struct scenario s;
	struct mt_repo *repo;
	const struct mt_blob *blob;
	char *path, *rules = test_path("../rules/abi-signals.json"), prefix[32];
	struct abi_config *config;
	struct abi_evidence_list list;
	struct families fams;

	test_scenario(&s, "builder/basic.json");
	test_families(&fams);
	path = damage_blob(&s, "dev", "VERSION", true);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "dev"), "VERSION"),
			 MT_ERROR);
	snprintf(prefix, sizeof(prefix), "%.12s:VERSION: blob ", scenario_hex(&s, "dev"));
	ck_assert_msg(!strncmp(mt_error_last(), prefix, strlen(prefix)), "%s", mt_error_last());
	/* Other files of the same commit still read. */
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "dev"),
					"hw/i386/pc_q35.c"), 0);
	/*
	 * The classifier reads only files its signals look at: VERSION is not one,
	 * so that commit still classifies. A missing blob it needs is an error
	 * naming the commit and the file, with no crash or leak.
	 */
	ck_assert_int_eq(abi_config_load(&config, rules), 0);
	abi_evidence_list_init(&list);
	ck_assert_int_eq(abi_classify_commit(&list, repo, config, &fams,
					     scenario_commit(&s, "dev")), 0);
	repo_free(repo);
	free(path);
	path = damage_blob(&s, "backport", "hw/i386/pc_q35.c", true);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_lt(abi_classify_commit(&list, repo, config, &fams,
					     scenario_commit(&s, "backport")), 0);
	snprintf(prefix, sizeof(prefix), "%.12s", scenario_hex(&s, "backport"));
	ck_assert_msg(strstr(mt_error_last(), prefix) && strstr(mt_error_last(), "hw/i386/pc_q35.c"),
		      "%s", mt_error_last());
	abi_evidence_list_release(&list);
	abi_config_free(config);
	families_release(&fams);
	repo_free(repo);
	scenario_release(&s);
	free(path);
	free(rules);
}
END_TEST

START_TEST(unreadable_backport_is_reported_and_the_audit_goes_on)
{
	struct scenario s;
	struct run_result r;
	char *path;

	test_scenario(&s, "demo/demo.json");
	/* The CPU model file of the ARCH_CAPABILITIES backport (and its upstream). */
	path = damage_blob(&s, "s100_archcap", "target/i386/cpu.c", true);
	{
		const char *args[] = { "--repo", s.path, "audit", NULL };
		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 2);
	/* Every other stream's findings are still there. */
	ck_assert_ptr_nonnull(strstr(r.out, "[MIG001]"));
	ck_assert_ptr_nonnull(strstr(r.out, "[ABI002]"));
	ck_assert_uint_eq(count_lines(r.err), 1);
	ck_assert_msg(strstr(r.err, "mtcheck: 1 backport could not be read and has no findings "
				    "(first: stable-10.0 ") && strstr(r.err, "target/i386/cpu.c"),
		      "%s", r.err);
	run_result_release(&r);
	scenario_release(&s);
	free(path);
}
END_TEST

/* ---- data files ---- */

START_TEST(malformed_json_names_file_line_col)
{
	struct json_file f;
	struct abi_config *config;
	char *dir = test_tmpdir("rules"), path[4096];

	snprintf(path, sizeof(path), "%s/abi-signals.json", dir);
	write_text(path, "{\n  \"signals\": [\n    { \"id\": \"x\", }\n  ]\n}\n");
	ck_assert_int_eq(json_file_load(&f, path), MT_ERROR);
	ck_assert_msg(!strncmp(mt_error_last(), path, strlen(path)) &&
		      !strncmp(mt_error_last() + strlen(path), ":3:", 3), "%s", mt_error_last());
	ck_assert_int_eq(abi_config_load(&config, path), MT_ERROR);
	ck_assert_msg(!strncmp(mt_error_last() + strlen(path), ":3:", 3), "%s", mt_error_last());

	write_text(path, "{\n  \"signals\": [],\n  \"colour\": 1\n}\n");
	ck_assert_int_eq(abi_config_load(&config, path), MT_ERROR);
	ck_assert_msg(strstr(mt_error_last(), ":3:3: unknown key \"colour\""), "%s",
		      mt_error_last());

	/* A key with a newline in it cannot break the one-line message. */
	write_text(path, "{ \"signals\": [], \"a\\nmtcheck: forged\": 1 }\n");
	ck_assert_int_eq(abi_config_load(&config, path), MT_ERROR);
	ck_assert_ptr_null(strchr(mt_error_last(), '\n'));
	free(dir);
}
END_TEST

START_TEST(json_file_that_is_missing_a_directory_or_huge)
{
	struct json_file f;
	char *dir = test_tmpdir("json"), path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/nosuch.json", dir);
	ck_assert_int_eq(json_file_load(&f, path), MT_ENOTFOUND);
	ck_assert_int_eq(json_file_load(&f, dir), MT_ERROR);
	ck_assert_msg(!strncmp(mt_error_last(), dir, strlen(dir)), "%s", mt_error_last());
	snprintf(path, sizeof(path), "%s/huge.json", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fseek(fp, MT_LIMIT_JSON_FILE_SIZE, SEEK_SET), 0);
	fputs("[]", fp);
	fclose(fp);
	ck_assert_int_eq(json_file_load(&f, path), MT_ERROR);
	ck_assert_msg(strstr(mt_error_last(), "larger than"), "%s", mt_error_last());
	free(dir);
}
END_TEST

/* ---- the command line ---- */

/*
 * One row per bad invocation. Placeholders in args: {REPO} a scenario
 * repository (builder/basic.json), {PLAIN} a directory that is not a
 * repository, {FILE} a plain file, {NOSUCH} a path that does not exist,
 * {EMPTY} a repository without commits, {BADRULES} a rules directory whose
 * abi-signals.json is malformed. `command` names the command the row needs:
 * rows for commands this build does not have yet are skipped, so the rows
 * below are ready for them. `err` must occur in the one stderr line.
 */
struct cli_row {
	const char *command; /* NULL: always runs */
	const char *args[8];
	int status;
	const char *err;     /* substring of stderr; NULL: stderr empty */
};

static const struct cli_row cli_rows[] = {
	{ NULL, { "--help" }, 0, NULL },
	{ NULL, { "--version" }, 0, NULL },
	{ NULL, { "help" }, 0, NULL },
	{ NULL, { "--repo", "{PLAIN}", "--version" }, 0, NULL },
	{ NULL, { "help", "nosuch" }, 2, "mtcheck: help: unknown command 'nosuch'" },
	{ NULL, { "nosuch" }, 2, "mtcheck: unknown command 'nosuch'" },
	{ NULL, { "--repo", "{PLAIN}", "nosuch" }, 2, "mtcheck: unknown command 'nosuch'" },
	{ NULL, { "--nosuch" }, 2, "mtcheck: unknown option '--nosuch'" },
	{ NULL, { "--repo" }, 2, "mtcheck: --repo needs a value" },
	{ NULL, { "--rules" }, 2, "mtcheck: --rules needs a value" },
	{ NULL, { "--format", "xml", "help" }, 2, "mtcheck: --format: unknown format 'xml'" },
	{ NULL, { "--color", "sometimes", "help" }, 2, "--color: unknown value 'sometimes'" },
	{ NULL, { "--repo", "a\nmtcheck: forged", "nosuch" }, 2, "unknown command" },
	/* Commands to come: repository errors come from repo_open/repo_resolve_commit. */
	{ "machines", { "--repo", "{PLAIN}", "machines", "master" }, 2, "not a git repository" },
	{ "machines", { "--repo", "{NOSUCH}", "machines", "master" }, 2, "{NOSUCH}" },
	{ "machines", { "--repo", "{FILE}", "machines", "master" }, 2, "{FILE}" },
	{ "machines", { "--repo", "{EMPTY}", "machines", "HEAD" }, 2, "HEAD: " },
	{ "machines", { "--repo", "{REPO}", "machines", "nosuch" }, 2,
	  "nosuch: no such ref or commit" },
	{ "machines", { "--repo", "{REPO}", "machines", "master^{tree}" }, 2,
	  "master^{tree}: points at a tree, not a commit" },
	{ "backports", { "--repo", "{PLAIN}", "backports", "stable-4.0" }, 2,
	  "not a git repository" },
	{ "backports", { "--repo", "{REPO}", "backports", "stable-9.9" }, 2, "stable-9.9" },
	{ "check", { "--repo", "{PLAIN}", "check", "stable-4.0" }, 2, "not a git repository" },
	{ "check", { "--repo", "{REPO}", "check", "stable-4.0", "--jobs", "0" }, 2,
	  "mtcheck: --jobs: '0' is not a number from 1 to 8" },
	{ "audit", { "--repo", "{REPO}", "audit", "-j", "many" }, 2,
	  "mtcheck: --jobs: 'many' is not a number from 1 to 8" },
	{ "audit", { "--repo", "{REPO}", "audit", "--jobs=9" }, 2, "from 1 to 8" },
	{ "check", { "--repo", "{REPO}", "--rules", "{BADRULES}", "check", "stable-4.0" }, 2,
	  "abi-signals.json:2:" },
	{ "check", { "--repo", "{REPO}", "--rules", "{NOSUCH}", "check", "stable-4.0" }, 2,
	  "{NOSUCH}" },
	{ "audit", { "--repo", "{PLAIN}", "audit" }, 2, "not a git repository" },
	{ "diff", { "--repo", "{REPO}", "diff", "v4.0.0", "nosuch" }, 2,
	  "nosuch: no such ref or commit" },
	{ "explain", { "explain", "NOSUCH999" }, 2, "NOSUCH999" },
	{ "rules", { "--rules", "{NOSUCH}", "rules" }, 2, "{NOSUCH}: rules directory not found" },
};

struct cli_places {
	struct scenario repo;
	char *outside, *plain, *file, *nosuch, *empty, *badrules;
};

static void places_init(struct cli_places *p)
{
	struct strbuf sb = STRBUF_INIT;

	test_scenario(&p->repo, "builder/basic.json");
	p->outside = outside_tmpdir();
	strbuf_addf(&sb, "%s/plain", p->outside);
	p->plain = strbuf_detach(&sb, NULL);
	mkdir(p->plain, 0755);
	strbuf_addf(&sb, "%s/file", p->outside);
	p->file = strbuf_detach(&sb, NULL);
	write_text(p->file, "x\n");
	strbuf_addf(&sb, "%s/nosuch", p->outside);
	p->nosuch = strbuf_detach(&sb, NULL);
	p->empty = test_tmpdir("empty");
	git(p->empty, "init", "-q", NULL, NULL);
	/* The built-in rules with one file broken, so it is that file the error names. */
	p->badrules = test_tmpdir("badrules");
	copy_rule_file(p->badrules, "rules.json");
	copy_rule_file(p->badrules, "families.json");
	strbuf_addf(&sb, "%s/abi-signals.json", p->badrules);
	write_text(sb.buf, "{\n  \"signals\": [,]\n}\n");
	strbuf_release(&sb);
}

static void places_release(struct cli_places *p)
{
	scenario_release(&p->repo);
	free(p->plain);
	free(p->file);
	free(p->nosuch);
	free(p->empty);
	free(p->badrules);
	remove_outside(p->outside);
}

/* Replaces each placeholder in text; the caller frees the result. */
static char *expand(const char *text, const struct cli_places *p)
{
	const struct { const char *name, *value; } map[] = {
		{ "{REPO}", p->repo.path }, { "{PLAIN}", p->plain }, { "{FILE}", p->file },
		{ "{NOSUCH}", p->nosuch }, { "{EMPTY}", p->empty }, { "{BADRULES}", p->badrules },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	while (*text) {
		for (i = 0; i < sizeof(map) / sizeof(*map); i++) {
			if (!strncmp(text, map[i].name, strlen(map[i].name)))
				break;
		}
		if (i < sizeof(map) / sizeof(*map)) {
			strbuf_addstr(&sb, map[i].value);
			text += strlen(map[i].name);
		} else {
			strbuf_addch(&sb, *text++);
		}
	}
	return strbuf_detach(&sb, NULL);
}

START_TEST(cli_row)
{
	const struct cli_row *row = &cli_rows[_i];
	struct cli_places p;
	const char *args[8] = { NULL };
	char *expanded[8] = { NULL }, *err;
	struct run_result r;
	size_t n;

	if (row->command && !test_have_command(row->command))
		return; /* ready for when the command lands */
	places_init(&p);
	for (n = 0; n < 7 && row->args[n]; n++)
		args[n] = expanded[n] = expand(row->args[n], &p);
	run_mtcheck(&r, NULL, args);
	ck_assert_msg(r.status == row->status, "row %d (%s): exit %d, want %d; stderr: %s", _i,
		      row->args[0], r.status, row->status, r.err);
	if (!row->err) {
		ck_assert_msg(!*r.err, "row %d: unexpected stderr: %s", _i, r.err);
	} else {
		err = expand(row->err, &p);
		ck_assert_msg(count_lines(r.err) == 1 && !strncmp(r.err, "mtcheck: ", 9),
			      "row %d: stderr must be one 'mtcheck: ' line: %s", _i, r.err);
		ck_assert_msg(strstr(r.err, err), "row %d: stderr lacks '%s': %s", _i, err, r.err);
		ck_assert_msg(!*r.out, "row %d: stdout on error: %s", _i, r.out);
		free(err);
	}
	run_result_release(&r);
	for (n = 0; n < 8; n++)
		free(expanded[n]);
	places_release(&p);
}
END_TEST

Suite *suite_badinput(void)
{
	Suite *s = suite_create("badinput");
	TCase *repo = tcase_create("repository"), *files = tcase_create("files"),
	      *cli = tcase_create("cli");

	tcase_set_timeout(repo, 60);
	tcase_add_test(repo, not_a_repository);
	tcase_add_test(repo, missing_directory_and_plain_file);
	tcase_add_test(repo, empty_repository_has_no_commits);
	tcase_add_test(repo, bare_repository_reads_like_any_other);
	tcase_add_test(repo, worktree_reads_the_shared_objects);
	tcase_add_test(repo, missing_ref_names_the_ref_and_repository);
	tcase_add_test(repo, ambiguous_short_sha);
	tcase_add_test(repo, tags_at_a_tree_or_blob_are_not_commits);
	tcase_add_test(repo, annotated_tag_at_a_tree);
	tcase_add_test(repo, corrupt_loose_object);
	tcase_add_test(repo, missing_blob_names_commit_and_path);
	tcase_add_test(repo, unreadable_backport_is_reported_and_the_audit_goes_on);
	suite_add_tcase(s, repo);
	tcase_add_test(files, malformed_json_names_file_line_col);
	tcase_add_test(files, json_file_that_is_missing_a_directory_or_huge);
	suite_add_tcase(s, files);
	tcase_set_timeout(cli, 60);
	tcase_add_loop_test(cli, cli_row, 0, (int)(sizeof(cli_rows) / sizeof(*cli_rows)));
	suite_add_tcase(s, cli);
	return s;
}
