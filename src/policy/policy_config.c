/*
 * The layers over the catalogue: the repository's .mtcheck.json and the
 * command line. Each setting records the layer that set it last.
 */
#include "policy/policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/jsonfile.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#define CONFIG_SCHEMA 1

static struct rule_def *find_rule(struct policy *policy, const char *id)
{
	return (struct rule_def *)policy_rule(policy, id);
}

static struct rule_param *find_param(struct rule_def *rule, const char *name)
{
	size_t i;

	for (i = 0; i < rule->nparams; i++) {
		if (!strcmp(rule->params[i].name, name))
			return &rule->params[i];
	}
	return NULL;
}

static void param_names(struct strbuf *out, const struct rule_def *rule)
{
	size_t i;

	if (!rule->nparams)
		strbuf_addstr(out, "it has none");
	for (i = 0; i < rule->nparams; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "it has ", rule->params[i].name);
}

/* Sets a parameter, checking its range; *why is filled on failure. */
static int set_param(struct rule_param *p, long long value, enum policy_origin origin,
		     struct strbuf *why)
{
	if (value < p->min) {
		strbuf_addf(why, "%s must be at least %lld, not %lld", p->name, p->min, value);
		return MT_ERROR;
	}
	if (value > p->max) {
		strbuf_addf(why, "%s must be at most %lld, not %lld", p->name, p->max, value);
		return MT_ERROR;
	}
	p->value = value;
	p->origin = origin;
	return MT_OK;
}

static int apply_rule_params(struct rule_def *rule, const struct json_file *file,
			     const char *path, json_t *params)
{
	const char *name;
	json_t *v;
	struct strbuf at = STRBUF_INIT, why = STRBUF_INIT;
	int ret = MT_OK;

	if (!json_is_object(params))
		return json_file_error(file, path, NULL, "rule %s: \"parameters\" must be an object",
				       rule->id);
	json_object_foreach(params, name, v) {
		struct rule_param *p = find_param(rule, name);

		strbuf_reset(&at);
		strbuf_addf(&at, "%s/%s", path, name);
		if (!p) {
			param_names(&why, rule);
			ret = json_file_error(file, at.buf, NULL, "rule %s has no parameter \"%s\" (%s)",
					      rule->id, name, why.buf);
			break;
		}
		if (!json_is_integer(v)) {
			ret = json_file_error(file, at.buf, NULL, "rule %s: parameter %s must be an integer",
					      rule->id, name);
			break;
		}
		if (set_param(p, json_integer_value(v), POLICY_REPOSITORY, &why) < 0) {
			ret = json_file_error(file, at.buf, NULL, "rule %s: %s", rule->id, why.buf);
			break;
		}
	}
	strbuf_release(&at);
	strbuf_release(&why);
	return ret;
}

static int apply_rule(struct policy *policy, const struct json_file *file, const char *id,
		      json_t *obj)
{
	static const char *const allowed[] = { "enabled", "severity", "parameters", NULL };
	struct strbuf path = STRBUF_INIT, at = STRBUF_INIT, near = STRBUF_INIT;
	struct rule_def *rule = find_rule(policy, id);
	json_t *v;
	int ret = MT_ERROR;

	strbuf_addf(&path, "rules/%s", id);
	if (!rule) {
		policy_suggest(&near, policy, id);
		json_file_error(file, path.buf, NULL, "unknown rule \"%s\"%s%s%s", id,
				near.len ? " (did you mean " : "", near.buf, near.len ? "?)" : "");
		goto out;
	}
	if (!json_is_object(obj)) {
		json_file_error(file, path.buf, NULL, "rule %s: settings must be an object", id);
		goto out;
	}
	if (json_file_check_keys(file, path.buf, obj, allowed, "rule settings") < 0)
		goto out;
	if ((v = json_object_get(obj, "enabled"))) {
		strbuf_addf(&at, "%s/enabled", path.buf);
		if (!json_is_boolean(v)) {
			json_file_error(file, at.buf, NULL, "rule %s: \"enabled\" must be true or false", id);
			goto out;
		}
		rule->enabled = json_is_true(v);
		rule->enabled_origin = POLICY_REPOSITORY;
	}
	if ((v = json_object_get(obj, "severity"))) {
		enum mt_severity sev;

		strbuf_reset(&at);
		strbuf_addf(&at, "%s/severity", path.buf);
		if (!json_is_string(v) || severity_parse(&sev, json_string_value(v)) < 0) {
			json_file_error(file, at.buf, NULL, "rule %s: \"severity\" must be \"error\", "
					"\"warning\" or \"info\"", id);
			goto out;
		}
		rule->severity = sev;
		rule->severity_origin = POLICY_REPOSITORY;
	}
	if ((v = json_object_get(obj, "parameters"))) {
		strbuf_reset(&at);
		strbuf_addf(&at, "%s/parameters", path.buf);
		if (apply_rule_params(rule, file, at.buf, v) < 0)
			goto out;
	}
	ret = MT_OK;
out:
	strbuf_release(&path);
	strbuf_release(&at);
	strbuf_release(&near);
	return ret;
}

