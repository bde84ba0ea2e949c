/*
 * Guest interfaces no compat array names, driven by
 * tests/scenarios/abi/guest.json: virtio feature bits offered, hypercalls
 * registered, I/O addresses in device headers (abi_guest.c), and the values
 * a reset function gives migrated fields (abi_reset.c). Every commit there
 * changes the base one way; its "expect" entry lists the signals that must fire.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "abi/abi.h"
#include "util/error.h"
#include "util/jsonfile.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

static void classify(struct abi_evidence_list *out, struct test_classifier *f, const char *id)
{
	abi_evidence_list_init(out);
	ck_assert_msg(abi_classify_commit(out, f->repo, f->config, &f->fams,
					  scenario_commit(&f->s, id)) == 0,
		      "%s: %s", id, mt_error_last());
}

/* "signal strength path:line detail" per item, one a line. */
static char *dump(const struct abi_evidence_list *list)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < list->count; i++)
		strbuf_addf(&sb, "%s %s %s:%d: %s\n", list->items[i].signal,
			    abi_strength_name(list->items[i].strength), list->items[i].path,
			    list->items[i].line, list->items[i].detail);
	return strbuf_detach(&sb, NULL);
}

START_TEST(every_case_fires_exactly_its_signals)
{
	struct test_classifier f;
	struct json_file spec;
	char *file = test_path("scenarios/abi/guest.json");
	json_t *want;
	const char *id;
	size_t cases = 0, near_misses = 0;

	test_classifier_open(&f, "abi/guest.json");
	ck_assert_int_eq(json_file_load(&spec, file), 0);
	json_object_foreach(json_object_get(spec.root, "expect"), id, want) {
		struct abi_evidence_list list;
		struct strbuf got = STRBUF_INIT, wanted = STRBUF_INIT;
		json_t *sig;
		char *all;
		size_t i;

		classify(&list, &f, id);
		for (i = 0; i < list.count; i++)
			strbuf_addf(&got, "%s%s", i ? "," : "", list.items[i].signal);
		json_array_foreach(want, i, sig)
			strbuf_addf(&wanted, "%s%s", i ? "," : "", json_string_value(sig));
		all = dump(&list);
		ck_assert_msg(!strcmp(got.buf, wanted.buf), "%s: got [%s], want [%s]\n%s", id,
			      got.buf, wanted.buf, all);
		cases++;
		near_misses += json_array_size(want) == 0;
		free(all);
		strbuf_release(&got);
		strbuf_release(&wanted);
		abi_evidence_list_release(&list);
	}
	ck_assert_uint_ge(cases, 16);
	ck_assert_uint_ge(near_misses, 10);
	json_file_release(&spec);
	free(file);
	test_classifier_close(&f);
}
END_TEST

static void expect_dump(struct test_classifier *f, const char *id, const char *expected)
{
	struct abi_evidence_list list;
	char *got;

	classify(&list, f, id);
	got = dump(&list);
	ck_assert_str_eq(got, expected);
	free(got);
	abi_evidence_list_release(&list);
}

START_TEST(details_read_as_written)
{
	struct test_classifier f;

	test_classifier_open(&f, "abi/guest.json");
	expect_dump(&f, "f-offer-added",
		    "virtio-feature abi-change hw/virtio/gizmo.c:7: call added: "
		    "virtio_add_feature(&features, VIRTIO_GIZMO_F_SLOW)\n");
	/* a removal is placed on the old side's line */
	expect_dump(&f, "f-offer-removed",
		    "virtio-feature abi-change hw/virtio/gizmo.c:6: call removed: "
		    "virtio_add_feature(&features, VIRTIO_GIZMO_F_FAST)\n");
	expect_dump(&f, "f-legacy-bit",
		    "virtio-feature abi-change hw/virtio/gizmo.c:31: assignment added: "
		    "legacy_features |= (1ULL << VIRTIO_GIZMO_F_OLD)\n");
	expect_dump(&f, "h-registered",
		    "hypercall likely hw/ppc/spapr_gizmo.c:11: call added: "
		    "spapr_register_hypercall(H_GIZMO_QUERY, h_gizmo_query)\n");
	expect_dump(&f, "i-port-moved",
		    "io-address abi-change include/hw/misc/gizmo.h:5: "
		    "#define GIZMO_IO_BASE 0x0510 -> 0x0500\n");
	test_classifier_close(&f);
}
END_TEST

START_TEST(subjects_name_the_feature_the_call_and_the_address)
{
	struct test_classifier f;
	struct abi_evidence_list list;

	test_classifier_open(&f, "abi/guest.json");
	classify(&list, &f, "f-offer-added");
	ck_assert_uint_eq(list.count, 1);
	ck_assert_str_eq(list.items[0].subject, "VIRTIO_GIZMO_F_SLOW");
	ck_assert(!list.items[0].removed);
	abi_evidence_list_release(&list);
	classify(&list, &f, "f-offer-removed");
	ck_assert_uint_eq(list.count, 1);
	ck_assert(list.items[0].removed);
	abi_evidence_list_release(&list);
	classify(&list, &f, "h-registered");
	ck_assert_uint_eq(list.count, 1);
	ck_assert_str_eq(list.items[0].subject, "H_GIZMO_QUERY");
	abi_evidence_list_release(&list);
	classify(&list, &f, "i-mmio-moved");
	ck_assert_uint_eq(list.count, 1);
	ck_assert_str_eq(list.items[0].subject, "GIZMO_MMIO_ADDR");
	ck_assert_str_eq(list.items[0].old_value, "0xfed10000");
	ck_assert_str_eq(list.items[0].new_value, "0xfed20000");
	abi_evidence_list_release(&list);
	test_classifier_close(&f);
}
END_TEST

Suite *suite_abi_guest(void)
{
	Suite *s = suite_create("abi_guest");
	TCase *tc = tcase_create("abi_guest");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_case_fires_exactly_its_signals);
	tcase_add_test(tc, details_read_as_written);
	tcase_add_test(tc, subjects_name_the_feature_the_call_and_the_address);
	suite_add_tcase(s, tc);
	return s;
}
