/*
 * repo: the only module that calls libgit2. Opens a repository read-only and
 * answers questions about its objects. Nothing here writes to the repository:
 * no index, no refs, no config, no lock files.
 *
 * The start of the pipeline: may call util only (and libgit2, zlib).
 *
 * Ownership: the repository owns every blob it hands out (valid until
 * repo_free); everything else returned through `out` parameters belongs to
 * the caller and has a matching _release/_free function named below.
 */
#ifndef MT_REPO_H
#define MT_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/mtlimits.h"
#include "util/oidmap.h"
#include "util/oid.h"
#include "util/strbuf.h"

struct mt_repo;

/* Largest blob mtcheck reads; larger files are reported, not loaded (see mtlimits.h). */
#define REPO_MAX_BLOB_SIZE MT_LIMIT_BLOB_SIZE

/*
 * Opens the repository at `path` (a work tree, a .git directory or a bare
 * repository), or when path is NULL the one containing the current directory.
 */
int repo_open(struct mt_repo **out, const char *path);
void repo_free(struct mt_repo *repo);

/* What to call the repository in messages and reports: its work tree or git directory. */
const char *repo_display_path(const struct mt_repo *repo);
bool repo_is_shallow(const struct mt_repo *repo);
/*
 * Runs `git -C dir ARGS...` (args NULL-terminated) with no terminal prompt
 * and C messages, its stdout and stderr appended to out and err (either may
 * be NULL). *out_status is git's exit status; a negative return means git
 * could not be run at all. Only `ci-setup` uses it: the one command that
 * changes a repository (refs and objects, by fetching).
 */
int repo_git_run(int *out_status, struct strbuf *out, struct strbuf *err, const char *dir,
		 const char *const *args);
/*
 * Where the repository comes from, for reports: the origin remote's URL
 * without any user or password in it (CI clones carry a token there), else
 * a file:// URI of the repository. The caller frees it.
 */
char *repo_uri(struct mt_repo *repo);
bool repo_is_bare(const struct mt_repo *repo);

/*
 * Resolves any revision git understands (branch, remote-tracking branch, tag,
 * full or short sha, HEAD, `rev^`) to the commit it names, peeling tags.
 * Errors name the revision: no such ref, ambiguous, not a commit.
 */
int repo_resolve_commit(struct mt_oid *out, struct mt_repo *repo, const char *rev);
/*
 * The branch HEAD names ("stable-10.0"), allocated for the caller to free;
 * MT_ENOTFOUND (no message) when HEAD is detached or unborn.
 */
int repo_head_branch(char **out, struct mt_repo *repo);
/* True when the commit object is in the object store. */
bool repo_has_commit(struct mt_repo *repo, const struct mt_oid *oid);
/*
 * The commit whose id starts with the `len` hex digits at `hex` (4 to 40), as
 * written in a trailer: never a ref name. MT_ENOTFOUND (no message) when no
 * commit has that prefix; MT_ERROR naming the prefix when it is ambiguous.
 */
int repo_lookup_commit_prefix(struct mt_oid *out, struct mt_repo *repo,
			      const char *hex, size_t len);

/*
 * The commits at the edge of a shallow clone (the `shallow` file in the
 * common git directory): they are present, their parents are not. An empty
 * list for a complete repository. The array is the caller's to free().
 */
int repo_shallow_boundary(struct mt_oid **out, size_t *out_count, struct mt_repo *repo);

struct mt_blob {
	struct mt_oid oid;
	const char *data; /* len bytes, followed by a NUL not counted in len */
	size_t len;
};

/*
 * The file at `path` in `commit`. MT_ENOTFOUND when the path does not exist
 * there (no message set); MT_ERROR with a message naming commit:path when
 * the blob cannot be read (missing object, over REPO_MAX_BLOB_SIZE).
 * Blobs are cached by oid: the same file at many tags is read once.
 */
int repo_read_file(const struct mt_blob **out, struct mt_repo *repo,
		   const struct mt_oid *commit, const char *path);
/* The blob with this id, cached the same way. */
int repo_read_blob(const struct mt_blob **out, struct mt_repo *repo, const struct mt_oid *blob);
/* The id of the blob at tree:path without reading it; MT_ENOTFOUND when absent. */
int repo_tree_file_oid(struct mt_oid *out, struct mt_repo *repo, const struct mt_oid *tree,
		       const char *path);
/* The id of the blob at commit:path without reading it; MT_ENOTFOUND when absent. */
int repo_file_oid(struct mt_oid *out, struct mt_repo *repo,
		  const struct mt_oid *commit, const char *path);

struct mt_commit_info {
	struct mt_oid oid;
	struct mt_oid tree;
	struct mt_oid *parents;
	size_t nparents;
	char *message;   /* full raw message */
	char *subject;   /* first paragraph joined into one line */
	char *author;    /* "Name <email>" */
	int64_t time;    /* committer time, seconds since the epoch */
	int64_t author_time;
	int time_offset; /* minutes east of UTC */
};

