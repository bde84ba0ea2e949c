/*
 * The rule engine through `mtcheck audit` and `mtcheck check`, on the
 * scenarios in tests/scenarios/engine/ and on the demo: every rule has a
 * history that triggers it and a near-miss that must not.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "testutil.h"

/*
 * How many findings have this rule and, for each of the others that is not
 * NULL, this stream, commit (a scenario id) and machine.
 */
static int count(json_t *root, struct scenario *s, const char *rule, const char *stream,
		 const char *commit, const char *machine)
{
	json_t *findings = json_object_get(root, "findings"), *f;
	size_t i;
	int n = 0;

	json_array_foreach(findings, i, f) {
		const char *fr = json_string_value(json_object_get(f, "rule"));
		const char *fs = json_string_value(json_object_get(f, "stream"));
		const char *fc = json_string_value(json_object_get(f, "commit"));
		const char *fm = json_string_value(json_object_get(f, "machine"));

		if (strcmp(fr, rule))
			continue;
		if (stream && (!fs || strcmp(fs, stream)))
			continue;
		if (commit && (!fc || strcmp(fc, scenario_hex(s, commit))))
			continue;
		if (machine && (!fm || strcmp(fm, machine)))
			continue;
		n++;
	}
	return n;
}

static int total(json_t *root)
{
	return (int)json_array_size(json_object_get(root, "findings"));
}

START_TEST(bugfix_machines_across_streams)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	json_t *j;

	test_scenario(&s, "engine/bugfix.json");
	j = test_run_json(&s, 1, audit);
	/* ABI001: the uncovered default change; the fix shipped with its bugfix machine is not */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "s_depth", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, NULL, NULL), 1);
	/* BFM001: the second q35 bugfix machine, not the i440fx one (another family) */
	ck_assert_int_eq(count(j, &s, "BFM001", "stable-12.0", "s_q35b", "pc-q35-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM001", NULL, NULL, NULL), 1);
	/* BFM002: the two machines master lacks; pc-q35-12.0.1 is in master */
	ck_assert_int_eq(count(j, &s, "BFM002", "stable-12.0", NULL, "pc-q35-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM002", "stable-12.0", NULL, "pc-i440fx-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM002", NULL, NULL, "pc-q35-12.0.1"), 0);
	/* BFM003: reported on the newer stream that lacks them */
	ck_assert_int_eq(count(j, &s, "BFM003", "stable-12.1", "s_q35b", "pc-q35-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM003", "stable-12.1", "s_piix", "pc-i440fx-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM003", NULL, NULL, "pc-q35-12.0.1"), 0);
	/* BFM004: the tagged machine on master; stable-12.0 did not introduce it */
	ck_assert_int_eq(count(j, &s, "BFM004", "master", NULL, "pseries-2.12-sxxm"), 1);
	ck_assert_int_eq(count(j, &s, "BFM004", "stable-12.0", NULL, NULL), 0);
	/* BFM005: three bugfix machines in 2030, more than two */
	ck_assert_int_eq(count(j, &s, "BFM005", NULL, NULL, NULL), 1);
	/* BFM006: 12.0.2 while the next release is 12.0.3; i440fx also on the wrong side */
	ck_assert_int_eq(count(j, &s, "BFM006", "stable-12.0", "s_q35b", "pc-q35-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM006", "stable-12.0", "s_piix", "pc-i440fx-12.0.2"), 2);
	ck_assert_int_eq(count(j, &s, "BFM006", NULL, NULL, "pc-q35-12.0.1"), 0);
	ck_assert_int_eq(total(j), 11);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* A newer stream that retired the X.Y machines is not expected to keep X.Y.Z. */
