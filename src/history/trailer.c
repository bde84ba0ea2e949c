/*
 * Origin and revert trailers in commit messages. One pass over the lines with
 * two bits of state: whether a multi-line note is open (its text is prose, so
 * anchored styles are not looked for in it) and whether a "Backport of ..."
 * line without a sha opened a quoted `git show` whose `commit <sha>` lines
 * name the origin.
 */
#include "history/trailer.h"

#include <stdbool.h>
#include <string.h>

#include "util/oid.h"
#include "util/xalloc.h"

#define HEX_MIN 7

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && is_space(*p))
		p++;
	return p;
}

/* The end of `word` when p starts with it (any case), else NULL. */
static const char *match_word(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word), i;

	if ((size_t)(end - p) < n)
		return NULL;
	for (i = 0; i < n; i++) {
		if (lower(p[i]) != word[i])
			return NULL;
	}
	return p + n;
}

/* The end of the first occurrence of `word` (any case) at or after p, else NULL. */
static const char *find_word(const char *p, const char *end, const char *word)
{
	for (; p < end; p++) {
		const char *after = match_word(p, end, word);
		if (after)
			return after;
	}
	return NULL;
}

/*
 * The length of the standalone hex run at p (HEX_MIN..40 digits, not touching
 * another letter or digit on either side), or 0. `start` is where the line
 * begins, to look at the character before p.
 */
static size_t hex_run(const char *start, const char *p, const char *end)
{
	size_t n = 0;

	if (p > start && is_alnum(p[-1]))
		return 0;
	while (p + n < end && hex_digit_value(p[n]) >= 0)
		n++;
	if (n < HEX_MIN || n > MT_OID_HEXSZ || (p + n < end && is_alnum(p[n])))
		return 0;
	return n;
}

static void add(struct trailer_list *out, enum trailer_kind kind, const char *hex, size_t n,
		unsigned line)
{
	struct trailer t;
	size_t i;

	memset(&t, 0, sizeof(t));
	t.kind = kind;
	for (i = 0; i < n; i++)
		t.hex[i] = lower(hex[i]);
	t.hexlen = n;
	t.line = line;
	for (i = 0; i < out->count; i++) {
		if (out->items[i].kind == kind && !strcmp(out->items[i].hex, t.hex))
			return;
	}
	ARRAY_GROW(out->items, out->count, out->alloc);
	out->items[out->count++] = t;
}

/* "<phrase> [:] <sha>" anywhere on the line, as often as it occurs. */
static void find_phrase(struct trailer_list *out, const char *line, const char *end,
			const char *phrase, enum trailer_kind kind, unsigned lineno)
{
	const char *p = line;

	while ((p = find_word(p, end, phrase))) {
		const char *h = skip_space(p, end);
		size_t n;

		if (h < end && *h == ':')
			h = skip_space(h + 1, end);
		n = hex_run(line, h, end);
		if (n)
			add(out, kind, h, n, lineno);
	}
}

/* The sha of "commit <sha>" at p, when it is followed only by `tail` words; else 0. */
static size_t commit_line(const char **hex, const char *line, const char *p, const char *end)
{
	const char *h, *after = match_word(p, end, "commit");
	size_t n;

	if (!after || after == end || !is_space(*after))
		return 0;
	h = skip_space(after, end);
	n = hex_run(line, h, end);
	*hex = h;
	return n;
}

/*
 * A note opens with "(word:" or "[word:" at the start of a line and stays open
 * until its brackets balance. Returns the depth after the line, from `depth`.
 */
static int note_depth_after(int depth, const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p == '(' || *p == '[')
			depth += depth < 1000;
		else if ((*p == ')' || *p == ']') && depth > 0)
			depth--;
	}
	return depth;
}

static bool opens_note(const char *p, const char *end)
{
	if (p >= end || (*p != '(' && *p != '['))
		return false;
	for (p++; p < end && (is_alnum(*p) || *p == '-' || *p == '_' || *p == ' '); p++)
		;
	return p < end && *p == ':';
}

struct parse_state {
	int note_depth;      /* > 0 while a note spans lines */
	bool backport_block; /* a sha-less "Backport of ... commit" line was seen */
};

static void anchored_styles(struct trailer_list *out, struct parse_state *st,
			    const char *line, const char *t, const char *end, unsigned lineno)
{
	const char *p, *hex;
	size_t n;

	/* (upstream commit <sha>) */
	p = t < end && (*t == '(' || *t == '[') ? t + 1 : t;
	if ((p = match_word(skip_space(p, end), end, "upstream commit"))) {
		p = skip_space(p, end);
		if (p < end && *p == ':')
			p = skip_space(p + 1, end);
		if ((n = hex_run(line, p, end)))
			add(out, TRAILER_UPSTREAM, p, n, lineno);
		return;
	}
	/* commit <sha> upstream. */
	if ((n = commit_line(&hex, line, t, end))) {
		p = skip_space(hex + n, end);
		if ((p = match_word(p, end, "upstream"))) {
			if (p < end && *p == '.')
				p++;
			if (skip_space(p, end) == end) {
				add(out, TRAILER_LINUX, hex, n, lineno);
				return;
			}
		}
		/* a bare "commit <sha>" line of a quoted git show */
		if (st->backport_block && skip_space(hex + n, end) == end)
			add(out, TRAILER_BACKPORT_OF, hex, n, lineno);
		return;
	}
	/* [* ] [This is a ] backport of [QEMU vX.Y ] [commit|rev] <sha> */
	p = t;
	if (p < end && (*p == '*' || *p == '-'))
		p = skip_space(p + 1, end);
	if (match_word(p, end, "this is a "))
		p = skip_space(p + strlen("this is a "), end);
	if (!(p = match_word(p, end, "backport of ")))
		return;
	for (; p < end; p++) {
		if ((n = hex_run(line, p, end))) {
			add(out, TRAILER_BACKPORT_OF, p, n, lineno);
			return;
		}
	}
	if (find_word(t, end, "commit"))
		st->backport_block = true;
}

void trailer_parse(struct trailer_list *out, const char *message, size_t len)
{
	struct parse_state st = { 0, false };
	const char *p = message, *end = message + len;
	unsigned lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *t = skip_space(p, line_end);

		lineno++;
		find_phrase(out, p, line_end, "cherry picked from commit", TRAILER_CHERRY_PICK, lineno);
		find_phrase(out, p, line_end, "cherry-picked from commit", TRAILER_CHERRY_PICK, lineno);
		find_phrase(out, p, line_end, "this reverts commit", TRAILER_REVERTS, lineno);
		if (t == line_end) {
			st.note_depth = 0; /* a blank line ends any note */
		} else if (st.note_depth > 0) {
			st.note_depth = note_depth_after(st.note_depth, t, line_end);
		} else if (opens_note(t, line_end)) {
			st.note_depth = note_depth_after(0, t, line_end);
		} else {
			anchored_styles(out, &st, p, t, line_end, lineno);
		}
		p = eol ? eol + 1 : end;
	}
}

void trailer_list_release(struct trailer_list *list)
{
	free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}

const char *trailer_kind_name(enum trailer_kind kind)
{
	switch (kind) {
	case TRAILER_CHERRY_PICK:
		return "cherry-pick";
	case TRAILER_UPSTREAM:
		return "upstream";
	case TRAILER_LINUX:
		return "linux";
	case TRAILER_BACKPORT_OF:
		return "backport-of";
	case TRAILER_REVERTS:
		return "reverts";
	}
	return "unknown";
}
