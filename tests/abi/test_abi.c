/*
 * The guest-ABI classifier, driven by tests/scenarios/abi/signals.json:
 * every commit there changes the base in one way, and its "expect" entry
 * lists the signals that must fire (an empty list is a near-miss).
 */
#include <check.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "abi/abi.h"
#include "util/qversion.h"
#include "util/error.h"
#include "util/jsonfile.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"

/* abi_config_from_json on text in memory. */
static int abi_config_parse(struct abi_config **out, const char *name, const char *text,
			    size_t len)
{
	struct json_file jf;
	int ret;

	*out = NULL;
	ret = json_file_parse(&jf, name, text, len);
	if (ret < 0)
		return ret;
	ret = abi_config_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

static void classify(struct abi_evidence_list *out, struct test_classifier *f, const char *id)
{
	abi_evidence_list_init(out);
	ck_assert_msg(abi_classify_commit(out, f->repo, f->config, &f->fams, scenario_commit(&f->s, id)) == 0,
		      "%s: %s", id, mt_error_last());
}

/* "sig1,sig2" of the list, sorted as the list is. */
static void signal_names(struct strbuf *out, const struct abi_evidence_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		strbuf_addf(out, "%s%s", i ? "," : "", list->items[i].signal);
}

static void dump(struct strbuf *out, const struct abi_evidence_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		strbuf_addf(out, "\n  %s %s %s:%d %s", list->items[i].signal,
			    abi_strength_name(list->items[i].strength), list->items[i].path,
			    list->items[i].line, list->items[i].detail);
}

START_TEST(every_case_fires_exactly_its_signals)
{
	struct test_classifier f;
	struct json_file spec;
	char *file = test_path("scenarios/abi/signals.json");
	json_t *expect, *want;
	const char *id;
	size_t cases = 0, near_misses = 0;

	test_classifier_open(&f, "abi/signals.json");
	ck_assert_int_eq(json_file_load(&spec, file), 0);
	expect = json_object_get(spec.root, "expect");
	json_object_foreach(expect, id, want) {
		struct abi_evidence_list list;
		struct strbuf got = STRBUF_INIT, wanted = STRBUF_INIT, all = STRBUF_INIT;
		json_t *sig;
		size_t i;

		classify(&list, &f, id);
		signal_names(&got, &list);
		json_array_foreach(want, i, sig)
			strbuf_addf(&wanted, "%s%s", i ? "," : "", json_string_value(sig));
		dump(&all, &list);
		ck_assert_msg(!strcmp(got.buf, wanted.buf), "%s: got [%s], want [%s]%s", id, got.buf,
			      wanted.buf, all.buf);
		cases++;
		near_misses += json_array_size(want) == 0;
		strbuf_release(&got);
		strbuf_release(&wanted);
		strbuf_release(&all);
		abi_evidence_list_release(&list);
	}
	/* The scenario keeps both kinds; a truncated file would pass vacuously. */
	ck_assert_uint_ge(cases, 30);
	ck_assert_uint_ge(near_misses, 15);
	json_file_release(&spec);
	free(file);
	test_classifier_close(&f);
}
END_TEST

static const struct abi_evidence *only(const struct abi_evidence_list *list)
{
	ck_assert_uint_eq(list->count, 1);
	return &list->items[0];
}

START_TEST(class_field_change_names_function_and_values)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "m-base-changed");
	e = only(&list);
	ck_assert_str_eq(e->path, "hw/i386/pc_q35.c");
	ck_assert_int_eq(e->line, 31);
	ck_assert(!e->removed);
	ck_assert_int_eq(e->strength, ABI_CHANGE);
	ck_assert_str_eq(e->detail, "pc_q35_machine_options: m->default_kernel_irqchip_split = "
				    "false (was true)");
	ck_assert_str_eq(e->subject, "m->default_kernel_irqchip_split");
	ck_assert_str_eq(e->old_value, "true");
	ck_assert_str_eq(e->new_value, "false");
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

