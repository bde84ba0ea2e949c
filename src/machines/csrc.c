#include "machines/csrc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* One #if group: what its branches are worth, for dead code and guard texts. */
enum tri { TRI_NO, TRI_YES, TRI_MAYBE };

struct cond_frame {
	bool outer_dead;    /* the whole group sits in dead code */
	enum tri value;     /* the current branch's condition */
	enum tri prior;     /* whether an earlier branch was taken */
	char *text;         /* the current branch's own condition, when TRI_MAYBE */
	struct strbuf negs; /* "!A && !(B)": earlier MAYBE branches not taken */
	int line;           /* where the group opened, for messages */
};

struct lexer {
	const char *name;
	const char *base, *p, *end;
	const char *tok_end; /* just past the last character consumed */
	/* a directive's spans, kept when it turns out live; NULL outside directives */
	struct csrc_span *pend;
	size_t npend, alloc_pend;
	bool recording;
	int line;
	bool line_start;    /* only whitespace since the last newline */
	bool space_before;  /* whitespace or a comment before the current token */
	struct csrc_file *f;
	struct cond_frame frames[MT_LIMIT_IF_DEPTH];
	int depth;
	int untracked;      /* groups open below the deepest frame: all read as live */
	int cur_cond;       /* guard of live code now, index into f->conds or -1 */
};

static int lex_error(struct lexer *lx, const char *what)
{
	return mt_error_set("%s:%d: %s", lx->name, lx->line, what);
}

/* Records a span of the directive being read: a token, or a continuation (token = false). */
static void record(struct lexer *lx, size_t start, size_t end, bool token)
{
	/* lookahead and backtracking pass a continuation more than once */
	if (!token && lx->npend && lx->pend[lx->npend - 1].end > start)
		return;
	/* a token's span covers the continuations inside it */
	while (token && lx->npend && lx->pend[lx->npend - 1].start >= start)
		lx->npend--;
	ARRAY_GROW(lx->pend, lx->npend, lx->alloc_pend);
	lx->pend[lx->npend].start = start;
	lx->pend[lx->npend++].end = end;
}

/* Skips any backslash-newline pairs at the cursor (line continuations). */
static void skip_splices(struct lexer *lx)
{
	for (;;) {
		size_t n;

		if (lx->p + 1 < lx->end && lx->p[0] == '\\' && lx->p[1] == '\n')
			n = 2;
		else if (lx->p + 2 < lx->end && lx->p[0] == '\\' && lx->p[1] == '\r' &&
			 lx->p[2] == '\n')
			n = 3;
		else
			return;
		if (lx->recording)
			record(lx, (size_t)(lx->p - lx->base), (size_t)(lx->p - lx->base) + 1, false);
		lx->p += n;
		lx->line++;
	}
}

static int peek(struct lexer *lx)
{
	skip_splices(lx);
	return lx->p < lx->end ? (unsigned char)*lx->p : -1;
}

/* The character after the current one, continuations skipped, without moving. */
static int peek2(struct lexer *lx)
{
	const char *save = lx->p;
	int line = lx->line, c;

	skip_splices(lx);
	if (lx->p >= lx->end) {
		lx->p = save;
		return -1;
	}
	lx->p++;
	c = peek(lx);
	lx->p = save;
	lx->line = line;
	return c;
}

static int next(struct lexer *lx)
{
	int c = peek(lx);

	if (c < 0)
		return -1;
	lx->p++;
	lx->tok_end = lx->p;
	if (c == '\n')
		lx->line++;
	return c;
}

static bool is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_char(int c)
{
	return is_ident_start(c) || is_digit(c);
}

static const char *const puncts3[] = { "...", "<<=", ">>=", NULL };
static const char *const puncts2[] = {
	"->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "*=", "/=", "%=",
	"+=", "-=", "&=", "^=", "|=", "##", NULL
};

static void text_add(struct csrc_file *f, struct csrc_token *t, const struct strbuf *sb)
{
	f->text = xgrow(f->text, &f->alloc_text, f->text_len + sb->len + 1, 1);
	t->off = f->text_len;
	t->len = sb->len;
	memcpy(f->text + f->text_len, sb->buf, sb->len);
	f->text[f->text_len + sb->len] = '\0';
	f->text_len += sb->len + 1;
}

