/*
 * jsonfile: any bytes as a rules/config/waiver file. Parsing either succeeds
 * with a tree or fails with a message naming the file; key checks and
 * positions work on whatever tree comes back.
 */
#include <assert.h>
#include <string.h>

#include "util/error.h"
#include "fuzz.h"
#include "util/jsonfile.h"
#include "util/strbuf.h"

/* `at` is obj's path (jsonfile.h): every key and element is located by its own. */
static void check_object(const struct json_file *f, json_t *obj, struct strbuf *at, int depth)
{
	static const char *const allowed[] = { "id", "signals", "paths", "version", NULL };
	size_t len = at->len, i;
	const char *key;
	json_t *value;
	char where[512];

	if (depth > 8)
		return;
	if (json_is_object(obj)) {
		if (json_file_check_keys(f, at->buf, obj, allowed, "fuzz") < 0) {
			assert(strncmp(mt_error_last(), "fuzz.json:", 10) == 0);
			assert(!strpbrk(mt_error_last(), "\n\r\033"));
		}
		json_object_foreach(obj, key, value) {
			json_file_where(where, sizeof(where), f, at->buf, key);
			assert(strncmp(where, "fuzz.json:", 10) == 0);
			strbuf_addf(at, "%s%s", len ? "/" : "", key);
			check_object(f, value, at, depth + 1);
			strbuf_setlen(at, len);
		}
	} else if (json_is_array(obj)) {
		json_array_foreach(obj, i, value) {
			strbuf_addf(at, "%s%zu", len ? "/" : "", i);
			check_object(f, value, at, depth + 1);
			strbuf_setlen(at, len);
		}
	}
}

FUZZ_TARGET(jsonfile)
{
	struct json_file f;
	struct strbuf at = STRBUF_INIT;

	mt_error_clear();
	if (json_file_parse(&f, "fuzz.json", (const char *)data, size) < 0) {
		/* One line naming the file, never a crash or an empty message. */
		assert(strncmp(mt_error_last(), "fuzz.json", 9) == 0);
		assert(!strpbrk(mt_error_last(), "\n\r\033"));
		return 0;
	}
	check_object(&f, f.root, &at, 0);
	strbuf_release(&at);
	json_file_release(&f);
	return 0;
}
