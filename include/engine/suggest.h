/*
 * suggest: what a maintainer does about an ABI001 finding of `check`.
 *
 * Per family whose X.Y machines the backport changes, the policy decides:
 * a bugfix machine X.Y.Z, or none (the stream already has one: BFM001; the
 * year's budget is spent: BFM005; the backport mends what an earlier
 * backport of the stream broke: REG001) and then the guest-visible hunks
 * are reverted instead.
 *
 * suggest_plan says so in words; suggest_series writes it as patches, one
 * per branch: the stream (X.Y.Z, the default there where the era marks the
 * latest machine by an argument or an alias, as v4.0.1 did), master and
 * each newer maintained stream (X.Y.Z between X.(Y+1) and X.Y), in the
 * family's syntax of each tree (rules/families.json), with the compat
 * entries that keep the plain X.Y machines as they were (the upstream's or
 * its follow-up's entries, else the changed default reversed). Or one
 * patch reverting the backport's guest-visible hunks on the stream.
 *
 * Ownership: struct suggest_plan and struct suggest_series own their
 * strings; suggest_plan_release(), suggest_series_release().
 */
#ifndef MT_SUGGEST_H
#define MT_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

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

struct suggest_patch {
	char *branch;       /* "stable-10.0", "master" */
	struct mt_oid base; /* the branch tip it applies to */
	char *subject;      /* one line */
	struct strbuf body; /* the message after the subject */
	struct strbuf diff; /* git diff text */
};

struct suggest_series {
	struct suggest_patch *v;
	size_t n;
	char backport[13];  /* the backport's short id, for names */
	int64_t time;       /* the backport's committer time: the patches' date */
	bool revert;        /* a revert instead of bugfix machines */
	struct strbuf notes; /* what a person must look at, one line each */
};

/* The patches for ABI001 finding `f`, as suggest_plan describes them. */
int suggest_series(struct suggest_series *out, struct engine *e, const struct finding *f,
		   int micro);
void suggest_series_release(struct suggest_series *s);

#endif
