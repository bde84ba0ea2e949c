/*
 * report: writes the findings of a run in the six output formats. Every
 * writer appends to a strbuf and is a pure function of its input, so the
 * same findings give the same bytes.
 *
 *   text         path:line: severity: message [RULE] and indented evidence
 *                lines (stream, commit, upstream, machine), then a summary line
 *   json         the design.md contract (schema 1; keys always present, null
 *                when unknown)
 *   sarif        SARIF 2.1.0, rules[] from the catalogue, suppressed findings
 *                as results with `suppressions`
 *   codequality  GitLab Code Quality: an array of issues
 *   markdown     a merge-request comment: a summary table, then each finding
 *                with its evidence and next step, under 64 KiB
 *   html         (report_html.h) one self-contained page for auditors, with
 *                timelines built from the engine's run (html_timeline.h)
 *
 * May call engine (the run's streams, for the timeline), policy (rule
 * texts), machines, history, repo and util; only cli calls it.
 */
#ifndef MT_REPORT_H
#define MT_REPORT_H

#include <stdbool.h>

#include "policy/finding.h"
#include "policy/policy.h"
#include "util/error.h"
#include "util/strbuf.h"

/* --format: what a report is written as (a bit each: a command lists the ones it writes). */
enum mt_format {
	MT_FORMAT_TEXT = 1 << 0,
	MT_FORMAT_JSON = 1 << 1,
	MT_FORMAT_SARIF = 1 << 2,
	MT_FORMAT_CODEQUALITY = 1 << 3,
	MT_FORMAT_MARKDOWN = 1 << 4,
	MT_FORMAT_HTML = 1 << 5,
};

/* What a report shows; the report borrows everything (nothing is freed). */
/* A ref the run read, for the report to name: what the answer was computed from. */
struct report_ref {
	const char *role; /* "checked", "master", "stream", "since", "config" */
	const char *name; /* as the user or the history named it: "stable-10.0", "HEAD" */
	struct mt_oid commit;
};

struct report {
	const char *repository;                /* display path, or NULL */
	const struct report_ref *refs;         /* the refs read, in the order met; may be NULL */
	size_t nrefs;
	const struct policy *policy;           /* for rule texts (SARIF rules[]) */
	const struct finding_list *findings;   /* sorted (finding_list_sort) */
	const struct suppressed_list *suppressed; /* may be NULL */
	bool color;           /* text: ANSI colours (the caller asks cli_use_color) */
	bool show_suppressed; /* text: list suppressed findings too */
	const char *title;    /* markdown, html: what was run ("check stable-10.0"), or NULL */
	/* SARIF versionControlProvenance; any may be NULL. */
	const char *repository_uri; /* the origin remote's URL, else a file:// URI */
	const char *revision;       /* 40-hex commit checked (check: the ref's; audit: master's) */
	const char *branch;         /* the ref checked, as given */
	/*
	 * What the run could not check (no master, unreadable commits), one
	 * sentence each: SARIF's execution notifications, a note in the others.
	 * A run with gaps is not reported as a successful execution.
	 */
	char *const *gaps;
	size_t ngaps;
};

/* Counts of unsuppressed findings by severity. */
struct report_summary {
	size_t error, warning, info, suppressed, by_waiver, by_baseline;
};
void report_summarize(struct report_summary *out, const struct report *report);
/* "N errors, N warnings, N info" with `open` and `close` (markup) around it, then ", N suppressed.". */
void report_summary_counts(struct strbuf *out, const struct report_summary *sum, const char *open,
			   const char *close);
/*
 * The unsuppressed findings of rule `rule` by severity (n[MT_SEVERITY_*]),
 * for the summary tables; false when it has none.
 */
bool report_rule_counts(size_t n[4], const struct report *report, const char *rule);
/* Appends `s` (NULL: nothing) with <, >, &, " and ' as HTML entities. */
void report_html_escape(struct strbuf *out, const char *s);
/* The same for one character of `s` (markdown escapes a few more on its own). */
void report_html_escape_char(struct strbuf *out, char c);

void report_text(struct strbuf *out, const struct report *report);
/* Pieces of the text report, for reports that group findings (audit). */
void report_text_finding(struct strbuf *out, const struct finding *f, bool color,
			 const char *suppressed_note);
void report_text_summary(struct strbuf *out, const struct report *report); /* the last line */
/* "repository PATH" and "read: ROLE NAME SHA, ..." lines: what the report was computed from. */
void report_text_sources(struct strbuf *out, const struct report *report);
void report_json(struct strbuf *out, const struct report *report);
void report_sarif(struct strbuf *out, const struct report *report);
void report_codequality(struct strbuf *out, const struct report *report);
/* Stops adding findings before `limit` bytes and says how many were left out. */
#define REPORT_MARKDOWN_LIMIT 65536
void report_markdown(struct strbuf *out, const struct report *report, size_t limit);
/* One of the above by format. */
void report_write(struct strbuf *out, const struct report *report, enum mt_format format);

/* --fail-on: the least severity that fails the run; MT_FAIL_ON_NONE never fails. */
#define MT_FAIL_ON_NONE 0
/* Parses "error", "warning", "info" or "none" into *out (a severity or MT_FAIL_ON_NONE). */
int report_parse_fail_on(int *out, const char *text);
/* MT_EXIT_FINDINGS when an unsuppressed finding is at or above fail_on, else MT_EXIT_OK. */
int report_exit_status(const struct finding_list *findings, int fail_on);

/* Helpers the writers share. */
/* "GitLab Code Quality" severity of a finding: error critical, warning major, info info. */
const char *report_codequality_severity(enum mt_severity severity);
/* SARIF level: error, warning, note. */
const char *report_sarif_level(enum mt_severity severity);

#endif
