/*
 * Internals shared by the abi_*.c files: the loaded configuration, a light
 * scanner over one side of a C file, and the per-file change list each
 * signal family reads. Not a C parser: csrc decides what is live code
 * (comments and dead conditional code are blanked), and the scanner finds
 * file-scope functions and initialisers with their lines and cuts macro
 * calls into arguments; that is all the signals need.
 */
#ifndef MT_ABI_INTERNAL_H
#define MT_ABI_INTERNAL_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>

#include "abi/abi.h"
#include "machines/families.h"
#include "util/strbuf.h"

struct abi_globs {
	char **items; /* fnmatch(3) patterns without FNM_PATHNAME: `*` crosses `/` */
	size_t count;
};

bool abi_globs_match(const struct abi_globs *globs, const char *name);

struct abi_bitmask_value {
	char *call;   /* "spapr_caps" */
	char *member; /* "caps" */
	char *set;    /* "SPAPR_CAP_ON" */
};

struct abi_machine_rules {
	const struct abi_signal *signal;
	struct abi_globs paths, functions, receivers, review_fields, ignore_fields;
	/*
	 * Values that mean "nothing set" (0, false, spapr_caps(0), SPAPR_CAP_BROKEN):
	 * a field new to the file set to one keeps what machines had without it.
	 */
	struct abi_globs neutral_values;
	/* `field = call(A | B)` is `field.member[A] = set` for each flag ("bitmask_values"). */
	struct abi_bitmask_value *bitmasks;
	size_t nbitmasks;
};

struct abi_default_arg {
	char *macro;
	int index; /* 1-based argument holding the default */
};

struct abi_property_rules {
	const struct abi_signal *changed, *added, *removed;
	struct abi_globs paths, neutral_defaults;
	char *macro_prefix;
	struct abi_default_arg *defaults;
	size_t ndefaults;
	struct abi_globs ignore_macros;
	/* Functions board code sets a property with ("qdev_prop_set_*"): the default is not what guests get. */
	struct abi_globs setters;
	/*
	 * Fields of a VMStateDescription that, set to anything but 0 or false,
	 * keep the device from migrating ("unmigratable"): a file whose every
	 * description has one holds devices no migration carries, so its
	 * property changes are only worth a review.
	 */
	struct abi_globs unmigratable_fields;
};

/* A flag of a table that no accelerator ever offers a guest, and why. */
struct abi_unoffered_flag {
	char *flag;
	char *reason;
};

struct abi_region_rules {
	const struct abi_signal *signal;
	struct abi_globs paths, initializers, functions;
	char *entry_name_field; /* "name": `.name = "..."` names a table entry in details; may be NULL */
	/*
	 * Identifiers of this shape new to the file ("FEAT_*": a feature word)
	 * are zero for every existing table entry until one sets them: code
	 * changed only to read a new one changes nothing. May be NULL.
	 */
	char *new_word;
	/*
	 * When not empty, only changed lines naming an identifier of one of
	 * these shapes count ("*features*": the feature filtering inside a
	 * function that does much else, such as a CPU's realize).
	 */
	struct abi_globs line_words;
	/*
	 * Flags no accelerator offers a guest (filtered out of every model's
	 * CPUID before the guest sees it): a model gaining or losing one
	 * changes nothing the guest sees. May be empty.
	 */
	struct abi_unoffered_flag *unoffered;
	size_t nunoffered;
};

struct abi_vmstate_rules {
	const struct abi_signal *version, *field, *subsection;
	struct abi_globs paths, ignore_fields, versioned_macros, tested_macros;
	/* Fields that only check what is loaded and put nothing on the wire (VMSTATE_VALIDATE). */
	struct abi_globs check_only_fields;
	/*
	 * Words of a field macro's name that add a check on load but not bytes
	 * ("EQUAL", "POSITIVE_LE", "LE"): VMSTATE_INT32_EQUAL is VMSTATE_INT32 on the wire.
	 */
	struct abi_globs check_only_words;
	/* The first release whose save loop sends a subsection without .needed (before: never). */
	bool has_unneeded_sent_from;
	struct qversion unneeded_sent_from;
	char *type;         /* "VMStateDescription" */
	char *field_prefix; /* "VMSTATE_" */
	/* vmstate-reset (abi_reset.c), NULL when not declared; its functions ("*reset*") */
	const struct abi_signal *reset;
	struct abi_globs reset_functions;
};

