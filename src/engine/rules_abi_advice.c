/*
 * What an ABI001 or ABI002 finding tells the maintainer: which machine
 * types' guests see the change, and the next step, in the policy's terms
 * (a compat entry in master and the stream, a bugfix machine by its name,
 * or dropping the hunk). The words are here; the rules decide.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "rules_abi_advice.h"
#include "util/xalloc.h"

static bool same_minor(const struct qversion *a, int major, int minor)
{
	return a->major == major && a->minor == minor;
}

static bool at_most_minor(const struct qversion *v, const struct qversion *limit)
{
	return v->major < limit->major || (v->major == limit->major && v->minor <= limit->minor);
}

/* Machines to name in a message, each once (arm and m68k both have a virt-X.Y). */
struct named {
	const struct machine **v;
	size_t n;
};

static void named_add(struct named *l, const struct machine *m)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i]->name, m->name) && !strcmp(l->v[i]->family, m->family))
			return;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = m;
}

/*
 * Appends the list's names, comma-separated, each followed by `suffix` (may
 * be NULL), and with its architecture where another of the list has the same
 * name in another family: "virt-7.2 (arm), ..., virt-7.2 (m68k)".
 */
static void named_print(struct strbuf *out, const struct named *l, const char *suffix)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct machine *twin = NULL;

		for (j = 0; j < l->n && !twin; j++) {
			if (j != i && !strcmp(l->v[j]->name, l->v[i]->name) &&
			    strcmp(l->v[j]->family, l->v[i]->family))
				twin = l->v[j];
		}
		if (i)
			strbuf_addstr(out, ", ");
		machine_display_name(out, l->v[i], suffix, twin, twin ? 1 : 0);
	}
}

void abi_advice_machines(struct strbuf *out, const struct engine_stream *s, const char *family)
{
	struct named l = { NULL, 0 };
	size_t i;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i];

		if (m->kind == MACHINE_RELEASE && same_minor(&m->version, s->version.major,
							     s->version.minor) &&
		    family_in(family, m->family))
			named_add(&l, m);
	}
	if (l.n)
		named_print(out, &l, NULL);
	else
		strbuf_addf(out, "the %d.%d machine types", s->version.major, s->version.minor);
	free(l.v);
}

/* The micro a bugfix machine for this backport takes: the release that ships it. */
static int bugfix_micro(const struct engine_stream *s, const struct engine_backport *b)
{
	if (b->bp->release && same_minor(&b->bp->release->version, s->version.major,
					 s->version.minor) && b->bp->release->version.micro > 0)
		return b->bp->release->version.micro;
	if (s->stream.newest && same_minor(&s->stream.newest->version, s->version.major,
					   s->version.minor))
		return s->stream.newest->version.micro + 1;
	return 1;
}

/* The stream's X.Y bugfix machine of `family` at its tip, or NULL. */
static const struct machine *shipped_bugfix(const struct engine_stream *s, const char *family)
{
	size_t i;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i];

		if (m->kind == MACHINE_BUGFIX && !strcmp(m->family, family) &&
		    same_minor(&m->version, s->version.major, s->version.minor))
			return m;
	}
	return NULL;
}

size_t abi_advice_bugfix(struct strbuf *out, struct strbuf *existing,
			 const struct engine_stream *s, const struct engine_backport *b,
			 const char *family)
{
	struct named add = { NULL, 0 }, had = { NULL, 0 };
	char suffix[16];
	size_t i, n;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i], *bugfix;

		if (m->kind != MACHINE_RELEASE || !same_minor(&m->version, s->version.major,
							      s->version.minor) ||
		    !family_in(family, m->family))
			continue;
		/* the policy allows one bugfix machine per family and stream */
		bugfix = shipped_bugfix(s, m->family);
		if (bugfix)
			named_add(&had, bugfix);
		else
			named_add(&add, m);
	}
	snprintf(suffix, sizeof(suffix), ".%d", bugfix_micro(s, b));
	if (existing)
		named_print(existing, &had, NULL);
	named_print(out, &add, suffix);
	n = add.n;
	if (!n && !had.n) {
		strbuf_addf(out, "%d.%d%s", s->version.major, s->version.minor, suffix);
		n = 1;
	}
	free(add.v);
	free(had.v);
	return n;
}

static bool from_upstream(const struct abi_evidence *ev)
{
	return !strcmp(ev->signal, "upstream-compat") || !strcmp(ev->signal, "followup-compat");
}

/* "{ widget, x-old-level, on } in hw_compat_10_0", from an upstream-compat or followup-compat item. */
static void entry_text(struct strbuf *out, const struct abi_evidence *ev)
{
	const char *what = strstr(ev->detail, ": added ");

	if (!what)
		what = strstr(ev->detail, ": changed ");
	if (what && ev->array)
		strbuf_addf(out, "%s in %s", strchr(what + 2, ' ') + 1, ev->array);
	else
		strbuf_addstr(out, ev->detail);
}

