/*
 * The text of a bugfix machine X.Y.Z, written into a branch's files the way
 * QEMU has done it: a copy of X.Y's options function under the X.Y.Z name,
 * the family's definition call for X.Y.Z right above X.Y, X.Y's options
 * reduced to "X.Y.Z plus what only X.Y keeps", and the compat entries that
 * keep X.Y as it was in arrays only X.Y applies (the v4.0.1 shape:
 * hw_compat_4_0_1 shared, hw_compat_4_0 for 4.0 alone).
 *
 * Files are edited as lines; csrc finds the calls, functions and defines,
 * so text in comments or #if 0 is never taken for code.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machines/csrc.h"
#include "suggest_internal.h"
#include "util/error.h"
#include "util/xalloc.h"

void edit_tree_init(struct edit_tree *t, struct mt_repo *repo, const struct mt_oid *commit)
{
	memset(t, 0, sizeof(*t));
	t->repo = repo;
	t->commit = *commit;
}

void edit_tree_release(struct edit_tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].path);
		strbuf_release(&t->v[i].old);
		strbuf_release(&t->v[i].text);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

int edit_tree_file(struct edit_file **out, struct edit_tree *t, const char *path)
{
	const struct mt_blob *blob;
	struct edit_file *f;
	size_t i;
	int ret;

	*out = NULL;
	for (i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].path, path)) {
			*out = &t->v[i];
			return MT_OK;
		}
	}
	ret = repo_read_file(&blob, t->repo, &t->commit, path);
	if (ret < 0)
		return ret;
	ARRAY_GROW(t->v, t->n, t->alloc);
	f = &t->v[t->n++];
	f->path = xstrdup(path);
	strbuf_init(&f->old);
	strbuf_init(&f->text);
	strbuf_add(&f->old, blob->data, blob->len);
	strbuf_add(&f->text, blob->data, blob->len);
	*out = f;
	return MT_OK;
}

static int cmp_file_path(const void *a, const void *b)
{
	return strcmp((*(const struct edit_file *const *)a)->path,
		      (*(const struct edit_file *const *)b)->path);
}

int edit_tree_diff(struct strbuf *out, size_t *changed, const struct edit_tree *t)
{
	const struct edit_file **v = xcalloc(t->n + 1, sizeof(*v));
	size_t i;
	int ret = MT_OK;

	*changed = 0;
	for (i = 0; i < t->n; i++)
		v[i] = &t->v[i];
	qsort(v, t->n, sizeof(*v), cmp_file_path);
	for (i = 0; i < t->n && ret == MT_OK; i++) {
		const struct edit_file *f = v[i];

		if (f->old.len == f->text.len && !memcmp(f->old.buf, f->text.buf, f->old.len))
			continue;
		ret = repo_diff_texts(out, f->path, f->old.buf, f->old.len, f->text.buf, f->text.len);
		(*changed)++;
	}
	free(v);
	return ret;
}

/* ---- lines ---- */

/* Offset of the start of 1-based line n; the text's length past its end. */
static size_t line_start(const struct strbuf *t, int n)
{
	size_t off = 0;
	int line = 1;

	while (line < n && off < t->len) {
		const char *nl = memchr(t->buf + off, '\n', t->len - off);

		if (!nl)
			return t->len;
		off = (size_t)(nl - t->buf) + 1;
		line++;
	}
	return off;
}

/* Offset just past line n's newline. */
static size_t line_after(const struct strbuf *t, int n)
{
	return line_start(t, n + 1);
}

/* Replaces [off, off + del) of t with ins. */
static void splice(struct strbuf *t, size_t off, size_t del, const char *ins, size_t inslen)
{
	struct strbuf n = STRBUF_INIT;

	strbuf_add(&n, t->buf, off);
	strbuf_add(&n, ins, inslen);
	strbuf_add(&n, t->buf + off + del, t->len - off - del);
	strbuf_release(t);
	*t = n;
}

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Every whole-word `word` in text[0, len) replaced by `with` (only the first when `once`). */
static void replace_word(struct strbuf *out, const char *text, size_t len, const char *word,
			 const char *with, bool once)
{
	size_t wl = strlen(word), i = 0;
	bool done = false;

	while (i < len) {
		if (!done && i + wl <= len && !memcmp(text + i, word, wl) &&
		    (i == 0 || !ident_char(text[i - 1])) &&
		    (i + wl == len || !ident_char(text[i + wl]))) {
			strbuf_addstr(out, with);
			i += wl;
			done = once;
			continue;
		}
		strbuf_addch(out, text[i++]);
	}
}

/* Whether text[0, len) holds lit. */
static bool contains(const char *text, size_t len, const char *lit)
{
	size_t n = strlen(lit), i;

	for (i = 0; i + n <= len; i++) {
		if (!memcmp(text + i, lit, n))
			return true;
	}
	return false;
}

static bool has_word(const char *text, size_t len, const char *word)
{
	struct strbuf probe = STRBUF_INIT;
	bool found;

	replace_word(&probe, text, len, word, "", true);
	found = probe.len != len;
	strbuf_release(&probe);
	return found;
}

