#include <check.h>
#include <string.h>

#include "util/jsontext.h"
#include "testutil.h"

START_TEST(valid_text_is_kept)
{
	json_t *v = json_text("pc-q35-10.0 \xc3\xa9t\xc3\xa9 \xe2\x82\xac");

	ck_assert_str_eq(json_string_value(v), "pc-q35-10.0 \xc3\xa9t\xc3\xa9 \xe2\x82\xac");
	json_decref(v);
}
END_TEST

START_TEST(invalid_bytes_become_replacement_characters)
{
	/* Latin-1 "é", a lone continuation byte, an overlong '/', a surrogate. */
	json_t *v = json_text("Jos\xe9 \x80 \xc0\xaf \xed\xa0\x80.");

	ck_assert_str_eq(json_string_value(v), "Jos\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd "
					       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.");
	json_decref(v);
}
END_TEST

START_TEST(null_and_oids)
{
	struct mt_oid oid;
	json_t *v;

	ck_assert(json_is_null(v = json_text_or_null(NULL)));
	json_decref(v);
	ck_assert(json_is_null(v = json_oid_or_null(false, NULL)));
	json_decref(v);
	memset(&oid, 0xab, sizeof(oid));
	v = json_oid_or_null(true, &oid);
	ck_assert_str_eq(json_string_value(v), "abababababababababababababababababababab");
	json_decref(v);
}
END_TEST

START_TEST(machines_json_survives_latin1_sources)
{
	struct scenario s;
	struct run_result r;
	json_error_t jerr;
	json_t *root, *entry;

	test_scenario(&s, "jsontext/latin1.json");
	{
		const char *args[] = { "--repo", s.path, "machines", "--format", "json", NULL };
		run_mtcheck(&r, NULL, args);
	}
	ck_assert_int_eq(r.status, 0);
	root = json_loads(r.out, 0, &jerr);
	ck_assert_msg(root, "%s", jerr.text);
	entry = json_array_get(json_object_get(json_array_get(json_object_get(root, "compat"), 0),
					       "entries"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(entry, "driver")),
			 "caf\xef\xbf\xbd-device");
	ck_assert_str_eq(json_string_value(json_object_get(entry, "value")), "on");
	json_decref(root);
	run_result_release(&r);
	scenario_release(&s);
}
END_TEST

Suite *suite_jsontext(void)
{
	Suite *s = suite_create("jsontext");
	TCase *tc = tcase_create("jsontext");

	tcase_add_test(tc, valid_text_is_kept);
	tcase_add_test(tc, invalid_bytes_become_replacement_characters);
	tcase_add_test(tc, null_and_oids);
	tcase_add_test(tc, machines_json_survives_latin1_sources);
	suite_add_tcase(s, tc);
	return s;
}
