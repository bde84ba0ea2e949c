/*
 * A `git fast-import` process fed through a pipe. fast-import writes a
 * deltified pack directly, which is what makes a 130,000-commit history take
 * a minute rather than hours of loose objects and a repack.
 */
#ifndef MT_BENCH_FASTIMPORT_H
#define MT_BENCH_FASTIMPORT_H

#include <stdio.h>
#include <sys/types.h>

struct fastimport {
	FILE *in;   /* the stream we write */
	FILE *out;  /* fast-import's answers to get-mark */
	pid_t pid;
};

/* Starts `git --git-dir=GIT_DIR fast-import` on an existing repository. */
int fastimport_start(struct fastimport *fi, const char *git_dir);
/* The 40-hex sha of an earlier mark (a round trip: flushes the stream first). */
int fastimport_mark_sha(char *out, struct fastimport *fi, unsigned long mark);
/* Ends the stream with `done` and waits; fails when fast-import did. */
int fastimport_finish(struct fastimport *fi);

/* Runs git with argv (NULL-terminated, without "git") and waits; 0 when it exits 0. */
int run_git(const char *const *argv);

#endif
