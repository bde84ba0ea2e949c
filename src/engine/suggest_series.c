/*
 * The patches behind `mtcheck suggest --output-dir`: for one ABI001
 * finding, either a bugfix machine per family on every branch that must
 * carry it (the stream, master, each newer maintained stream), or one
 * revert of the backport's guest-visible hunks on the stream. The text
 * edits are suggest_edit.c's; this file picks branches, entries and words.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "engine/suggest.h"
#include "engine_internal.h"
#include "machines/csrc.h"
#include "suggest_internal.h"
#include "util/error.h"
#include "util/xalloc.h"

void suggest_series_release(struct suggest_series *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].branch);
		free(s->v[i].subject);
		strbuf_release(&s->v[i].body);
		strbuf_release(&s->v[i].diff);
	}
	free(s->v);
	strbuf_release(&s->notes);
	memset(s, 0, sizeof(*s));
}

static struct suggest_patch *add_patch(struct suggest_series *s, const char *branch,
				       const struct mt_oid *base)
{
	struct suggest_patch *p;

	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	p = &s->v[s->n++];
	memset(p, 0, sizeof(*p));
	p->branch = xstrdup(branch);
	p->base = *base;
	strbuf_init(&p->body);
	strbuf_init(&p->diff);
	return p;
}

/* ---- the compat entries ---- */

struct entries {
	struct compat_line *v;
	size_t n;
	struct strbuf text; /* "    hw_compat_10_0: { ... } (from ...)" lines for messages */
};

static void entries_release(struct entries *en)
{
	size_t i;

	for (i = 0; i < en->n; i++) {
		free(en->v[i].array);
		free(en->v[i].text);
	}
	free(en->v);
	strbuf_release(&en->text);
}

static void entries_add(struct entries *en, const char *array, const char *shown,
			const char *text, size_t len, const char *from)
{
	size_t i;

	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	for (i = 0; i < en->n; i++) {
		if (!strcmp(en->v[i].array, array) && strlen(en->v[i].text) == len &&
		    !memcmp(en->v[i].text, text, len))
			return;
	}
	en->v = xrealloc(en->v, (en->n + 1) * sizeof(*en->v));
	en->v[en->n].array = xstrdup(array);
	en->v[en->n].text = xstrndup(text, len);
	en->n++;
	{
		size_t ws = 0;

		while (ws < len && isspace((unsigned char)text[ws]))
			ws++;
		strbuf_addf(&en->text, "    %s: %.*s\n      (%s)\n", shown, (int)(len - ws), text + ws,
			    from);
	}
}

/* Line `n` of the file at commit:path. */
static int line_at(struct strbuf *out, struct mt_repo *repo, const struct mt_oid *commit,
		   const char *path, int n)
{
	const struct mt_blob *blob;
	const char *p, *end, *nl;
	int ret = repo_read_file(&blob, repo, commit, path);

	if (ret < 0)
		return ret;
	p = blob->data;
	end = blob->data + blob->len;
	while (--n > 0 && p < end && (nl = memchr(p, '\n', (size_t)(end - p))))
		p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	strbuf_add(out, p, nl ? (size_t)(nl - p) : (size_t)(end - p));
	return MT_OK;
}

/* "hw_compat_10_0" -> "hw_compat" */
static char *array_kind(const char *array)
{
	const char *k = array ? strstr(array, "_compat_") : NULL;

	return k ? xstrndup(array, (size_t)(k - array) + strlen("_compat")) : xstrdup("hw_compat");
}

/* The commit a followup-compat item names: "follow-up 1a2b3c4d5e6f (Fixes: ...". */
static int followup_commit(struct mt_oid *out, struct mt_repo *repo, const char *detail)
{
	const char *p = strstr(detail, "follow-up ");
	size_t n = 0;

	if (!p)
		return MT_ENOTFOUND;
	p += strlen("follow-up ");
	while (isxdigit((unsigned char)p[n]))
		n++;
	return n >= 7 ? repo_lookup_commit_prefix(out, repo, p, n) : MT_ENOTFOUND;
}

