/*
 * One side of a changed C file as the signals read it: csrc reads the blob,
 * and every byte that is not part of a live token is blanked (newlines kept,
 * so offsets and line numbers stay those of the blob): what a comment or a
 * dead region says can never become evidence, and what is dead is decided
 * once, by csrc. Then enough structure to tell which function or
 * initialiser a changed line is in and to cut macro calls into arguments.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "machines/csrc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Skips a string or char literal starting at t[i]; returns the offset past it. */
static size_t skip_literal(const char *t, size_t i, size_t len)
{
	char quote = t[i++];

	while (i < len && t[i] != quote && t[i] != '\n') {
		if (t[i] == '\\' && i + 1 < len)
			i++;
		i++;
	}
	return i < len && t[i] == quote ? i + 1 : i;
}

/* A copy of text[0, len) with every byte but newlines blanked, NUL-terminated. */
static char *blank_copy(const char *text, size_t len)
{
	char *t = xmalloc(len + 1);
	size_t i;

	for (i = 0; i < len; i++)
		t[i] = text[i] == '\n' ? '\n' : ' ';
	t[len] = '\0';
	return t;
}

static void unblank(char *t, const char *text, size_t start, size_t end)
{
	memcpy(t + start, text + start, end - start);
}

/*
 * Fills clean and code from what csrc read: the bytes of live code tokens
 * in both, those of live directive lines in clean only. Comments, dead
 * conditional code and the directives around it stay blank, by csrc's rules.
 */
static int read_c(struct abi_side *side, const char *path, const char *text, size_t len)
{
	struct csrc_file f;
	size_t i, alloc = 0;

	if (csrc_tokenize(&f, path, text, len) < 0)
		return MT_ERROR;
	for (i = 0; i < f.ntoks; i++) {
		unblank(side->clean, text, f.toks[i].start, f.toks[i].end);
		unblank(side->code, text, f.toks[i].start, f.toks[i].end);
	}
	for (i = 0; i < f.ndirspans; i++)
		unblank(side->clean, text, f.dirspans[i].start, f.dirspans[i].end);
	for (i = 0; i < f.ndefines; i++) {
		ARRAY_GROW(side->define_names, side->ndefine_names, alloc);
		side->define_names[side->ndefine_names++] = f.dtoks[f.defines[i].name].start;
	}
	csrc_file_release(&f);
	return MT_OK;
}

size_t abi_match_bracket(const char *t, size_t open, size_t limit)
{
	int depth = 0;
	size_t i = open;

	while (i < limit) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			i = skip_literal(t, i, limit);
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}') {
			if (--depth == 0)
				return i;
		}
		i++;
	}
	return limit;
}

static size_t skip_back_space(const char *t, size_t i)
{
	while (i > 0 && isspace((unsigned char)t[i - 1]))
		i--;
	return i;
}

/* The identifier ending at t[end - 1], copied; NULL when there is none. */
static char *ident_before(const char *t, size_t end, size_t *out_start)
{
	size_t s = end;

	while (s > 0 && abi_is_ident(t[s - 1]))
		s--;
	if (s == end || isdigit((unsigned char)t[s]))
		return NULL;
	*out_start = s;
	return xstrndup(t + s, end - s);
}

/*
 * Offset of the bracket opening the one at t[close], searching backward no
 * further than `floor` (the end of the previous file-scope declaration), or
 * `floor` when there is none: unbounded, a file of unmatched `) {}` lines
 * would be scanned back to its start once per line.
 */
static size_t match_back(const char *t, size_t close, size_t floor)
{
	char c = t[close], o = c == ')' ? '(' : c == ']' ? '[' : '{';
	int depth = 0;
	size_t i = close + 1;

	while (i > floor) {
		i--;
		if (t[i] == c)
			depth++;
		else if (t[i] == o && --depth == 0)
			return i;
	}
	return floor;
}

static void classify_extent(struct abi_extent *e, const char *t, size_t prev_end)
{
	size_t p = skip_back_space(t, e->open), s = p;

	e->kind = ABI_EXTENT_OTHER;
	e->name = NULL;
	if (p > prev_end && t[p - 1] == ')') {
		size_t o = match_back(t, p - 1, prev_end);

		e->name = ident_before(t, skip_back_space(t, o), &s);
		e->kind = ABI_EXTENT_FUNCTION;
	} else if (p > prev_end && t[p - 1] == '=') {
		size_t q = skip_back_space(t, p - 1);

		while (q > prev_end && t[q - 1] == ']')
			q = skip_back_space(t, match_back(t, q - 1, prev_end));
		e->name = ident_before(t, q, &s);
		e->kind = ABI_EXTENT_INITIALIZER;
	} else {
		e->name = ident_before(t, p, &s);
	}
	if (!e->name)
		s = p;
	/* The declaration starts after the previous `;` or `}` at file scope. */
	while (s > prev_end && t[s - 1] != ';' && t[s - 1] != '}')
		s--;
	while (s < e->open && isspace((unsigned char)t[s]))
		s++;
	e->decl = s;
}

