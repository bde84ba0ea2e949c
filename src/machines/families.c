#include "machines/families.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/jsonfile.h"
#include "util/rulesdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const role_names[] = {
	[ROLE_ANY] = "any", [ROLE_MAJOR] = "major", [ROLE_MINOR] = "minor",
	[ROLE_MICRO] = "micro", [ROLE_TAG] = "tag", [ROLE_SUFFIX] = "suffix",
	[ROLE_NAME] = "name", [ROLE_VERSION] = "version", [ROLE_LATEST] = "latest",
	[ROLE_OPTIONS] = "options",
};

static const char *const latest_names[] = {
	[LATEST_NO] = "no", [LATEST_YES] = "yes", [LATEST_ARGUMENT] = "argument",
	[LATEST_ALIAS] = "alias",
};

/* Helpers read obj[key] of the object at path `at` (jsonfile.h), for messages. */
static int get_string(char **out, const struct json_file *jf, json_t *obj, const char *at,
		      const char *key, const char *context, bool required)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v) {
		if (!required)
			return 0;
		return json_file_error(jf, at, NULL, "%s: missing \"%s\"", context, key);
	}
	if (!json_is_string(v) || !json_string_length(v))
		return json_file_error(jf, at, key, "%s: \"%s\" must be a non-empty string", context,
				       key);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int get_strings(char ***out, size_t *out_n, const struct json_file *jf, json_t *obj,
		       const char *at, const char *key, const char *context, bool required)
{
	json_t *v = json_object_get(obj, key), *item;
	size_t i;

	*out = NULL;
	*out_n = 0;
	if (!v) {
		if (!required)
			return 0;
		return json_file_error(jf, at, NULL, "%s: missing \"%s\"", context, key);
	}
	if (!json_is_array(v) || (required && !json_array_size(v)))
		return json_file_error(jf, at, key, "%s: \"%s\" must be a non-empty array of strings",
				       context, key);
	*out = xcalloc(json_array_size(v) + 1, sizeof(char *));
	json_array_foreach(v, i, item) {
		if (!json_is_string(item) || !json_string_length(item))
			return json_file_error(jf, at, key, "%s: \"%s\" must hold non-empty strings",
					       context, key);
		(*out)[(*out_n)++] = xstrdup(json_string_value(item));
	}
	return 0;
}

static int get_int(int *out, const struct json_file *jf, json_t *obj, const char *at,
		   const char *key, const char *context)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
		return json_file_error(jf, at, key, "%s: \"%s\" must be an integer from 0 to 100",
				       context, key);
	*out = (int)json_integer_value(v);
	return 0;
}

/* `v` is the value at path at/key; `what` names it in the message. */
static int get_enum(int *out, const struct json_file *jf, json_t *v, const char *at,
		    const char *key, const char *what, const char *const *names, size_t nnames,
		    const char *context)
{
	struct strbuf expected = STRBUF_INIT;
	size_t i;
	int ret;

	if (json_is_string(v)) {
		for (i = 0; i < nnames; i++) {
			if (!strcmp(names[i], json_string_value(v))) {
				*out = (int)i;
				return 0;
			}
		}
	}
	for (i = 0; i < nnames; i++)
		strbuf_addf(&expected, "%s%s", i ? ", " : "", names[i]);
	ret = json_file_error(jf, at, key, "%s: \"%s\" must be one of: %s", context, what,
			      expected.buf);
	strbuf_release(&expected);
	return ret;
}

