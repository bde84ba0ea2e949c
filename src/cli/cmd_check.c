/*
 * mtcheck check [REF]: the pre-tag and merge-request check of one stream.
 * Findings for the backports no release shipped yet (--all: every one;
 * --since BASE: only those BASE..REF brought), plus the stream's machines
 * against master and the newer streams.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_findings.h"
#include "cli/commands.h"
#include "util/error.h"
#include "repo/repo.h"
#include "util/xalloc.h"

struct check_args {
	const char *version; /* --stream X.Y */
	const char *since;
	int all;
	int force_stream; /* --force-stream: --stream wins over the name and VERSION */
};

static int run_check(int argc, char **argv, struct mt_options *opts);

const struct command command_check = {
	.name = "check",
	.run = run_check,
	.usage = "check [REF] [--stream X.Y] [--since BASE] [--all] [--fail-on LEVEL] "
		 "[--waivers FILE] [--baseline FILE] ...",
	.summary = "check a stable branch, its queue or a merge request before tagging or merging",
	.help = "REF defaults to the current branch: stable-X.Y, staging-X.Y or any commit.\n"
		"  --stream X.Y             the stream REF belongs to, when neither its name\n"
		"                           nor its VERSION file says (it must agree with them)\n"
		"  --force-stream           take --stream even when the name or VERSION disagrees\n"
		"  --since BASE             only findings caused by commits in BASE..REF (CI)\n"
		"  --all                    every backport of the stream, not only those\n"
		"                           since its newest release tag\n" FINDINGS_HELP,
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON | MT_FORMAT_SARIF | MT_FORMAT_CODEQUALITY |
		   MT_FORMAT_MARKDOWN,
};

struct check_text {
	const struct mt_stream *stream;
	const char *ref; /* as the user wrote it (HEAD, origin/stable-X.Y) */
	const struct check_args *args;
	const struct engine *engine;
};

static void check_text(struct strbuf *out, const struct report *r, void *payload)
{
	const struct check_text *ct = payload;
	const struct mt_stream *s = ct->stream;
	size_t i, others = 0;

	strbuf_addf(out, "checking %s (stream %d.%d, base %s): ", ct->ref, s->major, s->minor,
		    s->base_name ? s->base_name : "merge-base with master");
	if (ct->args->since)
		strbuf_addf(out, "commits since %s", ct->args->since);
	else if (ct->args->all || !s->newest)
		strbuf_addstr(out, "every backport");
	else
		strbuf_addf(out, "backports since %s", s->newest->name);
	strbuf_addstr(out, "; machines against ");
	strbuf_addstr(out, ct->engine->master ? "master" : "no master");
	for (i = 0; i < ct->engine->nstreams; i++) {
		const struct engine_stream *o = &ct->engine->streams[i];

		if (!o->report && o->maintained &&
		    (o->stream.major > s->major ||
		     (o->stream.major == s->major && o->stream.minor > s->minor)))
			strbuf_addf(out, "%s%s", others++ ? ", " : " and ", o->stream.name);
	}
	strbuf_addstr(out, "\n");
	report_text(out, r);
}

/*
 * A shallow or master-less clone (a CI job's) cannot answer everything:
 * the command that fetches what is missing, for the error or the note.
 */
static void setup_hint(struct strbuf *out, const char *ref, const struct mt_stream *stream,
		       const char *version)
{
	strbuf_reset(out);
	strbuf_addf(out, "mtcheck ci-setup %s", ref ? ref : "HEAD");
	if (stream)
		strbuf_addf(out, " --stream %d.%d", stream->major, stream->minor);
	else if (version)
		strbuf_addf(out, " --stream %s", version);
}

