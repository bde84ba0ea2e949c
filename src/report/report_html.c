/* The auditor's page: see report_html.h. Pure function of its input, like every writer. */
#include "report/report_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/oid.h"

#define LABEL_W 130   /* the lane names' column */
#define PLOT_W 1000   /* the time axis */
#define LANE_H 24
#define AXIS_H 26
#define YEAR_SECONDS 31556952LL /* 365.2425 days */

struct scale {
	int64_t t0, t1;
};

static double x_of(const struct scale *sc, int64_t t)
{
	if (sc->t1 <= sc->t0)
		return LABEL_W;
	if (t < sc->t0)
		t = sc->t0;
	if (t > sc->t1)
		t = sc->t1;
	return LABEL_W + (double)(t - sc->t0) * PLOT_W / (double)(sc->t1 - sc->t0);
}

static void day(char out[16], int64_t t)
{
	date_format(out, t);
}

static bool lane_has_family(const struct html_lane *l, const char *family)
{
	size_t i;

	for (i = 0; i < l->nfamilies; i++) {
		if (!strcmp(l->families[i], family))
			return true;
	}
	return false;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void axis(struct strbuf *out, const struct scale *sc, int height)
{
	char d[16];
	int year, first, last;

	day(d, sc->t0);
	first = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0') + 1;
	day(d, sc->t1);
	last = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	for (year = first; year <= last; year++) {
		char text[24]; /* room for any int: gcc -Og cannot see year is 4 digits */
		int64_t t;
		double x;

		snprintf(text, sizeof(text), "%04d-01-01", year);
		if (date_parse(&t, text) < 0)
			continue;
		x = x_of(sc, t);
		strbuf_addf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
			    x, AXIS_H - 6, x, height);
		if (last - first < 12 || year % 2 == 0)
			strbuf_addf(out, "<text class=\"year\" x=\"%.1f\" y=\"%d\">%d</text>", x,
				    AXIS_H - 10, year);
	}
}

/* Supported, deprecated and past-deletion phases of a lane's X.Y machine. */
static void phases(struct strbuf *out, const struct html_timeline *t, const struct scale *sc,
		   const struct html_lane *l, int y)
{
	int64_t dep = l->start + (int64_t)t->deprecation_years * YEAR_SECONDS;
	int64_t del = l->start + (int64_t)t->deletion_years * YEAR_SECONDS;
	static const char *const names[] = { "supported", "deprecated", "expired" };
	int64_t from[3] = { l->start, dep, del }, to[3] = { dep, del, t->now };
	int i;

	for (i = 0; i < 3; i++) {
		double x0, x1;
		char a[16], b[16];

		if (to[i] > t->now)
			to[i] = t->now;
		if (from[i] >= to[i])
			continue;
		x0 = x_of(sc, from[i]);
		x1 = x_of(sc, to[i]);
		day(a, from[i]);
		day(b, to[i]);
		strbuf_addf(out, "<rect class=\"phase %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
				 "height=\"%d\"><title>%s machine: %s from %s to %s</title></rect>",
			    names[i], x0, y + 4, x1 - x0 > 1 ? x1 - x0 : 1, LANE_H - 8, l->stream,
			    names[i], a, b);
	}
}

static void event(struct strbuf *out, const struct scale *sc, const struct html_event *e, int y)
{
	double x = x_of(sc, e->time), cy = y + LANE_H / 2.0;
	char d[16];

	day(d, e->time);
	if (e->kind == HTML_RELEASE) {
		strbuf_addf(out, "<g class=\"release\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
				 "<title>", x, y + 3, x, y + LANE_H - 3);
	} else {
		strbuf_addf(out, "<g class=\"machine %s\"><path d=\"M%.1f %.1f l5 5 l-5 5 l-5 -5 z\"/>"
				 "<title>%s machine ", e->kind == HTML_BUGFIX ? "bugfix" : "tagged", x,
			    cy - 5, e->kind == HTML_BUGFIX ? "bugfix" : "tagged");
	}
	report_html_escape(out, e->label);
	strbuf_addf(out, ", %s</title></g>", d);
}

/* `*last` is the previous marker's x on this lane: markers that would overlap are set apart. */
static void marker(struct strbuf *out, const struct report *r, const struct html_timeline *t,
		   const struct scale *sc, size_t i, int y, double *last)
{
	const struct finding *f = &r->findings->items[i];
	double x = x_of(sc, t->finding_time[i]);

	if (*last >= 0 && x < *last + 13)
		x = *last + 13;
	*last = x;
	strbuf_addf(out, "<a class=\"marker %s\" href=\"#finding-%zu\" data-finding=\"%zu\">"
			 "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\"/><title>",
		    severity_name(f->severity), i + 1, i + 1, x, y + LANE_H / 2.0);
	report_html_escape(out, f->rule);
	strbuf_addstr(out, ": ");
	report_html_escape(out, f->message);
	strbuf_addstr(out, "</title></a>");
}

