/*
 * acpi-expected: the test suite's expected ACPI tables changed, so the
 * default machine's tables did. A commit that regenerates tables touches
 * dozens of files: one item per directory, naming the first few. A new
 * table, or one that was an empty placeholder, is a new test, not a change.
 *
 * acpi-code: the code that builds the tables changed; whether it touches
 * resources (I/O ports, _CRS, _SUN, SRAT) is read from the changed lines and
 * their functions. Alone it is a review item; abi_attribute_acpi joins it
 * with the expected tables its series updated.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define ACPI_NAMED 4
/* How many backports before a table update its code commits may be. */
#define ABI_ACPI_SERIES 8

/* git's id of the empty blob: a placeholder table that a later commit fills in. */
static bool empty_blob(const struct mt_oid *oid)
{
	struct mt_oid empty;

	return oid_from_hex(&empty, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391") == 0 &&
	       oid_equal(oid, &empty);
}

static bool is_table(const struct abi_acpi_rules *rules, const struct abi_file *file)
{
	if (file->status == 'A' || (file->status == 'M' && empty_blob(&file->old_blob)))
		return false;
	return abi_globs_match(&rules->paths, file->path) &&
	       !abi_globs_match(&rules->exclude, file->path);
}

bool abi_wants_acpi(const struct abi_config *config, const char *path)
{
	return abi_globs_match(&config->acpi.paths, path) &&
	       !abi_globs_match(&config->acpi.exclude, path);
}

static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

void abi_acpi_scan(struct abi_evidence_list *out, const struct abi_config *config,
		   const struct abi_file *files, size_t count)
{
	const struct abi_acpi_rules *rules = &config->acpi;
	bool *done = xcalloc(count + 1, sizeof(*done));
	size_t i, j;

	for (i = 0; i < count; i++) {
		struct strbuf detail = STRBUF_INIT, dir = STRBUF_INIT;
		size_t n = 0, dlen;
		bool all_removed = true;

		if (done[i] || !is_table(rules, &files[i]))
			continue;
		dlen = dir_len(files[i].path);
		strbuf_add(&dir, files[i].path, dlen);
		for (j = i; j < count; j++) {
			const struct abi_file *f = &files[j];

			if (done[j] || !is_table(rules, f) || dir_len(f->path) != dlen ||
			    strncmp(f->path, dir.buf, dlen))
				continue;
			done[j] = true;
			all_removed = all_removed && f->status == 'D';
			if (n < ACPI_NAMED)
				strbuf_addf(&detail, "%s%s%s", n ? ", " : "", f->path + dlen + (dlen > 0),
					    f->status == 'A' ? " (new)" : f->status == 'D' ? " (removed)" : "");
			n++;
		}
		if (n > ACPI_NAMED)
			strbuf_addf(&detail, " and %zu more", n - ACPI_NAMED);
		{
			struct strbuf full = STRBUF_INIT;

			strbuf_addf(&full, "expected ACPI tables changed in %s/: %s", dir.buf, detail.buf);
			abi_evidence_add(out, rules->signal, rules->signal->strength, files[i].path, 0,
					 all_removed, dir.buf, NULL, NULL, full.buf);
			strbuf_release(&full);
		}
		strbuf_release(&detail);
		strbuf_release(&dir);
	}
	free(done);
}

/* Whether a changed line names one of `globs`: an identifier or string of it matches. */
static bool names_one(const struct abi_globs *globs, const char *text)
{
	const char *p = text;
	bool hit = false;

	while (*p && !hit) {
		const char *start = p;
		char *word;

		if (!(isalnum((unsigned char)*p) || *p == '_')) {
			p++;
			continue;
		}
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		word = xstrndup(start, (size_t)(p - start));
		hit = abi_globs_match(globs, word);
		free(word);
	}
	return hit;
}

/* Whether s[0, n) is a constant's name: upper case, digits and '_', not a number. */
static bool constant_name(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || isdigit((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++) {
		if (!(isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
			return false;
	}
	return true;
}

/* Whether s[0, n) is a member read: `a->b` or `a.b` (identifiers joined by -> or .). */
static bool member_read(const char *s, size_t n)
{
	bool joined = false;
	size_t i = 0;

	if (!n || !abi_is_ident(s[0]) || isdigit((unsigned char)s[0]))
		return false;
	while (i < n) {
		if (abi_is_ident(s[i])) {
			i++;
		} else if (s[i] == '.' && i + 1 < n && abi_is_ident(s[i + 1])) {
			joined = true;
			i++;
		} else if (s[i] == '-' && i + 2 < n && s[i + 1] == '>' && abi_is_ident(s[i + 2])) {
			joined = true;
			i += 2;
		} else {
			return false;
		}
	}
	return joined;
}

/*
 * Whether `plus` is `minus` with one constant replaced by a member read
 * (`VTD_HOST_ADDRESS_WIDTH - 1` made `s->aw_bits - 1`); the constant's name
 * goes to `constant`.
 */
static bool substitutes(struct strbuf *constant, const char *minus, const char *plus)
{
	size_t lm = strlen(minus), lp = strlen(plus), pre = 0, suf = 0;

	while (pre < lm && pre < lp && minus[pre] == plus[pre])
		pre++;
	while (pre > 0 && abi_is_ident(minus[pre - 1]))
		pre--; /* back to the start of the identifier */
	while (suf < lm - pre && suf < lp - pre && minus[lm - 1 - suf] == plus[lp - 1 - suf])
		suf++;
	while (suf > 0 && abi_is_ident(minus[lm - suf]))
		suf--;
	if (!constant_name(minus + pre, lm - pre - suf) || !member_read(plus + pre, lp - pre - suf))
		return false;
	strbuf_reset(constant);
	strbuf_add(constant, minus + pre, lm - pre - suf);
	return true;
}

/*
 * Marks the changes of `file` that only make a constant a member read
 * (each removed line paired with an added one of the same block), and
 * lists the constants, blank-separated, in `constants`.
 */
static void mark_substitutions(bool *marked, struct strbuf *constants, const struct abi_file *file)
{
	struct strbuf c = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *m = &file->changes[i];

		if (!m->key || m->cancelled || m->origin != '-' || marked[i])
			continue;
		for (j = 0; j < file->nchanges; j++) {
			const struct abi_change *p = &file->changes[j];

			if (!p->key || p->cancelled || p->origin != '+' || marked[j] ||
			    strcmp(m->extent && m->extent->name ? m->extent->name : "",
				   p->extent && p->extent->name ? p->extent->name : "") ||
			    !substitutes(&c, m->key, p->key))
				continue;
			marked[i] = marked[j] = true;
			strbuf_reset(&c);
			substitutes(&c, m->display, p->display);
			if (!strstr(constants->buf, c.buf))
				strbuf_addf(constants, "%s%s", constants->len ? " " : "", c.buf);
			break;
		}
	}
	strbuf_release(&c);
}

static bool table_function(const struct abi_acpi_code_rules *rules, const struct abi_extent *e)
{
	return e && e->kind == ABI_EXTENT_FUNCTION && e->name &&
	       abi_globs_match(&rules->table_functions, e->name);
}

/*
 * Whether a line only declares a local (`T *x = f(y);`, `int i;`): it puts
 * nothing into a table by itself; the lines that use it do.
 */
static bool declaration_line(const char *text)
{
	static const char *const qualifiers[] = { "const", "struct", "unsigned", "signed",
						  "static", "volatile", NULL };
	const char *p = text;
	size_t n, k;
	int idents = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		for (n = 0; abi_is_ident((unsigned char)p[n]); n++)
			;
		if (!n)
			break;
		for (k = 0; qualifiers[k]; k++) {
			if (strlen(qualifiers[k]) == n && !strncmp(p, qualifiers[k], n))
				break;
		}
		if (!qualifiers[k]) {
			if ((n == 6 && !strncmp(p, "return", 6)) || (n == 4 && !strncmp(p, "goto", 4)))
				return false;
			idents++;
		}
		p += n;
		while (*p == ' ' || *p == '*')
			p++;
	}
	return idents == 2 && (*p == '=' || *p == ';' || *p == '[') && p[1] != '=';
}

/* Whether the function `name` reads differently on the two sides (its statements reordered). */
static bool body_differs(const struct abi_file *file, const char *name)
{
	const struct abi_extent *o = abi_side_find(&file->old_side, ABI_EXTENT_FUNCTION, name);
	const struct abi_extent *n = abi_side_find(&file->new_side, ABI_EXTENT_FUNCTION, name);
	char *a, *b;
	bool differs;

	if (!o || !n || o->close >= file->old_side.len || n->close >= file->new_side.len)
		return false;
	a = abi_normalise(file->old_side.code + o->open, o->close + 1 - o->open, false);
	b = abi_normalise(file->new_side.code + n->open, n->close + 1 - n->open, false);
	differs = strcmp(a, b) != 0;
	free(a);
	free(b);
	return differs;
}

/*
 * A table function whose lines only moved: the lines cancel each other, but
 * the order is the order of the tables' bytes (a table's offset put into
 * the RSDT before the table or after it), so a body that reads differently
 * is a change. The first such moved line, or NULL.
 */
static const struct abi_change *reordered(const struct abi_acpi_code_rules *rules,
					  const struct abi_file *file)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (ch->key && ch->cancelled && ch->origin == '+' && table_function(rules, ch->extent) &&
		    body_differs(file, ch->extent->name))
			return ch;
	}
	return NULL;
}

