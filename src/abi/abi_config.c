/*
 * rules/abi-signals.json: the declared signals and, per signal family, the
 * paths, functions, macros and shapes it looks at. Every object's keys are
 * checked, every signal a family names must be declared and implemented here.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/error.h"
#include "util/jsonfile.h"
#include "util/rulesdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool abi_globs_match(const struct abi_globs *globs, const char *name)
{
	size_t i;

	for (i = 0; i < globs->count; i++) {
		if (!fnmatch(globs->items[i], name, 0))
			return true;
	}
	return false;
}

static void globs_release(struct abi_globs *globs)
{
	size_t i;

	for (i = 0; i < globs->count; i++)
		free(globs->items[i]);
	free(globs->items);
	memset(globs, 0, sizeof(*globs));
}

static const char *const strength_names[] = { NULL, "review", "likely", "abi-change" };

const char *abi_strength_name(enum abi_strength strength)
{
	if (strength < ABI_REVIEW || strength > ABI_CHANGE)
		return "unknown";
	return strength_names[strength];
}

int abi_strength_parse(enum abi_strength *out, const char *name)
{
	int i;

	for (i = ABI_REVIEW; i <= ABI_CHANGE; i++) {
		if (!strcmp(name, strength_names[i])) {
			*out = (enum abi_strength)i;
			return MT_OK;
		}
	}
	return MT_ERROR;
}

/*
 * Reads obj[key] as a string into *out; `required` says whether it may be
 * absent. `at` is obj's path in the file (jsonfile.h), for messages.
 */
static int get_string(char **out, const struct json_file *f, json_t *obj, const char *at,
		      const char *key, bool required, const char *context)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v) {
		if (!required)
			return MT_OK;
		return json_file_error(f, at, NULL, "%s: missing \"%s\"", context, key);
	}
	if (!json_is_string(v) || !*json_string_value(v))
		return json_file_error(f, at, key, "%s: \"%s\" must be a non-empty string", context,
				       key);
	*out = xstrdup(json_string_value(v));
	return MT_OK;
}

static int get_globs(struct abi_globs *out, const struct json_file *f, json_t *obj,
		     const char *at, const char *key, bool required, const char *context)
{
	json_t *v = json_object_get(obj, key), *item;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (!v) {
		if (!required)
			return MT_OK;
		return json_file_error(f, at, NULL, "%s: missing \"%s\"", context, key);
	}
	if (!json_is_array(v))
		return json_file_error(f, at, key, "%s: \"%s\" must be an array of strings", context,
				       key);
	out->items = xcalloc(json_array_size(v) + 1, sizeof(*out->items));
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || !*json_string_value(item))
			return json_file_error(f, at, key, "%s: \"%s\" item %zu must be a non-empty "
					       "string", context, key, i + 1);
		out->items[out->count++] = xstrdup(json_string_value(item));
	}
	return MT_OK;
}

const struct abi_signal *abi_config_signal(const struct abi_config *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nsignals; i++) {
		if (!strcmp(c->signals[i].id, id))
			return &c->signals[i];
	}
	return NULL;
}

/* obj[key] names a declared signal this module implements. */
static int get_signal(const struct abi_signal **out, const struct abi_config *c,
		      const struct json_file *f, json_t *obj, const char *at, const char *key,
		      const char *context)
{
	char *id;
	int ret = get_string(&id, f, obj, at, key, true, context);

	if (ret < 0)
		return ret;
	*out = abi_config_signal(c, id);
	if (!*out)
		ret = json_file_error(f, at, key, "%s: signal \"%s\" is not declared in \"signals\"",
				      context, id);
	else if ((*out)->needs)
		ret = json_file_error(f, at, key, "%s: signal \"%s\" needs %s and cannot be found "
				      "from a diff alone", context, id, (*out)->needs);
	free(id);
	return ret;
}

