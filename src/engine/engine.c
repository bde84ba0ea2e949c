/*
 * The engine's model: streams with their base and tip machines, the
 * machines each stream introduced and by which backport, and the backports
 * with their guest-ABI evidence. Models are kept per commit for the run.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Seconds in an average Gregorian month: windows are counted in months. */
#define MONTH_SECONDS 2629746LL

void engine_init(struct engine *e, const struct engine_input *in)
{
	memset(e, 0, sizeof(*e));
	e->in = *in;
	e->scope = ENGINE_SCOPE_ALL;
}

static void free_model(void *value, void *payload)
{
	(void)payload;
	model_release(value);
	free(value);
}

static void engine_stream_release(struct engine_stream *s)
{
	size_t i;

	for (i = 0; i < s->nitems; i++) {
		abi_evidence_list_release(&s->items[i].evidence);
		free(s->items[i].error);
	}
	free(s->items);
	if (s->full)
		backports_release(&s->backports);
	free(s->intros);
	free(s->latest);
	free(s->removals);
	stream_release(&s->stream);
}

void engine_release(struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nstreams; i++)
		engine_stream_release(&e->streams[i]);
	free(e->streams);
	oidmap_each(&e->models, free_model, NULL);
	oidmap_release(&e->models);
	oidmap_each(&e->machine_models, free_model, NULL);
	oidmap_release(&e->machine_models);
	oidmap_release(&e->since_commits);
	for (i = 0; i < e->nprefetched; i++)
		backports_release(&e->prefetched[i].list);
	free(e->prefetched);
	for (i = 0; i < e->nunreadable; i++)
		free(e->unreadable[i]);
	free(e->unreadable);
	free(e->master_releases);
	memset(e, 0, sizeof(*e));
}

int engine_model(const struct model **out, struct engine *e, const struct mt_oid *commit)
{
	struct model *m = oidmap_get(&e->models, commit);
	char hex[13];

	if (!m) {
		m = xmalloc(sizeof(*m));
		if (model_load(m, e->in.cache, e->in.repo, e->in.fams, commit) < 0) {
			free(m);
			oid_to_short(hex, 12, commit);
			mt_error_prefix("%s", hex);
			return MT_ERROR;
		}
		oidmap_put(&e->models, commit, m);
	}
	*out = m;
	return MT_OK;
}

/* Whether a path is (or, ending in '/', holds) a family's machine file. */
static bool family_path(const char *path, void *payload)
{
	return families_holds_path(payload, path, false);
}

static void add_intro(struct engine_intro **v, size_t *n, const struct machine *m,
		      const struct engine_backport *by, const struct model *tip)
{
	const struct machine *at_tip = model_machine(tip, m->name);

	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].machine = at_tip ? at_tip : m;
	(*v)[*n].by = by;
	(*v)[*n].at_tip = at_tip != NULL;
	(*v)[*n].time = by ? backport_shipped(by->bp) : 0;
	(*n)++;
}

static bool intro_known(const struct engine_stream *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nintros; i++) {
		if (!strcmp(s->intros[i].machine->name, name))
			return true;
	}
	return false;
}

/*
 * Machines and latest changes between two models, charged to `by`. Users
 * know a machine by its name, so a name another family already had (arm's
 * and m68k's virt-7.2) is neither new nor gone.
 */
static void compare_models(struct engine_stream *s, const struct model *prev,
			   const struct model *next, const struct engine_backport *by,
			   const struct families *fams)
{
	struct model_diff d;
	size_t i;

	model_diff(&d, fams, prev, next, MODEL_DIFF_MACHINES);
	for (i = 0; i < d.nadded; i++) {
		const struct machine *m = d.added[i];

		if (!model_machine(prev, m->name) && !model_machine(s->base, m->name) &&
		    !intro_known(s, m->name))
			add_intro(&s->intros, &s->nintros, m, by, s->tip);
	}
	/* What went (MIG002), in model order; a machine that comes back is not undone here. */
	for (i = 0; i < d.nremoved; i++) {
		const struct machine *m = d.removed[i];

		if (model_machine(next, m->name))
			continue;
		s->removals = xrealloc(s->removals, (s->nremovals + 1) * sizeof(*s->removals));
		s->removals[s->nremovals].machine = m;
		s->removals[s->nremovals].by = by;
		s->removals[s->nremovals].at_tip = model_machine(s->tip, m->name) != NULL;
		s->nremovals++;
	}
	for (i = 0; i < d.nlatest; i++) {
		const struct latest_change *lc = &d.latest[i];
		const struct machine *tip;

		/* A new latest machine, not its alias alone nor a family that lost its latest. */
		if (!lc->new || (lc->old && !strcmp(lc->old->name, lc->new->name)))
			continue;
		tip = model_family_latest(s->tip, lc->family->id);
		s->latest = xrealloc(s->latest, (s->nlatest + 1) * sizeof(*s->latest));
		s->latest[s->nlatest].machine = lc->new;
		s->latest[s->nlatest].by = by;
		s->latest[s->nlatest].at_tip = tip && !strcmp(tip->name, lc->new->name);
		s->nlatest++;
	}
	model_diff_release(&d);
}

