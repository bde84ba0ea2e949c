/* The repository layer of the policy, read from git objects (never the work tree). */
#include "policy/policy.h"

#include "util/error.h"
#include "util/mtlimits.h"
#include "repo/repo.h"
#include "util/strbuf.h"

int policy_apply_repo_config(struct policy *policy, struct mt_repo *repo,
			     const struct mt_oid *commit, const char *label)
{
	const struct mt_blob *blob;
	struct strbuf name = STRBUF_INIT;
	int ret;

	ret = repo_read_file(&blob, repo, commit, POLICY_CONFIG_FILE);
	if (ret == MT_ENOTFOUND)
		return MT_OK;
	if (ret < 0)
		return ret;
	strbuf_addf(&name, "%s:%s", label, POLICY_CONFIG_FILE);
	/* A configuration is a data file: held to that limit, not the blob limit. */
	if (blob->len > MT_LIMIT_JSON_FILE_SIZE) {
		ret = mt_error_set("%s: larger than %u bytes", name.buf, MT_LIMIT_JSON_FILE_SIZE);
		strbuf_release(&name);
		return ret;
	}
	ret = policy_apply_config(policy, name.buf, blob->data, blob->len);
	strbuf_release(&name);
	return ret;
}
