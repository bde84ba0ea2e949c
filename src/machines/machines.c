/*
 * From one blob's tokens to versioned machines and compat arrays. Which
 * calls and structs name a machine, and what their arguments mean, comes
 * from the family (rules/families.json); nothing here knows a macro name.
 */
#include "machines/machines.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machines/csrc.h"
#include "util/error.h"
#include "machines_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 4)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static int small_number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int version_from_identifier(struct qversion *out, const char *ident)
{
	const char *parts[64];
	size_t lens[64], n = 0, i;
	const char *p = ident;

	while (n < ARRAY_SIZE(parts)) {
		const char *us = strchr(p, '_');

		parts[n] = p;
		lens[n] = us ? (size_t)(us - p) : strlen(p);
		n++;
		if (!us)
			break;
		p = us + 1;
	}
	for (i = 0; i + 1 < n; i++) {
		if (!all_digits(parts[i], lens[i]) || !all_digits(parts[i + 1], lens[i + 1]))
			continue;
		memset(out, 0, sizeof(*out));
		out->major = small_number(parts[i], lens[i]);
		out->minor = small_number(parts[i + 1], lens[i + 1]);
		out->micro = -1;
		out->nano = -1;
		if (i + 2 < n && all_digits(parts[i + 2], lens[i + 2]))
			out->micro = small_number(parts[i + 2], lens[i + 2]);
		return 0;
	}
	return -1;
}

/* Whether token text s follows ps without a space: "f(x)", "m->a", "!x". */
static bool glued(const char *ps, const char *s, bool prev_is_ident)
{
	return !strcmp(ps, "(") || !strcmp(ps, "!") || !strcmp(ps, ".") || !strcmp(ps, "->") ||
	       !strcmp(s, ")") || !strcmp(s, ",") || !strcmp(s, ".") || !strcmp(s, "->") ||
	       (!strcmp(s, "(") && prev_is_ident);
}

/* Appends the text of toks[first, last) as written, adjacent strings joined. */
void render_tokens(struct strbuf *out, const struct csrc_file *f, const struct csrc_token *toks,
		   size_t first, size_t last)
{
	bool only_strings = true, in_string = false;
	size_t i;

	for (i = first; i < last; i++) {
		if (toks[i].kind != CSRC_STRING)
			only_strings = false;
	}
	for (i = first; i < last; i++) {
		const struct csrc_token *t = &toks[i];
		const char *s = csrc_text(f, t);

		if (only_strings) {
			strbuf_addstr(out, s);
			continue;
		}
		if (t->kind == CSRC_STRING) {
			if (!in_string) {
				if (i > first && !glued(csrc_text(f, &toks[i - 1]), s, false))
					strbuf_addch(out, ' ');
				strbuf_addch(out, '"');
				in_string = true;
			}
			strbuf_addstr(out, s);
			continue;
		}
		if (in_string) {
			strbuf_addch(out, '"');
			in_string = false;
		}
		if (i > first && !glued(csrc_text(f, &toks[i - 1]), s,
					toks[i - 1].kind == CSRC_IDENT))
			strbuf_addch(out, ' ');
		strbuf_addstr(out, s);
	}
	if (in_string)
		strbuf_addch(out, '"');
}

/*
 * Evaluates a machine-name expression: string literals, the family's name
 * macros (TYPE_SPAPR_MACHINE) and wrappers (MACHINE_TYPE_NAME("...")).
 * Returns false for anything else.
 */