START_TEST(bugfix_machine_of_a_retired_version)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	json_t *j;

	test_scenario(&s, "engine/bfm003-retired.json");
	j = test_run_json(&s, 1, audit);
	ck_assert_int_eq(count(j, &s, "BFM003", "stable-12.1", "s_piix", "pc-i440fx-12.0.2"), 1);
	ck_assert_int_eq(count(j, &s, "BFM003", NULL, NULL, "pc-q35-12.0.1"), 0);
	/* master is told, retired or not */
	ck_assert_int_eq(count(j, &s, "BFM002", "stable-12.0", NULL, "pc-q35-12.0.1"), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(parameters_and_disabled_rules)
{
	struct scenario s;
	const char *more[] = { "audit", "--param", "BFM005.max_per_year=3,BFM001.max_per_stream=2",
			       "--disable", "BFM002", NULL };
	const char *window[] = { "audit", "--param", "BFM003.maintained_window_months=0", NULL };
	json_t *j;

	test_scenario(&s, "engine/bugfix.json");
	j = test_run_json(&s, 1, more);
	ck_assert_int_eq(count(j, &s, "BFM005", NULL, NULL, NULL), 0);
	ck_assert_int_eq(count(j, &s, "BFM001", NULL, NULL, NULL), 0);
	ck_assert_int_eq(count(j, &s, "BFM002", NULL, NULL, NULL), 0);
	ck_assert_int_eq(count(j, &s, "BFM003", NULL, NULL, NULL), 2);
	json_decref(j);
	/* stable-12.1's newest tag is the newest of all: still maintained with a zero window */
	j = test_run_json(&s, 1, window);
	ck_assert_int_eq(count(j, &s, "BFM003", "stable-12.1", NULL, NULL), 2);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(history_rules)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	json_t *j;

	test_scenario(&s, "engine/history.json");
	j = test_run_json(&s, 1, audit);
	/* ABI002: an entry added to the older hw_compat_11_2 asks for review */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-12.0", "s_balloon", NULL), 1);
	/* ABI003: the 12.1 machine made the default in stable-12.0 */
	ck_assert_int_eq(count(j, &s, "ABI003", "stable-12.0", "s_future", "pc-q35-12.1"), 1);
	ck_assert_int_eq(count(j, &s, "ABI003", NULL, NULL, NULL), 1);
	/* BFM004 on the stream that added a tagged machine, not for the one at its base */
	ck_assert_int_eq(count(j, &s, "BFM004", "stable-12.0", "s_tag", "pseries-12.0-hotfix"), 1);
	ck_assert_int_eq(count(j, &s, "BFM004", "stable-12.0", NULL, "pseries-2.12-sxxm"), 0);
	/* MIG001: the reverted backport; the stable-only revert of a base commit is not */
	ck_assert_int_eq(count(j, &s, "MIG001", "stable-12.0", "s_burst", NULL), 1);
	ck_assert_int_eq(count(j, &s, "MIG001", NULL, NULL, NULL), 1);
	/* ABI001: reverted before any release shipped it is no ABI finding; s_irq is */
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "s_burst", NULL), 0);
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "s_burst_revert", NULL), 0);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "s_irq", NULL), 1);
	/* REG001: pc-q35-12.0.1 undoes s_irq; pc-q35-8.0.1 touches nothing earlier */
	ck_assert_int_eq(count(j, &s, "REG001", "stable-12.0", "s_irq_machine", "pc-q35-12.0.1"), 1);
	ck_assert_int_eq(count(j, &s, "REG001", NULL, NULL, "pc-q35-8.0.1"), 0);
	/* LIFE002: 8.0 is deprecated at 12.0; 12.0 itself is not */
	ck_assert_int_eq(count(j, &s, "LIFE002", "stable-12.0", "s_old", "pc-q35-8.0.1"), 1);
	ck_assert_int_eq(count(j, &s, "LIFE002", NULL, NULL, "pc-q35-12.0.1"), 0);
	/* BFM006: pc-q35-12.0.1 first ships in v12.0.3 */
	ck_assert_int_eq(count(j, &s, "BFM006", "stable-12.0", "s_irq_machine", "pc-q35-12.0.1"), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(lifecycle_with_and_without_the_gate)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *check31[] = { "check", "stable-3.1", "--all", NULL };
	const char *check120[] = { "check", "stable-12.0", "--all", NULL };
	json_t *j;

	test_scenario(&s, "engine/lifecycle.json");
	j = test_run_json(&s, 1, audit);
	/* master with the constants: the old-form machine escapes the deletion check */
	ck_assert_int_eq(count(j, &s, "LIFE001", "master", NULL, "pc-q35-5.2"), 1);
	/* past the cap too, but the version-number macro goes through the check */
	ck_assert_int_eq(count(j, &s, "LIFE001", NULL, NULL, "pc-q35-6.0"), 0);
	ck_assert_int_eq(count(j, &s, "LIFE001", "master", NULL, NULL), 1);
	/* a stable stream: only what it added itself past the cap */
	ck_assert_int_eq(count(j, &s, "LIFE001", "stable-12.0", "s_old", "pc-q35-6.0.1"), 1);
	ck_assert_int_eq(count(j, &s, "LIFE001", "stable-12.0", NULL, NULL), 1);
	ck_assert_int_eq(count(j, &s, "LIFE002", "stable-12.0", "s_old", "pc-q35-6.0.1"), 1);
	ck_assert_int_eq(count(j, &s, "LIFE002", NULL, NULL, "pc-q35-12.0.1"), 0);
	/* no cap before 9.1: nothing about stable-3.1's machines, old or added */
	ck_assert_int_eq(count(j, &s, "LIFE001", "stable-3.1", NULL, NULL), 0);
	ck_assert_int_eq(count(j, &s, "LIFE002", "stable-3.1", NULL, NULL), 0);
	json_decref(j);
	/* check agrees with audit on the same streams */
	j = test_run_json(&s, 1, check31);
	ck_assert_int_eq(count(j, &s, "LIFE001", NULL, NULL, NULL), 0);
	ck_assert_int_eq(count(j, &s, "LIFE002", NULL, NULL, NULL), 0);
	json_decref(j);
	j = test_run_json(&s, 1, check120);
	ck_assert_int_eq(count(j, &s, "LIFE001", "stable-12.0", "s_old", "pc-q35-6.0.1"), 1);
	ck_assert_int_eq(count(j, &s, "LIFE001", NULL, NULL, NULL), 1);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* machines and the lifecycle rules share one calculation: no cap before 9.1. */
START_TEST(machines_lifecycle_is_era_aware)
{
	struct scenario s;
	const char *old[] = { "machines", "v3.1.0", NULL };
	const char *capped[] = { "machines", "v12.0.0", NULL };
	json_t *j, *m;
	size_t i;

	test_scenario(&s, "engine/lifecycle.json");
	j = test_run_json(&s, 0, old);
	ck_assert(json_is_null(json_object_get(json_object_get(j, "lifecycle"), "deletion_major")));
	json_array_foreach(json_object_get(j, "machines"), i, m)
		ck_assert(json_is_null(json_object_get(m, "lifecycle")));
	json_decref(j);
	j = test_run_json(&s, 0, capped);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "lifecycle"),
							    "deletion_major")), 6);
	json_array_foreach(json_object_get(j, "machines"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *life = json_string_value(json_object_get(m, "lifecycle"));

		if (!strcmp(name, "pc-q35-6.0") || !strcmp(name, "pc-q35-5.2"))
			ck_assert_str_eq(life, "expired");
		else if (!strcmp(name, "pc-q35-6.1"))
			ck_assert_str_eq(life, "deprecated");
		else
			ck_assert_str_eq(life, "supported");
	}
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* A field ("severity", "message") of the finding of `rule` about scenario commit `commit`. */
static const char *field_of(json_t *root, struct scenario *s, const char *rule,
			    const char *commit, const char *field)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(root, "findings"), i, f) {
		const char *fc = json_string_value(json_object_get(f, "commit"));

		if (!strcmp(json_string_value(json_object_get(f, "rule")), rule) && fc &&
		    !strcmp(fc, scenario_hex(s, commit)))
			return json_string_value(json_object_get(f, field));
	}
	return NULL;
}

