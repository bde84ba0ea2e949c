/* Builds the HTML report's timeline (report_html.h) from a finished engine run, or from the streams. */
#ifndef MT_HTML_TIMELINE_H
#define MT_HTML_TIMELINE_H

#include "engine/engine.h"
#include "report/report_html.h"

/*
 * Fills *out from the engine's streams (their releases, bugfix and tagged
 * machines, X.Y machines by family) and places each finding: at its
 * backport's commit time, or its machine's introduction, else the end of
 * its stream. Everything is borrowed from the engine and history, which
 * must outlive it; html_timeline_release frees the arrays.
 */
int html_timeline_build(struct html_timeline *out, struct engine *e,
			const struct finding_list *findings);
void html_timeline_release(struct html_timeline *t);

/*
 * The same timeline for `streams` (no findings, no engine): the streams
 * of `list` (history->nstreams of them, bases resolved) with the machines of
 * their tips; a bugfix or tagged machine sits at the first release of its
 * stream that has it. The page owns the models the timeline points into.
 */
struct streams_page {
	struct html_timeline timeline;
	struct model *models; /* one per stream: its tip's */
	size_t nmodels;
};
int html_streams_build(struct streams_page *out, struct mt_repo *repo,
		       const struct mt_history *h, const struct mt_stream *list,
		       const struct families *fams, struct model_cache *cache);
void html_streams_release(struct streams_page *page);

#endif
