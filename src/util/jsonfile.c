#include "util/jsonfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/mtlimits.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* JSON files mtcheck reads are small; anything larger is a mistake, not a config. */
#define JSON_FILE_MAX MT_LIMIT_JSON_FILE_SIZE

int json_file_parse(struct json_file *out, const char *name, const char *text, size_t len)
{
	json_error_t err;

	memset(out, 0, sizeof(*out));
	out->path = xstrdup(name);
	out->text = xstrndup(text, len);
	out->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!out->root) {
		mt_error_set("%s:%d:%d: %s", name, err.line, err.column, err.text);
		json_file_release(out);
		return MT_ERROR;
	}
	return MT_OK;
}

int json_file_load(struct json_file *out, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	struct stat st;
	FILE *f;
	size_t n;
	int fd, ret;

	memset(out, 0, sizeof(*out));
	/*
	 * Opened without blocking and checked to be a regular file before a
	 * byte is read: a FIFO would wait for a writer forever, a device
	 * (/dev/zero) would never end.
	 */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return MT_ENOTFOUND;
		return mt_error_set("%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mt_error_set("%s: not a regular file", path);
	}
	if (st.st_size > (off_t)JSON_FILE_MAX) {
		close(fd);
		return mt_error_set("%s: larger than %u bytes", path, JSON_FILE_MAX);
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 ||
	    !(f = fdopen(fd, "rb"))) {
		close(fd);
		return mt_error_set("%s: cannot open: %s", path, strerror(errno));
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > JSON_FILE_MAX) {
			fclose(f);
			strbuf_release(&sb);
			return mt_error_set("%s: larger than %u bytes", path, JSON_FILE_MAX);
		}
	}
	if (ferror(f)) {
		fclose(f);
		strbuf_release(&sb);
		return mt_error_set("%s: cannot read: %s", path, strerror(errno));
	}
	fclose(f);
	ret = json_file_parse(out, path, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

void json_file_release(struct json_file *file)
{
	free(file->path);
	free(file->text);
	json_decref(file->root);
	memset(file, 0, sizeof(*file));
}

static bool find_key(const char *text, const char *key, int *line, int *col)
{
	size_t klen = strlen(key);
	const char *p = text;
	int l = 1, c = 1;

	for (; *p; p++) {
		if (*p == '"' && !strncmp(p + 1, key, klen) && p[klen + 1] == '"') {
			const char *q = p + klen + 2;

			while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
				q++;
			if (*q == ':') {
				*line = l;
				*col = c;
				return true;
			}
		}
		if (*p == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	return false;
}

void json_file_where(char *out, size_t outsz, const struct json_file *file, const char *key)
{
	int line, col;

	if (key && file->text && find_key(file->text, key, &line, &col))
		snprintf(out, outsz, "%s:%d:%d", file->path, line, col);
	else
		snprintf(out, outsz, "%s", file->path);
}

int json_file_error(const struct json_file *file, const char *key, const char *fmt, ...)
{
	char where[512], msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_file_where(where, sizeof(where), file, key);
	return mt_error_set("%s: %s", where, msg);
}

int json_file_check_keys(const struct json_file *file, json_t *obj,
			 const char *const *allowed, const char *context)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		struct strbuf expected = STRBUF_INIT;
		size_t i;
		int ret;

		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (allowed[i])
			continue;
		for (i = 0; allowed[i]; i++)
			strbuf_addf(&expected, "%s%s", i ? ", " : "", allowed[i]);
		ret = json_file_error(file, key, "unknown key \"%s\" in %s (expected one of: %s)",
				      key, context, expected.buf);
		strbuf_release(&expected);
		return ret;
	}
	return MT_OK;
}