START_TEST(compat_array_edits_by_version)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	json_t *j;

	test_scenario(&s, "engine/abi002.json");
	j = test_run_json(&s, 1, audit);
	/* The stream's own release's array: its machines change. */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-4.0", "bp_own", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI002", "bp_own", "severity"), "error");
	/* An older machine's array restored: a review. */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-4.0", "bp_old", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI002", "bp_old", "severity"), "warning");
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* 0.x: a machine struct's own list edited is ABI002, naming that machine (engine/compat-props-0x.json). */
START_TEST(compat_lists_of_machine_structs)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *msg;
	json_t *j;

	test_scenario(&s, "engine/compat-props-0x.json");
	j = test_run_json(&s, 0, audit);
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-0.12", "bp_edit", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI002", "bp_edit", "severity"), "warning");
	msg = field_of(j, &s, "ABI002", "bp_edit", "message");
	ck_assert_msg(strstr(msg, "edits compat array pc_machine_v0_11.compat_props, which pc-0.11 "
			      "apply (pc_machine_v0_11.compat_props: added { ide-drive, ver, 0.11 })"),
		      "%s", msg);
	/* a first list for a released machine changes it as much */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-0.12", "bp_first", NULL), 1);
	msg = field_of(j, &s, "ABI002", "bp_first", "message");
	ck_assert_msg(strstr(msg, "which pc-0.10 apply"), "%s", msg);
	/* pc-0.9 was not released by 0.12.0: its list holds back no released machine */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-0.12", "bp_older", NULL), 0);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

