/*
 * engine: analyses streams into the model the rules read, runs the enabled
 * rules of the policy over it, and collects their findings.
 *
 * For every stream it knows the base and tip machine models, the machines
 * the stream introduced (present at the tip, not at the base) with the
 * backport that introduced each, and, for streams analysed in full, every
 * backport with its guest-ABI evidence (abi_classify_backport against the
 * stream's X.Y and the backport's upstream commit). Models are loaded once
 * per commit and parsed once per blob (the caller's model_cache).
 *
 * Rules are C functions (src/engine/rules_*.c) listed in one table keyed by rule
 * id; their titles, severities, parameters and message texts come from the
 * policy. A disabled rule does not run.
 *
 * May call policy, jobs, abi, machines, history, repo and util: everything
 * before it in the pipeline; report and cli read its results.
 *
 * Ownership: engine_init() fills a caller-provided struct that borrows
 * everything in struct engine_input (they must outlive it);
 * engine_release() frees what the engine allocated. Findings are appended
 * (deep copies) to a caller-owned finding_list.
 */
#ifndef MT_ENGINE_H
#define MT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/abi.h"
#include "jobs/jobs.h"
#include "machines/families.h"
#include "policy/finding.h"
#include "history/history.h"
#include "machines/machines.h"
#include "util/oidmap.h"
#include "policy/policy.h"
#include "util/strbuf.h"

struct engine_input {
	struct mt_repo *repo;
	struct mt_history *history;
	const struct policy *policy;
	const struct families *fams;
	const struct abi_config *abi;
	struct model_cache *cache;
	struct jobs *jobs;                /* classifies backports, started by the command */
};

/* What `check` reports of the checked stream's backport findings. */
enum engine_scope {
	ENGINE_SCOPE_ALL,        /* every finding (audit, check --all) */
	ENGINE_SCOPE_UNRELEASED, /* backport findings only for commits no release tag ships yet */
	ENGINE_SCOPE_SINCE,      /* only findings caused by commits not reachable from `since` */
};

/* A backport as the rules see it. */
struct engine_backport {
	const struct mt_backport *bp;      /* in the stream's backports list */
	size_t index;                      /* position in the stream, oldest first */
	struct abi_evidence_list evidence; /* sorted; empty for merges; filled by engine_prepare */
	bool evidence_done;
	char *error;                       /* why its objects could not be read, or NULL */
};

/* A machine the stream introduced, and where. */
struct engine_intro {
	const struct machine *machine;   /* in the tip model (or the model where it appeared) */
	const struct engine_backport *by; /* introducing backport, NULL when not known */
	bool at_tip;                     /* still defined at the stream's tip */
	/*
	 * When it came (BFM005): the first release that shipped the commit
	 * bringing it, else that commit's time; 0 when not dated (a context
	 * stream's, until engine_date_bugfixes dates its bugfix machines).
	 */
	int64_t time;
};

struct engine_stream {
	struct mt_stream stream;          /* owned copy */
	struct qversion version;          /* X.Y */
	bool full;                        /* backports and evidence analysed */
	bool report;                      /* its findings are wanted */
	bool maintained;
	bool intros_read;                 /* context: `intros` compared from base and tip */
	/*
	 * In the engine's model store. NULL for a context stream whose machine
	 * files did not change since its base (it introduced nothing): its tip
	 * is loaded when a rule asks, with engine_stream_tip().
	 */
	const struct model *base, *tip;
	struct mt_backports backports;    /* when full */
	struct engine_backport *items;    /* when full, one per backport */
	size_t nitems;
	struct engine_intro *intros;      /* machines introduced, by introduction order */
	size_t nintros;
	/*
	 * Machines a backport took away (machine: as the model before it had
	 * it; at_tip: it came back later), in the order met. Full streams only.
	 */
	struct engine_intro *removals;
	size_t nremovals;
	/* Family latest machines that changed from the base: one entry per change. */
	struct engine_intro *latest;
	size_t nlatest;
};

struct engine_prefetched {
	struct mt_oid tip, base;
	struct mt_backports list; /* history_backports_list's */
	bool taken;
};