/* The name of the call a line starts with ("bios_linker_loader_alloc"), or an empty string. */
static void leading_call(char *out, size_t size, const char *text, size_t len)
{
	size_t n = 0;

	while (len && (*text == ' ' || *text == '\t')) {
		text++;
		len--;
	}
	while (n < len && (isalnum((unsigned char)text[n]) || text[n] == '_'))
		n++;
	if (n >= size || n >= len || text[n] != '(')
		n = 0;
	memcpy(out, text, n);
	out[n] = '\0';
}

/* How far back a placement call's first line may be from a line of its arguments. */
#define PLACEMENT_LINES 8

/*
 * Whether line `line` of `side` is part of a call to a placement function
 * (its first line or one of its arguments' lines); `name` gets the function.
 */
static bool in_placement_call(char *name, size_t size, const struct abi_acpi_code_rules *rules,
			      const struct abi_side *side, int line)
{
	int l;

	for (l = line; l >= 1 && l > line - PLACEMENT_LINES; l--) {
		size_t start, end, open;

		if ((size_t)l > side->nlines)
			return false;
		start = side->lines[l - 1];
		end = (size_t)l < side->nlines ? side->lines[l] : side->len;
		leading_call(name, size, side->clean + start, end - start);
		if (!name[0])
			continue;
		if (!abi_globs_match(&rules->placement_calls, name))
			return false;
		open = start + (size_t)(strchr(side->clean + start, '(') - (side->clean + start));
		return abi_match_bracket(side->clean, open, side->len) >= side->lines[line - 1];
	}
	return false;
}

