/*
 * history: what a QEMU repository says about its streams. Finds master, the
 * stable-X.Y branches (local or remote-tracking) and the vX.Y.Z release
 * tags; for a stream lists its backports (commits on the stream not reachable
 * from its base, oldest first) with the release that first shipped each, the
 * upstream commit each came from and which ones were reverted.
 *
 * May call repo and util. Everything is read through `repo`; nothing is written. Work that costs
 * (the master commits since a stream's base, patch ids) is done only when a
 * question needs it and kept in the history for the rest of the run.
 *
 * Ownership: history_open() fills a struct the caller releases with
 * history_release(); it borrows the repository, which must outlive it.
 * Streams from history_stream() and backport lists from history_backports()
 * belong to the caller (stream_release(), backports_release()); a backport's
 * `release` points into the history and is valid until history_release().
 */
#ifndef MT_HISTORY_H
#define MT_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/oid.h"
#include "util/oidmap.h"
#include "util/qversion.h"
#include "repo/repo.h"
#include "history/trailer.h"

struct history_options {
	const char *master;   /* --master REF; NULL: master, else origin/master */
	bool include_staging; /* list staging-X.Y and stable-X.Y-staging queues as streams */
	bool whole_master;    /* every stream will be asked about: read all of master at once */
	/*
	 * --as-of: the history as it stood at this time. Release tags dated
	 * after it are left out, every branch's tip goes back along its first
	 * parents to its newest commit not after it, and a stream whose X.Y.0
	 * tag or whose branch did not exist yet is left out.
	 */
	bool has_as_of;
	int64_t as_of;
};

/* A release tag: vX.Y.Z, vX.Y.Z.W, the old two-part vX.Y (read as X.Y.0), or an -rcN. */
struct mt_release {
	char *name;              /* "v4.0.1" */
	struct qversion version; /* 4.0.1; tag "rc0" for v4.0.1-rc0 */
	struct mt_oid commit;
	int64_t time;            /* tagger date of an annotated tag, else the commit's */
	bool annotated;
	bool rc;
};

enum stream_kind {
	STREAM_STABLE,  /* stable-X.Y */
	STREAM_STAGING, /* staging-X.Y or stable-X.Y-staging: a queue */
	STREAM_REF,     /* another ref or a commit, named explicitly */
};

struct mt_stream {
	char *name;       /* "stable-4.0", or the revision as the user wrote it */
	char *ref;        /* "refs/remotes/origin/stable-4.0", or the revision as written */
	enum stream_kind kind;
	int major, minor; /* the X.Y the stream maintains */
	struct mt_oid tip;
	char *base_name;  /* "v4.0.0" (or "v1.0"); NULL when the tag is missing */
	struct mt_oid base;            /* the tag's commit, or the merge-base with master */
	bool base_is_merge_base;
	const struct mt_release *newest; /* newest non-rc vX.Y.* tag by version, or NULL */
	bool had_base_tag;               /* history_open with as_of: before the cut */
};

enum backport_match { MATCH_NONE, MATCH_TRAILER, MATCH_PATCH_ID };

/* A commit a trailer names as the origin of a backport. */
struct mt_origin {
	enum trailer_kind kind;
	char hex[MT_OID_HEXSZ + 1]; /* as written */
	struct mt_oid oid;          /* zero unless `exists` */
	bool exists;
	bool in_master;
};


struct mt_backport {
	struct mt_oid commit;
	char *subject;
	int64_t time;                     /* committer time */
	int64_t author_time;              /* kept by a cherry-pick: one key to its upstream */
	bool merge;                       /* more than one parent: listed, not matched */
	bool version_bump;                /* changes the VERSION file */
	const struct mt_release *release; /* first release tag containing it; NULL: none yet */

	enum backport_match match;
	bool has_upstream;
	struct mt_oid upstream;           /* valid when has_upstream */
	bool upstream_in_master;
	struct mt_origin *origins;        /* every origin trailer, in message order */
	size_t norigins;

	bool has_reverts;                 /* a "This reverts commit" line */
	struct mt_oid reverts;            /* the commit named (resolved), when has_reverts */
	bool reverts_in_stream;           /* it names a backport of this stream (or its upstream) */
	bool reverts_in_base;             /* it names a commit of the base release */
	bool has_reverted_by;
	struct mt_oid reverted_by;        /* the later backport in this stream reverting this one */

	char **notes;                     /* squashes, conflicting or dangling trailers, ... */
	size_t nnotes;
};

struct mt_backports {
	struct mt_backport *items; /* oldest first */
	size_t count;
	size_t total;              /* backports since the base, before --since cut */
	/* Between history_backports_list and _match only: */
	struct trailer_list *trailers; /* per backport (total of them) */
	struct oidmap positions;       /* commit -> its index + 1 */
};

