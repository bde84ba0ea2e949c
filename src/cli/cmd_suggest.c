/*
 * mtcheck suggest [REF] [--stream X.Y] [--finding FINGERPRINT] [--micro Z]
 * [--output-dir DIR]: for each ABI001 finding `check` reports on the stream
 * (or the one selected), the plan a maintainer follows: which bugfix
 * machines in which branches, in the family's syntax of the tree's era, and
 * which compat entries; or, where the policy allows no bugfix machine, what
 * to revert. With --output-dir, the same as a patch series in `git
 * format-patch` form, one patch per branch (engine/suggest.h writes the
 * changes, report/report_patch.h the mails; this file only files them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_findings.h"
#include "cli/commands.h"
#include "engine/suggest.h"
#include "repo/repo.h"
#include "report/report_patch.h"
#include "util/error.h"
#include "util/mtcheck_version.h"
#include "util/outfile.h"
#include "util/xalloc.h"

struct suggest_args {
	const char *version; /* --stream X.Y */
	const char *finding; /* --finding FINGERPRINT */
	const char *micro;
	const char *output_dir; /* --output-dir DIR */
	const char *from;       /* --from "Name <email>" */
	int all;
};

static int run_suggest(int argc, char **argv, struct mt_options *opts);

const struct command command_suggest = {
	.name = "suggest",
	.run = run_suggest,
	.usage = "suggest [REF] [--stream X.Y] [--finding FINGERPRINT] [--micro Z] [--all]\n"
		 "               [--output-dir DIR [--from \"NAME <EMAIL>\"]]",
	.summary = "the bugfix machines (or reverts) an ABI001 finding asks for, as a plan "
		   "or patches",
	.help = "REF defaults to the current branch, as for check.\n"
		"  --stream X.Y             the stream REF belongs to (as for check)\n"
		"  --finding FINGERPRINT    only this finding (its fingerprint, as --format json\n"
		"                           writes it)\n"
		"  --micro Z                the bugfix machines' micro (default: the stream's\n"
		"                           next release)\n"
		"  --all                    every backport of the stream, not only those since\n"
		"                           its newest release tag\n"
		"  --output-dir DIR         also write the series as patches in git format-patch\n"
		"                           form (git am applies each to its branch); DIR is\n"
		"                           made if missing; with several findings, one\n"
		"                           subdirectory per backport (its short id)\n"
		"  --from \"NAME <EMAIL>\"    the patches' author (default: mtcheck\n"
		"                           <mtcheck@localhost>)\n"
		"Exit status 0 (a plan is not a verdict; check gives that).\n",
	.formats = MT_FORMAT_TEXT,
};

static int parse_micro(int *out, const char *text)
{
	char *end;
	long v;

	*out = -1;
	if (!text)
		return MT_OK;
	v = strtol(text, &end, 10);
	if (end == text || *end || v < 1 || v > 99)
		return mt_error_set("--micro: '%s' is not a number from 1 to 99", text);
	*out = (int)v;
	return MT_OK;
}

/* DIR, made when missing (its parent must exist); an existing non-directory is refused. */
static int make_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0777) == 0)
		return MT_OK;
	if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return MT_OK;
	return mt_error_set("--output-dir: %s: %s", dir,
			    errno == EEXIST ? "not a directory" : strerror(errno));
}

/* Writes the series into dir as 0001-*.patch, ...; prints each file's name. */
static int write_series(const struct suggest_series *series, const char *dir, const char *from)
{
	struct strbuf path = STRBUF_INIT, mail = STRBUF_INIT;
	size_t i;
	/* a finding that asks for no patch leaves no empty directory */
	int ret = series->n ? make_dir(dir) : MT_OK;

	for (i = 0; i < series->n && ret == MT_OK; i++) {
		const struct suggest_patch *p = &series->v[i];
		struct patch_mail m = {
			.from = from ? from : "mtcheck <mtcheck@localhost>",
			.time = series->time,
			.subject = p->subject,
			.body = p->body.buf,
			.diff = p->diff.buf,
			.version = MTCHECK_VERSION,
		};

		strbuf_reset(&path);
		strbuf_reset(&mail);
		strbuf_addf(&path, "%s/", dir);
		report_patch_filename(&path, p->subject, i + 1);
		report_patch_format(&mail, &m, i + 1, series->n);
		ret = outfile_write_all(path.buf, mail.buf, mail.len);
		if (ret == MT_OK)
			printf("  wrote %s (for %s)\n", path.buf, p->branch);
	}
	if (ret == MT_OK && series->notes.len) {
		const char *line = series->notes.buf, *nl;

		/* what a person must finish, also in the patches' messages */
		while ((nl = strchr(line, '\n'))) {
			printf("  note: %.*s\n", (int)(nl - line), line);
			line = nl + 1;
		}
	}
	strbuf_release(&path);
	strbuf_release(&mail);
	return ret;
}

