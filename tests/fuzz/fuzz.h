/*
 * One fuzz target per tests/fuzz/fuzz_<name>.c, written once as
 *
 *     FUZZ_TARGET(name)
 *     {
 *             ... use data[0..size) ...
 *             return 0;
 *     }
 *
 * Built with clang and libFuzzer (`make fuzz`, FUZZ_LIBFUZZER defined) it is
 * LLVMFuzzerTestOneInput; built into the test runner it is fuzz_target_<name>,
 * which tests/test_fuzz_regressions.c calls on every file under
 * tests/fuzz/regressions/<name>/, so a crash once found stays fixed.
 * A target must not leak, must not keep state between inputs (except
 * read-only data loaded once, e.g. a configuration), and aborts (assert)
 * when a property it checks does not hold.
 */
#ifndef MT_FUZZ_H
#define MT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef FUZZ_LIBFUZZER
#define FUZZ_TARGET(name)                                                  \
	static int fuzz_one_##name(const uint8_t *data, size_t size);      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);      \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)       \
	{                                                                  \
		return fuzz_one_##name(data, size);                        \
	}                                                                  \
	static int fuzz_one_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name)                                                  \
	int fuzz_target_##name(const uint8_t *data, size_t size);          \
	int fuzz_target_##name(const uint8_t *data, size_t size)
#endif

/* The data as a NUL-terminated string (cut at the first NUL); the caller frees it. */
char *fuzz_cstring(const uint8_t *data, size_t size);

/* rules/<name> in the source tree, for targets that need a configuration. */
#define FUZZ_RULES_FILE(name) MT_TEST_DIR "/../rules/" name

/*
 * The repository targets (pack, refs, cli) take a whole small repository as
 * their input: its pack index, its pack and its packed-refs, in that order,
 * separated by FUZZ_REPO_SEPARATOR (a missing part is an empty file). The
 * seeds are packed scenario repositories (build-fuzz/repo-seeds/).
 */
#define FUZZ_REPO_SEPARATOR "\0MTSEP\0\n"
#define FUZZ_REPO_SEPARATOR_LEN 8

/*
 * Writes the input's parts into a bare repository made once per process
 * (HEAD at refs/heads/master, one pack named pack-0...0) and returns its
 * path; NULL when the directory cannot be written (the input is skipped).
 */
const char *fuzz_repo_load(const uint8_t *data, size_t size);
/* The object ids the input's index lists (bounds-checked; at most max), into ids (20 bytes each). */
size_t fuzz_repo_index_ids(const uint8_t *data, size_t size, uint8_t *ids, size_t max);

#endif
