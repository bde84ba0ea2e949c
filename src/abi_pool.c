/*
 * The classification pool: a queue of commits, worker threads that take
 * them in order, and a results array indexed like the queue (never pointers
 * into it: the queue grows while workers run).
 */
#define _GNU_SOURCE /* sched_getaffinity: the processors a container really gives */
#include "abi_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "error.h"
#include "mtlimits.h"
#include "oidmap.h"
#include "xalloc.h"

struct pool_job {
	struct mt_oid commit;
	enum abi_pool_kind kind;
	bool done, ok;
	struct abi_evidence_list list; /* when done and ok */
};

struct pool_worker {
	struct abi_pool *pool;
	struct mt_repo *repo;
	pthread_t thread;
};

struct abi_pool {
	pthread_mutex_t lock;
	pthread_cond_t work;    /* a job was queued, or the pool stops */
	pthread_cond_t done;    /* a job finished */
	struct pool_job *jobs;
	size_t njobs, alloc;
	size_t next;            /* the first job nobody took */
	size_t finished;
	bool stopping;
	struct oidmap queued[2]; /* per kind: commits ever queued */
	struct mt_repo *repo;   /* the caller's */
	const struct abi_config *config;
	const struct families *fams;
	struct pool_worker *workers;
	size_t nworkers;
};

static int classify_job(struct abi_evidence_list *out, struct abi_pool *p, struct mt_repo *repo,
			const struct pool_job *job)
{
	if (job->kind == ABI_POOL_MACHINES)
		return abi_classify_machines(out, repo, p->config, p->fams, &job->commit);
	return abi_classify_commit(out, repo, p->config, p->fams, &job->commit);
}

/* Takes the next job (the lock held), runs it unlocked, stores the result; false when none. */
static bool run_one(struct abi_pool *p, struct mt_repo *repo)
{
	struct abi_evidence_list list;
	struct pool_job job;
	size_t at;
	bool ok;

	if (p->next == p->njobs)
		return false;
	at = p->next++;
	job = p->jobs[at];
	pthread_mutex_unlock(&p->lock);
	abi_evidence_list_init(&list);
	ok = classify_job(&list, p, repo, &job) == MT_OK;
	if (!ok) {
		/* The caller classifies it again and reports the error then. */
		mt_error_clear();
		abi_evidence_list_release(&list);
		abi_evidence_list_init(&list);
	}
	pthread_mutex_lock(&p->lock);
	p->jobs[at].list = list;
	p->jobs[at].ok = ok;
	p->jobs[at].done = true;
	p->finished++;
	pthread_cond_broadcast(&p->done);
	return true;
}

static void *worker_main(void *arg)
{
	struct pool_worker *w = arg;
	struct abi_pool *p = w->pool;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		if (!run_one(p, w->repo))
			pthread_cond_wait(&p->work, &p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

unsigned abi_pool_default_workers(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 0;
	n = CPU_COUNT(&set) - 1;
	if (n < 0)
		n = 0;
	return n > MT_LIMIT_WORKERS ? MT_LIMIT_WORKERS : (unsigned)n;
}

int abi_pool_start(struct abi_pool **out, struct mt_repo *repo, const struct abi_config *config,
		   const struct families *fams, unsigned workers)
{
	struct abi_pool *p = xcalloc(1, sizeof(*p));
	struct oidmap empty = OIDMAP_INIT;
	unsigned i;

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->queued[0] = p->queued[1] = empty;
	p->repo = repo;
	p->config = config;
	p->fams = fams;
	if (workers > MT_LIMIT_WORKERS)
		workers = MT_LIMIT_WORKERS;
	p->workers = xcalloc(workers + 1, sizeof(*p->workers));
	for (i = 0; i < workers; i++) {
		struct pool_worker *w = &p->workers[p->nworkers];

		w->pool = p;
		/* Opened here, on the caller's thread: libgit2's settings are process-wide. */
		if (repo_reopen(&w->repo, repo) < 0) {
			mt_error_clear();
			break;
		}
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			repo_free(w->repo);
			break;
		}
		p->nworkers++;
	}
	*out = p;
	return MT_OK;
}

void abi_pool_add(struct abi_pool *p, const struct mt_oid *commit, enum abi_pool_kind kind)
{
	struct oidmap *queued = &p->queued[kind == ABI_POOL_MACHINES];

	if (oidmap_get(queued, commit))
		return;
	oidmap_put(queued, commit, queued);
	pthread_mutex_lock(&p->lock);
	ARRAY_GROW(p->jobs, p->njobs, p->alloc);
	memset(&p->jobs[p->njobs], 0, sizeof(p->jobs[p->njobs]));
	p->jobs[p->njobs].commit = *commit;
	p->jobs[p->njobs].kind = kind;
	p->njobs++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

void abi_pool_collect(struct abi_pool *p, struct abi_cache *cache)
{
	size_t i;

	pthread_mutex_lock(&p->lock);
	while (p->finished < p->njobs) {
		if (!run_one(p, p->repo))
			pthread_cond_wait(&p->done, &p->lock);
	}
	for (i = 0; i < p->njobs; i++) {
		struct pool_job *job = &p->jobs[i];

		if (job->ok)
			abi_cache_put(cache, job->kind == ABI_POOL_MACHINES, &job->commit, &job->list);
		else
			abi_evidence_list_release(&job->list);
	}
	p->njobs = p->next = p->finished = 0;
	pthread_mutex_unlock(&p->lock);
}

void abi_pool_free(struct abi_pool *p)
{
	size_t i;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (i = 0; i < p->nworkers; i++) {
		pthread_join(p->workers[i].thread, NULL);
		repo_free(p->workers[i].repo);
	}
	for (i = 0; i < p->njobs; i++)
		abi_evidence_list_release(&p->jobs[i].list);
	free(p->jobs);
	free(p->workers);
	oidmap_release(&p->queued[0]);
	oidmap_release(&p->queued[1]);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
