/*
 * SARIF 2.1.0 for code-scanning services: the catalogue as rules[], each
 * finding as a result with a repository-relative location and a line-free
 * partial fingerprint, suppressed findings as results with `suppressions`.
 */
#include "report/report.h"

#include <string.h>

#include "util/jsontext.h"
#include "util/mtcheck_version.h"
#include "util/oid.h"
#include "report/report_json.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define FINGERPRINT_KEY "mtcheck/v1"

static json_t *text_object(const char *text)
{
	json_t *o = json_object();

	json_object_set_new(o, "text", json_text(text));
	return o;
}

static json_t *sarif_rule(const struct rule_def *rule)
{
	json_t *o = json_object(), *conf = json_object(), *props = json_object();
	struct strbuf help = STRBUF_INIT;

	strbuf_addf(&help, "%s\n\nWhy: %s", rule->explanation, rule->rationale);
	json_object_set_new(o, "id", json_string(rule->id));
	/* No "name": SARIF wants it to differ from the id, and the title says what it is. */
	json_object_set_new(o, "shortDescription", text_object(rule->title));
	json_object_set_new(o, "fullDescription", text_object(rule->explanation));
	json_object_set_new(o, "help", text_object(help.buf));
	json_object_set_new(conf, "enabled", json_boolean(rule->enabled));
	json_object_set_new(conf, "level", json_string(report_sarif_level(rule->severity)));
	json_object_set_new(o, "defaultConfiguration", conf);
	json_object_set_new(props, "tags", json_pack("[s]", "migration"));
	json_object_set_new(o, "properties", props);
	strbuf_release(&help);
	return o;
}

static int rule_index(const struct policy *policy, const char *id)
{
	size_t i;

	for (i = 0; policy && id && i < policy->nrules; i++) {
		if (!strcmp(policy->rules[i].id, id))
			return (int)i;
	}
	return -1;
}

static json_t *sarif_result(const struct report *r, const struct finding *f,
			    const struct suppressed *s)
{
	json_t *o = json_object(), *fps = json_object(), *props = json_object();
	char fp[FINDING_FINGERPRINT_SIZE];
	int index = rule_index(r->policy, f->rule);

	finding_fingerprint(fp, f);
	json_object_set_new(o, "ruleId", json_string(f->rule ? f->rule : ""));
	if (index >= 0)
		json_object_set_new(o, "ruleIndex", json_integer(index));
	json_object_set_new(o, "level", json_string(report_sarif_level(f->severity)));
	json_object_set_new(o, "message", text_object(f->message ? f->message : ""));
	if (f->path) {
		json_t *loc = json_object(), *phys = json_object(), *art = json_object();

		json_object_set_new(art, "uri", json_text(f->path));
		json_object_set_new(art, "uriBaseId", json_string("%SRCROOT%"));
		json_object_set_new(phys, "artifactLocation", art);
		if (f->line > 0)
			json_object_set_new(phys, "region", json_pack("{s:i}", "startLine", f->line));
		json_object_set_new(loc, "physicalLocation", phys);
		json_object_set_new(o, "locations", json_pack("[o]", loc));
	}
	json_object_set_new(fps, FINGERPRINT_KEY, json_string(fp));
	json_object_set_new(o, "partialFingerprints", fps);
	if (s) {
		json_t *sup = json_object();

		json_object_set_new(sup, "kind", json_string("external"));
		json_object_set_new(sup, "justification", json_text(s->reason));
		json_object_set_new(o, "suppressions", json_pack("[o]", sup));
	}
	json_object_set_new(props, "stream", json_text_or_null(f->stream));
	json_object_set_new(props, "commit", json_oid_or_null(f->has_commit, &f->commit));
	json_object_set_new(props, "subject", json_text_or_null(f->subject));
	json_object_set_new(props, "upstream", json_oid_or_null(f->has_upstream, &f->upstream));
	json_object_set_new(props, "machine", json_text_or_null(f->machine));
	json_object_set_new(o, "properties", props);
	return o;
}

/*
 * Whether the run checked everything it was asked to: a run with gaps (no
 * master, unreadable commits) says so, each gap as a notification, so a
 * partial answer never looks like a complete one in a code-scanning view.
 */
static json_t *sarif_invocations(const struct report *r)
{
	json_t *inv = json_object(), *notes = json_array();
	size_t i;

	json_object_set_new(inv, "executionSuccessful", json_boolean(r->ngaps == 0));
	for (i = 0; i < r->ngaps; i++) {
		json_t *n = json_object();

		json_object_set_new(n, "level", json_string("warning"));
		json_object_set_new(n, "message", text_object(r->gaps[i]));
		json_array_append_new(notes, n);
	}
	json_object_set_new(inv, "toolExecutionNotifications", notes);
	return json_pack("[o]", inv);
}

/* The repository, commit and branch the findings are about; SARIF requires the URI. */
static json_t *sarif_provenance(const struct report *r)
{
	json_t *vcp = json_object();

	json_object_set_new(vcp, "repositoryUri", json_text(r->repository_uri));
	/* Result locations are relative to %SRCROOT%, the repository's top. */
	json_object_set_new(vcp, "mappedTo", json_pack("{s:s}", "uriBaseId", "%SRCROOT%"));
	if (r->revision)
		json_object_set_new(vcp, "revisionId", json_string(r->revision));
	if (r->branch)
		json_object_set_new(vcp, "branch", json_text(r->branch));
	return json_pack("[o]", vcp);
}

void report_sarif(struct strbuf *out, const struct report *r)
{
	json_t *root = json_object(), *run = json_object(), *tool = json_object(),
	       *driver = json_object(), *rules = json_array(), *results = json_array();
	size_t i;

	for (i = 0; r->policy && i < r->policy->nrules; i++)
		json_array_append_new(rules, sarif_rule(&r->policy->rules[i]));
	json_object_set_new(driver, "name", json_string("mtcheck"));
	json_object_set_new(driver, "version", json_string(MTCHECK_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(MTCHECK_VERSION));
	json_object_set_new(driver, "rules", rules);
	json_object_set_new(tool, "driver", driver);
	for (i = 0; i < r->findings->nr; i++)
		json_array_append_new(results, sarif_result(r, &r->findings->items[i], NULL));
	for (i = 0; r->suppressed && i < r->suppressed->nr; i++)
		json_array_append_new(results, sarif_result(r, &r->suppressed->items[i].finding,
							    &r->suppressed->items[i]));
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "invocations", sarif_invocations(r));
	if (r->repository_uri)
		json_object_set_new(run, "versionControlProvenance", sarif_provenance(r));
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", results);
	/* What the results were computed from, in the run's property bag. */
	json_object_set_new(run, "properties",
			    json_pack("{s:o,s:o}", "repository", json_text_or_null(r->repository),
				      "refs", report_json_refs(r)));
	json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(root, "runs", json_pack("[o]", run));
	json_dump_to(out, root);
}
