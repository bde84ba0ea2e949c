/*
 * Interfaces a guest probes once and then relies on, which no compat array
 * names (rules/abi-signals.json, "guest_interfaces"):
 *   - calls that offer or register something (virtio_add_feature,
 *     spapr_register_hypercall): a call added or removed, compared as text;
 *   - feature masks assigned (`host_features |= ...`, `legacy_features`);
 *   - addresses given by #defines (`#define ACPI_PCIHP_ADDR_ICH9 0x0cc0`):
 *     a value that changed.
 * Both sides are read with the csrc tokenizer, so comments, `#if 0` and
 * reformatting change nothing, and a call moved within the file is not a
 * change. Reading a mask (`guest_features & X`) is not offering anything.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "machines/csrc.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum guest_kind { GUEST_CALL, GUEST_FIELD, GUEST_DEFINE };

struct guest_item {
	enum guest_kind kind;
	char *key;      /* the call or statement as tokens joined by spaces; a define's name */
	char *subject;  /* the feature, hypercall or define named */
	char *value;    /* a define's body */
	int line;
	bool matched;
};

struct guest_items {
	struct guest_item *v;
	size_t n, alloc;
};

static void items_release(struct guest_items *items)
{
	size_t i;

	for (i = 0; i < items->n; i++) {
		free(items->v[i].key);
		free(items->v[i].subject);
		free(items->v[i].value);
	}
	free(items->v);
}

static bool spelled(const struct csrc_file *f, const struct csrc_token *t, const char *set)
{
	const char *text = csrc_text(f, t);

	return t->kind == CSRC_PUNCT && text[0] && !text[1] && strchr(set, text[0]);
}

void abi_join_tokens(struct strbuf *sb, const struct csrc_file *f, const struct csrc_token *toks,
		     size_t first, size_t last)
{
	size_t i;

	for (i = first; i < last; i++) {
		const struct csrc_token *t = &toks[i], *prev = i > first ? &toks[i - 1] : NULL;
		/* `&x`, `~(...)` after an operator or an opening bracket: no space after the sign */
		bool unary = prev && spelled(f, prev, "&*!~") &&
			     (i < first + 2 || (toks[i - 2].kind == CSRC_PUNCT &&
						!spelled(f, &toks[i - 2], ")]")));

		if (prev && !unary && !spelled(f, t, ",)];[") && !spelled(f, prev, "([.") &&
		    !(spelled(f, t, "(") && prev->kind == CSRC_IDENT) &&
		    !csrc_is(f, t, "->") && !csrc_is(f, prev, "->") && !spelled(f, t, "."))
			strbuf_addch(sb, ' ');
		/* the tokenizer keeps a string's contents: put its quotes back */
		if (t->kind == CSRC_STRING)
			strbuf_addf(sb, "\"%s\"", csrc_text(f, t));
		else
			strbuf_addstr(sb, csrc_text(f, t));
	}
}

