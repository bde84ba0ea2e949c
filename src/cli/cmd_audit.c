/*
 * mtcheck audit: every stream of the repository, master and the
 * project-wide rules; the text report is grouped by stream and ends with a
 * table of findings per rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_findings.h"
#include "cli/commands.h"
#include "util/error.h"
#include "repo/repo.h"
#include "util/strutil.h"
#include "util/xalloc.h"

static int run_audit(int argc, char **argv, struct mt_options *opts);

const struct command command_audit = {
	.name = "audit",
	.run = run_audit,
	.usage = "audit [--fail-on LEVEL] [--waivers FILE] [--baseline FILE] ...",
	.summary = "check every stream, master and the project-wide rules",
	.help = FINDINGS_HELP,
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON | MT_FORMAT_SARIF | MT_FORMAT_CODEQUALITY |
		   MT_FORMAT_MARKDOWN | MT_FORMAT_HTML,
};

static void count_rule(size_t *counts, const struct policy *p, const struct finding *f)
{
	size_t i;

	for (i = 0; i < p->nrules; i++) {
		if (!strcmp(p->rules[i].id, f->rule))
			counts[i * 3 + (size_t)(f->severity - 1)]++;
	}
}

static void audit_text(struct strbuf *out, const struct report *r, void *payload)
{
	const struct finding_list *fl = r->findings;
	const struct policy *p = r->policy;
	size_t *counts = xcalloc(p->nrules * 3 + 1, sizeof(*counts));
	size_t i, j, n;
	(void)payload;

	for (i = 0; i < fl->nr; i = j) {
		const char *group = fl->items[i].stream;

		for (j = i; j < fl->nr && str_equal(fl->items[j].stream, group); j++)
			;
		n = j - i;
		strbuf_addf(out, "%s== %s: %zu finding%s ==\n", i ? "\n" : "",
			    group ? group : "project-wide", n, n == 1 ? "" : "s");
		for (n = i; n < j; n++) {
			report_text_finding(out, &fl->items[n], r->color, NULL);
			count_rule(counts, p, &fl->items[n]);
		}
	}
	if (r->show_suppressed && r->suppressed && r->suppressed->nr) {
		strbuf_addf(out, "%s== suppressed: %zu ==\n", fl->nr ? "\n" : "", r->suppressed->nr);
		for (i = 0; i < r->suppressed->nr; i++) {
			const struct suppressed *s = &r->suppressed->items[i];
			struct strbuf note = STRBUF_INIT;

			strbuf_addf(&note, "by %s: %s", suppressed_by_name(s->by), s->reason);
			report_text_finding(out, &s->finding, r->color, note.buf);
			strbuf_release(&note);
		}
	}
	strbuf_addf(out, "%s%-8s %5s %7s %4s  %s\n", fl->nr || r->show_suppressed ? "\n" : "",
		    "RULE", "ERROR", "WARNING", "INFO", "TITLE");
	for (i = 0; i < p->nrules; i++) {
		const struct rule_def *rd = &p->rules[i];

		strbuf_addf(out, "%-8s %5zu %7zu %4zu  %s%s\n", rd->id, counts[i * 3 + 2],
			    counts[i * 3 + 1], counts[i * 3], rd->title,
			    rd->enabled ? "" : " (disabled)");
	}
	report_text_summary(out, r);
	free(counts);
}

static int run_audit(int argc, char **argv, struct mt_options *opts)
{
	struct findings_run run;
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0, ret = MT_EXIT_ERROR;
	const struct mt_oid *config;
	const char *config_label;
	size_t i;
	const struct cli_option options[] = {
		FINDINGS_OPTIONS(run.args),
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&run, 0, sizeof(run));
	if (cli_parse(opts, &command_audit, options, argc, argv, pos, &npos) < 0)
		goto fail;
	if (npos > 0) {
		mt_error_set("audit: unexpected argument '%s' (see 'mtcheck help audit')", pos[0]);
		goto fail;
	}
	run.whole_master = true;
	if (findings_open(&run, opts) < 0)
		goto fail;
	/* The repository's configuration as master has it, or as --config-from REF does. */
	if (findings_config_commit(&run, &config, &config_label,
				   run.history.has_master ? &run.history.master : NULL,
				   run.history.master_name) < 0 ||
	    findings_policy(&run, config, config_label) < 0)
		goto fail;
	if (!run.history.nstreams) {
		mt_error_set("%s: no stable-X.Y branch, local or remote-tracking: nothing to audit",
			     repo_display_path(run.repo));
		goto fail;
	}
	run.engine.project_rules = true;
	run.title = "audit";
	run.setup_hint = "mtcheck ci-setup --all";
	if (run.history.has_master) {
		run.branch = run.history.master_name;
		run.revision = run.history.master;
		run.has_revision = true;
	}
	engine_prefetch(&run.engine, run.history.streams, run.history.nstreams);
	for (i = 0; i < run.history.nstreams; i++) {
		progress_show(&run.progress, "reading", i, run.history.nstreams);
		if (engine_add_stream(&run.engine, &run.history.streams[i], true, true) < 0)
			goto fail;
	}
	ret = findings_report(&run, opts, audit_text, NULL);
	if (ret < 0)
		goto fail;
	goto out;
fail:
	progress_done(&run.progress);
	ret = cli_fail();
out:
	findings_close(&run);
	free(pos);
	return ret;
}
