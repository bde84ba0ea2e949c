/*
 * Refs and packed-refs: any packed-refs file (and index and pack, see
 * fuzz.h) read by repo_list_refs and history_open, which finds master, the
 * streams and the release tags. Every ref listed either peels to a commit
 * the repository has or says why it is broken; history_open succeeds or
 * fails with a message, and never names a stream whose tip it cannot read.
 */
#include <assert.h>
#include <string.h>

#include "fuzz.h"
#include "history/history.h"
#include "repo/repo.h"
#include "util/error.h"

FUZZ_TARGET(refs)
{
	const char *dir = fuzz_repo_load(data, size);
	struct mt_repo *repo;
	struct mt_ref *refs;
	struct mt_history h;
	size_t n, i;

	if (!dir || repo_open(&repo, dir) < 0) {
		mt_error_clear();
		return 0;
	}
	if (repo_list_refs(&refs, &n, repo) == 0) {
		for (i = 0; i < n; i++) {
			assert(refs[i].name && refs[i].short_name);
			assert(refs[i].broken || repo_has_commit(repo, &refs[i].commit));
		}
		repo_refs_free(refs, n);
	}
	mt_error_clear();
	if (history_open(&h, repo, NULL) == 0) {
		for (i = 0; i < h.nstreams; i++)
			assert(repo_has_commit(repo, &h.streams[i].tip));
		history_release(&h);
	}
	mt_error_clear();
	repo_free(repo);
	return 0;
}
