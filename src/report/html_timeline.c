/* The HTML report's timeline, built from a finished run or from the streams: see html_timeline.h. */
#include "report/html_timeline.h"

#include <stdlib.h>
#include <string.h>

#include "repo/repo.h"
#include "util/error.h"
#include "util/xalloc.h"

static void add_event(struct html_lane *l, enum html_event_kind kind, int64_t time,
		      const char *label, const char *family)
{
	l->events = xrealloc(l->events, (l->nevents + 1) * sizeof(*l->events));
	l->events[l->nevents].kind = kind;
	l->events[l->nevents].time = time;
	l->events[l->nevents].label = label;
	l->events[l->nevents].family = family;
	l->nevents++;
}

static int64_t commit_time(struct mt_repo *repo, const struct mt_oid *oid)
{
	struct mt_commit_info info;
	int64_t t;

	if (repo_commit_info(&info, repo, oid) < 0) {
		mt_error_clear();
		return 0;
	}
	t = info.time;
	commit_info_release(&info);
	return t;
}

/* The releases of stream major.minor on its lane: its base release .. its newest one. */
static void lane_releases(struct html_lane *l, const struct mt_history *h, int major, int minor)
{
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (r->rc || r->version.major != major || r->version.minor != minor)
			continue;
		if (r->version.micro <= 0 && (!l->start || r->time < l->start))
			l->start = r->time;
		if (r->time > l->end)
			l->end = r->time;
		add_event(l, HTML_RELEASE, r->time, r->name, NULL);
	}
}

/* A family whose X.Y release machine the lane's stream has (its lifecycle bands), once. */
static void lane_add_family(struct html_lane *l, const char *family)
{
	size_t j;

	for (j = 0; j < l->nfamilies && strcmp(l->families[j], family); j++)
		;
	if (j == l->nfamilies) {
		l->families = xrealloc(l->families, (l->nfamilies + 1) * sizeof(char *));
		l->families[l->nfamilies++] = family;
	}
}

/*
 * What every timeline starts from: its families, the newest release as
 * `now`, and lane 0, master, with the X.Y.0 releases over the whole history.
 * Lanes 1..nstreams are the streams'.
 */
static void timeline_start(struct html_timeline *t, const struct mt_history *h,
			   const struct families *fams, size_t nstreams)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->deprecation_years = fams->deprecation_major;
	t->deletion_years = fams->deletion_major;
	for (i = 0; i < h->nreleases; i++) {
		if (!h->releases[i].rc && h->releases[i].time > t->now)
			t->now = h->releases[i].time;
	}
	t->families = xcalloc(fams->n + 1, sizeof(*t->families));
	for (i = 0; i < fams->n; i++)
		t->families[t->nfamilies++] = fams->v[i].id;
	t->lanes = xcalloc(nstreams + 1, sizeof(*t->lanes));
	t->nlanes = nstreams + 1;
	t->lanes[0].stream = "master"; /* as findings name it, whatever the ref */
	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (r->rc || r->version.micro > 0)
			continue;
		if (!t->lanes[0].start || r->time < t->lanes[0].start)
			t->lanes[0].start = r->time;
		add_event(&t->lanes[0], HTML_RELEASE, r->time, r->name, NULL);
	}
	t->lanes[0].end = t->now;
}

/* When a machine of stream s appeared: the release that shipped its backport, else the backport. */
static int64_t intro_time(const struct engine_stream *s, const char *name, int64_t fallback)
{
	size_t i;

	for (i = 0; i < s->nintros; i++) {
		const struct engine_intro *in = &s->intros[i];

		if (strcmp(in->machine->name, name) || !in->by)
			continue;
		if (in->by->bp->release)
			return in->by->bp->release->time;
		return in->by->bp->time;
	}
	return fallback;
}

static int fill_lane(struct html_lane *l, struct engine *e, const struct engine_stream *s)
{
	const struct mt_history *h = e->in.history;
	const struct model *tip = s->tip;
	size_t i;

	l->stream = s->stream.name;
	l->end = 0;
	lane_releases(l, h, s->stream.major, s->stream.minor);
	if (!l->start)
		l->start = commit_time(e->in.repo, &s->stream.base);
	if (!tip && engine_stream_tip(&tip, e, s) < 0)
		return MT_ERROR;
	if (!l->end || l->end < l->start)
		l->end = commit_time(e->in.repo, &s->stream.tip);
	for (i = 0; tip && i < tip->machines.n; i++) {
		const struct machine *m = &tip->machines.v[i];

		if (m->version.major != s->stream.major || m->version.minor != s->stream.minor)
			continue;
		if (m->kind == MACHINE_RELEASE) {
			lane_add_family(l, m->family);
			continue;
		}
		add_event(l, m->kind == MACHINE_BUGFIX ? HTML_BUGFIX : HTML_TAGGED,
			  intro_time(s, m->name, l->end), m->name, m->family);
	}
	return MT_OK;
}