static json_t *get_object(const struct json_file *f, json_t *obj, const char *key,
			  const char *const *allowed)
{
	json_t *v = json_object_get(obj, key);

	if (!v) {
		json_file_error(f, NULL, NULL, "missing \"%s\"", key);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_file_error(f, NULL, key, "\"%s\" must be an object", key);
		return NULL;
	}
	if (json_file_check_keys(f, key, v, allowed, key) < 0)
		return NULL;
	return v;
}

static int load_signals(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "id", "strength", "summary", "needs", NULL };
	json_t *list = json_object_get(f->root, "signals"), *item;
	size_t i;

	if (!json_is_array(list) || !json_array_size(list))
		return json_file_error(f, NULL, "signals", "\"signals\" must be a non-empty array");
	c->signals = xcalloc(json_array_size(list), sizeof(*c->signals));
	json_array_foreach(list, i, item) {
		struct abi_signal *s = &c->signals[c->nsignals];
		char context[64], at[32], *strength;

		snprintf(context, sizeof(context), "signal %zu", i + 1);
		snprintf(at, sizeof(at), "signals/%zu", i);
		if (!json_is_object(item))
			return json_file_error(f, at, NULL, "%s must be an object", context);
		if (json_file_check_keys(f, at, item, keys, context) < 0)
			return MT_ERROR;
		if (get_string(&s->id, f, item, at, "id", true, context) < 0)
			return MT_ERROR;
		c->nsignals++;
		snprintf(context, sizeof(context), "signal %s", s->id);
		if (abi_config_signal(c, s->id) != s)
			return json_file_error(f, at, "id", "%s: declared twice", context);
		if (get_string(&s->summary, f, item, at, "summary", true, context) < 0 ||
		    get_string(&s->needs, f, item, at, "needs", false, context) < 0 ||
		    get_string(&strength, f, item, at, "strength", true, context) < 0)
			return MT_ERROR;
		if (abi_strength_parse(&s->strength, strength) < 0) {
			json_file_error(f, at, "strength", "%s: strength \"%s\" is not one of review, "
					"likely, abi-change", context, strength);
			free(strength);
			return MT_ERROR;
		}
		free(strength);
	}
	return MT_OK;
}

/* "bitmask_values": [ { "call": "spapr_caps", "member": "caps", "set": "SPAPR_CAP_ON" } ] */
static int load_bitmasks(struct abi_machine_rules *m, const struct json_file *f, json_t *o)
{
	static const char *const keys[] = { "call", "member", "set", NULL };
	json_t *list = json_object_get(o, "bitmask_values"), *item;
	size_t i;

	if (!list)
		return MT_OK;
	if (!json_is_array(list))
		return json_file_error(f, "machine_options", "bitmask_values", "machine_options: "
				       "\"bitmask_values\" must be an array of objects");
	m->bitmasks = xcalloc(json_array_size(list) + 1, sizeof(*m->bitmasks));
	json_array_foreach(list, i, item) {
		struct abi_bitmask_value *b = &m->bitmasks[m->nbitmasks++];
		char ctx[64], at[56];

		snprintf(ctx, sizeof(ctx), "machine_options bitmask_values item %zu", i + 1);
		snprintf(at, sizeof(at), "machine_options/bitmask_values/%zu", i);
		if (!json_is_object(item))
			return json_file_error(f, at, NULL, "%s must be an object", ctx);
		if (json_file_check_keys(f, at, item, keys, ctx) < 0 ||
		    get_string(&b->call, f, item, at, "call", true, ctx) < 0 ||
		    get_string(&b->member, f, item, at, "member", true, ctx) < 0 ||
		    get_string(&b->set, f, item, at, "set", true, ctx) < 0)
			return MT_ERROR;
	}
	return MT_OK;
}

