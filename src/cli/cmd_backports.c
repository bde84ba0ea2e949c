/* mtcheck backports STREAM: what went into a stream, where it came from, what shipped it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
#include "engine/engine.h"
#include "report/report.h"
#include "report/report_json.h"
#include "policy/policy.h"
#include "jobs/jobs.h"
#include "cli/commands.h"
#include "util/error.h"
#include "machines/families.h"
#include "history/history.h"
#include "util/jsontext.h"
#include "repo/repo.h"
#include "util/rulesdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct backports_args {
	const char *stream;
	const char *since;
	const char *master;
	const char *version; /* --stream X.Y */
	int force_stream;    /* --force-stream */
	int include_staging;
	struct mt_oid since_oid;
};

/*
 * The engine over the one stream, as audit runs it: the backports' evidence
 * and ABI001's verdict on each come from the code that reports findings.
 */
struct backports_engine {
	struct families fams;
	struct abi_config *abi;
	struct policy policy;
	struct model_cache cache;
	struct jobs *jobs;
	struct engine engine;
	const struct engine_stream *stream; /* the one stream, after engine_prepare */
	bool have_fams, have_policy, have_engine;
};

static void backports_engine_release(struct backports_engine *be)
{
	if (be->have_engine)
		engine_release(&be->engine);
	jobs_free(be->jobs);
	model_cache_release(&be->cache);
	if (be->have_policy)
		policy_release(&be->policy);
	abi_config_free(be->abi);
	if (be->have_fams)
		families_release(&be->fams);
}

/*
 * Classifies every backport with its upstream commit and upstream's
 * follow-ups of it, attributes expected ACPI tables to the commits of their
 * series, and sees which machines each introduced. The policy is the one
 * audit applies: the built-in rules and .mtcheck.json as master has it. A
 * commit whose objects cannot be read is reported and the rest are still
 * classified: one missing blob must not hide the other backports.
 */
static int backports_engine_run(struct backports_engine *be, struct mt_history *h,
				const struct mt_options *opts, const struct mt_stream *stream)
{
	struct strbuf dir = STRBUF_INIT;
	struct engine_input in;
	int ret = MT_ERROR;

	memset(be, 0, sizeof(*be));
	model_cache_init(&be->cache);
	policy_init(&be->policy);
	be->have_policy = true;
	if (cli_rules_dir(&dir, opts) < 0 || families_load(&be->fams, dir.buf) < 0)
		goto out;
	be->have_fams = true;
	if (abi_config_load_dir(&be->abi, dir.buf) < 0 || policy_load(&be->policy, dir.buf) < 0)
		goto out;
	if (h->has_master &&
	    policy_apply_repo_config(&be->policy, h->repo, &h->master, h->master_name) < 0)
		goto out;
	/* Two backports of one upstream commit (a fix and its follow-up) classify it once. */
	jobs_start(&be->jobs, h->repo, be->abi, &be->fams, 0);
	memset(&in, 0, sizeof(in));
	in.repo = h->repo;
	in.history = h;
	in.policy = &be->policy;
	in.fams = &be->fams;
	in.abi = be->abi;
	in.cache = &be->cache;
	in.jobs = be->jobs;
	engine_init(&be->engine, &in);
	be->have_engine = true;
	if (engine_add_stream(&be->engine, stream, true, true) < 0 ||
	    engine_prepare(&be->engine) < 0)
		goto out;
	be->stream = &be->engine.streams[0];
	ret = MT_OK;
out:
	strbuf_release(&dir);
	return ret;
}

/* The verdict line: the finding audit reports about the backport, or why there is none. */
static void print_verdict(FILE *out, const struct engine_verdict *v)
{
	size_t i;

	for (i = 0; i < v->findings.nr; i++) {
		const struct finding *f = &v->findings.items[i];

		fprintf(out, "    verdict: %s %s: %s\n", f->rule, severity_name(f->severity),
			f->message);
	}
	if (!v->findings.nr)
		fprintf(out, "    verdict: no finding: %s\n", v->reason.buf);
}

