/*
 * Master read into memory once (repo_graph_load), from raw commit objects:
 * the repo module's graph half (see repo.c).
 */
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/oidmap.h"
#include "repo_internal.h"
#include "util/subject.h"
#include "util/xalloc.h"

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

#define GRAPH_EXPECTED_COMMITS ((size_t)1 << 16)

struct graph_loader {
	struct mt_repo *repo;
	repo_graph_message_fn on_message; /* may be NULL */
	void *payload;
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
	git_odb_object *raw;
	git_oid id;
	const char *p, *end;
	char hex[13];
	int err;

	node->first_parent = l->nparents;
	to_git(&id, &node->oid);
	err = repo_commit_read(&raw, l->repo, &id);
	if (err == MT_ENOTFOUND)
		return mt_error_set("%s: not a commit", oid_short(hex, &node->oid));
	if (err < 0)
		return mt_error_set("commit %s: cannot read: %s", oid_short(hex, &node->oid),
				    git_message());
	p = git_odb_object_data(raw);
	end = p + git_odb_object_size(raw);
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) == 7 + MT_OID_HEXSZ && !strncmp(p, "parent ", 7)) {
			if (git_oid_fromstrn(&id, p + 7, MT_OID_HEXSZ) < 0) {
				git_odb_object_free(raw);
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
	if (p < end) {
		node->subject = subject_key(p + 1, (size_t)(end - p - 1));
		if (l->on_message)
			l->on_message(&node->oid, p + 1, (size_t)(end - p - 1), l->payload);
	}
	git_odb_object_free(raw);
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

/* What a graph keeps of a commit read by graph_read, at position `at`. */
static void graph_set(struct repo_graph *g, size_t at, const struct graph_node *node)
{
	g->commits[at] = node->oid;
	g->times[at] = node->time;
	g->author_times[at] = node->author_time;
	g->subject_keys[at] = node->subject;
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
			    const struct mt_oid *hide, repo_graph_message_fn on_message,
			    void *payload)
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
	w.l.on_message = on_message;
	w.l.payload = payload;
	w.l.repo = repo;
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

		graph_set(out, i, node);
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
	return ret;
}

int repo_graph_load(struct repo_graph *out, struct mt_repo *repo, const struct mt_oid *tip,
		    const struct mt_oid *hide, repo_graph_message_fn on_message, void *payload)
{
	struct graph_loader l;
	size_t *order = NULL, norder = 0, *pnode = NULL, *indeg = NULL, *stack = NULL;
	size_t *pos = NULL, nstack = 0, i, j, k, n;
	int ret = MT_ERROR;

	if (hide)
		return graph_load_range(out, repo, tip, hide, on_message, payload);
	memset(out, 0, sizeof(*out));
	memset(&l, 0, sizeof(l));
	l.repo = repo;
	l.on_message = on_message;
	l.payload = payload;
	/* All of master: QEMU's is 130,000 commits, and growing the map there was 4 % of audit. */
	oidmap_reserve(&l.seen, GRAPH_EXPECTED_COMMITS);
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
		graph_set(out, pos[i], &l.nodes[i]);
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
	/* Every commit met is in the graph: its index is the loader's map, renumbered in place. */
	out->index = l.seen;
	memset(&l.seen, 0, sizeof(l.seen));
	for (i = 0; i < n; i++)
		oidmap_put(&out->index, &l.nodes[i].oid, (void *)(uintptr_t)(pos[i] + 1));
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
	return ret;
}
