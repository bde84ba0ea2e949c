/*
 * Follow-ups: master commits whose `Fixes:` trailer names an earlier
 * commit. When upstream later adds compat entries "for machines before
 * X.Y+1" in a commit that says it fixes the one a stream backported, the
 * backport changed what X.Y guests see (Launchpad 2131822). The trailers
 * are collected while master's graph is read (each message is in memory
 * then), so finding them costs no second read of master.
 */
#include <stdlib.h>
#include <string.h>

#include "history_internal.h"
#include "util/error.h"
#include "util/oid.h"
#include "util/xalloc.h"

struct followup {
	uint32_t key;               /* the first 7 hex digits named, as a number */
	char hex[MT_OID_HEXSZ + 1]; /* every digit named */
	struct mt_oid commit;       /* the master commit with the trailer */
};

struct history_followups {
	struct followup *items;
	size_t count, alloc;
	bool sorted;
};

static bool word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '_';
}

static uint32_t key_of(const char *hex)
{
	uint32_t key = 0;
	int i;

	for (i = 0; i < 7; i++)
		key = key << 4 | (uint32_t)hex_digit_value(hex[i]);
	return key;
}

/*
 * One `Fixes: <sha> ("subject")` line (also `Fixes: commit <sha>`): the sha
 * must be 7 to 40 hex digits standing alone. A URL or a bug number is not one.
 */
static void parse_line(struct history_followups *f, const struct mt_oid *commit,
		       const char *p, const char *eol)
{
	const char *start;
	struct followup *item;
	size_t n, i;

	p += 6; /* "Fixes:" */
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	if (eol - p > 7 && !strncmp(p, "commit ", 7))
		p += 7;
	for (start = p; p < eol && hex_digit_value(*p) >= 0; p++)
		;
	n = (size_t)(p - start);
	if (n < 7 || n > MT_OID_HEXSZ || (p < eol && word_char(*p)))
		return;
	ARRAY_GROW(f->items, f->count, f->alloc);
	item = &f->items[f->count++];
	for (i = 0; i < n; i++)
		item->hex[i] = (char)(start[i] >= 'A' && start[i] <= 'F' ? start[i] + 32 : start[i]);
	item->hex[n] = '\0';
	item->key = key_of(item->hex);
	item->commit = *commit;
	f->sorted = false;
}

void history_followups_collect(const struct mt_oid *commit, const char *message, size_t len,
			       void *payload)
{
	struct history_followups *f = payload;
	const char *p = message, *end = message + len;

	/* The subject line never is a trailer: look at the starts of the lines after it. */
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		const char *eol;

		p++;
		if (end - p < 6 || memcmp(p, "Fixes:", 6))
			continue;
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		parse_line(f, commit, p, eol);
		p = eol;
	}
}

struct history_followups *history_followups_new(void)
{
	return xcalloc(1, sizeof(struct history_followups));
}

void history_followups_free(struct history_followups *f)
{
	if (!f)
		return;
	free(f->items);
	free(f);
}

static int compare_followups(const void *a, const void *b)
{
	const struct followup *x = a, *y = b;
	int c = x->key != y->key ? (x->key < y->key ? -1 : 1) : 0;

	return c ? c : memcmp(x->commit.id, y->commit.id, sizeof(x->commit.id));
}

/* Oldest first, as master's graph orders them (few: an insertion sort). */
static void sort_by_position(struct mt_oid *v, size_t n, const struct repo_graph *g)
{
	size_t i, j, a, b;

	for (i = 1; i < n; i++) {
		struct mt_oid t = v[i];

		repo_graph_find(&a, g, &t);
		for (j = i; j > 0 && repo_graph_find(&b, g, &v[j - 1]) && b > a; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
}

int history_followups(struct mt_oid **out, size_t *out_count, struct mt_history *h,
		      const struct mt_oid *commit)
{
	struct history_followups *f = h->followups;
	char hex[MT_OID_HEXSZ + 1];
	size_t lo = 0, hi, at, n = 0;
	uint32_t key;

	*out = NULL;
	*out_count = 0;
	if (!f || !f->count)
		return MT_OK;
	if (!f->sorted) {
		qsort(f->items, f->count, sizeof(*f->items), compare_followups);
		f->sorted = true;
	}
	oid_to_hex(hex, commit);
	key = key_of(hex);
	hi = f->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->items[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < f->count && f->items[lo].key == key; lo++) {
		const struct followup *item = &f->items[lo];

		/* In master as read (a range load also reads a few commits past its edge). */
		if (strncmp(hex, item->hex, strlen(item->hex)) ||
		    !repo_graph_find(&at, &h->graph, &item->commit))
			continue;
		if (n && oid_equal(&(*out)[n - 1], &item->commit))
			continue; /* two trailers of one commit naming the same sha */
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = item->commit;
	}
	*out_count = n;
	sort_by_position(*out, n, &h->graph);
	return MT_OK;
}

/* Whether one of the stream's backports took `commit` (its upstream, or a commit a trailer names). */
static bool carried(const struct mt_backports *list, const struct mt_oid *commit)
{
	size_t i, j;

	for (i = 0; i < list->count; i++) {
		const struct mt_backport *b = &list->items[i];

		if (b->has_upstream && oid_equal(&b->upstream, commit))
			return true;
		for (j = 0; j < b->norigins; j++) {
			if (b->origins[j].exists && oid_equal(&b->origins[j].oid, commit))
				return true;
		}
	}
	return false;
}

int history_followups_missing(struct mt_oid **out, size_t *out_count, struct mt_history *h,
			      const struct mt_oid *commit, const struct mt_backports *stream)
{
	size_t i, n = 0;

	if (history_followups(out, out_count, h, commit) < 0)
		return MT_ERROR;
	for (i = 0; i < *out_count; i++) {
		if (!carried(stream, &(*out)[i]))
			(*out)[n++] = (*out)[i];
	}
	*out_count = n;
	return MT_OK;
}
