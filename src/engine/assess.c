/* The assessment behind `mtcheck assess`: evidence, verdicts and requirements per stream. */
#include "engine/assess.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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

static void verdict_release(struct stream_verdict *v)
{
	size_t i;

	machine_list_release(&v->affected);
	for (i = 0; i < v->nbugfix; i++)
		free(v->bugfix[i]);
	free(v->bugfix);
	for (i = 0; i < v->nrequires; i++)
		free(v->requires[i]);
	free(v->requires);
	for (i = 0; i < v->nexisting; i++)
		free(v->existing[i]);
	free(v->existing);
}

void assessment_release(struct assessment *a)
{
	size_t i;

	for (i = 0; i < a->nverdicts; i++)
		verdict_release(&a->verdicts[i]);
	free(a->verdicts);
	abi_evidence_list_release(&a->evidence);
	free(a->subject);
}

/*
 * For the assessment every compat entry the commit adds is guest-visible in
 * a stable branch: the array either holds the stream's own machine back in
 * master (and the stable branch has no such array), or it holds back only
 * older machines and the new behaviour reaches the stream's machine anyway.
 */
static enum abi_strength strength_for_stream(const struct abi_evidence *e)
{
	if (!strcmp(e->signal, "compat-array") && !e->removed && e->subject)
		return ABI_CHANGE;
	return e->strength;
}

/* x86 code reaches only the x86 machines; a family's own file only that family. */
static bool family_touched(const struct abi_evidence_list *ev, const struct families *fams,
			   const char *family)
{
	const struct family *f = families_find(fams, family);
	bool x86 = !strcmp(family, "q35") || !strcmp(family, "i440fx");
	size_t i, j;

	for (i = 0; i < ev->count; i++) {
		const char *path = ev->items[i].path;
		bool own_file = false, other_family_file = false;
		size_t k;

		for (j = 0; f && j < f->npaths; j++)
			own_file |= !strcmp(f->paths[j], path);
		for (k = 0; k < fams->n && !own_file; k++) {
			for (j = 0; j < fams->v[k].npaths; j++)
				other_family_file |= !strcmp(fams->v[k].paths[j], path);
		}
		if (own_file)
			return true;
		if (other_family_file)
			continue;
		if (!strncmp(path, "hw/i386/", 8) || !strncmp(path, "target/i386/", 12)) {
			if (x86)
				return true;
			continue;
		}
		return true;
	}
	return false;
}

/* Whether the model has a bugfix machine X.Y.z of m's family and version. */
static bool has_bugfix_of(const struct model *model, const struct machine *m)
{
	size_t i;

	for (i = 0; i < model->machines.n; i++) {
		const struct machine *o = &model->machines.v[i];

		if (o->kind == MACHINE_BUGFIX && !strcmp(o->family, m->family) &&
		    qversion_same_minor(&o->version, &m->version))
			return true;
	}
	return false;
}

/* The name a bugfix machine X.Y.micro of family `m` would have: "pc-q35-10.0" + ".4". */
static char *bugfix_name(const struct machine *m, int micro)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s.%d", m->name, micro);
	return strbuf_detach(&sb, NULL);
}

static const struct abi_evidence *find_signal(const struct abi_evidence_list *ev,
					      const char *signal)
{
	size_t i;

	for (i = 0; i < ev->count; i++) {
		if (!strcmp(ev->items[i].signal, signal))
			return &ev->items[i];
	}
	return NULL;
}

/* "a, b, c" of the first n names. */
static char *join_names(char *const *names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
	return strbuf_detach(&sb, NULL);
}

/* Whether a machine of this name was already in the stream's newest release. */
static int shipped(bool *out, struct mt_repo *repo, const struct families *fams,
		   struct model_cache *cache, const struct mt_stream *s, const char *name)
{
	struct model m;

	*out = false;
	if (!s->newest)
		return MT_OK;
	if (model_load(&m, cache, repo, fams, &s->newest->commit) < 0)
		return MT_ERROR;
	*out = model_machine(&m, name) != NULL;
	model_release(&m);
	return MT_OK;
}

/* What the policy asks of this stream, master and newer streams; bugfix names are set. */
static int add_requirements(struct stream_verdict *v, const struct assessment *a,
			    struct mt_repo *repo, struct mt_history *h, const struct families *fams,
			    struct model_cache *cache, const struct model *master, int micro)
{
	const struct mt_stream *s = v->stream;
	const struct abi_evidence *latest = find_signal(&a->evidence, "machine-latest");
	char *names;
	bool was_shipped;
	size_t j;

