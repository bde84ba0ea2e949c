/* linemerge: conflicting regions of a cherry-pick merged by matching lines. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util/linemerge.h"
#include "util/strbuf.h"

static char *region(const char *base, const char *ours, const char *theirs)
{
	struct strbuf out = STRBUF_INIT;

	linemerge_region(&out, base, strlen(base), ours, strlen(ours), theirs, strlen(theirs));
	return strbuf_detach(&out, NULL);
}

START_TEST(added_lines_go_after_the_line_ours_shares)
{
	/* theirs adds c after b; ours changed a to A: both changes are kept */
	char *got = region("a\nb\nd\n", "A\nb\nd\n", "a\nb\nc\nd\n");

	ck_assert_str_eq(got, "A\nb\nc\nd\n");
	free(got);
}
END_TEST

START_TEST(removed_lines_go_where_ours_still_has_them)
{
	char *got = region("a\nb\nc\n", "x\nb\nc\n", "a\nc\n");

	ck_assert_str_eq(got, "x\nc\n");
	free(got);
}
END_TEST

START_TEST(a_new_function_comes_whole_before_the_one_it_was_copied_from)
{
	/*
	 * Ours lacks the whole region (a stable branch without the newer
	 * machine); theirs inserted a function in front of a copy of an old
	 * one. Only the new lines come, and their braces still pair.
	 */
	const char *base = "DEF(v2)\n\nvoid f_1(M *m)\n{\n    f_2(m);\n}\n";
	const char *theirs = "DEF(v2)\n\nvoid f_1_1(M *m)\n{\n    f_2(m);\n}\n\nDEF(v1_1)\n\n"
			     "void f_1(M *m)\n{\n    f_1_1(m);\n    m->x = true;\n}\n";
	char *got = region(base, "", theirs);

	ck_assert_msg(strstr(got, "DEF(v1_1)"), "%s", got);
	ck_assert_ptr_null(strstr(got, "DEF(v2)"));
	ck_assert_int_eq((int)(strchr(got, '{') != NULL), 1);
	{
		int depth = 0;
		const char *p;

		for (p = got; *p; p++) {
			depth += *p == '{';
			depth -= *p == '}';
			ck_assert_int_ge(depth, 0);
		}
		ck_assert_int_eq(depth, 0);
	}
	free(got);
}
END_TEST

START_TEST(an_entry_added_to_an_empty_array_goes_inside_it)
{
	const char *base = "P a[] = {\n    { \"x\", \"y\", \"z\" },\n};\n";
	const char *theirs = "P a[] = {\n    { \"x\", \"y\", \"z\" },\n    { \"n\", \"p\", \"v\" },\n};\n";
	char *got = region(base, "P a[] = {};\n", theirs);

	ck_assert_str_eq(got, "P a[] = {\n    { \"n\", \"p\", \"v\" },\n};\n");
	free(got);
	/* nothing added into it: the line stays as it was */
	got = region(base, "P a[] = {};\n", "P a[] = {\n};\n");
	ck_assert_str_eq(got, "P a[] = {};\n");
	free(got);
}
END_TEST

START_TEST(brackets_that_no_longer_pair_keep_ours)
{
	/* the new lines would close a block ours never opened */
	char *got = region("a\n{\nb\n}\n", "x\n", "a\n{\nb\nc\n}\n}\n");

	ck_assert_str_eq(got, "x\n");
	free(got);
}
END_TEST

START_TEST(resolve_replaces_blocks_and_copies_the_rest)
{
	const char *text = "top\n"
			   "<<<<<<< ours\nA\nb\n||||||| base\na\nb\n=======\na\nb\nc\n>>>>>>> theirs\n"
			   "end\n";
	struct strbuf out = STRBUF_INIT;

	linemerge_resolve(&out, text, strlen(text), 7);
	ck_assert_str_eq(out.buf, "top\nA\nb\nc\nend\n");
	strbuf_release(&out);
	/* an unterminated block is copied as it is */
	text = "x\n<<<<<<< o\ny\n";
	linemerge_resolve(&out, text, strlen(text), 7);
	ck_assert_str_eq(out.buf, "x\n<<<<<<< o\ny\n");
	strbuf_release(&out);
}
END_TEST

Suite *suite_linemerge(void)
{
	Suite *s = suite_create("linemerge");
	TCase *tc = tcase_create("linemerge");

	tcase_add_test(tc, added_lines_go_after_the_line_ours_shares);
	tcase_add_test(tc, removed_lines_go_where_ours_still_has_them);
	tcase_add_test(tc, a_new_function_comes_whole_before_the_one_it_was_copied_from);
	tcase_add_test(tc, an_entry_added_to_an_empty_array_goes_inside_it);
	tcase_add_test(tc, brackets_that_no_longer_pair_keep_ours);
	tcase_add_test(tc, resolve_replaces_blocks_and_copies_the_rest);
	suite_add_tcase(s, tc);
	return s;
}
