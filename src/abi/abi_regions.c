/*
 * cpu-model, cpuid-filter, cpu-feature-name: changes inside a named
 * initialiser (a CPU model table) or function (CPUID computation). One item
 * per table entry or function, at its first changed line, so a new model of
 * fifty lines is one piece of evidence, not fifty.
 *
 * A table whose entries are named (`.name = "..."`) is compared by what each
 * existing entry holds, not by its text: fields in any order, flags of a
 * `A | B` value in any order, a field at zero ("", 0, NULL) the same as no
 * field, and a list value (`.versions`) that only grows at its end the same.
 * A new entry (a new CPU model) changes no existing one, so it is no
 * evidence; a removed one is worth a review. Code that changed only to read
 * an identifier new to the file of the region's `new_word` shape (a new
 * feature word, zero for every existing model) is no evidence either.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static size_t skip_string(const char *t, size_t i, size_t end)
{
	for (i++; i < end && t[i] != '"' && t[i] != '\n'; i++) {
		if (t[i] == '\\')
			i++;
	}
	return i + 1;
}

/*
 * The `.FIELD = "..."` of the table entry (brace depth 2 inside the
 * initialiser) that contains `upto`, when it comes before `upto`; else NULL.
 */
static char *entry_name(const struct abi_side *side, const struct abi_extent *e,
			const char *field, size_t upto)
{
	const char *t = side->clean;
	size_t flen = strlen(field), i = e->open, start = 0, end = 0;
	int depth = 0;

	while (i < upto) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			i = c == '"' ? skip_string(t, i, upto) : i + 1;
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (--depth < 2)
				end = start = 0; /* the entry closed: its name no longer applies */
		} else if (c == '.' && depth == 2 && !strncmp(t + i + 1, field, flen) &&
			   !abi_is_ident(t[i + 1 + flen])) {
			size_t p = i + 1 + flen;

			while (p < upto && isspace((unsigned char)t[p]))
				p++;
			if (p < upto && t[p] == '=') {
				p++;
				while (p < upto && isspace((unsigned char)t[p]))
					p++;
				if (p < upto && t[p] == '"') {
					start = p + 1;
					end = skip_string(t, p, upto) - 1;
				}
			}
		}
		i++;
	}
	return end > start ? xstrndup(t + start, end - start) : NULL;
}

struct group {
	const struct abi_change *first; /* first change in diff order; a '+' one when there is */
	char *entry;
	size_t lines;
	size_t plus, plus_new_word, minus, minus_word;
};

/* Whether `word` occurs in text as a whole identifier. */
static bool has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || !abi_is_ident(p[-1])) && !abi_is_ident(p[n]))
			return true;
		p += n;
	}
	return false;
}

/* The next whole identifier of `text` at or after *pp (a copy), or NULL at its end. */
static char *next_ident(const char *text, const char **pp)
{
	const char *p = *pp;

	while (*p && (!abi_is_ident(*p) || (p > text && abi_is_ident(p[-1]))))
		p++;
	if (!*p) {
		*pp = p;
		return NULL;
	}
	{
		const char *s = p;

		while (abi_is_ident(*p))
			p++;
		*pp = p;
		return xstrndup(s, (size_t)(p - s));
	}
}

/*
 * Counts identifiers of the `new_word` shape in a changed line: how many
 * there are, and whether one of them is new to the file (absent from its
 * old side).
 */
static void count_words(const struct abi_region_rules *r, const struct abi_file *file,
			const char *text, bool *any, bool *new_one)
{
	const char *p = text;

	char *word;

	*any = *new_one = false;
	while ((word = next_ident(text, &p))) {
		if (!fnmatch(r->new_word, word, 0)) {
			*any = true;
			if (!has_word(file->old_side.code, word))
				*new_one = true;
		}
		free(word);
	}
}

