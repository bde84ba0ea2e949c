/* The history module on tests/scenarios/history/streams.json, through its C interface. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "history/history.h"
#include "util/mtlimits.h"
#include "util/strbuf.h"
#include "testutil.h"

struct fixture {
	struct scenario s;
	struct mt_repo *repo;
	struct mt_history h;
	struct mt_stream stream;
	struct mt_backports list;
};

static void open_scenario(struct fixture *f, const char *scenario,
			  const struct history_options *opts, const char *name)
{
	test_scenario(&f->s, scenario);
	ck_assert_int_eq(repo_open(&f->repo, f->s.path), 0);
	ck_assert_msg(history_open(&f->h, f->repo, opts) == 0, "%s", mt_error_last());
	if (name) {
		ck_assert_msg(history_stream(&f->stream, &f->h, name, NULL) == 0, "%s", mt_error_last());
		ck_assert_msg(history_backports(&f->list, &f->h, &f->stream, NULL) == 0, "%s",
			      mt_error_last());
	}
}

static void open_fixture(struct fixture *f, const struct history_options *opts, const char *name)
{
	open_scenario(f, "history/streams.json", opts, name);
}

static void close_fixture(struct fixture *f, bool with_stream)
{
	if (with_stream) {
		backports_release(&f->list);
		stream_release(&f->stream);
	}
	history_release(&f->h);
	repo_free(f->repo);
	scenario_release(&f->s);
}

static const struct mt_backport *find(const struct fixture *f, const char *id)
{
	const struct mt_oid *oid = scenario_commit(&f->s, id);
	size_t i;

	for (i = 0; i < f->list.count; i++) {
		if (oid_equal(&f->list.items[i].commit, oid))
			return &f->list.items[i];
	}
	ck_abort_msg("backport %s not listed", id);
	return NULL;
}

static bool has_note(const struct mt_backport *b, const char *needle)
{
	size_t i;

	for (i = 0; i < b->nnotes; i++) {
		if (strstr(b->notes[i], needle))
			return true;
	}
	return false;
}

START_TEST(streams_releases_and_master)
{
	struct fixture f;
	struct history_options opts = { NULL, false, false, false, 0 };
	size_t i, rc = 0, four = 0;

	open_fixture(&f, &opts, NULL);
	ck_assert(f.h.has_master);
	ck_assert_str_eq(f.h.master_name, "master"); /* local wins over origin/master */
	ck_assert(oid_equal(&f.h.master, scenario_commit(&f.s, "dev42")));
	/* staging queues are not streams by default */
	ck_assert_uint_eq(f.h.nstreams, 2);
	ck_assert_str_eq(f.h.streams[0].name, "stable-4.0");
	ck_assert_str_eq(f.h.streams[0].ref, "refs/heads/stable-4.0"); /* local wins */
	ck_assert_str_eq(f.h.streams[0].base_name, "v4.0.0");
	ck_assert_str_eq(f.h.streams[0].newest->name, "v4.0.2");
	ck_assert_str_eq(f.h.streams[1].name, "stable-4.1");
	ck_assert_str_eq(f.h.streams[1].ref, "refs/remotes/origin/stable-4.1"); /* origin wins */
	ck_assert_ptr_null(f.h.streams[1].base_name);
	for (i = 0; i < f.h.nreleases; i++) {
		rc += f.h.releases[i].rc;
		four += f.h.releases[i].version.nano >= 0;
		if (i)
			ck_assert_int_le(qversion_cmp(&f.h.releases[i - 1].version,
						      &f.h.releases[i].version), 0);
	}
	ck_assert_uint_eq(f.h.nreleases, 6);
	ck_assert_uint_eq(rc, 2);
	ck_assert_uint_eq(four, 1);
	close_fixture(&f, false);

	opts.include_staging = true;
	open_fixture(&f, &opts, NULL);
	ck_assert_uint_eq(f.h.nstreams, 4);
	ck_assert_int_eq(f.h.streams[0].kind, STREAM_STABLE);
	ck_assert_int_eq(f.h.streams[1].kind, STREAM_STAGING);
	close_fixture(&f, false);
}
END_TEST

