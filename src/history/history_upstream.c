/*
 * Where a backport came from. A trailer naming a commit in master is the
 * answer; when there is none (or it names something else), the backport's
 * patch id is compared with master's commits since the stream's base that
 * share its subject or its author time. Both survive a cherry-pick and
 * `git am` of the same mail, and reading them costs nothing past master's
 * graph, while a patch id costs a diff: comparing with every commit since an
 * old base read tens of thousands of trees. A patch taken with a new subject
 * and a new date is not found (its trailer is the way to name it).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "history_internal.h"
#include "util/mtlimits.h"
#include "util/strbuf.h"
#include "util/subject.h"
#include "util/xalloc.h"

/*
 * Master is read once per run into a graph (repo_graph_load: the order of a
 * topological walk, oldest first). A stream's "master since its base" is
 * the graph minus what the base reaches, marked per base. The patch-id
 * search looks only at master commits that share the backport's subject or
 * author time, found in two sorted indexes built once per graph.
 */
struct master_key {
	uint64_t key;
	size_t at; /* graph position: older commits first */
};

struct history_master_keys {
	struct master_key *by_subject;
	struct master_key *by_author_time;
	size_t count;
};

struct history_master_index {
	struct mt_oid base;
	bool *hidden;           /* per graph position: reachable from the base */
};

/*
 * An upstream commit exists before its backport, except when a stable
 * maintainer takes a patch from the list before it reaches master; this much
 * later than the backport is searched.
 */
#define PATCH_ID_SLACK (30 * 24 * 3600)

void history_indexes_release(struct mt_history *h)
{
	size_t i;

	for (i = 0; i < h->nindexes; i++)
		free(h->indexes[i].hidden);
	free(h->indexes);
	h->indexes = NULL;
	h->nindexes = h->indexes_alloc = 0;
	if (h->keys) {
		free(h->keys->by_subject);
		free(h->keys->by_author_time);
		free(h->keys);
		h->keys = NULL;
	}
	repo_graph_release(&h->graph);
	history_followups_free(h->followups);
	h->followups = NULL;
	h->graph_loaded = h->graph_full = false;
}

void backport_note(struct mt_backport *b, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	b->notes = xrealloc(b->notes, (b->nnotes + 1) * sizeof(*b->notes));
	b->notes[b->nnotes++] = strbuf_detach(&sb, NULL);
}

/*
 * One stream (check, backports) needs only master since its base, a short
 * walk for a recent release; a second base, or a caller that will ask about
 * every stream (audit), reads all of master once.
 */
static int load_graph(struct mt_history *h, const struct mt_oid *base)
{
	bool full = h->graph_loaded || h->whole_master;

	if (h->graph_loaded && (h->graph_full || oid_equal(&h->graph_base, base)))
		return MT_OK;
	history_indexes_release(h);
	h->followups = history_followups_new();
	if (repo_graph_load(&h->graph, h->repo, &h->master, full ? NULL : base,
			    history_followups_collect, h->followups) < 0)
		return MT_ERROR;
	h->graph_loaded = true;
	h->graph_full = full;
	h->graph_base = *base;
	return MT_OK;
}

/*
 * Marks what `base` reaches. Its ancestors in master are graph positions;
 * a base off master (a tag on a side branch) is followed through its own
 * commits until they meet master.
 */
