/*
 * The pack indexes of the object store, checked against their own trailing
 * checksum when the repository is opened. An index maps object ids to
 * offsets in its pack; a damaged one makes objects vanish (the run then
 * reads less than there is) or points libgit2 at the wrong bytes (libgit2
 * 1.5 has crashed on such an offset). Checking every byte of it costs one
 * SHA-1 pass over a file that is 5 % of its pack's size.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repo_internal.h"
#include "util/error.h"
#include "util/mtlimits.h"
#include "util/sha1.h"
#include "util/strbuf.h"

/* The smallest index: 256 fan-out entries and the two trailing checksums. */
#define IDX_MIN_SIZE (256 * 4 + 2 * MT_SHA1_SIZE)

/* The size of the pack beside pack-X.idx, or 0 when it cannot be read. */
static uint64_t pack_size(const char *idx_path)
{
	struct strbuf pack = STRBUF_INIT;
	struct stat st;
	uint64_t size = 0;

	strbuf_addf(&pack, "%.*s.pack", (int)(strlen(idx_path) - 4), idx_path);
	if (stat(pack.buf, &st) == 0 && S_ISREG(st.st_mode))
		size = (uint64_t)st.st_size;
	strbuf_release(&pack);
	return size;
}

/*
 * A version 2 index read as git lays it out: the fan-out counts never go
 * down and their total fits the file exactly, the names are strictly
 * ascending, and every offset (small or large) falls inside the pack before
 * its trailing checksum. What no structure can show (a name or offset
 * changed into another valid one) the checksum catches, for indexes up to
 * MT_LIMIT_IDX_CHECKSUM; beyond, a wrong object's bytes fail to inflate.
 */
static int verify_structure(const char *path, const unsigned char *p, size_t size,
			    uint64_t packsize)
{
	const unsigned char *fan = p + 8, *names, *offsets, *large;
	size_t n, nlarge = 0, i;
	uint32_t prev = 0;

	if (memcmp(p, "\377tOc", 4))
		return MT_OK; /* version 1: the checksum alone */
	if (be32(p + 4) != 2)
		return mt_error_set("%s: pack index is damaged: version %u", path, be32(p + 4));
	if (size < 8 + 1024 + 2 * MT_SHA1_SIZE)
		return mt_error_set("%s: pack index is damaged: too short", path);
	for (i = 0; i < 256; i++) {
		uint32_t c = be32(fan + 4 * i);

		if (c < prev)
			return mt_error_set("%s: pack index is damaged: fan-out goes down at %zu",
					    path, i);
		prev = c;
	}
	n = prev;
	if (n > (size - 8 - 1024 - 2 * MT_SHA1_SIZE) / 28)
		return mt_error_set("%s: pack index is damaged: %zu objects do not fit", path, n);
	names = fan + 1024;
	offsets = names + 24 * n; /* past the names and the CRCs */
	large = offsets + 4 * n;
	for (i = 0; i < n; i++) {
		uint32_t off = be32(offsets + 4 * i);

		if (i && memcmp(names + 20 * (i - 1), names + 20 * i, 20) >= 0)
			return mt_error_set("%s: pack index is damaged: names out of order at %zu",
					    path, i);
		if ((unsigned)names[20 * i] != 0 && be32(fan + 4 * (names[20 * i] - 1)) > i)
			return mt_error_set("%s: pack index is damaged: fan-out disagrees at %zu",
					    path, i);
		if (be32(fan + 4 * names[20 * i]) <= i)
			return mt_error_set("%s: pack index is damaged: fan-out disagrees at %zu",
					    path, i);
		if (off & 0x80000000u) {
			if ((off & 0x7fffffffu) + 1 > nlarge)
				nlarge = (off & 0x7fffffffu) + 1;
		} else if (packsize && (uint64_t)off + MT_SHA1_SIZE >= packsize) {
			return mt_error_set("%s: pack index is damaged: object %zu at %u, past "
					    "the pack's %llu bytes", path, i, off,
					    (unsigned long long)packsize);
		}
	}
	if ((size_t)(p + size - large) != 8 * nlarge + 2 * MT_SHA1_SIZE)
		return mt_error_set("%s: pack index is damaged: its size does not match its "
				    "%zu objects", path, n);
	for (i = 0; i < nlarge; i++) {
		uint64_t off = (uint64_t)be32(large + 8 * i) << 32 | be32(large + 8 * i + 4);

		if (packsize && off + MT_SHA1_SIZE >= packsize)
			return mt_error_set("%s: pack index is damaged: a large offset past the "
					    "pack", path);
	}
	return MT_OK;
}

