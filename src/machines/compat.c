/*
 * Compat property arrays from one blob's tokens: `GlobalProperty
 * hw_compat_4_0[] = {...}`, function-local `static GlobalProperty compat[]`,
 * and the 2.x-3.x `#define HW_COMPAT_2_5 {...},` lists. Entries are kept as
 * written: type macros by name, adjacent strings joined.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "machines/csrc.h"
#include "util/error.h"
#include "machines/machines.h"
#include "machines_internal.h"
#include "util/qversion.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static char *render(const struct csrc_file *f, const struct csrc_token *toks,
		    const struct csrc_range *r)
{
	struct strbuf sb = STRBUF_INIT;

	render_tokens(&sb, f, toks, r->first, r->last);
	return strbuf_detach(&sb, NULL);
}

static bool is_compat_macro_name(const struct families *fams, const char *name)
{
	size_t i;

	for (i = 0; i < fams->ncompat_macro_markers; i++) {
		if (strstr(name, fams->compat_macro_markers[i]))
			return true;
	}
	return false;
}

/* One `{ driver, property, value }` or `{ .driver = ..., .optional = true }` row. */
static int parse_row(struct compat_array *arr, const struct csrc_file *f,
		     const struct csrc_token *toks, size_t open, size_t close)
{
	struct csrc_range *fields;
	struct compat_entry *e;
	size_t nfields, i, positional = 0;
	int ret;

	ret = csrc_split(&fields, &nfields, f, toks, open + 1, close);
	if (ret < 0)
		return ret;
	if (nfields == 0) {
		free(fields); /* `{ }`: the end-of-list marker */
		return 0;
	}
	arr->entries = xrealloc(arr->entries, (arr->nentries + 1) * sizeof(*arr->entries));
	e = &arr->entries[arr->nentries++];
	memset(e, 0, sizeof(*e));
	e->line = toks[open].line;
	for (i = 0; i < nfields; i++) {
		struct csrc_range r = fields[i];
		char **slot = NULL;

		if (r.last >= r.first + 3 && csrc_is(f, &toks[r.first], ".") &&
		    csrc_is(f, &toks[r.first + 2], "=")) {
			const char *field = csrc_text(f, &toks[r.first + 1]);

			r.first += 3;
			if (!strcmp(field, "driver"))
				slot = &e->driver;
			else if (!strcmp(field, "property"))
				slot = &e->property;
			else if (!strcmp(field, "value"))
				slot = &e->value;
			else if (!strcmp(field, "optional"))
				e->optional = r.last == r.first + 1 &&
					      (csrc_is(f, &toks[r.first], "true") ||
					       !strcmp(csrc_text(f, &toks[r.first]), "1"));
		} else {
			slot = positional == 0 ? &e->driver : positional == 1 ? &e->property :
			       positional == 2 ? &e->value : NULL;
			if (positional == 3)
				e->optional = r.last == r.first + 1 &&
					      (csrc_is(f, &toks[r.first], "true") ||
					       !strcmp(csrc_text(f, &toks[r.first]), "1"));
			positional++;
		}
		if (slot && !*slot)
			*slot = render(f, toks, &r);
	}
	free(fields);
	return 0;
}

/* The elements of a list toks[first, last): rows, row macros, included lists. */
static int parse_elements(struct compat_array *arr, const struct families *fams,
			  const struct csrc_file *f, const struct csrc_token *toks,
			  size_t first, size_t last)
{
	struct csrc_range *els;
	size_t nels, i;
	int ret;

	ret = csrc_split(&els, &nels, f, toks, first, last);
	if (ret < 0)
		return ret;
	for (i = 0; i < nels && ret == 0; i++) {
		struct csrc_range el = els[i];
		const struct csrc_range *r = &el;
		const struct csrc_token *t;

		/* `HW_COMPAT_2_6 { ... }`: 2.x lists chain their includes without a comma */
		while (el.last > el.first + 1 && toks[el.first].kind == CSRC_IDENT &&
		       is_compat_macro_name(fams, csrc_text(f, &toks[el.first]))) {
			arr->includes = xrealloc(arr->includes,
						 (arr->nincludes + 1) * sizeof(char *));
			arr->includes[arr->nincludes++] = xstrdup(csrc_text(f, &toks[el.first]));
			el.first++;
		}
		if (r->last == r->first)
			continue;
		t = &toks[r->first];
		if (csrc_is(f, t, "{") && csrc_match(f, toks, r->first, r->last) == r->last - 1) {
			ret = parse_row(arr, f, toks, r->first, r->last - 1);
		} else if (r->last == r->first + 1 && t->kind == CSRC_IDENT &&
			   is_compat_macro_name(fams, csrc_text(f, t))) {
			arr->includes = xrealloc(arr->includes,
						 (arr->nincludes + 1) * sizeof(char *));
			arr->includes[arr->nincludes++] = xstrdup(csrc_text(f, t));
		} else {
			struct compat_entry *e;

			arr->entries = xrealloc(arr->entries,
						(arr->nentries + 1) * sizeof(*arr->entries));
			e = &arr->entries[arr->nentries++];
			memset(e, 0, sizeof(*e));
			e->line = t->line;
			e->row = render(f, toks, r);
		}
	}
	free(els);
	return ret;
}

