/* -v: what was read and how long each phase took, on standard error. */
#include "verbose.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The end of the previous phase; 0 until the first one. */
static double last_phase;

void verbose_say(const struct mt_options *opts, const char *fmt, ...)
{
	va_list ap;

	if (!opts->verbose)
		return;
	if (!last_phase)
		last_phase = now();
	fputs("mtcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void verbose_phase(const struct mt_options *opts, const char *phase)
{
	double t;

	if (!opts->verbose)
		return;
	t = now();
	if (!last_phase)
		last_phase = opts->start_time ? opts->start_time : t;
	fprintf(stderr, "mtcheck: %s: %.3f s\n", phase, t - last_phase);
	last_phase = t;
}
