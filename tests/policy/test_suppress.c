/* Waivers, baselines and fingerprints: suppression that stays accountable. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/error.h"
#include "policy/finding.h"
#include "policy/policy.h"
#include "util/strbuf.h"
#include "policy/suppress.h"
#include "testutil.h"
#include "util/jsonfile.h"

/* baseline_from_json on text in memory. */
static int baseline_parse(struct baseline *out, const char *name, const char *text, size_t len)
{
	struct json_file jf;
	int ret = json_file_parse(&jf, name, text, len);

	if (ret < 0)
		return ret;
	ret = baseline_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

#define CATALOGUE MT_TEST_DIR "/../rules/rules.json"
#define FIXTURE(name) MT_TEST_DIR "/policy/" name

static int64_t day(const char *text)
{
	int64_t t;

	ck_assert_int_eq(date_parse(&t, text), 0);
	return t;
}

/* An oid from a hex prefix, padded with zeros. */
static struct mt_oid mkoid(const char *prefix)
{
	char hex[MT_OID_HEXSZ + 1];
	struct mt_oid oid;

	memset(hex, '0', MT_OID_HEXSZ);
	hex[MT_OID_HEXSZ] = '\0';
	memcpy(hex, prefix, strlen(prefix));
	ck_assert_int_eq(oid_from_hex(&oid, hex), 0);
	return oid;
}

/* Adds a finding; commit/upstream are hex prefixes or NULL. */
static void add(struct finding_list *list, const char *rule, const char *stream,
		const char *commit, const char *upstream, const char *machine)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.rule = (char *)rule;
	f.severity = MT_SEVERITY_ERROR;
	f.stream = (char *)stream;
	if (commit) {
		f.has_commit = true;
		f.commit = mkoid(commit);
	}
	if (upstream) {
		f.has_upstream = true;
		f.upstream = mkoid(upstream);
	}
	f.machine = (char *)machine;
	f.path = (char *)"hw/i386/pc.c";
	f.line = 10;
	f.message = (char *)"message";
	finding_list_add(list, &f);
}

static void load_policy(struct policy *p)
{
	policy_init(p);
	ck_assert_msg(policy_load_catalogue(p, CATALOGUE) == 0, "%s", mt_error_last());
}

static bool kept(const struct finding_list *list, const char *rule, const char *machine,
		 const char *stream)
{
	size_t i;

	for (i = 0; i < list->nr; i++) {
		const struct finding *f = &list->items[i];

		if (!strcmp(f->rule, rule) && (!machine || (f->machine && !strcmp(f->machine, machine))) &&
		    (!stream || !strcmp(f->stream, stream)))
			return true;
	}
	return false;
}

