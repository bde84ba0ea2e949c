/*
 * Machine types and compat arrays from QEMU-shaped fixtures of every era
 * (the C files in tests/scenarios/machines/), with the built-in rules/families.json.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "machines/families.h"
#include "machines/machines.h"
#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"
#include "util/jsonfile.h"

/* families_from_json on text in memory. */
static int families_parse(struct families *out, const char *name, const char *text, size_t len)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = families_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

static char *read_fixture(size_t *len, const char *name)
{
	struct strbuf path = STRBUF_INIT, sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f;

	strbuf_addf(&path, "%s/scenarios/machines/%s", MT_TEST_DIR, name);
	f = fopen(path.buf, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path.buf);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	strbuf_release(&path);
	return strbuf_detach(&sb, len);
}

static void load_families(struct families *fams)
{
	int ret = families_load(fams, MT_TEST_DIR "/../rules");

	ck_assert_msg(ret == 0, "%s", mt_error_last());
}

/* One line per machine: "name kind [latest=alias] [if guard] :line". */
static char *summarise(const char *family, const char *fixture)
{
	struct families fams;
	struct machine_list l = { NULL, 0, 0 };
	struct strbuf sb = STRBUF_INIT;
	char *text;
	size_t len, i;
	int ret;

	load_families(&fams);
	text = read_fixture(&len, fixture);
	ret = machines_parse_blob(&l, families_find(&fams, family), fixture, text, len);
	ck_assert_msg(ret == 0, "%s", mt_error_last());
	for (i = 0; i < l.n; i++) {
		const struct machine *m = &l.v[i];

		strbuf_addf(&sb, "%s %s", m->name, machine_kind_name(m->kind));
		if (m->latest)
			strbuf_addf(&sb, " latest=%s", m->alias);
		if (m->guard)
			strbuf_addf(&sb, " if %s", m->guard);
		strbuf_addf(&sb, " :%d\n", m->line);
	}
	machine_list_release(&l);
	families_release(&fams);
	free(text);
	return strbuf_detach(&sb, NULL);
}

#define EXPECT_MACHINES(family, fixture, expected) \
	do { \
		char *got_ = summarise(family, fixture); \
		ck_assert_str_eq(got_, expected); \
		free(got_); \
	} while (0)

START_TEST(tokenizer_traps)
{
	/* comments, strings, #if 0, dead #else of #if 1, defines: none of them is a machine */
	EXPECT_MACHINES("q35", "traps.c",
			"pc-q35-7.1 release :21\n"
			"pc-q35-7.0 release if CONFIG_LEGACY_PC :27\n"
			"pc-q35-6.2 release if !CONFIG_LEGACY_PC :29\n"
			"pc-q35-6.1 release if defined(CONFIG_OTHER) :37\n"
			"pc-q35-7.2 release :40\n"
			"pc-q35-8.0 release :45\n"
			"pc-q35-8.1 release latest=q35 :53\n"
			"pc-q35-7.2.1 bugfix :54\n");
}
END_TEST

START_TEST(q35_every_era)
{
	EXPECT_MACHINES("q35", "q35-2.4.c",
			"pc-q35-4.0.1 bugfix latest=q35 :11\n"
			"pc-q35-4.0 release :21\n");
	EXPECT_MACHINES("q35", "q35-9.1.c",
			"pc-q35-9.1 release latest=q35 :10\n"
			"pc-q35-9.0 release :18\n"
			"pc-q35-4.0.1 bugfix :19\n"
			"pc-q35-4.0 release :20\n");
	EXPECT_MACHINES("q35", "q35-11.c",
			"pc-q35-11.0 release latest=q35 :2\n"
			"pc-q35-10.2 release :3\n"
			"pc-q35-10.0.4 bugfix :4\n");
}
END_TEST