/*
 * A placement call changed into another of the same function in the same
 * block (an alignment or zone argument): the line is part of such a call
 * and a change of the other side in the same block is part of one too.
 */
static bool placement_change(const struct abi_acpi_code_rules *rules, const struct abi_file *file,
			     const struct abi_change *ch)
{
	char name[128], other[128];
	size_t i;

	if (!rules->placement_calls.count || !ch->extent || !ch->extent->name ||
	    !in_placement_call(name, sizeof(name), rules, abi_file_side(file, ch->origin), ch->line))
		return false;
	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *o = &file->changes[i];

		if (o->origin != ch->origin && o->extent && o->extent->name &&
		    !strcmp(o->extent->name, ch->extent->name) &&
		    in_placement_call(other, sizeof(other), rules, abi_file_side(file, o->origin),
				      o->line) &&
		    !strcmp(other, name))
			return true;
	}
	return false;
}

/*
 * Which changed line a detail quotes best: one that says something, then
 * one in a body rather than the function's signature (a parameter list
 * changed says little of the tables), then an added line rather than a
 * removed one (what the tables are now). The first of equals wins.
 */
static int quote_rank(const struct abi_file *file, const struct abi_change *ch)
{
	const struct abi_side *side = abi_file_side(file, ch->origin);
	bool body = !ch->extent || ch->line < 1 || (size_t)ch->line > side->nlines ||
		    side->lines[ch->line - 1] > ch->extent->open;

	return 4 * abi_line_says_something(ch->key) + 2 * body + (ch->origin == '+');
}

