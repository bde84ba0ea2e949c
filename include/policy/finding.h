/*
 * finding: one result of one rule, as the JSON contract in design.md shows
 * it, and the list the engine fills. Everything a finding names is its
 * evidence: stream, commit (sha + subject), upstream commit, machine, file:line.
 *
 * Ownership: a finding owns its strings; finding_list_add() copies the
 * caller's finding (deep), and finding_list_release() frees them all.
 */
#ifndef MT_FINDING_H
#define MT_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/oid.h"
#include "policy/policy.h"

/* 16 hex digits and a NUL. */
#define FINDING_FINGERPRINT_SIZE 17

struct finding {
	char *rule;                 /* "ABI001" */
	enum mt_severity severity;  /* the effective severity when found */
	char *stream;               /* "stable-10.0", "master"; NULL: project-wide */
	/*
	 * The stream's canonical name for fingerprints ("stable-10.0" whether
	 * it was read as HEAD, origin/stable-10.0 or staging-10.0); NULL: stream.
	 */
	char *stream_key;
	bool has_commit;
	struct mt_oid commit;       /* the backport (ABI001, ABI002, MIG001, ...) */
	char *subject;              /* the commit's subject, NULL when unknown */
	bool has_upstream;
	struct mt_oid upstream;     /* the backport's origin on master */
	bool has_patch_id;
	struct mt_oid patch_id;     /* the backport's patch id, when it has no upstream */
	char *machine;              /* "pc-q35-10.0.4" (BFM*, LIFE*, ABI003), or NULL */
	char *path;                 /* repository-relative file, or NULL */
	int line;                   /* 1-based; 0 when unknown */
	char *message;
	/*
	 * Identity beyond rule, stream, commit and machine, for findings that
	 * have neither commit nor machine (BFM005: the year). NULL usually.
	 */
	char *key;
	/* Sort key the engine sets: a commit's position in its stream, oldest first. */
	uint64_t order;
};

struct finding_list {
	struct finding *items;
	size_t nr;
	size_t alloc;
};

/* A finding hidden by a waiver or by the baseline, and why. */
enum suppressed_by { SUPPRESSED_BY_WAIVER, SUPPRESSED_BY_BASELINE };

struct suppressed {
	struct finding finding;
	enum suppressed_by by;
	char *reason; /* the waiver's reason, or "in baseline FILE" */
};

struct suppressed_list {
	struct suppressed *items;
	size_t nr;
	size_t alloc;
};

/* "waiver", "baseline". */
const char *suppressed_by_name(enum suppressed_by by);

/* Deep copy; out's previous contents are not freed. */
void finding_copy(struct finding *out, const struct finding *src);
void finding_release(struct finding *finding);

/*
 * The stable identity of a finding: a hash of rule, the stream's canonical
 * name, the upstream commit (else the backport's patch id and the path, else
 * the commit), the machine and the key. Line numbers, messages, severities,
 * the spelling of the ref and commit ids a rebase changes are left out, so
 * unrelated edits and rebased merge requests keep it, and baselines and CI
 * widgets keep matching.
 */
void finding_fingerprint(char out[FINDING_FINGERPRINT_SIZE], const struct finding *finding);

/*
 * Order: stream (stable-X.Y by version, then master, then project-wide),
 * then `order`, then rule id, then machine, path, line and message, so
 * that sorted output is the same bytes on every run.
 */
int finding_cmp(const struct finding *a, const struct finding *b);

void finding_list_init(struct finding_list *list);
/* Appends a deep copy of `finding`; returns the copy. */
struct finding *finding_list_add(struct finding_list *list, const struct finding *finding);
void finding_list_sort(struct finding_list *list);
void finding_list_release(struct finding_list *list);

void suppressed_list_init(struct suppressed_list *list);
/* Appends a deep copy of the finding and the reason. */
void suppressed_list_add(struct suppressed_list *list, const struct finding *finding,
			 enum suppressed_by by, const char *reason);
/* Sorted by finding_cmp. */
void suppressed_list_sort(struct suppressed_list *list);
void suppressed_list_release(struct suppressed_list *list);

#endif
