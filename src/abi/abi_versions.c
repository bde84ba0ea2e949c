/*
 * machine-version-code: what the function of one machine version does
 * (its options, compat or init function: `pc_compat_2_0`, `spapr_compat_2_3`,
 * `pc_init_pci_1_4`, `virt_machine_6_0_options`). Machines of that version,
 * and the older ones whose functions call it, run it; newer ones do not. A
 * statement added to or removed from it makes those machines differ from
 * the newer ones where the stream's release had them alike: either the
 * older machines change (a behaviour restored for them), or the newer ones
 * do (a default changed, the old one kept for the older machines).
 *
 * Both sides are read with the csrc tokenizer, statement by statement, so
 * comments, `#if 0`, reformatting and statements moved within the function
 * change nothing. Left to other signals or not a change at all:
 *   - class fields set through the machine-options receivers in the
 *     functions machine-class-field reads (that signal's);
 *   - a call of another version's function (the chain from newer to older:
 *     that function's own statements are what is judged);
 *   - a call that applies a compat set the commit itself adds (a new
 *     `#define` or array: its entries are compat-array's business);
 *   - declarations, `return`, `break`: nothing a machine is given;
 *   - a function only one side has: a machine added or removed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "machines/csrc.h"
#include "machines/machines.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Longest statement text a detail quotes; longer ones end in "...". */
#define STATEMENT_SHOWN 160

struct statement {
	char *key;       /* tokens joined as a person writes them */
	size_t first;    /* tokens [first, last) in the side's csrc_file, `;` excluded */
	size_t last;
	int line;
	bool matched;
};

struct statements {
	struct statement *v;
	size_t n, alloc;
};

