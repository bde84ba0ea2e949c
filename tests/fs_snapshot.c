#include "fs_snapshot.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"

#define FNV_OFFSET 1469598103934665603ull
#define FNV_PRIME 1099511628211ull

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--) {
		h ^= *p++;
		h *= FNV_PRIME;
	}
	return h;
}

static int hash_file(uint64_t *out, const char *path)
{
	char buf[65536];
	uint64_t h = FNV_OFFSET;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	if (fd < 0)
		return mt_error_set("%s: cannot open to hash it", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = fnv(h, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return mt_error_set("%s: cannot read to hash it", path);
	*out = h;
	return 0;
}

static int add_entry(struct fs_snapshot *snap, const char *full, const char *rel,
		     const struct stat *st)
{
	struct fs_entry *e;

	ARRAY_GROW(snap->entries, snap->count, snap->alloc);
	e = &snap->entries[snap->count++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(rel);
	e->mode = st->st_mode;
	e->size = S_ISDIR(st->st_mode) ? 0 : st->st_size;
	e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	if (S_ISREG(st->st_mode))
		return hash_file(&e->hash, full);
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlink(full, target, sizeof(target));

		if (n < 0)
			return mt_error_set("%s: cannot read link", full);
		e->hash = fnv(FNV_OFFSET, target, (size_t)n);
	}
	return 0;
}

static int walk(struct fs_snapshot *snap, struct strbuf *full, struct strbuf *rel)
{
	struct stat st;
	struct dirent *d;
	DIR *dir;
	size_t full_len = full->len, rel_len = rel->len;
	int ret = 0;

	if (lstat(full->buf, &st) < 0)
		return mt_error_set("%s: cannot stat", full->buf);
	if (add_entry(snap, full->buf, rel->buf, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return 0;
	dir = opendir(full->buf);
	if (!dir)
		return mt_error_set("%s: cannot list", full->buf);
	while (!ret && (d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		strbuf_addf(full, "/%s", d->d_name);
		strbuf_addf(rel, "%s%s", rel->len ? "/" : "", d->d_name);
		ret = walk(snap, full, rel);
		strbuf_setlen(full, full_len);
		strbuf_setlen(rel, rel_len);
	}
	closedir(dir);
	return ret;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct fs_entry *)a)->path, ((const struct fs_entry *)b)->path);
}

int fs_snapshot_take(struct fs_snapshot *out, const char *root)
{
	struct strbuf full = STRBUF_INIT, rel = STRBUF_INIT;
	int ret;

	memset(out, 0, sizeof(*out));
	strbuf_addstr(&full, root);
	strbuf_addstr(&rel, "");
	ret = walk(out, &full, &rel);
	strbuf_release(&full);
	strbuf_release(&rel);
	if (ret < 0) {
		fs_snapshot_release(out);
		return -1;
	}
	qsort(out->entries, out->count, sizeof(*out->entries), compare_entries);
	return 0;
}

void fs_snapshot_release(struct fs_snapshot *snap)
{
	size_t i;

	for (i = 0; i < snap->count; i++)
		free(snap->entries[i].path);
	free(snap->entries);
	memset(snap, 0, sizeof(*snap));
}

static size_t diff_entry(struct strbuf *out, const struct fs_entry *a, const struct fs_entry *b)
{
	const char *what = a->mode != b->mode ? "mode"
			   : a->size != b->size ? "size"
			   : a->hash != b->hash ? "content"
			   : a->mtime_ns != b->mtime_ns ? "mtime"
			   : NULL;

	if (!what)
		return 0;
	strbuf_addf(out, "changed %s: %s\n", *a->path ? a->path : ".", what);
	return 1;
}

size_t fs_snapshot_diff(struct strbuf *out, const struct fs_snapshot *before,
			const struct fs_snapshot *after)
{
	size_t i = 0, j = 0, n = 0;

	while (i < before->count || j < after->count) {
		int c = i == before->count ? 1
			: j == after->count ? -1
			: strcmp(before->entries[i].path, after->entries[j].path);

		if (c < 0) {
			strbuf_addf(out, "removed %s\n", before->entries[i++].path);
			n++;
		} else if (c > 0) {
			strbuf_addf(out, "added %s\n", after->entries[j++].path);
			n++;
		} else {
			n += diff_entry(out, &before->entries[i++], &after->entries[j++]);
		}
	}
	return n;
}
