#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* FNV-1a: paths share long prefixes, so every byte counts. */
static size_t str_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)h;
}

static struct strmap_entry *find_slot(const struct strmap *map, const char *key)
{
	size_t mask = map->nslots - 1, i = str_hash(key) & mask;

	while (map->slots[i].key && strcmp(map->slots[i].key, key))
		i = (i + 1) & mask;
	return &map->slots[i];
}

int strmap_get(const struct strmap *map, const char *key, void **value)
{
	struct strmap_entry *e;

	if (!map->nslots)
		return 0;
	e = find_slot(map, key);
	if (!e->key)
		return 0;
	if (value)
		*value = e->value;
	return 1;
}

static void rehash(struct strmap *map, size_t nslots)
{
	struct strmap old = *map;
	size_t i;

	map->slots = xcalloc(nslots, sizeof(*map->slots));
	map->nslots = nslots;
	for (i = 0; i < old.nslots; i++) {
		if (old.slots[i].key)
			*find_slot(map, old.slots[i].key) = old.slots[i];
	}
	free(old.slots);
}

void strmap_put(struct strmap *map, const char *key, void *value)
{
	struct strmap_entry *e;

	if ((map->count + 1) * 4 > map->nslots * 3)
		rehash(map, map->nslots ? map->nslots * 2 : 64);
	e = find_slot(map, key);
	if (!e->key) {
		e->key = xstrdup(key);
		map->count++;
	}
	e->value = value;
}

void strmap_release(struct strmap *map)
{
	size_t i;

	for (i = 0; i < map->nslots; i++)
		free(map->slots[i].key);
	free(map->slots);
	map->slots = NULL;
	map->nslots = map->count = 0;
}
