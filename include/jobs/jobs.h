/*
 * jobs: runs the guest-ABI classifier over many commits for one command,
 * in worker processes while the caller goes on with other work (reading the
 * next stream's history, loading models), and remembers every answer: one
 * upstream commit backported to five streams is classified once.
 *
 * Owns the worker pool, the wire format between workers and caller, and
 * the memo of classifications. May call abi (the classifier, a pure
 * function of the commit, the abi_config and the families), repo through
 * it, and util. The command starts the pool (cmd_findings, cmd_backports)
 * and hands it to the engine.
 *
 * Workers are forked when the pool starts and read the repository through
 * the handle they inherit; libgit2 shares pack locks between threads, so
 * processes are what runs in parallel. The abi_config and families are
 * only read.
 *
 * Results reach the memo in jobs_collect(), where the caller classifies
 * what no worker has taken yet; a commit that could not be classified is
 * left out of the memo, so the caller's own classification meets the same
 * error and reports it. Classification is a function of the commit alone,
 * so the evidence is the same whoever computed it, and a worker that dies
 * only gives its jobs back. Errors are not remembered.
 *
 * Ownership: jobs_start() allocates the pool; jobs_free() ends its
 * workers and frees it with the memo. `repo`, `config` and `fams` are
 * borrowed for the pool's life. Start the pool before any thread exists.
 */
#ifndef MT_JOBS_H
#define MT_JOBS_H

#include <stdbool.h>

#include "abi/abi.h"

struct jobs;

enum jobs_kind {
	JOBS_WHOLE,    /* abi_classify_commit: a backport */
	JOBS_MACHINES, /* abi_classify_machines: an upstream commit */
};

/*
 * Starts `workers` processes (0: the caller classifies everything, in
 * jobs_collect or when asked). Cannot fail: a worker that cannot be forked
 * is not started, and the caller does its share.
 */
void jobs_start(struct jobs **out, struct mt_repo *repo, const struct abi_config *config,
		const struct families *fams, unsigned workers);
/* Queues a commit once per kind; a commit queued before (or collected) is not queued again. */
void jobs_add(struct jobs *jobs, const struct mt_oid *commit, enum jobs_kind kind);
/*
 * Waits until every queued commit is classified, the caller taking its
 * share, and moves the results into the memo. The workers stay for more.
 */
void jobs_collect(struct jobs *jobs);
void jobs_free(struct jobs *jobs);

/* Whether the memo holds a classification of this kind of `commit`. */
bool jobs_known(const struct jobs *jobs, const struct mt_oid *commit, enum jobs_kind kind);

/*
 * abi_classify_commit, abi_classify_machines, abi_classify_backport and
 * each follow-up's abi_add_followup_compat, through the memo: the same
 * items, appended to `out` and sorted; a commit not in the memo is
 * classified by the caller and remembered.
 */
int jobs_classify_commit(struct abi_evidence_list *out, struct jobs *jobs,
			 const struct mt_oid *commit);
int jobs_classify_machines(struct abi_evidence_list *out, struct jobs *jobs,
			   const struct mt_oid *commit);
int jobs_classify_backport(struct abi_evidence_list *out, struct jobs *jobs,
			   const struct mt_oid *backport, const struct mt_oid *upstream,
			   const struct qversion *stream);
int jobs_classify_followups(struct abi_evidence_list *out, struct jobs *jobs,
			    const struct mt_oid *upstream, const struct mt_oid *followups,
			    size_t count, const struct qversion *stream);

/* Workers worth starting here: the processors this process may use, less the caller's. */
unsigned jobs_default_workers(void);

#endif