static int print_text(FILE *out, const struct mt_stream *s, const struct mt_backports *list,
		      struct backports_engine *be, const struct backports_args *args)
{
	const struct engine_backport *b;
	struct engine_verdict v;
	char a[13], c[13];
	size_t i, j, width = 1;

	if (s->base_is_merge_base)
		fprintf(out, "%s: base %s (merge-base with master: no v%d.%d.0 tag), tip %s, ",
			s->name, oid_short(a, &s->base), s->major, s->minor, oid_short(c, &s->tip));
	else
		fprintf(out, "%s: base %s (%s), tip %s, ", s->name, s->base_name,
			oid_short(a, &s->base), oid_short(c, &s->tip));
	if (args->since)
		fprintf(out, "%zu of %zu backport%s since %s\n", list->count, list->total,
			list->total == 1 ? "" : "s", args->since);
	else
		fprintf(out, "%zu backport%s\n", list->count, list->count == 1 ? "" : "s");

	for (i = 0; i < list->count; i++) {
		const struct mt_release *r = list->items[i].release;
		if (r && strlen(r->name) > width)
			width = strlen(r->name);
	}
	for (i = 0; i < list->count; i++) {
		const struct mt_backport *bp = &list->items[i];

		fprintf(out, "%s  %-*s  %-12s %-8s  %s", oid_short(a, &bp->commit), (int)width,
			bp->release ? bp->release->name : "-",
			bp->has_upstream ? oid_short(c, &bp->upstream) : "-",
			backport_match_name(bp->match), bp->subject);
		if (bp->merge)
			fputs("  [merge]", out);
		if (bp->version_bump)
			fputs("  [version]", out);
		if (bp->has_upstream && !bp->upstream_in_master)
			fputs("  [upstream not in master]", out);
		if (bp->reverts_in_stream)
			fprintf(out, "  [reverts %s]", oid_short(a, &bp->reverts));
		if (bp->has_reverted_by)
			fprintf(out, "  [reverted by %s]", oid_short(a, &bp->reverted_by));
		fputc('\n', out);
		for (j = 0; j < bp->nnotes; j++)
			fprintf(out, "    note: %s\n", bp->notes[j]);
		b = stream_backport(be->stream, &bp->commit);
		if (!b)
			return mt_error_set("backports: %s: not among the stream's backports",
					    oid_short(a, &bp->commit));
		for (j = 0; j < b->evidence.count; j++) {
			const struct abi_evidence *e = &b->evidence.items[j];

			fprintf(out, "    %-10s %s %s:%d: %s\n", abi_strength_name(e->strength),
				e->signal, e->path, e->line, e->detail);
		}
		if (b->error)
			fprintf(out, "    error: %s\n", b->error);
		/* Commits without evidence say nothing more: their verdict is in the JSON. */
		engine_verdict_init(&v);
		if (engine_abi001_verdict(&v, &be->engine, be->stream, b) < 0) {
			engine_verdict_release(&v);
			return MT_ERROR;
		}
		if (b->evidence.count || v.findings.nr)
			print_verdict(out, &v);
		engine_verdict_release(&v);
	}
	return MT_OK;
}

/* {"rule": "ABI001", "finding": {as in audit's findings} | null, "reason": "..." | null} */
static json_t *verdict_json(const struct engine_verdict *v)
{
	json_t *o = json_object();

	json_object_set_new(o, "rule", json_string("ABI001"));
	json_object_set_new(o, "finding", v->findings.nr ? report_json_finding(&v->findings.items[0])
							 : json_null());
	json_object_set_new(o, "reason", v->findings.nr ? json_null() : json_text(v->reason.buf));
	return o;
}

