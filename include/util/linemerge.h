/*
 * linemerge: both sides' changes of one conflicting region of a three-way
 * merge, placed by matching lines, for a cherry-pick made "as it is" when
 * its hunks do not apply cleanly. The picked side's change (base -> theirs)
 * is applied to ours: lines it removed go where ours still has them, lines
 * it added go after the nearest line before them that ours shares with the
 * base. The result need not compile; it says what the commit adds and
 * removes, where.
 */
#ifndef MT_LINEMERGE_H
#define MT_LINEMERGE_H

#include <stddef.h>

#include "util/strbuf.h"

/* Appends the merged region to `out`. Inputs are whole lines (the last may lack its newline). */
void linemerge_region(struct strbuf *out, const char *base, size_t blen, const char *ours,
		      size_t olen, const char *theirs, size_t tlen);

/*
 * A whole file merged by libgit2 in the diff3 style with markers of
 * `marker_size` characters: each conflict block is replaced by
 * linemerge_region of its three parts, the rest is copied.
 */
void linemerge_resolve(struct strbuf *out, const char *text, size_t len, size_t marker_size);

#endif
