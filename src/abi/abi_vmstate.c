/*
 * vmstate-version / vmstate-field / vmstate-subsection: the
 * VMStateDescription initialisers of both sides of a file, compared by name
 * as wire layouts: the ordered fields as they are encoded (the macro without
 * its load-time checks, and the arguments that size it, not the field's
 * name or its state type), the version range, and the subsections with
 * whether they are sent. A field renamed, VMSTATE_INT32 made
 * VMSTATE_INT32_EQUAL or a VMSTATE_VALIDATE added changes no byte.
 * Descriptions only one side has are new or removed devices and subsections;
 * a new subsection is judged where it is listed in an existing description.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct designated {
	char *value;     /* display-normalised */
	size_t offset;   /* of the `.` */
	size_t start, end; /* the value's text */
};

struct vmsd {
	const struct abi_extent *extent;
	struct designated version, minimum, needed, subsections;
	struct abi_call *calls;   /* every VMSTATE_* call in the initialiser */
	size_t ncalls;
	const struct abi_call **fields; /* the calls that are fields (ignored ones left out) */
	size_t nfields;
	char **field_text;   /* "VMSTATE_UINT32(x, S)" per field */
	char **field_key;    /* its wire form: "VMSTATE_UINT32()" for VMSTATE_UINT32_EQUAL(y, T) too */
};

static bool declares_type(const struct abi_side *side, const struct abi_extent *e,
			  const char *type)
{
	size_t n = strlen(type), i;

	for (i = e->decl; i + n <= e->open; i++) {
		if (!strncmp(side->code + i, type, n) &&
		    (i == 0 || !abi_is_ident(side->code[i - 1])) && !abi_is_ident(side->code[i + n]))
			return true;
	}
	return false;
}

/* Finds `.name = value` at the top level of the initialiser. */
static void designated(struct designated *out, const struct abi_side *side,
		       const struct abi_extent *e, const char *name)
{
	const char *t = side->clean;
	size_t n = strlen(name), i = e->open + 1;

	memset(out, 0, sizeof(*out));
	while (i < e->close) {
		char c = t[i];

		if (c == '(' || c == '[' || c == '{' || c == '"' || c == '\'') {
			i = c == '"' || c == '\'' ? i + 1 : abi_match_bracket(t, i, e->close) + 1;
			if (c == '"' || c == '\'') {
				while (i < e->close && t[i] != c && t[i] != '\n')
					i += t[i] == '\\' ? 2 : 1;
				i++;
			}
			continue;
		}
		if (c == '.' && !strncmp(t + i + 1, name, n) && !abi_is_ident(t[i + 1 + n])) {
			size_t p = i + 1 + n, end;

			while (p < e->close && isspace((unsigned char)t[p]))
				p++;
			if (p < e->close && t[p] == '=') {
				p++;
				for (end = p; end < e->close && t[end] != ','; end++) {
					if (strchr("([{", t[end]))
						end = abi_match_bracket(t, end, e->close);
				}
				out->offset = i;
				out->start = p;
				out->end = end;
				out->value = abi_normalise(t + p, end - p, true);
				return;
			}
		}
		i++;
	}
}

static char *call_text(const struct abi_call *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addf(&sb, "%s(", c->name);
	for (i = 0; i < c->nargs; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", c->args[i]);
	strbuf_addch(&sb, ')');
	return strbuf_detach(&sb, NULL);
}

/* Whether s is a C identifier (or, with `path`, a member path such as `a.b[2]`). */
static bool is_identifier(const char *s, bool path)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++) {
		if (!abi_is_ident(*s) && !(path && strchr(".[]->", *s)))
			return false;
	}
	return true;
}

/* Whether `name` has `word` (one or more `_`-joined words) starting at `at`, whole. */
static size_t word_at(const char *name, size_t at, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(name + at, word, n) || (name[at + n] && name[at + n] != '_'))
		return 0;
	return n;
}

/*
 * The field as the stream carries it: the macro's name without the words
 * that only add a load-time check, then the arguments that size or version
 * it. The first two arguments name the field and its state type when both
 * are names (not the sizes of VMSTATE_UNUSED_V(2, 4)); they say nothing
 * about the bytes.
 */