static void statements_release(struct statements *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static bool punct(const struct csrc_file *f, size_t i, const char *s)
{
	return f->toks[i].kind == CSRC_PUNCT && !strcmp(csrc_text(f, &f->toks[i]), s);
}

static bool is_keyword(const char *s, const char *const *words)
{
	size_t i;

	for (i = 0; words[i]; i++) {
		if (!strcmp(s, words[i]))
			return true;
	}
	return false;
}

/* `PCMachineClass *pcmc = PC_MACHINE_CLASS(m)`, `static int x`: a name declared, nothing set on a machine. */
static bool declaration(const struct csrc_file *f, const struct statement *st)
{
	static const char *const qualifiers[] = { "static", "const", "struct", "unsigned", "signed",
						  "volatile", "enum", "union", NULL };
	size_t i = st->first;

	while (i < st->last && f->toks[i].kind == CSRC_IDENT &&
	       is_keyword(csrc_text(f, &f->toks[i]), qualifiers))
		i++;
	if (i >= st->last || f->toks[i].kind != CSRC_IDENT)
		return false;
	for (i++; i < st->last && punct(f, i, "*"); i++)
		;
	if (i >= st->last || f->toks[i].kind != CSRC_IDENT)
		return false;
	i++;
	return i == st->last || punct(f, i, "=") || punct(f, i, "[") || punct(f, i, ",");
}

static bool control_only(const struct csrc_file *f, const struct statement *st)
{
	static const char *const words[] = { "return", "break", "continue", "goto", NULL };

	return f->toks[st->first].kind == CSRC_IDENT &&
	       is_keyword(csrc_text(f, &f->toks[st->first]), words);
}

/* `recv->field = value` through a machine-options receiver: machine-class-field reads it. */
static bool class_field(const struct abi_config *config, const struct csrc_file *f,
			const struct statement *st, const char *function)
{
	static const char *const ops[] = { "=", "|=", "&=", "^=", "+=", "-=", NULL };
	size_t i;

	if (!abi_globs_match(&config->machine.functions, function) || st->last - st->first < 3 ||
	    f->toks[st->first].kind != CSRC_IDENT ||
	    !abi_globs_match(&config->machine.receivers, csrc_text(f, &f->toks[st->first])) ||
	    !punct(f, st->first + 1, "->"))
		return false;
	for (i = st->first + 2; i < st->last; i++) {
		if (f->toks[i].kind == CSRC_PUNCT && is_keyword(csrc_text(f, &f->toks[i]), ops))
			return true;
		if (punct(f, i, "("))
			return false;
	}
	return false;
}

static bool has_version(const char *name)
{
	struct qversion v;

	return version_from_identifier(&v, name) == 0;
}

/* `name(...)` and nothing else: the whole statement is one call. */
static const char *sole_call(const struct csrc_file *f, const struct statement *st)
{
	if (st->last - st->first < 3 || f->toks[st->first].kind != CSRC_IDENT ||
	    !punct(f, st->first + 1, "(") ||
	    csrc_match(f, f->toks, st->first + 1, st->last) != st->last - 1)
		return NULL;
	return csrc_text(f, &f->toks[st->first]);
}

/* How deep calls of functions new to a side are followed: a chain is one level a machine. */
#define INLINE_DEPTH 8

static void collect(struct statements *out, const struct csrc_file *f,
		    const struct csrc_file *other, const struct csrc_func *fn, int depth);

/*
 * A statement of a function body: a call of a versioned function this side
 * has and the other does not (a machine added between two, which the
 * older one now chains through) stands for that function's statements, so
 * moving the older one's settings into it is no change.
 */
static void add_statement(struct statements *out, const struct csrc_file *f,
			  const struct csrc_file *other, size_t first, size_t last, int depth)
{
	struct statement probe = { NULL, first, last, 0, false }, *st;
	const char *callee = sole_call(f, &probe);
	const struct csrc_func *inlined = callee && has_version(callee) && other &&
					  !csrc_find_func(other, callee)
					  ? csrc_find_func(f, callee) : NULL;
	struct strbuf key = STRBUF_INIT;

	if (inlined && depth < INLINE_DEPTH) {
		collect(out, f, other, inlined, depth + 1);
		return;
	}
	abi_join_tokens(&key, f, f->toks, first, last);
	ARRAY_GROW(out->v, out->n, out->alloc);
	st = &out->v[out->n++];
	memset(st, 0, sizeof(*st));
	st->key = strbuf_detach(&key, NULL);
	st->first = first;
	st->last = last;
	st->line = f->toks[first].line;
}

/*
 * The statements of a function body, each from after a `;`, `{` or `}` to
 * its `;`: a braced block's statements are its own, an `if (...)` head
 * without a `;` is not one, and a local array's rows (inside braces, no `;`
 * of their own) are the compat parser's.
 */
static void collect(struct statements *out, const struct csrc_file *f,
		    const struct csrc_file *other, const struct csrc_func *fn, int depth)
{
	size_t i, start = fn->open + 1;
	int nesting = 0;

	for (i = fn->open + 1; i < fn->close; i++) {
		if (punct(f, i, "(") || punct(f, i, "["))
			nesting++;
		else if ((punct(f, i, ")") || punct(f, i, "]")) && nesting > 0)
			nesting--;
		if (nesting)
			continue;
		if (punct(f, i, "{") || punct(f, i, "}")) {
			start = i + 1;
			continue;
		}
		if (!punct(f, i, ";"))
			continue;
		if (i > start)
			add_statement(out, f, other, start, i, depth);
		start = i + 1;
	}
}

/* The chain from a newer version's function: that function's statements are judged there. */
static bool version_chain(const struct csrc_file *f, const struct csrc_file *other,
			  const struct statement *st)
{
	const char *callee = sole_call(f, st);

	return callee && has_version(callee) &&
	       (csrc_find_func(f, callee) || (other && csrc_find_func(other, callee)));
}

static bool defines_name(const struct csrc_file *f, const char *name, long func)
{
	size_t i;

	if (!f)
		return false;
	if (func < 0 && csrc_find_define(f, name))
		return true;
	for (i = 0; i < f->ninits; i++) {
		if (!strcmp(csrc_text(f, &f->toks[f->inits[i].name]), name) &&
		    (func < 0 || f->inits[i].func == func))
			return true;
	}
	return false;
}

/*
 * `hw_compat_10_0_2` where this side adds a machine version 10.0.2 (its
 * function is new): the set holds what that machine keeps, defined with it.
 */
static bool added_version(const struct csrc_file *f, const struct csrc_file *other,
			  const char *name)
{
	struct qversion v, w;
	size_t i;

	if (!other || version_from_identifier(&v, name) < 0)
		return false;
	for (i = 0; i < f->nfuncs; i++) {
		const char *fn = csrc_text(f, &f->toks[f->funcs[i].name]);

		if (version_from_identifier(&w, fn) == 0 && !qversion_cmp(&v, &w) &&
		    !csrc_find_func(other, fn))
			return true;
	}
	return false;
}

/*
 * Whether the statement names a set the commit brings with it: a `#define`
 * or array this side has and the other does not, or an array declared in
 * the same function. What such a set holds is compat-array's business.
 */
static bool names_own_set(const struct csrc_file *f, const struct csrc_file *other,
			  const struct statement *st, long func)
{
	size_t i;

	for (i = st->first; i < st->last; i++) {
		const char *name = csrc_text(f, &f->toks[i]);

		if (f->toks[i].kind != CSRC_IDENT)
			continue;
		if (defines_name(f, name, func) ||
		    (defines_name(f, name, -1) && !defines_name(other, name, -1)) ||
		    added_version(f, other, name))
			return true;
	}
	return false;
}

static bool ignored(const struct abi_config *config, const struct csrc_file *f,
		    const struct csrc_file *other, const struct statement *st, const char *function,
		    long func)
{
	const char *callee = sole_call(f, st);

	return declaration(f, st) || control_only(f, st) ||
	       class_field(config, f, st, function) || version_chain(f, other, st) ||
	       (callee && abi_globs_match(&config->versions.ignore_calls, callee)) ||
	       names_own_set(f, other, st, func);
}

static void describe(struct strbuf *out, const struct csrc_file *f, const struct statement *st,
		     const char *function, bool removed)
{
	const char *callee = sole_call(f, st);
	size_t n = strlen(st->key);

	strbuf_addf(out, "%s: %s", function,
		    callee ? (removed ? "no longer calls " : "calls ")
			   : (removed ? "no longer runs " : "runs "));
	if (n > STATEMENT_SHOWN) {
		strbuf_add(out, st->key, STATEMENT_SHOWN);
		strbuf_addstr(out, "...");
	} else {
		strbuf_addstr(out, st->key);
	}
}

static bool mentions(const struct csrc_file *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->ntoks; i++) {
		if (f->toks[i].kind == CSRC_IDENT && !strcmp(csrc_text(f, &f->toks[i]), name))
			return true;
	}
	for (i = 0; i < f->ndtoks; i++) {
		if (f->dtoks[i].kind == CSRC_IDENT && !strcmp(csrc_text(f, &f->dtoks[i]), name))
			return true;
	}
	return false;
}

