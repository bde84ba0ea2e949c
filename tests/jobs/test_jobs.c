/*
 * The jobs module: classifications through its memo and its worker pool
 * are exactly the classifier's own, whoever computed them, and a worker
 * that dies costs time, never evidence.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "abi/abi.h"
#include "jobs/jobs.h"
#include "repo/repo.h"
#include "testutil.h"
#include "util/error.h"
#include "util/qversion.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

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

/* Direct, then twice through the memo (computed, then copied): the same items, both kinds. */
static size_t compare_memo(struct jobs *jobs, struct mt_repo *repo,
			   const struct abi_config *config, const struct families *fams,
			   const struct scenario *s)
{
	size_t i, round, kind, with_evidence = 0;

	for (i = 0; i < s->ncommits; i++) {
		for (kind = 0; kind < 2; kind++) {
			struct abi_evidence_list plain;
			struct strbuf want = STRBUF_INIT;

			abi_evidence_list_init(&plain);
			ck_assert_msg((kind ? abi_classify_machines : abi_classify_commit)(
					      &plain, repo, config, fams, &s->oids[i]) == 0,
				      "%s", mt_error_last());
			dump_all(&want, &plain);
			with_evidence += !kind && plain.count > 0;
			for (round = 0; round < 2; round++) {
				struct abi_evidence_list got_list;
				struct strbuf got = STRBUF_INIT;

				abi_evidence_list_init(&got_list);
				ck_assert_int_eq((kind ? jobs_classify_machines : jobs_classify_commit)(
							 &got_list, jobs, &s->oids[i]), 0);
				ck_assert(jobs_known(jobs, &s->oids[i], kind ? JOBS_MACHINES : JOBS_WHOLE));
				dump_all(&got, &got_list);
				ck_assert_msg(!strcmp(want.buf, got.buf), "%s kind %zu round %zu:\n%s\nvs\n%s",
					      s->ids[i], kind, round, want.buf, got.buf);
				abi_evidence_list_release(&got_list);
				strbuf_release(&got);
			}
			abi_evidence_list_release(&plain);
			strbuf_release(&want);
		}
	}
	return with_evidence;
}

START_TEST(memo_gives_the_direct_evidence)
{
	struct test_classifier f;
	struct scenario demo;
	struct mt_repo *demo_repo;
	struct jobs *jobs;

	test_classifier_open(&f, "abi/signals.json");
	jobs_start(&jobs, f.repo, f.config, &f.fams, 0);
	ck_assert_uint_gt(compare_memo(jobs, f.repo, f.config, &f.fams, &f.s), 10);
	jobs_free(jobs);

	/* The demo history: backports, upstream fixes and machine files over releases. */
	test_scenario(&demo, "demo/demo.json");
	ck_assert_int_eq(repo_open(&demo_repo, demo.path), 0);
	jobs_start(&jobs, demo_repo, f.config, &f.fams, 0);
	ck_assert_uint_gt(compare_memo(jobs, demo_repo, f.config, &f.fams, &demo), 3);
	jobs_free(jobs);
	repo_free(demo_repo);
	scenario_release(&demo);
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

START_TEST(remembered_backport_matches_direct)
{
	static const char *const pairs[][3] = {
		{ "p-default-changed", "k-default-with-compat", "4.0" },
		{ "p-default-changed", "k-default-with-compat", "3.1" },
		{ "p-default-changed", "k-default-with-compat", "4.1" },
	};
	struct test_classifier f;
	struct jobs *jobs;
	size_t i, upstream_items = 0;

	test_classifier_open(&f, "abi/signals.json");
	jobs_start(&jobs, f.repo, f.config, &f.fams, 0);
	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		const struct mt_oid *backport = scenario_commit(&f.s, pairs[i][0]);
		const struct mt_oid *upstream = scenario_commit(&f.s, pairs[i][1]);
		struct abi_evidence_list plain, remembered;
		struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
		struct qversion v;

		ck_assert_int_eq(qversion_parse(&v, pairs[i][2]), 0);
		abi_evidence_list_init(&plain);
		abi_evidence_list_init(&remembered);
		ck_assert_msg(abi_classify_backport(&plain, f.repo, f.config, &f.fams, backport,
						    upstream, &v) == 0, "%s", mt_error_last());
		/* The second and third pairs find both commits in the memo. */
		ck_assert_int_eq(jobs_classify_backport(&remembered, jobs, backport, upstream, &v), 0);
		ck_assert(jobs_known(jobs, upstream, JOBS_MACHINES));
		dump_all(&want, &plain);
		dump_all(&got, &remembered);
		ck_assert_msg(!strcmp(want.buf, got.buf), "%s:\n%s\nvs\n%s", pairs[i][2], want.buf,
			      got.buf);
		upstream_items += find_signal(&remembered, "upstream-compat") != NULL;
		abi_evidence_list_release(&plain);
		abi_evidence_list_release(&remembered);
		strbuf_release(&want);
		strbuf_release(&got);
	}
	/* 4.0 and 3.1 are at or below hw_compat_4_0's version; 4.1 is above it. */
	ck_assert_uint_eq(upstream_items, 2);
	jobs_free(jobs);
	test_classifier_close(&f);
}
END_TEST

