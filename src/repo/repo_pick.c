/*
 * A cherry-pick made in memory: what a commit would look like backported
 * onto a stream's tip as it is, for `assess` to check with the same code as
 * `check`. Nothing reaches the repository's files: new objects (merged
 * blobs, trees, the commit) go to an in-memory object store, and the
 * repository's own objects are read through a backend that can only read.
 *
 * Why a read-only backend in front of the repository's objects: libgit2
 * "freshens" an object it is asked to write when it already has it, which
 * touches the pack or loose file's modification time. With this backend an
 * object already there is found by `exists` and never freshened.
 */
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/linemerge.h"
#include "repo_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct read_only_backend {
	git_odb_backend parent;
	git_odb *inner;
};

static int ro_read(void **data, size_t *len, git_object_t *type, git_odb_backend *backend,
		   const git_oid *oid)
{
	struct read_only_backend *b = (struct read_only_backend *)backend;
	git_odb_object *obj;
	int err = git_odb_read(&obj, b->inner, oid);

	if (err < 0)
		return err;
	*len = git_odb_object_size(obj);
	*type = git_odb_object_type(obj);
	*data = git_odb_backend_data_alloc(backend, *len + 1);
	if (!*data) {
		git_odb_object_free(obj);
		return -1;
	}
	memcpy(*data, git_odb_object_data(obj), *len);
	((char *)*data)[*len] = '\0';
	git_odb_object_free(obj);
	return 0;
}

static int ro_read_header(size_t *len, git_object_t *type, git_odb_backend *backend,
			  const git_oid *oid)
{
	return git_odb_read_header(len, type, ((struct read_only_backend *)backend)->inner, oid);
}

static int ro_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type,
			  git_odb_backend *backend, const git_oid *short_oid, size_t n)
{
	struct read_only_backend *b = (struct read_only_backend *)backend;
	git_odb_object *obj;
	int err = git_odb_read_prefix(&obj, b->inner, short_oid, n);

	if (err < 0)
		return err;
	git_oid_cpy(out, git_odb_object_id(obj));
	git_odb_object_free(obj);
	return ro_read(data, len, type, backend, out);
}

static int ro_exists(git_odb_backend *backend, const git_oid *oid)
{
	return git_odb_exists(((struct read_only_backend *)backend)->inner, oid);
}

static int ro_exists_prefix(git_oid *out, git_odb_backend *backend, const git_oid *short_oid,
			    size_t n)
{
	return git_odb_exists_prefix(out, ((struct read_only_backend *)backend)->inner, short_oid,
				     n);
}

static int ro_refresh(git_odb_backend *backend)
{
	return git_odb_refresh(((struct read_only_backend *)backend)->inner);
}

static void ro_free(git_odb_backend *backend)
{
	struct read_only_backend *b = (struct read_only_backend *)backend;

	git_odb_free(b->inner);
	free(b);
}

/*
 * Puts the repository's objects behind the read-only backend and an
 * in-memory store in front of them, once per run.
 */
static int memory_objects(struct mt_repo *repo)
{
	struct read_only_backend *ro;
	git_odb_backend *mempack = NULL;
	git_odb *inner = NULL, *odb = NULL;

	if (repo->memory_objects)
		return MT_OK;
	if (git_repository_odb(&inner, repo->git) < 0 || git_odb_new(&odb) < 0)
		goto fail;
	ro = xcalloc(1, sizeof(*ro));
	git_odb_init_backend(&ro->parent, GIT_ODB_BACKEND_VERSION);
	ro->parent.read = ro_read;
	ro->parent.read_header = ro_read_header;
	ro->parent.read_prefix = ro_read_prefix;
	ro->parent.exists = ro_exists;
	ro->parent.exists_prefix = ro_exists_prefix;
	ro->parent.refresh = ro_refresh;
	ro->parent.free = ro_free;
	ro->inner = inner;
	inner = NULL;
	if (git_odb_add_backend(odb, &ro->parent, 1) < 0) {
		ro_free(&ro->parent);
		goto fail;
	}
	if (git_mempack_new(&mempack) < 0 || git_odb_add_backend(odb, mempack, 2) < 0) {
		if (mempack)
			mempack->free(mempack);
		goto fail;
	}
	if (git_repository_set_odb(repo->git, odb) < 0)
		goto fail;
	git_odb_free(odb);
	repo->memory_objects = true;
	return MT_OK;
fail:
	git_odb_free(inner);
	git_odb_free(odb);
	return mt_error_set("%s: cannot set up an in-memory object store: %s", repo->display_path,
			    git_message());
}

/* Markers no C source line starts with: linemerge_resolve finds the blocks by them. */
#define PICK_MARKER_SIZE 31

/*
 * A file whose hunks did not apply cleanly: libgit2's merge in the diff3
 * style, each conflicting block resolved by linemerge (the picked side's
 * added and removed lines placed by matching lines). Writes the blob to the
 * in-memory store.
 */
