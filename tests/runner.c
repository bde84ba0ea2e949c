/* Runs every suite listed in suites.h; `tests/run SUITE...` runs only those. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#define SUITE(name) Suite *suite_##name(void);
#include "suites.h"
#undef SUITE

static const struct {
	const char *name;
	Suite *(*make)(void);
} suites[] = {
#define SUITE(name) { #name, suite_##name },
#include "suites.h"
#undef SUITE
};

static int wanted(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], name))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	SRunner *runner = NULL;
	size_t i;
	int failed;

	for (i = 0; i < sizeof(suites) / sizeof(*suites); i++) {
		if (!wanted(suites[i].name, argc, argv))
			continue;
		if (!runner)
			runner = srunner_create(suites[i].make());
		else
			srunner_add_suite(runner, suites[i].make());
	}
	if (!runner)
		return EXIT_FAILURE;
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