/* Whether a changed line names an identifier of one of the region's line_words shapes. */
static bool names_line_word(const struct abi_region_rules *r, const char *text)
{
	const char *p = text;
	bool found = false;

	char *word;

	while (!found && (word = next_ident(text, &p))) {
		found = abi_globs_match(&r->line_words, word);
		free(word);
	}
	return found;
}

/* A function changed only to read new feature words (zero for every existing entry). */
static bool only_new_words(const struct group *g)
{
	return g->plus && g->plus_new_word == g->plus && !g->minus_word && g->minus <= g->plus;
}

static bool in_region(const struct abi_region_rules *r, const struct abi_extent *e)
{
	if (!e || !e->name)
		return false;
	if (e->kind == ABI_EXTENT_INITIALIZER)
		return abi_globs_match(&r->initializers, e->name);
	if (e->kind == ABI_EXTENT_FUNCTION)
		return abi_globs_match(&r->functions, e->name);
	return false;
}

static int compare_str(const void *a, const void *b);

/* ---- a function that computes the same once the file's macros are expanded ---- */

struct macro_def {
	char *name;
	char *body; /* the replacement text, continuation lines joined */
};

struct token_bag {
	char **items;
	size_t n, alloc;
};

/* The object-like `#define NAME body` lines of a side; the first definition of a name wins. */
static size_t object_macros(struct macro_def **out, const struct abi_side *side)
{
	const char *t = side->clean;
	struct macro_def *defs = NULL;
	size_t n = 0, alloc = 0, i = 0, len = side->len;

	while (i < len) {
		size_t p = i, name, end;
		struct strbuf body = STRBUF_INIT;

		while (p < len && (t[p] == ' ' || t[p] == '\t'))
			p++;
		if (p >= len || t[p] != '#')
			goto next_line;
		for (p++; p < len && (t[p] == ' ' || t[p] == '\t'); p++)
			;
		if (strncmp(t + p, "define", 6) || abi_is_ident(t[p + 6]))
			goto next_line;
		for (p += 6; p < len && (t[p] == ' ' || t[p] == '\t'); p++)
			;
		for (name = p; p < len && abi_is_ident(t[p]); p++)
			;
		if (p == name || t[p] == '(')
			goto next_line; /* a function-like macro is not expanded */
		for (end = p; end < len && t[end] != '\n'; end++) {
			if (t[end] == '\\' && end + 1 < len && t[end + 1] == '\n') {
				strbuf_addch(&body, ' ');
				end++;
				continue;
			}
			strbuf_addch(&body, t[end]);
		}
		ARRAY_GROW(defs, n, alloc);
		defs[n].name = xstrndup(t + name, p - name);
		defs[n++].body = strbuf_detach(&body, NULL);
		i = end;
		continue;
next_line:
		while (i < len && t[i] != '\n')
			i++;
		i++;
	}
	*out = defs;
	return n;
}

static const char *macro_body(const struct macro_def *defs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(defs[i].name, name))
			return defs[i].body;
	}
	return NULL;
}

/*
 * The tokens of t[start, end), each identifier that names one of the file's
 * macros replaced by its body's tokens (nested up to a few levels);
 * brackets and separators dropped: what is left is what the code combines.
 */
static void expand_tokens(struct token_bag *bag, const char *t, size_t start, size_t end,
			  const struct macro_def *defs, size_t ndefs, int depth)
{
	size_t i = start;

	while (i < end) {
		size_t s = i;
		const char *body;
		char *word;

		if (isspace((unsigned char)t[i]) || strchr("()[]{};,\\", t[i])) {
			i++;
			continue;
		}
		if (t[i] == '"') {
			i = skip_string(t, i, end);
		} else if (abi_is_ident(t[i])) {
			while (i < end && abi_is_ident(t[i]))
				i++;
		} else {
			while (i < end && !abi_is_ident(t[i]) && !isspace((unsigned char)t[i]) &&
			       !strchr("()[]{};,\\\"", t[i]))
				i++;
		}
		word = xstrndup(t + s, i - s);
		body = abi_is_ident(*word) && depth < 8 ? macro_body(defs, ndefs, word) : NULL;
		if (body) {
			expand_tokens(bag, body, 0, strlen(body), defs, ndefs, depth + 1);
			free(word);
			continue;
		}
		ARRAY_GROW(bag->items, bag->n, bag->alloc);
		bag->items[bag->n++] = word;
	}
}