/* The line's text without surrounding blanks and a trailing comma, blanks inside removed. */
static void entry_key(struct strbuf *out, const char *line, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (!isspace((unsigned char)line[i]))
			strbuf_addch(out, line[i]);
	}
	while (out->len && out->buf[out->len - 1] == ',')
		strbuf_setlen(out, out->len - 1);
}

/* The 1-based number of the first line of t starting (after blanks) with `prefix`, 0 if none. */
static int find_line(const struct strbuf *t, const char *prefix, int from)
{
	size_t off = line_start(t, from), pl = strlen(prefix);
	int line = from;

	while (off < t->len) {
		const char *p = t->buf + off, *nl = memchr(p, '\n', t->len - off);
		size_t len = nl ? (size_t)(nl - p) : t->len - off;

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len >= pl && !memcmp(p, prefix, pl))
			return line;
		if (!nl)
			break;
		off = (size_t)(nl - t->buf) + 1;
		line++;
	}
	return 0;
}

static void line_text(const char **out, size_t *len, const struct strbuf *t, int n)
{
	size_t a = line_start(t, n), b = line_after(t, n);

	*out = t->buf + a;
	*len = b - a;
	if (*len && (*out)[*len - 1] == '\n')
		(*len)--;
}

/* ---- compat arrays ---- */

struct array_change {
	char *prefix;   /* "hw_compat" */
	bool applied;   /* X.Y now applies prefix_X_Y of its own */
};

/* The first of the tree's compat files holding a line that starts with `prefix`. */
static int compat_file_with(struct edit_file **out, int *line, struct edit_tree *t,
			    const struct families *fams, const char *prefix)
{
	size_t i;

	for (i = 0; i < fams->ncompat_paths; i++) {
		struct edit_file *f;
		int ret = edit_tree_file(&f, t, fams->compat_paths[i]);

		if (ret == MT_ENOTFOUND)
			continue;
		if (ret < 0)
			return ret;
		if ((*line = find_line(&f->text, prefix, 1))) {
			*out = f;
			return MT_OK;
		}
	}
	return MT_ENOTFOUND;
}

/* Whether line n of t is one of the wanted entries (of this array kind). */
static bool wanted_entry(const struct bugfix_request *r, const char *prefix, const char *line,
			 size_t len)
{
	struct strbuf key = STRBUF_INIT, want = STRBUF_INIT;
	bool found = false;
	size_t i;

	entry_key(&key, line, len);
	for (i = 0; i < r->nentries && !found && key.len; i++) {
		if (strcmp(r->entries[i].array, prefix))
			continue;
		strbuf_reset(&want);
		entry_key(&want, r->entries[i].text, strlen(r->entries[i].text));
		found = !strcmp(key.buf, want.buf);
	}
	strbuf_release(&key);
	strbuf_release(&want);
	return found;
}

/* Appends the declarations of `name` in the header form, a blank line after them. */
static void declare(struct strbuf *out, const char *name)
{
	strbuf_addf(out, "extern GlobalProperty %s[];\nextern const size_t %s_len;\n\n", name, name);
}

/* Adds the declarations of `name` before the header line starting with `before`. */
static int declare_before(struct edit_tree *t, const struct families *fams, const char *before,
			  const char *name)
{
	struct edit_file *f;
	struct strbuf decl = STRBUF_INIT;
	int line, ret = compat_file_with(&f, &line, t, fams, before);

	/* a tree without declarations (a fixture) needs none */
	if (ret < 0)
		return ret == MT_ENOTFOUND ? MT_OK : ret;
	declare(&decl, name);
	splice(&f->text, line_start(&f->text, line), 0, decl.buf, decl.len);
	strbuf_release(&decl);
	return MT_OK;
}

/* The stream's own branch: prefix_X_Y[] made with the entries, above the newest array. */
static int create_array(struct edit_tree *t, const struct bugfix_request *r, const char *prefix,
			const char *name)
{
	struct edit_file *f;
	struct strbuf def = STRBUF_INIT, marker = STRBUF_INIT;
	size_t i;
	int line, ret;

	strbuf_addf(&marker, "GlobalProperty %s_", prefix);
	ret = compat_file_with(&f, &line, t, r->fams, marker.buf);
	if (ret < 0) {
		if (ret == MT_ENOTFOUND)
			ret = mt_error_set("no %s_X_Y array to put %s beside (compat arrays of "
					   "this era are not written by suggest)", prefix, name);
		goto out;
	}
	strbuf_addf(&def, "GlobalProperty %s[] = {\n", name);
	for (i = 0; i < r->nentries; i++) {
		if (!strcmp(r->entries[i].array, prefix))
			strbuf_addf(&def, "%s\n", r->entries[i].text);
	}
	strbuf_addf(&def, "};\nconst size_t %s_len = G_N_ELEMENTS(%s);\n\n", name, name);
	splice(&f->text, line_start(&f->text, line), 0, def.buf, def.len);
	strbuf_reset(&marker);
	strbuf_addf(&marker, "extern GlobalProperty %s_", prefix);
	ret = declare_before(t, r->fams, marker.buf, name);
out:
	strbuf_release(&def);
	strbuf_release(&marker);
	return ret;
}

