/*
 * mtcheck assess COMMIT [--stream X.Y]: before cherry-picking an upstream
 * commit, would its backport change what guests of released machine types
 * see, and what does the policy then ask for?
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
#include "engine/assess.h"
#include "cli/commands.h"
#include "util/error.h"
#include "machines/families.h"
#include "history/history.h"
#include "util/jsontext.h"
#include "machines/machines.h"
#include "repo/repo.h"
#include "util/rulesdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct assess_args {
	const char *commit;
	const char *stream; /* --stream: one stream; default every stable stream */
	const char *master;
};

static int load_rules(struct families *fams, struct abi_config **config,
		      const struct mt_options *opts)
{
	struct strbuf dir = STRBUF_INIT;
	int ret = rules_dir_find(&dir, opts);

	if (ret == 0)
		ret = families_load(fams, dir.buf);
	if (ret == 0 && (ret = abi_config_load_dir(config, dir.buf)) < 0)
		families_release(fams);
	strbuf_release(&dir);
	return ret;
}

static const char *verdict_name(const struct stream_verdict *v)
{
	return v->strength ? abi_strength_name(v->strength) : "none";
}

static void print_text(FILE *out, const struct assessment *a)
{
	char hex[13];
	size_t i, j;

	oid_to_short(hex, 12, &a->commit);
	fprintf(out, "%s %s\n", hex, a->subject);
	if (!a->evidence.count)
		fputs("no guest-ABI evidence\n", out);
	for (i = 0; i < a->evidence.count; i++) {
		const struct abi_evidence *e = &a->evidence.items[i];

		fprintf(out, "  %-10s %s %s:%d: %s\n", abi_strength_name(e->strength), e->signal,
			e->path, e->line, e->detail);
	}
	for (i = 0; i < a->nverdicts; i++) {
		const struct stream_verdict *v = &a->verdicts[i];

		fprintf(out, "\n%s: ", v->stream->name);
		if (v->contains) {
			fprintf(out, "already contains %s\n", hex);
			continue;
		}
		if (v->strength < ABI_CHANGE) {
			fprintf(out, "%s\n", v->strength ? "no guest-ABI change found; the evidence "
							   "above is worth a review"
							 : "no guest-ABI change found");
			continue;
		}
		fputs("the backport changes what guests of", out);
		for (j = 0; j < v->affected.n; j++)
			fprintf(out, "%s %s", j ? "," : "", v->affected.v[j].name);
		fputs(v->affected.n ? " see\n" : " the stream's machine types see\n", out);
		for (j = 0; j < v->nrequires; j++)
			fprintf(out, "  - %s\n", v->requires[j]);
	}
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_text(v[i]));
	return arr;
}

static int print_json(FILE *out, const struct assessment *a)
{
	json_t *root = json_object(), *ev = json_array(), *streams = json_array();
	char hex[MT_OID_HEXSZ + 1];
	char *text;
	size_t i, j;

	oid_to_hex(hex, &a->commit);
	json_object_set_new(root, "commit", json_string(hex));
	json_object_set_new(root, "subject", json_text(a->subject));
	for (i = 0; i < a->evidence.count; i++) {
		const struct abi_evidence *e = &a->evidence.items[i];

		json_array_append_new(ev, json_pack("{s:s, s:s, s:o, s:i, s:o}", "signal", e->signal,
						    "strength", abi_strength_name(e->strength),
						    "path", json_text(e->path), "line", e->line, "detail",
						    json_text(e->detail)));
	}
	json_object_set_new(root, "evidence", ev);
	for (i = 0; i < a->nverdicts; i++) {
		const struct stream_verdict *v = &a->verdicts[i];
		json_t *o = json_object(), *affected = json_array();

		json_object_set_new(o, "stream", json_text(v->stream->name));
		json_object_set_new(o, "contains", json_boolean(v->contains));
		json_object_set_new(o, "verdict", json_string(v->contains ? "none" : verdict_name(v)));
		for (j = 0; j < v->affected.n; j++)
			json_array_append_new(affected, json_text(v->affected.v[j].name));
		json_object_set_new(o, "affected", affected);
		json_object_set_new(o, "bugfix", strings_json(v->bugfix, v->nbugfix));
		json_object_set_new(o, "requires", strings_json(v->requires, v->nrequires));
		json_array_append_new(streams, o);
	}
	json_object_set_new(root, "streams", streams);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return mt_error_set("assess: cannot write JSON");
	fprintf(out, "%s\n", text);
	free(text);
	return MT_OK;
}

static int run_assess(int argc, char **argv, struct mt_options *opts);

const struct command command_assess = {
	.name = "assess",
	.run = run_assess,
	.usage = "assess COMMIT [--stream STREAM] [--master REF]",
	.summary = "before a backport: would it change guest ABI, and what would it need",
	.help = "  --stream STREAM  assess for this stream only (default: every stable stream)\n"
		"  --master REF     the upstream branch (default: master, else origin/master)\n"
		"Exit status 1 when the backport would change guest ABI in a stream.\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON,
};

static int run_assess(int argc, char **argv, struct mt_options *opts)
{
	struct assess_args args;
	struct history_options hopts;
	struct mt_repo *repo = NULL;
	struct mt_history history;
	struct mt_stream one;
	struct families fams;
	struct abi_config *config = NULL;
	struct assessment a;
	const struct mt_stream **streams = NULL;
	size_t nstreams = 0, i;
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0, ret;
	bool have_history = false, have_one = false, have_rules = false, changes = false;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.stream },
		{ "master", 0, CLI_STRING, &args.master },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&args, 0, sizeof(args));
	memset(&a, 0, sizeof(a));
	if (cli_parse(opts, &command_assess, options, argc, argv, pos, &npos) < 0 ||
	    cli_check_format(opts, &command_assess) < 0)
		goto fail;
	if (npos != 1) {
		mt_error_set("assess: expected one COMMIT (see 'mtcheck help assess')");
		goto fail;
	}
	args.commit = pos[0];
	if (load_rules(&fams, &config, opts) < 0)
		goto fail;
	have_rules = true;
	if (repo_open(&repo, opts->repo_dir) < 0)
		goto fail;
	memset(&hopts, 0, sizeof(hopts));
	hopts.master = args.master;
	if (history_open(&history, repo, &hopts) < 0)
		goto fail;
	have_history = true;
	if (args.stream) {
		if (history_stream(&one, &history, args.stream, NULL) < 0)
			goto fail;
		have_one = true;
		streams = xcalloc(1, sizeof(*streams));
		streams[nstreams++] = &one;
	} else {
		streams = xcalloc(history.nstreams + 1, sizeof(*streams));
		for (i = 0; i < history.nstreams; i++)
			streams[nstreams++] = &history.streams[i];
	}
	if (assess_commit(&a, repo, &history, &fams, config, args.commit, streams, nstreams) < 0)
		goto fail;
	if (opts->format == MT_FORMAT_JSON) {
		if (print_json(stdout, &a) < 0)
			goto fail;
	} else {
		print_text(stdout, &a);
	}
	for (i = 0; i < a.nverdicts; i++)
		changes |= !a.verdicts[i].contains && a.verdicts[i].strength >= ABI_CHANGE;
	ret = changes ? MT_EXIT_FINDINGS : MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	assessment_release(&a);
	free(streams);
	if (have_one)
		stream_release(&one);
	if (have_history)
		history_release(&history);
	if (have_rules) {
		families_release(&fams);
		abi_config_free(config);
	}
	repo_free(repo);
	free(pos);
	return ret;
}
