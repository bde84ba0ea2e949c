/*
 * Running the git command line. mtcheck reads repositories through libgit2
 * and never writes to them; the one exception is `ci-setup`, which fetches
 * refs and objects into a CI clone, and does it the way the clone was made:
 * with git itself (its transports, credentials and shallow handling).
 */
#include "repo/repo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/error.h"

/* Reads what is left on two pipes into two buffers until both close. */
static void drain(int fds[2], struct strbuf *bufs[2])
{
	struct pollfd p[2];
	char chunk[4096];
	int open = 2, i;

	for (i = 0; i < 2; i++) {
		p[i].fd = fds[i];
		p[i].events = POLLIN;
	}
	while (open) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n > 0) {
				if (bufs[i])
					strbuf_add(bufs[i], chunk, (size_t)n);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			close(p[i].fd);
			p[i].fd = -1;
			open--;
		}
	}
}

int repo_git_run(int *out_status, struct strbuf *out, struct strbuf *err, const char *dir,
		 const char *const *args)
{
	int opipe[2] = { -1, -1 }, epipe[2] = { -1, -1 }, status, fds[2];
	struct strbuf *bufs[2] = { out, err };
	const char **argv;
	size_t n = 0, i;
	pid_t pid;

	while (args[n])
		n++;
	argv = calloc(n + 4, sizeof(*argv));
	if (!argv)
		return mt_error_set("out of memory");
	argv[0] = "git";
	argv[1] = "-C";
	argv[2] = dir;
	for (i = 0; i < n; i++)
		argv[3 + i] = args[i];
	if (pipe(opipe) < 0 || pipe(epipe) < 0) {
		mt_error_set("cannot run git: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		mt_error_set("cannot run git: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(opipe[1], 1);
		dup2(epipe[1], 2);
		close(opipe[0]);
		close(epipe[0]);
		/* Never wait for a password nobody will type; messages in one language. */
		setenv("GIT_TERMINAL_PROMPT", "0", 1);
		setenv("LC_ALL", "C", 1);
		execvp("git", (char *const *)argv);
		_exit(127);
	}
	close(opipe[1]);
	close(epipe[1]);
	fds[0] = opipe[0];
	fds[1] = epipe[0];
	drain(fds, bufs);
	free(argv);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return mt_error_set("git: %s", strerror(errno));
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return mt_error_set("cannot run git (is it installed and on PATH?)");
	*out_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return MT_OK;
fail:
	for (i = 0; i < 2; i++) {
		if (opipe[i] >= 0)
			close(opipe[i]);
		if (epipe[i] >= 0)
			close(epipe[i]);
	}
	free(argv);
	return MT_ERROR;
}
