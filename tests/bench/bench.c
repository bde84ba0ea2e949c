/*
 * bench: times mtcheck on one repository beside a git command-line baseline
 * that does the minimal equivalent reading, and prints one compact table.
 *
 *   bench [--mtcheck PATH] [--runs N] [--stream stable-X.Y] [--tag TAG] [--tmp DIR] REPO
 *   bench --scaling [--mtcheck PATH] [--runs N] [--tmp DIR] REPO...
 *
 * Each measurement runs its processes N times (fork, exec, wait4) and reports
 * the median wall time and the largest peak RSS (ru_maxrss of the child).
 * An mtcheck command is timed only when the binary has it (`mtcheck help CMD`
 * exits 0); the baselines always run. Baselines, per command:
 *
 *   audit        for every stream at once: git rev-list of the stream ranges,
 *                git log --format=%B of those commits, git diff-tree -p of each,
 *                git cat-file --batch of the machine files at every release tag
 *   check S      the same for one stream, machine files at the stream's own tags
 *   machines T   git cat-file --batch of the machine files at T
 *   backports S  git rev-list, git log --format=%B and git diff-tree -p of the stream
 */
/* wait4(): the rusage of exactly one child */
#define _DEFAULT_SOURCE

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* Files whose text at a tag tells the versioned machines and compat arrays. */
static const char *const machine_files[] = {
	"hw/i386/pc_q35.c", "hw/i386/pc_piix.c", "hw/arm/virt.c", "hw/s390x/s390-virtio-ccw.c",
	"hw/ppc/spapr.c", "hw/m68k/virt.c", "hw/loongarch/virt.c", "hw/core/machine.c",
	"hw/i386/pc.c",
};

struct options {
	const char *mtcheck;
	const char *tmp;
	const char *stream;
	const char *tag;
	unsigned runs;
	bool scaling;
};

/* One process: argv, and files for stdin (NULL: /dev/null) and stdout (NULL: /dev/null). */
struct step {
	char **argv;
	const char *in;
	const char *out;
};

struct job {
	struct step *steps;
	size_t n, alloc;
};

struct measure {
	double wall;     /* median seconds */
	long rss_kb;     /* largest peak RSS */
	int status;      /* exit status of the first failing step, else 0 */
	char err[160];   /* its first line of stderr */
};

static char **argv_new(const char *first, ...)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;
	const char *s;
	va_list ap;

	va_start(ap, first);
	for (s = first; s; s = va_arg(ap, const char *)) {
		ARRAY_GROW(v, n, alloc);
		v[n++] = xstrdup(s);
	}
	va_end(ap);
	ARRAY_GROW(v, n, alloc);
	v[n] = NULL;
	return v;
}

static void job_add(struct job *j, char **argv, const char *in, const char *out)
{
	ARRAY_GROW(j->steps, j->n, j->alloc);
	j->steps[j->n].argv = argv;
	j->steps[j->n].in = in;
	j->steps[j->n].out = out;
	j->n++;
}