/*
 * `smbios_type1_defaults = false` become `smbios_defaults = false`, the old
 * name gone from the whole file and the new one unknown to it before: a
 * rename, not a new statement.
 */
static bool renamed(const struct csrc_file *nf, const struct statement *added,
		    const struct csrc_file *of, const struct statement *gone)
{
	size_t i, n = added->last - added->first;
	bool differs = false;

	if (n != gone->last - gone->first)
		return false;
	for (i = 0; i < n; i++) {
		const struct csrc_token *a = &nf->toks[added->first + i], *g = &of->toks[gone->first + i];
		const char *at = csrc_text(nf, a), *gt = csrc_text(of, g);

		if (!strcmp(at, gt))
			continue;
		if (a->kind != CSRC_IDENT || g->kind != CSRC_IDENT || mentions(nf, gt) ||
		    mentions(of, at))
			return false;
		differs = true;
	}
	return differs;
}

/* Pairs added statements with removed ones that only rename a symbol; both then count as matched. */
static void match_renames(const struct csrc_file *nf, struct statements *news,
			  const struct csrc_file *of, struct statements *olds)
{
	size_t i, j;

	for (i = 0; i < news->n; i++) {
		for (j = 0; !news->v[i].matched && j < olds->n; j++) {
			if (!olds->v[j].matched && renamed(nf, &news->v[i], of, &olds->v[j]))
				news->v[i].matched = olds->v[j].matched = true;
		}
	}
}