static int mark_hidden(bool *hidden, struct mt_history *h, const struct mt_oid *base)
{
	const struct repo_graph *g = &h->graph;
	struct oidmap seen = OIDMAP_INIT;
	struct mt_oid *outside = NULL;
	size_t *stack = NULL, nstack = 0, stack_alloc = 0, noutside = 0, outside_alloc = 0, at, j;
	int ret = MT_ERROR;

	ARRAY_GROW(outside, noutside, outside_alloc);
	outside[noutside++] = *base;
	oidmap_put(&seen, base, &seen);
	while (noutside) {
		struct mt_oid c = outside[--noutside];
		struct mt_commit_info info;

		if (repo_graph_find(&at, g, &c)) {
			if (!hidden[at]) {
				hidden[at] = true;
				ARRAY_GROW(stack, nstack, stack_alloc);
				stack[nstack++] = at;
			}
			continue;
		}
		if (repo_commit_info(&info, h->repo, &c) < 0)
			goto out;
		for (j = 0; j < info.nparents; j++) {
			if (oidmap_get(&seen, &info.parents[j]))
				continue;
			oidmap_put(&seen, &info.parents[j], &seen);
			ARRAY_GROW(outside, noutside, outside_alloc);
			outside[noutside++] = info.parents[j];
		}
		commit_info_release(&info);
	}
	while (nstack) {
		at = stack[--nstack];
		for (j = g->parent_at[at]; j < g->parent_at[at + 1]; j++) {
			if (!hidden[g->parents[j]]) {
				hidden[g->parents[j]] = true;
				ARRAY_GROW(stack, nstack, stack_alloc);
				stack[nstack++] = g->parents[j];
			}
		}
	}
	ret = MT_OK;
out:
	free(stack);
	free(outside);
	oidmap_release(&seen);
	return ret;
}

/* The master commits since `base`: marked once per base and kept for the run. */
static int master_index(struct history_master_index **out, struct mt_history *h,
			const struct mt_oid *base)
{
	struct history_master_index *idx;
	size_t i;

	if (load_graph(h, base) < 0) {
		mt_error_prefix("master (%s)", h->master_name);
		return MT_ERROR;
	}
	for (i = 0; i < h->nindexes; i++) {
		if (oid_equal(&h->indexes[i].base, base)) {
			*out = &h->indexes[i];
			return MT_OK;
		}
	}
	ARRAY_GROW(h->indexes, h->nindexes, h->indexes_alloc);
	idx = &h->indexes[h->nindexes];
	memset(idx, 0, sizeof(*idx));
	idx->base = *base;
	idx->hidden = xcalloc(h->graph.count + 1, sizeof(*idx->hidden));
	/* A graph of master ^base hides nothing. */
	if (h->graph_full && mark_hidden(idx->hidden, h, base) < 0) {
		free(idx->hidden);
		mt_error_prefix("master (%s)", h->master_name);
		return MT_ERROR;
	}
	h->nindexes++;
	*out = idx;
	return MT_OK;
}

static int in_master(bool *out, struct mt_history *h, const struct mt_oid *oid)
{
	size_t at;

	*out = repo_graph_find(&at, &h->graph, oid);
	if (*out || h->graph_full)
		return MT_OK;
	/* Older than the base, or not in master at all: rare, so asked one by one. */
	return repo_is_ancestor(out, h->repo, oid, &h->master);
}

static int compare_master_keys(const void *a, const void *b)
{
	const struct master_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Master's non-merge commits sorted by subject key and by author time, built once per graph. */
static const struct history_master_keys *master_keys(struct mt_history *h)
{
	const struct repo_graph *g = &h->graph;
	struct history_master_keys *k = h->keys;
	size_t i;

	if (k)
		return k;
	k = h->keys = xcalloc(1, sizeof(*k));
	k->by_subject = xcalloc(g->count + 1, sizeof(*k->by_subject));
	k->by_author_time = xcalloc(g->count + 1, sizeof(*k->by_author_time));
	for (i = 0; i < g->count; i++) {
		/* A merge's diff is its branch's, not one patch. */
		if (g->parent_at[i + 1] - g->parent_at[i] > 1)
			continue;
		k->by_subject[k->count].key = g->subject_keys[i];
		k->by_subject[k->count].at = i;
		k->by_author_time[k->count].key = (uint64_t)g->author_times[i];
		k->by_author_time[k->count].at = i;
		k->count++;
	}
	qsort(k->by_subject, k->count, sizeof(*k->by_subject), compare_master_keys);
	qsort(k->by_author_time, k->count, sizeof(*k->by_author_time), compare_master_keys);
	return k;
}

struct candidates {
	size_t *at;
	size_t count, alloc;
};

/* Appends the positions with this key that lie in the backport's window. */
static void add_candidates(struct candidates *c, const struct master_key *keys, size_t n,
			   uint64_t key, const struct repo_graph *g,
			   const struct history_master_index *idx, int64_t until)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keys[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && keys[lo].key == key && c->count < MT_LIMIT_PATCH_ID_CANDIDATES; lo++) {
		size_t at = keys[lo].at;

		if (idx->hidden[at] || g->times[at] > until)
			continue;
		ARRAY_GROW(c->at, c->count, c->alloc);
		c->at[c->count++] = at;
	}
}