START_TEST(older_machine_versions_changed)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *msg;
	json_t *j;

	test_scenario(&s, "engine/versions.json");
	j = test_run_json(&s, 0, audit);
	/* A call in the 11.2 options function: 11.2 and older machines differ from 12.0 now. */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_call", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_call", "severity"), "warning");
	/* A class field there: the same, a review rather than an error. */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_field", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_field", "severity"), "warning");
	msg = field_of(j, &s, "ABI001", "bp_call", "message");
	ck_assert_msg(strstr(msg, "guests of pc-q35-11.2 and older see (pc_q35_machine_11_2_options: "
			      "calls pc_set_legacy_acpi_size(m))") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "review whether it restores what they had before 12.0") != NULL,
		      "%s", msg);
	/* The base init function belongs to no machine version. */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_base", NULL), 0);
	/*
	 * With code every machine runs changed beside it, the 11.2 statement
	 * holds the older machines back: the 12.0 machines take the change.
	 */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_shared", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_shared", "severity"), "warning");
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_shared", "path"), "hw/i386/x86.c");
	msg = field_of(j, &s, "ABI001", "bp_shared", "message");
	ck_assert_msg(strstr(msg, "guests of pc-q35-12.0 see (code every machine runs changed in "
			      "hw/i386/x86.c; the 11.2 and older machines kept as they were by "
			      "pc_q35_machine_11_2_options: calls x86_set_legacy_acpi_area(m))") != NULL,
		      "%s", msg);
	ck_assert_msg(strstr(msg, "add bugfix machine pc-q35-12.0.1 in both, or drop the hunk at "
			      "hw/i386/x86.c:6") != NULL, "%s", msg);
	/* A helper only the new side has is not code the newer machines ran. */
	msg = field_of(j, &s, "ABI001", "bp_helper", "message");
	ck_assert_msg(msg && strstr(msg, "guests of pc-q35-11.2 and older see") != NULL, "%s", msg);
	ck_assert_int_eq(total(j), 4);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/*
 * A feature bit forced on regardless of its property, or no longer: the
 * machines whose compat array turns the property off see it, not the
 * stream's own (engine/feature-bits.json).
 */
START_TEST(feature_bit_held_by_a_property)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *msg;
	json_t *j;

	test_scenario(&s, "engine/feature-bits.json");
	j = test_run_json(&s, 1, audit);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_held", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_held", "severity"), "warning");
	msg = field_of(j, &s, "ABI001", "bp_held", "message");
	ck_assert_msg(strstr(msg, "guests of pc-q35-11.2 and older see (call removed: "
			      "virtio_add_feature(&features, VIRTIO_GIZMO_F_FAST); the bit follows "
			      "property fast_path, on by default and off in hw_compat_11_2 for the "
			      "11.2 and older machines)") != NULL, "%s", msg);
	ck_assert_msg(strstr(msg, "review whether it restores") != NULL, "%s", msg);
	/* no property governs the wide path: the 12.0 machines lose it, an error */
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_free", "severity"), "error");
	msg = field_of(j, &s, "ABI001", "bp_free", "message");
	ck_assert_msg(msg && strstr(msg, "guests of pc-q35-12.0 see (call removed: "
				    "virtio_add_feature(&features, VIRTIO_GIZMO_F_WIDE))") != NULL,
		      "%s", msg ? msg : "none");
	ck_assert_int_eq(total(j), 2);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/* The signals `backports --format json` shows for a commit, joined by spaces. */
static char *backport_signals(json_t *root, struct scenario *s, const char *commit)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *b, *ev;
	size_t i, j;

	json_array_foreach(json_object_get(root, "backports"), i, b) {
		if (strcmp(json_string_value(json_object_get(b, "commit")), scenario_hex(s, commit)))
			continue;
		json_array_foreach(json_object_get(b, "evidence"), j, ev)
			strbuf_addf(&sb, "%s%s", sb.len ? " " : "",
				    json_string_value(json_object_get(ev, "signal")));
	}
	return strbuf_detach(&sb, NULL);
}

