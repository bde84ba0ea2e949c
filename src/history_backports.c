/*
 * A stream's backports: one walk from the tip to the base, then one walk per
 * release tag of the stream (each hiding the base and the tags before it) to
 * say which release first shipped each commit, then origins and reverts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "history_internal.h"
#include "strbuf.h"
#include "xalloc.h"

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

void backport_add_evidence(struct mt_backport *b, const char *signal, const char *path,
			   int line, const char *detail)
{
	struct mt_evidence *e;

	ARRAY_GROW(b->evidence, b->nevidence, b->evidence_alloc);
	e = &b->evidence[b->nevidence++];
	e->signal = xstrdup(signal ? signal : "");
	e->path = xstrdup(path ? path : "");
	e->line = line;
	e->detail = xstrdup(detail ? detail : "");
}

static void backport_release(struct mt_backport *b)
{
	size_t i;

	free(b->subject);
	free(b->origins);
	for (i = 0; i < b->nnotes; i++)
		free(b->notes[i]);
	free(b->notes);
	for (i = 0; i < b->nevidence; i++) {
		free(b->evidence[i].signal);
		free(b->evidence[i].path);
		free(b->evidence[i].detail);
	}
	free(b->evidence);
	memset(b, 0, sizeof(*b));
}

void backports_release(struct mt_backports *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		backport_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static const char *short_hex(char buf[13], const struct mt_oid *oid)
{
	oid_to_short(buf, 12, oid);
	return buf;
}

/*
 * libgit2 1.5 cannot walk past the edge of a shallow clone; before walking,
 * make sure the base is there and the edge is not between tip and base, so
 * the error names the missing commit instead of listing too little.
 */
static int check_shallow(struct mt_history *h, const struct mt_stream *s)
{
	char hex[13], bhex[13];
	size_t i;

	if (!h->nshallow && !repo_is_shallow(h->repo))
		return MT_OK;
	if (!repo_has_commit(h->repo, &s->base))
		return mt_error_set("%s: base %s (%s) is not in this shallow clone; fetch more "
				    "history (git fetch --unshallow)", s->name,
				    s->base_name ? s->base_name : "merge-base",
				    short_hex(bhex, &s->base));
	for (i = 0; i < h->nshallow; i++) {
		bool below_base = false;

		/* An edge commit that is the base or below it does not cut the stream short. */
		if (repo_is_ancestor(&below_base, h->repo, &h->shallow[i], &s->base) < 0)
			mt_error_clear();
		if (below_base)
			continue;
		/*
		 * An edge commit reachable from the tip and not from the base means the
		 * walk would stop early. Asking "reachable from the tip" would itself
		 * walk past the edge, so let the walk fail and name the edge then.
		 */
		(void)hex;
	}
	return MT_OK;
}

/* Which shallow edge commit the stream's history runs into, for the message. */
static int name_shallow_edge(struct mt_history *h, const struct mt_stream *s)
{
	char hex[13], bhex[13];
	size_t i;

	for (i = 0; i < h->nshallow; i++) {
		struct mt_oid *list = NULL;
		size_t n = 0;
		bool below_base = false;

		if (!repo_is_ancestor(&below_base, h->repo, &h->shallow[i], &s->base) && below_base)
			continue;
		/* Walking from the edge itself stops at its missing parents too; compare tips. */
		free(list);
		(void)n;
		return mt_error_set("%s: history stops at %s in this shallow clone before reaching "
				    "base %s (%s); fetch more history (git fetch --unshallow)",
				    s->name, short_hex(hex, &h->shallow[i]),
				    s->base_name ? s->base_name : "merge-base",
				    short_hex(bhex, &s->base));
	}
	mt_error_prefix("%s", s->name);
	return MT_ERROR;
}

static bool changes_version_file(struct mt_history *h, const struct mt_commit_info *info)
{
	struct mt_oid mine, parent;
	int a, b;

	if (info->nparents == 0)
		return false;
	a = repo_file_oid(&mine, h->repo, &info->oid, "VERSION");
	b = repo_file_oid(&parent, h->repo, &info->parents[0], "VERSION");
	if (a == MT_ENOTFOUND && b == MT_ENOTFOUND)
		return false;
	if (a < 0 || b < 0) {
		mt_error_clear();
		return a != b;
	}
	return !oid_equal(&mine, &parent);
}

static int read_backport(struct mt_backport *b, struct trailer_list *trailers,
			 struct mt_history *h, const struct mt_oid *oid)
{
	struct mt_commit_info info;

	if (repo_commit_info(&info, h->repo, oid) < 0)
		return MT_ERROR;
	memset(b, 0, sizeof(*b));
	b->commit = *oid;
	b->subject = info.subject;
	info.subject = NULL;
	b->time = info.time;
	b->merge = info.nparents > 1;
	b->version_bump = !b->merge && changes_version_file(h, &info);
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
		if (!oidmap_get(pos, &r->commit)) {
			/* Not on this stream (a four-part tag on a side branch, another
			 * queue): it can still ship some of our commits, so walk it. */
		}
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
static void pair_reverts(struct mt_history *h, struct mt_backport *list, size_t n,
			 struct trailer_list *trailers, const struct oidmap *pos)
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
				backport_note(&list[i], "reverts %s, which is not a backport of this "
					      "stream", short_hex(hex, &oid));
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

int history_backports(struct mt_backports *out, struct mt_history *h,
		      const struct mt_stream *s, const struct mt_oid *since)
{
	struct mt_oid *commits = NULL;
	struct trailer_list *trailers = NULL;
	struct oidmap pos = OIDMAP_INIT;
	size_t n = 0, i;
	int ret = MT_ERROR;

	memset(out, 0, sizeof(*out));
	if (check_shallow(h, s) < 0)
		goto out;
	if (repo_walk(&commits, &n, h->repo, &s->tip, &s->base, 1,
		      REPO_WALK_TOPO | REPO_WALK_REVERSE) < 0) {
		if (h->nshallow)
			name_shallow_edge(h, s);
		else
			mt_error_prefix("%s", s->name);
		goto out;
	}
	out->items = xcalloc(n ? n : 1, sizeof(*out->items));
	trailers = xcalloc(n ? n : 1, sizeof(*trailers));
	for (i = 0; i < n; i++) {
		if (read_backport(&out->items[i], &trailers[i], h, &commits[i]) < 0)
			goto out;
		out->count++;
		oidmap_put(&pos, &commits[i], (void *)(uintptr_t)(i + 1));
	}
	out->total = n;
	if (assign_releases(h, s, out->items, &pos) < 0)
		goto out;
	if (history_match_upstream(h, &s->base, out->items, n, trailers) < 0) {
		mt_error_prefix("%s", s->name);
		goto out;
	}
	pair_reverts(h, out->items, n, trailers, &pos);
	if (since && cut_since(h, s, out, since) < 0)
		goto out;
	ret = MT_OK;
out:
	for (i = 0; trailers && i < n; i++)
		trailer_list_release(&trailers[i]);
	free(trailers);
	free(commits);
	oidmap_release(&pos);
	if (ret < 0)
		backports_release(out);
	return ret;
}
