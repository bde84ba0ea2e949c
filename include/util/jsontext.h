/*
 * JSON strings from text mtcheck did not write: commit subjects, C sources,
 * paths, refs. jansson refuses bytes that are not UTF-8 (old histories have
 * Latin-1 names, a C file may hold anything), and a refused string would
 * drop a key the output contract promises; these never fail.
 */
#ifndef MT_JSONTEXT_H
#define MT_JSONTEXT_H

#include <jansson.h>
#include <stdbool.h>

#include "util/oid.h"

/* A string; bytes that are not UTF-8 become U+FFFD. Never NULL. */
json_t *json_text(const char *s);
/* json_text, or null for NULL. */
json_t *json_text_or_null(const char *s);
/* 40 hex digits, or null when !has. */
json_t *json_oid_or_null(bool has, const struct mt_oid *oid);

struct strbuf;
/*
 * Appends `root` as every JSON file mtcheck writes has it: two-space
 * indentation, keys in insertion order, a final newline; frees root.
 */
void json_dump_to(struct strbuf *out, json_t *root);

#endif
