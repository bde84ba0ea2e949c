/*
 * The memo: a commit's evidence depends only on the commit, the signal
 * rules and the families, so it is computed once per commit and copied out
 * to every caller that asks again.
 */
#include <stdlib.h>

#include "jobs_internal.h"
#include "util/xalloc.h"

void jobs_memo_init(struct jobs_memo *memo)
{
	struct oidmap empty = OIDMAP_INIT;

	memo->lists[0] = memo->lists[1] = empty;
}

static void free_list(void *value, void *payload)
{
	struct abi_evidence_list *list = value;

	(void)payload;
	abi_evidence_list_release(list);
	free(list);
}

void jobs_memo_release(struct jobs_memo *memo)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		oidmap_each(&memo->lists[i], free_list, NULL);
		oidmap_release(&memo->lists[i]);
	}
}

const struct abi_evidence_list *jobs_memo_get(const struct jobs_memo *memo, enum jobs_kind kind,
					      const struct mt_oid *commit)
{
	return oidmap_get(&memo->lists[kind == JOBS_MACHINES], commit);
}

void jobs_memo_put(struct jobs_memo *memo, enum jobs_kind kind, const struct mt_oid *commit,
		   struct abi_evidence_list *list)
{
	struct oidmap *map = &memo->lists[kind == JOBS_MACHINES];
	struct abi_evidence_list *copy;

	if (oidmap_get(map, commit)) {
		abi_evidence_list_release(list);
		return;
	}
	copy = xmalloc(sizeof(*copy));
	*copy = *list;
	oidmap_put(map, commit, copy);
}