START_TEST(i440fx_every_era)
{
	const struct family *f;
	struct families fams;
	bool in_pc_c = false;
	size_t i;

	/* 0.10 to 0.12: the machines are in hw/pc.c, beside the board code */
	load_families(&fams);
	f = families_find(&fams, "i440fx");
	for (i = 0; f && i < f->npaths; i++)
		in_pc_c |= !strcmp(f->paths[i], "hw/pc.c");
	ck_assert(in_pc_c);
	ck_assert(families_holds_path(&fams, "hw/pc.c", false));
	families_release(&fams);
	EXPECT_MACHINES("i440fx", "pc-0.12.c",
			"pc-0.12 release latest=pc :7\n"
			"pc-0.11 release :16\n");
	/* isapc has no version: outside the lifecycle, not listed */
	EXPECT_MACHINES("i440fx", "pc-2.0.c",
			"pc-i440fx-2.0 release latest=pc :2\n"
			"pc-1.3 release :10\n");
	EXPECT_MACHINES("i440fx", "i440fx-9.0.c",
			"pc-i440fx-9.0 release latest=pc :8\n"
			"pc-i440fx-8.2 release :18\n");
	/* the x86 string-name shape does not turn isapc into a machine either */
	EXPECT_MACHINES("q35", "q35-2.4.c",
			"pc-q35-4.0.1 bugfix latest=q35 :11\n"
			"pc-q35-4.0 release :21\n");
}
END_TEST

START_TEST(arm_virt_every_era)
{
	EXPECT_MACHINES("arm-virt", "arm-virt-2.6.c", "virt-2.6 release latest=virt :14\n");
	EXPECT_MACHINES("arm-virt", "arm-virt-2.12.c",
			"virt-2.12 release latest=virt :10\n"
			"virt-2.11 release :16\n"
			"virt-2.10 release :18\n");
	EXPECT_MACHINES("arm-virt", "m68k-9.1.c",
			"virt-9.1 release latest=virt :1\n"
			"virt-9.0 release :2\n");
}
END_TEST

START_TEST(s390x_every_era)
{
	EXPECT_MACHINES("s390x-ccw", "s390x-2.4.c",
			"s390-ccw-virtio-2.4 release latest=s390-ccw-virtio :9\n");
	EXPECT_MACHINES("s390x-ccw", "s390x-2.12.c",
			"s390-ccw-virtio-2.12 release latest=s390-ccw-virtio :5\n"
			"s390-ccw-virtio-2.11 release :6\n"
			"s390-ccw-virtio-2.5 release if CONFIG_S390X_LEGACY_CPUS :9\n");
	EXPECT_MACHINES("s390x-ccw", "s390x-11.c",
			"s390-ccw-virtio-11.1 release latest=s390-ccw-virtio :1\n"
			"s390-ccw-virtio-11.0 release :2\n");
}
END_TEST

START_TEST(spapr_every_era)
{
	EXPECT_MACHINES("spapr", "spapr-2.5.c",
			"pseries-2.5 release latest=pseries :9\n"
			"pseries-2.4 release :15\n");
	EXPECT_MACHINES("spapr", "spapr-2.12.c",
			"pseries-2.12 release latest=pseries :2\n"
			"pseries-2.12-sxxm tagged :3\n"
			"pseries-2.11 release :4\n");
	EXPECT_MACHINES("spapr", "spapr-9.1.c",
			"pseries-9.1 release latest=pseries :3\n"
			"pseries-2.12-sxxm tagged :4\n"
			"pseries-2.12 release :5\n");
}
END_TEST

START_TEST(m68k_third_argument_is_not_a_micro)
{
	EXPECT_MACHINES("m68k-virt", "m68k-9.0.c",
			"virt-9.0 release latest=virt :5\n"
			"virt-8.2 release :6\n");
	EXPECT_MACHINES("m68k-virt", "m68k-9.1.c",
			"virt-9.1 release latest=virt :1\n"
			"virt-9.0 release :2\n");
}
END_TEST

START_TEST(loongarch_virt)
{
	EXPECT_MACHINES("loongarch-virt", "loongarch-11.c",
			"virt-11.1 release latest=virt :3\n"
			"virt-11.0 release :4\n");
}
END_TEST

static const struct compat_array *find_array(const struct compat_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	}
	return NULL;
}

static void assert_entry(const struct compat_entry *e, const char *driver, const char *property,
			 const char *value, bool optional)
{
	ck_assert_ptr_null(e->row);
	ck_assert_str_eq(e->driver, driver);
	ck_assert_str_eq(e->property, property);
	ck_assert_str_eq(e->value, value);
	ck_assert_int_eq(e->optional, optional);
}

