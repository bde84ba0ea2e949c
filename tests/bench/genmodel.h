/*
 * The model behind the QEMU-scale benchmark history: which files exist, what
 * each one holds at a point in history (master or a stable branch), and how
 * to write it out. Everything is a pure function of the model, so the same
 * model always gives the same bytes and the same shas.
 *
 * The text is QEMU-shaped (machine macros, compat arrays, options chains) but
 * written for this generator; none of it comes from QEMU.
 */
#ifndef MT_BENCH_GENMODEL_H
#define MT_BENCH_GENMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* The versioned machine families the generator writes, one file each. */
enum gen_family { FAM_Q35, FAM_I440FX, FAM_ARM_VIRT, FAM_S390X, FAM_SPAPR, GEN_NFAMILIES };

/* Files that are not generic "churn" files; a file id is either a generic index or one of these. */
enum gen_special {
	SF_VERSION,
	SF_MACHINE_C,
	SF_PC_C,
	SF_Q35,
	SF_I440FX,
	SF_ARM_VIRT,
	SF_S390X,
	SF_SPAPR,
	SF_ACPI0, /* GEN_NACPI expected ACPI tables follow */
};
#define GEN_NACPI 12
#define GEN_NSPECIAL (SF_ACPI0 + GEN_NACPI)
/* Special files have ids GEN_SPECIAL + enum gen_special; generic files count up from 0. */
#define GEN_SPECIAL 0x1000000u

struct gen_machine {
	int major, minor;
	int micro; /* -1 for a release machine, else a bugfix machine X.Y.micro */
	bool sxxm; /* the one string-tagged machine (2.12-sxxm) */
};

struct gen_compat_entry {
	uint32_t file;  /* the generic device file whose property it pins */
	uint16_t prop;  /* property index within that file */
	bool value;     /* the value older machines keep */
};

/* hw_compat_X_Y[] in hw/core/machine.c, or pc_compat_X_Y[] in hw/i386/pc.c when pc. */
struct gen_compat {
	int major, minor;
	bool pc;
	struct gen_compat_entry *entries;
	size_t n, alloc;
};

/* A generic file: functions whose return values change, and device properties. */
struct gen_file {
	char *path;
	char *ident; /* C identifier stem, "net_tavoki" */
	char *type;  /* QOM-style type name, "net-tavoki" */
	uint32_t slot0; /* its first slot in gen_state.counts: nfn functions, then nprop properties */
	uint8_t nfn, nprop;
	bool rst;    /* a documentation page rather than C */
};

struct gen_universe {
	struct gen_file *files; /* every generic file the history will ever have */
	size_t nfiles;
	size_t nslots;
};

/* What every file holds at one point in history. */
struct gen_state {
	uint16_t *counts;  /* per slot: how many times it changed */
	size_t nfiles;     /* generic files [0, nfiles) exist */
	struct gen_machine *machines[GEN_NFAMILIES];
	size_t nmachines[GEN_NFAMILIES], amachines[GEN_NFAMILIES];
	struct gen_compat *compat;
	size_t ncompat, acompat;
	uint16_t acpi[GEN_NACPI];
	char version[24];  /* the VERSION file */
	int major, minor;  /* the release developed (master) or maintained (stable): picks the syntax */
};

/* Builds the universe of `total` generic files; states say how many of them exist. */
void gen_universe_init(struct gen_universe *u, size_t total);
void gen_universe_release(struct gen_universe *u);

void gen_state_init(struct gen_state *s, const struct gen_universe *u);
/* Deep copy into a state that is not initialised; release both. */
void gen_state_copy(struct gen_state *out, const struct gen_state *from, const struct gen_universe *u);
void gen_state_release(struct gen_state *s);

void gen_add_machine(struct gen_state *s, enum gen_family f, int major, int minor, int micro, bool sxxm);
/* Removes every machine (and compat array) older than major.0; the lifecycle cleanup. */
void gen_drop_older_than(struct gen_state *s, int major);
void gen_drop_sxxm(struct gen_state *s);
/* Returns a pointer into s (like strchr, const in, mutable out). */
struct gen_compat *gen_find_compat(const struct gen_state *s, int major, int minor, bool pc);
struct gen_compat *gen_add_compat(struct gen_state *s, int major, int minor, bool pc);
void gen_compat_append(struct gen_compat *c, uint32_t file, uint16_t prop, bool value);
/* The compat arrays that exist, newest first, skipping pc ones: the k-th newest hw array or NULL. */
const struct gen_compat *gen_nth_hw_compat(const struct gen_state *s, size_t k);

/* The current value of a property slot (toggles with every change). */
bool gen_prop_value(const struct gen_state *s, const struct gen_file *f, unsigned prop);
/* Property name as the source spells it, "x-tavoki-3". */
void gen_prop_name(struct strbuf *out, const struct gen_file *f, unsigned prop);

const char *gen_path(const struct gen_universe *u, uint32_t file);
/* The whole content of a file in state s. */
void gen_render(struct strbuf *out, const struct gen_universe *u, const struct gen_state *s,
		uint32_t file);

/* Deterministic mixing: the same inputs always give the same 64 bits. */
uint64_t gen_hash(uint64_t a, uint64_t b);

#endif
