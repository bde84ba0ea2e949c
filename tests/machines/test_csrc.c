/* The C tokenizer on its own: tokens, conditionals, defines, and hostile input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machines/csrc.h"
#include "util/error.h"
#include "util/strbuf.h"

static int parse(struct csrc_file *f, const char *text)
{
	return csrc_parse(f, "t.c", text, strlen(text));
}

START_TEST(literals_keep_escapes_and_lines)
{
	struct csrc_file f;
	const char *text = "a = \"x\\\"y\";\nb = '\\'';\n/* c\n */ id\\\nent 0x1fULL 1.5e+3 ->";

	ck_assert_int_eq(parse(&f, text), 0);
	ck_assert_uint_eq(f.ntoks, 12);
	ck_assert_int_eq(f.toks[2].kind, CSRC_STRING);
	ck_assert_str_eq(csrc_text(&f, &f.toks[2]), "x\\\"y");
	ck_assert_int_eq(f.toks[6].kind, CSRC_CHAR);
	ck_assert_str_eq(csrc_text(&f, &f.toks[6]), "'\\''");
	ck_assert_int_eq(f.toks[6].line, 2);
	/* a continuation inside an identifier joins it; the line is where it starts */
	ck_assert_str_eq(csrc_text(&f, &f.toks[8]), "ident");
	ck_assert_int_eq(f.toks[8].line, 4);
	ck_assert_str_eq(csrc_text(&f, &f.toks[9]), "0x1fULL");
	ck_assert_str_eq(csrc_text(&f, &f.toks[10]), "1.5e+3");
	ck_assert_str_eq(csrc_text(&f, &f.toks[11]), "->");
	csrc_file_release(&f);
}
END_TEST

START_TEST(conditionals_drop_dead_code_and_record_guards)
{
	struct csrc_file f;
	const char *text =
		"#if 0\nA(1);\n#elif X > 1\nB(2);\n#else\nC(3);\n#endif\n"
		"#ifndef Y\n#if 1\nD(4);\n#else\nE(5);\n#endif\n#endif\n";

	ck_assert_int_eq(parse(&f, text), 0);
	ck_assert_uint_eq(f.ncalls, 3);
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[0].name]), "B");
	ck_assert_str_eq(csrc_cond(&f, &f.toks[f.calls[0].name]), "X > 1");
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[1].name]), "C");
	ck_assert_str_eq(csrc_cond(&f, &f.toks[f.calls[1].name]), "!(X > 1)");
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[2].name]), "D");
	ck_assert_str_eq(csrc_cond(&f, &f.toks[f.calls[2].name]), "!Y");
	csrc_file_release(&f);
}
END_TEST

START_TEST(defines_are_kept_apart_from_code)
{
	struct csrc_file f;
	const char *text = "#define F(a, b) G(a); \\\n  H(b)\n#define V (1)\nF(1, 2);\n";
	const struct csrc_define *d;

	ck_assert_int_eq(parse(&f, text), 0);
	ck_assert_uint_eq(f.ncalls, 1);
	ck_assert_uint_eq(f.calls[0].nargs, 2);
	ck_assert_int_eq(f.toks[f.calls[0].name].line, 4);
	d = csrc_find_define(&f, "F");
	ck_assert_ptr_nonnull(d);
	ck_assert(d->function_like);
	ck_assert_uint_eq(d->body.last - d->body.first, 9);
	d = csrc_find_define(&f, "V");
	ck_assert(!d->function_like);
	csrc_file_release(&f);
}
END_TEST

START_TEST(calls_functions_and_initialisers)
{
	struct csrc_file f;
	const char *text =
		"static void f(int a) { static T loc[] = { {1} }; g(a); }\n"
		"M(x, (y, z), { 1, 2 })\nN()\nstatic S s = { .a = 1 };\nT arr[2] = { };\n"
		"int h(void);\n";

	ck_assert_int_eq(parse(&f, text), 0);
	ck_assert_uint_eq(f.nfuncs, 1);
	ck_assert_uint_eq(f.ncalls, 2); /* g() is inside a body, h() is a declaration */
	ck_assert_uint_eq(f.calls[0].nargs, 3);
	ck_assert_uint_eq(f.calls[1].nargs, 0);
	ck_assert_uint_eq(f.ninits, 3);
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.inits[0].name]), "loc");
	ck_assert_int_eq(f.inits[0].func, 0);
	ck_assert(!f.inits[1].array);
	ck_assert(f.inits[2].array);
	ck_assert_int_eq(f.inits[2].func, -1);
	csrc_file_release(&f);
}
END_TEST

/* The blob's bytes a token came from. */
static char *span_text(const char *text, const struct csrc_token *t)
{
	return strndup(text + t->start, t->end - t->start);
}