/* Walks the backports that touch a family file, in order, to see what each introduced. */
static int walk_introductions(struct engine *e, struct engine_stream *s)
{
	const struct model *prev = s->base, *next;
	size_t i;

	for (i = 0; i < s->nitems; i++) {
		const struct mt_oid *c = &s->items[i].bp->commit;
		/* Only the trees on the way to the family files are read. */
		struct repo_diff_opts touched = { .want = family_path,
						  .want_payload = (void *)e->in.fams, .prune = true };
		int ret = repo_diff(e->in.repo, c, &touched);

		if (ret < 0)
			return MT_ERROR;
		if (!ret)
			continue;
		if (engine_model(&next, e, c) < 0)
			return MT_ERROR;
		compare_models(s, prev, next, &s->items[i], e->in.fams);
		prev = next;
	}
	return MT_OK;
}

static void queue_backports(struct engine *e, const struct mt_backports *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		if (!list->items[i].merge)
			jobs_add(e->in.jobs, &list->items[i].commit, JOBS_WHOLE);
	}
}

void engine_prefetch(struct engine *e, const struct mt_stream *streams, size_t n)
{
	size_t i;

	e->prefetched = xcalloc(n + 1, sizeof(*e->prefetched));
	for (i = 0; i < n; i++) {
		struct engine_prefetched *p = &e->prefetched[e->nprefetched];

		if (history_backports_list(&p->list, e->in.history, &streams[i]) < 0) {
			mt_error_clear();
			continue;
		}
		p->tip = streams[i].tip;
		p->base = streams[i].base;
		e->nprefetched++;
		queue_backports(e, &p->list);
	}
}

/* The stream's backports, from what engine_prefetch read when it did. */
static int stream_backports(struct engine *e, struct engine_stream *s)
{
	size_t i;

	for (i = 0; i < e->nprefetched; i++) {
		struct engine_prefetched *p = &e->prefetched[i];

		if (!p->taken && oid_equal(&p->tip, &s->stream.tip) &&
		    oid_equal(&p->base, &s->stream.base)) {
			p->taken = true;
			s->backports = p->list;
			memset(&p->list, 0, sizeof(p->list));
			return history_backports_match(&s->backports, e->in.history, &s->stream,
						       NULL);
		}
	}
	if (history_backports(&s->backports, e->in.history, &s->stream, NULL) < 0)
		return MT_ERROR;
	queue_backports(e, &s->backports);
	return MT_OK;
}

/*
 * Reads the stream's backports and queues them (and their upstream commits)
 * for classification by the jobs' workers; the evidence is filled in by
 * engine_prepare, once every stream is read.
 */
static int analyse_backports(struct engine *e, struct engine_stream *s)
{
	size_t i;

	if (stream_backports(e, s) < 0)
		return MT_ERROR;
	s->full = true;
	s->items = xcalloc(s->backports.count + 1, sizeof(*s->items));
	s->nitems = s->backports.count;
	for (i = 0; i < s->nitems; i++) {
		struct engine_backport *b = &s->items[i];

		b->bp = &s->backports.items[i];
		b->index = i + 1;
		abi_evidence_list_init(&b->evidence);
		if (!b->bp->merge && b->bp->has_upstream)
			jobs_add(e->in.jobs, &b->bp->upstream, JOBS_MACHINES);
	}
	return walk_introductions(e, s);
}

/*
 * followup-compat: compat entries upstream's later fixes of the backport's
 * upstream commit added for the stream's machines, when the stream did not
 * take those fixes too.
 */
static int followup_evidence(struct engine *e, const struct engine_stream *s,
			     struct engine_backport *b)
{
	struct mt_oid *followups = NULL;
	size_t n = 0;
	int ret;

