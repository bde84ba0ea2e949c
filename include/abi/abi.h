/*
 * abi: guest-ABI evidence from a commit's diff. Classifies what a commit
 * changes for guests of existing machine types into evidence items, each
 * naming a signal (declared in rules/abi-signals.json), a strength, the file
 * and line, and what changed. Which paths, functions, macros and shapes each
 * signal looks at is data in rules/abi-signals.json; the scanning is C.
 *
 * Signals found here from the diff and both sides of each changed file:
 *   machine-class-field  class fields assigned in machine options functions
 *   machine-version-code statements added to or removed from the function
 *                        of one machine version (options, compat, init)
 *   property-default     a DEFINE_PROP_* default changed
 *   property-added       a property added with a default that is not neutral
 *   property-removed     a property removed
 *   cpu-model            CPU model tables (.features, .versions) changed
 *   cpuid-filter         CPUID computation/filtering code changed
 *   cpu-feature-name     a CPUID feature bit named or renamed
 *   vmstate-version      VMStateDescription .version_id/.minimum_version_id
 *   vmstate-field        VMState fields added without version or test,
 *                        removed, or reordered
 *   vmstate-subsection   a subsection added whose description has no .needed
 *   acpi-expected        expected ACPI tables changed
 *   virtio-feature       a virtio feature bit offered to the guest added or
 *                        removed (calls, feature-mask assignments)
 *   hypercall            a hypercall registration added or removed
 *   io-address           an address #define in a device header changed
 *   unreadable-c         (review) a changed C file csrc cannot read on one
 *                        side: the file gives no other evidence
 * And through the machines parser (rules/families.json says which files):
 *   compat-array         a compat property entry added, removed or changed
 *   machine-latest       a different machine became a family's latest/alias
 * And for a backport, from its upstream commit (abi_classify_backport):
 *   upstream-compat      upstream added compat entries for the stream's own
 *                        release or newer: the fix changes that machine's
 *                        ABI, so the backport does too unless a bugfix
 *                        machine comes with it
 * And from upstream's follow-ups (abi_add_followup_compat):
 *   followup-compat      a master commit whose Fixes: names the upstream
 *                        commit added compat entries for the stream's
 *                        release or newer
 *
 * C is read by csrc, as the machines parser reads it. Never fires on:
 * comment-only or whitespace-only edits, code moved within the same
 * function (or whole functions moved), code csrc finds dead (`#if 0`), test
 * files (other than expected ACPI tables), properties added with a neutral
 * default (false, 0, off: the old behaviour).
 *
 * May call machines (to parse both sides of a machine file), repo and util.
 *
 * Ownership: an abi_config and an abi_evidence_list belong to the caller,
 * who releases them with abi_config_release / abi_evidence_list_release.
 */
#ifndef MT_ABI_H
#define MT_ABI_H

#include <stdbool.h>
#include <stddef.h>

#include "machines/families.h"
#include "util/jsonfile.h"
#include "util/oid.h"
#include "util/oidmap.h"
#include "util/qversion.h"
#include "repo/repo.h"

/* Weakest first, so a larger value is stronger evidence. */
enum abi_strength {
	ABI_REVIEW = 1,     /* "review": worth a human look */
	ABI_LIKELY = 2,     /* "likely": probably guest-visible */
	ABI_CHANGE = 3,     /* "abi-change": changes what existing machine types' guests see */
};

/* "review", "likely", "abi-change". */
const char *abi_strength_name(enum abi_strength strength);
/* Parses a strength name; returns 0 or MT_ERROR without a message. */
int abi_strength_parse(enum abi_strength *out, const char *name);

