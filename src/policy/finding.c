#include "policy/finding.h"

#include <stdlib.h>
#include <string.h>

#include "util/qversion.h"
#include "util/xalloc.h"

const char *suppressed_by_name(enum suppressed_by by)
{
	return by == SUPPRESSED_BY_WAIVER ? "waiver" : "baseline";
}

void finding_copy(struct finding *out, const struct finding *src)
{
	*out = *src;
	out->rule = xstrdup_or_null(src->rule);
	out->stream = xstrdup_or_null(src->stream);
	out->stream_key = xstrdup_or_null(src->stream_key);
	out->subject = xstrdup_or_null(src->subject);
	out->machine = xstrdup_or_null(src->machine);
	out->path = xstrdup_or_null(src->path);
	out->message = xstrdup_or_null(src->message);
	out->key = xstrdup_or_null(src->key);
}

void finding_release(struct finding *f)
{
	free(f->rule);
	free(f->stream);
	free(f->stream_key);
	free(f->subject);
	free(f->machine);
	free(f->path);
	free(f->message);
	free(f->key);
	memset(f, 0, sizeof(*f));
}

/* FNV-1a, 64 bits: small, fixed forever, and plenty for telling findings apart. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	/* A separator that no field contains, so ("ab","c") differs from ("a","bc"). */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return h;
}

void finding_fingerprint(char out[FINDING_FINGERPRINT_SIZE], const struct finding *f)
{
	static const char hex[] = "0123456789abcdef";
	char sha[MT_OID_HEXSZ + 1] = "";
	uint64_t h = 0xcbf29ce484222325ULL;
	int i;

	if (f->has_upstream)
		oid_to_hex(sha, &f->upstream);
	else if (f->has_commit && !f->has_patch_id)
		oid_to_hex(sha, &f->commit);
	h = fnv1a(h, "mtcheck-fingerprint-1");
	h = fnv1a(h, f->rule);
	h = fnv1a(h, f->stream_key ? f->stream_key : f->stream);
	if (!f->has_upstream && f->has_commit && f->has_patch_id) {
		/* A stable-only commit: what it changes and where, not its id. */
		oid_to_hex(sha, &f->patch_id);
		h = fnv1a(h, "patch-id");
		h = fnv1a(h, sha);
		h = fnv1a(h, f->path);
	} else {
		h = fnv1a(h, sha);
	}
	h = fnv1a(h, f->machine);
	h = fnv1a(h, f->key);
	for (i = 15; i >= 0; i--) {
		out[i] = hex[h & 0xf];
		h >>= 4;
	}
	out[16] = '\0';
}

/* stable-X.Y by version first, other names by text, then master, then project-wide. */
static int stream_rank(const char *stream, struct qversion *v)
{
	if (!stream)
		return 3;
	if (!strcmp(stream, "master"))
		return 2;
	if (!strncmp(stream, "stable-", 7) && qversion_parse(v, stream + 7) == 0)
		return 0;
	return 1;
}

static int cmp_stream(const char *a, const char *b)
{
	struct qversion va, vb;
	int ra = stream_rank(a, &va), rb = stream_rank(b, &vb), c;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (ra == 0 && (c = qversion_cmp(&va, &vb)))
		return c;
	return ra <= 1 ? strcmp(a, b) : 0;
}

static int cmp_opt(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

int finding_cmp(const struct finding *a, const struct finding *b)
{
	int c;

	if ((c = cmp_stream(a->stream, b->stream)))
		return c;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if ((c = cmp_opt(a->rule, b->rule)) || (c = cmp_opt(a->machine, b->machine)) ||
	    (c = cmp_opt(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if ((c = cmp_opt(a->message, b->message)) || (c = cmp_opt(a->key, b->key)))
		return c;
	if (a->has_commit != b->has_commit)
		return a->has_commit ? 1 : -1;
	return oid_cmp(&a->commit, &b->commit);
}

void finding_list_init(struct finding_list *list)
{
	memset(list, 0, sizeof(*list));
}

struct finding *finding_list_add(struct finding_list *list, const struct finding *finding)
{
	ARRAY_GROW(list->items, list->nr, list->alloc);
	finding_copy(&list->items[list->nr], finding);
	return &list->items[list->nr++];
}

static int cmp_finding(const void *a, const void *b)
{
	return finding_cmp(a, b);
}

void finding_list_sort(struct finding_list *list)
{
	if (list->nr)
		qsort(list->items, list->nr, sizeof(*list->items), cmp_finding);
}

void finding_list_release(struct finding_list *list)
{
	size_t i;

	for (i = 0; i < list->nr; i++)
		finding_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

void suppressed_list_init(struct suppressed_list *list)
{
	memset(list, 0, sizeof(*list));
}

void suppressed_list_add(struct suppressed_list *list, const struct finding *finding,
			 enum suppressed_by by, const char *reason)
{
	struct suppressed *s;

	ARRAY_GROW(list->items, list->nr, list->alloc);
	s = &list->items[list->nr++];
	finding_copy(&s->finding, finding);
	s->by = by;
	s->reason = xstrdup(reason ? reason : "");
}

static int cmp_suppressed(const void *a, const void *b)
{
	return finding_cmp(&((const struct suppressed *)a)->finding,
			   &((const struct suppressed *)b)->finding);
}

void suppressed_list_sort(struct suppressed_list *list)
{
	if (list->nr)
		qsort(list->items, list->nr, sizeof(*list->items), cmp_suppressed);
}

void suppressed_list_release(struct suppressed_list *list)
{
	size_t i;

	for (i = 0; i < list->nr; i++) {
		finding_release(&list->items[i].finding);
		free(list->items[i].reason);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}
