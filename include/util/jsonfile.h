/*
 * Loading mtcheck's JSON files (rules/NAME.json, .mtcheck.json, waivers,
 * baselines) with messages that say file:line:col of the value they are about.
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

/*
 * Where a message about a value points. jansson keeps no positions, so the
 * text is kept beside the tree and the value is found by its path: a
 * '/'-separated list of steps from the top-level value, each a key of an
 * object or a decimal index into an array ("families/3/calls/0/macro").
 * Keys repeat in every element of a list, so a key alone would name the
 * first one; the path names the one meant. The position is that of the
 * deepest step found: a key's opening quote or an element's first character.
 *
 * Every function takes the path as `at` (the object; NULL or "" for the top
 * level) and `key` (a member of it; NULL for the object itself).
 */
/* "file:line:col" of at/key into out. */
void json_file_where(char *out, size_t outsz, const struct json_file *file, const char *at,
		     const char *key);
/* Sets "file:line:col: message" for at/key; returns MT_ERROR. */
int json_file_error(const struct json_file *file, const char *at, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * Rejects keys of `obj` (the object at `at`) not in `allowed`
 * (NULL-terminated): `file:line:col: unknown key "k" in <context> (expected
 * one of: ...)`, pointing at the unknown key itself.
 */
int json_file_check_keys(const struct json_file *file, const char *at, json_t *obj,
			 const char *const *allowed, const char *context);

#endif
