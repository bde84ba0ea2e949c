#include "util/subject.h"

#include <stdbool.h>
#include <string.h>

#include "util/strbuf.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The end of the first paragraph: the first blank line. */
static size_t paragraph_end(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (text[i] == '\n') {
			size_t j = i + 1;

			while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
				j++;
			if (j == len || text[j] == '\n')
				return i;
		}
	}
	return len;
}

/* Skips leading whitespace and "[...]" tags; an unclosed '[' is text. */
static size_t skip_tags(const char *text, size_t len)
{
	size_t i = 0;

	for (;;) {
		const char *close;

		while (i < len && is_space(text[i]))
			i++;
		if (i == len || text[i] != '[')
			return i;
		close = memchr(text + i, ']', len - i);
		if (!close)
			return i;
		i = (size_t)(close - text) + 1;
	}
}

static bool has_prefix(const struct strbuf *sb, size_t from, size_t to, const char *prefix,
		       const char *suffix)
{
	size_t p = strlen(prefix), s = strlen(suffix);

	return to - from >= p + s && !memcmp(sb->buf + from, prefix, p) &&
	       !memcmp(sb->buf + to - s, suffix, s);
}

/*
 * A revert of a revert applies the original patch again: git titles it
 * `Reapply "S"` (older git: `Revert "Revert "S""`, quotes sometimes
 * escaped), and its key is the key of S.
 */
static void unwrap_reapply(size_t *from, size_t *to, const struct strbuf *sb)
{
	static const char *const wraps[][2] = {
		{ "Reapply \"", "\"" },
		{ "Revert \"Revert \"", "\"\"" },
		{ "Revert \"Revert \\\"", "\\\"\"" },
	};
	bool again = true;

	while (again) {
		size_t i;

		again = false;
		for (i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++) {
			if (has_prefix(sb, *from, *to, wraps[i][0], wraps[i][1])) {
				*from += strlen(wraps[i][0]);
				*to -= strlen(wraps[i][1]);
				again = true;
				break;
			}
		}
	}
}

uint64_t subject_key(const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t h = 14695981039346656037ull; /* FNV-1a */
	size_t end, i, from = 0, to;
	bool space = false;

	if (!text)
		return 0;
	while (len && is_space(*text))
		text++, len--;
	end = paragraph_end(text, len);
	for (i = skip_tags(text, end); i < end; i++) {
		if (is_space(text[i])) {
			space = sb.len > 0;
			continue;
		}
		if (space)
			strbuf_addch(&sb, ' ');
		space = false;
		strbuf_addch(&sb, text[i]);
	}
	to = sb.len;
	unwrap_reapply(&from, &to, &sb);
	for (i = from; i < to; i++) {
		h ^= (unsigned char)sb.buf[i];
		h *= 1099511628211ull;
	}
	strbuf_release(&sb);
	/* 0 is "no key"; a real subject hashing to it is merely never matched. */
	return from < to ? h : 0;
}
