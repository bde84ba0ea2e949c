/*
 * The classification pool, on worker processes. Threads sharing one
 * libgit2 serialise on its process-wide pack locks (two threads ran little
 * faster than one); forked workers share nothing but the pages they inherit.
 * Each worker is forked when the pool starts, classifies with the
 * repository handle it inherited, and talks to the parent over a socket
 * pair: jobs (a kind byte and an object id) in, results (serialised evidence
 * lists) out, in job order.
 *
 * In the parent a feeder thread, which never calls libgit2, keeps each
 * worker WINDOW jobs ahead and reads its answers as they come, whatever the
 * caller is busy with. In jobs_collect the caller classifies the jobs no
 * worker has taken. The jobs of a worker that stops answering go back to
 * the queue, so a worker's failure costs time, never evidence.
 */
#define _GNU_SOURCE /* sched_getaffinity: the processors a container really gives */
#include "jobs/jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jobs_internal.h"
#include "util/error.h"
#include "util/mtlimits.h"
#include "util/oidmap.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Jobs sent to a worker ahead of its answers: it never waits, and the end stays even. */
#define WINDOW 64
#define JOB_SIZE (1 + MT_OID_RAWSZ)
/* A result larger than this is a broken worker, not evidence. */
#define MAX_RESULT (64u * 1024 * 1024)

enum job_state { JOB_QUEUED, JOB_SENT, JOB_DONE };

struct pool_job {
	struct mt_oid commit;
	enum jobs_kind kind;
	enum job_state state;
	bool ok;
	struct abi_evidence_list list; /* when done and ok */
};

struct pool_worker {
	pid_t pid;
	int fd;                 /* the parent's end of the socket pair */
	size_t *sent;           /* job numbers sent, answered in this order */
	size_t nsent, first, sent_alloc; /* unanswered: sent[first..nsent) */
	struct strbuf in;       /* bytes of answers not yet parsed */
	bool dead;
};

struct jobs {
	pthread_mutex_t lock;   /* jobs, next, the workers' sent lists and `dead` */
	pthread_cond_t changed; /* a job was done or given back */
	struct pool_job *jobs;
	size_t njobs, alloc;
	size_t next;            /* jobs before it were sent or done, or queued again */
	bool stopping;
	struct oidmap queued[2]; /* per kind: commits ever queued (the caller's only) */
	struct mt_repo *repo;
	const struct abi_config *config;
	const struct families *fams;
	struct pool_worker *workers;
	size_t nworkers;
	int wake[2];            /* a byte written to wake[1] wakes the feeder */
	pthread_t feeder;
	bool have_feeder;
	struct jobs_memo memo;  /* the caller's only: results collected, and its own */
};

static int classify_job(struct abi_evidence_list *out, const struct jobs *p,
			enum jobs_kind kind, const struct mt_oid *commit)
{
	if (kind == JOBS_MACHINES)
		return abi_classify_machines(out, p->repo, p->config, p->fams, commit);
	return abi_classify_commit(out, p->repo, p->config, p->fams, commit);
}

/* ---- the worker ---- */

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Answers sent together at most; the parent hears of a batch with one wake-up. */
#define BATCH 8

/* Sends the answers gathered in `out`; false when the parent is gone. */
static bool flush_answers(int fd, struct strbuf *out, size_t *pending)
{
	bool ok = write_all(fd, out->buf, out->len);

	strbuf_reset(out);
	*pending = 0;
	return ok;
}

/*
 * Jobs arrive in batches (the parent sends all it can at once) and answers
 * leave in batches: a whole one when no job is waiting, else every BATCH.
 * Fewer system calls on both sides, and the parent's feeder wakes less.
 */
static void worker_main(const struct jobs *p, int fd)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	size_t at = 0, pending = 0;
	char buf[WINDOW * JOB_SIZE];

	for (;;) {
		struct abi_evidence_list list;
		struct mt_oid commit;
		ssize_t n;
		bool ok;

		/* Take what has arrived; wait only with no job at hand and nothing to say. */
		if (in.len - at < JOB_SIZE && pending && !flush_answers(fd, &out, &pending))
			break;
		n = recv(fd, buf, sizeof(buf), in.len - at < JOB_SIZE ? 0 : MSG_DONTWAIT);
		if (n > 0)
			strbuf_add(&in, buf, (size_t)n);
		else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
			break;
		if (in.len - at < JOB_SIZE)
			continue;
		memcpy(commit.id, in.buf + at + 1, MT_OID_RAWSZ);
		abi_evidence_list_init(&list);
		ok = classify_job(&list, p, in.buf[at] ? JOBS_MACHINES : JOBS_WHOLE,
				  &commit) == 0;
		at += JOB_SIZE;
		jobs_wire_put(&out, ok, &list);
		abi_evidence_list_release(&list);
		if (++pending == BATCH && !flush_answers(fd, &out, &pending))
			break;
		if (at == in.len || at > 4096) {
			memmove(in.buf, in.buf + at, in.len - at);
			strbuf_setlen(&in, in.len - at);
			at = 0;
		}
	}
	strbuf_release(&in);
	strbuf_release(&out);
}

