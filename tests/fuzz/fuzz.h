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

#endif