/* The ABI001 findings of the stream that suggest answers (all, or the one asked for). */
static bool wanted(const struct finding *f, const struct mt_stream *stream, const char *only)
{
	char fp[FINDING_FINGERPRINT_SIZE];

	finding_fingerprint(fp, f);
	return !strcmp(f->rule, "ABI001") && f->stream && !strcmp(f->stream, stream->name) &&
	       (!only || !strcmp(only, fp));
}

static int run_suggest(int argc, char **argv, struct mt_options *opts)
{
	struct findings_run run;
	struct suggest_args args;
	struct mt_stream stream;
	struct finding_list findings;
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	char *branch = NULL;
	const char *ref;
	int npos = 0, ret = MT_EXIT_ERROR, micro;
	bool have_stream = false;
	size_t i, planned = 0, nwanted = 0;
	struct strbuf dir = STRBUF_INIT;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.version },
		{ "finding", 0, CLI_STRING, &args.finding },
		{ "micro", 0, CLI_STRING, &args.micro },
		{ "all", 0, CLI_FLAG, &args.all },
		{ "output-dir", 0, CLI_STRING, &args.output_dir },
		{ "from", 0, CLI_STRING, &args.from },
		{ "master", 0, CLI_STRING, &run.args.master },
		{ "jobs", 'j', CLI_STRING, &run.args.jobs },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&run, 0, sizeof(run));
	memset(&args, 0, sizeof(args));
	finding_list_init(&findings);
	if (cli_parse(opts, &command_suggest, options, argc, argv, pos, &npos) < 0 ||
	    parse_micro(&micro, args.micro) < 0)
		goto fail;
	if (npos > 1) {
		mt_error_set("suggest: expected at most one REF (see 'mtcheck help suggest')");
		goto fail;
	}
	if (findings_open(&run, opts) < 0)
		goto fail;
	ref = npos ? pos[0] : NULL;
	if (!ref) /* detached: the stream VERSION or --stream says, as for check */
		ref = repo_head_branch(&branch, run.repo) < 0 ? "HEAD" : branch;
	if (history_stream(&stream, &run.history, ref, args.version) < 0)
		goto fail;
	have_stream = true;
	if (findings_policy(&run, &stream.tip, ref) < 0 || findings_add_checked(&run, &stream) < 0 ||
	    engine_set_scope(&run.engine, args.all ? ENGINE_SCOPE_ALL : ENGINE_SCOPE_UNRELEASED,
			     NULL) < 0 ||
	    engine_prepare(&run.engine) < 0 || engine_run(&findings, &run.engine) < 0)
		goto fail;
	for (i = 0; i < findings.nr; i++)
		nwanted += wanted(&findings.items[i], &stream, args.finding);
	if (args.output_dir && nwanted > 1 && make_dir(args.output_dir) < 0)
		goto fail;
	for (i = 0; i < findings.nr; i++) {
		const struct finding *f = &findings.items[i];
		char fp[FINDING_FINGERPRINT_SIZE];
		struct suggest_plan plan;
		struct suggest_series series;

		if (!wanted(f, &stream, args.finding))
			continue;
		finding_fingerprint(fp, f);
		if (suggest_plan(&plan, &run.engine, f, micro) < 0)
			goto fail;
		printf("%s%s  finding %s\n", planned ? "\n" : "", plan.text.buf, fp);
		suggest_plan_release(&plan);
		planned++;
		if (!args.output_dir)
			continue;
		if (suggest_series(&series, &run.engine, f, micro) < 0) {
			suggest_series_release(&series);
			goto fail;
		}
		strbuf_reset(&dir);
		strbuf_addstr(&dir, args.output_dir);
		if (nwanted > 1)
			strbuf_addf(&dir, "/%s", series.backport);
		if (write_series(&series, dir.buf, args.from) < 0) {
			suggest_series_release(&series);
			goto fail;
		}
		suggest_series_release(&series);
	}
	if (args.finding && !planned) {
		mt_error_set("suggest: no ABI001 finding of %s has the fingerprint %s", stream.name,
			     args.finding);
		goto fail;
	}
	if (!planned)
		printf("%s: no ABI001 finding: nothing to suggest\n", stream.name);
	ret = MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	finding_list_release(&findings);
	if (have_stream)
		stream_release(&stream);
	findings_close(&run);
	free(branch);
	free(pos);
	strbuf_release(&dir);
	return ret;
}
