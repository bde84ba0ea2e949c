#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/outfile.h"

#include "util/error.h"
#include "util/rulesdir.h"

void mt_options_init(struct mt_options *opts, const char *argv0)
{
	memset(opts, 0, sizeof(*opts));
	opts->format = MT_FORMAT_TEXT;
	opts->color = MT_COLOR_AUTO;
	opts->argv0 = argv0;
	opts->out.fd = -1;
	{
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		opts->start_time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	}
}

static const char *format_names[] = { "text", "json", "sarif", "codequality", "markdown",
				      "html" };

static int parse_format(enum mt_format *out, const char *value)
{
	unsigned i;

	for (i = 0; i < sizeof(format_names) / sizeof(*format_names); i++) {
		if (!strcmp(value, format_names[i])) {
			*out = (enum mt_format)(1u << i);
			return MT_OK;
		}
	}
	return mt_error_set("--format: unknown format '%s' (use text, json, sarif, codequality, "
			    "markdown or html)",
			    value);
}

static int parse_color(enum mt_color *out, const char *value)
{
	if (!strcmp(value, "auto"))
		*out = MT_COLOR_AUTO;
	else if (!strcmp(value, "always"))
		*out = MT_COLOR_ALWAYS;
	else if (!strcmp(value, "never"))
		*out = MT_COLOR_NEVER;
	else
		return mt_error_set("--color: unknown value '%s' (use auto, always or never)", value);
	return MT_OK;
}

/* The common options, as a table so one parser serves them and the command's own. */
enum common_id {
	COMMON_REPO, COMMON_FORMAT, COMMON_COLOR, COMMON_RULES, COMMON_QUIET, COMMON_VERBOSE,
	COMMON_OUTPUT,
};

static const struct {
	const char *long_name;
	char short_name;
	enum cli_option_kind kind;
	enum common_id id;
} common_options[] = {
	{ "repo", 0, CLI_STRING, COMMON_REPO },
	{ "format", 0, CLI_STRING, COMMON_FORMAT },
	{ "color", 0, CLI_STRING, COMMON_COLOR },
	{ "rules", 0, CLI_STRING, COMMON_RULES },
	{ "quiet", 'q', CLI_FLAG, COMMON_QUIET },
	{ "verbose", 'v', CLI_FLAG, COMMON_VERBOSE },
	{ "output", 'o', CLI_STRING, COMMON_OUTPUT },
};

static int set_common(struct mt_options *common, enum common_id id, const char *value)
{
	switch (id) {
	case COMMON_REPO:
		common->repo_dir = value;
		return MT_OK;
	case COMMON_FORMAT:
		return parse_format(&common->format, value);
	case COMMON_COLOR:
		return parse_color(&common->color, value);
	case COMMON_RULES:
		common->rules_dir = value;
		return MT_OK;
	case COMMON_QUIET:
		common->quiet = 1;
		return MT_OK;
	case COMMON_VERBOSE:
		common->verbose++;
		return MT_OK;
	case COMMON_OUTPUT:
		common->output = value;
		return MT_OK;
	}
	return MT_ERROR;
}

struct match {
	enum cli_option_kind kind;
	const struct cli_option *own; /* NULL for a common option */
	enum common_id common;
};

static bool find_option(struct match *out, const struct cli_option *options,
			const char *long_name, size_t long_len, char short_name)
{
	size_t i;

	for (i = 0; options && options[i].long_name; i++) {
		if (long_name ? strlen(options[i].long_name) == long_len &&
					!strncmp(options[i].long_name, long_name, long_len)
			      : options[i].short_name && options[i].short_name == short_name) {
			out->kind = options[i].kind;
			out->own = &options[i];
			return true;
		}
	}
	for (i = 0; i < sizeof(common_options) / sizeof(*common_options); i++) {
		if (long_name ? strlen(common_options[i].long_name) == long_len &&
					!strncmp(common_options[i].long_name, long_name, long_len)
			      : common_options[i].short_name == short_name) {
			out->kind = common_options[i].kind;
			out->own = NULL;
			out->common = common_options[i].id;
			return true;
		}
	}
	return false;
}

static int apply(struct mt_options *common, const struct match *m, const char *value)
{
	if (!m->own)
		return set_common(common, m->common, value);
	if (m->kind == CLI_FLAG)
		*(int *)m->own->value = 1;
	else
		*(const char **)m->own->value = value;
	return MT_OK;
}

/*
 * The one option loop. With `args` NULL it stops at the first positional
 * argument and reports its index in *out_nargs (the leading options of main).
 */
