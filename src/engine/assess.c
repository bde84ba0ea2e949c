/*
 * The assessment behind `mtcheck assess`: is the commit already in the
 * stream; if not, the findings `check` raises about its cherry-pick, the
 * pick's evidence, and what the policy then asks.
 */
#include "engine/assess.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static void add_require(struct stream_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_require(struct stream_verdict *v, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ARRAY_GROW(v->requires, v->nrequires, v->alloc);
	v->requires[v->nrequires++] = strbuf_detach(&sb, NULL);
}

static void add_name(char ***v, size_t *n, const char *name)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrdup(name);
}

static void free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void stream_copy(struct mt_stream *out, const struct mt_stream *s)
{
	*out = *s;
	out->name = xstrdup(s->name);
	out->ref = xstrdup(s->ref);
	out->base_name = xstrdup_or_null(s->base_name);
}

void stream_verdict_release(struct stream_verdict *v)
{
	stream_release(&v->stream);
	if (v->picked.name)
		stream_release(&v->picked);
	free(v->stream_subject);
	repo_pick_release(&v->pick);
	abi_evidence_list_release(&v->evidence);
	finding_list_release(&v->findings);
	machine_list_release(&v->affected);
	free_names(v->bugfix, v->nbugfix);
	free_names(v->existing, v->nexisting);
	free_names(v->requires, v->nrequires);
	memset(v, 0, sizeof(*v));
}

/*
 * The stream as it stood at its tip: a release tag the tip does not reach
 * had not happened yet (an older point of the stream, a queue).
 */
static int newest_at_tip(struct mt_stream *s, struct mt_history *h)
{
	const struct mt_release *best = NULL;
	bool reached;
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (r->rc || r->version.major != s->major || r->version.minor != s->minor ||
		    (best && qversion_cmp(&r->version, &best->version) <= 0))
			continue;
		if (repo_is_ancestor(&reached, h->repo, &r->commit, &s->tip) < 0)
			return MT_ERROR;
		if (reached)
			best = r;
	}
	s->newest = best;
	return MT_OK;
}

/* Whether a backport of the stream has `commit` as its upstream (trailer or patch id). */
static int find_backport(struct stream_verdict *v, struct mt_history *h,
			 const struct mt_oid *commit)
{
	struct mt_backports list;
	size_t i;

	if (history_backports(&list, h, &v->stream, NULL) < 0)
		return MT_ERROR;
	for (i = 0; i < list.count && !v->contains; i++) {
		const struct mt_backport *b = &list.items[i];

		/* a backport reverted later in the stream is not there any more */
		if (!b->has_upstream || !oid_equal(&b->upstream, commit) || b->has_reverted_by)
			continue;
		v->contains = true;
		v->match = b->match;
		v->stream_commit = b->commit;
		v->stream_subject = xstrdup(b->subject);
	}
	backports_release(&list);
	return MT_OK;
}

int assess_stream_start(struct stream_verdict *v, struct mt_history *h,
			const struct mt_stream *stream, const struct mt_oid *commit)
{
	bool ancestor;

	memset(v, 0, sizeof(*v));
	abi_evidence_list_init(&v->evidence);
	finding_list_init(&v->findings);
	stream_copy(&v->stream, stream);
	if (newest_at_tip(&v->stream, h) < 0)
		return MT_ERROR;
	if (repo_is_ancestor(&ancestor, h->repo, commit, &v->stream.tip) < 0)
		return MT_ERROR;
	if (ancestor) {
		v->contains = true;
		v->match = MATCH_NONE;
		v->stream_commit = *commit;
		return MT_OK;
	}
	if (find_backport(v, h, commit) < 0)
		return MT_ERROR;
	if (v->contains)
		return MT_OK;
	if (repo_cherry_pick(&v->pick, h->repo, commit, &v->stream.tip) < 0)
		return MT_ERROR;
	stream_copy(&v->picked, &v->stream);
	v->picked.tip = v->pick.commit;
	return MT_OK;
}