static int merge_conflict(git_oid *out, git_repository *git, const git_index_entry *anc,
			  const git_index_entry *ours, const git_index_entry *theirs)
{
	git_merge_file_options opts;
	git_merge_file_result result;
	struct strbuf merged = STRBUF_INIT;
	int err;

	memset(&result, 0, sizeof(result));
	if (git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION) < 0)
		return -1;
	opts.flags = GIT_MERGE_FILE_STYLE_DIFF3;
	opts.marker_size = PICK_MARKER_SIZE;
	if (git_merge_file_from_index(&result, git, anc, ours, theirs, &opts) < 0)
		return -1;
	linemerge_resolve(&merged, result.ptr ? result.ptr : "", result.len, PICK_MARKER_SIZE);
	err = git_blob_create_from_buffer(out, git, merged.buf ? merged.buf : "", merged.len);
	strbuf_release(&merged);
	git_merge_file_result_free(&result);
	return err;
}

struct conflict {
	char *path;
	git_index_entry entry; /* what the path becomes; mode 0: nothing */
};

/*
 * Paths where the pick did not apply cleanly: both sides' changes merged by
 * lines when all three versions are text, else the tip's version kept. The
 * paths are listed in `dropped`.
 */
static int resolve_conflicts(struct repo_pick *out, git_repository *git, git_index *index)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	struct conflict *v = NULL;
	size_t n = 0, i;
	int err, ret = -1;

	if (git_index_conflict_iterator_new(&it, index) < 0)
		return -1;
	while ((err = git_index_conflict_next(&anc, &ours, &theirs, it)) == 0) {
		const char *path = ours ? ours->path : theirs ? theirs->path : anc->path;

		v = xrealloc(v, (n + 1) * sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		v[n].path = xstrdup(path);
		if (ours) {
			v[n].entry = *ours;
			v[n].entry.flags &= (uint16_t)~GIT_INDEX_ENTRY_STAGEMASK;
			if (anc && theirs && merge_conflict(&v[n].entry.id, git, anc, ours, theirs) < 0)
				goto out;
		}
		n++;
	}
	git_index_conflict_iterator_free(it);
	it = NULL;
	if (err != GIT_ITEROVER)
		goto out;
	for (i = 0; i < n; i++) {
		if (git_index_conflict_remove(index, v[i].path) < 0)
			goto out;
		if (v[i].entry.mode) {
			v[i].entry.path = v[i].path;
			if (git_index_add(index, &v[i].entry) < 0)
				goto out;
		}
		out->dropped = xrealloc(out->dropped, (out->ndropped + 1) * sizeof(*out->dropped));
		out->dropped[out->ndropped++] = xstrdup(v[i].path);
	}
	ret = 0;
out:
	git_index_conflict_iterator_free(it);
	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
	return ret;
}

static void pick_message(struct strbuf *out, const char *message, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t len = strlen(message);

	git_oid_tostr(hex, sizeof(hex), id);
	while (len && message[len - 1] == '\n')
		len--;
	strbuf_add(out, message, len);
	strbuf_addf(out, "\n\n(cherry picked from commit %s)\n", hex);
}

int repo_cherry_pick(struct repo_pick *out, struct mt_repo *repo, const struct mt_oid *commit,
		     const struct mt_oid *onto)
{
	git_merge_options opts;
	git_commit *pick = NULL, *ours = NULL;
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_oid id, tree_id, made;
	struct strbuf msg = STRBUF_INIT;
	char hex[13];
	int ret = MT_ERROR;

	memset(out, 0, sizeof(*out));
	oid_to_short(hex, 12, commit);
	if (memory_objects(repo) < 0)
		return MT_ERROR;
	to_git(&id, commit);
	if (git_commit_lookup(&pick, repo->git, &id) < 0)
		goto git_fail;
	if (git_commit_parentcount(pick) != 1) {
		mt_error_set("%s: a merge or root commit cannot be cherry-picked as it is", hex);
		goto out;
	}
	to_git(&id, onto);
	if (git_commit_lookup(&ours, repo->git, &id) < 0)
		goto git_fail;
	if (git_merge_options_init(&opts, GIT_MERGE_OPTIONS_VERSION) < 0)
		goto git_fail;
	/* Renames are not followed: one tree walk, and a renamed file is a change of its own. */
	opts.flags &= ~(unsigned)GIT_MERGE_FIND_RENAMES;
	if (git_cherrypick_commit(&index, repo->git, pick, ours, 0, &opts) < 0 ||
	    resolve_conflicts(out, repo->git, index) < 0 || git_index_write_tree_to(&tree_id, index, repo->git) < 0 ||
	    git_tree_lookup(&tree, repo->git, &tree_id) < 0)
		goto git_fail;
	pick_message(&msg, git_commit_message(pick), git_commit_id(pick));
	/* The picked commit keeps its author and committer, so the same pick gives the same id. */
	if (git_commit_create(&made, repo->git, NULL, git_commit_author(pick),
			      git_commit_committer(pick), NULL, msg.buf, tree, 1,
			      (const git_commit **)&ours) < 0)
		goto git_fail;
	to_mt(&out->commit, &made);
	ret = MT_OK;
	goto out;
git_fail:
	mt_error_set("%s: cannot cherry-pick it in memory: %s", hex, git_message());
out:
	if (ret < 0)
		repo_pick_release(out);
	strbuf_release(&msg);
	git_tree_free(tree);
	git_index_free(index);
	git_commit_free(ours);
	git_commit_free(pick);
	return ret;
}

void repo_pick_release(struct repo_pick *p)
{
	size_t i;

	for (i = 0; i < p->ndropped; i++)
		free(p->dropped[i]);
	free(p->dropped);
	memset(p, 0, sizeof(*p));
}
