/*
 * Objects read straight from the repository's pack files, with a cache of
 * delta bases: the repo module's tree walks and blob reads go here first.
 *
 * Why: a pack stores most versions of a tree or a file as a delta against
 * another version, in chains up to 50 deep. libgit2 1.5 keeps only the
 * bottom of a chain in its delta-base cache, so every version read was
 * rebuilt through its whole chain (about 20 inflates and copies of a
 * 20 KB tree on average). mtcheck reads many neighbouring versions (a
 * stream's backports, their upstream commits), whose chains share most of
 * their links; like git, this reader keeps every object it builds a delta
 * on, so the next version costs a link or two.
 *
 * Only what is simple is read here: an object in a version-2 index's pack,
 * stored whole or as an offset or same-pack reference delta. Anything else
 * (a loose object, an alternate, a damaged entry, a delta that does not
 * apply) is MT_ENOTFOUND, and the caller asks libgit2, which reads it or
 * reports what is wrong with it. Files are mapped read-only; nothing is
 * ever written.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "util/error.h"
#include "util/mtlimits.h"
#include "repo_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define IDX_MAGIC 0xff744f63u
#define IDX_HEADER 8 /* magic, version */
#define IDX_FANOUT (256 * 4)
#define PACK_HEADER 12 /* "PACK", version, count */
#define PACK_TRAILER MT_OID_RAWSZ

enum pack_type {
	PACK_COMMIT = 1,
	PACK_TREE = 2,
	PACK_BLOB = 3,
	PACK_TAG = 4,
	PACK_OFS_DELTA = 6,
	PACK_REF_DELTA = 7,
};

#define PACK_MAX_CHAIN MT_LIMIT_DELTA_CHAIN
#define PACK_CACHE_BYTES ((size_t)MT_LIMIT_DELTA_BASES)
/* Objects larger than this are neither cached nor built here. */
#define PACK_MAX_OBJECT ((size_t)MT_LIMIT_BLOB_SIZE)

struct mapped {
	const unsigned char *data;
	size_t len;
};

struct pack {
	struct mapped idx, pack;
	uint32_t count;
	const unsigned char *oids;    /* count * 20 bytes, sorted */
	const unsigned char *offsets; /* count * 4 bytes */
	const unsigned char *large;   /* nlarge 8-byte offsets */
	size_t nlarge;
};

/* A built object kept as a delta base: a hash slot and a place in the LRU list. */
struct cached {
	size_t pack;
	uint64_t offset;
	enum pack_type type;
	unsigned char *data;
	size_t len;
	struct cached *newer, *older;
	bool used;
};

struct pack_reader {
	struct pack *packs;
	size_t npacks;
	z_stream z;
	bool z_ready;
	struct cached *slots; /* open addressing on (pack, offset) */
	size_t nslots, count, bytes;
	struct cached *newest, *oldest;
	uint64_t *chain;      /* offsets of the deltas being resolved */
	size_t chain_alloc;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int map_file(struct mapped *out, const char *path)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	out->data = NULL;
	out->len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || (uintmax_t)st.st_size > SIZE_MAX) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	out->data = p;
	out->len = (size_t)st.st_size;
	return 0;
}

static void unmap_file(struct mapped *m)
{
	if (m->data)
		munmap((void *)m->data, m->len);
	m->data = NULL;
}

