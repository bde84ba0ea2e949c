/* The benchmark history's model and the text of every file in it (see genmodel.h). */
#include "genmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

uint64_t gen_hash(uint64_t a, uint64_t b)
{
	uint64_t z = a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- the universe of generic files ---- */

struct gen_dir {
	const char *path;
	const char *ext;
	unsigned weight;
	bool device; /* files carry qdev properties that compat arrays can pin */
};

static const struct gen_dir dirs[] = {
	{ "hw/i386", ".c", 5, true },      { "hw/arm", ".c", 6, true },
	{ "hw/s390x", ".c", 2, true },     { "hw/ppc", ".c", 3, true },
	{ "hw/core", ".c", 2, true },      { "hw/pci", ".c", 2, true },
	{ "hw/usb", ".c", 3, true },       { "hw/net", ".c", 4, true },
	{ "hw/block", ".c", 3, true },     { "hw/virtio", ".c", 4, true },
	{ "hw/scsi", ".c", 2, true },      { "hw/display", ".c", 3, true },
	{ "hw/audio", ".c", 1, true },     { "hw/char", ".c", 2, true },
	{ "hw/intc", ".c", 2, true },      { "hw/timer", ".c", 1, true },
	{ "hw/misc", ".c", 3, true },      { "hw/acpi", ".c", 2, true },
	{ "hw/nvme", ".c", 1, true },      { "hw/vfio", ".c", 2, true },
	{ "hw/riscv", ".c", 2, true },     { "hw/loongarch", ".c", 1, true },
	{ "target/i386", ".c", 5, false }, { "target/arm", ".c", 4, false },
	{ "target/arm/tcg", ".c", 3, false }, { "target/s390x", ".c", 2, false },
	{ "target/ppc", ".c", 3, false },  { "target/riscv", ".c", 3, false },
	{ "target/loongarch", ".c", 1, false }, { "include/hw", ".h", 4, false },
	{ "include/qemu", ".h", 2, false }, { "migration", ".c", 3, false },
	{ "block", ".c", 4, false },       { "net", ".c", 2, false },
	{ "ui", ".c", 2, false },          { "util", ".c", 3, false },
	{ "accel/tcg", ".c", 2, false },   { "linux-user", ".c", 3, false },
	{ "tests/qtest", ".c", 4, false }, { "tests/unit", ".c", 2, false },
	{ "docs/system", ".rst", 2, false }, { "docs/devel", ".rst", 2, false },
	{ "chardev", ".c", 1, false },     { "crypto", ".c", 1, false },
};

static const char *const syllables[] = {
	"ta", "vo", "ki", "ren", "mo", "sal", "dri", "pe", "lun", "ba", "zor", "fi",
	"nu", "gal", "te", "ox", "ri", "can", "del", "mi", "sto", "ver", "qua", "lo",
};
#define NSYL 24

/* A name unique to index i: a bijection of i written in syllables. */
static void file_stem(struct strbuf *out, size_t i)
{
	size_t k = (i * 7919u) % (NSYL * NSYL * NSYL);

	strbuf_addstr(out, syllables[k % NSYL]);
	strbuf_addstr(out, syllables[(k / NSYL) % NSYL]);
	strbuf_addstr(out, syllables[(k / NSYL / NSYL) % NSYL]);
	if (i >= NSYL * NSYL * NSYL)
		strbuf_addf(out, "%zu", i / (NSYL * NSYL * NSYL));
}

static const struct gen_dir *pick_dir(size_t i)
{
	unsigned total = 0, pick;
	size_t d;

	for (d = 0; d < ARRAY_SIZE(dirs); d++)
		total += dirs[d].weight;
	pick = (unsigned)(gen_hash(i, 17) % total);
	for (d = 0; pick >= dirs[d].weight; d++)
		pick -= dirs[d].weight;
	return &dirs[d];
}

void gen_universe_init(struct gen_universe *u, size_t total)
{
	size_t i;

	memset(u, 0, sizeof(*u));
	u->files = xcalloc(total, sizeof(*u->files));
	u->nfiles = total;
	for (i = 0; i < total; i++) {
		const struct gen_dir *d = pick_dir(i);
		struct gen_file *f = &u->files[i];
		struct strbuf stem = STRBUF_INIT, sb = STRBUF_INIT;
		const char *leaf = strrchr(d->path, '/');
		uint64_t h = gen_hash(i, 29);

		strbuf_addstr(&stem, leaf ? leaf + 1 : d->path);
		strbuf_addch(&stem, '-');
		file_stem(&stem, i);
		strbuf_addf(&sb, "%s/%s%s", d->path, stem.buf, d->ext);
		f->path = strbuf_detach(&sb, NULL);
		f->type = xstrdup(stem.buf);
		for (char *p = stem.buf; *p; p++)
			if (*p == '-')
				*p = '_';
		f->ident = strbuf_detach(&stem, NULL);
		f->rst = !strcmp(d->ext, ".rst");
		f->nfn = (uint8_t)(4 + h % 16);
		f->nprop = d->device ? (uint8_t)(1 + (h >> 8) % 4) : 0;
		f->slot0 = (uint32_t)u->nslots;
		u->nslots += f->nfn + f->nprop;
	}
}

void gen_universe_release(struct gen_universe *u)
{
	size_t i;

	for (i = 0; i < u->nfiles; i++) {
		free(u->files[i].path);
		free(u->files[i].ident);
		free(u->files[i].type);
	}
	free(u->files);
	memset(u, 0, sizeof(*u));
}

/* ---- states ---- */

void gen_state_init(struct gen_state *s, const struct gen_universe *u)
{
	memset(s, 0, sizeof(*s));
	s->counts = xcalloc(u->nslots ? u->nslots : 1, sizeof(*s->counts));
}

void gen_state_copy(struct gen_state *out, const struct gen_state *from, const struct gen_universe *u)
{
	size_t i;

	*out = *from;
	out->counts = xmalloc((u->nslots ? u->nslots : 1) * sizeof(*out->counts));
	memcpy(out->counts, from->counts, u->nslots * sizeof(*out->counts));
	for (i = 0; i < GEN_NFAMILIES; i++) {
		out->amachines[i] = from->nmachines[i] ? from->nmachines[i] : 1;
		out->machines[i] = xmalloc(out->amachines[i] * sizeof(struct gen_machine));
		if (from->nmachines[i]) /* memcpy from NULL is undefined even for 0 bytes */
			memcpy(out->machines[i], from->machines[i],
			       from->nmachines[i] * sizeof(struct gen_machine));
	}
	out->acompat = from->ncompat ? from->ncompat : 1;
	out->compat = xmalloc(out->acompat * sizeof(*out->compat));
	for (i = 0; i < from->ncompat; i++) {
		struct gen_compat *c = &out->compat[i];

		*c = from->compat[i];
		c->alloc = c->n ? c->n : 1;
		c->entries = xmalloc(c->alloc * sizeof(*c->entries));
		if (c->n)
			memcpy(c->entries, from->compat[i].entries, c->n * sizeof(*c->entries));
	}
}

void gen_state_release(struct gen_state *s)
{
	size_t i;

	free(s->counts);
	for (i = 0; i < GEN_NFAMILIES; i++)
		free(s->machines[i]);
	for (i = 0; i < s->ncompat; i++)
		free(s->compat[i].entries);
	free(s->compat);
	memset(s, 0, sizeof(*s));
}

/* Newest first; a tagged machine right after its base (its options call the base's). */
static int machine_cmp_desc(const void *pa, const void *pb)
{
	const struct gen_machine *a = pa, *b = pb;

	if (a->major != b->major)
		return b->major - a->major;
	if (a->minor != b->minor)
		return b->minor - a->minor;
	if (a->micro != b->micro)
		return b->micro - a->micro;
	return (int)a->sxxm - (int)b->sxxm;
}

void gen_add_machine(struct gen_state *s, enum gen_family f, int major, int minor, int micro, bool sxxm)
{
	struct gen_machine *m;

	ARRAY_GROW(s->machines[f], s->nmachines[f], s->amachines[f]);
	m = &s->machines[f][s->nmachines[f]++];
	m->major = major;
	m->minor = minor;
	m->micro = micro;
	m->sxxm = sxxm;
	qsort(s->machines[f], s->nmachines[f], sizeof(*m), machine_cmp_desc);
}

void gen_drop_older_than(struct gen_state *s, int major)
{
	size_t f, i, n;

	for (f = 0; f < GEN_NFAMILIES; f++) {
		for (i = n = 0; i < s->nmachines[f]; i++) {
			if (s->machines[f][i].major >= major)
				s->machines[f][n++] = s->machines[f][i];
		}
		s->nmachines[f] = n;
	}
	for (i = n = 0; i < s->ncompat; i++) {
		if (s->compat[i].major >= major)
			s->compat[n++] = s->compat[i];
		else
			free(s->compat[i].entries);
	}
	s->ncompat = n;
}

void gen_drop_sxxm(struct gen_state *s)
{
	size_t i, n;

	for (i = n = 0; i < s->nmachines[FAM_SPAPR]; i++) {
		if (!s->machines[FAM_SPAPR][i].sxxm)
			s->machines[FAM_SPAPR][n++] = s->machines[FAM_SPAPR][i];
	}
	s->nmachines[FAM_SPAPR] = n;
}

struct gen_compat *gen_find_compat(const struct gen_state *s, int major, int minor, bool pc)
{
	size_t i;

	for (i = 0; i < s->ncompat; i++) {
		if (s->compat[i].major == major && s->compat[i].minor == minor && s->compat[i].pc == pc)
			return &s->compat[i];
	}
	return NULL;
}

static int compat_cmp_desc(const void *pa, const void *pb)
{
	const struct gen_compat *a = pa, *b = pb;

	if (a->major != b->major)
		return b->major - a->major;
	if (a->minor != b->minor)
		return b->minor - a->minor;
	return (int)a->pc - (int)b->pc;
}

struct gen_compat *gen_add_compat(struct gen_state *s, int major, int minor, bool pc)
{
	struct gen_compat *c = gen_find_compat(s, major, minor, pc);

	if (c)
		return c;
	ARRAY_GROW(s->compat, s->ncompat, s->acompat);
	c = &s->compat[s->ncompat++];
	memset(c, 0, sizeof(*c));
	c->major = major;
	c->minor = minor;
	c->pc = pc;
	qsort(s->compat, s->ncompat, sizeof(*c), compat_cmp_desc);
	return gen_find_compat(s, major, minor, pc);
}

void gen_compat_append(struct gen_compat *c, uint32_t file, uint16_t prop, bool value)
{
	ARRAY_GROW(c->entries, c->n, c->alloc);
	c->entries[c->n].file = file;
	c->entries[c->n].prop = prop;
	c->entries[c->n].value = value;
	c->n++;
}

const struct gen_compat *gen_nth_hw_compat(const struct gen_state *s, size_t k)
{
	size_t i;

	for (i = 0; i < s->ncompat; i++) {
		if (!s->compat[i].pc && k-- == 0)
			return &s->compat[i];
	}
	return NULL;
}

bool gen_prop_value(const struct gen_state *s, const struct gen_file *f, unsigned prop)
{
	return s->counts[f->slot0 + f->nfn + prop] % 2 == 0;
}

void gen_prop_name(struct strbuf *out, const struct gen_file *f, unsigned prop)
{
	static const char *const words[] = { "x-batch", "x-legacy-irq", "queue-depth-auto",
					     "x-strict-order", "msix-vectors-auto", "x-early-ack" };

	strbuf_addf(out, "%s-%u", words[gen_hash(f->slot0, prop) % ARRAY_SIZE(words)], prop);
}

/* ---- paths ---- */

static const char *const acpi_paths[GEN_NACPI] = {
	"tests/data/acpi/x86/q35/DSDT", "tests/data/acpi/x86/q35/FACP",
	"tests/data/acpi/x86/q35/APIC", "tests/data/acpi/x86/q35/MCFG",
	"tests/data/acpi/x86/pc/DSDT", "tests/data/acpi/x86/pc/FACP",
	"tests/data/acpi/x86/pc/APIC", "tests/data/acpi/aarch64/virt/DSDT",
	"tests/data/acpi/aarch64/virt/GTDT", "tests/data/acpi/aarch64/virt/APIC",
	"tests/data/acpi/riscv64/virt/DSDT", "tests/data/acpi/riscv64/virt/RHCT",
};

struct family_info {
	const char *path;
	const char *fn;      /* options function stem */
	const char *name;    /* machine name prefix users see */
	const char *macro;   /* DEFINE_<macro>_MACHINE */
	const char *alias;   /* the unversioned alias of the latest, or NULL */
	bool x86;
};

static const struct family_info families[GEN_NFAMILIES] = {
	[FAM_Q35] = { "hw/i386/pc_q35.c", "pc_q35", "pc-q35-", "Q35", "q35", true },
	[FAM_I440FX] = { "hw/i386/pc_piix.c", "pc_i440fx", "pc-i440fx-", "I440FX", "pc", true },
	[FAM_ARM_VIRT] = { "hw/arm/virt.c", "virt", "virt-", "VIRT", NULL, false },
	[FAM_S390X] = { "hw/s390x/s390-virtio-ccw.c", "ccw", "s390-ccw-virtio-", "CCW", NULL, false },
	[FAM_SPAPR] = { "hw/ppc/spapr.c", "spapr", "pseries-", "SPAPR", NULL, false },
};

const char *gen_path(const struct gen_universe *u, uint32_t file)
{
	if (file < GEN_SPECIAL)
		return u->files[file].path;
	switch (file - GEN_SPECIAL) {
	case SF_VERSION: return "VERSION";
	case SF_MACHINE_C: return "hw/core/machine.c";
	case SF_PC_C: return "hw/i386/pc.c";
	case SF_Q35: return families[FAM_Q35].path;
	case SF_I440FX: return families[FAM_I440FX].path;
	case SF_ARM_VIRT: return families[FAM_ARM_VIRT].path;
	case SF_S390X: return families[FAM_S390X].path;
	case SF_SPAPR: return families[FAM_SPAPR].path;
	default: return acpi_paths[file - GEN_SPECIAL - SF_ACPI0];
	}
}

/* ---- generic files ---- */

static void render_generic(struct strbuf *out, const struct gen_state *s, const struct gen_file *f)
{
	unsigned i;

	if (f->rst) {
		strbuf_addf(out, "%s\n", f->type);
		for (i = 0; f->type[i]; i++)
			strbuf_addch(out, '=');
		strbuf_addstr(out, "\n\nThis page is part of a generated benchmark history.\n\n");
		for (i = 0; i < f->nfn; i++) {
			strbuf_addf(out, "Step %u\n-------\n\nValue 0x%08x is expected here.\n\n", i,
				    (unsigned)gen_hash(f->slot0 + i, s->counts[f->slot0 + i]));
		}
		return;
	}
	strbuf_addf(out, "/*\n * %s: generated benchmark source\n *\n"
		    " * SPDX-License-Identifier: GPL-2.0-or-later\n */\n\n"
		    "#include \"qemu/osdep.h\"\n#include \"%s.h\"\n\n", f->type, f->ident);
	for (i = 0; i < f->nfn; i++) {
		strbuf_addf(out, "/* %s step %u */\nstatic uint32_t %s_step%u(void)\n{\n"
			    "    return 0x%08x;\n}\n\n", f->ident, i, f->ident, i,
			    (unsigned)gen_hash(f->slot0 + i, s->counts[f->slot0 + i]));
	}
	if (!f->nprop)
		return;
	strbuf_addf(out, "static const Property %s_properties[] = {\n", f->ident);
	for (i = 0; i < f->nprop; i++) {
		strbuf_addstr(out, "    DEFINE_PROP_BOOL(\"");
		gen_prop_name(out, f, i);
		strbuf_addf(out, "\", %sState, flag%u, %s),\n", f->ident, i,
			    gen_prop_value(s, f, i) ? "true" : "false");
	}
	strbuf_addstr(out, "};\n");
}

static void render_acpi(struct strbuf *out, const struct gen_state *s, unsigned k)
{
	const char *sig = strrchr(acpi_paths[k], '/') + 1;
	uint64_t seed = gen_hash(k, s->acpi[k]);
	size_t len = 512 + seed % 1536, i;

	strbuf_add(out, sig, 4);
	for (i = 4; i < len; i++)
		strbuf_addch(out, (char)(gen_hash(seed, i) % 7 ? gen_hash(seed, i) & 0xff : 0));
}

/* ---- compat arrays ---- */

static void render_compat(struct strbuf *out, const struct gen_universe *u, const struct gen_compat *c)
{
	const char *kind = c->pc ? "pc" : "hw";
	size_t i;

	if (!c->n) {
		strbuf_addf(out, "GlobalProperty %s_compat_%d_%d[] = {};\n", kind, c->major, c->minor);
	} else {
		strbuf_addf(out, "GlobalProperty %s_compat_%d_%d[] = {\n", kind, c->major, c->minor);
		for (i = 0; i < c->n; i++) {
			const struct gen_file *f = &u->files[c->entries[i].file];

			strbuf_addf(out, "    { \"%s\", \"", f->type);
			gen_prop_name(out, f, c->entries[i].prop);
			strbuf_addf(out, "\", \"%s\" },\n", c->entries[i].value ? "on" : "off");
		}
		strbuf_addstr(out, "};\n");
	}
	strbuf_addf(out, "const size_t %s_compat_%d_%d_len = G_N_ELEMENTS(%s_compat_%d_%d);\n\n",
		    kind, c->major, c->minor, kind, c->major, c->minor);
}

static void render_compat_file(struct strbuf *out, const struct gen_universe *u,
			       const struct gen_state *s, bool pc)
{
	size_t i;

	strbuf_addf(out, "/*\n * %s: compat properties per machine version\n *\n"
		    " * SPDX-License-Identifier: GPL-2.0-or-later\n */\n\n"
		    "#include \"qemu/osdep.h\"\n#include \"hw/boards.h\"\n\n",
		    pc ? "PC machine common code" : "Machine core");
	for (i = 0; i < s->ncompat; i++) {
		if (s->compat[i].pc == pc)
			render_compat(out, u, &s->compat[i]);
	}
	strbuf_addf(out, "static void %s_class_init(ObjectClass *oc, const void *data)\n{\n"
		    "    MachineClass *mc = MACHINE_CLASS(oc);\n\n"
		    "    mc->default_ram_id = \"%s.ram\";\n}\n", pc ? "pc_machine" : "machine",
		    pc ? "pc" : "machine");
}

/* ---- machine files ---- */

enum era { ERA_STRUCT, ERA_STRING, ERA_VARIADIC };

/* Which syntax a file written while developing or maintaining major.minor uses. */
static enum era era_of(const struct gen_state *s)
{
	if (s->major < 2 || (s->major == 2 && s->minor < 4))
		return ERA_STRUCT;
	if (s->major < 9 || (s->major == 9 && s->minor < 1))
		return ERA_STRING;
	return ERA_VARIADIC;
}

/* "10_1", "4_0_1", "2_12_sxxm" */
static void ver_ident(struct strbuf *out, const struct gen_machine *m)
{
	strbuf_addf(out, "%d_%d", m->major, m->minor);
	if (m->micro >= 0)
		strbuf_addf(out, "_%d", m->micro);
	if (m->sxxm)
		strbuf_addstr(out, "_sxxm");
}

/* "10.1", "4.0.1", "2.12-sxxm" */
static void ver_text(struct strbuf *out, const struct gen_machine *m)
{
	strbuf_addf(out, "%d.%d", m->major, m->minor);
	if (m->micro >= 0)
		strbuf_addf(out, ".%d", m->micro);
	if (m->sxxm)
		strbuf_addstr(out, "-sxxm");
}

/* The options function name of machine m; NULL m means the family's base options. */
static void options_fn(struct strbuf *out, const struct family_info *fi, enum era era,
		       const struct gen_machine *m, const char *what)
{
	if (!m) {
		strbuf_addf(out, "%s_machine_%soptions", fi->fn, what);
		return;
	}
	if (era == ERA_STRING && fi->x86) {
		strbuf_addf(out, "%s_", fi->fn);
		ver_ident(out, m);
		strbuf_addf(out, "_machine_%soptions", what);
		return;
	}
	strbuf_addf(out, "%s_machine_", fi->fn);
	ver_ident(out, m);
	strbuf_addf(out, "_%soptions", what);
}

/* The machine whose options m's options call: the next newer untagged one, or the base's. */
static const struct gen_machine *newer_of(const struct gen_machine *ms, size_t i)
{
	if (ms[i].sxxm) {
		size_t j;

		for (j = 0; j < i; j++)
			if (!ms[j].sxxm && ms[j].major == ms[i].major && ms[j].minor == ms[i].minor)
				return &ms[j];
	}
	while (i-- > 0) {
		if (!ms[i].sxxm)
			return &ms[i];
	}
	return NULL;
}

static void render_defines(struct strbuf *out, const struct family_info *fi, enum gen_family f,
			   enum era era)
{
	const char *M = fi->macro;

	if (era == ERA_STRUCT && fi->x86)
		return;
	if (fi->x86 && era == ERA_STRING) {
		strbuf_addf(out, "#define DEFINE_%s_MACHINE(suffix, name, compatfn, optionfn) \\\n"
			    "    static void %s_init_##suffix(MachineState *machine) \\\n"
			    "    { \\\n        void (*compat)(MachineState *m) = (compatfn); \\\n"
			    "        if (compat) { \\\n            compat(machine); \\\n        } \\\n"
			    "        %s_init(machine); \\\n    } \\\n"
			    "    DEFINE_PC_MACHINE(suffix, name, %s_init_##suffix, optionfn)\n\n",
			    M, fi->fn, fi->fn, fi->fn);
		return;
	}
	if (fi->x86) {
		strbuf_addf(out, "#define DEFINE_%s_MACHINE_IMPL(latest, ...) \\\n"
			    "    DEFINE_PC_VER_MACHINE(%s, \"%.*s\", %s_init, latest, __VA_ARGS__)\n\n",
			    M, fi->fn, (int)strlen(fi->name) - 1, fi->name, fi->fn);
	} else if (f == FAM_ARM_VIRT && era != ERA_VARIADIC) {
		strbuf_addf(out, "#define DEFINE_VIRT_MACHINE_LATEST(major, minor, latest) \\\n"
			    "    static void virt_##major##_##minor##_class_init(ObjectClass *oc, \\\n"
			    "                                                    const void *data) \\\n"
			    "    { \\\n        MachineClass *mc = MACHINE_CLASS(oc); \\\n"
			    "        virt_machine_##major##_##minor##_options(mc); \\\n"
			    "        mc->desc = \"generic virtual platform \" # major \".\" # minor; \\\n"
			    "        if (latest) { \\\n            mc->alias = \"virt\"; \\\n        } \\\n"
			    "    }\n"
			    "#define DEFINE_VIRT_MACHINE_AS_LATEST(major, minor) \\\n"
			    "    DEFINE_VIRT_MACHINE_LATEST(major, minor, true)\n"
			    "#define DEFINE_VIRT_MACHINE(major, minor) \\\n"
			    "    DEFINE_VIRT_MACHINE_LATEST(major, minor, false)\n\n");
		return;
	} else if (era != ERA_VARIADIC) {
		strbuf_addf(out, "#define DEFINE_%s_MACHINE(suffix, verstr, latest) \\\n"
			    "    static void %s_machine_##suffix##_class_init(ObjectClass *oc, \\\n"
			    "                                                  const void *data) \\\n"
			    "    { \\\n        MachineClass *mc = MACHINE_CLASS(oc); \\\n"
			    "        %s_machine_##suffix##_class_options(mc); \\\n"
			    "        mc->desc = \"machine version \" verstr; \\\n"
			    "        if (latest) { \\\n            mc->is_default = true; \\\n        } \\\n"
			    "    }\n\n", M, fi->fn, fi->fn);
		return;
	} else {
		strbuf_addf(out, "#define DEFINE_%s_MACHINE_IMPL(latest, ...) \\\n"
			    "    static void MACHINE_VER_SYM(class_init, %s, __VA_ARGS__)(ObjectClass *oc, \\\n"
			    "                                                   const void *data) \\\n"
			    "    { \\\n        MachineClass *mc = MACHINE_CLASS(oc); \\\n"
			    "        MACHINE_VER_SYM(class_options, %s, __VA_ARGS__)(mc); \\\n"
			    "        mc->desc = \"machine version \" MACHINE_VER_STR(__VA_ARGS__); \\\n"
			    "        MACHINE_VER_DEPRECATION(__VA_ARGS__); \\\n"
			    "        if (latest) { \\\n            mc->alias = \"%s\"; \\\n        } \\\n"
			    "    }\n\n", M, fi->fn, fi->fn, fi->name);
	}
	strbuf_addf(out, "#define DEFINE_%s_MACHINE_AS_LATEST(major, minor) \\\n"
		    "    DEFINE_%s_MACHINE_IMPL(true, major, minor)\n"
		    "#define DEFINE_%s_MACHINE(major, minor) \\\n"
		    "    DEFINE_%s_MACHINE_IMPL(false, major, minor)\n", M, M, M, M);
	if (f == FAM_Q35)
		strbuf_addf(out, "#define DEFINE_%s_MACHINE_BUGFIX(major, minor, micro) \\\n"
			    "    DEFINE_%s_MACHINE_IMPL(false, major, minor, micro)\n", M, M);
	if (f == FAM_SPAPR)
		strbuf_addf(out, "#define DEFINE_%s_MACHINE_TAGGED(major, minor, tag) \\\n"
			    "    DEFINE_%s_MACHINE_IMPL(false, major, minor, _, tag)\n", M, M);
	strbuf_addch(out, '\n');
}

static void render_compat_calls(struct strbuf *out, const struct gen_state *s,
				const struct family_info *fi, const struct gen_machine *m, const char *var)
{
	if (m->micro >= 0 || m->sxxm)
		return;
	if (gen_find_compat(s, m->major, m->minor, false))
		strbuf_addf(out, "    compat_props_add(%s->compat_props, hw_compat_%d_%d, hw_compat_%d_%d_len);\n",
			    var, m->major, m->minor, m->major, m->minor);
	if (fi->x86 && gen_find_compat(s, m->major, m->minor, true))
		strbuf_addf(out, "    compat_props_add(%s->compat_props, pc_compat_%d_%d, pc_compat_%d_%d_len);\n",
			    var, m->major, m->minor, m->major, m->minor);
}

/* QEMUMachine structs registered one by one: the x86 files before 2.4. */
static void render_struct_era(struct strbuf *out, const struct gen_state *s,
			      const struct family_info *fi, const struct gen_machine *ms, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct strbuf v = STRBUF_INIT;

		ver_ident(&v, &ms[i]);
		strbuf_addf(out, "static QEMUMachine %s_machine_v%s = {\n", fi->fn, v.buf);
		strbuf_reset(&v);
		ver_text(&v, &ms[i]);
		strbuf_addf(out, "    .name = \"%s%s\",\n", fi->name, v.buf);
		if (i == 0)
			strbuf_addf(out, "    .alias = \"%s\",\n", fi->alias);
		strbuf_addf(out, "    .init = %s_init,\n    .max_cpus = 255,\n", fi->fn);
		if (gen_find_compat(s, ms[i].major, ms[i].minor, false))
			strbuf_addf(out, "    .compat_props = hw_compat_%d_%d,\n", ms[i].major, ms[i].minor);
		strbuf_addstr(out, "};\n\n");
		strbuf_release(&v);
	}
	strbuf_addf(out, "static void %s_machine_init(void)\n{\n", fi->fn);
	for (i = 0; i < n; i++) {
		struct strbuf v = STRBUF_INIT;

		ver_ident(&v, &ms[i]);
		strbuf_addf(out, "    qemu_register_machine(&%s_machine_v%s);\n", fi->fn, v.buf);
		strbuf_release(&v);
	}
	strbuf_addf(out, "}\n\nmachine_init(%s_machine_init);\n", fi->fn);
}

