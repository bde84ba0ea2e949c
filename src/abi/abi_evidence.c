/* The evidence list: adding, ordering, and the compat-entry pass over property defaults. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

void abi_evidence_list_init(struct abi_evidence_list *list)
{
	memset(list, 0, sizeof(*list));
}

void abi_evidence_add(struct abi_evidence_list *list, const struct abi_signal *signal,
		      enum abi_strength strength, const char *path, int line, bool removed,
		      const char *subject, const char *old_value, const char *new_value,
		      const char *detail)
{
	struct abi_evidence *e;

	ARRAY_GROW(list->items, list->count, list->alloc);
	e = &list->items[list->count++];
	memset(e, 0, sizeof(*e));
	e->signal = xstrdup(signal->id);
	e->strength = strength;
	e->path = xstrdup(path);
	e->line = line;
	e->removed = removed;
	e->detail = xstrdup(detail);
	e->subject = xstrdup_or_null(subject);
	e->old_value = xstrdup_or_null(old_value);
	e->new_value = xstrdup_or_null(new_value);
}

void abi_evidence_list_append(struct abi_evidence_list *out, const struct abi_evidence_list *from)
{
	size_t i;

	for (i = 0; i < from->count; i++) {
		const struct abi_evidence *e = &from->items[i];
		struct abi_evidence *copy;

		ARRAY_GROW(out->items, out->count, out->alloc);
		copy = &out->items[out->count++];
		*copy = *e;
		copy->signal = xstrdup(e->signal);
		copy->path = xstrdup(e->path);
		copy->detail = xstrdup(e->detail);
		copy->subject = xstrdup_or_null(e->subject);
		copy->old_value = xstrdup_or_null(e->old_value);
		copy->new_value = xstrdup_or_null(e->new_value);
		copy->covered_by = xstrdup_or_null(e->covered_by);
		copy->array = xstrdup_or_null(e->array);
		copy->versions = xstrdup_or_null(e->versions);
		copy->shared_path = xstrdup_or_null(e->shared_path);
	}
}

void abi_evidence_release(struct abi_evidence *e)
{
	free(e->signal);
	free(e->path);
	free(e->detail);
	free(e->subject);
	free(e->old_value);
	free(e->new_value);
	free(e->covered_by);
	free(e->array);
	free(e->versions);
	free(e->shared_path);
	memset(e, 0, sizeof(*e));
}

void abi_evidence_list_release(struct abi_evidence_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		abi_evidence_release(&list->items[i]);
	free(list->items);
	abi_evidence_list_init(list);
}

static int compare_evidence(const void *pa, const void *pb)
{
	const struct abi_evidence *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->removed != b->removed)
		return a->removed ? 1 : -1;
	c = strcmp(a->signal, b->signal);
	return c ? c : strcmp(a->detail, b->detail);
}

void abi_evidence_list_sort(struct abi_evidence_list *list)
{
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), compare_evidence);
}

/*
 * One spelling per value, so a C default (`false`, `ON_OFF_AUTO_OFF`, `0x10`)
 * compares equal to a compat entry's string ("off", "16").
 */
char *abi_canonical_value(const char *v)
{
	static const struct {
		const char *from, *to;
	} words[] = {
		{ "false", "off" }, { "off", "off" }, { "no", "off" }, { "ON_OFF_AUTO_OFF", "off" },
		{ "true", "on" }, { "on", "on" }, { "yes", "on" }, { "ON_OFF_AUTO_ON", "on" },
		{ "auto", "auto" }, { "ON_OFF_AUTO_AUTO", "auto" },
	};
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(v), i;
	char *end;
	unsigned long long num;

	if (n > 11 && !strncmp(v, "stringify(", 10) && v[n - 1] == ')') {
		v += 10;
		n -= 11;
	}
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	strbuf_add(&sb, v, n);
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (!strcmp(sb.buf, words[i].from)) {
			strbuf_release(&sb);
			return xstrdup(words[i].to);
		}
	}
	if (sb.len && isdigit((unsigned char)sb.buf[0])) {
		num = strtoull(sb.buf, &end, 0);
		while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
			end++;
		if (!*end) {
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%llu", num);
		}
	}
	return strbuf_detach(&sb, NULL);
}

/* Whether an added compat entry keeps the behaviour older machines had before e. */
static bool keeps_old(const struct abi_evidence *e, const struct abi_compat_entry *c)
{
	bool added = !strcmp(e->signal, "property-added");
	char *want, *value;
	bool same;

	if (!c->property || !c->value || strcmp(c->property, e->subject))
		return false;
	want = abi_canonical_value(added ? e->new_value : e->old_value);
	value = abi_canonical_value(c->value);
	same = !strcmp(value, want);
	free(want);
	free(value);
	/* A changed default is kept by the old value; a new property by any other than its default. */
	return added ? !same : same;
}

size_t abi_evidence_cover_defaults(struct abi_evidence_list *list,
				   const struct abi_compat_entry *added, size_t count)
{
	size_t i, j, covered = 0;

	for (i = 0; i < list->count; i++) {
		struct abi_evidence *e = &list->items[i];
		bool is_added = !strcmp(e->signal, "property-added");

		if ((!is_added && strcmp(e->signal, "property-default")) || !e->subject ||
		    !(is_added ? e->new_value : e->old_value) || e->covered_by)
			continue;
		/* Already judged review by its scan (board code set the value): nothing to cover. */
		if (!is_added && e->strength == ABI_REVIEW)
			continue;
		for (j = 0; j < count; j++) {
			if (keeps_old(e, &added[j])) {
				e->covered_by = xstrdup(added[j].array ? added[j].array : "");
				e->strength = ABI_REVIEW;
				covered++;
				break;
			}
		}
	}
	return covered;
}

void abi_tidy_quote(char *text)
{
	char *w = text;
	const char *r;
	size_t n;

	for (r = text; *r; r++) {
		/* a blank after an opening bracket, or before a closing one, `,` or `;` */
		if (*r == ' ' && ((w > text && (w[-1] == '(' || w[-1] == '[')) ||
				  (r[1] && strchr("),];", r[1]))))
			continue;
		*w++ = *r;
	}
	*w = '\0';
	n = strlen(text);
	while (n && (text[n - 1] == ';' || text[n - 1] == ' ' || text[n - 1] == '{'))
		text[--n] = '\0';
}