int repo_commit_info(struct mt_commit_info *out, struct mt_repo *repo, const struct mt_oid *oid);
void commit_info_release(struct mt_commit_info *info);

enum repo_ref_kind {
	REPO_REF_BRANCH,  /* refs/heads/ */
	REPO_REF_REMOTE,  /* refs/remotes/ */
	REPO_REF_TAG,     /* refs/tags/ */
	REPO_REF_OTHER,
};

struct mt_ref {
	char *name;           /* full name, e.g. refs/remotes/origin/stable-10.0 */
	const char *short_name; /* points into name past refs/heads/, refs/tags/, refs/remotes/ */
	enum repo_ref_kind kind;
	struct mt_oid commit; /* the commit it peels to */
	bool annotated;       /* a tag object, not a lightweight tag */
	int64_t time;         /* tagger time for annotated tags, else the commit's time */
	/*
	 * Why the ref could not be read (its target, a tag on the way or the
	 * commit is missing or damaged), NULL when it was; `commit` is then
	 * zero. The caller decides whether the ref matters.
	 */
	char *broken;
};

/*
 * Every reference that peels to a commit, sorted by full name, and every
 * one that could not be read (with `broken` set). References that peel to
 * trees or blobs are left out.
 */
int repo_list_refs(struct mt_ref **out, size_t *out_count, struct mt_repo *repo);
void repo_refs_free(struct mt_ref *refs, size_t count);

enum repo_walk_flags {
	REPO_WALK_TOPO = 1 << 0,        /* parents after all their children */
	REPO_WALK_REVERSE = 1 << 1,     /* oldest first */
	REPO_WALK_FIRST_PARENT = 1 << 2,
};

/*
 * Commits reachable from `tip` and not from any of `hide` (git rev-list
 * tip ^hide...). The array is the caller's to free(). A commit missing from
 * the object store (a shallow clone, a damaged repository) is an error that
 * names it.
 */
int repo_walk(struct mt_oid **out, size_t *out_count, struct mt_repo *repo,
	      const struct mt_oid *tip, const struct mt_oid *hide, size_t nhide,
	      unsigned flags);
int repo_merge_base(struct mt_oid *out, struct mt_repo *repo,
		    const struct mt_oid *a, const struct mt_oid *b);
/* *out = true when `ancestor` is reachable from `descendant` (or equal to it). */
int repo_is_ancestor(bool *out, struct mt_repo *repo,
		     const struct mt_oid *ancestor, const struct mt_oid *descendant);

/*
 * What is reachable from `tip` (and, when `hide` is not NULL, not from
 * `hide`), read once into memory: the commits in the order repo_walk(tip,
 * hide, REPO_WALK_TOPO | REPO_WALK_REVERSE) lists them (oldest first), each
 * with its committer time and its parents inside the graph. Questions
 * about master that used to be one walk each (what is new since a release,
 * is a commit in master) are then answered without reading it again.
 * Filled by repo_graph_load(); the caller frees it with repo_graph_release().
 */
struct repo_graph {
	struct mt_oid *commits;  /* oldest first */
	int64_t *times;          /* committer time of each commit */
	int64_t *author_times;   /* author time of each commit (a cherry-pick keeps it) */
	uint64_t *subject_keys;  /* subject_key() of each commit's message */
	size_t *parent_at;       /* parents of commits[i]: parents[parent_at[i] .. parent_at[i + 1]) */
	size_t *parents;         /* indexes into commits */
	size_t count;
	struct oidmap index;     /* commit -> its index + 1 */
};

/* A commit's index in the graph, or false when it is not reachable from the tip. */
bool repo_graph_find(size_t *out, const struct repo_graph *g, const struct mt_oid *commit);
/*
 * Each commit's message (past the header; not NUL-terminated) goes to
 * `on_message` (may be NULL) as the commit is read, so a caller can index
 * something in it without reading master a second time. A range load may
 * also hand over commits the range leaves out (the walk reads some past its
 * edge); check membership with repo_graph_find.
 */
typedef void (*repo_graph_message_fn)(const struct mt_oid *commit, const char *message,
				      size_t len, void *payload);
int repo_graph_load(struct repo_graph *out, struct mt_repo *repo, const struct mt_oid *tip,
		    const struct mt_oid *hide, repo_graph_message_fn on_message, void *payload);
void repo_graph_release(struct repo_graph *g);

/*
 * A cherry-pick of `commit` onto `onto` made in memory, as `git cherry-pick`
 * makes it where its hunks apply; where they conflict, the commit's added
 * and removed lines are placed by matching lines (linemerge.h), and a file
 * that is not text on all three sides keeps onto's version. `dropped` names
 * the files that did not apply cleanly. The commit keeps
 * the picked one's author, committer and message, with a "(cherry picked
 * from commit ...)" trailer. Its objects live in memory for the rest of the
 * run and are read like any other; nothing is written to the repository.
 * Release with repo_pick_release().
 */
