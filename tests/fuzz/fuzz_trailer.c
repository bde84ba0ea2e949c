/*
 * trailer: any bytes as a commit message. Every trailer found names a sha
 * of 7 to 40 lower-case hex digits that the message spells (in any case) on
 * the line given, lines never decrease, and no kind and sha comes twice.
 */
#include <assert.h>
#include <string.h>

#include "fuzz.h"
#include "util/oid.h"
#include "history/trailer.h"

/* Whether line `line` (1-based) of the message holds hex, compared case-insensitively. */
static int line_has(const char *text, size_t size, unsigned line, const char *hex, size_t n)
{
	size_t i = 0, end, j, k;
	unsigned at = 1;

	while (at < line && i < size) {
		if (text[i++] == '\n')
			at++;
	}
	if (at != line)
		return 0;
	for (end = i; end < size && text[end] != '\n'; end++)
		;
	for (j = i; j + n <= end; j++) {
		for (k = 0; k < n; k++) {
			char c = text[j + k];

			if ((c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c) != hex[k])
				break;
		}
		if (k == n)
			return 1;
	}
	return 0;
}

FUZZ_TARGET(trailer)
{
	struct trailer_list list = TRAILER_LIST_INIT;
	const char *text = (const char *)data;
	size_t i, j;
	unsigned lines = 1;

	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	trailer_parse(&list, text, size);
	for (i = 0; i < list.count; i++) {
		const struct trailer *t = &list.items[i];

		assert(t->kind >= TRAILER_CHERRY_PICK && t->kind <= TRAILER_REVERTS);
		assert(trailer_kind_name(t->kind));
		assert(t->hexlen >= 7 && t->hexlen <= MT_OID_HEXSZ);
		assert(strlen(t->hex) == t->hexlen);
		for (j = 0; j < t->hexlen; j++)
			assert((t->hex[j] >= '0' && t->hex[j] <= '9') ||
			       (t->hex[j] >= 'a' && t->hex[j] <= 'f'));
		assert(t->line >= 1 && t->line <= lines);
		assert(i == 0 || t->line >= list.items[i - 1].line);
		assert(line_has(text, size, t->line, t->hex, t->hexlen));
		for (j = 0; j < i; j++)
			assert(list.items[j].kind != t->kind || strcmp(list.items[j].hex, t->hex));
	}
	trailer_list_release(&list);
	return 0;
}
