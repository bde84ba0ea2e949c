/*
 * Guest-ABI rules: ABI001 (a backport changes a released machine's ABI and
 * no bugfix machine covers it), ABI002 (a backport edits an existing compat
 * array), ABI003 (a stream defines or defaults to a machine not its own).
 */
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "rules_abi_advice.h"
#include "util/error.h"
#include "util/strbuf.h"

static enum mt_severity at_most(enum mt_severity a, enum mt_severity b)
{
	return a < b ? a : b;
}

static bool minor_at_least(const struct qversion *v, const struct qversion *stream)
{
	return v->major > stream->major ||
	       (v->major == stream->major && v->minor >= stream->minor);
}

/* "virt_machine_2_10_options: sets ..." names the options function of machine version *out. */
static bool options_version(struct qversion *out, const char *detail)
{
	const char *colon = detail ? strchr(detail, ':') : NULL;
	char name[128];

	if (!colon || (size_t)(colon - detail) >= sizeof(name))
		return false;
	memcpy(name, detail, (size_t)(colon - detail));
	name[colon - detail] = '\0';
	return version_from_identifier(out, name) == 0;
}

/*
 * The machine version an item is about when that is older than the
 * stream's X.Y: a class field or a statement in the function of one older
 * version, which that version and the older ones chained to it run.
 */
static bool about_older_version(struct qversion *out, const struct abi_evidence *ev,
				const struct qversion *stream)
{
	if (!strcmp(ev->signal, "machine-version-code") && ev->has_array_version)
		*out = ev->array_version;
	else if (strcmp(ev->signal, "machine-class-field") || !options_version(out, ev->detail))
		return false;
	return !minor_at_least(out, stream);
}

/* A compat entry's or a default's value, as false ("off", "0") or true ("on", "1"). */
static bool spelled_as(const char *value, const char *const *words)
{
	size_t n = strlen(value), i;

	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value++;
		n -= 2;
	}
	for (i = 0; words[i]; i++) {
		if (strlen(words[i]) == n && !strncmp(value, words[i], n))
			return true;
	}
	return false;
}

static const char *const off_words[] = { "false", "off", "0", NULL };
static const char *const on_words[] = { "true", "on", "1", NULL };

/*
 * A virtio feature bit that a property turns on or off (DEFINE_PROP_BIT*,
 * on by default), which a compat array of the stream's release turns off
 * for machines of version *out and older, older than the stream's X.Y:
 * forcing the bit on regardless of the property, or ceasing to, changes
 * what those machines' guests see and nothing for the newer ones, whose
 * property offers the bit anyway. `why` gets the property and the array.
 */
static bool feature_held_back(struct qversion *out, struct strbuf *why, const struct engine *e,
			      const struct engine_stream *s, const struct engine_backport *b,
			      const struct abi_evidence *ev)
{
	const struct compat_array *held = NULL;
	char *name = NULL, *dflt = NULL;
	size_t i, j;

	if (strcmp(ev->signal, "virtio-feature") || !ev->subject || !s->base ||
	    abi_feature_property(&name, &dflt, e->in.repo, e->in.abi, &b->bp->commit, ev->path,
				 ev->subject) <= 0)
		goto out;
	if (!spelled_as(dflt, on_words))
		goto out;
	for (i = 0; i < s->base->compat.n; i++) {
		const struct compat_array *a = &s->base->compat.v[i];

		for (j = 0; a->has_version && j < a->nentries; j++) {
			const struct compat_entry *c = &a->entries[j];

			if (c->property && !strcmp(c->property, name) && c->value &&
			    spelled_as(c->value, off_words) &&
			    (!held || qversion_cmp(&a->version, &held->version) > 0))
				held = a;
		}
	}
	if (held && !minor_at_least(&held->version, &s->version)) {
		*out = held->version;
		if (why)
			strbuf_addf(why, "; the bit follows property %s, on by default and off in %s "
				    "for the %d.%d and older machines", name, held->name,
				    held->version.major, held->version.minor);
	} else {
		held = NULL;
	}
out:
	free(name);
	free(dflt);
	return held != NULL;
}

