/* The origin and revert trailer parser, on messages shaped like QEMU's stable history. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "history/trailer.h"

#define SHA_A "0123456789abcdef0123456789abcdef01234567"
#define SHA_B "89abcdef0123456789abcdef0123456789abcdef"

static void parse(struct trailer_list *out, const char *message)
{
	struct trailer_list empty = TRAILER_LIST_INIT;

	*out = empty;
	trailer_parse(out, message, strlen(message));
}

static void expect_one(const char *message, enum trailer_kind kind, const char *hex)
{
	struct trailer_list l;

	parse(&l, message);
	ck_assert_msg(l.count == 1, "%zu trailers in: %s", l.count, message);
	ck_assert_int_eq(l.items[0].kind, kind);
	ck_assert_str_eq(l.items[0].hex, hex);
	ck_assert_uint_eq(l.items[0].hexlen, strlen(hex));
	trailer_list_release(&l);
}

static void expect_none(const char *message)
{
	struct trailer_list l;

	parse(&l, message);
	ck_assert_msg(l.count == 0, "%zu trailers (first %s) in: %s", l.count,
		      l.count ? l.items[0].hex : "", message);
	trailer_list_release(&l);
}

START_TEST(cherry_pick_long_and_short)
{
	expect_one("fix\n\nSigned-off-by: A <a@example.org>\n(cherry picked from commit " SHA_A ")\n"
		   "Signed-off-by: S <s@example.org>\n", TRAILER_CHERRY_PICK, SHA_A);
	expect_one("fix\n\n(cherry picked from commit 0123456)", TRAILER_CHERRY_PICK, "0123456");
	expect_one("fix\n\n(cherry-picked from commit 0123456789AB)", TRAILER_CHERRY_PICK,
		   "0123456789ab");
	/* no newline at the end, and the trailer's own line number */
	{
		struct trailer_list l;
		parse(&l, "a\nb\n(cherry picked from commit " SHA_B ")");
		ck_assert_uint_eq(l.count, 1);
		ck_assert_uint_eq(l.items[0].line, 3);
		trailer_list_release(&l);
	}
}
END_TEST

START_TEST(upstream_linux_and_backport_of)
{
	expect_one("fix\n\n(upstream commit " SHA_A ")\n", TRAILER_UPSTREAM, SHA_A);
	expect_one("fix\n\ncommit " SHA_B " upstream.\n\nbody\n", TRAILER_LINUX, SHA_B);
	expect_one("fix\n\ncommit 89abcdef0123 upstream\n", TRAILER_LINUX, "89abcdef0123");
	expect_one("fix\n\nThis is a backport of rev 0123456789a to 3.0.x.\n", TRAILER_BACKPORT_OF,
		   "0123456789a");
	expect_one("fix\n\nSigned-off-by: A <a@example.org>\n* backport of 0123abc\n",
		   TRAILER_BACKPORT_OF, "0123abc");
	/* the quoted git show after a sha-less "Backport of" line */
	expect_one("q35: fix\n\nBackport of QEMU v4.1 commit for stable v4.0.1 release\n\ncommit "
		   SHA_A "\nAuthor: A <a@example.org>\nDate:   Tue May 14 2019\n\n    q35: fix\n\n"
		   "    Since commit 89abcdef0123 (\"older\") this broke.\n\n*adjustment for 4.0\n",
		   TRAILER_BACKPORT_OF, SHA_A);
}
END_TEST

START_TEST(several_per_commit_in_order)
{
	struct trailer_list l;

	parse(&l, "squash\n\n(cherry picked from commit " SHA_A ")\n(cherry picked from commit "
		  SHA_B ")\n(cherry picked from commit " SHA_A ")\n");
	ck_assert_uint_eq(l.count, 2); /* the repeated sha only once */
	ck_assert_str_eq(l.items[0].hex, SHA_A);
	ck_assert_str_eq(l.items[1].hex, SHA_B);
	trailer_list_release(&l);

	parse(&l, "Backport of QEMU v4.1 commits for stable\n\ncommit " SHA_A "\nAuthor: x\n\n"
		  "commit " SHA_B "\nAuthor: y\n");
	ck_assert_uint_eq(l.count, 2);
	ck_assert_int_eq(l.items[1].kind, TRAILER_BACKPORT_OF);
	trailer_list_release(&l);
}
END_TEST

