/*
 * GitLab Code Quality: an array of issues for merge-request widgets. The
 * fingerprint is the finding's line-free one, so moving code does not make
 * an old finding look new. Suppressed findings are left out: the widget
 * has no notion of them.
 */
#include "report/report.h"

#include "util/jsontext.h"
#include "report/report_json.h"

void report_codequality(struct strbuf *out, const struct report *r)
{
	json_t *issues = json_array();
	size_t i;

	for (i = 0; i < r->findings->nr; i++) {
		const struct finding *f = &r->findings->items[i];
		json_t *o = json_object(), *loc = json_object(), *lines = json_object();
		char fp[FINDING_FINGERPRINT_SIZE];

		finding_fingerprint(fp, f);
		json_object_set_new(o, "type", json_string("issue"));
		json_object_set_new(o, "description", json_text(f->message ? f->message : ""));
		json_object_set_new(o, "check_name", json_string(f->rule ? f->rule : ""));
		json_object_set_new(o, "fingerprint", json_string(fp));
		json_object_set_new(o, "severity",
				    json_string(report_codequality_severity(f->severity)));
		json_object_set_new(o, "categories", json_pack("[s]", "Bug Risk"));
		/* GitLab needs a path and a line; a finding without a file is about the tree. */
		json_object_set_new(loc, "path", json_text(f->path ? f->path : "."));
		json_object_set_new(lines, "begin", json_integer(f->line > 0 ? f->line : 1));
		json_object_set_new(loc, "lines", lines);
		json_object_set_new(o, "location", loc);
		json_array_append_new(issues, o);
	}
	report_json_dump(out, issues);
}
