/*
 * The pack index and the pack reader as a whole: any index and pack (see
 * fuzz.h for the input) opened as a repository, every object the index
 * lists read as a commit, a blob and a tree, through mtcheck's pack reader
 * and libgit2 behind it. Each read succeeds or fails with a message; none
 * reads or writes out of bounds (ASan watches), and a blob read is never
 * larger than the blob limit.
 */
#include <assert.h>
#include <string.h>

#include "fuzz.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/mtlimits.h"

#define MAX_IDS 512

FUZZ_TARGET(pack)
{
	static uint8_t ids[MAX_IDS * 20];
	const char *dir = fuzz_repo_load(data, size);
	struct mt_repo *repo;
	size_t n, i;

	if (!dir || repo_open(&repo, dir) < 0) {
		mt_error_clear();
		return 0;
	}
	n = fuzz_repo_index_ids(data, size, ids, MAX_IDS);
	for (i = 0; i < n; i++) {
		struct mt_oid oid, found;
		struct mt_commit_info info;
		const struct mt_blob *blob;

		memcpy(oid.id, ids + 20 * i, 20);
		if (repo_commit_info(&info, repo, &oid) == 0) {
			assert(!memcmp(info.oid.id, oid.id, 20));
			commit_info_release(&info);
		}
		if (repo_read_blob(&blob, repo, &oid) == 0)
			assert(blob->len <= MT_LIMIT_BLOB_SIZE);
		if (repo_tree_file_oid(&found, repo, &oid, "VERSION") == 0)
			(void)repo_read_blob(&blob, repo, &found);
		mt_error_clear();
	}
	repo_free(repo);
	mt_error_clear();
	return 0;
}
