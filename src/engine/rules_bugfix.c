/*
 * Bugfix machine rules: how many (BFM001 per stream, BFM005 per year),
 * where they must also exist (BFM002 master, BFM003 newer maintained
 * streams), how they are named (BFM004 tagged, BFM006 micro and order).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "util/date.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

bool intro_is_bugfix(const struct engine_intro *in)
{
	return in->at_tip && in->machine->kind == MACHINE_BUGFIX;
}

int rule_bfm001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	long long max = rule_param(rule, "max_per_stream");
	size_t i, j, k;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			long long before = 0;

			if (!intro_is_bugfix(in))
				continue;
			for (k = 0; k < j; k++) {
				if (intro_is_bugfix(&s->intros[k]) &&
				    !strcmp(s->intros[k].machine->family, in->machine->family))
					before++;
			}
			if (before >= max)
				engine_emit_intro(e, rule, s, in, NULL, NULL, out);
		}
	}
	return 0;
}

/* The release that first shipped the machine's introduction; NULL: none yet, or not known. */
static const struct mt_release *shipped_by(const struct engine_intro *in)
{
	return in->by ? in->by->bp->release : NULL;
}

static void release_label(struct strbuf *out, const struct mt_release *r)
{
	char day[16];

	date_format(day, r->time);
	strbuf_addf(out, "%s (%s)", r->name, day);
}

/*
 * Where master added the machine, for a message: between the newest master
 * release before `had` (the index of one that has it) that lacks it and the
 * next one. Adds nothing when it cannot be told.
 */
static int master_added(struct strbuf *out, struct engine *e, const struct mt_release **mr,
			size_t had, const char *name)
{
	struct mt_oid c;
	size_t i = had;
	bool has = true;
	int ret;

	while (i > 0 && has) {
		if (engine_has_machine(&has, e, &mr[i - 1]->commit, name) < 0)
			return MT_ERROR;
		if (has)
			i--;
	}
	if (has)
		return MT_OK;
	ret = engine_find_change(&c, e, &mr[i - 1]->commit, &mr[i]->commit, name, true);
	if (ret == MT_ENOTFOUND)
		return MT_OK;
	if (ret < 0)
		return ret;
	strbuf_addstr(out, "; master added it in ");
	engine_commit_label(out, e, &c);
	return MT_OK;
}

/*
 * Whether master carried bugfix machine `m`, shipped by `rel` (NULL: not
 * released yet), from its grace deadline on until it was deleted together
 * with its X.Y base; when not, *why says what happened and where.
 */
