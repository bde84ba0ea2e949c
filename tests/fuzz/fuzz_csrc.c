/*
 * csrc: any bytes as a C file. The tokenizer either fails with one line
 * naming the path, or gives tokens whose text lies inside the file's text
 * buffer, whose byte spans lie inside the input in order, whose lines never
 * decrease and never pass the input's last line,
 * and calls, functions, initialisers and defines whose indices are in range
 * and ordered.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "machines/csrc.h"
#include "util/error.h"
#include "fuzz.h"

static const char path[] = "hw/fuzz/input.c";

static void check_tokens(const struct csrc_file *f, const struct csrc_token *toks, size_t n,
			 int last_line, size_t size)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct csrc_token *t = &toks[i];

		assert(t->start < t->end && t->end <= size);
		assert(i == 0 || t->start >= toks[i - 1].end);

		assert(t->off < f->text_len && t->len < f->text_len - t->off);
		assert(f->text[t->off + t->len] == '\0');
		assert(t->line >= 1 && t->line <= last_line);
		assert(i == 0 || t->line >= toks[i - 1].line);
		assert(t->cond >= -1 && (t->cond < 0 || (size_t)t->cond < f->nconds));
		assert(t->kind >= CSRC_IDENT && t->kind <= CSRC_PUNCT);
		assert(!csrc_cond(f, t) || *csrc_cond(f, t));
	}
}

/* Any closer ends the innermost group (both branches of an #ifdef may close it). */
static bool is_closer(const struct csrc_file *f, const struct csrc_token *t)
{
	return csrc_is(f, t, ")") || csrc_is(f, t, "]") || csrc_is(f, t, "}");
}

static void check_range(const struct csrc_range *r, size_t first, size_t last)
{
	assert(first <= r->first && r->first <= r->last && r->last <= last);
}

static void check_items(const struct csrc_file *f)
{
	size_t i, j, close;

	for (i = 0; i < f->ncalls; i++) {
		const struct csrc_call *c = &f->calls[i];

		assert(c->name + 1 < c->close && c->close < f->ntoks);
		assert(f->toks[c->name].kind == CSRC_IDENT);
		assert(csrc_is(f, &f->toks[c->name + 1], "(") && is_closer(f, &f->toks[c->close]));
		assert(csrc_match(f, f->toks, c->name + 1, f->ntoks) == c->close);
		for (j = 0; j < c->nargs; j++) {
			check_range(&c->args[j], c->name + 2, c->close);
			assert(j == 0 || c->args[j].first > c->args[j - 1].last);
		}
	}
	for (i = 0; i < f->nfuncs; i++) {
		const struct csrc_func *fn = &f->funcs[i];

		assert(fn->name < fn->open && fn->open < fn->close && fn->close < f->ntoks);
		assert(csrc_find_func(f, csrc_text(f, &f->toks[fn->name])));
	}
	for (i = 0; i < f->ninits; i++) {
		const struct csrc_init *in = &f->inits[i];

		assert(in->name < in->open && in->open < in->close && in->close < f->ntoks);
		assert(in->type == SIZE_MAX || in->type < in->name);
		assert(in->func >= -1 && (in->func < 0 || (size_t)in->func < f->nfuncs));
		assert(csrc_is(f, &f->toks[in->open], "{") && is_closer(f, &f->toks[in->close]));
	}
	for (i = 0; i < f->ndefines; i++) {
		const struct csrc_define *d = &f->defines[i];

		assert(d->name < f->ndtoks && f->dtoks[d->name].kind == CSRC_IDENT);
		check_range(&d->params, d->name + 1, f->ndtoks);
		check_range(&d->body, d->params.last, f->ndtoks);
		assert(csrc_find_define(f, csrc_text(f, &f->dtoks[d->name])));
	}
	/* Openers either match inside the tokens or say they do not (the first few: it is quadratic). */
	for (i = 0; i < f->ntoks && i < 256; i++) {
		close = csrc_match(f, f->toks, i, f->ntoks);
		assert(close == SIZE_MAX || (close > i && close < f->ntoks));
	}
}

FUZZ_TARGET(csrc)
{
	const char *text = (const char *)data;
	struct csrc_file f;
	struct csrc_range *ranges;
	size_t i, nranges;
	int last_line = 1;

	for (i = 0; i < size; i++)
		last_line += text[i] == '\n';
	mt_error_clear();
	if (csrc_parse(&f, path, text, size) < 0) {
		assert(!strncmp(mt_error_last(), path, sizeof(path) - 1));
		assert(!strchr(mt_error_last(), '\n'));
		assert(f.ntoks == 0 && !f.toks && !f.text);
		return 0;
	}
	check_tokens(&f, f.toks, f.ntoks, last_line, size);
	check_tokens(&f, f.dtoks, f.ndtoks, last_line, size);
	for (i = 0; i < f.ndirspans; i++) {
		assert(f.dirspans[i].start < f.dirspans[i].end && f.dirspans[i].end <= size);
		assert(i == 0 || f.dirspans[i].start >= f.dirspans[i - 1].end);
	}
	check_items(&f);
	if (csrc_split(&ranges, &nranges, &f, f.toks, 0, f.ntoks) == 0) {
		for (i = 0; i < nranges; i++)
			check_range(&ranges[i], 0, f.ntoks);
		free(ranges);
	}
	csrc_file_release(&f);
	return 0;
}
