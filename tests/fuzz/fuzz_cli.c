/*
 * The whole command line on a small damaged repository (see fuzz.h for the
 * input): audit, check of the first stable stream and machines at master,
 * run in this process as main() runs them (one process, no workers), their
 * reports thrown away. Each ends with exit 0, 1 or 2, and when it is 2 it
 * said why; nothing crashes, leaks or hangs.
 */
#include <assert.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "fuzz.h"
#include "util/error.h"

/* The built-in rules of the source tree, whichever binary runs this. */
#ifndef MT_TEST_DIR
#define MT_TEST_DIR "tests"
#endif

static int run(const struct command *cmd, const char *dir, const char *const *extra)
{
	char *argv[16];
	struct mt_options opts;
	int argc = 0, status, saved, saved_err, null;
	size_t i;

	argv[argc++] = (char *)"--repo";
	argv[argc++] = (char *)dir;
	argv[argc++] = (char *)"--rules";
	argv[argc++] = (char *)MT_TEST_DIR "/../rules";
	argv[argc++] = (char *)"-j";
	argv[argc++] = (char *)"1";
	for (i = 0; extra[i] && argc < 15; i++)
		argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	mt_options_init(&opts, "mtcheck");
	mt_error_clear();
	/* The report and the error line go nowhere: the exit status is what counts. */
	fflush(stdout);
	fflush(stderr);
	saved = dup(STDOUT_FILENO);
	saved_err = dup(STDERR_FILENO);
	null = open("/dev/null", O_WRONLY);
	assert(saved >= 0 && saved_err >= 0 && null >= 0);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	status = cmd->run(argc, argv, &opts);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved);
	close(saved_err);
	close(null);
	assert(status >= 0 && status <= 2);
	return status;
}

FUZZ_TARGET(cli)
{
	static const char *const audit[] = { "--format", "json", NULL };
	static const char *const check[] = { "stable-12.0", "--all", NULL };
	static const char *const machines[] = { "master", NULL };
	const char *dir = fuzz_repo_load(data, size);

	if (!dir)
		return 0;
	run(&command_audit, dir, audit);
	run(&command_check, dir, check);
	run(&command_machines, dir, machines);
	mt_error_clear();
	return 0;
}