/* An unreadable commit is an error each time it is asked for, never a remembered empty list. */
START_TEST(errors_are_not_remembered)
{
	struct test_classifier f;
	struct jobs *jobs;
	struct mt_oid missing;
	struct abi_evidence_list list;
	struct qversion v;
	size_t round;

	test_classifier_open(&f, "abi/signals.json");
	memset(&missing, 0x5a, sizeof(missing));
	ck_assert_int_eq(qversion_parse(&v, "4.0"), 0);
	jobs_start(&jobs, f.repo, f.config, &f.fams, 0);
	for (round = 0; round < 2; round++) {
		abi_evidence_list_init(&list);
		ck_assert_int_lt(jobs_classify_commit(&list, jobs, &missing), 0);
		ck_assert_int_lt(jobs_classify_backport(&list, jobs, scenario_commit(&f.s,
							"p-default-changed"), &missing, &v), 0);
		ck_assert(!jobs_known(jobs, &missing, JOBS_WHOLE));
		ck_assert(!jobs_known(jobs, &missing, JOBS_MACHINES));
		abi_evidence_list_release(&list);
	}
	mt_error_clear();
	jobs_free(jobs);
	test_classifier_close(&f);
}
END_TEST

/*
 * Classified on 0, 1 and 3 worker processes, every commit of the scenario
 * (whole and machines only) lands in the memo with the evidence a direct
 * classification gives; a commit that cannot be read is left out.
 */
START_TEST(pool_fills_the_memo_like_direct_classification)
{
	static const unsigned workers[] = { 0, 1, 3 };
	struct mt_oid missing;
	struct test_classifier f;
	size_t w, i;

	test_classifier_open(&f, "abi/signals.json");
	memset(&missing, 0x5a, sizeof(missing));
	for (w = 0; w < ARRAY_SIZE(workers); w++) {
		struct jobs *jobs;

		jobs_start(&jobs, f.repo, f.config, &f.fams, workers[w]);
		for (i = 0; i < f.s.ncommits; i++) {
			jobs_add(jobs, &f.s.oids[i], JOBS_WHOLE);
			jobs_add(jobs, &f.s.oids[i], JOBS_MACHINES);
			jobs_add(jobs, &f.s.oids[i], JOBS_WHOLE); /* queued once */
		}
		jobs_add(jobs, &missing, JOBS_WHOLE);
		jobs_collect(jobs);
		for (i = 0; i < f.s.ncommits; i++) {
			ck_assert(jobs_known(jobs, &f.s.oids[i], JOBS_WHOLE));
			ck_assert(jobs_known(jobs, &f.s.oids[i], JOBS_MACHINES));
		}
		ck_assert(!jobs_known(jobs, &missing, JOBS_WHOLE));
		/* The remembered lists are the direct ones (compare_memo reads them first). */
		ck_assert_uint_gt(compare_memo(jobs, f.repo, f.config, &f.fams, &f.s), 10);
		/* Workers stay for a second round. */
		jobs_add(jobs, &f.s.oids[0], JOBS_WHOLE);
		jobs_collect(jobs);
		jobs_free(jobs);
	}
	test_classifier_close(&f);
}
END_TEST

/* Kills every child process of this one (the pool's workers: the test starts no other). */
static size_t kill_children(void)
{
	char path[64], buf[4096];
	size_t n = 0, len;
	char *p, *end;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	f = fopen(path, "r");
	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	for (p = buf; *p; p = end) {
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
			n++;
	}
	return n;
}

/* Workers killed with jobs queued and in flight: the caller classifies what they owed. */
START_TEST(pool_survives_its_workers)
{
	struct test_classifier f;
	struct jobs *jobs;
	size_t i;

	test_classifier_open(&f, "abi/signals.json");
	jobs_start(&jobs, f.repo, f.config, &f.fams, 2);
	for (i = 0; i < f.s.ncommits / 2; i++)
		jobs_add(jobs, &f.s.oids[i], JOBS_WHOLE);
	ck_assert_uint_eq(kill_children(), 2);
	for (; i < f.s.ncommits; i++)
		jobs_add(jobs, &f.s.oids[i], JOBS_WHOLE);
	jobs_collect(jobs);
	for (i = 0; i < f.s.ncommits; i++)
		ck_assert(jobs_known(jobs, &f.s.oids[i], JOBS_WHOLE));
	ck_assert_uint_gt(compare_memo(jobs, f.repo, f.config, &f.fams, &f.s), 10);
	jobs_free(jobs);
	test_classifier_close(&f);
}
END_TEST

Suite *suite_jobs(void)
{
	Suite *s = suite_create("jobs");
	TCase *tc = tcase_create("jobs");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, memo_gives_the_direct_evidence);
	tcase_add_test(tc, remembered_backport_matches_direct);
	tcase_add_test(tc, errors_are_not_remembered);
	tcase_add_test(tc, pool_fills_the_memo_like_direct_classification);
	tcase_add_test(tc, pool_survives_its_workers);
	suite_add_tcase(s, tc);
	return s;
}
