/*
 * The classification cache: a commit's evidence depends only on the commit,
 * the signal rules and the families, so it is computed once per commit and
 * copied out to every caller that asks again.
 */
#include <stdlib.h>

#include "abi_internal.h"
#include "util/error.h"
#include "util/xalloc.h"

void abi_cache_init(struct abi_cache *cache)
{
	struct oidmap empty = OIDMAP_INIT;

	cache->commits = empty;
	cache->machines = empty;
}

static void free_list(void *value, void *payload)
{
	struct abi_evidence_list *list = value;

	(void)payload;
	abi_evidence_list_release(list);
	free(list);
}

void abi_cache_release(struct abi_cache *cache)
{
	oidmap_each(&cache->commits, free_list, NULL);
	oidmap_release(&cache->commits);
	oidmap_each(&cache->machines, free_list, NULL);
	oidmap_release(&cache->machines);
}

typedef int (*classify_fn)(struct abi_evidence_list *out, struct mt_repo *repo,
			   const struct abi_config *config, const struct families *fams,
			   const struct mt_oid *commit);

static int cached(struct abi_evidence_list *out, struct oidmap *map, classify_fn classify,
		  struct mt_repo *repo, const struct abi_config *config,
		  const struct families *fams, const struct mt_oid *commit)
{
	struct abi_evidence_list *list = oidmap_get(map, commit);

	if (!list) {
		/* An error is not cached: the caller sees what was found, and a retry reads again. */
		list = xmalloc(sizeof(*list));
		abi_evidence_list_init(list);
		if (classify(list, repo, config, fams, commit) < 0) {
			abi_evidence_list_append(out, list);
			abi_evidence_list_sort(out);
			free_list(list, NULL);
			return MT_ERROR;
		}
		oidmap_put(map, commit, list);
	}
	abi_evidence_list_append(out, list);
	abi_evidence_list_sort(out);
	return MT_OK;
}

void abi_cache_put(struct abi_cache *cache, bool machines, const struct mt_oid *commit,
		   struct abi_evidence_list *list)
{
	struct oidmap *map = machines ? &cache->machines : &cache->commits;
	struct abi_evidence_list *copy;

	if (oidmap_get(map, commit)) {
		abi_evidence_list_release(list);
		return;
	}
	copy = xmalloc(sizeof(*copy));
	*copy = *list;
	oidmap_put(map, commit, copy);
}

int abi_classify_commit_cached(struct abi_evidence_list *out, struct abi_cache *cache,
			       struct mt_repo *repo, const struct abi_config *config,
			       const struct families *fams, const struct mt_oid *commit)
{
	return cached(out, &cache->commits, abi_classify_commit, repo, config, fams, commit);
}

int abi_classify_machines_cached(struct abi_evidence_list *out, struct abi_cache *cache,
				 struct mt_repo *repo, const struct abi_config *config,
				 const struct families *fams, const struct mt_oid *commit)
{
	return cached(out, &cache->machines, abi_classify_machines, repo, config, fams, commit);
}
