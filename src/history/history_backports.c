/*
 * A stream's backports: one walk from the tip to the base, then one walk per
 * release tag of the stream (each hiding the base and the tags before it) to
 * say which release first shipped each commit, then origins and reverts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "history_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const char *backport_match_name(enum backport_match match)
{
	switch (match) {
	case MATCH_TRAILER:
		return "trailer";
	case MATCH_PATCH_ID:
		return "patch-id";
	default:
		return "none";
	}
}

static void backport_release(struct mt_backport *b)
{
	size_t i;

	free(b->subject);
	free(b->origins);
	for (i = 0; i < b->nnotes; i++)
		free(b->notes[i]);
	free(b->notes);
	memset(b, 0, sizeof(*b));
}

void backports_release(struct mt_backports *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		backport_release(&list->items[i]);
	free(list->items);
	for (i = 0; list->trailers && i < list->total; i++)
		trailer_list_release(&list->trailers[i]);
	free(list->trailers);
	oidmap_release(&list->positions);
	memset(list, 0, sizeof(*list));
}

/*
 * In a shallow clone, follows the stream from its tip towards its base and
 * fails, naming the commit, when it meets the clone's edge first: libgit2 1.5
 * cannot walk past the edge, and a newer one might stop there silently and
 * list too little. Commits older than the base are taken to be its history
 * (a merged side branch forked before the release) and not followed.
 */
static int check_shallow(struct mt_history *h, const struct mt_stream *s)
{
	struct oidmap edge = OIDMAP_INIT, seen = OIDMAP_INIT;
	struct mt_commit_info info;
	struct mt_oid *queue = NULL;
	size_t n = 0, alloc = 0, i;
	int64_t base_time;
	char hex[13], bhex[13];
	int ret = MT_ERROR;

	if (!h->nshallow)
		return MT_OK;
	if (!repo_has_commit(h->repo, &s->base))
		return mt_error_set("%s: base %s (%s) is not in this shallow clone; fetch more "
				    "history (git fetch --unshallow)", s->name,
				    s->base_name ? s->base_name : "merge-base",
				    oid_short(bhex, &s->base));
	if (repo_commit_info(&info, h->repo, &s->base) < 0)
		return MT_ERROR;
	base_time = info.time;
	commit_info_release(&info);
	for (i = 0; i < h->nshallow; i++)
		oidmap_put(&edge, &h->shallow[i], &edge);
	ARRAY_GROW(queue, n, alloc);
	queue[n++] = s->tip;
	oidmap_put(&seen, &s->tip, &seen);
	for (i = 0; i < n; i++) {
		struct mt_oid c = queue[i];
		size_t p;

		if (oid_equal(&c, &s->base))
			continue;
		if (oidmap_get(&edge, &c)) {
			mt_error_set("%s: history stops at %s in this shallow clone (its parents are "
				     "missing) before reaching base %s (%s); fetch more history "
				     "(git fetch --unshallow)", s->name, oid_short(hex, &c),
				     s->base_name ? s->base_name : "merge-base",
				     oid_short(bhex, &s->base));
			goto out;
		}
		if (repo_commit_info(&info, h->repo, &c) < 0) {
			mt_error_prefix("%s: shallow clone", s->name);
			goto out;
		}
		for (p = 0; p < info.nparents && info.time >= base_time; p++) {
			if (oidmap_get(&seen, &info.parents[p]))
				continue;
			oidmap_put(&seen, &info.parents[p], &seen);
			ARRAY_GROW(queue, n, alloc);
			queue[n++] = info.parents[p];
		}
		commit_info_release(&info);
	}
	ret = MT_OK;
out:
	free(queue);
	oidmap_release(&edge);
	oidmap_release(&seen);
	return ret;
}

/*
 * VERSION's blob at the last commit read. A stream is read oldest first, so
 * a commit's parent is most often the commit read just before it, and its
 * root tree need not be read again.
 */
struct version_memo {
	bool valid;
	struct mt_oid commit;
	struct mt_oid blob;
	int err; /* MT_OK, MT_ENOTFOUND or MT_ERROR (then blob is unset) */
};

static bool changes_version_file(struct mt_history *h, const struct mt_commit_info *info,
				 struct version_memo *memo)
{
	struct mt_oid mine, parent;
	int a, b;