static json_t *backport_json(const struct mt_backport *bp, const struct abi_evidence_list *evidence,
			     const char *error, const struct engine_verdict *verdict)
{
	json_t *o = json_object(), *ev = json_array(), *origins = json_array(),
	       *notes = json_array();
	size_t i;

	json_object_set_new(o, "commit", json_oid_or_null(true, &bp->commit));
	json_object_set_new(o, "subject", json_text(bp->subject));
	json_object_set_new(o, "upstream", json_oid_or_null(bp->has_upstream, &bp->upstream));
	json_object_set_new(o, "match", json_string(backport_match_name(bp->match)));
	json_object_set_new(o, "upstream_in_master",
			    bp->has_upstream ? json_boolean(bp->upstream_in_master) : json_null());
	json_object_set_new(o, "release", bp->release ? json_string(bp->release->name) : json_null());
	json_object_set_new(o, "reverted_by",
			    json_oid_or_null(bp->has_reverted_by, &bp->reverted_by));
	for (i = 0; i < evidence->count; i++) {
		const struct abi_evidence *e = &evidence->items[i];
		json_array_append_new(ev, json_pack("{s:s, s:o, s:i, s:o, s:s}", "signal", e->signal,
						    "path", json_text(e->path), "line", e->line, "detail",
						    json_text(e->detail), "strength",
						    abi_strength_name(e->strength)));
	}
	json_object_set_new(o, "evidence", ev);
	json_object_set_new(o, "error", error ? json_text(error) : json_null());
	json_object_set_new(o, "verdict", verdict_json(verdict));
	/* Beyond the contract: what the trailers said and why a match is missing. */
	json_object_set_new(o, "reverts", json_oid_or_null(bp->has_reverts, &bp->reverts));
	json_object_set_new(o, "merge", json_boolean(bp->merge));
	json_object_set_new(o, "version_bump", json_boolean(bp->version_bump));
	for (i = 0; i < bp->norigins; i++) {
		const struct mt_origin *og = &bp->origins[i];
		json_array_append_new(origins, json_pack("{s:s, s:s, s:o, s:b}", "trailer",
							 trailer_kind_name(og->kind), "written", og->hex,
							 "commit", json_oid_or_null(og->exists, &og->oid),
							 "in_master", og->in_master));
	}
	json_object_set_new(o, "origins", origins);
	for (i = 0; i < bp->nnotes; i++)
		json_array_append_new(notes, json_text(bp->notes[i]));
	json_object_set_new(o, "notes", notes);
	return o;
}

static int print_json(FILE *out, const struct mt_stream *s, const struct mt_backports *list,
		      struct backports_engine *be, const struct backports_args *args)
{
	json_t *root = json_object(), *items = json_array();
	struct strbuf text = STRBUF_INIT;
	char hex[13];
	size_t i;

	json_object_set_new(root, "stream", json_text(s->name));
	json_object_set_new(root, "base", s->base_name ? json_string(s->base_name)
						       : json_oid_or_null(true, &s->base));
	json_object_set_new(root, "tip", json_oid_or_null(true, &s->tip));
	json_object_set_new(root, "backports", items);
	for (i = 0; i < list->count; i++) {
		const struct engine_backport *b = stream_backport(be->stream,
								  &list->items[i].commit);
		struct engine_verdict v;

		if (!b) {
			json_decref(root);
			return mt_error_set("backports: %s: not among the stream's backports",
					    oid_short(hex, &list->items[i].commit));
		}
		engine_verdict_init(&v);
		if (engine_abi001_verdict(&v, &be->engine, be->stream, b) < 0) {
			engine_verdict_release(&v);
			json_decref(root);
			return MT_ERROR;
		}
		json_array_append_new(items, backport_json(&list->items[i], &b->evidence, b->error,
							   &v));
		engine_verdict_release(&v);
	}
	json_object_set_new(root, "base_commit", json_oid_or_null(true, &s->base));
	json_object_set_new(root, "base_kind", json_string(s->base_is_merge_base ? "merge-base" : "tag"));
	json_object_set_new(root, "since", json_oid_or_null(args->since != NULL, &args->since_oid));
	json_object_set_new(root, "total", json_integer((json_int_t)list->total));
	json_dump_to(&text, root);
	fwrite(text.buf, 1, text.len, out);
	strbuf_release(&text);
	return MT_OK;
}