static bool resource_function(const struct abi_acpi_code_rules *rules, const struct abi_change *ch)
{
	return ch->extent && ch->extent->name && names_one(&rules->resource_words, ch->extent->name);
}

/* Among resource lines, those of the function that builds them (build_srat) say most. */
static int resource_rank(const struct abi_acpi_code_rules *rules, const struct abi_file *file,
			 const struct abi_change *ch)
{
	return 8 * resource_function(rules, ch) + quote_rank(file, ch);
}

/*
 * What a set of changes touches: resources, AML, or other code; and the
 * change to quote. A line in a table function counts as AML unless it only
 * makes a constant a member read (`subst`): that is the constant made
 * configurable, judged with the property that holds it.
 */
static const char *acpi_subject(const struct abi_acpi_code_rules *rules, const struct abi_file *file,
				const bool *skip, const bool *subst,
				const struct abi_change **out_first)
{
	const struct abi_change *first = NULL, *resource = NULL;
	bool aml = abi_globs_match(&rules->aml_paths, file->path);
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (!ch->key || ch->cancelled || (skip && skip[i]) || placement_change(rules, file, ch))
			continue;
		if (!first || quote_rank(file, ch) > quote_rank(file, first))
			first = ch;
		if ((names_one(&rules->resource_words, ch->display) ||
		     resource_function(rules, ch)) &&
		    (!resource || resource_rank(rules, file, ch) > resource_rank(rules, file, resource)))
			resource = ch;
		aml = aml || names_one(&rules->aml_words, ch->display) ||
		      (!subst[i] && table_function(rules, ch->extent) &&
		       !declaration_line(ch->display));
	}
	if (!first && !skip && (first = reordered(rules, file)) != NULL)
		aml = true;
	*out_first = resource ? resource : first;
	return resource ? ABI_ACPI_RESOURCES : aml ? ABI_ACPI_AML : ABI_ACPI_CODE;
}

static int subject_rank(const char *subject)
{
	return !strcmp(subject, ABI_ACPI_RESOURCES) ? 2 : !strcmp(subject, ABI_ACPI_AML);
}

