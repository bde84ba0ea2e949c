/* The text report: compiler-shaped lines a terminal and an editor both understand. */
#include "report/report.h"

#include "util/oid.h"

#define SHORT_SHA 12

static const char *severity_color(enum mt_severity severity)
{
	switch (severity) {
	case MT_SEVERITY_ERROR:
		return "\033[1;31m";
	case MT_SEVERITY_WARNING:
		return "\033[1;35m";
	case MT_SEVERITY_INFO:
		break;
	}
	return "\033[1;36m";
}

/* Where the finding is: path:line, else path, else its stream, else "mtcheck". */
static void location(struct strbuf *out, const struct finding *f)
{
	if (f->path && f->line > 0)
		strbuf_addf(out, "%s:%d", f->path, f->line);
	else if (f->path)
		strbuf_addstr(out, f->path);
	else if (f->stream)
		strbuf_addstr(out, f->stream);
	else
		strbuf_addstr(out, "mtcheck");
}

void report_text_finding(struct strbuf *out, const struct finding *f, bool color,
			 const char *suppressed_note)
{
	char sha[MT_OID_HEXSZ + 1];

	if (color)
		strbuf_addstr(out, "\033[1m");
	location(out, f);
	strbuf_addstr(out, ":");
	if (color)
		strbuf_addstr(out, "\033[0m");
	strbuf_addch(out, ' ');
	if (color)
		strbuf_addstr(out, severity_color(f->severity));
	strbuf_addf(out, "%s:", severity_name(f->severity));
	if (color)
		strbuf_addstr(out, "\033[0m");
	strbuf_addf(out, " %s [%s]\n", f->message ? f->message : "", f->rule ? f->rule : "?");
	if (f->stream)
		strbuf_addf(out, "    stream: %s\n", f->stream);
	if (f->has_commit) {
		oid_to_short(sha, SHORT_SHA, &f->commit);
		strbuf_addf(out, "    commit: %s%s%s\n", sha, f->subject ? " " : "",
			    f->subject ? f->subject : "");
	}
	if (f->has_upstream) {
		oid_to_short(sha, SHORT_SHA, &f->upstream);
		strbuf_addf(out, "    upstream: %s\n", sha);
	}
	if (f->machine)
		strbuf_addf(out, "    machine: %s\n", f->machine);
	if (suppressed_note)
		strbuf_addf(out, "    suppressed: %s\n", suppressed_note);
}

static void plural(struct strbuf *out, size_t n, const char *one, const char *many)
{
	strbuf_addf(out, "%zu %s", n, n == 1 ? one : many);
}

void report_text(struct strbuf *out, const struct report *r)
{
	size_t i;

	for (i = 0; i < r->findings->nr; i++)
		report_text_finding(out, &r->findings->items[i], r->color, NULL);
	for (i = 0; r->show_suppressed && r->suppressed && i < r->suppressed->nr; i++) {
		const struct suppressed *s = &r->suppressed->items[i];
		struct strbuf note = STRBUF_INIT;

		strbuf_addf(&note, "by %s: %s", suppressed_by_name(s->by), s->reason);
		report_text_finding(out, &s->finding, r->color, note.buf);
		strbuf_release(&note);
	}
	report_text_summary(out, r);
}

void report_text_summary(struct strbuf *out, const struct report *r)
{
	struct report_summary sum;
	size_t total;

	report_summarize(&sum, r);
	total = sum.error + sum.warning + sum.info;
	plural(out, total, "finding", "findings");
	if (total)
		strbuf_addf(out, " (%zu error%s, %zu warning%s, %zu info)", sum.error,
			    sum.error == 1 ? "" : "s", sum.warning, sum.warning == 1 ? "" : "s",
			    sum.info);
	strbuf_addf(out, ", %zu suppressed", sum.suppressed);
	if (sum.suppressed)
		strbuf_addf(out, " (%zu by waiver, %zu by baseline%s)", sum.by_waiver,
			    sum.by_baseline, r->show_suppressed ? "" : "; --show-suppressed lists them");
	strbuf_addch(out, '\n');
}

void report_text_sources(struct strbuf *out, const struct report *r)
{
	char sha[MT_OID_HEXSZ + 1];
	size_t i;

	strbuf_addf(out, "repository %s\n", r->repository ? r->repository : "(unknown)");
	if (!r->nrefs)
		return;
	strbuf_addstr(out, "read:");
	for (i = 0; i < r->nrefs; i++) {
		oid_to_short(sha, SHORT_SHA, &r->refs[i].commit);
		strbuf_addf(out, "%s %s %s %s", i ? "," : "", r->refs[i].role, r->refs[i].name, sha);
	}
	strbuf_addch(out, '\n');
}
