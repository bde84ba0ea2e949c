/*
 * cli: the commands (one file each, src/cli/cmd_*.c, dispatched from main.c)
 * and the plumbing they share: the common options, the option parser, the
 * command table entry. Commands hold no policy logic; they parse their
 * options, call the library modules and print.
 *
 * The end of the pipeline: may call every other module.
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "policy/policy.h"
#include "report/report.h"
#include "util/outfile.h"
#include "util/strbuf.h"

enum mt_color { MT_COLOR_AUTO, MT_COLOR_ALWAYS, MT_COLOR_NEVER };

/* Options every command accepts, anywhere on the command line. */
struct mt_options {
	const char *repo_dir;  /* --repo DIR; NULL: the repository containing the cwd */
	enum mt_format format; /* --format */
	enum mt_color color;   /* --color */
	const char *rules_dir; /* --rules DIR; NULL: MTCHECK_RULES, then built-in */
	int quiet;             /* -q: errors only */
	int verbose;           /* -v, repeatable */
	const char *output;    /* --output FILE; NULL: standard output */
	double start_time;     /* monotonic seconds when main started, for -v */
	struct outfile out;    /* --output's temporary file, once the options are parsed */
	bool output_open;
	const char *argv0;     /* how the program was started, to find built-in rules */
};

void mt_options_init(struct mt_options *opts, const char *argv0);

enum cli_option_kind {
	CLI_FLAG,   /* int *: set to 1 */
	CLI_STRING, /* const char **: the argument */
};

struct cli_option {
	const char *long_name; /* without the leading "--" */
	char short_name;       /* 0 when there is none */
	enum cli_option_kind kind;
	void *value;
};

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct mt_options *opts);
	const char *usage;   /* "machines [REF]" */
	const char *summary; /* one line for `mtcheck --help` */
	const char *help;    /* the command's own options, one per line, for `mtcheck help CMD` */
	unsigned formats;    /* the enum mt_format values the command can write */
};

/*
 * Parses a command's arguments: its own `options` (terminated by an entry
 * with a NULL long_name; may be NULL) and the common options, in any order,
 * `--name value`, `--name=value`, `-x`, and `--` ending options. Positional
 * arguments are stored into args (argc entries at most) and counted in
 * *out_nargs. On a bad option, or a --format the command does not write,
 * it sets an error naming the command and returns MT_ERROR.
 */
int cli_parse(struct mt_options *common, const struct command *cmd,
	      const struct cli_option *options, int argc, char **argv,
	      char **args, int *out_nargs);

/*
 * Parses the options before the command name (common ones and `options`),
 * stopping at the first positional argument, whose index goes to *out_next.
 */
int cli_parse_leading(struct mt_options *common, const struct cli_option *options,
		      int argc, char **argv, int *out_next);

/* The rules directory of this run (--rules, MTCHECK_RULES, else built-in: rulesdir.h). */
int cli_rules_dir(struct strbuf *out, const struct mt_options *opts);
/* policy_load() from that directory. */
int cli_policy_load(struct policy *out, const struct mt_options *opts);

/* True when output to `stream` should be coloured, per --color, NO_COLOR and TERM=dumb. */
bool cli_use_color(const struct mt_options *opts, FILE *stream);

/*
 * Ends the run: flushes and closes standard output checking every error
 * (--output: renames the temporary file over FILE when `status` is 0 or 1,
 * removes it otherwise) and returns the exit status, MT_EXIT_ERROR with a
 * message when writing failed.
 */
int cli_finish_output(struct mt_options *opts, int status);

/* Prints "mtcheck: <last error>" to stderr and returns MT_EXIT_ERROR. */
int cli_fail(void);

/* Prints `mtcheck help CMD` text for cmd to `out`. */
void cli_print_command_help(FILE *out, const struct command *cmd);

#endif
