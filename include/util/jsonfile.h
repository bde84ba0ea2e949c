/*
 * Loading mtcheck's JSON files (rules/NAME.json, .mtcheck.json, waivers,
 * baselines) with messages that say file:line:col. jansson keeps no positions
 * for values, so the text is kept beside the tree and a key's position is
 * found by scanning for it, which is exact for the first use of a key name.
 */
#ifndef MT_JSONFILE_H
#define MT_JSONFILE_H

#include <jansson.h>
#include <stddef.h>

struct json_file {
	char *path;  /* as given, for messages */
	char *text;  /* the whole file */
	json_t *root;
};

/*
 * Reads and parses path (duplicate keys rejected). On error sets
 * "path:line:col: what" and returns MT_ERROR, or MT_ENOTFOUND without a
 * message when the file does not exist.
 */
int json_file_load(struct json_file *out, const char *path);
/* Parses text already in memory; `name` is used in messages. */
int json_file_parse(struct json_file *out, const char *name, const char *text, size_t len);
void json_file_release(struct json_file *file);

/* "path:line:col" of the first `"key":` in the file, or "path" when not found. */
void json_file_where(char *out, size_t outsz, const struct json_file *file, const char *key);

/*
 * Rejects keys of `obj` not in `allowed` (NULL-terminated): sets
 * `path:line:col: unknown key "k" in <context> (expected one of: ...)`.
 */
int json_file_check_keys(const struct json_file *file, json_t *obj,
			 const char *const *allowed, const char *context);

/* Sets `path:line:col: <context>: <message>` pointing at `key`; returns MT_ERROR. */
int json_file_error(const struct json_file *file, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