/* Every `compat_props_add(..., name, name_len)` line of the family files preceded by shared's. */
static int apply_shared_everywhere(struct edit_tree *t, const struct families *fams,
				   const char *name, const char *shared)
{
	struct strbuf len_name = STRBUF_INIT, shared_len = STRBUF_INIT;
	size_t i, j;
	int ret = MT_OK;

	strbuf_addf(&len_name, "%s_len", name);
	strbuf_addf(&shared_len, "%s_len", shared);
	for (i = 0; i < fams->n && ret == MT_OK; i++) {
		for (j = 0; j < fams->v[i].npaths && ret == MT_OK; j++) {
			struct edit_file *f;
			int line = 1;

			ret = edit_tree_file(&f, t, fams->v[i].paths[j]);
			if (ret == MT_ENOTFOUND) {
				ret = MT_OK;
				continue;
			}
			if (ret < 0)
				break;
			while ((line = find_line(&f->text, "compat_props_add(", line))) {
				const char *p;
				size_t len;
				struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

				line_text(&p, &len, &f->text, line);
				if (!has_word(p, len, name) || has_word(p, len, shared)) {
					line++;
					continue;
				}
				replace_word(&a, p, len, name, shared, false);
				replace_word(&b, a.buf, a.len, len_name.buf, shared_len.buf, false);
				strbuf_addch(&b, '\n');
				splice(&f->text, line_start(&f->text, line), 0, b.buf, b.len);
				strbuf_release(&a);
				strbuf_release(&b);
				line += 2;
			}
		}
	}
	strbuf_release(&len_name);
	strbuf_release(&shared_len);
	return ret;
}

/*
 * Master or a newer stream: prefix_X_Y[] holds the entries among others.
 * The others move to prefix_X_Y_Z[] (the arrays X.Y.Z and older apply), the
 * entries stay in prefix_X_Y[] (X.Y alone). *applied: some entry was there.
 */
static int split_array(bool *applied, struct edit_tree *t, const struct bugfix_request *r,
		       const char *prefix, const char *name, const char *shared, int line,
		       struct edit_file *f)
{
	struct strbuf kept = STRBUF_INIT, moved = STRBUF_INIT, len_line = STRBUF_INIT,
		      decl = STRBUF_INIT;
	const char *p;
	size_t len, from, to;
	int end = line, len_at;
	int ret = MT_OK;

	*applied = false;
	/* the array's lines: its definition to the line closing it */
	for (;;) {
		line_text(&p, &len, &f->text, end);
		if (contains(p, len, "};") || end > line + 100000)
			break;
		end++;
		if (line_start(&f->text, end) >= f->text.len)
			return MT_OK;
	}
	for (int n = line + 1; n < end; n++) {
		line_text(&p, &len, &f->text, n);
		if (wanted_entry(r, prefix, p, len)) {
			strbuf_add(&moved, p, len);
			strbuf_addch(&moved, '\n');
			*applied = true;
		} else {
			strbuf_add(&kept, p, len);
			strbuf_addch(&kept, '\n');
		}
	}
	if (!*applied)
		goto out;
	strbuf_addf(&len_line, "%s_len", name);
	len_at = find_line(&f->text, "const size_t", end + 1);
	line_text(&p, &len, &f->text, len_at);
	if (!len_at || !has_word(p, len, len_line.buf)) {
		ret = mt_error_set("%s: %s[] is not followed by its %s", f->path, name, len_line.buf);
		goto out;
	}
	/* prefix_X_Y_Z[] = the rest; prefix_X_Y[] = the entries, right after it */
	{
		struct strbuf text = STRBUF_INIT;

		strbuf_addf(&text, "GlobalProperty %s[] = {\n%s};\n", shared, kept.buf);
		strbuf_addf(&text, "const size_t %s_len = G_N_ELEMENTS(%s);\n\n", shared, shared);
		strbuf_addf(&text, "GlobalProperty %s[] = {\n%s};\n", name, moved.buf);
		from = line_start(&f->text, line);
		to = line_start(&f->text, len_at);
		splice(&f->text, from, to - from, text.buf, text.len);
		strbuf_release(&text);
	}
	strbuf_reset(&decl);
	strbuf_addf(&decl, "extern GlobalProperty %s[];", name);
	ret = declare_before(t, r->fams, decl.buf, shared);
	if (ret == MT_OK)
		ret = apply_shared_everywhere(t, r->fams, name, shared);
out:
	strbuf_release(&kept);
	strbuf_release(&moved);
	strbuf_release(&len_line);
	strbuf_release(&decl);
	return ret;
}

