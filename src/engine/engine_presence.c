/*
 * A machine's presence over time: on master's first-parent history (where
 * a release of master is an X.Y.0 tag) and on a stable stream's releases.
 * BFM002, BFM003 and BFM004 ask when a machine was there, not only whether
 * today's tip has it: a bugfix machine deleted later with its whole X.Y
 * base is the lifecycle policy working, one deleted alone is a finding.
 *
 * Presence along one first-parent chain is taken to change once between
 * two points (a machine is added once and removed once), so the commit
 * that changed it is found by bisection over the chain's models.
 */
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"
#include "util/date.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int engine_machines_at(const struct model **out, struct engine *e, const struct mt_oid *commit)
{
	struct model *m = oidmap_get(&e->models, commit);

	/* A full model read already answers as well. */
	if (!m)
		m = oidmap_get(&e->machine_models, commit);
	if (!m) {
		m = xmalloc(sizeof(*m));
		if (model_load_machines(m, e->in.cache, e->in.repo, e->in.fams, commit) < 0) {
			char hex[13];

			free(m);
			oid_to_short(hex, 12, commit);
			mt_error_prefix("%s", hex);
			return MT_ERROR;
		}
		oidmap_put(&e->machine_models, commit, m);
	}
	*out = m;
	return MT_OK;
}

int engine_has_machine(bool *out, struct engine *e, const struct mt_oid *commit, const char *name)
{
	const struct model *m;

	if (engine_machines_at(&m, e, commit) < 0)
		return MT_ERROR;
	*out = model_machine(m, name) != NULL;
	return MT_OK;
}

static int cmp_release_time(const void *a, const void *b)
{
	const struct mt_release *x = *(const struct mt_release *const *)a;
	const struct mt_release *y = *(const struct mt_release *const *)b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return qversion_cmp(&x->version, &y->version);
}

static bool is_minor_release(const struct mt_release *r)
{
	return !r->rc && r->version.micro <= 0 && r->version.nano <= 0;
}

void engine_master_releases(const struct mt_release ***out, size_t *n, struct engine *e)
{
	const struct mt_history *h = e->in.history;
	size_t i;

	if (!e->master_releases_done) {
		e->master_releases_done = true;
		e->master_releases = xcalloc(h->nreleases + 1, sizeof(*e->master_releases));
		for (i = 0; i < h->nreleases; i++) {
			const struct mt_release *r = &h->releases[i];

			/* v2.0 and v2.0.0 name one release: keep the first */
			if (!is_minor_release(r) ||
			    (e->nmaster_releases &&
			     e->master_releases[e->nmaster_releases - 1]->version.major ==
				     r->version.major &&
			     e->master_releases[e->nmaster_releases - 1]->version.minor ==
				     r->version.minor))
				continue;
			e->master_releases[e->nmaster_releases++] = r;
		}
		qsort(e->master_releases, e->nmaster_releases, sizeof(*e->master_releases),
		      cmp_release_time);
	}
	*out = e->master_releases;
	*n = e->nmaster_releases;
}

/* The stream's releases (vX.Y.Z of its X.Y, no rc), by date. The array is the caller's. */
size_t engine_stream_releases(const struct mt_release ***out, const struct engine *e,
			      const struct engine_stream *s)
{
	const struct mt_history *h = e->in.history;
	size_t i, n = 0;

	*out = xcalloc(h->nreleases + 1, sizeof(**out));
	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (!r->rc && r->version.major == s->version.major &&
		    r->version.minor == s->version.minor)
			(*out)[n++] = r;
	}
	qsort(*out, n, sizeof(**out), cmp_release_time);
	return n;
}

/*
 * In `chain` (oldest first, each commit's first parent the one before it,
 * the first one's parent on the other side of the change), the first
 * commit where the machine's presence is `present`; *out_index = n when
 * none is.
 */
static int bisect(size_t *out_index, struct engine *e, const struct mt_oid *chain, size_t n,
		  const char *name, bool present)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		bool has;

		if (engine_has_machine(&has, e, &chain[mid], name) < 0)
			return MT_ERROR;
		if (has == present)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out_index = lo;
	return MT_OK;
}

