/*
 * Streams and releases: which refs are master, the stable branches and the
 * release tags, and where each stream starts. Backports are in
 * history_backports.c, their upstream origin in history_upstream.c.
 */
#include "history/history.h"

#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/error.h"
#include "history_internal.h"
#include "util/mtlimits.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* "X.Y" exactly at s (n bytes): two decimal numbers; returns 0 or -1. */
static int parse_minor(int *major, int *minor, const char *s, size_t n)
{
	struct qversion v;

	if (qversion_parse_n(&v, s, n) < 0 || v.micro >= 0 || v.tag[0])
		return -1;
	*major = v.major;
	*minor = v.minor;
	return 0;
}

int history_parse_stream_name(enum stream_kind *kind, int *major, int *minor, const char *name)
{
	static const char staging_suffix[] = "-staging";
	size_t n = strlen(name), sn = strlen(staging_suffix);

	if (!strncmp(name, "staging-", 8)) {
		*kind = STREAM_STAGING;
		return parse_minor(major, minor, name + 8, n - 8);
	}
	if (strncmp(name, "stable-", 7))
		return -1;
	if (n > 7 + sn && !strcmp(name + n - sn, staging_suffix)) {
		*kind = STREAM_STAGING;
		return parse_minor(major, minor, name + 7, n - 7 - sn);
	}
	*kind = STREAM_STABLE;
	return parse_minor(major, minor, name + 7, n - 7);
}

/* A release tag name: v + 2 to 4 numbers, optionally -rcN. */
static int parse_release(struct mt_release *out, const struct mt_ref *ref)
{
	const char *name = ref->short_name;
	struct qversion v;
	bool rc = false;

	if (name[0] != 'v' || qversion_parse(&v, name + 1) < 0)
		return -1;
	if (v.tag[0]) {
		const char *d = v.tag + 2;
		if (strncmp(v.tag, "rc", 2) || !*d || strspn(d, "0123456789") != strlen(d))
			return -1;
		rc = true;
	}
	if (v.micro < 0)
		v.micro = 0; /* the old two-part tags: v1.0 is 1.0.0 */
	memset(out, 0, sizeof(*out));
	out->name = xstrdup(name);
	out->version = v;
	out->commit = ref->commit;
	out->time = ref->time;
	out->annotated = ref->annotated;
	out->rc = rc;
	return 0;
}

static int compare_releases(const void *a, const void *b)
{
	const struct mt_release *x = a, *y = b;
	int c = qversion_cmp(&x->version, &y->version);

	return c ? c : strcmp(x->name, y->name);
}

static int compare_streams(const void *a, const void *b)
{
	const struct mt_stream *x = a, *y = b;

	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The remote part of "origin/stable-4.0" is "origin"; prefer it over other remotes. */
static bool remote_is_origin(const char *short_name)
{
	return !strncmp(short_name, "origin/", 7);
}

static struct mt_stream *find_in(struct mt_stream *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(list[i].name, name))
			return &list[i];
	}
	return NULL;
}

/* A discovered stable branch or staging queue, listed or not. */
static struct mt_stream *find_stream(struct mt_history *h, const char *name)
{
	struct mt_stream *s = find_in(h->streams, h->nstreams, name);

	return s ? s : find_in(h->queues, h->nqueues, name);
}

/*
 * Adds refs/heads/stable-X.Y or refs/remotes/<remote>/stable-X.Y (and the
 * staging queues, kept apart). A local branch wins over a remote-tracking
 * one, origin over other remotes, and otherwise the first by ref name, so the
 * choice does not depend on the order refs come in.
 */
/* The branch name a ref would give a stream ("stable-4.0"), or NULL. */
static const char *stream_ref_name(const struct mt_ref *ref)
{
	const char *name = ref->short_name, *slash;
	enum stream_kind kind;
	int major, minor;

	if (ref->kind == REPO_REF_REMOTE) {
		slash = strrchr(name, '/');
		if (!slash)
			return NULL;
		name = slash + 1;
	} else if (ref->kind != REPO_REF_BRANCH || strchr(name, '/')) {
		return NULL;
	}
	return history_parse_stream_name(&kind, &major, &minor, name) < 0 ? NULL : name;
}