/* Puts the entries where X.Y alone applies them, per array kind; fills `changes`. */
static int place_entries(struct array_change **changes, size_t *nchanges, struct edit_tree *t,
			 const struct bugfix_request *r, struct strbuf *note)
{
	size_t i, j;
	int ret = MT_OK;

	*changes = NULL;
	*nchanges = 0;
	for (i = 0; i < r->nentries && ret == MT_OK; i++) {
		const char *prefix = r->entries[i].array;
		struct strbuf name = STRBUF_INIT, shared = STRBUF_INIT, marker = STRBUF_INIT;
		struct edit_file *f;
		bool seen = false, applied = false;
		int line;

		for (j = 0; j < *nchanges; j++)
			seen = seen || !strcmp((*changes)[j].prefix, prefix);
		if (seen)
			continue;
		strbuf_addf(&name, "%s_%d_%d", prefix, r->major, r->minor);
		strbuf_addf(&shared, "%s_%d", name.buf, r->micro);
		strbuf_addf(&marker, "GlobalProperty %s[]", name.buf);
		ret = compat_file_with(&f, &line, t, r->fams, marker.buf);
		if (ret == MT_OK) {
			ret = split_array(&applied, t, r, prefix, name.buf, shared.buf, line, f);
			if (ret == MT_OK && !applied)
				strbuf_addf(note, "%s here lacks the entries: %d.%d.%d is %d.%d "
						  "on this branch\n", name.buf, r->major, r->minor,
					    r->micro, r->major, r->minor);
		} else if (ret == MT_ENOTFOUND && r->own_stream) {
			ret = create_array(t, r, prefix, name.buf);
			applied = ret == MT_OK;
		} else if (ret == MT_ENOTFOUND) {
			strbuf_addf(note, "no %s here: %d.%d.%d is %d.%d on this branch\n",
				    name.buf, r->major, r->minor, r->micro, r->major, r->minor);
			ret = MT_OK;
		}
		*changes = xrealloc(*changes, (*nchanges + 1) * sizeof(**changes));
		(*changes)[*nchanges].prefix = xstrdup(prefix);
		(*changes)[*nchanges].applied = applied;
		(*nchanges)++;
		strbuf_release(&name);
		strbuf_release(&shared);
		strbuf_release(&marker);
	}
	return ret;
}

/* ---- the family file ---- */

static const struct family_call *shape_of(const struct family *fam, const struct csrc_file *f,
					  const struct csrc_call *call)
{
	const char *macro = csrc_text(f, &f->toks[call->name]);
	size_t i;

	for (i = 0; i < fam->ncalls; i++) {
		if (!strcmp(fam->calls[i].macro, macro) && fam->calls[i].nargs == call->nargs)
			return &fam->calls[i];
	}
	return NULL;
}

static bool arg_is(const struct csrc_file *f, const struct csrc_range *a, enum csrc_kind kind,
		   const char *text)
{
	return a->last == a->first + 1 && f->toks[a->first].kind == kind &&
	       !strcmp(csrc_text(f, &f->toks[a->first]), text);
}

/* Whether the call defines the release machine X.Y of the family. */
static bool defines_release(const struct family *fam, const struct family_call *shape,
			    const struct csrc_file *f, const struct csrc_call *call, int X, int Y)
{
	char x[16], y[16], v[40], name[160];
	bool named = false;
	size_t i, k;

	snprintf(x, sizeof(x), "%d", X);
	snprintf(y, sizeof(y), "%d", Y);
	snprintf(v, sizeof(v), "%d.%d", X, Y);
	for (i = 0; i < shape->nargs; i++) {
		const struct csrc_range *a = &call->args[i];

		switch (shape->args[i]) {
		case ROLE_MAJOR:
			if (!arg_is(f, a, CSRC_NUMBER, x))
				return false;
			named = true;
			break;
		case ROLE_MINOR:
			if (!arg_is(f, a, CSRC_NUMBER, y))
				return false;
			break;
		case ROLE_MICRO:
		case ROLE_TAG:
			return false;
		case ROLE_VERSION:
			if (!arg_is(f, a, CSRC_STRING, v))
				return false;
			named = true;
			break;
		case ROLE_NAME:
			for (k = 0; k < fam->nprefixes; k++) {
				snprintf(name, sizeof(name), "%s%s", fam->prefixes[k], v);
				named = named || arg_is(f, a, CSRC_STRING, name);
			}
			if (!named)
				return false;
			break;
		default:
			break;
		}
	}
	return named;
}

static const struct family_call *shape_with(const struct family *fam, bool micro, bool latest)
{
	size_t i;

	for (i = 0; i < fam->ncalls; i++) {
		const struct family_call *c = &fam->calls[i];

		if (c->nargs == (micro ? 3u : 2u) && c->args[0] == ROLE_MAJOR &&
		    c->args[1] == ROLE_MINOR && (!micro || c->args[2] == ROLE_MICRO) &&
		    (c->latest == LATEST_YES) == latest)
			return c;
	}
	return NULL;
}

/* "pc_q35_4_0_machine_options" -> "pc_q35_4_0_1_machine_options" */
static int bugfix_function_name(struct strbuf *out, const char *fn, int X, int Y, int Z)
{
	char key[40];
	const char *p = fn;
	size_t kl;

	snprintf(key, sizeof(key), "_%d_%d", X, Y);
	kl = strlen(key);
	while ((p = strstr(p, key))) {
		if (p[kl] == '_' || p[kl] == '\0') {
			strbuf_add(out, fn, (size_t)(p - fn) + kl);
			strbuf_addf(out, "_%d%s", Z, p + kl);
			return MT_OK;
		}
		p++;
	}
	return mt_error_set("options function %s does not name version %d.%d", fn, X, Y);
}