START_TEST(followup_fixes_name_the_backport)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *check[] = { "check", "stable-10.0", "--all", NULL };
	const char *backports[] = { "backports", "stable-10.0", NULL };
	const char *msg;
	char *signals;
	json_t *j;

	test_scenario(&s, "engine/followup.json");
	j = test_run_json(&s, 1, audit);
	/* The upstream fix had no compat hunk; its follow-up held 10.0 machines back. */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-10.0", "bp", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp", "severity"), "error");
	msg = field_of(j, &s, "ABI001", "bp", "message");
	ck_assert_ptr_nonnull(msg);
	ck_assert_msg(strstr(msg, "x-old-level") && strstr(msg, "hw_compat_10_0"), "%s", msg);
	{
		char hex[13];

		memcpy(hex, scenario_hex(&s, "fix"), 12);
		hex[12] = '\0';
		ck_assert_msg(strstr(msg, hex) != NULL, "%s", msg);
	}
	/* Near-misses: only 9.2 machines held back; the follow-up taken too; not a trailer. */
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "bp_old", NULL), 0);
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "bp_both", NULL), 0);
	/* A follow-up that moved an entry from another array into hw_compat_10_0 added none. */
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "bp_move", NULL), 0);
	json_decref(j);
	/* One stream read alone (master since the base only) gives the same answer. */
	j = test_run_json(&s, 1, check);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-10.0", "bp", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "bp_both", NULL), 0);
	json_decref(j);
	/* backports shows what audit reports, and nothing for the near-misses. */
	j = test_run_json(&s, 0, backports);
	signals = backport_signals(j, &s, "bp");
	ck_assert_str_eq(signals, "followup-compat");
	free(signals);
	signals = backport_signals(j, &s, "bp_old");
	ck_assert_str_eq(signals, "");
	free(signals);
	signals = backport_signals(j, &s, "bp_both");
	ck_assert_str_eq(signals, "");
	free(signals);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/*
 * An ABI001 names the machines of the families a change reaches: a
 * family's file, the architecture's code by the families' scope, or every
 * family for shared code; a change only families without an X.Y machine
 * in the stream reach is no finding (engine/scope.json).
 */
START_TEST(abi001_names_the_families_reached)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *msg;
	json_t *j;

	test_scenario(&s, "engine/scope.json");
	j = test_run_json(&s, 1, audit);
	/* hw/s390x: the stream has no s390x machine, so no guest of it sees the feature */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_s390", NULL), 0);
	/* hw/ppc: pseries only */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_ppc", NULL), 1);
	msg = field_of(j, &s, "ABI001", "bp_ppc", "message");
	ck_assert_msg(strstr(msg, "guests of pseries-12.0 see") && !strstr(msg, "pc-q35") &&
		      strstr(msg, "add bugfix machine pseries-12.0.1 in both"), "%s", msg);
	/* target/i386: the x86 families only */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_x86", NULL), 1);
	msg = field_of(j, &s, "ABI001", "bp_x86", "message");
	ck_assert_msg(strstr(msg, "guests of pc-q35-12.0, pc-i440fx-12.0 see") &&
		      !strstr(msg, "pseries"), "%s", msg);
	/* hw/net: shared by every family the stream has */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_shared", NULL), 1);
	msg = field_of(j, &s, "ABI001", "bp_shared", "message");
	ck_assert_msg(strstr(msg, "pc-q35-12.0, pc-i440fx-12.0, pseries-12.0 see"), "%s", msg);
	/* a pseries device outside hw/ppc (hw/char/spapr_*): pseries only */
	msg = field_of(j, &s, "ABI001", "bp_ppc_dev", "message");
	ck_assert_msg(msg && strstr(msg, "guests of pseries-12.0 see"), "%s", msg ? msg : "none");
	/* the q35 expected tables: the x86 machines */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_tables", NULL), 1);
	msg = field_of(j, &s, "ABI001", "bp_tables", "message");
	ck_assert_msg(strstr(msg, "guests of pc-q35-12.0, pc-i440fx-12.0 see") &&
		      !strstr(msg, "pseries"), "%s", msg);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

/*
 * arm and m68k both have virt-X.Y: a message names each with its
 * architecture, never the bare name twice (engine/twins.json).
 */