START_TEST(compat_arrays_as_written)
{
	struct families fams;
	struct compat_list l = { NULL, 0, 0 };
	const struct compat_array *a;
	char *text, v[32];
	size_t len;

	load_families(&fams);
	text = read_fixture(&len, "compat.c");
	ck_assert_int_eq(compat_parse_blob(&l, &fams, "hw/core/machine.c", text, len), 0);
	ck_assert_uint_eq(l.n, 5); /* the #if 0 array is not one of them */
	ck_assert_ptr_null(find_array(&l, "hw_compat_1_0"));

	a = find_array(&l, "hw_compat_7_2");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->line, 2);
	ck_assert_str_eq(qversion_format(v, sizeof(v), &a->version), "7.2");
	ck_assert_uint_eq(a->nentries, 3);
	assert_entry(&a->entries[0], "e1000e", "migrate-timadj", "off", false);
	assert_entry(&a->entries[1], "TYPE_PCI_DEVICE", "x-pcie-err-unc-mask", "off", false);
	assert_entry(&a->entries[2], "virtio-mem", "x-early-migration", "false", true);
	ck_assert_int_eq(a->entries[1].line, 4);

	a = find_array(&l, "pc_compat_2_12");
	ck_assert_uint_eq(a->nentries, 3);
	assert_entry(&a->entries[0], "\"Opteron_G3-\" TYPE_X86_CPU", "rdtscp", "off", false);
	assert_entry(&a->entries[1], "migration", "decompress-error-check", "off", false);
	ck_assert_str_eq(a->entries[2].row, "PC_CPU_MODEL_IDS(\"2.12\")");
	ck_assert_ptr_null(a->entries[2].driver);

	a = find_array(&l, "hw_compat_10_1");
	ck_assert_uint_eq(a->nentries, 0);
	ck_assert_str_eq(qversion_format(v, sizeof(v), &a->version), "10.1");

	a = find_array(&l, "HW_COMPAT_2_5");
	ck_assert(a->macro);
	ck_assert_uint_eq(a->nincludes, 1);
	ck_assert_str_eq(a->includes[0], "HW_COMPAT_2_6");
	ck_assert_uint_eq(a->nentries, 2);
	assert_entry(&a->entries[0], "isa-fdc", "fallback", "144", false);
	assert_entry(&a->entries[1], "pvscsi", "x-old-pci-configuration", "on", false);

	a = find_array(&l, "compat");
	ck_assert_str_eq(a->function, "spapr_machine_2_11_class_options");
	ck_assert_str_eq(qversion_format(v, sizeof(v), &a->version), "2.11");
	assert_entry(&a->entries[0], "TYPE_SPAPR_MACHINE", "pre-2.12-migration", "on", false);

	compat_list_release(&l);
	families_release(&fams);
	free(text);
}
END_TEST

/*
 * The 0.x-1.x era: a QEMUMachine struct's own inline list is an array named
 * "VAR.compat_props", for the version of the machine's name; a machine
 * without one has none, and another struct type's list is no compat list.
 */