struct repo_pick {
	struct mt_oid commit;
	char **dropped; /* files where a hunk did not apply cleanly */
	size_t ndropped;
};

int repo_cherry_pick(struct repo_pick *out, struct mt_repo *repo, const struct mt_oid *commit,
		     const struct mt_oid *onto);
void repo_pick_release(struct repo_pick *p);

struct mt_diff_file {
	const char *old_path;
	const char *new_path;
	struct mt_oid old_blob; /* zero when added */
	struct mt_oid new_blob; /* zero when deleted */
	unsigned old_mode;      /* 0 when added */
	unsigned new_mode;      /* 0 when deleted */
	char status;            /* 'A', 'D', 'M', 'R' */
	bool binary;
};

struct mt_diff_line {
	char origin;    /* '+', '-' or ' ' */
	int old_lineno; /* -1 for added lines */
	int new_lineno; /* -1 for removed lines */
	const char *content; /* not NUL-terminated, includes any newline */
	size_t len;
};

/* Return non-zero from a callback to stop; that value is returned. */
typedef int (*repo_diff_file_fn)(const struct mt_diff_file *file, void *payload);
typedef int (*repo_diff_line_fn)(const struct mt_diff_file *file,
				 const struct mt_diff_line *line, void *payload);

/* Whether a changed path matters to the caller; see struct repo_diff_opts. */
typedef bool (*repo_path_filter_fn)(const char *path, void *payload);

/* What repo_diff() compares and reports. Zero-initialise and set what you need. */
struct repo_diff_opts {
	/* The commit to diff from; NULL: the commit's first parent (the empty tree for a root). */
	const struct mt_oid *from;
	/*
	 * NULL: every changed file. Else asked once for each changed path
	 * (added, deleted or modified), from the trees alone, before any blob is
	 * read; rejected files are neither diffed nor reported.
	 */
	repo_path_filter_fn want;
	void *want_payload;
	/*
	 * `want` is also asked about each changed directory ("hw/arm/", with the
	 * slash) before its trees are read, and a directory it rejects is passed
	 * over unread: for a question about a few files, the trees on their way
	 * are all that is read.
	 */
	bool prune;
	/*
	 * Read the changed files' blobs: `binary` is set and line_cb is called
	 * with `context` lines of context. Without it, the changes come from the
	 * trees alone (fast over thousands of commits, and working when large
	 * blobs are missing), `binary` is always false and line_cb is not called.
	 */
	bool patch;
	unsigned context;
	/* Hunks placed as git diff places them by default (its indent heuristic). */
	bool indent_heuristic;
	/* Either may be NULL. */
	repo_diff_file_fn file_cb;
	repo_diff_line_fn line_cb;
	void *payload;
};

/*
 * The one diff: the files that differ between opts->from (or the commit's
 * first parent) and `commit`, in git's tree order, each reported to file_cb
 * and, with opts->patch, its lines to line_cb. Returns 0, MT_ERROR naming
 * the commit, or the non-zero value a callback returned to stop. With
 * neither callback it is a yes/no question: 1 as soon as one file `want`
 * accepts differs, else 0.
 */
int repo_diff(struct mt_repo *repo, const struct mt_oid *commit, const struct repo_diff_opts *opts);

/*
 * The patch id of a commit's diff against its first parent, as
 * `git show COMMIT | git patch-id --stable` prints it (git 2.39), except
 * that renames are not detected: a commit that renames a file has the id of
 * `git show --no-renames`. A commit that changes nothing (git prints no id)
 * has the SHA-1 of the empty text.
 */
int repo_patch_id(struct mt_oid *out, struct mt_repo *repo, const struct mt_oid *commit);

/*
 * Text tools for patches mtcheck writes but never applies (suggest): both
 * work on buffers in memory and touch no repository.
 *
 * repo_diff_texts appends to `out` a git-style patch of one file from `old`
 * to `new` (diff --git header, index line with the blobs' ids, hunks with
 * three lines of context); nothing when they are equal.
 */
int repo_diff_texts(struct strbuf *out, const char *path, const char *old, size_t old_len,
		    const char *new_text, size_t new_len);
/*
 * Three-way merge of one file, as git revert does it: the change from
 * `ancestor` to `theirs` applied to `ours`. *clean is false when a hunk
 * conflicts (out then holds conflict markers).
 */
int repo_merge_texts(struct strbuf *out, bool *clean, const char *path, const char *ancestor,
		     size_t ancestor_len, const char *ours, size_t ours_len, const char *theirs,
		     size_t theirs_len);

#endif
