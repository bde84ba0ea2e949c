#include "fastimport.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

int fastimport_start(struct fastimport *fi, const char *git_dir)
{
	int to_child[2], from_child[2];
	struct strbuf dir = STRBUF_INIT;

	memset(fi, 0, sizeof(*fi));
	if (pipe(to_child) < 0 || pipe(from_child) < 0)
		return mt_error_set("pipe: %s", strerror(errno));
	strbuf_addf(&dir, "--git-dir=%s", git_dir);
	fi->pid = fork();
	if (fi->pid < 0) {
		strbuf_release(&dir);
		return mt_error_set("fork: %s", strerror(errno));
	}
	if (fi->pid == 0) {
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		close(to_child[0]);
		close(to_child[1]);
		close(from_child[0]);
		close(from_child[1]);
		/*
		 * glibc's malloc gives memory back after every object fast-import
		 * frees, which costs ten times the import itself; keep it.
		 */
		setenv("MALLOC_TRIM_THRESHOLD_", "268435456", 0);
		setenv("MALLOC_TOP_PAD_", "67108864", 0);
		setenv("MALLOC_MMAP_THRESHOLD_", "268435456", 0);
		execlp("git", "git", dir.buf, "fast-import", "--quiet", "--depth=50", (char *)NULL);
		fprintf(stderr, "genhistory: cannot run git: %s\n", strerror(errno));
		_exit(127);
	}
	strbuf_release(&dir);
	close(to_child[0]);
	close(from_child[1]);
	fi->in = fdopen(to_child[1], "w");
	fi->out = fdopen(from_child[0], "r");
	if (!fi->in || !fi->out)
		return mt_error_set("fdopen: %s", strerror(errno));
	/* A large buffer: the stream is hundreds of megabytes of small writes. */
	setvbuf(fi->in, NULL, _IOFBF, 1 << 20);
	fputs("feature done\n", fi->in);
	return 0;
}

int fastimport_mark_sha(char *out, struct fastimport *fi, unsigned long mark)
{
	char line[128];

	fprintf(fi->in, "get-mark :%lu\n", mark);
	if (fflush(fi->in) != 0 || !fgets(line, sizeof(line), fi->out) || strlen(line) < 41)
		return mt_error_set("fast-import did not answer get-mark :%lu", mark);
	memcpy(out, line, 40);
	out[40] = '\0';
	return 0;
}

int fastimport_finish(struct fastimport *fi)
{
	int status, err = 0;

	fputs("done\n", fi->in);
	if (fclose(fi->in) != 0)
		err = mt_error_set("writing to fast-import: %s", strerror(errno));
	fclose(fi->out);
	if (waitpid(fi->pid, &status, 0) != fi->pid || !WIFEXITED(status) || WEXITSTATUS(status))
		err = mt_error_set("git fast-import failed");
	return err;
}

int run_git(const char *const *argv)
{
	size_t n = 0, i;
	const char **full;
	pid_t pid;
	int status;

	while (argv[n])
		n++;
	full = xcalloc(n + 2, sizeof(*full));
	full[0] = "git";
	for (i = 0; i < n; i++)
		full[i + 1] = argv[i];
	pid = fork();
	if (pid == 0) {
		execvp("git", (char *const *)full);
		_exit(127);
	}
	free(full);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return mt_error_set("cannot run git %s", argv[0]);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return mt_error_set("git %s failed", argv[0]);
	return 0;
}
