/*
 * What changed between two models: machines, compat arrays and their
 * entries, and each family's latest machine. `diff` prints it, the ABI
 * classifier turns it into compat-array and machine-latest evidence, and
 * the engine charges new, removed and newly latest machines to backports.
 */
#include <stdlib.h>
#include <string.h>

#include "machines/machines.h"
#include "util/strutil.h"
#include "util/xalloc.h"

static const struct machine *find_machine(const struct machine_list *l, const struct machine *key)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].family, key->family) && !strcmp(l->v[i].name, key->name))
			return &l->v[i];
	}
	return NULL;
}

static const struct compat_array *find_array(const struct compat_list *l,
					     const struct compat_array *key)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct compat_array *a = &l->v[i];

		if (!strcmp(a->path, key->path) && !strcmp(a->name, key->name) &&
		    str_equal(a->function, key->function))
			return a;
	}
	return NULL;
}

/* A macro row has neither driver nor property, so comparing all three covers both forms. */
static const struct compat_entry *find_entry(const struct compat_array *a,
					     const struct compat_entry *key)
{
	size_t i;

	for (i = 0; a && i < a->nentries; i++) {
		const struct compat_entry *e = &a->entries[i];

		if (str_equal(e->driver, key->driver) && str_equal(e->property, key->property) &&
		    str_equal(e->row, key->row))
			return e;
	}
	return NULL;
}

static unsigned machine_fields(const struct machine *a, const struct machine *b)
{
	unsigned f = 0;

	if (a->kind != b->kind)
		f |= MACHINE_FIELD_KIND;
	if (a->latest != b->latest)
		f |= MACHINE_FIELD_LATEST;
	if (!str_equal(a->alias, b->alias))
		f |= MACHINE_FIELD_ALIAS;
	if (!str_equal(a->guard, b->guard))
		f |= MACHINE_FIELD_GUARD;
	if (strcmp(a->path, b->path))
		f |= MACHINE_FIELD_PATH;
	if (a->lifecycle != b->lifecycle)
		f |= MACHINE_FIELD_LIFECYCLE;
	return f;
}

static void diff_machines(struct model_diff *d, const struct model *a, const struct model *b)
{
	size_t i;

	d->added = xcalloc(b->machines.n + 1, sizeof(*d->added));
	d->removed = xcalloc(a->machines.n + 1, sizeof(*d->removed));
	d->changed = xcalloc(a->machines.n + 1, sizeof(*d->changed));
	for (i = 0; i < b->machines.n; i++) {
		if (!find_machine(&a->machines, &b->machines.v[i]))
			d->added[d->nadded++] = &b->machines.v[i];
	}
	for (i = 0; i < a->machines.n; i++) {
		const struct machine *old = &a->machines.v[i];
		const struct machine *now = find_machine(&b->machines, old);
		unsigned fields;

		if (!now) {
			d->removed[d->nremoved++] = old;
			continue;
		}
		fields = machine_fields(old, now);
		if (fields) {
			d->changed[d->nchanged].old = old;
			d->changed[d->nchanged].new = now;
			d->changed[d->nchanged++].fields = fields;
		}
	}
}

static void diff_latest(struct model_diff *d, const struct families *fams,
			const struct model *a, const struct model *b)
{
	size_t i;

	d->latest = xcalloc(fams->n + 1, sizeof(*d->latest));
	for (i = 0; i < fams->n; i++) {
		const struct machine *was = model_family_latest(a, fams->v[i].id);
		const struct machine *now = model_family_latest(b, fams->v[i].id);

		if (!was && !now)
			continue;
		if (was && now && !strcmp(was->name, now->name) && str_equal(was->alias, now->alias))
			continue;
		d->latest[d->nlatest].family = &fams->v[i];
		d->latest[d->nlatest].old = was;
		d->latest[d->nlatest++].new = now;
	}
}

static int by_old_entry(const void *x, const void *y)
{
	const struct compat_entry_change *a = x, *b = y;

	if (a->old != b->old)
		return a->old < b->old ? -1 : 1;
	return a->new < b->new ? -1 : a->new > b->new;
}

static void add_entry(struct compat_array_change *c, const struct compat_entry *old,
		      const struct compat_entry *now)
{
	c->entries[c->nentries].old = old;
	c->entries[c->nentries++].new = now;
}

/* The entry changes of one array (a or b may be NULL); false when there are none. */
static bool diff_array(struct compat_array_change *c, const struct compat_array *a,
		       const struct compat_array *b)
{
	size_t na = a ? a->nentries : 0, nb = b ? b->nentries : 0, i, first_changed;

	c->old = a;
	c->new = b;
	c->entries = xcalloc(na + nb + 1, sizeof(*c->entries));
	c->nentries = 0;
	for (i = 0; i < nb; i++) {
		if (!find_entry(a, &b->entries[i]))
			add_entry(c, NULL, &b->entries[i]);
	}
	for (i = 0; i < na; i++) {
		if (!find_entry(b, &a->entries[i]))
			add_entry(c, &a->entries[i], NULL);
	}
	/* A changed entry pairs each new entry with its first match among the old. */
	first_changed = c->nentries;
	for (i = 0; i < nb; i++) {
		const struct compat_entry *now = &b->entries[i], *old = find_entry(a, now);

		if (old && (!str_equal(old->value, now->value) || old->optional != now->optional))
			add_entry(c, old, now);
	}
	qsort(c->entries + first_changed, c->nentries - first_changed, sizeof(*c->entries),
	      by_old_entry);
	if (c->nentries || !a || !b)
		return true;
	free(c->entries);
	return false;
}

static void diff_compat(struct model_diff *d, const struct model *a, const struct model *b)
{
	size_t i;

	d->arrays = xcalloc(a->compat.n + b->compat.n + 1, sizeof(*d->arrays));
	for (i = 0; i < a->compat.n; i++) {
		const struct compat_array *old = &a->compat.v[i];

		if (diff_array(&d->arrays[d->narrays], old, find_array(&b->compat, old)))
			d->narrays++;
	}
	for (i = 0; i < b->compat.n; i++) {
		if (!find_array(&a->compat, &b->compat.v[i]) &&
		    diff_array(&d->arrays[d->narrays], NULL, &b->compat.v[i]))
			d->narrays++;
	}
}

void model_diff(struct model_diff *out, const struct families *fams, const struct model *a,
		const struct model *b, unsigned what)
{
	memset(out, 0, sizeof(*out));
	if (what & MODEL_DIFF_MACHINES) {
		diff_machines(out, a, b);
		diff_latest(out, fams, a, b);
	}
	if (what & MODEL_DIFF_COMPAT)
		diff_compat(out, a, b);
}

void model_diff_release(struct model_diff *d)
{
	size_t i;

	for (i = 0; i < d->narrays; i++)
		free(d->arrays[i].entries);
	free(d->arrays);
	free(d->added);
	free(d->removed);
	free(d->changed);
	free(d->latest);
	memset(d, 0, sizeof(*d));
}