/* The line a definition starts on: its first specifier (`static void`), a comment above included. */
static int definition_start(const struct strbuf *text, const struct csrc_file *f, size_t name,
			    bool with_comment)
{
	size_t k = name;
	int line;

	while (k > 0 && (f->toks[k - 1].kind == CSRC_IDENT || csrc_is(f, &f->toks[k - 1], "*")) &&
	       f->toks[k - 1].line >= f->toks[name].line - 1)
		k--;
	line = f->toks[k].line;
	if (with_comment && line > 1) {
		const char *p;
		size_t len;
		int n = line - 1;

		line_text(&p, &len, text, n);
		while (len && isspace((unsigned char)p[len - 1]))
			len--;
		if (len >= 2 && !memcmp(p + len - 2, "*/", 2)) {
			while (n > 1) {
				line_text(&p, &len, text, n);
				while (len && isspace((unsigned char)*p)) {
					p++;
					len--;
				}
				if (len >= 2 && !memcmp(p, "/*", 2))
					break;
				n--;
			}
			line = n;
		}
	}
	return line;
}

/* The define of `macro` derived from the family's release macro: one more argument, micro. */
static int derive_define(struct strbuf *out, int *after, const struct strbuf *text,
			 const char *macro, const char *release)
{
	struct strbuf head = STRBUF_INIT, def = STRBUF_INIT;
	const char *p, *last;
	size_t len;
	int first, n;
	int ret = MT_OK;

	strbuf_addf(&head, "#define %s(", release);
	first = find_line(text, head.buf, 1);
	if (!first) {
		ret = mt_error_set("no '#define %s(major, minor)' to derive %s from", release, macro);
		goto out;
	}
	for (n = first;; n++) {
		line_text(&p, &len, text, n);
		strbuf_add(&def, p, len);
		strbuf_addch(&def, '\n');
		if (!len || p[len - 1] != '\\' || line_start(text, n + 1) >= text->len)
			break;
	}
	*after = n;
	/* the name and its parameters, then the micro passed on where minor is */
	p = strstr(def.buf, head.buf);
	last = NULL;
	{
		const char *close = strchr(p, ')');
		const char *q = def.buf;

		if (!close) {
			ret = mt_error_set("#define %s: no parameter list", release);
			goto out;
		}
		while ((q = strstr(q, "minor)")))
			last = q++;
		if (!last || last < close) {
			ret = mt_error_set("#define %s does not pass 'minor)' on: cannot derive %s",
					   release, macro);
			goto out;
		}
		strbuf_add(out, def.buf, (size_t)(p - def.buf));
		strbuf_addf(out, "#define %s(", macro);
		strbuf_add(out, p + head.len, (size_t)(close - p - head.len));
		strbuf_addstr(out, ", micro");
		strbuf_add(out, close, (size_t)(last - close) + strlen("minor"));
		strbuf_addstr(out, ", micro");
		strbuf_addstr(out, last + strlen("minor"));
	}
out:
	strbuf_release(&head);
	strbuf_release(&def);
	return ret;
}

/* The X.Y.Z definition call, from X.Y's call; `latest` keeps the latest argument as X.Y had it. */
static int bugfix_call(struct strbuf *out, const struct family *fam,
		       const struct family_call *shape, const struct csrc_file *f,
		       const struct csrc_call *call, const char *call_text, size_t call_len,
		       const char *fn, const char *fnz, const struct bugfix_request *r)
{
	size_t i;

	if (shape->args[0] == ROLE_MAJOR) {
		const struct family_call *b = shape_with(fam, true, false);
		size_t ws = 0;

		if (!b)
			return mt_error_set("rules/families.json: family %s has no bugfix macro "
					    "(major, minor, micro)", fam->id);
		while (ws < call_len && (call_text[ws] == ' ' || call_text[ws] == '\t'))
			ws++;
		strbuf_add(out, call_text, ws);
		strbuf_addf(out, "%s(%d, %d, %d)", b->macro, r->major, r->minor, r->micro);
		while (call_len && isspace((unsigned char)call_text[call_len - 1]))
			call_len--;
		if (call_len && call_text[call_len - 1] == ';')
			strbuf_addch(out, ';');
		strbuf_addch(out, '\n');
		return MT_OK;
	}
	/* string-named forms: the same call with the X.Y.Z names */
	strbuf_add(out, call_text, call_len);
	for (i = 0; i < shape->nargs; i++) {
		const struct csrc_range *a = &call->args[i];
		const char *s = a->last > a->first ? csrc_text(f, &f->toks[a->first]) : "";
		struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, next = STRBUF_INIT;

		switch (shape->args[i]) {
		case ROLE_SUFFIX:
			strbuf_addf(&to, "%s_%d", s, r->micro);
			replace_word(&next, out->buf, out->len, s, to.buf, true);
			break;
		case ROLE_NAME:
		case ROLE_VERSION: {
			const char *at;

			strbuf_addf(&from, "\"%s\"", s);
			strbuf_addf(&to, "\"%s.%d\"", s, r->micro);
			at = strstr(out->buf, from.buf);
			if (!at)
				return mt_error_set("cannot rewrite the call of %s", s);
			strbuf_add(&next, out->buf, (size_t)(at - out->buf));
			strbuf_addstr(&next, to.buf);
			strbuf_addstr(&next, at + from.len);
			break;
		}
		case ROLE_OPTIONS:
			replace_word(&next, out->buf, out->len, fn, fnz, true);
			break;
		default:
			strbuf_release(&from);
			strbuf_release(&to);
			continue;
		}
		strbuf_release(out);
		*out = next;
		strbuf_release(&from);
		strbuf_release(&to);
	}
	return MT_OK;
}

