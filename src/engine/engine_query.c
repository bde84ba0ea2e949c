/* Small lookups over streams and history that several rules need. */
#include <fnmatch.h>
#include <string.h>

#include "engine_internal.h"

const struct engine_backport *stream_backport(const struct engine_stream *s,
					      const struct mt_oid *commit)
{
	size_t i;

	for (i = 0; i < s->nitems; i++) {
		if (oid_equal(&s->items[i].bp->commit, commit))
			return &s->items[i];
	}
	return NULL;
}

void backport_label(struct strbuf *out, const struct engine_backport *b)
{
	char hex[13];

	oid_to_short(hex, 12, &b->bp->commit);
	strbuf_addf(out, "%s (%s)", hex, b->bp->subject ? b->bp->subject : "");
}

const struct family *family_of_path(const struct families *fams, const char *path)
{
	size_t i, j;

	for (i = 0; i < fams->n; i++) {
		for (j = 0; j < fams->v[i].npaths; j++) {
			if (!strcmp(fams->v[i].paths[j], path))
				return &fams->v[i];
		}
	}
	return NULL;
}

static bool globs_match(char *const *globs, size_t n, const char *path)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!fnmatch(globs[i], path, 0))
			return true;
	}
	return false;
}

bool families_reached(struct strbuf *out, const struct families *fams, const char *path)
{
	const struct family *own = family_of_path(fams, path);
	size_t i, start = out->len;
	bool scoped;

	if (own) {
		strbuf_addstr(out, own->id);
		return true;
	}
	/* before the scopes: it may carve a board out of its architecture's (hw/i386/microvm.c) */
	if (globs_match(fams->unversioned_scope, fams->nunversioned_scope, path))
		return false;
	for (i = 0; i < fams->n; i++) {
		if (globs_match(fams->v[i].scope, fams->v[i].nscope, path))
			strbuf_addf(out, "%s%s", out->len > start ? " " : "", fams->v[i].id);
	}
	scoped = out->len > start;
	for (i = 0; !scoped && i < fams->n; i++) {
		if (globs_match(fams->v[i].shared_scope, fams->v[i].nshared_scope, path))
			strbuf_addf(out, "%s%s", out->len > start ? " " : "", fams->v[i].id);
	}
	return true;
}

bool family_in(const char *families, const char *id)
{
	size_t n = strlen(id);
	const char *p = families;

	if (!families || !*families)
		return true;
	while ((p = strstr(p, id)) != NULL) {
		if ((p == families || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

const struct mt_release *release_of_minor(const struct mt_history *h, int major, int minor)
{
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (!r->rc && r->version.major == major && r->version.minor == minor &&
		    r->version.micro <= 0 && r->version.nano <= 0)
			return r;
	}
	return NULL;
}

void engine_emit_intro(struct engine *e, const struct rule_def *rule,
		       const struct engine_stream *s, const struct engine_intro *in,
		       const char *const *vars, const char *key, struct finding_list *out)
{
	struct emit em = { 0 };

	em.rule = rule;
	em.stream = s;
	em.bp = in->by;
	em.machine = in->machine->name;
	em.path = in->machine->path;
	em.line = in->machine->line;
	em.key = key;
	em.vars = vars;
	engine_emit(e, out, &em);
}
