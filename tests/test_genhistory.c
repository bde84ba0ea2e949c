/*
 * The benchmark history generator (tests/bench/genhistory), run at a tiny
 * scale and read back through the repo module: releases, tags, stable
 * branches, trailers, reverts and machine files come out as it promises.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/date.h"
#include "util/error.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"
#include "util/xalloc.h"

#define SCALE "0.004" /* 520 master commits: every release event, a few backports each */

/* Built once for the test case (an unchecked fixture runs in the runner's process). */
static char *generated;

static int run_generator(const char *scale, const char *dest)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execl(MT_TEST_GENHISTORY, MT_TEST_GENHISTORY, "--scale", scale, dest, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static void generate(void)
{
	generated = test_tmppath("genhistory");
	if (run_generator(SCALE, generated) != 0) {
		fprintf(stderr, "genhistory failed for %s\n", generated);
		abort();
	}
}

static void forget(void)
{
	free(generated);
	generated = NULL;
}

static struct mt_repo *open_generated(void)
{
	struct mt_repo *repo;

	ck_assert_msg(repo_open(&repo, generated) == 0, "%s", mt_error_last());
	return repo;
}

static const struct mt_ref *find_ref(const struct mt_ref *refs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(refs[i].name, name))
			return &refs[i];
	return NULL;
}

/* The text of path at rev, NUL-terminated; fails the test when absent. */
static const char *file_at(struct mt_repo *repo, const char *rev, const char *path)
{
	const struct mt_blob *blob;
	struct mt_oid commit;

	ck_assert_msg(repo_resolve_commit(&commit, repo, rev) == 0, "%s", mt_error_last());
	ck_assert_msg(repo_read_file(&blob, repo, &commit, path) == 0, "%s:%s missing", rev, path);
	return blob->data;
}

static const struct { int major, minor; const char *date; } some_releases[] = {
	{ 2, 0, "2014-04-17" }, { 2, 12, "2018-04-24" }, { 3, 1, "2018-12-11" },
	{ 4, 0, "2019-04-23" }, { 8, 2, "2023-12-19" }, { 10, 0, "2025-04-22" },
	{ 11, 1, "2026-08-25" },
};

START_TEST(release_tags_are_annotated_and_dated)
{
	struct mt_repo *repo = open_generated();
	struct mt_ref *refs;
	size_t n, i;
	char date[11];

	ck_assert_int_eq(repo_list_refs(&refs, &n, repo), 0);
	for (i = 0; i < ARRAY_SIZE(some_releases); i++) {
		char name[64], version[32];
		const struct mt_ref *r;

		snprintf(name, sizeof(name), "refs/tags/v%d.%d.0", some_releases[i].major,
			 some_releases[i].minor);
		r = find_ref(refs, n, name);
		ck_assert_msg(r != NULL, "%s missing", name);
		ck_assert(r->annotated);
		date_format(date, r->time);
		ck_assert_str_eq(date, some_releases[i].date);
		snprintf(version, sizeof(version), "%d.%d.0\n", some_releases[i].major,
			 some_releases[i].minor);
		ck_assert_str_eq(file_at(repo, name + 10, "VERSION"), version);
	}
	/* -rcN tags from 9.0 on, with the previous release's .9N VERSION */
	ck_assert_ptr_nonnull(find_ref(refs, n, "refs/tags/v10.0.0-rc3"));
	ck_assert_ptr_null(find_ref(refs, n, "refs/tags/v8.2.0-rc0"));
	ck_assert_str_eq(file_at(repo, "v10.0.0-rc2", "VERSION"), "9.2.92\n");
	ck_assert_str_eq(file_at(repo, "master", "VERSION"), "11.1.50\n");
	repo_refs_free(refs, n);
	repo_free(repo);
}
END_TEST