/* The call that defines machine i of a family, in the era's syntax. */
static void render_define_call(struct strbuf *out, const struct family_info *fi, enum gen_family f,
			       enum era era, const struct gen_machine *m, bool latest)
{
	struct strbuf id = STRBUF_INIT, text = STRBUF_INIT, fn = STRBUF_INIT;
	const char *semi = f == FAM_ARM_VIRT ? "" : ";";

	ver_ident(&id, m);
	ver_text(&text, m);
	if (era == ERA_VARIADIC) {
		if (m->micro >= 0)
			strbuf_addf(out, "DEFINE_%s_MACHINE_BUGFIX(%d, %d, %d)%s\n", fi->macro, m->major,
				    m->minor, m->micro, semi);
		else if (m->sxxm)
			strbuf_addf(out, "DEFINE_%s_MACHINE_TAGGED(%d, %d, sxxm)%s\n", fi->macro, m->major,
				    m->minor, semi);
		else
			strbuf_addf(out, "DEFINE_%s_MACHINE%s(%d, %d)%s\n", fi->macro,
				    latest ? "_AS_LATEST" : "", m->major, m->minor, semi);
	} else if (fi->x86) {
		options_fn(&fn, fi, era, m, "");
		strbuf_addf(out, "DEFINE_%s_MACHINE(v%s, \"%s%s\", NULL,\n                   %s);\n",
			    fi->macro, id.buf, fi->name, text.buf, fn.buf);
	} else if (f == FAM_ARM_VIRT) {
		strbuf_addf(out, "DEFINE_VIRT_MACHINE%s(%d, %d)\n", latest ? "_AS_LATEST" : "",
			    m->major, m->minor);
	} else {
		strbuf_addf(out, "DEFINE_%s_MACHINE(%s, \"%s\", %s);\n", fi->macro, id.buf, text.buf,
			    latest ? "true" : "false");
	}
	strbuf_release(&id);
	strbuf_release(&text);
	strbuf_release(&fn);
}

