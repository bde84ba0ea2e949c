/* A hash map from object id to a caller-owned pointer (blob, parse and patch-id caches). */
#ifndef MT_OIDMAP_H
#define MT_OIDMAP_H

#include <stddef.h>

#include "util/oid.h"

struct oidmap_entry {
	struct mt_oid key;
	void *value;
	int used;
};

struct oidmap {
	struct oidmap_entry *slots;
	size_t nslots; /* a power of two, or 0 */
	size_t count;
};

#define OIDMAP_INIT { NULL, 0, 0 }

/* Returns the stored value, or NULL. */
void *oidmap_get(const struct oidmap *map, const struct mt_oid *key);
/* Stores value under key, replacing and returning any previous value. */
void *oidmap_put(struct oidmap *map, const struct mt_oid *key, void *value);
/* Makes room for `count` entries at once (growing one doubling at a time rehashes each time). */
void oidmap_reserve(struct oidmap *map, size_t count);
/* Calls fn on every value (in no particular order), e.g. to free them. */
void oidmap_each(struct oidmap *map, void (*fn)(void *value, void *payload), void *payload);
/* Frees the table, not the values. */
void oidmap_release(struct oidmap *map);

#endif
