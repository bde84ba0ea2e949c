/* Labelled list, mtcheck's verdicts on it, and the scores: see accuracy.h. */
#include "accuracy.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void fail(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ACC_ERRSZ, fmt, ap);
	va_end(ap);
}

static char *dup_range(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *dup_str(const char *s)
{
	return s ? dup_range(s, strlen(s)) : NULL;
}

int acc_read_file(char **out, const char *path, char *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f) {
		fail(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				abort();
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	if (ferror(f)) {
		fail(err, "%s: read error", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		fail(err, "%s: contains a NUL byte", path);
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

/* ---- The list ---- */

static bool is_hex(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return false;
	return true;
}

static bool is_word(const char *s, bool upper)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(isdigit(c) || c == '-' || c == '.' || c == '_' || (upper ? isupper(c) : islower(c))))
			return false;
	}
	return true;
}

static bool valid_severity(const char *s)
{
	return !strcmp(s, "error") || !strcmp(s, "warning") || !strcmp(s, "info");
}

static int verdict_cmp(const void *a, const void *b)
{
	const struct acc_verdict *x = a, *y = b;
	int c = strcmp(x->rule, y->rule);

	return c ? c : strcmp(x->severity, y->severity);
}

static bool verdicts_have(const struct acc_verdicts *vs, const char *rule, const char *severity)
{
	for (size_t i = 0; i < vs->n; i++)
		if (!strcmp(vs->v[i].rule, rule) && (!severity || !strcmp(vs->v[i].severity, severity)))
			return true;
	return false;
}

/* Adds rule:severity unless already there; keeps the set sorted. */
static void verdicts_add(struct acc_verdicts *vs, const char *rule, const char *severity)
{
	struct acc_verdict *v;

	if (verdicts_have(vs, rule, severity))
		return;
	vs->v = realloc(vs->v, (vs->n + 1) * sizeof(*vs->v));
	if (!vs->v)
		abort();
	v = &vs->v[vs->n++];
	snprintf(v->rule, sizeof(v->rule), "%s", rule);
	snprintf(v->severity, sizeof(v->severity), "%s", severity);
	qsort(vs->v, vs->n, sizeof(*vs->v), verdict_cmp);
}

bool acc_verdicts_equal(const struct acc_verdicts *a, const struct acc_verdicts *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (verdict_cmp(&a->v[i], &b->v[i]))
			return false;
	return true;
}

static int parse_verdict(struct acc_verdicts *out, char *text)
{
	char *save = NULL;
	size_t len = strlen(text);

	if (!strcmp(text, "none"))
		return 0;
	/* strtok_r would skip empty items: "A:error,,B:warning" and a trailing comma are typos. */
	if (!len || text[0] == ',' || text[len - 1] == ',' || strstr(text, ",,"))
		return -1;
	for (char *tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		if (!colon)
			return -1;
		*colon = '\0';
		if (!is_word(tok, true) || strlen(tok) >= sizeof(out->v->rule) ||
		    !valid_severity(colon + 1) || verdicts_have(out, tok, NULL))
			return -1;
		verdicts_add(out, tok, colon + 1);
	}
	return out->n ? 0 : -1;
}

static void case_release(struct acc_case *c)
{
	free(c->stream);
	free(c->commit);
	free(c->upstream);
	free(c->expected.v);
	free(c->signal);
	free(c->reason);
	free(c->got.v);
	free(c->message);
	free(c->tool_upstream);
	free(c->evidence);
}

/* Splits off the next blank-separated field of *p; NULL at the end of the line. */
static char *next_field(char **p)
{
	char *s = *p, *start;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	start = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	if (*s)
		*s++ = '\0';
	*p = s;
	return start;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect_rules(struct acc_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct acc_verdicts *e = &l->cases[i].expected;
		for (size_t j = 0; j < e->n; j++) {
			bool seen = false;
			for (size_t k = 0; k < l->n_rules && !seen; k++)
				seen = !strcmp(l->rules[k], e->v[j].rule);
			if (seen)
				continue;
			l->rules = realloc(l->rules, (l->n_rules + 1) * sizeof(*l->rules));
			if (!l->rules)
				abort();
			l->rules[l->n_rules++] = dup_str(e->v[j].rule);
		}
	}
	if (l->n_rules) /* qsort's base must not be NULL, even for no element */
		qsort(l->rules, l->n_rules, sizeof(*l->rules), str_cmp);
}

/* One non-comment line; buf is modified. */
static int parse_line(struct acc_case *c, char *buf, const char *name, unsigned line, char *err)
{
	char *p = buf, *stream, *commit, *upstream, *verdict, *signal;

	memset(c, 0, sizeof(*c));
	c->line = line;
	stream = next_field(&p);
	commit = next_field(&p);
	upstream = next_field(&p);
	verdict = next_field(&p);
	signal = next_field(&p);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!signal || !*p) {
		fail(err, "%s:%u: expected STREAM COMMIT UPSTREAM VERDICT SIGNAL REASON", name, line);
		return -1;
	}
	if (strncmp(stream, "stable-", 7) || !is_word(stream + 7, false)) {
		fail(err, "%s:%u: stream \"%s\" is not stable-X.Y", name, line, stream);
		return -1;
	}
	if (!is_hex(commit, 7, 40)) {
		fail(err, "%s:%u: commit \"%s\" is not 7 to 40 lower-case hex digits", name, line, commit);
		return -1;
	}
	if (strcmp(upstream, "-") && !is_hex(upstream, 7, 40)) {
		fail(err, "%s:%u: upstream \"%s\" is neither hex nor \"-\"", name, line, upstream);
		return -1;
	}
	if (!is_word(signal, false)) {
		fail(err, "%s:%u: signal kind \"%s\" is not a lower-case word", name, line, signal);
		return -1;
	}
	c->stream = dup_str(stream);
	c->commit = dup_str(commit);
	c->upstream = strcmp(upstream, "-") ? dup_str(upstream) : NULL;
	c->signal = dup_str(signal);
	c->reason = dup_str(p);
	if (parse_verdict(&c->expected, verdict) < 0) {
		fail(err, "%s:%u: verdict must be \"none\" or RULE:error|warning|info[,RULE:...], each rule once",
		     name, line);
		return -1;
	}
	return 0;
}

static bool same_commit(const char *a, const char *b)
{
	size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);

	return !strncmp(a, b, n);
}

