/*
 * Where a backport came from. A trailer naming a commit in master is the
 * answer; when there is none (or it names something else), the backport's
 * patch id is looked up among master's commits since the stream's base. Patch
 * ids cost a diff each, so master commits are first grouped by the set of
 * paths they touch (a tree diff, no file contents): equal patches touch equal
 * paths, and only commits in the backport's group get a patch id. Only the
 * paths of backports that need a patch id matter: a master commit's trees are
 * walked along those paths alone, and a change anywhere else settles that it
 * matches none of them.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "history_internal.h"
#include "strbuf.h"
#include "xalloc.h"

/*
 * Master is read once per run into a graph (repo_graph_load: the order of a
 * topological walk, oldest first). A stream's "master since its base" is
 * the graph minus what the base reaches, marked per base; the path hashes
 * the patch-id search groups by are computed once per master commit and
 * shared by every base.
 */
struct path_key {
	uint64_t hash;
	size_t at; /* graph position: older commits first */
};

/* PATHS_OUTSIDE: changes a path no backport looked up so far touches. */
enum { PATHS_UNKNOWN, PATHS_HASHED, PATHS_UNREADABLE, PATHS_OUTSIDE };

/* A sorted set of paths. */
struct path_set {
	char **v;
	size_t n, alloc;
};

struct history_master_keys {
	unsigned char *paths;   /* per graph position: PATHS_* */
	uint32_t *witness;      /* per PATHS_OUTSIDE position: the path outside, in witnesses */
	struct path_key *keys;  /* hashed commits: sorted up to nsorted, then appended */
	size_t nkeys, nsorted, alloc;
	/* The changed files of backports looked up by patch id, and their directories ("hw/"): */
	struct path_set wanted;
	unsigned generation;    /* bumped when `wanted` grows */
	/* Paths found outside `wanted`, by first sight; and, sorted, their ids: */
	char **witnesses;
	bool *witness_wanted;   /* per witness: in `wanted` since */
	size_t nwitnesses, witnesses_alloc, witness_flags_alloc;
	uint32_t *witness_order;
	size_t witness_order_alloc;
};

struct history_master_index {
	struct mt_oid base;
	bool *hidden;           /* per graph position: reachable from the base */
	int64_t keys_until;     /* commits up to this time are hashed */
	unsigned keys_generation; /* ... for this `wanted` */
	size_t unreadable;      /* commits since the base whose trees could not be read */
};

/*
 * An upstream commit exists before its backport, except when a stable
 * maintainer takes a patch from the list before it reaches master; this much
 * later than the newest backport still looked up is searched.
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
		struct history_master_keys *k = h->keys;

		for (i = 0; i < k->wanted.n; i++)
			free(k->wanted.v[i]);
		free(k->wanted.v);
		for (i = 0; i < k->nwitnesses; i++)
			free(k->witnesses[i]);
		free(k->witnesses);
		free(k->witness_wanted);
		free(k->witness_order);
		free(k->witness);
		free(k->paths);
		free(k->keys);
		free(k);
		h->keys = NULL;
	}
	repo_graph_release(&h->graph);
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
 * walk for a recent release; a second base (audit) reads all of master once.
 */
static int load_graph(struct mt_history *h, const struct mt_oid *base)
{
	bool full = h->graph_loaded;

	if (h->graph_loaded && (h->graph_full || oid_equal(&h->graph_base, base)))
		return MT_OK;
	history_indexes_release(h);
	if (repo_graph_load(&h->graph, h->repo, &h->master, full ? NULL : base) < 0)
		return MT_ERROR;
	h->keys = xcalloc(1, sizeof(*h->keys));
	h->keys->paths = xcalloc(h->graph.count + 1, 1);
	h->keys->witness = xcalloc(h->graph.count + 1, sizeof(*h->keys->witness));
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
	idx->keys_until = INT64_MIN;
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

static void hash_bytes(uint64_t *h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 1099511628211ull; /* FNV-1a */
	}
}

static int hash_path(const struct mt_diff_file *file, void *payload)
{
	uint64_t *h = payload;
	const char *old_path = file->old_path ? file->old_path : "";
	const char *new_path = file->new_path ? file->new_path : "";

	hash_bytes(h, old_path, strlen(old_path) + 1);
	hash_bytes(h, new_path, strlen(new_path) + 1);
	return 0;
}