static int run_backports(int argc, char **argv, struct mt_options *opts);

const struct command command_backports = {
	.name = "backports",
	.run = run_backports,
	.usage = "backports STREAM [--since REF] [--master REF] [--stream X.Y] [--include-staging]",
	.summary = "list a stream's backports: release, upstream origin, reverts, guest-ABI evidence",
	.help = "  --since REF        only backports not reachable from REF\n"
		"  --master REF       the upstream branch (default: master, else origin/master)\n"
		"  --stream X.Y       the stream a ref or commit belongs to, when its name\n"
		"                     and VERSION do not say (it must agree with them)\n"
		"  --force-stream     take --stream even when the name or VERSION disagrees\n"
		"  --include-staging  accepted for symmetry with streams; STREAM may name a\n"
		"                     staging queue either way\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON,
};

static int run_backports(int argc, char **argv, struct mt_options *opts)
{
	struct backports_args args;
	struct history_options hopts;
	struct mt_repo *repo = NULL;
	struct mt_history history;
	struct mt_stream stream;
	struct mt_backports list;
	struct backports_engine be;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0, ret = MT_EXIT_ERROR;
	size_t i, failed = 0;
	bool have_history = false, have_stream = false, have_list = false, have_engine = false;
	const struct cli_option options[] = {
		{ "since", 0, CLI_STRING, &args.since },
		{ "master", 0, CLI_STRING, &args.master },
		{ "stream", 0, CLI_STRING, &args.version },
		{ "force-stream", 0, CLI_FLAG, &args.force_stream },
		{ "include-staging", 0, CLI_FLAG, &args.include_staging },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&args, 0, sizeof(args));
	if (!pos) {
		mt_error_set("out of memory");
		goto fail;
	}
	if (cli_parse(opts, &command_backports, options, argc, argv, pos, &npos) < 0)
		goto fail;
	if (npos != 1) {
		mt_error_set("backports: expected one STREAM (see 'mtcheck help backports')");
		goto fail;
	}
	args.stream = pos[0];
	if (repo_open(&repo, opts->repo_dir) < 0)
		goto fail;
	memset(&hopts, 0, sizeof(hopts));
	hopts.master = args.master;
	hopts.include_staging = args.include_staging;
	if (history_open(&history, repo, &hopts) < 0)
		goto fail;
	have_history = true;
	if (history_stream_forced(&stream, &history, args.stream, args.version,
				  args.force_stream) < 0)
		goto fail;
	have_stream = true;
	if (args.since && repo_resolve_commit(&args.since_oid, repo, args.since) < 0) {
		mt_error_prefix("--since");
		goto fail;
	}
	if (history_backports(&list, &history, &stream, args.since ? &args.since_oid : NULL) < 0)
		goto fail;
	have_list = true;
	/* The whole stream: a follow-up it took before --since still counts as taken. */
	have_engine = true;
	if (backports_engine_run(&be, &history, opts, &stream) < 0)
		goto fail;
	if (opts->format == MT_FORMAT_JSON) {
		if (print_json(stdout, &stream, &list, &be, &args) < 0)
			goto fail;
	} else if (print_text(stdout, &stream, &list, &be, &args) < 0) {
		goto fail;
	}
	ret = MT_EXIT_OK;
	for (i = 0; i < list.count; i++) {
		const struct engine_backport *b = stream_backport(be.stream, &list.items[i].commit);

		failed += b && b->error;
	}
	if (failed) {
		mt_error_set("backports: %s: %zu of %zu commit%s could not be classified (see "
			     "the error lines in the output)", stream.name, failed,
			     list.count, list.count == 1 ? "" : "s");
		goto fail;
	}
	goto out;
fail:
	ret = cli_fail();
out:
	if (have_engine)
		backports_engine_release(&be);
	if (have_list)
		backports_release(&list);
	if (have_stream)
		stream_release(&stream);
	if (have_history)
		history_release(&history);
	repo_free(repo);
	free(pos);
	return ret;
}