START_TEST(one_name_in_two_families_is_told_apart)
{
	struct scenario s;
	const char *audit[] = { "audit", NULL };
	const char *suggest[] = { "--repo", NULL, "suggest", "stable-12.0", "--all", NULL };
	struct run_result r;
	const char *msg;
	json_t *j;

	test_scenario(&s, "engine/twins.json");
	j = test_run_json(&s, 1, audit); /* a feature bit offered to every guest: an error */
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-12.0", "bp_shared", NULL), 1);
	ck_assert_str_eq(field_of(j, &s, "ABI001", "bp_shared", "severity"), "error");
	msg = field_of(j, &s, "ABI001", "bp_shared", "message");
	ck_assert_msg(strstr(msg, "guests of virt-12.0 (arm), virt-12.0 (m68k) see") &&
		      strstr(msg, "add bugfix machine virt-12.0.1 (arm), virt-12.0.1 (m68k) in "
				  "both"), "%s", msg);
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-12.0", "bp_compat", NULL), 1);
	msg = field_of(j, &s, "ABI002", "bp_compat", "message");
	ck_assert_msg(strstr(msg, "hw_compat_11_2, which virt-11.2 (arm), virt-11.2 (m68k) apply"),
		      "%s", msg);
	json_decref(j);
	suggest[1] = s.path;
	run_mtcheck(&r, NULL, suggest);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "(applied by 12.0, not by virt-12.0.1 (arm), virt-12.0.1 (m68k))"),
		      "%s", r.out);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(audit_on_the_demo)
{
	struct scenario s;
	const char *audit[] = { "audit", "--include-staging", NULL };
	json_t *j;

	test_scenario(&s, "demo/demo.json");
	j = test_run_json(&s, 1, audit);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-9.2", "s92_xhci", NULL), 1);
	ck_assert_int_eq(count(j, &s, "MIG001", "stable-9.2", "s92_xhci", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-10.0", "s100_archcap", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "staging-10.0", "s100_archcap", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "staging-10.0", "s100_txburst", NULL), 1);
	/* covered by pc-q35-10.0.2, which master and stable-10.1 have too */
	ck_assert_int_eq(count(j, &s, "ABI001", NULL, "s100_smbios", NULL), 0);
	/* restores 9.2 machines through their own, older array: a warning, not ABI001 */
	ck_assert_int_eq(count(j, &s, "ABI002", "stable-10.1", "s101_poison", NULL), 1);
	ck_assert_int_eq(count(j, &s, "ABI001", "stable-10.1", "s101_poison", NULL), 0);
	ck_assert_int_eq(total(j), 6);
	json_decref(j);
	scenario_release(&s);
}
END_TEST

static void run_demo(struct run_result *r, struct scenario *s, const char *a1, const char *a2,
		     const char *a3, const char *a4, const char *a5)
{
	const char *args[] = { "--repo", s->path, a1, a2, a3, a4, a5, NULL };

	run_mtcheck(r, NULL, args);
}

/* One process or several: the same bytes, for audit and for check. */
START_TEST(jobs_do_not_change_the_output)
{
	struct scenario s;
	struct run_result one, three;

	test_scenario(&s, "demo/demo.json");
	run_demo(&one, &s, "audit", "--format", "json", "--jobs", "1");
	run_demo(&three, &s, "audit", "--format", "json", "-j", "3");
	ck_assert_int_eq(one.status, 1);
	ck_assert_int_eq(three.status, 1);
	ck_assert_str_eq(one.out, three.out);
	ck_assert_str_eq(three.err, "");
	run_result_release(&one);
	run_result_release(&three);
	run_demo(&one, &s, "check", "staging-10.0", "--all", "-j1", NULL);
	run_demo(&three, &s, "check", "staging-10.0", "--all", "-j3", NULL);
	ck_assert_int_eq(one.status, 1);
	ck_assert_str_eq(one.out, three.out);
	run_result_release(&one);
	run_result_release(&three);
	scenario_release(&s);
}
END_TEST

START_TEST(check_scopes)
{
	struct scenario s;
	struct run_result r;
	char sha[13];

	test_scenario(&s, "demo/demo.json");
	/* --since: only what the merge request brings */
	run_demo(&r, &s, "check", "staging-10.0", "--since", "stable-10.0", NULL);
	ck_assert_msg(r.status == 1, "%s", r.err);
	memcpy(sha, scenario_hex(&s, "s100_txburst"), 12);
	sha[12] = '\0';
	ck_assert_ptr_nonnull(strstr(r.out, sha));
	memcpy(sha, scenario_hex(&s, "s100_archcap"), 12);
	ck_assert_ptr_null(strstr(r.out, sha));
	ck_assert_ptr_nonnull(strstr(r.out, "1 finding (1 error"));
	run_result_release(&r);
	/* pre-tag: stable-10.0 has nothing since v10.0.3 */
	run_demo(&r, &s, "check", "stable-10.0", NULL, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s\n%s", r.err, r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "backports since v10.0.3"));
	ck_assert_ptr_nonnull(strstr(r.out, "0 findings"));
	run_result_release(&r);
	/* --all: the whole stream */
	run_demo(&r, &s, "check", "stable-10.0", "--all", NULL, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, sha));
	run_result_release(&r);
	/* --since after the old finding's commit: it is not reported again */
	run_demo(&r, &s, "check", "stable-10.0", "--since", "v10.0.1", NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(strstr(r.out, sha));
	run_result_release(&r);
	/* the queue named by --stream and a commit */
	run_demo(&r, &s, "check", scenario_hex(&s, "s100_txburst"), "--stream", "10.0", "--all");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.out, sha));
	run_result_release(&r);
	/* --fail-on none never fails */
	run_demo(&r, &s, "check", "stable-10.0", "--all", "--fail-on", "none");
	ck_assert_int_eq(r.status, 0);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(check_stream_inference_errors)
{
	struct scenario s;
	struct run_result r;

	test_scenario(&s, "demo/demo.json");
	/* HEAD is master: its VERSION is a development version */
	run_demo(&r, &s, "check", NULL, NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "not a stable release; use --stream X.Y"));
	ck_assert_int_eq((int)count_lines(r.err), 1);
	ck_assert_str_eq(r.out, "");
	run_result_release(&r);
	run_demo(&r, &s, "check", "stable-7.7", NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "stable-7.7: no such branch"));
	run_result_release(&r);
	run_demo(&r, &s, "check", "stable-10.0", "--since", "nope", NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "--since"));
	run_result_release(&r);
	run_demo(&r, &s, "check", "stable-10.0", "--fail-on", "sometimes", NULL);
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
	run_demo(&r, &s, "audit", "extra", NULL, NULL, NULL);
	ck_assert_int_eq(r.status, 2);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

