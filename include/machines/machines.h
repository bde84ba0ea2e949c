/*
 * machines: the versioned machine types and compat property arrays a QEMU
 * tree defines, read from git objects through csrc and rules/families.json.
 *
 * Two levels:
 *  - one blob's text: machines_parse_blob() (the machines a family file
 *    defines) and compat_parse_blob() (the compat arrays a file defines), so
 *    the ABI classifier can parse both sides of a changed file;
 *  - one commit: model_load() reads every family file, the compat files,
 *    the lifecycle constants and VERSION, and computes each machine's
 *    lifecycle. A struct model_cache keeps blob-level results by blob oid,
 *    so the same file at many tags is parsed once.
 * model_diff() compares two models (or two one-file models of a blob's
 * sides): the one comparison `diff`, the ABI classifier and the engine use.
 *
 * May call repo (blobs at a commit) and util.
 *
 * Ownership: every struct here is plain data owned by whoever holds it;
 * *_release frees the contents. A model_cache must outlive nothing: models
 * copy what they take from it.
 */
#ifndef MT_MACHINES_H
#define MT_MACHINES_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "machines/families.h"
#include "util/oid.h"
#include "util/oidmap.h"
#include "util/qversion.h"
#include "util/strbuf.h"

struct mt_repo;

enum machine_kind { MACHINE_RELEASE, MACHINE_BUGFIX, MACHINE_TAGGED };
enum machine_lifecycle { LIFECYCLE_UNKNOWN, LIFECYCLE_SUPPORTED, LIFECYCLE_DEPRECATED,
			 LIFECYCLE_EXPIRED };

struct machine {
	char *family;             /* family id from families.json */
	char *name;               /* as users see it: "pc-q35-4.0.1" */
	struct qversion version;
	enum machine_kind kind;
	bool latest;              /* the family's default/alias machine */
	char *alias;              /* "q35" when latest, else NULL */
	char *path;
	int line;
	char *guard;              /* "CONFIG_X" when conditionally built, else NULL */
	/*
	 * Defined by a call passing the version as numbers (the 9.1 and later
	 * macros), which a tree with the lifecycle constants checks before it
	 * registers the machine; false for a name or version string.
	 */
	bool version_args;
	/*
	 * Set by model_load from the tree's own lifecycle constants; UNKNOWN at
	 * blob level and in a tree that defines no deletion cap (before 9.1).
	 */
	enum machine_lifecycle lifecycle;
};

struct compat_entry {
	char *driver;   /* as written: "virtio-gpu-device", TYPE_X86_CPU, "Opteron_G3-" TYPE_X86_CPU */
	char *property; /* NULL for a row made by a macro */
	char *value;
	bool optional;  /* .optional = true */
	char *row;      /* a row made by a macro call, as written, else NULL */
	int line;
};

struct compat_array {
	char *name;      /* "hw_compat_4_0", "HW_COMPAT_2_5", "compat" (function-local) */
	char *function;  /* enclosing function for local arrays, else NULL */
	bool has_version;
	struct qversion version; /* from the array's (or local array's function's) name */
	bool macro;      /* a 2.x-3.x #define list rather than an array */
	char *path;
	int line;
	char *guard;
	struct compat_entry *entries;
	size_t nentries;
	char **includes; /* other compat macros a macro list pulls in, in order */
	size_t nincludes;
};

struct machine_list {
	struct machine *v;
	size_t n;
	size_t alloc;
};

struct compat_list {
	struct compat_array *v;
	size_t n;
	size_t alloc;
};

/* Versioned machines of `family` defined in `text` (the file at `path`); appended to out. */
int machines_parse_blob(struct machine_list *out, const struct family *family,
			const char *path, const char *text, size_t len);
/* Compat arrays and compat macro lists defined in `text`; appended to out. */
int compat_parse_blob(struct compat_list *out, const struct families *fams,
		      const char *path, const char *text, size_t len);

void machine_release(struct machine *m);
void machine_copy(struct machine *out, const struct machine *m);
/*
 * Appends m's name for people to read, with its architecture when another
 * machine of `others` (n of them) has the same name in another family:
 * "virt-7.2 (arm)" beside "virt-7.2 (m68k)". The architecture is the
 * family id up to its first '-' ("arm-virt" -> "arm"). `suffix` (may be
 * NULL) goes right after the name: ".1" for the bugfix machine to add.
 */
void machine_display_name(struct strbuf *out, const struct machine *m, const char *suffix,
			  const struct machine *others, size_t n);
void machine_list_release(struct machine_list *l);
void compat_array_release(struct compat_array *a);
void compat_array_copy(struct compat_array *out, const struct compat_array *a);
void compat_list_release(struct compat_list *l);

/*
 * "M.m" or "M.m.u" from an identifier's underscore-separated numeric parts:
 * hw_compat_4_0 -> 4.0, pc_q35_4_0_1_machine_options -> 4.0.1. Returns 0 or -1.
 */
int version_from_identifier(struct qversion *out, const char *ident);

/* Lifecycle of machine version v in a QEMU whose VERSION is qemu (domain.md §3). */
enum machine_lifecycle machine_lifecycle_at(const struct qversion *v, const struct qversion *qemu,
					    int deprecation_major, int deletion_major);