/* The lane a finding sits on: its stream's, or the project-wide lane (index nlanes). */
static size_t lane_of(const struct html_timeline *t, const struct finding *f)
{
	size_t i;

	for (i = 0; f->stream && i < t->nlanes; i++) {
		if (!strcmp(t->lanes[i].stream, f->stream))
			return i;
	}
	return t->nlanes;
}

/*
 * One timeline: `family` NULL is the backports' one (findings without a
 * machine family; every lane); else the family's (lanes where it has an
 * X.Y machine or a finding).
 */
static void timeline(struct strbuf *out, const struct report *r, const struct html_timeline *t,
		     const struct scale *sc, const char *family)
{
	size_t *rows = calloc(t->nlanes + 1, sizeof(*rows)), nrows = 0, i, j;
	bool project = false;
	double last;
	int height;

	if (!rows)
		return;
	for (i = 0; i <= t->nlanes; i++) {
		bool show = false;

		for (j = 0; j < r->findings->nr; j++) {
			if (lane_of(t, &r->findings->items[j]) == i &&
			    str_eq(t->finding_family[j], family))
				show = true;
		}
		if (i < t->nlanes && (!family || lane_has_family(&t->lanes[i], family)))
			show = true;
		if (!show)
			continue;
		if (i == t->nlanes)
			project = true;
		rows[nrows++] = i;
	}
	if (!nrows) {
		/* A family the repository never had in a stream: nothing to draw. */
		free(rows);
		return;
	}
	height = AXIS_H + (int)nrows * LANE_H + 4;
	strbuf_addf(out, "<section class=\"family\" id=\"timeline-%s\"><h2>", family ? family : "backports");
	if (family) {
		strbuf_addstr(out, "Machine family ");
		report_html_escape(out, family);
	} else {
		strbuf_addstr(out, r->findings->nr ? "Backports and project-wide findings"
						   : "Streams and releases");
	}
	strbuf_addf(out, "</h2><svg class=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			 "role=\"img\">", LABEL_W + PLOT_W + 10, height, LABEL_W + PLOT_W + 10, height);
	axis(out, sc, height);
	for (i = 0; i < nrows; i++) {
		size_t li = rows[i];
		int y = AXIS_H + (int)i * LANE_H;
		const char *name = li < t->nlanes ? t->lanes[li].stream : "project-wide";

		strbuf_addf(out, "<g class=\"lane\"><text class=\"lane-name\" x=\"4\" y=\"%d\">", y + 16);
		report_html_escape(out, name);
		strbuf_addstr(out, "</text>");
		if (li < t->nlanes) {
			const struct html_lane *l = &t->lanes[li];

			if (family && lane_has_family(l, family))
				phases(out, t, sc, l, y);
			strbuf_addf(out, "<line class=\"span\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					 "y2=\"%.1f\"/>", x_of(sc, l->start), y + LANE_H / 2.0,
				    x_of(sc, l->end), y + LANE_H / 2.0);
			for (j = 0; j < l->nevents; j++) {
				const struct html_event *e = &l->events[j];

				if (e->kind == HTML_RELEASE || str_eq(e->family, family))
					event(out, sc, e, y);
			}
		}
		last = -1;
		for (j = 0; j < r->findings->nr; j++) {
			if (lane_of(t, &r->findings->items[j]) == li &&
			    str_eq(t->finding_family[j], family))
				marker(out, r, t, sc, j, y, &last);
		}
		strbuf_addstr(out, "</g>");
	}
	(void)project;
	strbuf_addstr(out, "</svg></section>\n");
	free(rows);
}