/* Fails, naming the counts, when refs[] holds more streams and queues than MT_LIMIT_STREAMS. */
static int streams_over_limit(const struct mt_repo *repo, const struct mt_ref *refs, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		count += stream_ref_name(&refs[i]) != NULL;
	return mt_error_set("%s: too many streams: %zu stable and staging branches, more than the "
			    "limit of %u distinct ones", repo_display_path(repo), count,
			    MT_LIMIT_STREAMS);
}

/* Returns MT_ERROR (no message) when a new stream would pass MT_LIMIT_STREAMS. */
static int consider_stream_ref(struct mt_history *h, size_t *alloc, size_t *qalloc,
			       const struct mt_ref *ref)
{
	const char *name = stream_ref_name(ref);
	struct mt_stream *s;
	enum stream_kind kind;
	int major, minor;

	if (!name || history_parse_stream_name(&kind, &major, &minor, name) < 0)
		return MT_OK;
	s = find_stream(h, name);
	if (s) {
		bool replace;

		if (!strncmp(s->ref, "refs/heads/", 11))
			replace = false;
		else if (ref->kind == REPO_REF_BRANCH)
			replace = true;
		else
			replace = !remote_is_origin(s->ref + strlen("refs/remotes/")) &&
				  remote_is_origin(ref->short_name);
		if (replace) {
			free(s->ref);
			s->ref = xstrdup(ref->name);
			s->tip = ref->commit;
		}
		return MT_OK;
	}
	if (h->nstreams + h->nqueues >= MT_LIMIT_STREAMS)
		return MT_ERROR;
	if (kind == STREAM_STAGING) {
		ARRAY_GROW(h->queues, h->nqueues, *qalloc);
		s = &h->queues[h->nqueues++];
	} else {
		ARRAY_GROW(h->streams, h->nstreams, *alloc);
		s = &h->streams[h->nstreams++];
	}
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->ref = xstrdup(ref->name);
	s->kind = kind;
	s->major = major;
	s->minor = minor;
	s->tip = ref->commit;
	return MT_OK;
}

static int find_master(struct mt_history *h, const struct mt_ref *refs, size_t n,
		       const char *master_opt)
{
	static const char *const defaults[] = { "refs/heads/master", "refs/remotes/origin/master" };
	size_t i, j;

	if (master_opt) {
		if (repo_resolve_commit(&h->master, h->repo, master_opt) < 0) {
			mt_error_prefix("--master");
			return MT_ERROR;
		}
		h->master_name = xstrdup(master_opt);
		h->has_master = true;
		return MT_OK;
	}
	for (j = 0; j < ARRAY_SIZE(defaults); j++) {
		for (i = 0; i < n; i++) {
			if (!strcmp(refs[i].name, defaults[j])) {
				h->master = refs[i].commit;
				h->master_name = xstrdup(refs[i].short_name);
				h->has_master = true;
				return MT_OK;
			}
		}
	}
	return MT_OK;
}

const struct mt_release *history_find_release(const struct mt_history *h, int major, int minor,
					      int micro)
{
	const struct mt_release *found = NULL;
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (r->rc || r->version.major != major || r->version.minor != minor ||
		    r->version.micro != micro || r->version.nano >= 0)
			continue;
		/* vX.Y.0 wins over the old two-part vX.Y when both exist. */
		if (!found || strlen(r->name) > strlen(found->name))
			found = r;
	}
	return found;
}

static const struct mt_release *newest_release(const struct mt_history *h, int major, int minor)
{
	const struct mt_release *found = NULL;
	size_t i;

	for (i = 0; i < h->nreleases; i++) {
		const struct mt_release *r = &h->releases[i];

		if (!r->rc && r->version.major == major && r->version.minor == minor)
			found = r; /* sorted by version: the last one is the newest */
	}
	return found;
}

static void fill_base_tag(struct mt_stream *s, const struct mt_history *h)
{
	const struct mt_release *base = history_find_release(h, s->major, s->minor, 0);

	if (base) {
		s->base_name = xstrdup(base->name);
		s->base = base->commit;
	}
	s->newest = newest_release(h, s->major, s->minor);
}

/*
 * A ref the answer depends on (master, a stream, a release tag) that cannot
 * be read ends the run naming it: a stream or tag that quietly vanished
 * would give another answer. Broken refs nobody reads are dropped.
 */
