#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

START_TEST(grows_and_stays_terminated)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	ck_assert_str_eq(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addch(&sb, (char)('a' + i % 26));
	ck_assert_uint_eq(sb.len, 1000);
	ck_assert_uint_eq(strlen(sb.buf), 1000);
	ck_assert_int_eq(sb.buf[26], 'a');
	strbuf_release(&sb);
	ck_assert_str_eq(sb.buf, "");
}
END_TEST

START_TEST(formats_and_detaches)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	char *s;

	strbuf_addf(&sb, "%s-%d", "pc-q35", 10);
	strbuf_addstr(&sb, ".0");
	s = strbuf_detach(&sb, &len);
	ck_assert_str_eq(s, "pc-q35-10.0");
	ck_assert_uint_eq(len, 11);
	ck_assert_uint_eq(sb.len, 0);
	free(s);
	/* Detaching an empty buffer still gives the caller something to free. */
	s = strbuf_detach(&sb, NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(setlen_truncates)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "stable-10.0");
	strbuf_setlen(&sb, 6);
	ck_assert_str_eq(sb.buf, "stable");
	strbuf_reset(&sb);
	ck_assert_str_eq(sb.buf, "");
	strbuf_release(&sb);
}
END_TEST

Suite *suite_strbuf(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("strbuf");

	tcase_add_test(tc, grows_and_stays_terminated);
	tcase_add_test(tc, formats_and_detaches);
	tcase_add_test(tc, setlen_truncates);
	suite_add_tcase(s, tc);
	return s;
}