static char *wire_key(const struct abi_call *c, const struct abi_vmstate_rules *rules)
{
	struct strbuf sb = STRBUF_INIT;
	size_t at = 0, i, first = 0;

	while (c->name[at]) {
		size_t skip = 0;

		for (i = 0; at > 0 && i < rules->check_only_words.count; i++) {
			size_t n = word_at(c->name, at, rules->check_only_words.items[i]);

			if (n > skip)
				skip = n;
		}
		if (skip) {
			if (sb.len && sb.buf[sb.len - 1] == '_')
				strbuf_setlen(&sb, sb.len - 1);
			at += skip;
			continue;
		}
		while (c->name[at] && c->name[at] != '_')
			strbuf_addch(&sb, c->name[at++]);
		if (c->name[at])
			strbuf_addch(&sb, c->name[at++]);
	}
	if (c->nargs >= 2 && is_identifier(c->args[0], true) && is_identifier(c->args[1], false))
		first = 2;
	strbuf_addch(&sb, '(');
	for (i = first; i < c->nargs; i++)
		strbuf_addf(&sb, "%s%s", i > first ? ", " : "", c->args[i]);
	strbuf_addch(&sb, ')');
	return strbuf_detach(&sb, NULL);
}

static void vmsd_init(struct vmsd *v, const struct abi_side *side, const struct abi_extent *e,
		      const struct abi_vmstate_rules *rules)
{
	struct abi_call *calls;
	size_t n, i;

	memset(v, 0, sizeof(*v));
	v->extent = e;
	designated(&v->version, side, e, "version_id");
	designated(&v->minimum, side, e, "minimum_version_id");
	designated(&v->needed, side, e, "needed");
	designated(&v->subsections, side, e, "subsections");
	abi_find_calls(&calls, &n, side, e->open, e->close, rules->field_prefix);
	v->calls = calls;
	v->ncalls = n;
	v->fields = xcalloc(n + 1, sizeof(*v->fields));
	v->field_text = xcalloc(n + 1, sizeof(*v->field_text));
	v->field_key = xcalloc(n + 1, sizeof(*v->field_key));
	for (i = 0; i < n; i++) {
		if (abi_globs_match(&rules->ignore_fields, calls[i].name) ||
		    abi_globs_match(&rules->check_only_fields, calls[i].name))
			continue;
		v->fields[v->nfields] = &calls[i];
		v->field_key[v->nfields] = wire_key(&calls[i], rules);
		v->field_text[v->nfields++] = call_text(&calls[i]);
	}
}

static void vmsd_release(struct vmsd *v)
{
	size_t i;

	free(v->version.value);
	free(v->minimum.value);
	free(v->needed.value);
	free(v->subsections.value);
	for (i = 0; i < v->nfields; i++) {
		free(v->field_text[i]);
		free(v->field_key[i]);
	}
	free(v->field_text);
	free(v->field_key);
	free(v->fields);
	abi_calls_free(v->calls, v->ncalls);
}

static void report(struct abi_evidence_list *out, const struct abi_signal *signal,
		   const struct abi_file *file, const struct abi_side *side, size_t offset,
		   int line, bool removed, const char *subject, const char *old_value,
		   const char *new_value, const char *detail)
{
	if (!line)
		line = abi_side_line_of(side, offset);
	abi_evidence_add(out, signal, signal->strength, file->path, line, removed, subject,
			 old_value, new_value, detail);
}

static void compare_version(struct abi_evidence_list *out, const struct abi_signal *signal,
			    const struct abi_file *file, const char *vmsd, const char *what,
			    const struct designated *was, const struct designated *now,
			    const struct vmsd *nv)
{
	const char *a = was->value ? was->value : "(unset)", *b = now->value ? now->value : "(unset)";
	struct strbuf detail = STRBUF_INIT;

	if (!strcmp(a, b))
		return;
	strbuf_addf(&detail, "%s: %s %s -> %s", vmsd, what, a, b);
	report(out, signal, file, &file->new_side, now->value ? now->offset : nv->extent->open, 0,
	       false, vmsd, was->value, now->value, detail.buf);
	strbuf_release(&detail);
}

/* Index of text in list not yet used, or -1. */
static long find_unused(char **list, size_t n, bool *used, const char *text)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!used[i] && !strcmp(list[i], text))
			return (long)i;
	}
	return -1;
}

/* The field a call names (its first argument), or "" when it names none. */
static const char *field_name(const struct abi_call *c)
{
	return c->nargs ? c->args[0] : "";
}

/*
 * Whether new field i carries a name the old side has at another place:
 * two fields of one type swapped keep the layout but load each value into
 * the other. A name that is gone (a rename) is no move.
 */
static bool moved_name(const struct vmsd *ov, const struct vmsd *nv, size_t i)
{
	const char *name = field_name(nv->fields[i]);
	size_t j;

	if (!strcmp(field_name(ov->fields[i]), name))
		return false;
	for (j = 0; j < ov->nfields; j++) {
		if (*name && !strcmp(field_name(ov->fields[j]), name))
			return true;
	}
	return false;
}