static int drop_broken_refs(struct mt_ref *refs, size_t *n, const char *master_opt,
			    const struct mt_repo *repo)
{
	size_t i, kept = 0;

	for (i = 0; i < *n; i++) {
		struct mt_release r;
		bool matters;

		if (!refs[i].broken) {
			refs[kept++] = refs[i];
			continue;
		}
		matters = !strcmp(refs[i].name, "refs/heads/master") ||
			  !strcmp(refs[i].name, "refs/remotes/origin/master") ||
			  (master_opt && !strcmp(refs[i].short_name, master_opt)) ||
			  stream_ref_name(&refs[i]) != NULL;
		if (!matters && refs[i].kind == REPO_REF_TAG && !parse_release(&r, &refs[i])) {
			free(r.name);
			matters = true;
		}
		if (matters) {
			mt_error_set("%s: %s: %s", repo_display_path(repo), refs[i].name,
				     refs[i].broken);
			/* What is left is freed by the caller: keep the array whole. */
			for (; i < *n; i++)
				refs[kept++] = refs[i];
			*n = kept;
			return MT_ERROR;
		}
		free(refs[i].name);
		free(refs[i].broken);
	}
	*n = kept;
	return MT_OK;
}

int history_as_of_time(int64_t *out, struct mt_repo *repo, const char *text)
{
	struct mt_commit_info info;
	struct mt_ref *refs = NULL;
	struct mt_oid commit;
	size_t n = 0, i;

	if (date_parse(out, text) == 0) {
		if (strlen(text) == 10)
			*out += 86399; /* a day: all of it */
		return MT_OK;
	}
	if (repo_resolve_commit(&commit, repo, text) < 0) {
		mt_error_prefix("--as-of: not a date (YYYY-MM-DD) nor a revision");
		return MT_ERROR;
	}
	/* A tag's own date when it is one (a release is tagged after its commit). */
	if (repo_list_refs(&refs, &n, repo) < 0)
		return MT_ERROR;
	for (i = 0; i < n; i++) {
		if (refs[i].kind == REPO_REF_TAG && !strcmp(refs[i].short_name, text)) {
			*out = refs[i].time;
			repo_refs_free(refs, n);
			return MT_OK;
		}
	}
	repo_refs_free(refs, n);
	if (repo_commit_info(&info, repo, &commit) < 0)
		return MT_ERROR;
	*out = info.time;
	commit_info_release(&info);
	return MT_OK;
}

/* *tip back along its first parents to the newest commit not after `t`; *found false: none. */
static int rewind_tip(bool *found, struct mt_oid *tip, struct mt_repo *repo, int64_t t)
{
	struct mt_oid at = *tip;

	*found = false;
	for (;;) {
		struct mt_commit_info info;
		bool root;

		if (repo_commit_info(&info, repo, &at) < 0)
			return MT_ERROR;
		if (info.time <= t) {
			commit_info_release(&info);
			*tip = at;
			*found = true;
			return MT_OK;
		}
		root = info.nparents == 0;
		if (!root)
			at = info.parents[0];
		commit_info_release(&info);
		if (root)
			return MT_OK;
	}
}

/* Keeps the streams that existed at `t`, their tips rewound; frees the others. */
static int streams_as_of(struct mt_stream *v, size_t *n, struct mt_history *h, int64_t t,
			 bool (*had_base)(const struct mt_history *, const struct mt_stream *))
{
	size_t i, kept = 0;

	for (i = 0; i < *n; i++) {
		bool found = false;

		if (had_base(h, &v[i]) && rewind_tip(&found, &v[i].tip, h->repo, t) < 0) {
			mt_error_prefix("%s", v[i].name);
			return MT_ERROR;
		}
		if (found)
			v[kept++] = v[i];
		else
			stream_release(&v[i]);
	}
	*n = kept;
	return MT_OK;
}

/*
 * Whether a stream existed at the as-of time, with the releases already
 * cut: its X.Y.0 tag is there, or it never had one (its base is the
 * merge-base with master, and its rewound branch says).
 */
static bool stream_had_base(const struct mt_history *h, const struct mt_stream *s)
{
	return history_find_release(h, s->major, s->minor, 0) || !s->had_base_tag;
}

