/* Waiver files: which findings a maintainer accepted, why, and until when. */
#include "policy/suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/error.h"
#include "util/jsonfile.h"
#include "util/xalloc.h"

#define WAIVER_SCHEMA 1
#define SHA_PREFIX_MIN 7

static bool blank(const char *s)
{
	for (; *s; s++) {
		if (!isspace((unsigned char)*s))
			return false;
	}
	return true;
}

static void waiver_release(struct waiver *w)
{
	free(w->rule);
	free(w->commit);
	free(w->upstream);
	free(w->machine);
	free(w->stream);
	free(w->reason);
	free(w->expires);
	free(w->where);
}

/* A string member at path/key: *out stays NULL when absent. */
static int get_string(char **out, const struct json_file *file, const char *path, json_t *obj,
		      const char *key)
{
	json_t *v = json_object_get(obj, key);
	struct strbuf at = STRBUF_INIT;
	int ret = MT_OK;

	if (!v)
		return MT_OK;
	strbuf_addf(&at, "%s/%s", path, key);
	if (!json_is_string(v) || !*json_string_value(v))
		ret = json_file_error(file, at.buf, NULL, "\"%s\" must be a non-empty string", key);
	else
		*out = xstrdup(json_string_value(v));
	strbuf_release(&at);
	return ret;
}

static int check_sha(char *sha, const struct json_file *file, const char *path, const char *key)
{
	size_t n = strlen(sha), i;
	struct strbuf at = STRBUF_INIT;
	int ret = MT_OK;

	for (i = 0; i < n && isxdigit((unsigned char)sha[i]); i++)
		sha[i] = (char)tolower((unsigned char)sha[i]);
	if (i != n || n < SHA_PREFIX_MIN || n > 40) {
		strbuf_addf(&at, "%s/%s", path, key);
		ret = json_file_error(file, at.buf, NULL, "\"%s\" must be %d to 40 hex digits of a commit "
				      "sha, not \"%s\"", key, SHA_PREFIX_MIN, sha);
		strbuf_release(&at);
	}
	return ret;
}

/* Expired at `now`: a date is valid through its whole day, a timestamp up to that second. */
static void set_expiry(struct waiver *w, int64_t now)
{
	int64_t at;

	if (!w->expires)
		return;
	if (date_parse(&at, w->expires) < 0) {
		w->bad_date = true;
		w->expired = true;
		return;
	}
	if (strlen(w->expires) == 10)
		at += 86400;
	w->expired = now >= at;
}

static int load_waiver(struct waiver *w, const struct policy *policy,
		       const struct json_file *file, size_t index, json_t *obj, int64_t now)
{
	static const char *const allowed[] = { "rule", "commit", "upstream", "machine", "stream",
					       "reason", "expires", NULL };
	struct strbuf path = STRBUF_INIT, near = STRBUF_INIT;
	const struct rule_def *rule;
	char *rule_id = NULL, where[512];
	int ret = MT_ERROR;

	strbuf_addf(&path, "waivers/%zu", index);
	json_file_where(where, sizeof(where), file, path.buf, NULL);
	w->where = xstrdup(where);
	if (!json_is_object(obj)) {
		json_file_error(file, path.buf, NULL, "waiver #%zu must be an object", index + 1);
		goto out;
	}
	if (json_file_check_keys(file, path.buf, obj, allowed, "a waiver") < 0)
		goto out;
	if (get_string(&rule_id, file, path.buf, obj, "rule") < 0 ||
	    get_string(&w->commit, file, path.buf, obj, "commit") < 0 ||
	    get_string(&w->upstream, file, path.buf, obj, "upstream") < 0 ||
	    get_string(&w->machine, file, path.buf, obj, "machine") < 0 ||
	    get_string(&w->stream, file, path.buf, obj, "stream") < 0 ||
	    get_string(&w->reason, file, path.buf, obj, "reason") < 0 ||
	    get_string(&w->expires, file, path.buf, obj, "expires") < 0)
		goto out;
	if (!rule_id) {
		json_file_error(file, path.buf, NULL, "waiver #%zu: missing \"rule\"", index + 1);
		goto out;
	}
	rule = policy_rule(policy, rule_id);
	if (!rule) {
		strbuf_addstr(&path, "/rule");
		policy_suggest(&near, policy, rule_id);
		json_file_error(file, path.buf, NULL, "waiver #%zu: unknown rule \"%s\"%s%s%s", index + 1,
				rule_id, near.len ? " (did you mean " : "", near.buf,
				near.len ? "?)" : "");
		goto out;
	}
	w->rule = xstrdup(rule->id);
	if (!w->reason || blank(w->reason)) {
		json_file_error(file, path.buf, NULL, "waiver #%zu (%s): a waiver needs a \"reason\" "
				"saying why the finding is accepted", index + 1, w->rule);
		goto out;
	}
	if (!w->commit && !w->upstream && !w->machine && !w->stream) {
		json_file_error(file, path.buf, NULL, "waiver #%zu (%s): give at least one of \"commit\", "
				"\"upstream\", \"machine\", \"stream\" (to turn a rule off, use "
				".mtcheck.json)", index + 1, w->rule);
		goto out;
	}
	if ((w->commit && check_sha(w->commit, file, path.buf, "commit") < 0) ||
	    (w->upstream && check_sha(w->upstream, file, path.buf, "upstream") < 0))
		goto out;
	set_expiry(w, now);
	ret = MT_OK;
out:
	free(rule_id);
	strbuf_release(&path);
	strbuf_release(&near);
	return ret;
}

