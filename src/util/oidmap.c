#include "util/oidmap.h"

#include <string.h>

#include "util/xalloc.h"

/* Object ids are already uniformly distributed: their first bytes are the hash. */
static size_t oid_hash(const struct mt_oid *oid)
{
	size_t h;

	memcpy(&h, oid->id, sizeof(h));
	return h;
}

static struct oidmap_entry *find_slot(const struct oidmap *map, const struct mt_oid *key)
{
	size_t mask = map->nslots - 1, i = oid_hash(key) & mask;

	while (map->slots[i].used && !oid_equal(&map->slots[i].key, key))
		i = (i + 1) & mask;
	return &map->slots[i];
}

void *oidmap_get(const struct oidmap *map, const struct mt_oid *key)
{
	struct oidmap_entry *e;

	if (!map->nslots)
		return NULL;
	e = find_slot(map, key);
	return e->used ? e->value : NULL;
}

static void rehash(struct oidmap *map, size_t nslots)
{
	struct oidmap old = *map;
	size_t i;

	map->slots = xcalloc(nslots, sizeof(*map->slots));
	map->nslots = nslots;
	for (i = 0; i < old.nslots; i++) {
		if (old.slots[i].used)
			*find_slot(map, &old.slots[i].key) = old.slots[i];
	}
	free(old.slots);
}

void oidmap_reserve(struct oidmap *map, size_t count)
{
	size_t nslots = map->nslots ? map->nslots : 64;

	while (count * 4 > nslots * 3)
		nslots *= 2;
	if (nslots > map->nslots)
		rehash(map, nslots);
}

void *oidmap_put(struct oidmap *map, const struct mt_oid *key, void *value)
{
	struct oidmap_entry *e;
	void *prev;

	if ((map->count + 1) * 4 > map->nslots * 3)
		rehash(map, map->nslots ? map->nslots * 2 : 64);
	e = find_slot(map, key);
	if (e->used) {
		prev = e->value;
		e->value = value;
		return prev;
	}
	e->used = 1;
	e->key = *key;
	e->value = value;
	map->count++;
	return NULL;
}

void oidmap_each(struct oidmap *map, void (*fn)(void *value, void *payload), void *payload)
{
	size_t i;

	for (i = 0; i < map->nslots; i++) {
		if (map->slots[i].used)
			fn(map->slots[i].value, payload);
	}
}

void oidmap_release(struct oidmap *map)
{
	free(map->slots);
	map->slots = NULL;
	map->nslots = map->count = 0;
}