/* One "guest_interfaces" item: calls, feature-mask assignments and #defines (abi_guest.c). */
struct abi_guest_rules {
	const struct abi_signal *signal;
	struct abi_globs paths, calls, fields, defines, ignore_defines;
	/* an assignment to `fields` counts when it names one of these (a feature bit, not a mask) */
	struct abi_globs field_values;
	bool subject_first; /* a call's first argument names it (a hypercall number), else its last */
	/*
	 * Calls that refuse a configuration (error_setg): a feature bit whose
	 * clearing the commit removes while it adds a test of the same bit
	 * followed by one of these was never offered there, and is not now.
	 */
	struct abi_globs refusals;
	/*
	 * Files (paths, no patterns) whose DEFINE_PROP_BIT* properties turn a
	 * feature bit on or off, beside the changed file itself: the common
	 * feature properties every virtio device has (abi_feature_property).
	 */
	struct abi_globs property_files;
};

/* "machine_versions": the functions of one machine version (abi_versions.c). */
struct abi_versions_rules {
	const struct abi_signal *signal; /* NULL when the file has no "machine_versions" */
	struct abi_globs paths, functions;
	/* calls that give a machine nothing (logging, assertions) */
	struct abi_globs ignore_calls;
};

struct abi_acpi_rules {
	const struct abi_signal *signal;
	struct abi_globs paths, exclude;
};

/* acpi-code: the code that builds ACPI tables; judged with the expected tables of its series. */
struct abi_acpi_code_rules {
	const struct abi_signal *signal; /* NULL when the file has no "acpi_code" */
	struct abi_globs paths;
	/* Names in a changed line or its function that mean resources: I/O ports, _CRS, _SUN, SRAT. */
	struct abi_globs resource_words;
	/* Names that build AML (aml_*), and files that are AML source (*.dsl): the tables change. */
	struct abi_globs aml_words, aml_paths;
	/*
	 * Functions that fill the tables' bytes themselves (build_*, fadt_setup,
	 * acpi_build): the fixed tables before AML was built by aml_* calls. A
	 * change inside one changes tables as an aml_* call does.
	 */
	struct abi_globs table_functions;
	/*
	 * Calls that only say where firmware places a table blob
	 * (bios_linker_loader_alloc: its alignment, its zone): one changed
	 * into another in the same function moves no byte of the tables, and
	 * guests reach the tables through pointers the firmware writes at boot.
	 */
	struct abi_globs placement_calls;
};

/* subject of an acpi-code item: what the commit's ACPI change touches. */
#define ABI_ACPI_RESOURCES "resources"
#define ABI_ACPI_AML "aml"
#define ABI_ACPI_CODE "code" /* neither: code beside the tables (a device model, a helper) */

struct abi_config {
	struct abi_signal *signals;
	size_t nsignals;
	struct abi_machine_rules machine;
	struct abi_property_rules properties;
	struct abi_region_rules *regions;
	size_t nregions;
	struct abi_vmstate_rules vmstate;
	struct abi_acpi_rules acpi;
	struct abi_guest_rules *guest;
	size_t nguest;
	struct abi_acpi_code_rules acpi_code;
	struct abi_versions_rules versions;
	const struct abi_signal *unreadable; /* "unreadable-c" when declared, else NULL */
};

/* ---- one side of a changed file ---- */

enum abi_extent_kind { ABI_EXTENT_FUNCTION, ABI_EXTENT_INITIALIZER, ABI_EXTENT_OTHER };

/* A file-scope braced block: a function body, an initialiser, a struct. */
struct abi_extent {
	enum abi_extent_kind kind;
	char *name;        /* function or variable name; NULL when unknown */
	size_t decl;       /* offset where its declaration starts */
	size_t open;       /* offset of `{` */
	size_t close;      /* offset of the matching `}` (or the end of the text) */
	int first_line;    /* line of the declaration's first token */
	int last_line;     /* line of the closing brace */
};

