/*
 * The machine-type families mtcheck knows, loaded from rules/families.json:
 * which files define them, which macro calls and structs name a versioned
 * machine in each QEMU era and what each argument means, how the latest
 * machine is marked, where compat arrays and lifecycle constants live.
 * Adding a family or a renamed file is an edit of that file, not of C.
 *
 * Ownership: families_load/families_from_json fill a caller-provided struct;
 * families_release frees its contents.
 */
#ifndef MT_FAMILIES_H
#define MT_FAMILIES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/jsonfile.h"

enum family_role {
	ROLE_ANY,     /* anything; ignored */
	ROLE_MAJOR,   /* a decimal number */
	ROLE_MINOR,
	ROLE_MICRO,
	ROLE_TAG,     /* an identifier: the version's tag ("sxxm") */
	ROLE_SUFFIX,  /* one identifier or number ("v4_0_1", "2_12"); ignored */
	ROLE_NAME,    /* string literal(s): the whole machine name */
	ROLE_VERSION, /* string literal(s): the version; the name is prefix + version */
	ROLE_LATEST,  /* true/false/1/0 */
	ROLE_OPTIONS, /* the options function's name, or NULL */
};

enum family_latest {
	LATEST_NO,       /* never the latest */
	LATEST_YES,      /* always (the _AS_LATEST macros) */
	LATEST_ARGUMENT, /* the ROLE_LATEST argument says */
	LATEST_ALIAS,    /* the options/class_init function (or struct) sets an alias */
};

struct family_call {
	char *macro;
	enum family_role *args;
	size_t nargs;
	enum family_latest latest;
	/*
	 * For LATEST_ALIAS without an options argument: the options function's
	 * name, "{v}" standing for the version with underscores ("9_1", "4_0_1").
	 */
	char *options_function;
	/*
	 * A second per-version function the definition refers to, in the same
	 * pattern (s390x's "ccw_machine_{v}_instance_options"), or NULL: a new
	 * version needs its own copy (suggest writes it).
	 */
	char *companion_function;
};

struct family_struct {
	char *type;       /* "QEMUMachine", "TypeInfo" */
	char *name_field; /* the designated field holding the name */
	enum family_latest latest;
};

struct family_name_macro {
	char *macro; /* "TYPE_SPAPR_MACHINE" */
	char *text;  /* what it stands for in a user-visible name: "pseries-" */
};

struct family {
	char *id;
	char **paths;
	size_t npaths;
	/*
	 * Paths (fnmatch(3) globs) whose changes reach only this family's
	 * machines and those of families with the same globs: the
	 * architecture's own code (hw/i386 and target/i386 for q35 and i440fx).
	 * A path no family scopes (hw/net) reaches every family. Optional.
	 */
	char **scope;
	size_t nscope;
	/*
	 * Code the family shares with some others, not all (hw/acpi: the
	 * families with ACPI tables), matched only when no family's "scope"
	 * claims the path: the ICH9 header under include/hw/acpi/ stays q35's.
	 * Optional.
	 */
	char **shared_scope;
	size_t nshared_scope;
	char **prefixes; /* name prefixes, most specific first */
	size_t nprefixes;
	char *alias;     /* the alias the latest machine gets ("q35") */
	char **name_wrappers; /* macros whose single argument is the name: MACHINE_TYPE_NAME */
	size_t nname_wrappers;
	struct family_name_macro *name_macros;
	size_t nname_macros;
	struct family_call *calls;
	size_t ncalls;
	struct family_struct *structs;
	size_t nstructs;
};

struct families {
	struct family *v;
	size_t n;
	/* lifecycle constants: where to read them and the defaults when absent */
	char **lifecycle_headers;
	size_t nlifecycle_headers;
	char *deprecation_constant;
	char *deletion_constant;
	int deprecation_major;
	int deletion_major;
	/* compat arrays */
	char **compat_paths;
	size_t ncompat_paths;
	char **compat_array_types;
	size_t ncompat_array_types;
	char **compat_macro_markers; /* "HW_COMPAT_": a #define HW_COMPAT_2_5 is a compat list */
	size_t ncompat_macro_markers;
	/*
	 * "QEMUMachine.compat_props": a machine struct's field holding its own
	 * inline list (0.x-1.x), read as an array named "VAR.FIELD" whose
	 * version is the machine's (from the struct's name field).
	 */
	char **compat_struct_fields;
	size_t ncompat_struct_fields;
	/*
	 * Globs of code that no versioned machine runs: the boards and CPUs of
	 * architectures without a family here (hw/riscv, target/mips).
	 */
	char **unversioned_scope;
	size_t nunversioned_scope;
};

/* Loads "<rules_dir>/families.json"; errors say file:line:col. */
/* The families of a parsed families.json; errors say file:line:col. */
int families_from_json(struct families *out, const struct json_file *jf);
/* families_from_json on "<rules_dir>/families.json". */
int families_load(struct families *out, const char *rules_dir);
void families_release(struct families *f);

const struct family *families_find(const struct families *f, const char *id);
/*
 * Whether `path` is a family's machine file (with `compat`, or a compat
 * array file), or, ending in '/' ("hw/i386/"), a directory holding one: the
 * question a walk asks before reading a directory's trees.
 */
bool families_holds_path(const struct families *f, const char *path, bool compat);

#endif