static bool newer_minor(const struct qversion *v, const struct qversion *stream)
{
	return v->major > stream->major || (v->major == stream->major && v->minor > stream->minor);
}

static int at_most_likely(enum abi_strength strength)
{
	return strength < ABI_LIKELY ? (int)strength : ABI_LIKELY;
}

static int signal_strength(const struct abi_config *config, const char *id)
{
	size_t i, n;
	const struct abi_signal *v = abi_config_signals(config, &n);

	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].id, id))
			return (int)v[i].strength;
	}
	return ABI_REVIEW;
}

/*
 * Whether a compat array of the stream's X.Y or newer (version `v`) holds
 * the stream's machines back: only when one of them applies it, that is
 * when the array was there at the stream's release, or it is X.Y's own and
 * a bugfix machine X.Y.Z the stream added by then (with this backport at
 * the latest) sits above the X.Y machines that apply it. A new array no
 * machine of the stream applies covers nothing.
 */
static bool array_applies(const struct engine_stream *s, const struct engine_backport *b,
			  const char *array, const struct qversion *v)
{
	size_t i;

	if (model_compat(s->base, array))
		return true;
	/* X.Y's own array, applied by the plain X.Y machines below X.Y.Z; a newer one by none */
	if (v->major != s->version.major || v->minor != s->version.minor)
		return false;
	for (i = 0; i < s->nintros; i++) {
		const struct engine_intro *in = &s->intros[i];

		if (in->machine->kind == MACHINE_BUGFIX && in->by && in->by->index <= b->index &&
		    in->machine->version.major == s->version.major &&
		    in->machine->version.minor == s->version.minor)
			return true;
	}
	return false;
}

static bool own_version(const struct machine *m, const struct engine_stream *s)
{
	return m->version.major == s->version.major && m->version.minor == s->version.minor &&
	       m->kind != MACHINE_TAGGED;
}

/* Why a new default machine is not ABI001's: the stream's own one, or ABI003's finding. */
static void latest_reason(struct strbuf *why, const struct engine_stream *s,
			  const struct engine_backport *b)
{
	const struct machine *m = NULL;
	bool added = false;
	size_t i;

	for (i = 0; i < s->nlatest && !m; i++) {
		if (s->latest[i].by == b)
			m = s->latest[i].machine;
	}
	if (!m) {
		strbuf_addstr(why, "changes which machine is the default (ABI003 judges defaults)");
		return;
	}
	for (i = 0; i < s->nintros; i++) {
		if (s->intros[i].by == b && !strcmp(s->intros[i].machine->name, m->name))
			added = true;
	}
	if (own_version(m, s))
		strbuf_addf(why, "%s the stream's own machine type %s%s", added ? "adds" : "makes",
			    m->name, added ? " and makes it the default" : " the default");
	else
		strbuf_addf(why, "makes %s the default, not a %d.%d machine: ABI003's finding",
			    m->name, s->version.major, s->version.minor);
}

/*
 * How strongly an item counts against the stream's own machines: 0 when it
 * does not (compat arrays and defaults are other rules' business; a compat
 * entry that keeps the old value for X.Y machines covers it), and then `why`
 * says so.
 */
static int counted_strength(const struct engine *e, const struct engine_stream *s,
			    const struct engine_backport *b, const struct abi_evidence *ev,
			    struct strbuf *why)
{
	struct qversion v;

