/*
 * mtcheck assess COMMIT [--stream STREAM] [--onto REF]: before cherry-picking
 * an upstream commit, what would `check` say of its backport, and what does
 * the policy then ask for? Each stream gets the engine `check` runs, over
 * the stream with the commit cherry-picked (in memory) onto its tip.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_findings.h"
#include "cli/commands.h"
#include "engine/assess.h"
#include "report/report_json.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct assess_args {
	const char *stream; /* --stream: one stream; default every maintained stream */
	const char *onto;   /* --onto: the stream as it stood at REF */
};

static const char *match_name(const struct stream_verdict *v)
{
	return v->match == MATCH_NONE ? "ancestor" : backport_match_name(v->match);
}

static void text_evidence(struct strbuf *out, const struct stream_verdict *v)
{
	size_t i;

	for (i = 0; i < v->evidence.count; i++) {
		const struct abi_evidence *e = &v->evidence.items[i];
		char *note = assess_evidence_note(e, &v->stream);

		strbuf_addf(out, "    %-10s %s %s:%d: %s\n", abi_strength_name(e->strength), e->signal,
			    e->path, e->line, e->detail);
		if (note)
			strbuf_addf(out, "               (%s)\n", note);
		free(note);
	}
}

static void text_verdict(struct strbuf *out, const struct stream_verdict *v, bool color)
{
	char hex[13];
	size_t i;

	strbuf_addf(out, "\n%s: ", v->stream.name);
	if (v->contains) {
		oid_to_short(hex, 12, &v->stream_commit);
		if (v->match == MATCH_NONE)
			strbuf_addf(out, "already contains %s\n", hex);
		else
			strbuf_addf(out, "already there as %s %s (%s)\n", hex, v->stream_subject,
				    match_name(v));
		return;
	}
	oid_to_short(hex, 12, &v->stream.tip);
	strbuf_addf(out, "cherry-picked onto %s, check would report %zu finding%s\n", hex,
		    v->findings.nr, v->findings.nr == 1 ? "" : "s");
	for (i = 0; i < v->pick.ndropped; i++)
		strbuf_addf(out, "  %s: did not apply cleanly; its lines were placed by matching lines\n",
			    v->pick.dropped[i]);
	for (i = 0; i < v->findings.nr; i++)
		report_text_finding(out, &v->findings.items[i], color, NULL);
	if (v->evidence.count) {
		strbuf_addstr(out, "  evidence:\n");
		text_evidence(out, v);
	}
	for (i = 0; i < v->nrequires; i++)
		strbuf_addf(out, "  - %s\n", v->requires[i]);
	if (!v->findings.nr)
		strbuf_addstr(out, "  no finding: nothing for the policy to ask\n");
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_text(v[i]));
	return arr;
}

static json_t *oid_json(const struct mt_oid *oid)
{
	char hex[MT_OID_HEXSZ + 1];

	oid_to_hex(hex, oid);
	return json_string(hex);
}

static json_t *verdict_json(const struct stream_verdict *v)
{
	json_t *o = json_object(), *ev = json_array(), *findings = json_array(),
	       *affected = json_array();
	size_t i;

	json_object_set_new(o, "stream", json_text(v->stream.name));
	json_object_set_new(o, "tip", oid_json(&v->stream.tip));
	json_object_set_new(o, "contains", json_boolean(v->contains));
	json_object_set_new(o, "stream_commit", v->contains ? oid_json(&v->stream_commit)
							     : json_null());
	json_object_set_new(o, "match", v->contains ? json_string(match_name(v)) : json_null());
	json_object_set_new(o, "dropped", strings_json(v->pick.dropped, v->pick.ndropped));
	for (i = 0; i < v->evidence.count; i++) {
		const struct abi_evidence *e = &v->evidence.items[i];
		char *note = assess_evidence_note(e, &v->stream);

		json_array_append_new(ev, json_pack("{s:s, s:s, s:o, s:i, s:o, s:o}", "signal",
						    e->signal, "strength",
						    abi_strength_name(e->strength), "path",
						    json_text(e->path), "line", e->line, "detail",
						    json_text(e->detail), "note",
						    note ? json_text(note) : json_null()));
		free(note);
	}
	json_object_set_new(o, "evidence", ev);
	for (i = 0; i < v->findings.nr; i++)
		json_array_append_new(findings, report_json_finding(&v->findings.items[i]));
	json_object_set_new(o, "findings", findings);
	for (i = 0; i < v->affected.n; i++)
		json_array_append_new(affected, json_text(v->affected.v[i].name));
	json_object_set_new(o, "affected", affected);
	json_object_set_new(o, "bugfix", strings_json(v->bugfix, v->nbugfix));
	json_object_set_new(o, "requires", strings_json(v->requires, v->nrequires));
	return o;
}

static int run_assess(int argc, char **argv, struct mt_options *opts);

const struct command command_assess = {
	.name = "assess",
	.run = run_assess,
	.usage = "assess COMMIT [--stream STREAM] [--onto REF] [--master REF] [--fail-on LEVEL] ...",
	.summary = "before a backport: what check would say of it, and what the policy asks",
	.help = "  --stream STREAM          assess for this stream only (default: every\n"
		"                           maintained stream)\n"
		"  --onto REF               the stream as it stood at REF (a queue, an older\n"
		"                           point of the branch); needs --stream\n" FINDINGS_HELP
		"Exit status 1 when check would report a finding at or above --fail-on.\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON,
};

