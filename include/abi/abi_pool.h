/*
 * abi_pool: classifies commits in worker processes while the caller goes on
 * with other work (reading the next stream's history, loading models).
 * Workers are forked when the pool starts and read the repository through
 * the handle they inherit; libgit2 shares pack locks between threads, so
 * processes are what runs in parallel. The abi_config and families are
 * only read.
 *
 * Results reach the caller's abi_cache in abi_pool_collect(), where the
 * caller classifies what no worker has taken yet; a commit that could not be
 * classified is left out of the cache, so the caller's own classification
 * meets the same error and reports it. Classification is a function of the
 * commit alone, so the evidence is the same whoever computed it, and a
 * worker that dies only gives its jobs back.
 *
 * Ownership: abi_pool_start() allocates the pool; abi_pool_free() ends its
 * workers and frees it. `repo`, `config` and `fams` are borrowed for the
 * pool's life. Start the pool before any thread exists.
 */
#ifndef MT_ABI_POOL_H
#define MT_ABI_POOL_H

#include "abi/abi.h"

struct abi_pool;

enum abi_pool_kind {
	ABI_POOL_WHOLE,    /* abi_classify_commit: a backport */
	ABI_POOL_MACHINES, /* abi_classify_machines: an upstream commit */
};

/*
 * Starts `workers` processes (0: the caller classifies everything in
 * abi_pool_collect). Cannot fail: a worker that cannot be forked is not
 * started, and the caller does its share.
 */
void abi_pool_start(struct abi_pool **out, struct mt_repo *repo, const struct abi_config *config,
		    const struct families *fams, unsigned workers);
/* Queues a commit once per kind; a commit queued before (or collected) is not queued again. */
void abi_pool_add(struct abi_pool *pool, const struct mt_oid *commit, enum abi_pool_kind kind);
/*
 * Waits until every queued commit is classified, the caller taking its
 * share, and moves the results into `cache`. The workers stay for more.
 */
void abi_pool_collect(struct abi_pool *pool, struct abi_cache *cache);
void abi_pool_free(struct abi_pool *pool);

/* Workers worth starting here: the processors this process may use, less the caller's. */
unsigned abi_pool_default_workers(void);

#endif