START_TEST(property_default_and_removal_details)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "p-default-continuation-line");
	e = only(&list);
	/* The call starts a line above the changed default. */
	ck_assert_int_eq(e->line, 49);
	ck_assert_str_eq(e->detail, "DEFINE_PROP_UINT32 \"queues\" (WidgetState) default 4 -> 8");
	ck_assert_str_eq(e->subject, "queues");
	abi_evidence_list_release(&list);

	classify(&list, &f, "p-removed");
	e = only(&list);
	ck_assert(e->removed);
	ck_assert_int_eq(e->line, 52); /* on the old side */
	ck_assert_int_eq(e->strength, ABI_REVIEW);
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

START_TEST(cpu_and_vmstate_details)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "c-model-features");
	e = only(&list);
	ck_assert_str_eq(e->subject, "Widgetlake-Client");
	ck_assert_str_eq(e->detail, "builtin_x86_defs entry \"Widgetlake-Client\": "
				    ".features[FEAT_7_0_EBX] changed");
	abi_evidence_list_release(&list);

	classify(&list, &f, "v-subsection-no-needed");
	e = only(&list);
	ck_assert_str_eq(e->detail, "vmstate_widget: subsection vmstate_widget_features added "
				    "without .needed");
	abi_evidence_list_release(&list);

	classify(&list, &f, "a-old-directory");
	e = only(&list);
	/* SSDT.x is new: a new test's table, not a change; DSDT changed. */
	ck_assert_str_eq(e->detail, "expected ACPI tables changed in tests/acpi-test-data/pc/: "
				    "DSDT");
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

/*
 * Details read as words: a quoted statement has no final `;` nor blanks a
 * blanked comment left inside brackets, several changed lines are counted
 * in words, and ACPI code quotes what the body now does rather than the
 * function's changed signature.
 */
START_TEST(details_quote_statements_readably)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "c-cpuid-two-lines");
	e = only(&list);
	ck_assert_str_eq(e->detail, "cpu_x86_cpuid: added *ebx = env->features[FEAT_7_0_EBX] & "
				    "~CPUID_7_0_EBX_INTEL_PT, one of 4 changed lines");
	abi_evidence_list_release(&list);

	classify(&list, &f, "a-code-signature-and-body");
	e = only(&list);
	ck_assert_str_eq(e->detail, "ACPI code changed in build_gizmo_remap: added "
				    "remap->flags |= wide ? 2 : 0");
	abi_evidence_list_release(&list);

	/* one line replaced: the removed and the added one */
	classify(&list, &f, "c-cpuid");
	e = only(&list);
	ck_assert_msg(strstr(e->detail, ", one of 2 changed lines") && !strchr(e->detail, ';'),
		      "%s", e->detail);
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

static const struct abi_evidence *find_signal(const struct abi_evidence_list *list,
					      const char *signal)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		if (!strcmp(list->items[i].signal, signal))
			return &list->items[i];
	}
	return NULL;
}

START_TEST(compat_entries_are_named_by_array_and_version)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "k-entry-changed");
	e = only(&list);
	ck_assert_str_eq(e->path, "hw/core/machine.c");
	ck_assert_int_eq(e->line, 12);
	ck_assert_str_eq(e->array, "hw_compat_3_1");
	ck_assert(e->has_array_version);
	ck_assert_int_eq(e->array_version.major, 3);
	ck_assert_int_eq(e->array_version.minor, 1);
	ck_assert_str_eq(e->detail, "hw_compat_3_1: changed { pcie-root-port, x-speed, 5 } (was 2_5)");
	abi_evidence_list_release(&list);

	classify(&list, &f, "k-entry-removed");
	e = only(&list);
	ck_assert(e->removed);
	ck_assert_int_eq(e->line, 6); /* on the old side */
	abi_evidence_list_release(&list);

	/* A new, empty array starts a compat chain: worth a review, not a change. */
	classify(&list, &f, "k-new-empty-array");
	e = only(&list);
	ck_assert_int_eq(e->strength, ABI_REVIEW);
	ck_assert_str_eq(e->detail, "hw_compat_4_1: new compat array (0 entries)");
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

START_TEST(default_with_matching_compat_entry_is_only_review)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "k-default-with-compat");
	e = find_signal(&list, "property-default");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->strength, ABI_REVIEW);
	ck_assert_str_eq(e->covered_by, "hw_compat_4_0");
	/* Without the compat entry the same default change is an ABI change. */
	abi_evidence_list_release(&list);
	classify(&list, &f, "p-default-changed");
	e = only(&list);
	ck_assert_int_eq(e->strength, ABI_CHANGE);
	ck_assert_ptr_null(e->covered_by);
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

