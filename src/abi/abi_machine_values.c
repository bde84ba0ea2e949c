/*
 * Effective values of machine class fields, per versioned machine: what a
 * machine of version V holds once its class is set up. The bases (options
 * functions without a version that no other one calls: the parent type's
 * class_init) run first, then V's options function, whose calls to other
 * options functions (the next version's, a shared helper) run where they
 * stand. A field set by a bitmask constructor (`default_caps =
 * spapr_caps(A | B)`, rules/abi-signals.json "bitmask_values") is the same
 * as its members set one by one (`default_caps.caps[A] = SPAPR_CAP_ON`), so a
 * change of representation moves no machine's value.
 *
 * A machine-class-field change then counts for the machines whose value it
 * moves: a new default that the older machines' options set back moves only
 * the newer machines; a representation change moves none.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "machines/machines.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct mv_stmt {
	char *key;    /* field path after the receiver, blanks removed; NULL for a call */
	char *value;  /* what it is set to: "V" for `=`, "|= V" for a compound operator */
	char *callee; /* the options function a call runs */
	bool compound; /* `|=`, `&=`, ...: the value adds to what was there */
};

struct mv_function {
	char *name;
	struct mv_stmt *stmts;
	size_t n, alloc;
	bool versioned;
	struct qversion version;
	bool called; /* some other options function calls it: not a base */
};

struct mv_pair {
	char *key, *value;
};

struct mv_env {
	struct mv_pair *v;
	size_t n, alloc;
};

static char *strip_blanks(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s; s++) {
		if (!isspace((unsigned char)*s))
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

bool abi_parse_field_assignment(struct abi_field_assignment *out, const char *s,
				const struct abi_globs *receivers)
{
	const char *p = s, *f, *op;
	char *recv;
	bool ok;

	while (abi_is_ident(*p))
		p++;
	if (p == s || strncmp(p, "->", 2))
		return false;
	recv = xstrndup(s, (size_t)(p - s));
	ok = abi_globs_match(receivers, recv);
	free(recv);
	if (!ok)
		return false;
	f = p + 2;
	for (op = f; *op; op++) {
		if (*op == '=' && op[1] != '=' && op > f && !strchr("=!<>", op[-1]))
			break;
		if (*op == '=' && op[1] == '=')
			op++;
		if (*op == ';' || *op == '(')
			return false; /* a call or a comparison, not an assignment */
	}
	if (!*op)
		return false;
	out->path = f;
	out->op = op;
	out->oplen = 1;
	if (op > f && strchr("+-*/|&^%", op[-1])) {
		out->op--;
		out->oplen = 2;
	}
	for (p = op + 1; *p == ' '; p++)
		;
	out->value = p;
	return true;
}

/* "recv->a.b[X] op value": the key "a.b[X]", the operator and the value; false otherwise. */
static bool parse_stmt(struct mv_stmt *out, const char *s, const struct abi_globs *receivers)
{
	struct abi_field_assignment fa;
	char *key;

	if (!abi_parse_field_assignment(&fa, s, receivers))
		return false;
	key = xstrndup(fa.path, (size_t)(fa.op - fa.path));
	out->key = strip_blanks(key);
	free(key);
	out->compound = fa.oplen == 2;
	if (out->compound) {
		struct strbuf v = STRBUF_INIT;

		strbuf_addf(&v, "%.2s %s", fa.op, fa.value);
		out->value = strbuf_detach(&v, NULL);
	} else {
		out->value = xstrdup(fa.value);
	}
	out->callee = NULL;
	return true;
}

/* "name(args)" where name is an options function: a call that runs it. */
static char *parse_call(const char *s, const struct abi_globs *functions)
{
	const char *p = s;
	char *name;

	while (abi_is_ident(*p))
		p++;
	if (p == s || *p != '(' || s[strlen(s) - 1] != ')')
		return NULL;
	name = xstrndup(s, (size_t)(p - s));
	if (abi_globs_match(functions, name))
		return name;
	free(name);
	return NULL;
}

static void add_stmt(struct mv_function *fn, const struct mv_stmt *st)
{
	ARRAY_GROW(fn->stmts, fn->n, fn->alloc);
	fn->stmts[fn->n++] = *st;
}

/*
 * The statements of a function body in order: text between `;`, `{` and `}`
 * outside parentheses. An assignment inside an `if` counts as if it always
 * ran: options functions rarely branch, and when they do the field is set.
 */
static void parse_body(struct mv_function *fn, const struct abi_machine_rules *rules,
		       const struct abi_side *side, const struct abi_extent *e)
{
	const char *t = side->code;
	size_t i = e->open + 1, start = i, end = e->close < side->len ? e->close : side->len;
	int depth = 0;

	for (; i <= end; i++) {
		char c = i < end ? t[i] : ';';
		char *text;
		struct mv_stmt st;

		if (c == '"' || c == '\'') {
			char q = c;

			for (i++; i < end && t[i] != q; i++) {
				if (t[i] == '\\')
					i++;
			}
			continue;
		}
		if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		if (depth > 0 || (c != ';' && c != '{' && c != '}'))
			continue;
		text = abi_normalise(t + start, i - start, true);
		start = i + 1;
		memset(&st, 0, sizeof(st));
		if (parse_stmt(&st, text, &rules->receivers)) {
			add_stmt(fn, &st);
		} else if ((st.callee = parse_call(text, &rules->functions)) != NULL) {
			add_stmt(fn, &st);
		}
		free(text);
	}
}

void abi_machine_model_build(struct abi_machine_model *out, const struct abi_machine_rules *rules,
			     const struct abi_side *side)
{
	size_t i, j, k, alloc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < side->nextents; i++) {
		const struct abi_extent *e = &side->extents[i];
		struct mv_function fn;

		if (e->kind != ABI_EXTENT_FUNCTION || !e->name ||
		    !abi_globs_match(&rules->functions, e->name))
			continue;
		memset(&fn, 0, sizeof(fn));
		fn.name = xstrdup(e->name);
		fn.versioned = version_from_identifier(&fn.version, e->name) == 0;
		parse_body(&fn, rules, side, e);
		ARRAY_GROW(out->fns, out->n, alloc);
		out->fns[out->n++] = fn;
	}
	for (i = 0; i < out->n; i++) {
		for (j = 0; j < out->fns[i].n; j++) {
			const char *callee = out->fns[i].stmts[j].callee;

			for (k = 0; callee && k < out->n; k++) {
				if (k != i && !strcmp(out->fns[k].name, callee))
					out->fns[k].called = true;
			}
		}
	}
}