static int master_carried(bool *ok, struct strbuf *why, struct engine *e, const struct machine *m,
			  const struct mt_release *rel, long long grace)
{
	const struct mt_release **mr;
	const struct model *at;
	struct mt_oid gone;
	size_t n, i, first = 0, deadline, got = SIZE_MAX;
	bool has;
	int ret;

	*ok = true;
	engine_master_releases(&mr, &n, e);
	if (!rel)
		first = n;
	while (first < n && mr[first]->time <= rel->time)
		first++;
	/* mr[deadline] closes the grace; n: no release has closed it yet (master's tip counts) */
	deadline = first + (size_t)grace - 1 < n ? first + (size_t)grace - 1 : n;
	for (i = first; i <= deadline && got == SIZE_MAX; i++) {
		const struct mt_oid *c = i < n ? &mr[i]->commit : &e->master->commit;

		if (engine_has_machine(&has, e, c, m->name) < 0)
			return MT_ERROR;
		if (has)
			got = i;
	}
	if (got == SIZE_MAX && deadline == n) {
		/*
		 * Not on master's tip and no release closed the grace: had a
		 * master release carried it since X.Y, and it went with its base?
		 */
		for (i = n; i-- > 0 && got == SIZE_MAX;) {
			if (qversion_cmp(&mr[i]->version, &m->version) < 0 &&
			    !(mr[i]->version.major == m->version.major &&
			      mr[i]->version.minor == m->version.minor))
				break;
			if (engine_has_machine(&has, e, &mr[i]->commit, m->name) < 0)
				return MT_ERROR;
			if (has)
				got = i;
		}
	}
	if (got == SIZE_MAX && deadline == n) {
		*ok = false;
		strbuf_addstr(why, "is missing from master");
		if (rel) {
			strbuf_addstr(why, "'s tip; ");
			release_label(why, rel);
			strbuf_addstr(why, " shipped it");
		}
		return MT_OK;
	}
	if (got == SIZE_MAX) {
		*ok = false;
		strbuf_addstr(why, "is missing from master: ");
		release_label(why, rel);
		strbuf_addf(why, " shipped it and master's %s release %s ",
			    grace == 1 ? "next" : "later", mr[deadline]->name);
		if (!model_machine(e->master, m->name)) {
			strbuf_addstr(why, "and master's tip do not define it");
			return MT_OK;
		}
		strbuf_addstr(why, "does not define it");
		ret = engine_find_change(&gone, e, &mr[deadline]->commit, &e->master->commit,
					 m->name, true);
		if (ret < 0 && ret != MT_ENOTFOUND)
			return ret;
		if (ret == MT_OK) {
			strbuf_addstr(why, "; master added it only in ");
			engine_commit_label(why, e, &gone);
		}
		return MT_OK;
	}
	if (got == n)
		return MT_OK; /* on master's tip, no release since */
	/* Carried in time: until when, and did its X.Y base go with it? */
	for (i = got + 1; i <= n; i++) {
		const struct mt_oid *c = i < n ? &mr[i]->commit : &e->master->commit;

		if (engine_has_machine(&has, e, c, m->name) < 0)
			return MT_ERROR;
		if (!has)
			break;
	}
	if (i > n)
		return MT_OK;
	ret = engine_find_change(&gone, e, &mr[i - 1]->commit,
				 i < n ? &mr[i]->commit : &e->master->commit, m->name, false);
	if (ret < 0 && ret != MT_ENOTFOUND)
		return ret;
	if (ret == MT_ENOTFOUND)
		gone = i < n ? mr[i]->commit : e->master->commit;
	if (engine_machines_at(&at, e, &gone) < 0)
		return MT_ERROR;
	if (!model_has_minor(at, m->family, m->version.major, m->version.minor))
		return MT_OK; /* deleted with its base: the lifecycle policy at work */
	*ok = false;
	strbuf_addstr(why, "was removed from master alone by ");
	engine_commit_label(why, e, &gone);
	strbuf_addf(why, ", while machines of its base %d.%d stayed", m->version.major,
		    m->version.minor);
	return master_added(why, e, mr, got, m->name);
}

int rule_bfm002(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	long long grace = rule_param(rule, "grace_releases");
	size_t i, j;

	if (!e->master)
		return 0;
	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; s->report && j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			struct strbuf why = STRBUF_INIT;
			const char *vars[] = { "why", NULL, NULL };
			bool ok;

			if (!intro_is_bugfix(in))
				continue;
			if (master_carried(&ok, &why, e, in->machine, shipped_by(in), grace) < 0) {
				strbuf_release(&why);
				return MT_ERROR;
			}
			vars[1] = why.buf;
			if (!ok)
				engine_emit_intro(e, rule, s, in, vars, NULL, out);
			strbuf_release(&why);
		}
	}
	return 0;
}

static bool minor_newer(const struct qversion *a, const struct qversion *b)
{
	return a->major > b->major || (a->major == b->major && a->minor > b->minor);
}

/*
 * The tree of newer stream `t` that must have a bugfix machine shipped by
 * `rel`: t's release `grace` releases after it, else t's tip. NULL when t
 * was not maintained then (it had not branched yet, or released nothing
 * after it). *label names the tree.
 */
