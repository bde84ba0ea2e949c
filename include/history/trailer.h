/*
 * trailer: finds the commits a commit message names as its origin or as what
 * it reverts. Pure text in, a list out; no repository access, so it can be
 * fed arbitrary bytes (it is fuzzed).
 *
 * Styles recognised (QEMU stable history, plus the Linux style seen in the wild):
 *   (cherry picked from commit <sha>)            TRAILER_CHERRY_PICK, anywhere on a line
 *   (upstream commit <sha>)                      TRAILER_UPSTREAM, at the start of a line
 *   commit <sha> upstream.                       TRAILER_LINUX, a line of its own
 *   Backport of QEMU vX.Y commit <sha> ...       TRAILER_BACKPORT_OF; when the line names
 *   Backport of QEMU vX.Y commit for ...         no sha, the `commit <sha>` lines of the
 *   commit <sha>                                 quoted `git show` that follows do
 *   This reverts commit <sha>.                   TRAILER_REVERTS, anywhere on a line
 * A sha is 7 to 40 hex digits standing alone (so the `g<sha>` of a `git
 * describe` name in a note is not one). Notes such as "(Mjt: ...)" or
 * "[mjt: ...]", which may span lines, are skipped except for cherry-pick and
 * revert lines, which are recognised wherever they are.
 */
#ifndef MT_TRAILER_H
#define MT_TRAILER_H

#include <stddef.h>

#include "util/oid.h"

enum trailer_kind {
	TRAILER_CHERRY_PICK,
	TRAILER_UPSTREAM,
	TRAILER_LINUX,
	TRAILER_BACKPORT_OF,
	TRAILER_REVERTS,
};

struct trailer {
	enum trailer_kind kind;
	char hex[MT_OID_HEXSZ + 1]; /* lower case, as many digits as written */
	size_t hexlen;              /* 7..40 */
	unsigned line;              /* 1-based line of the message */
};

struct trailer_list {
	struct trailer *items;
	size_t count;
	size_t alloc;
};

#define TRAILER_LIST_INIT { NULL, 0, 0 }

/*
 * Appends every trailer in the `len` bytes of `message` (which need not be
 * NUL-terminated, and may hold any bytes) to `out`, in message order, the
 * same kind and sha only once. Never fails.
 */
void trailer_parse(struct trailer_list *out, const char *message, size_t len);
void trailer_list_release(struct trailer_list *list);

/* "cherry-pick", "upstream", "linux", "backport-of", "reverts". */
const char *trailer_kind_name(enum trailer_kind kind);

#endif