/* Where a finding goes on its lane and in which family's timeline. */
static void place(struct html_timeline *t, size_t index, struct engine *e, const struct finding *f)
{
	size_t i, j;

	t->finding_time[index] = t->now;
	t->finding_family[index] = NULL;
	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		if (!f->stream || strcmp(s->stream.name, f->stream))
			continue;
		t->finding_time[index] = t->lanes[i + 1].end;
		for (j = 0; f->has_commit && j < s->nitems; j++) {
			if (oid_equal(&s->items[j].bp->commit, &f->commit)) {
				t->finding_time[index] = s->items[j].bp->time;
				break;
			}
		}
		if (f->machine && s->tip) {
			for (j = 0; j < s->tip->machines.n; j++) {
				const struct machine *m = &s->tip->machines.v[j];

				if (!strcmp(m->name, f->machine)) {
					t->finding_family[index] = m->family;
					break;
				}
			}
			t->finding_time[index] = intro_time(s, f->machine, t->finding_time[index]);
		}
		return;
	}
	/* Master's findings and project-wide ones: a machine of master's model gives the family. */
	for (j = 0; f->machine && e->master && j < e->master->machines.n; j++) {
		if (!strcmp(e->master->machines.v[j].name, f->machine)) {
			t->finding_family[index] = e->master->machines.v[j].family;
			break;
		}
	}
}

int html_timeline_build(struct html_timeline *out, struct engine *e,
			const struct finding_list *findings)
{
	size_t i;

	timeline_start(out, e->in.history, e->in.fams, e->nstreams);
	for (i = 0; i < e->nstreams; i++) {
		if (fill_lane(&out->lanes[i + 1], e, &e->streams[i]) < 0) {
			html_timeline_release(out);
			return MT_ERROR;
		}
		if (out->lanes[i + 1].end > out->now)
			out->now = out->lanes[i + 1].end;
	}
	out->finding_time = xcalloc(findings->nr + 1, sizeof(*out->finding_time));
	out->finding_family = xcalloc(findings->nr + 1, sizeof(*out->finding_family));
	for (i = 0; i < findings->nr; i++)
		place(out, i, e, &findings->items[i]);
	return MT_OK;
}

void html_timeline_release(struct html_timeline *t)
{
	size_t i;

	for (i = 0; i < t->nlanes; i++) {
		free(t->lanes[i].events);
		free(t->lanes[i].families);
	}
	free(t->lanes);
	free(t->families);
	free(t->finding_time);
	free(t->finding_family);
	memset(t, 0, sizeof(*t));
}

/* The first release of the lane's stream (by date) whose model has the machine. */
static int64_t first_release_with(struct mt_repo *repo, const struct families *fams,
				  struct model_cache *cache, const struct html_lane *l,
				  const struct mt_history *h, const char *name)
{
	int64_t best = 0;
	size_t i, j;

	for (i = 0; i < l->nevents; i++) {
		const struct html_event *ev = &l->events[i];
		struct model m;

		if (ev->kind != HTML_RELEASE || (best && ev->time >= best))
			continue;
		for (j = 0; j < h->nreleases && strcmp(h->releases[j].name, ev->label); j++)
			;
		if (j == h->nreleases || model_load(&m, cache, repo, fams, &h->releases[j].commit) < 0) {
			mt_error_clear();
			continue;
		}
		if (model_machine(&m, name))
			best = ev->time;
		model_release(&m);
	}
	return best ? best : l->end;
}

int html_streams_build(struct streams_page *out, struct mt_repo *repo,
		       const struct mt_history *h, const struct mt_stream *list,
		       const struct families *fams, struct model_cache *cache)
{
	struct html_timeline *t = &out->timeline;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	timeline_start(t, h, fams, h->nstreams);
	out->models = xcalloc(h->nstreams + 1, sizeof(*out->models));
	for (i = 0; i < h->nstreams; i++) {
		const struct mt_stream *s = &list[i];
		struct html_lane *l = &t->lanes[i + 1];
		const struct model *tip;

		l->stream = s->name;
		lane_releases(l, h, s->major, s->minor);
		if (!l->start)
			l->start = commit_time(repo, &s->base);
		if (!l->end || l->end < l->start)
			l->end = commit_time(repo, &s->tip);
		if (l->end > t->now)
			t->now = l->end;
		if (model_load(&out->models[i], cache, repo, fams, &s->tip) < 0) {
			mt_error_prefix("%s", s->name);
			html_streams_release(out);
			return MT_ERROR;
		}
		out->nmodels = i + 1;
		tip = &out->models[i];
		for (k = 0; k < tip->machines.n; k++) {
			const struct machine *m = &tip->machines.v[k];

			if (m->version.major != s->major || m->version.minor != s->minor)
				continue;
			if (m->kind == MACHINE_RELEASE) {
				lane_add_family(l, m->family);
				continue;
			}
			add_event(l, m->kind == MACHINE_BUGFIX ? HTML_BUGFIX : HTML_TAGGED,
				  first_release_with(repo, fams, cache, l, h, m->name), m->name,
				  m->family);
		}
	}
	return MT_OK;
}

void html_streams_release(struct streams_page *page)
{
	size_t i;

	html_timeline_release(&page->timeline);
	for (i = 0; i < page->nmodels; i++)
		model_release(&page->models[i]);
	free(page->models);
	memset(page, 0, sizeof(*page));
}
