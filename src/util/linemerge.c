/* Conflicting regions merged by matching lines (see linemerge.h). */
#include "util/linemerge.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Larger regions are not aligned line by line: ours, then the picked side's new lines. */
#define LINEMERGE_MAX_CELLS (4u << 20)

struct lines {
	const char **at;
	size_t *len;
	size_t n;
};

static void split_lines(struct lines *l, const char *s, size_t len)
{
	size_t i, start = 0;

	memset(l, 0, sizeof(*l));
	l->at = xcalloc(len + 1, sizeof(*l->at));
	l->len = xcalloc(len + 1, sizeof(*l->len));
	for (i = 0; i < len; i++) {
		if (s[i] != '\n')
			continue;
		l->at[l->n] = s + start;
		l->len[l->n++] = i + 1 - start;
		start = i + 1;
	}
	if (start < len) {
		l->at[l->n] = s + start;
		l->len[l->n++] = len - start;
	}
}

static void lines_release(struct lines *l)
{
	free(l->at);
	free(l->len);
}

/*
 * An empty initializer on one line ("x[] = {};") as two lines ("x[] = {"
 * and "};"), so that entries the other side added to that array find their
 * place inside it. split[i] marks the first half; the halves are written
 * back as the one line when nothing went between them.
 */
static bool *split_empty_initializers(struct lines *l)
{
	bool *split = xcalloc(2 * l->n + 1, sizeof(*split));
	struct lines out;
	size_t i;

	out.at = xcalloc(2 * l->n + 1, sizeof(*out.at));
	out.len = xcalloc(2 * l->n + 1, sizeof(*out.len));
	out.n = 0;
	for (i = 0; i < l->n; i++) {
		size_t len = l->len[i];

		while (len && (l->at[i][len - 1] == '\n' || l->at[i][len - 1] == ' ' ||
			       l->at[i][len - 1] == '\t' || l->at[i][len - 1] == '\r'))
			len--;
		if (len >= 3 && !memcmp(l->at[i] + len - 3, "{};", 3)) {
			split[out.n] = true;
			out.at[out.n] = l->at[i];
			out.len[out.n++] = len - 2;
			out.at[out.n] = l->at[i] + len - 2;
			out.len[out.n++] = l->len[i] - (len - 2);
			continue;
		}
		out.at[out.n] = l->at[i];
		out.len[out.n++] = l->len[i];
	}
	lines_release(l);
	*l = out;
	return split;
}

/* Equal ignoring a missing final newline. */
static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	size_t la = a->len[i], lb = b->len[j];

	if (la && a->at[i][la - 1] == '\n')
		la--;
	if (lb && b->at[j][lb - 1] == '\n')
		lb--;
	return la == lb && !memcmp(a->at[i], b->at[j], la);
}

/* match[i] = the line of b that a's line i pairs with in a longest common subsequence, or -1. */
static long *align(const struct lines *a, const struct lines *b)
{
	size_t i, j, w = b->n + 1;
	long *match = xmalloc((a->n + 1) * sizeof(*match));
	unsigned *dp;

	for (i = 0; i < a->n; i++)
		match[i] = -1;
	if ((a->n + 1) * w > LINEMERGE_MAX_CELLS)
		return match;
	dp = xcalloc((a->n + 1) * w, sizeof(*dp));
	for (i = a->n; i-- > 0;) {
		for (j = b->n; j-- > 0;) {
			unsigned down = dp[(i + 1) * w + j], right = dp[i * w + j + 1];

			dp[i * w + j] = same_line(a, i, b, j) ? dp[(i + 1) * w + j + 1] + 1
							       : down > right ? down : right;
		}
	}
	for (i = 0, j = 0; i < a->n && j < b->n;) {
		if (same_line(a, i, b, j)) {
			match[i++] = (long)j++;
		} else if (dp[i * w + j + 1] >= dp[(i + 1) * w + j]) {
			/*
			 * On a tie b's line pairs with a later line of the other
			 * side: new lines then come as whole runs before the
			 * lines they were written in front of (a new function
			 * before the one it was copied from, not inside it).
			 */
			j++;
		} else {
			i++;
		}
	}
	free(dp);
	return match;
}

static void add_line(struct strbuf *out, const struct lines *l, size_t i)
{
	strbuf_add(out, l->at[i], l->len[i]);
	if (!l->len[i] || l->at[i][l->len[i] - 1] != '\n')
		strbuf_addch(out, '\n');
}

/*
 * Net bracket depth of a text, and whether it ever goes below zero: the
 * tokenizer that reads the merged file refuses a closing bracket without
 * its opening one. Strings and comments are not told apart: this compares
 * a region before and after the merge, which share most of their text.
 */
static long bracket_depth(const char *s, size_t len, bool *negative)
{
	long depth = 0;
	size_t i;

	*negative = false;
	for (i = 0; i < len; i++) {
		if (s[i] == '{' || s[i] == '(' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ')' || s[i] == ']')
			depth--;
		if (depth < 0)
			*negative = true;
	}
	return depth;
}

