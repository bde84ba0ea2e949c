#include <check.h>
#include <stdint.h>
#include <stdio.h>

#include "util/strmap.h"

START_TEST(finds_what_was_put_past_growth)
{
	struct strmap map = STRMAP_INIT;
	char key[32];
	void *value;
	int i;

	ck_assert(!strmap_get(&map, "hw/i386/pc.c", NULL));
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "hw/i386/file%d.c", i);
		strmap_put(&map, key, (void *)(uintptr_t)i);
	}
	ck_assert_uint_eq(map.count, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "hw/i386/file%d.c", i);
		ck_assert(strmap_get(&map, key, &value));
		ck_assert_uint_eq((uintptr_t)value, (uintptr_t)i);
	}
	/* A prefix or an extension of a key is another key. */
	ck_assert(!strmap_get(&map, "hw/i386/file1", NULL));
	ck_assert(!strmap_get(&map, "hw/i386/file1.c.orig", NULL));
	strmap_release(&map);
	ck_assert_uint_eq(map.count, 0);
	ck_assert(!strmap_get(&map, "hw/i386/file1.c", NULL));
}
END_TEST

START_TEST(replaces_and_keeps_null_values)
{
	struct strmap map = STRMAP_INIT;
	char key[] = "VERSION";
	void *value = &map;

	strmap_put(&map, key, NULL);
	/* The map holds its own copy of the key. */
	key[0] = 'X';
	ck_assert(strmap_get(&map, "VERSION", &value));
	ck_assert_ptr_null(value);
	strmap_put(&map, "VERSION", &map);
	ck_assert(strmap_get(&map, "VERSION", &value));
	ck_assert_ptr_eq(value, &map);
	ck_assert_uint_eq(map.count, 1);
	strmap_release(&map);
}
END_TEST

Suite *suite_strmap(void)
{
	Suite *s = suite_create("strmap");
	TCase *tc = tcase_create("strmap");

	tcase_add_test(tc, finds_what_was_put_past_growth);
	tcase_add_test(tc, replaces_and_keeps_null_values);
	suite_add_tcase(s, tc);
	return s;
}