	if (latest) {
		add_require(v, "do not backport this as it is: it changes which machine is the "
			       "default (%s); a stable branch keeps %d.%d or its bugfix machine as "
			       "the default", latest->detail, s->major, s->minor);
		return MT_OK;
	}
	for (j = 0; j < v->nexisting; j++) {
		if (shipped(&was_shipped, repo, fams, cache, s, v->existing[j]) < 0)
			return MT_ERROR;
		if (was_shipped)
			add_require(v, "%s already shipped the bugfix machine %s and the policy allows "
				       "one per family and stream: leave the guest-visible part of this "
				       "change out of %s", s->name, v->existing[j], s->name);
		else
			add_require(v, "%s already has the bugfix machine %s, not yet released: put "
				       "this change into it before it ships (one per family and stream)",
				    s->name, v->existing[j]);
	}
	if (!v->nbugfix)
		return MT_OK;
	names = join_names(v->bugfix, v->nbugfix);
	add_require(v, "%s: add %s (first shipped in v%d.%d.%d); the %d.%d machines keep the old "
		       "behaviour", s->name, names, s->major, s->minor, micro, s->major, s->minor);
	if (master) {
		for (j = 0; j < v->nbugfix && model_machine(master, v->bugfix[j]); j++)
			;
		if (j < v->nbugfix)
			add_require(v, "%s: add %s too, between %d.%d and the next version",
				    h->master_name, names, s->major, s->minor);
	}
	for (j = 0; j < h->nstreams; j++) {
		const struct mt_stream *newer = &h->streams[j];

		if (newer->kind != STREAM_STABLE ||
		    (newer->major < s->major || (newer->major == s->major && newer->minor <= s->minor)))
			continue;
		add_require(v, "%s: add %s too, or migration from %d.%d.%d to %d.%d.z breaks",
			    newer->name, names, s->major, s->minor, micro, newer->major, newer->minor);
	}
	free(names);
	return MT_OK;
}

static int assess_stream(struct stream_verdict *v, struct assessment *a, struct mt_repo *repo,
			 struct mt_history *h, const struct families *fams,
			 struct model_cache *cache, const struct model *master)
{
	const struct mt_stream *s = v->stream;
	struct model tip;
	int micro = s->newest && s->newest->version.micro >= 0 ? s->newest->version.micro + 1 : 1;
	size_t i;

	if (repo_is_ancestor(&v->contains, repo, &a->commit, &s->tip) < 0)
		return MT_ERROR;
	if (v->contains)
		return MT_OK;
	for (i = 0; i < a->evidence.count; i++) {
		enum abi_strength st = strength_for_stream(&a->evidence.items[i]);
		if (st > v->strength)
			v->strength = st;
	}
	if (v->strength < ABI_CHANGE)
		return MT_OK;
	if (model_load(&tip, cache, repo, fams, &s->tip) < 0) {
		mt_error_prefix("%s", s->name);
		return MT_ERROR;
	}
	for (i = 0; i < tip.machines.n; i++) {
		const struct machine *m = &tip.machines.v[i];

		if (m->version.major != s->major || m->version.minor != s->minor ||
		    m->kind == MACHINE_TAGGED || !family_touched(&a->evidence, fams, m->family))
			continue;
		if (m->kind == MACHINE_BUGFIX) {
			v->existing = xrealloc(v->existing, (v->nexisting + 1) * sizeof(*v->existing));
			v->existing[v->nexisting++] = xstrdup(m->name);
		} else {
			ARRAY_GROW(v->affected.v, v->affected.n, v->affected.alloc);
			machine_copy(&v->affected.v[v->affected.n++], m);
		}
	}
	/* A family that already has its bugfix machine gets no second one. */
	for (i = 0; !find_signal(&a->evidence, "machine-latest") && i < v->affected.n; i++) {
		const struct machine *m = &v->affected.v[i];

		if (has_bugfix_of(&tip, m))
			continue;
		v->bugfix = xrealloc(v->bugfix, (v->nbugfix + 1) * sizeof(*v->bugfix));
		v->bugfix[v->nbugfix++] = bugfix_name(m, micro);
	}
	model_release(&tip);
	return add_requirements(v, a, repo, h, fams, cache, master, micro);
}

int assess_commit(struct assessment *a, struct mt_repo *repo, struct mt_history *h,
		  const struct families *fams, const struct abi_config *config,
		  const char *rev, const struct mt_stream *const *streams, size_t nstreams)
{
	struct mt_commit_info info;
	struct model_cache cache;
	struct model master;
	bool have_master = false;
	size_t i;
	int ret = MT_ERROR;

	model_cache_init(&cache);
	if (repo_resolve_commit(&a->commit, repo, rev) < 0 ||
	    repo_commit_info(&info, repo, &a->commit) < 0)
		goto out;
	a->subject = xstrdup(info.subject);
	commit_info_release(&info);
	if (abi_classify_commit(&a->evidence, repo, config, fams, &a->commit) < 0) {
		mt_error_prefix("%s", rev);
		goto out;
	}
	if (h->has_master) {
		if (model_load(&master, &cache, repo, fams, &h->master) < 0)
			goto out;
		have_master = true;
	}
	a->verdicts = xcalloc(nstreams + 1, sizeof(*a->verdicts));
	for (i = 0; i < nstreams; i++) {
		a->verdicts[a->nverdicts++].stream = streams[i];
		if (assess_stream(&a->verdicts[i], a, repo, h, fams, &cache,
				  have_master ? &master : NULL) < 0)
			goto out;
	}
	ret = MT_OK;
out:
	if (have_master)
		model_release(&master);
	model_cache_release(&cache);
	return ret;
}