/* Reads a string or char literal after its opening quote; lenient ones end at a newline. */
static int lex_quoted(struct lexer *lx, struct strbuf *sb, int quote, bool lenient)
{
	int c;

	for (;;) {
		c = peek(lx);
		if (c < 0 || c == '\n') {
			if (lenient)
				return 0;
			return lex_error(lx, quote == '"' ? "unterminated string literal"
							  : "unterminated character literal");
		}
		next(lx);
		if (c == quote)
			return 0;
		strbuf_addch(sb, (char)c);
		if (c == '\\') {
			c = peek(lx);
			if (c >= 0 && c != '\n') {
				next(lx);
				strbuf_addch(sb, (char)c);
			}
		}
	}
}

/* Reads the token starting with c at the cursor. */
static int lex_body(struct lexer *lx, struct csrc_token *t, struct strbuf *sb, int c,
		    bool in_directive, bool lenient, bool *is_hash_line)
{
	if (c == '#' && lx->line_start && !in_directive) {
		next(lx);
		lx->line_start = false;
		*is_hash_line = true;
		return 1;
	}
	lx->line_start = false;
	if (is_ident_start(c)) {
		t->kind = CSRC_IDENT;
		while (is_ident_char(peek(lx)))
			strbuf_addch(sb, (char)next(lx));
		return 1;
	}
	if (is_digit(c) || (c == '.' && is_digit(peek2(lx)))) {
		t->kind = CSRC_NUMBER;
		for (;;) {
			c = peek(lx);
			if (is_ident_char(c) || c == '.') {
				strbuf_addch(sb, (char)next(lx));
				if ((c == 'e' || c == 'E' || c == 'p' || c == 'P') &&
				    (peek(lx) == '+' || peek(lx) == '-'))
					strbuf_addch(sb, (char)next(lx));
			} else {
				break;
			}
		}
		return 1;
	}
	if (c == '"' || c == '\'') {
		int ret;

		next(lx);
		t->kind = c == '"' ? CSRC_STRING : CSRC_CHAR;
		if (c == '\'')
			strbuf_addch(sb, '\'');
		ret = lex_quoted(lx, sb, c, lenient);
		if (ret < 0)
			return ret;
		if (c == '\'')
			strbuf_addch(sb, '\'');
		return 1;
	}
	t->kind = CSRC_PUNCT;
	{
		const char *const *tab;
		char buf[4] = { 0 };
		const char *save = lx->p;
		int line = lx->line;
		size_t n, i;

		/* Longest match first; continuations between characters are allowed. */
		for (n = 3; n >= 2; n--) {
			tab = n == 3 ? puncts3 : puncts2;
			lx->p = save;
			lx->line = line;
			for (i = 0; i < n; i++) {
				c = next(lx);
				buf[i] = c < 0 ? '\0' : (char)c;
			}
			buf[n] = '\0';
			for (i = 0; tab[i]; i++) {
				if (!strcmp(tab[i], buf)) {
					strbuf_addstr(sb, buf);
					return 1;
				}
			}
		}
		lx->p = save;
		lx->line = line;
		strbuf_addch(sb, (char)next(lx));
		return 1;
	}
}

/*
 * Reads the next token into t and sb. Returns 1 for a token, 0 at a newline
 * that ends a directive (or the end of input), negative on error.
 * `in_directive`: newlines end the token stream; `lenient`: dead code or a
 * directive, where unterminated quotes are not errors.
 */
static int lex_token(struct lexer *lx, struct csrc_token *t, struct strbuf *sb,
		     bool in_directive, bool lenient, bool *is_hash_line)
{
	int c, ret;

	strbuf_reset(sb);
	lx->space_before = false;
	*is_hash_line = false;
	for (;;) {
		c = peek(lx);
		if (c < 0)
			return 0;
		if (c == '\n') {
			if (in_directive)
				return 0;
			next(lx);
			lx->line_start = true;
			lx->space_before = true;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			next(lx);
			lx->space_before = true;
			continue;
		}
		if (c == '/' && peek2(lx) == '*') {
			int start = lx->line;

			next(lx);
			next(lx);
			for (;;) {
				c = next(lx);
				if (c < 0) {
					lx->line = start;
					return lex_error(lx, "unterminated comment");
				}
				if (c == '*' && peek(lx) == '/') {
					next(lx);
					break;
				}
			}
			lx->space_before = true;
			continue;
		}
		if (c == '/' && peek2(lx) == '/') {
			while ((c = peek(lx)) >= 0 && c != '\n')
				next(lx);
			lx->space_before = true;
			continue;
		}
		break;
	}
	t->line = lx->line;
	t->cond = lx->cur_cond;
	t->start = (size_t)(lx->p - lx->base);
	ret = lex_body(lx, t, sb, c, in_directive, lenient, is_hash_line);
	t->end = (size_t)(lx->tok_end - lx->base);
	return ret;
}

