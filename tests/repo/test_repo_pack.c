/*
 * The pack reader (src/repo/repo_pack.c, the object database backend every
 * read goes through) against libgit2's own backends: every object of a
 * scenario history repacked with deep delta chains reads as the same bytes
 * and type both ways; from a damaged pack or index it never returns bytes
 * other than the object's, but an error naming the object and the pack.
 * Test code, so it calls libgit2 directly for the reference.
 */
#include <check.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "util/error.h"
#include "util/mtlimits.h"
#include "util/oid.h"
#include "util/sha1.h"
#include "repo/repo_internal.h"
#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"

struct objects {
	git_oid *v;
	size_t n, alloc;
};

static int collect(const git_oid *id, void *payload)
{
	struct objects *o = payload;

	ARRAY_GROW(o->v, o->n, o->alloc);
	git_oid_cpy(&o->v[o->n++], id);
	return 0;
}

static char *pack_path(const char *dir)
{
	const char *argv[] = { "sh", "-c", "ls \"$(git rev-parse --git-dir)\"/objects/pack/*.pack",
			       NULL };
	char *out = NULL, *nl;
	struct strbuf path = STRBUF_INIT;

	ck_assert_int_eq(test_exec(&out, dir, argv), 0);
	nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
	/* A bare repository's path is relative to it; a work tree's is absolute. */
	if (out[0] == '/')
		strbuf_addstr(&path, out);
	else
		strbuf_addf(&path, "%s/%s", dir, out);
	free(out);
	return strbuf_detach(&path, NULL);
}

static void list_objects(struct objects *o, git_repository *git)
{
	git_odb *odb = NULL;

	ck_assert_int_eq(git_repository_odb(&odb, git), 0);
	ck_assert_int_eq(git_odb_foreach(odb, collect, o), 0);
	git_odb_free(odb);
}

START_TEST(objects_read_as_libgit2_reads_them)
{
	static const char *const scenarios[] = { "engine/history.json", "demo/demo.json" };
	size_t k, read = 0;

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		struct scenario s;
		struct objects o = { NULL, 0, 0 };
		git_repository *git = NULL;
		git_odb *odb = NULL;
		struct pack_reader *r;
		size_t i;

		test_scenario(&s, scenarios[k]);
		test_repack_deep(s.path);
		ck_assert_int_eq(git_repository_open(&git, s.path), 0);
		ck_assert_int_eq(git_repository_odb(&odb, git), 0);
		list_objects(&o, git);
		r = pack_reader_open(git);
		ck_assert_ptr_nonnull(r);
		/* Twice: the second round reads through the bases the first one kept. */
		for (i = 0; i < 2 * o.n; i++) {
			const git_oid *id = &o.v[i % o.n];
			git_odb_object *obj = NULL;
			unsigned char *data = NULL;
			size_t len = 0;
			struct mt_oid oid;
			git_object_t type;

			ck_assert_int_eq(git_odb_read(&obj, odb, id), 0);
			memcpy(oid.id, id->id, MT_OID_RAWSZ);
			ck_assert_int_eq(pack_reader_read(r, &oid, &type, &data, &len), MT_OK);
			ck_assert_int_eq(type, git_odb_object_type(obj));
			ck_assert_uint_eq(len, git_odb_object_size(obj));
			ck_assert(!memcmp(data, git_odb_object_data(obj), len));
			ck_assert_int_eq(data[len], '\0');
			free(data);
			git_odb_object_free(obj);
			read++;
		}
		pack_reader_free(r);
		free(o.v);
		git_odb_free(odb);
		git_repository_free(git);
		scenario_release(&s);
	}
	ck_assert_uint_gt(read, 500);
	git_libgit2_shutdown();
}
END_TEST