START_TEST(latest_machine_move_names_both_machines)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "l-latest-moved");
	e = find_signal(&list, "machine-latest");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->detail, "latest q35 machine: pc-q35-4.0 -> pc-q35-4.0.1");
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

static void classify_backport(struct abi_evidence_list *out, struct test_classifier *f,
			      const char *backport, const char *upstream, const char *stream)
{
	struct qversion v;

	ck_assert_int_eq(qversion_parse(&v, stream), 0);
	abi_evidence_list_init(out);
	ck_assert_msg(abi_classify_backport(out, f->repo, f->config, &f->fams,
					    scenario_commit(&f->s, backport),
					    scenario_commit(&f->s, upstream), &v) == 0,
		      "%s", mt_error_last());
}

START_TEST(upstream_compat_entries_at_or_above_the_stream)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_evidence *e;

	test_classifier_open(&f, "abi/signals.json");
	/* The stream's own release: the upstream fix held 4.0 machines back, the backport does not. */
	classify_backport(&list, &f, "p-default-changed", "k-default-with-compat", "4.0");
	e = find_signal(&list, "upstream-compat");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->strength, ABI_CHANGE);
	ck_assert_str_eq(e->array, "hw_compat_4_0");
	ck_assert_msg(strstr(e->detail, "hw_compat_4_0: added { widget, depth, 16 }"), "%s", e->detail);
	ck_assert_ptr_nonnull(find_signal(&list, "property-default"));
	abi_evidence_list_release(&list);

	/* An older stream is affected too: its machines collect every newer compat array. */
	classify_backport(&list, &f, "p-default-changed", "k-default-with-compat", "3.1");
	ck_assert_ptr_nonnull(find_signal(&list, "upstream-compat"));
	abi_evidence_list_release(&list);

	/* Near-miss: an array for a version older than the stream is not this stream's machine. */
	classify_backport(&list, &f, "p-default-changed", "k-default-with-compat", "4.1");
	ck_assert_ptr_null(find_signal(&list, "upstream-compat"));
	abi_evidence_list_release(&list);

	/* Near-miss: the backport carries the same compat entry (the stream has the array). */
	classify_backport(&list, &f, "k-default-with-compat", "k-default-with-compat", "4.0");
	ck_assert_ptr_null(find_signal(&list, "upstream-compat"));
	ck_assert_ptr_nonnull(find_signal(&list, "compat-array"));
	abi_evidence_list_release(&list);

	/* Near-miss: an upstream commit that only adds an empty array holds nothing back. */
	classify_backport(&list, &f, "p-default-changed", "k-new-empty-array", "4.0");
	ck_assert_ptr_null(find_signal(&list, "upstream-compat"));
	abi_evidence_list_release(&list);

	/* Near-miss: an upstream commit that only removes an entry holds nothing back. */
	classify_backport(&list, &f, "p-default-changed", "k-entry-removed", "3.1");
	ck_assert_ptr_null(find_signal(&list, "upstream-compat"));
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

START_TEST(same_commit_same_evidence)
{
	struct test_classifier f;
	struct abi_evidence_list a, b;
	struct strbuf da = STRBUF_INIT, db = STRBUF_INIT;

	test_classifier_open(&f, "abi/signals.json");
	classify(&a, &f, "v-field-versioned");
	classify(&b, &f, "v-field-versioned");
	dump(&da, &a);
	dump(&db, &b);
	ck_assert_str_eq(da.buf, db.buf);
	strbuf_release(&da);
	strbuf_release(&db);
	abi_evidence_list_release(&a);
	abi_evidence_list_release(&b);
	test_classifier_close(&f);
}
END_TEST