START_TEST(formats_and_determinism)
{
	struct scenario s;
	struct run_result a, b;
	json_error_t err;
	json_t *root, *run, *res, *loc;
	size_t i;

	test_scenario(&s, "demo/demo.json");
	run_demo(&a, &s, "audit", "--format", "sarif", NULL, NULL);
	run_demo(&b, &s, "audit", "--format", "sarif", NULL, NULL);
	ck_assert_int_eq(a.status, 1);
	ck_assert_str_eq(a.out, b.out);
	root = json_loads(a.out, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(json_string_value(json_object_get(root, "version")), "2.1.0");
	ck_assert_ptr_nonnull(json_object_get(root, "$schema"));
	run = json_array_get(json_object_get(root, "runs"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(run, "tool"), "driver"), "name")),
			 "mtcheck");
	ck_assert_int_gt((int)json_array_size(json_object_get(
				 json_object_get(json_object_get(run, "tool"), "driver"), "rules")), 12);
	ck_assert_int_eq((int)json_array_size(json_object_get(run, "results")), 4);
	json_array_foreach(json_object_get(run, "results"), i, res) {
		ck_assert_ptr_nonnull(json_object_get(res, "ruleId"));
		ck_assert_ptr_nonnull(json_object_get(res, "level"));
		ck_assert_ptr_nonnull(json_object_get(json_object_get(res, "message"), "text"));
		ck_assert_ptr_nonnull(json_object_get(res, "partialFingerprints"));
		loc = json_object_get(json_array_get(json_object_get(res, "locations"), 0),
				      "physicalLocation");
		ck_assert_ptr_nonnull(json_string_value(json_object_get(
			json_object_get(loc, "artifactLocation"), "uri")));
		ck_assert_int_gt((int)json_integer_value(json_object_get(
			json_object_get(loc, "region"), "startLine")), 0);
	}
	json_decref(root);
	run_result_release(&a);
	run_result_release(&b);

	run_demo(&a, &s, "audit", "--format", "codequality", NULL, NULL);
	ck_assert_int_eq(a.status, 1);
	root = json_loads(a.out, 0, &err);
	ck_assert_ptr_nonnull(root);
	ck_assert_int_eq((int)json_array_size(root), 4);
	json_array_foreach(root, i, res) {
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "description")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "check_name")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "fingerprint")));
		ck_assert_ptr_nonnull(json_string_value(json_object_get(res, "severity")));
		loc = json_object_get(res, "location");
		ck_assert_ptr_nonnull(json_string_value(json_object_get(loc, "path")));
		ck_assert_int_gt((int)json_integer_value(json_object_get(
			json_object_get(loc, "lines"), "begin")), 0);
	}
	json_decref(root);
	run_result_release(&a);

	run_demo(&a, &s, "audit", NULL, NULL, NULL, NULL);
	run_demo(&b, &s, "audit", NULL, NULL, NULL, NULL);
	ck_assert_str_eq(a.out, b.out);
	ck_assert_ptr_nonnull(strstr(a.out, "== stable-9.2: 2 findings =="));
	ck_assert_ptr_nonnull(strstr(a.out, "\nRULE     ERROR WARNING INFO  TITLE\n"));
	ck_assert_ptr_nonnull(strstr(a.out, "\nABI001       2       0    0  "));
	ck_assert_ptr_nonnull(strstr(a.out, "\nMIG001       0       1    0  "));
	run_result_release(&a);
	run_result_release(&b);
	scenario_release(&s);
}
END_TEST