START_TEST(tokens_keep_their_bytes_in_the_blob)
{
	struct csrc_file f;
	/* a continuation inside an identifier and a string, a string holding a comment opener */
	const char *text = "x = \"a/*b\\\"\\\n c\";\n  id\\\nent '\\'' /* note */ ->";
	const char *want[] = { "x", "=", "\"a/*b\\\"\\\n c\"", ";", "id\\\nent", "'\\''", "->" };
	size_t i;

	ck_assert_int_eq(parse(&f, text), 0);
	ck_assert_uint_eq(f.ntoks, 7);
	for (i = 0; i < f.ntoks; i++) {
		char *got = span_text(text, &f.toks[i]);

		ck_assert_str_eq(got, want[i]);
		free(got);
	}
	/* the string's text has the continuation joined, its span does not */
	ck_assert_str_eq(csrc_text(&f, &f.toks[2]), "a/*b\\\" c");
	ck_assert_str_eq(csrc_text(&f, &f.toks[4]), "ident");
	ck_assert_int_eq(f.toks[4].line, 3);
	csrc_file_release(&f);
}
END_TEST

START_TEST(live_directives_keep_their_spans)
{
	struct csrc_file f;
	/* kept: the #define with its continuation, #ifdef/#endif; not: the comment, #if 0 ... #endif */
	const char *text = "#define A 1 + \\\n  2 /* two */\n#if 0\n#define B 2\n#endif\n"
			   "#ifdef C\nx;\n#endif\n";
	const char *want[] = { "#", "define", "A", "1", "+", "\\", "2", "#", "ifdef", "C",
			       "#", "endif" };
	size_t i;

	ck_assert_int_eq(parse(&f, text), 0);
	ck_assert_uint_eq(f.ndirspans, 12);
	for (i = 0; i < f.ndirspans; i++) {
		char *got = strndup(text + f.dirspans[i].start,
				    f.dirspans[i].end - f.dirspans[i].start);

		ck_assert_str_eq(got, want[i]);
		free(got);
	}
	ck_assert_ptr_nonnull(csrc_find_define(&f, "A"));
	ck_assert_ptr_null(csrc_find_define(&f, "B"));
	csrc_file_release(&f);
}
END_TEST

/* The tokens of live code, joined by blanks. */
static char *live_code(const char *text)
{
	struct csrc_file f;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	ck_assert_int_eq(parse(&f, text), 0);
	for (i = 0; i < f.ntoks; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", csrc_text(&f, &f.toks[i]));
	csrc_file_release(&f);
	return strbuf_detach(&sb, NULL);
}

static void expect_live(const char *text, const char *want)
{
	char *got = live_code(text);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(constant_conditions_in_any_spelling)
{
	expect_live("#if (0)\na;\n#endif\nb;\n", "b ;");
	expect_live("#if ( ( 0 ) )\na;\n#else\nb;\n#endif\n", "b ;");
	expect_live("#if (1)\na;\n#else\nb;\n#endif\n", "a ;");
	expect_live("#if 1\n#if 0\na;\n#endif\nb;\n#elif X\nc;\n#endif\n", "b ;");
	expect_live("#if X\na;\n#elif 0\nb;\n#elif (0)\nc;\n#else\nd;\n#endif\n", "a ; d ;");
	/* not constants: kept as conditional code */
	expect_live("#if (0) || X\na;\n#endif\n#if (0\nb;\n#endif\n", "a ; b ;");
}
END_TEST

static void expect_error(const char *text, const char *message)
{
	struct csrc_file f;

	ck_assert_int_eq(csrc_parse(&f, "t.c", text, strlen(text)), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), message);
}

START_TEST(malformed_input_fails_with_a_line)
{
	expect_error("a;\n/* open", "t.c:2: unterminated comment");
	expect_error("a;\nb = \"open\n;", "t.c:2: unterminated string literal");
	expect_error("#endif\n", "t.c:1: #endif without #if");
	expect_error("x;\n#else\n", "t.c:2: #else without #if");
	expect_error("x;\n#ifdef A\nb;\n", "t.c:2: #if without #endif");
	expect_error("M(a, (b);\n", "t.c:1: brackets nested deeper than 256 or not closed");
}
END_TEST

START_TEST(limits_fail_cleanly)
{
	struct strbuf sb = STRBUF_INIT;
	struct csrc_file f;
	size_t i;

	/* Unclosed conditionals past the tracked depth are still counted and reported. */
	for (i = 0; i < MT_LIMIT_IF_DEPTH + 5; i++)
		strbuf_addstr(&sb, "#ifdef X\n");
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "t.c:256: #if without #endif");

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "M");
	for (i = 0; i < MT_LIMIT_BRACKET_DEPTH + 1; i++)
		strbuf_addch(&sb, '(');
	for (i = 0; i < MT_LIMIT_BRACKET_DEPTH + 1; i++)
		strbuf_addch(&sb, ')');
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "t.c:1: brackets nested deeper than 256 or not closed");

	strbuf_reset(&sb);
	for (i = 0; i < CSRC_MAX_TOKENS / 2 + 1; i++)
		strbuf_addstr(&sb, "a;");
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), MT_ERROR);
	ck_assert_str_eq(mt_error_last(), "t.c:1: more than 4194304 tokens");
	strbuf_release(&sb);
}
END_TEST