START_TEST(compat_lists_inside_machine_structs)
{
	struct families fams;
	struct compat_list l = { NULL, 0, 0 };
	const struct compat_array *a;
	char *text, v[32];
	size_t len;

	load_families(&fams);
	text = read_fixture(&len, "pc-0.12.c");
	ck_assert_int_eq(compat_parse_blob(&l, &fams, "hw/pc.c", text, len), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_ptr_null(find_array(&l, "pc_machine.compat_props"));
	ck_assert_ptr_null(find_array(&l, "pc_dimm_info.compat_props"));
	a = find_array(&l, "pc_machine_v0_11.compat_props");
	ck_assert_ptr_nonnull(a);
	ck_assert(a->has_version);
	ck_assert_str_eq(qversion_format(v, sizeof(v), &a->version), "0.11");
	ck_assert_int_eq(a->line, 20);
	ck_assert_uint_eq(a->nentries, 1);
	assert_entry(&a->entries[0], "virtio-blk-pci", "vectors", "0", false);
	/* the version after the name's last '-', not the 35 of q35 */
	a = find_array(&l, "pc_q35_machine_v1_4.compat_props");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(qversion_format(v, sizeof(v), &a->version), "1.4");
	ck_assert_str_eq(a->entries[0].row, "PC_Q35_COMPAT_1_4");
	compat_list_release(&l);
	families_release(&fams);
	free(text);
}
END_TEST

static const char *life(const char *machine, const char *qemu)
{
	struct qversion m, q;

	ck_assert_int_eq(qversion_parse(&m, machine), 0);
	ck_assert_int_eq(qversion_parse(&q, qemu), 0);
	return machine_lifecycle_name(machine_lifecycle_at(&m, &q, 3, 6));
}

START_TEST(lifecycle_at_several_versions)
{
	/* domain.md §3: at 10.2.0, 7.2 and older deprecated, 4.2 and older gone */
	ck_assert_str_eq(life("7.2", "10.2.0"), "deprecated");
	ck_assert_str_eq(life("8.0", "10.2.0"), "supported");
	ck_assert_str_eq(life("4.2", "10.2.0"), "expired");
	ck_assert_str_eq(life("5.0", "10.2.0"), "deprecated");
	/* at 11.0.0, 8.0 and older deprecated, 5.0 and older gone */
	ck_assert_str_eq(life("8.0", "11.0.0"), "deprecated");
	ck_assert_str_eq(life("8.1", "11.0.0"), "supported");
	ck_assert_str_eq(life("5.0", "11.0.0"), "expired");
	ck_assert_str_eq(life("5.1", "11.0.0"), "deprecated");
	/* development and rc builds count as the next release */
	ck_assert_str_eq(life("7.1", "10.0.50"), "deprecated");
	ck_assert_str_eq(life("7.2", "10.0.50"), "supported");
	ck_assert_str_eq(life("8.0", "10.2.50"), "deprecated");
	ck_assert_str_eq(life("8.0", "10.2.90"), "deprecated");
	ck_assert_str_eq(life("8.0", "10.2.0"), "supported");
	ck_assert_str_eq(life("5.0", "10.2.90"), "expired");
	/* micro and tag are ignored: a bugfix machine goes with its base */
	ck_assert_str_eq(life("4.0.1", "10.0.0"), "expired");
	ck_assert_str_eq(life("2.12-sxxm", "9.1.0"), "expired");
	ck_assert_str_eq(life("7.0.1", "10.0.0"), "deprecated");
}
END_TEST

START_TEST(version_from_identifiers)
{
	struct qversion v;
	char out[32];

	ck_assert_int_eq(version_from_identifier(&v, "hw_compat_4_0"), 0);
	ck_assert_str_eq(qversion_format(out, sizeof(out), &v), "4.0");
	ck_assert_int_eq(version_from_identifier(&v, "pc_q35_4_0_1_machine_options"), 0);
	ck_assert_str_eq(qversion_format(out, sizeof(out), &v), "4.0.1");
	ck_assert_int_eq(version_from_identifier(&v, "PC_COMPAT_2_12"), 0);
	ck_assert_str_eq(qversion_format(out, sizeof(out), &v), "2.12");
	ck_assert_int_eq(version_from_identifier(&v, "arm_virt_compat"), -1);
	ck_assert_int_eq(version_from_identifier(&v, "x86_64_cpu"), -1);
}
END_TEST

/*
 * A families file of one family on four lines: its call's args, more keys
 * of the call, more top-level keys (from a comma) go where the %s are.
 */
static const char one_family[] =
	"{ \"schema\": 1, \"lifecycle\": { \"headers\": [\"b.h\"], "
	"\"deprecation_constant\": \"D\", \"deletion_constant\": \"E\", "
	"\"deprecation_major\": 3, \"deletion_major\": 6 },\n"
	"\"compat\": { \"paths\": [\"m.c\"], \"array_types\": [\"GlobalProperty\"] },\n"
	"\"families\": [ { \"id\": \"x\", \"paths\": [\"x.c\"], \"prefixes\": [\"x-\"], "
	"\"alias\": \"x\",\n \"calls\": [ { \"macro\": \"M\", \"args\": [%s] %s} ] } ]%s }";

START_TEST(families_reject_unknown_keys_and_roles)
{
	struct families fams;
	char text[1024];

	snprintf(text, sizeof(text), one_family, "\"major\", \"minor\"", "", "");
	ck_assert_int_eq(families_parse(&fams, "f.json", text, strlen(text)), 0);
	ck_assert_uint_eq(fams.n, 1);
	ck_assert_int_eq(fams.v[0].calls[0].args[1], ROLE_MINOR);
	families_release(&fams);

	snprintf(text, sizeof(text), one_family, "\"major\", \"minor\"", ", \"macros\": 1", "");
	ck_assert_int_eq(families_parse(&fams, "f.json", text, strlen(text)), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "f.json:4:"));
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "unknown key \"macros\""));

	snprintf(text, sizeof(text), one_family, "\"major\", \"mnior\"", "", "");
	ck_assert_int_eq(families_parse(&fams, "f.json", text, strlen(text)), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "must be one of: any, major"));
}
END_TEST

