/* mtcheck backports STREAM: what went into a stream, where it came from, what shipped it. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
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

/* What the classifier found for each backport, in list order. */
struct backport_evidence {
	struct abi_evidence_list *lists;
	char **errors; /* why a commit could not be classified, or NULL */
	size_t count;
	size_t failed;
};

static void evidence_release(struct backport_evidence *ev)
{
	size_t i;

	for (i = 0; i < ev->count; i++) {
		abi_evidence_list_release(&ev->lists[i]);
		free(ev->errors[i]);
	}
	free(ev->lists);
	free(ev->errors);
	memset(ev, 0, sizeof(*ev));
}

/* As the engine does: what upstream's later fixes of the upstream commit held back. */
static int followup_evidence(struct abi_evidence_list *out, struct jobs *jobs,
			     struct mt_history *h, const struct mt_backport *bp,
			     const struct mt_backports *list, const struct qversion *version)
{
	struct mt_oid *followups = NULL;
	size_t n = 0;
	int ret;

	if (!bp->has_upstream || !bp->upstream_in_master)
		return MT_OK;
	ret = history_followups_missing(&followups, &n, h, &bp->upstream, list);
	if (ret == MT_OK && n)
		ret = jobs_classify_followups(out, jobs, &bp->upstream, followups, n, version);
	free(followups);
	return ret;
}

/* Expected ACPI tables belong to the commits of their series that changed the code, as in audit. */
static void attribute_acpi(struct backport_evidence *ev, const struct mt_backports *list)
{
	struct abi_evidence_list **lists = xcalloc(list->count + 1, sizeof(*lists));
	const struct mt_oid **commits = xcalloc(list->count + 1, sizeof(*commits));
	size_t i;

	for (i = 0; i < list->count; i++) {
		lists[i] = list->items[i].merge ? NULL : &ev->lists[i];
		commits[i] = &list->items[i].commit;
	}
	abi_attribute_acpi(lists, commits, list->count);
	free(lists);
	free(commits);
}

/*
 * Classifies every backport with its upstream commit. A commit whose objects
 * cannot be read is reported and the rest are still classified: one missing
 * blob must not hide the other backports.
 */
static int classify_backports(struct backport_evidence *out, struct mt_history *h,
			      const struct mt_options *opts, const struct mt_stream *stream,
			      const struct mt_backports *list, const struct mt_backports *whole)
{
	struct mt_repo *repo = h->repo;
	struct strbuf dir = STRBUF_INIT;
	struct abi_config *config = NULL;
	struct jobs *jobs = NULL;
	struct families fams;
	struct qversion version;
	size_t i;
	int ret = MT_ERROR;

	memset(&fams, 0, sizeof(fams));
	memset(&version, 0, sizeof(version));
	version.major = stream->major;
	version.minor = stream->minor;
	version.micro = version.nano = -1;
	out->count = list->count;
	out->lists = xcalloc(list->count + 1, sizeof(*out->lists));
	out->errors = xcalloc(list->count + 1, sizeof(*out->errors));
	if (cli_rules_dir(&dir, opts) < 0 || families_load(&fams, dir.buf) < 0)
		goto out;
	if (abi_config_load_dir(&config, dir.buf) < 0)
		goto out;
	/* Two backports of one upstream commit (a fix and its follow-up) classify it once. */
	jobs_start(&jobs, repo, config, &fams, 0);
	for (i = 0; i < list->count; i++) {
		const struct mt_backport *bp = &list->items[i];

		abi_evidence_list_init(&out->lists[i]);
		/* A merge's first-parent diff is the whole merged branch, not one change. */
		if (bp->merge)
			continue;
		if (jobs_classify_backport(&out->lists[i], jobs, &bp->commit,
					   bp->has_upstream ? &bp->upstream : NULL, &version) < 0 ||
		    followup_evidence(&out->lists[i], jobs, h, bp, whole, &version) < 0) {
			out->errors[i] = xstrdup(mt_error_last());
			out->failed++;
		}
	}
	attribute_acpi(out, list);
	ret = MT_OK;
out:
	jobs_free(jobs);
	abi_config_free(config);
	families_release(&fams);
	strbuf_release(&dir);
	return ret;
}

