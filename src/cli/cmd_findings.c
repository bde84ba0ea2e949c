/* The pipeline `check` and `audit` share: rules, repository, policy, engine, suppression, report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_findings.h"
#include "report/html_timeline.h"
#include "jobs/jobs.h"
#include "util/error.h"
#include "util/oid.h"
#include "util/xalloc.h"
#include "util/mtlimits.h"
#include "report/report.h"
#include "repo/repo.h"
#include "util/rulesdir.h"
#include "policy/suppress.h"
#include "util/outfile.h"
#include "util/xalloc.h"
#include "verbose.h"

/* --jobs N: N processes in all, the caller's included. */
static int parse_jobs(unsigned *workers, const char *jobs)
{
	char *end;
	long n;

	if (!jobs) {
		*workers = jobs_default_workers();
		return MT_OK;
	}
	n = strtol(jobs, &end, 10);
	if (end == jobs || *end || n < 1 || n > MT_LIMIT_WORKERS + 1)
		return mt_error_set("--jobs: '%s' is not a number from 1 to %d", jobs,
				    MT_LIMIT_WORKERS + 1);
	*workers = (unsigned)n - 1;
	return MT_OK;
}

void findings_add_ref(struct findings_run *run, const char *role, const char *name,
		      const struct mt_oid *commit)
{
	run->refs = xrealloc(run->refs, (run->nrefs + 1) * sizeof(*run->refs));
	run->refs[run->nrefs].role = role;
	run->refs[run->nrefs].name = xstrdup(name);
	run->refs[run->nrefs].commit = *commit;
	run->nrefs++;
}

int findings_config_commit(struct findings_run *run, const struct mt_oid **out,
			   const char **out_label, const struct mt_oid *fallback,
			   const char *fallback_label)
{
	static struct mt_oid from;

	*out = fallback;
	*out_label = fallback_label;
	if (!run->args.config_from)
		return MT_OK;
	if (repo_resolve_commit(&from, run->repo, run->args.config_from) < 0) {
		mt_error_prefix("--config-from");
		return MT_ERROR;
	}
	*out = &from;
	*out_label = run->args.config_from;
	return MT_OK;
}

int findings_open(struct findings_run *run, const struct mt_options *opts)
{
	struct strbuf dir = STRBUF_INIT;
	struct history_options hopts;
	int64_t today;
	int ret = MT_ERROR;

	policy_init(&run->policy);
	model_cache_init(&run->cache);
	progress_init(&run->progress, opts);
	run->fail_on = MT_SEVERITY_ERROR;
	if (run->args.fail_on && report_parse_fail_on(&run->fail_on, run->args.fail_on) < 0)
		goto out;
	if (parse_jobs(&run->workers, run->args.jobs) < 0)
		goto out;
	/* --today is checked whether or not a waiver file needs it: a typo is never ignored. */
	if (run->args.today && suppress_now(&today, run->args.today) < 0)
		goto out;
	/* Refused now, not after minutes of work: a symlink, FIFO or device as the baseline. */
	if (run->args.write_baseline && outfile_check(run->args.write_baseline) < 0)
		goto out;
	if (cli_rules_dir(&dir, opts) < 0 || families_load(&run->fams, dir.buf) < 0)
		goto out;
	run->have_fams = true;
	if (abi_config_load_dir(&run->abi, dir.buf) < 0 || policy_load(&run->policy, dir.buf) < 0)
		goto out;
	verbose_phase(opts, "rules read");
	if (repo_open(&run->repo, opts->repo_dir) < 0)
		goto out;
	verbose_say(opts, "repository %s", repo_display_path(run->repo));
	progress_show(&run->progress, "reading refs and tags", 0, 0);
	memset(&hopts, 0, sizeof(hopts));
	hopts.master = run->args.master;
	hopts.include_staging = run->args.include_staging;
	hopts.whole_master = run->whole_master;
	if (run->args.as_of) {
		if (history_as_of_time(&hopts.as_of, run->repo, run->args.as_of) < 0)
			goto out;
		hopts.has_as_of = true;
	}
	if (history_open(&run->history, run->repo, &hopts) < 0)
		goto out;
	run->have_history = true;
	/* Nothing to read is not a pass: an empty or unrelated repository says so. */
	if (!run->history.has_master && !run->history.nstreams && !run->history.nreleases) {
		mt_error_set("%s: no master, no stable-X.Y branch and no release tag: an empty "
			     "repository, or not QEMU's", repo_display_path(run->repo));
		goto out;
	}
	if (run->history.has_master)
		findings_add_ref(run, "master", run->history.master_name, &run->history.master);
	verbose_say(opts, "%s%s, %zu stable streams, %zu release tags",
		    run->history.has_master ? "master " : "no master",
		    run->history.has_master ? run->history.master_name : "",
		    run->history.nstreams, run->history.nreleases);
	verbose_phase(opts, "history read");
	ret = MT_OK;
out:
	strbuf_release(&dir);
	return ret;
}

