/*
 * Builds a git repository from a scenario file (see tests/scenarios/README.md).
 * Test code, so it calls libgit2 directly; the product's only libgit2 user
 * remains the repo module (src/repo/).
 */
#include "scenario.h"

#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/date.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* 2014-01-01T00:00:00Z: commits without a date are an hour apart from here. */
#define DEFAULT_EPOCH 1388534400
#define IDENTITY_NAME "Scenario Author"
#define IDENTITY_EMAIL "author@scenario.invalid"

struct builder {
	const char *file;     /* the scenario, for messages */
	char *dir;            /* its directory, for {"file": ...} contents */
	git_repository *git;
	struct scenario *out;
	size_t nbuilt;        /* commits built so far */
};

static const char *git_message(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

static int fail(struct builder *b, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct builder *b, const char *what, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return mt_error_set("%s: %s: %s", b->file, what, msg);
}

static const struct mt_oid *built_commit(const struct builder *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->nbuilt; i++) {
		if (!strcmp(b->out->ids[i], id))
			return &b->out->oids[i];
	}
	return NULL;
}

/* Replaces {{id}} with the commit's full sha and {{id:short}} with 12 digits. */
static int expand(struct builder *b, struct strbuf *out, const char *text, const char *what)
{
	const char *p = text;

	while (*p) {
		const char *open = strstr(p, "{{"), *close;
		char id[128], hex[MT_OID_HEXSZ + 1];
		size_t n, hexlen = MT_OID_HEXSZ;
		const struct mt_oid *oid;

		if (!open) {
			strbuf_addstr(out, p);
			break;
		}
		strbuf_add(out, p, (size_t)(open - p));
		close = strstr(open, "}}");
		if (!close || (n = (size_t)(close - open - 2)) >= sizeof(id))
			return fail(b, what, "unterminated {{ placeholder");
		memcpy(id, open + 2, n);
		id[n] = '\0';
		if (n > 6 && !strcmp(id + n - 6, ":short")) {
			id[n - 6] = '\0';
			hexlen = 12;
		}
		oid = built_commit(b, id);
		if (!oid)
			return fail(b, what, "{{%s}} names no earlier commit", id);
		oid_to_short(hex, hexlen, oid);
		strbuf_addstr(out, hex);
		p = close + 2;
	}
	return 0;
}

static int read_whole_file(struct strbuf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char buf[8192];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	fclose(f);
	return 0;
}