static bool eval_name(struct strbuf *out, const struct family *fam, const struct csrc_file *f,
		      size_t first, size_t last)
{
	size_t i, j;

	if (first >= last)
		return false;
	if (f->toks[first].kind == CSRC_IDENT && last - first >= 3 &&
	    csrc_is(f, &f->toks[first + 1], "(") && csrc_is(f, &f->toks[last - 1], ")")) {
		for (j = 0; j < fam->nname_wrappers; j++) {
			if (!strcmp(csrc_text(f, &f->toks[first]), fam->name_wrappers[j]))
				return eval_name(out, fam, f, first + 2, last - 1);
		}
		return false;
	}
	for (i = first; i < last; i++) {
		const struct csrc_token *t = &f->toks[i];

		if (t->kind == CSRC_STRING) {
			strbuf_addstr(out, csrc_text(f, t));
			continue;
		}
		if (t->kind != CSRC_IDENT)
			return false;
		for (j = 0; j < fam->nname_macros; j++) {
			if (!strcmp(csrc_text(f, t), fam->name_macros[j].macro))
				break;
		}
		if (j == fam->nname_macros)
			return false;
		strbuf_addstr(out, fam->name_macros[j].text);
	}
	return true;
}

/* Splits a name into the family's prefix and a version; false when it is not versioned. */
static bool version_of_name(struct qversion *out, const struct family *fam, const char *name)
{
	size_t i;

	for (i = 0; i < fam->nprefixes; i++) {
		size_t n = strlen(fam->prefixes[i]);

		if (!strncmp(name, fam->prefixes[i], n) && qversion_parse(out, name + n) == 0)
			return true;
	}
	return false;
}

/* The alias a function body assigns last (`m->alias = "q35"`), NULL for `= NULL` or none. */
static bool alias_in_function(char **out, const struct csrc_file *f, const char *fname)
{
	const struct csrc_func *fn = csrc_find_func(f, fname);
	bool found = false;
	size_t i;

	*out = NULL;
	if (!fn)
		return false;
	for (i = fn->open + 1; i + 2 < fn->close; i++) {
		const struct csrc_token *t = &f->toks[i];

		if (!csrc_is(f, t, "alias") || !csrc_is(f, &f->toks[i + 1], "="))
			continue;
		free(*out);
		*out = NULL;
		found = true;
		if (f->toks[i + 2].kind == CSRC_STRING)
			*out = xstrdup(csrc_text(f, &f->toks[i + 2]));
	}
	return found;
}

/* Expands "{v}" in a function name pattern to the version with underscores. */
static void options_function_name(struct strbuf *out, const char *pattern,
				  const struct qversion *v)
{
	const char *p = strstr(pattern, "{v}");

	if (!p) {
		strbuf_addstr(out, pattern);
		return;
	}
	strbuf_add(out, pattern, (size_t)(p - pattern));
	strbuf_addf(out, "%d_%d", v->major, v->minor);
	if (v->micro >= 0)
		strbuf_addf(out, "_%d", v->micro);
	strbuf_addstr(out, p + 3);
}

static bool single(const struct csrc_range *r, const struct csrc_file *f, enum csrc_kind kind)
{
	return r->last == r->first + 1 && f->toks[r->first].kind == kind;
}

struct binding {
	int major, minor, micro;
	const char *tag;
	struct strbuf name;
	struct strbuf version;
	bool has_name, has_version, latest;
	const char *options;
};