void abi_machine_model_release(struct abi_machine_model *model)
{
	size_t i, j;

	for (i = 0; i < model->n; i++) {
		for (j = 0; j < model->fns[i].n; j++) {
			free(model->fns[i].stmts[j].key);
			free(model->fns[i].stmts[j].value);
			free(model->fns[i].stmts[j].callee);
		}
		free(model->fns[i].stmts);
		free(model->fns[i].name);
	}
	free(model->fns);
	memset(model, 0, sizeof(*model));
}

static const struct mv_function *find_fn(const struct abi_machine_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		if (!strcmp(m->fns[i].name, name))
			return &m->fns[i];
	}
	return NULL;
}

/* Whether key is `whole` itself or one of its members ("a" covers "a.b" and "a[1]"). */
static bool within(const char *key, const char *whole)
{
	size_t n = strlen(whole);

	return !strncmp(key, whole, n) && (!key[n] || key[n] == '.' || key[n] == '[');
}

static void env_set(struct mv_env *env, const char *key, const char *value)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		if (!strcmp(env->v[i].key, key)) {
			free(env->v[i].value);
			env->v[i].value = xstrdup(value);
			return;
		}
	}
	ARRAY_GROW(env->v, env->n, env->alloc);
	env->v[env->n].key = xstrdup(key);
	env->v[env->n++].value = xstrdup(value);
}

