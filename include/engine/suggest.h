/*
 * suggest: what a maintainer does about an ABI001 finding of `check`, as a
 * plan: the bugfix machine X.Y.Z per affected family in the stream, in
 * master and in each newer maintained stream, written in the family's
 * syntax of the tree's era (rules/families.json), and the compat entries
 * that keep the plain X.Y machines as they were; or, where the policy allows
 * no bugfix machine (the stream already shipped one for the family), the
 * guest-visible hunks to revert instead.
 *
 * Ownership: struct suggest_plan owns its strings; suggest_plan_release().
 */
#ifndef MT_SUGGEST_H
#define MT_SUGGEST_H

#include <stddef.h>

#include "engine/engine.h"
#include "policy/finding.h"
#include "util/strbuf.h"

struct suggest_plan {
	struct strbuf text; /* the plan, lines ending in newlines */
	size_t machines;    /* bugfix machines it asks for (in the stream) */
	size_t reverts;     /* families where the change is to be reverted instead */
};

/*
 * The plan for ABI001 finding `f` of the engine's checked stream (the engine
 * has run). `micro` < 0: the stream's next release.
 */
int suggest_plan(struct suggest_plan *out, struct engine *e, const struct finding *f, int micro);
void suggest_plan_release(struct suggest_plan *p);

#endif
