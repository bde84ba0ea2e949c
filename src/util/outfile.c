/* Safe output files: a temporary file beside the target, renamed over a regular file or nothing. */
#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* "a symlink", "a FIFO", ... for what lstat found at the target. */
static const char *file_kind(mode_t mode)
{
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* The target is a regular file or nothing; anything else is refused. */
static int check_target(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return MT_OK;
		return mt_error_set("%s: cannot write: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return mt_error_set("%s: refusing to write: it is %s, not a regular file", path,
				    file_kind(st.st_mode));
	return MT_OK;
}

int outfile_check(const char *path)
{
	return check_target(path);
}

int outfile_open(struct outfile *out, const char *path)
{
	struct strbuf tmp = STRBUF_INIT;
	mode_t mask;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	if (!*path)
		return mt_error_set("output file name is empty");
	if (check_target(path) < 0)
		return MT_ERROR;
	strbuf_addf(&tmp, "%s.mtcheck-XXXXXX", path);
	out->fd = mkstemp(tmp.buf);
	if (out->fd < 0) {
		mt_error_set("%s: cannot write: %s", path, strerror(errno));
		strbuf_release(&tmp);
		return MT_ERROR;
	}
	/* mkstemp makes it 0600; give it what a new file of the user's would have. */
	mask = umask(0);
	umask(mask);
	if (fchmod(out->fd, 0666 & ~mask) != 0) {
		mt_error_set("%s: cannot write: %s", path, strerror(errno));
		close(out->fd);
		unlink(tmp.buf);
		strbuf_release(&tmp);
		out->fd = -1;
		return MT_ERROR;
	}
	out->tmp = strbuf_detach(&tmp, NULL);
	out->path = xstrdup(path);
	return MT_OK;
}

int outfile_write(struct outfile *out, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(out->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return mt_error_set("%s: cannot write: %s", out->path,
					    n < 0 ? strerror(errno) : "nothing written");
		p += n;
		len -= (size_t)n;
	}
	return MT_OK;
}

int outfile_commit(struct outfile *out)
{
	int fd = out->fd;

	out->fd = -1;
	if (fsync(fd) != 0 && errno != EINVAL) {
		mt_error_set("%s: cannot write: %s", out->path, strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0) {
		mt_error_set("%s: cannot write: %s", out->path, strerror(errno));
		goto fail;
	}
	/* Checked again: the target may have changed while the report was made. */
	if (check_target(out->path) < 0)
		goto fail;
	if (rename(out->tmp, out->path) != 0) {
		mt_error_set("%s: cannot write: %s", out->path, strerror(errno));
		goto fail;
	}
	free(out->tmp);
	out->tmp = NULL;
	outfile_abort(out);
	return MT_OK;
fail:
	outfile_abort(out);
	return MT_ERROR;
}

void outfile_abort(struct outfile *out)
{
	if (out->fd >= 0)
		close(out->fd);
	if (out->tmp)
		unlink(out->tmp);
	free(out->tmp);
	free(out->path);
	memset(out, 0, sizeof(*out));
	out->fd = -1;
}

int outfile_write_all(const char *path, const void *buf, size_t len)
{
	struct outfile out;

	if (outfile_open(&out, path) < 0)
		return MT_ERROR;
	if (outfile_write(&out, buf, len) < 0) {
		outfile_abort(&out);
		return MT_ERROR;
	}
	return outfile_commit(&out);
}

int outfile_close_stdout(const char *what)
{
	int failed = ferror(stdout), err = 0;

	if (fflush(stdout) != 0) {
		failed = 1;
		err = errno;
	}
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	if (failed)
		return mt_error_set("%s: write error: %s", what, err ? strerror(err) : "unknown");
	return MT_OK;
}