static void bag_release(struct token_bag *bag)
{
	size_t i;

	for (i = 0; i < bag->n; i++)
		free(bag->items[i]);
	free(bag->items);
}

/* The sorted, expanded tokens of a function's body on one side. */
static void function_bag(struct token_bag *bag, const struct abi_side *side, const char *name)
{
	const struct abi_extent *e = abi_side_find(side, ABI_EXTENT_FUNCTION, name);
	struct macro_def *defs = NULL;
	size_t ndefs, i;

	memset(bag, 0, sizeof(*bag));
	if (!e)
		return;
	ndefs = object_macros(&defs, side);
	expand_tokens(bag, side->code, e->open, e->close < side->len ? e->close : side->len, defs,
		      ndefs, 0);
	if (bag->n)
		qsort(bag->items, bag->n, sizeof(*bag->items), compare_str);
	for (i = 0; i < ndefs; i++) {
		free(defs[i].name);
		free(defs[i].body);
	}
	free(defs);
}

/*
 * Whether a function holds the same terms on both sides once the file's
 * macros are expanded: a mask moved into a macro (`A | B` in the code
 * becoming `#define M (A | B)` and `M`) computes the same.
 */
static bool same_when_expanded(const struct abi_file *file, const char *name)
{
	struct token_bag a, b;
	bool same;
	size_t i;

	function_bag(&a, &file->old_side, name);
	function_bag(&b, &file->new_side, name);
	same = a.n && a.n == b.n;
	for (i = 0; same && i < a.n; i++)
		same = !strcmp(a.items[i], b.items[i]);
	bag_release(&a);
	bag_release(&b);
	return same;
}

static void scan_region(struct abi_evidence_list *out, const struct abi_region_rules *r,
			const struct abi_file *file)
{
	struct group *groups = NULL;
	size_t n = 0, alloc = 0, i, g;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];
		const struct abi_side *side = abi_file_side(file, ch->origin);
		char *entry = NULL;

		if (!ch->key || ch->cancelled || !in_region(r, ch->extent))
			continue;
		if (r->line_words.count && !names_line_word(r, ch->display))
			continue;
		/* A named table is compared entry by entry (scan_tables). */
		if (r->entry_name_field && ch->extent->kind == ABI_EXTENT_INITIALIZER)
			continue;
		if (r->entry_name_field && ch->extent->kind == ABI_EXTENT_INITIALIZER)
			entry = entry_name(side, ch->extent, r->entry_name_field,
					   side->lines[ch->line - 1]);
		for (g = 0; g < n; g++) {
			if (!strcmp(groups[g].first->extent->name, ch->extent->name) &&
			    ((!groups[g].entry && !entry) ||
			     (groups[g].entry && entry && !strcmp(groups[g].entry, entry))))
				break;
		}
		if (g == n) {
			ARRAY_GROW(groups, n, alloc);
			memset(&groups[n], 0, sizeof(groups[n]));
			groups[n].first = ch;
			groups[n++].entry = entry;
			entry = NULL;
		} else if (abi_line_says_something(ch->key) &&
			   (!abi_line_says_something(groups[g].first->key) ||
			    (groups[g].first->origin == '-' && ch->origin == '+'))) {
			/* quote a line that says something, an added one before a removed one */
			groups[g].first = ch;
		}
		groups[g].lines++;
		if (r->new_word) {
			bool any, new_one;

			count_words(r, file, ch->display, &any, &new_one);
			if (ch->origin == '+') {
				groups[g].plus++;
				groups[g].plus_new_word += new_one;
			} else {
				groups[g].minus++;
				groups[g].minus_word += any;
			}
		}
		free(entry);
	}
	for (g = 0; g < n; g++) {
		const struct abi_change *ch = groups[g].first;
		struct strbuf detail = STRBUF_INIT;

		if ((r->new_word && only_new_words(&groups[g])) ||
		    (ch->extent->kind == ABI_EXTENT_FUNCTION &&
		     same_when_expanded(file, ch->extent->name))) {
			free(groups[g].entry);
			continue;
		}

		strbuf_addstr(&detail, ch->extent->name);
		if (groups[g].entry)
			strbuf_addf(&detail, " entry \"%s\"", groups[g].entry);
		{
			char *stmt = abi_side_statement(abi_file_side(file, ch->origin), ch->line,
							ABI_QUOTE_MAX);

			abi_tidy_quote(stmt);
			strbuf_addf(&detail, ": %s %s", ch->origin == '+' ? "added" : "removed", stmt);
			free(stmt);
		}
		if (groups[g].lines > 1)
			strbuf_addf(&detail, ", one of %zu changed lines", groups[g].lines);
		abi_evidence_add(out, r->signal, r->signal->strength, file->path, ch->line,
				 ch->origin == '-', groups[g].entry ? groups[g].entry : ch->extent->name,
				 NULL, NULL, detail.buf);
		strbuf_release(&detail);
		free(groups[g].entry);
	}
	free(groups);
}