/* Not in a pack (a loose object), or no pack at all: left to libgit2. */
START_TEST(loose_objects_are_left_to_libgit2)
{
	struct scenario s;
	git_repository *git = NULL;
	git_odb *odb = NULL;
	git_oid loose;
	struct objects o = { NULL, 0, 0 };
	struct pack_reader *r;
	struct mt_repo *repo;
	const struct mt_blob *blob;
	struct mt_oid oid;
	unsigned char *data = NULL;
	git_object_t type;
	size_t len;

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	test_scenario(&s, "demo/demo.json");
	ck_assert_int_eq(git_repository_open(&git, s.path), 0);
	ck_assert_ptr_null(pack_reader_open(git));
	list_objects(&o, git);
	ck_assert_uint_gt(o.n, 0);
	memcpy(oid.id, o.v[0].id, MT_OID_RAWSZ);
	ck_assert_int_eq(pack_reader_read(NULL, &oid, &type, &data, &len), MT_ENOTFOUND);
	/* Packed history, then one object written loose after it. */
	test_repack_deep(s.path);
	ck_assert_int_eq(git_repository_odb(&odb, git), 0);
	ck_assert_int_eq(git_odb_write(&loose, odb, "VERSION 99.0\n", 13, GIT_OBJECT_BLOB), 0);
	r = pack_reader_open(git);
	ck_assert_ptr_nonnull(r);
	memcpy(oid.id, loose.id, MT_OID_RAWSZ);
	ck_assert_int_eq(pack_reader_read(r, &oid, &type, &data, &len), MT_ENOTFOUND);
	/* Through the repository, the backend passes it on to libgit2's loose objects. */
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_read_blob(&blob, repo, &oid), MT_OK);
	ck_assert_uint_eq(blob->len, 13);
	ck_assert(!memcmp(blob->data, "VERSION 99.0\n", 13));
	repo_free(repo);
	memcpy(oid.id, o.v[0].id, MT_OID_RAWSZ);
	ck_assert_int_eq(pack_reader_read(r, &oid, &type, &data, &len), MT_OK);
	free(data);
	pack_reader_free(r);
	git_odb_free(odb);
	free(o.v);
	git_repository_free(git);
	scenario_release(&s);
	git_libgit2_shutdown();
}
END_TEST

/*
 * Bytes flipped all over the pack, one place at a time: each object either
 * reads as it did from the intact pack or is an error naming the pack,
 * both from the reader and through the repository; never a crash, never
 * other bytes.
 */