/* The current content of path in the index being built, or -1 when absent. */
static int index_content(struct strbuf *out, git_repository *git, git_index *index, const char *path)
{
	const git_index_entry *entry = git_index_get_bypath(index, path, 0);
	git_blob *blob = NULL;

	if (!entry || git_blob_lookup(&blob, git, &entry->id) < 0)
		return -1;
	strbuf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

/* Applies {"replace": [[old, new], ...]}: each old text must occur exactly once. */
static int apply_replacements(struct builder *b, struct strbuf *content, json_t *pairs,
			      const char *what, const char *path)
{
	size_t i;
	json_t *pair;

	if (!json_is_array(pairs))
		return fail(b, what, "%s: \"replace\" must be a list of [old, new] pairs", path);
	json_array_foreach(pairs, i, pair) {
		const char *old, *new;
		char *at;
		struct strbuf next = STRBUF_INIT;

		if (!json_is_array(pair) || json_array_size(pair) != 2 ||
		    !(old = json_string_value(json_array_get(pair, 0))) ||
		    !(new = json_string_value(json_array_get(pair, 1))) || !*old)
			return fail(b, what, "%s: replacement %zu is not a pair of strings", path, i + 1);
		at = strstr(content->buf, old);
		if (!at)
			return fail(b, what, "%s: replacement %zu: text not found: %.60s", path, i + 1,
				    old);
		if (strstr(at + 1, old))
			return fail(b, what, "%s: replacement %zu: text occurs more than once: %.60s",
				    path, i + 1, old);
		strbuf_add(&next, content->buf, (size_t)(at - content->buf));
		strbuf_addstr(&next, new);
		strbuf_addstr(&next, at + strlen(old));
		strbuf_release(content);
		*content = next;
	}
	return 0;
}

static int file_content(struct builder *b, struct strbuf *out, git_index *index,
			const char *path, json_t *spec, const char *what)
{
	const char *key;
	json_t *value;

	if (json_is_string(spec)) {
		strbuf_addstr(out, json_string_value(spec));
		return 0;
	}
	if (!json_is_object(spec))
		return fail(b, what, "%s: content must be a string, an object or null", path);
	json_object_foreach(spec, key, value) {
		if (strcmp(key, "file") && strcmp(key, "replace") && strcmp(key, "append"))
			return fail(b, what, "%s: unknown key \"%s\"", path, key);
	}
	if ((value = json_object_get(spec, "file"))) {
		struct strbuf full = STRBUF_INIT;
		int err;

		if (!json_is_string(value))
			return fail(b, what, "%s: \"file\" must be a string", path);
		strbuf_addf(&full, "%s/%s", b->dir, json_string_value(value));
		err = read_whole_file(out, full.buf);
		if (err)
			fail(b, what, "%s: cannot read %s: %s", path, full.buf, strerror(errno));
		strbuf_release(&full);
		if (err)
			return -1;
	} else if (index_content(out, b->git, index, path) < 0 &&
		   json_object_get(spec, "replace")) {
		return fail(b, what, "%s: \"replace\" needs an existing file", path);
	}
	if ((value = json_object_get(spec, "replace")) &&
	    apply_replacements(b, out, value, what, path) < 0)
		return -1;
	if ((value = json_object_get(spec, "append"))) {
		if (!json_is_string(value))
			return fail(b, what, "%s: \"append\" must be a string", path);
		strbuf_addstr(out, json_string_value(value));
	}
	return 0;
}

static int stage_files(struct builder *b, git_index *index, json_t *files, const char *what)
{
	const char *path;
	json_t *spec;

	if (!files)
		return 0;
	if (!json_is_object(files))
		return fail(b, what, "\"files\" must be an object of path: content");
	json_object_foreach(files, path, spec) {
		struct strbuf content = STRBUF_INIT;
		git_index_entry entry;
		int err;

		if (json_is_null(spec)) {
			if (git_index_remove_bypath(index, path) < 0)
				return fail(b, what, "cannot delete %s: %s", path, git_message());
			continue;
		}
		if (file_content(b, &content, index, path, spec, what) < 0) {
			strbuf_release(&content);
			return -1;
		}
		memset(&entry, 0, sizeof(entry));
		entry.path = path;
		entry.mode = GIT_FILEMODE_BLOB;
		/* An in-memory index cannot hash buffers itself: write the blob first. */
		err = git_blob_create_from_buffer(&entry.id, b->git, content.buf, content.len);
		if (!err)
			err = git_index_add(index, &entry);
		strbuf_release(&content);
		if (err < 0)
			return fail(b, what, "cannot add %s: %s", path, git_message());
	}
	return 0;
}

static int parse_when(struct builder *b, int64_t *out, json_t *date, int64_t fallback,
		      const char *what)
{
	if (!date) {
		*out = fallback;
		return 0;
	}
	if (!json_is_string(date) || date_parse(out, json_string_value(date)) < 0)
		return fail(b, what, "\"date\" must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
	return 0;
}

static int check_keys(struct builder *b, json_t *obj, const char *const *allowed, const char *what)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		size_t i;

		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (!allowed[i])
			return fail(b, what, "unknown key \"%s\"", key);
	}
	return 0;
}

