#include <check.h>
#include <string.h>

#include "util/error.h"
#include "util/jsonfile.h"

static const char sample[] =
	"{\n"
	"  \"families\": [\n"
	"    { \"id\": \"q35\",\n"
	"      \"macros\": [] }\n"
	"  ]\n"
	"}\n";

START_TEST(syntax_errors_name_line_and_column)
{
	struct json_file f;

	ck_assert_int_eq(json_file_parse(&f, "rules/x.json", "{\n  \"a\": 1,\n  oops\n}", 19),
			 MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "rules/x.json:3:"));
}
END_TEST

START_TEST(duplicate_keys_are_rejected)
{
	struct json_file f;
	const char *text = "{ \"a\": 1, \"a\": 2 }";

	ck_assert_int_eq(json_file_parse(&f, "dup.json", text, strlen(text)), MT_ERROR);
	ck_assert_ptr_nonnull(strstr(mt_error_last(), "dup.json:1:"));
}
END_TEST

START_TEST(unknown_keys_point_at_the_key)
{
	struct json_file f;
	static const char *const allowed[] = { "id", "files", NULL };
	json_t *family;

	ck_assert_int_eq(json_file_parse(&f, "rules/families.json", sample, strlen(sample)), 0);
	family = json_array_get(json_object_get(f.root, "families"), 0);
	ck_assert_int_eq(json_file_check_keys(&f, "families/0", family, allowed, "family q35"),
			 MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "rules/families.json:4:7: unknown key \"macros\" in "
					  "family q35 (expected one of: id, files)");
	json_file_release(&f);
}
END_TEST

START_TEST(missing_file_is_enotfound)
{
	struct json_file f;

	ck_assert_int_eq(json_file_load(&f, "/nonexistent/mtcheck.json"), MT_ENOTFOUND);
}
END_TEST

Suite *suite_jsonfile(void)
{
	Suite *s = suite_create("jsonfile");
	TCase *tc = tcase_create("jsonfile");

	tcase_add_test(tc, syntax_errors_name_line_and_column);
	tcase_add_test(tc, duplicate_keys_are_rejected);
	tcase_add_test(tc, unknown_keys_point_at_the_key);
	tcase_add_test(tc, missing_file_is_enotfound);
	suite_add_tcase(s, tc);
	return s;
}