	if (info->nparents == 0)
		return false;
	if (memo->valid && oid_equal(&memo->commit, &info->parents[0])) {
		b = memo->err;
		parent = memo->blob;
	} else {
		b = repo_file_oid(&parent, h->repo, &info->parents[0], "VERSION");
	}
	a = repo_tree_file_oid(&mine, h->repo, &info->tree, "VERSION");
	memo->valid = true;
	memo->commit = info->oid;
	memo->blob = mine;
	memo->err = a == MT_OK || a == MT_ENOTFOUND ? a : MT_ERROR;
	if (a == MT_ENOTFOUND && b == MT_ENOTFOUND)
		return false;
	if (a < 0 || b < 0) {
		mt_error_clear();
		return a != b;
	}
	return !oid_equal(&mine, &parent);
}

static int read_backport(struct mt_backport *b, struct trailer_list *trailers,
			 struct mt_history *h, const struct mt_oid *oid, struct version_memo *memo)
{
	struct mt_commit_info info;

	if (repo_commit_info(&info, h->repo, oid) < 0)
		return MT_ERROR;
	memset(b, 0, sizeof(*b));
	b->commit = *oid;
	b->subject = info.subject;
	info.subject = NULL;
	b->time = info.time;
	b->author_time = info.author_time;
	b->merge = info.nparents > 1;
	b->version_bump = !b->merge && changes_version_file(h, &info, memo);
	trailer_parse(trailers, info.message, strlen(info.message));
	commit_info_release(&info);
	return MT_OK;
}

/* Releases of the stream after its base, oldest version first. */
static int assign_releases(struct mt_history *h, const struct mt_stream *s,
			   struct mt_backport *list, const struct oidmap *pos)
{
	struct mt_oid *hide = xcalloc(h->nreleases + 1, sizeof(*hide));
	size_t nhide = 0, i, j;
	int ret = MT_ERROR;

	hide[nhide++] = s->base;
	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];
		struct mt_oid *walked = NULL;
		size_t n = 0;

		if (r->rc || r->version.major != s->major || r->version.minor != s->minor ||
		    (r->version.micro == 0 && r->version.nano < 0))
			continue;
		/* A tag off the branch (a four-part tag on a side branch) is walked too:
		 * it may still ship some of the stream's commits. */
		if (repo_walk(&walked, &n, h->repo, &r->commit, hide, nhide, 0) < 0) {
			mt_error_prefix("%s: release %s", s->name, r->name);
			goto out;
		}
		for (j = 0; j < n; j++) {
			uintptr_t at = (uintptr_t)oidmap_get(pos, &walked[j]);
			if (at && !list[at - 1].release)
				list[at - 1].release = r;
		}
		free(walked);
		hide[nhide++] = r->commit;
	}
	ret = MT_OK;
out:
	free(hide);
	return ret;
}

static void mark_revert(struct mt_backport *revert, struct mt_backport *target)
{
	revert->reverts_in_stream = true;
	revert->reverts = target->commit;
	if (!target->has_reverted_by) {
		target->has_reverted_by = true;
		target->reverted_by = revert->commit;
	}
}

/*
 * "This reverts commit X": X is an earlier backport of the stream, or the
 * upstream commit of one (a revert cherry-picked from master names master's
 * commit). A revert of a revert pairs the same way.
 */
static void pair_reverts(struct mt_history *h, const struct mt_stream *s,
			 struct mt_backport *list, size_t n, struct trailer_list *trailers,
			 const struct oidmap *pos)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		for (j = 0; j < trailers[i].count; j++) {
			const struct trailer *t = &trailers[i].items[j];
			struct mt_oid oid;
			uintptr_t at;
			bool paired = false;

			if (t->kind != TRAILER_REVERTS)
				continue;
			if (repo_lookup_commit_prefix(&oid, h->repo, t->hex, t->hexlen) < 0) {
				mt_error_clear();
				backport_note(&list[i], "reverts %s: no such commit", t->hex);
				continue;
			}
			if (!list[i].has_reverts) {
				list[i].has_reverts = true;
				list[i].reverts = oid;
			}
			at = (uintptr_t)oidmap_get(pos, &oid);
			if (at && at - 1 < i) {
				mark_revert(&list[i], &list[at - 1]);
				continue;
			}
			for (k = i; k-- > 0 && !paired;) {
				if (list[k].has_upstream && oid_equal(&list[k].upstream, &oid)) {
					mark_revert(&list[i], &list[k]);
					paired = true;
				}
			}
			if (!paired) {
				char hex[13];
				bool in_base = false;

				if (repo_is_ancestor(&in_base, h->repo, &oid, &s->base) < 0)
					mt_error_clear();
				list[i].reverts_in_base |= in_base;
				if (in_base)
					backport_note(&list[i], "reverts %s, part of the base %s",
						      oid_short(hex, &oid),
						      s->base_name ? s->base_name : "(merge-base)");
				else
					backport_note(&list[i], "reverts %s, which is not a backport "
						      "of this stream", oid_short(hex, &oid));
			}
		}
	}
}