/* "unversioned_scope" is optional; when given, it holds globs, and a wrong item is named where it is. */
START_TEST(families_unversioned_scope_holds_globs)
{
	struct families fams;
	char text[1024];

	snprintf(text, sizeof(text), one_family, "\"major\"", "",
		 ",\n\"unversioned_scope\": [ \"hw/riscv/*\", \"target/riscv/*\" ]");
	ck_assert_msg(families_parse(&fams, "f.json", text, strlen(text)) == 0, "%s", mt_error_last());
	ck_assert_uint_eq(fams.nunversioned_scope, 2);
	ck_assert_str_eq(fams.unversioned_scope[1], "target/riscv/*");
	families_release(&fams);

	snprintf(text, sizeof(text), one_family, "\"major\"", "",
		 ",\n\"unversioned_scope\": [ \"hw/riscv/*\", 7 ]");
	ck_assert_int_eq(families_parse(&fams, "f.json", text, strlen(text)), MT_ERROR);
	ck_assert_msg(strstr(mt_error_last(), "f.json:5:") &&
		      strstr(mt_error_last(), "\"unversioned_scope\" must hold non-empty strings"),
		      "%s", mt_error_last());
}
END_TEST

/*
 * Every family has "paths", "alias" and "calls": a mistake in the third
 * family's is reported at its own line, not at the first family's key of
 * the same name.
 */
START_TEST(families_errors_point_at_the_family_meant)
{
	static const char head[] =
		"{ \"schema\": 1, \"lifecycle\": { \"headers\": [\"b.h\"],\n"
		"  \"deprecation_constant\": \"D\", \"deletion_constant\": \"E\",\n"
		"  \"deprecation_major\": 3, \"deletion_major\": 6 },\n"
		"  \"compat\": { \"paths\": [\"m.c\"], \"array_types\": [\"GlobalProperty\"] },\n"
		"  \"families\": [\n";
	static const char family[] =
		"    { \"id\": \"f%d\", \"paths\": [\"f%d.c\"], \"prefixes\": [\"f%d-\"],\n"
		"      \"alias\": %s,\n"
		"      \"calls\": [ { \"macro\": \"M\", \"args\": [\"major\", %s] } ] }%s\n";
	static const struct {
		const char *alias, *arg, *want;
	} cases[] = {
		{ "\"x\"", "\"minor\"", NULL },
		{ "7", "\"minor\"", "f.json:13:7: family f2: \"alias\" must be a non-empty string" },
		{ "\"x\"", "\"mnior\"", "f.json:14:52: family f2: \"args\" must be one of: any," },
	};
	size_t k;
	int i;

	for (k = 0; k < ARRAY_SIZE(cases); k++) {
		struct strbuf text = STRBUF_INIT;
		struct families fams;

		strbuf_addstr(&text, head);
		for (i = 0; i < 3; i++)
			strbuf_addf(&text, family, i, i, i, i == 2 ? cases[k].alias : "\"x\"",
				    i == 2 ? cases[k].arg : "\"minor\"", i == 2 ? "" : ",");
		strbuf_addstr(&text, "  ] }\n");
		if (!cases[k].want) {
			ck_assert_msg(families_parse(&fams, "f.json", text.buf, text.len) == 0, "%s",
				      mt_error_last());
			ck_assert_uint_eq(fams.n, 3);
			families_release(&fams);
		} else {
			ck_assert_int_eq(families_parse(&fams, "f.json", text.buf, text.len), MT_ERROR);
			ck_assert_msg(!strncmp(mt_error_last(), cases[k].want, strlen(cases[k].want)),
				      "%s\nwant: %s", mt_error_last(), cases[k].want);
		}
		strbuf_release(&text);
	}
}
END_TEST

