/*
 * Rules about what happened in a stream's history: MIG001 (a backport
 * reverted in the same stream), REG001 (a bugfix machine that undoes what
 * an earlier backport of the stream changed).
 */
#include <string.h>

#include "engine_internal.h"

struct first_path {
	struct strbuf *out;
};

static int first_path_cb(const struct mt_diff_file *file, void *payload)
{
	struct first_path *fp = payload;

	strbuf_addstr(fp->out, file->new_path ? file->new_path : file->old_path);
	return 1;
}

/* The strongest evidence's file:line, else the first file the commit changes. */
static int backport_location(struct strbuf *path, int *line, struct engine *e,
			     const struct engine_backport *b)
{
	const struct abi_evidence *best = NULL;
	struct first_path fp = { path };
	struct repo_diff_opts opts = { 0 };
	size_t i;

	for (i = 0; i < b->evidence.count; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];

		/* the backport's own text before its upstream's, then the strongest */
		if (!best || (!strcmp(best->signal, "upstream-compat") &&
			      strcmp(ev->signal, "upstream-compat")) ||
		    (!strcmp(best->signal, "upstream-compat") == !strcmp(ev->signal, "upstream-compat") &&
		     ev->strength > best->strength))
			best = ev;
	}
	if (best) {
		strbuf_addstr(path, best->path);
		*line = best->line > 0 ? best->line : 1;
		return 0;
	}
	*line = 1;
	opts.file_cb = first_path_cb;
	opts.payload = &fp;
	if (repo_diff(e->in.repo, &b->bp->commit, &opts) < 0)
		return -1;
	return 0;
}

int rule_mig001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;
	int ret = 0;

	for (i = 0; i < e->nstreams && !ret; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nitems && !ret; j++) {
			const struct engine_backport *b = &s->items[j], *r;
			struct strbuf label = STRBUF_INIT, path = STRBUF_INIT;
			struct emit em = { 0 };
			int line;

			/* a reverted build or crash fix is no migration concern: only guest-visible ones */
			if (!b->bp->has_reverted_by || !b->evidence.count ||
			    !(r = stream_backport(s, &b->bp->reverted_by)))
				continue;
			backport_label(&label, r);
			ret = backport_location(&path, &line, e, b);
			if (!ret) {
				const char *vars[] = { "reverted_by", label.buf, NULL };

				em.rule = rule;
				em.stream = s;
				em.bp = b;
				em.cause_bp = r; /* the revert is what brings the finding */
				em.about_backport = true;
				em.path = path.len ? path.buf : NULL;
				em.line = line;
				em.vars = vars;
				engine_emit(e, out, &em);
			}
			strbuf_release(&label);
			strbuf_release(&path);
		}
	}
	return ret;
}

/* "m->x", "pcmc->x" and "x" are the same field to compare. */
static const char *bare_subject(const char *s)
{
	const char *arrow = strrchr(s, '>'), *dot = strrchr(s, '.');
	const char *p = arrow && (!dot || arrow > dot) ? arrow + 1 : dot ? dot + 1 : s;

	return *p ? p : s;
}

static bool same_subject(const struct abi_evidence *a, const struct abi_evidence *b)
{
	return a->subject && b->subject && !strcmp(bare_subject(a->subject), bare_subject(b->subject));
}

const struct engine_backport *engine_regression_source(const struct engine_stream *s,
						       const struct engine_backport *c,
						       const struct abi_evidence **out_ev)
{
	size_t i, j, k;

	for (i = 0; i < s->nitems && &s->items[i] != c; i++) {
		const struct engine_backport *b = &s->items[i];

		for (j = 0; j < b->evidence.count; j++) {
			const struct abi_evidence *be = &b->evidence.items[j];

			if (be->strength < ABI_LIKELY || !strcmp(be->signal, "upstream-compat"))
				continue;
			for (k = 0; k < c->evidence.count; k++) {
				if (same_subject(be, &c->evidence.items[k])) {
					*out_ev = be;
					return b;
				}
			}
		}
	}
	return NULL;
}

int rule_reg001(struct engine *e, const struct rule_def *rule, struct finding_list *out)
{
	size_t i, j;

	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *s = &e->streams[i];

		for (j = 0; j < s->nintros; j++) {
			const struct engine_intro *in = &s->intros[j];
			const struct engine_backport *src;
			const struct abi_evidence *ev = NULL;
			struct strbuf label = STRBUF_INIT;

			if (!intro_is_bugfix(in) || !in->by ||
			    !(src = engine_regression_source(s, in->by, &ev)))
				continue;
			/*
			 * The change and the machine ship in one release: the machine
			 * covers the backport (ABI001's remedy), it papers over nothing
			 * a release shipped.
			 */
			if (src->bp->release == in->by->bp->release)
				continue;
			backport_label(&label, src);
			{
				const char *vars[] = { "earlier", label.buf, "subject", ev->subject, NULL };

				engine_emit_intro(e, rule, s, in, vars, NULL, out);
			}
			strbuf_release(&label);
		}
	}
	return 0;
}
