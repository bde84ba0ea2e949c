/*
 * mtcheck explain: a rule's text from the catalogue. The same text feeds the
 * SARIF rules[] and, through `explain --all --man`, the RULES section of the
 * manual page (`make man`), so there is one source for each rule's words.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "policy/policy.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define WRAP 78

/* Appends text word-wrapped at WRAP columns: the first line after `first`, the rest after indent. */
static void wrap(struct strbuf *out, const char *text, const char *first, const char *indent)
{
	bool started = false;

	size_t col = 0;
	const char *p = text;

	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (!len)
			break;
		if (col && col + 1 + len > WRAP) {
			strbuf_addch(out, '\n');
			col = 0;
		}
		if (!col) {
			strbuf_addstr(out, started ? indent : first);
			col = strlen(started ? indent : first);
			started = true;
		} else {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, p, len);
		col += len;
		p += len;
	}
	strbuf_addch(out, '\n');
}

static void explain_text(struct strbuf *out, const struct rule_def *r)
{
	size_t i;

	strbuf_addf(out, "%s: %s\n", r->id, r->title);
	strbuf_addf(out, "default severity: %s\n\n", severity_name(r->default_severity));
	wrap(out, r->explanation, "", "");
	strbuf_addch(out, '\n');
	wrap(out, r->rationale, "Why: ", "     ");
	if (r->nparams) {
		strbuf_addstr(out, "\nParameters (.mtcheck.json or --param):\n");
		for (i = 0; i < r->nparams; i++) {
			struct strbuf line = STRBUF_INIT;

			strbuf_addf(&line, "%s (default %lld): %s", r->params[i].name,
				    r->params[i].default_value, r->params[i].description);
			wrap(out, line.buf, "  ", "      ");
			strbuf_release(&line);
		}
	}
}

static json_t *explain_json(const struct rule_def *r)
{
	json_t *o = json_object(), *params = json_array();
	size_t i;

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "severity", json_string(severity_name(r->default_severity)));
	json_object_set_new(o, "message", json_string(r->message));
	json_object_set_new(o, "explanation", json_string(r->explanation));
	json_object_set_new(o, "rationale", json_string(r->rationale));
	for (i = 0; i < r->nparams; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "name", json_string(r->params[i].name));
		json_object_set_new(p, "default", json_integer(r->params[i].default_value));
		json_object_set_new(p, "min", json_integer(r->params[i].min));
		json_object_set_new(p, "description", json_string(r->params[i].description));
		json_array_append_new(params, p);
	}
	json_object_set_new(o, "parameters", params);
	return o;
}

/*
 * mdoc text: one sentence per line (mdoc's rule), backslashes escaped, and
 * no line starting with a control character.
 */
static void mdoc_text(struct strbuf *out, const char *text)
{
	const char *p;
	bool line_start = true;

	for (p = text; *p; p++) {
		if (line_start && (*p == '.' || *p == '\''))
			strbuf_addstr(out, "\\&");
		line_start = false;
		if (*p == '\\') {
			strbuf_addstr(out, "\\e");
		} else if (*p == ' ' && p > text && p[-1] == '.' && p[1] >= 'A' && p[1] <= 'Z') {
			strbuf_addch(out, '\n');
			line_start = true;
		} else {
			strbuf_addch(out, *p);
		}
	}
	strbuf_addch(out, '\n');
}

static void explain_man(struct strbuf *out, const struct policy *policy)
{
	size_t i, j;

	strbuf_addstr(out, ".Bl -tag -width Ds\n");
	for (i = 0; i < policy->nrules; i++) {
		const struct rule_def *r = &policy->rules[i];

		strbuf_addf(out, ".It Sy %s Pq %s\n", r->id, severity_name(r->default_severity));
		mdoc_text(out, r->title);
		strbuf_addstr(out, ".Pp\n");
		mdoc_text(out, r->explanation);
		strbuf_addstr(out, ".Pp\n");
		mdoc_text(out, r->rationale);
		if (!r->nparams)
			continue;
		strbuf_addstr(out, ".Pp\nParameters:\n.Bl -tag -width Ds -compact\n");
		for (j = 0; j < r->nparams; j++) {
			strbuf_addf(out, ".It Cm %s No (default %lld)\n", r->params[j].name,
				    r->params[j].default_value);
			mdoc_text(out, r->params[j].description);
		}
		strbuf_addstr(out, ".El\n");
	}
	strbuf_addstr(out, ".El\n");
}

static int unknown_rule(const struct policy *policy, const char *id)
{
	struct strbuf near = STRBUF_INIT;

	policy_suggest(&near, policy, id);
	mt_error_set("explain: unknown rule '%s'%s%s%s", id, near.len ? " (did you mean " : "",
		     near.buf, near.len ? "?)" : " (see 'mtcheck rules')");
	strbuf_release(&near);
	return MT_ERROR;
}

static int run_explain(int argc, char **argv, struct mt_options *opts)
{
	int all = 0, man = 0, nargs = 0, ret = MT_EXIT_ERROR, i;
	const struct cli_option options[] = {
		{ "all", 0, CLI_FLAG, &all },
		{ "man", 0, CLI_FLAG, &man },
		{ NULL, 0, CLI_FLAG, NULL },
	};
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	const struct rule_def **pick = NULL;
	size_t npick = 0, k;
	struct policy policy;
	struct strbuf out = STRBUF_INIT;

	policy_init(&policy);
	if (cli_parse(opts, &command_explain, options, argc, argv, args, &nargs) < 0)
		goto fail;
	if ((all || man) ? nargs > 0 : nargs < 1) {
		mt_error_set("explain: %s (see 'mtcheck help explain')",
			     (all || man) ? "--all and --man take no rule ids" : "which rule? name one, "
			     "like 'mtcheck explain ABI001', or use --all");
		goto fail;
	}
	if (cli_policy_load(&policy, opts) < 0)
		goto fail;
	if (man) {
		explain_man(&out, &policy);
		goto print;
	}
	pick = xcalloc(policy.nrules + (size_t)nargs + 1, sizeof(*pick));
	if (all) {
		for (k = 0; k < policy.nrules; k++)
			pick[npick++] = &policy.rules[k];
	}
	for (i = 0; i < nargs; i++) {
		const struct rule_def *r = policy_rule(&policy, args[i]);

		if (!r) {
			unknown_rule(&policy, args[i]);
			goto fail;
		}
		pick[npick++] = r;
	}
	if (opts->format == MT_FORMAT_JSON) {
		json_t *list = json_array();

		for (k = 0; k < npick; k++)
			json_array_append_new(list, explain_json(pick[k]));
		/* One rule named: the object itself, as the man page shows it. */
		if (npick == 1 && !all) {
			json_t *one = json_incref(json_array_get(list, 0));

			json_decref(list);
			list = one;
		}
		json_dump_to(&out, list);
	} else {
		for (k = 0; k < npick; k++) {
			if (k)
				strbuf_addch(&out, '\n');
			explain_text(&out, pick[k]);
		}
	}
print:
	fwrite(out.buf, 1, out.len, stdout);
	ret = MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	strbuf_release(&out);
	policy_release(&policy);
	free(pick);
	free(args);
	return ret;
}

const struct command command_explain = {
	"explain",
	run_explain,
	"explain RULE... | --all",
	"explain what a rule checks and why the policy says so",
	"  --all   explain every rule\n"
	"  --man   print the RULES section of mtcheck(1) in mdoc (used by `make man`)\n",
	MT_FORMAT_TEXT | MT_FORMAT_JSON,
};