/* The TypeInfo name of the device a file defines, as written (TYPE_X or "name"), or NULL. */
static char *device_type(struct mt_repo *repo, const struct mt_oid *commit, const char *path)
{
	const struct mt_blob *blob;
	struct csrc_file f;
	char *out = NULL;
	size_t i, k;

	if (repo_read_file(&blob, repo, commit, path) < 0) {
		mt_error_clear();
		return NULL;
	}
	memset(&f, 0, sizeof(f));
	if (csrc_parse(&f, path, blob->data, blob->len) < 0) {
		mt_error_clear();
		csrc_file_release(&f);
		return NULL;
	}
	for (i = 0; i < f.ninits && !out; i++) {
		const struct csrc_init *in = &f.inits[i];

		if (in->type == SIZE_MAX || strcmp(csrc_text(&f, &f.toks[in->type]), "TypeInfo"))
			continue;
		for (k = in->open + 1; k + 3 < in->close; k++) {
			const struct csrc_token *v = &f.toks[k + 3];

			if (!csrc_is(&f, &f.toks[k], ".") || !csrc_is(&f, &f.toks[k + 1], "name") ||
			    !csrc_is(&f, &f.toks[k + 2], "="))
				continue;
			if (v->kind == CSRC_STRING) {
				struct strbuf q = STRBUF_INIT;

				strbuf_addf(&q, "\"%s\"", csrc_text(&f, v));
				out = strbuf_detach(&q, NULL);
			} else if (v->kind == CSRC_IDENT) {
				out = xstrdup(csrc_text(&f, v));
			}
			break;
		}
	}
	csrc_file_release(&f);
	return out;
}

/*
 * The entries that keep X.Y as it was: the upstream's (or its follow-up's)
 * for X.Y's arrays, as they wrote them; else each changed default reversed.
 */
static int collect_entries(struct entries *en, struct engine *e, const struct engine_stream *s,
			   const struct engine_backport *b)
{
	size_t i;
	int ret = MT_OK;

	for (i = 0; i < b->evidence.count && ret == MT_OK; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];
		struct strbuf line = STRBUF_INIT, from = STRBUF_INIT;
		struct mt_oid commit;
		char hex[13], *kind;
		bool up = !strcmp(ev->signal, "upstream-compat");

		if ((!up && strcmp(ev->signal, "followup-compat")) || ev->removed ||
		    !ev->has_array_version || ev->array_version.major != s->version.major ||
		    ev->array_version.minor != s->version.minor || ev->line <= 0)
			continue;
		if (up && b->bp->has_upstream) {
			commit = b->bp->upstream;
		} else if (!up && followup_commit(&commit, e->in.repo, ev->detail) == MT_OK) {
			/* found */
		} else {
			mt_error_clear();
			continue;
		}
		ret = line_at(&line, e->in.repo, &commit, ev->path, ev->line);
		oid_to_short(hex, 12, &commit);
		strbuf_addf(&from, "as %s %s put it into %s, %s:%d", up ? "upstream" : "follow-up",
			    hex, ev->array ? ev->array : "its array", ev->path, ev->line);
		if (ret == MT_OK && strchr(line.buf, '{')) {
			kind = array_kind(ev->array);
			entries_add(en, kind, ev->array, line.buf, line.len, from.buf);
			free(kind);
		}
		strbuf_release(&line);
		strbuf_release(&from);
	}
	for (i = 0; !en->n && i < b->evidence.count && ret == MT_OK; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];
		struct strbuf line = STRBUF_INIT, from = STRBUF_INIT;
		char *driver;
		size_t vl;
		const char *v;

		if (strcmp(ev->signal, "property-default") || !ev->subject || !ev->old_value)
			continue;
		driver = device_type(e->in.repo, &b->bp->commit, ev->path);
		if (!driver)
			continue;
		v = ev->old_value;
		vl = strlen(v);
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
			v++;
			vl -= 2;
		}
		strbuf_addf(&line, "    { %s, \"%s\", \"%.*s\" },", driver, ev->subject, (int)vl, v);
		strbuf_addf(&from, "the default before the backport, %s:%d", ev->path, ev->line);
		{
			const char *kind = !strncmp(ev->path, "target/i386/", 12) ? "pc_compat"
										 : "hw_compat";
			struct strbuf shown = STRBUF_INIT;

			strbuf_addf(&shown, "%s_%d_%d", kind, s->version.major, s->version.minor);
			entries_add(en, kind, shown.buf, line.buf, line.len, from.buf);
			strbuf_release(&shown);
		}
		free(driver);
		strbuf_release(&line);
		strbuf_release(&from);
	}
	return ret;
}

/* ---- words ---- */

/* Appends text as lines of at most 72 columns (a longer word stands alone), then a newline. */
static void add_paragraph(struct strbuf *out, const char *text)
{
	size_t col = 0;

	while (*text) {
		size_t n = strcspn(text, " ");

		if (col && col + 1 + n > 72) {
			strbuf_addch(out, '\n');
			col = 0;
		} else if (col) {
			strbuf_addch(out, ' ');
			col++;
		}
		strbuf_add(out, text, n);
		col += n;
		text += n;
		while (*text == ' ')
			text++;
	}
	strbuf_addch(out, '\n');
}