void abi_advice_abi001(struct strbuf *out, const struct engine_stream *s,
		       const struct engine_backport *b, const struct abi_evidence *best,
		       const char *family)
{
	struct strbuf bugfix = STRBUF_INIT, existing = STRBUF_INIT, drop = STRBUF_INIT;
	size_t n = abi_advice_bugfix(&bugfix, &existing, s, b, family);

	if (from_upstream(best))
		strbuf_addstr(&drop, "drop the backport");
	else if (!strcmp(best->signal, "acpi-expected"))
		strbuf_addstr(&drop, "drop the change behind the new tables");
	else
		strbuf_addf(&drop, "drop the hunk at %s:%d", best->path,
			    best->line > 0 ? best->line : 1);
	if (!n) {
		strbuf_addf(out, "%s already has bugfix machine %s and may not add another: keep the "
			    "%d.%d machines on the old behaviour with a compat entry in master and %s, "
			    "or %s", s->stream.name, existing.buf, s->version.major,
			    s->version.minor, s->stream.name, drop.buf);
	} else if (from_upstream(best)) {
		/*
		 * Upstream kept the X.Y machines on the old behaviour with that
		 * entry; in the stream the X.Y machines are also its newest, so the
		 * fix needs a machine of its own to be seen at all.
		 */
		struct strbuf entry = STRBUF_INIT;

		entry_text(&entry, best);
		strbuf_addf(out, "add bugfix machine %s in %s and in master, with %s keeping the "
			    "%d.%d machines as they were, or %s", bugfix.buf, s->stream.name,
			    entry.buf, s->version.major, s->version.minor, drop.buf);
		strbuf_release(&entry);
	} else {
		strbuf_addf(out, "keep the %d.%d machines on the old behaviour with a compat entry in "
			    "master and %s and add bugfix machine %s in both, or %s",
			    s->version.major, s->version.minor, s->stream.name, bugfix.buf, drop.buf);
	}
	if (n && existing.len)
		strbuf_addf(out, " (%s already has %s)", s->stream.name, existing.buf);
	strbuf_release(&bugfix);
	strbuf_release(&existing);
	strbuf_release(&drop);
}

/* The newest machine of each family at or below version `v`, "and older". */
static void machines_up_to(struct strbuf *out, const struct engine_stream *s,
			   const struct qversion *v, const char *family)
{
	struct named l = { NULL, 0 };
	const char *listed = NULL;
	size_t i;
	bool older = false;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i];

		if (m->kind != MACHINE_RELEASE || !at_most_minor(&m->version, v) ||
		    !family_in(family, m->family))
			continue;
		if (listed && !strcmp(listed, m->family)) {
			older = true;
			continue;
		}
		listed = m->family;
		named_add(&l, m);
	}
	if (!l.n)
		strbuf_addf(out, "the %d.%d machine types", v->major, v->minor);
	named_print(out, &l, NULL);
	if (l.n && older)
		strbuf_addstr(out, " and older");
	free(l.v);
}

/* The machines of version `v` defined in the file at `path` (the struct holding the list). */
static void machines_of(struct strbuf *out, const struct engine_stream *s, const struct qversion *v,
			const char *path)
{
	struct named l = { NULL, 0 };
	size_t i;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i];

		if (m->kind == MACHINE_RELEASE && same_minor(&m->version, v->major, v->minor) &&
		    m->path && !strcmp(m->path, path))
			named_add(&l, m);
	}
	if (l.n)
		named_print(out, &l, NULL);
	else
		strbuf_addf(out, "the %d.%d machine types", v->major, v->minor);
	free(l.v);
}

void abi_advice_array_machines(struct strbuf *out, const struct engine_stream *s,
			       const struct abi_evidence *ev, const char *family)
{
	if (!ev->has_array_version) {
		strbuf_addstr(out, "the machines that apply it");
		return;
	}
	/* a machine struct's own list ("pc_machine_v0_11.compat_props"): that machine's alone */
	if (ev->array && strchr(ev->array, '.'))
		machines_of(out, s, &ev->array_version, ev->path);
	else
		machines_up_to(out, s, &ev->array_version, family);
}

void abi_advice_older_machines(struct strbuf *out, const struct engine_stream *s,
			       const struct qversion *v, const char *family)
{
	machines_up_to(out, s, v, family);
}

void abi_advice_older_review(struct strbuf *out, const struct engine_stream *s)
{
	strbuf_addf(out, "review whether it restores what they had before %d.%d (then check that "
		    "master has the same) or changes the default of the newer ones (then keep the "
		    "%d.%d machines on the old behaviour with a compat entry, or drop the hunk)",
		    s->version.major, s->version.minor, s->version.major, s->version.minor);
}

void abi_advice_older(struct strbuf *out, const struct engine_stream *s, const struct qversion *v)
{
	strbuf_addf(out, "the %d.%d and older machines now differ from the newer ones where "
		    "%s's release had them alike; ", v->major, v->minor, s->stream.name);
	abi_advice_older_review(out, s);
}

void abi_advice_abi002(struct strbuf *out, const struct engine_stream *s,
		       const struct engine_backport *b, const struct abi_evidence *ev,
		       bool own_or_newer, const char *family)
{
	struct strbuf bugfix = STRBUF_INIT;

	if (own_or_newer && abi_advice_bugfix(&bugfix, NULL, s, b, family)) {
		strbuf_addf(out, "guests already running them change; drop the hunk, or leave %s as "
			    "released and add bugfix machine %s in %s and in master", ev->array,
			    bugfix.buf, s->stream.name);
	} else if (own_or_newer) {
		strbuf_addstr(out, "guests already running them change; drop the hunk");
	} else {
		strbuf_addf(out, "review that it restores what they had before %d.%d and that master "
			    "has the same entry", s->version.major, s->version.minor);
	}
	strbuf_release(&bugfix);
}
