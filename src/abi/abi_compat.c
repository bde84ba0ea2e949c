/*
 * compat-array and machine-latest evidence. Both sides of a changed compat
 * or machine file go through the machines parser (not a line regex), so an
 * entry is compared as {driver, property, value} in its array wherever it
 * sits, and a machine's latest mark as the family's rules define it.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/error.h"
#include "machines/machines.h"
#include "util/strbuf.h"
#include "util/strutil.h"
#include "util/xalloc.h"

bool abi_wants_machines(const struct families *fams, const char *path)
{
	return families_holds_path(fams, path, true);
}

void abi_added_entries_release(struct abi_added_entries *added)
{
	size_t i;

	for (i = 0; i < added->count; i++) {
		free((char *)added->items[i].array);
		free((char *)added->items[i].driver);
		free((char *)added->items[i].property);
		free((char *)added->items[i].value);
	}
	free(added->items);
	memset(added, 0, sizeof(*added));
}

static void entry_text(struct strbuf *out, const struct compat_entry *e)
{
	if (e->row)
		strbuf_addstr(out, e->row);
	else
		strbuf_addf(out, "{ %s, %s, %s }", e->driver ? e->driver : "?",
			    e->property ? e->property : "?", e->value ? e->value : "?");
}

static void add_item(struct abi_evidence_list *out, const struct abi_signal *signal,
		     const struct compat_array *array, const struct compat_entry *entry,
		     const char *what, bool removed, const char *old_value, const char *new_value)
{
	struct strbuf detail = STRBUF_INIT;
	struct abi_evidence *e;

	strbuf_addf(&detail, "%s: %s ", array->name, what);
	entry_text(&detail, entry);
	if (old_value && new_value)
		strbuf_addf(&detail, " (was %s)", old_value);
	abi_evidence_add(out, signal, signal->strength, array->path, entry->line, removed,
			 entry->property ? entry->property : entry->row, old_value, new_value,
			 detail.buf);
	e = &out->items[out->count - 1];
	e->array = xstrdup(array->name);
	e->has_array_version = array->has_version;
	e->array_version = array->version;
	strbuf_release(&detail);
}

static void add_array_item(struct abi_evidence_list *out, const struct abi_signal *signal,
			   const struct compat_array *array)
{
	struct strbuf detail = STRBUF_INIT;
	struct abi_evidence *e;

	strbuf_addf(&detail, "%s: new compat array (%zu entr%s)", array->name, array->nentries,
		    array->nentries == 1 ? "y" : "ies");
	abi_evidence_add(out, signal, ABI_REVIEW, array->path, array->line, false, NULL, NULL,
			 NULL, detail.buf);
	e = &out->items[out->count - 1];
	e->array = xstrdup(array->name);
	e->has_array_version = array->has_version;
	e->array_version = array->version;
	strbuf_release(&detail);
}

static void remember_added(struct abi_added_entries *added, const struct compat_array *array,
			   const struct compat_entry *entry)
{
	struct abi_compat_entry *c;

	if (entry->row || !entry->property || !entry->value)
		return;
	ARRAY_GROW(added->items, added->count, added->alloc);
	c = &added->items[added->count++];
	c->array = xstrdup(array->name);
	c->driver = xstrdup(entry->driver ? entry->driver : "");
	c->property = xstrdup(entry->property);
	c->value = xstrdup(entry->value);
}

static int by_new_array(const void *x, const void *y)
{
	const struct compat_array_change *const *a = x, *const *b = y;

	return (*a)->new < (*b)->new ? -1 : (*a)->new > (*b)->new;
}

static int by_new_entry(const void *x, const void *y)
{
	const struct compat_entry_change *const *a = x, *const *b = y;

	return (*a)->new < (*b)->new ? -1 : (*a)->new > (*b)->new;
}

/* Added and changed entries of one array, in the new file's order. */
static void added_or_changed(struct abi_evidence_list *out, struct abi_added_entries *added,
			     const struct abi_signal *signal, const struct compat_array_change *c)
{
	const struct compat_entry_change **v = xcalloc(c->nentries + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < c->nentries; i++) {
		if (c->entries[i].new)
			v[n++] = &c->entries[i];
	}
	qsort(v, n, sizeof(*v), by_new_entry);
	for (i = 0; i < n; i++) {
		const struct compat_entry *oe = v[i]->old, *ne = v[i]->new;

		if (!oe) {
			add_item(out, signal, c->new, ne, "added", false, NULL, ne->value);
			remember_added(added, c->new, ne);
		} else if (!str_equal(oe->value, ne->value)) {
			add_item(out, signal, c->new, ne, "changed", false, oe->value, ne->value);
			remember_added(added, c->new, ne);
		}
	}
	free(v);
}