/* Binds a call's arguments to a shape's roles; false when a type does not fit. */
static bool bind_args(struct binding *b, const struct family *fam, const struct family_call *shape,
		      const struct csrc_file *f, const struct csrc_call *call)
{
	size_t i;

	b->major = b->minor = b->micro = -1;
	for (i = 0; i < shape->nargs; i++) {
		const struct csrc_range *r = &call->args[i];
		const char *s = r->last > r->first ? csrc_text(f, &f->toks[r->first]) : "";

		switch (shape->args[i]) {
		case ROLE_ANY:
			if (r->last == r->first)
				return false;
			break;
		case ROLE_MAJOR:
		case ROLE_MINOR:
		case ROLE_MICRO:
			if (!single(r, f, CSRC_NUMBER) || !all_digits(s, strlen(s)))
				return false;
			if (shape->args[i] == ROLE_MAJOR)
				b->major = small_number(s, strlen(s));
			else if (shape->args[i] == ROLE_MINOR)
				b->minor = small_number(s, strlen(s));
			else
				b->micro = small_number(s, strlen(s));
			break;
		case ROLE_TAG:
			if (!single(r, f, CSRC_IDENT) || strlen(s) >= QVERSION_TAG_MAX)
				return false;
			b->tag = s;
			break;
		case ROLE_SUFFIX:
			if (!single(r, f, CSRC_IDENT) && !single(r, f, CSRC_NUMBER))
				return false;
			break;
		case ROLE_NAME:
		case ROLE_VERSION: {
			struct strbuf *sb = shape->args[i] == ROLE_NAME ? &b->name : &b->version;

			if (!eval_name(sb, fam, f, r->first, r->last))
				return false;
			if (shape->args[i] == ROLE_NAME)
				b->has_name = true;
			else
				b->has_version = true;
			break;
		}
		case ROLE_LATEST:
			if (!single(r, f, CSRC_IDENT) && !single(r, f, CSRC_NUMBER))
				return false;
			if (!strcmp(s, "true") || !strcmp(s, "1"))
				b->latest = true;
			else if (strcmp(s, "false") && strcmp(s, "0"))
				return false;
			break;
		case ROLE_OPTIONS:
			if (!single(r, f, CSRC_IDENT))
				return false;
			b->options = s;
			break;
		}
	}
	return true;
}

static void add_machine(struct machine_list *out, const struct family *fam, const char *path,
			const struct csrc_file *f, size_t name_tok, const char *name,
			const struct qversion *v, bool latest, const char *alias, bool version_args)
{
	struct machine *m;
	const char *guard = csrc_cond(f, &f->toks[name_tok]);
	size_t i;

	for (i = 0; i < out->n; i++) {
		/* The same machine in both branches of an #ifdef is one machine. */
		if (!strcmp(out->v[i].family, fam->id) && !strcmp(out->v[i].name, name))
			return;
	}
	ARRAY_GROW(out->v, out->n, out->alloc);
	m = &out->v[out->n++];
	memset(m, 0, sizeof(*m));
	m->family = xstrdup(fam->id);
	m->name = xstrdup(name);
	m->version = *v;
	m->kind = v->tag[0] ? MACHINE_TAGGED : v->micro >= 0 ? MACHINE_BUGFIX : MACHINE_RELEASE;
	m->latest = latest;
	m->alias = latest && alias ? xstrdup(alias) : NULL;
	m->path = xstrdup(path);
	m->line = f->toks[name_tok].line;
	m->guard = xstrdup_or_null(guard);
	m->version_args = version_args;
}

static void machine_from_call(struct machine_list *out, const struct family *fam,
			      const char *path, const struct csrc_file *f,
			      const struct csrc_call *call)
{
	const char *macro = csrc_text(f, &f->toks[call->name]);
	size_t s;

	for (s = 0; s < fam->ncalls; s++) {
		const struct family_call *shape = &fam->calls[s];
		struct binding b;
		struct qversion v;
		struct strbuf name = STRBUF_INIT;
		char *alias = NULL;
		bool ok = false, latest = false;

		if (strcmp(shape->macro, macro) || shape->nargs != call->nargs)
			continue;
		memset(&b, 0, sizeof(b));
		strbuf_init(&b.name);
		strbuf_init(&b.version);
		if (!bind_args(&b, fam, shape, f, call))
			goto next;
		if (b.has_name) {
			ok = version_of_name(&v, fam, b.name.buf);
			strbuf_addstr(&name, b.name.buf);
		} else if (b.has_version) {
			ok = qversion_parse(&v, b.version.buf) == 0;
			strbuf_addf(&name, "%s%s", fam->prefixes[0], b.version.buf);
		} else if (b.major >= 0 && b.minor >= 0) {
			char text[64];

			memset(&v, 0, sizeof(v));
			v.major = b.major;
			v.minor = b.minor;
			v.micro = b.micro;
			v.nano = -1;
			if (b.tag)
				snprintf(v.tag, sizeof(v.tag), "%s", b.tag);
			ok = true;
			strbuf_addf(&name, "%s%s", fam->prefixes[0],
				    qversion_format(text, sizeof(text), &v));
		}
		if (!ok)
			goto next;
		switch (shape->latest) {
		case LATEST_NO:
			break;
		case LATEST_YES:
			latest = true;
			break;
		case LATEST_ARGUMENT:
			latest = b.latest;
			break;
		case LATEST_ALIAS: {
			struct strbuf fn = STRBUF_INIT;

			if (b.options)
				strbuf_addstr(&fn, b.options);
			else if (shape->options_function)
				options_function_name(&fn, shape->options_function, &v);
			if (fn.len && alias_in_function(&alias, f, fn.buf) && alias)
				latest = true;
			strbuf_release(&fn);
			break;
		}
		}
		add_machine(out, fam, path, f, call->name, name.buf, &v, latest,
			    alias ? alias : fam->alias, !b.has_name && !b.has_version);
next:
		free(alias);
		strbuf_release(&name);
		strbuf_release(&b.name);
		strbuf_release(&b.version);
		if (ok)
			return;
	}
}

