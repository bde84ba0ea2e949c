/*
 * Bugfix machine rules: how many (BFM001 per stream, BFM005 per year),
 * where they must also exist (BFM002 master, BFM003 newer maintained
 * streams), how they are named (BFM004 tagged, BFM006 micro and order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine_internal.h"
#include "util/error.h"
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

int rule_bfm002(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;

	if (!e->master)
		return 0;
	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			if (intro_is_bugfix(&s->intros[j]) &&
			    !model_machine(e->master, s->intros[j].machine->name))
				engine_emit_intro(e, rule, s, &s->intros[j], NULL, NULL, out);
		}
	}
	return 0;
}

static bool minor_newer(const struct qversion *a, const struct qversion *b)
{
	return a->major > b->major || (a->major == b->major && a->minor > b->minor);
}

int rule_bfm003(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j, k;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];

			if (!intro_is_bugfix(in))
				continue;
			for (k = 0; k < e->nstreams; k++) {
				const struct engine_stream *t = &e->streams[k];
				const struct model *tip;
				const struct machine *near;
				struct emit em = { 0 };

				if (!t->maintained || !minor_newer(&t->version, &s->version))
					continue;
				if (engine_stream_tip(&tip, e, t) < 0)
					return MT_ERROR;
				/*
				 * Once the X.Y machines are retired (deleted after
				 * their lifecycle), X.Y.Z goes with them.
				 */
				if (model_machine(tip, in->machine->name) ||
				    !model_has_minor(tip, in->machine->family,
						     in->machine->version.major,
						     in->machine->version.minor))
					continue;
				/* Where it belongs: beside the family's machines in that stream. */
				near = model_family_first(tip, in->machine->family);
				em.rule = rule;
				em.stream = t;
				em.cause = s;
				em.bp = in->by;
				em.machine = in->machine->name;
				em.path = near ? near->path : in->machine->path;
				em.line = near ? near->line : 1;
				engine_emit(e, out, &em);
			}
		}
	}
	return 0;
}

int rule_bfm004(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			if (s->intros[j].at_tip && s->intros[j].machine->kind == MACHINE_TAGGED)
				engine_emit_intro(e, rule, s, &s->intros[j], NULL, NULL, out);
		}
	}
	for (j = 0; e->project_rules && e->master && j < e->master->machines.n; j++) {
		const struct machine *m = &e->master->machines.v[j];
		struct emit em = { 0 };

		if (m->kind != MACHINE_TAGGED)
			continue;
		em.rule = rule;
		em.stream_name = "master";
		em.machine = m->name;
		em.path = m->path;
		em.line = m->line;
		engine_emit(e, out, &em);
	}
	return 0;
}

struct dated {
	const struct engine_intro *in;
	int year;
};

static int year_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	return tm.tm_year + 1900;
}

int rule_bfm005(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	long long max = rule_param(rule, "max_per_year");
	struct dated *v = NULL;
	size_t n = 0, i, j, k;

	if (!e->project_rules)
		return 0;
	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			int64_t t;
			bool dup = false;

			if (!intro_is_bugfix(in) || !in->by)
				continue;
			t = in->by->bp->release ? in->by->bp->release->time : in->by->bp->time;
			/* One machine in several streams counts once, in its earliest year. */
			for (k = 0; k < n; k++) {
				if (!strcmp(v[k].in->machine->name, in->machine->name)) {
					if (year_of(t) < v[k].year)
						v[k].year = year_of(t);
					dup = true;
				}
			}
			if (dup)
				continue;
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n].in = in;
			v[n].year = year_of(t);
			n++;
		}
	}
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
