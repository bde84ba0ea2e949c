/*
 * -v: what a run read and how long each phase took, on standard error, one
 * "mtcheck: " line each, so it never mixes with the report. Not a public
 * interface of the cli module.
 */
#ifndef MT_CLI_VERBOSE_H
#define MT_CLI_VERBOSE_H

#include "cli/cli.h"

/* Prints "mtcheck: <text>" when -v was given. */
void verbose_say(const struct mt_options *opts, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "mtcheck: <phase>: N.NNN s" (time since the previous phase, or the start). */
void verbose_phase(const struct mt_options *opts, const char *phase);

#endif
