/*
 * Hostile C text in a repository: binary, NUL-containing, CRLF, non-UTF-8,
 * 100k-line and 10 MiB files, pathological nesting of brackets and `#if`.
 * Each case is generated here into a two-commit scenario (base, change) in a
 * temporary directory, so no large file is committed, and classified with
 * abi_classify_commit: it must return promptly with evidence (or none, for
 * binary files) and never crash, hang or leak.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "abi/abi.h"
#include "machines/csrc.h"
#include "util/error.h"
#include "machines/families.h"
#include "util/mtlimits.h"
#include "repo/repo.h"
#include "util/strbuf.h"
#include "testutil.h"

/* Generous: a sanitizer build is slower; valgrind (check-valgrind) slower still. */
static double time_budget(void)
{
	return getenv("MT_TEST_VALGRIND") ? 600.0 : 20.0;
}

static void write_file(const char *dir, const char *name, const struct strbuf *content)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	strbuf_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path.buf);
	ck_assert_uint_eq(fwrite(content->buf, 1, content->len, f), content->len);
	fclose(f);
	strbuf_release(&path);
}

/*
 * Builds base (path = old) and change (path = new) into a repository and
 * returns its scenario.
 */
static void build_pair(struct scenario *out, const char *path, const struct strbuf *old,
		       const struct strbuf *new)
{
	char *dir = test_tmpdir("hostile"), *dest = test_tmppath("repo");
	struct strbuf spec = STRBUF_INIT, file = STRBUF_INIT;

	write_file(dir, "old.c", old);
	write_file(dir, "new.c", new);
	strbuf_addf(&spec,
		    "{ \"commits\": [\n"
		    "  { \"id\": \"base\", \"files\": { \"%s\": { \"file\": \"old.c\" } } },\n"
		    "  { \"id\": \"change\", \"files\": { \"%s\": { \"file\": \"new.c\" } } } ],\n"
		    "  \"branches\": { \"master\": \"change\" } }\n",
		    path, path);
	write_file(dir, "scenario.json", &spec);
	strbuf_addf(&file, "%s/scenario.json", dir);
	ck_assert_msg(scenario_build(out, file.buf, dest) == 0, "%s", mt_error_last());
	strbuf_release(&spec);
	strbuf_release(&file);
	free(dir);
	free(dest);
}

struct outcome {
	int ret;
	double seconds;
	struct abi_evidence_list evidence;
	char *error;
};