/* An assignment to a whole field replaces whatever its members held. */
static void env_clear(struct mv_env *env, const char *whole)
{
	size_t i, kept = 0;

	for (i = 0; i < env->n; i++) {
		if (within(env->v[i].key, whole)) {
			free(env->v[i].key);
			free(env->v[i].value);
			continue;
		}
		env->v[kept++] = env->v[i];
	}
	env->n = kept;
}

static const char *env_get(const struct mv_env *env, const char *key)
{
	size_t i;

	for (i = 0; i < env->n; i++) {
		if (!strcmp(env->v[i].key, key))
			return env->v[i].value;
	}
	return NULL;
}

static void env_release(struct mv_env *env)
{
	size_t i;

	/* Every entry: env_clear(env, "") would keep all but a key "" itself. */
	for (i = 0; i < env->n; i++) {
		free(env->v[i].key);
		free(env->v[i].value);
	}
	free(env->v);
	memset(env, 0, sizeof(*env));
}

static const struct abi_bitmask_value *bitmask_of(const struct abi_machine_rules *rules,
						  const char *value, const char **args)
{
	size_t i, n;

	for (i = 0; i < rules->nbitmasks; i++) {
		n = strlen(rules->bitmasks[i].call);
		if (!strncmp(value, rules->bitmasks[i].call, n) && value[n] == '(' &&
		    value[strlen(value) - 1] == ')') {
			*args = value + n + 1;
			return &rules->bitmasks[i];
		}
	}
	return NULL;
}

static void apply_assignment(struct mv_env *env, const struct abi_machine_rules *rules,
			     const struct mv_stmt *st)
{
	const struct abi_bitmask_value *bm;
	const char *args;

	if (st->compound) {
		const char *was = env_get(env, st->key);
		struct strbuf v = STRBUF_INIT;

		strbuf_addf(&v, "%s %s", was ? was : "", st->value);
		env_set(env, st->key, v.buf);
		strbuf_release(&v);
		return;
	}
	env_clear(env, st->key);
	bm = bitmask_of(rules, st->value, &args);
	if (!bm) {
		env_set(env, st->key, st->value);
		return;
	}
	/* spapr_caps(A | B): members A and B set, the rest cleared */
	{
		char *flags = xstrndup(args, strlen(args) - 1), *p, *save = NULL;

		for (p = strtok_r(flags, "| ", &save); p; p = strtok_r(NULL, "| ", &save)) {
			struct strbuf k = STRBUF_INIT;

			if (!strcmp(p, "0"))
				continue;
			strbuf_addf(&k, "%s.%s[%s]", st->key, bm->member, p);
			env_set(env, k.buf, bm->set);
			strbuf_release(&k);
		}
		free(flags);
	}
}

static void run(struct mv_env *env, const struct abi_machine_rules *rules,
		const struct abi_machine_model *m, const struct mv_function *fn, int depth)
{
	size_t i;

	if (depth > 32)
		return; /* a cycle: options functions do not recurse */
	for (i = 0; i < fn->n; i++) {
		const struct mv_stmt *st = &fn->stmts[i];

		if (st->callee) {
			const struct mv_function *callee = find_fn(m, st->callee);

			if (callee)
				run(env, rules, m, callee, depth + 1);
		} else {
			apply_assignment(env, rules, st);
		}
	}
}

/* Whether setting up the machine `fn` describes runs the function named `target`. */
static bool reaches(const struct abi_machine_model *m, const struct mv_function *fn,
		    const char *target, int depth)
{
	const struct mv_function *t = find_fn(m, target);
	size_t i;

	if (!strcmp(fn->name, target) || (t && !t->versioned && !t->called))
		return true; /* itself, or a base every machine runs */
	if (depth > 32)
		return false;
	for (i = 0; i < fn->n; i++) {
		const struct mv_function *callee;

		if (fn->stmts[i].callee && (callee = find_fn(m, fn->stmts[i].callee)) != NULL &&
		    reaches(m, callee, target, depth + 1))
			return true;
	}
	return false;
}

