/* The plan behind `mtcheck suggest` for one ABI001 finding. */
#include "engine/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "engine/assess.h"
#include "engine_internal.h"
#include "rules_abi_advice.h"
#include "suggest_internal.h"
#include "util/date.h"
#include "util/error.h"
#include "util/xalloc.h"

void suggest_plan_release(struct suggest_plan *p)
{
	strbuf_release(&p->text);
	memset(p, 0, sizeof(*p));
}

static const struct family_call *call_with(const struct family *f, enum family_role role)
{
	size_t i, j;

	for (i = 0; i < f->ncalls; i++) {
		for (j = 0; j < f->calls[i].nargs; j++) {
			if (f->calls[i].args[j] == role)
				return &f->calls[i];
		}
	}
	return NULL;
}

/* The release form of 9.1 and later: (major, minor), variadic. */
static const struct family_call *variadic_call(const struct family *f)
{
	size_t i;

	for (i = 0; i < f->ncalls; i++) {
		const struct family_call *c = &f->calls[i];

		if (c->nargs == 2 && c->args[0] == ROLE_MAJOR && c->args[1] == ROLE_MINOR &&
		    c->latest != LATEST_YES)
			return c;
	}
	return NULL;
}

/*
 * The definition of bugfix machine `name` (M.m.Z) in the family's syntax
 * for a tree at release `at`: the 9.1+ forms pass the version as numbers
 * (a _BUGFIX macro, else the variadic release macro with a micro), older
 * trees name the machine in a string with an options function.
 */
static void definition(struct strbuf *out, const struct family *f, const struct machine *m,
		       int micro, const char *name, const struct qversion *at)
{
	bool modern = at->major > 9 || (at->major == 9 && at->minor >= 1);
	const struct family_call *c = call_with(f, ROLE_MICRO);
	int M = m->version.major, n = m->version.minor;

	if (modern && (c || (c = variadic_call(f)))) {
		strbuf_addf(out, "%s(%d, %d, %d)", c->macro, M, n, micro);
		if (c->options_function) {
			struct strbuf v = STRBUF_INIT;
			const char *at_v = strstr(c->options_function, "{v}");

			strbuf_addf(&v, "%d_%d_%d", M, n, micro);
			if (at_v)
				strbuf_addf(out, " with %.*s%s%s", (int)(at_v - c->options_function),
					    c->options_function, v.buf, at_v + 3);
			strbuf_release(&v);
		}
		return;
	}
	if ((c = call_with(f, ROLE_NAME))) {
		strbuf_addf(out, "%s(v%d_%d_%d, \"%s\", ..., <options function of %d.%d.%d>)",
			    c->macro, M, n, micro, name, M, n, micro);
		return;
	}
	if ((c = call_with(f, ROLE_VERSION))) {
		strbuf_addf(out, "%s(%d_%d_%d, \"%d.%d.%d\", ...)", c->macro, M, n, micro, M, n,
			    micro);
		return;
	}
	strbuf_addf(out, "no bugfix-machine form for family %s in rules/families.json", f->id);
}

/* The stream's existing X.Y.z bugfix machine of a family at the tip, or NULL. */
static const struct machine *existing_bugfix(const struct model *tip, const char *family,
					     const struct qversion *v)
{
	size_t i;

	for (i = 0; i < tip->machines.n; i++) {
		const struct machine *m = &tip->machines.v[i];

		if (m->kind == MACHINE_BUGFIX && !strcmp(m->family, family) &&
		    m->version.major == v->major && m->version.minor == v->minor)
			return m;
	}
	return NULL;
}

/* Compat entries that keep X.Y machines as they were: the upstream's, else the defaults reversed. */
static void compat_entries(struct strbuf *out, const struct engine_backport *b,
			   const struct engine_stream *s)
{
	size_t i, n = 0;

	for (i = 0; i < b->evidence.count; i++) {
		const struct abi_evidence *e = &b->evidence.items[i];

		if ((strcmp(e->signal, "upstream-compat") && strcmp(e->signal, "compat-array")) ||
		    !e->has_array_version || e->removed ||
		    qversion_cmp(&e->array_version, &s->version) < 0 || !strstr(e->detail, "{"))
			continue;
		{
			/* the entry goes into the stream's own X.Y array of the same kind */
			const char *kind = strstr(e->array ? e->array : "", "_compat_");
			int plen = kind ? (int)(kind - e->array) : 2;

			strbuf_addf(out, "    %.*s_compat_%d_%d: %s (as upstream put it into %s, %s:%d)\n",
				    plen, kind ? e->array : "hw", s->version.major,
				    s->version.minor, strstr(e->detail, "{"),
				    e->array ? e->array : "its array", e->path, e->line);
		}
		n++;
	}
	for (i = 0; !n && i < b->evidence.count; i++) {
		const struct abi_evidence *e = &b->evidence.items[i];

		if (strcmp(e->signal, "property-default") || !e->subject || !e->old_value)
			continue;
		strbuf_addf(out, "    hw_compat_%d_%d: { <driver of %s>, %s, %s } (the old default, %s:%d)\n",
			    s->version.major, s->version.minor, e->path, e->subject, e->old_value,
			    e->path, e->line);
		n++;
	}
	if (!n)
		strbuf_addstr(out, "    none found in the evidence: write them from the change itself\n");
}

