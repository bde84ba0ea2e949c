/*
 * The classifier's entry point: diff a commit against its parent, read both
 * sides of each changed file the signals look at, drop changes that cannot
 * matter (blank after comments and dead code are removed; the same text
 * removed and added in the same block), and hand each file to the signal
 * families.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "machines/machines.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct collect {
	struct abi_file *files;
	size_t count, alloc;
};

static int on_file(const struct mt_diff_file *f, void *payload)
{
	struct collect *c = payload;
	struct abi_file *file;

	ARRAY_GROW(c->files, c->count, c->alloc);
	file = &c->files[c->count++];
	memset(file, 0, sizeof(*file));
	file->status = f->status == 'A' || f->status == 'D' ? f->status : 'M';
	file->path = xstrdup(f->status == 'D' ? f->old_path : f->new_path);
	file->binary = f->binary;
	file->old_blob = f->old_blob;
	file->new_blob = f->new_blob;
	return 0;
}

static int on_line(const struct mt_diff_file *f, const struct mt_diff_line *line, void *payload)
{
	struct collect *c = payload;
	struct abi_file *file = &c->files[c->count - 1];
	struct abi_change *ch;

	(void)f;
	if (line->origin != '+' && line->origin != '-')
		return 0;
	ARRAY_GROW(file->changes, file->nchanges, file->alloc);
	ch = &file->changes[file->nchanges++];
	memset(ch, 0, sizeof(*ch));
	ch->origin = line->origin;
	ch->line = line->origin == '+' ? line->new_lineno : line->old_lineno;
	return 0;
}

const struct abi_side *abi_file_side(const struct abi_file *file, char origin)
{
	return origin == '+' ? &file->new_side : &file->old_side;
}

/* A side csrc cannot read is no error here: it is blank, and scan_file says so. */
static int read_side(struct abi_side *side, struct mt_repo *repo, const struct mt_oid *blob,
		     const char *path)
{
	const struct mt_blob *b;

	if (oid_is_zero(blob)) {
		abi_side_init(side, path, NULL, 0);
		return MT_OK;
	}
	if (repo_read_blob(&b, repo, blob) < 0)
		return MT_ERROR;
	if (abi_side_init(side, path, b->data, b->len) < 0)
		mt_error_clear();
	return MT_OK;
}

static const char *extent_name(const struct abi_extent *e)
{
	return e && e->name ? e->name : "";
}

/*
 * A line removed and the same text (ignoring whitespace) added back in a
 * block of the same name is not a change: whitespace edits, code moved
 * within a function, functions moved within the file. Text moved from one
 * function to another is kept: for machine options that is an ABI change.
 */
static int compare_changes(const void *pa, const void *pb)
{
	const struct abi_change *a = *(const struct abi_change *const *)pa;
	const struct abi_change *b = *(const struct abi_change *const *)pb;
	int c = strcmp(extent_name(a->extent), extent_name(b->extent));

	if (!c)
		c = strcmp(a->key, b->key);
	if (!c)
		c = a < b ? -1 : a > b; /* diff order within a group */
	return c;
}

static void cancel_moves(struct abi_file *file)
{
	struct abi_change **v = xcalloc(file->nchanges + 1, sizeof(*v));
	size_t n = 0, i, j, k;

	for (i = 0; i < file->nchanges; i++) {
		if (file->changes[i].key)
			v[n++] = &file->changes[i];
	}
	qsort(v, n, sizeof(*v), compare_changes);
	for (i = 0; i < n; i = j) {
		size_t minus = 0, plus = 0, pairs;

		for (j = i; j < n && !strcmp(v[j]->key, v[i]->key) &&
			    !strcmp(extent_name(v[j]->extent), extent_name(v[i]->extent)); j++) {
			if (v[j]->origin == '-')
				minus++;
			else
				plus++;
		}
		pairs = minus < plus ? minus : plus;
		minus = plus = pairs;
		for (k = i; k < j; k++) {
			size_t *left = v[k]->origin == '-' ? &minus : &plus;

			if (*left) {
				v[k]->cancelled = true;
				(*left)--;
			}
		}
	}
	free(v);
}

/* Keys, enclosing blocks and cancelled moves for every change, once both sides are read. */
static void prepare_changes(struct abi_file *file)
{
	size_t i;

	file->sides_loaded = true;
	for (i = 0; i < file->nchanges; i++) {
		struct abi_change *ch = &file->changes[i];
		const struct abi_side *side = abi_file_side(file, ch->origin);

		if (abi_side_line_text(side, ch->line, &ch->key, &ch->display))
			ch->extent = abi_side_extent_at(side, ch->line);
	}
	cancel_moves(file);
}

