/*
 * policy: any bytes as each of the policy files in turn: a rule catalogue,
 * a repository configuration applied to the shipped catalogue, a waiver
 * file and a baseline. Each load either fails with one line without control
 * characters naming the file, or gives what its header promises.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "fuzz.h"
#include "util/jsonfile.h"
#include "policy/policy.h"
#include "policy/suppress.h"

/* policy_catalogue_from_json on text in memory. */
static int policy_parse_catalogue(struct policy *policy, const char *name, const char *text,
				  size_t len)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = policy_catalogue_from_json(policy, &jf);
	json_file_release(&jf);
	return ret;
}

/* waiver_set_from_json on text in memory. */
static int waiver_set_parse(struct waiver_set *out, const struct policy *policy, const char *name,
			    const char *text, size_t len, int64_t now)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = waiver_set_from_json(out, policy, &jf, now);
	json_file_release(&jf);
	return ret;
}

/* baseline_from_json on text in memory. */
static int baseline_parse(struct baseline *out, const char *name, const char *text, size_t len)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = baseline_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

/* 2025-01-01T00:00:00Z: waivers expire against a fixed date. */
#define FUZZ_NOW 1735689600

/* The shipped catalogue, loaded once: read-only after that. */
static const struct json_file *shipped_text(void)
{
	static struct json_file loaded;
	static int state;

	if (!state) {
		if (json_file_load(&loaded, FUZZ_RULES_FILE("rules.json")) < 0)
			abort();
		state = 1;
	}
	return &loaded;
}

static const struct policy *shipped(void)
{
	static struct policy loaded;
	static int state;

	if (!state) {
		const struct json_file *f = shipped_text();

		policy_init(&loaded);
		if (policy_parse_catalogue(&loaded, "rules.json", f->text, strlen(f->text)) < 0)
			abort();
		state = 1;
	}
	return &loaded;
}

static void check_error(const char *name)
{
	assert(!strncmp(mt_error_last(), name, strlen(name)));
	assert(!strpbrk(mt_error_last(), "\n\r\033\t"));
}

static void check_rules(const struct policy *p)
{
	size_t i, j;

	for (i = 0; i < p->nrules; i++) {
		const struct rule_def *r = &p->rules[i];

		assert(r->id && *r->id && r->title && r->message);
		assert(i == 0 || strcmp(p->rules[i - 1].id, r->id) < 0);
		assert(policy_rule(p, r->id) == r);
		assert(r->severity >= MT_SEVERITY_INFO && r->severity <= MT_SEVERITY_ERROR);
		for (j = 0; j < r->nparams; j++) {
			assert(r->params[j].value >= r->params[j].min);
			assert(j == 0 || strcmp(r->params[j - 1].name, r->params[j].name) < 0);
		}
	}
	for (i = 0; i < p->nmaintained; i++)
		assert(i == 0 || strcmp(p->maintained[i - 1], p->maintained[i]) < 0);
}

static void fuzz_catalogue(const char *text, size_t size)
{
	struct policy p;

	policy_init(&p);
	mt_error_clear();
	if (policy_parse_catalogue(&p, "rules.json", text, size) < 0)
		check_error("rules.json");
	else
		check_rules(&p);
	policy_release(&p);
}

static void fuzz_config(const char *text, size_t size)
{
	const struct json_file *f = shipped_text();
	struct policy p;

	policy_init(&p);
	if (policy_parse_catalogue(&p, "rules.json", f->text, strlen(f->text)) < 0)
		abort();
	mt_error_clear();
	if (policy_apply_config(&p, ".mtcheck.json", text, size) < 0)
		check_error(".mtcheck.json");
	else
		check_rules(&p);
	policy_release(&p);
}

static void fuzz_waivers(const char *text, size_t size)
{
	struct waiver_set set;
	size_t i;

	mt_error_clear();
	if (waiver_set_parse(&set, shipped(), "waivers.json", text, size, FUZZ_NOW) < 0) {
		check_error("waivers.json");
		return;
	}
	for (i = 0; i < set.nr; i++) {
		const struct waiver *w = &set.items[i];

		assert(policy_rule(shipped(), w->rule));
		assert(w->reason && *w->reason);
		assert(w->commit || w->upstream || w->machine || w->stream);
		assert(!w->bad_date || w->expired);
		assert(w->where && !strncmp(w->where, "waivers.json", 12));
	}
	waiver_set_release(&set);
}

static void fuzz_baseline(const char *text, size_t size)
{
	struct baseline b;
	size_t i;

	mt_error_clear();
	if (baseline_parse(&b, "baseline.json", text, size) < 0) {
		check_error("baseline.json");
		return;
	}
	for (i = 0; i < b.nr; i++)
		assert(i == 0 || strcmp(b.fingerprints[i - 1], b.fingerprints[i]) < 0);
	for (i = 0; i < b.nr; i++)
		assert(baseline_take(&b, b.fingerprints[i]));
	baseline_release(&b);
}

FUZZ_TARGET(policy)
{
	const char *text = (const char *)data;

	fuzz_catalogue(text, size);
	fuzz_config(text, size);
	fuzz_waivers(text, size);
	fuzz_baseline(text, size);
	return 0;
}