static int run_check(int argc, char **argv, struct mt_options *opts)
{
	struct findings_run run;
	struct check_args args;
	struct mt_stream stream;
	struct mt_oid since;
	const struct mt_oid *config;
	const char *config_label;
	struct check_text ct;
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	char *branch = NULL;
	struct strbuf hint = STRBUF_INIT, title = STRBUF_INIT;
	const char *ref = NULL;
	int npos = 0, ret = MT_EXIT_ERROR;
	bool have_stream = false;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.version },
		{ "force-stream", 0, CLI_FLAG, &args.force_stream },
		{ "since", 0, CLI_STRING, &args.since },
		{ "all", 0, CLI_FLAG, &args.all },
		FINDINGS_OPTIONS(run.args),
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&run, 0, sizeof(run));
	memset(&args, 0, sizeof(args));
	if (cli_parse(opts, &command_check, options, argc, argv, pos, &npos) < 0)
		goto fail;
	if (npos > 1) {
		mt_error_set("check: expected at most one REF (see 'mtcheck help check')");
		goto fail;
	}
	if (args.since && args.all) {
		mt_error_set("check: --since and --all exclude each other");
		goto fail;
	}
	if (findings_open(&run, opts) < 0)
		goto fail;
	ref = npos ? pos[0] : NULL;
	if (!ref) {
		/*
		 * A detached HEAD (a CI job's checkout of a merge request) is
		 * checked as the stream its VERSION or --stream says.
		 */
		ref = repo_head_branch(&branch, run.repo) < 0 ? "HEAD" : branch;
	}
	if (history_stream_forced(&stream, &run.history, ref, args.version, args.force_stream) < 0)
		goto fail;
	have_stream = true;
	findings_add_ref(&run, "checked", ref, &stream.tip);
	if (args.since) {
		if (repo_resolve_commit(&since, run.repo, args.since) < 0) {
			mt_error_prefix("--since");
			goto fail;
		}
		findings_add_ref(&run, "since", args.since, &since);
	}
	/*
	 * The policy comes from a trusted ref: --config-from, else the merge
	 * request's base (--since), never from the commits being checked; only
	 * a plain check of a branch reads it at the branch itself.
	 */
	if (findings_config_commit(&run, &config, &config_label,
				   args.since ? &since : &stream.tip,
				   args.since ? args.since : ref) < 0 ||
	    findings_policy(&run, config, config_label) < 0)
		goto fail;
	setup_hint(&hint, npos ? pos[0] : NULL, &stream, args.version);
	run.setup_hint = hint.buf;
	strbuf_addf(&title, "check %s", stream.name);
	run.title = title.buf;
	run.branch = ref;
	run.revision = stream.tip;
	run.has_revision = true;
	if (findings_add_checked(&run, &stream) < 0)
		goto fail;
	if (engine_set_scope(&run.engine,
			     args.since ? ENGINE_SCOPE_SINCE
			     : args.all ? ENGINE_SCOPE_ALL : ENGINE_SCOPE_UNRELEASED,
			     args.since ? &since : NULL) < 0)
		goto fail;
	ct.stream = &stream;
	ct.ref = ref;
	ct.args = &args;
	ct.engine = &run.engine;
	ret = findings_report(&run, opts, check_text, &ct);
	if (ret < 0)
		goto fail;
	goto out;
fail:
	progress_done(&run.progress);
	if (run.repo && (repo_is_shallow(run.repo) || (run.have_history && !run.history.has_master))) {
		/* Most likely a CI clone: name the one command that fixes it. */
		char *why = xstrdup(mt_error_last());

		setup_hint(&hint, npos ? pos[0] : NULL, have_stream ? &stream : NULL, args.version);
		mt_error_set("%s; in a %s clone, run first: %s", why,
			     repo_is_shallow(run.repo) ? "shallow" : "master-less", hint.buf);
		free(why);
	}
	ret = cli_fail();
out:
	strbuf_release(&hint);
	strbuf_release(&title);
	if (have_stream)
		stream_release(&stream);
	findings_close(&run);
	free(branch);
	free(pos);
	return ret;
}
