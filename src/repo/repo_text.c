/*
 * Patches of texts in memory (suggest's output): a file's diff between two
 * buffers, and a three-way merge of one file. Neither reads nor writes a
 * repository: git_patch_from_buffers hashes the blobs without storing them,
 * git_merge_file works on the buffers alone.
 */
#include <git2.h>
#include <string.h>

#include "repo/repo.h"
#include "repo_internal.h"
#include "util/error.h"

int repo_diff_texts(struct strbuf *out, const char *path, const char *old, size_t old_len,
		    const char *new_text, size_t new_len)
{
	git_diff_options opts;
	git_patch *patch = NULL;
	git_buf buf = GIT_BUF_INIT;
	int ret = MT_OK;

	if (old_len == new_len && !memcmp(old, new_text, old_len))
		return MT_OK;
	if (git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION) < 0)
		return mt_error_set("%s: cannot write its diff: %s", path, git_message());
	opts.context_lines = 3;
	opts.id_abbrev = 12;
	if (git_patch_from_buffers(&patch, old, old_len, path, new_text, new_len, path, &opts) < 0 ||
	    git_patch_to_buf(&buf, patch) < 0) {
		ret = mt_error_set("%s: cannot write its diff: %s", path, git_message());
		goto out;
	}
	strbuf_add(out, buf.ptr, buf.size);
out:
	git_buf_dispose(&buf);
	git_patch_free(patch);
	return ret;
}

int repo_merge_texts(struct strbuf *out, bool *clean, const char *path, const char *ancestor,
		     size_t ancestor_len, const char *ours, size_t ours_len, const char *theirs,
		     size_t theirs_len)
{
	git_merge_file_input base, a, b;
	git_merge_file_result result;
	int ret = MT_OK;

	memset(&result, 0, sizeof(result));
	if (git_merge_file_input_init(&base, GIT_MERGE_FILE_INPUT_VERSION) < 0 ||
	    git_merge_file_input_init(&a, GIT_MERGE_FILE_INPUT_VERSION) < 0 ||
	    git_merge_file_input_init(&b, GIT_MERGE_FILE_INPUT_VERSION) < 0)
		return mt_error_set("%s: cannot merge: %s", path, git_message());
	base.ptr = ancestor;
	base.size = ancestor_len;
	base.path = path;
	a.ptr = ours;
	a.size = ours_len;
	a.path = path;
	b.ptr = theirs;
	b.size = theirs_len;
	b.path = path;
	if (git_merge_file(&result, &base, &a, &b, NULL) < 0) {
		ret = mt_error_set("%s: cannot merge: %s", path, git_message());
		goto out;
	}
	*clean = result.automergeable != 0;
	strbuf_add(out, result.ptr, result.len);
out:
	git_merge_file_result_free(&result);
	return ret;
}