/* The streams to assess: --stream (at --onto), else every maintained one. */
static int pick_streams(struct mt_stream **out, size_t *n, struct findings_run *run,
			const struct assess_args *args)
{
	struct mt_stream *v;
	size_t i;

	*out = NULL;
	*n = 0;
	if (args->stream) {
		v = xcalloc(1, sizeof(*v));
		if (history_stream(v, &run->history, args->stream, NULL) < 0) {
			free(v);
			return MT_ERROR;
		}
		if (args->onto && repo_resolve_commit(&v->tip, run->repo, args->onto) < 0) {
			stream_release(v);
			free(v);
			mt_error_prefix("--onto");
			return MT_ERROR;
		}
		*out = v;
		*n = 1;
		return MT_OK;
	}
	v = xcalloc(run->history.nstreams + 1, sizeof(*v));
	for (i = 0; i < run->history.nstreams; i++) {
		const struct mt_stream *s = &run->history.streams[i];

		if (s->kind == STREAM_STABLE && engine_stream_maintained(&run->policy, &run->history, s))
			v[(*n)++] = *s;
	}
	if (!*n) {
		fprintf(stderr, "mtcheck: assess: no stream is maintained (a release within the "
				"window of the newest); assessing every stable stream\n");
		for (i = 0; i < run->history.nstreams; i++) {
			if (run->history.streams[i].kind == STREAM_STABLE)
				v[(*n)++] = run->history.streams[i];
		}
	}
	*out = v;
	return MT_OK;
}

/* check's engine over the stream with the pick as its newest backport. */
static int assess_one(struct stream_verdict *v, struct findings_run *run,
		      const struct mt_options *opts, const struct mt_stream *stream,
		      const struct mt_oid *commit)
{
	struct finding_list all;
	int ret = MT_ERROR;

	finding_list_init(&all);
	if (assess_stream_start(v, &run->history, stream, commit) < 0)
		goto out;
	if (v->contains) {
		ret = MT_OK;
		goto out;
	}
	if (findings_policy_reload(run, opts) < 0 ||
	    findings_policy(run, &v->stream.tip, v->stream.name) < 0 ||
	    findings_add_checked(run, &v->picked) < 0 ||
	    engine_set_scope(&run->engine, ENGINE_SCOPE_ALL, NULL) < 0 ||
	    engine_prepare(&run->engine) < 0 || engine_run(&all, &run->engine) < 0 ||
	    assess_stream_finish(v, &run->engine, &all) < 0)
		goto out;
	ret = MT_OK;
out:
	findings_engine_close(run);
	finding_list_release(&all);
	return ret;
}

static int run_assess(int argc, char **argv, struct mt_options *opts)
{
	struct findings_run run;
	struct assess_args args;
	struct stream_verdict *verdicts = NULL;
	struct mt_stream *streams = NULL;
	struct mt_oid commit;
	struct mt_commit_info info;
	struct strbuf out = STRBUF_INIT;
	json_t *root = NULL, *jstreams = NULL;
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	char hex[MT_OID_HEXSZ + 1];
	size_t nstreams = 0, nverdicts = 0, i;
	int npos = 0, ret, status = MT_EXIT_OK;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.stream },
		{ "onto", 0, CLI_STRING, &args.onto },
		FINDINGS_OPTIONS(run.args),
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&run, 0, sizeof(run));
	memset(&args, 0, sizeof(args));
	if (cli_parse(opts, &command_assess, options, argc, argv, pos, &npos) < 0)
		goto fail;
	if (npos != 1) {
		mt_error_set("assess: expected one COMMIT (see 'mtcheck help assess')");
		goto fail;
	}
	if (args.onto && !args.stream) {
		mt_error_set("assess: --onto needs --stream (the stream REF is a point of)");
		goto fail;
	}
	if (findings_open(&run, opts) < 0)
		goto fail;
	if (repo_resolve_commit(&commit, run.repo, pos[0]) < 0 ||
	    repo_commit_info(&info, run.repo, &commit) < 0)
		goto fail;
	oid_to_hex(hex, &commit);
	if (opts->format == MT_FORMAT_JSON) {
		root = json_object();
		jstreams = json_array();
		json_object_set_new(root, "commit", json_string(hex));
		json_object_set_new(root, "subject", json_text(info.subject));
	} else {
		strbuf_addf(&out, "%.12s %s\n", hex, info.subject);
		fwrite(out.buf, 1, out.len, stdout);
		strbuf_reset(&out);
	}
	commit_info_release(&info);
	if (pick_streams(&streams, &nstreams, &run, &args) < 0)
		goto fail;
	verdicts = xcalloc(nstreams + 1, sizeof(*verdicts));
	for (i = 0; i < nstreams; i++) {
		struct stream_verdict *v = &verdicts[nverdicts++];

		if (assess_one(v, &run, opts, &streams[i], &commit) < 0)
			goto fail;
		if (report_exit_status(&v->findings, run.fail_on) != MT_EXIT_OK)
			status = MT_EXIT_FINDINGS;
		if (jstreams) {
			json_array_append_new(jstreams, verdict_json(v));
		} else {
			/* Stream by stream as each is done: a long run shows it is working. */
			text_verdict(&out, v, cli_use_color(opts, stdout));
			fwrite(out.buf, 1, out.len, stdout);
			fflush(stdout);
			strbuf_reset(&out);
		}
	}
	if (root) {
		json_object_set_new(root, "streams", jstreams);
		jstreams = NULL;
		json_dump_to(&out, root);
		root = NULL;
		fwrite(out.buf, 1, out.len, stdout);
	}
	ret = status;
	goto out;
fail:
	ret = cli_fail();
out:
	for (i = 0; i < nverdicts; i++)
		stream_verdict_release(&verdicts[i]);
	free(verdicts);
	if (streams && args.stream)
		stream_release(&streams[0]);
	free(streams);
	json_decref(jstreams);
	json_decref(root);
	strbuf_release(&out);
	findings_close(&run);
	free(pos);
	return ret;
}
