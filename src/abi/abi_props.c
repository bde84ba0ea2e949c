/*
 * property-default / property-added / property-removed: the DEFINE_PROP_*
 * calls of both sides of a file, matched by property name and state type
 * (in order, when one file defines the same pair twice), so moved, reformatted
 * or commented-out text changes nothing and a changed default is found even
 * when the call spans lines.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct prop {
	const struct abi_call *call;
	const char *name;   /* first argument as written, usually a string literal */
	const char *state;  /* second argument: the device state type */
	const char *value;  /* the default argument, or NULL when the macro has none */
	struct prop *partner; /* the same property on the other side */
};

static int default_index(const struct abi_property_rules *rules, const char *macro)
{
	size_t i;

	for (i = 0; i < rules->ndefaults; i++) {
		if (!strcmp(rules->defaults[i].macro, macro))
			return rules->defaults[i].index;
	}
	return 0;
}

static struct prop *collect(const struct abi_property_rules *rules, const struct abi_call *calls,
			    size_t ncalls, size_t *out_count)
{
	struct prop *props = xcalloc(ncalls + 1, sizeof(*props));
	size_t i, n = 0;

	for (i = 0; i < ncalls; i++) {
		const struct abi_call *c = &calls[i];
		int idx;

		if (c->definition || abi_globs_match(&rules->ignore_macros, c->name) || c->nargs < 2)
			continue;
		idx = default_index(rules, c->name);
		props[n].call = c;
		props[n].name = c->args[0];
		props[n].state = c->args[1];
		props[n].value = idx && (size_t)idx <= c->nargs ? c->args[idx - 1] : NULL;
		n++;
	}
	*out_count = n;
	return props;
}

static void pair(struct prop *old, size_t nold, struct prop *new, size_t nnew, bool by_state)
{
	size_t i, j;

	for (i = 0; i < nnew; i++) {
		if (new[i].partner)
			continue;
		for (j = 0; j < nold; j++) {
			if (!old[j].partner && !strcmp(old[j].name, new[i].name) &&
			    (!by_state || !strcmp(old[j].state, new[i].state))) {
				old[j].partner = &new[i];
				new[i].partner = &old[j];
				break;
			}
		}
	}
}

/* The property name without its quotes, for matching compat entries. */
static char *unquote(const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return xstrndup(s + 1, n - 2);
	return xstrdup(s);
}

static void report(struct abi_evidence_list *out, const struct abi_signal *signal,
		   const struct abi_file *file, const struct prop *p, bool removed,
		   const char *old_value, const char *new_value, const char *what)
{
	struct strbuf detail = STRBUF_INIT;
	char *name = unquote(p->name);

	strbuf_addf(&detail, "%s %s (%s) %s", p->call->name, p->name, p->state, what);
	abi_evidence_add(out, signal, signal->strength, file->path, p->call->line, removed, name,
			 old_value, new_value, detail.buf);
	strbuf_release(&detail);
	free(name);
}

void abi_properties_scan(struct abi_evidence_list *out, const struct abi_config *config,
			 const struct abi_file *file)
{
	const struct abi_property_rules *rules = &config->properties;
	struct abi_call *old_calls, *new_calls;
	size_t nold_calls, nnew_calls, nold, nnew, i, j;
	struct prop *old, *new;

	if (!abi_globs_match(&rules->paths, file->path))
		return;
	abi_find_calls(&old_calls, &nold_calls, &file->old_side, 0, file->old_side.len,
		       rules->macro_prefix);
	abi_find_calls(&new_calls, &nnew_calls, &file->new_side, 0, file->new_side.len,
		       rules->macro_prefix);
	old = collect(rules, old_calls, nold_calls, &nold);
	new = collect(rules, new_calls, nnew_calls, &nnew);

	/*
	 * Pair by name and state type first, then by name alone, so renaming
	 * the state type (a common refactoring) is not a removal and an addition.
	 */
	pair(old, nold, new, nnew, true);
	pair(old, nold, new, nnew, false);
	for (i = 0; i < nnew; i++) {
		struct prop *p = &new[i], *was = p->partner;

		if (was) {
			if (was->value && p->value && strcmp(was->value, p->value)) {
				struct strbuf what = STRBUF_INIT;

				strbuf_addf(&what, "default %s -> %s", was->value, p->value);
				report(out, rules->changed, file, p, false, was->value, p->value,
				       what.buf);
				strbuf_release(&what);
			}
			continue;
		}
		/* A new knob whose default is off/zero keeps the old behaviour. */
		if (!p->value || abi_globs_match(&rules->neutral_defaults, p->value))
			continue;
		{
			struct strbuf what = STRBUF_INIT;

			strbuf_addf(&what, "added with default %s", p->value);
			report(out, rules->added, file, p, false, NULL, p->value, what.buf);
			strbuf_release(&what);
		}
	}
	for (j = 0; j < nold; j++) {
		if (!old[j].partner)
			report(out, rules->removed, file, &old[j], true, old[j].value, NULL, "removed");
	}
	free(old);
	free(new);
	abi_calls_free(old_calls, nold_calls);
	abi_calls_free(new_calls, nnew_calls);
}
