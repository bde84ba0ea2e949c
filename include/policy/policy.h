/*
 * policy: the rule catalogue (rules/rules.json: ids, titles, default
 * severities, texts, parameters) and the settings in force for one run.
 * Settings come in three layers, each overriding the one before: the
 * catalogue (built-in), the repository's .mtcheck.json, the command line.
 * Every effective setting remembers which layer set it, for `mtcheck rules`.
 * Owns findings too (finding.h: what a rule reports, the engine fills) and
 * what suppresses them (suppress.h: waivers, baselines).
 *
 * May call repo (.mtcheck.json at a ref) and util; the engine reads it.
 *
 * Ownership: a struct policy owns everything it points to; policy_release()
 * frees it. Pointers into it (struct rule_def *) live as long as the policy.
 */
#ifndef MT_POLICY_H
#define MT_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"
#include "util/jsonfile.h"

/* Ordered: a higher value is more severe. */
enum mt_severity {
	MT_SEVERITY_INFO = 1,
	MT_SEVERITY_WARNING = 2,
	MT_SEVERITY_ERROR = 3,
};

/* "error", "warning", "info". */
const char *severity_name(enum mt_severity severity);
/* Parses those names; returns 0, or -1 without a message. */
int severity_parse(enum mt_severity *out, const char *text);

enum policy_origin {
	POLICY_BUILTIN,     /* the catalogue's default */
	POLICY_REPOSITORY,  /* the repository's .mtcheck.json */
	POLICY_COMMAND_LINE,
};

/* "built-in", "repository", "command line". */
const char *policy_origin_name(enum policy_origin origin);

/* An integer parameter of a rule (windows, caps, counts). */
struct rule_param {
	char *name;
	char *description;
	long long default_value;
	long long min, max;        /* the range a value must be in (max: at most MT_LIMIT_PARAM_VALUE) */
	long long value;           /* effective */
	enum policy_origin origin; /* who set value */
};

struct rule_def {
	char *id;          /* "ABI001" */
	char *title;       /* one line */
	char *message;     /* template with {name} placeholders; see rule_message_format */
	char *explanation; /* what the finding means */
	char *rationale;   /* why the policy says so, with the real cases */
	char *next_step;   /* what to do about a finding, or NULL */
	enum mt_severity default_severity;
	struct rule_param *params; /* sorted by name */
	size_t nparams;

	/* Effective settings. */
	enum mt_severity severity;
	enum policy_origin severity_origin;
	bool enabled;
	enum policy_origin enabled_origin;
};

struct policy {
	char *catalogue_path; /* the rules.json read */
	char *config_name;    /* the repository file applied, or NULL */
	struct rule_def *rules; /* in catalogue order (sorted by id) */
	size_t nrules;
	/* Streams the repository file declares maintained ("stable-9.2"), sorted. */
	char **maintained;
	size_t nmaintained;
};

/* Command-line overrides: comma-separated lists, any of them NULL. */
struct policy_overrides {
	const char *enable;   /* "ABI002,BFM005" */
	const char *disable;  /* "LIFE001" */
	const char *severity; /* "ABI002=warning,MIG001=error" */
	const char *param;    /* "BFM003.maintained_window_months=6" */
};

void policy_init(struct policy *policy);
void policy_release(struct policy *policy);

/*
 * Loads a catalogue: a JSON object {"schema": 1, "rules": [...]}, each rule
 * with id, title, severity, message, explanation, rationale and parameters
 * ({name: {default, min, description}}). Unknown keys, duplicate or
 * malformed ids, and rules out of id order are errors naming file:line:col.
 * `policy` must be freshly initialised.
 */
int policy_catalogue_from_json(struct policy *policy, const struct json_file *file);
/* policy_catalogue_from_json on the file at `path`. */
int policy_load_catalogue(struct policy *policy, const char *path);
/* Loads rules.json from the rules directory `rules_dir` (rulesdir.h finds it). */
int policy_load(struct policy *policy, const char *rules_dir);

/*
 * Applies a repository configuration (.mtcheck.json) given as text; `name`
 * is used in messages and recorded (e.g. "HEAD:.mtcheck.json"):
 *   {"schema": 1,
 *    "rules": {"ABI002": {"enabled": false, "severity": "warning",
 *                         "parameters": {"name": 3}}},
 *    "maintained_streams": ["stable-9.2"]}
 * Every key is optional; unknown keys, rule ids and parameters are errors.
 */
int policy_apply_config(struct policy *policy, const char *name, const char *text, size_t len);
#define POLICY_CONFIG_FILE ".mtcheck.json"

struct mt_repo;
struct mt_oid;
/*
 * Applies POLICY_CONFIG_FILE as it is at `commit` of repo, when it exists
 * there; `label` names the commit in messages ("HEAD:.mtcheck.json:3:5: ...").
 * The caller decides which commit: the tip being checked, usually.
 */
int policy_apply_repo_config(struct policy *policy, struct mt_repo *repo,
			     const struct mt_oid *commit, const char *label);
/* Applies command-line overrides (rule ids case-insensitive). */
int policy_apply_overrides(struct policy *policy, const struct policy_overrides *overrides);

/* The rule with this id, compared case-insensitively, or NULL. */
const struct rule_def *policy_rule(const struct policy *policy, const char *id);
/*
 * Appends to out the ids closest to `id` (edit distance, case-insensitive,
 * at most 3 of them, nearest first, ties by id): "ABI001, ABI002".
 */
void policy_suggest(struct strbuf *out, const struct policy *policy, const char *id);
/* True when the repository file lists the stream as maintained. */
bool policy_stream_listed(const struct policy *policy, const char *stream);

/* The effective value of a parameter; `name` must be one the catalogue defines. */
long long rule_param(const struct rule_def *rule, const char *name);
/* The same, returning MT_ENOTFOUND (no message) for a name the rule lacks. */
int rule_param_get(long long *out, const struct rule_def *rule, const char *name);

/*
 * Expands a message template: "{machine}" becomes the value paired with
 * "machine" in vars (NULL-terminated name, value, name, value, ..., NULL).
 * Unknown placeholders are kept as written.
 */
void rule_message_format(struct strbuf *out, const char *tmpl, const char *const *vars);

#endif