	if (!b->bp->has_upstream || !b->bp->upstream_in_master)
		return MT_OK;
	ret = history_followups_missing(&followups, &n, e->in.history, &b->bp->upstream,
					&s->backports);
	if (ret == MT_OK && n)
		ret = jobs_classify_followups(&b->evidence, e->in.jobs, &b->bp->upstream,
					      followups, n, &s->version);
	free(followups);
	return ret;
}

/* Expected ACPI tables belong to the commits of their series that changed the code. */
static void attribute_acpi(struct engine_stream *s)
{
	struct abi_evidence_list **lists = xcalloc(s->nitems + 1, sizeof(*lists));
	const struct mt_oid **commits = xcalloc(s->nitems + 1, sizeof(*commits));
	size_t j;

	for (j = 0; j < s->nitems; j++) {
		lists[j] = s->items[j].bp->merge ? NULL : &s->items[j].evidence;
		commits[j] = &s->items[j].bp->commit;
	}
	abi_attribute_acpi(lists, commits, s->nitems);
	free(lists);
	free(commits);
}

/* Every full stream's backport evidence, in the order the streams were added. */
static void fill_evidence(struct engine *e)
{
	size_t i, j;

	jobs_collect(e->in.jobs);
	for (i = 0; i < e->nstreams; i++) {
		struct engine_stream *s = &e->streams[i];
		bool filled = false;

		for (j = 0; s->full && j < s->nitems; j++) {
			struct engine_backport *b = &s->items[j];
			struct strbuf why = STRBUF_INIT;
			char hex[13];

			if (b->bp->merge || b->evidence_done)
				continue;
			b->evidence_done = true;
			filled = true;
			if (jobs_classify_backport(&b->evidence, e->in.jobs, &b->bp->commit,
						   b->bp->has_upstream ? &b->bp->upstream : NULL,
						   &s->version) == MT_OK &&
			    followup_evidence(e, s, b) == MT_OK)
				continue;
			/* One unreadable commit must not hide the findings of all the others. */
			oid_to_short(hex, 12, &b->bp->commit);
			b->error = xstrdup(mt_error_last());
			strbuf_addf(&why, "%s %s: %s", s->stream.name, hex, b->error);
			e->unreadable = xrealloc(e->unreadable,
						 (e->nunreadable + 1) * sizeof(*e->unreadable));
			e->unreadable[e->nunreadable++] = strbuf_detach(&why, NULL);
			abi_evidence_list_release(&b->evidence);
			abi_evidence_list_init(&b->evidence);
		}
		if (filled)
			attribute_acpi(s);
	}
}

/* The stream checked in full and reported (check adds it first), or NULL (audit: none yet). */
static const struct engine_stream *reported_full(const struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nstreams; i++) {
		if (e->streams[i].report && e->streams[i].full)
			return &e->streams[i];
	}
	return NULL;
}

/*
 * Whether a context stream's introductions can matter: findings are kept
 * for the reported stream only, and another stream's introductions reach it
 * through BFM003 alone, from an older stream whose X.Y the reported stream
 * still has machines of. (Its tip, as a place a machine belongs, is loaded
 * when a rule asks: engine_stream_tip.)
 */
static bool introductions_matter(const struct engine *e, const struct engine_stream *s)
{
	const struct engine_stream *r = reported_full(e);

	if (!r)
		return true;
	if (qversion_cmp(&s->version, &r->version) > 0)
		return false;
	return model_has_minor(r->tip, NULL, s->version.major, s->version.minor);
}

/*
 * A context stream's models serve to see which machines its backports
 * introduced, and its tip as a place a bugfix machine belongs (BFM003).
 * When no machine file differs between base and tip it introduced nothing:
 * neither model is read now (a tree path and a blob per family file each),
 * and the tip only when a rule asks for it.
 */
int engine_context_intros(struct engine *e, struct engine_stream *s)
{
	struct repo_diff_opts families_differ = { .from = &s->stream.base, .want = family_path,
						  .want_payload = (void *)e->in.fams,
						  .prune = true };
	int differ;

	if (s->full || s->intros_read)
		return MT_OK;
	s->intros_read = true;
	differ = repo_diff(e->in.repo, &s->stream.tip, &families_differ);
	if (differ < 0)
		mt_error_clear(); /* as if they differed: loading the models says what is wrong */
	else if (!differ)
		return MT_OK;
	if (engine_model(&s->base, e, &s->stream.base) < 0 ||
	    engine_model(&s->tip, e, &s->stream.tip) < 0)
		return MT_ERROR;
	compare_models(s, s->base, s->tip, NULL, e->in.fams);
	return MT_OK;
}