START_TEST(damaged_packs_never_give_other_bytes)
{
	struct scenario s;
	git_repository *git = NULL;
	struct objects o = { NULL, 0, 0 };
	unsigned char **want;
	size_t *want_len, i, at, refused = 0;
	git_object_t *want_type;
	struct pack_reader *r;
	struct mt_repo *repo;
	char *pack;
	FILE *f;
	long size;

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	test_scenario(&s, "engine/history.json");
	test_repack_deep(s.path);
	ck_assert_int_eq(git_repository_open(&git, s.path), 0);
	list_objects(&o, git);
	want = xcalloc(o.n, sizeof(*want));
	want_len = xcalloc(o.n, sizeof(*want_len));
	want_type = xcalloc(o.n, sizeof(*want_type));
	r = pack_reader_open(git);
	for (i = 0; i < o.n; i++) {
		git_odb *odb = NULL;
		git_odb_object *obj = NULL;

		ck_assert_int_eq(git_repository_odb(&odb, git), 0);
		ck_assert_int_eq(git_odb_read(&obj, odb, &o.v[i]), 0);
		want_type[i] = git_odb_object_type(obj);
		want_len[i] = git_odb_object_size(obj);
		want[i] = xmalloc(want_len[i] + 1);
		memcpy(want[i], git_odb_object_data(obj), want_len[i]);
		git_odb_object_free(obj);
		git_odb_free(odb);
	}
	pack_reader_free(r);
	pack = pack_path(s.path);
	ck_assert_int_eq(chmod(pack, 0644), 0);
	f = fopen(pack, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	ck_assert_int_gt(size, 1000);
	for (at = 12; at < (size_t)size - 20; at += (size_t)size / 61) {
		int c;

		ck_assert_int_eq(fseek(f, (long)at, SEEK_SET), 0);
		c = fgetc(f);
		ck_assert_int_eq(fseek(f, (long)at, SEEK_SET), 0);
		fputc(c ^ 0x5a, f);
		fflush(f);
		r = pack_reader_open(git);
		ck_assert_ptr_nonnull(r);
		ck_assert_int_eq(repo_open(&repo, s.path), 0);
		for (i = 0; i < o.n; i++) {
			unsigned char *data = NULL;
			git_odb_object *obj = NULL;
			git_object_t type;
			size_t len = 0;
			struct mt_oid oid;
			int ret;

			memcpy(oid.id, o.v[i].id, MT_OID_RAWSZ);
			/* MT_ENOTFOUND: passed on to libgit2 (the entry claims more than the limit). */
			ret = pack_reader_read(r, &oid, &type, &data, &len);
			if (ret == MT_OK) {
				ck_assert_msg(type == want_type[i] && len == want_len[i] &&
					      !memcmp(data, want[i], len),
					      "object %zu differs with byte %zu flipped", i, at);
				free(data);
			} else if (ret == MT_ERROR) {
				ck_assert_msg(strstr(mt_error_last(), ".pack: entry at offset"), "%s",
					      mt_error_last());
				mt_error_clear();
				refused++;
			}
			/* The same through every reader of the repository. */
			if (repo_object_read(&obj, repo, &o.v[i]) == 0) {
				ck_assert_msg(git_odb_object_type(obj) == want_type[i] &&
					      git_odb_object_size(obj) == want_len[i] &&
					      !memcmp(git_odb_object_data(obj), want[i], want_len[i]),
					      "object %zu differs through the repository, byte %zu "
					      "flipped (reader: %d)", i, at, ret);
				/* libgit2 read what the reader passed on: the object itself. */
				ck_assert_int_ne(ret, MT_ERROR);
				git_odb_object_free(obj);
			} else {
				ck_assert_int_ne(ret, MT_OK);
				git_error_clear();
			}
		}
		repo_free(repo);
		pack_reader_free(r);
		ck_assert_int_eq(fseek(f, (long)at, SEEK_SET), 0);
		fputc(c, f);
		fflush(f);
	}
	/* The damage was seen. */
	ck_assert_uint_gt(refused, 0);
	fclose(f);
	for (i = 0; i < o.n; i++)
		free(want[i]);
	free(want);
	free(want_len);
	free(want_type);
	free(pack);
	free(o.v);
	git_repository_free(git);
	scenario_release(&s);
	git_libgit2_shutdown();
}
END_TEST

/*
 * Two objects' offsets swapped in the pack's index: each still reads as
 * itself or is refused with the index's CRC named, never as the other --
 * through the reader, and refused when the repository is opened.
 */
START_TEST(swapped_index_offsets_never_give_the_other_object)
{
	struct scenario s;
	struct mt_repo *repo;
	struct mt_oid a, b, commit;
	git_repository *git = NULL;
	unsigned char *idx_data, *data = NULL;
	char *pack, *idx;
	FILE *f;
	long size;
	size_t len, count, ia, ib;
	git_object_t type;
	struct pack_reader *r;

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	test_scenario(&s, "demo/demo.json");
	test_repack_deep(s.path);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_resolve_commit(&commit, repo, "master"), MT_OK);
	ck_assert_int_eq(repo_file_oid(&a, repo, &commit, "VERSION"), MT_OK);
	ck_assert_int_eq(repo_file_oid(&b, repo, &commit, "hw/i386/pc_q35.c"), MT_OK);
	repo_free(repo);
	pack = pack_path(s.path);
	idx = xstrdup(pack);
	strcpy(idx + strlen(idx) - 4, "idx");
	ck_assert_int_eq(chmod(idx, 0644), 0);
	f = fopen(idx, "r+b");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	idx_data = xmalloc((size_t)size);
	rewind(f);
	ck_assert_uint_eq(fread(idx_data, 1, (size_t)size, f), (size_t)size);
	count = (size_t)idx_data[8 + 255 * 4] << 24 | (size_t)idx_data[8 + 255 * 4 + 1] << 16 |
		(size_t)idx_data[8 + 255 * 4 + 2] << 8 | idx_data[8 + 255 * 4 + 3];
	for (ia = ib = count, len = 0; len < count; len++) {
		if (!memcmp(idx_data + 8 + 1024 + len * 20, a.id, 20))
			ia = len;
		if (!memcmp(idx_data + 8 + 1024 + len * 20, b.id, 20))
			ib = len;
	}
	ck_assert_uint_lt(ia, count);
	ck_assert_uint_lt(ib, count);
	{
		size_t offsets = 8 + 1024 + count * 24;
		unsigned char tmp[4];

		memcpy(tmp, idx_data + offsets + ia * 4, 4);
		memcpy(idx_data + offsets + ia * 4, idx_data + offsets + ib * 4, 4);
		memcpy(idx_data + offsets + ib * 4, tmp, 4);
	}
	rewind(f);
	ck_assert_uint_eq(fwrite(idx_data, 1, (size_t)size, f), (size_t)size);
	fclose(f);

	ck_assert_int_eq(git_repository_open(&git, s.path), 0);
	r = pack_reader_open(git);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(pack_reader_read(r, &a, &type, &data, &len), MT_ERROR);
	ck_assert_msg(strstr(mt_error_last(), "CRC32 differs from the index's"), "%s",
		      mt_error_last());
	ck_assert_int_eq(pack_reader_read(r, &b, &type, &data, &len), MT_ERROR);
	pack_reader_free(r);
	git_repository_free(git);

	/* The repository itself goes further: an index this small has its
	 * trailing checksum checked at open, so the swap is refused before any
	 * read (the reader's CRC check above guards indexes too large for that). */
	ck_assert_int_eq(repo_open(&repo, s.path), MT_ERROR);
	ck_assert_msg(strstr(mt_error_last(), "pack index is damaged"), "%s", mt_error_last());
	mt_error_clear();
	free(idx_data);
	free(idx);
	free(pack);
	scenario_release(&s);
	git_libgit2_shutdown();
}
END_TEST

