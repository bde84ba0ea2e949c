/*
 * mtcheck streams: master with the release it is heading for, and each
 * stable stream for people: base, tip, its first and last release with
 * dates, whether it is maintained, the bugfix machines it added; JSON adds
 * every release tag.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "util/date.h"
#include "util/error.h"
#include "history/history.h"
#include "repo/repo.h"
#include "engine/engine.h"
#include "machines/families.h"
#include "machines/machines.h"
#include "policy/policy.h"
#include "util/jsontext.h"
#include "util/oid.h"
#include "util/rulesdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "report/html_timeline.h"

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

/* What `streams` says of one stream for people: its releases, whether maintained, its bugfix machines. */
struct stream_view {
	const struct mt_release *base_tag;     /* vX.Y.0, or NULL */
	const struct mt_release *first, *last; /* its own releases (vX.Y.1 on), by version */
	bool maintained;
	char **bugfix;                         /* bugfix machines the stream added, by name */
	size_t nbugfix;
};

struct streams_ctx {
	struct mt_repo *repo;
	struct mt_history history;
	struct families fams;
	struct model_cache cache;
	struct policy policy;
	struct mt_stream *list;
	struct stream_view *views;
	bool have_history, have_fams, have_policy;
};

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

static bool family_path(const char *path, void *payload)
{
	return families_holds_path(payload, path, false);
}

/* The bugfix machines at the tip that the base did not have. */
static int added_bugfix(struct stream_view *v, struct streams_ctx *c, const struct mt_stream *s)
{
	struct model base, tip;
	struct repo_diff_opts families_differ = { .from = &s->base, .want = family_path,
						  .want_payload = &c->fams, .prune = true };
	size_t i;
	int ret;

	ret = repo_diff(c->repo, &s->tip, &families_differ);
	if (ret < 0)
		mt_error_clear(); /* as if they differed: loading the models says what is wrong */
	else if (!ret)
		return MT_OK;
	if (model_load(&base, &c->cache, c->repo, &c->fams, &s->base) < 0)
		return MT_ERROR;
	ret = model_load(&tip, &c->cache, c->repo, &c->fams, &s->tip);
	if (ret < 0) {
		model_release(&base);
		return ret;
	}
	for (i = 0; i < tip.machines.n; i++) {
		const struct machine *m = &tip.machines.v[i];

		if (m->kind != MACHINE_BUGFIX || model_machine(&base, m->name))
			continue;
		v->bugfix = xrealloc(v->bugfix, (v->nbugfix + 1) * sizeof(*v->bugfix));
		v->bugfix[v->nbugfix++] = xstrdup(m->name);
	}
	model_release(&base);
	model_release(&tip);
	return MT_OK;
}

static int view_stream(struct stream_view *v, struct streams_ctx *c, const struct mt_stream *s)
{
	const struct mt_history *h = &c->history;
	size_t i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		/* vX.Y.0 wins over the old two-part vX.Y when both exist */
		if (!r->rc && r->version.major == s->major && r->version.minor == s->minor &&
		    r->version.micro <= 0 && r->version.nano < 0 &&
		    (!v->base_tag || strlen(r->name) > strlen(v->base_tag->name)))
			v->base_tag = r;

		if (r->rc || r->version.major != s->major || r->version.minor != s->minor ||
		    (r->version.micro <= 0 && r->version.nano <= 0))
			continue;
		if (!v->first)
			v->first = r; /* the list is sorted by version */
		v->last = r;
	}
	v->maintained = engine_stream_maintained(&c->policy, h, s);
	if (added_bugfix(v, c, s) < 0) {
		mt_error_prefix("%s", s->name);
		return MT_ERROR;
	}
	return MT_OK;
}

static void view_release(struct stream_view *v)
{
	size_t i;

	for (i = 0; i < v->nbugfix; i++)
		free(v->bugfix[i]);
	free(v->bugfix);
}

