/*
 * Shared by the files of the repo module (repo.c: repository, refs,
 * commits and blobs; repo_diff.c: tree walks, diffs and patch ids;
 * repo_graph.c: master read into memory). Not part of its interface: only
 * these files call libgit2.
 */
#ifndef MT_REPO_INTERNAL_H
#define MT_REPO_INTERNAL_H

#include <git2.h>
#include <string.h>

#include "oidmap.h"
#include "repo.h"
#include "strmap.h"

struct mt_repo {
	git_repository *git;
	char *display_path;
	struct oidmap blobs; /* blob oid -> struct mt_blob * */
	/*
	 * path -> its diff driver (enum in repo_diff.c). Attributes come from
	 * files mtcheck never writes (system, info/attributes, a work tree's
	 * .gitattributes), so a path's answer holds for the run; asking
	 * libgit2 costs a stat or two of each of those files.
	 */
	struct strmap diff_drivers;
};

static inline void to_mt(struct mt_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, MT_OID_RAWSZ);
}

static inline void to_git(git_oid *out, const struct mt_oid *in)
{
	memcpy(out->id, in->id, MT_OID_RAWSZ);
}

/* libgit2's last error message, for messages that add what and where. */
static inline const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

/* The tree of a commit; the caller frees it. Errors name the commit. */
int repo_lookup_tree(git_tree **out, struct mt_repo *repo, const struct mt_oid *commit_oid);

/*
 * A blob's size from its object header, without inflating it; -1 with
 * libgit2's error set (also when the object is not a blob).
 */
int repo_blob_size(git_object_size_t *out, struct mt_repo *repo, const git_oid *id);

/*
 * repo_read_blob for a blob whose size the caller has just read with
 * repo_blob_size (a header read is an inflate of its own).
 */
int repo_read_blob_sized(const struct mt_blob **out, struct mt_repo *repo,
			 const struct mt_oid *oid, git_object_size_t size);

#endif