/* Bugfix machines that count in `year` for BFM005, as the rule counts them. */
static long long bugfix_machines_in_year(const struct engine *e, int year)
{
	struct dated_bugfix *v;
	size_t n = engine_dated_bugfixes(e, &v), i;
	long long count = 0;

	for (i = 0; i < n; i++)
		count += v[i].year == year;
	free(v);
	return count;
}

static long long param_of(const struct engine *e, const char *rule, const char *name, bool *on)
{
	const struct rule_def *r = policy_rule(e->in.policy, rule);

	*on = r && r->enabled;
	return r ? rule_param(r, name) : 0;
}

int suggest_micro(const struct engine_stream *s, int micro)
{
	if (micro >= 0)
		return micro;
	return s->stream.newest && s->stream.newest->version.micro >= 0
		       ? s->stream.newest->version.micro + 1 : 1;
}

void suggest_families_free(struct suggest_family *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].why);
	free(v);
}

/* Why the policy allows no bugfix machine for this family, or NULL when it allows one. */
static const char *refusal(struct strbuf *why, struct engine *e, const struct engine_stream *s,
			   const struct engine_backport *b, const struct machine *m)
{
	const struct machine *has = existing_bugfix(s->tip, m->family, &s->version);
	const struct abi_evidence *ev = NULL;
	const struct engine_backport *src;
	long long max, count;
	bool on;
	int year;
	char hex[13];

	max = param_of(e, "BFM001", "max_per_stream", &on);
	if (on && has) {
		strbuf_addf(why, "%s already has %s and the policy allows %lld per family and "
				 "stream (BFM001)", s->stream.name, has->name, max);
		return "BFM001";
	}
	src = engine_regression_source(s, b, &ev);
	if (src && policy_rule(e->in.policy, "REG001") && policy_rule(e->in.policy, "REG001")->enabled) {
		oid_to_short(hex, 12, &src->bp->commit);
		strbuf_addf(why, "it mends %s of the earlier backport %s (%s) in %s: a bugfix "
				 "machine would paper over a regression the stream caused (REG001)",
			    ev->subject ? ev->subject : ev->signal, hex, src->bp->subject,
			    s->stream.name);
		return "REG001";
	}
	max = param_of(e, "BFM005", "max_per_year", &on);
	year = date_year(b->bp->time);
	count = bugfix_machines_in_year(e, year);
	if (on && count >= max) {
		strbuf_addf(why, "%lld bugfix machine%s already came in %d and the policy allows "
				 "%lld a year (BFM005)", count, count == 1 ? "" : "s", year, max);
		return "BFM005";
	}
	return NULL;
}

int suggest_families(struct suggest_family **out, size_t *n, struct engine *e,
		     const struct engine_backport *b)
{
	const struct engine_stream *s = e->checked;
	const struct model *tip = s->tip;
	size_t i;

	*out = NULL;
	*n = 0;
	if (engine_date_bugfixes(e) < 0)
		return MT_ERROR;
	for (i = 0; i < tip->machines.n; i++) {
		const struct machine *m = &tip->machines.v[i];
		const struct family *fam = families_find(e->in.fams, m->family);
		struct strbuf why = STRBUF_INIT;
		struct suggest_family *sf;

		if (m->kind != MACHINE_RELEASE || m->version.major != s->version.major ||
		    m->version.minor != s->version.minor || !fam ||
		    !assess_family_touched(&b->evidence, &s->stream, e->in.fams, m->family))
			continue;
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		sf = &(*out)[(*n)++];
		sf->machine = m;
		sf->fam = fam;
		sf->rule = refusal(&why, e, s, b, m);
		sf->why = sf->rule ? strbuf_detach(&why, NULL) : NULL;
		strbuf_release(&why);
	}
	return MT_OK;
}

bool suggest_about_older(struct qversion *older, struct engine *e, const struct engine_backport *b)
{
	struct engine_verdict v;
	bool about;

	engine_verdict_init(&v);
	about = engine_abi001_verdict(&v, e, e->checked, b) == MT_OK && v.about_older;
	*older = v.older;
	engine_verdict_release(&v);
	return about;
}

void suggest_older_review(struct strbuf *out, const struct engine_stream *s,
			  const struct qversion *older)
{
	strbuf_addf(out, "no bugfix machine: the change is the %d.%d and older machines', and a "
			 "%d.%d.Z machine would not hold it back; ", older->major, older->minor,
		    s->version.major, s->version.minor);
	abi_advice_older_review(out, s);
}

