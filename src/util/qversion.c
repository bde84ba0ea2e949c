#include "util/qversion.h"

#include <stdio.h>
#include <string.h>

static int parse_number(int *out, const char **p, const char *end)
{
	int n = 0, digits = 0;

	while (*p < end && **p >= '0' && **p <= '9') {
		n = n * 10 + (**p - '0');
		(*p)++;
		if (++digits > 4)
			return -1;
	}
	if (!digits)
		return -1;
	*out = n;
	return 0;
}

static bool tag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

int qversion_parse_n(struct qversion *out, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int parts[4] = { -1, -1, -1, -1 }, n = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		if (n == 4 || parse_number(&parts[n], &p, end) < 0)
			return -1;
		n++;
		if (p < end && *p == '.' && p + 1 < end && p[1] >= '0' && p[1] <= '9') {
			p++;
			continue;
		}
		break;
	}
	if (n < 2)
		return -1;
	if (p < end) {
		size_t taglen;

		if (*p != '-' || ++p == end)
			return -1;
		taglen = (size_t)(end - p);
		if (taglen >= QVERSION_TAG_MAX)
			return -1;
		for (const char *q = p; q < end; q++) {
			if (!tag_char(*q))
				return -1;
		}
		memcpy(out->tag, p, taglen);
		out->tag[taglen] = '\0';
	}
	out->major = parts[0];
	out->minor = parts[1];
	out->micro = parts[2];
	out->nano = parts[3];
	return 0;
}

int qversion_parse(struct qversion *out, const char *text)
{
	return qversion_parse_n(out, text, strlen(text));
}

static int cmp_int(int a, int b)
{
	return (a > b) - (a < b);
}

int qversion_cmp(const struct qversion *a, const struct qversion *b)
{
	int c;

	if ((c = cmp_int(a->major, b->major)) || (c = cmp_int(a->minor, b->minor)) ||
	    (c = cmp_int(a->micro, b->micro)) || (c = cmp_int(a->nano, b->nano)))
		return c;
	if (!a->tag[0] || !b->tag[0])
		return cmp_int(a->tag[0] != '\0', b->tag[0] != '\0');
	c = strcmp(a->tag, b->tag);
	return (c > 0) - (c < 0);
}

bool qversion_same_minor(const struct qversion *a, const struct qversion *b)
{
	return a->major == b->major && a->minor == b->minor;
}

char *qversion_format(char *out, size_t outsz, const struct qversion *v)
{
	int n = snprintf(out, outsz, "%d.%d", v->major, v->minor);

	if (n >= 0 && (size_t)n < outsz && v->micro >= 0)
		n += snprintf(out + n, outsz - (size_t)n, ".%d", v->micro);
	if (n >= 0 && (size_t)n < outsz && v->nano >= 0)
		n += snprintf(out + n, outsz - (size_t)n, ".%d", v->nano);
	if (n >= 0 && (size_t)n < outsz && v->tag[0])
		snprintf(out + n, outsz - (size_t)n, "-%s", v->tag);
	return out;
}

bool qversion_is_development(const struct qversion *v)
{
	return v->micro >= 50;
}