START_TEST(each_selector_matches_and_near_misses_do_not)
{
	struct policy p;
	struct waiver_set ws;
	struct finding_list list;
	struct suppressed_list sup;
	struct strbuf notes = STRBUF_INIT;

	load_policy(&p);
	ck_assert_msg(waiver_set_load(&ws, &p, FIXTURE("waivers-good.json"), day("2026-03-01")) == 0,
		      "%s", mt_error_last());
	ck_assert_uint_eq(ws.nr, 7);
	ck_assert_str_eq(ws.items[2].rule, "BFM004"); /* case-insensitive, canonical */
	ck_assert_str_eq(ws.items[0].commit, "aaaaaaa1");
	finding_list_init(&list);
	suppressed_list_init(&sup);
	add(&list, "ABI001", "stable-10.0", "aaaaaaa1", NULL, NULL);        /* commit */
	add(&list, "ABI001", "stable-10.0", "eeeeeee", "bbbbbbbbbbbb", NULL); /* upstream */
	add(&list, "ABI001", "stable-10.0", "aaaaaaa2", NULL, NULL);        /* other commit */
	add(&list, "BFM004", "stable-2.12", NULL, NULL, "pseries-2.12-sxxm"); /* machine */
	add(&list, "BFM004", "stable-2.12", NULL, NULL, "pseries-2.12");    /* other machine */
	add(&list, "MIG001", "stable-8.0", "1111111", NULL, NULL);          /* stream */
	add(&list, "MIG001", "stable-8.1", "1111111", NULL, NULL);          /* other stream */
	add(&list, "ABI002", "stable-10.0", "ccccccc", NULL, NULL);         /* expired waiver */
	add(&list, "ABI002", "stable-10.0", "ddddddd", NULL, NULL);         /* malformed date */
	add(&list, "ABI003", "stable-10.0", "aaaaaaa1", NULL, NULL);        /* other rule */
	suppress_apply(&list, &sup, &ws, NULL);

	ck_assert_uint_eq(sup.nr, 4);
	ck_assert_uint_eq(list.nr, 6);
	ck_assert(kept(&list, "BFM004", "pseries-2.12", NULL));
	ck_assert(!kept(&list, "BFM004", "pseries-2.12-sxxm", NULL));
	ck_assert(kept(&list, "MIG001", NULL, "stable-8.1"));
	ck_assert(!kept(&list, "MIG001", NULL, "stable-8.0"));
	ck_assert(kept(&list, "ABI002", NULL, NULL));
	ck_assert(kept(&list, "ABI003", NULL, NULL));
	ck_assert_uint_eq(ws.items[0].used, 1);
	ck_assert_uint_eq(ws.items[1].used, 1);
	ck_assert(ws.items[4].expired && !ws.items[4].bad_date);
	ck_assert(ws.items[5].expired && ws.items[5].bad_date);
	ck_assert_uint_eq(ws.items[4].missed, 1);
	ck_assert_int_eq(sup.items[0].by, SUPPRESSED_BY_WAIVER);

	suppress_notes(&notes, &ws, NULL);
	ck_assert_str_eq(notes.buf,
		"mtcheck: warning: " FIXTURE("waivers-good.json") ":8:5: waiver for ABI002 commit "
		"ccccccc: expired on 2026-01-31 (1 finding no longer waived)\n"
		"mtcheck: warning: " FIXTURE("waivers-good.json") ":10:5: waiver for ABI002 commit "
		"ddddddd: expiry date \"2026-02-30\" is not YYYY-MM-DD; treated as expired "
		"(1 finding no longer waived)\n"
		"mtcheck: warning: " FIXTURE("waivers-good.json") ":12:5: waiver for ABI003 machine "
		"pc-q35-99.0: matched no finding; remove it\n");
	strbuf_release(&notes);
	finding_list_release(&list);
	suppressed_list_release(&sup);
	waiver_set_release(&ws);
	policy_release(&p);
}
END_TEST

START_TEST(a_date_is_valid_through_its_last_day)
{
	struct policy p;
	struct waiver_set ws;

	load_policy(&p);
	ck_assert_int_eq(waiver_set_load(&ws, &p, FIXTURE("waivers-good.json"),
					 day("2026-06-30T23:59:59Z")), 0);
	ck_assert(!ws.items[0].expired);
	ck_assert(!ws.items[1].expired); /* no date: never expires */
	waiver_set_release(&ws);
	ck_assert_int_eq(waiver_set_load(&ws, &p, FIXTURE("waivers-good.json"),
					 day("2026-07-01")), 0);
	ck_assert(ws.items[0].expired);
	ck_assert(!ws.items[1].expired);
	waiver_set_release(&ws);
	policy_release(&p);
}
END_TEST

static void expect_waiver_error(const char *name, const char *message)
{
	struct policy p;
	struct waiver_set ws;
	struct strbuf want = STRBUF_INIT;

	load_policy(&p);
	strbuf_addf(&want, "%s/policy/%s", MT_TEST_DIR, name);
	ck_assert_int_eq(waiver_set_load(&ws, &p, want.buf, 0), MT_ERROR);
	strbuf_addf(&want, ":%s", message);
	ck_assert_str_eq(mt_error_last(), want.buf);
	strbuf_release(&want);
	policy_release(&p);
}

