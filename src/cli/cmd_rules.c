/* mtcheck rules: every rule with its effective settings and where each came from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "policy/policy.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void rules_text(struct strbuf *out, const struct policy *p)
{
	size_t i, j;

	strbuf_addf(out, "%-8s %-8s %-13s %-7s %-13s %s\n", "RULE", "SEVERITY", "FROM", "ENABLED",
		    "FROM", "TITLE");
	for (i = 0; i < p->nrules; i++) {
		const struct rule_def *r = &p->rules[i];

		strbuf_addf(out, "%-8s %-8s %-13s %-7s %-13s %s\n", r->id, severity_name(r->severity),
			    policy_origin_name(r->severity_origin), r->enabled ? "yes" : "no",
			    policy_origin_name(r->enabled_origin), r->title);
		for (j = 0; j < r->nparams; j++)
			strbuf_addf(out, "         %s = %lld (%s)\n", r->params[j].name,
				    r->params[j].value, policy_origin_name(r->params[j].origin));
	}
	strbuf_addf(out, "\nrepository configuration: %s\n",
		    p->config_name ? p->config_name : "none");
	if (p->nmaintained) {
		strbuf_addstr(out, "maintained streams (repository):");
		for (i = 0; i < p->nmaintained; i++)
			strbuf_addf(out, " %s", p->maintained[i]);
		strbuf_addch(out, '\n');
	}
}

static void rules_json(struct strbuf *out, const struct policy *p)
{
	json_t *root = json_object(), *rules = json_array(), *streams = json_array();
	size_t i, j;

	for (i = 0; i < p->nrules; i++) {
		const struct rule_def *r = &p->rules[i];
		json_t *o = json_object(), *params = json_array();

		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "title", json_string(r->title));
		json_object_set_new(o, "severity", json_string(severity_name(r->severity)));
		json_object_set_new(o, "severity_from",
				    json_string(policy_origin_name(r->severity_origin)));
		json_object_set_new(o, "default_severity",
				    json_string(severity_name(r->default_severity)));
		json_object_set_new(o, "enabled", json_boolean(r->enabled));
		json_object_set_new(o, "enabled_from",
				    json_string(policy_origin_name(r->enabled_origin)));
		for (j = 0; j < r->nparams; j++) {
			const struct rule_param *prm = &r->params[j];
			json_t *po = json_object();

			json_object_set_new(po, "name", json_string(prm->name));
			json_object_set_new(po, "value", json_integer(prm->value));
			json_object_set_new(po, "default", json_integer(prm->default_value));
			json_object_set_new(po, "from", json_string(policy_origin_name(prm->origin)));
			json_array_append_new(params, po);
		}
		json_object_set_new(o, "parameters", params);
		json_array_append_new(rules, o);
	}
	for (i = 0; i < p->nmaintained; i++)
		json_array_append_new(streams, json_string(p->maintained[i]));
	json_object_set_new(root, "configuration",
			    p->config_name ? json_string(p->config_name) : json_null());
	json_object_set_new(root, "maintained_streams", streams);
	json_object_set_new(root, "rules", rules);
	json_dump_to(out, root);
}

/*
 * The repository layer: .mtcheck.json at --ref (default HEAD). Outside a
 * repository, with no --repo, there is no such layer and that is no error:
 * `mtcheck rules` is useful anywhere.
 */
static int apply_repository(struct policy *policy, const struct mt_options *opts,
			    const char *ref)
{
	struct mt_repo *repo = NULL;
	struct mt_oid commit;
	int ret;

	ret = repo_open(&repo, opts->repo_dir);
	if (ret < 0) {
		if (!opts->repo_dir && !ref) {
			mt_error_clear();
			return MT_OK;
		}
		return ret;
	}
	ret = repo_resolve_commit(&commit, repo, ref ? ref : "HEAD");
	if (ret < 0 && !ref) {
		/* An empty repository (unborn HEAD) has no configuration yet. */
		mt_error_clear();
		ret = MT_OK;
		goto out;
	}
	if (ret == 0)
		ret = policy_apply_repo_config(policy, repo, &commit, ref ? ref : "HEAD");
out:
	repo_free(repo);
	return ret;
}

static int run_rules(int argc, char **argv, struct mt_options *opts)
{
	struct policy_overrides over = { NULL, NULL, NULL, NULL };
	const char *ref = NULL;
	const struct cli_option options[] = {
		{ "ref", 0, CLI_STRING, &ref },
		{ "enable", 0, CLI_STRING, &over.enable },
		{ "disable", 0, CLI_STRING, &over.disable },
		{ "severity", 0, CLI_STRING, &over.severity },
		{ "param", 0, CLI_STRING, &over.param },
		{ NULL, 0, CLI_FLAG, NULL },
	};
	char **args = xcalloc((size_t)argc + 1, sizeof(*args));
	struct policy policy;
	struct strbuf out = STRBUF_INIT;
	int nargs = 0, ret = MT_EXIT_ERROR;

	policy_init(&policy);
	if (cli_parse(opts, &command_rules, options, argc, argv, args, &nargs) < 0)
		goto fail;
	if (nargs > 0) {
		mt_error_set("rules: unexpected argument '%s' (see 'mtcheck help rules')", args[0]);
		goto fail;
	}
	if (cli_policy_load(&policy, opts) < 0 || apply_repository(&policy, opts, ref) < 0 ||
	    policy_apply_overrides(&policy, &over) < 0)
		goto fail;
	if (opts->format == MT_FORMAT_JSON)
		rules_json(&out, &policy);
	else
		rules_text(&out, &policy);
	fwrite(out.buf, 1, out.len, stdout);
	ret = MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	strbuf_release(&out);
	policy_release(&policy);
	free(args);
	return ret;
}

const struct command command_rules = {
	"rules",
	run_rules,
	"rules [--ref REF] [--enable IDS] [--disable IDS] [--severity ID=LEVEL,...] "
	"[--param ID.NAME=N,...]",
	"list every rule with its effective severity, and where each setting came from",
	"  --ref REF                read .mtcheck.json at REF (default HEAD)\n"
	"  --enable IDS             enable these rules (comma-separated)\n"
	"  --disable IDS            disable these rules\n"
	"  --severity ID=LEVEL,...  set severities (error, warning, info)\n"
	"  --param ID.NAME=N,...    set rule parameters\n",
	MT_FORMAT_TEXT | MT_FORMAT_JSON,
};