int acc_list_parse(struct acc_list *out, const char *name, const char *text, char *err)
{
	unsigned line = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	while (*text) {
		const char *eol = strchr(text, '\n');
		size_t len = eol ? (size_t)(eol - text) : strlen(text);
		char *buf = dup_range(text, len), *s = buf;
		struct acc_case c;

		line++;
		text += len + (eol ? 1 : 0);
		if (len && buf[len - 1] == '\r')
			buf[len - 1] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#') {
			free(buf);
			continue;
		}
		if (parse_line(&c, s, name, line, err) < 0) {
			case_release(&c);
			free(buf);
			goto out;
		}
		free(buf);
		for (size_t i = 0; i < out->n; i++) {
			if (!strcmp(out->cases[i].stream, c.stream) && same_commit(out->cases[i].commit, c.commit)) {
				fail(err, "%s:%u: %s %s is already labelled on line %u", name, line, c.stream,
				     c.commit, out->cases[i].line);
				case_release(&c);
				goto out;
			}
		}
		out->cases = realloc(out->cases, (out->n + 1) * sizeof(*out->cases));
		if (!out->cases)
			abort();
		out->cases[out->n++] = c;
	}
	if (!out->n) {
		fail(err, "%s: no labelled case", name);
		goto out;
	}
	collect_rules(out);
	ret = 0;
out:
	if (ret < 0)
		acc_list_release(out);
	return ret;
}

int acc_list_load(struct acc_list *out, const char *path, char *err)
{
	char *text;
	int ret;

	memset(out, 0, sizeof(*out));
	if (acc_read_file(&text, path, err) < 0)
		return -1;
	ret = acc_list_parse(out, path, text, err);
	free(text);
	return ret;
}

void acc_list_release(struct acc_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		case_release(&l->cases[i]);
	free(l->cases);
	for (size_t i = 0; i < l->n_rules; i++)
		free(l->rules[i]);
	free(l->rules);
	memset(l, 0, sizeof(*l));
}

/* ---- mtcheck's output ---- */

static bool is_scored_rule(const struct acc_list *l, const char *rule)
{
	for (size_t i = 0; i < l->n_rules; i++)
		if (!strcmp(l->rules[i], rule))
			return true;
	return false;
}

static json_t *load_json(const char *name, const char *text, const char *key, char *err)
{
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);

	if (!root) {
		fail(err, "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_array(json_object_get(root, key))) {
		fail(err, "%s: no \"%s\" array (not mtcheck's JSON output?)", name, key);
		json_decref(root);
		return NULL;
	}
	return root;
}

int acc_apply_findings(struct acc_list *l, const char *name, const char *json, char *err)
{
	json_t *root = load_json(name, json, "findings", err), *f;
	size_t i;

	if (!root)
		return -1;
	json_array_foreach(json_object_get(root, "findings"), i, f) {
		const char *rule = json_string_value(json_object_get(f, "rule"));
		const char *sev = json_string_value(json_object_get(f, "severity"));
		const char *stream = json_string_value(json_object_get(f, "stream"));
		const char *commit = json_string_value(json_object_get(f, "commit"));
		const char *msg = json_string_value(json_object_get(f, "message"));

		if (!rule || !sev) {
			fail(err, "%s: finding %zu has no rule or severity", name, i);
			json_decref(root);
			return -1;
		}
		if (!stream || !commit || !is_scored_rule(l, rule))
			continue;
		for (size_t k = 0; k < l->n; k++) {
			struct acc_case *c = &l->cases[k];
			if (strcmp(c->stream, stream) || !same_commit(c->commit, commit))
				continue;
			verdicts_add(&c->got, rule, sev);
			if (!c->message && msg)
				c->message = dup_str(msg);
		}
	}
	json_decref(root);
	return 0;
}