/* The paths a pruned walk asks about: files and the directories on their way. */
START_TEST(families_hold_their_paths_and_directories)
{
	struct families fams;

	load_families(&fams);
	ck_assert(families_holds_path(&fams, "hw/i386/pc_q35.c", false));
	ck_assert(families_holds_path(&fams, "hw/i386/", false));
	ck_assert(families_holds_path(&fams, "hw/", false));
	ck_assert(!families_holds_path(&fams, "hw/usb/", false));
	ck_assert(!families_holds_path(&fams, "hw/i386", false)); /* a file of that name */
	ck_assert(!families_holds_path(&fams, "hw/i386/pc_q35", false));
	/* hw/core/machine.c holds compat arrays, no family's machines */
	ck_assert(!families_holds_path(&fams, "hw/core/machine.c", false));
	ck_assert(!families_holds_path(&fams, "hw/core/", false));
	ck_assert(families_holds_path(&fams, "hw/core/machine.c", true));
	ck_assert(families_holds_path(&fams, "hw/core/", true));
	ck_assert(!families_holds_path(&fams, "tests/", true));
	families_release(&fams);
}
END_TEST

/* virt-7.2 is both arm's and m68k's: said with the architecture only then. */
START_TEST(display_name_tells_shared_names_apart)
{
	struct machine ms[3];
	struct strbuf sb = STRBUF_INIT;

	memset(ms, 0, sizeof(ms));
	ms[0].name = "virt-7.2";
	ms[0].family = "arm-virt";
	ms[1].name = "virt-7.2";
	ms[1].family = "m68k-virt";
	ms[2].name = "pc-q35-7.2";
	ms[2].family = "q35";
	machine_display_name(&sb, &ms[0], ".1", ms, 3);
	ck_assert_str_eq(sb.buf, "virt-7.2.1 (arm)");
	strbuf_reset(&sb);
	machine_display_name(&sb, &ms[1], NULL, ms, 3);
	ck_assert_str_eq(sb.buf, "virt-7.2 (m68k)");
	strbuf_reset(&sb);
	machine_display_name(&sb, &ms[2], NULL, ms, 3);
	ck_assert_str_eq(sb.buf, "pc-q35-7.2");
	strbuf_reset(&sb);
	/* Alone in its list, arm's virt needs no architecture. */
	machine_display_name(&sb, &ms[0], NULL, ms, 1);
	ck_assert_str_eq(sb.buf, "virt-7.2");
	strbuf_release(&sb);
}
END_TEST

/* Both sides of a q35 file as one-file models, as the ABI classifier makes them. */
static void file_model(struct model *m, const struct families *fams, const char *fixture)
{
	char *text;
	size_t len;

	memset(m, 0, sizeof(*m));
	text = read_fixture(&len, fixture);
	ck_assert_int_eq(compat_parse_blob(&m->compat, fams, "hw/i386/pc_q35.c", text, len), 0);
	ck_assert_int_eq(machines_parse_blob(&m->machines, families_find(fams, "q35"),
					     "hw/i386/pc_q35.c", text, len), 0);
	free(text);
}

static void entry_line(struct strbuf *sb, const struct compat_entry *e)
{
	if (e->row)
		strbuf_addstr(sb, e->row);
	else
		strbuf_addf(sb, "%s %s=%s%s", e->driver, e->property, e->value,
			    e->optional ? " (optional)" : "");
}

