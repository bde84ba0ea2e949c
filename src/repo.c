/*
 * The libgit2 boundary. Every call into libgit2 is in this file, so the rest
 * of mtcheck works on plain structs and object ids, and the read-only promise
 * can be checked in one place: nothing here creates, updates or locks anything.
 */
#include "repo.h"

#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "oidmap.h"
#include "strbuf.h"
#include "subject.h"
#include "xalloc.h"

struct mt_repo {
	git_repository *git;
	char *display_path;
	struct oidmap blobs; /* blob oid -> struct mt_blob * */
};

static void to_mt(struct mt_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, MT_OID_RAWSZ);
}

static void to_git(git_oid *out, const struct mt_oid *in)
{
	memcpy(out->id, in->id, MT_OID_RAWSZ);
}

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

int repo_open(struct mt_repo **out, const char *path)
{
	struct mt_repo *repo;
	const char *where = path ? path : ".";
	struct stat st;
	int err;

	*out = NULL;
	git_libgit2_init();
	/*
	 * mtcheck only reads objects and never runs hooks or honours config
	 * that executes programs, so a repository owned by another user (a CI
	 * checkout, a read-only mirror) is safe to read.
	 */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	/*
	 * libgit2 re-hashes every object it reads by default; git itself does
	 * not, and on a QEMU-sized history that hashing was half the run time.
	 * A damaged object still fails to inflate or parse and is reported.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/*
	 * libgit2 caches only trees under 4 KiB; QEMU's root and hw/ trees are
	 * larger, and every diff reads them again from the pack. Commits are
	 * not cached: master's are read once each into mtcheck's own graph, and
	 * caching 130,000 of them only churned the cache. The whole cache is
	 * held to 32 MiB (default 256): mtcheck keeps its own blobs, and a
	 * larger cache was no faster on a QEMU-sized history.
	 */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)1 << 20);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, (size_t)0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)32 << 20);

	/*
	 * A file is not a repository, even inside one: searching upward from it
	 * would quietly read whatever repository holds it. (A `.git` file is a
	 * worktree's or submodule's link to its repository, and is followed.)
	 */
	if (path && stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
		const char *base = strrchr(path, '/');

		if (strcmp(base ? base + 1 : path, ".git")) {
			git_libgit2_shutdown();
			return mt_error_set("%s: not a directory", path);
		}
	}
	repo = xcalloc(1, sizeof(*repo));
	err = git_repository_open_ext(&repo->git, where,
				      path ? GIT_REPOSITORY_OPEN_NO_SEARCH : 0, NULL);
	if (err == GIT_ENOTFOUND && path) {
		/* A path inside a work tree is fine too: search upward from it. */
		err = git_repository_open_ext(&repo->git, where, 0, NULL);
	}
	if (err < 0) {
		if (err == GIT_ENOTFOUND)
			mt_error_set("%s: not a git repository (or any parent up to /)", where);
		else
			mt_error_set("%s: cannot open repository: %s", where, git_message());
		free(repo);
		git_libgit2_shutdown();
		return MT_ERROR;
	}
	if (git_repository_workdir(repo->git))
		repo->display_path = xstrdup(git_repository_workdir(repo->git));
	else
		repo->display_path = xstrdup(git_repository_path(repo->git));
	/* Present paths without the trailing slash libgit2 adds. */
	{
		size_t n = strlen(repo->display_path);
		if (n > 1 && repo->display_path[n - 1] == '/')
			repo->display_path[n - 1] = '\0';
	}
	*out = repo;
	return MT_OK;
}

static void free_blob(void *value, void *payload)
{
	struct mt_blob *blob = value;

	(void)payload;
	free((char *)blob->data);
	free(blob);
}

void repo_free(struct mt_repo *repo)
{
	if (!repo)
		return;
	oidmap_each(&repo->blobs, free_blob, NULL);
	oidmap_release(&repo->blobs);
	git_repository_free(repo->git);
	free(repo->display_path);
	free(repo);
	git_libgit2_shutdown();
}

const char *repo_display_path(const struct mt_repo *repo)
{
	return repo->display_path;
}

bool repo_is_shallow(const struct mt_repo *repo)
{
	return git_repository_is_shallow(repo->git) == 1;
}

bool repo_is_bare(const struct mt_repo *repo)
{
	return git_repository_is_bare(repo->git) == 1;
}

static const char *object_kind(git_object_t type)
{
	switch (type) {
	case GIT_OBJECT_TREE:
		return "a tree";
	case GIT_OBJECT_BLOB:
		return "a blob";
	case GIT_OBJECT_TAG:
		return "a tag";
	default:
		return "not a commit";
	}
}

int repo_head_branch(char **out, struct mt_repo *repo)
{
	git_reference *head = NULL;
	const char *target;
	int ret = MT_ENOTFOUND;

	*out = NULL;
	if (git_reference_lookup(&head, repo->git, "HEAD") < 0)
		return MT_ENOTFOUND;
	if (git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    (target = git_reference_symbolic_target(head)) &&
	    !strncmp(target, "refs/heads/", 11)) {
		*out = xstrdup(target + 11);
		ret = MT_OK;
	}
	git_reference_free(head);
	return ret;
}

int repo_resolve_commit(struct mt_oid *out, struct mt_repo *repo, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int err, ret = MT_ERROR;

	if (!rev || !*rev)
		return mt_error_set("empty revision");
	err = git_revparse_single(&obj, repo->git, rev);
	if (err == GIT_ENOTFOUND) {
		ret = mt_error_code(MT_ENOTFOUND, "%s: no such ref or commit in %s", rev,
				    repo->display_path);
		goto out;
	}
	if (err == GIT_EAMBIGUOUS) {
		mt_error_set("%s: ambiguous revision (more than one object matches)", rev);
		goto out;
	}
	if (err < 0) {
		mt_error_set("%s: cannot resolve: %s", rev, git_message());
		goto out;
	}
	err = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (err < 0) {
		git_object *target = NULL;
		git_object_t type = git_object_type(obj);

		/* Name what the tag really points at. */
		if (type == GIT_OBJECT_TAG && !git_object_peel(&target, obj, GIT_OBJECT_ANY))
			type = git_object_type(target);
		git_object_free(target);
		mt_error_set("%s: points at %s, not a commit", rev, object_kind(type));
		goto out;
	}
	to_mt(out, git_object_id(peeled));
	ret = MT_OK;
out:
	git_object_free(peeled);
	git_object_free(obj);
	return ret;
}

bool repo_has_commit(struct mt_repo *repo, const struct mt_oid *oid)
{
	git_commit *commit = NULL;
	git_oid id;
	bool ok;

	to_git(&id, oid);
	ok = git_commit_lookup(&commit, repo->git, &id) == 0;
	git_commit_free(commit);
	return ok;
}

int repo_lookup_commit_prefix(struct mt_oid *out, struct mt_repo *repo,
			      const char *hex, size_t len)
{
	git_object *obj = NULL;
	git_oid id;
	char buf[MT_OID_HEXSZ + 1];
	int err, ret;

	if (len < 4 || len > MT_OID_HEXSZ)
		return MT_ENOTFOUND;
	memcpy(buf, hex, len);
	buf[len] = '\0';
	if (git_oid_fromstrn(&id, buf, len) < 0)
		return MT_ENOTFOUND;
	err = git_object_lookup_prefix(&obj, repo->git, &id, len, GIT_OBJECT_COMMIT);
	if (err == GIT_EAMBIGUOUS)
		ret = mt_error_set("%s: ambiguous commit id (more than one object matches)", buf);
	else if (err < 0)
		ret = MT_ENOTFOUND; /* absent, or not a commit */
	else {
		to_mt(out, git_object_id(obj));
		ret = MT_OK;
	}
	git_object_free(obj);
	return ret;
}

int repo_shallow_boundary(struct mt_oid **out, size_t *out_count, struct mt_repo *repo)
{
	struct strbuf path = STRBUF_INIT;
	struct mt_oid *list = NULL;
	size_t n = 0, alloc = 0;
	char line[128];
	FILE *f;

	*out = NULL;
	*out_count = 0;
	/* libgit2 1.5 only says whether the clone is shallow; the edge is in this file. */
	strbuf_addf(&path, "%sshallow", git_repository_commondir(repo->git));
	f = fopen(path.buf, "r");
	strbuf_release(&path);
	if (!f)
		return MT_OK;
	while (fgets(line, sizeof(line), f)) {
		struct mt_oid oid;

		line[strcspn(line, "\r\n")] = '\0';
		if (oid_from_hex(&oid, line) < 0)
			continue;
		ARRAY_GROW(list, n, alloc);
		list[n++] = oid;
	}
	fclose(f);
	*out = list;
	*out_count = n;
	return MT_OK;
}

