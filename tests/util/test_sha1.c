/* SHA-1 against the FIPS 180 test vectors, fed whole and byte by byte. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "util/sha1.h"

static void hex(char out[41], const unsigned char sum[MT_SHA1_SIZE])
{
	int i;

	for (i = 0; i < MT_SHA1_SIZE; i++)
		sprintf(out + 2 * i, "%02x", sum[i]);
}

static void check_vector(const char *text, size_t repeat, const char *want)
{
	unsigned char sum[MT_SHA1_SIZE];
	char got[41];
	struct sha1 a, b;
	size_t i, j;

	sha1_init(&a);
	sha1_init(&b);
	for (i = 0; i < repeat; i++) {
		sha1_update(&a, text, strlen(text));
		for (j = 0; j < strlen(text) && repeat < 1000; j++)
			sha1_update(&b, text + j, 1);
	}
	sha1_final(sum, &a);
	hex(got, sum);
	ck_assert_str_eq(got, want);
	if (repeat < 1000) {
		sha1_final(sum, &b);
		hex(got, sum);
		ck_assert_str_eq(got, want);
	}
}

START_TEST(fips_vectors)
{
	check_vector("abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_vector("", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
		     "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check_vector("a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}
END_TEST

Suite *suite_sha1(void)
{
	Suite *s = suite_create("sha1");
	TCase *tc = tcase_create("sha1");

	tcase_add_test(tc, fips_vectors);
	suite_add_tcase(s, tc);
	return s;
}