/* Evidence in the new file's order, then what went in the old file's order. */
static void compare_compat(struct abi_evidence_list *out, struct abi_added_entries *added,
			   const struct abi_signal *signal, const struct model_diff *d)
{
	const struct compat_array_change **v = xcalloc(d->narrays + 1, sizeof(*v));
	size_t i, j, n = 0;

	for (i = 0; i < d->narrays; i++) {
		if (d->arrays[i].new)
			v[n++] = &d->arrays[i];
	}
	qsort(v, n, sizeof(*v), by_new_array);
	for (i = 0; i < n; i++) {
		/*
		 * A new array is how a new machine version (or a bugfix machine)
		 * starts its compat chain: worth a look in a stable branch, not a
		 * change by itself. Its entries, if any, follow.
		 */
		if (!v[i]->old)
			add_array_item(out, signal, v[i]->new);
		added_or_changed(out, added, signal, v[i]);
	}
	free(v);
	for (i = 0; i < d->narrays; i++) {
		const struct compat_array_change *c = &d->arrays[i];

		for (j = 0; j < c->nentries; j++) {
			if (!c->entries[j].new)
				add_item(out, signal, c->old, c->entries[j].old, "removed", true,
					 c->entries[j].old->value, NULL);
		}
	}
}

static void compare_latest(struct abi_evidence_list *out, const struct abi_signal *signal,
			   const char *path, const struct model_diff *d)
{
	size_t i;

	for (i = 0; i < d->nlatest; i++) {
		const struct machine *o = d->latest[i].old, *n = d->latest[i].new;
		struct strbuf detail = STRBUF_INIT;

		if (!o || !n)
			continue;
		strbuf_addf(&detail, "latest %s machine: %s -> %s", n->family, o->name, n->name);
		abi_evidence_add(out, signal, signal->strength, path, n->line, false, n->family,
				 o->name, n->name, detail.buf);
		strbuf_release(&detail);
	}
}

int abi_compat_scan(struct abi_evidence_list *out, struct abi_added_entries *added,
		    const struct abi_config *config, const struct families *fams,
		    const char *path, const char *old_text, size_t old_len,
		    const char *new_text, size_t new_len)
{
	const struct abi_signal *compat = abi_config_signal(config, "compat-array");
	const struct abi_signal *latest = abi_config_signal(config, "machine-latest");
	/* Both sides as models of this one file: its compat arrays and its families' machines. */
	struct model old = { 0 }, new = { 0 };
	struct model_diff d;
	size_t i, j;
	int ret = MT_ERROR;

	if (compat && (compat_parse_blob(&old.compat, fams, path, old_text, old_len) < 0 ||
		       compat_parse_blob(&new.compat, fams, path, new_text, new_len) < 0))
		goto out;
	for (i = 0; latest && i < fams->n; i++) {
		for (j = 0; j < fams->v[i].npaths; j++) {
			if (strcmp(fams->v[i].paths[j], path))
				continue;
			if (machines_parse_blob(&old.machines, &fams->v[i], path, old_text,
						old_len) < 0 ||
			    machines_parse_blob(&new.machines, &fams->v[i], path, new_text,
						new_len) < 0)
				goto out;
		}
	}
	model_diff(&d, fams, &old, &new, (compat ? MODEL_DIFF_COMPAT : 0) |
					 (latest ? MODEL_DIFF_MACHINES : 0));
	if (compat)
		compare_compat(out, added, compat, &d);
	if (latest)
		compare_latest(out, latest, path, &d);
	model_diff_release(&d);
	ret = MT_OK;
out:
	model_release(&old);
	model_release(&new);
	return ret;
}