static int load_file(struct abi_file *file, struct mt_repo *repo)
{
	if (read_side(&file->old_side, repo, &file->old_blob, file->path) < 0 ||
	    read_side(&file->new_side, repo, &file->new_blob, file->path) < 0) {
		abi_side_release(&file->old_side); /* read before the new side failed */
		mt_error_prefix("%s", file->path);
		return MT_ERROR;
	}
	prepare_changes(file);
	return MT_OK;
}

/* Whether a path names C source or a header: other files are not expected to read as C. */
static bool is_c_path(const char *path)
{
	size_t n = strlen(path);

	return n > 2 && path[n - 2] == '.' && (path[n - 1] == 'c' || path[n - 1] == 'h');
}

/*
 * A file csrc cannot read on one side gives no evidence at all (comparing a
 * blank side with a read one would invent changes); a C file says so at
 * review level, so the reader knows its changes went unjudged.
 */
static void note_unreadable(struct abi_evidence_list *out, const struct abi_config *config,
			    const struct abi_file *file)
{
	const char *why = file->old_side.unreadable ? file->old_side.unreadable
						    : file->new_side.unreadable;
	struct strbuf detail = STRBUF_INIT;

	if (!config->unreadable || !is_c_path(file->path))
		return;
	strbuf_addf(&detail, "not read as C (%s, %s side): its changes are not judged", why,
		    file->old_side.unreadable ? "old" : "new");
	abi_evidence_add(out, config->unreadable, config->unreadable->strength, file->path, 0,
			 false, NULL, NULL, NULL, detail.buf);
	strbuf_release(&detail);
}

static void scan_file(struct abi_evidence_list *out, const struct abi_config *config,
		      struct abi_file *file)
{
	if (file->old_side.unreadable || file->new_side.unreadable) {
		note_unreadable(out, config, file);
		return;
	}
	abi_machine_scan(out, config, file);
	abi_acpi_code_scan(out, config, file);
	abi_properties_scan(out, config, file);
	abi_regions_scan(out, config, file);
	abi_vmstate_scan(out, config, file);
	abi_guest_scan(out, config, file);
	abi_reset_scan(out, config, file);
	abi_versions_scan(out, config, file);
}

void abi_file_scan_text(struct abi_evidence_list *out, const struct abi_config *config,
			struct abi_file *file, const char *old_text, size_t old_len,
			const char *new_text, size_t new_len)
{
	if (abi_side_init(&file->old_side, file->path, old_text, old_len) < 0)
		mt_error_clear();
	if (abi_side_init(&file->new_side, file->path, new_text, new_len) < 0)
		mt_error_clear();
	prepare_changes(file);
	scan_file(out, config, file);
}

void abi_file_release(struct abi_file *file)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		free(file->changes[i].key);
		free(file->changes[i].display);
	}
	free(file->changes);
	if (file->sides_loaded) {
		abi_side_release(&file->old_side);
		abi_side_release(&file->new_side);
	}
	free(file->path);
}

/* compat-array and machine-latest need the raw text of both sides, not the blanked one. */
static int scan_machines(struct abi_evidence_list *out, struct abi_added_entries *added,
			 struct mt_repo *repo, const struct abi_config *config,
			 const struct families *fams, const struct abi_file *file)
{
	const struct mt_blob *old_blob, *new_blob;

	if (repo_read_blob(&old_blob, repo, &file->old_blob) < 0 ||
	    repo_read_blob(&new_blob, repo, &file->new_blob) < 0) {
		mt_error_prefix("%s", file->path);
		return MT_ERROR;
	}
	return abi_compat_scan(out, added, config, fams, file->path, old_blob->data, old_blob->len,
			       new_blob->data, new_blob->len);
}

/*
 * Code no machine version owns that a commit changes, per C file: the
 * file with the most such lines is where the newer machines' behaviour
 * moves when an older version's function changes with it.
 */
struct shared_file {
	char *path;       /* owned: the file's sides go as soon as it is scanned */
	int line;         /* the first such change */
	size_t n;
};

struct shared_code {
	struct shared_file *v;
	size_t n, alloc;
};

static bool version_item(const struct abi_config *config, const struct abi_evidence *e)
{
	return (config->versions.signal && !strcmp(e->signal, config->versions.signal->id)) ||
	       (config->machine.signal && !strcmp(e->signal, config->machine.signal->id));
}

static bool extent_named(const struct abi_extent *e)
{
	return e && e->kind == ABI_EXTENT_FUNCTION && e->name;
}