static int path_hash(uint64_t *out, struct mt_repo *repo, const struct mt_oid *commit)
{
	*out = 14695981039346656037ull;
	return repo_diff_commit_paths(repo, commit, hash_path, out) < 0 ? MT_ERROR : MT_OK;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool path_set_has(const struct path_set *set, const char *path)
{
	return set->n &&
	       bsearch(&path, set->v, set->n, sizeof(*set->v), compare_strings) != NULL;
}

/* Adds a changed file of a backport and its directories ("hw/", "hw/arm/") to a list. */
static int want_path(const struct mt_diff_file *file, void *payload)
{
	struct path_set *added = payload;
	const char *p = file->new_path, *slash;

	for (slash = strchr(p, '/'); slash; slash = strchr(slash + 1, '/')) {
		ARRAY_GROW(added->v, added->n, added->alloc);
		added->v[added->n++] = xstrndup(p, (size_t)(slash - p) + 1);
	}
	ARRAY_GROW(added->v, added->n, added->alloc);
	added->v[added->n++] = xstrdup(p);
	return 0;
}

/* Merges the paths in `added` (taking them) into `wanted`; notes when it grew. */
static void merge_wanted(struct history_master_keys *k, struct path_set *added)
{
	size_t i, n = 0, before = k->wanted.n;

	if (!added->n)
		return;
	qsort(added->v, added->n, sizeof(*added->v), compare_strings);
	for (i = 0; i < added->n; i++) {
		if ((n && !strcmp(added->v[n - 1], added->v[i])) ||
		    path_set_has(&k->wanted, added->v[i])) {
			free(added->v[i]);
			continue;
		}
		added->v[n++] = added->v[i];
	}
	for (i = 0; i < n; i++) {
		ARRAY_GROW(k->wanted.v, k->wanted.n, k->wanted.alloc);
		k->wanted.v[k->wanted.n++] = added->v[i];
	}
	free(added->v);
	memset(added, 0, sizeof(*added));
	if (k->wanted.n == before)
		return;
	qsort(k->wanted.v, k->wanted.n, sizeof(*k->wanted.v), compare_strings);
	k->generation++;
	for (i = 0; i < k->nwitnesses; i++)
		k->witness_wanted[i] = path_set_has(&k->wanted, k->witnesses[i]);
}

/* The id of a path outside `wanted`, remembered on first sight. */
static uint32_t witness_id(struct history_master_keys *k, const char *path)
{
	size_t lo = 0, hi = k->nwitnesses, n = k->nwitnesses;
	uint32_t id;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, k->witnesses[k->witness_order[mid]]);

		if (!c)
			return k->witness_order[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	id = (uint32_t)n;
	ARRAY_GROW(k->witnesses, n, k->witnesses_alloc);
	k->witnesses[n] = xstrdup(path);
	ARRAY_GROW(k->witness_wanted, n, k->witness_flags_alloc);
	k->witness_wanted[n] = false;
	ARRAY_GROW(k->witness_order, n, k->witness_order_alloc);
	memmove(k->witness_order + lo + 1, k->witness_order + lo,
		(n - lo) * sizeof(*k->witness_order));
	k->witness_order[lo] = id;
	k->nwitnesses++;
	return id;
}

struct within_walk {
	struct history_master_keys *k;
	uint32_t witness;
};

static bool within_wanted(const char *path, void *payload)
{
	struct within_walk *w = payload;

	if (path_set_has(&w->k->wanted, path))
		return true;
	w->witness = witness_id(w->k, path);
	return false;
}

/* Hashes the paths of master commit `at` when they all lie within `wanted`. */
static void hash_master_commit(struct mt_history *h, size_t at)
{
	struct history_master_keys *k = h->keys;
	struct within_walk w = { k, 0 };
	uint64_t hash = 14695981039346656037ull;
	bool outside;

	if (repo_diff_commit_paths_within(&outside, h->repo, &h->graph.commits[at], within_wanted,
					  &w, hash_path, &hash) < 0) {
		mt_error_clear();
		k->paths[at] = PATHS_UNREADABLE;
	} else if (outside) {
		k->paths[at] = PATHS_OUTSIDE;
		k->witness[at] = w.witness;
	} else {
		k->paths[at] = PATHS_HASHED;
		ARRAY_GROW(k->keys, k->nkeys, k->alloc);
		k->keys[k->nkeys].hash = hash;
		k->keys[k->nkeys++].at = at;
	}
}

static int compare_keys(const void *a, const void *b)
{
	const struct path_key *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Sorts the keys appended since the last call into the sorted ones. */
static void sort_keys(struct history_master_keys *k)
{
	struct path_key *merged;
	size_t i = 0, j, n = 0;

	if (k->nsorted == k->nkeys)
		return;
	qsort(k->keys + k->nsorted, k->nkeys - k->nsorted, sizeof(*k->keys), compare_keys);
	merged = xcalloc(k->nkeys, sizeof(*merged));
	for (j = k->nsorted; i < k->nsorted || j < k->nkeys;) {
		if (j == k->nkeys || (i < k->nsorted && compare_keys(&k->keys[i], &k->keys[j]) <= 0))
			merged[n++] = k->keys[i++];
		else
			merged[n++] = k->keys[j++];
	}
	free(k->keys);
	k->keys = merged;
	k->alloc = k->nkeys;
	k->nsorted = k->nkeys;
}

static bool is_merge(const struct repo_graph *g, size_t at)
{
	return g->parent_at[at + 1] - g->parent_at[at] > 1;
}

/*
 * Hashes the paths of master's non-merge commits since the base committed up
 * to `until` that lie within `wanted`; a commit found outside is looked at
 * again only when `wanted` has grown to take in the path it was found by.
 */
static int build_keys(struct mt_history *h, struct history_master_index *idx, int64_t until)
{
	const struct repo_graph *g = &h->graph;
	struct history_master_keys *k = h->keys;
	size_t i;

	if (until <= idx->keys_until && idx->keys_generation == k->generation)
		return MT_OK;
	if (until < idx->keys_until)
		until = idx->keys_until;
	idx->unreadable = 0;
	for (i = 0; i < g->count; i++) {
		/* A merge's diff is its branch's, not one patch. */
		if (idx->hidden[i] || is_merge(g, i) || g->times[i] > until)
			continue;
		if (k->paths[i] == PATHS_OUTSIDE && k->witness_wanted[k->witness[i]])
			k->paths[i] = PATHS_UNKNOWN;
		if (k->paths[i] == PATHS_UNKNOWN)
			hash_master_commit(h, i);
		/* A snapshot without some large blobs or trees: skipped, and said. */
		if (k->paths[i] == PATHS_UNREADABLE)
			idx->unreadable++;
	}
	idx->keys_until = until;
	idx->keys_generation = k->generation;
	sort_keys(k);
	return MT_OK;
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

/* Master commits with the same patch as b, oldest first, into the first match and a count. */
static int match_patch_id(struct mt_history *h, struct history_master_index *idx,
			  struct mt_backport *b)
{
	const struct repo_graph *g = &h->graph;
	const struct history_master_keys *k = h->keys;
	const struct mt_oid *mine, *theirs;
	struct mt_oid first;
	uint64_t hash;
	size_t lo = 0, hi = k->nkeys, matches = 0;

	if (path_hash(&hash, h->repo, &b->commit) < 0 || cached_patch_id(&mine, h, &b->commit) < 0) {
		backport_note(b, "no patch id: %s", mt_error_last());
		mt_error_clear();
		return MT_OK;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k->keys[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Keys are shared by every base: keep this base's, as far as it was hashed. */
	for (; lo < k->nkeys && k->keys[lo].hash == hash; lo++) {
		size_t at = k->keys[lo].at;
		const struct mt_oid *c = &g->commits[at];

		if (idx->hidden[at] || g->times[at] > idx->keys_until)
			continue;
		if (cached_patch_id(&theirs, h, c) < 0) {
			mt_error_clear();
			continue;
		}
		if (oid_equal(mine, theirs) && !matches++)
			first = *c;
	}
	if (!matches) {
		if (idx->unreadable)
			backport_note(b, "no patch-id match; %zu master commits could not be read",
				      idx->unreadable);
		return MT_OK;
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
	size_t i, j, npending = 0;
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
		npending += pending[i];
	}
	if (npending) {
		int64_t until = INT64_MIN;

		struct path_set added = { NULL, 0, 0 };

		for (i = 0; i < n; i++) {
			if (!pending[i])
				continue;
			if (list[i].time > until)
				until = list[i].time;
			/* An unreadable backport is said when it is looked up. */
			if (repo_diff_commit_paths(h->repo, &list[i].commit, want_path, &added) < 0)
				mt_error_clear();
		}
		merge_wanted(h->keys, &added);
		if (build_keys(h, idx, until + PATCH_ID_SLACK) < 0)
			goto out;
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
