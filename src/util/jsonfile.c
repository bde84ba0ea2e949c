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

static size_t skip_space(const char *text, size_t i)
{
	while (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')
		i++;
	return i;
}

/* Index just past the string literal starting at text[i] == '"'. */
static size_t skip_string(const char *text, size_t i)
{
	for (i++; text[i] && text[i] != '"'; i++) {
		if (text[i] == '\\' && text[i + 1])
			i++;
	}
	return text[i] ? i + 1 : i;
}

/* Index just past the value starting at text[i] (text already parsed by jansson). */
static size_t skip_value(const char *text, size_t i)
{
	int depth = 0;

	if (text[i] == '"')
		return skip_string(text, i);
	if (text[i] != '{' && text[i] != '[') {
		while (text[i] && !strchr(",]} \t\r\n", text[i]))
			i++;
		return i;
	}
	while (text[i]) {
		char c = text[i];

		if (c == '"') {
			i = skip_string(text, i);
			continue;
		}
		i++;
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			break;
	}
	return i;
}

/* Offset of the key `key` (length klen) directly inside the object at `start`, or -1. */
static long find_member(const char *text, size_t start, const char *key, size_t klen,
			size_t *value)
{
	size_t i = skip_space(text, start + 1);

	while (text[i] == '"') {
		size_t k = i, end = skip_string(text, i);

		i = skip_space(text, end);
		if (text[i] != ':')
			return -1;
		i = skip_space(text, i + 1);
		if (end - k - 2 == klen && !strncmp(text + k + 1, key, klen)) {
			*value = i;
			return (long)k;
		}
		i = skip_space(text, skip_value(text, i));
		if (text[i] == ',')
			i = skip_space(text, i + 1);
	}
	return -1;
}

/* Offset of element `index` of the array at `start`, or -1. */
static long find_element(const char *text, size_t start, size_t index)
{
	size_t i = skip_space(text, start + 1), n;

	for (n = 0; text[i] && text[i] != ']'; n++) {
		if (n == index)
			return (long)i;
		i = skip_space(text, skip_value(text, i));
		if (text[i] == ',')
			i = skip_space(text, i + 1);
	}
	return -1;
}

/* Byte offset in `text` of the value or key `path` names, as far as it is found. */
static size_t pos_find(const char *text, const char *path)
{
	size_t value = skip_space(text, 0), pos = value;
	const char *step = path;

	while (step && *step) {
		const char *slash = strchr(step, '/');
		size_t len = slash ? (size_t)(slash - step) : strlen(step);
		long at = -1;

		if (text[value] == '{') {
			at = find_member(text, value, step, len, &value);
		} else if (text[value] == '[' && len > 0 && strspn(step, "0123456789") >= len) {
			at = find_element(text, value, strtoul(step, NULL, 10));
			if (at >= 0)
				value = (size_t)at;
		}
		if (at < 0)
			break;
		pos = (size_t)at;
		step = slash ? slash + 1 : NULL;
	}
	return pos;
}

static void line_col(const char *text, size_t offset, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

void json_file_where(char *out, size_t outsz, const struct json_file *file, const char *at,
		     const char *key)
{
	struct strbuf path = STRBUF_INIT;
	int line, col;

	if (!file->text) {
		snprintf(out, outsz, "%s", file->path);
		return;
	}
	strbuf_addf(&path, "%s%s%s", at ? at : "", at && *at && key ? "/" : "", key ? key : "");
	line_col(file->text, pos_find(file->text, path.buf), &line, &col);
	strbuf_release(&path);
	snprintf(out, outsz, "%s:%d:%d", file->path, line, col);
}

int json_file_error(const struct json_file *file, const char *at, const char *key,
		    const char *fmt, ...)
{
	char where[512], msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_file_where(where, sizeof(where), file, at, key);
	return mt_error_set("%s: %s", where, msg);
}

int json_file_check_keys(const struct json_file *file, const char *at, json_t *obj,
			 const char *const *allowed, const char *context)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		struct strbuf expected = STRBUF_INIT;
		size_t i;

		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (allowed[i])
			continue;
		for (i = 0; allowed[i]; i++)
			strbuf_addf(&expected, "%s%s", i ? ", " : "", allowed[i]);
		json_file_error(file, at, key, "unknown key \"%s\" in %s (expected one of: %s)", key,
				context, expected.buf);
		strbuf_release(&expected);
		return MT_ERROR;
	}
	return MT_OK;
}
