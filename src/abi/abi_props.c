/*
 * property-default / property-added / property-removed: the DEFINE_PROP_*
 * calls of both sides of a file, matched by property name and state type
 * (in order, when one file defines the same pair twice), so moved, reformatted
 * or commented-out text changes nothing and a changed default is found even
 * when the call spans lines. What guests get is compared, not the text:
 * - a property renamed (the same state, member and default under another
 *   name) changes nothing;
 * - a new property whose default is a constant the commit stops using in
 *   the same file in favour of the new member (`VTD_HOST_ADDRESS_WIDTH`
 *   becomes `s->aw_bits`) makes a hard-coded value configurable: no change;
 * - a changed default of a property that board code in the same file set
 *   itself before the commit (`qdev_prop_set_bit(dev, "x", ...)`, a line the
 *   commit changes) was not what guests got: only worth a review;
 * - a new property's default is taken to be the behaviour before it (QEMU's
 *   convention: a new default that changes behaviour comes with a compat
 *   entry for older machines, which the backport, its upstream commit or a
 *   Fixes: follow-up then shows as evidence of its own): review only;
 * - the properties of a file whose every VMStateDescription is marked
 *   unmigratable belong to devices no migration carries (vfio-pci): review.
 */
#include <ctype.h>
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

/* Whether two calls are the same but for the property's name: a rename. */
static bool same_but_name(const struct prop *a, const struct prop *b)
{
	size_t i;

	if (strcmp(a->call->name, b->call->name) || a->call->nargs != b->call->nargs)
		return false;
	for (i = 1; i < a->call->nargs; i++) {
		if (strcmp(a->call->args[i], b->call->args[i]))
			return false;
	}
	return true;
}

enum pairing { BY_NAME_AND_STATE, BY_NAME, BY_EVERYTHING_BUT_NAME };

static bool pairs(const struct prop *o, const struct prop *n, enum pairing how)
{
	if (how == BY_EVERYTHING_BUT_NAME)
		return same_but_name(o, n);
	return !strcmp(o->name, n->name) && (how == BY_NAME || !strcmp(o->state, n->state));
}

static void pair(struct prop *old, size_t nold, struct prop *new, size_t nnew, enum pairing how)
{
	size_t i, j;

	for (i = 0; i < nnew; i++) {
		if (new[i].partner)
			continue;
		for (j = 0; j < nold; j++) {
			if (!old[j].partner && pairs(&old[j], &new[i], how)) {
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

/* Whether `word` occurs in text as a whole identifier. */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	if (!n)
		return false;
	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || !abi_is_ident(p[-1])) && !abi_is_ident(p[n]))
			return true;
		p += n;
	}
	return false;
}

/* The last identifier of a member path ("parent_obj.dma_enabled" -> "dma_enabled"). */
static const char *member_name(const char *path)
{
	const char *p = path + strlen(path);

	while (p > path && abi_is_ident(p[-1]))
		p--;
	return p;
}

/*
 * A new property whose default is a named constant the commit stops using
 * in this file while it starts using the property's member: the value the
 * code had hard-wired is now the default, so guests see the same.
 */
static bool made_configurable(const struct abi_file *file, const struct prop *p)
{
	const char *member = p->call->nargs > 2 ? member_name(p->call->args[2]) : "";
	bool removed_constant = false, added_member = false;
	size_t i;

	if (!abi_is_ident(p->value[0]) || isdigit((unsigned char)p->value[0]) || !*member)
		return false;
	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (!ch->key || ch->cancelled)
			continue;
		if (ch->origin == '-' && has_word(ch->display, p->value))
			removed_constant = true;
		if (ch->origin == '+' && !strstr(ch->display, "DEFINE_PROP") &&
		    has_word(ch->display, member))
			added_member = true;
	}
	return removed_constant && added_member;
}

/* Whether the commit changes a line where board code in this file set property `name`. */
static bool board_set(const struct abi_property_rules *rules, const struct abi_file *file,
		      const char *name)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];
		const char *open, *start;
		char *fn;
		bool hit;

		if (!ch->key || ch->cancelled || ch->origin != '-' || !strstr(ch->display, name) ||
		    !(open = strchr(ch->display, '(')))
			continue;
		start = open;
		while (start > ch->display && abi_is_ident(start[-1]))
			start--;
		fn = xstrndup(start, (size_t)(open - start));
		hit = abi_globs_match(&rules->setters, fn);
		free(fn);
		if (hit)
			return true;
	}
	return false;
}

/* Whether `value` (a field's initialiser) is set: not 0 or false. */
static bool set_value(const char *text, size_t len)
{
	while (len && isspace((unsigned char)*text)) {
		text++;
		len--;
	}
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	return len && !(len == 1 && text[0] == '0') && !(len == 5 && !strncmp(text, "false", 5));
}

