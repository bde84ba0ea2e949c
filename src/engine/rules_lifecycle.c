/*
 * Lifecycle rules: LIFE001 (a machine registered past the deletion cap in a
 * tree without the deletion gate), LIFE002 (a bugfix machine added for a
 * base version that is deprecated or about to be deleted). Ages are counted
 * in releases and years between X.Y.0 tags of the repository itself, since
 * before 4.0 QEMU did not release three times a year.
 */
#include <string.h>

#include "engine_internal.h"

#define YEAR_SECONDS 31556952LL /* average Gregorian year */

/* From 4.0 on every major has exactly three releases, X.0 to X.2. */
static bool cadence_holds(const struct qversion *v)
{
	return v->major >= 4;
}

static bool minor_after(const struct qversion *a, const struct qversion *b)
{
	return a->major > b->major || (a->major == b->major && a->minor > b->minor);
}

void engine_age(struct engine_age *out, const struct engine *e, const struct qversion *base,
		const struct qversion *at)
{
	const struct mt_history *h = e->in.history;
	const struct mt_release *rb = release_of_minor(h, base->major, base->minor);
	const struct mt_release *ra = release_of_minor(h, at->major, at->minor);
	size_t i;

	out->releases = 0;
	if (cadence_holds(base) && cadence_holds(at)) {
		out->releases = (at->major - base->major) * 3 + (at->minor - base->minor);
	} else {
		/* Count the X.Y.0 tags in (base, at]; the list is sorted by version. */
		for (i = 0; i < h->nreleases; i++) {
			const struct qversion *v = &h->releases[i].version;

			if (h->releases[i].rc || v->micro > 0 || v->nano > 0)
				continue;
			if (i > 0 && h->releases[i - 1].version.major == v->major &&
			    h->releases[i - 1].version.minor == v->minor &&
			    !h->releases[i - 1].rc && h->releases[i - 1].version.micro <= 0)
				continue; /* v2.0 and v2.0.0 are one release */
			if (minor_after(v, base) && !minor_after(v, at))
				out->releases++;
		}
	}
	out->seconds = -1;
	if (rb && ra)
		out->seconds = ra->time - rb->time;
	else if (rb && e->newest_release_time > rb->time)
		/* `at` not tagged yet (a development tree): the newest release seen */
		out->seconds = e->newest_release_time - rb->time;
}

void engine_model_release(struct qversion *out, const struct model *m)
{
	memset(out, 0, sizeof(*out));
	out->micro = -1;
	out->nano = -1;
	if (!m->has_version)
		return;
	out->major = m->version.major;
	out->minor = m->version.minor;
	/* A development or rc tree is measured at the release it leads to (domain.md 3). */
	if (m->version.micro >= 50 && cadence_holds(&m->version)) {
		if (m->version.minor >= 2) {
			out->major++;
			out->minor = 0;
		} else {
			out->minor++;
		}
	}
}

static bool past(const struct engine_age *age, long long releases, long long years)
{
	return age->releases >= releases || (age->seconds >= 0 && age->seconds >= years * YEAR_SECONDS);
}

/* LIFE001 for one tree; `s` NULL means master. */
static void life001_tree(struct engine *e, const struct rule_def *rule,
			 const struct engine_stream *s, const struct model *m,
			 struct finding_list *out)
{
	long long years = rule_param(rule, "deletion_years");
	long long releases = rule_param(rule, "deletion_releases");
	struct qversion at;
	size_t i;

	/* With the gate (9.1+) expired machines are skipped at run time: not a finding. */
	if (m->lifecycle_source || !m->has_version)
		return;
	engine_model_release(&at, m);
	for (i = 0; i < m->machines.n; i++) {
		const struct machine *mm = &m->machines.v[i];
		struct engine_age age;
		struct emit em = { 0 };

		engine_age(&age, e, &mm->version, &at);
		if (!past(&age, releases, years))
			continue;
		em.rule = rule;
		em.stream = s;
		em.stream_name = s ? NULL : "master";
		em.machine = mm->name;
		em.path = mm->path;
		em.line = mm->line;
		engine_emit(e, out, &em);
	}
}

int rule_life001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i;

	/*
	 * A stream that ships no more releases cannot drop a machine: an audit
	 * looks at maintained streams and master; check at the stream checked.
	 */
	for (i = 0; i < e->nstreams; i++) {
		if (e->streams[i].report && (e->streams[i].maintained || e->checked == &e->streams[i]))
			life001_tree(e, rule, &e->streams[i], e->streams[i].tip, out);
	}
	if (e->project_rules && e->master)
		life001_tree(e, rule, NULL, e->master, out);
	return 0;
}

int rule_life002(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	const struct rule_def *life001 = policy_rule(e->in.policy, "LIFE001");
	long long dep_years = rule_param(rule, "deprecation_years");
	long long margin = rule_param(rule, "margin_releases");
	long long del_releases = life001 ? rule_param(life001, "deletion_releases") : 18;
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			struct engine_age age;

			if (!intro_is_bugfix(in))
				continue;
			engine_age(&age, e, &in->machine->version, &s->version);
			if (!past(&age, dep_years * 3, dep_years) &&
			    age.releases < del_releases - margin)
				continue;
			engine_emit_intro(e, rule, s, in, NULL, NULL, out);
		}
	}
	return 0;
}