/* Checks an index and its pack against each other; false leaves the pair to libgit2. */
static bool pack_usable(struct pack *p)
{
	const unsigned char *idx = p->idx.data, *fanout = idx + IDX_HEADER;
	size_t fixed, i;
	uint32_t prev = 0;

	if (p->idx.len < IDX_HEADER + IDX_FANOUT + 2 * MT_OID_RAWSZ || be32(idx) != IDX_MAGIC ||
	    be32(idx + 4) != 2)
		return false;
	for (i = 0; i < 256; i++) {
		uint32_t n = be32(fanout + 4 * i);

		if (n < prev)
			return false;
		prev = n;
	}
	p->count = prev;
	/* Per object an id, a CRC and a 4-byte offset; then large offsets; then two checksums. */
	fixed = IDX_HEADER + IDX_FANOUT + (size_t)p->count * (MT_OID_RAWSZ + 4 + 4);
	if (p->idx.len < fixed + 2 * MT_OID_RAWSZ || (p->idx.len - fixed - 2 * MT_OID_RAWSZ) % 8)
		return false;
	p->oids = fanout + IDX_FANOUT;
	p->offsets = p->oids + (size_t)p->count * (MT_OID_RAWSZ + 4);
	p->large = idx + fixed;
	p->nlarge = (p->idx.len - fixed - 2 * MT_OID_RAWSZ) / 8;
	return p->pack.len >= PACK_HEADER + PACK_TRAILER && !memcmp(p->pack.data, "PACK", 4) &&
	       (be32(p->pack.data + 4) == 2 || be32(p->pack.data + 4) == 3) &&
	       be32(p->pack.data + 8) == p->count;
}

static void add_pack(struct pack_reader *r, const char *dir, const char *idx_name)
{
	struct strbuf path = STRBUF_INIT;
	struct pack p;

	memset(&p, 0, sizeof(p));
	strbuf_addf(&path, "%s/%s", dir, idx_name);
	if (map_file(&p.idx, path.buf) == 0) {
		strbuf_setlen(&path, path.len - 4);
		strbuf_addstr(&path, ".pack");
		if (map_file(&p.pack, path.buf) == 0 && pack_usable(&p)) {
			r->packs = xrealloc(r->packs, (r->npacks + 1) * sizeof(*r->packs));
			r->packs[r->npacks++] = p;
			strbuf_release(&path);
			return;
		}
	}
	unmap_file(&p.idx);
	unmap_file(&p.pack);
	strbuf_release(&path);
}

struct pack_reader *pack_reader_open(git_repository *repo)
{
	git_buf objects = GIT_BUF_INIT;
	struct strbuf dir = STRBUF_INIT;
	struct pack_reader *r;
	struct dirent *de;
	DIR *d;

	if (git_repository_item_path(&objects, repo, GIT_REPOSITORY_ITEM_OBJECTS) < 0) {
		git_error_clear();
		return NULL;
	}
	strbuf_addf(&dir, "%spack", objects.ptr);
	git_buf_dispose(&objects);
	r = xcalloc(1, sizeof(*r));
	d = opendir(dir.buf);
	while (d && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len > 4 && !strcmp(de->d_name + len - 4, ".idx"))
			add_pack(r, dir.buf, de->d_name);
	}
	if (d)
		closedir(d);
	strbuf_release(&dir);
	if (!r->npacks) {
		free(r);
		return NULL;
	}
	return r;
}

void pack_reader_free(struct pack_reader *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->npacks; i++) {
		unmap_file(&r->packs[i].idx);
		unmap_file(&r->packs[i].pack);
	}
	free(r->packs);
	for (i = 0; i < r->nslots; i++)
		free(r->slots[i].data);
	free(r->slots);
	free(r->chain);
	if (r->z_ready)
		inflateEnd(&r->z);
	free(r);
}

/* ---- the base cache: (pack, offset) -> built object, least recently used evicted ---- */

static size_t slot_of(const struct pack_reader *r, size_t pack, uint64_t offset)
{
	uint64_t h = (offset ^ ((uint64_t)pack << 56)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20) & (r->nslots - 1);
}

static struct cached *cache_find(struct pack_reader *r, size_t pack, uint64_t offset)
{
	size_t i;

	if (!r->nslots)
		return NULL;
	for (i = slot_of(r, pack, offset); r->slots[i].used; i = (i + 1) & (r->nslots - 1)) {
		if (r->slots[i].pack == pack && r->slots[i].offset == offset)
			return &r->slots[i];
	}
	return NULL;
}

static void lru_unlink(struct pack_reader *r, struct cached *c)
{
	if (c->newer)
		c->newer->older = c->older;
	else
		r->newest = c->older;
	if (c->older)
		c->older->newer = c->newer;
	else
		r->oldest = c->newer;
	c->newer = c->older = NULL;
}