static void classify_pair(struct outcome *out, const char *path, const struct strbuf *old,
			  const struct strbuf *new)
{
	struct scenario s;
	struct mt_repo *repo;
	struct abi_config *config;
	struct families fams;
	char *rules = test_path("../rules/abi-signals.json");
	struct timespec t0, t1;

	build_pair(&s, path, old, new);
	test_families(&fams);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_msg(abi_config_load(&config, rules) == 0, "%s", mt_error_last());
	abi_evidence_list_init(&out->evidence);
	mt_error_clear();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	out->ret = abi_classify_commit(&out->evidence, repo, config, &fams,
				       scenario_commit(&s, "change"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	out->error = out->ret < 0 ? strdup(mt_error_last()) : NULL;
	if (getenv("MT_TEST_TIMES"))
		fprintf(stderr, "classify %s: %zu+%zu bytes, %.3f s\n", path, old->len, new->len, out->seconds);
	ck_assert_msg(out->seconds < time_budget(), "%s took %.1f s", path, out->seconds);
	abi_config_free(config);
	families_release(&fams);
	repo_free(repo);
	scenario_release(&s);
	free(rules);
}

static void outcome_release(struct outcome *o)
{
	abi_evidence_list_release(&o->evidence);
	free(o->error);
}

static bool has_signal(const struct outcome *o, const char *signal, int line)
{
	size_t i;

	for (i = 0; i < o->evidence.count; i++) {
		if (!strcmp(o->evidence.items[i].signal, signal) &&
		    (line == 0 || o->evidence.items[i].line == line))
			return true;
	}
	return false;
}

/* A QEMU-shaped device with properties and migration state; the change bumps a default. */
static const char device[] =
	"static Property widget_properties[] = {\n"
	"    DEFINE_PROP_UINT32(\"depth\", WidgetState, depth, 16),\n"
	"    DEFINE_PROP_END_OF_LIST(),\n"
	"};\n"
	"\n"
	"static const VMStateDescription vmstate_widget = {\n"
	"    .name = \"widget\",\n"
	"    .version_id = 1,\n"
	"    .minimum_version_id = 1,\n"
	"};\n";

/* The device text, after `filler` (so its lines come late), with the default changed if `changed`. */
static void device_file(struct strbuf *out, const struct strbuf *filler, bool changed)
{
	const char *at;

	strbuf_add(out, filler->buf, filler->len);
	at = strstr(device, "depth, 16");
	strbuf_add(out, device, (size_t)(at - device));
	strbuf_addstr(out, changed ? "depth, 32" : "depth, 16");
	strbuf_addstr(out, at + strlen("depth, 16"));
}

static int lines_in(const struct strbuf *sb)
{
	int n = 0;
	size_t i;

	for (i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n;
}

/* Checks the default change is found at the right line after `filler`. */
static void expect_default_change(const char *what, const struct strbuf *filler)
{
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT;
	struct outcome o;

	device_file(&old, filler, false);
	device_file(&new, filler, true);
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_msg(o.ret == 0, "%s: %s", what, o.error);
	ck_assert_msg(has_signal(&o, "property-default", lines_in(filler) + 2),
		      "%s: no property-default at line %d (%zu items)", what,
		      lines_in(filler) + 2, o.evidence.count);
	outcome_release(&o);
	strbuf_release(&old);
	strbuf_release(&new);
}

START_TEST(crlf_line_endings_still_give_evidence)
{
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT, empty = STRBUF_INIT;
	struct outcome o;
	size_t i;

	device_file(&old, &empty, false);
	device_file(&new, &empty, true);
	for (i = 0; i < 2; i++) {
		struct strbuf *sb = i ? &new : &old, crlf = STRBUF_INIT;
		size_t j;

		for (j = 0; j < sb->len; j++) {
			if (sb->buf[j] == '\n')
				strbuf_addch(&crlf, '\r');
			strbuf_addch(&crlf, sb->buf[j]);
		}
		strbuf_release(sb);
		*sb = crlf;
	}
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_int_eq(o.ret, 0);
	ck_assert(has_signal(&o, "property-default", 2));
	outcome_release(&o);
	strbuf_release(&old);
	strbuf_release(&new);
}
END_TEST

START_TEST(non_utf8_text_still_gives_evidence)
{
	struct strbuf filler = STRBUF_INIT;

	strbuf_addstr(&filler, "/* Copyright (c) 2009 J\xe9r\xf4me \xff\xfe\x80 */\n"
			       "static const char *name = \"caf\xe9\";\n");
	expect_default_change("latin-1", &filler);
	strbuf_release(&filler);
}
END_TEST

START_TEST(binary_and_nul_files_are_skipped_not_read_as_c)
{
	struct strbuf old = STRBUF_INIT, new = STRBUF_INIT, empty = STRBUF_INIT;
	struct outcome o;
	unsigned x = 12345;
	size_t i;

	/* Random bytes, deterministic. */
	for (i = 0; i < 100000; i++) {
		x = x * 1103515245u + 12345u;
		strbuf_addch(&old, (char)(x >> 16));
		strbuf_addch(&new, (char)((x >> 16) ^ (i % 7 == 0)));
	}
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.evidence.count, 0);
	outcome_release(&o);

	/* C text with one NUL: git calls it binary, and so does mtcheck. */
	strbuf_reset(&old);
	strbuf_reset(&new);
	device_file(&old, &empty, false);
	device_file(&new, &empty, true);
	strbuf_add(&new, "\0", 1);
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.evidence.count, 0);
	outcome_release(&o);
	strbuf_release(&old);
	strbuf_release(&new);
}
END_TEST

START_TEST(hundred_thousand_lines)
{
	struct strbuf filler = STRBUF_INIT;
	int i;

	for (i = 0; i < 100000; i++)
		strbuf_addf(&filler, "static int f%d(void) { return %d; }\n", i, i);
	expect_default_change("100k lines", &filler);
	strbuf_release(&filler);
}
END_TEST

START_TEST(ten_mebibyte_file)
{
	struct strbuf filler = STRBUF_INIT;
	int i;

	/* Long lines, a few thousand of them: 10 MiB and a bit, within csrc's token limit. */
	for (i = 0; filler.len < 10u * 1024 * 1024; i++) {
		strbuf_addf(&filler, "static const int table%d[] = { ", i);
		while (filler.len % 4096 < 4000)
			strbuf_addstr(&filler, "0x10, 0x20, 0x30, ");
		strbuf_addstr(&filler, "};\n");
	}
	expect_default_change("10 MiB", &filler);
	strbuf_release(&filler);
}
END_TEST

/* A side past csrc's token limit is not read at all: no evidence from half of it, one note. */
START_TEST(too_many_tokens_is_said_not_guessed)
{
	struct strbuf filler = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT;
	struct outcome o;

	device_file(&old, &filler, false);
	device_file(&new, &filler, true);
	strbuf_addstr(&new, "static const int big[] = {\n");
	while (new.len < 2 * (size_t)CSRC_MAX_TOKENS + 64)
		strbuf_addstr(&new, "1,");
	strbuf_addstr(&new, "\n};\n");
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.evidence.count, 1);
	ck_assert(has_signal(&o, "unreadable-c", 0));
	ck_assert_msg(strstr(o.evidence.items[0].detail, "more than 4194304 tokens") != NULL, "%s",
		      o.evidence.items[0].detail);
	outcome_release(&o);
	strbuf_release(&old);
	strbuf_release(&new);
}
END_TEST

