/* mkscenario SCENARIO.json DIR: builds a scenario repository (used by `make demo`). */
#include <stdio.h>

#include "util/error.h"
#include "scenario.h"

int main(int argc, char **argv)
{
	struct scenario s;

	if (argc != 3) {
		fprintf(stderr, "usage: mkscenario SCENARIO.json DIR\n");
		return 2;
	}
	if (scenario_build(&s, argv[1], argv[2]) < 0) {
		fprintf(stderr, "mkscenario: %s\n", mt_error_last());
		return 2;
	}
	scenario_release(&s);
	return 0;
}
