/* Helpers shared by the test suites: running the mtcheck binary, temp dirs, scenarios. */
#ifndef MT_TESTUTIL_H
#define MT_TESTUTIL_H

#include <check.h>
#include <jansson.h>
#include <stdbool.h>

#include "machines/families.h"
#include "scenario.h"

struct run_result {
	int status; /* exit code, or 128 + signal number */
	char *out;  /* everything written to stdout */
	char *err;  /* everything written to stderr */
};

/*
 * Runs the built mtcheck with `args` (NULL-terminated, without the program
 * name) in directory `cwd` (NULL: the current one), with NO_COLOR unset and
 * `env` ("NAME=value" strings, NULL-terminated, may be NULL) added.
 */
void run_mtcheck_env(struct run_result *r, const char *cwd, const char *const *env,
		     const char *const *args);
void run_mtcheck(struct run_result *r, const char *cwd, const char *const *args);
void run_result_release(struct run_result *r);

/*
 * Runs a program (argv[0] looked up in PATH, e.g. "git", "cp") in `cwd`
 * (NULL: the current one) and returns its exit code (128 + signal when
 * killed). Its stdout goes to *out when out is not NULL (the caller frees
 * it); its stderr is discarded.
 */
int test_exec(char **out, const char *cwd, const char *const *argv);

/* True when the built mtcheck has this command (`mtcheck help NAME` succeeds). */
bool test_have_command(const char *name);

/* Number of lines in s (a last line without newline counts). */
size_t count_lines(const char *s);

/* A new empty directory under the build's tmp directory; the caller frees the path. */
char *test_tmpdir(const char *label);
/* A fresh path (not created) under the build's tmp directory; the caller frees it. */
char *test_tmppath(const char *label);

/*
 * Repacks the repository at dir into one pack with a wide window and chains
 * up to 50 deep (git's own repack), so that its objects are read through the
 * pack reader. test_repack_deep also fails the test unless some deltas are
 * built on deltas.
 */
void test_repack(const char *dir);
void test_repack_deep(const char *dir);

/* Builds tests/scenarios/<name> into a fresh directory; fails the test on error. */
void test_scenario(struct scenario *out, const char *name);

/* Loads rules/families.json of the source tree; fails the test on error. */
void test_families(struct families *out);

/*
 * What the classifier tests share: a scenario built into a repository,
 * opened, with the built-in rules/abi-signals.json and families.json
 * loaded. test_classifier_open fails the test on error.
 */
struct abi_config;
struct mt_repo;
struct test_classifier {
	struct scenario s;
	struct mt_repo *repo;
	struct abi_config *config;
	struct families fams;
};
void test_classifier_open(struct test_classifier *out, const char *scenario);
void test_classifier_close(struct test_classifier *c);

/*
 * Runs mtcheck --repo <s> --format json ARGS... (at most 27), fails the test
 * unless it exits with `want_status` and writes JSON, and returns the
 * parsed report for the caller to json_decref().
 */
json_t *test_run_json(struct scenario *s, int want_status, const char *const *args);

/* Path of a file under tests/; the caller frees it. */
char *test_path(const char *relative);

#endif