START_TEST(pathological_nesting)
{
	struct strbuf filler = STRBUF_INIT;
	int i;

	/* Unbalanced closers before braces: each `{` looks back for its `(`. */
	for (i = 0; i < 100000; i++)
		strbuf_addstr(&filler, ") {}\n");
	/* Deep brackets, closed. */
	for (i = 0; i < 100000; i++)
		strbuf_addch(&filler, '(');
	for (i = 0; i < 100000; i++)
		strbuf_addch(&filler, ')');
	strbuf_addstr(&filler, ";\n");
	/* `#if` nested far deeper than tracked, dead at the bottom, all closed. */
	for (i = 0; i < MT_LIMIT_IF_DEPTH * 4; i++)
		strbuf_addstr(&filler, i % 2 ? "#if 1\n" : "#ifdef CONFIG_X\n");
	strbuf_addstr(&filler, "#if 0\nstatic int hidden;\n#endif\n");
	for (i = 0; i < MT_LIMIT_IF_DEPTH * 4; i++)
		strbuf_addstr(&filler, "#endif\n");
	/* An unclosed `(` swallowing nothing after it: closed at the line end by `;`. */
	expect_default_change("nesting", &filler);
	strbuf_release(&filler);
}
END_TEST

START_TEST(deep_if_zero_cannot_hide_code)
{
	struct strbuf filler = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT;
	struct outcome o;
	int i;

	/* The change sits under an `#if 0` nested past the limit: it is read, not hidden. */
	for (i = 0; i < MT_LIMIT_IF_DEPTH + 10; i++)
		strbuf_addstr(&filler, "#ifdef CONFIG_X\n");
	strbuf_addstr(&filler, "#if 0\n");
	device_file(&old, &filler, false);
	device_file(&new, &filler, true);
	strbuf_addstr(&old, "#endif\n");
	strbuf_addstr(&new, "#endif\n");
	for (i = 0; i < MT_LIMIT_IF_DEPTH + 10; i++) {
		strbuf_addstr(&old, "#endif\n");
		strbuf_addstr(&new, "#endif\n");
	}
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_int_eq(o.ret, 0);
	ck_assert(has_signal(&o, "property-default", lines_in(&filler) + 2));
	outcome_release(&o);
	strbuf_release(&filler);
	strbuf_release(&old);
	strbuf_release(&new);
}
END_TEST