/* v moved on by n releases of the three-a-year cadence (4.0 and later): 10.2 + 1 = 11.0. */
void qversion_add_releases(struct qversion *v, int n);
const char *machine_kind_name(enum machine_kind kind);
const char *machine_lifecycle_name(enum machine_lifecycle life); /* NULL for UNKNOWN */

struct model_cache {
	struct oidmap blobs; /* blob oid -> parsed results (private) */
};

void model_cache_init(struct model_cache *cache);
void model_cache_release(struct model_cache *cache);

struct model {
	struct mt_oid commit;
	bool has_version;
	struct qversion version;  /* VERSION at the commit */
	int deprecation_major;
	int deletion_major;
	/*
	 * Header the lifecycle constants came from; NULL when the tree defines
	 * no deletion cap (before 9.1), and then no machine has a lifecycle.
	 */
	char *lifecycle_source;
	struct machine_list machines; /* by family order in families.json, newest first */
	struct compat_list compat;    /* by path order in families.json, then file order */
};

/* Reads the model at `commit`. `cache` may be NULL (no reuse across calls). */
int model_load(struct model *out, struct model_cache *cache, struct mt_repo *repo,
	       const struct families *fams, const struct mt_oid *commit);
/*
 * The machines at `commit` only: no VERSION, lifecycle constants (every
 * lifecycle UNKNOWN) nor compat arrays. For questions about presence over
 * many commits, where reading and copying the compat files would dominate.
 */
int model_load_machines(struct model *out, struct model_cache *cache, struct mt_repo *repo,
			const struct families *fams, const struct mt_oid *commit);
void model_release(struct model *m);
/*
 * The lifecycle of version v in the tree of `m` as it will be `ahead`
 * releases later: the one calculation `machines`, LIFE001 and LIFE002 share.
 * UNKNOWN when the tree defines no cap or has no VERSION.
 */
enum machine_lifecycle model_lifecycle(const struct model *m, const struct qversion *v, int ahead);
/* The machine with this name in the model (NULL model allowed), or NULL. */
const struct machine *model_machine(const struct model *m, const char *name);
/* The compat array with this name, or NULL. */
const struct compat_array *model_compat(const struct model *m, const char *name);
/* The family's latest (default) machine, or NULL; a NULL model has none. */
const struct machine *model_family_latest(const struct model *m, const char *family);
/* The first machine of a family in the model (its newest, for a location), or NULL. */
const struct machine *model_family_first(const struct model *m, const char *family);
/* The X.Y release machine of `family`, or NULL. */
const struct machine *model_family_minor(const struct model *m, const char *family,
					 int major, int minor);
/* Whether the model has any machine X.Y (X.Y.Z included) of `family`, or of any when NULL. */
bool model_has_minor(const struct model *m, const char *family, int major, int minor);

/*
 * What changed between two models: the one comparison `diff`, the
 * compat-array and machine-latest evidence and the engine's walk share.
 *
 * Machines are matched by family and name; compat arrays by path, name and
 * function; entries by driver and property, or a macro row by its text. An
 * item repeated on one side is matched to its first occurrence on the
 * other. Every pointer points into the two models, which must outlive the
 * diff; model_diff_release frees the diff's own arrays.
 */
enum machine_field {
	MACHINE_FIELD_KIND = 1 << 0,
	MACHINE_FIELD_LATEST = 1 << 1,
	MACHINE_FIELD_ALIAS = 1 << 2,
	MACHINE_FIELD_GUARD = 1 << 3,
	MACHINE_FIELD_PATH = 1 << 4,
	MACHINE_FIELD_LIFECYCLE = 1 << 5,
};

struct machine_change {
	const struct machine *old, *new;
	unsigned fields; /* enum machine_field bits that differ */
};

/* old NULL: added; new NULL: removed; both: value or optional changed. */
struct compat_entry_change {
	const struct compat_entry *old, *new;
};

struct compat_array_change {
	const struct compat_array *old, *new; /* one is NULL for an array added or removed */
	/*
	 * Added entries in the new array's order, removed ones in the old
	 * array's order, then changed ones in the old array's order.
	 */
	struct compat_entry_change *entries;
	size_t nentries;
};

/* A family whose latest machine (or its alias) differs; either side may be NULL. */
struct latest_change {
	const struct family *family;
	const struct machine *old, *new;
};

struct model_diff {
	const struct machine **added;   /* in the new model's order */
	size_t nadded;
	const struct machine **removed; /* in the old model's order */
	size_t nremoved;
	struct machine_change *changed; /* in the old model's order */
	size_t nchanged;
	/* Arrays changed or removed in the old model's order, then the added ones in the new's. */
	struct compat_array_change *arrays;
	size_t narrays;
	struct latest_change *latest;   /* in families.json order */
	size_t nlatest;
};

enum model_diff_what { MODEL_DIFF_MACHINES = 1, MODEL_DIFF_COMPAT = 2 };

/* Compares a to b (what: enum model_diff_what bits); out is initialised here. */
void model_diff(struct model_diff *out, const struct families *fams, const struct model *a,
		const struct model *b, unsigned what);
void model_diff_release(struct model_diff *d);

/* JSON forms (design.md's contract), new references owned by the caller. */
json_t *machine_to_json(const struct machine *m);
json_t *compat_entry_to_json(const struct compat_entry *e);
json_t *compat_array_to_json(const struct compat_array *a); /* entries included */
json_t *model_to_json(const struct model *m, const char *ref);

#endif
