/*
 * Tree walks and diffs of a commit against its first parent, and patch ids:
 * the repo module's diff half (see repo.c).
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/sha1.h"
#include "repo_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A commit's root tree and its first parent's id; errors name the commit. */
static int commit_root(struct repo_tree *out, git_oid *parent, bool *has_parent,
		       struct mt_repo *repo, const struct mt_oid *oid)
{
	git_oid id, tree;
	char hex[13];

	memset(out, 0, sizeof(*out));
	to_git(&id, oid);
	if (repo_commit_ids(&tree, parent, has_parent, repo, &id) < 0)
		return mt_error_set("commit %s: cannot read: %s", oid_short(hex, oid),
				    git_error_last() ? git_message() : "not a well-formed commit");
	if (repo_tree_read(out, repo, &tree) < 0)
		return mt_error_set("commit %s: cannot read its trees: %s%s", oid_short(hex, oid),
				    git_message(),
				    repo_is_shallow(repo) ? " (the clone is shallow)" : "");
	return MT_OK;
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
struct diff_run {
	struct mt_repo *repo;
	const struct mt_oid *commit;       /* for messages */
	const struct repo_diff_opts *opts;
	repo_diff_file_fn file_cb;         /* opts->file_cb, or stop_at_first for a yes/no question */
	struct strbuf path;                /* the directory being walked, "" or ending in '/' */
	struct change_list *collect;       /* with opts->patch: files go here, not to file_cb */
	struct mt_diff_file file;          /* the file diff_change is reporting */
	int stopped;                       /* a callback's non-zero return value */
};

/* A changed file as the tree walk found it: what diffing it needs, without libgit2's diff. */
struct change {
	struct mt_diff_file file; /* its paths are `path` */
	char *path;
};

struct change_list {
	struct change *items;
	size_t count, alloc;
};

static void change_list_add(struct change_list *list, const struct mt_diff_file *file)
{
	struct change *c;

	ARRAY_GROW(list->items, list->count, list->alloc);
	c = &list->items[list->count++];
	c->path = xstrdup(file->old_path);
	c->file = *file;
	c->file.old_path = c->file.new_path = c->path;
}

static void change_list_release(struct change_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		free(list->items[i].path);
	free(list->items);
}

/* Asks `within` about a changed file (or, with a '/' appended and `prune`, a changed directory). */
static bool walk_within(struct diff_run *w, const struct repo_tree_entry *e, bool dir)
{
	size_t dirlen = w->path.len;
	bool ok;

	if (!w->opts->want || (dir && !w->opts->prune))
		return true;
	strbuf_add(&w->path, e->name, e->len);
	if (dir)
		strbuf_addch(&w->path, '/');
	ok = w->opts->want(w->path.buf, w->opts->want_payload);
	strbuf_setlen(&w->path, dirlen);
	return ok;
}

static bool entry_is_tree(const struct repo_tree_entry *e)
{
	return repo_tree_entry_mode(e) == GIT_FILEMODE_TREE;
}

static int walk_emit(struct diff_run *w, const struct repo_tree_entry *old,
		     const struct repo_tree_entry *new)
{
	struct mt_diff_file file;
	size_t dirlen = w->path.len;
	int ret;

	memset(&file, 0, sizeof(file));
	strbuf_add(&w->path, (old ? old : new)->name, (old ? old : new)->len);
	file.old_path = file.new_path = w->path.buf;
	if (old) {
		to_mt(&file.old_blob, &old->id);
		file.old_mode = repo_tree_entry_mode(old);
	}
	if (new) {
		to_mt(&file.new_blob, &new->id);
		file.new_mode = repo_tree_entry_mode(new);
	}
	file.status = !old ? 'A' : !new ? 'D' : 'M';
	if (w->collect) {
		change_list_add(w->collect, &file);
		ret = 0;
	} else {
		ret = w->file_cb(&file, w->opts->payload);
	}
	strbuf_setlen(&w->path, dirlen);
	if (ret)
		w->stopped = ret;
	return ret ? -1 : 0;
}

static int walk_trees(struct diff_run *w, const git_oid *old, const git_oid *new);

/* One entry present on one side or both (same name, same kind). */
static int walk_entry(struct diff_run *w, const struct repo_tree_entry *old,
		      const struct repo_tree_entry *new)
{
	const struct repo_tree_entry *any = old ? old : new;
	size_t dirlen = w->path.len;
	int ret;

	if (old && new && repo_tree_entry_mode(old) == repo_tree_entry_mode(new) &&
	    git_oid_equal(&old->id, &new->id))
		return 0;
	if (!walk_within(w, any, entry_is_tree(any)))
		return 0;
	if (!entry_is_tree(any)) {
		if (old && new && (repo_tree_entry_mode(old) & 0170000) !=
				  (repo_tree_entry_mode(new) & 0170000)) {
			if (walk_emit(w, old, NULL) < 0)
				return -1;
			return walk_emit(w, NULL, new);
		}
		return walk_emit(w, old, new);
	}
	strbuf_add(&w->path, any->name, any->len);
	strbuf_addch(&w->path, '/');
	ret = walk_trees(w, old ? &old->id : NULL, new ? &new->id : NULL);
	strbuf_setlen(&w->path, dirlen);
	return ret;
}

static int walk_lookup(struct repo_tree *out, struct diff_run *w, const git_oid *id)
{
	char hex[13];

	memset(out, 0, sizeof(*out));
	if (!id || repo_tree_read(out, w->repo, id) >= 0)
		return 0;
	mt_error_set("commit %s: cannot read tree %s: %s%s", oid_short(hex, w->commit),
		     w->path.len ? w->path.buf : "/", git_message(),
		     repo_is_shallow(w->repo) ? " (the clone is shallow)" : "");
	return -1;
}

/* Merges two trees' entries (either tree may be empty: everything added or deleted). */
static int walk_pair(struct diff_run *w, const struct repo_tree *old, const struct repo_tree *new)
{
	size_t i = 0, j = 0;
	int ret = 0;

	while (i < old->n || j < new->n) {
		const struct repo_tree_entry *a = i < old->n ? &old->v[i] : NULL;
		const struct repo_tree_entry *b = j < new->n ? &new->v[j] : NULL;
		int c = !a ? 1 : !b ? -1 : repo_tree_entry_cmp(a, b);

		if (c < 0)
			ret = walk_entry(w, a, NULL), i++;
		else if (c > 0)
			ret = walk_entry(w, NULL, b), j++;
		else
			ret = walk_entry(w, a, b), i++, j++;
		if (ret < 0)
			return -1;
	}
	return 0;
}

static int walk_trees(struct diff_run *w, const git_oid *old_id, const git_oid *new_id)
{
	struct repo_tree old, new;
	int ret = -1;

	memset(&new, 0, sizeof(new));
	if (walk_lookup(&old, w, old_id) < 0 || walk_lookup(&new, w, new_id) < 0)
		goto out;
	ret = walk_pair(w, &old, &new);
out:
	repo_tree_release(&old);
	repo_tree_release(&new);
	return ret;
}

/*
 * With opts->patch: the tree walk's changed files, each diffed
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
	void *known;

	if (strmap_get(&repo->diff_drivers, path, &known)) {
		*out = (enum diff_driver)(uintptr_t)known;
		return 0;
	}
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
	strmap_put(&repo->diff_drivers, path, (void *)(uintptr_t)*out);
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
		if (repo_blob_size(&size, repo, &id) < 0)
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
		if (repo_read_blob_sized(&blob, repo, oid, size) < 0)
			return MT_ERROR;
	}
	out->data = blob->data;
	out->len = blob->len;
	if (drv == DRIVER_AUTO)
		out->binary = memchr(blob->data, '\0', blob->len < DIFF_BINARY_CHECK_BYTES ?
						       blob->len : DIFF_BINARY_CHECK_BYTES) != NULL;
	return MT_OK;
}

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct diff_run *w = payload;
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
	if ((w->stopped = w->opts->line_cb(&w->file, &l, w->opts->payload)))
		return -1;
	return 0;
}

/* Reports one changed file and, with a line callback, its lines. */
static int diff_change(struct diff_run *w, const struct change *c)
{
	struct diff_side old, new;
	enum diff_driver drv;
	git_diff_options opts;
	char hex[13];
	int ret = MT_ERROR;

	memset(&old, 0, sizeof(old));
	memset(&new, 0, sizeof(new));
	if (diff_driver(&drv, w->repo, c->path) < 0) {
		mt_error_set("commit %s: %s: cannot diff: %s", oid_short(hex, w->commit), c->path,
			     git_message());
		goto out;
	}
	if (load_side(&old, w->repo, &c->file.old_blob, c->file.old_mode, drv) < 0 ||
	    load_side(&new, w->repo, &c->file.new_blob, c->file.new_mode, drv) < 0) {
		mt_error_prefix("commit %s: %s: cannot diff", oid_short(hex, w->commit), c->path);
		goto out;
	}
	w->file = c->file;
	w->file.binary = old.binary || new.binary;
	if (w->file_cb && (w->stopped = w->file_cb(&w->file, w->opts->payload))) {
		ret = w->stopped;
		goto out;
	}
	ret = MT_OK;
	if (!w->opts->line_cb || w->file.binary || (!old.len && !new.len) ||
	    (old.len == new.len && oid_equal(&c->file.old_blob, &c->file.new_blob)))
		goto out;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = w->opts->context;
	opts.flags |= GIT_DIFF_FORCE_TEXT; /* decided above */
	if (w->opts->indent_heuristic)
		opts.flags |= GIT_DIFF_INDENT_HEURISTIC;
	if (git_diff_buffers(old.data, old.len, c->path, new.data, new.len, c->path, &opts, NULL,
			     NULL, NULL, on_line, w) < 0) {
		if (w->stopped)
			ret = w->stopped;
		else
			ret = mt_error_set("commit %s: %s: cannot diff: %s", oid_short(hex, w->commit),
					   c->path, git_message());
	}
out:
	git_blob_free(old.unlimited);
	git_blob_free(new.unlimited);
	return ret;
}

static int stop_at_first(const struct mt_diff_file *file, void *payload)
{
	(void)file;
	(void)payload;
	return 1;
}

/*
 * The trees to diff, released by the caller: `from`'s (NULL: the commit's
 * first parent's, empty for a root commit) and the commit's.
 */
static int diff_trees(struct repo_tree *out_old, struct repo_tree *out_new, struct mt_repo *repo,
		      const struct mt_oid *commit, const struct mt_oid *from)
{
	git_oid parent, parent_tree, unused;
	bool has_parent, grandparent;
	char hex[13];

	memset(out_old, 0, sizeof(*out_old));
	if (from && commit_root(out_old, &parent, &has_parent, repo, from) < 0)
		return MT_ERROR;
	if (commit_root(out_new, &parent, &has_parent, repo, commit) < 0) {
		repo_tree_release(out_old);
		return MT_ERROR;
	}
	if (!from && has_parent &&
	    (repo_commit_ids(&parent_tree, &unused, &grandparent, repo, &parent) < 0 ||
	     repo_tree_read(out_old, repo, &parent_tree) < 0)) {
		mt_error_set("commit %s: cannot read its trees: %s%s", oid_short(hex, commit),
			     git_error_last() ? git_message() : "a parent is not a well-formed commit",
			     repo_is_shallow(repo) ? " (the clone is shallow)" : "");
		repo_tree_release(out_new);
		repo_tree_release(out_old);
		return MT_ERROR;
	}
	return MT_OK;
}

int repo_diff(struct mt_repo *repo, const struct mt_oid *commit, const struct repo_diff_opts *opts)
{
	struct repo_tree old, new;
	struct change_list changes;
	struct diff_run w;
	size_t i;
	int ret;

	memset(&w, 0, sizeof(w));
	memset(&changes, 0, sizeof(changes));
	w.repo = repo;
	w.commit = commit;
	w.opts = opts;
	w.file_cb = opts->file_cb;
	if (!w.file_cb && !opts->line_cb)
		w.file_cb = stop_at_first; /* a yes/no question */
	if (opts->patch)
		w.collect = &changes;
	if (diff_trees(&old, &new, repo, commit, opts->from) < 0)
		return MT_ERROR;
	strbuf_init(&w.path);
	ret = walk_pair(&w, &old, &new) < 0 ? MT_ERROR : MT_OK;
	strbuf_release(&w.path);
	if (w.stopped)
		ret = w.stopped;
	for (i = 0; ret == MT_OK && i < changes.count; i++)
		ret = diff_change(&w, &changes.items[i]);
	change_list_release(&changes);
	repo_tree_release(&old);
	repo_tree_release(&new);
	return ret;
}

/*
 * A patch id as `git show | git patch-id --stable` computes it (git 2.39,
 * builtin/patch-id.c): the patch text git would print, whitespace removed
 * from every line, hunk headers and `index` lines left out, is hashed with
 * SHA-1 file by file, and the file digests are added up as 20-byte
 * little-endian numbers, so the order of files does not matter. What git
 * does, and this follows:
 *  - a file's digest covers its `diff --git` line, its mode lines ("new file
 *    mode 100644", "old mode ...", "new mode ..."), `---`/`+++` and the
 *    hunks' lines with 3 lines of context, hunks placed by the indent
 *    heuristic (git's default);
 *  - a binary file ("Binary files ... differ") is hashed by the two blob
 *    ids as the `index` line abbreviates them, and its digest is closed at
 *    once; the next file's `diff --git` line is not hashed, and the digest
 *    of the empty text still closes a patch that ends with one;
 *  - a file without lines (a mode change, an empty file added or deleted)
 *    closes nothing: its header goes into the next file's digest;
 *  - a line is hashed up to its first NUL (git reads lines as C strings);
 *  - renames are not detected here (git show detects them by default).
 */
struct patch_id {
	struct sha1 file;                       /* the digest being built */
	unsigned char sum[MT_SHA1_SIZE];        /* the digests closed so far */
	struct mt_repo *repo;
	bool lines;                             /* the current file has hunk lines */
	bool after_binary;                      /* the previous file was a binary one */
};

static void patch_id_close(struct patch_id *p)
{
	unsigned char digest[MT_SHA1_SIZE];
	unsigned carry = 0;
	size_t i;

	sha1_final(digest, &p->file);
	sha1_init(&p->file);
	for (i = 0; i < MT_SHA1_SIZE; i++) {
		carry += p->sum[i] + digest[i];
		p->sum[i] = (unsigned char)carry;
		carry >>= 8;
	}
}

/* Hashes text with its whitespace removed, as git patch-id does to each line. */
static void patch_id_add(struct patch_id *p, const char *text, size_t len)
{
	char buf[256];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
			continue;
		buf[n++] = c;
		if (n == sizeof(buf)) {
			sha1_update(&p->file, buf, n);
			n = 0;
		}
	}
	sha1_update(&p->file, buf, n);
}

