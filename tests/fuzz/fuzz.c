/* Helpers shared by the fuzz targets (linked into both the fuzzers and the test runner). */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

char *fuzz_cstring(const uint8_t *data, size_t size)
{
	const uint8_t *nul = size ? memchr(data, 0, size) : NULL;

	if (!size)
		return xstrndup("", 0);

	return xstrndup((const char *)data, nul ? (size_t)(nul - data) : size);
}

/* The next part of a repository input: up to the separator, or the rest. */
static const uint8_t *next_part(const uint8_t **data, size_t *size, size_t *len)
{
	const uint8_t *start = *data, *p = start, *end = start + *size;

	while (p + FUZZ_REPO_SEPARATOR_LEN <= end &&
	       memcmp(p, FUZZ_REPO_SEPARATOR, FUZZ_REPO_SEPARATOR_LEN))
		p++;
	if (p + FUZZ_REPO_SEPARATOR_LEN > end) {
		*len = *size;
		*data = end;
		*size = 0;
		return start;
	}
	*len = (size_t)(p - start);
	*data = p + FUZZ_REPO_SEPARATOR_LEN;
	*size = (size_t)(end - *data);
	return start;
}

static int write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static char repo_path[] = "/tmp/mtcheck-fuzz-repo-XXXXXX";
static const char *const repo_dirs[] = { "objects", "objects/pack", "objects/info", "refs",
					 "refs/heads", "refs/tags", NULL };
static const char *const repo_files[] = {
	"HEAD", "config", "packed-refs",
	"objects/pack/pack-0000000000000000000000000000000000000000.idx",
	"objects/pack/pack-0000000000000000000000000000000000000000.pack", NULL };

/* At exit: the repository goes (what a run may have added to it is not mtcheck's to write). */
static void remove_repo(void)
{
	char path[4096];
	size_t i;

	for (i = 0; repo_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", repo_path, repo_files[i]);
		unlink(path);
	}
	for (i = sizeof(repo_dirs) / sizeof(*repo_dirs) - 1; i > 0; i--) {
		snprintf(path, sizeof(path), "%s/%s", repo_path, repo_dirs[i - 1]);
		rmdir(path);
	}
	rmdir(repo_path);
}

static const char *repo_dir(void)
{
	static int made;
	const char *dir = repo_path;
	const char *const *dirs = repo_dirs;
	char path[4096];
	size_t i;

	if (made)
		return made > 0 ? dir : NULL;
	made = -1;
	if (!mkdtemp(repo_path))
		return NULL;
	atexit(remove_repo);
	for (i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, dirs[i]);
		if (mkdir(path, 0700) != 0)
			return NULL;
	}
	if (write_file(dir, "HEAD", "ref: refs/heads/master\n", 23) < 0 ||
	    write_file(dir, "config", "[core]\n\tbare = true\n\trepositoryformatversion = 0\n",
		       49) < 0)
		return NULL;
	made = 1;
	return dir;
}

const char *fuzz_repo_load(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"objects/pack/pack-0000000000000000000000000000000000000000.idx",
		"objects/pack/pack-0000000000000000000000000000000000000000.pack",
		"packed-refs",
	};

	const char *dir = repo_dir();
	size_t i, len;

	if (!dir)
		return NULL;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		const uint8_t *part = next_part(&data, &size, &len);

		if (write_file(dir, names[i], part, len) < 0)
			return NULL;
	}
	return dir;
}

size_t fuzz_repo_index_ids(const uint8_t *data, size_t size, uint8_t *ids, size_t max)
{
	size_t len, n, i;
	const uint8_t *idx = next_part(&data, &size, &len);

	/* Version 2: magic, version, 256 fan-out counts, then the sorted names. */
	if (len < 8 + 1024 || memcmp(idx, "\377tOc\0\0\0\2", 8))
		return 0;
	n = (size_t)idx[8 + 1020] << 24 | (size_t)idx[8 + 1021] << 16 |
	    (size_t)idx[8 + 1022] << 8 | idx[8 + 1023];
	if (n > (len - 8 - 1024) / 20)
		n = (len - 8 - 1024) / 20;
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		memcpy(ids + 20 * i, idx + 8 + 1024 + 20 * i, 20);
	return n;
}