/* Appends sig to the comma-separated list *list unless it is there. */
static void list_add(char **list, const char *sig)
{
	size_t n = *list ? strlen(*list) : 0, k = strlen(sig);
	const char *p = *list;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == k && !strncmp(p, sig, k))
			return;
		p += len + (comma ? 1 : 0);
	}
	*list = realloc(*list, n + k + 2);
	if (!*list)
		abort();
	if (n)
		(*list)[n++] = ',';
	memcpy(*list + n, sig, k + 1);
}

static void apply_backport(struct acc_case *c, json_t *b)
{
	const char *up = json_string_value(json_object_get(b, "upstream"));
	json_t *e;
	size_t i;

	c->found = true;
	free(c->tool_upstream);
	c->tool_upstream = dup_str(up);
	json_array_foreach(json_object_get(b, "evidence"), i, e) {
		const char *sig = json_string_value(json_object_get(e, "signal"));
		if (sig)
			list_add(&c->evidence, sig);
	}
}

int acc_apply_backports(struct acc_list *l, const char *name, const char *json, char *err)
{
	json_t *root = load_json(name, json, "backports", err), *b;
	const char *stream;
	size_t i;

	if (!root)
		return -1;
	stream = json_string_value(json_object_get(root, "stream"));
	if (!stream) {
		fail(err, "%s: no \"stream\"", name);
		json_decref(root);
		return -1;
	}
	for (size_t k = 0; k < l->n; k++)
		if (!strcmp(l->cases[k].stream, stream))
			l->cases[k].checked = true;
	json_array_foreach(json_object_get(root, "backports"), i, b) {
		const char *commit = json_string_value(json_object_get(b, "commit"));
		if (!commit)
			continue;
		for (size_t k = 0; k < l->n; k++) {
			struct acc_case *c = &l->cases[k];
			if (!strcmp(c->stream, stream) && same_commit(c->commit, commit))
				apply_backport(c, b);
		}
	}
	json_decref(root);
	return 0;
}

/* ---- Scores ---- */

bool acc_case_scored(const struct acc_case *c)
{
	return !c->checked || c->found;
}

static void count(struct acc_score *s, bool expected, bool got)
{
	if (expected && got)
		s->tp++;
	else if (got)
		s->fp++;
	else if (expected)
		s->fn++;
	else
		s->tn++;
}

struct acc_score acc_score_rule(const struct acc_list *l, const char *rule, const char *severity)
{
	struct acc_score s = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		const struct acc_case *c = &l->cases[i];
		if (acc_case_scored(c))
			count(&s, verdicts_have(&c->expected, rule, severity),
			      verdicts_have(&c->got, rule, severity));
	}
	return s;
}

struct acc_score acc_score_signal(const struct acc_list *l, const char *signal, unsigned *exact)
{
	struct acc_score s = { 0 };

	*exact = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct acc_case *c = &l->cases[i];
		if (!acc_case_scored(c) || strcmp(c->signal, signal))
			continue;
		count(&s, c->expected.n > 0, c->got.n > 0);
		if (acc_verdicts_equal(&c->expected, &c->got))
			(*exact)++;
	}
	return s;
}

/* ---- Report ---- */

static void print_ratio(FILE *out, unsigned num, unsigned den)
{
	char buf[32];

	if (den)
		snprintf(buf, sizeof(buf), "%.1f%% (%u/%u)", 100.0 * num / den, num, den);
	else
		snprintf(buf, sizeof(buf), "n/a");
	fprintf(out, "  %-16s", buf);
}

static void print_score(FILE *out, const char *label, struct acc_score s)
{
	fprintf(out, "%-22s %4u %4u %4u %4u", label, s.tp, s.fp, s.fn, s.tn);
	print_ratio(out, s.tp, s.tp + s.fp);
	print_ratio(out, s.tp, s.tp + s.fn);
	fputc('\n', out);
}

static void print_verdicts(FILE *out, const struct acc_verdicts *vs)
{
	if (!vs->n) {
		fputs("none", out);
		return;
	}
	for (size_t i = 0; i < vs->n; i++)
		fprintf(out, "%s%s:%s", i ? "," : "", vs->v[i].rule, vs->v[i].severity);
}