/* ---- named tables, compared by what their entries hold ---- */

struct table_item {
	char *key;    /* ".features[FEAT_1_EDX]", or "#3" for the third positional value */
	char *value;  /* normalised; `|` flags sorted, flags no accelerator offers left out */
	char *raw;    /* the same with every flag, when some were left out; else NULL */
	size_t offset;
	bool list;    /* a compound-literal list `(T[]) { ... }`: compared as elements */
};

struct table_entry {
	char *name;
	size_t offset;
	struct table_item *items;
	size_t nitems;
};

/* Top-level commas of t[start, end) split into [from, to) pieces. */
static size_t split_top(size_t **out, const char *t, size_t start, size_t end)
{
	size_t *cuts = NULL, n = 0, alloc = 0, i = start;
	int depth = 0;

	ARRAY_GROW(cuts, n, alloc);
	cuts[n++] = start;
	while (i < end) {
		char c = t[i];

		if (c == '"' || c == '\'') {
			i = c == '"' ? skip_string(t, i, end) : i + 1;
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}')
			depth--;
		else if (c == ',' && depth == 0) {
			ARRAY_GROW(cuts, n, alloc);
			cuts[n++] = i + 1;
		}
		i++;
	}
	ARRAY_GROW(cuts, n, alloc);
	cuts[n++] = end + 1;
	*out = cuts;
	return n - 1;
}

static int compare_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "C | A | B" as "A|B|C": flags are a set. */
static char *sorted_flags(const char *v)
{
	char **parts = NULL, *copy = xstrdup(v), *p, *save = NULL;
	size_t n = 0, alloc = 0, i;
	struct strbuf sb = STRBUF_INIT;

	for (p = strtok_r(copy, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
		ARRAY_GROW(parts, n, alloc);
		parts[n++] = p;
	}
	qsort(parts, n, sizeof(*parts), compare_str);
	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? "|" : "", parts[i]);
	free(parts);
	free(copy);
	return strbuf_detach(&sb, NULL);
}

static bool zero_value(const char *v)
{
	return !strcmp(v, "0") || !strcmp(v, "\"\"") || !strcmp(v, "NULL") || !strcmp(v, "0x0") ||
	       !strcmp(v, "false") || !strcmp(v, "{0}") || !strcmp(v, "{}");
}

/* Whether t[from, to) holds a top-level `|` (outside brackets and strings). */
static bool has_top_bar(const char *v)
{
	int depth = 0;

	for (; *v; v++) {
		if (*v == '"')
			return false; /* strings are values, not flags */
		if (*v == '(' || *v == '[' || *v == '{')
			depth++;
		else if (*v == ')' || *v == ']' || *v == '}')
			depth--;
		else if (*v == '|' && depth == 0 && v[1] != '|')
			return true;
	}
	return false;
}