/* "a/path" as git prints it: C-quoted when it holds a control, quote, backslash or non-ASCII byte. */
static void quoted_path(struct strbuf *out, const char *prefix, const char *path)
{
	static const char named[] = "\a\b\t\n\v\f\r";
	static const char letters[] = "abtnvfr";
	const unsigned char *c;
	bool quote = false;

	for (c = (const unsigned char *)path; *c && !quote; c++)
		quote = *c < 0x20 || *c == '"' || *c == '\\' || *c >= 0x7f;
	if (!quote) {
		strbuf_addf(out, "%s%s", prefix, path);
		return;
	}
	strbuf_addf(out, "\"%s", prefix);
	for (c = (const unsigned char *)path; *c; c++) {
		const char *n = *c ? strchr(named, *c) : NULL;

		if (n)
			strbuf_addf(out, "\\%c", letters[n - named]);
		else if (*c == '"' || *c == '\\')
			strbuf_addf(out, "\\%c", *c);
		else if (*c < 0x20 || *c >= 0x7f)
			strbuf_addf(out, "\\%03o", *c);
		else
			strbuf_addch(out, (char)*c);
	}
	strbuf_addch(out, '"');
}

/*
 * A blob id as git show's `index` line abbreviates it: core.abbrev's
 * "auto" length (half the bits of the packed object count, at least 7),
 * longer while another object shares the prefix.
 */