/* The function an item of this file is in, NULL when it is in none. */
static const char *item_function(const struct abi_file *file, const struct abi_evidence *e)
{
	const struct abi_extent *x;

	if (strcmp(e->path, file->path) || e->line <= 0)
		return NULL;
	x = abi_side_extent_at(abi_file_side(file, e->removed ? '-' : '+'), e->line);
	return extent_named(x) ? x->name : NULL;
}

/* Whether `name` is the function of some version item of this file (`items`, `n` of them). */
static bool version_function(const struct abi_file *file, const struct abi_evidence *items,
			     size_t n, const struct abi_config *config, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *fn = version_item(config, &items[i]) ? item_function(file, &items[i])
								 : NULL;

		if (fn && !strcmp(fn, name))
			return true;
	}
	return false;
}

/* Whether this function belongs to a machine version: by its name, or by an item in it. */
static bool owned_by_version(const struct abi_file *file, const struct abi_evidence *items,
			     size_t n, const struct abi_config *config, const char *name)
{
	struct qversion v;

	return version_from_identifier(&v, name) == 0 ||
	       version_function(file, items, n, config, name);
}

/*
 * Whether the same text went into a version's function too: the older
 * machines' set-up copied for an unversioned one (isapc gets what pc-0.13
 * gets) holds back, it changes nothing the newer machines run.
 */
static bool copies_version_code(const struct abi_file *file, const struct abi_evidence *items,
				size_t n, const struct abi_config *config,
				const struct abi_change *ch)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *o = &file->changes[i];

		if (o != ch && o->key && !o->cancelled && o->origin == ch->origin &&
		    !strcmp(o->key, ch->key) && extent_named(o->extent) &&
		    owned_by_version(file, items, n, config, o->extent->name))
			return true;
	}
	return false;
}

/*
 * Notes the C file's changes to functions no machine version owns, once
 * the signals scanned it (`items`, `n` of them, are that scan's items).
 */
static void note_shared(struct shared_code *out, const struct abi_config *config,
			const struct abi_file *file, const struct abi_evidence *items, size_t n)
{
	size_t len = strlen(file->path), i;
	struct shared_file f = { NULL, 0, 0 };

	if (len < 2 || strcmp(file->path + len - 2, ".c"))
		return;
	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		/* a function only one side has is a helper of what the commit adds, not shared yet */
		if (!ch->key || ch->cancelled || !abi_line_says_something(ch->key) ||
		    !extent_named(ch->extent) ||
		    !abi_side_find(abi_file_side(file, ch->origin == '+' ? '-' : '+'),
				   ABI_EXTENT_FUNCTION, ch->extent->name) ||
		    owned_by_version(file, items, n, config, ch->extent->name) ||
		    copies_version_code(file, items, n, config, ch))
			continue;
		if (!f.n++)
			f.line = ch->line;
	}
	if (!f.n)
		return;
	f.path = xstrdup(file->path);
	ARRAY_GROW(out->v, out->n, out->alloc);
	out->v[out->n++] = f;
}

/* Gives every version item the file where the commit changed the most shared code. */
static void mark_shared(struct abi_evidence_list *list, const struct abi_config *config,
			const struct shared_code *shared)
{
	const struct shared_file *best = NULL;
	size_t i;

	for (i = 0; i < shared->n; i++) {
		const struct shared_file *f = &shared->v[i];

		if (!best || f->n > best->n || (f->n == best->n && strcmp(f->path, best->path) < 0))
			best = f;
	}
	for (i = 0; best && i < list->count; i++) {
		struct abi_evidence *e = &list->items[i];

		if (!version_item(config, e) || e->shared_path)
			continue;
		e->shared_path = xstrdup(best->path);
		e->shared_line = best->line;
	}
}

struct wanted {
	const struct abi_config *config;
	const struct families *fams;
};

/*
 * Every signal looks only at files some path rule names, so the others are
 * not diffed or read at all: most commits touch none and cost a tree walk.
 */
static bool wants_path(const char *path, void *payload)
{
	const struct wanted *w = payload;

	return abi_wants_source(w->config, path) || abi_wants_machines(w->fams, path) ||
	       abi_wants_acpi(w->config, path);
}

