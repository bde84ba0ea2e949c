/* Baselines: findings already known, by fingerprint, so only new ones fail a run. */
#include "policy/suppress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/jsonfile.h"
#include "util/jsontext.h"
#include "util/mtcheck_version.h"
#include "util/outfile.h"
#include "util/strutil.h"
#include "util/xalloc.h"

static int load_baseline(struct baseline *b, const struct json_file *file)
{
	/* A baseline is also what `--format json` writes, so a report's keys are accepted. */
	static const char *const allowed[] = { "schema", "tool", "repository", "refs", "findings",
					       "suppressed", "summary", NULL };
	json_t *list;
	size_t i, n;

	if (!json_is_object(file->root))
		return json_file_error(file, "", NULL, "a baseline must be a JSON object with \"findings\"");
	if (json_file_check_keys(file, "", file->root, allowed, "the baseline") < 0)
		return MT_ERROR;
	list = json_object_get(file->root, "findings");
	if (!json_is_array(list))
		return json_file_error(file, list ? "findings" : "", NULL,
				       "\"findings\" must be an array");
	b->fingerprints = xcalloc(json_array_size(list) + 1, sizeof(*b->fingerprints));
	for (i = 0; i < json_array_size(list); i++) {
		json_t *fp = json_object_get(json_array_get(list, i), "fingerprint");
		char at[64];

		snprintf(at, sizeof(at), "findings/%zu", i);
		if (!json_is_string(fp) || !*json_string_value(fp))
			return json_file_error(file, at, NULL, "finding #%zu has no \"fingerprint\"", i + 1);
		b->fingerprints[b->nr++] = xstrdup(json_string_value(fp));
	}
	qsort(b->fingerprints, b->nr, sizeof(*b->fingerprints), str_ptr_cmp);
	for (i = n = 0; i < b->nr; i++) {
		if (n && !strcmp(b->fingerprints[n - 1], b->fingerprints[i]))
			free(b->fingerprints[i]);
		else
			b->fingerprints[n++] = b->fingerprints[i];
	}
	b->nr = n;
	b->used = xcalloc(n + 1, sizeof(*b->used));
	b->path = xstrdup(file->path);
	return MT_OK;
}

int baseline_from_json(struct baseline *out, const struct json_file *file)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = load_baseline(out, file);
	if (ret < 0)
		baseline_release(out);
	return ret;
}

int baseline_load(struct baseline *out, const char *path)
{
	struct json_file file;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = json_file_load(&file, path);
	if (ret == MT_ENOTFOUND)
		return mt_error_set("%s: no such baseline file", path);
	if (ret < 0)
		return ret;
	ret = baseline_from_json(out, &file);
	json_file_release(&file);
	return ret;
}

void baseline_release(struct baseline *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		free(b->fingerprints[i]);
	free(b->fingerprints);
	free(b->used);
	free(b->path);
	memset(b, 0, sizeof(*b));
}

bool baseline_take(struct baseline *b, const char *fingerprint)
{
	char **hit = bsearch(&fingerprint, b->fingerprints, b->nr, sizeof(*b->fingerprints),
			     str_ptr_cmp);

	if (!hit)
		return false;
	b->used[hit - b->fingerprints] = true;
	return true;
}

struct keyed {
	char fp[FINDING_FINGERPRINT_SIZE];
	const struct finding *finding;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->fp, y->fp);

	return c ? c : finding_cmp(x->finding, y->finding);
}

void baseline_format(struct strbuf *out, const struct finding_list *findings)
{
	struct keyed *keys = xcalloc(findings->nr + 1, sizeof(*keys));
	json_t *root = json_object(), *tool = json_object(), *list = json_array();
	size_t i;

	for (i = 0; i < findings->nr; i++) {
		finding_fingerprint(keys[i].fp, &findings->items[i]);
		keys[i].finding = &findings->items[i];
	}
	qsort(keys, findings->nr, sizeof(*keys), cmp_keyed);
	json_object_set_new(tool, "name", json_string("mtcheck"));
	json_object_set_new(tool, "version", json_string(MTCHECK_VERSION));
	json_object_set_new(root, "schema", json_integer(1));
	json_object_set_new(root, "tool", tool);
	for (i = 0; i < findings->nr; i++) {
		const struct finding *f = keys[i].finding;
		json_t *e;

		if (i && !strcmp(keys[i - 1].fp, keys[i].fp))
			continue;
		e = json_object();
		json_object_set_new(e, "fingerprint", json_string(keys[i].fp));
		json_object_set_new(e, "rule", json_text_or_null(f->rule));
		json_object_set_new(e, "stream", json_text_or_null(f->stream));
		json_object_set_new(e, "commit", json_oid_or_null(f->has_commit, &f->commit));
		json_object_set_new(e, "upstream", json_oid_or_null(f->has_upstream, &f->upstream));
		json_object_set_new(e, "machine", json_text_or_null(f->machine));
		json_object_set_new(e, "message", json_text_or_null(f->message));
		json_array_append_new(list, e);
	}
	json_object_set_new(root, "findings", list);
	json_dump_to(out, root);
	free(keys);
}

int baseline_write(const char *path, const struct finding_list *findings)
{
	struct strbuf text = STRBUF_INIT;
	int ret;

	baseline_format(&text, findings);
	/* A temporary file renamed over a regular file or nothing (util/outfile.h). */
	ret = outfile_write_all(path, text.buf, text.len);
	strbuf_release(&text);
	return ret;
}
