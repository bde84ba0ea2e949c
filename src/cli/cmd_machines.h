/* Set-up shared by `machines` and `diff`; not a public interface. */
#ifndef MT_CMD_MACHINES_H
#define MT_CMD_MACHINES_H

#include "cli/cli.h"
#include "machines/families.h"
#include "machines/machines.h"

struct mt_repo;

/* Loads rules/families.json and opens the repository; both freed by the caller. */
int machines_open(struct mt_repo **out_repo, struct families *out_fams,
		  const struct mt_options *opts);
/* The model at `ref`; errors name the ref. */
int machines_load_ref(struct model *out, struct model_cache *cache, struct mt_repo *repo,
		      const struct families *fams, const char *ref);

#endif