static int load_machine(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "signal", "paths", "functions", "receivers",
					    "review_fields", "ignore_fields", "neutral_values",
					    "bitmask_values", NULL };
	const char *ctx = "machine_options";
	struct abi_machine_rules *m = &c->machine;
	json_t *o = get_object(f, f->root, ctx, keys);

	if (!o || get_signal(&m->signal, c, f, o, ctx, "signal", ctx) < 0 ||
	    get_globs(&m->paths, f, o, ctx, "paths", true, ctx) < 0 ||
	    get_globs(&m->functions, f, o, ctx, "functions", true, ctx) < 0 ||
	    get_globs(&m->receivers, f, o, ctx, "receivers", true, ctx) < 0 ||
	    get_globs(&m->review_fields, f, o, ctx, "review_fields", false, ctx) < 0 ||
	    get_globs(&m->ignore_fields, f, o, ctx, "ignore_fields", false, ctx) < 0 ||
	    get_globs(&m->neutral_values, f, o, ctx, "neutral_values", false, ctx) < 0 ||
	    load_bitmasks(m, f, o) < 0)
		return MT_ERROR;
	return MT_OK;
}

static int load_defaults(struct abi_property_rules *p, const struct json_file *f, json_t *o)
{
	json_t *map = json_object_get(o, "default_argument"), *v;
	const char *macro;

	if (!json_is_object(map))
		return json_file_error(f, "properties", map ? "default_argument" : NULL,
				       "properties: \"default_argument\" must be an object mapping "
				       "a macro to the argument number of its default");
	p->defaults = xcalloc(json_object_size(map) + 1, sizeof(*p->defaults));
	json_object_foreach(map, macro, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 16)
			return json_file_error(f, "properties/default_argument", macro,
					       "properties: default_argument \"%s\" must be "
					       "an argument number from 1 to 16", macro);
		p->defaults[p->ndefaults].macro = xstrdup(macro);
		p->defaults[p->ndefaults++].index = (int)json_integer_value(v);
	}
	return MT_OK;
}

static int load_properties(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "changed", "added", "removed", "paths", "macro_prefix",
					    "ignore_macros", "default_argument",
					    "neutral_defaults", "setters", "unmigratable_fields",
					    NULL };
	const char *ctx = "properties";
	struct abi_property_rules *p = &c->properties;
	json_t *o = get_object(f, f->root, ctx, keys);

	if (!o || get_signal(&p->changed, c, f, o, ctx, "changed", ctx) < 0 ||
	    get_signal(&p->added, c, f, o, ctx, "added", ctx) < 0 ||
	    get_signal(&p->removed, c, f, o, ctx, "removed", ctx) < 0 ||
	    get_globs(&p->paths, f, o, ctx, "paths", true, ctx) < 0 ||
	    get_string(&p->macro_prefix, f, o, ctx, "macro_prefix", true, ctx) < 0 ||
	    get_globs(&p->ignore_macros, f, o, ctx, "ignore_macros", false, ctx) < 0 ||
	    get_globs(&p->neutral_defaults, f, o, ctx, "neutral_defaults", true, ctx) < 0 ||
	    get_globs(&p->setters, f, o, ctx, "setters", false, ctx) < 0 ||
	    get_globs(&p->unmigratable_fields, f, o, ctx, "unmigratable_fields", false, ctx) < 0 ||
	    load_defaults(p, f, o) < 0)
		return MT_ERROR;
	return MT_OK;
}

/* "unoffered_flags": { "CPUID_7_0_EDX_PCONFIG": "why no accelerator offers it" } */
static int load_unoffered(struct abi_region_rules *r, const struct json_file *f, json_t *item,
			  const char *at, const char *ctx)
{
	json_t *map = json_object_get(item, "unoffered_flags"), *v;
	const char *flag;

	if (!map)
		return MT_OK;
	if (!json_is_object(map))
		return json_file_error(f, at, "unoffered_flags", "%s: \"unoffered_flags\" must map "
				       "a flag to the reason no accelerator offers it", ctx);
	r->unoffered = xcalloc(json_object_size(map) + 1, sizeof(*r->unoffered));
	json_object_foreach(map, flag, v) {
		if (!json_is_string(v) || !*json_string_value(v))
			return json_file_error(f, at, "unoffered_flags", "%s: unoffered flag %s needs "
					       "its reason, a non-empty string", ctx, flag);
		r->unoffered[r->nunoffered].flag = xstrdup(flag);
		r->unoffered[r->nunoffered++].reason = xstrdup(json_string_value(v));
	}
	return MT_OK;
}