static bool is_array_type(const struct families *fams, const char *type)
{
	size_t i;

	for (i = 0; i < fams->ncompat_array_types; i++) {
		if (!strcmp(fams->compat_array_types[i], type))
			return true;
	}
	return false;
}

static struct compat_array *new_array(struct compat_list *out, const char *name,
				      const char *path, int line, const char *guard)
{
	struct compat_array *a;

	ARRAY_GROW(out->v, out->n, out->alloc);
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	a->name = xstrdup(name);
	a->path = xstrdup(path);
	a->line = line;
	a->guard = xstrdup_or_null(guard);
	a->has_version = version_from_identifier(&a->version, name) == 0;
	return a;
}

/* "QEMUMachine.compat_props" of the configuration naming struct type `type`, or NULL. */
static const char *struct_field(const struct families *fams, const char *type)
{
	size_t i, n = strlen(type);

	for (i = 0; i < fams->ncompat_struct_fields; i++) {
		const char *sf = fams->compat_struct_fields[i];

		if (!strncmp(sf, type, n) && sf[n] == '.')
			return sf + n + 1;
	}
	return NULL;
}

/* The designated field holding a struct type's machine name ("name"). */
static const char *name_field(const struct families *fams, const char *type)
{
	size_t i, j;

	for (i = 0; i < fams->n; i++) {
		for (j = 0; j < fams->v[i].nstructs; j++) {
			if (!strcmp(fams->v[i].structs[j].type, type))
				return fams->v[i].structs[j].name_field;
		}
	}
	return "name";
}

/* `.field = ...`: the designator's name when el is one, else NULL. */
static const char *designator(const struct csrc_file *f, const struct csrc_token *toks,
			      const struct csrc_range *el)
{
	if (el->last < el->first + 4 || !csrc_is(f, &toks[el->first], ".") ||
	    toks[el->first + 1].kind != CSRC_IDENT || !csrc_is(f, &toks[el->first + 2], "="))
		return NULL;
	return csrc_text(f, &toks[el->first + 1]);
}

/*
 * "0.11" from a machine name ("pc-0.11", "pc-q35-1.4"): what follows its
 * last '-' (else its first digit on), when that reads as a version.
 */
static bool name_version(struct qversion *out, const struct csrc_file *f,
			 const struct csrc_token *t)
{
	const char *text = csrc_text(f, t), *p = strrchr(text, '-');
	size_t len = strlen(text);

	if (t->kind != CSRC_STRING)
		return false;
	if (p)
		p++;
	else
		for (p = text; *p && (*p < '0' || *p > '9'); p++)
			;
	len -= (size_t)(p - text);
	if (len && p[len - 1] == '"')
		len--; /* a token that keeps its quotes */
	return len && qversion_parse_n(out, p, len) == 0;
}

/*
 * A machine struct whose field holds its own compat list, `.compat_props =
 * (GlobalProperty[]) { {...}, ... }` (0.x-1.x): an array named "VAR.FIELD",
 * for the version of the machine's name.
 */
static int parse_struct_field(struct compat_list *out, const struct families *fams,
			      const char *path, const struct csrc_file *f,
			      const struct csrc_init *init, const char *field)
{
	const struct csrc_token *toks = f->toks, *name = &toks[init->name];
	const char *type = csrc_text(f, &toks[init->type]), *nf = name_field(fams, type);
	struct csrc_range *els, *list = NULL;
	struct qversion v;
	bool has_version = false;
	size_t nels, i, brace = SIZE_MAX, close = SIZE_MAX;
	int ret;

	ret = csrc_split(&els, &nels, f, toks, init->open + 1, init->close);
	if (ret < 0)
		return ret;
	for (i = 0; i < nels; i++) {
		const char *d = designator(f, toks, &els[i]);

		if (d && !strcmp(d, nf) && els[i].last == els[i].first + 4)
			has_version = name_version(&v, f, &toks[els[i].first + 3]);
		else if (d && !strcmp(d, field))
			list = &els[i];
	}
	if (list) {
		for (i = list->first + 3; i < list->last && brace == SIZE_MAX; i++) {
			if (csrc_is(f, &toks[i], "{"))
				brace = i;
		}
		if (brace != SIZE_MAX)
			close = csrc_match(f, toks, brace, list->last);
	}
	if (close != SIZE_MAX) {
		struct strbuf arr = STRBUF_INIT;
		struct compat_array *a;

		strbuf_addf(&arr, "%s.%s", csrc_text(f, name), field);
		a = new_array(out, arr.buf, path, toks[brace].line, csrc_cond(f, name));
		strbuf_release(&arr);
		a->has_version = has_version;
		if (has_version)
			a->version = v;
		ret = parse_elements(a, fams, f, toks, brace + 1, close);
	}
	free(els);
	return ret;
}