static void add(struct guest_items *items, enum guest_kind kind, struct strbuf *key,
		const char *subject, const char *value, int line)
{
	struct guest_item *it;

	ARRAY_GROW(items->v, items->n, items->alloc);
	it = &items->v[items->n++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->key = strbuf_detach(key, NULL);
	it->subject = xstrdup(subject ? subject : "");
	it->value = xstrdup_or_null(value);
	it->line = line;
}

/* Offset of the token closing the bracket at `open`, or `n` when unbalanced. */
static size_t closing(const struct csrc_file *f, size_t open, size_t n)
{
	size_t i, depth = 0;

	for (i = open; i < n; i++) {
		const char *t = csrc_text(f, &f->toks[i]);

		if (f->toks[i].kind != CSRC_PUNCT)
			continue;
		if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{"))
			depth++;
		else if ((!strcmp(t, ")") || !strcmp(t, "]") || !strcmp(t, "}")) && !--depth)
			return i;
	}
	return n;
}

static bool is_assignment(const struct csrc_file *f, const struct csrc_token *t)
{
	static const char *const ops[] = { "=", "|=", "&=", "^=", NULL };
	size_t i;

	for (i = 0; t->kind == CSRC_PUNCT && ops[i]; i++) {
		if (!strcmp(csrc_text(f, t), ops[i]))
			return true;
	}
	return false;
}

/* The last identifier of toks[first, last): the feature or name a call is about. */
static const char *last_ident(const struct csrc_file *f, size_t first, size_t last)
{
	const char *name = NULL;
	size_t i;

	for (i = first; i < last; i++) {
		if (f->toks[i].kind == CSRC_IDENT)
			name = csrc_text(f, &f->toks[i]);
	}
	return name;
}

static bool names_any(const struct csrc_file *f, const struct abi_globs *globs, size_t first,
		      size_t last)
{
	size_t i;

	for (i = first; i < last; i++) {
		if (f->toks[i].kind == CSRC_IDENT && abi_globs_match(globs, csrc_text(f, &f->toks[i])))
			return true;
	}
	return false;
}

static void collect_code(struct guest_items *items, const struct abi_guest_rules *rules,
			 const struct csrc_file *f)
{
	size_t i, n = f->ntoks;

	for (i = 0; i + 1 < n; i++) {
		const struct csrc_token *t = &f->toks[i];
		const char *text = csrc_text(f, t);
		struct strbuf key = STRBUF_INIT;
		size_t end;

		if (t->kind != CSRC_IDENT)
			continue;
		if (abi_globs_match(&rules->calls, text) && csrc_is(f, &f->toks[i + 1], "(")) {
			end = closing(f, i + 1, n);
			if (end == n)
				continue;
			abi_join_tokens(&key, f, f->toks, i, end + 1);
			/* hypercalls name their number first; features come last */
			add(items, GUEST_CALL, &key,
			    rules->subject_first ? last_ident(f, i + 2, i + 3)
						 : last_ident(f, i + 2, end),
			    NULL, t->line);
			i = end;
		} else if (abi_globs_match(&rules->fields, text) && is_assignment(f, &f->toks[i + 1])) {
			for (end = i + 1; end < n && !csrc_is(f, &f->toks[end], ";"); end++)
				;
			if (rules->field_values.count && !names_any(f, &rules->field_values, i + 2, end)) {
				i = end < n ? end : n - 1;
				continue;
			}
			abi_join_tokens(&key, f, f->toks, i, end);
			add(items, GUEST_FIELD, &key, last_ident(f, i + 2, end), NULL, t->line);
			i = end < n ? end : n - 1;
		}
	}
}

static void collect_defines(struct guest_items *items, const struct abi_guest_rules *rules,
			    const struct csrc_file *f)
{
	size_t i;

	for (i = 0; i < f->ndefines; i++) {
		const struct csrc_define *d = &f->defines[i];
		const char *name = csrc_text(f, &f->dtoks[d->name]);
		struct strbuf key = STRBUF_INIT, value = STRBUF_INIT;

		if (d->function_like || !abi_globs_match(&rules->defines, name) ||
		    abi_globs_match(&rules->ignore_defines, name) || d->body.first == d->body.last)
			continue;
		strbuf_addstr(&key, name);
		abi_join_tokens(&value, f, f->dtoks, d->body.first, d->body.last);
		add(items, GUEST_DEFINE, &key, name, value.buf, f->dtoks[d->name].line);
		strbuf_release(&value);
	}
}

static void collect(struct guest_items *items, const struct abi_guest_rules *rules,
		    const struct csrc_file *f)
{
	memset(items, 0, sizeof(*items));
	if (!f)
		return;
	collect_code(items, rules, f);
	collect_defines(items, rules, f);
}

static const char *kind_name(enum guest_kind kind)
{
	return kind == GUEST_CALL ? "call" : "assignment";
}

/* Whether `text` names `word` as a whole identifier. */
static bool names_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while (n && (p = strstr(p, word)) != NULL) {
		if ((p == text || !abi_is_ident(p[-1])) && !abi_is_ident(p[n]))
			return true;
		p += n;
	}
	return false;
}

/* Whether `text` calls one of `globs`: an identifier matching it followed by `(`. */
static bool calls_one(const char *text, const struct abi_globs *globs)
{
	const char *p = text;

	while (*p) {
		const char *start = p;
		bool hit;
		char *name;

		if (!abi_is_ident(*p) || (p > text && abi_is_ident(p[-1]))) {
			p++;
			continue;
		}
		while (abi_is_ident(*p))
			p++;
		name = xstrndup(start, (size_t)(p - start));
		hit = abi_globs_match(globs, name);
		free(name);
		if (hit && (*p == '(' || (*p == ' ' && p[1] == '(')))
			return true;
	}
	return false;
}

/*
 * Whether the commit adds a test of `bit` that refuses the configuration
 * within a few lines (`if (has_feature(BIT) && !iothread) { error_setg(...);`):
 * where the bit used to be cleared, the device now does not start.
 */
static bool refused(const struct abi_file *file, const struct abi_guest_rules *rules,
		    const char *bit)
{
	size_t i, j;

	if (!rules->refusals.count || !bit)
		return false;
	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (ch->origin != '+' || !ch->display || ch->cancelled || !names_word(ch->display, bit))
			continue;
		for (j = i; j < file->nchanges; j++) {
			const struct abi_change *next = &file->changes[j];

			if (next->origin != '+' || next->line > ch->line + 6)
				break;
			if (next->display && !next->cancelled && calls_one(next->display, &rules->refusals))
				return true;
		}
	}
	return false;
}