static void findings_table(struct strbuf *out, const struct report *r)
{
	size_t i;

	strbuf_addstr(out, "<section id=\"findings\"><h2>Findings</h2><table><thead><tr><th>#</th>"
			   "<th>severity</th><th>rule</th><th>finding and evidence</th></tr></thead>"
			   "<tbody>\n");
	for (i = 0; i < r->findings->nr; i++) {
		const struct finding *f = &r->findings->items[i];
		char fp[FINDING_FINGERPRINT_SIZE], sha[MT_OID_HEXSZ + 1];

		finding_fingerprint(fp, f);
		strbuf_addf(out, "<tr id=\"finding-%zu\" class=\"finding %s\" data-fingerprint=\"%s\" "
				 "data-rule=\"", i + 1, severity_name(f->severity), fp);
		report_html_escape(out, f->rule);
		strbuf_addf(out, "\"><td>%zu</td><td>%s</td><td>", i + 1, severity_name(f->severity));
		report_html_escape(out, f->rule);
		strbuf_addstr(out, "</td><td><p class=\"message\">");
		report_html_escape(out, f->message);
		strbuf_addstr(out, "</p><dl>");
		if (f->path) {
			strbuf_addstr(out, "<dt>where</dt><dd><code>");
			report_html_escape(out, f->path);
			if (f->line > 0)
				strbuf_addf(out, ":%d", f->line);
			strbuf_addstr(out, "</code></dd>");
		}
		if (f->stream) {
			strbuf_addstr(out, "<dt>stream</dt><dd>");
			report_html_escape(out, f->stream);
			strbuf_addstr(out, "</dd>");
		}
		if (f->has_commit) {
			oid_to_hex(sha, &f->commit);
			strbuf_addf(out, "<dt>commit</dt><dd><code title=\"%s\">%.12s</code> ", sha, sha);
			report_html_escape(out, f->subject);
			strbuf_addstr(out, "</dd>");
		}
		if (f->has_upstream) {
			oid_to_hex(sha, &f->upstream);
			strbuf_addf(out, "<dt>upstream</dt><dd><code title=\"%s\">%.12s</code></dd>", sha,
				    sha);
		}
		if (f->machine) {
			strbuf_addstr(out, "<dt>machine</dt><dd><code>");
			report_html_escape(out, f->machine);
			strbuf_addstr(out, "</code></dd>");
		}
		strbuf_addstr(out, "</dl></td></tr>\n");
	}
	strbuf_addstr(out, "</tbody></table></section>\n");
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}"
	"h1{font-size:1.4em}h2{font-size:1.1em;margin:1.4em 0 .3em}"
	".summary td,.summary th{padding:2px 10px;text-align:right}"
	".summary td:last-child,.summary th:last-child{text-align:left}"
	"svg.timeline{display:block;border:1px solid #ddd;background:#fcfcfc}"
	".grid{stroke:#e4e4e4}.year{font-size:11px;fill:#666;text-anchor:middle}"
	".lane-name{font-size:12px;fill:#333}.span{stroke:#999;stroke-width:1.5}"
	".phase.supported{fill:#d7f0d2}.phase.deprecated{fill:#fbe7b5}.phase.expired{fill:#e2e2e2}"
	".release line{stroke:#1f5fa8;stroke-width:2}"
	".machine path{stroke:#222;stroke-width:1}.machine.bugfix path{fill:#2a9d8f}"
	".machine.tagged path{fill:#9b5de5}"
	".marker circle{stroke:#222;stroke-width:1;cursor:pointer}"
	".marker.error circle{fill:#d62828}.marker.warning circle{fill:#f28c28}"
	".marker.info circle{fill:#4ea8de}.marker.selected circle{stroke-width:3}"
	".legend span{margin-right:1.2em}.legend i{display:inline-block;width:12px;height:12px;"
	"margin-right:4px;vertical-align:-2px;border:1px solid #888}"
	"table{border-collapse:collapse;width:100%}#findings td,#findings th{border-top:1px solid #ddd;"
	"padding:4px 8px;vertical-align:top;text-align:left}"
	"tr.finding.selected{background:#fff3c4}dl{margin:0;display:grid;"
	"grid-template-columns:max-content auto;gap:0 10px}dt{color:#666}dd{margin:0}"
	"#evidence{position:sticky;top:0;background:#fffbe6;border:1px solid #e0c96b;"
	"padding:6px 10px;margin:.5em 0}#evidence[hidden]{display:none}"
	".message{margin:0 0 4px}";

/* Clicking a marker shows its finding's evidence above the timelines and marks its row. */
static const char script[] =
	"(function(){'use strict';"
	"var panel=document.getElementById('evidence');"
	"function show(n){var row=document.getElementById('finding-'+n);if(!row)return;"
	"document.querySelectorAll('.selected').forEach(function(e){e.classList.remove('selected');});"
	"row.classList.add('selected');"
	"document.querySelectorAll('.marker[data-finding=\"'+n+'\"]').forEach(function(m){"
	"m.classList.add('selected');});"
	"panel.innerHTML='';var h=document.createElement('strong');"
	"h.textContent='Finding '+n+' ('+row.dataset.rule+')';panel.appendChild(h);"
	"panel.appendChild(row.cells[3].cloneNode(true));panel.hidden=false;}"
	"document.querySelectorAll('.marker').forEach(function(m){"
	"m.addEventListener('click',function(ev){ev.preventDefault();show(m.dataset.finding);});});"
	"document.body.dataset.markers=String(document.querySelectorAll('.marker').length);"
	"})();";

