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

/* One side of a three-way file merge, from a blob. */
static int merge_input(git_merge_file_input *in, git_blob **blob, git_repository *git,
		       const git_oid *id, const char *path, unsigned int mode)
{
	if (git_merge_file_input_init(in, GIT_MERGE_FILE_INPUT_VERSION) < 0 ||
	    git_blob_lookup(blob, git, id) < 0)
		return -1;
	in->ptr = git_blob_rawcontent(*blob);
	in->size = (size_t)git_blob_rawsize(*blob);
	in->path = path;
	in->mode = mode;
	return 0;
}

/*
 * A file both the pick and the tip changed: libgit2's three-way merge in the
 * diff3 style, each conflicting block resolved by linemerge (the picked
 * side's added and removed lines placed by matching lines). The blob goes to
 * the in-memory store; *clean says whether no block conflicted.
 */
static int merge_blobs(git_oid *out, bool *clean, git_repository *git, const char *path,
		       const git_diff_file *base, const git_tree_entry *ours,
		       const git_diff_file *theirs)
{
	git_merge_file_input in_base, in_ours, in_theirs;
	git_blob *b = NULL, *o = NULL, *t = NULL;
	git_merge_file_options opts;
	git_merge_file_result result;
	struct strbuf merged = STRBUF_INIT;
	int err = -1;

	memset(&result, 0, sizeof(result));
	if (merge_input(&in_base, &b, git, &base->id, path, base->mode) < 0 ||
	    merge_input(&in_ours, &o, git, git_tree_entry_id(ours), path,
			(unsigned int)git_tree_entry_filemode(ours)) < 0 ||
	    merge_input(&in_theirs, &t, git, &theirs->id, path, theirs->mode) < 0 ||
	    git_merge_file_options_init(&opts, GIT_MERGE_FILE_OPTIONS_VERSION) < 0)
		goto out;
	opts.flags = GIT_MERGE_FILE_STYLE_DIFF3;
	opts.marker_size = PICK_MARKER_SIZE;
	if (git_merge_file(&result, &in_base, &in_ours, &in_theirs, &opts) < 0)
		goto out;
	*clean = result.automergeable != 0;
	if (*clean)
		strbuf_add(&merged, result.ptr ? result.ptr : "", result.len);
	else
		linemerge_resolve(&merged, result.ptr ? result.ptr : "", result.len,
				  PICK_MARKER_SIZE);
	err = git_blob_create_from_buffer(out, git, merged.buf ? merged.buf : "", merged.len);
out:
	strbuf_release(&merged);
	git_merge_file_result_free(&result);
	git_blob_free(b);
	git_blob_free(o);
	git_blob_free(t);
	return err;
}

struct pick_updates {
	git_tree_update *v;
	size_t n;
};

static void add_update(struct pick_updates *u, git_tree_update_t action, const char *path,
		       const git_oid *id, git_filemode_t mode)
{
	u->v = xrealloc(u->v, (u->n + 1) * sizeof(*u->v));
	memset(&u->v[u->n], 0, sizeof(u->v[u->n]));
	u->v[u->n].action = action;
	u->v[u->n].path = xstrdup(path);
	if (id)
		git_oid_cpy(&u->v[u->n].id, id);
	u->v[u->n].filemode = mode;
	u->n++;
}

static void add_dropped(struct repo_pick *out, const char *path)
{
	out->dropped = xrealloc(out->dropped, (out->ndropped + 1) * sizeof(*out->dropped));
	out->dropped[out->ndropped++] = xstrdup(path);
}

/*
 * What one file of the picked commit's diff does to the tip, as git's
 * cherry-pick would do it (renames are not followed: one tree diff): taken
 * when the tip has the file as the pick's parent had it, merged when both
 * changed it, the tip's version kept (and the file listed) when the pick
 * changes a file the tip deleted or adds one the tip has otherwise.
 */
static int pick_file(struct repo_pick *out, struct pick_updates *u, git_repository *git,
		     git_tree *tip, const git_diff_delta *d)
{
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
	git_tree_entry *ours = NULL;
	bool has_base = d->status != GIT_DELTA_ADDED, has_theirs = d->status != GIT_DELTA_DELETED;
	bool clean = true;
	git_oid merged;
	int err = git_tree_entry_bypath(&ours, tip, path);

	if (err < 0 && err != GIT_ENOTFOUND)
		return -1;
	if (ours && has_theirs && git_oid_equal(git_tree_entry_id(ours), &d->new_file.id) &&
	    (unsigned int)git_tree_entry_filemode(ours) == d->new_file.mode)
		goto out; /* already as the pick has it */
	if (!ours) {
		if (!has_base)
			add_update(u, GIT_TREE_UPDATE_UPSERT, path, &d->new_file.id,
				   (git_filemode_t)d->new_file.mode);
		else if (has_theirs)
			add_dropped(out, path); /* changed by the pick, not in the tip */
		goto out;
	}
	if (has_base && git_oid_equal(git_tree_entry_id(ours), &d->old_file.id)) {
		if (has_theirs)
			add_update(u, GIT_TREE_UPDATE_UPSERT, path, &d->new_file.id,
				   (git_filemode_t)d->new_file.mode);
		else
			add_update(u, GIT_TREE_UPDATE_REMOVE, path, NULL, 0);
		goto out;
	}
	if (!has_base || !has_theirs || git_tree_entry_type(ours) != GIT_OBJECT_BLOB ||
	    (d->flags & GIT_DIFF_FLAG_BINARY)) {
		add_dropped(out, path);
		goto out;
	}
	if (merge_blobs(&merged, &clean, git, path, &d->old_file, ours, &d->new_file) < 0) {
		err = -1;
		goto out;
	}
	if (!clean)
		add_dropped(out, path);
	add_update(u, GIT_TREE_UPDATE_UPSERT, path, &merged, git_tree_entry_filemode(ours));
out:
	git_tree_entry_free(ours);
	return err < 0 && err != GIT_ENOTFOUND ? -1 : 0;
}

/* The tip's tree with the picked commit's changes, written to the in-memory store. */
static int pick_tree(git_oid *out_tree, struct repo_pick *out, git_repository *git,
		     git_commit *pick, git_commit *onto)
{
	git_tree *parent = NULL, *theirs = NULL, *tip = NULL;
	git_commit *pick_parent = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	struct pick_updates u = { NULL, 0 };
	size_t i;
	int ret = -1;

	if (git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION) < 0 ||
	    git_commit_parent(&pick_parent, pick, 0) < 0 ||
	    git_commit_tree(&parent, pick_parent) < 0 || git_commit_tree(&theirs, pick) < 0 ||
	    git_commit_tree(&tip, onto) < 0 ||
	    git_diff_tree_to_tree(&diff, git, parent, theirs, &dopts) < 0)
		goto out;
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		if (pick_file(out, &u, git, tip, git_diff_get_delta(diff, i)) < 0)
			goto out;
	}
	if (git_tree_create_updated(out_tree, git, tip, u.n, u.v) < 0)
		goto out;
	ret = 0;
out:
	for (i = 0; i < u.n; i++)
		free((char *)u.v[i].path);
	free(u.v);
	git_diff_free(diff);
	git_tree_free(parent);
	git_tree_free(theirs);
	git_tree_free(tip);
	git_commit_free(pick_parent);
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
	git_commit *pick = NULL, *ours = NULL;
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
	if (pick_tree(&tree_id, out, repo->git, pick, ours) < 0 ||
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