static const struct abi_unoffered_flag *unoffered(const struct abi_region_rules *r,
						   const char *flag)
{
	size_t i;

	for (i = 0; i < r->nunoffered; i++) {
		if (!strcmp(r->unoffered[i].flag, flag))
			return &r->unoffered[i];
	}
	return NULL;
}

/* "A|B|C" without the flags no accelerator offers ("0" when none is left); NULL when none was there. */
static char *without_unoffered(const struct abi_region_rules *r, const char *v)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = v;
	bool dropped = false;

	if (!r->nunoffered)
		return NULL;
	while (*p) {
		size_t n = strcspn(p, "|");
		char *flag = xstrndup(p, n);

		if (unoffered(r, flag))
			dropped = true;
		else
			strbuf_addf(&sb, "%s%s", sb.len ? "|" : "", flag);
		free(flag);
		p += n + (p[n] == '|');
	}
	if (!dropped) {
		strbuf_release(&sb);
		return NULL;
	}
	if (!sb.len)
		strbuf_addstr(&sb, "0");
	return strbuf_detach(&sb, NULL);
}

static void parse_entry(struct table_entry *entry, const struct abi_region_rules *r,
			const char *t, size_t open, size_t close)
{
	const char *name_field = r->entry_name_field;
	size_t *cuts, n = split_top(&cuts, t, open + 1, close), i, alloc = 0, positional = 0;

	memset(entry, 0, sizeof(*entry));
	entry->offset = open;
	for (i = 0; i < n; i++) {
		size_t from = cuts[i], to = cuts[i + 1] - 1, eq;
		char *text = abi_normalise(t + from, to - from, false), *v;
		struct table_item item;

		if (!*text) {
			free(text);
			continue;
		}
		memset(&item, 0, sizeof(item));
		while (from < to && (t[from] == ' ' || t[from] == '\n' || t[from] == '\t'))
			from++;
		item.offset = from;
		eq = text[0] == '.' ? strcspn(text, "=") : 0;
		if (text[0] == '.' && text[eq]) {
			item.key = xstrndup(text, eq);
			v = text + eq + 1;
		} else {
			struct strbuf k = STRBUF_INIT;

			strbuf_addf(&k, "#%zu", ++positional);
			item.key = strbuf_detach(&k, NULL);
			v = text;
		}
		item.list = v[0] == '(' && strstr(v, "[]){") != NULL;
		item.value = has_top_bar(v) ? sorted_flags(v) : xstrdup(v);
		if (!strcmp(item.key + 1, name_field) && item.value[0] == '"')
			entry->name = xstrndup(item.value + 1, strlen(item.value) - 2);
		free(text);
		{
			char *kept = without_unoffered(r, item.value);

			if (kept) {
				item.raw = item.value;
				item.value = kept;
			}
		}
		if (zero_value(item.value) && (!item.raw || zero_value(item.raw))) {
			free(item.key);
			free(item.value);
			free(item.raw);
			continue;
		}
		ARRAY_GROW(entry->items, entry->nitems, alloc);
		entry->items[entry->nitems++] = item;
	}
	free(cuts);
}

static size_t parse_table(struct table_entry **out, const struct abi_side *side,
			  const struct abi_extent *e, const struct abi_region_rules *r)
{
	const char *t = side->clean;
	size_t i = e->open + 1, n = 0, alloc = 0, end = e->close < side->len ? e->close : side->len;
	struct table_entry *entries = NULL;

	while (i < end) {
		if (t[i] == '"' || t[i] == '\'') {
			i = t[i] == '"' ? skip_string(t, i, end) : i + 1;
			continue;
		}
		if (t[i] == '{') {
			size_t close = abi_match_bracket(t, i, end);

			ARRAY_GROW(entries, n, alloc);
			parse_entry(&entries[n++], r, t, i, close);
			i = close + 1;
			continue;
		}
		i++;
	}
	*out = entries;
	return n;
}

