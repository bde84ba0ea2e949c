/*
 * machines: any bytes as a machine-defining file of every family in
 * rules/families.json, and as a compat file. Parsing either fails with one
 * line naming the path, or every machine has a name with one of its
 * family's prefixes, a parsed version and a line in the file, and every
 * compat array and entry has a line in the file. The blob is tokenized
 * once for the families (as model_load does); one family, chosen by the
 * input's size, also goes through machines_parse_blob and must agree.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "machines/families.h"
#include "fuzz.h"
#include "machines/machines.h"
#include "machines/machines_internal.h"
#include "machines/csrc.h"

static const char path[] = "hw/fuzz/machine.c";

/* Loaded once: read-only after that, so inputs cannot influence each other. */
static const struct families *families(void)
{
	static struct families loaded;
	static int state; /* 0: not yet, 1: loaded */

	if (!state) {
		if (families_load(&loaded, MT_TEST_DIR "/../rules") < 0)
			abort();
		state = 1;
	}
	return &loaded;
}

static void check_error(void)
{
	assert(!strncmp(mt_error_last(), path, sizeof(path) - 1));
	assert(!strchr(mt_error_last(), '\n'));
}

static void check_machine(const struct machine *m, const struct family *fam, int last_line)
{
	size_t i;
	bool prefixed = false;

	assert(!strcmp(m->family, fam->id) && !strcmp(m->path, path));
	for (i = 0; i < fam->nprefixes; i++)
		prefixed |= !strncmp(m->name, fam->prefixes[i], strlen(fam->prefixes[i]));
	assert(prefixed);
	assert(m->version.major >= 0 && m->version.minor >= 0);
	assert(m->version.micro >= -1 && m->version.nano >= -1);
	assert(memchr(m->version.tag, '\0', sizeof(m->version.tag)));
	assert(m->line >= 1 && m->line <= last_line);
	assert(!m->alias || m->latest);
	assert(!m->guard || *m->guard);
	assert(m->lifecycle == LIFECYCLE_UNKNOWN);
}

static void check_compat(const struct compat_array *a, int last_line)
{
	size_t i;

	assert(a->name && *a->name && !strcmp(a->path, path));
	assert(a->line >= 1 && a->line <= last_line);
	for (i = 0; i < a->nentries; i++) {
		const struct compat_entry *e = &a->entries[i];

		assert(e->line >= 1 && e->line <= last_line);
	}
	for (i = 0; i < a->nincludes; i++)
		assert(a->includes[i] && *a->includes[i]);
}

FUZZ_TARGET(machines)
{
	const struct families *fams = families();
	const char *text = (const char *)data;
	struct compat_list compat = { NULL, 0, 0 };
	struct machine_list one = { NULL, 0, 0 };
	const struct family *chosen;
	struct csrc_file f;
	int last_line = 1, ret;
	size_t i, j;

	for (i = 0; i < size; i++)
		last_line += text[i] == '\n';
	chosen = &fams->v[size % fams->n];
	mt_error_clear();
	ret = machines_parse_blob(&one, chosen, path, text, size);
	if (ret < 0)
		check_error();
	if (csrc_parse(&f, path, text, size) < 0) {
		assert(ret < 0);
		check_error();
		machine_list_release(&one);
		return 0;
	}
	for (i = 0; i < fams->n; i++) {
		struct machine_list list = { NULL, 0, 0 };

		mt_error_clear();
		if (machines_from_csrc(&list, &fams->v[i], path, &f) < 0)
			check_error();
		for (j = 0; j < list.n; j++)
			check_machine(&list.v[j], &fams->v[i], last_line);
		if (&fams->v[i] == chosen) {
			assert(list.n == one.n);
			for (j = 0; j < list.n; j++)
				assert(!strcmp(list.v[j].name, one.v[j].name));
		}
		machine_list_release(&list);
	}
	mt_error_clear();
	if (compat_from_csrc(&compat, fams, path, &f) < 0)
		check_error();
	for (i = 0; i < compat.n; i++)
		check_compat(&compat.v[i], last_line);
	compat_list_release(&compat);
	csrc_file_release(&f);
	machine_list_release(&one);

	/* The blob entry point of the compat parser, on a prefix of the input. */
	if (compat_parse_blob(&compat, fams, path, text, size / 2) < 0)
		check_error();
	compat_list_release(&compat);
	return 0;
}