static int load_regions(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "signal", "paths", "initializers", "functions",
					    "entry_name_field", "new_word", "unoffered_flags", "line_words",
					    NULL };
	json_t *list = json_object_get(f->root, "code_regions"), *item;
	size_t i;

	if (!json_is_array(list))
		return json_file_error(f, NULL, list ? "code_regions" : NULL,
				       "\"code_regions\" must be an array");
	c->regions = xcalloc(json_array_size(list) + 1, sizeof(*c->regions));
	json_array_foreach(list, i, item) {
		struct abi_region_rules *r = &c->regions[c->nregions++];
		char ctx[64], at[40];

		snprintf(ctx, sizeof(ctx), "code_regions item %zu", i + 1);
		snprintf(at, sizeof(at), "code_regions/%zu", i);
		if (!json_is_object(item))
			return json_file_error(f, at, NULL, "%s must be an object", ctx);
		if (json_file_check_keys(f, at, item, keys, ctx) < 0 ||
		    get_signal(&r->signal, c, f, item, at, "signal", ctx) < 0 ||
		    get_globs(&r->paths, f, item, at, "paths", true, ctx) < 0 ||
		    get_globs(&r->initializers, f, item, at, "initializers", true, ctx) < 0 ||
		    get_globs(&r->functions, f, item, at, "functions", true, ctx) < 0 ||
		    get_string(&r->entry_name_field, f, item, at, "entry_name_field", false, ctx) < 0 ||
		    get_string(&r->new_word, f, item, at, "new_word", false, ctx) < 0 ||
		    load_unoffered(r, f, item, at, ctx) < 0 ||
		    get_globs(&r->line_words, f, item, at, "line_words", false, ctx) < 0)
			return MT_ERROR;
		if (!r->initializers.count && !r->functions.count)
			return json_file_error(f, at, NULL, "%s: names no initializers and "
					       "no functions", ctx);
	}
	return MT_OK;
}

static int load_vmstate(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "version", "field", "subsection", "paths", "type",
					    "field_prefix", "ignore_fields", "versioned_macros",
					    "tested_macros", "check_only_fields", "check_only_words",
					    "unneeded_sent_from", "reset", "reset_functions", NULL };
	const char *ctx = "vmstate";
	struct abi_vmstate_rules *v = &c->vmstate;
	char *since = NULL;
	json_t *o = get_object(f, f->root, ctx, keys);

	if (!o || get_signal(&v->version, c, f, o, ctx, "version", ctx) < 0 ||
	    get_signal(&v->field, c, f, o, ctx, "field", ctx) < 0 ||
	    get_signal(&v->subsection, c, f, o, ctx, "subsection", ctx) < 0 ||
	    get_globs(&v->paths, f, o, ctx, "paths", true, ctx) < 0 ||
	    get_string(&v->type, f, o, ctx, "type", true, ctx) < 0 ||
	    get_string(&v->field_prefix, f, o, ctx, "field_prefix", true, ctx) < 0 ||
	    get_globs(&v->ignore_fields, f, o, ctx, "ignore_fields", false, ctx) < 0 ||
	    get_globs(&v->versioned_macros, f, o, ctx, "versioned_macros", true, ctx) < 0 ||
	    get_globs(&v->tested_macros, f, o, ctx, "tested_macros", true, ctx) < 0 ||
	    get_globs(&v->check_only_fields, f, o, ctx, "check_only_fields", false, ctx) < 0 ||
	    get_globs(&v->check_only_words, f, o, ctx, "check_only_words", false, ctx) < 0 ||
	    (json_object_get(o, "reset") && get_signal(&v->reset, c, f, o, ctx, "reset", ctx) < 0) ||
	    get_globs(&v->reset_functions, f, o, ctx, "reset_functions", v->reset != NULL, ctx) < 0 ||
	    /* last: nothing may fail once it holds a string */
	    get_string(&since, f, o, ctx, "unneeded_sent_from", false, ctx) < 0)
		return MT_ERROR;
	if (since) {
		int ret = qversion_parse(&v->unneeded_sent_from, since);

		free(since);
		if (ret < 0)
			return json_file_error(f, ctx, "unneeded_sent_from", "vmstate: "
					       "\"unneeded_sent_from\" must be a release X.Y");
		v->has_unneeded_sent_from = true;
	}
	return MT_OK;
}