int abi_classify_commit(struct abi_evidence_list *out, struct mt_repo *repo,
			const struct abi_config *config, const struct families *fams,
			const struct mt_oid *commit)
{
	struct abi_added_entries added;
	struct wanted wanted = { config, fams };
	struct shared_code shared = { NULL, 0, 0 };
	size_t before;
	struct collect c;
	struct repo_diff_opts opts = { .want = wants_path, .want_payload = &wanted, .patch = true,
				       .file_cb = on_file, .line_cb = on_line, .payload = &c };
	size_t i;
	int ret;

	memset(&c, 0, sizeof(c));
	memset(&added, 0, sizeof(added));
	ret = repo_diff(repo, commit, &opts);
	if (ret < 0)
		goto out;
	abi_acpi_scan(out, config, c.files, c.count);
	for (i = 0; i < c.count; i++) {
		struct abi_file *file = &c.files[i];

		if (file->status != 'M' || file->binary)
			continue;
		if (abi_wants_machines(fams, file->path)) {
			ret = scan_machines(out, &added, repo, config, fams, file);
			if (ret < 0)
				goto out;
		}
		if (!abi_wants_source(config, file->path))
			continue;
		ret = load_file(file, repo);
		if (ret < 0)
			goto out;
		before = out->count;
		scan_file(out, config, file);
		/* out->items is still NULL when nothing was found yet: no offset from it */
		note_shared(&shared, config, file, out->count > before ? out->items + before : NULL,
			    out->count - before);
		/* Each file's sides are released as soon as it is done: a merge can touch thousands. */
		abi_file_release(file);
		memset(file, 0, sizeof(*file));
	}
	abi_acpi_excuse_configurable(out);
	/* A default changed with a compat entry keeping the old value is the upstream pattern. */
	abi_evidence_cover_defaults(out, added.items, added.count);
	mark_shared(out, config, &shared);
	ret = MT_OK;
out:
	for (i = 0; i < shared.n; i++)
		free(shared.v[i].path);
	free(shared.v);
	for (i = 0; i < c.count; i++)
		abi_file_release(&c.files[i]);
	free(c.files);
	abi_added_entries_release(&added);
	abi_evidence_list_sort(out);
	return ret;
}

static bool machine_file_or_dir(const char *path, void *payload)
{
	return abi_wants_machines(payload, path);
}

/*
 * What classify_backport takes from an upstream commit: the compat-array
 * (and machine-latest) evidence, which comes from the machine files whole.
 * So only those files are found, reading only the trees on their way, and
 * scanned as abi_classify_commit scans them; no text diff is computed.
 */
int abi_classify_machines(struct abi_evidence_list *out, struct mt_repo *repo,
			  const struct abi_config *config, const struct families *fams,
			  const struct mt_oid *commit)
{
	struct abi_added_entries added;
	struct collect c;
	struct repo_diff_opts opts = { .want = machine_file_or_dir, .want_payload = (void *)fams,
				       .prune = true, .patch = true, .file_cb = on_file,
				       .payload = &c };
	size_t i;
	int ret;

	memset(&c, 0, sizeof(c));
	memset(&added, 0, sizeof(added));
	ret = repo_diff(repo, commit, &opts);
	for (i = 0; ret == 0 && i < c.count; i++) {
		if (c.files[i].status == 'M' && !c.files[i].binary)
			ret = scan_machines(out, &added, repo, config, fams, &c.files[i]);
	}
	for (i = 0; i < c.count; i++)
		abi_file_release(&c.files[i]);
	free(c.files);
	abi_added_entries_release(&added);
	abi_evidence_list_sort(out);
	return ret;
}

/* Whether the backport itself carries the same compat entry (the stable branch has the array). */
bool abi_backport_carries(const struct abi_evidence_list *own, const struct abi_evidence *e)
{
	size_t i;

	for (i = 0; i < own->count; i++) {
		const struct abi_evidence *o = &own->items[i];

		if (!strcmp(o->signal, "compat-array") && !o->removed && o->array && e->array &&
		    !strcmp(o->array, e->array) && o->subject && !strcmp(o->subject, e->subject) &&
		    o->new_value && e->new_value && !strcmp(o->new_value, e->new_value))
			return true;
	}
	return false;
}

bool abi_entry_holds_back(const struct abi_evidence_list *own, const struct abi_evidence *e,
			  const struct qversion *stream)
{
	/* Only entries hold machines back; a new empty array (no subject) does not. */
	return !strcmp(e->signal, "compat-array") && !e->removed && e->subject &&
	       e->has_array_version && abi_version_at_or_above(&e->array_version, stream) &&
	       !abi_backport_carries(own, e);
}

void abi_add_held_entry(struct abi_evidence_list *out, const struct abi_signal *signal,
			const struct abi_evidence *e, const char *detail)
{
	struct abi_evidence *item;

	abi_evidence_add(out, signal, signal->strength, e->path, e->line, false, e->subject,
			 e->old_value, e->new_value, detail);
	item = &out->items[out->count - 1];
	item->array = xstrdup(e->array);
	item->has_array_version = true;
	item->array_version = e->array_version;
}

