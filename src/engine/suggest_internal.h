/*
 * What suggest's parts share (src/engine/suggest*.c); not a public interface.
 *
 * suggest_edit.c changes the text of a branch's files the way a maintainer
 * adds a bugfix machine X.Y.Z: edit_tree holds a branch's files as read
 * and as changed, edit_add_bugfix makes the change for one family.
 */
#ifndef MT_SUGGEST_INTERNAL_H
#define MT_SUGGEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "machines/families.h"
#include "repo/repo.h"
#include "util/strbuf.h"

struct edit_file {
	char *path;
	struct strbuf old;  /* as the branch has it */
	struct strbuf text; /* as changed so far */
};

/* A branch's files, read on first use. edit_tree_release() frees them. */
struct edit_tree {
	struct mt_repo *repo;
	struct mt_oid commit;
	struct edit_file *v;
	size_t n, alloc;
};

void edit_tree_init(struct edit_tree *t, struct mt_repo *repo, const struct mt_oid *commit);
void edit_tree_release(struct edit_tree *t);
/* The file at `path`, read on first use; MT_ENOTFOUND (no message) when the branch lacks it. */
int edit_tree_file(struct edit_file **out, struct edit_tree *t, const char *path);
/* Appends the diff of every changed file, by path; *changed says whether there was one. */
int edit_tree_diff(struct strbuf *out, size_t *changed, const struct edit_tree *t);

/* A compat entry to keep X.Y machines as they were: the array kind and the line as written. */
struct compat_line {
	char *array; /* "hw_compat", "pc_compat" */
	char *text;  /* `    { "qemu-xhci", "intrs", "16" },` without its newline */
};

/* A family getting X.Y.Z, and its file holding the X.Y machine in this tree. */
struct bugfix_target {
	const struct family *fam;
	const char *path;
};

struct bugfix_request {
	const struct families *fams;
	const struct bugfix_target *targets;
	size_t ntargets;
	int major, minor, micro;
	/*
	 * The stream's own branch: X.Y's arrays do not exist yet and are made,
	 * and a machine marked latest by an argument or an alias hands that to
	 * X.Y.Z (as v4.0.1 did). On master and newer streams the entries move
	 * out of the shared X.Y arrays into arrays the X.Y machines alone apply.
	 */
	bool own_stream;
	const struct compat_line *entries;
	size_t nentries;
	const char *why;       /* the backport's subject, for the comment above X.Y.Z */
};

/*
 * Adds bugfix machine X.Y.Z of each target family to the tree, right above
 * X.Y (the file lists machines newest first), with the X.Y-only compat
 * entries split off once for all. `note` gets one line per thing a person
 * must look at.
 */
int edit_add_bugfix(struct edit_tree *t, const struct bugfix_request *r, struct strbuf *note);

/* What the policy says for one family whose X.Y machines a backport changes. */
struct suggest_family {
	const struct machine *machine; /* X.Y at the stream's tip */
	const struct family *fam;
	const char *rule;              /* NULL: a bugfix machine; else BFM001, BFM005 or REG001 */
	char *why;                     /* with a rule: the sentence saying why not */
};

/* The families of backport b of the checked stream, in the tip's machine order. */
int suggest_families(struct suggest_family **out, size_t *n, struct engine *e,
		     const struct engine_backport *b);
void suggest_families_free(struct suggest_family *v, size_t n);
/* The micro of the bugfix machines: `micro`, or when negative the stream's next release. */
int suggest_micro(const struct engine_stream *s, int micro);
/*
 * Whether backport b's ABI001 finding is about machines older than the
 * stream's X.Y (up to *older): a bugfix machine X.Y.Z would answer nothing,
 * so suggest plans none and says what to review, as the finding does.
 */
bool suggest_about_older(struct qversion *older, struct engine *e, const struct engine_backport *b);
/* That review, for a plan or a series' notes: one line without its newline. */
void suggest_older_review(struct strbuf *out, const struct engine_stream *s,
			  const struct qversion *older);

#endif