/* Whether a versioned options function the set-up of `fn` runs sets `key`, a member or its whole. */
static bool pinned(const struct abi_machine_model *m, const struct mv_function *fn, const char *key,
		   int depth)
{
	size_t i;

	for (i = 0; depth <= 32 && i < fn->n; i++) {
		const struct mv_stmt *st = &fn->stmts[i];
		const struct mv_function *callee;

		if (st->callee) {
			if ((callee = find_fn(m, st->callee)) != NULL && pinned(m, callee, key, depth + 1))
				return true;
		} else if (fn->versioned && (within(st->key, key) || within(key, st->key))) {
			return true;
		}
	}
	return false;
}

/* The effective values of the machine `fn` describes (NULL: the bases alone). */
static void effective(struct mv_env *env, const struct abi_machine_rules *rules,
		      const struct abi_machine_model *m, const struct mv_function *fn)
{
	size_t i;

	memset(env, 0, sizeof(*env));
	for (i = 0; i < m->n; i++) {
		if (!m->fns[i].versioned && !m->fns[i].called)
			run(env, rules, m, &m->fns[i], 0);
	}
	if (fn)
		run(env, rules, m, fn, 0);
}

/* A value that means nothing set (0, false, SPAPR_CAP_OFF) is the same as none. */
static bool same_value(const struct abi_machine_rules *rules, const char *a, const char *b)
{
	bool na = !a || abi_globs_match(&rules->neutral_values, a);
	bool nb = !b || abi_globs_match(&rules->neutral_values, b);
	char *ca, *cb;
	bool same;

	if (na || nb)
		return na && nb;
	ca = strip_blanks(a);
	cb = strip_blanks(b);
	same = !strcmp(ca, cb);
	free(ca);
	free(cb);
	return same;
}

static bool is_member_name(const struct abi_machine_rules *rules, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < rules->nbitmasks; i++) {
		if (strlen(rules->bitmasks[i].member) == n && !strncmp(rules->bitmasks[i].member, s, n))
			return true;
	}
	return false;
}

/*
 * A setting new to the file: no options function of its old side sets the
 * key (`all_old`: every assignment there, bitmasks read as members), and some
 * identifier of it (other than a bitmask's member name) is absent from the
 * old side's code.
 */
