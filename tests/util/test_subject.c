/* subject_key: equal for the subjects a cherry-pick or a stable branch gives the same patch. */
#include <check.h>
#include <string.h>

#include "util/subject.h"

static uint64_t key(const char *s)
{
	return subject_key(s, strlen(s));
}

START_TEST(tags_and_whitespace_do_not_count)
{
	uint64_t k = key("hw/a: raise the level");

	ck_assert(k != 0);
	ck_assert(key("[stable-8.0] hw/a: raise the level") == k);
	ck_assert(key("[PATCH v2] [for-8.0]  hw/a:\traise  the level  ") == k);
	ck_assert(key("hw/a: raise\n the level\n\nbody text\n") == k); /* first paragraph only */
	ck_assert(key("\n\nhw/a: raise the level\n") == k);
}
END_TEST

/* A revert of a revert applies the original patch again. */
START_TEST(reapply_is_the_original)
{
	uint64_t k = key("hw/a: raise the level");

	ck_assert(key("Reapply \"hw/a: raise the level\"") == k);
	ck_assert(key("Revert \"Revert \"hw/a: raise the level\"\"") == k);
	ck_assert(key("Revert \"Revert \\\"hw/a: raise the level\\\"\"") == k);
	ck_assert(key("Reapply \"Reapply \"hw/a: raise the level\"\"") == k);
	/* One revert is the opposite patch. */
	ck_assert(key("Revert \"hw/a: raise the level\"") != k);
	ck_assert(key("Reapply \"") != k);
}
END_TEST

START_TEST(different_subjects_differ)
{
	ck_assert(key("hw/a: raise the level") != key("hw/a: lower the level"));
	ck_assert(key("hw/a: raise the level") != key("hw/a: raise the level\nmore"));
	ck_assert(key("hw/a: raise the level") != key("hw/a: raisethe level"));
	/* An unclosed '[' is text, not a tag. */
	ck_assert(key("[hw/a: raise the level") != key("hw/a: raise the level"));
}
END_TEST

START_TEST(empty_subjects_have_no_key)
{
	ck_assert(key("") == 0);
	ck_assert(key("  \n\n") == 0);
	ck_assert(key("[stable-8.0]") == 0);
	ck_assert(subject_key(NULL, 0) == 0);
	ck_assert(key("\n\nbody after an empty subject") != 0);
}
END_TEST

Suite *suite_subject(void)
{
	Suite *s = suite_create("subject");
	TCase *tc = tcase_create("subject");

	tcase_add_test(tc, tags_and_whitespace_do_not_count);
	tcase_add_test(tc, reapply_is_the_original);
	tcase_add_test(tc, different_subjects_differ);
	tcase_add_test(tc, empty_subjects_have_no_key);
	suite_add_tcase(s, tc);
	return s;
}