static void find_extents(struct abi_side *side)
{
	const char *t = side->code;
	size_t i = 0, alloc = 0, prev_end = 0;

	while (i < side->len) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			i = skip_literal(t, i, side->len);
		} else if (c == '{') {
			struct abi_extent e;

			memset(&e, 0, sizeof(e));
			e.open = i;
			e.close = abi_match_bracket(t, i, side->len);
			classify_extent(&e, t, prev_end);
			e.first_line = abi_side_line_of(side, e.decl);
			e.last_line = abi_side_line_of(side, e.close < side->len ? e.close : side->len - 1);
			ARRAY_GROW(side->extents, side->nextents, alloc);
			side->extents[side->nextents++] = e;
			i = e.close + 1;
			prev_end = i;
		} else {
			if (c == ';')
				prev_end = i + 1;
			i++;
		}
	}
}

int abi_side_init(struct abi_side *side, const char *path, const char *text, size_t len)
{
	size_t i, alloc = 0;
	int ret = MT_OK;

	memset(side, 0, sizeof(*side));
	side->len = len;
	side->clean = blank_copy(text, len);
	side->code = blank_copy(text, len);
	if (len && read_c(side, path, text, len) < 0) {
		/* nothing csrc could not read is taken as code: the side stays blank */
		side->unreadable = xstrdup(mt_error_last());
		ret = MT_ERROR;
	}

	ARRAY_GROW(side->lines, side->nlines, alloc);
	side->lines[side->nlines++] = 0;
	for (i = 0; i < len; i++) {
		if (side->clean[i] == '\n' && i + 1 < len) {
			ARRAY_GROW(side->lines, side->nlines, alloc);
			side->lines[side->nlines++] = i + 1;
		}
	}
	find_extents(side);
	return ret;
}

void abi_side_release(struct abi_side *side)
{
	size_t i;

	for (i = 0; i < side->nextents; i++)
		free(side->extents[i].name);
	free(side->extents);
	free(side->lines);
	free(side->clean);
	free(side->code);
	free(side->define_names);
	free(side->unreadable);
	if (side->parsed)
		csrc_file_release(side->parsed);
	free(side->parsed);
	memset(side, 0, sizeof(*side));
}

const struct csrc_file *abi_side_parsed(struct abi_side *side, const char *path)
{
	if (side->parsed || side->parse_failed || !side->clean || !side->len)
		return side->parsed;
	side->parsed = xmalloc(sizeof(*side->parsed));
	if (csrc_parse(side->parsed, path, side->clean, side->len) < 0) {
		/* the scanners that asked read nothing of this side; others go on */
		mt_error_clear();
		free(side->parsed);
		side->parsed = NULL;
		side->parse_failed = true;
	}
	return side->parsed;
}

int abi_side_line_of(const struct abi_side *side, size_t offset)
{
	size_t lo = 0, hi = side->nlines;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (side->lines[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return (int)lo + 1;
}

const struct abi_extent *abi_side_extent_at(const struct abi_side *side, int line)
{
	size_t lo = 0, hi = side->nextents;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct abi_extent *e = &side->extents[mid];

		if (line < e->first_line)
			hi = mid;
		else if (line > e->last_line)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

const struct abi_extent *abi_side_find(const struct abi_side *side, enum abi_extent_kind kind,
				       const char *name)
{
	size_t i;

	for (i = 0; i < side->nextents; i++) {
		const struct abi_extent *e = &side->extents[i];

		if (e->kind == kind && e->name && !strcmp(e->name, name))
			return e;
	}
	return NULL;
}

char *abi_normalise(const char *t, size_t len, bool display)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	bool space = false;

	while (i < len) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			size_t end = skip_literal(t, i, len);

			if (space && sb.len && (display || abi_is_ident(sb.buf[sb.len - 1])))
				strbuf_addch(&sb, ' ');
			space = false;
			strbuf_add(&sb, t + i, end - i);
			i = end;
			continue;
		}
		if (isspace((unsigned char)c) || c == '\\') {
			space = true;
			i++;
			continue;
		}
		if (space && sb.len &&
		    (display || (abi_is_ident(sb.buf[sb.len - 1]) && abi_is_ident(c))))
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, c);
		i++;
	}
	return strbuf_detach(&sb, NULL);
}

bool abi_side_line_text(const struct abi_side *side, int line, char **key, char **display)
{
	size_t start, end;
	char *k;

	if (key)
		*key = NULL;
	if (display)
		*display = NULL;
	if (line < 1 || (size_t)line > side->nlines)
		return false;
	start = side->lines[line - 1];
	end = (size_t)line < side->nlines ? side->lines[line] : side->len;
	k = abi_normalise(side->clean + start, end - start, false);
	if (!*k) {
		free(k);
		return false;
	}
	if (key)
		*key = k;
	else
		free(k);
	if (display)
		*display = abi_normalise(side->clean + start, end - start, true);
	return true;
}