/* ---- the parent ---- */

unsigned jobs_default_workers(void)
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

/* The worker's unanswered jobs go back to the queue; it gets no more. Lock held. */
static void worker_lost(struct jobs *p, struct pool_worker *w)
{
	size_t i;

	w->dead = true;
	for (i = w->first; i < w->nsent; i++) {
		p->jobs[w->sent[i]].state = JOB_QUEUED;
		if (w->sent[i] < p->next)
			p->next = w->sent[i];
	}
	w->first = w->nsent;
	pthread_cond_broadcast(&p->changed);
}

/* Parses every complete answer in w->in (the feeder's own buffer). Lock held. */
static void take_answers(struct jobs *p, struct pool_worker *w)
{
	size_t at = 0;

	while (!w->dead && w->in.len - at >= 4) {
		const unsigned char *b = (const unsigned char *)w->in.buf + at;
		size_t len = jobs_wire_length(b);
		struct pool_job *job;
		bool ok;

		if (len < JOBS_WIRE_MIN || len > MAX_RESULT || w->first == w->nsent) {
			worker_lost(p, w);
			break;
		}
		if (w->in.len - at < len)
			break;
		job = &p->jobs[w->sent[w->first]];
		abi_evidence_list_init(&job->list);
		if (!jobs_wire_get(&ok, &job->list, b, len)) {
			abi_evidence_list_release(&job->list);
			worker_lost(p, w);
			break;
		}
		job->ok = ok;
		job->state = JOB_DONE;
		w->first++;
		at += len;
		pthread_cond_broadcast(&p->changed);
	}
	memmove(w->in.buf, w->in.buf + at, w->in.len - at);
	strbuf_setlen(&w->in, w->in.len - at);
}

/* The next queued job, or njobs. Lock held. */
static size_t next_queued(struct jobs *p)
{
	while (p->next < p->njobs && p->jobs[p->next].state != JOB_QUEUED)
		p->next++;
	return p->next;
}

/* Sends queued jobs until every live worker is WINDOW jobs ahead. Lock held. */
static void feed(struct jobs *p)
{
	size_t i;

	for (i = 0; i < p->nworkers; i++) {
		struct pool_worker *w = &p->workers[i];
		unsigned char jobs[WINDOW * JOB_SIZE];
		size_t at, n = 0;

		while (!w->dead && w->nsent - w->first < WINDOW && (at = next_queued(p)) < p->njobs) {
			jobs[n * JOB_SIZE] = p->jobs[at].kind == JOBS_MACHINES;
			memcpy(jobs + n * JOB_SIZE + 1, p->jobs[at].commit.id, MT_OID_RAWSZ);
			n++;
			p->jobs[at].state = JOB_SENT;
			ARRAY_GROW(w->sent, w->nsent, w->sent_alloc);
			w->sent[w->nsent++] = at;
		}
		/* At most WINDOW jobs into a socket buffer the worker drains: this does not block. */
		if (n && !write_all(w->fd, (const char *)jobs, n * JOB_SIZE))
			worker_lost(p, w);
	}
}