struct abi_evidence {
	char *signal;     /* a signal id from rules/abi-signals.json */
	enum abi_strength strength;
	char *path;       /* the file, new side (old side for deletions) */
	int line;         /* new-side line; old-side line when `removed`; 0 for a whole file */
	bool removed;     /* the evidence is text the commit removed */
	char *detail;     /* one short line naming what changed */
	/*
	 * Structured parts, NULL when they do not apply, so later passes can
	 * match evidence without parsing `detail`: the thing changed (property
	 * name, `m->field`, vmstate name, CPU model name), its old and new values.
	 */
	char *subject;
	char *old_value;
	char *new_value;
	/* Set by abi_evidence_cover_defaults: the compat array that keeps the old value. */
	char *covered_by;
	/*
	 * compat-array and upstream-compat items: the array ("hw_compat_10_0")
	 * and the machine version it holds back, when its name says one.
	 */
	char *array;
	bool has_array_version;
	struct qversion array_version;
	/*
	 * machine-class-field items of a file with versioned machines: the
	 * versions whose effective value the change moves, blank-separated
	 * ("2.12 2.11"); NULL when every machine's is (a base in a file without
	 * versioned machines). A version ends in '=' ("2.11=") when the change
	 * gives it a setting new to the file and a versioned options function its
	 * set-up runs sets that setting: the commit pins that machine's value.
	 * abi_judge_for_stream keeps the item counted only when one of them is a
	 * machine the stream released, and not when the change only gives the
	 * stream's own X.Y machines a new setting their options pin.
	 */
	char *versions;
	/*
	 * machine-class-field: the change only gives machines a setting new to
	 * the file (a new capability): no machine had another value of it.
	 */
	bool new_setting;
	/*
	 * machine-version-code and machine-class-field items: a C file in which
	 * the same commit changed a function no machine version owns (code
	 * every machine runs), and that change's first line; NULL and 0 when
	 * there is none (abi_note_shared_code). An older version's function
	 * changed with such code holds the older machines on the old behaviour
	 * while the newer ones, the stream's among them, take the new one.
	 */
	char *shared_path;
	int shared_line;
};

struct abi_evidence_list {
	struct abi_evidence *items;
	size_t count;
	size_t alloc;
};

void abi_evidence_list_init(struct abi_evidence_list *list);
void abi_evidence_list_release(struct abi_evidence_list *list);
/* Appends deep copies of every item of `from` to `out`, in order (no sort). */
void abi_evidence_list_append(struct abi_evidence_list *out, const struct abi_evidence_list *from);
/* Sorts by path, line, signal, detail: the order every caller sees. */
void abi_evidence_list_sort(struct abi_evidence_list *list);

struct abi_signal {
	char *id;
	enum abi_strength strength;
	char *summary;
	char *needs; /* NULL when implemented here; else the module that provides it */
};

struct abi_config; /* the parsed rules/abi-signals.json; see abi_config.c */

/*
 * Loads and validates rules/abi-signals.json (unknown keys, wrong types,
 * undeclared or duplicate signals are errors naming file:line:col).
 * *out is allocated; free it with abi_config_free.
 */
int abi_config_from_json(struct abi_config **out, const struct json_file *file);
/* abi_config_from_json on the file at `path`. */
int abi_config_load(struct abi_config **out, const char *path);
/* Loads "<rules_dir>/abi-signals.json" (the directory rulesdir.h finds). */
int abi_config_load_dir(struct abi_config **out, const char *rules_dir);
void abi_config_free(struct abi_config *config);
/* The declared signals, in file order. */
const struct abi_signal *abi_config_signals(const struct abi_config *config, size_t *out_count);

/*
 * Classifies `commit` against its first parent (the empty tree for a root
 * commit) and appends its evidence to `out` (initialised by the caller),
 * sorted. Only modified files are read as C; added and deleted files can
 * only give acpi-expected evidence (a new file is a new device, not a change
 * to an existing one). Only the files some signal's paths name (or the
 * machines parser reads) are diffed and read: a commit touching none costs
 * a walk of the trees that changed. Errors (unreadable objects) are set once
 * and returned; `out` then holds what was found before the error.
 */
int abi_classify_commit(struct abi_evidence_list *out, struct mt_repo *repo,
			const struct abi_config *config, const struct families *fams,
			const struct mt_oid *commit);

/*
 * Only the compat-array and machine-latest evidence of `commit`: what an
 * upstream commit contributes to its backport's evidence. Reads only the
 * machine files the commit changes, without a text diff, so it is much
 * cheaper than abi_classify_commit. Same conventions.
 */
int abi_classify_machines(struct abi_evidence_list *out, struct mt_repo *repo,
			  const struct abi_config *config, const struct families *fams,
			  const struct mt_oid *commit);

/*
 * Evidence for a backport to the stream whose release is `stream` (X.Y):
 * the backport's own evidence, then, when `upstream` is not NULL, one
 * upstream-compat item for every compat entry the upstream commit added or
 * changed in an array for version X.Y or newer (path and line are the
 * upstream commit's). Appended to `out`, sorted.
 */
int abi_classify_backport(struct abi_evidence_list *out, struct mt_repo *repo,
			  const struct abi_config *config, const struct families *fams,
			  const struct mt_oid *backport, const struct mt_oid *upstream,
			  const struct qversion *stream);

