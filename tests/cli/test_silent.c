/*
 * Never silently wrong: every case of "Why" in the issue that gave a clean
 * exit or a quietly different report, as a table of rows run against the
 * mtcheck binary. Each row builds what it needs (a scenario, a damaged copy,
 * a FIFO), runs one command and checks the exit status, the one stderr line
 * (exit 2: exactly one "mtcheck: " line naming what), and what stdout must
 * and must not hold. Cases that need more than one run (fingerprints across
 * ref spellings, limits at the bound and one past, output files) follow the
 * table as tests of their own.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mtlimits.h"
#include "util/strbuf.h"
#include "testutil.h"

/* What a row's setup made: {REPO}, {DIR} (a scratch directory) and {X} (a path it chose). */
struct place {
	struct scenario s;
	bool have_scenario;
	char *repo;
	char *dir;
	char *x;
};

static void git(const char *dir, const char *const *args)
{
	const char *argv[24] = { "git", "-c", "user.name=T", "-c", "user.email=t@example.org",
				 "-c", "init.defaultBranch=master", "-c", "gc.auto=0" };
	size_t n = 9, i;

	for (i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_msg(test_exec(NULL, dir, argv) == 0, "git %s failed in %s", args[0], dir);
}

static char *git_out(const char *dir, const char *const *args)
{
	const char *argv[16] = { "git" };
	char *out = NULL;
	size_t n = 1, i;

	for (i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	ck_assert_msg(test_exec(&out, dir, argv) == 0, "git %s failed in %s", args[0], dir);
	out[strcspn(out, "\n")] = '\0';
	return out;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *join(const char *a, const char *b)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s/%s", a, b);
	return strbuf_detach(&sb, NULL);
}

static void use_scenario(struct place *p, const char *name)
{
	test_scenario(&p->s, name);
	p->have_scenario = true;
	p->repo = strdup(p->s.path);
}

/* The demo's objects in one pack, nothing loose. */
static void packed_demo(struct place *p)
{
	use_scenario(p, "demo/demo.json");
	git(p->repo, (const char *const[]){ "repack", "-adq", NULL });
	git(p->repo, (const char *const[]){ "prune-packed", NULL });
}

/* The path of the demo's one pack index (after packed_demo). */
static char *pack_idx(const struct place *p)
{
	char *dir = join(p->repo, ".git/objects/pack"), *out = NULL;
	const char *argv[] = { "sh", "-c", "ls *.idx", NULL };
	char *path;

	ck_assert_int_eq(test_exec(&out, dir, argv), 0);
	out[strcspn(out, "\n")] = '\0';
	path = join(dir, out);
	free(dir);
	free(out);
	return path;
}

static void setup_demo(struct place *p)
{
	use_scenario(p, "demo/demo.json");
}

static void setup_guard(struct place *p)
{
	use_scenario(p, "engine/guard.json");
}

static void setup_idx_truncated(struct place *p)
{
	char *idx;

	packed_demo(p);
	idx = pack_idx(p);
	ck_assert_int_eq(truncate(idx, 1000), 0);
	free(idx);
}

static void setup_idx_empty(struct place *p)
{
	char *idx;

	packed_demo(p);
	idx = pack_idx(p);
	ck_assert_int_eq(truncate(idx, 0), 0);
	free(idx);
}

/* One byte of the index inverted: at `at` bytes from its end (a CRC, then an offset). */
static void flip_idx(struct place *p, long from_end)
{
	char *idx;
	FILE *f;
	long size;
	int c;

	packed_demo(p);
	idx = pack_idx(p);
	f = fopen(idx, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size - from_end, SEEK_SET);
	c = fgetc(f);
	fseek(f, size - from_end, SEEK_SET);
	fputc(c ^ 0xff, f);
	ck_assert_int_eq(fclose(f), 0);
	free(idx);
}

/* The last offset's top byte: far past the pack (libgit2 1.5 crashed reading there). */
static void setup_idx_offset(struct place *p)
{
	flip_idx(p, 40 + 4);
}

/* The trailing checksum itself: nothing else tells. */
static void setup_idx_checksum(struct place *p)
{
	flip_idx(p, 1);
}

static void setup_idx_missing(struct place *p)
{
	char *idx;

	packed_demo(p);
	idx = pack_idx(p);
	ck_assert_int_eq(unlink(idx), 0);
	free(idx);
}

/* Removes the loose object `rev` names from the demo (not packed). */
static void remove_loose(struct place *p, const char *rev)
{
	char *hex = git_out(p->repo, (const char *const[]){ "rev-parse", rev, NULL });
	struct strbuf path = STRBUF_INIT;

	strbuf_addf(&path, "%s/.git/objects/%.2s/%s", p->repo, hex, hex + 2);
	ck_assert_msg(unlink(path.buf) == 0, "cannot remove %s", path.buf);
	strbuf_release(&path);
	free(hex);
}

static void setup_tip_missing(struct place *p)
{
	use_scenario(p, "demo/demo.json");
	remove_loose(p, "stable-10.0");
}

static void setup_tag_missing(struct place *p)
{
	use_scenario(p, "demo/demo.json");
	remove_loose(p, "v10.0.1");
}

static void setup_empty(struct place *p)
{
	p->repo = test_tmpdir("empty");
	git(p->repo, (const char *const[]){ "init", "-q", NULL });
}

/* A repository with master, a stable branch and a tag, and no QEMU machine file. */
static void setup_not_qemu(struct place *p)
{
	char *f;

	p->repo = test_tmpdir("notqemu");
	git(p->repo, (const char *const[]){ "init", "-q", NULL });
	f = join(p->repo, "README");
	write_text(f, "not QEMU\n");
	git(p->repo, (const char *const[]){ "add", "README", NULL });
	git(p->repo, (const char *const[]){ "commit", "-qm", "init", NULL });
	git(p->repo, (const char *const[]){ "branch", "stable-1.0", NULL });
	git(p->repo, (const char *const[]){ "tag", "v1.0.0", NULL });
	free(f);
}

/* The demo without any stable or staging branch. */
static void setup_no_streams(struct place *p)
{
	use_scenario(p, "demo/demo.json");
	git(p->repo, (const char *const[]){ "branch", "-D", "-q", "stable-9.2", "stable-10.0",
					    "staging-10.0", NULL });
	git(p->repo, (const char *const[]){ "update-ref", "-d", "refs/remotes/origin/stable-10.1",
					    NULL });
}

/* The demo with a directory inside whose .git is a link to itself. */
static void setup_git_loop(struct place *p)
{
	char *link;

	use_scenario(p, "demo/demo.json");
	p->x = join(p->repo, "sub");
	ck_assert_int_eq(mkdir(p->x, 0755), 0);
	link = join(p->x, ".git");
	ck_assert_int_eq(symlink(".git", link), 0);
	free(link);
}

static void setup_fifo(struct place *p)
{
	use_scenario(p, "demo/demo.json");
	p->x = join(p->dir, "fifo");
	ck_assert_int_eq(mkfifo(p->x, 0600), 0);
}

static void setup_symlink(struct place *p)
{
	char *target;

	use_scenario(p, "demo/demo.json");
	target = join(p->dir, "victim");
	write_text(target, "keep me\n");
	p->x = join(p->dir, "link");
	ck_assert_int_eq(symlink(target, p->x), 0);
	free(target);
}

/* The demo with a .mtcheck.json one byte past the data file limit on stable-10.0. */
static void setup_big_config(struct place *p)
{
	struct strbuf text = STRBUF_INIT;
	char *cfg;

	use_scenario(p, "demo/demo.json");
	git(p->repo, (const char *const[]){ "checkout", "-q", "stable-10.0", NULL });
	strbuf_addstr(&text, "{\"schema\": 1}");
	while (text.len < MT_LIMIT_JSON_FILE_SIZE + 1)
		strbuf_addch(&text, ' ');
	cfg = join(p->repo, ".mtcheck.json");
	write_text(cfg, text.buf);
	git(p->repo, (const char *const[]){ "add", ".mtcheck.json", NULL });
	git(p->repo, (const char *const[]){ "commit", "-qm", "big configuration", NULL });
	strbuf_release(&text);
	free(cfg);
}

struct why_row {
	const char *why;  /* the case, as the issue says it */
	void (*setup)(struct place *p);
	const char *args[12];
	const char *env;  /* one NAME=value, or NULL */
	int status;
	const char *err;  /* substring of the one stderr line; NULL: not checked */
	const char *out;  /* substring stdout must hold, or NULL */
	const char *not_out; /* substring stdout must not hold, or NULL */
};

static const struct why_row rows[] = {
	{ "truncated pack .idx", setup_idx_truncated, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "pack index is damaged", NULL, NULL },
	{ "empty pack .idx", setup_idx_empty, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "pack index is damaged: 0 bytes, too short for one", NULL, NULL },
	{ "pack .idx offset flipped", setup_idx_offset, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "pack index is damaged", NULL, NULL },
	{ "pack .idx checksum flipped", setup_idx_checksum, { "--repo", "{REPO}", "audit" }, NULL,
	  2, "pack index is damaged: its checksum does not match", NULL, NULL },
	{ "missing pack .idx", setup_idx_missing, { "--repo", "{REPO}", "check", "stable-10.0" },
	  NULL, 2, ".pack: pack without an index", NULL, NULL },
	{ "stream tip unreadable", setup_tip_missing,
	  { "--repo", "{REPO}", "check", "stable-10.0" }, NULL, 2, "refs/heads/stable-10.0: object", NULL, NULL },
	{ "annotated tag unreadable", setup_tag_missing, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "refs/tags/v10.0.1: object", NULL, NULL },
	{ "empty repository", setup_empty, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "an empty repository, or not QEMU's", NULL, NULL },
	{ "empty repository, check", setup_empty, { "--repo", "{REPO}", "check" }, NULL, 2,
	  "an empty repository, or not QEMU's", NULL, NULL },
	{ "non-QEMU repository", setup_not_qemu, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "no QEMU machine files at master or in any stream", NULL, NULL },
	{ "no stable streams to audit", setup_no_streams, { "--repo", "{REPO}", "audit" }, NULL, 2,
	  "no stable-X.Y branch, local or remote-tracking: nothing to audit", NULL, NULL },
	{ ".git a symlink loop", setup_git_loop, { "--repo", "{X}", "audit" }, NULL, 2,
	  "sub/.git: cannot open repository", NULL, NULL },
	{ "GIT_DIR honoured", setup_demo, { "audit", "--fail-on", "none" }, "GIT_DIR={REPO}/.git",
	  0, NULL, "repository {REPO}", NULL },
	{ "GIT_DIR not a repository", setup_demo, { "audit" }, "GIT_DIR={REPO}/nosuch", 2,
	  "GIT_DIR={REPO}/nosuch: not a git repository", NULL, NULL },
	{ "text report names the repository and refs", setup_demo,
	  { "--repo", "{REPO}", "check", "stable-10.0", "--all" }, NULL, 1, NULL,
	  "read: master master ", NULL },
	{ "json report names the refs", setup_demo,
	  { "--repo", "{REPO}", "--format", "json", "check", "stable-10.0", "--all" }, NULL, 1,
	  NULL, "\"role\": \"checked\",\n      \"name\": \"stable-10.0\"", NULL },
	{ "sarif report names the repository", setup_demo,
	  { "--repo", "{REPO}", "--format", "sarif", "audit" }, NULL, 1, NULL,
	  "\"repository\": \"{REPO}\"", NULL },
	{ "merge request switches the policy off", setup_guard,
	  { "--repo", "{REPO}", "check", "staging-12.0", "--since", "stable-12.0" }, NULL, 1, NULL,
	  "[ABI001]", NULL },
	{ "policy change is reported", setup_guard,
	  { "--repo", "{REPO}", "check", "staging-12.0", "--since", "stable-12.0", "-q" }, NULL, 1,
	  NULL, "changes the policy file .mtcheck.json [POL001]", NULL },
	{ "--config-from names the policy's ref", setup_guard,
	  { "--repo", "{REPO}", "check", "staging-12.0", "--since", "stable-12.0", "--config-from",
	    "staging-12.0" }, NULL, 1, NULL, "[POL001]", "[ABI001]" },
	{ "--config-from a ref that is not there", setup_guard,
	  { "--repo", "{REPO}", "check", "staging-12.0", "--config-from", "nosuch" }, NULL, 2,
	  "--config-from: nosuch", NULL, NULL },
	{ "--write-baseline over a symlink", setup_symlink,
	  { "--repo", "{REPO}", "audit", "--write-baseline", "{X}" }, NULL, 2,
	  "it is a symbolic link, not a regular file", NULL, NULL },
	{ "--write-baseline onto a device", setup_demo,
	  { "--repo", "{REPO}", "audit", "--write-baseline", "/dev/null" }, NULL, 2,
	  "/dev/null: refusing to write: it is a device", NULL, NULL },
	{ "--write-baseline onto a FIFO", setup_fifo,
	  { "--repo", "{REPO}", "audit", "--write-baseline", "{X}" }, NULL, 2, "it is a FIFO", NULL, NULL },
	{ "--output onto a device", setup_demo,
	  { "--repo", "{REPO}", "audit", "--output", "/dev/full" }, NULL, 2,
	  "/dev/full: refusing to write: it is a device", NULL, NULL },
	{ "--output over a symlink", setup_symlink, { "--repo", "{REPO}", "machines", "-o", "{X}" },
	  NULL, 2, "it is a symbolic link", NULL, NULL },
	{ "waiver file is a FIFO", setup_fifo,
	  { "--repo", "{REPO}", "audit", "--waivers", "{X}" }, NULL, 2, "{X}: not a regular file", NULL, NULL },
	{ "baseline file is a FIFO", setup_fifo,
	  { "--repo", "{REPO}", "check", "stable-10.0", "--baseline", "{X}" }, NULL, 2,
	  "{X}: not a regular file", NULL, NULL },
	{ "baseline file is a directory", setup_demo,
	  { "--repo", "{REPO}", "audit", "--baseline", "{DIR}" }, NULL, 2, "not a regular file", NULL, NULL },
	{ "stable backport deletes machine types", setup_guard,
	  { "--repo", "{REPO}", "check", "stable-12.0" }, NULL, 1, NULL,
	  "released machine type pc-q35-12.0.1 (shipped in v12.0.1) is no longer defined in "
	  "stable-12.0 [MIG002]", NULL },
	{ "--stream against the ref's name", setup_demo,
	  { "--repo", "{REPO}", "check", "stable-9.2", "--stream", "10.0" }, NULL, 2,
	  "--stream 10.0 disagrees with stable-9.2", NULL, NULL },
	{ "--stream against VERSION", setup_demo,
	  { "--repo", "{REPO}", "check", "stable-9.2^0", "--stream", "10.0" }, NULL, 2,
	  "--stream 10.0 disagrees with VERSION 9.2.* at stable-9.2^0", NULL, NULL },
	{ "--stream against VERSION, backports", setup_demo,
	  { "--repo", "{REPO}", "backports", "stable-9.2^0", "--stream", "10.0" }, NULL, 2,
	  "disagrees with VERSION 9.2.*", NULL, NULL },
	{ "--force-stream", setup_demo,
	  { "--repo", "{REPO}", "check", "stable-9.2^0", "--stream", "10.0", "--force-stream",
	    "--fail-on", "none" }, NULL, 0, NULL, "(stream 10.0, base v10.0.0)", NULL },
	{ "--stream that agrees", setup_demo,
	  { "--repo", "{REPO}", "check", "stable-9.2^0", "--stream", "9.2", "--fail-on", "none" },
	  NULL, 0, NULL, "(stream 9.2, base v9.2.0)", NULL },
	{ ".mtcheck.json past 16 MiB", setup_big_config,
	  { "--repo", "{REPO}", "check", "stable-10.0" }, NULL, 2,
	  "stable-10.0:.mtcheck.json: larger than 16777216 bytes", NULL, NULL },
	{ "max_per_year of INT64_MAX", setup_demo,
	  { "--repo", "{REPO}", "audit", "--param", "BFM005.max_per_year=9223372036854775807" },
	  NULL, 2, "max_per_year must be at most 1000000", NULL, NULL },
	{ "max_per_year one past the bound", setup_demo,
	  { "--repo", "{REPO}", "audit", "--param", "BFM005.max_per_year=1000001" }, NULL, 2,
	  "max_per_year must be at most 1000000, not 1000001", NULL, NULL },
	{ "max_per_year at the bound", setup_demo,
	  { "--repo", "{REPO}", "audit", "--param", "BFM005.max_per_year=1000000", "-q" }, NULL, 1,
	  NULL, "[ABI001]", NULL },
	{ "--today 2026-02-30", setup_demo, { "--repo", "{REPO}", "audit", "--today", "2026-02-30" },
	  NULL, 2, "--today: '2026-02-30' is not a date", NULL, NULL },
	{ "--today on a leap day", setup_demo,
	  { "--repo", "{REPO}", "audit", "--today", "2028-02-29", "-q" }, NULL, 1, NULL, "[ABI001]",
	  NULL },
	{ "-q prints only findings", setup_demo, { "--repo", "{REPO}", "audit", "-q" }, NULL, 1,
	  NULL, "[ABI001]", "findings (" },
	{ "-q drops the header", setup_demo,
	  { "--repo", "{REPO}", "check", "stable-10.0", "--all", "-q" }, NULL, 1, NULL, "[ABI001]",
	  "checking " },
};

/* Replaces {REPO}, {DIR} and {X}; the caller frees the result. */
static char *expand(const char *text, const struct place *p)
{
	const struct { const char *name, *value; } map[] = {
		{ "{REPO}", p->repo }, { "{DIR}", p->dir }, { "{X}", p->x },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	while (*text) {
		for (i = 0; i < sizeof(map) / sizeof(*map); i++) {
			if (map[i].value && !strncmp(text, map[i].name, strlen(map[i].name)))
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

static void place_release(struct place *p)
{
	if (p->have_scenario)
		scenario_release(&p->s);
	free(p->repo);
	free(p->dir);
	free(p->x);
}

START_TEST(why_row)
{
	const struct why_row *row = &rows[_i];
	struct place p = { 0 };
	const char *args[12] = { NULL }, *env[2] = { NULL };
	char *expanded[13] = { NULL }, *want;
	struct run_result r;
	size_t n;

	p.dir = test_tmpdir("silent");
	row->setup(&p);
	for (n = 0; n < 11 && row->args[n]; n++)
		args[n] = expanded[n] = expand(row->args[n], &p);
	if (row->env)
		env[0] = expanded[12] = expand(row->env, &p);
	/* From a directory outside any repository, so nothing is found by searching upward. */
	run_mtcheck_env(&r, "/", env, args);
	ck_assert_msg(r.status == row->status, "%s: exit %d, want %d; stderr: %s", row->why,
		      r.status, row->status, r.err);
	if (row->status == 2) {
		ck_assert_msg(count_lines(r.err) == 1 && !strncmp(r.err, "mtcheck: ", 9),
			      "%s: stderr must be one 'mtcheck: ' line: %s", row->why, r.err);
		ck_assert_msg(!*r.out, "%s: stdout on error: %s", row->why, r.out);
	}
	if (row->err) {
		want = expand(row->err, &p);
		ck_assert_msg(strstr(r.err, want), "%s: stderr lacks '%s': %s", row->why, want, r.err);
		free(want);
	}
	if (row->out) {
		want = expand(row->out, &p);
		ck_assert_msg(strstr(r.out, want), "%s: stdout lacks '%s': %s", row->why, want, r.out);
		free(want);
	}
	if (row->not_out)
		ck_assert_msg(!strstr(r.out, row->not_out), "%s: stdout has '%s': %s", row->why,
			      row->not_out, r.out);
	run_result_release(&r);
	for (n = 0; n < 13; n++)
		free(expanded[n]);
	place_release(&p);
}
END_TEST

/* Runs mtcheck and returns its stdout (the caller frees it), checking the status. */
static char *run_out(int status, const char *const *args)
{
	struct run_result r;
	char *out;

	run_mtcheck(&r, "/", args);
	ck_assert_msg(r.status == status, "exit %d, want %d; stderr: %s", r.status, status, r.err);
	out = strdup(r.out);
	run_result_release(&r);
	return out;
}

/* The summary's "N suppressed (0 by waiver, N by baseline" must show every finding hidden. */
static void assert_all_suppressed(const char *out, const char *what)
{
	ck_assert_msg(!strncmp(out, "0 findings, ", 12) || strstr(out, "\n0 findings, "),
		      "%s: findings left after the baseline: %s", what, out);
	ck_assert_msg(!strstr(out, " 0 suppressed"), "%s: nothing suppressed: %s", what, out);
}

/*
 * One baseline, written by an audit, matches the stream's findings however
 * the stream is spelled and after its commits were rebased: HEAD (detached),
 * origin/stable-10.0, staging-10.0 and a rebased copy.
 */
START_TEST(one_baseline_across_ref_spellings_and_a_rebase)
{
	struct place p = { 0 };
	char *base, *out, *tip;

	use_scenario(&p, "engine/guard.json");
	p.dir = test_tmpdir("fp");
	base = join(p.dir, "base.json");
	out = run_out(1, (const char *const[]){ "--repo", p.repo, "audit", "--write-baseline", base,
						 NULL });
	ck_assert_ptr_nonnull(strstr(out, "[MIG002]"));
	free(out);
	tip = git_out(p.repo, (const char *const[]){ "rev-parse", "stable-12.0", NULL });
	git(p.repo, (const char *const[]){ "update-ref", "refs/remotes/origin/stable-12.0", tip,
					   NULL });
	git(p.repo, (const char *const[]){ "branch", "-f", "staging-12.0", "stable-12.0", NULL });
	git(p.repo, (const char *const[]){ "checkout", "-q", "--detach", "stable-12.0", NULL });
	out = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "HEAD", "--stream",
						 "12.0", "--all", "--baseline", base, NULL });
	assert_all_suppressed(out, "HEAD");
	free(out);
	out = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "origin/stable-12.0",
						 "--all", "--baseline", base, NULL });
	assert_all_suppressed(out, "origin/stable-12.0");
	free(out);
	out = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "staging-12.0", "--all",
						 "--baseline", base, NULL });
	assert_all_suppressed(out, "staging-12.0");
	free(out);
	/* Every backport gets a new id: a later committer date, the same patches. */
	git(p.repo, (const char *const[]){ "checkout", "-q", "-b", "rebased", "stable-12.0", NULL });
	{
		const char *argv[] = { "sh", "-c",
				       "GIT_COMMITTER_DATE='2031-01-01T00:00:00Z' git -c user.name=R "
				       "-c user.email=r@example.org rebase -q --force-rebase v12.0.0",
				       NULL };
		ck_assert_int_eq(test_exec(NULL, p.repo, argv), 0);
	}
	{
		char *now = git_out(p.repo, (const char *const[]){ "rev-parse", "rebased", NULL });

		ck_assert_str_ne(now, tip);
		free(now);
	}
	out = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "rebased", "--stream",
						 "12.0", "--all", "--baseline", base, NULL });
	assert_all_suppressed(out, "rebased");
	free(out);
	free(tip);
	free(base);
	place_release(&p);
}
END_TEST