	if (!strcmp(ev->signal, "compat-array")) {
		if (ev->array && model_compat(s->base, ev->array))
			strbuf_addf(why, "edits compat array %s of the stream's release: ABI002's "
				    "business", ev->array);
		else
			strbuf_addf(why, "compat array %s is new to the stream: what it gates is "
				    "judged where it is applied", ev->array ? ev->array : "");
		return 0;
	}
	if (!strcmp(ev->signal, "machine-latest")) {
		latest_reason(why, s, b);
		return 0;
	}
	/*
	 * A class field or a statement in an older machine version's function
	 * makes those machines differ from the newer ones where the stream's
	 * release had them alike: mostly a restoration of what an older release
	 * gave them, worth a review rather than an error.
	 */
	if (about_older_version(&v, ev, &s->version) || feature_held_back(&v, NULL, e, s, b, ev))
		return at_most_likely(ev->strength);
	/* Only machines newer than the stream's release run that version's function. */
	if (!strcmp(ev->signal, "machine-version-code") && ev->has_array_version &&
	    newer_minor(&ev->array_version, &s->version)) {
		strbuf_addf(why, "code of the %d.%d machines, newer than the stream's",
			    ev->array_version.major, ev->array_version.minor);
		return 0;
	}
	/*
	 * A new property with a compat entry for older machines: its default is
	 * what the stream's machines already had, the entry what older ones had.
	 */
	if (ev->covered_by && !strcmp(ev->signal, "property-added")) {
		strbuf_addf(why, "a new property, and %s keeps older machines as they were",
			    ev->covered_by);
		return 0;
	}
	if (ev->covered_by) {
		if (version_from_identifier(&v, ev->covered_by) == 0 &&
		    minor_at_least(&v, &s->version)) {
			if (!array_applies(s, b, ev->covered_by, &v))
				return signal_strength(e->in.abi, ev->signal);
			strbuf_addf(why, "a compat entry in %s keeps the %d.%d machines as they were",
				    ev->covered_by, s->version.major, s->version.minor);
			return 0;
		}
		/* The entry holds back only older machines: the item counts as declared. */
		return signal_strength(e->in.abi, ev->signal);
	}
	return (int)ev->strength;
}

/*
 * Whether backport `by` adds or changes an entry of the stream's own X.Y
 * compat arrays (for `property`, when not NULL): the X.Y machines are held
 * back on it, and X.Y.Z gets the new behaviour.
 */
static bool gives_own_entry(const struct engine_backport *by, const struct engine_stream *s,
			    const char *property)
{
	size_t i;

	for (i = 0; i < by->evidence.count; i++) {
		const struct abi_evidence *ev = &by->evidence.items[i];

		if (!strcmp(ev->signal, "compat-array") && ev->has_array_version && ev->subject &&
		    !ev->removed && ev->array_version.major == s->version.major &&
		    ev->array_version.minor == s->version.minor &&
		    (!property || !strcmp(ev->subject, property)))
			return true;
	}
	return false;
}

/*
 * A bugfix machine X.Y.Z of the stream in one of the families the item
 * reaches (`reach`, empty: every family) that keeps the X.Y machines off
 * the item's change: one the same backport adds, which gates its own
 * change; or one added in the same release that gates the item: a compat
 * entry of X.Y's own array names it, or the backport adding X.Y.Z gives
 * X.Y's arrays entries (for the item's property, when it is one), as the
 * last commit of a series does. One whose arrays hold nothing back
 * (pc-q35-4.0.1 came with empty hw_compat_4_0 and pc_compat_4_0) gates
 * only its own commit's change: other items change the X.Y machines
 * whatever X.Y.Z has.
 */
static const struct machine *covering_bugfix(const struct engine_stream *s,
					     const struct engine_backport *b,
					     const struct abi_evidence *ev, const char *reach)
{
	struct qversion v;
	bool gated = ev->covered_by && version_from_identifier(&v, ev->covered_by) == 0 &&
		     v.major == s->version.major && v.minor == s->version.minor;
	const char *property = !strncmp(ev->signal, "property-", 9) ? ev->subject : NULL;
	size_t i;

	for (i = 0; i < s->nintros; i++) {
		const struct engine_intro *in = &s->intros[i];
		const struct machine *m = in->machine;

		if (!in->at_tip || !in->by || m->kind != MACHINE_BUGFIX ||
		    m->version.major != s->version.major || m->version.minor != s->version.minor)
			continue;
		if (!family_in(reach, m->family))
			continue;
		if (in->by == b)
			return m;
		if (in->by->bp->release == b->bp->release &&
		    (gated || gives_own_entry(in->by, s, property)))
			return m;
	}
	return NULL;
}