static void merge_lines(struct strbuf *out, const char *base, size_t blen, const char *ours,
			size_t olen, const char *theirs, size_t tlen);

void linemerge_region(struct strbuf *out, const char *base, size_t blen, const char *ours,
		      size_t olen, const char *theirs, size_t tlen)
{
	struct strbuf merged = STRBUF_INIT;
	bool neg_ours, neg_merged;
	long d_ours = bracket_depth(ours, olen, &neg_ours), d_merged;

	merge_lines(&merged, base, blen, ours, olen, theirs, tlen);
	d_merged = bracket_depth(merged.buf ? merged.buf : "", merged.len, &neg_merged);
	/* Lines placed so that brackets no longer pair: keep ours, the change is left out. */
	if (d_merged != d_ours || (neg_merged && !neg_ours))
		strbuf_add(out, ours, olen);
	else
		strbuf_add(out, merged.buf ? merged.buf : "", merged.len);
	strbuf_release(&merged);
}

static void merge_lines(struct strbuf *out, const char *base, size_t blen, const char *ours,
			size_t olen, const char *theirs, size_t tlen)
{
	struct lines b, o, t;
	long *b_in_t, *b_in_o;
	bool *drop, *split;
	size_t **after, *nafter, i, j;
	long anchor = -1; /* the ours line added lines go after; -1: before all */

	split_lines(&b, base, blen);
	split_lines(&o, ours, olen);
	split_lines(&t, theirs, tlen);
	split = split_empty_initializers(&o);
	b_in_t = align(&b, &t);
	b_in_o = align(&b, &o);
	drop = xcalloc(o.n + 1, sizeof(*drop));
	/* after[k + 1]: the picked side's new lines that go after ours' line k */
	after = xcalloc(o.n + 2, sizeof(*after));
	nafter = xcalloc(o.n + 2, sizeof(*nafter));
	for (i = 0; i < b.n; i++) {
		if (b_in_t[i] < 0 && b_in_o[i] >= 0)
			drop[b_in_o[i]] = true;
	}
	for (i = 0, j = 0; j < t.n; j++) {
		/* the base line paired with t's line j, if any */
		while (i < b.n && (b_in_t[i] < 0 || (size_t)b_in_t[i] < j)) {
			if (b_in_o[i] >= 0)
				anchor = b_in_o[i];
			i++;
		}
		if (i < b.n && (size_t)b_in_t[i] == j) {
			if (b_in_o[i] >= 0)
				anchor = b_in_o[i];
			continue;
		}
		after[anchor + 1] = xrealloc(after[anchor + 1],
					     (nafter[anchor + 1] + 1) * sizeof(**after));
		after[anchor + 1][nafter[anchor + 1]++] = j;
	}
	for (j = 0; j < nafter[0]; j++)
		add_line(out, &t, after[0][j]);
	for (i = 0; i < o.n; i++) {
		if (split[i] && !drop[i] && !drop[i + 1] && !nafter[i + 1]) {
			/* nothing went inside: the line as it was */
			strbuf_add(out, o.at[i], o.len[i]);
			add_line(out, &o, ++i);
		} else if (!drop[i]) {
			add_line(out, &o, i);
		}
		for (j = 0; j < nafter[i + 1]; j++)
			add_line(out, &t, after[i + 1][j]);
	}
	for (i = 0; i < o.n + 2; i++)
		free(after[i]);
	free(after);
	free(nafter);
	free(drop);
	free(split);
	free(b_in_t);
	free(b_in_o);
	lines_release(&b);
	lines_release(&o);
	lines_release(&t);
}

/* Whether the line at s starts with `size` copies of c followed by a space, newline or end. */
static bool marker(const char *s, const char *end, char c, size_t size)
{
	size_t i;

	if ((size_t)(end - s) < size)
		return false;
	for (i = 0; i < size; i++) {
		if (s[i] != c)
			return false;
	}
	return s + size == end || s[size] == ' ' || s[size] == '\n';
}

static const char *next_line(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? nl + 1 : end;
}

void linemerge_resolve(struct strbuf *out, const char *text, size_t len, size_t marker_size)
{
	const char *s = text, *end = text + len;

	while (s < end) {
		const char *o, *b = NULL, *t = NULL, *close = NULL, *p;

		if (!marker(s, end, '<', marker_size)) {
			p = next_line(s, end);
			strbuf_add(out, s, (size_t)(p - s));
			s = p;
			continue;
		}
		o = next_line(s, end);
		for (p = o; p < end; p = next_line(p, end)) {
			if (!b && marker(p, end, '|', marker_size)) {
				b = p;
			} else if (b && !t && marker(p, end, '=', marker_size)) {
				t = p;
			} else if (t && marker(p, end, '>', marker_size)) {
				close = p;
				break;
			}
		}
		if (!close) {
			/* not a block after all: copy the rest as it is */
			strbuf_add(out, s, (size_t)(end - s));
			return;
		}
		linemerge_region(out, next_line(b, end), (size_t)(t - next_line(b, end)), o,
				 (size_t)(b - o), next_line(t, end),
				 (size_t)(close - next_line(t, end)));
		s = next_line(close, end);
	}
}
