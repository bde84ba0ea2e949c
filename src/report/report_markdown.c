/*
 * Markdown for a merge-request comment: one heading with the counts, what
 * was read (the repository, each ref and its commit), a table
 * of findings per rule, then each finding with its evidence and the next
 * step its rule suggests. GitLab and GitHub cap a comment (GitHub at 65,536
 * characters), so findings stop before `limit` bytes and the comment says
 * how many were left out and where the rest is.
 */
#include "report/report.h"

#include <string.h>

#include "util/oid.h"

#define SHORT_SHA 12
/* Room kept for the closing lines (the count left out, the summary). */
#define TAIL_RESERVE 512

/* Text inside a table cell or a list line: no pipes, no HTML, no newlines. */
static void md_text(struct strbuf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '|':
			strbuf_addstr(out, "\\|");
			break;
		case '\n':
		case '\r':
			strbuf_addch(out, ' ');
			break;
		case '"':
		case '\'':
			strbuf_addch(out, *s); /* no attribute values in markdown */
			break;
		default:
			report_html_escape_char(out, *s);
		}
	}
}

/* A code span that survives backticks in its text (CommonMark: a longer fence). */
static void md_code(struct strbuf *out, const char *s)
{
	const char *fence = strchr(s, '`') ? "`` " : "`";
	const char *close = strchr(s, '`') ? " ``" : "`";

	strbuf_addstr(out, fence);
	for (; *s; s++)
		strbuf_addch(out, *s == '\n' ? ' ' : *s == '|' ? '/' : *s);
	strbuf_addstr(out, close);
}

static const struct rule_def *find_rule(const struct policy *p, const char *id)
{
	size_t i;

	for (i = 0; p && id && i < p->nrules; i++) {
		if (!strcmp(p->rules[i].id, id))
			return &p->rules[i];
	}
	return NULL;
}

static void heading(struct strbuf *out, const struct report *r)
{
	struct report_summary sum;

	report_summarize(&sum, r);
	strbuf_addstr(out, "### mtcheck");
	if (r->title) {
		strbuf_addstr(out, ": ");
		md_text(out, r->title);
	}
	strbuf_addstr(out, "\n\n");
	report_summary_counts(out, &sum, "**", "**");
	strbuf_addch(out, '\n');
}

/* What the report was computed from, as the text report's "read:" line says it. */
static void sources(struct strbuf *out, const struct report *r)
{
	char sha[MT_OID_HEXSZ + 1];
	size_t i;

	if (!r->repository && !r->nrefs)
		return;
	strbuf_addstr(out, "\nRead from ");
	md_code(out, r->repository ? r->repository : "(unknown)");
	for (i = 0; i < r->nrefs; i++) {
		oid_to_short(sha, SHORT_SHA, &r->refs[i].commit);
		strbuf_addstr(out, i ? ", " : ": ");
		md_text(out, r->refs[i].role);
		strbuf_addch(out, ' ');
		md_code(out, r->refs[i].name);
		strbuf_addf(out, " at `%s`", sha);
	}
	strbuf_addstr(out, ".\n");
}

static void gaps(struct strbuf *out, const struct report *r)
{
	size_t i;

	if (!r->ngaps)
		return;
	strbuf_addstr(out, "\n> **Not everything was checked:**\n");
	for (i = 0; i < r->ngaps; i++) {
		strbuf_addstr(out, "> - ");
		md_text(out, r->gaps[i]);
		strbuf_addch(out, '\n');
	}
}

/* One row per rule that has findings: its counts and title. */
static void summary_table(struct strbuf *out, const struct report *r)
{
	const struct policy *p = r->policy;
	size_t i;

	if (!r->findings->nr || !p)
		return;
	strbuf_addstr(out, "\n| rule | errors | warnings | info | what |\n"
			   "| --- | ---: | ---: | ---: | --- |\n");
	for (i = 0; i < p->nrules; i++) {
		size_t n[4];

		if (!report_rule_counts(n, r, p->rules[i].id))
			continue;
		strbuf_addf(out, "| %s | %zu | %zu | %zu | ", p->rules[i].id, n[MT_SEVERITY_ERROR],
			    n[MT_SEVERITY_WARNING], n[MT_SEVERITY_INFO]);
		md_text(out, p->rules[i].title);
		strbuf_addstr(out, " |\n");
	}
}

static void finding_block(struct strbuf *out, const struct report *r, const struct finding *f,
			  size_t number)
{
	const struct rule_def *rule = find_rule(r->policy, f->rule);
	char sha[MT_OID_HEXSZ + 1];

	strbuf_addf(out, "\n#### %zu. %s %s: ", number, severity_name(f->severity),
		    f->rule ? f->rule : "?");
	md_text(out, f->message);
	strbuf_addch(out, '\n');
	if (f->path) {
		strbuf_addstr(out, "- **where:** ");
		md_code(out, f->path);
		if (f->line > 0)
			strbuf_addf(out, " line %d", f->line);
		strbuf_addch(out, '\n');
	}
	if (f->stream) {
		strbuf_addstr(out, "- **stream:** ");
		md_text(out, f->stream);
		strbuf_addch(out, '\n');
	}
	if (f->has_commit) {
		oid_to_short(sha, SHORT_SHA, &f->commit);
		strbuf_addf(out, "- **commit:** `%s`", sha);
		if (f->subject) {
			strbuf_addch(out, ' ');
			md_text(out, f->subject);
		}
		strbuf_addch(out, '\n');
	}
	if (f->has_upstream) {
		oid_to_short(sha, SHORT_SHA, &f->upstream);
		strbuf_addf(out, "- **upstream:** `%s`\n", sha);
	}
	if (f->machine) {
		strbuf_addstr(out, "- **machine:** ");
		md_code(out, f->machine);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "- **next step:** ");
	if (rule && rule->next_step) {
		md_text(out, rule->next_step);
		strbuf_addch(out, ' ');
	}
	strbuf_addf(out, "(why: `mtcheck explain %s`)\n", f->rule ? f->rule : "RULE");
}

void report_markdown(struct strbuf *out, const struct report *r, size_t limit)
{
	struct strbuf block = STRBUF_INIT;
	size_t i, start = out->len, left;

	heading(out, r);
	sources(out, r);
	gaps(out, r);
	summary_table(out, r);
	for (i = 0; i < r->findings->nr; i++) {
		strbuf_reset(&block);
		finding_block(&block, r, &r->findings->items[i], i + 1);
		if (out->len - start + block.len + TAIL_RESERVE > limit)
			break;
		strbuf_add(out, block.buf, block.len);
	}
	left = r->findings->nr - i;
	if (left)
		strbuf_addf(out, "\n_%zu more finding%s not shown: this comment is kept under %zu "
				 "bytes; the job's JSON or SARIF report has them all._\n",
			    left, left == 1 ? " is" : "s are", limit);
	strbuf_release(&block);
}