START_TEST(bad_waivers_are_rejected_with_their_position)
{
	expect_waiver_error("waivers-no-reason.json",
			    "4:5: waiver #2 (ABI001): a waiver needs a \"reason\" saying why the "
			    "finding is accepted");
	expect_waiver_error("waivers-no-selector.json",
			    "3:5: waiver #1 (ABI001): give at least one of \"commit\", \"upstream\", "
			    "\"machine\", \"stream\" (to turn a rule off, use .mtcheck.json)");
	expect_waiver_error("waivers-bad-sha.json",
			    "4:25: \"commit\" must be 7 to 40 hex digits of a commit sha, not \"abc\"");
	expect_waiver_error("waivers-unknown-rule.json",
			    "3:7: waiver #1: unknown rule \"ABI01\" (did you mean ABI001, ABI002, "
			    "ABI003?)");
}
END_TEST

START_TEST(fingerprints_ignore_lines_paths_and_wording)
{
	struct finding_list list;
	char a[FINDING_FINGERPRINT_SIZE], b[FINDING_FINGERPRINT_SIZE];
	struct finding *f;

	finding_list_init(&list);
	add(&list, "ABI001", "stable-10.0", "aaaaaaa1", "bbbbbbb1", "pc-q35-10.0");
	f = &list.items[0];
	finding_fingerprint(a, f);
	ck_assert_uint_eq(strlen(a), 16);
	f->line = 999;
	free(f->path);
	f->path = strdup("hw/i386/pc_q35.c");
	free(f->message);
	f->message = strdup("reworded");
	f->severity = MT_SEVERITY_WARNING;
	f->commit = mkoid("cccccc1"); /* rebased: the upstream still names it */
	finding_fingerprint(b, f);
	ck_assert_str_eq(a, b);
	f->upstream = mkoid("bbbbbbb2");
	finding_fingerprint(b, f);
	ck_assert_str_ne(a, b);
	f->upstream = mkoid("bbbbbbb1");
	free(f->stream);
	f->stream = strdup("stable-10.1");
	finding_fingerprint(b, f);
	ck_assert_str_ne(a, b);
	finding_list_release(&list);
}
END_TEST

START_TEST(fingerprint_is_fixed_forever)
{
	struct finding_list list;
	char fp[FINDING_FINGERPRINT_SIZE];

	/* Baselines in the wild hold these values: changing the hash breaks them all. */
	finding_list_init(&list);
	add(&list, "BFM002", "stable-10.0", NULL, NULL, "pc-q35-10.0.4");
	finding_fingerprint(fp, &list.items[0]);
	ck_assert_str_eq(fp, "6549acb2102daa18");
	finding_list_release(&list);
}
END_TEST