static char *write_file(const char *label, const char *text)
{
	char *path = test_tmppath(label);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(waivers_and_baselines)
{
	struct scenario s;
	struct run_result r;
	struct strbuf w = STRBUF_INIT;
	char *waivers, *baseline = test_tmppath("baseline.json");

	test_scenario(&s, "demo/demo.json");
	strbuf_addf(&w, "{\"waivers\": [{\"rule\": \"ABI001\", \"commit\": \"%.12s\", "
		    "\"reason\": \"reverted in 10.0.6\"}]}\n", scenario_hex(&s, "s100_archcap"));
	waivers = write_file("waivers.json", w.buf);
	run_demo(&r, &s, "check", "stable-10.0", "--all", "--waivers", waivers);
	ck_assert_msg(r.status == 0, "%s\n%s", r.err, r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "0 findings, 1 suppressed (1 by waiver"));
	run_result_release(&r);
	{
		const char *args[] = { "--repo", s.path, "check", "stable-10.0", "--all", "--waivers",
				       waivers, "--show-suppressed", NULL };

		run_mtcheck(&r, NULL, args);
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "suppressed: by waiver: reverted in 10.0.6"));
		run_result_release(&r);
	}
	/* a baseline written now hides everything next time */
	run_demo(&r, &s, "audit", "--write-baseline", baseline, NULL, NULL);
	ck_assert_int_eq(r.status, 1);
	run_result_release(&r);
	run_demo(&r, &s, "audit", "--baseline", baseline, NULL, NULL);
	ck_assert_msg(r.status == 0, "%s\n%s", r.err, r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "0 findings, 4 suppressed (0 by waiver, 4 by baseline"));
	run_result_release(&r);
	strbuf_release(&w);
	free(waivers);
	free(baseline);
	scenario_release(&s);
}
END_TEST

Suite *suite_engine(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, bugfix_machines_across_streams);
	tcase_add_test(tc, parameters_and_disabled_rules);
	tcase_add_test(tc, history_rules);
	tcase_add_test(tc, lifecycle_with_and_without_the_gate);
	tcase_add_test(tc, machines_lifecycle_is_era_aware);
	tcase_add_test(tc, audit_on_the_demo);
	tcase_add_test(tc, compat_array_edits_by_version);
	tcase_add_test(tc, older_machine_versions_changed);
	tcase_add_test(tc, compat_lists_of_machine_structs);
	tcase_add_test(tc, feature_bit_held_by_a_property);
	tcase_add_test(tc, check_scopes);
	tcase_add_test(tc, bugfix_machine_of_a_retired_version);
	tcase_add_test(tc, jobs_do_not_change_the_output);
	tcase_add_test(tc, check_stream_inference_errors);
	tcase_add_test(tc, formats_and_determinism);
	tcase_add_test(tc, waivers_and_baselines);
	tcase_add_test(tc, followup_fixes_name_the_backport);
	tcase_add_test(tc, abi001_names_the_families_reached);
	tcase_add_test(tc, one_name_in_two_families_is_told_apart);
	suite_add_tcase(s, tc);
	return s;
}