static int collect_parents(struct builder *b, git_commit **parents, size_t *nparents,
			   json_t *spec, size_t index, const char *what)
{
	json_t *list = json_object_get(spec, "parents"), *one = json_object_get(spec, "parent");
	size_t i, n = 0;

	if (list && one)
		return fail(b, what, "give \"parent\" or \"parents\", not both");
	if (one) {
		list = json_array();
		json_array_append(list, one);
	} else if (list) {
		json_incref(list);
	} else if (index > 0) {
		/* By default a commit follows the one listed before it. */
		list = json_array();
		json_array_append_new(list, json_string(b->out->ids[index - 1]));
	} else {
		list = json_array();
	}
	for (i = 0; i < json_array_size(list) && i < 8; i++) {
		const char *id = json_string_value(json_array_get(list, i));
		const struct mt_oid *oid = id ? built_commit(b, id) : NULL;
		git_oid goid;

		if (!oid) {
			json_decref(list);
			return fail(b, what, "parent %s is not an earlier commit", id ? id : "(not a string)");
		}
		memcpy(goid.id, oid->id, MT_OID_RAWSZ);
		if (git_commit_lookup(&parents[n], b->git, &goid) < 0) {
			json_decref(list);
			return fail(b, what, "parent %s: %s", id, git_message());
		}
		n++;
	}
	json_decref(list);
	*nparents = n;
	return 0;
}

static int build_commit(struct builder *b, json_t *spec, size_t index)
{
	static const char *const keys[] = { "id", "parent", "parents", "date", "author_date",
					    "author", "message", "files", NULL };
	git_commit *parents[8] = { NULL };
	size_t nparents = 0, i;
	git_index *index_mem = NULL;
	git_tree *tree = NULL;
	git_oid tree_oid, commit_oid;
	git_signature *sig = NULL, *author_sig = NULL;
	struct strbuf message = STRBUF_INIT;
	const char *id = json_string_value(json_object_get(spec, "id"));
	const char *author = json_string_value(json_object_get(spec, "author"));
	char what[160];
	int64_t when, author_when;
	int ret = -1;

	snprintf(what, sizeof(what), "commit %zu (%s)", index + 1, id ? id : "no id");
	if (!json_is_object(spec) || !id)
		return fail(b, what, "each commit needs an \"id\"");
	if (check_keys(b, spec, keys, what) < 0)
		return -1;
	if (built_commit(b, id))
		return fail(b, what, "duplicate id");
	b->out->ids[index] = xstrdup(id);

	if (collect_parents(b, parents, &nparents, spec, index, what) < 0 ||
	    parse_when(b, &when, json_object_get(spec, "date"),
		       DEFAULT_EPOCH + (int64_t)index * 3600, what) < 0 ||
	    parse_when(b, &author_when, json_object_get(spec, "author_date"), when, what) < 0)
		goto out;
	if (git_index_new(&index_mem) < 0) {
		fail(b, what, "cannot create an index: %s", git_message());
		goto out;
	}
	if (nparents) {
		git_tree *ptree = NULL;
		if (git_commit_tree(&ptree, parents[0]) < 0 || git_index_read_tree(index_mem, ptree) < 0) {
			git_tree_free(ptree);
			fail(b, what, "cannot read the parent's tree: %s", git_message());
			goto out;
		}
		git_tree_free(ptree);
	}
	if (stage_files(b, index_mem, json_object_get(spec, "files"), what) < 0)
		goto out;
	if (git_index_write_tree_to(&tree_oid, index_mem, b->git) < 0 ||
	    git_tree_lookup(&tree, b->git, &tree_oid) < 0) {
		fail(b, what, "cannot write the tree: %s", git_message());
		goto out;
	}
	if (expand(b, &message, json_string_value(json_object_get(spec, "message"))
				       ? json_string_value(json_object_get(spec, "message"))
				       : id, what) < 0)
		goto out;
	if (message.len == 0 || message.buf[message.len - 1] != '\n')
		strbuf_addch(&message, '\n');
	if (git_signature_new(&sig, author ? author : IDENTITY_NAME, IDENTITY_EMAIL, when, 0) < 0 ||
	    git_signature_new(&author_sig, author ? author : IDENTITY_NAME, IDENTITY_EMAIL,
			      author_when, 0) < 0 ||
	    git_commit_create(&commit_oid, b->git, NULL, author_sig, sig, NULL, message.buf, tree,
			      nparents, (const git_commit **)parents) < 0) {
		fail(b, what, "cannot create the commit: %s", git_message());
		goto out;
	}
	memcpy(b->out->oids[index].id, commit_oid.id, MT_OID_RAWSZ);
	b->nbuilt = index + 1;
	ret = 0;
out:
	for (i = 0; i < nparents; i++)
		git_commit_free(parents[i]);
	git_signature_free(sig);
	git_signature_free(author_sig);
	git_tree_free(tree);
	git_index_free(index_mem);
	strbuf_release(&message);
	return ret;
}