static int history_cut(struct mt_history *h, int64_t t)
{
	size_t i, kept = 0;
	bool found;

	for (i = 0; i < h->nstreams; i++)
		h->streams[i].had_base_tag = history_find_release(h, h->streams[i].major,
								  h->streams[i].minor, 0) != NULL;
	for (i = 0; i < h->nqueues; i++)
		h->queues[i].had_base_tag = history_find_release(h, h->queues[i].major,
								 h->queues[i].minor, 0) != NULL;
	for (i = 0; i < h->nreleases; i++) {
		if (h->releases[i].time <= t)
			h->releases[kept++] = h->releases[i];
		else
			free(h->releases[i].name);
	}
	h->nreleases = kept;
	if (h->has_master) {
		if (rewind_tip(&found, &h->master, h->repo, t) < 0) {
			mt_error_prefix("%s", h->master_name);
			return MT_ERROR;
		}
		h->has_master = found;
	}
	if (streams_as_of(h->streams, &h->nstreams, h, t, stream_had_base) < 0 ||
	    streams_as_of(h->queues, &h->nqueues, h, t, stream_had_base) < 0)
		return MT_ERROR;
	return MT_OK;
}

int history_open(struct mt_history *out, struct mt_repo *repo, const struct history_options *opts)
{
	struct mt_ref *refs = NULL;
	size_t n = 0, i, ralloc = 0, salloc = 0, qalloc = 0;
	int ret = MT_ERROR;

	memset(out, 0, sizeof(*out));
	out->repo = repo;
	out->whole_master = opts && opts->whole_master;
	if (repo_list_refs(&refs, &n, repo) < 0)
		goto out;
	if (drop_broken_refs(refs, &n, opts ? opts->master : NULL, repo) < 0)
		goto out;
	if (find_master(out, refs, n, opts ? opts->master : NULL) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		struct mt_release r;

		if (refs[i].kind == REPO_REF_TAG && !parse_release(&r, &refs[i])) {
			ARRAY_GROW(out->releases, out->nreleases, ralloc);
			out->releases[out->nreleases++] = r;
		}
		if (consider_stream_ref(out, &salloc, &qalloc, &refs[i]) < 0) {
			streams_over_limit(repo, refs, n);
			goto out;
		}
	}
	if (out->nreleases)
		qsort(out->releases, out->nreleases, sizeof(*out->releases), compare_releases);
	if (opts && opts->has_as_of) {
		out->has_as_of = true;
		out->as_of = opts->as_of;
		if (history_cut(out, opts->as_of) < 0)
			goto out;
	}
	if (opts && opts->include_staging) {
		/* The queues join the listed streams; lookups by name find them either way. */
		for (i = 0; i < out->nqueues; i++) {
			ARRAY_GROW(out->streams, out->nstreams, salloc);
			out->streams[out->nstreams++] = out->queues[i];
		}
		free(out->queues);
		out->queues = NULL;
		out->nqueues = 0;
	}
	if (out->nstreams)
		qsort(out->streams, out->nstreams, sizeof(*out->streams), compare_streams);
	for (i = 0; i < out->nstreams; i++)
		fill_base_tag(&out->streams[i], out);
	for (i = 0; i < out->nqueues; i++)
		fill_base_tag(&out->queues[i], out);
	if (repo_is_shallow(repo) &&
	    repo_shallow_boundary(&out->shallow, &out->nshallow, repo) < 0)
		goto out;
	ret = MT_OK;
out:
	repo_refs_free(refs, n);
	if (ret < 0)
		history_release(out);
	return ret;
}

void stream_release(struct mt_stream *s)
{
	free(s->name);
	free(s->ref);
	free(s->base_name);
	memset(s, 0, sizeof(*s));
}

static void free_patch_id(void *value, void *payload)
{
	(void)payload;
	free(value);
}

void history_release(struct mt_history *h)
{
	size_t i;

	for (i = 0; i < h->nreleases; i++)
		free(h->releases[i].name);
	free(h->releases);
	for (i = 0; i < h->nstreams; i++)
		stream_release(&h->streams[i]);
	free(h->streams);
	for (i = 0; i < h->nqueues; i++)
		stream_release(&h->queues[i]);
	free(h->queues);
	free(h->master_name);
	free(h->shallow);
	history_indexes_release(h);
	oidmap_each(&h->patch_ids, free_patch_id, NULL);
	oidmap_release(&h->patch_ids);
	memset(h, 0, sizeof(*h));
}