static void free_table(struct table_entry *entries, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < entries[i].nitems; j++) {
			free(entries[i].items[j].key);
			free(entries[i].items[j].value);
			free(entries[i].items[j].raw);
		}
		free(entries[i].items);
		free(entries[i].name);
	}
	free(entries);
}

static const struct table_entry *find_entry(const struct table_entry *v, size_t n,
					    const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].name && !strcmp(v[i].name, name))
			return &v[i];
	}
	return NULL;
}

static const struct table_item *find_item(const struct table_entry *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->nitems; i++) {
		if (!strcmp(e->items[i].key, key))
			return &e->items[i];
	}
	return NULL;
}

/*
 * Whether a list value only grew: every element the old one had (a version
 * of a model) is still there, the same, in the same place.
 */
static bool list_grew(const char *was, const char *now)
{
	const char *a = strchr(was, '{'), *b = strchr(now, '{');
	size_t *ca, *cb, na, nb, i;
	bool same = true;

	if (!a || !b)
		return false;
	na = split_top(&ca, was, (size_t)(a - was) + 1, strlen(was) - 1);
	nb = split_top(&cb, now, (size_t)(b - now) + 1, strlen(now) - 1);
	for (i = 0; i < na && same; i++) {
		size_t la = ca[i + 1] - 1 - ca[i];

		if (la == 3 && !strncmp(was + ca[i], "{0}", 3))
			continue; /* the end-of-list marker moves down as the list grows */
		same = i < nb && cb[i + 1] - 1 - cb[i] == la && !strncmp(was + ca[i], now + cb[i], la);
	}
	free(ca);
	free(cb);
	return same;
}

