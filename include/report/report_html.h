/*
 * The HTML report for auditors: one self-contained page (inline CSS, SVG and
 * a few lines of inline script; nothing fetched) with a timeline per machine
 * family. Streams are lanes; on each lane its releases, its bugfix and
 * tagged machines, the lifecycle phases of its X.Y machine (supported,
 * deprecated, past deletion) and its findings as markers that open their
 * evidence. Backport findings that name no machine get a timeline of their
 * own, project-wide ones a lane of their own. Every finding is also a row
 * of the table below the timelines (id "finding-N", data-fingerprint).
 *
 * The caller builds the timeline from its model; the writer borrows it.
 */
#ifndef MT_REPORT_HTML_H
#define MT_REPORT_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

enum html_event_kind { HTML_RELEASE, HTML_BUGFIX, HTML_TAGGED };

struct html_event {
	enum html_event_kind kind;
	int64_t time;
	const char *label;  /* "v10.0.1", "pc-q35-10.0.2" */
	const char *family; /* machines: their family id; releases: NULL */
};

struct html_lane {
	const char *stream; /* "stable-10.0", "master" */
	int64_t start, end; /* its base release .. its newest release (or tip) */
	struct html_event *events;
	size_t nevents;
	/* Families whose X.Y release machine the stream has (lifecycle bands), by id. */
	const char **families;
	size_t nfamilies;
};

struct html_timeline {
	const char **families; /* ids, families.json order */
	size_t nfamilies;
	struct html_lane *lanes; /* master first, then streams by version */
	size_t nlanes;
	int deprecation_years, deletion_years;
	int64_t now; /* the newest release: lifecycle is measured against it, never the clock */
	/* Per finding of the report, same order: where it sits. */
	int64_t *finding_time;
	const char **finding_family; /* NULL: a backport or project-wide finding */
};

void report_html(struct strbuf *out, const struct report *report, const struct html_timeline *t);

#endif
