/*
 * Trees for the repo module's walks (repo_diff.c): entries parsed from the
 * raw object. Modes and order are libgit2's (tree.c: normalize_filemode,
 * entry_sort_cmp), so a walk sees what it would see through git_tree.
 */
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "repo_internal.h"
#include "util/xalloc.h"

/* Parses "<octal mode> <name>\0<20-byte id>" entries; false for anything else. */
static bool parse_tree(struct repo_tree *t)
{
	const unsigned char *p = git_odb_object_data(t->obj);
	const unsigned char *end = p + git_odb_object_size(t->obj);
	size_t alloc = 0;

	while (p < end) {
		struct repo_tree_entry *e;
		const unsigned char *nul;
		unsigned mode = 0;

		if (*p < '0' || *p > '7')
			return false;
		while (p < end && *p >= '0' && *p <= '7' && mode <= 0xffff)
			mode = mode * 8 + (unsigned)(*p++ - '0');
		if (mode > 0xffff || p >= end || *p++ != ' ')
			return false;
		nul = memchr(p, '\0', (size_t)(end - p));
		if (!nul || nul == p || (size_t)(end - nul - 1) < MT_OID_RAWSZ)
			return false;
		ARRAY_GROW(t->v, t->n, alloc);
		e = &t->v[t->n++];
		e->name = (const char *)p;
		e->len = (size_t)(nul - p);
		e->attr = mode;
		memcpy(e->id.id, nul + 1, MT_OID_RAWSZ);
		p = nul + 1 + MT_OID_RAWSZ;
	}
	return true;
}

int repo_tree_read(struct repo_tree *out, struct mt_repo *repo, const git_oid *id)
{
	char hex[MT_OID_HEXSZ + 1];
	bool is_tree;

	memset(out, 0, sizeof(*out));
	if (repo_object_read(&out->obj, repo, id) < 0)
		return -1;
	is_tree = git_odb_object_type(out->obj) == GIT_OBJECT_TREE;
	if (is_tree && parse_tree(out))
		return 0;
	git_oid_tostr(hex, sizeof(hex), id);
	repo_tree_release(out);
	git_error_set(GIT_ERROR_OBJECT, "tree %s: %s", hex, is_tree ? "malformed" : "not a tree");
	return -1;
}

void repo_tree_release(struct repo_tree *t)
{
	free(t->v);
	git_odb_object_free(t->obj);
	memset(t, 0, sizeof(*t));
}

git_filemode_t repo_tree_entry_mode(const struct repo_tree_entry *e)
{
	unsigned type = e->attr & 0170000;

	if (type == GIT_FILEMODE_TREE)
		return GIT_FILEMODE_TREE;
	if (e->attr & 0100) /* libgit2's GIT_PERMS_IS_EXEC: the owner's bit */
		return GIT_FILEMODE_BLOB_EXECUTABLE;
	if (type == GIT_FILEMODE_COMMIT)
		return GIT_FILEMODE_COMMIT;
	if (type == GIT_FILEMODE_LINK)
		return GIT_FILEMODE_LINK;
	return GIT_FILEMODE_BLOB;
}

/* git's tree order: names compared bytewise, a directory as if it ended in '/'. */
int repo_tree_entry_cmp(const struct repo_tree_entry *a, const struct repo_tree_entry *b)
{
	size_t len = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, len);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = (unsigned char)a->name[len];
	cb = (unsigned char)b->name[len];
	if (!ca && (a->attr & 0170000) == GIT_FILEMODE_TREE)
		ca = '/';
	if (!cb && (b->attr & 0170000) == GIT_FILEMODE_TREE)
		cb = '/';
	return ca < cb ? -1 : ca > cb;
}