int suggest_plan(struct suggest_plan *out, struct engine *e, const struct finding *f, int micro)
{
	const struct engine_stream *s = e->checked;
	const struct engine_backport *b = f->has_commit ? stream_backport(s, &f->commit) : NULL;
	const struct model *tip = s->tip;
	struct suggest_family *fams = NULL;
	struct qversion at, older;
	struct strbuf names = STRBUF_INIT;
	char hex[13], up[13];
	size_t i, j, nfams = 0;

	memset(out, 0, sizeof(*out));
	if (!b)
		return mt_error_set("suggest: the finding names no backport of %s", s->stream.name);
	micro = suggest_micro(s, micro);
	/* the tree's release: VERSION, the next one for a development tree (X.Y.50 and up) */
	at = tip->version;
	if (at.micro >= 50)
		at.minor++;
	oid_to_short(hex, 12, &b->bp->commit);
	strbuf_addf(&out->text, "%s: %s %s", s->stream.name, hex, b->bp->subject);
	if (b->bp->has_upstream) {
		oid_to_short(up, 12, &b->bp->upstream);
		strbuf_addf(&out->text, " (upstream %s)", up);
	}
	strbuf_addf(&out->text, "\n  %s [ABI001]\n", f->message);
	if (suggest_about_older(&older, e, b)) {
		strbuf_addstr(&out->text, "  ");
		suggest_older_review(&out->text, s, &older);
		strbuf_addch(&out->text, '\n');
		return MT_OK;
	}
	if (suggest_families(&fams, &nfams, e, b) < 0) {
		suggest_plan_release(out);
		return MT_ERROR;
	}
	for (i = 0; i < nfams; i++) {
		const struct machine *m = fams[i].machine;
		struct strbuf name = STRBUF_INIT, def = STRBUF_INIT;

		if (fams[i].rule) {
			strbuf_addf(&out->text, "  %s: %s: no bugfix machine; revert the "
						"guest-visible hunks of %s instead\n",
				    m->family, fams[i].why, hex);
			out->reverts++;
			continue;
		}
		strbuf_addf(&name, "%s.%d", m->name, micro);
		definition(&def, fams[i].fam, m, micro, name.buf, &at);
		strbuf_addf(&out->text, "  %s: add %s in %s: %s, beside %s (%s:%d)\n", m->family,
			    name.buf, s->stream.name, def.buf, m->name, m->path, m->line);
		/* virt-X.Y.Z of arm and of m68k: said with the architecture then */
		for (j = 0; j < nfams; j++) {
			if (j != i && !fams[j].rule && !strcmp(fams[j].machine->name, m->name) &&
			    strcmp(fams[j].machine->family, m->family))
				break;
		}
		strbuf_reset(&name);
		strbuf_addf(&name, ".%d", micro);
		if (names.len)
			strbuf_addstr(&names, ", ");
		machine_display_name(&names, m, name.buf, j < nfams ? fams[j].machine : NULL,
				     j < nfams ? 1 : 0);
		out->machines++;
		strbuf_release(&name);
		strbuf_release(&def);
	}
	suggest_families_free(fams, nfams);
	if (out->reverts) {
		strbuf_addstr(&out->text, "  guest-visible hunks to revert:\n");
		for (j = 0; j < b->evidence.count; j++) {
			const struct abi_evidence *ev = &b->evidence.items[j];

			if (ev->strength >= ABI_LIKELY && strcmp(ev->signal, "upstream-compat") &&
			    strcmp(ev->signal, "followup-compat"))
				strbuf_addf(&out->text, "    %s:%d: %s\n", ev->path, ev->line,
					    ev->detail);
		}
		if (out->machines)
			strbuf_addstr(&out->text, "  a revert withdraws the change for every family: "
						  "the series reverts, it adds no machine\n");
	}
	if (!out->machines || out->reverts) {
		strbuf_release(&names);
		return MT_OK;
	}
	strbuf_addf(&out->text, "  branches: %s", s->stream.name);
	if (e->master)
		strbuf_addf(&out->text, ", %s (between %d.%d and the next version)",
			    e->in.history->master_name, s->version.major, s->version.minor);
	for (j = 0; j < e->nstreams; j++) {
		const struct engine_stream *o = &e->streams[j];

		if (o->maintained && o->stream.kind == STREAM_STABLE &&
		    qversion_cmp(&o->version, &s->version) > 0)
			strbuf_addf(&out->text, ", %s", o->stream.name);
	}
	strbuf_addf(&out->text, "\n  micro %d: first shipped in v%d.%d.%d\n", micro,
		    s->version.major, s->version.minor, micro);
	strbuf_addf(&out->text, "  compat entries that keep the plain %d.%d machines as they were "
				"(applied by %d.%d, not by %s):\n",
		    s->version.major, s->version.minor, s->version.major, s->version.minor, names.buf);
	compat_entries(&out->text, b, s);
	strbuf_release(&names);
	return MT_OK;
}