static char *read_all(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

/* How many times `needle` occurs in `hay`. */
static int occurrences(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/*
 * A CI job checks out the merge request detached: with no ref and no
 * --stream, the stream comes from VERSION, and findings, waivers and the
 * baseline it writes say stable-X.Y, never "HEAD"; where VERSION cannot
 * tell (master's X.Y.50), exit 2 asks for --stream.
 */
START_TEST(detached_head_is_checked_as_its_stream)
{
	struct place p = { 0 };
	struct run_result r;
	char *base, *waivers, *text;

	use_scenario(&p, "engine/guard.json");
	p.dir = test_tmpdir("detached");
	base = join(p.dir, "base.json");
	waivers = join(p.dir, "waivers.json");
	git(p.repo, (const char *const[]){ "checkout", "-q", "--detach", "stable-12.0", NULL });
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "check", "--all", NULL });
	ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "checked HEAD "));
	ck_assert_ptr_nonnull(strstr(r.out, "\nchecking HEAD (stream 12.0, base v12.0.0)"));
	/* The two MIG002 of guard.json's description. */
	ck_assert_int_eq(occurrences(r.out, "    stream: stable-12.0\n"), 2);
	ck_assert_int_eq(occurrences(r.out, "[MIG002]\n"), 2);
	ck_assert_ptr_null(strstr(r.out, "stream: HEAD"));
	ck_assert_ptr_null(strstr(r.out, "master and HEAD"));
	run_result_release(&r);
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "check", "--all", "--format",
						     "json", "--write-baseline", base, NULL });
	ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
	ck_assert_int_eq(occurrences(r.out, "\"stream\": \"stable-12.0\""), 2);
	/* HEAD is named only as what was read. */
	ck_assert_int_eq(occurrences(r.out, "\"HEAD\""), occurrences(r.out, "\"name\": \"HEAD\""));
	ck_assert_ptr_null(strstr(r.out, "\"stream\": \"HEAD\""));
	run_result_release(&r);
	text = read_all(base);
	ck_assert_int_eq(occurrences(text, "\"stream\": \"stable-12.0\""), 2);
	ck_assert_ptr_null(strstr(text, "HEAD"));
	free(text);
	/* The baseline written from HEAD matches the branch by name. */
	text = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "stable-12.0", "--all",
						  "--baseline", base, NULL });
	assert_all_suppressed(text, "stable-12.0");
	free(text);
	/* A waiver for the stream by its canonical name, however it was spelled. */
	write_text(waivers, "{\"waivers\": [{\"rule\": \"MIG002\", \"stream\": \"stable-12.0\", "
			    "\"reason\": \"machines folded on purpose\"}]}");
	text = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "--all", "--waivers",
						  waivers, NULL });
	ck_assert_ptr_nonnull(strstr(text, "0 findings, 2 suppressed (2 by waiver"));
	free(text);
	text = run_out(1, (const char *const[]){ "--repo", p.repo, "check", "staging-12.0", "--all",
						  "--waivers", waivers, NULL });
	/* Left: the merge request's own POL001. */
	ck_assert_ptr_nonnull(strstr(text, "[POL001]\n    stream: staging-12.0\n"));
	ck_assert_ptr_nonnull(strstr(text, "1 finding (1 error, 0 warnings, 0 info), 2 suppressed "
					  "(2 by waiver"));
	free(text);
	/* --stream agrees with VERSION 12.0.1: the same report. */
	text = run_out(0, (const char *const[]){ "--repo", p.repo, "check", "--stream", "12.0",
						  "--all", "--waivers", waivers, NULL });
	ck_assert_ptr_nonnull(strstr(text, "0 findings, 2 suppressed (2 by waiver"));
	free(text);
	/* Master's VERSION names no stable release: name the stream. */
	git(p.repo, (const char *const[]){ "checkout", "-q", "--detach", "master", NULL });
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "check", NULL });
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "mtcheck: HEAD: VERSION says 12.0.50, not a stable release; use "
				"--stream X.Y\n");
	run_result_release(&r);
	free(waivers);
	free(base);
	place_release(&p);
}
END_TEST