START_TEST(reverts)
{
	expect_one("Revert \"x\"\n\nThis reverts commit " SHA_A ".\n", TRAILER_REVERTS, SHA_A);
	expect_one("Revert \"Revert \\\"x\\\"\"\n\nThis reverts commit 0123456789ab.\n",
		   TRAILER_REVERTS, "0123456789ab");
}
END_TEST

START_TEST(mjt_notes_spanning_lines)
{
	struct trailer_list l;

	/* A note may mention a commit in any shape; only the cherry-pick line counts. */
	parse(&l, "fix\n\n(Mjt: adjust context for before v8.1.0-1582-g0123456789ab,\n"
		  " also see\ncommit " SHA_B " upstream.)\n(cherry picked from commit " SHA_A ")\n"
		  "[mjt: minor context adjustment\n upstream commit 0123456789ab]\n");
	ck_assert_uint_eq(l.count, 1);
	ck_assert_str_eq(l.items[0].hex, SHA_A);
	trailer_list_release(&l);
	/* a trailer inside a note is still a trailer */
	expect_one("fix\n\n(Mjt: picked by hand,\n(cherry picked from commit " SHA_A ")\n", TRAILER_CHERRY_PICK,
		   SHA_A);
	/* a blank line closes an unbalanced note */
	expect_one("fix\n\n(Mjt: oops, never closed\n\n(upstream commit " SHA_B ")\n",
		   TRAILER_UPSTREAM, SHA_B);
}
END_TEST

START_TEST(prose_is_not_a_trailer)
{
	expect_none("fix\n\nThis code was introduced in commit 0123456789ab and broke.\n");
	expect_none("fix\n\ncommit 0123456789ab fixed a deadlock, but not this one.\n");
	expect_none("fix\n\nThe backport of 0123456789 in 89abcdef0 mishandled the conflict\n");
	expect_none("fix\n\nFixes: 0123456789ab (\"something\")\n");
	expect_none("fix\n\n(cherry picked from commit 012345)\n");       /* too short */
	expect_none("fix\n\n(cherry picked from commit " SHA_A "0)\n");  /* too long */
	expect_none("fix\n\n(cherry picked from commit 0123456789xyz)\n"); /* not hex */
	expect_none("fix\n\ncommit " SHA_A "\nAuthor: not after a Backport of line\n");
	expect_none("");
}
END_TEST

/* Arbitrary bytes: no crash, no read past the end, every sha well formed. */
START_TEST(arbitrary_bytes)
{
	static const char *const pieces[] = {
		"(cherry picked from commit ", "This reverts commit ", "commit ", " upstream.",
		"Backport of QEMU v4.1 commit\n", "(Mjt: ", "(", ")", "[", "]", "\n", "\n\n",
		"0123456789abcdef", "01234567", "g0123abc", "\0", "\xff", " ", "*", "upstream commit ",
	};
	unsigned seed = 12345;
	int round;

	for (round = 0; round < 2000; round++) {
		size_t len = 0, cap = 512, i;
		char *buf = malloc(cap);
		struct trailer_list l;
		int parts = (int)(seed % 40);

		for (; parts-- > 0;) {
			const char *p;
			size_t n;
			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 8) % (sizeof(pieces) / sizeof(*pieces))];
			n = *p ? strlen(p) : 1;
			if (len + n > cap)
				break;
			memcpy(buf + len, p, n);
			len += n;
		}
		l = (struct trailer_list)TRAILER_LIST_INIT;
		trailer_parse(&l, buf, len);
		for (i = 0; i < l.count; i++) {
			ck_assert_uint_ge(l.items[i].hexlen, 7);
			ck_assert_uint_le(l.items[i].hexlen, 40);
			ck_assert_uint_eq(strspn(l.items[i].hex, "0123456789abcdef"), l.items[i].hexlen);
		}
		trailer_list_release(&l);
		free(buf);
	}
}
END_TEST

Suite *suite_trailer(void)
{
	Suite *s = suite_create("trailer");
	TCase *tc = tcase_create("trailer");

	tcase_add_test(tc, cherry_pick_long_and_short);
	tcase_add_test(tc, upstream_linux_and_backport_of);
	tcase_add_test(tc, several_per_commit_in_order);
	tcase_add_test(tc, reverts);
	tcase_add_test(tc, mjt_notes_spanning_lines);
	tcase_add_test(tc, prose_is_not_a_trailer);
	tcase_add_test(tc, arbitrary_bytes);
	suite_add_tcase(s, tc);
	return s;
}