/*
 * Whether the backport's own diff gives the property the value upstream's
 * compat entry keeps for these machines (a conflict resolved by changing
 * the default instead, "removed the 1.6 compat properties"): the backport's
 * own diff decides, and its own evidence says what it does.
 */
static bool backport_keeps_value(const struct abi_evidence_list *own, const struct abi_evidence *e)
{
	char *want = e->new_value ? abi_canonical_value(e->new_value) : NULL;
	bool kept = false;
	size_t i;

	for (i = 0; want && !kept && i < own->count; i++) {
		const struct abi_evidence *o = &own->items[i];
		char *value;

		if ((strcmp(o->signal, "property-added") && strcmp(o->signal, "property-default")) ||
		    !o->subject || !o->new_value || strcmp(o->subject, e->subject))
			continue;
		value = abi_canonical_value(o->new_value);
		kept = !strcmp(value, want);
		free(value);
	}
	free(want);
	return kept;
}

bool abi_version_at_or_above(const struct qversion *v, const struct qversion *stream)
{
	return v->major > stream->major ||
	       (v->major == stream->major && v->minor >= stream->minor);
}

/*
 * A subsection without .needed on a stream older than the release whose
 * save loop sends it: it never reaches the wire there, so the change it was
 * added to mark (state whose meaning moved, "the source had the bug fixed")
 * travels unmarked, and a release on either side of the backport misreads
 * the other's state. Still a change; the detail says why.
 */
static void never_sent(struct abi_evidence *e, const struct qversion *since)
{
	struct strbuf detail = STRBUF_INIT;

	strbuf_addf(&detail, "%s; never sent before %d.%d (the save loop stops at it), so what it "
		    "marks migrates unmarked", e->detail, since->major, since->minor);
	free(e->detail);
	e->detail = strbuf_detach(&detail, NULL);
}

void abi_judge_for_stream(struct abi_evidence_list *list, const struct abi_config *config,
			  const struct qversion *stream)
{
	const struct abi_vmstate_rules *v = &config->vmstate;
	size_t i, kept = 0;

	for (i = 0; i < list->count; i++) {
		struct abi_evidence *e = &list->items[i];

		if (!strcmp(e->signal, config->machine.signal->id))
			abi_machine_judge(e, stream);
		if (v->has_unneeded_sent_from && !strcmp(e->signal, v->subsection->id) &&
		    e->new_value && !strcmp(e->new_value, ABI_SUBSECTION_UNNEEDED) &&
		    !abi_version_at_or_above(stream, &v->unneeded_sent_from))
			never_sent(e, &v->unneeded_sent_from);
		list->items[kept++] = *e;
	}
	list->count = kept;
}

bool abi_wants_upstream(const struct abi_config *config)
{
	return abi_config_signal(config, "upstream-compat") != NULL;
}

void abi_add_upstream_compat(struct abi_evidence_list *out, const struct abi_config *config,
			     const struct abi_evidence_list *theirs, const struct mt_oid *upstream,
			     const struct qversion *stream)
{
	const struct abi_signal *signal = abi_config_signal(config, "upstream-compat");
	char hex[13];
	size_t i;

	oid_to_short(hex, 12, upstream);
	for (i = 0; signal && i < theirs->count; i++) {
		const struct abi_evidence *e = &theirs->items[i];
		struct strbuf detail = STRBUF_INIT;

		if (!abi_entry_holds_back(out, e, stream) || backport_keeps_value(out, e))
			continue;
		strbuf_addf(&detail, "upstream %s: %s", hex, e->detail);
		abi_add_held_entry(out, signal, e, detail.buf);
		strbuf_release(&detail);
	}
	abi_evidence_list_sort(out);
}

int abi_classify_backport(struct abi_evidence_list *out, struct mt_repo *repo,
			  const struct abi_config *config, const struct families *fams,
			  const struct mt_oid *backport, const struct mt_oid *upstream,
			  const struct qversion *stream)
{
	struct abi_evidence_list theirs;
	int ret;

	ret = abi_classify_commit(out, repo, config, fams, backport);
	if (ret == 0)
		abi_judge_for_stream(out, config, stream);
	if (ret < 0 || !upstream || !abi_wants_upstream(config))
		return ret;
	abi_evidence_list_init(&theirs);
	ret = abi_classify_machines(&theirs, repo, config, fams, upstream);
	if (ret == 0)
		abi_add_upstream_compat(out, config, &theirs, upstream, stream);
	else
		abi_evidence_list_sort(out);
	abi_evidence_list_release(&theirs);
	return ret;
}
