/*
 * mtcheck suggest [REF] [--stream X.Y] [--finding FINGERPRINT] [--micro Z]:
 * for each ABI001 finding `check` reports on the stream (or the one
 * selected), the plan a maintainer follows: which bugfix machines in which
 * branches, in the family's syntax of the tree's era, and which compat
 * entries; or, where the policy allows no bugfix machine, what to revert.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_findings.h"
#include "cli/commands.h"
#include "engine/suggest.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/xalloc.h"

struct suggest_args {
	const char *version; /* --stream X.Y */
	const char *finding; /* --finding FINGERPRINT */
	const char *micro;
	int all;
};

static int run_suggest(int argc, char **argv, struct mt_options *opts);

const struct command command_suggest = {
	.name = "suggest",
	.run = run_suggest,
	.usage = "suggest [REF] [--stream X.Y] [--finding FINGERPRINT] [--micro Z] [--all]",
	.summary = "the bugfix machines (or reverts) an ABI001 finding asks for, as a plan",
	.help = "REF defaults to the current branch, as for check.\n"
		"  --stream X.Y             the stream REF belongs to (as for check)\n"
		"  --finding FINGERPRINT    only this finding (its fingerprint, as --format json\n"
		"                           writes it)\n"
		"  --micro Z                the bugfix machines' micro (default: the stream's\n"
		"                           next release)\n"
		"  --all                    every backport of the stream, not only those since\n"
		"                           its newest release tag\n"
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
	size_t i, planned = 0;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.version },
		{ "finding", 0, CLI_STRING, &args.finding },
		{ "micro", 0, CLI_STRING, &args.micro },
		{ "all", 0, CLI_FLAG, &args.all },
		{ "master", 0, CLI_STRING, &run.args.master },
		{ "jobs", 'j', CLI_STRING, &run.args.jobs },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&run, 0, sizeof(run));
	memset(&args, 0, sizeof(args));
	finding_list_init(&findings);
	if (cli_parse(opts, &command_suggest, options, argc, argv, pos, &npos) < 0 ||
	    cli_check_format(opts, &command_suggest) < 0 || parse_micro(&micro, args.micro) < 0)
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
	for (i = 0; i < findings.nr; i++) {
		const struct finding *f = &findings.items[i];
		char fp[FINDING_FINGERPRINT_SIZE];
		struct suggest_plan plan;

		finding_fingerprint(fp, f);
		if (strcmp(f->rule, "ABI001") || !f->stream || strcmp(f->stream, stream.name) ||
		    (args.finding && strcmp(args.finding, fp)))
			continue;
		if (suggest_plan(&plan, &run.engine, f, micro) < 0)
			goto fail;
		printf("%s%s  finding %s\n", planned ? "\n" : "", plan.text.buf, fp);
		suggest_plan_release(&plan);
		planned++;
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
	return ret;
}