static int compare_positions(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The master commits since the base, committed before the backport (give
 * or take PATCH_ID_SLACK), with its subject or its author time: oldest
 * first, each once.
 */
static void find_candidates(struct candidates *c, struct mt_history *h,
			    const struct history_master_index *idx, const struct mt_backport *b)
{
	const struct history_master_keys *k = master_keys(h);
	const struct repo_graph *g = &h->graph;
	int64_t until = b->time + PATCH_ID_SLACK;
	uint64_t subject = subject_key(b->subject, strlen(b->subject));
	size_t i, n = 0;

	if (subject)
		add_candidates(c, k->by_subject, k->count, subject, g, idx, until);
	add_candidates(c, k->by_author_time, k->count, (uint64_t)b->author_time, g, idx, until);
	if (c->count)
		qsort(c->at, c->count, sizeof(*c->at), compare_positions);
	for (i = 0; i < c->count; i++) {
		if (!n || c->at[n - 1] != c->at[i])
			c->at[n++] = c->at[i];
	}
	c->count = n;
}

static int cached_patch_id(const struct mt_oid **out, struct mt_history *h,
			   const struct mt_oid *commit)
{
	struct mt_oid *id = oidmap_get(&h->patch_ids, commit);

	if (!id) {
		id = xmalloc(sizeof(*id));
		if (repo_patch_id(id, h->repo, commit) < 0) {
			free(id);
			return MT_ERROR;
		}
		oidmap_put(&h->patch_ids, commit, id);
	}
	*out = id;
	return MT_OK;
}

/*
 * Master commits with the same patch as b among its candidates, oldest first,
 * into the first match and a count.
 */
static int match_patch_id(struct mt_history *h, struct history_master_index *idx,
			  struct mt_backport *b)
{
	const struct repo_graph *g = &h->graph;
	struct candidates c = { NULL, 0, 0 };
	const struct mt_oid *mine, *theirs;
	struct mt_oid first;
	size_t i, matches = 0, unreadable = 0;

	find_candidates(&c, h, idx, b);
	if (!c.count)
		goto out;
	if (cached_patch_id(&mine, h, &b->commit) < 0) {
		backport_note(b, "no patch id: %s", mt_error_last());
		mt_error_clear();
		goto out;
	}
	for (i = 0; i < c.count; i++) {
		const struct mt_oid *commit = &g->commits[c.at[i]];

		if (cached_patch_id(&theirs, h, commit) < 0) {
			mt_error_clear();
			unreadable++;
			continue;
		}
		if (oid_equal(mine, theirs) && !matches++)
			first = *commit;
	}
	if (!matches) {
		if (unreadable)
			backport_note(b, "no patch-id match; %zu master commits could not be read",
				      unreadable);
		goto out;
	}
	if (b->has_upstream && !b->upstream_in_master) {
		char hex[13];
		oid_to_short(hex, 12, &b->upstream);
		backport_note(b, "trailer names %s, not in master; the patch matches master", hex);
	}
	b->has_upstream = true;
	b->upstream = first;
	b->upstream_in_master = true;
	b->match = MATCH_PATCH_ID;
	if (matches > 1)
		backport_note(b, "the patch matches %zu master commits; the oldest is taken", matches);
out:
	free(c.at);
	return MT_OK;
}

static int resolve_origin(struct mt_origin *o, struct mt_history *h, const struct trailer *t,
			  struct mt_backport *b)
{
	int err;

	memset(o, 0, sizeof(*o));
	o->kind = t->kind;
	memcpy(o->hex, t->hex, sizeof(o->hex));
	if (t->hexlen == MT_OID_HEXSZ) {
		err = oid_from_hex(&o->oid, t->hex) < 0 || !repo_has_commit(h->repo, &o->oid)
			? MT_ENOTFOUND : MT_OK;
	} else {
		err = repo_lookup_commit_prefix(&o->oid, h->repo, t->hex, t->hexlen);
	}
	if (err == MT_ENOTFOUND) {
		memset(&o->oid, 0, sizeof(o->oid));
		backport_note(b, "%s trailer names %s: no such commit", trailer_kind_name(t->kind),
			      t->hex);
		return MT_OK;
	}
	if (err < 0) {
		backport_note(b, "%s trailer: %s", trailer_kind_name(t->kind), mt_error_last());
		mt_error_clear();
		return MT_OK;
	}
	o->exists = true;
	if (in_master(&o->in_master, h, &o->oid) < 0)
		return MT_ERROR;
	if (!o->in_master) {
		char hex[13];
		oid_to_short(hex, 12, &o->oid);
		backport_note(b, "%s trailer names %s, which is not in master",
			      trailer_kind_name(t->kind), hex);
	}
	return MT_OK;
}

/* Decides from the trailers alone; returns true when a patch id should be tried. */
static bool decide_from_origins(struct mt_backport *b)
{
	const struct mt_origin *in[8];
	size_t nin = 0, i, j;
	bool mixed = false;

	for (i = 0; i < b->norigins; i++) {
		const struct mt_origin *o = &b->origins[i];
		bool seen = false;

		if (!o->in_master)
			continue;
		for (j = 0; j < nin; j++)
			seen |= oid_equal(&in[j]->oid, &o->oid);
		if (!seen && nin < ARRAY_SIZE(in))
			in[nin++] = o;
	}
	if (nin == 1) {
		b->match = MATCH_TRAILER;
		b->has_upstream = true;
		b->upstream = in[0]->oid;
		b->upstream_in_master = true;
		return false;
	}
	if (nin > 1) {
		struct strbuf sb = STRBUF_INIT;

		for (i = 0; i < nin; i++) {
			char hex[13];
			oid_to_short(hex, 12, &in[i]->oid);
			strbuf_addf(&sb, "%s%s %s", i ? ", " : "", trailer_kind_name(in[i]->kind), hex);
			mixed |= in[i]->kind != in[0]->kind;
		}
		/* Which one is "the" upstream is not ours to guess: the origins list all. */
		backport_note(b, "%s %zu master commits: %s",
			      mixed ? "conflicting trailers name" : "squash of", nin, sb.buf);
		strbuf_release(&sb);
		b->match = MATCH_TRAILER;
		return false;
	}
	for (i = 0; i < b->norigins; i++) {
		if (b->origins[i].exists) {
			/* Kept unless a patch id finds the master original. */
			b->match = MATCH_TRAILER;
			b->has_upstream = true;
			b->upstream = b->origins[i].oid;
			b->upstream_in_master = false;
			break;
		}
	}
	return !b->merge && (b->norigins || !b->version_bump);
}

int history_match_upstream(struct mt_history *h, const struct mt_oid *base,
			   struct mt_backport *list, size_t n, struct trailer_list *trailers)
{
	struct history_master_index *idx = NULL;
	bool *pending = xcalloc(n ? n : 1, sizeof(*pending));
	size_t i, j;
	int ret = MT_ERROR;

	if (!h->has_master) {
		for (i = 0; i < n; i++)
			backport_note(&list[i], "no master: upstream origin not checked");
		ret = MT_OK;
		goto out;
	}
	if (master_index(&idx, h, base) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct mt_backport *b = &list[i];

		for (j = 0; j < trailers[i].count; j++) {
			if (trailers[i].items[j].kind == TRAILER_REVERTS)
				continue;
			b->origins = xrealloc(b->origins, (b->norigins + 1) * sizeof(*b->origins));
			if (resolve_origin(&b->origins[b->norigins], h, &trailers[i].items[j], b) < 0)
				goto out;
			b->norigins++;
		}
		pending[i] = decide_from_origins(b);
	}
	for (i = 0; i < n; i++) {
		if (pending[i] && match_patch_id(h, idx, &list[i]) < 0)
			goto out;
	}
	ret = MT_OK;
out:
	free(pending);
	return ret;
}
