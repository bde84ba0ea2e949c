/*
 * Command-line plumbing shared by every command: the common options, the
 * option parser, and the command table entry. Commands hold no policy logic;
 * they parse their options and call the library modules.
 */
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum mt_exit {
	MT_EXIT_OK = 0,       /* no finding at or above --fail-on */
	MT_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
	MT_EXIT_ERROR = 2,    /* usage, input or repository error */
};

enum mt_format {
	MT_FORMAT_TEXT = 1 << 0,
	MT_FORMAT_JSON = 1 << 1,
	MT_FORMAT_SARIF = 1 << 2,
	MT_FORMAT_CODEQUALITY = 1 << 3,
	MT_FORMAT_MARKDOWN = 1 << 4,
	MT_FORMAT_HTML = 1 << 5,
};

enum mt_color { MT_COLOR_AUTO, MT_COLOR_ALWAYS, MT_COLOR_NEVER };

/* Options every command accepts, anywhere on the command line. */
struct mt_options {
	const char *repo_dir;  /* --repo DIR; NULL: the repository containing the cwd */
	enum mt_format format; /* --format */
	enum mt_color color;   /* --color */
	const char *rules_dir; /* --rules DIR; NULL: MTCHECK_RULES, then built-in */
	int quiet;             /* -q: errors only */
	int verbose;           /* -v, repeatable */
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
 * *out_nargs. On a bad option it sets an error naming the command and
 * returns MT_ERROR.
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

/* Checks opts->format against what the command writes; sets an error otherwise. */
int cli_check_format(const struct mt_options *opts, const struct command *cmd);

/* True when output to `stream` should be coloured, per --color, NO_COLOR and TERM=dumb. */
bool cli_use_color(const struct mt_options *opts, FILE *stream);

/* Prints "mtcheck: <last error>" to stderr and returns MT_EXIT_ERROR. */
int cli_fail(void);

/* Prints `mtcheck help CMD` text for cmd to `out`. */
void cli_print_command_help(FILE *out, const struct command *cmd);

#endif