/* Keeps only the backports not reachable from `since`. */
static int cut_since(struct mt_history *h, const struct mt_stream *s, struct mt_backports *out,
		     const struct mt_oid *since)
{
	struct mt_oid hide[2], *walked = NULL;
	struct oidmap keep = OIDMAP_INIT;
	size_t n = 0, i, kept = 0;

	hide[0] = s->base;
	hide[1] = *since;
	if (repo_walk(&walked, &n, h->repo, &s->tip, hide, 2, 0) < 0) {
		mt_error_prefix("%s: --since", s->name);
		return MT_ERROR;
	}
	for (i = 0; i < n; i++)
		oidmap_put(&keep, &walked[i], &keep);
	free(walked);
	for (i = 0; i < out->count; i++) {
		if (oidmap_get(&keep, &out->items[i].commit))
			out->items[kept++] = out->items[i];
		else
			backport_release(&out->items[i]);
	}
	out->count = kept;
	oidmap_release(&keep);
	return MT_OK;
}

int history_backports_list(struct mt_backports *out, struct mt_history *h,
			   const struct mt_stream *s)
{
	struct version_memo memo = { false };
	struct mt_oid *commits = NULL;
	size_t n = 0, i;
	int ret = MT_ERROR;

	memset(out, 0, sizeof(*out));
	if (check_shallow(h, s) < 0)
		goto out;
	if (repo_walk(&commits, &n, h->repo, &s->tip, &s->base, 1,
		      REPO_WALK_TOPO | REPO_WALK_REVERSE) < 0) {
		mt_error_prefix("%s", s->name);
		goto out;
	}
	out->items = xcalloc(n ? n : 1, sizeof(*out->items));
	out->trailers = xcalloc(n ? n : 1, sizeof(*out->trailers));
	out->total = n; /* trailers to release, read or not */
	for (i = 0; i < n; i++) {
		if (read_backport(&out->items[i], &out->trailers[i], h, &commits[i], &memo) < 0)
			goto out;
		out->count++;
		oidmap_put(&out->positions, &commits[i], (void *)(uintptr_t)(i + 1));
	}
	if (assign_releases(h, s, out->items, &out->positions) < 0)
		goto out;
	ret = MT_OK;
out:
	free(commits);
	if (ret < 0)
		backports_release(out);
	return ret;
}

int history_backports_match(struct mt_backports *out, struct mt_history *h,
			    const struct mt_stream *s, const struct mt_oid *since)
{
	size_t i;
	int ret = MT_ERROR;

	if (history_match_upstream(h, &s->base, out->items, out->count, out->trailers) < 0) {
		mt_error_prefix("%s", s->name);
		goto out;
	}
	pair_reverts(h, s, out->items, out->count, out->trailers, &out->positions);
	if (since && cut_since(h, s, out, since) < 0)
		goto out;
	ret = MT_OK;
out:
	/* What only the matching needed. */
	for (i = 0; out->trailers && i < out->total; i++)
		trailer_list_release(&out->trailers[i]);
	free(out->trailers);
	out->trailers = NULL;
	oidmap_release(&out->positions);
	if (ret < 0)
		backports_release(out);
	return ret;
}

int history_backports(struct mt_backports *out, struct mt_history *h,
		      const struct mt_stream *s, const struct mt_oid *since)
{
	if (history_backports_list(out, h, s) < 0)
		return MT_ERROR;
	return history_backports_match(out, h, s, since);
}