static void abbrev_hex(char *out, struct mt_repo *repo, const struct mt_oid *oid)
{
	unsigned long count = repo->packed_objects;
	git_odb *odb = NULL;
	git_oid id, found;
	int len, bits = 0;

	while (count >>= 1)
		bits++;
	len = (bits + 2) / 2 < 7 ? 7 : (bits + 2) / 2;
	to_git(&id, oid);
	if (git_repository_odb(&odb, repo->git) == 0) {
		while (len < MT_OID_HEXSZ) {
			int ret = git_odb_exists_prefix(&found, odb, &id, (size_t)len);

			if (ret == GIT_ENOTFOUND || (ret == 0 && git_oid_equal(&found, &id)))
				break;
			len++;
		}
		git_odb_free(odb);
	}
	oid_to_hex(out, oid);
	out[len] = '\0';
}

static int patch_id_file(const struct mt_diff_file *f, void *payload)
{
	struct patch_id *p = payload;
	struct strbuf line = STRBUF_INIT;
	char old_hex[MT_OID_HEXSZ + 1], new_hex[MT_OID_HEXSZ + 1];
	bool differ = !oid_equal(&f->old_blob, &f->new_blob);

	if (p->lines)
		patch_id_close(p); /* git closes a digest at the next `diff` line after hunks */
	p->lines = false;
	/* git skips a binary file's lines up to the next `diff` line, and that line too. */
	if (!p->after_binary) {
		strbuf_addstr(&line, "diff --git ");
		quoted_path(&line, "a/", f->old_path);
		strbuf_addch(&line, ' ');
		quoted_path(&line, "b/", f->new_path);
	}
	p->after_binary = false;
	if (!f->old_mode)
		strbuf_addf(&line, "new file mode %06o", f->new_mode);
	else if (!f->new_mode)
		strbuf_addf(&line, "deleted file mode %06o", f->old_mode);
	else if (f->old_mode != f->new_mode)
		strbuf_addf(&line, "old mode %06o" "new mode %06o", f->old_mode, f->new_mode);
	patch_id_add(p, line.buf, line.len);
	strbuf_release(&line);
	if (f->binary && differ) {
		abbrev_hex(old_hex, p->repo, &f->old_blob);
		abbrev_hex(new_hex, p->repo, &f->new_blob);
		sha1_update(&p->file, old_hex, strlen(old_hex));
		sha1_update(&p->file, new_hex, strlen(new_hex));
		patch_id_close(p);
		p->after_binary = true;
	}
	return 0;
}