static int load_acpi(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "signal", "paths", "exclude", NULL };
	const char *ctx = "acpi_tables";
	json_t *o = get_object(f, f->root, ctx, keys);

	if (!o || get_signal(&c->acpi.signal, c, f, o, ctx, "signal", ctx) < 0 ||
	    get_globs(&c->acpi.paths, f, o, ctx, "paths", true, ctx) < 0 ||
	    get_globs(&c->acpi.exclude, f, o, ctx, "exclude", false, ctx) < 0)
		return MT_ERROR;
	return MT_OK;
}

static int load_guest(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "signal", "paths", "calls", "fields", "field_values",
					    "defines", "ignore_defines", "subject", "refusals",
					    "property_files", NULL };
	const char *ctx = "guest_interfaces item";
	json_t *list = json_object_get(f->root, "guest_interfaces"), *item;
	size_t i;

	if (!list)
		return MT_OK;
	if (!json_is_array(list))
		return json_file_error(f, NULL, "guest_interfaces",
				       "\"guest_interfaces\" must be an array");
	c->guest = xcalloc(json_array_size(list) + 1, sizeof(*c->guest));
	json_array_foreach(list, i, item) {
		struct abi_guest_rules *g = &c->guest[c->nguest++];
		char *subject = NULL, at[40];

		snprintf(at, sizeof(at), "guest_interfaces/%zu", i);
		if (!json_is_object(item))
			return json_file_error(f, at, NULL, "%s %zu must be an object", ctx, i + 1);
		if (json_file_check_keys(f, at, item, keys, ctx) < 0 ||
		    get_signal(&g->signal, c, f, item, at, "signal", ctx) < 0 ||
		    get_globs(&g->paths, f, item, at, "paths", true, ctx) < 0 ||
		    get_globs(&g->calls, f, item, at, "calls", false, ctx) < 0 ||
		    get_globs(&g->fields, f, item, at, "fields", false, ctx) < 0 ||
		    get_globs(&g->field_values, f, item, at, "field_values", false, ctx) < 0 ||
		    get_globs(&g->defines, f, item, at, "defines", false, ctx) < 0 ||
		    get_globs(&g->ignore_defines, f, item, at, "ignore_defines", false, ctx) < 0 ||
		    get_globs(&g->refusals, f, item, at, "refusals", false, ctx) < 0 ||
		    get_globs(&g->property_files, f, item, at, "property_files", false, ctx) < 0 ||
		    get_string(&subject, f, item, at, "subject", false, ctx) < 0)
			return MT_ERROR;
		if (subject && strcmp(subject, "first") && strcmp(subject, "last")) {
			free(subject);
			return json_file_error(f, at, "subject", "%s: \"subject\" must be \"first\" or "
					       "\"last\"", ctx);
		}
		g->subject_first = subject && !strcmp(subject, "first");
		free(subject);
	}
	return MT_OK;
}