/* Marks statements both sides have (the same text, once each) as matched. */
static void match_same(struct statements *news, struct statements *olds)
{
	size_t i, j;

	for (i = 0; i < news->n; i++) {
		for (j = 0; !news->v[i].matched && j < olds->n; j++) {
			if (!olds->v[j].matched && !strcmp(olds->v[j].key, news->v[i].key))
				news->v[i].matched = olds->v[j].matched = true;
		}
	}
}

static void report(struct abi_evidence_list *out, const struct abi_config *config,
		   const struct abi_file *file, const struct csrc_file *f,
		   const struct csrc_file *other, const struct statements *mine,
		   const char *function, long func, const struct qversion *version, bool removed)
{
	const struct abi_signal *signal = config->versions.signal;
	size_t i;

	for (i = 0; i < mine->n; i++) {
		const struct statement *st = &mine->v[i];
		struct strbuf detail = STRBUF_INIT;
		struct abi_evidence *e;

		if (st->matched || ignored(config, f, other, st, function, func))
			continue;
		describe(&detail, f, st, function, removed);
		abi_evidence_add(out, signal, signal->strength, file->path, st->line, removed,
				 function, NULL, NULL, detail.buf);
		e = &out->items[out->count - 1];
		e->array = xstrdup(function);
		e->has_array_version = true;
		e->array_version = *version;
		strbuf_release(&detail);
	}
}

/* Whether clean text names `fn` as some machine's `.init = fn` (a cheap test before tokenizing). */
static bool init_named(const struct abi_side *side, const char *fn)
{
	size_t n = strlen(fn);
	const char *p = side->clean;

	while (p && (p = strstr(p, fn)) != NULL) {
		const char *q = p;

		p += n;
		if ((q > side->clean && (isalnum((unsigned char)q[-1]) || q[-1] == '_')) ||
		    isalnum((unsigned char)*p) || *p == '_')
			continue;
		while (q > side->clean && isspace((unsigned char)q[-1]))
			q--;
		if (q > side->clean && q[-1] == '=') {
			q--;
			while (q > side->clean && isspace((unsigned char)q[-1]))
				q--;
			if (q - side->clean >= 5 && !strncmp(q - 5, ".init", 5))
				return true;
		}
	}
	return false;
}

static bool token_is(const struct csrc_file *f, size_t i, const char *text)
{
	return i < f->ntoks && !strcmp(csrc_text(f, &f->toks[i]), text);
}

/* Whether a function of the file calls `fn` (a base the versioned init functions chain to). */
static bool called_in_file(const struct csrc_file *f, const char *fn)
{
	size_t i, t;

	for (i = 0; i < f->nfuncs; i++) {
		for (t = f->funcs[i].open; t + 1 < f->funcs[i].close; t++) {
			if (f->toks[t].kind == CSRC_IDENT && token_is(f, t, fn) &&
			    token_is(f, t + 1, "("))
				return true;
		}
	}
	return false;
}

/*
 * The machine version whose set-up runs `fn` when its name says none: the
 * QEMUMachine era's `.init = fn` in a file-scope machine struct, whose
 * `.name = "pc-0.13"` says the version (or a versioned macro of machine
 * options holding the `.init`, PC_I440FX_0_13_MACHINE_OPTIONS). Several
 * machines may share an init function (pc-0.10 to pc-0.13): the newest,
 * which with the older ones now differs from its newer neighbours. False
 * when no versioned
 * machine names it, or when other functions call it: the base the
 * versioned init functions chain to, which every machine runs.
 */