START_TEST(every_release_has_a_stable_branch_forked_at_its_tag)
{
	struct mt_repo *repo = open_generated();
	struct mt_ref *refs;
	size_t n, i, streams = 0, stable_tags = 0;
	struct mt_oid master;

	ck_assert_int_eq(repo_list_refs(&refs, &n, repo), 0);
	ck_assert_int_eq(repo_resolve_commit(&master, repo, "master"), 0);
	for (i = 0; i < n; i++) {
		int major, minor, micro, used = 0;
		char base[32];
		struct mt_oid tag, fork;

		if (sscanf(refs[i].name, "refs/tags/v%d.%d.%d%n", &major, &minor, &micro, &used) == 3 &&
		    !refs[i].name[used] && micro > 0)
			stable_tags++;
		if (refs[i].kind != REPO_REF_BRANCH ||
		    sscanf(refs[i].short_name, "stable-%d.%d", &major, &minor) != 2)
			continue;
		streams++;
		snprintf(base, sizeof(base), "v%d.%d.0", major, minor);
		ck_assert_int_eq(repo_resolve_commit(&tag, repo, base), 0);
		ck_assert_int_eq(repo_merge_base(&fork, repo, &refs[i].commit, &master), 0);
		ck_assert_msg(oid_equal(&fork, &tag), "%s does not fork at %s", refs[i].short_name, base);
	}
	ck_assert_uint_eq(streams, 38);
	ck_assert_uint_ge(stable_tags, 38);
	repo_refs_free(refs, n);
	repo_free(repo);
}
END_TEST

/* Master commits by subject, to find the original of a backport without a trailer. */
struct by_subject {
	char **subjects;
	struct mt_oid *oids;
	size_t n;
};

static void index_master(struct by_subject *out, struct mt_repo *repo)
{
	struct mt_oid master, *oids;
	size_t n, i;

	ck_assert_int_eq(repo_resolve_commit(&master, repo, "master"), 0);
	ck_assert_int_eq(repo_walk(&oids, &n, repo, &master, NULL, 0, 0), 0);
	out->subjects = xcalloc(n, sizeof(*out->subjects));
	out->oids = oids;
	out->n = n;
	for (i = 0; i < n; i++) {
		struct mt_commit_info info;

		ck_assert_int_eq(repo_commit_info(&info, repo, &oids[i]), 0);
		out->subjects[i] = info.subject;
		info.subject = NULL;
		commit_info_release(&info);
	}
}

static void by_subject_release(struct by_subject *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->subjects[i]);
	free(b->subjects);
	free(b->oids);
}