/* Run caches; callers do not look inside. */
struct history_master_index;
struct history_master_keys;
struct history_followups;

struct mt_history {
	struct mt_repo *repo;       /* borrowed */
	char *master_name;          /* "master", "origin/master", the --master REF, or NULL */
	bool has_master;
	struct mt_oid master;
	struct mt_release *releases; /* every release and rc tag, by version then name */
	size_t nreleases;
	struct mt_stream *streams;   /* stable (and with include_staging, staging) branches by version */
	size_t nstreams;
	struct mt_stream *queues;    /* staging queues not listed as streams; found by name */
	size_t nqueues;
	struct mt_oid *shallow;      /* the shallow clone's edge; NULL when complete */
	size_t nshallow;
	/* Master read once (on first need) and shared by every stream's questions: */
	bool whole_master;           /* history_options.whole_master */
	bool graph_loaded;
	bool graph_full;             /* all of master; else master ^graph_base */
	struct mt_oid graph_base;
	struct repo_graph graph;     /* master's commits, oldest first, with parents */
	struct history_master_keys *keys; /* master commits by subject and author time */
	struct history_master_index *indexes; /* per base: which master commits are since it */
	size_t nindexes;
	size_t indexes_alloc;
	struct oidmap patch_ids;     /* commit -> struct mt_oid *, computed on demand */
	struct history_followups *followups; /* master's `Fixes:` trailers, read with the graph */
	bool has_as_of;              /* history_options.as_of: the history as it stood then */
	int64_t as_of;
};

int history_open(struct mt_history *out, struct mt_repo *repo, const struct history_options *opts);

/*
 * The time --as-of names: a date "YYYY-MM-DD" (its end, 23:59:59 UTC), a
 * time "YYYY-MM-DDTHH:MM:SSZ", or a revision (a release tag's date, else
 * the commit's committer time). Errors name the text.
 */
int history_as_of_time(int64_t *out, struct mt_repo *repo, const char *text);
void history_release(struct mt_history *h);

/*
 * The stream named `name`: "stable-4.0" or "4.0" (a discovered branch), or
 * any revision (a staging queue, "origin/stable-4.0", a merge request's
 * commit) looked at as a stream's tip. Its X.Y comes from `version` (--stream
 * X.Y) when not NULL, else from the name, else from VERSION at the tip.
 * A `version` that disagrees with the name or with VERSION at the tip is an
 * error naming both; history_stream_forced with `force` takes it anyway.
 */
int history_stream(struct mt_stream *out, struct mt_history *h, const char *name,
		   const char *version);
int history_stream_forced(struct mt_stream *out, struct mt_history *h, const char *name,
			  const char *version, bool force);
void stream_release(struct mt_stream *s);

/* The VERSION file at a commit; MT_ENOTFOUND (no message) when there is none. */
int history_version_at(struct qversion *out, struct mt_history *h, const struct mt_oid *commit);

/*
 * The backports of `stream`: commits reachable from its tip and not from its
 * base, oldest first, and when `since` is not NULL only those not reachable
 * from it either (reverts are still paired across the whole stream). In a
 * shallow clone whose history does not reach the base this fails, naming the
 * missing commit.
 */
int history_backports(struct mt_backports *out, struct mt_history *h,
		      const struct mt_stream *stream, const struct mt_oid *since);
void backports_release(struct mt_backports *list);

/*
 * history_backports in two halves, for a caller that wants every stream's
 * commits before the first question to master (which reads all of it):
 * _list reads the commits, their trailers and releases; _match finds their
 * upstream commits, pairs reverts and cuts at `since`. On failure either
 * releases `out`.
 */
int history_backports_list(struct mt_backports *out, struct mt_history *h,
			   const struct mt_stream *stream);
int history_backports_match(struct mt_backports *out, struct mt_history *h,
			    const struct mt_stream *stream, const struct mt_oid *since);

const char *backport_match_name(enum backport_match match);

/*
 * The master commits whose `Fixes:` trailer names `commit` (by 7 to 40 of
 * its digits), oldest first: upstream's own follow-ups to a fix. Read with
 * master's graph, so only what the run read of master is searched (all of
 * it in an audit; since the stream's base otherwise, which holds every
 * follow-up of a commit backported from there). Call after
 * history_backports. *out is the caller's to free (NULL when none).
 */
int history_followups(struct mt_oid **out, size_t *out_count, struct mt_history *h,
		      const struct mt_oid *commit);
/* The same, without the follow-ups one of `stream`'s backports took. */
int history_followups_missing(struct mt_oid **out, size_t *out_count, struct mt_history *h,
			      const struct mt_oid *commit, const struct mt_backports *stream); /* "none", "trailer", "patch-id" */

#endif