/* Checks one index and adds its object count to *count, as git counts packed objects. */
static int verify_index(const char *path, unsigned long *count)
{
	unsigned char sum[MT_SHA1_SIZE];
	struct sha1 sha;
	struct stat st;
	void *map;
	int fd, ret = MT_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mt_error_set("%s: cannot read pack index: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mt_error_set("%s: pack index is not a regular file", path);
	}
	if (st.st_size < IDX_MIN_SIZE) {
		close(fd);
		return mt_error_set("%s: pack index is damaged: %lld bytes, too short for one",
				    path, (long long)st.st_size);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return mt_error_set("%s: cannot read pack index: %s", path, strerror(errno));
	if (st.st_size <= MT_LIMIT_IDX_CHECKSUM) {
		sha1_init(&sha);
		sha1_update(&sha, map, (size_t)st.st_size - MT_SHA1_SIZE);
		sha1_final(sum, &sha);
		if (memcmp(sum, (const unsigned char *)map + st.st_size - MT_SHA1_SIZE,
			   MT_SHA1_SIZE))
			ret = mt_error_set("%s: pack index is damaged: its checksum does not match",
					   path);
	}
	if (ret == MT_OK)
		ret = verify_structure(path, map, (size_t)st.st_size, pack_size(path));
	/* The last fan-out entry is the total: after a version 2 header, or first in version 1. */
	if (ret == MT_OK)
		*count += be32((const unsigned char *)map + 255 * 4 +
			       (memcmp(map, "\377tOc", 4) ? 0 : 8));
	munmap(map, (size_t)st.st_size);
	return ret;
}

/* "pack-X.pack" without "pack-X.idx" beside it: its objects would be silently missing. */
static int verify_pack_has_index(const char *dir, const char *name)
{
	struct strbuf idx = STRBUF_INIT;
	struct stat st;
	int ret = MT_OK;

	strbuf_addf(&idx, "%s/%.*s.idx", dir, (int)(strlen(name) - 5), name);
	if (stat(idx.buf, &st) != 0)
		ret = mt_error_set("%s/%s: pack without an index (%s is missing)", dir, name,
				   idx.buf);
	strbuf_release(&idx);
	return ret;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * Every pack-*.idx and pack-*.pack in objects_dir/pack, then those of its
 * alternates: their packs are read as this repository's, so they get the
 * same check. Alternates nest, as git and libgit2 read them, up to five
 * deep; a relative one is relative to the objects directory naming it.
 */
static int verify_objects_dir(struct mt_repo *repo, const char *objects_dir, int depth)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct dirent *e;
	DIR *d;
	FILE *f;
	int ret = MT_OK;

	strbuf_addf(&dir, "%s/pack", objects_dir);
	d = opendir(dir.buf);
	while (d && ret == MT_OK && (e = readdir(d))) {
		if (strncmp(e->d_name, "pack-", 5))
			continue;
		if (ends_with(e->d_name, ".idx")) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/%s", dir.buf, e->d_name);
			ret = verify_index(path.buf, &repo->packed_objects);
		} else if (ends_with(e->d_name, ".pack")) {
			ret = verify_pack_has_index(dir.buf, e->d_name);
		}
	}
	if (d)
		closedir(d);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/info/alternates", objects_dir);
	f = ret == MT_OK && depth < 5 ? fopen(path.buf, "r") : NULL;
	while (f && ret == MT_OK) {
		char buf[4096];

		if (!fgets(buf, sizeof(buf), f))
			break;
		buf[strcspn(buf, "\r\n")] = '\0';
		if (!buf[0] || buf[0] == '#')
			continue;
		strbuf_reset(&dir);
		if (buf[0] == '/')
			strbuf_addstr(&dir, buf);
		else
			strbuf_addf(&dir, "%s/%s", objects_dir, buf);
		ret = verify_objects_dir(repo, dir.buf, depth + 1);
	}
	if (f)
		fclose(f);
	strbuf_release(&dir);
	strbuf_release(&path);
	return ret;
}

int repo_verify_pack_indexes(struct mt_repo *repo)
{
	struct strbuf objects = STRBUF_INIT;
	int ret;

	strbuf_addf(&objects, "%sobjects", git_repository_commondir(repo->git));
	ret = verify_objects_dir(repo, objects.buf, 0);
	strbuf_release(&objects);
	return ret;
}