static void release_cell(struct strbuf *out, const struct mt_release *r)
{
	char day[16];

	if (!r) {
		strbuf_addstr(out, "-");
		return;
	}
	date_format(day, r->time);
	strbuf_addf(out, "%s (%s)", r->name, day);
}

/* "11.1 development (VERSION 11.1.50)": what master is heading for. */
static void master_version(struct strbuf *out, struct json_t **json_dev, struct streams_ctx *c)
{
	struct qversion v;
	char text[64];

	*json_dev = json_null();
	if (!c->history.has_master ||
	    history_version_at(&v, &c->history, &c->history.master) < 0) {
		mt_error_clear();
		strbuf_addstr(out, "VERSION unknown");
		return;
	}
	qversion_format(text, sizeof(text), &v);
	if (qversion_is_development(&v)) {
		/* X.Y.50 is on its way to X.(Y+1), or to (X+1).0 after X.2 (domain.md 3) */
		char next[32];

		snprintf(next, sizeof(next), "%d.%d", v.minor >= 2 ? v.major + 1 : v.major,
			 v.minor >= 2 ? 0 : v.minor + 1);
		strbuf_addf(out, "%s development (VERSION %s)", next, text);
		json_decref(*json_dev);
		*json_dev = json_string(next);
	} else {
		strbuf_addf(out, "VERSION %s", text);
	}
}

#define NCOLS 7

/* A table cell, padded to its column's width unless it ends the line. */
static void print_cell(FILE *out, const char *text, size_t width, bool last)
{
	if (last)
		fprintf(out, "%s\n", text);
	else
		fprintf(out, "%-*s  ", (int)width, text);
}

static void print_text(FILE *out, struct streams_ctx *c)
{
	static const char *const head[NCOLS] = { "STREAM", "BASE", "TIP", "FIRST RELEASE",
						  "LAST RELEASE", "MAINTAINED", "BUGFIX MACHINES" };
	const struct mt_history *h = &c->history;
	struct strbuf *cells = xcalloc((h->nstreams + 1) * NCOLS, sizeof(*cells));
	size_t width[NCOLS] = { 0 }, i, k;
	struct strbuf master = STRBUF_INIT;
	json_t *dev;
	char hex[13];

	for (i = 0; i < h->nstreams; i++) {
		const struct mt_stream *s = &c->list[i];
		const struct stream_view *v = &c->views[i];
		struct strbuf *row = &cells[i * NCOLS];

		for (k = 0; k < NCOLS; k++)
			strbuf_init(&row[k]);
		strbuf_addstr(&row[0], s->name);
		if (s->base_is_merge_base)
			strbuf_addf(&row[1], "(merge) %s", oid_short(hex, &s->base));
		else
			release_cell(&row[1], v->base_tag);
		strbuf_addstr(&row[2], oid_short(hex, &s->tip));
		release_cell(&row[3], v->first);
		release_cell(&row[4], v->last);
		strbuf_addstr(&row[5], v->maintained ? "yes" : "no");
		for (k = 0; k < v->nbugfix; k++)
			strbuf_addf(&row[6], "%s%s", k ? ", " : "", v->bugfix[k]);
		if (!v->nbugfix)
			strbuf_addstr(&row[6], "-");
		if (strncmp(s->ref, "refs/heads/", 11))
			strbuf_addf(&row[6], "  [%s]", s->ref + (strncmp(s->ref, "refs/", 5) ? 0 : 5));
	}
	for (k = 0; k < NCOLS; k++) {
		width[k] = strlen(head[k]);
		for (i = 0; i < h->nstreams; i++) {
			if (cells[i * NCOLS + k].len > width[k])
				width[k] = cells[i * NCOLS + k].len;
		}
	}
	if (width[0] < strlen("master"))
		width[0] = strlen("master");
	for (k = 0; k < NCOLS; k++)
		print_cell(out, head[k], width[k], k + 1 == NCOLS);
	master_version(&master, &dev, c);
	json_decref(dev);
	if (h->has_master)
		fprintf(out, "%-*s  %-*s  %-*s  %s [%s]\n", (int)width[0], "master", (int)width[1],
			"-", (int)width[2], oid_short(hex, &h->master), master.buf, h->master_name);
	else
		fprintf(out, "%-*s  (none: no master or origin/master; use --master REF)\n",
			(int)width[0], "master");
	for (i = 0; i < h->nstreams; i++) {
		for (k = 0; k < NCOLS; k++) {
			struct strbuf *cell = &cells[i * NCOLS + k];

			print_cell(out, cell->buf, width[k], k + 1 == NCOLS);
			strbuf_release(cell);
		}
	}
	strbuf_release(&master);
	free(cells);
}