START_TEST(baseline_round_trip_hides_known_findings_only)
{
	struct finding_list list, again;
	struct suppressed_list sup;
	struct baseline b;
	struct strbuf text = STRBUF_INIT, notes = STRBUF_INIT;
	char *path = test_tmppath("baseline.json");

	finding_list_init(&list);
	add(&list, "ABI001", "stable-10.0", "aaaaaaa1", NULL, NULL);
	add(&list, "BFM002", "stable-10.0", NULL, NULL, "pc-q35-10.0.4");
	add(&list, "BFM002", "stable-10.0", NULL, NULL, "pc-q35-10.0.4"); /* same fingerprint */
	add(&list, "MIG001", "stable-9.2", "1234567", NULL, NULL);
	ck_assert_int_eq(baseline_write(path, &list), 0);
	ck_assert_int_eq(baseline_load(&b, path), 0);
	ck_assert_uint_eq(b.nr, 3);

	/* The next run: the MIG001 finding is fixed, a new one appears, lines moved. */
	finding_list_init(&again);
	suppressed_list_init(&sup);
	add(&again, "ABI001", "stable-10.0", "aaaaaaa1", NULL, NULL);
	add(&again, "BFM002", "stable-10.0", NULL, NULL, "pc-q35-10.0.4");
	add(&again, "ABI002", "stable-10.0", "fffffff", NULL, NULL);
	again.items[0].line = 500;
	suppress_apply(&again, &sup, NULL, &b);
	ck_assert_uint_eq(again.nr, 1);
	ck_assert_str_eq(again.items[0].rule, "ABI002");
	ck_assert_uint_eq(sup.nr, 2);
	ck_assert_int_eq(sup.items[0].by, SUPPRESSED_BY_BASELINE);
	ck_assert_ptr_nonnull(strstr(sup.items[0].reason, "in baseline "));
	suppress_notes(&notes, NULL, &b);
	ck_assert_ptr_nonnull(strstr(notes.buf, ": 1 of 3 entries matched no finding (fixed?); "
					       "refresh it with --write-baseline\n"));

	/* Same findings, same bytes. */
	baseline_format(&text, &list);
	{
		struct strbuf twice = STRBUF_INIT;

		baseline_format(&twice, &list);
		ck_assert_str_eq(text.buf, twice.buf);
		strbuf_release(&twice);
	}
	strbuf_release(&text);
	strbuf_release(&notes);
	baseline_release(&b);
	finding_list_release(&list);
	finding_list_release(&again);
	suppressed_list_release(&sup);
	free(path);
}
END_TEST

START_TEST(a_json_report_works_as_a_baseline)
{
	struct baseline b;
	const char *report = "{\"schema\": 1, \"tool\": {}, \"repository\": null,\n"
			     " \"findings\": [{\"rule\": \"ABI001\", \"fingerprint\": \"00112233aabbccdd\"}],\n"
			     " \"suppressed\": [], \"summary\": {}}";
	const char *bad = "{\"findings\": [{\"rule\": \"ABI001\"}]}";

	ck_assert_int_eq(baseline_parse(&b, "r.json", report, strlen(report)), 0);
	ck_assert(baseline_take(&b, "00112233aabbccdd"));
	ck_assert(!baseline_take(&b, "00112233aabbccde"));
	baseline_release(&b);
	ck_assert_int_eq(baseline_parse(&b, "bad.json", bad, strlen(bad)), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "bad.json:1:15: finding #1 has no \"fingerprint\"");
}
END_TEST

START_TEST(today_comes_from_the_option_or_the_clock)
{
	int64_t t;

	ck_assert_int_eq(suppress_now(&t, "2026-02-21"), 0);
	ck_assert_int_eq(t, day("2026-02-21"));
	ck_assert_int_eq(suppress_now(&t, "2026-02-30"), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "--today: '2026-02-30' is not a date (YYYY-MM-DD)");
	ck_assert_int_eq(suppress_now(&t, NULL), 0);
	ck_assert(t > day("2026-01-01"));
}
END_TEST

Suite *suite_suppress(void)
{
	Suite *s = suite_create("suppress");
	TCase *tc = tcase_create("suppress");

	tcase_add_test(tc, each_selector_matches_and_near_misses_do_not);
	tcase_add_test(tc, a_date_is_valid_through_its_last_day);
	tcase_add_test(tc, bad_waivers_are_rejected_with_their_position);
	tcase_add_test(tc, fingerprints_ignore_lines_paths_and_wording);
	tcase_add_test(tc, fingerprint_is_fixed_forever);
	tcase_add_test(tc, baseline_round_trip_hides_known_findings_only);
	tcase_add_test(tc, a_json_report_works_as_a_baseline);
	tcase_add_test(tc, today_comes_from_the_option_or_the_clock);
	suite_add_tcase(s, tc);
	return s;
}