static void compare_fields(struct abi_evidence_list *out, const struct abi_vmstate_rules *rules,
			   const struct abi_file *file, const char *vmsd, const struct vmsd *ov,
			   const struct vmsd *nv)
{
	bool *used_old = xcalloc(ov->nfields + 1, sizeof(bool));
	bool *used_new = xcalloc(nv->nfields + 1, sizeof(bool));
	bool changed = false;
	size_t i;

	for (i = 0; i < nv->nfields; i++) {
		long j = find_unused(ov->field_key, ov->nfields, used_old, nv->field_key[i]);

		if (j >= 0) {
			used_old[j] = used_new[i] = true;
			continue;
		}
		changed = true;
		if (abi_globs_match(&rules->versioned_macros, nv->fields[i]->name) ||
		    abi_globs_match(&rules->tested_macros, nv->fields[i]->name))
			continue; /* loaded only from a new enough version, or when a test says so */
		{
			struct strbuf detail = STRBUF_INIT;

			strbuf_addf(&detail, "%s: field %s added without a version or test", vmsd,
				    nv->field_text[i]);
			report(out, rules->field, file, &file->new_side, 0, nv->fields[i]->line, false,
			       vmsd, NULL, nv->field_text[i], detail.buf);
			strbuf_release(&detail);
		}
	}
	for (i = 0; i < ov->nfields; i++) {
		struct strbuf detail = STRBUF_INIT;

		if (used_old[i])
			continue;
		changed = true;
		strbuf_addf(&detail, "%s: field %s removed", vmsd, ov->field_text[i]);
		report(out, rules->field, file, &file->old_side, 0, ov->fields[i]->line, true, vmsd,
		       ov->field_text[i], NULL, detail.buf);
		strbuf_release(&detail);
	}
	if (!changed && ov->nfields == nv->nfields) {
		for (i = 0; i < nv->nfields; i++) {
			if (strcmp(ov->field_key[i], nv->field_key[i]) ||
			    moved_name(ov, nv, i)) {
				struct strbuf detail = STRBUF_INIT;

				strbuf_addf(&detail, "%s: fields reordered (first: %s)", vmsd,
					    nv->field_text[i]);
				report(out, rules->field, file, &file->new_side, 0, nv->fields[i]->line,
				       false, vmsd, NULL, NULL, detail.buf);
				strbuf_release(&detail);
				break;
			}
		}
	}
	free(used_old);
	free(used_new);
}

/*
 * A subsection as its parent lists it: the description's name and, in the
 * old form `{ .vmsd = &x, .needed = f }`, the list element's `.needed`.
 */
struct listed {
	char *name;
	char *needed; /* the element's .needed, or NULL (the new form keeps it in x) */
};

/* The element `{ ... }` of a subsection list holding offset `at`, as [open, close]. */
static bool element_of(const struct abi_side *side, const struct designated *d, size_t at,
		       size_t *open, size_t *close)
{
	const char *t = side->clean;
	size_t i = d->start, last_open = 0;
	int depth = 0;
	bool found = false;

	/* the list's own brace is depth 1; its elements open at depth 2 */
	for (; i < at; i++) {
		if (t[i] == '{' && ++depth == 2) {
			last_open = i;
			found = true;
		} else if (t[i] == '}' && depth-- == 2) {
			found = false;
		}
	}
	if (!found)
		return false;
	*open = last_open;
	*close = abi_match_bracket(t, last_open, d->end);
	return true;
}

/* The `.needed = f` inside t[open, close], as f; NULL when there is none. */
static char *element_needed(const struct abi_side *side, size_t open, size_t close)
{
	const char *t = side->clean;
	size_t i;

	for (i = open; i + 7 < close; i++) {
		size_t p, e;

		if (t[i] != '.' || strncmp(t + i + 1, "needed", 6) || abi_is_ident(t[i + 7]))
			continue;
		for (p = i + 7; p < close && isspace((unsigned char)t[p]); p++)
			;
		if (p >= close || t[p] != '=')
			continue;
		for (p++; p < close && isspace((unsigned char)t[p]); p++)
			;
		for (e = p; e < close && t[e] != ',' && t[e] != '}'; e++)
			;
		return abi_normalise(t + p, e - p, true);
	}
	return NULL;
}