static int blob_size(git_object_size_t *out, struct mt_repo *repo, const git_oid *id)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t size;
	int err;

	if (git_repository_odb(&odb, repo->git) < 0)
		return -1;
	err = git_odb_read_header(&size, &type, odb, id);
	git_odb_free(odb);
	if (err < 0)
		return -1;
	if (type != GIT_OBJECT_BLOB) {
		git_error_set_str(GIT_ERROR_OBJECT, "the object is not a blob");
		return -1;
	}
	*out = size;
	return 0;
}

int repo_read_blob(const struct mt_blob **out, struct mt_repo *repo, const struct mt_oid *oid)
{
	struct mt_blob *blob = oidmap_get(&repo->blobs, oid);
	git_blob *gblob = NULL;
	git_oid id;
	char hex[13];
	git_object_size_t size;
	char *data;

	if (blob) {
		*out = blob;
		return MT_OK;
	}
	to_git(&id, oid);
	/* The size from the object header first: an oversized blob is never inflated. */
	if (blob_size(&size, repo, &id) < 0)
		return mt_error_set("blob %s: cannot read: %s", oid_short(hex, oid), git_message());
	if (size > REPO_MAX_BLOB_SIZE)
		return mt_error_code(MT_ETOOBIG, "blob %s: %llu bytes, over the %u-byte limit",
				     oid_short(hex, oid), (unsigned long long)size,
				     REPO_MAX_BLOB_SIZE);
	if (git_blob_lookup(&gblob, repo->git, &id) < 0)
		return mt_error_set("blob %s: cannot read: %s", oid_short(hex, oid), git_message());
	size = git_blob_rawsize(gblob);
	if (size > REPO_MAX_BLOB_SIZE) { /* a header that lied */
		git_blob_free(gblob);
		return mt_error_code(MT_ETOOBIG, "blob %s: %llu bytes, over the %u-byte limit",
				     oid_short(hex, oid), (unsigned long long)size,
				     REPO_MAX_BLOB_SIZE);
	}
	data = xmalloc((size_t)size + 1);
	memcpy(data, git_blob_rawcontent(gblob), (size_t)size);
	data[size] = '\0';
	git_blob_free(gblob);

	blob = xmalloc(sizeof(*blob));
	blob->oid = *oid;
	blob->data = data;
	blob->len = (size_t)size;
	oidmap_put(&repo->blobs, oid, blob);
	*out = blob;
	return MT_OK;
}

static int lookup_tree(git_tree **out, struct mt_repo *repo, const struct mt_oid *commit_oid)
{
	git_commit *commit = NULL;
	git_oid id;
	char hex[13];
	int err;

	to_git(&id, commit_oid);
	if (git_commit_lookup(&commit, repo->git, &id) < 0)
		return mt_error_set("commit %s: cannot read: %s", oid_short(hex, commit_oid),
				    git_message());
	err = git_commit_tree(out, commit);
	git_commit_free(commit);
	if (err < 0)
		return mt_error_set("commit %s: cannot read its tree: %s",
				    oid_short(hex, commit_oid), git_message());
	return MT_OK;
}

int repo_file_oid(struct mt_oid *out, struct mt_repo *repo,
		  const struct mt_oid *commit, const char *path)
{
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int err, ret;

	if (lookup_tree(&tree, repo, commit) < 0)
		return MT_ERROR;
	err = git_tree_entry_bypath(&entry, tree, path);
	if (err == GIT_ENOTFOUND || (!err && git_tree_entry_type(entry) != GIT_OBJECT_BLOB)) {
		ret = MT_ENOTFOUND;
	} else if (err < 0) {
		char hex[13];
		ret = mt_error_set("%s:%s: %s", oid_short(hex, commit), path, git_message());
	} else {
		to_mt(out, git_tree_entry_id(entry));
		ret = MT_OK;
	}
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return ret;
}

int repo_read_file(const struct mt_blob **out, struct mt_repo *repo,
		   const struct mt_oid *commit, const char *path)
{
	struct mt_oid blob;
	int err = repo_file_oid(&blob, repo, commit, path);

	if (err < 0)
		return err;
	if (repo_read_blob(out, repo, &blob) < 0) {
		char hex[13];
		mt_error_prefix("%s:%s", oid_short(hex, commit), path);
		return MT_ERROR;
	}
	return MT_OK;
}

static char *join_subject(const char *message)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = message;

	while (*p == '\n')
		p++;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (!n)
			break; /* blank line ends the first paragraph */
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, p, n);
		if (!eol)
			break;
		p = eol + 1;
	}
	return strbuf_detach(&sb, NULL);
}

int repo_commit_info(struct mt_commit_info *out, struct mt_repo *repo, const struct mt_oid *oid)
{
	git_commit *commit = NULL;
	const git_signature *author;
	git_oid id;
	char hex[13];
	unsigned i, n;

	memset(out, 0, sizeof(*out));
	to_git(&id, oid);
	if (git_commit_lookup(&commit, repo->git, &id) < 0)
		return mt_error_set("commit %s: cannot read: %s", oid_short(hex, oid), git_message());
	out->oid = *oid;
	n = git_commit_parentcount(commit);
	out->parents = xcalloc(n ? n : 1, sizeof(*out->parents));
	for (i = 0; i < n; i++)
		to_mt(&out->parents[i], git_commit_parent_id(commit, i));
	out->nparents = n;
	out->message = xstrdup(git_commit_message_raw(commit) ? git_commit_message_raw(commit) : "");
	out->subject = join_subject(out->message);
	author = git_commit_author(commit);
	if (author) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s <%s>", author->name ? author->name : "",
			    author->email ? author->email : "");
		out->author = strbuf_detach(&sb, NULL);
		out->author_time = (int64_t)author->when.time;
	} else {
		out->author = xstrdup("");
	}
	out->time = (int64_t)git_commit_time(commit);
	out->time_offset = git_commit_time_offset(commit);
	git_commit_free(commit);
	return MT_OK;
}

void commit_info_release(struct mt_commit_info *info)
{
	free(info->parents);
	free(info->message);
	free(info->subject);
	free(info->author);
	memset(info, 0, sizeof(*info));
}

static enum repo_ref_kind ref_kind(const char *name, const char **short_name)
{
	static const struct {
		const char *prefix;
		enum repo_ref_kind kind;
	} kinds[] = {
		{ "refs/heads/", REPO_REF_BRANCH },
		{ "refs/remotes/", REPO_REF_REMOTE },
		{ "refs/tags/", REPO_REF_TAG },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		size_t n = strlen(kinds[i].prefix);
		if (!strncmp(name, kinds[i].prefix, n)) {
			*short_name = name + n;
			return kinds[i].kind;
		}
	}
	*short_name = name;
	return REPO_REF_OTHER;
}

/* Fills commit, annotated and time; returns 1 to skip a ref that is not a commit. */
static int peel_ref(struct mt_ref *out, git_repository *git, git_reference *ref)
{
	git_reference *resolved = NULL;
	git_object *obj = NULL, *commit = NULL;
	int skip = 1;

	if (git_reference_resolve(&resolved, ref) < 0 ||
	    git_object_lookup(&obj, git, git_reference_target(resolved), GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) < 0)
		goto out;
	to_mt(&out->commit, git_object_id(commit));
	out->annotated = git_object_type(obj) == GIT_OBJECT_TAG;
	out->time = (int64_t)git_commit_time((git_commit *)commit);
	if (out->annotated) {
		const git_signature *tagger = git_tag_tagger((git_tag *)obj);
		if (tagger)
			out->time = (int64_t)tagger->when.time;
	}
	skip = 0;
out:
	git_object_free(commit);
	git_object_free(obj);
	git_reference_free(resolved);
	return skip;
}

static int compare_refs(const void *a, const void *b)
{
	return strcmp(((const struct mt_ref *)a)->name, ((const struct mt_ref *)b)->name);
}