static int push_token(struct csrc_file *f, struct csrc_token **arr, size_t *n, size_t *alloc,
		      struct lexer *lx, struct csrc_token *t, const struct strbuf *sb)
{
	if (f->ntoks + f->ndtoks + f->ndirspans + lx->npend >= CSRC_MAX_TOKENS)
		return mt_error_set("%s:%d: more than %u tokens", lx->name, t->line,
				    CSRC_MAX_TOKENS);
	text_add(f, t, sb);
	ARRAY_GROW(*arr, *n, *alloc);
	(*arr)[(*n)++] = *t;
	return 0;
}

static bool frame_live(const struct cond_frame *fr)
{
	return !fr->outer_dead && fr->prior != TRI_YES && fr->value != TRI_NO;
}

static bool all_live(const struct lexer *lx)
{
	return lx->depth == 0 || frame_live(&lx->frames[lx->depth - 1]);
}

static void negate(struct strbuf *out, const char *cond)
{
	size_t i;
	bool ident = true;

	for (i = 0; cond[i]; i++) {
		if (!is_ident_char((unsigned char)cond[i]))
			ident = false;
	}
	if (cond[0] == '!' && cond[1]) {
		for (i = 1, ident = true; cond[i]; i++) {
			if (!is_ident_char((unsigned char)cond[i]))
				ident = false;
		}
		if (ident) {
			strbuf_addstr(out, cond + 1);
			return;
		}
		ident = false;
	}
	if (ident)
		strbuf_addf(out, "!%s", cond);
	else
		strbuf_addf(out, "!(%s)", cond);
}

/* Recomputes the guard of live code from the stack of groups. */
static void update_cond(struct lexer *lx)
{
	struct strbuf sb = STRBUF_INIT;
	struct csrc_file *f = lx->f;
	int i;

	for (i = 0; i < lx->depth; i++) {
		const struct cond_frame *fr = &lx->frames[i];

		if (fr->negs.len) {
			strbuf_addf(&sb, "%s%s", sb.len ? " && " : "", fr->negs.buf);
		}
		if (fr->value == TRI_MAYBE && fr->text)
			strbuf_addf(&sb, "%s%s", sb.len ? " && " : "", fr->text);
	}
	if (!sb.len) {
		lx->cur_cond = -1;
	} else if (f->nconds && !strcmp(f->conds[f->nconds - 1], sb.buf)) {
		lx->cur_cond = (int)f->nconds - 1;
	} else {
		ARRAY_GROW(f->conds, f->nconds, f->alloc_conds);
		f->conds[f->nconds] = strbuf_detach(&sb, NULL);
		lx->cur_cond = (int)f->nconds++;
	}
	strbuf_release(&sb);
}

/* Joins directive tokens into readable text: "defined(X) && !Y". */
static void join_tokens(struct strbuf *out, const struct csrc_file *f,
			const struct csrc_token *toks, size_t first, size_t last)
{
	size_t i;

	for (i = first; i < last; i++) {
		const char *s = csrc_text(f, &toks[i]);
		bool space = i > first;

		if (i > first) {
			const struct csrc_token *prev = &toks[i - 1];
			const char *ps = csrc_text(f, prev);

			if (!strcmp(ps, "(") || !strcmp(ps, "!") || !strcmp(s, ")") ||
			    !strcmp(s, ",") || (!strcmp(s, "(") && prev->kind == CSRC_IDENT))
				space = false;
		}
		if (space)
			strbuf_addch(out, ' ');
		if (toks[i].kind == CSRC_STRING)
			strbuf_addf(out, "\"%s\"", s);
		else
			strbuf_addstr(out, s);
	}
}

/* `0` and `1`, also in parentheses (`#if (0)`): anything else is unknown. */
static enum tri eval_constant(const char *text)
{
	size_t len = strlen(text), open = 0;