START_TEST(compat_entries_cover_a_changed_default)
{
	struct test_classifier f;
	struct abi_evidence_list list;
	const struct abi_compat_entry other = { "hw_compat_4_0", "widget", "legacy-io", "on" };
	const struct abi_compat_entry keeps = { "hw_compat_4_0", "widget", "legacy-io", "off" };
	const struct abi_compat_entry same_as_new = { "hw_compat_4_0", "widget", "x-fast-path", "on" };
	const struct abi_compat_entry off_for_old = { "hw_compat_4_0", "widget", "x-fast-path", "false" };

	test_classifier_open(&f, "abi/signals.json");
	classify(&list, &f, "p-default-changed");
	/* An entry with the new value keeps nothing old. */
	ck_assert_uint_eq(abi_evidence_cover_defaults(&list, &other, 1), 0);
	ck_assert_int_eq(only(&list)->strength, ABI_CHANGE);
	ck_assert_uint_eq(abi_evidence_cover_defaults(&list, &keeps, 1), 1);
	ck_assert_int_eq(only(&list)->strength, ABI_REVIEW);
	ck_assert_str_eq(only(&list)->covered_by, "hw_compat_4_0");
	abi_evidence_list_release(&list);

	/* A new property on by default, kept off for older machines (the 8.0.1 shape). */
	classify(&list, &f, "p-added-not-neutral");
	ck_assert_uint_eq(abi_evidence_cover_defaults(&list, &same_as_new, 1), 0);
	ck_assert_uint_eq(abi_evidence_cover_defaults(&list, &off_for_old, 1), 1);
	ck_assert_int_eq(only(&list)->strength, ABI_REVIEW);
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

static void expect_config_error(const char *text, const char *needle)
{
	struct abi_config *c = NULL;

	ck_assert_int_eq(abi_config_parse(&c, "rules/abi-signals.json", text, strlen(text)),
			 MT_ERROR);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(mt_error_last(), needle), "got '%s', want '%s'", mt_error_last(),
		      needle);
}

/* The shipped file with one text replaced, to test one mistake at a time. */
static char *shipped_with(const char *from, const char *to)
{
	char *path = test_path("../rules/abi-signals.json");
	struct json_file f;
	struct strbuf sb = STRBUF_INIT;
	char *at;

	ck_assert_int_eq(json_file_load(&f, path), 0);
	at = strstr(f.text, from);
	ck_assert_ptr_nonnull(at);
	strbuf_add(&sb, f.text, (size_t)(at - f.text));
	strbuf_addstr(&sb, to);
	strbuf_addstr(&sb, at + strlen(from));
	json_file_release(&f);
	free(path);
	return strbuf_detach(&sb, NULL);
}

START_TEST(bad_config_says_what_and_where)
{
	char *t;

	t = shipped_with("\"receivers\":", "\"receiver\":");
	expect_config_error(t, "unknown key \"receiver\" in machine_options");
	free(t);
	t = shipped_with("\"signal\": \"machine-class-field\"", "\"signal\": \"upstream-compat\"");
	expect_config_error(t, "signal \"upstream-compat\" needs history");
	free(t);
	t = shipped_with("\"added\": \"property-added\"", "\"added\": \"property-new\"");
	expect_config_error(t, "signal \"property-new\" is not declared");
	free(t);
	t = shipped_with("\"strength\": \"likely\"", "\"strength\": \"maybe\"");
	expect_config_error(t, "strength \"maybe\" is not one of");
	free(t);
	expect_config_error("{ \"schema\": 2 }", "rules/abi-signals.json:1:3: \"schema\" must be 1");
}
END_TEST

START_TEST(only_upstream_signals_need_more_than_the_commit)
{
	struct test_classifier f;
	const struct abi_signal *signals;
	size_t n, i, reserved = 0;

	test_classifier_open(&f, "abi/signals.json");
	signals = abi_config_signals(f.config, &n);
	for (i = 0; i < n; i++) {
		if (signals[i].needs)
			reserved++;
	}
	/*
	 * upstream-compat needs the backport's upstream commit, followup-compat
	 * master's later fixes of it: only history knows them.
	 */
	ck_assert_uint_eq(reserved, 2);
	ck_assert_str_eq(signals[2].id, "upstream-compat");
	ck_assert_str_eq(signals[2].needs, "history");
	ck_assert_str_eq(signals[3].id, "followup-compat");
	ck_assert_str_eq(signals[3].needs, "history");
	ck_assert_str_eq(abi_strength_name(ABI_CHANGE), "abi-change");
	test_classifier_close(&f);
}
END_TEST

