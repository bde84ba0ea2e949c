/*
 * Safe output files (--output, --write-baseline). What mtcheck writes goes
 * to a temporary file beside the target and is renamed over it only when
 * every write and the close succeeded, and only over a regular file or
 * nothing: a symlink, a device node, a FIFO or a directory at the target is
 * refused, so running as root can never replace /dev/full, follow a link
 * into somebody else's file, or leave half a report behind.
 */
#ifndef MT_OUTFILE_H
#define MT_OUTFILE_H

#include <stddef.h>

struct outfile {
	char *path; /* the target, as given */
	char *tmp;  /* the temporary file beside it, NULL once renamed or removed */
	int fd;     /* open on tmp, -1 when closed */
};

/* Fails, naming it, unless `path` is a regular file or does not exist. */
int outfile_check(const char *path);

/*
 * Checks that `path` is a regular file or does not exist (its directory
 * must), and creates the temporary file with the permissions a new file
 * would get. Errors name the path and why.
 */
int outfile_open(struct outfile *out, const char *path);
/* Writes all of buf to the temporary file; an error names the target. */
int outfile_write(struct outfile *out, const void *buf, size_t len);
/*
 * Closes the temporary file (errors checked) and renames it over the target,
 * checking the target again just before; on any error the temporary file is
 * removed and the target left as it was.
 */
int outfile_commit(struct outfile *out);
/* Removes the temporary file, if any, and frees what out holds. */
void outfile_abort(struct outfile *out);

/* outfile_open, outfile_write and outfile_commit in one. */
int outfile_write_all(const char *path, const void *buf, size_t len);

/*
 * Flushes and closes standard output, checking for errors (a full disk, a
 * closed pipe): `what` names it in the message ("standard output").
 */
int outfile_close_stdout(const char *what);

#endif