/* In X.Y's call, the latest argument made false (X.Y.Z takes it); false when it was not true. */
static bool call_unlatest(struct strbuf *out, const struct family_call *shape,
			  const struct csrc_file *f, const struct csrc_call *call,
			  const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < shape->nargs; i++) {
		const struct csrc_range *a = &call->args[i];
		const char *s;
		const char *at = NULL, *q = text;

		if (shape->args[i] != ROLE_LATEST || a->last != a->first + 1)
			continue;
		s = csrc_text(f, &f->toks[a->first]);
		if (strcmp(s, "true") && strcmp(s, "1"))
			return false;
		/* the last whole word `s` of the call */
		while ((q = strstr(q, s)) && q < text + len) {
			if ((q == text || !ident_char(q[-1])) && !ident_char(q[strlen(s)]))
				at = q;
			q++;
		}
		if (!at)
			return false;
		strbuf_add(out, text, (size_t)(at - text));
		strbuf_addstr(out, !strcmp(s, "1") ? "0" : "false");
		strbuf_add(out, at + strlen(s), len - (size_t)(at - text) - strlen(s));
		return true;
	}
	return false;
}

/* The last identifier of a function's parameter list: `m` of (MachineClass *m). */
static const char *param_name(const struct csrc_file *f, const struct csrc_func *fn)
{
	size_t k;

	for (k = fn->open; k > fn->name; k--) {
		if (f->toks[k].kind == CSRC_IDENT)
			return csrc_text(f, &f->toks[k]);
	}
	return "m";
}

/* Whether text sets `->field = ` to something other than NULL/0/false. */
static bool sets_field(const char *text, const char *field)
{
	const char *p = text;
	size_t fl = strlen(field);

	while ((p = strstr(p, "->"))) {
		p += 2;
		if (strncmp(p, field, fl) || ident_char(p[fl]))
			continue;
		p += fl;
		while (*p == ' ')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ')
			p++;
		if (strncmp(p, "NULL", 4) && strncmp(p, "0;", 2) && strncmp(p, "false", 5))
			return true;
	}
	return false;
}

static void comment_text(struct strbuf *out, const struct bugfix_request *r)
{
	size_t i;

	strbuf_addf(out, "/*\n * %d.%d.%d is %d.%d with \"", r->major, r->minor, r->micro, r->major,
		    r->minor);
	for (i = 0; r->why && r->why[i]; i++) {
		/* a subject cannot close the comment */
		if (r->why[i] == '*' && r->why[i + 1] == '/')
			strbuf_addstr(out, "* ");
		else
			strbuf_addch(out, r->why[i]);
	}
	strbuf_addf(out, "\";\n * %d.%d keeps its old behaviour, so that its guests migrate "
			 "unchanged.\n */\n", r->major, r->minor);
}