static int bfm003_tree(const struct model **out, struct strbuf *label, struct engine *e,
		       const struct engine_stream *t, const struct mt_release *rel,
		       long long grace)
{
	const struct mt_release *base = release_of_minor(e->in.history, t->version.major,
							 t->version.minor);
	const struct mt_release **tr;
	size_t n, first = 0;
	int ret = MT_OK;

	*out = NULL;
	if (!rel) {
		/* Not shipped yet: the newer streams maintained now. */
		if (t->maintained) {
			strbuf_addstr(label, "its tip");
			return engine_stream_tip(out, e, t);
		}
		return MT_OK;
	}
	if (!base || base->time > rel->time)
		return MT_OK; /* branched later: it got what master had (BFM002) */
	n = engine_stream_releases(&tr, e, t);
	while (first < n && tr[first]->time <= rel->time)
		first++;
	if (first == n) {
		/* No release after: t was no longer maintained (or its next one is not out yet). */
		if (t->maintained) {
			strbuf_addstr(label, "its tip");
			ret = engine_stream_tip(out, e, t);
		}
	} else if (first + (size_t)grace - 1 < n) {
		strbuf_addf(label, "%s, its %s release after %s", tr[first + grace - 1]->name,
			    grace == 1 ? "first" : "later", rel->name);
		ret = engine_machines_at(out, e, &tr[first + grace - 1]->commit);
	} else {
		strbuf_addstr(label, "its tip");
		ret = engine_stream_tip(out, e, t);
	}
	free(tr);
	return ret;
}

int rule_bfm003(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	long long grace = rule_param(rule, "grace_releases");
	size_t i, j, k;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];

			if (!intro_is_bugfix(in))
				continue;
			for (k = 0; k < e->nstreams; k++) {
				const struct engine_stream *t = &e->streams[k];
				const struct model *tree, *tip;
				const struct machine *near;
				struct strbuf label = STRBUF_INIT, why = STRBUF_INIT;
				const char *vars[] = { "why", NULL, NULL };
				struct emit em = { 0 };
				bool found;

				if (!t->report && !s->report)
					continue;
				if (!minor_newer(&t->version, &s->version))
					continue;
				if (bfm003_tree(&tree, &label, e, t, shipped_by(in), grace) < 0) {
					strbuf_release(&label);
					return MT_ERROR;
				}
				/*
				 * Once the X.Y machines are retired (deleted after
				 * their lifecycle), X.Y.Z goes with them.
				 */
				found = !tree || model_machine(tree, in->machine->name) ||
					!model_has_minor(tree, in->machine->family,
							 in->machine->version.major,
							 in->machine->version.minor);
				if (found || engine_stream_tip(&tip, e, t) < 0) {
					strbuf_release(&label);
					if (found)
						continue;
					return MT_ERROR;
				}
				strbuf_addf(&why, " (%s, does not define it)", label.buf);
				vars[1] = why.buf;
				/* Where it belongs: beside the family's machines in that stream. */
				near = model_family_first(tip, in->machine->family);
				em.rule = rule;
				em.stream = t;
				em.cause = s;
				em.bp = in->by;
				em.machine = in->machine->name;
				em.path = near ? near->path : in->machine->path;
				em.line = near ? near->line : 1;
				em.vars = vars;
				engine_emit(e, out, &em);
				strbuf_release(&label);
				strbuf_release(&why);
			}
		}
	}
	return 0;
}

/* A tagged machine and the releases that shipped it. */
struct tagged {
	const struct machine *machine; /* in the model of its first release */
	const struct mt_release *first, *last; /* by date */
	size_t nreleases;
	bool reported;
};