int engine_find_change(struct mt_oid *out, struct engine *e, const struct mt_oid *from,
		       const struct mt_oid *to, const char *name, bool present)
{
	struct mt_oid *chain = NULL, hide = *from;
	struct mt_oid tip = *to;
	size_t n = 0, at, depth;
	int ret = MT_OK;

	/*
	 * Along the first parents from `to` back to `from`; when the commit
	 * found is a merge, the change came with its second parent: look
	 * there, back to where it left the first parent's history.
	 */
	for (depth = 0; depth < 4; depth++) {
		struct mt_commit_info info;

		free(chain);
		chain = NULL;
		if (repo_walk(&chain, &n, e->in.repo, &tip, &hide, 1,
			      REPO_WALK_FIRST_PARENT | REPO_WALK_TOPO | REPO_WALK_REVERSE) < 0 ||
		    bisect(&at, e, chain, n, name, present) < 0) {
			ret = MT_ERROR;
			break;
		}
		if (at == n) {
			ret = MT_ENOTFOUND;
			break;
		}
		*out = chain[at];
		if (repo_commit_info(&info, e->in.repo, &chain[at]) < 0) {
			ret = MT_ERROR;
			break;
		}
		if (info.nparents < 2) {
			commit_info_release(&info);
			break;
		}
		hide = info.parents[0];
		tip = info.parents[1];
		commit_info_release(&info);
		{
			bool has;

			/* A merge whose second parent does not bring the change made it itself. */
			if (engine_has_machine(&has, e, &tip, name) < 0) {
				ret = MT_ERROR;
				break;
			}
			if (has != present)
				break;
		}
	}
	free(chain);
	return ret;
}

void engine_commit_label(struct strbuf *out, struct engine *e, const struct mt_oid *commit)
{
	struct mt_commit_info info;
	char hex[13], day[16];

	oid_to_short(hex, 12, commit);
	if (repo_commit_info(&info, e->in.repo, commit) < 0) {
		mt_error_clear();
		strbuf_addstr(out, hex);
		return;
	}
	date_format(day, info.time);
	strbuf_addf(out, "%s (%s, %s)", hex, info.subject ? info.subject : "", day);
	commit_info_release(&info);
}

int64_t backport_shipped(const struct mt_backport *bp)
{
	return bp->release ? bp->release->time : bp->time;
}

static int date_stream_bugfixes(struct engine *e, struct engine_stream *s)
{
	struct mt_backports list = { 0 };
	bool listed = false;
	size_t i, k;
	int ret = MT_OK;

	for (i = 0; ret == MT_OK && i < s->nintros; i++) {
		struct engine_intro *in = &s->intros[i];
		struct mt_oid commit;
		int found;

		if (!intro_is_bugfix(in))
			continue;
		if (!listed && history_backports_list(&list, e->in.history, &s->stream) < 0)
			return MT_ERROR;
		listed = true;
		found = engine_find_change(&commit, e, &s->stream.base, &s->stream.tip,
					   in->machine->name, true);
		if (found == MT_ENOTFOUND) {
			mt_error_clear();
			continue;
		}
		if (found < 0) {
			ret = MT_ERROR;
			break;
		}
		for (k = 0; k < list.count && !oid_equal(&list.items[k].commit, &commit); k++)
			;
		if (k < list.count)
			in->time = backport_shipped(&list.items[k]);
	}
	if (listed)
		backports_release(&list);
	return ret;
}

int engine_date_bugfixes(struct engine *e)
{
	size_t i;

	for (i = 0; !e->bugfixes_dated && i < e->nstreams; i++) {
		struct engine_stream *s = &e->streams[i];

		/* a shallow clone's error names the stream and the missing commit */
		if (!s->full && (engine_context_intros(e, s) < 0 || date_stream_bugfixes(e, s) < 0))
			return MT_ERROR;
	}
	e->bugfixes_dated = true;
	return MT_OK;
}
