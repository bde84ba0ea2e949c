/*
 * A one-line progress indicator on stderr for the long commands (audit,
 * check): the phase, streams done out of all, and the time elapsed. Only
 * when stderr is a terminal and -q is not given, so logs, pipes and CI
 * output never see it; the line is erased when the run ends.
 */
#ifndef MT_PROGRESS_H
#define MT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

struct progress {
	bool on;
	int64_t start_ms;
	size_t width; /* of the last line drawn, to blank it */
};

/* Decides whether to draw (stderr a terminal, not -q) and starts the clock. */
void progress_init(struct progress *p, const struct mt_options *opts);
/* Draws "mtcheck: PHASE DONE/TOTAL streams, N.Ns"; total 0 leaves the count out. */
void progress_show(struct progress *p, const char *phase, size_t done, size_t total);
/* Erases the line. */
void progress_done(struct progress *p);

#endif