void report_html(struct strbuf *out, const struct report *r, const struct html_timeline *t)
{
	struct report_summary sum;
	struct scale sc = { 0, t->now };
	size_t i;

	for (i = 0; i < t->nlanes; i++) {
		if (!sc.t0 || (t->lanes[i].start && t->lanes[i].start < sc.t0))
			sc.t0 = t->lanes[i].start;
	}
	for (i = 0; i < r->findings->nr; i++) {
		if (t->finding_time[i] > sc.t1)
			sc.t1 = t->finding_time[i];
		if (t->finding_time[i] && t->finding_time[i] < sc.t0)
			sc.t0 = t->finding_time[i];
	}
	sc.t0 -= YEAR_SECONDS / 12;
	sc.t1 += YEAR_SECONDS / 12;
	report_summarize(&sum, r);
	strbuf_addstr(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
			   "<meta name=\"viewport\" content=\"width=device-width\">"
			   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			   "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
			   "<title>mtcheck");
	if (r->title) {
		strbuf_addstr(out, ": ");
		report_html_escape(out, r->title);
	}
	strbuf_addf(out, "</title><style>%s</style></head>\n<body>\n<h1>mtcheck", style);
	if (r->title) {
		strbuf_addstr(out, ": ");
		report_html_escape(out, r->title);
	}
	strbuf_addstr(out, "</h1>\n<p>");
	if (r->repository) {
		strbuf_addstr(out, "Repository <code>");
		report_html_escape(out, r->repository);
		strbuf_addstr(out, "</code>");
	}
	if (r->branch) {
		strbuf_addstr(out, ", ");
		report_html_escape(out, r->branch);
	}
	if (r->revision)
		strbuf_addf(out, " at <code>%.12s</code>", r->revision);
	strbuf_addstr(out, ". ");
	report_summary_counts(out, &sum, "<strong>", "</strong>");
	strbuf_addstr(out, "</p>\n");
	for (i = 0; i < r->ngaps; i++) {
		strbuf_addstr(out, "<p class=\"gap\"><strong>Not checked:</strong> ");
		report_html_escape(out, r->gaps[i]);
		strbuf_addstr(out, "</p>\n");
	}
	if (r->findings->nr)
		strbuf_addstr(out, "<table class=\"summary\"><tr><th>errors</th><th>warnings</th>"
				   "<th>info</th><th>rule</th></tr>");
	for (i = 0; r->policy && i < r->policy->nrules; i++) {
		size_t n[4];

		if (!report_rule_counts(n, r, r->policy->rules[i].id))
			continue;
		strbuf_addf(out, "<tr><td>%zu</td><td>%zu</td><td>%zu</td><td>%s ", n[3], n[2], n[1],
			    r->policy->rules[i].id);
		report_html_escape(out, r->policy->rules[i].title);
		strbuf_addstr(out, "</td></tr>");
	}
	if (r->findings->nr)
		strbuf_addstr(out, "</table>\n");
	strbuf_addstr(out, "<p class=\"legend\"><span><i style=\"background:#d7f0d2\"></i>"
			   "supported</span><span><i style=\"background:#fbe7b5\"></i>deprecated</span>"
			   "<span><i style=\"background:#e2e2e2\"></i>past deletion</span>"
			   "<span><i style=\"background:#1f5fa8\"></i>release</span>"
			   "<span><i style=\"background:#2a9d8f\"></i>bugfix machine</span>"
			   "<span><i style=\"background:#9b5de5\"></i>tagged machine</span>"
			   "<span><i style=\"background:#d62828;border-radius:6px\"></i>error</span>"
			   "<span><i style=\"background:#f28c28;border-radius:6px\"></i>warning</span>"
			   "<span><i style=\"background:#4ea8de;border-radius:6px\"></i>info</span></p>\n"
			   "<div id=\"evidence\" hidden></div>\n");
	timeline(out, r, t, &sc, NULL);
	for (i = 0; i < t->nfamilies; i++)
		timeline(out, r, t, &sc, t->families[i]);
	findings_table(out, r);
	strbuf_addf(out, "<script>%s</script>\n</body></html>\n", script);
}
