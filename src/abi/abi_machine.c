/*
 * machine-class-field: a class field (`m->x = v`, `pcmc->x = v`, ...)
 * assigned, changed or no longer assigned in a machine options function,
 * base or per-version. A removed and an added assignment of the same field
 * in the same function make one "changed" item.
 *
 * Each item is judged by the effective values of the file's machines
 * (abi_machine_values.c): when no machine's value of the field moves (a
 * change of representation, a new default the older machines set back for
 * all of them) or only settings new to the file move (a new capability:
 * there was no other value before it, and what it gives the machines is by
 * policy what they had), the item is only worth a review. Otherwise it
 * names the versioned machines it moves, for abi_judge_for_stream.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct assignment {
	const struct abi_change *change;
	char *lhs;    /* "m->default_kernel_irqchip_split" */
	char *field;  /* first name after "->": "default_kernel_irqchip_split" */
	char *value;  /* text after the operator up to `;`, may be empty */
	char op[3];   /* "=" or a compound operator */
	bool paired;
};

/* Parses "recv->path op value;" from a display line; false for anything else. */
static bool parse_assignment(struct assignment *out, const char *s,
			     const struct abi_globs *receivers)
{
	struct abi_field_assignment fa;
	const char *p;
	size_t n;

	if (!abi_parse_field_assignment(&fa, s, receivers))
		return false;
	memset(out, 0, sizeof(*out));
	memcpy(out->op, fa.op, fa.oplen);
	for (n = (size_t)(fa.op - s); n && s[n - 1] == ' '; n--)
		;
	out->lhs = xstrndup(s, n);
	for (p = fa.path; abi_is_ident(*p); p++)
		;
	out->field = xstrndup(fa.path, (size_t)(p - fa.path));
	out->value = xstrdup(fa.value);
	n = strlen(out->value);
	while (n && (out->value[n - 1] == ';' || out->value[n - 1] == ' '))
		out->value[--n] = '\0';
	return true;
}

static void assignment_release(struct assignment *a)
{
	free(a->lhs);
	free(a->field);
	free(a->value);
}

static enum abi_strength strength_for(const struct abi_machine_rules *rules,
				      const struct abi_file *file, const struct assignment *a)
{
	const struct abi_side *other = abi_file_side(file, a->change->origin == '+' ? '-' : '+');

	if (abi_globs_match(&rules->review_fields, a->field))
		return ABI_REVIEW;
	/*
	 * A function only one side has is a machine being added or removed:
	 * its settings are new (or gone), not a change to a released machine.
	 */
	if (!abi_side_find(other, ABI_EXTENT_FUNCTION, a->change->extent->name))
		return ABI_REVIEW;
	return rules->signal->strength;
}

/*
 * A field no line of the file's old side names (`default_caps.caps[X]`
 * after the receiver), set to a value that means nothing set: machines
 * had nothing of it before either.
 */
static bool new_and_neutral(const struct abi_machine_rules *rules, const struct abi_file *file,
			    const struct assignment *a)
{
	const char *path = strstr(a->lhs, "->");
	char *key;
	bool named;

	if (!path || !abi_globs_match(&rules->neutral_values, a->value))
		return false;
	key = abi_normalise(path + 2, strlen(path + 2), false);
	named = strstr(file->old_side.code, key) != NULL;
	free(key);
	return !named;
}

struct models {
	bool built;
	struct abi_machine_model old, new;
};

/* What the change does to the file's machines: abi_machine_compare on the field. */
static void judge(struct abi_machine_change *out, const struct abi_machine_rules *rules,
		  const struct abi_file *file, struct models *models, const struct assignment *a)
{
	const char *path = strstr(a->lhs, "->");
	char *key;

	if (!models->built) {
		abi_machine_model_build(&models->old, rules, &file->old_side);
		abi_machine_model_build(&models->new, rules, &file->new_side);
		models->built = true;
	}
	key = abi_normalise(path + 2, strlen(path + 2), false);
	abi_machine_compare(out, rules, &models->old, &models->new, key, a->change->extent->name,
			    a->change->origin == '+', file->old_side.code ? file->old_side.code : "");
	free(key);
}

static void report(struct abi_evidence_list *out, const struct abi_machine_rules *rules,
		   const struct abi_file *file, struct models *models, struct assignment *a,
		   struct assignment *was)
{
	const char *fn = a->change->extent->name;
	struct strbuf detail = STRBUF_INIT;
	bool removed = a->change->origin == '-';
	struct abi_machine_change moved;
	enum abi_strength strength;

	judge(&moved, rules, file, models, a);
	if (!moved.moved && !moved.new_setting && !was && !removed && new_and_neutral(rules, file, a)) {
		free(moved.versions);
		return;
	}
	strength = strength_for(rules, file, a);
	if (was)
		strbuf_addf(&detail, "%s: %s %s %s (was %s)", fn, a->lhs, a->op, a->value,
			    was->value);
	else if (removed)
		strbuf_addf(&detail, "%s: no longer sets %s %s %s", fn, a->lhs, a->op, a->value);
	else
		strbuf_addf(&detail, "%s: sets %s %s %s", fn, a->lhs, a->op, a->value);
	if (!moved.moved && !moved.new_setting) {
		strbuf_addstr(&detail, " (no machine the file had changes its value)");
		strength = ABI_REVIEW;
	}
	abi_evidence_add(out, rules->signal, strength, file->path, a->change->line, removed,
			 a->lhs, was ? was->value : removed ? a->value : NULL,
			 removed ? NULL : a->value, detail.buf);
	out->items[out->count - 1].new_setting = moved.new_setting && !moved.moved;
	if (strength > ABI_REVIEW && moved.versions)
		out->items[out->count - 1].versions = moved.versions;
	else
		free(moved.versions);
	strbuf_release(&detail);
}

void abi_machine_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file)
{
	const struct abi_machine_rules *rules = &config->machine;
	struct assignment *list = NULL;
	struct models models = { 0 };
	size_t n = 0, alloc = 0, i, j;

	if (!abi_globs_match(&rules->paths, file->path))
		return;
	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];
		struct assignment a;

		if (!ch->key || ch->cancelled || !ch->extent ||
		    ch->extent->kind != ABI_EXTENT_FUNCTION || !ch->extent->name ||
		    !abi_globs_match(&rules->functions, ch->extent->name))
			continue;
		if (!parse_assignment(&a, ch->display, &rules->receivers))
			continue;
		if (abi_globs_match(&rules->ignore_fields, a.field)) {
			assignment_release(&a);
			continue;
		}
		a.change = ch;
		ARRAY_GROW(list, n, alloc);
		list[n++] = a;
	}
	/* An added assignment pairs with a removed one of the same lhs in the same function. */
	for (i = 0; i < n; i++) {
		struct assignment *was = NULL;

		if (list[i].change->origin != '+')
			continue;
		for (j = 0; j < n && !was; j++) {
			if (list[j].change->origin == '-' && !list[j].paired &&
			    !strcmp(list[j].lhs, list[i].lhs) &&
			    !strcmp(list[j].change->extent->name, list[i].change->extent->name))
				was = &list[j];
		}
		if (was)
			was->paired = true;
		report(out, rules, file, &models, &list[i], was);
	}
	for (i = 0; i < n; i++) {
		if (list[i].change->origin == '-' && !list[i].paired)
			report(out, rules, file, &models, &list[i], NULL);
		assignment_release(&list[i]);
	}
	free(list);
	if (models.built) {
		abi_machine_model_release(&models.old);
		abi_machine_model_release(&models.new);
	}
}