/* Reads what a worker has answered so far; false when it is gone. No lock. */
static bool read_answers(struct pool_worker *w)
{
	char buf[65536];
	ssize_t n;

	while ((n = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		strbuf_add(&w->in, buf, (size_t)n);
	return !(n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR));
}

static void *feeder_main(void *arg)
{
	struct jobs *p = arg;
	struct pollfd fds[MT_LIMIT_WORKERS + 1];
	size_t ids[MT_LIMIT_WORKERS + 1], i;

	pthread_mutex_lock(&p->lock);
	while (!p->stopping) {
		size_t n = 0;

		feed(p);
		fds[n].fd = p->wake[0];
		fds[n].events = POLLIN;
		n++;
		for (i = 0; i < p->nworkers; i++) {
			if (!p->workers[i].dead) {
				fds[n].fd = p->workers[i].fd;
				fds[n].events = POLLIN;
				ids[n++] = i;
			}
		}
		pthread_mutex_unlock(&p->lock);
		if (poll(fds, n, -1) < 0 && errno != EINTR) {
			pthread_mutex_lock(&p->lock);
			break;
		}
		if (fds[0].revents) {
			char drain[256];

			while (read(p->wake[0], drain, sizeof(drain)) == (ssize_t)sizeof(drain))
				;
		}
		for (i = 1; i < n; i++) {
			struct pool_worker *w = &p->workers[ids[i]];
			bool alive;

			if (!fds[i].revents)
				continue;
			alive = read_answers(w);
			pthread_mutex_lock(&p->lock);
			take_answers(p, w);
			if (!alive)
				worker_lost(p, w);
			pthread_mutex_unlock(&p->lock);
		}
		pthread_mutex_lock(&p->lock);
	}
	/* Gone: what the workers still owe is the caller's to do. */
	for (i = 0; i < p->nworkers; i++) {
		if (!p->workers[i].dead)
			worker_lost(p, &p->workers[i]);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void wake_feeder(struct jobs *p)
{
	char c = 0;

	if (p->have_feeder && write(p->wake[1], &c, 1) < 0) {
		/* The pipe is full: the feeder has wakings enough. */
	}
}

void jobs_start(struct jobs **out, struct mt_repo *repo, const struct abi_config *config,
		    const struct families *fams, unsigned workers)
{
	struct jobs *p = xcalloc(1, sizeof(*p));
	struct oidmap empty = OIDMAP_INIT;
	unsigned i;
	size_t j;

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->queued[0] = p->queued[1] = empty;
	jobs_memo_init(&p->memo);
	p->repo = repo;
	p->config = config;
	p->fams = fams;
	p->wake[0] = p->wake[1] = -1;
	if (workers > MT_LIMIT_WORKERS)
		workers = MT_LIMIT_WORKERS;
	p->workers = xcalloc(workers + 1, sizeof(*p->workers));
	*out = p;
	if (!workers || pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	/* Whatever the parent has buffered must not be written twice. */
	fflush(NULL);
	for (i = 0; i < workers; i++) {
		struct pool_worker *w = &p->workers[p->nworkers];
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			break;
		w->pid = fork();
		if (w->pid < 0) {
			close(sv[0]);
			close(sv[1]);
			break;
		}
		if (w->pid == 0) {
			close(sv[0]);
			close(p->wake[0]);
			close(p->wake[1]);
			for (j = 0; j < p->nworkers; j++)
				close(p->workers[j].fd);
			worker_main(p, sv[1]);
			/* No atexit handlers, no stdio flush: those are the parent's. */
			_exit(0);
		}
		close(sv[1]);
		w->fd = sv[0];
		strbuf_init(&w->in);
		p->nworkers++;
	}
	/* Only now a thread: every fork above copied a single-threaded process. */
	p->have_feeder = p->nworkers && pthread_create(&p->feeder, NULL, feeder_main, p) == 0;
}

void jobs_add(struct jobs *p, const struct mt_oid *commit, enum jobs_kind kind)
{
	struct oidmap *queued = &p->queued[kind == JOBS_MACHINES];
	bool idle;

	if (oidmap_get(queued, commit))
		return;
	oidmap_put(queued, commit, queued);
	pthread_mutex_lock(&p->lock);
	/*
	 * With jobs already waiting, every worker is a full window ahead and
	 * the feeder sends more when an answer wakes it: no wake-up needed.
	 */
	idle = next_queued(p) == p->njobs;
	ARRAY_GROW(p->jobs, p->njobs, p->alloc);
	memset(&p->jobs[p->njobs], 0, sizeof(p->jobs[p->njobs]));
	p->jobs[p->njobs].commit = *commit;
	p->jobs[p->njobs].kind = kind;
	p->njobs++;
	pthread_mutex_unlock(&p->lock);
	if (idle)
		wake_feeder(p);
}

void jobs_collect(struct jobs *p)
{
	size_t i, at;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		at = next_queued(p);
		if (at < p->njobs) {
			/* Nobody has it: the caller classifies it while the workers go on. */
			struct abi_evidence_list list;
			struct mt_oid commit = p->jobs[at].commit;
			enum jobs_kind kind = p->jobs[at].kind;
			bool ok;

			p->jobs[at].state = JOB_SENT;
			pthread_mutex_unlock(&p->lock);
			abi_evidence_list_init(&list);
			ok = classify_job(&list, p, kind, &commit) == MT_OK;
			if (!ok)
				mt_error_clear();
			pthread_mutex_lock(&p->lock);
			p->jobs[at].list = list;
			p->jobs[at].ok = ok;
			p->jobs[at].state = JOB_DONE;
			continue;
		}
		for (i = 0; i < p->njobs && p->jobs[i].state == JOB_DONE; i++)
			;
		if (i == p->njobs)
			break;
		/* A worker's job: its answer, or the job given back, wakes us. */
		pthread_cond_wait(&p->changed, &p->lock);
	}
	for (i = 0; i < p->njobs; i++) {
		struct pool_job *job = &p->jobs[i];

		/* A failed one is classified again by the caller, who reports the error. */
		if (job->ok)
			jobs_memo_put(&p->memo, job->kind, &job->commit, &job->list);
		else
			abi_evidence_list_release(&job->list);
	}
	p->njobs = p->next = 0;
	for (i = 0; i < p->nworkers; i++)
		p->workers[i].nsent = p->workers[i].first = 0;
	pthread_mutex_unlock(&p->lock);
}

void jobs_free(struct jobs *p)
{
	size_t i;

	if (!p)
		return;
	if (p->have_feeder) {
		pthread_mutex_lock(&p->lock);
		p->stopping = true;
		pthread_mutex_unlock(&p->lock);
		wake_feeder(p);
		pthread_join(p->feeder, NULL);
	}
	for (i = 0; i < p->nworkers; i++) {
		struct pool_worker *w = &p->workers[i];

		/* End of jobs: the worker finishes what it has and exits. */
		close(w->fd);
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
		free(w->sent);
		strbuf_release(&w->in);
	}
	if (p->wake[0] >= 0) {
		close(p->wake[0]);
		close(p->wake[1]);
	}
	for (i = 0; i < p->njobs; i++) {
		if (p->jobs[i].state == JOB_DONE)
			abi_evidence_list_release(&p->jobs[i].list);
	}
	free(p->jobs);
	free(p->workers);
	oidmap_release(&p->queued[0]);
	oidmap_release(&p->queued[1]);
	jobs_memo_release(&p->memo);
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

bool jobs_known(const struct jobs *p, const struct mt_oid *commit, enum jobs_kind kind)
{
	return jobs_memo_get(&p->memo, kind, commit) != NULL;
}

/* `commit`'s classification of this kind, from the memo, else computed and remembered. */
static int remembered(const struct abi_evidence_list **out, struct jobs *p, enum jobs_kind kind,
		      const struct mt_oid *commit, struct abi_evidence_list *partial)
{
	struct abi_evidence_list list;

	*out = jobs_memo_get(&p->memo, kind, commit);
	if (*out)
		return MT_OK;
	abi_evidence_list_init(&list);
	if (classify_job(&list, p, kind, commit) < 0) {
		/* An error is not remembered: the caller sees what was found, and a retry reads again. */
		*partial = list;
		return MT_ERROR;
	}
	jobs_memo_put(&p->memo, kind, commit, &list);
	*out = jobs_memo_get(&p->memo, kind, commit);
	return MT_OK;
}

static int classify_remembered(struct abi_evidence_list *out, struct jobs *p, enum jobs_kind kind,
			       const struct mt_oid *commit)
{
	const struct abi_evidence_list *list;
	struct abi_evidence_list partial;
	int ret = remembered(&list, p, kind, commit, &partial);

	abi_evidence_list_append(out, ret == MT_OK ? list : &partial);
	abi_evidence_list_sort(out);
	if (ret < 0)
		abi_evidence_list_release(&partial);
	return ret;
}

int jobs_classify_commit(struct abi_evidence_list *out, struct jobs *p,
			 const struct mt_oid *commit)
{
	return classify_remembered(out, p, JOBS_WHOLE, commit);
}

int jobs_classify_machines(struct abi_evidence_list *out, struct jobs *p,
			   const struct mt_oid *commit)
{
	return classify_remembered(out, p, JOBS_MACHINES, commit);
}

/* abi_classify_backport's steps, each classification through the memo. */
int jobs_classify_backport(struct abi_evidence_list *out, struct jobs *p,
			   const struct mt_oid *backport, const struct mt_oid *upstream,
			   const struct qversion *stream)
{
	const struct abi_evidence_list *theirs;
	struct abi_evidence_list partial;
	int ret;

	ret = jobs_classify_commit(out, p, backport);
	if (ret == 0)
		abi_judge_for_stream(out, p->config, stream);
	if (ret < 0 || !upstream || !abi_wants_upstream(p->config))
		return ret;
	if (remembered(&theirs, p, JOBS_MACHINES, upstream, &partial) < 0) {
		abi_evidence_list_release(&partial);
		return MT_ERROR;
	}
	abi_add_upstream_compat(out, p->config, theirs, upstream, stream);
	return MT_OK;
}

int jobs_classify_followups(struct abi_evidence_list *out, struct jobs *p,
			    const struct mt_oid *upstream, const struct mt_oid *followups,
			    size_t count, const struct qversion *stream)
{
	size_t i;
	int ret = MT_OK;

	if (!abi_wants_followups(p->config))
		return MT_OK;
	for (i = 0; ret == MT_OK && i < count; i++) {
		const struct abi_evidence_list *theirs;
		struct abi_evidence_list partial;

		ret = remembered(&theirs, p, JOBS_MACHINES, &followups[i], &partial);
		if (ret == MT_OK)
			abi_add_followup_compat(out, p->config, theirs, &followups[i], upstream,
						stream);
		else
			abi_evidence_list_release(&partial);
	}
	abi_evidence_list_sort(out);
	return ret;
}