/* Whether flag set "A|B|C" holds `flag`. */
static bool has_flag(const char *set, const char *flag)
{
	size_t n = strlen(flag);
	const char *p = set;

	while ((p = strstr(p, flag)) != NULL) {
		if ((p == set || p[-1] == '|') && (p[n] == '|' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

/* The flags no accelerator offers that one of two values has and the other not, with why. */
static void hidden_flags(struct strbuf *out, const struct abi_region_rules *r, const char *was,
			 const char *now)
{
	size_t i;

	for (i = 0; i < r->nunoffered; i++) {
		const struct abi_unoffered_flag *u = &r->unoffered[i];

		if (has_flag(was, u->flag) != has_flag(now, u->flag) && !strstr(out->buf, u->flag))
			strbuf_addf(out, "%s%s %s (%s)", out->len ? "; " : "", u->flag,
				    has_flag(now, u->flag) ? "added" : "dropped", u->reason);
	}
}

static const char *raw_value(const struct table_item *item)
{
	return !item ? "0" : item->raw ? item->raw : item->value;
}

/*
 * The keys whose effective value differs, "a, b"; empty when none. Flags
 * no accelerator offers that changed go to `hidden` instead.
 */
static void entry_changes(struct strbuf *out, struct strbuf *hidden, size_t *first_offset,
			  const struct abi_region_rules *r, const struct table_entry *o,
			  const struct table_entry *n)
{
	size_t i;

	*first_offset = 0;
	for (i = 0; i < n->nitems; i++) {
		const struct table_item *ni = &n->items[i], *oi = find_item(o, ni->key);

		if ((oi && (!strcmp(oi->value, ni->value) ||
			    (ni->list && oi->list && list_grew(oi->value, ni->value)))) ||
		    (!oi && zero_value(ni->value))) {
			hidden_flags(hidden, r, raw_value(oi), raw_value(ni));
			continue;
		}
		strbuf_addf(out, "%s%s", out->len ? ", " : "", ni->key);
		if (!*first_offset)
			*first_offset = ni->offset;
	}
	for (i = 0; i < o->nitems; i++) {
		if (find_item(n, o->items[i].key))
			continue;
		if (zero_value(o->items[i].value))
			hidden_flags(hidden, r, raw_value(&o->items[i]), "0");
		else
			strbuf_addf(out, "%s%s (dropped)", out->len ? ", " : "", o->items[i].key);
	}
	if (!*first_offset)
		*first_offset = n->offset;
}

static bool table_touched(const struct abi_region_rules *r, const struct abi_file *file,
			  const char *name)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (ch->key && !ch->cancelled && in_region(r, ch->extent) &&
		    ch->extent->kind == ABI_EXTENT_INITIALIZER && !strcmp(ch->extent->name, name))
			return true;
	}
	return false;
}

static void compare_table(struct abi_evidence_list *out, const struct abi_region_rules *r,
			  const struct abi_file *file, const struct abi_extent *oe,
			  const struct abi_extent *ne)
{
	struct table_entry *old, *new;
	size_t nold = parse_table(&old, &file->old_side, oe, r);
	size_t nnew = parse_table(&new, &file->new_side, ne, r);
	size_t i;

	for (i = 0; i < nnew; i++) {
		const struct table_entry *o = new[i].name ? find_entry(old, nold, new[i].name) : NULL;
		struct strbuf what = STRBUF_INIT, detail = STRBUF_INIT, hidden = STRBUF_INIT;
		size_t at;

		if (!o)
			continue; /* a new entry: no existing one changes */
		entry_changes(&what, &hidden, &at, r, o, &new[i]);
		if (what.len) {
			strbuf_addf(&detail, "%s entry \"%s\": %s changed", ne->name, new[i].name, what.buf);
			abi_evidence_add(out, r->signal, r->signal->strength, file->path,
					 abi_side_line_of(&file->new_side, at), false, new[i].name, NULL,
					 NULL, detail.buf);
		} else if (hidden.len) {
			/* said, not counted: the guest never saw the flag */
			strbuf_addf(&detail, "%s entry \"%s\": only flags no accelerator offers a "
				    "guest changed: %s", ne->name, new[i].name, hidden.buf);
			abi_evidence_add(out, r->signal, ABI_REVIEW, file->path,
					 abi_side_line_of(&file->new_side, at), false, new[i].name, NULL,
					 NULL, detail.buf);
		}
		strbuf_release(&what);
		strbuf_release(&hidden);
		strbuf_release(&detail);
	}
	for (i = 0; i < nold; i++) {
		struct strbuf detail = STRBUF_INIT;

		if (!old[i].name || find_entry(new, nnew, old[i].name))
			continue;
		strbuf_addf(&detail, "%s entry \"%s\" removed", oe->name, old[i].name);
		abi_evidence_add(out, r->signal, ABI_REVIEW, file->path,
				 abi_side_line_of(&file->old_side, old[i].offset), true, old[i].name,
				 NULL, NULL, detail.buf);
		strbuf_release(&detail);
	}
	free_table(old, nold);
	free_table(new, nnew);
}

static void scan_tables(struct abi_evidence_list *out, const struct abi_region_rules *r,
			const struct abi_file *file)
{
	size_t i;

	for (i = 0; i < file->new_side.nextents; i++) {
		const struct abi_extent *ne = &file->new_side.extents[i], *oe;

		if (ne->kind != ABI_EXTENT_INITIALIZER || !in_region(r, ne) ||
		    !table_touched(r, file, ne->name))
			continue;
		oe = abi_side_find(&file->old_side, ABI_EXTENT_INITIALIZER, ne->name);
		if (oe)
			compare_table(out, r, file, oe, ne);
	}
}

void abi_regions_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file)
{
	size_t i;

	for (i = 0; i < config->nregions; i++) {
		const struct abi_region_rules *r = &config->regions[i];

		if (!abi_globs_match(&r->paths, file->path))
			continue;
		if (r->entry_name_field)
			scan_tables(out, r, file);
		scan_region(out, r, file);
	}
}
