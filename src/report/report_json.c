/* The JSON report: the versioned contract of design.md (schema 1). */
#include "report/report.h"

#include <stdlib.h>

#include "util/jsontext.h"
#include "util/mtcheck_version.h"
#include "report/report_json.h"

#define REPORT_SCHEMA 1

json_t *report_json_refs(const struct report *r)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < r->nrefs; i++)
		json_array_append_new(list, json_pack("{s:s,s:o,s:o}", "role", r->refs[i].role,
						      "name", json_text_or_null(r->refs[i].name),
						      "commit",
						      json_oid_or_null(true, &r->refs[i].commit)));
	return list;
}

json_t *report_json_finding(const struct finding *f)
{
	json_t *o = json_object();
	char fp[FINDING_FINGERPRINT_SIZE];

	finding_fingerprint(fp, f);
	json_object_set_new(o, "rule", json_text_or_null(f->rule));
	json_object_set_new(o, "severity", json_string(severity_name(f->severity)));
	json_object_set_new(o, "stream", json_text_or_null(f->stream));
	json_object_set_new(o, "commit", json_oid_or_null(f->has_commit, &f->commit));
	json_object_set_new(o, "subject", json_text_or_null(f->subject));
	json_object_set_new(o, "upstream", json_oid_or_null(f->has_upstream, &f->upstream));
	json_object_set_new(o, "machine", json_text_or_null(f->machine));
	json_object_set_new(o, "path", json_text_or_null(f->path));
	json_object_set_new(o, "line", f->line > 0 ? json_integer(f->line) : json_null());
	json_object_set_new(o, "message", json_text_or_null(f->message));
	json_object_set_new(o, "fingerprint", json_string(fp));
	return o;
}

void report_json(struct strbuf *out, const struct report *r)
{
	json_t *root = json_object(), *tool = json_object(), *findings = json_array(),
	       *suppressed = json_array(), *summary = json_object();
	struct report_summary sum;
	size_t i;

	json_object_set_new(tool, "name", json_string("mtcheck"));
	json_object_set_new(tool, "version", json_string(MTCHECK_VERSION));
	for (i = 0; i < r->findings->nr; i++)
		json_array_append_new(findings, report_json_finding(&r->findings->items[i]));
	for (i = 0; r->suppressed && i < r->suppressed->nr; i++) {
		const struct suppressed *s = &r->suppressed->items[i];
		json_t *o = json_object();

		json_object_set_new(o, "finding", report_json_finding(&s->finding));
		json_object_set_new(o, "by", json_string(suppressed_by_name(s->by)));
		json_object_set_new(o, "reason", json_string(s->reason));
		json_array_append_new(suppressed, o);
	}
	report_summarize(&sum, r);
	json_object_set_new(summary, "error", json_integer((json_int_t)sum.error));
	json_object_set_new(summary, "warning", json_integer((json_int_t)sum.warning));
	json_object_set_new(summary, "info", json_integer((json_int_t)sum.info));
	json_object_set_new(summary, "suppressed", json_integer((json_int_t)sum.suppressed));
	json_object_set_new(root, "schema", json_integer(REPORT_SCHEMA));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "repository", json_text_or_null(r->repository));
	json_object_set_new(root, "refs", report_json_refs(r));
	json_object_set_new(root, "findings", findings);
	json_object_set_new(root, "suppressed", suppressed);
	json_object_set_new(root, "summary", summary);
	json_dump_to(out, root);
}