int repo_list_refs(struct mt_ref **out, size_t *out_count, struct mt_repo *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	struct mt_ref *refs = NULL;
	size_t n = 0, alloc = 0;
	int err;

	*out = NULL;
	*out_count = 0;
	if (git_reference_iterator_new(&it, repo->git) < 0)
		return mt_error_set("%s: cannot list references: %s", repo->display_path,
				    git_message());
	while ((err = git_reference_next(&ref, it)) == 0) {
		struct mt_ref r;

		memset(&r, 0, sizeof(r));
		if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
			/* refs/remotes/origin/HEAD and friends are aliases, not refs of their own. */
			git_reference_free(ref);
			continue;
		}
		if (!peel_ref(&r, repo->git, ref)) {
			r.name = xstrdup(git_reference_name(ref));
			r.kind = ref_kind(r.name, &r.short_name);
			ARRAY_GROW(refs, n, alloc);
			refs[n++] = r;
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (err != GIT_ITEROVER) {
		repo_refs_free(refs, n);
		return mt_error_set("%s: cannot list references: %s", repo->display_path,
				    git_message());
	}
	if (n)
		qsort(refs, n, sizeof(*refs), compare_refs);
	*out = refs;
	*out_count = n;
	return MT_OK;
}

void repo_refs_free(struct mt_ref *refs, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(refs[i].name);
	free(refs);
}

int repo_walk(struct mt_oid **out, size_t *out_count, struct mt_repo *repo,
	      const struct mt_oid *tip, const struct mt_oid *hide, size_t nhide,
	      unsigned flags)
{
	git_revwalk *walk = NULL;
	struct mt_oid *list = NULL;
	size_t n = 0, alloc = 0, i;
	unsigned sorting = GIT_SORT_NONE;
	git_oid id;
	char hex[13];
	int err;

	*out = NULL;
	*out_count = 0;
	if (git_revwalk_new(&walk, repo->git) < 0)
		return mt_error_set("cannot start a history walk: %s", git_message());
	if (flags & REPO_WALK_TOPO)
		sorting |= GIT_SORT_TOPOLOGICAL;
	if (flags & REPO_WALK_REVERSE)
		sorting |= GIT_SORT_REVERSE;
	git_revwalk_sorting(walk, sorting);
	if (flags & REPO_WALK_FIRST_PARENT)
		git_revwalk_simplify_first_parent(walk);

	to_git(&id, tip);
	if (git_revwalk_push(walk, &id) < 0) {
		err = mt_error_set("commit %s: cannot walk from it: %s", oid_short(hex, tip),
				   git_message());
		goto out;
	}
	for (i = 0; i < nhide; i++) {
		to_git(&id, &hide[i]);
		if (git_revwalk_hide(walk, &id) < 0) {
			err = mt_error_set("commit %s: cannot walk from it: %s",
					   oid_short(hex, &hide[i]), git_message());
			goto out;
		}
	}
	while ((err = git_revwalk_next(&id, walk)) == 0) {
		ARRAY_GROW(list, n, alloc);
		to_mt(&list[n++], &id);
	}
	if (err != GIT_ITEROVER) {
		err = mt_error_set("history walk from %s stopped: %s%s", oid_short(hex, tip),
				   git_message(),
				   repo_is_shallow(repo) ? " (the clone is shallow)" : "");
		goto out;
	}
	err = MT_OK;
	*out = list;
	*out_count = n;
	list = NULL;
out:
	free(list);
	git_revwalk_free(walk);
	return err;
}

int repo_merge_base(struct mt_oid *out, struct mt_repo *repo,
		    const struct mt_oid *a, const struct mt_oid *b)
{
	git_oid ga, gb, base;
	char ha[13], hb[13];
	int err;

	to_git(&ga, a);
	to_git(&gb, b);
	err = git_merge_base(&base, repo->git, &ga, &gb);
	if (err == GIT_ENOTFOUND)
		return mt_error_code(MT_ENOTFOUND, "%s and %s have no common ancestor",
				     oid_short(ha, a), oid_short(hb, b));
	if (err < 0)
		return mt_error_set("merge base of %s and %s: %s", oid_short(ha, a),
				    oid_short(hb, b), git_message());
	to_mt(out, &base);
	return MT_OK;
}

int repo_is_ancestor(bool *out, struct mt_repo *repo,
		     const struct mt_oid *ancestor, const struct mt_oid *descendant)
{
	git_oid ga, gd;
	char ha[13], hd[13];
	int err;

	if (oid_equal(ancestor, descendant)) {
		*out = true;
		return MT_OK;
	}
	to_git(&ga, ancestor);
	to_git(&gd, descendant);
	err = git_graph_descendant_of(repo->git, &gd, &ga);
	if (err < 0)
		return mt_error_set("is %s an ancestor of %s: %s", oid_short(ha, ancestor),
				    oid_short(hd, descendant), git_message());
	*out = err == 1;
	return MT_OK;
}

/* The commit's tree and its first parent's (NULL for a root commit); the caller frees both. */
static int commit_trees(git_tree **out_tree, git_tree **out_parent, struct mt_repo *repo,
			const struct mt_oid *oid)
{
	git_commit *commit = NULL, *parent = NULL;
	git_oid id;
	char hex[13];
	int ret = MT_ERROR;

	*out_tree = *out_parent = NULL;
	to_git(&id, oid);
	if (git_commit_lookup(&commit, repo->git, &id) < 0) {
		mt_error_set("commit %s: cannot read: %s", oid_short(hex, oid), git_message());
		goto out;
	}
	if (git_commit_tree(out_tree, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(out_parent, parent) < 0))) {
		mt_error_set("commit %s: cannot read its trees: %s%s", oid_short(hex, oid),
			     git_message(), repo_is_shallow(repo) ? " (the clone is shallow)" : "");
		git_tree_free(*out_tree);
		git_tree_free(*out_parent);
		*out_tree = *out_parent = NULL;
		goto out;
	}
	ret = MT_OK;
out:
	git_commit_free(parent);
	git_commit_free(commit);
	return ret;
}

/*
 * A tree diff that skips subtrees whose ids are equal. libgit2's
 * git_diff_tree_to_tree iterates every entry of both trees (reading every
 * subtree) even when one file changed; on a QEMU-sized tree that was most of
 * the time of every diff. The changes are the ones libgit2 reports, in its
 * order (paths in git's tree order, which is strcmp order of the full
 * paths): added and deleted files, modified files and submodules, mode
 * changes, and a change of kind (file to symlink or submodule) as a deletion
 * then an addition, as libgit2 does without GIT_DIFF_INCLUDE_TYPECHANGE.
 */
struct tree_walk {
	struct mt_repo *repo;
	const struct mt_oid *commit; /* for messages */
	struct strbuf path;          /* the directory being walked, "" or ending in '/' */
	repo_diff_file_fn file_cb;
	void *payload;
	int stopped;                 /* the callback's non-zero return value */
	repo_path_filter_fn within;  /* NULL: every path; else asked per changed file and directory */
	void *within_payload;
	bool outside;                /* a change `within` rejected stopped the walk */
	bool skip_outside;           /* ... or is passed over (repo_paths_differ) */
	struct change_list *collect; /* not NULL: files go here, with their modes, not to file_cb */
};

/* A changed file as the tree walk found it: what diffing it needs, without libgit2's diff. */
struct change {
	char *path;
	struct mt_oid old_blob, new_blob; /* zero for an absent side */
	unsigned old_mode, new_mode;      /* 0 for an absent side */
	char status;
};

struct change_list {
	struct change *items;
	size_t count, alloc;
	repo_path_filter_fn want; /* NULL: every file */
	void *want_payload;
};

static void change_list_add(struct change_list *list, const char *path,
			    const git_tree_entry *old, const git_tree_entry *new)
{
	struct change *c;

	if (list->want && !list->want(path, list->want_payload))
		return;
	ARRAY_GROW(list->items, list->count, list->alloc);
	c = &list->items[list->count++];
	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	if (old) {
		to_mt(&c->old_blob, git_tree_entry_id(old));
		c->old_mode = git_tree_entry_filemode(old);
	}
	if (new) {
		to_mt(&c->new_blob, git_tree_entry_id(new));
		c->new_mode = git_tree_entry_filemode(new);
	}
	c->status = !old ? 'A' : !new ? 'D' : 'M';
}

static void change_list_release(struct change_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(list->items[i].path);
	free(list->items);
}

/* Asks `within` about a changed file (or, with a '/' appended, a changed directory). */
static bool walk_within(struct tree_walk *w, const git_tree_entry *e, bool dir)
{
	size_t dirlen = w->path.len;
	bool ok;

	if (!w->within)
		return true;
	strbuf_addstr(&w->path, git_tree_entry_name(e));
	if (dir)
		strbuf_addch(&w->path, '/');
	ok = w->within(w->path.buf, w->within_payload);
	strbuf_setlen(&w->path, dirlen);
	if (!ok)
		w->outside = true;
	return ok;
}

static bool entry_is_tree(const git_tree_entry *e)
{
	return git_tree_entry_filemode(e) == GIT_FILEMODE_TREE;
}