	while (open < len / 2 && text[open] == '(' && text[len - 1 - open] == ')')
		open++;
	if (len - 2 * open != 1)
		return TRI_MAYBE;
	if (text[open] == '0')
		return TRI_NO;
	if (text[open] == '1')
		return TRI_YES;
	return TRI_MAYBE;
}

/* Handles one directive whose tokens are dtoks[first, f->ndtoks). */
static int directive(struct lexer *lx, size_t first, int line, bool first_space[])
{
	struct csrc_file *f = lx->f;
	struct strbuf cond = STRBUF_INIT;
	struct cond_frame *fr;
	const char *name;
	bool live = all_live(lx), opens;
	int ret = 0;

	if (first == f->ndtoks || f->dtoks[first].kind != CSRC_IDENT)
		goto drop; /* the null directive, or `# 12 "file"` line markers */
	name = csrc_text(f, &f->dtoks[first]);
	join_tokens(&cond, f, f->dtoks, first + 1, f->ndtoks);
	opens = !strcmp(name, "if") || !strcmp(name, "ifdef") || !strcmp(name, "ifndef");
	if (lx->untracked || (opens && lx->depth == MT_LIMIT_IF_DEPTH)) {
		/* Past the tracked depth every branch is live: only the nesting is counted. */
		if (opens) {
			lx->untracked++;
			goto drop;
		}
		if (!strcmp(name, "endif")) {
			lx->untracked--;
			goto drop;
		}
		if (!strcmp(name, "elif") || !strcmp(name, "else"))
			goto drop;
	}
	if (opens) {
		fr = &lx->frames[lx->depth++];
		memset(fr, 0, sizeof(*fr));
		strbuf_init(&fr->negs);
		fr->line = line;
		fr->outer_dead = !live;
		fr->prior = TRI_NO;
		if (!strcmp(name, "if")) {
			fr->value = eval_constant(cond.buf);
			fr->text = fr->value == TRI_MAYBE ? xstrdup(cond.buf) : NULL;
		} else {
			fr->value = TRI_MAYBE;
			fr->text = xstrdup(cond.buf);
			if (!strcmp(name, "ifndef")) {
				strbuf_reset(&cond);
				negate(&cond, fr->text);
				free(fr->text);
				fr->text = xstrdup(cond.buf);
			}
		}
		update_cond(lx);
	} else if (!strcmp(name, "elif") || !strcmp(name, "else")) {
		if (lx->depth == 0) {
			lx->line = line;
			ret = mt_error_set("%s:%d: #%s without #if", lx->name, line, name);
			goto drop;
		}
		fr = &lx->frames[lx->depth - 1];
		if (fr->prior == TRI_YES || fr->value == TRI_YES)
			fr->prior = TRI_YES;
		else if (fr->prior == TRI_MAYBE || fr->value == TRI_MAYBE)
			fr->prior = TRI_MAYBE;
		if (fr->value == TRI_MAYBE && fr->text) {
			if (fr->negs.len)
				strbuf_addstr(&fr->negs, " && ");
			negate(&fr->negs, fr->text);
		}
		free(fr->text);
		fr->text = NULL;
		if (!strcmp(name, "else")) {
			fr->value = TRI_YES;
		} else {
			fr->value = eval_constant(cond.buf);
			if (fr->value == TRI_MAYBE)
				fr->text = xstrdup(cond.buf);
		}
		/* An #elif/#else after an unknown branch is itself only maybe taken. */
		if (fr->value == TRI_YES && fr->prior == TRI_MAYBE)
			fr->value = TRI_MAYBE;
		update_cond(lx);
	} else if (!strcmp(name, "endif")) {
		if (lx->depth == 0) {
			ret = mt_error_set("%s:%d: #endif without #if", lx->name, line);
			goto drop;
		}
		fr = &lx->frames[--lx->depth];
		free(fr->text);
		strbuf_release(&fr->negs);
		update_cond(lx);
	} else if (!strcmp(name, "define") && live && first + 1 < f->ndtoks &&
		   f->dtoks[first + 1].kind == CSRC_IDENT) {
		struct csrc_define d;
		size_t i = first + 2;

		memset(&d, 0, sizeof(d));
		d.name = first + 1;
		d.params.first = d.params.last = i;
		if (i < f->ndtoks && csrc_is(f, &f->dtoks[i], "(") && !first_space[i - first]) {
			d.function_like = true;
			d.params.first = i + 1;
			while (i < f->ndtoks && !csrc_is(f, &f->dtoks[i], ")"))
				i++;
			d.params.last = i;
			if (i < f->ndtoks)
				i++;
		}
		d.body.first = i;
		d.body.last = f->ndtoks;
		ARRAY_GROW(f->defines, f->ndefines, f->alloc_defines);
		f->defines[f->ndefines++] = d;
		strbuf_release(&cond);
		return 0; /* keep the tokens */
	}
drop:
	f->ndtoks = first;
	strbuf_release(&cond);
	return ret;
}