/* libgit2's answer for commit:path: the blob's id, or MT_ENOTFOUND. */
static int bypath(struct mt_oid *out, git_repository *git, const git_oid *commit, const char *path)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int err;

	ck_assert_int_eq(git_commit_lookup(&c, git, commit), 0);
	ck_assert_int_eq(git_commit_tree(&tree, c), 0);
	err = git_tree_entry_bypath(&e, tree, path);
	if (!err && git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		memcpy(out->id, git_tree_entry_id(e)->id, MT_OID_RAWSZ);
	else
		err = MT_ENOTFOUND;
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return err;
}

/*
 * repo_file_oid walks paths itself (trees from the pack reader when there
 * is a pack): for every commit, and for files, directories, symlinks, a
 * submodule and malformed paths, it answers as git_tree_entry_bypath and a
 * blob check do, loose and packed.
 */
START_TEST(file_lookups_answer_as_libgit2)
{
	static const char *const paths[] = {
		"long.c", "link", "hw/arm/virt.c", "hw/arm", "hw", "sub", "becomes-dir",
		"becomes-dir/inner", "hw/arm/virt.c/x", "missing", "hw/missing.c", "", "/long.c",
		"hw//arm/virt.c", "hw/arm/", "hw/arm/virt.c/",
	};
	char *dir = test_tmpdir("file-lookups");
	char *script = test_path("scenarios/repo/diff-edges.sh");
	const char *argv[] = { "sh", script, NULL };
	size_t round, found = 0, absent = 0;

	ck_assert_int_eq(test_exec(NULL, dir, argv), 0);
	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	for (round = 0; round < 2; round++) {
		git_repository *git = NULL;
		git_revwalk *walk = NULL;
		struct mt_repo *repo;
		git_oid id;

		if (round)
			test_repack_deep(dir);
		ck_assert_int_eq(git_repository_open(&git, dir), 0);
		ck_assert_int_eq(repo_open(&repo, dir), 0);
		{
			struct pack_reader *r = pack_reader_open(git);

			ck_assert_int_eq(round ? r != NULL : r == NULL, 1);
			pack_reader_free(r);
		}
		ck_assert_int_eq(git_revwalk_new(&walk, git), 0);
		ck_assert_int_eq(git_revwalk_push_glob(walk, "refs/heads/*"), 0);
		while (git_revwalk_next(&id, walk) == 0) {
			struct mt_oid commit;
			size_t i;

			memcpy(commit.id, id.id, MT_OID_RAWSZ);
			for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
				struct mt_oid mine, theirs;
				int want = bypath(&theirs, git, &id, paths[i]);

				ck_assert_msg(repo_file_oid(&mine, repo, &commit, paths[i]) == want,
					      "%s: %s", paths[i], mt_error_last());
				if (want == MT_OK) {
					ck_assert(oid_equal(&mine, &theirs));
					found++;
				} else {
					absent++;
				}
			}
		}
		git_revwalk_free(walk);
		repo_free(repo);
		git_repository_free(git);
	}
	ck_assert_uint_gt(found, 100);
	ck_assert_uint_gt(absent, 100);
	git_libgit2_shutdown();
	free(script);
	free(dir);
}
END_TEST

