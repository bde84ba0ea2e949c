/* Internal to the report writers: JSON building blocks the formats share. */
#ifndef MT_REPORT_JSON_H
#define MT_REPORT_JSON_H

#include <jansson.h>

#include "policy/finding.h"
#include "util/strbuf.h"

/* One finding as the design.md contract shows it, fingerprint included. */
json_t *report_json_finding(const struct finding *finding);
struct report;
/* [{"role": "checked", "name": "stable-10.0", "commit": "<40-hex>"}, ...] of the refs read. */
json_t *report_json_refs(const struct report *report);

#endif