static int edit_family_file(struct edit_file *ef, const struct bugfix_request *r,
			    const struct family *fam, const struct array_change *changes,
			    size_t nchanges)
{
	struct csrc_file f;
	const struct csrc_call *call = NULL;
	const struct family_call *shape = NULL;
	const struct csrc_func *fn, *cfn = NULL;
	struct strbuf cname = STRBUF_INIT, cnamez = STRBUF_INIT, ccopy = STRBUF_INIT,
		      cbody = STRBUF_INIT;
	size_t cfn_from = 0, cfn_to = 0;
	struct strbuf fname = STRBUF_INIT, fnz = STRBUF_INIT, copy = STRBUF_INIT,
		      body = STRBUF_INIT, block = STRBUF_INIT, callz = STRBUF_INIT,
		      callxy = STRBUF_INIT, define = STRBUF_INIT, tmp = STRBUF_INIT;
	const char *param, *call_text;
	size_t i, call_len, fn_from, fn_to, call_from, call_to, ins;
	int fn_first, fn_last, open_line, call_first, call_last, ins_line, def_after = 0;
	bool unlatest;
	int ret;

	memset(&f, 0, sizeof(f));
	ret = csrc_parse(&f, ef->path, ef->text.buf, ef->text.len);
	if (ret < 0)
		goto out;
	for (i = 0; i < f.ncalls && !call; i++) {
		const struct family_call *s = shape_of(fam, &f, &f.calls[i]);

		if (s && defines_release(fam, s, &f, &f.calls[i], r->major, r->minor)) {
			call = &f.calls[i];
			shape = s;
		}
	}
	if (!call) {
		ret = mt_error_set("%s: no definition of the %d.%d machine of %s", ef->path,
				   r->major, r->minor, fam->id);
		goto out;
	}
	for (i = 0; i < shape->nargs; i++) {
		const struct csrc_range *a = &call->args[i];

		if (shape->args[i] == ROLE_OPTIONS && a->last == a->first + 1)
			strbuf_addstr(&fname, csrc_text(&f, &f.toks[a->first]));
	}
	if (!fname.len && shape->options_function) {
		const char *v = strstr(shape->options_function, "{v}");

		if (v) {
			strbuf_add(&fname, shape->options_function,
				   (size_t)(v - shape->options_function));
			strbuf_addf(&fname, "%d_%d%s", r->major, r->minor, v + 3);
		}
	}
	if (!fname.len || !(fn = csrc_find_func(&f, fname.buf))) {
		ret = mt_error_set("%s: no options function of %s %d.%d (rules/families.json "
				   "names none for %s)", ef->path, fam->id, r->major, r->minor,
				   csrc_text(&f, &f.toks[call->name]));
		goto out;
	}
	if ((ret = bugfix_function_name(&fnz, fname.buf, r->major, r->minor, r->micro)) < 0)
		goto out;
	/* s390x: the instance options, before the class options, get their X.Y.Z copy too */
	if (shape->companion_function && strstr(shape->companion_function, "{v}")) {
		const char *v = strstr(shape->companion_function, "{v}");

		strbuf_add(&cname, shape->companion_function,
			   (size_t)(v - shape->companion_function));
		strbuf_addf(&cname, "%d_%d%s", r->major, r->minor, v + 3);
		cfn = csrc_find_func(&f, cname.buf);
		if (cfn && (f.toks[cfn->close].line >= f.toks[fn->name].line ||
			    bugfix_function_name(&cnamez, cname.buf, r->major, r->minor, r->micro) < 0))
			cfn = NULL;
		mt_error_clear();
	}
	param = param_name(&f, fn);
	fn_first = definition_start(&ef->text, &f, fn->name, false);
	ins_line = definition_start(&ef->text, &f, cfn ? cfn->name : fn->name, true);
	fn_last = f.toks[fn->close].line;
	open_line = f.toks[fn->open].line;
	call_first = f.toks[call->name].line;
	call_last = f.toks[call->close].line;
	if (call_first <= fn_last) {
		ret = mt_error_set("%s: the %d.%d machine is defined before its options function",
				   ef->path, r->major, r->minor);
		goto out;
	}
	fn_from = line_start(&ef->text, fn_first);
	fn_to = line_after(&ef->text, fn_last);
	call_from = line_start(&ef->text, call_first);
	call_to = line_after(&ef->text, call_last);
	call_text = ef->text.buf + call_from;
	call_len = call_to - call_from;

	/* X.Y.Z's options: X.Y's, without the arrays only X.Y applies now */
	replace_word(&copy, ef->text.buf + fn_from, fn_to - fn_from, fname.buf, fnz.buf, true);
	{
		size_t off = 0;

		while (off < copy.len) {
			const char *p = copy.buf + off, *nl = memchr(p, '\n', copy.len - off);
			size_t len = nl ? (size_t)(nl - p) + 1 : copy.len - off;
			bool drop = false;

			for (i = 0; i < nchanges; i++) {
				struct strbuf own = STRBUF_INIT;

				strbuf_addf(&own, "%s_%d_%d", changes[i].prefix, r->major, r->minor);
				drop = drop || (changes[i].applied && contains(p, len, "compat_props_add") &&
						has_word(p, len, own.buf));
				strbuf_release(&own);
			}
			if (!drop)
				strbuf_add(&tmp, p, len);
			off += len;
		}
	}
	/* X.Y's options: X.Y.Z's and what only X.Y keeps */
	strbuf_add(&body, ef->text.buf + fn_from, line_after(&ef->text, open_line) - fn_from);
	strbuf_addf(&body, "    %s(%s);\n", fnz.buf, param);
	unlatest = false;
	if (r->own_stream && shape->latest == LATEST_ALIAS && sets_field(tmp.buf, "alias")) {
		strbuf_addf(&body, "    %s->alias = NULL;\n", param);
		if (sets_field(tmp.buf, "is_default"))
			strbuf_addf(&body, "    %s->is_default = false;\n", param);
	}
	for (i = 0; i < nchanges; i++) {
		/* an array kind the file never applies is not its family's (pc_compat on ppc) */
		struct strbuf kind = STRBUF_INIT;
		bool applies;

		strbuf_addf(&kind, "%s_", changes[i].prefix);
		applies = strstr(ef->old.buf, kind.buf) != NULL;
		strbuf_release(&kind);
		if (changes[i].applied && applies)
			strbuf_addf(&body, "    compat_props_add(%s->compat_props, %s_%d_%d, "
					   "%s_%d_%d_len);\n", param, changes[i].prefix, r->major,
				    r->minor, changes[i].prefix, r->major, r->minor);
	}
	strbuf_addstr(&body, "}\n");
	/* the X.Y.Z call, and X.Y's handing the latest argument over in its own stream */
	ret = bugfix_call(&callz, fam, shape, &f, call, call_text, call_len, fname.buf, fnz.buf, r);
	if (ret < 0)
		goto out;
	if (r->own_stream)
		unlatest = call_unlatest(&callxy, shape, &f, call, call_text, call_len);
	/* a bugfix macro the file does not define yet (arm virt, spapr, ...) */
	if (shape->args[0] == ROLE_MAJOR) {
		const struct family_call *b = shape_with(fam, true, false);
		const struct family_call *rel = shape_with(fam, false, false);

		if (!csrc_find_define(&f, b->macro)) {
			if (!rel) {
				ret = mt_error_set("rules/families.json: family %s has no release "
						   "macro (major, minor)", fam->id);
				goto out;
			}
			ret = derive_define(&define, &def_after, &ef->text, b->macro, rel->macro);
			if (ret < 0)
				goto out;
		}
	}

	if (cfn) {
		int cfirst = definition_start(&ef->text, &f, cfn->name, false);

		cfn_from = line_start(&ef->text, cfirst);
		cfn_to = line_after(&ef->text, f.toks[cfn->close].line);
		replace_word(&ccopy, ef->text.buf + cfn_from, cfn_to - cfn_from, cname.buf,
			     cnamez.buf, true);
		strbuf_add(&cbody, ef->text.buf + cfn_from,
			   line_after(&ef->text, f.toks[cfn->open].line) - cfn_from);
		strbuf_addf(&cbody, "    %s(%s);\n}\n", cnamez.buf, param_name(&f, cfn));
	}
	comment_text(&block, r);
	if (cfn) {
		strbuf_add(&block, ccopy.buf, ccopy.len);
		strbuf_add(&block, ef->text.buf + cfn_to, fn_from - cfn_to);
	}
	strbuf_add(&block, tmp.buf, tmp.len);
	strbuf_add(&block, ef->text.buf + fn_to, call_from - fn_to);
	strbuf_add(&block, callz.buf, callz.len);
	strbuf_addch(&block, '\n');

	/* bottom up, so that earlier offsets hold */
	if (unlatest)
		splice(&ef->text, call_from, call_len, callxy.buf, callxy.len);
	splice(&ef->text, fn_from, fn_to - fn_from, body.buf, body.len);
	if (cfn)
		splice(&ef->text, cfn_from, cfn_to - cfn_from, cbody.buf, cbody.len);
	ins = line_start(&ef->text, ins_line);
	splice(&ef->text, ins, 0, block.buf, block.len);
	if (define.len) {
		size_t at = line_after(&ef->text, def_after);
		const char *p;
		size_t len;

		line_text(&p, &len, &ef->text, def_after + 1);
		if (!len) {
			/* the original is followed by a blank line: so is the copy */
			struct strbuf d = STRBUF_INIT;

			strbuf_addch(&d, '\n');
			strbuf_add(&d, define.buf, define.len);
			strbuf_release(&define);
			define = d;
		}
		splice(&ef->text, at, 0, define.buf, define.len);
	}
out:
	csrc_file_release(&f);
	strbuf_release(&cname);
	strbuf_release(&cnamez);
	strbuf_release(&ccopy);
	strbuf_release(&cbody);
	strbuf_release(&fname);
	strbuf_release(&fnz);
	strbuf_release(&copy);
	strbuf_release(&body);
	strbuf_release(&block);
	strbuf_release(&callz);
	strbuf_release(&callxy);
	strbuf_release(&define);
	strbuf_release(&tmp);
	return ret;
}

int edit_add_bugfix(struct edit_tree *t, const struct bugfix_request *r, struct strbuf *note)
{
	struct array_change *changes = NULL;
	struct edit_file *ef;
	size_t nchanges = 0, i;
	int ret;

	ret = place_entries(&changes, &nchanges, t, r, note);
	for (i = 0; i < r->ntargets && ret == MT_OK; i++) {
		ret = edit_tree_file(&ef, t, r->targets[i].path);
		if (ret == MT_ENOTFOUND)
			ret = mt_error_set("%s: not in this branch", r->targets[i].path);
		if (ret == MT_OK)
			ret = edit_family_file(ef, r, r->targets[i].fam, changes, nchanges);
		/* a family whose file has a shape suggest cannot write is left to a person */
		if (ret == MT_ERROR) {
			strbuf_addf(note, "%s: %d.%d.%d not written: %s; add it by hand\n",
				    r->targets[i].fam->id, r->major, r->minor, r->micro,
				    mt_error_last() ? mt_error_last() : "unknown shape");
			mt_error_clear();
			ret = MT_OK;
		}
	}
	for (i = 0; i < nchanges; i++)
		free(changes[i].prefix);
	free(changes);
	return ret;
}