START_TEST(model_diff_of_a_stable_fix)
{
	struct families fams;
	struct model a, b;
	struct model_diff d;
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;

	load_families(&fams);
	file_model(&a, &fams, "diff-old.c");
	file_model(&b, &fams, "diff-new.c");
	model_diff(&d, &fams, &a, &b, MODEL_DIFF_MACHINES | MODEL_DIFF_COMPAT);
	for (i = 0; i < d.nadded; i++)
		strbuf_addf(&sb, "+ %s\n", d.added[i]->name);
	for (i = 0; i < d.nremoved; i++)
		strbuf_addf(&sb, "- %s\n", d.removed[i]->name);
	for (i = 0; i < d.nchanged; i++)
		strbuf_addf(&sb, "~ %s %#x\n", d.changed[i].new->name, d.changed[i].fields);
	for (i = 0; i < d.nlatest; i++)
		strbuf_addf(&sb, "latest %s: %s -> %s\n", d.latest[i].family->id,
			    d.latest[i].old->name, d.latest[i].new->name);
	for (i = 0; i < d.narrays; i++) {
		const struct compat_array_change *c = &d.arrays[i];

		strbuf_addf(&sb, "%s %s\n", !c->old ? "+" : !c->new ? "-" : "~",
			    (c->new ? c->new : c->old)->name);
		for (j = 0; j < c->nentries; j++) {
			const struct compat_entry_change *e = &c->entries[j];

			strbuf_addstr(&sb, !e->old ? "  + " : !e->new ? "  - " : "  ~ ");
			entry_line(&sb, e->old ? e->old : e->new);
			if (e->old && e->new) {
				strbuf_addstr(&sb, " -> ");
				entry_line(&sb, e->new);
			}
			strbuf_addch(&sb, '\n');
		}
	}
	/*
	 * The repeated twice-dev row matches its first occurrence, so losing
	 * the second is no removal; changes come in the old array's order.
	 */
	ck_assert_str_eq(sb.buf,
		"+ pc-q35-4.0.1\n"
		"- pc-q35-3.0\n"
		"~ pc-q35-4.0 0x6\n"
		"latest q35: pc-q35-4.0 -> pc-q35-4.0.1\n"
		"~ pc_compat_4_0\n"
		"  + added-dev prop=on\n"
		"  - gone-dev prop=1\n"
		"  ~ kept-dev value=off -> kept-dev value=on\n"
		"  ~ kept-dev flag=on -> kept-dev flag=on (optional)\n"
		"- pc_compat_3_1\n"
		"  - old-dev prop=on\n"
		"+ pc_compat_4_0_1\n"
		"  + new-dev prop=off\n");
	model_diff_release(&d);

	/* Nothing changes between a model and itself; machines only leaves the arrays alone. */
	model_diff(&d, &fams, &b, &b, MODEL_DIFF_MACHINES | MODEL_DIFF_COMPAT);
	ck_assert_uint_eq(d.nadded + d.nremoved + d.nchanged + d.nlatest + d.narrays, 0);
	model_diff_release(&d);
	model_diff(&d, &fams, &a, &b, MODEL_DIFF_MACHINES);
	ck_assert_uint_eq(d.narrays, 0);
	ck_assert_uint_eq(d.nadded, 1);
	model_diff_release(&d);

	model_release(&a);
	model_release(&b);
	families_release(&fams);
	strbuf_release(&sb);
}
END_TEST

Suite *suite_machines(void)
{
	Suite *s = suite_create("machines");
	TCase *tc = tcase_create("machines");

	tcase_add_test(tc, tokenizer_traps);
	tcase_add_test(tc, q35_every_era);
	tcase_add_test(tc, i440fx_every_era);
	tcase_add_test(tc, arm_virt_every_era);
	tcase_add_test(tc, s390x_every_era);
	tcase_add_test(tc, spapr_every_era);
	tcase_add_test(tc, m68k_third_argument_is_not_a_micro);
	tcase_add_test(tc, loongarch_virt);
	tcase_add_test(tc, compat_arrays_as_written);
	tcase_add_test(tc, compat_lists_inside_machine_structs);
	tcase_add_test(tc, lifecycle_at_several_versions);
	tcase_add_test(tc, version_from_identifiers);
	tcase_add_test(tc, families_hold_their_paths_and_directories);
	tcase_add_test(tc, families_reject_unknown_keys_and_roles);
	tcase_add_test(tc, families_unversioned_scope_holds_globs);
	tcase_add_test(tc, families_errors_point_at_the_family_meant);
	tcase_add_test(tc, display_name_tells_shared_names_apart);
	tcase_add_test(tc, model_diff_of_a_stable_fix);
	suite_add_tcase(s, tc);
	return s;
}