/* Keeps the spans of a directive that leaves code live as it found it. */
static void keep_spans(struct lexer *lx)
{
	struct csrc_file *f = lx->f;
	size_t i;

	for (i = 0; i < lx->npend; i++) {
		ARRAY_GROW(f->dirspans, f->ndirspans, f->alloc_dirspans);
		f->dirspans[f->ndirspans++] = lx->pend[i];
	}
}

/* Reads a directive line after its '#' (the token `hash`). */
static int lex_directive(struct lexer *lx, struct strbuf *sb, const struct csrc_token *hash_tok)
{
	struct csrc_file *f = lx->f;
	size_t first = f->ndtoks;
	int line = lx->line, ret;
	bool hash, live = all_live(lx);
	/* whether each directive token had space before it: `#define F(x)` vs `#define F (x)` */
	bool *spaces = NULL;
	size_t nspaces = 0, alloc = 0;
	struct csrc_token t;

	lx->npend = 0;
	lx->recording = true;
	record(lx, hash_tok->start, hash_tok->end, true);
	for (;;) {
		ret = lex_token(lx, &t, sb, true, true, &hash);
		if (ret <= 0)
			break;
		record(lx, t.start, t.end, true);
		ret = push_token(f, &f->dtoks, &f->ndtoks, &f->alloc_dtoks, lx, &t, sb);
		if (ret < 0)
			break;
		ARRAY_GROW(spaces, nspaces, alloc);
		spaces[nspaces++] = lx->space_before;
	}
	lx->recording = false;
	if (ret == 0)
		ret = directive(lx, first, line, spaces);
	else
		f->ndtoks = first;
	if (ret == 0 && live && all_live(lx))
		keep_spans(lx);
	free(spaces);
	return ret;
}

static int tokenize(struct lexer *lx)
{
	struct strbuf sb = STRBUF_INIT;
	struct csrc_token t;
	bool hash;
	int ret;

	for (;;) {
		ret = lex_token(lx, &t, &sb, false, !all_live(lx), &hash);
		if (ret <= 0)
			break;
		if (hash) {
			ret = lex_directive(lx, &sb, &t);
			if (ret < 0)
				break;
			continue;
		}
		if (!all_live(lx))
			continue;
		ret = push_token(lx->f, &lx->f->toks, &lx->f->ntoks, &lx->f->alloc_toks, lx, &t, &sb);
		if (ret < 0)
			break;
	}
	if (ret == 0 && lx->depth > 0)
		ret = mt_error_set("%s:%d: #if without #endif", lx->name,
				   lx->frames[lx->depth - 1].line);
	lx->untracked = 0;
	while (lx->depth > 0) {
		struct cond_frame *fr = &lx->frames[--lx->depth];

		free(fr->text);
		strbuf_release(&fr->negs);
	}
	free(lx->pend);
	strbuf_release(&sb);
	return ret;
}

bool csrc_is(const struct csrc_file *f, const struct csrc_token *t, const char *s)
{
	return (t->kind == CSRC_PUNCT || t->kind == CSRC_IDENT) && !strcmp(csrc_text(f, t), s);
}

const char *csrc_cond(const struct csrc_file *f, const struct csrc_token *t)
{
	return t->cond < 0 ? NULL : f->conds[t->cond];
}

static int closer_of(const char *s)
{
	if (!strcmp(s, "("))
		return ')';
	if (!strcmp(s, "["))
		return ']';
	if (!strcmp(s, "{"))
		return '}';
	return 0;
}

static bool is_closer(const char *s)
{
	return !strcmp(s, ")") || !strcmp(s, "]") || !strcmp(s, "}");
}