static int load_call(struct family_call *out, const struct json_file *jf, json_t *obj,
		     const char *at, const char *context)
{
	static const char *const keys[] = { "macro", "args", "latest", "options_function",
		"companion_function", "era", "note", NULL };
	struct strbuf arg_at = STRBUF_INIT;
	json_t *args, *item;
	size_t i;
	int ret, latest = LATEST_NO;

	if (!json_is_object(obj))
		return json_file_error(jf, at, NULL, "%s: each call must be an object", context);
	if ((ret = json_file_check_keys(jf, at, obj, keys, context)) < 0)
		return ret;
	if ((ret = get_string(&out->macro, jf, obj, at, "macro", context, true)) < 0 ||
	    (ret = get_string(&out->options_function, jf, obj, at, "options_function", context,
			      false)) < 0 ||
	    (ret = get_string(&out->companion_function, jf, obj, at, "companion_function",
			      context, false)) < 0)
		return ret;
	args = json_object_get(obj, "args");
	if (!json_is_array(args))
		return json_file_error(jf, at, json_object_get(obj, "args") ? "args" : NULL,
				       "%s: \"args\" must be an array of roles", context);
	out->args = xcalloc(json_array_size(args) + 1, sizeof(*out->args));
	json_array_foreach(args, i, item) {
		int role = 0; /* set by get_enum; gcc -O3 cannot see it */
		char index[24];

		strbuf_reset(&arg_at);
		strbuf_addf(&arg_at, "%s/args", at);
		snprintf(index, sizeof(index), "%zu", i);
		ret = get_enum(&role, jf, item, arg_at.buf, index, "args", role_names,
			       ARRAY_SIZE(role_names), context);
		if (ret < 0)
			break;
		out->args[out->nargs++] = (enum family_role)role;
	}
	strbuf_release(&arg_at);
	if (ret < 0)
		return ret;
	if (json_object_get(obj, "latest") &&
	    (ret = get_enum(&latest, jf, json_object_get(obj, "latest"), at, "latest",
			    "latest", latest_names, ARRAY_SIZE(latest_names), context)) < 0)
		return ret;
	out->latest = (enum family_latest)latest;
	return 0;
}

static int load_struct(struct family_struct *out, const struct json_file *jf, json_t *obj,
		       const char *at, const char *context)
{
	static const char *const keys[] = { "type", "name_field", "latest", "era", "note", NULL };
	int ret, latest = LATEST_NO;

	if (!json_is_object(obj))
		return json_file_error(jf, at, NULL, "%s: each struct must be an object", context);
	if ((ret = json_file_check_keys(jf, at, obj, keys, context)) < 0 ||
	    (ret = get_string(&out->type, jf, obj, at, "type", context, true)) < 0 ||
	    (ret = get_string(&out->name_field, jf, obj, at, "name_field", context, true)) < 0)
		return ret;
	if (json_object_get(obj, "latest") &&
	    (ret = get_enum(&latest, jf, json_object_get(obj, "latest"), at, "latest",
			    "latest", latest_names, ARRAY_SIZE(latest_names), context)) < 0)
		return ret;
	out->latest = (enum family_latest)latest;
	return 0;
}

/* Whether obj[key] is an array (or absent); sets the error otherwise. */
static int check_list(const struct json_file *jf, json_t *obj, const char *at, const char *key,
		      const char *context)
{
	json_t *v = json_object_get(obj, key);

	if (v && !json_is_array(v))
		return json_file_error(jf, at, key, "%s: \"%s\" must be an array", context, key);
	return 0;
}

static int load_family(struct family *out, const struct json_file *jf, json_t *obj, const char *at)
{
	static const char *const keys[] = { "id", "paths", "scope", "shared_scope", "prefixes",
		"alias", "name_wrappers", "name_macros", "calls", "structs", "note", NULL };
	struct strbuf item_at = STRBUF_INIT;
	char context[128];
	json_t *v, *item;
	const char *key;
	size_t i;
	int ret;

	if (!json_is_object(obj))
		return json_file_error(jf, at, NULL, "each family must be an object");
	if ((ret = get_string(&out->id, jf, obj, at, "id", "family", true)) < 0)
		return ret;
	snprintf(context, sizeof(context), "family %s", out->id);
	if ((ret = json_file_check_keys(jf, at, obj, keys, context)) < 0 ||
	    (ret = get_strings(&out->paths, &out->npaths, jf, obj, at, "paths", context, true)) < 0 ||
	    (ret = get_strings(&out->scope, &out->nscope, jf, obj, at, "scope", context, false)) < 0 ||
	    (ret = get_strings(&out->shared_scope, &out->nshared_scope, jf, obj, at, "shared_scope",
			       context, false)) < 0 ||
	    (ret = get_strings(&out->prefixes, &out->nprefixes, jf, obj, at, "prefixes", context,
			       true)) < 0 ||
	    (ret = get_string(&out->alias, jf, obj, at, "alias", context, true)) < 0 ||
	    (ret = get_strings(&out->name_wrappers, &out->nname_wrappers, jf, obj, at,
			       "name_wrappers", context, false)) < 0)
		return ret;
	v = json_object_get(obj, "name_macros");
	if (v) {
		if (!json_is_object(v))
			return json_file_error(jf, at, "name_macros", "%s: \"name_macros\" must map "
					       "macro names to strings", context);
		out->name_macros = xcalloc(json_object_size(v) + 1, sizeof(*out->name_macros));
		json_object_foreach(v, key, item) {
			if (!json_is_string(item)) {
				strbuf_addf(&item_at, "%s/name_macros", at);
				ret = json_file_error(jf, item_at.buf, key, "%s: name macro %s must be "
						      "a string", context, key);
				strbuf_release(&item_at);
				return ret;
			}
			out->name_macros[out->nname_macros].macro = xstrdup(key);
			out->name_macros[out->nname_macros++].text = xstrdup(json_string_value(item));
		}
	}
	if ((ret = check_list(jf, obj, at, "calls", context)) < 0 ||
	    (ret = check_list(jf, obj, at, "structs", context)) < 0)
		return ret;
	v = json_object_get(obj, "calls");
	out->calls = xcalloc(json_array_size(v) + 1, sizeof(*out->calls));
	json_array_foreach(v, i, item) {
		strbuf_reset(&item_at);
		strbuf_addf(&item_at, "%s/calls/%zu", at, i);
		out->ncalls++;
		if ((ret = load_call(&out->calls[i], jf, item, item_at.buf, context)) < 0)
			goto out;
	}
	v = json_object_get(obj, "structs");
	out->structs = xcalloc(json_array_size(v) + 1, sizeof(*out->structs));
	json_array_foreach(v, i, item) {
		strbuf_reset(&item_at);
		strbuf_addf(&item_at, "%s/structs/%zu", at, i);
		out->nstructs++;
		if ((ret = load_struct(&out->structs[i], jf, item, item_at.buf, context)) < 0)
			goto out;
	}
	if (!out->ncalls && !out->nstructs)
		ret = json_file_error(jf, at, "id", "%s: needs \"calls\" or \"structs\"", context);
out:
	strbuf_release(&item_at);
	return ret;
}

