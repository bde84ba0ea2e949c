/* Applying waivers and a baseline to the engine's findings, and saying what they did. */
#include "policy/suppress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "util/error.h"

/* The first live waiver that hides f; counts expired ones that would have. */
static struct waiver *find_waiver(struct waiver_set *set, const struct finding *f)
{
	struct waiver *hit = NULL;
	size_t i;

	for (i = 0; set && i < set->nr; i++) {
		struct waiver *w = &set->items[i];

		if (!waiver_matches(w, f))
			continue;
		if (w->expired) {
			w->missed++;
		} else if (!hit) {
			hit = w;
		}
	}
	return hit;
}

void suppress_apply(struct finding_list *findings, struct suppressed_list *suppressed,
		    struct waiver_set *waivers, struct baseline *baseline)
{
	size_t i, kept = 0;

	for (i = 0; i < findings->nr; i++) {
		struct finding *f = &findings->items[i];
		struct waiver *w = find_waiver(waivers, f);
		char fp[FINDING_FINGERPRINT_SIZE];

		finding_fingerprint(fp, f);
		if (w) {
			w->used++;
			suppressed_list_add(suppressed, f, SUPPRESSED_BY_WAIVER, w->reason);
			finding_release(f);
		} else if (baseline && baseline_take(baseline, fp)) {
			struct strbuf why = STRBUF_INIT;

			strbuf_addf(&why, "in baseline %s", baseline->path);
			suppressed_list_add(suppressed, f, SUPPRESSED_BY_BASELINE, why.buf);
			strbuf_release(&why);
			finding_release(f);
		} else {
			findings->items[kept++] = *f;
		}
	}
	findings->nr = kept;
	finding_list_sort(findings);
	suppressed_list_sort(suppressed);
}

static void describe(struct strbuf *out, const struct waiver *w)
{
	strbuf_addf(out, "waiver for %s", w->rule);
	if (w->stream)
		strbuf_addf(out, " stream %s", w->stream);
	if (w->commit)
		strbuf_addf(out, " commit %.12s", w->commit);
	if (w->upstream)
		strbuf_addf(out, " upstream %.12s", w->upstream);
	if (w->machine)
		strbuf_addf(out, " machine %s", w->machine);
}

void suppress_notes(struct strbuf *out, const struct waiver_set *waivers,
		    const struct baseline *baseline)
{
	size_t i, unused = 0;

	for (i = 0; waivers && i < waivers->nr; i++) {
		const struct waiver *w = &waivers->items[i];

		if (!w->expired && w->used)
			continue;
		strbuf_addf(out, "mtcheck: warning: %s: ", w->where);
		describe(out, w);
		if (w->bad_date)
			strbuf_addf(out, ": expiry date \"%s\" is not YYYY-MM-DD; treated as expired",
				    w->expires);
		else if (w->expired)
			strbuf_addf(out, ": expired on %s", w->expires);
		else
			strbuf_addstr(out, ": matched no finding; remove it");
		if (w->expired)
			strbuf_addf(out, " (%zu finding%s no longer waived)", w->missed,
				    w->missed == 1 ? "" : "s");
		strbuf_addch(out, '\n');
	}
	for (i = 0; baseline && i < baseline->nr; i++)
		unused += !baseline->used[i];
	if (unused)
		strbuf_addf(out, "mtcheck: warning: %s: %zu of %zu entr%s matched no finding "
			    "(fixed?); refresh it with --write-baseline\n", baseline->path, unused,
			    baseline->nr, baseline->nr == 1 ? "y" : "ies");
}

int suppress_now(int64_t *out, const char *today)
{
	if (today) {
		if (strlen(today) != 10 || date_parse(out, today) < 0)
			return mt_error_set("--today: '%s' is not a date (YYYY-MM-DD)", today);
		return MT_OK;
	}
	*out = (int64_t)time(NULL);
	return MT_OK;
}
