/*
 * An object database backend for libgit2 (git2/sys/odb_backend.h), added
 * ahead of libgit2's own: every object mtcheck reads from the repository's
 * pack files -- trees, blobs, commits, and the commits libgit2's revwalk
 * and merge-base read -- is built here, with a cache of delta bases.
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
 * (a loose object, an alternate, an object over the size limit, a chain
 * longer than the limit) is passed on to libgit2's backends. A damaged
 * entry is an error naming the pack, the object and what is wrong, never
 * other bytes: each entry inflated is checked by zlib's own checksum and
 * for its stated size, and the object asked for is checked against the
 * CRC32 the index holds for it, so an index whose offsets point at another
 * object's entry is caught. Files are mapped read-only; nothing is ever
 * written.
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
#include <git2/sys/odb_backend.h>

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
/* Ahead of libgit2's own packed and loose backends (priorities 1 and 2). */
#define PACK_BACKEND_PRIORITY 10

struct mapped {
	const unsigned char *data;
	size_t len;
};

struct pack {
	struct mapped idx, pack;
	char *name;                   /* "pack-<sha>.pack", for messages */
	uint32_t count;
	const unsigned char *oids;    /* count * 20 bytes, sorted */
	const unsigned char *crcs;    /* count * 4 bytes: each entry's CRC32 */
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
	uint32_t crc;       /* of the entry at offset, as stored */
	struct cached *newer, *older;
	bool used;
};

struct pack_reader {
	struct strbuf why;    /* what PACK_DAMAGED found */
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
	p->crcs = p->oids + (size_t)p->count * MT_OID_RAWSZ;
	p->offsets = p->crcs + (size_t)p->count * 4;
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
			p.name = xstrdup(strrchr(path.buf, '/') + 1);
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
		free(r->packs[i].name);
	}
	free(r->packs);
	for (i = 0; i < r->nslots; i++)
		free(r->slots[i].data);
	free(r->slots);
	free(r->chain);
	strbuf_release(&r->why);
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
		       unsigned char *data, size_t len, uint32_t crc)
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
	c->crc = crc;
	lru_push(r, c);
	r->count++;
	r->bytes += len;
	return true;
}

/* ---- pack entries ---- */

/* What reading an object here came to. */
enum pack_status {
	PACK_BUILT,
	PACK_PASS,    /* not for this reader (too large, too deep): libgit2's backends read it */
	PACK_DAMAGED, /* r->why says what */
};

static enum pack_status damaged(struct pack_reader *r, const struct pack *p, uint64_t offset,
				const char *what)
{
	strbuf_reset(&r->why);
	strbuf_addf(&r->why, "%s: entry at offset %llu: %s", p->name, (unsigned long long)offset,
		    what);
	return PACK_DAMAGED;
}

/*
 * The object's offset in the pack and its place in the index, or false when
 * the index does not list it.
 */
static bool find_offset(uint64_t *out, uint32_t *pos, const struct pack *p,
			const unsigned char *oid)
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
			*pos = mid;
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
	uint64_t offset;
	enum pack_type type;
	uint64_t size;               /* inflated size (of the delta, for a delta) */
	const unsigned char *data;   /* the zlib stream */
	uint64_t base;               /* a delta's base offset */
};

/*
 * An entry over the size limit is libgit2's to read, and libgit2 allocates
 * the size an entry states before it inflates a byte: a damaged header that
 * says 2.8 GB would cost that much memory before the damage showed. So the
 * entry is inflated here first into a small buffer, nothing kept; only one
 * that really inflates to its stated size is passed on.
 */
