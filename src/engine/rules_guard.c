/*
 * Rules that guard the stream and the check itself: MIG002 (a released
 * machine type disappears from a stable stream), POL001 (the policy file
 * changes inside the checked range, so a merge request cannot relax its own
 * check unseen).
 */
#include <string.h>

#include "engine_internal.h"
#include "util/error.h"

/* Only the policy file at the top: every directory is passed over unread. */
static bool is_policy_file(const char *path, void *payload)
{
	(void)payload;
	return !strcmp(path, POLICY_CONFIG_FILE);
}

int rule_pol001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		if (!s->report)
			continue;
		for (j = 0; j < s->nitems; j++) {
			const struct engine_backport *b = &s->items[j];
			struct emit em = { 0 };
			struct repo_diff_opts policy_changed = { .want = is_policy_file,
								 .prune = true };
			int changed = repo_diff(e->in.repo, &b->bp->commit, &policy_changed);

			if (changed < 0) {
				mt_error_prefix("%s", s->stream.name);
				return MT_ERROR;
			}
			if (!changed)
				continue;
			em.rule = rule;
			em.stream = s;
			em.bp = b;
			em.about_backport = true;
			em.path = POLICY_CONFIG_FILE;
			em.line = 1;
			engine_emit(e, out, &em);
		}
	}
	return MT_OK;
}

/* The last backport that took `name` away, or NULL when the walk did not see it go. */
static const struct engine_intro *removal_of(const struct engine_stream *s, const char *name)
{
	size_t i;

	for (i = s->nremovals; i > 0; i--) {
		if (!strcmp(s->removals[i - 1].machine->name, name))
			return &s->removals[i - 1];
	}
	return NULL;
}

static void mig002_emit(struct engine *e, const struct rule_def *rule,
			const struct engine_stream *s, const struct machine *m,
			const char *release, struct finding_list *out)
{
	const struct engine_intro *gone = removal_of(s, m->name);
	const char *vars[] = { "release", release, NULL };
	struct emit em = { 0 };

	em.rule = rule;
	em.stream = s;
	em.bp = gone ? gone->by : NULL;
	em.about_backport = em.bp != NULL;
	em.machine = m->name;
	em.path = m->path;
	em.line = m->line;
	em.vars = vars;
	engine_emit(e, out, &em);
}

/*
 * Every machine the base release shipped, and every machine the stream
 * added that a stable release shipped (bugfix machines), must still be
 * defined at the tip. The engine's walk of the stream's machine-file
 * changes says which backport took each one away.
 */
int rule_mig002(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];
		const struct model *tip;

		if (!s->report || !s->full || !s->base)
			continue;
		if (engine_stream_tip(&tip, e, s) < 0)
			return MT_ERROR;
		for (j = 0; j < s->base->machines.n; j++) {
			const struct machine *m = &s->base->machines.v[j];

			if (!model_machine(tip, m->name))
				mig002_emit(e, rule, s, m, s->stream.base_name ? s->stream.base_name
								: "the stream's base", out);
		}
		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];

			if (!in->at_tip && in->by && in->by->bp->release)
				mig002_emit(e, rule, s, in->machine, in->by->bp->release->name, out);
		}
	}
	return MT_OK;
}