void abi_acpi_code_scan(struct abi_evidence_list *out, const struct abi_config *config,
			const struct abi_file *file)
{
	const struct abi_acpi_code_rules *rules = &config->acpi_code;
	const struct abi_change *first, *rest_first;
	struct strbuf detail = STRBUF_INIT, constants = STRBUF_INIT;
	const char *subject, *rest = NULL;
	bool *marked;

	if (!rules->signal || !abi_globs_match(&rules->paths, file->path))
		return;
	marked = xcalloc(file->nchanges + 1, sizeof(*marked));
	mark_substitutions(marked, &constants, file);
	subject = acpi_subject(rules, file, NULL, marked, &first);
	if (!first) {
		free(marked);
		strbuf_release(&constants);
		return;
	}
	/*
	 * Without the lines that only make a constant a member read, the change
	 * may touch less: abi_acpi_excuse_configurable decides, once the whole
	 * commit shows whether a new property's default is that constant.
	 */
	if (constants.len) {
		rest = acpi_subject(rules, file, marked, marked, &rest_first);
		if (subject_rank(rest) >= subject_rank(subject))
			rest = NULL;
	}
	free(marked);
	strbuf_addstr(&detail, !strcmp(subject, ABI_ACPI_RESOURCES) ? "ACPI resources changed"
								      : "ACPI code changed");
	if (first->extent && first->extent->name)
		strbuf_addf(&detail, " in %s", first->extent->name);
	{
		char *stmt = abi_side_statement(abi_file_side(file, first->origin), first->line,
						ABI_QUOTE_MAX);

		abi_tidy_quote(stmt);
		strbuf_addf(&detail, ": %s %s", first->origin == '+' ? "added" : "removed", stmt);
		free(stmt);
	}
	/* old_value: the constants made member reads; new_value: what the rest touches */
	abi_evidence_add(out, rules->signal, rules->signal->strength, file->path, first->line,
			 first->origin == '-', subject, rest ? constants.buf : NULL, rest,
			 detail.buf);
	strbuf_release(&detail);
	strbuf_release(&constants);
}

/* Whether a made-configurable property-added item of the list has `constant` as its default. */
static bool configurable(const struct abi_evidence_list *list, const char *constant, size_t len)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		const struct abi_evidence *e = &list->items[i];

		if (!strcmp(e->signal, "property-added") && e->old_value && e->new_value &&
		    !strcmp(e->old_value, e->new_value) && strlen(e->new_value) == len &&
		    !strncmp(e->new_value, constant, len))
			return true;
	}
	return false;
}

void abi_acpi_excuse_configurable(struct abi_evidence_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		struct abi_evidence *e = &list->items[i];
		const char *p;
		bool all = true;

		if (strcmp(e->signal, "acpi-code") || !e->old_value || !e->new_value)
			continue;
		for (p = e->old_value; *p && all;) {
			size_t n = strcspn(p, " ");

			all = configurable(list, p, n);
			p += n + (p[n] == ' ');
		}
		if (!all)
			continue;
		{
			struct strbuf detail = STRBUF_INIT;
			const char *colon = strstr(e->detail, " changed");

			strbuf_addf(&detail, "ACPI code changed%s (%s: the default of a new property "
				    "now, the same value)", colon ? colon + 8 : "", e->old_value);
			free(e->detail);
			e->detail = strbuf_detach(&detail, NULL);
			free(e->subject);
			e->subject = e->new_value;
			e->new_value = NULL;
		}
	}
}

static bool has_signal(const struct abi_evidence_list *list, const char *signal)
{
	size_t i;

	for (i = 0; list && i < list->count; i++) {
		if (!strcmp(list->items[i].signal, signal))
			return true;
	}
	return false;
}

static bool touches_resources(const struct abi_evidence_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		const struct abi_evidence *e = &list->items[i];

		if (!strcmp(e->signal, "acpi-code") && e->subject &&
		    !strcmp(e->subject, ABI_ACPI_RESOURCES))
			return true;
	}
	return false;
}

/* Removes the items of one signal from a list, keeping the order of the rest. */
static void drop_signal(struct abi_evidence_list *list, const char *signal)
{
	size_t i, kept = 0;

	for (i = 0; i < list->count; i++) {
		if (!strcmp(list->items[i].signal, signal))
			abi_evidence_release(&list->items[i]);
		else
			list->items[kept++] = list->items[i];
	}
	list->count = kept;
}