struct engine {
	struct engine_input in;
	struct oidmap models;             /* commit -> struct model * */
	struct oidmap machine_models;     /* commit -> struct model *, machines only (presence) */
	struct engine_stream *streams;    /* by version (then name) */
	size_t nstreams;
	const struct model *master;       /* NULL without master */
	int64_t newest_release_time;      /* newest non-rc release tag's date, 0 when none */
	bool project_rules;               /* run project-wide and master rules (audit) */
	enum engine_scope scope;
	struct oidmap since_commits;      /* ENGINE_SCOPE_SINCE: commits in since..tip */
	const struct engine_stream *checked; /* check: the stream checked; NULL in audit */
	struct engine_prefetched *prefetched; /* engine_prefetch: streams' commits read ahead */
	size_t nprefetched;
	/*
	 * Backports whose objects could not be read (a clone missing large
	 * blobs, a damaged object): "stream sha: why", in the order met. The
	 * run goes on without their evidence; the command says so and exits 2.
	 */
	char **unreadable;
	size_t nunreadable;
	/* master's releases (the X.Y.0 tags) by date, found on first need */
	const struct mt_release **master_releases;
	size_t nmaster_releases;
	bool master_releases_done;
	bool bugfixes_dated; /* engine_date_bugfixes has dated the context streams' */
};

void engine_init(struct engine *e, const struct engine_input *in);
void engine_release(struct engine *e);

/*
 * Adds a stream (copied). `full`: analyse its backports and their evidence;
 * `report`: its findings are wanted (the others are context: newer streams
 * for BFM003, and so on).
 */
int engine_add_stream(struct engine *e, const struct mt_stream *stream, bool full, bool report);

/*
 * For a caller about to add many streams in full (audit): reads their
 * commits now and queues them for classification, so the workers start
 * before master is read for the first stream's upstream commits;
 * engine_add_stream then takes up what was read. Errors are cleared here
 * and met again, and reported, by engine_add_stream.
 */
void engine_prefetch(struct engine *e, const struct mt_stream *streams, size_t n);

/*
 * `check` of one stream: restricts findings to `scope`; with
 * ENGINE_SCOPE_SINCE, `since` names the commit (a merge request's base).
 * Call after adding the checked stream (the last added with report set).
 */
int engine_set_scope(struct engine *e, enum engine_scope scope, const struct mt_oid *since);

/*
 * Waits for the backports' evidence (the backports of streams added so
 * far are classified by the jobs' workers while the next streams are
 * read), loads master, computes
 * which streams are maintained; call after the streams are added.
 */
int engine_prepare(struct engine *e);

/*
 * Whether the policy counts a stream as maintained: .mtcheck.json lists it,
 * or its newest release is within BFM003's window of the repository's
 * newest release.
 */
bool engine_stream_maintained(const struct policy *policy, const struct mt_history *h,
			      const struct mt_stream *s);

/* Runs every enabled rule; appends findings, sorted. */
int engine_run(struct finding_list *out, struct engine *e);

/* The model at a commit, loaded once per run; owned by the engine. */
int engine_model(const struct model **out, struct engine *e, const struct mt_oid *commit);

/* The backport with this commit in a full stream, or NULL. */
const struct engine_backport *stream_backport(const struct engine_stream *s,
					      const struct mt_oid *commit);

/*
 * ABI001's verdict on one backport of a stream analysed in full, after
 * engine_prepare: the finding the rule reports about it (rule_abi001 is
 * this function over every backport, so `backports` and `audit` cannot
 * disagree), or why it stays silent ("covered by bugfix machine
 * pc-q35-4.0.1", "evidence is review-only: acpi-code", "merge", ...).
 * Exactly one of the two is set. The verdict ignores waivers, baselines
 * and check's scope, which act on findings afterwards.
 */
struct engine_verdict {
	struct finding_list findings; /* ABI001's finding about the backport: none or one */
	struct strbuf reason;         /* without a finding: why not */
	/*
	 * The finding is about the machines of version `older` and before, older
	 * than the stream's (their own function changed, or a feature is held
	 * back for them): a bugfix machine of the stream's X.Y answers nothing.
	 */
	bool about_older;
	struct qversion older;
};

void engine_verdict_init(struct engine_verdict *v);
void engine_verdict_release(struct engine_verdict *v);
int engine_abi001_verdict(struct engine_verdict *out, struct engine *e,
			  const struct engine_stream *s, const struct engine_backport *b);

/* A stream's tip model, loading it when it was left for later; owned by the engine. */
int engine_stream_tip(const struct model **out, struct engine *e, const struct engine_stream *s);

#endif