/* A byte of a C identifier: a letter, a digit or '_' (mtcheck keeps the C locale). */
static inline bool abi_is_ident(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

struct csrc_file;

struct abi_side {
	char *clean;      /* the bytes of csrc's live tokens and directive lines; others blank */
	char *code;       /* clean, with preprocessor lines blanked too */
	size_t len;
	size_t *define_names;  /* offset of each live #define's name, in blob order */
	size_t ndefine_names;
	char *unreadable;  /* why csrc could not read the side (then all blank), or NULL */
	size_t *lines;    /* offset of each line's start; lines[0] is line 1 */
	size_t nlines;
	struct abi_extent *extents; /* sorted by offset, not overlapping */
	size_t nextents;
	struct csrc_file *parsed;  /* abi_side_parsed's, once asked for */
	bool parse_failed;
};

/*
 * Prepares a side from blob text (NULL, 0 for an absent side); `path` names
 * it in messages. When csrc cannot read the text (an unterminated comment,
 * string or #if; past its limits) the side is blank, `unreadable` says why,
 * and MT_ERROR is returned with the message set; it is released all the same.
 */
int abi_side_init(struct abi_side *side, const char *path, const char *text, size_t len);
void abi_side_release(struct abi_side *side);
/*
 * csrc's parse of the side's clean text, made when first asked for and kept
 * with the side, so the scanners that want functions and statements share
 * one; NULL when the side is absent or does not parse.
 */
const struct csrc_file *abi_side_parsed(struct abi_side *side, const char *path);
/* Line number (1-based) of an offset. */
int abi_side_line_of(const struct abi_side *side, size_t offset);
/* The extent containing a line, or NULL at file scope. */
const struct abi_extent *abi_side_extent_at(const struct abi_side *side, int line);
const struct abi_extent *abi_side_find(const struct abi_side *side, enum abi_extent_kind kind,
				       const char *name);
/*
 * Normalised text of a clean line: `key` without insignificant whitespace
 * (compared to cancel whitespace-only edits and moves), `display` with runs of
 * whitespace collapsed (for details). Either may be NULL. Returns false when
 * the line holds nothing but blanks.
 */
bool abi_side_line_text(const struct abi_side *side, int line, char **key, char **display);
/*
 * What a changed line says, for a person: the statement it starts, joined
 * with the next lines while a bracket it opened is open (a call or a
 * signature over several lines), blanks collapsed, and past `max` bytes cut
 * at a token boundary with " ...". Allocated.
 */
char *abi_side_statement(const struct abi_side *side, int line, size_t max);
/*
 * Tidies a quoted statement in place for a detail: no blank inside
 * brackets or before `,` and `;` (left where a comment was blanked), and no
 * final `;` or `{`, which read as the end of the sentence around it.
 */
void abi_tidy_quote(char *text);
/* Whether a line's key says more than brackets and `else`: worth quoting. */
bool abi_line_says_something(const char *key);
/* How long a quoted statement in evidence may be. */
#define ABI_QUOTE_MAX 120
/* Same normalisation over clean[start, end). */
char *abi_normalise(const char *text, size_t len, bool display);

/* A macro call `NAME(args)` found in clean text. */
struct abi_call {
	char *name;
	char **args;   /* display-normalised */
	size_t nargs;
	size_t start;  /* offset of NAME */
	size_t end;    /* offset just past `)` */
	int line;
	bool definition; /* `#define NAME(...)`: the macro being defined, not a call */
};

/*
 * Calls of macros whose name starts with `prefix` in clean[start, end),
 * not nested in another such call. *out is the caller's: abi_calls_free.
 */
void abi_find_calls(struct abi_call **out, size_t *out_count, const struct abi_side *side,
		    size_t start, size_t end, const char *prefix);
void abi_calls_free(struct abi_call *calls, size_t count);
/* Offset of the bracket closing the one at `open` ((, [, {), or `limit`. */
size_t abi_match_bracket(const char *text, size_t open, size_t limit);

/* ---- a changed file ---- */

struct abi_change {
	char origin;       /* '+' or '-' */
	int line;          /* on the side given by origin */
	char *key;         /* normalised text, NULL when blank */
	char *display;
	const struct abi_extent *extent; /* enclosing block on that side, or NULL */
	bool cancelled;    /* matched by the same text removed/added in the same block */
};

struct abi_file {
	char *path;        /* new path, or old path for a deletion */
	char status;       /* 'A', 'D', 'M' */
	bool binary;
	struct mt_oid old_blob, new_blob;
	struct abi_side old_side, new_side;
	bool sides_loaded; /* false for files no C signal looks at */
	struct abi_change *changes; /* in diff order */
	size_t nchanges, alloc;
};

/*
 * Scans one changed file from its two texts, as abi_classify_commit does
 * after reading the blobs: `file` holds the path and the diff's changes; its
 * sides are filled here. The entry point for tests and fuzzing, where the
 * text is whatever a merge request brings. Free with abi_file_release.
 */
void abi_file_scan_text(struct abi_evidence_list *out, const struct abi_config *config,
			struct abi_file *file, const char *old_text, size_t old_len,
			const char *new_text, size_t new_len);
/* Frees the path, the changes and (when loaded) both sides. */
void abi_file_release(struct abi_file *file);

/* The side a change is on. */
const struct abi_side *abi_file_side(const struct abi_file *file, char origin);

/* Frees one item's strings (the item itself belongs to its list). */
void abi_evidence_release(struct abi_evidence *e);

/* new_value of a vmstate-subsection item whose description has no .needed at all. */
#define ABI_SUBSECTION_UNNEEDED "no .needed"

/* Appends an item; all strings are copied, any may be NULL except signal/path/detail. */
void abi_evidence_add(struct abi_evidence_list *list, const struct abi_signal *signal,
		      enum abi_strength strength, const char *path, int line, bool removed,
		      const char *subject, const char *old_value, const char *new_value,
		      const char *detail);

/*
 * One spelling per value, so a C default (`false`, `ON_OFF_AUTO_OFF`,
 * `0x10`, `stringify(1)`) compares equal to a compat entry's string ("off",
 * "16", "1"). Returns an allocated string.
 */
char *abi_canonical_value(const char *value);

/* "recv->path op value": a class field assigned through a receiver. */
struct abi_field_assignment {
	const char *path;  /* after "->", up to the operator */
	const char *op;    /* "=" or a compound operator ("|="), `oplen` bytes */
	size_t oplen;
	const char *value; /* after the operator and its blanks, to the end */
};
/*
 * Parses `s` as an assignment to a field of a receiver `receivers` matches
 * (abi_machine_values.c); false for a call, a comparison or anything else.
 * The pointers point into `s`.
 */
bool abi_parse_field_assignment(struct abi_field_assignment *out, const char *s,
				const struct abi_globs *receivers);

/*
 * Effective values of machine class fields per versioned machine of one
 * side of a machine file (abi_machine_values.c).
 */
struct mv_function;
struct abi_machine_model {
	struct mv_function *fns;
	size_t n;
};
void abi_machine_model_build(struct abi_machine_model *out, const struct abi_machine_rules *rules,
			     const struct abi_side *side);
void abi_machine_model_release(struct abi_machine_model *model);

/* What a change to a field does to the machines of a file. */
struct abi_machine_change {
	bool moved;       /* some machine's effective value of a setting the file had changes */
	bool new_setting; /* some machine gets a setting new to the file */
	char *versions;   /* the versioned machines either moves ("2.12 2.11"); NULL: none in the file */
};
/*
 * Compares the effective values of `key` (a field path after the receiver,
 * blanks removed) and its members between the two sides, for the machines
 * whose set-up runs `function` (where the changed line is, on the new side
 * or the old one); `old_code` is the old side's code, to tell settings new
 * to the file. out->versions is the caller's to free.
 */
void abi_machine_compare(struct abi_machine_change *out, const struct abi_machine_rules *rules,
			 const struct abi_machine_model *old, const struct abi_machine_model *new,
			 const char *key, const char *function, bool on_new_side,
			 const char *old_code);

/*
 * A machine-class-field item for a stream whose release is `stream`: only
 * worth a review when the machines it moves are all newer than the stream's,
 * or when it only gives the stream's own X.Y machines a setting new to the
 * file that their options pin (upstream's policy: what the release before
 * the change had).
 */
void abi_machine_judge(struct abi_evidence *e, const struct qversion *stream);

/* The signal families; each appends to `out`. */
void abi_machine_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file);
void abi_properties_scan(struct abi_evidence_list *out, const struct abi_config *config,
			 const struct abi_file *file);