size_t csrc_match(const struct csrc_file *f, const struct csrc_token *toks,
		  size_t open, size_t last)
{
	size_t depth = 0, i;

	for (i = open; i < last; i++) {
		const char *s;

		if (toks[i].kind != CSRC_PUNCT)
			continue;
		s = csrc_text(f, &toks[i]);
		if (closer_of(s)) {
			if (depth == MT_LIMIT_BRACKET_DEPTH)
				return SIZE_MAX;
			depth++;
		} else if (is_closer(s)) {
			/* A mismatched closer (from both branches of an #ifdef) ends the innermost group. */
			if (depth == 0)
				return SIZE_MAX;
			depth--;
			if (depth == 0)
				return i;
		}
	}
	return SIZE_MAX;
}

int csrc_split(struct csrc_range **out, size_t *out_count, const struct csrc_file *f,
	       const struct csrc_token *toks, size_t first, size_t last)
{
	struct csrc_range *v = NULL;
	size_t n = 0, alloc = 0, depth = 0, start = first, i;

	*out = NULL;
	*out_count = 0;
	for (i = first; i <= last; i++) {
		if (i < last && toks[i].kind == CSRC_PUNCT) {
			const char *s = csrc_text(f, &toks[i]);

			if (closer_of(s)) {
				depth++;
				continue;
			}
			if (is_closer(s)) {
				if (depth)
					depth--;
				continue;
			}
		}
		if (i == last || (depth == 0 && csrc_is(f, &toks[i], ","))) {
			if (i == last && start == last && n > 0)
				break; /* trailing comma */
			if (i == last && start == last && n == 0)
				break; /* empty list */
			if (n >= CSRC_MAX_ARGS) {
				free(v);
				return mt_error_set("line %d: more than %u elements in a list",
						    toks[first].line, CSRC_MAX_ARGS);
			}
			ARRAY_GROW(v, n, alloc);
			v[n].first = start;
			v[n].last = i;
			n++;
			start = i + 1;
		}
	}
	*out = v;
	*out_count = n;
	return 0;
}

static bool starts_statement(const struct csrc_file *f, size_t i)
{
	const struct csrc_token *prev;

	if (i == 0)
		return true;
	prev = &f->toks[i - 1];
	return csrc_is(f, prev, ";") || csrc_is(f, prev, "}") || csrc_is(f, prev, ")");
}

static int nest_error(const char *name, const struct csrc_token *t)
{
	return mt_error_set("%s:%d: brackets nested deeper than %u or not closed", name, t->line,
			    MT_LIMIT_BRACKET_DEPTH);
}

/*
 * An initialiser `[TYPE] NAME [ [...] ] = {` ending at toks[eq] ('='):
 * fills init and returns true.
 */
static bool init_before(struct csrc_init *init, const struct csrc_file *f, size_t eq)
{
	size_t i = eq;

	memset(init, 0, sizeof(*init));
	if (i == 0)
		return false;
	i--;
	if (csrc_is(f, &f->toks[i], "]")) {
		/* walk back over one [ ... ] */
		size_t depth = 0;

		for (;; i--) {
			if (csrc_is(f, &f->toks[i], "]"))
				depth++;
			else if (csrc_is(f, &f->toks[i], "[") && --depth == 0)
				break;
			if (i == 0)
				return false;
		}
		if (i == 0)
			return false;
		i--;
		init->array = true;
	}
	if (f->toks[i].kind != CSRC_IDENT)
		return false;
	if (i > 0 && (csrc_is(f, &f->toks[i - 1], ".") || csrc_is(f, &f->toks[i - 1], "->")))
		return false;
	init->name = i;
	init->type = i > 0 && f->toks[i - 1].kind == CSRC_IDENT ? i - 1 : SIZE_MAX;
	return true;
}

/* Records brace initialisers in a function body toks[first, last). */
static int scan_body(struct csrc_file *f, const char *name, size_t first, size_t last, long func)
{
	size_t i;

	for (i = first; i + 1 < last; i++) {
		struct csrc_init init;

		if (!csrc_is(f, &f->toks[i], "=") || !csrc_is(f, &f->toks[i + 1], "{"))
			continue;
		if (!init_before(&init, f, i))
			continue;
		init.open = i + 1;
		init.close = csrc_match(f, f->toks, i + 1, last);
		if (init.close == SIZE_MAX)
			return nest_error(name, &f->toks[i + 1]);
		init.func = func;
		ARRAY_GROW(f->inits, f->ninits, f->alloc_inits);
		f->inits[f->ninits++] = init;
		i = init.close;
	}
	return 0;
}