/* Reverted before any release shipped it: nobody ran it. */
static const struct engine_backport *withdrawn_unshipped(const struct engine_stream *s,
							 const struct engine_backport *b)
{
	const struct engine_backport *r;

	if (!b->bp->has_reverted_by)
		return NULL;
	r = stream_backport(s, &b->bp->reverted_by);
	return r && r->bp->release == b->bp->release ? r : NULL;
}

/* Whether the stream's tip has an X.Y machine of one of `families` (blank-separated ids). */
static bool stream_has_own_machine(const struct engine_stream *s, const char *families)
{
	size_t i;

	if (!s->tip)
		return true;
	for (i = 0; i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i];

		if (m->version.major == s->version.major && m->version.minor == s->version.minor &&
		    family_in(families, m->family))
			return true;
	}
	return false;
}

/* Adds the ids of `more` missing from `scope` (both blank-separated). */
static void scope_union(struct strbuf *scope, const char *more)
{
	const char *p = more;

	while (*p) {
		size_t n = strcspn(p, " ");
		char id[64];

		if (n && n < sizeof(id)) {
			memcpy(id, p, n);
			id[n] = '\0';
			if (!scope->len || !family_in(scope->buf, id))
				strbuf_addf(scope, "%s%s", scope->len ? " " : "", id);
		}
		p += n + (p[n] == ' ');
	}
}

/*
 * How an item counts toward ABI001 once its reach and the stream's bugfix
 * machines are seen; 0 with `why` set when an item the classifier rated
 * likely or stronger is left out. `reach` gets the families it reaches.
 */
static int item_strength(const struct engine *e, const struct engine_stream *s,
			 const struct engine_backport *b, const struct abi_evidence *ev,
			 struct strbuf *reach, struct strbuf *why)
{
	const struct machine *bugfix;
	int k = counted_strength(e, s, b, ev, why);

	if (k < ABI_LIKELY)
		return 0;
	/*
	 * Code of one architecture (hw/s390x/, target/i386/) reaches only
	 * its families' machines: none when the stream has no X.Y machine
	 * of them (the legacy s390-virtio machine of 1.4 was unversioned).
	 */
	strbuf_reset(reach);
	if (!families_reached(reach, e->in.fams, ev->path)) {
		strbuf_addstr(why, "code of an architecture or board with no versioned machine type");
		return 0;
	}
	if (reach->len && !stream_has_own_machine(s, reach->buf)) {
		const char *p;

		strbuf_addstr(why, "reaches only ");
		for (p = reach->buf; *p; p++) {
			if (*p == ' ')
				strbuf_addch(why, ',');
			strbuf_addch(why, *p);
		}
		strbuf_addf(why, " machines, and the stream has no %d.%d one", s->version.major,
			    s->version.minor);
		return 0;
	}
	bugfix = covering_bugfix(s, b, ev, reach->buf);
	if (bugfix) {
		strbuf_addf(why, "covered by bugfix machine %s", bugfix->name);
		return 0;
	}
	return k;
}

/* Adds `why` to the reasons in `out` ("; "-separated) unless it is there already. */
static void add_reason(struct strbuf *out, const char *why)
{
	const char *p = out->buf;
	size_t n = strlen(why);

	while (p && *p) {
		if (!strncmp(p, why, n) && (p[n] == '\0' || p[n] == ';'))
			return;
		p = strstr(p, "; ");
		p = p ? p + 2 : NULL;
	}
	strbuf_addf(out, "%s%s", out->len ? "; " : "", why);
}

/* Why a backport none of whose items counts stays silent. */
static void silent_reason(struct strbuf *out, const struct engine_backport *b,
			  const struct strbuf *dropped)
{
	const struct abi_evidence *top = NULL;
	size_t i;

	if (dropped->len) {
		strbuf_addstr(out, dropped->buf);
		return;
	}
	if (b->error) {
		strbuf_addf(out, "not classified: %s", b->error);
		return;
	}
	for (i = 0; i < b->evidence.count; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];

		if (!top || ev->strength > top->strength)
			top = ev;
	}
	if (!top) {
		strbuf_addstr(out, "no guest-ABI evidence");
		return;
	}
	strbuf_addstr(out, "evidence is review-only:");
	for (i = 0; i < b->evidence.count; i++) {
		const char *sig = b->evidence.items[i].signal;
		size_t j;
		bool seen = false;

		for (j = 0; j < i; j++)
			seen = seen || !strcmp(b->evidence.items[j].signal, sig);
		if (!seen)
			strbuf_addf(out, "%s %s", i ? "," : "", sig);
	}
}

