/*
 * Where a backport came from. A trailer naming a commit in master is the
 * answer; when there is none (or it names something else), the backport's
 * patch id is looked up among master's commits since the stream's base. Patch
 * ids cost a diff each, so master commits are first grouped by the set of
 * paths they touch (a tree diff, no file contents): equal patches touch equal
 * paths, and only commits in the backport's group get a patch id.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "history_internal.h"
#include "strbuf.h"
#include "xalloc.h"

struct path_key {
	uint64_t hash;
	size_t index; /* into commits: older commits first */
};

struct history_master_index {
	struct mt_oid base;
	struct mt_oid *commits; /* reachable from master, not from base; oldest first */
	size_t count;
	struct oidmap set;      /* commit -> index + 1 */
	/* Filled when a patch id is first needed: */
	int64_t *times;         /* committer time of each commit */
	bool *merges;
	struct path_key *keys;  /* non-merge commits up to keys_until, by path hash */
	size_t nkeys;
	int64_t keys_until;
	size_t unreadable;      /* commits whose trees could not be read */
};

/*
 * An upstream commit exists before its backport, except when a stable
 * maintainer takes a patch from the list before it reaches master; this much
 * later than the newest backport still looked up is searched.
 */
#define PATCH_ID_SLACK (30 * 24 * 3600)

/*
 * What the patch-id search needs of a master commit, read once per run: the
 * streams' indexes overlap (stable-9.0 and stable-9.1 both search master
 * after 9.1.0), and an audit asks for every stream.
 */
struct master_meta {
	int64_t time;   /* committer time */
	bool merge;
	enum { PATHS_UNKNOWN, PATHS_HASHED, PATHS_UNREADABLE } paths;
	uint64_t hash;  /* of the paths it touches, when PATHS_HASHED */
};

static void free_meta(void *value, void *payload)
{
	(void)payload;
	free(value);
}

void history_indexes_release(struct mt_history *h)
{
	size_t i;

	for (i = 0; i < h->nindexes; i++) {
		free(h->indexes[i].commits);
		oidmap_release(&h->indexes[i].set);
		free(h->indexes[i].keys);
		free(h->indexes[i].times);
		free(h->indexes[i].merges);
	}
	free(h->indexes);
	h->indexes = NULL;
	h->nindexes = h->indexes_alloc = 0;
	oidmap_each(&h->master_meta, free_meta, NULL);
	oidmap_release(&h->master_meta);
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

/* The master commits since `base`, walked once per base and kept for the run. */
static int master_index(struct history_master_index **out, struct mt_history *h,
			const struct mt_oid *base)
{
	struct history_master_index *idx;
	size_t i;

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
	if (repo_walk(&idx->commits, &idx->count, h->repo, &h->master, base, 1,
		      REPO_WALK_TOPO | REPO_WALK_REVERSE) < 0) {
		mt_error_prefix("master (%s)", h->master_name);
		return MT_ERROR;
	}
	for (i = 0; i < idx->count; i++)
		oidmap_put(&idx->set, &idx->commits[i], (void *)(uintptr_t)(i + 1));
	h->nindexes++;
	*out = idx;
	return MT_OK;
}

static int in_master(bool *out, struct mt_history *h, struct history_master_index *idx,
		     const struct mt_oid *oid)
{
	if (oidmap_get(&idx->set, oid)) {
		*out = true;
		return MT_OK;
	}
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

static int compare_keys(const void *a, const void *b)
{
	const struct path_key *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int master_meta(struct master_meta **out, struct mt_history *h, const struct mt_oid *commit)
{
	struct master_meta *m = oidmap_get(&h->master_meta, commit);
	struct mt_commit_info info;

	if (!m) {
		if (repo_commit_info(&info, h->repo, commit) < 0)
			return MT_ERROR;
		m = xcalloc(1, sizeof(*m));
		m->time = info.time;
		m->merge = info.nparents > 1;
		commit_info_release(&info);
		oidmap_put(&h->master_meta, commit, m);
	}
	*out = m;
	return MT_OK;
}

/* Groups master's non-merge commits committed up to `until` by the paths they touch. */
static int build_keys(struct mt_history *h, struct history_master_index *idx, int64_t until)
{
	size_t i;

	if (!idx->times) {
		idx->times = xcalloc(idx->count ? idx->count : 1, sizeof(*idx->times));
		idx->merges = xcalloc(idx->count ? idx->count : 1, sizeof(*idx->merges));
		idx->keys = xcalloc(idx->count ? idx->count : 1, sizeof(*idx->keys));
		for (i = 0; i < idx->count; i++) {
			struct master_meta *m;

			if (master_meta(&m, h, &idx->commits[i]) < 0)
				return MT_ERROR;
			idx->times[i] = m->time;
			idx->merges[i] = m->merge;
		}
		idx->keys_until = INT64_MIN;
	}
	if (until <= idx->keys_until)
		return MT_OK;
	for (i = 0; i < idx->count; i++) {
		struct master_meta *m;

		/* A merge's diff is its branch's, not one patch. */
		if (idx->merges[i] || idx->times[i] <= idx->keys_until || idx->times[i] > until)
			continue;
		m = oidmap_get(&h->master_meta, &idx->commits[i]);
		if (m->paths == PATHS_UNKNOWN) {
			if (path_hash(&m->hash, h->repo, &idx->commits[i]) < 0) {
				mt_error_clear();
				m->paths = PATHS_UNREADABLE;
			} else {
				m->paths = PATHS_HASHED;
			}
		}
		if (m->paths == PATHS_UNREADABLE) {
			/* A snapshot without some large blobs or trees: skip, and say so. */
			idx->unreadable++;
			continue;
		}
		idx->keys[idx->nkeys].hash = m->hash;
		idx->keys[idx->nkeys++].index = i;
	}
	idx->keys_until = until;
	qsort(idx->keys, idx->nkeys, sizeof(*idx->keys), compare_keys);
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
	const struct mt_oid *mine, *theirs;
	struct mt_oid first;
	uint64_t hash;
	size_t lo = 0, hi = idx->nkeys, matches = 0;

	if (path_hash(&hash, h->repo, &b->commit) < 0 || cached_patch_id(&mine, h, &b->commit) < 0) {
		backport_note(b, "no patch id: %s", mt_error_last());
		mt_error_clear();
		return MT_OK;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (idx->keys[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < idx->nkeys && idx->keys[lo].hash == hash; lo++) {
		const struct mt_oid *c = &idx->commits[idx->keys[lo].index];

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

static int resolve_origin(struct mt_origin *o, struct mt_history *h,
			  struct history_master_index *idx, const struct trailer *t,
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
	if (in_master(&o->in_master, h, idx, &o->oid) < 0)
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
			if (resolve_origin(&b->origins[b->norigins], h, idx, &trailers[i].items[j],
					   b) < 0)
				goto out;
			b->norigins++;
		}
		pending[i] = decide_from_origins(b);
		npending += pending[i];
	}
	if (npending) {
		int64_t until = INT64_MIN;

		for (i = 0; i < n; i++) {
			if (pending[i] && list[i].time > until)
				until = list[i].time;
		}
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
