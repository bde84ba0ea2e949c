/*
 * Proving a command read-only: a snapshot of every file, directory and
 * symlink under a directory (path, type, size, mode, mtime in nanoseconds,
 * a hash of the content or link target), taken before and after, then
 * compared. A directory's mtime changes when anything is created in it or
 * removed from it, so even a lock file created and deleted again is seen.
 * Access times are not compared: reading is allowed to touch them.
 *
 * Ownership: fs_snapshot_take fills a caller-owned struct; release it with
 * fs_snapshot_release.
 */
#ifndef MT_TEST_FS_SNAPSHOT_H
#define MT_TEST_FS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strbuf.h"

struct fs_entry {
	char *path;        /* relative to the snapshot's root; "" for the root itself */
	mode_t mode;       /* type and permission bits */
	off_t size;
	int64_t mtime_ns;
	uint64_t hash;     /* FNV-1a of the content (files) or target (symlinks) */
};

struct fs_snapshot {
	struct fs_entry *entries; /* sorted by path */
	size_t count, alloc;
};

/* Walks `root` (symlinks not followed). Returns 0, or -1 with a message in mt_error_last(). */
int fs_snapshot_take(struct fs_snapshot *out, const char *root);
void fs_snapshot_release(struct fs_snapshot *snap);

/*
 * Appends one line per difference ("added PATH", "removed PATH",
 * "changed PATH: mtime", ...) to `out` and returns how many there were.
 */
size_t fs_snapshot_diff(struct strbuf *out, const struct fs_snapshot *before,
			const struct fs_snapshot *after);

#endif
