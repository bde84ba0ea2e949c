/* mtcheck streams: master, the stable streams with their bases and tips, and the release tags. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "util/date.h"
#include "util/error.h"
#include "history/history.h"
#include "repo/repo.h"
#include "util/jsontext.h"
#include "util/rulesdir.h"
#include "html_timeline.h"

static const char *kind_name(enum stream_kind kind)
{
	switch (kind) {
	case STREAM_STABLE:
		return "stable";
	case STREAM_STAGING:
		return "staging";
	default:
		return "ref";
	}
}

static json_t *json_oid(const struct mt_oid *oid)
{
	char hex[MT_OID_HEXSZ + 1];

	oid_to_hex(hex, oid);
	return json_string(hex);
}

static json_t *json_date(int64_t t)
{
	char day[16];

	date_format(day, t);
	return json_string(day);
}

/* Fills every stream's base (the merge-base fallback costs a walk, so only here). */
static int resolve_streams(struct mt_stream **out, struct mt_history *h)
{
	struct mt_stream *list = calloc(h->nstreams ? h->nstreams : 1, sizeof(*list));
	size_t i;

	if (!list)
		return mt_error_set("out of memory");
	for (i = 0; i < h->nstreams; i++) {
		if (history_stream(&list[i], h, h->streams[i].name, NULL) < 0) {
			while (i--)
				stream_release(&list[i]);
			free(list);
			return MT_ERROR;
		}
	}
	*out = list;
	return MT_OK;
}

static void print_text(FILE *out, const struct mt_history *h, const struct mt_stream *list)
{
	char a[13], b[13], day[16];
	size_t i, width = 6;

	for (i = 0; i < h->nstreams; i++) {
		if (strlen(list[i].name) > width)
			width = strlen(list[i].name);
	}
	if (h->has_master)
		fprintf(out, "%-*s  %s\n", (int)width, "master", h->master_name);
	else
		fprintf(out, "%-*s  (none: no master or origin/master; use --master REF)\n",
			(int)width, "master");
	for (i = 0; i < h->nstreams; i++) {
		const struct mt_stream *s = &list[i];

		fprintf(out, "%-*s  base %-8s %s  tip %s", (int)width, s->name,
			s->base_is_merge_base ? "(merge)" : s->base_name, oid_short(a, &s->base),
			oid_short(b, &s->tip));
		if (s->newest) {
			date_format(day, s->newest->time);
			fprintf(out, "  newest %s (%s)", s->newest->name, day);
		}
		if (strncmp(s->ref, "refs/heads/", 11))
			fprintf(out, "  [%s]", s->ref + (strncmp(s->ref, "refs/", 5) ? 0 : 5));
		fputc('\n', out);
	}
}

static int print_json(FILE *out, const struct mt_history *h, const struct mt_stream *list)
{
	json_t *root = json_object(), *streams = json_array(), *releases = json_array();
	char *text, version[32];
	size_t i;

	json_object_set_new(root, "master",
			    h->has_master ? json_pack("{s:s, s:o}", "ref", h->master_name, "commit",
						      json_oid(&h->master))
					  : json_null());
	for (i = 0; i < h->nstreams; i++) {
		const struct mt_stream *s = &list[i];

		snprintf(version, sizeof(version), "%d.%d", s->major, s->minor);
		json_array_append_new(streams, json_pack(
			"{s:s, s:o, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o}",
			"name", s->name, "ref", json_text(s->ref), "kind", kind_name(s->kind),
			"version", version,
			"base", s->base_name ? json_string(s->base_name) : json_oid(&s->base),
			"base_commit", json_oid(&s->base),
			"base_kind", s->base_is_merge_base ? "merge-base" : "tag",
			"tip", json_oid(&s->tip),
			"newest_release", s->newest ? json_string(s->newest->name) : json_null(),
			"newest_release_date", s->newest ? json_date(s->newest->time) : json_null()));
	}
	json_object_set_new(root, "streams", streams);
	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		json_array_append_new(releases, json_pack(
			"{s:s, s:s, s:o, s:o, s:b, s:b}", "name", r->name, "version",
			qversion_format(version, sizeof(version), &r->version),
			"commit", json_oid(&r->commit), "date", json_date(r->time),
			"annotated", r->annotated, "rc", r->rc));
	}
	json_object_set_new(root, "releases", releases);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return mt_error_set("streams: cannot write JSON");
	fprintf(out, "%s\n", text);
	free(text);
	return MT_OK;
}