static int create_refs(struct builder *b, json_t *map, const char *prefix)
{
	const char *name;
	json_t *target;

	if (!map)
		return 0;
	if (!json_is_object(map))
		return fail(b, prefix, "must be an object of name: commit id");
	json_object_foreach(map, name, target) {
		const struct mt_oid *oid = json_string_value(target)
						   ? built_commit(b, json_string_value(target)) : NULL;
		struct strbuf ref = STRBUF_INIT;
		git_reference *out = NULL;
		git_oid goid;
		int err;

		if (!oid)
			return fail(b, prefix, "%s: target is not a commit id", name);
		memcpy(goid.id, oid->id, MT_OID_RAWSZ);
		strbuf_addf(&ref, "%s%s", prefix, name);
		err = git_reference_create(&out, b->git, ref.buf, &goid, 1, "scenario");
		git_reference_free(out);
		if (err < 0)
			fail(b, prefix, "%s: %s", ref.buf, git_message());
		strbuf_release(&ref);
		if (err < 0)
			return -1;
	}
	return 0;
}

static int create_tag(struct builder *b, json_t *spec)
{
	static const char *const keys[] = { "name", "commit", "annotated", "date", "message", NULL };
	const char *name = json_string_value(json_object_get(spec, "name"));
	const char *target_id = json_string_value(json_object_get(spec, "commit"));
	const struct mt_oid *oid = target_id ? built_commit(b, target_id) : NULL;
	git_object *target = NULL;
	git_signature *sig = NULL;
	struct strbuf message = STRBUF_INIT;
	git_oid goid, tag_oid;
	char what[160];
	int64_t when;
	int ret = -1;

	snprintf(what, sizeof(what), "tag %s", name ? name : "(no name)");
	if (!json_is_object(spec) || !name || !oid)
		return fail(b, what, "a tag needs a \"name\" and the \"commit\" id it points at");
	if (check_keys(b, spec, keys, what) < 0)
		return -1;
	memcpy(goid.id, oid->id, MT_OID_RAWSZ);
	if (git_object_lookup(&target, b->git, &goid, GIT_OBJECT_COMMIT) < 0) {
		fail(b, what, "%s", git_message());
		goto out;
	}
	if (json_is_true(json_object_get(spec, "annotated"))) {
		const char *text = json_string_value(json_object_get(spec, "message"));

		if (parse_when(b, &when, json_object_get(spec, "date"),
			       (int64_t)git_commit_time((git_commit *)target), what) < 0 ||
		    expand(b, &message, text ? text : name, what) < 0)
			goto out;
		strbuf_addch(&message, '\n');
		if (git_signature_new(&sig, IDENTITY_NAME, IDENTITY_EMAIL, when, 0) < 0 ||
		    git_tag_create(&tag_oid, b->git, name, target, sig, message.buf, 1) < 0) {
			fail(b, what, "%s", git_message());
			goto out;
		}
	} else if (json_object_get(spec, "date") || json_object_get(spec, "message")) {
		fail(b, what, "a lightweight tag has no date or message; add \"annotated\": true");
		goto out;
	} else if (git_tag_create_lightweight(&tag_oid, b->git, name, target, 1) < 0) {
		fail(b, what, "%s", git_message());
		goto out;
	}
	ret = 0;
out:
	strbuf_release(&message);
	git_signature_free(sig);
	git_object_free(target);
	return ret;
}

