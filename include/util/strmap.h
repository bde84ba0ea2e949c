/* A hash map from string (copied in) to a caller-owned pointer (per-path caches). */
#ifndef MT_STRMAP_H
#define MT_STRMAP_H

#include <stddef.h>

struct strmap_entry {
	char *key; /* NULL for a free slot */
	void *value;
};

struct strmap {
	struct strmap_entry *slots;
	size_t nslots; /* a power of two, or 0 */
	size_t count;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Returns whether key is present, and its value in *value (when value is not NULL). */
int strmap_get(const struct strmap *map, const char *key, void **value);
/* Stores value under a copy of key, replacing any previous value. */
void strmap_put(struct strmap *map, const char *key, void *value);
/* Frees the table and its keys, not the values. */
void strmap_release(struct strmap *map);

#endif
