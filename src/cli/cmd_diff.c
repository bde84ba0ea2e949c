/*
 * mtcheck diff REF1 REF2: versioned machines added, removed or changed, and
 * compat entries added, removed or changed per array, between two refs. The
 * git-only counterpart of comparing machine types of two built QEMUs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_machines.h"
#include "cli/commands.h"
#include "util/error.h"
#include "util/jsontext.h"
#include "util/oid.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static json_t *side_json(const struct model *m, const char *ref)
{
	char hex[MT_OID_HEXSZ + 1], version[64];

	oid_to_hex(hex, &m->commit);
	return json_pack("{s:o, s:s, s:o}", "ref", json_text(ref), "commit", hex, "version",
			 m->has_version ? json_string(qversion_format(version, sizeof(version),
								      &m->version))
					: json_null());
}

static void add_change(json_t *changes, const char *field, const char *from, const char *to)
{
	json_array_append_new(changes, json_pack("{s:s, s:o, s:o}", "field", field,
						 "from", json_text_or_null(from), "to", json_text_or_null(to)));
}

static json_t *machine_changes(const struct machine_change *c)
{
	const struct machine *a = c->old, *b = c->new;
	json_t *changes = json_array();

	if (c->fields & MACHINE_FIELD_KIND)
		add_change(changes, "kind", machine_kind_name(a->kind), machine_kind_name(b->kind));
	if (c->fields & MACHINE_FIELD_LATEST)
		add_change(changes, "latest", a->latest ? "true" : "false",
			   b->latest ? "true" : "false");
	if (c->fields & MACHINE_FIELD_ALIAS)
		add_change(changes, "alias", a->alias, b->alias);
	if (c->fields & MACHINE_FIELD_GUARD)
		add_change(changes, "guard", a->guard, b->guard);
	if (c->fields & MACHINE_FIELD_PATH)
		add_change(changes, "path", a->path, b->path);
	if (c->fields & MACHINE_FIELD_LIFECYCLE)
		add_change(changes, "lifecycle", machine_lifecycle_name(a->lifecycle),
			   machine_lifecycle_name(b->lifecycle));
	return changes;
}

static json_t *machines_json(const struct model_diff *d)
{
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	size_t i;

	for (i = 0; i < d->nadded; i++)
		json_array_append_new(added, machine_to_json(d->added[i]));
	for (i = 0; i < d->nremoved; i++)
		json_array_append_new(removed, machine_to_json(d->removed[i]));
	for (i = 0; i < d->nchanged; i++) {
		const struct machine *now = d->changed[i].new;

		json_array_append_new(changed, json_pack("{s:o, s:o, s:o, s:i, s:o}",
			"family", json_text(now->family), "name", json_text(now->name),
			"path", json_text(now->path), "line", now->line,
			"changes", machine_changes(&d->changed[i])));
	}
	return json_pack("{s:o, s:o, s:o}", "added", added, "removed", removed,
			 "changed", changed);
}

static json_t *array_json(const struct compat_array_change *c)
{
	json_t *added = json_array(), *removed = json_array(), *changed = json_array();
	const struct compat_array *any = c->new ? c->new : c->old;
	size_t i;

	for (i = 0; i < c->nentries; i++) {
		const struct compat_entry_change *e = &c->entries[i];

		if (!e->old)
			json_array_append_new(added, compat_entry_to_json(e->new));
		else if (!e->new)
			json_array_append_new(removed, compat_entry_to_json(e->old));
		else
			json_array_append_new(changed, json_pack("{s:o, s:o}",
				"from", compat_entry_to_json(e->old), "to",
				compat_entry_to_json(e->new)));
	}
	return json_pack("{s:o, s:o, s:o, s:i, s:s, s:o, s:o, s:o}", "array", json_text(any->name),
			 "function", json_text_or_null(any->function), "path", json_text(any->path),
			 "line", any->line,
			 "status", !c->old ? "added" : !c->new ? "removed" : "changed", "added", added,
			 "removed", removed, "changed", changed);
}

static json_t *compat_json(const struct model_diff *d)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; i < d->narrays; i++)
		json_array_append_new(out, array_json(&d->arrays[i]));
	return out;
}

static const char *jstr(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "-";
}

static void print_entry(FILE *out, char mark, json_t *e)
{
	if (json_is_string(json_object_get(e, "row")))
		fprintf(out, "      %c %s", mark, jstr(e, "row"));
	else
		fprintf(out, "      %c %s %s = %s", mark, jstr(e, "driver"), jstr(e, "property"),
			jstr(e, "value"));
	if (json_is_true(json_object_get(e, "optional")))
		fputs(" (optional)", out);
	fprintf(out, "  :%d\n", (int)json_integer_value(json_object_get(e, "line")));
}

static void print_machine(FILE *out, char mark, json_t *m)
{
	fprintf(out, "  %c %s  %s %s%s%s  %s:%d\n", mark, jstr(m, "name"), jstr(m, "family"),
		jstr(m, "kind"), json_is_true(json_object_get(m, "latest")) ? ", latest" : "",
		json_is_string(json_object_get(m, "guard")) ? " (guarded)" : "", jstr(m, "path"),
		(int)json_integer_value(json_object_get(m, "line")));
}

static void print_text(FILE *out, json_t *doc)
{
	json_t *from = json_object_get(doc, "from"), *to = json_object_get(doc, "to");
	json_t *machines = json_object_get(doc, "machines"), *compat = json_object_get(doc, "compat");
	json_t *v, *c;
	size_t i, j, nmach;

	fprintf(out, "%s (%.12s, VERSION %s) -> %s (%.12s, VERSION %s)\n", jstr(from, "ref"),
		jstr(from, "commit"), jstr(from, "version"), jstr(to, "ref"), jstr(to, "commit"),
		jstr(to, "version"));
	nmach = json_array_size(json_object_get(machines, "added")) +
		json_array_size(json_object_get(machines, "removed")) +
		json_array_size(json_object_get(machines, "changed"));
	if (!nmach && !json_array_size(compat)) {
		fputs("no machine or compat changes\n", out);
		return;
	}
	if (nmach) {
		fputs("\nmachines\n", out);
		json_array_foreach(json_object_get(machines, "added"), i, v)
			print_machine(out, '+', v);
		json_array_foreach(json_object_get(machines, "removed"), i, v)
			print_machine(out, '-', v);
		json_array_foreach(json_object_get(machines, "changed"), i, v) {
			fprintf(out, "  ~ %s  %s:", jstr(v, "name"), jstr(v, "family"));
			json_array_foreach(json_object_get(v, "changes"), j, c)
				fprintf(out, "%s %s %s -> %s", j ? ";" : "", jstr(c, "field"),
					jstr(c, "from"), jstr(c, "to"));
			fputc('\n', out);
		}
	}
	if (json_array_size(compat))
		fputs("\ncompat\n", out);
	json_array_foreach(compat, i, v) {
		const char *status = jstr(v, "status");

		fprintf(out, "  %c %s%s%s  %s:%d%s\n", status[0] == 'a' ? '+' : status[0] == 'r' ? '-' : '~',
			json_is_string(json_object_get(v, "function")) ? jstr(v, "function") : "",
			json_is_string(json_object_get(v, "function")) ? ": " : "", jstr(v, "array"),
			jstr(v, "path"), (int)json_integer_value(json_object_get(v, "line")),
			status[0] == 'a' ? " (new array)" : status[0] == 'r' ? " (array removed)" : "");
		json_array_foreach(json_object_get(v, "added"), j, c)
			print_entry(out, '+', c);
		json_array_foreach(json_object_get(v, "removed"), j, c)
			print_entry(out, '-', c);
		json_array_foreach(json_object_get(v, "changed"), j, c) {
			print_entry(out, '-', json_object_get(c, "from"));
			print_entry(out, '+', json_object_get(c, "to"));
		}
	}
}

static int run(int argc, char **argv, struct mt_options *opts);

const struct command command_diff = {
	.name = "diff",
	.run = run,
	.usage = "diff REF1 REF2",
	.summary = "machine types and compat entries added, removed or changed between refs",
	.help = "--format text or json\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON,
};

static int run(int argc, char **argv, struct mt_options *opts)
{
	char **args = xcalloc((size_t)argc + 1, sizeof(char *));
	struct mt_repo *repo = NULL;
	struct families fams;
	struct model_cache cache;
	struct model a, b;
	struct model_diff d;
	json_t *doc;
	int nargs, ret = MT_EXIT_ERROR;

	if (cli_parse(opts, &command_diff, NULL, argc, argv, args, &nargs) < 0) {
		free(args);
		return cli_fail();
	}
	if (nargs != 2) {
		free(args);
		mt_error_set("diff: needs two refs (usage: mtcheck %s)", command_diff.usage);
		return cli_fail();
	}
	if (machines_open(&repo, &fams, opts) < 0) {
		free(args);
		return cli_fail();
	}
	model_cache_init(&cache);
	if (machines_load_ref(&a, &cache, repo, &fams, args[0]) < 0)
		goto out;
	if (machines_load_ref(&b, &cache, repo, &fams, args[1]) < 0) {
		model_release(&a);
		goto out;
	}
	model_diff(&d, &fams, &a, &b, MODEL_DIFF_MACHINES | MODEL_DIFF_COMPAT);
	doc = json_pack("{s:o, s:o, s:o, s:o}", "from", side_json(&a, args[0]),
			"to", side_json(&b, args[1]), "machines", machines_json(&d),
			"compat", compat_json(&d));
	model_diff_release(&d);
	if (!doc) {
		mt_error_set("%s..%s: cannot write JSON (out of memory)", args[0], args[1]);
		model_release(&a);
		model_release(&b);
		goto out;
	}
	if (opts->format == MT_FORMAT_JSON) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else {
		print_text(stdout, doc);
	}
	json_decref(doc);
	model_release(&a);
	model_release(&b);
	ret = MT_EXIT_OK;
out:
	model_cache_release(&cache);
	families_release(&fams);
	repo_free(repo);
	free(args);
	return ret == MT_EXIT_OK ? ret : cli_fail();
}