static int load_acpi_code(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "signal", "paths", "resource_words", "aml_words",
					    "aml_paths", "table_functions", "placement_calls", NULL };
	const char *ctx = "acpi_code";
	json_t *o;

	if (!json_object_get(f->root, ctx))
		return MT_OK; /* optional: without it, tables are judged alone */
	o = get_object(f, f->root, ctx, keys);
	if (!o || get_signal(&c->acpi_code.signal, c, f, o, ctx, "signal", ctx) < 0 ||
	    get_globs(&c->acpi_code.paths, f, o, ctx, "paths", true, ctx) < 0 ||
	    get_globs(&c->acpi_code.resource_words, f, o, ctx, "resource_words", true, ctx) < 0 ||
	    get_globs(&c->acpi_code.aml_words, f, o, ctx, "aml_words", false, ctx) < 0 ||
	    get_globs(&c->acpi_code.aml_paths, f, o, ctx, "aml_paths", false, ctx) < 0 ||
	    get_globs(&c->acpi_code.table_functions, f, o, ctx, "table_functions", false, ctx) < 0 ||
	    get_globs(&c->acpi_code.placement_calls, f, o, ctx, "placement_calls", false, ctx) < 0)
		return MT_ERROR;
	return MT_OK;
}

static int load_versions(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "signal", "paths", "functions", "ignore_calls", NULL };
	const char *ctx = "machine_versions";
	struct abi_versions_rules *v = &c->versions;
	json_t *o;

	if (!json_object_get(f->root, ctx))
		return MT_OK; /* optional: without it, per-version functions are not read */
	o = get_object(f, f->root, ctx, keys);
	if (!o || get_signal(&v->signal, c, f, o, ctx, "signal", ctx) < 0 ||
	    get_globs(&v->paths, f, o, ctx, "paths", true, ctx) < 0 ||
	    get_globs(&v->functions, f, o, ctx, "functions", true, ctx) < 0 ||
	    get_globs(&v->ignore_calls, f, o, ctx, "ignore_calls", false, ctx) < 0)
		return MT_ERROR;
	return MT_OK;
}

static int load(struct abi_config *c, const struct json_file *f)
{
	static const char *const keys[] = { "schema", "signals", "machine_options", "properties",
					    "code_regions", "vmstate", "acpi_tables", "acpi_code",
					    "guest_interfaces", "machine_versions", NULL };
	json_t *schema;

	if (!json_is_object(f->root))
		return json_file_error(f, NULL, NULL, "the top level must be an object");
	if (json_file_check_keys(f, NULL, f->root, keys, "the top level") < 0)
		return MT_ERROR;
	schema = json_object_get(f->root, "schema");
	if (!json_is_integer(schema) || json_integer_value(schema) != 1)
		return json_file_error(f, NULL, schema ? "schema" : NULL, "\"schema\" must be 1");
	if (load_signals(c, f) < 0 || load_machine(c, f) < 0 || load_properties(c, f) < 0 ||
	    load_regions(c, f) < 0 || load_vmstate(c, f) < 0 || load_acpi(c, f) < 0 ||
	    load_acpi_code(c, f) < 0 || load_guest(c, f) < 0 || load_versions(c, f) < 0)
		return MT_ERROR;
	c->unreadable = abi_config_signal(c, "unreadable-c");
	return MT_OK;
}

int abi_config_from_json(struct abi_config **out, const struct json_file *f)
{
	struct abi_config *c = xcalloc(1, sizeof(*c));
	int ret = load(c, f);

	*out = NULL;
	if (ret < 0) {
		abi_config_free(c);
		return ret;
	}
	*out = c;
	return MT_OK;
}

int abi_config_load(struct abi_config **out, const char *path)
{
	struct json_file f;
	int ret;

	*out = NULL;
	ret = json_file_load(&f, path);
	if (ret == MT_ENOTFOUND)
		return mt_error_set("%s: no such file", path);
	if (ret < 0)
		return ret;
	ret = abi_config_from_json(out, &f);
	json_file_release(&f);
	return ret;
}

int abi_config_load_dir(struct abi_config **out, const char *rules_dir)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	rules_dir_file(&path, rules_dir, "abi-signals.json");
	ret = abi_config_load(out, path.buf);
	strbuf_release(&path);
	return ret;
}