static json_t *json_release_name(const struct mt_release *r)
{
	return r ? json_string(r->name) : json_null();
}

static json_t *json_release_date(const struct mt_release *r)
{
	return r ? json_date(r->time) : json_null();
}

static int print_json(FILE *out, struct streams_ctx *c)
{
	const struct mt_history *h = &c->history;
	json_t *root = json_object(), *streams = json_array(), *releases = json_array();
	struct strbuf master = STRBUF_INIT, text = STRBUF_INIT;
	char version[32];
	json_t *dev;
	size_t i, k;

	master_version(&master, &dev, c);
	if (h->has_master) {
		struct qversion v;
		json_t *mv = json_null();

		if (history_version_at(&v, &c->history, &h->master) == MT_OK)
			mv = json_string(qversion_format(version, sizeof(version), &v));
		mt_error_clear();
		json_object_set_new(root, "master", json_pack("{s:s, s:o, s:o, s:o}", "ref",
							      h->master_name, "commit",
							      json_oid(&h->master), "version", mv,
							      "development", dev));
	} else {
		json_decref(dev);
		json_object_set_new(root, "master", json_null());
	}
	strbuf_release(&master);
	for (i = 0; i < h->nstreams; i++) {
		const struct mt_stream *s = &c->list[i];
		const struct stream_view *v = &c->views[i];
		json_t *bugfix = json_array(), *o;

		for (k = 0; k < v->nbugfix; k++)
			json_array_append_new(bugfix, json_string(v->bugfix[k]));
		snprintf(version, sizeof(version), "%d.%d", s->major, s->minor);
		o = json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o}",
			      "name", s->name, "ref", json_text(s->ref), "kind", kind_name(s->kind),
			      "version", version,
			      "base", s->base_name ? json_string(s->base_name) : json_oid(&s->base),
			      "base_commit", json_oid(&s->base),
			      "base_kind", s->base_is_merge_base ? "merge-base" : "tag",
			      "base_date", json_release_date(s->base_is_merge_base ? NULL : v->base_tag),
			      "tip", json_oid(&s->tip),
			      "newest_release", s->newest ? json_string(s->newest->name) : json_null());
		json_object_set_new(o, "newest_release_date",
				    s->newest ? json_date(s->newest->time) : json_null());
		json_object_set_new(o, "first_release", json_release_name(v->first));
		json_object_set_new(o, "first_release_date", json_release_date(v->first));
		json_object_set_new(o, "last_release", json_release_name(v->last));
		json_object_set_new(o, "last_release_date", json_release_date(v->last));
		json_object_set_new(o, "maintained", json_boolean(v->maintained));
		json_object_set_new(o, "bugfix_machines", bugfix);
		json_array_append_new(streams, o);
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
	json_dump_to(&text, root);
	fwrite(text.buf, 1, text.len, out);
	strbuf_release(&text);
	return MT_OK;
}

static int run_streams(int argc, char **argv, struct mt_options *opts);