int history_version_at(struct qversion *out, struct mt_history *h, const struct mt_oid *commit)
{
	const struct mt_blob *blob;
	size_t n;
	int err = repo_read_file(&blob, h->repo, commit, "VERSION");

	if (err < 0)
		return err;
	n = blob->len;
	while (n && (blob->data[n - 1] == '\n' || blob->data[n - 1] == '\r' ||
		     blob->data[n - 1] == ' '))
		n--;
	if (qversion_parse_n(out, blob->data, n) < 0) {
		char hex[13];
		oid_to_short(hex, 12, commit);
		return mt_error_set("%s:VERSION: not a version number: '%.*s'", hex,
				    (int)(n > 40 ? 40 : n), blob->data);
	}
	return MT_OK;
}

/* The "X.Y" a text starts with (digits, a dot, digits); false when it does not. */
static bool leading_minor(int *major, int *minor, const char *text, size_t len)
{
	long v[2] = { 0, 0 };
	size_t i = 0;
	int k;

	for (k = 0; k < 2; k++) {
		size_t start;

		if (k && (i >= len || text[i++] != '.'))
			return false;
		start = i;
		/* six digits at most: a number, not an overflow */
		while (i < len && text[i] >= '0' && text[i] <= '9' && i - start < 6)
			v[k] = v[k] * 10 + (text[i++] - '0');
		if (i == start)
			return false;
	}
	*major = (int)v[0];
	*minor = (int)v[1];
	return true;
}

/*
 * --stream X.Y must agree with what the revision says of itself: its name
 * (stable-7.2, origin/staging-7.2) and the VERSION file at it (7.2.3). A
 * merge request for stable-7.2 checked as 8.0 would be held to another
 * release's machines and report nonsense, so a disagreement is an error
 * unless forced.
 */
static int stream_agrees(const struct mt_stream *s, struct mt_history *h, const char *name,
			 const char *version)
{
	const char *last = strrchr(name, '/');
	const struct mt_blob *blob;
	enum stream_kind kind;
	int major, minor, err;

	if (!history_parse_stream_name(&kind, &major, &minor, last ? last + 1 : name) &&
	    (major != s->major || minor != s->minor))
		return mt_error_set("--stream %s disagrees with %s, whose name says %d.%d "
				    "(--force-stream to check it as %s anyway)", version, name,
				    major, minor, version);
	/*
	 * Only VERSION's leading X.Y counts here: old stable branches carry
	 * texts like "1.0,1" that say the stream all the same.
	 */
	err = repo_read_file(&blob, h->repo, &s->tip, "VERSION");
	if (err == MT_ENOTFOUND)
		return MT_OK;
	if (err < 0)
		return err;
	if (!leading_minor(&major, &minor, blob->data, blob->len))
		return MT_OK;
	if (major != s->major || minor != s->minor)
		return mt_error_set("--stream %s disagrees with VERSION %d.%d.* at %s "
				    "(--force-stream to check it as %s anyway)", version, major,
				    minor, name, version);
	return MT_OK;
}

/* The stream's X.Y for an explicitly named revision: --stream, its name, or VERSION. */
static int stream_version(struct mt_stream *s, struct mt_history *h, const char *name,
			  const char *version, bool force)
{
	const char *last = strrchr(name, '/');
	enum stream_kind kind;
	struct qversion v;
	int err;

	if (version) {
		if (parse_minor(&s->major, &s->minor, version, strlen(version)) < 0)
			return mt_error_set("--stream: '%s' is not X.Y", version);
		return force ? MT_OK : stream_agrees(s, h, name, version);
	}
	if (!history_parse_stream_name(&kind, &s->major, &s->minor, last ? last + 1 : name)) {
		s->kind = kind;
		return MT_OK;
	}
	err = history_version_at(&v, h, &s->tip);
	if (err == MT_ENOTFOUND)
		return mt_error_set("%s: cannot tell which stream it belongs to (no VERSION file); "
				    "use --stream X.Y", name);
	if (err < 0)
		return err;
	if (qversion_is_development(&v) || v.micro < 0) {
		char text[64];
		return mt_error_set("%s: VERSION says %s, not a stable release; use --stream X.Y",
				    name, qversion_format(text, sizeof(text), &v));
	}
	s->major = v.major;
	s->minor = v.minor;
	return MT_OK;
}

