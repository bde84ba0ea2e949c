#include "cli/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_init(struct progress *p, const struct mt_options *opts)
{
	memset(p, 0, sizeof(*p));
	p->on = !opts->quiet && isatty(STDERR_FILENO) == 1;
	p->start_ms = now_ms();
}

/* Carriage return and spaces only: no escape sequence, so TERM=dumb is served too. */
static void blank(struct progress *p)
{
	fprintf(stderr, "\r%*s\r", (int)p->width, "");
}

void progress_show(struct progress *p, const char *phase, size_t done, size_t total)
{
	char line[160];
	int64_t ms;
	int n;

	if (!p->on)
		return;
	ms = now_ms() - p->start_ms;
	if (total)
		n = snprintf(line, sizeof(line), "mtcheck: %s %zu/%zu streams, %lld.%llds", phase,
			     done, total, (long long)(ms / 1000), (long long)(ms % 1000 / 100));
	else
		n = snprintf(line, sizeof(line), "mtcheck: %s, %lld.%llds", phase,
			     (long long)(ms / 1000), (long long)(ms % 1000 / 100));
	if (n < 0)
		return;
	blank(p);
	fputs(line, stderr);
	fflush(stderr);
	p->width = strlen(line);
}

void progress_done(struct progress *p)
{
	if (!p->on || !p->width)
		return;
	blank(p);
	fflush(stderr);
	p->width = 0;
}