void abi_regions_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file);
void abi_vmstate_scan(struct abi_evidence_list *out, const struct abi_config *config,
		      const struct abi_file *file);
void abi_guest_scan(struct abi_evidence_list *out, const struct abi_config *config,
		    struct abi_file *file);
void abi_reset_scan(struct abi_evidence_list *out, const struct abi_config *config,
		    struct abi_file *file);
void abi_versions_scan(struct abi_evidence_list *out, const struct abi_config *config,
		       struct abi_file *file);

struct csrc_token;
/* Tokens [first, last) as a person writes them: `virtio_add_feature(&features, VIRTIO_F_RING_RESET)`. */
void abi_join_tokens(struct strbuf *sb, const struct csrc_file *f, const struct csrc_token *toks,
		     size_t first, size_t last);
/* Whether this path is an expected ACPI table acpi-expected looks at. */
bool abi_wants_acpi(const struct abi_config *config, const char *path);
/* acpi-code: one review item per file of ACPI table code with real changes. */
void abi_acpi_code_scan(struct abi_evidence_list *out, const struct abi_config *config,
			const struct abi_file *file);
/*
 * Over a commit's evidence: an acpi-code item whose lines only make
 * constants member reads, where each constant is the default of a
 * property the commit adds to make it configurable (a property-added item
 * whose old and new values are that constant), is judged by its other
 * lines: the guest sees the same value by default.
 */