static int patch_id_line(const struct mt_diff_file *f, const struct mt_diff_line *line,
			 void *payload)
{
	struct patch_id *p = payload;
	struct strbuf head = STRBUF_INIT;
	const char *nul;

	if (!p->lines) {
		if (f->old_mode)
			quoted_path(&head, "--- a/", f->old_path);
		else
			strbuf_addstr(&head, "--- /dev/null");
		if (f->new_mode)
			quoted_path(&head, "+++ b/", f->new_path);
		else
			strbuf_addstr(&head, "+++ /dev/null");
		patch_id_add(p, head.buf, head.len);
		strbuf_release(&head);
		p->lines = true;
	}
	patch_id_add(p, &line->origin, 1); /* a context line's ' ' is whitespace too */
	/* git reads each line as a C string: a NUL ends it (text by attribute). */
	nul = memchr(line->content, '\0', line->len);
	patch_id_add(p, line->content, nul ? (size_t)(nul - line->content) : line->len);
	return 0;
}

int repo_patch_id(struct mt_oid *out, struct mt_repo *repo, const struct mt_oid *commit)
{
	struct patch_id p;
	struct repo_diff_opts opts = { .patch = true, .context = 3, .indent_heuristic = true,
				       .file_cb = patch_id_file, .line_cb = patch_id_line,
				       .payload = &p };
	int ret;

	memset(&p, 0, sizeof(p));
	sha1_init(&p.file);
	p.repo = repo;
	ret = repo_diff(repo, commit, &opts);
	if (ret < 0)
		return MT_ERROR;
	patch_id_close(&p); /* git's last digest, empty after a binary file */
	memcpy(out->id, p.sum, MT_OID_RAWSZ);
	return MT_OK;
}
