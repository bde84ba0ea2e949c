/*
 * families: any bytes as rules/families.json. A load either fails with one
 * line naming the file, or gives families whose every field the parsers
 * rely on is there: an id, at least one path and prefix, call shapes with
 * a macro and known roles.
 */
#include <assert.h>
#include <string.h>

#include "util/error.h"
#include "machines/families.h"
#include "fuzz.h"
#include "util/jsonfile.h"

/* families_from_json on text in memory. */
static int families_parse(struct families *out, const char *name, const char *text, size_t len)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = families_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

static void check_family(const struct family *fam, const struct families *all)
{
	size_t i, j;

	assert(fam->id && *fam->id && families_find(all, fam->id));
	assert(fam->npaths >= 1 && fam->nprefixes >= 1);
	for (i = 0; i < fam->npaths; i++)
		assert(fam->paths[i]);
	for (i = 0; i < fam->nprefixes; i++)
		assert(fam->prefixes[i]);
	for (i = 0; i < fam->nname_macros; i++)
		assert(fam->name_macros[i].macro && fam->name_macros[i].text);
	for (i = 0; i < fam->ncalls; i++) {
		const struct family_call *c = &fam->calls[i];

		assert(c->macro && *c->macro);
		assert(c->latest >= LATEST_NO && c->latest <= LATEST_ALIAS);
		for (j = 0; j < c->nargs; j++)
			assert(c->args[j] >= ROLE_ANY && c->args[j] <= ROLE_OPTIONS);
	}
	for (i = 0; i < fam->nstructs; i++)
		assert(fam->structs[i].type && fam->structs[i].name_field);
}

FUZZ_TARGET(families)
{
	struct families fams;
	size_t i;

	mt_error_clear();
	if (families_parse(&fams, "families.json", (const char *)data, size) < 0) {
		assert(!strncmp(mt_error_last(), "families.json", 13));
		assert(!strpbrk(mt_error_last(), "\n\r\033"));
		return 0;
	}
	for (i = 0; i < fams.n; i++)
		check_family(&fams.v[i], &fams);
	assert(fams.deprecation_constant && fams.deletion_constant);
	families_release(&fams);
	return 0;
}