static int run_streams(int argc, char **argv, struct mt_options *opts);

const struct command command_streams = {
	.name = "streams",
	.run = run_streams,
	.usage = "streams [--master REF] [--include-staging]",
	.summary = "list master, the stable streams (base, tip, newest release) and release tags",
	.help = "  --master REF       the upstream branch (default: master, else origin/master)\n"
		"  --include-staging  also list staging-X.Y and stable-X.Y-staging queues\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON | MT_FORMAT_HTML,
};

/* The auditor's page without findings: every stream's releases, machines and lifecycle. */
static int print_html(FILE *out, const struct mt_options *opts, struct mt_repo *repo,
		      const struct mt_history *h, const struct mt_stream *list)
{
	struct strbuf dir = STRBUF_INIT, page_text = STRBUF_INIT;
	struct families fams;
	struct model_cache cache;
	struct streams_page page;
	struct finding_list none;
	struct report report;
	char hex[MT_OID_HEXSZ + 1];
	int ret = MT_ERROR;

	model_cache_init(&cache);
	finding_list_init(&none);
	if (rules_dir_find(&dir, opts) < 0 || families_load(&fams, dir.buf) < 0) {
		strbuf_release(&dir);
		model_cache_release(&cache);
		return MT_ERROR;
	}
	if (html_streams_build(&page, repo, h, list, &fams, &cache) < 0)
		goto out;
	memset(&report, 0, sizeof(report));
	report.repository = repo_display_path(repo);
	report.findings = &none;
	report.title = "streams";
	if (h->has_master) {
		report.branch = h->master_name;
		oid_to_hex(hex, &h->master);
		report.revision = hex;
	}
	report_html(&page_text, &report, &page.timeline);
	fwrite(page_text.buf, 1, page_text.len, out);
	html_streams_release(&page);
	ret = MT_OK;
out:
	families_release(&fams);
	model_cache_release(&cache);
	strbuf_release(&dir);
	strbuf_release(&page_text);
	return ret;
}

static int run_streams(int argc, char **argv, struct mt_options *opts)
{
	struct history_options hopts;
	struct mt_repo *repo = NULL;
	struct mt_history history;
	struct mt_stream *list = NULL;
	const char *master = NULL;
	int include_staging = 0, npos = 0, ret;
	bool have_history = false;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	size_t i;
	const struct cli_option options[] = {
		{ "master", 0, CLI_STRING, &master },
		{ "include-staging", 0, CLI_FLAG, &include_staging },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	if (!pos) {
		mt_error_set("out of memory");
		goto fail;
	}
	if (cli_parse(opts, &command_streams, options, argc, argv, pos, &npos) < 0 ||
	    cli_check_format(opts, &command_streams) < 0)
		goto fail;
	if (npos) {
		mt_error_set("streams: unexpected argument '%s'", pos[0]);
		goto fail;
	}
	if (repo_open(&repo, opts->repo_dir) < 0)
		goto fail;
	memset(&hopts, 0, sizeof(hopts));
	hopts.master = master;
	hopts.include_staging = include_staging;
	if (history_open(&history, repo, &hopts) < 0)
		goto fail;
	have_history = true;
	if (resolve_streams(&list, &history) < 0)
		goto fail;
	if (opts->format == MT_FORMAT_JSON) {
		if (print_json(stdout, &history, list) < 0)
			goto fail;
	} else if (opts->format == MT_FORMAT_HTML) {
		if (print_html(stdout, opts, repo, &history, list) < 0)
			goto fail;
	} else {
		print_text(stdout, &history, list);
	}
	ret = MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	if (list) {
		for (i = 0; i < history.nstreams; i++)
			stream_release(&list[i]);
		free(list);
	}
	if (have_history)
		history_release(&history);
	repo_free(repo);
	free(pos);
	return ret;
}