START_TEST(base_falls_back_to_merge_base)
{
	struct fixture f;

	open_fixture(&f, NULL, "stable-4.1");
	ck_assert(f.stream.base_is_merge_base);
	ck_assert(oid_equal(&f.stream.base, scenario_commit(&f.s, "rel41")));
	ck_assert_uint_eq(f.list.count, 1);
	close_fixture(&f, true);
}
END_TEST

START_TEST(backports_in_order_with_releases)
{
	struct fixture f;

	open_fixture(&f, NULL, "4.0");
	ck_assert_uint_eq(f.list.count, 16);
	ck_assert(oid_equal(&f.list.items[0].commit, scenario_commit(&f.s, "bp_cherry")));
	ck_assert(oid_equal(&f.list.items[15].commit, scenario_commit(&f.s, "unreleased")));
	ck_assert_str_eq(find(&f, "bp_cherry")->release->name, "v4.0.1");
	ck_assert_str_eq(find(&f, "bp_patchid")->release->name, "v4.0.1"); /* not v4.0.1-rc0 */
	ck_assert_str_eq(find(&f, "bp_notmaster")->release->name, "v4.0.1.1");
	ck_assert_str_eq(find(&f, "side")->release->name, "v4.0.2");
	ck_assert_ptr_null(find(&f, "unreleased")->release);
	ck_assert(find(&f, "merge")->merge);
	ck_assert(find(&f, "bump401")->version_bump);
	ck_assert(!find(&f, "bp_cherry")->version_bump);
	close_fixture(&f, true);
}
END_TEST

static void expect_upstream(const struct fixture *f, const char *id, enum backport_match m,
			    const char *upstream, bool in_master)
{
	const struct mt_backport *b = find(f, id);

	ck_assert_msg(b->match == m, "%s: match %s", id, backport_match_name(b->match));
	if (!upstream) {
		ck_assert_msg(!b->has_upstream, "%s has an upstream", id);
		return;
	}
	ck_assert_msg(b->has_upstream, "%s: no upstream", id);
	ck_assert_msg(oid_equal(&b->upstream, scenario_commit(&f->s, upstream)), "%s: wrong upstream", id);
	ck_assert_int_eq(b->upstream_in_master, in_master);
}

static void upstream_by_trailer_and_patch_id_with(bool whole_master)
{
	struct history_options opts = { NULL, false, whole_master, false, 0 };
	struct fixture f;
	const struct mt_backport *b;

	open_fixture(&f, &opts, "stable-4.0");
	expect_upstream(&f, "bp_cherry", MATCH_TRAILER, "fixA", true);
	expect_upstream(&f, "bp_upstream", MATCH_TRAILER, "fixB", true);
	expect_upstream(&f, "bp_linux", MATCH_TRAILER, "fixC", true);
	expect_upstream(&f, "bp_backportof", MATCH_TRAILER, "fixD", true);
	expect_upstream(&f, "bp_patchid", MATCH_PATCH_ID, "fixE", true);
	/* A revert of a revert is the original patch again, under a wrapped subject. */
	expect_upstream(&f, "bp_rerevert", MATCH_PATCH_ID, "fixA", true);
	expect_upstream(&f, "bp_dangling", MATCH_PATCH_ID, "fixF", true);
	ck_assert(has_note(find(&f, "bp_dangling"), "no such commit"));
	expect_upstream(&f, "bp_notmaster", MATCH_TRAILER, "other", false);
	ck_assert(has_note(find(&f, "bp_notmaster"), "not in master"));
	expect_upstream(&f, "stableonly", MATCH_NONE, NULL, false);
	expect_upstream(&f, "bump401", MATCH_NONE, NULL, false);
	expect_upstream(&f, "merge", MATCH_NONE, NULL, false);

	b = find(&f, "bp_squash");
	ck_assert_int_eq(b->match, MATCH_TRAILER);
	ck_assert(!b->has_upstream); /* reported, not guessed */
	ck_assert_uint_eq(b->norigins, 2);
	ck_assert(b->origins[0].in_master && b->origins[1].in_master);
	ck_assert(has_note(b, "squash of 2 master commits"));
	close_fixture(&f, true);
}

START_TEST(upstream_by_trailer_and_patch_id)
{
	upstream_by_trailer_and_patch_id_with(false);
}
END_TEST