static void lru_push(struct pack_reader *r, struct cached *c)
{
	c->older = r->newest;
	c->newer = NULL;
	if (r->newest)
		r->newest->newer = c;
	r->newest = c;
	if (!r->oldest)
		r->oldest = c;
}

static void cache_touch(struct pack_reader *r, struct cached *c)
{
	lru_unlink(r, c);
	lru_push(r, c);
}

/*
 * Rebuilds the table from the LRU list at `nslots`: linear probing cannot
 * delete in place, and evictions come in batches.
 */
static void cache_rebuild(struct pack_reader *r, size_t nslots)
{
	struct cached *old = r->slots, *c = r->oldest;

	r->slots = xcalloc(nslots, sizeof(*r->slots));
	r->nslots = nslots;
	r->count = 0;
	r->newest = r->oldest = NULL;
	/* Oldest first, so the list comes out in the same order. */
	while (c) {
		struct cached *next = c->newer;
		size_t i = slot_of(r, c->pack, c->offset);

		while (r->slots[i].used)
			i = (i + 1) & (r->nslots - 1);
		r->slots[i] = *c;
		lru_push(r, &r->slots[i]);
		r->count++;
		c = next;
	}
	free(old);
}

/* Drops the least recently used bases down to three quarters of the budget, then rebuilds. */
static void cache_evict(struct pack_reader *r, size_t need)
{
	while (r->oldest && r->bytes + need > PACK_CACHE_BYTES / 4 * 3) {
		struct cached *c = r->oldest;

		lru_unlink(r, c);
		r->bytes -= c->len;
		free(c->data);
	}
	cache_rebuild(r, r->nslots);
}

/*
 * Takes `data` (xmalloc'd, len + 1 bytes) as the base at (pack, offset);
 * false, leaving it to the caller, when it is too large or already kept.
 */
static bool cache_keep(struct pack_reader *r, size_t pack, uint64_t offset, enum pack_type type,
		       unsigned char *data, size_t len)
{
	struct cached *c;
	size_t i;

	if (len > PACK_CACHE_BYTES / 4 || cache_find(r, pack, offset))
		return false;
	if (r->bytes + len > PACK_CACHE_BYTES)
		cache_evict(r, len);
	if ((r->count + 1) * 2 > r->nslots)
		cache_rebuild(r, r->nslots ? r->nslots * 2 : 256);
	for (i = slot_of(r, pack, offset); r->slots[i].used; i = (i + 1) & (r->nslots - 1))
		;
	c = &r->slots[i];
	c->used = true;
	c->pack = pack;
	c->offset = offset;
	c->type = type;
	c->data = data;
	c->len = len;
	lru_push(r, c);
	r->count++;
	r->bytes += len;
	return true;
}

/* ---- pack entries ---- */

/* The object's offset in the pack, or false when the index does not list it. */
static bool find_offset(uint64_t *out, const struct pack *p, const unsigned char *oid)
{
	const unsigned char *fanout = p->idx.data + IDX_HEADER;
	uint32_t lo = oid[0] ? be32(fanout + 4 * (oid[0] - 1)) : 0;
	uint32_t hi = be32(fanout + 4 * oid[0]);

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2, off;
		int c = memcmp(p->oids + (size_t)mid * MT_OID_RAWSZ, oid, MT_OID_RAWSZ);

		if (c < 0) {
			lo = mid + 1;
		} else if (c > 0) {
			hi = mid;
		} else {
			off = be32(p->offsets + (size_t)mid * 4);
			if (!(off & 0x80000000u)) {
				*out = off;
				return true;
			}
			off &= 0x7fffffffu;
			if (off >= p->nlarge)
				return false;
			*out = (uint64_t)be32(p->large + (size_t)off * 8) << 32 |
			       be32(p->large + (size_t)off * 8 + 4);
			return true;
		}
	}
	return false;
}

struct entry {
	enum pack_type type;
	uint64_t size;               /* inflated size (of the delta, for a delta) */
	const unsigned char *data;   /* the zlib stream */
	uint64_t base;               /* a delta's base offset */
};