int findings_policy(struct findings_run *run, const struct mt_oid *commit, const char *label)
{
	struct engine_input in;

	if (commit && policy_apply_repo_config(&run->policy, run->repo, commit, label) < 0)
		return MT_ERROR;
	if (commit)
		findings_add_ref(run, "config", label, commit);
	if (policy_apply_overrides(&run->policy, &run->args.over) < 0)
		return MT_ERROR;
	in.repo = run->repo;
	in.history = &run->history;
	in.policy = &run->policy;
	in.fams = &run->fams;
	in.abi = run->abi;
	in.cache = &run->cache;
	/*
	 * The workers are forked now, while the process is small: pages they
	 * share with the parent are copied on the first write by either.
	 */
	jobs_start(&run->jobs, run->repo, run->abi, &run->fams, run->workers);
	in.jobs = run->jobs;
	engine_init(&run->engine, &in);
	run->have_engine = true;
	return MT_OK;
}

static bool same_minor(const struct mt_stream *a, const struct mt_stream *b)
{
	return a->major == b->major && a->minor == b->minor;
}

int findings_add_checked(struct findings_run *run, const struct mt_stream *stream)
{
	size_t i;

	/*
	 * The checked stream first: its backports go to the workers as soon as
	 * they are listed (before master is read and upstream commits matched),
	 * and the context streams whose introductions cannot reach it are passed
	 * over.
	 */
	progress_show(&run->progress, "reading", 0, run->history.nstreams);
	engine_prefetch(&run->engine, stream, 1);
	if (engine_add_stream(&run->engine, stream, true, true) < 0)
		return MT_ERROR;
	/* Context: the other streams, whose machines the checked one is held against. */
	for (i = 0; i < run->history.nstreams; i++) {
		const struct mt_stream *o = &run->history.streams[i];

		progress_show(&run->progress, "reading", i, run->history.nstreams);
		if (!same_minor(o, stream) && engine_add_stream(&run->engine, o, false, false) < 0)
			return MT_ERROR;
	}
	return MT_OK;
}

void findings_engine_close(struct findings_run *run)
{
	if (run->have_engine)
		engine_release(&run->engine);
	run->have_engine = false;
}

int findings_policy_reload(struct findings_run *run, const struct mt_options *opts)
{
	policy_release(&run->policy);
	policy_init(&run->policy);
	return cli_policy_load(&run->policy, opts);
}

static bool has_machine_files(const struct model *m)
{
	return m && (m->machines.n || m->compat.n);
}

/*
 * Whether master or any stream read has a machine type or compat array: a
 * repository where none has is not QEMU's, and "0 findings" about it would
 * be a pass for nothing.
 */
static bool qemu_shaped(const struct engine *e)
{
	size_t i;

	if (has_machine_files(e->master))
		return true;
	for (i = 0; i < e->nstreams; i++) {
		if (has_machine_files(e->streams[i].base) || has_machine_files(e->streams[i].tip))
			return true;
	}
	return false;
}

/* What the run could not check, one sentence each (see struct report). */
static void collect_gaps(struct strbuf *text, char ***out, size_t *out_count,
			 const struct findings_run *run)
{
	size_t i;

	*out = NULL;
	*out_count = 0;
	if (!run->history.has_master) {
		strbuf_addstr(text, "no master branch in this repository (neither master nor "
				    "origin/master): bugfix machines were not held against master");
		if (run->setup_hint)
			strbuf_addf(text, "; to fetch it: %s", run->setup_hint);
		*out = xrealloc(*out, (*out_count + 1) * sizeof(**out));
		(*out)[(*out_count)++] = strbuf_detach(text, NULL);
	}
	for (i = 0; i < run->engine.nunreadable; i++) {
		strbuf_addf(text, "backport not read, its findings are missing: %s",
			    run->engine.unreadable[i]);
		*out = xrealloc(*out, (*out_count + 1) * sizeof(**out));
		(*out)[(*out_count)++] = strbuf_detach(text, NULL);
	}
}