static int cmp_release_ptr_time(const void *a, const void *b)
{
	const struct mt_release *x = *(const struct mt_release *const *)a;
	const struct mt_release *y = *(const struct mt_release *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return qversion_cmp(&x->version, &y->version);
}

/* Every tagged machine any release tag ships, by first release. */
static int tagged_in_releases(struct tagged **out, size_t *nout, struct engine *e)
{
	const struct mt_history *h = e->in.history;
	const struct mt_release **rs = xcalloc(h->nreleases + 1, sizeof(*rs));
	struct tagged *v = NULL;
	size_t n = 0, nrs = 0, i, j, k;

	for (i = 0; i < h->nreleases; i++) {
		if (!h->releases[i].rc)
			rs[nrs++] = &h->releases[i];
	}
	qsort(rs, nrs, sizeof(*rs), cmp_release_ptr_time);
	for (i = 0; i < nrs; i++) {
		const struct model *m;

		if (engine_machines_at(&m, e, &rs[i]->commit) < 0) {
			mt_error_prefix("%s", rs[i]->name);
			goto fail;
		}
		for (j = 0; j < m->machines.n; j++) {
			const struct machine *mm = &m->machines.v[j];

			if (mm->kind != MACHINE_TAGGED)
				continue;
			for (k = 0; k < n && strcmp(v[k].machine->name, mm->name); k++)
				;
			if (k == n) {
				v = xrealloc(v, (n + 1) * sizeof(*v));
				memset(&v[n], 0, sizeof(*v));
				v[n].machine = mm;
				v[n].first = rs[i];
				n++;
			}
			v[k].last = rs[i];
			v[k].nreleases++;
		}
	}
	free(rs);
	*out = v;
	*nout = n;
	return MT_OK;
fail:
	free(rs);
	free(v);
	return MT_ERROR;
}

/* "; shipped in 47 releases, v2.12.0 (2018-04-24) to v9.1.0 (2024-09-03)" */
static void shipped_text(struct strbuf *out, const struct tagged *t)
{
	strbuf_addstr(out, "; shipped in ");
	if (t->nreleases == 1) {
		release_label(out, t->first);
		return;
	}
	strbuf_addf(out, "%zu releases, ", t->nreleases);
	release_label(out, t->first);
	strbuf_addstr(out, " to ");
	release_label(out, t->last);
}

static bool from_minor_release(const struct mt_release *r)
{
	return r->version.micro <= 0 && r->version.nano <= 0;
}

/*
 * A tagged machine that master brought with an X.Y.0 release: reported on
 * master, at the commit that added it, with the parameter's severity.
 */
static int bfm004_master(struct engine *e, const struct rule_def *rule, const struct tagged *t,
			 const char *shipped, struct finding_list *out)
{
	const struct mt_release **mr;
	struct mt_commit_info info;
	struct mt_oid added;
	struct emit em = { 0 };
	const char *vars[] = { "shipped", shipped, NULL };
	size_t n, i;
	bool have_info = false;
	int ret = MT_ENOTFOUND;

	engine_master_releases(&mr, &n, e);
	for (i = 0; i < n && mr[i] != t->first && !oid_equal(&mr[i]->commit, &t->first->commit); i++)
		;
	if (i > 0 && i < n)
		ret = engine_find_change(&added, e, &mr[i - 1]->commit, &t->first->commit,
					 t->machine->name, true);
	if (ret < 0 && ret != MT_ENOTFOUND)
		return ret;
	if (ret == MT_OK && repo_commit_info(&info, e->in.repo, &added) == MT_OK)
		have_info = true;
	mt_error_clear();
	em.rule = rule;
	em.stream_name = "master";
	em.machine = t->machine->name;
	em.path = t->machine->path;
	em.line = t->machine->line;
	em.commit = have_info ? &added : NULL;
	em.subject = have_info ? info.subject : NULL;
	em.vars = vars;
	engine_emit(e, out, &em);
	if (have_info)
		commit_info_release(&info);
	return MT_OK;
}

/* A stable release is no place for a new tagged machine: an error, whatever the rule's severity. */
static void emit_backport_tagged(struct engine *e, const struct rule_def *rule,
				 const struct engine_stream *s, const struct engine_intro *in,
				 const char *const *vars, struct finding_list *out)
{
	struct emit em = { 0 };

	em.rule = rule;
	em.severity = MT_SEVERITY_ERROR;
	em.stream = s;
	em.bp = in->by;
	em.machine = in->machine->name;
	em.path = in->machine->path;
	em.line = in->machine->line;
	em.vars = vars;
	engine_emit(e, out, &em);
}

int rule_bfm004(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	struct tagged *v = NULL;
	size_t n = 0, i, j, k;
	int ret = MT_OK;

	if (e->project_rules && tagged_in_releases(&v, &n, e) < 0)
		return MT_ERROR;
	/* Introduced by a backport: on its stream, an error, whatever shipped it. */
	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			struct strbuf shipped = STRBUF_INIT;
			const char *vars[] = { "shipped", "", NULL };

			if (in->machine->kind != MACHINE_TAGGED ||
			    !(in->at_tip || (in->by && in->by->bp->release)))
				continue;
			for (k = 0; k < n; k++) {
				if (!strcmp(v[k].machine->name, in->machine->name) &&
				    !from_minor_release(v[k].first)) {
					v[k].reported = true;
					shipped_text(&shipped, &v[k]);
				}
			}
			vars[1] = shipped.buf;
			emit_backport_tagged(e, rule, s, in, vars, out);
			strbuf_release(&shipped);
		}
	}
	/* Brought by master with an X.Y.0 release: once, on master. */
	for (k = 0; k < n && ret == MT_OK; k++) {
		struct strbuf shipped = STRBUF_INIT;

		if (v[k].reported || !from_minor_release(v[k].first))
			continue;
		shipped_text(&shipped, &v[k]);
		ret = bfm004_master(e, rule, &v[k], shipped.buf, out);
		strbuf_release(&shipped);
	}
	/* On master's tip and in no release yet. */
	for (j = 0; ret == MT_OK && e->project_rules && e->master && j < e->master->machines.n;
	     j++) {
		const struct machine *m = &e->master->machines.v[j];
		const char *vars[] = { "shipped", " (in no release yet)", NULL };
		struct emit em = { 0 };

		for (k = 0; k < n && strcmp(v[k].machine->name, m->name); k++)
			;
		if (m->kind != MACHINE_TAGGED || k < n)
			continue;
		em.rule = rule;
		em.stream_name = "master";
		em.machine = m->name;
		em.path = m->path;
		em.line = m->line;
		em.vars = vars;
		engine_emit(e, out, &em);
	}
	free(v);
	return ret;
}