static int walk_emit(struct tree_walk *w, const git_tree_entry *old, const git_tree_entry *new)
{
	struct mt_diff_file file;
	size_t dirlen = w->path.len;
	int ret;

	memset(&file, 0, sizeof(file));
	strbuf_addstr(&w->path, git_tree_entry_name(old ? old : new));
	if (w->collect) {
		change_list_add(w->collect, w->path.buf, old, new);
		strbuf_setlen(&w->path, dirlen);
		return 0;
	}
	file.old_path = file.new_path = w->path.buf;
	if (old)
		to_mt(&file.old_blob, git_tree_entry_id(old));
	if (new)
		to_mt(&file.new_blob, git_tree_entry_id(new));
	file.status = !old ? 'A' : !new ? 'D' : 'M';
	ret = w->file_cb(&file, w->payload);
	strbuf_setlen(&w->path, dirlen);
	if (ret)
		w->stopped = ret;
	return ret ? -1 : 0;
}

static int walk_trees(struct tree_walk *w, const git_oid *old, const git_oid *new);

/* One entry present on one side or both (same name, same kind). */
static int walk_entry(struct tree_walk *w, const git_tree_entry *old, const git_tree_entry *new)
{
	const git_tree_entry *any = old ? old : new;
	size_t dirlen = w->path.len;
	int ret;

	if (old && new && git_tree_entry_filemode(old) == git_tree_entry_filemode(new) &&
	    git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(new)))
		return 0;
	if (!walk_within(w, any, entry_is_tree(any))) {
		if (w->skip_outside) {
			w->outside = false;
			return 0;
		}
		return -1;
	}
	if (!entry_is_tree(any)) {
		if (old && new && (git_tree_entry_filemode(old) & 0170000) !=
				  (git_tree_entry_filemode(new) & 0170000)) {
			if (walk_emit(w, old, NULL) < 0)
				return -1;
			return walk_emit(w, NULL, new);
		}
		return walk_emit(w, old, new);
	}
	strbuf_addstr(&w->path, git_tree_entry_name(any));
	strbuf_addch(&w->path, '/');
	ret = walk_trees(w, old ? git_tree_entry_id(old) : NULL, new ? git_tree_entry_id(new) : NULL);
	strbuf_setlen(&w->path, dirlen);
	return ret;
}

static int walk_lookup(git_tree **out, struct tree_walk *w, const git_oid *id)
{
	char hex[13];

	*out = NULL;
	if (!id || git_tree_lookup(out, w->repo->git, id) >= 0)
		return 0;
	mt_error_set("commit %s: cannot read tree %s: %s%s", oid_short(hex, w->commit),
		     w->path.len ? w->path.buf : "/", git_message(),
		     repo_is_shallow(w->repo) ? " (the clone is shallow)" : "");
	return -1;
}

/* Merges two trees' entries (either tree may be absent: everything added or deleted). */
static int walk_trees(struct tree_walk *w, const git_oid *old_id, const git_oid *new_id)
{
	git_tree *old = NULL, *new = NULL;
	size_t i = 0, j = 0, nold, nnew;
	int ret = -1;

	if (walk_lookup(&old, w, old_id) < 0 || walk_lookup(&new, w, new_id) < 0)
		goto out;
	nold = old ? git_tree_entrycount(old) : 0;
	nnew = new ? git_tree_entrycount(new) : 0;
	while (i < nold || j < nnew) {
		const git_tree_entry *a = i < nold ? git_tree_entry_byindex(old, i) : NULL;
		const git_tree_entry *b = j < nnew ? git_tree_entry_byindex(new, j) : NULL;
		int c = !a ? 1 : !b ? -1 : git_tree_entry_cmp(a, b);

		if (c < 0)
			ret = walk_entry(w, a, NULL), i++;
		else if (c > 0)
			ret = walk_entry(w, NULL, b), j++;
		else
			ret = walk_entry(w, a, b), i++, j++;
		if (ret < 0)
			goto out;
	}
	ret = 0;
out:
	git_tree_free(old);
	git_tree_free(new);
	return ret;
}

/* Calls file_cb for every file the commit changes against its first parent; see tree_walk. */
static int commit_changes_within(bool *outside, struct mt_repo *repo,
				 const struct mt_oid *commit, repo_path_filter_fn within,
				 void *within_payload, repo_diff_file_fn file_cb, void *payload,
				 struct change_list *collect)
{
	git_tree *tree = NULL, *parent = NULL;
	struct tree_walk w;
	int ret;

	if (outside)
		*outside = false;
	if (commit_trees(&tree, &parent, repo, commit) < 0)
		return MT_ERROR;
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.commit = commit;
	strbuf_init(&w.path);
	w.file_cb = file_cb;
	w.payload = payload;
	w.within = within;
	w.within_payload = within_payload;
	w.collect = collect;
	ret = walk_trees(&w, parent ? git_tree_id(parent) : NULL, git_tree_id(tree));
	strbuf_release(&w.path);
	git_tree_free(parent);
	git_tree_free(tree);
	if (w.stopped)
		return w.stopped;
	if (w.outside) {
		*outside = true;
		return MT_OK;
	}
	return ret < 0 ? MT_ERROR : MT_OK;
}

static int commit_changes(struct mt_repo *repo, const struct mt_oid *commit,
			  repo_diff_file_fn file_cb, void *payload)
{
	return commit_changes_within(NULL, repo, commit, NULL, NULL, file_cb, payload, NULL);
}

/*
 * repo_diff_commit_filtered: the tree walk's changed files, each diffed
 * from the blobs mtcheck caches (the classifier reads the same blobs right
 * after) with libgit2's text diff of two buffers. What each file reports is
 * what git_diff_tree_to_tree and git_diff_foreach reported, following
 * libgit2 1.5's rules (diff_file.c, patch_generate.c, diff_driver.c):
 *  - the `diff` attribute picks the driver: unset is "auto", -diff (or a
 *    driver with diff.NAME.binary true) is binary, diff (or
 *    diff.NAME.binary false) is text;
 *  - a side is binary when its driver says so, or, with "auto", when it is
 *    over REPO_MAX_BLOB_SIZE (then it is never read) or has a NUL in its
 *    first 8000 bytes; the file is binary when either side is;
 *  - a submodule's side is the text "Subproject commit <id>\n";
 *  - an absent side is empty; a file whose sides are both empty, or equal
 *    (a mode change), has no lines.
 */
enum diff_driver { DRIVER_AUTO, DRIVER_TEXT, DRIVER_BINARY };

#define DIFF_BINARY_CHECK_BYTES 8000 /* libgit2's GIT_FILTER_BYTES_TO_CHECK_NUL */

static enum diff_driver named_driver(struct mt_repo *repo, const char *name)
{
	struct strbuf key = STRBUF_INIT;
	git_config *cfg = NULL;
	enum diff_driver drv = DRIVER_AUTO;
	int binary;

	if (git_repository_config_snapshot(&cfg, repo->git) < 0)
		return DRIVER_AUTO;
	strbuf_addf(&key, "diff.%s.binary", name);
	if (git_config_get_bool(&binary, cfg, key.buf) == 0)
		drv = binary ? DRIVER_BINARY : DRIVER_TEXT;
	strbuf_release(&key);
	git_config_free(cfg);
	return drv;
}

static int diff_driver(enum diff_driver *out, struct mt_repo *repo, const char *path)
{
	const char *value = NULL;

	*out = DRIVER_AUTO;
	if (git_attr_get(&value, repo->git, GIT_ATTR_CHECK_FILE_THEN_INDEX, path, "diff") < 0)
		return -1;
	switch (git_attr_value(value)) {
	case GIT_ATTR_VALUE_FALSE:
		*out = DRIVER_BINARY;
		break;
	case GIT_ATTR_VALUE_TRUE:
		*out = DRIVER_TEXT;
		break;
	case GIT_ATTR_VALUE_STRING:
		*out = named_driver(repo, value);
		break;
	default:
		break;
	}
	return 0;
}

/* One side of a changed file, loaded as libgit2's diff loads it. */
struct diff_side {
	const char *data; /* NULL for an absent side */
	size_t len;
	bool binary;
	git_blob *unlimited; /* a file forced to text that is over REPO_MAX_BLOB_SIZE */
	char gitlink[32 + MT_OID_HEXSZ];
};

