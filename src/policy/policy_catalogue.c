/* Loading and validating the rule catalogue, rules/rules.json. */
#include "policy/policy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mtlimits.h"
#include "util/jsonfile.h"
#include "util/rulesdir.h"
#include "util/xalloc.h"

#define CATALOGUE_SCHEMA 1
#define CATALOGUE_FILE "rules.json"

/* Ids are stable, upper-case letters then three digits: "ABI001", "LIFE002". */
static bool valid_id(const char *id)
{
	size_t letters = 0, digits = 0;

	while (isupper((unsigned char)id[letters]))
		letters++;
	while (isdigit((unsigned char)id[letters + digits]))
		digits++;
	return letters >= 2 && letters <= 8 && digits == 3 && !id[letters + digits];
}

static bool valid_param_name(const char *name)
{
	const char *p;

	if (!islower((unsigned char)*name))
		return false;
	for (p = name; *p; p++) {
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return false;
	}
	return true;
}

static int get_text(char **out, const struct json_file *file, const char *path, json_t *obj,
		    const char *key, const char *id)
{
	json_t *v = json_object_get(obj, key);
	struct strbuf at = STRBUF_INIT;
	int ret = MT_OK;

	strbuf_addf(&at, "%s/%s", path, key);
	if (!v)
		ret = json_file_error(file, path, NULL, "rule %s: missing \"%s\"", id, key);
	else if (!json_is_string(v) || !*json_string_value(v))
		ret = json_file_error(file, at.buf, NULL, "rule %s: \"%s\" must be a non-empty string",
				      id, key);
	else
		*out = xstrdup(json_string_value(v));
	strbuf_release(&at);
	return ret;
}

static int cmp_param(const void *a, const void *b)
{
	return strcmp(((const struct rule_param *)a)->name, ((const struct rule_param *)b)->name);
}

static int load_params(struct rule_def *rule, const struct json_file *file, const char *path,
		       json_t *params)
{
	static const char *const allowed[] = { "default", "min", "max", "description", NULL };
	const char *name;
	json_t *spec;
	struct strbuf at = STRBUF_INIT;
	int ret = MT_OK;

	if (!json_is_object(params))
		return json_file_error(file, path, NULL, "rule %s: \"parameters\" must be an object",
				       rule->id);
	rule->params = xcalloc(json_object_size(params) + 1, sizeof(*rule->params));
	json_object_foreach(params, name, spec) {
		struct rule_param *p = &rule->params[rule->nparams];
		json_t *def, *min, *max, *desc;

		strbuf_reset(&at);
		strbuf_addf(&at, "%s/%s", path, name);
		if (!valid_param_name(name)) {
			ret = json_file_error(file, at.buf, NULL, "rule %s: parameter name \"%s\" must be "
					      "lower_case_with_underscores", rule->id, name);
			goto out;
		}
		if (!json_is_object(spec)) {
			ret = json_file_error(file, at.buf, NULL, "rule %s: parameter %s must be an object",
					      rule->id, name);
			goto out;
		}
		if (json_file_check_keys(file, at.buf, spec, allowed, "a rule parameter") < 0) {
			ret = MT_ERROR;
			goto out;
		}
		def = json_object_get(spec, "default");
		min = json_object_get(spec, "min");
		max = json_object_get(spec, "max");
		desc = json_object_get(spec, "description");
		if (!json_is_integer(def) || (min && !json_is_integer(min)) ||
		    (max && !json_is_integer(max)) || !json_is_string(desc)) {
			ret = json_file_error(file, at.buf, NULL, "rule %s: parameter %s needs an integer "
					      "\"default\", integer \"min\" and \"max\" if any, and "
					      "a string \"description\"", rule->id, name);
			goto out;
		}
		p->name = xstrdup(name);
		p->description = xstrdup(json_string_value(desc));
		p->default_value = p->value = json_integer_value(def);
		p->min = min ? json_integer_value(min) : 0;
		p->max = max ? json_integer_value(max) : MT_LIMIT_PARAM_VALUE;
		p->origin = POLICY_BUILTIN;
		rule->nparams++;
		/* The bounds themselves are bounded, so no rule's arithmetic can overflow. */
		if (p->min < -MT_LIMIT_PARAM_VALUE || p->max > MT_LIMIT_PARAM_VALUE ||
		    p->min > p->max) {
			ret = json_file_error(file, at.buf, NULL, "rule %s: parameter %s: min %lld and "
					      "max %lld must be in -%lld..%lld, min first", rule->id,
					      name, p->min, p->max, (long long)MT_LIMIT_PARAM_VALUE,
					      (long long)MT_LIMIT_PARAM_VALUE);
			goto out;
		}
		if (p->default_value < p->min || p->default_value > p->max) {
			bool low = p->default_value < p->min;

			ret = json_file_error(file, at.buf, NULL, "rule %s: parameter %s: default %lld is "
					      "%s %lld", rule->id, name, p->default_value,
					      low ? "below min" : "above max", low ? p->min : p->max);
			goto out;
		}
	}
	qsort(rule->params, rule->nparams, sizeof(*rule->params), cmp_param);
out:
	strbuf_release(&at);
	return ret;
}