size_t engine_dated_bugfixes(const struct engine *e, struct dated_bugfix **out)
{
	struct dated_bugfix *v = NULL;
	size_t n = 0, i, j, k;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			int year;

			if (!intro_is_bugfix(in) || !in->time)
				continue;
			year = date_year(in->time);
			for (k = 0; k < n && strcmp(v[k].in->machine->name, in->machine->name); k++)
				;
			if (k < n) {
				if (year < v[k].year)
					v[k].year = year;
				continue;
			}
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].in = in;
			v[n].year = year;
			n++;
		}
	}
	*out = v;
	return n;
}

int rule_bfm005(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	long long max = rule_param(rule, "max_per_year");
	struct dated_bugfix *v;
	size_t n, i, j;

	if (!e->project_rules)
		return 0;
	n = engine_dated_bugfixes(e, &v);
	for (i = 0; i < n; i++) {
		long long count = 0;
		size_t last = i;
		bool first = true;

		for (j = 0; j < n; j++) {
			if (v[j].year != v[i].year)
				continue;
			if (j < i)
				first = false;
			count++;
			last = j;
		}
		if (first && count > max) {
			char year[16], cnt[24], maxs[24];
			const char *vars[] = { "year", year, "count", cnt, "max_per_year", maxs, NULL };
			struct emit em = { 0 };

			snprintf(year, sizeof(year), "%d", v[i].year);
			snprintf(cnt, sizeof(cnt), "%lld", count);
			snprintf(maxs, sizeof(maxs), "%lld", max);
			em.rule = rule;
			em.machine = NULL;
			em.path = v[last].in->machine->path;
			em.line = v[last].in->machine->line;
			em.key = year;
			em.vars = vars;
			engine_emit(e, out, &em);
		}
	}
	free(v);
	return 0;
}