void abi_acpi_excuse_configurable(struct abi_evidence_list *list);
/* Over every file of the commit: one item per directory of tables. */
void abi_acpi_scan(struct abi_evidence_list *out, const struct abi_config *config,
		   const struct abi_file *files, size_t count);
/* The declared signal with this id, or NULL. */
const struct abi_signal *abi_config_signal(const struct abi_config *config, const char *id);

/*
 * compat-array and machine-latest: both sides of a compat or machine file
 * through the machines parser. Entries the commit added are appended to
 * `added` (strings owned by the list) for abi_evidence_cover_defaults.
 */
struct abi_added_entries {
	struct abi_compat_entry *items;
	size_t count, alloc;
};
void abi_added_entries_release(struct abi_added_entries *added);
int abi_compat_scan(struct abi_evidence_list *out, struct abi_added_entries *added,
		    const struct abi_config *config, const struct families *fams,
		    const char *path, const char *old_text, size_t old_len,
		    const char *new_text, size_t new_len);
/*
 * Whether the machines parser reads this path (a family file or a compat
 * file), or for a directory ("hw/i386/", with the slash) some file in it.
 */
bool abi_wants_machines(const struct families *fams, const char *path);

/* Whether a backport's own evidence adds the same compat entry as `e` (same array, property, value). */
bool abi_backport_carries(const struct abi_evidence_list *own, const struct abi_evidence *e);
/*
 * Whether `e`, an item of another commit (upstream's, a follow-up's), adds
 * a compat entry to an array for the stream's X.Y machines or newer that the
 * backport (its evidence in `own`) does not carry itself: that entry holds
 * the stream's machines back, and a stream without it changed them.
 */
bool abi_entry_holds_back(const struct abi_evidence_list *own, const struct abi_evidence *e,
			  const struct qversion *stream);
/* Appends an item of `signal` for that entry: e's place, property, values, array, and `detail`. */
void abi_add_held_entry(struct abi_evidence_list *out, const struct abi_signal *signal,
			const struct abi_evidence *e, const char *detail);
/* Whether machine version `v` (X.Y) is the stream's X.Y or newer. */
bool abi_version_at_or_above(const struct qversion *v, const struct qversion *stream);

/* Whether any C signal family looks at this path (so its sides must be read). */
bool abi_wants_source(const struct abi_config *config, const char *path);

#endif