static int load_rule(struct rule_def *rule, const struct json_file *file, size_t index,
		     json_t *obj)
{
	static const char *const allowed[] = { "id", "title", "severity", "message", "explanation",
					       "rationale", "next_step", "parameters", NULL };
	struct strbuf path = STRBUF_INIT, at = STRBUF_INIT;
	json_t *id, *sev, *params;
	int ret = MT_ERROR;

	strbuf_addf(&path, "rules/%zu", index);
	if (!json_is_object(obj)) {
		json_file_error(file, path.buf, NULL, "rule #%zu must be an object", index + 1);
		goto out;
	}
	if (json_file_check_keys(file, path.buf, obj, allowed, "a rule") < 0)
		goto out;
	id = json_object_get(obj, "id");
	strbuf_addf(&at, "%s/id", path.buf);
	if (!json_is_string(id) || !valid_id(json_string_value(id))) {
		json_file_error(file, id ? at.buf : path.buf, NULL, "rule #%zu: \"id\" must be upper-case "
				"letters and three digits, like \"ABI001\"", index + 1);
		goto out;
	}
	rule->id = xstrdup(json_string_value(id));
	if (get_text(&rule->title, file, path.buf, obj, "title", rule->id) < 0 ||
	    get_text(&rule->message, file, path.buf, obj, "message", rule->id) < 0 ||
	    get_text(&rule->explanation, file, path.buf, obj, "explanation", rule->id) < 0 ||
	    get_text(&rule->rationale, file, path.buf, obj, "rationale", rule->id) < 0)
		goto out;
	/* Optional: what to do about a finding, for reports read in a merge request. */
	if (json_object_get(obj, "next_step") &&
	    get_text(&rule->next_step, file, path.buf, obj, "next_step", rule->id) < 0)
		goto out;
	sev = json_object_get(obj, "severity");
	strbuf_reset(&at);
	strbuf_addf(&at, "%s/severity", path.buf);
	if (!json_is_string(sev) || severity_parse(&rule->default_severity,
						   json_string_value(sev)) < 0) {
		json_file_error(file, sev ? at.buf : path.buf, NULL, "rule %s: \"severity\" must be "
				"\"error\", \"warning\" or \"info\"", rule->id);
		goto out;
	}
	rule->severity = rule->default_severity;
	rule->severity_origin = POLICY_BUILTIN;
	rule->enabled = true;
	rule->enabled_origin = POLICY_BUILTIN;
	params = json_object_get(obj, "parameters");
	strbuf_reset(&at);
	strbuf_addf(&at, "%s/parameters", path.buf);
	if (params && load_params(rule, file, at.buf, params) < 0)
		goto out;
	ret = MT_OK;
out:
	strbuf_release(&path);
	strbuf_release(&at);
	return ret;
}

static int load_catalogue(struct policy *policy, const struct json_file *file)
{
	static const char *const allowed[] = { "schema", "rules", NULL };
	json_t *rules, *schema;
	size_t i;

	if (!json_is_object(file->root))
		return json_file_error(file, "", NULL, "the catalogue must be a JSON object");
	if (json_file_check_keys(file, "", file->root, allowed, "the catalogue") < 0)
		return MT_ERROR;
	schema = json_object_get(file->root, "schema");
	if (!json_is_integer(schema) || json_integer_value(schema) != CATALOGUE_SCHEMA)
		return json_file_error(file, "schema", NULL, "\"schema\" must be %d", CATALOGUE_SCHEMA);
	rules = json_object_get(file->root, "rules");
	if (!json_is_array(rules) || !json_array_size(rules))
		return json_file_error(file, "rules", NULL, "\"rules\" must be a non-empty array");
	policy->rules = xcalloc(json_array_size(rules), sizeof(*policy->rules));
	for (i = 0; i < json_array_size(rules); i++) {
		struct rule_def *rule = &policy->rules[i];
		char at[32];
		int ret;

		/* Counted before loading, so a half-loaded rule is released too. */
		policy->nrules++;
		ret = load_rule(rule, file, i, json_array_get(rules, i));
		if (ret < 0)
			return ret;
		snprintf(at, sizeof(at), "rules/%zu/id", i);
		if (i > 0 && strcmp(policy->rules[i - 1].id, rule->id) >= 0)
			return json_file_error(file, at, NULL, "rule %s: %s", rule->id,
					       strcmp(policy->rules[i - 1].id, rule->id)
						       ? "rules must be sorted by id"
						       : "duplicate id");
	}
	return MT_OK;
}

int policy_catalogue_from_json(struct policy *policy, const struct json_file *file)
{
	int ret = load_catalogue(policy, file);

	if (ret == 0)
		policy->catalogue_path = xstrdup(file->path);
	return ret;
}

int policy_load_catalogue(struct policy *policy, const char *path)
{
	struct json_file file;
	int ret;

	ret = json_file_load(&file, path);
	if (ret == MT_ENOTFOUND)
		return mt_error_set("%s: no such file", path);
	if (ret < 0)
		return ret;
	ret = policy_catalogue_from_json(policy, &file);
	json_file_release(&file);
	return ret;
}

int policy_load(struct policy *policy, const char *rules_dir)
{
	struct strbuf path = STRBUF_INIT;
	int ret;

	rules_dir_file(&path, rules_dir, CATALOGUE_FILE);
	ret = policy_load_catalogue(policy, path.buf);
	strbuf_release(&path);
	return ret;
}