/*
 * The nearest machine of the family defined in the same file on one side of
 * `b`: a newer release (X.(Y+1) and up; `newer`) or an older one.
 */
static const struct machine *neighbour(const struct model *m, const struct machine *b,
				       bool newer)
{
	const struct machine *best = NULL;
	size_t i;

	for (i = 0; i < m->machines.n; i++) {
		const struct machine *x = &m->machines.v[i];
		int c = qversion_cmp(&x->version, &b->version);

		if (strcmp(x->family, b->family) || strcmp(x->path, b->path) ||
		    x->kind != MACHINE_RELEASE || (newer ? c <= 0 : c >= 0) ||
		    (x->version.major == b->version.major && x->version.minor == b->version.minor))
			continue;
		if (!best || (newer ? qversion_cmp(&x->version, &best->version) < 0
				    : qversion_cmp(&x->version, &best->version) > 0))
			best = x;
	}
	return best;
}

static void bfm006_order(struct engine *e, const struct rule_def *rule,
			 const struct engine_stream *s, const struct engine_intro *in,
			 struct finding_list *out)
{
	const struct machine *m = in->machine;
	const struct machine *base = model_family_minor(s->tip, m->family, m->version.major,
							m->version.minor);
	const struct machine *next = base ? neighbour(s->tip, m, true) : NULL;
	const struct machine *older = base && !next ? neighbour(s->tip, m, false) : NULL;
	struct strbuf problem = STRBUF_INIT;
	bool ok = true;

	if (!base || strcmp(base->path, m->path))
		return;
	if (next) {
		int lo = base->line < next->line ? base->line : next->line;
		int hi = base->line < next->line ? next->line : base->line;

		ok = m->line > lo && m->line < hi;
		strbuf_addf(&problem, "is not defined between %s and %s", base->name, next->name);
	} else if (older) {
		/* No newer release here (a stable branch): it belongs on the newer side of X.Y. */
		ok = older->line > base->line ? m->line < base->line : m->line > base->line;
		strbuf_addf(&problem, "is not defined on the newer side of %s", base->name);
	}
	if (!ok) {
		const char *vars[] = { "problem", problem.buf, NULL };

		engine_emit_intro(e, rule, s, in, vars, "order", out);
	}
	strbuf_release(&problem);
}

int rule_bfm006(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			const struct machine *m = in->machine;
			struct strbuf problem = STRBUF_INIT;
			int expect;

			if (!intro_is_bugfix(in))
				continue;
			bfm006_order(e, rule, s, in, out);
			if (!in->by || m->version.major != s->version.major ||
			    m->version.minor != s->version.minor)
				continue;
			if (in->by->bp->release) {
				expect = in->by->bp->release->version.micro;
				if (m->version.micro != expect)
					strbuf_addf(&problem, "does not match the first release that "
						    "ships it (%s)", in->by->bp->release->name);
			} else {
				const struct mt_release *newest = s->stream.newest;

				expect = newest && newest->version.micro >= 0
					 ? newest->version.micro + 1 : 1;
				if (m->version.micro != expect)
					strbuf_addf(&problem, "does not match the next release "
						    "(v%d.%d.%d), which would ship it first",
						    s->version.major, s->version.minor, expect);
			}
			if (problem.len) {
				const char *vars[] = { "problem", problem.buf, NULL };

				engine_emit_intro(e, rule, s, in, vars, "release", out);
			}
			strbuf_release(&problem);
		}
	}
	return 0;
}