/* Falls back to the merge-base with master when there is no vX.Y.0 tag. */
static int fill_base(struct mt_stream *s, struct mt_history *h)
{
	if (s->base_name)
		return MT_OK;
	if (!h->has_master)
		return mt_error_set("%s: no v%d.%d.0 tag, and no master to find the base with "
				    "(use --master REF)%s", s->name, s->major, s->minor,
				    repo_is_shallow(h->repo)
				    ? "; the clone is shallow: fetch the tag and its history" : "");
	if (repo_is_shallow(h->repo))
		return mt_error_set("%s: no v%d.%d.0 tag in this shallow clone, and a merge-base "
				    "there would be wrong; fetch the tag and its history "
				    "(git fetch --unshallow --tags)", s->name, s->major, s->minor);
	if (repo_merge_base(&s->base, h->repo, &s->tip, &h->master) < 0) {
		mt_error_prefix("%s: no v%d.%d.0 tag; base", s->name, s->major, s->minor);
		return MT_ERROR;
	}
	s->base_is_merge_base = true;
	return MT_OK;
}

static void copy_stream(struct mt_stream *out, const struct mt_stream *s)
{
	*out = *s;
	out->name = xstrdup(s->name);
	out->ref = xstrdup(s->ref);
	out->base_name = xstrdup_or_null(s->base_name);
}

int history_stream(struct mt_stream *out, struct mt_history *h, const char *name,
		   const char *version)
{
	return history_stream_forced(out, h, name, version, false);
}

int history_stream_forced(struct mt_stream *out, struct mt_history *h, const char *name,
			  const char *version, bool force)
{
	struct strbuf full = STRBUF_INIT;
	const struct mt_stream *found;
	enum stream_kind kind;
	int major, minor, ret = MT_ERROR;

	memset(out, 0, sizeof(*out));
	/* "4.0" is short for stable-4.0. */
	if (!parse_minor(&major, &minor, name, strlen(name)))
		strbuf_addf(&full, "stable-%s", name);
	else
		strbuf_addstr(&full, name);
	found = find_stream(h, full.buf);
	if (found && !version) {
		copy_stream(out, found);
	} else {
		if (found) {
			out->tip = found->tip;
		} else if (h->has_as_of &&
			   !history_parse_stream_name(&kind, &major, &minor, full.buf)) {
			char day[16];

			date_format(day, h->as_of);
			mt_error_set("%s: no such stream as of %s (no branch, or no v%d.%d.0 tag "
				     "yet)", full.buf, day, major, minor);
			goto out;
		} else if (repo_resolve_commit(&out->tip, h->repo, full.buf) < 0) {
			if (!history_parse_stream_name(&kind, &major, &minor, full.buf))
				mt_error_set("%s: no such branch (looked in refs/heads and "
					     "refs/remotes/*)", full.buf);
			goto out;
		} else if (h->has_as_of) {
			bool kept;

			/* A revision named as a stream: as it stood then too. */
			if (rewind_tip(&kept, &out->tip, h->repo, h->as_of) < 0)
				goto out;
			if (!kept) {
				mt_error_set("%s: no commit as old as --as-of", full.buf);
				goto out;
			}
		}
		out->ref = xstrdup(found ? found->ref : name);
		out->kind = found ? found->kind : STREAM_REF;
		if (stream_version(out, h, full.buf, version, force) < 0)
			goto out;
		/*
		 * HEAD, a commit id or a topic branch is a spelling of the stream,
		 * not its name: findings, waivers and baselines say stable-X.Y
		 * however a CI job checked it out (out->ref keeps the spelling).
		 */
		if (found || out->kind != STREAM_REF) {
			out->name = xstrdup(found ? found->name : name);
		} else {
			struct strbuf canonical = STRBUF_INIT;

			strbuf_addf(&canonical, "stable-%d.%d", out->major, out->minor);
			out->name = strbuf_detach(&canonical, NULL);
		}
		fill_base_tag(out, h);
	}
	if (fill_base(out, h) < 0)
		goto out;
	ret = MT_OK;
out:
	strbuf_release(&full);
	if (ret < 0)
		stream_release(out);
	return ret;
}