/* A JSON file of exactly `size` bytes: {"waivers": []} padded with spaces. */
static void write_padded(const char *path, const char *json, size_t size)
{
	FILE *f = fopen(path, "w");
	size_t n;

	ck_assert_ptr_nonnull(f);
	fputs(json, f);
	for (n = strlen(json); n < size; n++)
		fputc(' ', f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(data_files_at_the_bound_and_one_past)
{
	struct place p = { 0 };
	struct run_result r;
	char *w;

	use_scenario(&p, "demo/demo.json");
	p.dir = test_tmpdir("limits");
	w = join(p.dir, "waivers.json");
	write_padded(w, "{\"waivers\": []}", MT_LIMIT_JSON_FILE_SIZE);
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "audit", "--waivers", w,
						     "-q", NULL });
	ck_assert_msg(r.status == 1, "at the bound: exit %d: %s", r.status, r.err);
	run_result_release(&r);
	write_padded(w, "{\"waivers\": []}", MT_LIMIT_JSON_FILE_SIZE + 1);
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "audit", "--waivers", w,
						     NULL });
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "waivers.json: larger than 16777216 bytes"));
	run_result_release(&r);
	write_padded(w, "{\"findings\": []}", MT_LIMIT_JSON_FILE_SIZE + 1);
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "audit", "--baseline", w,
						     NULL });
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "larger than 16777216 bytes"));
	run_result_release(&r);
	free(w);
	place_release(&p);
}
END_TEST