/*
 * What of a commit's own evidence holds for a stream whose release is
 * `stream`, where the answer depends on the stream's era (rules/abi-
 * signals.json says from which release): a migration subsection without
 * `.needed` is never sent before vmstate.unneeded_sent_from, whose save
 * loop stops at it, so the change it marks migrates unmarked there: the
 * item stays, its detail saying so. machine-class-field items are judged
 * against the stream's machines (abi_machine_judge). The first step of
 * abi_classify_backport.
 */
void abi_judge_for_stream(struct abi_evidence_list *list, const struct abi_config *config,
			  const struct qversion *stream);

/*
 * A stream's backports in order (`lists[i]` the evidence of `commits[i]`;
 * NULL for a merge): an expected-ACPI-table update is attributed to the
 * commits of its series that changed the table code (the update itself, or
 * those before it back to the previous update, at most 8 backports): each
 * gets the acpi-expected items, as abi-change when its code touches
 * resources (I/O ports, _CRS, _SUN, SRAT) and likely otherwise, and the
 * update loses them. An update with no code commit in sight keeps them.
 * A commit's acpi-code items go once judged; unjudged, they stay as likely
 * when the code builds AML or resources, and go when it is other code.
 */
void abi_attribute_acpi(struct abi_evidence_list *const *lists, const struct mt_oid *const *commits,
			size_t count);

/* Whether the config declares upstream-compat (so a backport's upstream commit is read). */
bool abi_wants_upstream(const struct abi_config *config);

/*
 * The upstream-compat part of abi_classify_backport, for a caller that has
 * both classifications already (the jobs module's memo): appends to `out`,
 * the backport's own evidence, the items `theirs` (abi_classify_machines of
 * `upstream`) gives for a stream whose release is `stream`, and sorts it.
 */
void abi_add_upstream_compat(struct abi_evidence_list *out, const struct abi_config *config,
			     const struct abi_evidence_list *theirs, const struct mt_oid *upstream,
			     const struct qversion *stream);

/* Whether the config declares followup-compat (so follow-ups are read at all). */
bool abi_wants_followups(const struct abi_config *config);
/*
 * followup-compat evidence for a backport of `upstream` to the stream X.Y,
 * from one follow-up (a master commit whose Fixes: trailer names `upstream`
 * and that the stream did not take; history_followups_missing) whose
 * abi_classify_machines is `theirs` (the jobs module's memo has it): one
 * item for every compat entry it added to an array for X.Y or newer, unless
 * the backport's own evidence in `out` adds the same entry. Path and line
 * are the follow-up's; `detail` names it. Appended to `out`, unsorted.
 */
void abi_add_followup_compat(struct abi_evidence_list *out, const struct abi_config *config,
			     const struct abi_evidence_list *theirs, const struct mt_oid *followup,
			     const struct mt_oid *upstream, const struct qversion *stream);

/*
 * The property that turns feature bit `bit` (a virtio-feature item's
 * subject) on or off for a device of the file at `path`: a
 * DEFINE_PROP_BIT/BIT64 naming the bit in that file or in a property file
 * of the signal (rules/abi-signals.json, "property_files"), at `commit`.
 * Returns 1 with *out_name and *out_default allocated (the caller frees
 * them), 0 when no property names the bit, MT_ERROR when a file cannot be
 * read (message set).
 */
int abi_feature_property(char **out_name, char **out_default, struct mt_repo *repo,
			 const struct abi_config *config, const struct mt_oid *commit,
			 const char *path, const char *bit);

/*
 * A compat property entry a commit added, as the machines model will report
 * it (`{driver, property, value}` in `array`).
 */
struct abi_compat_entry {
	const char *array;    /* "hw_compat_4_0" */
	const char *driver;
	const char *property;
	const char *value;
};

/*
 * A default changed together with a compat entry that keeps the old value
 * for older machines is the normal upstream pattern, not a silent change:
 * every property-default item whose property and old value match an entry
 * added by the same commit, and every property-added item with an entry
 * giving that property a value other than its new default, is downgraded
 * to review and gets `covered_by`
 * set to the entry's array (which machine versions that array covers, and so
 * whether the stream's own machine is covered, is for the rules to judge).
 * Matching is by property name and value: DEFINE_PROP_* does not name the
 * QOM type, so the driver is not compared. Returns how many were covered.
 */
size_t abi_evidence_cover_defaults(struct abi_evidence_list *list,
				   const struct abi_compat_entry *added, size_t count);

#endif
