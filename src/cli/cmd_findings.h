/* What `check` and `audit` share: options, set-up, suppression and output. Not a public interface. */
#ifndef MT_CMD_FINDINGS_H
#define MT_CMD_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "abi/abi.h"
#include "cli/cli.h"
#include "cli/progress.h"
#include "engine/engine.h"
#include "machines/families.h"
#include "policy/finding.h"
#include "history/history.h"
#include "machines/machines.h"
#include "policy/policy.h"
#include "report/report.h"
#include "util/strbuf.h"

struct findings_args {
	const char *fail_on;
	const char *waivers;
	const char *baseline;
	const char *write_baseline;
	const char *today;
	const char *master;
	const char *jobs;
	const char *config_from; /* --config-from REF: where .mtcheck.json is read */
	const char *as_of;
	int show_suppressed;
	int include_staging;
	struct policy_overrides over;
};

/* The options both commands take, for their cli_option tables. */
#define FINDINGS_OPTIONS(a) \
	{ "fail-on", 0, CLI_STRING, &(a).fail_on }, \
	{ "waivers", 0, CLI_STRING, &(a).waivers }, \
	{ "baseline", 0, CLI_STRING, &(a).baseline }, \
	{ "write-baseline", 0, CLI_STRING, &(a).write_baseline }, \
	{ "show-suppressed", 0, CLI_FLAG, &(a).show_suppressed }, \
	{ "today", 0, CLI_STRING, &(a).today }, \
	{ "master", 0, CLI_STRING, &(a).master }, \
	{ "include-staging", 0, CLI_FLAG, &(a).include_staging }, \
	{ "jobs", 'j', CLI_STRING, &(a).jobs }, \
	{ "config-from", 0, CLI_STRING, &(a).config_from }, \
	{ "as-of", 0, CLI_STRING, &(a).as_of }, \
	{ "enable", 0, CLI_STRING, &(a).over.enable }, \
	{ "disable", 0, CLI_STRING, &(a).over.disable }, \
	{ "severity", 0, CLI_STRING, &(a).over.severity }, \
	{ "param", 0, CLI_STRING, &(a).over.param }

/* The help text for those options. */
#define FINDINGS_HELP \
	"  --fail-on LEVEL          exit 1 on findings at or above error (default),\n" \
	"                           warning, info; none never fails\n" \
	"  --waivers FILE           hide findings a waiver names (with its reason)\n" \
	"  --baseline FILE          hide findings recorded in FILE\n" \
	"  --write-baseline FILE    record the findings in FILE\n" \
	"  --show-suppressed        list hidden findings too\n" \
	"  --today YYYY-MM-DD       the date waivers expire against (default: today)\n" \
	"  --master REF             the upstream branch (default: master, else origin/master)\n" \
	"  --include-staging        treat staging-X.Y queues as streams\n" \
	"  --config-from REF        read .mtcheck.json from REF (check --since: default BASE)\n" \
	"  --as-of REF|DATE         the history as it stood then: tags, branches and\n" \
	"                           commits not after it (DATE: YYYY-MM-DD, its end)\n" \
	"  -j, --jobs N             processes classifying backports (default: one per\n" \
	"                           processor this process may use, at most 8)\n" \
	"  --enable IDS, --disable IDS, --severity ID=LEVEL,..., --param ID.NAME=N,...\n" \
	"                           override the policy (as for 'mtcheck rules')\n"

struct findings_run {
	struct findings_args args;
	int fail_on;
	struct families fams;
	struct abi_config *abi;
	struct policy policy;
	struct mt_repo *repo;
	struct mt_history history;
	struct model_cache cache;
	struct engine engine;
	struct jobs *jobs;  /* started by findings_policy, for the engine */
	bool whole_master; /* set before findings_open when every stream is checked (audit) */
	unsigned workers;  /* --jobs less one, or jobs_default_workers() */
	bool have_fams, have_history, have_engine;
	struct report_ref *refs; /* what the report says it read (names owned) */
	size_t nrefs;
	/* For the reports: what was run, on which ref and commit (NULL/unset when none). */
	const char *title;
	const char *branch;
	struct mt_oid revision;
	bool has_revision;
	/* The command that fetches what a CI clone lacks, named when something is missing. */
	const char *setup_hint;
	struct progress progress;
};

/* Records a ref the run read, for the report to name. */
void findings_add_ref(struct findings_run *run, const char *role, const char *name,
		      const struct mt_oid *commit);
/*
 * Where .mtcheck.json is read: --config-from REF when given (resolved here;
 * recorded as a ref read), else `fallback` named `fallback_label` (NULL: no
 * configuration).
 */
int findings_config_commit(struct findings_run *run, const struct mt_oid **out,
			   const char **out_label, const struct mt_oid *fallback,
			   const char *fallback_label);

/* Loads the rules, opens the repository and its history. */
int findings_open(struct findings_run *run, const struct mt_options *opts);
/*
 * Applies .mtcheck.json at `commit` (labelled `label`; NULL: none), then the
 * command line; starts the engine.
 */
int findings_policy(struct findings_run *run, const struct mt_oid *commit, const char *label);
/*
 * `check` of one stream as the engine sees it: the stream in full and
 * reported, every other stream of another X.Y as context. Call after
 * findings_policy.
 */
int findings_add_checked(struct findings_run *run, const struct mt_stream *stream);
/* Releases the engine (findings_policy starts a new one). */
void findings_engine_close(struct findings_run *run);
/* The built-in policy and rules directory again, before another findings_policy. */
int findings_policy_reload(struct findings_run *run, const struct mt_options *opts);
/*
 * Runs the engine, suppresses, writes the report (text through `text`, NULL:
 * the plain text report) and returns the exit status.
 */
typedef void (*findings_text_fn)(struct strbuf *out, const struct report *report, void *payload);
int findings_report(struct findings_run *run, const struct mt_options *opts,
		    findings_text_fn text, void *payload);
void findings_close(struct findings_run *run);

#endif
