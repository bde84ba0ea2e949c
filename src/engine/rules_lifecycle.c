/*
 * Lifecycle rules: LIFE001 (a machine registered past the deletion cap),
 * LIFE002 (a bugfix machine added for a base version that is deprecated or
 * about to be deleted). Both ask the tree's own lifecycle (model_lifecycle,
 * the calculation `machines` shows): a tree from before 9.1 defines no cap,
 * and neither rule says anything about it.
 */
#include <string.h>

#include "engine_internal.h"

static void emit_machine(struct engine *e, const struct rule_def *rule,
			 const struct engine_stream *s, const struct engine_intro *in,
			 const struct machine *m, const char *why, struct finding_list *out)
{
	const char *vars[] = { "why", why, NULL };
	struct emit em = { 0 };

	if (in) {
		engine_emit_intro(e, rule, s, in, vars, NULL, out);
		return;
	}
	em.rule = rule;
	em.stream = s;
	em.stream_name = s ? NULL : "master";
	em.machine = m->name;
	em.path = m->path;
	em.line = m->line;
	em.vars = vars;
	engine_emit(e, out, &em);
}

/*
 * A stable stream is never asked to delete a machine: only the machines it
 * added itself past the cap are its doing. The lifecycle is the tip's (the
 * stream's own VERSION).
 */
static void life001_stream(struct engine *e, const struct rule_def *rule,
			   const struct engine_stream *s, struct finding_list *out)
{
	size_t i;

	for (i = 0; s->tip && i < s->nintros; i++) {
		const struct engine_intro *in = &s->intros[i];

		if (in->at_tip && in->machine->lifecycle == LIFECYCLE_EXPIRED)
			emit_machine(e, rule, s, in, in->machine,
				     "was added by the stream although it is past the deletion cap "
				     "of its tree", out);
	}
}

/*
 * On master: a machine past the cap that the tree still registers. Machines
 * defined by the version-number macros are checked by the tree's deletion
 * gate before they are registered; one defined another way is not.
 */
static void life001_master(struct engine *e, const struct rule_def *rule,
			   const struct model *m, struct finding_list *out)
{
	size_t i;

	for (i = 0; i < m->machines.n; i++) {
		const struct machine *mm = &m->machines.v[i];

		if (mm->lifecycle == LIFECYCLE_EXPIRED && !mm->version_args)
			emit_machine(e, rule, NULL, NULL, mm,
				     "is past the deletion cap and still registered (its definition "
				     "does not go through the deletion check)", out);
	}
}

int rule_life001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i;

	for (i = 0; i < e->nstreams; i++) {
		if (e->streams[i].report)
			life001_stream(e, rule, &e->streams[i], out);
	}
	if (e->project_rules && e->master)
		life001_master(e, rule, e->master, out);
	return 0;
}

int rule_life002(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	long long margin = rule_param(rule, "margin_releases");
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; s->tip && j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			enum machine_lifecycle now, soon;
			const char *why;

			if (!intro_is_bugfix(in))
				continue;
			now = model_lifecycle(s->tip, &in->machine->version, 0);
			soon = model_lifecycle(s->tip, &in->machine->version, (int)margin);
			if (now == LIFECYCLE_DEPRECATED || now == LIFECYCLE_EXPIRED)
				why = "deprecated";
			else if (soon == LIFECYCLE_EXPIRED)
				why = "close to deletion";
			else
				continue;
			emit_machine(e, rule, s, in, in->machine, why, out);
		}
	}
	return 0;
}
