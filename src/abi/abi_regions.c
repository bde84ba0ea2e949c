/*
 * cpu-model, cpuid-filter, cpu-feature-name: any real change inside a named
 * initialiser (a CPU model table) or function (CPUID computation). One item
 * per table entry or function, at its first changed line, so a new model of
 * fifty lines is one piece of evidence, not fifty.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool is_ident(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static size_t skip_string(const char *t, size_t i, size_t end)
{
	for (i++; i < end && t[i] != '"' && t[i] != '\n'; i++) {
		if (t[i] == '\\')
			i++;
	}
	return i + 1;
}

/*
 * The `.FIELD = "..."` of the table entry (brace depth 2 inside the
 * initialiser) that contains `upto`, when it comes before `upto`; else NULL.
 */
static char *entry_name(const struct abi_side *side, const struct abi_extent *e,
			const char *field, size_t upto)
{
	const char *t = side->clean;
	size_t flen = strlen(field), i = e->open, start = 0, end = 0;
	int depth = 0;

	while (i < upto) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			i = c == '"' ? skip_string(t, i, upto) : i + 1;
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (--depth < 2)
				end = start = 0; /* the entry closed: its name no longer applies */
		} else if (c == '.' && depth == 2 && !strncmp(t + i + 1, field, flen) &&
			   !is_ident(t[i + 1 + flen])) {
			size_t p = i + 1 + flen;

			while (p < upto && isspace((unsigned char)t[p]))
				p++;
			if (p < upto && t[p] == '=') {
				p++;
				while (p < upto && isspace((unsigned char)t[p]))
					p++;
				if (p < upto && t[p] == '"') {
					start = p + 1;
					end = skip_string(t, p, upto) - 1;
				}
			}
		}
		i++;
	}
	return end > start ? xstrndup(t + start, end - start) : NULL;
}

struct group {
	const struct abi_change *first; /* first change in diff order; a '+' one when there is */
	char *entry;
	size_t lines;
};

static bool in_region(const struct abi_region_rules *r, const struct abi_extent *e)
{
	if (!e || !e->name)
		return false;
	if (e->kind == ABI_EXTENT_INITIALIZER)
		return abi_globs_match(&r->initializers, e->name);
	if (e->kind == ABI_EXTENT_FUNCTION)
		return abi_globs_match(&r->functions, e->name);
	return false;
}

static void scan_region(struct abi_evidence_list *out, const struct abi_region_rules *r,
			const struct abi_file *file)
{
	struct group *groups = NULL;
	size_t n = 0, alloc = 0, i, g;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];
		const struct abi_side *side = abi_file_side(file, ch->origin);
		char *entry = NULL;

		if (!ch->key || ch->cancelled || !in_region(r, ch->extent))
			continue;
		if (r->entry_name_field && ch->extent->kind == ABI_EXTENT_INITIALIZER)
			entry = entry_name(side, ch->extent, r->entry_name_field,
					   side->lines[ch->line - 1]);
		for (g = 0; g < n; g++) {
			if (!strcmp(groups[g].first->extent->name, ch->extent->name) &&
			    ((!groups[g].entry && !entry) ||
			     (groups[g].entry && entry && !strcmp(groups[g].entry, entry))))
				break;
		}
		if (g == n) {
			ARRAY_GROW(groups, n, alloc);
			memset(&groups[n], 0, sizeof(groups[n]));
			groups[n].first = ch;
			groups[n++].entry = entry;
			entry = NULL;
		} else if (groups[g].first->origin == '-' && ch->origin == '+') {
			groups[g].first = ch;
		}
		groups[g].lines++;
		free(entry);
	}
	for (g = 0; g < n; g++) {
		const struct abi_change *ch = groups[g].first;
		struct strbuf detail = STRBUF_INIT;

		strbuf_addstr(&detail, ch->extent->name);
		if (groups[g].entry)
			strbuf_addf(&detail, " entry \"%s\"", groups[g].entry);
		strbuf_addf(&detail, ": %c%s", ch->origin, ch->display);
		if (groups[g].lines > 1)
			strbuf_addf(&detail, " (and %zu more changed lines)", groups[g].lines - 1);
		abi_evidence_add(out, r->signal, r->signal->strength, file->path, ch->line,
				 ch->origin == '-', groups[g].entry ? groups[g].entry : ch->extent->name,
				 NULL, NULL, detail.buf);
		strbuf_release(&detail);
		free(groups[g].entry);
	}
	free(groups);
}

void abi_regions_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file)
{
	size_t i;

	for (i = 0; i < config->nregions; i++) {
		if (abi_globs_match(&config->regions[i].paths, file->path))
			scan_region(out, &config->regions[i], file);
	}
}
