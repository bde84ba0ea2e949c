/*
 * The libgit2 boundary. Every call into libgit2 is in this module (this
 * file: repository, refs, commits and blobs; repo_diff.c; repo_graph.c;
 * repo_pack.c and repo_tree.c, which read the pack files themselves), so
 * the rest of mtcheck works on plain structs and object ids, and the
 * read-only promise can be checked in one place: nothing here creates,
 * updates or locks anything.
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/oidmap.h"
#include "repo_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Whether dir/.git exists at all, as anything (a link that leads nowhere included). */
static bool has_dot_git(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	bool has;

	strbuf_addf(&sb, "%s/.git", dir);
	has = lstat(sb.buf, &st) == 0;
	strbuf_release(&sb);
	return has;
}

int repo_open(struct mt_repo **out, const char *path)
{
	struct mt_repo *repo;
	const char *env = getenv("GIT_DIR");
	/* As git does: without --repo, GIT_DIR names the repository, and nothing else is searched. */
	bool from_env = !path && env && *env;
	const char *where;
	struct stat st;
	int err;

	if (from_env)
		path = env;
	where = path ? path : ".";

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
	 * No libgit2 object cache: every object comes through the pack backend
	 * (repo_pack.c), whose delta-base cache serves neighbouring versions,
	 * and mtcheck keeps its own blobs and master's commits. With libgit2's
	 * cache on as well (trees up to 1 MiB, 32 MiB in all), storing and
	 * evicting trees cost 10 to 20 % of `audit`'s user time and 40 MB.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);

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
	if (err == GIT_ENOTFOUND && path && !from_env && !has_dot_git(path)) {
		/*
		 * A path inside a work tree is fine too: search upward from it.
		 * Not when the path has a .git of its own that failed to open
		 * (a dangling or looping link): that repository is the one meant,
		 * and the one around it would be read instead.
		 */
		err = git_repository_open_ext(&repo->git, where, 0, NULL);
	}
	if (err < 0) {
		if (err == GIT_ENOTFOUND && from_env)
			mt_error_set("GIT_DIR=%s: not a git repository", where);
		else if (err == GIT_ENOTFOUND && path && has_dot_git(path))
			mt_error_set("%s/.git: cannot open repository: %s", where, git_message());
		else if (err == GIT_ENOTFOUND)
			mt_error_set("%s: not a git repository (or any parent up to /)", where);
		else
			mt_error_set("%s: cannot open repository: %s", where, git_message());
		free(repo);
		git_libgit2_shutdown();
		return MT_ERROR;
	}
	/* Every read goes through the pack reader and its delta-base cache first. */
	if (pack_backend_add(repo->git) < 0) {
		mt_error_set("%s: cannot open the object database: %s", where, git_message());
		git_repository_free(repo->git);
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
	/* A damaged index hides objects or misplaces them: refused before anything is read. */
	if (repo_verify_pack_indexes(repo) < 0) {
		repo_free(repo);
		return MT_ERROR;
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
	strmap_release(&repo->diff_drivers);
	git_repository_free(repo->git);
	free(repo->display_path);
	free(repo);
	git_libgit2_shutdown();
}

const char *repo_display_path(const struct mt_repo *repo)
{
	return repo->display_path;
}

/* "https://user:token@host/x" -> "https://host/x"; a URL without "//" is kept. */
static char *without_credentials(const char *url)
{
	const char *host = strstr(url, "://"), *at, *slash;
	struct strbuf sb = STRBUF_INIT;

	if (!host)
		return xstrdup(url);
	host += 3;
	slash = strchr(host, '/');
	at = memchr(host, '@', slash ? (size_t)(slash - host) : strlen(host));
	strbuf_add(&sb, url, (size_t)(host - url));
	strbuf_addstr(&sb, at ? at + 1 : host);
	return strbuf_detach(&sb, NULL);
}

char *repo_uri(struct mt_repo *repo)
{
	git_config *config = NULL;
	git_buf url = GIT_BUF_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *out = NULL;

	if (git_repository_config_snapshot(&config, repo->git) == 0 &&
	    git_config_get_string_buf(&url, config, "remote.origin.url") == 0 && url.size)
		out = without_credentials(url.ptr);
	git_buf_dispose(&url);
	git_config_free(config);
	if (out)
		return out;
	strbuf_addstr(&sb, "file://");
	strbuf_addstr(&sb, repo->display_path);
	return strbuf_detach(&sb, NULL);
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

int repo_blob_size(git_object_size_t *out, struct mt_repo *repo, const git_oid *id)
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

int repo_object_read(git_odb_object **out, struct mt_repo *repo, const git_oid *id)
{
	git_odb *odb = NULL;
	int err;

	if (git_repository_odb(&odb, repo->git) < 0)
		return -1;
	err = git_odb_read(out, odb, id);
	git_odb_free(odb);
	return err;
}

static int over_limit(const struct mt_oid *oid, git_object_size_t size)
{
	char hex[13];

	return mt_error_set("blob %s: %llu bytes, over the %u-byte limit", oid_short(hex, oid),
			    (unsigned long long)size, REPO_MAX_BLOB_SIZE);
}

static const struct mt_blob *keep_blob(struct mt_repo *repo, const struct mt_oid *oid, char *data,
				       size_t len)
{
	struct mt_blob *blob = xmalloc(sizeof(*blob));

	blob->oid = *oid;
	blob->data = data;
	blob->len = len;
	oidmap_put(&repo->blobs, oid, blob);
	return blob;
}

int repo_read_blob(const struct mt_blob **out, struct mt_repo *repo, const struct mt_oid *oid)
{
	git_object_size_t size;
	git_oid id;
	char hex[13];

	*out = oidmap_get(&repo->blobs, oid);
	if (*out)
		return MT_OK;
	to_git(&id, oid);
	/* The size from the object header first: an oversized blob is never inflated. */
	if (repo_blob_size(&size, repo, &id) < 0)
		return mt_error_set("blob %s: cannot read: %s", oid_short(hex, oid), git_message());
	return repo_read_blob_sized(out, repo, oid, size);
}

int repo_read_blob_sized(const struct mt_blob **out, struct mt_repo *repo,
			 const struct mt_oid *oid, git_object_size_t size)
{
	git_odb_object *obj = NULL;
	git_oid id;
	char hex[13];
	char *data;

	if (size > REPO_MAX_BLOB_SIZE)
		return over_limit(oid, size);
	to_git(&id, oid);
	if (repo_object_read(&obj, repo, &id) < 0)
		return mt_error_set("blob %s: cannot read: %s", oid_short(hex, oid), git_message());
	if (git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
		git_odb_object_free(obj);
		return mt_error_set("blob %s: cannot read: the object is not a blob",
				    oid_short(hex, oid));
	}
	size = git_odb_object_size(obj);
	if (size > REPO_MAX_BLOB_SIZE) { /* a header that lied */
		git_odb_object_free(obj);
		return over_limit(oid, size);
	}
	data = xmalloc((size_t)size + 1);
	memcpy(data, git_odb_object_data(obj), (size_t)size);
	data[size] = '\0';
	git_odb_object_free(obj);
	*out = keep_blob(repo, oid, data, (size_t)size);
	return MT_OK;
}

int repo_commit_read(git_odb_object **out, struct mt_repo *repo, const git_oid *id)
{
	*out = NULL;
	if (repo_object_read(out, repo, id) < 0)
		return MT_ERROR;
	if (git_odb_object_type(*out) != GIT_OBJECT_COMMIT) {
		git_odb_object_free(*out);
		*out = NULL;
		return MT_ENOTFOUND;
	}
	return MT_OK;
}

int repo_commit_ids(git_oid *tree, git_oid *parent, bool *has_parent, struct mt_repo *repo,
		    const git_oid *id)
{
	git_odb_object *raw;
	const char *p;
	size_t len;
	int ret = -1, err;

	*has_parent = false;
	err = repo_commit_read(&raw, repo, id);
	if (err == MT_ENOTFOUND) /* not a commit: no libgit2 error to report */
		git_error_clear();
	if (err != MT_OK)
		return -1;
	git_error_clear();
	p = git_odb_object_data(raw);
	len = git_odb_object_size(raw);
	if (len < 46 || strncmp(p, "tree ", 5) || p[45] != '\n' ||
	    git_oid_fromstrn(tree, p + 5, MT_OID_HEXSZ) < 0)
		goto out;
	p += 46;
	len -= 46;
	if (len >= 48 && !strncmp(p, "parent ", 7) && p[47] == '\n') {
		if (git_oid_fromstrn(parent, p + 7, MT_OID_HEXSZ) < 0)
			goto out;
		*has_parent = true;
	}
	ret = 0;
out:
	git_odb_object_free(raw);
	return ret;
}

/*
 * The blob at tree:path, each directory read through repo_tree_read (the
 * pack reader's bases serve neighbouring versions). MT_ENOTFOUND as
 * git_tree_entry_bypath and a blob check answer: a component missing or
 * empty ("", "/a", "a//b", "a/"), not a directory on the way, or not a blob
 * at the end.
 */
static int tree_path_oid(struct mt_oid *out, struct mt_repo *repo, const git_oid *root,
			 const struct mt_oid *where, const char *path)
{
	git_oid at = *root;
	const char *p = path;
	char hex[13];

	for (;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p), i;
		struct repo_tree t;
		git_filemode_t mode = 0;
		bool found = false;

		if (repo_tree_read(&t, repo, &at) < 0)
			return mt_error_set("%s:%s: %s", oid_short(hex, where), path, git_message());
		for (i = 0; i < t.n && !found && len; i++) {
			if (t.v[i].len == len && !memcmp(t.v[i].name, p, len)) {
				found = true;
				mode = repo_tree_entry_mode(&t.v[i]);
				git_oid_cpy(&at, &t.v[i].id);
			}
		}
		repo_tree_release(&t);
		if (!found)
			return MT_ENOTFOUND;
		if (!slash) {
			if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT)
				return MT_ENOTFOUND;
			to_mt(out, &at);
			return MT_OK;
		}
		/* "dir/" names the directory itself, which is not a blob. */
		if (mode != GIT_FILEMODE_TREE || !slash[1])
			return MT_ENOTFOUND;
		p = slash + 1;
	}
}

int repo_tree_file_oid(struct mt_oid *out, struct mt_repo *repo, const struct mt_oid *tree_oid,
		       const char *path)
{
	git_oid id;

	to_git(&id, tree_oid);
	return tree_path_oid(out, repo, &id, tree_oid, path);
}

int repo_file_oid(struct mt_oid *out, struct mt_repo *repo,
		  const struct mt_oid *commit, const char *path)
{
	git_oid id, root, parent;
	bool has_parent;
	char hex[13];

	to_git(&id, commit);
	if (repo_commit_ids(&root, &parent, &has_parent, repo, &id) < 0)
		return mt_error_set("commit %s: cannot read: %s", oid_short(hex, commit),
				    git_error_last() ? git_message() : "not a well-formed commit");
	return tree_path_oid(out, repo, &root, commit, path);
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
	to_mt(&out->tree, git_commit_tree_id(commit));
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

/*
 * Fills commit, annotated and time; returns 1 to skip a ref that is not a
 * commit (a tag of a tree or blob). A ref whose target, tag chain or commit
 * cannot be read is kept with `broken` saying why: a stream tip or release
 * tag that vanished quietly would change the answer.
 */
static int peel_ref(struct mt_ref *out, git_repository *git, git_reference *ref)
{
	git_reference *resolved = NULL;
	git_object *obj = NULL, *cur = NULL;
	char hex[MT_OID_HEXSZ + 1], why[512];
	int skip = 0, depth;

	if (git_reference_resolve(&resolved, ref) < 0) {
		out->broken = xstrdup(git_message());
		goto out;
	}
	if (git_object_lookup(&obj, git, git_reference_target(resolved), GIT_OBJECT_ANY) < 0) {
		git_oid_tostr(hex, sizeof(hex), git_reference_target(resolved));
		snprintf(why, sizeof(why), "object %s cannot be read: %s", hex, git_message());
		out->broken = xstrdup(why);
		goto out;
	}
	out->annotated = git_object_type(obj) == GIT_OBJECT_TAG;
	if (out->annotated) {
		const git_signature *tagger = git_tag_tagger((git_tag *)obj);
		if (tagger)
			out->time = (int64_t)tagger->when.time;
	}
	/* Tags of tags, each read, down to what the chain names. */
	if (git_object_dup(&cur, obj) < 0) {
		out->broken = xstrdup(git_message());
		goto out;
	}
	for (depth = 0; git_object_type(cur) == GIT_OBJECT_TAG; depth++) {
		git_object *next = NULL;

		git_oid_tostr(hex, sizeof(hex), git_tag_target_id((git_tag *)cur));
		if (depth > 16 || git_tag_target(&next, (git_tag *)cur) < 0) {
			snprintf(why, sizeof(why), "tagged object %s cannot be read: %s", hex,
				 depth > 16 ? "tags nested too deep" : git_message());
			out->broken = xstrdup(why);
			goto out;
		}
		git_object_free(cur);
		cur = next;
	}
	if (git_object_type(cur) != GIT_OBJECT_COMMIT) {
		skip = 1;
		goto out;
	}
	to_mt(&out->commit, git_object_id(cur));
	if (!out->annotated)
		out->time = (int64_t)git_commit_time((git_commit *)cur);
out:
	git_object_free(cur);
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

	for (i = 0; i < count; i++) {
		free(refs[i].name);
		free(refs[i].broken);
	}
	free(refs);
}

/*
 * libgit2 1.5 leaks two commit lists when a walk with hidden commits meets a
 * parent commit it cannot parse: limit_list() returns the error without
 * freeing them. mtcheck then stops with exit 2 and cannot free them itself,
 * so under LeakSanitizer what libgit2 allocates inside one git_revwalk_next()
 * call is not counted; every other allocation still is, the walk's own
 * included (tests/valgrind.supp says the same to valgrind).
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MT_LEAK_CHECKED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MT_LEAK_CHECKED 1
#endif

#ifdef MT_LEAK_CHECKED
void __lsan_disable(void);
void __lsan_enable(void);
#endif

static int revwalk_next(git_oid *id, git_revwalk *walk)
{
#ifdef MT_LEAK_CHECKED
	int err;

	__lsan_disable();
	err = git_revwalk_next(id, walk);
	__lsan_enable();
	return err;
#else
	return git_revwalk_next(id, walk);
#endif
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
	while ((err = revwalk_next(&id, walk)) == 0) {
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
