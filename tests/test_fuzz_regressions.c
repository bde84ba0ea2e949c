/*
 * Every input a fuzzer once crashed on, replayed through the same target
 * code (tests/fuzz/fuzz_<name>.c) on every `make check`: each file under
 * tests/fuzz/regressions/<name>/ must run to the end without a crash, a
 * failed assertion, a sanitizer report or a leak.
 */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"

#define FUZZ(name) int fuzz_target_##name(const uint8_t *data, size_t size);
#include "fuzz_targets.h"
#undef FUZZ

static const struct {
	const char *name;
	int (*run)(const uint8_t *data, size_t size);
} targets[] = {
#define FUZZ(name) { #name, fuzz_target_##name },
#include "fuzz_targets.h"
#undef FUZZ
};

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_file(struct strbuf *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char buf[8192];
	size_t n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	fclose(f);
}

/* Replays one target's regressions, in name order; returns how many. */
static size_t replay(const char *name, int (*run)(const uint8_t *, size_t))
{
	struct strbuf dir = STRBUF_INIT;
	char *path, **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *e;
	DIR *d;

	strbuf_addf(&dir, "fuzz/regressions/%s", name);
	path = test_path(dir.buf);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		ARRAY_GROW(names, n, alloc);
		names[n++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n; i++) {
		struct strbuf file = STRBUF_INIT, data = STRBUF_INIT;

		strbuf_addf(&file, "%s/%s", path, names[i]);
		read_file(&data, file.buf);
		/* A copy of exactly the file's size, so ASan sees any overread. */
		{
			uint8_t *copy = xmalloc(data.len ? data.len : 1);

			memcpy(copy, data.buf, data.len);
			ck_assert_int_eq(run(copy, data.len), 0);
			free(copy);
		}
		strbuf_release(&file);
		strbuf_release(&data);
		free(names[i]);
	}
	free(names);
	free(path);
	strbuf_release(&dir);
	return n;
}

START_TEST(every_regression_input_runs_clean)
{
	ck_assert_msg(replay(targets[_i].name, targets[_i].run) > 0,
		      "tests/fuzz/regressions/%s/ is empty: keep at least the inputs that once "
		      "failed, or a hand-made hostile one", targets[_i].name);
}
END_TEST

Suite *suite_fuzz_regressions(void)
{
	Suite *s = suite_create("fuzz_regressions");
	TCase *tc = tcase_create("replay");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, every_regression_input_runs_clean, 0,
			    (int)(sizeof(targets) / sizeof(*targets)));
	suite_add_tcase(s, tc);
	return s;
}
