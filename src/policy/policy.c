/* The effective rule settings: lookup, suggestions, parameters, messages. */
#include "policy/policy.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"
#include "util/xalloc.h"

static const char *const severity_names[] = { NULL, "info", "warning", "error" };

const char *severity_name(enum mt_severity severity)
{
	if (severity < MT_SEVERITY_INFO || severity > MT_SEVERITY_ERROR)
		return "?";
	return severity_names[severity];
}

int severity_parse(enum mt_severity *out, const char *text)
{
	int i;

	for (i = MT_SEVERITY_INFO; i <= MT_SEVERITY_ERROR; i++) {
		if (!strcmp(text, severity_names[i])) {
			*out = (enum mt_severity)i;
			return 0;
		}
	}
	return -1;
}

const char *policy_origin_name(enum policy_origin origin)
{
	switch (origin) {
	case POLICY_BUILTIN:
		return "built-in";
	case POLICY_REPOSITORY:
		return "repository";
	case POLICY_COMMAND_LINE:
		return "command line";
	}
	return "?";
}

void policy_init(struct policy *policy)
{
	memset(policy, 0, sizeof(*policy));
}

static void rule_def_release(struct rule_def *rule)
{
	size_t i;

	free(rule->id);
	free(rule->title);
	free(rule->message);
	free(rule->explanation);
	free(rule->rationale);
	free(rule->next_step);
	for (i = 0; i < rule->nparams; i++) {
		free(rule->params[i].name);
		free(rule->params[i].description);
	}
	free(rule->params);
}

void policy_release(struct policy *policy)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++)
		rule_def_release(&policy->rules[i]);
	free(policy->rules);
	for (i = 0; i < policy->nmaintained; i++)
		free(policy->maintained[i]);
	free(policy->maintained);
	free(policy->catalogue_path);
	free(policy->config_name);
	memset(policy, 0, sizeof(*policy));
}

const struct rule_def *policy_rule(const struct policy *policy, const char *id)
{
	size_t i;

	for (i = 0; i < policy->nrules; i++) {
		if (!strcasecmp(policy->rules[i].id, id))
			return &policy->rules[i];
	}
	return NULL;
}

/* Levenshtein distance, case-insensitive; ids are short, so O(n*m) with one row. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row = xcalloc(lb + 1, sizeof(*row)), d;

	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best;
			int same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);

			best = diag + (same ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

void policy_suggest(struct strbuf *out, const struct policy *policy, const char *id)
{
	size_t *dist = xcalloc(policy->nrules + 1, sizeof(*dist)), i, shown = 0, best, limit;

	for (i = 0; i < policy->nrules; i++)
		dist[i] = edit_distance(id, policy->rules[i].id);
	/* Nearest first; the catalogue is sorted by id, so ties come out by id. */
	limit = 2; /* beyond two edits a suggestion is a guess */
	while (shown < 3) {
		size_t pick = policy->nrules;

		best = limit + 1;
		for (i = 0; i < policy->nrules; i++) {
			if (dist[i] < best) {
				best = dist[i];
				pick = i;
			}
		}
		if (pick == policy->nrules)
			break;
		strbuf_addf(out, "%s%s", shown ? ", " : "", policy->rules[pick].id);
		dist[pick] = (size_t)-1;
		shown++;
	}
	free(dist);
}

bool policy_stream_listed(const struct policy *policy, const char *stream)
{
	size_t i;

	for (i = 0; i < policy->nmaintained; i++) {
		if (!strcmp(policy->maintained[i], stream))
			return true;
	}
	return false;
}

int rule_param_get(long long *out, const struct rule_def *rule, const char *name)
{
	size_t i;

	for (i = 0; i < rule->nparams; i++) {
		if (!strcmp(rule->params[i].name, name)) {
			*out = rule->params[i].value;
			return MT_OK;
		}
	}
	return MT_ENOTFOUND;
}

long long rule_param(const struct rule_def *rule, const char *name)
{
	long long value = 0;

	/* A rule asking for a parameter its catalogue entry lacks is a programming error. */
	if (rule_param_get(&value, rule, name) < 0)
		abort();
	return value;
}

void rule_message_format(struct strbuf *out, const char *tmpl, const char *const *vars)
{
	const char *p = tmpl;

	while (*p) {
		const char *close, *value = NULL;
		size_t i;

		if (*p != '{' || !(close = strchr(p + 1, '}'))) {
			strbuf_addch(out, *p++);
			continue;
		}
		for (i = 0; vars && vars[i] && vars[i + 1]; i += 2) {
			if (strlen(vars[i]) == (size_t)(close - p - 1) &&
			    !strncmp(vars[i], p + 1, (size_t)(close - p - 1))) {
				value = vars[i + 1];
				break;
			}
		}
		if (value) {
			strbuf_addstr(out, value);
			p = close + 1;
		} else {
			strbuf_addch(out, *p++);
		}
	}
}