int compat_from_csrc(struct compat_list *out, const struct families *fams, const char *path,
		     const struct csrc_file *f)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < f->ninits && ret == 0; i++) {
		const struct csrc_init *init = &f->inits[i];
		const struct csrc_token *name = &f->toks[init->name];
		struct compat_array *a;

		if (!init->array && init->type != SIZE_MAX && init->func < 0 &&
		    struct_field(fams, csrc_text(f, &f->toks[init->type]))) {
			ret = parse_struct_field(out, fams, path, f, init,
						 struct_field(fams, csrc_text(f, &f->toks[init->type])));
			continue;
		}
		if (!init->array || init->type == SIZE_MAX ||
		    !is_array_type(fams, csrc_text(f, &f->toks[init->type])))
			continue;
		a = new_array(out, csrc_text(f, name), path, name->line, csrc_cond(f, name));
		if (init->func >= 0) {
			const char *fn = csrc_text(f, &f->toks[f->funcs[init->func].name]);

			a->function = xstrdup(fn);
			if (!a->has_version)
				a->has_version = version_from_identifier(&a->version, fn) == 0;
		}
		ret = parse_elements(a, fams, f, f->toks, init->open + 1, init->close);
	}
	for (i = 0; i < f->ndefines && ret == 0; i++) {
		const struct csrc_define *d = &f->defines[i];
		const struct csrc_token *name = &f->dtoks[d->name];
		struct compat_array *a;
		struct qversion v;

		if (d->function_like || !is_compat_macro_name(fams, csrc_text(f, name)) ||
		    version_from_identifier(&v, csrc_text(f, name)) < 0)
			continue;
		a = new_array(out, csrc_text(f, name), path, name->line, csrc_cond(f, name));
		a->macro = true;
		ret = parse_elements(a, fams, f, f->dtoks, d->body.first, d->body.last);
	}
	if (ret < 0)
		mt_error_prefix("%s", path);
	return ret;
}

int compat_parse_blob(struct compat_list *out, const struct families *fams,
		      const char *path, const char *text, size_t len)
{
	struct csrc_file f;
	int ret = csrc_parse(&f, path, text, len);

	if (ret < 0)
		return ret;
	ret = compat_from_csrc(out, fams, path, &f);
	csrc_file_release(&f);
	return ret;
}

static void entry_release(struct compat_entry *e)
{
	free(e->driver);
	free(e->property);
	free(e->value);
	free(e->row);
}

void compat_array_release(struct compat_array *a)
{
	size_t i;

	for (i = 0; i < a->nentries; i++)
		entry_release(&a->entries[i]);
	for (i = 0; i < a->nincludes; i++)
		free(a->includes[i]);
	free(a->entries);
	free(a->includes);
	free(a->name);
	free(a->function);
	free(a->path);
	free(a->guard);
	memset(a, 0, sizeof(*a));
}

void compat_array_copy(struct compat_array *out, const struct compat_array *a)
{
	size_t i;

	*out = *a;
	out->name = xstrdup_or_null(a->name);
	out->function = xstrdup_or_null(a->function);
	out->path = xstrdup_or_null(a->path);
	out->guard = xstrdup_or_null(a->guard);
	out->entries = a->nentries ? xcalloc(a->nentries, sizeof(*a->entries)) : NULL;
	for (i = 0; i < a->nentries; i++) {
		out->entries[i] = a->entries[i];
		out->entries[i].driver = xstrdup_or_null(a->entries[i].driver);
		out->entries[i].property = xstrdup_or_null(a->entries[i].property);
		out->entries[i].value = xstrdup_or_null(a->entries[i].value);
		out->entries[i].row = xstrdup_or_null(a->entries[i].row);
	}
	out->includes = a->nincludes ? xcalloc(a->nincludes, sizeof(char *)) : NULL;
	for (i = 0; i < a->nincludes; i++)
		out->includes[i] = xstrdup(a->includes[i]);
}

void compat_list_release(struct compat_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		compat_array_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
