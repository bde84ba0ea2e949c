#include "subject.h"

#include <stdbool.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The end of the first paragraph: the first blank line. */
static size_t paragraph_end(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (text[i] == '\n') {
			size_t j = i + 1;

			while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
				j++;
			if (j < len && text[j] == '\n')
				return i;
			if (j == len)
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
		size_t j;

		while (i < len && is_space(text[i]))
			i++;
		if (i == len || text[i] != '[')
			return i;
		for (j = i + 1; j < len && text[j] != ']'; j++)
			;
		if (j == len)
			return i;
		i = j + 1;
	}
}

uint64_t subject_key(const char *text, size_t len)
{
	uint64_t h = 14695981039346656037ull; /* FNV-1a */
	size_t end, i;
	bool any = false, space = false;

	if (!text)
		return 0;
	while (len && is_space(*text))
		text++, len--;
	end = paragraph_end(text, len);
	for (i = skip_tags(text, end); i < end; i++) {
		if (is_space(text[i])) {
			space = any;
			continue;
		}
		if (space) {
			h ^= ' ';
			h *= 1099511628211ull;
			space = false;
		}
		h ^= (unsigned char)text[i];
		h *= 1099511628211ull;
		any = true;
	}
	/* 0 is "no key"; a real subject hashing to it is merely never matched. */
	return any ? h : 0;
}