static void print_text(FILE *out, const struct mt_stream *s, const struct mt_backports *list,
		       const struct backport_evidence *ev, const struct backports_args *args)
{
	char a[13], b[13];
	size_t i, j, width = 1;

	if (s->base_is_merge_base)
		fprintf(out, "%s: base %s (merge-base with master: no v%d.%d.0 tag), tip %s, ",
			s->name, oid_short(a, &s->base), s->major, s->minor, oid_short(b, &s->tip));
	else
		fprintf(out, "%s: base %s (%s), tip %s, ", s->name, s->base_name,
			oid_short(a, &s->base), oid_short(b, &s->tip));
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
			bp->has_upstream ? oid_short(b, &bp->upstream) : "-",
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
		for (j = 0; j < ev->lists[i].count; j++) {
			const struct abi_evidence *e = &ev->lists[i].items[j];

			fprintf(out, "    %-10s %s %s:%d: %s\n", abi_strength_name(e->strength),
				e->signal, e->path, e->line, e->detail);
		}
		if (ev->errors[i])
			fprintf(out, "    error: %s\n", ev->errors[i]);
	}
}

static json_t *backport_json(const struct mt_backport *bp, const struct abi_evidence_list *evidence,
			     const char *error)
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
		      const struct backport_evidence *evidence, const struct backports_args *args)
{
	json_t *root = json_object(), *items = json_array();
	char *text;
	size_t i;

	json_object_set_new(root, "stream", json_text(s->name));
	json_object_set_new(root, "base", s->base_name ? json_string(s->base_name)
						       : json_oid_or_null(true, &s->base));
	json_object_set_new(root, "tip", json_oid_or_null(true, &s->tip));
	for (i = 0; i < list->count; i++)
		json_array_append_new(items, backport_json(&list->items[i], &evidence->lists[i],
							   evidence->errors[i]));
	json_object_set_new(root, "backports", items);
	json_object_set_new(root, "base_commit", json_oid_or_null(true, &s->base));
	json_object_set_new(root, "base_kind", json_string(s->base_is_merge_base ? "merge-base" : "tag"));
	json_object_set_new(root, "since", json_oid_or_null(args->since != NULL, &args->since_oid));
	json_object_set_new(root, "total", json_integer((json_int_t)list->total));
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return mt_error_set("backports: cannot write JSON");
	fprintf(out, "%s\n", text);
	free(text);
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
	struct mt_backports list, whole;
	struct backport_evidence evidence;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0, ret = MT_EXIT_ERROR;
	bool have_history = false, have_stream = false, have_list = false, have_whole = false;
	const struct cli_option options[] = {
		{ "since", 0, CLI_STRING, &args.since },
		{ "master", 0, CLI_STRING, &args.master },
		{ "stream", 0, CLI_STRING, &args.version },
		{ "force-stream", 0, CLI_FLAG, &args.force_stream },
		{ "include-staging", 0, CLI_FLAG, &args.include_staging },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&args, 0, sizeof(args));
	memset(&evidence, 0, sizeof(evidence));
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
	/* A follow-up the stream took before --since still counts as taken, as in check. */
	if (args.since) {
		if (history_backports(&whole, &history, &stream, NULL) < 0)
			goto fail;
		have_whole = true;
	}
	if (classify_backports(&evidence, &history, opts, &stream, &list,
			       have_whole ? &whole : &list) < 0)
		goto fail;
	if (opts->format == MT_FORMAT_JSON) {
		if (print_json(stdout, &stream, &list, &evidence, &args) < 0)
			goto fail;
	} else {
		print_text(stdout, &stream, &list, &evidence, &args);
	}
	ret = MT_EXIT_OK;
	if (evidence.failed) {
		mt_error_set("backports: %s: %zu of %zu commit%s could not be classified (see "
			     "the error lines in the output)", stream.name, evidence.failed,
			     list.count, list.count == 1 ? "" : "s");
		goto fail;
	}
	goto out;
fail:
	ret = cli_fail();
out:
	evidence_release(&evidence);
	if (have_list)
		backports_release(&list);
	if (have_whole)
		backports_release(&whole);
	if (have_stream)
		stream_release(&stream);
	if (have_history)
		history_release(&history);
	repo_free(repo);
	free(pos);
	return ret;
}