/*
 * ABI001 on one backport: appends its finding to `out` (through
 * engine_emit, as every rule does) or says in `why` why there is none.
 */
static void abi001_judge(struct engine *e, const struct rule_def *rule,
			 const struct engine_stream *s, const struct engine_backport *b,
			 struct finding_list *out, struct strbuf *why, struct engine_verdict *verdict)
{
	const struct abi_evidence *best = NULL;
	const struct engine_backport *r;
	struct strbuf machine = STRBUF_INIT, next = STRBUF_INIT, scope = STRBUF_INIT;
	struct strbuf reach = STRBUF_INIT, dropped = STRBUF_INIT, one = STRBUF_INIT;
	struct strbuf evidence = STRBUF_INIT, held = STRBUF_INIT;
	struct abi_evidence shown;
	const char *family;
	bool everyone = false;
	struct qversion older;
	int strongest = 0;
	size_t i, before;
	char hex[13];

	if (b->bp->merge) {
		strbuf_addstr(why, "merge: its diff is the merged branch, judged commit by commit");
		goto out;
	}
	/* a revert of the stream's own backport is MIG001's business */
	if (b->bp->reverts_in_stream) {
		oid_to_short(hex, 12, &b->bp->reverts);
		strbuf_addf(why, "reverts the stream's backport %s (MIG001 reports the pair)", hex);
		goto out;
	}
	if ((r = withdrawn_unshipped(s, b))) {
		oid_to_short(hex, 12, &r->bp->commit);
		strbuf_addf(why, "withdrawn before release: %s reverts it", hex);
		goto out;
	}
	for (i = 0; i < b->evidence.count; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];
		int k;

		strbuf_reset(&one);
		k = item_strength(e, s, b, ev, &reach, &one);
		if (!k) {
			/* a compat entry's cover lowered the item's own strength: say so too */
			if ((ev->strength >= ABI_LIKELY || ev->covered_by) && one.len)
				add_reason(&dropped, one.buf);
			continue;
		}
		if (!reach.len)
			everyone = true;
		else
			scope_union(&scope, reach.buf);
		/* at equal strength, the backport's own text beats its upstream's */
		if (k > strongest || (k == strongest && !strcmp(best->signal, "upstream-compat") &&
				      strcmp(ev->signal, "upstream-compat"))) {
			strongest = k;
			best = ev;
		}
	}
	if (!best) {
		silent_reason(why, b, &dropped);
		goto out;
	}
	family = everyone ? NULL : scope.buf;
	shown = *best;
	if (about_older_version(&older, best, &s->version) && best->shared_path) {
		/*
		 * The older version's function changed with code every machine
		 * runs: it keeps the older machines as they were (the upstream
		 * pattern, done with a function instead of a compat entry), and
		 * the newer ones, the stream's X.Y among them, take the change.
		 */
		strbuf_addf(&evidence, "code every machine runs changed in %s; the %d.%d and older "
			    "machines kept as they were by %s", best->shared_path, older.major,
			    older.minor, best->detail);
		shown.path = best->shared_path;
		shown.line = best->shared_line;
		abi_advice_machines(&machine, s, family);
		abi_advice_abi001(&next, s, b, &shown, family);
	} else if (about_older_version(&older, best, &s->version) ||
		   feature_held_back(&older, &held, e, s, b, best)) {
		abi_advice_older_machines(&machine, s, &older, family);
		abi_advice_older(&next, s, &older);
		if (verdict) {
			verdict->about_older = true;
			verdict->older = older;
		}
	} else {
		abi_advice_machines(&machine, s, family);
		abi_advice_abi001(&next, s, b, best, family);
	}
	if (!evidence.len)
		strbuf_addf(&evidence, "%s%s", best->detail, held.buf);
	{
		const char *vars[] = { "machine", machine.buf, "evidence", evidence.buf,
				       "signal", best->signal, "next", next.buf, NULL };
		struct emit em = { 0 };

		em.rule = rule;
		em.severity = strongest >= ABI_CHANGE ? rule->severity
						       : at_most(rule->severity, MT_SEVERITY_WARNING);
		em.stream = s;
		em.bp = b;
		em.about_backport = true;
		em.path = shown.path;
		em.line = shown.line > 0 ? shown.line : 1;
		em.vars = vars;
		before = out->nr;
		engine_emit(e, out, &em);
		/* A stream that is only context, or check's scope, keeps the finding out. */
		if (out->nr == before)
			strbuf_addstr(why, "outside the streams and commits this run reports");
	}
