/* mtcheck machines [REF]: the versioned machine types and compat arrays at one ref. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_machines.h"
#include "cli/commands.h"
#include "util/error.h"
#include "machines/families.h"
#include "machines/machines.h"
#include "util/oid.h"
#include "repo/repo.h"
#include "util/rulesdir.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int machines_open(struct mt_repo **out_repo, struct families *out_fams,
		  const struct mt_options *opts)
{
	struct strbuf dir = STRBUF_INIT;
	int ret;

	*out_repo = NULL;
	ret = cli_rules_dir(&dir, opts);
	if (ret == 0)
		ret = families_load(out_fams, dir.buf);
	strbuf_release(&dir);
	if (ret < 0)
		return ret;
	ret = repo_open(out_repo, opts->repo_dir);
	if (ret < 0)
		families_release(out_fams);
	return ret;
}

int machines_load_ref(struct model *out, struct model_cache *cache, struct mt_repo *repo,
		      const struct families *fams, const char *ref)
{
	struct mt_oid commit;
	int ret = repo_resolve_commit(&commit, repo, ref);

	if (ret < 0)
		return ret;
	ret = model_load(out, cache, repo, fams, &commit);
	if (ret < 0)
		mt_error_prefix("%s", ref);
	return ret;
}

static void machine_marks(struct strbuf *out, const struct machine *m)
{
	const char *life = machine_lifecycle_name(m->lifecycle);

	strbuf_reset(out);
	strbuf_addstr(out, machine_kind_name(m->kind));
	if (m->latest)
		strbuf_addf(out, ", latest%s%s", m->alias ? " as " : "", m->alias ? m->alias : "");
	if (life)
		strbuf_addf(out, ", %s", life);
}

static void print_text(FILE *out, const struct model *m, const struct families *fams,
		       const char *ref)
{
	struct strbuf marks = STRBUF_INIT;
	char hex[13], version[64];
	size_t i, f, width = 4, mwidth = 4;

	oid_to_short(hex, 12, &m->commit);
	fprintf(out, "%s (%s): VERSION %s; ", ref, hex,
		m->has_version ? qversion_format(version, sizeof(version), &m->version) : "unknown");
	if (m->lifecycle_source)
		fprintf(out, "deprecated after %d years, deleted after %d (%s)\n",
			m->deprecation_major, m->deletion_major, m->lifecycle_source);
	else
		fputs("no cap in this tree (no lifecycle constants before 9.1)\n", out);
	for (i = 0; i < m->machines.n; i++) {
		machine_marks(&marks, &m->machines.v[i]);
		if (strlen(m->machines.v[i].name) > width)
			width = strlen(m->machines.v[i].name);
		if (marks.len > mwidth)
			mwidth = marks.len;
	}
	for (f = 0; f < fams->n; f++) {
		size_t count = 0;

		for (i = 0; i < m->machines.n; i++)
			count += !strcmp(m->machines.v[i].family, fams->v[f].id);
		if (!count)
			continue;
		fprintf(out, "\n%s (%zu)\n", fams->v[f].id, count);
		for (i = 0; i < m->machines.n; i++) {
			const struct machine *mm = &m->machines.v[i];

			if (strcmp(mm->family, fams->v[f].id))
				continue;
			machine_marks(&marks, mm);
			fprintf(out, "  %-*s  %-*s  %s:%d", (int)width, mm->name, (int)mwidth,
				marks.buf, mm->path, mm->line);
			if (mm->guard)
				fprintf(out, "  [if %s]", mm->guard);
			fputc('\n', out);
		}
	}
	strbuf_release(&marks);
	if (!m->machines.n)
		fputs("\nno versioned machine types\n", out);
	if (m->compat.n)
		fprintf(out, "\ncompat arrays (%zu)\n", m->compat.n);
	for (i = 0; i < m->compat.n; i++) {
		const struct compat_array *a = &m->compat.v[i];

		fprintf(out, "  %s%s%s  %zu %s  %s:%d\n", a->function ? a->function : "",
			a->function ? ": " : "", a->name, a->nentries,
			a->nentries == 1 ? "entry" : "entries", a->path, a->line);
	}
}

static int run(int argc, char **argv, struct mt_options *opts);

const struct command command_machines = {
	.name = "machines",
	.run = run,
	.usage = "machines [REF]",
	.summary = "list the versioned machine types and compat arrays at a ref",
	.help = "REF defaults to HEAD; --format text or json\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON,
};

static int run(int argc, char **argv, struct mt_options *opts)
{
	char **args = xcalloc((size_t)argc + 1, sizeof(char *));
	int nargs, ret;
	const char *ref;
	struct mt_repo *repo = NULL;
	struct families fams;
	struct model m;

	if (cli_parse(opts, &command_machines, NULL, argc, argv, args, &nargs) < 0)
		goto fail;
	if (nargs > 1) {
		mt_error_set("machines: too many arguments (usage: mtcheck %s)",
			     command_machines.usage);
		goto fail;
	}
	ref = nargs ? args[0] : "HEAD";
	if (machines_open(&repo, &fams, opts) < 0)
		goto fail;
	ret = machines_load_ref(&m, NULL, repo, &fams, ref);
	if (ret < 0) {
		families_release(&fams);
		repo_free(repo);
		goto fail;
	}
	if (opts->format == MT_FORMAT_JSON) {
		json_t *j = model_to_json(&m, ref);

		if (!j) {
			mt_error_set("%s: cannot write JSON (out of memory)", ref);
			model_release(&m);
			families_release(&fams);
			repo_free(repo);
			goto fail;
		}
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else {
		print_text(stdout, &m, &fams, ref);
	}
	model_release(&m);
	families_release(&fams);
	repo_free(repo);
	free(args);
	return MT_EXIT_OK;
fail:
	free(args);
	return cli_fail();
}