static int load_root(struct families *out, const struct json_file *jf)
{
	static const char *const keys[] = { "schema", "lifecycle", "compat", "families",
					    "unversioned_scope", "note", NULL };
	static const char *const life_keys[] = { "headers", "deprecation_constant",
		"deletion_constant", "deprecation_major", "deletion_major", NULL };
	static const char *const compat_keys[] = { "paths", "array_types", "macro_markers",
						   "struct_fields", NULL };
	json_t *root = jf->root, *life, *compat, *fams, *item;
	char at[32];
	size_t i, j;
	int ret;

	if (!json_is_object(root))
		return json_file_error(jf, NULL, NULL, "the top level must be an object");
	if ((ret = json_file_check_keys(jf, NULL, root, keys, "families file")) < 0)
		return ret;
	if (json_integer_value(json_object_get(root, "schema")) != 1)
		return json_file_error(jf, NULL, "schema", "\"schema\" must be 1");
	life = json_object_get(root, "lifecycle");
	compat = json_object_get(root, "compat");
	fams = json_object_get(root, "families");
	if (!json_is_object(life) || !json_is_object(compat) || !json_is_array(fams))
		return json_file_error(jf, NULL, NULL, "needs objects \"lifecycle\" and \"compat\" "
				       "and an array \"families\"");
	if ((ret = json_file_check_keys(jf, "lifecycle", life, life_keys, "lifecycle")) < 0 ||
	    (ret = get_strings(&out->lifecycle_headers, &out->nlifecycle_headers, jf, life,
			       "lifecycle", "headers", "lifecycle", true)) < 0 ||
	    (ret = get_string(&out->deprecation_constant, jf, life, "lifecycle",
			      "deprecation_constant", "lifecycle", true)) < 0 ||
	    (ret = get_string(&out->deletion_constant, jf, life, "lifecycle", "deletion_constant",
			      "lifecycle", true)) < 0 ||
	    (ret = get_int(&out->deprecation_major, jf, life, "lifecycle", "deprecation_major",
			   "lifecycle")) < 0 ||
	    (ret = get_int(&out->deletion_major, jf, life, "lifecycle", "deletion_major",
			   "lifecycle")) < 0)
		return ret;
	if ((ret = json_file_check_keys(jf, "compat", compat, compat_keys, "compat")) < 0 ||
	    (ret = get_strings(&out->compat_paths, &out->ncompat_paths, jf, compat, "compat",
			       "paths", "compat", true)) < 0 ||
	    (ret = get_strings(&out->compat_array_types, &out->ncompat_array_types, jf, compat,
			       "compat", "array_types", "compat", true)) < 0 ||
	    (ret = get_strings(&out->compat_macro_markers, &out->ncompat_macro_markers, jf, compat,
			       "compat", "macro_markers", "compat", false)) < 0 ||
	    (ret = get_strings(&out->compat_struct_fields, &out->ncompat_struct_fields, jf, compat,
			       "compat", "struct_fields", "compat", false)) < 0)
		return ret;
	if ((ret = get_strings(&out->unversioned_scope, &out->nunversioned_scope, jf, root, NULL,
			       "unversioned_scope", "families file", false)) < 0)
		return ret;
	for (i = 0; i < out->ncompat_struct_fields; i++) {
		const char *dot = strchr(out->compat_struct_fields[i], '.');

		if (!dot || dot == out->compat_struct_fields[i] || !dot[1] || strchr(dot + 1, '.'))
			return json_file_error(jf, "compat", "struct_fields", "compat: \"%s\" is not "
					       "TYPE.FIELD", out->compat_struct_fields[i]);
	}
	out->v = xcalloc(json_array_size(fams) + 1, sizeof(*out->v));
	json_array_foreach(fams, i, item) {
		snprintf(at, sizeof(at), "families/%zu", i);
		out->n++;
		if ((ret = load_family(&out->v[i], jf, item, at)) < 0)
			return ret;
		for (j = 0; j < i; j++) {
			if (!strcmp(out->v[j].id, out->v[i].id))
				return json_file_error(jf, at, "id", "family %s is listed twice",
						       out->v[i].id);
		}
	}
	return 0;
}

