/* The records a classification worker sends its parent: whole lists back, and nothing else. */
#include <check.h>
#include <string.h>

#include "jobs/jobs_internal.h"
#include "util/xalloc.h"

static void add(struct abi_evidence_list *l, const char *signal, const char *subject,
		const char *array, int line)
{
	struct abi_evidence *e;

	ARRAY_GROW(l->items, l->count, l->alloc);
	e = &l->items[l->count++];
	memset(e, 0, sizeof(*e));
	e->signal = xstrdup(signal);
	e->path = xstrdup("hw/core/machine.c");
	e->detail = xstrdup("hw_compat_10_0: added { x, y, z }");
	e->subject = xstrdup_or_null(subject);
	e->array = xstrdup_or_null(array);
	e->strength = ABI_CHANGE;
	e->line = line;
	e->removed = line < 0;
	e->has_array_version = array != NULL;
	e->array_version.major = 10;
	e->array_version.minor = 0;
	e->array_version.micro = -1;
	e->array_version.nano = -1;
	strcpy(e->array_version.tag, "rc1");
	if (array) {
		e->shared_path = xstrdup("hw/i386/pc.c");
		e->shared_line = 812;
	}
}

static bool same(const struct abi_evidence *a, const struct abi_evidence *b)
{
	return !strcmp(a->signal, b->signal) && !strcmp(a->path, b->path) &&
	       !strcmp(a->detail, b->detail) && (a->subject == b->subject ||
	       (a->subject && b->subject && !strcmp(a->subject, b->subject))) &&
	       (a->array == b->array || (a->array && b->array && !strcmp(a->array, b->array))) &&
	       !a->old_value == !b->old_value && !a->covered_by == !b->covered_by &&
	       !a->shared_path == !b->shared_path && a->shared_line == b->shared_line &&
	       (!a->shared_path || !strcmp(a->shared_path, b->shared_path)) &&
	       a->strength == b->strength && a->line == b->line && a->removed == b->removed &&
	       a->has_array_version == b->has_array_version &&
	       a->array_version.major == b->array_version.major &&
	       a->array_version.minor == b->array_version.minor &&
	       a->array_version.micro == b->array_version.micro &&
	       a->array_version.nano == b->array_version.nano &&
	       !strcmp(a->array_version.tag, b->array_version.tag);
}

START_TEST(lists_come_back_whole)
{
	struct abi_evidence_list sent, got;
	struct strbuf sb = STRBUF_INIT;
	bool ok = false;
	size_t i;

	abi_evidence_list_init(&sent);
	add(&sent, "compat-array", "x", "hw_compat_10_0", 12);
	add(&sent, "property-default", NULL, NULL, -7); /* NULLs stay NULL */
	jobs_wire_put(&sb, true, &sent);
	ck_assert_uint_eq(jobs_wire_length((const unsigned char *)sb.buf), sb.len);
	abi_evidence_list_init(&got);
	ck_assert(jobs_wire_get(&ok, &got, (const unsigned char *)sb.buf, sb.len));
	ck_assert(ok);
	ck_assert_uint_eq(got.count, 2);
	for (i = 0; i < got.count; i++)
		ck_assert(same(&sent.items[i], &got.items[i]));
	ck_assert_ptr_null(got.items[1].subject);
	abi_evidence_list_release(&got);

	/* A failed classification travels as such, with what it found. */
	strbuf_reset(&sb);
	jobs_wire_put(&sb, false, &sent);
	abi_evidence_list_init(&got);
	ck_assert(jobs_wire_get(&ok, &got, (const unsigned char *)sb.buf, sb.len));
	ck_assert(!ok);
	ck_assert_uint_eq(got.count, 2);
	abi_evidence_list_release(&got);
	abi_evidence_list_release(&sent);
	strbuf_release(&sb);
}
END_TEST

START_TEST(broken_records_are_refused)
{
	struct abi_evidence_list sent, got;
	struct strbuf sb = STRBUF_INIT;
	bool ok;
	size_t cut;

	abi_evidence_list_init(&sent);
	add(&sent, "compat-array", "x", "hw_compat_10_0", 12);
	jobs_wire_put(&sb, true, &sent);
	/* Every shorter prefix (its own length field then lies) is refused. */
	for (cut = 0; cut < sb.len; cut++) {
		abi_evidence_list_init(&got);
		ck_assert_msg(!jobs_wire_get(&ok, &got, (const unsigned char *)sb.buf, cut),
			      "a %zu-byte prefix was taken", cut);
		abi_evidence_list_release(&got);
	}
	/* A count past the items that follow. */
	sb.buf[8] = 5;
	abi_evidence_list_init(&got);
	ck_assert(!jobs_wire_get(&ok, &got, (const unsigned char *)sb.buf, sb.len));
	abi_evidence_list_release(&got);
	abi_evidence_list_release(&sent);
	strbuf_release(&sb);
}
END_TEST

Suite *suite_jobs_wire(void)
{
	Suite *s = suite_create("jobs_wire");
	TCase *tc = tcase_create("jobs_wire");

	tcase_add_test(tc, lists_come_back_whole);
	tcase_add_test(tc, broken_records_are_refused);
	suite_add_tcase(s, tc);
	return s;
}