static void report_unmatched(struct abi_evidence_list *out, const struct abi_guest_rules *rules,
			     const struct abi_file *file, struct guest_items *mine,
			     struct guest_items *theirs, bool removed)
{
	size_t i, j;

	for (i = 0; i < mine->n; i++) {
		struct guest_item *it = &mine->v[i];
		struct strbuf detail = STRBUF_INIT;

		if (it->kind == GUEST_DEFINE || it->matched)
			continue;
		for (j = 0; j < theirs->n; j++) {
			struct guest_item *o = &theirs->v[j];

			if (!o->matched && o->kind == it->kind && !strcmp(o->key, it->key)) {
				o->matched = it->matched = true;
				break;
			}
		}
		if (it->matched)
			continue;
		strbuf_addf(&detail, "%s %s: %s", kind_name(it->kind), removed ? "removed" : "added",
			    it->key);
		if (removed && it->kind == GUEST_FIELD && refused(file, rules, it->subject)) {
			/* said, not counted: no guest got the bit where it was cleared */
			strbuf_addstr(&detail, " (where it was cleared, the device now refuses to "
				      "start: no guest sees another feature set)");
			abi_evidence_add(out, rules->signal, ABI_REVIEW, file->path, it->line, removed,
					 it->subject, NULL, NULL, detail.buf);
			strbuf_release(&detail);
			continue;
		}
		abi_evidence_add(out, rules->signal, rules->signal->strength, file->path, it->line,
				 removed, it->subject, NULL, NULL, detail.buf);
		strbuf_release(&detail);
	}
}

static void report_defines(struct abi_evidence_list *out, const struct abi_guest_rules *rules,
			   const struct abi_file *file, const struct guest_items *old,
			   const struct guest_items *new)
{
	size_t i, j;

	for (i = 0; i < new->n; i++) {
		const struct guest_item *n = &new->v[i];

		if (n->kind != GUEST_DEFINE)
			continue;
		for (j = 0; j < old->n; j++) {
			const struct guest_item *o = &old->v[j];
			struct strbuf detail = STRBUF_INIT;

			/* a new define is a new device's; a removed one, code that went */
			if (o->kind != GUEST_DEFINE || strcmp(o->key, n->key) ||
			    !strcmp(o->value, n->value))
				continue;
			strbuf_addf(&detail, "#define %s %s -> %s", n->key, o->value, n->value);
			abi_evidence_add(out, rules->signal, rules->signal->strength, file->path,
					 n->line, false, n->subject, o->value, n->value, detail.buf);
			strbuf_release(&detail);
			break;
		}
	}
}

static bool memmem_literal(const char *text, const char *lit, size_t n)
{
	for (; *text; text++) {
		if (!strncmp(text, lit, n))
			return true;
	}
	return false;
}

