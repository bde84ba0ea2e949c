/*
 * Scoring of mtcheck's verdicts against a labelled list of real backports
 * (tests/accuracy/cases.txt): reads the list, the findings of an audit
 * (--format json) and, optionally, each stream's `backports --format json`,
 * and computes precision and recall per rule, per rule and severity, and per
 * labelled signal kind. Plain C and jansson only, so that `make accuracy`
 * runs wherever mtcheck builds.
 */
#ifndef MT_ACCURACY_H
#define MT_ACCURACY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define ACC_ERRSZ 512

/* One rule at one severity, "ABI001" / "error". */
struct acc_verdict {
	char rule[16];
	char severity[16];
};

struct acc_verdicts {
	struct acc_verdict *v;
	size_t n;
};

struct acc_case {
	unsigned line;		   /* line in the list */
	char *stream;		   /* "stable-2.11" */
	char *commit;		   /* stable commit, 7 to 40 hex digits */
	char *upstream;		   /* upstream commit, NULL when labelled "-" */
	struct acc_verdicts expected; /* empty: guest-invisible ("none") */
	char *signal;		   /* the kind of evidence expected to carry it */
	char *reason;		   /* one line, the labeller's words */

	/* Filled from mtcheck's output. */
	struct acc_verdicts got;   /* scored rules only, each once */
	char *message;		   /* first scored finding's message, or NULL */
	bool checked;		   /* the stream's backports were given */
	bool found;		   /* ...and this commit is one of them */
	char *tool_upstream;	   /* upstream mtcheck matched, or NULL */
	char *evidence;		   /* evidence signals `backports` shows, comma-separated */
};

struct acc_list {
	struct acc_case *cases;
	size_t n;
	char **rules; /* rules named by some expected verdict, sorted: the scored rules */
	size_t n_rules;
};

struct acc_score {
	unsigned tp, fp, fn, tn;
};

/*
 * Parses the list text (name is used in messages). Lines: blank or '#'
 * comment, else "STREAM COMMIT UPSTREAM VERDICT SIGNAL REASON...", where
 * UPSTREAM is hex or "-", VERDICT is "none" or RULE:SEVERITY[,RULE:SEVERITY].
 * On error returns -1 with "name:line: what" in err.
 */
int acc_list_parse(struct acc_list *out, const char *name, const char *text, char *err);
int acc_list_load(struct acc_list *out, const char *path, char *err);
void acc_list_release(struct acc_list *l);

/* Reads findings (mtcheck check/audit --format json) into each case's got. */
int acc_apply_findings(struct acc_list *l, const char *name, const char *json, char *err);
/* Reads one stream's `backports --format json`: marks cases found, their upstream and evidence. */
int acc_apply_backports(struct acc_list *l, const char *name, const char *json, char *err);

/* Loads a whole file into a NUL-terminated string; -1 with a message in err. */
int acc_read_file(char **out, const char *path, char *err);

/* True when the case takes part in scoring (not checked, or found in its stream). */
bool acc_case_scored(const struct acc_case *c);
bool acc_verdicts_equal(const struct acc_verdicts *a, const struct acc_verdicts *b);
/* Scores one rule; severity NULL means at any severity. */
struct acc_score acc_score_rule(const struct acc_list *l, const char *rule, const char *severity);
/* Scores the cases labelled with this signal kind: positive means any scored finding. */
struct acc_score acc_score_signal(const struct acc_list *l, const char *signal, unsigned *exact);

/* Writes the whole report: totals, per rule, per signal, mismatches. */
void acc_report(FILE *out, const struct acc_list *l);

#endif