void abi_config_free(struct abi_config *c)
{
	size_t i, j;

	if (!c)
		return;
	for (i = 0; i < c->nsignals; i++) {
		free(c->signals[i].id);
		free(c->signals[i].summary);
		free(c->signals[i].needs);
	}
	free(c->signals);
	globs_release(&c->machine.paths);
	globs_release(&c->machine.functions);
	globs_release(&c->machine.receivers);
	globs_release(&c->machine.review_fields);
	globs_release(&c->machine.ignore_fields);
	globs_release(&c->machine.neutral_values);
	for (i = 0; i < c->machine.nbitmasks; i++) {
		free(c->machine.bitmasks[i].call);
		free(c->machine.bitmasks[i].member);
		free(c->machine.bitmasks[i].set);
	}
	free(c->machine.bitmasks);
	globs_release(&c->properties.paths);
	globs_release(&c->properties.neutral_defaults);
	globs_release(&c->properties.ignore_macros);
	globs_release(&c->properties.setters);
	globs_release(&c->properties.unmigratable_fields);
	free(c->properties.macro_prefix);
	for (i = 0; i < c->properties.ndefaults; i++)
		free(c->properties.defaults[i].macro);
	free(c->properties.defaults);
	for (i = 0; i < c->nregions; i++) {
		globs_release(&c->regions[i].paths);
		globs_release(&c->regions[i].initializers);
		globs_release(&c->regions[i].functions);
		globs_release(&c->regions[i].line_words);
		free(c->regions[i].entry_name_field);
		free(c->regions[i].new_word);
		for (j = 0; j < c->regions[i].nunoffered; j++) {
			free(c->regions[i].unoffered[j].flag);
			free(c->regions[i].unoffered[j].reason);
		}
		free(c->regions[i].unoffered);
	}
	free(c->regions);
	globs_release(&c->vmstate.paths);
	globs_release(&c->vmstate.ignore_fields);
	globs_release(&c->vmstate.versioned_macros);
	globs_release(&c->vmstate.tested_macros);
	globs_release(&c->vmstate.check_only_fields);
	globs_release(&c->vmstate.check_only_words);
	globs_release(&c->vmstate.reset_functions);
	free(c->vmstate.type);
	free(c->vmstate.field_prefix);
	globs_release(&c->acpi.paths);
	globs_release(&c->acpi.exclude);
	globs_release(&c->acpi_code.paths);
	globs_release(&c->acpi_code.resource_words);
	globs_release(&c->acpi_code.aml_words);
	globs_release(&c->acpi_code.aml_paths);
	globs_release(&c->acpi_code.table_functions);
	globs_release(&c->acpi_code.placement_calls);
	globs_release(&c->versions.paths);
	globs_release(&c->versions.functions);
	globs_release(&c->versions.ignore_calls);
	for (i = 0; i < c->nguest; i++) {
		globs_release(&c->guest[i].paths);
		globs_release(&c->guest[i].calls);
		globs_release(&c->guest[i].fields);
		globs_release(&c->guest[i].field_values);
		globs_release(&c->guest[i].defines);
		globs_release(&c->guest[i].ignore_defines);
		globs_release(&c->guest[i].refusals);
		globs_release(&c->guest[i].property_files);
	}
	free(c->guest);
	free(c);
}

const struct abi_signal *abi_config_signals(const struct abi_config *c, size_t *out_count)
{
	*out_count = c->nsignals;
	return c->signals;
}

bool abi_wants_source(const struct abi_config *c, const char *path)
{
	size_t i;

	if (abi_globs_match(&c->machine.paths, path) || abi_globs_match(&c->properties.paths, path) ||
	    abi_globs_match(&c->vmstate.paths, path) ||
	    (c->acpi_code.signal && abi_globs_match(&c->acpi_code.paths, path)) ||
	    (c->versions.signal && abi_globs_match(&c->versions.paths, path)))
		return true;
	for (i = 0; i < c->nregions; i++) {
		if (abi_globs_match(&c->regions[i].paths, path))
			return true;
	}
	for (i = 0; i < c->nguest; i++) {
		if (abi_globs_match(&c->guest[i].paths, path))
			return true;
	}
	return false;
}