static enum pack_status too_large(struct pack_reader *r, const struct pack *p,
				  const struct entry *e)
{
	const unsigned char *end = p->pack.data + p->pack.len - PACK_TRAILER;
	unsigned char scratch[16384];
	z_stream z;
	int zerr;

	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK)
		return damaged(r, p, e->offset, "cannot start zlib");
	z.next_in = (unsigned char *)e->data;
	z.avail_in = (uInt)((size_t)(end - e->data) > UINT32_MAX ? UINT32_MAX
							       : (size_t)(end - e->data));
	do {
		z.next_out = scratch;
		z.avail_out = sizeof(scratch);
		zerr = inflate(&z, Z_NO_FLUSH);
	} while (zerr == Z_OK && z.total_out <= e->size);
	inflateEnd(&z);
	if (zerr != Z_STREAM_END || z.total_out != e->size)
		return damaged(r, p, e->offset, "does not inflate to its stated size");
	return PACK_PASS;
}

/* Parses the entry header at `offset`; anything out of bounds or unknown is damage. */
static enum pack_status read_entry(struct entry *e, struct pack_reader *r, const struct pack *p,
				   uint64_t offset)
{
	const unsigned char *end = p->pack.data + p->pack.len - PACK_TRAILER, *at;
	unsigned shift = 4;
	unsigned char c;

	e->offset = offset;
	if (offset < PACK_HEADER || offset >= (uint64_t)(end - p->pack.data))
		return damaged(r, p, offset, "offset outside the pack");
	at = p->pack.data + offset;
	c = *at++;
	e->type = (enum pack_type)((c >> 4) & 7);
	e->size = c & 15;
	while (c & 0x80) {
		if (at >= end || shift > 57)
			return damaged(r, p, offset, "bad entry header");
		c = *at++;
		e->size |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (e->type == PACK_OFS_DELTA) {
		uint64_t back;

		if (at >= end)
			return damaged(r, p, offset, "bad entry header");
		c = *at++;
		back = c & 0x7f;
		while (c & 0x80) {
			if (at >= end || back > (UINT64_MAX >> 8))
				return damaged(r, p, offset, "bad delta base offset");
			c = *at++;
			back = ((back + 1) << 7) | (c & 0x7f);
		}
		if (back == 0 || back > offset)
			return damaged(r, p, offset, "bad delta base offset");
		e->base = offset - back;
	} else if (e->type == PACK_REF_DELTA) {
		uint32_t pos;

		if ((size_t)(end - at) < MT_OID_RAWSZ)
			return damaged(r, p, offset, "bad entry header");
		/* A base in another pack (a thin pack's): libgit2 finds it. */
		if (!find_offset(&e->base, &pos, p, at))
			return PACK_PASS;
		at += MT_OID_RAWSZ;
	} else if (e->type < PACK_COMMIT || e->type > PACK_TAG) {
		return damaged(r, p, offset, "unknown object type");
	}
	e->data = at;
	if (e->size > PACK_MAX_OBJECT)
		return too_large(r, p, e);
	return PACK_BUILT;
}

/*
 * Inflates an entry's stream to exactly e->size bytes and computes the CRC32
 * of the entry as stored (header and stream: what the index's CRC covers);
 * NULL, with r->why set, when it does not inflate to that size.
 */
static unsigned char *inflate_entry(struct pack_reader *r, const struct pack *p,
				    const struct entry *e, uint32_t *crc)
{
	const unsigned char *end = p->pack.data + p->pack.len - PACK_TRAILER;
	unsigned char *out = xmalloc((size_t)e->size + 1);
	size_t avail = (size_t)(end - e->data);

	if (!r->z_ready) {
		memset(&r->z, 0, sizeof(r->z));
		if (inflateInit(&r->z) != Z_OK) {
			free(out);
			damaged(r, p, e->offset, "cannot start zlib");
			return NULL;
		}
		r->z_ready = true;
	} else if (inflateReset(&r->z) != Z_OK) {
		free(out);
		damaged(r, p, e->offset, "cannot start zlib");
		return NULL;
	}
	r->z.next_in = (unsigned char *)e->data;
	r->z.avail_in = (uInt)(avail > UINT32_MAX ? UINT32_MAX : avail);
	r->z.next_out = out;
	/* One byte more than stated: an entry that inflates longer is damaged. */
	r->z.avail_out = (uInt)e->size + 1;
	if (inflate(&r->z, Z_FINISH) != Z_STREAM_END || r->z.total_out != e->size) {
		free(out);
		damaged(r, p, e->offset, "does not inflate to its stated size");
		return NULL;
	}
	*crc = (uint32_t)crc32(0L, p->pack.data + e->offset,
			       (uInt)(e->data - (p->pack.data + e->offset) + r->z.total_in));
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

/* Whether a delta states a result over the size limit (which pack_delta_apply refuses). */
static bool delta_too_large(const unsigned char *delta, size_t len)
{
	const unsigned char *p = delta, *end = delta + len;
	uint64_t src, dst;

	return delta_size(&src, &p, end) && delta_size(&dst, &p, end) && dst > PACK_MAX_OBJECT;
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
 * needs. *crc is the CRC32 of the entry at `offset` as stored.
 */
static enum pack_status build(unsigned char **out, struct pack_reader *r, size_t pack,
			      uint64_t offset, enum pack_type *type, size_t *len, uint32_t *crc)
{
	const struct pack *p = &r->packs[pack];
	struct cached *hit = NULL;
	struct entry e;
	const unsigned char *base;
	unsigned char *obj = NULL;
	size_t nchain = 0, obj_len = 0;
	uint64_t at = offset;
	uint32_t obj_crc = 0;
	enum pack_status st;

	for (;;) {
		hit = cache_find(r, pack, at);
		if (hit)
			break;
		if ((st = read_entry(&e, r, p, at)) != PACK_BUILT)
			return st;
		if (e.type != PACK_OFS_DELTA && e.type != PACK_REF_DELTA)
			break;
		if (nchain >= PACK_MAX_CHAIN)
			return PACK_PASS;
		ARRAY_GROW(r->chain, nchain, r->chain_alloc);
		r->chain[nchain++] = at;
		at = e.base;
	}
	if (hit) {
		cache_touch(r, hit);
		*type = hit->type;
		base = hit->data;
		obj_len = hit->len;
		obj_crc = hit->crc;
	} else {
		*type = e.type;
		obj_len = (size_t)e.size;
		base = obj = inflate_entry(r, p, &e, &obj_crc);
		if (!obj)
			return PACK_DAMAGED;
	}
	/* `base` is the cache's (hit) or ours (obj); at is its offset. */
	while (nchain) {
		unsigned char *delta, *next = NULL;
		uint64_t next_at = r->chain[--nchain];
		size_t next_len = 0;
		uint32_t next_crc = 0;

		st = read_entry(&e, r, p, next_at);
		if (st == PACK_BUILT) {
			delta = inflate_entry(r, p, &e, &next_crc);
			if (!delta) {
				st = PACK_DAMAGED;
			} else {
				next = pack_delta_apply(base, obj_len, delta, (size_t)e.size, &next_len);
				/* Too large a result is libgit2's to build; anything else is damage. */
				if (!next && delta_too_large(delta, (size_t)e.size))
					st = PACK_PASS;
				else if (!next)
					st = damaged(r, p, next_at, "delta does not apply to its base");
				free(delta);
			}
		}
		/* Nothing is put in the cache before the hit's data is used: a put may evict it. */
		if (obj && (!next || !cache_keep(r, pack, at, *type, obj, obj_len, obj_crc)))
			free(obj);
		if (!next)
			return st;
		base = obj = next;
		obj_len = next_len;
		obj_crc = next_crc;
		at = next_at;
	}
	if (!obj) { /* the object itself was in the cache */
		obj = xmalloc(obj_len + 1);
		memcpy(obj, base, obj_len);
	}
	obj[obj_len] = '\0';
	*out = obj;
	*len = obj_len;
	*crc = obj_crc;
	return PACK_BUILT;
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

int pack_reader_read(struct pack_reader *r, const struct mt_oid *oid, git_object_t *type,
		     unsigned char **data, size_t *len)
{
	size_t i;
	uint64_t offset;
	uint32_t pos, crc;

	for (i = 0; r && i < r->npacks; i++) {
		const struct pack *p = &r->packs[i];
		enum pack_type ptype = PACK_BLOB;
		enum pack_status st;
		char hex[MT_OID_HEXSZ + 1];

		if (!find_offset(&offset, &pos, p, oid->id))
			continue;
		st = build(data, r, i, offset, &ptype, len, &crc);
		if (st == PACK_PASS)
			return MT_ENOTFOUND;
		if (st == PACK_BUILT && crc != be32(p->crcs + (size_t)pos * 4)) {
			free(*data);
			*data = NULL;
			damaged(r, p, offset, "CRC32 differs from the index's");
			st = PACK_DAMAGED;
		}
		if (st == PACK_DAMAGED) {
			oid_to_hex(hex, oid);
			return mt_error_set("object %s: %s", hex, r->why.buf);
		}
		*type = git_type(ptype);
		return MT_OK;
	}
	return MT_ENOTFOUND;
}

/* ---- the backend ---- */

/*
 * `built` holds the object the last header read built: callers ask for a
 * header before a read (repo_read_blob checks a blob's size first), and
 * libgit2's own header read of a delta is an inflate of its own.
 */
struct pack_backend {
	git_odb_backend parent;
	struct pack_reader *reader;
	struct mt_oid built_oid;
	unsigned char *built;
	size_t built_len;
	git_object_t built_type;
};

static int backend_build(struct pack_backend *b, const git_oid *id)
{
	struct mt_oid oid;
	int ret;

	memcpy(oid.id, id->id, MT_OID_RAWSZ);
	if (b->built && oid_equal(&b->built_oid, &oid))
		return 0;
	free(b->built);
	b->built = NULL;
	ret = pack_reader_read(b->reader, &oid, &b->built_type, &b->built, &b->built_len);
	if (ret < 0)
		b->built = NULL;
	if (ret == MT_ENOTFOUND)
		return GIT_PASSTHROUGH;
	if (ret < 0) {
		git_error_set_str(GIT_ERROR_ODB, mt_error_last());
		mt_error_clear();
		return GIT_ERROR;
	}
	b->built_oid = oid;
	return 0;
}

static int backend_read_header(size_t *len, git_object_t *type, git_odb_backend *backend,
			       const git_oid *id)
{
	struct pack_backend *b = (struct pack_backend *)backend;
	int err = backend_build(b, id);

	if (err)
		return err;
	*len = b->built_len;
	*type = b->built_type;
	return 0;
}

static int backend_read(void **out, size_t *len, git_object_t *type, git_odb_backend *backend,
			const git_oid *id)
{
	struct pack_backend *b = (struct pack_backend *)backend;
	int err = backend_read_header(len, type, backend, id);

	if (err)
		return err;
	/* libgit2 frees what a backend returns with its own allocator. */
	*out = git_odb_backend_data_alloc(backend, *len + 1);
	if (*out)
		memcpy(*out, b->built, *len + 1);
	free(b->built);
	b->built = NULL;
	return *out ? 0 : GIT_ERROR;
}

static void backend_free(git_odb_backend *backend)
{
	struct pack_backend *b = (struct pack_backend *)backend;

	pack_reader_free(b->reader);
	free(b->built);
	free(b);
}

int pack_backend_add(git_repository *repo)
{
	struct pack_reader *reader = pack_reader_open(repo);
	struct pack_backend *b;
	git_odb *odb = NULL;
	int err;

	if (!reader)
		return 0;
	if (git_repository_odb(&odb, repo) < 0) {
		pack_reader_free(reader);
		return -1;
	}
	b = xcalloc(1, sizeof(*b));
	git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION);
	b->parent.read = backend_read;
	b->parent.read_header = backend_read_header;
	b->parent.free = backend_free;
	b->reader = reader;
	err = git_odb_add_backend(odb, &b->parent, PACK_BACKEND_PRIORITY);
	if (err < 0)
		backend_free(&b->parent);
	git_odb_free(odb);
	return err;
}