char *assess_evidence_note(const struct abi_evidence *e, const struct mt_stream *s)
{
	struct strbuf sb = STRBUF_INIT;
	const struct qversion *a = &e->array_version;

	if ((strcmp(e->signal, "compat-array") && strcmp(e->signal, "upstream-compat")) ||
	    !e->has_array_version || e->removed)
		return NULL;
	if (a->major > s->major || (a->major == s->major && a->minor >= s->minor))
		return NULL;
	strbuf_addf(&sb, "restores an older machine's behaviour: %s holds the %d.%d machines and "
			 "older back; the %d.%d machine types do not change by it",
		    e->array, a->major, a->minor, s->major, s->minor);
	return strbuf_detach(&sb, NULL);
}

/* Evidence that reaches the stream's own X.Y machines (older machines' entries do not). */
static bool reaches_stream(const struct abi_evidence *e, const struct mt_stream *s)
{
	char *note = assess_evidence_note(e, s);

	free(note);
	return !note && strcmp(e->signal, "machine-latest") && e->strength >= ABI_LIKELY;
}

bool assess_family_touched(const struct abi_evidence_list *ev, const struct mt_stream *s,
			   const struct families *fams, const char *family)
{
	struct strbuf reach = STRBUF_INIT;
	bool touched = false;
	size_t i;

	for (i = 0; i < ev->count && !touched; i++) {
		const struct abi_evidence *e = &ev->items[i];

		if (!reaches_stream(e, s))
			continue;
		strbuf_reset(&reach);
		touched = families_reached(&reach, fams, e->path) && family_in(reach.buf, family);
	}
	strbuf_release(&reach);
	return touched;
}

static bool has_rule(const struct finding_list *l, const char *rule)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		if (!strcmp(l->items[i].rule, rule))
			return true;
	}
	return false;
}

/* "a, b, c". */
static char *join_names(char *const *names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
	return strbuf_detach(&sb, NULL);
}

/* Whether the bugfix machine was in a release of the stream already. */
static int shipped(bool *out, struct engine *e, const struct mt_stream *s, const char *name)
{
	const struct model *m;

	*out = false;
	if (!s->newest)
		return MT_OK;
	if (engine_model(&m, e, &s->newest->commit) < 0)
		return MT_ERROR;
	*out = model_machine(m, name) != NULL;
	return MT_OK;
}

/* The machines of the stream's X.Y at its tip (before the pick) the change reaches. */
static int affected_machines(struct stream_verdict *v, struct engine *e)
{
	const struct model *tip;
	size_t i;

	if (engine_model(&tip, e, &v->stream.tip) < 0)
		return MT_ERROR;
	for (i = 0; i < tip->machines.n; i++) {
		const struct machine *m = &tip->machines.v[i];

		if (m->version.major != v->stream.major || m->version.minor != v->stream.minor ||
		    m->kind == MACHINE_TAGGED || !assess_family_touched(&v->evidence, &v->stream, e->in.fams, m->family))
			continue;
		if (m->kind == MACHINE_BUGFIX) {
			add_name(&v->existing, &v->nexisting, m->name);
			continue;
		}
		ARRAY_GROW(v->affected.v, v->affected.n, v->affected.alloc);
		machine_copy(&v->affected.v[v->affected.n++], m);
	}
	return MT_OK;
}

