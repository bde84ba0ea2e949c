/*
 * mtcheck: checks QEMU stable branches against the machine-type backport
 * policy. main() finds the command and hands it the rest of the arguments.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/error.h"
#include "util/mtcheck_version.h"

static const struct command *const commands[] = {
	&command_check,
	&command_audit,
	&command_assess,
	&command_suggest,
	&command_backports,
	&command_streams,
	&command_machines,
	&command_diff,
	&command_rules,
	&command_explain,
	&command_ci_setup,
	&command_ci_template,
	NULL, /* end of the table */
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; commands[i]; i++) {
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	}
	return NULL;
}

static void print_usage(FILE *out)
{
	size_t i;

	fputs("usage: mtcheck [--repo DIR] [--format FORMAT] [--color WHEN] [--rules DIR] [-q] [-v]\n"
	      "               COMMAND [ARGS]\n\n"
	      "Checks QEMU stable branches against the machine-type backport policy.\n\n"
	      "Commands:\n", out);
	for (i = 0; commands[i]; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fputs("  help CMD   show the options of one command\n\n"
	      "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage, input or\n"
	      "repository error. See mtcheck(1).\n", out);
}

/* `help` is not in the table (it takes no common options), but it has a help of its own. */
static const struct command command_help = {
	.name = "help",
	.usage = "help [COMMAND]",
	.summary = "show the commands, or the options of one command",
	.help = "",
};

static int cmd_help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 1) {
		print_usage(stdout);
		return MT_EXIT_OK;
	}
	cmd = !strcmp(argv[0], "help") ? &command_help : find_command(argv[0]);
	if (!cmd) {
		mt_error_set("help: unknown command '%s' (see 'mtcheck --help')", argv[0]);
		return cli_fail();
	}
	cli_print_command_help(stdout, cmd);
	return MT_EXIT_OK;
}

/*
 * libgit2 allocates a buffer the size of the object for every delta it
 * applies (a 20 KB tree at delta depth 20 is twenty of them) and a zlib
 * state for every object it inflates. glibc's defaults give the top of the
 * heap back to the kernel whenever 128 KB are free there and map anything
 * over 128 KB on its own, so the same pages were unmapped and faulted in
 * again all run long: keeping them cut system time by a fifth and `audit`
 * by 4-5 %. Peak memory is unchanged (what is kept was the peak anyway).
 */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 256 << 20);
#endif
}

/*
 * `CMD --help` or `CMD -h` anywhere before a `--` shows CMD's help, so that
 * a user who adds it to a half-typed command line gets help, not an error
 * about the rest of it.
 */
static bool wants_help(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	struct mt_options opts;
	const struct command *cmd;
	int want_help = 0, want_version = 0, next;
	const struct cli_option main_options[] = {
		{ "help", 'h', CLI_FLAG, &want_help },
		{ "version", 0, CLI_FLAG, &want_version },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	keep_freed_memory();
	mt_options_init(&opts, argv[0]);
	/* Common options may come before the command; its own parser takes the rest. */
	if (cli_parse_leading(&opts, main_options, argc - 1, argv + 1, &next) < 0)
		return cli_fail();
	if (want_help) {
		print_usage(stdout);
		return MT_EXIT_OK;
	}
	if (want_version) {
		printf("mtcheck %s\n", MTCHECK_VERSION);
		return MT_EXIT_OK;
	}
	next++; /* index into argv, past the program name */
	if (next >= argc) {
		print_usage(stderr);
		return MT_EXIT_ERROR;
	}
	if (!strcmp(argv[next], "help")) {
		if (wants_help(argc - next - 1, argv + next + 1)) {
			cli_print_command_help(stdout, &command_help);
			return MT_EXIT_OK;
		}
		return cmd_help(argc - next - 1, argv + next + 1);
	}
	cmd = find_command(argv[next]);
	if (!cmd) {
		mt_error_set("unknown command '%s' (see 'mtcheck --help')", argv[next]);
		return cli_fail();
	}
	if (wants_help(argc - next - 1, argv + next + 1)) {
		cli_print_command_help(stdout, cmd);
		return MT_EXIT_OK;
	}
	return cmd->run(argc - next - 1, argv + next + 1, &opts);
}