static bool init_version(struct qversion *out, const struct csrc_file *f, const char *fn)
{
	bool found = false;
	size_t i, t;

	if (called_in_file(f, fn))
		return false;

	for (i = 0; i < f->ninits; i++) {
		const struct csrc_init *in = &f->inits[i];
		bool runs = false;
		const char *name = NULL;

		if (in->func >= 0 || in->array)
			continue;
		for (t = in->open + 1; t + 3 < in->close; t++) {
			if (!token_is(f, t, ".") || !token_is(f, t + 2, "="))
				continue;
			if (token_is(f, t + 1, "init") && token_is(f, t + 3, fn))
				runs = true;
			if (token_is(f, t + 1, "name") && f->toks[t + 3].kind == CSRC_STRING)
				name = csrc_text(f, &f->toks[t + 3]);
		}
		if (runs && name) {
			const char *dash = strrchr(name, '-');
			struct qversion v;

			if (dash && qversion_parse(&v, dash + 1) == 0 &&
			    (!found || qversion_cmp(&v, out) > 0)) {
				*out = v;
				found = true;
			}
		}
	}
	/* `#define PC_I440FX_0_13_MACHINE_OPTIONS ..., .init = fn`: the macro's name says it */
	for (i = 0; i < f->ndefines; i++) {
		const struct csrc_define *d = &f->defines[i];
		struct qversion v;

		if (d->function_like ||
		    version_from_identifier(&v, csrc_text(f, &f->dtoks[d->name])) < 0)
			continue;
		for (t = d->body.first; t + 3 < d->body.last; t++) {
			if (!strcmp(csrc_text(f, &f->dtoks[t]), ".") &&
			    !strcmp(csrc_text(f, &f->dtoks[t + 1]), "init") &&
			    !strcmp(csrc_text(f, &f->dtoks[t + 2]), "=") &&
			    !strcmp(csrc_text(f, &f->dtoks[t + 3]), fn) &&
			    (!found || qversion_cmp(&v, out) > 0)) {
				*out = v;
				found = true;
			}
		}
	}
	return found;
}

/* A changed line inside a function whose name says a version: worth tokenizing both sides. */
static bool worth_reading(const struct abi_versions_rules *rules, const struct abi_file *file)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (ch->key && !ch->cancelled && ch->extent && ch->extent->kind == ABI_EXTENT_FUNCTION &&
		    ch->extent->name &&
		    (has_version(ch->extent->name) || init_named(&file->new_side, ch->extent->name)) &&
		    abi_globs_match(&rules->functions, ch->extent->name))
			return true;
	}
	return false;
}

static long func_index(const struct csrc_file *f, const struct csrc_func *fn)
{
	return fn ? (long)(fn - f->funcs) : -1;
}

void abi_versions_scan(struct abi_evidence_list *out, const struct abi_config *config,
		       struct abi_file *file)
{
	const struct abi_versions_rules *rules = &config->versions;
	const struct csrc_file *old_file, *new_file;
	size_t i;

	if (!rules->signal || !abi_globs_match(&rules->paths, file->path) ||
	    !worth_reading(rules, file))
		return;
	old_file = abi_side_parsed(&file->old_side, file->path);
	new_file = old_file ? abi_side_parsed(&file->new_side, file->path) : NULL;
	if (!new_file)
		return;
	for (i = 0; i < new_file->nfuncs; i++) {
		const struct csrc_func *nf = &new_file->funcs[i], *of;
		const char *name = csrc_text(new_file, &new_file->toks[nf->name]);
		struct statements olds = { 0 }, news = { 0 };
		struct qversion version;

		if ((version_from_identifier(&version, name) < 0 &&
		     !init_version(&version, new_file, name)) ||
		    !abi_globs_match(&rules->functions, name))
			continue;
		of = csrc_find_func(old_file, name);
		if (!of)
			continue; /* a machine added: its settings are new, not a change */
		collect(&olds, old_file, new_file, of, 0);
		collect(&news, new_file, old_file, nf, 0);
		match_same(&news, &olds);
		match_renames(new_file, &news, old_file, &olds);
		report(out, config, file, new_file, old_file, &news, name,
		       func_index(new_file, nf), &version, false);
		report(out, config, file, old_file, new_file, &olds, name,
		       func_index(old_file, of), &version, true);
		statements_release(&olds);
		statements_release(&news);
	}
}