/* `depth` groups (#ifdef, then #if 1 / #else) around an `#if 0` holding a call. */
static void nested_if_zero(struct strbuf *sb, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		strbuf_addstr(sb, i % 2 ? "#if 1\n" : "#ifdef CONFIG_X\n");
	strbuf_addstr(sb, "#if 0\nHIDDEN(1);\n#else\nSHOWN(2);\n#endif\n");
	for (i = depth - 1; i >= 0; i--)
		strbuf_addstr(sb, i % 2 ? "#else\nOTHER(3);\n#endif\n" : "#endif\n");
	strbuf_addstr(sb, "AFTER(4);\n");
}

START_TEST(deep_conditionals_read_as_live)
{
	struct strbuf sb = STRBUF_INIT;
	struct csrc_file f;
	char want[64];
	size_t i;
	int line;

	/* Within the tracked depth an `#if 0` hides its code and `#else` of `#if 1` is dead. */
	nested_if_zero(&sb, MT_LIMIT_IF_DEPTH - 1);
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), 0);
	ck_assert_uint_eq(f.ncalls, 2);
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[0].name]), "SHOWN");
	ck_assert(!strncmp(csrc_cond(&f, &f.toks[f.calls[0].name]), "CONFIG_X && ", 12));
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[1].name]), "AFTER");
	ck_assert_ptr_null(csrc_cond(&f, &f.toks[f.calls[1].name]));
	csrc_file_release(&f);

	/* One level deeper the `#if 0` is past the limit: both its branches are read. */
	strbuf_reset(&sb);
	nested_if_zero(&sb, MT_LIMIT_IF_DEPTH);
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), 0);
	ck_assert_uint_eq(f.ncalls, 3);
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[0].name]), "HIDDEN");
	ck_assert(!strncmp(csrc_cond(&f, &f.toks[f.calls[0].name]), "CONFIG_X && ", 12));
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[1].name]), "SHOWN");
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[2].name]), "AFTER");
	ck_assert_ptr_null(csrc_cond(&f, &f.toks[f.calls[2].name]));
	csrc_file_release(&f);

	/* Far deeper, all closed: the nesting is still matched to the end of the file, and
	 * the `#else` branches of the untracked `#if 1` groups are read too. */
	strbuf_reset(&sb);
	nested_if_zero(&sb, MT_LIMIT_IF_DEPTH * 4);
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), 0);
	ck_assert_uint_eq(f.ncalls, 3 + (MT_LIMIT_IF_DEPTH * 4 - MT_LIMIT_IF_DEPTH) / 2);
	ck_assert_str_eq(csrc_text(&f, &f.toks[f.calls[f.ncalls - 1].name]), "AFTER");
	csrc_file_release(&f);

	/* An extra #endif after the untracked groups closed is still an error. */
	strbuf_addstr(&sb, "#endif\n");
	ck_assert_int_eq(csrc_parse(&f, "t.c", sb.buf, sb.len), MT_ERROR);
	for (i = 0, line = 0; i < sb.len; i++)
		line += sb.buf[i] == '\n';
	snprintf(want, sizeof(want), "t.c:%d: #endif without #if", line);
	ck_assert_str_eq(mt_error_last(), want);
	strbuf_release(&sb);
}
END_TEST

START_TEST(arbitrary_bytes_never_crash)
{
	char buf[512];
	struct csrc_file f;
	unsigned seed = 12345;
	int round;
	size_t i;

	for (round = 0; round < 2000; round++) {
		static const char alphabet[] = "#if0 1\n\\/*\"'(){}[],;=.AZaz_9\r\t\0\xff";

		for (i = 0; i < sizeof(buf); i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (csrc_parse(&f, "t.c", buf, sizeof(buf)) == 0)
			csrc_file_release(&f);
	}
}
END_TEST

Suite *suite_csrc(void)
{
	Suite *s = suite_create("csrc");
	TCase *tc = tcase_create("csrc");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, literals_keep_escapes_and_lines);
	tcase_add_test(tc, tokens_keep_their_bytes_in_the_blob);
	tcase_add_test(tc, live_directives_keep_their_spans);
	tcase_add_test(tc, constant_conditions_in_any_spelling);
	tcase_add_test(tc, conditionals_drop_dead_code_and_record_guards);
	tcase_add_test(tc, deep_conditionals_read_as_live);
	tcase_add_test(tc, defines_are_kept_apart_from_code);
	tcase_add_test(tc, calls_functions_and_initialisers);
	tcase_add_test(tc, malformed_input_fails_with_a_line);
	tcase_add_test(tc, limits_fail_cleanly);
	tcase_add_test(tc, arbitrary_bytes_never_crash);
	suite_add_tcase(s, tc);
	return s;
}