static int load_side(struct diff_side *out, struct mt_repo *repo, const struct mt_oid *oid,
		     unsigned mode, enum diff_driver drv)
{
	const struct mt_blob *blob = oidmap_get(&repo->blobs, oid);
	git_object_size_t size;
	git_oid id;
	char hex[MT_OID_HEXSZ + 1];

	memset(out, 0, sizeof(*out));
	if (drv == DRIVER_BINARY) {
		out->binary = true;
		return MT_OK;
	}
	if (!mode)
		return MT_OK;
	if (mode == GIT_FILEMODE_COMMIT) {
		oid_to_hex(hex, oid);
		out->len = (size_t)snprintf(out->gitlink, sizeof(out->gitlink),
					    "Subproject commit %s\n", hex);
		out->data = out->gitlink;
		return MT_OK;
	}
	if (!blob) {
		to_git(&id, oid);
		if (blob_size(&size, repo, &id) < 0)
			return mt_error_set("blob %s: cannot read: %s", oid_short(hex, oid),
					    git_message());
		if (size > REPO_MAX_BLOB_SIZE && drv == DRIVER_AUTO) {
			out->binary = true; /* never read */
			return MT_OK;
		}
		if (size > REPO_MAX_BLOB_SIZE) {
			if (git_blob_lookup(&out->unlimited, repo->git, &id) < 0)
				return mt_error_set("blob %s: cannot read: %s", oid_short(hex, oid),
						    git_message());
			out->data = git_blob_rawcontent(out->unlimited);
			out->len = (size_t)git_blob_rawsize(out->unlimited);
			return MT_OK;
		}
		if (repo_read_blob(&blob, repo, oid) < 0)
			return MT_ERROR;
	}
	out->data = blob->data;
	out->len = blob->len;
	if (drv == DRIVER_AUTO)
		out->binary = memchr(blob->data, '\0', blob->len < DIFF_BINARY_CHECK_BYTES ?
						       blob->len : DIFF_BINARY_CHECK_BYTES) != NULL;
	return MT_OK;
}

struct diff_walk {
	repo_diff_file_fn file_cb;
	repo_diff_line_fn line_cb;
	void *payload;
	struct mt_diff_file file;
	int stopped; /* the caller's non-zero return value */
};

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct diff_walk *w = payload;
	struct mt_diff_line l;

	(void)delta;
	(void)hunk;
	if (line->origin != GIT_DIFF_LINE_ADDITION && line->origin != GIT_DIFF_LINE_DELETION &&
	    line->origin != GIT_DIFF_LINE_CONTEXT)
		return 0;
	l.origin = line->origin;
	l.old_lineno = line->old_lineno;
	l.new_lineno = line->new_lineno;
	l.content = line->content;
	l.len = line->content_len;
	if ((w->stopped = w->line_cb(&w->file, &l, w->payload)))
		return -1;
	return 0;
}

/* Reports one changed file and, with a line callback, its lines. */
static int diff_change(struct diff_walk *w, struct mt_repo *repo, const struct mt_oid *commit,
		       const struct change *c, unsigned context)
{
	struct diff_side old, new;
	enum diff_driver drv;
	git_diff_options opts;
	char hex[13];
	int ret = MT_ERROR;

	memset(&old, 0, sizeof(old));
	memset(&new, 0, sizeof(new));
	if (diff_driver(&drv, repo, c->path) < 0) {
		mt_error_set("commit %s: %s: cannot diff: %s", oid_short(hex, commit), c->path,
			     git_message());
		goto out;
	}
	if (load_side(&old, repo, &c->old_blob, c->old_mode, drv) < 0 ||
	    load_side(&new, repo, &c->new_blob, c->new_mode, drv) < 0) {
		mt_error_prefix("commit %s: %s: cannot diff", oid_short(hex, commit), c->path);
		goto out;
	}
	w->file.old_path = w->file.new_path = c->path;
	w->file.old_blob = c->old_blob;
	w->file.new_blob = c->new_blob;
	w->file.status = c->status;
	w->file.binary = old.binary || new.binary;
	if (w->file_cb && (w->stopped = w->file_cb(&w->file, w->payload))) {
		ret = w->stopped;
		goto out;
	}
	ret = MT_OK;
	if (!w->line_cb || w->file.binary || (!old.len && !new.len) ||
	    (old.len == new.len && oid_equal(&c->old_blob, &c->new_blob)))
		goto out;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = context;
	opts.flags |= GIT_DIFF_FORCE_TEXT; /* decided above */
	if (git_diff_buffers(old.data, old.len, c->path, new.data, new.len, c->path, &opts, NULL,
			     NULL, NULL, on_line, w) < 0) {
		if (w->stopped)
			ret = w->stopped;
		else
			ret = mt_error_set("commit %s: %s: cannot diff: %s", oid_short(hex, commit),
					   c->path, git_message());
	}
out:
	git_blob_free(old.unlimited);
	git_blob_free(new.unlimited);
	return ret;
}

int repo_diff_commit_filtered(struct mt_repo *repo, const struct mt_oid *commit, unsigned context,
			      repo_path_filter_fn want, void *want_payload,
			      repo_diff_file_fn file_cb, repo_diff_line_fn line_cb, void *payload)
{
	struct change_list changes;
	struct diff_walk w;
	size_t i;
	int ret;

	memset(&changes, 0, sizeof(changes));
	changes.want = want;
	changes.want_payload = want_payload;
	memset(&w, 0, sizeof(w));
	w.file_cb = file_cb;
	w.line_cb = line_cb;
	w.payload = payload;
	ret = commit_changes_within(NULL, repo, commit, NULL, NULL, NULL, NULL, &changes);
	for (i = 0; ret == MT_OK && i < changes.count; i++)
		ret = diff_change(&w, repo, commit, &changes.items[i], context);
	change_list_release(&changes);
	return ret;
}

int repo_diff_commit(struct mt_repo *repo, const struct mt_oid *commit, unsigned context,
		     repo_diff_file_fn file_cb, repo_diff_line_fn line_cb, void *payload)
{
	return repo_diff_commit_filtered(repo, commit, context, NULL, NULL, file_cb, line_cb,
					 payload);
}

int repo_diff_commit_paths(struct mt_repo *repo, const struct mt_oid *commit,
			   repo_diff_file_fn file_cb, void *payload)
{
	return commit_changes(repo, commit, file_cb, payload);
}

static int stop_at_first(const struct mt_diff_file *file, void *payload)
{
	(void)file;
	(void)payload;
	return 1;
}

int repo_paths_differ(bool *out, struct mt_repo *repo, const struct mt_oid *a,
		      const struct mt_oid *b, repo_path_filter_fn want, void *want_payload)
{
	git_tree *old = NULL, *new = NULL;
	struct tree_walk w;
	int ret;

	*out = false;
	if (lookup_tree(&old, repo, a) < 0 || lookup_tree(&new, repo, b) < 0) {
		git_tree_free(old);
		return MT_ERROR;
	}
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.commit = b;
	strbuf_init(&w.path);
	w.file_cb = stop_at_first;
	w.within = want;
	w.within_payload = want_payload;
	w.skip_outside = true;
	ret = walk_trees(&w, git_tree_id(old), git_tree_id(new));
	strbuf_release(&w.path);
	git_tree_free(old);
	git_tree_free(new);
	*out = w.stopped != 0;
	return ret < 0 && !w.stopped ? MT_ERROR : MT_OK;
}

int repo_diff_commit_paths_pruned(struct mt_repo *repo, const struct mt_oid *commit,
				  repo_path_filter_fn want, void *want_payload,
				  repo_diff_file_fn file_cb, void *payload)
{
	git_tree *tree = NULL, *parent = NULL;
	struct tree_walk w;
	int ret;

	if (commit_trees(&tree, &parent, repo, commit) < 0)
		return MT_ERROR;
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.commit = commit;
	strbuf_init(&w.path);
	w.file_cb = file_cb;
	w.payload = payload;
	w.within = want;
	w.within_payload = want_payload;
	w.skip_outside = true;
	ret = walk_trees(&w, parent ? git_tree_id(parent) : NULL, git_tree_id(tree));
	strbuf_release(&w.path);
	git_tree_free(parent);
	git_tree_free(tree);
	if (w.stopped)
		return w.stopped;
	return ret < 0 ? MT_ERROR : MT_OK;
}

int repo_commit_changes_any(bool *out, struct mt_repo *repo, const struct mt_oid *commit,
			    repo_path_filter_fn want, void *want_payload)
{
	int ret = repo_diff_commit_paths_pruned(repo, commit, want, want_payload, stop_at_first,
						NULL);

	*out = ret > 0;
	return ret < 0 ? MT_ERROR : MT_OK;
}

/*
 * A patch id: the diff with 3 lines of context, whitespace and line numbers
 * ignored, as git patch-id does. Each file's paths and lines are hashed on
 * their own (a binary file by its blob ids), then the file digests in path
 * order: equal for equal patches, and only the patch's own text is ever
 * held in memory.
 */
struct patch_id {
	struct strbuf file;  /* the current file's paths and lines */
	struct strbuf files; /* the digests of the files done */
	bool open;
};