/* The `&name` entries of a .subsections value, in order. */
static void subsection_list(struct listed **out, size_t *n, const struct abi_side *side,
			    const struct designated *d)
{
	size_t i, alloc = 0;

	*out = NULL;
	*n = 0;
	if (!d->value)
		return;
	for (i = d->start; i < d->end; i++) {
		if (side->clean[i] == '&') {
			size_t s = i + 1, e, open, close;
			struct listed l = { NULL, NULL };

			while (s < d->end && isspace((unsigned char)side->clean[s]))
				s++;
			for (e = s; e < d->end && abi_is_ident(side->clean[e]); e++)
				;
			if (e == s)
				continue;
			l.name = xstrndup(side->clean + s, e - s);
			if (element_of(side, d, i, &open, &close))
				l.needed = element_needed(side, open, close);
			ARRAY_GROW(*out, *n, alloc);
			(*out)[(*n)++] = l;
		}
	}
}

static void free_listed(struct listed *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].needed);
	}
	free(list);
}

/*
 * Whether a `.needed` function always says yes (its body is one `return
 * true;`): such a subsection is sent to every machine, as one without
 * `.needed` is.
 */
static bool needed_always(const struct abi_side *side, const char *fn)
{
	const struct abi_extent *e = abi_side_find(side, ABI_EXTENT_FUNCTION, fn);
	char *body;
	bool yes;

	if (!e || e->close >= side->len)
		return false;
	body = abi_normalise(side->code + e->open, e->close + 1 - e->open, false);
	yes = !strcmp(body, "{return true;}") || !strcmp(body, "{return 1;}");
	free(body);
	return yes;
}

static void compare_subsections(struct abi_evidence_list *out,
				const struct abi_vmstate_rules *rules, const struct abi_file *file,
				const char *vmsd, const struct vmsd *ov, const struct vmsd *nv)
{
	struct listed *was, *now;
	size_t nwas, nnow, i, j;

	subsection_list(&was, &nwas, &file->old_side, &ov->subsections);
	subsection_list(&now, &nnow, &file->new_side, &nv->subsections);
	for (i = 0; i < nnow; i++) {
		const struct abi_extent *sub;
		struct designated needed;
		const char *fn;
		struct strbuf detail = STRBUF_INIT;

		for (j = 0; j < nwas && strcmp(was[j].name, now[i].name); j++)
			;
		if (j < nwas)
			continue;
		/* Defined elsewhere: whether it has .needed cannot be seen from this file. */
		sub = abi_side_find(&file->new_side, ABI_EXTENT_INITIALIZER, now[i].name);
		if (!sub)
			continue;
		designated(&needed, &file->new_side, sub, "needed");
		fn = now[i].needed ? now[i].needed : needed.value;
		if (!fn)
			strbuf_addf(&detail, "%s: subsection %s added without .needed", vmsd,
				    now[i].name);
		else if (needed_always(&file->new_side, fn))
			strbuf_addf(&detail, "%s: subsection %s added, always sent (.needed = %s)",
				    vmsd, now[i].name, fn);
		if (detail.len)
			report(out, rules->subsection, file, &file->new_side, sub->open,
			       sub->first_line, false, now[i].name, NULL,
			       fn ? NULL : ABI_SUBSECTION_UNNEEDED, detail.buf);
		free(needed.value);
		strbuf_release(&detail);
	}
	free_listed(was, nwas);
	free_listed(now, nnow);
}

void abi_vmstate_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file)
{
	const struct abi_vmstate_rules *rules = &config->vmstate;
	size_t i;

	if (!abi_globs_match(&rules->paths, file->path))
		return;
	for (i = 0; i < file->new_side.nextents; i++) {
		const struct abi_extent *ne = &file->new_side.extents[i], *oe;
		struct vmsd ov, nv;

		if (ne->kind != ABI_EXTENT_INITIALIZER || !ne->name ||
		    !declares_type(&file->new_side, ne, rules->type))
			continue;
		oe = abi_side_find(&file->old_side, ABI_EXTENT_INITIALIZER, ne->name);
		if (!oe || !declares_type(&file->old_side, oe, rules->type))
			continue;
		vmsd_init(&ov, &file->old_side, oe, rules);
		vmsd_init(&nv, &file->new_side, ne, rules);
		compare_version(out, rules->version, file, ne->name, "version_id", &ov.version,
				&nv.version, &nv);
		compare_version(out, rules->version, file, ne->name, "minimum_version_id",
				&ov.minimum, &nv.minimum, &nv);
		compare_fields(out, rules, file, ne->name, &ov, &nv);
		compare_subsections(out, rules, file, ne->name, &ov, &nv);
		vmsd_release(&ov);
		vmsd_release(&nv);
	}
}
