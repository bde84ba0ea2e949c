/*
 * Suppression with accountability. A waiver (--waivers FILE) hides the
 * findings of one rule that match its selectors, and must say why; it may
 * expire. A baseline (--baseline FILE) hides findings already known, by
 * fingerprint. Hidden findings are never lost: they are counted, listed on
 * request, and waivers that expired or matched nothing are reported.
 *
 * Time: whether a waiver has expired is the only thing in mtcheck that
 * depends on the date. Callers pass `now` (seconds since the epoch):
 * commands take it from suppress_now() (the wall clock, or --today DATE so a
 * CI run can be reproduced); tests pass a fixed date.
 *
 * Ownership: waiver_set and baseline own their contents; *_release frees them.
 */
#ifndef MT_SUPPRESS_H
#define MT_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/finding.h"
#include "policy/policy.h"
#include "util/jsonfile.h"
#include "util/strbuf.h"

struct waiver {
	char *rule;     /* the catalogue's id */
	char *commit;   /* lower-case hex prefix (7 to 40 digits), or NULL */
	char *upstream; /* likewise, matched against the finding's upstream */
	char *machine;  /* exact machine name, or NULL */
	char *stream;   /* exact stream name, or NULL */
	char *reason;   /* mandatory */
	char *expires;  /* as written, or NULL: never expires */
	bool expired;   /* past its date at `now`, or the date is malformed */
	bool bad_date;  /* the date is malformed (and so counts as expired) */
	char *where;    /* "file:line:col" of the waiver, for messages */
	size_t used;    /* findings it suppressed */
	size_t missed;  /* findings it would have matched had it not expired */
};

struct waiver_set {
	char *path;
	struct waiver *items;
	size_t nr;
};

/*
 * Reads a waiver file:
 *   {"waivers": [{"rule": "ABI001", "commit": "1a2b3c4d", "reason": "...",
 *                 "expires": "2026-12-31"}]}
 * Selectors: commit, upstream, machine, stream; a waiver needs at least one
 * and matches a finding of its rule when all it gives match. `expires` is
 * YYYY-MM-DD (valid through that day, UTC) or YYYY-MM-DDTHH:MM:SSZ.
 * Errors (unknown keys or rules, no reason, no selector, bad sha) name
 * file:line:col.
 */
int waiver_set_from_json(struct waiver_set *out, const struct policy *policy,
			 const struct json_file *file, int64_t now);
/* waiver_set_from_json on the file at `path`. */
int waiver_set_load(struct waiver_set *out, const struct policy *policy, const char *path,
		    int64_t now);
void waiver_set_release(struct waiver_set *set);
/* True when the finding is of the waiver's rule and matches every selector it gives. */
bool waiver_matches(const struct waiver *waiver, const struct finding *finding);

struct baseline {
	char *path;
	char **fingerprints; /* sorted, unique */
	size_t nr;
	bool *used;
};

/*
 * Reads a baseline: what --write-baseline writes, or a `--format json`
 * report; the fingerprints of its "findings" are what it hides.
 */
int baseline_from_json(struct baseline *out, const struct json_file *file);
/* baseline_from_json on the file at `path`. */
int baseline_load(struct baseline *out, const char *path);
void baseline_release(struct baseline *baseline);
/* True (and marks the entry used) when the fingerprint is in the baseline. */
bool baseline_take(struct baseline *baseline, const char *fingerprint);

/*
 * The baseline document for these findings (sorted by fingerprint, one
 * entry per fingerprint): {"schema": 1, "tool": ..., "findings": [{"fingerprint",
 * "rule", "stream", "commit", "upstream", "machine", "message"}]}.
 */
void baseline_format(struct strbuf *out, const struct finding_list *findings);
/* Writes baseline_format() to path (through a temporary file and rename). */
int baseline_write(const char *path, const struct finding_list *findings);

/*
 * Moves the findings that a live waiver or the baseline hides from
 * `findings` to `suppressed` (waivers first: they carry a reason). Either
 * of waivers and baseline may be NULL. Both lists stay sorted.
 */
void suppress_apply(struct finding_list *findings, struct suppressed_list *suppressed,
		    struct waiver_set *waivers, struct baseline *baseline);

/*
 * Lines for stderr, one per problem: expired waivers, waivers with a bad
 * date, waivers that matched nothing, baseline entries that matched
 * nothing. Each starts "mtcheck: warning: " and ends with a newline.
 */
void suppress_notes(struct strbuf *out, const struct waiver_set *waivers,
		    const struct baseline *baseline);

/* `now` for waiver expiry: today's date from `today` (YYYY-MM-DD, e.g. --today), else the clock. */
int suppress_now(int64_t *out, const char *today);

#endif
