/*
 * mtcheck's limits, in one place: what it reads from an untrusted repository
 * or file is bounded, and going past a bound fails with a message naming
 * what and where (or, where noted, degrades in the safe direction) instead
 * of exhausting memory or time. The man page's LIMITS section lists them.
 */
#ifndef MT_MTLIMITS_H
#define MT_MTLIMITS_H

/*
 * Largest blob read (a C file, VERSION, .mtcheck.json in the repository).
 * Checked from the object header before the blob is inflated; a larger
 * file is an error naming commit:path and both sizes.
 */
#define MT_LIMIT_BLOB_SIZE (64u * 1024 * 1024)

/*
 * Largest rules file, configuration, waiver or baseline file read from disk,
 * and largest .mtcheck.json read from the repository (not the blob limit).
 */
#define MT_LIMIT_JSON_FILE_SIZE (16u * 1024 * 1024)

/*
 * Deepest `#if` nesting the scanners track (the guest-ABI scanner and the C
 * tokenizer under the machine and compat parsers). Conditions nested deeper
 * are read as live code, so a dead `#if 0` down there can only add evidence
 * or machines, never hide any.
 */
#define MT_LIMIT_IF_DEPTH 256

/*
 * Deepest bracket nesting ((, [, {) the C tokenizer matches for the machine
 * and compat parsers; deeper input is an error naming file:line. (The abi
 * scanner counts brackets without recursion and needs no limit.)
 */
#define MT_LIMIT_BRACKET_DEPTH 256

/*
 * Most stable streams (stable-X.Y branches) one run considers; a repository
 * with more is an error naming the count, not a run that never ends.
 */
#define MT_LIMIT_STREAMS 1024

/*
 * Most master commits one backport's patch id is compared with (those
 * sharing its subject or author date, oldest first): a subject more commits
 * share than this names no one patch, and each comparison costs a diff.
 */
#define MT_LIMIT_PATCH_ID_CANDIDATES 256

/*
 * Most worker processes that classify commits beside the main one, whatever
 * the number of processors: each holds its own caches, so more workers cost
 * memory for little gain.
 */
#define MT_LIMIT_WORKERS 7

/*
 * Most bytes of delta bases the pack reader keeps per process (the objects
 * deltas were applied to, least recently used dropped first). Measured on
 * the QEMU-scale history: 2 to 8 MiB gave the same times, 16 and 48 MiB
 * were slower (more to evict) and cost their size in memory.
 */
#define MT_LIMIT_DELTA_BASES (8u * 1024 * 1024)

/*
 * Longest delta chain the pack reader follows; a longer one (git writes 50,
 * or 4095 when asked) is read through libgit2.
 */
#define MT_LIMIT_DELTA_CHAIN 10000

/*
 * Largest value of any rule parameter (a year count, a window in months, a
 * cap per year), from .mtcheck.json or the command line; a rule's own "max"
 * in rules.json may be lower. Rules multiply these (years into seconds), so
 * the bound keeps their arithmetic far from overflow.
 */
#define MT_LIMIT_PARAM_VALUE 1000000LL

/*
 * Largest pack index whose trailing SHA-1 is checked when the repository is
 * opened (a few milliseconds); a larger one (QEMU's is 25 MB, 0.3 s to hash)
 * gets the structural check only: counts, order, offsets inside the pack.
 */
#define MT_LIMIT_IDX_CHECKSUM (4 * 1024 * 1024)

#endif
