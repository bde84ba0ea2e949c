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