out:
	strbuf_release(&evidence);
	strbuf_release(&held);
	strbuf_release(&machine);
	strbuf_release(&next);
	strbuf_release(&scope);
	strbuf_release(&reach);
	strbuf_release(&dropped);
	strbuf_release(&one);
}

void engine_verdict_init(struct engine_verdict *v)
{
	memset(v, 0, sizeof(*v));
	finding_list_init(&v->findings);
	strbuf_init(&v->reason);
}

void engine_verdict_release(struct engine_verdict *v)
{
	finding_list_release(&v->findings);
	strbuf_release(&v->reason);
}

int engine_abi001_verdict(struct engine_verdict *out, struct engine *e,
			  const struct engine_stream *s, const struct engine_backport *b)
{
	const struct rule_def *rule = policy_rule(e->in.policy, "ABI001");

	if (!rule || !rule->enabled) {
		strbuf_addstr(&out->reason, "ABI001 is disabled by the policy");
		return MT_OK;
	}
	abi001_judge(e, rule, s, b, &out->findings, &out->reason, out);
	return MT_OK;
}

int rule_abi001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	struct strbuf why = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nitems; j++) {
			strbuf_reset(&why);
			abi001_judge(e, rule, s, &s->items[j], out, &why, NULL);
		}
	}
	strbuf_release(&why);
	return 0;
}
/*
 * Whether a compat-array item edits what a released machine applies: an
 * array the stream's release had, or the first list of a machine struct
 * ("pc_machine_v0_11.compat_props") whose machine the release had: that
 * machine's guests change as much as when its list grows.
 */
static bool edits_released_array(const struct engine_stream *s, const struct abi_evidence *ev)
{
	if (model_compat(s->base, ev->array))
		return true;
	return strchr(ev->array, '.') && ev->has_array_version &&
	       model_has_minor(s->base, NULL, ev->array_version.major, ev->array_version.minor);
}

int rule_abi002(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j, k, l;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nitems; j++) {
			const struct engine_backport *b = &s->items[j];

			for (k = 0; k < b->evidence.count; k++) {
				const struct abi_evidence *ev = &b->evidence.items[k];
				struct strbuf machines = STRBUF_INIT, next = STRBUF_INIT;
				struct strbuf reach = STRBUF_INIT;
				struct emit em = { 0 };
				bool seen = false, own_or_newer;

				if (strcmp(ev->signal, "compat-array") || !ev->array ||
				    !edits_released_array(s, ev))
					continue;
				/* one finding per array and backport, at its first item */
				for (l = 0; l < k; l++) {
					const struct abi_evidence *p = &b->evidence.items[l];

					if (!strcmp(p->signal, "compat-array") && p->array &&
					    !strcmp(p->array, ev->array))
						seen = true;
				}
				if (seen)
					continue;
				own_or_newer = ev->has_array_version &&
					       minor_at_least(&ev->array_version, &s->version);
				families_reached(&reach, e->in.fams, ev->path);
				abi_advice_array_machines(&machines, s, ev, reach.buf);
				abi_advice_abi002(&next, s, b, ev, own_or_newer, reach.buf);
				const char *vars[] = { "array", ev->array, "evidence", ev->detail,
						       "machines", machines.buf, "next", next.buf, NULL };
				em.rule = rule;
				em.severity = own_or_newer ? rule->severity
							   : at_most(rule->severity, MT_SEVERITY_WARNING);
				em.stream = s;
				em.bp = b;
				em.about_backport = true;
				em.path = ev->path;
				em.line = ev->line > 0 ? ev->line : 1;
				em.key = ev->array;
				em.vars = vars;
				engine_emit(e, out, &em);
				strbuf_release(&machines);
				strbuf_release(&next);
				strbuf_release(&reach);
			}
		}
	}
	return 0;
}