/* Adds `tables` (acpi-expected items) to the code commit's list, judged by its resources. */
static void add_judged(struct abi_evidence_list *code, const struct abi_evidence_list *tables,
		       const struct mt_oid *table_commit, bool same)
{
	enum abi_strength strength = touches_resources(code) ? ABI_CHANGE : ABI_LIKELY;
	char hex[13];
	size_t i;

	oid_to_short(hex, 12, table_commit);
	for (i = 0; i < tables->count; i++) {
		const struct abi_evidence *e = &tables->items[i];
		struct strbuf detail = STRBUF_INIT;
		struct abi_signal signal;

		memset(&signal, 0, sizeof(signal));
		signal.id = e->signal;
		strbuf_addstr(&detail, e->detail);
		if (!same)
			strbuf_addf(&detail, ", updated by %s", hex);
		strbuf_addstr(&detail, strength == ABI_CHANGE
				       ? " (resources: I/O ports, _CRS, _SUN or SRAT)"
				       : " (AML only: review)");
		abi_evidence_add(code, &signal, strength, e->path, e->line, e->removed, e->subject,
				 NULL, NULL, detail.buf);
		strbuf_release(&detail);
	}
}

/* The acpi-expected items of `list`, moved to `out`. */
static void take_tables(struct abi_evidence_list *out, struct abi_evidence_list *list)
{
	size_t i;

	abi_evidence_list_init(out);
	for (i = 0; i < list->count; i++) {
		struct abi_evidence_list one = { &list->items[i], 1, 1 };

		if (!strcmp(list->items[i].signal, "acpi-expected"))
			abi_evidence_list_append(out, &one);
	}
	drop_signal(list, "acpi-expected");
}

/*
 * What is left of a commit's acpi-code items: none when its series' tables
 * judged it; else, code that builds resources (I/O ports, _CRS, _SUN, SRAT)
 * changed what the guest's tables say of its hardware, a change as strong
 * as a table file showing it (abi-change), and code that builds other AML
 * changed tables no expected file shows, worth a look (likely); other code
 * beside the tables is no evidence.
 */
static void settle_code(struct abi_evidence_list *list, bool judged)
{
	size_t i, kept = 0;

	for (i = 0; i < list->count; i++) {
		struct abi_evidence *e = &list->items[i];

		if (strcmp(e->signal, "acpi-code")) {
			list->items[kept++] = *e;
			continue;
		}
		if (judged || !e->subject || !strcmp(e->subject, ABI_ACPI_CODE)) {
			abi_evidence_release(e);
			continue;
		}
		e->strength = !strcmp(e->subject, ABI_ACPI_RESOURCES) ? ABI_CHANGE : ABI_LIKELY;
		list->items[kept++] = *e;
	}
	list->count = kept;
	abi_evidence_list_sort(list);
}

void abi_attribute_acpi(struct abi_evidence_list *const *lists, const struct mt_oid *const *commits,
			size_t count)
{
	bool *judged = xcalloc(count + 1, sizeof(*judged));
	size_t i, k;

	for (i = 0; i < count; i++) {
		size_t floor = i > ABI_ACPI_SERIES ? i - ABI_ACPI_SERIES : 0;
		struct abi_evidence_list tables;
		bool found = false;

		if (!lists[i] || judged[i] || !has_signal(lists[i], "acpi-expected"))
			continue;
		/* The code commits of the series: back to the previous table update. */
		for (k = i + 1; k-- > floor && !found;) {
			if (k < i && lists[k] && has_signal(lists[k], "acpi-expected"))
				break;
			found = lists[k] && has_signal(lists[k], "acpi-code");
		}
		if (!found)
			continue; /* no code commit in sight: the tables stand on their own */
		take_tables(&tables, lists[i]);
		for (k = i + 1; k-- > floor;) {
			if (k < i && lists[k] && has_signal(lists[k], "acpi-expected"))
				break;
			if (!lists[k] || !has_signal(lists[k], "acpi-code"))
				continue;
			add_judged(lists[k], &tables, commits[i], k == i);
			judged[k] = true;
		}
		abi_evidence_list_release(&tables);
	}
	for (i = 0; i < count; i++) {
		if (lists[i])
			settle_code(lists[i], judged[i]);
	}
	free(judged);
}