static int parse_args(struct mt_options *common, const struct command *cmd,
		      const struct cli_option *options, int argc, char **argv,
		      char **args, int *out_nargs)
{
	const char *name = cmd ? cmd->name : NULL;
	int i, nargs = 0;
	bool options_done = false;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		struct match m;

		if (options_done || arg[0] != '-' || !arg[1]) {
			if (!args)
				break;
			args[nargs++] = argv[i];
			continue;
		}
		if (!strcmp(arg, "--")) {
			if (!args) {
				i++;
				break;
			}
			options_done = true;
			continue;
		}
		if (arg[1] == '-') {
			const char *lname = arg + 2, *eq = strchr(lname, '=');
			size_t len = eq ? (size_t)(eq - lname) : strlen(lname);
			const char *value = NULL;

			if (!find_option(&m, options, lname, len, 0))
				goto unknown;
			if (m.kind == CLI_FLAG) {
				if (eq)
					return mt_error_set("%s%s--%.*s takes no value", name ? name : "",
							    name ? ": " : "", (int)len, lname);
			} else if (eq) {
				value = eq + 1;
			} else if (i + 1 < argc) {
				value = argv[++i];
			} else {
				return mt_error_set("%s%s--%s needs a value", name ? name : "",
						    name ? ": " : "", lname);
			}
			if (apply(common, &m, value) < 0)
				return MT_ERROR;
			continue;
		}
		/* A cluster of short flags, e.g. -qv, or one short option with a value. */
		for (const char *p = arg + 1; *p; p++) {
			if (!find_option(&m, options, NULL, 0, *p))
				goto unknown;
			if (m.kind == CLI_STRING) {
				const char *value = p[1] ? p + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!value)
					return mt_error_set("%s%s-%c needs a value", name ? name : "",
							    name ? ": " : "", *p);
				if (apply(common, &m, value) < 0)
					return MT_ERROR;
				break;
			}
			apply(common, &m, NULL);
		}
		continue;
unknown:
		return mt_error_set("%s%sunknown option '%s' (see 'mtcheck %s%s')",
				    name ? name : "", name ? ": " : "", arg,
				    name ? "help " : "--help", name ? name : "");
	}
	*out_nargs = args ? nargs : i;
	return MT_OK;
}

/*
 * --output FILE: once the command line is known to be good, standard output
 * goes to a temporary file beside FILE, so every command's report (however
 * it is written) lands there and FILE is replaced only by a whole one.
 */
static int open_output(struct mt_options *common)
{
	if (!common->output || common->output_open)
		return MT_OK;
	if (outfile_open(&common->out, common->output) < 0)
		return MT_ERROR;
	if (fflush(stdout) != 0 || dup2(common->out.fd, STDOUT_FILENO) < 0) {
		outfile_abort(&common->out);
		return mt_error_set("%s: cannot write: %s", common->output, strerror(errno));
	}
	common->output_open = true;
	return MT_OK;
}

static int check_format(const struct mt_options *opts, const struct command *cmd)
{
	unsigned i;

	if (cmd->formats & opts->format)
		return MT_OK;
	for (i = 0; i < sizeof(format_names) / sizeof(*format_names); i++) {
		if (opts->format == (enum mt_format)(1u << i))
			break;
	}
	return mt_error_set("%s: --format %s is not available for this command", cmd->name,
			    i < sizeof(format_names) / sizeof(*format_names) ? format_names[i] : "?");
}

int cli_parse(struct mt_options *common, const struct command *cmd,
	      const struct cli_option *options, int argc, char **argv,
	      char **args, int *out_nargs)
{
	if (parse_args(common, cmd, options, argc, argv, args, out_nargs) < 0 ||
	    check_format(common, cmd) < 0)
		return MT_ERROR;
	return open_output(common);
}

int cli_finish_output(struct mt_options *opts, int status)
{
	int ret = outfile_close_stdout(opts->output_open ? opts->output : "standard output");

	if (!opts->output_open) {
		if (ret < 0)
			return cli_fail();
		return status;
	}
	opts->output_open = false;
	if (ret < 0 || status == MT_EXIT_ERROR) {
		outfile_abort(&opts->out);
		return ret < 0 ? cli_fail() : status;
	}
	if (outfile_commit(&opts->out) < 0)
		return cli_fail();
	return status;
}

int cli_parse_leading(struct mt_options *common, const struct cli_option *options,
		      int argc, char **argv, int *out_next)
{
	return parse_args(common, NULL, options, argc, argv, NULL, out_next);
}

int cli_rules_dir(struct strbuf *out, const struct mt_options *opts)
{
	return rules_dir_find(out, opts->rules_dir, opts->argv0);
}

int cli_policy_load(struct policy *out, const struct mt_options *opts)
{
	struct strbuf dir = STRBUF_INIT;
	int ret = cli_rules_dir(&dir, opts);

	if (ret == 0)
		ret = policy_load(out, dir.buf);
	strbuf_release(&dir);
	return ret;
}

bool cli_use_color(const struct mt_options *opts, FILE *stream)
{
	const char *no_color, *term;

	if (opts->color == MT_COLOR_ALWAYS)
		return true;
	if (opts->color == MT_COLOR_NEVER)
		return false;
	/* https://no-color.org: any non-empty value turns colour off. */
	no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		return false;
	/* A terminal that says it understands no escape sequences gets none. */
	term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(stream)) == 1;
}

int cli_fail(void)
{
	fprintf(stderr, "mtcheck: %s\n", mt_error_last());
	return MT_EXIT_ERROR;
}

void cli_print_command_help(FILE *out, const struct command *cmd)
{
	fprintf(out, "usage: mtcheck %s\n\n%s\n", cmd->usage, cmd->summary);
	if (cmd->help && *cmd->help)
		fprintf(out, "\n%s", cmd->help);
	fputs("\nCommon options: --repo DIR, --format FORMAT, --color WHEN, --rules DIR,\n"
	      "-o/--output FILE, -q, -v\n"
	      "See mtcheck(1) for details.\n", out);
}