static bool newer_than_stream(const struct machine *m, const struct engine_stream *s)
{
	return m->version.major > s->version.major ||
	       (m->version.major == s->version.major && m->version.minor > s->version.minor);
}

/* Still there at the tip, or shipped in a release before it was undone. */
static bool stood(const struct engine_intro *in)
{
	return in->at_tip || (in->by && in->by->bp->release);
}

/*
 * What a change of the family's default did to users, for the message: the
 * release that first shipped `in` (a latest-machine change) as the default
 * and the alias, and what undid it, if anything did.
 */
static void default_harm(struct strbuf *out, const struct engine_stream *s,
			 const struct engine_intro *in)
{
	const struct machine *m = in->machine;
	const struct engine_intro *undo = NULL;
	size_t i;

	if (in->by && in->by->bp->release)
		strbuf_addf(out, "%s made it the default machine", in->by->bp->release->name);
	else
		strbuf_addstr(out, in->at_tip ? "the tip makes it the default machine (no release yet)"
					      : "it was the default machine");
	if (m->alias)
		strbuf_addf(out, " and the unversioned alias '%s'", m->alias);
	strbuf_addf(out, ", so guests started without a versioned machine type got %s, not "
		    "a %d.%d machine", m->name, s->version.major, s->version.minor);
	if (in->at_tip)
		return;
	/* The next change of the same family's default in the stream undid it. */
	for (i = 0; i < s->nlatest; i++) {
		const struct engine_intro *l = &s->latest[i];

		if (l->by && in->by && l->by->index > in->by->index &&
		    !strcmp(l->machine->family, m->family)) {
			undo = l;
			break;
		}
	}
	if (undo) {
		strbuf_addstr(out, ", until ");
		backport_label(out, undo->by);
		if (undo->by->bp->release)
			strbuf_addf(out, ", in %s,", undo->by->bp->release->name);
		strbuf_addf(out, " made %s the default again", undo->machine->name);
	}
}

/* The change that made `name` the stream's default and that a release shipped or the tip keeps. */
static const struct engine_intro *made_default(const struct engine_stream *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nlatest; i++) {
		if (!strcmp(s->latest[i].machine->name, name) && stood(&s->latest[i]))
			return &s->latest[i];
	}
	return NULL;
}

static void abi003_emit(struct engine *e, const struct rule_def *rule,
			const struct engine_stream *s, const struct engine_intro *in,
			const char *why, const struct engine_intro *dflt, struct finding_list *out)
{
	struct strbuf text = STRBUF_INIT;
	const char *vars[] = { "why", NULL, NULL };

	strbuf_addstr(&text, why);
	if (dflt) {
		strbuf_addstr(&text, "; ");
		default_harm(&text, s, dflt);
	}
	vars[1] = text.buf;
	engine_emit_intro(e, rule, s, in, vars, NULL, out);
	strbuf_release(&text);
}

int rule_abi003(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j, k;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];

			if (newer_than_stream(in->machine, s) && stood(in))
				abi003_emit(e, rule, s, in, "newer than the stream's own release",
					    made_default(s, in->machine->name), out);
		}
		for (j = 0; j < s->nlatest; j++) {
			const struct engine_intro *in = &s->latest[j];
			bool reported = false;

			if (own_version(in->machine, s) || !stood(in))
				continue;
			for (k = 0; k < s->nintros; k++) {
				if (!strcmp(s->intros[k].machine->name, in->machine->name) &&
				    newer_than_stream(in->machine, s) && stood(&s->intros[k]))
					reported = true;
			}
			if (!reported)
				abi003_emit(e, rule, s, in, "made the default, and it is not the "
					    "stream's own machine", in, out);
		}
	}
	return 0;
}