/* audit reads all of master at once: the same answers. */
START_TEST(upstream_with_whole_master)
{
	upstream_by_trailer_and_patch_id_with(true);
}
END_TEST

/* Which master commits a backport without a trailer is compared with (history/patchid.json). */
START_TEST(patch_id_candidates_share_subject_or_author_date)
{
	struct fixture f;

	open_scenario(&f, "history/patchid.json", NULL, "stable-5.0");
	expect_upstream(&f, "bp_subject", MATCH_PATCH_ID, "fixA", true);
	expect_upstream(&f, "bp_tagged", MATCH_PATCH_ID, "fixC", true); /* [tag], whitespace */
	expect_upstream(&f, "bp_author_date", MATCH_PATCH_ID, "fixB", true);
	/* The same patch under a new subject and date is not looked for. */
	expect_upstream(&f, "bp_reworded", MATCH_NONE, NULL, false);
	/* A shared subject is only a candidate: the patch decides. */
	expect_upstream(&f, "bp_other_patch", MATCH_NONE, NULL, false);
	/* Committed to master four months after the backport: not its upstream. */
	expect_upstream(&f, "bp_early", MATCH_NONE, NULL, false);
	close_fixture(&f, true);
}
END_TEST

/* history_backports in its two halves (audit reads every stream's commits first): the same list. */
START_TEST(listing_then_matching_is_history_backports)
{
	struct fixture f;
	struct mt_backports halves;
	size_t i, j;

	open_fixture(&f, NULL, "stable-4.0");
	ck_assert_int_eq(history_backports_list(&halves, &f.h, &f.stream), 0);
	ck_assert_ptr_nonnull(halves.trailers);
	ck_assert_int_eq(history_backports_match(&halves, &f.h, &f.stream, NULL), 0);
	ck_assert_ptr_null(halves.trailers);
	ck_assert_uint_eq(halves.count, f.list.count);
	ck_assert_uint_eq(halves.total, f.list.total);
	for (i = 0; i < halves.count; i++) {
		const struct mt_backport *a = &halves.items[i], *b = &f.list.items[i];

		ck_assert(oid_equal(&a->commit, &b->commit));
		ck_assert_int_eq(a->match, b->match);
		ck_assert_int_eq(a->has_upstream, b->has_upstream);
		ck_assert(!a->has_upstream || oid_equal(&a->upstream, &b->upstream));
		ck_assert_ptr_eq(a->release, b->release);
		ck_assert_int_eq(a->has_reverted_by, b->has_reverted_by);
		ck_assert_int_eq(a->reverts_in_stream, b->reverts_in_stream);
		ck_assert_uint_eq(a->nnotes, b->nnotes);
		for (j = 0; j < a->nnotes; j++)
			ck_assert_str_eq(a->notes[j], b->notes[j]);
	}
	backports_release(&halves);
	close_fixture(&f, true);
}
END_TEST

START_TEST(reverts_and_revert_of_revert)
{
	struct fixture f;
	const struct mt_backport *orig, *rev, *rerev;

	open_fixture(&f, NULL, "stable-4.0");
	orig = find(&f, "bp_cherry");
	rev = find(&f, "bp_revert");
	rerev = find(&f, "bp_rerevert");
	ck_assert(orig->has_reverted_by && oid_equal(&orig->reverted_by, &rev->commit));
	ck_assert(rev->reverts_in_stream && oid_equal(&rev->reverts, &orig->commit));
	ck_assert(rev->has_reverted_by && oid_equal(&rev->reverted_by, &rerev->commit));
	ck_assert(rerev->reverts_in_stream && oid_equal(&rerev->reverts, &rev->commit));
	ck_assert(!rerev->has_reverted_by);
	ck_assert(!find(&f, "bp_upstream")->has_reverted_by);
	close_fixture(&f, true);
}
END_TEST