static bool new_to_file(const struct abi_machine_rules *rules, const struct mv_env *all_old,
			const char *key, const char *old_code)
{
	const char *p = key;
	size_t i;

	for (i = 0; i < all_old->n; i++) {
		if (within(all_old->v[i].key, key) || within(key, all_old->v[i].key))
			return false;
	}

	while (*p) {
		const char *s = p, *q;
		size_t n;
		bool found = false;

		if (!abi_is_ident(*p) || isdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		while (abi_is_ident(*p))
			p++;
		n = (size_t)(p - s);
		if (is_member_name(rules, s, n))
			continue;
		for (q = old_code; !found && (q = strstr(q, s)) != NULL; q++) {
			found = !strncmp(q, s, n) && (q == old_code || !abi_is_ident(q[-1])) &&
				!abi_is_ident(q[n]);
			if (found)
				break;
		}
		if (!found)
			return true;
	}
	return false;
}

/* Compares key (and its members) between two environments; see abi_machine_compare. */
static void compare_env(struct abi_machine_change *out, const struct abi_machine_rules *rules,
			const struct mv_env *a, const struct mv_env *b, const char *whole,
			const struct mv_env *all_old, const char *old_code)
{
	const struct mv_env *sides[2] = { a, b };
	size_t s, i;

	for (s = 0; s < 2; s++) {
		for (i = 0; i < sides[s]->n; i++) {
			const char *key = sides[s]->v[i].key;

			if (!within(key, whole) ||
			    same_value(rules, env_get(a, key), env_get(b, key)))
				continue;
			if (new_to_file(rules, all_old, key, old_code))
				out->new_setting = true;
			else
				out->moved = true;
		}
	}
}

static void add_version(struct strbuf *out, const struct qversion *v)
{
	strbuf_addf(out, "%s%d.%d", out->len ? " " : "", v->major, v->minor);
	if (v->micro >= 0)
		strbuf_addf(out, ".%d", v->micro);
}

void abi_machine_compare(struct abi_machine_change *out, const struct abi_machine_rules *rules,
			 const struct abi_machine_model *old, const struct abi_machine_model *new,
			 const char *key, const char *function, bool on_new_side,
			 const char *old_code)
{
	struct strbuf versions = STRBUF_INIT;
	struct mv_env all_old;
	size_t i, j;
	bool any_versioned = false;

	memset(out, 0, sizeof(*out));
	memset(&all_old, 0, sizeof(all_old));
	for (i = 0; i < old->n; i++) {
		for (j = 0; j < old->fns[i].n; j++) {
			if (!old->fns[i].stmts[j].callee)
				apply_assignment(&all_old, rules, &old->fns[i].stmts[j]);
		}
	}
	for (i = 0; i < new->n; i++) {
		const struct mv_function *nf = &new->fns[i], *of;
		struct mv_env a, b;
		struct abi_machine_change one;

		if (!nf->versioned)
			continue;
		any_versioned = true;
		of = find_fn(old, nf->name);
		if (!of)
			continue; /* a machine new to the file changes no released one */
		if (!(on_new_side ? reaches(new, nf, function, 0) : reaches(old, of, function, 0)))
			continue; /* the changed line does not set this machine up */
		effective(&a, rules, old, of);
		effective(&b, rules, new, nf);
		memset(&one, 0, sizeof(one));
		compare_env(&one, rules, &a, &b, key, &all_old, old_code);
		if (one.moved || one.new_setting) {
			add_version(&versions, &nf->version);
			if (one.new_setting && pinned(new, nf, key, 0))
				strbuf_addch(&versions, '=');
		}
		out->moved |= one.moved;
		out->new_setting |= one.new_setting;
		env_release(&a);
		env_release(&b);
	}
	if (!any_versioned) {
		/* no versioned machine in the file: the bases are what every machine gets */
		struct mv_env a, b;

		effective(&a, rules, old, NULL);
		effective(&b, rules, new, NULL);
		compare_env(out, rules, &a, &b, key, &all_old, old_code);
		env_release(&a);
		env_release(&b);
		strbuf_release(&versions);
		out->versions = NULL;
	} else {
		out->versions = strbuf_detach(&versions, NULL);
	}
	env_release(&all_old);
}

/* Whether version v (as written in `versions`) is a machine of a stream whose release is X.Y. */
static bool released_by(const struct qversion *v, const struct qversion *stream, bool *own)
{
	*own = v->major == stream->major && v->minor == stream->minor && v->micro < 0;
	return v->major < stream->major ||
	       (v->major == stream->major &&
		(v->minor < stream->minor || (v->minor == stream->minor && v->micro < 0)));
}

static void append_detail(struct abi_evidence *e, const char *fmt, const struct qversion *stream)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, e->detail);
	strbuf_addf(&sb, fmt, stream->major, stream->minor);
	free(e->detail);
	e->detail = strbuf_detach(&sb, NULL);
}

void abi_machine_judge(struct abi_evidence *e, const struct qversion *stream)
{
	bool any = !e->versions, own_pinned = false;
	char *copy, *p, *save = NULL;

	if (e->strength <= ABI_REVIEW)
		return;
	copy = xstrdup(e->versions ? e->versions : "");
	for (p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		struct qversion v;
		bool is_own;

		memset(&v, 0, sizeof(v));
		v.micro = -1;
		if (sscanf(p, "%d.%d.%d", &v.major, &v.minor, &v.micro) < 2)
			continue;
		if (released_by(&v, stream, &is_own))
			any = true;
		own_pinned |= is_own && p[strlen(p) - 1] == '=';
	}
	free(copy);
	if (!any) {
		e->strength = ABI_REVIEW;
		append_detail(e, " (moves only machines newer than %d.%d)", stream);
	} else if (e->new_setting && own_pinned) {
		/*
		 * Upstream's policy: a new setting the commit writes into the
		 * options of the release before it gives that release what it had.
		 */
		e->strength = ABI_REVIEW;
		append_detail(e, " (a setting new to the file that the %d.%d machines' options pin)",
			      stream);
	}
}
