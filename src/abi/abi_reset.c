/*
 * vmstate-reset: the value a reset function gives a field the device
 * migrates changed (`s->outport = A | B;` made `s->outport = A | B | C;` in
 * kbd_reset). Guests of every machine type see the device come out of
 * reset another way: hardware changed under them, with no compat array in
 * sight. Only fields a VMSTATE_* macro of the file names count (device
 * state, not bookkeeping such as a timer or a pointer), and only a value
 * that changed: a reset assignment added or removed has no old value to
 * compare, and is left to the other signals. A reset value is what the
 * function always assigns: a statement of its body's own block, not one
 * under an `if` (`if (s->state == ACTIVE) s->state = STANDBY;` is a
 * transition of the emulation's state machine).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "machines/csrc.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct reset_assignment {
	const char *function;
	const char *field;  /* the member assigned: "outport" */
	char *target;       /* the whole left side as written: "s->outport" */
	char *value;
	int line;
	bool ambiguous;     /* the function assigns the same target more than once */
};

struct reset_list {
	struct reset_assignment *v;
	size_t n, alloc;
};

static void reset_list_release(struct reset_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].target);
		free(l->v[i].value);
	}
	free(l->v);
}

/*
 * Where the statement holding the token before `eq` starts, when it is a
 * statement of its own (after `;` or a brace); SIZE_MAX when it is the body
 * of an unbraced `if`, `else` or loop, or follows a label.
 */
static size_t statement_start(const struct csrc_file *f, size_t open, size_t eq)
{
	size_t i = eq;

	while (i > open + 1) {
		const struct csrc_token *t = &f->toks[i - 1];

		if (csrc_is(f, t, ";") || csrc_is(f, t, "{") || csrc_is(f, t, "}"))
			break;
		if (csrc_is(f, t, ")") || csrc_is(f, t, ":") || csrc_is(f, t, "else"))
			return SIZE_MAX;
		i--;
	}
	return i;
}

static void add_assignment(struct reset_list *l, const struct csrc_file *f, const char *function,
			   size_t first, size_t eq, size_t end)
{
	struct strbuf target = STRBUF_INIT, value = STRBUF_INIT;
	size_t i;

	abi_join_tokens(&target, f, f->toks, first, eq);
	abi_join_tokens(&value, f, f->toks, eq + 1, end);
	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].function, function) && !strcmp(l->v[i].target, target.buf)) {
			l->v[i].ambiguous = true;
			strbuf_release(&target);
			strbuf_release(&value);
			return;
		}
	}
	ARRAY_GROW(l->v, l->n, l->alloc);
	l->v[l->n++] = (struct reset_assignment){
		.function = function, .field = csrc_text(f, &f->toks[eq - 1]),
		.target = strbuf_detach(&target, NULL), .value = strbuf_detach(&value, NULL),
		.line = f->toks[eq].line,
	};
}

/* `X->field = value;` and `X.field = value;` statements of the reset functions. */
static void collect(struct reset_list *out, const struct csrc_file *f,
		    const struct abi_globs *functions)
{
	size_t i, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; f && i < f->nfuncs; i++) {
		const struct csrc_func *fn = &f->funcs[i];
		const char *name = csrc_text(f, &f->toks[fn->name]);
		int depth = 0; /* of braces inside the body: 0 is its own block */

		if (!abi_globs_match(functions, name))
			continue;
		for (k = fn->open + 1; k < fn->close; k++) {
			size_t first, end;

			depth += csrc_is(f, &f->toks[k], "{") - csrc_is(f, &f->toks[k], "}");
			if (depth || k < fn->open + 2 || !csrc_is(f, &f->toks[k], "=") ||
			    f->toks[k - 1].kind != CSRC_IDENT ||
			    !(csrc_is(f, &f->toks[k - 2], "->") || csrc_is(f, &f->toks[k - 2], ".")))
				continue;
			first = statement_start(f, fn->open, k);
			if (first == SIZE_MAX)
				continue;
			for (end = k + 1; end < fn->close && !csrc_is(f, &f->toks[end], ";"); end++)
				;
			if (end < fn->close && end > k + 1)
				add_assignment(out, f, name, first, k, end);
		}
	}
}

/* Whether a VMSTATE_* macro of the file names `field` first: state the device migrates. */
static bool migrated(const struct csrc_file *f, const char *prefix, const char *field)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i + 3 < f->ntoks; i++) {
		const struct csrc_token *t = f->toks + i;

		if (t->kind == CSRC_IDENT && !strncmp(csrc_text(f, t), prefix, n) &&
		    csrc_is(f, t + 1, "(") && csrc_is(f, t + 2, field) &&
		    (csrc_is(f, t + 3, ",") || csrc_is(f, t + 3, ")")))
			return true;
	}
	return false;
}

/* Whether the diff adds line `line` of the new side (not a move within its block). */
static bool added_line(const struct abi_file *file, int line)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (ch->origin == '+' && ch->line == line && !ch->cancelled)
			return true;
	}
	return false;
}

/* Whether a change lies in a reset function: the scan reads both sides only then. */
static bool touches_reset(const struct abi_file *file, const struct abi_globs *functions)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (!ch->cancelled && ch->extent && ch->extent->kind == ABI_EXTENT_FUNCTION &&
		    ch->extent->name && abi_globs_match(functions, ch->extent->name))
			return true;
	}
	return false;
}

void abi_reset_scan(struct abi_evidence_list *out, const struct abi_config *config,
		    struct abi_file *file)
{
	const struct abi_vmstate_rules *rules = &config->vmstate;
	const struct csrc_file *of, *nf;
	struct reset_list old, new;
	size_t i, j;

	if (!rules->reset || !abi_globs_match(&rules->paths, file->path) ||
	    !touches_reset(file, &rules->reset_functions))
		return;
	of = abi_side_parsed(&file->old_side, file->path);
	nf = abi_side_parsed(&file->new_side, file->path);
	if (!of || !nf)
		return;
	collect(&old, of, &rules->reset_functions);
	collect(&new, nf, &rules->reset_functions);
	for (i = 0; i < new.n; i++) {
		const struct reset_assignment *n = &new.v[i];
		struct strbuf detail = STRBUF_INIT;

		if (n->ambiguous || !added_line(file, n->line) ||
		    !migrated(nf, rules->field_prefix, n->field))
			continue;
		for (j = 0; j < old.n; j++) {
			const struct reset_assignment *o = &old.v[j];

			if (o->ambiguous || strcmp(o->function, n->function) ||
			    strcmp(o->target, n->target) || !strcmp(o->value, n->value))
				continue;
			strbuf_addf(&detail, "%s resets migrated %s to %s, was %s", n->function,
				    n->target, n->value, o->value);
			abi_evidence_add(out, rules->reset, rules->reset->strength, file->path,
					 n->line, false, n->field, o->value, n->value, detail.buf);
			break;
		}
		strbuf_release(&detail);
	}
	reset_list_release(&old);
	reset_list_release(&new);
}