/* The repository's .mtcheck.json of exactly 16 MiB is read; one byte more is refused (a row). */
START_TEST(repository_config_at_the_bound)
{
	struct place p = { 0 };
	struct run_result r;
	char *cfg;

	use_scenario(&p, "demo/demo.json");
	git(p.repo, (const char *const[]){ "checkout", "-q", "stable-10.0", NULL });
	cfg = join(p.repo, ".mtcheck.json");
	write_padded(cfg, "{\"schema\": 1}", MT_LIMIT_JSON_FILE_SIZE);
	git(p.repo, (const char *const[]){ "add", ".mtcheck.json", NULL });
	git(p.repo, (const char *const[]){ "commit", "-qm", "configuration at the bound", NULL });
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "check", "stable-10.0",
						     "-q", NULL });
	ck_assert_msg(r.status == 1, "exit %d: %s", r.status, r.err);
	/* The new commit changes the policy file: reported. */
	ck_assert_ptr_nonnull(strstr(r.out, "[POL001]"));
	run_result_release(&r);
	free(cfg);
	place_release(&p);
}
END_TEST

/* --output: the whole report, the same bytes as standard output; on error the old file stays. */
START_TEST(output_file_is_whole_or_untouched)
{
	struct place p = { 0 };
	struct run_result r;
	char *file, *text, *listing = NULL;
	const char *ls[] = { "ls", "-a", NULL, NULL };

	use_scenario(&p, "demo/demo.json");
	p.dir = test_tmpdir("output");
	file = join(p.dir, "report.sarif");
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "--format", "sarif", "audit",
						     NULL });
	ck_assert_int_eq(r.status, 1);
	text = strdup(r.out);
	run_result_release(&r);
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "--format", "sarif", "audit",
						     "--output", file, NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
	free(listing);
	{
		char *got = read_all(file);

		ck_assert_str_eq(got, text);
		free(got);
	}
	/* A failing run leaves the previous report as it was, and no temporary file. */
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "audit", "--output", file,
						     "--today", "2026-13-01", NULL });
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
	{
		char *got = read_all(file);

		ck_assert_str_eq(got, text);
		free(got);
	}
	ls[2] = p.dir;
	ck_assert_int_eq(test_exec(&listing, NULL, ls), 0);
	ck_assert_str_eq(listing, ".\n..\nreport.sarif\n");
	free(listing);
	free(text);
	free(file);
	place_release(&p);
}
END_TEST

