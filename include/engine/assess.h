/*
 * assess: before an upstream commit is cherry-picked, would its backport
 * change what guests of each stream's released machine types see, and what
 * does the policy then require (bugfix machines in the stream, in master
 * and in every newer stable stream; or leaving the change out)?
 *
 * Ownership: assess_commit() fills a caller-provided struct assessment that
 * borrows the streams it is given; assessment_release() frees the rest.
 */
#ifndef MT_ASSESS_H
#define MT_ASSESS_H

#include <stdbool.h>
#include <stddef.h>

#include "abi/abi.h"
#include "machines/families.h"
#include "history/history.h"
#include "machines/machines.h"

/* The verdict for one stream and what it needs. */
struct stream_verdict {
	const struct mt_stream *stream;
	bool contains;                /* the stream already has the commit */
	enum abi_strength strength;   /* strongest evidence; 0: none */
	struct machine_list affected; /* released X.Y machines whose guests would see the change */
	char **bugfix;                /* the bugfix machines the policy asks for */
	size_t nbugfix;
	char **existing;              /* bugfix machines the stream already has (per family) */
	size_t nexisting;
	char **requires;              /* what to do, one sentence each */
	size_t nrequires, alloc;
};

struct assessment {
	struct mt_oid commit;
	char *subject;
	struct abi_evidence_list evidence;
	struct stream_verdict *verdicts;
	size_t nverdicts;
};

/*
 * Classifies the commit named by `rev` and assesses it for each of the
 * `nstreams` streams (borrowed; they must outlive the assessment).
 * `a` must be zeroed by the caller.
 */
int assess_commit(struct assessment *a, struct mt_repo *repo, struct mt_history *h,
		  const struct families *fams, const struct abi_config *config,
		  const char *rev, const struct mt_stream *const *streams, size_t nstreams);
void assessment_release(struct assessment *a);

#endif