static int patch_id_flush(struct patch_id *p)
{
	git_oid id;

	if (!p->open)
		return 0;
	if (git_odb_hash(&id, p->file.buf, p->file.len, GIT_OBJECT_BLOB) < 0)
		return -1;
	strbuf_add(&p->files, id.id, GIT_OID_RAWSZ);
	strbuf_reset(&p->file);
	p->open = false;
	return 0;
}

static int patch_id_file(const struct mt_diff_file *f, void *payload)
{
	struct patch_id *p = payload;
	char hex[MT_OID_HEXSZ + 1];

	if (patch_id_flush(p) < 0)
		return 1; /* stops the diff: the hash failed */
	p->open = true;
	strbuf_addf(&p->file, "%s%c%s%c%c", f->old_path ? f->old_path : "", 0,
		    f->new_path ? f->new_path : "", 0, f->status);
	if (f->binary) {
		oid_to_hex(hex, &f->old_blob);
		strbuf_addstr(&p->file, hex);
		oid_to_hex(hex, &f->new_blob);
		strbuf_addstr(&p->file, hex);
	}
	return 0;
}

static int patch_id_line(const struct mt_diff_file *f, const struct mt_diff_line *line,
			 void *payload)
{
	struct patch_id *p = payload;
	size_t i;

	(void)f;
	strbuf_addch(&p->file, line->origin);
	for (i = 0; i < line->len; i++) {
		char c = line->content[i];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f')
			strbuf_addch(&p->file, c);
	}
	strbuf_addch(&p->file, '\n');
	return 0;
}

int repo_patch_id(struct mt_oid *out, struct mt_repo *repo, const struct mt_oid *commit)
{
	struct patch_id p = { STRBUF_INIT, STRBUF_INIT, false };
	git_oid id;
	char hex[13];
	int ret;

	ret = repo_diff_commit(repo, commit, 3, patch_id_file, patch_id_line, &p);
	if (ret > 0 || (ret == 0 && (patch_id_flush(&p) < 0 ||
				     git_odb_hash(&id, p.files.buf, p.files.len, GIT_OBJECT_BLOB) < 0)))
		ret = mt_error_set("commit %s: cannot compute patch id: %s",
				   oid_short(hex, commit), git_message());
	if (ret == 0)
		to_mt(out, &id);
	strbuf_release(&p.file);
	strbuf_release(&p.files);
	return ret < 0 ? MT_ERROR : MT_OK;
}

/*
 * repo_graph_load: the commits reachable from a tip, read with the object
 * store's raw reader (no full commit parse) and put in the order libgit2's
 * topological, reversed walk gives, so that lists cut from the graph are
 * the lists a walk would have given: first the commits as a date-ordered
 * walk meets them (newest committer time first, ties in the order met),
 * then children before parents taking the last commit made ready first,
 * then reversed.
 */
struct graph_node {
	struct mt_oid oid;
	int64_t time, author_time;
	uint64_t subject;
	size_t first_parent, nparents; /* into the loader's parent ids */
};

struct graph_loader {
	git_odb *odb;
	struct graph_node *nodes;
	size_t n, alloc;
	struct mt_oid *parents;         /* every node's parent ids, in order */
	size_t nparents, parents_alloc;
	struct oidmap seen;             /* oid -> node number + 1 */
	size_t *heap;                   /* node numbers, newest (then first met) on top */
	size_t nheap, heap_alloc;
};

static bool graph_before(const struct graph_loader *l, size_t a, size_t b)
{
	const struct graph_node *x = &l->nodes[a], *y = &l->nodes[b];

	return x->time != y->time ? x->time > y->time : a < b; /* node numbers: order met */
}

static void graph_push(struct graph_loader *l, size_t node)
{
	size_t i;

	ARRAY_GROW(l->heap, l->nheap, l->heap_alloc);
	i = l->nheap++;
	l->heap[i] = node;
	while (i > 0 && graph_before(l, l->heap[i], l->heap[(i - 1) / 2])) {
		size_t up = (i - 1) / 2, t = l->heap[up];

		l->heap[up] = l->heap[i];
		l->heap[i] = t;
		i = up;
	}
}

static size_t graph_pop(struct graph_loader *l)
{
	size_t top = l->heap[0], i = 0;

	l->heap[0] = l->heap[--l->nheap];
	for (;;) {
		size_t a = 2 * i + 1, b = a + 1, best = i, t;

		if (a < l->nheap && graph_before(l, l->heap[a], l->heap[best]))
			best = a;
		if (b < l->nheap && graph_before(l, l->heap[b], l->heap[best]))
			best = b;
		if (best == i)
			break;
		t = l->heap[best];
		l->heap[best] = l->heap[i];
		l->heap[i] = t;
		i = best;
	}
	return top;
}

/* The time from a raw commit's "author|committer NAME <EMAIL> TIME TZ" line. */
static int64_t raw_ident_time(const char *line, const char *eol)
{
	const char *gt = NULL, *p;
	int64_t t = 0;

	for (p = line; p < eol; p++) {
		if (*p == '>')
			gt = p;
	}
	if (!gt)
		return 0;
	for (p = gt + 1; p < eol && *p == ' '; p++)
		;
	for (; p < eol && *p >= '0' && *p <= '9'; p++)
		t = t * 10 + (*p - '0');
	return t;
}

/*
 * Reads a commit when first met: its times and subject key, and its parent
 * ids appended to l->parents.
 */
static int graph_read(struct graph_loader *l, struct graph_node *node)
{
	git_odb_object *obj = NULL;
	git_oid id;
	const char *p, *end;
	char hex[13];

	node->first_parent = l->nparents;
	to_git(&id, &node->oid);
	if (git_odb_read(&obj, l->odb, &id) < 0)
		return mt_error_set("commit %s: cannot read: %s", oid_short(hex, &node->oid),
				    git_message());
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(obj);
		return mt_error_set("%s: not a commit", oid_short(hex, &node->oid));
	}
	p = git_odb_object_data(obj);
	end = p + git_odb_object_size(obj);
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) == 7 + MT_OID_HEXSZ && !strncmp(p, "parent ", 7)) {
			if (git_oid_fromstrn(&id, p + 7, MT_OID_HEXSZ) < 0) {
				git_odb_object_free(obj);
				return mt_error_set("commit %s: bad parent line",
						    oid_short(hex, &node->oid));
			}
			ARRAY_GROW(l->parents, l->nparents, l->parents_alloc);
			to_mt(&l->parents[l->nparents++], &id);
			node->nparents++;
		} else if ((size_t)(eol - p) > 10 && !strncmp(p, "committer ", 10)) {
			node->time = raw_ident_time(p, eol);
		} else if ((size_t)(eol - p) > 7 && !strncmp(p, "author ", 7)) {
			node->author_time = raw_ident_time(p, eol);
		}
		p = eol + 1;
	}
	if (p < end)
		node->subject = subject_key(p + 1, (size_t)(end - p - 1));
	git_odb_object_free(obj);
	return MT_OK;
}

/* The node of `oid`, read when first met; *met tells whether it was known already. */
static int graph_node(size_t *out, bool *met, struct graph_loader *l, const struct mt_oid *oid)
{
	uintptr_t at = (uintptr_t)oidmap_get(&l->seen, oid);
	struct graph_node *node;

	*met = at != 0;
	if (at) {
		*out = at - 1;
		return MT_OK;
	}
	ARRAY_GROW(l->nodes, l->n, l->alloc);
	node = &l->nodes[l->n];
	memset(node, 0, sizeof(*node));
	node->oid = *oid;
	oidmap_put(&l->seen, oid, (void *)(uintptr_t)(l->n + 1));
	*out = l->n++;
	return graph_read(l, node);
}

/* The date-ordered walk: every node reachable from the tip, in the order taken. */
static int graph_discover(size_t **order, size_t *norder, struct graph_loader *l,
			  const struct mt_oid *tip)
{
	size_t node, alloc = 0;
	bool met;

	if (graph_node(&node, &met, l, tip) < 0)
		return MT_ERROR;
	graph_push(l, node);
	while (l->nheap) {
		size_t i, first, n;

		node = graph_pop(l);
		ARRAY_GROW(*order, *norder, alloc);
		(*order)[(*norder)++] = node;
		first = l->nodes[node].first_parent;
		n = l->nodes[node].nparents;
		for (i = 0; i < n; i++) {
			struct mt_oid parent = l->parents[first + i]; /* l->parents may move */
			size_t p;

			if (graph_node(&p, &met, l, &parent) < 0)
				return MT_ERROR;
			if (!met)
				graph_push(l, p);
		}
	}
	return MT_OK;
}

bool repo_graph_find(size_t *out, const struct repo_graph *g, const struct mt_oid *commit)
{
	uintptr_t at = (uintptr_t)oidmap_get(&g->index, commit);

	if (at)
		*out = at - 1;
	return at != 0;
}

