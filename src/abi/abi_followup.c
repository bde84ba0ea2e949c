/*
 * followup-compat: upstream's own verdict on a fix it later corrected. When
 * a master commit whose `Fixes:` trailer names the backport's upstream
 * commit adds compat entries for the stream's X.Y machines (or newer ones,
 * which X.Y machines apply too), upstream found that the fix changed what
 * X.Y guests see and held them back; a stream that took the fix without
 * the follow-up changed them (Launchpad 2131822: two CPUID fixes reached
 * 10.0.x, and master then added x-arch-cap-always-on and
 * x-pdcm-on-even-without-pmu to pc_compat_10_0). This holds when the
 * upstream commit itself had no compat hunk, which is when it matters most.
 */
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"

/*
 * An entry the follow-up took out of another array and put here is moved,
 * not added: folding a bugfix machine's array into its base's changes no
 * machine (8e8cbed09ad9 did that with hw_compat_4_0_1).
 */
static bool moved(const struct abi_evidence_list *theirs, const struct abi_evidence *e)
{
	size_t i;

	for (i = 0; i < theirs->count; i++) {
		const struct abi_evidence *o = &theirs->items[i];

		if (!strcmp(o->signal, "compat-array") && o->removed && o->subject &&
		    !strcmp(o->subject, e->subject) && o->old_value && e->new_value &&
		    !strcmp(o->old_value, e->new_value) && o->array && e->array &&
		    strcmp(o->array, e->array))
			return true;
	}
	return false;
}

void abi_add_followup_compat(struct abi_evidence_list *out, const struct abi_config *config,
			     const struct abi_evidence_list *theirs, const struct mt_oid *followup,
			     const struct mt_oid *upstream, const struct qversion *stream)
{
	const struct abi_signal *signal = abi_config_signal(config, "followup-compat");
	char fhex[13], uhex[13];
	size_t i;

	oid_to_short(fhex, 12, followup);
	oid_to_short(uhex, 12, upstream);
	for (i = 0; signal && i < theirs->count; i++) {
		const struct abi_evidence *e = &theirs->items[i];
		struct strbuf detail = STRBUF_INIT;

		if (!abi_entry_holds_back(out, e, stream) || moved(theirs, e))
			continue;
		strbuf_addf(&detail, "follow-up %s (Fixes: %s): %s", fhex, uhex, e->detail);
		abi_add_held_entry(out, signal, e, detail.buf);
		strbuf_release(&detail);
	}
}

bool abi_wants_followups(const struct abi_config *config)
{
	return abi_config_signal(config, "followup-compat") != NULL;
}