/* `.field = value` element of an initialiser: returns true with the value's range. */
static bool designated(struct csrc_range *value, const struct csrc_file *f,
		       const struct csrc_token *toks, const struct csrc_range *el, const char *field)
{
	if (el->last < el->first + 4 || !csrc_is(f, &toks[el->first], ".") ||
	    strcmp(csrc_text(f, &toks[el->first + 1]), field) ||
	    !csrc_is(f, &toks[el->first + 2], "="))
		return false;
	value->first = el->first + 3;
	value->last = el->last;
	return true;
}

static int machine_from_struct(struct machine_list *out, const struct family *fam,
			       const char *path, const struct csrc_file *f,
			       const struct csrc_init *init)
{
	struct csrc_range *els = NULL, value;
	size_t nels = 0, i, s;
	int ret;

	if (init->array || init->func >= 0 || init->type == SIZE_MAX)
		return 0;
	for (s = 0; s < fam->nstructs; s++) {
		const struct family_struct *shape = &fam->structs[s];
		struct strbuf name = STRBUF_INIT;
		struct qversion v;
		char *alias = NULL;
		bool latest = false, found = false;

		if (strcmp(csrc_text(f, &f->toks[init->type]), shape->type))
			continue;
		if (!els) {
			ret = csrc_split(&els, &nels, f, f->toks, init->open + 1, init->close);
			if (ret < 0) {
				mt_error_prefix("%s", path);
				return ret;
			}
		}
		for (i = 0; i < nels && !found; i++) {
			if (designated(&value, f, f->toks, &els[i], shape->name_field))
				found = eval_name(&name, fam, f, value.first, value.last);
		}
		if (!found || !version_of_name(&v, fam, name.buf)) {
			strbuf_release(&name);
			continue;
		}
		if (shape->latest == LATEST_ALIAS) {
			for (i = 0; i < nels && !latest; i++) {
				if (designated(&value, f, f->toks, &els[i], "alias")) {
					if (value.last == value.first + 1 &&
					    f->toks[value.first].kind == CSRC_STRING) {
						alias = xstrdup(csrc_text(f, &f->toks[value.first]));
						latest = true;
					}
				} else if (els[i].last == els[i].first + 4 &&
					   csrc_is(f, &f->toks[els[i].first], ".") &&
					   f->toks[els[i].first + 3].kind == CSRC_IDENT) {
					/* .class_init = fn: the function may set the alias */
					const char *fn = csrc_text(f, &f->toks[els[i].first + 3]);

					if (alias_in_function(&alias, f, fn) && alias)
						latest = true;
				}
			}
		} else if (shape->latest == LATEST_YES) {
			latest = true;
		}
		add_machine(out, fam, path, f, init->name, name.buf, &v, latest,
			    alias ? alias : fam->alias, false);
		free(alias);
		strbuf_release(&name);
		break;
	}
	free(els);
	return 0;
}