static void describe_backport(struct strbuf *out, const struct engine_stream *s,
			      const struct engine_backport *b)
{
	size_t i, n = 0;
	char hex[13];

	struct strbuf para = STRBUF_INIT;

	oid_to_short(hex, 12, &b->bp->commit);
	strbuf_addf(&para, "The backport %s (\"%s\") to %s changes what guests of the %d.%d "
			   "machine types see.", hex, b->bp->subject, s->stream.name,
		    s->version.major, s->version.minor);
	if (b->bp->has_upstream) {
		oid_to_short(hex, 12, &b->bp->upstream);
		strbuf_addf(&para, " Its upstream commit is %s.", hex);
	}
	add_paragraph(out, para.buf);
	strbuf_release(&para);
	strbuf_addstr(out, "\nEvidence:\n");
	for (i = 0; i < b->evidence.count && n < 8; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];

		if (ev->strength < ABI_LIKELY)
			continue;
		strbuf_addf(out, "  %s:%d: %s [%s]\n", ev->path, ev->line, ev->detail, ev->signal);
		n++;
	}
}

static void trailers(struct strbuf *out, const struct engine_backport *b, const char *fp)
{
	char hex[13];

	oid_to_short(hex, 12, &b->bp->commit);
	strbuf_addf(out, "\nFixes: %s (\"%s\")\n", hex, b->bp->subject);
	if (b->bp->has_upstream) {
		oid_to_short(hex, 12, &b->bp->upstream);
		strbuf_addf(out, "Upstream: %s\n", hex);
	}
	strbuf_addf(out, "Suggested-by: mtcheck suggest (ABI001 finding %s)\n", fp);
}

/* ---- the bugfix series ---- */

struct branch {
	const char *name;
	struct mt_oid tip;
	const struct model *model;
	bool own;
};

static int branches_of(struct branch **out, size_t *n, struct engine *e,
		       const struct engine_stream *s)
{
	size_t i;

	*out = xcalloc(e->nstreams + 2, sizeof(**out));
	*n = 0;
	(*out)[*n].name = s->stream.name;
	(*out)[*n].tip = s->stream.tip;
	(*out)[*n].model = s->tip;
	(*out)[(*n)++].own = true;
	if (e->master) {
		(*out)[*n].name = e->in.history->master_name;
		(*out)[*n].tip = e->in.history->master;
		(*out)[(*n)++].model = e->master;
	}
	for (i = 0; i < e->nstreams; i++) {
		const struct engine_stream *o = &e->streams[i];
		const struct model *m;

		if (!o->maintained || o->stream.kind != STREAM_STABLE ||
		    qversion_cmp(&o->version, &s->version) <= 0)
			continue;
		if (engine_stream_tip(&m, e, o) < 0)
			return MT_ERROR;
		(*out)[*n].name = o->stream.name;
		(*out)[*n].tip = o->stream.tip;
		(*out)[(*n)++].model = m;
	}
	return MT_OK;
}