/* Finds file-scope calls, functions and initialisers in f->toks. */
static int scan_items(struct csrc_file *f, const char *name)
{
	size_t i = 0, n = f->ntoks;
	int ret;

	while (i < n) {
		const struct csrc_token *t = &f->toks[i];

		if (t->kind == CSRC_IDENT && i + 1 < n && csrc_is(f, &f->toks[i + 1], "(")) {
			size_t close = csrc_match(f, f->toks, i + 1, n);

			if (close == SIZE_MAX)
				return nest_error(name, &f->toks[i + 1]);
			if (close + 1 < n && csrc_is(f, &f->toks[close + 1], "{")) {
				struct csrc_func fn = { i, close + 1, 0 };

				fn.close = csrc_match(f, f->toks, close + 1, n);
				if (fn.close == SIZE_MAX)
					return nest_error(name, &f->toks[close + 1]);
				ARRAY_GROW(f->funcs, f->nfuncs, f->alloc_funcs);
				f->funcs[f->nfuncs++] = fn;
				ret = scan_body(f, name, fn.open + 1, fn.close, (long)f->nfuncs - 1);
				if (ret < 0)
					return ret;
				i = fn.close + 1;
				continue;
			}
			if (starts_statement(f, i)) {
				struct csrc_call call = { i, close, NULL, 0 };

				ret = csrc_split(&call.args, &call.nargs, f, f->toks, i + 2, close);
				if (ret < 0) {
					mt_error_prefix("%s", name);
					return ret;
				}
				ARRAY_GROW(f->calls, f->ncalls, f->alloc_calls);
				f->calls[f->ncalls++] = call;
			}
			i = close + 1;
			continue;
		}
		if (csrc_is(f, t, "=") && i + 1 < n && csrc_is(f, &f->toks[i + 1], "{")) {
			struct csrc_init init;
			size_t close = csrc_match(f, f->toks, i + 1, n);

			if (close == SIZE_MAX)
				return nest_error(name, &f->toks[i + 1]);
			if (init_before(&init, f, i)) {
				init.open = i + 1;
				init.close = close;
				init.func = -1;
				ARRAY_GROW(f->inits, f->ninits, f->alloc_inits);
				f->inits[f->ninits++] = init;
			}
			i = close + 1;
			continue;
		}
		if (t->kind == CSRC_PUNCT && closer_of(csrc_text(f, t))) {
			size_t close = csrc_match(f, f->toks, i, n);

			if (close == SIZE_MAX)
				return nest_error(name, t);
			i = close + 1;
			continue;
		}
		i++;
	}
	return 0;
}

int csrc_tokenize(struct csrc_file *out, const char *name, const char *text, size_t len)
{
	struct lexer lx;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(&lx, 0, sizeof(lx));
	lx.name = name;
	lx.base = lx.p = lx.tok_end = text;
	lx.end = text + len;
	lx.line = 1;
	lx.line_start = true;
	lx.f = out;
	lx.cur_cond = -1;
	ret = tokenize(&lx);
	if (ret < 0)
		csrc_file_release(out);
	return ret;
}

int csrc_parse(struct csrc_file *out, const char *name, const char *text, size_t len)
{
	int ret = csrc_tokenize(out, name, text, len);

	if (ret == 0)
		ret = scan_items(out, name);
	if (ret < 0)
		csrc_file_release(out);
	return ret;
}

void csrc_file_release(struct csrc_file *file)
{
	size_t i;

	for (i = 0; i < file->ncalls; i++)
		free(file->calls[i].args);
	for (i = 0; i < file->nconds; i++)
		free(file->conds[i]);
	free(file->calls);
	free(file->conds);
	free(file->text);
	free(file->toks);
	free(file->dtoks);
	free(file->funcs);
	free(file->inits);
	free(file->defines);
	free(file->dirspans);
	memset(file, 0, sizeof(*file));
}

const struct csrc_define *csrc_find_define(const struct csrc_file *f, const char *name)
{
	size_t i;

	for (i = f->ndefines; i-- > 0;) {
		if (!strcmp(csrc_text(f, &f->dtoks[f->defines[i].name]), name))
			return &f->defines[i];
	}
	return NULL;
}

const struct csrc_func *csrc_find_func(const struct csrc_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nfuncs; i++) {
		if (!strcmp(csrc_text(f, &f->toks[f->funcs[i].name]), name))
			return &f->funcs[i];
	}
	return NULL;
}