/* Parses the entry header at `offset`; false for anything out of bounds or unknown. */
static bool read_entry(struct entry *e, const struct pack *p, uint64_t offset)
{
	const unsigned char *end = p->pack.data + p->pack.len - PACK_TRAILER, *at;
	unsigned shift = 4;
	unsigned char c;

	if (offset < PACK_HEADER || offset >= (uint64_t)(end - p->pack.data))
		return false;
	at = p->pack.data + offset;
	c = *at++;
	e->type = (enum pack_type)((c >> 4) & 7);
	e->size = c & 15;
	while (c & 0x80) {
		if (at >= end || shift > 57)
			return false;
		c = *at++;
		e->size |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (e->type == PACK_OFS_DELTA) {
		uint64_t back;

		if (at >= end)
			return false;
		c = *at++;
		back = c & 0x7f;
		while (c & 0x80) {
			if (at >= end || back > (UINT64_MAX >> 8))
				return false;
			c = *at++;
			back = ((back + 1) << 7) | (c & 0x7f);
		}
		if (back == 0 || back > offset)
			return false;
		e->base = offset - back;
	} else if (e->type == PACK_REF_DELTA) {
		if ((size_t)(end - at) < MT_OID_RAWSZ || !find_offset(&e->base, p, at))
			return false;
		at += MT_OID_RAWSZ;
	} else if (e->type < PACK_COMMIT || e->type > PACK_TAG) {
		return false;
	}
	if (e->size > PACK_MAX_OBJECT)
		return false;
	e->data = at;
	return true;
}

/* Inflates an entry's stream to exactly e->size bytes; NULL when it does not. */
static unsigned char *inflate_entry(struct pack_reader *r, const struct pack *p,
				    const struct entry *e)
{
	const unsigned char *end = p->pack.data + p->pack.len - PACK_TRAILER;
	unsigned char *out = xmalloc((size_t)e->size + 1);
	size_t avail = (size_t)(end - e->data);

	if (!r->z_ready) {
		memset(&r->z, 0, sizeof(r->z));
		if (inflateInit(&r->z) != Z_OK) {
			free(out);
			return NULL;
		}
		r->z_ready = true;
	} else if (inflateReset(&r->z) != Z_OK) {
		free(out);
		return NULL;
	}
	r->z.next_in = (unsigned char *)e->data;
	r->z.avail_in = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
	r->z.next_out = out;
	/* One byte more than stated: an entry that inflates longer is damaged. */
	r->z.avail_out = (uInt)e->size + 1;
	if (inflate(&r->z, Z_FINISH) != Z_STREAM_END || r->z.total_out != e->size) {
		free(out);
		return NULL;
	}
	return out;
}

static bool delta_size(uint64_t *out, const unsigned char **p, const unsigned char *end)
{
	unsigned shift = 0;
	unsigned char c;

	*out = 0;
	do {
		if (*p >= end || shift > 63)
			return false;
		c = *(*p)++;
		*out |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return true;
}

unsigned char *pack_delta_apply(const unsigned char *base, size_t base_len,
			       const unsigned char *delta, size_t delta_len, size_t *out_len)
{
	const unsigned char *p = delta, *end = delta + delta_len;
	uint64_t src, dst;
	unsigned char *out, *w;

	if (!delta_size(&src, &p, end) || src != base_len || !delta_size(&dst, &p, end) ||
	    dst > PACK_MAX_OBJECT)
		return NULL;
	out = w = xmalloc((size_t)dst + 1);
	while (p < end) {
		unsigned char op = *p++;

		if (op & 0x80) {
			uint64_t off = 0, len = 0;
			unsigned i;

			for (i = 0; i < 4; i++) {
				if (op & (1u << i)) {
					if (p >= end)
						goto bad;
					off |= (uint64_t)*p++ << (8 * i);
				}
			}
			for (i = 0; i < 3; i++) {
				if (op & (0x10u << i)) {
					if (p >= end)
						goto bad;
					len |= (uint64_t)*p++ << (8 * i);
				}
			}
			if (!len)
				len = 0x10000;
			if (off + len > base_len || len > dst - (uint64_t)(w - out))
				goto bad;
			memcpy(w, base + off, (size_t)len);
			w += len;
		} else if (op) {
			if (op > (size_t)(end - p) || op > dst - (uint64_t)(w - out))
				goto bad;
			memcpy(w, p, op);
			w += op;
			p += op;
		} else {
			goto bad;
		}
	}
	if ((uint64_t)(w - out) != dst)
		goto bad;
	*w = '\0';
	*out_len = (size_t)dst;
	return out;
bad:
	free(out);
	return NULL;
}

/*
 * The object at `offset`: its base found in the cache or read whole, then
 * each delta applied in turn. Every object a delta was applied to is handed
 * to the cache (not copied): it is the base the next neighbouring version
 * needs.
 */
static unsigned char *build(struct pack_reader *r, size_t pack, uint64_t offset,
			    enum pack_type *type, size_t *len)
{
	const struct pack *p = &r->packs[pack];
	struct cached *hit = NULL;
	struct entry e;
	const unsigned char *base;
	unsigned char *obj = NULL;
	size_t nchain = 0, obj_len = 0;
	uint64_t at = offset;

	for (;;) {
		hit = cache_find(r, pack, at);
		if (hit)
			break;
		if (!read_entry(&e, p, at))
			return NULL;
		if (e.type != PACK_OFS_DELTA && e.type != PACK_REF_DELTA)
			break;
		if (nchain >= PACK_MAX_CHAIN)
			return NULL;
		ARRAY_GROW(r->chain, nchain, r->chain_alloc);
		r->chain[nchain++] = at;
		at = e.base;
	}
	if (hit) {
		cache_touch(r, hit);
		*type = hit->type;
		base = hit->data;
		obj_len = hit->len;
	} else {
		*type = e.type;
		obj_len = (size_t)e.size;
		base = obj = inflate_entry(r, p, &e);
		if (!obj)
			return NULL;
	}
	/* `base` is the cache's (hit) or ours (obj); at is its offset. */
	while (nchain) {
		unsigned char *delta, *next = NULL;
		uint64_t next_at = r->chain[--nchain];
		size_t next_len = 0;

		if (read_entry(&e, p, next_at) && (delta = inflate_entry(r, p, &e)) != NULL) {
			next = pack_delta_apply(base, obj_len, delta, (size_t)e.size, &next_len);
			free(delta);
		}
		/* Nothing is put in the cache before the hit's data is used: a put may evict it. */
		if (obj && (!next || !cache_keep(r, pack, at, *type, obj, obj_len)))
			free(obj);
		if (!next)
			return NULL;
		base = obj = next;
		obj_len = next_len;
		at = next_at;
	}
	if (!obj) { /* the object itself was in the cache */
		obj = xmalloc(obj_len + 1);
		memcpy(obj, base, obj_len);
	}
	obj[obj_len] = '\0';
	*len = obj_len;
	return obj;
}

static git_object_t git_type(enum pack_type type)
{
	switch (type) {
	case PACK_COMMIT:
		return GIT_OBJECT_COMMIT;
	case PACK_TREE:
		return GIT_OBJECT_TREE;
	case PACK_BLOB:
		return GIT_OBJECT_BLOB;
	default:
		return GIT_OBJECT_TAG;
	}
}

int pack_reader_read(struct pack_reader *r, const struct mt_oid *oid, git_object_t want,
		     unsigned char **data, size_t *len)
{
	size_t i;
	uint64_t offset;

	for (i = 0; r && i < r->npacks; i++) {
		enum pack_type type;
		unsigned char *obj;

		if (!find_offset(&offset, &r->packs[i], oid->id))
			continue;
		obj = build(r, i, offset, &type, len);
		if (!obj)
			return MT_ENOTFOUND;
		if (git_type(type) != want) {
			free(obj);
			return MT_ENOTFOUND;
		}
		*data = obj;
		return MT_OK;
	}
	return MT_ENOTFOUND;
}