int families_from_json(struct families *out, const struct json_file *jf)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = load_root(out, jf);
	if (ret < 0)
		families_release(out);
	return ret;
}

int families_load(struct families *out, const char *rules_dir)
{
	struct strbuf path = STRBUF_INIT;
	struct json_file jf;
	int ret;

	memset(out, 0, sizeof(*out));
	rules_dir_file(&path, rules_dir, "families.json");
	ret = json_file_load(&jf, path.buf);
	if (ret == MT_ENOTFOUND)
		ret = mt_error_set("%s: no such file", path.buf);
	strbuf_release(&path);
	if (ret < 0)
		return ret;
	ret = families_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void families_release(struct families *f)
{
	size_t i, j;

	for (i = 0; i < f->n; i++) {
		struct family *fam = &f->v[i];

		free(fam->id);
		free(fam->alias);
		free_strings(fam->paths, fam->npaths);
		free_strings(fam->scope, fam->nscope);
		free_strings(fam->shared_scope, fam->nshared_scope);
		free_strings(fam->prefixes, fam->nprefixes);
		free_strings(fam->name_wrappers, fam->nname_wrappers);
		for (j = 0; j < fam->nname_macros; j++) {
			free(fam->name_macros[j].macro);
			free(fam->name_macros[j].text);
		}
		free(fam->name_macros);
		for (j = 0; j < fam->ncalls; j++) {
			free(fam->calls[j].macro);
			free(fam->calls[j].options_function);
			free(fam->calls[j].companion_function);
			free(fam->calls[j].args);
		}
		free(fam->calls);
		for (j = 0; j < fam->nstructs; j++) {
			free(fam->structs[j].type);
			free(fam->structs[j].name_field);
		}
		free(fam->structs);
	}
	free(f->v);
	free_strings(f->lifecycle_headers, f->nlifecycle_headers);
	free(f->deprecation_constant);
	free(f->deletion_constant);
	free_strings(f->compat_paths, f->ncompat_paths);
	free_strings(f->compat_array_types, f->ncompat_array_types);
	free_strings(f->compat_struct_fields, f->ncompat_struct_fields);
	free_strings(f->unversioned_scope, f->nunversioned_scope);
	free_strings(f->compat_macro_markers, f->ncompat_macro_markers);
	memset(f, 0, sizeof(*f));
}

const struct family *families_find(const struct families *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (!strcmp(f->v[i].id, id))
			return &f->v[i];
	}
	return NULL;
}

/* A file `file` is `path`, or lies under the directory `path` ("hw/", len bytes). */
static bool holds(const char *file, const char *path, size_t len, bool dir)
{
	return dir ? !strncmp(file, path, len) : !strcmp(file, path);
}

bool families_holds_path(const struct families *f, const char *path, bool compat)
{
	size_t i, j, len = strlen(path);
	bool dir = len && path[len - 1] == '/';

	for (i = 0; compat && i < f->ncompat_paths; i++) {
		if (holds(f->compat_paths[i], path, len, dir))
			return true;
	}
	for (i = 0; i < f->n; i++) {
		for (j = 0; j < f->v[i].npaths; j++) {
			if (holds(f->v[i].paths[j], path, len, dir))
				return true;
		}
	}
	return false;
}
