#include "util/jsonpos.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/strbuf.h"

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

size_t json_pos_find(const char *text, const char *path)
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

void json_path_where(char *out, size_t outsz, const struct json_file *file, const char *path)
{
	int line, col;

	if (!file->text) {
		snprintf(out, outsz, "%s", file->path);
		return;
	}
	line_col(file->text, json_pos_find(file->text, path), &line, &col);
	snprintf(out, outsz, "%s:%d:%d", file->path, line, col);
}

int json_path_error(const struct json_file *file, const char *path, const char *fmt, ...)
{
	char where[512], msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_path_where(where, sizeof(where), file, path);
	return mt_error_set("%s: %s", where, msg);
}

int json_path_check_keys(const struct json_file *file, const char *path, json_t *obj,
			 const char *const *allowed, const char *context)
{
	const char *key;
	json_t *value;

	json_object_foreach(obj, key, value) {
		struct strbuf expected = STRBUF_INIT, at = STRBUF_INIT;
		size_t i;

		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (allowed[i])
			continue;
		for (i = 0; allowed[i]; i++)
			strbuf_addf(&expected, "%s%s", i ? ", " : "", allowed[i]);
		strbuf_addf(&at, "%s%s%s", path ? path : "", path && *path ? "/" : "", key);
		json_path_error(file, at.buf, "unknown key \"%s\" in %s (expected one of: %s)", key,
				context, expected.buf);
		strbuf_release(&expected);
		strbuf_release(&at);
		return MT_ERROR;
	}
	return MT_OK;
}
