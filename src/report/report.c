/* What every output format shares: the summary, --fail-on and the exit status. */
#include "report/report.h"

#include <string.h>

#include "util/error.h"

void report_summarize(struct report_summary *out, const struct report *r)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->findings->nr; i++) {
		switch (r->findings->items[i].severity) {
		case MT_SEVERITY_ERROR:
			out->error++;
			break;
		case MT_SEVERITY_WARNING:
			out->warning++;
			break;
		case MT_SEVERITY_INFO:
			out->info++;
			break;
		}
	}
	for (i = 0; r->suppressed && i < r->suppressed->nr; i++) {
		out->suppressed++;
		if (r->suppressed->items[i].by == SUPPRESSED_BY_WAIVER)
			out->by_waiver++;
		else
			out->by_baseline++;
	}
}

void report_summary_counts(struct strbuf *out, const struct report_summary *sum, const char *open,
			   const char *close)
{
	strbuf_addf(out, "%s%zu error%s, %zu warning%s, %zu info%s, %zu suppressed.", open, sum->error,
		    sum->error == 1 ? "" : "s", sum->warning, sum->warning == 1 ? "" : "s", sum->info,
		    close, sum->suppressed);
}

bool report_rule_counts(size_t n[4], const struct report *r, const char *rule)
{
	size_t i;

	n[0] = n[1] = n[2] = n[3] = 0;
	for (i = 0; i < r->findings->nr; i++) {
		const struct finding *f = &r->findings->items[i];

		if (f->rule && !strcmp(f->rule, rule))
			n[f->severity]++;
	}
	return n[MT_SEVERITY_ERROR] || n[MT_SEVERITY_WARNING] || n[MT_SEVERITY_INFO];
}

void report_html_escape_char(struct strbuf *out, char c)
{
	switch (c) {
	case '<':
		strbuf_addstr(out, "&lt;");
		break;
	case '>':
		strbuf_addstr(out, "&gt;");
		break;
	case '&':
		strbuf_addstr(out, "&amp;");
		break;
	case '"':
		strbuf_addstr(out, "&quot;");
		break;
	case '\'':
		strbuf_addstr(out, "&#39;");
		break;
	default:
		strbuf_addch(out, c);
	}
}

void report_html_escape(struct strbuf *out, const char *s)
{
	for (; s && *s; s++)
		report_html_escape_char(out, *s);
}

void report_write(struct strbuf *out, const struct report *report, enum mt_format format)
{
	switch (format) {
	case MT_FORMAT_JSON:
		report_json(out, report);
		break;
	case MT_FORMAT_SARIF:
		report_sarif(out, report);
		break;
	case MT_FORMAT_CODEQUALITY:
		report_codequality(out, report);
		break;
	case MT_FORMAT_MARKDOWN:
		report_markdown(out, report, REPORT_MARKDOWN_LIMIT);
		break;
	case MT_FORMAT_TEXT:
	case MT_FORMAT_HTML: /* needs the model as well: report_html() */
		report_text(out, report);
		break;
	}
}

int report_parse_fail_on(int *out, const char *text)
{
	enum mt_severity sev;

	if (!strcmp(text, "none")) {
		*out = MT_FAIL_ON_NONE;
		return MT_OK;
	}
	if (severity_parse(&sev, text) < 0)
		return mt_error_set("--fail-on: unknown level '%s' (use error, warning, info or none)",
				    text);
	*out = (int)sev;
	return MT_OK;
}

int report_exit_status(const struct finding_list *findings, int fail_on)
{
	size_t i;

	if (fail_on == MT_FAIL_ON_NONE)
		return MT_EXIT_OK;
	for (i = 0; i < findings->nr; i++) {
		if ((int)findings->items[i].severity >= fail_on)
			return MT_EXIT_FINDINGS;
	}
	return MT_EXIT_OK;
}

const char *report_codequality_severity(enum mt_severity severity)
{
	switch (severity) {
	case MT_SEVERITY_ERROR:
		return "critical";
	case MT_SEVERITY_WARNING:
		return "major";
	case MT_SEVERITY_INFO:
		break;
	}
	return "info";
}

const char *report_sarif_level(enum mt_severity severity)
{
	switch (severity) {
	case MT_SEVERITY_ERROR:
		return "error";
	case MT_SEVERITY_WARNING:
		return "warning";
	case MT_SEVERITY_INFO:
		break;
	}
	return "note";
}
