/*
 * What an ABI001 or ABI002 finding tells the maintainer: which machine
 * types' guests see the change, and the next step, in the policy's terms
 * (a compat entry in master and the stream, a bugfix machine by its name,
 * or dropping the hunk). The words are here; the rules decide.
 */
#include <string.h>

#include "engine_internal.h"
#include "rules_abi_advice.h"

static bool same_minor(const struct qversion *a, int major, int minor)
{
	return a->major == major && a->minor == minor;
}

static bool at_most_minor(const struct qversion *v, const struct qversion *limit)
{
	return v->major < limit->major || (v->major == limit->major && v->minor <= limit->minor);
}

/* Whether `name` is in the comma-separated list (arm and m68k both have virt-X.Y). */
static bool listed(const struct strbuf *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list->buf;

	while (list->len && (p = strstr(p, name)) != NULL) {
		if ((p == list->buf || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

void abi_advice_machines(struct strbuf *out, const struct engine_stream *s, const char *family)
{
	size_t i, n = 0;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i];

		if (m->kind != MACHINE_RELEASE || !same_minor(&m->version, s->version.major,
							      s->version.minor) ||
		    !family_in(family, m->family) || listed(out, m->name))
			continue;
		strbuf_addf(out, "%s%s", n++ ? ", " : "", m->name);
	}
	if (!n)
		strbuf_addf(out, "the %d.%d machine types", s->version.major, s->version.minor);
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
	int micro = bugfix_micro(s, b);
	size_t i, n = 0, had = 0;

	for (i = 0; s->tip && i < s->tip->machines.n; i++) {
		const struct machine *m = &s->tip->machines.v[i], *bugfix;

		if (m->kind != MACHINE_RELEASE || !same_minor(&m->version, s->version.major,
							      s->version.minor) ||
		    !family_in(family, m->family))
			continue;
		/* the policy allows one bugfix machine per family and stream */
		bugfix = shipped_bugfix(s, m->family);
		if (!bugfix && out->len) {
			struct strbuf name = STRBUF_INIT;

			strbuf_addf(&name, "%s.%d", m->name, micro);
			if (listed(out, name.buf)) {
				strbuf_release(&name);
				continue;
			}
			strbuf_release(&name);
		}
		if (bugfix) {
			if (existing)
				strbuf_addf(existing, "%s%s", had ? ", " : "", bugfix->name);
			had++;
			continue;
		}
		strbuf_addf(out, "%s%s.%d", n++ ? ", " : "", m->name, micro);
	}
	if (!n && !had) {
		strbuf_addf(out, "%d.%d.%d", s->version.major, s->version.minor, micro);
		n = 1;
	}
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
	const char *listed = NULL;
	size_t i, n = 0;
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
		strbuf_addf(out, "%s%s", n++ ? ", " : "", m->name);
	}
	if (!n)
		strbuf_addf(out, "the %d.%d machine types", v->major, v->minor);
	else if (older)
		strbuf_addstr(out, " and older");
}

void abi_advice_array_machines(struct strbuf *out, const struct engine_stream *s,
			       const struct abi_evidence *ev)
{
	if (!ev->has_array_version) {
		strbuf_addstr(out, "the machines that apply it");
		return;
	}
	machines_up_to(out, s, &ev->array_version, NULL);
}

void abi_advice_older_machines(struct strbuf *out, const struct engine_stream *s,
			       const struct qversion *v, const char *family)
{
	machines_up_to(out, s, v, family);
}

void abi_advice_older(struct strbuf *out, const struct engine_stream *s, const struct qversion *v)
{
	strbuf_addf(out, "the %d.%d and older machines now differ from the newer ones where "
		    "%s's release had them alike; review whether it restores what they had before "
		    "%d.%d (then check that master has the same) or changes the default of the "
		    "newer ones (then keep the %d.%d machines on the old behaviour with a compat "
		    "entry, or drop the hunk)", v->major, v->minor, s->stream.name,
		    s->version.major, s->version.minor, s->version.major, s->version.minor);
}

void abi_advice_abi002(struct strbuf *out, const struct engine_stream *s,
		       const struct engine_backport *b, const struct abi_evidence *ev,
		       bool own_or_newer)
{
	struct strbuf bugfix = STRBUF_INIT;

	if (own_or_newer && abi_advice_bugfix(&bugfix, NULL, s, b, NULL)) {
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
