/*
 * Shared by the files of the repo module (repo.c: repository, refs,
 * commits and blobs; repo_diff.c: tree walks, diffs and patch ids;
 * repo_graph.c: master read into memory; repo_pack.c: the object
 * database backend that reads the pack files; repo_tree.c: trees for the walks). Not part of its
 * interface: only these files call libgit2 and zlib.
 */
#ifndef MT_REPO_INTERNAL_H
#define MT_REPO_INTERNAL_H

#include <git2.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/oidmap.h"
#include "repo/repo.h"
#include "util/strmap.h"

struct pack_reader;

struct mt_repo {
	git_repository *git;
	char *display_path;
	bool memory_objects; /* repo_cherry_pick's in-memory store is in place */
	struct oidmap blobs; /* blob oid -> struct mt_blob * */
	/*
	 * path -> its diff driver (enum in repo_diff.c). Attributes come from
	 * files mtcheck never writes (system, info/attributes, a work tree's
	 * .gitattributes), so a path's answer holds for the run; asking
	 * libgit2 costs a stat or two of each of those files.
	 */
	struct strmap diff_drivers;
	/* Objects in the packs of the store and its alternates, counted as they are verified. */
	unsigned long packed_objects;
};

static inline void to_mt(struct mt_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, MT_OID_RAWSZ);
}

static inline void to_git(git_oid *out, const struct mt_oid *in)
{
	memcpy(out->id, in->id, MT_OID_RAWSZ);
}

/* A big-endian 32-bit number, as pack files and their indexes store them. */
static inline uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
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
 * repo_read_blob for a blob not in the cache whose size the caller has
 * just read with repo_blob_size (a header read is an inflate of its own).
 */
int repo_read_blob_sized(const struct mt_blob **out, struct mt_repo *repo,
			 const struct mt_oid *oid, git_object_size_t size);

/*
 * The pack reader (repo_pack.c), added to the repository's object database
 * by pack_backend_add as a backend ahead of libgit2's own: every object
 * read goes through it (0 and nothing added when no pack is usable).
 * pack_reader_read gives MT_OK, the object's type and a malloc'd copy (NUL
 * after its `len` bytes); MT_ENOTFOUND when it is not in a pack or is left
 * to libgit2 (too large, too deep); MT_ERROR with a message naming the
 * object, the pack and what is wrong when the entry is damaged.
 */
int pack_backend_add(git_repository *repo);
/* An object through the repository's object database; -1 with libgit2's error set. */
int repo_object_read(git_odb_object **out, struct mt_repo *repo, const git_oid *id);
struct pack_reader *pack_reader_open(git_repository *repo);
int pack_reader_read(struct pack_reader *r, const struct mt_oid *oid, git_object_t *type,
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
 * A commit object's raw bytes from the object database: MT_OK, MT_ENOTFOUND
 * when the object is not a commit, MT_ERROR with libgit2's error when it
 * cannot be read. *out is NULL unless MT_OK; git_odb_object_free it.
 */
int repo_commit_read(git_odb_object **out, struct mt_repo *repo, const git_oid *id);

/*
 * A commit's tree id and first parent id from its raw object ("tree" comes
 * first, then the "parent" lines): a
 * walk needs nothing else, and libgit2's commit parse (signatures, message
 * copies) cost as much as the read. -1 with libgit2's error set, or with
 * none when the object is not a well-formed commit.
 */
int repo_commit_ids(git_oid *tree, git_oid *parent, bool *has_parent, struct mt_repo *repo,
		    const git_oid *id);

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
	git_odb_object *obj; /* the raw object the entries point into */
};

/* -1 with libgit2's error set when the tree cannot be read or is malformed. */
int repo_tree_read(struct repo_tree *out, struct mt_repo *repo, const git_oid *id);
void repo_tree_release(struct repo_tree *t);
/* git_tree_entry_filemode and git_tree_entry_cmp for these entries. */
git_filemode_t repo_tree_entry_mode(const struct repo_tree_entry *e);
int repo_tree_entry_cmp(const struct repo_tree_entry *a, const struct repo_tree_entry *b);

/*
 * Checks every pack index of the object store and its alternates against its
 * trailing checksum, and that no pack lacks its index (src/repo/repo_verify.c),
 * counting their objects into repo->packed_objects; an error names the file.
 */
int repo_verify_pack_indexes(struct mt_repo *repo);

#endif