START_TEST(explicit_refs_as_streams)
{
	struct fixture f;
	struct mt_stream s;
	struct mt_oid since;

	open_fixture(&f, NULL, NULL);
	/* a staging queue by name: listed nowhere, found anyway */
	ck_assert_int_eq(history_stream(&s, &f.h, "staging-4.0", NULL), 0);
	ck_assert_int_eq(s.kind, STREAM_STAGING);
	ck_assert_int_eq(s.minor, 0);
	stream_release(&s);
	/* a detached commit: its stream from VERSION, or from --stream */
	ck_assert_int_eq(history_stream(&s, &f.h, scenario_hex(&f.s, "queued"), NULL), 0);
	ck_assert_int_eq(s.kind, STREAM_REF);
	ck_assert_int_eq(s.major, 4);
	ck_assert_str_eq(s.base_name, "v4.0.0");
	ck_assert(oid_equal(&s.tip, scenario_commit(&f.s, "queued")));
	since = *scenario_commit(&f.s, "unreleased");
	ck_assert_int_eq(history_backports(&f.list, &f.h, &s, &since), 0);
	ck_assert_uint_eq(f.list.count, 1);
	ck_assert_uint_eq(f.list.total, 17);
	backports_release(&f.list);
	stream_release(&s);
	/* master's VERSION is a development version: no stream to guess */
	ck_assert_int_lt(history_stream(&s, &f.h, "master", NULL), 0);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "use --stream X.Y"));
	ck_assert_int_eq(history_stream(&s, &f.h, "master", "4.1"), 0);
	ck_assert(s.base_is_merge_base);
	stream_release(&s);
	ck_assert_int_lt(history_stream(&s, &f.h, "stable-9.9", NULL), 0);
	ck_assert_str_eq(mt_error_last(),
			 "stable-9.9: no such branch (looked in refs/heads and refs/remotes/*)");
	close_fixture(&f, false);
}
END_TEST

START_TEST(version_at_a_commit)
{
	struct fixture f;
	struct qversion v;

	open_fixture(&f, NULL, NULL);
	ck_assert_int_eq(history_version_at(&v, &f.h, scenario_commit(&f.s, "bump402")), 0);
	ck_assert_int_eq(v.major, 4);
	ck_assert_int_eq(v.micro, 2);
	ck_assert_int_eq(history_version_at(&v, &f.h, scenario_commit(&f.s, "dev42")), 0);
	ck_assert(qversion_is_development(&v));
	close_fixture(&f, false);
}
END_TEST

/* Adds refs/heads/stable-1.<first..first+n-1> at the scenario's root commit, as loose refs. */
static void add_stream_branches(const struct scenario *s, size_t first, size_t n)
{
	struct strbuf path = STRBUF_INIT;
	size_t i;

	for (i = first; i < first + n; i++) {
		FILE *fp;

		strbuf_reset(&path);
		strbuf_addf(&path, "%s/.git/refs/heads/stable-1.%zu", s->path, i);
		fp = fopen(path.buf, "w");
		ck_assert_msg(fp != NULL, "cannot create %s", path.buf);
		fprintf(fp, "%s\n", scenario_hex(s, "root"));
		ck_assert_int_eq(fclose(fp), 0);
	}
	strbuf_release(&path);
}

/* Streams plus staging queues history_open finds in the scenario repository, or -1 on error. */
static long open_streams(const struct scenario *s)
{
	struct mt_repo *repo;
	struct mt_history h;
	long n = -1;

	ck_assert_int_eq(repo_open(&repo, s->path), 0);
	if (history_open(&h, repo, NULL) == 0) {
		n = (long)(h.nstreams + h.nqueues);
		history_release(&h);
	}
	repo_free(repo);
	return n;
}

START_TEST(too_many_streams_fail_clearly)
{
	struct scenario s;
	struct run_result r;
	long base;

	test_scenario(&s, "history/streams.json");
	base = open_streams(&s);
	ck_assert_int_gt(base, 0);
	/* Exactly at the limit: read. */
	add_stream_branches(&s, 0, (size_t)(MT_LIMIT_STREAMS - base));
	ck_assert_int_eq(open_streams(&s), MT_LIMIT_STREAMS);
	/* One more: an error naming the repository and the counts, exit 2 from a command. */
	add_stream_branches(&s, (size_t)(MT_LIMIT_STREAMS - base), 1);
	ck_assert_int_eq(open_streams(&s), -1);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), ": too many streams: "));
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "stable and staging branches, more than the "
					"limit of 1024 distinct ones"));
	{
		const char *args[] = { "--repo", s.path, "streams", NULL };

		run_mtcheck(&r, NULL, args);
		ck_assert_int_eq(r.status, 2);
		ck_assert_str_eq(r.out, "");
		ck_assert_uint_eq(count_lines(r.err), 1);
		ck_assert_ptr_nonnull(strstr(r.err, "too many streams"));
		run_result_release(&r);
	}
	scenario_release(&s);
}
END_TEST