int machines_from_csrc(struct machine_list *out, const struct family *fam, const char *path,
		       const struct csrc_file *f)
{
	size_t i;
	int ret;

	for (i = 0; i < f->ncalls; i++)
		machine_from_call(out, fam, path, f, &f->calls[i]);
	for (i = 0; i < f->ninits; i++) {
		ret = machine_from_struct(out, fam, path, f, &f->inits[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int machines_parse_blob(struct machine_list *out, const struct family *family,
			const char *path, const char *text, size_t len)
{
	struct csrc_file f;
	int ret = csrc_parse(&f, path, text, len);

	if (ret < 0)
		return ret;
	ret = machines_from_csrc(out, family, path, &f);
	csrc_file_release(&f);
	return ret;
}

void machine_release(struct machine *m)
{
	free(m->family);
	free(m->name);
	free(m->alias);
	free(m->path);
	free(m->guard);
	memset(m, 0, sizeof(*m));
}

void machine_copy(struct machine *out, const struct machine *m)
{
	*out = *m;
	out->family = xstrdup_or_null(m->family);
	out->name = xstrdup_or_null(m->name);
	out->alias = xstrdup_or_null(m->alias);
	out->path = xstrdup_or_null(m->path);
	out->guard = xstrdup_or_null(m->guard);
}

void machine_list_release(struct machine_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		machine_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *machine_kind_name(enum machine_kind kind)
{
	switch (kind) {
	case MACHINE_BUGFIX:
		return "bugfix";
	case MACHINE_TAGGED:
		return "tagged";
	case MACHINE_RELEASE:
		break;
	}
	return "release";
}

const char *machine_lifecycle_name(enum machine_lifecycle life)
{
	switch (life) {
	case LIFECYCLE_SUPPORTED:
		return "supported";
	case LIFECYCLE_DEPRECATED:
		return "deprecated";
	case LIFECYCLE_EXPIRED:
		return "expired";
	case LIFECYCLE_UNKNOWN:
		break;
	}
	return NULL;
}

/* QEMU's _MACHINE_IS_EXPIRED test, with development and rc builds counted as the next release. */
static bool past_cutoff(const struct qversion *v, const struct qversion *qemu, int cutoff)
{
	int maj = qemu->major, min = qemu->minor, age;

	if (qversion_is_development(qemu)) {
		if (min == 2) {
			maj++;
			min = 0;
		} else {
			min++;
		}
	}
	age = maj - v->major;
	return age > cutoff || (age == cutoff && min - v->minor >= 0);
}

void qversion_add_releases(struct qversion *v, int n)
{
	int at = v->major * 3 + v->minor + n;

	v->major = at / 3;
	v->minor = at % 3;
}

enum machine_lifecycle machine_lifecycle_at(const struct qversion *v, const struct qversion *qemu,
					    int deprecation_major, int deletion_major)
{
	if (past_cutoff(v, qemu, deletion_major))
		return LIFECYCLE_EXPIRED;
	if (past_cutoff(v, qemu, deprecation_major))
		return LIFECYCLE_DEPRECATED;
	return LIFECYCLE_SUPPORTED;
}

void machine_display_name(struct strbuf *out, const struct machine *m, const char *suffix,
			  const struct machine *others, size_t n)
{
	const char *dash;
	size_t i;

	strbuf_addstr(out, m->name);
	if (suffix)
		strbuf_addstr(out, suffix);
	for (i = 0; i < n; i++) {
		if (!strcmp(others[i].name, m->name) && strcmp(others[i].family, m->family))
			break;
	}
	if (i == n)
		return;
	dash = strchr(m->family, '-');
	strbuf_addf(out, " (%.*s)", dash ? (int)(dash - m->family) : (int)strlen(m->family),
		    m->family);
}
