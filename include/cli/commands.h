/* The commands, one src/cmd_<name>.c each; main.c lists them in its dispatch table. */
#ifndef MT_COMMANDS_H
#define MT_COMMANDS_H

#include "cli/cli.h"

extern const struct command command_machines;
extern const struct command command_diff;
extern const struct command command_explain;
extern const struct command command_rules;
extern const struct command command_backports;
extern const struct command command_streams;
extern const struct command command_check;
extern const struct command command_audit;

extern const struct command command_assess;
extern const struct command command_suggest;
extern const struct command command_ci_setup;
extern const struct command command_ci_template;

#endif