static int apply_streams(struct policy *policy, const struct json_file *file, json_t *streams)
{
	size_t i;
	char **names;

	if (!json_is_array(streams))
		return json_file_error(file, "maintained_streams", NULL,
				       "\"maintained_streams\" must be an array of stream names");
	names = xcalloc(json_array_size(streams) + 1, sizeof(*names));
	for (i = 0; i < json_array_size(streams); i++) {
		json_t *s = json_array_get(streams, i);
		char at[64];

		snprintf(at, sizeof(at), "maintained_streams/%zu", i);
		if (!json_is_string(s) || strncmp(json_string_value(s), "stable-", 7)) {
			size_t j;

			for (j = 0; j < i; j++)
				free(names[j]);
			free(names);
			return json_file_error(file, at, NULL, "maintained stream #%zu must be a name like "
					       "\"stable-10.0\"", i + 1);
		}
		names[i] = xstrdup(json_string_value(s));
	}
	qsort(names, i, sizeof(*names), str_ptr_cmp);
	for (i = 0; i < policy->nmaintained; i++)
		free(policy->maintained[i]);
	free(policy->maintained);
	policy->maintained = names;
	policy->nmaintained = json_array_size(streams);
	return MT_OK;
}

static int apply_config(struct policy *policy, const struct json_file *file)
{
	static const char *const allowed[] = { "schema", "rules", "maintained_streams", NULL };
	json_t *v, *rules;
	const char *id;

	if (!json_is_object(file->root))
		return json_file_error(file, "", NULL, "the configuration must be a JSON object");
	if (json_file_check_keys(file, "", file->root, allowed, "the configuration") < 0)
		return MT_ERROR;
	v = json_object_get(file->root, "schema");
	if (v && (!json_is_integer(v) || json_integer_value(v) != CONFIG_SCHEMA))
		return json_file_error(file, "schema", NULL, "\"schema\" must be %d", CONFIG_SCHEMA);
	rules = json_object_get(file->root, "rules");
	if (rules && !json_is_object(rules))
		return json_file_error(file, "rules", NULL, "\"rules\" must be an object keyed by rule id");
	json_object_foreach(rules, id, v) {
		if (apply_rule(policy, file, id, v) < 0)
			return MT_ERROR;
	}
	v = json_object_get(file->root, "maintained_streams");
	if (v && apply_streams(policy, file, v) < 0)
		return MT_ERROR;
	return MT_OK;
}

int policy_apply_config(struct policy *policy, const char *name, const char *text, size_t len)
{
	struct json_file file;
	int ret;

	ret = json_file_parse(&file, name, text, len);
	if (ret < 0)
		return ret;
	ret = apply_config(policy, &file);
	if (ret == 0) {
		free(policy->config_name);
		policy->config_name = xstrdup(name);
	}
	json_file_release(&file);
	return ret;
}

/* --- command line --- */

static int unknown_rule(const struct policy *policy, const char *option, const char *id)
{
	struct strbuf near = STRBUF_INIT;

	policy_suggest(&near, policy, id);
	mt_error_set("%s: unknown rule '%s'%s%s%s", option, id,
		     near.len ? " (did you mean " : "", near.buf, near.len ? "?)" : "");
	strbuf_release(&near);
	return MT_ERROR;
}

static int override_one(struct policy *policy, const char *option, char *item)
{
	struct rule_def *rule;
	char *eq = strchr(item, '='), *dot;
	struct strbuf why = STRBUF_INIT;
	int ret = MT_OK;

	if (!strcmp(option, "--enable") || !strcmp(option, "--disable")) {
		rule = find_rule(policy, item);
		if (!rule)
			return unknown_rule(policy, option, item);
		rule->enabled = !strcmp(option, "--enable");
		rule->enabled_origin = POLICY_COMMAND_LINE;
		return MT_OK;
	}
	if (!eq)
		return mt_error_set("%s: '%s' needs the form %s", option, item,
				    !strcmp(option, "--severity") ? "RULE=LEVEL" : "RULE.NAME=VALUE");
	*eq = '\0';
	if (!strcmp(option, "--severity")) {
		enum mt_severity sev;

		rule = find_rule(policy, item);
		if (!rule)
			return unknown_rule(policy, option, item);
		if (severity_parse(&sev, eq + 1) < 0)
			return mt_error_set("--severity: %s: unknown level '%s' (use error, warning "
					    "or info)", rule->id, eq + 1);
		rule->severity = sev;
		rule->severity_origin = POLICY_COMMAND_LINE;
		return MT_OK;
	}
	dot = strchr(item, '.');
	if (!dot)
		return mt_error_set("--param: '%s' needs the form RULE.NAME=VALUE", item);
	*dot = '\0';
	rule = find_rule(policy, item);
	if (!rule)
		return unknown_rule(policy, option, item);
	{
		struct rule_param *p = find_param(rule, dot + 1);
		char *end;
		long long value;

		if (!p) {
			param_names(&why, rule);
			ret = mt_error_set("--param: rule %s has no parameter '%s' (%s)", rule->id,
					   dot + 1, why.buf);
			goto out;
		}
		errno = 0;
		value = strtoll(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end) {
			ret = mt_error_set("--param: %s.%s: '%s' is not an integer", rule->id, p->name,
					   eq + 1);
			goto out;
		}
		if (set_param(p, value, POLICY_COMMAND_LINE, &why) < 0)
			ret = mt_error_set("--param: %s: %s", rule->id, why.buf);
	}
out:
	strbuf_release(&why);
	return ret;
}

static int override_list(struct policy *policy, const char *option, const char *list)
{
	char *copy, *item, *save = NULL;
	int ret = MT_OK;

	if (!list)
		return MT_OK;
	copy = xstrdup(list);
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		ret = override_one(policy, option, item);
		if (ret < 0)
			break;
	}
	free(copy);
	return ret;
}

int policy_apply_overrides(struct policy *policy, const struct policy_overrides *o)
{
	if (override_list(policy, "--enable", o->enable) < 0 ||
	    override_list(policy, "--disable", o->disable) < 0 ||
	    override_list(policy, "--severity", o->severity) < 0 ||
	    override_list(policy, "--param", o->param) < 0)
		return MT_ERROR;
	return MT_OK;
}
