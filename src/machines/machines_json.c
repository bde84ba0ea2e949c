/* The JSON forms of machines, compat arrays and a model (design.md's contract). */
#include <string.h>

#include "util/jsontext.h"
#include "machines/machines.h"
#include "util/oid.h"

json_t *machine_to_json(const struct machine *m)
{
	char version[64];
	const char *life = machine_lifecycle_name(m->lifecycle);

	qversion_format(version, sizeof(version), &m->version);
	return json_pack("{s:o, s:o, s:s, s:s, s:b, s:o, s:o, s:i, s:o, s:o}",
			 "family", json_text(m->family), "name", json_text(m->name),
			 "version", version, "kind", machine_kind_name(m->kind), "latest", m->latest,
			 "alias", json_text_or_null(m->alias), "path", json_text(m->path),
			 "line", m->line,
			 "guard", json_text_or_null(m->guard), "lifecycle", json_text_or_null(life));
}

json_t *compat_entry_to_json(const struct compat_entry *e)
{
	return json_pack("{s:o, s:o, s:o, s:b, s:o, s:i}",
			 "driver", json_text_or_null(e->driver),
			 "property", json_text_or_null(e->property),
			 "value", json_text_or_null(e->value), "optional", e->optional,
			 "row", json_text_or_null(e->row), "line", e->line);
}

json_t *compat_array_to_json(const struct compat_array *a)
{
	json_t *entries = json_array(), *includes = json_array();
	char version[64];
	size_t i;

	for (i = 0; i < a->nentries; i++)
		json_array_append_new(entries, compat_entry_to_json(&a->entries[i]));
	for (i = 0; i < a->nincludes; i++)
		json_array_append_new(includes, json_text(a->includes[i]));
	if (a->has_version)
		qversion_format(version, sizeof(version), &a->version);
	return json_pack("{s:o, s:o, s:o, s:o, s:i, s:o, s:s, s:o, s:o}",
			 "array", json_text(a->name), "function", json_text_or_null(a->function),
			 "version", a->has_version ? json_string(version) : json_null(),
			 "path", json_text(a->path), "line", a->line, "guard", json_text_or_null(a->guard),
			 "form", a->macro ? "macro" : "array", "includes", includes,
			 "entries", entries);
}

json_t *model_to_json(const struct model *m, const char *ref)
{
	json_t *machines = json_array(), *compat = json_array();
	char hex[MT_OID_HEXSZ + 1], version[64];
	size_t i;

	oid_to_hex(hex, &m->commit);
	if (m->has_version)
		qversion_format(version, sizeof(version), &m->version);
	for (i = 0; i < m->machines.n; i++)
		json_array_append_new(machines, machine_to_json(&m->machines.v[i]));
	for (i = 0; i < m->compat.n; i++)
		json_array_append_new(compat, compat_array_to_json(&m->compat.v[i]));
	/* A tree without the constants has no cap: null, not the rules' defaults. */
	return json_pack("{s:o, s:s, s:o, s:{s:o, s:o, s:o}, s:o, s:o}",
			 "ref", json_text(ref), "commit", hex,
			 "version", m->has_version ? json_string(version) : json_null(),
			 "lifecycle", "deprecation_major",
			 m->lifecycle_source ? json_integer(m->deprecation_major) : json_null(),
			 "deletion_major",
			 m->lifecycle_source ? json_integer(m->deletion_major) : json_null(),
			 "source", json_text_or_null(m->lifecycle_source),
			 "machines", machines, "compat", compat);
}