/* Every field of every item, so two lists compare equal only when they are. */
static void dump_all(struct strbuf *out, const struct abi_evidence_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		const struct abi_evidence *e = &list->items[i];

		strbuf_addf(out, "%s|%d|%s|%d|%d|%s|%s|%s|%s|%s|%s|%d|%d.%d.%d\n", e->signal,
			    e->strength, e->path, e->line, e->removed, e->detail,
			    e->subject ? e->subject : "-", e->old_value ? e->old_value : "-",
			    e->new_value ? e->new_value : "-", e->covered_by ? e->covered_by : "-",
			    e->array ? e->array : "-", e->has_array_version,
			    e->array_version.major, e->array_version.minor, e->array_version.micro);
	}
}

/* The compat-array and machine-latest items of a whole classification, dumped. */
static void dump_machine_items(struct strbuf *out, const struct abi_evidence_list *list)
{
	struct abi_evidence_list only;
	size_t i;

	abi_evidence_list_init(&only);
	for (i = 0; i < list->count; i++) {
		const struct abi_evidence *e = &list->items[i];
		struct abi_evidence_list one = { (struct abi_evidence *)e, 1, 1 };

		if (!strcmp(e->signal, "compat-array") || !strcmp(e->signal, "machine-latest"))
			abi_evidence_list_append(&only, &one);
	}
	dump_all(out, &only);
	abi_evidence_list_release(&only);
}

static size_t compare_machines(struct mt_repo *repo, const struct abi_config *config,
			       const struct families *fams, const struct scenario *s)
{
	size_t i, with_items = 0;

	for (i = 0; i < s->ncommits; i++) {
		struct abi_evidence_list whole, machines;
		struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;

		abi_evidence_list_init(&whole);
		abi_evidence_list_init(&machines);
		ck_assert_int_eq(abi_classify_commit(&whole, repo, config, fams, &s->oids[i]), 0);
		ck_assert_int_eq(abi_classify_machines(&machines, repo, config, fams, &s->oids[i]), 0);
		dump_machine_items(&want, &whole);
		dump_all(&got, &machines);
		ck_assert_msg(!strcmp(want.buf, got.buf), "%s:\n%s\nvs\n%s", s->ids[i], want.buf,
			      got.buf);
		with_items += machines.count > 0;
		abi_evidence_list_release(&whole);
		abi_evidence_list_release(&machines);
		strbuf_release(&want);
		strbuf_release(&got);
	}
	return with_items;
}

/* What an upstream commit is read for: exactly the machine-file part of its evidence. */
START_TEST(machines_only_is_the_machine_part)
{
	struct test_classifier f;
	struct scenario demo;
	struct mt_repo *demo_repo;

	test_classifier_open(&f, "abi/signals.json");
	ck_assert_uint_gt(compare_machines(f.repo, f.config, &f.fams, &f.s), 3);
	test_scenario(&demo, "demo/demo.json");
	ck_assert_int_eq(repo_open(&demo_repo, demo.path), 0);
	ck_assert_uint_gt(compare_machines(demo_repo, f.config, &f.fams, &demo), 1);
	repo_free(demo_repo);
	scenario_release(&demo);
	test_classifier_close(&f);
}
END_TEST

Suite *suite_abi(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("abi");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_case_fires_exactly_its_signals);
	tcase_add_test(tc, class_field_change_names_function_and_values);
	tcase_add_test(tc, property_default_and_removal_details);
	tcase_add_test(tc, cpu_and_vmstate_details);
	tcase_add_test(tc, details_quote_statements_readably);
	tcase_add_test(tc, same_commit_same_evidence);
	tcase_add_test(tc, compat_entries_are_named_by_array_and_version);
	tcase_add_test(tc, default_with_matching_compat_entry_is_only_review);
	tcase_add_test(tc, latest_machine_move_names_both_machines);
	tcase_add_test(tc, upstream_compat_entries_at_or_above_the_stream);
	tcase_add_test(tc, compat_entries_cover_a_changed_default);
	tcase_add_test(tc, bad_config_says_what_and_where);
	tcase_add_test(tc, only_upstream_signals_need_more_than_the_commit);
	tcase_add_test(tc, machines_only_is_the_machine_part);
	suite_add_tcase(s, tc);
	return s;
}