static int context_models(struct engine *e, struct engine_stream *s)
{
	return introductions_matter(e, s) ? engine_context_intros(e, s) : MT_OK;
}

int engine_stream_tip(const struct model **out, struct engine *e, const struct engine_stream *s)
{
	if (s->tip) {
		*out = s->tip;
		return MT_OK;
	}
	if (engine_model(out, e, &s->stream.tip) < 0) {
		mt_error_prefix("%s", s->stream.name);
		return MT_ERROR;
	}
	return MT_OK;
}

int engine_add_stream(struct engine *e, const struct mt_stream *stream, bool full, bool report)
{
	struct engine_stream *s;
	size_t i;

	e->streams = xrealloc(e->streams, (e->nstreams + 1) * sizeof(*e->streams));
	s = &e->streams[e->nstreams++];
	memset(s, 0, sizeof(*s));
	s->stream = *stream;
	s->stream.name = xstrdup(stream->name);
	s->stream.ref = xstrdup(stream->ref);
	s->stream.base_name = xstrdup_or_null(stream->base_name);
	s->report = report;
	s->version.major = stream->major;
	s->version.minor = stream->minor;
	s->version.micro = -1;
	s->version.nano = -1;
	if (full) {
		if (engine_model(&s->base, e, &stream->base) < 0 ||
		    engine_model(&s->tip, e, &stream->tip) < 0 || analyse_backports(e, s) < 0)
			goto fail;
	} else if (context_models(e, s) < 0) {
		goto fail;
	}
	/* Introductions later undone within the stream are kept only when shipped (ABI003). */
	for (i = 0; i < s->nintros; i++)
		s->intros[i].at_tip = model_machine(s->tip, s->intros[i].machine->name) != NULL;
	return MT_OK;
fail:
	mt_error_prefix("%s", stream->name);
	return MT_ERROR;
}

int engine_set_scope(struct engine *e, enum engine_scope scope, const struct mt_oid *since)
{
	struct mt_backports list;
	struct engine_stream *s = NULL;
	size_t i;

	for (i = e->nstreams; i-- > 0;) {
		if (e->streams[i].report) {
			s = &e->streams[i];
			break;
		}
	}
	if (!s)
		return mt_error_set("engine: no stream to check");
	e->checked = s;
	e->scope = scope;
	if (scope != ENGINE_SCOPE_SINCE)
		return MT_OK;
	if (history_backports(&list, e->in.history, &s->stream, since) < 0)
		return MT_ERROR;
	for (i = 0; i < list.count; i++)
		oidmap_put(&e->since_commits, &list.items[i].commit, &e->since_commits);
	backports_release(&list);
	return MT_OK;
}

static int64_t newest_release_of(const struct mt_history *h, int major, int minor)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (!r->rc && r->version.major == major && r->version.minor == minor &&
		    r->time > t)
			t = r->time;
	}
	return t;
}

static int cmp_stream(const void *a, const void *b)
{
	const struct engine_stream *x = a, *y = b;
	int c = qversion_cmp(&x->version, &y->version);

	return c ? c : strcmp(x->stream.name, y->stream.name);
}

static int64_t newest_release_time(const struct mt_history *h)
{
	int64_t t = 0;
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		if (!h->releases[i].rc && h->releases[i].time > t)
			t = h->releases[i].time;
	}
	return t;
}

bool engine_stream_maintained(const struct policy *policy, const struct mt_history *h,
			      const struct mt_stream *s)
{
	const struct rule_def *bfm003 = policy_rule(policy, "BFM003");
	long long months = bfm003 ? rule_param(bfm003, "maintained_window_months") : 12;
	int64_t t = newest_release_of(h, s->major, s->minor);

	return policy_stream_listed(policy, s->name) ||
	       (t && newest_release_time(h) - t <= months * MONTH_SECONDS);
}

int engine_prepare(struct engine *e)
{
	const struct engine_stream *checked = e->checked;
	size_t i;

	fill_evidence(e);
	e->newest_release_time = newest_release_time(e->in.history);
	for (i = 0; i < e->nstreams; i++) {
		struct engine_stream *s = &e->streams[i];

		s->maintained = engine_stream_maintained(e->in.policy, e->in.history, &s->stream);
	}
	if (e->in.history->has_master && !e->master &&
	    engine_model(&e->master, e, &e->in.history->master) < 0) {
		mt_error_prefix("%s", e->in.history->master_name);
		return MT_ERROR;
	}
	/* Sort by version; keep `checked` pointing at the same stream. */
	if (checked) {
		size_t at = (size_t)(checked - e->streams);
		char *name = e->streams[at].stream.name;

		qsort(e->streams, e->nstreams, sizeof(*e->streams), cmp_stream);
		for (i = 0; i < e->nstreams; i++) {
			if (e->streams[i].stream.name == name)
				e->checked = &e->streams[i];
		}
	} else {
		qsort(e->streams, e->nstreams, sizeof(*e->streams), cmp_stream);
	}
	return MT_OK;
}