/* Whether `text` holds the literal start of a glob ("DEFINE_VIRTIO_" of "DEFINE_VIRTIO_*"). */
static bool mentions(const char *text, const struct abi_globs *globs)
{
	size_t i, n;

	for (i = 0; i < globs->count; i++) {
		const char *g = globs->items[i];

		n = strcspn(g, "*?[");
		if (!n)
			return true; /* no literal to look for: cannot rule it out */
		if (n == strlen(g) ? strstr(text, g) != NULL : memmem_literal(text, g, n))
			return true;
	}
	return false;
}

/*
 * Tokenizing both sides of every changed device file cost a third more CPU
 * in an audit; a file is read only when a changed line names one of the
 * calls or fields, or is a #define where addresses are looked for. (A call
 * added or removed has its name on a changed line.)
 */
static bool worth_reading(const struct abi_file *file, const struct abi_guest_rules *rules)
{
	size_t i;

	for (i = 0; i < file->nchanges; i++) {
		const struct abi_change *ch = &file->changes[i];

		if (!ch->display || ch->cancelled)
			continue;
		if (mentions(ch->display, &rules->calls) || mentions(ch->display, &rules->fields) ||
		    (rules->defines.count && strstr(ch->display, "define")))
			return true;
	}
	return false;
}

void abi_guest_scan(struct abi_evidence_list *out, const struct abi_config *config,
		    struct abi_file *file)
{
	size_t r;

	for (r = 0; r < config->nguest; r++) {
		const struct abi_guest_rules *rules = &config->guest[r];
		struct guest_items old, new;

		if (!abi_globs_match(&rules->paths, file->path) || !worth_reading(file, rules))
			continue;
		collect(&old, rules, abi_side_parsed(&file->old_side, file->path));
		collect(&new, rules, abi_side_parsed(&file->new_side, file->path));
		/* in file order: what was added first, then what went */
		report_unmatched(out, rules, file, &new, &old, false);
		report_unmatched(out, rules, file, &old, &new, true);
		report_defines(out, rules, file, &old, &new);
		items_release(&old);
		items_release(&new);
	}
}

/*
 * `DEFINE_PROP_BIT64("queue_reset", S, f, VIRTIO_F_RING_RESET, true)` naming `bit`, in `text`
 * (the file `path`); a file csrc cannot read names none.
 */
static bool find_bit_property(char **out_name, char **out_default, const char *path,
			      const char *text, size_t len, const char *bit)
{
	struct abi_side side;
	struct abi_call *calls = NULL;
	size_t n = 0, i;
	bool found = false;

	if (abi_side_init(&side, path, text, len) < 0)
		mt_error_clear();
	abi_find_calls(&calls, &n, &side, 0, side.len, "DEFINE_PROP_BIT");
	for (i = 0; i < n && !found; i++) {
		const struct abi_call *c = &calls[i];
		const char *name;
		size_t nlen;

		if (c->definition || c->nargs < 5 || strcmp(c->args[3], bit))
			continue;
		name = c->args[0];
		nlen = strlen(name);
		if (nlen >= 2 && name[0] == '"' && name[nlen - 1] == '"') {
			name++;
			nlen -= 2;
		}
		*out_name = xstrndup(name, nlen);
		*out_default = xstrdup(c->args[4]);
		found = true;
	}
	abi_calls_free(calls, n);
	abi_side_release(&side);
	return found;
}

int abi_feature_property(char **out_name, char **out_default, struct mt_repo *repo,
			 const struct abi_config *config, const struct mt_oid *commit,
			 const char *path, const char *bit)
{
	size_t i, j;

	*out_name = *out_default = NULL;
	for (i = 0; i < config->nguest; i++) {
		const struct abi_guest_rules *g = &config->guest[i];

		if (!g->property_files.count || !abi_globs_match(&g->paths, path))
			continue;
		for (j = 0; j <= g->property_files.count; j++) {
			const char *file = j ? g->property_files.items[j - 1] : path;
			const struct mt_blob *blob;
			int ret = repo_read_file(&blob, repo, commit, file);

			if (ret == MT_ENOTFOUND)
				continue;
			if (ret < 0)
				return MT_ERROR;
			if (find_bit_property(out_name, out_default, file, blob->data, blob->len, bit))
				return 1;
		}
	}
	return 0;
}