static int build(struct builder *b, json_t *root, const char *dest_dir)
{
	static const char *const keys[] = { "description", "bare", "commits", "branches",
					    "remotes", "tags", "head", "expect", NULL };
	json_t *commits = json_object_get(root, "commits"), *tags = json_object_get(root, "tags");
	json_t *value;
	const char *head = json_string_value(json_object_get(root, "head"));
	size_t i;

	if (!json_is_object(root))
		return fail(b, "top level", "must be an object");
	if (check_keys(b, root, keys, "top level") < 0)
		return -1;
	if (!json_is_array(commits) || !json_array_size(commits))
		return fail(b, "top level", "\"commits\" must be a non-empty list");
	if (git_repository_init(&b->git, dest_dir, json_is_true(json_object_get(root, "bare"))) < 0)
		return fail(b, dest_dir, "cannot create the repository: %s", git_message());

	b->out->ncommits = json_array_size(commits);
	b->out->ids = xcalloc(b->out->ncommits, sizeof(*b->out->ids));
	b->out->oids = xcalloc(b->out->ncommits, sizeof(*b->out->oids));
	json_array_foreach(commits, i, value) {
		if (build_commit(b, value, i) < 0)
			return -1;
	}
	if (create_refs(b, json_object_get(root, "branches"), "refs/heads/") < 0 ||
	    create_refs(b, json_object_get(root, "remotes"), "refs/remotes/") < 0)
		return -1;
	if (tags && !json_is_array(tags))
		return fail(b, "tags", "must be a list");
	json_array_foreach(tags, i, value) {
		if (create_tag(b, value) < 0)
			return -1;
	}
	if (head) {
		struct strbuf ref = STRBUF_INIT;
		int err;

		strbuf_addf(&ref, "refs/heads/%s", head);
		err = git_repository_set_head(b->git, ref.buf);
		strbuf_release(&ref);
		if (err < 0)
			return fail(b, "head", "%s: %s", head, git_message());
	}
	if (!git_repository_is_bare(b->git) && !git_repository_head_unborn(b->git)) {
		git_checkout_options opts;

		git_checkout_options_init(&opts, GIT_CHECKOUT_OPTIONS_VERSION);
		opts.checkout_strategy = GIT_CHECKOUT_FORCE;
		if (git_checkout_head(b->git, &opts) < 0)
			return fail(b, "head", "cannot check out: %s", git_message());
	}
	return 0;
}

int scenario_build(struct scenario *out, const char *scenario_file, const char *dest_dir)
{
	struct builder b;
	json_error_t jerr;
	json_t *root;
	const char *slash;
	struct stat st;
	int ret;

	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	b.file = scenario_file;
	b.out = out;
	slash = strrchr(scenario_file, '/');
	b.dir = slash ? xstrndup(scenario_file, (size_t)(slash - scenario_file)) : xstrdup(".");
	if (stat(dest_dir, &st) == 0) {
		free(b.dir);
		return mt_error_set("%s: already exists; a scenario is built into a new directory",
				    dest_dir);
	}
	root = json_load_file(scenario_file, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		free(b.dir);
		return mt_error_set("%s:%d:%d: %s", scenario_file, jerr.line, jerr.column, jerr.text);
	}
	git_libgit2_init();
	ret = build(&b, root, dest_dir);
	git_repository_free(b.git);
	git_libgit2_shutdown();
	json_decref(root);
	free(b.dir);
	if (ret < 0) {
		scenario_release(out);
		return -1;
	}
	out->path = xstrdup(dest_dir);
	return 0;
}

const struct mt_oid *scenario_commit(const struct scenario *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ncommits; i++) {
		if (s->ids[i] && !strcmp(s->ids[i], id))
			return &s->oids[i];
	}
	return NULL;
}

const char *scenario_hex(const struct scenario *s, const char *id)
{
	/* A small ring, so a test can use several in one expression. */
	static char ring[8][MT_OID_HEXSZ + 1];
	static unsigned next;
	const struct mt_oid *oid = scenario_commit(s, id);
	char *buf = ring[next++ % 8];

	if (!oid) {
		fprintf(stderr, "scenario: no commit with id %s\n", id);
		abort();
	}
	oid_to_hex(buf, oid);
	return buf;
}

void scenario_release(struct scenario *s)
{
	size_t i;

	for (i = 0; i < s->ncommits; i++)
		free(s->ids ? s->ids[i] : NULL);
	free(s->ids);
	free(s->oids);
	free(s->path);
	memset(s, 0, sizeof(*s));
}
