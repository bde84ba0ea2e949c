/*
 * GitLab Code Quality: an array of issues for merge-request widgets. The
 * fingerprint is the finding's line-free one, so moving code does not make
 * an old finding look new. Suppressed findings are left out: the widget
 * has no notion of them.
 */
#include "report/report.h"

#include "util/oid.h"

#include "util/jsontext.h"
#include "report/report_json.h"

/*
 * The widget shows only the description and the file: the stream and the
 * commit go into it, or a reviewer cannot tell which backport is meant.
 */
static void describe(struct strbuf *out, const struct finding *f)
{
	char sha[MT_OID_HEXSZ + 1];

	strbuf_reset(out);
	strbuf_addf(out, "%s: %s", f->rule ? f->rule : "?", f->message ? f->message : "");
	if (f->stream || f->has_commit || f->machine) {
		const char *sep = " (";

		if (f->stream) {
			strbuf_addf(out, "%sstream %s", sep, f->stream);
			sep = ", ";
		}
		if (f->has_commit) {
			oid_to_short(sha, 12, &f->commit);
			strbuf_addf(out, "%scommit %s%s%s", sep, sha, f->subject ? " " : "",
				    f->subject ? f->subject : "");
			sep = ", ";
		}
		if (f->machine)
			strbuf_addf(out, "%smachine %s", sep, f->machine);
		strbuf_addch(out, ')');
	}
}

void report_codequality(struct strbuf *out, const struct report *r)
{
	json_t *issues = json_array();
	struct strbuf desc = STRBUF_INIT;
	size_t i;

	for (i = 0; i < r->findings->nr; i++) {
		const struct finding *f = &r->findings->items[i];
		json_t *o = json_object(), *loc = json_object(), *lines = json_object();
		char fp[FINDING_FINGERPRINT_SIZE];

		finding_fingerprint(fp, f);
		describe(&desc, f);
		json_object_set_new(o, "type", json_string("issue"));
		json_object_set_new(o, "description", json_text(desc.buf));
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
	strbuf_release(&desc);
	json_dump_to(out, issues);
}
