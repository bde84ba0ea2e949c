/*
 * abi scanner: any bytes as both sides of a changed C file. The input is
 * "OLD\n=====\nNEW"; without the separator, NEW is OLD with the first digit
 * of every line incremented, so plain C files make realistic seeds. The
 * changes are a simple line diff (common first and last lines kept), and
 * the file is scanned under two paths that between them enable every C
 * signal family. Evidence must name a declared signal and a line that exists.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
#include "abi/abi_internal.h"
#include "util/error.h"
#include "fuzz.h"
#include "util/xalloc.h"

static const char separator[] = "\n=====\n";

/* Loaded once: read-only after that, so inputs cannot influence each other. */
static const struct abi_config *config(void)
{
	static struct abi_config *loaded;

	if (!loaded && abi_config_load(&loaded, FUZZ_RULES_FILE("abi-signals.json")) < 0)
		abort();
	return loaded;
}

struct lines {
	const char *text;
	size_t len;
	size_t *start; /* offset of each line */
	size_t count;
};

static void lines_init(struct lines *l, const char *text, size_t len)
{
	size_t i, alloc = 0;

	l->text = text;
	l->len = len;
	l->start = NULL;
	l->count = 0;
	for (i = 0; i < len; i++) {
		if (i == 0 || text[i - 1] == '\n') {
			ARRAY_GROW(l->start, l->count, alloc);
			l->start[l->count++] = i;
		}
	}
}

static size_t line_len(const struct lines *l, size_t n)
{
	return (n + 1 < l->count ? l->start[n + 1] : l->len) - l->start[n];
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	size_t n = line_len(a, i);

	return n == line_len(b, j) && !memcmp(a->text + a->start[i], b->text + b->start[j], n);
}

static void add_change(struct abi_file *file, char origin, size_t line)
{
	struct abi_change *ch;

	ARRAY_GROW(file->changes, file->nchanges, file->alloc);
	ch = &file->changes[file->nchanges++];
	memset(ch, 0, sizeof(*ch));
	ch->origin = origin;
	ch->line = (int)line + 1;
}

static void diff_lines(struct abi_file *file, const struct lines *a, const struct lines *b)
{
	size_t head = 0, tail = 0, i;

	while (head < a->count && head < b->count && same_line(a, head, b, head))
		head++;
	while (tail < a->count - head && tail < b->count - head &&
	       same_line(a, a->count - 1 - tail, b, b->count - 1 - tail))
		tail++;
	for (i = head; i < a->count - tail; i++)
		add_change(file, '-', i);
	for (i = head; i < b->count - tail; i++)
		add_change(file, '+', i);
}

/* OLD with the first digit of each line incremented (9 becomes 0). */
static char *bump_digits(const char *text, size_t len)
{
	char *out = xmalloc(len + 1);
	bool bumped = false;
	size_t i;

	memcpy(out, text, len);
	out[len] = '\0';
	for (i = 0; i < len; i++) {
		if (out[i] == '\n')
			bumped = false;
		else if (!bumped && out[i] >= '0' && out[i] <= '9') {
			out[i] = out[i] == '9' ? '0' : (char)(out[i] + 1);
			bumped = true;
		}
	}
	return out;
}

static void check_evidence(const struct abi_evidence_list *list, const struct lines *a,
			   const struct lines *b)
{
	size_t i, nsignals, j;
	const struct abi_signal *signals = abi_config_signals(config(), &nsignals);

	for (i = 0; i < list->count; i++) {
		const struct abi_evidence *e = &list->items[i];
		size_t max = e->removed ? a->count : b->count;
		bool declared = false;

		for (j = 0; j < nsignals; j++)
			declared |= !strcmp(signals[j].id, e->signal);
		assert(declared);
		assert(e->path && e->detail);
		assert(e->line >= 0 && (size_t)e->line <= (max ? max : 1));
		assert(e->strength >= ABI_REVIEW && e->strength <= ABI_CHANGE);
	}
}

static void scan_as(const char *path, const char *old, size_t old_len, const char *new,
		    size_t new_len)
{
	struct abi_evidence_list list;
	struct abi_file file;
	struct lines a, b;

	lines_init(&a, old, old_len);
	lines_init(&b, new, new_len);
	memset(&file, 0, sizeof(file));
	file.path = xstrdup(path);
	file.status = 'M';
	diff_lines(&file, &a, &b);
	abi_evidence_list_init(&list);
	abi_file_scan_text(&list, config(), &file, old, old_len, new, new_len);
	abi_evidence_list_sort(&list);
	check_evidence(&list, &a, &b);
	abi_evidence_list_release(&list);
	abi_file_release(&file);
	free(a.start);
	free(b.start);
}

FUZZ_TARGET(abi_text)
{
	const char *text = (const char *)data, *sep = NULL;
	size_t i, old_len, new_len;
	char *bumped = NULL;
	const char *new;

	for (i = 0; i + sizeof(separator) - 1 <= size && !sep; i++) {
		if (!memcmp(text + i, separator, sizeof(separator) - 1))
			sep = text + i;
	}
	if (sep) {
		old_len = (size_t)(sep - text) + 1; /* keeps the newline before the separator */
		new = sep + sizeof(separator) - 1;
		new_len = size - (size_t)(new - text);
	} else {
		old_len = size;
		new = bumped = bump_digits(text, size);
		new_len = size;
	}
	scan_as("hw/i386/pc.c", text, old_len, new, new_len);
	scan_as("target/i386/cpu.c", text, old_len, new, new_len);
	free(bumped);
	return 0;
}