/* A full disk on standard output is exit 2, not a cut report with exit 0 or 1. */
START_TEST(standard_output_errors_are_exit_2)
{
	struct place p = { 0 };
	struct strbuf cmd = STRBUF_INIT;
	const char *argv[] = { "sh", "-c", NULL, NULL };

	use_scenario(&p, "demo/demo.json");
	strbuf_addf(&cmd, "'%s' --repo '%s' --format sarif audit > /dev/full", MT_TEST_BIN, p.repo);
	argv[2] = cmd.buf;
	ck_assert_int_eq(test_exec(NULL, "/", argv), 2);
	strbuf_reset(&cmd);
	strbuf_addf(&cmd, "'%s' --repo '%s' machines stable-10.0 > /dev/full", MT_TEST_BIN, p.repo);
	argv[2] = cmd.buf;
	ck_assert_int_eq(test_exec(NULL, "/", argv), 2);
	strbuf_release(&cmd);
	place_release(&p);
}
END_TEST

/* -v says what was read and how long each phase took, on stderr only. */
START_TEST(verbose_names_what_was_read_and_the_phases)
{
	struct place p = { 0 };
	struct run_result r, plain;

	use_scenario(&p, "demo/demo.json");
	run_mtcheck(&r, "/", (const char *const[]){ "--repo", p.repo, "-v", "audit", NULL });
	run_mtcheck(&plain, "/", (const char *const[]){ "--repo", p.repo, "audit", NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, plain.out);
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: repository "));
	ck_assert_ptr_nonnull(strstr(r.err, "3 stable streams, 9 release tags"));
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: history read: "));
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: rules run: "));
	ck_assert_ptr_nonnull(strstr(r.err, "mtcheck: report written: "));
	ck_assert_str_eq(plain.err, "");
	run_result_release(&r);
	run_result_release(&plain);
	place_release(&p);
}
END_TEST

/* How many findings of `rule` a JSON report has, and whether one names `needle`. */
static int count_rule(const char *json, const char *rule, const char *needle, bool *found)
{
	struct strbuf key = STRBUF_INIT;
	const char *p = json;
	int n = 0;

	strbuf_addf(&key, "\"rule\": \"%s\"", rule);
	while ((p = strstr(p, key.buf))) {
		const char *end = strstr(p, "\"fingerprint\"");

		n++;
		if (needle && end) {
			const char *hit = strstr(p, needle);
			if (hit && hit < end)
				*found = true;
		}
		p += key.len;
	}
	strbuf_release(&key);
	return n;
}

/* MIG002 and POL001 on engine/guard.json: the cases that trigger, and the near misses. */
START_TEST(guard_rules_trigger_and_near_misses)
{
	struct place p = { 0 };
	bool f80 = false, f1201 = false, f1202 = false, f112 = false, relax = false;
	char *out;

	use_scenario(&p, "engine/guard.json");
	out = run_out(1, (const char *const[]){ "--repo", p.repo, "--format", "json", "audit",
						 NULL });
	count_rule(out, "MIG002", "\"machine\": \"pc-q35-8.0\"", &f80);
	count_rule(out, "MIG002", "\"machine\": \"pc-q35-12.0.1\"", &f1201);
	count_rule(out, "MIG002", "\"machine\": \"pc-q35-12.0.2\"", &f1202);
	ck_assert_int_eq(count_rule(out, "MIG002", "\"machine\": \"pc-q35-11.2\"", &f112), 2);
	ck_assert(f80 && f1201);
	ck_assert(!f1202 && !f112); /* added and reverted unreleased; dropped and brought back */
	/* An example file under docs/ is not the policy file. */
	ck_assert_int_eq(count_rule(out, "POL001", NULL, NULL), 0);
	free(out);
	out = run_out(1, (const char *const[]){ "--repo", p.repo, "--format", "json", "check",
						 "staging-12.0", "--since", "stable-12.0", NULL });
	ck_assert_int_eq(count_rule(out, "POL001", "\"subject\": \"ci: quieten mtcheck\"",
				    &relax), 1);
	ck_assert(relax);
	/* The machines the stream lost before the merge request are not the request's doing. */
	ck_assert_int_eq(count_rule(out, "MIG002", NULL, NULL), 0);
	ck_assert_int_eq(count_rule(out, "ABI001", NULL, NULL), 1);
	free(out);
	place_release(&p);
}
END_TEST

Suite *suite_silent(void)
{
	Suite *s = suite_create("silent");
	TCase *table = tcase_create("why"), *more = tcase_create("more");

	tcase_set_timeout(table, 120);
	tcase_add_loop_test(table, why_row, 0, (int)(sizeof(rows) / sizeof(*rows)));
	suite_add_tcase(s, table);
	tcase_set_timeout(more, 240);
	tcase_add_test(more, guard_rules_trigger_and_near_misses);
	tcase_add_test(more, one_baseline_across_ref_spellings_and_a_rebase);
	tcase_add_test(more, detached_head_is_checked_as_its_stream);
	tcase_add_test(more, data_files_at_the_bound_and_one_past);
	tcase_add_test(more, repository_config_at_the_bound);
	tcase_add_test(more, output_file_is_whole_or_untouched);
	tcase_add_test(more, standard_output_errors_are_exit_2);
	tcase_add_test(more, verbose_names_what_was_read_and_the_phases);
	suite_add_tcase(s, more);
	return s;
}