static void print_rules(FILE *out, const struct acc_list *l)
{
	static const char *const severities[] = { "error", "warning", "info" };

	fprintf(out, "%-22s %4s %4s %4s %4s  %-16s  %-16s\n", "rule", "TP", "FP", "FN", "TN", "precision",
		"recall");
	for (size_t r = 0; r < l->n_rules; r++) {
		char label[64];
		print_score(out, l->rules[r], acc_score_rule(l, l->rules[r], NULL));
		for (size_t k = 0; k < sizeof(severities) / sizeof(*severities); k++) {
			struct acc_score s = acc_score_rule(l, l->rules[r], severities[k]);
			if (s.tp + s.fp + s.fn == 0)
				continue;
			snprintf(label, sizeof(label), "  %s %s", l->rules[r], severities[k]);
			print_score(out, label, s);
		}
	}
}

static void print_signals(FILE *out, const struct acc_list *l)
{
	char **seen = calloc(l->n ? l->n : 1, sizeof(*seen));
	size_t n = 0;

	if (!seen)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		bool dup = false;
		for (size_t k = 0; k < n && !dup; k++)
			dup = !strcmp(seen[k], l->cases[i].signal);
		if (!dup)
			seen[n++] = l->cases[i].signal;
	}
	qsort(seen, n, sizeof(*seen), str_cmp);
	fprintf(out, "%-22s %4s %4s %4s %4s  %-16s  %-16s  %s\n", "signal (labelled)", "TP", "FP", "FN", "TN",
		"precision", "recall", "exact verdict");
	for (size_t k = 0; k < n; k++) {
		unsigned exact;
		struct acc_score s = acc_score_signal(l, seen[k], &exact);
		unsigned total = s.tp + s.fp + s.fn + s.tn;
		if (!total)
			continue;
		fprintf(out, "%-22s %4u %4u %4u %4u", seen[k], s.tp, s.fp, s.fn, s.tn);
		print_ratio(out, s.tp, s.tp + s.fp);
		print_ratio(out, s.tp, s.tp + s.fn);
		fprintf(out, "  %u/%u\n", exact, total);
	}
	free(seen);
}

static void print_case_id(FILE *out, const struct acc_case *c)
{
	fprintf(out, "%s %.12s %s", c->stream, c->commit, c->signal);
}

static void print_mismatches(FILE *out, const struct acc_list *l)
{
	unsigned n = 0;

	for (size_t i = 0; i < l->n; i++)
		if (acc_case_scored(&l->cases[i]) && !acc_verdicts_equal(&l->cases[i].expected, &l->cases[i].got))
			n++;
	fprintf(out, "mismatches: %u\n", n);
	for (size_t i = 0; i < l->n; i++) {
		const struct acc_case *c = &l->cases[i];
		if (!acc_case_scored(c) || acc_verdicts_equal(&c->expected, &c->got))
			continue;
		fputs("  ", out);
		print_case_id(out, c);
		fputs(": expected ", out);
		print_verdicts(out, &c->expected);
		fputs(", got ", out);
		print_verdicts(out, &c->got);
		if (c->checked)
			fprintf(out, " [evidence: %s]", c->evidence ? c->evidence : "none");
		if (c->message)
			fprintf(out, " [mtcheck: %s]", c->message);
		fprintf(out, " [label: %s]\n", c->reason);
	}
}

static void print_unmatched(FILE *out, const struct acc_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct acc_case *c = &l->cases[i];
		if (!acc_case_scored(c)) {
			fputs("not a backport of its stream in this history (not scored): ", out);
			print_case_id(out, c);
			fputc('\n', out);
		} else if (c->found && c->upstream &&
			   (!c->tool_upstream || !same_commit(c->upstream, c->tool_upstream))) {
			fputs("upstream differs: ", out);
			print_case_id(out, c);
			fprintf(out, ": labelled %.12s, mtcheck matched %.12s\n", c->upstream,
				c->tool_upstream ? c->tool_upstream : "none");
		}
	}
}

void acc_report(FILE *out, const struct acc_list *l)
{
	size_t streams = 0, scored = 0, positive = 0;

	for (size_t i = 0; i < l->n; i++) {
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup = !strcmp(l->cases[k].stream, l->cases[i].stream);
		streams += !dup;
		if (acc_case_scored(&l->cases[i])) {
			scored++;
			positive += l->cases[i].expected.n > 0;
		}
	}
	fprintf(out, "accuracy: %zu labelled backports in %zu streams; %zu scored: %zu with a finding expected, "
		"%zu guest-invisible\n\n", l->n, streams, scored, positive, scored - positive);
	print_rules(out, l);
	fputc('\n', out);
	print_signals(out, l);
	fputc('\n', out);
	print_unmatched(out, l);
	print_mismatches(out, l);
}