START_TEST(backports_point_at_master_and_reverts_at_their_stream)
{
	struct mt_repo *repo = open_generated();
	struct by_subject master_subjects;
	struct mt_ref *refs;
	struct mt_oid master;
	size_t n, i, trailers = 0, patch_id_only = 0, reverts = 0, dropped = 0;

	ck_assert_int_eq(repo_list_refs(&refs, &n, repo), 0);
	ck_assert_int_eq(repo_resolve_commit(&master, repo, "master"), 0);
	index_master(&master_subjects, repo);
	for (i = 0; i < n; i++) {
		int major, minor;
		char base[32];
		struct mt_oid tag, *oids;
		size_t count, k;

		if (refs[i].kind != REPO_REF_BRANCH ||
		    sscanf(refs[i].short_name, "stable-%d.%d", &major, &minor) != 2)
			continue;
		snprintf(base, sizeof(base), "v%d.%d.0", major, minor);
		ck_assert_int_eq(repo_resolve_commit(&tag, repo, base), 0);
		ck_assert_int_eq(repo_walk(&oids, &count, repo, &refs[i].commit, &tag, 1, 0), 0);
		ck_assert_uint_ge(count, 1);
		for (k = 0; k < count; k++) {
			struct mt_commit_info info;
			const char *t;
			struct mt_oid up;
			bool reachable;

			ck_assert_int_eq(repo_commit_info(&info, repo, &oids[k]), 0);
			if ((t = strstr(info.message, "(cherry picked from commit "))) {
				ck_assert_int_eq(oid_from_hex(&up, t + 27 - 0), 0);
				ck_assert_int_eq(repo_is_ancestor(&reachable, repo, &up, &master), 0);
				ck_assert_msg(reachable, "%s: trailer names a commit not on master", base);
				ck_assert_int_eq(repo_is_ancestor(&reachable, repo, &up, &tag), 0);
				ck_assert_msg(!reachable, "%s: trailer names a commit before the fork", base);
				trailers++;
				dropped += strstr(info.message, "[stable: dropped the") != NULL;
			} else if ((t = strstr(info.message, "This reverts commit "))) {
				size_t j;

				ck_assert_int_eq(oid_from_hex(&up, t + 20), 0);
				for (j = k + 1; j < count && !oid_equal(&oids[j], &up); j++)
					;
				ck_assert_msg(j < count, "%s: a revert of a commit outside the stream", base);
				reverts++;
			} else if (strncmp(info.subject, "Update version for", 18)) {
				/* no trailer: the same patch as a master commit with this subject */
				struct mt_oid mine, theirs;
				size_t j;

				for (j = 0; j < master_subjects.n; j++)
					if (!strcmp(master_subjects.subjects[j], info.subject))
						break;
				ck_assert_msg(j < master_subjects.n, "no master commit for '%s'", info.subject);
				ck_assert_int_eq(repo_patch_id(&mine, repo, &oids[k]), 0);
				ck_assert_int_eq(repo_patch_id(&theirs, repo, &master_subjects.oids[j]), 0);
				ck_assert_msg(oid_equal(&mine, &theirs), "patch ids differ for '%s'",
					      info.subject);
				patch_id_only++;
			}
			commit_info_release(&info);
		}
		free(oids);
	}
	ck_assert_uint_ge(trailers, 100);
	ck_assert_uint_ge(patch_id_only, 1);
	ck_assert_uint_ge(reverts, 1);
	ck_assert_uint_ge(dropped, 1);
	by_subject_release(&master_subjects);
	repo_refs_free(refs, n);
	repo_free(repo);
}
END_TEST

static void assert_has(struct mt_repo *repo, const char *rev, const char *path, const char *text)
{
	ck_assert_msg(strstr(file_at(repo, rev, path), text), "%s:%s lacks: %s", rev, path, text);
}

static void assert_lacks(struct mt_repo *repo, const char *rev, const char *path, const char *text)
{
	ck_assert_msg(!strstr(file_at(repo, rev, path), text), "%s:%s has: %s", rev, path, text);
}

START_TEST(machine_files_use_each_era_syntax)
{
	struct mt_repo *repo = open_generated();

	assert_has(repo, "v2.0.0", "hw/i386/pc_q35.c", "qemu_register_machine(&pc_q35_machine_v2_0);");
	assert_has(repo, "v2.0.0", "hw/i386/pc_q35.c", ".name = \"pc-q35-2.0\",");
	assert_has(repo, "v2.5.0", "hw/i386/pc_q35.c", "DEFINE_Q35_MACHINE(v2_5, \"pc-q35-2.5\", NULL,");
	assert_has(repo, "v2.5.0", "hw/i386/pc_piix.c", "DEFINE_I440FX_MACHINE(v2_4, \"pc-i440fx-2.4\"");
	assert_has(repo, "v8.0.0", "hw/s390x/s390-virtio-ccw.c", "DEFINE_CCW_MACHINE(8_0, \"8.0\", true);");
	assert_has(repo, "v8.0.0", "hw/ppc/spapr.c", "DEFINE_SPAPR_MACHINE(2_12_sxxm, \"2.12-sxxm\", false);");
	assert_has(repo, "v9.1.0", "hw/ppc/spapr.c", "DEFINE_SPAPR_MACHINE_TAGGED(2, 12, sxxm);");
	assert_lacks(repo, "v9.2.0", "hw/ppc/spapr.c", "sxxm);");
	assert_has(repo, "v10.0.0", "hw/i386/pc_q35.c", "\nDEFINE_Q35_MACHINE_AS_LATEST(10, 0);\n");
	assert_has(repo, "v10.0.0", "hw/i386/pc_q35.c", "\nDEFINE_Q35_MACHINE(9, 2);\n");
	assert_has(repo, "v10.0.0", "hw/arm/virt.c", "\nDEFINE_VIRT_MACHINE_AS_LATEST(10, 0)\n");
	assert_has(repo, "v10.0.0", "hw/arm/virt.c", "\nDEFINE_VIRT_MACHINE(2, 6)\n");
	assert_lacks(repo, "v10.0.0", "hw/arm/virt.c", "DEFINE_VIRT_MACHINE(2, 5)");
	assert_has(repo, "v10.0.0", "hw/core/machine.c", "GlobalProperty hw_compat_9_2[] = ");
	assert_lacks(repo, "v10.0.0", "hw/core/machine.c", "hw_compat_10_0[]");
	assert_has(repo, "v10.0.0", "hw/i386/pc.c", "GlobalProperty pc_compat_9_2[] = ");
	/* the lifecycle cleanup of 10.1 removed the 2.x and 3.x machines */
	assert_lacks(repo, "v10.1.0", "hw/i386/pc_q35.c", "DEFINE_Q35_MACHINE(3, 1);");
	assert_has(repo, "v10.1.0", "hw/i386/pc_q35.c", "DEFINE_Q35_MACHINE(4, 0);");
	repo_free(repo);
}
END_TEST