static int bugfix_patch(struct suggest_series *out, struct engine *e,
			const struct engine_stream *s, const struct engine_backport *b,
			const struct branch *br, const struct suggest_family *fams, size_t nfams,
			const struct entries *en, int micro, const char *fp)
{
	struct edit_tree t;
	struct bugfix_target *targets;
	struct bugfix_request r;
	struct strbuf note = STRBUF_INIT, diff = STRBUF_INIT, names = STRBUF_INIT,
		      families = STRBUF_INIT;
	size_t i, changed = 0, ntargets = 0;
	int ret = MT_OK;

	edit_tree_init(&t, e->in.repo, &br->tip);
	targets = xcalloc(nfams + 1, sizeof(*targets));
	for (i = 0; i < nfams; i++) {
		const struct machine *m;

		if (fams[i].rule)
			continue;
		m = model_family_minor(br->model, fams[i].fam->id, s->version.major,
				       s->version.minor);
		if (!m) {
			strbuf_addf(&note, "%s has no %s %d.%d machine: nothing to add there\n",
				    br->name, fams[i].fam->id, s->version.major, s->version.minor);
			continue;
		}
		targets[ntargets].fam = fams[i].fam;
		targets[ntargets++].path = m->path;
		strbuf_addf(&names, "%s%s.%d", names.len ? ", " : "", m->name, micro);
		strbuf_addf(&families, "%s%s", families.len ? ", " : "", fams[i].fam->id);
	}
	memset(&r, 0, sizeof(r));
	r.fams = e->in.fams;
	r.targets = targets;
	r.ntargets = ntargets;
	r.major = s->version.major;
	r.minor = s->version.minor;
	r.micro = micro;
	r.own_stream = br->own;
	r.entries = en->v;
	r.nentries = en->n;
	r.why = b->bp->subject;
	if (ntargets)
		ret = edit_add_bugfix(&t, &r, &note);
	if (ret < 0) {
		char *why = xstrdup(mt_error_last() ? mt_error_last() : "failed");

		mt_error_set("%s: %s", br->name, why);
		free(why);
	}
	if (ret == MT_OK)
		ret = edit_tree_diff(&diff, &changed, &t);
	if (ret == MT_OK && changed) {
		struct suggest_patch *p = add_patch(out, br->name, &br->tip);
		struct strbuf subj = STRBUF_INIT;

		strbuf_addf(&subj, "%s: add the %d.%d.%d bugfix machine%s of %s", br->name,
			    s->version.major, s->version.minor, micro, ntargets > 1 ? "s" : "",
			    families.buf);
		p->subject = strbuf_detach(&subj, NULL);
		describe_backport(&p->body, s, b);
		strbuf_reset(&subj);
		if (br->own)
			strbuf_addf(&subj, "%s take%s the change; the plain %d.%d machines keep their "
					   "old behaviour through the entries below, so that their "
					   "guests migrate unchanged.", names.buf,
				    ntargets > 1 ? "" : "s", s->version.major, s->version.minor);
		else
			strbuf_addf(&subj, "%s carries %s between %d.%d and the next version, so that "
					   "guests of the bugfix machines of %s can migrate here.",
				    br->name, names.buf, s->version.major, s->version.minor,
				    s->stream.name);
		strbuf_addch(&p->body, '\n');
		add_paragraph(&p->body, subj.buf);
		strbuf_release(&subj);
		if (en->n)
			strbuf_addf(&p->body, "\nCompat entries only the %d.%d machines apply:\n%s",
				    s->version.major, s->version.minor, en->text.buf);
		else
			strbuf_addstr(&p->body, "\nThe evidence names no compat entry: add the ones "
						"that keep the old behaviour.\n");
		if (note.len)
			strbuf_addf(&p->body, "\nNotes:\n%s", note.buf);
		trailers(&p->body, b, fp);
		strbuf_add(&p->diff, diff.buf, diff.len);
	}
	if (note.len)
		strbuf_add(&out->notes, note.buf, note.len);
	edit_tree_release(&t);
	free(targets);
	strbuf_release(&note);
	strbuf_release(&diff);
	strbuf_release(&names);
	strbuf_release(&families);
	return ret;
}

/* ---- the revert ---- */

static int revert_file(struct strbuf *diff, struct strbuf *note, struct engine *e,
		       const struct engine_stream *s, const struct engine_backport *b,
		       const struct mt_oid *parent, const char *path)
{
	const struct mt_blob *mine, *theirs, *ours;
	struct strbuf merged = STRBUF_INIT;
	bool clean = false;
	int ret;

	if ((ret = repo_read_file(&mine, e->in.repo, &b->bp->commit, path)) < 0 ||
	    (ret = repo_read_file(&theirs, e->in.repo, parent, path)) < 0 ||
	    (ret = repo_read_file(&ours, e->in.repo, &s->stream.tip, path)) < 0) {
		if (ret == MT_ENOTFOUND) {
			strbuf_addf(note, "%s: not on both sides of the backport: left alone\n", path);
			return MT_OK;
		}
		return ret;
	}
	ret = repo_merge_texts(&merged, &clean, path, mine->data, mine->len, ours->data, ours->len,
			       theirs->data, theirs->len);
	if (ret == MT_OK && !clean)
		ret = mt_error_set("%s: reverting the backport's hunks conflicts with what %s "
				   "changed since: revert by hand", path, s->stream.name);
	if (ret == MT_OK)
		ret = repo_diff_texts(diff, path, ours->data, ours->len, merged.buf, merged.len);
	strbuf_release(&merged);
	return ret;
}