static void render_machine_file(struct strbuf *out, const struct gen_universe *u,
				const struct gen_state *s, enum gen_family f)
{
	const struct family_info *fi = &families[f];
	const struct gen_machine *ms = s->machines[f];
	size_t n = s->nmachines[f], i;
	enum era era = era_of(s);
	const char *var = fi->x86 ? "m" : "mc";
	bool split = f == FAM_S390X; /* class and instance options */

	(void)u;
	strbuf_addf(out, "/*\n * %.*s machine types (generated benchmark history)\n *\n"
		    " * SPDX-License-Identifier: GPL-2.0-or-later\n */\n\n"
		    "#include \"qemu/osdep.h\"\n#include \"hw/boards.h\"\n\n",
		    (int)strlen(fi->name) - 1, fi->name);
	render_defines(out, fi, f, era);
	strbuf_addf(out, "static void %s_machine_%soptions(MachineClass *%s)\n{\n"
		    "    %s->default_display = \"std\";\n    %s->units_per_default_bus = 1;\n}\n\n",
		    fi->fn, split ? "class_" : "", var, var, var);
	if (era == ERA_STRUCT && fi->x86) {
		render_struct_era(out, s, fi, ms, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct gen_machine *newer = newer_of(ms, i);
		bool latest = i == 0;
		struct strbuf fn = STRBUF_INIT, call = STRBUF_INIT;

		if (split) {
			options_fn(&fn, fi, era, &ms[i], "instance_");
			strbuf_addf(out, "static void %s(MachineState *machine)\n{\n", fn.buf);
			if (newer) {
				options_fn(&call, fi, era, newer, "instance_");
				strbuf_addf(out, "    %s(machine);\n", call.buf);
			}
			strbuf_addstr(out, "}\n\n");
			strbuf_reset(&fn);
			strbuf_reset(&call);
		}
		options_fn(&fn, fi, era, &ms[i], split ? "class_" : "");
		options_fn(&call, fi, era, newer, split ? "class_" : "");
		strbuf_addf(out, "static void %s(MachineClass *%s)\n{\n    %s(%s);\n", fn.buf, var,
			    call.buf, var);
		if (era == ERA_STRING && fi->x86 && i <= 1)
			strbuf_addf(out, "    m->alias = %s%s%s;\n", latest ? "\"" : "",
				    latest ? fi->alias : "NULL", latest ? "\"" : "");
		if (ms[i].sxxm)
			strbuf_addf(out, "    %s->default_caps_spectre = true;\n", var);
		render_compat_calls(out, s, fi, &ms[i], var);
		strbuf_addstr(out, "}\n\n");
		render_define_call(out, fi, f, era, &ms[i], latest);
		strbuf_addch(out, '\n');
		strbuf_release(&fn);
		strbuf_release(&call);
	}
}

void gen_render(struct strbuf *out, const struct gen_universe *u, const struct gen_state *s,
		uint32_t file)
{
	if (file < GEN_SPECIAL) {
		render_generic(out, s, &u->files[file]);
		return;
	}
	switch (file - GEN_SPECIAL) {
	case SF_VERSION:
		strbuf_addf(out, "%s\n", s->version);
		break;
	case SF_MACHINE_C:
		render_compat_file(out, u, s, false);
		break;
	case SF_PC_C:
		render_compat_file(out, u, s, true);
		break;
	case SF_Q35: render_machine_file(out, u, s, FAM_Q35); break;
	case SF_I440FX: render_machine_file(out, u, s, FAM_I440FX); break;
	case SF_ARM_VIRT: render_machine_file(out, u, s, FAM_ARM_VIRT); break;
	case SF_S390X: render_machine_file(out, u, s, FAM_S390X); break;
	case SF_SPAPR: render_machine_file(out, u, s, FAM_SPAPR); break;
	default:
		render_acpi(out, s, file - GEN_SPECIAL - SF_ACPI0);
		break;
	}
}