void repo_graph_release(struct repo_graph *g)
{
	free(g->commits);
	free(g->times);
	free(g->author_times);
	free(g->subject_keys);
	free(g->parent_at);
	free(g->parents);
	oidmap_release(&g->index);
	memset(g, 0, sizeof(*g));
}

/* The per-commit arrays of a graph of n commits with nparents parent links. */
static void graph_alloc(struct repo_graph *g, size_t n, size_t nparents)
{
	g->times = xcalloc(n + 1, sizeof(*g->times));
	g->author_times = xcalloc(n + 1, sizeof(*g->author_times));
	g->subject_keys = xcalloc(n + 1, sizeof(*g->subject_keys));
	g->parent_at = xcalloc(n + 1, sizeof(*g->parent_at));
	g->parents = xcalloc(nparents + 1, sizeof(*g->parents));
}


/*
 * graph_load_range: tip ^hide read once, in the order repo_walk(tip, hide,
 * REPO_WALK_TOPO | REPO_WALK_REVERSE) lists it. That order is libgit2 1.5's
 * (revwalk.c), emulated step for step because its heuristics decide what is
 * listed, not only where: a list ordered by committer time (ties in the
 * order inserted) starting as tip then hide; each commit taken from it puts
 * its parents in (an uninteresting one puts them in again, marked); the walk
 * stops when five commits in a row were uninteresting and nothing
 * interesting or newer than the last interesting commit is left, so with
 * clock skew a commit hide reaches can still be listed, as git lists it.
 * Commits are read when libgit2 would read them, not before: in a shallow
 * clone, what the walk never reaches need not exist.
 */
enum { RANGE_PARSED = 1, RANGE_SEEN = 2, RANGE_ADDED = 4, RANGE_HIDDEN = 8 };
#define RANGE_NONE SIZE_MAX
#define RANGE_SLOP 5

struct range_cell {
	size_t node, next;
};

struct range_walk {
	struct graph_loader l;
	struct mt_repo *repo;
	const struct mt_oid *tip;    /* for messages */
	size_t *pnode;               /* the node of each of l.parents */
	size_t pnode_alloc;
	unsigned char *flags;        /* RANGE_* of each node */
	size_t flags_alloc;
	struct range_cell *cells;    /* the date-ordered list, as linked cells */
	size_t ncells, cells_alloc, free_cell;
	size_t *stack;               /* for marking hidden ancestors */
	size_t nstack, stack_alloc;
};

static size_t range_node(struct range_walk *w, const struct mt_oid *oid)
{
	uintptr_t at = (uintptr_t)oidmap_get(&w->l.seen, oid);

	if (at)
		return at - 1;
	ARRAY_GROW(w->l.nodes, w->l.n, w->l.alloc);
	ARRAY_GROW(w->flags, w->l.n, w->flags_alloc);
	memset(&w->l.nodes[w->l.n], 0, sizeof(w->l.nodes[w->l.n]));
	w->l.nodes[w->l.n].oid = *oid;
	w->flags[w->l.n] = 0;
	oidmap_put(&w->l.seen, oid, (void *)(uintptr_t)(w->l.n + 1));
	return w->l.n++;
}

/*
 * Reads a node's commit the first time the walk needs its time or parents;
 * errors are worded as repo_walk's: for the tip and the hide (`pushed`),
 * then for commits met on the way.
 */
static int range_parse(struct range_walk *w, size_t node, bool pushed)
{
	const git_error *e;
	size_t i, first;
	char hex[13];

	if (w->flags[node] & RANGE_PARSED)
		return MT_OK;
	git_error_clear();
	if (graph_read(&w->l, &w->l.nodes[node]) < 0) {
		e = git_error_last();
		if (pushed)
			return mt_error_set("commit %s: cannot walk from it: %s",
					    oid_short(hex, &w->l.nodes[node].oid),
					    e && e->message ? e->message : "object is no commit object");
		return mt_error_set("history walk from %s stopped: %s%s", oid_short(hex, w->tip),
				    e && e->message ? e->message : "object is no commit object",
				    repo_is_shallow(w->repo) ? " (the clone is shallow)" : "");
	}
	w->flags[node] |= RANGE_PARSED;
	first = w->l.nodes[node].first_parent;
	for (i = 0; i < w->l.nodes[node].nparents; i++) {
		struct mt_oid parent = w->l.parents[first + i];

		ARRAY_GROW(w->pnode, first + i, w->pnode_alloc);
		w->pnode[first + i] = range_node(w, &parent);
	}
	return MT_OK;
}

/* The parent of a parsed node; nodes move as they are added, so look them up each time. */
static size_t range_parent(const struct range_walk *w, size_t node, size_t i)
{
	return w->pnode[w->l.nodes[node].first_parent + i];
}

/*
 * Marks hidden what is reachable from the node's parents through commits
 * already read and not hidden before (libgit2's mark_parents_uninteresting).
 */
static void range_hide_parents(struct range_walk *w, size_t node)
{
	size_t i;

	for (i = 0; i < w->l.nodes[node].nparents; i++) {
		ARRAY_GROW(w->stack, w->nstack, w->stack_alloc);
		w->stack[w->nstack++] = range_parent(w, node, i);
	}
	while (w->nstack) {
		size_t n = w->stack[--w->nstack];

		if (w->flags[n] & RANGE_HIDDEN)
			continue;
		w->flags[n] |= RANGE_HIDDEN;
		if (!(w->flags[n] & RANGE_PARSED))
			continue;
		for (i = 0; i < w->l.nodes[n].nparents; i++) {
			ARRAY_GROW(w->stack, w->nstack, w->stack_alloc);
			w->stack[w->nstack++] = range_parent(w, n, i);
		}
	}
}

/* Inserts after every entry at least as new (libgit2's git_commit_list_insert_by_date). */
static void range_insert(struct range_walk *w, size_t *head, size_t node)
{
	size_t cell, *pp = head;
	int64_t time = w->l.nodes[node].time;

	if (w->free_cell != RANGE_NONE) {
		cell = w->free_cell;
		w->free_cell = w->cells[cell].next;
	} else {
		ARRAY_GROW(w->cells, w->ncells, w->cells_alloc);
		cell = w->ncells++;
	}
	while (*pp != RANGE_NONE && w->l.nodes[w->cells[*pp].node].time >= time)
		pp = &w->cells[*pp].next;
	w->cells[cell].node = node;
	w->cells[cell].next = *pp;
	*pp = cell;
}

static size_t range_pop(struct range_walk *w, size_t *head)
{
	size_t cell = *head, node = w->cells[cell].node;

	*head = w->cells[cell].next;
	w->cells[cell].next = w->free_cell;
	w->free_cell = cell;
	return node;
}

/* libgit2's add_parents_to_list. */
static int range_add_parents(struct range_walk *w, size_t *head, size_t node)
{
	bool hidden = (w->flags[node] & RANGE_HIDDEN) != 0;
	size_t i, p;

	if (w->flags[node] & RANGE_ADDED)
		return MT_OK;
	w->flags[node] |= RANGE_ADDED;
	for (i = 0; i < w->l.nodes[node].nparents; i++) {
		p = range_parent(w, node, i);
		if (hidden)
			w->flags[p] |= RANGE_HIDDEN;
		if (range_parse(w, p, false) < 0)
			return MT_ERROR;
		if (hidden) {
			range_hide_parents(w, p);
			w->flags[p] |= RANGE_SEEN;
			range_insert(w, head, p); /* again if it was there: marked now */
		} else if (!(w->flags[p] & RANGE_SEEN)) {
			w->flags[p] |= RANGE_SEEN;
			range_insert(w, head, p);
		}
	}
	return MT_OK;
}

/* libgit2's still_interesting: how many more hidden commits to take before stopping. */
static int range_slop(const struct range_walk *w, size_t head, int64_t time, int slop)
{
	size_t cell;

	if (head == RANGE_NONE)
		return 0;
	if (time <= w->l.nodes[w->cells[head].node].time)
		return RANGE_SLOP;
	for (cell = head; cell != RANGE_NONE; cell = w->cells[cell].next) {
		const size_t node = w->cells[cell].node;

		if (!(w->flags[node] & RANGE_HIDDEN) || w->l.nodes[node].time > time)
			return RANGE_SLOP;
	}
	return slop - 1;
}