int findings_report(struct findings_run *run, const struct mt_options *opts,
		    findings_text_fn text, void *payload)
{
	struct finding_list findings;
	struct suppressed_list suppressed;
	struct waiver_set waivers;
	struct baseline baseline;
	struct report report;
	struct strbuf out = STRBUF_INIT, notes = STRBUF_INIT, gap = STRBUF_INIT;
	char hex[MT_OID_HEXSZ + 1];
	char **gaps = NULL, *uri = NULL;
	size_t ngaps = 0, i;
	bool have_waivers = false, have_baseline = false;
	int64_t now = 0;
	int ret = MT_ERROR;

	finding_list_init(&findings);
	suppressed_list_init(&suppressed);
	if (run->args.waivers) {
		if (suppress_now(&now, run->args.today) < 0 ||
		    waiver_set_load(&waivers, &run->policy, run->args.waivers, now) < 0)
			goto out;
		have_waivers = true;
	}
	if (run->args.baseline) {
		if (baseline_load(&baseline, run->args.baseline) < 0)
			goto out;
		have_baseline = true;
	}
	progress_show(&run->progress, "classifying backports and reading master", 0, 0);
	verbose_phase(opts, "streams read");
	if (engine_prepare(&run->engine) < 0)
		goto out;
	if (!qemu_shaped(&run->engine)) {
		mt_error_set("%s: no QEMU machine files at %s or in any stream: none of the files "
			     "rules/families.json names defines a machine type or compat array",
			     repo_display_path(run->repo),
			     run->history.has_master ? run->history.master_name : "master");
		goto out;
	}
	verbose_phase(opts, "backports classified, master read");
	progress_show(&run->progress, "running the rules", 0, 0);
	if (engine_run(&findings, &run->engine) < 0)
		goto out;
	progress_done(&run->progress);
	verbose_say(opts, "%zu streams analysed, %zu findings before suppression",
		    run->engine.nstreams, findings.nr);
	verbose_phase(opts, "rules run");
	if (run->args.write_baseline && baseline_write(run->args.write_baseline, &findings) < 0)
		goto out;
	suppress_apply(&findings, &suppressed, have_waivers ? &waivers : NULL,
		       have_baseline ? &baseline : NULL);
	memset(&report, 0, sizeof(report));
	for (size_t i = 0; i < run->engine.nstreams; i++) {
		const struct engine_stream *es = &run->engine.streams[i];

		if (es != run->engine.checked)
			findings_add_ref(run, es->report ? "stream" : "context", es->stream.name,
					 &es->stream.tip);
	}
	report.repository = repo_display_path(run->repo);
	report.refs = run->refs;
	report.nrefs = run->nrefs;
	report.policy = &run->policy;
	report.findings = &findings;
	report.suppressed = &suppressed;
	report.color = cli_use_color(opts, stdout);
	report.show_suppressed = run->args.show_suppressed;
	report.title = run->title;
	report.branch = run->branch;
	uri = repo_uri(run->repo);
	report.repository_uri = uri;
	if (run->has_revision) {
		oid_to_hex(hex, &run->revision);
		report.revision = hex;
	}
	collect_gaps(&gap, &gaps, &ngaps, run);
	report.gaps = gaps;
	report.ngaps = ngaps;
	if (opts->format == MT_FORMAT_TEXT && opts->quiet) {
		/* -q: the findings and nothing else (errors go to stderr as always). */
		for (i = 0; i < findings.nr; i++)
			report_text_finding(&out, &findings.items[i], report.color, NULL);
	} else if (opts->format == MT_FORMAT_TEXT) {
		report_text_sources(&out, &report);
		if (text)
			text(&out, &report, payload);
		else
			report_text(&out, &report);
	} else if (opts->format == MT_FORMAT_HTML) {
		struct html_timeline timeline;

		if (html_timeline_build(&timeline, &run->engine, &findings) < 0)
			goto out;
		report_html(&out, &report, &timeline);
		html_timeline_release(&timeline);
	} else {
		report_write(&out, &report, opts->format);
	}
	fwrite(out.buf, 1, out.len, stdout);
	suppress_notes(&notes, have_waivers ? &waivers : NULL, have_baseline ? &baseline : NULL);
	/* Unreadable commits get their error line below; the other gaps a note. */
	for (i = 0; i < ngaps && !run->history.has_master && i < 1; i++)
		strbuf_addf(&notes, "mtcheck: note: %s\n", gaps[i]);
	if (!opts->quiet)
		fputs(notes.buf, stderr);
	verbose_phase(opts, "report written");
	ret = report_exit_status(&findings, run->fail_on);
	if (run->engine.nunreadable) {
		/* The report above is missing these commits' findings: never a silent pass. */
		mt_error_set("%zu backport%s could not be read and %s no findings (first: %s)",
			     run->engine.nunreadable, run->engine.nunreadable == 1 ? "" : "s",
			     run->engine.nunreadable == 1 ? "has" : "have", run->engine.unreadable[0]);
		ret = cli_fail();
	}
out:
	progress_done(&run->progress);
	for (i = 0; i < ngaps; i++)
		free(gaps[i]);
	free(gaps);
	free(uri);
	strbuf_release(&gap);
	if (have_waivers)
		waiver_set_release(&waivers);
	if (have_baseline)
		baseline_release(&baseline);
	finding_list_release(&findings);
	suppressed_list_release(&suppressed);
	strbuf_release(&out);
	strbuf_release(&notes);
	return ret;
}

void findings_close(struct findings_run *run)
{
	if (run->have_engine)
		engine_release(&run->engine);
	jobs_free(run->jobs);
	if (run->have_history)
		history_release(&run->history);
	repo_free(run->repo);
	model_cache_release(&run->cache);
	abi_config_free(run->abi);
	policy_release(&run->policy);
	if (run->have_fams)
		families_release(&run->fams);
	for (size_t i = 0; i < run->nrefs; i++)
		free((char *)run->refs[i].name);
	free(run->refs);
}