/* What the policy asks of this stream, master and the newer maintained streams. */
static int add_requirements(struct stream_verdict *v, struct engine *e)
{
	const struct mt_stream *s = &v->stream;
	int micro = s->newest && s->newest->version.micro >= 0 ? s->newest->version.micro + 1 : 1;
	char *names, **shown = NULL;
	bool was_shipped;
	size_t i, j, nshown = 0;

	if (has_rule(&v->findings, "ABI003"))
		add_require(v, "do not backport this as it is: a stable branch keeps %d.%d or its "
			       "bugfix machine as the default and defines no newer machine",
			    s->major, s->minor);
	if (!has_rule(&v->findings, "ABI001") || has_rule(&v->findings, "ABI003"))
		return MT_OK;
	if (affected_machines(v, e) < 0)
		return MT_ERROR;
	for (i = 0; i < v->nexisting; i++) {
		if (shipped(&was_shipped, e, s, v->existing[i]) < 0)
			return MT_ERROR;
		if (was_shipped)
			add_require(v, "%s already shipped the bugfix machine %s and the policy allows "
				       "one per family and stream: leave the guest-visible part of this "
				       "change out of %s", s->name, v->existing[i], s->name);
		else
			add_require(v, "%s already has the bugfix machine %s, not yet released: put "
				       "this change into it before it ships (one per family and stream)",
				    s->name, v->existing[i]);
	}
	for (i = 0; i < v->affected.n; i++) {
		const struct machine *m = &v->affected.v[i];
		struct strbuf name = STRBUF_INIT;
		char suffix[16];

		for (j = 0; j < v->nexisting; j++) {
			if (!strncmp(v->existing[j], m->name, strlen(m->name)))
				break;
		}
		if (j < v->nexisting)
			continue;
		strbuf_addf(&name, "%s.%d", m->name, micro);
		add_name(&v->bugfix, &v->nbugfix, name.buf);
		/* Said with its architecture where two families share the name (virt-7.2). */
		snprintf(suffix, sizeof(suffix), ".%d", micro);
		strbuf_reset(&name);
		machine_display_name(&name, m, suffix, v->affected.v, v->affected.n);
		add_name(&shown, &nshown, name.buf);
		strbuf_release(&name);
	}
	if (!v->nbugfix)
		return MT_OK;
	names = join_names(shown, nshown);
	free_names(shown, nshown);
	add_require(v, "%s: add %s (first shipped in v%d.%d.%d); the %d.%d machines keep the old "
		       "behaviour", s->name, names, s->major, s->minor, micro, s->major, s->minor);
	if (e->master) {
		for (j = 0; j < v->nbugfix && model_machine(e->master, v->bugfix[j]); j++)
			;
		if (j < v->nbugfix)
			add_require(v, "%s: add %s too, between %d.%d and the next version",
				    e->in.history->master_name, names, s->major, s->minor);
	}
	for (j = 0; j < e->nstreams; j++) {
		const struct engine_stream *newer = &e->streams[j];

		if (newer->stream.kind != STREAM_STABLE || !newer->maintained ||
		    newer->stream.major < s->major ||
		    (newer->stream.major == s->major && newer->stream.minor <= s->minor))
			continue;
		add_require(v, "%s: add %s too, or migration from %d.%d.%d to %d.%d.z breaks",
			    newer->stream.name, names, s->major, s->minor, micro,
			    newer->stream.major, newer->stream.minor);
	}
	free(names);
	return MT_OK;
}

int assess_stream_finish(struct stream_verdict *v, struct engine *e,
			 const struct finding_list *findings)
{
	const struct engine_stream *c = e->checked;
	size_t i;

	if (!c || !c->full || !c->nitems || !oid_equal(&c->items[c->nitems - 1].bp->commit,
						      &v->pick.commit))
		return mt_error_set("assess: %s: the engine did not check the pick", v->stream.name);
	abi_evidence_list_append(&v->evidence, &c->items[c->nitems - 1].evidence);
	for (i = 0; i < findings->nr; i++) {
		const struct finding *f = &findings->items[i];

		struct finding *kept;

		if (!f->has_commit || !oid_equal(&f->commit, &v->pick.commit))
			continue;
		/* The pick is made in memory: no one can look it up, so it is not named. */
		kept = finding_list_add(&v->findings, f);
		kept->has_commit = false;
	}
	return add_requirements(v, e);
}