/* Whether check's scope keeps a finding caused by `bp` in `cause`. */
static bool in_scope(const struct engine *e, const struct emit *em,
		     const struct engine_stream *cause)
{
	const struct engine_backport *bp = em->cause_bp ? em->cause_bp : em->bp;

	if (e->scope == ENGINE_SCOPE_ALL)
		return true;
	if (e->scope == ENGINE_SCOPE_SINCE)
		return cause == e->checked && bp && oidmap_get(&e->since_commits, &bp->bp->commit);
	/* pre-tag: backport findings of what no release shipped yet; machine findings all */
	if (cause == e->checked && em->about_backport)
		return bp && !bp->bp->release;
	return true;
}

void engine_emit(struct engine *e, struct finding_list *out, const struct emit *em)
{
	const struct engine_stream *cause = em->cause ? em->cause : em->stream;
	const char *stream = em->stream_name ? em->stream_name
			     : em->stream ? em->stream->stream.name : NULL;
	const char *base_vars[] = { "stream", stream ? stream : "", "machine",
				    em->machine ? em->machine : "", NULL };
	const char *vars[64];
	struct strbuf msg = STRBUF_INIT, key = STRBUF_INIT;
	struct finding f;
	size_t n = 0, i;

	if (!((em->stream && em->stream->report) || (cause && cause->report) ||
	      (!em->stream && e->project_rules) || (em->stream_name && e->project_rules)))
		return;
	if (!in_scope(e, em, cause))
		return;
	for (i = 0; em->vars && em->vars[i] && n < ARRAY_SIZE(vars) - 8; i += 2) {
		vars[n++] = em->vars[i];
		vars[n++] = em->vars[i + 1];
	}
	for (i = 0; base_vars[i]; i++)
		vars[n++] = base_vars[i];
	vars[n] = NULL;
	rule_message_format(&msg, em->rule->message, vars);

	memset(&f, 0, sizeof(f));
	f.rule = em->rule->id;
	f.severity = em->severity ? em->severity : em->rule->severity;
	f.stream = (char *)stream;
	/* However the ref was spelled (HEAD, origin/stable-X.Y, staging-X.Y), the stream is X.Y. */
	if (em->stream && !em->stream_name) {
		strbuf_addf(&key, "stable-%d.%d", em->stream->stream.major, em->stream->stream.minor);
		f.stream_key = key.buf;
	}
	if (em->bp) {
		f.has_commit = true;
		f.commit = em->bp->bp->commit;
		f.subject = em->bp->bp->subject;
		f.has_upstream = em->bp->bp->has_upstream;
		f.upstream = em->bp->bp->upstream;
		f.order = em->bp->index;
		/* A rebase changes the commit id, not the patch: fingerprints use the patch id. */
		if (!f.has_upstream && !em->bp->bp->merge) {
			if (repo_patch_id(&f.patch_id, e->in.repo, &em->bp->bp->commit) == 0)
				f.has_patch_id = true;
			else
				mt_error_clear(); /* the commit id then, as before */
		}
	} else if (em->commit) {
		f.has_commit = true;
		f.commit = *em->commit;
		f.subject = (char *)em->subject;
	}
	f.machine = (char *)em->machine;
	f.path = (char *)em->path;
	f.line = em->line;
	f.message = msg.buf;
	f.key = (char *)em->key;
	finding_list_add(out, &f);
	strbuf_release(&msg);
	strbuf_release(&key);
}

int engine_run(struct finding_list *out, struct engine *e)
{
	size_t i;

	for (i = 0; engine_rules[i].id; i++) {
		const struct rule_def *rule = policy_rule(e->in.policy, engine_rules[i].id);

		if (!rule || !rule->enabled)
			continue;
		if (engine_rules[i].run(e, rule, out) < 0) {
			mt_error_prefix("%s", rule->id);
			return MT_ERROR;
		}
	}
	finding_list_sort(out);
	return MT_OK;
}
