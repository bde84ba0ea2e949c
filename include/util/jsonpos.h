/*
 * Positions inside JSON text for messages about nested values. jsonfile.h
 * finds the first use of a key in a file, which is right for keys that occur
 * once; catalogue, waiver and configuration files repeat the same keys in
 * every element, so their messages follow a path to the value meant.
 *
 * A path is a '/'-separated list of steps from the top-level value: a key of
 * an object, or a decimal index into an array ("rules/3/severity",
 * "rules/ABI002/parameters/max_per_year"). The position is that of the
 * deepest step found: a key's opening quote or an element's first character.
 */
#ifndef MT_JSONPOS_H
#define MT_JSONPOS_H

#include <stddef.h>

#include "util/jsonfile.h"

/* Byte offset in `text` of the value or key `path` names, as far as it is found. */
size_t json_pos_find(const char *text, const char *path);

/* "file:line:col" of path into out. */
void json_path_where(char *out, size_t outsz, const struct json_file *file, const char *path);

/* Sets "file:line:col: message" for path; returns MT_ERROR. */
int json_path_error(const struct json_file *file, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Rejects keys of `obj` (the object at `path`) not in `allowed`
 * (NULL-terminated), pointing at the unknown key itself.
 */
int json_path_check_keys(const struct json_file *file, const char *path, json_t *obj,
			 const char *const *allowed, const char *context);

#endif
