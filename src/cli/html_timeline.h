/* Builds the HTML report's timeline from a finished engine run. Not a public interface. */
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

#endif