const struct command command_streams = {
	.name = "streams",
	.run = run_streams,
	.usage = "streams [--master REF] [--include-staging]",
	.summary = "list master and the stable streams: base, tip, releases, maintained, bugfix machines",
	.help = "  --master REF       the upstream branch (default: master, else origin/master)\n"
		"  --include-staging  also list staging-X.Y and stable-X.Y-staging queues\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON | MT_FORMAT_HTML,
};

/* The auditor's page without findings: every stream's releases, machines and lifecycle. */
static int print_html(FILE *out, struct streams_ctx *c)
{
	struct strbuf page_text = STRBUF_INIT;
	const struct mt_history *h = &c->history;
	struct streams_page page;
	struct finding_list none;
	struct report report;
	char hex[MT_OID_HEXSZ + 1];

	finding_list_init(&none);
	if (html_streams_build(&page, c->repo, h, c->list, &c->fams, &c->cache) < 0)
		return MT_ERROR;
	memset(&report, 0, sizeof(report));
	report.repository = repo_display_path(c->repo);
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
	strbuf_release(&page_text);
	return MT_OK;
}

static void streams_close(struct streams_ctx *c)
{
	size_t i;

	for (i = 0; c->views && i < c->history.nstreams; i++)
		view_release(&c->views[i]);
	free(c->views);
	for (i = 0; c->list && i < c->history.nstreams; i++)
		stream_release(&c->list[i]);
	free(c->list);
	if (c->have_history)
		history_release(&c->history);
	if (c->have_fams)
		families_release(&c->fams);
	if (c->have_policy)
		policy_release(&c->policy);
	model_cache_release(&c->cache);
	repo_free(c->repo);
}

static int run_streams(int argc, char **argv, struct mt_options *opts)
{
	struct history_options hopts;
	struct streams_ctx c;
	struct strbuf dir = STRBUF_INIT;
	const char *master = NULL;
	int include_staging = 0, npos = 0, ret;
	char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	size_t i;
	const struct cli_option options[] = {
		{ "master", 0, CLI_STRING, &master },
		{ "include-staging", 0, CLI_FLAG, &include_staging },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&c, 0, sizeof(c));
	model_cache_init(&c.cache);
	policy_init(&c.policy);
	c.have_policy = true;
	if (!pos) {
		mt_error_set("out of memory");
		goto fail;
	}
	if (cli_parse(opts, &command_streams, options, argc, argv, pos, &npos) < 0)
		goto fail;
	if (npos) {
		mt_error_set("streams: unexpected argument '%s'", pos[0]);
		goto fail;
	}
	if (cli_rules_dir(&dir, opts) < 0 || families_load(&c.fams, dir.buf) < 0)
		goto fail;
	c.have_fams = true;
	if (policy_load(&c.policy, dir.buf) < 0)
		goto fail;
	if (repo_open(&c.repo, opts->repo_dir) < 0)
		goto fail;
	memset(&hopts, 0, sizeof(hopts));
	hopts.master = master;
	hopts.include_staging = include_staging;
	if (history_open(&c.history, c.repo, &hopts) < 0)
		goto fail;
	c.have_history = true;
	/* Which streams are maintained: .mtcheck.json as master has it can list them. */
	if (c.history.has_master &&
	    policy_apply_repo_config(&c.policy, c.repo, &c.history.master,
				     c.history.master_name) < 0)
		goto fail;
	if (resolve_streams(&c.list, &c.history) < 0)
		goto fail;
	c.views = xcalloc(c.history.nstreams + 1, sizeof(*c.views));
	for (i = 0; i < c.history.nstreams; i++) {
		if (view_stream(&c.views[i], &c, &c.list[i]) < 0)
			goto fail;
	}
	if (opts->format == MT_FORMAT_JSON) {
		if (print_json(stdout, &c) < 0)
			goto fail;
	} else if (opts->format == MT_FORMAT_HTML) {
		if (print_html(stdout, &c) < 0)
			goto fail;
	} else {
		print_text(stdout, &c);
	}
	ret = MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	streams_close(&c);
	strbuf_release(&dir);
	free(pos);
	return ret;
}