static void put_be32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };

	strbuf_add(sb, b, 4);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * A bare repository at `dir` whose one pack holds one blob of `content`,
 * its entry header stating `stated` bytes (the true size, or a lie); the
 * index is as git writes it (CRC32, both checksums). *oid is the blob's id.
 */
static void one_blob_pack(struct mt_oid *oid, const char *dir, const unsigned char *content,
			  size_t len, uint64_t stated)
{
	struct strbuf pack = STRBUF_INIT, idx = STRBUF_INIT, path = STRBUF_INIT;
	struct sha1 h;
	unsigned char sum[MT_SHA1_SIZE], byte;
	char hdr[32], hex[MT_OID_HEXSZ + 1];
	uLongf zlen = compressBound((uLong)len);
	unsigned char *z = xmalloc(zlen);
	const char *const init[] = { "git", "init", "-q", "--bare", dir, NULL };
	size_t entry;
	int i;

	ck_assert_int_eq(test_exec(NULL, NULL, init), 0);
	sha1_init(&h);
	sha1_update(&h, hdr, (size_t)snprintf(hdr, sizeof(hdr), "blob %zu", len) + 1);
	sha1_update(&h, content, len);
	sha1_final(oid->id, &h);
	strbuf_add(&pack, "PACK", 4);
	put_be32(&pack, 2);
	put_be32(&pack, 1);
	entry = pack.len;
	byte = (unsigned char)(3 << 4 | (stated & 15));
	for (stated >>= 4; stated; stated >>= 7) {
		strbuf_addch(&pack, (char)(byte | 0x80));
		byte = stated & 0x7f;
	}
	strbuf_addch(&pack, (char)byte);
	ck_assert_int_eq(compress2(z, &zlen, content, (uLong)len, 9), Z_OK);
	strbuf_add(&pack, z, zlen);
	sha1_init(&h);
	sha1_update(&h, pack.buf, pack.len);
	sha1_final(sum, &h);
	/* Version 2 index: fan-out, the name, its CRC32, its offset, both checksums. */
	put_be32(&idx, 0xff744f63u);
	put_be32(&idx, 2);
	for (i = 0; i < 256; i++)
		put_be32(&idx, i >= oid->id[0]);
	strbuf_add(&idx, oid->id, MT_OID_RAWSZ);
	put_be32(&idx, (uint32_t)crc32(0, (const unsigned char *)pack.buf + entry,
				       (uInt)(pack.len - entry)));
	put_be32(&idx, (uint32_t)entry);
	strbuf_add(&pack, sum, MT_SHA1_SIZE);
	strbuf_add(&idx, sum, MT_SHA1_SIZE);
	sha1_init(&h);
	sha1_update(&h, idx.buf, idx.len);
	sha1_final(sum, &h);
	strbuf_add(&idx, sum, MT_SHA1_SIZE);
	for (i = 0; i < MT_SHA1_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	strbuf_addf(&path, "%s/objects/pack/pack-%s.pack", dir, hex);
	write_bytes(path.buf, pack.buf, pack.len);
	strbuf_setlen(&path, path.len - 4);
	strbuf_addstr(&path, "idx");
	write_bytes(path.buf, idx.buf, idx.len);
	free(z);
	strbuf_release(&path);
	strbuf_release(&pack);
	strbuf_release(&idx);
}

/*
 * An entry whose header states more than the size limit is libgit2's to
 * read, and libgit2 allocates what the header states before inflating: a
 * header lying about 2 GiB is refused here as damage, naming the object;
 * an object that really is that large still goes on to libgit2.
 */
START_TEST(an_oversized_header_is_checked_before_libgit2_allocates_it)
{
	static const unsigned char small[] = "a small blob\n";
	const size_t large = (size_t)MT_LIMIT_BLOB_SIZE + 1;
	unsigned char *zeros = xcalloc(large, 1);
	char *dir = test_tmpdir("oversized");
	struct strbuf lie = STRBUF_INIT, real = STRBUF_INIT;
	git_repository *git = NULL;
	git_odb_object *obj = NULL;
	struct pack_reader *r;
	struct mt_repo *repo;
	const struct mt_blob *blob;
	struct mt_oid oid;
	git_oid id;
	unsigned char *data = NULL;
	git_object_t type;
	size_t len = 0;
	char hex[MT_OID_HEXSZ + 1];

	ck_assert_int_eq(git_libgit2_init() > 0, 1);
	strbuf_addf(&lie, "%s/lie.git", dir);
	one_blob_pack(&oid, lie.buf, small, sizeof(small) - 1, 1ull << 31);
	oid_to_hex(hex, &oid);
	ck_assert_int_eq(git_repository_open(&git, lie.buf), 0);
	r = pack_reader_open(git);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(pack_reader_read(r, &oid, &type, &data, &len), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), hex));
	ck_assert_ptr_nonnull(strstr(mt_error_last(),
				     ".pack: entry at offset 12: does not inflate to its stated size"));
	mt_error_clear();
	pack_reader_free(r);
	git_repository_free(git);
	ck_assert_int_eq(repo_open(&repo, lie.buf), 0);
	ck_assert_int_lt(repo_read_blob(&blob, repo, &oid), 0);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "does not inflate to its stated size"));
	mt_error_clear();
	repo_free(repo);

	/* The near miss: a blob one byte over the limit, stated truly. */
	strbuf_addf(&real, "%s/real.git", dir);
	one_blob_pack(&oid, real.buf, zeros, large, large);
	ck_assert_int_eq(git_repository_open(&git, real.buf), 0);
	r = pack_reader_open(git);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(pack_reader_read(r, &oid, &type, &data, &len), MT_ENOTFOUND);
	pack_reader_free(r);
	ck_assert_int_eq(repo_open(&repo, real.buf), 0);
	memcpy(id.id, oid.id, MT_OID_RAWSZ);
	ck_assert_int_eq(repo_object_read(&obj, repo, &id), 0);
	ck_assert_uint_eq(git_odb_object_size(obj), large);
	ck_assert_int_eq(memcmp(git_odb_object_data(obj), zeros, large), 0);
	git_odb_object_free(obj);
	/* mtcheck itself never reads a blob that large. */
	ck_assert_int_lt(repo_read_blob(&blob, repo, &oid), 0);
	mt_error_clear();
	repo_free(repo);
	git_repository_free(git);
	strbuf_release(&lie);
	strbuf_release(&real);
	free(zeros);
	free(dir);
	git_libgit2_shutdown();
}
END_TEST

Suite *suite_repo_pack(void)
{
	Suite *s = suite_create("repo_pack");
	TCase *tc = tcase_create("pack");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, objects_read_as_libgit2_reads_them);
	tcase_add_test(tc, loose_objects_are_left_to_libgit2);
	tcase_add_test(tc, damaged_packs_never_give_other_bytes);
	tcase_add_test(tc, swapped_index_offsets_never_give_the_other_object);
	tcase_add_test(tc, file_lookups_answer_as_libgit2);
	tcase_add_test(tc, an_oversized_header_is_checked_before_libgit2_allocates_it);
	suite_add_tcase(s, tc);
	return s;
}