START_TEST(shallow_if_zero_still_hides_code)
{
	struct strbuf filler = STRBUF_INIT, old = STRBUF_INIT, new = STRBUF_INIT;
	struct outcome o;
	int i;

	/* The near-miss for the case above: within the limit, `#if 0` is dead code. */
	for (i = 0; i < MT_LIMIT_IF_DEPTH - 2; i++)
		strbuf_addstr(&filler, "#ifdef CONFIG_X\n");
	strbuf_addstr(&filler, "#if 0\n");
	device_file(&old, &filler, false);
	device_file(&new, &filler, true);
	for (i = 0; i < MT_LIMIT_IF_DEPTH - 1; i++) {
		strbuf_addstr(&old, "#endif\n");
		strbuf_addstr(&new, "#endif\n");
	}
	classify_pair(&o, "hw/misc/widget.c", &old, &new);
	ck_assert_int_eq(o.ret, 0);
	ck_assert_uint_eq(o.evidence.count, 0);
	outcome_release(&o);
	strbuf_release(&filler);
	strbuf_release(&old);
	strbuf_release(&new);
}
END_TEST

START_TEST(blob_over_the_limit_is_refused_not_read)
{
	struct strbuf big = STRBUF_INIT, bigger = STRBUF_INIT;
	struct outcome o;
	struct scenario s;
	struct mt_repo *repo;
	const struct mt_blob *blob;
	char want[64];

	if (getenv("MT_TEST_VALGRIND"))
		return; /* 64 MiB through valgrind takes minutes and proves nothing more */
	strbuf_grow(&big, MT_LIMIT_BLOB_SIZE + 4096);
	while (big.len <= MT_LIMIT_BLOB_SIZE)
		strbuf_addstr(&big, "static int x; /* filler filler filler filler filler filler */\n");
	strbuf_add(&bigger, big.buf, big.len);
	strbuf_addstr(&bigger, "static int y;\n");
	build_pair(&s, "hw/misc/huge.c", &big, &bigger);
	ck_assert_int_eq(repo_open(&repo, s.path), 0);
	ck_assert_int_eq(repo_read_file(&blob, repo, scenario_commit(&s, "base"), "hw/misc/huge.c"),
			 MT_ERROR);
	snprintf(want, sizeof(want), "%zu bytes, over the %u-byte limit", big.len,
		 MT_LIMIT_BLOB_SIZE);
	ck_assert_msg(strstr(mt_error_last(), ":hw/misc/huge.c: blob ") && strstr(mt_error_last(), want),
		      "%s", mt_error_last());
	repo_free(repo);
	scenario_release(&s);
	/* Classifying a change to it is prompt: the diff does not read it as text. */
	classify_pair(&o, "hw/misc/huge.c", &big, &bigger);
	ck_assert_int_eq(o.ret, 0);
	outcome_release(&o);
	strbuf_release(&big);
	strbuf_release(&bigger);
}
END_TEST

Suite *suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("hostile");

	tcase_set_timeout(tc, getenv("MT_TEST_VALGRIND") ? 3000 : 120);
	tcase_add_test(tc, crlf_line_endings_still_give_evidence);
	tcase_add_test(tc, non_utf8_text_still_gives_evidence);
	tcase_add_test(tc, binary_and_nul_files_are_skipped_not_read_as_c);
	tcase_add_test(tc, hundred_thousand_lines);
	tcase_add_test(tc, ten_mebibyte_file);
	tcase_add_test(tc, too_many_tokens_is_said_not_guessed);
	tcase_add_test(tc, pathological_nesting);
	tcase_add_test(tc, deep_if_zero_cannot_hide_code);
	tcase_add_test(tc, shallow_if_zero_still_hides_code);
	tcase_add_test(tc, blob_over_the_limit_is_refused_not_read);
	suite_add_tcase(s, tc);
	return s;
}