START_TEST(bugfix_machines_ship_in_their_point_release_and_on_master)
{
	struct mt_repo *repo = open_generated();

	assert_has(repo, "v4.0.1", "hw/i386/pc_q35.c", "\"pc-q35-4.0.1\"");
	assert_has(repo, "v4.0.1", "hw/core/machine.c", "GlobalProperty hw_compat_4_0[] = {\n");
	assert_lacks(repo, "v10.0.3", "hw/i386/pc_q35.c", "BUGFIX(10, 0, 4)");
	assert_has(repo, "v10.0.4", "hw/i386/pc_q35.c", "\nDEFINE_Q35_MACHINE_BUGFIX(10, 0, 4);\n");
	assert_has(repo, "v10.0.4", "hw/core/machine.c", "GlobalProperty hw_compat_10_0[] = {\n");
	assert_has(repo, "master", "hw/i386/pc_q35.c", "\nDEFINE_Q35_MACHINE_BUGFIX(10, 0, 4);\n");
	assert_has(repo, "master", "hw/i386/pc_q35.c", "\nDEFINE_Q35_MACHINE_BUGFIX(8, 2, 2);\n");
	assert_lacks(repo, "master", "hw/i386/pc_q35.c", "4, 0, 1");
	repo_free(repo);
}
END_TEST

START_TEST(same_scale_same_history)
{
	char *again = test_tmppath("genhistory-again");
	struct mt_repo *a = open_generated(), *b;
	struct mt_oid x, y;

	ck_assert_int_eq(run_generator(SCALE, again), 0);
	ck_assert_int_eq(repo_open(&b, again), 0);
	ck_assert_int_eq(repo_resolve_commit(&x, a, "stable-10.0"), 0);
	ck_assert_int_eq(repo_resolve_commit(&y, b, "stable-10.0"), 0);
	ck_assert(oid_equal(&x, &y));
	ck_assert_int_ne(run_generator(SCALE, again), 0); /* refuses an existing destination */
	ck_assert_int_ne(run_generator("0", generated), 0);
	repo_free(a);
	repo_free(b);
	free(again);
}
END_TEST

Suite *suite_genhistory(void)
{
	Suite *s = suite_create("genhistory");
	TCase *tc = tcase_create("generated");

	tcase_add_unchecked_fixture(tc, generate, forget);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, release_tags_are_annotated_and_dated);
	tcase_add_test(tc, every_release_has_a_stable_branch_forked_at_its_tag);
	tcase_add_test(tc, backports_point_at_master_and_reverts_at_their_stream);
	tcase_add_test(tc, machine_files_use_each_era_syntax);
	tcase_add_test(tc, bugfix_machines_ship_in_their_point_release_and_on_master);
	tcase_add_test(tc, same_scale_same_history);
	suite_add_tcase(s, tc);
	return s;
}
