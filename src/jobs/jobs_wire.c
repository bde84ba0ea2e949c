/*
 * Evidence lists on the wire between a classification worker and the
 * parent (jobs_pool.c): little-endian integers, strings as their length
 * (0xffffffff for NULL) and bytes, one record per classified commit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jobs_internal.h"
#include "util/xalloc.h"


static void put_u32(struct strbuf *sb, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)v, (unsigned char)(v >> 8),
			       (unsigned char)(v >> 16), (unsigned char)(v >> 24) };

	strbuf_add(sb, b, 4);
}

static void put_str(struct strbuf *sb, const char *s)
{
	if (!s) {
		put_u32(sb, UINT32_MAX);
		return;
	}
	put_u32(sb, (uint32_t)strlen(s));
	strbuf_addstr(sb, s);
}

void jobs_wire_put(struct strbuf *sb, bool ok, const struct abi_evidence_list *list)
{
	size_t start = sb->len, i;

	put_u32(sb, 0); /* the record's length, set below */
	put_u32(sb, ok);
	put_u32(sb, (uint32_t)list->count);
	for (i = 0; i < list->count; i++) {
		const struct abi_evidence *e = &list->items[i];

		put_str(sb, e->signal);
		put_str(sb, e->path);
		put_str(sb, e->detail);
		put_str(sb, e->subject);
		put_str(sb, e->old_value);
		put_str(sb, e->new_value);
		put_str(sb, e->covered_by);
		put_str(sb, e->array);
		put_str(sb, e->array_version.tag);
		put_str(sb, e->versions);
		put_str(sb, e->shared_path);
		put_u32(sb, (uint32_t)e->strength);
		put_u32(sb, (uint32_t)e->line);
		put_u32(sb, e->removed);
		put_u32(sb, e->has_array_version);
		put_u32(sb, e->new_setting);
		put_u32(sb, (uint32_t)e->shared_line);
		put_u32(sb, (uint32_t)e->array_version.major);
		put_u32(sb, (uint32_t)e->array_version.minor);
		put_u32(sb, (uint32_t)e->array_version.micro);
		put_u32(sb, (uint32_t)e->array_version.nano);
	}
	sb->buf[start] = (char)(sb->len - start);
	sb->buf[start + 1] = (char)((sb->len - start) >> 8);
	sb->buf[start + 2] = (char)((sb->len - start) >> 16);
	sb->buf[start + 3] = (char)((sb->len - start) >> 24);
}

struct reader {
	const unsigned char *p, *end;
	bool bad;
};

static uint32_t get_u32(struct reader *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = true;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static char *get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	char *s;

	if (r->bad || n == UINT32_MAX)
		return NULL;
	if ((size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	s = xstrndup((const char *)r->p, n);
	r->p += n;
	return s;
}

size_t jobs_wire_length(const unsigned char *record)
{
	return (size_t)record[0] | (size_t)record[1] << 8 | (size_t)record[2] << 16 |
	       (size_t)record[3] << 24;
}

bool jobs_wire_get(bool *ok, struct abi_evidence_list *out, const unsigned char *record,
		  size_t len)
{
	struct reader r0 = { record, record + len, false }, *r = &r0;
	uint32_t count, i;

	if (len < JOBS_WIRE_MIN || jobs_wire_length(record) != len)
		return false;
	get_u32(r); /* the length */
	*ok = get_u32(r) != 0;
	count = get_u32(r);
	for (i = 0; i < count && !r->bad; i++) {
		struct abi_evidence e;
		char *tag;

		memset(&e, 0, sizeof(e));
		e.signal = get_str(r);
		e.path = get_str(r);
		e.detail = get_str(r);
		e.subject = get_str(r);
		e.old_value = get_str(r);
		e.new_value = get_str(r);
		e.covered_by = get_str(r);
		e.array = get_str(r);
		tag = get_str(r);
		e.versions = get_str(r);
		e.shared_path = get_str(r);
		if (tag && strlen(tag) < sizeof(e.array_version.tag))
			strcpy(e.array_version.tag, tag);
		free(tag);
		e.strength = (enum abi_strength)get_u32(r);
		e.line = (int)get_u32(r);
		e.removed = get_u32(r) != 0;
		e.has_array_version = get_u32(r) != 0;
		e.new_setting = get_u32(r) != 0;
		e.shared_line = (int)get_u32(r);
		e.array_version.major = (int)get_u32(r);
		e.array_version.minor = (int)get_u32(r);
		e.array_version.micro = (int)get_u32(r);
		e.array_version.nano = (int)get_u32(r);
		if (!e.signal || !e.path || !e.detail)
			r->bad = true;
		ARRAY_GROW(out->items, out->count, out->alloc);
		out->items[out->count++] = e; /* released with the list, bad or not */
	}
	return !r->bad && r->p == r->end;
}
