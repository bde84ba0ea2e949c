/*
 * Shared by the files of the repo module (repo.c: repository, refs,
 * commits and blobs; repo_diff.c: tree walks, diffs and patch ids;
 * repo_graph.c: master read into memory; repo_pack.c: objects straight
 * from the pack files; repo_tree.c: trees for the walks). Not part of its
 * interface: only these files call libgit2 and zlib.
 */
#ifndef MT_REPO_INTERNAL_H
#define MT_REPO_INTERNAL_H

#include <git2.h>
#include <stdbool.h>
#include <string.h>

#include "util/oidmap.h"
#include "repo/repo.h"
#include "util/strmap.h"

struct pack_reader;

struct mt_repo {
	git_repository *git;
	char *display_path;
	struct pack_reader *packs; /* see repo_packs */
	bool packs_opened;
	bool memory_objects; /* repo_cherry_pick's in-memory store is in place */
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

/*
 * A blob's size from its object header, without inflating it; -1 with
 * libgit2's error set (also when the object is not a blob).
 */
int repo_blob_size(git_object_size_t *out, struct mt_repo *repo, const git_oid *id);

/*
 * A blob from the pack reader into the blob cache (or already there);
 * MT_ENOTFOUND when the pack reader leaves it to libgit2. What it returns
 * is never over REPO_MAX_BLOB_SIZE: the reader builds nothing larger.
 */
int repo_read_blob_packed(const struct mt_blob **out, struct mt_repo *repo,
			  const struct mt_oid *oid);

/*
 * repo_read_blob for a blob whose size the caller has just read with
 * repo_blob_size (a header read is an inflate of its own).
 */
int repo_read_blob_sized(const struct mt_blob **out, struct mt_repo *repo,
			 const struct mt_oid *oid, git_object_size_t size);

/*
 * Objects straight from the pack files, with a cache of delta bases
 * (repo_pack.c). pack_reader_open returns NULL when no pack is usable.
 * pack_reader_read gives MT_OK and a malloc'd copy of the object (NUL
 * after its `len` bytes) when it is in a pack and of type `want`, else
 * MT_ENOTFOUND: then ask libgit2, which reads it or says what is wrong.
 */
struct pack_reader *pack_reader_open(git_repository *repo);
int pack_reader_read(struct pack_reader *r, const struct mt_oid *oid, git_object_t want,
		     unsigned char **data, size_t *len);
void pack_reader_free(struct pack_reader *r);
/*
 * git's delta format applied to `base`: the base's size, the result's, then
 * copy and insert instructions. A malloc'd result (NUL after its *out_len
 * bytes), or NULL when the delta does not fit the base or is malformed.
 */
unsigned char *pack_delta_apply(const unsigned char *base, size_t base_len,
				const unsigned char *delta, size_t delta_len, size_t *out_len);

/*
 * A commit object's raw bytes, from the pack reader or else libgit2's object
 * store: MT_OK, MT_ENOTFOUND when the object is not a commit, MT_ERROR with
 * libgit2's error when it cannot be read. Release it either way.
 */
struct repo_raw_commit {
	const char *data;
	size_t len;
	unsigned char *owned; /* from the pack reader */
	git_odb_object *obj;  /* from libgit2 */
};

int repo_raw_commit_read(struct repo_raw_commit *out, struct mt_repo *repo, const git_oid *id);
void repo_raw_commit_release(struct repo_raw_commit *c);

/*
 * A commit's tree id and first parent id from its raw object ("tree" comes
 * first, then the "parent" lines), through the pack reader or libgit2: a
 * walk needs nothing else, and libgit2's commit parse (signatures, message
 * copies) cost as much as the read. -1 with libgit2's error set, or with
 * none when the object is not a well-formed commit.
 */
int repo_commit_ids(git_oid *tree, git_oid *parent, bool *has_parent, struct mt_repo *repo,
		    const git_oid *id);

/* The repository's pack reader, opened on first use in each process; may be NULL. */
struct pack_reader *repo_packs(struct mt_repo *repo);

/* A tree's entries in git's order (repo_tree.c), for the walks. */
struct repo_tree_entry {
	const char *name; /* NUL-terminated */
	size_t len;
	unsigned attr;    /* the mode as stored */
	git_oid id;
};

struct repo_tree {
	struct repo_tree_entry *v;
	size_t n;
	unsigned char *raw; /* the object, when the pack reader built it */
	size_t raw_len;
	git_tree *git;      /* else libgit2's tree */
};

/* -1 with libgit2's error set when the tree cannot be read. */
int repo_tree_read(struct repo_tree *out, struct mt_repo *repo, const git_oid *id);
void repo_tree_release(struct repo_tree *t);
/* git_tree_entry_filemode and git_tree_entry_cmp for these entries. */
git_filemode_t repo_tree_entry_mode(const struct repo_tree_entry *e);
int repo_tree_entry_cmp(const struct repo_tree_entry *a, const struct repo_tree_entry *b);

#endif
