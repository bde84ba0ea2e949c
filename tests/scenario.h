/*
 * Scenario-built test repositories. A scenario is a JSON file in
 * tests/scenarios/ describing a history; scenario_build() creates it with
 * libgit2, deterministically (fixed identities and dates), so the same
 * scenario always gives the same shas. The format is documented in
 * tests/scenarios/README.md.
 */
#ifndef MT_TEST_SCENARIO_H
#define MT_TEST_SCENARIO_H

#include <stddef.h>

#include "util/oid.h"

struct scenario {
	char *path;        /* the repository's directory */
	size_t ncommits;
	char **ids;        /* scenario ids, in the order the file lists them */
	struct mt_oid *oids;
};

/*
 * Builds `scenario_file` into `dest_dir`, which must not exist yet. Returns
 * 0, or -1 with a message (file, commit id and what is wrong) in
 * mt_error_last().
 */
int scenario_build(struct scenario *out, const char *scenario_file, const char *dest_dir);
/* The sha of the commit with this scenario id, or NULL. */
const struct mt_oid *scenario_commit(const struct scenario *s, const char *id);
/* The 40-hex sha of a commit id; aborts the test when the id is unknown. */
const char *scenario_hex(const struct scenario *s, const char *id);
void scenario_release(struct scenario *s);

#endif