/* Upstreams and notes of one stream's backports, as text to compare. */
static void describe(struct strbuf *out, const struct mt_backports *list)
{
	size_t i, j;
	char hex[MT_OID_HEXSZ + 1];

	for (i = 0; i < list->count; i++) {
		const struct mt_backport *b = &list->items[i];

		oid_to_hex(hex, &b->commit);
		strbuf_addf(out, "%s %s %d", hex, backport_match_name(b->match), b->upstream_in_master);
		if (b->has_upstream) {
			oid_to_hex(hex, &b->upstream);
			strbuf_addf(out, " %s", hex);
		}
		for (j = 0; j < b->nnotes; j++)
			strbuf_addf(out, " [%s]", b->notes[j]);
		strbuf_addch(out, '\n');
	}
}

/*
 * One history asked about every stream (the second base reads all of master
 * once, as audit does) answers as a fresh history per stream (master since
 * that base only) does.
 */
START_TEST(shared_master_graph_answers_as_one_walk_per_stream)
{
	static const char *const scenarios[] = { "history/streams.json", "demo/demo.json" };
	size_t i, k, compared = 0, full = 0;

	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		struct scenario sc;
		struct mt_repo *repo;
		struct mt_history h;

		test_scenario(&sc, scenarios[k]);
		ck_assert_int_eq(repo_open(&repo, sc.path), 0);
		ck_assert_int_eq(history_open(&h, repo, NULL), 0);
		for (i = 0; i < h.nstreams; i++) {
			struct strbuf shared = STRBUF_INIT, fresh = STRBUF_INIT;
			struct mt_history h2;
			struct mt_backports a, b;

			ck_assert_int_eq(history_open(&h2, repo, NULL), 0);
			if (history_backports(&a, &h, &h.streams[i], NULL) < 0) {
				/* A stream without a base fails alike either way. */
				mt_error_clear();
				ck_assert_int_lt(history_backports(&b, &h2, &h2.streams[i], NULL), 0);
				mt_error_clear();
				history_release(&h2);
				continue;
			}
			ck_assert_int_eq(history_backports(&b, &h2, &h2.streams[i], NULL), 0);
			ck_assert(!h2.graph_full);
			describe(&shared, &a);
			describe(&fresh, &b);
			ck_assert_str_eq(shared.buf, fresh.buf);
			compared += a.count;
			backports_release(&a);
			backports_release(&b);
			history_release(&h2);
			strbuf_release(&shared);
			strbuf_release(&fresh);
		}
		/* Each base asked about after the first was answered from all of master. */
		ck_assert(h.nindexes < 2 || h.graph_full);
		full += h.graph_full;
		history_release(&h);
		repo_free(repo);
		scenario_release(&sc);
	}
	ck_assert_uint_gt(full, 0);
	ck_assert_uint_gt(compared, 10);
}
END_TEST

Suite *suite_history(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, streams_releases_and_master);
	tcase_add_test(tc, base_falls_back_to_merge_base);
	tcase_add_test(tc, backports_in_order_with_releases);
	tcase_add_test(tc, upstream_by_trailer_and_patch_id);
	tcase_add_test(tc, upstream_with_whole_master);
	tcase_add_test(tc, patch_id_candidates_share_subject_or_author_date);
	tcase_add_test(tc, reverts_and_revert_of_revert);
	tcase_add_test(tc, listing_then_matching_is_history_backports);
	tcase_add_test(tc, explicit_refs_as_streams);
	tcase_add_test(tc, version_at_a_commit);
	tcase_add_test(tc, too_many_streams_fail_clearly);
	tcase_add_test(tc, shared_master_graph_answers_as_one_walk_per_stream);
	suite_add_tcase(s, tc);
	return s;
}