static int load_set(struct waiver_set *set, const struct policy *policy,
		    const struct json_file *file, int64_t now)
{
	static const char *const allowed[] = { "schema", "waivers", NULL };
	json_t *list, *schema;
	size_t i;

	if (!json_is_object(file->root))
		return json_file_error(file, "", NULL, "a waiver file must be a JSON object with "
				       "\"waivers\"");
	if (json_file_check_keys(file, "", file->root, allowed, "the waiver file") < 0)
		return MT_ERROR;
	schema = json_object_get(file->root, "schema");
	if (schema && (!json_is_integer(schema) || json_integer_value(schema) != WAIVER_SCHEMA))
		return json_file_error(file, "schema", NULL, "\"schema\" must be %d", WAIVER_SCHEMA);
	list = json_object_get(file->root, "waivers");
	if (!json_is_array(list))
		return json_file_error(file, list ? "waivers" : "", NULL,
				       "\"waivers\" must be an array of waivers");
	set->items = xcalloc(json_array_size(list) + 1, sizeof(*set->items));
	for (i = 0; i < json_array_size(list); i++) {
		set->nr++;
		if (load_waiver(&set->items[i], policy, file, i, json_array_get(list, i), now) < 0)
			return MT_ERROR;
	}
	set->path = xstrdup(file->path);
	return MT_OK;
}

int waiver_set_from_json(struct waiver_set *out, const struct policy *policy,
			 const struct json_file *file, int64_t now)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = load_set(out, policy, file, now);
	if (ret < 0)
		waiver_set_release(out);
	return ret;
}

int waiver_set_load(struct waiver_set *out, const struct policy *policy, const char *path,
		    int64_t now)
{
	struct json_file file;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = json_file_load(&file, path);
	if (ret == MT_ENOTFOUND)
		return mt_error_set("%s: no such waiver file", path);
	if (ret < 0)
		return ret;
	ret = waiver_set_from_json(out, policy, &file, now);
	json_file_release(&file);
	return ret;
}

void waiver_set_release(struct waiver_set *set)
{
	size_t i;

	for (i = 0; i < set->nr; i++)
		waiver_release(&set->items[i]);
	free(set->items);
	free(set->path);
	memset(set, 0, sizeof(*set));
}

static bool sha_matches(const char *prefix, bool has, const struct mt_oid *oid)
{
	char hex[MT_OID_HEXSZ + 1];

	if (!prefix)
		return true;
	if (!has)
		return false;
	oid_to_hex(hex, oid);
	return !strncmp(hex, prefix, strlen(prefix));
}

static bool text_matches(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

bool waiver_matches(const struct waiver *w, const struct finding *f)
{
	return f->rule && !strcmp(w->rule, f->rule) &&
	       sha_matches(w->commit, f->has_commit, &f->commit) &&
	       sha_matches(w->upstream, f->has_upstream, &f->upstream) &&
	       text_matches(w->machine, f->machine) &&
	       /* stable-X.Y also matches the stream checked as staging-X.Y */
	       (text_matches(w->stream, f->stream) || text_matches(w->stream, f->stream_key));
}