/* libgit2's limit_list: the commits taken while they were interesting, in the order taken. */
static int range_limit(size_t **out, size_t *out_count, struct range_walk *w, size_t tip,
		       size_t hide)
{
	size_t head = RANGE_NONE, alloc = 0, node;
	int64_t time = INT64_MAX;
	int slop = RANGE_SLOP;

	/*
	 * libgit2 keeps what was pushed newest first (hide, then tip) and puts
	 * each at the front of the list, so the list starts tip, hide.
	 */
	w->flags[hide] |= RANGE_HIDDEN;
	if (range_parse(w, hide, false) < 0)
		return MT_ERROR;
	range_hide_parents(w, hide);
	w->flags[hide] |= RANGE_SEEN;
	range_insert(w, &head, hide);
	if (w->flags[tip] & RANGE_HIDDEN) /* tip == hide, or hide descends from it */
		range_hide_parents(w, tip);
	if (!(w->flags[tip] & RANGE_SEEN)) {
		size_t cell;

		w->flags[tip] |= RANGE_SEEN;
		ARRAY_GROW(w->cells, w->ncells, w->cells_alloc);
		cell = w->ncells++;
		w->cells[cell].node = tip;
		w->cells[cell].next = head;
		head = cell;
	}
	while (head != RANGE_NONE) {
		node = range_pop(w, &head);
		if (range_add_parents(w, &head, node) < 0)
			return MT_ERROR;
		if (w->flags[node] & RANGE_HIDDEN) {
			range_hide_parents(w, node);
			slop = range_slop(w, head, time, slop);
			if (slop)
				continue;
			break;
		}
		time = w->l.nodes[node].time;
		ARRAY_GROW(*out, *out_count, alloc);
		(*out)[(*out_count)++] = node;
	}
	return MT_OK;
}

static int graph_load_range(struct repo_graph *out, struct mt_repo *repo, const struct mt_oid *tip,
			    const struct mt_oid *hide)
{
	struct range_walk w;
	size_t *taken = NULL, ntaken = 0, *indeg = NULL, *stack = NULL, *listed = NULL;
	size_t nstack = 0, nlisted = 0, tipn, hiden, i, j, k, n, at;
	int ret = MT_ERROR;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.repo = repo;
	w.tip = tip;
	w.free_cell = RANGE_NONE;
	if (git_repository_odb(&w.l.odb, repo->git) < 0) {
		mt_error_set("cannot open the object store: %s", git_message());
		goto out;
	}
	/* libgit2 looks both up when they are pushed, before walking. */
	tipn = range_node(&w, tip);
	if (range_parse(&w, tipn, true) < 0)
		goto out;
	hiden = range_node(&w, hide);
	if (range_parse(&w, hiden, true) < 0)
		goto out;
	if (range_limit(&taken, &ntaken, &w, tipn, hiden) < 0)
		goto out;

	/*
	 * Children before parents among the commits taken, the first taken
	 * on top, each parent made ready pushed on top; commits hidden after
	 * they were taken are sorted but not listed. Then reversed.
	 */
	n = w.l.n;
	indeg = xcalloc(n + 1, sizeof(*indeg));
	stack = xcalloc(ntaken + 1, sizeof(*stack));
	listed = xcalloc(ntaken + 1, sizeof(*listed));
	for (i = 0; i < ntaken; i++)
		indeg[taken[i]] = 1;
	for (i = 0; i < ntaken; i++) {
		for (j = 0; j < w.l.nodes[taken[i]].nparents; j++) {
			size_t p = range_parent(&w, taken[i], j);

			if (indeg[p])
				indeg[p]++;
		}
	}
	for (i = ntaken; i-- > 0;) {
		if (indeg[taken[i]] == 1)
			stack[nstack++] = taken[i];
	}
	while (nstack) {
		size_t node = stack[--nstack];

		for (j = 0; j < w.l.nodes[node].nparents; j++) {
			size_t p = range_parent(&w, node, j);

			if (indeg[p] && --indeg[p] == 1)
				stack[nstack++] = p;
		}
		indeg[node] = 0;
		if (!(w.flags[node] & RANGE_HIDDEN))
			listed[nlisted++] = node;
	}

	out->count = nlisted;
	out->commits = xcalloc(nlisted + 1, sizeof(*out->commits));
	graph_alloc(out, nlisted, w.l.nparents);
	for (i = 0; i < nlisted; i++) {
		const struct graph_node *node = &w.l.nodes[listed[nlisted - 1 - i]];

		out->commits[i] = node->oid;
		out->times[i] = node->time;
		out->author_times[i] = node->author_time;
		out->subject_keys[i] = node->subject;
		oidmap_put(&out->index, &node->oid, (void *)(uintptr_t)(i + 1));
	}
	for (i = 0, k = 0; i < nlisted; i++) {
		const struct graph_node *node = &w.l.nodes[listed[nlisted - 1 - i]];

		out->parent_at[i] = k;
		for (j = 0; j < node->nparents; j++) {
			if (repo_graph_find(&at, out, &w.l.parents[node->first_parent + j]))
				out->parents[k++] = at;
		}
	}
	out->parent_at[nlisted] = k;
	ret = MT_OK;
out:
	if (ret < 0)
		repo_graph_release(out);
	free(taken);
	free(indeg);
	free(stack);
	free(listed);
	free(w.pnode);
	free(w.flags);
	free(w.cells);
	free(w.stack);
	free(w.l.nodes);
	free(w.l.parents);
	oidmap_release(&w.l.seen);
	git_odb_free(w.l.odb);
	return ret;
}

int repo_graph_load(struct repo_graph *out, struct mt_repo *repo, const struct mt_oid *tip,
		    const struct mt_oid *hide)
{
	struct graph_loader l;
	size_t *order = NULL, norder = 0, *pnode = NULL, *indeg = NULL, *stack = NULL;
	size_t *pos = NULL, nstack = 0, i, j, k, n;
	int ret = MT_ERROR;

	if (hide)
		return graph_load_range(out, repo, tip, hide);
	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	if (git_repository_odb(&l.odb, repo->git) < 0) {
		mt_error_set("cannot open the object store: %s", git_message());
		goto out;
	}
	if (graph_discover(&order, &norder, &l, tip) < 0)
		goto out;
	n = l.n;
	pnode = xcalloc(l.nparents + 1, sizeof(*pnode));
	for (i = 0; i < l.nparents; i++)
		pnode[i] = (uintptr_t)oidmap_get(&l.seen, &l.parents[i]) - 1;
	/* Children before parents: a parent is ready once all its children are out. */
	indeg = xcalloc(n + 1, sizeof(*indeg));
	stack = xcalloc(n + 1, sizeof(*stack));
	pos = xcalloc(n + 1, sizeof(*pos));
	for (i = 0; i < n; i++)
		indeg[i] = 1;
	for (i = 0; i < n; i++) {
		const struct graph_node *node = &l.nodes[i];

		for (j = 0; j < node->nparents; j++)
			indeg[pnode[node->first_parent + j]]++;
	}
	for (i = norder; i-- > 0;) {
		if (indeg[order[i]] == 1)
			stack[nstack++] = order[i]; /* the first met on top */
	}
	for (k = 0; nstack; k++) {
		size_t node = stack[--nstack];
		const struct graph_node *gn = &l.nodes[node];

		for (j = 0; j < gn->nparents; j++) {
			size_t p = pnode[gn->first_parent + j];

			if (indeg[p] && --indeg[p] == 1)
				stack[nstack++] = p;
		}
		indeg[node] = 0;
		pos[node] = n - 1 - k; /* then reversed: oldest first */
	}
	out->count = n;
	out->commits = xcalloc(n + 1, sizeof(*out->commits));
	graph_alloc(out, n, l.nparents);
	for (i = 0; i < n; i++) {
		out->commits[pos[i]] = l.nodes[i].oid;
		out->times[pos[i]] = l.nodes[i].time;
		out->author_times[pos[i]] = l.nodes[i].author_time;
		out->subject_keys[pos[i]] = l.nodes[i].subject;
		out->parent_at[pos[i]] = l.nodes[i].nparents; /* counts first, then offsets */
	}
	for (i = 0, k = 0; i < n; i++) {
		size_t c = out->parent_at[i];

		out->parent_at[i] = k;
		k += c;
	}
	out->parent_at[n] = k;
	for (i = 0; i < n; i++) {
		const struct graph_node *node = &l.nodes[i];

		for (j = 0; j < node->nparents; j++)
			out->parents[out->parent_at[pos[i]] + j] = pos[pnode[node->first_parent + j]];
	}
	for (i = 0; i < n; i++)
		oidmap_put(&out->index, &out->commits[i], (void *)(uintptr_t)(i + 1));
	ret = MT_OK;
out:
	if (ret < 0)
		repo_graph_release(out);
	free(order);
	free(pnode);
	free(indeg);
	free(stack);
	free(pos);
	free(l.nodes);
	free(l.parents);
	free(l.heap);
	oidmap_release(&l.seen);
	git_odb_free(l.odb);
	return ret;
}