static int revert_patch(struct suggest_series *out, struct engine *e,
			const struct engine_stream *s, const struct engine_backport *b,
			const struct suggest_family *fams, size_t nfams, const char *fp)
{
	struct mt_commit_info info;
	struct strbuf diff = STRBUF_INIT, note = STRBUF_INIT;
	const char **paths = NULL;
	size_t npaths = 0, i, j;
	char hex[MT_OID_HEXSZ + 1];
	int ret;

	memset(&info, 0, sizeof(info));
	if ((ret = repo_commit_info(&info, e->in.repo, &b->bp->commit)) < 0)
		return ret;
	if (!info.nparents) {
		ret = mt_error_set("%s: a root commit cannot be reverted", b->bp->subject);
		goto out;
	}
	for (i = 0; i < b->evidence.count; i++) {
		const struct abi_evidence *ev = &b->evidence.items[i];
		bool seen = false;

		if (ev->strength < ABI_LIKELY || !strcmp(ev->signal, "upstream-compat") ||
		    !strcmp(ev->signal, "followup-compat"))
			continue;
		for (j = 0; j < npaths; j++)
			seen = seen || !strcmp(paths[j], ev->path);
		if (seen)
			continue;
		paths = xrealloc(paths, (npaths + 1) * sizeof(*paths));
		paths[npaths++] = ev->path;
	}
	for (i = 0; i < npaths && ret == MT_OK; i++)
		ret = revert_file(&diff, &note, e, s, b, &info.parents[0], paths[i]);
	if (ret == MT_OK && diff.len) {
		struct suggest_patch *p = add_patch(out, s->stream.name, &s->stream.tip);
		struct strbuf subj = STRBUF_INIT;

		strbuf_addf(&subj, "%s: revert the guest-visible part of \"%s\"", s->stream.name,
			    b->bp->subject);
		p->subject = strbuf_detach(&subj, NULL);
		describe_backport(&p->body, s, b);
		strbuf_addstr(&p->body, "\nThe policy allows no bugfix machine for it:\n");
		for (i = 0; i < nfams; i++) {
			if (fams[i].rule)
				strbuf_addf(&p->body, "  %s: %s.\n", fams[i].fam->id, fams[i].why);
		}
		oid_to_hex(hex, &b->bp->commit);
		strbuf_addf(&p->body, "\nThis reverts the guest-visible hunks of commit %s\n(%s).\n",
			    hex, "the files the evidence names");
		if (note.len)
			strbuf_addf(&p->body, "\nNotes:\n%s", note.buf);
		trailers(&p->body, b, fp);
		strbuf_add(&p->diff, diff.buf, diff.len);
	}
	if (ret == MT_OK && !diff.len)
		ret = mt_error_set("%s: the backport's guest-visible hunks are no longer in %s",
				   b->bp->subject, s->stream.name);
	strbuf_add(&out->notes, note.buf, note.len);
out:
	commit_info_release(&info);
	free(paths);
	strbuf_release(&diff);
	strbuf_release(&note);
	return ret;
}

int suggest_series(struct suggest_series *out, struct engine *e, const struct finding *f,
		   int micro)
{
	const struct engine_stream *s = e->checked;
	const struct engine_backport *b = f->has_commit ? stream_backport(s, &f->commit) : NULL;
	struct suggest_family *fams = NULL;
	struct branch *branches = NULL;
	struct entries en;
	char fp[FINDING_FINGERPRINT_SIZE];
	struct qversion older;
	size_t nfams = 0, nbranches = 0, i;
	int ret = MT_OK;

	memset(out, 0, sizeof(*out));
	strbuf_init(&out->notes);
	memset(&en, 0, sizeof(en));
	strbuf_init(&en.text);
	if (!b)
		return mt_error_set("suggest: the finding names no backport of %s", s->stream.name);
	finding_fingerprint(fp, f);
	oid_to_short(out->backport, 12, &b->bp->commit);
	out->time = b->bp->time;
	micro = suggest_micro(s, micro);
	if (suggest_about_older(&older, e, b)) {
		/* no patch: write_series says why */
		suggest_older_review(&out->notes, s, &older);
		strbuf_addch(&out->notes, '\n');
		goto out;
	}
	if ((ret = suggest_families(&fams, &nfams, e, b)) < 0)
		goto out;
	for (i = 0; i < nfams; i++)
		out->revert = out->revert || fams[i].rule;
	if (out->revert) {
		ret = revert_patch(out, e, s, b, fams, nfams, fp);
		goto out;
	}
	if (!nfams) {
		ret = mt_error_set("suggest: %s changes no family's %d.%d machines that %s defines",
				   out->backport, s->version.major, s->version.minor,
				   s->stream.name);
		goto out;
	}
	if ((ret = collect_entries(&en, e, s, b)) < 0 ||
	    (ret = branches_of(&branches, &nbranches, e, s)) < 0)
		goto out;
	for (i = 0; i < nbranches && ret == MT_OK; i++)
		ret = bugfix_patch(out, e, s, b, &branches[i], fams, nfams, &en, micro, fp);
out:
	suggest_families_free(fams, nfams);
	free(branches);
	entries_release(&en);
	return ret;
}