static void job_release(struct job *j)
{
	size_t i, k;

	for (i = 0; i < j->n; i++) {
		for (k = 0; j->steps[i].argv[k]; k++)
			free(j->steps[i].argv[k]);
		free(j->steps[i].argv);
	}
	free(j->steps);
	memset(j, 0, sizeof(*j));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs one step; returns its exit status (or 128 + signal) and fills wall and rss. */
static int run_step(const struct step *s, const char *errfile, double *wall, long *rss_kb)
{
	struct rusage ru;
	double t0 = now();
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		perror("bench: fork");
		exit(2);
	}
	if (pid == 0) {
		int in = open(s->in ? s->in : "/dev/null", O_RDONLY);
		int out = open(s->out ? s->out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(s->argv[0], s->argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("bench: wait4");
		exit(2);
	}
	*wall = now() - t0;
	*rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Runs the whole job `runs` times. Exit status 1 is accepted for mtcheck
 * (findings); anything else stops the measurement and is reported.
 */
static void measure_job(struct measure *m, const struct job *j, const struct options *o)
{
	double *walls = xcalloc(o->runs, sizeof(*walls));
	struct strbuf errfile = STRBUF_INIT;
	unsigned r;
	size_t i;

	memset(m, 0, sizeof(*m));
	strbuf_addf(&errfile, "%s/stderr", o->tmp);
	for (r = 0; r < o->runs; r++) {
		for (i = 0; i < j->n; i++) {
			double wall;
			long rss;
			int status = run_step(&j->steps[i], errfile.buf, &wall, &rss);

			walls[r] += wall;
			if (rss > m->rss_kb)
				m->rss_kb = rss;
			if (status > 1 || (status == 1 && strstr(j->steps[i].argv[0], "git"))) {
				FILE *f = fopen(errfile.buf, "r");

				m->status = status;
				m->err[0] = '\0';
				if (f) {
					if (!fgets(m->err, sizeof(m->err), f))
						m->err[0] = '\0';
					m->err[strcspn(m->err, "\n")] = '\0';
					fclose(f);
				}
				goto out;
			}
		}
	}
	qsort(walls, o->runs, sizeof(*walls), cmp_double);
	m->wall = walls[o->runs / 2];
out:
	free(walls);
	strbuf_release(&errfile);
}

/* Runs a command once and returns its stdout (the caller frees), or NULL on failure. */
static char *capture(const struct options *o, char **argv)
{
	struct strbuf path = STRBUF_INIT, errfile = STRBUF_INIT, text = STRBUF_INIT;
	struct step s = { argv, NULL, NULL };
	double wall;
	long rss;
	char buf[8192];
	size_t n;
	FILE *f;
	int status;

	strbuf_addf(&path, "%s/capture", o->tmp);
	strbuf_addf(&errfile, "%s/stderr", o->tmp);
	s.out = path.buf;
	status = run_step(&s, errfile.buf, &wall, &rss);
	f = status == 0 ? fopen(path.buf, "r") : NULL;
	while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	if (f)
		fclose(f);
	strbuf_release(&path);
	strbuf_release(&errfile);
	if (status != 0) {
		strbuf_release(&text);
		return NULL;
	}
	return strbuf_detach(&text, NULL);
}

static void free_argv(char **argv)
{
	size_t k;

	for (k = 0; argv[k]; k++)
		free(argv[k]);
	free(argv);
}

/* git --git-dir=REPO ARGS... as a fresh argv */
static char **git_argv(const char *repo, const char *const *args)
{
	struct strbuf dir = STRBUF_INIT;
	char **v;
	size_t n = 0, i;

	while (args[n])
		n++;
	v = xcalloc(n + 3, sizeof(*v));
	strbuf_addf(&dir, "--git-dir=%s", repo);
	v[0] = xstrdup("git");
	v[1] = strbuf_detach(&dir, NULL);
	for (i = 0; i < n; i++)
		v[i + 2] = xstrdup(args[i]);
	return v;
}

/* ---- what the repository has ---- */

struct stream {
	char *branch;   /* as git names it: stable-10.0 or origin/stable-10.0 */
	char *base;     /* v10.0.0 */
	int major, minor;
	size_t commits; /* base..branch */
};

struct repo_facts {
	const char *path;
	struct stream *streams;
	size_t nstreams, astreams;
	char **tags;    /* release tags vX.Y.Z, no -rc */
	size_t ntags, atags;
	size_t master_commits;
	size_t backports;
};

static bool parse_release_tag(const char *name, int *major, int *minor)
{
	int a, b, c, used = 0;

	if (sscanf(name, "v%d.%d.%d%n", &a, &b, &c, &used) != 3 || name[used] != '\0')
		return false;
	*major = a;
	*minor = b;
	return true;
}

static bool has_tag(const struct repo_facts *f, const char *tag)
{
	size_t i;

	for (i = 0; i < f->ntags; i++)
		if (!strcmp(f->tags[i], tag))
			return true;
	return false;
}

static size_t count_lines_in(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static int discover(struct repo_facts *f, const struct options *o)
{
	static const char *const refs_args[] = { "for-each-ref", "--format=%(refname:short)",
						 "refs/tags/v*", "refs/heads/stable-*",
						 "refs/remotes/*/stable-*", NULL };
	static const char *const master_args[] = { "rev-list", "--count", "HEAD", NULL };
	char **argv = git_argv(f->path, refs_args);
	char *text = capture(o, argv), *line, *save = NULL, *count;
	size_t i;

	free_argv(argv);
	if (!text) {
		fprintf(stderr, "bench: %s: not a git repository\n", f->path);
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *leaf = strrchr(line, '/');
		int major, minor;

		leaf = leaf ? leaf + 1 : line;
		if (parse_release_tag(line, &major, &minor)) {
			ARRAY_GROW(f->tags, f->ntags, f->atags);
			f->tags[f->ntags++] = xstrdup(line);
		} else if (sscanf(leaf, "stable-%d.%d", &major, &minor) == 2) {
			struct stream *s;

			for (i = 0; i < f->nstreams; i++)
				if (f->streams[i].major == major && f->streams[i].minor == minor)
					break;
			if (i < f->nstreams)
				continue; /* a local branch wins over remote copies (listed first) */
			ARRAY_GROW(f->streams, f->nstreams, f->astreams);
			s = &f->streams[f->nstreams++];
			memset(s, 0, sizeof(*s));
			s->branch = xstrdup(line);
			s->major = major;
			s->minor = minor;
		}
	}
	free(text);
	/* Keep the streams whose base tag exists, and count their commits. */
	for (i = 0; i < f->nstreams;) {
		struct stream *s = &f->streams[i];
		struct strbuf base = STRBUF_INIT, range = STRBUF_INIT;

		strbuf_addf(&base, "v%d.%d.0", s->major, s->minor);
		if (!has_tag(f, base.buf)) {
			free(s->branch);
			strbuf_release(&base);
			f->streams[i] = f->streams[--f->nstreams];
			continue;
		}
		strbuf_addf(&range, "%s..%s", base.buf, s->branch);
		{
			const char *args[] = { "rev-list", range.buf, NULL };

			argv = git_argv(f->path, args);
			text = capture(o, argv);
			free_argv(argv);
			s->commits = count_lines_in(text);
			free(text);
		}
		f->backports += s->commits;
		s->base = strbuf_detach(&base, NULL);
		strbuf_release(&range);
		i++;
	}
	argv = git_argv(f->path, master_args);
	count = capture(o, argv);
	free_argv(argv);
	f->master_commits = count ? strtoul(count, NULL, 10) : 0;
	free(count);
	return 0;
}

static void facts_release(struct repo_facts *f)
{
	size_t i;

	for (i = 0; i < f->nstreams; i++) {
		free(f->streams[i].branch);
		free(f->streams[i].base);
	}
	for (i = 0; i < f->ntags; i++)
		free(f->tags[i]);
	free(f->streams);
	free(f->tags);
}

/* ---- the jobs ---- */

static char *write_file(const struct options *o, const char *name, const struct strbuf *text)
{
	struct strbuf path = STRBUF_INIT;
	FILE *fp;

	strbuf_addf(&path, "%s/%s", o->tmp, name);
	fp = fopen(path.buf, "w");
	if (!fp || fwrite(text->buf, 1, text->len, fp) != text->len || fclose(fp) != 0) {
		fprintf(stderr, "bench: cannot write %s: %s\n", path.buf, strerror(errno));
		exit(2);
	}
	return strbuf_detach(&path, NULL);
}

/* Every machine file at every tag in `tags`, as cat-file --batch input. */
static void add_cat_file(struct job *j, const struct options *o, const char *repo,
			 char *const *tags, size_t ntags, const char *name, char **keep)
{
	static const char *const args[] = { "cat-file", "--batch", NULL };
	struct strbuf in = STRBUF_INIT;
	size_t t, k;

	for (t = 0; t < ntags; t++)
		for (k = 0; k < ARRAY_SIZE(machine_files); k++)
			strbuf_addf(&in, "%s:%s\n", tags[t], machine_files[k]);
	*keep = write_file(o, name, &in);
	strbuf_release(&in);
	job_add(j, git_argv(repo, args), *keep, NULL);
}

/*
 * rev-list of the ranges (written to a list), then log --format=%B and
 * diff-tree -p of the commits in it.
 */
static void add_stream_reading(struct job *j, const struct options *o, const char *repo,
			       const struct stream *streams, size_t n, const char *name, char **keep)
{
	static const char *const revlist[] = { "rev-list", "--stdin", NULL };
	static const char *const log[] = { "log", "--no-walk=unsorted", "--format=%B", "--stdin", NULL };
	static const char *const difftree[] = { "diff-tree", "-p", "--stdin", NULL };
	struct strbuf ranges = STRBUF_INIT, list = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(&ranges, "%s\n^%s\n", streams[i].branch, streams[i].base);
	keep[0] = write_file(o, name, &ranges);
	strbuf_addf(&list, "%s.list", keep[0]);
	keep[1] = strbuf_detach(&list, NULL);
	job_add(j, git_argv(repo, revlist), keep[0], keep[1]);
	job_add(j, git_argv(repo, log), keep[1], NULL);
	job_add(j, git_argv(repo, difftree), keep[1], NULL);
	strbuf_release(&ranges);
}

static bool mtcheck_has(const struct options *o, const char *cmd)
{
	char **argv = argv_new(o->mtcheck, "help", cmd, (const char *)NULL);
	char *out = capture(o, argv);
	bool ok = out != NULL;

	free(out);
	free_argv(argv);
	return ok;
}

static void print_time(const struct measure *m, bool available)
{
	if (!available)
		printf(" %10s %8s", "not built", "");
	else if (m->status)
		printf(" %10s %8s", "error", "");
	else
		printf(" %8.3f s %5ld MB", m->wall, (m->rss_kb + 512) / 1024);
}

struct row {
	const char *what;
	char **mtcheck;   /* argv, or NULL when the binary lacks the command */
	struct job baseline;
	char *keep[4];    /* input files the baseline reads */
};

static void run_row(struct row *r, const struct options *o, const char *label)
{
	struct measure mt, base;
	struct job job = { NULL, 0, 0 };
	size_t i;

	measure_job(&base, &r->baseline, o);
	if (r->mtcheck) {
		job_add(&job, r->mtcheck, NULL, NULL);
		measure_job(&mt, &job, o);
		job.n = 0; /* the argv stays with the row */
		free(job.steps);
	}
	printf("%-28s", label);
	print_time(&mt, r->mtcheck != NULL);
	print_time(&base, true);
	if (r->mtcheck && !mt.status && !base.status && base.wall > 0)
		printf(" %6.2f\n", mt.wall / base.wall);
	else
		printf(" %6s\n", "-");
	if (r->mtcheck && mt.status)
		printf("    mtcheck exited %d: %s\n", mt.status, mt.err);
	if (base.status)
		printf("    git exited %d: %s\n", base.status, base.err);
	for (i = 0; i < ARRAY_SIZE(r->keep); i++)
		free(r->keep[i]);
	if (r->mtcheck)
		free_argv(r->mtcheck);
	job_release(&r->baseline);
}

static char **mtcheck_argv(const struct options *o, const char *repo, const char *cmd,
			   const char *arg)
{
	if (!mtcheck_has(o, cmd))
		return NULL;
	return argv_new(o->mtcheck, "--repo", repo, cmd, arg, (const char *)NULL);
}

static const struct stream *pick_stream(const struct repo_facts *f, const char *want)
{
	const struct stream *best = NULL;
	size_t i;

	for (i = 0; i < f->nstreams; i++) {
		const struct stream *s = &f->streams[i];
		const char *leaf = strrchr(s->branch, '/');

		leaf = leaf ? leaf + 1 : s->branch;
		if (want ? !strcmp(leaf, want) || !strcmp(s->branch, want)
			 : !best || s->commits > best->commits)
			best = s;
		if (want && best)
			break;
	}
	return best;
}

/* The newest vX.Y.0 tag. */
static const char *pick_tag(const struct repo_facts *f)
{
	const char *best = NULL;
	int bmaj = -1, bmin = -1;
	size_t i;

	for (i = 0; i < f->ntags; i++) {
		int major, minor, micro;

		if (sscanf(f->tags[i], "v%d.%d.%d", &major, &minor, &micro) == 3 && micro == 0 &&
		    (major > bmaj || (major == bmaj && minor > bmin))) {
			best = f->tags[i];
			bmaj = major;
			bmin = minor;
		}
	}
	return best;
}

static void header(void)
{
	printf("%-28s %10s %8s %10s %8s %6s\n", "command", "mtcheck", "RSS", "git", "RSS", "ratio");
}

static int bench_one(const struct options *o, const char *repo)
{
	struct repo_facts f = { repo, NULL, 0, 0, NULL, 0, 0, 0, 0 };
	const struct stream *s;
	const char *tag;
	struct strbuf label = STRBUF_INIT;
	char **stream_tags = NULL;
	size_t nstream_tags = 0, alloc = 0, i;
	struct row r;

	if (discover(&f, o) < 0)
		return -1;
	s = pick_stream(&f, o->stream);
	tag = o->tag ? o->tag : pick_tag(&f);
	if (!s || !tag) {
		fprintf(stderr, "bench: %s: no %s to measure\n", repo,
			!s ? "stable-X.Y branch with its vX.Y.0 tag" : "release tag");
		facts_release(&f);
		return -1;
	}
	printf("%s: %zu commits from HEAD, %zu streams with %zu commits since their base, "
	       "%zu release tags\n", repo, f.master_commits, f.nstreams, f.backports, f.ntags);
	printf("stream %s (%zu commits since %s), tag %s; median of %u runs, peak RSS\n\n",
	       s->branch, s->commits, s->base, tag, o->runs);
	header();
	for (i = 0; i < f.ntags; i++) {
		int major, minor;

		if (parse_release_tag(f.tags[i], &major, &minor) && major == s->major &&
		    minor == s->minor) {
			ARRAY_GROW(stream_tags, nstream_tags, alloc);
			stream_tags[nstream_tags++] = f.tags[i];
		}
	}

	memset(&r, 0, sizeof(r));
	r.mtcheck = mtcheck_argv(o, repo, "audit", NULL);
	add_stream_reading(&r.baseline, o, repo, f.streams, f.nstreams, "audit.ranges", r.keep);
	add_cat_file(&r.baseline, o, repo, f.tags, f.ntags, "audit.blobs", &r.keep[2]);
	run_row(&r, o, "audit");

	memset(&r, 0, sizeof(r));
	strbuf_addf(&label, "check %s", s->branch);
	r.mtcheck = mtcheck_argv(o, repo, "check", s->branch);
	add_stream_reading(&r.baseline, o, repo, s, 1, "check.ranges", r.keep);
	add_cat_file(&r.baseline, o, repo, stream_tags, nstream_tags, "check.blobs", &r.keep[2]);
	run_row(&r, o, label.buf);

	memset(&r, 0, sizeof(r));
	strbuf_reset(&label);
	strbuf_addf(&label, "machines %s", tag);
	r.mtcheck = mtcheck_argv(o, repo, "machines", tag);
	{
		char *one[] = { (char *)tag };

		add_cat_file(&r.baseline, o, repo, one, 1, "machines.blobs", &r.keep[0]);
	}
	run_row(&r, o, label.buf);

	memset(&r, 0, sizeof(r));
	strbuf_reset(&label);
	strbuf_addf(&label, "backports %s", s->branch);
	r.mtcheck = mtcheck_argv(o, repo, "backports", s->branch);
	add_stream_reading(&r.baseline, o, repo, s, 1, "backports.ranges", r.keep);
	run_row(&r, o, label.buf);

	free(stream_tags);
	strbuf_release(&label);
	facts_release(&f);
	return 0;
}

/* One audit row per repository, to show how cost grows with history size. */
static int bench_scaling(const struct options *o, char **repos, int n)
{
	int i;

	printf("%-36s %8s %7s %5s %10s %10s %6s\n", "repository", "commits", "stable", "tags",
	       "audit", "git", "ratio");
	for (i = 0; i < n; i++) {
		struct repo_facts f = { repos[i], NULL, 0, 0, NULL, 0, 0, 0, 0 };
		struct measure mt, base;
		struct row r;
		struct job job = { NULL, 0, 0 };

		if (discover(&f, o) < 0)
			return -1;
		memset(&r, 0, sizeof(r));
		r.mtcheck = mtcheck_argv(o, repos[i], "audit", NULL);
		add_stream_reading(&r.baseline, o, repos[i], f.streams, f.nstreams, "audit.ranges", r.keep);
		add_cat_file(&r.baseline, o, repos[i], f.tags, f.ntags, "audit.blobs", &r.keep[2]);
		measure_job(&base, &r.baseline, o);
		printf("%-36s %8zu %7zu %5zu", repos[i], f.master_commits, f.backports, f.ntags);
		if (r.mtcheck) {
			job_add(&job, r.mtcheck, NULL, NULL);
			measure_job(&mt, &job, o);
			free(job.steps);
		}
		if (!r.mtcheck)
			printf(" %10s", "not built");
		else if (mt.status)
			printf(" %10s", "error");
		else
			printf(" %8.3f s", mt.wall);
		if (base.status)
			printf(" %10s", "error");
		else
			printf(" %8.3f s", base.wall);
		if (r.mtcheck && !mt.status && !base.status && base.wall > 0)
			printf(" %6.2f\n", mt.wall / base.wall);
		else
			printf(" %6s\n", "-");
		for (size_t k = 0; k < ARRAY_SIZE(r.keep); k++)
			free(r.keep[k]);
		if (r.mtcheck)
			free_argv(r.mtcheck);
		job_release(&r.baseline);
		facts_release(&f);
	}
	return 0;
}

static void usage(void)
{
	fputs("usage: bench [--mtcheck PATH] [--runs N] [--stream stable-X.Y] [--tag TAG] "
	      "[--tmp DIR] REPO\n"
	      "       bench --scaling [--mtcheck PATH] [--runs N] [--tmp DIR] REPO...\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct options o = { "build/mtcheck", NULL, NULL, NULL, 5, false };
	char tmpl[] = "/tmp/mtcheck-bench-XXXXXX";
	struct strbuf rm = STRBUF_INIT;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--scaling"))
			o.scaling = true;
		else if (i + 1 >= argc)
			usage();
		else if (!strcmp(argv[i], "--mtcheck"))
			o.mtcheck = argv[++i];
		else if (!strcmp(argv[i], "--runs"))
			o.runs = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--stream"))
			o.stream = argv[++i];
		else if (!strcmp(argv[i], "--tag"))
			o.tag = argv[++i];
		else if (!strcmp(argv[i], "--tmp"))
			o.tmp = argv[++i];
		else
			usage();
	}
	if (i >= argc || o.runs == 0 || (!o.scaling && argc - i != 1))
		usage();
	if (!o.tmp) {
		o.tmp = mkdtemp(tmpl);
		if (!o.tmp) {
			perror("bench: mkdtemp");
			return 2;
		}
	} else if (mkdir(o.tmp, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "bench: %s: %s\n", o.tmp, strerror(errno));
		return 2;
	}
	ret = o.scaling ? bench_scaling(&o, argv + i, argc - i) : bench_one(&o, argv[i]);
	if (o.tmp == tmpl) {
		strbuf_addf(&rm, "rm -rf '%s'", tmpl);
		if (system(rm.buf) != 0)
			fprintf(stderr, "bench: could not remove %s\n", tmpl);
	}
	strbuf_release(&rm);
	return ret < 0 ? 2 : 0;
}
