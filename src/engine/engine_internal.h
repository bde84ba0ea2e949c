/* What the engine shares with the rules (src/rules_*.c); not a public interface. */
#ifndef MT_ENGINE_INTERNAL_H
#define MT_ENGINE_INTERNAL_H

#include "engine/engine.h"
#include "util/strbuf.h"

/* A rule: appends its findings for every stream of the engine through engine_emit. */
typedef int (*engine_rule_fn)(struct engine *e, const struct rule_def *rule,
			      struct finding_list *out);

struct engine_rule {
	const char *id;
	engine_rule_fn run;
};

/* The table, keyed by rule id, ending with a NULL id (src/engine/engine_rules.c). */
extern const struct engine_rule engine_rules[];

/* One finding as a rule describes it; engine_emit fills in the rest. */
struct emit {
	const struct rule_def *rule;
	enum mt_severity severity;           /* 0: the rule's effective severity */
	const struct engine_stream *stream;  /* the stream it is reported on; NULL: project */
	const char *stream_name;             /* overrides stream->stream.name ("master") */
	const struct engine_stream *cause;   /* where the commit is; NULL: same as stream */
	const struct engine_backport *bp;    /* the commit it is about, or NULL */
	const struct engine_backport *cause_bp; /* the commit that brought it; NULL: bp */
	bool about_backport;                 /* a backport finding (check's pre-tag scope) */
	const struct mt_oid *commit;         /* without bp: a commit that is no backport (master's) */
	const char *subject;                 /* its subject */
	const char *machine;
	const char *path;
	int line;
	const char *key;
	const char *const *vars;             /* extra message placeholders, NULL-terminated */
};

void engine_emit(struct engine *e, struct finding_list *out, const struct emit *em);
/* A finding about a machine the stream introduced, at its definition, naming the backport. */
void engine_emit_intro(struct engine *e, const struct rule_def *rule,
		       const struct engine_stream *s, const struct engine_intro *in,
		       const char *const *vars, const char *key, struct finding_list *out);

/* The rules, one function each (src/rules_*.c). */
int rule_abi001(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_abi002(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_abi003(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_bfm001(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_bfm002(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_bfm003(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_bfm004(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_bfm005(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_bfm006(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_life001(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_life002(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_mig001(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_mig002(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_pol001(struct engine *e, const struct rule_def *rule, struct finding_list *out);
int rule_reg001(struct engine *e, const struct rule_def *rule, struct finding_list *out);

/* Presence over time (src/engine/engine_presence.c). */
/*
 * The machines at a commit (a full model when one was read, else one with
 * machines only: no VERSION, lifecycle or compat arrays); owned by the engine.
 */
int engine_machines_at(const struct model **out, struct engine *e, const struct mt_oid *commit);
int engine_has_machine(bool *out, struct engine *e, const struct mt_oid *commit, const char *name);
/* master's X.Y.0 release tags by date (one per X.Y), owned by the engine. */
void engine_master_releases(const struct mt_release ***out, size_t *n, struct engine *e);
/* A stream's releases by date; the array is the caller's to free(). */
size_t engine_stream_releases(const struct mt_release ***out, const struct engine *e,
			      const struct engine_stream *s);
/*
 * The commit between `from` (excluded) and `to` where the machine `name`
 * became present (`present`) or absent, on the first-parent history and,
 * when that is a merge, on the merged branch. MT_ENOTFOUND (no message)
 * when no commit there has that presence.
 */
int engine_find_change(struct mt_oid *out, struct engine *e, const struct mt_oid *from,
		       const struct mt_oid *to, const char *name, bool present);
/* "1a2b3c4d5e6f (subject, 2019-06-03)" of any commit. */
void engine_commit_label(struct strbuf *out, struct engine *e, const struct mt_oid *commit);

/* A bugfix machine still defined at the tip of the stream that introduced it. */
bool intro_is_bugfix(const struct engine_intro *in);

/* When a backport counts as come: the first release that shipped it, else its commit time. */
int64_t backport_shipped(const struct mt_backport *bp);
/*
 * Dates the context streams' bugfix machines as a full stream's are: by
 * the commit that brought each (found by bisection) and the release that
 * shipped it, so `suggest` (one stream read in full) counts the other
 * streams' bugfix machines in the year BFM005 counts them. Once per engine;
 * only suggest asks, so check does not walk the other streams' history.
 */
int engine_date_bugfixes(struct engine *e);
/*
 * A context stream's introductions, read on first need: check reads them
 * only for the streams whose machines can reach the checked one; suggest,
 * counting a year's bugfix machines, needs every stream's.
 */
int engine_context_intros(struct engine *e, struct engine_stream *s);

/* A bugfix machine a stream brought, and the year it counts in for BFM005. */
struct dated_bugfix {
	const struct engine_intro *in;
	int year;
};
/*
 * The dated bugfix machines the streams brought, each machine once
 * however many streams took it, in the earliest year one of them shipped it
 * (or, not yet released, committed it). BFM005 and `suggest` both count
 * from this list so they cannot disagree. Returns the count; *out is the
 * caller's to free.
 */
size_t engine_dated_bugfixes(const struct engine *e, struct dated_bugfix **out);

/*
 * REG001's question: the earliest backport before `c` whose guest-visible
 * evidence shares a subject with c's (c fixes what it broke), or NULL;
 * *out_ev is that evidence.
 */
const struct engine_backport *engine_regression_source(const struct engine_stream *s,
						       const struct engine_backport *c,
						       const struct abi_evidence **out_ev);

/* Helpers the rules share (src/engine/engine_query.c). */
/* "1a2b3c4d5e6f (subject)" of a backport. */
void backport_label(struct strbuf *out, const struct engine_backport *b);
/* The family whose files include `path`, or NULL. */
const struct family *family_of_path(const struct families *fams, const char *path);
/*
 * The families a change at `path` reaches, blank-separated ids appended to
 * `out` ("q35 i440fx"): the family whose file it is, else those whose
 * "scope" globs match (the architecture's own code), else those whose
 * "shared_scope" globs do (hw/acpi/: the families with ACPI tables);
 * nothing appended when it reaches every family (hw/net/, migration/).
 * False, with nothing appended, when it reaches none: code of an
 * architecture or board no family is for ("unversioned_scope").
 */
bool families_reached(struct strbuf *out, const struct families *fams, const char *path);
/* Whether family `id` is in a blank-separated list of ids; a NULL or empty list holds every family. */
bool family_in(const char *families, const char *id);
/* The non-rc X.Y.0 release tag, or NULL. */
const struct mt_release *release_of_minor(const struct mt_history *h, int major, int minor);

#endif
