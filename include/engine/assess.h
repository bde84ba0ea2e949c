/*
 * assess: before an upstream commit is cherry-picked, what would `check`
 * say of its backport, and what does the policy then ask (bugfix machines
 * in the stream, in master and in every newer maintained stream; or leaving
 * the change out)?
 *
 * One judgement with `check`: the commit is cherry-picked in memory onto
 * the stream's tip (repo_cherry_pick), the stream with that pick as its
 * newest backport goes through the engine exactly as `check` runs it, and
 * the findings about the pick are the answer. This module says whether the
 * stream already has the commit, makes the pick, and reads the answer and
 * the policy's requirements out of the engine; the caller sets the engine
 * up as `check` does.
 *
 * Ownership: struct stream_verdict owns everything in it; release it with
 * stream_verdict_release().
 */
#ifndef MT_ASSESS_H
#define MT_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

#include "abi/abi.h"
#include "engine/engine.h"
#include "policy/finding.h"
#include "history/history.h"
#include "machines/machines.h"

struct stream_verdict {
	struct mt_stream stream;      /* the stream as assessed (its tip: where the pick goes) */
	/* Already there: by a backport's trailer or patch id, or as an ancestor of the tip. */
	bool contains;
	enum backport_match match;    /* MATCH_NONE with contains: the commit itself is there */
	struct mt_oid stream_commit;  /* the stream's commit that has it */
	char *stream_subject;
	/* Otherwise: the pick and what check says of it. */
	struct repo_pick pick;
	struct mt_stream picked;      /* `stream` with the pick as its tip */
	struct abi_evidence_list evidence; /* the pick's, as check classified it */
	struct finding_list findings; /* check's findings about the pick, sorted */
	struct machine_list affected; /* released X.Y machines whose guests would see the change */
	char **bugfix;                /* the bugfix machines the policy asks for */
	size_t nbugfix;
	char **existing;              /* bugfix machines of the stream in the affected families */
	size_t nexisting;
	char **requires;              /* what to do, one sentence each */
	size_t nrequires, alloc;
};

/*
 * Takes a copy of `stream` (its tip may be any commit: the stream as it
 * stood there) and says whether it already has `commit`; when it does not,
 * cherry-picks it in memory and fills `picked` for the engine. `v` is
 * initialised here.
 */
int assess_stream_start(struct stream_verdict *v, struct mt_history *h,
			const struct mt_stream *stream, const struct mt_oid *commit);

/*
 * After engine_run over `picked` set up as `check` sets up its stream (the
 * engine's checked stream): keeps the findings about the pick, its
 * evidence, and what the policy asks.
 */
int assess_stream_finish(struct stream_verdict *v, struct engine *e,
			 const struct finding_list *findings);

void stream_verdict_release(struct stream_verdict *v);

/*
 * For evidence of a compat entry that restores an older machine's behaviour
 * (an array for a version older than the stream's X.Y): a sentence saying
 * so; NULL for any other evidence.
 */
char *assess_evidence_note(const struct abi_evidence *e, const struct mt_stream *stream);

/*
 * Whether evidence reaches the X.Y machines of `family` in stream `s`, by
 * families_reached: a family's machine file only that family, x86 code
 * only the x86 families, ACPI code the families with ACPI tables, code no
 * versioned machine runs none, other code every family; compat entries for
 * older machines reach none.
 */
bool assess_family_touched(const struct abi_evidence_list *ev, const struct mt_stream *s,
			   const struct families *fams, const char *family);

#endif