/* Whether an initialiser's top level sets one of `fields` (`.unmigratable = 1`). */
static bool sets_field(const struct abi_side *side, const struct abi_extent *e,
		       const struct abi_globs *fields)
{
	const char *t = side->code;
	size_t i = e->open + 1, end = e->close < side->len ? e->close : side->len;

	while (i < end) {
		size_t start, stop;
		char *name;
		bool hit;

		if (strchr("([{", t[i])) {
			i = abi_match_bracket(t, i, end) + 1;
			continue;
		}
		if (t[i] != '.' || !abi_is_ident(t[i + 1])) {
			i++;
			continue;
		}
		start = ++i;
		while (i < end && abi_is_ident(t[i]))
			i++;
		name = xstrndup(t + start, i - start);
		hit = abi_globs_match(fields, name);
		free(name);
		while (i < end && isspace((unsigned char)t[i]))
			i++;
		if (!hit || i >= end || t[i] != '=')
			continue;
		for (stop = ++i; stop < end && t[stop] != ',' && t[stop] != '}'; stop++)
			;
		if (set_value(t + i, stop - i))
			return true;
	}
	return false;
}

/*
 * Whether every migration description of the new side (at least one) says
 * its device does not migrate: the file's devices are not in any stream.
 */
static bool never_migrates(const struct abi_config *config, const struct abi_side *side)
{
	const char *type = config->vmstate.type;
	size_t i, n = 0;

	if (!config->properties.unmigratable_fields.count || !type)
		return false;
	for (i = 0; i < side->nextents; i++) {
		const struct abi_extent *e = &side->extents[i];
		const char *decl = side->code + e->decl;

		if (e->kind != ABI_EXTENT_INITIALIZER || e->open <= e->decl)
			continue;
		{
			char *head = xstrndup(decl, e->open - e->decl);
			bool declares = has_word(head, type);

			free(head);
			if (!declares)
				continue;
		}
		if (!sets_field(side, e, &config->properties.unmigratable_fields))
			return false;
		n++;
	}
	return n > 0;
}

/* Review only, and why, for the items this scan added from `first` on. */
static void settle_unmigrated(struct abi_evidence_list *out, size_t first)
{
	size_t i;

	for (i = first; i < out->count; i++) {
		struct abi_evidence *e = &out->items[i];
		struct strbuf detail = STRBUF_INIT;

		e->strength = ABI_REVIEW;
		strbuf_addf(&detail, "%s (the device does not migrate: its VMState is marked "
			    "unmigratable)", e->detail);
		free(e->detail);
		e->detail = strbuf_detach(&detail, NULL);
	}
}

void abi_properties_scan(struct abi_evidence_list *out, const struct abi_config *config,
			 const struct abi_file *file)
{
	size_t first = out->count;
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
	pair(old, nold, new, nnew, BY_NAME_AND_STATE);
	pair(old, nold, new, nnew, BY_NAME);
	pair(old, nold, new, nnew, BY_EVERYTHING_BUT_NAME);
	for (i = 0; i < nnew; i++) {
		struct prop *p = &new[i], *was = p->partner;

		if (was) {
			if (was->value && p->value && strcmp(was->value, p->value)) {
				struct strbuf what = STRBUF_INIT;

				strbuf_addf(&what, "default %s -> %s", was->value, p->value);
				if (board_set(rules, file, p->name))
					strbuf_addstr(&what, " (board code in this file set it before)");
				report(out, rules->changed, file, p, false, was->value, p->value,
				       what.buf);
				if (board_set(rules, file, p->name))
					out->items[out->count - 1].strength = ABI_REVIEW;
				strbuf_release(&what);
			}
			continue;
		}
		/* A new knob whose default is off/zero keeps the old behaviour. */
		if (!p->value || abi_globs_match(&rules->neutral_defaults, p->value))
			continue;
		if (made_configurable(file, p)) {
			struct strbuf what = STRBUF_INIT;

			/* said, as review: old and new value are the constant (abi_acpi_excuse_configurable) */
			strbuf_addf(&what, "added with default %s, the constant the code used before: "
				    "configurable now, the same value", p->value);
			report(out, rules->added, file, p, false, p->value, p->value, what.buf);
			out->items[out->count - 1].strength = ABI_REVIEW;
			strbuf_release(&what);
			continue;
		}
		{
			struct strbuf what = STRBUF_INIT;

			strbuf_addf(&what, "added with default %s (the behaviour before it, unless "
				    "a compat entry says otherwise)", p->value);
			report(out, rules->added, file, p, false, NULL, p->value, what.buf);
			strbuf_release(&what);
		}
	}
	for (j = 0; j < nold; j++) {
		if (!old[j].partner)
			report(out, rules->removed, file, &old[j], true, old[j].value, NULL, "removed");
	}
	if (out->count > first && never_migrates(config, &file->new_side))
		settle_unmigrated(out, first);
	free(old);
	free(new);
	abi_calls_free(old_calls, nold_calls);
	abi_calls_free(new_calls, nnew_calls);
}