/* Cuts `sb` to at most `max` bytes at a token boundary, marking the cut with " ...". */
static void cut_at_token(struct strbuf *sb, size_t max)
{
	size_t at = max, i, literal = 0;
	bool in_literal = false;

	if (sb->len <= max)
		return;
	/* a string or character literal is one token: cut before it */
	for (i = 0; i < max; i++) {
		if (!in_literal && (sb->buf[i] == '"' || sb->buf[i] == '\'')) {
			in_literal = true;
			literal = i;
		} else if (in_literal && sb->buf[i] == '\\') {
			i++;
		} else if (in_literal && sb->buf[i] == sb->buf[literal]) {
			in_literal = false;
		}
	}
	if (in_literal)
		at = literal;
	while (at > 0 && sb->buf[at] != ' ' && abi_is_ident(sb->buf[at]) &&
	       abi_is_ident(sb->buf[at - 1]))
		at--;
	if (!at)
		at = max;
	while (at > 0 && sb->buf[at - 1] == ' ')
		at--;
	strbuf_setlen(sb, at);
	strbuf_addstr(sb, " ...");
}

char *abi_side_statement(const struct abi_side *side, int line, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, end;
	int depth = 0, lines = 0;
	char *text;

	if (line < 1 || (size_t)line > side->nlines)
		return xstrdup("");
	i = side->lines[line - 1];
	/* the line, and the next ones while a bracket it opened is still open */
	for (end = i; end < side->len; end++) {
		char c = side->clean[end];

		if (c == '"' || c == '\'') {
			end = skip_literal(side->clean, end, side->len) - 1;
			continue;
		}
		if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == '\n' && (depth <= 0 || ++lines >= 8))
			break;
	}
	text = abi_normalise(side->clean + i, end - i, true);
	strbuf_addstr(&sb, text);
	free(text);
	cut_at_token(&sb, max);
	return strbuf_detach(&sb, NULL);
}

bool abi_line_says_something(const char *key)
{
	const char *p = key;

	while (*p) {
		if (abi_is_ident(*p)) {
			size_t n = 0;

			while (abi_is_ident(p[n]))
				n++;
			if (!((n == 4 && !strncmp(p, "else", 4)) || (n == 2 && !strncmp(p, "do", 2))))
				return true;
			p += n;
			continue;
		}
		p++;
	}
	return false;
}

static void split_args(struct abi_call *call, const char *t, size_t open, size_t close)
{
	size_t i = open + 1, arg = open + 1, alloc = 0;
	int depth = 0;

	while (i <= close) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			i = skip_literal(t, i, close);
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && i < close)
			depth--;
		if ((c == ',' && depth == 0) || i == close) {
			char *a = abi_normalise(t + arg, i - arg, true);

			if (*a || call->nargs || i != close) {
				ARRAY_GROW(call->args, call->nargs, alloc);
				call->args[call->nargs++] = a;
			} else {
				free(a); /* NAME() has no arguments, not one empty one */
			}
			arg = i + 1;
		}
		i++;
	}
}

/* Whether a #define names the macro at offset s (define_names is in blob order). */
static bool defines_at(const struct abi_side *side, size_t s)
{
	size_t lo = 0, hi = side->ndefine_names;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (side->define_names[mid] == s)
			return true;
		if (side->define_names[mid] < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void abi_find_calls(struct abi_call **out, size_t *out_count, const struct abi_side *side,
		    size_t start, size_t end, const char *prefix)
{
	const char *t = side->clean;
	size_t plen = strlen(prefix), i = start, n = 0, alloc = 0;
	struct abi_call *calls = NULL;

	if (end > side->len)
		end = side->len;
	while (i < end) {
		size_t s, p, close;
		struct abi_call call;

		if (t[i] == '"' || t[i] == '\'') {
			i = skip_literal(t, i, end);
			continue;
		}
		if (!abi_is_ident(t[i]) || (i > 0 && abi_is_ident(t[i - 1]))) {
			i++;
			continue;
		}
		s = i;
		while (i < end && abi_is_ident(t[i]))
			i++;
		if (i - s < plen || strncmp(t + s, prefix, plen))
			continue;
		p = i;
		while (p < end && isspace((unsigned char)t[p]))
			p++;
		if (p >= end || t[p] != '(')
			continue;
		close = abi_match_bracket(t, p, end);
		memset(&call, 0, sizeof(call));
		call.name = xstrndup(t + s, i - s);
		call.start = s;
		call.end = close < end ? close + 1 : end;
		call.line = abi_side_line_of(side, s);
		call.definition = defines_at(side, s);
		split_args(&call, t, p, close < end ? close : end - 1);
		ARRAY_GROW(calls, n, alloc);
		calls[n++] = call;
		i = call.end;
	}
	*out = calls;
	*out_count = n;
}

void abi_calls_free(struct abi_call *calls, size_t count)
{
	size_t i, j;

	for (i = 0; i < count; i++) {
		for (j = 0; j < calls[i].nargs; j++)
			free(calls[i].args[j]);
		free(calls[i].args);
		free(calls[i].name);
	}
	free(calls);
}
