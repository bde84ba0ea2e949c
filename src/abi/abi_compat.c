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

/* Arrays are matched by name and, for function-local ones, their function. */
static const struct compat_array *find_array(const struct compat_list *list,
					     const struct compat_array *a)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		if (!strcmp(list->v[i].name, a->name) && str_equal(list->v[i].function, a->function))
			return &list->v[i];
	}
	return NULL;
}

/* Entries are matched by driver and property; rows made by a macro by their text. */
static const struct compat_entry *find_entry(const struct compat_array *a,
					     const struct compat_entry *e)
{
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < a->nentries; i++) {
		const struct compat_entry *o = &a->entries[i];

		if (e->row ? str_equal(o->row, e->row)
			   : !o->row && str_equal(o->driver, e->driver) &&
				     str_equal(o->property, e->property))
			return o;
	}
	return NULL;
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

static void compare_compat(struct abi_evidence_list *out, struct abi_added_entries *added,
			   const struct abi_signal *signal, const struct compat_list *old_list,
			   const struct compat_list *new_list)
{
	size_t i, j;

	for (i = 0; i < new_list->n; i++) {
		const struct compat_array *na = &new_list->v[i];
		const struct compat_array *oa = find_array(old_list, na);

		/*
		 * A new array is how a new machine version (or a bugfix machine)
		 * starts its compat chain: worth a look in a stable branch, not a
		 * change by itself. Its entries, if any, are reported below.
		 */
		if (!oa)
			add_array_item(out, signal, na);

		for (j = 0; j < na->nentries; j++) {
			const struct compat_entry *ne = &na->entries[j];
			const struct compat_entry *oe = find_entry(oa, ne);

			if (!oe) {
				add_item(out, signal, na, ne, "added", false, NULL, ne->value);
				remember_added(added, na, ne);
			} else if (!str_equal(oe->value, ne->value)) {
				add_item(out, signal, na, ne, "changed", false, oe->value, ne->value);
				remember_added(added, na, ne);
			}
		}
	}
	for (i = 0; i < old_list->n; i++) {
		const struct compat_array *oa = &old_list->v[i];
		const struct compat_array *na = find_array(new_list, oa);

		for (j = 0; j < oa->nentries; j++) {
			if (!find_entry(na, &oa->entries[j]))
				add_item(out, signal, oa, &oa->entries[j], "removed", true,
					 oa->entries[j].value, NULL);
		}
	}
}

static const struct machine *latest_of(const struct machine_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		if (list->v[i].latest)
			return &list->v[i];
	}
	return NULL;
}

static void compare_latest(struct abi_evidence_list *out, const struct abi_signal *signal,
			   const char *path, const struct machine_list *old_list,
			   const struct machine_list *new_list)
{
	const struct machine *o = latest_of(old_list), *n = latest_of(new_list);
	struct strbuf detail = STRBUF_INIT;

	if (!o || !n || (!strcmp(o->name, n->name) && str_equal(o->alias, n->alias)))
		return;
	strbuf_addf(&detail, "latest %s machine: %s -> %s", n->family, o->name, n->name);
	abi_evidence_add(out, signal, signal->strength, path, n->line, false, n->family, o->name,
			 n->name, detail.buf);
	strbuf_release(&detail);
}

int abi_compat_scan(struct abi_evidence_list *out, struct abi_added_entries *added,
		    const struct abi_config *config, const struct families *fams,
		    const char *path, const char *old_text, size_t old_len,
		    const char *new_text, size_t new_len)
{
	const struct abi_signal *compat = abi_config_signal(config, "compat-array");
	const struct abi_signal *latest = abi_config_signal(config, "machine-latest");
	struct compat_list old_compat = { 0 }, new_compat = { 0 };
	struct machine_list old_machines = { 0 }, new_machines = { 0 };
	size_t i, j;
	int ret = MT_ERROR;

	if (compat && (compat_parse_blob(&old_compat, fams, path, old_text, old_len) < 0 ||
		       compat_parse_blob(&new_compat, fams, path, new_text, new_len) < 0))
		goto out;
	if (compat)
		compare_compat(out, added, compat, &old_compat, &new_compat);
	for (i = 0; latest && i < fams->n; i++) {
		for (j = 0; j < fams->v[i].npaths; j++) {
			if (strcmp(fams->v[i].paths[j], path))
				continue;
			if (machines_parse_blob(&old_machines, &fams->v[i], path, old_text, old_len) < 0 ||
			    machines_parse_blob(&new_machines, &fams->v[i], path, new_text, new_len) < 0)
				goto out;
			compare_latest(out, latest, path, &old_machines, &new_machines);
			machine_list_release(&old_machines);
			machine_list_release(&new_machines);
		}
	}
	ret = MT_OK;
out:
	machine_list_release(&old_machines);
	machine_list_release(&new_machines);
	compat_list_release(&old_compat);
	compat_list_release(&new_compat);
	return ret;
}
